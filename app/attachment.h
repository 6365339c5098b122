/* app/attachment.h: the attachment use cases (photos and scans on records):
 * upload, read (audited: every read of an attachment), list a record's, and
 * void (never deleted: voided with a reason, audited). Rights and scope go
 * through the record that owns the attachment: its kind says which
 * permission reads and which writes (the table in app/attachment.c), and its
 * unit path (store/attachment.h) must lie in the actor's scope, else
 * ERR_NOT_FOUND exactly as for a missing record. The bytes' type is sniffed
 * (core/filetype.h), never taken from the name or the client. */
#ifndef JINDU_APP_ATTACHMENT_H
#define JINDU_APP_ATTACHMENT_H
#include <stddef.h>
#include <stdint.h>
#include "app/app.h"
#include "store/attachment.h"

/* The most characters of a void reason. */
#define ATTACHMENT_REASON_MAX 200

/* Attaches len bytes named filename (as the client named it; cleaned) to
 * record entity/entity_id; *out (may be NULL) receives the new attachment's
 * metadata. Checks, in order: the kind (ERR_NOT_FOUND when
 * unknown), the write permission of the kind (ERR_FORBIDDEN), the record in
 * scope (ERR_NOT_FOUND), the size (ERR_TOO_LARGE over FILETYPE_MAX_BYTES;
 * field "file" "请选择要上传的文件" when empty) and the type from the
 * bytes (field "file": "只能上传 JPEG、PNG 或 PDF 文件"). Nothing is written
 * on any refusal. One transaction: bytes, metadata and the audit row
 * ("create", entity "attachment"). */
int app_attachment_add(Ctx *c, const char *entity, int64_t entity_id, const char *filename, const void *bytes,
                       size_t len, AttachmentRow *out, Err *e);
/* Reads attachment id: *meta and its bytes (*bytes malloc'd, caller frees;
 * *len). ERR_NOT_FOUND when missing, voided, or its record is out of the
 * actor's scope; ERR_FORBIDDEN without the kind's read permission. Every
 * successful read is audited ("read", entity "attachment"). */
int app_attachment_get(Ctx *c, int64_t id, AttachmentRow *meta, unsigned char **bytes, size_t *len, Err *e);
/* The attachments (not voided) of record entity/entity_id, oldest first;
 * rights and scope as app_attachment_get (the listing is metadata, part of
 * reading the record: not audited on its own). *out malloc'd (free()). */
int app_attachment_list(Ctx *c, const char *entity, int64_t entity_id, AttachmentRow **out, int *n, Err *e);
/* Voids attachment id with reason (required, at most ATTACHMENT_REASON_MAX
 * bytes, field "reason"): the kind's write permission and the record in
 * scope; ERR_CONFLICT when voided already. Audited ("void"). *meta (may be
 * NULL) receives its metadata once it is found in scope (voided on success:
 * a refused reason still tells the caller which record it belongs to), else
 * zeroes. */
int app_attachment_void(Ctx *c, int64_t id, const char *reason, AttachmentRow *meta, Err *e);

/* Sets the at-rest key attachments are encrypted under from now on (the
 * process's: `jindu serve --key-file`, `jindu attachments encrypt`); once,
 * before threads start. */
void app_attachment_key_set(const unsigned char key[32]);
/* Encrypts every attachment still stored plaintext under the key set
 * (ERR_INVALID when none is); *n the stored files converted. One
 * transaction with its audit row ("encrypt", entity "attachment", the
 * count); the command line's actor only (ERR_FORBIDDEN for others). */
int app_attachment_encrypt_all(Ctx *c, int64_t *n, Err *e);

#endif
