/* app/doctor.c: owns `jindu doctor` (see app/doctor.h): the table of
 * derived fields that are checked, their recomputation from the history
 * (core/derived.h) and the comparison with the stored values. The single
 * pass over the data is store/doctor.c's.
 *
 * Adding a derived field: compute it into Recomputed in doctor_recompute,
 * add its stored column to DoctorStored (store/doctor.h) and one line to
 * DOCTOR_CHECKS. */
#include "app/doctor.h"
#include <stddef.h>
#include <string.h>
#include <time.h>
#include "app/supervision_doctor.h"
#include "core/derived.h"
#include "store/doctor.h"

/* The recomputed derived fields of one person. */
typedef struct Recomputed {
  char status[DERIVED_STATUS_LEN];
  char status_since[DATE_ISO_LEN];
} Recomputed;

/* One checked field: its name, where the stored value is in DoctorStored
 * (a const char *) and where the recomputed one is in Recomputed (a char
 * array). */
typedef struct DoctorCheck {
  const char *field;
  size_t stored_off;
  size_t recomputed_off;
} DoctorCheck;

static const DoctorCheck DOCTOR_CHECKS[] = {
  {"status", offsetof(DoctorStored, status), offsetof(Recomputed, status)},
  {"status_since", offsetof(DoctorStored, status_since), offsetof(Recomputed, status_since)},
};
#define DOCTOR_NCHECKS ((int)(sizeof DOCTOR_CHECKS / sizeof DOCTOR_CHECKS[0]))

/* State of one run, passed to the scan's callback. */
typedef struct DoctorRun {
  DoctorReportFn report;
  void *arg;
  int64_t differences, persons_differing;
} DoctorRun;

/* Recomputes every derived field of p from its history h into r. */
static void doctor_recompute(const DoctorStored *p, const DoctorHistory *h, Recomputed *r) {
  (void)p;
  derived_status(h->episodes, h->nepisodes, r->status, r->status_since);
}

/* The scan's callback: recompute, compare field by field, report. */
static int doctor_visit(void *arg, const DoctorStored *p, const DoctorHistory *h, Err *e) {
  (void)e;
  DoctorRun *run = arg;
  Recomputed r;
  doctor_recompute(p, h, &r);
  bool differs = false;
  for (int i = 0; i < DOCTOR_NCHECKS; i++) {
    const char *stored = *(const char *const *)((const char *)p + DOCTOR_CHECKS[i].stored_off);
    const char *again = (const char *)&r + DOCTOR_CHECKS[i].recomputed_off;
    if (strcmp(stored, again) == 0) continue;
    differs = true;
    run->differences++;
    if (run->report) {
      DoctorDiff d = {p->id, DOCTOR_CHECKS[i].field, stored, again};
      run->report(run->arg, &d);
    }
  }
  if (differs) run->persons_differing++;
  return ERR_OK;
}

/* Adapter: a difference found by the supervision check, reported like ours. */
static void doctor_supervision_diff(void *arg, int64_t person_id, const char *field, const char *stored,
                                    const char *computed) {
  DoctorRun *run = arg;
  run->differences++;
  if (run->report) {
    DoctorDiff d = {person_id, field, stored, computed};
    run->report(run->arg, &d);
  }
}

/* Seconds on the monotonic clock. */
static double doctor_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int app_doctor_run(Ctx *c, DoctorReportFn report, void *arg, DoctorReport *out, Err *e) {
  memset(out, 0, sizeof *out);
  out->fields_checked = DOCTOR_NCHECKS;
  if (!actor_can(c->actor, PERM_ORG_ADMIN) || strcmp(c->actor->org_path, "/") != 0)
    return err_set(e, ERR_FORBIDDEN, "只有系统管理员可以检查全部数据");
  double t0 = doctor_clock();
  DoctorRun run = {report, arg, 0, 0};
  DoctorScanStats s;
  int rc = store_doctor_scan(c->db, doctor_visit, &run, &s, e);
  /* Second pass: the supervision engine's derived fields (due dates,
   * control, risk, flags), recomputed by the same function that writes them. */
  int64_t sup_persons = 0, sup_differences = 0;
  if (rc == ERR_OK)
    rc = supervision_doctor_check(c->db, c->today, doctor_supervision_diff, &run, &sup_persons, &sup_differences, e);
  out->seconds = doctor_clock() - t0;
  if (rc != ERR_OK) return rc;
  out->persons = s.persons;
  out->episodes = s.episodes;
  out->orphan_episodes = s.orphan_episodes;
  out->differences = run.differences + s.orphan_episodes;
  out->persons_differing = run.persons_differing;
  return ERR_OK;
}
