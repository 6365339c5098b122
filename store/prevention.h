/* store/prevention.h: the SQL of the prevention ledgers (migration 15):
 * activities (宣传教育活动, table activity), awareness surveys (知晓率, table
 * survey) and the awareness targets set on units (awareness_target). A
 * record is a chain of versions: a correction appends the next version and
 * marks the one before not current (store_activity_correct), so a version's
 * values are never changed. Records belong to a unit by id; scope is the
 * unit's path read through org_unit. No rights checks (app/prevention.c).
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_PREVENTION_H
#define JINDU_STORE_PREVENTION_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "core/prevention.h"
#include "store/db.h"
#include "store/org.h"

#define ACTIVITY_TITLE_CHARS 100
#define ACTIVITY_PARTNERS_CHARS 200
#define PREVENTION_NOTES_CHARS 1000
#define PREVENTION_REASON_CHARS 200

/* The most partner places one activity links. */
#define ACTIVITY_PLACES_MAX 20

/* An activity version to write (text NULL or "" when empty). */
typedef struct ActivityIn {
  int64_t org_id;
  const char *date, *kind, *settings, *campaign, *title, *partners, *audience, *notes, *reason;
  int64_t participants, consultations;
  int64_t materials[ACTIVITY_MATERIALS];
  const int64_t *place_ids; /* the partner places linked (registered places; checked by the caller) */
  int nplaces;
} ActivityIn;

/* A partner place linked to an activity version. */
typedef struct ActivityPlaceRef {
  int64_t id;
  char name[FIELD_BYTES(100)];
  char kind[24];
} ActivityPlaceRef;

/* An activity version as stored. title, partners, notes and reason are
 * malloc'd (store_activity_rows_free / store_activity_row_drop). */
typedef struct ActivityRow {
  int64_t id;         /* the record (activity_id) */
  int64_t version_id; /* this version's row */
  int version;
  int64_t org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char date[DATE_ISO_LEN], kind[24], settings[96], campaign[16], audience[160];
  char *title, *partners, *notes, *reason;
  int64_t participants, consultations;
  int64_t materials[ACTIVITY_MATERIALS];
  char created_by[64]; /* display name, else username */
  char created_at[32];
  int photos; /* attachments of the record not voided */
  ActivityPlaceRef *places; /* the partner places linked (by name), malloc'd; NULL when none */
  int nplaces;
} ActivityRow;

/* Writes version 1 of a new activity; *id = the record's id. */
int store_activity_add(Db *db, const ActivityIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Appends the next version of record id (in->org_id its unit) and marks
 * the one before not current; ERR_NOT_FOUND when there is no record id. */
int store_activity_correct(Db *db, int64_t id, const ActivityIn *in, int64_t user_id, const char *now, Err *e);
/* Bulk load (app/gen_prevention.c): version 1 of record id (ids given by
 * the caller, ascending past store_prevention_max_ids'), by no user. */
int store_activity_insert_first(Db *db, int64_t id, const ActivityIn *in, const char *now, Err *e);
struct SurveyIn;
int store_survey_insert_first(Db *db, int64_t id, const struct SurveyIn *in, const char *now, Err *e);
/* The greatest activity and survey record ids (0 when none). */
int store_prevention_max_ids(Db *db, int64_t *activity, int64_t *survey, Err *e);
/* The current version of record id; ERR_NOT_FOUND "记录不存在". Free with
 * store_activity_row_drop. */
int store_activity_get(Db *db, int64_t id, ActivityRow *out, Err *e);
/* Every version of record id, newest first. */
int store_activity_history(Db *db, int64_t id, ActivityRow **out, int *n, Err *e);
void store_activity_row_drop(ActivityRow *row);
void store_activity_rows_free(ActivityRow *rows, int n);

typedef struct ActivityFilter {
  const char *scope;                       /* unit path: its subtree */
  const char *from, *to;                   /* dates, inclusive; NULL or "": open */
  const char *kind, *setting, *campaign;   /* NULL or "": any */
  int64_t limit, offset;
  bool oldest_first;                       /* order by date, then id, ascending */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} ActivityFilter;

/* The totals of a filter's activities. */
typedef struct ActivityTotals {
  int64_t activities, participants, consultations;
  int64_t materials[ACTIVITY_MATERIALS];
} ActivityTotals;

/* The current versions of f's activities, newest first (date, then id;
 * f->oldest_first: oldest first); *tot of all of f's. */
int store_activity_list(Db *db, const ActivityFilter *f, ActivityRow **out, int *n, ActivityTotals *tot, Err *e);

/* The figures of one current activity the statistics count (dated in
 * [from, to], in the subtree of scope), handed to each->fn one at a time
 * as the statement reads them (a county's year is a million: no array). */
typedef struct ActivityFact {
  int64_t org_id;
  char date[DATE_ISO_LEN], kind[24], settings[96];
  int64_t participants, consultations, materials[ACTIVITY_MATERIALS];
} ActivityFact;
int store_activity_facts(Db *db, const char *scope, const char *from, const char *to, const DbEach *each, Err *e);

/* ---- surveys ---- */

#define SURVEY_TITLE_CHARS 100

typedef struct SurveyIn {
  int64_t org_id;
  const char *date, *group, *method, *title, *notes, *reason;
  int64_t respondents, aware;
  int target; /* percent in force when recorded */
} SurveyIn;

typedef struct SurveyRow {
  int64_t id, version_id;
  int version;
  int64_t org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char date[DATE_ISO_LEN], group[16], method[24];
  char *title, *notes, *reason;
  int64_t respondents, aware;
  int target;
  char created_by[64];
  char created_at[32];
} SurveyRow;

int store_survey_add(Db *db, const SurveyIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
int store_survey_correct(Db *db, int64_t id, const SurveyIn *in, int64_t user_id, const char *now, Err *e);
int store_survey_get(Db *db, int64_t id, SurveyRow *out, Err *e);
int store_survey_history(Db *db, int64_t id, SurveyRow **out, int *n, Err *e);
void store_survey_row_drop(SurveyRow *row);
void store_survey_rows_free(SurveyRow *rows, int n);

typedef struct SurveyFilter {
  const char *scope;
  const char *from, *to;
  const char *group, *method; /* NULL or "": any */
  int64_t limit, offset;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} SurveyFilter;

typedef struct SurveyTotals {
  int64_t surveys, respondents, aware, met;
} SurveyTotals;

int store_survey_list(Db *db, const SurveyFilter *f, SurveyRow **out, int *n, SurveyTotals *tot, Err *e);

/* The figures of one current survey the statistics count, handed over as
 * store_activity_facts's. */
typedef struct SurveyFact {
  int64_t org_id;
  char date[DATE_ISO_LEN], group[16];
  int64_t respondents, aware;
  int target;
} SurveyFact;
int store_survey_facts(Db *db, const char *scope, const char *from, const char *to, const DbEach *each, Err *e);

/* ---- awareness targets ---- */

typedef struct AwarenessTargetRow {
  int64_t org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char group[16];
  int target;
  char set_by[64], set_at[32];
} AwarenessTargetRow;

/* Every target set (a small table), by unit path then group. */
int store_awareness_targets(Db *db, AwarenessTargetRow **out, int *n, Err *e);
/* Sets (inserts or replaces) the target of org for group; *created: new. */
int store_awareness_target_set(Db *db, int64_t org_id, const char *group, int target, int64_t user_id,
                               const char *now, bool *created, Err *e);
/* Removes it; ERR_NOT_FOUND when the unit had none. */
int store_awareness_target_clear(Db *db, int64_t org_id, const char *group, Err *e);

/* Counts of current records per unit of the subtree of scope dated in
 * [from, to] (the office's overview): activities and surveys. */
typedef struct PreventionUnitCount {
  int64_t org_id;
  int64_t activities, surveys;
} PreventionUnitCount;
int store_prevention_counts(Db *db, const char *scope, const char *from, const char *to, PreventionUnitCount **out,
                            int *n, Err *e);

#endif
