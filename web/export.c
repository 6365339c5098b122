/* web/export.c: the lists as .xlsx downloads (see web/export.h). Adding a
 * list: its column table, a loop over its rows, xlsx_send. */
#include "web/export.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
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
  date_format(r->ctx.today, today);
  const char *date = q->date && *q->date ? q->date : today;
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
