/* web/page_unit_task.c: the unit-task pages (单位工作任务): the tasks due
 * and overdue over a scope as of a day (the office's table, .xlsx), the
 * rhythms that apply and the form that sets them (offices), the unit work
 * records (list with filters, paging, .xlsx; the phone-first form that
 * records an intelligence exchange, a screening, an information
 * submission), and the workbench's section of unit tasks
 * (page_unit_task_section, web/page_unit.h). Parses, calls
 * app/unit_task.h, renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dataset.h"
#include "app/unit_task.h"
#include "core/unit_vocab.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"
#include "web/xlsx.h"

#define UT_PER_PAGE 30
#define UT_SECTION_ITEMS 8 /* the most urgent tasks the workbench shows */

/* ---- a task and the link that clears it ------------------------------------------ */

/* The link that clears task t: the unit work form of its kind, or the
 * figures of its data set's period; back (may be NULL) is where the form
 * returns to. */
static void ut_action(Req *r, const UnitTaskItem *t, const char *back) {
  Buf url = BUF_INIT;
  if (t->dataset[0]) {
    buf_puts(&url, "/datasets");
    page_query_param(&url, "name", t->dataset);
    page_query_param(&url, "org", t->org_code);
    page_query_param(&url, "period", t->period);
  } else {
    buf_puts(&url, "/unit_work/new");
    page_query_param(&url, "org", t->org_code);
    page_query_param(&url, "kind", t->task);
  }
  page_query_param(&url, "back", back);
  html(r, "<a class=\"button small\" href=\"%s\">%s</a>", buf_str(&url), T(r, t->dataset[0] ? "填报" : "登记"));
  buf_reset(&url);
}

/* The state of task t: "逾期 N 天" (and the periods missed), or the due date. */
static void ut_state(Req *r, const UnitTaskItem *t) {
  char due[DATE_ISO_LEN];
  date_format(t->item.due, due);
  if (t->item.state == RHYTHM_OVERDUE) {
    html(r, "<span class=\"badge high\">%s %d %s</span>", T(r, "逾期"), t->item.days_overdue, T(r, "天"));
    if (t->item.missed > 1) html(r, " <span class=\"muted\">%s %d %s</span>", T(r, "共"), t->item.missed, T(r, "期未完成"));
  } else {
    html(r, "<span class=\"due\">%s %s</span>", T(r, "到期"), due);
  }
}

/* The period of task t for people, and its progress (done/required). */
static void ut_period(Req *r, const UnitTaskItem *t) {
  char label[PERIOD_LABEL_LEN];
  period_label(t->item.period, strcmp(r->lang, "en") == 0, label, sizeof label);
  html(r, "%s", label);
  if (t->item.required > 1 || t->item.done > 0)
    html(r, " <span class=\"muted\">%s %d/%d</span>", T(r, "已完成"), t->item.done, t->item.required);
}

/* ---- the workbench's section ---------------------------------------------------- */

void page_unit_task_section(Req *r, const char *org) {
  UnitTaskQuery q = {org && *org && strcmp(org, "me") != 0 ? org : NULL, NULL};
  UnitTaskItem *items = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_unit_tasks(&r->ctx, &q, &items, &n, &e) != ERR_OK || n == 0) {
    free(items);
    return;
  }
  int over = 0;
  for (int i = 0; i < n; i++) over += items[i].item.state == RHYTHM_OVERDUE;
  Buf all = BUF_INIT, back = BUF_INIT;
  buf_puts(&all, "/unit_tasks");
  page_query_param(&all, "org", q.org);
  buf_puts(&back, "/work");
  page_query_param(&back, "org", org);
  html(r, "<section class=\"card unit-tasks\" id=\"unit-tasks\"><h2>%s <span class=\"count\">%d</span></h2>",
       T(r, "单位工作任务"), n);
  html(r, "<nav class=\"wcounts\" aria-label=\"unit tasks\"><a class=\"chip r-test_overdue\" href=\"%s\">%s <b>%d</b></a>"
          "<a class=\"chip\" href=\"%s\">%s <b>%d</b></a></nav><ul class=\"wlist\">",
       buf_str(&all), T(r, "逾期"), over, buf_str(&all), T(r, "待办"), n - over);
  for (int i = 0; i < n && i < UT_SECTION_ITEMS; i++) {
    const UnitTaskItem *t = &items[i];
    html(r, "<li class=\"witem u-%s\"><div class=\"wmain\"><strong>%s</strong> <span class=\"muted\">%s</span><br>",
         t->item.state == RHYTHM_OVERDUE ? "overdue" : "due", T(r, t->label), t->org_name);
    ut_period(r, t);
    html_raw(r, " ");
    ut_state(r, t);
    html_raw(r, "</div><div class=\"wact\">");
    if (t->dataset[0] || actor_can(&r->actor, PERM_PERSON_WRITE)) ut_action(r, t, buf_str(&back));
    html_raw(r, "</div></li>");
  }
  html_raw(r, "</ul>");
  if (n > UT_SECTION_ITEMS) html(r, "<p><a href=\"%s\">%s（%d）</a></p>", buf_str(&all), T(r, "查看全部单位任务"), n);
  html_raw(r, "</section>");
  buf_reset(&all);
  buf_reset(&back);
  free(items);
}

/* ---- the unit tasks page -------------------------------------------------------- */

/* The options of the task select: the kinds of work, then a data set's
 * periods for each set ("数据填报：title"); out holds 2 * (n + 1) + 1
 * pointers, labels kept by r. */
static int ut_task_options(Req *r, const DatasetDef *defs, int nd, const char **out) {
  int k = 0;
  out[k++] = "";
  out[k++] = "请选择";
  for (const UnitTerm *t = unit_task_vocab; t->code; t++) {
    out[k++] = t->code;
    out[k++] = t->label_zh;
  }
  for (int i = 0; i < nd; i++) {
    Buf code = BUF_INIT, label = BUF_INIT;
    buf_printf(&code, "%s%s", UNIT_TASK_DATASET, defs[i].name);
    buf_printf(&label, "%s%s", T(r, "数据填报："), T(r, defs[i].title));
    out[k++] = req_keep(r, buf_detach(&code));
    out[k++] = req_keep(r, buf_detach(&label));
  }
  out[k] = NULL;
  return k;
}

/* The label of task code for people. */
static const char *ut_task_label(Req *r, const char *task, const DatasetDef *defs, int nd) {
  for (int i = 0; i < nd; i++)
    if (strncmp(task, UNIT_TASK_DATASET, strlen(UNIT_TASK_DATASET)) == 0 &&
        strcmp(task + strlen(UNIT_TASK_DATASET), defs[i].name) == 0)
      return T(r, defs[i].title);
  const char *s = unit_task_name_zh(task);
  return *s ? T(r, s) : task;
}

/* The rhythms that bear on the scope, with a form to clear each of the
 * unit's own (offices), and the form that sets one. e: the error of the
 * set form. */
static void ut_rhythms(Req *r, const Err *e) {
  UnitRhythmRow *rows = NULL;
  int n = 0;
  Err le;
  err_clear(&le);
  app_unit_rhythm_list(&r->ctx, &rows, &n, &le);
  DatasetDef *defs = NULL;
  int nd = 0;
  app_dataset_defs(&r->ctx, &defs, &nd, &le);
  bool office = r->actor.role == ROLE_ADMIN || r->actor.role == ROLE_OFFICE;
  html(r, "<section class=\"card\" id=\"rhythms\"><h2>%s</h2><p class=\"muted\">%s</p>", T(r, "任务频次"),
       T(r, "在上级单位设置的频次适用于其下各级单位，下级单位可以另行设置。"));
  if (n == 0) html(r, "<p class=\"empty\">%s</p>", T(r, "尚未设置单位工作任务。"));
  else {
    html(r, "<table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "</tr></thead><tbody>",
         T(r, "设置单位"), T(r, "任务"), T(r, "适用单位层级"), T(r, "频次"), T(r, "起算日期"), T(r, "操作"));
    for (int i = 0; i < n; i++) {
      const UnitRhythmRow *x = &rows[i];
      const char *per = unit_term_label(rhythm_period_vocab, x->period_type);
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s", x->org_name, ut_task_label(r, x->task, defs, nd),
           T(r, dataset_level_name_zh(x->level)), per ? T(r, per) : x->period_type);
      if (x->per_period > 1) html(r, " %d %s", x->per_period, T(r, "次"));
      html(r, "</td><td>%s</td><td>", x->since);
      if (office && actor_in_scope(&r->actor, x->org_path)) {
        html_raw(r, "<form method=\"post\" action=\"/unit_tasks/rhythms/clear\" class=\"inline\">");
        form_csrf(r);
        html(r, "<input type=\"hidden\" name=\"org\" value=\"%s\"><input type=\"hidden\" name=\"task\" value=\"%s\">"
                "<input type=\"hidden\" name=\"level\" value=\"%s\"><button type=\"submit\" class=\"link\">%s</button>"
                "</form>",
             x->org_code, x->task, x->level, T(r, "取消设置"));
      }
      html_raw(r, "</td></tr>");
    }
    html_raw(r, "</tbody></table>");
  }
  if (office) {
    char today[DATE_ISO_LEN];
    date_format(r->ctx.today, today);
    const char **tasks = calloc((size_t)(2 * (nd + 8) + 1), sizeof *tasks);
    if (!tasks) abort();
    ut_task_options(r, defs, nd, tasks);
    const char *levels[2 * 4 + 1], *pers[2 * 8 + 1];
    int k = 0;
    for (const UnitTerm *t = unit_level_vocab; t->code; t++) levels[k++] = t->code, levels[k++] = t->label_zh;
    levels[k] = NULL;
    k = 0;
    for (const UnitTerm *t = rhythm_period_vocab; t->code; t++) pers[k++] = t->code, pers[k++] = t->label_zh;
    pers[k] = NULL;
    html(r, "<details class=\"card\"%s><summary>%s</summary>", e ? " open" : "", T(r, "设置任务频次"));
    html_raw(r, "<form method=\"post\" action=\"/unit_tasks/rhythms\" class=\"grid\">");
    form_csrf(r);
    if (e) form_error_summary(r, e);
    r->field_prefix = "rh";
    org_pick(r, &(OrgPick){.name = "org", .label_zh = "设置单位", .value = unit_val(r, "org", r->actor.org_code),
                           .error_zh = unit_ferr(e, "org"), .required = true, .levels = PICK_COUNTY | PICK_STREET});
    form_select(r, "task", "任务", tasks, unit_val(r, "task", ""), unit_ferr(e, "task"));
    form_select(r, "level", "适用单位层级", levels, unit_val(r, "level", "community"), unit_ferr(e, "level"));
    form_select(r, "period_type", "频次", pers, unit_val(r, "period_type", "month"), unit_ferr(e, "period_type"));
    unit_control(r, &unit_rhythm_record, "per_period", "1", e);
    unit_control(r, &unit_rhythm_record, "since", today, e);
    r->field_prefix = NULL;
    html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></details>", T(r, "保存"));
    free(tasks);
  }
  html_raw(r, "</section>");
  free(rows);
  free(defs);
}

/* Renders /unit_tasks for r's org and date; e: the error of the rhythm form. */
static void ut_page(Req *r, const Err *e) {
  UnitTaskQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "date"))};
  if (strcmp(r->method, "POST") == 0) q = (UnitTaskQuery){"", ""};
  UnitTaskItem *items = NULL;
  int n = 0;
  Err le;
  err_clear(&le);
  app_unit_tasks(&r->ctx, &q, &items, &n, &le);
  if (le.code != ERR_OK && le.code != ERR_INVALID && le.code != ERR_NOT_FOUND) {
    free(items);
    resp_error(r, &le);
    return;
  }
  Buf url = BUF_INIT, back = BUF_INIT;
  page_begin(r, T(r, "单位工作任务"), false);
  html(r, "<h1>%s</h1>", T(r, "单位工作任务"));
  if (*page_s(req_query(r, "ok"))) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
  html_raw(r, "<div class=\"actions\">");
  if (actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<a class=\"button\" href=\"/unit_work/new\">%s</a>", T(r, "登记单位工作"));
  html(r, "<a class=\"button secondary\" href=\"/unit_work\">%s</a><a class=\"button secondary\" href=\"/datasets\">%s</a>"
          "<a class=\"button secondary\" href=\"/eradications\">%s</a>",
       T(r, "单位工作记录"), T(r, "数据填报"), T(r, "禁种铲毒"));
  buf_puts(&url, "/unit_tasks");
  page_query_param(&url, "org", q.org);
  page_query_param(&url, "date", q.date);
  buf_puts(&back, buf_str(&url));
  page_query_param(&url, "format", "xlsx");
  html(r, "<a class=\"button secondary\" href=\"%s\" download>%s</a></div>", buf_str(&url), T(r, "导出 Excel"));
  html_raw(r, "<form method=\"get\" action=\"/unit_tasks\" class=\"filters\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "范围", .value = q.org, .error_zh = err_field_msg(&le, "org"),
                         .first_zh = "全部单位", .levels = PICK_ANY});
  form_input(r, "date", "date", "截至日期", q.date, err_field_msg(&le, "date"), false, 0);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查看"));
  if (le.code != ERR_OK) form_error_summary(r, &le);
  if (n == 0) {
    html(r, "<p class=\"empty\">%s</p>", T(r, "没有待办的单位工作任务。"));
  } else {
    html(r, "<table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            "<tbody>",
         T(r, "单位"), T(r, "任务"), T(r, "报告期"), T(r, "状态"), T(r, "操作"));
    for (int i = 0; i < n; i++) {
      const UnitTaskItem *t = &items[i];
      html(r, "<tr><td>%s</td><td>%s</td><td>", t->org_name, T(r, t->label));
      ut_period(r, t);
      html_raw(r, "</td><td>");
      ut_state(r, t);
      html_raw(r, "</td><td>");
      if (t->dataset[0] || actor_can(&r->actor, PERM_PERSON_WRITE)) ut_action(r, t, buf_str(&back));
      html_raw(r, "</td></tr>");
    }
    html_raw(r, "</tbody></table>");
  }
  ut_rhythms(r, e);
  page_end(r);
  buf_reset(&url);
  buf_reset(&back);
  free(items);
}

/* GET /unit_tasks?org=&date=[&format=xlsx] */
void page_unit_tasks(Req *r) {
  if (xlsx_wanted(r)) {
    UnitTaskQuery q = {req_query(r, "org"), req_query(r, "date")};
    export_unit_tasks(r, &q);
    return;
  }
  ut_page(r, NULL);
}

/* After a rhythm form: the page with ok=1, or the page again with e. */
static void ut_rhythm_after(Req *r, int rc, const Err *e) {
  if (rc == ERR_OK) {
    resp_redirect(r, "/unit_tasks?ok=1#rhythms");
    return;
  }
  if (!page_form_failed(r, e)) return;
  ut_page(r, e);
  r->status = err_http_status(e->code);
}

/* POST /unit_tasks/rhythms: org, task, level, period_type, per_period, since. */
void page_unit_rhythm_set(Req *r) {
  UnitRhythmInput in;
  Err e;
  page_form_bind(r, &unit_rhythm_record, &in, sizeof in, &e);
  int rc = e.code == ERR_OK ? app_unit_rhythm_set(&r->ctx, &in, NULL, &e) : (int)e.code;
  ut_rhythm_after(r, rc, &e);
}

/* POST /unit_tasks/rhythms/clear: org, task, level. */
void page_unit_rhythm_clear(Req *r) {
  Err e;
  err_clear(&e);
  int rc = app_unit_rhythm_clear(&r->ctx, req_form(r, "org"), req_form(r, "task"), req_form(r, "level"), &e);
  if (rc == ERR_NOT_FOUND) {
    resp_error(r, &e);
    return;
  }
  ut_rhythm_after(r, rc, &e);
}

/* ---- unit work records ---------------------------------------------------------- */

static const ListPage uw_list = {
  "/unit_work", "单位工作记录", LIST_DATES,
  (const ListFilter[]){{"kind", "工作类型", LIST_SELECT, .vocab = unit_task_vocab},
                       {0}},
  .new_zh = "登记单位工作", .link_href = "/unit_tasks", .link_zh = "单位工作任务"};

/* GET /unit_work?org=&kind=&from=&to=&page=[&format=xlsx]: the records of the scope. */
void page_unit_work_list(Req *r) {
  UnitWorkQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "kind")), page_s(req_query(r, "from")),
                     page_s(req_query(r, "to")), (int)req_query_int(r, "page", 1, 1, 1000000), UT_PER_PAGE, NULL};
  UnitWorkRow *rows;
  int n;
  int64_t total;
  Err e;
  if (!au_page_rows(r, &au_unit_work, &q, &rows, &n, &total, NULL, &e)) return;
  page_list_begin(r, &uw_list, actor_can(&r->actor, PERM_PERSON_WRITE), q.page, total, &e);
  static const char *const cols[] = {"日期", "单位", "工作类型", "主题", "情况说明", "登记人", NULL};
  if (page_list_table(r, n, cols, 0)) {
    for (int i = 0; i < n; i++) {
      const UnitWorkRow *w = &rows[i];
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"notes\">%s</td><td>%s</td></tr>", w->date,
           w->org_name, T(r, unit_task_name_zh(w->kind)), page_dash(w->title), page_dash(w->notes), w->created_by);
    }
    page_list_table_end(r);
  }
  page_list_pager(r, &uw_list, q.page, UT_PER_PAGE, total);
  page_end(r);
  free(rows);
}

/* The unit work form (values as posted, or preset by the link). */
static void uw_form(Req *r, const Err *e) {
  unit_form_open(r, "登记单位工作", "/unit_work/new", e);
  unit_choices(r, bind_field(&unit_work_record, "kind"), unit_task_vocab, unit_val(r, "kind", ""), false, e);
  unit_org_date(r, &unit_work_record, NULL, NULL, e);
  unit_control(r, &unit_work_record, "title", "", e);
  unit_control(r, &unit_work_record, "notes", "", e);
  unit_form_close(r, "/unit_work");
}

/* GET /unit_work/new[?org=&kind=&back=] */
void page_unit_work_new(Req *r) { uw_form(r, NULL); }

/* POST /unit_work/new: records the work; back to where the form came from. */
static int uw_add(Req *r, void *in, int64_t *id, Err *e) { return app_unit_work_add(&r->ctx, in, id, e); }
static const RecordForm uw_rf = {&unit_work_record, sizeof(UnitWorkInput), uw_add, uw_form, "/unit_work", true};

void page_unit_work_create(Req *r) { unit_form_post(r, &uw_rf); }
