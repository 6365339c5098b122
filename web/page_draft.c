/* web/page_draft.c: the form kept across an expired session (app/draft.h):
 * after signing in again its user sees what was typed and posts it again
 * (to where it was first posted, with the new session's tokens), or drops
 * it. web/server.c keeps the form and deletes it when it is posted again. */
#include <stdlib.h>
#include <string.h>
#include "app/draft.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/routes.h"

/* GET /draft: the kept form of the signed-in user, or a note that there is
 * none (any more). */
void page_draft_show(Req *r) {
  DraftRow d;
  Err e;
  err_clear(&e);
  int rc = draft_get(&r->ctx, req_cookie(r, DRAFT_COOKIE), &d, &e);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) {
    resp_error(r, &e);
    return;
  }
  Param fields[REQ_MAX_PARAMS];
  int n = 0;
  if (rc == ERR_OK && !req_parse_urlencoded(d.fields, strlen(d.fields), fields, &n)) rc = ERR_NOT_FOUND;
  page_begin(r, T(r, "恢复填写的内容"), false);
  html(r, "<h1>%s</h1>", T(r, "恢复填写的内容"));
  if (rc != ERR_OK) {
    resp_cookie(r, DRAFT_COOKIE, "", 0, true);
    html(r, "<p class=\"muted\">%s</p><p><a href=\"/\">%s</a></p>", T(r, "没有保留的内容（已提交、已放弃或已超过2小时）"),
         T(r, "返回首页"));
    req_params_free(fields, n);
    draft_row_free(&d);
    page_end(r);
    return;
  }
  html(r, "<div class=\"notice\" role=\"status\">%s</div>",
       T(r, "登录过期前您填写的内容已保留，尚未保存。请核对后提交。"));
  html(r, "<section class=\"card\"><form method=\"post\" action=\"%s\" class=\"draft\">", d.path);
  form_csrf(r);
  html_raw(r, "<input type=\"hidden\" name=\"_draft\" value=\"1\">");
  for (int i = 0; i < n; i++)
    html(r, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", fields[i].key, fields[i].val);
  html_raw(r, "<ul class=\"draft-values\">");
  /* what the user typed: not the form's own hidden values, not the codes
   * of the choices made (shown as chosen once the form is posted) */
  for (int i = 0; i < n; i++)
    if (fields[i].val[0] && strspn(fields[i].val, "abcdefghijklmnopqrstuvwxyz_") != strlen(fields[i].val) &&
        strcmp(fields[i].key, "back") != 0 && strcmp(fields[i].key, "version") != 0)
      html(r, "<li>%s</li>", fields[i].val);
  html(r, "</ul><p class=\"actions\"><button type=\"submit\">%s</button></p></form>", T(r, "提交保存"));
  html_raw(r, "<form method=\"post\" action=\"/draft/discard\">");
  form_csrf(r);
  html(r, "<button type=\"submit\" class=\"secondary\">%s</button></form></section>", T(r, "放弃这些内容"));
  req_params_free(fields, n);
  draft_row_free(&d);
  page_end(r);
}

/* POST /draft/discard: drops the kept form. */
void page_draft_discard(Req *r) {
  Err e;
  err_clear(&e);
  const char *id = req_cookie(r, DRAFT_COOKIE);
  if (id && draft_drop(&r->ctx, id, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  resp_cookie(r, DRAFT_COOKIE, "", 0, true);
  resp_redirect(r, "/");
}
