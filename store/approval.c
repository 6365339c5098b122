/* store/approval.c: owns the SQL of approvals (see store/approval.h). */
#include "store/approval.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/org.h"

#define APPROVAL_SELECT                                                                                    \
  "SELECT a.id, a.person_id, coalesce(a.to_org_id, 0), coalesce(a.proposed_by, 0), p.name, p.org_path,"   \
  " o.code, o.name, a.kind, a.state, coalesce(pu.username, 'cli'), a.proposed_at, coalesce(t.code, ''),"  \
  " coalesce(t.name, ''), coalesce(t.path, ''), coalesce(t.level, ''), a.payload, a.approver_role,"       \
  " coalesce(du.username, ''), coalesce(a.decided_at, ''), a.decision_reason"                             \
  " FROM approval a JOIN person p ON p.id = a.person_id JOIN org_unit o ON o.id = p.org_id"                \
  " LEFT JOIN org_unit t ON t.id = a.to_org_id LEFT JOIN app_user pu ON pu.id = a.proposed_by"             \
  " LEFT JOIN app_user du ON du.id = a.decided_by"

/* The columns of APPROVAL_SELECT, in order. */
static const DbCol approval_cols[] = {
  DB_COL(ApprovalRow, id),
  DB_COL(ApprovalRow, person_id),
  DB_COL(ApprovalRow, to_org_id),
  DB_COL(ApprovalRow, proposed_by_id),
  DB_COL(ApprovalRow, person_name),
  DB_COL(ApprovalRow, person_path),
  DB_COL(ApprovalRow, org_code),
  DB_COL(ApprovalRow, org_name),
  DB_COL(ApprovalRow, kind),
  DB_COL(ApprovalRow, state),
  DB_COL(ApprovalRow, proposed_by),
  DB_COL(ApprovalRow, proposed_at),
  DB_COL(ApprovalRow, to_org_code),
  DB_COL(ApprovalRow, to_org_name),
  DB_COL(ApprovalRow, to_org_path),
  DB_COL(ApprovalRow, to_org_level),
  DB_COL(ApprovalRow, payload),
  DB_COL(ApprovalRow, approver_role),
  DB_COL(ApprovalRow, decided_by),
  DB_COL(ApprovalRow, decided_at),
  DB_COL(ApprovalRow, decision_reason),
  DB_COL_END,
};

/* Collects every row of st into *items. */
static int approval_rows(DbStmt *st, ApprovalRow **items, int *n, Err *e) {
  return db_rows_cols(st, sizeof **items, approval_cols, items, n, e);
}

int store_approval_add(Db *db, int64_t person_id, const ApprovalIn *in, const char *now, int64_t *id_out, Err *e) {
  return db_insert(db, "approval", id_out, e, DB_INT(":person_id", person_id), DB_TEXT(":kind", in->kind),
                   DB_ID_OR_NULL(":proposed_by", in->proposed_by), DB_TEXT(":proposed_at", now),
                   DB_TEXT(":payload", in->payload ? in->payload : ""), DB_ID_OR_NULL(":to_org_id", in->to_org_id),
                   DB_TEXT(":approver_role", in->approver_role), DB_TEXT(":state", "pending"));
}

int store_approval_get(Db *db, int64_t id, ApprovalRow *out, Err *e) {
  DbStmt *st = db_query(db, APPROVAL_SELECT " WHERE a.id = :id", e, DB_INT(":id", id));
  return db_row_cols(st, approval_cols, out, "记录不存在", e);
}

int store_approval_decide(Db *db, int64_t id, const char *state, int64_t decided_by, const char *reason,
                          const char *now, bool *done, Err *e) {
  *done = false;
  DbStmt *st = db_query(db, "UPDATE approval SET state = :state, decided_by = :decided_by, decided_at = :now,"
                            " decision_reason = :reason WHERE id = :id AND state = 'pending' RETURNING id", e,
                        DB_TEXT(":state", state), DB_ID_OR_NULL(":decided_by", decided_by), DB_TEXT(":now", now),
                        DB_TEXT(":reason", reason ? reason : ""), DB_INT(":id", id));
  return db_exists(st, done, e);
}

int store_approval_pending(Db *db, int64_t person_id, const char *kind, bool *pending, Err *e) {
  *pending = false;
  DbStmt *st = db_query(db, "SELECT 1 FROM approval WHERE state = 'pending' AND person_id = :person_id"
                            " AND kind = :kind LIMIT 1", e,
                        DB_INT(":person_id", person_id), DB_TEXT(":kind", kind));
  return db_exists(st, pending, e);
}

int store_approval_list(Db *db, const char *scope, const char *state, const char *kind, ApprovalRow **items,
                        int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  /* A state given: through approval_state (pending approvals are few; a
   * decided state reads that state's rows). Every state: the persons of
   * the scope through person_scope joined to approval_person, plus the
   * transfers received by units of the scope. */
#define IN_SCOPE                                                                                  \
  " (:kind = '' OR a.kind = :kind) AND ((p.org_path >= :scope AND p.org_path < :scope_end)"     \
  " OR (t.path >= :scope AND t.path < :scope_end)) ORDER BY a.id DESC"
  DbStmt *st = db_prepare(db,
                          state ? APPROVAL_SELECT " WHERE a.state = :state AND" IN_SCOPE
                                : APPROVAL_SELECT " WHERE" IN_SCOPE,
                          e);
#undef IN_SCOPE
  if (state) db_bind_text(st, ":state", state);
  db_bind_text(st, ":kind", kind ? kind : "");
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":scope_end", bound);
  return approval_rows(st, items, n, e);
}

int store_approval_for_person(Db *db, int64_t person_id, ApprovalRow **items, int *n, Err *e) {
  DbStmt *st = db_query(db, APPROVAL_SELECT " WHERE a.person_id = :person_id ORDER BY a.id DESC", e,
                        DB_INT(":person_id", person_id));
  return approval_rows(st, items, n, e);
}

int store_approval_deciders(Db *db, const char *path, bool office_too, int64_t except_user, int64_t *n, Err *e) {
  DbStmt *st = db_query(db, "SELECT count(*) FROM app_user u JOIN org_unit o ON o.id = u.org_id"
                            " WHERE u.active = 1 AND u.id <> :except AND (u.role = 'admin' OR (:office AND u.role = 'office'))"
                            " AND substr(:path, 1, length(o.path)) = o.path", e,
                        DB_INT(":except", except_user), DB_INT(":office", office_too ? 1 : 0), DB_TEXT(":path", path));
  return db_scalar(st, n, e);
}
