/* web/api_ledger.c: the JSON API of the places, letters and inspections
 * ledgers (API.md "Prevention and unit work"; docs/HACKING.md "Places,
 * letters, inspections"): places (POST, list, one, change, deactivate),
 * letters (POST, list with the required signers not yet signed and the
 * rate, one, require a signer, remove a requirement), inspections (POST,
 * list with totals, one, follow-up done). Bodies are bound by the records'
 * field tables (web/bind.h); lists answer ?format=xlsx. */
#include <stddef.h>
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

/* ---- places --------------------------------------------------------------------- */

/* A place. */
static const JwField al_place_fields[] = {
  JW_AT(PlaceRow, id, JF_I64), JW_AS("org", PlaceRow, org_code, JF_STR), JW_AT(PlaceRow, org_name, JF_STR),
  JW_AT(PlaceRow, kind, JF_STR), JW_AT(PlaceRow, name, JF_STR), JW_AT(PlaceRow, address, JF_STR),
  JW_AT(PlaceRow, contact, JF_STR), JW_AT(PlaceRow, phone, JF_STR), JW_AT(PlaceRow, category, JF_STR_NULL),
  JW_AT(PlaceRow, licence_no, JF_STR), JW_AT(PlaceRow, notes, JF_TEXT), JW_AT(PlaceRow, active, JF_BOOL),
  JW_AT(PlaceRow, deactivated_at, JF_STR_NULL), JW_AT(PlaceRow, deactivate_reason, JF_STR_NULL),
  JW_AT(PlaceRow, created_by, JF_STR), JW_AT(PlaceRow, created_at, JF_STR), {0}};

static int al_place_get(Ctx *c, int64_t id, void *row, Err *e) { return app_place_get(c, id, row, e); }
static void al_place_drop(void *row) { store_place_free(row); }
static int al_place_list(Ctx *c, const void *q, void **rows, int *n, int64_t *total, void *tot, Err *e) {
  (void)tot;
  return app_place_list(c, q, (PlaceRow **)rows, n, total, e);
}
static void al_place_xlsx(Req *r, const void *q) { export_places(r, q); }
static int al_place_add(Req *r, const void *in, int64_t *id, Err *e) { return app_place_add(&r->ctx, in, id, e); }
static int al_place_update(Req *r, const void *in, int64_t *id, Err *e) {
  return app_place_update(&r->ctx, *id, in, e);
}

static const char *const al_place_params[] = {"org", "kind", "q", "active", NULL};
_Static_assert(offsetof(PlaceQuery, page) == 4 * sizeof(const char *), "al_place_params");
const AuKind al_place = {
  .size = sizeof(PlaceRow), .get = al_place_get, .fields = al_place_fields, .drop = al_place_drop,
  .params = al_place_params, .page = offsetof(PlaceQuery, page), .per_page = offsetof(PlaceQuery, per_page), .each = offsetof(PlaceQuery, each),
  .xlsx = al_place_xlsx, .list = al_place_list, .qsize = sizeof(PlaceQuery), .isize = sizeof(PlaceInput),
  .spec = &place_record, .add = al_place_add};

/* POST /api/v1/places {"org","kind","name","address","contact","phone",
 * "category","licence_no","notes"} → 201 with the place. */
void api_place_create(Req *r) { au_create(r, &al_place); }

/* GET /api/v1/places/{id} */
void api_place_get(Req *r) { au_show(r, &al_place, r->ids[0], 200); }

/* PUT /api/v1/places/{id} (the whole record, as POST) → 200 with it. */
void api_place_update(Req *r) { au_change(r, &al_place, &place_record, sizeof(PlaceInput), al_place_update); }

/* POST /api/v1/places/{id}/deactivate {"reason"} → 200 with the place. */
void api_place_deactivate(Req *r) {
  const char *reason = NULL;
  Err e;
  json_t *body = json_body_str(r, "reason", &reason, &e);
  if (!body) return;
  if (e.code == ERR_OK) app_place_deactivate(&r->ctx, r->ids[0], reason, &e);
  json_decref(body);
  if (e.code != ERR_OK) resp_error(r, &e);
  else au_show(r, &al_place, r->ids[0], 200);
}

/* GET /api/v1/places?org=&kind=&q=&active=&page=&per_page= →
 * {"items":[place],"total","page","per_page"}; ?format=xlsx: every row. */
void api_place_list(Req *r) { au_list(r, &al_place); }

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

/* A letter's members before its signer, and after. */
static const JwField al_letter_head[] = {
  JW_AT(LetterRow, id, JF_I64), JW_AS("org", LetterRow, org_code, JF_STR), JW_AT(LetterRow, org_name, JF_STR),
  JW_AT(LetterRow, year, JF_INT), JW_AT(LetterRow, kind, JF_STR), {0}};
static const JwField al_letter_tail[] = {
  JW_AT(LetterRow, signed_date, JF_STR), JW_AT(LetterRow, notes, JF_STR), JW_AT(LetterRow, created_by, JF_STR),
  JW_AT(LetterRow, created_at, JF_STR), {0}};

/* Writes letter l as a JSON object. */
static void al_letter_json(JsonW *w, const void *row, const Req *r) {
  (void)r;
  const LetterRow *l = row;
  jw_obj_begin(w);
  jw_fields(w, al_letter_head, l);
  al_signer(w, l->signer_type, l->signer_org, l->signer_place_id, l->signer_name);
  jw_fields(w, al_letter_tail, l);
  jw_obj_end(w);
}

/* A requirement's members before its signer, and after. */
static const JwField al_need_head[] = {
  JW_AT(LetterNeedRow, id, JF_I64), JW_AS("org", LetterNeedRow, org_code, JF_STR),
  JW_AT(LetterNeedRow, org_name, JF_STR), JW_AT(LetterNeedRow, year, JF_INT), JW_AT(LetterNeedRow, kind, JF_STR),
  {0}};
static const JwField al_need_tail[] = {
  JW_AT(LetterNeedRow, letter_id, JF_REF), JW_AT(LetterNeedRow, signed_date, JF_STR_NULL), {0}};

/* Writes requirement m as a JSON object. */
static void al_need_json(JsonW *w, const LetterNeedRow *m) {
  jw_obj_begin(w);
  jw_fields(w, al_need_head, m);
  al_signer(w, m->signer_type, m->signer_org, m->signer_place_id, m->signer_name);
  jw_fields(w, al_need_tail, m);
  jw_obj_end(w);
}

/* The letter list's own members: "year","required","signed","rate":{"num",
 * "den","value"},"missing":[requirement],"required_signers":[requirement]. */
static void al_letter_totals(JsonW *w, const void *tot) {
  const LetterSummary *s = tot;
  jw_key_int(w, "year", s->year);
  jw_key_int(w, "required", (long long)s->required);
  jw_key_int(w, "signed", (long long)s->signed_n);
  jw_key(w, "rate");
  jw_obj_begin(w);
  jw_key_int(w, "num", (long long)s->signed_n);
  jw_key_int(w, "den", (long long)s->required);
  jw_key(w, "value");
  int64_t tenths;
  if (stats_rate_tenths(s->signed_n, s->required, &tenths)) jw_tenths(w, tenths);
  else jw_null(w);
  jw_obj_end(w);
  jw_key(w, "missing");
  jw_arr_begin(w);
  for (int i = 0; i < s->nneed; i++)
    if (s->need[i].letter_id == 0) al_need_json(w, &s->need[i]);
  jw_arr_end(w);
  jw_key(w, "required_signers");
  jw_arr_begin(w);
  for (int i = 0; i < s->nneed; i++) al_need_json(w, &s->need[i]);
  jw_arr_end(w);
}

static int al_letter_get(Ctx *c, int64_t id, void *row, Err *e) { return app_letter_get(c, id, row, e); }
static int al_letter_list(Ctx *c, const void *q, void **rows, int *n, int64_t *total, void *tot, Err *e) {
  return app_letter_list(c, q, (LetterRow **)rows, n, total, tot, e);
}
static void al_letter_xlsx(Req *r, const void *q) { export_letters(r, q); }
/* Frees the required signers a letter list's summary holds. */
static void al_letter_tot_drop(void *tot) { free(((LetterSummary *)tot)->need); }
static int al_letter_add(Req *r, const void *in, int64_t *id, Err *e) { return app_letter_add(&r->ctx, in, id, e); }

static const char *const al_letter_params[] = {"org", "year", "kind", NULL};
_Static_assert(offsetof(LetterQuery, page) == 3 * sizeof(const char *), "al_letter_params");
const AuKind al_letter = {
  .size = sizeof(LetterRow), .get = al_letter_get, .json = al_letter_json, .params = al_letter_params,
  .page = offsetof(LetterQuery, page), .per_page = offsetof(LetterQuery, per_page), .xlsx = al_letter_xlsx,
  .list = al_letter_list, .totals = al_letter_totals, .qsize = sizeof(LetterQuery), .tsize = sizeof(LetterSummary),
  .isize = sizeof(LetterInput), .spec = &letter_record, .add = al_letter_add,
  .tot_drop = al_letter_tot_drop, .totals_flat = true};

/* POST /api/v1/letters {"org","year","kind","signer_org"|"signer_place",
 * "signed_date","notes"} → 201 with the letter. */
void api_letter_create(Req *r) { au_create(r, &al_letter); }

/* GET /api/v1/letters/{id} */
void api_letter_get(Req *r) { au_show(r, &al_letter, r->ids[0], 200); }

/* GET /api/v1/letters?org=&year=&kind=&page=&per_page= → {"items":[letter],
 * "total","page","per_page","year","required","signed","rate":{"num",
 * "den","value"},"missing":[requirement],"required_signers":[requirement]};
 * ?format=xlsx. */
void api_letter_list(Req *r) { au_list(r, &al_letter); }

/* Requires the signer in and answers the requirement as the list shows
 * it, 201 (in points into the body: read before it is released). */
static int al_letter_require(Req *r, const void *input, int64_t *id, Err *e) {
  const LetterRequireInput *in = input;
  if (app_letter_require(&r->ctx, in, id, e) != ERR_OK) return e->code;
  char year[16];
  snprintf(year, sizeof year, "%d", (int)in->year);
  LetterQuery q = {in->org, year, in->kind, 1, 1, NULL};
  LetterRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  LetterSummary s = {0};
  if (app_letter_list(&r->ctx, &q, &rows, &n, &total, &s, e) == ERR_OK) {
    JsonW w;
    json_begin(r, &w);
    for (int i = 0; i < s.nneed; i++)
      if (s.need[i].id == *id) al_need_json(&w, &s.need[i]);
    json_end(r, &w, 201);
  }
  free(rows);
  free(s.need);
  return e->code;
}

/* POST /api/v1/letters/required {"org","year","kind","signer_org"|
 * "signer_place"} → 201 {"id","org","year","kind","signer_type",...}. */
void api_letter_require(Req *r) { au_act(r, &letter_required_record, sizeof(LetterRequireInput), al_letter_require, NULL); }

/* DELETE /api/v1/letters/required/{id} → {"ok":true}. */
void api_letter_unrequire(Req *r) {
  Err e;
  err_clear(&e);
  json_ok_or(r, app_letter_unrequire(&r->ctx, r->ids[0], &e), &e);
}

/* ---- inspections ---------------------------------------------------------------- */

/* An inspection's members before its follow-up state. */
static const JwField al_inspection_fields[] = {
  JW_AT(InspectionRow, id, JF_I64), JW_AS("venue", InspectionRow, place_id, JF_I64),
  JW_AS("venue_name", InspectionRow, place_name, JF_STR),
  JW_AS("venue_category", InspectionRow, place_category, JF_STR_NULL), JW_AS("org", InspectionRow, org_code, JF_STR),
  JW_AT(InspectionRow, org_name, JF_STR), JW_AT(InspectionRow, date, JF_STR), JW_AT(InspectionRow, inspectors, JF_STR),
  JW_AT(InspectionRow, result, JF_STR), JW_AT(InspectionRow, findings, JF_TEXT), JW_AT(InspectionRow, followup, JF_TEXT),
  JW_AT(InspectionRow, followup_due, JF_STR_NULL), JW_AT(InspectionRow, followup_done, JF_STR_NULL),
  JW_AT(InspectionRow, done_notes, JF_TEXT), {0}};

/* Writes inspection x as a JSON object (the follow-up state as of r's day). */
static void al_inspection_json(JsonW *w, const void *row, const Req *r) {
  const InspectionRow *x = row;
  jw_obj_begin(w);
  jw_fields(w, al_inspection_fields, x);
  jw_key_str(w, "followup_state", app_inspection_followup(x, r->ctx.today));
  jw_key_str(w, "created_by", x->created_by);
  jw_key_str(w, "created_at", x->created_at);
  jw_obj_end(w);
}

/* "totals":{"inspections","problems","open","overdue"}. */
static const JwField al_inspection_totals_fields[] = {
  JW_AT(InspectionTotals, inspections, JF_I64), JW_AT(InspectionTotals, problems, JF_I64),
  JW_AT(InspectionTotals, open, JF_I64), JW_AT(InspectionTotals, overdue, JF_I64), {0}};
static void al_inspection_totals(JsonW *w, const void *tot) { jw_fields(w, al_inspection_totals_fields, tot); }

static int al_inspection_get(Ctx *c, int64_t id, void *row, Err *e) { return app_inspection_get(c, id, row, e); }
static void al_inspection_drop(void *row) { store_inspection_free(row); }
static void al_inspection_filter(Req *r, void *q, Err *e) {
  ((InspectionQuery *)q)->venue = json_query_int(r, "venue", 0, 999999999999, e);
}
static int al_inspection_list(Ctx *c, const void *q, void **rows, int *n, void *tot, Err *e) {
  return app_inspection_list(c, q, (InspectionRow **)rows, n, tot, e);
}
static void al_inspection_xlsx(Req *r, const void *q) { export_inspections(r, q); }
static int al_inspection_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_inspection_add(&r->ctx, in, id, e);
}
static int al_inspection_done(Req *r, const void *in, int64_t *id, Err *e) {
  return app_inspection_done(&r->ctx, *id, in, e);
}

static const char *const al_inspection_params[] = {"org", "from", "to", "result", "followup", NULL};
_Static_assert(offsetof(InspectionQuery, venue) == 5 * sizeof(const char *), "al_inspection_params");
const AuKind al_inspection = {
  .size = sizeof(InspectionRow), .get = al_inspection_get, .json = al_inspection_json, .drop = al_inspection_drop,
  .params = al_inspection_params, .page = offsetof(InspectionQuery, page),
  .per_page = offsetof(InspectionQuery, per_page), .each = offsetof(InspectionQuery, each),
  .filter = al_inspection_filter, .xlsx = al_inspection_xlsx, .list_tot = al_inspection_list,
  .count_at = offsetof(InspectionTotals, inspections), .totals = al_inspection_totals,
  .qsize = sizeof(InspectionQuery), .tsize = sizeof(InspectionTotals), .isize = sizeof(InspectionInput),
  .spec = &inspection_record, .add = al_inspection_add};

/* POST /api/v1/inspections {"venue","date","inspectors","result",
 * "findings","followup","followup_due"} → 201 with the inspection. */
void api_inspection_create(Req *r) { au_create(r, &al_inspection); }

/* GET /api/v1/inspections/{id} */
void api_inspection_get(Req *r) { au_show(r, &al_inspection, r->ids[0], 200); }

/* POST /api/v1/inspections/{id}/followup {"date","notes"} → 200 with the
 * inspection. */
void api_inspection_done(Req *r) {
  au_change(r, &al_inspection, &inspection_done_record, sizeof(InspectionDoneInput), al_inspection_done);
}

/* GET /api/v1/inspections?org=&from=&to=&result=&followup=&venue=&page=
 * &per_page= → {"items":[inspection],"total","page","per_page","totals":
 * {"inspections","problems","open","overdue"}}; ?format=xlsx. */
void api_inspection_list(Req *r) { au_list(r, &al_inspection); }
