/* web/page_auth.c: signing in and out, the language switch, the home
 * redirect and the account page (password change, language preference). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "app/auth.h"
#include "app/draft.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/routes.h"

#define SESSION_COOKIE "jd_session"

/* true when next is a local path safe to redirect to ("/x", not "//host").
 * No control characters at all: browsers drop tabs and newlines from a URL
 * before parsing it, so "/\t/host" would become "//host". */
static bool auth_safe_next(const char *next) {
  if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) >= 512) return false;
  for (const unsigned char *p = (const unsigned char *)next; *p; p++)
    if (*p < 0x20 || *p == 0x7f) return false;
  return true;
}

/* Renders the sign-in form; e may carry the previous attempt's error. */
static void page_login_render(Req *r, const char *username, const Err *e) {
  page_begin(r, T(r, "登录"), false);
  html(r, "<section class=\"card login\"><h1>%s</h1>", T(r, "登录"));
  if (e && e->code != ERR_OK) html(r, "<div class=\"alert\" role=\"alert\">%s</div>", T(r, e->msg));
  const char *next = req_query(r, "next");
  if (!next) next = req_form(r, "next");
  /* sent here by a form posted after the session expired (web/server.c) */
  if (next && strcmp(next, "/draft") == 0 && req_cookie(r, DRAFT_COOKIE) && !(e && e->code != ERR_OK))
    html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "登录已过期，请重新登录，您填写的内容已保留"));
  html_raw(r, "<form method=\"post\" action=\"/login\">");
  if (auth_safe_next(next)) html(r, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
  form_input(r, "text", "username", "用户名", username, NULL, true, 32);
  form_input(r, "password", "password", "密码", "", NULL, true, 128);
  html(r, "<p><button type=\"submit\">%s</button></p></form></section>", T(r, "登录"));
  page_end(r);
}

/* GET /: the start page is the workbench (工作台) for those who read case
 * files; the account page for the others. */
void page_home(Req *r) { resp_redirect(r, actor_can(&r->actor, PERM_PERSON_READ) ? "/work" : "/account"); }

/* GET /login */
void page_login_form(Req *r) {
  if (r->authed) { resp_redirect(r, "/"); return; }
  page_login_render(r, "", NULL);
}

/* POST /login: no session yet, so no CSRF token. A form posted from
 * another site (login CSRF: the victim signed in as the attacker, typing
 * case data into the attacker's account) is refused when the browser says
 * so (Sec-Fetch-Site: cross-site, sent by current browsers; the Host and
 * Origin headers are not compared: behind a proxy Host is the proxy's
 * upstream). */
void page_login_submit(Req *r) {
  const char *username = req_form(r, "username");
  const char *password = req_form(r, "password");
  Err e;
  err_clear(&e);
  const char *site = req_header(r, "Sec-Fetch-Site");
  if (site && strcasecmp(site, "cross-site") == 0) {
    err_set(&e, ERR_FORBIDDEN, "登录请求来自其他网站，已拒绝；请在本系统的登录页登录");
    page_login_render(r, "", &e);
    r->status = 403;
    return;
  }
  char token[65], csrf[65];
  Actor actor;
  if (!username || !password || !*username || !*password) {
    err_set(&e, ERR_UNAUTHORIZED, "请输入用户名和密码");
    r->status = 401;
    page_login_render(r, username ? username : "", &e);
    r->status = 401;
    return;
  }
  if (auth_login(&r->ctx, username, password, r->address, "cookie", token, csrf, &actor, &e) != ERR_OK) {
    page_login_render(r, username, &e);
    r->status = err_http_status(e.code);
    if (e.code == ERR_THROTTLED) resp_header(r, "Retry-After", "900");
    return;
  }
  resp_cookie(r, SESSION_COOKIE, token, -1, true);
  const char *next = req_form(r, "next");
  /* A form kept while signed out goes to its own user only (app/draft.h). */
  bool draft = false;
  const char *draft_id = req_cookie(r, DRAFT_COOKIE);
  if (draft_id && *draft_id) {
    Ctx as = r->ctx;
    as.actor = &actor;
    err_clear(&e);
    if (draft_claim(&as, draft_id, &draft, &e) != ERR_OK) draft = false;
    if (!draft) resp_cookie(r, DRAFT_COOKIE, "", 0, true);
  }
  if (draft) resp_redirect(r, "/draft");
  else resp_redirect(r, auth_safe_next(next) && strcmp(next, "/draft") != 0 ? next : "/");
}

/* POST /logout */
void page_logout(Req *r) {
  Err e;
  err_clear(&e);
  auth_logout(&r->ctx, r->token, &e);
  resp_cookie(r, SESSION_COOKIE, "", 0, true);
  resp_redirect(r, "/login");
}

/* GET /lang?to=en|zh&back=/path[&_csrf=TOKEN]: switches the language (a
 * cookie; also the signed-in user's preference, a write, only when the link
 * carries the session's CSRF token: this is a GET that any site can link). */
void page_lang(Req *r) {
  const char *to = req_query(r, "to");
  const char *back = req_query(r, "back");
  if (!to || (strcmp(to, "en") != 0 && strcmp(to, "zh") != 0)) { resp_fail(r, ERR_INVALID, "不支持的语言"); return; }
  resp_cookie(r, "jd_lang", to, 365L * 24 * 3600, false);
  if (r->authed && auth_csrf_equal(r->csrf, req_query(r, "_csrf"))) {
    Err e;
    err_clear(&e);
    auth_set_lang(&r->ctx, to, &e); /* a failure only loses the preference */
  }
  resp_redirect(r, auth_safe_next(back) ? back : "/");
}

/* Renders the account page with an optional error or notice. */
static void page_account_render(Req *r, const Err *e, bool changed) {
  page_begin(r, T(r, "我的账号"), false);
  html(r, "<h1>%s</h1><section class=\"card\"><dl class=\"kv\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
          "<dt>%s</dt><dd>%s</dd></dl></section>",
       T(r, "我的账号"), T(r, "用户名"), r->actor.username, T(r, "角色"), T(r, role_name_zh(r->actor.role)),
       T(r, "所属单位"), r->actor.org_name);
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "修改密码"));
  if (changed) html(r, "<div class=\"notice\">%s</div>", T(r, "密码已修改，其他设备上的登录已失效"));
  if (e) form_error_summary(r, e);
  html_raw(r, "<form method=\"post\" action=\"/account/password\">");
  form_csrf(r);
  form_input(r, "password", "old_password", "原密码", "", e ? err_field_msg(e, "old_password") : NULL, true, 128);
  form_input(r, "password", "new_password", "新密码（至少12个字符）", "", e ? err_field_msg(e, "new_password") : NULL,
             true, 128);
  html(r, "<p><button type=\"submit\">%s</button></p></form></section>", T(r, "修改密码"));
  html(r, "<section class=\"card\"><h2>%s</h2><p class=\"muted\">%s</p>"
          "<form method=\"post\" action=\"/account/calendar\" data-confirm=\"%s\">",
       T(r, "日历订阅"), T(r, "订阅地址见工作台。地址泄露时请重新生成，旧地址随即失效。"),
       T(r, "确定重新生成日历订阅地址吗？旧地址将失效。"));
  form_csrf(r);
  html(r, "<button type=\"submit\" class=\"secondary\">%s</button></form></section>", T(r, "重新生成订阅地址"));
  page_end(r);
}

/* GET /account */
void page_account(Req *r) { page_account_render(r, NULL, req_query(r, "changed") != NULL); }

/* POST /account/calendar: issues a new calendar feed token (the old feed
 * URL stops working) and goes to the workbench where the URL is shown. */
void page_account_calendar(Req *r) {
  Err e;
  err_clear(&e);
  char token[65];
  if (auth_calendar_rotate(&r->ctx, token, &e) != ERR_OK) { resp_error(r, &e); return; }
  sodium_memzero(token, sizeof token);
  resp_redirect(r, "/work");
}

/* POST /account/password */
void page_account_password(Req *r) {
  Err e;
  err_clear(&e);
  const char *old_pw = req_form(r, "old_password");
  const char *new_pw = req_form(r, "new_password");
  if (auth_change_password(&r->ctx, old_pw ? old_pw : "", new_pw ? new_pw : "", r->token, &e) != ERR_OK) {
    page_account_render(r, &e, false);
    r->status = err_http_status(e.code);
    return;
  }
  resp_redirect(r, "/account?changed=1");
}
