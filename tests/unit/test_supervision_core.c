/* tests/unit/test_supervision_core.c: cmocka unit tests for
 * core/supervision.c, the pure supervision engine: work_from (the key of
 * the work-list scan), the standing episodes after corrections, a few
 * histories through supervision_compute (an empty file, the clock and a
 * corrected positive test, lost contact, purity), and the codes and names
 * of the work-list reasons. The dated scenarios over the whole engine are
 * in test_supervision.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/supervision.h"

/* A day from its ISO text (the test's dates are valid). */
static Day day(const char *iso) {
  Day d = 0;
  assert_true(date_parse(iso, &d));
  return d;
}

/* work_from, the first day a person is on any work list: every flag lists
 * the person every day; otherwise the earliest of the dates that list it;
 * a released person's eligibility no longer counts; nothing: empty. */
static void test_work_from(void **state) {
  (void)state;
  static const struct {
    const char *status, *control, *test, *talk, *missed, *report, *pickup, *release;
    int breach, approvals;
    const char *want;
  } cases[] = {
    {"community_detox", "in_control", "2025-03-01", "2025-02-01", "", "", "", "", 0, 0, "2025-02-01"},
    {"community_detox", "in_control", "2025-03-01", "2025-04-01", "2025-05-01", "", "", "", 0, 0, "2025-03-01"},
    {"community_detox", "in_control", "2025-03-01", "2025-04-01", "2025-02-28", "", "", "", 0, 0, "2025-02-28"},
    {"community_rehab", "in_control", "", "", "", "", "", "2027-06-30", 0, 0, "2027-06-30"},
    {"community_rehab", "in_control", "2028-01-01", "", "", "", "", "2027-06-30", 0, 0, "2027-06-30"},
    {"abstinent_3y", "in_control", "", "", "", "", "", "2024-06-30", 0, 0, ""},
    {"community_detox", "in_control", "2025-03-01", "", "", "2025-01-15", "", "", 0, 0, SUP_WORK_ALWAYS},
    {"compulsory_isolation", "in_control", "", "", "", "", "2025-01-20", "", 0, 0, SUP_WORK_ALWAYS},
    {"social_supervision", "lost_contact", "2025-03-01", "", "", "", "", "", 0, 0, SUP_WORK_ALWAYS},
    {"community_detox", "in_control", "2025-03-01", "", "", "", "", "", 1, 0, SUP_WORK_ALWAYS},
    {"abstinent_3y", "in_control", "", "", "", "", "", "2024-06-30", 0, 1, SUP_WORK_ALWAYS},
    {"dead", "in_control", "", "", "", "", "", "", 0, 0, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    SupDerived d;
    memset(&d, 0, sizeof d);
    snprintf(d.status, sizeof d.status, "%s", cases[i].status);
    snprintf(d.control, sizeof d.control, "%s", cases[i].control);
    snprintf(d.next_test_due, sizeof d.next_test_due, "%s", cases[i].test);
    snprintf(d.next_talk_due, sizeof d.next_talk_due, "%s", cases[i].talk);
    snprintf(d.missed_two_date, sizeof d.missed_two_date, "%s", cases[i].missed);
    snprintf(d.report_deadline, sizeof d.report_deadline, "%s", cases[i].report);
    snprintf(d.pickup_due, sizeof d.pickup_due, "%s", cases[i].pickup);
    snprintf(d.release_eligible_date, sizeof d.release_eligible_date, "%s", cases[i].release);
    d.serious_breach = cases[i].breach;
    d.approvals_pending = cases[i].approvals;
    snprintf(d.work_from, sizeof d.work_from, "junk");
    supervision_work_from(&d);
    if (strcmp(d.work_from, cases[i].want) != 0)
      fail_msg("case %zu: work_from %s, expected %s", i, d.work_from, cases[i].want);
  }
}

/* The standing episodes: a correction takes the place of the row it
 * corrects (through chains), voided rows drop out. */
static void test_standing(void **state) {
  (void)state;
  SupEpisodeH eps[4];
  memset(eps, 0, sizeof eps);
  eps[0] = (SupEpisodeH){.id = 1, .status = "community_detox"};
  eps[1] = (SupEpisodeH){.id = 2, .status = "detained"};
  eps[2] = (SupEpisodeH){.id = 3, .corrects_id = 1, .status = "community_rehab"}; /* corrects the first */
  eps[3] = (SupEpisodeH){.id = 4, .corrects_id = 3, .status = "social_supervision"}; /* and again */
  SupHistory h;
  memset(&h, 0, sizeof h);
  h.eps = eps;
  int order[4];
  h.neps = 2;
  assert_int_equal(supervision_standing(&h, order), 2);
  assert_int_equal(order[0], 0);
  assert_int_equal(order[1], 1);
  h.neps = 4; /* the chain 1 <- 3 <- 4 stands in the first place */
  assert_int_equal(supervision_standing(&h, order), 2);
  assert_int_equal(order[0], 3);
  assert_int_equal(order[1], 1);
  h.neps = 0;
  assert_int_equal(supervision_standing(&h, order), 0);
}

/* A person without history: no status, in control, nothing due, and on
 * the work list every day until a status is registered (file_incomplete). */
static void test_compute_empty(void **state) {
  (void)state;
  SupHistory h;
  memset(&h, 0, sizeof h);
  SupComputed out;
  supervision_compute(&h, schedule_preset_by_code("default"), day("2025-01-31"), &out);
  assert_string_equal(out.d.status, "");
  assert_string_equal(out.d.control, "in_control");
  assert_string_equal(out.d.risk_level, "");
  assert_string_equal(out.d.next_test_due, "");
  assert_string_equal(out.d.work_from, SUP_WORK_ALWAYS);
  assert_false(out.has_clock);
}

/* A community order that started on its start date: the clock runs from
 * it, a positive test restarts it, and a correction of that test (by a
 * negative one) puts it back; lost contact lists the person every day.
 * The same history and day give the same result. */
static void test_compute_clock(void **state) {
  (void)state;
  SupEpisodeH ep = {.id = 1, .status = "community_detox", .decision_date = "2024-01-05", .start_date = "2024-01-10"};
  SupTestH tests[2] = {
    {.id = 1, .date = day("2024-02-01"), .reason = "scheduled", .result = "positive"},
    {.id = 2, .corrects_id = 1, .date = day("2024-02-01"), .reason = "scheduled", .result = "negative"},
  };
  SupEventH lost = {.id = 1, .kind = "lost_contact", .date = day("2024-02-20")};
  SupHistory h;
  memset(&h, 0, sizeof h);
  h.eps = &ep;
  h.neps = 1;
  h.tests = tests;
  const ScheduleRule *rule = schedule_preset_by_code("default");
  Day asof = day("2024-03-01");
  SupComputed a, b;

  supervision_compute(&h, rule, asof, &a);
  assert_string_equal(a.d.status, "community_detox");
  assert_true(a.has_clock);
  assert_string_equal(a.d.clock_start, "2024-01-10");
  assert_true(a.d.next_test_due[0] && a.d.next_talk_due[0]);
  assert_string_equal(a.d.control, "in_control");
  assert_string_not_equal(a.d.work_from, SUP_WORK_ALWAYS);

  h.ntests = 1; /* the positive test */
  supervision_compute(&h, rule, asof, &a);
  assert_string_equal(a.d.clock_start, "2024-02-01");

  h.ntests = 2; /* corrected: as if it never was positive */
  supervision_compute(&h, rule, asof, &a);
  assert_string_equal(a.d.clock_start, "2024-01-10");
  assert_string_equal(a.d.last_test_date, "2024-02-01");

  h.events = &lost;
  h.nevents = 1;
  supervision_compute(&h, rule, asof, &a);
  assert_string_equal(a.d.control, "lost_contact");
  assert_string_equal(a.d.work_from, SUP_WORK_ALWAYS);
  supervision_compute(&h, rule, asof, &b);
  assert_memory_equal(&a.d, &b.d, sizeof a.d);
}

/* Every reason has an API code and a Chinese name; out of range: "". */
static void test_reason_names(void **state) {
  (void)state;
  for (int r = 0; r < WL__COUNT; r++) {
    assert_true(work_reason_code((WorkReason)r)[0] != 0);
    assert_true(work_reason_name_zh((WorkReason)r)[0] != 0);
  }
  assert_string_equal(work_reason_code(WL_TEST_DUE), "test_due");
  assert_string_equal(work_reason_name_zh(WL_LOST_CONTACT), "失联");
  assert_string_equal(work_reason_code(WL__COUNT), "");
  assert_string_equal(work_reason_name_zh((WorkReason)-1), "");
  assert_int_equal(WL_BIT(WL_TALK_DUE), 1u << WL_TALK_DUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_work_from),
    cmocka_unit_test(test_standing),
    cmocka_unit_test(test_compute_empty),
    cmocka_unit_test(test_compute_clock),
    cmocka_unit_test(test_reason_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
