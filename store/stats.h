/* store/stats.h: the SQL of the statistics: the unit history of each person
 * (person_unit: the responsible community from a day on, appended by the
 * writers that move a person), what the statistical facts are made from
 * beyond the supervision history (first found, when the file was made,
 * the unit history, the help team with its dates, the agreements), the
 * encoded facts kept per unit and person (stat_person, derived: written in
 * the transaction of the facts they come from, rebuilt when missing,
 * checked by `jindu doctor`), and the scan of a subtree's facts. No rights
 * checks here (app/stats*.c decide). Every function returns ERR_OK or an
 * ErrCode with e filled. */
#ifndef JINDU_STORE_STATS_H
#define JINDU_STORE_STATS_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "core/person_field.h"
#include "store/db.h"

/* ---- what the facts are made from --------------------------------------- */

typedef struct StatUnitRow { int64_t org_id; char from[DATE_ISO_LEN]; } StatUnitRow; /* from "": since always */
typedef struct StatMemberRow { char added[40], removed[40], role[24]; } StatMemberRow; /* removed "": still on */
typedef struct StatDocRow { char signed_date[DATE_ISO_LEN]; } StatDocRow;

/* One person's rows beyond the supervision history. Arrays are the
 * struct's own: store_stats_extras_free; *_clear keeps them for reuse. */
typedef struct StatExtras {
  int64_t person_id, org_id; /* org_id: person.org_id (today's unit) */
  char first_found[DATE_ISO_LEN], created_at[40];
  StatUnitRow *units; int nunits, cap_units;
  StatMemberRow *members; int nmembers, cap_members;
  StatDocRow *agreements; int nagreements, cap_agreements; /* agreements and responsibility letters */
  /* casework (app/casework.h): the first case plan's creation, the current
   * plan's review date, the earliest follow-up date of a service ("":
   * none), and the stored derived columns (the doctor compares them). */
  char plan_from[40], plan_review[DATE_ISO_LEN], followup[DATE_ISO_LEN];
  char stored_plan_review[DATE_ISO_LEN], stored_followup[DATE_ISO_LEN];
  int stored_file_missing;
} StatExtras;

void store_stats_extras_clear(StatExtras *x);
void store_stats_extras_free(StatExtras *x);

/* A cursor over the extras of the persons lo <= id < hi in id order: one
 * statement per table, each read once (for the rebuild and the doctor,
 * beside store_sup_scan_range, in the caller's transaction). */
typedef struct StatCursor StatCursor;
int store_stats_cursor_open(Db *db, int64_t lo, int64_t hi, StatCursor **out, Err *e);
/* Fills x with the extras of person_id (ids asked in ascending order);
 * ERR_NOT_FOUND when there is no such person. */
int store_stats_cursor_get(StatCursor *cur, int64_t person_id, StatExtras *x, Err *e);
void store_stats_cursor_close(StatCursor *cur);
/* The extras of one person (a cursor over [person_id, person_id + 1)). */
int store_stats_extras_load(Db *db, int64_t person_id, StatExtras *x, Err *e);

/* ---- the unit history ------------------------------------------------------ */

/* Appends (person_id, org_id, from): from NULL = since always (the unit a
 * file was registered under). */
int store_stats_unit_add(Db *db, int64_t person_id, int64_t org_id, const char *from, Err *e);

/* ---- the facts ------------------------------------------------------------------ */

/* Writes person_id's facts (n bytes) under unit org_id with their marks
 * (core/stats.h stats_facts_marks: a stat_mark row per bit), replacing
 * them, and the person's household division and whether org_id is its unit
 * today (is_current), read from its person row (which must exist). */
int store_stats_facts_put(Db *db, int64_t org_id, int64_t person_id, const void *blob, size_t n, unsigned marks,
                          Err *e);
/* Removes every row of the facts (before a rebuild). */
int store_stats_facts_clear(Db *db, Err *e);
/* Whether the facts of every person have been built (stat_state). */
int store_stats_built(Db *db, bool *built, Err *e);
int store_stats_set_built(Db *db, bool built, Err *e);

/* Called for every row of a scan: the unit the row is kept under, the
 * person, the encoded facts (valid during the call). */
typedef int (*StatScanFn)(void *arg, int64_t org_id, int64_t person_id, const void *blob, size_t n, Err *e);
/* Every row kept under a unit of the subtree of path (today's tree), a
 * unit's rows together (by person). path "/" : every row. */
int store_stats_scan(Db *db, const char *path, StatScanFn fn, void *arg, Err *e);
/* As store_stats_scan, the rows carrying mark (one STAT_MARK_* bit of
 * core/stats.h; 0: every row) only, their keys read from stat_mark. */
int store_stats_scan_marked(Db *db, const char *path, unsigned mark, StatScanFn fn, void *arg, Err *e);
/* As store_stats_scan_marked, from a position (a drill-down page reached
 * by a link, issue 11 point 8): the rows after (org_id, person_id) in the
 * scan's order (the units of the subtree by path, a unit's rows by
 * person), or, backward, the rows before it from the nearest back. from_path
 * is the path of unit org_id (in the subtree of path). */
int store_stats_scan_from(Db *db, const char *path, unsigned mark, const char *from_path, int64_t org_id,
                          int64_t person_id, bool backward, StatScanFn fn, void *arg, Err *e);
/* The household side of a scan (issue 9): as StatScanFn, with the person's
 * household division code (stat_person.household_division, written with the
 * facts from person.household_division; "" when none) and whether the row
 * is the one kept under the person's unit today (stat_person.is_current). */
typedef int (*StatHouseFn)(void *arg, int64_t org_id, int64_t person_id, const void *blob, size_t n,
                           const char *household, bool current, Err *e);
/* Every row kept under a unit of the subtree of path, with the person's
 * household division and is_current (the rows of a unit together, as
 * store_stats_scan). */
int store_stats_scan_households(Db *db, const char *path, StatHouseFn fn, void *arg, Err *e);
/* Every person whose household division begins with prefix (non-empty),
 * wherever supervised: one row each (the one kept under today's unit,
 * is_current), through the index stat_person_household. */
int store_stats_scan_household_of(Db *db, const char *prefix, StatHouseFn fn, void *arg, Err *e);
/* As store_stats_scan_household_of, the persons whose unit today lies
 * outside the subtree of path only: the units are told from the index
 * (stat_person_household holds is_current and the key), so the facts of
 * the persons inside are never read. */
int store_stats_scan_household_outside(Db *db, const char *prefix, const char *path, StatHouseFn fn, void *arg,
                                       Err *e);
/* The persons of ids[0..n) (ascending) in the subtree of scope today:
 * fills the matching rows of out (name, id number, current unit code and
 * name); *in_scope[i] false when person ids[i] lies outside. */
typedef struct StatPersonRow {
  char name[FIELD_BYTES(PERSON_NAME_CHARS)], id_number[24], org_code[64], org_name[128];
} StatPersonRow;
int store_stats_persons(Db *db, const char *scope, const int64_t *ids, int n, StatPersonRow *out, bool *in_scope,
                        Err *e);

#endif
