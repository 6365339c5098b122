/* core/date.c: owns the calendar arithmetic of jindu (see date.h): the
 * mapping between day numbers (days since 1970-01-01, proleptic Gregorian)
 * and year/month/day, the ISO "YYYY-MM-DD" text form, and adding months and
 * years. Pure: no clock, no I/O, no allocation.
 *
 * The day-number conversion follows the well-known approach described by
 * Howard Hinnant ("chrono-compatible low-level date algorithms"): the year is
 * taken to start on 1 March, so the leap day falls at the very end of the
 * year, and the calendar repeats every 400 years ("eras") of 146097 days.
 * Within an era, the day of the year of a March-based month is a linear
 * function of the month (the month lengths 31 30 31 30 31 repeat), which is
 * what the 153/5 factors below express. */
#include "date.h"
#include <assert.h>
#include <stdio.h>
#include <string.h>

enum { DAYS_PER_ERA = 146097, /* 400 Gregorian years */
       EPOCH_SHIFT = 719468,  /* days from 0000-03-01 to 1970-01-01 */
       SECONDS_PER_DAY = 86400,
       YEAR_MIN = 1900,
       YEAR_MAX = 2199 };

/* Floor division of a by b (b > 0): rounds toward minus infinity. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b) != 0 && a < 0) q--;
  return q;
}

/* Day number of y-m-d for any Gregorian date (no range check). m must be
 * 1..12 and d 1..31; the arithmetic is done in 64 bits. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  /* Move January and February to the end of the previous year. */
  if (m <= 2) y -= 1;
  int64_t era = floor_div(y, 400);
  int64_t year_of_era = y - era * 400;                 /* 0..399 */
  int march_month = m > 2 ? m - 3 : m + 9;             /* March = 0 .. February = 11 */
  int64_t day_of_year = (153 * march_month + 2) / 5 + (d - 1); /* 0..365 */
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
                       day_of_year;                    /* 0..146096 */
  return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT;
}

/* Splits any day number into a Gregorian year, month (1-12) and day (1-31). */
static void civil_from_days(int64_t day, int64_t *y, int *m, int *d) {
  int64_t z = day + EPOCH_SHIFT; /* days since 0000-03-01 */
  int64_t era = floor_div(z, DAYS_PER_ERA);
  int64_t day_of_era = z - era * DAYS_PER_ERA; /* 0..146096 */
  /* Remove the leap days (every 4th year, except every 100th, except the
   * last day of the era) so that dividing by 365 gives the year of the era. */
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
                         day_of_era / (DAYS_PER_ERA - 1)) / 365; /* 0..399 */
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
                                      year_of_era / 100);      /* 0..365 */
  int64_t march_month = (5 * day_of_year + 2) / 153;           /* 0..11 */
  *d = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
  *m = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
  *y = year_of_era + era * 400 + (*m <= 2 ? 1 : 0);
}

/* true for a Gregorian leap year (every 4th, not every 100th, every 400th). */
static bool leap64(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m (1-12) of any Gregorian year. */
static int month_days64(int64_t y, int m) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  if (m == 2 && leap64(y)) return 29;
  return len[m - 1];
}

/* Adds a number of months to a day number, clamping the day of month to the
 * target month's length. Shared by date_add_months and date_add_years. */
static Day add_months64(Day day, int64_t months) {
  int64_t y;
  int m, d;
  civil_from_days(day, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months; /* months since year 0 */
  int64_t ny = floor_div(total, 12);
  int nm = (int)(total - ny * 12) + 1;
  int dim = month_days64(ny, nm);
  if (d > dim) d = dim;
  return (Day)days_from_civil(ny, nm, d);
}

/* Day number of a valid y-m-d in 1900..2199 (asserts the date is valid). */
Day date_from_ymd(int y, int m, int d) {
  assert(date_valid_ymd(y, m, d));
  return (Day)days_from_civil(y, m, d);
}

/* Splits a day number into year, month and day; any pointer may be NULL. */
void date_to_ymd(Day day, int *y, int *m, int *d) {
  int64_t yy;
  int mm, dd;
  civil_from_days(day, &yy, &mm, &dd);
  if (y) *y = (int)yy;
  if (m) *m = mm;
  if (d) *d = dd;
}

/* true when y-m-d is a real calendar date with a year in 1900..2199. */
bool date_valid_ymd(int y, int m, int d) {
  if (y < YEAR_MIN || y > YEAR_MAX) return false;
  if (m < 1 || m > 12) return false;
  return d >= 1 && d <= month_days64(y, m);
}

/* Reads n decimal digits at s into *out; false when any is not a digit. */
static bool read_digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* Parses exactly "YYYY-MM-DD" (10 characters, nothing before or after) into
 * *out (which may be NULL to only validate). *out is left untouched on
 * failure. NULL text is rejected. */
bool date_parse(const char *s, Day *out) {
  if (!s) return false;
  int y, m, d;
  /* The checks run left to right, so a short string stops at its NUL. */
  if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
      s[7] != '-' || !read_digits(s + 8, 2, &d) || s[10] != '\0')
    return false;
  if (!date_valid_ymd(y, m, d)) return false;
  if (out) *out = (Day)days_from_civil(y, m, d);
  return true;
}

/* Writes n decimal digits of v (v >= 0), zero padded, to out. */
static void write_digits(char *out, int n, int v) {
  for (int i = n - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

/* Writes "YYYY-MM-DD" and a NUL into out. Meant for days in 1900..2199; a
 * year outside 0..9999 is clamped so the text always has 10 characters. */
void date_format(Day day, char out[DATE_ISO_LEN]) {
  int64_t y;
  int m, d;
  civil_from_days(day, &y, &m, &d);
  if (y < 0) y = 0;
  if (y > 9999) y = 9999;
  write_digits(out, 4, (int)y);
  out[4] = '-';
  write_digits(out + 5, 2, m);
  out[7] = '-';
  write_digits(out + 8, 2, d);
  out[10] = '\0';
}

/* true for a Gregorian leap year: 2000 and 2024 are, 1900 and 2023 are not. */
bool date_is_leap_year(int y) { return leap64(y); }

/* Days in month m of year y; 0 when m is not 1..12. */
int date_days_in_month(int y, int m) { return month_days64(y, m); }

/* Adds calendar months (may be negative), clamping to the target month's
 * last day: 2024-03-31 - 1 month = 2024-02-29. */
Day date_add_months(Day day, int months) { return add_months64(day, months); }

/* Adds calendar years (may be negative); 29 February becomes 28 February
 * when the target year is common. */
Day date_add_years(Day day, int years) {
  return add_months64(day, (int64_t)years * 12);
}

/* Whole years from a to b as an age is counted: the largest n such that the
 * n-th "anniversary" of a (an anniversary on 29 February counts from
 * 1 March in a common year) is not after b. So 2020-02-29 to 2021-02-28 is
 * 0 and to 2021-03-01 is 1. For b < a the count is floored, hence negative:
 * 2020-06-01 to 2020-05-31 is -1. */
int date_years_between(Day a, Day b) {
  int64_t ay, by;
  int am, ad, bm, bd;
  civil_from_days(a, &ay, &am, &ad);
  civil_from_days(b, &by, &bm, &bd);
  int64_t years = by - ay;
  if (bm < am || (bm == am && bd < ad)) years--;
  return (int)years;
}

/* The local calendar day of a Unix time, for a zone utc_offset_seconds east
 * of UTC. Floors, so one second before local midnight belongs to the
 * previous day also for times before 1970. Splitting off whole days first
 * keeps the sum from overflowing for extreme inputs. */
Day date_from_unix(int64_t unix_seconds, int utc_offset_seconds) {
  int64_t days = floor_div(unix_seconds, SECONDS_PER_DAY);
  int64_t rest = unix_seconds % SECONDS_PER_DAY; /* seconds into the UTC day */
  if (rest < 0) rest += SECONDS_PER_DAY;         /* now 0..86399 */
  days += floor_div(rest + utc_offset_seconds, SECONDS_PER_DAY);
  return (Day)days;
}

int date_digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

const char *date_time_short(const char *iso, char out[DATE_TIME_SHORT_LEN]) {
  const char *s = iso ? iso : "";
  Day day;
  char ymd[DATE_ISO_LEN];
  size_t i;
  for (i = 0; i < DATE_ISO_LEN - 1 && s[i]; i++) ymd[i] = s[i];
  ymd[i] = 0;
  int hh = -1, mm = -1;
  if (i == DATE_ISO_LEN - 1 && date_parse(ymd, &day) && (s[10] == 'T' || s[10] == ' ') &&
      (hh = date_digits(s + 11, 2)) >= 0 && s[13] == ':' && (mm = date_digits(s + 14, 2)) >= 0 && hh < 24 &&
      mm < 60) {
    const char *z = s + 16;
    if (*z == ':' && date_digits(z + 1, 2) >= 0) z += 3;
    if (*z == '.')
      for (z++; *z >= '0' && *z <= '9'; z++) {}
    int offset = 8 * 60; /* minutes east of UTC; none given: as it is */
    bool ok = true;
    if (*z == 'Z' && !z[1]) offset = 0;
    else if ((*z == '+' || *z == '-') && date_digits(z + 1, 2) >= 0 && z[3] == ':' && date_digits(z + 4, 2) >= 0 && !z[6])
      offset = (*z == '-' ? -1 : 1) * (date_digits(z + 1, 2) * 60 + date_digits(z + 4, 2));
    else if (*z) ok = false;
    if (ok) {
      int64_t minutes = (int64_t)day * 1440 + hh * 60 + mm - offset + 8 * 60;
      Day d = (Day)floor_div(minutes, 1440);
      int rest = (int)(minutes - (int64_t)d * 1440);
      date_format(d, ymd);
      int h = rest / 60, m = rest % 60; /* 0..23, 0..59 */
      memcpy(out, ymd, DATE_ISO_LEN - 1);
      out[10] = ' ';
      out[11] = (char)('0' + h / 10);
      out[12] = (char)('0' + h % 10);
      out[13] = ':';
      out[14] = (char)('0' + m / 10);
      out[15] = (char)('0' + m % 10);
      out[16] = 0;
      return out;
    }
  }
  snprintf(out, DATE_TIME_SHORT_LEN, "%s", s);
  return out;
}
