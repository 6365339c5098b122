/* store/unit_task.c: owns the SQL of unit_rhythm and unit_work (see
 * store/unit_task.h). */
#include "store/unit_task.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

/* ---- rhythms ------------------------------------------------------------------ */

/* Fills the UnitRhythmRow *out from a row of store_unit_rhythm_all's
 * statement (a DbRowRead). */
static void ut_rhythm_from_row(void *out, DbStmt *st) {
  UnitRhythmRow *r = out;
  r->id = db_col_int(st, 0);
  r->org_id = db_col_int(st, 1);
  str_copy(r->org_code, sizeof r->org_code, db_col_text(st, 2));
  str_copy(r->org_name, sizeof r->org_name, db_col_text(st, 3));
  str_copy(r->org_path, sizeof r->org_path, db_col_text(st, 4));
  str_copy(r->task, sizeof r->task, db_col_text(st, 5));
  str_copy(r->level, sizeof r->level, db_col_text(st, 6));
  str_copy(r->period_type, sizeof r->period_type, db_col_text(st, 7));
  r->per_period = (int)db_col_int(st, 8);
  str_copy(r->since, sizeof r->since, db_col_text(st, 9));
  str_copy(r->set_by, sizeof r->set_by, db_col_text(st, 10));
  str_copy(r->set_at, sizeof r->set_at, db_col_text(st, 11));
}

int store_unit_rhythm_all(Db *db, UnitRhythmRow **out, int *n, Err *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT r.id, r.org_id, o.code, o.name, o.path, r.task, r.level, r.period_type, r.per_period,"
                          " r.since, coalesce(u.username, ''), r.set_at FROM unit_rhythm r"
                          " JOIN org_unit o ON o.id = r.org_id LEFT JOIN app_user u ON u.id = r.set_by"
                          " ORDER BY o.path, r.task, r.level",
                          e);
  return db_rows(st, sizeof **out, ut_rhythm_from_row, NULL, out, n, e);
}

int store_unit_rhythm_put(Db *db, int64_t org_id, const char *task, const char *level, const char *period_type,
                          int per_period, const char *since, int64_t user_id, const char *now, bool *created, Err *e) {
  bool found;
  if (store_unit_rhythm_delete(db, org_id, task, level, &found, e) != ERR_OK) return e->code;
  *created = !found;
  DbStmt *st = db_prepare(db,
                          "INSERT INTO unit_rhythm (org_id, task, level, period_type, per_period, since, set_by, set_at)"
                          " VALUES (:o, :t, :l, :p, :n, :since, :u, :now)",
                          e);
  db_bind_int(st, ":o", org_id);
  db_bind_text(st, ":t", task);
  db_bind_text(st, ":l", level);
  db_bind_text(st, ":p", period_type);
  db_bind_int(st, ":n", per_period);
  db_bind_text(st, ":since", since);
  db_bind_int_or_null(st, ":u", user_id > 0, user_id);
  db_bind_text(st, ":now", now);
  return db_run(st, e);
}

int store_unit_rhythm_delete(Db *db, int64_t org_id, const char *task, const char *level, bool *found, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM unit_rhythm WHERE org_id = :o AND task = :t AND level = :l RETURNING id", e);
  db_bind_int(st, ":o", org_id);
  db_bind_text(st, ":t", task);
  db_bind_text(st, ":l", level);
  int64_t count;
  if (db_count(st, &count, e) != ERR_OK) return e->code;
  *found = count > 0;
  return ERR_OK;
}

/* ---- unit work records ----------------------------------------------------------- */

int store_unit_work_add(Db *db, const UnitWorkIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO unit_work (org_id, kind, date, title, notes, created_by, created_at)"
                          " VALUES (:o, :k, :d, :t, :n, :u, :now) RETURNING id",
                          e);
  db_bind_int(st, ":o", in->org_id);
  db_bind_text(st, ":k", in->kind);
  db_bind_text(st, ":d", in->date);
  db_bind_text(st, ":t", in->title ? in->title : "");
  db_bind_text(st, ":n", in->notes ? in->notes : "");
  db_bind_int_or_null(st, ":u", user_id > 0, user_id);
  db_bind_text(st, ":now", now);
  return db_insert_id(st, id, e);
}

#define UW_COLS                                                                                              \
  "w.id, w.org_id, o.code, o.name, o.path, w.kind, w.date, w.title, w.notes,"                               \
  " coalesce(nullif(u.display_name, ''), u.username, ''), w.created_at FROM unit_work w"                     \
  " JOIN org_unit o ON o.id = w.org_id LEFT JOIN app_user u ON u.id = w.created_by"

/* Fills the UnitWorkRow *out from a row of UW_COLS (a DbRowRead). */
static void ut_work_from_row(void *out, DbStmt *st) {
  UnitWorkRow *w = out;
  w->id = db_col_int(st, 0);
  w->org_id = db_col_int(st, 1);
  str_copy(w->org_code, sizeof w->org_code, db_col_text(st, 2));
  str_copy(w->org_name, sizeof w->org_name, db_col_text(st, 3));
  str_copy(w->org_path, sizeof w->org_path, db_col_text(st, 4));
  str_copy(w->kind, sizeof w->kind, db_col_text(st, 5));
  str_copy(w->date, sizeof w->date, db_col_text(st, 6));
  str_copy(w->title, sizeof w->title, db_col_text(st, 7));
  str_copy(w->notes, sizeof w->notes, db_col_text(st, 8));
  str_copy(w->created_by, sizeof w->created_by, db_col_text(st, 9));
  str_copy(w->created_at, sizeof w->created_at, db_col_text(st, 10));
}

int store_unit_work_get(Db *db, int64_t id, UnitWorkRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_prepare(db, "SELECT " UW_COLS " WHERE w.id = :id", e);
  db_bind_int(st, ":id", id);
  return db_row(st, ut_work_from_row, out, "记录不存在", e);
}

/* The filter of a unit work list (its scope bound in end). */
#define UW_WHERE                                                                                              \
  " WHERE o.path >= :scope AND o.path < :end AND (:kind = '' OR w.kind = :kind)"                             \
  " AND (:from = '' OR w.date >= :from) AND (:to = '' OR w.date <= :to)"

/* Binds f's filter (UW_WHERE) to st. */
static void ut_bind_filter(DbStmt *st, const UnitWorkFilter *f, const char *end) {
  db_bind_text(st, ":scope", f->scope);
  db_bind_text(st, ":end", end);
  db_bind_text(st, ":kind", f->kind ? f->kind : "");
  db_bind_text(st, ":from", f->from ? f->from : "");
  db_bind_text(st, ":to", f->to ? f->to : "");
}

int store_unit_work_list(Db *db, const UnitWorkFilter *f, UnitWorkRow **out, int *n, int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  DbStmt *st = db_prepare(db, "SELECT count(*) FROM unit_work w JOIN org_unit o ON o.id = w.org_id" UW_WHERE, e);
  ut_bind_filter(st, f, end);
  if (db_scalar(st, total, e) != ERR_OK) return e->code;
  st = db_prepare(db, "SELECT " UW_COLS UW_WHERE " ORDER BY w.date DESC, w.id DESC LIMIT :lim OFFSET :off", e);
  ut_bind_filter(st, f, end);
  db_bind_int(st, ":lim", f->limit);
  db_bind_int(st, ":off", f->offset);
  return db_rows(st, sizeof **out, ut_work_from_row, NULL, out, n, e);
}

/* Fills the UnitWorkDay *out from org_id, kind, date (a DbRowRead). */
static void ut_day_from_row(void *out, DbStmt *st) {
  UnitWorkDay *d = out;
  d->org_id = db_col_int(st, 0);
  str_copy(d->kind, sizeof d->kind, db_col_text(st, 1));
  if (!date_parse(db_col_text(st, 2), &d->day)) d->day = 0;
}

int store_unit_work_days(Db *db, const char *scope, const char *from, const char *to, UnitWorkDay **out, int *n,
                         Err *e) {
  char end[ORG_PATH_MAX];
  store_path_bound(scope, end, sizeof end);
  DbStmt *st = db_prepare(db,
                          "SELECT w.org_id, w.kind, w.date FROM org_unit o JOIN unit_work w ON w.org_id = o.id"
                          " WHERE o.path >= :scope AND o.path < :end AND w.date >= :from AND w.date <= :to"
                          " ORDER BY w.org_id",
                          e);
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":end", end);
  db_bind_text(st, ":from", from);
  db_bind_text(st, ":to", to);
  return db_rows(st, sizeof **out, ut_day_from_row, NULL, out, n, e);
}
