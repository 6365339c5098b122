/* store/audit.h: the SQL of the audit log (audit_log, audit_head): append a
 * row, read and update the head of the hash chain, walk every row in id
 * order for verification, and list rows of a scope with filters and paging.
 * The chain itself (what is hashed, in which order) belongs to app/audit.c.
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_AUDIT_H
#define JINDU_STORE_AUDIT_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"
#include "store/org.h"

#define AUDIT_HASH_HEX 64     /* BLAKE2b-256 as hex */
#define AUDIT_DETAIL_MAX 2048 /* bytes of detail kept (AuditRow buffer, incl. NUL) */

/* One audit row as borrowed text: used to insert a row (the caller owns the
 * strings) and handed to the store_audit_each callback (the strings belong
 * to the statement and are valid only during the call). Exactly what the
 * database holds, so that the chain can be recomputed from it. */
typedef struct AuditRec {
  int64_t id;
  const char *at;
  bool has_actor_id;     /* actor_id is NULL for the command line */
  int64_t actor_id;
  const char *actor;
  const char *address;
  const char *action;
  const char *entity;
  bool has_entity_id;    /* entity_id is NULL when the action concerns no single row */
  int64_t entity_id;
  const char *org_path;
  const char *detail;
  const char *prev_hash;
  const char *hash;
} AuditRec;

/* A status record (status_episode) an audit row's detail names (keys
 * episode= and corrects=), for the listing to say what it is. */
typedef struct AuditRef {
  int64_t id;
  char status[24];
  char date[11];   /* its start date, else its decision date; "" when neither */
} AuditRef;

/* One audit row as owned, fixed-size copies (for listings). detail is cut
 * at AUDIT_DETAIL_MAX-1 bytes (on a UTF-8 boundary). The fields after hash
 * are not part of the row: the listing adds them for display. */
typedef struct AuditRow {
  int64_t id;
  char at[32];
  int64_t actor_id;      /* 0 when NULL */
  char actor[64];
  char address[64];
  char action[32];
  char entity[32];
  int64_t entity_id;     /* 0 when NULL */
  char org_path[ORG_PATH_MAX];
  char detail[AUDIT_DETAIL_MAX];
  char prev_hash[AUDIT_HASH_HEX + 1];
  char hash[AUDIT_HASH_HEX + 1];
  char actor_name[64];           /* the actor's display name ("" when none: the command line) */
  char entity_name[128];         /* the name of the person, user or unit the row is about ("" when none) */
  char entity_path[ORG_PATH_MAX];/* a person's unit now ("" for the others) */
  AuditRef refs[2];              /* the status records of the detail (app/audit.c fills them) */
  int nrefs;
} AuditRow;

/* The head of the chain (table audit_head): the last row appended, its hash
 * and the number of rows; what detects the removal of the newest rows. */
typedef struct AuditHead {
  int64_t last_id;
  char last_hash[AUDIT_HASH_HEX + 1];
  int64_t row_count;
} AuditHead;

/* Reads the head into *out. */
int store_audit_head_get(Db *db, AuditHead *out, Err *e);
/* Writes the head (call in the transaction that appended the row). */
int store_audit_head_set(Db *db, const AuditHead *head, Err *e);
/* *out = the largest id in audit_log, 0 when empty. */
int store_audit_max_id(Db *db, int64_t *out, Err *e);
/* Inserts *r as it is (id, hashes and all). */
int store_audit_insert(Db *db, const AuditRec *r, Err *e);
/* Calls fn for every row in ascending id order, with a row valid only during
 * the call; fn returns 0 to go on, anything else to stop (then the result is
 * ERR_OK). */
int store_audit_each(Db *db, int (*fn)(void *arg, const AuditRec *r), void *arg, Err *e);
/* The same for the rows up to id last_id. */
int store_audit_each_upto(Db *db, int64_t last_id, int (*fn)(void *arg, const AuditRec *r), void *arg, Err *e);

/* An archive of the oldest rows (table audit_archive): the file they went
 * to, the rows' ids and count, the chain's hash before the first and of the
 * last, the file's hash (hex BLAKE2b-256). */
typedef struct AuditArchive {
  int64_t id;
  char file[1024];
  char before[32];
  int64_t first_id, last_id, row_count;
  char first_prev_hash[AUDIT_HASH_HEX + 1], last_hash[AUDIT_HASH_HEX + 1], file_hash[AUDIT_HASH_HEX + 1];
  char archived_at[32];
} AuditArchive;
/* *last_id = the last row of the longest run of the oldest rows dated
 * before `before` (an ISO date: rows whose time sorts before it); 0 when
 * none. */
int store_audit_archive_cut(Db *db, const char *before, int64_t *last_id, Err *e);
/* Deletes the rows up to last_id (they are in an archive). */
int store_audit_delete_upto(Db *db, int64_t last_id, Err *e);
/* Records an archive (a->id is ignored). */
int store_audit_archive_add(Db *db, const AuditArchive *a, Err *e);
/* Every archive, oldest first. *items malloc'd (free()). */
int store_audit_archives(Db *db, AuditArchive **items, int *n, Err *e);

/* Filters of store_audit_list; NULL, "" or 0 means no filter. */
typedef struct AuditQuery {
  const char *entity;      /* one entity ("person", "user"...) */
  const char *actor;       /* one actor (username) */
  const char *at_prefix;   /* rows whose time starts so: "2024", "2024-05", "2024-05-17" */
  int64_t person_id;       /* rows about this person */
  const char *person_name; /* rows about the persons of the scope whose name starts so */
} AuditQuery;

/* Lists, newest first, the rows whose org_path lies in the subtree of scope
 * and that pass q (may be NULL), each with the actor's display name and the
 * name of what it is about (a person, an account, a unit) and a person's
 * unit now. Skips offset rows, returns at most limit. *rows is malloc'd
 * (caller frees with free(); NULL when *n is 0); *total counts every
 * matching row. */
int store_audit_list(Db *db, const char *scope, const AuditQuery *q, int limit, int64_t offset, AuditRow **rows,
                     int *n, int64_t *total, Err *e);

#endif
