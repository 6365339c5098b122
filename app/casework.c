/* app/casework.c: owns the casework use cases (see app/casework.h): the
 * field tables of the case plan, services and their steps, the rules of a
 * unit, the complete file, and the casework columns of the person row. */
#include "app/casework.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "store/org.h"
#include "store/person.h"
#include "store/supervision.h"
#include "core/status.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_REVIEW_AFTER "复查日期应晚于今天"
#define M_REVIEW_FAR "复查日期不能晚于两年以后"
#define M_MEASURES_NONE "至少填写一项帮教措施"
#define M_MEASURES_MANY "帮教措施不能超过10项"
#define M_MEASURE_BAD "每项措施须填写内容（不超过500字）和有效的开始日期，责任人不超过60字"
#define M_FOLLOWUP_BEFORE "回访日期不能早于转介或办理日期"
#define M_FOLLOWUP_FAR "回访日期不能晚于一年以后"
#define M_STEP_STATE "该服务当前状态不能改为所选状态"
#define M_STEP_BEFORE "日期不能早于该服务上一步的日期"
#define M_DECLINE_REASON "请填写未受理的原因"
#define M_KIND_OTHER "请注明其他服务的类别"
#define M_ROLES "请选择要求的帮教小组角色（四位一体、六位一体或角色代码，用逗号分隔）"
#define M_ORG "组织单位不存在"
#define M_NO_OWN "该单位没有自行设置，沿用上级单位的要求"

/* ---- field tables ------------------------------------------------------------ */

static const FieldSpec plan_fields[] = {
  {FIELD_AT(PlanInput, goals), .label_zh = "帮扶目标", .kind = FK_LONG, FIELD_CHARS(PLAN_GOALS_CHARS), .required = true},
  {FIELD_AT(PlanInput, review_date), .label_zh = "复查日期", .kind = FK_DATE, .required = true},
  {FIELD_AT(PlanInput, responsible), .label_zh = "责任人", .kind = FK_TEXT, FIELD_CHARS(PLAN_RESPONSIBLE_CHARS)},
  {FIELD_AT(PlanInput, note), .label_zh = "备注", .kind = FK_LONG, FIELD_CHARS(PLAN_NOTE_CHARS)},
};
const RecordSpec plan_record = RECORD_SPEC("case_plan", plan_fields);

static const FieldSpec plan_measure_fields[] = {
  {FIELD_AT(PlanMeasureInput, content), .label_zh = "帮教措施", .kind = FK_LONG, FIELD_CHARS(PLAN_MEASURE_CHARS),
   .required = true},
  {FIELD_AT(PlanMeasureInput, start_date), .label_zh = "开始日期", .kind = FK_DATE, .required = true},
  {FIELD_AT(PlanMeasureInput, responsible), .label_zh = "责任人", .kind = FK_TEXT, FIELD_CHARS(PLAN_RESPONSIBLE_CHARS)},
};
const RecordSpec plan_measure_record = RECORD_SPEC("case_plan_measure", plan_measure_fields);

static const FieldSpec service_fields[] = {
  {FIELD_AT(ServiceInput, kind), .label_zh = "服务类别", .kind = FK_ENUM, .vocab = service_kind_vocab,
   .required = true, .msg = "请选择服务类别"},
  {FIELD_AT(ServiceInput, kind_other), .label_zh = "其他类别说明", .kind = FK_TEXT,
   FIELD_CHARS(SERVICE_KIND_OTHER_CHARS)},
  {FIELD_AT(ServiceInput, provider), .label_zh = "提供服务的成员单位", .kind = FK_TEXT,
   FIELD_CHARS(SERVICE_PROVIDER_CHARS), .required = true},
  {FIELD_AT(ServiceInput, referral_date), .label_zh = "转介日期", .kind = FK_DATE, .required = true,
   .flags = FF_NOT_FUTURE},
  {FIELD_AT(ServiceInput, outcome), .label_zh = "结果", .kind = FK_LONG, FIELD_CHARS(SERVICE_TEXT_CHARS)},
  {FIELD_AT(ServiceInput, follow_up_date), .label_zh = "回访日期", .kind = FK_DATE},
  {FIELD_AT(ServiceInput, note), .label_zh = "备注", .kind = FK_LONG, FIELD_CHARS(SERVICE_TEXT_CHARS)},
};
const RecordSpec service_record = RECORD_SPEC("service", service_fields);

static const FieldSpec service_step_fields[] = {
  {FIELD_AT(ServiceStepInput, state), .label_zh = "服务状态", .kind = FK_ENUM, .vocab = service_state_vocab,
   .required = true, .msg = "请选择服务状态"},
  {FIELD_AT(ServiceStepInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(ServiceStepInput, reason), .label_zh = "未受理原因", .kind = FK_LONG, FIELD_CHARS(SERVICE_TEXT_CHARS)},
  {FIELD_AT(ServiceStepInput, outcome), .label_zh = "结果", .kind = FK_LONG, FIELD_CHARS(SERVICE_TEXT_CHARS)},
  {FIELD_AT(ServiceStepInput, follow_up_date), .label_zh = "回访日期", .kind = FK_DATE},
};
const RecordSpec service_step_record = RECORD_SPEC("service_step", service_step_fields);

/* ---- rules of a unit ----------------------------------------------------------- */

int casework_rule_of(Db *db, int64_t org_id, CaseworkRule *out, Err *e) {
  memset(out, 0, sizeof *out);
  OrgUnit org;
  char roles[256];
  int64_t from = 0;
  if (store_org_by_id(db, org_id, &org, e) != ERR_OK) return e->code;
  if (store_team_requirement(db, org.path, roles, sizeof roles, &from, e) != ERR_OK) return e->code;
  if (!help_roles_parse(roles, &out->required_roles)) help_roles_parse(HELP_ROLES_FOUR, &out->required_roles);
  return store_file_rule_off(db, &out->checks_off, e);
}

void casework_derived(const StatFacts *f, const StatExtras *x, Day today, char plan_review[DATE_ISO_LEN],
                      char followup[DATE_ISO_LEN], int *file_missing) {
  Status st = stats_status_on(f, today);
  bool closed = st == ST_DEAD || st == ST_EMIGRATED;
  str_copy(plan_review, DATE_ISO_LEN, closed ? "" : x->plan_review);
  str_copy(followup, DATE_ISO_LEN, closed ? "" : x->followup);
  *file_missing = stats_status_supervised(st) ? (int)(stats_file_missing(f, st, today) & CF_STATIC) : 0;
}

int casework_refresh(Ctx *c, int64_t person_id, const StatFacts *f, const StatExtras *x, Err *e) {
  char review[DATE_ISO_LEN], followup[DATE_ISO_LEN];
  int missing;
  casework_derived(f, x, c->today, review, followup, &missing);
  return store_casework_derived_set(c->db, person_id, review, followup, missing, e);
}

/* ---- paging --------------------------------------------------------------------- */

static void cw_page(int page, int per_page, int64_t *limit, int64_t *offset) {
  int pp = per_page < 1 ? 20 : per_page > 200 ? 200 : per_page;
  *limit = pp;
  *offset = (int64_t)((page < 1 ? 1 : page) - 1) * pp;
}

/* Begins a read of person_id's file (in scope: *path its unit path). */
static int cw_read_begin(Ctx *c, int64_t person_id, char *path, size_t n, Err *e) {
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  PersonRow row;
  int rc = store_person_get(c->db, person_id, c->actor->org_path, &row, e);
  if (rc == ERR_OK) {
    str_copy(path, n, row.org_path);
    store_person_row_free(&row);
  }
  if (rc != ERR_OK) app_read_done(c, rc, e);
  return rc;
}

/* ---- the case plan ---------------------------------------------------------------- */

/* Ends a casework write on the person of row (person_id) whose store write
 * returned rc: refreshes the person's statistics, then commits with the
 * audit row action on entity/id in the person's unit (detail d, reset
 * here), or fails; row is freed either way. On success *out (may be NULL)
 * = out_value. */
static int cw_write_end(Ctx *c, PersonRow *row, int rc, int64_t person_id, const char *action, const char *entity,
                        int64_t id, Buf *d, int64_t *out, int64_t out_value, Err *e) {
  if (rc == ERR_OK) rc = stats_refresh(c, person_id, e);
  if (rc == ERR_OK) rc = person_row_commit(c, row, &(AppAudit){action, entity, id, row->org_path, d}, e);
  else rc = person_row_fail(c, row, e);
  buf_reset(d);
  if (rc == ERR_OK && out) *out = out_value;
  return rc;
}

int app_plan_add(Ctx *c, int64_t person_id, const PlanInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  PersonRow row;
  if (person_write_begin(c, person_id, &row, NULL, e) != ERR_OK) return e->code;
  field_check_record(&plan_record, in, c->today, e);
  Day review;
  if (in->review_date && date_parse(in->review_date, &review) && !err_field_msg(e, "review_date")) {
    if (review <= c->today) err_field(e, "review_date", M_REVIEW_AFTER);
    else if (review > date_add_months(c->today, 24)) err_field(e, "review_date", M_REVIEW_FAR);
  }
  PlanRow p;
  memset(&p, 0, sizeof p);
  if (in->nmeasures <= 0) err_field(e, "measures", M_MEASURES_NONE);
  else if (in->nmeasures > PLAN_MEASURES_MAX) err_field(e, "measures", M_MEASURES_MANY);
  else
    for (int i = 0; i < in->nmeasures; i++) {
      Err me;
      err_clear(&me);
      if (field_check_record(&plan_measure_record, &in->measures[i], c->today, &me) != ERR_OK) {
        if (!err_field_msg(e, "measures")) err_field(e, "measures", M_MEASURE_BAD);
        continue;
      }
      PlanMeasureRow *m = &p.measures[p.nmeasures++];
      str_copy(m->content, sizeof m->content, in->measures[i].content);
      str_copy(m->start_date, sizeof m->start_date, in->measures[i].start_date);
      str_copy(m->responsible, sizeof m->responsible, in->measures[i].responsible ? in->measures[i].responsible : "");
    }
  if (e->code != ERR_OK) return person_row_fail(c, &row, e);
  str_copy(p.goals, sizeof p.goals, in->goals);
  str_copy(p.review_date, sizeof p.review_date, in->review_date);
  str_copy(p.responsible, sizeof p.responsible, in->responsible ? in->responsible : "");
  str_copy(p.note, sizeof p.note, in->note ? in->note : "");
  int64_t pid = 0;
  int version = 0;
  int rc = store_plan_add(c->db, person_id, &p, c->actor->user_id, c->now_iso, &pid, &version, e);
  Buf d = BUF_INIT;
  audit_detail_int(&d, "person", person_id);
  audit_detail_int(&d, "version", version);
  audit_detail_kv(&d, "review_date", p.review_date);
  audit_detail_int(&d, "measures", p.nmeasures);
  return cw_write_end(c, &row, rc, person_id, "create", "case_plan", pid, &d, id, pid, e);
}

/* A store list of a person's rows, and the read of one through it: in
 * scope, paged (cw_page), audited; *out malloc'd (free()). */
typedef int (*CwStoreList)(Db *db, int64_t person_id, int64_t limit, int64_t offset, void **out, int *n,
                           int64_t *total, Err *e);
static int cw_person_list(Ctx *c, int64_t person_id, int page, int per_page, CwStoreList fn, void **out, int *n,
                          int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  char path[256];
  if (cw_read_begin(c, person_id, path, sizeof path, e) != ERR_OK) return e->code;
  int64_t limit, offset;
  cw_page(page, per_page, &limit, &offset);
  int rc = app_read_done(c, fn(c->db, person_id, limit, offset, out, n, total, e), e);
  if (rc != ERR_OK) {
    free(*out);
    *out = NULL;
    *n = 0;
    return rc;
  }
  audit_read(c, "person", person_id, path);
  return ERR_OK;
}

static int cw_plans(Db *db, int64_t p, int64_t l, int64_t o, void **out, int *n, int64_t *t, Err *e) {
  return store_plan_list(db, p, l, o, (PlanRow **)out, n, t, e);
}

int app_plan_list(Ctx *c, int64_t person_id, int page, int per_page, PlanRow **out, int *n, int64_t *total, Err *e) {
  return cw_person_list(c, person_id, page, per_page, cw_plans, (void **)out, n, total, e);
}

/* ---- services ---------------------------------------------------------------------- */

/* A follow-up date (when given and valid) not before day `from` and at
 * most a year after today. */
static void cw_followup_check(Ctx *c, const char *fu, const char *from, Err *e) {
  Day f, a;
  if (!fu || !*fu || err_field_msg(e, "follow_up_date") || !date_parse(fu, &f)) return;
  if (from && date_parse(from, &a) && f < a) err_field(e, "follow_up_date", M_FOLLOWUP_BEFORE);
  else if (f > date_add_months(c->today, 12)) err_field(e, "follow_up_date", M_FOLLOWUP_FAR);
}

int app_service_add(Ctx *c, int64_t person_id, const ServiceInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  PersonRow row;
  if (person_write_begin(c, person_id, &row, NULL, e) != ERR_OK) return e->code;
  field_check_record(&service_record, in, c->today, e);
  if (in->kind && strcmp(in->kind, "other") == 0 && (!in->kind_other || !*in->kind_other) &&
      !err_field_msg(e, "kind_other"))
    err_field(e, "kind_other", M_KIND_OTHER);
  cw_followup_check(c, in->follow_up_date, err_field_msg(e, "referral_date") ? NULL : in->referral_date, e);
  if (e->code != ERR_OK) return person_row_fail(c, &row, e);
  ServiceRow s;
  memset(&s, 0, sizeof s);
  s.person_id = person_id;
  s.org_id = row.org_id;
  str_copy(s.kind, sizeof s.kind, in->kind);
  str_copy(s.kind_other, sizeof s.kind_other, strcmp(in->kind, "other") == 0 && in->kind_other ? in->kind_other : "");
  str_copy(s.provider, sizeof s.provider, in->provider);
  str_copy(s.referral_date, sizeof s.referral_date, in->referral_date);
  str_copy(s.outcome, sizeof s.outcome, in->outcome ? in->outcome : "");
  str_copy(s.follow_up_date, sizeof s.follow_up_date, in->follow_up_date ? in->follow_up_date : "");
  str_copy(s.note, sizeof s.note, in->note ? in->note : "");
  int64_t sid = 0;
  int rc = store_service_add(c->db, &s, c->actor->user_id, c->now_iso, &sid, e);
  Buf d = BUF_INIT;
  audit_detail_int(&d, "person", person_id);
  audit_detail_kv(&d, "kind", s.kind);
  audit_detail_kv(&d, "referral_date", s.referral_date);
  if (s.follow_up_date[0]) audit_detail_kv(&d, "follow_up_date", s.follow_up_date);
  return cw_write_end(c, &row, rc, person_id, "create", "service", sid, &d, id, sid, e);
}

int app_service_step(Ctx *c, int64_t id, const ServiceStepInput *in, int64_t *person_id, Err *e) {
  if (person_id) *person_id = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  ServiceRow *s = calloc(1, sizeof *s);
  if (!s) abort();
  PersonRow row;
  memset(&row, 0, sizeof row);
  int rc = store_service_get(c->db, id, s, e);
  if (rc == ERR_OK && !actor_in_scope(c->actor, s->org_path)) rc = err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  if (rc == ERR_OK) rc = store_person_get(c->db, s->person_id, c->actor->org_path, &row, e);
  if (rc != ERR_OK) {
    free(s);
    return person_row_fail(c, &row, e);
  }
  field_check_record(&service_step_record, in, c->today, e);
  if (in->state && service_state_index(in->state) >= 0 && !service_step_allowed(s->state, in->state))
    err_field(e, "state", M_STEP_STATE);
  Day a, b;
  if (in->date && date_parse(in->date, &b) && date_parse(s->state_date, &a) && b < a && !err_field_msg(e, "date"))
    err_field(e, "date", M_STEP_BEFORE);
  if (in->state && strcmp(in->state, "declined") == 0 && (!in->reason || !*in->reason) && !err_field_msg(e, "reason"))
    err_field(e, "reason", M_DECLINE_REASON);
  cw_followup_check(c, in->follow_up_date, err_field_msg(e, "date") ? NULL : in->date, e);
  int64_t pid = s->person_id;
  char from[16];
  str_copy(from, sizeof from, s->state);
  free(s);
  if (e->code != ERR_OK) return person_row_fail(c, &row, e);
  ServiceStepRow x;
  memset(&x, 0, sizeof x);
  str_copy(x.state, sizeof x.state, in->state);
  str_copy(x.date, sizeof x.date, in->date);
  str_copy(x.reason, sizeof x.reason, strcmp(in->state, "declined") == 0 && in->reason ? in->reason : "");
  str_copy(x.outcome, sizeof x.outcome, in->outcome ? in->outcome : "");
  str_copy(x.follow_up_date, sizeof x.follow_up_date, in->follow_up_date ? in->follow_up_date : "");
  rc = store_service_step_add(c->db, id, &x, c->actor->user_id, c->now_iso, e);
  Buf d = BUF_INIT;
  audit_detail_int(&d, "person", pid);
  audit_detail_kv(&d, "from", from);
  audit_detail_kv(&d, "state", x.state);
  audit_detail_kv(&d, "date", x.date);
  if (x.follow_up_date[0]) audit_detail_kv(&d, "follow_up_date", x.follow_up_date);
  return cw_write_end(c, &row, rc, pid, "step", "service", id, &d, person_id, pid, e);
}

static int cw_services(Db *db, int64_t p, int64_t l, int64_t o, void **out, int *n, int64_t *t, Err *e) {
  return store_service_list(db, p, l, o, (ServiceRow **)out, n, t, e);
}

int app_service_list(Ctx *c, int64_t person_id, int page, int per_page, ServiceRow **out, int *n, int64_t *total,
                     Err *e) {
  return cw_person_list(c, person_id, page, per_page, cw_services, (void **)out, n, total, e);
}

int app_service_get(Ctx *c, int64_t id, ServiceRow *out, ServiceStepRow **steps, int *nsteps, Err *e) {
  memset(out, 0, sizeof *out);
  *steps = NULL;
  *nsteps = 0;
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  int rc = store_service_get(c->db, id, out, e);
  if (rc == ERR_OK && !actor_in_scope(c->actor, out->org_path)) rc = err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  if (rc == ERR_OK) rc = store_service_steps(c->db, id, steps, nsteps, e);
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) {
    free(*steps);
    *steps = NULL;
    *nsteps = 0;
    return rc;
  }
  audit_read(c, "person", out->person_id, out->org_path);
  return ERR_OK;
}

/* ---- the complete file ------------------------------------------------------------------ */

int app_casework_file(Ctx *c, int64_t person_id, CaseFileCheck *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  PersonRow row;
  HelpMemberRow *team = NULL;
  int nteam = 0;
  int rc = store_person_get(c->db, person_id, c->actor->org_path, &row, e);
  if (rc != ERR_OK) return app_read_done(c, rc, e);
  int64_t file_missing = 0, from_org = 0;
  char roles[256];
  unsigned off = 0;
  rc = db_scalar(db_query(c->db, "SELECT file_missing FROM person WHERE id = :id", e, DB_INT(":id", person_id)),
                 &file_missing, e);
  if (rc == ERR_OK) rc = store_team_requirement(c->db, row.org_path, roles, sizeof roles, &from_org, e);
  if (rc == ERR_OK) rc = store_file_rule_off(c->db, &off, e);
  if (rc == ERR_OK) rc = store_person_team(c->db, person_id, &team, &nteam, e);
  OrgUnit from;
  if (rc == ERR_OK && from_org > 0 && store_org_by_id(c->db, from_org, &from, e) == ERR_OK)
    str_copy(out->required_by, sizeof out->required_by, from.name);
  if (rc == ERR_OK) {
    Status st = status_from_code(row.status);
    out->applies = stats_status_supervised(st);
    out->rule = CF_ALL & ~off;
    if (!help_roles_parse(roles, &out->required_roles)) help_roles_parse(HELP_ROLES_FOUR, &out->required_roles);
    for (int i = 0; i < nteam; i++) out->team_roles |= help_role_bit(team[i].role);
    Day due;
    bool talk_late = row.next_talk_due[0] && date_parse(row.next_talk_due, &due) && due < c->today;
    out->missing = out->applies ? (((unsigned)file_missing & CF_STATIC) | (talk_late ? CF_TALK : 0u)) & out->rule : 0;
  }
  store_person_team_free(team, nteam);
  store_person_row_free(&row);
  return app_read_done(c, rc, e);
}

/* ---- the roles a unit requires -------------------------------------------------------------- */

int app_team_requirement_get(Ctx *c, const char *org, unsigned *mask, bool *own, char *from_name, int nfrom, Err *e) {
  char roles[256];
  *mask = 0;
  *own = false;
  from_name[0] = 0;
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  OrgUnit u;
  int rc = unit_scope_org(c, org, &u, e);
  int64_t from = 0;
  if (rc == ERR_OK) rc = store_team_requirement(c->db, u.path, roles, sizeof roles, &from, e);
  if (rc == ERR_OK && !help_roles_parse(roles, mask)) help_roles_parse(HELP_ROLES_FOUR, mask);
  if (rc == ERR_OK && from > 0) {
    OrgUnit f;
    *own = from == u.id;
    if (store_org_by_id(c->db, from, &f, e) == ERR_OK) str_copy(from_name, (size_t)nfrom, f.name);
  }
  return app_read_done(c, rc, e);
}

int app_team_requirement_set(Ctx *c, const char *org, const char *roles, Err *e) {
  if (c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_OFFICE) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  const char *list = NULL;
  unsigned mask = 0;
  if (roles && *roles) {
    list = strcmp(roles, "four") == 0 ? HELP_ROLES_FOUR : strcmp(roles, "six") == 0 ? HELP_ROLES_SIX : roles;
    if (!help_roles_parse(list, &mask)) {
      err_field(e, "roles", M_ROLES);
      return e->code;
    }
  }
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit u;
  int rc = org && *org ? org_in_scope(c, org, &u, e) : unit_scope_org(c, NULL, &u, e);
  if (rc == ERR_NOT_FOUND) {
    err_field(e, "org", M_ORG);
    e->code = ERR_NOT_FOUND;
  }
  if (rc != ERR_OK) return app_fail(c, e);
  char canon[256] = "";
  if (list) help_roles_format(mask, canon, sizeof canon);
  bool existed = false;
  if (store_team_requirement_set(c->db, u.id, list ? canon : NULL, c->actor->user_id, c->now_iso, &existed, e) !=
      ERR_OK)
    return app_fail(c, e);
  if (!list && !existed) {
    err_set(e, ERR_NOT_FOUND, M_NO_OWN);
    return app_fail(c, e);
  }
  /* the persons under the unit: their team spans and file_missing */
  int64_t *ids = NULL;
  int n = 0;
  if (store_sup_person_ids(c->db, u.path, &ids, &n, e) != ERR_OK) return app_fail(c, e);
  for (int i = 0; i < n; i++)
    if (stats_refresh(c, ids[i], e) != ERR_OK) {
      free(ids);
      return app_fail(c, e);
    }
  free(ids);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "org", u.code);
  audit_detail_kv(&d, "roles", list ? canon : "");
  rc = app_commit(c, &(AppAudit){"set", "team_requirement", u.id, u.path, &d}, e);
  buf_reset(&d);
  return rc;
}
