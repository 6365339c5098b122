/* app/auth.h: signing in and sessions. Owns the password rules and hashing
 * (libsodium argon2id), sign-in with throttling, sessions kept in the
 * database (only a hash of the token is stored), their idle and absolute
 * expiry, sign-out, password change, the language preference, and the
 * constant-time comparison of CSRF tokens. auth_init() must run once before
 * any other call (it is idempotent and thread-safe). */
#ifndef JINDU_APP_AUTH_H
#define JINDU_APP_AUTH_H
#include <stdbool.h>
#include "app/app.h"

#define AUTH_TOKEN_HEX 64         /* tokens and CSRF tokens: 32 random bytes as lowercase hex */
#define AUTH_HASH_MAX 128         /* room for a password hash string (crypto_pwhash_STRBYTES) */
#define AUTH_PASSWORD_MIN_CHARS 12
#define AUTH_PASSWORD_MAX_BYTES 128
#define AUTH_IDLE_SECONDS (30 * 60)      /* a session unused this long expires */
#define AUTH_MAX_AGE_SECONDS (12 * 3600) /* a session older than this expires */
#define AUTH_TOUCH_SECONDS 60            /* seen_unix is written at most this often */
#define AUTH_THROTTLE_WINDOW (15 * 60)
#define AUTH_THROTTLE_USER 5             /* failures per account in the window (see auth_attempt_begin) */
#define AUTH_THROTTLE_ADDRESS 20         /* failures per client address in the window */
#define AUTH_KNOWN_SECONDS (30 * 24 * 3600) /* an address that signed in this recently is known */

/* Empties every thread's cache of checked sessions (auth_session keeps a
 * valid session for 2 seconds): called after any change of sessions or
 * accounts made by this process; another process's changes are seen within
 * those 2 seconds. */
void auth_cache_invalidate(void);

/* Initializes libsodium and the dummy hash used to keep failed sign-ins of
 * unknown users as slow as the others. Returns ERR_OK, or ERR_INTERNAL when
 * libsodium cannot start (the program should exit). */
int auth_init(void);

/* Checks a new password: at least 12 characters (UTF-8 code points), at
 * most 128 bytes, valid UTF-8 without control characters.
 * Adds a field error under field (e.g. "password", "new_password") and
 * returns ERR_INVALID when it does not pass. */
int auth_password_validate(const char *password, const char *field, Err *e);
/* Counts the characters (code points) of s when it is valid UTF-8 (no
 * overlongs, surrogates or values past U+10FFFF) without control characters
 * (below U+0020, U+007F); (size_t)-1 otherwise. Used for every short text
 * of accounts and units (names) as well as passwords. */
size_t auth_text_chars(const char *s);
/* Hashes password with argon2id (opslimit 2, memlimit 19 MiB) into out as a
 * self-describing string. ERR_INTERNAL when memory is short. */
int auth_password_hash(const char *password, char out[AUTH_HASH_MAX], Err *e);

/* Signs in. Refuses with ERR_THROTTLED ("登录失败次数过多，请15分钟后再试")
 * after 5 failures for the account or 20 from the address within 15
 * minutes, before looking at the password. A wrong password, an unknown or
 * inactive account all answer ERR_UNAUTHORIZED ("用户名或密码错误") in about
 * the same time. Every attempt is recorded. On success creates a session of
 * kind "cookie" or "bearer", writes the token (64 hex, to give the client;
 * only its hash is stored) into token_out and the CSRF token into csrf_out,
 * fills *actor_out (address = address) and audits "login". c->actor is not
 * used (may be NULL); c->db must have no transaction open. */
int auth_login(Ctx *c, const char *username, const char *password, const char *address, const char *kind,
               char token_out[AUTH_TOKEN_HEX + 1], char csrf_out[AUTH_TOKEN_HEX + 1], Actor *actor_out, Err *e);

/* Resolves a session token: fills *actor_out (the session's address; the
 * caller may overwrite it with the request's) and csrf_out (may be NULL).
 * ERR_UNAUTHORIZED ("会话已过期，请重新登录") for an unknown token, a session
 * idle more than 30 minutes or older than 12 hours (which is then deleted),
 * or an account now inactive. Records activity at most once a minute. */
int auth_session(Ctx *c, const char *token, Actor *actor_out, char csrf_out[AUTH_TOKEN_HEX + 1], Err *e);

/* Ends the session of token and audits "logout". An unknown or malformed
 * token is not an error (the session is gone either way). */
int auth_logout(Ctx *c, const char *token, Err *e);

/* The signed-in actor (c->actor, user_id > 0) changes their password: checks
 * old_pw (a wrong one counts as a failed sign-in and answers ERR_INVALID on
 * field "old_password"), validates new_pw (field "new_password"), stores the
 * new hash, ends every other session of the account (all but keep_token's;
 * keep_token may be NULL) and audits "change_password". */
int auth_change_password(Ctx *c, const char *old_pw, const char *new_pw, const char *keep_token, Err *e);

/* Sets the signed-in actor's language, "zh" or "en" (field "lang"); audited. */
int auth_set_lang(Ctx *c, const char *lang, Err *e);

/* Housekeeping: deletes expired sessions and sign-in attempts older than a
 * day (as of c->now_unix). */
int auth_purge(Ctx *c, Err *e);

/* true when given equals the expected CSRF token (constant-time; both must
 * be 64 characters). */
bool auth_csrf_equal(const char *expected, const char *given);

/* The signed-in actor's calendar feed token (64 hex characters), the same
 * on every call until rotated; only its hash is stored. */
int auth_calendar_token(Ctx *c, char out[AUTH_TOKEN_HEX + 1], Err *e);
/* Issues a new calendar token; the previous feed URL stops working. Audited. */
int auth_calendar_rotate(Ctx *c, char out[AUTH_TOKEN_HEX + 1], Err *e);
/* The active user owning a calendar token, as an Actor; ERR_NOT_FOUND for
 * anything else. */
int auth_calendar_actor(Ctx *c, const char *token, const char *address, Actor *actor_out, Err *e);

#endif
