/* store/unit_task.c: owns the SQL of unit_rhythm and unit_work (see
 * store/unit_task.h). */
#include "store/unit_task.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/user.h"

/* ---- rhythms ------------------------------------------------------------------ */

#define UR_SELECT                                                                                            \
  "SELECT r.id, r.org_id, o.code, o.name, o.path, r.task, r.level, r.period_type, r.per_period, r.since,"     \
  " coalesce(u.username, ''), r.set_at FROM unit_rhythm r JOIN org_unit o ON o.id = r.org_id"                 \
  " LEFT JOIN app_user u ON u.id = r.set_by"

static const DbCol ut_rhythm_cols[] = {
  DB_COL(UnitRhythmRow, id),
  DB_COL(UnitRhythmRow, org_id),
  DB_COL(UnitRhythmRow, org_code),
  DB_COL(UnitRhythmRow, org_name),
  DB_COL(UnitRhythmRow, org_path),
  DB_COL(UnitRhythmRow, task),
  DB_COL(UnitRhythmRow, level),
  DB_COL(UnitRhythmRow, period_type),
  DB_COL(UnitRhythmRow, per_period),
  DB_COL(UnitRhythmRow, since),
  DB_COL(UnitRhythmRow, set_by),
  DB_COL(UnitRhythmRow, set_at),
  DB_COL_END,
};

int store_unit_rhythm_all(Db *db, UnitRhythmRow **out, int *n, Err *e) {
  return db_rows_cols(db_prepare(db, UR_SELECT " ORDER BY o.path, r.task, r.level", e), sizeof **out, ut_rhythm_cols,
                      out, n, e);
}

int store_unit_rhythm_put(Db *db, int64_t org_id, const char *task, const char *level, const char *period_type,
                          int per_period, const char *since, int64_t user_id, const char *now, bool *created, Err *e) {
  bool found;
  if (store_unit_rhythm_delete(db, org_id, task, level, &found, e) != ERR_OK) return e->code;
  *created = !found;
  return db_insert(db, "unit_rhythm", NULL, e, DB_INT(":org_id", org_id), DB_TEXT(":task", task),
                   DB_TEXT(":level", level), DB_TEXT(":period_type", period_type), DB_INT(":per_period", per_period),
                   DB_TEXT(":since", since), DB_ID_OR_NULL(":set_by", user_id), DB_TEXT(":set_at", now));
}

int store_unit_rhythm_delete(Db *db, int64_t org_id, const char *task, const char *level, bool *found, Err *e) {
  int64_t count;
  if (db_count(db_query(db, "DELETE FROM unit_rhythm WHERE org_id = :o AND task = :t AND level = :l RETURNING id", e,
                        DB_INT(":o", org_id), DB_TEXT(":t", task), DB_TEXT(":l", level)),
               &count, e) != ERR_OK)
    return e->code;
  *found = count > 0;
  return ERR_OK;
}

/* ---- unit work records ----------------------------------------------------------- */

int store_unit_work_add(Db *db, const UnitWorkIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  return db_insert(db, "unit_work", id, e, DB_INT(":org_id", in->org_id), DB_TEXT(":kind", in->kind),
                   DB_TEXT(":date", in->date), DB_TEXT(":title", in->title ? in->title : ""),
                   DB_TEXT(":notes", in->notes ? in->notes : ""), DB_ID_OR_NULL(":created_by", user_id),
                   DB_TEXT(":created_at", now));
}

#define UW_COLS                                                                                              \
  "w.id, w.org_id, o.code, o.name, o.path, w.kind, w.date, w.title, w.notes,"                               \
  " " STORE_USER_SHOWN ", w.created_at FROM unit_work w"                                                     \
  " JOIN org_unit o ON o.id = w.org_id LEFT JOIN app_user u ON u.id = w.created_by"

static const DbCol ut_work_cols[] = {
  DB_COL(UnitWorkRow, id),
  DB_COL(UnitWorkRow, org_id),
  DB_COL(UnitWorkRow, org_code),
  DB_COL(UnitWorkRow, org_name),
  DB_COL(UnitWorkRow, org_path),
  DB_COL(UnitWorkRow, kind),
  DB_COL(UnitWorkRow, date),
  DB_COL(UnitWorkRow, title),
  DB_COL(UnitWorkRow, notes),
  DB_COL(UnitWorkRow, created_by),
  DB_COL(UnitWorkRow, created_at),
  DB_COL_END,
};

int store_unit_work_get(Db *db, int64_t id, UnitWorkRow *out, Err *e) {
  return db_get_cols(db, "SELECT " UW_COLS " WHERE w.id = :id", id, ut_work_cols, out, sizeof *out, e);
}

/* The filter of a unit work list (its scope bound in end) and its values
 * (UW_VALS, where f and end are in scope). */
#define UW_WHERE                                                                                              \
  " WHERE o.path >= :scope AND o.path < :end AND (:kind = '' OR w.kind = :kind)"                             \
  " AND (:from = '' OR w.date >= :from) AND (:to = '' OR w.date <= :to)"
#define UW_VALS                                                                                               \
  DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_TEXT(":kind", f->kind ? f->kind : ""),               \
      DB_TEXT(":from", f->from ? f->from : ""), DB_TEXT(":to", f->to ? f->to : "")

int store_unit_work_list(Db *db, const UnitWorkFilter *f, UnitWorkRow **out, int *n, int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  if (db_scalar(db_query(db, "SELECT count(*) FROM unit_work w JOIN org_unit o ON o.id = w.org_id" UW_WHERE, e,
                         UW_VALS),
                total, e) != ERR_OK)
    return e->code;
  return db_rows_each(db_query(db, "SELECT " UW_COLS UW_WHERE " ORDER BY w.date DESC, w.id DESC LIMIT :lim OFFSET :off",
                               e, UW_VALS, DB_INT(":lim", f->limit), DB_INT(":off", f->offset)),
                      sizeof **out, ut_work_cols, f->each, out, n, e);
}

static const DbCol ut_day_cols[] = {
  DB_COL(UnitWorkDay, org_id),
  DB_COL(UnitWorkDay, kind),
  DB_COL_DAY(UnitWorkDay, day),
  DB_COL_END,
};

int store_unit_work_days(Db *db, const char *scope, const char *from, const char *to, UnitWorkDay **out, int *n,
                         Err *e) {
  return db_rows_cols(db_query(db, "SELECT w.org_id, w.kind, w.date FROM org_unit o JOIN unit_work w ON w.org_id = o.id"
                                   " WHERE o.path >= :scope AND o.path < :scope_end AND w.date >= :from"
                                   " AND w.date <= :to ORDER BY w.org_id",
                               e, DB_SCOPE(scope), DB_TEXT(":from", from), DB_TEXT(":to", to)),
                      sizeof **out, ut_day_cols, out, n, e);
}
