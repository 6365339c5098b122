/* web/page_audit.c: the audit log page for offices (GET /audit): who read or
 * changed what, when and from where, in words: actions, objects and the
 * details of each row in the user's language, the person's name (masked
 * outside the viewer's scope by app/audit), the actor's display name, status
 * records named as what they are; filtered by object, actor, person and
 * date, newest first, paged; scoped to the office's subtree by app/audit. */
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/approval.h"
#include "app/supervision.h"
#include "core/person_field.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/routes.h"

/* The punctuation between a label and its value, and between items, in
 * r's language. */
static const char *audit_colon(const Req *r) { return strcmp(r->lang, "en") == 0 ? ": " : "："; }
static const char *audit_semicolon(const Req *r) { return strcmp(r->lang, "en") == 0 ? "; " : "；"; }

/* The msgid of code in a table of {code, msgid} pairs ending with NULL, or
 * NULL when it is not there. */
static const char *audit_word(const char *const (*table)[2], const char *code) {
  for (int i = 0; table[i][0]; i++)
    if (strcmp(table[i][0], code) == 0) return table[i][1];
  return NULL;
}

/* Chinese name of an audit action (a msgid), or the code itself. */
static const char *audit_action_name(const char *a) {
  static const char *const names[][2] = {
    {"read", "查阅"}, {"create", "新建"}, {"update", "修改"}, {"status", "状态变更"}, {"doc", "协议/责任书"},
    {"login", "登录"}, {"logout", "退出"}, {"password", "修改密码"}, {"change_password", "修改密码"},
    {"reset_password", "重置密码"}, {"set_lang", "设置语言"}, {"enable", "启用账号"}, {"disable", "停用账号"},
    {"rename", "更名"}, {"move", "调整隶属关系"}, {"id_conflict", "身份证号查重（管辖外）"},
    {"calendar_rotate", "重新生成订阅地址"}, {"gen", "生成数据"}, {"visit", "登记谈话/走访"},
    {"test", "登记检测"}, {"event", "登记事件"}, {"task", "处理待办"}, {"propose", "提请审批"},
    {"approve", "审批同意"}, {"reject", "审批不同意"}, {"schedule_rule", "设置排期规则"},
    {"population", "设置人口数"}, {"stats_items", "查看统计明细"}, {"submit", "上报"}, {"unlock", "解锁"},
    {"set", "设置"}, {"clear", "取消设置"},
    {"derived_refresh", "重新计算派生字段"},
    {"org_correct", "更正责任社区"}, {"read_alert", "异常读取（超过每分钟上限）"}, {"ack", "核实"}, {NULL, NULL}};
  const char *w = audit_word(names, a);
  return w ? w : a;
}

/* Chinese name of an audited object kind (a msgid), or the code itself. */
static const char *audit_entity_name(const char *entity) {
  static const char *const names[][2] = {{"person", "人员档案"}, {"user", "用户"}, {"org", "组织机构"},
                                         {"session", "登录会话"}, {"schedule_rule", "排期规则"},
                                         {"dataset_period", "数据填报"}, {"unit_work", "单位工作记录"},
                                         {"unit_rhythm", "任务频次"}, {"eradication", "禁种铲毒记录"},
                                         {"read_alert", "异常读取提醒"}, {NULL, NULL}};
  const char *w = audit_word(names, entity);
  return w ? w : entity;
}

/* The label of a detail key (a msgid); NULL for the keys that are record
 * numbers shown otherwise or not at all. */
static const char *audit_key_name(const char *key) {
  static const char *const names[][2] = {
    {"org", "单位"}, {"worker", "责任社工"}, {"fields", "修改项"}, {"from_org", "原单位"}, {"to_org", "转至单位"},
    {"from_worker", "原责任社工"}, {"to_worker", "新责任社工"}, {"status", "状态"}, {"episode", "状态记录"},
    {"corrects", "更正"}, {"kind", "类型"}, {"result", "结果"}, {"date", "日期"}, {"needs_report", "须报告公安"},
    {"days", "天数"}, {"until", "返回日期"}, {"risk_level", "风险等级"}, {"lang", "语言"}, {"sessions_ended", "结束的其他登录"},
    {"username", "用户名"}, {"display_name", "姓名"}, {"role", "角色"}, {"code", "编码"}, {"name", "名称"},
    {"old_name", "原名称"}, {"level", "级别"}, {"parent", "上级单位"}, {"old_path", "原路径"}, {"path", "路径"},
    {"rule", "排期规则"}, {"spec", "规则内容"}, {"registered", "户籍人口"}, {"resident", "常住人口"},
    {"floating", "流动人口"}, {"persons", "人数"}, {"communities", "社区数"}, {"units_created", "新建单位数"},
    {"approval", "审批"}, {"dataset", "数据集"}, {"period", "报告期"}, {"reason", "理由"}, {"task", "任务"},
    {"period_type", "频次"}, {"per_period", "每期次数"}, {"since", "起算日期"},
    {"per_minute", "每分钟读取上限"}, {"user", "用户"}, {NULL, NULL}};
  return audit_word(names, key);
}

/* Writes the value of key in the user's words: codes named, status records
 * (refs) as their status and date, person field keys as their labels. */
static void audit_value(Req *r, const AuditRow *a, const char *key, const char *v) {
  static const char *const words[][2] = {
    {"agreement", "社区戒毒/康复协议"}, {"responsibility_letter", "帮教责任书"}, {"county", "区/县"},
    {"street", "街道/乡镇"}, {"community", "社区/村"}, {"zh", "中文"}, {"en", "English"},
    {"cookie", "网页登录"}, {"bearer", "接口（API）登录"}, {NULL, NULL}};
  const char *name = NULL;
  if (strcmp(key, "episode") == 0 || strcmp(key, "corrects") == 0) {
    int64_t id = strtoll(v, NULL, 10);
    for (int i = 0; i < a->nrefs; i++)
      if (a->refs[i].id == id) {
        html(r, "%s %s", page_status_name(r, a->refs[i].status), a->refs[i].date);
        return;
      }
    html(r, "%s", T(r, "记录已不存在"));
    return;
  }
  if (strcmp(key, "fields") == 0) {
    char *list = strdup(v);
    if (!list) abort();
    int k = 0;
    for (char *save = NULL, *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save), k++) {
      static const char *const others[][2] = {
        {"org", "所属社区"}, {"help_team", "帮教小组"}, {"worker", "责任社工"}, {NULL, NULL}};
      const FieldSpec *pf = person_field_by_key(f);
      const char *label = pf ? pf->label_zh : audit_word(others, f);
      html(r, "%s%s", k ? (strcmp(r->lang, "en") == 0 ? ", " : "、") : "", label ? T(r, label) : f);
    }
    free(list);
    return;
  }
  if (strcmp(key, "status") == 0) name = page_status_name(r, v);
  else if (strcmp(key, "risk_level") == 0) name = page_risk_name(r, v);
  else if (strcmp(key, "role") == 0) name = T(r, role_name_zh(role_from_code(v)));
  else if (strcmp(key, "result") == 0) name = T(r, test_result_name_zh(v));
  else if (strcmp(key, "needs_report") == 0) name = T(r, strcmp(v, "1") == 0 ? "是" : "否");
  else if (strcmp(key, "kind") == 0) {
    const char *zh = strcmp(a->action, "visit") == 0                                             ? visit_kind_name_zh(v)
                     : strcmp(a->action, "event") == 0 || strcmp(a->action, "task") == 0         ? event_kind_name_zh(v)
                     : strcmp(a->action, "propose") == 0 || strcmp(a->action, "approve") == 0 ||
                             strcmp(a->action, "reject") == 0                                    ? approval_kind_name_zh(v)
                                                                                                 : audit_word(words, v);
    name = zh && *zh ? T(r, zh) : NULL;
  } else if (strcmp(key, "level") == 0 || strcmp(key, "lang") == 0) {
    const char *zh = audit_word(words, v);
    name = zh ? T(r, zh) : NULL;
  }
  html(r, "%s", name && *name ? name : v);
}

/* Writes the detail of a in words: "label：value；..." for the keys it
 * knows (` key="value"` or ` key=123`, app/audit.h), the rest as written;
 * the raw detail is the cell's title (for those who investigate). */
static void audit_detail(Req *r, const AuditRow *a) {
  html(r, "<td class=\"opt\" title=\"%s\">", a->detail);
  const char *p = a->detail;
  int shown = 0;
  while (*p) {
    while (*p == ' ') p++;
    const char *eq = strchr(p, '=');
    if (!eq || eq == p) break;
    char key[32];
    size_t kl = (size_t)(eq - p);
    if (kl >= sizeof key) break;
    memcpy(key, p, kl);
    key[kl] = 0;
    Buf val = BUF_INIT;
    const char *q = eq + 1;
    if (*q == '"') {
      for (q++; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1]) q++; /* \" \\ (and \xNN kept as written) */
        buf_putc(&val, *q);
      }
      if (*q == '"') q++;
    } else {
      while (*q && *q != ' ') buf_putc(&val, *q++);
    }
    const char *label = audit_key_name(key);
    if (label && strcmp(key, "approval") == 0) {
      html(r, "%s<a href=\"/approvals/%s\">%s</a>", shown++ ? audit_semicolon(r) : "", buf_str(&val), T(r, "查看审批"));
    } else if (label && val.len) {
      html(r, "%s%s%s", shown++ ? audit_semicolon(r) : "", T(r, label), audit_colon(r));
      audit_value(r, a, key, buf_str(&val));
    } else if (!label && strcmp(key, "visit") != 0 && strcmp(key, "test") != 0 && strcmp(key, "event") != 0 &&
               strcmp(key, "doc") != 0) {
      html(r, "%s%s=%s", shown++ ? audit_semicolon(r) : "", key, buf_str(&val));
    }
    buf_reset(&val);
    p = q;
  }
  html_raw(r, "</td>");
}

/* Writes what row a is about: the person (linked when the viewer may see
 * it, else the masked name), the account or unit by name, else the kind. */
static void audit_object(Req *r, const AuditRow *a) {
  const char *kind = T(r, audit_entity_name(a->entity));
  if (strcmp(a->entity, "person") == 0 && a->entity_id && a->entity_name[0] && actor_in_scope(&r->actor, a->entity_path))
    html(r, "<a href=\"/persons/%lld\">%s%s%s</a>", (long long)a->entity_id, kind, audit_colon(r), a->entity_name);
  else if (a->entity_name[0]) html(r, "%s%s%s", kind, audit_colon(r), a->entity_name);
  else if (a->entity_id) html(r, "%s #%lld", kind, (long long)a->entity_id);
  else html(r, "%s", kind);
}

/* GET /audit?entity=&actor=&person=&date=&page= */
void page_audit_list(Req *r) {
  AuditFilter f = {0};
  f.entity = req_query(r, "entity");
  f.actor = req_query(r, "actor");
  f.person = req_query(r, "person");
  f.date = req_query(r, "date");
  f.page = (int)req_query_int(r, "page", 1, 1, 1000000);
  f.per_page = 50;
  if (f.entity && strlen(f.entity) > 32) f.entity = NULL;
  if (f.actor && strlen(f.actor) > 64) f.actor = NULL;
  if (f.person && strlen(f.person) > 60) f.person = NULL;
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
                                         "session", "登录会话", "schedule_rule", "排期规则", NULL};
  form_select(r, "entity", "对象", entities, f.entity, NULL);
  form_input(r, "text", "actor", "操作人（用户名）", f.actor, NULL, false, 64);
  form_input(r, "text", "person", "人员（编号或姓名）", f.person, NULL, false, 60);
  form_input(r, "text", "date", "日期（年、年-月或年-月-日）", f.date, NULL, false, 10);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "筛选"));
  html(r, "<table><thead><tr><th>#</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th><th>%s</th><th>%s</th>"
          "<th class=\"opt\">%s</th></tr></thead><tbody>",
       T(r, "时间"), T(r, "操作人"), T(r, "地址"), T(r, "操作"), T(r, "对象"), T(r, "详情"));
  for (int i = 0; i < n; i++) {
    const AuditRow *a = &rows[i];
    char at[DATE_TIME_SHORT_LEN];
    const char *who = a->actor_name[0] ? a->actor_name : strcmp(a->actor, "cli") == 0 ? T(r, "命令行") : a->actor;
    html(r, "<tr><td>%lld</td><td>%s</td><td title=\"%s\">%s</td><td class=\"opt\">%s</td><td>%s</td><td>",
         (long long)a->id, date_time_short(a->at, at), a->actor, who, a->address, T(r, audit_action_name(a->action)));
    audit_object(r, a);
    html_raw(r, "</td>");
    audit_detail(r, a);
    html_raw(r, "</tr>");
  }
  if (n == 0) html(r, "<tr><td colspan=\"7\" class=\"muted\">%s</td></tr>", T(r, "没有记录"));
  html_raw(r, "</tbody></table>");
  Buf base = BUF_INIT;
  buf_puts(&base, "/audit");
  page_query_param(&base, "entity", f.entity);
  page_query_param(&base, "actor", f.actor);
  page_query_param(&base, "person", f.person);
  page_query_param(&base, "date", f.date);
  html_pager(r, buf_str(&base), f.page, f.per_page, total);
  buf_reset(&base);
  free(rows);
  page_end(r);
}
