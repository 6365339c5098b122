/* web/page_org.c: the org-tree admin page (GET /orgs) of the district office:
 * the units of its scope as an indented tree with persons' units, and forms
 * to add, rename and move a unit (POST /orgs, /orgs/rename, /orgs/move). */
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/routes.h"

/* Chinese name of a level code. */
static const char *org_level_name(const char *level) {
  if (strcmp(level, "county") == 0) return "区/县";
  if (strcmp(level, "street") == 0) return "街道/乡镇";
  return "社区/村";
}

/* Renders the page; e and failed_form ("add", "rename", "move") show the
 * error beside the form that failed, notice a success message. */
static void page_org_render(Req *r, const Err *e, const char *failed_form, const char *notice) {
  OrgUnit *units = NULL;
  int n = 0;
  Err le;
  err_clear(&le);
  if (app_org_list(&r->ctx, &units, &n, &le) != ERR_OK) { resp_error(r, &le); return; }
  page_begin(r, T(r, "组织机构"), false);
  html(r, "<h1>%s</h1>", T(r, "组织机构"));
  if (notice) html(r, "<div class=\"notice\">%s</div>", T(r, notice));
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th></tr></thead><tbody>",
       T(r, "名称"), T(r, "编码"), T(r, "层级"), T(r, "户籍/常住/流动人口"));
  for (int i = 0; i < n; i++) {
    int depth = page_org_depth(units[i].path) - 1; /* the county at 0 */
    html(r, "<tr><td style=\"padding-left:%drem\">%s</td><td>%s</td><td>%s</td><td class=\"opt\">", depth > 0 ? depth : 0,
         units[i].name, units[i].code, T(r, org_level_name(units[i].level)));
    if (units[i].pop_registered >= 0)
      html(r, "%lld / %lld / %lld", (long long)units[i].pop_registered, (long long)units[i].pop_resident,
           (long long)units[i].pop_floating);
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table>");

  static const char *const levels[] = {"street", "街道/乡镇", "community", "社区/村", NULL};
  const Err *ea = failed_form && strcmp(failed_form, "add") == 0 ? e : NULL;
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "新增单位"));
  if (ea) form_error_summary(r, ea);
  html_raw(r, "<form method=\"post\" action=\"/orgs\" class=\"grid\">");
  form_csrf(r);
  form_input(r, "text", "code", "编码", ea ? req_form_str(r, "code") : "", ea ? err_field_msg(ea, "code") : NULL, true, 32);
  form_input(r, "text", "name", "名称", ea ? req_form_str(r, "name") : "", ea ? err_field_msg(ea, "name") : NULL, true, 60);
  form_select(r, "level", "层级", levels, ea ? req_form_str(r, "level") : "community", ea ? err_field_msg(ea, "level") : NULL);
  form_input(r, "text", "parent", "上级单位编码", ea ? req_form_str(r, "parent") : "", ea ? err_field_msg(ea, "parent") : NULL,
             true, 32);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "新增"));

  const Err *er = failed_form && strcmp(failed_form, "rename") == 0 ? e : NULL;
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "更名"));
  if (er) form_error_summary(r, er);
  r->field_prefix = "rename"; /* (its fields repeat the add form's) */
  html_raw(r, "<form method=\"post\" action=\"/orgs/rename\" class=\"grid\">");
  form_csrf(r);
  form_input(r, "text", "code", "编码", er ? req_form_str(r, "code") : "", er ? err_field_msg(er, "code") : NULL, true, 32);
  form_input(r, "text", "name", "新名称", er ? req_form_str(r, "name") : "", er ? err_field_msg(er, "name") : NULL, true, 60);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "更名"));

  const Err *em = failed_form && strcmp(failed_form, "move") == 0 ? e : NULL;
  html(r, "<section class=\"card\"><h2>%s</h2><p class=\"muted\">%s</p>", T(r, "调整隶属关系"),
       T(r, "单位连同其下级单位和人员档案一并移动。"));
  if (em) form_error_summary(r, em);
  r->field_prefix = "move";
  html(r, "<form method=\"post\" action=\"/orgs/move\" class=\"grid\" data-confirm=\"%s\">",
       T(r, "确定移动该单位及其全部下级和人员吗？"));
  form_csrf(r);
  form_input(r, "text", "code", "编码", em ? req_form_str(r, "code") : "", em ? err_field_msg(em, "code") : NULL, true, 32);
  form_input(r, "text", "parent", "新上级单位编码", em ? req_form_str(r, "parent") : "", em ? err_field_msg(em, "parent") : NULL,
             true, 32);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "移动"));
  r->field_prefix = NULL;
  free(units);
  page_end(r);
}

/* GET /orgs */
void page_org_list(Req *r) {
  const char *ok = req_query(r, "ok");
  page_org_render(r, NULL, NULL, ok ? "已保存" : NULL);
}

/* Answers a POST: re-render with the error (its HTTP status) or redirect. */
static void page_org_after(Req *r, int rc, const Err *e, const char *form) {
  page_forms_after(r, rc, e, form, page_org_render, "/orgs?ok=1");
}

/* POST /orgs */
void page_org_create(Req *r) {
  Err e;
  err_clear(&e);
  OrgUnit u;
  const char *parent = req_form(r, "parent");
  int rc = app_org_add(&r->ctx, req_form_str(r, "code"), req_form_str(r, "name"),
                       req_form_str(r, "level"), parent && *parent ? parent : NULL, &u, &e);
  page_org_after(r, rc, &e, "add");
}

/* POST /orgs/rename */
void page_org_rename(Req *r) {
  Err e;
  err_clear(&e);
  int rc = app_org_rename(&r->ctx, req_form_str(r, "code"),
                          req_form_str(r, "name"), &e);
  page_org_after(r, rc, &e, "rename");
}

/* POST /orgs/move */
void page_org_move(Req *r) {
  Err e;
  err_clear(&e);
  int rc = app_org_move(&r->ctx, req_form_str(r, "code"),
                        req_form_str(r, "parent"), &e);
  page_org_after(r, rc, &e, "move");
}
