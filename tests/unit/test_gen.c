/* tests/unit/test_gen.c: cmocka tests of synthetic data and of the derived-
 * field check: `jindu gen` (app/gen.c) is deterministic, writes valid and
 * unique ID numbers and consistent histories, can run twice on one
 * database; `jindu doctor` (app/doctor.c) finds nothing on generated data
 * and exactly the fields that were corrupted; the demo district
 * (app/demo.c) fills a fresh database through the use cases; the current-
 * episode rule of core/derived.c handles corrections. Databases are
 * temporary files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/auth.h"
#include "app/demo.h"
#include "app/doctor.h"
#include "app/gen.h"
#include "core/derived.h"
#include "core/idcard.h"
#include "core/status.h"
#include "store/gen.h"
#include "store/person.h"

/* A temporary database with a command-line context. */
typedef struct TestDb {
  char dir[64];
  char path[96];
  Db *db;
  Actor actor;
  Ctx c;
} TestDb;

/* Creates and opens a fresh database in a new temporary directory. */
static void tdb_open(TestDb *t) {
  snprintf(t->dir, sizeof t->dir, "/tmp/jindu-test-gen-XXXXXX");
  assert_non_null(mkdtemp(t->dir));
  snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
  Err e;
  err_clear(&e);
  assert_int_equal(db_open(&t->db, t->path, &e), DB_OK);
  actor_cli(&t->actor);
  ctx_init(&t->c, t->db, &t->actor);
}

/* Closes the database and removes its files. */
static void tdb_close(TestDb *t) {
  db_close(t->db);
  char f[128];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(f, sizeof f, "%s%s", t->path, suffix[i]);
    unlink(f);
  }
  rmdir(t->dir);
}

/* Runs gen and asserts success. */
static void tdb_gen(TestDb *t, int64_t n, uint64_t seed, GenReport *r) {
  Err e;
  err_clear(&e);
  int rc = app_gen_run(&t->c, n, seed, GEN_HISTORY_DEFAULT, r, &e);
  if (rc != ERR_OK) fail_msg("gen: %s", e.msg ? e.msg : "?");
  assert_int_equal(r->persons, n);
}

/* The checksum of the generated content. */
static uint64_t tdb_checksum(TestDb *t) {
  Err e;
  err_clear(&e);
  uint64_t sum = 0;
  int64_t rows = 0;
  assert_int_equal(store_gen_checksum(t->db, &sum, &rows, &e), ERR_OK);
  assert_true(rows > 0);
  return sum;
}

/* Differences collected by the doctor's report callback. */
typedef struct Seen {
  int n;
  int64_t person[8];
  char field[8][32];
} Seen;

static void seen_add(void *arg, const DoctorDiff *d) {
  Seen *s = arg;
  if (s->n < 8) {
    s->person[s->n] = d->person_id;
    snprintf(s->field[s->n], sizeof s->field[s->n], "%s", d->field);
  }
  s->n++;
}

/* Runs the doctor; returns its report, the differences in *seen. */
static DoctorReport tdb_doctor(TestDb *t, Seen *seen) {
  Err e;
  err_clear(&e);
  DoctorReport r;
  memset(seen, 0, sizeof *seen);
  assert_int_equal(app_doctor_run(&t->c, seen_add, seen, &r, &e), ERR_OK);
  return r;
}

/* Every person in the database (scope "/"), at most max. *n rows. */
static PersonListRow *tdb_persons(TestDb *t, int64_t max, int *n) {
  Err e;
  err_clear(&e);
  PersonListFilter f = {.scope = "/", .limit = max, .offset = 0};
  PersonListRow *rows = NULL;
  int64_t total = 0;
  assert_int_equal(store_person_list(t->db, &f, &rows, n, &total, &e), ERR_OK);
  assert_int_equal(total, *n);
  return rows;
}

static int cmp_id_number(const void *a, const void *b) {
  return strcmp(((const PersonListRow *)a)->id_number, ((const PersonListRow *)b)->id_number);
}

/* Asserts that every ID number is valid, matches the sex and is unique. */
static void assert_ids_valid(PersonListRow *rows, int n) {
  for (int i = 0; i < n; i++) {
    IdcardInfo info;
    if (idcard_validate(rows[i].id_number, &info) != IDCARD_OK) fail_msg("invalid ID %s", rows[i].id_number);
    assert_int_equal(info.sex, rows[i].sex[0]);
  }
  qsort(rows, (size_t)n, sizeof *rows, cmp_id_number);
  for (int i = 1; i < n; i++)
    if (strcmp(rows[i - 1].id_number, rows[i].id_number) == 0) fail_msg("duplicate ID %s", rows[i].id_number);
}

/* Same seed, same data (whatever the clock); another seed, other data. */
static void test_gen_deterministic(void **state) {
  (void)state;
  TestDb a, b, c;
  GenReport r;
  tdb_open(&a);
  tdb_open(&b);
  tdb_open(&c);
  b.c.now_unix += 3600; /* a different clock must not matter */
  snprintf(b.c.now_iso, sizeof b.c.now_iso, "2027-01-02T03:04:05+08:00");
  tdb_gen(&a, 2000, 42, &r);
  assert_int_equal(r.first_id, 1);
  assert_int_equal(r.last_id, 2000);
  assert_true(r.episodes >= 2000 && r.help_members >= 2000);
  tdb_gen(&b, 2000, 42, &r);
  tdb_gen(&c, 2000, 43, &r);
  uint64_t sa = tdb_checksum(&a), sb = tdb_checksum(&b), sc = tdb_checksum(&c);
  assert_true(sa == sb);
  assert_true(sa != sc);
  tdb_close(&a);
  tdb_close(&b);
  tdb_close(&c);
}

/* Valid unique IDs; the doctor is clean; one corrupted status is exactly
 * one difference, on that person and field; a second run adds persons
 * with fresh ids and IDs; the audit chain holds. */
static void test_gen_ids_doctor_and_rerun(void **state) {
  (void)state;
  TestDb t;
  GenReport r;
  Seen seen;
  tdb_open(&t);
  tdb_gen(&t, 2000, 7, &r);
  int n;
  PersonListRow *rows = tdb_persons(&t, 10000, &n);
  assert_int_equal(n, 2000);
  assert_ids_valid(rows, n);
  free(rows);

  DoctorReport d = tdb_doctor(&t, &seen);
  assert_int_equal(d.persons, 2000);
  assert_true(d.episodes >= 2000);
  assert_int_equal(d.differences, 0);
  assert_int_equal(seen.n, 0);

  Err e;
  err_clear(&e);
  assert_int_equal(db_exec(t.db, "UPDATE person SET status = 'corrupted' WHERE id = 17", &e), DB_OK);
  d = tdb_doctor(&t, &seen);
  assert_int_equal(d.differences, 1);
  assert_int_equal(d.persons_differing, 1);
  assert_int_equal(seen.n, 1);
  assert_int_equal(seen.person[0], 17);
  assert_string_equal(seen.field[0], "status");

  assert_int_equal(db_exec(t.db, "UPDATE person SET status_since = '1999-01-01' WHERE id = 1500", &e), DB_OK);
  d = tdb_doctor(&t, &seen);
  assert_int_equal(d.differences, 2);
  assert_int_equal(seen.person[1], 1500);
  assert_string_equal(seen.field[1], "status_since");

  /* Repair by hand (raw SQL, as the corruption was), then run gen again. */
  assert_int_equal(db_exec(t.db,
                           "UPDATE person SET status = (SELECT status FROM status_episode e WHERE e.person_id = 17"
                           " ORDER BY id DESC LIMIT 1) WHERE id = 17;"
                           "UPDATE person SET status_since = (SELECT coalesce(start_date, decision_date) FROM"
                           " status_episode e WHERE e.person_id = 1500 ORDER BY id DESC LIMIT 1) WHERE id = 1500",
                           &e),
                   DB_OK);
  assert_int_equal(tdb_doctor(&t, &seen).differences, 0);
  tdb_gen(&t, 2000, 7, &r);
  assert_int_equal(r.first_id, 2001);
  assert_int_equal(r.last_id, 4000);
  assert_int_equal(r.units_created, 0);
  rows = tdb_persons(&t, 10000, &n);
  assert_int_equal(n, 4000);
  assert_ids_valid(rows, n);
  free(rows);
  assert_int_equal(tdb_doctor(&t, &seen).differences, 0);

  int64_t checked = 0, bad = 0;
  assert_int_equal(audit_verify(t.db, &checked, &bad, &e), ERR_OK);
  assert_int_equal(checked, 2); /* one summary row per run */
  tdb_close(&t);
}

/* Out-of-range sizes and actors without the whole database are refused. */
static void test_gen_refusals(void **state) {
  (void)state;
  TestDb t;
  GenReport r;
  Err e;
  tdb_open(&t);
  err_clear(&e);
  assert_int_equal(app_gen_run(&t.c, 0, 1, 8, &r, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(app_gen_run(&t.c, GEN_PERSONS_MAX + 1, 1, 8, &r, &e), ERR_INVALID);
  Actor viewer = t.actor;
  viewer.role = ROLE_VIEWER;
  Ctx vc = t.c;
  vc.actor = &viewer;
  err_clear(&e);
  assert_int_equal(app_gen_run(&vc, 10, 1, 8, &r, &e), ERR_FORBIDDEN);
  DoctorReport d;
  err_clear(&e);
  assert_int_equal(app_doctor_run(&vc, NULL, NULL, &d, &e), ERR_FORBIDDEN);
  tdb_close(&t);
}

/* Histories follow the state machine, with ordered dates up to ref. */
static void test_gen_history_consistent(void **state) {
  (void)state;
  Day ref = gen_reference_day();
  Day from = date_from_ymd(2005, 1, 1);
  int counts[ST__COUNT] = {0};
  for (uint64_t k = 0; k < 20000; k++) {
    GenRng r;
    gen_rng_init(&r, 99, k);
    Day found = from + (Day)gen_rng_below(&r, (uint32_t)(ref - from + 1));
    int max = 1 + (int)(k % 6);
    GenEpisode h[GEN_HISTORY_MAX];
    int n = gen_history(&r, found, ref, max, h);
    assert_true(n >= 1 && n <= max + 2);
    Status prev = ST_NONE;
    Day last = 0;
    for (int i = 0; i < n; i++) {
      if (!status_transition_allowed(prev, h[i].status))
        fail_msg("%s -> %s", status_code(prev), status_code(h[i].status));
      assert_true(h[i].decision >= found && h[i].decision <= ref);
      if (i > 0) assert_true(h[i].decision > last);
      if (h[i].has_start) {
        assert_true(h[i].start >= h[i].decision && h[i].start <= ref);
        last = h[i].start;
      } else {
        assert_true(i == n - 1 && status_is_community_order(h[i].status));
        last = h[i].decision;
      }
      prev = h[i].status;
    }
    counts[prev]++;
  }
  /* Every status occurs as a current status. */
  for (int s = 1; s < ST__COUNT; s++)
    if (counts[s] == 0) fail_msg("no person ends in %s", status_code((Status)s));
}

/* The ID number helper writes valid numbers with the right sex. */
static void test_gen_id_number(void **state) {
  (void)state;
  char id[IDCARD_MASKED_LEN];
  IdcardInfo info;
  gen_id_number("420111", date_from_ymd(1988, 9, 14), 245, id);
  assert_int_equal(idcard_validate(id, &info), IDCARD_OK);
  assert_int_equal(info.sex, 'M');
  assert_int_equal(info.birth, date_from_ymd(1988, 9, 14));
  assert_memory_equal(id, "42011119880914245", 17);
  gen_id_number("420111", date_from_ymd(2002, 12, 31), 998, id);
  assert_int_equal(idcard_validate(id, &info), IDCARD_OK);
  assert_int_equal(info.sex, 'F');
}

/* The current-episode rule: the last row; a correction of an older row
 * does not make it current; a correction of the last row replaces it; a
 * row corrected twice keeps the later correction; since falls back from
 * start to decision to the recording day. */
static void test_derived_status(void **state) {
  (void)state;
  char st[DERIVED_STATUS_LEN], since[DATE_ISO_LEN];
  derived_status(NULL, 0, st, since);
  assert_string_equal(st, "");
  assert_string_equal(since, "");

  DerivedEpisode e[5] = {
    {10, 0, "community_detox", "2021-03-01", "2021-03-05", "2021-03-06T10:00:00+08:00"},
    {11, 0, "compulsory_isolation", "2022-05-01", "", "2022-05-02T10:00:00+08:00"},
  };
  derived_status(e, 2, st, since);
  assert_string_equal(st, "compulsory_isolation");
  assert_string_equal(since, "2022-05-01");
  /* Correct the first episode's start: isolation stays current. */
  e[2] = (DerivedEpisode){12, 10, "community_detox", "2021-03-01", "2021-03-04", "2023-01-01T09:00:00+08:00"};
  assert_int_equal(derived_current_episode(e, 3), 1);
  /* Correct the isolation itself (no dates at all): the correction is current. */
  e[3] = (DerivedEpisode){13, 11, "compulsory_isolation", "", "", "2023-02-03T09:00:00+08:00"};
  derived_status(e, 4, st, since);
  assert_string_equal(st, "compulsory_isolation");
  assert_string_equal(since, "2023-02-03");
  /* Correct the isolation once more (row 11 again is refused by the app,
   * but the rule is defined): the later correction wins. */
  e[4] = (DerivedEpisode){14, 11, "social_supervision", "2022-05-01", NULL, NULL};
  assert_int_equal(derived_current_episode(e, 5), 4);
}

/* The demo district: fills a fresh database, passes the doctor and the
 * audit check, and refuses to run twice. */
static void test_demo_fill(void **state) {
  (void)state;
  TestDb t;
  Seen seen;
  tdb_open(&t);
  Err e;
  err_clear(&e);
  int rc = demo_fill(&t.c, &e);
  if (rc != ERR_OK)
    fail_msg("demo_fill: %s %s %s", e.msg ? e.msg : "?", e.nfields ? e.fields[0].field : "",
             e.nfields ? e.fields[0].msg : "");
  int n;
  PersonListRow *rows = tdb_persons(&t, 100000, &n);
  assert_true(n >= 250);
  assert_ids_valid(rows, n);
  free(rows);
  DoctorReport d = tdb_doctor(&t, &seen);
  assert_int_equal(d.persons, n);
  assert_true(d.episodes >= n);
  assert_int_equal(d.differences, 0);
  int64_t checked = 0, bad = 0;
  assert_int_equal(audit_verify(t.db, &checked, &bad, &e), ERR_OK);
  assert_true(checked > n);
  uint64_t before = tdb_checksum(&t);
  err_clear(&e);
  assert_int_equal(demo_fill(&t.c, &e), ERR_CONFLICT);
  assert_true(tdb_checksum(&t) == before);
  tdb_close(&t);
}

int main(void) {
  if (auth_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_gen_id_number),
    cmocka_unit_test(test_gen_history_consistent),
    cmocka_unit_test(test_derived_status),
    cmocka_unit_test(test_gen_deterministic),
    cmocka_unit_test(test_gen_ids_doctor_and_rerun),
    cmocka_unit_test(test_gen_refusals),
    cmocka_unit_test(test_demo_fill),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
