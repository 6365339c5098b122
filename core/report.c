/* core/report.c: owns the report forms (their fixed layouts), the period
 * check of a form, and the snapshot of a submitted period (encoding,
 * decoding, differences). See core/report.h. */
#include "core/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include "core/buf.h"

#define M_PERIOD_KIND "报告期类型与报表不符"
#define M_PERIOD_FUTURE "报告期尚未开始"
#define M_PERIOD_RUNNING "报告期尚未结束，结束后才能上报"

#define H(zh) {zh, NULL}
#define M(key) {NULL, key}

/* The first two sections of every form: the register by status in the
 * seeds' words, and the period's movement. */
#define REGISTER_AND_MOVEMENT                                                                                    \
  H("一、在册人员"),                                                                                             \
  M("registered"), M("current"), M("by_status.imprisoned"), M("by_status.compulsory_isolation"),                 \
  M("by_status.community_detox"), M("by_status.community_rehab"), M("by_status.social_supervision"),             \
  M("by_status.detained"), M("abstinent_3y"),                                                                    \
  H("二、本期动态"),                                                                                             \
  M("new_found"), M("relapsed"), M("lost_contact")

/* The monthly table: the two sections and control. */
static const ReportLine monthly_lines[] = {
  REGISTER_AND_MOVEMENT,
  H("三、管控帮教"),
  M("supervised"), M("control_rate"), M("help_rate"), M("test_rate"),
};

/* The half-year and annual tables: the monthly's lines and every rate. */
static const ReportLine long_lines[] = {
  REGISTER_AND_MOVEMENT,
  H("三、管控帮教"),
  M("supervised"), M("in_community"), M("control_rate"), M("lost_rate"), M("help_rate"), M("test_rate"),
  M("relapse_rate"),
  H("四、收戒、报到与档案"),
  M("isolation_rate"), M("report_rate"), M("pickup_rate"), M("complete_rate"),
};
#undef REGISTER_AND_MOVEMENT
#undef H
#undef M

#define LINES(a) a, (int)(sizeof a / sizeof a[0])
const ReportForm report_forms[] = {
  {"monthly", "禁毒工作月报表", PERIOD_MONTH, LINES(monthly_lines)},
  {"half", "禁毒工作半年报表", PERIOD_HALF, LINES(long_lines)},
  {"annual", "禁毒工作年报表", PERIOD_YEAR, LINES(long_lines)},
};
#undef LINES

int report_form_count(void) { return (int)(sizeof report_forms / sizeof report_forms[0]); }

const ReportForm *report_form_by_code(const char *code) {
  return array_find_str(report_forms, report_form_count(), sizeof *report_forms, offsetof(ReportForm, code), code);
}

int report_check_period(const ReportForm *f, Period p, Day today, bool submitting, Err *e) {
  if (p.type != f->period) return err_field(e, "period", M_PERIOD_KIND);
  if (period_first_day(p) > today) return err_field(e, "period", M_PERIOD_FUTURE);
  if (submitting && period_last_day(p) >= today) return err_field(e, "period", M_PERIOD_RUNNING);
  return ERR_OK;
}

Day report_as_of(Period p, Day today) {
  Day last = period_last_day(p);
  return last < today ? last : today;
}

void report_snapshot_encode(const ReportCell *cells, int n, Buf *out) {
  for (int i = 0; i < n; i++)
    buf_printf(out, "%s\t%s\t%lld\t%lld\n", cells[i].org, cells[i].key, (long long)cells[i].num,
               (long long)cells[i].den);
}

/* Reads a decimal integer (a leading '-' allowed) at *s up to stop; false
 * when there is none or anything else. */
static bool rp_int(const char **s, char stop, int64_t *out) {
  const char *p = *s;
  bool neg = *p == '-';
  if (neg) p++;
  if (*p < '0' || *p > '9') return false;
  int64_t v = 0;
  while (*p >= '0' && *p <= '9') {
    if (v > (INT64_MAX - 9) / 10) return false;
    v = v * 10 + (*p++ - '0');
  }
  if (*p != stop) return false;
  *out = neg ? -v : v;
  *s = p + 1;
  return true;
}

/* Copies the text at *s up to '\t' into out (n bytes, at least one
 * character); false when too long, empty or unterminated. */
static bool rp_word(const char **s, char *out, size_t n) {
  size_t k = strcspn(*s, "\t\n");
  if (k == 0 || k >= n || (*s)[k] != '\t') return false;
  memcpy(out, *s, k);
  out[k] = '\0';
  *s += k + 1;
  return true;
}

bool report_snapshot_decode(const char *text, ReportCell **cells, int *n) {
  *cells = NULL;
  *n = 0;
  int cap = 0;
  const char *s = text ? text : "";
  while (*s) {
    *cells = array_grow(*cells, *n, &cap, sizeof **cells);
    ReportCell *c = &(*cells)[*n];
    memset(c, 0, sizeof *c);
    if (!rp_word(&s, c->org, sizeof c->org) || !rp_word(&s, c->key, sizeof c->key) || !rp_int(&s, '\t', &c->num) ||
        !rp_int(&s, '\n', &c->den) || c->num < 0 || c->den < -1) {
      free(*cells);
      *cells = NULL;
      *n = 0;
      return false;
    }
    (*n)++;
  }
  return true;
}

const ReportCell *report_cell_find(const ReportCell *cells, int n, const char *org, const char *key) {
  for (int i = 0; i < n; i++)
    if (strcmp(cells[i].org, org) == 0 && strcmp(cells[i].key, key) == 0) return &cells[i];
  return NULL;
}

int report_diff(const ReportCell *snap, int nsnap, const ReportCell *cur, int ncur, ReportDiff **out) {
  *out = NULL;
  int n = 0, cap = 0;
  for (int pass = 0; pass < 2; pass++) {
    const ReportCell *v = pass ? snap : cur;
    int nv = pass ? nsnap : ncur;
    for (int i = 0; i < nv; i++) {
      const ReportCell *then = pass ? &v[i] : report_cell_find(snap, nsnap, v[i].org, v[i].key);
      const ReportCell *now = pass ? report_cell_find(cur, ncur, v[i].org, v[i].key) : &v[i];
      if (pass && now) continue; /* seen in the first pass */
      if (then && now && then->num == now->num && then->den == now->den) continue;
      *out = array_grow(*out, n, &cap, sizeof **out);
      ReportDiff *d = &(*out)[n++];
      memset(d, 0, sizeof *d);
      str_copy(d->org, sizeof d->org, v[i].org);
      str_copy(d->key, sizeof d->key, v[i].key);
      d->then = then != NULL;
      d->now = now != NULL;
      if (then) d->then_num = then->num, d->then_den = then->den;
      if (now) d->now_num = now->num, d->now_den = now->den;
    }
  }
  return n;
}
