/* app/supervision_doctor.h: the check of the supervision engine's derived
 * fields (the supervision part of `jindu doctor`), and the engine's
 * internals shared by app/supervision.c, app/approval.c and
 * app/supervision_doctor.c: the one pure computation of every derived field
 * from a person's history (used by app_supervision_refresh, by
 * app_schedule_get and by the check, so the rule lives in one place), and
 * the transfer request written by both the event and the proposal. */
#ifndef JINDU_APP_SUPERVISION_DOCTOR_H
#define JINDU_APP_SUPERVISION_DOCTOR_H
#include <stdint.h>
#include "app/app.h"
#include "core/schedule.h"
#include "core/status.h"
#include "store/supervision.h"

/* What the computation gives: the stored fields, and the detail that the
 * schedule view shows. */
typedef struct SupComputed {
  SupDerived d;
  Status status;
  bool has_clock;
  Day clock_start;
  ScheduleResult sched; /* as of the day asked */
  RiskLevel risk;       /* the level used (override or graded) */
  int risk_score;       /* risk_grade's score (0 when overridden or not graded) */
  Day grade_day;        /* the day the risk is graded on (latest fact, <= asof) */
} SupComputed;

/* Computes every derived field of a person from its history h under rule,
 * as of day asof (history dated after asof is ignored). Pure: the same
 * history, rule and day always give the same result. Rules (DOMAIN.md
 * §3-§4): see app/supervision.c. */
void supervision_compute(const SupHistory *h, const ScheduleRule *rule, Day asof, SupComputed *out);
/* Sets d->work_from, the first day the person is on any work list, from d's
 * other fields (part of supervision_compute; migration 5 computes the same
 * in SQL): SUP_WORK_ALWAYS for a flag that lists the person every day
 * (report deadline, pickup, lost contact, serious breach, pending
 * approval), else the earliest of the next test, the next talk, the second
 * missed test and (unless released already) the release eligibility, else "". */
void supervision_work_from(SupDerived *d);

/* Writes a transfer request for person_id (unit current_org_id) inside the
 * caller's transaction: validates to_org (field "to_org": a community, not
 * the current one; it may lie outside the actor's scope) and date, appends
 * the event transfer_request and a pending approval for the receiving
 * street's office. ERR_CONFLICT when a transfer is already pending.
 * *event_id / *approval_id may be NULL. Does not refresh nor audit. */
int sup_transfer_request(Ctx *c, int64_t person_id, int64_t current_org_id, const char *to_org, const char *date,
                         const char *note, int64_t *event_id, int64_t *approval_id, Err *e);

/* Checks every person of the database: recomputes each derived field this
 * engine stores from the history (one pass: persons by id merged with the
 * history streams ordered by person_id; no query per person) with the same
 * supervision_compute as the writers, as of today, and calls report (may be
 * NULL) for each difference (strings valid during the call; "" for NULL).
 * *persons and *differences (may be NULL) get the totals; history rows of
 * no person count as differences (field "orphan"). Returns ERR_OK when the
 * check ran, or an ErrCode with e filled. */
/* Number of derived fields compared per person. */
int supervision_doctor_fields(void);
int supervision_doctor_check(Db *db, Day today,
                             void (*report)(void *arg, int64_t person_id, const char *field, const char *stored,
                                            const char *computed),
                             void *arg, int64_t *persons, int64_t *differences, Err *e);

/* Recomputes and stores the derived fields of every person whose stored
 * values differ from the history (after migration 2 on a database with
 * persons, after a bulk load such as `jindu gen` or the demo, or to repair
 * what the check found), as of today, in batches of SUP_RECOMPUTE_BATCH
 * persons: a read pass, then one write transaction per batch. now_iso is
 * the updated_at written. *persons and *changed (may be NULL) get the
 * persons checked and rewritten. Not audited (no user action): callers
 * that run it on behalf of a user audit the run. */
#define SUP_RECOMPUTE_BATCH 20000
int supervision_recompute_all(Db *db, Day today, const char *now_iso, int64_t *persons, int64_t *changed, Err *e);

#endif
