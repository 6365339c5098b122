/* tests/unit/test_status.c: cmocka unit tests for core/status.c (the
 * transition table, codes and names, legal lengths and planned end dates,
 * status groups). */
#include <string.h>

#include "core/status.h"
#include "tests/unit/fixture.h"

/* The expected transition table, written out independently of status.c.
 * Rows: from; columns: to; both in enum order
 * NONE DTX ISO RHB SOC DET IMP AB3 DEA EMI. */
static const int EXPECTED[ST__COUNT][ST__COUNT] = {
  /*               NON DTX ISO RHB SOC DET IMP AB3 DEA EMI */
  /* NONE      */ {0,  1,  1,  1,  1,  1,  1,  1,  0,  0},
  /* DETOX     */ {0,  0,  1,  0,  1,  1,  1,  1,  1,  1},
  /* ISOLATION */ {0,  0,  0,  1,  1,  0,  1,  0,  1,  0},
  /* REHAB     */ {0,  0,  1,  0,  1,  1,  1,  1,  1,  1},
  /* SOCIAL    */ {0,  1,  1,  0,  0,  1,  1,  1,  1,  1},
  /* DETAINED  */ {0,  1,  1,  1,  1,  0,  1,  0,  1,  0},
  /* IMPRISON  */ {0,  1,  1,  0,  1,  0,  0,  0,  1,  0},
  /* ABST_3Y   */ {0,  1,  1,  0,  1,  1,  1,  0,  1,  1},
  /* DEAD      */ {0,  0,  0,  0,  0,  0,  0,  0,  0,  0},
  /* EMIGRATED */ {0,  1,  1,  0,  1,  1,  1,  0,  1,  0},
};

/* Every (from, to) pair matches the expected table. */
static void test_transition_table(void **state) {
  (void)state;
  assert_int_equal(ST__COUNT, 10);
  for (int from = 0; from < ST__COUNT; from++)
    for (int to = 0; to < ST__COUNT; to++) {
      bool got = status_transition_allowed((Status)from, (Status)to);
      if (got != (EXPECTED[from][to] != 0))
        fail_msg("%s -> %s: got %d", status_code((Status)from), status_code((Status)to), got);
    }
}

/* The general rules hold: never to NONE, never to itself, nothing after
 * DEAD; values outside the enum are refused. */
static void test_transition_rules(void **state) {
  (void)state;
  for (int s = 0; s < ST__COUNT; s++) {
    assert_false(status_transition_allowed((Status)s, ST_NONE));
    assert_false(status_transition_allowed((Status)s, (Status)s));
    assert_false(status_transition_allowed(ST_DEAD, (Status)s));
    assert_false(status_transition_allowed((Status)s, ST__COUNT));
    assert_false(status_transition_allowed(ST__COUNT, (Status)s));
  }
  assert_false(status_transition_allowed(ST_COMMUNITY_DETOX, ST_COMMUNITY_REHAB));
  assert_true(status_transition_allowed(ST_COMPULSORY_ISOLATION, ST_COMMUNITY_REHAB));
}

/* Codes round trip; unknown codes give ST_NONE. */
static void test_codes(void **state) {
  (void)state;
  static const char *codes[ST__COUNT] = {
    "", "community_detox", "compulsory_isolation", "community_rehab",
    "social_supervision", "detained", "imprisoned", "abstinent_3y", "dead", "emigrated",
  };
  for (int s = 0; s < ST__COUNT; s++) {
    assert_string_equal(status_code((Status)s), codes[s]);
    assert_int_equal(status_from_code(codes[s]), s);
    assert_int_equal(status_from_code(status_code((Status)s)), s);
  }
  static const char *unknown[] = {
    "unknown", "none", "COMMUNITY_DETOX", "community_detox ", " dead", "dea", "deadx",
    "社区戒毒", "lost_contact",
  };
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    assert_int_equal(status_from_code(unknown[i]), ST_NONE);
  assert_int_equal(status_from_code(NULL), ST_NONE);
  assert_int_equal(status_from_code(""), ST_NONE);
  assert_string_equal(status_code(ST__COUNT), "");
}

/* Chinese names. */
static void test_names(void **state) {
  (void)state;
  static const char *names[ST__COUNT] = {
    "未登记状态", "社区戒毒", "强制隔离戒毒", "社区康复", "社会面管控",
    "拘留(中止)", "服刑", "戒断三年未复吸", "死亡", "出境",
  };
  for (int s = 0; s < ST__COUNT; s++) assert_string_equal(status_name_zh((Status)s), names[s]);
  assert_non_null(status_name_zh(ST__COUNT));
}

/* Legal lengths and planned ends (start + years - 1 day). */
static void test_planned_end(void **state) {
  (void)state;
  static const int years[ST__COUNT] = {0, 3, 2, 3, 3, 0, 0, 0, 0, 0};
  for (int s = 0; s < ST__COUNT; s++) {
    assert_int_equal(status_legal_years((Status)s), years[s]);
    Day end = 4242;
    bool has = status_planned_end((Status)s, fix_day("2023-03-15"), &end);
    assert_int_equal(has, years[s] != 0);
    if (!has) assert_int_equal(end, 4242); /* untouched */
  }
  assert_int_equal(status_legal_years(ST__COUNT), 0);

  static const struct {
    Status status;
    const char *start, *end;
  } ends[] = {
    {ST_COMMUNITY_DETOX, "2023-03-15", "2026-03-14"},
    /* the anniversary of 29 February in a common year is 1 March: the order
     * runs to the last day of February */
    {ST_COMPULSORY_ISOLATION, "2024-02-29", "2026-02-28"},
    {ST_COMMUNITY_REHAB, "2024-02-29", "2027-02-28"},
    {ST_COMMUNITY_DETOX, "2024-02-29", "2027-02-28"},
    /* an order from 2026-02-28 ends the day before 2028-02-28 */
    {ST_COMPULSORY_ISOLATION, "2026-02-28", "2028-02-27"},
    {ST_COMMUNITY_DETOX, "2021-02-28", "2024-02-27"},
    {ST_SOCIAL_SUPERVISION, "2023-01-01", "2025-12-31"},
    {ST_COMPULSORY_ISOLATION, "2023-03-01", "2025-02-28"},
    {ST_COMPULSORY_ISOLATION, "2022-03-01", "2024-02-29"},
  };
  Day end;
  for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
    assert_true(status_planned_end(ends[i].status, fix_day(ends[i].start), &end));
    assert_day(end, ends[i].end);
  }
  assert_false(status_planned_end(ST_DETAINED, fix_day("2023-03-15"), &end));
  assert_false(status_planned_end(ST_NONE, fix_day("2023-03-15"), &end));
}

/* Groups: closed, custodial, community order. */
static void test_groups(void **state) {
  (void)state;
  /*                               NON DTX ISO RHB SOC DET IMP AB3 DEA EMI */
  static const int closed[ST__COUNT] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
  static const int custodial[ST__COUNT] = {0, 0, 1, 0, 0, 1, 1, 0, 0, 0};
  static const int community[ST__COUNT] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
  for (int s = 0; s < ST__COUNT; s++) {
    assert_int_equal(status_is_closed((Status)s), closed[s]);
    assert_int_equal(status_is_custodial((Status)s), custodial[s]);
    assert_int_equal(status_is_community_order((Status)s), community[s]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_transition_table),
    cmocka_unit_test(test_transition_rules),
    cmocka_unit_test(test_codes),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_planned_end),
    cmocka_unit_test(test_groups),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
