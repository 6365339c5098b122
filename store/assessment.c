/* store/assessment.c: owns the SQL of assess_set, assess_section,
 * assess_item, assess_app, assess_step, assess_mark and assess_sample (see
 * store/assessment.h). */
#include "store/assessment.h"
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/org.h"
#include "store/user.h"

/* ---- criteria sets ---------------------------------------------------------- */

static const DbCol SET_COLS[] = {
  DB_COL(AssessSetRow, id),
  DB_COL(AssessSetRow, org_id),
  DB_COL(AssessSetRow, org_path),
  DB_COL(AssessSetRow, org_name),
  DB_COL(AssessSetRow, year),
  DB_COL(AssessSetRow, title),
  DB_COL(AssessSetRow, pass_percent),
  DB_COL(AssessSetRow, sample_min),
  DB_COL(AssessSetRow, sample_max),
  DB_COL(AssessSetRow, subjects),
  DB_COL_END,
};

int store_assess_sets(Db *db, const char *scheme, AssessSetRow **out, int *n, Err *e) {
  return db_rows_cols(db_query(db,
                               "SELECT s.id, coalesce(s.org_id, 0), coalesce(o.path, ''), coalesce(o.name, ''), s.year,"
                               " s.title, s.pass_percent, s.sample_min, s.sample_max, s.subjects FROM assess_set s"
                               " LEFT JOIN org_unit o ON o.id = s.org_id WHERE s.scheme = :s ORDER BY s.year, s.id",
                               e, DB_TEXT(":s", scheme)),
                      sizeof **out, SET_COLS, out, n, e);
}

int store_assess_set_load(Db *db, int64_t id, AssessSectionDef *secs, int *nsecs, AssessItemDef *items, int *nitems,
                          Err *e) {
  static const DbCol section_cols[] = {
    DB_COL(AssessSectionDef, key),
    DB_COL(AssessSectionDef, label),
    DB_COL(AssessSectionDef, cap),
    DB_COL_END,
  };
  *nitems = 0;
  int rc = db_rows_fixed(db_query(db, "SELECT key, label, cap FROM assess_section WHERE set_id = :id ORDER BY ord", e,
                                  DB_INT(":id", id)),
                         sizeof *secs, section_cols, secs, ASSESS_SECTIONS_MAX, nsecs, e);
  if (rc != ERR_OK) return rc;
  DbStmt *st = db_query(db,
                "SELECT key, section, label, kind, measure, op, target, points, veto, empty_met FROM assess_item"
                " WHERE set_id = :id ORDER BY ord",
                e, DB_INT(":id", id));
  while ((rc = db_step(st, e)) == DB_ROW)
    if (*nitems < ASSESS_ITEMS_MAX) {
      AssessItemDef *d = &items[(*nitems)++];
      memset(d, 0, sizeof *d);
      str_copy(d->key, sizeof d->key, db_col_text(st, 0));
      str_copy(d->section, sizeof d->section, db_col_text(st, 1));
      str_copy(d->label, sizeof d->label, db_col_text(st, 2));
      if (!assess_kind_parse(db_col_text(st, 3), &d->kind)) d->kind = AK_MANUAL;
      str_copy(d->measure, sizeof d->measure, db_col_text(st, 4));
      if (!assess_op_parse(db_col_text(st, 5), &d->op)) d->op = AO_MIN;
      d->target = db_col_int(st, 6);
      d->points = (int)db_col_int(st, 7);
      d->veto = db_col_int(st, 8) != 0;
      d->empty_met = db_col_int(st, 9) != 0;
    }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_assess_set_put(Db *db, int64_t org_id, const char *scheme, int year, const char *title, int pass_percent,
                         int sample_min, int sample_max, const char *subjects, const AssessSectionDef *secs, int nsecs,
                         const AssessItemDef *items, int nitems, int64_t user_id, const char *now, bool *created,
                         Err *e) {
  int64_t old = 0;
  if (db_scalar(db_query(db, "SELECT id FROM assess_set WHERE org_id = :o AND scheme = :s AND year = :y", e,
                         DB_INT(":o", org_id), DB_TEXT(":s", scheme), DB_INT(":y", year)),
                &old, e) != ERR_OK)
    return e->code;
  *created = old == 0;
  if (old) {
    if (db_run(db_query(db, "DELETE FROM assess_item WHERE set_id = :id", e, DB_INT(":id", old)), e) != ERR_OK ||
        db_run(db_query(db, "DELETE FROM assess_section WHERE set_id = :id", e, DB_INT(":id", old)), e) != ERR_OK ||
        db_run(db_query(db, "DELETE FROM assess_set WHERE id = :id", e, DB_INT(":id", old)), e) != ERR_OK)
      return e->code;
  }
  int64_t id;
  if (db_insert(db, "assess_set", &id, e, DB_INT(":org_id", org_id), DB_TEXT(":scheme", scheme), DB_INT(":year", year),
                DB_TEXT(":title", title), DB_INT(":pass_percent", pass_percent), DB_INT(":sample_min", sample_min),
                DB_INT(":sample_max", sample_max), DB_TEXT(":subjects", subjects ? subjects : ""),
                DB_ID_OR_NULL(":set_by", user_id), DB_TEXT(":set_at", now)) != ERR_OK)
    return e->code;
  for (int i = 0; i < nsecs; i++)
    if (db_insert(db, "assess_section", NULL, e, DB_INT(":set_id", id), DB_INT(":ord", i), DB_TEXT(":key", secs[i].key),
                  DB_TEXT(":label", secs[i].label), DB_INT(":cap", secs[i].cap)) != ERR_OK)
      return e->code;
  for (int i = 0; i < nitems; i++) {
    const AssessItemDef *d = &items[i];
    if (db_insert(db, "assess_item", NULL, e, DB_INT(":set_id", id), DB_INT(":ord", i), DB_TEXT(":key", d->key),
                  DB_TEXT(":section", d->section), DB_TEXT(":label", d->label), DB_TEXT(":kind", assess_kind_code(d->kind)),
                  DB_TEXT(":measure", d->measure), DB_TEXT(":op", assess_op_code(d->op)), DB_INT(":target", d->target),
                  DB_INT(":points", d->points), DB_INT(":veto", d->veto), DB_INT(":empty_met", d->empty_met)) != ERR_OK)
      return e->code;
  }
  return ERR_OK;
}

/* ---- the rows of a year under a subtree ---------------------------------------- */

/* The rows of (scheme, year) of the units under path, by unit: select
 * (the columns of a table x with a scheme and a year, joined to its unit o;
 * no WHERE) with that filter, read with cols into *out. */
static int as_year_rows(Db *db, const char *select, const char *path, const char *scheme, int year, size_t sz,
                        const DbCol *cols, void *out, int *n, Err *e) {
  char end[300], sql[1024];
  store_path_bound(path, end, sizeof end);
  int len = snprintf(sql, sizeof sql,
                     "%s WHERE o.path >= :p AND o.path < :pe AND x.scheme = :s AND x.year = :y ORDER BY x.org_id",
                     select);
  assert(len > 0 && (size_t)len < sizeof sql);
  return db_rows_cols(db_query(db, sql, e, DB_TEXT(":p", path), DB_TEXT(":pe", end), DB_TEXT(":s", scheme),
                               DB_INT(":y", year)),
                      sz, cols, out, n, e);
}

/* ---- applications ------------------------------------------------------------- */

static const DbCol APP_COLS[] = {
  DB_COL(AssessAppRow, id),
  DB_COL(AssessAppRow, org_id),
  DB_COL(AssessAppRow, place_id),
  DB_COL(AssessAppRow, state),
  DB_COL(AssessAppRow, updated_at),
  DB_COL_END,
};

int store_assess_app_get(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, AssessAppRow *out,
                         Err *e) {
  memset(out, 0, sizeof *out);
  return db_row_cols(db_query(db,
                              "SELECT id, org_id, coalesce(place_id, 0), state, updated_at FROM assess_app"
                              " WHERE org_id = :o AND scheme = :s AND year = :y AND coalesce(place_id, 0) = :pl",
                              e, DB_INT(":o", org_id), DB_TEXT(":s", scheme), DB_INT(":y", year),
                              DB_INT(":pl", place_id)),
                     APP_COLS, out, NULL, e);
}

int store_assess_app_put(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, const char *state,
                         int64_t user_id, const char *now, int64_t *id, Err *e) {
  AssessAppRow a;
  if (store_assess_app_get(db, org_id, place_id, scheme, year, &a, e) != ERR_OK) return e->code;
  if (!a.id)
    return db_insert(db, "assess_app", id, e, DB_INT(":org_id", org_id), DB_ID_OR_NULL(":place_id", place_id),
                     DB_TEXT(":scheme", scheme),
                     DB_INT(":year", year), DB_TEXT(":state", state), DB_ID_OR_NULL(":updated_by", user_id),
                     DB_TEXT(":updated_at", now));
  *id = a.id;
  return db_run(db_query(db, "UPDATE assess_app SET state = :st, updated_by = :u, updated_at = :now WHERE id = :id", e,
                         DB_TEXT(":st", state), DB_ID_OR_NULL(":u", user_id), DB_TEXT(":now", now), DB_INT(":id", a.id)),
                e);
}

int store_assess_step_add(Db *db, int64_t app_id, const char *action, const char *state, const char *note, int score,
                          int max, const char *result, int64_t user_id, const char *now, Err *e) {
  return db_insert(db, "assess_step", NULL, e, DB_INT(":app_id", app_id), DB_TEXT(":action", action),
                   DB_TEXT(":state", state), DB_TEXT(":note", note ? note : ""), DB_INT(":score", score),
                   DB_INT(":max", max), DB_TEXT(":result", result), DB_ID_OR_NULL(":by_user", user_id),
                   DB_TEXT(":at", now));
}

static const DbCol STEP_COLS[] = {
  DB_COL(AssessStepRow, id),
  DB_COL(AssessStepRow, action),
  DB_COL(AssessStepRow, state),
  DB_COL(AssessStepRow, note),
  DB_COL(AssessStepRow, score),
  DB_COL(AssessStepRow, max),
  DB_COL(AssessStepRow, result),
  DB_COL(AssessStepRow, by),
  DB_COL(AssessStepRow, at),
  DB_COL_END,
};

int store_assess_steps(Db *db, int64_t app_id, AssessStepRow **out, int *n, Err *e) {
  return db_rows_cols(db_query(db,
                               "SELECT s.id, s.action, s.state, s.note, s.score, s.max, s.result,"
                               " " STORE_USER_SHOWN ", s.at FROM assess_step s"
                               " LEFT JOIN app_user u ON u.id = s.by_user WHERE s.app_id = :a ORDER BY s.id",
                               e, DB_INT(":a", app_id)),
                      sizeof **out, STEP_COLS, out, n, e);
}

/* ---- sign-offs and samples ------------------------------------------------------- */

static const DbCol MARK_COLS[] = {
  DB_COL(AssessMarkRow, id),
  DB_COL(AssessMarkRow, org_id),
  DB_COL(AssessMarkRow, place_id),
  DB_COL(AssessMarkRow, item_key),
  DB_COL(AssessMarkRow, met),
  DB_COL(AssessMarkRow, note),
  DB_COL(AssessMarkRow, by),
  DB_COL(AssessMarkRow, at),
  DB_COL_END,
};

typedef struct MarkUnit {
  char code[64], scheme[16];
  int year;
  int64_t place_id;
} MarkUnit;

int store_assess_mark_unit(Db *db, int64_t id, char code[64], int64_t *place_id, char scheme[16], int *year, Err *e) {
  static const DbCol cols[] = {
  DB_COL(MarkUnit, code),
  DB_COL(MarkUnit, place_id),
  DB_COL(MarkUnit, scheme),
  DB_COL(MarkUnit, year),
  DB_COL_END,
};
  MarkUnit m;
  memset(&m, 0, sizeof m);
  int rc = db_row_cols(db_query(db,
                                "SELECT o.code, coalesce(m.place_id, 0), m.scheme, m.year FROM assess_mark m JOIN org_unit o ON o.id = m.org_id"
                                " WHERE m.id = :id",
                                e, DB_INT(":id", id)),
                       cols, &m, "签核记录不存在", e);
  memcpy(code, m.code, sizeof m.code);
  memcpy(scheme, m.scheme, sizeof m.scheme);
  *year = m.year;
  *place_id = m.place_id;
  return rc;
}

int store_assess_mark_put(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, const char *item_key,
                          bool met, const char *note, int64_t user_id, const char *now, int64_t *id, Err *e) {
  if (db_run(db_query(db,
                      "DELETE FROM assess_mark WHERE org_id = :o AND scheme = :s AND year = :y AND item_key = :k"
                      " AND coalesce(place_id, 0) = :pl",
                      e, DB_INT(":o", org_id), DB_TEXT(":s", scheme), DB_INT(":y", year), DB_TEXT(":k", item_key),
                      DB_INT(":pl", place_id)),
             e) != ERR_OK)
    return e->code;
  return db_insert(db, "assess_mark", id, e, DB_INT(":org_id", org_id), DB_ID_OR_NULL(":place_id", place_id),
                   DB_TEXT(":scheme", scheme),
                   DB_INT(":year", year), DB_TEXT(":item_key", item_key), DB_INT(":met", met),
                   DB_TEXT(":note", note ? note : ""), DB_ID_OR_NULL(":signed_by", user_id), DB_TEXT(":signed_at", now));
}

static const DbCol SAMPLE_COLS[] = {
  DB_COL(AssessSampleRow, id),
  DB_COL(AssessSampleRow, org_id),
  DB_COL(AssessSampleRow, place_id),
  DB_COL(AssessSampleRow, date),
  DB_COL(AssessSampleRow, households),
  DB_COL(AssessSampleRow, records),
  DB_COL(AssessSampleRow, accurate),
  DB_COL(AssessSampleRow, complete),
  DB_COL(AssessSampleRow, note),
  DB_COL(AssessSampleRow, by),
  DB_COL(AssessSampleRow, at),
  DB_COL_END,
};

int store_assess_sample_put(Db *db, int64_t org_id, int64_t place_id, const char *scheme, int year, const char *date,
                            const AssessSample *s, const char *note, int64_t user_id, const char *now, Err *e) {
  if (db_run(db_query(db,
                      "DELETE FROM assess_sample WHERE org_id = :o AND scheme = :s AND year = :y"
                      " AND coalesce(place_id, 0) = :pl",
                      e, DB_INT(":o", org_id), DB_TEXT(":s", scheme), DB_INT(":y", year), DB_INT(":pl", place_id)),
             e) != ERR_OK)
    return e->code;
  return db_insert(db, "assess_sample", NULL, e, DB_INT(":org_id", org_id), DB_ID_OR_NULL(":place_id", place_id),
                   DB_TEXT(":scheme", scheme),
                   DB_INT(":year", year), DB_TEXT(":date", date), DB_INT(":households", s->households),
                   DB_INT(":records", s->records), DB_INT(":accurate", s->accurate), DB_INT(":complete", s->complete),
                   DB_TEXT(":note", note ? note : ""), DB_ID_OR_NULL(":entered_by", user_id),
                   DB_TEXT(":entered_at", now));
}

/* ---- a year's rows under a subtree ------------------------------------------------- */

/* The tables of AssessYearRows, each read by as_year_rows into its array
 * (rows and n: the offsets of the array pointer and of its count). */
typedef struct AsYearTable {
  const char *select;
  const DbCol *cols;
  size_t size, rows, n;
} AsYearTable;

static const AsYearTable as_year_tables[] = {
  {"SELECT x.id, x.org_id, coalesce(x.place_id, 0), x.item_key, x.met, x.note, " STORE_USER_SHOWN ", x.signed_at"
   " FROM assess_mark x JOIN org_unit o ON o.id = x.org_id LEFT JOIN app_user u ON u.id = x.signed_by",
   MARK_COLS, sizeof(AssessMarkRow), offsetof(AssessYearRows, marks), offsetof(AssessYearRows, nmarks)},
  {"SELECT x.id, x.org_id, coalesce(x.place_id, 0), x.date, x.households, x.records, x.accurate, x.complete,"
   " x.note, " STORE_USER_SHOWN ", x.entered_at FROM assess_sample x"
   " JOIN org_unit o ON o.id = x.org_id LEFT JOIN app_user u ON u.id = x.entered_by",
   SAMPLE_COLS, sizeof(AssessSampleRow), offsetof(AssessYearRows, samples), offsetof(AssessYearRows, nsamples)},
  {"SELECT x.id, x.org_id, coalesce(x.place_id, 0), x.state, x.updated_at FROM assess_app x"
   " JOIN org_unit o ON o.id = x.org_id",
   APP_COLS, sizeof(AssessAppRow), offsetof(AssessYearRows, apps), offsetof(AssessYearRows, napps)},
};

int store_assess_year(Db *db, const char *path, const char *scheme, int year, AssessYearRows *out, Err *e) {
  memset(out, 0, sizeof *out);
  int rc = ERR_OK;
  for (size_t i = 0; rc == ERR_OK && i < sizeof as_year_tables / sizeof as_year_tables[0]; i++) {
    const AsYearTable *t = &as_year_tables[i];
    rc = as_year_rows(db, t->select, path, scheme, year, t->size, t->cols, (char *)out + t->rows,
                      (int *)(void *)((char *)out + t->n), e);
  }
  return rc;
}

void store_assess_year_free(AssessYearRows *y) {
  free(y->marks);
  free(y->samples);
  free(y->apps);
  memset(y, 0, sizeof *y);
}

/* ---- the ledger rows behind a place's figures (无毒单位) ------------------------------ */

static const DbCol PLACE_LEDGER_COLS[] = {
  DB_COL(AssessPlaceLedgerRow, kind),
  DB_COL(AssessPlaceLedgerRow, place_id),
  DB_COL(AssessPlaceLedgerRow, year),
  DB_COL(AssessPlaceLedgerRow, date),
  DB_COL(AssessPlaceLedgerRow, problem),
  DB_COL(AssessPlaceLedgerRow, due),
  DB_COL(AssessPlaceLedgerRow, done),
  DB_COL_END,
};

int store_assess_place_ledger(Db *db, const char *path, int year, const char *from, const char *to, const char *d,
                              AssessPlaceLedgerRow **out, int *n, Err *e) {
  char end[300];
  store_path_bound(path, end, sizeof end);
  return db_rows_cols(
    db_query(db,
             "SELECT 'l', l.signer_place_id, l.year, l.signed_date, 0, '', '' FROM letter l"
             " JOIN place p ON p.id = l.signer_place_id JOIN org_unit o ON o.id = p.org_id"
             " WHERE o.path >= :p AND o.path < :pe AND l.year = :y"
             " UNION ALL SELECT 'a', ap.place_id, 0, a.date, 0, '', '' FROM activity_place ap"
             " JOIN activity a ON a.id = ap.activity_row JOIN place p ON p.id = ap.place_id"
             " JOIN org_unit o ON o.id = p.org_id"
             " WHERE o.path >= :p AND o.path < :pe AND a.current = 1 AND a.date >= :f AND a.date <= :t"
             " UNION ALL SELECT 'i', x.place_id, 0, x.date, x.result = 'problem_found', coalesce(x.followup_due, ''),"
             " coalesce(x.followup_done, '') FROM inspection x JOIN place p ON p.id = x.place_id"
             " JOIN org_unit o ON o.id = p.org_id WHERE o.path >= :p AND o.path < :pe AND x.date <= :d",
             e, DB_TEXT(":p", path), DB_TEXT(":pe", end), DB_INT(":y", year), DB_TEXT(":f", from), DB_TEXT(":t", to),
             DB_TEXT(":d", d)),
    sizeof **out, PLACE_LEDGER_COLS, out, n, e);
}
