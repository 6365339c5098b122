/* store/read_alert.c: owns the SQL of read alerts (see store/read_alert.h). */
#include "store/read_alert.h"

#define RA_SELECT                                                                                      \
  "SELECT a.id, a.user_id, u.username, u.display_name, o.name, a.org_path, a.at, a.per_minute,"        \
  " coalesce(k.username, ''), coalesce(a.acked_at, '') FROM read_alert a JOIN app_user u ON u.id = a.user_id" \
  " JOIN org_unit o ON o.id = u.org_id LEFT JOIN app_user k ON k.id = a.acked_by"

static const DbCol ra_cols[] = {
  DB_COL(ReadAlertRow, id),
  DB_COL(ReadAlertRow, user_id),
  DB_COL(ReadAlertRow, username),
  DB_COL(ReadAlertRow, display_name),
  DB_COL(ReadAlertRow, org_name),
  DB_COL(ReadAlertRow, org_path),
  DB_COL(ReadAlertRow, at),
  DB_COL(ReadAlertRow, per_minute),
  DB_COL(ReadAlertRow, acked_by),
  DB_COL(ReadAlertRow, acked_at),
  DB_COL_END,
};

int store_read_alert_add(Db *db, int64_t user_id, const char *org_path, const char *now, int per_minute,
                         int64_t *id_out, Err *e) {
  return db_insert(db, "read_alert", id_out, e, DB_INT(":user_id", user_id), DB_TEXT(":org_path", org_path),
                   DB_TEXT(":at", now), DB_INT(":per_minute", per_minute));
}

int store_read_alert_list(Db *db, const char *scope, const char *since, int limit, ReadAlertRow **items, int *n,
                          Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  DbStmt *st = db_query(db, RA_SELECT " WHERE a.org_path >= :scope AND a.org_path < :bound AND a.acked_at IS NULL"
                                      " AND a.at >= :since ORDER BY a.id DESC LIMIT :limit", e,
                        DB_TEXT(":scope", scope), DB_TEXT(":bound", bound), DB_TEXT(":since", since),
                        DB_INT(":limit", limit));
  return db_rows_cols(st, sizeof **items, ra_cols, items, n, e);
}

int store_read_alert_get(Db *db, int64_t id, ReadAlertRow *out, Err *e) {
  return db_row_cols(db_query(db, RA_SELECT " WHERE a.id = :id", e, DB_INT(":id", id)), ra_cols, out, "记录不存在", e);
}

int store_read_alert_ack(Db *db, int64_t id, int64_t user_id, const char *now, bool *done, Err *e) {
  DbStmt *st = db_query(db, "UPDATE read_alert SET acked_by = :user, acked_at = :now WHERE id = :id"
                            " AND acked_at IS NULL RETURNING id", e,
                        DB_INT(":user", user_id), DB_TEXT(":now", now), DB_INT(":id", id));
  return db_exists(st, done, e);
}
