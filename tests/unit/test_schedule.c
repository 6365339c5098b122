/* tests/unit/test_schedule.c: cmocka unit tests for core/schedule.c (the
 * presets, the spec text parser and formatter, whole calendar months, tiers
 * and the due dates of schedule_compute with exact dates). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "tests/unit/fixture.h"

/* The preset with code (must exist). */
static const ScheduleRule *P(const char *code) {
  const ScheduleRule *r = schedule_preset_by_code(code);
  assert_non_null(r);
  return r;
}

/* A schedule input: status, clock start, optional last test/talk ("" =
 * none) and risk. */
static ScheduleInput IN(Status s, const char *clock, const char *last_test, const char *last_talk,
                        RiskLevel risk) {
  ScheduleInput in;
  memset(&in, 0, sizeof in);
  in.status = s;
  if (clock && *clock) {
    in.has_clock = true;
    in.clock_start = fix_day(clock);
  }
  if (last_test && *last_test) {
    in.has_last_test = true;
    in.last_test = fix_day(last_test);
  }
  if (last_talk && *last_talk) {
    in.has_last_talk = true;
    in.last_talk = fix_day(last_talk);
  }
  in.risk = risk;
  return in;
}

/* schedule_compute of rule code for in as of the ISO day asof. */
static ScheduleResult run(const char *code, ScheduleInput in, const char *asof) {
  ScheduleResult res;
  memset(&res, 0x5a, sizeof res); /* compute must overwrite everything */
  schedule_compute(P(code), &in, fix_day(asof), &res);
  return res;
}

/* true when every field of a and b but the code is equal. */
static bool rules_equal(const ScheduleRule *a, const ScheduleRule *b) {
  if (a->release_months != b->release_months || a->high_max_months != b->high_max_months ||
      a->medium_max_months != b->medium_max_months)
    return false;
  for (int s = -1; s < ST__COUNT; s++) {
    const ScheduleTable *ta = s < 0 ? &a->base : &a->by_status[s];
    const ScheduleTable *tb = s < 0 ? &b->base : &b->by_status[s];
    if (ta->ntiers != tb->ntiers) return false;
    for (int i = 0; i < ta->ntiers; i++)
      if (ta->tiers[i].until_months != tb->tiers[i].until_months ||
          ta->tiers[i].talk_months != tb->tiers[i].talk_months ||
          ta->tiers[i].test_months != tb->tiers[i].test_months)
        return false;
  }
  return true;
}

/* ---- presets ------------------------------------------------------------ */

static const char *const SPEC_DEFAULT = "base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2";
static const char *const SPEC_MONTHLY = "base=36:1:6;release=36;high=1;medium=0";
static const char *const SPEC_ANNUAL =
    "base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2;"
    "community_detox=12:1:1,24:2:2,36:3:3;community_rehab=12:2:2,24:3:3,36:6:6";

/* Three presets in order, found by code, with Chinese names; custom codes
 * have none. */
static void test_presets_lookup(void **state) {
  (void)state;
  assert_int_equal(schedule_preset_count(), 3);
  assert_string_equal(schedule_preset(0)->code, "default");
  assert_string_equal(schedule_preset(1)->code, "monthly_visit");
  assert_string_equal(schedule_preset(2)->code, "annual_counts");
  assert_null(schedule_preset(3));
  assert_null(schedule_preset(-1));
  assert_ptr_equal(schedule_preset_by_code("annual_counts"), schedule_preset(2));
  assert_null(schedule_preset_by_code("custom"));
  assert_null(schedule_preset_by_code(""));
  assert_null(schedule_preset_by_code(NULL));
  for (int i = 0; i < 3; i++) {
    const char *name = schedule_preset_name(schedule_preset(i)->code);
    assert_non_null(name);
    assert_true(strlen(name) > 0);
  }
  assert_null(schedule_preset_name("custom"));
  assert_null(schedule_preset_name(NULL));
}

/* The presets hold exactly the values of the header and format to the
 * expected canonical text. */
static void test_presets_values(void **state) {
  (void)state;
  const ScheduleRule *d = P("default");
  assert_int_equal(d->base.ntiers, 3);
  assert_int_equal(d->base.tiers[0].until_months, 12);
  assert_int_equal(d->base.tiers[0].talk_months, 2);
  assert_int_equal(d->base.tiers[0].test_months, 2);
  assert_int_equal(d->base.tiers[1].until_months, 24);
  assert_int_equal(d->base.tiers[1].test_months, 3);
  assert_int_equal(d->base.tiers[2].until_months, 36);
  assert_int_equal(d->base.tiers[2].test_months, 6);
  assert_int_equal(d->release_months, 36);
  assert_int_equal(d->high_max_months, 1);
  assert_int_equal(d->medium_max_months, 2);
  for (int s = 0; s < ST__COUNT; s++) assert_int_equal(d->by_status[s].ntiers, 0);

  const ScheduleRule *m = P("monthly_visit");
  assert_int_equal(m->base.ntiers, 1);
  assert_int_equal(m->base.tiers[0].until_months, 36);
  assert_int_equal(m->base.tiers[0].talk_months, 1);
  assert_int_equal(m->base.tiers[0].test_months, 6);
  assert_int_equal(m->high_max_months, 1);
  assert_int_equal(m->medium_max_months, 0);

  const ScheduleRule *a = P("annual_counts");
  assert_int_equal(a->by_status[ST_COMMUNITY_DETOX].ntiers, 3);
  assert_int_equal(a->by_status[ST_COMMUNITY_REHAB].ntiers, 3);
  assert_int_equal(a->by_status[ST_SOCIAL_SUPERVISION].ntiers, 0);
  assert_ptr_equal(schedule_table(a, ST_SOCIAL_SUPERVISION), &a->base);
  assert_ptr_equal(schedule_table(a, ST_COMMUNITY_DETOX), &a->by_status[ST_COMMUNITY_DETOX]);
  /* tests a year: 12/6/4 (detox) and 6/4/2 (rehab) */
  static const int detox_per_year[3] = {12, 6, 4}, rehab_per_year[3] = {6, 4, 2};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(12 / a->by_status[ST_COMMUNITY_DETOX].tiers[i].test_months, detox_per_year[i]);
    assert_int_equal(12 / a->by_status[ST_COMMUNITY_REHAB].tiers[i].test_months, rehab_per_year[i]);
    assert_int_equal(a->by_status[ST_COMMUNITY_DETOX].tiers[i].talk_months,
                     a->by_status[ST_COMMUNITY_DETOX].tiers[i].test_months);
  }

  char buf[SCHED_SPEC_MAX];
  schedule_rule_format(d, buf, sizeof buf);
  assert_string_equal(buf, SPEC_DEFAULT);
  schedule_rule_format(m, buf, sizeof buf);
  assert_string_equal(buf, SPEC_MONTHLY);
  schedule_rule_format(a, buf, sizeof buf);
  assert_string_equal(buf, SPEC_ANNUAL);
}

/* ---- parser and formatter ----------------------------------------------- */

/* Every preset's formatted text parses back to the same rule, formats to
 * the same text, and the caller's code is kept. */
static void test_parse_round_trip(void **state) {
  (void)state;
  for (int i = 0; i < schedule_preset_count(); i++) {
    const ScheduleRule *p = schedule_preset(i);
    char text[SCHED_SPEC_MAX], again[SCHED_SPEC_MAX];
    schedule_rule_format(p, text, sizeof text);
    ScheduleRule r;
    memset(&r, 0, sizeof r);
    strcpy(r.code, "mine");
    Err e;
    err_clear(&e);
    assert_int_equal(schedule_rule_parse(text, &r, &e), ERR_OK);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(r.code, "mine");
    assert_true(rules_equal(&r, p));
    schedule_rule_format(&r, again, sizeof again);
    assert_string_equal(again, text);
  }
}

/* Parses spec into *r (zeroed first), asserting it is accepted. */
static void parse_ok(const char *spec, ScheduleRule *r) {
  memset(r, 0, sizeof *r);
  Err e;
  err_clear(&e);
  assert_int_equal(schedule_rule_parse(spec, r, &e), ERR_OK);
}

/* Whitespace, a trailing ';', any key order and missing caps are accepted;
 * the canonical text puts everything in order. */
static void test_parse_lenient_forms(void **state) {
  (void)state;
  ScheduleRule r;
  parse_ok(" social_supervision = 6:1:1 , 36:2:2 ;\n medium=3 ;release = 48; base=12:2:2,24:3:3 ;", &r);
  char buf[SCHED_SPEC_MAX];
  schedule_rule_format(&r, buf, sizeof buf);
  assert_string_equal(buf, "base=12:2:2,24:3:3;release=48;high=0;medium=3;social_supervision=6:1:1,36:2:2");
  assert_int_equal(r.by_status[ST_SOCIAL_SUPERVISION].tiers[1].until_months, 36);

  /* the longest kind of rule: 6 tiers in base and in every status table */
  const char *tiers = "20:24:24,40:24:24,60:24:24,80:24:24,100:24:24,120:24:24";
  char spec[SCHED_SPEC_MAX];
  snprintf(spec, sizeof spec,
           "base=%s;release=120;high=24;medium=24;community_detox=%s;community_rehab=%s;"
           "social_supervision=%s",
           tiers, tiers, tiers, tiers);
  parse_ok(spec, &r);
  schedule_rule_format(&r, buf, sizeof buf);
  assert_string_equal(buf, spec);

  /* a too small buffer truncates, NUL-terminated */
  char small[10];
  schedule_rule_format(P("default"), small, sizeof small);
  assert_string_equal(small, "base=12:2");
}

/* One bad spec: ERR_INVALID with the expected message on the field "spec",
 * and *out untouched. */
static void expect_bad(const char *spec, const char *msg) {
  ScheduleRule r;
  memset(&r, 0x11, sizeof r);
  ScheduleRule before = r;
  Err e;
  err_clear(&e);
  if (schedule_rule_parse(spec, &r, &e) != ERR_INVALID) fail_msg("accepted: %s", spec ? spec : "(null)");
  assert_int_equal(e.code, ERR_INVALID);
  assert_non_null(e.msg);
  if (strcmp(e.msg, msg) != 0) fail_msg("%s: got %s, want %s", spec ? spec : "(null)", e.msg, msg);
  assert_non_null(err_field_msg(&e, "spec"));
  assert_string_equal(err_field_msg(&e, "spec"), msg);
  assert_memory_equal(&r, &before, sizeof r);
}

/* release_ahead (issue 9): the days a planned release is listed ahead,
 * 1..366, default 30 and written only when not 30. */
static void test_release_ahead(void **state) {
  (void)state;
  ScheduleRule r;
  char buf[SCHED_SPEC_MAX];
  parse_ok("base=12:2:2;release=36", &r);
  assert_int_equal(r.release_ahead_days, SCHED_RELEASE_AHEAD_DEFAULT);
  assert_int_equal(SCHED_RELEASE_AHEAD_DEFAULT, 30);
  for (int i = 0; i < schedule_preset_count(); i++)
    assert_int_equal(schedule_preset(i)->release_ahead_days, 30);
  parse_ok("base=12:2:2;release=36;release_ahead=30", &r);
  schedule_rule_format(&r, buf, sizeof buf);
  assert_null(strstr(buf, "release_ahead"));
  parse_ok("base=12:2:2;release=36; release_ahead = 10", &r);
  assert_int_equal(r.release_ahead_days, 10);
  schedule_rule_format(&r, buf, sizeof buf);
  assert_non_null(strstr(buf, ";release_ahead=10"));
  ScheduleRule again;
  parse_ok(buf, &again);
  assert_int_equal(again.release_ahead_days, 10);
  parse_ok("base=12:2:2;release=36;release_ahead=1", &r);
  assert_int_equal(r.release_ahead_days, 1);
  parse_ok("base=12:2:2;release=36;release_ahead=366", &r);
  assert_int_equal(r.release_ahead_days, 366);
  const char *RANGE = "出所前提前列入待办的天数应在1至366之间";
  expect_bad("base=12:2:2;release=36;release_ahead=0", RANGE);
  expect_bad("base=12:2:2;release=36;release_ahead=367", RANGE);
  expect_bad("base=12:2:2;release=36;release_ahead=-5", "频次规则格式有误：应写成“项目=值”，各项之间用分号分隔");
  expect_bad("base=12:2:2;release=36;release_ahead=10;release_ahead=20", "频次规则中同一项目出现了不止一次");
}

/* Bad spec texts of every kind are refused with a Chinese message. */
static void test_parse_rejects(void **state) {
  (void)state;
  const char *SYNTAX = "频次规则格式有误：应写成“项目=值”，各项之间用分号分隔";
  const char *TIER = "每个分档应写成“月数:谈话间隔:检测间隔”，分档之间用逗号分隔";
  /* empty */
  expect_bad(NULL, "请填写频次规则");
  expect_bad("", "请填写频次规则");
  expect_bad("  \n ", "请填写频次规则");
  /* garbage */
  expect_bad("garbage", SYNTAX);
  expect_bad("每两个月一次", SYNTAX);
  expect_bad("BASE=12:2:2;release=36", SYNTAX);
  expect_bad("base=12:2:2;;release=36", SYNTAX);
  expect_bad("base=12:2:2;release=36x", SYNTAX);
  expect_bad("base=12:2:2;release=3 6", SYNTAX);
  expect_bad("base=12:2:2;release=", SYNTAX);
  expect_bad("base=12:2:2 release=36", TIER);
  expect_bad("base 12:2:2;release=36", SYNTAX);
  /* tier syntax */
  expect_bad("base=12:2;release=36", TIER);
  expect_bad("base=12:2:2,;release=36", TIER);
  expect_bad("base=12:2:2:2;release=36", TIER);
  expect_bad("base=-12:2:2;release=36", TIER);
  expect_bad("base=12:x:2;release=36", TIER);
  expect_bad("base=;release=36", TIER);
  /* numbers too long to be sensible */
  expect_bad("base=99999:2:2;release=36", TIER);
  /* tiers not strictly ascending */
  expect_bad("base=12:2:2,12:3:3;release=36", "分档月数必须从小到大排列");
  expect_bad("base=24:2:2,12:3:3;release=36", "分档月数必须从小到大排列");
  /* tier bound out of range */
  expect_bad("base=0:2:2;release=36", "分档月数应在1至120之间");
  expect_bad("base=121:2:2;release=36", "分档月数应在1至120之间");
  /* intervals outside 1..24 */
  expect_bad("base=12:0:2;release=36", "谈话和检测间隔应在1至24个月之间");
  expect_bad("base=12:2:25;release=36", "谈话和检测间隔应在1至24个月之间");
  expect_bad("base=12:2:2;release=36;community_detox=12:1:0", "谈话和检测间隔应在1至24个月之间");
  /* too many tiers */
  expect_bad("base=1:1:1,2:1:1,3:1:1,4:1:1,5:1:1,6:1:1,7:1:1;release=36", "一张频次表最多6个分档");
  /* unknown status or key names; statuses that have no schedule */
  expect_bad("base=12:2:2;release=36;community=12:1:1", "频次规则中有未知的项目或管控状态名称");
  expect_bad("base=12:2:2;release=36;foo=1", "频次规则中有未知的项目或管控状态名称");
  expect_bad("base=12:2:2;release=36;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
             "频次规则中有未知的项目或管控状态名称");
  expect_bad("base=12:2:2;release=36;imprisoned=12:1:1", "只有社区戒毒、社区康复和社会面管控可以单独设定频次");
  expect_bad("base=12:2:2;release=36;abstinent_3y=12:1:1", "只有社区戒毒、社区康复和社会面管控可以单独设定频次");
  /* duplicate keys */
  expect_bad("base=12:2:2;base=12:2:2;release=36", "频次规则中同一项目出现了不止一次");
  expect_bad("base=12:2:2;release=36;release=36", "频次规则中同一项目出现了不止一次");
  expect_bad("base=12:2:2;release=36;high=1;high=1", "频次规则中同一项目出现了不止一次");
  expect_bad("base=12:2:2;release=36;community_detox=12:1:1;community_detox=24:1:1",
             "频次规则中同一项目出现了不止一次");
  /* release and caps out of range */
  expect_bad("base=12:2:2;release=0", "解除管控的戒断月数应在1至120之间");
  expect_bad("base=12:2:2;release=121", "解除管控的戒断月数应在1至120之间");
  expect_bad("base=12:2:2;release=36;high=25", "风险等级的频次上限应在0至24个月之间");
  expect_bad("base=12:2:2;release=36;medium=99", "风险等级的频次上限应在0至24个月之间");
  /* required keys missing */
  expect_bad("release=36", "频次规则缺少基本频次表（base）");
  expect_bad("base=12:2:2", "频次规则缺少解除管控的戒断月数（release）");
  /* too long */
  char longspec[SCHED_SPEC_MAX + 10];
  memset(longspec, ' ', sizeof longspec);
  memcpy(longspec, "base=12:2:2;release=36", 22);
  longspec[SCHED_SPEC_MAX] = '\0';
  expect_bad(longspec, "频次规则过长");
  longspec[SCHED_SPEC_MAX - 1] = '\0'; /* 511 bytes: still fits */
  ScheduleRule r;
  Err e;
  err_clear(&e);
  memset(&r, 0, sizeof r);
  assert_int_equal(schedule_rule_parse(longspec, &r, &e), ERR_OK);
}

/* ---- whole months and tiers --------------------------------------------- */

/* Cases of two days a and b and a number: schedule_months_between(a, b)
 * (group "months_between"), and the tier of the default base table on day b
 * of a clock started on a ("tier_at"); main's table runs each group as a
 * test (test_day_pairs). */
typedef struct {
  const char *group, *a, *b;
  int want;
} DayPair;

static const DayPair PAIRS[] = {
  /* Edge cases of schedule_months_between. */
  {"months_between", "2025-03-15", "2025-03-15", 0},
  {"months_between", "2025-03-15", "2025-03-14", 0},
  {"months_between", "2025-03-15", "2020-01-01", 0},
  {"months_between", "2025-03-15", "2025-04-14", 0},
  {"months_between", "2025-03-15", "2025-04-15", 1},
  {"months_between", "2025-03-15", "2026-03-14", 11},
  {"months_between", "2025-03-15", "2026-03-15", 12},
  {"months_between", "2023-03-15", "2026-03-14", 35},
  {"months_between", "2023-03-15", "2026-03-15", 36},
  {"months_between", "2024-01-31", "2024-02-28", 0},
  {"months_between", "2024-01-31", "2024-02-29", 1},
  {"months_between", "2024-01-31", "2024-03-30", 1},
  {"months_between", "2024-01-31", "2024-03-31", 2},
  {"months_between", "2024-02-29", "2025-02-27", 11},
  {"months_between", "2024-02-29", "2025-02-28", 12},
  {"months_between", "2024-02-29", "2028-02-28", 47},
  {"months_between", "2024-02-29", "2028-02-29", 48},
  {"months_between", "2024-03-31", "2024-04-30", 1},
  {"months_between", "2024-12-15", "2025-01-14", 0},
  {"months_between", "2024-12-15", "2025-01-15", 1},
  {"months_between", "2023-12-31", "2024-02-29", 2},
  {"months_between", "1900-01-01", "2199-12-31", 300 * 12 - 1},
  /* Tier boundaries at exactly 12, 24 and 36 months; the last tier past
   * all; from 29 February, 12 months later is 28 February. */
  {"tier_at", "2025-03-15", "2025-03-15", 0},
  {"tier_at", "2025-03-15", "2026-03-14", 0},
  {"tier_at", "2025-03-15", "2026-03-15", 1},
  {"tier_at", "2025-03-15", "2027-03-14", 1},
  {"tier_at", "2025-03-15", "2027-03-15", 2},
  {"tier_at", "2025-03-15", "2028-03-15", 2},
  {"tier_at", "2025-03-15", "2035-01-01", 2},
  {"tier_at", "2025-03-15", "2020-01-01", 0},
  {"tier_at", "2024-02-29", "2025-02-27", 0},
  {"tier_at", "2024-02-29", "2025-02-28", 1},
};

/* Checks the cases of PAIRS in the group named by *state. */
static void test_day_pairs(void **state) {
  const char *group = *state;
  const ScheduleTable *t = &P("default")->base;
  size_t n = 0;
  for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
    const DayPair *c = &PAIRS[i];
    if (strcmp(c->group, group) != 0) continue;
    Day a = fix_day(c->a), b = fix_day(c->b);
    int got = strcmp(group, "tier_at") == 0 ? schedule_tier_at(t, a, b) : schedule_months_between(a, b);
    if (got != c->want) fail_msg("%s %s %s: %d, want %d", group, c->a, c->b, got, c->want);
    n++;
  }
  assert_true(n > 0);
}

/* schedule_months_between agrees with its definition (the largest k with
 * a + k months <= b) over every start day of 2023-2024 and many ends. */
static void test_months_between_definition(void **state) {
  (void)state;
  for (Day a = fix_day("2023-01-01"); a <= fix_day("2024-12-31"); a++)
    for (Day b = a - 3; b <= a + 800; b += 13) {
      int k = 0;
      while (date_add_months(a, k + 1) <= b) k++;
      if (schedule_months_between(a, b) != k) fail_msg("a=%d b=%d want %d", (int)a, (int)b, k);
    }
}

/* ---- schedule_compute: the cases of each rule --------------------------- */

/* One schedule_compute case: its group (a test of main's table), the preset, the input (clock, last test and
 * last talk "" for none), the day asked, and what the result must hold:
 * "key=value" words, each checked, of test, talk, second (the next test,
 * talk and second test due dates), release (release_eligible), tier,
 * test_months, talk_months, abstinent (months_abstinent), eligible and
 * nothing_due (0 or 1). */
typedef struct {
  const char *group, *rule;
  Status status;
  const char *clock, *last_test, *last_talk;
  RiskLevel risk;
  const char *asof, *want;
} Case;

/* Checks one word "key=value" of a case against r (fails naming the case). */
static void check_word(const Case *c, const ScheduleResult *r, const char *key, const char *value) {
  static const struct {
    const char *key;
    size_t off;
  } days[] = {{"test", offsetof(ScheduleResult, next_test_due)},
              {"talk", offsetof(ScheduleResult, next_talk_due)},
              {"second", offsetof(ScheduleResult, second_test_due)},
              {"release", offsetof(ScheduleResult, release_eligible)}};
  for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
    if (strcmp(key, days[i].key) == 0) {
      char got[DATE_ISO_LEN];
      date_format(*(const Day *)((const char *)r + days[i].off), got);
      if (strcmp(got, value) != 0) fail_msg("%s %s as of %s: %s %s, want %s", c->rule, c->clock, c->asof, key, got, value);
      return;
    }
  int got = 0;
  if (strcmp(key, "tier") == 0) got = r->tier;
  else if (strcmp(key, "test_months") == 0) got = r->test_months;
  else if (strcmp(key, "talk_months") == 0) got = r->talk_months;
  else if (strcmp(key, "abstinent") == 0) got = r->months_abstinent;
  else if (strcmp(key, "eligible") == 0) got = r->eligible_for_release;
  else if (strcmp(key, "nothing_due") == 0) got = r->nothing_due;
  else fail_msg("unknown key %s", key);
  if (got != atoi(value)) fail_msg("%s %s as of %s: %s %d, want %s", c->rule, c->clock, c->asof, key, got, value);
}

/* Runs the case c and checks each word of its want. */
static void check_case(const Case *c) {
  ScheduleResult r = run(c->rule, IN(c->status, c->clock, c->last_test, c->last_talk, c->risk), c->asof);
  char words[256];
  snprintf(words, sizeof words, "%s", c->want);
  for (char *save, *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(w, '=');
    assert_non_null(eq);
    *eq = 0;
    check_word(c, &r, w, eq + 1);
  }
}

/* The cases, each under the name of its test (main's table runs each group
 * as a test: test_compute). */
static const Case CASES[] = {
  /* Clock 2025-03-15, no test yet: both due 2 months later; a test before the
   * clock started does not count; a test on the clock's first day counts
   * (same due date here). */
  {"default_first_due", "default", ST_COMMUNITY_DETOX, "2025-03-15", "", "", RISK_LOW, "2025-03-20",
   "nothing_due=0 test=2025-05-15 talk=2025-05-15 second=2025-07-15 tier=0 test_months=2 talk_months=2 abstinent=0 release=2028-03-15 eligible=0"},
  {"default_first_due", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2025-01-10", "2025-02-01", RISK_LOW, "2025-03-20",
   "test=2025-05-15 talk=2025-05-15"},
  {"default_first_due", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2025-03-15", "", RISK_LOW, "2025-03-20",
   "test=2025-05-15"},
  /* The interval is that of the tier applying on the last test's date: 12
   * months, second tier, quarterly; 11 months, first tier, every 2 months
   * (the next due date is in tier 2); exactly 24 months, half-yearly; 23
   * months, quarterly, the next due date already half-yearly. */
  {"default_tier_of_last_test", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2026-03-15", "", RISK_LOW, "2026-03-20",
   "test=2026-06-15 second=2026-09-15 tier=1 test_months=3 abstinent=12"},
  {"default_tier_of_last_test", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2026-03-14", "", RISK_LOW, "2026-03-14",
   "test=2026-05-14 second=2026-08-14 tier=0 abstinent=11"},
  {"default_tier_of_last_test", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2027-03-15", "", RISK_LOW, "2027-03-15",
   "test=2027-09-15 second=2028-03-15 tier=2 test_months=6"},
  {"default_tier_of_last_test", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2027-03-14", "", RISK_LOW, "2027-03-14",
   "test=2027-06-14 second=2027-12-14 tier=1"},
  /* Talks run on their own base date (the first test here long overdue; in
   * the second case 9 months: tier 1). */
  {"default_talks", "default", ST_SOCIAL_SUPERVISION, "2025-03-15", "", "2026-03-15", RISK_LOW, "2026-04-01",
   "talk=2026-06-15 test=2025-05-15 second=2025-07-15"},
  {"default_talks", "default", ST_SOCIAL_SUPERVISION, "2025-03-15", "2026-01-10", "2025-04-30", RISK_LOW, "2026-02-01",
   "talk=2025-06-30 test=2026-03-10"},
  /* Release: eligible on the day 36 months after the clock, not before (past
   * every bound: the last tier); a clock on 29 February: release on 28
   * February three years later. */
  {"default_release", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2027-12-01", "", RISK_LOW, "2028-03-14",
   "abstinent=35 eligible=0 release=2028-03-15"},
  {"default_release", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2027-12-01", "", RISK_LOW, "2028-03-15",
   "abstinent=36 eligible=1 tier=2 test_months=6 test=2028-06-01"},
  {"default_release", "default", ST_COMMUNITY_DETOX, "2025-03-15", "", "", RISK_LOW, "2030-01-01",
   "eligible=1"},
  {"default_release", "default", ST_COMMUNITY_DETOX, "2024-02-29", "", "", RISK_LOW, "2027-02-28",
   "release=2027-02-28 eligible=1 abstinent=36"},
  /* Month ends: 29 February, 31 December and 31 January clocks. 2024-02-29 +
   * 12 months = 2025-02-28: that day is in the second tier; 2023-12-31 + 2
   * months = 2024-02-29 (leap year), then + 2 = 2024-04-29; 2022-12-31 + 2
   * months = 2023-02-28 (common year); 2024-01-31 + 2 months = 2024-03-31;
   * monthly (high risk) from 31 January: 29 February. */
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2024-02-29", "", "", RISK_LOW, "2024-03-01",
   "test=2024-04-29"},
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2024-02-29", "2025-02-28", "", RISK_LOW, "2025-02-28",
   "abstinent=12 tier=1 test=2025-05-28"},
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2024-02-29", "2025-02-27", "", RISK_LOW, "2025-02-27",
   "tier=0 test=2025-04-27"},
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2023-12-31", "", "", RISK_LOW, "2024-01-05",
   "test=2024-02-29 talk=2024-02-29 second=2024-04-29"},
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2022-12-31", "", "", RISK_LOW, "2023-01-05",
   "test=2023-02-28"},
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2024-01-31", "", "", RISK_LOW, "2024-02-01",
   "test=2024-03-31 second=2024-05-31"},
  {"default_month_ends", "default", ST_COMMUNITY_DETOX, "2024-01-31", "", "", RISK_HIGH, "2024-02-01",
   "test=2024-02-29 second=2024-03-29"},
  /* A relapse starts a new clock (on the day of the positive test, here a
   * due date 2026-06-15, that test the last one): the first tier applies
   * again; a test from before the relapse is ignored. */
  {"relapse_restarts", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2026-03-15", "", RISK_LOW, "2026-06-10",
   "tier=1 test=2026-06-15"},
  {"relapse_restarts", "default", ST_COMMUNITY_DETOX, "2026-06-15", "2026-06-15", "2026-06-15", RISK_LOW, "2026-06-20",
   "tier=0 abstinent=0 test_months=2 test=2026-08-15 talk=2026-08-15 release=2029-06-15"},
  {"relapse_restarts", "default", ST_COMMUNITY_DETOX, "2026-06-15", "2026-05-01", "", RISK_LOW, "2026-06-20",
   "test=2026-08-15"},
  /* Risk caps: high monthly everywhere, medium at most every 2 months
   * (quarterly becomes every 2 months; every 2 months stays), low and none
   * untouched (the table). */
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "", "", RISK_HIGH, "2025-03-20",
   "test=2025-04-15 talk=2025-04-15 second=2025-05-15 test_months=1 talk_months=1"},
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2027-06-01", "", RISK_HIGH, "2027-06-01",
   "test=2027-07-01 test_months=1"},
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2026-03-15", "", RISK_MEDIUM, "2026-03-20",
   "test=2026-05-15 second=2026-07-15 test_months=2"},
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "", "", RISK_MEDIUM, "2025-03-20",
   "test=2025-05-15"},
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2027-03-15", "", RISK_MEDIUM, "2027-03-15",
   "test=2027-05-15"},
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2026-03-15", "", RISK_LOW, "2026-03-20",
   "test=2026-06-15"},
  {"risk_caps", "default", ST_COMMUNITY_DETOX, "2025-03-15", "2026-03-15", "", RISK_NONE, "2026-03-20",
   "test=2026-06-15"},
  /* annual_counts: detox monthly in year 1, every 2 months in year 2, every 3
   * in year 3; rehab 2/3/6; social supervision the base table (as default);
   * caps apply to per-status tables too. */
  {"annual_counts", "annual_counts", ST_COMMUNITY_DETOX, "2025-03-15", "", "", RISK_LOW, "2025-03-20",
   "test=2025-04-15 talk=2025-04-15 second=2025-05-15 test_months=1"},
  {"annual_counts", "annual_counts", ST_COMMUNITY_DETOX, "2025-03-15", "2026-05-02", "", RISK_LOW, "2026-05-02",
   "test=2026-07-02 test_months=2"},
  {"annual_counts", "annual_counts", ST_COMMUNITY_DETOX, "2025-03-15", "2027-03-15", "", RISK_LOW, "2027-03-20",
   "test=2027-06-15 tier=2 test_months=3"},
  {"annual_counts", "annual_counts", ST_COMMUNITY_REHAB, "2025-03-15", "", "", RISK_LOW, "2025-03-20",
   "test=2025-05-15"},
  {"annual_counts", "annual_counts", ST_COMMUNITY_REHAB, "2025-03-15", "2026-03-15", "", RISK_LOW, "2026-03-20",
   "test=2026-06-15"},
  {"annual_counts", "annual_counts", ST_COMMUNITY_REHAB, "2025-03-15", "2027-03-15", "", RISK_LOW, "2027-03-20",
   "test=2027-09-15 test_months=6"},
  {"annual_counts", "annual_counts", ST_SOCIAL_SUPERVISION, "2025-03-15", "", "", RISK_LOW, "2025-03-20",
   "test=2025-05-15"},
  {"annual_counts", "annual_counts", ST_SOCIAL_SUPERVISION, "2025-03-15", "2026-03-15", "", RISK_LOW, "2026-03-20",
   "test=2026-06-15"},
  {"annual_counts", "annual_counts", ST_COMMUNITY_DETOX, "2025-03-15", "2027-03-15", "", RISK_MEDIUM, "2027-03-20",
   "test=2027-05-15"},
  /* monthly_visit: monthly talks, tests every 6 months; high risk caps tests
   * to monthly, medium has no cap. */
  {"monthly_visit", "monthly_visit", ST_COMMUNITY_REHAB, "2025-03-15", "", "", RISK_LOW, "2025-03-20",
   "talk=2025-04-15 test=2025-09-15 second=2026-03-15 tier=0"},
  {"monthly_visit", "monthly_visit", ST_COMMUNITY_REHAB, "2025-03-15", "", "", RISK_MEDIUM, "2025-03-20",
   "test=2025-09-15"},
  {"monthly_visit", "monthly_visit", ST_COMMUNITY_REHAB, "2025-03-15", "", "", RISK_HIGH, "2025-03-20",
   "test=2025-04-15 test_months=1"},
  {"monthly_visit", "monthly_visit", ST_COMMUNITY_REHAB, "2025-03-15", "2028-03-15", "2028-04-01", RISK_LOW, "2028-04-01",
   "eligible=1 test=2028-09-15 talk=2028-05-01"},
};

/* Checks the cases of CASES in the group named by *state. */
static void test_compute(void **state) {
  const char *group = *state;
  size_t n = 0;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
    if (strcmp(CASES[i].group, group) == 0) {
      check_case(&CASES[i]);
      n++;
    }
  assert_true(n > 0);
}

/* Nothing is due in custody, when closed, after 3 years abstinent, with no
 * status and with no clock; everything else is zero. */
static void test_nothing_due(void **state) {
  (void)state;
  static const Status none[] = {ST_NONE, ST_COMPULSORY_ISOLATION, ST_DETAINED, ST_IMPRISONED,
                                ST_ABSTINENT_3Y, ST_DEAD, ST_EMIGRATED};
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
    ScheduleResult r = run("default", IN(none[i], "2025-03-15", "2025-04-01", "", RISK_HIGH), "2025-06-01");
    assert_true(r.nothing_due);
    assert_int_equal(r.next_test_due, 0);
    assert_int_equal(r.next_talk_due, 0);
    assert_int_equal(r.second_test_due, 0);
    assert_int_equal(r.months_abstinent, 0);
    assert_false(r.eligible_for_release);
  }
  static const Status some[] = {ST_COMMUNITY_DETOX, ST_COMMUNITY_REHAB, ST_SOCIAL_SUPERVISION};
  for (size_t i = 0; i < sizeof some / sizeof some[0]; i++) {
    ScheduleResult r = run("default", IN(some[i], "", "", "", RISK_LOW), "2025-06-01");
    assert_true(r.nothing_due); /* no clock */
    r = run("default", IN(some[i], "2025-03-15", "", "", RISK_LOW), "2025-06-01");
    assert_false(r.nothing_due);
  }
}

/* ---- schedule_compute: other presets and custom rules ------------------- */

/* A parsed custom rule: a status table and a high cap looser than the
 * medium cap (high then gets the tighter medium one). */
static void test_custom_rule(void **state) {
  (void)state;
  ScheduleRule rule;
  parse_ok("base=6:1:1,60:4:4;release=60;high=5;medium=3;social_supervision=12:6:6", &rule);
  ScheduleInput in = IN(ST_COMMUNITY_DETOX, "2025-03-15", "2025-09-15", "", RISK_LOW);
  ScheduleResult r;
  schedule_compute(&rule, &in, fix_day("2025-09-20"), &r);
  assert_day(r.next_test_due, "2026-01-15"); /* 6 months: second tier, every 4 */
  assert_day(r.release_eligible, "2030-03-15");
  in.risk = RISK_MEDIUM;
  schedule_compute(&rule, &in, fix_day("2025-09-20"), &r);
  assert_day(r.next_test_due, "2025-12-15");
  in.risk = RISK_HIGH;
  schedule_compute(&rule, &in, fix_day("2025-09-20"), &r);
  assert_day(r.next_test_due, "2025-12-15");
  in = IN(ST_SOCIAL_SUPERVISION, "2025-03-15", "", "", RISK_LOW);
  schedule_compute(&rule, &in, fix_day("2025-09-20"), &r);
  assert_day(r.next_test_due, "2025-09-15");
  assert_day(r.second_test_due, "2026-03-15");
}

/* A test of main's table, named test_<group>, that runs fn on the cases of
 * group. */
#define GROUP_TEST(fn, group) {"test_" group, (fn), NULL, NULL, (void *)(group)}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_presets_lookup),
    cmocka_unit_test(test_presets_values),
    cmocka_unit_test(test_parse_round_trip),
    cmocka_unit_test(test_parse_lenient_forms),
    cmocka_unit_test(test_parse_rejects),
    cmocka_unit_test(test_release_ahead),
    GROUP_TEST(test_day_pairs, "months_between"),
    cmocka_unit_test(test_months_between_definition),
    GROUP_TEST(test_day_pairs, "tier_at"),
    GROUP_TEST(test_compute, "default_first_due"),
    GROUP_TEST(test_compute, "default_tier_of_last_test"),
    GROUP_TEST(test_compute, "default_talks"),
    GROUP_TEST(test_compute, "default_release"),
    GROUP_TEST(test_compute, "default_month_ends"),
    GROUP_TEST(test_compute, "relapse_restarts"),
    cmocka_unit_test(test_nothing_due),
    GROUP_TEST(test_compute, "risk_caps"),
    GROUP_TEST(test_compute, "annual_counts"),
    GROUP_TEST(test_compute, "monthly_visit"),
    cmocka_unit_test(test_custom_rule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
