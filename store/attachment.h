/* store/attachment.h: all SQL on attachments (tables attachment and
 * attachment_blob, migration 7) and the one interface to where their bytes
 * are kept: today in attachment_blob, keyed by the hex BLAKE2b-256 of the
 * bytes; encryption at rest (libsodium secretstream, a later issue) goes
 * behind store_attachment_put / store_attachment_bytes without a change to
 * their callers. Also the record kinds that may carry attachments, with the
 * SQL that finds the unit path of a record (scope goes through the record
 * that owns the attachment). No rights checks: app/attachment.c decides.
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_ATTACHMENT_H
#define JINDU_STORE_ATTACHMENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"

/* One attachment's metadata (fixed-size, no allocation). */
typedef struct AttachmentRow {
  int64_t id;
  char entity[32];       /* the record kind: "person_document", ... */
  int64_t entity_id;
  char org_path[256];    /* the record's unit path when uploaded */
  char filename[256];    /* the name as uploaded (cleaned, core/filetype.h) */
  char content_type[32]; /* sniffed from the bytes */
  int64_t size;
  char hash[65];         /* hex BLAKE2b-256 of the bytes */
  char created_by[64];   /* username ("" when the account is gone) */
  char created_at[32];
  bool voided;
  char voided_at[32], void_reason[256];
} AttachmentRow;

/* true when entity names a record kind that may carry attachments. */
bool store_attachment_kind_known(const char *entity);
/* The unit path of record entity/entity_id (the unit of the person a
 * document belongs to, ...) into path (size n). ERR_NOT_FOUND when there is
 * no such record or the kind is unknown. */
int store_attachment_owner_path(Db *db, const char *entity, int64_t entity_id, char *path, size_t n, Err *e);

/* Stores len bytes under hash (kept once: the same bytes again add no row)
 * and appends the metadata row; *id (may be NULL) is its id. */
int store_attachment_put(Db *db, const AttachmentRow *meta, const void *bytes, size_t len, int64_t created_by,
                         int64_t *id, Err *e);
/* The metadata of attachment id (voided or not) into *out; ERR_NOT_FOUND when none. */
int store_attachment_get(Db *db, int64_t id, AttachmentRow *out, Err *e);
/* The bytes stored under hash: *bytes malloc'd (caller frees; never NULL on
 * success), *len their count. ERR_NOT_FOUND when none. */
int store_attachment_bytes(Db *db, const char *hash, unsigned char **bytes, size_t *len, Err *e);
/* The attachments of entity/entity_id that are not voided, oldest first.
 * *out malloc'd (caller frees with free(); NULL when *n is 0). */
int store_attachment_list(Db *db, const char *entity, int64_t entity_id, AttachmentRow **out, int *n, Err *e);
/* Marks attachment id voided by user by at now with reason (the row and its
 * bytes stay). ERR_CONFLICT when it was voided already. */
int store_attachment_void(Db *db, int64_t id, int64_t by, const char *now, const char *reason, Err *e);

#endif
