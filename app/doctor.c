/* app/doctor.c: owns `jindu doctor` (see app/doctor.h): a pass over persons
 * and status episodes that counts them and finds orphan episodes
 * (store/doctor.c), then the supervision pass (app/supervision_doctor.c)
 * that recomputes every derived field with the function the writers use and
 * compares it with the stored value (a new derived field is added there),
 * then the statistics' pass (app/stats_facts.c): the facts recomputed and
 * compared with those stored, the unit history with the person's unit. */
#include "app/doctor.h"
#include <stddef.h>
#include <string.h>
#include <time.h>
#include "app/stats_facts.h"
#include "app/supervision_doctor.h"
#include "core/derived.h"
#include "store/doctor.h"

/* State of one run, passed to the callbacks. */
typedef struct DoctorRun {
  DoctorReportFn report;
  void *arg;
  int64_t differences, persons_differing;
  int64_t last_person; /* differences of a person come together */
} DoctorRun;

/* The first pass's callback: the episodes are counted (and orphans found)
 * there; the fields themselves are compared by the supervision pass. */
static int doctor_visit(void *arg, const DoctorStored *p, const DoctorHistory *h, Err *e) {
  (void)arg; (void)p; (void)h; (void)e;
  return ERR_OK;
}

/* Adapter: a difference found by the supervision check, reported like ours. */
static void doctor_supervision_diff(void *arg, int64_t person_id, const char *field, const char *stored,
                                    const char *computed) {
  DoctorRun *run = arg;
  run->differences++;
  if (person_id != run->last_person) {
    run->persons_differing++;
    run->last_person = person_id;
  }
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
  out->fields_checked = supervision_doctor_fields();
  if (!actor_can(c->actor, PERM_ORG_ADMIN) || strcmp(c->actor->org_path, "/") != 0)
    return err_set(e, ERR_FORBIDDEN, "只有系统管理员可以检查全部数据");
  double t0 = doctor_clock();
  DoctorRun run = {report, arg, 0, 0, -1};
  DoctorScanStats s;
  int rc = store_doctor_scan(c->db, doctor_visit, &run, &s, e);
  /* Second pass: every derived field (status, due dates, control, risk,
   * flags), recomputed by the same function that writes them. */
  int64_t sup_persons = 0, sup_differences = 0;
  /* Beside it, on threads of its own: the statistical facts
   * (app/stats_facts.h) and the unit history. */
  StatsDoctor *sd = NULL;
  if (rc == ERR_OK) rc = stats_doctor_start(c->db, c->today, &sd, e);
  if (rc == ERR_OK)
    rc = supervision_doctor_check(c->db, c->today, doctor_supervision_diff, &run, &sup_persons, &sup_differences, e);
  if (sd) {
    Err se;
    err_clear(&se);
    int src = stats_doctor_finish(sd, doctor_supervision_diff, &run, NULL, NULL, &se);
    if (rc == ERR_OK && src != ERR_OK) {
      rc = src;
      *e = se;
    }
  }
  out->seconds = doctor_clock() - t0;
  if (rc != ERR_OK) return rc;
  out->persons = s.persons;
  out->episodes = s.episodes;
  out->orphan_episodes = s.orphan_episodes;
  out->differences = run.differences + s.orphan_episodes;
  out->persons_differing = run.persons_differing;
  return ERR_OK;
}
