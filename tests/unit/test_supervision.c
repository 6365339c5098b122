/* tests/unit/test_supervision.c: cmocka tests of the supervision engine
 * (app/supervision.c, app/approval.c, app/schedule_rule.c,
 * app/supervision_doctor.c over store/supervision.c) on a temporary
 * database, as dated scenarios with a fixed "today": first due dates after
 * reporting, tests on the due date, relapse, tier boundaries at 1, 2 and 3
 * years, month ends and leap days, missed tests, breach counts, detention,
 * transfer with approval by the receiving office, release pickup, release
 * after three years, risk override, scope, work lists (and their person,
 * reason filters and counts), the responsible worker and "my cases",
 * schedule rules, and
 * the doctor (0 differences after every scenario, checked in the
 * teardown, and 1 after a corruption);
 * and the daily paths (issue 8): every reason of the work list walked to
 * the action that clears it, with since when and why; the police decision
 * after a reported breach; leave requests, approvals, returns and overdue
 * returns; closed files; notices; the recompute of what a migration marked
 * stale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/approval.h"
#include "app/casework.h"
#include "app/notice.h"
#include "app/org.h"
#include "app/person.h"
#include "app/schedule_rule.h"
#include "app/steps.h"
#include "app/supervision.h"
#include "app/supervision_doctor.h"
#include "core/idcard.h"
#include "store/person.h"
#include "store/supervision.h"
#include "tests/unit/fixture.h"

typedef FixDistrict T;

/* ---- fixture ----------------------------------------------------------- */

/* The shared district (fixture.h) on 2025-01-01. */
static int setup(void **state) {
  *state = fix_district_new("sup", "2025-01-01");
  return 0;
}

/* ---- helpers ----------------------------------------------------------- */

static void set(PersonInput *in, PersonFieldId f, const char *v) {
  in->has[f] = true;
  in->val[f] = v;
}

/* Creates a man born 1990-01-01 in org, using ketamine, with a family
 * member in the help team (a low-risk person unless the test says
 * otherwise). */
static int64_t new_person(T *t, Ctx *c, const char *name, const char *org) {
  char first17[32], id[IDCARD_MASKED_LEN];
  snprintf(first17, sizeof first17, "11010119900101%03u", (unsigned)(2 * t->seq++ + 1) % 1000u);
  memcpy(id, first17, 17);
  id[17] = idcard_check_char(first17);
  id[18] = 0;
  PersonInput in;
  memset(&in, 0, sizeof in);
  set(&in, PF_NAME, name);
  set(&in, PF_SEX, "M");
  set(&in, PF_ID_NUMBER, id);
  set(&in, PF_DRUG_TYPES, "ketamine");
  in.has_org = true;
  in.org_code = org;
  fix_team_add(&in, "家属", "母亲", "13800000000");
  Err e;
  err_clear(&e);
  int64_t pid = 0;
  if (app_person_create(c, &in, &pid, &e) != ERR_OK) fail_msg("create %s: %s", name, e.msg);
  return pid;
}

/* Appends a status episode and refreshes the derived fields. */
static void add_status(T *t, Ctx *c, int64_t pid, const char *status, const char *decision, const char *start) {
  StatusInput in = {.status = status, .decision_date = decision, .start_date = start};
  Err e;
  err_clear(&e);
  if (app_person_add_status(c, pid, &in, NULL, &e) != ERR_OK)
    fail_msg("status %s: %s %s", status, e.msg, e.nfields ? e.fields[0].msg : "");
  err_clear(&e);
  assert_int_equal(db_begin(t->f.db, &e), ERR_OK);
  assert_int_equal(sup_refresh(c, pid, &e), ERR_OK);
  assert_int_equal(db_commit(t->f.db, &e), ERR_OK);
}

/* app_event_add of ev for pid by c, with an Err of its own: its code. */
static ErrCode event_add(Ctx *c, int64_t pid, const EventInput *ev) {
  Err e;
  err_clear(&e);
  return app_event_add(c, pid, ev, NULL, &e);
}

/* app_schedule_rule_set_org of rule (NULL: inherit) on org by c, with an
 * Err of its own: its code. */
static ErrCode rule_set(Ctx *c, const char *org, const char *rule) {
  Err e;
  err_clear(&e);
  return app_schedule_rule_set_org(c, org, rule, &e);
}

/* The start of most scenarios: today is today, and a new person name of
 * community A (recorded by its worker) has status since decided/started. */
static int64_t scenario(T *t, const char *today, const char *name, const char *status, const char *decided,
                        const char *started) {
  fix_district_today(t, today);
  int64_t p = new_person(t, &t->ca, name, "A");
  add_status(t, &t->ca, p, status, decided, started);
  return p;
}

/* What record() adds: a talk, a scheduled urine test, an event. */
typedef enum { REC_TALK, REC_TEST, REC_EVENT } RecKind;

/* Adds a record of kind k to pid by c on date through its use case and
 * returns its id: a talk (谈心谈话), a test with result arg, an event of kind
 * arg. A refusal fails the test with the use case's messages. */
static int64_t record(Ctx *c, int64_t pid, RecKind k, const char *date, const char *arg) {
  static const char *const what[] = {"visit", "test", "event"};
  Err e;
  err_clear(&e);
  int64_t id = 0;
  int rc;
  if (k == REC_TALK)
    rc = app_visit_add(c, pid, &(VisitInput){.date = date, .kind = "talk", .notes = "谈心谈话"}, &id, &e);
  else if (k == REC_TEST)
    rc = app_test_add(c, pid, &(TestInput){.date = date, .sample = "urine", .reason = "scheduled", .result = arg}, &id, &e);
  else
    rc = app_event_add(c, pid, &(EventInput){.kind = arg, .date = date}, &id, &e);
  if (rc != ERR_OK) fail_msg("%s %s %s: %s %s", what[k], arg ? arg : "", date, e.msg, e.nfields ? e.fields[0].msg : "");
  return id;
}

static int64_t visit(Ctx *c, int64_t pid, const char *date) {
  return record(c, pid, REC_TALK, date, NULL);
}

static int64_t test_r(Ctx *c, int64_t pid, const char *date, const char *result) {
  return record(c, pid, REC_TEST, date, result);
}

static int64_t event(Ctx *c, int64_t pid, const char *kind, const char *date) {
  return record(c, pid, REC_EVENT, date, kind);
}

static SupDerived derived(T *t, int64_t pid) {
  SupDerived d;
  Err e;
  err_clear(&e);
  assert_int_equal(store_sup_derived_get(t->f.db, pid, &d, &e), ERR_OK);
  return d;
}

static void report_print(void *arg, int64_t pid, const char *field, const char *stored, const char *computed) {
  (void)arg;
  fprintf(stderr, "doctor: person %lld %s stored=%s computed=%s\n", (long long)pid, field, stored, computed);
}

/* Runs the doctor as of the admin's today; returns the differences. */
static int64_t doctor(T *t) {
  Err e;
  err_clear(&e);
  int64_t persons = 0, diffs = -1;
  assert_int_equal(supervision_doctor_check(t->f.db, t->cadmin.today, report_print, NULL, &persons, &diffs, &e), ERR_OK);
  return diffs;
}

/* The teardown of every test: the doctor finds no difference at the end of
 * the scenario (each printed, as of the admin's today), then the district
 * is closed. A difference fails the test that left it. */
static int teardown(void **state) {
  int64_t diffs = doctor(*state);
  if (diffs != 0) fprintf(stderr, "doctor: %lld differences at the end of the test\n", (long long)diffs);
  fix_district_close(state);
  return diffs == 0 ? 0 : -1;
}

/* The items of q (per_page 500), n items; total checked against n. */
static WorkItem *worklist_q(Ctx *c, WorkQuery q, int *n) {
  q.per_page = 500;
  WorkItem *items = NULL;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (app_worklist(c, &q, &items, n, &total, NULL, &e) != ERR_OK) fail_msg("worklist: %s", e.msg);
  assert_int_equal(total, *n);
  return items;
}

/* The work list of c (default query as of its today, explained), n items. */
static WorkItem *worklist(Ctx *c, int *n) {
  return worklist_q(c, (WorkQuery){.explain = true}, n);
}

/* The item of person pid with reason r, or NULL. */
static const WorkItem *find_item(const WorkItem *items, int n, int64_t pid, WorkReason r) {
  for (int i = 0; i < n; i++)
    if (items[i].person_id == pid && items[i].reason == r) return &items[i];
  return NULL;
}

/* Whether the work list of c holds person pid with reason r; the item is
 * copied into *out (may be NULL). */
static bool work_item(Ctx *c, int64_t pid, WorkReason r, WorkItem *out) {
  int n;
  WorkItem *items = worklist(c, &n);
  const WorkItem *w = find_item(items, n, pid, r);
  if (w && out) *out = *w;
  free(items);
  return w != NULL;
}

/* Asserts that pid's release is due on due and its upcoming item (work
 * from the same day) starts on from: not on the work list of community A
 * today (the day before), then on it from that day, which becomes today.
 * Returns the item. */
static WorkItem release_window(T *t, int64_t pid, const char *due, const char *from) {
  SupDerived d = derived(t, pid);
  assert_string_equal(d.release_due, due);
  assert_string_equal(d.release_from, from);
  assert_string_equal(d.work_from, from);
  assert_false(work_item(&t->ca, pid, WL_RELEASE_UPCOMING, NULL));
  fix_district_today(t, from);
  WorkItem w;
  assert_true(work_item(&t->ca, pid, WL_RELEASE_UPCOMING, &w));
  return w;
}

/* Asserts that c may not take the step in of service sid: invalid, with
 * msg on field. */
static void step_refused(Ctx *c, int64_t sid, ServiceStepInput in, const char *field, const char *msg) {
  Err e;
  err_clear(&e);
  assert_int_equal(app_service_step(c, sid, &in, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, field), msg);
}

/* Asserts that c has one unread notice, of kind (none when kind is NULL),
 * and returns it (zeroed when none). */
static Notice only_notice(Ctx *c, const char *kind) {
  Notice *items = NULL, one = {0};
  int n = 0;
  int64_t unread = 0;
  Err e;
  err_clear(&e);
  assert_int_equal(app_notice_list(c, true, 50, &items, &n, &unread, &e), ERR_OK);
  assert_int_equal(n, kind ? 1 : 0);
  if (kind) {
    assert_string_equal(items[0].kind, kind);
    one = items[0];
  }
  free(items);
  return one;
}

/* ---- scenarios --------------------------------------------------------- */

/* Reported 2025-01-31 -> first talk and test due 2025-03-31; a test on the
 * due date moves it; a positive test on the due date restarts the clock. */
static void test_first_due_and_relapse(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-01-20", "王一", "community_detox", "2025-01-20", NULL);
  SupDerived d = derived(t, p);
  assert_string_equal(d.report_deadline, "2025-02-04"); /* decision + 15 */
  assert_string_equal(d.next_test_due, "");
  assert_string_equal(d.clock_start, "");

  fix_district_today(t, "2025-01-31");
  event(&t->ca, p, "reported", "2025-01-31");
  d = derived(t, p);
  assert_string_equal(d.report_deadline, "");
  assert_string_equal(d.clock_start, "2025-01-31");
  assert_string_equal(d.next_test_due, "2025-03-31");
  assert_string_equal(d.next_talk_due, "2025-03-31");
  assert_string_equal(d.missed_two_date, "2025-05-31");
  assert_string_equal(d.release_eligible_date, "2028-01-31");
  assert_string_equal(d.risk_level, "low");
  assert_string_equal(d.status, "community_detox");

  fix_district_today(t, "2025-03-31");
  test_r(&t->ca, p, "2025-03-31", "negative");
  visit(&t->ca, p, "2025-03-31");
  d = derived(t, p);
  assert_string_equal(d.last_test_date, "2025-03-31");
  assert_string_equal(d.next_test_due, "2025-05-31");
  assert_string_equal(d.next_talk_due, "2025-05-31");

  /* A random test comes on top: the schedule does not move. */
  TestInput rnd = {.date = "2025-04-10", .sample = "saliva", .reason = "random", .result = "negative"};
  Err e;
  err_clear(&e);
  fix_district_today(t, "2025-04-10");
  assert_int_equal(app_test_add(&t->ca, p, &rnd, NULL, &e), ERR_OK);
  assert_string_equal(derived(t, p).next_test_due, "2025-05-31");

  fix_district_today(t, "2025-05-31");
  test_r(&t->ca, p, "2025-05-31", "positive");
  d = derived(t, p);
  assert_string_equal(d.clock_start, "2025-05-31");
  assert_string_equal(d.next_test_due, "2025-07-31");
  assert_string_equal(d.next_talk_due, "2025-07-31"); /* no talk since the new clock */
  assert_string_equal(d.release_eligible_date, "2028-05-31");
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM person_event WHERE kind = 'relapse' AND date = '2025-05-31'"), 1);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM person_event WHERE kind = 'police_report' AND status = 'open'"), 1);

  /* The police report closes the task. */
  event(&t->ca, p, "police_report", "2025-05-31");
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM person_event WHERE kind = 'police_report' AND status = 'open'"), 0);

  /* The schedule as of a later day looks ahead without writing. */
  ScheduleView v;
  err_clear(&e);
  assert_int_equal(app_schedule_get(&t->ca, p, "2026-06-01", &v, &e), ERR_OK);
  assert_string_equal(v.next_test_due, "2025-07-31");
  assert_string_equal(v.clock_start, "2025-05-31");
  assert_string_equal(v.rule, "default");
  assert_int_equal(v.result.months_abstinent, 12);
  assert_int_equal(v.result.tier, 1);
}

/* Validation: Chinese field messages, future dates, dates before birth,
 * codes; a refused write changes nothing. */
static void test_validation(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-03-01", "王二", "social_supervision", "2025-01-01", "2025-01-01");
  int64_t before = fix_int(t->f.db, "SELECT count(*) FROM drug_test");
  TestInput ti = {.date = "2025-03-02", .sample = "x", .reason = "y", .result = "z"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_test_add(&t->ca, p, &ti, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "date"), "日期不能晚于今天");
  assert_string_equal(err_field_msg(&e, "sample"), "请选择检测样本");
  assert_string_equal(err_field_msg(&e, "reason"), "请选择检测类型");
  assert_string_equal(err_field_msg(&e, "result"), "请选择检测结果");
  ti = (TestInput){.date = "1980-01-01", .sample = "urine", .reason = "scheduled", .result = "negative",
                   .substances = "heroin"};
  err_clear(&e);
  assert_int_equal(app_test_add(&t->ca, p, &ti, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "date"), "日期不能早于出生日期");
  assert_string_equal(err_field_msg(&e, "substances"), "只有阳性结果才能填写检出物质");
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM drug_test"), before);

  VisitInput vi = {.date = "2025-13-01", .kind = "chat"};
  err_clear(&e);
  assert_int_equal(app_visit_add(&t->ca, p, &vi, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "date"), "日期格式应为YYYY-MM-DD，且须是有效日期");
  assert_non_null(err_field_msg(&e, "kind"));

  EventInput ev = {.kind = "leave", .date = "2025-02-10"};
  err_clear(&e);
  assert_int_equal(app_event_add(&t->ca, p, &ev, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "until"), "请填写返回日期");
  ev = (EventInput){.kind = "absence", .date = "2025-02-10", .days = 0};
  err_clear(&e);
  assert_int_equal(app_event_add(&t->ca, p, &ev, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "days"));
  ev = (EventInput){.kind = "party", .date = "2025-02-10"};
  err_clear(&e);
  assert_int_equal(app_event_add(&t->ca, p, &ev, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "kind"));
  /* A leave of 3 days or more is recorded (it needs a written report; not an error). */
  ev = (EventInput){.kind = "leave", .date = "2025-02-10", .until = "2025-02-12"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  EventRecord *evs = NULL;
  int n = 0;
  int64_t total = 0;
  err_clear(&e);
  assert_int_equal(app_event_list(&t->ca, p, 1, 10, &evs, &n, &total, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_true(evs[0].needs_report);
  free(evs);
  /* The police liaison records tests, not visits; a read-only inspector nothing. */
  err_clear(&e);
  TestInput ok = {.date = "2025-02-01", .sample = "urine", .reason = "scheduled", .result = "negative"};
  assert_int_equal(app_test_add(&t->cpolice, p, &ok, NULL, &e), ERR_OK);
  VisitInput vok = {.date = "2025-02-01", .kind = "talk"};
  err_clear(&e);
  assert_int_equal(app_visit_add(&t->cpolice, p, &vok, NULL, &e), ERR_FORBIDDEN);
  Actor viewer;
  memset(&viewer, 0, sizeof viewer);
  viewer = t->police_a;
  viewer.role = ROLE_VIEWER;
  Ctx cv = t->cpolice;
  cv.actor = &viewer;
  err_clear(&e);
  assert_int_equal(app_test_add(&cv, p, &ok, NULL, &e), ERR_FORBIDDEN);
}

/* Tiers change at exactly 1, 2 and 3 years of abstinence. */
static void test_tier_boundaries(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-02-01", "李一", "social_supervision", "2022-01-15", "2022-01-15");
  static const struct { const char *test, *next; } steps[] = {
    {"2023-01-14", "2023-03-14"}, /* 11 months: every 2 months */
    {"2023-01-15", "2023-04-15"}, /* exactly 1 year: quarterly */
    {"2024-01-14", "2024-04-14"}, /* 23 months: quarterly */
    {"2024-01-15", "2024-07-15"}, /* exactly 2 years: half-yearly */
    {"2025-01-14", "2025-07-14"},
    {"2025-01-15", "2025-07-15"}, /* 3 years: the last tier goes on */
  };
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    test_r(&t->ca, p, steps[i].test, "negative");
    SupDerived d = derived(t, p);
    if (strcmp(d.next_test_due, steps[i].next) != 0)
      fail_msg("after %s: next %s, expected %s (risk %s)", steps[i].test, d.next_test_due, steps[i].next, d.risk_level);
  }
  SupDerived d = derived(t, p);
  assert_string_equal(d.release_eligible_date, "2025-01-15");
  assert_true(work_item(&t->ca, p, WL_ELIGIBLE_FOR_RELEASE, NULL));
}

/* Month ends and leap days. */
static void test_month_end_and_leap_day(void **state) {
  T *t = *state;
  int64_t a = scenario(t, "2025-06-01", "赵一", "community_detox", "2024-02-20", "2024-02-29");
  assert_string_equal(derived(t, a).next_test_due, "2024-04-29");
  test_r(&t->ca, a, "2024-12-31", "negative"); /* 10 months: every 2 months */
  assert_string_equal(derived(t, a).next_test_due, "2025-02-28");
  test_r(&t->ca, a, "2025-02-28", "negative"); /* 2024-02-29 + 12 months = 2025-02-28: a year */
  assert_string_equal(derived(t, a).next_test_due, "2025-05-28");
  assert_string_equal(derived(t, a).release_eligible_date, "2027-02-28");

  int64_t b = new_person(t, &t->ca, "赵二", "A");
  add_status(t, &t->ca, b, "community_detox", "2024-12-20", "2024-12-31");
  assert_string_equal(derived(t, b).next_test_due, "2025-02-28");
  assert_string_equal(derived(t, b).missed_two_date, "2025-04-28");
}

/* Two due tests missed: flagged on the work list with the overdue days. */
static void test_missed_two(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-01-31", "钱一", "community_detox", "2025-01-25", "2025-01-31");
  fix_district_today(t, "2025-06-01");
  WorkItem w;
  assert_true(work_item(&t->ca, p, WL_MISSED_TWO_TESTS, &w));
  assert_string_equal(w.due_date, "2025-05-31");
  assert_true(work_item(&t->ca, p, WL_TEST_OVERDUE, &w));
  assert_string_equal(w.due_date, "2025-03-31");
  assert_int_equal(w.days_overdue, 62);
  assert_true(work_item(&t->ca, p, WL_TALK_OVERDUE, NULL));
}

/* Three refusals make a serious breach; two do not. */
static void test_refusals(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "孙一", "community_detox", "2025-01-01", "2025-01-01");
  test_r(&t->ca, p, "2025-03-01", "refused");
  test_r(&t->ca, p, "2025-04-01", "absent");
  SupDerived d = derived(t, p);
  assert_int_equal(d.breach_tests, 2);
  assert_int_equal(d.serious_breach, 0);
  assert_string_equal(d.next_test_due, "2025-03-01"); /* a refusal is not a test */
  test_r(&t->ca, p, "2025-05-01", "refused");
  d = derived(t, p);
  assert_int_equal(d.breach_tests, 3);
  assert_int_equal(d.serious_breach, 1);
  assert_string_equal(d.risk_level, "high");
  assert_string_equal(d.next_test_due, "2025-02-01"); /* high risk: monthly */
  assert_true(work_item(&t->ca, p, WL_SERIOUS_BREACH, NULL));
}

/* Absences: three times, or more than 30 days in total. */
static void test_absences(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "周一", "community_detox", "2025-01-01", "2025-01-01");
  EventInput ev = {.kind = "absence", .date = "2025-02-01", .days = 1};
  Err e;
  err_clear(&e);
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  ev.date = "2025-03-01";
  assert_int_equal(app_event_add(&t->ca, p, &ev, NULL, &e), ERR_OK);
  assert_int_equal(derived(t, p).serious_breach, 0);
  ev.date = "2025-04-01";
  assert_int_equal(app_event_add(&t->ca, p, &ev, NULL, &e), ERR_OK);
  SupDerived d = derived(t, p);
  assert_int_equal(d.breach_absences, 3);
  assert_int_equal(d.serious_breach, 1);

  int64_t q = new_person(t, &t->ca, "周二", "A");
  add_status(t, &t->ca, q, "community_rehab", "2025-01-01", "2025-01-01");
  ev = (EventInput){.kind = "absence", .date = "2025-02-01", .days = 30};
  assert_int_equal(app_event_add(&t->ca, q, &ev, NULL, &e), ERR_OK);
  assert_int_equal(derived(t, q).serious_breach, 0); /* 30 days: not more than 30 */
  ev = (EventInput){.kind = "absence", .date = "2025-04-01", .days = 1};
  assert_int_equal(app_event_add(&t->ca, q, &ev, NULL, &e), ERR_OK);
  d = derived(t, q);
  assert_int_equal(d.breach_absence_days, 31);
  assert_int_equal(d.serious_breach, 1);
}

/* Detention across a due date: nothing due, then due again on its end. */
static void test_detention(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-01-31", "吴一", "community_detox", "2025-01-25", "2025-01-31");
  fix_district_today(t, "2025-03-20");
  event(&t->ca, p, "detained", "2025-03-20");
  SupDerived d = derived(t, p);
  assert_string_equal(d.status, "detained");
  assert_string_equal(d.next_test_due, "");
  assert_string_equal(d.next_talk_due, "");
  fix_district_today(t, "2025-04-05");
  assert_false(work_item(&t->ca, p, WL_TEST_OVERDUE, NULL));

  fix_district_today(t, "2025-04-10");
  event(&t->ca, p, "detention_end", "2025-04-10");
  d = derived(t, p);
  assert_string_equal(d.status, "community_detox");
  assert_string_equal(d.clock_start, "2025-01-31"); /* the clock ran on */
  assert_string_equal(d.next_test_due, "2025-04-10");
  assert_string_equal(d.next_talk_due, "2025-04-10");
  /* the test after that: the interval of the tier on 2025-04-10 (2 months),
   * whatever day the fields are computed on (a year on, the tier is 3 months) */
  assert_string_equal(d.missed_two_date, "2025-06-10");
  fix_district_today(t, "2026-03-01");
  assert_int_equal(doctor(t), 0);
  fix_district_today(t, "2025-04-10");
  test_r(&t->ca, p, "2025-04-10", "negative");
  assert_string_equal(derived(t, p).next_test_due, "2025-06-10");
  /* detention_end when not detained is refused */
  EventInput ev = {.kind = "detention_end", .date = "2025-04-10"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_INVALID);
}

/* Transfer while overdue: approved by the receiving street's office only;
 * the person moves, due dates stay, a new agreement is due in 15 days. */
static void test_transfer(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-01-31", "郑一", "community_detox", "2025-01-25", "2025-01-31");
  fix_district_today(t, "2025-04-15");
  EventInput ev = {.kind = "transfer_request", .date = "2025-04-15", .to_org = "A"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_event_add(&t->ca, p, &ev, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "to_org"));
  ev.to_org = "S2";
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_INVALID);
  ev.to_org = "D";
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_CONFLICT); /* one pending at a time */
  SupDerived d = derived(t, p);
  assert_int_equal(d.transfer_pending, 1);
  assert_string_equal(d.next_test_due, "2025-03-31");

  /* The receiving office sees it on its work list and in its approvals. */
  int n;
  WorkItem w;
  assert_true(work_item(&t->cs2, p, WL_APPROVAL_PENDING, &w));
  int64_t aid = w.approval_id;
  assert_true(aid > 0);
  /* The sending worker sees their own proposal. */
  assert_true(work_item(&t->ca, p, WL_APPROVAL_PENDING, NULL));
  assert_true(work_item(&t->ca, p, WL_TEST_OVERDUE, NULL));
  Approval *ap = NULL;
  int64_t total = 0;
  ApprovalQuery aq = {.state = "pending", .decidable_only = true};
  err_clear(&e);
  assert_int_equal(app_approval_list(&t->cs2, &aq, &ap, &n, &total, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(ap[0].id, aid);
  assert_true(ap[0].can_decide);
  assert_string_equal(ap[0].to_org_code, "D");
  free(ap);

  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->ca, aid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN);
  assert_string_equal(e.msg, "您无权审批");
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs1, aid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN); /* sending street */
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cb, aid, &(DecisionInput){"approve", NULL}, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cd, aid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN); /* receiving worker */
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs2, aid, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs2, aid, &(DecisionInput){"approve", NULL}, &e), ERR_CONFLICT);

  d = derived(t, p);
  assert_int_equal(d.transfer_pending, 0);
  assert_string_equal(d.next_test_due, "2025-03-31"); /* the clock runs on */
  assert_string_equal(d.clock_start, "2025-01-31");
  assert_string_equal(d.report_deadline, "2025-04-30");
  ScheduleView v;
  err_clear(&e);
  assert_int_equal(app_schedule_get(&t->ca, p, NULL, &v, &e), ERR_NOT_FOUND); /* gone from A */
  err_clear(&e);
  assert_int_equal(app_schedule_get(&t->cd, p, NULL, &v, &e), ERR_OK);
  assert_true(work_item(&t->cd, p, WL_REPORT_DEADLINE, &w));
  assert_string_equal(w.due_date, "2025-04-30");
  assert_true(work_item(&t->cd, p, WL_TEST_OVERDUE, NULL));
  fix_district_today(t, "2025-04-20");
  event(&t->cd, p, "agreement_signed", "2025-04-20");
  assert_string_equal(derived(t, p).report_deadline, "");
}

/* Release notice: the pickup is on the work list until the person is received. */
static void test_release_pickup(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-20", "冯一", "compulsory_isolation", "2023-07-01", "2023-07-01");
  EventInput ev = {.kind = "release_notice", .date = "2025-07-01"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  SupDerived d = derived(t, p);
  assert_string_equal(d.pickup_due, "2025-07-01");
  assert_string_equal(d.next_test_due, "");
  WorkItem w;
  assert_true(work_item(&t->ca, p, WL_RELEASE_PICKUP, &w));
  assert_string_equal(w.due_date, "2025-07-01");
  fix_district_today(t, "2025-07-01");
  event(&t->ca, p, "released", "2025-07-01");
  add_status(t, &t->ca, p, "community_rehab", "2025-07-01", "2025-07-01");
  d = derived(t, p);
  assert_string_equal(d.pickup_due, "");
  assert_string_equal(d.clock_start, "2025-07-01");
  assert_string_equal(d.next_test_due, "2025-09-01");
  /* A release notice for someone not in custody is refused. */
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_INVALID);
}

/* Four eyes (issue 12): the proposer never decides, not even where her
 * role would; the only office user of a street who proposes a transfer
 * into her own street leaves it to the office above; a proposal nobody
 * else can decide is refused; the transfer is seen by the receiving
 * side's deciding offices and workers, not its other roles. */
static void test_four_eyes(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-01-31", "卫四", "community_detox", "2025-01-25", "2025-01-31");
  Err e;
  /* the admin's own risk override: another admin must decide; there is none */
  err_clear(&e);
  ApprovalInput risk = {.kind = "risk_override", .risk_level = "high", .reason = "多次脱管"};
  assert_int_equal(app_approval_propose(&t->cadmin, p, &risk, NULL, &e), ERR_CONFLICT);
  assert_non_null(strstr(e.msg, "其他人员"));
  Actor admin2;
  fix_actor(t->f.db, &admin2, 11, "adm2", ROLE_ADMIN, &t->county);
  Ctx cadmin2;
  ctx_init(&cadmin2, t->f.db, &admin2);
  fix_today(&cadmin2, "2025-01-31");
  int64_t rid = 0;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->cadmin, p, &risk, &rid, &e), ERR_OK);
  Approval a;
  err_clear(&e);
  assert_int_equal(app_approval_get(&t->cadmin, rid, &a, &e), ERR_OK);
  assert_false(a.can_decide);
  assert_true(a.own);
  WorkItem w;
  assert_true(work_item(&t->cadmin, p, WL_APPROVAL_PENDING, &w)); /* hers, to wait for */
  assert_false(w.can_decide);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cadmin, rid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN);
  assert_string_equal(e.msg, APPROVAL_MSG_OWN);
  assert_true(work_item(&cadmin2, p, WL_APPROVAL_PENDING, &w));
  assert_true(w.can_decide);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&cadmin2, rid, &(DecisionInput){"approve", NULL}, &e), ERR_OK);

  /* street S1's only office user moves a person within S1 (A to B): the
   * admin above decides, she does not */
  int64_t tid = 0;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->cs1, p, &(ApprovalInput){.kind = "transfer", .to_org = "B"}, &tid, &e),
                   ERR_OK);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs1, tid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN);
  assert_true(work_item(&t->cadmin, p, WL_APPROVAL_PENDING, &w));
  assert_true(w.can_decide);
  /* the receiving community's worker sees it (as the sending one's roles
   * do, through the person) */
  err_clear(&e);
  assert_int_equal(app_approval_get(&t->cb, tid, &a, &e), ERR_OK);
  assert_false(a.can_decide);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cadmin, tid, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
}

/* Three years abstinent: eligible -> proposal -> admin approves -> abstinent_3y. */
static void test_release_3y(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2024-12-01", "陈一", "community_detox", "2021-12-01", "2021-12-10");
  ApprovalInput in = {.kind = "release_3y"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &in, NULL, &e), ERR_INVALID); /* not yet */
  fix_district_today(t, "2024-12-10");
  int n;
  assert_true(work_item(&t->ca, p, WL_ELIGIBLE_FOR_RELEASE, NULL));
  int64_t aid = 0;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &in, &aid, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &in, NULL, &e), ERR_CONFLICT);
  assert_false(work_item(&t->ca, p, WL_ELIGIBLE_FOR_RELEASE, NULL)); /* a release is pending */
  assert_true(work_item(&t->ca, p, WL_APPROVAL_PENDING, NULL));  /* the worker's own proposal */
  WorkItem w;
  assert_true(work_item(&t->cadmin, p, WL_APPROVAL_PENDING, &w));
  assert_int_equal(w.approval_id, aid);
  /* the street office neither decides nor proposed it */
  assert_false(work_item(&t->cs1, p, WL_APPROVAL_PENDING, NULL));
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->ca, aid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs1, aid, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cadmin, aid, &(DecisionInput){"reject", ""}, &e), ERR_INVALID); /* reject needs a reason */
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cadmin, aid, &(DecisionInput){"approve", "经评估同意"}, &e), ERR_OK);
  SupDerived d = derived(t, p);
  assert_string_equal(d.status, "abstinent_3y");
  assert_int_equal(d.in_view, 1);
  assert_string_equal(d.next_test_due, "");
  assert_string_equal(d.release_eligible_date, "");
  assert_false(work_item(&t->ca, p, WL_ELIGIBLE_FOR_RELEASE, NULL));
  assert_false(work_item(&t->ca, p, WL_APPROVAL_PENDING, NULL));
  Approval *ap = NULL;
  err_clear(&e);
  assert_int_equal(app_approval_for_person(&t->ca, p, &ap, &n, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(ap[0].state, "approved");
  assert_string_equal(ap[0].decided_by, "adm");
  assert_false(ap[0].can_decide);
  free(ap);
}

/* A risk override needs a reason and the admin's approval. */
static void test_risk_override(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "褚一", "social_supervision", "2025-01-01", "2025-01-01");
  assert_string_equal(derived(t, p).risk_level, "low");
  ApprovalInput in = {.kind = "risk_override", .risk_level = "high"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &in, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "reason"), "请填写理由");
  in.risk_level = "extreme";
  in.reason = "与涉毒人员来往密切";
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &in, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "risk_level"));
  in.risk_level = "high";
  int64_t aid = 0;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ccadre, p, &in, &aid, &e), ERR_OK);
  SupDerived d = derived(t, p);
  assert_string_equal(d.risk_level, "low"); /* not before approval */
  assert_int_equal(d.approvals_pending, 1);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cadmin, aid, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
  d = derived(t, p);
  assert_string_equal(d.risk_override, "high");
  assert_string_equal(d.risk_level, "high");
  assert_string_equal(d.next_test_due, "2025-02-01"); /* monthly for high risk */
  assert_int_equal(d.approvals_pending, 0);
  Approval a;
  err_clear(&e);
  assert_int_equal(app_approval_get(&t->ca, aid, &a, &e), ERR_OK);
  assert_string_equal(a.risk_level, "high");
  assert_string_equal(a.reason, "与涉毒人员来往密切");
}

/* Every call about a person of another community answers "not found". */
static void test_scope(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "卫一", "community_detox", "2025-01-01", "2025-01-01");
  int64_t vid = visit(&t->ca, p, "2025-02-01");
  (void)vid;
  int64_t aid = 0;
  ApprovalInput ri = {.kind = "risk_override", .risk_level = "medium", .reason = "理由"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &ri, &aid, &e), ERR_OK);
  int64_t before = fix_int(t->f.db, "SELECT count(*) FROM audit_log");
  Ctx *c = &t->cb;
  VisitInput vi = {.date = "2025-03-01", .kind = "talk"};
  TestInput ti = {.date = "2025-03-01", .sample = "urine", .reason = "scheduled", .result = "negative"};
  EventInput ev = {.kind = "lost_contact", .date = "2025-03-01"};
  ScheduleView sv;
  VisitRecord *vr = NULL;
  TestRecord *tr = NULL;
  EventRecord *er = NULL;
  Approval *ap = NULL;
  Approval one;
  int n;
  int64_t total;
  err_clear(&e); assert_int_equal(app_visit_add(c, p, &vi, NULL, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_test_add(c, p, &ti, NULL, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_event_add(c, p, &ev, NULL, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_schedule_get(c, p, NULL, &sv, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_visit_list(c, p, 1, 10, &vr, &n, &total, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_test_list(c, p, 1, 10, &tr, &n, &total, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_event_list(c, p, 1, 10, &er, &n, &total, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_approval_propose(c, p, &ri, NULL, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_approval_for_person(c, p, &ap, &n, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_approval_get(c, aid, &one, &e), ERR_NOT_FOUND);
  err_clear(&e); assert_int_equal(app_approval_decide(c, aid, &(DecisionInput){"approve", NULL}, &e), ERR_NOT_FOUND);
  WorkQuery q = {.org_code = "A"};
  WorkItem *items = NULL;
  err_clear(&e); assert_int_equal(app_worklist(c, &q, &items, &n, &total, NULL, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_event_task_set(c, 1, "done", &e), ERR_NOT_FOUND);
  ApprovalQuery aq = {.state = "all"};
  err_clear(&e);
  assert_int_equal(app_approval_list(c, &aq, &ap, &n, &total, &e), ERR_OK);
  assert_int_equal(n, 0);
  items = worklist(c, &n);
  assert_int_equal(n, 0);
  free(items);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log"), before);

  /* The police liaison reads tests and visits but not the counselling notes. */
  err_clear(&e);
  assert_int_equal(app_visit_list(&t->cpolice, p, 1, 10, &vr, &n, &total, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(vr[0].notes, "");
  assert_true(vr[0].notes_hidden);
  free(vr);
  err_clear(&e);
  assert_int_equal(app_visit_list(&t->ca, p, 1, 10, &vr, &n, &total, &e), ERR_OK);
  assert_string_equal(vr[0].notes, "谈心谈话");
  assert_false(vr[0].notes_hidden);
  free(vr);
}

/* A community's work list holds every reason, each with its date. */
static void test_worklist_reasons(void **state) {
  T *t = *state;
  int64_t due = scenario(t, "2025-01-31", "甲", "social_supervision", "2024-12-03", "2024-12-03");  /* test and talk due within 7 days */
  int64_t late = new_person(t, &t->ca, "乙", "A");      /* overdue, two missed */
  add_status(t, &t->ca, late, "community_detox", "2024-07-01", "2024-07-01");
  int64_t report = new_person(t, &t->ca, "丙", "A");    /* not reported yet */
  add_status(t, &t->ca, report, "community_detox", "2025-01-25", NULL);
  int64_t lost = new_person(t, &t->ca, "丁", "A");
  add_status(t, &t->ca, lost, "social_supervision", "2025-01-10", "2025-01-10");
  event(&t->ca, lost, "lost_contact", "2025-01-30");
  int64_t other = new_person(t, &t->cb, "戊", "B");     /* another community */
  add_status(t, &t->cb, other, "community_detox", "2024-07-01", "2024-07-01");
  int64_t quiet = new_person(t, &t->ca, "己", "A");     /* nothing due */
  add_status(t, &t->ca, quiet, "social_supervision", "2025-01-20", "2025-01-20");

  fix_district_today(t, "2025-01-31");
  int n;
  WorkItem *items = worklist(&t->ca, &n);
  const WorkItem *w = find_item(items, n, due, WL_TEST_DUE);
  assert_non_null(w);
  assert_string_equal(w->due_date, "2025-02-03");
  assert_int_equal(w->days_overdue, 0);
  assert_non_null(find_item(items, n, due, WL_TALK_DUE));
  w = find_item(items, n, late, WL_TEST_OVERDUE);
  assert_non_null(w);
  assert_string_equal(w->due_date, "2024-09-01");
  assert_int_equal(w->days_overdue, 152);
  assert_non_null(find_item(items, n, late, WL_MISSED_TWO_TESTS));
  w = find_item(items, n, report, WL_REPORT_DEADLINE);
  assert_non_null(w);
  assert_string_equal(w->due_date, "2025-02-09");
  assert_non_null(find_item(items, n, lost, WL_LOST_CONTACT));
  for (int i = 0; i < n; i++) {
    assert_true(items[i].person_id != other);
    assert_true(items[i].person_id != quiet);
  }
  /* sorted by due date: the oldest first */
  assert_int_equal(items[0].person_id, late);
  free(items);

  /* by name, and paging */
  WorkQuery q = {.sort = "name", .per_page = 2, .page = 1};
  int64_t total;
  Err e;
  err_clear(&e);
  assert_int_equal(app_worklist(&t->ca, &q, &items, &n, &total, NULL, &e), ERR_OK);
  assert_int_equal(n, 2);
  assert_true(total > 2);
  free(items);
  q = (WorkQuery){.date = "2025-13-01"};
  err_clear(&e);
  assert_int_equal(app_worklist(&t->ca, &q, &items, &n, &total, NULL, &e), ERR_INVALID);

  /* The street office sees both communities. */
  items = worklist(&t->cs1, &n);
  assert_non_null(find_item(items, n, other, WL_TEST_OVERDUE));
  assert_non_null(find_item(items, n, late, WL_TEST_OVERDUE));
  free(items);
  q = (WorkQuery){.org_code = "B", .per_page = 100};
  err_clear(&e);
  assert_int_equal(app_worklist(&t->cs1, &q, &items, &n, &total, NULL, &e), ERR_OK);
  for (int i = 0; i < n; i++) assert_int_equal(items[i].person_id, other);
  free(items);

  /* found: back in control */
  event(&t->ca, lost, "found", "2025-01-31");
  assert_string_equal(derived(t, lost).control, "in_control");
}


/* app_worklist's counts per reason (before q.reasons) and total for q,
 * read with a page of one item. Returns its error code. */
static int counts_of(Ctx *c, WorkQuery q, int64_t by_reason[WL__COUNT], int64_t *total, Err *e) {
  q.page = 1;
  q.per_page = 1;
  WorkItem *items = NULL;
  int n = 0;
  int rc = app_worklist(c, &q, &items, &n, total, by_reason, e);
  free(items);
  return rc;
}

/* Checks the filters person_id and reasons and the counts per reason
 * against the whole list of c: the filtered list is exactly the whole
 * list's items that pass, in the same order; the counts are the whole
 * list's per reason, whatever the reason filter; for every sort, the list
 * read a page of one or three items at a time is the list read at once. */
static void check_filters(Ctx *c, const char *org, const int64_t *pids, int npids) {
  int n = 0;
  WorkItem *all = worklist_q(c, (WorkQuery){.org_code = org}, &n);
  int64_t want[WL__COUNT] = {0}, got[WL__COUNT];
  for (int i = 0; i < n; i++) want[all[i].reason]++;
  Err e;
  err_clear(&e);
  int64_t total = -1;
  assert_int_equal(counts_of(c, (WorkQuery){.org_code = org}, got, &total, &e), ERR_OK);
  for (int r = 0; r < WL__COUNT; r++) assert_int_equal(got[r], want[r]);
  assert_int_equal(total, n);
  static const char *const sorts[] = {"due", "name", "reason"};
  for (int s = 0; s < 3; s++) {
    int m = 0;
    WorkItem *whole = worklist_q(c, (WorkQuery){.org_code = org, .sort = sorts[s]}, &m);
    assert_int_equal(m, n);
    for (int r = 1; s == 2 && r < m; r++) assert_true(whole[r - 1].reason <= whole[r].reason);
    for (int per = 1; per <= 3; per += 2)
      for (int i = 0; i < m; i++) {
        WorkQuery q = {.org_code = org, .sort = sorts[s], .page = i / per + 1, .per_page = per};
        WorkItem *pg = NULL;
        int k = 0;
        int64_t tt = 0;
        assert_int_equal(app_worklist(c, &q, &pg, &k, &tt, NULL, &e), ERR_OK);
        assert_int_equal(tt, m);
        assert_true(i % per < k);
        assert_int_equal(pg[i % per].person_id, whole[i].person_id);
        assert_int_equal(pg[i % per].reason, whole[i].reason);
        assert_int_equal(pg[i % per].approval_id, whole[i].approval_id);
        free(pg);
      }
    free(whole);
  }
  for (int k = 0; k < npids; k++) {
    int m = 0;
    WorkItem *one = worklist_q(c, (WorkQuery){.org_code = org, .person_id = pids[k]}, &m);
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (all[i].person_id != pids[k]) continue;
      assert_true(j < m);
      assert_int_equal(one[j].reason, all[i].reason);
      assert_string_equal(one[j].due_date, all[i].due_date);
      assert_int_equal(one[j].days_overdue, all[i].days_overdue);
      assert_int_equal(one[j].approval_id, all[i].approval_id);
      assert_string_equal(one[j].org_code, all[i].org_code);
      j++;
    }
    assert_int_equal(j, m);
    free(one);
  }
  for (int r = 0; r < WL__COUNT; r++) {
    int m = 0;
    WorkItem *only = worklist_q(c, (WorkQuery){.org_code = org, .reasons = WL_BIT(r)}, &m);
    assert_int_equal(m, want[r]);
    int j = 0;
    for (int i = 0; i < n; i++)
      if ((int)all[i].reason == r) {
        assert_int_equal(only[j].person_id, all[i].person_id);
        assert_int_equal(only[j].approval_id, all[i].approval_id);
        j++;
      }
    free(only);
    /* under a reason filter: the counts of every reason, the total of that one */
    err_clear(&e);
    assert_int_equal(counts_of(c, (WorkQuery){.org_code = org, .reasons = WL_BIT(r)}, got, &total, &e), ERR_OK);
    for (int x = 0; x < WL__COUNT; x++) assert_int_equal(got[x], want[x]);
    assert_int_equal(total, want[r]);
  }
  free(all);
}

/* WorkQuery.person_id and .reasons select from the same list, and
 * app_worklist counts it per reason in the same scan (incoming transfers
 * included). */
static void test_worklist_filters(void **state) {
  T *t = *state;
  int64_t due = scenario(t, "2025-01-31", "甲", "social_supervision", "2024-12-03", "2024-12-03");
  int64_t late = new_person(t, &t->ca, "乙", "A");
  add_status(t, &t->ca, late, "community_detox", "2024-07-01", "2024-07-01");
  int64_t lost = new_person(t, &t->ca, "丁", "A");
  add_status(t, &t->ca, lost, "social_supervision", "2025-01-10", "2025-01-10");
  event(&t->ca, lost, "lost_contact", "2025-01-30");
  int64_t other = new_person(t, &t->cb, "戊", "B");
  add_status(t, &t->cb, other, "community_detox", "2024-07-01", "2024-07-01");
  int64_t quiet = new_person(t, &t->ca, "己", "A");
  add_status(t, &t->ca, quiet, "social_supervision", "2025-01-20", "2025-01-20");
  /* late asks to move to D: an approval pending for S2's office */
  EventInput ev = {.kind = "transfer_request", .date = "2025-01-31", .to_org = "D"};
  Err e;
  err_clear(&e);
  assert_int_equal(event_add(&t->ca, late, &ev), ERR_OK);

  int64_t pids[] = {due, late, lost, other, quiet};
  check_filters(&t->ca, NULL, pids, 5);
  check_filters(&t->cs1, NULL, pids, 5);
  check_filters(&t->cs1, "B", pids, 5);
  check_filters(&t->cs2, NULL, pids, 5); /* late comes in as a transfer */
  check_filters(&t->cadmin, NULL, pids, 5);

  /* a person with nothing due, one outside the scope: nothing */
  int n = 0;
  WorkItem *items = worklist_q(&t->ca, (WorkQuery){.person_id = quiet}, &n);
  assert_int_equal(n, 0);
  free(items);
  items = worklist_q(&t->ca, (WorkQuery){.person_id = other}, &n);
  assert_int_equal(n, 0);
  free(items);
  items = worklist_q(&t->cs2, (WorkQuery){.person_id = late}, &n);
  assert_int_equal(n, 1);
  assert_int_equal(items[0].reason, WL_APPROVAL_PENDING);
  free(items);
  items = worklist_q(&t->cs2, (WorkQuery){.person_id = late, .reasons = WL_BIT(WL_TEST_OVERDUE)}, &n);
  assert_int_equal(n, 0);
  free(items);
  /* several reasons at once */
  items = worklist_q(&t->ca, (WorkQuery){.reasons = WL_BIT(WL_TEST_OVERDUE) | WL_BIT(WL_LOST_CONTACT)}, &n);
  assert_true(n >= 2);
  for (int i = 0; i < n; i++) assert_true(items[i].reason == WL_TEST_OVERDUE || items[i].reason == WL_LOST_CONTACT);
  free(items);

  /* errors: counts zeroed */
  int64_t counts[WL__COUNT], total = 0;
  err_clear(&e);
  assert_int_equal(counts_of(&t->ca, (WorkQuery){.org_code = "B"}, counts, &total, &e), ERR_NOT_FOUND);
  for (int r = 0; r < WL__COUNT; r++) assert_int_equal(counts[r], 0);
  err_clear(&e);
  assert_int_equal(counts_of(&t->ca, (WorkQuery){.date = "2025-02-30"}, counts, &total, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(counts_of(&t->ca, (WorkQuery){.sort = "size"}, counts, &total, &e), ERR_INVALID);
}

/* ---- the responsible social worker and "my cases" ---------------------- */

/* The responsible worker of pid (user id, 0: none), read past any scope. */
static int64_t worker_of(T *t, int64_t pid) {
  PersonRow row;
  Err e;
  err_clear(&e);
  assert_int_equal(store_person_get(t->f.db, pid, "/", &row, &e), ERR_OK);
  int64_t w = row.worker_id;
  store_person_row_free(&row);
  return w;
}

/* The username of pid's responsible worker as the case file shows it ("":
 * none), read by c. */
static char *worker_name_of(Ctx *c, int64_t pid) {
  Person p;
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_get(c, pid, &p, &e), ERR_OK);
  char *w = strdup(p.worker);
  person_free(&p);
  return w;
}

/* app_person_set_worker(c, pid, username) answers want; with a field error
 * it is on "worker" with the message of the rule. */
static void set_worker_expect(Ctx *c, int64_t pid, const char *username, int want) {
  Err e;
  err_clear(&e);
  int rc = app_person_set_worker(c, pid, username, &e);
  if (rc != want) fail_msg("set_worker %s: expected %d, got %d (%s)", username ? username : "NULL", want, rc, e.msg);
  if (want == ERR_INVALID)
    assert_string_equal(err_field_msg(&e, "worker"), "责任社工须为该人员所在社区的社工或社区干部");
}

/* A community that moves to another street keeps its own workers as
 * responsible, but a cadre of the street it left no longer holds its
 * persons: that assignment is cleared (store_org_move). */
static void test_worker_after_move(void **state) {
  T *t = *state;
  fix_district_today(t, "2025-01-31");
  Actor street_cadre;
  fix_actor(t->f.db, &street_cadre, 31, "sc1", ROLE_CADRE, &t->s1);
  int64_t p = new_person(t, &t->ca, "卫一", "A"); /* wa's */
  int64_t q = new_person(t, &t->cs1, "卫二", "A");
  set_worker_expect(&t->cs1, q, "sc1", ERR_OK);
  assert_int_equal(worker_of(t, q), 31);
  Err e;
  err_clear(&e);
  assert_int_equal(app_org_move(&t->cadmin, "A", "S2", &e), ERR_OK);
  assert_int_equal(worker_of(t, p), t->worker_a.user_id); /* moved along with A */
  assert_int_equal(worker_of(t, q), 0);                   /* S1's cadre: no longer */
}

/* A worker who registers a person is its responsible worker; setting one
 * checks rights, scope, the account's role, state and unit; clearing,
 * setting the same again (no write), the audit row, the candidates, and a
 * change of unit that drops the worker. */
static void test_worker_assign(void **state) {
  T *t = *state;
  fix_district_today(t, "2025-01-31");
  int64_t p = new_person(t, &t->ca, "褚一", "A");     /* by worker A: wa's */
  int64_t q = new_person(t, &t->cs1, "褚二", "A");    /* by the street office: nobody's */
  int64_t r = new_person(t, &t->ccadre, "褚三", "A"); /* by a cadre: nobody's */
  assert_int_equal(worker_of(t, p), t->worker_a.user_id);
  assert_int_equal(worker_of(t, q), 0);
  assert_int_equal(worker_of(t, r), 0);
  char *w = worker_name_of(&t->ca, p);
  assert_string_equal(w, "wa");
  free(w);
  w = worker_name_of(&t->ca, q);
  assert_string_equal(w, "");
  free(w);

  /* refusals: the wrong account, nothing written */
  int64_t audits = fix_int(t->f.db, "SELECT count(*) FROM audit_log");
  set_worker_expect(&t->cs1, q, "wb", ERR_INVALID);     /* a worker of another community */
  set_worker_expect(&t->cs1, q, "wd", ERR_INVALID);     /* of another street */
  set_worker_expect(&t->cs1, q, "pa", ERR_INVALID);     /* the police liaison of A */
  set_worker_expect(&t->cs1, q, "os1", ERR_INVALID);    /* the street office */
  set_worker_expect(&t->cs1, q, "nobody", ERR_INVALID); /* no such account */
  Err e;
  err_clear(&e);
  assert_int_equal(db_exec(t->f.db, "UPDATE app_user SET active = 0 WHERE username = 'ca'", &e), ERR_OK);
  set_worker_expect(&t->cs1, q, "ca", ERR_INVALID);     /* disabled */
  err_clear(&e);
  assert_int_equal(db_exec(t->f.db, "UPDATE app_user SET active = 1 WHERE username = 'ca'", &e), ERR_OK);
  set_worker_expect(&t->cviewer, q, "wa", ERR_FORBIDDEN);
  set_worker_expect(&t->cpolice, q, "wa", ERR_FORBIDDEN);
  /* out of scope: exactly as a missing person, whatever the account */
  Err e1, e2;
  err_clear(&e1);
  err_clear(&e2);
  assert_int_equal(app_person_set_worker(&t->cb, q, "wb", &e1), ERR_NOT_FOUND);
  assert_int_equal(app_person_set_worker(&t->cb, 987654, "wb", &e2), ERR_NOT_FOUND);
  assert_string_equal(e1.msg, e2.msg);
  assert_int_equal(e1.nfields, 0);
  set_worker_expect(&t->cs2, q, "wa", ERR_NOT_FOUND);
  set_worker_expect(&t->cb, q, "nobody", ERR_NOT_FOUND);
  assert_int_equal(worker_of(t, q), 0);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log"), audits);

  /* set, set again (nothing written), change, clear: one audit row each */
  int64_t version = fix_int(t->f.db, "SELECT sum(version) FROM person");
  set_worker_expect(&t->cs1, q, "ca", ERR_OK); /* a cadre of A */
  assert_int_equal(worker_of(t, q), t->cadre_a.user_id);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log"), audits + 1);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'person'"
                                " AND detail = 'fields=\"worker\" from_worker=\"\" to_worker=\"ca\"'"),
                   1);
  set_worker_expect(&t->ca, q, "ca", ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log"), audits + 1);
  set_worker_expect(&t->cadmin, q, "wa", ERR_OK);
  assert_int_equal(worker_of(t, q), t->worker_a.user_id);
  set_worker_expect(&t->ccadre, q, NULL, ERR_OK);
  assert_int_equal(worker_of(t, q), 0);
  set_worker_expect(&t->ca, q, "", ERR_OK); /* already nobody's */
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log"), audits + 3);
  assert_int_equal(fix_int(t->f.db, "SELECT sum(version) FROM person"), version); /* nothing else bumped */

  /* the candidates: A's worker and cadre, workers first */
  PersonWorker *cand = NULL;
  int n = 0;
  err_clear(&e);
  assert_int_equal(app_person_worker_candidates(&t->cs1, q, &cand, &n, &e), ERR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(cand[0].username, "wa");
  assert_int_equal(cand[0].role, ROLE_WORKER);
  assert_string_equal(cand[1].username, "ca");
  assert_int_equal(cand[1].role, ROLE_CADRE);
  free(cand);
  err_clear(&e);
  assert_int_equal(app_person_worker_candidates(&t->cb, q, &cand, &n, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_person_worker_candidates(&t->cviewer, q, &cand, &n, &e), ERR_FORBIDDEN);

  /* moved to B by the correction of a wrong entry (an edit moves nobody:
   * issue 12): A's worker is no longer responsible */
  err_clear(&e);
  assert_int_equal(app_person_org_correct(&t->cs1, p, &(OrgCorrectionInput){"B", "建档时选错社区"}, &e), ERR_OK);
  assert_int_equal(worker_of(t, p), 0);
  set_worker_expect(&t->cs1, p, "wa", ERR_INVALID);
  set_worker_expect(&t->cs1, p, "wb", ERR_OK);
}

/* The work list of c (for org, NULL: the scope) with worker_id wid is
 * exactly the items of the whole list whose person lies in c's scope and is
 * wid's, in the same order, for every sort; counts and total agree. */
static void check_mine(T *t, Ctx *c, const char *org, int64_t wid) {
  static const char *const sorts[] = {"due", "name", "reason"};
  for (int s = 0; s < 3; s++) {
    int n = 0, m = 0;
    WorkItem *all = worklist_q(c, (WorkQuery){.org_code = org, .sort = sorts[s]}, &n);
    WorkItem *mine = worklist_q(c, (WorkQuery){.org_code = org, .worker_id = wid, .sort = sorts[s]}, &m);
    int64_t want[WL__COUNT] = {0};
    int j = 0;
    for (int i = 0; i < n; i++) {
      PersonRow row;
      Err e;
      err_clear(&e);
      bool in_scope = store_person_get(t->f.db, all[i].person_id, c->actor->org_path, &row, &e) == ERR_OK;
      if (in_scope) store_person_row_free(&row);
      if (!in_scope || worker_of(t, all[i].person_id) != wid) continue; /* incoming transfers are nobody's */
      assert_true(j < m);
      assert_int_equal(mine[j].person_id, all[i].person_id);
      assert_int_equal(mine[j].reason, all[i].reason);
      assert_int_equal(mine[j].approval_id, all[i].approval_id);
      assert_string_equal(mine[j].due_date, all[i].due_date);
      want[all[i].reason]++;
      j++;
    }
    assert_int_equal(j, m);
    int64_t got[WL__COUNT], total = -1;
    Err e;
    err_clear(&e);
    assert_int_equal(counts_of(c, (WorkQuery){.org_code = org, .worker_id = wid}, got, &total, &e), ERR_OK);
    assert_int_equal(total, m);
    for (int r = 0; r < WL__COUNT; r++) assert_int_equal(got[r], want[r]);
    free(all);
    free(mine);
  }
}

/* WorkQuery.worker_id ("my cases") selects from the same list: the items
 * of the persons of that responsible worker, incoming transfers left out,
 * a proposal of the actor only when its person is the worker's. */
static void test_worklist_mine(void **state) {
  T *t = *state;
  int64_t due = scenario(t, "2025-01-31", "甲", "social_supervision", "2024-12-03", "2024-12-03");  /* wa's */
  int64_t late = new_person(t, &t->ca, "乙", "A"); /* wa's, asks to move to D */
  add_status(t, &t->ca, late, "community_detox", "2024-07-01", "2024-07-01");
  int64_t lost = new_person(t, &t->cs1, "丁", "A"); /* the cadre's */
  add_status(t, &t->cs1, lost, "social_supervision", "2025-01-10", "2025-01-10");
  event(&t->cs1, lost, "lost_contact", "2025-01-30");
  set_worker_expect(&t->cs1, lost, "ca", ERR_OK);
  int64_t none = new_person(t, &t->cs1, "庚", "A"); /* nobody's */
  add_status(t, &t->cs1, none, "community_detox", "2024-07-01", "2024-07-01");
  int64_t other = new_person(t, &t->cb, "戊", "B"); /* wb's */
  add_status(t, &t->cb, other, "community_detox", "2024-07-01", "2024-07-01");
  int64_t far = new_person(t, &t->cd, "辛", "D"); /* wd's */
  add_status(t, &t->cd, far, "community_detox", "2024-07-01", "2024-07-01");
  EventInput ev = {.kind = "transfer_request", .date = "2025-01-31", .to_org = "D"};
  Err e;
  err_clear(&e);
  assert_int_equal(event_add(&t->ca, late, &ev), ERR_OK);
  /* worker A proposes for the cadre's person: on A's whole list, not on A's own */
  ApprovalInput ri = {.kind = "risk_override", .risk_level = "high", .reason = "多次拒检"};
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, lost, &ri, NULL, &e), ERR_OK);

  int n = 0;
  WorkItem *items = worklist_q(&t->ca, (WorkQuery){.worker_id = t->worker_a.user_id}, &n);
  assert_true(n > 0);
  assert_non_null(find_item(items, n, late, WL_TEST_OVERDUE));
  assert_non_null(find_item(items, n, late, WL_APPROVAL_PENDING)); /* the transfer A proposed, of A's person */
  assert_null(find_item(items, n, lost, WL_APPROVAL_PENDING));
  for (int i = 0; i < n; i++) assert_true(items[i].person_id == due || items[i].person_id == late);
  free(items);
  items = worklist_q(&t->ca, (WorkQuery){0}, &n);
  assert_non_null(find_item(items, n, lost, WL_APPROVAL_PENDING));
  free(items);
  /* the receiving office: late comes in on its whole list, on no one's own */
  items = worklist_q(&t->cs2, (WorkQuery){0}, &n);
  assert_non_null(find_item(items, n, late, WL_APPROVAL_PENDING));
  free(items);
  int64_t users[] = {t->worker_a.user_id, t->cadre_a.user_id, t->worker_b.user_id, t->worker_d.user_id,
                     t->office_s2.user_id};
  for (size_t u = 0; u < sizeof users / sizeof users[0]; u++) {
    items = worklist_q(&t->cs2, (WorkQuery){.worker_id = users[u]}, &n);
    for (int i = 0; i < n; i++) assert_int_equal(items[i].person_id, far);
    free(items);
    check_mine(t, &t->ca, NULL, users[u]);
    check_mine(t, &t->ccadre, NULL, users[u]);
    check_mine(t, &t->cs1, NULL, users[u]);
    check_mine(t, &t->cs1, "A", users[u]);
    check_mine(t, &t->cs2, NULL, users[u]);
    check_mine(t, &t->cadmin, NULL, users[u]);
  }
  /* one person's items, of the worker or not */
  items = worklist_q(&t->ca, (WorkQuery){.person_id = due, .worker_id = t->cadre_a.user_id}, &n);
  assert_int_equal(n, 0);
  free(items);
  items = worklist_q(&t->ca, (WorkQuery){.person_id = due, .worker_id = t->worker_a.user_id}, &n);
  assert_true(n > 0);
  free(items);
  /* the office approves the transfer: late moves to D without a worker */
  int64_t aid = 0;
  items = worklist_q(&t->cs2, (WorkQuery){0}, &n);
  for (int i = 0; i < n; i++)
    if (items[i].person_id == late && items[i].reason == WL_APPROVAL_PENDING) aid = items[i].approval_id;
  free(items);
  assert_true(aid > 0);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs2, aid, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
  assert_int_equal(worker_of(t, late), 0);
  items = worklist_q(&t->ca, (WorkQuery){.worker_id = t->worker_a.user_id}, &n);
  for (int i = 0; i < n; i++) assert_int_equal(items[i].person_id, due);
  free(items);
}

/* Rules per org unit, inherited down the tree; admin only. */
static void test_schedule_rules(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-03-01", "蒋一", "community_detox", "2025-01-01", "2025-01-01");
  assert_string_equal(derived(t, p).next_test_due, "2025-03-01");
  Err e;
  assert_int_equal(rule_set(&t->cs1, "S1", "annual_counts"), ERR_FORBIDDEN);
  assert_int_equal(rule_set(&t->cadmin, "S1", "nope"), ERR_INVALID);
  assert_int_equal(rule_set(&t->cadmin, "S1", "annual_counts"), ERR_OK);
  assert_string_equal(derived(t, p).next_test_due, "2025-02-01"); /* detox: monthly in year 1 */
  OrgRuleInfo info;
  err_clear(&e);
  assert_int_equal(app_schedule_rule_of_org(&t->ca, "A", &info, &e), ERR_OK);
  assert_string_equal(info.rule_code, "annual_counts");
  assert_string_equal(info.inherited_from, "S1");
  assert_string_equal(info.own_rule, "");

  bool created = false;
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "town_x", "某镇规则", "base=12:4:4,36:6:6;release=36", &created, &e),
                   ERR_OK);
  assert_true(created);
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "default", "x", "base=12:4:4;release=36", NULL, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "bad", "x", "base=oops", NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "spec"));
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->ca, "w", "x", "base=12:4:4;release=36", NULL, &e), ERR_FORBIDDEN);
  assert_int_equal(rule_set(&t->cadmin, "A", "town_x"), ERR_OK);
  assert_string_equal(derived(t, p).next_test_due, "2025-05-01");
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "town_x", "某镇规则", "base=12:3:3;release=36", &created, &e),
                   ERR_OK);
  assert_false(created);
  assert_string_equal(derived(t, p).next_test_due, "2025-04-01"); /* persons using it were refreshed */
  ScheduleRuleInfo *rules = NULL;
  int n;
  err_clear(&e);
  assert_int_equal(app_schedule_rule_list(&t->ca, &rules, &n, &e), ERR_OK);
  assert_int_equal(n, schedule_preset_count() + 1);
  assert_string_equal(rules[0].code, "default");
  assert_true(rules[0].preset);
  assert_string_equal(rules[n - 1].code, "town_x");
  free(rules);
  assert_int_equal(rule_set(&t->cadmin, "A", NULL), ERR_OK); /* inherit again */
  assert_string_equal(derived(t, p).next_test_due, "2025-02-01");
  err_clear(&e);
  assert_int_equal(app_schedule_rule_of_org(&t->cb, "A", &info, &e), ERR_NOT_FOUND);
}

/* The doctor: nothing after a varied history, one difference after a
 * stored due date is corrupted. */
static void test_doctor(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-01-31", "沈一", "community_detox", "2025-01-20", NULL);
  event(&t->ca, p, "reported", "2025-01-31");
  fix_district_today(t, "2025-03-31");
  test_r(&t->ca, p, "2025-03-31", "negative");
  visit(&t->ca, p, "2025-03-30");
  int64_t q = new_person(t, &t->ca, "沈二", "A");
  add_status(t, &t->ca, q, "social_supervision", "2024-01-01", "2024-01-01");
  test_r(&t->ca, q, "2025-01-05", "positive");
  /* a correction replaces the row it corrects */
  TestInput fix = {.date = "2025-01-05", .sample = "urine", .reason = "scheduled", .result = "negative", .corrects_id = 0};
  int64_t tid = fix_int(t->f.db, "SELECT max(id) FROM drug_test");
  fix.corrects_id = tid;
  Err e;
  err_clear(&e);
  assert_int_equal(app_test_add(&t->ca, q, &fix, NULL, &e), ERR_OK);
  assert_string_equal(derived(t, q).clock_start, "2024-01-01");
  err_clear(&e);
  assert_int_equal(app_test_add(&t->ca, q, &fix, NULL, &e), ERR_INVALID); /* already corrected */
  new_person(t, &t->ca, "沈三", "A"); /* no status at all */
  fix_district_today(t, "2025-09-01"); /* the doctor runs later: stored values do not age */
  assert_int_equal(doctor(t), 0);
  char sql[128];
  snprintf(sql, sizeof sql, "UPDATE person SET next_test_due = '2025-06-01' WHERE id = %lld", (long long)p);
  err_clear(&e);
  assert_int_equal(db_exec(t->f.db, sql, &e), ERR_OK);
  assert_int_equal(doctor(t), 1);
  /* the repair rewrites exactly that person */
  int64_t persons = 0, changed = 0;
  err_clear(&e);
  assert_int_equal(supervision_recompute_all(t->f.db, t->cadmin.today, "2025-09-01T00:00:00+08:00", &persons, &changed,
                                             &e), ERR_OK);
  assert_int_equal(persons, 3);
  assert_int_equal(changed, 1);
  assert_int_equal(doctor(t), 0);
  assert_string_equal(derived(t, p).next_test_due, "2025-05-31");
}

/* ---- every reason to its clearing action (issue 8) --------------------- */

/* Performs the action that clears work item w of person pid
 * (work_reason_action: what the workbench offers), today, as c; an approval
 * is decided (approved) by decider. */
static void clear_by_action(T *t, Ctx *c, Ctx *decider, int64_t pid, const WorkItem *w) {
  const WorkAction *a = work_reason_action(w->reason);
  char today[DATE_ISO_LEN];
  date_format(c->today, today);
  Err e;
  err_clear(&e);
  switch (a->kind) {
  case WA_TEST: test_r(c, pid, today, "negative"); break;
  case WA_VISIT: {
    VisitInput in = {.date = today, .kind = a->arg ? a->arg : "talk", .notes = "按待办登记"};
    if (app_visit_add(c, pid, &in, NULL, &e) != ERR_OK) fail_msg("visit: %s", e.msg);
    break;
  }
  case WA_EVENT: event(c, pid, a->arg, today); break;
  case WA_STATUS: add_status(t, c, pid, "social_supervision", today, today); break;
  case WA_APPROVAL:
    if (app_approval_decide(decider, w->approval_id, &(DecisionInput){"approve", NULL}, &e) != ERR_OK)
      fail_msg("decide: %s", e.msg);
    break;
  case WA_PROPOSE: {
    ApprovalInput in = {.kind = a->arg};
    if (app_approval_propose(c, pid, &in, NULL, &e) != ERR_OK) fail_msg("propose %s: %s", a->arg, e.msg);
    break;
  }
  case WA_PLAN: { /* reviewed: a new version, the next review ahead */
    char next[DATE_ISO_LEN];
    date_format(date_add_months(c->today, 3), next);
    PlanInput in = {.goals = "复查后继续帮扶", .review_date = next, .measures = {{"每月谈心一次", today, ""}},
                    .nmeasures = 1};
    if (app_plan_add(c, pid, &in, NULL, &e) != ERR_OK) fail_msg("plan: %s", e.msg);
    break;
  }
  case WA_SERVICE: { /* followed up: the service accepted, no further follow-up */
    ServiceRow *s = NULL;
    int n = 0;
    int64_t total = 0;
    if (app_service_list(c, pid, 1, 20, &s, &n, &total, &e) != ERR_OK || n == 0) fail_msg("services: %s", e.msg);
    ServiceStepInput in = {.state = "accepted", .date = today, .outcome = "已安排面试"};
    int64_t sid = s[0].id;
    free(s);
    if (app_service_step(c, sid, &in, NULL, &e) != ERR_OK) fail_msg("step: %s", e.msg);
    break;
  }
  }
}

/* Sets up person pid with an item of reason r as of today (in community A,
 * recorded by its worker); *decider: who decides an approval item. */
static int64_t reason_scenario(T *t, WorkReason r, Ctx **decider) {
  Err e;
  err_clear(&e);
  *decider = &t->cadmin;
  fix_district_today(t, "2025-06-01");
  int64_t p = new_person(t, &t->ca, work_reason_code(r), "A");
  switch (r) {
  case WL_TEST_DUE:
  case WL_TALK_DUE: add_status(t, &t->ca, p, "community_detox", "2025-04-01", "2025-04-05"); break; /* due 06-05 */
  case WL_TEST_OVERDUE:
  case WL_TALK_OVERDUE: add_status(t, &t->ca, p, "community_detox", "2025-02-25", "2025-03-01"); break; /* 05-01 */
  case WL_MISSED_TWO_TESTS: add_status(t, &t->ca, p, "community_detox", "2024-12-25", "2025-01-01"); break;
  case WL_REPORT_DEADLINE: add_status(t, &t->ca, p, "community_detox", "2025-05-25", NULL); break;
  case WL_RELEASE_PICKUP: {
    add_status(t, &t->ca, p, "compulsory_isolation", "2023-06-01", "2023-06-01");
    EventInput ev = {.kind = "release_notice", .date = "2025-06-03"};
    assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
    break;
  }
  case WL_LOST_CONTACT:
    add_status(t, &t->ca, p, "social_supervision", "2025-01-01", "2025-01-01");
    event(&t->ca, p, "lost_contact", "2025-05-20");
    break;
  case WL_SERIOUS_BREACH:
  case WL_POLICE_DECISION:
    add_status(t, &t->ca, p, "community_detox", "2025-01-01", "2025-01-01");
    test_r(&t->ca, p, "2025-03-01", "refused");
    test_r(&t->ca, p, "2025-04-01", "absent");
    test_r(&t->ca, p, "2025-05-01", "refused");
    if (r == WL_POLICE_DECISION) event(&t->ca, p, "police_report", "2025-05-03");
    break;
  case WL_LEAVE_OVERDUE: {
    add_status(t, &t->ca, p, "community_detox", "2025-01-01", "2025-01-01");
    fix_district_today(t, "2025-05-20"); /* asked for on its first day: two days, the worker's own */
    EventInput ev = {.kind = "leave", .date = "2025-05-20", .until = "2025-05-21", .note = "探亲"};
    assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
    fix_district_today(t, "2025-06-01");
    break;
  }
  case WL_APPROVAL_PENDING: {
    add_status(t, &t->ca, p, "social_supervision", "2025-01-01", "2025-01-01");
    ApprovalInput in = {.kind = "risk_override", .risk_level = "high", .reason = "与涉毒人员来往密切"};
    assert_int_equal(app_approval_propose(&t->ca, p, &in, NULL, &e), ERR_OK);
    break;
  }
  case WL_FILE_INCOMPLETE: break; /* registered without status */
  case WL_PLAN_REVIEW: { /* a plan made on 05-01 whose review date (05-20) has passed */
    add_status(t, &t->ca, p, "social_supervision", "2025-01-01", "2025-01-01");
    fix_district_today(t, "2025-05-01");
    PlanInput in = {.goals = "稳定就业，远离涉毒人员", .review_date = "2025-05-20", .responsible = "社工甲",
                    .measures = {{"每月谈心一次", "2025-05-01", "社工甲"}}, .nmeasures = 1};
    if (app_plan_add(&t->ca, p, &in, NULL, &e) != ERR_OK) fail_msg("plan: %s", e.msg);
    fix_district_today(t, "2025-06-01");
    break;
  }
  case WL_SERVICE_FOLLOWUP: { /* a referral of 05-01 whose follow-up (05-25) is due */
    add_status(t, &t->ca, p, "social_supervision", "2025-01-01", "2025-01-01");
    fix_district_today(t, "2025-05-01");
    ServiceInput in = {.kind = "employment", .provider = "区人社局", .referral_date = "2025-05-01",
                       .follow_up_date = "2025-05-25"};
    if (app_service_add(&t->ca, p, &in, NULL, &e) != ERR_OK) fail_msg("service: %s", e.msg);
    fix_district_today(t, "2025-06-01");
    break;
  }
  case WL_ELIGIBLE_FOR_RELEASE: add_status(t, &t->ca, p, "community_detox", "2022-04-25", "2022-05-01"); break;
  /* two years of isolation: planned end 2025-06-19, on the list from 05-20 */
  case WL_RELEASE_UPCOMING: add_status(t, &t->ca, p, "compulsory_isolation", "2023-06-20", "2023-06-20"); break;
  /* planned end 2025-05-19 passed without a release or an extension */
  case WL_RELEASE_UNCONFIRMED: add_status(t, &t->ca, p, "compulsory_isolation", "2023-05-20", "2023-05-20"); break;
  case WL__COUNT: fail_msg("no reason");
  }
  return p;
}


/* ---- casework (issue 9) ------------------------------------------------- */

static unsigned file_missing(T *t, Ctx *c, int64_t p) {
  (void)t;
  CaseFileCheck f;
  Err e;
  err_clear(&e);
  assert_int_equal(app_casework_file(c, p, &f, &e), ERR_OK);
  assert_true(f.applies);
  return f.missing;
}

/* A file going incomplete -> complete, dated: a community detox order of
 * 2025-04-05, a help team of family only (四位一体 needs four roles), no
 * plan, no agreement; each form clears its check; a unit that says 六位一体
 * makes the file incomplete again, below it too; the doctor agrees. */
static void test_casework_file(void **state) {
  T *t = *state;
  Err e;
  err_clear(&e);
  int64_t p = scenario(t, "2025-06-01", "档案完整", "community_detox", "2025-04-01", "2025-04-05");
  assert_int_equal(file_missing(t, &t->ca, p), CF_TEAM | CF_PLAN | CF_DOCUMENT);
  /* the team: four roles (labels typed; one text no role matches kept as other) */
  PersonInput in;
  memset(&in, 0, sizeof in);
  const char *roles[5][2] = {{"家属", "母亲"}, {"社区民警", "李警官"}, {"禁毒社工", "王社工"}, {"社区干部", "赵主任"},
                             {"邻居", "钱某"}};
  for (int i = 0; i < 5; i++) fix_team_add(&in, roles[i][0], roles[i][1], "");
  Person cur;
  assert_int_equal(app_person_get(&t->ca, p, &cur, &e), ERR_OK);
  int64_t version = cur.version;
  person_free(&cur);
  if (app_person_update(&t->ca, p, &in, version, &e) != ERR_OK) fail_msg("team: %s", e.msg);
  assert_int_equal(file_missing(t, &t->ca, p), CF_PLAN | CF_DOCUMENT);
  assert_int_equal(app_person_get(&t->ca, p, &cur, &e), ERR_OK);
  assert_string_equal(cur.team[4].role, "other");
  assert_string_equal(cur.team[4].role_other, "邻居");
  person_free(&cur);
  /* the plan: bad input first (nothing written), then one measure */
  PlanInput bad = {.goals = "", .review_date = "2025-05-01", .nmeasures = 0};
  assert_int_equal(app_plan_add(&t->ca, p, &bad, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "goals"));
  assert_string_equal(err_field_msg(&e, "review_date"), "复查日期应晚于今天");
  assert_string_equal(err_field_msg(&e, "measures"), "至少填写一项帮教措施");
  err_clear(&e);
  PlanInput plan = {.goals = "保持操守", .review_date = "2025-09-01", .measures = {{"每月谈话", "2025-06-01", ""}},
                    .nmeasures = 1};
  assert_int_equal(app_plan_add(&t->cb, p, &plan, NULL, &e), ERR_NOT_FOUND); /* another community's worker */
  err_clear(&e);
  assert_int_equal(app_plan_add(&t->ca, p, &plan, NULL, &e), ERR_OK);
  assert_int_equal(file_missing(t, &t->ca, p), CF_DOCUMENT);
  /* the agreement */
  DocInput doc = {"agreement", "2025-06-01", "XY-1"};
  assert_int_equal(app_person_add_doc(&t->ca, p, &doc, &e), ERR_OK);
  assert_int_equal(file_missing(t, &t->ca, p), 0);
  assert_int_equal(doctor(t), 0);
  /* 六位一体 set on the street: judicial, civil affairs and human resources missing */
  assert_int_equal(app_team_requirement_set(&t->ca, "S1", "six", &e), ERR_FORBIDDEN); /* a worker may not */
  err_clear(&e);
  assert_int_equal(app_team_requirement_set(&t->cs1, "S1", "six", &e), ERR_OK);
  assert_int_equal(file_missing(t, &t->ca, p), CF_TEAM);
  assert_int_equal(doctor(t), 0);
  assert_int_equal(app_team_requirement_set(&t->cs1, "S1", NULL, &e), ERR_OK); /* inherits the default again */
  assert_int_equal(file_missing(t, &t->ca, p), 0);
  assert_int_equal(app_team_requirement_set(&t->cs1, "S1", NULL, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_team_requirement_set(&t->cs1, "S1", "family,nobody", &e), ERR_INVALID);
  err_clear(&e);
  /* a talk overdue makes it incomplete on the day it is due */
  fix_district_today(t, "2025-07-10");
  assert_int_equal(file_missing(t, &t->ca, p), CF_TALK);
}

/* The states of a service: referred -> accepted -> delivered, or declined
 * with a reason; a step back, a date before the last step, a follow-up
 * before its step are refused; out of scope is not found. */
static void test_casework_service(void **state) {
  T *t = *state;
  Err e;
  err_clear(&e);
  int64_t p = scenario(t, "2025-06-01", "服务转介", "social_supervision", "2025-01-01", "2025-01-01");
  ServiceInput bad = {.kind = "other", .provider = "", .referral_date = "2025-06-02", .follow_up_date = "2025-05-01"};
  assert_int_equal(app_service_add(&t->ca, p, &bad, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "provider"));
  assert_non_null(err_field_msg(&e, "referral_date"));
  assert_string_equal(err_field_msg(&e, "kind_other"), "请注明其他服务的类别");
  err_clear(&e);
  ServiceInput in = {.kind = "methadone", .provider = "区疾控中心", .referral_date = "2025-05-20",
                     .follow_up_date = "2025-06-10"};
  int64_t sid = 0;
  assert_int_equal(app_service_add(&t->ca, p, &in, &sid, &e), ERR_OK);
  step_refused(&t->ca, sid, (ServiceStepInput){.state = "delivered", .date = "2025-05-25"}, /* referred -> delivered */
               "state", "该服务当前状态不能改为所选状态");
  step_refused(&t->ca, sid, (ServiceStepInput){.state = "accepted", .date = "2025-05-10"}, "date",
               "日期不能早于该服务上一步的日期");
  ServiceStepInput acc = {.state = "accepted", .date = "2025-05-25", .follow_up_date = "2025-06-20"};
  assert_int_equal(app_service_step(&t->cb, sid, &acc, NULL, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_service_step(&t->ca, sid, &acc, NULL, &e), ERR_OK);
  step_refused(&t->ca, sid, (ServiceStepInput){.state = "declined", .date = "2025-05-30"}, "reason", "请填写未受理的原因");
  ServiceStepInput del = {.state = "delivered", .date = "2025-05-30", .outcome = "已入组治疗"};
  assert_int_equal(app_service_step(&t->ca, sid, &del, NULL, &e), ERR_OK);
  ServiceRow s;
  ServiceStepRow *steps = NULL;
  int n = 0;
  assert_int_equal(app_service_get(&t->ca, sid, &s, &steps, &n, &e), ERR_OK);
  assert_string_equal(s.state, "delivered");
  assert_string_equal(s.follow_up_date, "");
  assert_int_equal(n, 3);
  free(steps);
  assert_int_equal(app_service_get(&t->cb, sid, &s, &steps, &n, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_false(work_item(&t->ca, p, WL_SERVICE_FOLLOWUP, NULL));
}

/* Every reason of the work list (WL_* of core/supervision.h: a new one
 * fails here until it has its scenario): set up, it is on the list with
 * since when and why; its action (what the workbench offers) clears it, or
 * for an approval its proposer cannot clear it (she waits: 查看申请) and the
 * one who may decide does; then the doctor agrees with every stored field. */
static void test_every_reason_clears(void **state) {
  T *t = *state;
  for (int k = 0; k < WL__COUNT; k++) {
    WorkReason r = (WorkReason)k;
    Ctx *decider;
    int64_t p = reason_scenario(t, r, &decider);
    WorkItem w;
    if (!work_item(&t->ca, p, r, &w)) fail_msg("%s: not on the work list", work_reason_code(r));
    if (!w.why.since[0] || !w.why.why_zh || !w.why.why_zh[0])
      fail_msg("%s: no since/why (since %s)", work_reason_code(r), w.why.since);
    if (r == WL_APPROVAL_PENDING) { /* the proposer waits; the office that decides sees it decidable */
      assert_false(w.can_decide);
      WorkItem d;
      assert_true(work_item(decider, p, r, &d));
      assert_true(d.can_decide);
      w = d;
    }
    clear_by_action(t, &t->ca, decider, p, &w);
    if (work_item(&t->ca, p, r, NULL) || work_item(decider, p, r, NULL))
      fail_msg("%s: still listed after %s", work_reason_code(r), work_reason_action(r)->label_zh);
    if (doctor(t) != 0) fail_msg("%s: the doctor differs", work_reason_code(r));
  }
}

/* What the items say: the refusals of a serious breach by date, the day
 * contact was lost, the order's decision, the leave's days. */
static void test_reason_why(void **state) {
  T *t = *state;
  Ctx *decider;
  int64_t p = reason_scenario(t, WL_SERIOUS_BREACH, &decider);
  WorkItem w;
  assert_true(work_item(&t->ca, p, WL_SERIOUS_BREACH, &w));
  assert_string_equal(w.why.since, "2025-05-01");
  assert_string_equal(w.why.detail, "3: 2025-03-01, 2025-04-01, 2025-05-01");
  p = reason_scenario(t, WL_LOST_CONTACT, &decider);
  assert_true(work_item(&t->ca, p, WL_LOST_CONTACT, &w));
  assert_string_equal(w.why.since, "2025-05-20");
  p = reason_scenario(t, WL_REPORT_DEADLINE, &decider);
  assert_true(work_item(&t->ca, p, WL_REPORT_DEADLINE, &w));
  assert_string_equal(w.why.since, "2025-05-25");
  assert_string_equal(w.due_date, "2025-06-09");
  p = reason_scenario(t, WL_LEAVE_OVERDUE, &decider);
  assert_true(work_item(&t->ca, p, WL_LEAVE_OVERDUE, &w));
  assert_string_equal(w.due_date, "2025-05-21");
  assert_string_equal(w.why.since, "2025-05-22");
  assert_string_equal(w.why.detail, "2025-05-20 - 2025-05-21");
  assert_int_equal(w.days_overdue, 11);
}

/* The law's path after a serious breach (DOMAIN.md §3): reported to the
 * police, the item waits for their decision; compulsory isolation ends the
 * community order (and the breach); a decision that the order goes on
 * restarts the count, so that one more refusal is no serious breach. */
static void test_breach_after_report(void **state) {
  T *t = *state;
  Ctx *decider;
  int64_t p = reason_scenario(t, WL_SERIOUS_BREACH, &decider);
  event(&t->ca, p, "police_report", "2025-06-01");
  SupDerived d = derived(t, p);
  assert_int_equal(d.serious_breach, SUP_BREACH_REPORTED);
  assert_false(work_item(&t->ca, p, WL_SERIOUS_BREACH, NULL));
  WorkItem w;
  assert_true(work_item(&t->ca, p, WL_POLICE_DECISION, &w));
  assert_string_equal(w.why.since, "2025-06-01");
  event(&t->ca, p, "police_decision", "2025-06-01");
  d = derived(t, p);
  assert_int_equal(d.serious_breach, 0);
  assert_int_equal(d.breach_tests, 0);
  fix_district_today(t, "2025-06-10");
  test_r(&t->ca, p, "2025-06-10", "refused");
  assert_int_equal(derived(t, p).breach_tests, 1);
  assert_int_equal(derived(t, p).serious_breach, 0);
  /* a report made before the breach became serious does not count for it */
  int64_t q = new_person(t, &t->ca, "报告在先", "A");
  fix_district_today(t, "2025-06-01");
  add_status(t, &t->ca, q, "community_detox", "2025-01-01", "2025-01-01");
  test_r(&t->ca, q, "2025-03-01", "refused");
  event(&t->ca, q, "police_report", "2025-03-02");
  test_r(&t->ca, q, "2025-04-01", "refused");
  test_r(&t->ca, q, "2025-05-01", "refused");
  assert_int_equal(derived(t, q).serious_breach, SUP_BREACH_SERIOUS);
  /* the other decision: compulsory isolation, a status episode */
  int64_t z = reason_scenario(t, WL_POLICE_DECISION, &decider);
  assert_true(work_item(&t->ca, z, WL_POLICE_DECISION, NULL));
  add_status(t, &t->ca, z, "compulsory_isolation", "2025-06-01", "2025-06-01");
  assert_false(work_item(&t->ca, z, WL_POLICE_DECISION, NULL));
  assert_int_equal(derived(t, z).serious_breach, 0);
  /* police_decision only under a community order */
  EventInput ev = {.kind = "police_decision", .date = "2025-06-01"};
  assert_int_equal(event_add(&t->ca, z, &ev), ERR_INVALID);
  fix_district_today(t, "2025-06-10"); /* the doctor as of the latest record */
}

/* Leave (请假外出): asked for before it starts; under 3 days the worker's
 * own, 3 days or more approved by the street office (the proposer is told;
 * rejected, the leave is cancelled); the return closes it; a leave ended
 * before it is recorded is a record after the fact. */
static void test_leave(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "请假一", "community_detox", "2025-01-01", "2025-01-01");
  EventInput ev = {.kind = "leave", .date = "2025-06-10", .until = "2025-06-20", .note = "回乡探亲"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_CONFLICT); /* one request pending at a time */
  int64_t ev_id = fix_int(t->f.db, "SELECT max(id) FROM person_event WHERE kind = 'leave'");
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM person_event WHERE kind = 'leave' AND status = 'open'"), 1);
  assert_string_equal(derived(t, p).leave_until, "2025-06-20");
  WorkItem w;
  assert_true(work_item(&t->ca, p, WL_APPROVAL_PENDING, &w));
  assert_false(w.can_decide);
  assert_true(work_item(&t->cs1, p, WL_APPROVAL_PENDING, &w)); /* the street office of the person */
  assert_true(w.can_decide);
  assert_false(work_item(&t->cs2, p, WL_APPROVAL_PENDING, NULL));
  Err e;
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->ca, w.approval_id, &(DecisionInput){"approve", NULL}, &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs1, w.approval_id, &(DecisionInput){"reject", "未提交书面报告"}, &e), ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM person_event WHERE kind = 'leave' AND status = 'cancelled'"), 1);
  assert_string_equal(derived(t, p).leave_until, "");
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM notice WHERE user_id = 1 AND kind = 'approval_decided'"), 1);
  (void)ev_id;
  /* asked again, approved: open until the return */
  ev.note = "已提交书面报告";
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  assert_true(work_item(&t->cs1, p, WL_APPROVAL_PENDING, &w));
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs1, w.approval_id, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
  assert_string_equal(derived(t, p).leave_until, "2025-06-20");
  fix_district_today(t, "2025-06-20");
  assert_false(work_item(&t->ca, p, WL_LEAVE_OVERDUE, NULL)); /* the last day is still on time */
  fix_district_today(t, "2025-06-22");
  assert_true(work_item(&t->ca, p, WL_LEAVE_OVERDUE, &w));
  assert_int_equal(w.days_overdue, 2);
  event(&t->ca, p, "leave_return", "2025-06-22");
  assert_false(work_item(&t->ca, p, WL_LEAVE_OVERDUE, NULL));
  ev = (EventInput){.kind = "leave_return", .date = "2025-06-22"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_INVALID); /* nothing to return from */
  /* recorded after the fact: a plain record, no approval, not open */
  ev = (EventInput){.kind = "leave", .date = "2025-06-01", .until = "2025-06-05"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM person_event WHERE kind = 'leave' AND status IS NULL"), 1);
  assert_int_equal(derived(t, p).approvals_pending, 0);
  /* a leave more than a year ahead is refused */
  ev = (EventInput){.kind = "leave", .date = "2026-07-01", .until = "2026-07-02"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_INVALID);
  /* through the approvals: only a leave that needs one */
  ApprovalInput ai = {.kind = "leave", .date = "2025-07-01", .until = "2025-07-02"};
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &ai, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "until"));
  ai.until = "2025-07-05";
  err_clear(&e);
  assert_int_equal(app_approval_propose(&t->ca, p, &ai, NULL, &e), ERR_OK);
}

/* A closed file (dead, emigrated): neither in control nor lost, no talk or
 * test (corrections of earlier ones stay possible), no lost-contact item. */
static void test_closed_file(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "关闭一", "social_supervision", "2025-01-01", "2025-01-01");
  int64_t vid = visit(&t->ca, p, "2025-02-01");
  event(&t->ca, p, "lost_contact", "2025-05-01");
  assert_true(work_item(&t->ca, p, WL_LOST_CONTACT, NULL));
  add_status(t, &t->ca, p, "dead", "2025-05-30", "2025-05-30");
  SupDerived d = derived(t, p);
  assert_string_equal(d.control, "in_control");
  assert_string_equal(supervision_control_shown(d.status, d.control), "closed");
  assert_false(work_item(&t->ca, p, WL_LOST_CONTACT, NULL));
  VisitInput vi = {.date = "2025-06-01", .kind = "talk"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_visit_add(&t->ca, p, &vi, NULL, &e), ERR_CONFLICT);
  assert_string_equal(e.msg, "该人员已死亡或出境，档案已关闭，不能登记谈话走访或检测");
  TestInput ti = {.date = "2025-06-01", .sample = "urine", .reason = "scheduled", .result = "negative"};
  err_clear(&e);
  assert_int_equal(app_test_add(&t->cpolice, p, &ti, NULL, &e), ERR_CONFLICT);
  vi.corrects_id = vid; /* a correction of an earlier talk */
  vi.date = "2025-02-02";
  err_clear(&e);
  assert_int_equal(app_visit_add(&t->ca, p, &vi, NULL, &e), ERR_OK);
  assert_string_equal(supervision_control_shown("emigrated", "lost_contact"), "closed");
  assert_string_equal(supervision_control_shown("community_detox", "lost_contact"), "lost_contact");
}

/* Notices: a decided approval tells its proposer (not the decider); an
 * approved transfer tells the social workers of both communities; a file
 * given to a worker tells her; each is marked read once. */
static void test_notices(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "通知一", "social_supervision", "2025-01-01", "2025-01-01");
  EventInput ev = {.kind = "transfer_request", .date = "2025-06-01", .to_org = "D"};
  assert_int_equal(event_add(&t->ca, p, &ev), ERR_OK);
  WorkItem w;
  assert_true(work_item(&t->cs2, p, WL_APPROVAL_PENDING, &w));
  Err e;
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs2, w.approval_id, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
  Notice decided = only_notice(&t->ca, "approval_decided"); /* the proposer: the decision (not also "moved out") */
  assert_string_equal(decided.approval_state, "approved");
  assert_int_equal(decided.person_id, p);
  int64_t nid = decided.id;
  only_notice(&t->cd, "moved_in");
  only_notice(&t->cs2, NULL); /* the decider is told nothing */
  int64_t k = 0;
  err_clear(&e);
  assert_int_equal(app_notice_read(&t->cd, nid, &k, &e), ERR_NOT_FOUND); /* not hers */
  err_clear(&e);
  assert_int_equal(app_notice_read(&t->ca, nid, &k, &e), ERR_OK);
  assert_int_equal(k, 1);
  err_clear(&e);
  assert_int_equal(app_notice_read(&t->ca, nid, &k, &e), ERR_NOT_FOUND); /* read already */
  /* a file given to a worker by someone else */
  int64_t q = new_person(t, &t->cs1, "通知二", "A");
  err_clear(&e);
  assert_int_equal(app_person_set_worker(&t->cs1, q, "wa", &e), ERR_OK);
  only_notice(&t->ca, "assigned");
  err_clear(&e);
  assert_int_equal(app_notice_read(&t->ca, 0, &k, &e), ERR_OK);
  assert_int_equal(k, 1);
}

/* The derived fields a migration marked stale are recomputed by the C
 * function at the next open (sup_refresh_stale), and the list empties. */
static void test_refresh_stale(void **state) {
  T *t = *state;
  Ctx *decider;
  int64_t p = reason_scenario(t, WL_POLICE_DECISION, &decider);
  Err e;
  err_clear(&e);
  /* as migration 10 found a person who was reported before the rule knew it */
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE person SET serious_breach = 1 WHERE id = %lld;"
                            " INSERT INTO derived_stale (person_id) VALUES (%lld)", (long long)p, (long long)p);
  assert_int_equal(db_exec(t->f.db, sql, &e), ERR_OK);
  assert_int_equal(doctor(t), 1);
  int64_t n = 0;
  assert_int_equal(sup_refresh_stale(t->f.db, &n, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(derived(t, p).serious_breach, SUP_BREACH_REPORTED);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM derived_stale"), 0);
  assert_int_equal(doctor(t), 0);
  assert_int_equal(sup_refresh_stale(t->f.db, &n, &e), ERR_OK);
  assert_int_equal(n, 0);
}

/* ---- releases seen coming, offences (issue 9) ---------------------------- */

/* An isolation of two years ends 2025-06-19: the person is on the work list
 * (release_upcoming) from 30 days before (05-20, not 05-19) to that day;
 * a release notice turns it into the pickup (出所必接) and the released
 * event clears everything; an end that passes unconfirmed is
 * release_unconfirmed until an extension moves it (upcoming again, then
 * passed again) or a release is recorded. */
static void test_release_seen_coming(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-05-19", "出所甲", "compulsory_isolation", "2023-06-20", "2023-06-20");
  WorkItem w = release_window(t, p, "2025-06-19", "2025-05-20"); /* 31 days out, then 30 */
  assert_string_equal(w.due_date, "2025-06-19");
  assert_string_equal(w.why.since, "2025-05-20");
  assert_string_equal(w.why.detail, "2025-06-19");
  fix_district_today(t, "2025-06-19");
  assert_true(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL)); /* the day itself */
  assert_false(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, NULL));
  fix_district_today(t, "2025-06-20");
  assert_false(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL));
  assert_true(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, &w));
  assert_string_equal(w.why.since, "2025-06-20");
  assert_int_equal(w.days_overdue, 1);
  assert_int_equal(doctor(t), 0);
  /* an extension (延期) of the isolation: a new expected end */
  EventInput ext = {.kind = "extension", .date = "2025-06-20", .expected_end = "2025-06-10"};
  assert_int_equal(event_add(&t->ca, p, &ext), ERR_INVALID); /* not later than the old one */
  ext.expected_end = "2026-06-19";
  assert_int_equal(event_add(&t->ca, p, &ext), ERR_OK);
  assert_string_equal(derived(t, p).release_due, "2026-06-19");
  assert_false(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, NULL));
  assert_false(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL));
  fix_district_today(t, "2026-05-25");
  assert_true(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL));
  /* the notice: the pickup on its date, no upcoming item beside it */
  EventInput notice = {.kind = "release_notice", .date = "2026-06-05"};
  assert_int_equal(event_add(&t->ca, p, &notice), ERR_OK);
  SupDerived d = derived(t, p);
  assert_string_equal(d.release_due, "");
  assert_string_equal(d.pickup_due, "2026-06-05");
  assert_false(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL));
  assert_true(work_item(&t->ca, p, WL_RELEASE_PICKUP, NULL));
  fix_district_today(t, "2026-06-05");
  event(&t->ca, p, "released", "2026-06-05");
  d = derived(t, p);
  assert_string_equal(d.release_due, "");
  assert_string_equal(d.pickup_due, "");
  assert_false(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, NULL));
  fix_district_today(t, "2026-07-01"); /* still isolation on file, but the release is recorded */
  assert_false(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, NULL));
  assert_int_equal(doctor(t), 0);
  /* an extension needs custody; a bad expected end is refused */
  int64_t q = new_person(t, &t->ca, "出所乙", "A");
  add_status(t, &t->ca, q, "social_supervision", "2026-01-01", "2026-01-01");
  EventInput bad = {.kind = "extension", .date = "2026-07-01", .expected_end = "2026-09-01"};
  assert_int_equal(event_add(&t->ca, q, &bad), ERR_INVALID);
  bad.expected_end = NULL;
  assert_int_equal(event_add(&t->ca, q, &bad), ERR_INVALID);
}

/* The days ahead are a rule as data (release_ahead of the unit's schedule
 * rule): a unit whose rule says 10 lists an isolation ending 2025-06-19
 * from 06-09 (not 06-08); setting the rule refreshes the persons under the
 * unit, and a rule saved again with another number moves them again. */
static void test_release_ahead_rule(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-08", "出所丙", "compulsory_isolation", "2023-06-20", "2023-06-20");
  assert_string_equal(derived(t, p).release_from, "2025-05-20"); /* the default, 30 days */
  assert_true(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL));
  Err e;
  bool created = false;
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "ahead_x", "提前10天", "base=12:2:2;release=36;release_ahead=0",
                                          &created, &e),
                   ERR_INVALID);
  assert_non_null(err_field_msg(&e, "spec"));
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "ahead_x", "提前10天", "base=12:2:2;release=36;release_ahead=10",
                                          &created, &e),
                   ERR_OK);
  assert_true(created);
  assert_int_equal(rule_set(&t->cadmin, "A", "ahead_x"), ERR_OK);
  WorkItem w = release_window(t, p, "2025-06-19", "2025-06-09"); /* 11 days out, then 10 */
  assert_string_equal(w.why.since, "2025-06-09");
  err_clear(&e);
  assert_int_equal(app_schedule_rule_save(&t->cadmin, "ahead_x", "提前60天", "base=12:2:2;release=36;release_ahead=60",
                                          &created, &e),
                   ERR_OK);
  assert_false(created);
  assert_string_equal(derived(t, p).release_from, "2025-04-20");
}

/* Detention and prison: the expected end is given with the event (or the
 * status); released from a detention resumes the status before it. */
static void test_release_detention_prison(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "拘留甲", "community_detox", "2025-01-01", "2025-01-01");
  EventInput det = {.kind = "detained", .date = "2025-06-01", .expected_end = "2025-05-31"};
  assert_int_equal(event_add(&t->ca, p, &det), ERR_INVALID); /* before the event */
  det.expected_end = "2025-06-15";
  assert_int_equal(event_add(&t->ca, p, &det), ERR_OK);
  assert_string_equal(derived(t, p).release_due, "2025-06-15");
  assert_true(work_item(&t->ca, p, WL_RELEASE_UPCOMING, NULL)); /* 14 days out */
  fix_district_today(t, "2025-06-16");
  assert_true(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, NULL));
  event(&t->ca, p, "released", "2025-06-16");
  SupDerived d = derived(t, p);
  assert_string_equal(d.status, "community_detox");
  assert_string_equal(d.release_due, "");
  assert_false(work_item(&t->ca, p, WL_RELEASE_UNCONFIRMED, NULL));
  /* prison registered with its expected release on the status form */
  int64_t q = new_person(t, &t->ca, "服刑甲", "A");
  StatusInput in = {.status = "imprisoned", .decision_date = "2024-01-10", .start_date = "2024-01-10",
                    .planned_end = "2025-07-01"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, q, &in, NULL, &e), ERR_OK);
  assert_string_equal(derived(t, q).release_due, "2025-07-01");
  assert_true(work_item(&t->ca, q, WL_RELEASE_UPCOMING, NULL));
  StatusInput bad = {.status = "social_supervision", .decision_date = "2025-06-16", .planned_end = "2025-07-01"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, q, &bad, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "planned_end"));
}

/* An offence (吸毒人员犯罪) with its case number and kind raises the grade
 * (+4 points for 24 months: low becomes medium), and bad input is refused. */
static void test_offence_risk(void **state) {
  T *t = *state;
  int64_t p = scenario(t, "2025-06-01", "犯罪甲", "social_supervision", "2022-01-01", "2022-01-01");
  visit(&t->ca, p, "2025-05-01");
  assert_string_equal(derived(t, p).risk_level, "low");
  EventInput off = {.kind = "offence", .date = "2025-06-01", .offence = "theft"};
  assert_int_equal(event_add(&t->ca, p, &off), ERR_INVALID); /* no case number */
  off.case_no = "A3201012025060001";
  off.offence = "burglary_of_the_moon";
  assert_int_equal(event_add(&t->ca, p, &off), ERR_INVALID); /* not a kind */
  off.offence = "theft";
  assert_int_equal(event_add(&t->ca, p, &off), ERR_OK);
  assert_string_equal(derived(t, p).risk_level, "medium");
  assert_int_equal(doctor(t), 0);
  /* 24 months on, the offence no longer counts */
  fix_district_today(t, "2027-06-02");
  visit(&t->ca, p, "2027-06-02");
  assert_string_equal(derived(t, p).risk_level, "low");
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_release_seen_coming),
    cmocka_unit_test(test_release_detention_prison),
    cmocka_unit_test(test_release_ahead_rule),
    cmocka_unit_test(test_offence_risk),
    cmocka_unit_test(test_every_reason_clears),
    cmocka_unit_test(test_casework_file),
    cmocka_unit_test(test_casework_service),
    cmocka_unit_test(test_reason_why),
    cmocka_unit_test(test_breach_after_report),
    cmocka_unit_test(test_leave),
    cmocka_unit_test(test_closed_file),
    cmocka_unit_test(test_notices),
    cmocka_unit_test(test_refresh_stale),
    cmocka_unit_test(test_first_due_and_relapse),
    cmocka_unit_test(test_validation),
    cmocka_unit_test(test_tier_boundaries),
    cmocka_unit_test(test_month_end_and_leap_day),
    cmocka_unit_test(test_missed_two),
    cmocka_unit_test(test_refusals),
    cmocka_unit_test(test_absences),
    cmocka_unit_test(test_detention),
    cmocka_unit_test(test_transfer),
    cmocka_unit_test(test_release_pickup),
    cmocka_unit_test(test_release_3y),
    cmocka_unit_test(test_four_eyes),
    cmocka_unit_test(test_risk_override),
    cmocka_unit_test(test_scope),
    cmocka_unit_test(test_worklist_reasons),
    cmocka_unit_test(test_worklist_filters),
    cmocka_unit_test(test_worker_after_move),
    cmocka_unit_test(test_worker_assign),
    cmocka_unit_test(test_worklist_mine),
    cmocka_unit_test(test_schedule_rules),
    cmocka_unit_test(test_doctor),
  };
  return FIX_RUN(tests, setup, teardown);
}
