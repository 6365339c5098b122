/* tests/unit/test_crypt.c: cmocka unit tests for encryption at rest (issue
 * 12 point 4): core/crypt.c's container (round trips at every chunk edge and
 * of nothing; a wrong key; every byte of a container flipped, every
 * truncation, a trailing byte, chunks reordered or dropped: all refused, and
 * with which message), store/crypt_file.c (files through the stream, a cut at
 * a chunk boundary, the key file's mode and size), app/backup.c (a backup
 * restored holds the same rows and a verifying chain; a wrong key or a
 * flipped byte writes nothing and leaves no temporary file) and the
 * attachment store (encrypted under the key, plaintext ones still read,
 * `attachments encrypt` converting them). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "app/attachment.h"
#include "app/audit.h"
#include "app/backup.h"
#include "core/crypt.h"
#include "store/attachment.h"
#include "store/crypt_file.h"
#include "tests/unit/fixture.h"

static unsigned char key_a[CRYPT_KEY_BYTES], key_b[CRYPT_KEY_BYTES];

static int setup_keys(void **state) {
  (void)state;
  if (sodium_init() < 0) return -1;
  for (int i = 0; i < CRYPT_KEY_BYTES; i++) {
    key_a[i] = (unsigned char)i;
    key_b[i] = (unsigned char)(i + 1);
  }
  return 0;
}

/* len bytes of a pattern (never the magic), malloc'd. */
static unsigned char *pattern(size_t len) {
  unsigned char *p = malloc(len ? len : 1);
  assert_non_null(p);
  for (size_t i = 0; i < len; i++) p[i] = (unsigned char)(i * 31 + 7);
  return p;
}

/* Opens c (len) under key and kind; returns the ErrCode, checks the message
 * when want_msg is given. */
static ErrCode open_expect(const unsigned char *key, CryptKind kind, const void *c, size_t len, const char *want_msg) {
  Err e;
  err_clear(&e);
  unsigned char *out = NULL;
  size_t n = 99;
  ErrCode rc = crypt_open(key, kind, c, len, &out, &n, &e);
  if (rc == ERR_OK) {
    free(out);
    return rc;
  }
  assert_null(out);
  assert_int_equal(n, 0);
  if (want_msg) assert_string_equal(e.msg, want_msg);
  return rc;
}

static void test_round_trip_edges(void **state) {
  (void)state;
  const size_t C = CRYPT_CHUNK_DEFAULT;
  const size_t sizes[] = {0, 1, 17, C - 1, C, C + 1, 2 * C, 3 * C + 5};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    unsigned char *p = pattern(sizes[i]);
    Buf b = BUF_INIT;
    crypt_seal(key_a, CRYPT_KIND_ATTACHMENT, p, sizes[i], &b);
    size_t chunks = sizes[i] / C + 1;
    assert_int_equal(b.len, CRYPT_HEADER_BYTES + sizes[i] + chunks * CRYPT_ABYTES);
    assert_true(crypt_is_sealed(b.data, b.len));
    if (sizes[i] >= 16) assert_null(memmem(b.data, b.len, p, 16)); /* no plaintext run */
    Err e;
    err_clear(&e);
    unsigned char *out = NULL;
    size_t n = 0;
    assert_int_equal(crypt_open(key_a, CRYPT_KIND_ATTACHMENT, b.data, b.len, &out, &n, &e), ERR_OK);
    assert_int_equal(n, sizes[i]);
    assert_memory_equal(out, p, sizes[i] ? sizes[i] : 0);
    free(out);
    /* the same bytes sealed twice differ (a fresh header each time) */
    Buf b2 = BUF_INIT;
    crypt_seal(key_a, CRYPT_KIND_ATTACHMENT, p, sizes[i], &b2);
    assert_true(b2.len == b.len && memcmp(b2.data, b.data, b.len) != 0);
    buf_reset(&b2);
    buf_reset(&b);
    free(p);
  }
}

static void test_wrong_key_kind_magic(void **state) {
  (void)state;
  unsigned char *p = pattern(1000);
  Buf b = BUF_INIT;
  crypt_seal(key_a, CRYPT_KIND_BACKUP, p, 1000, &b);
  assert_int_equal(open_expect(key_b, CRYPT_KIND_BACKUP, b.data, b.len, CRYPT_MSG_WRONG_KEY), ERR_INVALID);
  assert_int_equal(open_expect(key_a, CRYPT_KIND_ATTACHMENT, b.data, b.len, CRYPT_MSG_KIND), ERR_INVALID);
  assert_int_equal(open_expect(key_a, CRYPT_KIND_BACKUP, p, 1000, CRYPT_MSG_NOT_SEALED), ERR_INVALID);
  assert_false(crypt_is_sealed(p, 1000));
  assert_int_equal(open_expect(key_a, CRYPT_KIND_BACKUP, "", 0, CRYPT_MSG_NOT_SEALED), ERR_INVALID);
  b.data[8] = 2; /* a version to come */
  assert_int_equal(open_expect(key_a, CRYPT_KIND_BACKUP, b.data, b.len, CRYPT_MSG_VERSION), ERR_INVALID);
  buf_reset(&b);
  free(p);
}

/* Every byte of a container of two chunks and a bit, flipped one at a time,
 * is refused: prefix, secretstream header, each chunk's ciphertext and tag. */
static void test_every_flip_refused(void **state) {
  (void)state;
  /* a small chunk size, so that a container of three chunks is short */
  enum { CH = 64, LEN = 2 * CH + 10 };
  unsigned char *p = pattern(LEN);
  unsigned char c[CRYPT_HEADER_BYTES + LEN + 3 * CRYPT_ABYTES];
  CryptStream s;
  crypt_push_init(&s, key_a, CRYPT_KIND_BACKUP, CH, c);
  size_t at = CRYPT_HEADER_BYTES;
  for (int i = 0; i < 3; i++) {
    size_t n = i < 2 ? CH : LEN - 2 * CH;
    crypt_push(&s, p + i * CH, n, i == 2, c + at);
    at += n + CRYPT_ABYTES;
  }
  crypt_stream_wipe(&s);
  assert_int_equal(at, sizeof c);
  assert_int_equal(open_expect(key_a, CRYPT_KIND_BACKUP, c, sizeof c, NULL), ERR_OK);
  for (size_t i = 0; i < sizeof c; i++) {
    for (int bit = 0; bit < 8; bit += 7) {
      c[i] ^= (unsigned char)(1u << bit);
      if (open_expect(key_a, CRYPT_KIND_BACKUP, c, sizeof c, NULL) == ERR_OK)
        fail_msg("a container with bit %d of byte %zu flipped was accepted", bit, i);
      c[i] ^= (unsigned char)(1u << bit);
    }
  }
  /* the damage's message: the secretstream header, a chunk's body, the last tag */
  c[CRYPT_PREFIX_BYTES + 3] ^= 1;
  open_expect(key_a, CRYPT_KIND_BACKUP, c, sizeof c, CRYPT_MSG_DAMAGED);
  c[CRYPT_PREFIX_BYTES + 3] ^= 1;
  c[CRYPT_HEADER_BYTES + CH + CRYPT_ABYTES + 5] ^= 1;
  open_expect(key_a, CRYPT_KIND_BACKUP, c, sizeof c, CRYPT_MSG_DAMAGED);
  c[CRYPT_HEADER_BYTES + CH + CRYPT_ABYTES + 5] ^= 1;
  c[sizeof c - 1] ^= 1;
  open_expect(key_a, CRYPT_KIND_BACKUP, c, sizeof c, CRYPT_MSG_DAMAGED);
  c[sizeof c - 1] ^= 1;
  /* every truncation, and one byte more */
  for (size_t n = 0; n < sizeof c; n++)
    if (open_expect(key_a, CRYPT_KIND_BACKUP, c, n, NULL) == ERR_OK) fail_msg("a container cut to %zu bytes was accepted", n);
  /* cut exactly after a whole chunk: its end is missing */
  open_expect(key_a, CRYPT_KIND_BACKUP, c, CRYPT_HEADER_BYTES + CH + CRYPT_ABYTES, CRYPT_MSG_TRUNCATED);
  unsigned char longer[sizeof c + 1];
  memcpy(longer, c, sizeof c);
  longer[sizeof c] = 0;
  open_expect(key_a, CRYPT_KIND_BACKUP, longer, sizeof longer, CRYPT_MSG_DAMAGED);
  /* the first two chunks swapped, or the second dropped */
  unsigned char sw[sizeof c];
  size_t h = CRYPT_HEADER_BYTES, w = CH + CRYPT_ABYTES;
  memcpy(sw, c, sizeof c);
  memcpy(sw + h, c + h + w, w);
  memcpy(sw + h + w, c + h, w);
  open_expect(key_a, CRYPT_KIND_BACKUP, sw, sizeof sw, CRYPT_MSG_DAMAGED);
  memcpy(sw, c, h + w);
  memcpy(sw + h + w, c + h + 2 * w, sizeof c - h - 2 * w);
  open_expect(key_a, CRYPT_KIND_BACKUP, sw, sizeof c - w, CRYPT_MSG_DAMAGED);
  free(p);
}

/* A temporary directory for the file tests, its path into dir (64). */
static void tmpdir(char dir[64], const char *name) {
  snprintf(dir, 64, "/tmp/jindu-test-%s-XXXXXX", name);
  assert_non_null(mkdtemp(dir));
}

/* Removes dir and the files in it (one level). */
static void rmtree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *de;
  char p[512];
  while ((de = readdir(d)))
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
      snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
      unlink(p);
    }
  closedir(d);
  rmdir(dir);
}

/* The number of entries of dir (without . and ..). */
static int dir_entries(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  struct dirent *de;
  while ((de = readdir(d)))
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
  closedir(d);
  return n;
}

/* Writes len bytes of p to path (0600). */
static void put_file(const char *path, const void *p, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, p, len), (ssize_t)len);
  close(fd);
}

static void test_file_stream(void **state) {
  (void)state;
  char dir[64], in[128], enc[128], out[128];
  tmpdir(dir, "cryptfile");
  snprintf(in, sizeof in, "%s/in", dir);
  snprintf(enc, sizeof enc, "%s/enc", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  const size_t C = CRYPT_CHUNK_DEFAULT;
  const size_t sizes[] = {0, 5, C, 2 * C, 2 * C + 1};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    unsigned char *p = pattern(sizes[i]);
    put_file(in, p, sizes[i]);
    int fi = open(in, O_RDONLY), fe = open(enc, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    Err e;
    err_clear(&e);
    uint64_t plain = 0, sealed = 0;
    assert_int_equal(crypt_file_encrypt(key_a, CRYPT_KIND_BACKUP, fi, fe, &plain, &sealed, &e), ERR_OK);
    close(fi);
    close(fe);
    assert_int_equal(plain, sizes[i]);
    struct stat st;
    assert_int_equal(stat(enc, &st), 0);
    assert_int_equal((uint64_t)st.st_size, sealed);
    /* a stream knows its last whole chunk: no empty chunk after it */
    size_t chunks = sizes[i] ? (sizes[i] + C - 1) / C : 1;
    assert_int_equal(sealed, CRYPT_HEADER_BYTES + sizes[i] + chunks * CRYPT_ABYTES);
    /* the file and the memory container agree on what they accept */
    fe = open(enc, O_RDONLY);
    int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_int_equal(crypt_file_decrypt(key_a, CRYPT_KIND_BACKUP, fe, fo, &plain, &e), ERR_OK);
    close(fe);
    close(fo);
    assert_int_equal(plain, sizes[i]);
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_size, (off_t)sizes[i]);
    /* cut at the end of the first whole chunk: refused, its end missing */
    if (sizes[i] > C) {
      assert_int_equal(truncate(enc, CRYPT_HEADER_BYTES + C + CRYPT_ABYTES), 0);
      fe = open(enc, O_RDONLY);
      fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      err_clear(&e);
      assert_int_equal(crypt_file_decrypt(key_a, CRYPT_KIND_BACKUP, fe, fo, &plain, &e), ERR_INVALID);
      assert_string_equal(e.msg, CRYPT_MSG_TRUNCATED);
      close(fe);
      close(fo);
    }
    free(p);
  }
  rmtree(dir);
}

static void test_key_file(void **state) {
  (void)state;
  char dir[64], k[128], k2[128];
  tmpdir(dir, "keyfile");
  snprintf(k, sizeof k, "%s/k", dir);
  snprintf(k2, sizeof k2, "%s/k2", dir);
  Err e;
  err_clear(&e);
  assert_int_equal(crypt_key_create(k, &e), ERR_OK);
  struct stat st;
  assert_int_equal(stat(k, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(st.st_size, CRYPT_KEY_BYTES);
  err_clear(&e);
  assert_int_equal(crypt_key_create(k, &e), ERR_CONFLICT); /* never over an old key */
  assert_string_equal(e.msg, CRYPT_KEY_MSG_EXISTS);
  unsigned char key[CRYPT_KEY_BYTES], again[CRYPT_KEY_BYTES];
  err_clear(&e);
  assert_int_equal(crypt_key_load(k, key, &e), ERR_OK);
  assert_int_equal(crypt_key_load(k, again, &e), ERR_OK);
  assert_memory_equal(key, again, sizeof key);
  static const mode_t loose[] = {0640, 0604, 0660, 0620};
  for (size_t i = 0; i < sizeof loose / sizeof loose[0]; i++) {
    assert_int_equal(chmod(k, loose[i]), 0);
    err_clear(&e);
    assert_int_equal(crypt_key_load(k, key, &e), ERR_INVALID);
    assert_string_equal(e.msg, CRYPT_KEY_MSG_MODE);
  }
  assert_int_equal(chmod(k, 0400), 0); /* read-only for its owner is fine */
  err_clear(&e);
  assert_int_equal(crypt_key_load(k, key, &e), ERR_OK);
  put_file(k2, "0123456789abcdef0123456789abcdef\n", 33); /* 33 bytes */
  err_clear(&e);
  assert_int_equal(crypt_key_load(k2, key, &e), ERR_INVALID);
  assert_string_equal(e.msg, CRYPT_KEY_MSG_SIZE);
  put_file(k2, "", 0);
  err_clear(&e);
  assert_int_equal(crypt_key_load(k2, key, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(crypt_key_load(dir, key, &e), ERR_INVALID); /* a directory */
  snprintf(k2, sizeof k2, "%s/missing", dir);
  err_clear(&e);
  assert_int_equal(crypt_key_load(k2, key, &e), ERR_INVALID);
  assert_string_equal(e.msg, CRYPT_KEY_MSG_OPEN);
  rmtree(dir);
}

/* A backup restored: the same rows of every table (counted and hashed by
 * the database itself through a dump of each table's rows), a verifying
 * audit chain; refusals write nothing and leave no temporary file. */
static void test_backup_restore(void **state) {
  Fix *f = *state;
  OrgUnit county;
  fix_store_org(f->db, "C1", "测试县", "county", 0, &county);
  Err e;
  err_clear(&e);
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  assert_int_equal(audit_write(&f->c, "test", "org", county.id, county.path, "{\"n\":1}", &e), ERR_OK);
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  char dir[64], bk[128], db2[128], bad[128];
  tmpdir(dir, "restore");
  snprintf(bk, sizeof bk, "%s/b.enc", dir);
  snprintf(db2, sizeof db2, "%s/r.db", dir);
  snprintf(bad, sizeof bad, "%s/bad.enc", dir);
  BackupInfo info;
  assert_int_equal(app_backup_write(f->db, key_a, bk, &info, &e), ERR_OK);
  assert_true(info.plain_bytes > 0 && info.sealed_bytes > info.plain_bytes);
  assert_int_equal(dir_entries(dir), 1); /* the backup alone: its snapshot removed */
  struct stat st;
  assert_int_equal(stat(bk, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  err_clear(&e);
  assert_int_equal(app_backup_write(f->db, key_a, bk, &info, &e), ERR_CONFLICT); /* never over a file */
  /* a wrong key, a flipped byte, a cut file: nothing written */
  err_clear(&e);
  assert_int_equal(app_backup_restore(key_b, bk, db2, false, &info, &e), ERR_INVALID);
  assert_string_equal(e.msg, CRYPT_MSG_WRONG_KEY);
  assert_int_equal(dir_entries(dir), 1);
  int fd = open(bk, O_RDONLY);
  unsigned char *all = malloc((size_t)st.st_size);
  assert_int_equal(read(fd, all, (size_t)st.st_size), st.st_size);
  close(fd);
  all[st.st_size / 2] ^= 0x20;
  put_file(bad, all, (size_t)st.st_size);
  all[st.st_size / 2] ^= 0x20;
  err_clear(&e);
  assert_int_equal(app_backup_restore(key_a, bad, db2, false, &info, &e), ERR_INVALID);
  assert_string_equal(e.msg, CRYPT_MSG_DAMAGED);
  put_file(bad, all, (size_t)st.st_size - 1);
  err_clear(&e);
  assert_int_equal(app_backup_restore(key_a, bad, db2, false, &info, &e), ERR_INVALID);
  unlink(bad);
  free(all);
  assert_int_equal(dir_entries(dir), 1);
  assert_int_equal(access(db2, F_OK), -1);
  /* restored: the same rows, the chain intact */
  err_clear(&e);
  assert_int_equal(app_backup_restore(key_a, bk, db2, false, &info, &e), ERR_OK);
  assert_true(info.audit_rows >= 1);
  assert_int_equal(dir_entries(dir), 2);
  Db *r;
  assert_int_equal(db_open(&r, db2, NULL, &e), ERR_OK);
  int64_t rows = 0, badid = 0;
  assert_int_equal(audit_verify(r, &rows, &badid, &e), ERR_OK);
  assert_int_equal(rows, fix_int(f->db, "SELECT count(*) FROM audit_log"));
  assert_int_equal(fix_int(r, "SELECT count(*) FROM org_unit"), fix_int(f->db, "SELECT count(*) FROM org_unit"));
  assert_int_equal(fix_int(r, "SELECT count(*) FROM org_unit WHERE code = 'C1'"), 1);
  assert_int_equal(db_schema_version(r), db_schema_version(f->db));
  db_close(r);
  /* an existing database only with --force */
  err_clear(&e);
  assert_int_equal(app_backup_restore(key_a, bk, db2, false, &info, &e), ERR_CONFLICT);
  assert_string_equal(e.msg, BACKUP_MSG_DB_EXISTS);
  err_clear(&e);
  assert_int_equal(app_backup_restore(key_a, bk, db2, true, &info, &e), ERR_OK);
  assert_int_equal(dir_entries(dir), 2);
  rmtree(dir);
}

/* The attachment store: plaintext without a key (and still read with one),
 * encrypted under it (no plaintext in the blob), converted by encrypt_all. */
static void test_attachment_store(void **state) {
  Fix *f = *state;
  Err e;
  err_clear(&e);
  unsigned char plain1[300], plain2[300];
  for (size_t i = 0; i < sizeof plain1; i++) {
    plain1[i] = (unsigned char)(i ^ 0x5a);
    plain2[i] = (unsigned char)(i ^ 0xa5);
  }
  memcpy(plain1, "\x89PNG\r\n\x1a\n", 8);
  memcpy(plain2, "%PDF-1.4", 8);
  AttachmentRow m;
  memset(&m, 0, sizeof m);
  snprintf(m.entity, sizeof m.entity, "letter");
  m.entity_id = 1;
  snprintf(m.org_path, sizeof m.org_path, "/1/");
  snprintf(m.filename, sizeof m.filename, "a.png");
  snprintf(m.content_type, sizeof m.content_type, "image/png");
  snprintf(m.created_at, sizeof m.created_at, FIX_CREATED);
  snprintf(m.hash, sizeof m.hash, "h1");
  assert_false(store_attachment_key_on());
  assert_int_equal(store_attachment_put(f->db, &m, plain1, sizeof plain1, 0, NULL, &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM attachment_blob WHERE substr(bytes, 1, 8) = x'89504e470d0a1a0a'"), 1);
  store_attachment_key_set(key_a);
  snprintf(m.hash, sizeof m.hash, "h2");
  assert_int_equal(store_attachment_put(f->db, &m, plain2, sizeof plain2, 0, NULL, &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM attachment_blob WHERE hash = 'h2' AND substr(bytes, 1, 8) = x'4a494e4455454e43'"
                                 " AND size = 300 AND instr(bytes, x'255044462d312e34') = 0"), 1);
  unsigned char *got;
  size_t n;
  const char *hashes[] = {"h1", "h2"};
  const unsigned char *want[] = {plain1, plain2};
  for (int i = 0; i < 2; i++) {
    assert_int_equal(store_attachment_bytes(f->db, hashes[i], &got, &n, &e), ERR_OK);
    assert_int_equal(n, 300);
    assert_memory_equal(got, want[i], 300);
    free(got);
  }
  int64_t conv = 0;
  assert_int_equal(app_attachment_encrypt_all(&f->c, &conv, &e), ERR_OK);
  assert_int_equal(conv, 1);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM attachment_blob WHERE substr(bytes, 1, 8) = x'4a494e4455454e43'"), 2);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'encrypt' AND entity = 'attachment'"), 1);
  assert_int_equal(app_attachment_encrypt_all(&f->c, &conv, &e), ERR_OK);
  assert_int_equal(conv, 0);
  assert_int_equal(store_attachment_bytes(f->db, "h1", &got, &n, &e), ERR_OK);
  assert_memory_equal(got, plain1, 300);
  free(got);
  /* under another key the bytes do not open: an error, never other bytes */
  store_attachment_key_set(key_b);
  err_clear(&e);
  assert_int_equal(store_attachment_bytes(f->db, "h1", &got, &n, &e), ERR_INTERNAL);
  assert_string_equal(e.msg, ATTACHMENT_MSG_DECRYPT);
  assert_null(got);
  store_attachment_key_set(key_a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_round_trip_edges),
    cmocka_unit_test(test_wrong_key_kind_magic),
    cmocka_unit_test(test_every_flip_refused),
    cmocka_unit_test(test_file_stream),
    cmocka_unit_test(test_key_file),
    cmocka_unit_test_setup_teardown(test_backup_restore, fix_state_open, fix_state_close),
    cmocka_unit_test_setup_teardown(test_attachment_store, fix_state_open, fix_state_close),
  };
  return cmocka_run_group_tests(tests, setup_keys, NULL);
}
