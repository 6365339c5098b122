/* core/crypt.c: the encrypted container of backups and attachments (see
 * core/crypt.h): prefix, secretstream header, chunks. */
#include "core/crypt.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The label the key id is hashed under. */
static const char crypt_key_id_label[] = "jindu key id v1";

void crypt_key_id(const unsigned char key[CRYPT_KEY_BYTES], unsigned char id[CRYPT_KEY_ID_BYTES]) {
  crypto_generichash(id, CRYPT_KEY_ID_BYTES, (const unsigned char *)crypt_key_id_label, sizeof crypt_key_id_label - 1,
                     key, CRYPT_KEY_BYTES);
}

/* Writes the prefix of kind, chunk and key's id into p. */
static void crypt_prefix(unsigned char p[CRYPT_PREFIX_BYTES], const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind,
                         uint32_t chunk) {
  memcpy(p, CRYPT_MAGIC, CRYPT_MAGIC_LEN);
  p[8] = CRYPT_VERSION;
  p[9] = (unsigned char)kind;
  p[10] = p[11] = 0;
  for (int i = 0; i < 4; i++) p[12 + i] = (unsigned char)(chunk >> (8 * i));
  crypt_key_id(key, p + 16);
}

void crypt_push_init(CryptStream *s, const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, uint32_t chunk,
                     unsigned char header[CRYPT_HEADER_BYTES]) {
  assert(chunk > 0 && chunk <= CRYPT_CHUNK_MAX);
  memset(s, 0, sizeof *s);
  s->chunk = chunk;
  crypt_prefix(s->prefix, key, kind, chunk);
  memcpy(header, s->prefix, CRYPT_PREFIX_BYTES);
  crypto_secretstream_xchacha20poly1305_init_push(&s->st, header + CRYPT_PREFIX_BYTES, key);
}

void crypt_push(CryptStream *s, const unsigned char *in, size_t len, bool final, unsigned char *out) {
  assert(len <= s->chunk && !s->final);
  crypto_secretstream_xchacha20poly1305_push(&s->st, out, NULL, in, len, s->prefix, CRYPT_PREFIX_BYTES,
                                             final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
  s->final = final;
}

ErrCode crypt_pull_init(CryptStream *s, const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind,
                        const unsigned char header[CRYPT_HEADER_BYTES], Err *e) {
  memset(s, 0, sizeof *s);
  if (memcmp(header, CRYPT_MAGIC, CRYPT_MAGIC_LEN) != 0) return err_set(e, ERR_INVALID, CRYPT_MSG_NOT_SEALED);
  if (header[8] != CRYPT_VERSION) return err_set(e, ERR_INVALID, CRYPT_MSG_VERSION);
  if (header[9] != (unsigned char)kind) return err_set(e, ERR_INVALID, CRYPT_MSG_KIND);
  uint32_t chunk = 0;
  for (int i = 0; i < 4; i++) chunk |= (uint32_t)header[12 + i] << (8 * i);
  if (header[10] || header[11] || chunk == 0 || chunk > CRYPT_CHUNK_MAX)
    return err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED);
  unsigned char id[CRYPT_KEY_ID_BYTES];
  crypt_key_id(key, id);
  if (sodium_memcmp(id, header + 16, CRYPT_KEY_ID_BYTES) != 0) return err_set(e, ERR_INVALID, CRYPT_MSG_WRONG_KEY);
  memcpy(s->prefix, header, CRYPT_PREFIX_BYTES);
  s->chunk = chunk;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&s->st, header + CRYPT_PREFIX_BYTES, key) != 0)
    return err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED);
  return ERR_OK;
}

ErrCode crypt_pull(CryptStream *s, const unsigned char *in, size_t clen, unsigned char *out, size_t *outlen, Err *e) {
  *outlen = 0;
  if (s->final || clen < CRYPT_ABYTES || clen > (size_t)s->chunk + CRYPT_ABYTES)
    return err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED);
  unsigned long long n = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&s->st, out, &n, &tag, in, clen, s->prefix, CRYPT_PREFIX_BYTES) != 0)
    return err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED);
  if (tag != 0 && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) return err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED);
  /* every chunk but the last is whole: a short one that is not FINAL is not ours */
  if (tag == 0 && n != s->chunk) return err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED);
  s->final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  *outlen = (size_t)n;
  return ERR_OK;
}

void crypt_stream_wipe(CryptStream *s) { sodium_memzero(s, sizeof *s); }

bool crypt_is_sealed(const void *bytes, size_t len) {
  return len >= CRYPT_MAGIC_LEN && memcmp(bytes, CRYPT_MAGIC, CRYPT_MAGIC_LEN) == 0;
}

void crypt_seal(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, const void *in, size_t len, Buf *out) {
  CryptStream s;
  uint32_t chunk = CRYPT_CHUNK_DEFAULT;
  size_t nchunks = len / chunk + 1; /* the last holds the rest, possibly nothing */
  buf_reserve(out, CRYPT_HEADER_BYTES + len + nchunks * CRYPT_ABYTES);
  unsigned char *p = (unsigned char *)out->data + out->len;
  crypt_push_init(&s, key, kind, chunk, p);
  p += CRYPT_HEADER_BYTES;
  const unsigned char *src = in;
  for (size_t i = 0; i < nchunks; i++) {
    size_t n = i + 1 < nchunks ? chunk : len - i * chunk;
    crypt_push(&s, src + i * chunk, n, i + 1 == nchunks, p);
    p += n + CRYPT_ABYTES;
  }
  out->len = (size_t)(p - (unsigned char *)out->data);
  out->data[out->len] = 0;
  crypt_stream_wipe(&s);
}

ErrCode crypt_open(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, const void *in, size_t len,
                   unsigned char **out, size_t *outlen, Err *e) {
  *out = NULL;
  *outlen = 0;
  const unsigned char *p = in;
  if (len < CRYPT_HEADER_BYTES) {
    if (len >= CRYPT_MAGIC_LEN && crypt_is_sealed(in, len)) return err_set(e, ERR_INVALID, CRYPT_MSG_TRUNCATED);
    return err_set(e, ERR_INVALID, CRYPT_MSG_NOT_SEALED);
  }
  CryptStream s;
  if (crypt_pull_init(&s, key, kind, p, e) != ERR_OK) return e->code;
  p += CRYPT_HEADER_BYTES;
  size_t left = len - CRYPT_HEADER_BYTES;
  unsigned char *buf = malloc(left ? left : 1); /* the plaintext is shorter than what is left */
  if (!buf) abort();
  size_t got = 0;
  ErrCode rc = ERR_OK;
  while (rc == ERR_OK && !s.final) {
    if (left == 0) {
      rc = err_set(e, ERR_INVALID, CRYPT_MSG_TRUNCATED);
      break;
    }
    size_t clen = left < (size_t)s.chunk + CRYPT_ABYTES ? left : (size_t)s.chunk + CRYPT_ABYTES;
    size_t n = 0;
    rc = crypt_pull(&s, p, clen, buf + got, &n, e);
    p += clen;
    left -= clen;
    got += n;
  }
  if (rc == ERR_OK && left != 0) rc = err_set(e, ERR_INVALID, CRYPT_MSG_DAMAGED); /* bytes after the end */
  crypt_stream_wipe(&s);
  if (rc != ERR_OK) {
    sodium_memzero(buf, got);
    free(buf);
    return rc;
  }
  *out = buf;
  *outlen = got;
  return ERR_OK;
}
