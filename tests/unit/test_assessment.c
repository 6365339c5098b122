/* tests/unit/test_assessment.c: cmocka unit tests for core/assessment.c:
 * item verdicts (counts, rates half up, 0 ÷ 0), the capped score with veto,
 * missing and pending items and the pass rule, the ranking with ties, the
 * choice of the criteria set (year, then nearest unit), the household
 * sample, the check of a set, and every transition of the flow. */
#include <stdio.h>
#include <string.h>

#include "core/assessment.h"
#include "tests/unit/fixture.h"

/* An item of section sec worth points. */
static AssessItemDef item(const char *key, const char *sec, int points, bool veto) {
  AssessItemDef d;
  memset(&d, 0, sizeof d);
  snprintf(d.key, sizeof d.key, "%s", key);
  snprintf(d.section, sizeof d.section, "%s", sec);
  snprintf(d.label, sizeof d.label, "%s", key);
  snprintf(d.measure, sizeof d.measure, "x");
  d.points = points;
  d.veto = veto;
  return d;
}

static AssessSectionDef section(const char *key, int cap) {
  AssessSectionDef s;
  memset(&s, 0, sizeof s);
  snprintf(s.key, sizeof s.key, "%s", key);
  snprintf(s.label, sizeof s.label, "%s", key);
  s.cap = cap;
  return s;
}

static void test_compare_counts_and_rates(void **state) {
  (void)state;
  AssessItemDef d = item("no_new", "a", 10, true);
  d.op = AO_MAX;
  d.target = 0;
  int64_t v;
  assert_int_equal(assess_compare(&d, false, 0, 0, &v), AV_MET);
  assert_int_equal(v, 0);
  assert_int_equal(assess_compare(&d, false, 1, 0, &v), AV_UNMET);
  assert_int_equal(v, 1);
  /* isolation rate not below 30.0 % */
  d.op = AO_MIN;
  d.target = 300;
  assert_int_equal(assess_compare(&d, true, 3, 10, &v), AV_MET);
  assert_int_equal(v, 300);
  assert_int_equal(assess_compare(&d, true, 2, 10, &v), AV_UNMET);
  assert_int_equal(v, 200);
  /* half up: 860 / 1254 = 68.58 % -> 68.6 %; 68.6 meets 68.6, 68.5 does not meet 68.6 */
  d.target = 686;
  assert_int_equal(assess_compare(&d, true, 860, 1254, &v), AV_MET);
  assert_int_equal(v, 686);
  d.target = 687;
  assert_int_equal(assess_compare(&d, true, 860, 1254, &v), AV_UNMET);
  /* 1 / 3 = 33.33 -> 333; 2 / 3 = 66.67 -> 667 */
  assess_compare(&d, true, 1, 3, &v);
  assert_int_equal(v, 333);
  assess_compare(&d, true, 2, 3, &v);
  assert_int_equal(v, 667);
  /* 100 % of 100 % */
  d.target = 1000;
  assert_int_equal(assess_compare(&d, true, 7, 7, &v), AV_MET);
  assert_int_equal(assess_compare(&d, true, 6, 7, &v), AV_UNMET);
  assert_int_equal(v, 857);
  /* 0 / 0: empty_met decides; the value is -1 */
  d.empty_met = true;
  assert_int_equal(assess_compare(&d, true, 0, 0, &v), AV_MET);
  assert_int_equal(v, -1);
  d.empty_met = false;
  assert_int_equal(assess_compare(&d, true, 0, 0, NULL), AV_UNMET);
}

static void test_score_caps_sections(void **state) {
  (void)state;
  AssessSectionDef s[2] = {section("a", 40), section("b", 60)};
  /* section a: 3 items of 20 (60 > cap 40); section b: 2 items of 30 */
  AssessItemDef it[5] = {item("a1", "a", 20, false), item("a2", "a", 20, false), item("a3", "a", 20, false),
                         item("b1", "b", 30, false), item("b2", "b", 30, false)};
  AssessVerdict v[5] = {AV_MET, AV_MET, AV_MET, AV_MET, AV_UNMET};
  AssessScore sc;
  assess_score(s, 2, it, v, 5, 60, &sc);
  assert_int_equal(sc.sections[0].raw, 60);
  assert_int_equal(sc.sections[0].earned, 40);
  assert_int_equal(sc.sections[0].possible, 40);
  assert_int_equal(sc.sections[1].earned, 30);
  assert_int_equal(sc.sections[1].possible, 60);
  assert_int_equal(sc.score, 70);
  assert_int_equal(sc.max, 100);
  assert_int_equal(sc.percent_tenths, 700);
  assert_int_equal(sc.result, AR_PASS);
  assert_int_equal(sc.met, 4);
  assert_int_equal(sc.unmet, 1);
  /* one met item of a lost: still 40 (caps hide it); 71 % needed: fail */
  v[0] = AV_UNMET;
  assess_score(s, 2, it, v, 5, 71, &sc);
  assert_int_equal(sc.sections[0].earned, 40);
  assert_int_equal(sc.score, 70);
  assert_int_equal(sc.result, AR_FAIL);
  /* exactly at the line passes: 70 of 100 at 70 % */
  assess_score(s, 2, it, v, 5, 70, &sc);
  assert_int_equal(sc.result, AR_PASS);
}

static void test_score_veto(void **state) {
  (void)state;
  AssessSectionDef s[1] = {section("a", 100)};
  AssessItemDef it[3] = {item("v", "a", 10, true), item("x", "a", 60, false), item("y", "a", 30, false)};
  AssessVerdict v[3] = {AV_UNMET, AV_MET, AV_MET};
  AssessScore sc;
  assess_score(s, 1, it, v, 3, 60, &sc);
  assert_int_equal(sc.score, 90);
  assert_true(sc.veto_failed);
  assert_int_equal(sc.result, AR_FAIL);
  /* a veto pending is not a failure yet */
  v[0] = AV_PENDING;
  assess_score(s, 1, it, v, 3, 60, &sc);
  assert_false(sc.veto_failed);
  assert_int_equal(sc.result, AR_PENDING);
  assert_int_equal(sc.best, 100);
}

static void test_score_missing_and_pending(void **state) {
  (void)state;
  AssessSectionDef s[2] = {section("a", 50), section("b", 50)};
  AssessItemDef it[4] = {item("a1", "a", 25, true), item("a2", "a", 25, false), item("b1", "b", 50, false),
                         item("b2", "b", 10, false)};
  /* a2 missing (未接入): not scored, the max shrinks to 75 (b capped at 50) */
  AssessVerdict v[4] = {AV_MET, AV_MISSING, AV_MET, AV_UNMET};
  AssessScore sc;
  assess_score(s, 2, it, v, 4, 85, &sc);
  assert_int_equal(sc.missing, 1);
  assert_int_equal(sc.max, 75);
  assert_int_equal(sc.score, 75);
  assert_int_equal(sc.percent_tenths, 1000);
  assert_int_equal(sc.result, AR_PASS);
  /* a missing veto item fails nothing */
  v[0] = AV_MISSING;
  assess_score(s, 2, it, v, 4, 85, &sc);
  assert_false(sc.veto_failed);
  assert_int_equal(sc.max, 50);
  assert_int_equal(sc.score, 50);
  /* pending b1: best 75 of 75 reaches 85 %: pending */
  v[0] = AV_MET;
  v[2] = AV_PENDING;
  assess_score(s, 2, it, v, 4, 85, &sc);
  assert_int_equal(sc.score, 25);
  assert_int_equal(sc.best, 75);
  assert_int_equal(sc.result, AR_PENDING);
  /* pending b2 only (10 points) cannot lift 25 + 10 to 85 % of 75: fail already */
  v[2] = AV_UNMET;
  v[3] = AV_PENDING;
  assess_score(s, 2, it, v, 4, 85, &sc);
  assert_int_equal(sc.best, 35);
  assert_int_equal(sc.result, AR_FAIL);
  /* nothing evaluable: pending, percent -1 */
  AssessVerdict none[4] = {AV_MISSING, AV_MISSING, AV_MISSING, AV_MISSING};
  assess_score(s, 2, it, none, 4, 85, &sc);
  assert_int_equal(sc.max, 0);
  assert_int_equal(sc.percent_tenths, -1);
  assert_int_equal(sc.result, AR_PENDING);
}

static void test_rank_ties(void **state) {
  (void)state;
  int64_t p[5] = {900, 1000, 900, -1, 900};
  AssessResult r[5] = {AR_PASS, AR_PASS, AR_PASS, AR_PENDING, AR_FAIL};
  int rank[5], order[5];
  assess_rank(p, r, 5, rank, order);
  assert_int_equal(rank[1], 1);
  assert_int_equal(rank[0], 2);
  assert_int_equal(rank[2], 2);
  assert_int_equal(rank[4], 4); /* 90.0 % but failed (veto): after the passing ones */
  assert_int_equal(rank[3], 5);
  int want[5] = {1, 0, 2, 4, 3};
  for (int i = 0; i < 5; i++) assert_int_equal(order[i], want[i]);
  assess_rank(p, r, 0, rank, order); /* nothing to rank */
}

static void test_set_pick(void **state) {
  (void)state;
  /* the default 2000, the county's 2025, a street's 2024, the county's 2027 */
  AssessSetRef s[4] = {{0, 2000}, {1, 2025}, {2, 2024}, {1, 2027}};
  assert_int_equal(assess_set_pick(s, 4, 2026), 1); /* the latest year wins over the nearer unit */
  assert_int_equal(assess_set_pick(s, 4, 2024), 2);
  assert_int_equal(assess_set_pick(s, 4, 2027), 3);
  assert_int_equal(assess_set_pick(s, 4, 1999), -1);
  AssessSetRef same[3] = {{0, 2026}, {2, 2026}, {1, 2026}};
  assert_int_equal(assess_set_pick(same, 3, 2026), 1); /* the same year: the nearest unit */
  assert_int_equal(assess_set_pick(same, 0, 2026), -1);
}

static void test_sample(void **state) {
  (void)state;
  Err e;
  err_clear(&e);
  AssessSample s = {55, 200, 197, 190};
  assert_int_equal(assess_sample_check(&s, 50, 60, &e), ERR_OK);
  int64_t num, den;
  assert_true(assess_sample_figures(&s, "accuracy", &num, &den));
  assert_int_equal(num, 197);
  assert_int_equal(den, 200);
  assert_true(assess_sample_figures(&s, "completeness", &num, &den));
  assert_int_equal(num, 190);
  assert_false(assess_sample_figures(&s, "other", &num, &den));
  AssessItemDef d = item("acc", "d", 8, false);
  d.op = AO_MIN;
  d.target = 985; /* 98.5 % */
  assert_int_equal(assess_compare(&d, true, 197, 200, NULL), AV_MET); /* 98.5 */
  assert_int_equal(assess_compare(&d, true, 196, 200, NULL), AV_UNMET); /* 98.0 */
  AssessSample bad = {49, 0, -1, 3};
  err_clear(&e);
  assert_int_equal(assess_sample_check(&bad, 50, 60, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "households"));
  assert_non_null(err_field_msg(&e, "records"));
  assert_non_null(err_field_msg(&e, "accurate"));
  AssessSample over = {61, 10, 11, 10};
  err_clear(&e);
  assess_sample_check(&over, 50, 60, &e);
  assert_non_null(err_field_msg(&e, "households"));
  assert_non_null(err_field_msg(&e, "accurate"));
  assert_null(err_field_msg(&e, "complete"));
}

static void test_set_check(void **state) {
  (void)state;
  AssessSectionDef s[2] = {section("a", 40), section("b", 60)};
  AssessItemDef it[2] = {item("a1", "a", 50, true), item("b1", "b", 60, false)};
  Err e;
  err_clear(&e);
  assert_int_equal(assess_set_check(s, 2, it, 2, 85, 50, 60, &e), ERR_OK);
  s[1].cap = 50; /* caps 90 */
  assert_int_equal(assess_set_check(s, 2, it, 2, 85, 50, 60, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "sections"));
  s[1].cap = 60;
  snprintf(it[1].section, sizeof it[1].section, "zz");
  err_clear(&e);
  assess_set_check(s, 2, it, 2, 0, 60, 50, &e);
  assert_non_null(err_field_msg(&e, "items"));
  assert_non_null(err_field_msg(&e, "pass_percent"));
  assert_non_null(err_field_msg(&e, "sample"));
  snprintf(it[1].section, sizeof it[1].section, "b");
  it[1].kind = AK_SAMPLE;
  err_clear(&e);
  assess_set_check(s, 2, it, 2, 85, 50, 60, &e);
  assert_non_null(err_field_msg(&e, "items")); /* a sample item measures accuracy or completeness */
  snprintf(it[1].measure, sizeof it[1].measure, "accuracy");
  err_clear(&e);
  assert_int_equal(assess_set_check(s, 2, it, 2, 85, 50, 60, &e), ERR_OK);
  snprintf(it[1].key, sizeof it[1].key, "a1"); /* a duplicate key */
  assert_int_equal(assess_set_check(s, 2, it, 2, 85, 50, 60, &e), ERR_INVALID);
}

static void test_flow(void **state) {
  (void)state;
  AssessState to;
  const struct { AssessState s; AssessAction a; bool ok; AssessState to; } cases[] = {
    {AST_NONE, AA_APPLY, true, AST_APPLIED},
    {AST_RETURNED, AA_APPLY, true, AST_APPLIED},
    {AST_APPLIED, AA_APPLY, false, AST_NONE},
    {AST_APPLIED, AA_REVIEW_PASS, true, AST_REVIEWED},
    {AST_APPLIED, AA_REVIEW_RETURN, true, AST_RETURNED},
    {AST_APPLIED, AA_APPROVE, false, AST_NONE},
    {AST_NONE, AA_REVIEW_PASS, false, AST_NONE},
    {AST_REVIEWED, AA_APPROVE, true, AST_APPROVED},
    {AST_REVIEWED, AA_REJECT, true, AST_REJECTED},
    {AST_REVIEWED, AA_REVIEW_PASS, false, AST_NONE},
    {AST_APPROVED, AA_APPROVE, false, AST_NONE},
    {AST_APPROVED, AA_APPLY, false, AST_NONE},
    {AST_REJECTED, AA_APPLY, false, AST_NONE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    bool ok = assess_transition(cases[i].s, cases[i].a, &to);
    if (ok != cases[i].ok) fail_msg("case %zu", i);
    if (ok) assert_int_equal(to, cases[i].to);
  }
  assert_true(assess_state_open(AST_APPLIED));
  assert_false(assess_state_open(AST_REVIEWED));
  assert_false(assess_state_open(AST_APPROVED));
  AssessState st;
  AssessAction a;
  assert_true(assess_state_parse("reviewed", &st));
  assert_int_equal(st, AST_REVIEWED);
  assert_false(assess_state_parse("done", &st));
  assert_true(assess_action_parse("review_return", &a));
  assert_int_equal(a, AA_REVIEW_RETURN);
  assert_string_equal(assess_state_code(AST_APPROVED), "approved");
  assert_string_equal(assess_verdict_code(AV_MISSING), "not_available");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_compare_counts_and_rates), cmocka_unit_test(test_score_caps_sections),
    cmocka_unit_test(test_score_veto),               cmocka_unit_test(test_score_missing_and_pending),
    cmocka_unit_test(test_rank_ties),                cmocka_unit_test(test_set_pick),
    cmocka_unit_test(test_sample),                   cmocka_unit_test(test_set_check),
    cmocka_unit_test(test_flow),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
