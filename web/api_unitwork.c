/* web/api_unitwork.c: the JSON API of unit work (docs/HACKING.md "Unit
 * work"): eradication patrols (POST, list with totals, one), unit work
 * records (POST, list, one), the unit tasks due as of a day, and the
 * rhythms of unit tasks (list, set, clear). Bodies are bound by the
 * records' field tables (web/bind.h); lists answer ?format=xlsx. */
#include <stddef.h>
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

/* ---- eradication patrols -------------------------------------------------------- */

/* Writes the per-species object of counts v. */
static void au_species(JsonW *w, const int64_t *v) {
  jw_obj_begin(w);
  for (int i = 0; i < ERADICATION_SPECIES; i++) jw_key_int(w, eradication_species_vocab[i].code, (long long)v[i]);
  jw_obj_end(w);
}

/* A patrol's counts by species, and their sums. */
static void au_found(JsonW *w, const void *row) { au_species(w, ((const EradicationRow *)row)->found); }
static void au_destroyed(JsonW *w, const void *row) { au_species(w, ((const EradicationRow *)row)->destroyed); }
static int64_t au_sum(const int64_t *v) {
  int64_t sum = 0;
  for (int i = 0; i < ERADICATION_SPECIES; i++) sum += v[i];
  return sum;
}
static void au_found_total(JsonW *w, const void *row) { jw_int(w, au_sum(((const EradicationRow *)row)->found)); }
static void au_destroyed_total(JsonW *w, const void *row) {
  jw_int(w, au_sum(((const EradicationRow *)row)->destroyed));
}

/* A patrol. */
static const JwField au_eradication_fields[] = {
  JW_AT(EradicationRow, id, JF_I64), JW_AS("org", EradicationRow, org_code, JF_STR),
  JW_AT(EradicationRow, org_name, JF_STR), JW_AT(EradicationRow, date, JF_STR),
  JW_AT(EradicationRow, area_mu, JF_I64), JW_AT(EradicationRow, methods, JF_CODES),
  JW_AT(EradicationRow, location, JF_STR), JW_FN("found", au_found), JW_FN("destroyed", au_destroyed),
  JW_FN("found_total", au_found_total), JW_FN("destroyed_total", au_destroyed_total),
  JW_AT(EradicationRow, case_no, JF_STR_NULL), JW_AT(EradicationRow, notes, JF_STR),
  JW_AT(EradicationRow, created_by, JF_STR), JW_AT(EradicationRow, created_at, JF_STR), {0}};

/* "totals":{"patrols","area_mu","found":{...},"destroyed":{...}}. */
static void au_eradication_totals(JsonW *w, const void *totals) {
  const EradicationTotals *tot = totals;
  jw_key_int(w, "patrols", (long long)tot->patrols);
  jw_key_int(w, "area_mu", (long long)tot->area_mu);
  jw_key(w, "found");
  au_species(w, tot->found);
  jw_key(w, "destroyed");
  au_species(w, tot->destroyed);
}

static int au_eradication_get(Ctx *c, int64_t id, void *row, Err *e) { return app_eradication_get(c, id, row, e); }
static int au_eradication_list(Ctx *c, const void *q, void **rows, int *n, void *tot, Err *e) {
  return app_eradication_list(c, q, (EradicationRow **)rows, n, tot, e);
}
static void au_eradication_xlsx(Req *r, const void *q) { export_eradications(r, q); }
static int au_eradication_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_eradication_add(&r->ctx, in, id, e);
}

static const char *const au_eradication_params[] = {"org", "from", "to", "species", NULL};
_Static_assert(offsetof(EradicationQuery, page) == 4 * sizeof(const char *), "au_eradication_params");
const AuKind au_eradication = {
  .size = sizeof(EradicationRow), .get = au_eradication_get, .fields = au_eradication_fields,
  .params = au_eradication_params, .page = offsetof(EradicationQuery, page),
  .per_page = offsetof(EradicationQuery, per_page), .each = offsetof(EradicationQuery, each),
  .xlsx = au_eradication_xlsx, .list_tot = au_eradication_list, .count_at = offsetof(EradicationTotals, patrols),
  .totals = au_eradication_totals, .qsize = sizeof(EradicationQuery), .tsize = sizeof(EradicationTotals),
  .isize = sizeof(EradicationInput), .spec = &eradication_record, .add = au_eradication_add};

/* POST /api/v1/eradications {"org","date","area_mu","methods":[...],
 * "found":{"poppy","cannabis","other"},"destroyed":{...},"location",
 * "case_no","notes"} → 201 with the patrol. */
void api_eradication_create(Req *r) { au_create(r, &au_eradication); }

/* GET /api/v1/eradications/{id} */
void api_eradication_get(Req *r) { au_show(r, &au_eradication, r->ids[0], 200); }

/* GET /api/v1/eradications?org=&from=&to=&species=&page=&per_page= →
 * {"items":[patrol],"total","page","per_page","totals":{"patrols",
 * "area_mu","found":{...},"destroyed":{...}}}; ?format=xlsx: every row. */
void api_eradication_list(Req *r) { au_list(r, &au_eradication); }

/* ---- unit work records ---------------------------------------------------------- */

/* A unit work record. */
static const JwField au_unit_work_fields[] = {
  JW_AT(UnitWorkRow, id, JF_I64), JW_AS("org", UnitWorkRow, org_code, JF_STR),
  JW_AT(UnitWorkRow, org_name, JF_STR), JW_AT(UnitWorkRow, kind, JF_STR),
  JW_AT(UnitWorkRow, date, JF_STR), JW_AT(UnitWorkRow, title, JF_STR),
  JW_AT(UnitWorkRow, notes, JF_STR), JW_AT(UnitWorkRow, created_by, JF_STR),
  JW_AT(UnitWorkRow, created_at, JF_STR), {0}};

static int au_unit_work_get(Ctx *c, int64_t id, void *row, Err *e) { return app_unit_work_get(c, id, row, e); }
static int au_unit_work_list(Ctx *c, const void *q, void **rows, int *n, int64_t *total, void *tot, Err *e) {
  (void)tot;
  return app_unit_work_list(c, q, (UnitWorkRow **)rows, n, total, e);
}
static void au_unit_work_xlsx(Req *r, const void *q) { export_unit_work(r, q); }
static int au_unit_work_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_unit_work_add(&r->ctx, in, id, e);
}

static const char *const au_unit_work_params[] = {"org", "kind", "from", "to", NULL};
_Static_assert(offsetof(UnitWorkQuery, page) == 4 * sizeof(const char *), "au_unit_work_params");
const AuKind au_unit_work = {
  .size = sizeof(UnitWorkRow), .get = au_unit_work_get, .fields = au_unit_work_fields, .params = au_unit_work_params,
  .page = offsetof(UnitWorkQuery, page), .per_page = offsetof(UnitWorkQuery, per_page), .each = offsetof(UnitWorkQuery, each), .xlsx = au_unit_work_xlsx,
  .list = au_unit_work_list, .qsize = sizeof(UnitWorkQuery), .isize = sizeof(UnitWorkInput),
  .spec = &unit_work_record, .add = au_unit_work_add};

/* POST /api/v1/unit_work {"org","kind","date","title","notes"} → 201. */
void api_unit_work_create(Req *r) { au_create(r, &au_unit_work); }

/* GET /api/v1/unit_work/{id} */
void api_unit_work_get(Req *r) { au_show(r, &au_unit_work, r->ids[0], 200); }

/* GET /api/v1/unit_work?org=&kind=&from=&to=&page=&per_page=; ?format=xlsx. */
void api_unit_work_list(Req *r) { au_list(r, &au_unit_work); }

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

/* A rhythm row. */
static const JwField au_rhythm_fields[] = {
  JW_AS("org", UnitRhythmRow, org_code, JF_STR), JW_AT(UnitRhythmRow, org_name, JF_STR),
  JW_AT(UnitRhythmRow, task, JF_STR), JW_AT(UnitRhythmRow, level, JF_STR),
  JW_AT(UnitRhythmRow, period_type, JF_STR), JW_AT(UnitRhythmRow, per_period, JF_INT),
  JW_AT(UnitRhythmRow, since, JF_STR), JW_AT(UnitRhythmRow, set_by, JF_STR_NULL),
  JW_AT(UnitRhythmRow, set_at, JF_STR), {0}};
static void au_rhythm_json(JsonW *w, const void *row) { jw_record(w, au_rhythm_fields, row); }
static int au_rhythm_fetch(Ctx *c, void *rows, int *n, Err *e) { return app_unit_rhythm_list(c, rows, n, e); }

/* GET /api/v1/unit_rhythms → {"items":[{"org","org_name","task","level",
 * "period_type","per_period","since","set_by","set_at"}],...}: the
 * rhythms set on the units of the caller's scope and above it. */
void api_unit_rhythm_list(Req *r) { json_list_fetch_all(r, au_rhythm_fetch, sizeof(UnitRhythmRow), au_rhythm_json); }

/* Sets the rhythm in (bound when e is clean) and answers it: 201 (new) or
 * 200 {"org","task","level","period_type","per_period","since"} (in points
 * into the body: answered before it is released). */
static int au_rhythm_set(Req *r, const void *input, int64_t *id, Err *e) {
  (void)id;
  const UnitRhythmInput *in = input;
  bool created = false;
  if (e->code != ERR_OK || app_unit_rhythm_set(&r->ctx, in, &created, e) != ERR_OK) return e->code;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", in->org);
  jw_key_str(&w, "task", in->task);
  jw_key_str(&w, "level", in->level);
  jw_key_str(&w, "period_type", in->period_type);
  jw_key_int(&w, "per_period", in->per_period > 0 ? (long long)in->per_period : 1);
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  jw_key_str(&w, "since", in->since && *in->since ? in->since : today);
  jw_obj_end(&w);
  json_end(r, &w, created ? 201 : 200);
  return ERR_OK;
}

/* POST /api/v1/unit_rhythms {"org","task","level","period_type",
 * "per_period","since"} → 201 (new) or 200 {"org","task","level",
 * "period_type","per_period","since"}. */
void api_unit_rhythm_set(Req *r) { au_act(r, &unit_rhythm_record, sizeof(UnitRhythmInput), au_rhythm_set, NULL); }

/* DELETE /api/v1/unit_rhythms?org=&task=&level= → {"ok":true}: the unit's
 * own rhythm removed (it inherits again); 404 when it had none. */
void api_unit_rhythm_clear(Req *r) {
  Err e;
  err_clear(&e);
  json_ok_or(r, app_unit_rhythm_clear(&r->ctx, req_query(r, "org"), req_query(r, "task"), req_query(r, "level"), &e), &e);
}
