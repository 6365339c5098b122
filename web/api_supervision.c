/* web/api_supervision.c: the JSON API of the supervision engine (API.md
 * "Supervision"): record talks/visits, drug tests and events of a person,
 * read a person's schedule as of a day, the work list, and approvals
 * (list, read, propose, decide). Request bodies are read strictly: an
 * object, known keys only, the right type for every value, errors naming
 * the field; then converted into app/ inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/approval.h"
#include "app/person.h"
#include "app/supervision.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/export.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* ---- small helpers ----------------------------------------------------- */

/* An optional date query parameter: NULL when absent; a field error when
 * not YYYY-MM-DD. */
static const char *as_query_date(Req *r, const char *key, Err *e) {
  const char *v = req_query(r, key);
  if (!v || !*v) return NULL;
  Day d;
  if (!date_parse(v, &d)) {
    err_field(e, key, "日期格式应为 YYYY-MM-DD");
    return NULL;
  }
  return v;
}

/* Answers 201 with the new record's id and the person's due dates after
 * the write. */
static void as_created(Req *r, int64_t person_id, int64_t id) {
  ScheduleView sv;
  memset(&sv, 0, sizeof sv);
  Err e;
  err_clear(&e);
  bool ok = app_schedule_get(&r->ctx, person_id, NULL, &sv, &e) == ERR_OK;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_int(&w, "id", (long long)id);
  jw_key_int(&w, "person_id", (long long)person_id);
  jw_key_str_or_null(&w, "next_talk_due", ok ? sv.next_talk_due : NULL);
  jw_key_str_or_null(&w, "next_test_due", ok ? sv.next_test_due : NULL);
  jw_obj_end(&w);
  json_end(r, &w, 201);
}

/* ---- records ----------------------------------------------------------- */

static int as_visit_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_visit_add(&r->ctx, r->ids[0], in, id, e);
}
static int as_test_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_test_add(&r->ctx, r->ids[0], in, id, e);
}
static int as_event_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_event_add(&r->ctx, r->ids[0], in, id, e);
}

/* POSTs a record of person r->ids[0]: binds the body by spec into an
 * input struct of isize bytes, records it with add, answers 201
 * (as_created) or the error with the fields' JSON names. */
static void as_record(Req *r, const RecordSpec *spec, size_t isize, AuWriteFn add) {
  int64_t id;
  if (au_act(r, spec, isize, add, &id)) as_created(r, r->ids[0], id);
}

/* POST /api/v1/persons/{id}/visits {"date","kind","place","notes",
 * "five_knowns":{basics,contacts,family_economy,state_of_mind,movements}}. */
void api_visit_create(Req *r) { as_record(r, &visit_record, sizeof(VisitInput), as_visit_add); }

/* POST /api/v1/persons/{id}/tests {"date","sample","reason","result",
 * "substances":[drug codes],"tester"}. */
void api_test_create(Req *r) { as_record(r, &test_record, sizeof(TestInput), as_test_add); }

/* POST /api/v1/persons/{id}/events {"kind","date","until","days","to_org",
 * "note"}. */
void api_event_create(Req *r) { as_record(r, &event_record, sizeof(EventInput), as_event_add); }

/* ---- schedule and work list -------------------------------------------- */

/* GET /api/v1/persons/{id}/schedule?date= : the schedule as of the date
 * (default today). tier is 1-based (1 = the first tier of the table). */
void api_schedule_get(Req *r) {
  Err e;
  err_clear(&e);
  const char *date = as_query_date(r, "date", &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  ScheduleView sv;
  memset(&sv, 0, sizeof sv);
  if (app_schedule_get(&r->ctx, r->ids[0], date, &sv, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  Person p;
  memset(&p, 0, sizeof p);
  err_clear(&e);
  bool have_p = app_person_get(&r->ctx, r->ids[0], &p, &e) == ERR_OK;
  const ScheduleResult *res = &sv.result;
  char asof[DATE_ISO_LEN];
  if (date) snprintf(asof, sizeof asof, "%s", date);
  else date_format(r->ctx.today, asof);
  bool due = !res->nothing_due, clock = sv.clock_start[0] != 0;
  char rel[DATE_ISO_LEN] = "";
  if (clock) date_format(res->release_eligible, rel);
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_int(&w, "person_id", (long long)r->ids[0]);
  jw_key_str(&w, "date", asof);
  jw_key_str_or_null(&w, "status", sv.status);
  jw_key_bool(&w, "nothing_due", !due);
  jw_key_str_or_null(&w, "next_talk_due", due ? sv.next_talk_due : NULL);
  jw_key_str_or_null(&w, "next_test_due", due ? sv.next_test_due : NULL);
  jw_key(&w, "tier");
  jw_int_or_null(&w, due, res->tier + 1);
  jw_key(&w, "talk_interval_months");
  jw_int_or_null(&w, due, res->talk_months);
  jw_key(&w, "test_interval_months");
  jw_int_or_null(&w, due, res->test_months);
  jw_key_str_or_null(&w, "clock_start", sv.clock_start);
  jw_key(&w, "months_abstinent");
  jw_int_or_null(&w, clock, res->months_abstinent);
  jw_key_str_or_null(&w, "release_eligible_date", rel);
  jw_key_bool(&w, "eligible_for_release", res->eligible_for_release);
  jw_key_str_or_null(&w, "rule", sv.rule);
  jw_key_str_or_null(&w, "risk_level", have_p ? p.risk_level : NULL);
  jw_obj_end(&w);
  person_free(&p);
  json_end(r, &w, 200);
}

/* The action that clears a work item: {"kind","arg","label"}. */
static void as_action(JsonW *w, const WorkAction *a) {
  static const char *const kinds[] = {[WA_TEST] = "test", [WA_VISIT] = "visit", [WA_EVENT] = "event",
                                      [WA_STATUS] = "status", [WA_APPROVAL] = "approval", [WA_PROPOSE] = "propose",
                                      [WA_PLAN] = "plan", [WA_SERVICE] = "service"};
  jw_key(w, "action");
  jw_obj_begin(w);
  jw_key_str(w, "kind", kinds[a->kind]);
  jw_key_str_or_null(w, "arg", a->arg);
  jw_key_str(w, "label", a->label_zh);
  jw_obj_end(w);
}

/* The "why" of a work item: its Chinese text with the detail after it, or
 * null when the item has none. */
static void as_why(JsonW *w, const WorkWhy *why) {
  jw_key(w, "why");
  if (!why->why_zh || !*why->why_zh) {
    jw_null(w);
    return;
  }
  Buf b = BUF_INIT;
  buf_puts(&b, why->why_zh);
  if (why->detail[0]) buf_printf(&b, "：%s", why->detail);
  jw_str(w, buf_str(&b));
  buf_reset(&b);
}

/* The person of a work item. */
static const JwField as_work_person[] = {
  JW_AT(WorkItem, person_id, JF_I64), JW_AT(WorkItem, name, JF_STR), JW_AS("org", WorkItem, org_code, JF_STR),
  JW_AT(WorkItem, org_name, JF_STR), {0}};

/* Writes the WorkItem *item (a JwItem). */
static void as_work_item_json(JsonW *w, const void *item) {
  const WorkItem *it = item;
  jw_obj_begin(w);
  jw_fields(w, as_work_person, it);
  jw_key_str(w, "reason", work_reason_code(it->reason));
  jw_key_str_or_null(w, "due_date", it->due_date);
  jw_key_int(w, "days_overdue", it->days_overdue > 0 ? it->days_overdue : 0);
  jw_key(w, "approval_id");
  jw_int_or_null(w, it->reason == WL_APPROVAL_PENDING && it->approval_id > 0, (long long)it->approval_id);
  if (it->reason == WL_APPROVAL_PENDING) jw_key_bool(w, "can_decide", it->can_decide);
  jw_key_str_or_null(w, "since", it->why.since);
  as_why(w, &it->why);
  as_action(w, work_reason_action(it->reason));
  jw_obj_end(w);
}

/* GET /api/v1/worklist?org=&mine=&date=&horizon=&sort=&page=&per_page= →
 * {"items":[{person_id,name,org,org_name,reason,due_date,days_overdue,
 * approval_id,can_decide,since,why,action}],"total":N,"page":P,"per_page":K}.
 * mine=1: only the persons whose responsible worker is the caller (with
 * org: both); mine=0 or absent: everyone. */
void api_worklist(Req *r) {
  Err e;
  err_clear(&e);
  WorkQuery q;
  memset(&q, 0, sizeof q);
  const char *org = req_query(r, "org");
  q.org_code = org && *org ? org : NULL;
  q.date = as_query_date(r, "date", &e);
  q.horizon_days = (int)json_query_int(r, "horizon", 7, 366, &e);
  json_query_paging(r, 50, &q.page, &q.per_page, &e);
  const char *sort = req_query(r, "sort");
  if (sort && *sort && strcmp(sort, "due") != 0 && strcmp(sort, "name") != 0 && strcmp(sort, "reason") != 0)
    err_field(&e, "sort", "排序方式应为 due、name 或 reason");
  q.sort = sort && *sort ? sort : "due";
  q.explain = true;
  const char *mine = req_query(r, "mine");
  if (mine && strcmp(mine, "1") == 0) q.worker_id = r->actor.user_id;
  else if (mine && *mine && strcmp(mine, "0") != 0) err_field(&e, "mine", "应为 0 或 1");
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) { /* every page of the filter as one workbook */
    export_worklist(r, &q);
    return;
  }
  WorkItem *items = NULL;
  int n = 0;
  int64_t total = 0;
  int rc = app_worklist(&r->ctx, &q, &items, &n, &total, NULL, &e);
  json_list_answer(r, rc, &e, items, n, sizeof *items, as_work_item_json, total, 0, q.page, q.per_page);
}

/* ---- approvals --------------------------------------------------------- */

/* An approval. */
static const JwField as_approval_fields[] = {
  JW_AT(Approval, id, JF_I64), JW_AT(Approval, person_id, JF_I64), JW_AT(Approval, person_name, JF_STR),
  JW_AS("org", Approval, org_code, JF_STR), JW_AT(Approval, org_name, JF_STR), JW_AT(Approval, kind, JF_STR),
  JW_AT(Approval, state, JF_STR), JW_AT(Approval, proposed_by, JF_STR), JW_AT(Approval, proposed_at, JF_STR_NULL),
  JW_AS("to_org", Approval, to_org_code, JF_STR_NULL), JW_AT(Approval, to_org_name, JF_STR_NULL),
  JW_AT(Approval, risk_level, JF_STR_NULL), JW_AT(Approval, date, JF_STR_NULL), JW_AT(Approval, until, JF_STR_NULL),
  JW_AT(Approval, reason, JF_STR), JW_AT(Approval, approver_role, JF_STR), JW_AT(Approval, decided_by, JF_STR_NULL),
  JW_AT(Approval, decided_at, JF_STR_NULL), JW_AT(Approval, decision_reason, JF_STR),
  JW_AT(Approval, can_decide, JF_BOOL), {0}};
static void as_approval_json(JsonW *w, const void *item) { jw_record(w, as_approval_fields, item); }

/* Answers approval id with status. */
static void as_approval_respond(Req *r, int64_t id, int status) {
  Approval a;
  Err e;
  err_clear(&e);
  int rc = app_approval_get(&r->ctx, id, &a, &e);
  json_record(r, rc, &e, as_approval_json, &a, status);
}

/* GET /api/v1/approvals?state=pending|approved|rejected|all&kind=
 * &decidable=true&page=&per_page= → {"items":[...],"total":N}. */
void api_approval_list(Req *r) {
  Err e;
  err_clear(&e);
  ApprovalQuery q;
  memset(&q, 0, sizeof q);
  const char *state = req_query(r, "state"), *kind = req_query(r, "kind"), *dec = req_query(r, "decidable");
  if (state && *state && strcmp(state, "pending") != 0 && strcmp(state, "approved") != 0 &&
      strcmp(state, "rejected") != 0 && strcmp(state, "all") != 0)
    err_field(&e, "state", "状态应为 pending、approved、rejected 或 all");
  if (kind && *kind && strcmp(kind, "release_3y") != 0 && strcmp(kind, "transfer") != 0 &&
      strcmp(kind, "risk_override") != 0 && strcmp(kind, "leave") != 0)
    err_field(&e, "kind", "审批事项应为 release_3y、transfer、risk_override 或 leave");
  if (dec && *dec && strcmp(dec, "true") != 0 && strcmp(dec, "false") != 0 && strcmp(dec, "1") != 0 &&
      strcmp(dec, "0") != 0)
    err_field(&e, "decidable", "应为 true 或 false");
  q.state = state && *state ? state : "pending";
  q.kind = kind;
  q.decidable_only = dec && (strcmp(dec, "true") == 0 || strcmp(dec, "1") == 0);
  json_query_paging(r, 50, &q.page, &q.per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  Approval *items = NULL;
  int n = 0;
  int64_t total = 0;
  int rc = app_approval_list(&r->ctx, &q, &items, &n, &total, &e);
  json_list_answer(r, rc, &e, items, n, sizeof *items, as_approval_json, total, 0, q.page, q.per_page);
}

/* GET /api/v1/approvals/{id} */
void api_approval_get(Req *r) { as_approval_respond(r, r->ids[0], 200); }

static int as_approval_propose(Req *r, const void *in, int64_t *id, Err *e) {
  return app_approval_propose(&r->ctx, r->ids[0], in, id, e);
}
static int as_approval_decide(Req *r, const void *in, int64_t *id, Err *e) {
  return app_approval_decide(&r->ctx, *id, in, e);
}

/* POST /api/v1/persons/{id}/approvals {"kind","to_org","risk_level",
 * "reason","date"} → 201 with the approval. */
void api_approval_create(Req *r) {
  int64_t id;
  if (!au_act(r, &approval_record, sizeof(ApprovalInput), as_approval_propose, &id)) return;
  char loc[64];
  snprintf(loc, sizeof loc, "/api/v1/approvals/%lld", (long long)id);
  resp_header(r, "Location", loc);
  as_approval_respond(r, id, 201);
}

/* POST /api/v1/approvals/{id}/decide {"decision":"approve|reject",
 * "reason"} → 200 with the approval. */
void api_approval_decide(Req *r) {
  int64_t id;
  if (au_act(r, &decision_record, sizeof(DecisionInput), as_approval_decide, &id)) as_approval_respond(r, id, 200);
}
