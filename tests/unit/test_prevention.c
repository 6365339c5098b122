/* tests/unit/test_prevention.c: cmocka unit tests for the pure rules of the
 * prevention ledgers (core/prevention.c): the awareness rate and its
 * rounding, whether a rate meets its target (exactly, no rounding up), the
 * counts' rule, the target a unit inherits down the tree (and the group
 * defaults), the printed materials total and per-type sums, the statistics
 * slots of an activity and of a survey, and that every vocabulary is well
 * formed. */
#include <stdio.h>
#include <string.h>

#include "core/prevention.h"
#include "core/rhythm.h"
#include "tests/unit/fixture.h"

static void test_awareness_rate(void **state) {
  (void)state;
  int64_t t = -1;
  assert_true(awareness_rate_tenths(87, 96, &t));
  assert_int_equal(t, 906); /* 90.625 % */
  assert_true(awareness_rate_tenths(1, 8, &t));
  assert_int_equal(t, 125); /* 12.5 % */
  assert_true(awareness_rate_tenths(1, 16, &t));
  assert_int_equal(t, 63); /* 6.25 % rounds half up to 6.3 */
  assert_true(awareness_rate_tenths(0, 5, &t));
  assert_int_equal(t, 0);
  assert_true(awareness_rate_tenths(5, 5, &t));
  assert_int_equal(t, 1000);
  assert_false(awareness_rate_tenths(0, 0, &t)); /* no respondents: no rate */
}

static void test_awareness_met(void **state) {
  (void)state;
  static const struct { int64_t aware, respondents; int target; bool met; } cases[] = {
    {90, 100, 90, true},
    {89, 100, 90, false},
    {87, 96, 100, false},
    {96, 96, 100, true},
    {899, 1000, 90, false}, /* 89.9 %: shown rounded as 89.9, never met at 90 */
    {2, 3, 66, true},       /* 2 of 3 is 66.67 %: meets 66, not 67 */
    {2, 3, 67, false},
    {0, 10, 0, true},
    {0, 0, 0, false}, /* nobody asked: never met */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (awareness_met(cases[i].aware, cases[i].respondents, cases[i].target) != cases[i].met)
      fail_msg("awareness_met(%lld, %lld, %d) is not %d", (long long)cases[i].aware, (long long)cases[i].respondents,
               cases[i].target, cases[i].met);
}

static void test_awareness_counts(void **state) {
  (void)state;
  assert_null(awareness_counts_msg(96, 87));
  assert_null(awareness_counts_msg(1, 0));
  assert_null(awareness_counts_msg(5, 5));
  assert_string_equal(awareness_counts_msg(0, 0), "调查人数至少为1");
  assert_string_equal(awareness_counts_msg(-3, 0), "调查人数至少为1");
  assert_string_equal(awareness_counts_msg(10, 11), "知晓人数不能大于调查人数");
  assert_string_equal(awareness_counts_msg(10, -1), "知晓人数不能为负数");
}

static void test_target_defaults(void **state) {
  (void)state;
  assert_int_equal(survey_group_default("town"), 100);
  assert_int_equal(survey_group_default("rural"), 90);
  assert_int_equal(survey_group_default("migrant"), 100);
  assert_int_equal(survey_group_default("venue"), 100);
  assert_int_equal(survey_group_default("student"), 100);
  assert_int_equal(survey_group_default("nobody"), 100);
  assert_int_equal(survey_group_at("cadre"), 5);
  assert_int_equal(survey_group_at("nobody"), -1);
  assert_int_equal(survey_group_at(NULL), -1);
}

static void test_target_inherited(void **state) {
  (void)state;
  /* county 1 > street 5 > community 23; street 6 beside */
  int64_t chain[RHYTHM_DEPTH_MAX];
  int depth = rhythm_path_chain("/1/5/23/", chain, RHYTHM_DEPTH_MAX);
  assert_int_equal(depth, 3);
  int from = 99;
  /* nothing set: the group's default */
  assert_int_equal(awareness_target_resolve(NULL, 0, chain, depth, "rural", &from), 90);
  assert_int_equal(from, -1);
  AwarenessTarget rows[] = {
    {1, "rural", 80},    /* the county */
    {5, "rural", 95},    /* the street */
    {6, "rural", 70},    /* another street: never applies here */
    {23, "migrant", 85}, /* the community itself, another group */
  };
  int n = (int)(sizeof rows / sizeof rows[0]);
  assert_int_equal(awareness_target_resolve(rows, n, chain, depth, "rural", &from), 95);
  assert_int_equal(from, 1); /* the nearest unit's: the street over the county */
  assert_int_equal(awareness_target_resolve(rows, n, chain, depth, "migrant", &from), 85);
  assert_int_equal(from, 3);
  assert_int_equal(awareness_target_resolve(rows, n, chain, depth, "town", &from), 100);
  assert_int_equal(from, -1);
  /* the street itself: its own; the county: its own */
  assert_int_equal(awareness_target_resolve(rows, n, chain, 2, "rural", NULL), 95);
  assert_int_equal(awareness_target_resolve(rows, n, chain, 1, "rural", NULL), 80);
  /* a community of the other street inherits 70 */
  int64_t other[RHYTHM_DEPTH_MAX];
  int d2 = rhythm_path_chain("/1/6/30/", other, RHYTHM_DEPTH_MAX);
  assert_int_equal(awareness_target_resolve(rows, n, other, d2, "rural", NULL), 70);
  /* a target of 0 set below applies (not taken for "none") */
  AwarenessTarget zero[] = {{1, "rural", 80}, {23, "rural", 0}};
  assert_int_equal(awareness_target_resolve(zero, 2, chain, depth, "rural", NULL), 0);
}

static void test_materials(void **state) {
  (void)state;
  int64_t m[ACTIVITY_MATERIALS] = {0};
  m[MAT_LEAFLETS] = 500;
  m[MAT_BANNERS] = 2;
  m[MAT_SLOGANS] = 3;
  m[MAT_BOARDS] = 1;
  m[MAT_EXHIBITS] = 12;
  m[MAT_POSTERS] = 4;
  m[MAT_NOTICES] = 6;
  m[MAT_BROADCASTS] = 3;
  m[MAT_BROADCAST_MINUTES] = 90;
  m[MAT_MESSAGES] = 2000;
  /* printed: leaflets, banners, slogans, boards, panels, wall charts, notices */
  assert_int_equal(prevention_materials_printed(m), 528);
  int64_t sum[ACTIVITY_MATERIALS] = {0};
  prevention_materials_add(sum, m);
  prevention_materials_add(sum, m);
  assert_int_equal(sum[MAT_LEAFLETS], 1000);
  assert_int_equal(sum[MAT_BROADCAST_MINUTES], 180);
  assert_int_equal(prevention_materials_printed(sum), 1056);
  int64_t none[ACTIVITY_MATERIALS] = {0};
  assert_int_equal(prevention_materials_printed(none), 0);
  /* the API names, in the order of the columns */
  assert_string_equal(activity_material_vocab[MAT_LEAFLETS].code, "leaflets");
  assert_string_equal(activity_material_vocab[MAT_MESSAGES].code, "messages");
  assert_false(activity_material_vocab[MAT_BROADCAST_MINUTES].printed);
}

static void test_slots(void **state) {
  (void)state;
  int64_t v[AS__COUNT] = {0};
  int64_t m[ACTIVITY_MATERIALS] = {[MAT_LEAFLETS] = 100, [MAT_BROADCAST_MINUTES] = 30};
  prevention_activity_slots("lecture", "school,family", 320, 15, m, v);
  prevention_activity_slots("campaign", "community", 80, 0, m, v);
  assert_int_equal(v[AS_ACTIVITIES], 2);
  assert_int_equal(v[AS_PARTICIPANTS], 400);
  assert_int_equal(v[AS_CONSULTATIONS], 15);
  assert_int_equal(v[AS_MATERIALS], 200);
  assert_int_equal(v[AS_KIND0 + 0], 1); /* lecture */
  assert_int_equal(v[AS_KIND0 + 2], 1); /* campaign */
  assert_int_equal(v[AS_SETTING0 + 0], 1); /* school */
  assert_int_equal(v[AS_SETTING0 + 1], 1); /* family */
  assert_int_equal(v[AS_SETTING0 + 2], 1); /* community */
  assert_int_equal(v[AS_SETTING0 + 5], 0); /* village */
  int64_t s[SVS__COUNT] = {0};
  prevention_survey_slots("cadre", 96, 87, 100, s);
  prevention_survey_slots("rural", 50, 45, 90, s);
  prevention_survey_slots("cadre", 4, 4, 100, s);
  assert_int_equal(s[SVS_SURVEYS], 3);
  assert_int_equal(s[SVS_RESPONDENTS], 150);
  assert_int_equal(s[SVS_AWARE], 136);
  assert_int_equal(s[SVS_MET], 2);
  assert_int_equal(s[SVS_GROUP_RESP0 + 5], 100);
  assert_int_equal(s[SVS_GROUP_AWARE0 + 5], 91);
  assert_int_equal(s[SVS_GROUP_RESP0 + 1], 50);
}

static void test_codes_has(void **state) {
  (void)state;
  static const FixPair cases[] = { /* list, code, whether the list has it */
    {"school,family", "family", true}, {"school", "school", true}, {"schools,family", "school", false},
    {"", "school", false},             {NULL, "school", false},    {"school", "", false},
  };
  FIX_PAIRS(prevention_codes_has, cases);
}

/* The settings as bits (activity.settings_mask): bit k for code k; the
 * filter's bit matches exactly the lists prevention_codes_has finds it in. */
static void test_settings_mask(void **state) {
  (void)state;
  assert_int_equal(prevention_settings_mask(""), 0);
  assert_int_equal(prevention_settings_mask(NULL), 0);
  assert_int_equal(prevention_settings_mask("school"), 1);
  assert_int_equal(prevention_settings_mask("school,family"), 3);
  assert_int_equal(prevention_settings_mask("village,school"), 33);
  assert_int_equal(prevention_settings_mask("school,family,community,unit,venue,village"), 63);
  assert_int_equal(prevention_settings_mask("schools,famil,x"), 0); /* not codes */
  assert_int_equal(prevention_setting_bit("venue"), 16);
  assert_int_equal(prevention_setting_bit("nope"), 0);
  assert_int_equal(prevention_setting_bit(NULL), 0);
  static const char *const lists[] = {"", "school", "family,unit", "village,venue,community", "unit"};
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
    for (int k = 0; activity_setting_vocab[k].code; k++)
      assert_int_equal((prevention_settings_mask(lists[i]) & prevention_setting_bit(activity_setting_vocab[k].code)) != 0,
                       prevention_codes_has(lists[i], activity_setting_vocab[k].code));
}

/* The key of the kept sums: none, one or two of kind, setting and campaign
 * name dim and code in that order; three, or a value too long, none. */
static void test_total_key(void **state) {
  (void)state;
  char dim[PREVENTION_KEY_DIM], code[PREVENTION_KEY_CODE];
  static const struct {
    const char *kind, *setting, *campaign;
    int asked;
    const char *dim, *code;
  } cases[] = {
    {NULL, NULL, NULL, 0, "", ""},
    {"", "", "", 0, "", ""},
    {"lecture", NULL, NULL, 1, "kind", "lecture"},
    {NULL, "school", "", 1, "setting", "school"},
    {"", NULL, "d626", 1, "campaign", "d626"},
    {"lecture", "school", NULL, 2, "kind_setting", "lecture,school"},
    {"lecture", "", "d626", 2, "kind_campaign", "lecture,d626"},
    {NULL, "venue", "month", 2, "setting_campaign", "venue,month"},
    {"lecture", "school", "d626", 3, "", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memset(dim, 'x', sizeof dim);
    memset(code, 'x', sizeof code);
    assert_int_equal(prevention_total_key(cases[i].kind, cases[i].setting, cases[i].campaign, dim, code),
                     cases[i].asked);
    assert_string_equal(dim, cases[i].dim);
    assert_string_equal(code, cases[i].code);
  }
  char longer[PREVENTION_KEY_CODE + 8];
  memset(longer, 'k', sizeof longer - 1);
  longer[sizeof longer - 1] = 0;
  assert_int_equal(prevention_total_key(longer, "school", NULL, dim, code), 3);
  assert_string_equal(dim, "");
  assert_string_equal(code, "");
  longer[PREVENTION_KEY_CODE - 1 - 7] = 0; /* "kkk…k,school" is 63 bytes: fits */
  assert_int_equal(prevention_total_key(longer, "school", NULL, dim, code), 2);
  assert_int_equal((int)strlen(code), PREVENTION_KEY_CODE - 1);
  longer[PREVENTION_KEY_CODE - 1 - 7] = 'k'; /* one more: cut, no key */
  longer[PREVENTION_KEY_CODE - 7] = 0;
  assert_int_equal(prevention_total_key(longer, "school", NULL, dim, code), 3);
}

static void test_vocab(void **state) {
  (void)state;
  fix_vocab(activity_kind_vocab, ACTIVITY_KINDS);
  fix_vocab(activity_setting_vocab, ACTIVITY_SETTINGS);
  fix_vocab(activity_campaign_vocab, -1);
  fix_vocab(activity_audience_vocab, -1);
  fix_vocab(survey_group_vocab, SURVEY_GROUPS);
  fix_vocab(survey_method_vocab, -1);
  for (int g = 0; g < SURVEY_GROUPS; g++)
    assert_int_equal(survey_group_default(survey_group_vocab[g].code), survey_group_targets[g]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_awareness_rate),   cmocka_unit_test(test_awareness_met),
    cmocka_unit_test(test_awareness_counts), cmocka_unit_test(test_target_defaults),
    cmocka_unit_test(test_target_inherited), cmocka_unit_test(test_materials),
    cmocka_unit_test(test_slots),            cmocka_unit_test(test_codes_has),
    cmocka_unit_test(test_vocab), cmocka_unit_test(test_settings_mask),
    cmocka_unit_test(test_total_key),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
