/* tests/unit/test_unit_core.c: cmocka unit tests for the pure rules of unit
 * work: core/rhythm.c (due and overdue periods of every ten days, monthly,
 * quarterly and N-a-year rhythms, figures due after a period ends, the
 * lookback, inheritance down the tree), core/dataset.c (the open/submitted
 * state machine, period and value checks, counts, the office above) and
 * core/unit_vocab.c (the code lists agree with the vocabularies). */
#include <stdio.h>
#include <string.h>

#include "core/dataset.h"
#include "core/rhythm.h"
#include "core/unit_vocab.h"
#include "tests/unit/fixture.h"

/* ---- rhythms ---------------------------------------------------------------- */

/* The text form of a period. */
static const char *tper(Period p) {
  static char out[PERIOD_TEXT_LEN];
  period_format(p, out);
  return out;
}

/* Evaluates r as of asof from since over the ISO dates in done (NULL-terminated). */
static int teval(const Rhythm *r, const char *since, const char *asof, const char *const *done, RhythmItem out[2]) {
  Day days[128];
  int n = 0;
  for (; done && *done; done++) days[n++] = fix_day(*done);
  return rhythm_eval(r, fix_day(since), fix_day(asof), days, n, out);
}

/* Asserts item it: state, period, due date, done, missed, days overdue. */
static void titem(const RhythmItem *it, RhythmState st, const char *period, const char *due, int done, int missed,
                  int days_overdue) {
  assert_int_equal(it->state, st);
  assert_string_equal(tper(it->period), period);
  assert_day(it->due, due);
  assert_int_equal(it->done, done);
  assert_int_equal(it->missed, missed);
  assert_int_equal(it->days_overdue, days_overdue);
}

/* Every ten days (上/中/下旬): one screening a dekad. */
static void test_rhythm_dekads(void **state) {
  (void)state;
  Rhythm r = {PERIOD_DEKAD, 1, 0, false};
  RhythmItem it[2];
  /* one record in every dekad from January to the first of June */
  const char *all[40];
  char buf[40][DATE_ISO_LEN];
  int k = 0;
  for (unsigned m = 1; m <= 6; m++)
    for (unsigned d = 5; d <= 25 && k < 16; d += 10, k++) {
      /* %02u of values below 100: the compiler sees the bound at -O1 too */
      snprintf(buf[k], sizeof buf[k], "2026-%02u-%02u", m % 100u, d % 100u);
      all[k] = buf[k];
    }
  all[k] = NULL; /* ... up to 2026-06-05 (June 上旬) */
  assert_int_equal(teval(&r, "2026-01-01", "2026-06-15", all, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-06D2", "2026-06-20", 0, 0, 0);
  /* the day the 中旬 ends it is still due; the day after, missed */
  assert_int_equal(teval(&r, "2026-01-01", "2026-06-20", all, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-06D2", "2026-06-20", 0, 0, 0);
  assert_int_equal(teval(&r, "2026-01-01", "2026-06-21", all, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-06D2", "2026-06-20", 0, 1, 1);
  titem(&it[1], RHYTHM_DUE, "2026-06D3", "2026-06-30", 0, 0, 0);
  /* a record in the 中旬 clears it */
  const char *more[] = {"2026-06-12", NULL};
  all[k] = more[0];
  all[k + 1] = NULL;
  assert_int_equal(teval(&r, "2026-01-01", "2026-06-21", all, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-06D3", "2026-06-30", 0, 0, 0);
  /* two dekads missed (May 中旬 and June 上旬): the latest is reported, both counted */
  const char *gaps[] = {"2026-05-05", "2026-05-25", NULL};
  assert_int_equal(teval(&r, "2026-05-01", "2026-06-15", gaps, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-06D1", "2026-06-10", 0, 2, 5);
  titem(&it[1], RHYTHM_DUE, "2026-06D2", "2026-06-20", 0, 0, 0);
  /* 下旬 of February in a common and a leap year */
  assert_int_equal(teval(&r, "2026-02-21", "2026-03-01", NULL, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-02D3", "2026-02-28", 0, 1, 1);
  assert_int_equal(teval(&r, "2024-02-21", "2024-03-01", NULL, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2024-02D3", "2024-02-29", 0, 1, 1);
}

/* Monthly and quarterly: periods start on or after since. */
static void test_rhythm_month_quarter(void **state) {
  (void)state;
  Rhythm month = {PERIOD_MONTH, 1, 0, false}, quarter = {PERIOD_QUARTER, 1, 0, false};
  RhythmItem it[2];
  /* set on 15 March: March is not asked for, April is */
  assert_int_equal(teval(&month, "2026-03-15", "2026-03-20", NULL, it), 0);
  assert_int_equal(teval(&month, "2026-03-15", "2026-04-10", NULL, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-04", "2026-04-30", 0, 0, 0);
  assert_int_equal(teval(&month, "2026-03-15", "2026-05-03", NULL, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-04", "2026-04-30", 0, 1, 3);
  titem(&it[1], RHYTHM_DUE, "2026-05", "2026-05-31", 0, 0, 0);
  /* set on the first of a month: that month counts */
  assert_int_equal(teval(&month, "2026-04-01", "2026-04-01", NULL, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-04", "2026-04-30", 0, 0, 0);
  /* done: nothing */
  const char *done[] = {"2026-04-30", "2026-05-02", NULL};
  assert_int_equal(teval(&month, "2026-04-01", "2026-05-20", done, it), 0);
  /* quarterly screening: Q2 done late in Q3 does not count for Q2 */
  const char *late[] = {"2026-07-02", NULL};
  assert_int_equal(teval(&quarter, "2026-04-01", "2026-07-05", late, it), 1);
  titem(&it[0], RHYTHM_OVERDUE, "2026Q2", "2026-06-30", 0, 1, 5);
  /* a rhythm set after asof asks nothing */
  assert_int_equal(teval(&quarter, "2026-09-01", "2026-07-05", NULL, it), 0);
}

/* N a year: information submissions, two a year. */
static void test_rhythm_n_per_year(void **state) {
  (void)state;
  Rhythm r = {PERIOD_YEAR, 2, 0, false};
  RhythmItem it[2];
  const char *one[] = {"2025-05-01", NULL};
  assert_int_equal(teval(&r, "2025-01-01", "2026-03-01", one, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2025", "2025-12-31", 1, 1, 60);
  assert_int_equal(it[0].required, 2);
  titem(&it[1], RHYTHM_DUE, "2026", "2026-12-31", 0, 0, 0);
  const char *three[] = {"2025-05-01", "2025-11-30", "2026-02-01", NULL};
  assert_int_equal(teval(&r, "2025-01-01", "2026-03-01", three, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026", "2026-12-31", 1, 0, 0);
  const char *four[] = {"2025-05-01", "2025-11-30", "2026-02-01", "2026-02-01", NULL};
  assert_int_equal(teval(&r, "2025-01-01", "2026-03-01", four, it), 0);
}

/* Missed periods are reported for RHYTHM_LOOKBACK_DAYS after their due date. */
static void test_rhythm_lookback(void **state) {
  (void)state;
  Rhythm r = {PERIOD_MONTH, 1, 0, false};
  RhythmItem it[2];
  assert_int_equal(teval(&r, "2020-01-01", "2026-06-15", NULL, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-05", "2026-05-31", 0, 12, 15); /* 2025-06 .. 2026-05 */
  titem(&it[1], RHYTHM_DUE, "2026-06", "2026-06-30", 0, 0, 0);
  Rhythm d = {PERIOD_DEKAD, 1, 0, false};
  assert_int_equal(teval(&d, "2000-01-01", "2026-06-15", NULL, it), 2);
  assert_int_equal(it[0].missed, 36); /* 2025-06D2 (due 06-20 >= 2025-06-14) .. 2026-06D1: 2 + 18 + 15 + 1 */
  assert_string_equal(tper(it[0].period), "2026-06D1");
}

/* Figures of a period (data sets): due grace days after the period ends. */
static void test_rhythm_after_end(void **state) {
  (void)state;
  Rhythm r = {PERIOD_MONTH, 1, 10, true};
  RhythmItem it[2];
  /* submitted: January, February, April (their first days) */
  const char *sub[] = {"2026-01-01", "2026-02-01", "2026-04-01", NULL};
  assert_int_equal(teval(&r, "2026-01-01", "2026-06-05", sub, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-03", "2026-04-10", 0, 1, 56);
  titem(&it[1], RHYTHM_DUE, "2026-05", "2026-06-10", 0, 0, 0);
  /* June itself is not open before it ends */
  const char *upto_may[] = {"2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", NULL};
  assert_int_equal(teval(&r, "2026-01-01", "2026-06-30", upto_may, it), 0);
  assert_int_equal(teval(&r, "2026-01-01", "2026-07-01", upto_may, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-06", "2026-07-10", 0, 0, 0);
  Rhythm q = {PERIOD_QUARTER, 1, 10, true};
  assert_int_equal(teval(&q, "2026-01-01", "2026-04-10", NULL, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026Q1", "2026-04-10", 0, 0, 0);
  assert_int_equal(teval(&q, "2026-01-01", "2026-04-11", NULL, it), 1);
  titem(&it[0], RHYTHM_OVERDUE, "2026Q1", "2026-04-10", 0, 1, 1);
  Rhythm y = {PERIOD_YEAR, 1, 31, true};
  assert_int_equal(teval(&y, "2025-01-01", "2026-01-15", NULL, it), 1);
  titem(&it[0], RHYTHM_DUE, "2025", "2026-01-31", 0, 0, 0);
}

/* Work with grace days: the period before is still due (not overdue) within them. */
static void test_rhythm_grace(void **state) {
  (void)state;
  Rhythm r = {PERIOD_MONTH, 1, 5, false};
  RhythmItem it[2];
  assert_int_equal(teval(&r, "2026-05-01", "2026-06-03", NULL, it), 1);
  titem(&it[0], RHYTHM_DUE, "2026-05", "2026-06-05", 0, 0, 0);
  assert_int_equal(teval(&r, "2026-05-01", "2026-06-06", NULL, it), 2);
  titem(&it[0], RHYTHM_OVERDUE, "2026-05", "2026-06-05", 0, 1, 1);
  titem(&it[1], RHYTHM_DUE, "2026-06", "2026-07-05", 0, 0, 0);
  Rhythm bad = {PERIOD_MONTH, 0, 0, false};
  assert_false(rhythm_valid(&bad));
  bad.per_period = RHYTHM_PER_PERIOD_MAX + 1;
  assert_false(rhythm_valid(&bad));
  bad.per_period = 1;
  bad.grace_days = -1;
  assert_false(rhythm_valid(&bad));
  assert_true(rhythm_valid(&r));
}

/* Rules set on units, inherited down the tree; the nearest wins. */
static void test_rhythm_inheritance(void **state) {
  (void)state;
  int64_t chain[RHYTHM_DEPTH_MAX];
  assert_int_equal(rhythm_path_chain("/1/5/23/", chain, RHYTHM_DEPTH_MAX), 3);
  assert_int_equal(chain[0], 1);
  assert_int_equal(chain[1], 5);
  assert_int_equal(chain[2], 23);
  assert_int_equal(rhythm_path_chain("/7/", chain, RHYTHM_DEPTH_MAX), 1);
  assert_int_equal(rhythm_path_chain("/", chain, RHYTHM_DEPTH_MAX), 0);
  assert_int_equal(rhythm_path_chain("/1/x/", chain, RHYTHM_DEPTH_MAX), 0);
  assert_int_equal(rhythm_path_chain("1/5/", chain, RHYTHM_DEPTH_MAX), 0);
  assert_int_equal(rhythm_path_chain("/1/5", chain, RHYTHM_DEPTH_MAX), 0);
  assert_int_equal(rhythm_path_chain(NULL, chain, RHYTHM_DEPTH_MAX), 0);
  assert_int_equal(rhythm_path_chain("/1/2/3/", chain, 2), 0);

  const RhythmRule rules[] = {
    {1, "drug_screening", "community"}, /* the county: every community quarterly */
    {5, "drug_screening", "community"}, /* street 5: every ten days */
    {1, "intel_exchange", "street"},    /* the county: streets monthly */
    {23, "drug_screening", "community"},/* community 23 itself: off */
    {6, "intel_exchange", "community"},
  };
  int n = (int)(sizeof rules / sizeof rules[0]);
  int64_t c23[] = {1, 5, 23}, c24[] = {1, 5, 24}, c30[] = {1, 6, 30}, s5[] = {1, 5};
  assert_int_equal(rhythm_resolve(rules, n, c23, 3, "drug_screening", "community"), 3);
  assert_int_equal(rhythm_resolve(rules, n, c24, 3, "drug_screening", "community"), 1);
  assert_int_equal(rhythm_resolve(rules, n, c30, 3, "drug_screening", "community"), 0);
  assert_int_equal(rhythm_resolve(rules, n, s5, 2, "intel_exchange", "street"), 2);
  assert_int_equal(rhythm_resolve(rules, n, c24, 3, "intel_exchange", "community"), -1);
  assert_int_equal(rhythm_resolve(rules, n, c30, 3, "intel_exchange", "community"), 4);
  assert_int_equal(rhythm_resolve(rules, n, c30, 3, "info_submission", "community"), -1);
  /* the order of the rules does not matter */
  const RhythmRule rev[] = {rules[3], rules[1], rules[0]};
  assert_int_equal(rhythm_resolve(rev, 3, c23, 3, "drug_screening", "community"), 0);
  assert_int_equal(rhythm_resolve(rev, 3, c24, 3, "drug_screening", "community"), 1);
  assert_int_equal(rhythm_resolve(rev, 3, c30, 3, "drug_screening", "community"), 2);
}

/* ---- data sets -------------------------------------------------------------- */

static void test_ds_state_machine(void **state) {
  (void)state;
  Err e;
  DsState to;
  err_clear(&e);
  assert_int_equal(ds_transition(DS_OPEN, DS_EDIT, &to, &e), ERR_OK);
  assert_int_equal(to, DS_OPEN);
  assert_int_equal(ds_transition(DS_OPEN, DS_SUBMIT, &to, &e), ERR_OK);
  assert_int_equal(to, DS_SUBMITTED);
  assert_int_equal(ds_transition(DS_SUBMITTED, DS_UNLOCK, &to, &e), ERR_OK);
  assert_int_equal(to, DS_OPEN);
  to = DS_OPEN;
  assert_int_equal(ds_transition(DS_SUBMITTED, DS_EDIT, &to, &e), ERR_CONFLICT);
  assert_non_null(e.msg);
  err_clear(&e);
  assert_int_equal(ds_transition(DS_SUBMITTED, DS_SUBMIT, &to, &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(ds_transition(DS_OPEN, DS_UNLOCK, &to, &e), ERR_CONFLICT);
  assert_int_equal(to, DS_OPEN); /* untouched on refusal */
  DsState s;
  assert_true(ds_state_from_code("open", &s));
  assert_int_equal(s, DS_OPEN);
  assert_true(ds_state_from_code("submitted", &s));
  assert_int_equal(s, DS_SUBMITTED);
  assert_false(ds_state_from_code("locked", &s));
  assert_string_equal(ds_state_code(DS_SUBMITTED), "submitted");
  assert_string_equal(ds_state_code(DS_OPEN), "open");
}

static void test_ds_period_check(void **state) {
  (void)state;
  Err e;
  Period p;
  Day today = fix_day("2026-06-15");
  err_clear(&e);
  assert_true(period_parse("2026-06", &p));
  assert_int_equal(ds_check_period(PERIOD_MONTH, p, today, &e), ERR_OK);
  assert_int_equal(ds_check_period(PERIOD_QUARTER, p, today, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "period"));
  err_clear(&e);
  assert_true(period_parse("2026-07", &p));
  assert_int_equal(ds_check_period(PERIOD_MONTH, p, today, &e), ERR_INVALID);
  err_clear(&e);
  assert_true(period_parse("2026", &p)); /* the year has begun: its figures may be entered */
  assert_int_equal(ds_check_period(PERIOD_YEAR, p, today, &e), ERR_OK);
  assert_true(period_parse("2027", &p));
  assert_int_equal(ds_check_period(PERIOD_YEAR, p, today, &e), ERR_INVALID);
}

static void test_ds_values(void **state) {
  (void)state;
  const DsFieldRule f[] = {{"submitted", NULL}, {"adopted", "submitted"}, {"cases", NULL}};
  Err e;
  bool has[3] = {true, true, true};
  int64_t v[3] = {5, 5, 0};
  err_clear(&e);
  assert_int_equal(ds_check_values(f, 3, has, v, &e), ERR_OK);
  v[1] = 6;
  assert_int_equal(ds_check_values(f, 3, has, v, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "adopted"));
  assert_null(err_field_msg(&e, "submitted"));
  err_clear(&e);
  /* the other field unknown: nothing to compare with */
  has[0] = false;
  assert_int_equal(ds_check_values(f, 3, has, v, &e), ERR_OK);
  /* negative and too big, all in one round */
  has[0] = true;
  v[0] = -1;
  v[1] = 0;
  v[2] = DATASET_VALUE_MAX + 1;
  assert_int_equal(ds_check_values(f, 3, has, v, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "submitted"));
  assert_non_null(err_field_msg(&e, "cases"));
  assert_null(err_field_msg(&e, "adopted"));
  err_clear(&e);
  v[2] = DATASET_VALUE_MAX;
  v[0] = 0;
  assert_int_equal(ds_check_values(f, 3, has, v, &e), ERR_OK);
  /* completeness */
  has[1] = false;
  assert_int_equal(ds_check_complete(f, 3, has, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "adopted"));
  assert_int_equal(e.nfields, 1);
  err_clear(&e);
  has[1] = true;
  assert_int_equal(ds_check_complete(f, 3, has, &e), ERR_OK);
}

static void test_ds_parse_count(void **state) {
  (void)state;
  bool has;
  int64_t v;
  assert_true(ds_parse_count("123", &has, &v));
  assert_true(has);
  assert_int_equal(v, 123);
  assert_true(ds_parse_count(" 0 ", &has, &v));
  assert_true(has);
  assert_int_equal(v, 0);
  assert_true(ds_parse_count("", &has, &v));
  assert_false(has);
  assert_true(ds_parse_count("   ", &has, &v));
  assert_false(has);
  assert_true(ds_parse_count(NULL, &has, &v));
  assert_false(has);
  assert_true(ds_parse_count("1000000000", &has, &v));
  assert_int_equal(v, DATASET_VALUE_MAX);
  const char *bad[] = {"-1", "+1", "1.5", "1e3", "12a", "一", "1 2", "10000000000", "99999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (ds_parse_count(bad[i], &has, &v)) fail_msg("ds_parse_count(\"%s\") accepted it", bad[i]);
}

static void test_ds_path_above(void **state) {
  (void)state;
  assert_true(ds_path_above("/1/", "/1/5/"));
  assert_true(ds_path_above("/1/", "/1/5/23/"));
  assert_true(ds_path_above("/1/5/", "/1/5/23/"));
  assert_false(ds_path_above("/1/5/", "/1/5/"));   /* not above itself */
  assert_false(ds_path_above("/1/5/", "/1/50/"));  /* a sibling whose id starts the same */
  assert_false(ds_path_above("/1/5/23/", "/1/5/"));
  assert_false(ds_path_above("/1/6/", "/1/5/23/"));
  assert_true(ds_path_above("/", "/1/"));
  assert_false(ds_path_above(NULL, "/1/"));
  assert_false(ds_path_above("/1", "/1/5/"));
}

/* ---- vocabularies ----------------------------------------------------------- */

static void test_vocab(void **state) {
  (void)state;
  fix_vocab(eradication_species_vocab, ERADICATION_SPECIES);
  fix_vocab(eradication_method_vocab, -1);
  fix_vocab(unit_task_vocab, -1);
  fix_vocab(rhythm_period_vocab, -1);
  fix_vocab(unit_level_vocab, -1);
  /* a vocabulary as a bit set: the bit of each code by its index */
  assert_int_equal(unit_term_bit(unit_level_vocab, unit_level_vocab[0].code), 1u);
  assert_int_equal(unit_term_bit(unit_task_vocab, unit_task_vocab[2].code), 4u);
  assert_int_equal(unit_term_bit(unit_task_vocab, "no_such_code"), 0u);
  assert_int_equal(unit_term_bit(unit_task_vocab, NULL), 0u);
  /* every period kind but "none" is one of core/period.h */
  for (int i = 0; rhythm_period_vocab[i].code; i++) {
    PeriodType t;
    assert_int_equal(period_type_from_code(rhythm_period_vocab[i].code, &t), strcmp(rhythm_period_vocab[i].code, "none") != 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rhythm_dekads),
    cmocka_unit_test(test_rhythm_month_quarter),
    cmocka_unit_test(test_rhythm_n_per_year),
    cmocka_unit_test(test_rhythm_lookback),
    cmocka_unit_test(test_rhythm_after_end),
    cmocka_unit_test(test_rhythm_grace),
    cmocka_unit_test(test_rhythm_inheritance),
    cmocka_unit_test(test_ds_state_machine),
    cmocka_unit_test(test_ds_period_check),
    cmocka_unit_test(test_ds_values),
    cmocka_unit_test(test_ds_parse_count),
    cmocka_unit_test(test_ds_path_above),
    cmocka_unit_test(test_vocab),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
