/* tests/unit/test_gen.c: cmocka tests of synthetic data and of the derived-
 * field check: `jindu gen` (app/gen.c) is deterministic (status and
 * supervision histories alike), writes valid and unique ID numbers and
 * consistent histories, about --history talks and tests a person, can run
 * twice on one database; the simulated supervision histories are in order
 * and within their runs; `jindu doctor` (app/doctor.c and the supervision
 * check) finds nothing on generated data and exactly the fields that were
 * corrupted; the demo district (app/demo.c) fills a fresh database through
 * the use cases, with a work list that shows every case; the current-
 * episode rule of core/derived.c handles corrections. Databases are
 * temporary files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/auth.h"
#include "app/demo.h"
#include "app/doctor.h"
#include "app/supervision_doctor.h"
#include "app/gen.h"
#include "app/supervision.h"
#include "core/derived.h"
#include "core/idcard.h"
#include "core/status.h"
#include "store/gen.h"
#include "store/person.h"
#include "tests/unit/fixture.h"

/* Runs gen with `history` talks and tests a person and asserts success. */
static void tdb_gen_history(Fix *t, int64_t n, uint64_t seed, int history, GenReport *r) {
  Err e;
  err_clear(&e);
  int rc = app_gen_run(&t->c, n, seed, history, r, &e);
  if (rc != ERR_OK) fail_msg("gen: %s", e.msg ? e.msg : "?");
  assert_int_equal(r->persons, n);
}

/* Talks and tests a person in the tests (whatever the command's default). */
#define TEST_HISTORY 8

/* Runs gen with TEST_HISTORY. */
static void tdb_gen(Fix *t, int64_t n, uint64_t seed, GenReport *r) {
  tdb_gen_history(t, n, seed, TEST_HISTORY, r);
}

/* The checksum of the generated content. */
static uint64_t tdb_checksum(Fix *t) {
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
static DoctorReport tdb_doctor(Fix *t, Seen *seen) {
  Err e;
  err_clear(&e);
  DoctorReport r;
  memset(seen, 0, sizeof *seen);
  assert_int_equal(app_doctor_run(&t->c, seen_add, seen, &r, &e), ERR_OK);
  return r;
}

/* Every person in the database (scope "/"), at most max. *n rows. */
static PersonListRow *tdb_persons(Fix *t, int64_t max, int *n) {
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
  Fix a, b, c;
  GenReport r;
  fix_open(&a, "gen");
  fix_open(&b, "gen");
  fix_open(&c, "gen");
  b.c.now_unix += 3600; /* a different clock must not matter */
  snprintf(b.c.now_iso, sizeof b.c.now_iso, "2027-01-02T03:04:05+08:00");
  tdb_gen(&a, 2000, 42, &r);
  assert_int_equal(r.first_id, 1);
  assert_int_equal(r.last_id, 2000);
  assert_true(r.episodes >= 2000 && r.help_members >= 2000);
  /* About TEST_HISTORY talks and tests a person, as the rows say. */
  assert_true(r.visits + r.tests >= 2000 * (TEST_HISTORY - 2) && r.visits + r.tests <= 2000 * (TEST_HISTORY + 2));
  assert_int_equal(fix_int(a.db, "SELECT count(*) FROM visit"), r.visits);
  assert_int_equal(fix_int(a.db, "SELECT count(*) FROM drug_test"), r.tests);
  assert_int_equal(fix_int(a.db, "SELECT count(*) FROM person_event"), r.events);
  assert_true(fix_int(a.db, "SELECT count(*) FROM person WHERE next_test_due IS NOT NULL") > 200);
  GenReport rb;
  tdb_gen(&b, 2000, 42, &rb);
  assert_int_equal(rb.visits, r.visits);
  assert_int_equal(rb.tests, r.tests);
  assert_int_equal(rb.events, r.events);
  tdb_gen(&c, 2000, 43, &r);
  /* The checksum covers the supervision rows and every derived column. */
  uint64_t sa = tdb_checksum(&a), sb = tdb_checksum(&b), sc = tdb_checksum(&c);
  assert_true(sa == sb);
  assert_true(sa != sc);
  fix_close(&a);
  fix_close(&b);
  fix_close(&c);
}

/* Valid unique IDs; the doctor is clean; one corrupted status is exactly
 * one difference, on that person and field; a second run adds persons
 * with fresh ids and IDs; the audit chain holds. */
static void test_gen_ids_doctor_and_rerun(void **state) {
  Fix *t = *state;
  GenReport r;
  Seen seen;
  tdb_gen(t, 2000, 7, &r);
  int n;
  PersonListRow *rows = tdb_persons(t, 10000, &n);
  assert_int_equal(n, 2000);
  assert_ids_valid(rows, n);
  free(rows);

  DoctorReport d = tdb_doctor(t, &seen);
  assert_int_equal(d.persons, 2000);
  assert_true(d.episodes >= 2000);
  assert_int_equal(d.differences, 0);
  assert_int_equal(seen.n, 0);

  Err e;
  err_clear(&e);
  assert_int_equal(db_exec(t->db, "UPDATE person SET status = 'corrupted' WHERE id = 17", &e), ERR_OK);
  d = tdb_doctor(t, &seen);
  assert_int_equal(d.differences, 1);
  assert_int_equal(d.persons_differing, 1);
  assert_int_equal(seen.n, 1);
  assert_int_equal(seen.person[0], 17);
  assert_string_equal(seen.field[0], "status");

  assert_int_equal(db_exec(t->db, "UPDATE person SET status_since = '1999-01-01' WHERE id = 1500", &e), ERR_OK);
  d = tdb_doctor(t, &seen);
  assert_int_equal(d.differences, 2);
  assert_int_equal(seen.person[1], 1500);
  assert_string_equal(seen.field[1], "status_since");

  /* Repair by hand (raw SQL, as the corruption was), then run gen again. */
  assert_int_equal(db_exec(t->db,
                           "UPDATE person SET status = (SELECT status FROM status_episode e WHERE e.person_id = 17"
                           " ORDER BY id DESC LIMIT 1) WHERE id = 17;"
                           "UPDATE person SET status_since = (SELECT coalesce(start_date, decision_date) FROM"
                           " status_episode e WHERE e.person_id = 1500 ORDER BY id DESC LIMIT 1) WHERE id = 1500",
                           &e),
                   ERR_OK);
  assert_int_equal(tdb_doctor(t, &seen).differences, 0);

  /* A due date is a derived field too: one corrupted next_test_due is
   * exactly one more difference, on that person and field. */
  int64_t due_id = fix_int(t->db, "SELECT min(id) FROM person WHERE next_test_due IS NOT NULL AND id > 17");
  assert_true(due_id > 17 && due_id != 1500);
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE person SET next_test_due = '1999-01-01' WHERE id = %lld", (long long)due_id);
  assert_int_equal(db_exec(t->db, sql, &e), ERR_OK);
  d = tdb_doctor(t, &seen);
  assert_int_equal(d.differences, 1);
  assert_int_equal(seen.n, 1);
  assert_int_equal(seen.person[0], due_id);
  assert_string_equal(seen.field[0], "next_test_due");
  /* Set back through the one computation (as `jindu doctor` repairs would). */
  int64_t persons = 0, changed = 0;
  assert_int_equal(supervision_recompute_all(t->db, t->c.today, t->c.now_iso, &persons, &changed, &e), ERR_OK);
  assert_int_equal(changed, 1);
  assert_int_equal(tdb_doctor(t, &seen).differences, 0);

  tdb_gen(t, 2000, 7, &r);
  assert_int_equal(r.first_id, 2001);
  assert_int_equal(r.last_id, 4000);
  assert_int_equal(r.units_created, 0);
  rows = tdb_persons(t, 10000, &n);
  assert_int_equal(n, 4000);
  assert_ids_valid(rows, n);
  free(rows);
  assert_int_equal(tdb_doctor(t, &seen).differences, 0);

  int64_t checked = 0, bad = 0;
  assert_int_equal(audit_verify(t->db, &checked, &bad, &e), ERR_OK);
  assert_int_equal(checked, 2); /* one summary row per run */
}

/* --history sets the volume: none at 0 (the derived fields still come from
 * the status history and the events), about 30 a person at 30; the doctor
 * is clean either way. */
static void test_gen_history_volume(void **state) {
  Fix *t = *state;
  GenReport r;
  Seen seen;
  tdb_gen_history(t, 1000, 5, 0, &r);
  assert_int_equal(r.visits + r.tests, 0);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM visit") + fix_int(t->db, "SELECT count(*) FROM drug_test"), 0);
  assert_int_equal(tdb_doctor(t, &seen).differences, 0);
  tdb_gen_history(t, 1000, 5, 30, &r);
  double avg = (double)(r.visits + r.tests) / 1000.0;
  if (avg < 25 || avg > 35) fail_msg("--history 30 gave %.1f talks and tests a person", avg);
  assert_int_equal(tdb_doctor(t, &seen).differences, 0);
  /* Positive tests came with what app_test_add writes. */
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM drug_test WHERE result = 'positive' AND person_id > 1000"),
                   fix_int(t->db, "SELECT count(*) FROM person_event WHERE kind = 'relapse' AND person_id > 1000"));
  Err e;
  err_clear(&e);
  assert_int_equal(app_gen_run(&t->c, 10, 1, GEN_CONTACTS_MAX + 1, &r, &e), ERR_INVALID);
}

/* Simulated supervision histories: contacts in date order, within a run
 * of a supervised status that has started, on or before ref; a kept part
 * (keep_from, extra_keep) is exactly the full history filtered. */
static void test_gen_sup_simulate(void **state) {
  (void)state;
  Day ref = gen_reference_day();
  const ScheduleRule *rule = schedule_preset_by_code("default");
  GenSup full = {0}, part = {0};
  int64_t contacts = 0, positives = 0, tests = 0;
  for (uint64_t k = 0; k < 3000; k++) {
    GenRng r;
    gen_rng_init(&r, 77, k);
    Day found = date_from_ymd(2008, 1, 1) + (Day)gen_rng_below(&r, (uint32_t)(ref - date_from_ymd(2008, 1, 1)));
    GenEpisode h[GEN_HISTORY_MAX];
    int n = gen_history(&r, found, ref, 1 + (int)(k % 4), h);
    GenSupPerson p = {k % 3 ? "methamphetamine" : "heroin,methamphetamine", (int)(k % 4), k % 5 != 0};
    GenRng a = r, b = r;
    gen_sup_clear(&full);
    gen_sup_clear(&part);
    gen_sup_simulate(&a, h, n, ref, rule, &p, date_from_ymd(2008, 1, 1), 65536, &full);
    Day keep = ref - 400;
    gen_sup_simulate(&b, h, n, ref, rule, &p, keep, 20000, &part);
    int j = 0;
    for (int i = 0; i < full.ncontacts; i++) {
      const GenContact *x = &full.contacts[i];
      assert_true(x->date <= ref);
      if (i > 0) assert_true(x->date >= full.contacts[i - 1].date);
      /* in a run: some episode of a supervised status started on or before it */
      bool in_run = false;
      for (int q = 0; q < n; q++)
        if (h[q].has_start && h[q].start <= x->date && (q + 1 == n || h[q + 1].decision > x->date) &&
            (h[q].status == ST_COMMUNITY_DETOX || h[q].status == ST_COMMUNITY_REHAB ||
             h[q].status == ST_SOCIAL_SUPERVISION || h[q].status == ST_DETAINED))
          in_run = true;
      if (!in_run) fail_msg("person %llu: contact on %d outside a run", (unsigned long long)k, (int)x->date);
      if (x->is_test) {
        tests++;
        positives += strcmp(x->result, "positive") == 0;
      }
      if (x->date >= keep && (!x->extra || x->rank < 20000)) {
        if (j >= part.ncontacts) fail_msg("person %llu: kept part too short", (unsigned long long)k);
        const GenContact *y = &part.contacts[j++];
        assert_int_equal(y->date, x->date);
        assert_int_equal(y->is_test, x->is_test);
        assert_int_equal(y->extra, x->extra);
        assert_int_equal(y->police_task, x->police_task);
        assert_int_equal(y->reported, x->reported);
        if (x->is_test) {
          assert_string_equal(y->result, x->result);
          assert_string_equal(y->sample, x->sample);
        } else {
          assert_string_equal(y->kind, x->kind);
          assert_string_equal(y->notes, x->notes);
        }
      }
    }
    assert_int_equal(j, part.ncontacts);
    assert_int_equal(part.nevents, full.nevents);
    for (int i = 0; i < full.nevents; i++) {
      assert_int_equal(part.events[i].date, full.events[i].date);
      assert_string_equal(part.events[i].kind, full.events[i].kind);
    }
    contacts += full.ncontacts;
  }
  assert_true(contacts > 3000 * 10);
  /* About 3% of tests positive. */
  double pos = (double)positives / (double)tests;
  if (pos < 0.015 || pos > 0.05) fail_msg("%.3f of tests positive", pos);
  gen_sup_free(&full);
  gen_sup_free(&part);
}

/* Out-of-range sizes and actors without the whole database are refused. */
static void test_gen_refusals(void **state) {
  Fix *t = *state;
  GenReport r;
  Err e;
  err_clear(&e);
  assert_int_equal(app_gen_run(&t->c, 0, 1, 8, &r, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(app_gen_run(&t->c, GEN_PERSONS_MAX + 1, 1, 8, &r, &e), ERR_INVALID);
  Actor viewer = t->cli;
  viewer.role = ROLE_VIEWER;
  Ctx vc = t->c;
  vc.actor = &viewer;
  err_clear(&e);
  assert_int_equal(app_gen_run(&vc, 10, 1, 8, &r, &e), ERR_FORBIDDEN);
  DoctorReport d;
  err_clear(&e);
  assert_int_equal(app_doctor_run(&vc, NULL, NULL, &d, &e), ERR_FORBIDDEN);
}

/* Opens t's database as `jindu serve` and the command line do: migrated,
 * then the repair of a killed bulk load's indexes. */
static void tdb_open_for_use(Fix *t, Db **db) {
  Err e;
  err_clear(&e);
  int rebuilt;
  assert_int_equal(db_open(db, t->path, schema_migrate, &e), ERR_OK);
  assert_int_equal(store_gen_indexes_repair(*db, &rebuilt, &e), ERR_OK);
}

/* A load killed between dropping the person indexes and building them
 * again (simulated: the drop committed, then the loader's pid changed to
 * one no process has) leaves them in pending_index; an open while the
 * loader runs leaves them alone, the next open after it builds them, and
 * a normal gen leaves none. */
static void test_gen_killed_indexes_repaired(void **state) {
  Fix *t = *state;
  GenReport r;
  tdb_gen_history(t, 30, 7, 0, &r);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM pending_index"), 0);
  int64_t nindex = fix_int(t->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'"
                               " AND sql IS NOT NULL");
  assert_true(nindex >= 5);
  Err e;
  err_clear(&e);
  GenIndexes ix;
  assert_int_equal(db_begin(t->db, &e), ERR_OK);
  assert_int_equal(store_gen_person_indexes_drop(t->db, &ix, &e), ERR_OK);
  assert_int_equal(db_commit(t->db, &e), ERR_OK);
  assert_int_equal(ix.n, nindex);
  store_gen_indexes_free(&ix);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM pending_index"), nindex);
  /* while the loading process (this one) runs, an open leaves them alone */
  Db *other = NULL;
  tdb_open_for_use(t, &other);
  db_close(other);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM pending_index"), nindex);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'"
                               " AND sql IS NOT NULL"),
                   0);
  /* the loader is gone (a pid no process has) */
  assert_int_equal(db_exec(t->db, "UPDATE pending_index SET owner_pid = 2147483646", &e), ERR_OK);
  db_close(t->db);
  tdb_open_for_use(t, &t->db);
  t->c.db = t->db;
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM pending_index"), 0);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'"
                               " AND sql IS NOT NULL"),
                   nindex);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM person INDEXED BY person_work WHERE org_path >= '/'"), 30);
  int rebuilt = -1;
  assert_int_equal(store_gen_indexes_repair(t->db, &rebuilt, &e), ERR_OK);
  assert_int_equal(rebuilt, 0);
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
  Fix *t = *state;
  Seen seen;
  Err e;
  err_clear(&e);
  int rc = demo_fill(&t->c, &e);
  if (rc != ERR_OK)
    fail_msg("demo_fill: %s %s %s", e.msg ? e.msg : "?", e.nfields ? e.fields[0].field : "",
             e.nfields ? e.fields[0].msg : "");
  int n;
  PersonListRow *rows = tdb_persons(t, 100000, &n);
  assert_true(n >= 250);
  assert_ids_valid(rows, n);
  free(rows);
  DoctorReport d = tdb_doctor(t, &seen);
  assert_int_equal(d.persons, n);
  assert_true(d.episodes >= n);
  assert_int_equal(d.differences, 0);
  /* A recent history of talks and tests, and a work list for C0101 (the
   * demo worker's) as of the demo's reference day with every case. */
  assert_true(fix_int(t->db, "SELECT count(*) FROM visit") > 1000);
  assert_true(fix_int(t->db, "SELECT count(*) FROM drug_test") > 1000);
  Day ref = gen_reference_day();
  if (t->c.today < ref) ref = t->c.today;
  char ref_iso[DATE_ISO_LEN];
  date_format(ref, ref_iso);
  int64_t counts[WL__COUNT], total = 0;
  WorkItem *items = NULL;
  int nitems = 0;
  WorkQuery q = {.org_code = "C0101", .date = ref_iso, .horizon_days = 7, .per_page = 1};
  err_clear(&e);
  assert_int_equal(app_worklist(&t->c, &q, &items, &nitems, &total, counts, &e), ERR_OK);
  free(items);
  for (int w = 0; w < WL__COUNT; w++)
    if (counts[w] < 1) fail_msg("demo work list of C0101 has no %s", work_reason_code((WorkReason)w));
  /* worker1 is responsible for about half of C0101, several of its cases
   * on the work list among them ("my cases"). */
  int64_t w1 = fix_int(t->db, "SELECT id FROM app_user WHERE username = 'worker1'");
  int64_t c0101 = fix_int(t->db, "SELECT count(*) FROM person p JOIN org_unit o ON o.id = p.org_id WHERE o.code = 'C0101'");
  int64_t mine = fix_int(t->db, "SELECT count(*) FROM person p JOIN app_user u ON u.id = p.worker_id"
                             " WHERE u.username = 'worker1'");
  assert_true(mine * 3 >= c0101 && mine * 3 <= 2 * c0101);
  WorkQuery qm = {.org_code = "C0101", .worker_id = w1, .date = ref_iso, .horizon_days = 7, .per_page = 1};
  int64_t mine_counts[WL__COUNT], mine_total = 0;
  err_clear(&e);
  assert_int_equal(app_worklist(&t->c, &qm, &items, &nitems, &mine_total, mine_counts, &e), ERR_OK);
  free(items);
  assert_true(mine_total >= 5 && mine_total < total);
  int reasons = 0;
  for (int w = 0; w < WL__COUNT; w++) reasons += mine_counts[w] > 0;
  assert_true(reasons >= 5);
  /* The records are the demo staff's, not the command line's: the street
   * offices register the persons, the communities' workers (the office
   * where a community has no demo worker) record the rest. */
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM audit_log WHERE actor = 'cli' AND entity = 'person'"), 0);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM visit v LEFT JOIN app_user u ON u.id = v.worker_id"
                               " WHERE u.username IS NULL OR u.username NOT IN ('worker1', 'worker2', 'office1', 'office2')"),
                   0);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM drug_test WHERE recorded_by IS NULL"), 0);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM person_event WHERE created_by IS NULL"), 0);
  assert_int_equal(fix_int(t->db, "SELECT count(*) FROM status_episode WHERE created_by IS NULL"), 0);
  assert_true(fix_int(t->db, "SELECT count(*) FROM visit v JOIN app_user u ON u.id = v.worker_id"
                          " WHERE u.username = 'worker1'") > 100);
  /* The district as a whole: many due, some overdue. */
  WorkQuery all = {.date = ref_iso, .horizon_days = 7, .per_page = 1};
  assert_int_equal(app_worklist(&t->c, &all, &items, &nitems, &total, counts, &e), ERR_OK);
  free(items);
  assert_true(counts[WL_TEST_DUE] >= 5 && counts[WL_TEST_OVERDUE] >= 5);
  int64_t checked = 0, bad = 0;
  assert_int_equal(audit_verify(t->db, &checked, &bad, &e), ERR_OK);
  assert_true(checked > n);
  uint64_t before = tdb_checksum(t);
  err_clear(&e);
  assert_int_equal(demo_fill(&t->c, &e), ERR_CONFLICT);
  assert_true(tdb_checksum(t) == before);
}

int main(void) {
  if (auth_init() != 0) return 1;
  /* each test on a fresh database (fix_state_open); the pure ones leave it alone */
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_gen_id_number),
    cmocka_unit_test(test_gen_history_consistent),
    cmocka_unit_test(test_derived_status),
    cmocka_unit_test(test_gen_deterministic),
    cmocka_unit_test(test_gen_ids_doctor_and_rerun),
    cmocka_unit_test(test_gen_refusals),
    cmocka_unit_test(test_gen_killed_indexes_repaired),
    cmocka_unit_test(test_gen_history_volume),
    cmocka_unit_test(test_gen_sup_simulate),
    cmocka_unit_test(test_demo_fill),
  };
  return FIX_RUN(tests, fix_state_open, fix_state_close);
}
