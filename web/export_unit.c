/* web/export_unit.c: the unit-work lists as .xlsx downloads (see
 * web/export_unit.h). */
#include "web/export_unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "core/unit_vocab.h"
#include "web/xlsx.h"

/* The name of the unit with code (the actor's own when code is empty or
 * unknown). */
const char *eu_unit_name(Req *r, const char *code, OrgUnit *u) {
  Err e;
  err_clear(&e);
  if (code && *code && app_org_get(&r->ctx, code, u, &e) == ERR_OK) return u->name;
  return r->actor.org_name[0] ? r->actor.org_name : "全部";
}

/* "from – to" of a date filter, "全部日期" when open. */
void eu_dates(Buf *b, const char *from, const char *to) {
  if ((!from || !*from) && (!to || !*to)) buf_puts(b, "全部日期");
  else buf_printf(b, "%s 至 %s", from && *from ? from : "…", to && *to ? to : "…");
}

/* Starts a workbook with the title "what · unit · period"; answers the
 * error on failure (NULL). */
Xlsx *eu_begin(Req *r, const char *sheet, const char *what, const char *unit, const char *period,
                      const XlsxCol *cols, int ncols) {
  Buf title = BUF_INIT;
  buf_printf(&title, "%s · %s · %s", what, unit, period);
  Xlsx *x = NULL;
  Err e;
  err_clear(&e);
  if (xlsx_begin(&x, sheet, buf_str(&title), cols, ncols, &e) != ERR_OK) resp_error(r, &e);
  buf_reset(&title);
  return x;
}

/* The Chinese names of comma-joined codes of vocab, joined by "、". */
void eu_names(Buf *b, const UnitTerm *vocab, const char *codes) {
  buf_clear(b);
  const char *s = codes;
  while (s && *s) {
    size_t n = strcspn(s, ",");
    char code[64];
    snprintf(code, sizeof code, "%.*s", (int)n, s);
    const char *name = unit_term_label(vocab, code);
    if (b->len) buf_puts(b, "、");
    buf_puts(b, name ? name : code);
    s += n + (s[n] == ',');
  }
}

void export_eradications(Req *r, const EradicationQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},          {"日期", XLSX_DATE, 12},       {"单位编码", XLSX_TEXT, 14},
    {"单位", XLSX_TEXT, 18},        {"踏查面积（亩）", XLSX_INT, 12}, {"踏查方式", XLSX_TEXT, 16},
    {"地点", XLSX_TEXT, 24},        {"发现罂粟（株）", XLSX_INT, 12}, {"铲除罂粟（株）", XLSX_INT, 12},
    {"发现大麻（株）", XLSX_INT, 12}, {"铲除大麻（株）", XLSX_INT, 12}, {"发现其他（株）", XLSX_INT, 12},
    {"铲除其他（株）", XLSX_INT, 12}, {"公安案件编号", XLSX_TEXT, 18}, {"情况说明", XLSX_TEXT, 30},
    {"登记人", XLSX_TEXT, 12},
  };
  EradicationQuery all = *q;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  EradicationRow *rows = NULL;
  int n = 0;
  EradicationTotals tot;
  Err e;
  err_clear(&e);
  if (app_eradication_list(&r->ctx, &all, &rows, &n, &tot, &e) != ERR_OK) {
    free(rows);
    resp_error(r, &e);
    return;
  }
  OrgUnit u;
  Buf period = BUF_INIT, names = BUF_INIT;
  eu_dates(&period, q->from, q->to);
  Xlsx *x = eu_begin(r, "禁种铲毒", "禁种铲毒记录", eu_unit_name(r, q->org, &u), buf_str(&period), cols,
                     (int)(sizeof cols / sizeof cols[0]));
  if (x) {
    for (int i = 0; i < n; i++) {
      const EradicationRow *p = &rows[i];
      xlsx_row(x);
      xlsx_int(x, true, p->id);
      xlsx_date(x, p->date);
      xlsx_text(x, p->org_code);
      xlsx_text(x, p->org_name);
      xlsx_int(x, true, p->area_mu);
      eu_names(&names, eradication_method_vocab, p->methods);
      xlsx_text(x, buf_str(&names));
      xlsx_text(x, p->location);
      for (int s = 0; s < ERADICATION_SPECIES; s++) {
        xlsx_int(x, true, p->found[s]);
        xlsx_int(x, true, p->destroyed[s]);
      }
      xlsx_text(x, p->case_no);
      xlsx_text(x, p->notes);
      xlsx_text(x, p->created_by);
    }
    xlsx_send(r, x, "禁种铲毒记录.xlsx");
  }
  free(rows);
  buf_reset(&period);
  buf_reset(&names);
}

void export_unit_work(Req *r, const UnitWorkQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},   {"日期", XLSX_DATE, 12},   {"单位编码", XLSX_TEXT, 14}, {"单位", XLSX_TEXT, 18},
    {"工作类型", XLSX_TEXT, 12}, {"主题", XLSX_TEXT, 24}, {"情况说明", XLSX_TEXT, 36}, {"登记人", XLSX_TEXT, 12},
  };
  UnitWorkQuery all = *q;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  UnitWorkRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (app_unit_work_list(&r->ctx, &all, &rows, &n, &total, &e) != ERR_OK) {
    free(rows);
    resp_error(r, &e);
    return;
  }
  OrgUnit u;
  Buf period = BUF_INIT;
  eu_dates(&period, q->from, q->to);
  Xlsx *x = eu_begin(r, "单位工作记录", "单位工作记录", eu_unit_name(r, q->org, &u), buf_str(&period), cols,
                     (int)(sizeof cols / sizeof cols[0]));
  if (x) {
    for (int i = 0; i < n; i++) {
      const UnitWorkRow *w = &rows[i];
      xlsx_row(x);
      xlsx_int(x, true, w->id);
      xlsx_date(x, w->date);
      xlsx_text(x, w->org_code);
      xlsx_text(x, w->org_name);
      xlsx_text(x, unit_task_name_zh(w->kind));
      xlsx_text(x, w->title);
      xlsx_text(x, w->notes);
      xlsx_text(x, w->created_by);
    }
    xlsx_send(r, x, "单位工作记录.xlsx");
  }
  free(rows);
  buf_reset(&period);
}

void export_unit_tasks(Req *r, const UnitTaskQuery *q) {
  static const XlsxCol cols[] = {
    {"单位编码", XLSX_TEXT, 14}, {"单位", XLSX_TEXT, 18},    {"任务", XLSX_TEXT, 14},     {"报告期", XLSX_TEXT, 16},
    {"状态", XLSX_TEXT, 8},     {"到期日期", XLSX_DATE, 12}, {"逾期天数", XLSX_INT, 10}, {"已完成", XLSX_INT, 8},
    {"应完成", XLSX_INT, 8},    {"未完成期数", XLSX_INT, 10},
  };
  UnitTaskItem *items = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_unit_tasks(&r->ctx, q, &items, &n, &e) != ERR_OK) {
    free(items);
    resp_error(r, &e);
    return;
  }
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  const char *date = q->date && *q->date ? q->date : today;
  OrgUnit u;
  Buf period = BUF_INIT;
  buf_printf(&period, "截至 %s", date);
  Xlsx *x = eu_begin(r, "单位工作任务", "单位工作任务", eu_unit_name(r, q->org, &u), buf_str(&period), cols,
                     (int)(sizeof cols / sizeof cols[0]));
  if (x) {
    for (int i = 0; i < n; i++) {
      const UnitTaskItem *t = &items[i];
      char label[PERIOD_LABEL_LEN], due[DATE_ISO_LEN];
      period_label(t->item.period, false, label, sizeof label);
      date_format(t->item.due, due);
      xlsx_row(x);
      xlsx_text(x, t->org_code);
      xlsx_text(x, t->org_name);
      xlsx_text(x, t->label);
      xlsx_text(x, label);
      xlsx_text(x, t->item.state == RHYTHM_OVERDUE ? "逾期" : "待办");
      xlsx_date(x, due);
      xlsx_int(x, true, t->item.days_overdue);
      xlsx_int(x, true, t->item.done);
      xlsx_int(x, true, t->item.required);
      xlsx_int(x, true, t->item.missed);
    }
    Buf name = BUF_INIT;
    buf_printf(&name, "单位工作任务-%s.xlsx", date);
    xlsx_send(r, x, buf_str(&name));
    buf_reset(&name);
  }
  free(items);
  buf_reset(&period);
}

void export_dataset(Req *r, const DatasetView *v) {
  XlsxCol cols[XLSX_COLS_MAX];
  int nc = 0;
  cols[nc++] = (XlsxCol){"单位编码", XLSX_TEXT, 14};
  cols[nc++] = (XlsxCol){"单位", XLSX_TEXT, 18};
  for (int f = 0; f < v->def.nfields && nc < XLSX_COLS_MAX - 2; f++)
    cols[nc++] = (XlsxCol){v->def.fields[f].label, XLSX_INT, 14};
  cols[nc++] = (XlsxCol){"已上报期数", XLSX_INT, 10};
  cols[nc++] = (XlsxCol){"期数", XLSX_INT, 8};
  char label[PERIOD_LABEL_LEN];
  period_label(v->period, false, label, sizeof label);
  Xlsx *x = eu_begin(r, "数据填报", v->def.title, v->org.name, label, cols, nc);
  if (!x) return;
  if (v->entry) {
    xlsx_row(x);
    xlsx_text(x, v->org.code);
    xlsx_text(x, v->org.name);
    for (int f = 0; f < v->def.nfields && f < XLSX_COLS_MAX - 4; f++) xlsx_int(x, v->has[f], v->vals[f]);
    xlsx_int(x, true, v->state == DS_SUBMITTED);
    xlsx_int(x, true, 1);
  } else {
    for (int k = 0; k < v->nunits; k++) {
      const DatasetUnitView *u = &v->units[k];
      xlsx_row(x);
      xlsx_text(x, u->org_code);
      xlsx_text(x, u->org_name);
      for (int f = 0; f < v->def.nfields && f < XLSX_COLS_MAX - 4; f++) xlsx_int(x, u->has[f], u->vals[f]);
      xlsx_int(x, true, u->periods_submitted);
      xlsx_int(x, true, u->periods);
    }
  }
  Buf name = BUF_INIT;
  buf_printf(&name, "%s-%s-%s.xlsx", v->def.title, v->org.name, v->period_text);
  xlsx_send(r, x, buf_str(&name));
  buf_reset(&name);
}
