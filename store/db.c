/* store/db.c: the driver-independent part of store/db.h, written once over
 * the driver's calls: the one-shots (db_run, db_scalar, db_exists,
 * db_insert_id), the nullable binds, the request id of the thread and the
 * error line of a failed statement. */
#include "store/db.h"
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>
#include "core/buf.h"

/* The request this thread is handling (db_set_request_id); 0 when none. */
static _Thread_local uint64_t db_req_id;

void db_set_request_id(uint64_t id) { db_req_id = id; }

uint64_t db_request_id(void) { return db_req_id; }

void db_log_error(const char *msg, const char *sql) {
  Buf b = BUF_INIT;
  if (db_req_id) buf_printf(&b, "jindu: req=%" PRIu64, db_req_id);
  else buf_puts(&b, "jindu: req=-");
  buf_printf(&b, " sql error: %s in: %s\n", msg ? msg : "?", sql ? sql : "?");
  ssize_t w = write(STDERR_FILENO, b.data, b.len); /* one line, one write: lines of threads do not mix */
  (void)w;
  buf_reset(&b);
}

void db_bind_int_or_null(DbStmt *st, const char *name, bool has_value, int64_t value) {
  if (has_value) db_bind_int(st, name, value);
  else db_bind_null(st, name);
}

void db_bind_text_or_null(DbStmt *st, const char *name, const char *value) {
  db_bind_text(st, name, (value && *value) ? value : NULL);
}

/* Steps st once (NULL: the failed prepare's error); *has_row tells whether a
 * row came back and *col0 (may be NULL) its first column. Finalizes st. */
static ErrCode db_once(DbStmt *st, bool *has_row, int64_t *col0, Err *e) {
  *has_row = false;
  if (col0) *col0 = 0;
  if (!st) return e && e->code ? e->code : ERR_INTERNAL;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    *has_row = true;
    if (col0) *col0 = db_col_int(st, 0);
  }
  db_finalize(st);
  return rc == DB_ROW || rc == DB_DONE ? ERR_OK : (ErrCode)rc;
}

ErrCode db_run(DbStmt *st, Err *e) {
  bool row;
  return db_once(st, &row, NULL, e);
}

ErrCode db_scalar(DbStmt *st, int64_t *out, Err *e) {
  bool row;
  return db_once(st, &row, out, e);
}

ErrCode db_exists(DbStmt *st, bool *out, Err *e) { return db_once(st, out, NULL, e); }

ErrCode db_insert_id(DbStmt *st, int64_t *id, Err *e) {
  bool row;
  int64_t v;
  ErrCode rc = db_once(st, &row, &v, e);
  if (rc == ERR_OK) {
    if (!row) { /* an INSERT ... RETURNING yields its row: the statement is not one */
      if (e) err_set(e, ERR_INTERNAL, "数据库错误，操作未完成");
      return ERR_INTERNAL;
    }
    if (id) *id = v;
  }
  return rc;
}
