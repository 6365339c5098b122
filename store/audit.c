/* store/audit.c: owns the SQL of the audit log and its chain head (see
 * store/audit.h). */
#include "store/audit.h"
#include "core/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_COLS "id, at, actor_id, actor, address, action, entity, entity_id, org_path, detail, prev_hash, hash"

/* The columns of AUDIT_COLS as borrowed text, in order (a NULL id reads 0). */
static const DbCol audit_rec_cols[] = {
  DB_COL(AuditRec, id),
  DB_COL(AuditRec, at),
  DB_COL(AuditRec, actor_id),
  DB_COL(AuditRec, actor),
  DB_COL(AuditRec, address),
  DB_COL(AuditRec, action),
  DB_COL(AuditRec, entity),
  DB_COL(AuditRec, entity_id),
  DB_COL(AuditRec, org_path),
  DB_COL(AuditRec, detail),
  DB_COL(AuditRec, prev_hash),
  DB_COL(AuditRec, hash),
  DB_COL_END,
};

/* The columns of the list: AUDIT_COLS copied, then the display columns
 * (actor's name, the entity's name and unit path). */
static const DbCol audit_row_cols[] = {
  DB_COL(AuditRow, id),
  DB_COL(AuditRow, at),
  DB_COL(AuditRow, actor_id),
  DB_COL(AuditRow, actor),
  DB_COL(AuditRow, address),
  DB_COL(AuditRow, action),
  DB_COL(AuditRow, entity),
  DB_COL(AuditRow, entity_id),
  DB_COL(AuditRow, org_path),
  DB_COL(AuditRow, detail),
  DB_COL(AuditRow, prev_hash),
  DB_COL(AuditRow, hash),
  DB_COL(AuditRow, actor_name),
  DB_COL(AuditRow, entity_name),
  DB_COL(AuditRow, entity_path),
  DB_COL_END,
};

/* The filters of a listing, shared by the page and the count query. */
/* The filters after the scope's ranges (see audit_where). */
#define AUDIT_FILTERS                                                                        \
  " AND (:entity IS NULL OR entity = :entity)"                                             \
  " AND (:actor IS NULL OR actor = :actor)"                                                \
  " AND (:from IS NULL OR (at >= :from AND at < :to))"                                     \
  " AND (:person IS NULL OR (entity = 'person' AND entity_id = :person))"                  \
  " AND (:pname IS NULL OR (entity = 'person' AND entity_id IN (SELECT id FROM person"     \
  "   WHERE name >= :pname AND name < :pname_end AND org_path >= :scope AND org_path < :bound)))"

/* The old paths the audit list of a scope also reads (a unit's rows keep
 * the path they were written under): at most this many, the most recent
 * moves first. */
#define AUDIT_MOVED_MAX 200

/* The earlier paths of what now lies in [scope, bound): the old path of
 * each unit moved into the scope, and, when the scope itself (or a unit
 * above it) was moved, where the scope was before. Into old[] (each
 * ORG_PATH_MAX), *n of them. */
static int audit_moved_into(Db *db, const char *scope, const char *bound, char old[][ORG_PATH_MAX], int *n, Err *e) {
  *n = 0;
  DbStmt *st = db_query(db, "SELECT old_path FROM org_move WHERE new_path >= :scope AND new_path < :bound"
                            " UNION ALL"
                            " SELECT old_path || substr(:scope, length(new_path) + 1) FROM org_move"
                            " WHERE new_path < :scope AND substr(:scope, 1, length(new_path)) = new_path"
                            " LIMIT :max", e,
                        DB_TEXT(":scope", scope), DB_TEXT(":bound", bound), DB_INT(":max", AUDIT_MOVED_MAX));
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    const char *p = db_col_text(st, 0);
    if (p && strlen(p) < ORG_PATH_MAX) str_copy(old[(*n)++], ORG_PATH_MAX, p);
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

/* " WHERE (the scope's range OR the old ranges of units moved into it)"
 * and the filters, into w; the ranges' parameters are :scope/:bound and
 * :o<i>/:b<i>. */
static void audit_where(Buf *w, int nmoved) {
  buf_puts(w, " WHERE ((org_path >= :scope AND org_path < :bound)");
  for (int i = 0; i < nmoved; i++) buf_printf(w, " OR (org_path >= :o%d AND org_path < :b%d)", i, i);
  buf_puts(w, ")" AUDIT_FILTERS);
}

int store_audit_head_get(Db *db, AuditHead *out, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT last_id, last_hash, row_count FROM audit_head WHERE one = 1", e);
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    memset(out, 0, sizeof *out);
    out->last_id = db_col_int(st, 0);
    str_copy(out->last_hash, sizeof out->last_hash, db_col_text(st, 1));
    out->row_count = db_col_int(st, 2);
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_INTERNAL, "审计日志头记录缺失");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_audit_head_set(Db *db, const AuditHead *head, Err *e) {
  DbStmt *st = db_query(db, "UPDATE audit_head SET last_id = :id, last_hash = :hash, row_count = :count "
                            "WHERE one = 1 RETURNING one", e,
                        DB_INT(":id", head->last_id), DB_TEXT(":hash", head->last_hash),
                        DB_INT(":count", head->row_count));
  bool updated;
  ErrCode rc = db_exists(st, &updated, e);
  if (rc == ERR_OK && !updated) return err_set(e, ERR_INTERNAL, "审计日志头记录缺失");
  return rc;
}

int store_audit_max_id(Db *db, int64_t *out, Err *e) {
  return db_scalar(db_prepare(db, "SELECT coalesce(max(id), 0) FROM audit_log", e), out, e);
}

int store_audit_insert(Db *db, const AuditRec *r, Err *e) {
  DbStmt *st = db_query(db, "INSERT INTO audit_log(" AUDIT_COLS ") VALUES (:id, :at, :actor_id, :actor, :address, "
                            ":action, :entity, :entity_id, :org_path, :detail, :prev_hash, :hash)", e,
                        DB_INT(":id", r->id), DB_TEXT(":at", r->at ? r->at : ""),
                        DB_INT_OR_NULL(":actor_id", r->has_actor_id, r->actor_id),
                        DB_TEXT(":actor", r->actor ? r->actor : ""), DB_TEXT(":address", r->address ? r->address : ""),
                        DB_TEXT(":action", r->action ? r->action : ""), DB_TEXT(":entity", r->entity ? r->entity : ""),
                        DB_INT_OR_NULL(":entity_id", r->has_entity_id, r->entity_id),
                        DB_TEXT(":org_path", r->org_path ? r->org_path : ""),
                        DB_TEXT(":detail", r->detail ? r->detail : ""),
                        DB_TEXT(":prev_hash", r->prev_hash ? r->prev_hash : ""),
                        DB_TEXT(":hash", r->hash ? r->hash : ""));
  return db_run(st, e);
}

/* Reads the current row of a statement selecting AUDIT_COLS as borrowed text. */
static void audit_rec_from_row(DbStmt *st, AuditRec *r) {
  memset(r, 0, sizeof *r);
  db_cols_read(r, st, 0, audit_rec_cols);
  r->has_actor_id = !db_col_is_null(st, 2);
  r->has_entity_id = !db_col_is_null(st, 7);
}

int store_audit_each(Db *db, int (*fn)(void *arg, const AuditRec *r), void *arg, Err *e) {
  return store_audit_each_upto(db, INT64_MAX, fn, arg, e);
}

int store_audit_each_upto(Db *db, int64_t last_id, int (*fn)(void *arg, const AuditRec *r), void *arg, Err *e) {
  DbStmt *st = db_query(db, "SELECT " AUDIT_COLS " FROM audit_log WHERE id <= :last ORDER BY id", e,
                        DB_INT(":last", last_id));
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    AuditRec r;
    audit_rec_from_row(st, &r);
    if (fn(arg, &r) != 0) break;
  }
  db_finalize(st);
  return rc == DB_ROW || rc == DB_DONE ? ERR_OK : rc; /* (a row: fn stopped the walk) */
}

/* Binds the filters of AUDIT_WHERE. */
static void audit_bind_filters(DbStmt *st, const char *scope, const char *bound, char moved[][ORG_PATH_MAX],
                               int nmoved, const AuditQuery *q, const char *from, const char *to) {
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":bound", bound);
  for (int i = 0; i < nmoved; i++) {
    char name[16], mb[ORG_PATH_MAX];
    snprintf(name, sizeof name, ":o%d", i);
    db_bind_text(st, name, moved[i]);
    store_path_bound(moved[i], mb, sizeof mb);
    snprintf(name, sizeof name, ":b%d", i);
    db_bind_text(st, name, mb);
  }
  db_bind_text_or_null(st, ":entity", q->entity);
  db_bind_text_or_null(st, ":actor", q->actor);
  db_bind_text_or_null(st, ":from", from);
  db_bind_text(st, ":to", to);
  db_bind_int_or_null(st, ":person", q->person_id > 0, q->person_id);
  /* a name prefix is the range [prefix, prefix + the largest character) */
  char end[200] = "";
  if (q->person_name && *q->person_name && strlen(q->person_name) < sizeof end - 4)
    snprintf(end, sizeof end, "%s\xf4\x8f\xbf\xbf", q->person_name);
  db_bind_text_or_null(st, ":pname", end[0] ? q->person_name : NULL);
  db_bind_text(st, ":pname_end", end);
}

int store_audit_list(Db *db, const char *scope, const AuditQuery *query, int limit, int64_t offset, AuditRow **rows,
                     int *n, int64_t *total, Err *e) {
  static const AuditQuery none;
  const AuditQuery *q = query ? query : &none;
  const char *at_prefix = q->at_prefix;
  *rows = NULL;
  *n = 0;
  *total = 0;
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  /* A time prefix is the range [prefix, prefix + "~"): '~' sorts after every
   * character of an ISO timestamp. */
  char from[40] = "", to[44] = "";
  if (at_prefix && *at_prefix) {
    str_copy(from, sizeof from, at_prefix);
    size_t fl = strlen(from);
    memcpy(to, from, fl);
    to[fl] = '~';
    to[fl + 1] = 0;
  }

  char (*moved)[ORG_PATH_MAX] = malloc(sizeof *moved * AUDIT_MOVED_MAX);
  if (!moved) abort();
  int nmoved = 0;
  if (audit_moved_into(db, scope, bound, moved, &nmoved, e) != ERR_OK) {
    free(moved);
    return e->code;
  }
  Buf where = BUF_INIT, sql = BUF_INIT;
  audit_where(&where, nmoved);
  buf_printf(&sql, "SELECT count(*) FROM audit_log%s", buf_str(&where));
  DbStmt *st = db_prepare(db, buf_str(&sql), e);
  int64_t count = 0;
  if (st) {
    audit_bind_filters(st, scope, bound, moved, nmoved, q, from, to);
    ErrCode crc = db_scalar(st, &count, e);
    buf_clear(&sql);
    /* the page of rows, then the names of who and what (joined to the page only) */
    buf_printf(&sql,
               "SELECT x.*, u.display_name, coalesce(p.name, eu.display_name, o.name), p.org_path FROM"
               " (SELECT " AUDIT_COLS " FROM audit_log%s ORDER BY id DESC LIMIT :limit OFFSET :offset) x"
               " LEFT JOIN app_user u ON u.id = x.actor_id"
               " LEFT JOIN person p ON x.entity = 'person' AND p.id = x.entity_id"
               " LEFT JOIN app_user eu ON x.entity = 'user' AND eu.id = x.entity_id"
               " LEFT JOIN org_unit o ON x.entity = 'org' AND o.id = x.entity_id"
               " ORDER BY x.id DESC",
               buf_str(&where));
    st = crc != ERR_OK ? NULL : db_prepare(db, buf_str(&sql), e);
  }
  buf_reset(&where);
  buf_reset(&sql);
  if (st) audit_bind_filters(st, scope, bound, moved, nmoved, q, from, to); /* (binds copy) */
  free(moved);
  db_bind_int(st, ":limit", limit > 0 ? limit : 0);
  db_bind_int(st, ":offset", offset > 0 ? offset : 0);
  if (db_rows_cols(st, sizeof **rows, audit_row_cols, rows, n, e) != ERR_OK) return e->code;
  *total = count;
  return ERR_OK;
}

/* ---- archives ------------------------------------------------------------ */

int store_audit_archive_cut(Db *db, const char *before, int64_t *last_id, Err *e) {
  /* the rows before the first row dated on or after `before` */
  int64_t first_new = 0, max_id = 0;
  if (db_scalar(db_query(db, "SELECT coalesce(min(id), 0) FROM audit_log WHERE at >= :before", e,
                         DB_TEXT(":before", before)), &first_new, e) != ERR_OK ||
      store_audit_max_id(db, &max_id, e) != ERR_OK)
    return e->code;
  *last_id = first_new ? first_new - 1 : max_id;
  return ERR_OK;
}

int store_audit_delete_upto(Db *db, int64_t last_id, Err *e) {
  return db_run(db_query(db, "DELETE FROM audit_log WHERE id <= :last", e, DB_INT(":last", last_id)), e);
}

static const DbCol audit_archive_cols[] = {
  DB_COL(AuditArchive, id),
  DB_COL(AuditArchive, file),
  DB_COL(AuditArchive, before),
  DB_COL(AuditArchive, first_id),
  DB_COL(AuditArchive, last_id),
  DB_COL(AuditArchive, row_count),
  DB_COL(AuditArchive, first_prev_hash),
  DB_COL(AuditArchive, last_hash),
  DB_COL(AuditArchive, file_hash),
  DB_COL(AuditArchive, archived_at),
  DB_COL_END,
};

int store_audit_archive_add(Db *db, const AuditArchive *a, Err *e) {
  return db_insert(db, "audit_archive", NULL, e, DB_TEXT(":file", a->file), DB_TEXT(":before", a->before),
                   DB_INT(":first_id", a->first_id), DB_INT(":last_id", a->last_id), DB_INT(":row_count", a->row_count),
                   DB_TEXT(":first_prev_hash", a->first_prev_hash), DB_TEXT(":last_hash", a->last_hash),
                   DB_TEXT(":file_hash", a->file_hash), DB_TEXT(":archived_at", a->archived_at));
}

int store_audit_archives(Db *db, AuditArchive **items, int *n, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT id, file, before, first_id, last_id, row_count, first_prev_hash, last_hash,"
                              " file_hash, archived_at FROM audit_archive ORDER BY first_id", e);
  return db_rows_cols(st, sizeof **items, audit_archive_cols, items, n, e);
}
