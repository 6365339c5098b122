/* store/inspection.c: owns the SQL of inspection (see store/inspection.h). */
#include "store/inspection.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/user.h"

int store_inspection_add(Db *db, const InspectionIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  const char *due = in->followup_due && *in->followup_due ? in->followup_due : NULL;
  return db_insert(db, "inspection", id, e, DB_INT(":place_id", in->place_id), DB_TEXT(":date", in->date),
                   DB_TEXT(":inspectors", in->inspectors ? in->inspectors : ""), DB_TEXT(":result", in->result),
                   DB_TEXT(":findings", in->findings ? in->findings : ""),
                   DB_TEXT(":followup", in->followup ? in->followup : ""), DB_TEXT_OR_NULL(":followup_due", due),
                   DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now));
}

#define IN_COLS                                                                                               \
  "x.id, x.place_id, p.name, p.category, p.address, o.code, o.name, o.path, x.date, x.inspectors, x.result,"  \
  " x.findings, x.followup, coalesce(x.followup_due, ''), coalesce(x.followup_done, ''), x.done_notes,"       \
  " " STORE_USER_SHOWN ", x.created_at FROM inspection x"                                                     \
  " JOIN place p ON p.id = x.place_id JOIN org_unit o ON o.id = p.org_id LEFT JOIN app_user u ON u.id = x.created_by"

#define C(m) DB_COL(InspectionRow, m)
static const DbCol in_cols[] = {
  C(id), C(place_id), C(place_name), C(place_category), C(place_address), C(org_code), C(org_name), C(org_path),
  C(date), C(inspectors), C(result), C(findings), C(followup), C(followup_due), C(followup_done), C(done_notes),
  C(created_by), C(created_at), DB_COL_END,
};
#undef C

int store_inspection_get(Db *db, int64_t id, InspectionRow *out, Err *e) {
  return db_get_cols(db, "SELECT " IN_COLS " WHERE x.id = :id", id, in_cols, out, sizeof *out, e);
}

void store_inspection_free(InspectionRow *x) { db_cols_drop(x, in_cols); }

int store_inspection_done(Db *db, int64_t id, const char *day, const char *notes, int64_t by, Err *e) {
  bool done;
  if (db_exists(db_query(db, "UPDATE inspection SET followup_done = :day, done_notes = :notes, done_by = :by"
                             " WHERE id = :id AND followup_done IS NULL RETURNING id", e,
                         DB_TEXT(":day", day), DB_TEXT(":notes", notes ? notes : ""), DB_ID_OR_NULL(":by", by),
                         DB_INT(":id", id)),
                &done, e) != ERR_OK)
    return e->code;
  return done ? ERR_OK : err_set(e, ERR_CONFLICT, "整改已登记完成");
}

/* The follow-up states in SQL (core/ledger.h inspection_followup_state as of :today). */
#define IN_DONE "x.followup_done IS NOT NULL"
#define IN_NONE "(x.followup_done IS NULL AND x.result <> 'problem_found' AND x.followup_due IS NULL)"
#define IN_OVERDUE "(x.followup_done IS NULL AND x.followup_due IS NOT NULL AND x.followup_due < :today)"
#define IN_OPEN                                                                                               \
  "(x.followup_done IS NULL AND (x.result = 'problem_found' OR x.followup_due IS NOT NULL)"                    \
  " AND (x.followup_due IS NULL OR x.followup_due >= :today))"
#define IN_WHERE                                                                                              \
  " WHERE o.path >= :scope AND o.path < :end AND (:from = '' OR x.date >= :from) AND (:to = '' OR x.date <= :to)" \
  " AND (:result = '' OR x.result = :result) AND (:place = 0 OR x.place_id = :place)"                         \
  " AND (:fu = '' OR (:fu = 'done' AND " IN_DONE ") OR (:fu = 'none' AND " IN_NONE ")"                       \
  "  OR (:fu = 'overdue' AND " IN_OVERDUE ") OR (:fu = 'open' AND " IN_OPEN "))"
#define IN_FROM " FROM inspection x JOIN place p ON p.id = x.place_id JOIN org_unit o ON o.id = p.org_id"

int store_inspection_list(Db *db, const InspectionFilter *f, InspectionRow **out, int *n, InspectionTotals *tot,
                          Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
#define IN_VALS                                                                                               \
  DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_TEXT(":from", f->from ? f->from : ""),               \
      DB_TEXT(":to", f->to ? f->to : ""), DB_TEXT(":result", f->result ? f->result : ""),                     \
      DB_INT(":place", f->place_id), DB_TEXT(":fu", f->followup ? f->followup : ""), DB_TEXT(":today", f->today)
  DbStmt *st = db_query(db, "SELECT count(*), coalesce(sum(CASE WHEN x.result = 'problem_found' THEN 1 ELSE 0 END), 0),"
                            " coalesce(sum(CASE WHEN " IN_OPEN " OR " IN_OVERDUE " THEN 1 ELSE 0 END), 0),"
                            " coalesce(sum(CASE WHEN " IN_OVERDUE " THEN 1 ELSE 0 END), 0)" IN_FROM IN_WHERE, e, IN_VALS);
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    tot->inspections = db_col_int(st, 0);
    tot->problems = db_col_int(st, 1);
    tot->open = db_col_int(st, 2);
    tot->overdue = db_col_int(st, 3);
  }
  db_finalize(st);
  if (rc != DB_ROW) return rc == DB_DONE ? ERR_OK : rc;
  return db_rows_each(db_query(db, "SELECT " IN_COLS IN_WHERE " ORDER BY x.date DESC, x.id DESC LIMIT :lim OFFSET :off",
                               e, IN_VALS, DB_INT(":lim", f->limit), DB_INT(":off", f->offset)),
                      sizeof **out, in_cols, f->each, out, n, e);
#undef IN_VALS
}

void store_inspection_rows_free(InspectionRow *rows, int n) { db_rows_free_cols(rows, n, sizeof *rows, in_cols); }
