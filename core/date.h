/* core/date.h: calendar dates as day numbers (proleptic Gregorian, days since
 * 1970-01-01) and their ISO text form. Pure: no clock, no I/O. Dates are
 * stored as ISO text "YYYY-MM-DD" and computed here, never in SQL. */
#ifndef JINDU_DATE_H
#define JINDU_DATE_H
#include <stdbool.h>
#include <stdint.h>

typedef int32_t Day; /* days since 1970-01-01; valid range years 1900..2199 */

#define DATE_ISO_LEN 11 /* "YYYY-MM-DD" + NUL */

/* Day of y-m-d; the caller guarantees a valid date (assert). */
Day date_from_ymd(int y, int m, int d);
/* Splits a day into year, month (1-12) and day of month (1-31). */
void date_to_ymd(Day day, int *y, int *m, int *d);
/* true when y-m-d is a real calendar date in years 1900..2199. */
bool date_valid_ymd(int y, int m, int d);
/* Parses exactly "YYYY-MM-DD" (no other form, no trailing text); false when
 * the text is not a real date in 1900..2199. */
bool date_parse(const char *s, Day *out);
/* The value of the n decimal digits at s, or -1 when one is not a digit
 * (a short string stops at its NUL, which is no digit). */
int date_digits(const char *s, int n);
/* Writes "YYYY-MM-DD" into out (DATE_ISO_LEN bytes). */
void date_format(Day day, char out[DATE_ISO_LEN]);
bool date_is_leap_year(int y);
int date_days_in_month(int y, int m);
/* Adds calendar months (may be negative); a day past the end of the target
 * month becomes its last day: 2024-01-31 + 1 month = 2024-02-29. */
Day date_add_months(Day day, int months);
/* Adds calendar years; 29 February becomes 28 February in a common year. */
Day date_add_years(Day day, int years);
/* Whole calendar years from a to b (b >= a), as an age is counted:
 * 2020-02-29 to 2021-02-28 is 0, to 2021-03-01 is 1. Negative when b < a. */
int date_years_between(Day a, Day b);
/* The day from Unix seconds in the time zone given as seconds east of UTC
 * (China: 8*3600). */
Day date_from_unix(int64_t unix_seconds, int utc_offset_seconds);

#define DATE_TIME_SHORT_LEN 17 /* "YYYY-MM-DD HH:MM" + NUL */
/* A timestamp as people read it: "2026-12-05T15:00:30+08:00" becomes
 * "2026-12-05 15:00", in China time (a timestamp with another offset or Z
 * is converted; one without an offset is taken as it is). Text that is not
 * such a timestamp is copied as it is (cut to fit). Returns out. */
const char *date_time_short(const char *iso, char out[DATE_TIME_SHORT_LEN]);

#endif
