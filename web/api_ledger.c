/* web/api_ledger.c: the JSON API of the places, letters and inspections
 * ledgers (API.md "Prevention and unit work"; docs/HACKING.md "Places,
 * letters, inspections"): places (POST, list, one, change, deactivate),
 * letters (POST, list with the required signers not yet signed and the
 * rate, one, require a signer, remove a requirement), inspections (POST,
 * list with totals, one, follow-up done). Bodies are bound by the records'
 * field tables (web/bind.h); lists answer ?format=xlsx. */
#include <stdlib.h>
#include <string.h>
#include "app/inspection.h"
#include "app/letter.h"
#include "app/place.h"
#include "core/stats.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/export_ledger.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* Answers {"ok":true} with 200. */
static void al_ok(Req *r) {
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "ok", true);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* ---- places --------------------------------------------------------------------- */

/* Writes place p as a JSON object. */
static void al_place_json(JsonW *w, const PlaceRow *p) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)p->id);
  jw_key_str(w, "org", p->org_code);
  jw_key_str(w, "org_name", p->org_name);
  jw_key_str(w, "kind", p->kind);
  jw_key_str(w, "name", p->name);
  jw_key_str(w, "address", p->address);
  jw_key_str(w, "contact", p->contact);
  jw_key_str(w, "phone", p->phone);
  jw_key_str_or_null(w, "category", p->category);
  jw_key_str(w, "licence_no", p->licence_no);
  jw_key_str(w, "notes", p->notes);
  jw_key_bool(w, "active", p->active);
  jw_key_str_or_null(w, "deactivated_at", p->deactivated_at);
  jw_key_str_or_null(w, "deactivate_reason", p->deactivate_reason);
  jw_key_str(w, "created_by", p->created_by);
  jw_key_str(w, "created_at", p->created_at);
  jw_obj_end(w);
}

/* Answers place id with status. */
static void al_place_show(Req *r, int64_t id, int status) {
  PlaceRow p;
  Err e;
  err_clear(&e);
  if (app_place_get(&r->ctx, id, &p, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  al_place_json(&w, &p);
  store_place_free(&p);
  json_end(r, &w, status);
}

static int al_place_add(Ctx *c, const void *in, int64_t *id, Err *e) { return app_place_add(c, in, id, e); }

/* POST /api/v1/places {"org","kind","name","address","contact","phone",
 * "category","licence_no","notes"} → 201 with the place. */
void api_place_create(Req *r) {
  PlaceInput in;
  memset(&in, 0, sizeof in);
  au_create(r, &place_record, &in, al_place_add, al_place_show);
}

/* GET /api/v1/places/{id} */
void api_place_get(Req *r) { al_place_show(r, r->ids[0], 200); }

/* PUT /api/v1/places/{id} (the whole record, as POST) → 200 with it. */
void api_place_update(Req *r) {
  PlaceInput in;
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (body) {
    bind_json(r, body, &place_record, NULL, &in, &e);
    if (e.code == ERR_OK || e.code == ERR_INVALID) app_place_update(&r->ctx, r->ids[0], &in, &e);
  }
  if (e.code != ERR_OK) bind_json_fail(r, &place_record, &e);
  json_decref(body);
  if (e.code == ERR_OK) al_place_show(r, r->ids[0], 200);
}

/* POST /api/v1/places/{id}/deactivate {"reason"} → 200 with the place. */
void api_place_deactivate(Req *r) {
  static const char *const allowed[] = {"reason", NULL};
  json_t *body = json_body_only(r, allowed);
  if (!body) return;
  Err e;
  err_clear(&e);
  const char *reason = NULL;
  if (json_get_str(body, "reason", &reason, &e) == ERR_OK) app_place_deactivate(&r->ctx, r->ids[0], reason, &e);
  json_decref(body);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  al_place_show(r, r->ids[0], 200);
}

/* GET /api/v1/places?org=&kind=&q=&active=&page=&per_page= →
 * {"items":[place],"total","page","per_page"}; ?format=xlsx: every row. */
void api_place_list(Req *r) {
  Err e;
  err_clear(&e);
  PlaceQuery q = {req_query(r, "org"), req_query(r, "kind"), req_query(r, "q"), req_query(r, "active"), 1, 50, NULL};
  au_paging(r, &q.page, &q.per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    export_places(r, &q);
    return;
  }
  PlaceRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_place_list(&r->ctx, &q, &rows, &n, &total, &e) != ERR_OK) {
    store_place_rows_free(rows, n);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < n; i++) al_place_json(&w, &rows[i]);
  jw_list_end(&w, total, 0, q.page, q.per_page);
  store_place_rows_free(rows, n);
  json_end(r, &w, 200);
}

/* ---- letters -------------------------------------------------------------------- */

/* Writes the signer members of a letter or a requirement. */
static void al_signer(JsonW *w, const char *type, const char *org, int64_t place_id, const char *name) {
  bool is_org = strcmp(type, "org") == 0;
  jw_key_str(w, "signer_type", type);
  jw_key_str_or_null(w, "signer_org", is_org ? org : NULL);
  jw_key(w, "signer_place");
  jw_int_or_null(w, !is_org, (long long)place_id);
  jw_key_str(w, "signer_name", name);
}

/* Writes letter l as a JSON object. */
static void al_letter_json(JsonW *w, const LetterRow *l) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)l->id);
  jw_key_str(w, "org", l->org_code);
  jw_key_str(w, "org_name", l->org_name);
  jw_key_int(w, "year", l->year);
  jw_key_str(w, "kind", l->kind);
  al_signer(w, l->signer_type, l->signer_org, l->signer_place_id, l->signer_name);
  jw_key_str(w, "signed_date", l->signed_date);
  jw_key_str(w, "notes", l->notes);
  jw_key_str(w, "created_by", l->created_by);
  jw_key_str(w, "created_at", l->created_at);
  jw_obj_end(w);
}

/* Writes requirement m as a JSON object. */
static void al_need_json(JsonW *w, const LetterNeedRow *m) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)m->id);
  jw_key_str(w, "org", m->org_code);
  jw_key_str(w, "org_name", m->org_name);
  jw_key_int(w, "year", m->year);
  jw_key_str(w, "kind", m->kind);
  al_signer(w, m->signer_type, m->signer_org, m->signer_place_id, m->signer_name);
  jw_key(w, "letter_id");
  jw_int_or_null(w, m->letter_id > 0, (long long)m->letter_id);
  jw_key_str_or_null(w, "signed_date", m->signed_date);
  jw_obj_end(w);
}

static int al_letter_get(Ctx *c, int64_t id, void *row, Err *e) { return app_letter_get(c, id, row, e); }
static void al_letter_row(JsonW *w, const void *row) { al_letter_json(w, row); }

/* Answers letter id with status. */
static void al_letter_show(Req *r, int64_t id, int status) {
  LetterRow l;
  au_show(r, id, status, &l, al_letter_get, al_letter_row);
}

static int al_letter_add(Ctx *c, const void *in, int64_t *id, Err *e) { return app_letter_add(c, in, id, e); }

/* POST /api/v1/letters {"org","year","kind","signer_org"|"signer_place",
 * "signed_date","notes"} → 201 with the letter. */
void api_letter_create(Req *r) {
  LetterInput in;
  memset(&in, 0, sizeof in);
  au_create(r, &letter_record, &in, al_letter_add, al_letter_show);
}

/* GET /api/v1/letters/{id} */
void api_letter_get(Req *r) { al_letter_show(r, r->ids[0], 200); }

/* GET /api/v1/letters?org=&year=&kind=&page=&per_page= → {"items":[letter],
 * "total","page","per_page","year","required","signed","rate":{"num",
 * "den","value"},"missing":[requirement],"required_signers":[requirement]};
 * ?format=xlsx. */
void api_letter_list(Req *r) {
  Err e;
  err_clear(&e);
  LetterQuery q = {req_query(r, "org"), req_query(r, "year"), req_query(r, "kind"), 1, 50, NULL};
  au_paging(r, &q.page, &q.per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    export_letters(r, &q);
    return;
  }
  LetterRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  LetterSummary s;
  if (app_letter_list(&r->ctx, &q, &rows, &n, &total, &s, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  au_list_begin(&w);
  for (int i = 0; i < n; i++) al_letter_json(&w, &rows[i]);
  au_list_end(&w, total, q.page, q.per_page);
  jw_key_int(&w, "year", s.year);
  jw_key_int(&w, "required", (long long)s.required);
  jw_key_int(&w, "signed", (long long)s.signed_n);
  jw_key(&w, "rate");
  jw_obj_begin(&w);
  jw_key_int(&w, "num", (long long)s.signed_n);
  jw_key_int(&w, "den", (long long)s.required);
  jw_key(&w, "value");
  int64_t tenths;
  if (stats_rate_tenths(s.signed_n, s.required, &tenths)) jw_tenths(&w, tenths);
  else jw_null(&w);
  jw_obj_end(&w);
  jw_key(&w, "missing");
  jw_arr_begin(&w);
  for (int i = 0; i < s.nneed; i++)
    if (s.need[i].letter_id == 0) al_need_json(&w, &s.need[i]);
  jw_arr_end(&w);
  jw_key(&w, "required_signers");
  jw_arr_begin(&w);
  for (int i = 0; i < s.nneed; i++) al_need_json(&w, &s.need[i]);
  jw_arr_end(&w);
  jw_obj_end(&w);
  free(rows);
  free(s.need);
  json_end(r, &w, 200);
}

/* POST /api/v1/letters/required {"org","year","kind","signer_org"|
 * "signer_place"} → 201 {"id","org","year","kind","signer_type",...}. */
void api_letter_require(Req *r) {
  LetterRequireInput in;
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  int64_t id = 0;
  if (body) {
    bind_json(r, body, &letter_required_record, NULL, &in, &e);
    app_letter_require(&r->ctx, &in, &id, &e);
  }
  if (e.code != ERR_OK) {
    bind_json_fail(r, &letter_required_record, &e);
    json_decref(body);
    return;
  }
  /* the requirement as the list shows it (in points into body: freed after) */
  char year[16];
  snprintf(year, sizeof year, "%d", (int)in.year);
  LetterQuery q = {in.org, year, in.kind, 1, 1, NULL};
  LetterRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  LetterSummary s;
  int rc = app_letter_list(&r->ctx, &q, &rows, &n, &total, &s, &e);
  json_decref(body);
  if (rc != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  for (int i = 0; i < s.nneed; i++)
    if (s.need[i].id == id) al_need_json(&w, &s.need[i]);
  free(rows);
  free(s.need);
  json_end(r, &w, 201);
}

/* DELETE /api/v1/letters/required/{id} → {"ok":true}. */
void api_letter_unrequire(Req *r) {
  Err e;
  err_clear(&e);
  if (app_letter_unrequire(&r->ctx, r->ids[0], &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  al_ok(r);
}

/* ---- inspections ---------------------------------------------------------------- */

/* Writes inspection x as a JSON object (today: the follow-up state's day). */
static void al_inspection_json(JsonW *w, const InspectionRow *x, Day today) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)x->id);
  jw_key_int(w, "venue", (long long)x->place_id);
  jw_key_str(w, "venue_name", x->place_name);
  jw_key_str_or_null(w, "venue_category", x->place_category);
  jw_key_str(w, "org", x->org_code);
  jw_key_str(w, "org_name", x->org_name);
  jw_key_str(w, "date", x->date);
  jw_key_str(w, "inspectors", x->inspectors);
  jw_key_str(w, "result", x->result);
  jw_key_str(w, "findings", x->findings);
  jw_key_str(w, "followup", x->followup);
  jw_key_str_or_null(w, "followup_due", x->followup_due);
  jw_key_str_or_null(w, "followup_done", x->followup_done);
  jw_key_str(w, "done_notes", x->done_notes);
  jw_key_str(w, "followup_state", app_inspection_followup(x, today));
  jw_key_str(w, "created_by", x->created_by);
  jw_key_str(w, "created_at", x->created_at);
  jw_obj_end(w);
}

/* Answers inspection id with status. */
static void al_inspection_show(Req *r, int64_t id, int status) {
  InspectionRow x;
  Err e;
  err_clear(&e);
  if (app_inspection_get(&r->ctx, id, &x, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  al_inspection_json(&w, &x, r->ctx.today);
  store_inspection_free(&x);
  json_end(r, &w, status);
}

static int al_inspection_add(Ctx *c, const void *in, int64_t *id, Err *e) { return app_inspection_add(c, in, id, e); }

/* POST /api/v1/inspections {"venue","date","inspectors","result",
 * "findings","followup","followup_due"} → 201 with the inspection. */
void api_inspection_create(Req *r) {
  InspectionInput in;
  memset(&in, 0, sizeof in);
  au_create(r, &inspection_record, &in, al_inspection_add, al_inspection_show);
}

/* GET /api/v1/inspections/{id} */
void api_inspection_get(Req *r) { al_inspection_show(r, r->ids[0], 200); }

/* POST /api/v1/inspections/{id}/followup {"date","notes"} → 200 with the
 * inspection. */
void api_inspection_done(Req *r) {
  InspectionDoneInput in;
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (body) {
    bind_json(r, body, &inspection_done_record, NULL, &in, &e);
    if (e.code == ERR_OK || e.code == ERR_INVALID) app_inspection_done(&r->ctx, r->ids[0], &in, &e);
  }
  if (e.code != ERR_OK) bind_json_fail(r, &inspection_done_record, &e);
  json_decref(body);
  if (e.code == ERR_OK) al_inspection_show(r, r->ids[0], 200);
}

/* GET /api/v1/inspections?org=&from=&to=&result=&followup=&venue=&page=
 * &per_page= → {"items":[inspection],"total","page","per_page","totals":
 * {"inspections","problems","open","overdue"}}; ?format=xlsx. */
void api_inspection_list(Req *r) {
  Err e;
  err_clear(&e);
  InspectionQuery q = {req_query(r, "org"), req_query(r, "from"), req_query(r, "to"), req_query(r, "result"),
                       req_query(r, "followup"), 0, 1, 50, NULL};
  q.venue = json_query_int(r, "venue", 0, 999999999999, &e);
  au_paging(r, &q.page, &q.per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    export_inspections(r, &q);
    return;
  }
  InspectionRow *rows = NULL;
  int n = 0;
  InspectionTotals tot;
  if (app_inspection_list(&r->ctx, &q, &rows, &n, &tot, &e) != ERR_OK) {
    store_inspection_rows_free(rows, n);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  au_list_begin(&w);
  for (int i = 0; i < n; i++) al_inspection_json(&w, &rows[i], r->ctx.today);
  au_list_end(&w, tot.inspections, q.page, q.per_page);
  jw_key(&w, "totals");
  jw_obj_begin(&w);
  jw_key_int(&w, "inspections", (long long)tot.inspections);
  jw_key_int(&w, "problems", (long long)tot.problems);
  jw_key_int(&w, "open", (long long)tot.open);
  jw_key_int(&w, "overdue", (long long)tot.overdue);
  jw_obj_end(&w);
  jw_obj_end(&w);
  store_inspection_rows_free(rows, n);
  json_end(r, &w, 200);
}
