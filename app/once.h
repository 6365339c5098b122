/* app/once.h: work never doubled. Owns the one-time keys of writes: the
 * token every page form carries (field _once, issued and signed by the
 * server for the signed-in user) and the API's optional Idempotency-Key
 * header. web/server.c hands a request's key to the use cases through
 * Ctx.once; app_commit records it, in the transaction of the write it made,
 * so that a record never exists without its key; the server then stores the
 * first answer beside it. A repeat of the key by the same user answers as
 * the first did, and writes nothing; the same key with another request is
 * refused (409). Keys are kept 24 hours.
 *
 * The form token is "<user id>.<unix time>.<16 random hex>.<32 hex MAC>"
 * (BLAKE2b keyed with the installation's secret "form_key"): it also proves
 * that a form posted after the session expired was one this server gave
 * to that user (app/draft.h). */
#ifndef JINDU_APP_ONCE_H
#define JINDU_APP_ONCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app/app.h"
#include "store/once.h"

#define ONCE_KEY_MAX 255                   /* an Idempotency-Key: 1-255 printable ASCII characters */
#define ONCE_KEEP_SECONDS (24 * 3600)      /* keys and their answers are kept this long */
#define ONCE_TOKEN_MAX 128                 /* room for a form token and its NUL */
#define ONCE_TOKEN_VALID_SECONDS (14 * 3600) /* a form token proves its user this long */

/* The one-time key of the request a use case runs for (Ctx.once). */
typedef struct OnceKey {
  const char *key;                     /* as sent; owned by the request */
  char fingerprint[ONCE_FP_HEX + 1];   /* of the method, path and content */
  bool recorded;                       /* app_commit wrote it and committed */
} OnceKey;

/* Loads the installation's form key (made at first use) on db, which has no
 * transaction open. Until it ran, once_form_token issues nothing. */
int once_init(Db *db, Err *e);
/* Writes a new form token for user_id at now_unix into out; false (out "")
 * before once_init. */
bool once_form_token(int64_t user_id, int64_t now_unix, char out[ONCE_TOKEN_MAX]);
/* The user a form token was issued to, when its MAC holds and it was issued
 * at most ONCE_TOKEN_VALID_SECONDS before now_unix; 0 otherwise. */
int64_t once_form_token_user(const char *token, int64_t now_unix);
/* true when key is 1-255 printable ASCII characters (an Idempotency-Key). */
bool once_key_ok(const char *key);
/* Writes the fingerprint of a request (method, path, content of len bytes)
 * as hex into out. */
void once_fingerprint(const char *method, const char *path, const char *content, size_t len,
                      char out[ONCE_FP_HEX + 1]);

/* Records c->once for c's actor (app_commit calls it inside the write's
 * transaction when c->once is set and not recorded yet). ERR_CONFLICT
 * "该请求已处理，未重复保存" when the key is already recorded (a twin request
 * committed first). */
int once_record(Ctx *c, Err *e);
/* Loads the row of key for c's actor into *out (caller frees out->body);
 * ERR_NOT_FOUND when the key is new. c->db has no transaction open. */
int once_find(Ctx *c, const char *key, OnceRow *out, Err *e);
/* Stores the first answer of key (c's actor): status, location (NULL: none)
 * and body (NULL: none). */
int once_answer(Ctx *c, const char *key, int status, const char *location, const char *body, Err *e);
/* Housekeeping: deletes the keys older than ONCE_KEEP_SECONDS. */
int once_purge(Ctx *c, Err *e);

#endif
