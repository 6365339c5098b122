/* store/notice.c: owns the SQL of notices (see store/notice.h). */
#include "store/notice.h"

int store_notice_add(Db *db, int64_t user_id, const char *kind, int64_t person_id, int64_t approval_id,
                     const char *now, Err *e) {
  return db_insert(db, "notice", NULL, e, DB_INT(":user_id", user_id), DB_TEXT(":kind", kind),
                   DB_INT(":person_id", person_id), DB_ID_OR_NULL(":approval_id", approval_id),
                   DB_TEXT(":created_at", now));
}

int store_notice_add_unit(Db *db, int64_t org_id, int64_t except_user, const char *kind, int64_t person_id,
                          const char *now, Err *e) {
  return db_run(db_query(db,
                         "INSERT INTO notice (user_id, kind, person_id, created_at)"
                         " SELECT id, :kind, :person_id, :now FROM app_user WHERE org_id = :org_id"
                         " AND role = 'worker' AND active = 1 AND id <> :except",
                         e, DB_TEXT(":kind", kind), DB_INT(":person_id", person_id), DB_TEXT(":now", now),
                         DB_INT(":org_id", org_id), DB_INT(":except", except_user)),
                e);
}

static const DbCol sn_cols[] = {
  DB_COL(NoticeRow, id),
  DB_COL(NoticeRow, kind),
  DB_COL(NoticeRow, person_id),
  DB_COL(NoticeRow, approval_id),
  DB_COL(NoticeRow, created_at),
  DB_COL(NoticeRow, read_at),
  DB_COL(NoticeRow, person_name),
  DB_COL(NoticeRow, approval_kind),
  DB_COL(NoticeRow, approval_state),
  DB_COL(NoticeRow, decision_reason),
  DB_COL_END,
};

int store_notice_list(Db *db, int64_t user_id, bool unread_only, int limit, NoticeRow **items, int *n,
                      int64_t *unread, Err *e) {
  if (db_scalar(db_query(db, "SELECT count(*) FROM notice WHERE user_id = :user_id AND read_at IS NULL", e,
                         DB_INT(":user_id", user_id)),
                unread, e) != ERR_OK)
    return e->code;
  return db_rows_cols(db_query(db,
                               "SELECT n.id, n.kind, n.person_id, coalesce(n.approval_id, 0), n.created_at, n.read_at,"
                               " p.name, a.kind, a.state, a.decision_reason FROM notice n"
                               " JOIN person p ON p.id = n.person_id LEFT JOIN approval a ON a.id = n.approval_id"
                               " WHERE n.user_id = :user_id AND (:unread = 0 OR n.read_at IS NULL)"
                               " ORDER BY n.id DESC LIMIT :limit",
                               e, DB_INT(":user_id", user_id), DB_INT(":unread", unread_only ? 1 : 0),
                               DB_INT(":limit", limit)),
                      sizeof **items, sn_cols, items, n, e);
}

int store_notice_read(Db *db, int64_t user_id, int64_t id, const char *now, int64_t *changed, Err *e) {
  return db_count(db_query(db,
                           "UPDATE notice SET read_at = :now WHERE user_id = :user_id AND read_at IS NULL"
                           " AND (:id = 0 OR id = :id) RETURNING id",
                           e, DB_TEXT(":now", now), DB_INT(":user_id", user_id), DB_INT(":id", id)),
                  changed, e);
}
