/* web/page_user.c: user administration for offices (GET /users): the
 * accounts of the office's subtree, a form to create one (e.g. a social
 * worker of a community), deactivate/reactivate, and a password reset
 * (POST /users, /users/active, /users/password). */
#include <stdlib.h>
#include <string.h>
#include "app/user.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/routes.h"

/* Renders the page; e is shown beside the form named failed_form ("add",
 * "password"), notice on success. */
static void page_user_render(Req *r, const Err *e, const char *failed_form, const char *notice) {
  UserRow *users = NULL;
  int n = 0;
  Err le;
  err_clear(&le);
  if (!page_forms_begin(r, app_user_list(&r->ctx, &users, &n, &le), &le, "用户管理", notice)) return;
  if (page_form_err(failed_form, "active", e)) form_error_summary(r, e);
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
       T(r, "用户名"), T(r, "姓名"), T(r, "角色"), T(r, "所属单位"), T(r, "状态"));
  for (int i = 0; i < n; i++) {
    const UserRow *u = &users[i];
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>", u->username, u->display_name,
         T(r, role_name_zh(role_from_code(u->role))), u->org_name, T(r, u->active ? "启用" : "停用"));
    if (strcmp(u->username, r->actor.username) != 0) {
      html(r, "<form method=\"post\" action=\"/users/active\" class=\"inline\" data-confirm=\"%s\">",
           T(r, u->active ? "确定停用该账号吗？其登录将立即失效。" : "确定重新启用该账号吗？"));
      form_csrf(r);
      html(r, "<input type=\"hidden\" name=\"username\" value=\"%s\"><input type=\"hidden\" name=\"active\" value=\"%s\">"
              "<button type=\"submit\" class=\"secondary\">%s</button></form>",
           u->username, u->active ? "0" : "1", T(r, u->active ? "停用账号" : "启用账号"));
    }
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table>");

  const Err *ea = page_form_err(failed_form, "add", e);
  /* only the roles the actor may create (app_user_role_creatable) */
  static const Role order[] = {ROLE_WORKER, ROLE_CADRE, ROLE_POLICE, ROLE_OFFICE, ROLE_ADMIN, ROLE_VIEWER};
  const char *roles[2 * ROLE__COUNT + 1];
  int k = 0;
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    if (app_user_role_creatable(&r->actor, order[i])) {
      roles[k++] = role_code(order[i]);
      roles[k++] = role_name_zh(order[i]);
    }
  roles[k] = NULL;
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "新建用户"));
  if (ea) form_error_summary(r, ea);
  html_raw(r, "<form method=\"post\" action=\"/users\" class=\"grid\" autocomplete=\"off\">");
  form_csrf(r);
  form_input(r, "text", "username", "用户名", ea ? req_form_str(r, "username") : "", ea ? err_field_msg(ea, "username") : NULL,
             true, 32);
  form_input(r, "text", "display_name", "姓名", ea ? req_form_str(r, "display_name") : "",
             ea ? err_field_msg(ea, "display_name") : NULL, false, 60);
  form_select(r, "role", "角色", roles, ea ? req_form_str(r, "role") : "worker", ea ? err_field_msg(ea, "role") : NULL);
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "所属单位", .value = ea ? req_form_str(r, "org") : "",
                         .error_zh = ea ? err_field_msg(ea, "org") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_ANY});
  form_input(r, "password", "password", "初始密码（至少12个字符）", "", ea ? err_field_msg(ea, "password") : NULL, true, 128);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "新建"));

  const Err *ep = page_form_err(failed_form, "password", e);
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "重置密码"));
  if (ep) form_error_summary(r, ep);
  r->field_prefix = "reset"; /* (its fields repeat the add form's) */
  html(r, "<form method=\"post\" action=\"/users/password\" class=\"grid\" autocomplete=\"off\" data-confirm=\"%s\">",
       T(r, "确定重置该用户的密码吗？其现有登录将失效。"));
  form_csrf(r);
  form_input(r, "text", "username", "用户名", ep ? req_form_str(r, "username") : "", ep ? err_field_msg(ep, "username") : NULL,
             true, 32);
  form_input(r, "password", "password", "新密码（至少12个字符）", "", ep ? err_field_msg(ep, "password") : NULL, true, 128);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "重置密码"));
  r->field_prefix = NULL;
  free(users);
  page_end(r);
}

/* GET /users */
void page_user_list(Req *r) { page_user_render(r, NULL, NULL, req_query(r, "ok") ? "已保存" : NULL); }

/* Answers a POST: re-render with the error (its HTTP status) or redirect. */
static void page_user_after(Req *r, int rc, const Err *e, const char *form) {
  page_forms_after(r, rc, e, form, page_user_render, "/users?ok=1");
}

/* POST /users */
void page_user_create(Req *r) {
  Err e;
  err_clear(&e);
  UserRow u;
  int rc = app_user_add(&r->ctx, req_form_str(r, "username"), req_form_str(r, "display_name"), req_form_str(r, "role"),
                        req_form_str(r, "org"), req_form_str(r, "password"), &u, &e);
  page_user_after(r, rc, &e, "add");
}

/* POST /users/active */
void page_user_active(Req *r) {
  Err e;
  err_clear(&e);
  int rc = app_user_set_active(&r->ctx, req_form_str(r, "username"), strcmp(req_form_str(r, "active"), "1") == 0, &e);
  page_user_after(r, rc, &e, "active");
}

/* POST /users/password */
void page_user_password(Req *r) {
  Err e;
  err_clear(&e);
  int rc = app_user_reset_password(&r->ctx, req_form_str(r, "username"), req_form_str(r, "password"), &e);
  page_user_after(r, rc, &e, "password");
}
