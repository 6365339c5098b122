/* tests/unit/fixture.h: the shared unit-test fixture — cmocka's headers, a
 * temporary database with a command-line context, and the helpers that
 * put units, users and dates into it. Linked into every unit-test binary. */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

/* cmocka needs these before its own header. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/person.h"
#include "core/unit_vocab.h"
#include "core/date.h"
#include "store/db.h"
#include "store/org.h"
#include "store/schema.h"

/* A database in a fresh temporary directory, with the command line as actor. */
typedef struct Fix {
  char dir[64];   /* the temporary directory, removed by fix_close */
  char path[96];  /* dir/t.db */
  Db *db;
  Actor cli;      /* the command-line actor (administrator of everything) */
  Ctx c;          /* a context of cli on db */
} Fix;

/* The creation time of the units and users the fixture inserts. */
#define FIX_CREATED "2020-01-01T00:00:00+08:00"

/* Creates /tmp/jindu-test-NAME-XXXXXX, opens (and migrates) dir/t.db and
 * sets f->c up for the command line with the current clock; asserts success. */
void fix_open(Fix *f, const char *name);

/* Closes the database and removes its files and directory. */
void fix_close(Fix *f);

/* A malloc'd Fix opened with fix_open(f, name); fix_state_close (a cmocka
 * teardown) closes and frees the one a setup left in *state. */
Fix *fix_new(const char *name);
int fix_state_close(void **state);

/* A cmocka setup for a test that needs a database: *state = fix_new("db"),
 * closed by fix_state_close. */
int fix_state_open(void **state);

/* Inserts a unit straight through the store (no rights, no audit) in its own
 * transaction, created at FIX_CREATED; fills *out when given. */
void fix_store_org(Db *db, const char *code, const char *name, const char *level, int64_t parent, OrgUnit *out);

/* Adds a unit through app_org_add as c's actor and returns it; fails the
 * test when the use case refuses. */
OrgUnit fix_app_org(Ctx *c, const char *code, const char *name, const char *level, const char *parent);

/* Inserts an app_user row with id uid (password hash 'x', created at
 * FIX_CREATED) and fills *a as that user signed in from "test" at org. */
void fix_actor(Db *db, Actor *a, int64_t uid, const char *username, Role role, const OrgUnit *org);

/* Appends a help-team member (role label, name, phone) to in and marks the
 * team as given (has_team), so that the input replaces the person's team;
 * asserts that the team has room. The strings are not copied. */
void fix_team_add(PersonInput *in, const char *role, const char *name, const char *phone);

/* Sets c's today to day (YYYY-MM-DD) and its now_iso to 10:00 that day. */
void fix_today(Ctx *c, const char *day);

/* The district the use-case tests work in: county K 某县 > streets S1 甲街道
 * and S2 乙街道 > communities A 甲社区 and B 乙社区 (S1), D 丁村 (S2); one
 * account per role that a test needs, each with its context on f's
 * database. The users' ids are fixed (worker_a 1 ... viewer_a 10, in the
 * order below). */
typedef struct FixDistrict {
  Fix f;
  OrgUnit county, s1, s2, a, b, d;
  Actor worker_a, worker_b, worker_d, office_s1, office_s2, admin, police_a, cadre_a, viewer, viewer_a;
  Ctx ca, cb, cd, cs1, cs2, cadmin, cpolice, ccadre, cviewer, cviewer_a;
  int seq; /* 0 at the start; a test's helpers count with it (unique ID numbers...) */
} FixDistrict;

/* A malloc'd district: f opened with fix_open(&t->f, name), the units and
 * users inserted, every context (the command line's too) set to today.
 * fix_district_close (a cmocka teardown) closes and frees the one a setup
 * left in *state. */
FixDistrict *fix_district_new(const char *name, const char *today);

/* Sets today (YYYY-MM-DD) on every context of t, the command line's too. */
void fix_district_today(FixDistrict *t, const char *day);

int fix_district_close(void **state);

/* Asserts that day formats as the expected ISO text (so failures show
 * dates). */
#define assert_day(day, expected)                                              \
  do {                                                                         \
    char buf_[DATE_ISO_LEN];                                                   \
    date_format((day), buf_);                                                  \
    assert_string_equal(buf_, (expected));                                     \
  } while (0)

/* Runs the n tests of a file as cmocka's group "tests", each between setup
 * and teardown (the file's per-test fixture, named here once rather than
 * on every entry); returns the exit status. FIX_RUN counts the array. */
int fix_run(struct CMUnitTest *tests, size_t n, CMFixtureFunction setup, CMFixtureFunction teardown);
#define FIX_RUN(tests, setup, teardown) fix_run((tests), sizeof(tests) / sizeof((tests)[0]), (setup), (teardown))

/* The day of an ISO date, asserting it parses. */
Day fix_day(const char *iso);

/* The integer in the first column of the first row of sql (a text without
 * parameters) on db; asserts that the statement yields a row. */
int64_t fix_int(Db *db, const char *sql);

/* One case of a predicate over two strings: pred(a, b) is want. */
typedef struct FixPair {
  const char *a, *b;
  bool want;
} FixPair;

/* Asserts pred(a, b) == want for each of the n cases; a failure names pred
 * (as name) and the case's strings (NULL shown as NULL). */
void fix_pairs(bool (*pred)(const char *, const char *), const char *name, const FixPair *cases, size_t n);
#define FIX_PAIRS(pred, cases) fix_pairs((pred), #pred, (cases), sizeof(cases) / sizeof((cases)[0]))

/* Asserts that vocab is well formed: every term has a code and a label,
 * each code is found at its own index (no code twice) with its label,
 * unknown and NULL codes are not found, and it holds want terms (want < 0:
 * any number). */
void fix_vocab(const UnitTerm *vocab, int want);

#endif
