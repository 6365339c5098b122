/* tests/unit/test_date.c: cmocka unit tests for core/date.c (day numbers,
 * ISO text, month/year arithmetic, age-style year counts, Unix time). */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "tests/unit/fixture.h"

/* Known day numbers (checked against an independent implementation). */
static void test_known_days(void **state) {
  (void)state;
  assert_int_equal(date_from_ymd(1970, 1, 1), 0);
  assert_int_equal(date_from_ymd(1969, 12, 31), -1);
  assert_int_equal(date_from_ymd(1970, 1, 2), 1);
  assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
  assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
  assert_int_equal(date_from_ymd(2024, 2, 29), 19782);
  assert_int_equal(date_from_ymd(2023, 3, 15), 19431);
  assert_int_equal(date_from_ymd(2199, 12, 31), 84005);

  int y, m, d;
  date_to_ymd(-1, &y, &m, &d);
  assert_int_equal(y, 1969); assert_int_equal(m, 12); assert_int_equal(d, 31);
  date_to_ymd(-25567, &y, &m, &d);
  assert_int_equal(y, 1900); assert_int_equal(m, 1); assert_int_equal(d, 1);
  date_to_ymd(19782, &y, &m, &d);
  assert_int_equal(y, 2024); assert_int_equal(m, 2); assert_int_equal(d, 29);
  date_to_ymd(84005, &y, &m, &d);
  assert_int_equal(y, 2199); assert_int_equal(m, 12); assert_int_equal(d, 31);
  /* NULL outputs are allowed. */
  date_to_ymd(0, NULL, &m, NULL);
  assert_int_equal(m, 1);
}

/* Leap years: every 4th, not every 100th, every 400th. */
static void test_leap_years(void **state) {
  (void)state;
  assert_false(date_is_leap_year(1900));
  assert_true(date_is_leap_year(2000));
  assert_false(date_is_leap_year(2100));
  assert_false(date_is_leap_year(2023));
  assert_true(date_is_leap_year(2024));
  assert_true(date_is_leap_year(1904));
  assert_true(date_is_leap_year(2196));
  assert_int_equal(date_days_in_month(1900, 2), 28);
  assert_int_equal(date_days_in_month(2000, 2), 29);
  assert_int_equal(date_days_in_month(2023, 2), 28);
  assert_int_equal(date_days_in_month(2024, 2), 29);
  assert_int_equal(date_days_in_month(2024, 1), 31);
  assert_int_equal(date_days_in_month(2024, 4), 30);
  assert_int_equal(date_days_in_month(2024, 12), 31);
  assert_int_equal(date_days_in_month(2024, 0), 0);
  assert_int_equal(date_days_in_month(2024, 13), 0);
  /* 1900-02-28 is followed by 1900-03-01; 2000-02-28 by 2000-02-29. */
  assert_day(date_from_ymd(1900, 2, 28) + 1, "1900-03-01");
  assert_day(date_from_ymd(2000, 2, 28) + 1, "2000-02-29");
  assert_int_equal(date_from_ymd(1901, 1, 1) - date_from_ymd(1900, 1, 1), 365);
  assert_int_equal(date_from_ymd(2001, 1, 1) - date_from_ymd(2000, 1, 1), 366);
}

/* date_valid_ymd: range 1900..2199 and real days only. */
static void test_valid_ymd(void **state) {
  (void)state;
  static const struct { int y, m, d; bool valid; } cases[] = {
    {1900, 1, 1, true},   {2199, 12, 31, true}, {1899, 12, 31, false}, {2200, 1, 1, false}, {1900, 2, 29, false},
    {2000, 2, 29, true},  {2023, 2, 29, false}, {2024, 2, 29, true},   {2024, 2, 30, false}, {2024, 4, 31, false},
    {2024, 0, 1, false},  {2024, 13, 1, false}, {2024, 1, 0, false},   {2024, 1, 32, false}, {2024, -1, 1, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (date_valid_ymd(cases[i].y, cases[i].m, cases[i].d) != cases[i].valid)
      fail_msg("date_valid_ymd(%d, %d, %d) is not %d", cases[i].y, cases[i].m, cases[i].d, cases[i].valid);
}

/* Every day from 1900-01-01 to 2199-12-31, compared with an independently
 * counted calendar, through to_ymd / from_ymd / format / parse. */
static void test_round_trip_all_days(void **state) {
  (void)state;
  Day first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2199, 12, 31);
  int cy = 1900, cm = 1, cd = 1; /* the calendar counted by hand */
  long count = 0;
  for (Day day = first; day <= last; day++) {
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (y != cy || m != cm || d != cd)
      fail_msg("day %d: got %d-%d-%d, expected %d-%d-%d", (int)day, y, m, d, cy, cm, cd);
    assert_true(date_valid_ymd(y, m, d));
    assert_int_equal(date_from_ymd(y, m, d), day);

    char iso[DATE_ISO_LEN], want[32];
    date_format(day, iso);
    snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
    assert_string_equal(iso, want);
    Day back = -999999;
    assert_true(date_parse(iso, &back));
    assert_int_equal(back, day);
    count++;

    /* Advance the hand-counted calendar. */
    int leap = (cy % 4 == 0 && cy % 100 != 0) || cy % 400 == 0;
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = len[cm - 1] + (cm == 2 && leap);
    if (++cd > dim) {
      cd = 1;
      if (++cm > 12) { cm = 1; cy++; }
    }
  }
  assert_int_equal(cy, 2200);
  /* 75 multiples of 4 in 1900..2196, of which 1900 and 2100 are common. */
  assert_int_equal(count, 300L * 365 + 73);
}

/* date_parse accepts exactly YYYY-MM-DD in range and leaves *out alone
 * otherwise. */
static void test_parse(void **state) {
  (void)state;
  Day d = 12345;
  assert_true(date_parse("2024-02-29", &d));
  assert_int_equal(d, 19782);
  assert_true(date_parse("1900-01-01", &d));
  assert_int_equal(d, -25567);
  assert_true(date_parse("2199-12-31", &d));
  assert_int_equal(d, 84005);
  assert_true(date_parse("2000-02-29", NULL));

  static const char *bad[] = {
    "2023-02-29", "2023-2-01", "2023-02-01x", "", "1899-12-31", "2023-13-01",
    "2023-00-10", "2200-01-01", "1900-02-29", "2023-04-31", "2023-01-00",
    "2023-01-32", " 2023-01-01", "2023-01-01 ", "2023/01/01", "20230101",
    "2023-01-1", "023-01-01", "+023-01-01", "2023-0a-01", "2023--1-01",
    "2023-01", "2023", "2023-01-01\n", "12023-01-01",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    d = 12345;
    if (date_parse(bad[i], &d)) fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(d, 12345);
  }
  assert_false(date_parse(NULL, &d));
}

/* date_format writes exactly 10 characters and a NUL. */
static void test_format(void **state) {
  (void)state;
  char buf[DATE_ISO_LEN];
  memset(buf, 'Z', sizeof buf);
  date_format(0, buf);
  assert_string_equal(buf, "1970-01-01");
  assert_int_equal(strlen(buf), 10);
  assert_day(-1, "1969-12-31");
  assert_day(date_from_ymd(2005, 7, 4), "2005-07-04");
  assert_day(date_from_ymd(1900, 1, 1) - 1, "1899-12-31"); /* just out of range still formats */
}

/* One case of a shift by months or years: from, shifted by n, is want. */
typedef struct {
  const char *from;
  int n;
  const char *want;
} Shift;

/* Checks shift (named name in the message) on each of the n cases. */
static void check_shifts(Day (*shift)(Day, int), const char *name, const Shift *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char got[DATE_ISO_LEN];
    date_format(shift(fix_day(cases[i].from), cases[i].n), got);
    if (strcmp(got, cases[i].want) != 0) fail_msg("%s(%s, %d) = %s, want %s", name, cases[i].from, cases[i].n, got, cases[i].want);
  }
}

/* date_add_months clamps to the month end and crosses year boundaries. */
static void test_add_months(void **state) {
  (void)state;
  static const Shift cases[] = {
    {"2023-01-31", 1, "2023-02-28"}, {"2024-01-31", 1, "2024-02-29"}, {"2024-03-31", -1, "2024-02-29"},
    {"2023-03-31", -1, "2023-02-28"}, {"2024-05-31", 1, "2024-06-30"}, {"2023-12-31", 1, "2024-01-31"},
    {"2024-01-15", -1, "2023-12-15"}, {"2023-10-31", 4, "2024-02-29"}, {"2024-01-15", 12, "2025-01-15"},
    {"2024-01-15", -13, "2022-12-15"}, {"2024-01-15", -24, "2022-01-15"}, {"2024-01-15", 0, "2024-01-15"},
    {"2024-12-01", 1, "2025-01-01"}, {"2025-01-01", -1, "2024-12-01"}, {"1900-01-31", 1, "1900-02-28"},
    {"2000-01-31", 1, "2000-02-29"}, {"1970-01-31", -1, "1969-12-31"}, {"2199-12-31", -3599, "1900-01-31"},
  };
  check_shifts(date_add_months, "date_add_months", cases, sizeof cases / sizeof cases[0]);
}

/* date_add_years: 29 February becomes 28 February in a common year. */
static void test_add_years(void **state) {
  (void)state;
  static const Shift cases[] = {
    {"2024-02-29", 1, "2025-02-28"}, {"2024-02-29", 4, "2028-02-29"}, {"2024-02-29", -1, "2023-02-28"},
    {"2024-02-29", -4, "2020-02-29"}, {"2024-02-29", 2, "2026-02-28"}, {"2096-02-29", 4, "2100-02-28"},
    {"1996-02-29", 4, "2000-02-29"}, {"2023-03-15", 3, "2026-03-15"}, {"2023-12-31", 1, "2024-12-31"},
    {"2023-01-01", 0, "2023-01-01"}, {"1900-01-01", 299, "2199-01-01"},
  };
  check_shifts(date_add_years, "date_add_years", cases, sizeof cases / sizeof cases[0]);
}

/* date_years_between counts whole years as an age is counted. */
static void test_years_between(void **state) {
  (void)state;
  static const struct { const char *a, *b; int years; } cases[] = {
    {"2020-02-29", "2021-02-28", 0}, {"2020-02-29", "2021-03-01", 1}, {"2020-02-29", "2024-02-28", 3},
    {"2020-02-29", "2024-02-29", 4}, {"2023-05-10", "2023-05-10", 0}, {"1990-05-10", "2020-05-09", 29},
    {"1990-05-10", "2020-05-10", 30}, {"1990-05-10", "2020-05-11", 30}, {"1999-12-31", "2000-01-01", 0},
    {"2000-01-01", "2000-12-31", 0}, {"2000-01-01", "2001-01-01", 1}, {"1900-01-01", "2199-12-31", 299},
    /* b < a: floored, so always negative. */
    {"2020-06-01", "2020-05-31", -1}, {"2021-03-01", "2020-03-01", -1}, {"2021-03-01", "2020-02-29", -2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = date_years_between(fix_day(cases[i].a), fix_day(cases[i].b));
    if (got != cases[i].years) fail_msg("date_years_between(%s, %s) = %d, want %d", cases[i].a, cases[i].b, got, cases[i].years);
  }
}

/* date_from_unix floors, for negative times and for time zone offsets. */
static void test_from_unix(void **state) {
  (void)state;
  const int cst = 8 * 3600;
  assert_int_equal(date_from_unix(0, 0), 0);
  assert_int_equal(date_from_unix(86399, 0), 0);
  assert_int_equal(date_from_unix(86400, 0), 1);
  assert_int_equal(date_from_unix(-1, 0), -1);
  assert_int_equal(date_from_unix(-86399, 0), -1);
  assert_int_equal(date_from_unix(-86400, 0), -1);
  assert_int_equal(date_from_unix(-86401, 0), -2);
  /* China (UTC+8): local midnight of 1970-01-01 is -8h UTC. */
  assert_int_equal(date_from_unix(-cst, cst), 0);
  assert_int_equal(date_from_unix(-cst - 1, cst), -1);
  assert_int_equal(date_from_unix(16 * 3600 - 1, cst), 0);
  assert_int_equal(date_from_unix(16 * 3600, cst), 1);
  assert_int_equal(date_from_unix(0, cst), 0);
  /* 1700000000 = 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 in China. */
  assert_day(date_from_unix(1700000000, 0), "2023-11-14");
  assert_day(date_from_unix(1700000000, cst), "2023-11-15");
  assert_day(date_from_unix(1700000000, -5 * 3600), "2023-11-14");
  assert_day(date_from_unix(1700000000, -23 * 3600), "2023-11-13");
  /* West of UTC at the epoch. */
  assert_int_equal(date_from_unix(0, -1), -1);
  assert_int_equal(date_from_unix(3600, -3600), 0);
  assert_int_equal(date_from_unix(3599, -3600), -1);
  /* 1900-01-01 00:00 in China. */
  assert_day(date_from_unix(-25567LL * 86400 - cst, cst), "1900-01-01");
  assert_day(date_from_unix(-25567LL * 86400 - cst - 1, cst), "1899-12-31");
  /* Extreme inputs must not overflow (checked under UBSan). */
  (void)date_from_unix(INT64_MAX, cst);
  (void)date_from_unix(INT64_MIN, -cst);
}

/* Timestamps as people read them: minutes, China time, no "T" or offset. */
static void test_time_short(void **state) {
  (void)state;
  char out[DATE_TIME_SHORT_LEN];
  assert_string_equal(date_time_short("2026-12-05T15:00:30+08:00", out), "2026-12-05 15:00");
  assert_string_equal(date_time_short("2026-12-05T15:00+08:00", out), "2026-12-05 15:00");
  assert_string_equal(date_time_short("2026-12-05T15:00:30.123+08:00", out), "2026-12-05 15:00");
  assert_string_equal(date_time_short("2026-12-05T15:00:30", out), "2026-12-05 15:00");
  assert_string_equal(date_time_short("2026-12-05 15:00:30", out), "2026-12-05 15:00");
  /* other offsets are converted to China time, across the day and year */
  assert_string_equal(date_time_short("2026-12-31T20:30:00Z", out), "2027-01-01 04:30");
  assert_string_equal(date_time_short("2026-03-01T01:00:00+09:00", out), "2026-03-01 00:00");
  assert_string_equal(date_time_short("2024-03-01T00:10:00+10:00", out), "2024-02-29 22:10");
  assert_string_equal(date_time_short("2026-01-01T00:00:00-05:00", out), "2026-01-01 13:00");
  /* anything else as it is */
  assert_string_equal(date_time_short("2026-12-05", out), "2026-12-05");
  assert_string_equal(date_time_short("", out), "");
  assert_string_equal(date_time_short(NULL, out), "");
  assert_string_equal(date_time_short("2026-02-30T10:00:00+08:00", out), "2026-02-30T10:00");
  assert_string_equal(date_time_short("2026-12-05T25:00:00+08:00", out), "2026-12-05T25:00");
  assert_string_equal(date_time_short("2026-12-05T15:00:30+08", out), "2026-12-05T15:00");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_known_days),
    cmocka_unit_test(test_leap_years),
    cmocka_unit_test(test_valid_ymd),
    cmocka_unit_test(test_round_trip_all_days),
    cmocka_unit_test(test_parse),
    cmocka_unit_test(test_format),
    cmocka_unit_test(test_add_months),
    cmocka_unit_test(test_add_years),
    cmocka_unit_test(test_years_between),
    cmocka_unit_test(test_from_unix),
    cmocka_unit_test(test_time_short),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
