/* store/draft.c: the SQL of form_draft (see store/draft.h). */
#include "store/draft.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

int store_draft_put(Db *db, const char *id_hash, int64_t user_id, const char *path, const char *fields,
                    int64_t now_unix, Err *e) {
  DbStmt *del = db_prepare(db, "DELETE FROM form_draft WHERE user_id = :user", e);
  if (!del) return e->code;
  db_bind_int(del, ":user", user_id);
  if (db_run(del, e) != ERR_OK) return e->code;
  DbStmt *st = db_prepare(db,
                          "INSERT INTO form_draft(id_hash, user_id, path, fields, created_unix) "
                          "VALUES (:id, :user, :path, :fields, :now)",
                          e);
  if (st) {
    db_bind_text(st, ":id", id_hash);
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":path", path);
    db_bind_text(st, ":fields", fields);
    db_bind_int(st, ":now", now_unix);
  }
  return db_run(st, e);
}

int store_draft_get(Db *db, const char *id_hash, DraftRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st =
      db_prepare(db, "SELECT user_id, path, fields, created_unix FROM form_draft WHERE id_hash = :id", e);
  if (!st) return e->code;
  db_bind_text(st, ":id", id_hash);
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    out->user_id = db_col_int(st, 0);
    str_copy(out->path, sizeof out->path, db_col_text(st, 1));
    const char *f = db_col_text(st, 2);
    if (!(out->fields = strdup(f ? f : ""))) abort();
    out->created_unix = db_col_int(st, 3);
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_draft_delete(Db *db, const char *id_hash, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM form_draft WHERE id_hash = :id", e);
  if (st) db_bind_text(st, ":id", id_hash);
  return db_run(st, e);
}

int store_draft_purge(Db *db, int64_t before_unix, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM form_draft WHERE created_unix < :before", e);
  if (st) db_bind_int(st, ":before", before_unix);
  return db_run(st, e);
}
