/* cli/cmd_data.c: the data commands: `gen` (synthetic persons with their
 * supervision history for benchmarks, app/gen.h) and `doctor` (recompute the derived fields and
 * report differences, app/doctor.h). Each parses its options, calls app/
 * with the command-line actor and prints the outcome. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "app/doctor.h"
#include "app/gen.h"
#include "app/gen_prevention.h"
#include "cli/cli.h"
#include "store/db.h"

#define GEN_USAGE "jindu gen --db PATH --persons N [--seed S] [--history N] [--activities N] [--surveys N]"
#define DOCTOR_USAGE "jindu doctor --db PATH"

/* Parses s as an unsigned decimal integer: digits only (no sign, no
 * spaces), no overflow. */
static bool cmd_parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s) return false;
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    unsigned d = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

int cmd_gen(const CliArgs *a) {
  const char *np = cli_opt(a, "--persons"), *sp = cli_opt(a, "--seed"), *hp = cli_opt(a, "--history");
  const char *ap = cli_opt(a, "--activities"), *vp = cli_opt(a, "--surveys");
  if (!np) return cli_usage("--persons N is required", GEN_USAGE);
  uint64_t persons, seed = 1, history = GEN_HISTORY_DEFAULT, acts = 0, surveys = 0;
  if ((ap && (!cmd_parse_u64(ap, &acts) || acts > GEN_PREVENTION_MAX)) ||
      (vp && (!cmd_parse_u64(vp, &surveys) || surveys > GEN_PREVENTION_MAX)))
    return cli_usage("--activities and --surveys must be whole numbers from 0 to 10000000", GEN_USAGE);
  if (!cmd_parse_u64(np, &persons) || persons < 1 || persons > GEN_PERSONS_MAX)
    return cli_usage("--persons must be a whole number from 1 to 10000000", GEN_USAGE);
  if (sp && !cmd_parse_u64(sp, &seed))
    return cli_usage("--seed must be a whole number from 0 to 18446744073709551615", GEN_USAGE);
  if (hp && (!cmd_parse_u64(hp, &history) || history > GEN_CONTACTS_MAX))
    return cli_usage("--history (average talks and drug tests per person) must be a whole number from 0 to 200",
                     GEN_USAGE);
  CMD_WITH_CTX(a, c, db, actor);
  GenReport r;
  int rc = CLI_OK;
  if (app_gen_run(&c, (int64_t)persons, seed, (int)history, &r, &e) != ERR_OK) {
    rc = cli_fail(&e, "gen");
    if (r.persons > 0)
      fprintf(stderr, "jindu: gen: %" PRId64 " persons (ids %" PRId64 "..%" PRId64 ") were committed before the failure\n",
              r.persons, r.first_id, r.first_id + r.persons - 1);
  } else {
    double rate = r.seconds > 0 ? (double)r.persons / r.seconds : 0;
    printf("jindu: generated %" PRId64 " persons (ids %" PRId64 "..%" PRId64 ", seed %" PRIu64 ") in %" PRId64
           " communities (%" PRId64 " org units created): %" PRId64 " status episodes, %" PRId64 " help-team members, %" PRId64
           " agreements\n",
           r.persons, r.first_id, r.last_id, seed, r.communities, r.units_created, r.episodes, r.help_members,
           r.documents);
    int64_t rows = r.persons + r.episodes + r.help_members + r.documents + r.visits + r.tests + r.events;
    printf("jindu: supervision history (--history %" PRIu64 "): %" PRId64 " talks/visits, %" PRId64
           " drug tests (%.1f a person), %" PRId64 " events; kept from %s, %d‰ of the extra contacts\n",
           history, r.visits, r.tests, r.persons ? (double)(r.visits + r.tests) / (double)r.persons : 0.0, r.events,
           r.history_from[0] ? r.history_from : "-", r.extra_permille);
    printf("jindu: %.1f s, %.0f persons/second, %.0f rows/second (%" PRId64 " rows)\n", r.seconds, rate,
           r.seconds > 0 ? (double)rows / r.seconds : 0.0, rows);
    double secs = 0;
    if ((acts || surveys) && app_gen_prevention(&c, (int64_t)acts, (int64_t)surveys, seed, &secs, &e) != ERR_OK)
      rc = cli_fail(&e, "gen");
    else if (acts || surveys)
      printf("jindu: generated %" PRIu64 " activities and %" PRIu64 " awareness surveys in %.1f s\n", acts, surveys,
             secs);
  }
  db_close(db);
  return rc;
}

/* Prints one difference found by the doctor. */
static void cmd_doctor_print(void *arg, const DoctorDiff *d) {
  (void)arg;
  printf("person %" PRId64 ": %s: stored \"%s\", recomputed \"%s\"\n", d->person_id, d->field, d->stored,
         d->recomputed);
}

int cmd_doctor(const CliArgs *a) {
  CMD_WITH_CTX(a, c, db, actor);
  DoctorReport r;
  int rc;
  if (app_doctor_run(&c, cmd_doctor_print, NULL, &r, &e) != ERR_OK) {
    rc = cli_fail(&e, "doctor");
  } else {
    if (r.orphan_episodes)
      printf("%" PRId64 " status episodes belong to no person\n", r.orphan_episodes);
    printf("jindu: doctor: %" PRId64 " persons, %" PRId64 " status episodes, %d derived fields each: %" PRId64
           " differences in %" PRId64 " persons (%.1f s)\n",
           r.persons, r.episodes, r.fields_checked, r.differences, r.persons_differing, r.seconds);
    rc = r.differences ? CLI_FAIL : CLI_OK;
  }
  db_close(db);
  return rc;
}
