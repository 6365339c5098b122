/* core/period.h: reporting periods as offices count them: the ten days of
 * a month (旬: 上旬 1-10, 中旬 11-20, 下旬 21 to the end), the month, the
 * quarter, the half-year and the year. Their text forms ("2026-06D1",
 * "2026-06", "2026Q2", "2026H1", "2026"), names for people, first and last
 * days, the period of a day, the next and previous, containment, and the
 * due date a number of days after a period ends. Pure: no clock, no I/O,
 * no allocation. Used by the data sets (unit figures by period), the
 * rhythms of unit tasks (core/rhythm.h) and the report periods of the
 * statistics. Years are those of core/date.h (1900..2199). */
#ifndef JINDU_PERIOD_H
#define JINDU_PERIOD_H
#include <stdbool.h>
#include <stddef.h>
#include "core/date.h"

/* The kinds of period, finest first: each nests in every later one (a
 * dekad lies in one month, a month in one quarter, ...). */
typedef enum {
  PERIOD_DEKAD = 0, /* 旬: days 1-10, 11-20, 21-end of a month */
  PERIOD_MONTH,
  PERIOD_QUARTER,
  PERIOD_HALF,
  PERIOD_YEAR,
  PERIOD__COUNT
} PeriodType;

/* One period: its kind, year and number within the year (dekad 1..36,
 * month 1..12, quarter 1..4, half 1..2, year 1). */
typedef struct Period {
  PeriodType type;
  int year;
  int index;
} Period;

#define PERIOD_TEXT_LEN 40  /* "2026-06D1" + NUL, with room for what the compiler cannot rule out */
#define PERIOD_LABEL_LEN 64 /* "2026年6月上旬", "Jun 2026, days 21-end" + NUL */

/* ---- kinds ---- */

/* The API code of a kind: "dekad", "month", "quarter", "half", "year". */
const char *period_type_code(PeriodType t);
/* The kind of code; false when code (NULL allowed) names none. */
bool period_type_from_code(const char *code, PeriodType *out);
/* The Chinese name of a kind (a catalog msgid): 旬, 月, 季度, 半年, 年. */
const char *period_type_name_zh(PeriodType t);
/* How many periods of kind t a year has: 36, 12, 4, 2, 1. */
int period_per_year(PeriodType t);

/* ---- text ---- */

/* true when p is a period of a valid kind, year 1900..2199 and number. */
bool period_valid(Period p);
/* Parses exactly one of "2026" (year), "2026H1".."2026H2" (half),
 * "2026Q1".."2026Q4" (quarter), "2026-01".."2026-12" (month) and
 * "2026-06D1".."2026-06D3" (dekad); nothing before or after, letters upper
 * case. false (and *out untouched) for anything else. */
bool period_parse(const char *s, Period *out);
/* Writes the text form of the valid period p (the form period_parse reads). */
void period_format(Period p, char out[PERIOD_TEXT_LEN]);
/* Writes the name of the valid period p for people into out (n bytes):
 * Chinese "2026年6月上旬", "2026年6月", "2026年第二季度", "2026年上半年",
 * "2026年"; English (english true) "Jun 2026, days 1-10", "Jun 2026",
 * "Q2 2026", "H1 2026", "2026". */
void period_label(Period p, bool english, char *out, size_t n);

/* ---- days ---- */

/* The first and the last day of the valid period p. */
Day period_first_day(Period p);
Day period_last_day(Period p);
/* The days p holds (8..366). */
int period_days(Period p);
/* The period of kind t that holds day d (d in years 1900..2199). */
Period period_of(PeriodType t, Day d);
/* The period n periods after p (before it for n < 0), of p's kind. The
 * result may leave the valid years: check with period_valid. */
Period period_add(Period p, int n);
/* Orders periods by first day, then by last day (so a month before the
 * quarter that starts with it): < 0, 0 (the same period), > 0. */
int period_cmp(Period a, Period b);
/* true when every day of inner lies in outer (a period contains itself). */
bool period_contains(Period outer, Period inner);
/* true when day d lies in p. */
bool period_contains_day(Period p, Day d);
/* The periods of kind t inside outer (t no coarser than outer's kind):
 * *first gets the first of them; returns how many (consecutive, so the
 * rest are period_add(*first, 1..)). 0 when t is coarser than outer. */
int period_split(Period outer, PeriodType t, Period *first);
/* The due date of p: its last day plus grace_days (>= 0). */
Day period_due(Period p, int grace_days);

#endif
