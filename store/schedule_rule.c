/* store/schedule_rule.c: owns the SQL of schedule_rule and org_schedule
 * (see store/schedule_rule.h). */
#include "store/schedule_rule.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

#define RULE_COLS "code, name, spec, created_at"

/* Fills the ScheduleRuleRow *out from the current row of a statement
 * selecting RULE_COLS (a DbRowRead). */
static void rule_from_row(void *out, DbStmt *st) {
  ScheduleRuleRow *r = out;
  str_copy(r->code, sizeof r->code, db_col_text(st, 0));
  str_copy(r->name, sizeof r->name, db_col_text(st, 1));
  str_copy(r->spec, sizeof r->spec, db_col_text(st, 2));
  str_copy(r->created_at, sizeof r->created_at, db_col_text(st, 3));
}

int store_schedule_rule_list(Db *db, ScheduleRuleRow **items, int *n, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM schedule_rule ORDER BY code", e);
  return db_rows(st, sizeof **items, rule_from_row, NULL, items, n, e);
}

int store_schedule_rule_get(Db *db, const char *code, ScheduleRuleRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM schedule_rule WHERE code = :code", e);
  db_bind_text(st, ":code", code);
  return db_row(st, rule_from_row, out, "记录不存在", e);
}

int store_schedule_rule_put(Db *db, const char *code, const char *name, const char *spec, const char *now,
                            bool *created, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT 1 FROM schedule_rule WHERE code = :code", e);
  db_bind_text(st, ":code", code);
  bool exists;
  if (db_exists(st, &exists, e) != ERR_OK) return e->code;
  *created = !exists;
  st = db_prepare(db,
                  *created ? "INSERT INTO schedule_rule (code, name, spec, created_at, updated_at)"
                             " VALUES (:code, :name, :spec, :now, :now)"
                           : "UPDATE schedule_rule SET name = :name, spec = :spec, updated_at = :now WHERE code = :code",
                  e);
  db_bind_text(st, ":code", code);
  db_bind_text(st, ":name", name);
  db_bind_text(st, ":spec", spec);
  db_bind_text(st, ":now", now);
  return db_run(st, e);
}

/* Copies column 0 into the char[SCHED_CODE_MAX] *out (a DbRowRead). */
static void rule_code_from_row(void *out, DbStmt *st) { str_copy(out, SCHED_CODE_MAX, db_col_text(st, 0)); }

int store_schedule_rule_of_org(Db *db, int64_t org_id, char code[SCHED_CODE_MAX], Err *e) {
  code[0] = 0;
  DbStmt *st = db_prepare(db, "SELECT rule_code FROM org_schedule WHERE org_id = :org_id", e);
  db_bind_int(st, ":org_id", org_id);
  return db_row(st, rule_code_from_row, code, NULL, e);
}

int store_schedule_rule_set_org(Db *db, int64_t org_id, const char *code, const char *now, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM org_schedule WHERE org_id = :org_id", e);
  db_bind_int(st, ":org_id", org_id);
  if (db_run(st, e) != ERR_OK) return e->code;
  if (!code || !*code) return ERR_OK;
  st = db_prepare(db, "INSERT INTO org_schedule (org_id, rule_code, set_at) VALUES (:org_id, :code, :now)", e);
  db_bind_int(st, ":org_id", org_id);
  db_bind_text(st, ":code", code);
  db_bind_text(st, ":now", now);
  return db_run(st, e);
}

int store_schedule_rule_orgs_using(Db *db, const char *code, int64_t **ids, char (**paths)[256], int *n, Err *e) {
  *ids = NULL;
  *paths = NULL;
  *n = 0;
  DbStmt *st = db_prepare(db,
                          "SELECT o.id, o.path FROM org_schedule s JOIN org_unit o ON o.id = s.org_id"
                          " WHERE s.rule_code = :code ORDER BY o.path",
                          e);
  if (!st) return e->code;
  db_bind_text(st, ":code", code);
  int rc, cap = 0, cap2 = 0;
  while ((rc = db_step(st, e)) == DB_ROW) {
    *ids = array_grow(*ids, *n, &cap, sizeof **ids);
    *paths = array_grow(*paths, *n, &cap2, sizeof **paths);
    (*ids)[*n] = db_col_int(st, 0);
    str_copy((*paths)[*n], 256, db_col_text(st, 1));
    (*n)++;
  }
  db_finalize(st);
  if (rc != DB_DONE) {
    free(*ids);
    free(*paths);
    *ids = NULL;
    *paths = NULL;
    *n = 0;
    return rc;
  }
  return ERR_OK;
}

/* Fills the OrgRuleRow *out from the current row of
 * store_schedule_rule_all_orgs's statement (a DbRowRead). */
static void org_rule_from_row(void *out, DbStmt *st) {
  OrgRuleRow *r = out;
  r->id = db_col_int(st, 0);
  r->parent_id = db_col_int(st, 1);
  str_copy(r->rule, sizeof r->rule, db_col_text(st, 2));
}

int store_schedule_rule_all_orgs(Db *db, OrgRuleRow **items, int *n, Err *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT o.id, coalesce(o.parent_id, 0), coalesce(s.rule_code, '') FROM org_unit o"
                          " LEFT JOIN org_schedule s ON s.org_id = o.id ORDER BY o.id",
                          e);
  return db_rows(st, sizeof **items, org_rule_from_row, NULL, items, n, e);
}
