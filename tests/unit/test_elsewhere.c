/* tests/unit/test_elsewhere.c: cmocka tests of the 人户分离 figures of the
 * statistics (provider "elsewhere", app/stats.c) on a temporary database:
 * the exact counts of `elsewhere` (supervised in U on D, household outside
 * U's division), `elsewhere_out` (household in U, supervised on D outside
 * U) and `elsewhere_rate` (elsewhere_out ÷ persons of U's household area
 * supervised anywhere) for the county, a street and their rows, as of
 * today, as of a day before a transfer and before anyone was supervised,
 * with the compared periods and the monthly trend (windows counted in the
 * one pass of the person provider), a unit without a code, and the persons
 * behind each number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/approval.h"
#include "app/org.h"
#include "app/person.h"
#include "app/stats.h"
#include "app/steps.h"
#include "core/idcard.h"
#include "tests/unit/fixture.h"

typedef FixDistrict T;

/* The district (fixture.h) on 2025-01-01, its units coded: K 430102, S1
 * 430102001 (A ...001001, B ...001002), S2 430102002 (D ...002001). */
static int setup(void **state) {
  T *t = fix_district_new("elsewhere", "2025-01-01");
  static const char *const codes[][2] = {{"K", "430102"},          {"S1", "430102001"},    {"S2", "430102002"},
                                         {"A", "430102001001"},    {"B", "430102001002"},  {"D", "430102002001"}};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    Err e;
    err_clear(&e);
    if (app_org_set_division(&t->f.c, codes[i][0], codes[i][1], &e) != ERR_OK)
      fail_msg("division %s: %s", codes[i][0], e.msg);
  }
  *state = t;
  return 0;
}

/* A man born 1990 of community org recorded by c, household division hh
 * ("" : none); with status community_detox from since unless since is NULL. */
static int64_t person(T *t, Ctx *c, const char *org, const char *hh, const char *since) {
  char first17[32], id[IDCARD_MASKED_LEN], name[32];
  snprintf(first17, sizeof first17, "11010119900101%03u", (unsigned)(2 * t->seq + 1) % 1000u);
  snprintf(name, sizeof name, "人员%d", t->seq++);
  memcpy(id, first17, 17);
  id[17] = idcard_check_char(first17);
  id[18] = 0;
  PersonInput in;
  memset(&in, 0, sizeof in);
  in.has[PF_NAME] = true, in.val[PF_NAME] = name;
  in.has[PF_SEX] = true, in.val[PF_SEX] = "M";
  in.has[PF_ID_NUMBER] = true, in.val[PF_ID_NUMBER] = id;
  in.has[PF_DRUG_TYPES] = true, in.val[PF_DRUG_TYPES] = "ketamine";
  in.has[PF_HOUSEHOLD_DIVISION] = true, in.val[PF_HOUSEHOLD_DIVISION] = hh;
  in.has_org = true;
  in.org_code = org;
  Err e;
  err_clear(&e);
  int64_t pid = 0;
  if (app_person_create(c, &in, &pid, &e) != ERR_OK)
    fail_msg("create %s: %s %s", name, e.msg, e.nfields ? e.fields[0].msg : "");
  if (!since) return pid;
  StatusInput st = {.status = "community_detox", .decision_date = since, .start_date = since};
  err_clear(&e);
  if (app_person_add_status(c, pid, &st, NULL, &e) != ERR_OK) fail_msg("status: %s", e.msg);
  err_clear(&e);
  assert_int_equal(db_begin(t->f.db, &e), ERR_OK);
  assert_int_equal(sup_refresh(c, pid, &e), ERR_OK);
  assert_int_equal(db_commit(t->f.db, &e), ERR_OK);
  return pid;
}

/* The three figures of the provider in f: elsewhere, elsewhere_out,
 * elsewhere_rate's denominator (persons of the household area supervised
 * anywhere), as "away/out/home" text for one comparison per unit. */
static const char *figs(const StatsFigures *f) {
  static char s[8][64];
  static int k;
  const StatMeasure *away = stats_measure_by_key("elsewhere"), *out = stats_measure_by_key("elsewhere_out"),
                    *rate = stats_measure_by_key("elsewhere_rate");
  assert_non_null(away);
  assert_non_null(out);
  assert_non_null(rate);
  assert_int_equal(stats_figure(f, rate, false), stats_figure(f, out, false)); /* the rate's numerator is out */
  char *p = s[k++ % 8];
  snprintf(p, sizeof s[0], "%lld/%lld/%lld", (long long)stats_figure(f, away, false),
           (long long)stats_figure(f, out, false), (long long)stats_figure(f, rate, true));
  return p;
}

/* The table of org as of date (NULL: today) with the compared periods. */
static void table(Ctx *c, const char *org, const char *date, StatsTable *tb) {
  StatsQuery q = {org, date ? date : "", "", "", ""};
  Err e;
  err_clear(&e);
  if (app_stats_table(c, &q, true, tb, &e) != ERR_OK) fail_msg("table %s: %s", org, e.msg);
}

/* The person ids behind measure for org as of date (NULL: today), as a
 * text of ids in the answer's order. */
static const char *items(Ctx *c, const char *org, const char *date, const char *measure, const char *part) {
  static char s[256];
  StatsQuery q = {org, date ? date : "", "", "", ""};
  StatsItems it;
  Err e;
  err_clear(&e);
  if (app_stats_items(c, &q, measure, part, 1, 100, &it, &e) != ERR_OK) fail_msg("items %s: %s", measure, e.msg);
  s[0] = 0;
  for (int i = 0; i < it.n; i++)
    snprintf(s + strlen(s), sizeof s - strlen(s), "%s%lld", i ? "," : "", (long long)it.items[i].person_id);
  snprintf(s + strlen(s), sizeof s - strlen(s), "|%lld", (long long)it.hidden);
  app_stats_items_free(&it);
  return s;
}

/* Every case of the relation, counted for the county, the streets and the
 * communities as of today, before the transfer and before any status. */
static void test_counts(void **state) {
  T *t = *state;
  fix_district_today(t, "2025-01-01");
  int64_t p1 = person(t, &t->ca, "A", "430102001001", "2025-01-01"); /* at home in A */
  int64_t p2 = person(t, &t->ca, "A", "430102001002", "2025-01-01"); /* household B, supervised in A */
  int64_t p3 = person(t, &t->ca, "A", "430102002001", "2025-01-01"); /* household D (S2), supervised in A */
  int64_t p4 = person(t, &t->cd, "D", "110101", "2025-01-01");       /* household outside the county */
  int64_t p5 = person(t, &t->cb, "B", "430102", "2025-01-01");       /* the county only: not told for S1, B */
  int64_t p6 = person(t, &t->cb, "B", "110101", "2025-01-01");       /* outside the county too, in B */
  int64_t p7 = person(t, &t->ca, "A", "430102002001", NULL);         /* not supervised */
  int64_t p8 = person(t, &t->ca, "A", "430102001001", "2025-01-01"); /* at home in A, moves to D on 02-01 */
  (void)p5, (void)p6, (void)p7;
  fix_district_today(t, "2025-02-01");
  Err e;
  err_clear(&e);
  int64_t tid = 0;
  assert_int_equal(app_approval_propose(&t->cs1, p8, &(ApprovalInput){.kind = "transfer", .to_org = "D"}, &tid, &e),
                   ERR_OK);
  err_clear(&e);
  assert_int_equal(app_approval_decide(&t->cs2, tid, &(DecisionInput){"approve", NULL}, &e), ERR_OK);
  fix_district_today(t, "2025-03-01");

  /* today: K supervises p1..p6 and p8; away p4 and p6 (110101); its area
   * (household within 430102, supervised): p1 p2 p3 p5 p8, none outside K */
  StatsTable tb;
  table(&t->cadmin, "K", NULL, &tb);
  assert_int_equal(tb.nchildren, 2);
  assert_string_equal(tb.children[0].unit.code, "S1");
  assert_string_equal(figs(&tb.total), "2/0/5");
  assert_string_equal(figs(&tb.children[0].f), "2/1/3"); /* S1: away p3 (D's), p6; area p1 p2 p8, p8 now in D */
  assert_string_equal(figs(&tb.children[1].f), "2/1/1"); /* S2: away p4 and p8 (A's); area p3, supervised in A */
  assert_string_equal(figs(&tb.total_previous), "0/0/0"); /* 2024-11-02~2024-12-31: nobody supervised yet */
  app_stats_table_free(&tb);

  /* S1 today, its rows A and B; the compared window of a period in February */
  StatsQuery feb = {"S1", "2025-03-01", "2025-02-01", "2025-03-01", ""};
  err_clear(&e);
  assert_int_equal(app_stats_table(&t->cs1, &feb, true, &tb, &e), ERR_OK);
  assert_int_equal(tb.nchildren, 2);
  assert_string_equal(tb.children[0].unit.code, "A");
  assert_string_equal(figs(&tb.total), "2/1/3");
  assert_string_equal(figs(&tb.children[0].f), "2/1/2"); /* A: away p2 (B's) p3 (D's); area p1, p8 (in D) */
  assert_string_equal(figs(&tb.children[1].f), "1/1/1"); /* B: away p6, p5 (430102) not told; area p2 (in A) */
  assert_string_equal(figs(&tb.total_previous), "2/0/3"); /* D 2025-01-31: p8 still in A */
  assert_string_equal(figs(&tb.total_year_ago), "0/0/0"); /* D 2024-03-01: nobody supervised */
  app_stats_table_free(&tb);
  /* S2 as of today and before the transfer */
  table(&t->cs2, "S2", NULL, &tb);
  assert_string_equal(figs(&tb.total), "2/1/1");
  assert_string_equal(figs(&tb.children[0].f), "2/1/1"); /* D alone */
  app_stats_table_free(&tb);
  table(&t->cs2, "S2", "2025-01-31", &tb);
  assert_string_equal(figs(&tb.total), "1/1/1");
  app_stats_table_free(&tb);
  /* S1 before the transfer: p8 at home in A */
  table(&t->cs1, "S1", "2025-01-31", &tb);
  assert_string_equal(figs(&tb.total), "2/0/3");
  assert_string_equal(figs(&tb.children[0].f), "2/0/2");
  assert_string_equal(figs(&tb.children[1].f), "1/1/1");
  app_stats_table_free(&tb);
  /* before any status: nothing */
  table(&t->cadmin, "K", "2024-12-31", &tb);
  assert_string_equal(figs(&tb.total), "0/0/0");
  assert_string_equal(figs(&tb.children[0].f), "0/0/0");
  assert_string_equal(figs(&tb.children[1].f), "0/0/0");
  app_stats_table_free(&tb);

  /* the trend: every month a window of the one pass */
  StatsTrend tr;
  StatsQuery sq = {"S1", "", "", "", ""};
  err_clear(&e);
  assert_int_equal(app_stats_trend(&t->cs1, &sq, &tr, &e), ERR_OK);
  assert_day(tr.w[STATS_TREND_MONTHS - 1].d, "2025-03-01");
  assert_string_equal(figs(&tr.f[STATS_TREND_MONTHS - 1]), "2/1/3");
  assert_string_equal(figs(&tr.f[STATS_TREND_MONTHS - 2]), "2/1/3"); /* 2025-02-28 */
  assert_string_equal(figs(&tr.f[STATS_TREND_MONTHS - 3]), "2/0/3"); /* 2025-01-31 */
  assert_string_equal(figs(&tr.f[STATS_TREND_MONTHS - 4]), "0/0/0"); /* 2024-12-31 */

  /* the persons behind the numbers (ids in the order of their unit on D, then id) */
  char want[64];
  snprintf(want, sizeof want, "%lld,%lld|0", (long long)p3, (long long)p6);
  assert_string_equal(items(&t->cadmin, "S1", NULL, "elsewhere", NULL), want);
  snprintf(want, sizeof want, "%lld|0", (long long)p8);
  assert_string_equal(items(&t->cadmin, "S1", NULL, "elsewhere_out", NULL), want);
  assert_string_equal(items(&t->cs1, "S1", NULL, "elsewhere_out", NULL), "|1"); /* p8 is D's: counted, not listed */
  snprintf(want, sizeof want, "%lld,%lld|0", (long long)p4, (long long)p8);
  assert_string_equal(items(&t->cs2, "S2", NULL, "elsewhere", NULL), want);
  snprintf(want, sizeof want, "%lld|0", (long long)p4);
  assert_string_equal(items(&t->cs2, "S2", "2025-01-31", "elsewhere", NULL), want);
  snprintf(want, sizeof want, "%lld,%lld|1", (long long)p1, (long long)p2); /* p8: in A then, D's today */
  assert_string_equal(items(&t->cs1, "S1", "2025-01-31", "elsewhere_rate", "den"), want);
  snprintf(want, sizeof want, "%lld,%lld,%lld|0", (long long)p1, (long long)p8, (long long)p2); /* by household */
  assert_string_equal(items(&t->cadmin, "S1", "2025-01-31", "elsewhere_rate", "den"), want);

  /* the county's code cleared: its own figures are 0, its rows' stay */
  err_clear(&e);
  assert_int_equal(app_org_set_division(&t->f.c, "K", "", &e), ERR_OK);
  table(&t->cadmin, "K", NULL, &tb);
  assert_string_equal(figs(&tb.total), "0/0/0");
  assert_string_equal(figs(&tb.children[0].f), "2/1/3");
  assert_string_equal(figs(&tb.children[1].f), "2/1/1");
  app_stats_table_free(&tb);
  /* S1's code cleared: its own figures are 0; its rows' are read one code at
   * a time (p8, D's today, still in A's household side) */
  err_clear(&e);
  assert_int_equal(app_org_set_division(&t->f.c, "S1", "", &e), ERR_OK);
  table(&t->cs1, "S1", NULL, &tb);
  assert_string_equal(figs(&tb.total), "0/0/0");
  assert_string_equal(figs(&tb.children[0].f), "2/1/2");
  assert_string_equal(figs(&tb.children[1].f), "1/1/1");
  app_stats_table_free(&tb);
  /* and every code cleared: nothing */
  static const char *const all[] = {"A", "B", "D", "S2"};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    err_clear(&e);
    assert_int_equal(app_org_set_division(&t->f.c, all[i], "", &e), ERR_OK);
  }
  table(&t->cadmin, "K", NULL, &tb);
  assert_string_equal(figs(&tb.total), "0/0/0");
  assert_string_equal(figs(&tb.children[0].f), "0/0/0");
  assert_string_equal(figs(&tb.children[1].f), "0/0/0");
  app_stats_table_free(&tb);
}

static struct CMUnitTest tests[] = {
  cmocka_unit_test(test_counts),
};

int main(void) { return FIX_RUN(tests, setup, fix_district_close); }
