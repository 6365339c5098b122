/* store/attachment.h: all SQL on attachments (tables attachment and
 * attachment_blob, migration 7) and the one interface to where their bytes
 * are kept: in attachment_blob, keyed by the hex BLAKE2b-256 of the
 * plaintext bytes, encrypted at rest (core/crypt.h's container, kind
 * attachment) when the process has the key (store_attachment_key_set:
 * `jindu serve --key-file`); store_attachment_bytes decrypts. Bytes stored
 * before, or by a process without the key, stay plaintext and readable (the
 * container's magic tells them apart); store_attachment_encrypt_all
 * converts them. Also the record kinds that may carry attachments, with the
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
/* Sets the key attachments are encrypted under from now on (copied into
 * locked, read-only memory; once, before other threads use attachments). */
void store_attachment_key_set(const unsigned char key[32]);
/* true when a key is set. */
bool store_attachment_key_on(void);
/* Encrypts every blob still stored plaintext under the key (which must be
 * set); *n the blobs converted. The caller holds the transaction. */
int store_attachment_encrypt_all(Db *db, int64_t *n, Err *e);
#define ATTACHMENT_MSG_NO_KEY "附件已加密存放，服务器未配置密钥（--key-file）"
#define ATTACHMENT_MSG_DECRYPT "附件解密失败：密钥不对或数据已损坏"

/* The metadata of attachment id (voided or not) into *out; ERR_NOT_FOUND when none. */
int store_attachment_get(Db *db, int64_t id, AttachmentRow *out, Err *e);
/* The bytes stored under hash (decrypted): *bytes malloc'd (caller frees;
 * never NULL on success), *len their count. ERR_NOT_FOUND when none;
 * ERR_INTERNAL ATTACHMENT_MSG_NO_KEY when they are encrypted and no key is
 * set, ATTACHMENT_MSG_DECRYPT when they do not open under it. */
int store_attachment_bytes(Db *db, const char *hash, unsigned char **bytes, size_t *len, Err *e);
/* The attachments of entity/entity_id that are not voided, oldest first.
 * *out malloc'd (caller frees with free(); NULL when *n is 0). */
int store_attachment_list(Db *db, const char *entity, int64_t entity_id, AttachmentRow **out, int *n, Err *e);
/* Marks attachment id voided by user by at now with reason (the row and its
 * bytes stay). ERR_CONFLICT when it was voided already. */
int store_attachment_void(Db *db, int64_t id, int64_t by, const char *now, const char *reason, Err *e);

#endif
