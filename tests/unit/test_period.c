/* tests/unit/test_period.c: cmocka unit tests for core/period.c: parsing
 * and formatting every kind (2026-06D1, 2026-06, 2026Q2, 2026H1, 2026),
 * names, first and last days (leap years, month ends), the period of a
 * day, moving across years, order, containment, splitting and due dates. */
#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "tests/unit/fixture.h"

/* Parses s, asserting success, and checks it formats back to s. */
static Period tp(const char *s) {
  Period p;
  if (!period_parse(s, &p)) fail_msg("period_parse(%s) failed", s);
  char out[PERIOD_TEXT_LEN];
  period_format(p, out);
  assert_string_equal(out, s);
  return p;
}

/* The text form of p. */
static const char *tf(Period p, char out[PERIOD_TEXT_LEN]) {
  period_format(p, out);
  return out;
}

static void test_parse_each_kind(void **state) {
  (void)state;
  /* each text: its kind, year and index (dekads count 1..36 through the year) */
  static const struct {
    const char *text;
    PeriodType type;
    int index;
  } cases[] = {{"2026", PERIOD_YEAR, 1},     {"2026H1", PERIOD_HALF, 1},     {"2026H2", PERIOD_HALF, 2},
               {"2026Q2", PERIOD_QUARTER, 2}, {"2026-06", PERIOD_MONTH, 6},   {"2026-06D1", PERIOD_DEKAD, 16},
               {"2026-12D3", PERIOD_DEKAD, 36}, {"2026-01D1", PERIOD_DEKAD, 1}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Period p = tp(cases[i].text);
    if (p.type != cases[i].type || p.year != 2026 || p.index != cases[i].index)
      fail_msg("%s: type %d year %d index %d, expected type %d year 2026 index %d", cases[i].text, (int)p.type, p.year,
               p.index, (int)cases[i].type, cases[i].index);
  }
  tp("1900-01");
  tp("2199Q4");
}

static void test_parse_refuses(void **state) {
  (void)state;
  const char *bad[] = {"",        "202",      "20266",    "2026-6",    "2026-13",  "2026-00",  "2026Q0",
                       "2026Q5",  "2026q2",   "2026H0",   "2026H3",    "2026h1",   "2026S1",   "2026-06D0",
                       "2026-06D4", "2026-06d1", "2026-06-D1", " 2026",   "2026 ",    "2026-06 ", "1899",
                       "2200",    "2026W23",  "abcd",     "2026-1D1",  "2026-06D", "2026Q",    "+2026",
                       "2026-06D11", "2026-6-1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    Period p = {PERIOD_YEAR, 1999, 1};
    if (period_parse(bad[i], &p)) fail_msg("period_parse(\"%s\") accepted it", bad[i]);
    assert_int_equal(p.year, 1999); /* untouched */
  }
  Period p;
  assert_false(period_parse(NULL, &p));
}

static void test_kinds(void **state) {
  (void)state;
  const char *codes[] = {"dekad", "month", "quarter", "half", "year"};
  const int per[] = {36, 12, 4, 2, 1};
  for (int t = 0; t < PERIOD__COUNT; t++) {
    PeriodType k;
    assert_true(period_type_from_code(codes[t], &k));
    assert_int_equal(k, t);
    assert_string_equal(period_type_code((PeriodType)t), codes[t]);
    assert_int_equal(period_per_year((PeriodType)t), per[t]);
    assert_true(strlen(period_type_name_zh((PeriodType)t)) > 0);
  }
  PeriodType k;
  assert_false(period_type_from_code("week", &k));
  assert_false(period_type_from_code(NULL, &k));
  assert_string_equal(period_type_name_zh(PERIOD_DEKAD), "旬");
}

static void test_labels(void **state) {
  (void)state;
  struct { const char *p, *zh, *en; } cases[] = {
    {"2026-06D1", "2026年6月上旬", "Jun 2026, days 1-10"},
    {"2026-06D2", "2026年6月中旬", "Jun 2026, days 11-20"},
    {"2026-02D3", "2026年2月下旬", "Feb 2026, days 21-end"},
    {"2026-06", "2026年6月", "Jun 2026"},
    {"2026Q2", "2026年第二季度", "Q2 2026"},
    {"2026Q4", "2026年第四季度", "Q4 2026"},
    {"2026H1", "2026年上半年", "H1 2026"},
    {"2026H2", "2026年下半年", "H2 2026"},
    {"2026", "2026年", "2026"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char out[PERIOD_LABEL_LEN];
    Period p = tp(cases[i].p);
    period_label(p, false, out, sizeof out);
    assert_string_equal(out, cases[i].zh);
    period_label(p, true, out, sizeof out);
    assert_string_equal(out, cases[i].en);
  }
}

static void test_first_last_days(void **state) {
  (void)state;
  struct { const char *p, *first, *last; int days; } cases[] = {
    {"2026-06D1", "2026-06-01", "2026-06-10", 10}, {"2026-06D2", "2026-06-11", "2026-06-20", 10},
    {"2026-06D3", "2026-06-21", "2026-06-30", 10}, {"2026-01D3", "2026-01-21", "2026-01-31", 11},
    {"2026-02D3", "2026-02-21", "2026-02-28", 8},  {"2024-02D3", "2024-02-21", "2024-02-29", 9},
    {"2026-02", "2026-02-01", "2026-02-28", 28},   {"2024-02", "2024-02-01", "2024-02-29", 29},
    {"2026-12", "2026-12-01", "2026-12-31", 31},   {"2026Q1", "2026-01-01", "2026-03-31", 90},
    {"2024Q1", "2024-01-01", "2024-03-31", 91},    {"2026Q2", "2026-04-01", "2026-06-30", 91},
    {"2026Q3", "2026-07-01", "2026-09-30", 92},    {"2026Q4", "2026-10-01", "2026-12-31", 92},
    {"2026H1", "2026-01-01", "2026-06-30", 181},   {"2026H2", "2026-07-01", "2026-12-31", 184},
    {"2026", "2026-01-01", "2026-12-31", 365},     {"2024", "2024-01-01", "2024-12-31", 366},
    {"1900", "1900-01-01", "1900-12-31", 365},     {"2199-12D3", "2199-12-21", "2199-12-31", 11},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Period p = tp(cases[i].p);
    assert_day(period_first_day(p), cases[i].first);
    assert_day(period_last_day(p), cases[i].last);
    assert_int_equal(period_days(p), cases[i].days);
  }
}

/* Every day of two years (a leap one) lies in exactly the period of each
 * kind that period_of gives, and the periods of a kind tile the years. */
static void test_period_of_every_day(void **state) {
  (void)state;
  for (int t = 0; t < PERIOD__COUNT; t++) {
    Day from = fix_day("2023-01-01"), to = fix_day("2024-12-31");
    Period prev = period_of((PeriodType)t, from);
    assert_int_equal(period_first_day(prev), from);
    for (Day d = from; d <= to; d++) {
      Period p = period_of((PeriodType)t, d);
      assert_true(period_valid(p));
      assert_true(period_contains_day(p, d));
      assert_false(period_contains_day(p, period_first_day(p) - 1));
      assert_false(period_contains_day(p, period_last_day(p) + 1));
      if (period_cmp(p, prev) != 0) { /* the next period starts the day after the last ended */
        assert_int_equal(period_first_day(p), period_last_day(prev) + 1);
        assert_int_equal(period_cmp(period_add(prev, 1), p), 0);
        assert_int_equal(period_cmp(period_add(p, -1), prev), 0);
        prev = p;
      }
    }
    assert_int_equal(period_last_day(prev), to);
  }
  char s[PERIOD_TEXT_LEN];
  assert_string_equal(tf(period_of(PERIOD_DEKAD, fix_day("2026-06-10")), s), "2026-06D1");
  assert_string_equal(tf(period_of(PERIOD_DEKAD, fix_day("2026-06-11")), s), "2026-06D2");
  assert_string_equal(tf(period_of(PERIOD_DEKAD, fix_day("2026-06-20")), s), "2026-06D2");
  assert_string_equal(tf(period_of(PERIOD_DEKAD, fix_day("2026-06-21")), s), "2026-06D3");
  assert_string_equal(tf(period_of(PERIOD_DEKAD, fix_day("2026-01-31")), s), "2026-01D3");
  assert_string_equal(tf(period_of(PERIOD_QUARTER, fix_day("2026-07-01")), s), "2026Q3");
  assert_string_equal(tf(period_of(PERIOD_HALF, fix_day("2026-06-30")), s), "2026H1");
  assert_string_equal(tf(period_of(PERIOD_HALF, fix_day("2026-07-01")), s), "2026H2");
  assert_string_equal(tf(period_of(PERIOD_YEAR, fix_day("2026-12-31")), s), "2026");
}

static void test_add_across_years(void **state) {
  (void)state;
  char s[PERIOD_TEXT_LEN];
  assert_string_equal(tf(period_add(tp("2026-12"), 1), s), "2027-01");
  assert_string_equal(tf(period_add(tp("2026-01"), -1), s), "2025-12");
  assert_string_equal(tf(period_add(tp("2026-01"), -13), s), "2024-12");
  assert_string_equal(tf(period_add(tp("2026-12D3"), 1), s), "2027-01D1");
  assert_string_equal(tf(period_add(tp("2026-01D1"), -1), s), "2025-12D3");
  assert_string_equal(tf(period_add(tp("2026-06D2"), 36), s), "2027-06D2");
  assert_string_equal(tf(period_add(tp("2026Q4"), 1), s), "2027Q1");
  assert_string_equal(tf(period_add(tp("2026Q1"), -5), s), "2024Q4");
  assert_string_equal(tf(period_add(tp("2026H2"), 1), s), "2027H1");
  assert_string_equal(tf(period_add(tp("2026H1"), -1), s), "2025H2");
  assert_string_equal(tf(period_add(tp("2026"), 10), s), "2036");
  assert_string_equal(tf(period_add(tp("2026Q2"), 0), s), "2026Q2");
  assert_false(period_valid(period_add(tp("2199Q4"), 1)));
  assert_false(period_valid(period_add(tp("1900-01"), -1)));
}

static void test_order_and_containment(void **state) {
  (void)state;
  assert_true(period_cmp(tp("2026-05"), tp("2026-06")) < 0);
  assert_true(period_cmp(tp("2026-06"), tp("2026Q2")) > 0);  /* Q2 starts first */
  assert_true(period_cmp(tp("2026-04"), tp("2026Q2")) < 0);  /* same start: the shorter first */
  assert_true(period_cmp(tp("2026"), tp("2026H1")) > 0);
  assert_int_equal(period_cmp(tp("2026Q2"), tp("2026Q2")), 0);

  assert_true(period_contains(tp("2026Q2"), tp("2026-04")));
  assert_true(period_contains(tp("2026Q2"), tp("2026-06")));
  assert_false(period_contains(tp("2026Q2"), tp("2026-07")));
  assert_false(period_contains(tp("2026Q2"), tp("2026-03")));
  assert_true(period_contains(tp("2026Q2"), tp("2026Q2")));
  assert_true(period_contains(tp("2026H1"), tp("2026Q2")));
  assert_false(period_contains(tp("2026H1"), tp("2026Q3")));
  assert_true(period_contains(tp("2026"), tp("2026H2")));
  assert_true(period_contains(tp("2026"), tp("2026-12D3")));
  assert_false(period_contains(tp("2025"), tp("2026-01D1")));
  assert_true(period_contains(tp("2026-06"), tp("2026-06D3")));
  assert_false(period_contains(tp("2026-06"), tp("2026-07D1")));
  assert_false(period_contains(tp("2026-06"), tp("2026Q2")));  /* the finer cannot hold the coarser */
  assert_false(period_contains(tp("2026-06D1"), tp("2026-06")));

  assert_true(period_contains_day(tp("2026H1"), fix_day("2026-06-30")));
  assert_false(period_contains_day(tp("2026H1"), fix_day("2026-07-01")));
  assert_true(period_contains_day(tp("2024-02D3"), fix_day("2024-02-29")));
}

static void test_split(void **state) {
  (void)state;
  Period first;
  char s[PERIOD_TEXT_LEN];
  assert_int_equal(period_split(tp("2026Q2"), PERIOD_MONTH, &first), 3);
  assert_string_equal(tf(first, s), "2026-04");
  assert_int_equal(period_split(tp("2026H2"), PERIOD_QUARTER, &first), 2);
  assert_string_equal(tf(first, s), "2026Q3");
  assert_int_equal(period_split(tp("2026"), PERIOD_MONTH, &first), 12);
  assert_string_equal(tf(first, s), "2026-01");
  assert_int_equal(period_split(tp("2026-06"), PERIOD_DEKAD, &first), 3);
  assert_string_equal(tf(first, s), "2026-06D1");
  assert_int_equal(period_split(tp("2026"), PERIOD_DEKAD, &first), 36);
  assert_int_equal(period_split(tp("2026Q3"), PERIOD_QUARTER, &first), 1);
  assert_string_equal(tf(first, s), "2026Q3");
  assert_int_equal(period_split(tp("2026-06"), PERIOD_QUARTER, &first), 0);
  /* the parts tile the whole */
  Period q = tp("2026Q1");
  int n = period_split(q, PERIOD_DEKAD, &first);
  int days = 0;
  for (int i = 0; i < n; i++) {
    assert_true(period_contains(q, period_add(first, i)));
    days += period_days(period_add(first, i));
  }
  assert_int_equal(days, period_days(q));
}

static void test_due(void **state) {
  (void)state;
  assert_day(period_due(tp("2026-06"), 0), "2026-06-30");
  assert_day(period_due(tp("2026-06"), 10), "2026-07-10");
  assert_day(period_due(tp("2026"), 31), "2027-01-31");
  assert_day(period_due(tp("2026-02D3"), 5), "2026-03-05");
  assert_day(period_due(tp("2024Q1"), 15), "2024-04-15");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_each_kind),
    cmocka_unit_test(test_parse_refuses),
    cmocka_unit_test(test_kinds),
    cmocka_unit_test(test_labels),
    cmocka_unit_test(test_first_last_days),
    cmocka_unit_test(test_period_of_every_day),
    cmocka_unit_test(test_add_across_years),
    cmocka_unit_test(test_order_and_containment),
    cmocka_unit_test(test_split),
    cmocka_unit_test(test_due),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
