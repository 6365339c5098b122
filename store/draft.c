/* store/draft.c: the SQL of form_draft (see store/draft.h). */
#include "store/draft.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

/* The columns of store_draft_get's statement, in order. */
static const DbCol draft_cols[] = {
  DB_COL(DraftRow, user_id),
  DB_COL(DraftRow, path),
  DB_COL(DraftRow, fields),
  DB_COL(DraftRow, created_unix),
  DB_COL_END,
};

int store_draft_put(Db *db, const char *id_hash, int64_t user_id, const char *path, const char *fields,
                    int64_t now_unix, Err *e) {
  DbStmt *st = db_query(db, "DELETE FROM form_draft WHERE user_id = :user", e, DB_INT(":user", user_id));
  if (db_run(st, e) != ERR_OK) return e->code;
  return db_insert(db, "form_draft", NULL, e, DB_TEXT(":id_hash", id_hash), DB_INT(":user_id", user_id),
                   DB_TEXT(":path", path), DB_TEXT(":fields", fields), DB_INT(":created_unix", now_unix));
}

int store_draft_get(Db *db, const char *id_hash, DraftRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_query(db, "SELECT user_id, path, fields, created_unix FROM form_draft WHERE id_hash = :id", e,
                        DB_TEXT(":id", id_hash));
  return db_row_cols(st, draft_cols, out, "记录不存在", e);
}

int store_draft_delete(Db *db, const char *id_hash, Err *e) {
  return db_run(db_query(db, "DELETE FROM form_draft WHERE id_hash = :id", e, DB_TEXT(":id", id_hash)), e);
}

int store_draft_purge(Db *db, int64_t before_unix, Err *e) {
  DbStmt *st = db_query(db, "DELETE FROM form_draft WHERE created_unix < :before", e, DB_INT(":before", before_unix));
  return db_run(st, e);
}
