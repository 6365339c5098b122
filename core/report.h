/* core/report.h: the report forms offices send up (月报表, 半年报表, 年报表)
 * as data: each form a fixed layout (its period kind and the measures of
 * core/stats.h it shows, in order, under section headings), and the
 * snapshot of a submitted period: the cells (unit, measure, numerator,
 * denominator) as they stood when submitted, encoded as text, and the
 * differences between a snapshot and the figures of today. The state of a
 * (form, unit, period) is the data sets' (core/dataset.h DsState and
 * ds_transition: open, submitted = locked; the office above unlocks).
 * Pure: no clock, no I/O. */
#ifndef JINDU_CORE_REPORT_H
#define JINDU_CORE_REPORT_H
#include <stdbool.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/period.h"

/* One line of a form: a section heading (key NULL, heading the msgid) or
 * a measure (key: the API name of core/stats.h's table). */
typedef struct ReportLine {
  const char *heading;
  const char *key;
} ReportLine;

typedef struct ReportForm {
  const char *code;      /* "monthly" | "half" | "annual" */
  const char *title_zh;  /* 月报表 ... (a msgid) */
  PeriodType period;     /* the kind of its periods */
  const ReportLine *lines;
  int nlines;
} ReportForm;

extern const ReportForm report_forms[];
int report_form_count(void);
/* The form with code, or NULL. */
const ReportForm *report_form_by_code(const char *code);

/* Checks period p for form f as of today: of the form's kind (field
 * "period"), begun (field "period"). When submitting, also ended (the
 * figures of a period are final once it is over: field "period"). */
int report_check_period(const ReportForm *f, Period p, Day today, bool submitting, Err *e);
/* The day the figures of p are taken as of: its last day, or today while
 * it runs. */
Day report_as_of(Period p, Day today);

/* One cell of a form: the unit (code), the measure and its figures (den
 * -1 for a count). */
#define REPORT_ORG_LEN 64
#define REPORT_KEY_LEN 48
typedef struct ReportCell {
  char org[REPORT_ORG_LEN];
  char key[REPORT_KEY_LEN];
  int64_t num, den;
} ReportCell;

/* Appends the text form of cells to out: a line "org<TAB>key<TAB>num<TAB>den"
 * per cell (den -1 for a count). Codes hold no tab or newline (unit codes
 * and measure keys never do). */
void report_snapshot_encode(const ReportCell *cells, int n, Buf *out);
/* Reads text (as encoded) into *cells (malloc'd, free()); false for a
 * malformed text (then *cells NULL, *n 0). "" is zero cells. */
bool report_snapshot_decode(const char *text, ReportCell **cells, int *n);
/* The cell of (org, key) in cells, or NULL. */
const ReportCell *report_cell_find(const ReportCell *cells, int n, const char *org, const char *key);

/* A difference between a snapshot and now: the cell then (absent: then
 * false, a unit or measure added since) and now (absent: now false). */
typedef struct ReportDiff {
  char org[REPORT_ORG_LEN];
  char key[REPORT_KEY_LEN];
  bool then, now;
  int64_t then_num, then_den, now_num, now_den;
} ReportDiff;
/* The cells whose figures differ between snap and cur (in cur's order, then
 * those of snap gone from cur); *out malloc'd (free()); returns how many. */
int report_diff(const ReportCell *snap, int nsnap, const ReportCell *cur, int ncur, ReportDiff **out);

#endif
