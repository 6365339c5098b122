/* store/approval.h: the SQL of approvals (审批, table approval): propose,
 * read one with what pages show (the person's and the receiving unit's
 * names and paths, the users' names), decide while pending, and the lists
 * of a scope and of a person. No rights checks and no validation here:
 * app/approval.c decides. Every function returns ERR_OK or an ErrCode with
 * e filled. */
#ifndef JINDU_STORE_APPROVAL_H
#define JINDU_STORE_APPROVAL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"

/* One approval row with what lists show (joined names and paths). Text
 * buffers hold what app/ accepts: a name of 60 characters, reasons of 500
 * (FIELD_BYTES: UTF-8 takes up to 4 bytes a character). */
typedef struct ApprovalRow {
  int64_t id, person_id, to_org_id, proposed_by_id;
  char person_name[FIELD_BYTES(60)], person_path[256], org_code[64], org_name[128];
  char kind[16], state[12], proposed_by[64], proposed_at[32];
  char to_org_code[64], to_org_name[128], to_org_path[256], to_org_level[16];
  char payload[2600];
  char approver_role[8], decided_by[64], decided_at[32], decision_reason[FIELD_BYTES(500)];
} ApprovalRow;

typedef struct ApprovalIn {
  const char *kind, *payload, *approver_role;
  int64_t to_org_id, proposed_by;
} ApprovalIn;

int store_approval_add(Db *db, int64_t person_id, const ApprovalIn *in, const char *now, int64_t *id_out, Err *e);
/* ERR_NOT_FOUND when there is none. */
int store_approval_get(Db *db, int64_t id, ApprovalRow *out, Err *e);
/* Sets state/decided_* only while pending; *done false when it was not. */
int store_approval_decide(Db *db, int64_t id, const char *state, int64_t decided_by, const char *reason,
                          const char *now, bool *done, Err *e);
/* true in *pending when person_id has a pending approval of kind. */
int store_approval_pending(Db *db, int64_t person_id, const char *kind, bool *pending, Err *e);
/* Approvals visible in scope: person in [scope, bound) or (transfer) the
 * receiving unit in it; state NULL = every state; kind NULL = every kind.
 * Newest first; all matches (the caller pages; pending lists are short,
 * decided ones are read through the persons of the scope). */
int store_approval_list(Db *db, const char *scope, const char *state, const char *kind, ApprovalRow **items,
                        int *n, Err *e);
int store_approval_for_person(Db *db, int64_t person_id, ApprovalRow **items, int *n, Err *e);

/* *n = the active accounts but except_user that may decide an approval
 * about the unit at path: admins of a unit on its path (the unit or one
 * above), and with office_too its offices too. */
int store_approval_deciders(Db *db, const char *path, bool office_too, int64_t except_user, int64_t *n, Err *e);

#endif
