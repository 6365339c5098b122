/* web/export_ledger.c: the ledgers of places, letters and inspections as
 * .xlsx downloads (see web/export_ledger.h). */
#include "web/export_ledger.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/unit_task.h"
#include "core/ledger.h"
#include "core/stats.h"
#include "web/api_unit.h"
#include "web/export_unit.h"
#include "web/xlsx.h"

#define NCOLS(cols) ((int)(sizeof cols / sizeof cols[0]))

/* A place in use or deactivated. */
static void el_place_state(EuRows *s, const void *rec) {
  xlsx_text(s->x, ((const PlaceRow *)rec)->active ? "在用" : "已停用");
}

void export_places(Req *r, const PlaceQuery *q) {
  static const EuCell cells[] = {
    EU_NUM("编号", 8, PlaceRow, id), EU_TEXT("单位编码", 14, PlaceRow, org_code), EU_TEXT("所属单位", 18, PlaceRow, org_name),
    EU_TERM("类型", 12, PlaceRow, kind, place_kind_vocab), EU_TEXT("名称", 26, PlaceRow, name),
    EU_TERM("场所类别", 16, PlaceRow, category, venue_category_vocab), EU_TEXT("地址", 30, PlaceRow, address),
    EU_TEXT("联系人", 10, PlaceRow, contact), EU_TEXT("联系电话", 16, PlaceRow, phone),
    EU_TEXT("许可证号", 18, PlaceRow, licence_no), EU_CALC("状态", 8, XLSX_TEXT, el_place_state),
    EU_TEXT("停用原因", 20, PlaceRow, deactivate_reason), EU_TEXT("备注", 30, PlaceRow, notes),
  };
  static const EuLedger l = {"场所与单位", "场所与单位台账", "场所与单位台账.xlsx", cells, NCOLS(cells)};
  const char *kind = q->kind && *q->kind ? unit_term_label(place_kind_vocab, q->kind) : "全部类型";
  EuRows s;
  if (eu_rows_begin(&s, r, &l, q->org, kind ? kind : q->kind, NULL, NULL, NULL)) eu_kind_send(&s, &al_place, q);
}

/* Who signs a letter. */
static const UnitTerm el_signer_vocab[] = {{"org", "下级单位"}, {"place", "场所/单位"}, {NULL, NULL}};

void export_letters(Req *r, const LetterQuery *q) {
  static const EuCell cells[] = {
    EU_ID("编号", 8, LetterRow, id), EU_NUM("年度", 8, LetterRow, year), EU_TEXT("单位编码", 14, LetterRow, org_code),
    EU_TEXT("发文单位", 18, LetterRow, org_name), EU_TERM("责任书类型", 18, LetterRow, kind, letter_kind_vocab),
    EU_TERM("签订方类型", 10, LetterRow, signer_type, el_signer_vocab), EU_TEXT("签订方", 24, LetterRow, signer_name),
    EU_DATE("签订日期", 12, LetterRow, signed_date), EU_TEXT("备注", 30, LetterRow, notes),
    EU_TEXT("登记人", 12, LetterRow, created_by),
  };
  static const EuLedger l = {"目标管理责任书", "目标管理责任书台账", "目标管理责任书台账.xlsx", cells, NCOLS(cells)};
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
    /* below the rows: the required signers not yet signed (no id, no date, "未签订"), and the rate */
    for (int i = 0; i < sum.nneed; i++) {
      const LetterNeedRow *k = &sum.need[i];
      if (k->letter_id > 0) continue;
      LetterRow missing = {.year = k->year};
      str_copy(missing.org_code, sizeof missing.org_code, k->org_code);
      str_copy(missing.org_name, sizeof missing.org_name, k->org_name);
      str_copy(missing.kind, sizeof missing.kind, k->kind);
      str_copy(missing.signer_type, sizeof missing.signer_type, k->signer_type);
      str_copy(missing.signer_name, sizeof missing.signer_name, k->signer_name);
      str_copy(missing.notes, sizeof missing.notes, "未签订");
      eu_row(&s, &missing);
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

/* The follow-up state of an inspection as of today. */
static void el_inspection_state(EuRows *s, const void *rec) {
  const char *code = app_inspection_followup(rec, s->r->ctx.today);
  const char *label = unit_term_label(followup_state_vocab, code);
  xlsx_text(s->x, label ? label : code);
}

void export_inspections(Req *r, const InspectionQuery *q) {
  static const EuCell cells[] = {
    EU_NUM("编号", 8, InspectionRow, id), EU_DATE("检查日期", 12, InspectionRow, date),
    EU_TEXT("单位编码", 14, InspectionRow, org_code), EU_TEXT("所属单位", 16, InspectionRow, org_name),
    EU_TEXT("检查场所", 24, InspectionRow, place_name),
    EU_TERM("场所类别", 16, InspectionRow, place_category, venue_category_vocab),
    EU_TEXT("检查人员", 18, InspectionRow, inspectors),
    EU_TERM("检查结果", 12, InspectionRow, result, inspection_result_vocab),
    EU_TEXT("发现的问题", 30, InspectionRow, findings), EU_TEXT("整改要求", 30, InspectionRow, followup),
    EU_DATE("整改期限", 12, InspectionRow, followup_due), EU_DATE("整改完成日期", 12, InspectionRow, followup_done),
    EU_CALC("整改状态", 10, XLSX_TEXT, el_inspection_state), EU_TEXT("登记人", 12, InspectionRow, created_by),
  };
  static const EuLedger l = {"场所检查", "娱乐场所检查台账", "娱乐场所检查台账.xlsx", cells, NCOLS(cells)};
  EuRows s;
  if (eu_rows_begin(&s, r, &l, q->org, NULL, NULL, q->from, q->to)) eu_kind_send(&s, &al_inspection, q);
}
