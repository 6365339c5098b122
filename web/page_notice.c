/* web/page_notice.c: a user's notices (app/notice.h), both faces: the
 * section of the workbench that lists the unread ones (page_notice_section,
 * called by web/page_work.c) with the forms that mark them read (POST
 * /notices/read), and the API (GET /api/v1/notices, POST
 * /api/v1/notices/{id}/read, POST /api/v1/notices/read). Parses requests,
 * calls app/, renders; nothing else. */
#include <stdlib.h>
#include <string.h>
#include "app/approval.h"
#include "app/notice.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/json.h"
#include "web/page.h"
#include "web/routes.h"

#define NOTICE_SHOWN 20 /* unread notices on the workbench */

/* What a notice says beyond its kind: the approval, its kind and decision. */
static void pn_detail(Req *r, const Notice *n) {
  if (!n->approval_id) return;
  html(r, " · <a href=\"/approvals/%lld\">%s</a> <span class=\"badge st-%s\">%s</span>", (long long)n->approval_id,
       T(r, page_or(approval_kind_name_zh(n->approval_kind), n->approval_kind)), n->approval_state,
       T(r, page_or(approval_state_name_zh(n->approval_state), n->approval_state)));
  if (n->decision_reason[0]) html(r, " %s", n->decision_reason);
}

void page_notice_section(Req *r) {
  Notice *items = NULL;
  int n = 0;
  int64_t unread = 0;
  Err e;
  err_clear(&e);
  if (app_notice_list(&r->ctx, true, NOTICE_SHOWN, &items, &n, &unread, &e) != ERR_OK || n == 0) {
    free(items);
    return;
  }
  html(r, "<section class=\"card notices\" id=\"notices\"><h2>%s <span class=\"count\">%lld</span></h2><ul class=\"notice-list\">",
       T(r, "通知"), (long long)unread);
  for (int i = 0; i < n; i++) {
    char at[DATE_TIME_SHORT_LEN];
    html(r, "<li><span class=\"muted\">%s</span> %s：<a href=\"/persons/%lld\">%s</a>", date_time_short(items[i].created_at, at),
         T(r, notice_kind_name_zh(items[i].kind)), (long long)items[i].person_id, items[i].person_name);
    pn_detail(r, &items[i]);
    html(r, " <form method=\"post\" action=\"/notices/read\" class=\"inline\">");
    form_csrf(r);
    html(r, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><button type=\"submit\" class=\"small secondary\">%s</button>"
            "</form></li>",
         (long long)items[i].id, T(r, "知道了"));
  }
  html_raw(r, "</ul><form method=\"post\" action=\"/notices/read\">");
  form_csrf(r);
  html(r, "<input type=\"hidden\" name=\"id\" value=\"0\"><button type=\"submit\" class=\"small secondary\">%s</button></form>"
          "</section>",
       T(r, "全部标为已读"));
  free(items);
}

/* POST /notices/read (id: one notice, 0: all): back to the workbench. */
void page_notice_read(Req *r) {
  const char *id = req_form_str(r, "id");
  Err e;
  err_clear(&e);
  if (app_notice_read(&r->ctx, strtoll(id, NULL, 10), NULL, &e) != ERR_OK && e.code != ERR_NOT_FOUND) {
    resp_error(r, &e);
    return;
  }
  resp_redirect(r, "/work"); /* one read twice (another tab) is no error to show */
}

/* GET /api/v1/notices?unread=1&limit= → {"items":[{id,kind,person_id,
 * person_name,approval_id,approval_kind,approval_state,decision_reason,
 * created_at,read_at}],"total":N (shown),"unread":U}. */
void api_notice_list(Req *r) {
  Err e;
  err_clear(&e);
  const char *un = req_query(r, "unread");
  if (un && *un && strcmp(un, "0") != 0 && strcmp(un, "1") != 0) err_field(&e, "unread", "应为 0 或 1");
  int limit = (int)json_query_int(r, "limit", 50, 200, &e);
  Notice *items = NULL;
  int n = 0;
  int64_t unread = 0;
  if (e.code == ERR_OK) app_notice_list(&r->ctx, un && strcmp(un, "1") == 0, limit, &items, &n, &unread, &e);
  if (e.code != ERR_OK) {
    free(items);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key(&w, "items");
  jw_arr_begin(&w);
  for (int i = 0; i < n; i++) {
    const Notice *x = &items[i];
    jw_obj_begin(&w);
    jw_key_int(&w, "id", (long long)x->id);
    jw_key_str(&w, "kind", x->kind);
    jw_key_str(&w, "text", notice_kind_name_zh(x->kind));
    jw_key_int(&w, "person_id", (long long)x->person_id);
    jw_key_str(&w, "person_name", x->person_name);
    jw_key(&w, "approval_id");
    jw_int_or_null(&w, x->approval_id > 0, (long long)x->approval_id);
    jw_key_str_or_null(&w, "approval_kind", x->approval_kind);
    jw_key_str_or_null(&w, "approval_state", x->approval_state);
    jw_key_str_or_null(&w, "decision_reason", x->decision_reason);
    jw_key_str(&w, "created_at", x->created_at);
    jw_key_str_or_null(&w, "read_at", x->read_at);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_key_int(&w, "total", n);
  jw_key_int(&w, "unread", (long long)unread);
  jw_obj_end(&w);
  json_end(r, &w, 200);
  free(items);
}

/* Marks notice id (0: all) read and answers {"read": N}. */
static void pn_api_read(Req *r, int64_t id) {
  Err e;
  err_clear(&e);
  int64_t k = 0;
  if (!page_ok(r, app_notice_read(&r->ctx, id, &k, &e), &e)) return;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_int(&w, "read", (long long)k);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* POST /api/v1/notices/{id}/read → {"read":1}; 404 when it is not an
 * unread notice of the caller. */
void api_notice_read(Req *r) { pn_api_read(r, r->ids[0]); }

/* POST /api/v1/notices/read → {"read":N}: every unread notice. */
void api_notice_read_all(Req *r) { pn_api_read(r, 0); }
