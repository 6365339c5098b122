/* app/stats_facts.h: the statistical facts of persons (core/stats.h), kept
 * derived in store/stats.h's stat_person: the refresh of one person inside a
 * writer's transaction (stats_refresh, a step of app/steps.h, called by
 * sup_refresh), the build of every person's facts when they are missing
 * (after migration 10 on a database with persons), and the check of
 * `jindu doctor`. All three compute the facts with the one function
 * stats_facts_from (the history, the extras, the schedule rule of the
 * person's unit). */
#ifndef JINDU_APP_STATS_FACTS_H
#define JINDU_APP_STATS_FACTS_H
#include <stdint.h>
#include "core/err.h"
#include "core/stats.h"
#include "store/db.h"
#include "store/stats.h"
#include "store/supervision.h"

/* Builds f from a person's supervision history h and extras x under rule
 * and the casework rule cw of its unit (app/casework.h): the one place the
 * facts are computed from stored rows. */
struct CaseworkRule;
void stats_facts_from(const SupHistory *h, const StatExtras *x, const ScheduleRule *rule,
                      const struct CaseworkRule *cw, StatFacts *f);

/* When stat_state says the facts are not built (migration 10 over a
 * database with persons), builds every person's (a unit history row for a
 * person without one; one write transaction per batch of persons) and
 * records them built. *persons (may be NULL) gets how many were built (0
 * when nothing was missing). Prints progress on stderr for large tables. */
int stats_facts_repair(Db *db, int64_t *persons, Err *e);

/* The statistics part of `jindu doctor`, run beside the rest of it:
 * stats_doctor_start begins the check on connections of its own to the
 * database of db (SF_THREADS threads, each a snapshot of its part of the
 * persons) and returns; stats_doctor_finish waits for it, reports (from
 * the calling thread, in person order) and frees d. For every person the
 * facts are recomputed from the history and compared with every stored
 * row (field "stat_facts"); the unit history's latest row must be
 * person.org_id ("person_unit"); the stored rows must be as many as the
 * persons' units ("stat_row"); the casework columns of the person row must
 * be what casework_derived gives as of today ("plan_review_due",
 * "service_followup_due", "file_missing"). report as
 * app/supervision_doctor.h's. */
typedef struct StatsDoctor StatsDoctor;
int stats_doctor_start(Db *db, Day today, StatsDoctor **out, Err *e);
int stats_doctor_finish(StatsDoctor *d, void (*report)(void *arg, int64_t person_id, const char *field,
                                                       const char *stored, const char *computed),
                        void *arg, int64_t *persons, int64_t *differences, Err *e);

#endif
