/* app/once.c: owns the one-time keys of writes (see app/once.h): the form
 * token and its key, the fingerprint of a request, and the record of a key
 * with its first answer. */
#include "app/once.h"
#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/user.h"

#define ONCE_RAND_HEX 16 /* the random part of a form token */
#define ONCE_MAC_HEX 32  /* its MAC: 16 bytes */

/* The installation's form key (hex text, used as the BLAKE2b key), set once
 * by once_init before the server's threads start. */
static char once_key[129];
static _Atomic bool once_key_ready;

int once_init(Db *db, Err *e) {
  assert(!db_in_transaction(db));
  unsigned char raw[32];
  char fresh[65], key[129];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  if (db_begin(db, e) != ERR_OK) return e->code;
  if (store_secret_get_or_create(db, "form_key", fresh, key, e) != ERR_OK) {
    db_rollback(db);
    return e->code;
  }
  if (db_commit(db, e) != ERR_OK) return e->code;
  memcpy(once_key, key, sizeof once_key);
  sodium_memzero(key, sizeof key);
  once_key_ready = true;
  return ERR_OK;
}

/* Writes the MAC of "form:<body>" as ONCE_MAC_HEX hex characters. */
static void once_mac(const char *body, char out[ONCE_MAC_HEX + 1]) {
  char msg[ONCE_TOKEN_MAX + 8];
  int n = snprintf(msg, sizeof msg, "form:%s", body);
  assert(n > 0 && (size_t)n < sizeof msg);
  unsigned char bin[ONCE_MAC_HEX / 2];
  size_t klen = strlen(once_key) > crypto_generichash_KEYBYTES_MAX ? crypto_generichash_KEYBYTES_MAX : strlen(once_key);
  crypto_generichash(bin, sizeof bin, (const unsigned char *)msg, (unsigned long long)n,
                     (const unsigned char *)once_key, klen);
  sodium_bin2hex(out, ONCE_MAC_HEX + 1, bin, sizeof bin);
}

bool once_form_token(int64_t user_id, int64_t now_unix, char out[ONCE_TOKEN_MAX]) {
  out[0] = 0;
  if (!once_key_ready || user_id <= 0) return false;
  unsigned char raw[ONCE_RAND_HEX / 2];
  char rnd[ONCE_RAND_HEX + 1], mac[ONCE_MAC_HEX + 1], body[64];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(rnd, sizeof rnd, raw, sizeof raw);
  snprintf(body, sizeof body, "%" PRId64 ".%" PRId64 ".%s", user_id, now_unix, rnd);
  once_mac(body, mac);
  _Static_assert(64 + 1 + ONCE_MAC_HEX <= ONCE_TOKEN_MAX, "room for a form token");
  snprintf(out, ONCE_TOKEN_MAX, "%s.%s", body, mac);
  return true;
}

/* true when s[0..n) are lowercase hex digits. */
static bool once_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  return true;
}

int64_t once_form_token_user(const char *token, int64_t now_unix) {
  if (!once_key_ready || !token || strlen(token) >= ONCE_TOKEN_MAX) return 0;
  char *end;
  if (token[0] < '1' || token[0] > '9') return 0;
  long long user = strtoll(token, &end, 10);
  if (*end != '.' || end[1] < '1' || end[1] > '9') return 0;
  long long at = strtoll(end + 1, &end, 10);
  if (*end != '.' || !once_hex(end + 1, ONCE_RAND_HEX) || end[1 + ONCE_RAND_HEX] != '.') return 0;
  const char *mac = end + 2 + ONCE_RAND_HEX;
  if (strlen(mac) != ONCE_MAC_HEX || !once_hex(mac, ONCE_MAC_HEX)) return 0;
  if (user <= 0 || at > now_unix + 300 || now_unix - at > ONCE_TOKEN_VALID_SECONDS) return 0;
  char body[ONCE_TOKEN_MAX], want[ONCE_MAC_HEX + 1];
  size_t blen = (size_t)(mac - 1 - token);
  memcpy(body, token, blen);
  body[blen] = 0;
  once_mac(body, want);
  return sodium_memcmp(want, mac, ONCE_MAC_HEX) == 0 ? (int64_t)user : 0;
}

bool once_key_ok(const char *key) {
  size_t n = key ? strlen(key) : 0;
  if (n == 0 || n > ONCE_KEY_MAX) return false;
  for (size_t i = 0; i < n; i++)
    if (key[i] < 0x20 || key[i] > 0x7e) return false;
  return true;
}

void once_fingerprint(const char *method, const char *path, const char *content, size_t len,
                      char out[ONCE_FP_HEX + 1]) {
  crypto_generichash_state h;
  unsigned char bin[ONCE_FP_HEX / 2];
  crypto_generichash_init(&h, NULL, 0, sizeof bin);
  crypto_generichash_update(&h, (const unsigned char *)method, strlen(method) + 1); /* with the NUL: a separator */
  crypto_generichash_update(&h, (const unsigned char *)path, strlen(path) + 1);
  if (len) crypto_generichash_update(&h, (const unsigned char *)content, (unsigned long long)len);
  crypto_generichash_final(&h, bin, sizeof bin);
  sodium_bin2hex(out, ONCE_FP_HEX + 1, bin, sizeof bin);
}

int once_record(Ctx *c, Err *e) {
  assert(c && c->once && c->once->key && db_in_transaction(c->db));
  int rc = store_once_insert(c->db, c->actor->user_id, c->once->key, c->once->fingerprint, c->now_unix, e);
  if (rc == ERR_CONFLICT) {
    err_clear(e);
    return err_set(e, ERR_CONFLICT, "该请求已处理，未重复保存");
  }
  return rc;
}

int once_find(Ctx *c, const char *key, OnceRow *out, Err *e) {
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_once_get(c->db, c->actor->user_id, key, out, e);
  if (rc == ERR_NOT_FOUND) {
    db_rollback(c->db);
    return rc;
  }
  return app_read_done(c, rc, e);
}

int once_answer(Ctx *c, const char *key, int status, const char *location, const char *body, Err *e) {
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_once_answer(c->db, c->actor->user_id, key, status, location, body, e) != ERR_OK) return app_fail(c, e);
  return app_commit(c, NULL, e);
}

int once_purge(Ctx *c, Err *e) {
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_once_purge(c->db, c->now_unix - ONCE_KEEP_SECONDS, e) != ERR_OK) return app_fail(c, e);
  return app_commit(c, NULL, e);
}
