/* tests/unit/test_risk.c: cmocka unit tests for core/risk.c (the points of
 * every factor with exact scores, the thresholds, serious breach, the codes
 * and Chinese names of the levels). */
#include <stddef.h>
#include <string.h>

#include "core/risk.h"
#include "tests/unit/fixture.h"

/* Factors worth 0 points: abstinent 2 years, nothing else. */
static RiskFactors base(void) {
  RiskFactors f;
  memset(&f, 0, sizeof f);
  f.months_abstinent = 24;
  f.drug_kinds = 1;
  return f;
}

/* The score of f (also checks that a NULL score pointer gives the same level). */
static int score(const RiskFactors *f) {
  int s = -1;
  RiskLevel a = risk_grade(f, &s);
  assert_int_equal(risk_grade(f, NULL), a);
  return s;
}

/* No factor: 0 points, low. */
static void test_zero(void **state) {
  (void)state;
  RiskFactors f = base();
  int s = -1;
  assert_int_equal(risk_grade(&f, &s), RISK_LOW);
  assert_int_equal(s, 0);
  f.drug_kinds = 0;
  assert_int_equal(score(&f), 0);
}

/* Each factor alone, with its exact points and caps. */
static void test_each_factor(void **state) {
  (void)state;
  RiskFactors f;

  f = base(); f.hard_drug = true; assert_int_equal(score(&f), 2);
  /* the whole-number factors: the field, its value, the points */
#define FACTOR(field, value, points) {#field, offsetof(RiskFactors, field), (value), (points)}
  static const struct {
    const char *field;
    size_t off;
    int value, points;
  } ints[] = {
    FACTOR(drug_kinds, 2, 1),
    FACTOR(drug_kinds, 5, 1),
    FACTOR(isolation_count, 1, 1),
    FACTOR(isolation_count, 2, 2),
    FACTOR(isolation_count, 3, 3),
    FACTOR(isolation_count, 7, 3),
    FACTOR(relapse_count, 1, 2),
    FACTOR(relapse_count, 2, 4),
    FACTOR(relapse_count, 3, 6),
    FACTOR(relapse_count, 40, 6),
    FACTOR(months_abstinent, 0, 2),
    FACTOR(months_abstinent, 11, 2),
    FACTOR(months_abstinent, 12, 1),
    FACTOR(months_abstinent, 23, 1),
    FACTOR(months_abstinent, 24, 0),
    FACTOR(months_abstinent, 100, 0),
    /* values below zero (never stored): as zero, or no months abstinent */
    FACTOR(isolation_count, -2, 0),
    FACTOR(relapse_count, -1, 0),
    FACTOR(months_abstinent, -5, 2),
  };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    f = base();
    *(int *)((char *)&f + ints[i].off) = ints[i].value;
    if (score(&f) != ints[i].points) fail_msg("%s = %d: want %d points", ints[i].field, ints[i].value, ints[i].points);
  }
#undef FACTOR

  for (int w = 0; w <= 3; w++) {
    f = base(); f.three_withouts = w; assert_int_equal(score(&f), w);
  }
  f = base(); f.three_withouts = 4; assert_int_equal(score(&f), 3);
  f = base(); f.three_withouts = -1; assert_int_equal(score(&f), 0);

  f = base(); f.no_family_support = true; assert_int_equal(score(&f), 1);

  f = base(); f.missed_tests = 1; assert_int_equal(score(&f), 1);
  f = base(); f.missed_tests = 3; assert_int_equal(score(&f), 3);
  f = base(); f.missed_tests = 10; assert_int_equal(score(&f), 3);

  f = base(); f.lost_contact_recently = true; assert_int_equal(score(&f), 3);

  /* serious breach: no points, but high */
  f = base(); f.serious_breach = true;
  int s = -1;
  assert_int_equal(risk_grade(&f, &s), RISK_HIGH);
  assert_int_equal(s, 0);
}

/* The thresholds: 3 low, 4 medium, 6 medium, 7 high. */
static void test_thresholds(void **state) {
  (void)state;
  RiskFactors f = base();
  int s;
  f.lost_contact_recently = true; /* 3 */
  assert_int_equal(risk_grade(&f, &s), RISK_LOW);
  assert_int_equal(s, 3);
  f.no_family_support = true; /* 4 */
  assert_int_equal(risk_grade(&f, &s), RISK_MEDIUM);
  assert_int_equal(s, 4);
  f.three_withouts = 2; /* 6 */
  assert_int_equal(risk_grade(&f, &s), RISK_MEDIUM);
  assert_int_equal(s, 6);
  f.three_withouts = 3; /* 7 */
  assert_int_equal(risk_grade(&f, &s), RISK_HIGH);
  assert_int_equal(s, 7);
  assert_int_equal(RISK_HIGH_MIN_SCORE, 7);
  assert_int_equal(RISK_MEDIUM_MIN_SCORE, 4);

  /* a typical new case: heroin, just started: 2 + 2 = 4, medium */
  f = base();
  f.hard_drug = true;
  f.months_abstinent = 0;
  assert_int_equal(risk_grade(&f, &s), RISK_MEDIUM);
  assert_int_equal(s, 4);
  /* one relapse more: 6, still medium; one isolation more: 7, high */
  f.relapse_count = 1;
  assert_int_equal(risk_grade(&f, &s), RISK_MEDIUM);
  assert_int_equal(s, 6);
  f.isolation_count = 1;
  assert_int_equal(risk_grade(&f, &s), RISK_HIGH);
  assert_int_equal(s, 7);
}

/* Everything at once: the largest score, 24. */
static void test_maximum(void **state) {
  (void)state;
  RiskFactors f = {
    .hard_drug = true, .drug_kinds = 9, .isolation_count = 9, .relapse_count = 9,
    .months_abstinent = 0, .three_withouts = 9, .no_family_support = true, .missed_tests = 9,
    .lost_contact_recently = true, .serious_breach = true,
  };
  int s;
  assert_int_equal(risk_grade(&f, &s), RISK_HIGH);
  assert_int_equal(s, 24);
}

/* Codes and names of the levels. */
static void test_codes_names(void **state) {
  (void)state;
  assert_string_equal(risk_code(RISK_HIGH), "high");
  assert_string_equal(risk_code(RISK_MEDIUM), "medium");
  assert_string_equal(risk_code(RISK_LOW), "low");
  assert_string_equal(risk_code(RISK_NONE), "");
  assert_string_equal(risk_code((RiskLevel)42), "");
  for (int r = RISK_NONE; r <= RISK_HIGH; r++)
    assert_int_equal(risk_from_code(risk_code((RiskLevel)r)), r);
  assert_int_equal(risk_from_code(NULL), RISK_NONE);
  assert_int_equal(risk_from_code("HIGH"), RISK_NONE);
  assert_int_equal(risk_from_code("red"), RISK_NONE);
  assert_string_equal(risk_name_zh(RISK_HIGH), "高风险");
  assert_string_equal(risk_name_zh(RISK_MEDIUM), "中风险");
  assert_string_equal(risk_name_zh(RISK_LOW), "低风险");
  assert_string_equal(risk_name_zh(RISK_NONE), "未评估");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_zero),
    cmocka_unit_test(test_each_factor),
    cmocka_unit_test(test_thresholds),
    cmocka_unit_test(test_maximum),
    cmocka_unit_test(test_codes_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
