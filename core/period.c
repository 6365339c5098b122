/* core/period.c: owns the arithmetic of reporting periods (see period.h):
 * kinds, text forms and names, first and last days, the period of a day,
 * moving by periods, order, containment and due dates. A period is counted
 * as its number since year 0 (year * per_year + index - 1), so moving by n
 * periods is integer arithmetic; days come from core/date.h. */
#include "core/period.h"
#include <assert.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *code, *zh;
  int per_year;
} period_kinds[PERIOD__COUNT] = {
  [PERIOD_DEKAD] = {"dekad", "旬", 36},     [PERIOD_MONTH] = {"month", "月", 12},
  [PERIOD_QUARTER] = {"quarter", "季度", 4}, [PERIOD_HALF] = {"half", "半年", 2},
  [PERIOD_YEAR] = {"year", "年", 1},
};

enum { PERIOD_YEAR_MIN = 1900, PERIOD_YEAR_MAX = 2199 };

const char *period_type_code(PeriodType t) { return t >= 0 && t < PERIOD__COUNT ? period_kinds[t].code : ""; }
const char *period_type_name_zh(PeriodType t) { return t >= 0 && t < PERIOD__COUNT ? period_kinds[t].zh : ""; }

int period_per_year(PeriodType t) {
  assert(t >= 0 && t < PERIOD__COUNT);
  return period_kinds[t].per_year;
}

bool period_type_from_code(const char *code, PeriodType *out) {
  for (int t = 0; code && t < PERIOD__COUNT; t++)
    if (strcmp(code, period_kinds[t].code) == 0) {
      *out = (PeriodType)t;
      return true;
    }
  return false;
}

bool period_valid(Period p) {
  return p.type >= 0 && p.type < PERIOD__COUNT && p.year >= PERIOD_YEAR_MIN && p.year <= PERIOD_YEAR_MAX &&
         p.index >= 1 && p.index <= period_kinds[p.type].per_year;
}

bool period_parse(const char *s, Period *out) {
  if (!s) return false;
  int year = date_digits(s, 4);
  if (year < 0) return false;
  Period p = {PERIOD_YEAR, year, 1};
  size_t n = strlen(s);
  if (n == 4) {
    /* the year */
  } else if (n == 6 && (s[4] == 'Q' || s[4] == 'H')) {
    p.type = s[4] == 'Q' ? PERIOD_QUARTER : PERIOD_HALF;
    p.index = date_digits(s + 5, 1);
  } else if ((n == 7 || n == 9) && s[4] == '-') {
    int month = date_digits(s + 5, 2);
    if (month < 1 || month > 12) return false;
    p.type = PERIOD_MONTH;
    p.index = month;
    if (n == 9) {
      int third = s[7] == 'D' ? date_digits(s + 8, 1) : -1;
      if (third < 1 || third > 3) return false;
      p.type = PERIOD_DEKAD;
      p.index = (month - 1) * 3 + third;
    }
  } else {
    return false;
  }
  if (!period_valid(p)) return false;
  *out = p;
  return true;
}

void period_format(Period p, char out[PERIOD_TEXT_LEN]) {
  assert(period_valid(p));
  switch (p.type) {
  case PERIOD_DEKAD: snprintf(out, PERIOD_TEXT_LEN, "%04d-%02dD%d", p.year, (p.index - 1) / 3 + 1, (p.index - 1) % 3 + 1); break;
  case PERIOD_MONTH: snprintf(out, PERIOD_TEXT_LEN, "%04d-%02d", p.year, p.index); break;
  case PERIOD_QUARTER: snprintf(out, PERIOD_TEXT_LEN, "%04dQ%d", p.year, p.index); break;
  case PERIOD_HALF: snprintf(out, PERIOD_TEXT_LEN, "%04dH%d", p.year, p.index); break;
  default: snprintf(out, PERIOD_TEXT_LEN, "%04d", p.year); break;
  }
}

void period_label(Period p, bool english, char *out, size_t n) {
  assert(period_valid(p) && n > 0);
  static const char *const third_zh[] = {"上旬", "中旬", "下旬"};
  static const char *const third_en[] = {"days 1-10", "days 11-20", "days 21-end"};
  static const char *const quarter_zh[] = {"一", "二", "三", "四"};
  static const char *const month_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = p.type == PERIOD_DEKAD ? (p.index - 1) / 3 + 1 : p.index;
  switch (p.type) {
  case PERIOD_DEKAD:
    if (english) snprintf(out, n, "%s %d, %s", month_en[month - 1], p.year, third_en[(p.index - 1) % 3]);
    else snprintf(out, n, "%d年%d月%s", p.year, month, third_zh[(p.index - 1) % 3]);
    break;
  case PERIOD_MONTH:
    if (english) snprintf(out, n, "%s %d", month_en[month - 1], p.year);
    else snprintf(out, n, "%d年%d月", p.year, month);
    break;
  case PERIOD_QUARTER:
    if (english) snprintf(out, n, "Q%d %d", p.index, p.year);
    else snprintf(out, n, "%d年第%s季度", p.year, quarter_zh[p.index - 1]);
    break;
  case PERIOD_HALF:
    if (english) snprintf(out, n, "H%d %d", p.index, p.year);
    else snprintf(out, n, "%d年%s半年", p.year, p.index == 1 ? "上" : "下");
    break;
  default:
    if (english) snprintf(out, n, "%d", p.year);
    else snprintf(out, n, "%d年", p.year);
    break;
  }
}

/* The first month (1-12) of p and how many months it spans; a dekad spans
 * part of one month (0). */
static void period_months(Period p, int *first, int *count) {
  switch (p.type) {
  case PERIOD_DEKAD: *first = (p.index - 1) / 3 + 1; *count = 0; break;
  case PERIOD_MONTH: *first = p.index; *count = 1; break;
  case PERIOD_QUARTER: *first = (p.index - 1) * 3 + 1; *count = 3; break;
  case PERIOD_HALF: *first = (p.index - 1) * 6 + 1; *count = 6; break;
  default: *first = 1; *count = 12; break;
  }
}

Day period_first_day(Period p) {
  assert(period_valid(p));
  int m, count;
  period_months(p, &m, &count);
  int day = p.type == PERIOD_DEKAD ? (p.index - 1) % 3 * 10 + 1 : 1;
  return date_from_ymd(p.year, m, day);
}

Day period_last_day(Period p) {
  assert(period_valid(p));
  int m, count;
  period_months(p, &m, &count);
  if (p.type == PERIOD_DEKAD) {
    int third = (p.index - 1) % 3;
    return date_from_ymd(p.year, m, third < 2 ? third * 10 + 10 : date_days_in_month(p.year, m));
  }
  int last = m + count - 1;
  return date_from_ymd(p.year, last, date_days_in_month(p.year, last));
}

int period_days(Period p) { return (int)(period_last_day(p) - period_first_day(p)) + 1; }

Period period_of(PeriodType t, Day d) {
  assert(t >= 0 && t < PERIOD__COUNT);
  int y, m, dd;
  date_to_ymd(d, &y, &m, &dd);
  Period p = {t, y, 1};
  switch (t) {
  case PERIOD_DEKAD: p.index = (m - 1) * 3 + (dd <= 10 ? 1 : dd <= 20 ? 2 : 3); break;
  case PERIOD_MONTH: p.index = m; break;
  case PERIOD_QUARTER: p.index = (m - 1) / 3 + 1; break;
  case PERIOD_HALF: p.index = (m - 1) / 6 + 1; break;
  default: break;
  }
  return p;
}

Period period_add(Period p, int n) {
  int per = period_kinds[p.type].per_year;
  long s = (long)p.year * per + (p.index - 1) + n; /* periods since year 0 (years are positive) */
  long y = s >= 0 ? s / per : -((-s + per - 1) / per);
  Period q = {p.type, (int)y, (int)(s - y * per) + 1};
  return q;
}

int period_cmp(Period a, Period b) {
  Day fa = period_first_day(a), fb = period_first_day(b);
  if (fa != fb) return fa < fb ? -1 : 1;
  Day la = period_last_day(a), lb = period_last_day(b);
  return la < lb ? -1 : la > lb;
}

bool period_contains(Period outer, Period inner) {
  return period_first_day(outer) <= period_first_day(inner) && period_last_day(inner) <= period_last_day(outer);
}

bool period_contains_day(Period p, Day d) { return period_first_day(p) <= d && d <= period_last_day(p); }

int period_split(Period outer, PeriodType t, Period *first) {
  assert(period_valid(outer));
  if (t > outer.type) return 0;
  *first = period_of(t, period_first_day(outer));
  return period_kinds[t].per_year / period_kinds[outer.type].per_year;
}

Day period_due(Period p, int grace_days) {
  assert(grace_days >= 0);
  return period_last_day(p) + grace_days;
}
