/* store/attachment.c: the SQL of attachments and where their bytes are kept
 * (see store/attachment.h). */
#include "store/attachment.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

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
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->code;
  db_bind_int(st, ":id", entity_id);
  int rc = db_step(st, e);
  if (rc == DB_ROW) str_copy(path, n, db_col_text(st, 0));
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_attachment_put(Db *db, const AttachmentRow *m, const void *bytes, size_t len, int64_t created_by,
                         int64_t *id, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO attachment_blob (hash, size, bytes) VALUES (:hash, :size, :bytes)"
                          " ON CONFLICT (hash) DO NOTHING",
                          e);
  if (st) {
    db_bind_text(st, ":hash", m->hash);
    db_bind_int(st, ":size", (int64_t)len);
    db_bind_blob(st, ":bytes", bytes, len);
  }
  ErrCode rc = db_run(st, e);
  if (rc != ERR_OK) return rc;
  st = db_prepare(db,
                  "INSERT INTO attachment (entity, entity_id, org_path, filename, content_type, size, hash,"
                  " created_by, created_at) VALUES (:entity, :entity_id, :org_path, :filename, :content_type,"
                  " :size, :hash, :created_by, :created_at) RETURNING id",
                  e);
  if (!st) return e->code;
  db_bind_text(st, ":entity", m->entity);
  db_bind_int(st, ":entity_id", m->entity_id);
  db_bind_text(st, ":org_path", m->org_path);
  db_bind_text(st, ":filename", m->filename);
  db_bind_text(st, ":content_type", m->content_type);
  db_bind_int(st, ":size", (int64_t)len);
  db_bind_text(st, ":hash", m->hash);
  db_bind_int_or_null(st, ":created_by", created_by > 0, created_by);
  db_bind_text(st, ":created_at", m->created_at);
  return db_insert_id(st, id, e);
}

#define STORE_ATTACHMENT_COLS                                                                                      \
  "a.id, a.entity, a.entity_id, a.org_path, a.filename, a.content_type, a.size, a.hash, u.username,"              \
  " a.created_at, a.voided_at, a.void_reason FROM attachment a LEFT JOIN app_user u ON u.id = a.created_by"

/* Fills *a from a row of STORE_ATTACHMENT_COLS. */
static void store_attachment_row(DbStmt *st, AttachmentRow *a) {
  memset(a, 0, sizeof *a);
  a->id = db_col_int(st, 0);
  str_copy(a->entity, sizeof a->entity, db_col_text(st, 1));
  a->entity_id = db_col_int(st, 2);
  str_copy(a->org_path, sizeof a->org_path, db_col_text(st, 3));
  str_copy(a->filename, sizeof a->filename, db_col_text(st, 4));
  str_copy(a->content_type, sizeof a->content_type, db_col_text(st, 5));
  a->size = db_col_int(st, 6);
  str_copy(a->hash, sizeof a->hash, db_col_text(st, 7));
  str_copy(a->created_by, sizeof a->created_by, db_col_text(st, 8));
  str_copy(a->created_at, sizeof a->created_at, db_col_text(st, 9));
  a->voided = !db_col_is_null(st, 10);
  str_copy(a->voided_at, sizeof a->voided_at, db_col_text(st, 10));
  str_copy(a->void_reason, sizeof a->void_reason, db_col_text(st, 11));
}

int store_attachment_get(Db *db, int64_t id, AttachmentRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_prepare(db, "SELECT " STORE_ATTACHMENT_COLS " WHERE a.id = :id", e);
  if (!st) return e->code;
  db_bind_int(st, ":id", id);
  int rc = db_step(st, e);
  if (rc == DB_ROW) store_attachment_row(st, out);
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "附件不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_attachment_bytes(Db *db, const char *hash, unsigned char **bytes, size_t *len, Err *e) {
  *bytes = NULL;
  *len = 0;
  DbStmt *st = db_prepare(db, "SELECT bytes FROM attachment_blob WHERE hash = :hash", e);
  if (!st) return e->code;
  db_bind_text(st, ":hash", hash);
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    size_t n;
    const void *p = db_col_blob(st, 0, &n);
    *bytes = malloc(n ? n : 1);
    if (!*bytes) abort();
    if (n) memcpy(*bytes, p, n);
    *len = n;
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "附件不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_attachment_list(Db *db, const char *entity, int64_t entity_id, AttachmentRow **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  DbStmt *st = db_prepare(db,
                          "SELECT " STORE_ATTACHMENT_COLS " WHERE a.entity = :entity AND a.entity_id = :entity_id"
                          " AND a.voided_at IS NULL ORDER BY a.id",
                          e);
  if (!st) return e->code;
  db_bind_text(st, ":entity", entity);
  db_bind_int(st, ":entity_id", entity_id);
  int rc, cap = 0;
  AttachmentRow *v = NULL;
  while ((rc = db_step(st, e)) == DB_ROW) {
    v = array_grow(v, *n, &cap, sizeof *v);
    store_attachment_row(st, &v[(*n)++]);
  }
  db_finalize(st);
  if (rc != DB_DONE) {
    free(v);
    *n = 0;
    return rc;
  }
  *out = v;
  return ERR_OK;
}

int store_attachment_void(Db *db, int64_t id, int64_t by, const char *now, const char *reason, Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE attachment SET voided_at = :now, voided_by = :by, void_reason = :reason"
                          " WHERE id = :id AND voided_at IS NULL RETURNING id",
                          e);
  if (!st) return e->code;
  db_bind_text(st, ":now", now);
  db_bind_int_or_null(st, ":by", by > 0, by);
  db_bind_text(st, ":reason", reason);
  db_bind_int(st, ":id", id);
  bool done;
  if (db_exists(st, &done, e) != ERR_OK) return e->code;
  return done ? ERR_OK : err_set(e, ERR_CONFLICT, "附件已作废");
}
