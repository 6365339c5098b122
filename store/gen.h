/* store/gen.h: the SQL of synthetic data (`jindu gen` and the demo
 * district): bulk inserts that bypass the per-row use cases (no RETURNING,
 * explicit ids, derived status written with the row), the bulk-load
 * connection settings, org population figures, and a content checksum of the
 * person data used by the determinism tests. No rights checks and no
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
  const char *now; /* created_at and updated_at */
} GenPersonRow;

/* Switches the connection to bulk-load settings (on: synchronous=OFF and a
 * 512 MiB page cache) or back to the defaults of store/db_sqlite.c (off:
 * synchronous=FULL, 64 MiB). Must be called outside a transaction. */
int store_gen_bulk_mode(Db *db, bool on, Err *e);
/* *max_id = the greatest person id (0 when there is none). */
int store_gen_max_person_id(Db *db, int64_t *max_id, Err *e);
/* Sets the population figures of unit org_id (negative: not recorded, NULL).
 * ERR_NOT_FOUND when there is no such unit. */
int store_gen_org_set_population(Db *db, int64_t org_id, int64_t registered, int64_t resident, int64_t floating,
                                 Err *e);
/* Inserts one person row with its derived fields. A duplicate id or ID
 * number is ERR_CONFLICT. The caller holds the transaction. */
int store_gen_person_insert(Db *db, const GenPersonRow *p, Err *e);
/* Appends a status episode of person_id written by the command line
 * (created_by NULL). */
int store_gen_episode_insert(Db *db, int64_t person_id, const EpisodeIn *in, const char *now, Err *e);
/* Appends a current help-team member of person_id. */
int store_gen_help_member_insert(Db *db, int64_t person_id, const HelpMemberIn *m, const char *now, Err *e);
/* Appends a document record of person_id. */
int store_gen_document_insert(Db *db, int64_t person_id, const char *kind, const char *signed_date,
                              const char *number, const char *now, Err *e);
/* A 64-bit FNV-1a checksum of the content of org_unit, person (with every
 * derived column), status_episode, help_member, person_document, visit,
 * drug_test and person_event in id order, leaving out the clock columns
 * (created_at, updated_at, added_at): two databases generated alike give
 * the same value whatever the time. *rows (may be NULL) gets the number of
 * rows read. */
int store_gen_checksum(Db *db, uint64_t *sum, int64_t *rows, Err *e);

#endif
