/* store/schedule_rule.c: owns the SQL of schedule_rule and org_schedule
 * (see store/schedule_rule.h). */
#include "store/schedule_rule.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

#define RULE_COLS "code, name, spec, created_at"

/* The columns of RULE_COLS, in order. */
static const DbCol rule_cols[] = {
  DB_COL(ScheduleRuleRow, code),
  DB_COL(ScheduleRuleRow, name),
  DB_COL(ScheduleRuleRow, spec),
  DB_COL(ScheduleRuleRow, created_at),
  DB_COL_END,
};

int store_schedule_rule_list(Db *db, ScheduleRuleRow **items, int *n, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM schedule_rule ORDER BY code", e);
  return db_rows_cols(st, sizeof **items, rule_cols, items, n, e);
}

int store_schedule_rule_get(Db *db, const char *code, ScheduleRuleRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_query(db, "SELECT " RULE_COLS " FROM schedule_rule WHERE code = :code", e, DB_TEXT(":code", code));
  return db_row_cols(st, rule_cols, out, "记录不存在", e);
}

int store_schedule_rule_put(Db *db, const char *code, const char *name, const char *spec, const char *now,
                            bool *created, Err *e) {
  DbStmt *st = db_query(db, "SELECT 1 FROM schedule_rule WHERE code = :code", e, DB_TEXT(":code", code));
  bool exists;
  if (db_exists(st, &exists, e) != ERR_OK) return e->code;
  *created = !exists;
  st = db_query(db,
                *created ? "INSERT INTO schedule_rule (code, name, spec, created_at, updated_at)"
                           " VALUES (:code, :name, :spec, :now, :now)"
                         : "UPDATE schedule_rule SET name = :name, spec = :spec, updated_at = :now WHERE code = :code",
                e, DB_TEXT(":code", code), DB_TEXT(":name", name), DB_TEXT(":spec", spec), DB_TEXT(":now", now));
  return db_run(st, e);
}

/* Copies column 0 into the char[SCHED_CODE_MAX] *out (a DbRowRead). */
static void rule_code_from_row(void *out, DbStmt *st) { str_copy(out, SCHED_CODE_MAX, db_col_text(st, 0)); }

int store_schedule_rule_of_org(Db *db, int64_t org_id, char code[SCHED_CODE_MAX], Err *e) {
  code[0] = 0;
  DbStmt *st = db_query(db, "SELECT rule_code FROM org_schedule WHERE org_id = :org_id", e, DB_INT(":org_id", org_id));
  return db_row(st, rule_code_from_row, code, NULL, e);
}

int store_schedule_rule_set_org(Db *db, int64_t org_id, const char *code, const char *now, Err *e) {
  DbStmt *st = db_query(db, "DELETE FROM org_schedule WHERE org_id = :org_id", e, DB_INT(":org_id", org_id));
  if (db_run(st, e) != ERR_OK) return e->code;
  if (!code || !*code) return ERR_OK;
  return db_insert(db, "org_schedule", NULL, e, DB_INT(":org_id", org_id), DB_TEXT(":rule_code", code),
                   DB_TEXT(":set_at", now));
}

/* Copies column 0 into the char[256] *out (a DbRowRead). */
static void rule_path_from_row(void *out, DbStmt *st) { str_copy(out, 256, db_col_text(st, 0)); }

int store_schedule_rule_orgs_using(Db *db, const char *code, char (**paths)[256], int *n, Err *e) {
  DbStmt *st = db_query(db, "SELECT o.path FROM org_schedule s JOIN org_unit o ON o.id = s.org_id"
                            " WHERE s.rule_code = :code ORDER BY o.path", e,
                        DB_TEXT(":code", code));
  return db_rows(st, sizeof **paths, rule_path_from_row, NULL, paths, n, e);
}

/* The columns of store_schedule_rule_all_orgs's statement, in order. */
static const DbCol org_rule_cols[] = {
  DB_COL(OrgRuleRow, id),
  DB_COL(OrgRuleRow, parent_id),
  DB_COL(OrgRuleRow, rule),
  DB_COL_END,
};

int store_schedule_rule_all_orgs(Db *db, OrgRuleRow **items, int *n, Err *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT o.id, coalesce(o.parent_id, 0), coalesce(s.rule_code, '') FROM org_unit o"
                          " LEFT JOIN org_schedule s ON s.org_id = o.id ORDER BY o.id",
                          e);
  return db_rows_cols(st, sizeof **items, org_rule_cols, items, n, e);
}
