/* store/letter.c: owns the SQL of letter and letter_required (see
 * store/letter.h). */
#include "store/letter.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/user.h"

void store_letter_signer_key(int64_t org_id, int64_t place_id, char out[LETTER_SIGNER_KEY_LEN]) {
  if (org_id > 0) snprintf(out, LETTER_SIGNER_KEY_LEN, "o:%" PRId64, org_id);
  else snprintf(out, LETTER_SIGNER_KEY_LEN, "p:%" PRId64, place_id);
}

int store_letter_add(Db *db, const LetterIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  char key[LETTER_SIGNER_KEY_LEN];
  store_letter_signer_key(in->signer_org_id, in->signer_place_id, key);
  return db_insert(db, "letter", id, e, DB_INT(":org_id", in->org_id), DB_INT(":year", in->year),
                   DB_TEXT(":kind", in->kind), DB_TEXT(":signer_key", key),
                   DB_ID_OR_NULL(":signer_org_id", in->signer_org_id),
                   DB_ID_OR_NULL(":signer_place_id", in->signer_org_id > 0 ? 0 : in->signer_place_id),
                   DB_TEXT(":signed_date", in->signed_date), DB_TEXT(":notes", in->notes ? in->notes : ""),
                   DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now));
}

/* The signer columns of a row of alias t (letter or letter_required):
 * type, unit code, place id, name. */
#define LT_SIGNER(t)                                                                                          \
  " CASE WHEN " t ".signer_org_id IS NOT NULL THEN 'org' ELSE 'place' END, coalesce(so.code, ''),"           \
  " coalesce(" t ".signer_place_id, 0), coalesce(so.name, sp.name, ''),"
#define LT_SIGNER_JOIN(t)                                                                                     \
  " LEFT JOIN org_unit so ON so.id = " t ".signer_org_id LEFT JOIN place sp ON sp.id = " t ".signer_place_id"

#define LT_COLS                                                                                               \
  "l.id, l.org_id, o.code, o.name, o.path, l.year, l.kind," LT_SIGNER("l") " l.signed_date, l.notes,"        \
  " " STORE_USER_SHOWN ", l.created_at FROM letter l"                                                         \
  " JOIN org_unit o ON o.id = l.org_id LEFT JOIN app_user u ON u.id = l.created_by" LT_SIGNER_JOIN("l")

#define C(m) DB_COL(LetterRow, m)
static const DbCol lt_cols[] = {
  C(id), C(org_id), C(org_code), C(org_name), C(org_path), C(year), C(kind), C(signer_type), C(signer_org),
  C(signer_place_id), C(signer_name), C(signed_date), C(notes), C(created_by), C(created_at), DB_COL_END,
};
#undef C

int store_letter_get(Db *db, int64_t id, LetterRow *out, Err *e) {
  return db_get_cols(db, "SELECT " LT_COLS " WHERE l.id = :id", id, lt_cols, out, sizeof *out, e);
}

#define LT_WHERE " WHERE o.path >= :scope AND o.path < :end AND (:year = 0 OR l.year = :year) AND (:kind = '' OR l.kind = :kind)"

int store_letter_list(Db *db, const LetterFilter *f, LetterRow **out, int *n, int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
#define LT_VALS DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_INT(":year", f->year), DB_TEXT(":kind", f->kind ? f->kind : "")
  if (db_scalar(db_query(db, "SELECT count(*) FROM letter l JOIN org_unit o ON o.id = l.org_id" LT_WHERE, e, LT_VALS),
                total, e) != ERR_OK)
    return e->code;
  return db_rows_each(db_query(db, "SELECT " LT_COLS LT_WHERE " ORDER BY l.year DESC, l.signed_date DESC, l.id DESC"
                                   " LIMIT :lim OFFSET :off", e, LT_VALS, DB_INT(":lim", f->limit),
                               DB_INT(":off", f->offset)),
                      sizeof **out, lt_cols, f->each, out, n, e);
#undef LT_VALS
}

int store_letter_required_add(Db *db, int64_t org_id, int year, const char *kind, int64_t signer_org_id,
                              int64_t signer_place_id, int64_t by, const char *now, int64_t *id, Err *e) {
  char key[LETTER_SIGNER_KEY_LEN];
  store_letter_signer_key(signer_org_id, signer_place_id, key);
  return db_insert(db, "letter_required", id, e, DB_INT(":org_id", org_id), DB_INT(":year", year),
                   DB_TEXT(":kind", kind), DB_TEXT(":signer_key", key), DB_ID_OR_NULL(":signer_org_id", signer_org_id),
                   DB_ID_OR_NULL(":signer_place_id", signer_org_id > 0 ? 0 : signer_place_id),
                   DB_ID_OR_NULL(":set_by", by), DB_TEXT(":set_at", now));
}

int store_letter_required_remove(Db *db, int64_t id, Err *e) {
  bool done;
  if (db_exists(db_query(db, "DELETE FROM letter_required WHERE id = :id RETURNING id", e, DB_INT(":id", id)), &done,
                e) != ERR_OK)
    return e->code;
  return done ? ERR_OK : err_set(e, ERR_NOT_FOUND, "记录不存在");
}

#define LN_COLS                                                                                               \
  "r.id, r.org_id, o.code, o.name, r.year, r.kind," LT_SIGNER("r") " coalesce(l.id, 0), coalesce(l.signed_date, ''),"\
  " o.path FROM letter_required r JOIN org_unit o ON o.id = r.org_id" LT_SIGNER_JOIN("r")                      \
  " LEFT JOIN letter l ON l.org_id = r.org_id AND l.year = r.year AND l.kind = r.kind AND l.signer_key = r.signer_key"

#define C(m) DB_COL(LetterNeedRow, m)
static const DbCol ln_cols[] = {
  C(id), C(org_id), C(org_code), C(org_name), C(year), C(kind), C(signer_type), C(signer_org), C(signer_place_id),
  C(signer_name), C(letter_id), C(signed_date), DB_COL_END,
};
#undef C

int store_letter_required_get(Db *db, int64_t id, LetterNeedRow *out, char *path, size_t n, Err *e) {
  memset(out, 0, sizeof *out);
  path[0] = 0;
  DbStmt *st = db_query(db, "SELECT " LN_COLS " WHERE r.id = :id", e, DB_INT(":id", id));
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    db_cols_read(out, st, 0, ln_cols);
    str_copy(path, n, db_col_text(st, 12));
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_letter_required_list(Db *db, const char *scope, int year, const char *kind, LetterNeedRow **out, int *n,
                               Err *e) {
  char end[ORG_PATH_MAX];
  store_path_bound(scope, end, sizeof end);
  return db_rows_cols(db_query(db, "SELECT " LN_COLS " WHERE o.path >= :scope AND o.path < :end AND r.year = :year"
                                   " AND (:kind = '' OR r.kind = :kind) ORDER BY o.path, r.kind, so.path, sp.name, r.id",
                               e, DB_TEXT(":scope", scope), DB_TEXT(":end", end), DB_INT(":year", year),
                               DB_TEXT(":kind", kind ? kind : "")),
                      sizeof **out, ln_cols, out, n, e);
}
