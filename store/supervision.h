/* store/supervision.h: the SQL of the supervision engine: visits, drug
 * tests, events and tasks, the derived supervision columns of the person
 * row, the work list scan, and the one-pass history stream of the
 * supervision doctor (approvals: store/approval.h; schedule rules and the
 * rule of each org unit: store/schedule_rule.h).
 * No rights checks and no validation here (app/ decides); values are always
 * bound; dates are ISO text computed in C. Every function returns ERR_OK or
 * an ErrCode with e filled. */
#ifndef JINDU_STORE_SUPERVISION_H
#define JINDU_STORE_SUPERVISION_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "core/supervision.h"
#include "store/db.h"

/* ---- history as the rules see it -------------------------------------
 * SupHistory and SupDerived are core/supervision.h's: the engine's types.
 * The arrays of a SupHistory filled here are freed with sup_history_free. */

/* Empties h keeping its arrays (for reuse in a scan). */
void sup_history_clear(SupHistory *h);
/* Frees h's arrays and zeroes it. */
void sup_history_free(SupHistory *h);
/* true when a help-team role names a family member (家属, 父亲, 妻子...). */
bool sup_role_is_family(const char *role);

/* Loads the history of person_id (no scope check: the caller has done it). */
int store_sup_history_load(Db *db, int64_t person_id, SupHistory *h, Err *e);
/* Reads the stored derived fields of person_id into *out. */
int store_sup_derived_get(Db *db, int64_t person_id, SupDerived *out, Err *e);
/* Writes every derived field of person_id (and updated_at = now). */
int store_sup_derived_set(Db *db, int64_t person_id, const SupDerived *d, const char *now, Err *e);

/* Called once per person, in id order, with the stored and the history. */
typedef int (*SupScanFn)(void *arg, const SupDerived *stored, const SupHistory *h, Err *e);
typedef struct SupScanStats {
  int64_t persons, rows, orphans; /* orphans: history rows naming no person */
} SupScanStats;
/* One read snapshot; persons by id merged with seven streams ordered by
 * person_id (episodes, visits, tests, events, approvals, help members): one
 * statement each, no query per person. */
int store_sup_scan(Db *db, SupScanFn fn, void *arg, SupScanStats *stats, Err *e);
/* The same over the persons with lo <= id < hi (and their history rows). */
int store_sup_scan_range(Db *db, int64_t lo, int64_t hi, SupScanFn fn, void *arg, SupScanStats *stats, Err *e);

/* ---- writes of history ------------------------------------------------ */

typedef struct SupVisitIn {
  const char *date, *kind, *place, *notes;
  int64_t worker_id, corrects_id; /* 0 = NULL */
} SupVisitIn;
typedef struct SupTestIn {
  const char *date, *sample, *reason, *result, *substances, *tester;
  int64_t recorded_by, corrects_id;
} SupTestIn;
typedef struct SupEventIn {
  const char *kind, *date, *until, *note, *status; /* until/status NULL = NULL */
  const char *case_no, *offence; /* an offence's police case number and kind (NULL = "") */
  int days;
  int64_t to_org_id, created_by; /* 0 = NULL */
} SupEventIn;

int store_sup_visit_add(Db *db, int64_t person_id, const SupVisitIn *in, const char *now, int64_t *id_out, Err *e);
int store_sup_test_add(Db *db, int64_t person_id, const SupTestIn *in, const char *now, int64_t *id_out, Err *e);
int store_sup_event_add(Db *db, int64_t person_id, const SupEventIn *in, const char *now, int64_t *id_out, Err *e);
/* true in *ok when row id of table ("visit" / "drug_test") belongs to
 * person_id and is not corrected yet. */
int store_sup_correctable(Db *db, const char *table, int64_t person_id, int64_t id, bool *ok, Err *e);
/* Sets the status of every open task of person_id of this kind to status;
 * *changed (may be NULL) counts them. */
int store_sup_tasks_close(Db *db, int64_t person_id, const char *kind, const char *status, int *changed, Err *e);
/* The event id's person and, when it is a task, its kind and status. */
int store_sup_event_get(Db *db, int64_t id, int64_t *person_id, char kind[24], char status[12], Err *e);
int store_sup_event_set_status(Db *db, int64_t id, const char *status, Err *e);
/* Moves person id to unit org_id/org_path (a transfer), bumping version;
 * the responsible worker (of the old unit) is cleared. */
int store_sup_person_move(Db *db, int64_t id, int64_t org_id, const char *org_path, const char *now, Err *e);

/* ---- history lists (the person page) --------------------------------- */

/* The rows of the history tables, as app/ hands them on (app/supervision.h
 * names them VisitRecord, TestRecord, EventRecord). Text buffers hold what
 * app/ accepts (FIELD_BYTES of its bounds in characters); the flags after
 * the columns are app/'s to set (voided: a later row corrects this one;
 * notes_hidden: notes withheld from the reader; needs_report: a leave of 3
 * days or more). */
typedef struct SupVisitRow {
  int64_t id, corrects_id;
  char date[11], kind[16], worker[64], place[FIELD_BYTES(200)], notes[FIELD_BYTES(4000)], created_at[32];
  bool voided, notes_hidden;
} SupVisitRow;
typedef struct SupTestRow {
  int64_t id, corrects_id;
  char date[11], sample[8], reason[12], result[12], substances[201], tester[FIELD_BYTES(60)], recorded_by[64],
      created_at[32];
  bool voided;
} SupTestRow;
typedef struct SupEventRow {
  int64_t id;
  char kind[24], date[11], until[11];
  int days;
  char to_org_code[64], to_org_name[128], note[FIELD_BYTES(1000)], status[12], created_by[64], created_at[32];
  bool needs_report;
  char case_no[FIELD_BYTES(40)], offence_kind[24]; /* an offence (issue 9) */
} SupEventRow;
/* Newest first; *items malloc'd (free()); *total = all rows of the person.
 * voided[] is not computed here: *corrected_ids (malloc'd, may be NULL) lists
 * every id of the person's table that a row corrects. */
int store_sup_visits(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupVisitRow **items, int *n,
                     int64_t *total, int64_t **corrected, int *ncorrected, Err *e);
int store_sup_tests(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupTestRow **items, int *n,
                    int64_t *total, int64_t **corrected, int *ncorrected, Err *e);
int store_sup_events(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupEventRow **items, int *n,
                     int64_t *total, Err *e);

/* ---- persons by id (refreshes, the doctor) ---------------------------- */

/* The persons whose derived fields a migration marked stale
 * (derived_stale): up to max ids, smallest first. *ids malloc'd. */
int store_sup_stale_ids(Db *db, int max, int64_t **ids, int *n, Err *e);
/* Removes person_id from the stale persons. */
int store_sup_stale_done(Db *db, int64_t person_id, Err *e);

/* The greatest person id (0 when there is none). */
int store_sup_max_person_id(Db *db, int64_t *out, Err *e);
/* Ids of every person in [scope, bound), by id. *ids malloc'd. */
int store_sup_person_ids(Db *db, const char *scope, int64_t **ids, int *n, Err *e);

/* ---- the work list ---------------------------------------------------- */

/* One row of the work-list scan: a person matching at least one condition,
 * with at most one pending approval joined (a person with k pending
 * approvals comes k times, consecutively). Compact (dates as days), as a
 * street's scan may hold tens of thousands of rows. */
#define SUP_NO_DAY INT32_MIN /* a date column that is NULL */
typedef struct SupWorkRow {
  int64_t person_id, org_id;
  char name[FIELD_BYTES(60)]; /* a person's name: 60 characters */
  char status[24];
  bool lost_contact;
  int serious_breach; /* 0, SUP_BREACH_SERIOUS or SUP_BREACH_REPORTED */
  Day next_test_due, next_talk_due, missed_two_date, report_deadline, pickup_due, release_eligible_date, leave_until;
  Day plan_review_due, service_followup_due; /* casework (app/casework.h) */
  Day release_due, release_from; /* a release seen coming (issue 9) */
  int64_t approval_id;          /* 0 when none */
  int64_t approval_proposed_by; /* user id, 0 for none/command line */
  char approval_kind[16], approver_role[8];
  char *approval_to_path;       /* malloc'd receiving unit's path, NULL when none */
} SupWorkRow;

/* Scans the persons of [scope, bound(scope)) once: a row for each whose
 * work_from is on or before horizon (a superset of the work list: the
 * caller applies each reason's own test), one per pending approval. At most
 * cap rows (*capped set when more exist). person_id > 0: only that person
 * (read by id, not by a scan), when in the scope. worker_id > 0: only the
 * persons whose responsible worker is that user (tested in the index
 * entry). Free with store_sup_work_free. */
int store_sup_worklist(Db *db, const char *scope, int64_t person_id, int64_t worker_id, const char *horizon,
                       int cap, SupWorkRow **items, int *n, bool *capped, Err *e);
/* Pending transfers whose receiving unit lies in [scope, bound) (persons
 * outside the scope): rows as above with the person's fields filled.
 * person_id > 0: only that person's. */
int store_sup_worklist_incoming(Db *db, const char *scope, int64_t person_id, SupWorkRow **items, int *n, Err *e);
void store_sup_work_free(SupWorkRow *rows, int n);

#endif
