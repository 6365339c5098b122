/* web/export_unit.c: the unit-work lists as .xlsx downloads (see
 * web/export_unit.h). */
#include "web/export_unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "core/unit_vocab.h"
#include "web/xlsx.h"

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

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

/* The DbEachFn of an EuRows: one record into the workbook. */
static ErrCode eu_rows_fn(void *arg, const void *rec, Err *e) {
  (void)e;
  EuRows *s = arg;
  xlsx_row(s->x);
  s->l->row(s, rec);
  return ERR_OK;
}

/* The period of a list's filter: the period's label, else the dates. */
static void eu_window(Buf *b, const char *period, const char *from, const char *to) {
  Period p;
  if (period && *period && period_parse(period, &p)) {
    char label[PERIOD_LABEL_LEN];
    period_label(p, false, label, sizeof label);
    buf_puts(b, label);
  } else eu_dates(b, from, to);
}

const DbEach *eu_rows_begin(EuRows *s, Req *r, const EuLedger *l, const char *org, const char *label,
                            const char *period, const char *from, const char *to) {
  *s = (EuRows){{eu_rows_fn, s}, l, r, NULL, BUF_INIT, {0}};
  err_clear(&s->e);
  OrgUnit u;
  Buf when = BUF_INIT;
  if (label) buf_puts(&when, label);
  else eu_window(&when, period, from, to);
  s->x = eu_begin(r, l->sheet, l->what, eu_unit_name(r, org, &u), buf_str(&when), l->cols, l->ncols);
  buf_reset(&when);
  return s->x ? &s->each : NULL;
}

void eu_rows_send(EuRows *s, int rc) {
  if (rc == ERR_OK) xlsx_send(s->r, s->x, s->l->filename);
  else {
    xlsx_discard(s->x);
    resp_error(s->r, &s->e);
  }
  s->x = NULL;
  buf_reset(&s->names);
}

/* A patrol's row of the eradication ledger. */
static void eu_eradication_row(EuRows *s, const void *rec) {
  const EradicationRow *p = rec;
  Xlsx *x = s->x;
  xlsx_int(x, true, p->id);
  xlsx_date(x, p->date);
  xlsx_text(x, p->org_code);
  xlsx_text(x, p->org_name);
  xlsx_int(x, true, p->area_mu);
  eu_names(&s->names, eradication_method_vocab, p->methods);
  xlsx_text(x, buf_str(&s->names));
  xlsx_text(x, p->location);
  for (int k = 0; k < ERADICATION_SPECIES; k++) {
    xlsx_int(x, true, p->found[k]);
    xlsx_int(x, true, p->destroyed[k]);
  }
  xlsx_text(x, p->case_no);
  xlsx_text(x, p->notes);
  xlsx_text(x, p->created_by);
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
  static const EuLedger l = {"禁种铲毒", "禁种铲毒记录", "禁种铲毒记录.xlsx", cols, NCOLS(cols), eu_eradication_row};
  EradicationQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, NULL, NULL, q->from, q->to))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  EradicationRow *rows;
  int n;
  EradicationTotals tot;
  eu_rows_send(&s, app_eradication_list(&r->ctx, &all, &rows, &n, &tot, &s.e));
}

/* A record's row of the unit work ledger. */
static void eu_unit_work_row(EuRows *s, const void *rec) {
  const UnitWorkRow *w = rec;
  Xlsx *x = s->x;
  xlsx_int(x, true, w->id);
  xlsx_date(x, w->date);
  xlsx_text(x, w->org_code);
  xlsx_text(x, w->org_name);
  xlsx_text(x, unit_task_name_zh(w->kind));
  xlsx_text(x, w->title);
  xlsx_text(x, w->notes);
  xlsx_text(x, w->created_by);
}

void export_unit_work(Req *r, const UnitWorkQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},   {"日期", XLSX_DATE, 12},   {"单位编码", XLSX_TEXT, 14}, {"单位", XLSX_TEXT, 18},
    {"工作类型", XLSX_TEXT, 12}, {"主题", XLSX_TEXT, 24}, {"情况说明", XLSX_TEXT, 36}, {"登记人", XLSX_TEXT, 12},
  };
  static const EuLedger l = {"单位工作记录", "单位工作记录", "单位工作记录.xlsx", cols, NCOLS(cols), eu_unit_work_row};
  UnitWorkQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, NULL, NULL, q->from, q->to))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  UnitWorkRow *rows;
  int n;
  int64_t tot;
  eu_rows_send(&s, app_unit_work_list(&r->ctx, &all, &rows, &n, &tot, &s.e));
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

/* An activity's row of the activity ledger. */
static void eu_activity_row(EuRows *s, const void *rec) {
  const ActivityRow *a = rec;
  Xlsx *x = s->x;
  xlsx_int(x, true, a->id);
  xlsx_int(x, true, a->version);
  xlsx_date(x, a->date);
  xlsx_text(x, a->org_code);
  xlsx_text(x, a->org_name);
  const char *kind = unit_term_label(activity_kind_vocab, a->kind);
  xlsx_text(x, kind ? kind : a->kind);
  eu_names(&s->names, activity_setting_vocab, a->settings);
  xlsx_text(x, buf_str(&s->names));
  eu_names(&s->names, activity_campaign_vocab, a->campaign);
  xlsx_text(x, buf_str(&s->names));
  xlsx_text(x, a->title);
  xlsx_text(x, a->partners);
  eu_names(&s->names, activity_audience_vocab, a->audience);
  xlsx_text(x, buf_str(&s->names));
  xlsx_int(x, true, a->participants);
  xlsx_int(x, true, a->consultations);
  for (int m = 0; m < ACTIVITY_MATERIALS; m++) xlsx_int(x, true, a->materials[m]);
  xlsx_int(x, true, prevention_materials_printed(a->materials));
  xlsx_int(x, true, a->photos);
  xlsx_text(x, a->notes);
  xlsx_text(x, a->created_by);
  buf_clear(&s->names);
  for (int k = 0; k < a->nplaces; k++) buf_printf(&s->names, "%s%s", k ? "、" : "", a->places[k].name);
  xlsx_text(x, buf_str(&s->names));
}

void export_activities(Req *r, const ActivityQuery *q) {
  XlsxCol cols[XLSX_COLS_MAX];
  int nc = 0;
  static const XlsxCol head[] = {
    {"编号", XLSX_INT, 8},        {"版本", XLSX_INT, 6},      {"日期", XLSX_DATE, 12},    {"单位编码", XLSX_TEXT, 14},
    {"单位", XLSX_TEXT, 18},      {"活动形式", XLSX_TEXT, 12}, {"六进", XLSX_TEXT, 18},    {"专项宣传", XLSX_TEXT, 16},
    {"活动主题", XLSX_TEXT, 28},  {"合作单位/场所", XLSX_TEXT, 20}, {"受众", XLSX_TEXT, 20}, {"参加人数", XLSX_INT, 10},
    {"咨询人次", XLSX_INT, 10},
  };
  for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) cols[nc++] = head[i];
  for (int m = 0; m < ACTIVITY_MATERIALS; m++) cols[nc++] = (XlsxCol){activity_material_vocab[m].label_zh, XLSX_INT, 12};
  cols[nc++] = (XlsxCol){"宣传品合计", XLSX_INT, 10};
  cols[nc++] = (XlsxCol){"照片", XLSX_INT, 6};
  cols[nc++] = (XlsxCol){"情况说明", XLSX_TEXT, 30};
  cols[nc++] = (XlsxCol){"登记人", XLSX_TEXT, 12};
  cols[nc++] = (XlsxCol){"合作场所（已登记）", XLSX_TEXT, 24};
  const EuLedger l = {"宣传教育活动", "宣传教育活动台账", "宣传教育活动台账.xlsx", cols, nc, eu_activity_row};
  ActivityQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, NULL, q->period, q->from, q->to))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  ActivityRow *rows;
  int n;
  ActivityTotals tot;
  eu_rows_send(&s, app_activity_list(&r->ctx, &all, &rows, &n, &tot, &s.e));
}

/* A survey's row of the survey ledger. */
static void eu_survey_row(EuRows *s, const void *rec) {
  const SurveyRow *v = rec;
  Xlsx *x = s->x;
  const char *group = unit_term_label(survey_group_terms, v->group);
  const char *method = unit_term_label(survey_method_vocab, v->method);
  xlsx_int(x, true, v->id);
  xlsx_int(x, true, v->version);
  xlsx_date(x, v->date);
  xlsx_text(x, v->org_code);
  xlsx_text(x, v->org_name);
  xlsx_text(x, group ? group : v->group);
  xlsx_text(x, method ? method : v->method);
  xlsx_text(x, v->title);
  xlsx_int(x, true, v->respondents);
  xlsx_int(x, true, v->aware);
  xlsx_num(x, v->respondents > 0, v->respondents > 0 ? (double)v->aware / (double)v->respondents : 0);
  xlsx_num(x, true, v->target / 100.0);
  xlsx_text(x, awareness_met(v->aware, v->respondents, v->target) ? "是" : "否");
  xlsx_text(x, v->notes);
  xlsx_text(x, v->created_by);
}

void export_surveys(Req *r, const SurveyQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},       {"版本", XLSX_INT, 6},        {"日期", XLSX_DATE, 12},     {"单位编码", XLSX_TEXT, 14},
    {"单位", XLSX_TEXT, 18},     {"调查对象", XLSX_TEXT, 16},  {"调查方式", XLSX_TEXT, 14}, {"调查主题", XLSX_TEXT, 24},
    {"调查人数", XLSX_INT, 10},  {"知晓人数", XLSX_INT, 10},   {"知晓率", XLSX_PERCENT, 10}, {"目标", XLSX_PERCENT, 8},
    {"达标", XLSX_TEXT, 6},      {"情况说明", XLSX_TEXT, 30},  {"登记人", XLSX_TEXT, 12},
  };
  static const EuLedger l = {"知晓率调查", "禁毒知识知晓率调查台账", "知晓率调查台账.xlsx", cols, NCOLS(cols), eu_survey_row};
  SurveyQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, NULL, q->period, q->from, q->to))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  SurveyRow *rows;
  int n;
  SurveyTotals tot;
  eu_rows_send(&s, app_survey_list(&r->ctx, &all, &rows, &n, &tot, &s.e));
}
