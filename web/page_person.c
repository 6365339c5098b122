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
#include "core/status.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/routes.h"

#define PP_PER_PAGE 20
#define PP_TEAM_ROWS 6 /* help-team rows a form shows at least */
#define PP_ORG_SELECT_MAX 300 /* more units than this: no full select */

/* ---- small helpers --------------------------------------------------- */

/* Sections of the case file, in page order. */
typedef enum { PS_BASIC, PS_ADDRESS, PS_DRUGS, PS_FIVE, PS_THREE, PS__COUNT } PpSection;

static const char *const pp_section_title[PS__COUNT] = {"基本信息", "户籍地与居住地", "吸毒史", "五知", "三无"};

/* The section a field belongs to: its JSON group for 五知/三无, the drug
 * history block, the two addresses, everything else is basic information. */
static PpSection pp_section_of(const PersonField *f) {
  if (f->json_group && strcmp(f->json_group, "five_knowns") == 0) return PS_FIVE;
  if (f->json_group && strcmp(f->json_group, "three_withouts") == 0) return PS_THREE;
  if (f->id >= PF_DRUG_TYPES && f->id <= PF_PREVIOUS_TREATMENTS) return PS_DRUGS;
  if (f->id == PF_HOUSEHOLD_ADDRESS || f->id == PF_RESIDENCE_ADDRESS) return PS_ADDRESS;
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

/* Localised name of a control state. */
static const char *pp_control_name(const Req *r, const char *control) {
  if (control && strcmp(control, "lost_contact") == 0) return T(r, "失联");
  return T(r, "在控");
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

/* A labelled select of the units in the actor's scope (only communities
 * when communities_only), "name（code）" indented by level; first option
 * {"", first_label}. A value not among the units is kept as its own option.
 * Falls back to a text input for the code when the units cannot be read. */
static void pp_org_select(Req *r, const char *name, const char *label_zh, const char *value, const char *err,
                          bool communities_only, const char *first_label, bool required) {
  OrgUnit *units = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  value = page_s(value);
  int ncommunities = 0;
  bool ok = app_org_list(&r->ctx, &units, &n, &e) == ERR_OK;
  for (int i = 0; ok && i < n; i++) ncommunities += strcmp(units[i].level, "community") == 0;
  /* A district of thousands of communities would make every page carry a
   * huge select: beyond PP_ORG_SELECT_MAX options the code is typed
   * (communities) or the filter offers the units down to one level below
   * the actor (the rest stay reachable through the code). */
  if (!ok || (communities_only && ncommunities > PP_ORG_SELECT_MAX)) {
    free(units);
    form_input(r, "text", name, label_zh, value, err, required, 64);
    return;
  }
  int top = page_org_top_depth(units, n);
  int max_depth = (!communities_only && n > PP_ORG_SELECT_MAX) ? top + 1 : INT_MAX;
  html(r, "<div class=\"field%s\"><label for=\"f-%s\">%s%s</label><select id=\"f-%s\" name=\"%s\"%s>",
       err ? " has-error" : "", name, T(r, label_zh), required ? " *" : "", name, name, required ? " required" : "");
  html(r, "<option value=\"\">%s</option>", T(r, first_label));
  bool found = !*value;
  for (int i = 0; i < n; i++) {
    const OrgUnit *u = &units[i];
    bool community = strcmp(u->level, "community") == 0;
    if (communities_only && !community) continue;
    if (page_org_depth(u->path) > max_depth && strcmp(u->code, value) != 0) continue;
    bool sel = strcmp(u->code, value) == 0;
    found = found || sel;
    html(r, "<option value=\"%s\"%s>", u->code, sel ? " selected" : "");
    if (!communities_only) page_org_indent(r, u->path, top);
    html(r, "%s（%s）</option>", u->name, u->code);
  }
  if (!found) html(r, "<option value=\"%s\" selected>%s</option>", value, value);
  html_raw(r, "</select>");
  if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", name, T(r, err));
  html_raw(r, "</div>");
  free(units);
}

/* ---- list ------------------------------------------------------------ */

/* GET /persons?q=&status=&org=&page=: search and list the case files in
 * the actor's scope, 20 a page; the pager keeps the filters. */
void page_person_list(Req *r) {
  const char *q = page_s(req_query(r, "q"));
  const char *status = page_s(req_query(r, "status"));
  const char *org = page_s(req_query(r, "org"));
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);
  PersonQuery pq = {q, status, org, page, PP_PER_PAGE};
  PersonSummary *items = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (*status && status_from_code(status) == ST_NONE) err_field(&e, "status", "请选择有效的管控状态");
  else app_person_list(&r->ctx, &pq, &items, &n, &total, &e);
  if (e.code != ERR_OK && e.code != ERR_INVALID && e.code != ERR_NOT_FOUND) {
    free(items);
    resp_error(r, &e);
    return;
  }

  page_begin(r, T(r, "人员档案"), false);
  html(r, "<h1>%s</h1>", T(r, "人员档案"));
  if (actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<div class=\"actions\"><a class=\"button\" href=\"/persons/new\">%s</a></div>", T(r, "登记新人员"));

  html_raw(r, "<form method=\"get\" action=\"/persons\" class=\"filters\" role=\"search\">");
  form_input(r, "search", "q", "姓名或身份证号", q, NULL, false, 60);
  const char *opts[2 * ST__COUNT + 1];
  pp_status_options(opts, "全部状态");
  form_select(r, "status", "管控状态", opts, status, err_field_msg(&e, "status"));
  pp_org_select(r, "org", "所属单位", org, err_field_msg(&e, "org"), false, "全部单位", false);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  if (e.code != ERR_OK) form_error_summary(r, &e);

  if (n == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "没有符合条件的人员"));
  } else {
    html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th><th>%s</th>"
            "<th class=\"opt\">%s</th><th class=\"opt\">%s</th><th class=\"opt\">%s</th></tr></thead><tbody>",
         T(r, "姓名"), T(r, "性别"), T(r, "身份证号"), T(r, "所属社区"), T(r, "管控状态"), T(r, "在控情况"),
         T(r, "下次谈话"), T(r, "下次检测"));
    for (int i = 0; i < n; i++) {
      const PersonSummary *p = &items[i];
      const char *sex = strcmp(p->sex, "M") == 0 ? T(r, "男") : strcmp(p->sex, "F") == 0 ? T(r, "女") : "";
      html(r, "<tr><td><a href=\"/persons/%lld\">%s</a></td><td>%s</td><td>%s</td><td class=\"opt\">%s</td>"
              "<td>%s</td><td class=\"opt\"><span class=\"badge %s\">%s</span></td><td class=\"opt\">%s</td>"
              "<td class=\"opt\">%s</td></tr>",
           (long long)p->id, p->name, sex, p->id_masked, p->org_name, page_status_name(r, p->status), p->control,
           pp_control_name(r, p->control), page_dash(p->next_talk_due), page_dash(p->next_test_due));
    }
    html_raw(r, "</tbody></table>");
  }
  free(items);

  /* The pager's base keeps every filter. */
  Buf base = BUF_INIT;
  buf_puts(&base, "/persons");
  page_query_param(&base, "q", q);
  page_query_param(&base, "status", status);
  page_query_param(&base, "org", org);
  html_pager_capped(r, buf_str(&base), page, PP_PER_PAGE, total, PERSON_LIST_COUNT_CAP);
  buf_reset(&base);
  page_end(r);
}

/* ---- the new/edit form ---------------------------------------------- */

/* One form control for field f with its value and error. */
static void pp_form_field(Req *r, const PersonField *f, const char *val, const char *err) {
  int maxlen = (int)f->max_len;
  switch (f->kind) {
  case PFK_TEXT: form_input(r, "text", f->key, f->label_zh, val, err, f->required, maxlen); break;
  case PFK_ID: form_input(r, "text", f->key, f->label_zh, val, err, f->required, maxlen); break;
  case PFK_PHONE: form_input(r, "tel", f->key, f->label_zh, val, err, f->required, maxlen); break;
  case PFK_DATE: /* the birth date may be left empty: app/ takes it from the ID number */
    form_input(r, "date", f->key, f->label_zh, val, err, f->required && f->id != PF_BIRTH_DATE, 0);
    break;
  case PFK_LONG: form_textarea(r, f->key, f->label_zh, val, err, maxlen); break;
  case PFK_SEX: {
    static const char *const opts[] = {"", "请选择", "M", "男", "F", "女", NULL};
    form_select(r, f->key, f->label_zh, opts, val, err);
    break;
  }
  case PFK_DRUGS:
    html(r, "<fieldset class=\"field wide%s\"><legend>%s</legend><div class=\"checks\">", err ? " has-error" : "",
         T(r, f->label_zh));
    for (size_t k = 0; k < drug_types_count; k++)
      html(r, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s> %s</label> ", f->key,
           drug_types[k].code, pp_csv_has(val, drug_types[k].code) ? " checked" : "", T(r, drug_types[k].name_zh));
    html_raw(r, "</div>");
    if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", f->key, T(r, err));
    html_raw(r, "</fieldset>");
    break;
  case PFK_FLAG:
    html(r, "<div class=\"field%s\"><label class=\"check\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%s> %s</label>",
         err ? " has-error" : "", f->key, f->key, val && strcmp(val, "1") == 0 ? " checked" : "", T(r, f->label_zh));
    if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", f->key, T(r, err));
    html_raw(r, "</div>");
    break;
  }
}

/* true when field error name is shown beside a control of the person form. */
static bool pp_form_knows_field(const char *name) {
  return person_field_by_key(name) || strcmp(name, "org") == 0 || strcmp(name, "help_team") == 0;
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
    if (s == PS_BASIC)
      pp_org_select(r, "org", "责任社区", in->org_code, e ? err_field_msg(e, "org") : NULL, true, "请选择", true);
    for (int i = 0; i < PF__COUNT; i++) {
      const PersonField *f = &person_fields[i];
      if ((int)pp_section_of(f) != s) continue;
      pp_form_field(r, f, in->val[i], e ? err_field_msg(e, f->key) : NULL);
    }
    html_raw(r, "</div></section>");
  }

  /* The help team: at least PP_TEAM_ROWS rows, one empty row to add to a
   * longer team, never more than the app accepts. */
  const char *team_err = e ? err_field_msg(e, "help_team") : NULL;
  int rows = in->nteam + 1;
  if (rows < PP_TEAM_ROWS) rows = PP_TEAM_ROWS;
  if (rows > PERSON_TEAM_MAX) rows = PERSON_TEAM_MAX;
  html(r, "<section class=\"card%s\"><h2>%s</h2><p class=\"muted\">%s</p>", team_err ? " has-error" : "",
       T(r, "帮教小组"), T(r, "每行一名成员；角色和姓名必填，三项都空的行不保存。"));
  if (team_err) html(r, "<p class=\"field-error\" id=\"e-help_team\">%s</p>", T(r, team_err));
  html(r, "<table class=\"team\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "角色"),
       T(r, "姓名"), T(r, "联系电话"));
  for (int i = 0; i < rows; i++) {
    const char *role = i < in->nteam ? in->team[i].role : "";
    const char *name = i < in->nteam ? in->team[i].name : "";
    const char *phone = i < in->nteam ? in->team[i].phone : "";
    html(r, "<tr><td><input type=\"text\" name=\"team_role\" value=\"%s\" maxlength=\"30\" list=\"team-roles\" "
            "aria-label=\"%s %d\"></td>",
         page_s(role), T(r, "角色"), i + 1);
    html(r, "<td><input type=\"text\" name=\"team_name\" value=\"%s\" maxlength=\"60\" aria-label=\"%s %d\"></td>",
         page_s(name), T(r, "姓名"), i + 1);
    html(r, "<td><input type=\"tel\" name=\"team_phone\" value=\"%s\" maxlength=\"40\" aria-label=\"%s %d\"></td></tr>",
         page_s(phone), T(r, "联系电话"), i + 1);
  }
  html_raw(r, "</tbody></table><datalist id=\"team-roles\">");
  static const char *const roles[] = {"家属", "社区民警", "禁毒社工", "社区干部", "司法所", "民政", "人社", NULL};
  for (const char *const *p = roles; *p; p++) html(r, "<option value=\"%s\"></option>", *p);
  html_raw(r, "</datalist></section>");

  html(r, "<div class=\"actions\"><button type=\"submit\">%s</button>", T(r, "保存"));
  if (id) html(r, " <a class=\"button secondary\" href=\"/persons/%lld\">%s</a>", (long long)id, T(r, "取消"));
  else html(r, " <a class=\"button secondary\" href=\"/persons\">%s</a>", T(r, "取消"));
  html_raw(r, "</div></form>");
  page_end(r);
}

/* Fills in from the posted form: every field of the table is given (an
 * unchecked flag is "0", no drug checked is ""), the org and the help team
 * (rows whose three inputs are blank are skipped). The drug list is joined
 * into drugs, which the caller keeps (and frees) until in is no longer used;
 * every other value points into r's form. */
static void pp_input_from_form(Req *r, PersonInput *in, Buf *drugs) {
  memset(in, 0, sizeof *in);
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    in->has[i] = true;
    if (f->kind == PFK_DRUGS) {
      const char *vals[64];
      int n = req_form_all(r, f->key, vals, 64);
      for (int k = 0; k < n; k++) {
        if (drugs->len) buf_putc(drugs, ',');
        buf_puts(drugs, vals[k]);
      }
      in->val[i] = NULL; /* set below, once drugs no longer moves */
    } else if (f->kind == PFK_FLAG) {
      const char *v = req_form(r, f->key);
      in->val[i] = v && *v ? v : "0";
    } else {
      in->val[i] = page_s(req_form(r, f->key));
    }
  }
  for (int i = 0; i < PF__COUNT; i++)
    if (person_fields[i].kind == PFK_DRUGS) in->val[i] = buf_str(drugs);
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
    in->team[i].role = p->team[i].role;
    in->team[i].name = p->team[i].name;
    in->team[i].phone = p->team[i].phone;
    in->nteam++;
  }
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
  Buf drugs = BUF_INIT;
  pp_input_from_form(r, &in, &drugs);
  Err e;
  err_clear(&e);
  int64_t id = 0;
  if (app_person_create(&r->ctx, &in, &id, &e) != ERR_OK) {
    if (page_form_failed(r, &e)) {
      pp_form_page(r, 0, &in, 0, &e);
      r->status = err_http_status(e.code);
    }
    buf_reset(&drugs);
    return;
  }
  buf_reset(&drugs);
  char loc[48];
  snprintf(loc, sizeof loc, "/persons/%lld", (long long)id);
  resp_redirect(r, loc);
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
  Buf drugs = BUF_INIT;
  pp_input_from_form(r, &in, &drugs);
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
    buf_reset(&drugs);
    return;
  }
  buf_reset(&drugs);
  char loc[48];
  snprintf(loc, sizeof loc, "/persons/%lld", (long long)r->ids[0]);
  resp_redirect(r, loc);
}

/* ---- the case file: section renderers shared by show and print -------- */

/* One value of field f for reading: sex and flags in words, drug codes as
 * names, "—" when empty. */
static void pp_field_value(Req *r, const PersonField *f, const char *v) {
  v = page_s(v);
  switch (f->kind) {
  case PFK_SEX:
    html(r, "%s", strcmp(v, "M") == 0 ? T(r, "男") : strcmp(v, "F") == 0 ? T(r, "女") : page_dash(v));
    break;
  case PFK_FLAG: html(r, "%s", strcmp(v, "1") == 0 ? T(r, "是") : T(r, "否")); break;
  case PFK_DRUGS: {
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
  html(r, "<section class=\"card\"><h2>%s</h2><dl class=\"kv\">", T(r, pp_section_title[s]));
  if (s == PS_BASIC) {
    html(r, "<dt>%s</dt><dd>%s（%s）</dd>", T(r, "责任社区"), p->org_name, p->org_code);
    html(r, "<dt>%s</dt><dd id=\"worker-name\">%s</dd>", T(r, "责任社工"),
         p->worker_name && *p->worker_name ? p->worker_name : T(r, "未指定"));
  }
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
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
  html(r, "<section class=\"card\"><h2>%s</h2><dl class=\"kv\">", T(r, "管控情况"));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "管控状态"), page_status_name(r, p->status));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "状态起始日期"), page_dash(p->status_since));
  html(r, "<dt>%s</dt><dd><span class=\"badge %s\">%s</span></dd>", T(r, "在控情况"), page_s(p->control),
       pp_control_name(r, p->control));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "风险等级"), page_risk_name(r, p->risk_level));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "下次谈话"), page_dash(p->next_talk_due));
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "下次检测"), page_dash(p->next_test_due));
  html_raw(r, "</dl></section>");
}

/* The help team table (heading and table; the caller wraps the card). */
static void pp_team_table(Req *r, const Person *p) {
  html(r, "<h2>%s</h2>", T(r, "帮教小组"));
  if (p->nteam == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "尚未登记帮教小组成员"));
    return;
  }
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "角色"), T(r, "姓名"),
       T(r, "联系电话"));
  for (int i = 0; i < p->nteam; i++)
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", T(r, p->team[i].role), p->team[i].name,
         page_dash(p->team[i].phone));
  html_raw(r, "</tbody></table>");
}

/* The documents table (heading and table). */
static void pp_docs_table(Req *r, const Person *p) {
  html(r, "<h2>%s</h2>", T(r, "协议与责任书"));
  if (p->ndocs == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "尚未登记文书"));
    return;
  }
  html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "文书类型"),
       T(r, "签订日期"), T(r, "编号"));
  for (int i = 0; i < p->ndocs; i++)
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", pp_doc_kind_name(r, p->docs[i].kind),
         page_dash(p->docs[i].signed_date), page_dash(p->docs[i].number));
  html_raw(r, "</tbody></table>");
}

/* The status history, oldest first; a corrected (voided) row is struck
 * through and marked 已更正. */
static void pp_history_table(Req *r, const Person *p) {
  html(r, "<h2>%s</h2>", T(r, "管控状态记录"));
  if (p->nepisodes == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "尚无管控状态记录"));
    return;
  }
  html(r, "<table><thead><tr><th>#</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
          "<th class=\"opt\">%s</th></tr></thead><tbody>",
       T(r, "管控状态"), T(r, "决定日期"), T(r, "开始日期"), T(r, "决定书编号"), T(r, "计划结束日期"), T(r, "备注"));
  for (int i = 0; i < p->nepisodes; i++) {
    const Episode *ep = &p->episodes[i];
    const char *o = ep->voided ? "<s>" : "", *c = ep->voided ? "</s>" : "";
    html_raw(r, ep->voided ? "<tr class=\"voided muted\">" : "<tr>");
    html(r, "<td>%d</td>", i + 1); /* its place in the history, not a row id */
    html_raw(r, "<td>");
    html_raw(r, o);
    html(r, "%s", page_status_name(r, ep->status));
    html_raw(r, c);
    if (ep->voided) html(r, " <span class=\"badge\">%s</span>", T(r, "已更正"));
    html_raw(r, "</td><td>");
    html_raw(r, o);
    html(r, "%s", page_dash(ep->decision_date));
    html_raw(r, c);
    html_raw(r, "</td><td>");
    html_raw(r, o);
    html(r, "%s", page_dash(ep->start_date));
    html_raw(r, c);
    html_raw(r, "</td><td>");
    html_raw(r, o);
    html(r, "%s", page_dash(ep->decision_no));
    html_raw(r, c);
    html_raw(r, "</td><td>");
    html_raw(r, o);
    html(r, "%s", page_dash(ep->planned_end));
    html_raw(r, c);
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
typedef enum { PP_FORM_NONE, PP_FORM_STATUS, PP_FORM_DOC, PP_FORM_WORKER } PpFailed;

/* A posted value to show again when form `which` failed, else "". */
static const char *pp_again(Req *r, PpFailed failed, PpFailed which, const char *key) {
  return failed == which ? page_s(req_form(r, key)) : "";
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
  form_input(r, "date", "signed_date", "签订日期", pp_again(r, failed, PP_FORM_DOC, "signed_date"),
             fe ? err_field_msg(fe, "signed_date") : NULL, true, 0);
  form_input(r, "text", "number", "编号", pp_again(r, failed, PP_FORM_DOC, "number"),
             fe ? err_field_msg(fe, "number") : NULL, false, 60);
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
  form_input(r, "date", "decision_date", "决定日期", pp_again(r, failed, PP_FORM_STATUS, "decision_date"),
             fe ? err_field_msg(fe, "decision_date") : NULL, false, 0);
  form_input(r, "date", "start_date", "开始日期（报到日）", pp_again(r, failed, PP_FORM_STATUS, "start_date"),
             fe ? err_field_msg(fe, "start_date") : NULL, false, 0);
  form_input(r, "text", "decision_no", "决定书编号", pp_again(r, failed, PP_FORM_STATUS, "decision_no"),
             fe ? err_field_msg(fe, "decision_no") : NULL, false, 60);

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
  form_textarea(r, "note", "备注", pp_again(r, failed, PP_FORM_STATUS, "note"), fe ? err_field_msg(fe, "note") : NULL,
                500);
  html(r, "</div><p><button type=\"submit\">%s</button></p></form>", T(r, "登记"));
}

/* The whole case file. print: the clean print layout without forms;
 * otherwise the append forms for writers, with the failed one (if any)
 * showing e and the values typed. */
static void pp_case_file(Req *r, const Person *p, bool print, PpFailed failed, const Err *e) {
  bool forms = !print && actor_can(&r->actor, PERM_PERSON_WRITE);
  pp_sec_fields(r, p, PS_BASIC);
  if (forms) pp_worker_form(r, p, failed, e);
  pp_sec_fields(r, p, PS_ADDRESS);
  pp_sec_supervision(r, p);
  pp_sec_fields(r, p, PS_DRUGS);
  pp_sec_fields(r, p, PS_FIVE);
  pp_sec_fields(r, p, PS_THREE);
  html_raw(r, "<section class=\"card\" id=\"team\">");
  pp_team_table(r, p);
  html_raw(r, "</section><section class=\"card\" id=\"docs\">");
  pp_docs_table(r, p);
  if (forms) pp_doc_form(r, p, failed, e);
  html_raw(r, "</section><section class=\"card\" id=\"history\">");
  pp_history_table(r, p);
  if (forms) pp_status_form(r, p, failed, e);
  html_raw(r, "</section>");
}

/* Renders the case-file page of p (ends the page). */
static void pp_show_page(Req *r, const Person *p, PpFailed failed, const Err *e) {
  const char *name = page_s(p->f[PF_NAME]);
  page_begin(r, name, false);
  html(r, "<h1>%s <span class=\"badge\">%s</span> <span class=\"badge %s\">%s</span></h1>", name,
       page_status_name(r, p->status), page_s(p->control), pp_control_name(r, p->control));
  html_raw(r, "<div class=\"actions\">");
  if (actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<a class=\"button\" href=\"/persons/%lld/edit\">%s</a> ", (long long)p->id, T(r, "编辑档案"));
  if (actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE)
    html(r, "<a class=\"button\" href=\"#supervision\">%s</a> ", T(r, "登记帮教/检测"));
  html(r, "<a class=\"button secondary\" href=\"/persons/%lld/print\">%s</a> <a class=\"button secondary\" href=\"/persons\">%s</a></div>",
       (long long)p->id, T(r, "打印档案"), T(r, "返回列表"));
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
  html(r, "<table class=\"signatures\"><tr><td>%s：</td><td>%s：</td><td>%s：</td></tr></table>", T(r, "填表人"),
       T(r, "审核人"), T(r, "日期"));
  page_end(r);
  person_free(&p);
}

/* Re-renders the case file with the failed append form, or answers the
 * error page when the error is not about the input. */
static void pp_append_failed(Req *r, PpFailed which, const Err *e) {
  if (!page_form_failed(r, e)) return;
  Person p;
  if (!page_person_load(r, &p)) return;
  pp_show_page(r, &p, which, e);
  r->status = err_http_status(e->code);
  person_free(&p);
}

/* Answers a saved append form: back to the case file r->ids[0], with the
 * query and fragment of suffix ("" or e.g. "?saved=worker#worker"). */
static void pp_redirect_show(Req *r, const char *suffix) {
  char loc[96];
  snprintf(loc, sizeof loc, "/persons/%lld%s", (long long)r->ids[0], suffix);
  resp_redirect(r, loc);
}

/* POST /persons/{id}/status: starts or corrects a status episode. */
void page_person_status(Req *r) {
  StatusInput in;
  memset(&in, 0, sizeof in);
  in.status = page_s(req_form(r, "status"));
  in.decision_date = page_s(req_form(r, "decision_date"));
  in.start_date = page_s(req_form(r, "start_date"));
  in.decision_no = page_s(req_form(r, "decision_no"));
  in.note = page_s(req_form(r, "note"));
  Err e;
  err_clear(&e);
  const char *cid = page_s(req_form(r, "corrects_id"));
  if (*cid) {
    char *end;
    long long v = strtoll(cid, &end, 10);
    if (*end || v <= 0) err_field(&e, "corrects_id", "要更正的状态记录不存在或已被更正");
    else in.corrects_id = v;
  }
  if (e.code == ERR_OK) app_person_add_status(&r->ctx, r->ids[0], &in, NULL, &e);
  if (e.code != ERR_OK) {
    pp_append_failed(r, PP_FORM_STATUS, &e);
    return;
  }
  pp_redirect_show(r, "");
}

/* POST /persons/{id}/docs: records a signed agreement or letter. */
void page_person_doc(Req *r) {
  DocInput in = {page_s(req_form(r, "kind")), page_s(req_form(r, "signed_date")), page_s(req_form(r, "number"))};
  Err e;
  err_clear(&e);
  if (app_person_add_doc(&r->ctx, r->ids[0], &in, &e) != ERR_OK) {
    pp_append_failed(r, PP_FORM_DOC, &e);
    return;
  }
  pp_redirect_show(r, "");
}

/* POST /persons/{id}/worker: sets (worker=username) or clears (worker
 * empty) the responsible social worker; back to the case file with a
 * notice, or the case file with the message beside the form. */
void page_person_worker(Req *r) {
  Err e;
  err_clear(&e);
  if (app_person_set_worker(&r->ctx, r->ids[0], req_form_str(r, "worker"), &e) != ERR_OK) {
    pp_append_failed(r, PP_FORM_WORKER, &e);
    return;
  }
  pp_redirect_show(r, "?saved=worker#worker");
}
