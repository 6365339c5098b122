/* app/auth.c: owns signing in and sessions (see app/auth.h): password rules
 * and argon2id hashing, throttled sign-in, database sessions keyed by the
 * BLAKE2b-256 hash of their token, expiry, sign-out, password change and the
 * language preference. */
#include "app/auth.h"
#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "app/audit.h"
#include "core/buf.h"
#include "app/user.h"
#include "store/user.h"

#define AUTH_OPSLIMIT 2ULL
#define AUTH_MEMLIMIT ((size_t)19 * 1024 * 1024)
#define AUTH_FAILURES_KEEP (24 * 3600) /* failed sign-ins kept this long (successes: AUTH_KNOWN_SECONDS) */

_Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "room for a password hash");
_Static_assert(AUTH_HASH_MAX <= USER_HASH_MAX, "UserRow holds a password hash");
_Static_assert(AUTH_TOKEN_HEX == SESSION_HEX_LEN, "session hex sizes agree");

static const char *const auth_msg_bad_login = "用户名或密码错误";
static const char *const auth_msg_throttled = "登录失败次数过多，请15分钟后再试";
static const char *const auth_msg_expired = "会话已过期，请重新登录";

/* ---- initialization ---- */

static pthread_once_t auth_once = PTHREAD_ONCE_INIT;
static int auth_init_rc = ERR_INTERNAL;
static char auth_dummy_hash[AUTH_HASH_MAX]; /* verified against when the user is unknown */

/* Runs once: starts libsodium and hashes a random password as the dummy. */
static void auth_init_once(void) {
  if (sodium_init() < 0) return;
  unsigned char raw[16];
  char pw[33];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
  if (crypto_pwhash_str_alg(auth_dummy_hash, pw, strlen(pw), AUTH_OPSLIMIT, AUTH_MEMLIMIT,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return;
  auth_init_rc = ERR_OK;
}

int auth_init(void) {
  pthread_once(&auth_once, auth_init_once);
  return auth_init_rc;
}

/* ---- small helpers ---- */

/* Writes n random bytes as lowercase hex into out (2n+1 bytes). */
static void auth_random_hex(char *out, size_t n) {
  unsigned char raw[32];
  assert(n <= sizeof raw);
  randombytes_buf(raw, n);
  sodium_bin2hex(out, 2 * n + 1, raw, n);
  sodium_memzero(raw, sizeof raw);
}

/* true when s is exactly AUTH_TOKEN_HEX lowercase hex characters. */
static bool auth_token_ok(const char *s) {
  if (!s) return false;
  size_t i = 0;
  for (; s[i] && i <= AUTH_TOKEN_HEX; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  return i == AUTH_TOKEN_HEX;
}

/* Writes the stored form of a token: hex BLAKE2b-256 of its text. */
static void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX + 1]) {
  unsigned char bin[32];
  crypto_generichash(bin, sizeof bin, (const unsigned char *)token, strlen(token), NULL, 0);
  sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, bin, sizeof bin);
}

/* A copy of c acting as actor a (for audit rows written on behalf of the
 * account concerned, e.g. at sign-in). */
static Ctx auth_ctx_as(const Ctx *c, const Actor *a) {
  Ctx k = *c;
  k.actor = a;
  return k;
}

/* Checks password against hash in constant time; false for a bad or
 * foreign hash. Passwords over the limit never match (but cost the same). */
static bool auth_verify(const char *hash, const char *password) {
  size_t len = password ? strlen(password) : 0;
  if (!password || len > AUTH_PASSWORD_MAX_BYTES) {
    /* Spend what a real check costs; the dummy never matches "x". */
    if (crypto_pwhash_str_verify(auth_dummy_hash, "x", 1) == 0) {
    }
    return false;
  }
  return crypto_pwhash_str_verify(hash, password, len) == 0;
}

/* ---- passwords ---- */

/* Decodes one UTF-8 character at s (strictly: no overlongs, surrogates or
 * values past U+10FFFF); returns its length or 0 when invalid. */
static size_t auth_utf8_char(const unsigned char *s, uint32_t *cp) {
  if (s[0] < 0x80) { *cp = s[0]; return 1; }
  size_t n;
  uint32_t v, min;
  if ((s[0] & 0xE0) == 0xC0) { n = 2; v = s[0] & 0x1F; min = 0x80; }
  else if ((s[0] & 0xF0) == 0xE0) { n = 3; v = s[0] & 0x0F; min = 0x800; }
  else if ((s[0] & 0xF8) == 0xF0) { n = 4; v = s[0] & 0x07; min = 0x10000; }
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

size_t auth_text_chars(const char *s) {
  size_t chars = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    uint32_t cp;
    size_t n = auth_utf8_char(p, &cp);
    if (n == 0 || cp < 0x20 || cp == 0x7F) return (size_t)-1;
    p += n;
    chars++;
  }
  return chars;
}

int auth_password_validate(const char *password, const char *field, Err *e) {
  if (!password || !*password) return err_field(e, field, "请输入密码");
  size_t len = strlen(password);
  if (len > AUTH_PASSWORD_MAX_BYTES) return err_field(e, field, "密码不能超过128字节");
  size_t chars = auth_text_chars(password);
  if (chars == (size_t)-1) return err_field(e, field, "密码含有无效字符");
  if (chars < AUTH_PASSWORD_MIN_CHARS) return err_field(e, field, "密码至少需要12个字符");
  return ERR_OK;
}

int auth_password_hash(const char *password, char out[AUTH_HASH_MAX], Err *e) {
  assert(auth_init_rc == ERR_OK && "auth_init() first");
  if (crypto_pwhash_str_alg(out, password, strlen(password), AUTH_OPSLIMIT, AUTH_MEMLIMIT,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return err_set(e, ERR_INTERNAL, "内存不足，无法处理密码");
  return ERR_OK;
}

/* ---- signing in ---- */

/* In a write transaction: refuses when the sign-in is throttled, else
 * records the attempt as a failure (made a success once the password is
 * right), so that concurrent guesses are all counted. Throttled, within
 * AUTH_THROTTLE_WINDOW: AUTH_THROTTLE_USER failures of this account from
 * this address; AUTH_THROTTLE_ADDRESS failures from this address; or
 * AUTH_THROTTLE_USER failures of this account from anywhere when this
 * address has not signed into it successfully within AUTH_KNOWN_SECONDS.
 * So guesses from elsewhere lock the account against new addresses only:
 * a worker at her usual desk is not locked out by someone else's guesses. */
static int auth_attempt_begin(Ctx *c, const char *username, const char *address, int64_t *attempt_id, Err *e) {
  int64_t since = c->now_unix - AUTH_THROTTLE_WINDOW, by_user = 0, by_addr = 0, by_pair = 0, known = 0;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_login_failures_user(c->db, username, since, &by_user, e) != ERR_OK ||
      store_login_failures_address(c->db, address, since, &by_addr, e) != ERR_OK ||
      store_login_failures_user_address(c->db, username, address, since, &by_pair, e) != ERR_OK)
    goto fail;
  if (by_user >= AUTH_THROTTLE_USER && by_pair < AUTH_THROTTLE_USER &&
      store_login_successes_user_address(c->db, username, address, c->now_unix - AUTH_KNOWN_SECONDS, &known, e) !=
        ERR_OK)
    goto fail;
  if (by_pair >= AUTH_THROTTLE_USER || by_addr >= AUTH_THROTTLE_ADDRESS || (by_user >= AUTH_THROTTLE_USER && !known)) {
    err_set(e, ERR_THROTTLED, auth_msg_throttled);
    goto fail;
  }
  if (store_login_record(c->db, username, address, c->now_unix, false, attempt_id, e) != ERR_OK) goto fail;
  return app_commit(c, NULL, e);
fail:
  return app_fail(c, e);
}

int auth_login(Ctx *c, const char *username, const char *password, const char *address, const char *kind,
               char token_out[AUTH_TOKEN_HEX + 1], char csrf_out[AUTH_TOKEN_HEX + 1], Actor *actor_out, Err *e) {
  assert(auth_init_rc == ERR_OK && "auth_init() first");
  assert(c && c->db && !db_in_transaction(c->db));
  token_out[0] = csrf_out[0] = 0;
  memset(actor_out, 0, sizeof *actor_out);
  if (!kind || (strcmp(kind, "cookie") != 0 && strcmp(kind, "bearer") != 0))
    return err_set(e, ERR_INVALID, "会话类型无效");
  char uname[64], addr[64];
  str_copy(uname, sizeof uname, username);
  str_copy(addr, sizeof addr, address);

  int64_t attempt_id = 0;
  if (auth_attempt_begin(c, uname, addr, &attempt_id, e) != ERR_OK) return e->code;

  /* The password is checked outside any transaction: hashing takes tens of
   * milliseconds and must not hold the write lock. */
  UserRow u;
  Err le;
  err_clear(&le);
  bool known = username && strlen(username) < sizeof uname && store_user_by_username(c->db, uname, &u, &le) == ERR_OK;
  if (!known && le.code != ERR_OK && le.code != ERR_NOT_FOUND) {
    *e = le;
    return e->code;
  }
  bool ok = auth_verify(known ? u.password_hash : auth_dummy_hash, password);
  if (!ok || !known || !u.active) return err_set(e, ERR_UNAUTHORIZED, auth_msg_bad_login);

  char rehash[AUTH_HASH_MAX] = "";
  if (crypto_pwhash_str_needs_rehash(u.password_hash, AUTH_OPSLIMIT, AUTH_MEMLIMIT) != 0 &&
      auth_password_hash(password, rehash, e) != ERR_OK)
    return e->code;

  char token[AUTH_TOKEN_HEX + 1];
  SessionRow s;
  memset(&s, 0, sizeof s);
  auth_random_hex(token, 32);
  auth_token_hash(token, s.token_hash);
  auth_random_hex(s.csrf, 32);
  s.user_id = u.id;
  str_copy(s.kind, sizeof s.kind, kind);
  s.created_unix = s.seen_unix = c->now_unix;
  str_copy(s.address, sizeof s.address, addr);

  Actor a;
  app_user_actor(&u, addr, &a);
  Ctx as = auth_ctx_as(c, &a);
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "kind", kind);
  if (db_begin(c->db, e) != ERR_OK) goto fail; /* app_fail ends nothing: none is open */
  if (store_login_set_ok(c->db, attempt_id, e) != ERR_OK) goto fail;
  if (rehash[0] && store_user_set_password(c->db, u.id, rehash, u.password_changed_at, e) != ERR_OK) goto fail;
  if (store_session_insert(c->db, &s, e) != ERR_OK) goto fail;
  int rc = app_commit(&as, &(AppAudit){"login", "user", u.id, u.org_path, &detail}, e);
  if (rc == ERR_OK) {
    memcpy(token_out, token, sizeof token);
    memcpy(csrf_out, s.csrf, sizeof s.csrf);
    *actor_out = a;
  }
  sodium_memzero(token, sizeof token);
  return rc;
fail:
  buf_reset(&detail);
  sodium_memzero(token, sizeof token);
  return app_fail(c, e);
}

/* ---- the session cache ----
 * Every authenticated request checks its session: a read of the session and
 * its account, a fifth of a case-file GET's cost. Each thread keeps the
 * sessions it checked for AUTH_CACHE_SECONDS. A change made by this process
 * (sign-out, password, language, account disabled or reset, purge) bumps a
 * generation that empties every thread's cache at once; a change made by
 * another process (the command line) is seen within AUTH_CACHE_SECONDS.
 * Entries are keyed by the token's hash and the connection's serial. */
#define AUTH_CACHE_SLOTS 64
#define AUTH_CACHE_SECONDS 2

typedef struct AuthCached {
  uint64_t db_serial, gen; /* 0: empty */
  int64_t at;              /* the request time it was read at */
  char th[AUTH_TOKEN_HEX + 1];
  SessionRow s;
  UserRow u;
} AuthCached;

static _Atomic uint64_t auth_gen = 1;
static pthread_key_t auth_cache_key;
static pthread_once_t auth_cache_once = PTHREAD_ONCE_INIT;

static void auth_cache_key_make(void) { pthread_key_create(&auth_cache_key, free); }

void auth_cache_invalidate(void) { auth_gen++; }

/* This thread's slot for token hash th (allocated on first use). */
static AuthCached *auth_cache_slot(const char *th) {
  pthread_once(&auth_cache_once, auth_cache_key_make);
  AuthCached *cache = pthread_getspecific(auth_cache_key);
  if (!cache) {
    cache = calloc(AUTH_CACHE_SLOTS, sizeof *cache);
    if (!cache) abort();
    pthread_setspecific(auth_cache_key, cache);
  }
  unsigned h = 0;
  for (int i = 0; i < 8; i++) h = h * 16 + (unsigned)(th[i] <= '9' ? th[i] - '0' : th[i] - 'a' + 10);
  return &cache[h % AUTH_CACHE_SLOTS];
}

/* ---- sessions ---- */

int auth_session(Ctx *c, const char *token, Actor *actor_out, char csrf_out[AUTH_TOKEN_HEX + 1], Err *e) {
  assert(c && c->db);
  memset(actor_out, 0, sizeof *actor_out);
  if (csrf_out) csrf_out[0] = 0;
  if (!auth_token_ok(token)) return err_set(e, ERR_UNAUTHORIZED, auth_msg_expired);
  char th[AUTH_TOKEN_HEX + 1];
  auth_token_hash(token, th);
  AuthCached *slot = auth_cache_slot(th);
  uint64_t gen = auth_gen;
  SessionRow s;
  UserRow u; /* the session's account, read by the same statement */
  Err le;
  err_clear(&le);
  if (slot->gen == gen && slot->db_serial == db_serial(c->db) && c->now_unix >= slot->at &&
      c->now_unix - slot->at < AUTH_CACHE_SECONDS && sodium_memcmp(slot->th, th, AUTH_TOKEN_HEX) == 0) {
    s = slot->s;
    u = slot->u;
  } else {
    slot->gen = 0;
    if (store_session_get(c->db, th, &s, &u, &le) != ERR_OK) {
      if (le.code == ERR_NOT_FOUND) return err_set(e, ERR_UNAUTHORIZED, auth_msg_expired);
      *e = le;
      return e->code;
    }
    if (strlen(s.token_hash) != AUTH_TOKEN_HEX || sodium_memcmp(s.token_hash, th, AUTH_TOKEN_HEX) != 0)
      return err_set(e, ERR_UNAUTHORIZED, auth_msg_expired);
    sodium_memzero(u.password_hash, sizeof u.password_hash); /* not needed here, not kept in memory */
    *slot = (AuthCached){.db_serial = db_serial(c->db), .gen = gen, .at = c->now_unix, .s = s, .u = u};
    memcpy(slot->th, th, sizeof slot->th);
  }
  bool expired = c->now_unix - s.seen_unix > AUTH_IDLE_SECONDS || c->now_unix - s.created_unix > AUTH_MAX_AGE_SECONDS;
  bool gone = u.id == 0 || !u.active;
  if (expired || gone) {
    slot->gen = 0;
    int rc = store_session_delete(c->db, th, e);
    auth_cache_invalidate();
    if (rc != ERR_OK) return e->code;
    return err_set(e, ERR_UNAUTHORIZED, auth_msg_expired);
  }
  /* The idle clock is refreshed at most once a minute; a failure to record it
   * (a busy database) must not sign a valid session out. */
  if (c->now_unix - s.seen_unix >= AUTH_TOUCH_SECONDS) {
    err_clear(&le);
    if (store_session_touch(c->db, th, c->now_unix, &le) == ERR_OK && slot->gen == gen) slot->s.seen_unix = c->now_unix;
  }
  app_user_actor(&u, s.address, actor_out);
  if (csrf_out) memcpy(csrf_out, s.csrf, AUTH_TOKEN_HEX + 1);
  return ERR_OK;
}

static int auth_logout_tx(Ctx *c, const char *token, Err *e) {
  assert(c && c->db);
  if (!auth_token_ok(token)) return ERR_OK;
  char th[AUTH_TOKEN_HEX + 1];
  auth_token_hash(token, th);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  SessionRow s;
  UserRow u;
  Err le;
  err_clear(&le);
  if (store_session_get(c->db, th, &s, &u, &le) != ERR_OK) {
    if (le.code == ERR_NOT_FOUND) return app_commit(c, NULL, e);
    *e = le;
    return app_fail(c, e);
  }
  if (u.id == 0) {
    err_set(e, ERR_NOT_FOUND, "用户不存在");
    goto fail;
  }
  Actor a;
  app_user_actor(&u, c->actor ? c->actor->address : s.address, &a);
  Ctx as = auth_ctx_as(c, &a);
  if (store_session_delete(c->db, th, e) != ERR_OK) goto fail;
  return app_commit(&as, &(AppAudit){"logout", "user", u.id, u.org_path, NULL}, e);
fail:
  return app_fail(c, e);
}

/* auth_logout, then every thread's session cache emptied (the change seen at once). */
int auth_logout(Ctx *c, const char *token, Err *e) {
  int rc = auth_logout_tx(c, token, e);
  auth_cache_invalidate();
  return rc;
}

static int auth_change_password_tx(Ctx *c, const char *old_pw, const char *new_pw, const char *keep_token, Err *e) {
  err_clear(e); /* an out parameter: validation below reads it */
  assert(auth_init_rc == ERR_OK && "auth_init() first");
  assert(c && c->db && !db_in_transaction(c->db));
  if (!c->actor || c->actor->user_id <= 0) return err_set(e, ERR_FORBIDDEN, "只有登录用户可以修改自己的密码");
  const Actor *me = c->actor;
  if (!old_pw || !*old_pw) err_field(e, "old_password", "请输入原密码");
  auth_password_validate(new_pw, "new_password", e);
  if (e->code != ERR_OK) return e->code;
  if (old_pw && new_pw && strcmp(old_pw, new_pw) == 0)
    return err_field(e, "new_password", "新密码不能与原密码相同");

  /* A wrong old password is a failed sign-in: the same throttle applies. */
  int64_t attempt_id = 0;
  if (auth_attempt_begin(c, me->username, me->address, &attempt_id, e) != ERR_OK) return e->code;
  UserRow u;
  if (store_user_by_id(c->db, me->user_id, &u, e) != ERR_OK) return e->code;
  if (!auth_verify(u.password_hash, old_pw)) return err_field(e, "old_password", "原密码不正确");
  char hash[AUTH_HASH_MAX];
  if (auth_password_hash(new_pw, hash, e) != ERR_OK) return e->code;
  char keep[AUTH_TOKEN_HEX + 1] = "";
  if (auth_token_ok(keep_token)) auth_token_hash(keep_token, keep);

  int64_t ended = 0;
  Buf detail = BUF_INIT;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_login_set_ok(c->db, attempt_id, e) != ERR_OK) goto fail;
  if (store_user_set_password(c->db, u.id, hash, c->now_iso, e) != ERR_OK) goto fail;
  if (store_session_delete_user(c->db, u.id, keep, &ended, e) != ERR_OK) goto fail;
  audit_detail_int(&detail, "sessions_ended", ended);
  return app_commit(c, &(AppAudit){"change_password", "user", u.id, u.org_path, &detail}, e);
fail:
  buf_reset(&detail);
  return app_fail(c, e);
}

/* auth_change_password, then every thread's session cache emptied (the change seen at once). */
int auth_change_password(Ctx *c, const char *old_pw, const char *new_pw, const char *keep_token, Err *e) {
  int rc = auth_change_password_tx(c, old_pw, new_pw, keep_token, e);
  auth_cache_invalidate();
  return rc;
}

static int auth_set_lang_tx(Ctx *c, const char *lang, Err *e) {
  assert(c && c->db);
  if (!c->actor || c->actor->user_id <= 0) return err_set(e, ERR_FORBIDDEN, "只有登录用户可以设置语言");
  if (!lang || (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0))
    return err_field(e, "lang", "语言只能是 zh 或 en");
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "lang", lang);
  if (db_begin(c->db, e) != ERR_OK) goto fail; /* app_fail ends nothing: none is open */
  if (store_user_set_lang(c->db, c->actor->user_id, lang, e) != ERR_OK) goto fail;
  return app_commit(c, &(AppAudit){"set_lang", "user", c->actor->user_id, c->actor->org_path, &detail}, e);
fail:
  buf_reset(&detail);
  return app_fail(c, e);
}

/* auth_set_lang, then every thread's session cache emptied (the change seen at once). */
int auth_set_lang(Ctx *c, const char *lang, Err *e) {
  int rc = auth_set_lang_tx(c, lang, e);
  auth_cache_invalidate();
  return rc;
}

static int auth_purge_tx(Ctx *c, Err *e) {
  assert(c && c->db);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_session_purge(c->db, c->now_unix - AUTH_IDLE_SECONDS, c->now_unix - AUTH_MAX_AGE_SECONDS, NULL, e) !=
          ERR_OK ||
      store_login_purge(c->db, c->now_unix - AUTH_FAILURES_KEEP, c->now_unix - AUTH_KNOWN_SECONDS, e) != ERR_OK)
    return app_fail(c, e);
  return app_commit(c, NULL, e);
}

/* auth_purge, then every thread's session cache emptied (the change seen at once). */
int auth_purge(Ctx *c, Err *e) {
  int rc = auth_purge_tx(c, e);
  auth_cache_invalidate();
  return rc;
}

bool auth_csrf_equal(const char *expected, const char *given) {
  if (!expected || !given || strlen(expected) != AUTH_TOKEN_HEX || strlen(given) != AUTH_TOKEN_HEX) return false;
  return sodium_memcmp(expected, given, AUTH_TOKEN_HEX) == 0;
}

/* ---- calendar feed tokens ----------------------------------------------
 * A user's feed URL carries a token derived from the installation's secret
 * key (app_secret "calendar_key", made at first use), the user id and the
 * user's calendar epoch: BLAKE2b-256 keyed. Only the token's hash is stored
 * (to find the user); rotating bumps the epoch, so the old URL dies. */

/* Derives the current token of user_id (in a write transaction). */
static int auth_calendar_derive(Ctx *c, int64_t user_id, int64_t *epoch, char token[AUTH_TOKEN_HEX + 1],
                                char stored_hash[AUTH_TOKEN_HEX + 1], Err *e) {
  char fresh[AUTH_TOKEN_HEX + 1], key[129];
  auth_random_hex(fresh, 32);
  if (store_secret_get_or_create(c->db, "calendar_key", fresh, key, e) != ERR_OK ||
      store_user_calendar_get(c->db, user_id, epoch, stored_hash, e) != ERR_OK)
    return e->code;
  char msg[64];
  snprintf(msg, sizeof msg, "calendar:%lld:%lld", (long long)user_id, (long long)*epoch);
  unsigned char bin[32];
  size_t klen = strlen(key) > crypto_generichash_KEYBYTES_MAX ? crypto_generichash_KEYBYTES_MAX : strlen(key);
  crypto_generichash(bin, sizeof bin, (const unsigned char *)msg, strlen(msg), (const unsigned char *)key, klen);
  sodium_bin2hex(token, AUTH_TOKEN_HEX + 1, bin, sizeof bin);
  sodium_memzero(key, sizeof key);
  return ERR_OK;
}

/* Shared by token and rotate: derives (after bumping the epoch when rotate)
 * and records the token's hash. */
static int auth_calendar_issue(Ctx *c, bool rotate, char out[AUTH_TOKEN_HEX + 1], Err *e) {
  if (!c->actor || c->actor->user_id <= 0) return err_set(e, ERR_FORBIDDEN, "没有权限执行此操作");
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  int64_t epoch = 0;
  char stored[AUTH_TOKEN_HEX + 1], hash[AUTH_TOKEN_HEX + 1];
  int rc = auth_calendar_derive(c, c->actor->user_id, &epoch, out, stored, e);
  if (rc == ERR_OK && rotate) {
    epoch++;
    if (store_user_calendar_set(c->db, c->actor->user_id, epoch, "", e) != ERR_OK) rc = e->code;
    else rc = auth_calendar_derive(c, c->actor->user_id, &epoch, out, stored, e);
  }
  if (rc == ERR_OK) {
    auth_token_hash(out, hash);
    if (strcmp(hash, stored) != 0 && store_user_calendar_set(c->db, c->actor->user_id, epoch, hash, e) != ERR_OK)
      rc = e->code;
  }
  AppAudit rotated = {"calendar_rotate", "user", c->actor->user_id, c->actor->org_path, NULL};
  rc = rc == ERR_OK ? app_commit(c, rotate ? &rotated : NULL, e) : app_fail(c, e);
  if (rc != ERR_OK) sodium_memzero(out, AUTH_TOKEN_HEX + 1);
  return rc;
}

int auth_calendar_token(Ctx *c, char out[AUTH_TOKEN_HEX + 1], Err *e) { return auth_calendar_issue(c, false, out, e); }

int auth_calendar_rotate(Ctx *c, char out[AUTH_TOKEN_HEX + 1], Err *e) { return auth_calendar_issue(c, true, out, e); }

int auth_calendar_actor(Ctx *c, const char *token, const char *address, Actor *actor_out, Err *e) {
  if (!auth_token_ok(token)) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  char hash[AUTH_TOKEN_HEX + 1];
  auth_token_hash(token, hash);
  UserRow u;
  if (store_user_by_calendar_hash(c->db, hash, &u, e) != ERR_OK) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  app_user_actor(&u, address, actor_out);
  sodium_memzero(&u, sizeof u);
  return ERR_OK;
}
