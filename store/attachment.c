/* store/attachment.c: the SQL of attachments and where their bytes are kept
 * (see store/attachment.h). */
#include "store/attachment.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/crypt.h"

/* The at-rest key (sodium_malloc'd, read-only after set), or NULL: blobs
 * are stored plaintext. Set once before the server's threads start. */
static unsigned char *store_attachment_key;

void store_attachment_key_set(const unsigned char key[32]) {
  if (!store_attachment_key) {
    store_attachment_key = sodium_malloc(CRYPT_KEY_BYTES);
    if (!store_attachment_key) abort();
  } else {
    sodium_mprotect_readwrite(store_attachment_key);
  }
  memcpy(store_attachment_key, key, CRYPT_KEY_BYTES);
  sodium_mprotect_readonly(store_attachment_key);
}

bool store_attachment_key_on(void) { return store_attachment_key != NULL; }

/* The record kinds that may carry attachments: the SQL giving a record's
 * unit path from its id (:id). A new kind (activities, letters, inspections
 * of the prevention work) is a row here and one in app/attachment.c. */
static const struct {
  const char *entity;
  const char *owner_sql;
} store_attachment_kinds[] = {
    {"person_document",
     "SELECT p.org_path FROM person_document d JOIN person p ON p.id = d.person_id WHERE d.id = :id"},
    {"unit_work", "SELECT o.path FROM unit_work w JOIN org_unit o ON o.id = w.org_id WHERE w.id = :id"},
    {"eradication", "SELECT o.path FROM eradication x JOIN org_unit o ON o.id = x.org_id WHERE x.id = :id"},
    {"letter", "SELECT o.path FROM letter l JOIN org_unit o ON o.id = l.org_id WHERE l.id = :id"},
    {"inspection", "SELECT o.path FROM inspection x JOIN place p ON p.id = x.place_id JOIN org_unit o ON o.id = p.org_id"
                   " WHERE x.id = :id"},
    {"activity", "SELECT o.path FROM activity a JOIN org_unit o ON o.id = a.org_id"
                 " WHERE a.activity_id = :id AND a.current = 1"},
    {"assess_mark", "SELECT o.path FROM assess_mark m JOIN org_unit o ON o.id = m.org_id WHERE m.id = :id"},
};
#define STORE_ATTACHMENT_KINDS (sizeof store_attachment_kinds / sizeof store_attachment_kinds[0])

/* The owner SQL of entity, or NULL. */
static const char *store_attachment_owner_sql(const char *entity) {
  for (size_t i = 0; i < STORE_ATTACHMENT_KINDS; i++)
    if (entity && strcmp(store_attachment_kinds[i].entity, entity) == 0) return store_attachment_kinds[i].owner_sql;
  return NULL;
}

bool store_attachment_kind_known(const char *entity) { return store_attachment_owner_sql(entity) != NULL; }

int store_attachment_owner_path(Db *db, const char *entity, int64_t entity_id, char *path, size_t n, Err *e) {
  path[0] = 0;
  const char *sql = store_attachment_owner_sql(entity);
  if (!sql) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  DbStmt *st = db_query(db, sql, e, DB_INT(":id", entity_id));
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) str_copy(path, n, db_col_text(st, 0));
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_attachment_put(Db *db, const AttachmentRow *m, const void *bytes, size_t len, int64_t created_by,
                         int64_t *id, Err *e) {
  Buf sealed = BUF_INIT;
  const void *keep = bytes;
  size_t keep_len = len;
  if (store_attachment_key) {
    crypt_seal(store_attachment_key, CRYPT_KIND_ATTACHMENT, bytes, len, &sealed);
    keep = sealed.data;
    keep_len = sealed.len;
  }
  DbStmt *st = db_query(db, "INSERT INTO attachment_blob (hash, size, bytes) VALUES (:hash, :size, :bytes)"
                            " ON CONFLICT (hash) DO NOTHING", e,
                        DB_TEXT(":hash", m->hash), DB_INT(":size", (int64_t)len), DB_BLOB(":bytes", keep, keep_len));
  int rc = db_run(st, e);
  buf_reset(&sealed);
  if (rc != ERR_OK) return e->code;
  return db_insert(db, "attachment", id, e, DB_TEXT(":entity", m->entity), DB_INT(":entity_id", m->entity_id),
                   DB_TEXT(":org_path", m->org_path), DB_TEXT(":filename", m->filename),
                   DB_TEXT(":content_type", m->content_type), DB_INT(":size", (int64_t)len), DB_TEXT(":hash", m->hash),
                   DB_ID_OR_NULL(":created_by", created_by), DB_TEXT(":created_at", m->created_at));
}

#define STORE_ATTACHMENT_COLS                                                                                      \
  "a.id, a.entity, a.entity_id, a.org_path, a.filename, a.content_type, a.size, a.hash, u.username,"              \
  " a.created_at, a.voided_at, a.void_reason FROM attachment a LEFT JOIN app_user u ON u.id = a.created_by"

/* The columns of STORE_ATTACHMENT_COLS, in order. */
static const DbCol store_attachment_cols[] = {
  DB_COL(AttachmentRow, id),
  DB_COL(AttachmentRow, entity),
  DB_COL(AttachmentRow, entity_id),
  DB_COL(AttachmentRow, org_path),
  DB_COL(AttachmentRow, filename),
  DB_COL(AttachmentRow, content_type),
  DB_COL(AttachmentRow, size),
  DB_COL(AttachmentRow, hash),
  DB_COL(AttachmentRow, created_by),
  DB_COL(AttachmentRow, created_at),
  DB_COL(AttachmentRow, voided_at),
  DB_COL(AttachmentRow, void_reason),
  DB_COL_END,
};

/* Fills the AttachmentRow *out from a row of STORE_ATTACHMENT_COLS (a
 * DbRowRead). */
static void store_attachment_row(void *out, DbStmt *st) {
  AttachmentRow *a = out;
  db_cols_read(a, st, 0, store_attachment_cols);
  a->voided = !db_col_is_null(st, 10);
}

int store_attachment_get(Db *db, int64_t id, AttachmentRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_query(db, "SELECT " STORE_ATTACHMENT_COLS " WHERE a.id = :id", e, DB_INT(":id", id));
  return db_row(st, store_attachment_row, out, "附件不存在", e);
}

int store_attachment_bytes(Db *db, const char *hash, unsigned char **bytes, size_t *len, Err *e) {
  *bytes = NULL;
  *len = 0;
  DbStmt *st = db_query(db, "SELECT bytes FROM attachment_blob WHERE hash = :hash", e, DB_TEXT(":hash", hash));
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    size_t n;
    const void *p = db_col_blob(st, 0, &n);
    if (!crypt_is_sealed(p, n)) { /* stored before the key, or without it */
      *bytes = malloc(n ? n : 1);
      if (!*bytes) abort();
      if (n) memcpy(*bytes, p, n);
      *len = n;
    } else if (!store_attachment_key) {
      rc = err_set(e, ERR_INTERNAL, ATTACHMENT_MSG_NO_KEY);
    } else {
      Err ce;
      err_clear(&ce);
      if (crypt_open(store_attachment_key, CRYPT_KIND_ATTACHMENT, p, n, bytes, len, &ce) != ERR_OK)
        rc = err_set(e, ERR_INTERNAL, ATTACHMENT_MSG_DECRYPT);
    }
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "附件不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_attachment_encrypt_all(Db *db, int64_t *n, Err *e) {
  *n = 0;
  assert(store_attachment_key);
  /* the hashes of the plaintext blobs first (no update under an open read) */
  char (*hashes)[65] = NULL;
  int nh = 0, cap = 0;
  DbStmt *st = db_prepare(db, "SELECT hash, bytes FROM attachment_blob ORDER BY hash", e);
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    size_t len;
    const void *p = db_col_blob(st, 1, &len);
    if (crypt_is_sealed(p, len)) continue;
    hashes = array_grow(hashes, nh, &cap, sizeof *hashes);
    str_copy(hashes[nh++], sizeof *hashes, db_col_text(st, 0));
  }
  db_finalize(st);
  if (rc != DB_DONE) {
    free(hashes);
    return rc;
  }
  rc = ERR_OK;
  for (int i = 0; i < nh && rc == ERR_OK; i++) {
    unsigned char *plain = NULL;
    size_t len = 0;
    if ((rc = store_attachment_bytes(db, hashes[i], &plain, &len, e)) != ERR_OK) break;
    Buf sealed = BUF_INIT;
    crypt_seal(store_attachment_key, CRYPT_KIND_ATTACHMENT, plain, len, &sealed);
    sodium_memzero(plain, len);
    free(plain);
    rc = db_run(db_query(db, "UPDATE attachment_blob SET bytes = :bytes WHERE hash = :hash", e,
                         DB_BLOB(":bytes", sealed.data, sealed.len), DB_TEXT(":hash", hashes[i])), e);
    buf_reset(&sealed);
    if (rc == ERR_OK) (*n)++;
  }
  free(hashes);
  return rc;
}

int store_attachment_list(Db *db, const char *entity, int64_t entity_id, AttachmentRow **out, int *n, Err *e) {
  DbStmt *st = db_query(db, "SELECT " STORE_ATTACHMENT_COLS " WHERE a.entity = :entity AND a.entity_id = :entity_id"
                            " AND a.voided_at IS NULL ORDER BY a.id", e,
                        DB_TEXT(":entity", entity), DB_INT(":entity_id", entity_id));
  return db_rows(st, sizeof **out, store_attachment_row, NULL, out, n, e);
}

int store_attachment_void(Db *db, int64_t id, int64_t by, const char *now, const char *reason, Err *e) {
  DbStmt *st = db_query(db, "UPDATE attachment SET voided_at = :now, voided_by = :by, void_reason = :reason"
                            " WHERE id = :id AND voided_at IS NULL RETURNING id", e,
                        DB_TEXT(":now", now), DB_ID_OR_NULL(":by", by), DB_TEXT(":reason", reason), DB_INT(":id", id));
  bool done;
  if (db_exists(st, &done, e) != ERR_OK) return e->code;
  return done ? ERR_OK : err_set(e, ERR_CONFLICT, "附件已作废");
}
