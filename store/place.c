/* store/place.c: owns the SQL of place (see store/place.h). */
#include "store/place.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/user.h"

/* The text s, "" for NULL. */
static const char *pl_s(const char *s) { return s ? s : ""; }

int store_place_add(Db *db, const PlaceIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  return db_insert(db, "place", id, e, DB_INT(":org_id", in->org_id), DB_TEXT(":kind", in->kind),
                   DB_TEXT(":name", pl_s(in->name)), DB_TEXT(":address", pl_s(in->address)),
                   DB_TEXT(":contact", pl_s(in->contact)), DB_TEXT(":phone", pl_s(in->phone)),
                   DB_TEXT(":category", pl_s(in->category)), DB_TEXT(":licence_no", pl_s(in->licence_no)),
                   DB_TEXT(":notes", pl_s(in->notes)), DB_ID_OR_NULL(":created_by", user_id),
                   DB_TEXT(":created_at", now));
}

int store_place_update(Db *db, int64_t id, const PlaceIn *in, Err *e) {
  return db_run(db_query(db, "UPDATE place SET org_id = :o, kind = :k, name = :n, address = :a, contact = :c,"
                             " phone = :p, category = :cat, licence_no = :l, notes = :notes WHERE id = :id", e,
                         DB_INT(":o", in->org_id), DB_TEXT(":k", in->kind), DB_TEXT(":n", pl_s(in->name)),
                         DB_TEXT(":a", pl_s(in->address)), DB_TEXT(":c", pl_s(in->contact)),
                         DB_TEXT(":p", pl_s(in->phone)), DB_TEXT(":cat", pl_s(in->category)),
                         DB_TEXT(":l", pl_s(in->licence_no)), DB_TEXT(":notes", pl_s(in->notes)), DB_INT(":id", id)),
                e);
}

#define PL_COLS                                                                                               \
  "x.id, x.org_id, o.code, o.name, o.path, x.kind, x.name, x.address, x.contact, x.phone, x.category,"       \
  " x.licence_no, x.notes, x.active, coalesce(x.deactivated_at, ''), x.deactivate_reason,"                    \
  " " STORE_USER_SHOWN ", x.created_at FROM place x"                                                          \
  " JOIN org_unit o ON o.id = x.org_id LEFT JOIN app_user u ON u.id = x.created_by"

#define C(m) DB_COL(PlaceRow, m)
static const DbCol pl_cols[] = {
  C(id), C(org_id), C(org_code), C(org_name), C(org_path), C(kind), C(name), C(address), C(contact), C(phone),
  C(category), C(licence_no), C(notes), C(active), C(deactivated_at), C(deactivate_reason), C(created_by),
  C(created_at), DB_COL_END,
};
#undef C

int store_place_get(Db *db, int64_t id, PlaceRow *out, Err *e) {
  return db_get_cols(db, "SELECT " PL_COLS " WHERE x.id = :id", id, pl_cols, out, sizeof *out, e);
}

void store_place_free(PlaceRow *p) { db_cols_drop(p, pl_cols); }

int store_place_deactivate(Db *db, int64_t id, int64_t by, const char *now, const char *reason, Err *e) {
  bool done;
  if (db_exists(db_query(db, "UPDATE place SET active = 0, deactivated_by = :by, deactivated_at = :now,"
                             " deactivate_reason = :reason WHERE id = :id AND active = 1 RETURNING id", e,
                         DB_ID_OR_NULL(":by", by), DB_TEXT(":now", now), DB_TEXT(":reason", reason), DB_INT(":id", id)),
                &done, e) != ERR_OK)
    return e->code;
  return done ? ERR_OK : err_set(e, ERR_CONFLICT, "该场所或单位已停用");
}

#define PL_WHERE                                                                                              \
  " WHERE o.path >= :scope AND o.path < :end AND (:kind = '' OR x.kind = :kind)"                             \
  " AND (:active < 0 OR x.active = :active) AND (:q = '' OR x.name LIKE :like ESCAPE '!')"

int store_place_list(Db *db, const PlaceFilter *f, PlaceRow **out, int *n, int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  Buf like = BUF_INIT; /* %q% with the pattern characters escaped */
  buf_putc(&like, '%');
  for (const char *p = pl_s(f->q); *p; p++) {
    if (*p == '%' || *p == '_' || *p == '!') buf_putc(&like, '!');
    buf_putc(&like, *p);
  }
  buf_putc(&like, '%');
#define PL_VALS                                                                                               \
  DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_TEXT(":kind", pl_s(f->kind)), DB_INT(":active", f->active), \
      DB_TEXT(":q", pl_s(f->q)), DB_TEXT(":like", buf_str(&like))
  int rc = db_scalar(db_query(db, "SELECT count(*) FROM place x JOIN org_unit o ON o.id = x.org_id" PL_WHERE, e,
                              PL_VALS), total, e);
  if (rc == ERR_OK)
    rc = db_rows_each(db_query(db, "SELECT " PL_COLS PL_WHERE " ORDER BY o.path, x.kind, x.name, x.id"
                                   " LIMIT :lim OFFSET :off", e, PL_VALS, DB_INT(":lim", f->limit),
                               DB_INT(":off", f->offset)),
                      sizeof **out, pl_cols, f->each, out, n, e);
#undef PL_VALS
  buf_reset(&like);
  return rc;
}

void store_place_rows_free(PlaceRow *rows, int n) { db_rows_free_cols(rows, n, sizeof *rows, pl_cols); }
