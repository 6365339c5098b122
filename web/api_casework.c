/* web/api_casework.c: the JSON API of casework (docs/HACKING.md
 * "Casework"): a person's whole history as paged lists (visits, tests,
 * events, plan versions, services), the case plan's new versions, services
 * and their steps, the complete file, the roles a unit requires of help
 * teams, and the casework vocabularies. Every list of a person is scoped
 * and an audited read (app/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/casework.h"
#include "app/supervision.h"
#include "core/casework.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/json.h"
#include "web/page.h"
#include "web/page_casework.h"
#include "web/routes.h"

/* ---- the whole history ------------------------------------------------------------ */

/* Answers the page of person r->ids[0]'s list fn (items of size sz, each
 * written by item) as {"items","total","page","per_page"}, or the error. */
static void ac_person_list(Req *r, PagePersonListFn fn, size_t sz, JwItem item) {
  int page, per_page;
  if (!json_paging(r, 20, &page, &per_page)) return;
  void *v = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  int rc = fn(&r->ctx, r->ids[0], page, per_page, &v, &n, &total, &e);
  json_list_answer(r, rc, &e, v, n, sz, item, total, 0, page, per_page);
}

static const JwField ac_visit_fields[] = {
  JW_AT(VisitRecord, id, JF_I64), JW_AT(VisitRecord, date, JF_STR), JW_AT(VisitRecord, kind, JF_STR),
  JW_AT(VisitRecord, worker, JF_STR), JW_AT(VisitRecord, place, JF_STR), JW_AT(VisitRecord, notes, JF_STR),
  JW_AT(VisitRecord, notes_hidden, JF_BOOL), JW_AT(VisitRecord, voided, JF_BOOL),
  JW_AT(VisitRecord, corrects_id, JF_REF), JW_AT(VisitRecord, created_at, JF_STR), {0}};
static const JwField ac_test_fields[] = {
  JW_AT(TestRecord, id, JF_I64), JW_AT(TestRecord, date, JF_STR), JW_AT(TestRecord, sample, JF_STR),
  JW_AT(TestRecord, reason, JF_STR), JW_AT(TestRecord, result, JF_STR), JW_AT(TestRecord, substances, JF_STR),
  JW_AT(TestRecord, tester, JF_STR), JW_AT(TestRecord, recorded_by, JF_STR), JW_AT(TestRecord, voided, JF_BOOL),
  JW_AT(TestRecord, corrects_id, JF_REF), JW_AT(TestRecord, created_at, JF_STR), {0}};
static const JwField ac_event_fields[] = {
  JW_AT(EventRecord, id, JF_I64), JW_AT(EventRecord, kind, JF_STR), JW_AT(EventRecord, date, JF_STR),
  JW_AT(EventRecord, until, JF_STR_NULL), JW_AT(EventRecord, days, JF_INT),
  JW_AS("to_org", EventRecord, to_org_code, JF_STR_NULL), JW_AT(EventRecord, note, JF_STR),
  JW_AT(EventRecord, status, JF_STR_NULL), JW_AT(EventRecord, created_by, JF_STR),
  JW_AT(EventRecord, created_at, JF_STR), {0}};
static void ac_visit_json(JsonW *w, const void *item) { jw_record(w, ac_visit_fields, item); }
static void ac_test_json(JsonW *w, const void *item) { jw_record(w, ac_test_fields, item); }
static void ac_event_json(JsonW *w, const void *item) { jw_record(w, ac_event_fields, item); }

/* GET /api/v1/persons/{id}/visits?page=&per_page= → {"items":[{"id","date",
 * "kind","worker","place","notes","notes_hidden","voided","corrects_id",
 * "created_at"}],"total","page","per_page"}, newest first (notes "" for the
 * police liaison). */
void api_person_visits(Req *r) { ac_person_list(r, page_visit_rows, sizeof(VisitRecord), ac_visit_json); }

/* GET /api/v1/persons/{id}/tests?page=&per_page= → the drug tests, newest first. */
void api_person_tests(Req *r) { ac_person_list(r, page_test_rows, sizeof(TestRecord), ac_test_json); }

/* GET /api/v1/persons/{id}/events?page=&per_page= → the events, newest first. */
void api_person_events(Req *r) { ac_person_list(r, page_event_rows, sizeof(EventRecord), ac_event_json); }

/* ---- the case plan ---------------------------------------------------------------- */

static const JwField ac_measure_fields[] = {
  JW_AT(PlanMeasureRow, content, JF_STR), JW_AT(PlanMeasureRow, start_date, JF_STR),
  JW_AT(PlanMeasureRow, responsible, JF_STR), {0}};

static void ac_plan_json(JsonW *w, const PlanRow *p) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)p->id);
  jw_key_int(w, "version", p->version);
  jw_key_str(w, "goals", p->goals);
  jw_key_str(w, "review_date", p->review_date);
  jw_key_str(w, "responsible", p->responsible);
  jw_key_str(w, "note", p->note);
  jw_key_records(w, "measures", p->measures, p->nmeasures, sizeof p->measures[0], ac_measure_fields);
  jw_key_str(w, "created_by", p->created_by);
  jw_key_str(w, "created_at", p->created_at);
  jw_obj_end(w);
}

static void ac_plan_item(JsonW *w, const void *item) { ac_plan_json(w, item); }
static int ac_plans(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_plan_list(c, p, pg, pp, (PlanRow **)v, n, t, e);
}

/* GET /api/v1/persons/{id}/plan?page=&per_page= → {"items":[version],...},
 * the current version first. */
void api_person_plan(Req *r) { ac_person_list(r, ac_plans, sizeof(PlanRow), ac_plan_item); }

/* Reads the measures array v into in (field "measures" on a wrong shape). */
static void ac_read_measures(json_t *v, PlanInput *in, Err *e) {
  static const char *const M_SHAPE = "应为由 {content,start_date,responsible} 对象组成的数组";
  if (!json_is_array(v)) {
    err_field(e, "measures", M_SHAPE);
    return;
  }
  in->nmeasures = (int)json_array_size(v);
  if (in->nmeasures > PLAN_MEASURES_MAX) return; /* the use case says so */
  for (int i = 0; i < in->nmeasures; i++) {
    json_t *m = json_array_get(v, (size_t)i);
    const char *key;
    json_t *x;
    if (!json_is_object(m)) {
      err_field(e, "measures", M_SHAPE);
      return;
    }
    json_object_foreach(m, key, x) {
      const char **slot = strcmp(key, "content") == 0      ? &in->measures[i].content
                          : strcmp(key, "start_date") == 0 ? &in->measures[i].start_date
                          : strcmp(key, "responsible") == 0 ? &in->measures[i].responsible
                                                            : NULL;
      if (!slot || !(json_is_string(x) || json_is_null(x))) {
        err_field(e, "measures", M_SHAPE);
        return;
      }
      *slot = json_is_string(x) ? json_string_value(x) : "";
    }
  }
}

/* POST /api/v1/persons/{id}/plan {"goals","review_date","responsible",
 * "note","measures":[{"content","start_date","responsible"}]} → 201 with
 * the new version. */
void api_person_plan_create(Req *r) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  PlanInput in;
  memset(&in, 0, sizeof in);
  int64_t id = 0;
  if (body) {
    static const char *const extra[] = {"measures", NULL};
    bind_json(r, body, &plan_record, extra, &in, &e);
    json_t *m = json_object_get(body, "measures");
    if (m) ac_read_measures(m, &in, &e);
    if (e.code == ERR_OK || !err_field_msg(&e, "measures")) app_plan_add(&r->ctx, r->ids[0], &in, &id, &e);
  }
  if (e.code != ERR_OK) bind_json_fail(r, &plan_record, &e);
  json_decref(body);
  if (e.code != ERR_OK) return;
  PlanRow *p = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_plan_list(&r->ctx, r->ids[0], 1, 1, &p, &n, &total, &e) != ERR_OK || n == 0) {
    free(p);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  ac_plan_json(&w, &p[0]);
  json_end(r, &w, 201);
  free(p);
}

/* ---- services ------------------------------------------------------------------------ */

static const JwField ac_step_fields[] = {
  JW_AT(ServiceStepRow, state, JF_STR), JW_AT(ServiceStepRow, date, JF_STR),
  JW_AT(ServiceStepRow, reason, JF_STR_NULL), JW_AT(ServiceStepRow, outcome, JF_STR),
  JW_AT(ServiceStepRow, follow_up_date, JF_STR_NULL), JW_AT(ServiceStepRow, created_by, JF_STR),
  JW_AT(ServiceStepRow, created_at, JF_STR), {0}};

/* The label of a service's kind (its code when the vocabulary has none). */
static void ac_service_kind_label(JsonW *w, const void *row) {
  const ServiceRow *s = row;
  jw_str(w, page_or(unit_term_label(service_kind_vocab, s->kind), s->kind));
}

static const JwField ac_service_fields[] = {
  JW_AT(ServiceRow, id, JF_I64), JW_AT(ServiceRow, person_id, JF_I64), JW_AT(ServiceRow, kind, JF_STR),
  JW_FN("kind_label", ac_service_kind_label), JW_AT(ServiceRow, kind_other, JF_STR_NULL),
  JW_AT(ServiceRow, provider, JF_STR), JW_AT(ServiceRow, provider_place_id, JF_REF),
  JW_AT(ServiceRow, referral_date, JF_STR), JW_AT(ServiceRow, state, JF_STR), JW_AT(ServiceRow, state_date, JF_STR),
  JW_AT(ServiceRow, decline_reason, JF_STR_NULL), JW_AT(ServiceRow, outcome, JF_STR),
  JW_AT(ServiceRow, follow_up_date, JF_STR_NULL), JW_AT(ServiceRow, note, JF_STR),
  JW_AT(ServiceRow, created_by, JF_STR), JW_AT(ServiceRow, created_at, JF_STR), {0}};

static void ac_service_json(JsonW *w, const ServiceRow *s, const ServiceStepRow *steps, int nsteps) {
  jw_obj_begin(w);
  jw_fields(w, ac_service_fields, s);
  if (steps) jw_key_records(w, "steps", steps, nsteps, sizeof *steps, ac_step_fields);
  jw_obj_end(w);
}

/* Answers service id with its steps and status. */
static void ac_service_show(Req *r, int64_t id, int status) {
  ServiceStepRow *steps;
  int n;
  ServiceRow *s = page_service_load(r, id, &steps, &n);
  if (!s) return;
  JsonW w;
  json_begin(r, &w);
  ac_service_json(&w, s, steps, n);
  json_end(r, &w, status);
  free(steps);
  free(s);
}

static void ac_service_item(JsonW *w, const void *item) { ac_service_json(w, item, NULL, 0); }
static int ac_services(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_service_list(c, p, pg, pp, (ServiceRow **)v, n, t, e);
}

/* GET /api/v1/persons/{id}/services?page=&per_page= → the services, newest first. */
void api_person_services(Req *r) { ac_person_list(r, ac_services, sizeof(ServiceRow), ac_service_item); }

static int ac_service_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_service_add(&r->ctx, r->ids[0], in, id, e);
}
static int ac_service_step(Req *r, const void *in, int64_t *id, Err *e) {
  return app_service_step(&r->ctx, *id, in, NULL, e);
}

/* POST /api/v1/persons/{id}/services {"kind","kind_other","provider",
 * "referral_date","outcome","follow_up_date","note"} → 201 with the service. */
void api_person_service_create(Req *r) {
  int64_t id;
  if (au_act(r, &service_record, sizeof(ServiceInput), ac_service_add, &id)) ac_service_show(r, id, 201);
}

/* GET /api/v1/services/{id} → the service with its steps. */
void api_service_get(Req *r) { ac_service_show(r, r->ids[0], 200); }

/* POST /api/v1/services/{id}/steps {"state","date","reason","outcome",
 * "follow_up_date"} → 201 with the service. */
void api_service_step(Req *r) {
  int64_t id;
  if (au_act(r, &service_step_record, sizeof(ServiceStepInput), ac_service_step, &id)) ac_service_show(r, id, 201);
}

/* ---- the complete file ----------------------------------------------------------------- */

/* Writes the codes of the role bits mask as an array. */
static void ac_roles(JsonW *w, const char *key, unsigned mask) {
  jw_key(w, key);
  jw_arr_begin(w);
  for (int i = 0; help_role_vocab[i].code; i++)
    if (mask & (1u << i)) jw_str(w, help_role_vocab[i].code);
  jw_arr_end(w);
}

/* GET /api/v1/persons/{id}/file → {"applies","complete","missing":[{"check",
 * "label"}],"required_roles":[...],"team_roles":[...],"missing_roles":[...],
 * "required_by"}: the complete file (档案完整) as of today. */
void api_person_file(Req *r) {
  CaseFileCheck f;
  Err e;
  err_clear(&e);
  JsonW w;
  if (!json_obj_open(r, app_casework_file(&r->ctx, r->ids[0], &f, &e), &e, &w)) return;
  jw_key_bool(&w, "applies", f.applies);
  jw_key(&w, "complete");
  if (f.applies) jw_bool(&w, f.missing == 0);
  else jw_null(&w);
  jw_key(&w, "missing");
  jw_arr_begin(&w);
  for (int i = 0; file_check_vocab[i].code; i++)
    if (f.missing & (1u << i)) {
      jw_obj_begin(&w);
      jw_key_str(&w, "check", file_check_vocab[i].code);
      jw_key_str(&w, "label", file_check_vocab[i].label_zh);
      jw_obj_end(&w);
    }
  jw_arr_end(&w);
  ac_roles(&w, "required_roles", f.required_roles);
  ac_roles(&w, "team_roles", f.team_roles);
  ac_roles(&w, "missing_roles", f.required_roles & ~f.team_roles);
  jw_key_str_or_null(&w, "required_by", f.required_by);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* ---- the roles a unit requires ---------------------------------------------------------- */

/* Answers the requirement of unit org (NULL: the actor's). */
static void ac_requirement(Req *r, const char *org, int status) {
  char from[128];
  bool own = false;
  unsigned mask = 0;
  Err e;
  err_clear(&e);
  JsonW w;
  if (!json_obj_open(r, app_team_requirement_get(&r->ctx, org, &mask, &own, from, sizeof from, &e), &e, &w)) return;
  ac_roles(&w, "roles", mask);
  jw_key_bool(&w, "own", own);
  jw_key_str_or_null(&w, "from", from);
  jw_obj_end(&w);
  json_end(r, &w, status);
}

/* GET /api/v1/team_requirement?org= → {"roles":[...],"own","from"}. */
void api_team_requirement_get(Req *r) { ac_requirement(r, req_query(r, "org"), 200); }

/* PUT /api/v1/team_requirement {"org","roles": "four"|"six"|[codes]|null} →
 * 200 with the requirement; null removes the unit's own. */
void api_team_requirement_put(Req *r) {
  static const char *const keys[] = {"org", "roles", NULL};
  json_t *body = json_body_only(r, keys);
  if (!body) return;
  Err e;
  err_clear(&e);
  const char *org = json_string_value(json_object_get(body, "org"));
  json_t *roles = json_object_get(body, "roles");
  Buf list = BUF_INIT;
  if (json_is_string(roles)) buf_puts(&list, json_string_value(roles));
  else if (json_is_array(roles)) {
    size_t i;
    json_t *x;
    json_array_foreach(roles, i, x) {
      if (!json_is_string(x)) err_field(&e, "roles", "应为角色代码组成的数组");
      else buf_printf(&list, "%s%s", i ? "," : "", json_string_value(x));
    }
  } else if (roles && !json_is_null(roles)) err_field(&e, "roles", "应为角色代码组成的数组");
  if (!org || !*org) err_field(&e, "org", "请选择单位");
  if (e.code == ERR_OK) app_team_requirement_set(&r->ctx, org, list.len ? buf_str(&list) : NULL, &e);
  buf_reset(&list);
  char code[64];
  str_copy(code, sizeof code, org ? org : "");
  json_decref(body);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  ac_requirement(r, code, 200);
}

/* GET /api/v1/casework_vocab → {"help_roles","service_kinds",
 * "service_states","file_checks","team_requirements"}: [{code,label}]. */
void api_casework_vocab(Req *r) {
  const struct {
    const char *key;
    const UnitTerm *v;
  } lists[] = {{"help_roles", help_role_vocab},
               {"service_kinds", service_kind_vocab},
               {"service_states", service_state_vocab},
               {"file_checks", file_check_vocab},
               {"team_requirements", team_requirement_vocab}};
  static const JwField term[] = {JW_AT(UnitTerm, code, JF_TEXT), JW_AS("label", UnitTerm, label_zh, JF_TEXT), {0}};
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
    int n = 0;
    while (lists[k].v[n].code) n++;
    jw_key_records(&w, lists[k].key, lists[k].v, n, sizeof(UnitTerm), term);
  }
  jw_obj_end(&w);
  json_end(r, &w, 200);
}
