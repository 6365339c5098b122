/* web/page_work.c: the workbench (工作台) of the supervision engine: what
 * is due, overdue or waiting in the actor's scope, grouped by reason, with
 * counts, a scope selector, sorting and paging, and the box that offers the
 * calendar feed (web/page_calendar.c). Parses requests, calls app/,
 * renders; nothing else. */
#include <stdlib.h>
#include <string.h>
#include "app/auth.h"
#include "app/org.h"
#include "app/supervision.h"
#include "web/export.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_ledger.h"
#include "web/page_unit.h"
#include "web/routes.h"
#include "web/xlsx.h"

#define WORK_PER_PAGE 30

/* The reason with API code code, or WL__COUNT. */
static WorkReason wk_reason_from_code(const char *code) {
  for (int i = 0; i < WL__COUNT; i++)
    if (code && strcmp(work_reason_code((WorkReason)i), code) == 0) return (WorkReason)i;
  return WL__COUNT;
}

/* The scope name of the actor's own unit by its level. */
static const char *wk_own_scope_name(const char *level) {
  if (strcmp(level, "county") == 0) return "全区";
  if (strcmp(level, "street") == 0) return "本街道";
  return "本社区";
}

/* The value of the scope selector that stands for "my cases" (the persons
 * whose responsible worker is the actor): /work?org=me. */
#define WK_ME "me"

/* The scope selector: 我负责的 (the actor's own cases, for an actor with an
 * account) first, then the actor's own unit (全区/本街道/本社区), then the
 * units of the scope by name (web/org_pick.h); just the unit's name when
 * there is nothing to choose (returns false then). */
static bool wk_scope_select(Req *r, const char *org) {
  bool me = r->actor.user_id > 0;
  if (!me && strcmp(r->actor.org_level, "community") == 0) {
    html(r, "<div class=\"field\"><span class=\"muted\">%s</span> <strong>%s</strong></div>", T(r, "范围"),
         r->actor.org_name);
    return false;
  }
  const char *extra[] = {WK_ME, "我负责的", "", wk_own_scope_name(r->actor.org_level), NULL};
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "范围", .value = org, .extra = me ? extra : extra + 2,
                         .levels = PICK_ANY});
  return true;
}

/* The /work URL with org, sort and reason (each when given). */
static void wk_url(Buf *b, const char *org, const char *sort, const char *reason) {
  buf_clear(b);
  buf_puts(b, "/work");
  page_query_param(b, "org", org);
  page_query_param(b, "sort", sort);
  page_query_param(b, "reason", reason);
}

/* One work item as a list row: name (link), community, due date, days
 * overdue, since when and why, the action that clears it. */
static void wk_item(Req *r, const WorkItem *w, const char *back, bool show_reason, bool can_write, bool can_test) {
  html(r, "<li class=\"witem r-%s\"><div class=\"wmain\"><a class=\"wname\" href=\"/persons/%lld\">%s</a> "
          "<span class=\"muted\">%s</span>",
       work_reason_code(w->reason), (long long)w->person_id, w->name, w->org_name);
  if (show_reason) html(r, "<br><span class=\"reason\">%s</span>", T(r, work_reason_name_zh(w->reason)));
  html_raw(r, "<br>");
  if (w->due_date[0]) html(r, "<span class=\"due\">%s %s</span> ", T(r, "到期"), w->due_date);
  if (w->days_overdue > 0) html(r, "<span class=\"badge high\">%s %d %s</span>", T(r, "逾期"), w->days_overdue, T(r, "天"));
  if (w->why.since[0] || (w->why.why_zh && *w->why.why_zh)) {
    html_raw(r, "<br>");
    sup_work_why(r, w);
  }
  html_raw(r, "</div><div class=\"wact\">");
  bool test = w->reason == WL_TEST_DUE || w->reason == WL_TEST_OVERDUE;
  if (w->reason == WL_APPROVAL_PENDING || can_write || (test && can_test)) sup_work_action(r, w, back);
  html_raw(r, "</div></li>");
}

/* The calendar subscription box (when app/ gives the actor a token). */
static void wk_calendar_box(Req *r) {
  char token[65];
  Err e;
  err_clear(&e);
  if (auth_calendar_token(&r->ctx, token, &e) != ERR_OK) return;
  const char *host = req_header(r, "Host");
  Buf url = BUF_INIT;
  buf_printf(&url, "%s://%s/calendar/%s.ics", r->conf && r->conf->secure_cookies ? "https" : "http",
             host && !strpbrk(host, "\"<>\r\n /") ? host : "localhost", token);
  html(r, "<details class=\"card calendar\"><summary>%s</summary><p class=\"muted\">%s</p>"
          "<input type=\"text\" readonly value=\"%s\" aria-label=\"%s\"> "
          "<a class=\"button secondary\" href=\"/calendar/%s.ics\">%s</a></details>",
       T(r, "订阅到期日历（iCalendar）"),
       T(r, "把这个地址添加到手机或电脑日历，即可看到今后60天到期的谈话和检测。地址相当于密码，请勿转发。"),
       buf_str(&url), T(r, "日历地址"), token, T(r, "下载日历文件"));
  buf_reset(&url);
}

/* GET /work?org=&sort=due|name|reason&reason=&page=: the workbench;
 * org=me: the actor's own cases (the persons whose responsible social
 * worker the actor is) in the whole scope. */
void page_work(Req *r) {
  const char *org = page_s(req_query(r, "org"));
  const char *sort = page_s(req_query(r, "sort"));
  if (strcmp(sort, "due") != 0 && strcmp(sort, "name") != 0) sort = "reason";
  const char *reason_code = page_s(req_query(r, "reason"));
  WorkReason only = wk_reason_from_code(reason_code);
  if (only == WL__COUNT) reason_code = "";
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);

  /* One scan: the counts per reason and the items of this page, grouped
   * by reason (WorkReason's order of urgency, each group by due date) or in
   * the order asked. */
  bool mine = strcmp(org, WK_ME) == 0 && r->actor.user_id > 0;
  WorkQuery q = {.org_code = *org && !mine ? org : NULL, .worker_id = mine ? r->actor.user_id : 0,
                 .reasons = only == WL__COUNT ? 0 : WL_BIT(only), .sort = sort, .page = page,
                 .per_page = WORK_PER_PAGE, .explain = true};
  if (xlsx_wanted(r)) { /* /work?...&format=xlsx: every page of this filter as one workbook */
    export_worklist(r, &q);
    return;
  }
  int64_t counts[WL__COUNT] = {0}, nv = 0;
  WorkItem *items = NULL;
  int ni = 0;
  Err e;
  err_clear(&e);
  if (app_worklist(&r->ctx, &q, &items, &ni, &nv, counts, &e) != ERR_OK && e.code != ERR_NOT_FOUND &&
      e.code != ERR_INVALID) {
    free(items);
    resp_error(r, &e);
    return;
  }
  /* (an unknown or out-of-scope unit: the form with the message) */
  int64_t n = 0;
  for (int k = 0; k < WL__COUNT; k++) n += counts[k];
  int64_t from = (int64_t)(page - 1) * WORK_PER_PAGE;

  bool can_write = actor_can(&r->actor, PERM_PERSON_WRITE);
  bool can_test = can_write || r->actor.role == ROLE_POLICE;
  Buf url = BUF_INIT, back = BUF_INIT;
  page_begin(r, T(r, "工作台"), false);
  html(r, "<h1>%s</h1>", T(r, "工作台"));
  html_raw(r, "<div class=\"actions\">");
  html(r, "<a class=\"button secondary\" href=\"/approvals\">%s</a>", T(r, "审批"));
  html(r, "<a class=\"button secondary\" href=\"/persons\">%s</a>", T(r, "人员档案"));
  if (actor_can(&r->actor, PERM_ORG_ADMIN)) html(r, "<a class=\"button secondary\" href=\"/rules\">%s</a>", T(r, "帮教检测规则"));
  wk_url(&url, org, strcmp(sort, "reason") == 0 ? NULL : sort, reason_code);
  page_query_param(&url, "format", "xlsx");
  html(r, "<a class=\"button secondary\" id=\"work-xlsx\" href=\"%s\" download>%s</a>", buf_str(&url), T(r, "导出 Excel"));
  html_raw(r, "</div>");

  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  html_raw(r, "<form method=\"get\" action=\"/work\" class=\"filters\">");
  bool several = wk_scope_select(r, org);
  if (strcmp(sort, "reason") != 0) html(r, "<input type=\"hidden\" name=\"sort\" value=\"%s\">", sort);
  if (*reason_code) html(r, "<input type=\"hidden\" name=\"reason\" value=\"%s\">", reason_code);
  if (several) html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div>", T(r, "查看"));
  html(r, "<div class=\"field\"><span class=\"muted\">%s</span> <strong>%s</strong></div></form>", T(r, "今天"), today);
  if (e.code != ERR_OK) form_error_summary(r, &e);
  page_notice_section(r);
  page_read_alert_section(r);

  /* counts per reason: each a filter */
  html_raw(r, "<nav class=\"wcounts\" aria-label=\"counts\">");
  wk_url(&url, org, strcmp(sort, "reason") == 0 ? NULL : sort, NULL);
  html(r, "<a class=\"chip%s\" href=\"%s\">%s <b>%lld</b></a>", only == WL__COUNT ? " on" : "", buf_str(&url), T(r, "全部"),
       (long long)n);
  for (int k = 0; k < WL__COUNT; k++) {
    WorkReason i = (WorkReason)k;
    if (!counts[i]) continue;
    wk_url(&url, org, strcmp(sort, "reason") == 0 ? NULL : sort, work_reason_code(i));
    html(r, "<a class=\"chip r-%s%s\" href=\"%s\">%s <b>%lld</b></a>", work_reason_code(i), only == i ? " on" : "",
         buf_str(&url), T(r, work_reason_name_zh(i)), (long long)counts[i]);
  }
  html_raw(r, "</nav>");

  /* sorting */
  static const char *const sorts[] = {"reason", "按事项", "due", "按到期日", "name", "按姓名", NULL};
  html(r, "<p class=\"sorts\">%s ", T(r, "排序："));
  for (const char *const *s = sorts; s[0]; s += 2) {
    wk_url(&url, org, strcmp(s[0], "reason") == 0 ? NULL : s[0], reason_code);
    if (strcmp(sort, s[0]) == 0) html(r, "<strong>%s</strong> ", T(r, s[1]));
    else html(r, "<a href=\"%s\">%s</a> ", buf_str(&url), T(r, s[1]));
  }
  html_raw(r, "</p>");

  /* the page of items; grouped by reason when sorted by reason */
  wk_url(&back, org, strcmp(sort, "reason") == 0 ? NULL : sort, reason_code);
  if (page > 1) {
    buf_putc(&back, strchr(buf_str(&back), '?') ? '&' : '?');
    buf_printf(&back, "page=%d", page);
  }
  if (nv == 0) {
    html(r, "<p class=\"empty\">%s</p>", T(r, "没有待办事项。"));
  } else if (from >= nv) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "这一页没有内容"));
  } else {
    bool grouped = strcmp(sort, "reason") == 0;
    int cur = -1;
    if (!grouped) html_raw(r, "<ul class=\"wlist\">");
    for (int k = 0; k < ni; k++) {
      const WorkItem *w = &items[k];
      if (grouped && (int)w->reason != cur) {
        if (cur >= 0) html_raw(r, "</ul></section>");
        cur = (int)w->reason;
        html(r, "<section class=\"wgroup\" id=\"g-%s\"><h2>%s <span class=\"count\">%lld</span></h2><ul class=\"wlist\">",
             work_reason_code(w->reason), T(r, work_reason_name_zh(w->reason)), (long long)counts[cur]);
      }
      wk_item(r, w, buf_str(&back), !grouped, can_write, can_test);
    }
    html_raw(r, grouped ? "</ul></section>" : "</ul>");
  }
  wk_url(&url, org, strcmp(sort, "reason") == 0 ? NULL : sort, reason_code);
  html_pager(r, buf_str(&url), page, WORK_PER_PAGE, nv);
  page_unit_task_section(r, org);
  page_inspection_followup_section(r, org);
  wk_calendar_box(r);
  page_end(r);
  buf_reset(&url);
  buf_reset(&back);
  free(items);
}
