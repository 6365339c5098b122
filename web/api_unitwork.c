/* web/api_unitwork.c: the JSON API of unit work (docs/HACKING.md "Unit
 * work"): eradication patrols (POST, list with totals, one), unit work
 * records (POST, list, one), the unit tasks due as of a day, and the
 * rhythms of unit tasks (list, set, clear). Bodies are bound by the
 * records' field tables (web/bind.h); lists answer ?format=xlsx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/eradication.h"
#include "app/unit_task.h"
#include "core/unit_vocab.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* ---- small helpers ------------------------------------------------------------ */

/* The page and per_page query parameters (per_page at most 200). */
void au_paging(Req *r, int *page, int *per_page, Err *e) {
  *page = (int)json_query_int(r, "page", 1, 1000000, e);
  *per_page = (int)json_query_int(r, "per_page", 50, 200, e);
}

/* Writes a list of comma-joined codes as a JSON array. */
void au_codes(JsonW *w, const char *codes) {
  jw_arr_begin(w);
  const char *s = codes;
  while (s && *s) {
    size_t n = strcspn(s, ",");
    if (n) jw_strn(w, s, n);
    s += n + (s[n] == ',');
  }
  jw_arr_end(w);
}

/* The list envelope of jw_list_begin/jw_list_end left open for more
 * members ("totals"): {"items":[ ... ],"total","page","per_page"; the
 * caller writes the items between the two calls, then its members, then
 * closes the object (jw_obj_end). */
void au_list_begin(JsonW *w) {
  jw_obj_begin(w);
  jw_key(w, "items");
  jw_arr_begin(w);
}

void au_list_end(JsonW *w, int64_t total, int page, int per_page) {
  jw_arr_end(w);
  jw_key_int(w, "total", (long long)total);
  jw_key_int(w, "page", page);
  jw_key_int(w, "per_page", per_page);
}

/* POSTs a record bound by spec into in (zeroed) and added by add; answers
 * 201 with the record written by show (id of the new record), or the error
 * with the fields' JSON names. */

void au_create(Req *r, const RecordSpec *spec, void *in, AuAddFn add, AuShowFn show) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  int64_t id = 0;
  if (body) { /* the use case adds its errors to the binder's: every error in one answer */
    bind_json(r, body, spec, NULL, in, &e);
    add(&r->ctx, in, &id, &e);
  }
  if (e.code != ERR_OK) bind_json_fail(r, spec, &e); /* a field name may point into body: answered first */
  json_decref(body);
  if (e.code == ERR_OK) show(r, id, 201);
}

/* Reads record id with get into row and answers it with status, written by
 * json; or the error. */

void au_show(Req *r, int64_t id, int status, void *row, AuGetFn get, AuJsonFn json) {
  Err e;
  err_clear(&e);
  if (get(&r->ctx, id, row, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  json(&w, row);
  json_end(r, &w, status);
}

/* ---- eradication patrols -------------------------------------------------------- */

/* Writes the per-species object of counts v. */
static void au_species(JsonW *w, const char *key, const int64_t *v) {
  jw_key(w, key);
  jw_obj_begin(w);
  for (int i = 0; i < ERADICATION_SPECIES; i++) jw_key_int(w, eradication_species_codes[i], (long long)v[i]);
  jw_obj_end(w);
}

/* Writes patrol x as a JSON object. */
static void au_eradication_json(JsonW *w, const EradicationRow *x) {
  int64_t found = 0, destroyed = 0;
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    found += x->found[i];
    destroyed += x->destroyed[i];
  }
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)x->id);
  jw_key_str(w, "org", x->org_code);
  jw_key_str(w, "org_name", x->org_name);
  jw_key_str(w, "date", x->date);
  jw_key_int(w, "area_mu", (long long)x->area_mu);
  jw_key(w, "methods");
  au_codes(w, x->methods);
  jw_key_str(w, "location", x->location);
  au_species(w, "found", x->found);
  au_species(w, "destroyed", x->destroyed);
  jw_key_int(w, "found_total", (long long)found);
  jw_key_int(w, "destroyed_total", (long long)destroyed);
  jw_key_str_or_null(w, "case_no", x->case_no);
  jw_key_str(w, "notes", x->notes);
  jw_key_str(w, "created_by", x->created_by);
  jw_key_str(w, "created_at", x->created_at);
  jw_obj_end(w);
}

static int au_eradication_get(Ctx *c, int64_t id, void *row, Err *e) { return app_eradication_get(c, id, row, e); }
static void au_eradication_row(JsonW *w, const void *row) { au_eradication_json(w, row); }

/* Answers patrol id with status. */
static void au_eradication_show(Req *r, int64_t id, int status) {
  EradicationRow x;
  au_show(r, id, status, &x, au_eradication_get, au_eradication_row);
}

static int au_eradication_add(Ctx *c, const void *in, int64_t *id, Err *e) { return app_eradication_add(c, in, id, e); }

/* POST /api/v1/eradications {"org","date","area_mu","methods":[...],
 * "found":{"poppy","cannabis","other"},"destroyed":{...},"location",
 * "case_no","notes"} → 201 with the patrol. */
void api_eradication_create(Req *r) {
  EradicationInput in;
  memset(&in, 0, sizeof in);
  au_create(r, &eradication_record, &in, au_eradication_add, au_eradication_show);
}

/* GET /api/v1/eradications/{id} */
void api_eradication_get(Req *r) { au_eradication_show(r, r->ids[0], 200); }

/* GET /api/v1/eradications?org=&from=&to=&species=&page=&per_page= →
 * {"items":[patrol],"total","page","per_page","totals":{"patrols",
 * "area_mu","found":{...},"destroyed":{...}}}; ?format=xlsx: every row. */
void api_eradication_list(Req *r) {
  Err e;
  err_clear(&e);
  EradicationQuery q = {req_query(r, "org"), req_query(r, "from"), req_query(r, "to"), req_query(r, "species"), 1, 50, NULL};
  au_paging(r, &q.page, &q.per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    export_eradications(r, &q);
    return;
  }
  EradicationRow *rows = NULL;
  int n = 0;
  EradicationTotals tot;
  if (app_eradication_list(&r->ctx, &q, &rows, &n, &tot, &e) != ERR_OK) {
    free(rows);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  au_list_begin(&w);
  for (int i = 0; i < n; i++) au_eradication_json(&w, &rows[i]);
  au_list_end(&w, tot.patrols, q.page, q.per_page);
  jw_key(&w, "totals");
  jw_obj_begin(&w);
  jw_key_int(&w, "patrols", (long long)tot.patrols);
  jw_key_int(&w, "area_mu", (long long)tot.area_mu);
  au_species(&w, "found", tot.found);
  au_species(&w, "destroyed", tot.destroyed);
  jw_obj_end(&w);
  jw_obj_end(&w);
  free(rows);
  json_end(r, &w, 200);
}

/* ---- unit work records ---------------------------------------------------------- */

/* Writes record u as a JSON object. */
static void au_unit_work_json(JsonW *w, const UnitWorkRow *u) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)u->id);
  jw_key_str(w, "org", u->org_code);
  jw_key_str(w, "org_name", u->org_name);
  jw_key_str(w, "kind", u->kind);
  jw_key_str(w, "date", u->date);
  jw_key_str(w, "title", u->title);
  jw_key_str(w, "notes", u->notes);
  jw_key_str(w, "created_by", u->created_by);
  jw_key_str(w, "created_at", u->created_at);
  jw_obj_end(w);
}

static int au_unit_work_get(Ctx *c, int64_t id, void *row, Err *e) { return app_unit_work_get(c, id, row, e); }
static void au_unit_work_row(JsonW *w, const void *row) { au_unit_work_json(w, row); }

/* Answers record id with status. */
static void au_unit_work_show(Req *r, int64_t id, int status) {
  UnitWorkRow u;
  au_show(r, id, status, &u, au_unit_work_get, au_unit_work_row);
}

static int au_unit_work_add(Ctx *c, const void *in, int64_t *id, Err *e) { return app_unit_work_add(c, in, id, e); }

/* POST /api/v1/unit_work {"org","kind","date","title","notes"} → 201. */
void api_unit_work_create(Req *r) {
  UnitWorkInput in;
  memset(&in, 0, sizeof in);
  au_create(r, &unit_work_record, &in, au_unit_work_add, au_unit_work_show);
}

/* GET /api/v1/unit_work/{id} */
void api_unit_work_get(Req *r) { au_unit_work_show(r, r->ids[0], 200); }

/* GET /api/v1/unit_work?org=&kind=&from=&to=&page=&per_page=; ?format=xlsx. */
void api_unit_work_list(Req *r) {
  Err e;
  err_clear(&e);
  UnitWorkQuery q = {req_query(r, "org"), req_query(r, "kind"), req_query(r, "from"), req_query(r, "to"), 1, 50, NULL};
  au_paging(r, &q.page, &q.per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    export_unit_work(r, &q);
    return;
  }
  UnitWorkRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_unit_work_list(&r->ctx, &q, &rows, &n, &total, &e) != ERR_OK) {
    free(rows);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < n; i++) au_unit_work_json(&w, &rows[i]);
  jw_list_end(&w, total, 0, q.page, q.per_page);
  free(rows);
  json_end(r, &w, 200);
}

/* ---- unit tasks ----------------------------------------------------------------- */

/* GET /api/v1/unit_tasks?org=&date= → {"items":[{"org","org_name","task",
 * "dataset","label","period","period_label","state","due_date",
 * "days_overdue","done","required","missed"}],"total","page","per_page"}
 * (every item on one page); ?format=xlsx. */
void api_unit_tasks(Req *r) {
  UnitTaskQuery q = {req_query(r, "org"), req_query(r, "date")};
  if (xlsx_wanted(r)) {
    export_unit_tasks(r, &q);
    return;
  }
  UnitTaskItem *items = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_unit_tasks(&r->ctx, &q, &items, &n, &e) != ERR_OK) {
    free(items);
    resp_error(r, &e);
    return;
  }
  bool en = strcmp(r->lang, "en") == 0;
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < n; i++) {
    const UnitTaskItem *t = &items[i];
    char label[PERIOD_LABEL_LEN], due[DATE_ISO_LEN];
    period_label(t->item.period, en, label, sizeof label);
    date_format(t->item.due, due);
    jw_obj_begin(&w);
    jw_key_str(&w, "org", t->org_code);
    jw_key_str(&w, "org_name", t->org_name);
    jw_key_str(&w, "task", t->task);
    jw_key_str_or_null(&w, "dataset", t->dataset);
    jw_key_str(&w, "label", t->label);
    jw_key_str(&w, "period", t->period);
    jw_key_str(&w, "period_label", label);
    jw_key_str(&w, "state", t->item.state == RHYTHM_OVERDUE ? "overdue" : "due");
    jw_key_str(&w, "due_date", due);
    jw_key_int(&w, "days_overdue", t->item.days_overdue);
    jw_key_int(&w, "done", t->item.done);
    jw_key_int(&w, "required", t->item.required);
    jw_key_int(&w, "missed", t->item.missed);
    jw_obj_end(&w);
  }
  jw_list_end(&w, n, 0, 1, n > 0 ? n : 1);
  free(items);
  json_end(r, &w, 200);
}

/* ---- rhythms -------------------------------------------------------------------- */

/* GET /api/v1/unit_rhythms → {"items":[{"org","org_name","task","level",
 * "period_type","per_period","since","set_by","set_at"}],...}: the
 * rhythms set on the units of the caller's scope and above it. */
void api_unit_rhythm_list(Req *r) {
  UnitRhythmRow *rows = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_unit_rhythm_list(&r->ctx, &rows, &n, &e) != ERR_OK) {
    free(rows);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < n; i++) {
    const UnitRhythmRow *x = &rows[i];
    jw_obj_begin(&w);
    jw_key_str(&w, "org", x->org_code);
    jw_key_str(&w, "org_name", x->org_name);
    jw_key_str(&w, "task", x->task);
    jw_key_str(&w, "level", x->level);
    jw_key_str(&w, "period_type", x->period_type);
    jw_key_int(&w, "per_period", x->per_period);
    jw_key_str(&w, "since", x->since);
    jw_key_str_or_null(&w, "set_by", x->set_by);
    jw_key_str(&w, "set_at", x->set_at);
    jw_obj_end(&w);
  }
  jw_list_end(&w, n, 0, 1, n > 0 ? n : 1);
  free(rows);
  json_end(r, &w, 200);
}

/* POST /api/v1/unit_rhythms {"org","task","level","period_type",
 * "per_period","since"} → 201 (new) or 200 {"org","task","level",
 * "period_type","per_period","since"}. */
void api_unit_rhythm_set(Req *r) {
  UnitRhythmInput in;
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  bool created = false;
  if (body) {
    bind_json(r, body, &unit_rhythm_record, NULL, &in, &e);
    if (e.code == ERR_OK) app_unit_rhythm_set(&r->ctx, &in, &created, &e);
  }
  if (e.code != ERR_OK) {
    bind_json_fail(r, &unit_rhythm_record, &e);
    json_decref(body);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", in.org);
  jw_key_str(&w, "task", in.task);
  jw_key_str(&w, "level", in.level);
  jw_key_str(&w, "period_type", in.period_type);
  jw_key_int(&w, "per_period", in.per_period > 0 ? (long long)in.per_period : 1);
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  jw_key_str(&w, "since", in.since && *in.since ? in.since : today);
  jw_obj_end(&w);
  json_decref(body);
  json_end(r, &w, created ? 201 : 200);
}

/* DELETE /api/v1/unit_rhythms?org=&task=&level= → {"ok":true}: the unit's
 * own rhythm removed (it inherits again); 404 when it had none. */
void api_unit_rhythm_clear(Req *r) {
  Err e;
  err_clear(&e);
  if (app_unit_rhythm_clear(&r->ctx, req_query(r, "org"), req_query(r, "task"), req_query(r, "level"), &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  au_ok(r);
}

void au_ok(Req *r) {
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "ok", true);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}
