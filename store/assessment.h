/* store/assessment.h: the SQL of the assessment (migrations 19 and 24):
 * criteria sets with their sections and items, applications and their
 * steps, the street's sign-offs of manual items and its household samples,
 * and the ledger rows behind a partner place's figures (无毒单位). Lists of a
 * year take the subtree's path (the units whose path starts with it). A
 * place's application, sign-off and sample carry its place_id beside its
 * unit; 0 (NULL in the table) for a unit's own. */
#ifndef JINDU_STORE_ASSESSMENT_H
#define JINDU_STORE_ASSESSMENT_H
#include <stdbool.h>
#include <stdint.h>
#include "core/assessment.h"
#include "store/db.h"

/* A criteria set's head. */
typedef struct AssessSetRow {
  int64_t id;
  int64_t org_id;  /* 0: the built-in default */
  char org_path[256]; /* "" for the default */
  char org_name[128];
  int year;
  char title[64];
  int pass_percent, sample_min, sample_max;
  char subjects[128]; /* scheme "unit": the place kinds assessed (comma-joined); "" otherwise */
} AssessSetRow;

/* Every set of scheme (a small table), malloc'd into *out. */
int store_assess_sets(Db *db, const char *scheme, AssessSetRow **out, int *n, Err *e);
/* The sections and items of set id, in their order, into the caller's
 * arrays (room for ASSESS_SECTIONS_MAX and ASSESS_ITEMS_MAX). */
int store_assess_set_load(Db *db, int64_t id, AssessSectionDef *secs, int *nsecs, AssessItemDef *items, int *nitems,
                          Err *e);
/* Replaces the set of (org_id, scheme, year) with this one (inside the
 * caller's transaction); *created says whether none was there. */
int store_assess_set_put(Db *db, int64_t org_id, const char *scheme, int year, const char *title, int pass_percent,
                         int sample_min, int sample_max, const char *subjects, const AssessSectionDef *secs, int nsecs,
                         const AssessItemDef *items, int nitems, int64_t user_id, const char *now, bool *created,
                         Err *e);

/* An application. */
typedef struct AssessAppRow {
  int64_t id, org_id, place_id;
  char state[16];
  char updated_at[40];
} AssessAppRow;

/* The application of one unit (place_id 0) or place; ERR_OK with out->id 0
 * when there is none. */
int store_assess_app_get(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, AssessAppRow *out,
                         Err *e);
/* Sets the application's state (made when there is none; *id its id). */
int store_assess_app_put(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, const char *state,
                         int64_t user_id, const char *now, int64_t *id, Err *e);

/* A step of the flow, with the score the sheet had then. */
typedef struct AssessStepRow {
  int64_t id;
  char action[24], state[16];
  char note[600];
  int score, max;
  char result[12];
  char by[64];
  char at[40];
} AssessStepRow;

int store_assess_step_add(Db *db, int64_t app_id, const char *action, const char *state, const char *note, int score,
                          int max, const char *result, int64_t user_id, const char *now, Err *e);
/* The steps of an application, oldest first. */
int store_assess_steps(Db *db, int64_t app_id, AssessStepRow **out, int *n, Err *e);

/* The street's sign-off of a manual item. */
typedef struct AssessMarkRow {
  int64_t id, org_id, place_id;
  char item_key[ASSESS_KEY_LEN];
  bool met;
  char note[600];
  char by[64];
  char at[40];
} AssessMarkRow;

/* The unit (code), place (0: none), scheme and year of sign-off id;
 * ERR_NOT_FOUND when none. */
int store_assess_mark_unit(Db *db, int64_t id, char code[64], int64_t *place_id, char scheme[16], int *year, Err *e);
/* Sets the sign-off of one item (replacing the one before); *id its row. */
int store_assess_mark_put(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, const char *item_key,
                          bool met, const char *note, int64_t user_id, const char *now, int64_t *id, Err *e);

/* A household sample. */
typedef struct AssessSampleRow {
  int64_t id, org_id, place_id;
  char date[16];
  int households, records, accurate, complete;
  char note[600];
  char by[64];
  char at[40];
} AssessSampleRow;

int store_assess_sample_put(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, const char *date,
                            const AssessSample *s, const char *note, int64_t user_id, const char *now, Err *e);

/* What a year's sheets read besides the criteria and the figures: the
 * sign-offs, samples and applications of (scheme, year) of the units under
 * a subtree and their places, each by unit. */
typedef struct AssessYearRows {
  AssessMarkRow *marks;
  int nmarks;
  AssessSampleRow *samples;
  int nsamples;
  AssessAppRow *apps;
  int napps;
} AssessYearRows;

/* Fills *out with the rows of (scheme, year) under path. Its arrays are
 * malloc'd, the caller's to free with store_assess_year_free, on an error
 * too (what was read before it). */
int store_assess_year(Db *db, const char *path, const char *scheme, int year, AssessYearRows *out, Err *e);
void store_assess_year_free(AssessYearRows *y);

/* One ledger row behind a place's figures (core/assessment.h
 * AssessPlaceFacts): kind 'l' a letter the place signed (year, date the
 * day signed), 'a' a current activity held with it (date), 'i' an
 * inspection of it (date, problem, due and done: "" when none). */
typedef struct AssessPlaceLedgerRow {
  char kind[4];
  int64_t place_id;
  int year;
  char date[16];
  bool problem;
  char due[16], done[16];
} AssessPlaceLedgerRow;

/* The ledger rows of the places of the units under path: their letters for
 * year, their activities dated in [from, to] and their inspections dated
 * on or before d (ISO days). *out malloc'd. */
int store_assess_place_ledger(Db *db, const char *path, int year, const char *from, const char *to, const char *d,
                              AssessPlaceLedgerRow **out, int *n, Err *e);

#endif
