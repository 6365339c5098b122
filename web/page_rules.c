/* web/page_rules.c: the schedule rules of the district office (/rules):
 * the presets and custom rules, the form that creates or changes a custom
 * rule (a table of tiers written as the spec text of core/schedule.h, the
 * text itself as an advanced field), which unit uses which rule (its own, inherited or the default) and
 * the form that sets it. Parses forms, calls app/, renders; nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "app/schedule_rule.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/routes.h"

/* The tiers of the base table the form shows, as typed (posted) or from a
 * rule: SCHED_MAX_TIERS rows of until/talk/test texts, release, caps. */
typedef struct RulesForm {
  char until[SCHED_MAX_TIERS][8], talk[SCHED_MAX_TIERS][8], test[SCHED_MAX_TIERS][8];
  char release[8], high[8], medium[8], ahead[12];
} RulesForm;

/* Fills f from rule ru (the empty rows left ""). */
static void rules_form_from_rule(RulesForm *f, const ScheduleRule *ru) {
  memset(f, 0, sizeof *f);
  for (int i = 0; i < ru->base.ntiers && i < SCHED_MAX_TIERS; i++) {
    snprintf(f->until[i], sizeof f->until[i], "%d", ru->base.tiers[i].until_months);
    snprintf(f->talk[i], sizeof f->talk[i], "%d", ru->base.tiers[i].talk_months);
    snprintf(f->test[i], sizeof f->test[i], "%d", ru->base.tiers[i].test_months);
  }
  snprintf(f->release, sizeof f->release, "%d", ru->release_months);
  snprintf(f->ahead, sizeof f->ahead, "%d", ru->release_ahead_days > 0 ? ru->release_ahead_days : SCHED_RELEASE_AHEAD_DEFAULT);
  if (ru->high_max_months) snprintf(f->high, sizeof f->high, "%d", ru->high_max_months);
  if (ru->medium_max_months) snprintf(f->medium, sizeof f->medium, "%d", ru->medium_max_months);
}

/* Fills f from the posted form (values cut to the field's size). */
static void rules_form_from_post(Req *r, RulesForm *f) {
  memset(f, 0, sizeof *f);
  const char *u[SCHED_MAX_TIERS], *ta[SCHED_MAX_TIERS], *te[SCHED_MAX_TIERS];
  int nu = req_form_all(r, "tier_until", u, SCHED_MAX_TIERS), nta = req_form_all(r, "tier_talk", ta, SCHED_MAX_TIERS),
      nte = req_form_all(r, "tier_test", te, SCHED_MAX_TIERS);
  for (int i = 0; i < SCHED_MAX_TIERS; i++) {
    str_copy(f->until[i], sizeof f->until[i], i < nu ? u[i] : "");
    str_copy(f->talk[i], sizeof f->talk[i], i < nta ? ta[i] : "");
    str_copy(f->test[i], sizeof f->test[i], i < nte ? te[i] : "");
  }
  str_copy(f->release, sizeof f->release, req_form_str(r, "release"));
  str_copy(f->ahead, sizeof f->ahead, req_form_str(r, "release_ahead"));
  str_copy(f->high, sizeof f->high, req_form_str(r, "high"));
  str_copy(f->medium, sizeof f->medium, req_form_str(r, "medium"));
}

/* The number in s (1..999) into *v; "" is 0 when empty_ok. false otherwise. */
static bool rules_int(const char *s, bool empty_ok, int *v) {
  *v = 0;
  if (!*s) return empty_ok;
  char *end;
  long x = strtol(s, &end, 10);
  if (*end || x < 0 || x > 999) return false;
  *v = (int)x;
  return true;
}

/* The spec text of the tiers form f into spec (SCHED_SPEC_MAX bytes), by
 * core/schedule.h's formatter; rows left empty are skipped. A number that
 * is none is a field error ("tiers") in e. */
static void rules_form_spec(const RulesForm *f, char *spec, Err *e) {
  ScheduleRule ru;
  memset(&ru, 0, sizeof ru);
  bool ok = true;
  for (int i = 0; i < SCHED_MAX_TIERS; i++) {
    if (!*f->until[i] && !*f->talk[i] && !*f->test[i]) continue;
    ScheduleTier *t = &ru.base.tiers[ru.base.ntiers++];
    ok = ok && rules_int(f->until[i], false, &t->until_months) && rules_int(f->talk[i], false, &t->talk_months) &&
         rules_int(f->test[i], false, &t->test_months);
  }
  if (!ok) err_field(e, "tiers", "每一档的月数都应填写为整数");
  if (!rules_int(f->release, false, &ru.release_months)) err_field(e, "release", "请填写满多少个月可提请解除（整数）");
  if (!rules_int(f->ahead, true, &ru.release_ahead_days)) err_field(e, "release_ahead", "请填写出所前提前列入待办的天数（整数），或留空");
  if (!rules_int(f->high, true, &ru.high_max_months)) err_field(e, "high", "请填写整数月数，或留空");
  if (!rules_int(f->medium, true, &ru.medium_max_months)) err_field(e, "medium", "请填写整数月数，或留空");
  schedule_rule_format(&ru, spec, SCHED_SPEC_MAX);
}

/* The form that creates or changes a custom rule: code, name, a table of
 * tiers (from month, below month, talk every, test every), release and the
 * caps by risk, and the spec text as an advanced field (the API's form;
 * when filled it is used as it is). Filled from the post that failed (e),
 * else from the rule ?from=CODE (a preset as a template, or a custom rule
 * to change), else empty. */
static void rules_form(Req *r, const Err *e, const ScheduleRuleInfo *rules, int nr) {
  RulesForm f;
  memset(&f, 0, sizeof f);
  const char *code = "", *name = "", *spec = "";
  const char *from = page_s(req_query(r, "from"));
  if (e) {
    rules_form_from_post(r, &f);
    code = req_form_str(r, "code");
    name = req_form_str(r, "name");
    spec = req_form_str(r, "spec");
  } else {
    strcpy(f.release, "36");
    snprintf(f.ahead, sizeof f.ahead, "%d", SCHED_RELEASE_AHEAD_DEFAULT);
    for (int i = 0; i < nr && *from; i++) {
      if (strcmp(rules[i].code, from) != 0) continue;
      ScheduleRule ru;
      Err pe;
      err_clear(&pe);
      memset(&ru, 0, sizeof ru);
      if (schedule_rule_parse(rules[i].spec, &ru, &pe) != ERR_OK) break;
      rules_form_from_rule(&f, &ru);
      if (!rules[i].preset) {
        code = rules[i].code;
        name = rules[i].name;
      }
      for (int s = 0; s < ST__COUNT; s++) /* tables by status: only the text form holds them */
        if (ru.by_status[s].ntiers > 0) spec = rules[i].spec;
    }
  }
  html(r, "<section class=\"card\" id=\"rule-form\"><h2>%s</h2><p class=\"muted\">%s", T(r, "新建或修改自定义规则"),
       T(r, "从内置规则开始："));
  for (int i = 0; i < nr; i++)
    if (rules[i].preset)
      html(r, " <a class=\"chip\" href=\"/rules?from=%s#rule-form\">%s</a>", rules[i].code, T(r, rules[i].name));
  html_raw(r, "</p><form method=\"post\" action=\"/rules#rule-form\">");
  form_csrf(r);
  if (e) form_error_summary(r, e);
  html_raw(r, "<div class=\"grid\">");
  form_input(r, "text", "code", "编码（小写字母、数字、下划线）", code, e ? err_field_msg(e, "code") : NULL, true, 31);
  form_input(r, "text", "name", "名称", name, e ? err_field_msg(e, "name") : NULL, true, 60);
  html_raw(r, "</div>");
  const char *terr = e ? err_field_msg(e, "tiers") : NULL;
  if (!terr && e && !*spec) terr = err_field_msg(e, "spec");
  html(r, "<h3>%s</h3><p class=\"muted\">%s</p>", T(r, "按戒断时长分档"),
       T(r, "每一档：戒断不满多少个月时，每隔几个月谈话一次、检测一次；各档按月数从小到大，空行不保存。"));
  if (terr) html(r, "<p class=\"field-error\" id=\"e-tiers\">%s</p>", T(r, terr));
  html(r, "<table class=\"tiers\" data-rows=\"%s\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
       T(r, "添加一档"), T(r, "戒断满（月）"), T(r, "不满（月）"), T(r, "谈话间隔（月）"), T(r, "检测间隔（月）"));
  const char *prev = "0";
  for (int i = 0; i < SCHED_MAX_TIERS; i++) {
    html(r, "<tr><td>%s</td>", *f.until[i] || i == 0 ? prev : "");
    html(r, "<td><input type=\"number\" name=\"tier_until\" min=\"1\" max=\"120\" value=\"%s\" aria-label=\"%s %d\"></td>",
         f.until[i], T(r, "不满（月）"), i + 1);
    html(r, "<td><input type=\"number\" name=\"tier_talk\" min=\"1\" max=\"24\" value=\"%s\" aria-label=\"%s %d\"></td>",
         f.talk[i], T(r, "谈话间隔（月）"), i + 1);
    html(r, "<td><input type=\"number\" name=\"tier_test\" min=\"1\" max=\"24\" value=\"%s\" aria-label=\"%s %d\"></td></tr>",
         f.test[i], T(r, "检测间隔（月）"), i + 1);
    if (*f.until[i]) prev = f.until[i];
  }
  html_raw(r, "</tbody></table><div class=\"grid\">");
  form_input(r, "number", "release", "戒断满多少个月可提请解除", f.release, e ? err_field_msg(e, "release") : NULL, true, 3);
  form_input(r, "number", "high", "高风险：最长间隔（月，可空）", f.high, e ? err_field_msg(e, "high") : NULL, false, 2);
  form_input(r, "number", "medium", "中风险：最长间隔（月，可空）", f.medium, e ? err_field_msg(e, "medium") : NULL, false, 2);
  form_input(r, "number", "release_ahead", "出所前提前列入待办（天，可空：30）", f.ahead,
             e ? err_field_msg(e, "release_ahead") : NULL, false, 3);
  html(r, "</div><details class=\"advanced\"%s><summary>%s</summary><p class=\"muted\">%s</p>"
          "<pre class=\"spec-help\">base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2;community_detox=12:1:1,24:2:2,36:3:3</pre>",
       *spec ? " open" : "", T(r, "高级：规则内容（文本）"),
       T(r, "填写后以文本为准（上面的分档不再使用）。每档为“戒断不满N个月:谈话间隔:检测间隔”（月），按N从小到大用逗号分隔；release为满多少个月可提请解除；high、medium为高、中风险的最长间隔；也可按管控状态单独设档。"));
  html(r, "<p class=\"muted\">%s</p>", T(r, "release_ahead=N：出所（出狱、拘留期满）前N天列入待办（1至366，默认30）。"));
  form_textarea(r, "spec", "规则内容", spec, *spec && e ? err_field_msg(e, "spec") : NULL, 500);
  html(r, "</details><p><button type=\"submit\">%s</button></p></form></section>", T(r, "保存规则"));
}

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
    html(r, "<tr><td><code>%s</code> <a href=\"/rules?from=%s#rule-form\">%s</a></td><td>%s</td>"
            "<td><code class=\"spec\">%s</code></td><td>",
         rules[i].code, rules[i].code, T(r, rules[i].preset ? "以此为模板" : "修改"),
         rules[i].preset ? T(r, rules[i].name) : rules[i].name, rules[i].spec);
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

  rules_form(r, fr ? e : NULL, rules, nr);

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
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = org_sel, .error_zh = oerr, .required = true,
                         .levels = PICK_ANY});
  html(r, "<div class=\"field%s\"><label for=\"f-rule\">%s</label><select id=\"f-rule\" name=\"rule\">"
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

/* POST /rules (code, name, and the tiers form: tier_until, tier_talk,
 * tier_test, release, high, medium; or spec, the text form, which wins when
 * filled): creates or updates a custom rule. */
void page_rules_save(Req *r) {
  Err e;
  err_clear(&e);
  bool created = false;
  char spec[SCHED_SPEC_MAX];
  const char *text = req_form_str(r, "spec");
  str_copy(spec, sizeof spec, text);
  if (!*text && req_form(r, "tier_until")) { /* the tiers form */
    RulesForm f;
    rules_form_from_post(r, &f);
    rules_form_spec(&f, spec, &e);
  }
  if (e.code == ERR_OK)
    app_schedule_rule_save(&r->ctx, req_form_str(r, "code"), req_form_str(r, "name"), spec, &created, &e);
  if (e.code != ERR_OK) {
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
