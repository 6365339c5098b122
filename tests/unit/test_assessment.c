/* tests/unit/test_assessment.c: cmocka unit tests for core/assessment.c:
 * item verdicts (counts, rates half up, 0 ÷ 0), the capped score with veto,
 * missing and pending items and the pass rule, the ranking with ties, the
 * choice of the criteria set (year, then nearest unit), the household
 * sample, the check of a set, every transition of the flow, and the
 * 无毒单位 sheet of a partner place scored from figures added up from
 * constructed ledger rows (exact points, a veto, a capped section). */
#include <stdio.h>
#include <string.h>

#include "core/assessment.h"
#include "core/ledger.h"
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


/* ---- 无毒单位: a partner place ------------------------------------------------ */

/* Day of an ISO date. */
static Day day_of(const char *iso) {
  Day d = 0;
  assert_true(date_parse(iso, &d));
  return d;
}

/* The figures of a place for 2026 as of 30 June from constructed ledger
 * rows; the follow-up of the old problem done on done_old (NULL: never). */
static AssessPlaceFacts place_facts(const char *done_old) {
  AssessPlaceFacts f;
  memset(&f, 0, sizeof f);
  Day F = day_of("2026-01-01"), T = day_of("2026-06-30"), D = T, none = LEDGER_NO_DAY;
  assess_place_add_letter(&f, 2026, day_of("2025-12-20"), 2026, D); /* for the year, signed the December before */
  assess_place_add_letter(&f, 2025, day_of("2025-03-01"), 2026, D); /* last year's */
  assess_place_add_letter(&f, 2026, day_of("2026-07-02"), 2026, D); /* signed after D */
  assess_place_add_activity(&f, day_of("2026-03-01"), F, T);
  assess_place_add_activity(&f, day_of("2026-06-30"), F, T); /* on T */
  assess_place_add_activity(&f, day_of("2025-12-31"), F, T); /* before F */
  assess_place_add_inspection(&f, day_of("2026-02-01"), false, none, none, F, T, D);
  /* a problem put right within the year */
  assess_place_add_inspection(&f, day_of("2026-04-01"), true, day_of("2026-04-15"), day_of("2026-04-10"), F, T, D);
  /* last year's problem: outside the window, open until done */
  assess_place_add_inspection(&f, day_of("2025-11-01"), true, day_of("2025-12-01"), done_old ? day_of(done_old) : none,
                              F, T, D);
  /* after D: counts nowhere */
  assess_place_add_inspection(&f, day_of("2026-07-10"), true, none, none, F, T, D);
  return f;
}

/* An item of section sec reading place measure (manual when measure is NULL). */
static AssessItemDef place_item(const char *key, const char *sec, int points, bool veto, const char *measure, AssessOp op,
                                int64_t target) {
  AssessItemDef d = item(key, sec, points, veto);
  d.kind = measure ? AK_AUTO : AK_MANUAL;
  snprintf(d.measure, sizeof d.measure, "%s", measure ? measure : "");
  d.op = op;
  d.target = target;
  return d;
}

/* The default 无毒单位 sheet (migration 24): sections drug_free 40,
 * duty 30, education 30; items as the data. */
static int place_sheet(AssessSectionDef *s, AssessItemDef *it) {
  s[0] = section("drug_free", 40);
  s[1] = section("duty", 30);
  s[2] = section("education", 30);
  it[0] = place_item("no_open_problem", "drug_free", 10, true, "place_open_problems", AO_MAX, 0);
  it[1] = place_item("no_problem_found", "drug_free", 10, false, "place_problems", AO_MAX, 0);
  it[2] = place_item("no_drug_use", "drug_free", 20, true, NULL, AO_MAX, 0);
  it[3] = place_item("letter_signed", "duty", 15, false, "place_letters", AO_MIN, 1);
  it[4] = place_item("organisation", "duty", 15, false, NULL, AO_MAX, 0);
  it[5] = place_item("activities", "education", 15, false, "place_activities", AO_MIN, 2);
  it[6] = place_item("board", "education", 10, false, NULL, AO_MAX, 0);
  it[7] = place_item("staff_education", "education", 10, false, NULL, AO_MAX, 0);
  return 8;
}

/* The verdicts of the sheet for f: automatic items from the figures,
 * manual items met (signed). */
static void place_verdicts(const AssessItemDef *it, int n, const AssessPlaceFacts *f, AssessVerdict *v) {
  for (int i = 0; i < n; i++) {
    if (it[i].kind == AK_MANUAL) {
      v[i] = AV_MET;
      continue;
    }
    int64_t num = -1;
    assert_true(assess_place_figure(f, it[i].measure, &num));
    v[i] = assess_compare(&it[i], false, num, 0, NULL);
  }
}

static void test_place_facts(void **state) {
  (void)state;
  AssessPlaceFacts f = place_facts(NULL);
  assert_int_equal(f.letters, 1);
  assert_int_equal(f.activities, 2);
  assert_int_equal(f.inspections, 2);
  assert_int_equal(f.problems, 1);
  assert_int_equal(f.open_problems, 1);
  /* done on D closes it; done the day after D does not */
  assert_int_equal(place_facts("2026-06-30").open_problems, 0);
  assert_int_equal(place_facts("2026-07-01").open_problems, 1);
  int64_t num = 0;
  assert_true(assess_place_figure(&f, "place_inspections", &num));
  assert_int_equal(num, 2);
  assert_false(assess_place_figure(&f, "lost_contact", &num)); /* a statistics measure is not a place's */
  assert_string_equal(assess_place_measure_name("place_letters"), "签订禁毒责任书份数");
  assert_null(assess_place_measure_name("x"));
}

static void test_place_score(void **state) {
  (void)state;
  AssessSectionDef s[3];
  AssessItemDef it[8];
  int n = place_sheet(s, it);
  Err e;
  err_clear(&e);
  assert_int_equal(assess_set_check(s, 3, it, n, 85, 50, 60, &e), ERR_OK);
  AssessVerdict v[8];
  AssessScore sc;
  /* the old problem put right in May: drug_free 10 + 0 (a problem found in
   * the year) + 20 = 30; duty 15 + 15 = 30; education 15 + 10 + 10 = 35,
   * capped at 30: 90 of 100, pass (85 %) */
  AssessPlaceFacts f = place_facts("2026-05-20");
  place_verdicts(it, n, &f, v);
  assert_int_equal(v[0], AV_MET);
  assert_int_equal(v[1], AV_UNMET);
  assert_int_equal(v[3], AV_MET);
  assert_int_equal(v[5], AV_MET);
  assess_score(s, 3, it, v, n, 85, &sc);
  assert_int_equal(sc.sections[0].earned, 30);
  assert_int_equal(sc.sections[1].earned, 30);
  assert_int_equal(sc.sections[2].raw, 35);
  assert_int_equal(sc.sections[2].earned, 30);
  assert_int_equal(sc.score, 90);
  assert_int_equal(sc.max, 100);
  assert_int_equal(sc.percent_tenths, 900);
  assert_false(sc.veto_failed);
  assert_int_equal(sc.result, AR_PASS);
  /* the old problem still open on D: the veto item fails the place at 80 */
  f = place_facts(NULL);
  place_verdicts(it, n, &f, v);
  assert_int_equal(v[0], AV_UNMET);
  assess_score(s, 3, it, v, n, 85, &sc);
  assert_int_equal(sc.score, 80);
  assert_true(sc.veto_failed);
  assert_int_equal(sc.result, AR_FAIL);
  /* one activity only: education 10 + 10 = 20 (under the cap), 80 of 100: fail */
  f = place_facts("2026-05-20");
  f.activities = 1;
  place_verdicts(it, n, &f, v);
  assess_score(s, 3, it, v, n, 85, &sc);
  assert_int_equal(sc.sections[2].earned, 20);
  assert_int_equal(sc.score, 80);
  assert_false(sc.veto_failed);
  assert_int_equal(sc.result, AR_FAIL);
}

static void test_place_subjects(void **state) {
  (void)state;
  Err e;
  err_clear(&e);
  assert_int_equal(assess_subjects_check("school,enterprise,venue,member_unit", &e), ERR_OK);
  assert_true(assess_subjects_has("school,enterprise,venue", "venue"));
  assert_true(assess_subjects_has("school,enterprise,venue", "school"));
  assert_false(assess_subjects_has("school,enterprise,venue", "member_unit"));
  assert_false(assess_subjects_has("school,enterprise", "enter"));
  assert_false(assess_subjects_has("", "school"));
  const char *bad[] = {"", "school,school", "school,", "bank", "school, venue", ",venue"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err_clear(&e);
    if (assess_subjects_check(bad[i], &e) != ERR_INVALID) fail_msg("accepted %s", bad[i]);
    assert_non_null(err_field_msg(&e, "subjects"));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_compare_counts_and_rates), cmocka_unit_test(test_score_caps_sections),
    cmocka_unit_test(test_score_veto),               cmocka_unit_test(test_score_missing_and_pending),
    cmocka_unit_test(test_rank_ties),                cmocka_unit_test(test_set_pick),
    cmocka_unit_test(test_sample),                   cmocka_unit_test(test_set_check),
    cmocka_unit_test(test_flow),                     cmocka_unit_test(test_place_facts),
    cmocka_unit_test(test_place_score),              cmocka_unit_test(test_place_subjects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
