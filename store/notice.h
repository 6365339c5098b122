/* store/notice.h: the SQL of notices (table notice): what a user is told
 * about the work of others that concerns her (a decided approval she
 * proposed, files moved into or out of her community, a file given to
 * her), written in the transaction of the write that causes it, listed
 * newest first and marked read. No rights checks: app/notice.c decides.
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_NOTICE_H
#define JINDU_STORE_NOTICE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"

/* One notice with what a list shows: the person's name and, for an
 * approval, its kind, state and decision reason. */
typedef struct NoticeRow {
  int64_t id, person_id, approval_id;
  char kind[20], created_at[32], read_at[32];
  char person_name[FIELD_BYTES(60)];
  char approval_kind[16], approval_state[12], decision_reason[FIELD_BYTES(500)];
} NoticeRow;

/* A notice of kind about person_id (approval_id 0: none) for user_id. */
int store_notice_add(Db *db, int64_t user_id, const char *kind, int64_t person_id, int64_t approval_id,
                     const char *now, Err *e);
/* The same for every active social worker of unit org_id but except_user. */
int store_notice_add_unit(Db *db, int64_t org_id, int64_t except_user, const char *kind, int64_t person_id,
                          const char *now, Err *e);
/* The notices of user_id, newest first (unread_only: not read yet), at
 * most limit; *unread counts every unread one. *items malloc'd (free()). */
int store_notice_list(Db *db, int64_t user_id, bool unread_only, int limit, NoticeRow **items, int *n,
                      int64_t *unread, Err *e);
/* Marks notice id (0: every unread one) of user_id read at now; *changed
 * counts the notices marked (0: none of hers, or read already). */
int store_notice_read(Db *db, int64_t user_id, int64_t id, const char *now, int64_t *changed, Err *e);

#endif
