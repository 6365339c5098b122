/* store/user.h: the SQL of accounts (app_user, joined with org_unit),
 * sessions (session) and login throttling (login_attempt). No rights checks,
 * no password hashing here: app/user.c and app/auth.c decide; callers pass
 * scope and values explicitly. Every function returns ERR_OK or an ErrCode
 * with e filled. */
#ifndef JINDU_STORE_USER_H
#define JINDU_STORE_USER_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"
#include "store/org.h"

#define USER_HASH_MAX 256  /* password hash text (argon2id string is ~100 bytes) */
#define SESSION_HEX_LEN 64 /* token hash and CSRF token: 32 bytes as hex */

/* SQL: the name a user is shown by, of the app_user joined as u: the
 * display name, else the username ('' where no user is joined). The
 * records' readers ("who recorded it") select it. */
#define STORE_USER_SHOWN "coalesce(nullif(u.display_name, ''), u.username, '')"

typedef struct UserRow {
  int64_t id;
  char username[64];
  char display_name[128];
  char role[16];          /* role code: "admin", "office", ... */
  int64_t org_id;
  char org_code[64];
  char org_name[128];
  char org_path[ORG_PATH_MAX];
  char org_level[16];
  char password_hash[USER_HASH_MAX];
  char lang[8];           /* "", "zh" or "en" */
  bool active;
  char created_at[32];
  char password_changed_at[32];
} UserRow;

typedef struct SessionRow {
  char token_hash[SESSION_HEX_LEN + 1]; /* hex BLAKE2b-256 of the token; the token itself is never stored */
  int64_t user_id;
  char kind[8];                         /* "cookie" | "bearer" */
  char csrf[SESSION_HEX_LEN + 1];
  int64_t created_unix;
  int64_t seen_unix;
  char address[64];
} SessionRow;

/* ---- accounts ---- */

/* Inserts an account; created_at is also the password_changed_at. A
 * duplicate username is ERR_CONFLICT. *id_out (may be NULL) gets the id. */
int store_user_insert(Db *db, const char *username, const char *display_name, const char *role, int64_t org_id,
                      const char *password_hash, const char *created_at, int64_t *id_out, Err *e);
/* Loads the account (with its org unit) by username into *out; ERR_NOT_FOUND when none. */
int store_user_by_username(Db *db, const char *username, UserRow *out, Err *e);
/* Loads the account (with its org unit) by id into *out; ERR_NOT_FOUND when none. */
int store_user_by_id(Db *db, int64_t id, UserRow *out, Err *e);
/* Lists the accounts whose org unit lies in the subtree of scope, ordered
 * by org path then username. *out is malloc'd (caller frees with free();
 * NULL when *n is 0). */
int store_user_list_scope(Db *db, const char *scope, UserRow **out, int *n, Err *e);
/* The most units store_user_workers_for looks at (the depth of a path). */
#define USER_PATH_PREFIXES 8
/* Lists the active accounts of role worker or cadre whose unit's subtree
 * holds path (an org path such as a person's "/1/5/23/"): the candidates
 * for a person's responsible social worker. Ordered by unit path, workers
 * before cadres, then username. *out is malloc'd (caller frees with free();
 * NULL when *n is 0). */
int store_user_workers_for(Db *db, const char *path, UserRow **out, int *n, Err *e);
/* Sets the password hash and password_changed_at of account id. ERR_NOT_FOUND when none. */
int store_user_set_password(Db *db, int64_t id, const char *password_hash, const char *changed_at, Err *e);
/* Sets the preferred language of account id. ERR_NOT_FOUND when none. */
int store_user_set_lang(Db *db, int64_t id, const char *lang, Err *e);
/* Sets whether account id may sign in. ERR_NOT_FOUND when none. */
int store_user_set_active(Db *db, int64_t id, bool active, Err *e);

/* ---- sessions ---- */

/* Inserts a session row (all fields of *s). */
int store_session_insert(Db *db, const SessionRow *s, Err *e);
/* Loads the session with this token hash into *out, and (user_out not
 * NULL) its account into *user_out in the same statement (user_out->id 0
 * when the account is gone); ERR_NOT_FOUND when there is no such session. */
int store_session_get(Db *db, const char *token_hash, SessionRow *out, UserRow *user_out, Err *e);
/* Sets seen_unix of the session with this token hash. */
int store_session_touch(Db *db, const char *token_hash, int64_t seen_unix, Err *e);
/* Deletes the session with this token hash (no error when there is none). */
int store_session_delete(Db *db, const char *token_hash, Err *e);
/* Deletes every session of user_id except the one whose hash is keep_hash
 * (NULL or "": deletes all). *deleted (may be NULL) gets the number removed. */
int store_session_delete_user(Db *db, int64_t user_id, const char *keep_hash, int64_t *deleted, Err *e);
/* Deletes the sessions idle since before idle_before_unix or created before
 * created_before_unix. *deleted (may be NULL) gets the number removed. */
int store_session_purge(Db *db, int64_t idle_before_unix, int64_t created_before_unix, int64_t *deleted, Err *e);

/* ---- login throttling ---- */

/* Records a sign-in attempt; *id_out (may be NULL) gets its id. */
int store_login_record(Db *db, const char *username, const char *address, int64_t at_unix, bool ok, int64_t *id_out,
                       Err *e);
/* Marks attempt id as successful (attempts are recorded as failures before
 * the password is checked, so that concurrent guesses are all counted). */
int store_login_set_ok(Db *db, int64_t id, Err *e);
/* *count = failed attempts for username at or after since_unix. */
int store_login_failures_user(Db *db, const char *username, int64_t since_unix, int64_t *count, Err *e);
/* *count = failed attempts from address at or after since_unix. */
int store_login_failures_address(Db *db, const char *address, int64_t since_unix, int64_t *count, Err *e);
/* *count = failed attempts for username from address at or after since_unix. */
int store_login_failures_user_address(Db *db, const char *username, const char *address, int64_t since_unix,
                                      int64_t *count, Err *e);
/* *count = successful sign-ins of username from address at or after since_unix. */
int store_login_successes_user_address(Db *db, const char *username, const char *address, int64_t since_unix,
                                       int64_t *count, Err *e);
/* Deletes failed attempts older than failed_before_unix and successful
 * ones older than ok_before_unix (housekeeping). */
int store_login_purge(Db *db, int64_t failed_before_unix, int64_t ok_before_unix, Err *e);

/* The installation secret called name; when there is none yet, stores
 * value_if_new and returns that (out: 129 bytes). Inside a write transaction. */
int store_secret_get_or_create(Db *db, const char *name, const char *value_if_new, char out[129], Err *e);
/* The calendar epoch of a user and the stored hash of the user's token. */
int store_user_calendar_get(Db *db, int64_t user_id, int64_t *epoch, char hash_out[65], Err *e);
/* Records the hash of the user's current calendar token (and its epoch). */
int store_user_calendar_set(Db *db, int64_t user_id, int64_t epoch, const char *token_hash, Err *e);
/* The active user whose calendar token hash is token_hash: ERR_NOT_FOUND when none. */
int store_user_by_calendar_hash(Db *db, const char *token_hash, UserRow *out, Err *e);

#endif
