/* store/db.c: the driver-independent part of store/db.h, written once over
 * the driver's calls: the one-shots (db_run, db_scalar, db_exists,
 * db_insert_id, db_count), rows into records (db_row, db_rows), the nullable binds, the request id of the thread and the
 * error line of a failed statement. */
#include "store/db.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The error of the failed db_prepare that gave a NULL statement. */
static ErrCode db_prepare_error(const Err *e) { return e && e->code ? e->code : ERR_INTERNAL; }

/* Steps st once (NULL: the failed prepare's error); *has_row tells whether a
 * row came back and *col0 (may be NULL) its first column. Finalizes st. */
static ErrCode db_once(DbStmt *st, bool *has_row, int64_t *col0, Err *e) {
  *has_row = false;
  if (col0) *col0 = 0;
  if (!st) return db_prepare_error(e);
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

ErrCode db_count(DbStmt *st, int64_t *count, Err *e) {
  if (count) *count = 0;
  if (!st) return db_prepare_error(e);
  int64_t rows = 0;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) rows++;
  db_finalize(st);
  if (rc != DB_DONE) return (ErrCode)rc;
  if (count) *count = rows;
  return ERR_OK;
}

ErrCode db_row(DbStmt *st, DbRowRead read, void *out, const char *not_found, Err *e) {
  if (!st) return db_prepare_error(e);
  int rc = db_step(st, e);
  if (rc == DB_ROW) read(out, st);
  db_finalize(st);
  if (rc == DB_DONE && not_found) return e ? err_set(e, ERR_NOT_FOUND, not_found) : ERR_NOT_FOUND;
  return rc == DB_ROW || rc == DB_DONE ? ERR_OK : (ErrCode)rc;
}

void db_rows_free(void *items, int n, size_t sz, DbRowDrop drop) {
  for (int i = 0; drop && i < n; i++) drop((char *)items + (size_t)i * sz);
  free(items);
}

ErrCode db_rows(DbStmt *st, size_t sz, DbRowRead read, DbRowDrop drop, void *items, int *n, Err *e) {
  assert(sz > 0);
  char *arr = NULL;
  int count = 0, cap = 0, rc;
  if (!st) rc = db_prepare_error(e);
  else {
    while ((rc = db_step(st, e)) == DB_ROW) {
      arr = array_grow(arr, count, &cap, sz);
      void *rec = arr + (size_t)count++ * sz;
      memset(rec, 0, sz);
      read(rec, st);
    }
    db_finalize(st);
  }
  if (rc != DB_DONE) {
    db_rows_free(arr, count, sz, drop);
    arr = NULL;
    count = 0;
  }
  void *p = arr;
  memcpy(items, &p, sizeof p);
  *n = count;
  return rc == DB_DONE ? ERR_OK : (ErrCode)rc;
}
