/* web/export.c: the lists as .xlsx downloads (see web/export.h). Adding a
 * list: its column table, a loop over its rows, xlsx_send. */
#include "web/export.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "web/api_stats.h"
#include "web/xlsx.h"

/* The title row: what, the unit (the filter's, else the actor's own; "my
 * cases" when the list is the actor's own) and the period, in one line. */
static void export_title(Req *r, Buf *t, const char *what, const char *org_code, bool mine, const char *period) {
  const char *unit = r->actor.org_name;
  OrgUnit u;
  Err e;
  err_clear(&e);
  if (org_code && *org_code && app_org_get(&r->ctx, org_code, &u, &e) == ERR_OK) unit = u.name;
  buf_printf(t, "%s · %s%s · %s", what, unit, mine ? "（我负责的）" : "", period);
}

const char *export_day(const Req *r, const char *date, char today[DATE_ISO_LEN]) {
  date_format(r->ctx.today, today);
  return date && *date ? date : today;
}

void export_rate_heads(Buf *heads, size_t *offs, int *nh, const char *name_zh) {
  offs[(*nh)++] = heads->len;
  buf_printf(heads, "%s分子", name_zh);
  buf_putc(heads, 0);
  offs[(*nh)++] = heads->len;
  buf_printf(heads, "%s分母", name_zh);
  buf_putc(heads, 0);
}

void export_worklist(Req *r, const WorkQuery *q) {
  static const XlsxCol cols[] = {
      {"人员编号", XLSX_INT, 10}, {"姓名", XLSX_TEXT, 12},   {"单位编码", XLSX_TEXT, 16},
      {"所属单位", XLSX_TEXT, 20}, {"事项", XLSX_TEXT, 18},   {"到期日期", XLSX_DATE, 12},
      {"逾期天数", XLSX_INT, 10}, {"审批编号", XLSX_INT, 10},
  };
  WorkQuery all = *q;
  all.page = 1;
  all.per_page = WORKLIST_PAGE_MAX; /* the bound: 50 000 rows */
  all.explain = false; /* the workbook has no since/why: no row read per person */
  WorkItem *items = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (app_worklist(&r->ctx, &all, &items, &n, &total, NULL, &e) != ERR_OK) {
    free(items);
    resp_error(r, &e);
    return;
  }
  char today[DATE_ISO_LEN];
  const char *date = export_day(r, q->date, today);
  Buf period = BUF_INIT, title = BUF_INIT, name = BUF_INIT;
  int horizon = q->horizon_days == 0 ? 7 : q->horizon_days < 0 ? 0 : q->horizon_days;
  buf_printf(&period, "截至 %s（%d 天内到期）", date, horizon);
  if (total > n) buf_printf(&period, " · 共 %" PRId64 " 条，仅导出前 %d 条", total, n);
  export_title(r, &title, "工作台待办事项", q->org_code, q->worker_id > 0, buf_str(&period));
  Xlsx *x;
  if (xlsx_begin(&x, "待办事项", buf_str(&title), cols, (int)(sizeof cols / sizeof cols[0]), &e) != ERR_OK) {
    resp_error(r, &e);
  } else {
    for (int i = 0; i < n; i++) {
      const WorkItem *w = &items[i];
      xlsx_row(x);
      xlsx_int(x, true, w->person_id);
      xlsx_text(x, w->name);
      xlsx_text(x, w->org_code);
      xlsx_text(x, w->org_name);
      xlsx_text(x, work_reason_name_zh(w->reason));
      xlsx_date(x, w->due_date);
      xlsx_int(x, true, w->days_overdue > 0 ? w->days_overdue : 0);
      xlsx_int(x, w->reason == WL_APPROVAL_PENDING && w->approval_id > 0, w->approval_id);
    }
    buf_printf(&name, "工作台待办-%s.xlsx", date);
    xlsx_send(r, x, buf_str(&name));
  }
  free(items);
  buf_reset(&period);
  buf_reset(&title);
  buf_reset(&name);
}

/* "统计日 D · 统计期 F 至 T" of a window into b. */
static void export_window(Buf *b, const StatsWindow *w) {
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], t[DATE_ISO_LEN];
  stats_window_iso(w, d, f, t);
  buf_printf(b, "统计日 %s · 统计期 %s 至 %s", d, f, t);
}

/* One row of the statistics table: code, name, then the figures of f. */
static void export_stats_row(Xlsx *x, const char *code, const char *name, const StatsFigures *f) {
  xlsx_row(x);
  xlsx_text(x, code);
  xlsx_text(x, name);
  for (int i = 0; i < stats_measure_count(); i++)
    if (stat_measures[i].kind == SM_COUNT) xlsx_int(x, true, stats_figure(f, &stat_measures[i], false));
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (m->kind != SM_RATE) continue;
    int64_t num = stats_figure(f, m, false), den = stats_figure(f, m, true), tenths = 0;
    bool has = stats_rate_tenths(num, den, &tenths);
    xlsx_num(x, has, (double)tenths / 1000.0);
    xlsx_int(x, true, num);
    xlsx_int(x, true, den);
  }
}

void export_stats(Req *r, const StatsQuery *q) {
  Err e;
  err_clear(&e);
  StatsTable t;
  if (app_stats_table(&r->ctx, q, false, &t, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  /* the columns: what the JSON's counts and rates hold, in the measure table's order */
  XlsxCol cols[XLSX_COLS_MAX];
  Buf heads = BUF_INIT; /* the rates' numerator and denominator headers, NUL-separated */
  int nc = 0;
  cols[nc++] = (XlsxCol){"单位编码", XLSX_TEXT, 16};
  cols[nc++] = (XlsxCol){"单位", XLSX_TEXT, 20};
  for (int i = 0; i < stats_measure_count(); i++)
    if (stat_measures[i].kind == SM_COUNT) cols[nc++] = (XlsxCol){stat_measures[i].name_zh, XLSX_INT, 10};
  size_t offs[XLSX_COLS_MAX];
  int nh = 0;
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (m->kind == SM_RATE) export_rate_heads(&heads, offs, &nh, m->name_zh);
  }
  for (int i = 0, k = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (m->kind != SM_RATE) continue;
    cols[nc++] = (XlsxCol){m->name_zh, XLSX_PERCENT, 10};
    cols[nc++] = (XlsxCol){heads.data + offs[k++], XLSX_INT, 10};
    cols[nc++] = (XlsxCol){heads.data + offs[k++], XLSX_INT, 10};
  }
  Buf period = BUF_INIT, title = BUF_INIT, name = BUF_INIT;
  export_window(&period, &t.now);
  export_title(r, &title, "禁毒工作统计", t.unit.code, false, buf_str(&period));
  Xlsx *x;
  if (xlsx_begin(&x, "统计", buf_str(&title), cols, nc, &e) != ERR_OK) {
    resp_error(r, &e);
  } else {
    for (int i = 0; i < t.nchildren; i++)
      export_stats_row(x, t.children[i].unit.code, t.children[i].unit.name, &t.children[i].f);
    export_stats_row(x, t.unit.code, "合计", &t.total);
    char d[DATE_ISO_LEN];
    date_format(t.now.d, d);
    buf_printf(&name, "禁毒工作统计-%s-%s.xlsx", t.unit.code, d);
    xlsx_send(r, x, buf_str(&name));
  }
  app_stats_table_free(&t);
  buf_reset(&heads);
  buf_reset(&period);
  buf_reset(&title);
  buf_reset(&name);
}

void export_stats_items(Req *r, const StatsQuery *q, const char *measure, const char *part) {
  static const XlsxCol cols[] = {
      {"人员编号", XLSX_INT, 10},      {"姓名", XLSX_TEXT, 12},          {"身份证号", XLSX_TEXT, 22},
      {"统计日责任单位编码", XLSX_TEXT, 16}, {"统计日责任单位", XLSX_TEXT, 20}, {"统计日管控状态", XLSX_TEXT, 16},
      {"计数", XLSX_INT, 8},          {"现所属单位", XLSX_TEXT, 20},
  };
  Err e;
  err_clear(&e);
  StatsItems it;
  if (app_stats_items(&r->ctx, q, measure, part, 1, STATS_ITEMS_MAX, &it, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  Buf period = BUF_INIT, title = BUF_INIT, name = BUF_INIT, what = BUF_INIT;
  export_window(&period, &it.w);
  buf_printf(&period, " · 共 %" PRId64 "", it.total);
  if (it.hidden) buf_printf(&period, "，其中 %" PRId64 " 人现不在本单位管辖范围内，未列出", it.hidden);
  buf_printf(&what, "%s%s", it.measure->name_zh, it.measure->kind == SM_RATE ? (it.den ? "（分母）" : "（分子）") : "");
  export_title(r, &title, buf_str(&what), it.unit.code, false, buf_str(&period));
  static const XlsxCol rec_cols[] = {
      {"记录编号", XLSX_INT, 10},   {"发出单位编码", XLSX_TEXT, 16}, {"发出单位", XLSX_TEXT, 20},
      {"责任书类型", XLSX_TEXT, 18}, {"签订方", XLSX_TEXT, 24},       {"签订日期", XLSX_DATE, 12},
  };
  Xlsx *x;
  /* letters, or the required signers (签订日期 empty: not signed by the day); else persons */
  const XlsxCol *c = it.record ? rec_cols : cols;
  int nc = it.record ? (int)(sizeof rec_cols / sizeof rec_cols[0]) : (int)(sizeof cols / sizeof cols[0]);
  if (xlsx_begin(&x, "明细", buf_str(&title), c, nc, &e) != ERR_OK) {
    resp_error(r, &e);
  } else {
    for (int i = 0; i < it.n; i++) {
      const StatsItem *s = &it.items[i];
      xlsx_row(x);
      xlsx_int(x, true, s->person_id);
      if (it.record) {
        xlsx_text(x, s->org_code);
        xlsx_text(x, s->org_name);
        xlsx_text(x, s->rec_kind);
        xlsx_text(x, s->rec_name);
        xlsx_date(x, s->rec_date);
        continue;
      }
      xlsx_text(x, s->name);
      xlsx_text(x, s->id_masked);
      xlsx_text(x, s->org_code);
      xlsx_text(x, s->org_name);
      xlsx_text(x, status_name_zh(s->status));
      xlsx_int(x, true, s->count);
      xlsx_text(x, s->now_org_name);
    }
    char d[DATE_ISO_LEN];
    date_format(it.w.d, d);
    buf_printf(&name, "统计明细-%s-%s-%s.xlsx", it.measure->key, it.unit.code, d);
    xlsx_send(r, x, buf_str(&name));
  }
  app_stats_items_free(&it);
  buf_reset(&period);
  buf_reset(&title);
  buf_reset(&name);
  buf_reset(&what);
}
