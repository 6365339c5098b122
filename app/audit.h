/* app/audit.h: the audit trail. Owns the hash chain of audit_log (what is
 * hashed and how), the write of an audit row inside a use case's
 * transaction, the recording of reads (queued and group-committed by one
 * writer thread in the server, written at once elsewhere), the verification
 * of the chain, and the scoped audit listing.
 *
 * The chain: every row stores prev_hash (the hash of the row before it, ""
 * for the first) and hash = hex BLAKE2b-256 of
 *   prev_hash "\n" "jindu-audit-v1;" F(id) F(at) F(actor_id) F(actor)
 *   F(address) F(action) F(entity) F(entity_id) F(org_path) F(detail)
 * where F(text) = decimal byte length ":" bytes ";", F(integer) = "i"
 * decimal ";" and F(NULL) = "n;" (self-delimiting, so unambiguous).
 * audit_head keeps the last id, last hash and row count, so that removing
 * the newest rows is detected too. */
#ifndef JINDU_APP_AUDIT_H
#define JINDU_APP_AUDIT_H
#include <stdint.h>
#include "app/app.h"
#include "core/buf.h"
#include "store/audit.h"

/* Most reads the queue holds; beyond it audit_read writes synchronously. */
#define AUDIT_QUEUE_MAX 100000

/* Appends an audit row for the actor of c (c->actor, its address, at =
 * c->now_iso) about entity/entity_id (entity_id <= 0: none) in the unit
 * org_path (the row's scope: who may list it). Must be called inside the
 * caller's open write transaction (assert), which then commits or rolls back
 * the row together with the write it records. Texts longer than the columns
 * shown in listings are cut (detail at AUDIT_DETAIL_MAX-1 bytes). detail may
 * be NULL. Returns ERR_OK or an ErrCode with e filled. */
int audit_write(Ctx *c, const char *action, const char *entity, int64_t entity_id, const char *org_path,
                const char *detail, Err *e);

/* Records that the actor of c read entity/entity_id (action "read"). When the
 * read queue runs, a copy is queued and committed within a few milliseconds by
 * the writer thread; when it does not run (command line, tests), or the queue
 * is full, the row is written at once on c->db, in the caller's transaction
 * if one is open or else in its own. Never drops a row; a storage failure is
 * reported on stderr (the read itself has already happened). */
void audit_read(Ctx *c, const char *entity, int64_t entity_id, const char *org_path);
/* Records, exactly as audit_read does (queued, never dropped), that the
 * actor of c learned something about entity/entity_id without a write of
 * their own; action says what ("read" is audit_read; "id_conflict": a
 * refused create or change told the actor that a person outside their scope
 * holds an ID number). Call it outside any transaction that may still roll
 * back: written at once, it would go with that transaction. */
void audit_note(Ctx *c, const char *action, const char *entity, int64_t entity_id, const char *org_path);
/* Ends a read about unit org_id (org_path) as app_read_done(c, rc, e) and,
 * when it succeeded, notes it: audit_note(c, action, "org", ...). Returns
 * the result. */
int audit_read_done_org(Ctx *c, int rc, const char *action, int64_t org_id, const char *org_path, Err *e);

/* Starts the process-wide read queue and its writer thread, which opens its
 * own connection to db_path (a 2 MiB page cache: it only appends). ERR_INTERNAL when it already runs or the
 * database cannot be opened. */
int audit_queue_start(const char *db_path, Err *e);
/* Stops the queue: the writer commits everything queued, exits and is
 * joined; later audit_read calls write synchronously. No-op when not running. */
void audit_queue_stop(void);
/* Waits until every read queued so far is committed (tests, shutdown
 * hooks). Returns at once when the queue does not run. Never call it while
 * holding a write transaction: the writer would wait for that lock. */
void audit_queue_flush(void);

/* Recomputes the whole chain in one read snapshot (after the archived rows:
 * each archive's record goes on from the one before, by ids and hashes,
 * and the online rows from the last; audit_verify_archive checks a file).
 * ERR_OK when intact.
 * ERR_CONFLICT when a row was changed, removed or inserted, with
 * *first_bad_id the id of the first row that fails (when the rows are
 * intact but disagree with audit_head, e.g. the newest rows were removed:
 * the id after the last row found). ERR_INTERNAL on storage failure.
 * *rows_checked counts the rows examined. Both outputs may be NULL. */
int audit_verify(Db *db, int64_t *rows_checked, int64_t *first_bad_id, Err *e);

/* Retention (issue 12 point 3): the log stays online at least this many
 * months (the Cybersecurity Law's six); older rows may be archived. */
#define AUDIT_ONLINE_MONTHS 6

/* Moves the oldest rows dated before `before` (YYYY-MM-DD, at least
 * AUDIT_ONLINE_MONTHS months before today, else field "before") into a new
 * file at path (field "to"; ERR_CONFLICT when it exists; mode 0600): a
 * header line {"format":"jindu-audit-archive-v1","before","first_id",
 * "last_id","prev_hash"} then one JSON object a row with every column as
 * stored (so that its hashes can be recomputed). In one transaction the
 * rows are checked (a broken chain is not archived: ERR_CONFLICT), written
 * and synced, recorded in audit_archive (ids, the hash before the first and
 * of the last row, the file's BLAKE2b-256) and deleted; the archive itself
 * is an audit row (action "archive") that the online chain goes on with.
 * ERR_NOT_FOUND when no row is old enough. *out: the archive recorded. A
 * failure removes the file. */
int audit_archive(Ctx *c, const char *before, const char *path, AuditArchive *out, Err *e);
/* Every archive recorded, oldest first. *items malloc'd (free()). */
int audit_archives(Db *db, AuditArchive **items, int *n, Err *e);
/* Checks the archive file at path against its record a: its bytes' hash,
 * and its rows' chain from a's first_prev_hash to its last_hash. ERR_OK
 * when intact; ERR_NOT_FOUND when the file cannot be read; ERR_CONFLICT
 * (with *bad_id the first row at fault) otherwise. */
int audit_verify_archive(const AuditArchive *a, const char *path, int64_t *bad_id, Err *e);

/* Filters of the audit listing; NULL or "" means no filter. */
typedef struct AuditFilter {
  const char *entity; /* "person", "user", "org", "session", ... */
  const char *actor;  /* username */
  const char *date;   /* "YYYY", "YYYY-MM" or "YYYY-MM-DD": rows whose time starts so */
  const char *person; /* a person's id (rows about that person), or the start of a name
                         (rows about the persons of the actor's scope so named) */
  int page;           /* 1-based; < 1 means 1 */
  int per_page;       /* 1..200; < 1 means 50 */
} AuditFilter;

/* Lists audit rows (newest first) whose org_path lies in the actor's scope.
 * Requires PERM_AUDIT_READ. Each row comes with the actor's display name,
 * the name of what it is about (a person's name masked, 张**, when the
 * person now lies outside the actor's scope) and the status records its
 * detail names (AuditRow.refs). *rows is malloc'd (caller frees with free();
 * NULL when *n is 0); *total counts all matching rows. */
int app_audit_list(Ctx *c, const AuditFilter *f, AuditRow **rows, int *n, int64_t *total, Err *e);

/* Masks a person's name for a viewer who may not see the person: its first
 * character and "**" (张三 → 张**; "" stays ""). out holds n bytes. */
void audit_name_mask(const char *name, char *out, size_t n);

/* Appends ` key="value"` (no leading space when b is empty) to an audit
 * detail, escaping '"', '\\' and control characters in value. */
void audit_detail_kv(Buf *b, const char *key, const char *value);
/* audit_detail_kv for each key and value of the list, which a NULL key ends:
 * audit_detail_kvs(&d, "kind", kind, "org", code, NULL). */
void audit_detail_kvs(Buf *b, const char *key, const char *value, ...) __attribute__((sentinel));
/* Appends ` key=value` for an integer. */
void audit_detail_int(Buf *b, const char *key, int64_t value);

#endif
