/* store/notice.c: owns the SQL of notices (see store/notice.h). */
#include "store/notice.h"
#include "core/buf.h"
#include <string.h>

#define SN_COPY(dst, src) str_copy((dst), sizeof(dst), (src))

int store_notice_add(Db *db, int64_t user_id, const char *kind, int64_t person_id, int64_t approval_id,
                     const char *now, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO notice (user_id, kind, person_id, approval_id, created_at)"
                          " VALUES (:user_id, :kind, :person_id, :approval_id, :now)",
                          e);
  db_bind_int(st, ":user_id", user_id);
  db_bind_text(st, ":kind", kind);
  db_bind_int(st, ":person_id", person_id);
  db_bind_int_or_null(st, ":approval_id", approval_id > 0, approval_id);
  db_bind_text(st, ":now", now);
  return db_run(st, e);
}

int store_notice_add_unit(Db *db, int64_t org_id, int64_t except_user, const char *kind, int64_t person_id,
                          const char *now, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO notice (user_id, kind, person_id, created_at)"
                          " SELECT id, :kind, :person_id, :now FROM app_user WHERE org_id = :org_id"
                          " AND role = 'worker' AND active = 1 AND id <> :except",
                          e);
  db_bind_text(st, ":kind", kind);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":now", now);
  db_bind_int(st, ":org_id", org_id);
  db_bind_int(st, ":except", except_user);
  return db_run(st, e);
}

/* Fills the NoticeRow *out from a row of store_notice_list (a DbRowRead). */
static void sn_from_row(void *out, DbStmt *st) {
  NoticeRow *r = out;
  r->id = db_col_int(st, 0);
  SN_COPY(r->kind, db_col_text(st, 1));
  r->person_id = db_col_int(st, 2);
  r->approval_id = db_col_int(st, 3);
  SN_COPY(r->created_at, db_col_text(st, 4));
  SN_COPY(r->read_at, db_col_text(st, 5));
  SN_COPY(r->person_name, db_col_text(st, 6));
  SN_COPY(r->approval_kind, db_col_text(st, 7));
  SN_COPY(r->approval_state, db_col_text(st, 8));
  SN_COPY(r->decision_reason, db_col_text(st, 9));
}

int store_notice_list(Db *db, int64_t user_id, bool unread_only, int limit, NoticeRow **items, int *n,
                      int64_t *unread, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT count(*) FROM notice WHERE user_id = :user_id AND read_at IS NULL", e);
  db_bind_int(st, ":user_id", user_id);
  if (db_scalar(st, unread, e) != ERR_OK) return e->code;
  st = db_prepare(db,
                  "SELECT n.id, n.kind, n.person_id, coalesce(n.approval_id, 0), n.created_at, n.read_at, p.name,"
                  " a.kind, a.state, a.decision_reason FROM notice n JOIN person p ON p.id = n.person_id"
                  " LEFT JOIN approval a ON a.id = n.approval_id"
                  " WHERE n.user_id = :user_id AND (:unread = 0 OR n.read_at IS NULL)"
                  " ORDER BY n.id DESC LIMIT :limit",
                  e);
  db_bind_int(st, ":user_id", user_id);
  db_bind_int(st, ":unread", unread_only ? 1 : 0);
  db_bind_int(st, ":limit", limit);
  return db_rows(st, sizeof **items, sn_from_row, NULL, items, n, e);
}

int store_notice_read(Db *db, int64_t user_id, int64_t id, const char *now, int64_t *changed, Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE notice SET read_at = :now WHERE user_id = :user_id AND read_at IS NULL"
                          " AND (:id = 0 OR id = :id) RETURNING id",
                          e);
  db_bind_text(st, ":now", now);
  db_bind_int(st, ":user_id", user_id);
  db_bind_int(st, ":id", id);
  return db_count(st, changed, e);
}
