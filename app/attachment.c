/* app/attachment.c: the attachment use cases (see app/attachment.h). */
#include "app/attachment.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/read_limit.h"
#include "core/field.h"
#include "core/filetype.h"
#include "app/steps.h"

#define M_TYPE "只能上传 JPEG、PNG 或 PDF 文件"
#define M_EMPTY "请选择要上传的文件"
#define M_TOO_LARGE "文件不能超过 10 MB"
#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "附件不存在"

/* The record kinds that carry attachments. Reading one needs
 * PERM_PERSON_READ; attaching to one (or voiding) needs the right to write
 * the record itself (record_may_write, app/app.c: the one rule of who
 * writes what). Each row has its twin in store/attachment.c (the SQL of the
 * record's unit path) and a route in web/routes.c. */
static const char *const att_kinds[] = {"person_document", "unit_work", "inspection", "eradication",
                                        "letter",          "activity",  "assess_mark"};

/* Whether entity is a kind with attachments (here and in the store). */
static bool att_known(const char *entity) {
  for (size_t i = 0; entity && i < sizeof att_kinds / sizeof att_kinds[0]; i++)
    if (strcmp(att_kinds[i], entity) == 0) return store_attachment_kind_known(entity);
  return false;
}

/* Checks that the actor may read (or write) the records of entity and
 * that record entity_id lies in scope; fills path (size n) with its unit
 * path. Inside the caller's transaction. */
static int att_check(Ctx *c, const char *entity, int64_t entity_id, bool write, char *path, size_t n, Err *e) {
  if (!att_known(entity)) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  /* scope before the role: out of scope answers as a missing record for
   * every role, so that a 403 never tells a role that may not write that
   * an attachment of another unit exists (tests/integration/suite_rbac.py) */
  if (store_attachment_owner_path(c->db, entity, entity_id, path, n, e) != ERR_OK) return e->code;
  if (!actor_in_scope(c->actor, path)) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  if (write ? !record_may_write(c->actor, entity) : !actor_can(c->actor, PERM_PERSON_READ))
    return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  return ERR_OK;
}

int attachment_put_step(Ctx *c, const char *entity, int64_t entity_id, const char *org_path, const char *filename,
                        const void *bytes, size_t len, const char *field, AttachmentRow *out, Err *e) {
  AttachmentRow m;
  memset(&m, 0, sizeof m);
  if (len > FILETYPE_MAX_BYTES) {
    err_set(e, ERR_TOO_LARGE, M_TOO_LARGE);
    if (strcmp(field, "file") != 0) err_field(e, field, M_TOO_LARGE);
    return e->code;
  }
  FileType t = filetype_sniff(bytes, len);
  const char *bad = len == 0 ? M_EMPTY : t == FT_NONE ? M_TYPE : NULL;
  if (bad) { /* the message of the answer and of the field */
    err_set(e, ERR_INVALID, bad);
    err_field(e, field, bad);
    return e->code;
  }
  str_copy(m.org_path, sizeof m.org_path, org_path);
  str_copy(m.entity, sizeof m.entity, entity);
  m.entity_id = entity_id;
  filetype_clean_name(filename, t, m.filename, sizeof m.filename);
  str_copy(m.content_type, sizeof m.content_type, filetype_mime(t));
  str_copy(m.created_at, sizeof m.created_at, c->now_iso);
  str_copy(m.created_by, sizeof m.created_by, c->actor->username);
  m.size = (int64_t)len;
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, bytes, len, NULL, 0);
  sodium_bin2hex(m.hash, sizeof m.hash, h, sizeof h);
  if (store_attachment_put(c->db, &m, bytes, len, c->actor->user_id, &m.id, e) != ERR_OK) return e->code;
  if (out) *out = m;
  return ERR_OK;
}

/* The audit detail of an upload of m. */
static void att_detail(Buf *d, const AttachmentRow *m) {
  audit_detail_kv(d, "record", m->entity);
  audit_detail_int(d, "record_id", m->entity_id);
  audit_detail_kv(d, "type", m->content_type);
  audit_detail_int(d, "size", m->size);
  audit_detail_kv(d, "hash", m->hash);
}

int attachment_put_audited(Ctx *c, const char *entity, int64_t entity_id, const char *org_path, const char *filename,
                           const void *bytes, size_t len, const char *field, Err *e) {
  AttachmentRow m;
  if (attachment_put_step(c, entity, entity_id, org_path, filename, bytes, len, field, &m, e) != ERR_OK) return e->code;
  Buf d = BUF_INIT;
  att_detail(&d, &m);
  int rc = audit_write(c, "create", "attachment", m.id, m.org_path, buf_str(&d), e);
  buf_reset(&d);
  return rc;
}

int app_attachment_add(Ctx *c, const char *entity, int64_t entity_id, const char *filename, const void *bytes,
                       size_t len, AttachmentRow *out, Err *e) {
  AttachmentRow m;
  memset(&m, 0, sizeof m);
  if (out) *out = m;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  char path[sizeof m.org_path];
  if (att_check(c, entity, entity_id, true, path, sizeof path, e) != ERR_OK) return app_fail(c, e);
  if (attachment_put_step(c, entity, entity_id, path, filename, bytes, len, "file", &m, e) != ERR_OK)
    return app_fail(c, e);
  Buf detail = BUF_INIT;
  att_detail(&detail, &m);
  int rc = app_commit(c, &(AppAudit){"create", "attachment", m.id, m.org_path, &detail}, e);
  if (rc == ERR_OK && out) *out = m;
  return rc;
}

/* Loads attachment id (not voided) and checks rights and scope through its
 * record (write: the write permission); the record's current unit path into
 * path. Inside the caller's transaction. */
static int att_load(Ctx *c, int64_t id, bool write, AttachmentRow *meta, char *path, size_t n, Err *e) {
  if (store_attachment_get(c->db, id, meta, e) != ERR_OK) return e->code;
  if (meta->voided && !write) return err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  int rc = att_check(c, meta->entity, meta->entity_id, write, path, n, e);
  if (rc == ERR_NOT_FOUND) { /* a record out of scope: the answer of a missing attachment */
    err_clear(e);
    return err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  }
  return rc;
}

int app_attachment_get(Ctx *c, int64_t id, AttachmentRow *meta, unsigned char **bytes, size_t *len, Err *e) {
  *bytes = NULL;
  *len = 0;
  if (read_limit_take(c, "attachment", id, e) != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  char path[256];
  int rc = att_load(c, id, false, meta, path, sizeof path, e);
  if (rc == ERR_OK) rc = store_attachment_bytes(c->db, meta->hash, bytes, len, e);
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) {
    free(*bytes);
    *bytes = NULL;
    *len = 0;
    return rc;
  }
  audit_read(c, "attachment", id, path);
  return ERR_OK;
}

int app_attachment_list(Ctx *c, const char *entity, int64_t entity_id, AttachmentRow **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  char path[256];
  int rc = att_check(c, entity, entity_id, false, path, sizeof path, e);
  if (rc == ERR_OK) rc = store_attachment_list(c->db, entity, entity_id, out, n, e);
  return app_read_done(c, rc, e);
}

int app_attachment_void(Ctx *c, int64_t id, const char *reason, AttachmentRow *meta, Err *e) {
  AttachmentRow m;
  memset(&m, 0, sizeof m);
  if (meta) *meta = m;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  char path[256];
  if (att_load(c, id, true, &m, path, sizeof path, e) != ERR_OK) {
    memset(&m, 0, sizeof m); /* nothing of an attachment out of scope */
    return app_fail(c, e);
  }
  if (meta) *meta = m;
  if (!reason || !*reason) err_field(e, "reason", "请填写作废原因");
  else if (strlen(reason) > ATTACHMENT_REASON_MAX) err_field(e, "reason", "内容超过长度限制");
  else if (!field_text_ok(reason, false)) err_field(e, "reason", "含有无效字符");
  if (e->code != ERR_OK) return app_fail(c, e);
  if (store_attachment_void(c->db, id, c->actor->user_id, c->now_iso, reason, e) != ERR_OK) return app_fail(c, e);
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "record", m.entity);
  audit_detail_int(&detail, "record_id", m.entity_id);
  audit_detail_kv(&detail, "reason", reason);
  int rc = app_commit(c, &(AppAudit){"void", "attachment", id, path, &detail}, e);
  if (rc == ERR_OK && meta) {
    meta->voided = true;
    str_copy(meta->voided_at, sizeof meta->voided_at, c->now_iso);
    str_copy(meta->void_reason, sizeof meta->void_reason, reason);
  }
  return rc;
}

void app_attachment_key_set(const unsigned char key[32]) { store_attachment_key_set(key); }

int app_attachment_encrypt_all(Ctx *c, int64_t *n, Err *e) {
  *n = 0;
  if (!store_attachment_key_on()) return err_set(e, ERR_INVALID, "未配置密钥（--key-file）");
  if (c->actor->user_id > 0) return err_set(e, ERR_FORBIDDEN, "只能在命令行执行");
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_attachment_encrypt_all(c->db, n, e) != ERR_OK) return app_fail(c, e);
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "blobs", *n);
  return app_commit(c, &(AppAudit){"encrypt", "attachment", 0, "/", &detail}, e);
}
