/* web/page_org.c: the org-tree admin page (GET /orgs) of the district office:
 * the units of its scope as a tree (nested lists), and forms to add, rename
 * and move a unit (POST /orgs, /orgs/rename, /orgs/move), each unit chosen
 * by name (web/org_pick.h). */
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/routes.h"

/* Chinese name of a level code. */
static const char *org_level_name(const char *level) {
  if (strcmp(level, "county") == 0) return "区/县";
  if (strcmp(level, "street") == 0) return "街道/乡镇";
  return "社区/村";
}

/* The units[0..n) (tree order: a parent before its children) as nested
 * lists: each unit's name, level, code and population figures. */
static void page_org_tree(Req *r, const OrgUnit *units, int n) {
  int top = page_org_top_depth(units, n), cur = -1;
  html_raw(r, "<ul class=\"tree\">");
  for (int i = 0; i < n; i++) {
    const OrgUnit *u = &units[i];
    int d = page_org_depth(u->path) - top;
    if (cur >= 0 && d > cur) {
      html_raw(r, "<ul>"); /* the first child of the unit still open */
      d = cur + 1;
    } else if (cur >= 0) {
      html_raw(r, "</li>");
      for (; cur > d; cur--) html_raw(r, "</ul></li>");
    }
    cur = d;
    html(r, "<li class=\"lvl-%s\"><div class=\"unit\"><strong>%s</strong> <span class=\"badge\">%s</span> "
            "<span class=\"muted\">%s</span>",
         u->level, u->name, T(r, org_level_name(u->level)), u->code);
    if (u->division[0]) html(r, " <span class=\"muted\">%s %s</span>", T(r, "行政区划代码"), u->division);
    if (u->pop_registered >= 0)
      html(r, " <span class=\"muted\">%s %lld / %lld / %lld</span>", T(r, "户籍/常住/流动人口"),
           (long long)u->pop_registered, (long long)u->pop_resident, (long long)u->pop_floating);
    html_raw(r, "</div>");
  }
  if (cur >= 0) html_raw(r, "</li>");
  for (; cur > 0; cur--) html_raw(r, "</ul></li>");
  html_raw(r, "</ul>");
}

/* Renders the page; e and failed_form ("add", "rename", "move") show the
 * error beside the form that failed, notice a success message. */
/* Opens the card of form (its title, note_zh below it when not NULL) and
 * returns e when form is the one that failed (failed_form), its summary
 * shown; else NULL. */
static const Err *page_org_section(Req *r, const char *form, const char *failed_form, const Err *e, const char *title_zh,
                              const char *note_zh) {
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, title_zh));
  if (note_zh) html(r, "<p class=\"muted\">%s</p>", T(r, note_zh));
  const Err *fe = page_form_err(failed_form, form, e);
  if (fe) form_error_summary(r, fe);
  return fe;
}

static void page_org_render(Req *r, const Err *e, const char *failed_form, const char *notice) {
  OrgUnit *units = NULL;
  int n = 0;
  Err le;
  err_clear(&le);
  if (!page_forms_begin(r, app_org_list(&r->ctx, &units, &n, &le), &le, "组织机构", notice)) return;
  page_org_tree(r, units, n);

  static const char *const levels[] = {"street", "街道/乡镇", "community", "社区/村", NULL};
  const Err *ea = page_org_section(r, "add", failed_form, e, "新增单位", NULL);
  html_raw(r, "<form method=\"post\" action=\"/orgs\" class=\"grid\">");
  form_csrf(r);
  form_input(r, "text", "code", "编码", ea ? req_form_str(r, "code") : "", ea ? err_field_msg(ea, "code") : NULL, true, 32);
  form_input(r, "text", "name", "名称", ea ? req_form_str(r, "name") : "", ea ? err_field_msg(ea, "name") : NULL, true, 60);
  form_select(r, "level", "层级", levels, ea ? req_form_str(r, "level") : "community", ea ? err_field_msg(ea, "level") : NULL);
  org_pick(r, &(OrgPick){.name = "parent", .label_zh = "上级单位", .value = ea ? req_form_str(r, "parent") : "",
                         .error_zh = ea ? err_field_msg(ea, "parent") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_COUNTY | PICK_STREET});
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "新增"));

  const Err *er = page_org_section(r, "rename", failed_form, e, "更名", NULL);
  r->field_prefix = "rename"; /* (its fields repeat the add form's) */
  html_raw(r, "<form method=\"post\" action=\"/orgs/rename\" class=\"grid\">");
  form_csrf(r);
  org_pick(r, &(OrgPick){.name = "code", .label_zh = "单位", .value = er ? req_form_str(r, "code") : "",
                         .error_zh = er ? err_field_msg(er, "code") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_ANY});
  form_input(r, "text", "name", "新名称", er ? req_form_str(r, "name") : "", er ? err_field_msg(er, "name") : NULL, true, 60);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "更名"));

  const Err *ed = page_org_section(r, "division", failed_form, e, "行政区划代码",
                               "区/县6位、街道/乡镇9位、社区/村12位，以上级单位的代码开头；用于统计户籍在本地、在外地帮教的人员（人户分离）。留空则清除。");
  r->field_prefix = "division";
  html_raw(r, "<form method=\"post\" action=\"/orgs/division\" class=\"grid\">");
  form_csrf(r);
  org_pick(r, &(OrgPick){.name = "code", .label_zh = "单位", .value = ed ? req_form_str(r, "code") : "",
                         .error_zh = ed ? err_field_msg(ed, "code") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_ANY});
  form_input(r, "text", "division", "行政区划代码", ed ? req_form_str(r, "division") : "",
             ed ? err_field_msg(ed, "division") : NULL, false, 12);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></section>", T(r, "保存"));

  const Err *em = page_org_section(r, "move", failed_form, e, "调整隶属关系", "单位连同其下级单位和人员档案一并移动。");
  r->field_prefix = "move";
  html(r, "<form method=\"post\" action=\"/orgs/move\" class=\"grid\" data-confirm=\"%s\">",
       T(r, "确定移动该单位及其全部下级和人员吗？"));
  form_csrf(r);
  org_pick(r, &(OrgPick){.name = "code", .label_zh = "要移动的单位", .value = em ? req_form_str(r, "code") : "",
                         .error_zh = em ? err_field_msg(em, "code") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_STREET | PICK_COMMUNITY});
  org_pick(r, &(OrgPick){.name = "parent", .label_zh = "新上级单位", .value = em ? req_form_str(r, "parent") : "",
                         .error_zh = em ? err_field_msg(em, "parent") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_COUNTY | PICK_STREET});
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

/* POST /orgs */
void page_org_create(Req *r) {
  Err e;
  err_clear(&e);
  OrgUnit u;
  const char *parent = req_form(r, "parent");
  int rc = app_org_add(&r->ctx, req_form_str(r, "code"), req_form_str(r, "name"),
                       req_form_str(r, "level"), parent && *parent ? parent : NULL, &u, &e);
  page_forms_after(r, rc, &e, "add", page_org_render, "/orgs?ok=1");
}

/* Answers the post of form, a unit ("code") and one more field: fn on
 * them, then the page again with the error or the redirect. */
static void page_org_post(Req *r, int (*fn)(Ctx *, const char *, const char *, Err *), const char *field,
                          const char *form) {
  Err e;
  err_clear(&e);
  int rc = fn(&r->ctx, req_form_str(r, "code"), req_form_str(r, field), &e);
  page_forms_after(r, rc, &e, form, page_org_render, "/orgs?ok=1");
}

/* POST /orgs/division: the unit's administrative division code */
void page_org_division(Req *r) { page_org_post(r, app_org_set_division, "division", "division"); }

/* POST /orgs/rename */
void page_org_rename(Req *r) { page_org_post(r, app_org_rename, "name", "rename"); }

/* POST /orgs/move */
void page_org_move(Req *r) { page_org_post(r, app_org_move, "parent", "move"); }
