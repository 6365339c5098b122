/* web/page_rules.c: the schedule rules of the district office (/rules):
 * the presets and custom rules, the form that creates or changes a custom
 * rule, which unit uses which rule (its own, inherited or the default) and
 * the form that sets it. Parses forms, calls app/, renders; nothing else. */
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "app/schedule_rule.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/routes.h"

/* Renders the rules page; which: the form that failed ("rule", "assign" or
 * NULL) with e. */
static void rules_page(Req *r, const char *which, const Err *e) {
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
  int top = page_org_top_depth(units, nu);
  for (int i = 0; i < nu; i++) {
    html_raw(r, "<tr><td>");
    page_org_indent(r, units[i].path, top);
    html(r, "%s（%s）</td><td><code>%s</code></td><td>", units[i].name, units[i].code, page_or(ori[i].rule_code, "default"));
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
void page_rules(Req *r) { rules_page(r, NULL, NULL); }

/* Answers a failed rules form: the page again for bad input, else the error. */
static void rules_failed(Req *r, const char *which, const Err *e) {
  if (!page_form_failed(r, e)) return;
  rules_page(r, which, e);
  r->status = err_http_status(e->code);
}

/* POST /rules (code, name, spec): creates or updates a custom rule. */
void page_rules_save(Req *r) {
  Err e;
  err_clear(&e);
  bool created = false;
  if (app_schedule_rule_save(&r->ctx, req_form_str(r, "code"), req_form_str(r, "name"), req_form_str(r, "spec"),
                             &created, &e) != ERR_OK) {
    rules_failed(r, "rule", &e);
    return;
  }
  resp_redirect(r, "/rules?saved=1");
}

/* POST /rules/assign (org, rule; rule "" = inherit again). */
void page_rules_assign(Req *r) {
  Err e;
  err_clear(&e);
  if (app_schedule_rule_set_org(&r->ctx, req_form_str(r, "org"), req_form_str(r, "rule"), &e) != ERR_OK) {
    rules_failed(r, "assign", &e);
    return;
  }
  resp_redirect(r, "/rules?saved=1");
}
