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

int fix_state_open(void **state) {
  *state = fix_new("db");
  return 0;
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

/* Appends one member at in->team[in->nteam]. */
void fix_team_add(PersonInput *in, const char *role, const char *name, const char *phone) {
  assert_true(in->nteam >= 0 && in->nteam < PERSON_TEAM_MAX);
  in->has_team = true;
  in->team[in->nteam].role = role;
  in->team[in->nteam].name = name;
  in->team[in->nteam].phone = phone;
  in->nteam++;
}

/* Parses day into c->today and writes day 10:00 (+08:00) into c->now_iso. */
void fix_today(Ctx *c, const char *day) {
  assert_true(date_parse(day, &c->today));
  snprintf(c->now_iso, sizeof c->now_iso, "%sT10:00:00+08:00", day);
}

/* The units, then the users (one a row of a table: ids follow the rows), then the contexts. */
FixDistrict *fix_district_new(const char *name, const char *today) {
  FixDistrict *t = calloc(1, sizeof *t);
  assert_non_null(t);
  fix_open(&t->f, name);
  Db *db = t->f.db;
  fix_store_org(db, "K", "某县", "county", 0, &t->county);
  fix_store_org(db, "S1", "甲街道", "street", t->county.id, &t->s1);
  fix_store_org(db, "S2", "乙街道", "street", t->county.id, &t->s2);
  fix_store_org(db, "A", "甲社区", "community", t->s1.id, &t->a);
  fix_store_org(db, "B", "乙社区", "community", t->s1.id, &t->b);
  fix_store_org(db, "D", "丁村", "community", t->s2.id, &t->d);
  const struct {
    Actor *a;
    Ctx *c;
    const char *username;
    Role role;
    const OrgUnit *org;
  } users[] = {
      {&t->worker_a, &t->ca, "wa", ROLE_WORKER, &t->a},       {&t->worker_b, &t->cb, "wb", ROLE_WORKER, &t->b},
      {&t->worker_d, &t->cd, "wd", ROLE_WORKER, &t->d},       {&t->office_s1, &t->cs1, "os1", ROLE_OFFICE, &t->s1},
      {&t->office_s2, &t->cs2, "os2", ROLE_OFFICE, &t->s2},   {&t->admin, &t->cadmin, "adm", ROLE_ADMIN, &t->county},
      {&t->police_a, &t->cpolice, "pa", ROLE_POLICE, &t->a},  {&t->cadre_a, &t->ccadre, "ca", ROLE_CADRE, &t->a},
      {&t->viewer, &t->cviewer, "vw", ROLE_VIEWER, &t->county}, {&t->viewer_a, &t->cviewer_a, "va", ROLE_VIEWER, &t->a},
  };
  for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
    fix_actor(db, users[i].a, (int64_t)i + 1, users[i].username, users[i].role, users[i].org);
    ctx_init(users[i].c, db, users[i].a);
  }
  fix_district_today(t, today);
  return t;
}

void fix_district_today(FixDistrict *t, const char *day) {
  Ctx *all[] = {&t->f.c, &t->ca, &t->cb, &t->cd, &t->cs1, &t->cs2, &t->cadmin, &t->cpolice, &t->ccadre, &t->cviewer, &t->cviewer_a};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) fix_today(all[i], day);
}

int fix_district_close(void **state) {
  FixDistrict *t = *state;
  fix_close(&t->f);
  free(t);
  return 0;
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

void fix_pairs(bool (*pred)(const char *, const char *), const char *name, const FixPair *cases, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (pred(cases[i].a, cases[i].b) != cases[i].want)
      fail_msg("%s(%s, %s) is not %s", name, cases[i].a ? cases[i].a : "NULL", cases[i].b ? cases[i].b : "NULL",
               cases[i].want ? "true" : "false");
}

void fix_vocab(const UnitTerm *vocab, int want) {
  int n = 0;
  for (; vocab[n].code; n++) {
    assert_non_null(vocab[n].label_zh);
    assert_int_equal(unit_term_index(vocab, vocab[n].code), n);
    assert_string_equal(unit_term_label(vocab, vocab[n].code), vocab[n].label_zh);
  }
  assert_null(vocab[n].label_zh);
  assert_false(unit_term_known(vocab, "no_such_code"));
  assert_null(unit_term_label(vocab, NULL));
  if (want >= 0) assert_int_equal(n, want);
}
