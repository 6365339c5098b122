/* web/page_read_alert.c: the unusual-reading alerts (app/read_limit.h),
 * both faces: the workbench section of an office (page_read_alert_section,
 * called by web/page_work.c) listing the open alerts of its scope with the
 * form that acknowledges one (POST /read_alerts/{id}/ack), and the API (GET
 * /api/v1/read_alerts, POST /api/v1/read_alerts/{id}/ack). Parses
 * requests, calls app/, renders; nothing else. */
#include <stdlib.h>
#include "app/read_limit.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/json.h"
#include "web/page.h"
#include "web/routes.h"

void page_read_alert_section(Req *r) {
  ReadAlertRow *items = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_read_alert_list(&r->ctx, &items, &n, &e) != ERR_OK || n == 0) {
    free(items);
    return;
  }
  html(r, "<section class=\"card notices read-alerts\" id=\"read-alerts\"><h2>%s <span class=\"count\">%d</span></h2>"
          "<p class=\"muted\">%s</p><ul class=\"notice-list\">",
       T(r, "异常读取提醒"), n, T(r, "以下人员短时间内读取档案超过上限，已被暂停读取。批量读取档案是此类信息泄露的常见途径，请核实。"));
  for (int i = 0; i < n; i++) {
    char at[DATE_TIME_SHORT_LEN];
    html(r, "<li><span class=\"muted\">%s</span> %s（%s，%s）：%s %d %s", date_time_short(items[i].at, at),
         items[i].display_name[0] ? items[i].display_name : items[i].username, items[i].username, items[i].org_name,
         T(r, "每分钟读取档案超过"), items[i].per_minute, T(r, "份"));
    html(r, " <form method=\"post\" action=\"/read_alerts/%lld/ack\" class=\"inline\">", (long long)items[i].id);
    form_csrf(r);
    html(r, "<button type=\"submit\" class=\"small secondary\">%s</button></form></li>", T(r, "已核实"));
  }
  html_raw(r, "</ul></section>");
  free(items);
}

/* POST /read_alerts/{id}/ack: back to the workbench. */
void page_read_alert_ack(Req *r) {
  Err e;
  err_clear(&e);
  if (app_read_alert_ack(&r->ctx, r->ids[0], &e) != ERR_OK && e.code != ERR_CONFLICT) {
    resp_error(r, &e);
    return;
  }
  resp_redirect(r, "/work"); /* acknowledged twice (another tab) is no error to show */
}

/* One alert of the API's list. */
static const JwField ra_fields[] = {
  JW_AT(ReadAlertRow, id, JF_I64), JW_AS("user", ReadAlertRow, username, JF_STR),
  JW_AS("user_name", ReadAlertRow, display_name, JF_STR), JW_AT(ReadAlertRow, org_name, JF_STR),
  JW_AT(ReadAlertRow, at, JF_STR), JW_AT(ReadAlertRow, per_minute, JF_INT), {0}};
static void ra_json(JsonW *w, const void *item) { jw_record(w, ra_fields, item); }
static int ra_fetch(Ctx *c, void *rows, int *n, Err *e) { return app_read_alert_list(c, rows, n, e); }

/* GET /api/v1/read_alerts → {"items":[{id,user,user_name,org_name,at,
 * per_minute}],"total":N,...}: the open alerts the caller may acknowledge. */
void api_read_alert_list(Req *r) { json_list_fetch_all(r, ra_fetch, sizeof(ReadAlertRow), ra_json); }

/* POST /api/v1/read_alerts/{id}/ack → {"acked": id}. */
void api_read_alert_ack(Req *r) {
  Err e;
  err_clear(&e);
  if (!page_ok(r, app_read_alert_ack(&r->ctx, r->ids[0], &e), &e)) return;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_int(&w, "acked", (long long)r->ids[0]);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}
