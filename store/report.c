/* store/report.c: owns the SQL of report_period and report_entry (see
 * store/report.h). */
#include "store/report.h"
#include "core/buf.h"
#include <stdlib.h>
#include <string.h>
#include "store/user.h"

void store_report_period_free(ReportPeriodRow *r) {
  free(r->notes);
  free(r->snapshot);
  r->notes = r->snapshot = NULL;
}

typedef struct RpRaw {
  int64_t id, org_id;
  char period[PERIOD_TEXT_LEN];
  char state[16];
  char *notes, *snapshot;
  char as_of[16], changed_at[32], changed_by[64];
} RpRaw;

static const DbCol rp_cols[] = {
  DB_COL(RpRaw, id),
  DB_COL(RpRaw, org_id),
  DB_COL(RpRaw, period),
  DB_COL(RpRaw, state),
  DB_COL(RpRaw, notes),
  DB_COL(RpRaw, snapshot),
  DB_COL(RpRaw, as_of),
  DB_COL(RpRaw, changed_at),
  DB_COL(RpRaw, changed_by),
  DB_COL_END,
};

int store_report_period_get(Db *db, const char *form, int64_t org_id, const char *period, ReportPeriodRow *out,
                            Err *e) {
  memset(out, 0, sizeof *out);
  RpRaw raw;
  memset(&raw, 0, sizeof raw);
  int rc = db_row_cols(db_query(db,
                                "SELECT p.id, p.org_id, p.period, p.state, p.notes, p.snapshot, coalesce(p.as_of, ''),"
                                " p.changed_at, " STORE_USER_SHOWN
                                " FROM report_period p LEFT JOIN app_user u ON u.id = p.changed_by"
                                " WHERE p.form = :f AND p.period = :p AND p.org_id = :o",
                                e, DB_TEXT(":f", form), DB_TEXT(":p", period), DB_INT(":o", org_id)),
                       rp_cols, &raw, NULL, e);
  if (rc != ERR_OK) {
    db_cols_drop(&raw, rp_cols);
    return rc;
  }
  out->id = raw.id;
  out->org_id = raw.id ? raw.org_id : org_id;
  str_copy(out->period, sizeof out->period, raw.id ? raw.period : period);
  if (!ds_state_from_code(raw.state, &out->state)) out->state = DS_OPEN;
  out->notes = raw.notes ? raw.notes : strdup("");
  out->snapshot = raw.snapshot ? raw.snapshot : strdup("");
  if (!out->notes || !out->snapshot) abort();
  str_copy(out->as_of, sizeof out->as_of, raw.as_of);
  str_copy(out->changed_at, sizeof out->changed_at, raw.changed_at);
  str_copy(out->changed_by, sizeof out->changed_by, raw.changed_by);
  return ERR_OK;
}

int store_report_period_ensure(Db *db, const char *form, int64_t org_id, const char *period, int64_t user_id,
                               const char *now, int64_t *id, Err *e) {
  int64_t have = 0;
  if (db_scalar(db_query(db, "SELECT id FROM report_period WHERE form = :f AND period = :p AND org_id = :o", e,
                         DB_TEXT(":f", form), DB_TEXT(":p", period), DB_INT(":o", org_id)),
                &have, e) != ERR_OK)
    return e->code;
  if (have) {
    *id = have;
    return ERR_OK;
  }
  return db_insert(db, "report_period", id, e, DB_TEXT(":form", form), DB_INT(":org_id", org_id),
                   DB_TEXT(":period", period), DB_TEXT(":state", "open"), DB_ID_OR_NULL(":changed_by", user_id),
                   DB_TEXT(":changed_at", now));
}

int store_report_period_set(Db *db, int64_t id, DsState state, const char *notes, const char *snapshot,
                            const char *as_of, int64_t user_id, const char *now, Err *e) {
  return db_run(db_query(db,
                         "UPDATE report_period SET state = :s, notes = coalesce(:n, notes), snapshot = :snap,"
                         " as_of = :asof, changed_by = :u, changed_at = :now WHERE id = :id",
                         e, DB_TEXT(":s", ds_state_code(state)), DB_TEXT_OR_NULL(":n", notes),
                         DB_TEXT(":snap", snapshot ? snapshot : ""), DB_TEXT_OR_NULL(":asof", as_of ? as_of : ""),
                         DB_ID_OR_NULL(":u", user_id), DB_TEXT(":now", now), DB_INT(":id", id)),
                e);
}

int store_report_log_add(Db *db, int64_t period_id, const char *action, const char *text, const char *snapshot,
                         int64_t user_id, const char *now, Err *e) {
  return db_insert(db, "report_entry", NULL, e, DB_INT(":period_id", period_id), DB_TEXT(":action", action),
                   DB_TEXT(":text", text ? text : ""), DB_TEXT(":snapshot", snapshot ? snapshot : ""),
                   DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now));
}

static const DbCol rh_cols[] = {
  DB_COL(ReportHistRow, id),
  DB_COL(ReportHistRow, action),
  DB_COL(ReportHistRow, text),
  DB_COL(ReportHistRow, snapshot),
  DB_COL(ReportHistRow, by),
  DB_COL(ReportHistRow, at),
  DB_COL_END,
};

int store_report_history(Db *db, int64_t period_id, ReportHistRow **out, int *n, Err *e) {
  return db_rows_cols(db_query(db,
                               "SELECT r.id, r.action, r.text, r.snapshot,"
                               " " STORE_USER_SHOWN ", r.created_at"
                               " FROM report_entry r LEFT JOIN app_user u ON u.id = r.created_by"
                               " WHERE r.period_id = :p ORDER BY r.id DESC",
                               e, DB_INT(":p", period_id)),
                      sizeof **out, rh_cols, out, n, e);
}

void store_report_history_free(ReportHistRow *rows, int n) { db_rows_free_cols(rows, n, sizeof *rows, rh_cols); }

int store_report_states(Db *db, const char *form, const char *period, const int64_t *org_ids, int n, DsState *states,
                        char (*at)[32], Err *e) {
  for (int i = 0; i < n; i++) {
    states[i] = DS_OPEN;
    at[i][0] = '\0';
  }
  DbStmt *st = db_query(db, "SELECT org_id, state, changed_at FROM report_period WHERE form = :f AND period = :p", e,
                        DB_TEXT(":f", form), DB_TEXT(":p", period));
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    int64_t org = db_col_int(st, 0);
    for (int i = 0; i < n; i++)
      if (org_ids[i] == org) {
        if (!ds_state_from_code(db_col_text(st, 1), &states[i])) states[i] = DS_OPEN;
        str_copy(at[i], 32, db_col_text(st, 2));
      }
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}
