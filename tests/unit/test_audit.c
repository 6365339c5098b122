/* tests/unit/test_audit.c: cmocka tests of the audit trail (app/audit.c,
 * store/audit.c) and of the org-unit use cases whose writes it records
 * (app/org.c, store/org.c): the hash chain verifies, and detects a changed,
 * deleted (middle or last) or inserted row and a changed head; the read queue
 * group-commits without losing rows beside concurrent writers; the audit
 * listing is scoped and filtered; org add/rename/move follow the tree rules
 * and rewrite the paths of a moved subtree and its persons. Each test runs on
 * a fresh temporary SQLite file. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/org.h"
#include "store/audit.h"
#include "tests/unit/fixture.h"

#define T0 1718000000 /* 2024-06-10 14:13:20 +08:00 */

/* Creates a temporary database and a command-line context at T0. */
static int fix_setup(void **state) {
  Fix *f = fix_new("audit");
  f->c.now_unix = T0;
  snprintf(f->c.now_iso, sizeof f->c.now_iso, "2024-06-10T14:13:20+08:00");
  *state = f;
  return 0;
}

/* Builds a small tree: C1 > S1 > M1, M2; C1 > S2 > M3; and county C2. 7 audit rows. */
static void build_tree(Fix *f) {
  fix_app_org(&f->c, "C1", "一区", "county", NULL);
  fix_app_org(&f->c, "S1", "一街道", "street", "C1");
  fix_app_org(&f->c, "M1", "一社区", "community", "S1");
  fix_app_org(&f->c, "M2", "二社区", "community", "S1");
  fix_app_org(&f->c, "S2", "二街道", "street", "C1");
  fix_app_org(&f->c, "M3", "三社区", "community", "S2");
  fix_app_org(&f->c, "C2", "二区", "county", NULL);
}

/* Runs the verification, returning its code and the first bad id. */
static int verify(Fix *f, int64_t *rows, int64_t *bad) {
  Err e;
  err_clear(&e);
  int rc = audit_verify(f->db, rows, bad, &e);
  if (rc != ERR_OK) assert_non_null(e.msg);
  return rc;
}

/* Runs raw SQL (tampering), asserting it worked. */
static void raw(Fix *f, const char *sql) {
  Err e;
  err_clear(&e);
  assert_int_equal(db_exec(f->db, sql, &e), ERR_OK);
}

/* Asserts that the log verifies, with want_rows rows. */
static void expect_rows(Fix *f, int64_t want_rows) {
  int64_t rows = 0;
  assert_int_equal(verify(f, &rows, NULL), ERR_OK);
  assert_int_equal(rows, want_rows);
}

/* The rows of filter flt that c sees (one page, n rows, malloc'd: the
 * caller frees them), asserting that want_total match in all. */
static AuditRow *listed(Ctx *c, AuditFilter flt, int64_t want_total, int *n) {
  AuditRow *r = NULL;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  assert_int_equal(app_audit_list(c, &flt, &r, n, &total, &e), ERR_OK);
  assert_int_equal(total, want_total);
  return r;
}

/* Asserts that the verification fails, naming row want_bad. */
static void expect_bad(Fix *f, int64_t want_bad) {
  int64_t bad = 0;
  assert_int_equal(verify(f, NULL, &bad), ERR_CONFLICT);
  assert_int_equal(bad, want_bad);
}

static void test_chain_ok(void **state) {
  Fix *f = *state;
  int64_t rows = -1, bad = -1;
  assert_int_equal(verify(f, &rows, &bad), ERR_OK); /* empty chain */
  assert_int_equal(rows, 0);
  build_tree(f);
  audit_read(&f->c, "org", 1, "/1/");
  audit_read(&f->c, "org", 2, "/1/2/");
  assert_int_equal(verify(f, &rows, &bad), ERR_OK);
  assert_int_equal(rows, 9);
  assert_int_equal(bad, 0);

  /* Row contents and linkage as stored. */
  int n = 0;
  AuditRow *r = listed(&f->c, (AuditFilter){.per_page = 200}, 9, &n);
  assert_int_equal(n, 9);
  assert_int_equal(r[8].id, 1); /* newest first */
  assert_string_equal(r[8].prev_hash, "");
  assert_int_equal(strlen(r[8].hash), 64);
  assert_string_equal(r[7].prev_hash, r[8].hash);
  assert_string_equal(r[8].action, "create");
  assert_string_equal(r[8].entity, "org");
  assert_string_equal(r[8].actor, "cli");
  assert_string_equal(r[8].address, "cli");
  assert_int_equal(r[8].actor_id, 0);
  assert_string_equal(r[8].org_path, "/1/");
  assert_non_null(strstr(r[8].detail, "code=\"C1\""));
  assert_string_equal(r[0].action, "read");
  assert_string_equal(r[0].at, "2024-06-10T14:13:20+08:00");
  free(r);
}

/* Builds the tree and changes its log behind the audit's back with sql:
 * the verification fails, naming row want_bad, having read want_rows rows
 * (< 0: not checked). */
static void expect_tampered(Fix *f, const char *sql, int64_t want_bad, int64_t want_rows) {
  build_tree(f);
  raw(f, sql);
  int64_t rows = 0, bad = 0;
  assert_int_equal(verify(f, &rows, &bad), ERR_CONFLICT);
  assert_int_equal(bad, want_bad);
  if (want_rows >= 0) assert_int_equal(rows, want_rows);
}

static void test_tampered_detail(void **state) {
  expect_tampered(*state, "UPDATE audit_log SET detail = 'code=\"X\"' WHERE id = 3", 3, 3);
}

static void test_tampered_other_columns(void **state) {
  Fix *f = *state;
  build_tree(f);
  /* Any column counts: the actor, the time, the entity id, NULL vs 0. */
  raw(f, "UPDATE audit_log SET actor = 'someone' WHERE id = 5");
  int64_t bad = 0;
  expect_bad(f, 5);
  raw(f, "UPDATE audit_log SET actor = 'cli' WHERE id = 5");
  assert_int_equal(verify(f, NULL, &bad), ERR_OK);
  raw(f, "UPDATE audit_log SET actor_id = 0 WHERE id = 6");
  expect_bad(f, 6);
  raw(f, "UPDATE audit_log SET actor_id = NULL WHERE id = 6");
  raw(f, "UPDATE audit_log SET at = '2024-06-10T14:13:21+08:00' WHERE id = 1");
  expect_bad(f, 1);
}

static void test_deleted_middle_row(void **state) {
  expect_tampered(*state, "DELETE FROM audit_log WHERE id = 4", 5, -1); /* the row after the gap no longer links */
}

static void test_deleted_last_row(void **state) {
  Fix *f = *state;
  expect_tampered(f, "DELETE FROM audit_log WHERE id = 7", 7, 6);
  int64_t rows = 0, bad = 0;

  /* Appending after the loss does not hide it. */
  audit_read(&f->c, "org", 1, "/1/");
  assert_int_equal(verify(f, &rows, &bad), ERR_CONFLICT);
  assert_int_equal(bad, 8);
}

static void test_deleted_last_rows_and_head_rewound(void **state) {
  Fix *f = *state;
  build_tree(f);
  /* Removing the newest row and rewinding the head by hand is what an
   * attacker with the file can do; the count and hash must agree too. */
  raw(f, "DELETE FROM audit_log WHERE id = 7");
  raw(f, "UPDATE audit_head SET last_id = 6");
  expect_bad(f, 7);
  /* ... and the count, and still the last hash gives it away. */
  raw(f, "UPDATE audit_head SET row_count = 6");
  expect_bad(f, 7);
}

static void test_inserted_row(void **state) {
  Fix *f = *state;
  build_tree(f);
  /* A copy of row 7 as row 8, linked to 7 but not counted in the head. */
  raw(f,
      "INSERT INTO audit_log(id, at, actor_id, actor, address, action, entity, entity_id, org_path, detail, "
      "prev_hash, hash) SELECT 8, at, actor_id, actor, address, action, entity, entity_id, org_path, detail, hash, "
      "hash FROM audit_log WHERE id = 7");
  int64_t bad = 0;
  expect_bad(f, 8);
  raw(f, "DELETE FROM audit_log WHERE id = 8");
  assert_int_equal(verify(f, NULL, &bad), ERR_OK);
  /* Squeezed in the middle: a fresh id between rows breaks the next link. */
  raw(f, "UPDATE audit_log SET id = id + 10 WHERE id >= 4");
  raw(f,
      "INSERT INTO audit_log(id, at, actor_id, actor, address, action, entity, entity_id, org_path, detail, "
      "prev_hash, hash) SELECT 4, at, actor_id, actor, address, action, entity, entity_id, org_path, detail, hash, "
      "hash FROM audit_log WHERE id = 3");
  expect_bad(f, 4);
}

static void test_write_needs_transaction_and_rolls_back(void **state) {
  Fix *f = *state;
  build_tree(f);
  Err e;
  err_clear(&e);
  /* A failed use case leaves no audit row: duplicate code. */
  OrgUnit o;
  assert_int_equal(app_org_add(&f->c, "M1", "又一社区", "community", "S1", &o, &e), ERR_CONFLICT);
  assert_string_equal(e.msg, "编码已存在");
  int64_t rows = 0, bad = 0;
  expect_rows(f, 7);

  /* Inside an open transaction audit_write appends; rollback removes it. */
  err_clear(&e);
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  assert_int_equal(audit_write(&f->c, "test", "org", 1, "/1/", "x", &e), ERR_OK);
  db_rollback(f->db);
  expect_rows(f, 7);

  /* A very long detail is cut on a character boundary, and still verifies. */
  char *big = malloc(3 * 3000 + 1);
  assert_non_null(big);
  for (int i = 0; i < 3000; i++) memcpy(big + 3 * i, "审", 3);
  big[9000] = 0;
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  assert_int_equal(audit_write(&f->c, "test", "org", 0, "/1/", big, &e), ERR_OK);
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  free(big);
  assert_int_equal(verify(f, &rows, &bad), ERR_OK);
  AuditRow *r = NULL;
  int n = 0;
  int64_t total = 0;
  AuditFilter flt = {.entity = "org", .per_page = 1};
  assert_int_equal(app_audit_list(&f->c, &flt, &r, &n, &total, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(strlen(r[0].detail) % 3, 0);
  assert_true(strlen(r[0].detail) < AUDIT_DETAIL_MAX);
  assert_int_equal(r[0].entity_id, 0);
  free(r);
}

/* ---- the read queue ---- */

typedef struct Writer {
  const char *path;
  int n;
} Writer;

/* A thread that appends audit rows through use-case style transactions on
 * its own connection, racing the queue's writer. */
static void *writer_thread(void *arg) {
  Writer *w = arg;
  Db *db = NULL;
  Err e;
  err_clear(&e);
  if (db_open(&db, w->path, schema_migrate, &e) != ERR_OK) return (void *)1;
  Actor a;
  actor_cli(&a);
  Ctx c;
  ctx_init(&c, db, &a);
  intptr_t failures = 0;
  for (int i = 0; i < w->n; i++) {
    err_clear(&e);
    if (db_begin(db, &e) != ERR_OK) { failures++; continue; }
    if (audit_write(&c, "test", "org", i + 1, "/1/", "w", &e) != ERR_OK) { db_rollback(db); failures++; continue; }
    if (db_commit(db, &e) != ERR_OK) failures++;
  }
  db_close(db);
  return (void *)failures;
}

static void test_read_queue(void **state) {
  Fix *f = *state;
  build_tree(f);
  Err e;
  err_clear(&e);
  assert_int_equal(audit_queue_start(f->path, &e), ERR_OK);
  assert_int_equal(audit_queue_start(f->path, &e), ERR_INTERNAL); /* once */

  Writer w = {f->path, 200};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, writer_thread, &w), 0);
  for (int i = 0; i < 3000; i++) audit_read(&f->c, "person", i + 1, "/1/2/3/");
  audit_queue_flush();
  void *res = NULL;
  pthread_join(th, &res);
  assert_int_equal((intptr_t)res, 0);
  for (int i = 0; i < 500; i++) audit_read(&f->c, "person", i + 1, "/1/2/4/");
  audit_queue_stop();
  audit_queue_stop(); /* harmless */

  expect_rows(f, 7 + 200 + 3000 + 500);

  /* After stop, reads are written at once. */
  audit_read(&f->c, "person", 1, "/1/2/3/");
  expect_rows(f, 7 + 200 + 3000 + 500 + 1);

  /* Every queued read is there exactly once. */
  int n = 0;
  free(listed(&f->c, (AuditFilter){.entity = "person", .per_page = 10}, 3501, &n));

  /* The queue can be started again. */
  assert_int_equal(audit_queue_start(f->path, &e), ERR_OK);
  audit_read(&f->c, "person", 2, "/1/2/3/");
  audit_queue_stop();
  expect_rows(f, 7 + 200 + 3000 + 500 + 2);
}

static void test_read_in_open_transaction(void **state) {
  Fix *f = *state;
  build_tree(f);
  Err e;
  err_clear(&e);
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  audit_read(&f->c, "org", 1, "/1/");
  assert_true(db_in_transaction(f->db));
  assert_int_equal(db_commit(f->db, &e), ERR_OK);
  expect_rows(f, 8);
}

/* ---- listing ---- */

static void test_list_scope_and_filters(void **state) {
  Fix *f = *state;
  build_tree(f);
  OrgUnit s1;
  Err e;
  err_clear(&e);
  assert_int_equal(app_org_get(&f->c, "S1", &s1, &e), ERR_OK);
  audit_read(&f->c, "person", 10, "/1/2/3/");
  f->c.now_unix = T0 + 86400;
  snprintf(f->c.now_iso, sizeof f->c.now_iso, "2024-06-11T09:00:00+08:00");
  audit_read(&f->c, "person", 11, "/1/2/4/");
  audit_read(&f->c, "person", 12, "/1/5/6/");
  audit_read(&f->c, "person", 13, "/7/");

  /* A street office sees its street's subtree only. */
  Actor office = {0};
  snprintf(office.username, sizeof office.username, "office1");
  office.user_id = 42;
  office.role = ROLE_OFFICE;
  snprintf(office.org_path, sizeof office.org_path, "%s", s1.path);
  snprintf(office.address, sizeof office.address, "10.0.0.1");
  Ctx oc = f->c;
  oc.actor = &office;
  int n = 0;
  AuditFilter all = {0};
  AuditRow *r = listed(&oc, all, 5, &n); /* S1 create, M1 create, M2 create, and two reads under /1/2/ */
  assert_int_equal(n, 5);
  for (int i = 0; i < n; i++) assert_memory_equal(r[i].org_path, "/1/2/", 5);
  free(r);

  free(listed(&oc, (AuditFilter){.entity = "person"}, 2, &n));
  r = listed(&oc, (AuditFilter){.date = "2024-06-11"}, 1, &n);
  assert_int_equal(r[0].entity_id, 11);
  free(r);
  free(listed(&oc, (AuditFilter){.date = "2024-06", .actor = "cli"}, 5, &n));
  r = listed(&oc, (AuditFilter){.actor = "nobody"}, 0, &n);
  assert_int_equal(n, 0);
  assert_null(r);

  /* The whole tree for the command line, with paging. */
  r = listed(&f->c, (AuditFilter){.page = 2, .per_page = 4}, 11, &n);
  assert_int_equal(n, 4);
  assert_int_equal(r[0].id, 7);
  free(r);

  /* Bad filters. */
  AuditFilter bad = {.date = "2024/06", .per_page = 1000, .entity = "Person;"};
  int64_t total = 0;
  err_clear(&e);
  assert_int_equal(app_audit_list(&oc, &bad, &r, &n, &total, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "date"));
  assert_non_null(err_field_msg(&e, "per_page"));
  assert_non_null(err_field_msg(&e, "entity"));

  /* Without the right. */
  Actor worker = office;
  worker.role = ROLE_WORKER;
  Ctx wc = f->c;
  wc.actor = &worker;
  err_clear(&e);
  assert_int_equal(app_audit_list(&wc, &all, &r, &n, &total, &e), ERR_FORBIDDEN);
}

/* ---- org units ---- */

/* app_org_move of unit code under parent by c, with an Err of its own: its
 * code. */
static ErrCode org_move(Ctx *c, const char *code, const char *parent) {
  Err e;
  err_clear(&e);
  return app_org_move(c, code, parent, &e);
}

/* A context of an actor with role at the unit with this code (filled into
 * *a, which must outlive the context). */
static Ctx ctx_at(Fix *f, const char *code, Role role, Actor *a) {
  Err e;
  err_clear(&e);
  OrgUnit u;
  assert_int_equal(app_org_get(&f->c, code, &u, &e), ERR_OK);
  memset(a, 0, sizeof *a);
  snprintf(a->username, sizeof a->username, "u_%s", code);
  a->user_id = 50;
  a->role = role;
  snprintf(a->org_path, sizeof a->org_path, "%s", u.path);
  Ctx c = f->c;
  c.actor = a;
  return c;
}

/* The names of app_org_list's units joined by spaces, in its order. */
static void org_names(Ctx *c, char *out, size_t cap) {
  OrgUnit *u = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  assert_int_equal(app_org_list(c, &u, &n, &e), ERR_OK);
  out[0] = 0;
  for (int i = 0; i < n; i++) snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? " " : "", u[i].code);
  free(u);
}

/* The cached tree follows every change: through app/, by raw SQL on
 * another connection, and not a rolled-back one; two databases in one
 * process keep apart; the county list serves a unit deep in the tree. */
static void test_org_tree_cache(void **state) {
  Fix *f = *state;
  build_tree(f);
  char names[256];
  org_names(&f->c, names, sizeof names);
  assert_string_equal(names, "C1 S1 M1 M2 S2 M3 C2");
  Err e;
  assert_int_equal(org_move(&f->c, "M2", "S2"), ERR_OK);
  org_names(&f->c, names, sizeof names);
  assert_string_equal(names, "C1 S1 M1 S2 M2 M3 C2");
  /* another connection renames and adds */
  Db *other = NULL;
  assert_int_equal(db_open(&other, f->path, schema_migrate, &e), ERR_OK);
  assert_int_equal(db_exec(other, "UPDATE org_unit SET code = 'M1X' WHERE code = 'M1'", &e), ERR_OK);
  db_close(other);
  org_names(&f->c, names, sizeof names);
  assert_string_equal(names, "C1 S1 M1X S2 M2 M3 C2");
  /* a rolled-back insert leaves no trace, nor does listing inside it */
  assert_int_equal(db_begin(f->db, &e), ERR_OK);
  fix_app_org(&f->c, "ZZ", "撤销区", "county", NULL); /* (its transaction nests in this one) */
  org_names(&f->c, names, sizeof names);
  assert_non_null(strstr(names, "ZZ"));
  db_rollback(f->db);
  org_names(&f->c, names, sizeof names);
  assert_string_equal(names, "C1 S1 M1X S2 M2 M3 C2");
  /* a second database in the same process */
  Fix g;
  void *gs = NULL;
  fix_setup(&gs);
  g = *(Fix *)gs;
  fix_app_org(&g.c, "K1", "甲区", "county", NULL);
  org_names(&g.c, names, sizeof names);
  assert_string_equal(names, "K1");
  org_names(&f->c, names, sizeof names);
  assert_string_equal(names, "C1 S1 M1X S2 M2 M3 C2");
  fix_state_close(&gs);
  /* the county of a community worker: the whole county, not C2 */
  Actor worker;
  Ctx wc = ctx_at(f, "M3", ROLE_WORKER, &worker);
  OrgUnit *u = NULL;
  int n = 0;
  assert_int_equal(app_org_list_county(&wc, &u, &n, &e), ERR_OK);
  assert_int_equal(n, 6);
  assert_string_equal(u[0].code, "C1");
  free(u);
  assert_int_equal(app_org_list(&wc, &u, &n, &e), ERR_OK);
  assert_int_equal(n, 1);
  free(u);
}


static void test_org_rules(void **state) {
  Fix *f = *state;
  build_tree(f);
  Err e;
  OrgUnit o, m1, s1;
  err_clear(&e);
  assert_int_equal(app_org_get(&f->c, "M1", &m1, &e), ERR_OK);
  assert_int_equal(app_org_get(&f->c, "S1", &s1, &e), ERR_OK);
  assert_string_equal(m1.level, "community");
  assert_int_equal(m1.parent_id, s1.id);
  char want[300];
  snprintf(want, sizeof want, "%s%lld/", s1.path, (long long)m1.id);
  assert_string_equal(m1.path, want);
  assert_int_equal(m1.pop_registered, -1);

  err_clear(&e);
  assert_int_equal(app_org_add(&f->c, "bad code", "", "village", NULL, &o, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "code"));
  assert_non_null(err_field_msg(&e, "name"));
  assert_non_null(err_field_msg(&e, "level"));
  err_clear(&e);
  assert_int_equal(app_org_add(&f->c, "me", "我社区", "community", "S1", &o, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "code")); /* reserved: /work?org=me */
  err_clear(&e);
  assert_int_equal(app_org_add(&f->c, "M9", "九社区", "community", "C1", &o, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "parent")); /* a community's parent is a street */
  err_clear(&e);
  assert_int_equal(app_org_add(&f->c, "S9", "九街道", "street", NULL, &o, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(app_org_add(&f->c, "C9", "九区", "county", "C1", &o, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(app_org_add(&f->c, "S9", "九街道", "street", "NOPE", &o, &e), ERR_INVALID);
  err_clear(&e);
  char longname[62];
  memset(longname, 'a', 61);
  longname[61] = 0;
  assert_int_equal(app_org_add(&f->c, "S9", longname, "street", "C1", &o, &e), ERR_INVALID);

  /* A county admin: own subtree only, no new counties, no moving itself. */
  OrgUnit c1;
  assert_int_equal(app_org_get(&f->c, "C1", &c1, &e), ERR_OK);
  Actor admin = {0};
  snprintf(admin.username, sizeof admin.username, "admin1");
  admin.user_id = 7;
  admin.role = ROLE_ADMIN;
  snprintf(admin.org_path, sizeof admin.org_path, "%s", c1.path);
  Ctx ac = f->c;
  ac.actor = &admin;
  err_clear(&e);
  assert_int_equal(app_org_add(&ac, "C3", "三区", "county", NULL, &o, &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_org_add(&ac, "S4", "四街道", "street", "C1", &o, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_org_add(&ac, "S5", "五街道", "street", "C2", &o, &e), ERR_INVALID); /* C2 not in scope */
  err_clear(&e);
  assert_int_equal(app_org_get(&ac, "C2", &o, &e), ERR_NOT_FOUND);
  OrgUnit *list = NULL;
  int n = 0;
  assert_int_equal(app_org_list(&ac, &list, &n, &e), ERR_OK);
  assert_int_equal(n, 7); /* C1 S1 M1 M2 S2 M3 S4 */
  assert_string_equal(list[0].code, "C1");
  for (int i = 1; i < n; i++) assert_true(strcmp(list[i - 1].path, list[i].path) < 0);
  free(list);
  err_clear(&e);
  assert_int_equal(app_org_rename(&ac, "C2", "改名", &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_org_rename(&ac, "S1", "第一街道", &e), ERR_OK);
  assert_int_equal(app_org_get(&ac, "S1", &o, &e), ERR_OK);
  assert_string_equal(o.name, "第一街道");
  assert_int_equal(org_move(&ac, "C1", "S1"), ERR_INVALID);

  /* Offices hold no org right. */
  Actor office = admin;
  office.role = ROLE_OFFICE;
  snprintf(office.org_path, sizeof office.org_path, "%s", s1.path);
  Ctx oc = f->c;
  oc.actor = &office;
  err_clear(&e);
  assert_int_equal(app_org_add(&oc, "M8", "八社区", "community", "S1", &o, &e), ERR_FORBIDDEN);

  expect_rows(f, 9); /* 7 + S4 + rename */
}

/* Text of a one-value query. */
static void query_text(Fix *f, const char *sql, char *out, size_t n) {
  Err e;
  err_clear(&e);
  DbStmt *st = db_prepare(f->db, sql, &e);
  assert_non_null(st);
  assert_int_equal(db_step(st, &e), DB_ROW);
  snprintf(out, n, "%s", db_col_text(st, 0));
  db_finalize(st);
}

static void test_org_move(void **state) {
  Fix *f = *state;
  build_tree(f);
  Err e;
  err_clear(&e);
  OrgUnit s1, s2, m1, m3, c2;
  assert_int_equal(app_org_get(&f->c, "S1", &s1, &e), ERR_OK);
  assert_int_equal(app_org_get(&f->c, "S2", &s2, &e), ERR_OK);
  assert_int_equal(app_org_get(&f->c, "M1", &m1, &e), ERR_OK);
  assert_int_equal(app_org_get(&f->c, "M3", &m3, &e), ERR_OK);
  assert_int_equal(app_org_get(&f->c, "C2", &c2, &e), ERR_OK);
  char sql[1200];
  snprintf(sql, sizeof sql,
           "INSERT INTO person(org_id, org_path, name, sex, id_number, birth_date, created_at, updated_at) VALUES "
           "(%lld, '%s', '甲', 'M', '110101199003070000', '1990-03-07', 'x', 'x'),"
           "(%lld, '%s', '乙', 'F', '110101199003070001', '1990-03-07', 'x', 'x')",
           (long long)m1.id, m1.path, (long long)m3.id, m3.path);
  raw(f, sql);

  /* Move street S1 (with M1, M2 and M1's person) from C1 to C2. */
  assert_int_equal(org_move(&f->c, "S1", "C2"), ERR_OK);
  OrgUnit o;
  assert_int_equal(app_org_get(&f->c, "S1", &o, &e), ERR_OK);
  char want[300];
  snprintf(want, sizeof want, "%s%lld/", c2.path, (long long)s1.id);
  assert_string_equal(o.path, want);
  assert_int_equal(o.parent_id, c2.id);
  assert_int_equal(app_org_get(&f->c, "M1", &o, &e), ERR_OK);
  char want_m1[320];
  snprintf(want_m1, sizeof want_m1, "%s%lld/", want, (long long)m1.id);
  assert_string_equal(o.path, want_m1);
  char got[300];
  query_text(f, "SELECT org_path FROM person WHERE name = '甲'", got, sizeof got);
  assert_string_equal(got, want_m1);
  query_text(f, "SELECT org_path FROM person WHERE name = '乙'", got, sizeof got);
  assert_string_equal(got, m3.path); /* untouched */
  assert_int_equal(app_org_get(&f->c, "M3", &o, &e), ERR_OK);
  assert_string_equal(o.path, m3.path);

  /* Children now. */
  OrgUnit *kids = NULL;
  int n = 0;
  assert_int_equal(store_org_children(f->db, c2.id, &kids, &n, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(kids[0].code, "S1");
  free(kids);

  /* Wrong levels and own subtree. */
  assert_int_equal(org_move(&f->c, "M1", "C1"), ERR_INVALID);
  assert_int_equal(org_move(&f->c, "S1", "M1"), ERR_INVALID);
  assert_int_equal(org_move(&f->c, "C1", "C2"), ERR_INVALID);
  assert_int_equal(org_move(&f->c, "M1", "S2"), ERR_OK);
  assert_int_equal(app_org_get(&f->c, "M1", &o, &e), ERR_OK);
  snprintf(want_m1, sizeof want_m1, "%s%lld/", s2.path, (long long)m1.id);
  assert_string_equal(o.path, want_m1);
  query_text(f, "SELECT org_path FROM person WHERE name = '甲'", got, sizeof got);
  assert_string_equal(got, want_m1);
  assert_int_equal(org_move(&f->c, "M1", "S2"), ERR_OK); /* already there */

  expect_rows(f, 9);
}

/* true when an office of the unit with this code lists the audit row about
 * person entity_id. */
static bool office_sees(Fix *f, const char *code, int64_t entity_id) {
  Err e;
  err_clear(&e);
  Actor office;
  Ctx oc = ctx_at(f, code, ROLE_OFFICE, &office);
  AuditRow *r = NULL;
  int n = 0;
  int64_t total = 0;
  AuditFilter all = {.entity = "person", .per_page = 200};
  assert_int_equal(app_audit_list(&oc, &all, &r, &n, &total, &e), ERR_OK);
  bool seen = false;
  for (int i = 0; i < n; i++) seen = seen || r[i].entity_id == entity_id;
  free(r);
  return seen;
}

/* build_tree, then a read of person entity_id recorded in M1 (under S1
 * under C1). */
static void tree_with_read_in_m1(Fix *f, int64_t entity_id) {
  build_tree(f);
  Err e;
  err_clear(&e);
  OrgUnit m1;
  assert_int_equal(app_org_get(&f->c, "M1", &m1, &e), ERR_OK);
  audit_read(&f->c, "person", entity_id, m1.path);
}

/* A unit's audit rows keep the path they were written under (it is part of
 * their hash); the office the unit moves to sees them as well, through
 * every later move, and the office it left keeps seeing its own time. */
static void test_audit_follows_moves(void **state) {
  Fix *f = *state;
  tree_with_read_in_m1(f, 99);
  Err e;
  err_clear(&e);
  assert_true(office_sees(f, "S1", 99));
  assert_false(office_sees(f, "S2", 99));
  assert_int_equal(org_move(&f->c, "M1", "S2"), ERR_OK);
  assert_true(office_sees(f, "S2", 99));
  assert_true(office_sees(f, "M1", 99));
  assert_true(office_sees(f, "S1", 99)); /* written while M1 was S1's */
  assert_false(office_sees(f, "M3", 99));
  /* the whole street S2 (with M1) moves to county C2 */
  assert_int_equal(org_move(&f->c, "S2", "C2"), ERR_OK);
  assert_true(office_sees(f, "C2", 99));
  assert_true(office_sees(f, "S2", 99));
  assert_true(office_sees(f, "M1", 99));
  assert_false(office_sees(f, "M3", 99));
  /* and nothing of it breaks the chain */
  int64_t rows = 0;
  assert_int_equal(verify(f, &rows, NULL), ERR_OK);
}

/* A unit whose parent moved still sees its own earlier rows, and keeps
 * them when it moves again on its own (moves of moves). */
static void test_audit_follows_moves_of_moves(void **state) {
  Fix *f = *state;
  tree_with_read_in_m1(f, 77);
  fix_app_org(&f->c, "S3", "三街道", "street", "C2");
  assert_int_equal(org_move(&f->c, "S1", "C2"), ERR_OK); /* the street moves, M1 with it */
  assert_true(office_sees(f, "M1", 77));
  assert_true(office_sees(f, "S1", 77));
  assert_true(office_sees(f, "C2", 77));
  assert_int_equal(org_move(&f->c, "M1", "S3"), ERR_OK); /* then M1 alone, to S3 */
  assert_true(office_sees(f, "M1", 77));
  assert_true(office_sees(f, "S3", 77));
  assert_true(office_sees(f, "S1", 77)); /* written while M1 was S1's */
  assert_false(office_sees(f, "M2", 77));
  assert_false(office_sees(f, "S2", 77));
}

/* A person's name for a viewer who may not see the person: its first
 * character and **, whatever its script. */
static void test_name_mask(void **state) {
  (void)state;
  char out[16];
  audit_name_mask("张三", out, sizeof out);
  assert_string_equal(out, "张**");
  audit_name_mask("欧阳娜娜", out, sizeof out);
  assert_string_equal(out, "欧**");
  audit_name_mask("Li", out, sizeof out);
  assert_string_equal(out, "L**");
  audit_name_mask("", out, sizeof out);
  assert_string_equal(out, "");
  audit_name_mask(NULL, out, sizeof out);
  assert_string_equal(out, "");
  audit_name_mask("\xe5\xbc", out, sizeof out); /* a cut character stays cut */
  assert_string_equal(out, "\xe5\xbc**");
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_chain_ok),
    cmocka_unit_test(test_tampered_detail),
    cmocka_unit_test(test_tampered_other_columns),
    cmocka_unit_test(test_deleted_middle_row),
    cmocka_unit_test(test_deleted_last_row),
    cmocka_unit_test(test_deleted_last_rows_and_head_rewound),
    cmocka_unit_test(test_inserted_row),
    cmocka_unit_test(test_write_needs_transaction_and_rolls_back),
    cmocka_unit_test(test_read_queue),
    cmocka_unit_test(test_read_in_open_transaction),
    cmocka_unit_test(test_list_scope_and_filters),
    cmocka_unit_test(test_org_rules),
    cmocka_unit_test(test_org_tree_cache),
    cmocka_unit_test(test_org_move),
    cmocka_unit_test(test_audit_follows_moves),
    cmocka_unit_test(test_audit_follows_moves_of_moves),
    cmocka_unit_test(test_name_mask),
  };
  return FIX_RUN(tests, fix_setup, fix_state_close);
}
