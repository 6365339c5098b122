/* app/draft.c: owns the forms kept across an expired session (see
 * app/draft.h). */
#include "app/draft.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* true when id is DRAFT_ID_HEX lowercase hex characters. */
static bool draft_id_ok(const char *id) {
  size_t n = id ? strlen(id) : 0;
  if (n != DRAFT_ID_HEX) return false;
  for (size_t i = 0; i < n; i++)
    if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'))) return false;
  return true;
}

/* Writes the stored form of an id: hex BLAKE2b-256 of its text. */
static void draft_id_hash(const char *id, char out[DRAFT_ID_HEX + 1]) {
  unsigned char bin[32];
  crypto_generichash(bin, sizeof bin, (const unsigned char *)id, strlen(id), NULL, 0);
  sodium_bin2hex(out, DRAFT_ID_HEX + 1, bin, sizeof bin);
}

int draft_keep(Ctx *c, int64_t user_id, const char *path, const char *fields, char id_out[DRAFT_ID_HEX + 1],
               Err *e) {
  id_out[0] = 0;
  if (user_id <= 0 || !path || strlen(path) >= DRAFT_PATH_MAX) return err_set(e, ERR_INVALID, "无法保留填写的内容");
  if (strlen(fields) > DRAFT_FIELDS_MAX) return err_set(e, ERR_TOO_LARGE, "请求内容过大");
  unsigned char raw[DRAFT_ID_HEX / 2];
  char id[DRAFT_ID_HEX + 1], hash[DRAFT_ID_HEX + 1];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(id, sizeof id, raw, sizeof raw);
  draft_id_hash(id, hash);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_draft_put(c->db, hash, user_id, path, fields, c->now_unix, e) != ERR_OK) return app_fail(c, e);
  int rc = app_commit(c, NULL, e);
  if (rc == ERR_OK) memcpy(id_out, id, sizeof id);
  sodium_memzero(id, sizeof id);
  return rc;
}

int draft_get(Ctx *c, const char *id, DraftRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!draft_id_ok(id) || c->actor->user_id <= 0) return err_set(e, ERR_NOT_FOUND, "没有保留的内容");
  char hash[DRAFT_ID_HEX + 1];
  draft_id_hash(id, hash);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_draft_get(c->db, hash, out, e);
  rc = app_read_done(c, rc, e);
  if (rc == ERR_OK && (out->user_id != c->actor->user_id || c->now_unix - out->created_unix > DRAFT_KEEP_SECONDS)) {
    draft_row_free(out);
    err_clear(e);
    rc = ERR_NOT_FOUND;
  }
  if (rc == ERR_NOT_FOUND) {
    err_clear(e);
    err_set(e, ERR_NOT_FOUND, "没有保留的内容");
  }
  return rc;
}

int draft_claim(Ctx *c, const char *id, bool *kept, Err *e) {
  DraftRow d;
  int rc = draft_get(c, id, &d, e);
  *kept = rc == ERR_OK;
  if (rc == ERR_OK) {
    draft_row_free(&d);
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  err_clear(e);
  return draft_drop(c, id, e);
}

int draft_drop(Ctx *c, const char *id, Err *e) {
  if (!draft_id_ok(id)) return ERR_OK;
  char hash[DRAFT_ID_HEX + 1];
  draft_id_hash(id, hash);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_draft_delete(c->db, hash, e) != ERR_OK) return app_fail(c, e);
  return app_commit(c, NULL, e);
}

void draft_row_free(DraftRow *d) {
  if (!d) return;
  if (d->fields) sodium_memzero(d->fields, strlen(d->fields));
  free(d->fields);
  d->fields = NULL;
}

int draft_purge(Ctx *c, Err *e) {
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_draft_purge(c->db, c->now_unix - DRAFT_KEEP_SECONDS, e) != ERR_OK) return app_fail(c, e);
  return app_commit(c, NULL, e);
}
