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

void export_places(Req *r, const PlaceQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},      {"单位编码", XLSX_TEXT, 14}, {"所属单位", XLSX_TEXT, 18}, {"类型", XLSX_TEXT, 12},
    {"名称", XLSX_TEXT, 26},    {"场所类别", XLSX_TEXT, 16}, {"地址", XLSX_TEXT, 30},     {"联系人", XLSX_TEXT, 10},
    {"联系电话", XLSX_TEXT, 16}, {"许可证号", XLSX_TEXT, 18}, {"状态", XLSX_TEXT, 8},      {"停用原因", XLSX_TEXT, 20},
    {"备注", XLSX_TEXT, 30},
  };
  PlaceQuery all = *q;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  PlaceRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (app_place_list(&r->ctx, &all, &rows, &n, &total, &e) != ERR_OK) {
    store_place_rows_free(rows, n);
    resp_error(r, &e);
    return;
  }
  OrgUnit u;
  const char *what = q->kind && *q->kind ? el_label(place_kind_vocab, q->kind) : "全部类型";
  Xlsx *x = eu_begin(r, "场所与单位", "场所与单位台账", eu_unit_name(r, q->org, &u), what, cols, NCOLS(cols));
  if (x) {
    for (int i = 0; i < n; i++) {
      const PlaceRow *p = &rows[i];
      xlsx_row(x);
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
    xlsx_send(r, x, "场所与单位台账.xlsx");
  }
  store_place_rows_free(rows, n);
}

void export_letters(Req *r, const LetterQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},         {"年度", XLSX_INT, 8},       {"单位编码", XLSX_TEXT, 14}, {"发文单位", XLSX_TEXT, 18},
    {"责任书类型", XLSX_TEXT, 18}, {"签订方类型", XLSX_TEXT, 10}, {"签订方", XLSX_TEXT, 24},   {"签订日期", XLSX_DATE, 12},
    {"备注", XLSX_TEXT, 30},       {"登记人", XLSX_TEXT, 12},
  };
  LetterQuery all = *q;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  LetterRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  LetterSummary s;
  Err e;
  err_clear(&e);
  if (app_letter_list(&r->ctx, &all, &rows, &n, &total, &s, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  OrgUnit u;
  char year[16];
  snprintf(year, sizeof year, "%d年", s.year % 10000);
  Xlsx *x = eu_begin(r, "目标管理责任书", "目标管理责任书台账", eu_unit_name(r, q->org, &u), year, cols, NCOLS(cols));
  if (x) {
    for (int i = 0; i < n; i++) {
      const LetterRow *l = &rows[i];
      xlsx_row(x);
      xlsx_int(x, true, l->id);
      xlsx_int(x, true, l->year);
      xlsx_text(x, l->org_code);
      xlsx_text(x, l->org_name);
      xlsx_text(x, el_label(letter_kind_vocab, l->kind));
      xlsx_text(x, strcmp(l->signer_type, "org") == 0 ? "下级单位" : "场所/单位");
      xlsx_text(x, l->signer_name);
      xlsx_date(x, l->signed_date);
      xlsx_text(x, l->notes);
      xlsx_text(x, l->created_by);
    }
    /* below the rows: the required signers not yet signed, and the rate */
    for (int i = 0; i < s.nneed; i++) {
      const LetterNeedRow *m = &s.need[i];
      if (m->letter_id > 0) continue;
      xlsx_row(x);
      xlsx_int(x, false, 0);
      xlsx_int(x, true, m->year);
      xlsx_text(x, m->org_code);
      xlsx_text(x, m->org_name);
      xlsx_text(x, el_label(letter_kind_vocab, m->kind));
      xlsx_text(x, strcmp(m->signer_type, "org") == 0 ? "下级单位" : "场所/单位");
      xlsx_text(x, m->signer_name);
      xlsx_date(x, "");
      xlsx_text(x, "未签订");
    }
    xlsx_row(x);
    char rate[96];
    int64_t tenths;
    if (stats_rate_tenths(s.signed_n, s.required, &tenths))
      snprintf(rate, sizeof rate, "签订率 %lld.%lld%%（%lld/%lld）", (long long)(tenths / 10), (long long)(tenths % 10),
               (long long)s.signed_n, (long long)s.required);
    else snprintf(rate, sizeof rate, "签订率 —（%lld/%lld）", (long long)s.signed_n, (long long)s.required);
    xlsx_int(x, false, 0);
    xlsx_int(x, true, s.year);
    xlsx_text(x, "合计");
    xlsx_text(x, rate);
    xlsx_send(r, x, "目标管理责任书台账.xlsx");
  }
  free(rows);
  free(s.need);
}

void export_inspections(Req *r, const InspectionQuery *q) {
  static const XlsxCol cols[] = {
    {"编号", XLSX_INT, 8},         {"检查日期", XLSX_DATE, 12}, {"单位编码", XLSX_TEXT, 14}, {"所属单位", XLSX_TEXT, 16},
    {"检查场所", XLSX_TEXT, 24},   {"场所类别", XLSX_TEXT, 16}, {"检查人员", XLSX_TEXT, 18}, {"检查结果", XLSX_TEXT, 12},
    {"发现的问题", XLSX_TEXT, 30}, {"整改要求", XLSX_TEXT, 30}, {"整改期限", XLSX_DATE, 12}, {"整改完成日期", XLSX_DATE, 12},
    {"整改状态", XLSX_TEXT, 10},   {"登记人", XLSX_TEXT, 12},
  };
  InspectionQuery all = *q;
  all.page = 1;
  all.per_page = UNIT_LIST_MAX;
  InspectionRow *rows = NULL;
  int n = 0;
  InspectionTotals tot;
  Err e;
  err_clear(&e);
  if (app_inspection_list(&r->ctx, &all, &rows, &n, &tot, &e) != ERR_OK) {
    store_inspection_rows_free(rows, n);
    resp_error(r, &e);
    return;
  }
  OrgUnit u;
  Buf period = BUF_INIT;
  eu_dates(&period, q->from, q->to);
  Xlsx *x = eu_begin(r, "场所检查", "娱乐场所检查台账", eu_unit_name(r, q->org, &u), buf_str(&period), cols, NCOLS(cols));
  if (x) {
    for (int i = 0; i < n; i++) {
      const InspectionRow *p = &rows[i];
      xlsx_row(x);
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
      xlsx_text(x, el_label(followup_state_vocab, app_inspection_followup(p, r->ctx.today)));
      xlsx_text(x, p->created_by);
    }
    xlsx_send(r, x, "娱乐场所检查台账.xlsx");
  }
  buf_reset(&period);
  store_inspection_rows_free(rows, n);
}
