/* web/api_prevention.c: the JSON API of the prevention ledgers (API.md
 * "Prevention and unit work", docs/HACKING.md "Prevention ledgers"):
 * activities and surveys (POST, list with totals, one with its history,
 * PUT a correction), the awareness targets of a unit (list, set, clear),
 * and GET /api/v1/vocab, every vocabulary in one table. Bodies are bound by
 * the records' field tables (web/bind.h); lists answer ?format=xlsx
 * (web/export_prevention.c). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/prevention.h"
#include "core/prevention.h"
#include "core/unit_vocab.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/i18n.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* ---- activities ----------------------------------------------------------------- */

/* Writes the materials object of m. */
static void ap_materials(JsonW *w, const int64_t *m) {
  jw_key(w, "materials");
  jw_obj_begin(w);
  for (int i = 0; i < ACTIVITY_MATERIALS; i++) jw_key_int(w, activity_material_vocab[i].code, (long long)m[i]);
  jw_obj_end(w);
}

/* A partner place of an activity. */
static const JwField ap_place_fields[] = {
  JW_AT(ActivityPlaceRef, id, JF_I64), JW_AT(ActivityPlaceRef, name, JF_STR), JW_AT(ActivityPlaceRef, kind, JF_STR),
  {0}};

/* An activity version's members before its partner places, between them
 * and its materials, and after. */
static const JwField ap_activity_head[] = {
  JW_AT(ActivityRow, id, JF_I64), JW_AT(ActivityRow, version, JF_INT), JW_AS("org", ActivityRow, org_code, JF_STR),
  JW_AT(ActivityRow, org_name, JF_STR), JW_AT(ActivityRow, date, JF_STR), JW_AT(ActivityRow, kind, JF_STR),
  JW_AT(ActivityRow, settings, JF_CODES), JW_AT(ActivityRow, campaign, JF_STR_NULL),
  JW_AT(ActivityRow, title, JF_TEXT), JW_AT(ActivityRow, partners, JF_TEXT), {0}};
static const JwField ap_activity_counts[] = {
  JW_AT(ActivityRow, audience, JF_CODES), JW_AT(ActivityRow, participants, JF_I64),
  JW_AT(ActivityRow, consultations, JF_I64), {0}};
static const JwField ap_activity_tail[] = {
  JW_AT(ActivityRow, notes, JF_TEXT), JW_AT(ActivityRow, photos, JF_INT), JW_AT(ActivityRow, reason, JF_TEXT_NULL),
  JW_AT(ActivityRow, created_by, JF_STR), JW_AT(ActivityRow, created_at, JF_STR), {0}};

/* Writes activity version a as a JSON object. */
static void ap_activity_json(JsonW *w, const void *row, const Req *r) {
  (void)r;
  const ActivityRow *a = row;
  jw_obj_begin(w);
  jw_fields(w, ap_activity_head, a);
  jw_key_records(w, "places", a->places, a->nplaces, sizeof *a->places, ap_place_fields);
  jw_fields(w, ap_activity_counts, a);
  ap_materials(w, a->materials);
  jw_key_int(w, "materials_printed", (long long)prevention_materials_printed(a->materials));
  jw_fields(w, ap_activity_tail, a);
  jw_obj_end(w);
}

/* An activity's input with the room for its places. */
typedef struct ApActivityInput {
  ActivityInput in; /* first: the binder fills it at the struct's address */
  int64_t ids[ACTIVITY_PLACES_MAX + 1]; /* one more tells the use case there are too many */
} ApActivityInput;

/* Reads "places" (an array of place ids; absent or null: none) of obj into
 * a (a->in.place_ids pointing at a->ids). */
static void ap_places(json_t *obj, ApActivityInput *a, Err *e) {
  json_t *v = json_object_get(obj, "places");
  a->in.place_ids = a->ids;
  a->in.nplaces = 0;
  if (!v || json_is_null(v)) return;
  size_t i;
  json_t *x;
  if (!json_is_array(v)) {
    err_field(e, "places", "应为场所编号的数组");
    return;
  }
  json_array_foreach(v, i, x) {
    if (!json_is_integer(x) || json_integer_value(x) <= 0) {
      err_field(e, "places", "应为场所编号的数组");
      return;
    }
    if (a->in.nplaces <= ACTIVITY_PLACES_MAX) a->ids[a->in.nplaces++] = json_integer_value(x);
  }
}

static int ap_activity_get(Ctx *c, int64_t id, void *row, Err *e) { return app_activity_get(c, id, row, e); }
static int ap_activity_hist(Ctx *c, int64_t id, void *rows, int *n, Err *e) {
  return app_activity_history(c, id, rows, n, e);
}
static void ap_activity_drop(void *row) { store_activity_row_drop(row); }
static int ap_activity_list(Ctx *c, const void *q, void **rows, int *n, void *tot, Err *e) {
  return app_activity_list(c, q, (ActivityRow **)rows, n, tot, e);
}
static void ap_activity_xlsx(Req *r, const void *q) { export_activities(r, q); }
static int ap_activity_add(Req *r, json_t *body, void *in, int64_t *id, Err *e) {
  ap_places(body, in, e);
  return app_activity_add(&r->ctx, &((ApActivityInput *)in)->in, NULL, id, e);
}
static int ap_activity_correct(Req *r, json_t *body, void *in, int64_t *id, Err *e) {
  (void)id;
  ap_places(body, in, e);
  return app_activity_correct(&r->ctx, r->ids[0], &((ApActivityInput *)in)->in, e);
}

/* "totals":{"activities","participants","consultations","materials":{...},
 * "materials_printed"}. */
static void ap_activity_totals(JsonW *w, const void *totals) {
  const ActivityTotals *tot = totals;
  jw_key_int(w, "activities", (long long)tot->activities);
  jw_key_int(w, "participants", (long long)tot->participants);
  jw_key_int(w, "consultations", (long long)tot->consultations);
  ap_materials(w, tot->materials);
  jw_key_int(w, "materials_printed", (long long)prevention_materials_printed(tot->materials));
}

static const char *const ap_activity_params[] = {"org", "period", "from", "to", "kind", "setting", "campaign", NULL};
_Static_assert(offsetof(ActivityQuery, page) == 7 * sizeof(const char *), "ap_activity_params");
const AuKind ap_activity = {
  .size = sizeof(ActivityRow), .get = ap_activity_get, .history = ap_activity_hist, .json = ap_activity_json,
  .drop = ap_activity_drop, .params = ap_activity_params, .page = offsetof(ActivityQuery, page),
  .per_page = offsetof(ActivityQuery, per_page), .each = offsetof(ActivityQuery, each), .xlsx = ap_activity_xlsx,
  .list_tot = ap_activity_list, .count_at = offsetof(ActivityTotals, activities), .totals = ap_activity_totals,
  .qsize = sizeof(ActivityQuery), .tsize = sizeof(ActivityTotals)};

/* The keys of an activity's JSON the binder leaves to ap_places. */
static const char *const ap_activity_extra[] = {"places", NULL};

/* POSTs (add) or PUTs (correct) an activity; answers with status. */
static void ap_activity_write(Req *r, BindActFn act, int64_t id, int status) {
  ApActivityInput in;
  memset(&in, 0, sizeof in);
  int64_t made;
  if (bind_json_act(r, &activity_record, ap_activity_extra, &in, act, &made))
    au_show(r, &ap_activity, id ? id : made, status);
}

/* POST /api/v1/activities {"org","date","kind","settings":[...],"campaign",
 * "title","partners","places":[place ids],"audience":[...],"participants",
 * "consultations","materials":{...},"notes"} → 201 with the activity. */
void api_activity_create(Req *r) { ap_activity_write(r, ap_activity_add, 0, 201); }

/* GET /api/v1/activities/{id}[?history=1] */
void api_activity_get(Req *r) { au_show(r, &ap_activity, r->ids[0], 200); }

/* PUT /api/v1/activities/{id} {every field as on POST, "reason"} → 200 with
 * the new version; the versions before stay (?history=1). */
void api_activity_put(Req *r) { ap_activity_write(r, ap_activity_correct, r->ids[0], 200); }

/* GET /api/v1/activities?org=&period=&from=&to=&kind=&setting=&campaign=
 * &page=&per_page= → {"items","total","page","per_page","totals":{
 * "activities","participants","consultations","materials":{...},
 * "materials_printed"}}; ?format=xlsx: every row. */
void api_activity_list(Req *r) { au_list(r, &ap_activity); }

/* ---- surveys -------------------------------------------------------------------- */

/* Writes the rate aware ÷ respondents with one decimal, or null. */
static void ap_rate(JsonW *w, int64_t aware, int64_t respondents) {
  int64_t tenths;
  if (awareness_rate_tenths(aware, respondents, &tenths)) jw_tenths(w, tenths);
  else jw_null(w);
}

/* A survey version's awareness rate, and whether it meets its target. */
static void ap_survey_rate(JsonW *w, const void *row) {
  const SurveyRow *s = row;
  ap_rate(w, s->aware, s->respondents);
}
static void ap_survey_met(JsonW *w, const void *row) {
  const SurveyRow *s = row;
  jw_bool(w, awareness_met(s->aware, s->respondents, s->target));
}

/* A survey version. */
static const JwField ap_survey_fields[] = {
  JW_AT(SurveyRow, id, JF_I64), JW_AT(SurveyRow, version, JF_INT), JW_AS("org", SurveyRow, org_code, JF_STR),
  JW_AT(SurveyRow, org_name, JF_STR), JW_AT(SurveyRow, date, JF_STR), JW_AT(SurveyRow, group, JF_STR),
  JW_AT(SurveyRow, method, JF_STR), JW_AT(SurveyRow, title, JF_TEXT), JW_AT(SurveyRow, respondents, JF_I64),
  JW_AT(SurveyRow, aware, JF_I64), JW_FN("rate", ap_survey_rate), JW_AT(SurveyRow, target, JF_INT),
  JW_FN("met", ap_survey_met), JW_AT(SurveyRow, notes, JF_TEXT), JW_AT(SurveyRow, reason, JF_TEXT_NULL),
  JW_AT(SurveyRow, created_by, JF_STR), JW_AT(SurveyRow, created_at, JF_STR), {0}};

/* "totals":{"surveys","respondents","aware","rate","met"}. */
static void ap_survey_totals(JsonW *w, const void *totals) {
  const SurveyTotals *tot = totals;
  jw_key_int(w, "surveys", (long long)tot->surveys);
  jw_key_int(w, "respondents", (long long)tot->respondents);
  jw_key_int(w, "aware", (long long)tot->aware);
  jw_key(w, "rate");
  ap_rate(w, tot->aware, tot->respondents);
  jw_key_int(w, "met", (long long)tot->met);
}

static int ap_survey_get(Ctx *c, int64_t id, void *row, Err *e) { return app_survey_get(c, id, row, e); }
static int ap_survey_hist(Ctx *c, int64_t id, void *rows, int *n, Err *e) {
  return app_survey_history(c, id, rows, n, e);
}
static void ap_survey_drop(void *row) { store_survey_row_drop(row); }
static int ap_survey_list(Ctx *c, const void *q, void **rows, int *n, void *tot, Err *e) {
  return app_survey_list(c, q, (SurveyRow **)rows, n, tot, e);
}
static void ap_survey_xlsx(Req *r, const void *q) { export_surveys(r, q); }
static int ap_survey_add(Req *r, const void *in, int64_t *id, Err *e) { return app_survey_add(&r->ctx, in, id, e); }
static int ap_survey_correct(Req *r, const void *in, int64_t *id, Err *e) {
  return app_survey_correct(&r->ctx, *id, in, e);
}

static const char *const ap_survey_params[] = {"org", "period", "from", "to", "group", "method", NULL};
_Static_assert(offsetof(SurveyQuery, page) == 6 * sizeof(const char *), "ap_survey_params");
const AuKind ap_survey = {
  .size = sizeof(SurveyRow), .get = ap_survey_get, .history = ap_survey_hist, .fields = ap_survey_fields,
  .drop = ap_survey_drop, .params = ap_survey_params, .page = offsetof(SurveyQuery, page),
  .per_page = offsetof(SurveyQuery, per_page), .each = offsetof(SurveyQuery, each), .xlsx = ap_survey_xlsx,
  .list_tot = ap_survey_list, .count_at = offsetof(SurveyTotals, surveys), .totals = ap_survey_totals,
  .qsize = sizeof(SurveyQuery), .tsize = sizeof(SurveyTotals), .isize = sizeof(SurveyInput), .spec = &survey_record,
  .add = ap_survey_add};



/* POST /api/v1/surveys {"org","date","group","method","title",
 * "respondents","aware","notes"} → 201 with rate, target, met. */
void api_survey_create(Req *r) { au_create(r, &ap_survey); }

/* GET /api/v1/surveys/{id}[?history=1] */
void api_survey_get(Req *r) { au_show(r, &ap_survey, r->ids[0], 200); }

/* PUT /api/v1/surveys/{id}: a correction (as activities). */
void api_survey_put(Req *r) { au_change(r, &ap_survey, &survey_record, sizeof(SurveyInput), ap_survey_correct); }

/* GET /api/v1/surveys?org=&period=&from=&to=&group=&method=&page=&per_page=
 * → the list with "totals":{"surveys","respondents","aware","rate","met"}. */
void api_survey_list(Req *r) { au_list(r, &ap_survey); }

/* ---- awareness targets ---------------------------------------------------------- */

/* GET /api/v1/awareness_targets?org= → {"org","org_name","items":[{"group",
 * "label","target","default","set_on","own"}]}: the target in force per
 * group on the unit and where it comes from. */
void api_awareness_targets(Req *r) {
  Err e;
  err_clear(&e);
  OrgUnit u;
  AwarenessTargetView v[SURVEY_GROUPS];
  JsonW w;
  if (!json_obj_open(r, app_awareness_targets(&r->ctx, req_query(r, "org"), &u, v, &e), &e, &w)) return;
  jw_key_str(&w, "org", u.code);
  jw_key_str(&w, "org_name", u.name);
  jw_key(&w, "items");
  jw_arr_begin(&w);
  for (int g = 0; g < SURVEY_GROUPS; g++) {
    jw_obj_begin(&w);
    jw_key_str(&w, "group", v[g].group);
    jw_key_str(&w, "label", T(r, survey_group_vocab[g].label_zh));
    jw_key_int(&w, "target", v[g].target);
    jw_key_bool(&w, "default", v[g].is_default);
    jw_key_str_or_null(&w, "set_on", v[g].set_on);
    jw_key_bool(&w, "own", v[g].own);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* POST /api/v1/awareness_targets {"org","group","target"} → 201 (new) or
 * 200 {"org","group","target"}. */
void api_awareness_target_set(Req *r) {
  static const char *const allowed[] = {"org", "group", "target", NULL};
  json_t *body = json_body_only(r, allowed);
  if (!body) return;
  Err e;
  err_clear(&e);
  const char *org = NULL, *group = NULL;
  json_get_str(body, "org", &org, &e);
  json_get_str(body, "group", &group, &e);
  json_t *t = json_object_get(body, "target");
  int64_t target = -1;
  if (!json_is_integer(t)) err_field(&e, "target", "应在0到100之间");
  else target = json_integer_value(t);
  bool created = false;
  if (e.code == ERR_OK) app_awareness_target_set(&r->ctx, org, group, target, &created, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    json_decref(body);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", org);
  jw_key_str(&w, "group", group);
  jw_key_int(&w, "target", (long long)target);
  jw_obj_end(&w);
  json_decref(body);
  json_end(r, &w, created ? 201 : 200);
}

/* DELETE /api/v1/awareness_targets?org=&group= → {"ok":true}: the unit
 * inherits again; 404 when it had none. */
void api_awareness_target_clear(Req *r) {
  Err e;
  err_clear(&e);
  json_ok_or(r, app_awareness_target_clear(&r->ctx, req_query(r, "org"), req_query(r, "group"), &e), &e);
}

/* ---- vocabularies --------------------------------------------------------------- */

/* Every vocabulary GET /api/v1/vocab lists, in one table: its name in the
 * answer and its {code, Chinese label} array. A feature adds its rows in
 * its own block (place kinds and letter kinds: the places work). */
static const struct {
  const char *name;
  const UnitTerm *terms;
} ap_vocabs[] = {
  /* prevention ledgers (core/prevention.h) */
  {"activity_kinds", activity_kind_vocab},
  {"activity_settings", activity_setting_vocab},
  {"activity_campaigns", activity_campaign_vocab},
  {"activity_audience", activity_audience_vocab},
  {"survey_groups", survey_group_vocab},
  {"survey_methods", survey_method_vocab},
  /* unit work (core/unit_vocab.h) */
  {"eradication_species", eradication_species_vocab},
  {"eradication_methods", eradication_method_vocab},
  {"unit_tasks", unit_task_vocab},
  {"rhythm_periods", rhythm_period_vocab},
  {"unit_levels", unit_level_vocab},
  /* places and partner units, letters (add here) */
};

/* GET /api/v1/vocab → {"NAME":[{"code","label_zh","label"}],...,
 * "activity_materials":[{"code","label_zh","label","printed"}],
 * "survey_groups" items also "target_default"}: label in the request's
 * language. */
void api_vocab(Req *r) {
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  for (size_t v = 0; v < sizeof ap_vocabs / sizeof ap_vocabs[0]; v++) {
    jw_key(&w, ap_vocabs[v].name);
    jw_arr_begin(&w);
    for (const UnitTerm *t = ap_vocabs[v].terms; t->code; t++) {
      jw_obj_begin(&w);
      jw_key_str(&w, "code", t->code);
      jw_key_str(&w, "label_zh", t->label_zh);
      jw_key_str(&w, "label", T(r, t->label_zh));
      if (ap_vocabs[v].terms == survey_group_vocab) jw_key_int(&w, "target_default", survey_group_default(t->code));
      jw_obj_end(&w);
    }
    jw_arr_end(&w);
  }
  jw_key(&w, "activity_materials");
  jw_arr_begin(&w);
  for (int i = 0; i < ACTIVITY_MATERIALS; i++) {
    jw_obj_begin(&w);
    jw_key_str(&w, "code", activity_material_vocab[i].code);
    jw_key_str(&w, "label_zh", activity_material_vocab[i].label_zh);
    jw_key_str(&w, "label", T(r, activity_material_vocab[i].label_zh));
    jw_key_bool(&w, "printed", activity_material_vocab[i].printed);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}
