/* store/gen.h: the SQL of synthetic data (`jindu gen` and the demo
 * district): bulk inserts that bypass the per-row use cases (buffered rows,
 * several per statement, no RETURNING, explicit person ids, derived fields
 * written with the row), the bulk-load connection settings and index
 * rebuild, and a content checksum of the generated
 * data used by the determinism tests. No rights checks and no
 * validation here: app/gen.c and app/demo.c decide. Every function returns
 * ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_GEN_H
#define JINDU_STORE_GEN_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/person_field.h"
#include "store/db.h"
#include "store/person.h"
#include "store/supervision.h"

/* One generated person (borrowed strings). f[] as in PersonRow ("" dates
 * are stored as NULL, flags "0"/"1"); derived holds every derived column
 * (status, status_since and the supervision fields, as
 * store_sup_derived_set writes them). */
typedef struct GenPersonRow {
  int64_t id; /* explicit row id (the caller knows it is free) */
  int64_t org_id;
  const char *org_path;
  const char *f[PF__COUNT];
  const SupDerived *derived;
  int file_missing; /* the casework column (app/casework.h casework_derived) */
  const char *now; /* created_at and updated_at */
} GenPersonRow;

/* Switches the connection to bulk-load settings (on: synchronous=OFF, a
 * 256 MiB page cache (larger ones measured slower), foreign keys not
 * checked: the generator writes every parent before its rows) or back to
 * the defaults of store/db_sqlite.c (off: synchronous=FULL, 64 MiB,
 * foreign keys on). Must be called outside a transaction. */
int store_gen_bulk_mode(Db *db, bool on, Err *e);
/* The secondary indexes of the person table (not those of its UNIQUE
 * constraints): names and CREATE statements, as the schema made them. */
typedef struct GenIndexes {
  int n;
  char **names, **sqls; /* malloc'd */
  int64_t *owners;      /* malloc'd when read from pending_index: the loading processes */
} GenIndexes;
/* Reads the person table's secondary indexes into *out and drops them
 * (inside the caller's transaction): a bulk load into an empty table, then
 * one sort per index (store_gen_indexes_create), costs far less than
 * keeping them up to date row by row. SQLite's catalogue: driver-specific. */
int store_gen_person_indexes_drop(Db *db, GenIndexes *out, Err *e);
/* Creates the indexes of ix again (inside the caller's transaction). The
 * drop records each index in pending_index and the create removes it, in
 * their transactions. */
int store_gen_indexes_create(Db *db, const GenIndexes *ix, Err *e);
/* Builds every index still listed in pending_index (a bulk load killed
 * between its drop and its create), in one transaction; *rebuilt = how
 * many. A database without pending rows costs one read. */
int store_gen_indexes_repair(Db *db, int *rebuilt, Err *e);
void store_gen_indexes_free(GenIndexes *ix);
/* *max_id = the greatest person id (0 when there is none). */
int store_gen_max_person_id(Db *db, int64_t *max_id, Err *e);
/* ---- buffered rows ----
 * The rows of a bulk load, collected in memory (strings copied: a GenBulk
 * can be filled by one thread and flushed by another) and inserted by
 * store_gen_bulk_flush several rows per statement, table by table in the
 * order of the functions below (persons before the rows that name them):
 * the load is bound by the per-statement cost. Each row holds what the
 * per-row writer of its table stores for the same input (a person as
 * store_person's insert with the derived columns store_sup_derived_set
 * writes, version 1; store/person.c's episode, help-member and document
 * inserts; store_sup_visit_add, store_sup_test_add, store_sup_event_add:
 * same NULL rules), written by the command line: created_by / worker_id /
 * recorded_by and corrects_id are NULL (the add functions assert that the
 * input asks for nothing else). Rows of a table get their ids in the order
 * they were added (persons: their explicit ids). */
typedef struct GenBulk GenBulk;

GenBulk *store_gen_bulk_new(void);
void store_gen_bulk_free(GenBulk *b);
/* Forgets every waiting row (keeps the memory). */
void store_gen_bulk_clear(GenBulk *b);
void store_gen_bulk_person(GenBulk *b, const GenPersonRow *p);
void store_gen_bulk_episode(GenBulk *b, int64_t person_id, const EpisodeIn *in);
/* added_at: when the member joined the team (the generator dates it in the
 * history, so that statistics of past days see a team). */
void store_gen_bulk_member(GenBulk *b, int64_t person_id, const HelpMemberIn *m, const char *added_at);
void store_gen_bulk_document(GenBulk *b, int64_t person_id, const char *kind, const char *signed_date,
                             const char *number);
void store_gen_bulk_visit(GenBulk *b, int64_t person_id, const SupVisitIn *in);
void store_gen_bulk_test(GenBulk *b, int64_t person_id, const SupTestIn *in);
void store_gen_bulk_event(GenBulk *b, int64_t person_id, const SupEventIn *in);
/* The person's unit history (one row: the unit since always) and its
 * statistical facts (core/stats.h, encoded: n bytes) under that unit, today's
 * (is_current), with the person's household division code (household, as
 * person.household_division), with a stat_mark row per bit of marks (stats_facts_marks). */
void store_gen_bulk_stats(GenBulk *b, int64_t person_id, int64_t org_id, const void *facts, size_t n,
                          unsigned marks, const char *household);
/* Rows waiting. */
int64_t store_gen_bulk_pending(const GenBulk *b);
/* Inserts every waiting row (now is the created_at / updated_at /
 * added_at) and empties b, also on error. The caller holds the
 * transaction. A duplicate person id or ID number is ERR_CONFLICT. */
int store_gen_bulk_flush(Db *db, GenBulk *b, const char *now, Err *e);

/* A 64-bit FNV-1a checksum of the content of org_unit, person (with every
 * derived column), status_episode, help_member, person_document, visit,
 * drug_test and person_event in id order, leaving out the clock columns
 * (created_at, updated_at, added_at): two databases generated alike give
 * the same value whatever the time. *rows (may be NULL) gets the number of
 * rows read. */
int store_gen_checksum(Db *db, uint64_t *sum, int64_t *rows, Err *e);

#endif
