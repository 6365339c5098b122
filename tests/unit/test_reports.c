/* tests/unit/test_reports.c: cmocka unit tests for the pure rules of the
 * report forms (core/report.c: layouts, period checks, snapshots and their
 * differences, the lock transitions they share with the data sets), the
 * data-quality rules (core/quality.c: every rule passing and failing, the
 * tallies, the ranking), the work-summary draft (core/summary.c: the text
 * of each section with exact figures, sections left out and the numbering
 * closing up) and the Word document's XML (core/docx.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dataset.h"
#include "core/docx.h"
#include "core/quality.h"
#include "core/report.h"
#include "core/stats.h"
#include "core/summary.h"
#include "tests/unit/fixture.h"

/* ---- report forms ------------------------------------------------------------ */

static void test_report_forms(void **state) {
  (void)state;
  assert_int_equal(report_form_count(), 3);
  assert_int_equal(report_form_by_code("monthly")->period, PERIOD_MONTH);
  assert_int_equal(report_form_by_code("half")->period, PERIOD_HALF);
  assert_int_equal(report_form_by_code("annual")->period, PERIOD_YEAR);
  assert_null(report_form_by_code("weekly"));
  assert_null(report_form_by_code(NULL));
  for (int i = 0; i < report_form_count(); i++) {
    const ReportForm *f = &report_forms[i];
    assert_non_null(f->lines[0].heading); /* a form opens with a section */
    for (int k = 0; k < f->nlines; k++) {
      assert_true((f->lines[k].heading == NULL) != (f->lines[k].key == NULL));
      if (f->lines[k].key) assert_non_null(stats_measure_by_key(f->lines[k].key));
    }
  }
}

static void test_report_period(void **state) {
  (void)state;
  const ReportForm *m = report_form_by_code("monthly"), *h = report_form_by_code("half");
  Period p;
  Err e;
  assert_true(period_parse("2026-06", &p));
  Day today = fix_day("2026-07-03");
  err_clear(&e);
  assert_int_equal(report_check_period(m, p, today, true, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(report_check_period(h, p, today, false, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "period"), "报告期类型与报表不符");
  assert_true(period_parse("2026-07", &p));
  err_clear(&e);
  assert_int_equal(report_check_period(m, p, today, false, &e), ERR_OK); /* running: may be read */
  err_clear(&e);
  assert_int_equal(report_check_period(m, p, today, true, &e), ERR_INVALID); /* not submitted */
  assert_string_equal(err_field_msg(&e, "period"), "报告期尚未结束，结束后才能上报");
  assert_day(report_as_of(p, today), "2026-07-03");
  assert_true(period_parse("2026-08", &p));
  err_clear(&e);
  assert_int_equal(report_check_period(m, p, today, false, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "period"), "报告期尚未开始");
  assert_true(period_parse("2026H1", &p));
  assert_day(report_as_of(p, today), "2026-06-30");
  /* the last day itself: still running */
  err_clear(&e);
  assert_int_equal(report_check_period(h, p, fix_day("2026-06-30"), true, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(report_check_period(h, p, fix_day("2026-07-01"), true, &e), ERR_OK);
}

static void test_report_snapshot(void **state) {
  (void)state;
  ReportCell cells[3] = {{"TC1", "registered", 11, -1}, {"TC1", "control_rate", 860, 1254}, {"TS1", "registered", 0, -1}};
  Buf b = BUF_INIT;
  report_snapshot_encode(cells, 3, &b);
  assert_string_equal(buf_str(&b), "TC1\tregistered\t11\t-1\nTC1\tcontrol_rate\t860\t1254\nTS1\tregistered\t0\t-1\n");
  ReportCell *back = NULL;
  int n = 0;
  assert_true(report_snapshot_decode(buf_str(&b), &back, &n));
  assert_int_equal(n, 3);
  for (int i = 0; i < 3; i++) {
    assert_string_equal(back[i].org, cells[i].org);
    assert_string_equal(back[i].key, cells[i].key);
    assert_int_equal(back[i].num, cells[i].num);
    assert_int_equal(back[i].den, cells[i].den);
  }
  assert_ptr_equal(report_cell_find(back, n, "TC1", "control_rate"), &back[1]);
  assert_null(report_cell_find(back, n, "TC2", "control_rate"));
  free(back);
  assert_true(report_snapshot_decode("", &back, &n));
  assert_int_equal(n, 0);
  static const char *const bad[] = {
      "TC1\tregistered\t11\n",        /* a field short */
      "TC1\tregistered\t11\t-1",      /* no newline */
      "TC1\tregistered\t-3\t-1\n",    /* a negative count */
      "TC1\tregistered\t1\t-2\n",     /* den below -1 */
      "\tregistered\t1\t-1\n",        /* no unit */
      "TC1\tregistered\t1x\t-1\n",    /* not a number */
      "TC1\tregistered\t99999999999999999999\t-1\n", /* too big */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_false(report_snapshot_decode(bad[i], &back, &n));
    assert_null(back);
    assert_int_equal(n, 0);
  }
  buf_reset(&b);
}

static void test_report_diff(void **state) {
  (void)state;
  ReportCell snap[3] = {{"TC1", "registered", 11, -1}, {"TC1", "control_rate", 9, 10}, {"TC2", "registered", 4, -1}};
  ReportCell now[3] = {{"TC1", "registered", 11, -1}, {"TC1", "control_rate", 9, 11}, {"TC3", "registered", 1, -1}};
  ReportDiff *d = NULL;
  assert_int_equal(report_diff(snap, 3, now, 3, &d), 3);
  assert_string_equal(d[0].key, "control_rate"); /* changed */
  assert_true(d[0].then && d[0].now);
  assert_int_equal(d[0].then_den, 10);
  assert_int_equal(d[0].now_den, 11);
  assert_string_equal(d[1].org, "TC3"); /* added since */
  assert_false(d[1].then);
  assert_true(d[1].now);
  assert_string_equal(d[2].org, "TC2"); /* gone since */
  assert_true(d[2].then);
  assert_false(d[2].now);
  free(d);
  assert_int_equal(report_diff(snap, 3, snap, 3, &d), 0);
  free(d);
}

/* A form's period through submit, a change refused, unlock, a change, submit again. */
static void test_report_lock(void **state) {
  (void)state;
  Err e;
  DsState s = DS_OPEN, to;
  err_clear(&e);
  assert_int_equal(ds_transition(s, DS_EDIT, &to, &e), ERR_OK); /* notes while open */
  assert_int_equal(ds_transition(s, DS_SUBMIT, &s, &e), ERR_OK);
  assert_int_equal(s, DS_SUBMITTED);
  assert_int_equal(ds_transition(s, DS_EDIT, &to, &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(ds_transition(s, DS_SUBMIT, &to, &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(ds_transition(s, DS_UNLOCK, &s, &e), ERR_OK);
  assert_int_equal(s, DS_OPEN);
  assert_int_equal(ds_transition(s, DS_UNLOCK, &to, &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(ds_transition(s, DS_SUBMIT, &s, &e), ERR_OK);
  /* only an office strictly above unlocks */
  assert_true(ds_path_above("/1/", "/1/5/"));
  assert_false(ds_path_above("/1/5/", "/1/5/"));
}

/* ---- data quality ------------------------------------------------------------------ */

/* A sound file: a woman born 1949-12-31 (ID 11010519491231002X), under
 * community detox with a team and an agreement, every item filled. */
static QualityPerson q_good(void) {
  static QualityEpisode eps[1];
  eps[0] = (QualityEpisode){ST_COMMUNITY_DETOX, true, true, fix_day("2026-01-05"), fix_day("2026-01-10")};
  return (QualityPerson){
      .id = 1, .name = "测甲", .sex = "F", .id_number = "11010519491231002X", .birth_date = "1949-12-31",
      .phone = "13800138000", .household_address = "甲村", .residence_address = "乙街", .drug_types = "heroin",
      .first_found_date = "2025-12-01", .status = ST_COMMUNITY_DETOX, .team = 2, .agreements = 1, .eps = eps,
      .neps = 1, .today = fix_day("2026-06-30"),
  };
}

/* The mask of the rule with code. */
static uint32_t q_bit(const char *code) {
  const QualityRule *r = quality_rule_by_code(code);
  assert_non_null(r);
  return 1u << (r - quality_rules);
}

static void test_quality_rules(void **state) {
  (void)state;
  assert_true(quality_rule_count() <= 32);
  QualityTally t = {0};
  QualityPerson p = q_good();
  assert_int_equal(quality_check(&p, &t), 0);
  /* 10 completeness checks (team and agreement apply), 7 logic ones (custody does not) */
  assert_int_equal(t.complete_all, 10);
  assert_int_equal(t.complete_ok, 10);
  assert_int_equal(t.logic_all, 6);
  assert_int_equal(t.files, 1);
  assert_int_equal(t.failing, 0);

  /* each rule failing alone */
  p = q_good(); p.phone = " ";                     assert_int_equal(quality_check(&p, NULL), q_bit("phone"));
  p = q_good(); p.name = "";                       assert_int_equal(quality_check(&p, NULL), q_bit("name"));
  p = q_good(); p.household_address = NULL;        assert_int_equal(quality_check(&p, NULL), q_bit("household_address"));
  p = q_good(); p.residence_address = "";          assert_int_equal(quality_check(&p, NULL), q_bit("residence_address"));
  p = q_good(); p.drug_types = "";                 assert_int_equal(quality_check(&p, NULL), q_bit("drug_types"));
  p = q_good(); p.team = 0;                        assert_int_equal(quality_check(&p, NULL), q_bit("help_team"));
  p = q_good(); p.agreements = 0;                  assert_int_equal(quality_check(&p, NULL), q_bit("agreement"));
  p = q_good(); p.birth_date = "1949-12-30";       assert_int_equal(quality_check(&p, NULL), q_bit("id_birth"));
  p = q_good(); p.sex = "M";                       assert_int_equal(quality_check(&p, NULL), q_bit("id_sex"));
  /* a wrong check character: the birth date and sex still read */
  p = q_good(); p.id_number = "110105194912310021"; assert_int_equal(quality_check(&p, NULL), q_bit("id_valid"));
  /* an empty ID number: missing, invalid; birth and sex not checked */
  p = q_good(); p.id_number = "";
  assert_int_equal(quality_check(&p, NULL), q_bit("id_number") | q_bit("id_valid"));
  p = q_good(); p.first_found_date = "1949-01-01"; assert_int_equal(quality_check(&p, NULL), q_bit("found_date"));
  p = q_good(); p.first_found_date = "2026-07-01"; assert_int_equal(quality_check(&p, NULL), q_bit("found_date"));
  p = q_good(); p.first_found_date = "";           assert_int_equal(quality_check(&p, NULL), q_bit("first_found_date"));
  /* not supervised, no status: team and agreement do not apply */
  p = q_good(); p.status = ST_NONE; p.neps = 0; p.team = 0; p.agreements = 0;
  QualityTally t2 = {0};
  assert_int_equal(quality_check(&p, &t2), q_bit("status"));
  assert_int_equal(t2.complete_all, 8);
  assert_int_equal(t2.logic_all, 4);
  /* a start before its decision */
  QualityEpisode e1[1] = {{ST_COMMUNITY_DETOX, true, true, fix_day("2026-01-10"), fix_day("2026-01-05")}};
  p = q_good(); p.eps = e1;                        assert_int_equal(quality_check(&p, NULL), q_bit("episode_dates"));
  /* a decision after today */
  QualityEpisode e2[1] = {{ST_COMMUNITY_DETOX, true, false, fix_day("2026-07-10"), 0}};
  p = q_good(); p.eps = e2;                        assert_int_equal(quality_check(&p, NULL), q_bit("episode_dates"));
  /* nothing follows death */
  QualityEpisode e3[2] = {{ST_DEAD, true, false, fix_day("2026-01-05"), 0},
                          {ST_COMMUNITY_DETOX, true, false, fix_day("2026-02-05"), 0}};
  p = q_good(); p.eps = e3; p.neps = 2;
  assert_int_equal(quality_check(&p, NULL), q_bit("status_transitions"));
  /* a test inside isolation; those on the days of entry and release pass */
  QualityEpisode e4[2] = {{ST_COMPULSORY_ISOLATION, true, false, fix_day("2024-01-05"), 0},
                          {ST_COMMUNITY_REHAB, true, true, fix_day("2026-01-05"), fix_day("2026-01-05")}};
  Day edges[2] = {fix_day("2024-01-05"), fix_day("2026-01-05")};
  Day inside[1] = {fix_day("2025-03-01")};
  p = q_good(); p.status = ST_COMMUNITY_REHAB; p.eps = e4; p.neps = 2; p.contacts = edges; p.ncontacts = 2;
  t = (QualityTally){0};
  assert_int_equal(quality_check(&p, &t), 0);
  assert_int_equal(t.logic_all, 7);
  p.contacts = inside;
  p.ncontacts = 1;
  assert_int_equal(quality_check(&p, NULL), q_bit("no_contact_in_custody"));
  assert_string_equal(quality_kind_code(quality_rule_by_code("id_sex")->kind), "logic");
  assert_string_equal(quality_kind_code(quality_rule_by_code("phone")->kind), "complete");
}

static void test_quality_rank(void **state) {
  (void)state;
  /* seed 000: 98.54% complete ranks above 98.53%; ties on completeness by logic; no files last */
  QualityTally a = {.files = 10, .complete_ok = 9854, .complete_all = 10000, .logic_ok = 9951, .logic_all = 10000};
  QualityTally b = {.files = 10, .complete_ok = 9853, .complete_all = 10000, .logic_ok = 10000, .logic_all = 10000};
  QualityTally c = {.files = 5, .complete_ok = 4927, .complete_all = 5000, .logic_ok = 5000, .logic_all = 5000};
  QualityTally none = {0};
  assert_true(quality_rank_cmp(&a, &b) < 0);
  assert_true(quality_rank_cmp(&b, &a) > 0);
  assert_true(quality_rank_cmp(&c, &a) < 0); /* 98.54% too, better logic */
  assert_true(quality_rank_cmp(&none, &b) > 0);
  assert_true(quality_rank_cmp(&b, &none) < 0);
  assert_int_equal(quality_rank_cmp(&a, &a), 0);
  QualityTally sum = a;
  quality_tally_add(&sum, &c);
  assert_int_equal(sum.files, 15);
  assert_int_equal(sum.complete_ok, 14781);
  assert_int_equal(sum.complete_all, 15000);
}

/* ---- work-summary draft --------------------------------------------------------- */

static SummaryFacts s_facts(void) {
  SummaryFacts f;
  memset(&f, 0, sizeof f);
  f.unit_name = "一号街道";
  f.period_zh = "2026年上半年";
  f.as_of_y = 2026, f.as_of_m = 6, f.as_of_d = 30;
  f.children = 8;
  f.child_term = "社区（村）";
  f.pop_registered = 24000, f.pop_resident = -1, f.pop_floating = 172700;
  f.workers_approved = 53, f.workers_filled = 40;
  f.registered = 11, f.current = 11, f.supervised = 9, f.lost_contact = 0, f.new_found = 1, f.relapsed = 0;
  f.by_status[ST_IMPRISONED] = 1, f.by_status[ST_COMPULSORY_ISOLATION] = 1, f.by_status[ST_COMMUNITY_REHAB] = 3;
  f.by_status[ST_SOCIAL_SUPERVISION] = 6;
  f.control = (SummaryRate){9, 9};
  f.help = (SummaryRate){9, 9};
  f.test = (SummaryRate){860, 1254};
  f.isolation = (SummaryRate){1, 11};
  f.complete = (SummaryRate){6, 9};
  f.intel_exchanges = 6;
  return f;
}

/* The lines of the draft's text from the line that starts with head up to
 * the next heading line (its body), into out. */
static void s_section(const char *text, const char *head, Buf *out) {
  buf_clear(out);
  const char *s = strstr(text, head);
  assert_non_null(s);
  s = strchr(s, '\n') + 1;
  while (*s && !docx_heading_level(s, strcspn(s, "\n"))) {
    size_t n = strcspn(s, "\n");
    buf_append(out, s, n + 1);
    s += n + (s[n] == '\n');
  }
}

/* Asserts that the body of the section under head of text (s_section)
 * reads want; a failure names the heading. */
static void s_expect(const char *text, const char *head, const char *want) {
  Buf sec = BUF_INIT;
  s_section(text, head, &sec);
  if (strcmp(buf_str(&sec), want) != 0) fail_msg("section %s reads \"%s\", want \"%s\"", head, buf_str(&sec), want);
  buf_reset(&sec);
}

static void test_summary_sections(void **state) {
  (void)state;
  SummaryFacts f = s_facts();
  Buf t = BUF_INIT, x = BUF_INIT;
  summary_title(&f, &t);
  assert_string_equal(buf_str(&t), "一号街道2026年上半年禁毒工作总结");
  summary_text(&f, &x);
  s_expect(buf_str(&x), "一、基本情况\n",
           "截至2026年6月30日，一号街道下辖8个社区（村），户籍人口24000人、流动人口172700人。"
           "登记在册吸毒人员11人，其中服刑1人，强制隔离戒毒1人，社区康复3人，社会帮教6人；"
           "现有吸毒人员（不含戒断三年未复吸）11人。本期新发现吸毒人员1人，复吸0人。"
           "核定禁毒社工岗位53个，实有禁毒社工40人。\n");
  s_expect(buf_str(&x), "（一）落实管控帮教\n",
           "对社区戒毒、社区康复和社会帮教人员9人全面落实管控帮教措施，管控率100.0%（9/9），"
           "帮教率100.0%（9/9），尿检率68.6%（860/1254）；失控0人。档案完整率66.7%（6/9），"
           "强制隔离戒毒收戒率9.1%（1/11）。\n");
  s_expect(buf_str(&x), "（二）开展禁毒宣传教育\n", "（本期宣传教育活动台账尚无记录，请补充开展的活动、场次和参与人数。）\n");
  /* no patrols: the part is left out and the next one is （三） */
  assert_null(strstr(buf_str(&x), "禁种铲毒\n"));
  s_expect(buf_str(&x), "（三）情报交流与毒情排查\n", "与公安机关开展情报交流6次。\n");
  s_expect(buf_str(&x), "三、存在的问题\n",
           "一是尿检率为68.6%（860/1254），有394人未按期检测。\n"
           "二是档案完整率为66.7%（6/9），部分档案的帮教小组、协议或谈话记录不够完整。\n"
           "三是禁毒社工核定岗位53个，实有40人，尚缺13人，工作力量不足。\n");
  assert_non_null(strstr(buf_str(&x), "\n四、下步工作打算\n一是继续落实"));
  /* persons are never named: the facts hold none, and no status word of the API appears */
  assert_null(strstr(buf_str(&x), "社会面管控"));
  buf_reset(&t);
  buf_reset(&x);
}

static void test_summary_activities_and_patrols(void **state) {
  (void)state;
  SummaryFacts f = s_facts();
  SummaryActivity acts[2] = {{"2026-06-26", "国际禁毒日广场宣传", 300, "", "", 0}, {"2026-03-05", "禁毒知识讲座", 0, "", "", 0}};
  f.activities = acts;
  f.nactivities = 2;
  f.activity_participants = 300;
  f.patrols = 2, f.area_mu = 120, f.plants_found = 32, f.plants_destroyed = 32;
  f.lost_contact = 2;
  f.test = (SummaryRate){0, 0};
  f.complete = (SummaryRate){9, 9};
  f.workers_approved = f.workers_filled = -1;
  f.intel_exchanges = 0;
  Buf x = BUF_INIT, sec = BUF_INIT;
  summary_text(&f, &x);
  s_expect(buf_str(&x), "（二）开展禁毒宣传教育\n",
           "本期共开展禁毒宣传教育活动2场次，参与群众300人次，主要有：6月26日国际禁毒日广场宣传"
           "（300人参加）；3月5日禁毒知识讲座。\n");
  s_expect(buf_str(&x), "（三）开展禁种铲毒\n", "组织禁种铲毒踏查2次，踏查面积120亩，发现非法种植毒品原植物32株，铲除32株。\n");
  assert_null(strstr(buf_str(&x), "情报交流与毒情排查"));
  s_expect(buf_str(&x), "三、存在的问题\n", "一是仍有2名吸毒人员失控，查找和管控工作有待加强。\n");
  assert_null(strstr(buf_str(&x), "核定禁毒社工"));
  /* a rate with denominator 0 is not written */
  s_section(buf_str(&x), "（一）落实管控帮教\n", &sec);
  assert_null(strstr(buf_str(&sec), "尿检率"));
  buf_reset(&x);
  buf_reset(&sec);
  /* the ledger's detail: totals of the whole period, the 六进 reached, each named one's kind, settings,
   * participants and materials, and 等 when more were held than named */
  SummaryActivity rich[1] = {{"2026-03-05", "禁毒知识讲座", 120, "讲座", "进学校、进家庭", 200}};
  f.activities = rich;
  f.nactivities = 1;
  f.activities_total = 3;
  f.activity_participants = 420;
  f.activity_materials = 350;
  f.activity_settings[0] = 2;
  f.activity_settings[5] = 1;
  summary_text(&f, &x);
  s_expect(buf_str(&x), "（二）开展禁毒宣传教育\n",
           "本期共开展禁毒宣传教育活动3场次，参与群众420人次，发放、张贴宣传品350份（件），"
           "其中进学校2场次、进农村1场次，主要有：3月5日禁毒知识讲座（讲座，进学校、进家庭，"
           "120人参加，宣传品200份）等。\n");
  buf_reset(&x);
  buf_reset(&sec);
  /* none at all: the line to complete by hand */
  f.activities = NULL;
  f.nactivities = 0;
  f.activities_total = 0;
  summary_text(&f, &x);
  s_expect(buf_str(&x), "（二）开展禁毒宣传教育\n", "（本期宣传教育活动台账尚无记录，请补充开展的活动、场次和参与人数。）\n");
  buf_reset(&x);
  buf_reset(&sec);
  const struct { int k; const char *want; } numerals[] = {{1, "一"}, {10, "十"}, {12, "十二"}, {20, "二十"}, {37, "三十七"}};
  for (size_t i = 0; i < sizeof numerals / sizeof numerals[0]; i++) {
    char n[16];
    summary_numeral(numerals[i].k, n);
    if (strcmp(n, numerals[i].want) != 0) fail_msg("summary_numeral(%d) = %s, want %s", numerals[i].k, n, numerals[i].want);
  }
  Buf r = BUF_INIT;
  assert_false(summary_rate((SummaryRate){0, 0}, &r));
  assert_true(summary_rate((SummaryRate){860, 1254}, &r));
  assert_string_equal(buf_str(&r), "68.6%（860/1254）");
  buf_reset(&r);
}

/* ---- the Word document ---------------------------------------------------------- */

static void test_docx_xml(void **state) {
  (void)state;
  assert_int_equal(docx_heading_level("一、基本情况", strlen("一、基本情况")), 1);
  assert_int_equal(docx_heading_level("十二、其他", strlen("十二、其他")), 1);
  assert_int_equal(docx_heading_level("（三）宣传", strlen("（三）宣传")), 2);
  assert_int_equal(docx_heading_level("一是继续", strlen("一是继续")), 0);
  assert_int_equal(docx_heading_level("（本期", strlen("（本期")), 0);
  assert_int_equal(docx_heading_level("", 0), 0);
  Buf b = BUF_INIT;
  docx_escape("a<b>&\"c\x01\td", 10, &b);
  assert_string_equal(buf_str(&b), "a&lt;b&gt;&amp;&quot;c d");
  buf_clear(&b);
  docx_document_xml("标题<1>", "一、基本情况\r\n正文&\n\n（一）部分", &b);
  const char *s = buf_str(&b);
  assert_non_null(strstr(s, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"));
  assert_non_null(strstr(s, ">标题&lt;1&gt;</w:t>"));
  assert_non_null(strstr(s, "<w:b/><w:sz w:val=\"30\"/></w:rPr><w:t xml:space=\"preserve\">一、基本情况</w:t>"));
  assert_non_null(strstr(s, ">正文&amp;</w:t>"));
  assert_non_null(strstr(s, "<w:p/>"));
  assert_non_null(strstr(s, "</w:body></w:document>"));
  assert_null(strchr(s, '\r'));
  assert_non_null(strstr(docx_content_types, "/word/document.xml"));
  assert_non_null(strstr(docx_rels, "Target=\"word/document.xml\""));
  buf_reset(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_report_forms),
    cmocka_unit_test(test_report_period),
    cmocka_unit_test(test_report_snapshot),
    cmocka_unit_test(test_report_diff),
    cmocka_unit_test(test_report_lock),
    cmocka_unit_test(test_quality_rules),
    cmocka_unit_test(test_quality_rank),
    cmocka_unit_test(test_summary_sections),
    cmocka_unit_test(test_summary_activities_and_patrols),
    cmocka_unit_test(test_docx_xml),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
