/* tests/unit/test_unit_work.c: cmocka tests of unit work on a temporary
 * database (app/dataset.c, app/unit_task.c, app/eradication.c over their
 * store files): figures entered, summed over units and periods, submitted,
 * refused while locked (nothing written), unlocked by the office above
 * only and with a reason, every change kept; the population of org_unit
 * derived from the set "population" (also after a move); unit tasks from
 * rhythms set up the tree and overridden below, cleared by unit work and
 * by submitted periods; eradication patrols and their rules; scope and
 * rights of every use case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dataset.h"
#include "app/eradication.h"
#include "app/org.h"
#include "app/unit_task.h"
#include "tests/unit/fixture.h"

typedef FixDistrict T;

/* The shared district (fixture.h) on 2026-06-16. */
static int setup(void **state) {
  *state = fix_district_new("unitwork", "2026-06-16");
  return 0;
}

/* ---- data sets ------------------------------------------------------------------ */

/* A value tput clears. */
#define TCLEAR INT64_MIN

/* Puts the n (code, value) pairs (value TCLEAR: clears) into set name for
 * org and period as c; returns the code, e filled. */
static int tput(Ctx *c, const char *name, const char *org, const char *period, const char *const *codes,
                const int64_t *vals, int n, bool submit, Err *e) {
  DatasetInput in;
  memset(&in, 0, sizeof in);
  for (int i = 0; i < n; i++) {
    in.items[i].code = codes[i];
    in.items[i].has = vals[i] != TCLEAR;
    in.items[i].value = vals[i];
  }
  in.n = n;
  err_clear(e);
  static DatasetNames names; /* e names the fields here: kept past the call */
  return app_dataset_put(c, name, org, period, &in, submit, &names, e);
}

/* The figures of (name, org, period) as c, asserting success. */
static DatasetView tget(Ctx *c, const char *name, const char *org, const char *period) {
  DatasetView v;
  Err e;
  err_clear(&e);
  int rc = app_dataset_get(c, name, org, period, &v, &e);
  if (rc != ERR_OK) fail_msg("get %s %s %s: %d %s", name, org, period, rc, e.msg ? e.msg : "");
  return v;
}

/* Rows written to every table of data sets and the audit log. */
static int64_t twrites(T *t) {
  return fix_int(t->f.db, "SELECT (SELECT count(*) FROM dataset_entry) * 1000000 + (SELECT count(*) FROM dataset_period)"
                          " * 1000 + (SELECT count(*) FROM audit_log)");
}

static const char *const POP[] = {"registered", "resident", "floating"};
static const char *const POLICE[] = {"admin_detention", "isolation", "criminal_detention", "cases"};
static const char *const INFO[] = {"submitted", "adopted"};

/* Enter, read, sum over units, submit, locked (409, nothing written),
 * unlock by the office above only, with a reason; the history. */
static void test_dataset_lifecycle(void **state) {
  T *t = *state;
  Err e;
  DatasetNames names; /* e names the fields of a refused submit here */
  int64_t pa[] = {3000, 3500, 800}, pb[] = {2000, 2100, 300};
  assert_int_equal(tput(&t->ca, "population", "A", "2025", POP, pa, 3, false, &e), ERR_OK);
  assert_int_equal(tput(&t->cs1, "population", "B", "2025", POP, pb, 3, false, &e), ERR_OK);
  DatasetView v = tget(&t->ca, "population", "A", "2025");
  assert_true(v.entry);
  assert_int_equal(v.state, DS_OPEN);
  assert_true(v.may_edit);
  assert_false(v.may_unlock);
  assert_int_equal(v.vals[0], 3000);
  assert_int_equal(v.vals[2], 800);
  assert_day(v.due, "2026-01-31");
  dataset_view_free(&v);
  /* the street: the sum of its communities, a row for each */
  v = tget(&t->cs1, "population", "S1", "2025");
  assert_false(v.entry);
  assert_int_equal(v.nunits, 2);
  assert_int_equal(v.units_reported, 2);
  assert_int_equal(v.units_submitted, 0);
  assert_int_equal(v.vals[0], 5000);
  assert_int_equal(v.vals[1], 5600);
  assert_string_equal(v.units[0].org_code, "A");
  dataset_view_free(&v);
  /* the county sees S2's community too, without figures */
  v = tget(&t->cadmin, "population", "K", "2025");
  assert_int_equal(v.nunits, 3);
  assert_int_equal(v.units_reported, 2);
  dataset_view_free(&v);

  /* submit: locked */
  err_clear(&e);
  assert_int_equal(app_dataset_submit(&t->ca, "population", "A", "2025", &names, &e), ERR_OK);
  v = tget(&t->cs1, "population", "A", "2025");
  assert_int_equal(v.state, DS_SUBMITTED);
  assert_false(v.may_edit);
  assert_true(v.may_unlock);
  dataset_view_free(&v);
  int64_t before = twrites(t);
  int64_t changed[] = {3100};
  assert_int_equal(tput(&t->ca, "population", "A", "2025", POP, changed, 1, false, &e), ERR_CONFLICT);
  assert_int_equal(tput(&t->cs1, "population", "A", "2025", POP, changed, 1, false, &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(app_dataset_submit(&t->ca, "population", "A", "2025", &names, &e), ERR_CONFLICT);
  /* unlock: not the unit itself, not another street, not without a reason */
  err_clear(&e);
  assert_int_equal(app_dataset_unlock(&t->ca, "population", "A", "2025", "错了", &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_dataset_unlock(&t->cs2, "population", "A", "2025", "错了", &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_dataset_unlock(&t->cviewer, "population", "A", "2025", "错了", &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_dataset_unlock(&t->cs1, "population", "A", "2025", "", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "reason"));
  assert_int_equal(twrites(t), before);
  err_clear(&e);
  assert_int_equal(app_dataset_unlock(&t->cs1, "population", "A", "2025", "户籍人口有误", &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_dataset_unlock(&t->cs1, "population", "A", "2025", "再次", &e), ERR_CONFLICT);
  assert_int_equal(tput(&t->ca, "population", "A", "2025", POP, changed, 1, true, &e), ERR_OK);
  v = tget(&t->ca, "population", "A", "2025");
  assert_int_equal(v.state, DS_SUBMITTED);
  assert_int_equal(v.vals[0], 3100);
  assert_int_equal(v.vals[1], 3500);
  dataset_view_free(&v);
  /* the history, newest first: submit, the new value, unlock, submit, the three first values */
  DatasetHistRow *h = NULL;
  int n = 0;
  err_clear(&e);
  assert_int_equal(app_dataset_history(&t->cs1, "population", "A", "2025", &h, &n, &e), ERR_OK);
  assert_int_equal(n, 7);
  assert_string_equal(h[0].action, "submit");
  assert_string_equal(h[1].action, "value");
  assert_string_equal(h[1].field, "registered");
  assert_int_equal(h[1].value, 3100);
  assert_string_equal(h[2].action, "unlock");
  assert_string_equal(h[2].reason, "户籍人口有误");
  assert_string_equal(h[3].action, "submit");
  assert_int_equal(h[6].value, 3000);
  free(h);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log WHERE entity = 'dataset_period' AND action = 'unlock'"
                                    " AND detail LIKE '%户籍人口有误%'"),
                   1);
}

/* Periods and units that do not enter a set, values that break its rules:
 * field errors, nothing written. */
static void test_dataset_refusals(void **state) {
  T *t = *state;
  Err e;
  int64_t before = twrites(t);
  int64_t ok[] = {1, 2, 3, 4};
  /* period: malformed, finer than the set's, not begun */
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-13", POLICE, ok, 4, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "period"));
  assert_int_equal(tput(&t->ca, "population", "A", "2026-06", POP, ok, 3, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "period"));
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-07", POLICE, ok, 4, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "period"));
  /* a coarser period is read, never written */
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026Q1", POLICE, ok, 4, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "period"));
  /* unit: police figures are the street's; the county sums them */
  assert_int_equal(tput(&t->ca, "police", "A", "2026-05", POLICE, ok, 4, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "org"));
  assert_int_equal(tput(&t->cadmin, "police", "K", "2026-05", POLICE, ok, 4, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "org"));
  /* scope, rights, unknown set */
  assert_int_equal(tput(&t->ca, "police", "S1", "2026-05", POLICE, ok, 4, false, &e), ERR_NOT_FOUND);
  assert_int_equal(tput(&t->cs2, "population", "A", "2025", POP, ok, 3, false, &e), ERR_NOT_FOUND);
  assert_int_equal(tput(&t->cviewer, "police", "S1", "2026-05", POLICE, ok, 4, false, &e), ERR_FORBIDDEN);
  assert_int_equal(tput(&t->cpolice, "population", "A", "2025", POP, ok, 3, false, &e), ERR_FORBIDDEN);
  assert_int_equal(tput(&t->cs1, "nosuch", "S1", "2026-05", POLICE, ok, 4, false, &e), ERR_NOT_FOUND);
  /* values: negative, too big, a part above its whole, an unknown field; all at once */
  int64_t bad[] = {-1, 1000000001};
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-05", POLICE, bad, 2, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "admin_detention"));
  assert_non_null(err_field_msg(&e, "isolation"));
  int64_t info[] = {2, 3};
  assert_int_equal(tput(&t->ca, "information", "A", "2026Q1", INFO, info, 2, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "adopted"));
  const char *unknown[] = {"submitted", "rumours"};
  assert_int_equal(tput(&t->ca, "information", "A", "2026Q1", unknown, info, 2, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "rumours"));
  /* submitting needs every field */
  int64_t half[] = {2};
  assert_int_equal(tput(&t->ca, "information", "A", "2026Q1", INFO, half, 1, true, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "adopted"));
  assert_int_equal(twrites(t), before);
  /* a value equal to the stored one writes nothing, not even an audit row */
  int64_t same[] = {2, 1};
  assert_int_equal(tput(&t->ca, "information", "A", "2026Q1", INFO, same, 2, false, &e), ERR_OK);
  int64_t after = twrites(t);
  assert_int_equal(tput(&t->ca, "information", "A", "2026Q1", INFO, same, 2, false, &e), ERR_OK);
  assert_int_equal(twrites(t), after);
  /* reading: a unit below the set's level, out of scope */
  DatasetView v;
  err_clear(&e);
  assert_int_equal(app_dataset_get(&t->ca, "police", "A", "2026-05", &v, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "org"));
  err_clear(&e);
  assert_int_equal(app_dataset_get(&t->cd, "population", "A", "2025", &v, &e), ERR_NOT_FOUND);
}

/* A coarser period: a flow adds its months up, a stock shows its latest quarter. */
static void test_dataset_over_periods(void **state) {
  T *t = *state;
  Err e;
  int64_t apr[] = {1, 0, 1, 2}, may[] = {3, 1, 0, 1}, jun[] = {2, 0, 0, 0};
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-04", POLICE, apr, 4, true, &e), ERR_OK);
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-05", POLICE, may, 4, true, &e), ERR_OK);
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-06", POLICE, jun, 4, false, &e), ERR_OK);
  assert_int_equal(tput(&t->cs2, "police", "S2", "2026-05", POLICE, may, 4, true, &e), ERR_OK);
  DatasetView v = tget(&t->cs1, "police", "S1", "2026Q2");
  assert_false(v.entry);
  assert_int_equal(v.nunits, 1);
  assert_int_equal(v.units[0].periods, 3);
  assert_int_equal(v.units[0].periods_submitted, 2);
  assert_int_equal(v.vals[0], 6);
  assert_int_equal(v.vals[3], 3);
  dataset_view_free(&v);
  v = tget(&t->cadmin, "police", "K", "2026H1");
  assert_int_equal(v.nunits, 2);
  assert_int_equal(v.vals[0], 9);
  assert_int_equal(v.units_submitted, 0); /* no street submitted all six months */
  dataset_view_free(&v);
  int64_t q1[] = {10, 8}, q2[] = {12, 11};
  const char *const workers[] = {"approved", "filled"};
  assert_int_equal(tput(&t->cs1, "social_workers", "S1", "2026Q1", workers, q1, 2, false, &e), ERR_OK);
  assert_int_equal(tput(&t->cs1, "social_workers", "S1", "2026Q2", workers, q2, 2, false, &e), ERR_OK);
  v = tget(&t->cs1, "social_workers", "S1", "2026");
  assert_int_equal(v.vals[0], 12);
  assert_int_equal(v.vals[1], 11);
  dataset_view_free(&v);
  /* filled may not exceed approved */
  int64_t over[] = {10, 11};
  assert_int_equal(tput(&t->cs1, "social_workers", "S1", "2026Q2", workers, over, 2, false, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "filled"));
}

/* The population of org_unit follows the set: the community's latest year,
 * the sums above it; a cleared figure; a move between streets. */
static void test_population_derived(void **state) {
  T *t = *state;
  Err e;
  int64_t a25[] = {3000, 3500, 800}, a26[] = {3050, TCLEAR, 820}, b26[] = {2000, 2100, 300}, d26[] = {900, 950, 60};
  assert_int_equal(tput(&t->ca, "population", "A", "2025", POP, a25, 3, false, &e), ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'A'"), 3000);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'S1'"), 3000);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'K'"), 3000);
  assert_int_equal(tput(&t->ca, "population", "A", "2026", POP, a26, 3, false, &e), ERR_OK);
  assert_int_equal(tput(&t->cs1, "population", "B", "2026", POP, b26, 3, false, &e), ERR_OK);
  assert_int_equal(tput(&t->cs2, "population", "D", "2026", POP, d26, 3, false, &e), ERR_OK);
  /* A's latest year has no resident figure: none, not 2025's */
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'A'"), 3050);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_resident IS NULL FROM org_unit WHERE code = 'A'"), 1);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'S1'"), 5050);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_resident FROM org_unit WHERE code = 'S1'"), 2100);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_floating FROM org_unit WHERE code = 'K'"), 1180);
  OrgUnit u;
  err_clear(&e);
  assert_int_equal(app_org_get(&t->cadmin, "S1", &u, &e), ERR_OK);
  assert_int_equal(u.pop_registered, 5050);
  /* B moves to S2: both streets' sums follow */
  err_clear(&e);
  assert_int_equal(app_org_move(&t->cadmin, "B", "S2", &e), ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'S1'"), 3050);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'S2'"), 2900);
  assert_int_equal(fix_int(t->f.db, "SELECT pop_registered FROM org_unit WHERE code = 'K'"), 5950);
}

/* ---- unit tasks -------------------------------------------------------------------- */

/* Sets a rhythm as c; returns the code. */
static int tset(Ctx *c, const char *org, const char *task, const char *level, const char *per, int n,
                const char *since, Err *e) {
  UnitRhythmInput in = {org, task, level, per, n, since};
  err_clear(e);
  return app_unit_rhythm_set(c, &in, NULL, e);
}

/* Records unit work as c. */
static void twork(Ctx *c, const char *org, const char *kind, const char *date) {
  UnitWorkInput in = {org, kind, date, "", ""};
  Err e;
  err_clear(&e);
  int rc = app_unit_work_add(c, &in, NULL, &e);
  if (rc != ERR_OK) fail_msg("unit work %s %s %s: %d %s", org, kind, date, rc, e.msg ? e.msg : "");
}

/* The tasks of scope org as of date as c. */
static UnitTaskItem *ttasks(Ctx *c, const char *org, const char *date, int *n) {
  UnitTaskQuery q = {org, date};
  UnitTaskItem *items = NULL;
  Err e;
  err_clear(&e);
  int rc = app_unit_tasks(c, &q, &items, n, &e);
  if (rc != ERR_OK) fail_msg("unit tasks: %d %s", rc, e.msg ? e.msg : "");
  return items;
}

/* The item of unit org and task in items, in state st; NULL when none. */
static const UnitTaskItem *tfind(const UnitTaskItem *items, int n, const char *org, const char *task, RhythmState st) {
  for (int i = 0; i < n; i++)
    if (strcmp(items[i].org_code, org) == 0 && strcmp(items[i].task, task) == 0 && items[i].item.state == st)
      return &items[i];
  return NULL;
}

/* Rhythms set up the tree apply below; a street overrides; a community
 * switches off; work records and submitted periods clear tasks. */
static void test_unit_tasks(void **state) {
  T *t = *state;
  Err e;
  assert_int_equal(tset(&t->cadmin, "K", "drug_screening", "community", "quarter", 1, "2026-01-01", &e), ERR_OK);
  assert_int_equal(tset(&t->cadmin, "K", "intel_exchange", "street", "month", 1, "2026-01-01", &e), ERR_OK);
  assert_int_equal(tset(&t->cs2, "S2", "drug_screening", "community", "dekad", 1, "2026-06-01", &e), ERR_OK);
  assert_int_equal(tset(&t->cs1, "B", "drug_screening", "community", "none", 1, "", &e), ERR_OK);
  assert_int_equal(tset(&t->cadmin, "K", "dataset:police", "street", "month", 1, "2026-04-01", &e), ERR_OK);
  twork(&t->ca, "A", "drug_screening", "2026-02-10");
  twork(&t->cs1, "S1", "intel_exchange", "2026-05-06");
  twork(&t->cs2, "S2", "intel_exchange", "2026-05-07");
  twork(&t->cs2, "S2", "intel_exchange", "2026-06-02");
  twork(&t->cd, "D", "drug_screening", "2026-06-05");
  int64_t may[] = {1, 1, 1, 1};
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-04", POLICE, may, 4, true, &e), ERR_OK);
  assert_int_equal(tput(&t->cs1, "police", "S1", "2026-05", POLICE, may, 4, true, &e), ERR_OK);

  int n;
  UnitTaskItem *it = ttasks(&t->cadmin, NULL, "2026-06-16", &n);
  /* A: Q1 done, Q2 due by 06-30 */
  const UnitTaskItem *x = tfind(it, n, "A", "drug_screening", RHYTHM_DUE);
  assert_non_null(x);
  assert_string_equal(x->period, "2026Q2");
  assert_string_equal(x->label, "毒情排查");
  assert_null(tfind(it, n, "A", "drug_screening", RHYTHM_OVERDUE));
  /* B switched off; D every ten days: 上旬 done, 中旬 due */
  assert_null(tfind(it, n, "B", "drug_screening", RHYTHM_DUE));
  assert_null(tfind(it, n, "B", "drug_screening", RHYTHM_OVERDUE));
  x = tfind(it, n, "D", "drug_screening", RHYTHM_DUE);
  assert_non_null(x);
  assert_string_equal(x->period, "2026-06D2");
  assert_null(tfind(it, n, "D", "drug_screening", RHYTHM_OVERDUE));
  /* S1 missed Jan-Apr intel exchanges (latest April) and June is due; S2 missed Jan-Apr */
  x = tfind(it, n, "S1", "intel_exchange", RHYTHM_OVERDUE);
  assert_non_null(x);
  assert_string_equal(x->period, "2026-04");
  assert_int_equal(x->item.missed, 4);
  assert_int_equal(x->item.days_overdue, 47);
  assert_non_null(tfind(it, n, "S1", "intel_exchange", RHYTHM_DUE));
  assert_null(tfind(it, n, "S2", "intel_exchange", RHYTHM_DUE));
  /* police figures: S1 submitted April and May; S2 missed April, May is due by 06-10... and past it */
  assert_null(tfind(it, n, "S1", "dataset:police", RHYTHM_OVERDUE));
  assert_null(tfind(it, n, "S1", "dataset:police", RHYTHM_DUE));
  x = tfind(it, n, "S2", "dataset:police", RHYTHM_OVERDUE);
  assert_non_null(x);
  assert_string_equal(x->dataset, "police");
  assert_string_equal(x->period, "2026-05");
  assert_int_equal(x->item.missed, 2);
  assert_string_equal(x->label, "公安禁毒执法");
  /* overdue first */
  assert_int_equal(it[0].item.state, RHYTHM_OVERDUE);
  free(it);
  /* a street's scope: its own units only */
  it = ttasks(&t->cs1, NULL, "2026-06-16", &n);
  for (int i = 0; i < n; i++) assert_true(strcmp(it[i].org_code, "S1") == 0 || strcmp(it[i].org_code, "A") == 0);
  free(it);
  it = ttasks(&t->cadmin, "S2", "2026-06-16", &n);
  for (int i = 0; i < n; i++) assert_true(strcmp(it[i].org_code, "S2") == 0 || strcmp(it[i].org_code, "D") == 0);
  free(it);
  /* before anything was set: nothing */
  it = ttasks(&t->cadmin, NULL, "2025-12-01", &n);
  assert_int_equal(n, 0);
  free(it);
  /* clearing B's own setting: it inherits the county's quarterly rhythm again */
  err_clear(&e);
  assert_int_equal(app_unit_rhythm_clear(&t->cs1, "B", "drug_screening", "community", &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_unit_rhythm_clear(&t->cs1, "B", "drug_screening", "community", &e), ERR_NOT_FOUND);
  it = ttasks(&t->cadmin, NULL, "2026-06-16", &n);
  assert_non_null(tfind(it, n, "B", "drug_screening", RHYTHM_OVERDUE));
  free(it);
  /* the rhythms listed for a street: its own and the county's, not S2's */
  UnitRhythmRow *rows = NULL;
  int nr = 0;
  err_clear(&e);
  assert_int_equal(app_unit_rhythm_list(&t->cs1, &rows, &nr, &e), ERR_OK);
  for (int i = 0; i < nr; i++) assert_true(strcmp(rows[i].org_code, "S2") != 0);
  assert_int_equal(nr, 3);
  free(rows);
}

/* Who may set what. */
static void test_rhythm_refusals(void **state) {
  T *t = *state;
  Err e;
  int64_t before = fix_int(t->f.db, "SELECT count(*) FROM unit_rhythm");
  assert_int_equal(tset(&t->ca, "A", "drug_screening", "community", "month", 1, "", &e), ERR_FORBIDDEN);
  assert_int_equal(tset(&t->cs1, "S2", "drug_screening", "community", "month", 1, "", &e), ERR_NOT_FOUND);
  assert_int_equal(tset(&t->cs1, "S1", "drug_screening", "county", "month", 1, "", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "level"));
  assert_int_equal(tset(&t->cs1, "S1", "gossip", "community", "month", 1, "", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "task"));
  assert_int_equal(tset(&t->cs1, "S1", "drug_screening", "community", "weekly", 0, "", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "period_type"));
  assert_int_equal(tset(&t->cs1, "S1", "drug_screening", "community", "month", 100, "2026-02-30", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "per_period"));
  assert_non_null(err_field_msg(&e, "since"));
  assert_int_equal(tset(&t->cadmin, "K", "dataset:police", "community", "quarter", 2, "", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "level"));
  assert_non_null(err_field_msg(&e, "period_type"));
  assert_non_null(err_field_msg(&e, "per_period"));
  assert_int_equal(tset(&t->cadmin, "K", "dataset:nosuch", "street", "month", 1, "", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "task"));
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM unit_rhythm"), before);
  /* since defaults to today */
  assert_int_equal(tset(&t->cs1, "S1", "info_submission", "community", "year", 2, "", &e), ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM unit_rhythm WHERE since = '2026-06-16' AND per_period = 2"), 1);
}

/* Unit work records: rules, scope, the list. */
static void test_unit_work(void **state) {
  T *t = *state;
  Err e;
  UnitWorkInput bad = {"D", "gossip", "2026-06-17", "", ""};
  err_clear(&e);
  assert_int_equal(app_unit_work_add(&t->ca, &bad, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "org"));
  assert_non_null(err_field_msg(&e, "kind"));
  assert_non_null(err_field_msg(&e, "date"));
  UnitWorkInput ok = {"A", "info_submission", "2026-06-10", "社区禁毒宣传", "已报送"};
  err_clear(&e);
  assert_int_equal(app_unit_work_add(&t->cviewer, &ok, NULL, &e), ERR_FORBIDDEN);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM unit_work"), 0);
  int64_t id = 0;
  err_clear(&e);
  assert_int_equal(app_unit_work_add(&t->ca, &ok, &id, &e), ERR_OK);
  assert_true(id > 0);
  UnitWorkRow row;
  err_clear(&e);
  assert_int_equal(app_unit_work_get(&t->cs1, id, &row, &e), ERR_OK);
  assert_string_equal(row.title, "社区禁毒宣传");
  assert_string_equal(row.org_code, "A");
  err_clear(&e);
  assert_int_equal(app_unit_work_get(&t->cs2, id, &row, &e), ERR_NOT_FOUND);
  UnitWorkRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  UnitWorkQuery q = {"S1", "info_submission", "2026-06-01", "2026-06-30", 1, 10, NULL};
  err_clear(&e);
  assert_int_equal(app_unit_work_list(&t->cadmin, &q, &rows, &n, &total, &e), ERR_OK);
  assert_int_equal(total, 1);
  free(rows);
  q.org = "S2";
  err_clear(&e);
  assert_int_equal(app_unit_work_list(&t->cadmin, &q, &rows, &n, &total, &e), ERR_OK);
  assert_int_equal(total, 0);
  free(rows);
  q.org = "S1";
  err_clear(&e);
  assert_int_equal(app_unit_work_list(&t->cs2, &q, &rows, &n, &total, &e), ERR_NOT_FOUND);
  q.from = "2026-6-1";
  err_clear(&e);
  assert_int_equal(app_unit_work_list(&t->cs1, &q, &rows, &n, &total, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "from"));
}

/* ---- eradication patrols ------------------------------------------------------------ */

static void test_eradication(void **state) {
  T *t = *state;
  Err e;
  EradicationInput in = {.org = "D", .date = "2026-05-20", .area_mu = 300, .methods = "on_foot,drone",
                         .found = {40, 0}, .destroyed = {41, 2}, /* poppy, cannabis */
                         .location = "后山", .case_no = ""};
  err_clear(&e);
  assert_int_equal(app_eradication_add(&t->cd, &in, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "destroyed_poppy"));
  assert_non_null(err_field_msg(&e, "destroyed_cannabis"));
  EradicationInput none = {.org = "D", .date = "2026-06-17", .methods = "horse", .location = "",
                           .case_no = "案123", .found = {[2] = -1}};
  err_clear(&e);
  assert_int_equal(app_eradication_add(&t->cd, &none, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "date"));
  assert_non_null(err_field_msg(&e, "methods"));
  assert_non_null(err_field_msg(&e, "location"));
  assert_non_null(err_field_msg(&e, "case_no"));
  assert_non_null(err_field_msg(&e, "found_other"));
  in.destroyed[0] = 40;
  in.destroyed[1] = 0;
  in.org = "A";
  err_clear(&e);
  assert_int_equal(app_eradication_add(&t->cd, &in, NULL, &e), ERR_INVALID); /* another street's unit */
  assert_non_null(err_field_msg(&e, "org"));
  err_clear(&e);
  assert_int_equal(app_eradication_add(&t->cviewer, &in, NULL, &e), ERR_FORBIDDEN);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM eradication"), 0);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM eradication_plant"), 0);
  in.org = "D";
  in.case_no = "乙公（禁）立字〔2026〕7号";
  int64_t id = 0;
  err_clear(&e);
  assert_int_equal(app_eradication_add(&t->cd, &in, &id, &e), ERR_OK);
  EradicationInput walk = {.org = "A", .date = "2026-06-01", .methods = "on_foot", .location = "楼顶",
                           .found = {[1] = 3}, .destroyed = {[1] = 3}};
  err_clear(&e);
  assert_int_equal(app_eradication_add(&t->cpolice, &walk, NULL, &e), ERR_OK); /* the police liaison records */
  EradicationRow x;
  err_clear(&e);
  assert_int_equal(app_eradication_get(&t->cs2, id, &x, &e), ERR_OK);
  assert_int_equal(x.found[0], 40);
  assert_int_equal(x.destroyed[0], 40);
  assert_string_equal(x.methods, "on_foot,drone");
  err_clear(&e);
  assert_int_equal(app_eradication_get(&t->cs1, id, &x, &e), ERR_NOT_FOUND);
  EradicationRow *rows = NULL;
  int n = 0;
  EradicationTotals tot;
  EradicationQuery q = {NULL, "", "", "", 1, 50, NULL};
  err_clear(&e);
  assert_int_equal(app_eradication_list(&t->cadmin, &q, &rows, &n, &tot, &e), ERR_OK);
  assert_int_equal(n, 2);
  assert_int_equal(tot.patrols, 2);
  assert_int_equal(tot.area_mu, 300);
  assert_int_equal(tot.found[0], 40);
  assert_int_equal(tot.found[1], 3);
  assert_string_equal(rows[0].date, "2026-06-01"); /* newest first */
  free(rows);
  q.species = "poppy";
  err_clear(&e);
  assert_int_equal(app_eradication_list(&t->cadmin, &q, &rows, &n, &tot, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(tot.found[1], 0);
  free(rows);
  q.species = "";
  err_clear(&e);
  assert_int_equal(app_eradication_list(&t->cs1, &q, &rows, &n, &tot, &e), ERR_OK);
  assert_int_equal(n, 1);
  free(rows);
  q.species = "tulip";
  err_clear(&e);
  assert_int_equal(app_eradication_list(&t->cs1, &q, &rows, &n, &tot, &e), ERR_INVALID);
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_dataset_lifecycle),  cmocka_unit_test(test_dataset_refusals),
    cmocka_unit_test(test_dataset_over_periods), cmocka_unit_test(test_population_derived),
    cmocka_unit_test(test_unit_tasks),         cmocka_unit_test(test_rhythm_refusals),
    cmocka_unit_test(test_unit_work),          cmocka_unit_test(test_eradication),
  };
  return FIX_RUN(tests, setup, fix_district_close);
}
