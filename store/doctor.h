/* store/doctor.h: the SQL of `jindu doctor`: one pass over every person in
 * id order merged with the person's history (status episodes ordered by
 * person_id, id), handing each person with its history to a callback, so
 * that app/doctor.c can recompute the derived fields without a query per
 * person. When more derived fields come (visits, tests, events), their
 * tables join the same merge and DoctorHistory grows. */
#ifndef JINDU_STORE_DOCTOR_H
#define JINDU_STORE_DOCTOR_H
#include <stdint.h>
#include "core/derived.h"
#include "core/err.h"
#include "store/db.h"

/* The stored derived fields of one person. Strings are "" for SQL NULL and
 * valid only during the callback. */
typedef struct DoctorStored {
  int64_t id;
  const char *org_path;
  const char *status, *status_since, *control, *risk_level, *next_talk_due, *next_test_due;
} DoctorStored;

/* The history of one person (valid only during the callback). */
typedef struct DoctorHistory {
  const DerivedEpisode *episodes; /* id order */
  int nepisodes;
} DoctorHistory;

/* Called once per person in id order; a non-zero ErrCode stops the scan
 * and is returned by store_doctor_scan (e filled by the callback). */
typedef int (*DoctorVisitFn)(void *arg, const DoctorStored *p, const DoctorHistory *h, Err *e);

/* Totals of a scan. orphan_episodes counts episodes whose person_id names
 * no person (the foreign key should make it 0). */
typedef struct DoctorScanStats {
  int64_t persons, episodes, orphan_episodes;
} DoctorScanStats;

/* Walks every person with its history inside one read transaction (a
 * consistent snapshot), two statements merged in step. *stats (may be NULL)
 * gets the totals. Returns ERR_OK, the callback's code, or a storage error. */
int store_doctor_scan(Db *db, DoctorVisitFn fn, void *arg, DoctorScanStats *stats, Err *e);

#endif
