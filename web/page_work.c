/* web/page_work.c: the daily work pages of the supervision engine: the
 * workbench (工作台: what is due, overdue or waiting in the actor's scope,
 * grouped by reason, with counts, a scope selector, sorting and paging),
 * the approvals (list, one approval, the decision), the schedule rules of
 * the district office (presets, custom rules, which unit uses which), and
 * the per-user iCalendar feed of due talks and tests. Parses requests,
 * calls app/, renders; nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/approval.h"
#include "app/org.h"
#include "app/schedule_rule.h"
#include "app/auth.h"
#include "app/supervision.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/routes.h"

#define WORK_PER_PAGE 30
#define WORK_FEED_MAX 50000   /* a calendar feed longer than this is cut */
#define APPROVALS_PER_PAGE 20

/* s, or "" for NULL. */
static const char *wk_s(const char *s) { return s ? s : ""; }

/* name, or code when name is empty. */
static const char *wk_or(const char *name, const char *code) { return name && *name ? name : wk_s(code); }

/* The reason with API code code, or WL__COUNT. */
static WorkReason wk_reason_from_code(const char *code) {
  for (int i = 0; i < WL__COUNT; i++)
    if (code && strcmp(work_reason_code((WorkReason)i), code) == 0) return (WorkReason)i;
  return WL__COUNT;
}

/* Depth of an org path ("/1/5/" is 2). */
static int wk_depth(const char *path) {
  int d = 0;
  for (; *path; path++) d += *path == '/';
  return d - 1;
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
 * account) first, then the actor's own unit (全区/本街道/本社区), then every
 * unit below it, indented; just the unit's name when there is nothing to
 * choose (returns false then). */
static bool wk_scope_select(Req *r, const char *org) {
  OrgUnit *u = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  bool me = r->actor.user_id > 0;
  if (app_org_list(&r->ctx, &u, &n, &e) != ERR_OK) n = 0;
  if (n < 1 || (n == 1 && !me)) {
    free(u);
    html(r, "<div class=\"field\"><span class=\"muted\">%s</span> <strong>%s</strong></div>", T(r, "范围"),
         r->actor.org_name);
    return false;
  }
  int min = 1 << 30;
  for (int i = 0; i < n; i++)
    if (wk_depth(u[i].path) < min) min = wk_depth(u[i].path);
  html(r, "<div class=\"field\"><label for=\"f-org\">%s</label><select id=\"f-org\" name=\"org\">", T(r, "范围"));
  if (me)
    html(r, "<option value=\"%s\"%s>%s</option>", WK_ME, strcmp(org, WK_ME) == 0 ? " selected" : "", T(r, "我负责的"));
  for (int i = 0; i < n; i++) {
    bool own = strcmp(u[i].code, r->actor.org_code) == 0;
    bool sel = own ? !*org || strcmp(org, u[i].code) == 0 : strcmp(org, u[i].code) == 0;
    html(r, "<option value=\"%s\"%s>", own ? "" : u[i].code, sel ? " selected" : "");
    for (int d = wk_depth(u[i].path) - min; d > 0; d--) html_raw(r, "　");
    if (own) html(r, "%s（%s）</option>", T(r, wk_own_scope_name(r->actor.org_level)), u[i].name);
    else html(r, "%s</option>", u[i].name);
  }
  html_raw(r, "</select></div>");
  free(u);
  return true;
}

/* Appends "key=value" (value URL-encoded) to b with the right separator. */
static void wk_param(Buf *b, const char *key, const char *val) {
  if (!val || !*val) return;
  buf_putc(b, strchr(buf_str(b), '?') ? '&' : '?');
  buf_puts(b, key);
  buf_putc(b, '=');
  url_encode(b, val);
}

/* The /work URL with org, sort and reason (each when given). */
static void wk_url(Buf *b, const char *org, const char *sort, const char *reason) {
  buf_clear(b);
  buf_puts(b, "/work");
  wk_param(b, "org", org);
  wk_param(b, "sort", sort);
  wk_param(b, "reason", reason);
}

/* One work item as a list row: name (link), community, due date, days
 * overdue, the action that clears it. */
static void wk_item(Req *r, const WorkItem *w, const char *back, bool show_reason, bool can_write, bool can_test) {
  html(r, "<li class=\"witem r-%s\"><div class=\"wmain\"><a class=\"wname\" href=\"/persons/%lld\">%s</a> "
          "<span class=\"muted\">%s</span>",
       work_reason_code(w->reason), (long long)w->person_id, w->name, w->org_name);
  if (show_reason) html(r, "<br><span class=\"reason\">%s</span>", T(r, work_reason_name_zh(w->reason)));
  html_raw(r, "<br>");
  if (w->due_date[0]) html(r, "<span class=\"due\">%s %s</span> ", T(r, "到期"), w->due_date);
  if (w->days_overdue > 0) html(r, "<span class=\"badge high\">%s %d %s</span>", T(r, "逾期"), w->days_overdue, T(r, "天"));
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
  const char *org = wk_s(req_query(r, "org"));
  const char *sort = wk_s(req_query(r, "sort"));
  if (strcmp(sort, "due") != 0 && strcmp(sort, "name") != 0) sort = "reason";
  const char *reason_code = wk_s(req_query(r, "reason"));
  WorkReason only = wk_reason_from_code(reason_code);
  if (only == WL__COUNT) reason_code = "";
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);

  /* One scan: the counts per reason and the items of this page, grouped
   * by reason (WorkReason's order of urgency, each group by due date) or in
   * the order asked. */
  bool mine = strcmp(org, WK_ME) == 0 && r->actor.user_id > 0;
  WorkQuery q = {.org_code = *org && !mine ? org : NULL, .worker_id = mine ? r->actor.user_id : 0,
                 .reasons = only == WL__COUNT ? 0 : WL_BIT(only), .sort = sort, .page = page,
                 .per_page = WORK_PER_PAGE};
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
  wk_calendar_box(r);
  page_end(r);
  buf_reset(&url);
  buf_reset(&back);
  free(items);
}

/* ---- approvals ---------------------------------------------------------- */

/* Localised risk level. */
static const char *wk_risk(const Req *r, const char *risk) {
  if (strcmp(wk_s(risk), "low") == 0) return T(r, "低");
  if (strcmp(wk_s(risk), "medium") == 0) return T(r, "中");
  if (strcmp(wk_s(risk), "high") == 0) return T(r, "高");
  return wk_s(risk);
}

/* What an approval asks for, in a few words. */
static void wk_approval_what(Req *r, const Approval *a) {
  html(r, "%s", T(r, wk_or(approval_kind_name_zh(a->kind), a->kind)));
  if (a->to_org_code[0]) html(r, " → %s", a->to_org_name[0] ? a->to_org_name : a->to_org_code);
  if (a->risk_level[0]) html(r, " → %s", wk_risk(r, a->risk_level));
}

/* A table of approvals. */
static void wk_approval_table(Req *r, const Approval *a, int n) {
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th><th class=\"opt\">%s</th>"
          "<th>%s</th></tr></thead><tbody>",
       T(r, "人员"), T(r, "事项"), T(r, "状态"), T(r, "所属社区"), T(r, "提请人与时间"), T(r, "操作"));
  for (int i = 0; i < n; i++) {
    html(r, "<tr><td><a href=\"/persons/%lld\">%s</a></td><td>", (long long)a[i].person_id, a[i].person_name);
    wk_approval_what(r, &a[i]);
    html(r, "</td><td><span class=\"badge st-%s\">%s</span></td><td class=\"opt\">%s</td><td class=\"opt\">%s %s</td>"
            "<td><a href=\"/approvals/%lld\">%s</a></td></tr>",
         a[i].state, T(r, wk_or(approval_state_name_zh(a[i].state), a[i].state)), a[i].org_name, a[i].proposed_by,
         a[i].proposed_at, (long long)a[i].id, a[i].can_decide ? T(r, "审批") : T(r, "查看"));
  }
  html_raw(r, "</tbody></table>");
}

/* GET /approvals?state=&kind=&page=: the pending approvals the actor may
 * decide, then the history (filtered by state and kind, paged). */
void page_approval_list(Req *r) {
  const char *state = wk_s(req_query(r, "state"));
  if (strcmp(state, "pending") != 0 && strcmp(state, "approved") != 0 && strcmp(state, "rejected") != 0) state = "all";
  const char *kind = wk_s(req_query(r, "kind"));
  if (strcmp(kind, "release_3y") != 0 && strcmp(kind, "transfer") != 0 && strcmp(kind, "risk_override") != 0) kind = "";
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);
  Err e;
  err_clear(&e);
  Approval *mine = NULL, *hist = NULL;
  int nm = 0, nh = 0;
  int64_t tm = 0, th = 0;
  ApprovalQuery qm = {.state = "pending", .decidable_only = true, .page = 1, .per_page = 200};
  if (app_approval_list(&r->ctx, &qm, &mine, &nm, &tm, &e) != ERR_OK) {
    free(mine);
    resp_error(r, &e);
    return;
  }
  ApprovalQuery qh = {.state = state, .kind = kind, .page = page, .per_page = APPROVALS_PER_PAGE};
  if (app_approval_list(&r->ctx, &qh, &hist, &nh, &th, &e) != ERR_OK) {
    free(mine);
    free(hist);
    resp_error(r, &e);
    return;
  }
  page_begin(r, T(r, "审批"), false);
  html(r, "<h1>%s</h1>", T(r, "审批"));
  if (req_query(r, "decided")) html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "审批意见已保存"));
  html(r, "<section class=\"card\"><h2>%s <span class=\"count\">%lld</span></h2>", T(r, "待我审批"), (long long)tm);
  if (nm == 0) html(r, "<p class=\"muted\">%s</p>", T(r, "没有待您审批的事项"));
  else wk_approval_table(r, mine, nm);
  html_raw(r, "</section>");

  html(r, "<section class=\"card\"><h2>%s</h2><form method=\"get\" action=\"/approvals\" class=\"filters\">", T(r, "审批记录"));
  static const char *const states[] = {"all", "全部", "pending", "待审批", "approved", "已批准", "rejected", "已驳回", NULL};
  static const char *const kinds[] = {"", "全部事项", "release_3y", "解除帮教（戒断三年）", "transfer", "变更执行地",
                                      "risk_override", "调整风险等级", NULL};
  form_select(r, "state", "状态", states, state, NULL);
  form_select(r, "kind", "事项", kinds, kind, NULL);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  if (nh == 0) html(r, "<p class=\"muted\">%s</p>", T(r, "没有审批记录"));
  else wk_approval_table(r, hist, nh);
  Buf base = BUF_INIT;
  buf_puts(&base, "/approvals");
  wk_param(&base, "state", strcmp(state, "all") == 0 ? NULL : state);
  wk_param(&base, "kind", kind);
  html_pager(r, buf_str(&base), page, APPROVALS_PER_PAGE, th);
  buf_reset(&base);
  html_raw(r, "</section>");
  page_end(r);
  free(mine);
  free(hist);
}

/* Renders one approval with the decision form when the actor may decide
 * (e: the failed decision's errors, or NULL). */
static void wk_approval_page(Req *r, const Approval *a, const Err *e) {
  page_begin(r, T(r, "审批"), false);
  html(r, "<h1>%s · %s</h1>", T(r, wk_or(approval_kind_name_zh(a->kind), a->kind)), a->person_name);
  html(r, "<section class=\"card\"><dl class=\"kv\"><dt>%s</dt><dd><a href=\"/persons/%lld\">%s</a>（%s）</dd>",
       T(r, "人员"), (long long)a->person_id, a->person_name, a->org_name);
  html(r, "<dt>%s</dt><dd>", T(r, "事项"));
  wk_approval_what(r, a);
  html(r, "</dd><dt>%s</dt><dd><span class=\"badge st-%s\">%s</span></dd>", T(r, "状态"), a->state,
       T(r, wk_or(approval_state_name_zh(a->state), a->state)));
  html(r, "<dt>%s</dt><dd>%s · %s</dd>", T(r, "提请人与时间"), a->proposed_by, a->proposed_at);
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "理由"), a->reason[0] ? a->reason : "—");
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "审批单位"),
       strcmp(a->approver_role, "office") == 0 ? T(r, "街道/乡镇禁毒办") : T(r, "区/县禁毒办"));
  if (a->decided_at[0]) {
    html(r, "<dt>%s</dt><dd>%s · %s</dd>", T(r, "审批人与时间"), a->decided_by, a->decided_at);
    html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "审批意见"), a->decision_reason[0] ? a->decision_reason : "—");
  }
  html_raw(r, "</dl></section>");
  if (a->can_decide) {
    html(r, "<section class=\"card\"><h2>%s</h2><form method=\"post\" action=\"/approvals/%lld/decide\" "
            "class=\"rec-form\" data-confirm=\"%s\">",
         T(r, "审批意见"), (long long)a->id, T(r, "确认提交审批意见？提交后不能更改。"));
    form_csrf(r);
    if (e) form_error_summary(r, e);
    const char *dec = e ? req_form_str(r, "decision") : "";
    const char *derr = e ? err_field_msg(e, "decision") : NULL;
    html(r, "<fieldset class=\"field wide choices%s\"><legend>%s *</legend><div class=\"choice-row\">"
            "<label class=\"choice\"><input type=\"radio\" name=\"decision\" value=\"approve\" required%s> <span>%s</span></label>"
            "<label class=\"choice\"><input type=\"radio\" name=\"decision\" value=\"reject\" required%s> <span>%s</span></label></div>",
         derr ? " has-error" : "", T(r, "决定"), strcmp(dec, "approve") == 0 ? " checked" : "", T(r, "批准"),
         strcmp(dec, "reject") == 0 ? " checked" : "", T(r, "驳回"));
    if (derr) html(r, "<span class=\"field-error\">%s</span>", T(r, derr));
    html_raw(r, "</fieldset>");
    form_textarea(r, "reason", "审批意见（驳回时必填）", e ? req_form_str(r, "reason") : "",
                  e ? err_field_msg(e, "reason") : NULL, 500);
    html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button></div></form></section>",
         T(r, "提交"));
  }
  html(r, "<p><a href=\"/approvals\">%s</a></p>", T(r, "返回审批列表"));
  page_end(r);
}

/* GET /approvals/{id} */
void page_approval_show(Req *r) {
  Approval a;
  Err e;
  err_clear(&e);
  if (app_approval_get(&r->ctx, r->ids[0], &a, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  wk_approval_page(r, &a, NULL);
}

/* POST /approvals/{id}/decide (decision=approve|reject, reason): only an
 * actor who may decide (others 403, a decided approval 409). */
void page_approval_decide(Req *r) {
  Approval a;
  Err e;
  err_clear(&e);
  if (app_approval_get(&r->ctx, r->ids[0], &a, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (!a.can_decide) {
    if (strcmp(a.state, "pending") != 0) resp_fail(r, ERR_CONFLICT, "该审批已处理");
    else resp_fail(r, ERR_FORBIDDEN, "您无权审批");
    return;
  }
  const char *dec = req_form_str(r, "decision");
  bool approve = strcmp(dec, "approve") == 0;
  if (!approve && strcmp(dec, "reject") != 0) err_field(&e, "decision", "请选择批准或驳回");
  else app_approval_decide(&r->ctx, a.id, approve, req_form_str(r, "reason"), &e);
  if (e.code != ERR_OK) {
    if (e.code != ERR_INVALID) {
      resp_error(r, &e);
      return;
    }
    wk_approval_page(r, &a, &e);
    r->status = err_http_status(e.code);
    return;
  }
  char loc[64];
  snprintf(loc, sizeof loc, "/approvals/%lld", (long long)a.id);
  resp_redirect(r, loc);
}

/* ---- schedule rules ---------------------------------------------------- */

/* Renders the rules page; which: the form that failed ("rule", "assign" or
 * NULL) with e. */
static void wk_rules_page(Req *r, const char *which, const Err *e) {
  ScheduleRuleInfo *rules = NULL;
  OrgUnit *units = NULL;
  int nr = 0, nu = 0;
  Err le;
  err_clear(&le);
  if (app_schedule_rule_list(&r->ctx, &rules, &nr, &le) != ERR_OK || app_org_list(&r->ctx, &units, &nu, &le) != ERR_OK) {
    free(rules);
    free(units);
    resp_error(r, &le);
    return;
  }
  OrgRuleInfo *ori = calloc((size_t)(nu > 0 ? nu : 1), sizeof *ori);
  if (!ori) abort();
  for (int i = 0; i < nu; i++) {
    err_clear(&le);
    if (app_schedule_rule_of_org(&r->ctx, units[i].code, &ori[i], &le) != ERR_OK) ori[i].rule_code[0] = 0;
  }
  bool fr = which && strcmp(which, "rule") == 0, fa = which && strcmp(which, "assign") == 0;
  page_begin(r, T(r, "帮教检测规则"), false);
  html(r, "<h1>%s</h1>", T(r, "帮教检测规则"));
  if (req_query(r, "saved")) html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "已保存"));
  html(r, "<p class=\"muted\">%s</p>", T(r, "各单位按适用的规则计算谈话和检测的到期日；没有单独设置的单位沿用上级单位的规则，最上级默认为“默认（按戒断时长分档）”。"));

  html(r, "<section class=\"card\"><h2>%s</h2><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
       T(r, "规则"), T(r, "编码"), T(r, "名称"), T(r, "规则内容"), T(r, "使用单位"));
  for (int i = 0; i < nr; i++) {
    html(r, "<tr><td><code>%s</code>%s</td><td>%s</td><td><code class=\"spec\">%s</code></td><td>", rules[i].code,
         rules[i].preset ? " " : "", rules[i].preset ? T(r, rules[i].name) : rules[i].name, rules[i].spec);
    if (rules[i].preset) html(r, "<span class=\"badge\">%s</span> ", T(r, "内置"));
    bool any = false;
    for (int k = 0; k < nu; k++)
      if (strcmp(ori[k].own_rule, rules[i].code) == 0) {
        html(r, "%s%s", any ? "、" : "", units[k].name);
        any = true;
      }
    if (!any) html_raw(r, "—");
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table></section>");

  /* create / update a custom rule */
  const Err *re = fr ? e : NULL;
  html(r, "<section class=\"card\" id=\"rule-form\"><h2>%s</h2>", T(r, "新建或修改自定义规则"));
  html(r, "<p class=\"muted\">%s</p><pre class=\"spec-help\">base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2;community_detox=12:1:1,24:2:2,36:3:3</pre>",
       T(r, "规则内容写法：每档为“戒断不满N个月:谈话间隔:检测间隔”（月），按N从小到大用逗号分隔；release为满多少个月可提请解除；high、medium为高、中风险的最长间隔；也可按管控状态单独设档。"));
  html_raw(r, "<form method=\"post\" action=\"/rules#rule-form\">");
  form_csrf(r);
  if (re) form_error_summary(r, re);
  html_raw(r, "<div class=\"grid\">");
  form_input(r, "text", "code", "编码", fr ? req_form_str(r, "code") : "", re ? err_field_msg(re, "code") : NULL, true, 31);
  form_input(r, "text", "name", "名称", fr ? req_form_str(r, "name") : "", re ? err_field_msg(re, "name") : NULL, true, 60);
  form_textarea(r, "spec", "规则内容", fr ? req_form_str(r, "spec") : "", re ? err_field_msg(re, "spec") : NULL, 500);
  html(r, "</div><p><button type=\"submit\">%s</button></p></form></section>", T(r, "保存规则"));

  /* which unit uses which rule, and the form that sets it */
  const Err *ae = fa ? e : NULL;
  html(r, "<section class=\"card\" id=\"assign-form\"><h2>%s</h2><table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
       T(r, "各单位适用的规则"), T(r, "单位"), T(r, "适用规则"), T(r, "来源"));
  int min = 1 << 30;
  for (int i = 0; i < nu; i++)
    if (wk_depth(units[i].path) < min) min = wk_depth(units[i].path);
  for (int i = 0; i < nu; i++) {
    html_raw(r, "<tr><td>");
    for (int d = wk_depth(units[i].path) - min; d > 0; d--) html_raw(r, "　");
    html(r, "%s（%s）</td><td><code>%s</code></td><td>", units[i].name, units[i].code, wk_or(ori[i].rule_code, "default"));
    if (ori[i].own_rule[0]) html(r, "%s", T(r, "本单位设置"));
    else if (ori[i].inherited_from[0]) html(r, "%s %s", T(r, "沿用上级"), ori[i].inherited_from);
    else html(r, "%s", T(r, "默认"));
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table>");
  html_raw(r, "<form method=\"post\" action=\"/rules/assign#assign-form\" class=\"filters\">");
  form_csrf(r);
  if (ae) form_error_summary(r, ae);
  const char *org_sel = fa ? req_form_str(r, "org") : "", *rule_sel = fa ? req_form_str(r, "rule") : "";
  const char *oerr = ae ? err_field_msg(ae, "org") : NULL, *rerr = ae ? err_field_msg(ae, "rule") : NULL;
  html(r, "<div class=\"field%s\"><label for=\"f-org\">%s</label><select id=\"f-org\" name=\"org\" required>", oerr ? " has-error" : "",
       T(r, "单位"));
  for (int i = 0; i < nu; i++)
    html(r, "<option value=\"%s\"%s>%s（%s）</option>", units[i].code, strcmp(org_sel, units[i].code) == 0 ? " selected" : "",
         units[i].name, units[i].code);
  html_raw(r, "</select>");
  if (oerr) html(r, "<span class=\"field-error\">%s</span>", T(r, oerr));
  html(r, "</div><div class=\"field%s\"><label for=\"f-rule\">%s</label><select id=\"f-rule\" name=\"rule\">"
          "<option value=\"\">%s</option>",
       rerr ? " has-error" : "", T(r, "规则"), T(r, "沿用上级单位的规则"));
  for (int i = 0; i < nr; i++)
    html(r, "<option value=\"%s\"%s>%s（%s）</option>", rules[i].code, strcmp(rule_sel, rules[i].code) == 0 ? " selected" : "",
         rules[i].preset ? T(r, rules[i].name) : rules[i].name, rules[i].code);
  html_raw(r, "</select>");
  if (rerr) html(r, "<span class=\"field-error\">%s</span>", T(r, rerr));
  html(r, "</div><div class=\"field\"><button type=\"submit\" data-confirm=\"%s\">%s</button></div></form></section>",
       T(r, "更改规则会重新计算该单位所有人员的到期日，确认？"), T(r, "设置"));
  page_end(r);
  free(ori);
  free(rules);
  free(units);
}

/* GET /rules */
void page_rules(Req *r) { wk_rules_page(r, NULL, NULL); }

/* Answers a failed rules form: the page again for bad input, else the error. */
static void wk_rules_failed(Req *r, const char *which, const Err *e) {
  if (e->code != ERR_INVALID && e->code != ERR_CONFLICT) {
    resp_error(r, e);
    return;
  }
  wk_rules_page(r, which, e);
  r->status = err_http_status(e->code);
}

/* POST /rules (code, name, spec): creates or updates a custom rule. */
void page_rules_save(Req *r) {
  Err e;
  err_clear(&e);
  bool created = false;
  if (app_schedule_rule_save(&r->ctx, req_form_str(r, "code"), req_form_str(r, "name"), req_form_str(r, "spec"),
                             &created, &e) != ERR_OK) {
    wk_rules_failed(r, "rule", &e);
    return;
  }
  resp_redirect(r, "/rules?saved=1");
}

/* POST /rules/assign (org, rule; rule "" = inherit again). */
void page_rules_assign(Req *r) {
  Err e;
  err_clear(&e);
  if (app_schedule_rule_set_org(&r->ctx, req_form_str(r, "org"), req_form_str(r, "rule"), &e) != ERR_OK) {
    wk_rules_failed(r, "assign", &e);
    return;
  }
  resp_redirect(r, "/rules?saved=1");
}

/* ---- iCalendar feed ---------------------------------------------------- */

/* Appends one content line "text" to b folded at 75 octets (RFC 5545 3.1:
 * CRLF followed by one space), never inside a UTF-8 sequence; ends it with
 * CRLF. */
static void ics_line(Buf *b, const char *text) {
  size_t len = strlen(text), col = 0;
  for (size_t i = 0; i < len;) {
    size_t clen = 1;
    unsigned char c = (unsigned char)text[i];
    if (c >= 0xF0) clen = 4;
    else if (c >= 0xE0) clen = 3;
    else if (c >= 0xC0) clen = 2;
    if (i + clen > len) clen = len - i;
    if (col + clen > 75) {
      buf_puts(b, "\r\n ");
      col = 1;
    }
    buf_append(b, text + i, clen);
    col += clen;
    i += clen;
  }
  buf_puts(b, "\r\n");
}

/* Appends s to b escaped as iCalendar TEXT: backslash, semicolon, comma
 * and newlines (CR dropped). */
static void ics_text(Buf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '\\': buf_puts(b, "\\\\"); break;
    case ';': buf_puts(b, "\\;"); break;
    case ',': buf_puts(b, "\\,"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': break;
    default: buf_putc(b, *s);
    }
  }
}

/* Appends a property "NAME:" + escaped value as a folded line. */
static void ics_prop(Buf *out, const char *name, const char *value) {
  Buf line = BUF_INIT;
  buf_puts(&line, name);
  buf_putc(&line, ':');
  ics_text(&line, value);
  ics_line(out, buf_str(&line));
  buf_reset(&line);
}

/* GET /calendar/{token}.ics (public: the token authenticates): all-day
 * events for the talks and tests due in the next 60 days in the token
 * owner's scope, and the overdue ones on today. */
void page_calendar(Req *r) {
  const char *p = r->path + strlen("/calendar/");
  const char *dot = strstr(p, ".ics");
  char token[129];
  size_t tl = dot ? (size_t)(dot - p) : 0;
  Err e;
  err_clear(&e);
  if (!dot || tl == 0 || tl >= sizeof token) {
    resp_fail(r, ERR_NOT_FOUND, "页面不存在");
    return;
  }
  memcpy(token, p, tl);
  token[tl] = 0;
  Actor a;
  memset(&a, 0, sizeof a);
  if (auth_calendar_actor(&r->ctx, token, r->address, &a, &e) != ERR_OK) {
    resp_fail(r, ERR_NOT_FOUND, "页面不存在");
    return;
  }
  snprintf(a.address, sizeof a.address, "%s", r->address);
  r->actor = a; /* r->ctx.actor points at r->actor */
  r->ctx.actor = &r->actor;
  WorkQuery q = {.horizon_days = 60, .sort = "due", .page = 1, .per_page = WORK_FEED_MAX,
                 .reasons = WL_BIT(WL_TEST_DUE) | WL_BIT(WL_TEST_OVERDUE) | WL_BIT(WL_TALK_DUE) | WL_BIT(WL_TALK_OVERDUE)};
  WorkItem *items = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_worklist(&r->ctx, &q, &items, &n, &total, NULL, &e) != ERR_OK) {
    free(items);
    resp_error(r, &e);
    return;
  }
  /* DTSTAMP: the request's time in UTC */
  time_t now = (time_t)r->ctx.now_unix;
  struct tm tm;
  gmtime_r(&now, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);

  Buf b = BUF_INIT, t = BUF_INIT;
  ics_line(&b, "BEGIN:VCALENDAR");
  ics_line(&b, "VERSION:2.0");
  ics_line(&b, "PRODID:-//jindu//supervision calendar//ZH");
  ics_line(&b, "CALSCALE:GREGORIAN");
  ics_line(&b, "METHOD:PUBLISH");
  buf_clear(&t);
  buf_printf(&t, "%s · %s", i18n_text(r->actor.lang[0] ? r->actor.lang : "zh", "禁毒社区工作系统"), r->actor.org_name);
  ics_prop(&b, "X-WR-CALNAME", buf_str(&t));
  ics_line(&b, "X-WR-TIMEZONE:Asia/Shanghai");
  const char *lang = r->actor.lang[0] ? r->actor.lang : "zh";
  for (int i = 0; i < n; i++) {
    const WorkItem *w = &items[i];
    bool test = w->reason == WL_TEST_DUE || w->reason == WL_TEST_OVERDUE;
    bool talk = w->reason == WL_TALK_DUE || w->reason == WL_TALK_OVERDUE;
    if ((!test && !talk) || !w->due_date[0]) continue;
    Day day;
    if (!date_parse(w->due_date, &day)) continue;
    bool overdue = w->days_overdue > 0 || day < r->ctx.today;
    if (overdue) day = r->ctx.today;
    char ymd[DATE_ISO_LEN], ymd2[DATE_ISO_LEN];
    date_format(day, ymd);
    date_format(day + 1, ymd2);
    ics_line(&b, "BEGIN:VEVENT");
    buf_clear(&t);
    buf_printf(&t, "UID:jindu-%lld-%s-%s@jindu", (long long)w->person_id, test ? "test" : "talk", w->due_date);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "DTSTAMP:%s", stamp);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "DTSTART;VALUE=DATE:%.4s%.2s%.2s", ymd, ymd + 5, ymd + 8);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "DTEND;VALUE=DATE:%.4s%.2s%.2s", ymd2, ymd2 + 5, ymd2 + 8);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    const char *what = test ? (overdue ? "尿检逾期：" : "尿检到期：") : (overdue ? "谈话逾期：" : "谈话到期：");
    buf_printf(&t, "%s%s", i18n_text(lang, what), w->name);
    ics_prop(&b, "SUMMARY", buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "%s\n%s %s", w->org_name, i18n_text(lang, "到期"), w->due_date);
    if (overdue) buf_printf(&t, "\n%s %d %s", i18n_text(lang, "逾期"), w->days_overdue, i18n_text(lang, "天"));
    ics_prop(&b, "DESCRIPTION", buf_str(&t));
    ics_line(&b, "TRANSP:TRANSPARENT");
    ics_line(&b, "END:VEVENT");
  }
  ics_line(&b, "END:VCALENDAR");
  free(items);
  buf_clear(&r->out);
  buf_append(&r->out, buf_str(&b), b.len);
  buf_reset(&b);
  buf_reset(&t);
  r->status = 200;
  r->content_type = "text/calendar; charset=utf-8";
  resp_header(r, "Content-Disposition", "inline; filename=\"jindu.ics\"");
  r->done = true;
}
