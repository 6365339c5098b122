/* store/crypt_file.c: the key file and files encrypted in core/crypt.h's
 * container (see store/crypt_file.h). */
#include "store/crypt_file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ErrCode crypt_key_create(const char *path, Err *e) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return err_set(e, errno == EEXIST ? ERR_CONFLICT : ERR_INTERNAL, errno == EEXIST ? CRYPT_KEY_MSG_EXISTS
                                                                                               : CRYPT_KEY_MSG_CREATE);
  unsigned char key[CRYPT_KEY_BYTES];
  randombytes_buf(key, sizeof key);
  bool ok = fchmod(fd, 0600) == 0 && write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
  sodium_memzero(key, sizeof key);
  if (close(fd) != 0) ok = false;
  if (!ok) {
    unlink(path);
    return err_set(e, ERR_INTERNAL, CRYPT_KEY_MSG_CREATE);
  }
  return ERR_OK;
}

ErrCode crypt_key_load(const char *path, unsigned char key[CRYPT_KEY_BYTES], Err *e) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return err_set(e, ERR_INVALID, CRYPT_KEY_MSG_OPEN);
  struct stat st;
  ErrCode rc = ERR_OK;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) rc = err_set(e, ERR_INVALID, CRYPT_KEY_MSG_OPEN);
  else if (st.st_mode & 077) rc = err_set(e, ERR_INVALID, CRYPT_KEY_MSG_MODE);
  else if (st.st_size != CRYPT_KEY_BYTES) rc = err_set(e, ERR_INVALID, CRYPT_KEY_MSG_SIZE);
  else if (read(fd, key, CRYPT_KEY_BYTES) != CRYPT_KEY_BYTES) rc = err_set(e, ERR_INVALID, CRYPT_KEY_MSG_OPEN);
  close(fd);
  if (rc != ERR_OK) sodium_memzero(key, CRYPT_KEY_BYTES);
  return rc;
}

/* Reads up to n bytes from fd, until n or the end; the count, or -1. */
static ssize_t crypt_read_full(int fd, unsigned char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

/* Writes n bytes of p to fd; false on failure. */
static bool crypt_write_full(int fd, const unsigned char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

ErrCode crypt_file_encrypt(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, int in_fd, int out_fd,
                           uint64_t *plain, uint64_t *sealed, Err *e) {
  const size_t chunk = CRYPT_CHUNK_DEFAULT;
  unsigned char *cur = malloc(chunk), *next = malloc(chunk), *out = malloc(chunk + CRYPT_ABYTES);
  if (!cur || !next || !out) abort();
  unsigned char header[CRYPT_HEADER_BYTES];
  CryptStream s;
  crypt_push_init(&s, key, kind, (uint32_t)chunk, header);
  uint64_t nin = 0, nout = CRYPT_HEADER_BYTES;
  ErrCode rc = ERR_OK;
  if (!crypt_write_full(out_fd, header, sizeof header)) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
  ssize_t n = rc == ERR_OK ? crypt_read_full(in_fd, cur, chunk) : 0;
  if (n < 0) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_READ);
  while (rc == ERR_OK) {
    /* a whole chunk may be the last: read the next one to know */
    ssize_t m = (size_t)n == chunk ? crypt_read_full(in_fd, next, chunk) : 0;
    if (m < 0) {
      rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_READ);
      break;
    }
    bool final = m == 0;
    crypt_push(&s, cur, (size_t)n, final, out);
    if (!crypt_write_full(out_fd, out, (size_t)n + CRYPT_ABYTES)) {
      rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
      break;
    }
    nin += (uint64_t)n;
    nout += (uint64_t)n + CRYPT_ABYTES;
    if (final) break;
    unsigned char *t = cur;
    cur = next;
    next = t;
    n = m;
  }
  crypt_stream_wipe(&s);
  sodium_memzero(cur, chunk);
  sodium_memzero(next, chunk);
  free(cur);
  free(next);
  free(out);
  if (plain) *plain = nin;
  if (sealed) *sealed = nout;
  return rc;
}

ErrCode crypt_file_decrypt(const unsigned char key[CRYPT_KEY_BYTES], CryptKind kind, int in_fd, int out_fd,
                           uint64_t *plain, Err *e) {
  unsigned char header[CRYPT_HEADER_BYTES];
  if (plain) *plain = 0;
  ssize_t h = crypt_read_full(in_fd, header, sizeof header);
  if (h < 0) return err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_READ);
  if ((size_t)h < sizeof header)
    return err_set(e, ERR_INVALID, crypt_is_sealed(header, (size_t)h) ? CRYPT_MSG_TRUNCATED : CRYPT_MSG_NOT_SEALED);
  CryptStream s;
  if (crypt_pull_init(&s, key, kind, header, e) != ERR_OK) return e->code;
  size_t chunk = s.chunk, clen = chunk + CRYPT_ABYTES;
  unsigned char *in = malloc(clen), *out = malloc(chunk);
  if (!in || !out) abort();
  uint64_t nout = 0;
  ErrCode rc = ERR_OK;
  while (rc == ERR_OK && !s.final) {
    ssize_t n = crypt_read_full(in_fd, in, clen);
    if (n < 0) {
      rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_READ);
      break;
    }
    if (n == 0) {
      rc = err_set(e, ERR_INVALID, CRYPT_MSG_TRUNCATED);
      break;
    }
    size_t got = 0;
    if (crypt_pull(&s, in, (size_t)n, out, &got, e) != ERR_OK) {
      rc = e->code;
      break;
    }
    if (!crypt_write_full(out_fd, out, got)) rc = err_set(e, ERR_INTERNAL, CRYPT_FILE_MSG_WRITE);
    nout += got;
  }
  if (rc == ERR_OK) { /* nothing may follow the last chunk */
    unsigned char extra;
    ssize_t n = crypt_read_full(in_fd, &extra, 1);
    if (n != 0) rc = err_set(e, n < 0 ? ERR_INTERNAL : ERR_INVALID, n < 0 ? CRYPT_FILE_MSG_READ : CRYPT_MSG_DAMAGED);
  }
  crypt_stream_wipe(&s);
  sodium_memzero(out, chunk);
  free(in);
  free(out);
  if (plain) *plain = nout;
  return rc;
}
