/* store/draft.h: the SQL of form_draft, forms posted after the session
 * expired, kept until their user signs in again (app/draft.h says when).
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_DRAFT_H
#define JINDU_STORE_DRAFT_H
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"

#define DRAFT_PATH_MAX 256

/* A kept form. fields is malloc'd (caller frees). */
typedef struct DraftRow {
  int64_t user_id;
  char path[DRAFT_PATH_MAX];  /* where the form was posted */
  char *fields;               /* the posted fields, urlencoded */
  int64_t created_unix;
} DraftRow;

/* Keeps a form of user_id under id_hash, replacing any other of the user's
 * (one per user). */
int store_draft_put(Db *db, const char *id_hash, int64_t user_id, const char *path, const char *fields,
                    int64_t now_unix, Err *e);
/* Loads the draft with id_hash; ERR_NOT_FOUND when there is none. */
int store_draft_get(Db *db, const char *id_hash, DraftRow *out, Err *e);
/* Deletes the draft with id_hash (no error when there is none). */
int store_draft_delete(Db *db, const char *id_hash, Err *e);
/* Deletes the drafts kept before before_unix. */
int store_draft_purge(Db *db, int64_t before_unix, Err *e);

#endif
