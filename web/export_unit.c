/* web/export_unit.c: the unit-work lists as .xlsx downloads (see
 * web/export_unit.h). */
#include "web/export_unit.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "core/unit_vocab.h"
#include "web/api_unit.h"
#include "web/export.h"
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

/* The period of a list's filter: the period's label, else the dates. */
static void eu_window(Buf *b, const char *period, const char *from, const char *to) {
  Period p;
  if (period && *period && period_parse(period, &p)) {
    char label[PERIOD_LABEL_LEN];
    period_label(p, false, label, sizeof label);
    buf_puts(b, label);
  } else eu_dates(b, from, to);
}

/* Writes the cell of c from the record rec into s->x. */
static void eu_cell(EuRows *s, const EuCell *c, const void *rec) {
  const char *m = (const char *)rec + c->off;
  int64_t v = c->store == EU_I64 ? *(const int64_t *)m : c->store == EU_INT ? *(const int *)m : 0;
  const char *text = c->store == EU_PTR ? *(char *const *)m : c->store == EU_ARR ? m : NULL;
  const char *label;
  switch (c->from) {
  case EU_NUM: xlsx_int(s->x, true, v); break;
  case EU_ID: xlsx_int(s->x, v > 0, v); break;
  case EU_TEXT: xlsx_text(s->x, text); break;
  case EU_DATE: xlsx_date(s->x, text); break;
  case EU_TERM:
    label = unit_term_label(c->vocab, text);
    xlsx_text(s->x, label ? label : text);
    break;
  case EU_TERMS:
    eu_names(&s->names, c->vocab, text);
    xlsx_text(s->x, buf_str(&s->names));
    break;
  case EU_CALC: c->calc(s, rec); break;
  }
}

void eu_row(EuRows *s, const void *rec) {
  xlsx_row(s->x);
  for (int i = 0; i < s->l->ncells; i++) eu_cell(s, &s->l->cells[i], rec);
}

/* The DbEachFn of an EuRows: one record into the workbook. */
static ErrCode eu_rows_fn(void *arg, const void *rec, Err *e) {
  (void)e;
  eu_row(arg, rec);
  return ERR_OK;
}

const DbEach *eu_rows_begin(EuRows *s, Req *r, const EuLedger *l, const char *org, const char *label,
                            const char *period, const char *from, const char *to) {
  assert(l->ncells > 0 && l->ncells <= XLSX_COLS_MAX);
  *s = (EuRows){{eu_rows_fn, s}, l, r, NULL, BUF_INIT, {0}};
  err_clear(&s->e);
  XlsxCol cols[XLSX_COLS_MAX];
  for (int i = 0; i < l->ncells; i++) cols[i] = l->cells[i].col;
  OrgUnit u;
  Buf when = BUF_INIT;
  if (label) buf_puts(&when, label);
  else eu_window(&when, period, from, to);
  s->x = eu_begin(r, l->sheet, l->what, eu_unit_name(r, org, &u), buf_str(&when), cols, l->ncells);
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

void eu_kind_send(EuRows *s, const AuKind *k, const void *q) {
  char *all = malloc(k->qsize), *tot = calloc(1, k->tsize ? k->tsize : 1);
  if (!all || !tot) abort();
  memcpy(all, q, k->qsize);
  const DbEach *each = &s->each;
  memcpy(all + k->each, &each, sizeof each);
  *(int *)(all + k->page) = 1;
  *(int *)(all + k->per_page) = UNIT_LIST_MAX;
  void *rows = NULL;
  int n = 0;
  int64_t total;
  eu_rows_send(s, au_kind_list(&s->r->ctx, k, all, &rows, &n, &total, tot, &s->e));
  au_rows_free(k, rows, n);
  if (k->tot_drop) k->tot_drop(tot);
  free(tot);
  free(all);
}

void export_eradications(Req *r, const EradicationQuery *q) {
  static const EuCell cells[] = {
    EU_NUM("编号", 8, EradicationRow, id), EU_DATE("日期", 12, EradicationRow, date),
    EU_TEXT("单位编码", 14, EradicationRow, org_code), EU_TEXT("单位", 18, EradicationRow, org_name),
    EU_NUM("踏查面积（亩）", 12, EradicationRow, area_mu),
    EU_TERMS("踏查方式", 16, EradicationRow, methods, eradication_method_vocab),
    EU_TEXT("地点", 24, EradicationRow, location), EU_NUM("发现罂粟（株）", 12, EradicationRow, found[0]),
    EU_NUM("铲除罂粟（株）", 12, EradicationRow, destroyed[0]), EU_NUM("发现大麻（株）", 12, EradicationRow, found[1]),
    EU_NUM("铲除大麻（株）", 12, EradicationRow, destroyed[1]), EU_NUM("发现其他（株）", 12, EradicationRow, found[2]),
    EU_NUM("铲除其他（株）", 12, EradicationRow, destroyed[2]), EU_TEXT("公安案件编号", 18, EradicationRow, case_no),
    EU_TEXT("情况说明", 30, EradicationRow, notes), EU_TEXT("登记人", 12, EradicationRow, created_by),
  };
  _Static_assert(ERADICATION_SPECIES == 3, "the eradication ledger has three species");
  static const EuLedger l = {"禁种铲毒", "禁种铲毒记录", "禁种铲毒记录.xlsx", cells, NCOLS(cells)};
  EuRows s;
  if (eu_rows_begin(&s, r, &l, q->org, NULL, NULL, q->from, q->to)) eu_kind_send(&s, &au_eradication, q);
}

/* The kind of a unit work record, by name. */
static void eu_unit_work_kind(EuRows *s, const void *rec) {
  xlsx_text(s->x, unit_task_name_zh(((const UnitWorkRow *)rec)->kind));
}

void export_unit_work(Req *r, const UnitWorkQuery *q) {
  static const EuCell cells[] = {
    EU_NUM("编号", 8, UnitWorkRow, id), EU_DATE("日期", 12, UnitWorkRow, date),
    EU_TEXT("单位编码", 14, UnitWorkRow, org_code), EU_TEXT("单位", 18, UnitWorkRow, org_name),
    EU_CALC("工作类型", 12, XLSX_TEXT, eu_unit_work_kind), EU_TEXT("主题", 24, UnitWorkRow, title),
    EU_TEXT("情况说明", 36, UnitWorkRow, notes), EU_TEXT("登记人", 12, UnitWorkRow, created_by),
  };
  static const EuLedger l = {"单位工作记录", "单位工作记录", "单位工作记录.xlsx", cells, NCOLS(cells)};
  EuRows s;
  if (eu_rows_begin(&s, r, &l, q->org, NULL, NULL, q->from, q->to)) eu_kind_send(&s, &au_unit_work, q);
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
  const char *date = export_day(r, q->date, today);
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

/* The printed materials of an activity, in all. */
static void eu_activity_printed(EuRows *s, const void *rec) {
  xlsx_int(s->x, true, prevention_materials_printed(((const ActivityRow *)rec)->materials));
}

/* The registered partner places of an activity, by name. */
static void eu_activity_places(EuRows *s, const void *rec) {
  const ActivityRow *a = rec;
  buf_clear(&s->names);
  for (int k = 0; k < a->nplaces; k++) buf_printf(&s->names, "%s%s", k ? "、" : "", a->places[k].name);
  xlsx_text(s->x, buf_str(&s->names));
}

void export_activities(Req *r, const ActivityQuery *q) {
  static const EuCell head[] = {
    EU_NUM("编号", 8, ActivityRow, id), EU_NUM("版本", 6, ActivityRow, version), EU_DATE("日期", 12, ActivityRow, date),
    EU_TEXT("单位编码", 14, ActivityRow, org_code), EU_TEXT("单位", 18, ActivityRow, org_name),
    EU_TERM("活动形式", 12, ActivityRow, kind, activity_kind_vocab),
    EU_TERMS("六进", 18, ActivityRow, settings, activity_setting_vocab),
    EU_TERMS("专项宣传", 16, ActivityRow, campaign, activity_campaign_vocab), EU_TEXT("活动主题", 28, ActivityRow, title),
    EU_TEXT("合作单位/场所", 20, ActivityRow, partners), EU_TERMS("受众", 20, ActivityRow, audience, activity_audience_vocab),
    EU_NUM("参加人数", 10, ActivityRow, participants), EU_NUM("咨询人次", 10, ActivityRow, consultations),
  };
  static const EuCell tail[] = {
    EU_CALC("宣传品合计", 10, XLSX_INT, eu_activity_printed), EU_NUM("照片", 6, ActivityRow, photos),
    EU_TEXT("情况说明", 30, ActivityRow, notes), EU_TEXT("登记人", 12, ActivityRow, created_by),
    EU_CALC("合作场所（已登记）", 24, XLSX_TEXT, eu_activity_places),
  };
  /* the materials' columns between: their names are the vocabulary's */
  EuCell cells[NCOLS(head) + ACTIVITY_MATERIALS + NCOLS(tail)];
  int nc = 0;
  for (int i = 0; i < NCOLS(head); i++) cells[nc++] = head[i];
  for (int m = 0; m < ACTIVITY_MATERIALS; m++) {
    EuCell c = EU_NUM("", 12, ActivityRow, materials[0]);
    c.col.header = activity_material_vocab[m].label_zh;
    c.off += (size_t)m * sizeof(int64_t);
    cells[nc++] = c;
  }
  for (int i = 0; i < NCOLS(tail); i++) cells[nc++] = tail[i];
  const EuLedger l = {"宣传教育活动", "宣传教育活动台账", "宣传教育活动台账.xlsx", cells, nc};
  EuRows s;
  if (eu_rows_begin(&s, r, &l, q->org, NULL, q->period, q->from, q->to)) eu_kind_send(&s, &ap_activity, q);
}

/* A survey's awareness rate (empty without respondents), its target and
 * whether it met it. */
static void eu_survey_rate(EuRows *s, const void *rec) {
  const SurveyRow *v = rec;
  xlsx_num(s->x, v->respondents > 0, v->respondents > 0 ? (double)v->aware / (double)v->respondents : 0);
}
static void eu_survey_target(EuRows *s, const void *rec) { xlsx_num(s->x, true, ((const SurveyRow *)rec)->target / 100.0); }
static void eu_survey_met(EuRows *s, const void *rec) {
  const SurveyRow *v = rec;
  xlsx_text(s->x, awareness_met(v->aware, v->respondents, v->target) ? "是" : "否");
}

void export_surveys(Req *r, const SurveyQuery *q) {
  static const EuCell cells[] = {
    EU_NUM("编号", 8, SurveyRow, id), EU_NUM("版本", 6, SurveyRow, version), EU_DATE("日期", 12, SurveyRow, date),
    EU_TEXT("单位编码", 14, SurveyRow, org_code), EU_TEXT("单位", 18, SurveyRow, org_name),
    EU_TERM("调查对象", 16, SurveyRow, group, survey_group_vocab),
    EU_TERM("调查方式", 14, SurveyRow, method, survey_method_vocab), EU_TEXT("调查主题", 24, SurveyRow, title),
    EU_NUM("调查人数", 10, SurveyRow, respondents), EU_NUM("知晓人数", 10, SurveyRow, aware),
    EU_CALC("知晓率", 10, XLSX_PERCENT, eu_survey_rate), EU_CALC("目标", 8, XLSX_PERCENT, eu_survey_target),
    EU_CALC("达标", 6, XLSX_TEXT, eu_survey_met), EU_TEXT("情况说明", 30, SurveyRow, notes),
    EU_TEXT("登记人", 12, SurveyRow, created_by),
  };
  static const EuLedger l = {"知晓率调查", "禁毒知识知晓率调查台账", "知晓率调查台账.xlsx", cells, NCOLS(cells)};
  EuRows s;
  if (eu_rows_begin(&s, r, &l, q->org, NULL, q->period, q->from, q->to)) eu_kind_send(&s, &ap_survey, q);
}
