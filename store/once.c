/* store/once.c: the SQL of request_once (see store/once.h). */
#include "store/once.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

int store_once_insert(Db *db, int64_t user_id, const char *key, const char *fingerprint, int64_t now_unix, Err *e) {
  return db_insert(db, "request_once", NULL, e, DB_INT(":user_id", user_id), DB_TEXT(":key", key),
                   DB_TEXT(":fingerprint", fingerprint), DB_INT(":created_unix", now_unix));
}

/* Fills the OnceRow *out from the current row of store_once_get's statement
 * (a DbRowRead); body is malloc'd, NULL when the answer has none. */
static void once_from_row(void *out, DbStmt *st) {
  OnceRow *o = out;
  str_copy(o->fingerprint, sizeof o->fingerprint, db_col_text(st, 0));
  o->status = (int)db_col_int(st, 1);
  str_copy(o->location, sizeof o->location, db_col_text(st, 2));
  const char *body = db_col_text(st, 3);
  if (body && !(o->body = strdup(body))) abort();
}

int store_once_get(Db *db, int64_t user_id, const char *key, OnceRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_query(db, "SELECT fingerprint, status, location, body FROM request_once "
                            "WHERE user_id = :user AND key = :key", e,
                        DB_INT(":user", user_id), DB_TEXT(":key", key));
  return db_row(st, once_from_row, out, "记录不存在", e);
}

int store_once_answer(Db *db, int64_t user_id, const char *key, int status, const char *location, const char *body,
                      Err *e) {
  DbStmt *st = db_query(db, "UPDATE request_once SET status = :status, location = :location, body = :body "
                            "WHERE user_id = :user AND key = :key", e,
                        DB_INT(":status", status), DB_TEXT(":location", location), DB_TEXT(":body", body),
                        DB_INT(":user", user_id), DB_TEXT(":key", key));
  return db_run(st, e);
}

int store_once_purge(Db *db, int64_t before_unix, Err *e) {
  DbStmt *st = db_query(db, "DELETE FROM request_once WHERE created_unix < :before", e, DB_INT(":before", before_unix));
  return db_run(st, e);
}
