/* tests/unit/fixture.c: the shared unit-test fixture (see fixture.h). */
#include "tests/unit/fixture.h"

#include "app/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Creates the directory and database, and the command-line context. */
void fix_open(Fix *f, const char *name) {
  memset(f, 0, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/jindu-test-%s-XXXXXX", name);
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
  Err e;
  err_clear(&e);
  if (db_open(&f->db, f->path, schema_migrate, &e) != ERR_OK) fail_msg("db_open %s: %s", f->path, e.msg ? e.msg : "");
  actor_cli(&f->cli);
  ctx_init(&f->c, f->db, &f->cli);
}

/* Closes the database, removes it with its WAL files, then the directory. */
void fix_close(Fix *f) {
  db_close(f->db);
  f->db = NULL;
  const char *suffix[] = {"", "-wal", "-shm"};
  char p[128];
  for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
    snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
    unlink(p);
  }
  rmdir(f->dir);
}

Fix *fix_new(const char *name) {
  Fix *f = calloc(1, sizeof *f);
  assert_non_null(f);
  fix_open(f, name);
  return f;
}

int fix_state_close(void **state) {
  fix_close(*state);
  free(*state);
  return 0;
}

/* store_org_insert in a transaction, asserting every step. */
void fix_store_org(Db *db, const char *code, const char *name, const char *level, int64_t parent, OrgUnit *out) {
  Err e;
  err_clear(&e);
  assert_int_equal(db_begin(db, &e), ERR_OK);
  assert_int_equal(store_org_insert(db, code, name, level, parent, FIX_CREATED, out, &e), ERR_OK);
  assert_int_equal(db_commit(db, &e), ERR_OK);
}

/* app_org_add, failing the test with the use case's message on refusal. */
OrgUnit fix_app_org(Ctx *c, const char *code, const char *name, const char *level, const char *parent) {
  OrgUnit o;
  memset(&o, 0, sizeof o);
  Err e;
  err_clear(&e);
  int rc = app_org_add(c, code, name, level, parent, &o, &e);
  if (rc != ERR_OK) fail_msg("app_org_add %s: %d %s", code, rc, e.msg ? e.msg : "");
  return o;
}

/* Inserts the user row (fixed test values, all bound) and fills the actor. */
void fix_actor(Db *db, Actor *a, int64_t uid, const char *username, Role role, const OrgUnit *org) {
  Err e;
  err_clear(&e);
  assert_int_equal(db_insert(db, "app_user", NULL, &e, DB_INT(":id", uid), DB_TEXT(":username", username),
                             DB_TEXT(":role", role_code(role)), DB_INT(":org_id", org->id),
                             DB_TEXT(":password_hash", "x"), DB_TEXT(":created_at", FIX_CREATED),
                             DB_TEXT(":password_changed_at", FIX_CREATED)),
                   ERR_OK);
  memset(a, 0, sizeof *a);
  a->user_id = uid;
  snprintf(a->username, sizeof a->username, "%s", username);
  a->role = role;
  a->org_id = org->id;
  snprintf(a->org_code, sizeof a->org_code, "%s", org->code);
  snprintf(a->org_name, sizeof a->org_name, "%s", org->name);
  snprintf(a->org_path, sizeof a->org_path, "%s", org->path);
  snprintf(a->org_level, sizeof a->org_level, "%s", org->level);
  snprintf(a->address, sizeof a->address, "test");
}

/* Parses day into c->today and writes day 10:00 (+08:00) into c->now_iso. */
void fix_today(Ctx *c, const char *day) {
  assert_true(date_parse(day, &c->today));
  snprintf(c->now_iso, sizeof c->now_iso, "%sT10:00:00+08:00", day);
}

/* date_parse, asserted. */
Day fix_day(const char *iso) {
  Day d = 0;
  assert_true(date_parse(iso, &d));
  return d;
}

int64_t fix_int(Db *db, const char *sql) {
  Err e;
  err_clear(&e);
  DbStmt *st = db_prepare(db, sql, &e);
  assert_non_null(st);
  assert_int_equal(db_step(st, &e), DB_ROW);
  int64_t v = db_col_int(st, 0);
  db_finalize(st);
  return v;
}

int fix_run(struct CMUnitTest *tests, size_t n, CMFixtureFunction setup, CMFixtureFunction teardown) {
  for (size_t i = 0; i < n; i++) {
    tests[i].setup_func = setup;
    tests[i].teardown_func = teardown;
  }
  return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}
