/* app/supervision_doctor.h: the check of the supervision engine's derived
 * fields (the supervision part of `jindu doctor`) and the repair that
 * recomputes them, both over core/supervision's computation. */
#ifndef JINDU_APP_SUPERVISION_DOCTOR_H
#define JINDU_APP_SUPERVISION_DOCTOR_H
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "store/db.h"

/* Number of derived fields compared per person. */
int supervision_doctor_fields(void);
/* Checks every person of the database: recomputes each derived field this
 * engine stores from the history (one pass: persons by id merged with the
 * history streams ordered by person_id; no query per person) with the same
 * supervision_compute as the writers, as of today, and calls report (may be
 * NULL) for each difference (strings valid during the call; "" for NULL).
 * *persons and *differences (may be NULL) get the totals; history rows of
 * no person count as differences (field "orphan"). Returns ERR_OK when the
 * check ran, or an ErrCode with e filled. */
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
