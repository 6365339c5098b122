/* core/crypt.h: the container of what jindu encrypts at rest (backups and
 * attachment bytes, issue 12 point 4): libsodium's secretstream
 * (XChaCha20-Poly1305) under a 32-byte key, in chunks. No I/O: the caller
 * reads and writes the bytes (store/crypt_file.c for files, store/attachment.c
 * for blobs).
 *
 * Layout (version 1):
 *   prefix  24 bytes: magic "JINDUENC" (8), version (1), kind (1: backup,
 *           2: attachment), two zero bytes, chunk size (4, little endian),
 *           key id (8: BLAKE2b of the key under a fixed label, so that a wrong
 *           key is told from damage; it reveals nothing of the key)
 *   header  24 bytes: the secretstream header
 *   chunks  each the ciphertext of chunk-size plaintext bytes (the last one
 *           shorter, possibly empty) plus 17 bytes (tag and MAC); the last
 *           carries the FINAL tag, and nothing may follow it.
 * The prefix is the additional data of every chunk: a changed byte anywhere
 * (prefix, header, chunk, tag), a missing end or a trailing byte is refused. */
#ifndef JINDU_CRYPT_H
#define JINDU_CRYPT_H
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"

#define CRYPT_KEY_BYTES 32
#define CRYPT_MAGIC "JINDUENC"
#define CRYPT_MAGIC_LEN 8
#define CRYPT_VERSION 1
#define CRYPT_PREFIX_BYTES 24
#define CRYPT_HEADER_BYTES (CRYPT_PREFIX_BYTES + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define CRYPT_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define CRYPT_CHUNK_DEFAULT (64 * 1024)
#define CRYPT_CHUNK_MAX (16 * 1024 * 1024)
#define CRYPT_KEY_ID_BYTES 8

/* What a container holds (byte 9 of the prefix). */
typedef enum { CRYPT_KIND_BACKUP = 1, CRYPT_KIND_ATTACHMENT = 2 } CryptKind;

/* Messages (catalog msgids) of a refused container. */
#define CRYPT_MSG_NOT_SEALED "不是 jindu 加密文件（文件头不对）"
#define CRYPT_MSG_VERSION "加密文件的版本不受支持，请用更新的 jindu"
#define CRYPT_MSG_KIND "加密文件的类型不对（备份与附件不能互换）"
#define CRYPT_MSG_WRONG_KEY "密钥不对：此文件是用另一个密钥加密的"
#define CRYPT_MSG_DAMAGED "加密文件已损坏、被截断或被篡改：校验未通过"
#define CRYPT_MSG_TRUNCATED "加密文件不完整：缺少结尾（被截断）"

/* One stream, pushing (encrypting) or pulling (decrypting). Holds key
 * material: wipe with crypt_stream_wipe when done. */
typedef struct CryptStream {
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char prefix[CRYPT_PREFIX_BYTES];
  uint32_t chunk; /* plaintext bytes a chunk holds (the last may hold fewer) */
  bool final;     /* the FINAL chunk was pushed or pulled */
} CryptStream;

/* The key id of key into id (CRYPT_KEY_ID_BYTES). */
void crypt_key_id(const unsigned char key[CRYPT_KEY_BYTES], unsigned char id[CRYPT_KEY_ID_BYTES]);
/* Starts encrypting under key: fills s and writes the CRYPT_HEADER_BYTES
 * of the container's start into header. chunk: 1..CRYPT_CHUNK_MAX. */
void crypt_push_init(CryptStream *s, const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, uint32_t chunk,
                     unsigned char header[CRYPT_HEADER_BYTES]);
/* Encrypts len (<= s->chunk) bytes of in into out (len + CRYPT_ABYTES
 * bytes); final marks the last chunk (a stream ends with exactly one). */
void crypt_push(CryptStream *s, const unsigned char *in, size_t len, bool final, unsigned char *out);
/* Starts decrypting a container whose first CRYPT_HEADER_BYTES are header:
 * ERR_INVALID with CRYPT_MSG_NOT_SEALED, _VERSION, _KIND or _WRONG_KEY when
 * it is not one of kind under key. */
ErrCode crypt_pull_init(CryptStream *s, const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind,
                        const unsigned char header[CRYPT_HEADER_BYTES], Err *e);
/* Decrypts one chunk of clen bytes (CRYPT_ABYTES .. s->chunk + CRYPT_ABYTES)
 * into out (room for s->chunk bytes); *outlen the plaintext's length,
 * s->final set on the last. ERR_INVALID CRYPT_MSG_DAMAGED when it does not
 * verify (or follows the last chunk). */
ErrCode crypt_pull(CryptStream *s, const unsigned char *in, size_t clen, unsigned char *out, size_t *outlen, Err *e);
/* Clears the key material of s. */
void crypt_stream_wipe(CryptStream *s);

/* true when bytes (len) begin with the container's magic: sealed by jindu,
 * not plaintext (a JPEG, PNG or PDF never does). */
bool crypt_is_sealed(const void *bytes, size_t len);
/* The whole container of len bytes of in, under key, appended to out. */
void crypt_seal(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, const void *in, size_t len, Buf *out);
/* Opens the container in (len bytes) of kind: *out malloc'd plaintext
 * (caller frees; never NULL on success), *outlen its length. ERR_INVALID
 * with one of the CRYPT_MSG_ messages when it is refused (nothing in *out). */
ErrCode crypt_open(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, const void *in, size_t len,
                   unsigned char **out, size_t *outlen, Err *e);

#endif
