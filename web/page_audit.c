/* web/page_audit.c: the audit log page for offices (GET /audit): who read or
 * changed what, when and from where, filtered by entity, actor and date,
 * newest first, paged; scoped to the office's subtree by app/audit. */
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/routes.h"

/* Chinese name of an audit action (a msgid), or the code itself. */
static const char *audit_action_name(const char *a) {
  static const char *const names[][2] = {
    {"read", "查阅"}, {"create", "新建"}, {"update", "修改"}, {"status", "状态变更"}, {"doc", "协议/责任书"},
    {"login", "登录"}, {"logout", "退出"}, {"password", "修改密码"}, {"change_password", "修改密码"},
    {"reset_password", "重置密码"}, {"set_lang", "设置语言"}, {"enable", "启用账号"}, {"disable", "停用账号"},
    {"rename", "更名"}, {"move", "调整隶属关系"}, {"id_conflict", "身份证号查重（管辖外）"},
    {"calendar_rotate", "重新生成订阅地址"}, {"gen", "生成数据"}, {NULL, NULL}};
  for (int i = 0; names[i][0]; i++)
    if (strcmp(names[i][0], a) == 0) return names[i][1];
  return a;
}

/* GET /audit?entity=&actor=&date=&page= */
void page_audit_list(Req *r) {
  AuditFilter f = {0};
  f.entity = req_query(r, "entity");
  f.actor = req_query(r, "actor");
  f.date = req_query(r, "date");
  f.page = (int)req_query_int(r, "page", 1, 1, 1000000);
  f.per_page = 50;
  if (f.entity && strlen(f.entity) > 32) f.entity = NULL;
  if (f.actor && strlen(f.actor) > 64) f.actor = NULL;
  if (f.date && strlen(f.date) > 10) f.date = NULL;
  AuditRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (app_audit_list(&r->ctx, &f, &rows, &n, &total, &e) != ERR_OK) { resp_error(r, &e); return; }

  page_begin(r, T(r, "审计日志"), false);
  html(r, "<h1>%s</h1><form method=\"get\" action=\"/audit\" class=\"filters\">", T(r, "审计日志"));
  static const char *const entities[] = {"", "全部", "person", "人员档案", "user", "用户", "org", "组织机构",
                                         "session", "登录会话", NULL};
  form_select(r, "entity", "对象", entities, f.entity, NULL);
  form_input(r, "text", "actor", "操作人", f.actor, NULL, false, 64);
  form_input(r, "text", "date", "日期（年、年-月或年-月-日）", f.date, NULL, false, 10);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "筛选"));
  html(r, "<table><thead><tr><th>#</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th><th>%s</th><th>%s</th>"
          "<th class=\"opt\">%s</th></tr></thead><tbody>",
       T(r, "时间"), T(r, "操作人"), T(r, "地址"), T(r, "操作"), T(r, "对象"), T(r, "详情"));
  for (int i = 0; i < n; i++) {
    const AuditRow *a = &rows[i];
    html(r, "<tr><td>%lld</td><td>%s</td><td>%s</td><td class=\"opt\">%s</td><td>%s</td><td>", (long long)a->id,
         a->at, a->actor, a->address, T(r, audit_action_name(a->action)));
    if (strcmp(a->entity, "person") == 0 && a->entity_id)
      html(r, "<a href=\"/persons/%lld\">%s #%lld</a>", (long long)a->entity_id, T(r, "人员档案"),
           (long long)a->entity_id);
    else if (a->entity_id) html(r, "%s #%lld", a->entity, (long long)a->entity_id);
    else html(r, "%s", a->entity);
    html(r, "</td><td class=\"opt\">%s</td></tr>", a->detail);
  }
  if (n == 0) html(r, "<tr><td colspan=\"7\" class=\"muted\">%s</td></tr>", T(r, "没有记录"));
  html_raw(r, "</tbody></table>");
  Buf base = BUF_INIT;
  buf_puts(&base, "/audit?entity=");
  url_encode(&base, f.entity ? f.entity : "");
  buf_puts(&base, "&actor=");
  url_encode(&base, f.actor ? f.actor : "");
  buf_puts(&base, "&date=");
  url_encode(&base, f.date ? f.date : "");
  html_pager(r, buf_str(&base), f.page, f.per_page, total);
  buf_reset(&base);
  free(rows);
  page_end(r);
}
