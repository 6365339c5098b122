/* web/page_approval.c: the approval pages (审批): the list (what waits
 * for the actor's decision, then the history filtered by state and kind),
 * one approval, and its decision. Proposing an approval is a form of the
 * case file (web/page_supervision.c). Parses requests, calls app/,
 * renders; nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/approval.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/routes.h"

#define APPROVALS_PER_PAGE 20

/* What an approval asks for, in a few words. */
static void pa_what(Req *r, const Approval *a) {
  html(r, "%s", T(r, page_or(approval_kind_name_zh(a->kind), a->kind)));
  if (a->to_org_code[0]) html(r, " → %s", a->to_org_name[0] ? a->to_org_name : a->to_org_code);
  if (a->risk_level[0]) html(r, " → %s", page_risk_name(r, a->risk_level));
  if (a->until[0]) html(r, " %s – %s", a->date, a->until);
}

/* A table of approvals. */
static void pa_table(Req *r, const Approval *a, int n) {
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th><th class=\"opt\">%s</th>"
          "<th>%s</th></tr></thead><tbody>",
       T(r, "人员"), T(r, "事项"), T(r, "状态"), T(r, "所属社区"), T(r, "提请人与时间"), T(r, "操作"));
  for (int i = 0; i < n; i++) {
    char at[DATE_TIME_SHORT_LEN];
    html(r, "<tr><td><a href=\"/persons/%lld\">%s</a></td><td>", (long long)a[i].person_id, a[i].person_name);
    pa_what(r, &a[i]);
    html(r, "</td><td><span class=\"badge st-%s\">%s</span></td><td class=\"opt\">%s</td><td class=\"opt\">%s %s</td>"
            "<td><a href=\"/approvals/%lld\">%s</a></td></tr>",
         a[i].state, T(r, page_or(approval_state_name_zh(a[i].state), a[i].state)), a[i].org_name, a[i].proposed_by,
         date_time_short(a[i].proposed_at, at), (long long)a[i].id, a[i].can_decide ? T(r, "审批") : T(r, "查看"));
  }
  html_raw(r, "</tbody></table>");
}

/* GET /approvals?state=&kind=&page=: the pending approvals the actor may
 * decide, then the history (filtered by state and kind, paged). */
void page_approval_list(Req *r) {
  const char *state = page_s(req_query(r, "state"));
  if (strcmp(state, "pending") != 0 && strcmp(state, "approved") != 0 && strcmp(state, "rejected") != 0) state = "all";
  const char *kind = page_s(req_query(r, "kind"));
  if (strcmp(kind, "release_3y") != 0 && strcmp(kind, "transfer") != 0 && strcmp(kind, "risk_override") != 0 &&
      strcmp(kind, "leave") != 0)
    kind = "";
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
  else pa_table(r, mine, nm);
  html_raw(r, "</section>");

  html(r, "<section class=\"card\"><h2>%s</h2><form method=\"get\" action=\"/approvals\" class=\"filters\">", T(r, "审批记录"));
  static const char *const states[] = {"all", "全部", "pending", "待审批", "approved", "已批准", "rejected", "已驳回", NULL};
  static const char *const kinds[] = {"", "全部事项", "release_3y", "解除帮教（戒断三年）", "transfer", "变更执行地",
                                      "risk_override", "调整风险等级", "leave", "请假外出（3日以上）", NULL};
  form_select(r, "state", "状态", states, state, NULL);
  form_select(r, "kind", "事项", kinds, kind, NULL);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  if (nh == 0) html(r, "<p class=\"muted\">%s</p>", T(r, "没有审批记录"));
  else pa_table(r, hist, nh);
  Buf base = BUF_INIT;
  buf_puts(&base, "/approvals");
  page_query_param(&base, "state", strcmp(state, "all") == 0 ? NULL : state);
  page_query_param(&base, "kind", kind);
  html_pager(r, buf_str(&base), page, APPROVALS_PER_PAGE, th);
  buf_reset(&base);
  html_raw(r, "</section>");
  page_end(r);
  free(mine);
  free(hist);
}

/* Renders one approval with the decision form when the actor may decide
 * (e: the failed decision's errors, or NULL). */
static void pa_page(Req *r, const Approval *a, const Err *e) {
  page_begin(r, T(r, "审批"), false);
  html(r, "<h1>%s · %s</h1>", T(r, page_or(approval_kind_name_zh(a->kind), a->kind)), a->person_name);
  html(r, "<section class=\"card\"><dl class=\"kv\"><dt>%s</dt><dd><a href=\"/persons/%lld\">%s</a>（%s）</dd>",
       T(r, "人员"), (long long)a->person_id, a->person_name, a->org_name);
  html(r, "<dt>%s</dt><dd>", T(r, "事项"));
  pa_what(r, a);
  html(r, "</dd><dt>%s</dt><dd><span class=\"badge st-%s\">%s</span></dd>", T(r, "状态"), a->state,
       T(r, page_or(approval_state_name_zh(a->state), a->state)));
  char at[DATE_TIME_SHORT_LEN];
  html(r, "<dt>%s</dt><dd>%s · %s</dd>", T(r, "提请人与时间"), a->proposed_by, date_time_short(a->proposed_at, at));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "理由"), a->reason[0] ? a->reason : "—");
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "审批单位"),
       strcmp(a->approver_role, "office") == 0 ? T(r, "街道/乡镇禁毒办") : T(r, "区/县禁毒办"));
  if (a->decided_at[0]) {
    html(r, "<dt>%s</dt><dd>%s · %s</dd>", T(r, "审批人与时间"), a->decided_by, date_time_short(a->decided_at, at));
    html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "审批意见"), a->decision_reason[0] ? a->decision_reason : "—");
  }
  html_raw(r, "</dl></section>");
  if (a->own && strcmp(a->state, "pending") == 0)
    html(r, "<p class=\"notice\">%s</p>", T(r, "您是此申请的申请人，须由其他审批人员审批（双人审核）。"));
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
    bind_form_control(r, bind_field(&decision_record, "reason"), e ? req_form_str(r, "reason") : "",
                      e ? err_field_msg(e, "reason") : NULL);
    html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button></div></form></section>",
         T(r, "提交"));
  }
  html(r, "<p><a href=\"/approvals\">%s</a></p>", T(r, "返回审批列表"));
  page_end(r);
}

/* Loads approval r->ids[0] into a; on failure answers the error (404 out
 * of scope) and returns false. */
static bool pa_load(Req *r, Approval *a) {
  Err e;
  err_clear(&e);
  if (app_approval_get(&r->ctx, r->ids[0], a, &e) == ERR_OK) return true;
  resp_error(r, &e);
  return false;
}

/* GET /approvals/{id} */
void page_approval_show(Req *r) {
  Approval a;
  if (pa_load(r, &a)) pa_page(r, &a, NULL);
}

/* POST /approvals/{id}/decide (decision=approve|reject, reason): only an
 * actor who may decide (others 403, a decided approval 409). */
void page_approval_decide(Req *r) {
  Approval a;
  if (!pa_load(r, &a)) return;
  if (!a.can_decide) {
    if (strcmp(a.state, "pending") != 0) resp_fail(r, ERR_CONFLICT, "该审批已处理");
    else resp_fail(r, ERR_FORBIDDEN, a.own ? APPROVAL_MSG_OWN : "您无权审批");
    return;
  }
  Err e;
  err_clear(&e);
  DecisionInput in;
  memset(&in, 0, sizeof in);
  bind_form(r, &decision_record, &in, &e);
  app_approval_decide(&r->ctx, a.id, &in, &e);
  if (e.code != ERR_OK) {
    if (e.code != ERR_INVALID) {
      resp_error(r, &e);
      return;
    }
    pa_page(r, &a, &e);
    r->status = err_http_status(e.code);
    return;
  }
  page_redirect_id(r, "/approvals/", a.id, "");
}
