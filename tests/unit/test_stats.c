/* tests/unit/test_stats.c: cmocka unit tests for core/stats.c, the measures
 * of DOMAIN.md §6a over constructed histories, each with its exact
 * numerator and denominator: the status on D (a change on D itself), the
 * unit on D (a transfer in the middle of the period), events on F and on T,
 * a relapse, a death, abstinent_3y, lost contact found again, the talk and
 * test schedule of the engine (control_rate, test_rate), orders reported in
 * time (report_rate), releases received on the day (pickup_rate), files
 * complete, a denominator of 0, the rounding of 860/1254; the encoding of
 * the facts and its partial decoding; and the periods (parsing, the period
 * before, a year before). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/division.h"
#include "core/prevention.h"
#include "core/ledger.h"
#include "core/stats.h"
#include "core/casework.h"

/* A day from its ISO text (the test's dates are valid). */
static Day day(const char *iso) {
  Day d = 0;
  assert_true(date_parse(iso, &d));
  return d;
}

/* ---- a history under construction ------------------------------------- */

#define MAXN 32
typedef struct Hist {
  SupHistory h;
  SupEpisodeH eps[MAXN];
  SupVisitH visits[MAXN];
  SupTestH tests[MAXN];
  SupEventH events[MAXN];
  StatUnitIn units[4];
  int nunits;
  StatMemberIn members[6];
  int nmembers;
  unsigned required, checks_off; /* the unit's casework rule (0: any one member; the whole rule) */
  const char *plan_from;
  const char *agreements[4];
  int nagreements;
  const char *found;
  StatFacts f;
} Hist;

static void hist_init(Hist *x) {
  memset(x, 0, sizeof *x);
  x->h.eps = x->eps;
  x->h.visits = x->visits;
  x->h.tests = x->tests;
  x->h.events = x->events;
  x->units[0] = (StatUnitIn){"", 10};
  x->nunits = 1;
  x->found = "";
}

/* An episode: status, decision date, start date ("" for none). */
static void ep(Hist *x, const char *status, const char *decision, const char *start) {
  SupEpisodeH *e = &x->eps[x->h.neps];
  memset(e, 0, sizeof *e);
  e->id = ++x->h.neps;
  snprintf(e->status, sizeof e->status, "%s", status);
  snprintf(e->decision_date, sizeof e->decision_date, "%s", decision);
  snprintf(e->start_date, sizeof e->start_date, "%s", start);
  snprintf(e->created_at, sizeof e->created_at, "2020-01-01T10:00:00+08:00");
}

static void talk(Hist *x, const char *date) {
  SupVisitH *v = &x->visits[x->h.nvisits];
  v->id = ++x->h.nvisits;
  v->corrects_id = 0;
  v->date = day(date);
}

static void test_(Hist *x, const char *date, const char *result) {
  SupTestH *t = &x->tests[x->h.ntests];
  memset(t, 0, sizeof *t);
  t->id = ++x->h.ntests;
  t->date = day(date);
  snprintf(t->reason, sizeof t->reason, "scheduled");
  snprintf(t->result, sizeof t->result, "%s", result);
}

static void event(Hist *x, const char *kind, const char *date) {
  SupEventH *v = &x->events[x->h.nevents];
  memset(v, 0, sizeof *v);
  v->id = ++x->h.nevents;
  snprintf(v->kind, sizeof v->kind, "%s", kind);
  v->date = day(date);
}

static void member_role(Hist *x, const char *added, const char *removed, const char *role) {
  x->members[x->nmembers++] = (StatMemberIn){added, removed, help_role_bit(role)};
}

static void member(Hist *x, const char *added, const char *removed) { member_role(x, added, removed, "family"); }

/* Builds x->f under the default rule (every 2 months in the first year). */
static StatFacts *build(Hist *x) {
  StatSource s = {&x->h, x->found, "2020-01-01T10:00:00+08:00", x->units, x->nunits, x->members, x->nmembers,
                  x->agreements, x->nagreements, x->required, x->plan_from, x->checks_off};
  stats_facts_build(&s, schedule_preset_by_code("default"), &x->f);
  /* every test goes through the encoding, decoded in part and completed */
  Buf b = BUF_INIT;
  stats_facts_encode(&x->f, &b);
  StatFacts g;
  memset(&g, 0, sizeof g);
  assert_true(stats_facts_decode(b.data, b.len, &g, false));
  assert_true(g.partial);
  assert_true(stats_facts_complete(&g));
  Buf b2 = BUF_INIT;
  stats_facts_encode(&g, &b2);
  assert_int_equal(b.len, b2.len);
  assert_memory_equal(b.data, b2.data, b.len);
  stats_facts_free(&x->f);
  x->f = g;
  buf_reset(&b);
  buf_reset(&b2);
  return &x->f;
}

static StatPersonEval eval(const StatFacts *f, const char *d, const char *from, const char *to) {
  StatWhen w = {day(d), day(from), day(to)};
  StatPersonEval e;
  stats_eval(f, &w, &e);
  return e;
}

/* One expected figure of an evaluation: its slot and its count. */
typedef struct Fig {
  int slot, n;
} Fig;

/* Evaluates f for D and the period [from, to]; fails naming the first of
 * the n figures that differs. */
static void want(const StatFacts *f, const char *d, const char *from, const char *to, const Fig *fig, size_t n) {
  StatPersonEval e = eval(f, d, from, to);
  for (size_t i = 0; i < n; i++)
    if (e.n[fig[i].slot] != fig[i].n)
      fail_msg("D %s, [%s, %s]: slot %d is %d, expected %d", d, from, to, fig[i].slot, e.n[fig[i].slot], fig[i].n);
}
#define WANT(f, d, from, to, ...) \
  want((f), (d), (from), (to), (const Fig[]){__VA_ARGS__}, sizeof((const Fig[]){__VA_ARGS__}) / sizeof(Fig))

/* ---- rates ---------------------------------------------------------------- */

static void test_rates(void **state) {
  (void)state;
  int64_t t;
  char s[STATS_RATE_TEXT_LEN];
  assert_true(stats_rate_tenths(860, 1254, &t));
  assert_int_equal(t, 686);
  stats_rate_text(860, 1254, s);
  assert_string_equal(s, "68.6%");
  assert_false(stats_rate_tenths(0, 0, &t)); /* a denominator of 0: "—", not 0 % or 100 % */
  stats_rate_text(0, 0, s);
  assert_string_equal(s, "—");
  stats_rate_text(1, 8, s); /* 12.5 exactly */
  assert_string_equal(s, "12.5%");
  stats_rate_text(1, 16, s); /* 6.25: half up */
  assert_string_equal(s, "6.3%");
  stats_rate_text(2, 3, s);
  assert_string_equal(s, "66.7%");
  stats_rate_text(0, 5, s);
  assert_string_equal(s, "0.0%");
  stats_rate_text(7, 7, s);
  assert_string_equal(s, "100.0%");
}

/* Every rate of the table names a numerator and a denominator; every key
 * is found by name; footnotes are there. */
static void test_measure_table(void **state) {
  (void)state;
  int rates = 0, other = 0;
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    assert_ptr_equal(stats_measure_by_key(m->key), m);
    assert_true(m->name_zh[0] && m->def_zh[0]);
    /* the slots of the measure's provider (the prevention ledgers: core/prevention.h) */
    int slots = strcmp(m->provider, "person") == 0     ? SS__COUNT
                : strcmp(m->provider, "activity") == 0 ? AS__COUNT
                : strcmp(m->provider, "survey") == 0   ? SVS__COUNT
                : strcmp(m->provider, "service") == 0  ? SV_SLOTS
                : strcmp(m->provider, "elsewhere") == 0 ? SE__COUNT
                : strcmp(m->provider, "letter") == 0   ? LS__COUNT
                                                       : 0;
    assert_true(slots > 0);
    assert_true(m->num >= 0 && m->num < slots);
    if (m->kind == SM_RATE) {
      rates += strcmp(m->provider, "person") == 0 || strcmp(m->provider, "elsewhere") == 0;
      other += strcmp(m->provider, "person") != 0 && strcmp(m->provider, "elsewhere") != 0;
      assert_true(m->den >= 0 && m->den < slots);
    } else {
      assert_int_equal(m->den, -1);
    }
  }
  assert_int_equal(rates, 10); /* issue 9: elsewhere_rate */
  assert_int_equal(other, 3 + SURVEY_GROUPS); /* awareness overall, per group, surveys meeting their target; letters_rate */
  assert_null(stats_measure_by_key("nope"));
}

/* ---- status and unit on D ------------------------------------------------- */

/* A status change on D itself counts on D; before it the earlier status. */
static void test_status_on_d(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "community_detox", "2024-01-10", "2024-01-15");
  ep(&x, "compulsory_isolation", "2025-03-01", "2025-03-02");
  ep(&x, "community_rehab", "2026-03-01", "2026-03-05");
  StatFacts *f = build(&x);
  assert_int_equal(stats_status_on(f, day("2024-01-09")), ST_NONE);
  assert_int_equal(stats_status_on(f, day("2024-01-10")), ST_COMMUNITY_DETOX);
  assert_int_equal(stats_status_on(f, day("2025-02-28")), ST_COMMUNITY_DETOX);
  assert_int_equal(stats_status_on(f, day("2025-03-01")), ST_COMPULSORY_ISOLATION);
  assert_int_equal(stats_status_on(f, day("2026-03-01")), ST_COMMUNITY_REHAB);
  /* the file was made in 2020: registered, no status yet */
  WANT(f, "2024-01-09", "2024-01-01", "2024-01-09", {SS_REGISTERED, 1}, {SS_STATUS0 + ST_NONE, 1});
  WANT(f, "2025-03-01", "2025-01-01", "2025-03-01",
       {SS_REGISTERED, 1}, {SS_SUPERVISED, 0}, {SS_STATUS0 + ST_COMPULSORY_ISOLATION, 1});
  WANT(f, "2025-02-28", "2025-01-01", "2025-02-28", {SS_SUPERVISED, 1}, {SS_IN_COMMUNITY, 1});
  stats_facts_free(f);
}

/* A transfer in the middle of the period: before it the person counts in
 * the old unit, from its day on in the new one; a relapse in the old unit
 * counts where the person is on D. */
static void test_transfer_mid_period(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  x.units[1] = (StatUnitIn){"2026-06-01", 20};
  x.nunits = 2;
  ep(&x, "social_supervision", "2025-01-05", "2025-01-05");
  test_(&x, "2026-03-10", "positive");
  StatFacts *f = build(&x);
  StatPersonEval e = eval(f, "2026-12-31", "2026-01-01", "2026-12-31");
  assert_int_equal(e.org_id, 20);
  assert_int_equal(e.n[SS_RELAPSED], 1);
  e = eval(f, "2026-05-31", "2026-01-01", "2026-05-31");
  assert_int_equal(e.org_id, 10);
  assert_int_equal(e.n[SS_RELAPSED], 1);
  assert_int_equal(stats_unit_on(f, day("2026-06-01")), 20); /* the day of the move: the new unit */
  assert_int_equal(stats_unit_on(f, day("1990-01-01")), 10); /* the first unit since always */
  int64_t orgs[4];
  assert_int_equal(stats_facts_orgs(f, orgs), 2);
  stats_facts_free(f);
}

/* An offence (issue 9) counts in the period it is dated in, through the
 * encoding (read by every evaluation, supervised or not). */
static void test_offence_counted(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "compulsory_isolation", "2025-01-05", "2025-01-05");
  event(&x, "offence", "2026-04-02");
  StatFacts *f = build(&x);
  assert_int_equal(f->noffences, 1);
  WANT(f, "2026-06-30", "2026-04-01", "2026-06-30", {SS_OFFENDED, 1});
  WANT(f, "2026-03-31", "2026-01-01", "2026-03-31", {SS_OFFENDED, 0});
  stats_facts_free(f);
}

/* Division codes (core/division.h): the digits of a level, the household
 * from an ID number, in, out, or not to be told. */
static void test_division(void **state) {
  (void)state;
  assert_true(division_valid("420111", 6));
  assert_true(division_valid("420111001", division_digits("street")));
  assert_true(division_valid("420111001001", 0));
  assert_false(division_valid("42011", 0));
  assert_false(division_valid("42011a", 0));
  assert_false(division_valid("420111001", 6));
  char d[DIVISION_LEN];
  division_from_id_number("11010119900101001X", d);
  assert_string_equal(d, "110101");
  division_from_id_number("1101", d);
  assert_string_equal(d, "");
  assert_int_equal(division_relation("420111", "420111001002"), 1);
  assert_int_equal(division_relation("420111001", "420111002003"), 0);
  assert_int_equal(division_relation("420111001", "420902"), 0);
  assert_int_equal(division_relation("420111001", "420111"), -1); /* recorded only as the county */
  assert_int_equal(division_relation("", "420111"), -1);
  assert_int_equal(division_relation("420111", ""), -1);
}

/* Events dated on F and on T count; the day before F and after T do not. */
static void test_period_edges(void **state) {
  (void)state;
  static const struct { const char *date; int in; } cases[] = {
    {"2026-03-31", 0}, {"2026-04-01", 1}, {"2026-06-30", 1}, {"2026-07-01", 0}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Hist x;
    hist_init(&x);
    x.found = cases[i].date;
    ep(&x, "social_supervision", cases[i].date, cases[i].date);
    test_(&x, cases[i].date, "positive");
    StatFacts *f = build(&x);
    StatPersonEval e = eval(f, "2026-07-15", "2026-04-01", "2026-06-30");
    assert_int_equal(e.n[SS_NEW_FOUND], cases[i].in);
    assert_int_equal(e.n[SS_RELAPSED], cases[i].in);
    assert_int_equal(e.n[SS_TESTED], cases[i].in);
    stats_facts_free(f);
  }
}

/* A death: registered until the day before, not from the day of it; an
 * abstinent_3y person is registered but not current; emigrated is closed. */
static void test_death_abstinent(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "social_supervision", "2020-01-05", "2020-01-05");
  ep(&x, "abstinent_3y", "2023-02-01", "2023-02-01");
  ep(&x, "dead", "2026-05-10", "2026-05-10");
  StatFacts *f = build(&x);
  WANT(f, "2026-05-09", "2026-01-01", "2026-05-09",
       {SS_REGISTERED, 1}, {SS_CURRENT, 0}, {SS_STATUS0 + ST_ABSTINENT_3Y, 1}, {SS_SUPERVISED, 0});
  WANT(f, "2026-05-10", "2026-01-01", "2026-05-10", {SS_REGISTERED, 0}, {SS_CURRENT, 0});
  WANT(f, "2022-06-30", "2022-01-01", "2022-06-30", {SS_CURRENT, 1}, {SS_SUPERVISED, 1});
  StatPersonEval e = eval(f, "2026-05-10", "2026-01-01", "2026-05-10");
  assert_int_equal(e.status, ST_DEAD);
  for (int k = SS_STATUS0; k < SS_STATUS0 + ST_DEAD; k++) assert_int_equal(e.n[k], 0);
  stats_facts_free(f);
}

/* Lost contact: out of contact from the lost day until found; found on the
 * same day as lost (later row) is in contact; lost counts only supervised. */
static void test_lost_contact(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "social_supervision", "2026-01-05", "2026-01-05");
  member(&x, "2026-01-05T09:00:00+08:00", "");
  event(&x, "lost_contact", "2026-03-01");
  event(&x, "found", "2026-04-01");
  event(&x, "lost_contact", "2026-05-01");
  event(&x, "found", "2026-05-01");
  StatFacts *f = build(&x);
  WANT(f, "2026-02-28", "2026-01-01", "2026-02-28", {SS_LOST_CONTACT, 0});
  WANT(f, "2026-03-01", "2026-01-01", "2026-03-01", {SS_LOST_CONTACT, 1}, {SS_CONTROL_NUM, 0});
  WANT(f, "2026-03-31", "2026-01-01", "2026-03-31", {SS_LOST_CONTACT, 1});
  WANT(f, "2026-04-01", "2026-01-01", "2026-04-01", {SS_LOST_CONTACT, 0});
  WANT(f, "2026-05-01", "2026-01-01", "2026-05-01", {SS_LOST_CONTACT, 0});
  stats_facts_free(f);
}

/* control_rate and help_rate: a team in place and talks on time. Social
 * supervision from 2026-01-05 under the default rule: a talk every 2
 * months; the first due 2026-03-05; a talk on 2026-02-20 moves it to
 * 2026-04-20. */
static void test_control_help(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "social_supervision", "2026-01-05", "2026-01-05");
  member(&x, "2026-01-10T09:00:00+08:00", "2026-09-01T09:00:00+08:00");
  talk(&x, "2026-02-20");
  StatFacts *f = build(&x);
  WANT(f, "2026-01-09", "2026-01-01", "2026-01-09", {SS_SUPERVISED, 1}, {SS_CONTROL_NUM, 0}); /* no team yet */
  /* due today: not overdue; a talk in the period, a team */
  WANT(f, "2026-04-20", "2026-01-01", "2026-04-20", {SS_CONTROL_NUM, 1}, {SS_HELP_NUM, 1});
  WANT(f, "2026-04-21", "2026-01-01", "2026-04-21", {SS_CONTROL_NUM, 0}); /* overdue since the 20th */
  WANT(f, "2026-04-20", "2026-03-01", "2026-04-20", {SS_HELP_NUM, 0}); /* no talk in [F, T] */
  WANT(f, "2026-09-01", "2026-01-01", "2026-09-01", {SS_HELP_NUM, 0}); /* the team left on D */
  stats_facts_free(f);
  assert_true(stats_team_in_place(&(StatFacts){.team = (StatSpan[]){{day("2026-01-01"), STAT_DAY_MAX}}, .nteam = 1},
                                  day("2030-01-01")));
}

/* test_rate: the first test due 2026-03-05; a test on 2026-03-01 moves the
 * next to 2026-05-01, which passes without a test. */
static void test_tests_due(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "social_supervision", "2026-01-05", "2026-01-05");
  test_(&x, "2026-03-01", "negative");
  StatFacts *f = build(&x);
  /* nothing due in the period */
  WANT(f, "2026-02-28", "2026-01-01", "2026-02-28", {SS_TEST_DEN, 0}, {SS_TEST_NUM, 0});
  WANT(f, "2026-04-30", "2026-01-01", "2026-04-30", {SS_TEST_DEN, 1}, {SS_TEST_NUM, 1}); /* due 03-05, done 03-01 */
  /* due 05-01 (T), not done that day */
  WANT(f, "2026-05-01", "2026-03-06", "2026-05-01", {SS_TEST_DEN, 1}, {SS_TEST_NUM, 0});
  WANT(f, "2026-06-30", "2026-01-01", "2026-06-30", {SS_TEST_DEN, 1}, {SS_TEST_NUM, 0}); /* 05-01 missed */
  /* overdue at F: due, not done by its date */
  WANT(f, "2026-06-30", "2026-05-02", "2026-06-30", {SS_TEST_DEN, 1}, {SS_TEST_NUM, 0});
  WANT(f, "2026-04-30", "2026-03-06", "2026-04-30", {SS_TEST_DEN, 0}, {SS_TEST_NUM, 0}); /* the next falls after T */
  stats_facts_free(f);
}

/* report_rate: the 15-day deadline (decision + 15) falls in the period;
 * reported by it (its start date, or the first reported or released event
 * since the decision: the engine's run start). pickup_rate: releases from
 * isolation and prison, received when a released event is dated on the
 * release day. */
static void test_report_pickup(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "community_detox", "2026-02-01", "2026-02-10");     /* deadline 02-16, reported 02-10 */
  ep(&x, "compulsory_isolation", "2026-03-01", "2026-03-01");
  ep(&x, "community_rehab", "2026-06-01", "");                /* released 06-01, reported 06-20: late */
  event(&x, "reported", "2026-06-20");
  ep(&x, "imprisoned", "2026-07-01", "2026-07-01");
  ep(&x, "social_supervision", "2026-09-01", "2026-09-01");   /* out of prison */
  event(&x, "released", "2026-09-01");                       /* received on the day */
  StatFacts *f = build(&x);
  WANT(f, "2026-12-31", "2026-01-01", "2026-12-31",
       {SS_REPORT_DEN, 2}, {SS_REPORT_NUM, 1}, {SS_PICKUP_DEN, 2}, {SS_PICKUP_NUM, 1});
  /* deadline 06-16 falls after T */
  WANT(f, "2026-12-31", "2026-02-17", "2026-06-15", {SS_REPORT_DEN, 0}, {SS_PICKUP_DEN, 1}, {SS_PICKUP_NUM, 0});
  WANT(f, "2026-12-31", "2026-06-16", "2026-06-16", {SS_REPORT_DEN, 1}, {SS_REPORT_NUM, 0});
  stats_facts_free(f);
  /* a released event reports a community rehabilitation (the run starts) */
  hist_init(&x);
  ep(&x, "compulsory_isolation", "2024-03-01", "2024-03-01");
  ep(&x, "community_rehab", "2026-06-01", "");
  event(&x, "released", "2026-06-01");
  f = build(&x);
  WANT(f, "2026-12-31", "2026-01-01", "2026-12-31", {SS_REPORT_NUM, 1}, {SS_PICKUP_NUM, 1});
  stats_facts_free(f);
}

/* complete_rate: a community order needs an agreement signed since it
 * began; a social supervision does not. */
static void test_complete(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  ep(&x, "community_detox", "2026-01-05", "2026-01-10");
  member(&x, "2026-01-05T09:00:00+08:00", "");
  x.agreements[x.nagreements++] = "2026-01-12";
  x.plan_from = "2026-01-05T10:00:00+08:00";
  StatFacts *f = build(&x);
  WANT(f, "2026-01-11", "2026-01-01", "2026-01-11", {SS_COMPLETE_NUM, 0});
  WANT(f, "2026-01-12", "2026-01-01", "2026-01-12", {SS_COMPLETE_NUM, 1});
  stats_facts_free(f);
}

/* The complete file as issue 9 has it, day by day: the required roles
 * (四位一体) covered, a case plan, a document, no talk overdue; a file
 * going incomplete -> complete -> incomplete as a member leaves; a check
 * the rule switches off does not count. */
static void test_complete_casework(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  help_roles_parse(HELP_ROLES_FOUR, &x.required);
  ep(&x, "social_supervision", "2026-01-05", "2026-01-05");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "family");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "police");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "social_worker");
  member_role(&x, "2026-01-20T09:00:00+08:00", "2026-02-01T09:00:00+08:00", "cadre");
  x.agreements[x.nagreements++] = "2026-01-06"; /* a responsibility letter: no community order */
  x.plan_from = "2026-01-15T10:00:00+08:00";
  StatFacts *f = build(&x);
  assert_int_equal(stats_file_missing(f, ST_SOCIAL_SUPERVISION, day("2026-01-05")), CF_TEAM | CF_PLAN | CF_DOCUMENT);
  assert_int_equal(stats_file_missing(f, ST_SOCIAL_SUPERVISION, day("2026-01-10")), CF_TEAM | CF_PLAN);
  assert_int_equal(stats_file_missing(f, ST_SOCIAL_SUPERVISION, day("2026-01-16")), CF_TEAM);
  WANT(f, "2026-01-19", "2026-01-01", "2026-01-19", {SS_COMPLETE_NUM, 0});
  WANT(f, "2026-01-20", "2026-01-01", "2026-01-20", {SS_COMPLETE_NUM, 1});
  WANT(f, "2026-01-31", "2026-01-01", "2026-01-31", {SS_COMPLETE_NUM, 1});
  assert_int_equal(stats_file_missing(f, ST_SOCIAL_SUPERVISION, day("2026-02-01")), CF_TEAM);
  /* a talk overdue (the first is due two months after the start) */
  assert_true(stats_file_missing(f, ST_SOCIAL_SUPERVISION, day("2026-03-10")) & CF_TALK);
  stats_facts_free(f);
  /* the rule without the plan: complete on 01-20 all the same, and before the plan */
  hist_init(&x);
  help_roles_parse(HELP_ROLES_FOUR, &x.required);
  x.checks_off = CF_PLAN;
  ep(&x, "social_supervision", "2026-01-05", "2026-01-05");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "family");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "police");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "social_worker");
  member_role(&x, "2026-01-05T09:00:00+08:00", "", "cadre");
  x.agreements[x.nagreements++] = "2026-01-06";
  f = build(&x);
  assert_int_equal(stats_file_missing(f, ST_SOCIAL_SUPERVISION, day("2026-01-07")), 0);
  stats_facts_free(f);
}

/* A denominator of 0 and nothing counted for a person not yet known. */
static void test_nothing(void **state) {
  (void)state;
  Hist x;
  hist_init(&x);
  StatFacts *f = build(&x);
  /* known since the file was made (2020) */
  WANT(f, "2026-01-01", "2026-01-01", "2026-01-01",
       {SS_REGISTERED, 1}, {SS_STATUS0 + ST_NONE, 1}, {SS_SUPERVISED, 0});
  WANT(f, "2019-12-31", "2019-01-01", "2019-12-31", {SS_REGISTERED, 0});
  stats_facts_free(f);
}

/* Malformed facts are refused, whole. */
static void test_decode_bad(void **state) {
  (void)state;
  StatFacts f;
  memset(&f, 0, sizeof f);
  assert_false(stats_facts_decode("", 0, &f, true));
  assert_false(stats_facts_decode("\x02", 1, &f, true));
  assert_false(stats_facts_decode("\x01\x80", 2, &f, true));
  Hist x;
  hist_init(&x);
  ep(&x, "social_supervision", "2026-01-05", "2026-01-05");
  talk(&x, "2026-02-20");
  StatFacts *g = build(&x);
  Buf b = BUF_INIT;
  stats_facts_encode(g, &b);
  assert_false(stats_facts_decode(b.data, b.len - 1, &f, true)); /* cut short */
  buf_putc(&b, 0);
  assert_false(stats_facts_decode(b.data, b.len, &f, true)); /* trailing bytes */
  buf_reset(&b);
  stats_facts_free(g);
  stats_facts_free(&f);
}

/* ---- periods ----------------------------------------------------------------- */

static void expect_period(const StatPeriod *p, StatPeriodKind kind, const char *f, const char *t) {
  char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
  date_format(p->f, a);
  date_format(p->t, b);
  assert_int_equal(p->kind, kind);
  assert_string_equal(a, f);
  assert_string_equal(b, t);
}

static void test_periods(void **state) {
  (void)state;
  StatPeriod p, q;
  char text[32];
  assert_true(stats_period_parse("2026Q2", &p));
  expect_period(&p, SP_QUARTER, "2026-04-01", "2026-06-30");
  stats_period_format(&p, text);
  assert_string_equal(text, "2026Q2");
  assert_true(stats_period_parse("2026H2", &p));
  expect_period(&p, SP_HALF, "2026-07-01", "2026-12-31");
  assert_true(stats_period_parse("2024-02", &p));
  expect_period(&p, SP_MONTH, "2024-02-01", "2024-02-29");
  assert_true(stats_period_parse("2026", &p));
  expect_period(&p, SP_YEAR, "2026-01-01", "2026-12-31");
  const char *bad[] = {"2026Q5", "2026Q0", "2026-13", "2026-00", "2026-1", "26", "2026H3", "abcd", "2026-01-01", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (stats_period_parse(bad[i], &p)) fail_msg("%s parsed", bad[i]);

  assert_true(stats_period_parse("2026Q1", &p));
  stats_period_previous(&p, &q);
  expect_period(&q, SP_QUARTER, "2025-10-01", "2025-12-31");
  assert_true(stats_period_parse("2026-03", &p));
  stats_period_previous(&p, &q);
  expect_period(&q, SP_MONTH, "2026-02-01", "2026-02-28");
  assert_true(stats_period_parse("2025-02", &p));
  stats_period_year_ago(&p, &q);
  expect_period(&q, SP_MONTH, "2024-02-01", "2024-02-29");
  assert_true(stats_period_parse("2024-02", &p));
  stats_period_year_ago(&p, &q);
  expect_period(&q, SP_MONTH, "2023-02-01", "2023-02-28");
  p = (StatPeriod){SP_CUSTOM, day("2026-01-11"), day("2026-01-20")};
  stats_period_previous(&p, &q);
  expect_period(&q, SP_CUSTOM, "2026-01-01", "2026-01-10");
  stats_period_year_ago(&p, &q);
  expect_period(&q, SP_CUSTOM, "2025-01-11", "2025-01-20");
  stats_period_format(&p, text);
  assert_string_equal(text, "2026-01-11~2026-01-20");
  assert_int_equal(stats_period_shift_day(&p, &q, day("2026-01-20")), day("2025-01-20"));
}


/* The marks (core/stats.h stats_facts_marks): a lost-contact event, a
 * positive test, an offence at all; and what the drill-down's index
 * relies on: on every day of a year and every slot, a person who adds to
 * a slot carries the slot's mark (stats_slot_mark), so that the rows
 * without it can be left unread. */
static void test_marks(void **state) {
  (void)state;
  Hist hs[4];
  for (int i = 0; i < 4; i++) {
    hist_init(&hs[i]);
    ep(&hs[i], "social_supervision", "2026-01-05", "2026-01-05");
    member(&hs[i], "2026-01-05T09:00:00+08:00", "");
  }
  /* 0: found without ever being lost, a negative test: no mark */
  event(&hs[0], "found", "2026-02-01");
  test_(&hs[0], "2026-02-03", "negative");
  /* 1: lost and found again */
  event(&hs[1], "lost_contact", "2026-03-01");
  event(&hs[1], "found", "2026-04-01");
  /* 2: a positive test, then compulsory isolation */
  test_(&hs[2], "2026-05-10", "positive");
  ep(&hs[2], "compulsory_isolation", "2026-06-01", "2026-06-01");
  /* 3: lost, an offence, still lost */
  event(&hs[3], "lost_contact", "2026-02-10");
  event(&hs[3], "offence", "2026-07-02");
  const unsigned want[4] = {0, STAT_MARK_LOST, STAT_MARK_POSITIVE, STAT_MARK_LOST | STAT_MARK_OFFENCE};
  int counted[SS__COUNT] = {0};
  for (int i = 0; i < 4; i++) {
    StatFacts *f = build(&hs[i]);
    unsigned m = stats_facts_marks(f);
    if (m != want[i]) fail_msg("person %d: marks %u, want %u", i, m, want[i]);
    for (Day d = day("2025-12-01"); d <= day("2026-12-31"); d++) {
      StatWhen w = {d, d - 30, d};
      StatPersonEval e;
      stats_eval(f, &w, &e);
      for (int k = 0; k < SS__COUNT; k++) {
        unsigned need = stats_slot_mark(k);
        if (need && e.n[k]) {
          counted[k]++;
          if ((m & need) != need) fail_msg("person %d counts in slot %d without its mark", i, k);
        }
      }
    }
    stats_facts_free(f);
  }
  /* each marked slot was counted on some day: the check above was not empty */
  assert_true(counted[SS_LOST_CONTACT] > 0);
  assert_true(counted[SS_RELAPSED] > 0);
  assert_true(counted[SS_OFFENDED] > 0);
  assert_int_equal(stats_slot_mark(SS_LOST_CONTACT), STAT_MARK_LOST);
  assert_int_equal(stats_slot_mark(SS_SUPERVISED), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rates),          cmocka_unit_test(test_measure_table),
    cmocka_unit_test(test_offence_counted), cmocka_unit_test(test_division),
    cmocka_unit_test(test_status_on_d),    cmocka_unit_test(test_transfer_mid_period),
    cmocka_unit_test(test_period_edges),   cmocka_unit_test(test_death_abstinent),
    cmocka_unit_test(test_lost_contact),   cmocka_unit_test(test_control_help),
    cmocka_unit_test(test_tests_due),      cmocka_unit_test(test_report_pickup),
    cmocka_unit_test(test_complete),       cmocka_unit_test(test_complete_casework),       cmocka_unit_test(test_nothing),
    cmocka_unit_test(test_decode_bad),     cmocka_unit_test(test_periods),
    cmocka_unit_test(test_marks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
