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

/* Builds f from a person's supervision history h and extras x under rule:
 * the one place the facts are computed from stored rows. */
void stats_facts_from(const SupHistory *h, const StatExtras *x, const ScheduleRule *rule, StatFacts *f);

/* When stat_state says the facts are not built (migration 10 over a
 * database with persons), builds every person's (a unit history row for a
 * person without one; one write transaction per batch of persons) and
 * records them built. *persons (may be NULL) gets how many were built (0
 * when nothing was missing). Prints progress on stderr for large tables. */
int stats_facts_repair(Db *db, int64_t *persons, Err *e);

/* The statistics part of `jindu doctor`: for every person, recomputes the
 * facts from the history and compares them with every stored row (field
 * "stat_facts"); the unit history's latest row must be person.org_id
 * (field "person_unit"); a stored row of a unit outside the person's unit
 * history, or of no person, is a difference too ("stat_row"). report as
 * app/supervision_doctor.h's. */
int stats_doctor_check(Db *db, void (*report)(void *arg, int64_t person_id, const char *field, const char *stored,
                                              const char *computed),
                       void *arg, int64_t *persons, int64_t *differences, Err *e);

#endif
