/* tests/unit/test_ledger.c: cmocka tests of the places, letters and
 * inspections ledgers: the pure rules of core/ledger.c (the code lists
 * agree with the vocabularies, letter years and signing dates, the
 * follow-up state of an inspection) and the use cases over a temporary
 * database (app/place.c, app/letter.c, app/inspection.c): scope, rights,
 * the rules across fields with nothing written on a refusal, deactivation
 * never deleting, the active places of a kind, the signing rate and the
 * missing signers, the follow-up done once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/attachment.h"
#include "app/inspection.h"
#include "app/letter.h"
#include "app/place.h"
#include "app/stats.h"
#include "core/ledger.h"
#include "tests/unit/fixture.h"

/* ---- pure rules ------------------------------------------------------------------- */

/* Every vocabulary is well formed. */
static void test_vocab_codes(void **state) {
  (void)state;
  fix_vocab(place_kind_vocab, -1);
  fix_vocab(venue_category_vocab, -1);
  fix_vocab(letter_kind_vocab, -1);
  fix_vocab(inspection_result_vocab, -1);
  fix_vocab(followup_state_vocab, -1);
  assert_true(place_kind_has_category("venue"));
  assert_false(place_kind_has_category("school"));
  assert_false(place_kind_has_category(NULL));
}

/* A letter's year: 2000 up to next year; signed in its year or the December before. */
static void test_letter_dates(void **state) {
  (void)state;
  Day today = fix_day("2026-06-16");
  assert_true(letter_year_ok(2026, today));
  assert_true(letter_year_ok(2027, today));
  assert_false(letter_year_ok(2028, today));
  assert_true(letter_year_ok(2000, today));
  assert_false(letter_year_ok(1999, today));
  assert_true(letter_signed_date_ok(2027, fix_day("2026-12-01")));
  assert_false(letter_signed_date_ok(2027, fix_day("2026-11-30")));
  assert_true(letter_signed_date_ok(2026, fix_day("2026-12-31")));
  assert_false(letter_signed_date_ok(2026, fix_day("2027-01-01")));
}

/* The follow-up states: done wins; a problem or a due date opens one;
 * past its due day it is overdue (the due day itself is not). */
static void test_followup_state(void **state) {
  (void)state;
  Day today = fix_day("2026-06-16"), N = LEDGER_NO_DAY;
  assert_int_equal(inspection_followup_state(false, N, N, today), FOLLOWUP_NONE);
  assert_int_equal(inspection_followup_state(true, N, N, today), FOLLOWUP_OPEN);
  assert_int_equal(inspection_followup_state(true, fix_day("2026-06-16"), N, today), FOLLOWUP_OPEN);
  assert_int_equal(inspection_followup_state(true, fix_day("2026-06-15"), N, today), FOLLOWUP_OVERDUE);
  assert_int_equal(inspection_followup_state(false, fix_day("2026-06-15"), N, today), FOLLOWUP_OVERDUE);
  assert_int_equal(inspection_followup_state(false, fix_day("2026-06-20"), N, today), FOLLOWUP_OPEN);
  assert_int_equal(inspection_followup_state(true, fix_day("2026-06-01"), fix_day("2026-06-10"), today), FOLLOWUP_DONE);
  assert_string_equal(followup_state_code(FOLLOWUP_NONE), "none");
  assert_string_equal(followup_state_code(FOLLOWUP_OPEN), "open");
  assert_string_equal(followup_state_code(FOLLOWUP_OVERDUE), "overdue");
  assert_string_equal(followup_state_code(FOLLOWUP_DONE), "done");
}

/* ---- use cases -------------------------------------------------------------------- */

typedef FixDistrict T;

/* The shared district (fixture.h) on 2026-06-16. */
static int setup(void **state) {
  *state = fix_district_new("ledger", "2026-06-16");
  return 0;
}

/* Rows of the ledgers' tables and audit rows of writes, as one number. */
static int64_t tcounts(T *t) {
  return fix_int(t->f.db, "SELECT (SELECT count(*) FROM place) * 100000000 + (SELECT count(*) FROM letter) * 1000000"
                          " + (SELECT count(*) FROM letter_required) * 10000 + (SELECT count(*) FROM inspection) * 100"
                          " + (SELECT count(*) FROM audit_log WHERE action <> 'read')");
}

/* Registers a place as c; asserts success; its id. */
static int64_t tplace(Ctx *c, const char *org, const char *kind, const char *name, const char *category) {
  PlaceInput in = {org, kind, name, "地址", "联系人", "13800138000", category, "", ""};
  Err e;
  err_clear(&e);
  int64_t id = 0;
  assert_int_equal(app_place_add(c, &in, &id, &e), ERR_OK);
  assert_true(id > 0);
  return id;
}

/* Places: the category rule, a name taken, scope and rights, never
 * deleted, the active places of a kind within the scope. */
static void test_places(void **state) {
  T *t = *state;
  int64_t ktv = tplace(&t->ca, "A", "venue", "星光KTV", "ktv");
  tplace(&t->cs1, "S1", "member_unit", "派出所", "");
  int64_t police_d = tplace(&t->cs2, "D", "member_unit", "丁村警务室", "");
  int64_t before = tcounts(t);
  struct { PlaceInput in; const char *field; } bad[] = {
    {{"A", "school", "小学", "", "", "", "ktv", "", ""}, "category"},
    {{"A", "venue", "酒吧", "", "", "", "", "", ""}, "category"},
    {{"A", "venue", "星光KTV", "", "", "", "ktv", "", ""}, "name"},
    {{"A", "park", "公园", "", "", "", "", "", ""}, "kind"},
    {{"D", "school", "丁村小学", "", "", "", "", "", ""}, "org"},
    {{"A", "school", "", "", "", "", "", "", ""}, "name"},
    {{"A", "school", "小学", "", "", "12345", "", "", ""}, "phone"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    Err e;
    err_clear(&e);
    assert_int_equal(app_place_add(&t->ca, &bad[i].in, NULL, &e), ERR_INVALID);
    assert_non_null(err_field_msg(&e, bad[i].field));
  }
  Err e;
  err_clear(&e);
  PlaceInput ok = {"A", "school", "小学", "", "", "", "", "", ""};
  assert_int_equal(app_place_add(&t->cviewer, &ok, NULL, &e), ERR_FORBIDDEN);
  assert_int_equal(tcounts(t), before);
  PlaceRow p;
  err_clear(&e);
  assert_int_equal(app_place_get(&t->cs2, ktv, &p, &e), ERR_NOT_FOUND); /* another street */
  err_clear(&e);
  assert_int_equal(app_place_deactivate(&t->ca, ktv, "停业", &e), ERR_FORBIDDEN); /* a worker */
  err_clear(&e);
  assert_int_equal(app_place_deactivate(&t->cs1, ktv, "", &e), ERR_INVALID);
  assert_int_equal(tcounts(t), before);
  /* the active members of the scope: S1 sees its own, not D's */
  PlaceRow *rows = NULL;
  int n = 0;
  err_clear(&e);
  assert_int_equal(app_place_active_of_kind(&t->cs1, "member_unit", &rows, &n, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(rows[0].name, "派出所");
  store_place_rows_free(rows, n);
  err_clear(&e);
  assert_int_equal(app_place_active_of_kind(&t->cs2, "member_unit", &rows, &n, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(rows[0].id, police_d);
  store_place_rows_free(rows, n);
  err_clear(&e);
  assert_int_equal(app_place_active_of_kind(&t->cs1, "castle", &rows, &n, &e), ERR_INVALID);
  /* deactivated: kept, not among the active, not deactivated twice */
  err_clear(&e);
  assert_int_equal(app_place_deactivate(&t->cs1, ktv, "已停业", &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_place_deactivate(&t->cs1, ktv, "再次", &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(app_place_get(&t->ca, ktv, &p, &e), ERR_OK);
  assert_false(p.active);
  assert_string_equal(p.deactivate_reason, "已停业");
  store_place_free(&p);
  err_clear(&e);
  assert_int_equal(app_place_active_of_kind(&t->cs1, "venue", &rows, &n, &e), ERR_OK);
  assert_int_equal(n, 0);
  free(rows);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log WHERE entity = 'place' AND action = 'deactivate'"), 1);
  /* the same name again once the first is deactivated */
  tplace(&t->ca, "A", "venue", "星光KTV", "ktv");
}

/* Asserts the totals of c's statistics table for q: letters_rate signed
 * of required, and letters. */
static void expect_letter_figures(Ctx *c, StatsQuery q, int64_t signed_n, int64_t required, int64_t letters) {
  const StatMeasure *rate = stats_measure_by_key("letters_rate"), *count = stats_measure_by_key("letters");
  assert_non_null(rate);
  assert_non_null(count);
  StatsTable tb;
  Err e;
  err_clear(&e);
  assert_int_equal(app_stats_table(c, &q, false, &tb, &e), ERR_OK);
  assert_int_equal(stats_figure(&tb.total, rate, false), signed_n);
  assert_int_equal(stats_figure(&tb.total, rate, true), required);
  assert_int_equal(stats_figure(&tb.total, count, false), letters);
  app_stats_table_free(&tb);
}

/* Letters: signers below the issuer only, one letter a signer, kind and
 * year; the rate over the required signers and the missing ones. */
static void test_letters(void **state) {
  T *t = *state;
  int64_t venue = tplace(&t->cs1, "A", "venue", "极速网吧", "internet_cafe");
  int64_t far = tplace(&t->cs2, "D", "school", "丁村小学", "");
  Err e;
  struct { const char *org; int64_t place; } req[] = {{"A", 0}, {"B", 0}, {NULL, venue}};
  for (size_t i = 0; i < 3; i++) {
    LetterRequireInput in = {"S1", 2026, i < 2 ? "goal" : "venue", req[i].org, req[i].place, NULL, NULL};
    err_clear(&e);
    assert_int_equal(app_letter_require(&t->cs1, &in, NULL, &e), ERR_OK);
  }
  LetterRequireInput twice = {"S1", 2026, "goal", "A", 0, NULL, NULL};
  err_clear(&e);
  assert_int_equal(app_letter_require(&t->cs1, &twice, NULL, &e), ERR_CONFLICT);
  err_clear(&e);
  assert_int_equal(app_letter_require(&t->ca, &twice, NULL, &e), ERR_FORBIDDEN);
  LetterInput a = {"S1", 2026, "goal", "A", 0, "2026-02-01", ""};
  err_clear(&e);
  assert_int_equal(app_letter_add(&t->cs1, &a, NULL, &e), ERR_OK);
  int64_t before = tcounts(t);
  err_clear(&e);
  assert_int_equal(app_letter_add(&t->cs1, &a, NULL, &e), ERR_CONFLICT);
  struct { LetterInput in; const char *field; } bad[] = {
    {{"S1", 2026, "goal", "S1", 0, "2026-02-01", ""}, "signer_org"},    /* itself, not below */
    {{"S1", 2026, "goal", "D", 0, "2026-02-01", ""}, "signer_org"},     /* another street's */
    {{"S1", 2026, "goal", NULL, far, "2026-02-01", ""}, "signer_place"}, /* another street's place */
    {{"S1", 2026, "goal", "B", venue, "2026-02-01", ""}, "signer_org"},  /* both */
    {{"S1", 2026, "goal", NULL, 0, "2026-02-01", ""}, "signer_org"},     /* none */
    {{"S1", 2026, "goal", "B", 0, "2025-11-30", ""}, "signed_date"},     /* before the year's December */
    {{"S1", 2026, "goal", "B", 0, "2026-07-01", ""}, "signed_date"},     /* the future */
    {{"S1", 2028, "goal", "B", 0, "2026-02-01", ""}, "year"},
    {{"S1", 2026, "pledge", "B", 0, "2026-02-01", ""}, "kind"},
    {{"D", 2026, "goal", "D", 0, "2026-02-01", ""}, "org"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err_clear(&e);
    assert_int_equal(app_letter_add(&t->cs1, &bad[i].in, NULL, &e), ERR_INVALID);
    assert_non_null(err_field_msg(&e, bad[i].field));
  }
  assert_int_equal(tcounts(t), before);
  LetterInput v = {"S1", 2026, "venue", NULL, venue, "2025-12-20", "提前签订"};
  err_clear(&e);
  assert_int_equal(app_letter_add(&t->ca, &v, NULL, &e), ERR_INVALID); /* the worker's scope holds no S1 */
  err_clear(&e);
  assert_int_equal(app_letter_add(&t->cs1, &v, NULL, &e), ERR_OK);
  LetterQuery q = {NULL, "2026", NULL, 1, 50, NULL};
  LetterRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  LetterSummary s;
  err_clear(&e);
  assert_int_equal(app_letter_list(&t->cs1, &q, &rows, &n, &total, &s, &e), ERR_OK);
  assert_int_equal(total, 2);
  assert_int_equal(s.required, 3);
  assert_int_equal(s.signed_n, 2);
  int missing = 0;
  for (int i = 0; i < s.nneed; i++)
    if (s.need[i].letter_id == 0) {
      missing++;
      assert_string_equal(s.need[i].signer_name, "乙社区");
    }
  assert_int_equal(missing, 1);
  free(rows);
  free(s.need);
  err_clear(&e);
  assert_int_equal(app_letter_list(&t->cs2, &q, &rows, &n, &total, &s, &e), ERR_OK); /* another street: nothing */
  assert_int_equal(total + s.required, 0);
  free(rows);
  free(s.need);
  /* the statistics provider "letter": as of today over 2026, 2 of the 3 required signers signed */
  StatsQuery sq = {"S1", "", "", "", "2026"};
  expect_letter_figures(&t->cs1, sq, 2, 3, 2);
  /* as of 15 January: only the venue's letter (signed in the December before) was signed by then */
  expect_letter_figures(&t->cs1, (StatsQuery){"S1", "2026-01-15", "2026-01-01", "2026-01-15", ""}, 1, 3, 1);
  /* the records behind the denominator: the three required signers, the one unsigned without a letter */
  StatsItems it;
  err_clear(&e);
  assert_int_equal(app_stats_items(&t->cs1, &sq, "letters_rate", "den", 1, 50, &it, &e), ERR_OK);
  assert_string_equal(it.record, "letter_required");
  assert_int_equal(it.total, 3);
  assert_int_equal(it.n, 3);
  int unsigned_n = 0;
  for (int i = 0; i < it.n; i++)
    if (it.items[i].rec_letter == 0) {
      unsigned_n++;
      assert_string_equal(it.items[i].rec_name, "乙社区");
      assert_string_equal(it.items[i].rec_date, "");
    }
  assert_int_equal(unsigned_n, 1);
  app_stats_items_free(&it);
  err_clear(&e);
  assert_int_equal(app_stats_items(&t->cs1, &sq, "letters", "num", 1, 50, &it, &e), ERR_OK);
  assert_string_equal(it.record, "letter");
  assert_int_equal(it.n, 2);
  assert_true(it.items[0].rec_letter > 0 && it.items[0].rec_date[0]);
  app_stats_items_free(&it);
  /* audited as a list (stats_items on the unit) */
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log WHERE action = 'stats_items'") > 0, 1);
  /* another street's office: the unit is out of scope; its own street requires nothing: "—" */
  err_clear(&e);
  assert_int_equal(app_stats_items(&t->cs2, &sq, "letters_rate", "den", 1, 50, &it, &e), ERR_NOT_FOUND);
  StatsQuery s2 = {"S2", "", "", "", "2026"};
  const StatMeasure *rate = stats_measure_by_key("letters_rate");
  StatsTable tb;
  err_clear(&e);
  assert_int_equal(app_stats_table(&t->cs2, &s2, false, &tb, &e), ERR_OK);
  char txt[STATS_RATE_TEXT_LEN];
  stats_rate_text(stats_figure(&tb.total, rate, false), stats_figure(&tb.total, rate, true), txt);
  assert_string_equal(txt, "—");
  app_stats_table_free(&tb);
}

/* The letter provider's formula (DOMAIN.md §6a letters_rate): letters for
 * year(T) signed by D; required signers of year(T), signed by D. */
static void test_letter_slots(void **state) {
  (void)state;
  int64_t v[LS__COUNT] = {0};
  letter_slots(2026, "2026-02-01", 2026, "2026-06-30", v);  /* counts */
  letter_slots(2026, "2026-06-30", 2026, "2026-06-30", v);  /* signed on D itself: counts */
  letter_slots(2026, "2026-07-01", 2026, "2026-06-30", v);  /* signed after D */
  letter_slots(2025, "2025-03-01", 2026, "2026-06-30", v);  /* another year */
  letter_slots(2027, "2026-12-20", 2026, "2026-12-31", v);  /* next year's, signed in this December */
  assert_int_equal(v[LS_LETTERS], 2);
  assert_int_equal(v[LS_REQUIRED] + v[LS_REQUIRED_SIGNED], 0);
  int64_t n[LS__COUNT] = {0};
  letter_need_slots(2026, NULL, 2026, "2026-06-30", n);          /* required, not signed */
  letter_need_slots(2026, "", 2026, "2026-06-30", n);            /* the same */
  letter_need_slots(2026, "2025-12-20", 2026, "2026-06-30", n);  /* signed in the December before */
  letter_need_slots(2026, "2026-06-30", 2026, "2026-06-30", n);  /* signed on D */
  letter_need_slots(2026, "2026-07-01", 2026, "2026-06-30", n);  /* signed after D: required, not signed */
  letter_need_slots(2025, "2025-02-01", 2026, "2026-06-30", n);  /* another year: nothing */
  assert_int_equal(n[LS_REQUIRED], 5);
  assert_int_equal(n[LS_REQUIRED_SIGNED], 2);
  assert_int_equal(n[LS_LETTERS], 0);
  char txt[STATS_RATE_TEXT_LEN];
  stats_rate_text(n[LS_REQUIRED_SIGNED], n[LS_REQUIRED], txt);
  assert_string_equal(txt, "40.0%");
  stats_rate_text(2, 3, txt);
  assert_string_equal(txt, "66.7%");
  stats_rate_text(0, 0, txt);
  assert_string_equal(txt, "—");
  const StatMeasure *m = stats_measure_by_key("letters_rate");
  assert_non_null(m);
  assert_int_equal(m->kind, SM_RATE);
  assert_string_equal(m->provider, "letter");
  assert_int_equal(m->num, LS_REQUIRED_SIGNED);
  assert_int_equal(m->den, LS_REQUIRED);
}

/* Who may attach to a record: who may write it (record_may_write), for
 * every role and every record kind that carries attachments. */
static void test_record_may_write(void **state) {
  (void)state;
  static const char *const kinds[] = {"person_document", "unit_work", "eradication", "letter",
                                      "inspection",      "activity",  "assess_mark"};
  /* rows: admin, office (street), worker, cadre, police, viewer; columns: kinds' order */
  static const bool allowed[ROLE__COUNT][7] = {
    [ROLE_ADMIN] = {1, 1, 1, 1, 1, 1, 0},  [ROLE_OFFICE] = {1, 1, 1, 1, 1, 1, 1},
    [ROLE_WORKER] = {1, 1, 1, 1, 1, 1, 0}, [ROLE_CADRE] = {1, 1, 1, 1, 1, 1, 0},
    [ROLE_POLICE] = {0, 0, 1, 0, 1, 0, 0}, [ROLE_VIEWER] = {0, 0, 0, 0, 0, 0, 0},
  };
  for (int r = 0; r < ROLE__COUNT; r++) {
    Actor a;
    memset(&a, 0, sizeof a);
    a.role = (Role)r;
    str_copy(a.org_level, sizeof a.org_level, r == ROLE_ADMIN ? "county" : r == ROLE_OFFICE ? "street" : "community");
    for (int k = 0; k < 7; k++) {
      if (record_may_write(&a, kinds[k]) != allowed[r][k]) fail_msg("role %s, %s: expected %d", role_code((Role)r), kinds[k], allowed[r][k]);
    }
    assert_false(record_may_write(&a, "person"));  /* not a kind with attachments */
    assert_false(record_may_write(&a, NULL));
  }
  /* an office of a county unit is not the street office that signs off assessment items */
  Actor county_office;
  memset(&county_office, 0, sizeof county_office);
  county_office.role = ROLE_OFFICE;
  str_copy(county_office.org_level, sizeof county_office.org_level, "county");
  assert_false(record_may_write(&county_office, "assess_mark"));
  assert_true(record_may_write(&county_office, "activity"));
}

/* Inspections: a venue in scope only, findings with a problem, the
 * follow-up deadline, the follow-up done once, the police records them. */
static void test_inspections(void **state) {
  T *t = *state;
  int64_t ktv = tplace(&t->cs1, "A", "venue", "金色KTV", "ktv");
  int64_t school = tplace(&t->cs1, "A", "school", "甲小学", "");
  int64_t bar = tplace(&t->cs2, "D", "venue", "丁村酒吧", "bar");
  int64_t before = tcounts(t);
  struct { InspectionInput in; const char *field; } bad[] = {
    {{school, "2026-06-10", "民警", "no_problem", "", "", ""}, "venue"},
    {{bar, "2026-06-10", "民警", "no_problem", "", "", ""}, "venue"},
    {{ktv, "2026-06-17", "民警", "no_problem", "", "", ""}, "date"},
    {{ktv, "2026-06-10", "", "no_problem", "", "", ""}, "inspectors"},
    {{ktv, "2026-06-10", "民警", "bad", "", "", ""}, "result"},
    {{ktv, "2026-06-10", "民警", "problem_found", "", "", ""}, "findings"},
    {{ktv, "2026-06-10", "民警", "problem_found", "无证", "整改", "2026-06-09"}, "followup_due"},
    {{ktv, "2026-06-10", "民警", "problem_found", "无证", "整改", "2027-06-11"}, "followup_due"},
  };
  Err e;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err_clear(&e);
    assert_int_equal(app_inspection_add(&t->cpolice, &bad[i].in, NULL, &e), ERR_INVALID);
    assert_non_null(err_field_msg(&e, bad[i].field));
  }
  InspectionInput ok = {ktv, "2026-06-10", "民警", "problem_found", "包厢视窗遮挡", "拆除遮挡", "2026-06-15"};
  err_clear(&e);
  assert_int_equal(app_inspection_add(&t->cviewer, &ok, NULL, &e), ERR_FORBIDDEN);
  assert_int_equal(tcounts(t), before);
  int64_t id = 0, quiet = 0;
  err_clear(&e);
  assert_int_equal(app_inspection_add(&t->cpolice, &ok, &id, &e), ERR_OK);
  /* photos of the inspection: who may write it may attach to it (the police liaison too); the viewer not;
   * another street's office finds no record; the police liaison may not attach to a letter (she writes none) */
  static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1};
  AttachmentRow att;
  err_clear(&e);
  assert_int_equal(app_attachment_add(&t->cpolice, "inspection", id, "现场.jpg", jpeg, sizeof jpeg, &att, &e), ERR_OK);
  assert_true(att.id > 0);
  err_clear(&e);
  assert_int_equal(app_attachment_add(&t->ca, "inspection", id, "b.jpg", jpeg, sizeof jpeg, &att, &e), ERR_OK);
  int64_t atts = fix_int(t->f.db, "SELECT count(*) FROM attachment");
  err_clear(&e);
  assert_int_equal(app_attachment_add(&t->cviewer, "inspection", id, "c.jpg", jpeg, sizeof jpeg, &att, &e),
                   ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_attachment_add(&t->cs2, "inspection", id, "c.jpg", jpeg, sizeof jpeg, &att, &e), ERR_NOT_FOUND);
  LetterInput li = {"S1", 2026, "goal", "B", 0, "2026-02-01", ""};
  err_clear(&e);
  assert_int_equal(app_letter_add(&t->cs1, &li, NULL, &e), ERR_OK);
  int64_t letter = fix_int(t->f.db, "SELECT max(id) FROM letter");
  atts = fix_int(t->f.db, "SELECT count(*) FROM attachment");
  err_clear(&e);
  assert_int_equal(app_attachment_add(&t->cpolice, "letter", letter, "c.jpg", jpeg, sizeof jpeg, &att, &e),
                   ERR_NOT_FOUND); /* the street's letter lies outside the community police's scope */
  err_clear(&e);
  assert_int_equal(app_attachment_add(&t->cs1, "letter", letter, "c.jpg", jpeg, sizeof jpeg, &att, &e), ERR_OK);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM attachment"), atts + 1);
  InspectionInput fine = {ktv, "2026-06-12", "社工", "no_problem", "", "", ""};
  err_clear(&e);
  assert_int_equal(app_inspection_add(&t->ca, &fine, &quiet, &e), ERR_OK);
  InspectionRow x;
  err_clear(&e);
  assert_int_equal(app_inspection_get(&t->cs2, id, &x, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_inspection_get(&t->cs1, id, &x, &e), ERR_OK);
  assert_string_equal(app_inspection_followup(&x, t->cs1.today), "overdue");
  store_inspection_free(&x);
  InspectionQuery q = {NULL, NULL, NULL, NULL, "overdue", 0, 1, 50, NULL};
  InspectionRow *rows = NULL;
  int n = 0;
  InspectionTotals tot;
  err_clear(&e);
  assert_int_equal(app_inspection_list(&t->cs1, &q, &rows, &n, &tot, &e), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(rows[0].id, id);
  store_inspection_rows_free(rows, n);
  InspectionDoneInput early = {"2026-06-09", ""}, done = {"2026-06-14", "已拆除"};
  err_clear(&e);
  assert_int_equal(app_inspection_done(&t->cpolice, quiet, &done, &e), ERR_CONFLICT); /* nothing to follow up */
  err_clear(&e);
  assert_int_equal(app_inspection_done(&t->cpolice, id, &early, &e), ERR_INVALID);
  err_clear(&e);
  assert_int_equal(app_inspection_done(&t->cpolice, id, &done, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_inspection_done(&t->cpolice, id, &done, &e), ERR_CONFLICT);
  q.followup = NULL;
  err_clear(&e);
  assert_int_equal(app_inspection_list(&t->cs1, &q, &rows, &n, &tot, &e), ERR_OK);
  assert_int_equal(tot.inspections, 2);
  assert_int_equal(tot.problems, 1);
  assert_int_equal(tot.open + tot.overdue, 0);
  store_inspection_rows_free(rows, n);
  /* a deactivated venue takes no more inspections */
  err_clear(&e);
  assert_int_equal(app_place_deactivate(&t->cs1, ktv, "停业", &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_inspection_add(&t->cpolice, &fine, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "venue"));
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vocab_codes), cmocka_unit_test(test_letter_dates), cmocka_unit_test(test_followup_state),
    cmocka_unit_test(test_places),      cmocka_unit_test(test_letters),      cmocka_unit_test(test_inspections), cmocka_unit_test(test_letter_slots), cmocka_unit_test(test_record_may_write),
  };
  return FIX_RUN(tests, setup, fix_district_close);
}
