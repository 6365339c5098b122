/* store/casework.c: owns the SQL of casework (see store/casework.h). */
#include "store/casework.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/org.h"
#include "store/user.h"

/* ---- the case plan ---------------------------------------------------------- */

int store_plan_add(Db *db, int64_t person_id, const PlanRow *p, int64_t user_id, const char *now, int64_t *id,
                   int *version, Err *e) {
  int64_t latest = 0, pid = 0;
  if (db_scalar(db_query(db, "SELECT coalesce(max(version), 0) FROM case_plan WHERE person_id = :p", e,
                         DB_INT(":p", person_id)),
                &latest, e) != ERR_OK)
    return e->code;
  if (db_insert(db, "case_plan", &pid, e, DB_INT(":person_id", person_id), DB_INT(":version", latest + 1),
                DB_TEXT(":goals", p->goals), DB_TEXT(":review_date", p->review_date),
                DB_TEXT(":responsible", p->responsible), DB_TEXT(":note", p->note),
                DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now)) != ERR_OK)
    return e->code;
  for (int i = 0; i < p->nmeasures; i++)
    if (db_insert(db, "case_plan_measure", NULL, e, DB_INT(":plan_id", pid), DB_INT(":seq", i + 1),
                  DB_TEXT(":content", p->measures[i].content), DB_TEXT(":start_date", p->measures[i].start_date),
                  DB_TEXT(":responsible", p->measures[i].responsible)) != ERR_OK)
      return e->code;
  if (id) *id = pid;
  if (version) *version = (int)(latest + 1);
  return ERR_OK;
}

static const DbCol cw_plan_cols[] = {
  DB_COL(PlanRow, id),
  DB_COL(PlanRow, person_id),
  DB_COL(PlanRow, version),
  DB_COL(PlanRow, goals),
  DB_COL(PlanRow, review_date),
  DB_COL(PlanRow, responsible),
  DB_COL(PlanRow, note),
  DB_COL(PlanRow, created_by),
  DB_COL(PlanRow, created_at),
  DB_COL_END,
};

static const DbCol cw_measure_cols[] = {
  DB_COL(PlanMeasureRow, content),
  DB_COL(PlanMeasureRow, start_date),
  DB_COL(PlanMeasureRow, responsible),
  DB_COL_END,
};

int store_plan_list(Db *db, int64_t person_id, int64_t limit, int64_t offset, PlanRow **out, int *n, int64_t *total,
                    Err *e) {
  *out = NULL;
  *n = 0;
  if (db_scalar(db_query(db, "SELECT count(*) FROM case_plan WHERE person_id = :p", e, DB_INT(":p", person_id)),
                total, e) != ERR_OK)
    return e->code;
  DbStmt *st = db_query(db,
                        "SELECT c.id, c.person_id, c.version, c.goals, c.review_date, c.responsible, c.note,"
                        " " STORE_USER_SHOWN ", c.created_at FROM case_plan c"
                        " LEFT JOIN app_user u ON u.id = c.created_by WHERE c.person_id = :p"
                        " ORDER BY c.version DESC LIMIT :l OFFSET :o",
                        e, DB_INT(":p", person_id), DB_INT(":l", limit), DB_INT(":o", offset));
  if (db_rows_cols(st, sizeof **out, cw_plan_cols, out, n, e) != ERR_OK) return e->code;
  for (int i = 0; i < *n; i++) {
    PlanRow *p = &(*out)[i];
    if (db_rows_fixed(db_query(db,
                               "SELECT content, start_date, responsible FROM case_plan_measure WHERE plan_id = :id"
                               " ORDER BY seq",
                               e, DB_INT(":id", p->id)),
                      sizeof *p->measures, cw_measure_cols, p->measures, PLAN_MEASURES_MAX, &p->nmeasures, e) != ERR_OK)
      return e->code;
  }
  return ERR_OK;
}

/* ---- services ----------------------------------------------------------------- */

int store_service_add(Db *db, const ServiceRow *s, int64_t user_id, const char *now, int64_t *id, Err *e) {
  if (db_insert(db, "service", id, e, DB_INT(":person_id", s->person_id), DB_INT(":org_id", s->org_id),
                DB_TEXT(":kind", s->kind), DB_TEXT(":kind_other", s->kind_other), DB_TEXT(":provider", s->provider),
                DB_ID_OR_NULL(":provider_place_id", s->provider_place_id),
                DB_TEXT(":referral_date", s->referral_date), DB_TEXT(":state", "referred"),
                DB_TEXT(":state_date", s->referral_date), DB_TEXT(":outcome", s->outcome),
                DB_TEXT_OR_NULL(":follow_up_date", s->follow_up_date), DB_TEXT(":note", s->note),
                DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now)) != ERR_OK)
    return e->code;
  return db_insert(db, "service_step", NULL, e, DB_INT(":service_id", *id), DB_TEXT(":state", "referred"),
                   DB_TEXT(":date", s->referral_date), DB_TEXT(":outcome", s->outcome),
                   DB_TEXT_OR_NULL(":follow_up_date", s->follow_up_date), DB_ID_OR_NULL(":created_by", user_id),
                   DB_TEXT(":created_at", now));
}

#define SV_COLS                                                                                                \
  "s.id, s.person_id, s.org_id, coalesce(s.provider_place_id, 0), p.org_path, s.kind, s.kind_other, s.provider," \
  " s.referral_date, s.state, s.state_date, s.decline_reason, s.outcome, coalesce(s.follow_up_date, ''),"      \
  " s.note, " STORE_USER_SHOWN ", s.created_at FROM service s"                                                 \
  " JOIN person p ON p.id = s.person_id LEFT JOIN app_user u ON u.id = s.created_by"

static const DbCol cw_service_cols[] = {
  DB_COL(ServiceRow, id),
  DB_COL(ServiceRow, person_id),
  DB_COL(ServiceRow, org_id),
  DB_COL(ServiceRow, provider_place_id),
  DB_COL(ServiceRow, org_path),
  DB_COL(ServiceRow, kind),
  DB_COL(ServiceRow, kind_other),
  DB_COL(ServiceRow, provider),
  DB_COL(ServiceRow, referral_date),
  DB_COL(ServiceRow, state),
  DB_COL(ServiceRow, state_date),
  DB_COL(ServiceRow, decline_reason),
  DB_COL(ServiceRow, outcome),
  DB_COL(ServiceRow, follow_up_date),
  DB_COL(ServiceRow, note),
  DB_COL(ServiceRow, created_by),
  DB_COL(ServiceRow, created_at),
  DB_COL_END,
};

int store_service_get(Db *db, int64_t id, ServiceRow *out, Err *e) {
  return db_get_cols(db, "SELECT " SV_COLS " WHERE s.id = :id", id, cw_service_cols, out, sizeof *out, e);
}

int store_service_step_add(Db *db, int64_t service_id, const ServiceStepRow *x, int64_t user_id, const char *now,
                           Err *e) {
  if (db_insert(db, "service_step", NULL, e, DB_INT(":service_id", service_id), DB_TEXT(":state", x->state),
                DB_TEXT(":date", x->date), DB_TEXT(":reason", x->reason), DB_TEXT(":outcome", x->outcome),
                DB_TEXT_OR_NULL(":follow_up_date", x->follow_up_date), DB_ID_OR_NULL(":created_by", user_id),
                DB_TEXT(":created_at", now)) != ERR_OK)
    return e->code;
  return db_run(db_query(db,
                         "UPDATE service SET state = :state, state_date = :date,"
                         " outcome = CASE WHEN :outcome = '' THEN outcome ELSE :outcome END,"
                         " decline_reason = CASE WHEN :state = 'declined' THEN :reason ELSE decline_reason END,"
                         " follow_up_date = :fu WHERE id = :id",
                         e, DB_TEXT(":state", x->state), DB_TEXT(":date", x->date), DB_TEXT(":outcome", x->outcome),
                         DB_TEXT(":reason", x->reason), DB_TEXT_OR_NULL(":fu", x->follow_up_date),
                         DB_INT(":id", service_id)),
                e);
}

int store_service_list(Db *db, int64_t person_id, int64_t limit, int64_t offset, ServiceRow **out, int *n,
                       int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  if (db_scalar(db_query(db, "SELECT count(*) FROM service WHERE person_id = :p", e, DB_INT(":p", person_id)),
                total, e) != ERR_OK)
    return e->code;
  DbStmt *st = db_query(db, "SELECT " SV_COLS " WHERE s.person_id = :p ORDER BY s.id DESC LIMIT :l OFFSET :o", e,
                        DB_INT(":p", person_id), DB_INT(":l", limit), DB_INT(":o", offset));
  return db_rows_cols(st, sizeof **out, cw_service_cols, out, n, e);
}

static const DbCol cw_step_cols[] = {
  DB_COL(ServiceStepRow, id),
  DB_COL(ServiceStepRow, state),
  DB_COL(ServiceStepRow, date),
  DB_COL(ServiceStepRow, reason),
  DB_COL(ServiceStepRow, outcome),
  DB_COL(ServiceStepRow, follow_up_date),
  DB_COL(ServiceStepRow, created_by),
  DB_COL(ServiceStepRow, created_at),
  DB_COL_END,
};

int store_service_steps(Db *db, int64_t service_id, ServiceStepRow **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  DbStmt *st = db_query(db,
                        "SELECT x.id, x.state, x.date, x.reason, x.outcome, coalesce(x.follow_up_date, ''),"
                        " " STORE_USER_SHOWN ", x.created_at FROM service_step x"
                        " LEFT JOIN app_user u ON u.id = x.created_by WHERE x.service_id = :id ORDER BY x.id",
                        e, DB_INT(":id", service_id));
  return db_rows_cols(st, sizeof **out, cw_step_cols, out, n, e);
}

static void cw_fact_row(void *out, DbStmt *st) {
  ServiceFact *f = out;
  f->org_id = db_col_int(st, 0);
  f->person_id = db_col_int(st, 1);
  f->now_org = db_col_int(st, 2);
  f->kind = service_kind_index(db_col_text(st, 3));
  if (f->kind < 0) f->kind = SERVICE_KINDS - 1;
  f->state = service_state_index(db_col_text(st, 4));
}

int store_service_facts(Db *db, const char *scope, const char *from, const char *to, const char *asof,
                        ServiceFact **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  /* the units of the scope (path index), their services by referral date
   * (service_org), each with its state as of asof: the latest step dated
   * by then (service_step_service) */
  DbStmt *st = db_query(db,
                        "SELECT s.org_id, s.person_id, p.org_id, s.kind, (SELECT x.state FROM service_step x"
                        " WHERE x.service_id = s.id AND x.date <= :asof ORDER BY x.date DESC, x.id DESC LIMIT 1)"
                        " FROM org_unit o JOIN service s ON s.org_id = o.id AND s.referral_date >= :f"
                        " AND s.referral_date <= :t JOIN person p ON p.id = s.person_id"
                        " WHERE o.path >= :scope AND o.path < :scope_end ORDER BY s.org_id, s.id",
                        e, DB_TEXT(":asof", asof), DB_TEXT(":f", from), DB_TEXT(":t", to), DB_SCOPE(scope));
  int rc = db_rows(st, sizeof **out, cw_fact_row, NULL, out, n, e);
  if (rc != ERR_OK) return rc;
  int k = 0;
  for (int i = 0; i < *n; i++)
    if ((*out)[i].state >= 0) (*out)[k++] = (*out)[i];
  *n = k;
  return ERR_OK;
}

/* ---- rules ---------------------------------------------------------------------- */

int store_team_requirement(Db *db, const char *path, char *roles, int n, int64_t *from_org_id, Err *e) {
  str_copy(roles, (size_t)n, HELP_ROLES_FOUR);
  *from_org_id = 0;
  /* the units on the path (a prefix of it), nearest first; the table is small */
  DbStmt *st = db_query(db,
                        "SELECT t.roles, o.id FROM team_requirement t JOIN org_unit o ON o.id = t.org_id"
                        " WHERE substr(:path, 1, length(o.path)) = o.path ORDER BY length(o.path) DESC LIMIT 1",
                        e, DB_TEXT(":path", path));
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    str_copy(roles, (size_t)n, db_col_text(st, 0));
    *from_org_id = db_col_int(st, 1);
  }
  db_finalize(st);
  return rc == DB_ROW || rc == DB_DONE ? ERR_OK : rc;
}

int store_team_requirement_set(Db *db, int64_t org_id, const char *roles, int64_t user_id, const char *now,
                               bool *existed, Err *e) {
  bool had = false;
  if (db_exists(db_query(db, "SELECT 1 FROM team_requirement WHERE org_id = :o", e, DB_INT(":o", org_id)), &had,
                e) != ERR_OK)
    return e->code;
  if (existed) *existed = had;
  if (!roles) return db_run(db_query(db, "DELETE FROM team_requirement WHERE org_id = :o", e, DB_INT(":o", org_id)), e);
  return db_run(db_query(db,
                         "INSERT INTO team_requirement (org_id, roles, set_by, set_at) VALUES (:o, :r, :u, :now)"
                         " ON CONFLICT (org_id) DO UPDATE SET roles = excluded.roles, set_by = excluded.set_by,"
                         " set_at = excluded.set_at",
                         e, DB_INT(":o", org_id), DB_TEXT(":r", roles), DB_ID_OR_NULL(":u", user_id),
                         DB_TEXT(":now", now)),
                e);
}

int store_file_rule_off(Db *db, unsigned *off, Err *e) {
  *off = 0;
  DbStmt *st = db_prepare(db, "SELECT item FROM file_rule WHERE required = 0", e);
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) *off |= file_check_bit(db_col_text(st, 0));
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

/* ---- derived columns ---------------------------------------------------------------- */

int store_casework_derived_set(Db *db, int64_t person_id, const char *plan_review, const char *followup,
                               int file_missing, Err *e) {
  return db_run(db_query(db,
                         "UPDATE person SET plan_review_due = :r, service_followup_due = :f, file_missing = :m"
                         " WHERE id = :id",
                         e, DB_TEXT_OR_NULL(":r", plan_review), DB_TEXT_OR_NULL(":f", followup),
                         DB_INT(":m", file_missing), DB_INT(":id", person_id)),
                e);
}
