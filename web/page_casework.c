/* web/page_casework.c: owns the casework pages (see web/page_casework.h):
 * the complete file's card, the case plan and services of the case file,
 * the plan and service forms, one service with its steps, and the roles a
 * unit requires of help teams (/team_roles). */
#include "web/page_casework.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/casework.h"
#include "core/casework.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"

#define CW_PER_PAGE 20
#define CW_MEASURE_ROWS 5 /* empty measure rows of the plan form (more after a failed post) */

/* ---- names ---------------------------------------------------------------------- */

const char *page_team_role(Req *r, const HelpMemberRow *m) {
  if (m->role_other && *m->role_other) return m->role_other;
  return T(r, page_or(unit_term_label(help_role_vocab, m->role), m->role));
}

const char *page_team_role_text(const HelpMemberRow *m) {
  if (m->role_other && *m->role_other) return m->role_other;
  return page_or(unit_term_label(help_role_vocab, m->role), m->role);
}

static const char *cw_label(Req *r, const UnitTerm *v, const char *code) {
  return T(r, page_or(unit_term_label(v, code), code));
}

/* ---- the complete file -------------------------------------------------------------- */

void page_casework_complete(Req *r, const Person *p) {
  CaseFileCheck f;
  Err e;
  err_clear(&e);
  if (app_casework_file(&r->ctx, p->id, &f, &e) != ERR_OK || !f.applies) return;
  long long id = (long long)p->id;
  if (f.missing == 0) {
    html(r, "<section class=\"card\" id=\"complete\"><p class=\"notice\" role=\"status\" id=\"file-complete\">%s</p>"
            "</section>",
         T(r, "档案完整"));
    return;
  }
  bool w = actor_can(&r->actor, PERM_PERSON_WRITE);
  html(r, "<section class=\"card\" id=\"complete\"><h2 id=\"file-incomplete\">%s</h2><ul class=\"tasks missing\">",
       T(r, "档案不完整，还缺："));
  for (int i = 0; file_check_vocab[i].code; i++) {
    unsigned bit = 1u << i;
    if (!(f.missing & bit)) continue;
    html(r, "<li data-check=\"%s\">%s", file_check_vocab[i].code, T(r, file_check_vocab[i].label_zh));
    if (bit == CF_TEAM) {
      html(r, "（%s", T(r, "缺少角色："));
      bool first = true;
      for (int k = 0; help_role_vocab[k].code; k++)
        if ((f.required_roles & ~f.team_roles) & (1u << k)) {
          html(r, "%s%s", first ? "" : "、", T(r, help_role_vocab[k].label_zh));
          first = false;
        }
      html(r, "）");
      if (f.required_by[0]) html(r, " <span class=\"muted\">%s %s</span>", T(r, "要求来自"), f.required_by);
    }
    if (w) {
      const char *href = bit == CF_TEAM ? "edit#team-form" : bit == CF_PLAN ? "plan/new" : NULL;
      if (href) html(r, " <a class=\"button small\" href=\"/persons/%lld/%s\">%s</a>", id, href, T(r, "去填写"));
      else if (bit == CF_DOCUMENT)
        html(r, " <a class=\"button small\" href=\"/persons/%lld#doc-form\">%s</a>", id, T(r, "去填写"));
      else html(r, " <a class=\"button small\" href=\"/persons/%lld/visits/new\">%s</a>", id, T(r, "登记谈话"));
    }
    html_raw(r, "</li>");
  }
  html_raw(r, "</ul></section>");
}

/* ---- the case plan ------------------------------------------------------------------ */

/* One version of the plan as a block. */
static void cw_plan_version(Req *r, const PlanRow *p) {
  char at[DATE_TIME_SHORT_LEN];
  html(r, "<dl class=\"kv\"><dt>%s</dt><dd>%d · %s %s</dd><dt>%s</dt><dd class=\"notes\">%s</dd><dt>%s</dt><dd>%s</dd>"
          "<dt>%s</dt><dd>%s</dd>",
       T(r, "版本"), p->version, page_dash(p->created_by), date_time_short(p->created_at, at), T(r, "帮扶目标"), p->goals,
       T(r, "复查日期"), p->review_date, T(r, "责任人"), page_dash(p->responsible));
  if (p->note[0]) html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "备注"), p->note);
  html(r, "</dl><table class=\"records\"><thead><tr><th>#</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
       T(r, "帮教措施"), T(r, "开始日期"), T(r, "责任人"));
  for (int i = 0; i < p->nmeasures; i++)
    html(r, "<tr><td>%d</td><td class=\"notes\">%s</td><td>%s</td><td>%s</td></tr>", i + 1, p->measures[i].content,
         p->measures[i].start_date, page_dash(p->measures[i].responsible));
  html_raw(r, "</tbody></table>");
}

/* app_plan_list, app_service_list as PagePersonListFn. */
static int cw_plans_fn(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_plan_list(c, p, pg, pp, (PlanRow **)v, n, t, e);
}
static int cw_services_fn(Ctx *c, int64_t p, int pg, int pp, void **v, int *n, int64_t *t, Err *e) {
  return app_service_list(c, p, pg, pp, (ServiceRow **)v, n, t, e);
}

/* What a section read: rows (malloc'd, n of them), page `page` of per rows
 * of total. */
typedef struct CwRows {
  void *rows;
  int n, page, per;
  int64_t total;
} CwRows;

/* A list section of the case file: its anchor id, heading, the query key
 * of its page, its list; the path below the person of its new-record form,
 * the button's label (again_zh once there are rows); the note when there
 * are none; what it shows of the rows read (on paper when print). */
typedef struct CwSection {
  const char *id, *title_zh, *key;
  PagePersonListFn fn;
  const char *new_path, *new_zh, *again_zh, *empty_zh;
  void (*body)(Req *r, const Person *p, bool print, const CwRows *l);
} CwSection;

/* The versions of the plan: the current one, older ones folded (all open
 * on paper), the pager. */
static void cw_plan_rows(Req *r, const Person *p, bool print, const CwRows *l) {
  const PlanRow *v = l->rows;
  for (int i = 0; i < l->n; i++) {
    bool current = l->page == 1 && i == 0;
    if (current) {
      html(r, "<h3>%s</h3>", T(r, "现行计划"));
      cw_plan_version(r, &v[i]);
      if (l->total > 1) html(r, "<h3>%s</h3>", T(r, "以前的版本"));
    } else if (print) {
      cw_plan_version(r, &v[i]);
    } else {
      html(r, "<details><summary>%s %d · %s %s</summary>", T(r, "版本"), v[i].version, T(r, "复查日期"),
           v[i].review_date);
      cw_plan_version(r, &v[i]);
      html_raw(r, "</details>");
    }
  }
  if (!print) page_person_pager(r, p->id, "plan_page", "plan", l->page, l->per, l->total);
}

/* ---- services ---------------------------------------------------------------------------- */

/* The steps of a service as a table. */
static void cw_steps_table(Req *r, const ServiceStepRow *s, int n) {
  html(r, "<table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"opt\">%s</th>"
          "</tr></thead><tbody>",
       T(r, "日期"), T(r, "服务状态"), T(r, "结果与原因"), T(r, "回访日期"), T(r, "登记人"));
  for (int i = 0; i < n; i++) {
    html(r, "<tr><td>%s</td><td>%s</td><td class=\"notes\">", s[i].date, cw_label(r, service_state_vocab, s[i].state));
    if (s[i].reason[0]) html(r, "%s%s ", T(r, "原因："), s[i].reason);
    html(r, "%s</td><td>%s</td><td class=\"opt\">%s</td></tr>", s[i].outcome, page_dash(s[i].follow_up_date),
         page_dash(s[i].created_by));
  }
  html_raw(r, "</tbody></table>");
}

/* The services: a table with the pager, or on paper each service with its
 * steps. */
static void cw_service_rows(Req *r, const Person *p, bool print, const CwRows *l) {
  const ServiceRow *s = l->rows;
  if (l->n > 0 && !print) {
    html(r, "<table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            "<tbody>",
         T(r, "服务类别"), T(r, "提供服务的成员单位"), T(r, "转介日期"), T(r, "服务状态"), T(r, "回访日期"));
    for (int i = 0; i < l->n; i++) {
      html(r, "<tr><td><a href=\"/services/%lld\">%s</a>%s%s</td><td>%s</td><td>%s</td><td>%s · %s</td><td>%s</td></tr>",
           (long long)s[i].id, cw_label(r, service_kind_vocab, s[i].kind), s[i].kind_other[0] ? " · " : "",
           s[i].kind_other, s[i].provider, s[i].referral_date, cw_label(r, service_state_vocab, s[i].state),
           s[i].state_date, page_dash(s[i].follow_up_date));
    }
    html_raw(r, "</tbody></table>");
    page_person_pager(r, p->id, "svc_page", "services", l->page, l->per, l->total);
  }
  for (int i = 0; print && i < l->n; i++) { /* paper: each service with its steps */
    html(r, "<h3>%s%s%s · %s · %s %s</h3>", cw_label(r, service_kind_vocab, s[i].kind), s[i].kind_other[0] ? " · " : "",
         s[i].kind_other, s[i].provider, T(r, "转介日期"), s[i].referral_date);
    ServiceRow one;
    ServiceStepRow *st = NULL;
    int ns = 0;
    Err e;
    err_clear(&e);
    if (app_service_get(&r->ctx, s[i].id, &one, &st, &ns, &e) == ERR_OK) cw_steps_table(r, st, ns);
    free(st);
  }
}

/* The plan and the services, in this order. */
static const CwSection cw_sections[] = {
  {"plan", "帮扶计划（帮教措施）", "plan_page", cw_plans_fn, "plan/new", "制定帮扶计划", "修订帮扶计划",
   "尚未制定帮扶计划", cw_plan_rows},
  {"services", "服务与转介", "svc_page", cw_services_fn, "services/new", "登记服务转介", "登记服务转介",
   "尚无服务转介记录", cw_service_rows},
};

/* Section s of p's case file (a page break before it on paper): the
 * heading, for a writer off paper the button to the new-record form, the
 * note when there are no rows, else the rows (on paper the first 200,
 * else the page its key asks for). */
static void cw_section(Req *r, const Person *p, bool print, const CwSection *s) {
  CwRows l = {NULL, 0, print ? 1 : page_query_page(r, s->key), print ? 200 : CW_PER_PAGE, 0};
  Err e;
  err_clear(&e);
  if (s->fn(&r->ctx, p->id, l.page, l.per, &l.rows, &l.n, &l.total, &e) != ERR_OK) l.n = 0;
  html(r, "<section class=\"card%s\" id=\"%s\"><h2>%s</h2>", print ? " page-break" : "", s->id, T(r, s->title_zh));
  if (!print && actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<p><a class=\"button\" href=\"/persons/%lld/%s\">%s</a></p>", (long long)p->id, s->new_path,
         T(r, l.total ? s->again_zh : s->new_zh));
  if (l.total == 0) html(r, "<p class=\"muted\">%s</p>", T(r, s->empty_zh));
  s->body(r, p, print, &l);
  html_raw(r, "</section>");
  free(l.rows);
}

void page_casework_sections(Req *r, const Person *p, bool print) {
  for (size_t i = 0; i < sizeof cw_sections / sizeof cw_sections[0]; i++) cw_section(r, p, print, &cw_sections[i]);
}

/* ---- the plan form -------------------------------------------------------------------------- */

/* Closes a form of person p: its save button, and cancel back to the case
 * file at anchor. */
static void cw_form_close(Req *r, const Person *p, const char *anchor) {
  char back[64];
  snprintf(back, sizeof back, "/persons/%lld%s", (long long)p->id, anchor);
  unit_form_close(r, back);
}

/* The plan form of person id (values: posted after a failure, else the
 * current version's; e the errors). */
static void cw_plan_form(Req *r, const Person *p, const Err *e) {
  char action[64];
  snprintf(action, sizeof action, "/persons/%lld/plan/new", (long long)p->id);
  unit_form_open(r, "帮扶计划", action, e);
  html(r, "<p class=\"muted\">%s · %s</p>", page_s(p->f[PF_NAME]), T(r, "保存后成为新的版本，以前的版本保留。"));
  PlanRow *cur = NULL;
  int n = 0;
  int64_t total = 0;
  Err le;
  err_clear(&le);
  bool posted = e != NULL;
  if (!posted && app_plan_list(&r->ctx, p->id, 1, 1, &cur, &n, &total, &le) != ERR_OK) n = 0;
  const PlanRow *c = n ? &cur[0] : NULL;
  unit_control(r, &plan_record, "goals", c ? c->goals : "", e);
  unit_control(r, &plan_record, "review_date", "", e);
  unit_control(r, &plan_record, "responsible", c ? c->responsible : "", e);
  const char *merr = unit_ferr(e, "measures");
  html(r, "<fieldset class=\"field wide%s\" id=\"f-measures\"><legend>%s *</legend>", merr ? " has-error" : "",
       T(r, "帮教措施"));
  if (merr) html(r, "<span class=\"field-error\" id=\"e-measures\">%s</span>", T(r, merr));
  const char *mc[PLAN_MEASURES_MAX], *ms[PLAN_MEASURES_MAX], *mr[PLAN_MEASURES_MAX];
  int nc = posted ? req_form_all(r, "m_content", mc, PLAN_MEASURES_MAX) : 0;
  int ns = posted ? req_form_all(r, "m_start", ms, PLAN_MEASURES_MAX) : 0;
  int nr = posted ? req_form_all(r, "m_responsible", mr, PLAN_MEASURES_MAX) : 0;
  int have = posted ? nc : c ? c->nmeasures : 0;
  int rows = have + 2 > CW_MEASURE_ROWS ? have + 2 : CW_MEASURE_ROWS;
  if (rows > PLAN_MEASURES_MAX) rows = PLAN_MEASURES_MAX;
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  for (int i = 0; i < rows; i++) {
    const char *vc = "", *vs = "", *vr = "";
    if (posted) {
      vc = i < nc ? mc[i] : "";
      vs = i < ns ? ms[i] : "";
      vr = i < nr ? mr[i] : "";
    } else if (c && i < c->nmeasures) {
      vc = c->measures[i].content;
      vs = c->measures[i].start_date;
      vr = c->measures[i].responsible;
    }
    html(r, "<div class=\"grid measure\"><div class=\"field wide\"><label for=\"m-c-%d\">%s %d</label>"
            "<textarea id=\"m-c-%d\" name=\"m_content\" maxlength=\"%d\" rows=\"2\">%s</textarea></div>",
         i, T(r, "措施"), i + 1, i, PLAN_MEASURE_CHARS, vc);
    html(r, "<div class=\"field\"><label for=\"m-s-%d\">%s</label><input type=\"date\" id=\"m-s-%d\" name=\"m_start\" "
            "value=\"%s\"></div>",
         i, T(r, "开始日期"), i, vs);
    html(r, "<div class=\"field\"><label for=\"m-r-%d\">%s</label><input type=\"text\" id=\"m-r-%d\" "
            "name=\"m_responsible\" maxlength=\"%d\" value=\"%s\"></div></div>",
         i, T(r, "责任人"), i, PLAN_RESPONSIBLE_CHARS, vr);
  }
  html_raw(r, "</fieldset>");
  unit_control(r, &plan_record, "note", "", e);
  free(cur);
  cw_form_close(r, p, "#plan");
}

/* GET /persons/{id}/plan/new: the form of a new version of the plan. */
void page_plan_new(Req *r) { page_person_form_new(r, cw_plan_form); }

/* POST /persons/{id}/plan/new: writes the version (rows of measures whose
 * three inputs are blank are skipped); back to the plan of the file. */
static int cw_plan_write(Req *r, void *input, Err *e) {
  PlanInput *in = input;
  const char *mc[PLAN_MEASURES_MAX + 1], *ms[PLAN_MEASURES_MAX + 1], *mr[PLAN_MEASURES_MAX + 1];
  int nc = req_form_all(r, "m_content", mc, PLAN_MEASURES_MAX + 1);
  int ns = req_form_all(r, "m_start", ms, PLAN_MEASURES_MAX + 1);
  int nr = req_form_all(r, "m_responsible", mr, PLAN_MEASURES_MAX + 1);
  int rows = nc > ns ? nc : ns;
  if (nr > rows) rows = nr;
  for (int i = 0; i < rows; i++) {
    const char *c = i < nc ? mc[i] : "", *s = i < ns ? ms[i] : "", *x = i < nr ? mr[i] : "";
    if (!*c && !*s && !*x) continue;
    if (in->nmeasures == PLAN_MEASURES_MAX) {
      in->nmeasures++; /* too many: the use case says so */
      break;
    }
    in->measures[in->nmeasures++] = (PlanMeasureInput){c, s, x};
  }
  return app_plan_add(&r->ctx, r->ids[0], in, NULL, e);
}
static const PersonRecordForm cw_plan_rf = {&plan_record, sizeof(PlanInput), cw_plan_write, cw_plan_form};
void page_plan_create(Req *r) {
  if (page_person_form_post(r, &cw_plan_rf)) page_redirect_id(r, "/persons/", r->ids[0], "#plan");
}

/* ---- the service forms ------------------------------------------------------------------------ */

static void cw_service_form(Req *r, const Person *p, const Err *e) {
  char action[64], today[DATE_ISO_LEN];
  snprintf(action, sizeof action, "/persons/%lld/services/new", (long long)p->id);
  date_format(r->ctx.today, today);
  unit_form_open(r, "登记服务转介", action, e);
  html(r, "<p class=\"muted\">%s</p>", page_s(p->f[PF_NAME]));
  const char *opts[2 * SERVICE_KINDS + 3];
  form_select(r, "kind", "服务类别", unit_options(service_kind_vocab, "请选择", opts, (int)(sizeof opts / sizeof *opts)),
              unit_val(r, "kind", ""), unit_ferr(e, "kind"));
  unit_control(r, &service_record, "kind_other", "", e);
  unit_control(r, &service_record, "provider", "", e);
  unit_control(r, &service_record, "referral_date", today, e);
  unit_control(r, &service_record, "follow_up_date", "", e);
  unit_control(r, &service_record, "outcome", "", e);
  unit_control(r, &service_record, "note", "", e);
  cw_form_close(r, p, "#services");
}

/* GET /persons/{id}/services/new */
void page_service_new(Req *r) { page_person_form_new(r, cw_service_form); }

/* POST /persons/{id}/services/new: records the referral; to the services
 * of the file. */
static int cw_service_write(Req *r, void *in, Err *e) { return app_service_add(&r->ctx, r->ids[0], in, NULL, e); }
static const PersonRecordForm cw_service_rf = {&service_record, sizeof(ServiceInput), cw_service_write, cw_service_form};
void page_service_create(Req *r) {
  if (page_person_form_post(r, &cw_service_rf)) page_redirect_id(r, "/persons/", r->ids[0], "#services");
}

ServiceRow *page_service_load(Req *r, int64_t id, ServiceStepRow **steps, int *n) {
  ServiceRow *s = calloc(1, sizeof *s);
  if (!s) abort();
  *steps = NULL;
  *n = 0;
  Err e;
  err_clear(&e);
  if (app_service_get(&r->ctx, id, s, steps, n, &e) == ERR_OK) return s;
  resp_error(r, &e);
  free(*steps);
  free(s);
  return NULL;
}

/* The page of service id with its steps and (for writers) the step form. */
static void cw_service_page(Req *r, const Err *fe) {
  ServiceStepRow *steps;
  int n;
  ServiceRow *s = page_service_load(r, r->ids[0], &steps, &n);
  if (!s) return;
  page_begin(r, T(r, "服务与转介"), false);
  html(r, "<h1>%s%s%s</h1><div class=\"actions\"><a class=\"button secondary\" href=\"/persons/%lld#services\">%s</a>"
          "</div>",
       cw_label(r, service_kind_vocab, s->kind), s->kind_other[0] ? " · " : "", s->kind_other,
       (long long)s->person_id, T(r, "返回档案"));
  html(r, "<section class=\"card\"><dl class=\"kv\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s · %s</dd>"
          "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd class=\"notes\">%s</dd>",
       T(r, "提供服务的成员单位"), s->provider, T(r, "转介日期"), s->referral_date, T(r, "服务状态"),
       cw_label(r, service_state_vocab, s->state), s->state_date, T(r, "回访日期"), page_dash(s->follow_up_date),
       T(r, "结果"), page_dash(s->outcome));
  if (s->decline_reason[0]) html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "未受理原因"), s->decline_reason);
  if (s->note[0]) html(r, "<dt>%s</dt><dd>%s</dd>", T(r, "备注"), s->note);
  html_raw(r, "</dl>");
  cw_steps_table(r, steps, n);
  html_raw(r, "</section>");
  if (actor_can(&r->actor, PERM_PERSON_WRITE)) {
    char today[DATE_ISO_LEN];
    date_format(r->ctx.today, today);
    html(r, "<section class=\"card\" id=\"step\"><form method=\"post\" action=\"/services/%lld#step\" class=\"rec-form\">"
            "<h2>%s</h2>",
         (long long)s->id, T(r, "登记进展或回访"));
    form_csrf(r);
    if (fe) form_error_summary(r, fe);
    const char *opts[2 * SERVICE_STATES + 3];
    int k = 0;
    for (int i = 0; service_state_vocab[i].code; i++)
      if (service_step_allowed(s->state, service_state_vocab[i].code)) {
        opts[k++] = service_state_vocab[i].code;
        opts[k++] = service_state_vocab[i].label_zh;
      }
    opts[k] = NULL;
    form_select(r, "state", "服务状态", opts, fe ? unit_val(r, "state", s->state) : s->state, unit_ferr(fe, "state"));
    unit_control(r, &service_step_record, "date", today, fe);
    unit_control(r, &service_step_record, "outcome", "", fe);
    unit_control(r, &service_step_record, "reason", "", fe);
    unit_control(r, &service_step_record, "follow_up_date", "", fe);
    html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button></div></form></section>",
         T(r, "保存"));
  }
  page_end(r);
  free(steps);
  free(s);
}

/* GET /services/{id} */
void page_service_show(Req *r) { cw_service_page(r, NULL); }

/* POST /services/{id}: records a step; back to the service. */
void page_service_step(Req *r) {
  ServiceStepInput in;
  Err e;
  page_form_bind(r, &service_step_record, &in, sizeof in, &e);
  if (app_service_step(&r->ctx, r->ids[0], &in, NULL, &e) != ERR_OK) {
    if (!page_form_failed(r, &e)) return;
    cw_service_page(r, &e);
    r->status = err_http_status(e.code);
    return;
  }
  page_redirect_id(r, "/services/", r->ids[0], "");
}

/* ---- the roles a unit requires ------------------------------------------------------------------- */

static void cw_team_roles_page(Req *r, const Err *fe, const char *org) {
  char from[128];
  bool own = false;
  unsigned mask = 0;
  Err e;
  err_clear(&e);
  if (!page_ok(r, app_team_requirement_get(&r->ctx, org, &mask, &own, from, sizeof from, &e), &e)) return;
  page_begin(r, T(r, "帮教小组角色要求"), false);
  html(r, "<h1>%s</h1><form method=\"get\" action=\"/team_roles\" class=\"filters\">", T(r, "帮教小组角色要求"));
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = org && *org ? org : r->actor.org_code,
                         .levels = PICK_ANY});
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  html(r, "<section class=\"card\"><p>%s：", T(r, "要求的角色"));
  bool first = true;
  for (int k = 0; help_role_vocab[k].code; k++)
    if (mask & (1u << k)) {
      html(r, "%s<span class=\"role\" data-role=\"%s\">%s</span>", first ? "" : "、", help_role_vocab[k].code,
           T(r, help_role_vocab[k].label_zh));
      first = false;
    }
  html_raw(r, "</p><p class=\"muted\">");
  if (own) html(r, "%s", T(r, "本单位自行设置"));
  else if (from[0]) html(r, "%s %s", T(r, "沿用上级单位的要求："), from);
  else html(r, "%s", T(r, "默认：四位一体"));
  html_raw(r, "</p></section>");
  if (r->actor.role == ROLE_ADMIN || r->actor.role == ROLE_OFFICE) {
    html(r, "<section class=\"card\"><form method=\"post\" action=\"/team_roles\" class=\"rec-form\"><h2>%s</h2>",
         T(r, "设置本单位的要求"));
    form_csrf(r);
    if (fe) form_error_summary(r, fe);
    html(r, "<input type=\"hidden\" name=\"org\" value=\"%s\">", org && *org ? org : r->actor.org_code);
    static const char *const presets[] = {"",        "按下面勾选的角色", "four", "四位一体（家属、社区干部、社区民警、禁毒社工）",
                                          "six",     "六位一体（社区、派出所、司法所、家庭、民政、人社）",
                                          "inherit", "不自行设置，沿用上级单位", NULL};
    form_select(r, "preset", "要求", presets, "", NULL);
    html(r, "<fieldset class=\"field wide choices\"><legend>%s</legend><div class=\"choice-row\">", T(r, "角色"));
    for (int k = 0; help_role_vocab[k].code; k++) {
      if (k == HELP_ROLE_OTHER) continue;
      html(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"roles\" value=\"%s\"%s> <span>%s</span></label>",
           help_role_vocab[k].code, mask & (1u << k) ? " checked" : "", T(r, help_role_vocab[k].label_zh));
    }
    html(r, "</div></fieldset><div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button></div></form>"
            "</section>",
         T(r, "保存"));
  }
  page_end(r);
}

/* GET /team_roles?org=: the roles required in a unit, and its form. */
void page_team_roles(Req *r) { cw_team_roles_page(r, NULL, req_query(r, "org")); }

/* POST /team_roles: org, preset (four | six | inherit | "": the roles checked). */
void page_team_roles_set(Req *r) {
  const char *org = req_form_str(r, "org"), *preset = req_form_str(r, "preset");
  Buf list = BUF_INIT;
  if (preset && (strcmp(preset, "four") == 0 || strcmp(preset, "six") == 0)) {
    buf_puts(&list, preset);
  } else if (!preset || strcmp(preset, "inherit") != 0) {
    const char *v[HELP_ROLE_COUNT];
    int n = req_form_all(r, "roles", v, HELP_ROLE_COUNT);
    for (int i = 0; i < n; i++) buf_printf(&list, "%s%s", i ? "," : "", v[i]);
    if (n == 0) buf_puts(&list, "-"); /* nothing checked: refused as no roles */
  }
  Err e;
  err_clear(&e);
  int rc = app_team_requirement_set(&r->ctx, org, list.len ? buf_str(&list) : NULL, &e);
  buf_reset(&list);
  if (rc != ERR_OK) {
    if (!page_form_failed(r, &e)) return;
    cw_team_roles_page(r, &e, org);
    r->status = err_http_status(e.code);
    return;
  }
  Buf loc = BUF_INIT;
  buf_puts(&loc, "/team_roles");
  page_query_param(&loc, "org", org);
  resp_redirect(r, buf_str(&loc));
  buf_reset(&loc);
}
