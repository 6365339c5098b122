/* web/page_supervision.c: the supervision forms of one person, phone first
 * (one column, large targets, the date defaulting to today, big buttons):
 * record a talk or visit, a drug test, an event; and the supervision
 * section of the case-file page (schedule, recent records, open tasks,
 * approvals, the buttons to record and to propose). Also the names of the
 * supervision codes and the action link of a work item, which the workbench
 * (web/page_work.c) shares. Parses forms into app/supervision.h inputs,
 * calls app/, renders; nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/approval.h"
#include "app/org.h"
#include "app/person.h"
#include "app/supervision.h"
#include "core/offence.h"
#include "core/risk.h"
#include "core/status.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/routes.h"

/* The answer to a talk or test form of a closed file (app/supervision.c's message). */
#define M_CLOSED "该人员已死亡或出境，档案已关闭，不能登记谈话走访或检测"

/* ---- codes and their names ---------------------------------------------- */

/* The codes a form offers; names come from app/supervision.h. */
static const char *const sup_visit_codes[] = {"talk", "home_visit", "phone", "office", NULL};
static const char *const sup_sample_codes[] = {"urine", "hair", "saliva", "blood", NULL};
static const char *const sup_result_codes[] = {"negative", "positive", "refused", "absent", NULL};
static const char *const sup_event_codes[] = {"reported", "lost_contact", "found", "leave", "leave_return",
                                              "absence", "detained", "detention_end", "imprisoned",
                                              "release_notice", "released", "transfer_request",
                                              "agreement_signed", "police_report", "police_decision",
                                              "extension", "offence", NULL};
static const char *const sup_reason_opts[] = {"scheduled", "定期检测", "random", "不定期（随机）检测", NULL};

/* Fills out with {code, name} pairs of codes (names by fn), NULL-terminated;
 * first_label (when not NULL) adds {"", first_label} in front. out holds
 * 2 * (count + 1) + 1 pointers. */
static void sup_opts(const char **out, const char *const *codes, const char *(*fn)(const char *),
                     const char *first_label) {
  int k = 0;
  if (first_label) {
    out[k++] = "";
    out[k++] = first_label;
  }
  for (; *codes; codes++) {
    out[k++] = *codes;
    out[k++] = page_or(fn(*codes), *codes);
  }
  out[k] = NULL;
}

/* true when back is the work list (or one of its filtered views): a local
 * path safe to redirect to. */
bool sup_back_ok(const char *back) {
  if (!back || strncmp(back, "/work", 5) != 0 || (back[5] != 0 && back[5] != '?')) return false;
  return strlen(back) < 400 && !strpbrk(back, "\r\n\\\"<>") && !strstr(back, "//");
}

/* The value a form control shows: what was posted (a failed POST), else the
 * query parameter (a link may preset it), else def. */
static const char *sup_val(Req *r, const char *key, const char *def) {
  if (strcmp(r->method, "POST") == 0) return req_form_str(r, key);
  const char *q = req_query(r, key);
  return q ? q : def;
}

/* The back target of a form: the posted or linked "back" when it is safe. */
static const char *sup_back(Req *r) {
  const char *b = strcmp(r->method, "POST") == 0 ? req_form(r, "back") : req_query(r, "back");
  return sup_back_ok(b) ? b : NULL;
}

/* ---- the action that clears a work item ------------------------------- */

void sup_work_action(Req *r, const WorkItem *w, const char *back) {
  const WorkAction *a = work_reason_action(w->reason);
  Buf q = BUF_INIT;
  if (a->arg && a->kind != WA_PROPOSE) buf_printf(&q, "kind=%s", a->arg);
  if (back) {
    buf_puts(&q, q.len ? "&back=" : "back=");
    url_encode(&q, back);
  }
  long long id = (long long)w->person_id;
  const char *label = T(r, a->label_zh);
  switch (a->kind) {
  case WA_TEST: html(r, "<a class=\"button small\" href=\"/persons/%lld/tests/new?%s\">%s</a>", id, buf_str(&q), label); break;
  case WA_VISIT: html(r, "<a class=\"button small\" href=\"/persons/%lld/visits/new?%s\">%s</a>", id, buf_str(&q), label); break;
  case WA_EVENT:
    html(r, "<a class=\"button small\" href=\"/persons/%lld/events/new?%s\">%s</a>", id, buf_str(&q), label);
    if (w->reason == WL_POLICE_DECISION) /* or the decision is compulsory isolation: a status episode */
      html(r, " <a class=\"button small secondary\" href=\"/persons/%lld#status-form\">%s</a>", id,
           T(r, "登记强制隔离戒毒"));
    break;
  case WA_STATUS: html(r, "<a class=\"button small\" href=\"/persons/%lld#status-form\">%s</a>", id, label); break;
  case WA_APPROVAL:
    /* the proposer waits for the decision: she may look, not decide */
    if (w->can_decide) html(r, "<a class=\"button small\" href=\"/approvals/%lld\">%s</a>", (long long)w->approval_id, label);
    else
      html(r, "<span class=\"muted\">%s</span> <a class=\"button small secondary\" href=\"/approvals/%lld\">%s</a>",
           T(r, "等待审批"), (long long)w->approval_id, T(r, "查看申请"));
    break;
  case WA_PROPOSE: html(r, "<a class=\"button small\" href=\"/persons/%lld#propose\">%s</a>", id, label); break;
  case WA_PLAN: html(r, "<a class=\"button small\" href=\"/persons/%lld/plan/new\">%s</a>", id, label); break;
  case WA_SERVICE: html(r, "<a class=\"button small\" href=\"/persons/%lld#services\">%s</a>", id, label); break;
  }
  buf_reset(&q);
}

/* The since and why of a work item (when explained), as a line. */
void sup_work_why(Req *r, const WorkItem *w) {
  if (!w->why.since[0] && !(w->why.why_zh && *w->why.why_zh)) return;
  html_raw(r, "<span class=\"why\">");
  if (w->why.since[0]) html(r, "<span class=\"since\">%s %s</span> ", T(r, "自"), w->why.since);
  if (w->why.why_zh && *w->why.why_zh) html(r, "%s", T(r, w->why.why_zh));
  if (w->why.detail[0]) html(r, " <span class=\"detail\">%s</span>", w->why.detail);
  html_raw(r, "</span>");
}

/* ---- form pieces -------------------------------------------------------- */

/* A group of large radio buttons (phone friendly) for the pairs of opts,
 * of the choice field f (label and required mark from its table); sel
 * checked, e's message of the field beside it. */
static void sup_radios(Req *r, const FieldSpec *f, const char *const *opts, const char *sel, const Err *e) {
  const char *name = f->key, *err = e ? err_field_msg(e, name) : NULL;
  html(r, "<fieldset class=\"field wide choices%s\" id=\"f-%s\"><legend>%s%s</legend><div class=\"choice-row\">",
       err ? " has-error" : "", name, T(r, f->label_zh), f->required ? " *" : "");
  for (const char *const *o = opts; o[0]; o += 2)
    html(r, "<label class=\"choice choice-%s\"><input type=\"radio\" name=\"%s\" value=\"%s\"%s%s> <span>%s</span></label>",
         o[0], name, o[0], sel && strcmp(sel, o[0]) == 0 ? " checked" : "", f->required ? " required" : "", T(r, o[1]));
  html_raw(r, "</div>");
  if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", name, T(r, err));
  html_raw(r, "</fieldset>");
}

/* The heading of a record form: the title, the person and the unit. */
static void sup_form_head(Req *r, const Person *p, const char *title_zh) {
  page_begin(r, T(r, title_zh), false);
  html(r, "<div class=\"rec-head\"><h1>%s</h1><p><a href=\"/persons/%lld\">%s</a> · %s · %s</p></div>", T(r, title_zh),
       (long long)p->id, page_s(p->f[PF_NAME]), page_s(p->org_name),
       page_status_name(r, p->status));
}

/* Opens the form with its CSRF token and the back target. */
static void sup_form_open(Req *r, const Person *p, const char *what, const Err *e) {
  html(r, "<form method=\"post\" action=\"/persons/%lld/%s/new\" class=\"rec-form\">", (long long)p->id, what);
  form_csrf(r);
  const char *back = sup_back(r);
  if (back) html(r, "<input type=\"hidden\" name=\"back\" value=\"%s\">", back);
  if (e && e->code != ERR_OK) form_error_summary(r, e);
}

/* The big save and cancel buttons; closes the form and ends the page. */
static void sup_form_close(Req *r, const Person *p) {
  const char *back = sup_back(r);
  html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button>", T(r, "保存"));
  if (back) html(r, "<a class=\"button secondary big\" href=\"%s\">%s</a>", back, T(r, "取消"));
  else html(r, "<a class=\"button secondary big\" href=\"/persons/%lld\">%s</a>", (long long)p->id, T(r, "取消"));
  html_raw(r, "</div></form>");
  page_end(r);
}

/* The field error of e for name, or NULL. */
static const char *sup_ferr(const Err *e, const char *name) { return e ? err_field_msg(e, name) : NULL; }

/* The control of field key of spec with its value (sup_val with def) and
 * e's message. */
static void sup_control(Req *r, const RecordSpec *spec, const char *key, const char *def, const Err *e) {
  bind_form_control(r, bind_field(spec, key), sup_val(r, key, def), sup_ferr(e, key));
}

/* Today as YYYY-MM-DD. */
static void sup_today(Req *r, char out[DATE_ISO_LEN]) { date_format(r->ctx.today, out); }

/* Where to go after a record was saved: back to the work list when the form
 * came from there, else the case file with a notice. */
static void sup_saved(Req *r, const char *what, bool relapse) {
  const char *back = sup_back(r);
  if (back && !relapse) {
    resp_redirect(r, back);
    return;
  }
  char loc[96];
  snprintf(loc, sizeof loc, "/persons/%lld?saved=%s%s#supervision", (long long)r->ids[0], what,
           relapse ? "&relapse=1" : "");
  resp_redirect(r, loc);
}

/* Answers GET of a record form: page, empty, for person r->ids[0]. A talk
 * or test form (open_only) of a closed file answers why there is none. */
static void sup_form_new_of(Req *r, PagePersonForm page, bool open_only) {
  Person p;
  if (!page_person_load(r, &p)) return;
  if (open_only && status_is_closed(status_from_code(p.status))) resp_fail(r, ERR_CONFLICT, M_CLOSED);
  else page(r, &p, NULL);
  person_free(&p);
}

/* ---- talk / visit ------------------------------------------------------- */

/* Renders the talk/visit form (values as posted or defaults). */
static void sup_visit_page(Req *r, const Person *p, const Err *e) {
  char today[DATE_ISO_LEN];
  sup_today(r, today);
  sup_form_head(r, p, "登记谈话/走访");
  sup_form_open(r, p, "visits", e);
  const char *kinds[16];
  sup_opts(kinds, sup_visit_codes, visit_kind_name_zh, NULL);
  sup_radios(r, bind_field(&visit_record, "kind"), kinds, sup_val(r, "kind", "talk"), e);
  sup_control(r, &visit_record, "date", today, e);
  sup_control(r, &visit_record, "place", "", e);
  sup_control(r, &visit_record, "notes", "", e);
  /* the five knowns: open when one was typed or is wrong */
  static const int fk[] = {PF_FK_BASICS, PF_FK_CONTACTS, PF_FK_FAMILY_ECONOMY, PF_FK_STATE_OF_MIND, PF_FK_MOVEMENTS};
  bool open = false;
  for (size_t i = 0; i < sizeof fk / sizeof fk[0]; i++) {
    const char *key = person_fields[fk[i]].key;
    if (*sup_val(r, key, "") || sup_ferr(e, key)) open = true;
  }
  html(r, "<details class=\"card fk\"%s><summary>%s</summary><p class=\"muted\">%s</p>", open ? " open" : "",
       T(r, "更新五知（可选）"), T(r, "只填有变化的项目；留空的项目保持不变。"));
  for (size_t i = 0; i < sizeof fk / sizeof fk[0]; i++) {
    const FieldSpec *f = bind_field(&visit_record, person_fields[fk[i]].key);
    bind_form_control(r, f, sup_val(r, f->key, ""), sup_ferr(e, f->key));
    const char *cur = p->f[fk[i]];
    if (cur && *cur) html(r, "<p class=\"muted current\">%s：%s</p>", T(r, "现记录"), cur);
  }
  html_raw(r, "</details>");
  sup_form_close(r, p);
}

/* GET /persons/{id}/visits/new[?kind=&back=/work] */
void page_visit_new(Req *r) { sup_form_new_of(r, sup_visit_page, true); }

/* POST /persons/{id}/visits/new: records the talk or visit. */
static int sup_visit_write(Req *r, void *in, Err *e) { return app_visit_add(&r->ctx, r->ids[0], in, NULL, e); }
static const PersonRecordForm sup_visit_rf = {&visit_record, sizeof(VisitInput), sup_visit_write, sup_visit_page};
void page_visit_create(Req *r) {
  if (page_person_form_post(r, &sup_visit_rf)) sup_saved(r, "visit", false);
}

/* ---- drug test ---------------------------------------------------------- */

/* true when the comma-separated csv holds code, or the posted checkboxes do. */
static bool sup_substance_checked(Req *r, const char *code) {
  const char *vals[32];
  int n = strcmp(r->method, "POST") == 0 ? req_form_all(r, "substances", vals, 32) : 0;
  for (int i = 0; i < n; i++)
    if (strcmp(vals[i], code) == 0) return true;
  return false;
}

/* Renders the test form. */
static void sup_test_page(Req *r, const Person *p, const Err *e) {
  char today[DATE_ISO_LEN];
  sup_today(r, today);
  const char *me = r->actor.display_name[0] ? r->actor.display_name : r->actor.username;
  sup_form_head(r, p, "登记尿检/检测");
  sup_form_open(r, p, "tests", e);
  sup_control(r, &test_record, "date", today, e);
  const char *results[16], *samples[16];
  sup_opts(results, sup_result_codes, test_result_name_zh, NULL);
  sup_opts(samples, sup_sample_codes, test_sample_name_zh, NULL);
  sup_radios(r, bind_field(&test_record, "result"), results, sup_val(r, "result", ""), e);
  const char *serr = sup_ferr(e, "substances");
  html(r, "<fieldset class=\"field wide substances%s\" id=\"f-substances\"><legend>%s</legend><div class=\"checks\">",
       serr ? " has-error" : "", T(r, bind_field(&test_record, "substances")->label_zh));
  for (size_t k = 0; k < drug_types_count; k++)
    html(r, "<label class=\"check big-check\"><input type=\"checkbox\" name=\"substances\" value=\"%s\"%s> %s</label>",
         drug_types[k].code, sup_substance_checked(r, drug_types[k].code) ? " checked" : "", T(r, drug_types[k].name_zh));
  html_raw(r, "</div>");
  if (serr) html(r, "<span class=\"field-error\" id=\"e-substances\">%s</span>", T(r, serr));
  html_raw(r, "</fieldset>");
  sup_radios(r, bind_field(&test_record, "sample"), samples, sup_val(r, "sample", "urine"), e);
  sup_radios(r, bind_field(&test_record, "reason"), sup_reason_opts, sup_val(r, "reason", "scheduled"), e);
  sup_control(r, &test_record, "tester", me, e);
  html(r, "<p class=\"muted\">%s</p>", T(r, "阳性结果将登记为复吸，并提示报告公安机关和管控状态决定。"));
  sup_form_close(r, p);
}

/* true when the actor may record tests: writers and the police liaison
 * (app/ has the last word). */
static bool sup_may_test(const Req *r) {
  return actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE;
}

/* GET /persons/{id}/tests/new[?back=/work] */
void page_test_new(Req *r) {
  if (!sup_may_test(r)) {
    resp_fail(r, ERR_FORBIDDEN, "您没有执行此操作的权限");
    return;
  }
  sup_form_new_of(r, sup_test_page, true);
}

/* POST /persons/{id}/tests/new: records the test; a positive one leads to
 * the case file with the relapse notice. */
static int sup_test_write(Req *r, void *in, Err *e) { return app_test_add(&r->ctx, r->ids[0], in, NULL, e); }
static const PersonRecordForm sup_test_rf = {&test_record, sizeof(TestInput), sup_test_write, sup_test_page};
void page_test_create(Req *r) {
  if (!sup_may_test(r)) {
    resp_fail(r, ERR_FORBIDDEN, "您没有执行此操作的权限");
    return;
  }
  if (page_person_form_post(r, &sup_test_rf)) sup_saved(r, "test", strcmp(req_form_str(r, "result"), "positive") == 0);
}

/* ---- events ------------------------------------------------------------- */

/* A labelled input or textarea (type "textarea") whose id is
 * "f-<idp><name>", so that several forms on one page keep their ids apart;
 * list names a <datalist> (NULL for none). */
static void sup_field(Req *r, const char *type, const char *idp, const char *name, const char *label_zh,
                      const char *value, const char *err, bool required, int maxlen, const char *list) {
  html(r, "<div class=\"field%s%s\"><label for=\"f-%s%s\">%s%s</label>", err ? " has-error" : "",
       strcmp(type, "textarea") == 0 ? " wide" : "", idp, name, T(r, label_zh), required ? " *" : "");
  if (strcmp(type, "textarea") == 0) html(r, "<textarea id=\"f-%s%s\" name=\"%s\" rows=\"3\"", idp, name, name);
  else html(r, "<input type=\"%s\" id=\"f-%s%s\" name=\"%s\" value=\"%s\"", type, idp, name, name, page_s(value));
  if (maxlen > 0) html(r, " maxlength=\"%d\"", maxlen);
  if (list) html(r, " list=\"%s\"", list);
  if (required) html_raw(r, " required");
  if (err) html(r, " aria-invalid=\"true\" aria-describedby=\"e-%s%s\"", idp, name);
  if (strcmp(type, "textarea") == 0) html(r, ">\n%s</textarea>", page_s(value));
  else html_raw(r, ">");
  if (err) html(r, "<span class=\"field-error\" id=\"e-%s%s\">%s</span>", idp, name, T(r, err));
  html_raw(r, "</div>");
}

/* The picker of the receiving community of a transfer (web/org_pick.h):
 * the communities of the actor's whole county, where a transfer usually
 * goes; idp "tr-" (the proposal form) keeps its id apart from the event
 * form's. */
static void sup_org_input(Req *r, const char *idp, const char *value, const char *err) {
  const char *saved = r->field_prefix;
  r->field_prefix = *idp ? "tr" : NULL;
  org_pick(r, &(OrgPick){.name = "to_org", .label_zh = "接收社区（变更执行地）", .value = value, .error_zh = err,
                         .first_zh = "请选择", .levels = PICK_COMMUNITY, .county = true});
  r->field_prefix = saved;
}

/* Renders the event form: the kind and the fields each kind needs (shown
 * for the chosen kind where the browser supports :has, all otherwise). */
static void sup_event_page(Req *r, const Person *p, const Err *e) {
  char today[DATE_ISO_LEN];
  sup_today(r, today);
  sup_form_head(r, p, "登记事件");
  sup_form_open(r, p, "events", e);
  const char *kind = sup_val(r, "kind", "");
  const char *opts[2 * (sizeof sup_event_codes / sizeof sup_event_codes[0]) + 3];
  sup_opts(opts, sup_event_codes, event_kind_name_zh, "请选择");
  form_select(r, "kind", bind_field(&event_record, "kind")->label_zh, opts, kind, sup_ferr(e, "kind"));
  sup_control(r, &event_record, "date", today, e);
  html_raw(r, "<div class=\"ev-only ev-leave\">");
  sup_control(r, &event_record, "until", "", e);
  html_raw(r, "</div><div class=\"ev-only ev-absence\">");
  sup_control(r, &event_record, "days", "", e);
  html_raw(r, "</div><div class=\"ev-only ev-transfer_request\">");
  sup_org_input(r, "", sup_val(r, "to_org", ""), sup_ferr(e, "to_org"));
  html_raw(r, "</div><div class=\"ev-only ev-custody\">"); /* detained, imprisoned, extension */
  sup_control(r, &event_record, "expected_end", "", e);
  html_raw(r, "</div><div class=\"ev-only ev-offence\">");
  sup_control(r, &event_record, "offence", "", e);
  sup_control(r, &event_record, "case_no", "", e);
  html_raw(r, "</div>");
  sup_control(r, &event_record, "note", "", e);
  sup_form_close(r, p);
}

/* GET /persons/{id}/events/new[?kind=&back=/work] */
void page_event_new(Req *r) { page_person_form_new(r, sup_event_page); }

/* POST /persons/{id}/events/new: records the event. */
static int sup_event_write(Req *r, void *in, Err *e) { return app_event_add(&r->ctx, r->ids[0], in, NULL, e); }
static const PersonRecordForm sup_event_rf = {&event_record, sizeof(EventInput), sup_event_write, sup_event_page};
void page_event_create(Req *r) {
  if (page_person_form_post(r, &sup_event_rf)) sup_saved(r, "event", false);
}

/* ---- proposals (审批申请) ------------------------------------------------ */

/* One proposal form of kind (release_3y | transfer | risk_override) inside a
 * <details>; open (with e's messages and the values typed) when it is the
 * one that failed. The browser asks for confirmation. */
static void sup_propose_form(Req *r, const Person *p, const char *kind, const char *failed_kind, const Err *e) {
  bool failed = failed_kind && strcmp(failed_kind, kind) == 0;
  const Err *fe = failed ? e : NULL;
  const char *title = approval_kind_name_zh(kind);
  html(r, "<details class=\"propose\"%s><summary>%s</summary>", failed ? " open" : "", T(r, page_or(title, kind)));
  html(r, "<form method=\"post\" action=\"/persons/%lld/approvals\" data-confirm=\"%s\">", (long long)p->id,
       T(r, "确认提交审批申请？"));
  form_csrf(r);
  html(r, "<input type=\"hidden\" name=\"kind\" value=\"%s\">", kind);
  if (fe) form_error_summary(r, fe);
  const char *kerr = sup_ferr(fe, "kind");
  if (kerr) html(r, "<p class=\"field-error\">%s</p>", T(r, kerr));
  if (strcmp(kind, "transfer") == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "变更执行地：由接收方街道禁毒办审批；批准后档案移交，人员应在15日内向新执行地报到并重新签订协议。"));
    sup_org_input(r, "tr-", failed ? req_form_str(r, "to_org") : "", sup_ferr(fe, "to_org"));
    char today[DATE_ISO_LEN];
    sup_today(r, today);
    sup_field(r, "date", "tr-", "date", "申请日期", failed ? req_form_str(r, "date") : today, sup_ferr(fe, "date"),
              false, 0, NULL);
  } else if (strcmp(kind, "risk_override") == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, "人工调整风险等级须说明理由，由区禁毒办审批。"));
    const char *rerr = sup_ferr(fe, "risk_level"), *cur = failed ? req_form_str(r, "risk_level") : "";
    html(r, "<div class=\"field%s\"><label for=\"f-ro-risk_level\">%s *</label><select id=\"f-ro-risk_level\" "
            "name=\"risk_level\" required>",
         rerr ? " has-error" : "", T(r, "调整为"));
    html(r, "<option value=\"\"%s>%s</option>", *cur ? "" : " selected", T(r, "请选择"));
    for (RiskLevel l = RISK_LOW; l <= RISK_HIGH; l++)
      html(r, "<option value=\"%s\"%s>%s</option>", risk_code(l), strcmp(cur, risk_code(l)) == 0 ? " selected" : "",
           T(r, risk_name_zh(l)));
    html_raw(r, "</select>");
    if (rerr) html(r, "<span class=\"field-error\">%s</span>", T(r, rerr));
    html_raw(r, "</div>");
  } else {
    html(r, "<p class=\"muted\">%s</p>", T(r, "戒断满三年未复吸：帮教小组提请解除帮教，由区禁毒办审批；解除后仍保持关注。"));
  }
  char idp[24];
  snprintf(idp, sizeof idp, "%s-", kind);
  sup_field(r, "textarea", idp, "reason", strcmp(kind, "risk_override") == 0 ? "理由（必填）" : "理由",
            failed ? req_form_str(r, "reason") : "", sup_ferr(fe, "reason"), false,
            (int)bind_field(&approval_record, "reason")->max, NULL);
  html(r, "<p><button type=\"submit\">%s</button></p></form></details>", T(r, "提交审批"));
}

/* The proposal forms the actor may use on p (writers only). */
static void sup_propose_forms(Req *r, const Person *p, bool eligible, const char *failed_kind, const Err *e) {
  html(r, "<div class=\"card\" id=\"propose\"><h3>%s</h3>", T(r, "提请审批"));
  if (eligible && strcmp(page_s(p->status), "abstinent_3y") != 0)
    sup_propose_form(r, p, "release_3y", failed_kind, e);
  else if (failed_kind && strcmp(failed_kind, "release_3y") == 0)
    sup_propose_form(r, p, "release_3y", failed_kind, e);
  sup_propose_form(r, p, "transfer", failed_kind, e);
  sup_propose_form(r, p, "risk_override", failed_kind, e);
  html_raw(r, "</div>");
}

/* POST /persons/{id}/approvals: proposes release after three years, a
 * transfer or a risk override; a refused proposal shows its form again. */
void page_approval_create(Req *r) {
  const char *kind = req_form_str(r, "kind");
  ApprovalInput in;
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  int64_t id = 0;
  bind_form(r, &approval_record, &in, &e);
  if (app_approval_propose(&r->ctx, r->ids[0], &in, &id, &e) != ERR_OK) {
    if (!page_form_failed(r, &e)) return;
    Person p;
    if (!page_person_load(r, &p)) return;
    page_begin(r, T(r, "提请审批"), false);
    html(r, "<div class=\"rec-head\"><h1>%s</h1><p><a href=\"/persons/%lld\">%s</a> · %s</p></div>", T(r, "提请审批"),
         (long long)p.id, page_s(p.f[PF_NAME]), page_s(p.org_name));
    bool known = strcmp(kind, "release_3y") == 0 || strcmp(kind, "transfer") == 0 || strcmp(kind, "risk_override") == 0;
    if (known) {
      sup_propose_forms(r, &p, false, kind, &e);
    } else {
      form_error_summary(r, &e);
      sup_propose_forms(r, &p, false, NULL, NULL);
    }
    page_end(r);
    r->status = err_http_status(e.code);
    person_free(&p);
    return;
  }
  page_redirect_id(r, "/persons/", r->ids[0], "?saved=approval#supervision");
}

/* ---- the supervision section of the case file ---------------------------- */

/* Days from due (YYYY-MM-DD) to today: > 0 when past due; 0 when not a date. */
static int sup_days_late(Req *r, const char *due) {
  Day d;
  if (!due || !date_parse(due, &d)) return 0;
  return r->ctx.today > d ? (int)(r->ctx.today - d) : 0;
}

/* A due date with an "overdue N days" badge. */
static void sup_due(Req *r, const char *due) {
  html(r, "%s", page_dash(due));
  int late = sup_days_late(r, due);
  if (late > 0) html(r, " <span class=\"badge high\">%s %d %s</span>", T(r, "逾期"), late, T(r, "天"));
  else if (due && *due && strcmp(due, "") != 0) {
    Day d;
    if (date_parse(due, &d) && d - r->ctx.today <= 7) html(r, " <span class=\"badge medium\">%s</span>", T(r, "本周到期"));
  }
}

/* The notices of a redirect after saving (?saved=, ?relapse=1). */
static void sup_notices(Req *r) {
  const char *saved = req_query(r, "saved");
  if (req_query(r, "relapse"))
    html(r, "<div class=\"alert relapse\" role=\"alert\"><strong>%s</strong> %s</div>", T(r, "已登记复吸。"),
         T(r, "阳性检测结果已登记为复吸，戒断期重新起算。请及时报告公安机关，并依法作出管控状态决定（如社区戒毒或强制隔离戒毒）。"));
  else if (saved && strcmp(saved, "approval") == 0)
    html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "审批申请已提交"));
  else if (saved && strcmp(saved, "task") == 0)
    html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "任务已更新"));
  else if (saved && strcmp(saved, "worker") == 0) {
    /* shown by the form of the responsible worker (web/page_person.c) */
  } else if (saved)
    html(r, "<div class=\"notice\" role=\"status\">%s</div>", T(r, "已保存"));
}

/* The schedule of p as a key/value list. */
static void sup_schedule(Req *r, const Person *p, const ScheduleView *sv, bool ok) {
  html(r, "<dl class=\"kv\">");
  if (!ok) {
    html(r, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "帮教/检测计划"), T(r, "暂时无法计算"));
    return;
  }
  const char *rule_name = schedule_preset_name(sv->rule);
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "执行规则"), rule_name ? T(r, rule_name) : sv->rule);
  const ScheduleResult *res = &sv->result;
  if (res->nothing_due) {
    html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "帮教/检测计划"), T(r, "当前无须谈话和检测（未开始、羁押、已关闭或已解除）"));
  } else {
    html(r, "<dt>%s</dt><dd>%s %d · %s %d %s</dd>", T(r, "当前档次"), T(r, "第"), res->tier + 1, T(r, "已戒断"),
         res->months_abstinent, T(r, "个月"));
    html(r, "<dt>%s</dt><dd>%s %d %s · %s %d %s</dd>", T(r, "频次"), T(r, "谈话每"), res->talk_months, T(r, "个月"),
         T(r, "检测每"), res->test_months, T(r, "个月"));
    html(r, "<dt>%s</dt><dd>", T(r, "下次谈话"));
    sup_due(r, sv->next_talk_due);
    html(r, "</dd><dt>%s</dt><dd>", T(r, "下次检测"));
    sup_due(r, sv->next_test_due);
    html_raw(r, "</dd>");
  }
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "戒断期起算日"), page_dash(sv->clock_start));
  if (sv->clock_start[0] && !res->nothing_due) {
    char rel[DATE_ISO_LEN];
    date_format(res->release_eligible, rel);
    html(r, "<dt>%s</dt><dd>%s", T(r, "满三年日期"), rel);
    if (res->eligible_for_release) html(r, " <span class=\"badge ok\">%s</span>", T(r, "可提请解除帮教"));
    html_raw(r, "</dd>");
  }
  html(r, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "风险等级"), page_risk_name(r, p->risk_level));
}

/* Open tasks of p: its work items and the open task events, with the
 * action that clears each. */
static void sup_tasks(Req *r, const Person *p, const EventRecord *ev, int nev, bool can_write) {
  WorkItem *items = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  /* this person's items only: app/ reads the one row, not the community */
  WorkQuery q = {.org_code = p->org_code, .person_id = p->id, .page = 1, .per_page = 200, .sort = "due",
                 .explain = true};
  if (app_worklist(&r->ctx, &q, &items, &n, &total, NULL, &e) != ERR_OK) n = 0;
  int shown = 0;
  html(r, "<h3>%s</h3><ul class=\"tasks\">", T(r, "待办事项"));
  for (int i = 0; i < n; i++) {
    const WorkItem *w = &items[i];
    if (w->person_id != p->id) continue; /* never: the query holds only p */
    shown++;
    html(r, "<li><span class=\"reason r-%s\">%s</span>", work_reason_code(w->reason), T(r, work_reason_name_zh(w->reason)));
    if (w->due_date[0]) html(r, " · %s", w->due_date);
    if (w->days_overdue > 0) html(r, " <span class=\"badge high\">%s %d %s</span>", T(r, "逾期"), w->days_overdue, T(r, "天"));
    html_raw(r, " ");
    sup_work_why(r, w);
    html_raw(r, " ");
    if (can_write || w->reason == WL_TEST_DUE || w->reason == WL_TEST_OVERDUE) sup_work_action(r, w, NULL);
    html_raw(r, "</li>");
  }
  free(items);
  for (int i = 0; i < nev; i++) {
    if (strcmp(ev[i].status, "open") != 0) continue;
    shown++;
    html(r, "<li><span class=\"reason\">%s</span> · %s", T(r, page_or(event_kind_name_zh(ev[i].kind), ev[i].kind)),
         ev[i].date);
    if (ev[i].until[0]) html(r, " → %s", ev[i].until);
    if (ev[i].note[0]) html(r, " · %s", page_note(r, ev[i].note));
    if (can_write) {
      /* an open leave ends with the return (销假); other tasks are done */
      if (strcmp(ev[i].kind, "leave") == 0) {
        html(r, " <a class=\"button small\" href=\"/persons/%lld/events/new?kind=leave_return\">%s</a>", (long long)p->id,
             T(r, "登记销假"));
      } else {
        html(r, " <form method=\"post\" action=\"/persons/%lld/tasks/%lld\" class=\"inline\">", (long long)p->id,
             (long long)ev[i].id);
        form_csrf(r);
        html(r, "<button type=\"submit\" name=\"status\" value=\"done\" class=\"small\">%s</button></form>",
             T(r, "已办结"));
      }
      /* cancelling drops the task for good: the browser asks first */
      html(r, " <form method=\"post\" action=\"/persons/%lld/tasks/%lld\" class=\"inline\" data-confirm=\"%s\">",
           (long long)p->id, (long long)ev[i].id, T(r, "确定取消这项待办事项？取消后不再提醒，且不能恢复。"));
      form_csrf(r);
      html(r, "<button type=\"submit\" name=\"status\" value=\"cancelled\" class=\"small secondary\">%s</button></form>",
           T(r, "取消"));
    }
    html_raw(r, "</li>");
  }
  html_raw(r, "</ul>");
  if (!shown) html(r, "<p class=\"muted\">%s</p>", T(r, "没有待办事项"));
}

#define SUP_RECENT 20 /* rows of a page of each history table on the case file */
#define SUP_ALL 200   /* rows a fetch of the print view (every page is read) */

int page_visit_rows(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_visit_list(c, p, pg, pp, (VisitRecord **)v, n, t, e);
}
int page_test_rows(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_test_list(c, p, pg, pp, (TestRecord **)v, n, t, e);
}
int page_event_rows(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_event_list(c, p, pg, pp, (EventRecord **)v, n, t, e);
}

/* The rows of page `page` of a history list (0: every row, read SUP_ALL at
 * a time) into *items (malloc'd, rows of size sz), *n, *total; none on error. */
static void sup_hist_rows(Req *r, const Person *p, PagePersonListFn fn, size_t sz, int page, void **items, int *n,
                          int64_t *total) {
  Err e;
  err_clear(&e);
  *items = NULL;
  *n = 0;
  *total = 0;
  if (page > 0) {
    if (fn(&r->ctx, p->id, page, SUP_RECENT, items, n, total, &e) != ERR_OK) *n = 0;
    return;
  }
  char *all = NULL;
  for (int k = 1; *n < *total || k == 1; k++) {
    void *more = NULL;
    int m = 0;
    if (fn(&r->ctx, p->id, k, SUP_ALL, &more, &m, total, &e) != ERR_OK || m == 0) {
      free(more);
      break;
    }
    all = realloc(all, sz * (size_t)(*n + m));
    if (!all) abort();
    memcpy(all + sz * (size_t)*n, more, sz * (size_t)m);
    *n += m;
    free(more);
  }
  *items = all;
}

/* The talk or visit v (a VisitRecord); notes hidden for the police. */
static void sup_visit_row(Req *r, const void *v) {
  const VisitRecord *x = v;
  html_raw(r, x->voided ? "<tr class=\"voided muted\">" : "<tr>");
  html(r, "<td>%s</td><td>%s</td><td class=\"opt\">%s</td><td>", x->date,
       T(r, page_or(visit_kind_name_zh(x->kind), x->kind)), x->worker);
  if (x->place[0]) html(r, "<strong>%s</strong> ", x->place);
  if (x->notes_hidden) html(r, "<span class=\"muted\">%s</span>", T(r, "（谈话内容仅社工和禁毒办可见）"));
  else html(r, "<span class=\"notes\">%s</span>", x->notes);
  html_raw(r, "</td></tr>");
}

/* The drug test t (a TestRecord). */
static void sup_test_row(Req *r, const void *t) {
  const TestRecord *x = t;
  html_raw(r, x->voided ? "<tr class=\"voided muted\">" : "<tr>");
  html(r, "<td>%s</td><td><span class=\"badge res-%s\">%s</span></td><td class=\"opt\">%s</td><td class=\"opt\">%s</td><td>",
       x->date, x->result, T(r, page_or(test_result_name_zh(x->result), x->result)),
       T(r, page_or(test_sample_name_zh(x->sample), x->sample)),
       strcmp(x->reason, "random") == 0 ? T(r, "不定期（随机）检测") : T(r, "定期检测"));
  bool first = true;
  for (const char *s = x->substances; *s;) {
    const char *c = strchr(s, ',');
    size_t len = c ? (size_t)(c - s) : strlen(s);
    char code[64];
    if (len >= sizeof code) len = sizeof code - 1;
    memcpy(code, s, len);
    code[len] = 0;
    if (*code) {
      html(r, "%s%s", first ? "" : "、", T(r, drug_type_name(code)));
      first = false;
    }
    if (!c) break;
    s = c + 1;
  }
  if (x->tester[0]) html(r, "%s%s %s", first ? "" : " · ", T(r, "检测人"), x->tester);
  html_raw(r, "</td></tr>");
}

/* The event ev (an EventRecord). */
static void sup_event_row(Req *r, const void *ev) {
  const EventRecord *x = ev;
  html(r, "<tr><td>%s</td><td>%s", x->date, T(r, page_or(event_kind_name_zh(x->kind), x->kind)));
  if (strcmp(x->status, "open") == 0) html(r, " <span class=\"badge medium\">%s</span>", T(r, "待办"));
  else if (strcmp(x->status, "done") == 0) html(r, " <span class=\"badge\">%s</span>", T(r, "已办结"));
  else if (strcmp(x->status, "cancelled") == 0) html(r, " <span class=\"badge\">%s</span>", T(r, "已取消"));
  html_raw(r, "</td><td>");
  if (x->until[0]) html(r, "%s %s ", T(r, "至"), x->until);
  if (x->days > 0) html(r, "%d %s ", x->days, T(r, "天"));
  if (x->to_org_code[0]) html(r, "→ %s（%s） ", x->to_org_name, x->to_org_code);
  if (x->offence_kind[0])
    html(r, "%s · %s %s ", T(r, page_or(unit_term_label(offence_kind_vocab, x->offence_kind), x->offence_kind)),
         T(r, "案件编号"), x->case_no);
  if (x->needs_report) html(r, "<span class=\"badge medium\">%s</span> ", T(r, "须书面报告"));
  html(r, "%s</td><td class=\"opt\">%s</td></tr>", page_note(r, x->note), x->created_by);
}

/* A history table of the case file: its heading, the note when it has no
 * rows, the query key of its page, how its rows are read (fn, rows of size
 * sz), the head of its table (msgids, NULL-terminated; bit i of opt set:
 * column i is one a phone leaves out) and the writer of one row. */
typedef struct SupHist {
  const char *title_zh, *empty_zh, *key;
  PagePersonListFn fn;
  size_t sz;
  const char *cols[6];
  unsigned opt;
  void (*row)(Req *r, const void *item);
} SupHist;

/* The talks and visits, the drug tests and the events, in this order. */
static const SupHist sup_hists[] = {
  {"谈话/走访记录", "尚无谈话/走访记录", "vpage", page_visit_rows, sizeof(VisitRecord),
   {"日期", "方式", "记录人", "地点与情况", NULL}, 1u << 2, sup_visit_row},
  {"检测记录", "尚无检测记录", "tpage", page_test_rows, sizeof(TestRecord),
   {"日期", "结果", "样本", "检测类型", "检出物质与检测人", NULL}, 1u << 2 | 1u << 3, sup_test_row},
  {"事件记录", "尚无事件记录", "epage", page_event_rows, sizeof(EventRecord),
   {"日期", "事件", "详情", "登记人", NULL}, 1u << 3, sup_event_row},
};

/* The history table h of p (newest first) under its heading: the page its
 * key asks for (?vpage=, ?tpage=, ?epage=) with the pager, or (all: the
 * print view) every row; the
 * note empty_zh when there is none. */
static void sup_hist_table(Req *r, const Person *p, const SupHist *h, bool all) {
  int page = all ? 0 : page_query_page(r, h->key);
  void *items = NULL;
  int n = 0;
  int64_t total = 0;
  html(r, "<h3>%s</h3>", T(r, h->title_zh));
  sup_hist_rows(r, p, h->fn, h->sz, page, &items, &n, &total);
  if (n == 0) {
    html(r, "<p class=\"muted\">%s</p>", T(r, h->empty_zh));
    free(items);
    return;
  }
  html_raw(r, "<table class=\"records\"><thead><tr>");
  for (int c = 0; h->cols[c]; c++) {
    if (h->opt & 1u << c) html(r, "<th class=\"opt\">%s</th>", T(r, h->cols[c]));
    else html(r, "<th>%s</th>", T(r, h->cols[c]));
  }
  html_raw(r, "</tr></thead><tbody>");
  for (int i = 0; i < n; i++) h->row(r, (const char *)items + h->sz * (size_t)i);
  html_raw(r, "</tbody></table>");
  page_person_pager(r, p->id, h->key, "records", page, SUP_RECENT, total);
  free(items);
}

/* Every history table of p (sup_hist_table). */
static void sup_hist_tables(Req *r, const Person *p, bool all) {
  for (size_t i = 0; i < sizeof sup_hists / sizeof sup_hists[0]; i++) sup_hist_table(r, p, &sup_hists[i], all);
}

/* The approvals of p. */
static void sup_approvals(Req *r, const Person *p) {
  Approval *a = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_approval_for_person(&r->ctx, p->id, &a, &n, &e) != ERR_OK || n == 0) {
    free(a);
    return;
  }
  html(r, "<h3>%s</h3><ul class=\"tasks\">", T(r, "审批"));
  for (int i = 0; i < n; i++) {
    char at[DATE_TIME_SHORT_LEN];
    html(r, "<li><a href=\"/approvals/%lld\">%s</a> · <span class=\"badge st-%s\">%s</span> · %s", (long long)a[i].id,
         T(r, page_or(approval_kind_name_zh(a[i].kind), a[i].kind)), a[i].state,
         T(r, page_or(approval_state_name_zh(a[i].state), a[i].state)), date_time_short(a[i].proposed_at, at));
    if (a[i].to_org_code[0]) html(r, " → %s", a[i].to_org_name);
    if (a[i].risk_level[0]) html(r, " → %s", page_risk_name(r, a[i].risk_level));
    html_raw(r, "</li>");
  }
  html_raw(r, "</ul>");
  free(a);
}

void page_supervision_section(Req *r, const Person *p) {
  bool can_write = actor_can(&r->actor, PERM_PERSON_WRITE);
  bool can_test = sup_may_test(r);
  ScheduleView sv;
  memset(&sv, 0, sizeof sv);
  Err e;
  err_clear(&e);
  bool ok = app_schedule_get(&r->ctx, p->id, NULL, &sv, &e) == ERR_OK;

  bool closed = status_is_closed(status_from_code(p->status));
  html_raw(r, "<section class=\"card supervision\" id=\"supervision\">");
  sup_notices(r);
  html(r, "<h2>%s</h2>", T(r, "帮教与检测"));
  if (closed) /* dead or emigrated: no talk or test any more */
    html(r, "<p class=\"notice closed\" role=\"status\">%s</p>", T(r, "档案已关闭（死亡或出境），不再登记谈话走访和检测。"));
  if (can_test && (!closed || can_write)) {
    html_raw(r, "<div class=\"rec-buttons\">");
    if (can_write && !closed)
      html(r, "<a class=\"button big\" href=\"/persons/%lld/visits/new\">%s</a>", (long long)p->id, T(r, "登记谈话/走访"));
    if (!closed)
      html(r, "<a class=\"button big\" href=\"/persons/%lld/tests/new\">%s</a>", (long long)p->id, T(r, "登记尿检"));
    if (can_write)
      html(r, "<a class=\"button big secondary\" href=\"/persons/%lld/events/new\">%s</a>", (long long)p->id, T(r, "登记事件"));
    html_raw(r, "</div>");
  }
  sup_schedule(r, p, &sv, ok);

  EventRecord *ev = NULL;
  int nev = 0;
  int64_t evtotal = 0;
  err_clear(&e);
  if (app_event_list(&r->ctx, p->id, 1, 50, &ev, &nev, &evtotal, &e) != ERR_OK) nev = 0;
  sup_tasks(r, p, ev, nev, can_write);
  sup_approvals(r, p);
  html_raw(r, "<div id=\"records\">");
  sup_hist_tables(r, p, false);
  html_raw(r, "</div>");
  free(ev);
  if (can_write) sup_propose_forms(r, p, ok && sv.result.eligible_for_release, NULL, NULL);
  html_raw(r, "</section>");
}

void page_supervision_history(Req *r, const Person *p) {
  html(r, "<section class=\"card page-break\" id=\"records\"><h2>%s</h2>", T(r, "帮教与检测记录"));
  sup_hist_tables(r, p, true);
  html_raw(r, "</section>");
}

/* POST /persons/{id}/tasks/{id}: closes an open task (status=done|cancelled). */
void page_task_set(Req *r) {
  Err e;
  err_clear(&e);
  const char *status = req_form_str(r, "status");
  /* the task must belong to the person of the URL */
  EventRecord *ev = NULL;
  int n = 0;
  int64_t total = 0;
  bool found = false;
  if (app_event_list(&r->ctx, r->ids[0], 1, 200, &ev, &n, &total, &e) != ERR_OK) {
    free(ev);
    resp_error(r, &e);
    return;
  }
  for (int i = 0; i < n && !found; i++) found = ev[i].id == r->ids[1];
  free(ev);
  if (!found) {
    resp_fail(r, ERR_NOT_FOUND, "记录不存在");
    return;
  }
  if (!page_ok(r, app_event_task_set(&r->ctx, r->ids[1], status, &e), &e)) return;
  page_redirect_id(r, "/persons/", r->ids[0], "?saved=task#supervision");
}
