/* web/page_person.c: the case-file pages (一人一档): the list with search,
 * filters and paging; the new/edit form (one renderer that walks the field
 * table of core/person_field.h); the case file itself with its help team,
 * documents and status history, its responsible social worker, and the
 * forms that append to them (or set the worker); and the
 * print view, which shares the section renderers of the case file. Parses
 * forms into app/person.h inputs, calls app/, renders; nothing else. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "app/person.h"
#include "store/person.h"
#include "core/casework.h"
#include "core/status.h"
#include "core/supervision.h"
#include "web/bind.h"
#include "web/attachment.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_casework.h"
#include "web/routes.h"

#define PP_TEAM_ROWS 6 /* help-team rows a form shows at least */

/* ---- small helpers --------------------------------------------------- */

/* Sections of the case file, in page order. */
typedef enum { PS_BASIC, PS_ADDRESS, PS_DRUGS, PS_FIVE, PS_THREE, PS__COUNT } PpSection;

static const char *const pp_section_title[PS__COUNT] = {"基本信息", "户籍地与居住地", "吸毒史", "五知", "三无"};

/* The section a field belongs to: its JSON group for 五知/三无, the drug
 * history block, the two addresses, everything else is basic information. */
static PpSection pp_section_of(const FieldSpec *f) {
  PersonFieldId id = person_field_id(f);
  if (f->json && strncmp(f->json, "five_knowns.", 12) == 0) return PS_FIVE;
  if (f->json && strncmp(f->json, "three_withouts.", 15) == 0) return PS_THREE;
  if (id >= PF_DRUG_TYPES && id <= PF_PREVIOUS_TREATMENTS) return PS_DRUGS;
  if (id == PF_HOUSEHOLD_ADDRESS || id == PF_RESIDENCE_ADDRESS || id == PF_HOUSEHOLD_DIVISION) return PS_ADDRESS;
  return PS_BASIC;
}

/* true when the comma-separated list csv holds code. */
static bool pp_csv_has(const char *csv, const char *code) {
  size_t n = strlen(code);
  for (const char *p = page_s(csv); *p;) {
    const char *q = strchr(p, ',');
    size_t len = q ? (size_t)(q - p) : strlen(p);
    if (len == n && strncmp(p, code, n) == 0) return true;
    if (!q) break;
    p = q + 1;
  }
  return false;
}

/* Localised name of a document kind. */
static const char *pp_doc_kind_name(const Req *r, const char *kind) {
  if (kind && strcmp(kind, "agreement") == 0) return T(r, "社区戒毒/康复协议");
  if (kind && strcmp(kind, "responsibility_letter") == 0) return T(r, "帮教责任书");
  return page_s(kind);
}

/* true when s holds only ASCII white space (or is NULL). */
static bool pp_blank(const char *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
  return true;
}

/* The code of every status that can be chosen, with its name, as option
 * pairs for form_select: first {"", first_label}, NULL-terminated. opts must
 * hold 2 * ST__COUNT + 1 pointers. */
static void pp_status_options(const char **opts, const char *first_label) {
  int k = 0;
  opts[k++] = "";
  opts[k++] = first_label;
  for (int s = ST_NONE + 1; s < ST__COUNT; s++) {
    opts[k++] = status_code((Status)s);
    opts[k++] = status_name_zh((Status)s);
  }
  opts[k] = NULL;
}

/* ---- list ------------------------------------------------------------ */

/* The list's query parameters as given (never NULL). */
typedef struct PpList {
  const char *q, *status, *org, *control, *risk, *worker, *sort, *order, *complete;
  bool incomplete;
  int per_page;
} PpList;

/* The rows-per-page choices. */
static const int pp_per_pages[] = {20, 50, 100, 200};

/* Reads the list's parameters of r into l. */
static void pp_list_params(Req *r, PpList *l) {
  l->q = page_s(req_query(r, "q"));
  l->status = page_s(req_query(r, "status"));
  l->org = page_s(req_query(r, "org"));
  l->control = page_s(req_query(r, "control"));
  l->risk = page_s(req_query(r, "risk"));
  l->worker = page_s(req_query(r, "worker"));
  l->sort = page_s(req_query(r, "sort"));
  l->order = page_s(req_query(r, "order"));
  l->incomplete = strcmp(page_s(req_query(r, "incomplete")), "1") == 0;
  l->complete = page_s(req_query(r, "complete"));
  int pp = (int)req_query_int(r, "per_page", 20, 1, 200);
  l->per_page = 20;
  for (size_t i = 0; i < sizeof pp_per_pages / sizeof pp_per_pages[0]; i++)
    if (pp == pp_per_pages[i]) l->per_page = pp;
}

/* The /persons URL of l into b, with sort and order as given (instead of
 * l's). */
static void pp_list_url(Buf *b, const PpList *l, const char *sort, const char *order) {
  buf_clear(b);
  buf_puts(b, "/persons");
  page_query_param(b, "q", l->q);
  page_query_param(b, "status", l->status);
  page_query_param(b, "control", l->control);
  page_query_param(b, "risk", l->risk);
  page_query_param(b, "worker", l->worker);
  page_query_param(b, "org", l->org);
  page_query_param(b, "incomplete", l->incomplete ? "1" : NULL);
  page_query_param(b, "complete", l->complete);
  page_query_param(b, "sort", sort);
  page_query_param(b, "order", order);
  if (l->per_page != 20) buf_printf(b, "%cper_page=%d", strchr(buf_str(b), '?') ? '&' : '?', l->per_page);
}

/* A column header of the list; sort (NULL: not sortable) links to the list
 * ordered by it, the other way when it is the order now. */
static void pp_list_th(Req *r, const PpList *l, Buf *url, const char *label_zh, const char *sort, bool opt) {
  html_raw(r, opt ? "<th class=\"opt\"" : "<th");
  if (!sort) {
    html(r, ">%s</th>", T(r, label_zh));
    return;
  }
  bool cur = strcmp(l->sort, sort) == 0 || (!*l->sort && strcmp(sort, "id") == 0);
  bool desc = cur ? (*l->order ? strcmp(l->order, "desc") == 0 : strcmp(sort, "id") == 0) : false;
  pp_list_url(url, l, sort, cur && !desc ? "desc" : "asc");
  if (cur) html(r, " aria-sort=\"%s\"", desc ? "descending" : "ascending");
  html(r, "><a class=\"sort\" href=\"%s\">%s%s</a></th>", buf_str(url), T(r, label_zh), cur ? (desc ? " ↓" : " ↑") : "");
}

/* The filter form of the list (GET): search, status, control, risk,
 * responsible worker, unit, incomplete files, rows per page; the order is
 * kept. e's field messages beside their controls. */
static void pp_list_filters(Req *r, const PpList *l, const Err *e) {
  html_raw(r, "<form method=\"get\" action=\"/persons\" class=\"filters no-print\" role=\"search\">");
  form_input(r, "search", "q", "姓名或身份证号", l->q, NULL, false, 60);
  const char *opts[2 * ST__COUNT + 1];
  pp_status_options(opts, "全部状态");
  form_select(r, "status", "管控状态", opts, l->status, err_field_msg(e, "status"));
  static const char *const controls[] = {"", "全部", "in_control", "在控", "lost_contact", "失联", "closed", "已关闭", NULL};
  form_select(r, "control", "在控情况", controls, l->control, err_field_msg(e, "control"));
  static const char *const risks[] = {"", "全部", "high", "高风险", "medium", "中风险", "low", "低风险", "none", "未评估", NULL};
  form_select(r, "risk", "风险等级", risks, l->risk, err_field_msg(e, "risk"));
  /* responsible worker: mine, none, or one of the scope's workers */
  PersonWorker *w = NULL;
  int nw = 0;
  Err we;
  err_clear(&we);
  if (app_person_worker_options(&r->ctx, &w, &nw, &we) != ERR_OK) nw = 0;
  const char **wopts = calloc((size_t)(2 * nw + 9), sizeof *wopts);
  if (!wopts) abort();
  int k = 0;
  wopts[k++] = "";
  wopts[k++] = "全部";
  if (r->actor.user_id > 0) {
    wopts[k++] = "me";
    wopts[k++] = "我负责的";
  }
  wopts[k++] = "none";
  wopts[k++] = "未指定";
  for (int i = 0; i < nw; i++) {
    wopts[k++] = w[i].username;
    wopts[k++] = w[i].name;
  }
  wopts[k] = NULL;
  form_select(r, "worker", "责任社工", wopts, l->worker, err_field_msg(e, "worker"));
  free(wopts);
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "所属单位", .value = l->org, .error_zh = err_field_msg(e, "org"),
                         .first_zh = "全部单位", .levels = PICK_ANY});
  html(r, "<div class=\"field\"><label for=\"f-per_page\">%s</label><select id=\"f-per_page\" name=\"per_page\">",
       T(r, "每页"));
  for (size_t i = 0; i < sizeof pp_per_pages / sizeof pp_per_pages[0]; i++)
    html(r, "<option value=\"%d\"%s>%d</option>", pp_per_pages[i], pp_per_pages[i] == l->per_page ? " selected" : "",
         pp_per_pages[i]);
  html(r, "</select></div><div class=\"field\"><label class=\"check\"><input type=\"checkbox\" id=\"f-incomplete\" "
          "name=\"incomplete\" value=\"1\"%s> %s</label></div>",
       l->incomplete ? " checked" : "", T(r, "只看档案不完整的"));
  static const char *const complete[] = {"", "全部", "1", "档案完整", "0", "档案不完整（完整档案规则）", NULL};
  form_select(r, "complete", "档案完整", complete, l->complete, err_field_msg(e, "complete"));
  if (*l->sort) html(r, "<input type=\"hidden\" name=\"sort\" value=\"%s\">", l->sort);
  if (*l->order) html(r, "<input type=\"hidden\" name=\"order\" value=\"%s\">", l->order);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  free(w);
}

/* GET /persons?q=&status=&control=&risk=&worker=&org=&incomplete=1&sort=
 * &order=&per_page=&page=[&print=1]: search, filter, sort and page the
 * case files in the actor's scope; every link keeps the filters. print=1:
 * the same rows as a page for paper. */
void page_person_list(Req *r) {
  PpList l;
  pp_list_params(r, &l);
  bool print = strcmp(page_s(req_query(r, "print")), "1") == 0;
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);
  PersonQuery pq = {.q = l.q, .status = l.status, .org_code = l.org, .page = page, .per_page = l.per_page,
                    .control = l.control, .risk = l.risk, .worker = l.worker, .incomplete = l.incomplete, .complete = l.complete,
                    .sort = l.sort, .order = l.order};
  PersonSummary *items = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  app_person_list(&r->ctx, &pq, &items, &n, &total, &e);
  if (page_list_failed(r, &e)) {
    free(items);
    return;
  }

  Buf url = BUF_INIT;
  page_begin(r, T(r, "人员档案"), print);
  html(r, "<h1>%s</h1>", T(r, "人员档案"));
  if (print) {
    char today[DATE_ISO_LEN];
    date_format(r->ctx.today, today);
    pp_list_url(&url, &l, l.sort, l.order);
    html(r, "<div class=\"actions no-print\"><button type=\"button\" data-print>%s</button> "
            "<a class=\"button secondary\" href=\"%s\">%s</a></div><p class=\"muted\">%s · %s %s · %s %lld%s</p>",
         T(r, "打印"), buf_str(&url), T(r, "返回列表"), r->actor.org_name, T(r, "打印日期"), today, T(r, "共"),
         (long long)(total > PERSON_LIST_COUNT_CAP ? PERSON_LIST_COUNT_CAP : total), total > PERSON_LIST_COUNT_CAP ? "+" : "");
  } else {
    html_raw(r, "<div class=\"actions\">");
    if (actor_can(&r->actor, PERM_PERSON_WRITE))
      html(r, "<a class=\"button\" href=\"/persons/new\">%s</a>", T(r, "登记新人员"));
    pp_list_url(&url, &l, l.sort, l.order);
    buf_puts(&url, strchr(buf_str(&url), '?') ? "&" : "?");
    buf_printf(&url, "page=%d&print=1", page);
    html(r, "<a class=\"button secondary\" href=\"%s\">%s</a></div>", buf_str(&url), T(r, "打印本页名单"));
    pp_list_filters(r, &l, &e);
  }
  if (e.code != ERR_OK) form_error_summary(r, &e);

  if (n == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "没有符合条件的人员"));
  } else {
    html_raw(r, "<table class=\"persons\"><thead><tr>");
    pp_list_th(r, &l, &url, "姓名", "name", false);
    pp_list_th(r, &l, &url, "性别", NULL, false);
    pp_list_th(r, &l, &url, "身份证号", "id_number", false);
    pp_list_th(r, &l, &url, "所属社区", "org", true);
    pp_list_th(r, &l, &url, "管控状态", "status", false);
    pp_list_th(r, &l, &url, "在控情况", NULL, true);
    pp_list_th(r, &l, &url, "风险等级", "risk", true);
    pp_list_th(r, &l, &url, "责任社工", "worker", true);
    pp_list_th(r, &l, &url, "下次谈话", "talk_due", true);
    pp_list_th(r, &l, &url, "下次检测", "test_due", true);
    html_raw(r, "</tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
      const PersonSummary *p = &items[i];
      const char *sex = strcmp(p->sex, "M") == 0 ? T(r, "男") : strcmp(p->sex, "F") == 0 ? T(r, "女") : "";
      html(r, "<tr><td><a href=\"/persons/%lld\">%s</a></td><td>%s</td><td>%s</td><td class=\"opt\">%s</td>"
              "<td>%s</td><td class=\"opt\"><span class=\"badge %s\">%s</span></td><td class=\"opt\">%s</td>"
              "<td class=\"opt\">%s</td><td class=\"opt\">%s</td><td class=\"opt\">%s</td></tr>",
           (long long)p->id, p->name, sex, p->id_number, p->org_name, page_status_name(r, p->status),
           supervision_control_shown(p->status, p->control), page_control_name(r, p->status, p->control), page_risk_name(r, p->risk_level), page_dash(p->worker_name),
           page_dash(p->next_talk_due), page_dash(p->next_test_due));
    }
    html_raw(r, "</tbody></table>");
  }
  free(items);

  /* The pager keeps every filter and the order. */
  if (!print) {
    pp_list_url(&url, &l, l.sort, l.order);
    html_pager_capped(r, buf_str(&url), page, l.per_page, total, PERSON_LIST_COUNT_CAP);
  }
  buf_reset(&url);
  page_end(r);
}

/* ---- the new/edit form ---------------------------------------------- */

/* One form control for field f with its value and error: the text kinds
 * by the table (maxlength, required), sex a select, drugs checkboxes,
 * flags a checkbox. */
static void pp_form_field(Req *r, const FieldSpec *f, const char *val, const char *err) {
  switch (f->kind) {
  case FK_ENUM: {
    static const char *const opts[] = {"", "请选择", "M", "男", "F", "女", NULL};
    form_select(r, f->key, f->label_zh, opts, val, err);
    break;
  }
  case FK_ENUM_SET:
    html(r, "<fieldset class=\"field wide%s\"><legend>%s</legend><div class=\"checks\">", err ? " has-error" : "",
         T(r, f->label_zh));
    for (size_t k = 0; k < drug_types_count; k++)
      html(r, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s> %s</label> ", f->key,
           drug_types[k].code, pp_csv_has(val, drug_types[k].code) ? " checked" : "", T(r, drug_types[k].name_zh));
    html_raw(r, "</div>");
    if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", f->key, T(r, err));
    html_raw(r, "</fieldset>");
    break;
  case FK_BOOL:
    html(r, "<div class=\"field%s\"><label class=\"check\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%s> %s</label>",
         err ? " has-error" : "", f->key, f->key, val && strcmp(val, "1") == 0 ? " checked" : "", T(r, f->label_zh));
    if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", f->key, T(r, err));
    html_raw(r, "</div>");
    break;
  case FK_DATE:
    if (person_field_id(f) == PF_BIRTH_DATE) { /* may be left empty: app/ takes it from the ID number */
      form_input(r, "date", f->key, f->label_zh, val, err, false, 0);
      break;
    }
    bind_form_control(r, f, val, err);
    break;
  default: bind_form_control(r, f, val, err); break;
  }
}

/* true when field error name is shown beside a control of the person form. */
static bool pp_form_knows_field(const char *name) {
  return person_field_by_key(name) || strcmp(name, "org") == 0 || strcmp(name, "help_team") == 0 ||
         field_by_key(&register_status_record, name);
}

/* The registration's first status (new form only): the status and its
 * decision, so that the file starts with it; may be left for later, when
 * the workbench lists the file until it is given. */
static void pp_form_status(Req *r, const StatusInput *st, const Err *e) {
  html(r, "<section class=\"card\" id=\"reg-status\"><h2>%s</h2><p class=\"muted\">%s</p><div class=\"grid\">",
       T(r, "管控状态"),
       T(r, "登记时一并填写管控状态和决定；暂时不知道的可以以后登记，在此之前档案列在工作台的“未登记管控状态”中。"));
  const char *opts[2 * ST__COUNT + 1];
  pp_status_options(opts, "以后登记");
  form_select(r, "status", "管控状态", opts, page_s(st->status), e ? err_field_msg(e, "status") : NULL);
  static const char *const keys[] = {"decision_date", "start_date", "decision_no"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const FieldSpec *f = bind_field(&register_status_record, keys[i]);
    bind_form_control(r, f, page_s(field_text(f, st)), e ? err_field_msg(e, f->key) : NULL);
  }
  html_raw(r, "</div></section>");
}

/* Renders the whole new (id 0) or edit form with the values of in (nothing
 * owned; NULL values read as empty), version for the edit form, and the
 * errors of e beside each field (e may be NULL). Ends the page. */
static void pp_form_page(Req *r, int64_t id, const PersonInput *in, int64_t version, const Err *e) {
  const char *title = id ? T(r, "编辑档案") : T(r, "登记新人员");
  page_begin(r, title, false);
  if (id) {
    const char *name = page_s(in->val[PF_NAME]);
    html(r, "<h1>%s · %s</h1>", title, name);
  } else {
    html(r, "<h1>%s</h1>", title);
  }
  if (e && e->code != ERR_OK) {
    form_error_summary(r, e);
    /* errors of fields that have no control of their own */
    bool open = false;
    for (int i = 0; i < e->nfields; i++) {
      if (pp_form_knows_field(e->fields[i].field)) continue;
      if (!open) html_raw(r, "<ul class=\"error\">");
      open = true;
      html(r, "<li>%s: %s</li>", e->fields[i].field, T(r, e->fields[i].msg));
    }
    if (open) html_raw(r, "</ul>");
  }
  if (id) html(r, "<form method=\"post\" action=\"/persons/%lld\" class=\"person-form\">", (long long)id);
  else html_raw(r, "<form method=\"post\" action=\"/persons\" class=\"person-form\">");
  form_csrf(r);
  if (id) html(r, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", (long long)version);

  for (int s = 0; s < PS__COUNT; s++) {
    html(r, "<section class=\"card\"><h2>%s</h2><div class=\"grid\">", T(r, pp_section_title[s]));
    if (s == PS_BASIC && id) /* the unit changes by a transfer or a correction, not here */
      html(r, "<div class=\"field\"><label>%s</label><p>%s <span class=\"muted\">%s</span></p>"
              "<input type=\"hidden\" name=\"org\" value=\"%s\"></div>",
           T(r, "责任社区"), in->org_code, T(r, "（迁往其他社区请提出变更执行地申请）"), in->org_code);
    else if (s == PS_BASIC)
      org_pick(r, &(OrgPick){.name = "org", .label_zh = "责任社区", .value = in->org_code,
                             .error_zh = e ? err_field_msg(e, "org") : NULL, .required = true, .first_zh = "请选择",
                             .levels = PICK_COMMUNITY});
    for (int i = 0; i < PF__COUNT; i++) {
      const FieldSpec *f = &person_fields[i];
      if ((int)pp_section_of(f) != s) continue;
      pp_form_field(r, f, in->val[i], e ? err_field_msg(e, f->key) : NULL);
    }
    html_raw(r, "</div></section>");
  }

  if (!id) pp_form_status(r, &in->status, e);

  /* The help team: at least PP_TEAM_ROWS rows, one empty row to add to a
   * longer team, never more than the app accepts. */
  const char *team_err = e ? err_field_msg(e, "help_team") : NULL;
  int rows = in->nteam + 1;
  if (rows < PP_TEAM_ROWS) rows = PP_TEAM_ROWS;
  if (rows > PERSON_TEAM_MAX) rows = PERSON_TEAM_MAX;
  html(r, "<section class=\"card%s\" id=\"team-form\"><h2>%s</h2><p class=\"muted\">%s</p>", team_err ? " has-error" : "",
       T(r, "帮教小组"), T(r, "每行一名成员；角色和姓名必填，三项都空的行不保存。"));
  if (team_err) html(r, "<p class=\"field-error\" id=\"e-help_team\">%s</p>", T(r, team_err));
  html(r, "<table class=\"team\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "角色"),
       T(r, "姓名"), T(r, "联系电话"));
  for (int i = 0; i < rows; i++) {
    const char *role = i < in->nteam ? in->team[i].role : "";
    const char *name = i < in->nteam ? in->team[i].name : "";
    const char *phone = i < in->nteam ? in->team[i].phone : "";
    html(r, "<tr><td><input type=\"text\" name=\"team_role\" value=\"%s\" maxlength=\"%d\" list=\"team-roles\" "
            "aria-label=\"%s %d\"></td>",
         page_s(role), (int)bind_field(&help_member_record, "role")->max, T(r, "角色"), i + 1);
    html(r, "<td><input type=\"text\" name=\"team_name\" value=\"%s\" maxlength=\"%d\" aria-label=\"%s %d\"></td>",
         page_s(name), (int)bind_field(&help_member_record, "name")->max, T(r, "姓名"), i + 1);
    html(r, "<td><input type=\"tel\" name=\"team_phone\" value=\"%s\" maxlength=\"%d\" aria-label=\"%s %d\"></td></tr>",
         page_s(phone), (int)bind_field(&help_member_record, "phone")->max, T(r, "联系电话"), i + 1);
  }
  html_raw(r, "</tbody></table><datalist id=\"team-roles\">");
  for (const UnitTerm *t = help_role_vocab; t->code; t++)
    if (strcmp(t->code, "other") != 0) html(r, "<option value=\"%s\"></option>", t->label_zh);
  html_raw(r, "</datalist></section>");

  html(r, "<div class=\"actions\"><button type=\"submit\">%s</button>", T(r, "保存"));
  if (id) html(r, " <a class=\"button secondary\" href=\"/persons/%lld\">%s</a>", (long long)id, T(r, "取消"));
  else html(r, " <a class=\"button secondary\" href=\"/persons\">%s</a>", T(r, "取消"));
  html_raw(r, "</div></form>");
  page_end(r);
}

/* Fills in from the posted form by the case file's table (web/bind.h):
 * every field is given (an unchecked flag is "0", no drug checked is ""),
 * the org and the help team (rows whose three inputs are blank are
 * skipped). Values point into r's form or strings r keeps. */
static void pp_input_from_form(Req *r, PersonInput *in) {
  memset(in, 0, sizeof *in);
  Err e; /* a case file has no FK_INT field: binding it cannot fail */
  err_clear(&e);
  bind_form(r, &person_record, in->val, &e);
  for (int i = 0; i < PF__COUNT; i++) {
    in->has[i] = true;
    in->val[i] = page_s(in->val[i]);
  }
  in->has_org = true;
  in->org_code = page_s(req_form(r, "org"));
  in->has_team = true;
  const char *roles[PERSON_TEAM_MAX], *names[PERSON_TEAM_MAX], *phones[PERSON_TEAM_MAX];
  int nr = req_form_all(r, "team_role", roles, PERSON_TEAM_MAX);
  int nn = req_form_all(r, "team_name", names, PERSON_TEAM_MAX);
  int np = req_form_all(r, "team_phone", phones, PERSON_TEAM_MAX);
  int rows = nr > nn ? nr : nn;
  if (np > rows) rows = np;
  for (int i = 0; i < rows; i++) {
    const char *role = i < nr ? roles[i] : "", *name = i < nn ? names[i] : "", *phone = i < np ? phones[i] : "";
    if (pp_blank(role) && pp_blank(name) && pp_blank(phone)) continue;
    in->team[in->nteam].role = role;
    in->team[in->nteam].name = name;
    in->team[in->nteam].phone = phone;
    in->nteam++;
  }
}

/* Fills in from a stored case file (pointers into p). */
static void pp_input_from_person(const Person *p, PersonInput *in) {
  memset(in, 0, sizeof *in);
  for (int i = 0; i < PF__COUNT; i++) {
    in->has[i] = true;
    in->val[i] = p->f[i];
  }
  in->has_org = true;
  in->org_code = p->org_code;
  in->has_team = true;
  for (int i = 0; i < p->nteam && i < PERSON_TEAM_MAX; i++) {
    in->team[i].role = page_team_role_text(&p->team[i]); /* as typed: the label, or the other text */
    in->team[i].name = p->team[i].name;
    in->team[i].phone = p->team[i].phone;
    in->nteam++;
  }
}

/* Fills in's first status from the posted new form (register_status_record). */
static void pp_status_from_form(Req *r, PersonInput *in) {
  Err e; /* no FK_INT field among them: binding cannot fail */
  err_clear(&e);
  bind_form(r, &register_status_record, &in->status, &e);
}

/* GET /persons/new: the empty form; a community actor's own unit is the
 * default responsible community. */
void page_person_new(Req *r) {
  PersonInput in;
  memset(&in, 0, sizeof in);
  if (strcmp(r->actor.org_level, "community") == 0) in.org_code = r->actor.org_code;
  pp_form_page(r, 0, &in, 0, NULL);
}

/* POST /persons: creates the case file; on bad input the same form again
 * (400/409) with every value as typed and each message beside its field. */
void page_person_create(Req *r) {
  PersonInput in;
  pp_input_from_form(r, &in);
  pp_status_from_form(r, &in);
  Err e;
  err_clear(&e);
  int64_t id = 0;
  if (app_person_create(&r->ctx, &in, &id, &e) != ERR_OK) {
    if (page_form_failed(r, &e)) {
      pp_form_page(r, 0, &in, 0, &e);
      r->status = err_http_status(e.code);
    }
    return;
  }
  page_redirect_id(r, "/persons/", id, "");
}

/* GET /persons/{id}/edit: the form with the stored values and version. */
void page_person_edit(Req *r) {
  Person p;
  if (!page_person_load(r, &p)) return;
  PersonInput in;
  pp_input_from_person(&p, &in);
  pp_form_page(r, p.id, &in, p.version, NULL);
  person_free(&p);
}

/* POST /persons/{id}: saves the edit form (refused with 409 when someone
 * saved the file since the form's version); bad input re-renders the form. */
void page_person_update(Req *r) {
  PersonInput in;
  pp_input_from_form(r, &in);
  const char *vs = req_form(r, "version");
  int64_t version = vs ? strtoll(vs, NULL, 10) : 0;
  if (version < 0) version = 0;
  Err e;
  err_clear(&e);
  if (app_person_update(&r->ctx, r->ids[0], &in, version, &e) != ERR_OK) {
    if (page_form_failed(r, &e)) {
      pp_form_page(r, r->ids[0], &in, version, &e);
      r->status = err_http_status(e.code);
    }
    return;
  }
  page_redirect_id(r, "/persons/", r->ids[0], "");
}

/* ---- the case file: section renderers shared by show and print -------- */

/* One value of field f for reading: sex and flags in words, drug codes as
 * names, "—" when empty. */
static void pp_field_value(Req *r, const FieldSpec *f, const char *v) {
  v = page_s(v);
  switch (f->kind) {
  case FK_ENUM:
    html(r, "%s", strcmp(v, "M") == 0 ? T(r, "男") : strcmp(v, "F") == 0 ? T(r, "女") : page_dash(v));
    break;
  case FK_BOOL: html(r, "%s", strcmp(v, "1") == 0 ? T(r, "是") : T(r, "否")); break;
  case FK_ENUM_SET: {
    if (!*v) { html_raw(r, "—"); break; }
    bool first = true;
    for (size_t k = 0; k < drug_types_count; k++)
      if (pp_csv_has(v, drug_types[k].code)) {
        html(r, "%s%s", first ? "" : "、", T(r, drug_types[k].name_zh));
        first = false;
      }
    break;
  }
  default: html(r, "%s", page_dash(v)); break;
  }
}

/* Section s of the case file as a card of label/value rows; the basic
 * section adds the responsible community, the address section marks 人户分离
 * (household and residence both known and different). */
static void pp_sec_fields(Req *r, const Person *p, PpSection s) {
  static const char *const ids[PS__COUNT] = {"basic", "address", "drugs", "five", "three"};
  html(r, "<section class=\"card\" id=\"%s\"><h2>%s</h2><dl class=\"kv\">", ids[s], T(r, pp_section_title[s]));
  if (s == PS_BASIC) {
    html(r, "<dt>%s</dt><dd>%s（%s）</dd>", T(r, "责任社区"), p->org_name, p->org_code);
    html(r, "<dt>%s</dt><dd id=\"worker-name\">%s</dd>", T(r, "责任社工"),
         p->worker_name && *p->worker_name ? p->worker_name : T(r, "未指定"));
  }
  for (int i = 0; i < PF__COUNT; i++) {
    const FieldSpec *f = &person_fields[i];
    if (pp_section_of(f) != s) continue;
    html(r, "<dt>%s</dt><dd>", T(r, f->label_zh));
    pp_field_value(r, f, p->f[i]);
    html_raw(r, "</dd>");
  }
  if (s == PS_ADDRESS) {
    const char *h = page_s(p->f[PF_HOUSEHOLD_ADDRESS]), *res = page_s(p->f[PF_RESIDENCE_ADDRESS]);
    if (*h && *res && strcmp(h, res) != 0)
      html(r, "<dt>%s</dt><dd><span class=\"badge medium\">%s</span></dd>", T(r, "人户情况"), T(r, "人户分离"));
    else if (*h && *res)
      html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "人户情况"), T(r, "人户一致"));
  }
  html_raw(r, "</dl></section>");
}

/* The current supervision state (derived values). */
static void pp_sec_supervision(Req *r, const Person *p) {
  html(r, "<section class=\"card\" id=\"control\"><h2>%s</h2><dl class=\"kv\">", T(r, "管控情况"));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "管控状态"), page_status_name(r, p->status));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "状态起始日期"), page_dash(p->status_since));
  html(r, "<dt>%s</dt><dd><span class=\"badge %s\">%s</span></dd>", T(r, "在控情况"),
       supervision_control_shown(p->status, p->control), page_control_name(r, p->status, p->control));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "风险等级"), page_risk_name(r, p->risk_level));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "下次谈话"), page_dash(p->next_talk_due));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "下次检测"), page_dash(p->next_test_due));
  html_raw(r, "</dl></section>");
}

/* The heading of a table of n rows of the case file; with none, the note
 * empty_zh instead of the table (false). */
static bool pp_table_head(Req *r, const char *title_zh, int n, const char *empty_zh) {
  html(r, "<h2>%s</h2>", T(r, title_zh));
  if (n == 0) html(r, "<p class=\"muted\">%s</p>", T(r, empty_zh));
  return n > 0;
}

/* The help team table (heading and table; the caller wraps the card). */
static void pp_team_table(Req *r, const Person *p) {
  if (!pp_table_head(r, "帮教小组", p->nteam, "尚未登记帮教小组成员")) return;
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "角色"), T(r, "姓名"),
       T(r, "联系电话"));
  for (int i = 0; i < p->nteam; i++)
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", page_team_role(r, &p->team[i]), p->team[i].name,
         page_dash(p->team[i].phone));
  html_raw(r, "</tbody></table>");
}

/* The documents table (heading and table), each document with its scans
 * and photos (web/attachment.h; with forms, their upload and void forms). */
static void pp_docs_table(Req *r, const Person *p, bool forms) {
  html(r, "<h2>%s</h2>", T(r, "协议与责任书"));
  page_attachment_notice(r);
  if (p->ndocs == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "尚未登记文书"));
    return;
  }
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "文书类型"),
       T(r, "签订日期"), T(r, "编号"));
  for (int i = 0; i < p->ndocs; i++) {
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", pp_doc_kind_name(r, p->docs[i].kind),
         page_dash(p->docs[i].signed_date), page_dash(p->docs[i].number));
    char action[96], back[48];
    snprintf(action, sizeof action, "/persons/%lld/docs/%lld/attachments", (long long)p->id, (long long)p->docs[i].id);
    snprintf(back, sizeof back, "/persons/%lld", (long long)p->id);
    html_raw(r, "<tr class=\"doc-files\"><td colspan=\"3\">");
    page_attachment_section(r, "person_document", p->docs[i].id, action, back, forms);
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table>");
}

/* text, struck through when voided. */
static void pp_struck(Req *r, bool voided, const char *text) {
  if (voided) html(r, "<s>%s</s>", text);
  else html(r, "%s", text);
}

/* The status history, oldest first; a corrected (voided) row is struck
 * through and marked 已更正. */
static void pp_history_table(Req *r, const Person *p) {
  if (!pp_table_head(r, "管控状态记录", p->nepisodes, "尚无管控状态记录")) return;
  html(r, "<table><thead><tr><th>#</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
          "<th class=\"opt\">%s</th></tr></thead><tbody>",
       T(r, "管控状态"), T(r, "决定日期"), T(r, "开始日期"), T(r, "决定书编号"), T(r, "计划结束日期"), T(r, "备注"));
  for (int i = 0; i < p->nepisodes; i++) {
    const Episode *ep = &p->episodes[i];
    html_raw(r, ep->voided ? "<tr class=\"voided muted\">" : "<tr>");
    html(r, "<td>%d</td>", i + 1); /* its place in the history, not a row id */
    html_raw(r, "<td>");
    pp_struck(r, ep->voided, page_status_name(r, ep->status));
    if (ep->voided) html(r, " <span class=\"badge\">%s</span>", T(r, "已更正"));
    const char *cells[] = {ep->decision_date, ep->start_date, ep->decision_no, ep->planned_end};
    for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
      html_raw(r, "</td><td>");
      pp_struck(r, ep->voided, page_dash(cells[k]));
    }
    html_raw(r, "</td><td class=\"opt\">");
    for (int j = 0; ep->corrects_id && j < p->nepisodes; j++) {
      const Episode *old = &p->episodes[j];
      if (old->id == ep->corrects_id)
        html(r, "%s %d（%s %s） ", T(r, "更正记录"), j + 1, page_status_name(r, old->status),
             page_s(old->start_date)[0] ? old->start_date : page_s(old->decision_date));
    }
    html(r, "%s", page_note(r, ep->note));
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table>");
}

/* Which append form of the case file failed and is shown again. */
typedef enum { PP_FORM_NONE, PP_FORM_STATUS, PP_FORM_DOC, PP_FORM_WORKER, PP_FORM_ORG } PpFailed;

/* A posted value to show again when form `which` failed, else "". */
static const char *pp_again(Req *r, PpFailed failed, PpFailed which, const char *key) {
  return failed == which ? page_s(req_form(r, key)) : "";
}

/* The control of field key of spec in an append form: the value posted
 * when that form failed (again), else empty; fe's message. */
static void pp_control(Req *r, const RecordSpec *spec, const char *key, bool again, const Err *fe) {
  bind_form_control(r, bind_field(spec, key), again ? page_s(req_form(r, key)) : "",
                    fe ? err_field_msg(fe, key) : NULL);
}

/* The form that adds a document; on its failure e's messages and the
 * values typed. The action carries #doc-form so that the page answered
 * after a failure opens at the form (the status form does the same). */
static void pp_doc_form(Req *r, const Person *p, PpFailed failed, const Err *e) {
  const Err *fe = failed == PP_FORM_DOC ? e : NULL;
  html(r, "<form method=\"post\" action=\"/persons/%lld/docs#doc-form\" class=\"append\" id=\"doc-form\"><h3>%s</h3>",
       (long long)p->id, T(r, "登记文书"));
  form_csrf(r);
  if (fe) form_error_summary(r, fe);
  static const char *const kinds[] = {"", "请选择", "agreement", "社区戒毒/康复协议", "responsibility_letter",
                                      "帮教责任书", NULL};
  html_raw(r, "<div class=\"grid\">");
  form_select(r, "kind", "文书类型", kinds, pp_again(r, failed, PP_FORM_DOC, "kind"), fe ? err_field_msg(fe, "kind") : NULL);
  pp_control(r, &doc_record, "signed_date", failed == PP_FORM_DOC, fe);
  pp_control(r, &doc_record, "number", failed == PP_FORM_DOC, fe);
  html(r, "</div><p><button type=\"submit\">%s</button></p></form>", T(r, "添加文书"));
}

/* The card that sets the responsible social worker: a select of the
 * candidates (the community's workers and cadres) and 未指定; the notice
 * after a change (?saved=worker); on its failure e's message. */
static void pp_worker_form(Req *r, const Person *p, PpFailed failed, const Err *e) {
  const Err *fe = failed == PP_FORM_WORKER ? e : NULL;
  PersonWorker *w = NULL;
  int n = 0;
  Err ce;
  err_clear(&ce);
  if (app_person_worker_candidates(&r->ctx, p->id, &w, &n, &ce) != ERR_OK) n = 0;
  html(r, "<section class=\"card\" id=\"worker\"><form method=\"post\" action=\"/persons/%lld/worker#worker\" "
          "class=\"append\" id=\"worker-form\"><h3>%s</h3>",
       (long long)p->id, T(r, "指定责任社工"));
  const char *saved = req_query(r, "saved");
  if (!fe && saved && strcmp(saved, "worker") == 0)
    html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "责任社工已更新"));
  form_csrf(r);
  if (fe) form_error_summary(r, fe);
  const char *cur = fe ? page_s(req_form(r, "worker")) : page_s(p->worker);
  const char *ferr = fe ? err_field_msg(fe, "worker") : NULL;
  html(r, "<div class=\"grid\"><div class=\"field%s\"><label for=\"f-worker\">%s</label><select id=\"f-worker\" "
          "name=\"worker\"><option value=\"\">%s</option>",
       ferr ? " has-error" : "", T(r, "责任社工"), T(r, "未指定"));
  bool listed = !*cur;
  for (int i = 0; i < n; i++) {
    bool sel = strcmp(cur, w[i].username) == 0;
    listed = listed || sel;
    html(r, "<option value=\"%s\"%s>%s（%s）</option>", w[i].username, sel ? " selected" : "", w[i].name,
         T(r, role_name_zh(w[i].role)));
  }
  if (!listed) /* the current worker is no candidate any more (an account disabled since) */
    html(r, "<option value=\"%s\" selected>%s</option>", cur,
         !fe && p->worker_name && *p->worker_name ? p->worker_name : cur);
  html_raw(r, "</select>");
  if (ferr) html(r, "<span class=\"field-error\" id=\"e-worker\">%s</span>", T(r, ferr));
  html(r, "</div></div><p><button type=\"submit\">%s</button></p></form></section>", T(r, "保存"));
  free(w);
}

/* The card of an office that corrects a wrongly entered community (a move
 * is a transfer: the approvals); on its failure e's messages and the
 * values typed. */
static void pp_org_form(Req *r, const Person *p, PpFailed failed, const Err *e) {
  const Err *fe = failed == PP_FORM_ORG ? e : NULL;
  html(r, "<details class=\"card\" id=\"org-fix\"%s><summary>%s</summary>", fe ? " open" : "", T(r, "更正责任社区（录入错误）"));
  const char *saved = req_query(r, "saved");
  if (!fe && saved && strcmp(saved, "org") == 0)
    html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "责任社区已更正"));
  html(r, "<p class=\"muted\">%s</p><form method=\"post\" action=\"/persons/%lld/org_correction#org-fix\" "
          "class=\"append\" data-confirm=\"%s\">",
       T(r, "仅用于更正录入错误的社区。人员迁往其他社区请提出“变更执行地”申请。更正会记入审计日志。"), (long long)p->id,
       T(r, "确认更正责任社区？"));
  form_csrf(r);
  if (fe) form_error_summary(r, fe);
  html_raw(r, "<div class=\"grid\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "正确的责任社区", .value = fe ? page_s(req_form(r, "org")) : "",
                         .error_zh = fe ? err_field_msg(fe, "org") : NULL, .required = true, .first_zh = "请选择",
                         .levels = PICK_COMMUNITY});
  pp_control(r, &org_correction_record, "reason", failed == PP_FORM_ORG, fe);
  html(r, "</div><p><button type=\"submit\">%s</button></p></form></details>", T(r, "更正"));
}

/* The form that starts (or corrects) a status episode; the browser asks
 * for confirmation (data-confirm) because episodes are never deleted. */
static void pp_status_form(Req *r, const Person *p, PpFailed failed, const Err *e) {
  const Err *fe = failed == PP_FORM_STATUS ? e : NULL;
  html(r, "<form method=\"post\" action=\"/persons/%lld/status#status-form\" class=\"append\" id=\"status-form\" "
          "data-confirm=\"%s\"><h3>%s</h3>",
       (long long)p->id, T(r, "确认登记这条管控状态记录？记录不能删除，只能更正。"), T(r, "登记管控状态"));
  form_csrf(r);
  if (fe) form_error_summary(r, fe);
  const char *opts[2 * ST__COUNT + 1];
  pp_status_options(opts, "请选择");
  html_raw(r, "<div class=\"grid\">");
  form_select(r, "status", "管控状态", opts, pp_again(r, failed, PP_FORM_STATUS, "status"),
              fe ? err_field_msg(fe, "status") : NULL);
  pp_control(r, &status_record, "decision_date", failed == PP_FORM_STATUS, fe);
  pp_control(r, &status_record, "start_date", failed == PP_FORM_STATUS, fe);
  pp_control(r, &status_record, "decision_no", failed == PP_FORM_STATUS, fe);
  pp_control(r, &status_record, "planned_end", failed == PP_FORM_STATUS, fe); /* custodial: expected release */

  /* corrects_id: a select of the episodes not yet corrected */
  const char *cur = pp_again(r, failed, PP_FORM_STATUS, "corrects_id");
  const char *cerr = fe ? err_field_msg(fe, "corrects_id") : NULL;
  html(r, "<div class=\"field%s\"><label for=\"f-corrects_id\">%s</label><select id=\"f-corrects_id\" "
          "name=\"corrects_id\"><option value=\"\">%s</option>",
       cerr ? " has-error" : "", T(r, "更正以前的记录"), T(r, "不更正（新的状态）"));
  for (int i = 0; i < p->nepisodes; i++) {
    const Episode *ep = &p->episodes[i];
    if (ep->voided) continue;
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)ep->id);
    html(r, "<option value=\"%s\"%s>#%s %s %s</option>", idbuf, strcmp(cur, idbuf) == 0 ? " selected" : "", idbuf,
         page_status_name(r, ep->status), ep->start_date && *ep->start_date ? ep->start_date : page_s(ep->decision_date));
  }
  html_raw(r, "</select>");
  if (cerr) html(r, "<span class=\"field-error\" id=\"e-corrects_id\">%s</span>", T(r, cerr));
  html_raw(r, "</div>");
  pp_control(r, &status_record, "note", failed == PP_FORM_STATUS, fe);
  html(r, "</div><p><button type=\"submit\">%s</button></p></form>", T(r, "登记"));
}

/* The whole case file. print: the clean print layout without forms;
 * otherwise the append forms for writers, with the failed one (if any)
 * showing e and the values typed. */
static void pp_case_file(Req *r, const Person *p, bool print, PpFailed failed, const Err *e) {
  bool forms = !print && actor_can(&r->actor, PERM_PERSON_WRITE);
  pp_sec_fields(r, p, PS_BASIC);
  if (forms) pp_worker_form(r, p, failed, e);
  if (forms && (r->actor.role == ROLE_ADMIN || r->actor.role == ROLE_OFFICE)) pp_org_form(r, p, failed, e);
  pp_sec_fields(r, p, PS_ADDRESS);
  pp_sec_supervision(r, p);
  pp_sec_fields(r, p, PS_DRUGS);
  pp_sec_fields(r, p, PS_FIVE);
  pp_sec_fields(r, p, PS_THREE);
  html_raw(r, "<section class=\"card\" id=\"team\">");
  pp_team_table(r, p);
  html_raw(r, "</section><section class=\"card\" id=\"docs\">");
  pp_docs_table(r, p, forms);
  if (forms) pp_doc_form(r, p, failed, e);
  html_raw(r, "</section><section class=\"card\" id=\"history\">");
  pp_history_table(r, p);
  if (forms) pp_status_form(r, p, failed, e);
  html_raw(r, "</section>");
  page_casework_sections(r, p, print);
}

/* Renders the case-file page of p (ends the page). */
static void pp_show_page(Req *r, const Person *p, PpFailed failed, const Err *e) {
  const char *name = page_s(p->f[PF_NAME]);
  page_begin(r, name, false);
  html(r, "<h1>%s <span class=\"badge\">%s</span> <span class=\"badge %s\">%s</span></h1>", name,
       page_status_name(r, p->status), supervision_control_shown(p->status, p->control),
       page_control_name(r, p->status, p->control));
  html_raw(r, "<div class=\"actions\">");
  if (actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<a class=\"button\" href=\"/persons/%lld/edit\">%s</a> ", (long long)p->id, T(r, "编辑档案"));
  if (actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE)
    html(r, "<a class=\"button\" href=\"#supervision\">%s</a> ", T(r, "登记帮教/检测"));
  html(r, "<a class=\"button secondary\" href=\"/persons/%lld/print\">%s</a> <a class=\"button secondary\" href=\"/persons\">%s</a></div>",
       (long long)p->id, T(r, "打印档案"), T(r, "返回列表"));
  /* the in-page menu: sticks at the top of a long case file (on a phone) */
  static const char *const menu[] = {"#basic", "概况", "#supervision", "帮教检测", "#history", "状态",
                                     "#team", "帮教小组", "#docs", "文书", "#records", "记录",
                                     "#plan", "帮扶计划", "#services", "服务转介", NULL};
  html(r, "<nav class=\"filemenu\" aria-label=\"%s\">", T(r, "档案目录"));
  for (const char *const *m = menu; m[0]; m += 2) html(r, "<a href=\"%s\">%s</a>", m[0], T(r, m[1]));
  html_raw(r, "</nav>");
  page_casework_complete(r, p);
  page_supervision_section(r, p);
  pp_case_file(r, p, false, failed, e);
  char created[DATE_TIME_SHORT_LEN], updated[DATE_TIME_SHORT_LEN];
  html(r, "<p class=\"muted\">%s %s · %s %s · %s %lld</p>", T(r, "建档时间"), date_time_short(p->created_at, created),
       T(r, "更新时间"), date_time_short(p->updated_at, updated), T(r, "版本"), (long long)p->version);
  page_end(r);
}

/* GET /persons/{id}: the case file. Out of scope answers 404. */
void page_person_show(Req *r) {
  Person p;
  if (!page_person_load(r, &p)) return;
  pp_show_page(r, &p, PP_FORM_NONE, NULL);
  person_free(&p);
}

/* GET /persons/{id}/print: the case file for paper (A4), with the unit,
 * the printing date and lines for the signatures. */
void page_person_print(Req *r) {
  Person p;
  if (!page_person_load(r, &p)) return;
  const char *name = page_s(p.f[PF_NAME]);
  page_begin(r, name, true);
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  html(r, "<div class=\"actions no-print\"><button type=\"button\" class=\"no-print\" data-print>%s</button> "
          "<a class=\"button secondary\" href=\"/persons/%lld\">%s</a></div>",
       T(r, "打印"), (long long)p.id, T(r, "返回档案"));
  html(r, "<header class=\"print-head\"><p>%s</p><h1>%s · %s</h1><p class=\"muted\">%s %s · %s %s</p></header>",
       p.org_name, T(r, "禁毒人员档案（一人一档）"), name, T(r, "打印日期"), today, T(r, "打印人"),
       r->actor.display_name[0] ? r->actor.display_name : r->actor.username);
  pp_case_file(r, &p, true, PP_FORM_NONE, NULL);
  page_supervision_history(r, &p); /* every talk, test and event (每人一袋) */
  html(r, "<table class=\"signatures\"><tr><td>%s：</td><td>%s：</td><td>%s：</td></tr></table>", T(r, "填表人"),
       T(r, "审核人"), T(r, "日期"));
  page_end(r);
  person_free(&p);
}

/* Answers the post of an append form of the case file r->ids[0] that
 * answered rc: saved, back to the case file with the query and fragment
 * of suffix ("" or e.g. "?saved=worker#worker"); failed, the case file
 * again with e beside form which (or the error page when e is not about
 * the input). */
static void pp_append_done(Req *r, int rc, const Err *e, PpFailed which, const char *suffix) {
  if (rc == ERR_OK) {
    char loc[96];
    snprintf(loc, sizeof loc, "/persons/%lld%s", (long long)r->ids[0], suffix);
    resp_redirect(r, loc);
    return;
  }
  if (!page_form_failed(r, e)) return;
  Person p;
  if (!page_person_load(r, &p)) return;
  pp_show_page(r, &p, which, e);
  r->status = err_http_status(e->code);
  person_free(&p);
}

/* POST /persons/{id}/status: starts or corrects a status episode. */
void page_person_status(Req *r) {
  StatusInput in;
  Err e;
  page_form_bind(r, &status_record, &in, sizeof in, &e);
  pp_append_done(r, app_person_add_status(&r->ctx, r->ids[0], &in, NULL, &e), &e, PP_FORM_STATUS, "");
}

/* POST /persons/{id}/docs: records a signed agreement or letter. */
void page_person_doc(Req *r) {
  DocInput in;
  Err e;
  page_form_bind(r, &doc_record, &in, sizeof in, &e);
  pp_append_done(r, app_person_add_doc(&r->ctx, r->ids[0], &in, &e), &e, PP_FORM_DOC, "");
}

/* POST /persons/{id}/worker: sets (worker=username) or clears (worker
 * empty) the responsible social worker; back to the case file with a
 * notice, or the case file with the message beside the form. */
void page_person_worker(Req *r) {
  Err e;
  err_clear(&e);
  int rc = app_person_set_worker(&r->ctx, r->ids[0], req_form_str(r, "worker"), &e);
  pp_append_done(r, rc, &e, PP_FORM_WORKER, "?saved=worker#worker");
}

/* POST /persons/{id}/org_correction: a wrongly entered community corrected
 * by an office; back to the case file, or the case file with the form's
 * messages. */
void page_person_org_correct(Req *r) {
  OrgCorrectionInput in;
  Err e;
  page_form_bind(r, &org_correction_record, &in, sizeof in, &e);
  int rc = app_person_org_correct(&r->ctx, r->ids[0], &in, &e);
  pp_append_done(r, rc, &e, PP_FORM_ORG, "?saved=org#org-fix");
}
