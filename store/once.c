/* store/once.c: the SQL of request_once (see store/once.h). */
#include "store/once.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

int store_once_insert(Db *db, int64_t user_id, const char *key, const char *fingerprint, int64_t now_unix, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO request_once(user_id, key, fingerprint, created_unix) "
                          "VALUES (:user, :key, :fp, :now)",
                          e);
  if (st) {
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":key", key);
    db_bind_text(st, ":fp", fingerprint);
    db_bind_int(st, ":now", now_unix);
  }
  return db_run(st, e);
}

int store_once_get(Db *db, int64_t user_id, const char *key, OnceRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_prepare(db,
                          "SELECT fingerprint, status, location, body FROM request_once "
                          "WHERE user_id = :user AND key = :key",
                          e);
  if (!st) return e->code;
  db_bind_int(st, ":user", user_id);
  db_bind_text(st, ":key", key);
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    str_copy(out->fingerprint, sizeof out->fingerprint, db_col_text(st, 0));
    out->status = (int)db_col_int(st, 1);
    str_copy(out->location, sizeof out->location, db_col_text(st, 2));
    const char *body = db_col_text(st, 3);
    if (body && !(out->body = strdup(body))) abort();
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_once_answer(Db *db, int64_t user_id, const char *key, int status, const char *location, const char *body,
                      Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE request_once SET status = :status, location = :location, body = :body "
                          "WHERE user_id = :user AND key = :key",
                          e);
  if (st) {
    db_bind_int(st, ":status", status);
    db_bind_text(st, ":location", location);
    db_bind_text(st, ":body", body);
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":key", key);
  }
  return db_run(st, e);
}

int store_once_purge(Db *db, int64_t before_unix, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM request_once WHERE created_unix < :before", e);
  if (st) db_bind_int(st, ":before", before_unix);
  return db_run(st, e);
}
