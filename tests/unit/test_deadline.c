/* tests/unit/test_deadline.c: cmocka unit tests for core/deadline.c (the
 * 15-day report and transfer deadlines across month ends and leap days, the
 * release notice and pickup, leave reports, serious breach thresholds). */
#include <string.h>

#include "core/deadline.h"
#include "tests/unit/fixture.h"

/* Deadlines that are a function of one day: the function, the day, the
 * deadline it must give. */
static const struct {
  Day (*fn)(Day);
  const char *day, *want;
} DAYS[] = {
#define DAY(fn, day, want) {fn, day, want}
  DAY(deadline_report, "2024-02-20", "2024-03-06"), DAY(deadline_report, "2023-02-20", "2023-03-07"),
  DAY(deadline_report, "2024-02-14", "2024-02-29"), DAY(deadline_report, "2024-01-31", "2024-02-15"),
  DAY(deadline_report, "2024-12-25", "2025-01-09"), DAY(deadline_report, "2025-03-01", "2025-03-16"),
  DAY(deadline_transfer_report, "2024-02-20", "2024-03-06"), DAY(deadline_new_agreement, "2024-02-20", "2024-03-06"),
  DAY(deadline_transfer_report, "2025-12-20", "2026-01-04"), DAY(deadline_new_agreement, "2023-02-28", "2023-03-15"),
  DAY(deadline_release_notice, "2024-02-25", "2024-03-03"), DAY(deadline_release_notice, "2023-02-25", "2023-03-04"),
  DAY(deadline_release_notice, "2024-12-28", "2025-01-04"),
#undef DAY
};

/* Checks the cases of DAYS with function fn (at least one). */
static void check_days(Day (*fn)(Day)) {
  int n = 0;
  for (size_t i = 0; i < sizeof DAYS / sizeof DAYS[0]; i++)
    if (DAYS[i].fn == fn) {
      assert_day(fn(fix_day(DAYS[i].day)), DAYS[i].want);
      n++;
    }
  assert_true(n > 0);
}

/* 15 days after an order, across month ends, leap days and years. */
static void test_report(void **state) {
  (void)state;
  check_days(deadline_report);
  /* the deadline day is on time; the next day is overdue (refusing) */
  Day dl = deadline_report(fix_day("2024-02-20"));
  assert_false(deadline_overdue(dl, fix_day("2024-03-06")));
  assert_true(deadline_overdue(dl, fix_day("2024-03-07")));
  assert_int_equal(deadline_days_overdue(dl, fix_day("2024-03-06")), 0);
  assert_int_equal(deadline_days_overdue(dl, fix_day("2024-03-07")), 1);
  assert_int_equal(deadline_days_overdue(dl, fix_day("2024-04-06")), 31);
  assert_int_equal(deadline_days_overdue(dl, fix_day("2024-01-01")), 0);
}

/* Transfers: report and new agreement 15 days after acceptance. */
static void test_transfer(void **state) {
  (void)state;
  check_days(deadline_transfer_report);
  check_days(deadline_new_agreement);
}

/* Release from isolation: notice within 7 days of the release; pickup on
 * the release day, or the notice day when told late. */
static void test_release(void **state) {
  (void)state;
  check_days(deadline_release_notice);
  assert_day(deadline_release_pickup(fix_day("2024-03-10"), fix_day("2024-03-01")), "2024-03-10");
  assert_day(deadline_release_pickup(fix_day("2024-03-10"), fix_day("2024-03-10")), "2024-03-10");
  assert_day(deadline_release_pickup(fix_day("2024-03-10"), fix_day("2024-03-12")), "2024-03-12");
}

/* Leave: 2 days no report, 3 days a report, counting both ends. */
static void test_leave(void **state) {
  (void)state;
  assert_false(leave_needs_report(fix_day("2024-05-01"), fix_day("2024-05-01")));
  assert_false(leave_needs_report(fix_day("2024-05-01"), fix_day("2024-05-02")));
  assert_true(leave_needs_report(fix_day("2024-05-01"), fix_day("2024-05-03")));
  assert_true(leave_needs_report(fix_day("2024-05-01"), fix_day("2024-06-30")));
  assert_false(leave_needs_report(fix_day("2024-05-03"), fix_day("2024-05-01")));
  /* across February: 3 days in a leap year, 2 in a common year */
  assert_true(leave_needs_report(fix_day("2024-02-28"), fix_day("2024-03-01")));
  assert_false(leave_needs_report(fix_day("2023-02-28"), fix_day("2023-03-01")));
  assert_true(leave_needs_report(fix_day("2024-12-31"), fix_day("2025-01-02")));
  assert_int_equal(LEAVE_REPORT_MIN_DAYS, 3);
}

/* Serious breach: exactly 3 refusals or absences, more than 30 days. */
static void test_breach(void **state) {
  (void)state;
  BreachCounts c;
  memset(&c, 0, sizeof c);
  assert_false(breach_is_serious(&c));
  c.refused_or_absent_tests = 2;
  assert_false(breach_is_serious(&c));
  c.refused_or_absent_tests = 3;
  assert_true(breach_is_serious(&c));
  memset(&c, 0, sizeof c);
  c.absences = 2;
  assert_false(breach_is_serious(&c));
  c.absences = 3;
  assert_true(breach_is_serious(&c));
  memset(&c, 0, sizeof c);
  c.absence_days = 30;
  assert_false(breach_is_serious(&c));
  c.absence_days = 31;
  assert_true(breach_is_serious(&c));
  /* just under every threshold at once is not serious */
  c = (BreachCounts){2, 2, 30};
  assert_false(breach_is_serious(&c));
  c = (BreachCounts){4, 0, 0};
  assert_true(breach_is_serious(&c));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_report),
    cmocka_unit_test(test_transfer),
    cmocka_unit_test(test_release),
    cmocka_unit_test(test_leave),
    cmocka_unit_test(test_breach),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
