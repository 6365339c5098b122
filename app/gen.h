/* app/gen.h: synthetic data. Three parts:
 *  - the generator pieces shared by `jindu gen` and the demo district
 *    (app/demo.c): a small deterministic PRNG, fictional names built from
 *    common characters, valid 18-digit ID numbers, drug types and status
 *    histories that follow the core/status.h state machine with consistent
 *    dates. All dates are on or before GEN_REFERENCE_DATE (a fixed day, not
 *    the clock, so that the output depends on the seed only);
 *  - the supervision history of a person (talks, drug tests, events) as a
 *    help team would have recorded it, shared by both too;
 *  - `jindu gen`: the bulk use case that fills a database with N persons
 *    for benchmarks, bypassing the per-row use cases (see app_gen_run).
 * Nothing here names a real person: names are random combinations of
 * common surname and given-name characters. */
#ifndef JINDU_APP_GEN_H
#define JINDU_APP_GEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app/app.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schedule.h"
#include "core/status.h"

/* The day every generated history ends by ("today" of the synthetic data). */
#define GEN_REFERENCE_DATE "2026-11-01"
#define GEN_PERSONS_MAX 10000000   /* most persons one `jindu gen` run adds */
#define GEN_PER_COMMUNITY 300      /* persons per synthetic community */
#define GEN_STREETS 20             /* streets of the synthetic county */
#define GEN_BATCH 50000            /* persons per committed transaction */
#define GEN_COUNTY_CODE "G00"

/* ---- PRNG: splitmix64 (one 64-bit state word) ---- */

typedef struct GenRng {
  uint64_t state;
} GenRng;

/* Seeds r for one stream of a seed (e.g. stream = person index): the same
 * (seed, stream) always gives the same sequence. */
void gen_rng_init(GenRng *r, uint64_t seed, uint64_t stream);
/* The next 64 random bits. */
uint64_t gen_rng_next(GenRng *r);
/* Uniform in 0..n-1 (n > 0). */
uint32_t gen_rng_below(GenRng *r, uint32_t n);
/* Uniform in lo..hi inclusive (lo <= hi). */
int gen_rng_between(GenRng *r, int lo, int hi);
/* true with probability pct/100. */
bool gen_rng_percent(GenRng *r, int pct);
/* An index 0..n-1 drawn with the given non-negative weights (sum > 0). */
size_t gen_rng_weighted(GenRng *r, const int *weights, size_t n);

/* ---- people ---- */

#define GEN_NAME_MAX 16 /* surname + up to 2 given characters, UTF-8, + NUL */

/* GEN_REFERENCE_DATE as a Day. */
Day gen_reference_day(void);
/* A fictional name for sex 'M'/'F': a common surname (the frequent ones more
 * often) and one or two given-name characters. */
void gen_name(GenRng *r, char sex, char out[GEN_NAME_MAX]);
/* A fictional name with the given surname (a family member). surname is one
 * UTF-8 character (or a short string); out as gen_name. */
void gen_name_with_surname(GenRng *r, const char *surname, char sex, char out[GEN_NAME_MAX]);
/* The surname of a name made by gen_name (its first UTF-8 character) into
 * out (8 bytes). */
void gen_surname_of(const char *name, char out[8]);
/* The 18-character ID number of region (6 digits), birth day and sequence
 * 0..999 (its last digit odd for men, even for women), with its check
 * character (core/idcard.h). out: IDCARD_MASKED_LEN bytes. */
void gen_id_number(const char *region6, Day birth, int seq, char out[IDCARD_MASKED_LEN]);
/* Drug types (comma-separated API codes; a static string) for a person born
 * in birth_year: methamphetamine most often, heroin mostly for the older. */
const char *gen_drug_types(GenRng *r, int birth_year);

/* ---- status histories ---- */

#define GEN_HISTORY_MAX 12

typedef struct GenEpisode {
  Status status;
  Day decision;   /* the order or the finding */
  Day start;      /* the day it took effect (valid when has_start) */
  bool has_start; /* false for a community order not yet reported */
} GenEpisode;

/* Draws the history of a person first found on `found` (<= ref) and
 * returns how many episodes it wrote into out: the model runs from the
 * finding to ref (every step allowed by status_transition_allowed, each
 * episode's start on or after its decision and before the next decision,
 * every date <= ref), then the latest max_episodes (1..GEN_HISTORY_MAX-2)
 * are kept, as a system that started recording later would hold them; one
 * or two more are kept when the history would otherwise begin with death or
 * emigration (not allowed as a first episode). The first kept decision is
 * `found` when nothing was cut. */
int gen_history(GenRng *r, Day found, Day ref, int max_episodes, GenEpisode *out);

/* ---- supervision histories (talks, drug tests, events) ---- */

/* One talk/visit or drug test of a simulated history (static strings). */
typedef struct GenContact {
  Day date;
  bool is_test;
  bool extra;       /* a contact on top of the schedule (phone call, visit in
                       between): kept or dropped as a whole by the density */
  uint16_t rank;    /* uniform 0..65535: an extra is kept when rank < density */
  const char *kind; /* visit: talk | home_visit | phone | office */
  const char *place, *notes;                /* visit */
  const char *sample, *reason, *result;     /* test */
  bool police_task; /* positive under a community order: app_test_add opens a
                       police_report task */
  Day reported;     /* police_task: the day the police were told (> ref: not yet) */
} GenContact;

/* One event of a simulated history (static strings; status NULL for a
 * plain event, "open"/"done" for a task). */
typedef struct GenEvent {
  Day date;
  const char *kind;
  const char *status;
  bool has_until;
  Day until; /* leave: last day away */
  int days;  /* absence: days away */
  const char *note;
} GenEvent;

/* A simulated history: contacts in date order, events (not sorted). */
typedef struct GenSup {
  GenContact *contacts;
  int ncontacts, cap_contacts;
  GenEvent *events;
  int nevents, cap_events;
} GenSup;

/* What the simulation needs to know of the person (the risk grade, which
 * tightens the schedule, depends on it). */
typedef struct GenSupPerson {
  const char *drug_types; /* comma-separated codes */
  int three_withouts;     /* 0..3 */
  bool family_support;    /* a help-team member is family */
} GenSupPerson;

/* Empties s keeping its arrays; frees them. */
void gen_sup_clear(GenSup *s);
void gen_sup_free(GenSup *s);
/* Appends a contact (zeroed but for the date) / a plain event (status NULL,
 * note "") and returns it (valid until the next append). */
GenContact *gen_sup_contact(GenSup *s, Day date);
GenEvent *gen_sup_event(GenSup *s, const char *kind, Day date);
/* Simulates the talks, drug tests and events of a person with status
 * history hist[0..nh) (as gen_history draws it) up to ref, appending to out
 * (not cleared). Every run of community detox, community rehabilitation or
 * social supervision that has started (extended over "X, detained, X", the
 * detention pausing it) is followed day by day under rule, the way a help
 * team works it: a talk when the person reports; then each talk and test
 * about when schedule_compute says it is due (as the risk grade of the day
 * tightens it), early or late by the team's habit, sometimes skipped;
 * results mostly negative, about 3% positive (the clock restarts, as in
 * supervision_compute), some refused or absent (retried days later);
 * random tests now and then; extra contacts about monthly (marked extra,
 * with a rank); occasionally lost contact (no contact until found), absence
 * without permission, leave. A release from isolation brings release_notice
 * (a done task) and released; a current isolation ending within 30 days
 * after ref an open release_notice dated on the expected release.
 * Only contacts on or after keep_from are written, extra ones only when
 * their rank is below extra_keep (0..65536); what is written does not
 * change what happens (decisions and record details use separate streams
 * derived from r), so the kept part of a history is a subset, by date and
 * rank, of the full one. Contacts are dated on or before ref and come out
 * in date order; events are all written, unsorted. The events that a
 * positive test brings (relapse, police task) are not: app_test_add writes
 * them (app/demo.c) or `jindu gen` mirrors it. */
void gen_sup_simulate(GenRng *r, const GenEpisode *hist, int nh, Day ref, const ScheduleRule *rule,
                      const GenSupPerson *p, Day keep_from, uint32_t extra_keep, GenSup *out);

/* ---- `jindu gen` ---- */

#define GEN_HISTORY_DEFAULT 0 /* average talks + tests per person of `jindu gen`: none by default, so that
                                 1M persons take under a minute; --history 30 for the supervision bench */
#define GEN_CONTACTS_MAX 200 /* the largest --history */

typedef struct GenReport {
  int64_t persons;           /* persons added */
  int64_t first_id, last_id; /* their ids */
  int64_t episodes, help_members, documents;
  int64_t visits, tests, events; /* supervision history rows */
  int64_t communities;        /* communities the persons were spread over */
  int64_t units_created;      /* org units (county, streets, communities) this run created */
  char history_from[DATE_ISO_LEN]; /* talks and tests are kept from this day on ("" when none) */
  int extra_permille;         /* share of the extra contacts kept */
  double seconds;             /* elapsed wall-clock time */
} GenReport;

/* Adds `persons` (1..GEN_PERSONS_MAX) synthetic persons for benchmarks,
 * deterministically from seed: creates when missing the county
 * GEN_COUNTY_CODE ("合成测试区"), its GEN_STREETS streets and
 * ceil(persons/GEN_PER_COMMUNITY) communities (codes G00-Snn-Cnnnn), then
 * the persons spread over those communities, each with 1-4 status episodes,
 * 1-3 help-team members, under a community order the agreement, and a
 * supervision history (gen_sup_simulate under the schedule rule of the
 * person's community): talks/visits and drug tests, `history`
 * (0..GEN_CONTACTS_MAX) of them a person on average, and events (lost
 * contact and found, absence, leave, release notices; for each positive
 * test the relapse and police task that app_test_add writes). The volume is
 * set by keeping the records of the last years only (and a share of the
 * extra contacts), the span chosen by simulating a sample of persons first
 * (GenReport.history_from, extra_permille). Every derived field
 * (status, due dates, clock, risk, flags: SupDerived) is computed from that
 * history by supervision_compute, as of GEN_REFERENCE_DATE, and written
 * with the row, so `jindu doctor` finds nothing to change (as of any day
 * from GEN_REFERENCE_DATE on).
 * Bulk: rows go straight to store/gen.c (no per-row validation or audit),
 * several per statement, with synchronous=OFF and foreign keys unchecked
 * for the duration; persons are generated on a second thread while this
 * one writes; committed every GEN_BATCH persons; one audit row ("gen",
 * entity "person") describing the whole run is written in the first
 * transaction, so every committed row is covered. Into an empty person
 * table the table's secondary indexes are dropped in the first transaction
 * and built again in the last (also after a failure); a process killed in
 * between leaves them listed in pending_index, and the next open of the
 * database builds them (store_gen_indexes_repair). A failure leaves the batches committed
 * before it, complete with their histories.
 * Running it again on the same database adds more persons: ids continue
 * after the greatest person id and the ID numbers are derived from the row
 * id (a bijection onto region x birth date x sequence), so they never
 * collide with earlier runs. ERR_CONFLICT when the ID number space (about
 * 31 million persons) would be exhausted or GEN_COUNTY_CODE names a unit of
 * another shape; ERR_INVALID (field "persons" or "history") out of range.
 * Needs the whole-database administrator (the command-line actor), else
 * ERR_FORBIDDEN. */
int app_gen_run(Ctx *c, int64_t persons, uint64_t seed, int history, GenReport *out, Err *e);

#endif
