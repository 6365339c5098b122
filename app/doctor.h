/* app/doctor.h: `jindu doctor`, the check of the derived fields. Every
 * derived value stored on a person row (status, status_since; later
 * control, risk_level, next_talk_due, next_test_due) is recomputed from the
 * person's history with the same core/derived.h rules that the writers use,
 * and every difference is reported. Read-only: nothing is repaired. */
#ifndef JINDU_APP_DOCTOR_H
#define JINDU_APP_DOCTOR_H
#include <stdint.h>
#include "app/app.h"

/* One difference: the stored value of field on person person_id is not
 * what the history gives. Strings are valid only during the report call. */
typedef struct DoctorDiff {
  int64_t person_id;
  const char *field;      /* column name: "status", "status_since", ... */
  const char *stored;     /* "" for NULL */
  const char *recomputed; /* "" for NULL */
} DoctorDiff;

/* Receives each difference, in person id order. */
typedef void (*DoctorReportFn)(void *arg, const DoctorDiff *d);

/* Totals of a run. */
typedef struct DoctorReport {
  int64_t persons;          /* persons checked */
  int64_t episodes;         /* status episodes read */
  int64_t orphan_episodes;  /* episodes of no person (counted as differences too) */
  int64_t differences;      /* fields that differ (+ orphan episodes) */
  int64_t persons_differing;/* persons with at least one differing field */
  int fields_checked;       /* derived fields compared per person */
  double seconds;           /* elapsed wall-clock time */
} DoctorReport;

/* Checks every person of the database in one pass (persons in id order
 * merged with their history; no query per person). report (may be NULL) is
 * called for each difference. Needs the whole-database administrator (the
 * command-line actor: PERM_ORG_ADMIN with scope "/"), else ERR_FORBIDDEN.
 * Returns ERR_OK when the check ran (differences or not: see
 * out->differences), or an ErrCode with e filled. */
int app_doctor_run(Ctx *c, DoctorReportFn report, void *arg, DoctorReport *out, Err *e);

#endif
