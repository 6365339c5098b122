/* tests/unit/test_db.c: cmocka unit tests of the transactions of
 * store/db_sqlite.c (nesting as Fossil's: an inner rollback dooms the
 * transaction, the outermost commit then rolls back and returns an error,
 * keeping a more specific error the caller holds; the happy path; a read
 * nested in a write; a fresh transaction after a doomed one) and of the one
 * end of a use case on top of them (app_commit with its audit row,
 * app_fail inside a caller's transaction), on a temporary database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "store/db.h"
#include "tests/unit/fixture.h"
#include "store/schema.h"

typedef Fix F;

static int setup(void **state) {
  F *f = fix_new("db");
  Err e;
  err_clear(&e);
  assert_int_equal(db_exec(f->db, "CREATE TABLE t(x INTEGER)", &e), ERR_OK);
  *state = f;
  return 0;
}

/* Inserts x into t (inside whatever transaction is open). */
static void insert(F *f, int64_t x) {
  Err e;
  err_clear(&e);
  DbStmt *st = db_prepare(f->db, "INSERT INTO t(x) VALUES (:x)", &e);
  assert_non_null(st);
  db_bind_int(st, ":x", x);
  assert_int_equal(db_run(st, &e), ERR_OK);
}

/* The one integer that sql (a fixed text) answers. */
static int64_t count(F *f, const char *sql) {
  Err e;
  err_clear(&e);
  int64_t n = -1;
  assert_int_equal(db_scalar(db_prepare(f->db, sql, &e), &n, &e), ERR_OK);
  return n;
}

/* Opens a transaction and one nested in it, inserting x = 1 in the outer
 * and x = 2 in the inner; e is cleared first. */
static void begin_two(F *f, Err *e) {
  err_clear(e);
  assert_int_equal(db_begin(f->db, e), ERR_OK);
  insert(f, 1);
  assert_int_equal(db_begin(f->db, e), ERR_OK);
  insert(f, 2);
}

/* begin, begin, write, commit, commit: the inner commit only lowers the
 * depth, the outer one writes. */
static void test_nested_commit(void **state) {
  F *f = *state;
  Err e;
  begin_two(f, &e);
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  assert_true(db_in_transaction(f->db));
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  assert_false(db_in_transaction(f->db));
  assert_int_equal(e.code, ERR_OK);
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 2);
}

/* begin, begin, rollback, commit: nothing written, the commit is an error
 * (ERR_INTERNAL when the caller holds none); the next transaction is fresh. */
static void test_inner_rollback_dooms(void **state) {
  F *f = *state;
  Err e;
  begin_two(f, &e);
  db_rollback(f->db);
  assert_true(db_in_transaction(f->db)); /* only the inner level ended */
  insert(f, 3);
  assert_int_equal(db_commit(f->db, &e), ERR_INTERNAL);
  assert_int_equal(e.code, ERR_INTERNAL);
  assert_string_equal(e.msg, "操作失败");
  assert_false(db_in_transaction(f->db));
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 0);

  err_clear(&e);
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  insert(f, 4);
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 1);
}

/* A doomed commit keeps the more specific error the caller holds; a doom
 * deeper down reaches the top through every level. */
static void test_doomed_keeps_error(void **state) {
  F *f = *state;
  Err e;
  err_clear(&e);
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  assert_int_equal(db_begin_read(f->db, &e), ERR_OK);
  insert(f, 1);
  db_rollback(f->db);
  assert_int_equal(db_commit(f->db, &e), ERR_OK); /* an inner level: no error yet */
  err_set(&e, ERR_CONFLICT, "记录已存在（重复）");
  assert_int_equal(db_commit(f->db, &e), ERR_CONFLICT);
  assert_int_equal(e.code, ERR_CONFLICT);
  assert_string_equal(e.msg, "记录已存在（重复）");
  assert_false(db_in_transaction(f->db));
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 0);
}

/* The outermost rollback ends everything; a rollback with none open does
 * nothing; a read nested in a write commits with it. */
static void test_outer_rollback_and_read(void **state) {
  F *f = *state;
  Err e;
  err_clear(&e);
  db_rollback(f->db);
  assert_false(db_in_transaction(f->db));
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  insert(f, 1);
  db_rollback(f->db);
  assert_false(db_in_transaction(f->db));
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 0);

  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  insert(f, 1);
  assert_int_equal(db_begin_read(f->db, &e), ERR_OK);
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 1); /* sees the write of its transaction */
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 1);
}

/* app_commit appends the audit row and commits; app_fail inside a caller's
 * transaction dooms it, so the caller's commit (app_commit) fails and
 * neither its write nor its audit row stays. */
static void test_app_commit_and_fail(void **state) {
  F *f = *state;
  Ctx *c = &f->c;
  Err e;
  err_clear(&e);
  int64_t audits = count(f, "SELECT count(*) FROM audit_log");
  Buf detail = BUF_INIT;
  buf_puts(&detail, "x=1");
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  insert(f, 1);
  assert_int_equal(app_commit(c, &(AppAudit){"test", "org", 0, "/", &detail}, &e), ERR_OK);
  assert_int_equal(detail.len, 0); /* reset */
  assert_false(db_in_transaction(f->db));
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 1);
  assert_int_equal(count(f, "SELECT count(*) FROM audit_log"), audits + 1);

  assert_int_equal(db_begin(f->db, &e), ERR_OK); /* the caller's */
  insert(f, 2);
  assert_int_equal(db_begin(f->db, &e), ERR_OK); /* a use case inside it */
  err_field(&e, "x", "此项必填");
  assert_int_equal(app_fail(c, &e), ERR_INVALID);
  assert_true(db_in_transaction(f->db));
  assert_int_equal(app_commit(c, &(AppAudit){"test", "org", 0, "/", NULL}, &e), ERR_INVALID);
  assert_false(db_in_transaction(f->db));
  assert_int_equal(count(f, "SELECT count(*) FROM t"), 1);
  assert_int_equal(count(f, "SELECT count(*) FROM audit_log"), audits + 1);

  err_clear(&e); /* a failure that filled no error still reports one */
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  assert_int_equal(app_fail(c, &e), ERR_INTERNAL);
  assert_string_equal(e.msg, "操作失败");
  assert_false(db_in_transaction(f->db));
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_nested_commit),
    cmocka_unit_test(test_inner_rollback_dooms),
    cmocka_unit_test(test_doomed_keeps_error),
    cmocka_unit_test(test_outer_rollback_and_read),
    cmocka_unit_test(test_app_commit_and_fail),
  };
  return FIX_RUN(tests, setup, fix_state_close);
}
