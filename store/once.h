/* store/once.h: the SQL of request_once, the one-time keys of writes (a
 * form's _once token, the API's Idempotency-Key) and the first answer each
 * got. What a key means and when it is written belongs to app/once.c. Every
 * function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_ONCE_H
#define JINDU_STORE_ONCE_H
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"

#define ONCE_FP_HEX 64 /* a request's fingerprint: hex BLAKE2b-256 */
#define ONCE_LOCATION_MAX 512

/* A key's row. body is malloc'd (caller frees; NULL when none). */
typedef struct OnceRow {
  char fingerprint[ONCE_FP_HEX + 1];
  int status;                        /* 0 while the answer is not known yet */
  char location[ONCE_LOCATION_MAX];  /* "" when none */
  char *body;
} OnceRow;

/* Inserts the key of user_id with the request's fingerprint, no answer yet.
 * ERR_CONFLICT when the user already used the key. */
int store_once_insert(Db *db, int64_t user_id, const char *key, const char *fingerprint, int64_t now_unix, Err *e);
/* Loads the row of user_id's key into *out; ERR_NOT_FOUND when there is none. */
int store_once_get(Db *db, int64_t user_id, const char *key, OnceRow *out, Err *e);
/* Records the first answer of the key: status, location and body (both may
 * be NULL). */
int store_once_answer(Db *db, int64_t user_id, const char *key, int status, const char *location, const char *body,
                      Err *e);
/* Deletes the keys recorded before before_unix. */
int store_once_purge(Db *db, int64_t before_unix, Err *e);

#endif
