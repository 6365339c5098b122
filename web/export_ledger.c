/* web/export_ledger.c: the ledgers of places, letters and inspections as
 * .xlsx downloads (see web/export_ledger.h). */
#include "web/export_ledger.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/unit_task.h"
#include "core/ledger.h"
#include "core/stats.h"
#include "web/export_unit.h"
#include "web/xlsx.h"

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

/* The label of code in vocab, the code itself when unknown, "" for none. */
static const char *el_label(const UnitTerm *vocab, const char *code) {
  const char *l = unit_term_label(vocab, code);
  return l ? l : code ? code : "";
}

/* A place's row of the places ledger. */
static void el_place_row(EuRows *s, const void *rec) {
  const PlaceRow *p = rec;
  Xlsx *x = s->x;
  xlsx_int(x, true, p->id);
  xlsx_text(x, p->org_code);
  xlsx_text(x, p->org_name);
  xlsx_text(x, el_label(place_kind_vocab, p->kind));
  xlsx_text(x, p->name);
  xlsx_text(x, el_label(venue_category_vocab, p->category));
  xlsx_text(x, p->address);
  xlsx_text(x, p->contact);
  xlsx_text(x, p->phone);
  xlsx_text(x, p->licence_no);
  xlsx_text(x, p->active ? "在用" : "已停用");
  xlsx_text(x, p->deactivate_reason);
  xlsx_text(x, p->notes);
}

void export_places(Req *r, const PlaceQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},      {"单位编码", XLSX_TEXT, 14}, {"所属单位", XLSX_TEXT, 18}, {"类型", XLSX_TEXT, 12},
    {"名称", XLSX_TEXT, 26},    {"场所类别", XLSX_TEXT, 16}, {"地址", XLSX_TEXT, 30},     {"联系人", XLSX_TEXT, 10},
    {"联系电话", XLSX_TEXT, 16}, {"许可证号", XLSX_TEXT, 18}, {"状态", XLSX_TEXT, 8},      {"停用原因", XLSX_TEXT, 20},
    {"备注", XLSX_TEXT, 30},
  };
  static const EuLedger l = {"场所与单位", "场所与单位台账", "场所与单位台账.xlsx", cols, NCOLS(cols), el_place_row};
  const char *what = q->kind && *q->kind ? el_label(place_kind_vocab, q->kind) : "全部类型";
  PlaceQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, what, NULL, NULL, NULL))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  PlaceRow *rows;
  int n;
  int64_t total;
  eu_rows_send(&s, app_place_list(&r->ctx, &all, &rows, &n, &total, &s.e));
}

/* A letter's row of the letters ledger, or (letter_id 0, no id, "未签订")
 * a required signer's that has not signed. */
static void el_letter_cells(Xlsx *x, int64_t letter_id, int year, const char *org_code, const char *org_name,
                            const char *kind, const char *signer_type, const char *signer_name) {
  xlsx_int(x, letter_id > 0, letter_id);
  xlsx_int(x, true, year);
  xlsx_text(x, org_code);
  xlsx_text(x, org_name);
  xlsx_text(x, el_label(letter_kind_vocab, kind));
  xlsx_text(x, strcmp(signer_type, "org") == 0 ? "下级单位" : "场所/单位");
  xlsx_text(x, signer_name);
}

static void el_letter_row(EuRows *s, const void *rec) {
  const LetterRow *l = rec;
  el_letter_cells(s->x, l->id, l->year, l->org_code, l->org_name, l->kind, l->signer_type, l->signer_name);
  xlsx_date(s->x, l->signed_date);
  xlsx_text(s->x, l->notes);
  xlsx_text(s->x, l->created_by);
}

void export_letters(Req *r, const LetterQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},         {"年度", XLSX_INT, 8},       {"单位编码", XLSX_TEXT, 14}, {"发文单位", XLSX_TEXT, 18},
    {"责任书类型", XLSX_TEXT, 18}, {"签订方类型", XLSX_TEXT, 10}, {"签订方", XLSX_TEXT, 24},   {"签订日期", XLSX_DATE, 12},
    {"备注", XLSX_TEXT, 30},       {"登记人", XLSX_TEXT, 12},
  };
  static const EuLedger l = {"目标管理责任书", "目标管理责任书台账", "目标管理责任书台账.xlsx", cols, NCOLS(cols),
                             el_letter_row};
  /* the year of the title: the filter's (the list refuses a malformed one), else this year's */
  char year[32];
  int y, m, d;
  date_to_ymd(r->ctx.today, &y, &m, &d);
  long v = q->year && *q->year ? strtol(q->year, NULL, 10) : y;
  snprintf(year, sizeof year, "%ld年", v % 10000);
  LetterQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, year, NULL, NULL, NULL))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  LetterRow *rows;
  int n;
  int64_t total;
  LetterSummary sum;
  int rc = app_letter_list(&r->ctx, &all, &rows, &n, &total, &sum, &s.e);
  if (rc == ERR_OK) {
    Xlsx *x = s.x;
    /* below the rows: the required signers not yet signed, and the rate */
    for (int i = 0; i < sum.nneed; i++) {
      const LetterNeedRow *k = &sum.need[i];
      if (k->letter_id > 0) continue;
      xlsx_row(x);
      el_letter_cells(x, 0, k->year, k->org_code, k->org_name, k->kind, k->signer_type, k->signer_name);
      xlsx_date(x, "");
      xlsx_text(x, "未签订");
    }
    xlsx_row(x);
    char rate[96];
    int64_t tenths;
    if (stats_rate_tenths(sum.signed_n, sum.required, &tenths))
      snprintf(rate, sizeof rate, "签订率 %lld.%lld%%（%lld/%lld）", (long long)(tenths / 10), (long long)(tenths % 10),
               (long long)sum.signed_n, (long long)sum.required);
    else snprintf(rate, sizeof rate, "签订率 —（%lld/%lld）", (long long)sum.signed_n, (long long)sum.required);
    xlsx_int(x, false, 0);
    xlsx_int(x, true, sum.year);
    xlsx_text(x, "合计");
    xlsx_text(x, rate);
    free(sum.need);
  }
  eu_rows_send(&s, rc);
}

/* An inspection's row of the inspections ledger. */
static void el_inspection_row(EuRows *s, const void *rec) {
  const InspectionRow *p = rec;
  Xlsx *x = s->x;
  xlsx_int(x, true, p->id);
  xlsx_date(x, p->date);
  xlsx_text(x, p->org_code);
  xlsx_text(x, p->org_name);
  xlsx_text(x, p->place_name);
  xlsx_text(x, el_label(venue_category_vocab, p->place_category));
  xlsx_text(x, p->inspectors);
  xlsx_text(x, el_label(inspection_result_vocab, p->result));
  xlsx_text(x, p->findings);
  xlsx_text(x, p->followup);
  xlsx_date(x, p->followup_due);
  xlsx_date(x, p->followup_done);
  xlsx_text(x, el_label(followup_state_vocab, app_inspection_followup(p, s->r->ctx.today)));
  xlsx_text(x, p->created_by);
}

void export_inspections(Req *r, const InspectionQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},         {"检查日期", XLSX_DATE, 12}, {"单位编码", XLSX_TEXT, 14}, {"所属单位", XLSX_TEXT, 16},
    {"检查场所", XLSX_TEXT, 24},   {"场所类别", XLSX_TEXT, 16}, {"检查人员", XLSX_TEXT, 18}, {"检查结果", XLSX_TEXT, 12},
    {"发现的问题", XLSX_TEXT, 30}, {"整改要求", XLSX_TEXT, 30}, {"整改期限", XLSX_DATE, 12}, {"整改完成日期", XLSX_DATE, 12},
    {"整改状态", XLSX_TEXT, 10},   {"登记人", XLSX_TEXT, 12},
  };
  static const EuLedger l = {"场所检查", "娱乐场所检查台账", "娱乐场所检查台账.xlsx", cols, NCOLS(cols), el_inspection_row};
  InspectionQuery all = *q;
  EuRows s;
  if (!(all.each = eu_rows_begin(&s, r, &l, q->org, NULL, NULL, q->from, q->to))) return;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  InspectionRow *rows;
  int n;
  InspectionTotals tot;
  eu_rows_send(&s, app_inspection_list(&r->ctx, &all, &rows, &n, &tot, &s.e));
}
