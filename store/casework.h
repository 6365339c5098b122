/* store/casework.h: all SQL of casework (tables case_plan,
 * case_plan_measure, service, service_step, team_requirement, file_rule,
 * and the casework columns of person: plan_review_due,
 * service_followup_due, file_missing). No rights checks and no validation:
 * app/casework.c decides. Every function returns ERR_OK or an ErrCode with
 * e filled. */
#ifndef JINDU_STORE_CASEWORK_H
#define JINDU_STORE_CASEWORK_H
#include <stdbool.h>
#include <stdint.h>
#include "core/casework.h"
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"

/* Bounds in characters (app/casework.c's field tables use them). */
#define PLAN_GOALS_CHARS 1000
#define PLAN_MEASURE_CHARS 500
#define PLAN_RESPONSIBLE_CHARS 60
#define PLAN_NOTE_CHARS 500
#define PLAN_MEASURES_MAX 10
#define SERVICE_PROVIDER_CHARS 100
#define SERVICE_KIND_OTHER_CHARS 60
#define SERVICE_TEXT_CHARS 1000

/* ---- the case plan ------------------------------------------------------ */

typedef struct PlanMeasureRow {
  char content[FIELD_BYTES(PLAN_MEASURE_CHARS)];
  char start_date[DATE_ISO_LEN];
  char responsible[FIELD_BYTES(PLAN_RESPONSIBLE_CHARS)];
} PlanMeasureRow;

/* A version of a person's case plan with its measures. created_by is the
 * display name of who wrote it ("" for the command line). */
typedef struct PlanRow {
  int64_t id, person_id;
  int version;
  char goals[FIELD_BYTES(PLAN_GOALS_CHARS)];
  char review_date[DATE_ISO_LEN];
  char responsible[FIELD_BYTES(PLAN_RESPONSIBLE_CHARS)];
  char note[FIELD_BYTES(PLAN_NOTE_CHARS)];
  char created_by[128], created_at[40];
  PlanMeasureRow measures[PLAN_MEASURES_MAX];
  int nmeasures;
} PlanRow;

/* Appends the next version of person_id's plan (the version after the
 * latest) with its n measures (the row's own fields are read from p;
 * measures from p->measures); *id and *version (may be NULL) get the new
 * row's. */
int store_plan_add(Db *db, int64_t person_id, const PlanRow *p, int64_t user_id, const char *now, int64_t *id,
                   int *version, Err *e);
/* The plan's versions of person_id, newest first, limit from offset;
 * *total all of them. *out malloc'd (free()). */
int store_plan_list(Db *db, int64_t person_id, int64_t limit, int64_t offset, PlanRow **out, int *n, int64_t *total,
                    Err *e);

/* ---- services and referrals --------------------------------------------- */

typedef struct ServiceStepRow {
  int64_t id;
  char state[16], date[DATE_ISO_LEN];
  char reason[FIELD_BYTES(SERVICE_TEXT_CHARS)], outcome[FIELD_BYTES(SERVICE_TEXT_CHARS)];
  char follow_up_date[DATE_ISO_LEN];
  char created_by[128], created_at[40];
} ServiceStepRow;

/* A service or referral (state: its latest step's). org_path: the person's
 * unit path now (the scope a reader is checked against). */
typedef struct ServiceRow {
  int64_t id, person_id, org_id, provider_place_id;
  char org_path[256];
  char kind[24], kind_other[FIELD_BYTES(SERVICE_KIND_OTHER_CHARS)];
  char provider[FIELD_BYTES(SERVICE_PROVIDER_CHARS)];
  char referral_date[DATE_ISO_LEN], state[16], state_date[DATE_ISO_LEN];
  char decline_reason[FIELD_BYTES(SERVICE_TEXT_CHARS)], outcome[FIELD_BYTES(SERVICE_TEXT_CHARS)];
  char follow_up_date[DATE_ISO_LEN];
  char note[FIELD_BYTES(SERVICE_TEXT_CHARS)];
  char created_by[128], created_at[40];
} ServiceRow;

/* Inserts a service (state referred on referral_date, with its first
 * step) from s's fields; *id gets its id. */
int store_service_add(Db *db, const ServiceRow *s, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Loads service id into *out (ERR_NOT_FOUND when missing). */
int store_service_get(Db *db, int64_t id, ServiceRow *out, Err *e);
/* Appends a step to service id and sets the service's state, state date,
 * outcome (when st->outcome is not ""), decline reason (declined) and
 * follow-up date (the step's, "" = none). */
int store_service_step_add(Db *db, int64_t service_id, const ServiceStepRow *st, int64_t user_id, const char *now,
                           Err *e);
/* The services of person_id, newest first; *total all of them. *out
 * malloc'd (free()). */
int store_service_list(Db *db, int64_t person_id, int64_t limit, int64_t offset, ServiceRow **out, int *n,
                       int64_t *total, Err *e);
/* The steps of service id, oldest first. *out malloc'd (free()). */
int store_service_steps(Db *db, int64_t service_id, ServiceStepRow **out, int *n, Err *e);

/* A service as the statistics count it: its unit when referred, its
 * person and that person's unit now, kind and state (as of the day asked)
 * as indexes of service_kind_vocab (other for an unknown kind) and
 * service_state_vocab. */
typedef struct ServiceFact {
  int64_t org_id, person_id, now_org;
  int kind, state;
} ServiceFact;
/* The services referred in [from, to] by units of the subtree of scope,
 * each with its state as of asof (the latest step dated by it; a service
 * referred after asof is left out). *out malloc'd (free()). */
int store_service_facts(Db *db, const char *scope, const char *from, const char *to, const char *asof,
                        ServiceFact **out, int *n, Err *e);

/* ---- rules ----------------------------------------------------------------- */

/* The roles required of help teams in the unit of path (the nearest unit
 * on the path with a team_requirement row); *from_org_id the unit that set
 * it (0: none set: *roles is HELP_ROLES_FOUR's). roles: a buffer of n. */
int store_team_requirement(Db *db, const char *path, char *roles, int n, int64_t *from_org_id, Err *e);
/* Sets (roles not NULL) or removes (NULL) the requirement of unit org_id;
 * *existed (may be NULL) tells whether it had one. */
int store_team_requirement_set(Db *db, int64_t org_id, const char *roles, int64_t user_id, const char *now,
                               bool *existed, Err *e);
/* The checks file_rule switches off (CF_* bits). */
int store_file_rule_off(Db *db, unsigned *off, Err *e);

/* ---- derived columns ----------------------------------------------------- */

/* Writes the casework columns of person_id ("" dates = NULL). */
int store_casework_derived_set(Db *db, int64_t person_id, const char *plan_review, const char *followup,
                               int file_missing, Err *e);
#endif
