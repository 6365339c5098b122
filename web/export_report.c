/* web/export_report.c: owns the .xlsx of the report forms and of the data
 * quality table (see web/export_report.h). */
#include "web/export_report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/stats.h"
#include "web/export.h"
#include "web/xlsx.h"

/* One row of a form: the unit, then each measure's figures from cells. */
static void er_row(Xlsx *x, const ReportView *v, const char *code, const char *name, const ReportCell *cells, int n) {
  xlsx_row(x);
  xlsx_text(x, code);
  xlsx_text(x, name);
  for (int i = 0; i < v->form->nlines; i++) {
    const StatMeasure *m = v->form->lines[i].key ? stats_measure_by_key(v->form->lines[i].key) : NULL;
    if (!m) continue;
    const ReportCell *c = report_cell_find(cells, n, code, m->key);
    if (m->kind == SM_COUNT) {
      xlsx_int(x, c != NULL, c ? c->num : 0);
      continue;
    }
    int64_t tenths = 0;
    bool has = c && stats_rate_tenths(c->num, c->den, &tenths);
    xlsx_num(x, has, (double)tenths / 1000.0);
    xlsx_int(x, c != NULL, c ? c->num : 0);
    xlsx_int(x, c != NULL, c ? c->den : 0);
  }
}

void export_report(Req *r, const ReportView *v) {
  XlsxCol cols[XLSX_COLS_MAX];
  Buf heads = BUF_INIT;
  size_t offs[XLSX_COLS_MAX];
  int nc = 0, nh = 0;
  cols[nc++] = (XlsxCol){"单位编码", XLSX_TEXT, 16};
  cols[nc++] = (XlsxCol){"单位", XLSX_TEXT, 20};
  for (int i = 0; i < v->form->nlines; i++) {
    const StatMeasure *m = v->form->lines[i].key ? stats_measure_by_key(v->form->lines[i].key) : NULL;
    if (m && m->kind == SM_RATE) export_rate_heads(&heads, offs, &nh, m->name_zh);
  }
  for (int i = 0, k = 0; i < v->form->nlines && nc + 3 <= XLSX_COLS_MAX; i++) {
    const StatMeasure *m = v->form->lines[i].key ? stats_measure_by_key(v->form->lines[i].key) : NULL;
    if (!m) continue;
    if (m->kind == SM_COUNT) {
      cols[nc++] = (XlsxCol){m->name_zh, XLSX_INT, 10};
      continue;
    }
    cols[nc++] = (XlsxCol){m->name_zh, XLSX_PERCENT, 10};
    cols[nc++] = (XlsxCol){heads.data + offs[k++], XLSX_INT, 10};
    cols[nc++] = (XlsxCol){heads.data + offs[k++], XLSX_INT, 10};
  }
  char label[PERIOD_LABEL_LEN], as_of[DATE_ISO_LEN];
  period_label(v->period, false, label, sizeof label);
  date_format(v->as_of, as_of);
  bool snap = v->row.state == DS_SUBMITTED;
  Buf title = BUF_INIT, name = BUF_INIT;
  buf_printf(&title, "%s · %s · %s · %s%s", v->form->title_zh, v->org.name, label, snap ? "已上报 · 统计日 " : "未上报 · 统计日 ",
             snap ? v->row.as_of : as_of);
  int n = 0;
  const ReportCell *cells = report_view_cells(v, &n);
  Xlsx *x;
  Err e;
  err_clear(&e);
  if (xlsx_begin(&x, "报表", buf_str(&title), cols, nc, &e) != ERR_OK) {
    resp_error(r, &e);
  } else {
    for (int i = 0; i < v->nchildren; i++) er_row(x, v, v->children[i].code, v->children[i].name, cells, n);
    er_row(x, v, v->org.code, "合计", cells, n);
    buf_printf(&name, "%s-%s-%s.xlsx", v->form->title_zh, v->org.code, v->period_text);
    xlsx_send(r, x, buf_str(&name));
  }
  buf_reset(&heads);
  buf_reset(&title);
  buf_reset(&name);
}

/* A rate cell: the percentage, or empty when there were no checks. */
static void eq_rate(Xlsx *x, int64_t ok, int64_t all) {
  int64_t tenths = 0;
  bool has = stats_rate_tenths(ok, all, &tenths);
  xlsx_num(x, has, (double)tenths / 1000.0);
}

void export_quality(Req *r, const QualityView *v) {
  static const XlsxCol cols[] = {
      {"排名", XLSX_INT, 6},          {"单位编码", XLSX_TEXT, 16},       {"单位", XLSX_TEXT, 20},
      {"档案数", XLSX_INT, 8},        {"有问题档案数", XLSX_INT, 10},    {"完整率", XLSX_PERCENT, 10},
      {"完整性检查项", XLSX_INT, 10}, {"完整性通过项", XLSX_INT, 10},    {"逻辑准确率", XLSX_PERCENT, 10},
      {"逻辑检查项", XLSX_INT, 10},   {"逻辑通过项", XLSX_INT, 10},
  };
  Buf title = BUF_INIT, name = BUF_INIT;
  buf_printf(&title, "数据质量 · %s%s%s", v->unit.name, v->rule ? " · " : "", v->rule ? v->rule->name_zh : "");
  Xlsx *x;
  Err e;
  err_clear(&e);
  if (xlsx_begin(&x, "数据质量", buf_str(&title), cols, (int)(sizeof cols / sizeof cols[0]), &e) != ERR_OK) {
    resp_error(r, &e);
    buf_reset(&title);
    return;
  }
  for (int i = 0; i <= v->nrows; i++) {
    const QualityTally *t = i < v->nrows ? &v->rows[i].t : &v->total;
    xlsx_row(x);
    xlsx_int(x, i < v->nrows, i < v->nrows ? v->rows[i].rank : 0);
    xlsx_text(x, i < v->nrows ? v->rows[i].unit.code : v->unit.code);
    xlsx_text(x, i < v->nrows ? v->rows[i].unit.name : "合计");
    xlsx_int(x, true, t->files);
    xlsx_int(x, true, t->failing);
    eq_rate(x, t->complete_ok, t->complete_all);
    xlsx_int(x, true, t->complete_all);
    xlsx_int(x, true, t->complete_ok);
    eq_rate(x, t->logic_ok, t->logic_all);
    xlsx_int(x, true, t->logic_all);
    xlsx_int(x, true, t->logic_ok);
  }
  buf_printf(&name, "数据质量-%s.xlsx", v->unit.code);
  xlsx_send(r, x, buf_str(&name));
  buf_reset(&title);
  buf_reset(&name);
}
