/* app/casework.h: the casework use cases (issue 9): the case plan in
 * versions (帮扶计划), services and referrals with their state machine, the
 * roles a unit requires of help teams, the complete file (档案完整) of a
 * person as of today, and the step that keeps the casework columns of the
 * person row (casework_refresh, run by stats_refresh in every writer's
 * transaction). Rules are core/casework.h's; SQL store/casework.h's. */
#ifndef JINDU_APP_CASEWORK_H
#define JINDU_APP_CASEWORK_H
#include <stdint.h>
#include "app/app.h"
#include "core/casework.h"
#include "core/field.h"
#include "core/stats.h"
#include "store/casework.h"
#include "store/stats.h"

/* ---- rules of a unit ------------------------------------------------------- */

/* What the facts of a person in a unit are built under: the roles its
 * help teams must cover and the checks file_rule switches off. */
typedef struct CaseworkRule {
  unsigned required_roles, checks_off;
} CaseworkRule;
/* The rule of unit org_id (team_requirement inherited down the tree,
 * default 四位一体; file_rule). Opens no transaction. */
int casework_rule_of(Db *db, int64_t org_id, CaseworkRule *out, Err *e);

/* The casework columns of a person from its facts f (complete, built
 * today) and extras x as of today: the current plan's review date and the
 * earliest service follow-up ("" when none, or when the file is closed),
 * and file_missing (the CF_STATIC checks a supervised file fails; 0 when
 * not supervised). Pure given its inputs. */
void casework_derived(const StatFacts *f, const StatExtras *x, Day today, char plan_review[DATE_ISO_LEN],
                      char followup[DATE_ISO_LEN], int *file_missing);

/* ---- the case plan --------------------------------------------------------- */

typedef struct PlanMeasureInput {
  const char *content, *start_date, *responsible;
} PlanMeasureInput;
typedef struct PlanInput {
  const char *goals, *review_date, *responsible, *note;
  PlanMeasureInput measures[PLAN_MEASURES_MAX];
  int nmeasures; /* as given; beyond PLAN_MEASURES_MAX is an error */
} PlanInput;
extern const RecordSpec plan_record, plan_measure_record, service_record, service_step_record;

/* Writes a new version of person_id's case plan (PERM_PERSON_WRITE, in
 * scope): goals, a review date after today (at most two years ahead), who
 * is responsible, 1..PLAN_MEASURES_MAX measures each with content, start
 * date and who is responsible (field "measures" for their faults). The
 * earlier versions stay. *id (may be NULL) the new version's row. */
int app_plan_add(Ctx *c, int64_t person_id, const PlanInput *in, int64_t *id, Err *e);
/* The versions, newest first, page (>= 1) of per_page (1..200; < 1: 20);
 * an audited read of the case file. *out malloc'd (free()). */
int app_plan_list(Ctx *c, int64_t person_id, int page, int per_page, PlanRow **out, int *n, int64_t *total, Err *e);

/* ---- services and referrals -------------------------------------------------- */

typedef struct ServiceInput {
  const char *kind, *kind_other, *provider, *referral_date, *outcome, *follow_up_date, *note;
} ServiceInput;
typedef struct ServiceStepInput {
  const char *state, *date, *reason, *outcome, *follow_up_date;
} ServiceStepInput;

/* Records a referral (state referred) for person_id (PERM_PERSON_WRITE, in
 * scope). *id (may be NULL) its id. */
int app_service_add(Ctx *c, int64_t person_id, const ServiceInput *in, int64_t *id, Err *e);
/* Records a step of service id: a new state (core/casework.h
 * service_step_allowed; a reason for declined) or a follow-up in the same
 * state, dated not before the current state's day; its follow-up date
 * replaces the service's (none: cleared). *person_id (may be NULL) the
 * service's person. 404 out of scope. */
int app_service_step(Ctx *c, int64_t id, const ServiceStepInput *in, int64_t *person_id, Err *e);
/* The services of person_id newest first (paging as app_plan_list), an
 * audited read. *out malloc'd (free()). */
int app_service_list(Ctx *c, int64_t person_id, int page, int per_page, ServiceRow **out, int *n, int64_t *total,
                     Err *e);
/* One service with its steps (oldest first; *steps malloc'd, free()); an
 * audited read. */
int app_service_get(Ctx *c, int64_t id, ServiceRow *out, ServiceStepRow **steps, int *nsteps, Err *e);

/* ---- the complete file ---------------------------------------------------------- */

/* A file as of today: applies (the person is supervised: the rule is for
 * them), missing (CF_* bits the rule keeps), the roles required (and the
 * unit that set them: "" when the default) and those on the team. */
typedef struct CaseFileCheck {
  bool applies;
  unsigned missing, rule, required_roles, team_roles;
  char required_by[128];
} CaseFileCheck;
/* The check of person_id's file (PERM_PERSON_READ, in scope; no audit row:
 * the caller's read of the file has one). */
int app_casework_file(Ctx *c, int64_t person_id, CaseFileCheck *out, Err *e);

/* ---- the roles a unit requires -------------------------------------------------- */

/* The roles required in unit org (code; NULL: the actor's unit) as role
 * bits (*mask), *own whether the unit sets them itself (else inherited or
 * the default), from_name the unit that sets them ("" default). */
int app_team_requirement_get(Ctx *c, const char *org, unsigned *mask, bool *own, char *from_name, int nfrom, Err *e);
/* Sets the roles the help teams of unit org must cover (admin or office of a
 * unit in scope): roles a preset ("four", "six") or codes comma-separated;
 * NULL or "" removes the unit's own setting (it inherits again: 404 when
 * it had none). Every person under the unit is refreshed in the same
 * transaction. */
int app_team_requirement_set(Ctx *c, const char *org, const char *roles, Err *e);

/* ---- the step ----------------------------------------------------------------- */

/* Writes the casework columns of person_id from its facts f and extras x
 * as of c->today (casework_derived). Called by stats_refresh. */
int casework_refresh(Ctx *c, int64_t person_id, const StatFacts *f, const StatExtras *x, Err *e);

#endif
