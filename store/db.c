/* store/db.c: the driver-independent part of store/db.h, written once over
 * the driver's calls: the one-shots (db_run, db_scalar, db_exists,
 * db_insert_id, db_count), rows into records (db_row, db_rows, the column
 * tables of db_cols_read), the nullable binds, statements with their
 * values (db_query, db_insert), the request id of the thread and the error
 * line of a failed statement. */
#include "store/db.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/buf.h"
#include "store/org.h"

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

DbStmt *db_prepare_vals(Db *db, const char *sql, const DbVal *vals, Err *e) {
  DbStmt *st = db_prepare(db, sql, e);
  for (const DbVal *v = vals; st && v->name; v++) {
    switch (v->kind) {
    case DBV_INT: db_bind_int(st, v->name, v->i); break;
    case DBV_NULL: db_bind_null(st, v->name); break;
    case DBV_ID_OR_NULL: db_bind_int_or_null(st, v->name, v->i > 0, v->i); break;
    case DBV_TEXT: db_bind_text(st, v->name, v->text); break;
    case DBV_TEXT_OR_NULL: db_bind_text_or_null(st, v->name, v->text); break;
    case DBV_BLOB: db_bind_blob(st, v->name, v->blob, v->len); break;
    case DBV_SCOPE_END: {
      char end[ORG_PATH_MAX];
      store_path_bound(v->text, end, sizeof end);
      db_bind_text(st, v->name, end);
      break;
    }
    }
  }
  return st;
}

void db_cols_read(void *rec, DbStmt *st, int first, const DbCol *cols) {
  for (int i = 0; cols[i].kind != DBC_END; i++) {
    void *m = (char *)rec + cols[i].off;
    int col = first + i;
    switch (cols[i].kind) {
    case DBC_I64: *(int64_t *)m = db_col_int(st, col); break;
    case DBC_INT: *(int *)m = (int)db_col_int(st, col); break;
    case DBC_BOOL: *(bool *)m = db_col_int(st, col) != 0; break;
    case DBC_CHARS: str_copy(m, cols[i].size, db_col_text(st, col)); break;
    case DBC_DUP: {
      const char *s = db_col_text(st, col);
      if (!(*(char **)m = strdup(s ? s : ""))) abort();
      break;
    }
    case DBC_REF: *(const char **)m = db_col_text(st, col); break;
    case DBC_DAY: {
      Day d = 0;
      date_parse(db_col_text(st, col), &d);
      *(Day *)m = d;
      break;
    }
    case DBC_END: break;
    }
  }
}

void *db_cols_append(void *arr, int *n, int *cap, size_t sz, DbStmt *st, int first, const DbCol *cols) {
  arr = array_grow(arr, *n, cap, sz);
  void *rec = (char *)arr + (size_t)(*n)++ * sz;
  memset(rec, 0, sz);
  db_cols_read(rec, st, first, cols);
  return arr;
}

void db_cols_drop(void *rec, const DbCol *cols) {
  for (int i = 0; cols[i].kind != DBC_END; i++)
    if (cols[i].kind == DBC_DUP) {
      char **m = (char **)((char *)rec + cols[i].off);
      free(*m);
      *m = NULL;
    }
}

ErrCode db_insert_vals(Db *db, const char *table, const DbVal *vals, int64_t *id, Err *e) {
  char sql[2048];
  size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (", table);
  for (int pass = 0; pass < 2; pass++) { /* the columns, then their parameters */
    for (const DbVal *v = vals; v->name; v++) {
      assert(v->name[0] == ':');
      n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", v == vals ? "" : ", ", v->name + (pass == 0));
      assert(n < sizeof sql);
    }
    n += (size_t)snprintf(sql + n, sizeof sql - n, pass == 0 ? ") VALUES (" : id ? ") RETURNING id" : ")");
    assert(n < sizeof sql);
  }
  DbStmt *st = db_prepare_vals(db, sql, vals, e);
  return id ? db_insert_id(st, id, e) : db_run(st, e);
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

/* How the records of db_row and db_rows are read and dropped: a reader
 * and a dropper, or a column table. */
typedef struct DbReader {
  DbRowRead read;
  DbRowDrop drop;
  const DbCol *cols;
} DbReader;

static void db_reader_read(const DbReader *r, void *rec, DbStmt *st) {
  if (r->cols) db_cols_read(rec, st, 0, r->cols);
  else r->read(rec, st);
}

static void db_reader_free(const DbReader *r, void *items, int n, size_t sz) {
  for (int i = 0; i < n; i++) {
    void *rec = (char *)items + (size_t)i * sz;
    if (r->cols) db_cols_drop(rec, r->cols);
    else if (r->drop) r->drop(rec);
  }
  free(items);
}

static ErrCode db_row_by(DbStmt *st, const DbReader *r, void *out, const char *not_found, Err *e) {
  if (!st) return db_prepare_error(e);
  int rc = db_step(st, e);
  if (rc == DB_ROW) db_reader_read(r, out, st);
  db_finalize(st);
  if (rc == DB_DONE && not_found) return e ? err_set(e, ERR_NOT_FOUND, not_found) : ERR_NOT_FOUND;
  return rc == DB_ROW || rc == DB_DONE ? ERR_OK : (ErrCode)rc;
}

static ErrCode db_rows_by(DbStmt *st, size_t sz, const DbReader *r, void *items, int *n, Err *e) {
  assert(sz > 0);
  char *arr = NULL;
  int count = 0, cap = 0, rc;
  if (!st) rc = db_prepare_error(e);
  else {
    while ((rc = db_step(st, e)) == DB_ROW) {
      arr = array_grow(arr, count, &cap, sz);
      void *rec = arr + (size_t)count++ * sz;
      memset(rec, 0, sz);
      db_reader_read(r, rec, st);
    }
    db_finalize(st);
  }
  if (rc != DB_DONE) {
    db_reader_free(r, arr, count, sz);
    arr = NULL;
    count = 0;
  }
  void *p = arr;
  memcpy(items, &p, sizeof p);
  *n = count;
  return rc == DB_DONE ? ERR_OK : (ErrCode)rc;
}

ErrCode db_row(DbStmt *st, DbRowRead read, void *out, const char *not_found, Err *e) {
  return db_row_by(st, &(DbReader){read, NULL, NULL}, out, not_found, e);
}

ErrCode db_rows(DbStmt *st, size_t sz, DbRowRead read, DbRowDrop drop, void *items, int *n, Err *e) {
  return db_rows_by(st, sz, &(DbReader){read, drop, NULL}, items, n, e);
}

void db_rows_free(void *items, int n, size_t sz, DbRowDrop drop) {
  db_reader_free(&(DbReader){NULL, drop, NULL}, items, n, sz);
}

ErrCode db_row_cols(DbStmt *st, const DbCol *cols, void *out, const char *not_found, Err *e) {
  return db_row_by(st, &(DbReader){NULL, NULL, cols}, out, not_found, e);
}

ErrCode db_get_cols(Db *db, const char *sql, int64_t id, const DbCol *cols, void *out, size_t sz, Err *e) {
  memset(out, 0, sz);
  return db_row_cols(db_query(db, sql, e, DB_INT(":id", id)), cols, out, "记录不存在", e);
}

ErrCode db_rows_cols(DbStmt *st, size_t sz, const DbCol *cols, void *items, int *n, Err *e) {
  return db_rows_by(st, sz, &(DbReader){NULL, NULL, cols}, items, n, e);
}

ErrCode db_rows_fixed(DbStmt *st, size_t sz, const DbCol *cols, void *arr, int max, int *n, Err *e) {
  *n = 0;
  if (!st) return db_prepare_error(e);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st, e)) == DB_ROW) db_cols_read((char *)arr + (size_t)(*n)++ * sz, st, 0, cols);
  db_finalize(st);
  return rc == DB_DONE || rc == DB_ROW ? ERR_OK : rc;
}

void db_rows_free_cols(void *items, int n, size_t sz, const DbCol *cols) {
  db_reader_free(&(DbReader){NULL, NULL, cols}, items, n, sz);
}

ErrCode db_rows_each(DbStmt *st, size_t sz, const DbCol *cols, const DbEach *each, void *items, int *n, Err *e) {
  if (!each) return db_rows_cols(st, sz, cols, items, n, e);
  assert(sz > 0 && each->fn);
  void *none = NULL;
  memcpy(items, &none, sizeof none);
  *n = 0;
  if (!st) return db_prepare_error(e);
  void *rec = malloc(sz);
  if (!rec) abort();
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    memset(rec, 0, sz);
    db_cols_read(rec, st, 0, cols);
    (*n)++;
    ErrCode stop = each->fn(each->arg, rec, e);
    db_cols_drop(rec, cols);
    if (stop != ERR_OK) {
      rc = stop;
      break;
    }
  }
  db_finalize(st);
  free(rec);
  return rc == DB_DONE ? ERR_OK : (ErrCode)rc;
}

/* The DbEachFn of db_each_more: arg is the DbEachMore. The record is the
 * list's own buffer (db_rows_each), written here before it goes on. */
static ErrCode db_each_more_fn(void *arg, const void *rec, Err *e) {
  DbEachMore *m = arg;
  void *r = (void *)rec;
  ErrCode rc = m->more(m->db, r, e);
  if (rc == ERR_OK) rc = m->next->fn(m->next->arg, r, e);
  if (m->drop) m->drop(r);
  return rc;
}

const DbEach *db_each_more(DbEachMore *m, Db *db, ErrCode (*more)(Db *db, void *rec, Err *e), void (*drop)(void *rec),
                           const DbEach *next) {
  assert(next && next->fn && more);
  *m = (DbEachMore){{db_each_more_fn, m}, db, more, drop, next};
  return &m->each;
}
