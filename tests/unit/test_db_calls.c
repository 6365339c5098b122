/* tests/unit/test_db_calls.c: cmocka tests of store/db.h on a temporary
 * database (its transactions: tests/unit/test_db.c):
 * the one ErrCode space (DB_ROW/DB_DONE apart from it), the one-shots
 * (db_run, db_scalar, db_exists, db_insert_id, also on a failed prepare),
 * db_open's DbPrepare, and the error line of a failed statement: SQLite's
 * message, the SQL with its placeholders and the request id, never a bound
 * value; none for a unique violation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "tests/unit/fixture.h"
#include "store/schema.h"

typedef Fix T;

static int setup(void **state) {
  T *t = fix_new("db-calls");
  Err e;
  err_clear(&e);
  assert_int_equal(db_exec(t->db,
                           "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                           " n INTEGER CHECK (n IS NULL OR n >= 0))",
                           &e),
                   ERR_OK);
  *state = t;
  return 0;
}

/* ---- stderr capture ------------------------------------------------------ */

static int saved_stderr = -1;
static char capture_path[64];

/* Sends fd 2 to a temporary file until capture_end. */
static void capture_begin(void) {
  snprintf(capture_path, sizeof capture_path, "/tmp/jindu_test_db_err_XXXXXX");
  int fd = mkstemp(capture_path);
  assert_true(fd >= 0);
  fflush(stderr);
  saved_stderr = dup(2);
  assert_true(saved_stderr >= 0);
  assert_true(dup2(fd, 2) == 2);
  close(fd);
}

/* Restores fd 2; returns what was written meanwhile (malloc'd, caller frees). */
static char *capture_end(void) {
  fflush(stderr);
  assert_true(dup2(saved_stderr, 2) == 2);
  close(saved_stderr);
  FILE *f = fopen(capture_path, "r");
  assert_non_null(f);
  char *text = calloc(1, 8192);
  assert_non_null(text);
  size_t n = fread(text, 1, 8191, f);
  text[n] = 0;
  fclose(f);
  unlink(capture_path);
  return text;
}

/* Inserts (name, n) and returns the new id. */
static int64_t insert(T *t, const char *name, int64_t n) {
  Err e;
  err_clear(&e);
  DbStmt *st = db_prepare(t->db, "INSERT INTO t (name, n) VALUES (:name, :n) RETURNING id", &e);
  assert_non_null(st);
  db_bind_text(st, ":name", name);
  db_bind_int(st, ":n", n);
  int64_t id = -1;
  assert_int_equal(db_insert_id(st, &id, &e), ERR_OK);
  return id;
}

/* ---- tests --------------------------------------------------------------- */

/* db_step's answers lie outside ErrCode; a loop ends on DB_DONE. */
static void test_step_codes(void **state) {
  T *t = *state;
  assert_true((int)DB_ROW > (int)ERR_INTERNAL && (int)DB_DONE > (int)ERR_INTERNAL && DB_ROW != DB_DONE);
  insert(t, "a", 1);
  insert(t, "b", 2);
  Err e;
  err_clear(&e);
  DbStmt *st = db_prepare(t->db, "SELECT n FROM t ORDER BY id", &e);
  assert_non_null(st);
  int rc, rows = 0;
  while ((rc = db_step(st, &e)) == DB_ROW) rows++;
  db_finalize(st);
  assert_int_equal(rc, DB_DONE);
  assert_int_equal(rows, 2);
}

static void test_insert_id(void **state) {
  T *t = *state;
  int64_t a = insert(t, "a", 1), b = insert(t, "b", 2);
  assert_true(a > 0);
  assert_int_equal(b, a + 1);
  /* id may be NULL */
  Err e;
  err_clear(&e);
  DbStmt *st = db_prepare(t->db, "INSERT INTO t (name) VALUES ('c') RETURNING id", &e);
  assert_int_equal(db_insert_id(st, NULL, &e), ERR_OK);
  /* a statement that returns no row is not an insert */
  st = db_prepare(t->db, "UPDATE t SET n = 9 WHERE id = -1 RETURNING id", &e);
  int64_t id = 5;
  assert_int_equal(db_insert_id(st, &id, &e), ERR_INTERNAL);
  assert_int_equal(id, 5);
}

static void test_scalar(void **state) {
  T *t = *state;
  insert(t, "a", 7);
  insert(t, "b", 35);
  Err e;
  err_clear(&e);
  int64_t v = -1;
  assert_int_equal(db_scalar(db_prepare(t->db, "SELECT sum(n) FROM t", &e), &v, &e), ERR_OK);
  assert_int_equal(v, 42);
  DbStmt *st = db_prepare(t->db, "SELECT n FROM t WHERE name = :name", &e);
  db_bind_text(st, ":name", "nobody");
  v = -1;
  assert_int_equal(db_scalar(st, &v, &e), ERR_OK); /* no row: 0 */
  assert_int_equal(v, 0);
  v = -1;
  assert_int_equal(db_scalar(db_prepare(t->db, "SELECT NULL", &e), &v, &e), ERR_OK);
  assert_int_equal(v, 0);
  /* the statement went back to the cache: the same text prepares again */
  st = db_prepare(t->db, "SELECT n FROM t WHERE name = :name", &e);
  db_bind_text(st, ":name", "b");
  assert_int_equal(db_scalar(st, &v, &e), ERR_OK);
  assert_int_equal(v, 35);
}

static void test_exists(void **state) {
  T *t = *state;
  insert(t, "a", 1);
  Err e;
  err_clear(&e);
  bool found = false;
  DbStmt *st = db_prepare(t->db, "SELECT 1 FROM t WHERE name = :name", &e);
  db_bind_text(st, ":name", "a");
  assert_int_equal(db_exists(st, &found, &e), ERR_OK);
  assert_true(found);
  st = db_prepare(t->db, "SELECT 1 FROM t WHERE name = :name", &e);
  db_bind_text(st, ":name", "z");
  assert_int_equal(db_exists(st, &found, &e), ERR_OK);
  assert_false(found);
  /* an UPDATE ... RETURNING: did it change a row? */
  st = db_prepare(t->db, "UPDATE t SET n = 2 WHERE name = 'a' RETURNING id", &e);
  assert_int_equal(db_exists(st, &found, &e), ERR_OK);
  assert_true(found);
}

/* A failed prepare: the one-shot returns its error (logged once, by the
 * prepare), with the statement text. */
static void test_failed_prepare(void **state) {
  T *t = *state;
  Err e;
  err_clear(&e);
  capture_begin();
  int64_t v = 3;
  ErrCode rc = db_scalar(db_prepare(t->db, "SELEC count(*) FROM t", &e), &v, &e);
  char *log = capture_end();
  assert_int_equal(rc, ERR_INTERNAL);
  assert_int_equal(e.code, ERR_INTERNAL);
  assert_non_null(e.msg);
  assert_int_equal(v, 0);
  assert_non_null(strstr(log, "jindu: req=- sql error: "));
  assert_non_null(strstr(log, " in: SELEC count(*) FROM t\n"));
  free(log);
  err_clear(&e);
  capture_begin();
  assert_int_equal(db_run(db_prepare(t->db, "DELETE FROM no_such_table", &e), &e), ERR_INTERNAL);
  bool found = true;
  assert_int_equal(db_exists(db_prepare(t->db, "SELECT * FROM no_such_table", &e), &found, &e), ERR_INTERNAL);
  assert_false(found);
  assert_int_equal(db_exec(t->db, "CREATE TABLE t (x)", &e), ERR_INTERNAL); /* exists already */
  log = capture_end();
  assert_string_equal(log, "jindu: req=- sql error: no such table: no_such_table in: DELETE FROM no_such_table\n"
                           "jindu: req=- sql error: no such table: no_such_table in: SELECT * FROM no_such_table\n"
                           "jindu: req=- sql error: table t already exists in: CREATE TABLE t (x)\n");
  free(log);
}

/* A statement that fails when stepped: ERR_INTERNAL, one line with SQLite's
 * message, the SQL as written and the request id; the bound values (names,
 * ID numbers: personal data) never appear. */
static void test_error_line(void **state) {
  T *t = *state;
  Err e;
  err_clear(&e);
  db_set_request_id(77);
  assert_int_equal(db_request_id(), 77);
  capture_begin();
  DbStmt *st = db_prepare(t->db, "INSERT INTO t (name, n) VALUES (:name, :n)", &e);
  assert_non_null(st);
  db_bind_text(st, ":name", "李秘密320581198503071234");
  db_bind_int(st, ":n", -424242);
  ErrCode rc = db_run(st, &e);
  char *log = capture_end();
  db_set_request_id(0);
  assert_int_equal(rc, ERR_INTERNAL);
  assert_int_equal(e.code, ERR_INTERNAL);
  assert_string_equal(log, "jindu: req=77 sql error: CHECK constraint failed: n IS NULL OR n >= 0"
                           " in: INSERT INTO t (name, n) VALUES (:name, :n)\n");
  assert_null(strstr(log, "李秘密"));
  assert_null(strstr(log, "424242"));
  free(log);
  /* the failed statement went back to the cache in a usable state */
  assert_true(insert(t, "ok", 1) > 0);
}

/* A unique violation is the caller's conflict (a 409), not logged. */
static void test_conflict_not_logged(void **state) {
  T *t = *state;
  insert(t, "same", 1);
  Err e;
  err_clear(&e);
  capture_begin();
  DbStmt *st = db_prepare(t->db, "INSERT INTO t (name, n) VALUES (:name, 2) RETURNING id", &e);
  db_bind_text(st, ":name", "same");
  int64_t id = 0;
  ErrCode rc = db_insert_id(st, &id, &e);
  char *log = capture_end();
  assert_int_equal(rc, ERR_CONFLICT);
  assert_int_equal(e.code, ERR_CONFLICT);
  assert_int_equal(id, 0);
  assert_string_equal(log, "");
  free(log);
}

static ErrCode prepare_fails(Db *db, Err *e) {
  (void)db;
  return err_set(e, ERR_INTERNAL, "测试：准备失败");
}

static int prepared_calls;
static ErrCode prepare_counts(Db *db, Err *e) {
  (void)e;
  assert_non_null(db);
  prepared_calls++;
  return ERR_OK;
}

/* db_open runs the store's DbPrepare; a failure closes the connection. */
static void test_open_prepare(void **state) {
  T *t = *state;
  Err e;
  err_clear(&e);
  Db *db = (Db *)state; /* any non-NULL value: a failed open sets NULL */
  assert_int_equal(db_open(&db, t->path, prepare_fails, &e), ERR_INTERNAL);
  assert_null(db);
  assert_string_equal(e.msg, "测试：准备失败");
  err_clear(&e);
  prepared_calls = 0;
  assert_int_equal(db_open(&db, t->path, prepare_counts, &e), ERR_OK);
  assert_int_equal(prepared_calls, 1);
  assert_int_equal(db_schema_version(db), schema_latest());
  db_close(db);
  /* NULL: the file as it is */
  assert_int_equal(db_open(&db, t->path, NULL, &e), ERR_OK);
  db_close(db);
}

/* ---- rows handed over one at a time ---------------------------------------- */

typedef struct EachRec {
  int64_t id;
  char *name; /* malloc'd by the column table */
  int64_t n;
  int64_t more; /* filled by each_more */
} EachRec;

static const DbCol each_cols[] = {DB_COL(EachRec, id), DB_COL(EachRec, name), DB_COL(EachRec, n), DB_COL_END};

/* What the visitor saw: the names joined, the sum of n and of more. */
typedef struct EachSeen {
  char names[64];
  int64_t sum, more;
  int stop_at; /* answer ERR_CONFLICT at this row (1-based; 0: never) */
  int rows;
} EachSeen;

static ErrCode each_fn(void *arg, const void *rec, Err *e) {
  EachSeen *seen = arg;
  const EachRec *r = rec;
  seen->rows++;
  strncat(seen->names, r->name, sizeof seen->names - strlen(seen->names) - 1);
  seen->sum += r->n;
  seen->more += r->more;
  if (seen->rows == seen->stop_at) return err_set(e, ERR_CONFLICT, "测试：停止");
  return ERR_OK;
}

/* The second look of db_each_more: n of the row with the same id read again. */
static ErrCode each_more(Db *db, void *rec, Err *e) {
  EachRec *r = rec;
  return db_scalar(db_query(db, "SELECT n * 10 FROM t WHERE id = :id", e, DB_INT(":id", r->id)), &r->more, e);
}

static void test_rows_each(void **state) {
  T *t = *state;
  insert(t, "a", 1);
  insert(t, "b", 2);
  insert(t, "c", 3);
  Err e;
  err_clear(&e);
  const char *sql = "SELECT id, name, n FROM t ORDER BY id";
  /* each row once, in order, its malloc'd members dropped after it; no array */
  EachSeen seen = {0};
  DbEach each = {each_fn, &seen};
  EachRec *arr = (EachRec *)&seen;
  int n = -1;
  assert_int_equal(db_rows_each(db_prepare(t->db, sql, &e), sizeof(EachRec), each_cols, &each, &arr, &n, &e), ERR_OK);
  assert_string_equal(seen.names, "abc");
  assert_int_equal(seen.sum, 6);
  assert_int_equal(seen.more, 0);
  assert_int_equal(n, 3);
  assert_null(arr);
  /* the visitor stops the list with its error */
  seen = (EachSeen){.stop_at = 2};
  assert_int_equal(db_rows_each(db_prepare(t->db, sql, &e), sizeof(EachRec), each_cols, &each, &arr, &n, &e),
                   ERR_CONFLICT);
  assert_string_equal(e.msg, "测试：停止");
  assert_string_equal(seen.names, "ab");
  assert_int_equal(n, 2);
  err_clear(&e);
  /* a second query per row while the list's statement runs */
  seen = (EachSeen){0};
  DbEachMore m;
  assert_int_equal(db_rows_each(db_prepare(t->db, sql, &e), sizeof(EachRec), each_cols,
                                db_each_more(&m, t->db, each_more, NULL, &each), &arr, &n, &e),
                   ERR_OK);
  assert_int_equal(seen.more, 60);
  assert_int_equal(n, 3);
  /* no visitor: the array, as db_rows_cols */
  assert_int_equal(db_rows_each(db_prepare(t->db, sql, &e), sizeof(EachRec), each_cols, NULL, &arr, &n, &e), ERR_OK);
  assert_int_equal(n, 3);
  assert_string_equal(arr[2].name, "c");
  db_rows_free_cols(arr, n, sizeof *arr, each_cols);
  /* a failed prepare is the visitor's list's error too */
  seen = (EachSeen){0};
  assert_int_not_equal(db_rows_each(db_prepare(t->db, "SELECT nothing FROM nowhere", &e), sizeof(EachRec), each_cols,
                                    &each, &arr, &n, &e),
                       ERR_OK);
  assert_int_equal(seen.rows, 0);
  assert_int_equal(n, 0);
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rows_each),
    cmocka_unit_test(test_step_codes),
    cmocka_unit_test(test_insert_id),
    cmocka_unit_test(test_scalar),
    cmocka_unit_test(test_exists),
    cmocka_unit_test(test_failed_prepare),
    cmocka_unit_test(test_error_line),
    cmocka_unit_test(test_conflict_not_logged),
    cmocka_unit_test(test_open_prepare),
  };
  return FIX_RUN(tests, setup, fix_state_close);
}
