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

/* Fills the ApprovalRow *out from the current row of a statement selecting
 * APPROVAL_SELECT (a DbRowRead). */
static void approval_from_row(void *out, DbStmt *st) {
  ApprovalRow *r = out;
  r->id = db_col_int(st, 0);
  r->person_id = db_col_int(st, 1);
  r->to_org_id = db_col_int(st, 2);
  r->proposed_by_id = db_col_int(st, 3);
  str_copy(r->person_name, sizeof r->person_name, db_col_text(st, 4));
  str_copy(r->person_path, sizeof r->person_path, db_col_text(st, 5));
  str_copy(r->org_code, sizeof r->org_code, db_col_text(st, 6));
  str_copy(r->org_name, sizeof r->org_name, db_col_text(st, 7));
  str_copy(r->kind, sizeof r->kind, db_col_text(st, 8));
  str_copy(r->state, sizeof r->state, db_col_text(st, 9));
  str_copy(r->proposed_by, sizeof r->proposed_by, db_col_text(st, 10));
  str_copy(r->proposed_at, sizeof r->proposed_at, db_col_text(st, 11));
  str_copy(r->to_org_code, sizeof r->to_org_code, db_col_text(st, 12));
  str_copy(r->to_org_name, sizeof r->to_org_name, db_col_text(st, 13));
  str_copy(r->to_org_path, sizeof r->to_org_path, db_col_text(st, 14));
  str_copy(r->to_org_level, sizeof r->to_org_level, db_col_text(st, 15));
  str_copy(r->payload, sizeof r->payload, db_col_text(st, 16));
  str_copy(r->approver_role, sizeof r->approver_role, db_col_text(st, 17));
  str_copy(r->decided_by, sizeof r->decided_by, db_col_text(st, 18));
  str_copy(r->decided_at, sizeof r->decided_at, db_col_text(st, 19));
  str_copy(r->decision_reason, sizeof r->decision_reason, db_col_text(st, 20));
}

/* Collects every row of st into *items. */
static int approval_rows(DbStmt *st, ApprovalRow **items, int *n, Err *e) {
  return db_rows(st, sizeof **items, approval_from_row, NULL, items, n, e);
}

int store_approval_add(Db *db, int64_t person_id, const ApprovalIn *in, const char *now, int64_t *id_out, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO approval (person_id, kind, proposed_by, proposed_at, payload, to_org_id,"
                          " approver_role, state) VALUES (:person_id, :kind, :proposed_by, :now, :payload,"
                          " :to_org_id, :approver_role, 'pending') RETURNING id",
                          e);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":kind", in->kind);
  db_bind_int_or_null(st, ":proposed_by", in->proposed_by > 0, in->proposed_by);
  db_bind_text(st, ":now", now);
  db_bind_text(st, ":payload", in->payload ? in->payload : "");
  db_bind_int_or_null(st, ":to_org_id", in->to_org_id > 0, in->to_org_id);
  db_bind_text(st, ":approver_role", in->approver_role);
  return db_insert_id(st, id_out, e);
}

int store_approval_get(Db *db, int64_t id, ApprovalRow *out, Err *e) {
  DbStmt *st = db_prepare(db, APPROVAL_SELECT " WHERE a.id = :id", e);
  db_bind_int(st, ":id", id);
  return db_row(st, approval_from_row, out, "记录不存在", e);
}

int store_approval_decide(Db *db, int64_t id, const char *state, int64_t decided_by, const char *reason,
                          const char *now, bool *done, Err *e) {
  *done = false;
  DbStmt *st = db_prepare(db,
                          "UPDATE approval SET state = :state, decided_by = :decided_by, decided_at = :now,"
                          " decision_reason = :reason WHERE id = :id AND state = 'pending' RETURNING id",
                          e);
  db_bind_text(st, ":state", state);
  db_bind_int_or_null(st, ":decided_by", decided_by > 0, decided_by);
  db_bind_text(st, ":now", now);
  db_bind_text(st, ":reason", reason ? reason : "");
  db_bind_int(st, ":id", id);
  return db_exists(st, done, e);
}

int store_approval_pending(Db *db, int64_t person_id, const char *kind, bool *pending, Err *e) {
  *pending = false;
  DbStmt *st = db_prepare(db,
                          "SELECT 1 FROM approval WHERE state = 'pending' AND person_id = :person_id"
                          " AND kind = :kind LIMIT 1",
                          e);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":kind", kind);
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
  DbStmt *st = db_prepare(db, APPROVAL_SELECT " WHERE a.person_id = :person_id ORDER BY a.id DESC", e);
  db_bind_int(st, ":person_id", person_id);
  return approval_rows(st, items, n, e);
}
