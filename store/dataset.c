/* store/dataset.c: owns the SQL of data sets (see store/dataset.h). The
 * current value of a field of a period is its newest dataset_entry row:
 * "id = (SELECT max(id) ... WHERE period_id = ... AND field = ...)", one
 * lookup of the index (period_id, field, id); submits and unlocks are rows
 * of field '' in the same sequence, so the history is the rows by id.
 * Scope is the unit's path, read through org_unit. */
#include "store/dataset.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/rhythm.h"
#include "store/org.h"
#include "store/user.h"

#define M_NO_DATASET "数据集不存在"

/* Fills the DatasetDef *out (fields left to the caller) from a row of
 * name, title, period_type, level, due_days, time_agg (a DbRowRead). */
static void ds_def_from_row(void *out, DbStmt *st) {
  DatasetDef *d = out;
  str_copy(d->name, sizeof d->name, db_col_text(st, 0));
  str_copy(d->title, sizeof d->title, db_col_text(st, 1));
  if (!period_type_from_code(db_col_text(st, 2), &d->period_type)) d->period_type = PERIOD_YEAR;
  str_copy(d->level, sizeof d->level, db_col_text(st, 3));
  d->due_days = (int)db_col_int(st, 4);
  d->agg_last = strcmp(db_col_text(st, 5) ? db_col_text(st, 5) : "", "last") == 0;
}

#define DS_DEF_COLS "name, title, period_type, level, due_days, time_agg"

static const DbCol ds_field_cols[] = {
  DB_COL(DatasetField, code),
  DB_COL(DatasetField, label),
  DB_COL(DatasetField, max_field),
  DB_COL_END,
};

/* Loads the fields of d (by position). */
static int ds_fields_load(Db *db, DatasetDef *d, Err *e) {
  /* more than a set may have: not shown */
  return db_rows_fixed(db_query(db,
                                "SELECT code, label, coalesce(max_field, '') FROM dataset_field WHERE dataset = :d"
                                " ORDER BY position, code",
                                e, DB_TEXT(":d", d->name)),
                       sizeof *d->fields, ds_field_cols, d->fields, DATASET_FIELDS_MAX, &d->nfields, e);
}

int store_dataset_defs(Db *db, DatasetDef **out, int *n, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " DS_DEF_COLS " FROM dataset_def ORDER BY position, name", e);
  if (db_rows(st, sizeof **out, ds_def_from_row, NULL, out, n, e) != ERR_OK) return e->code;
  for (int i = 0; i < *n; i++)
    if (ds_fields_load(db, &(*out)[i], e) != ERR_OK) {
      free(*out);
      *out = NULL;
      *n = 0;
      return e->code;
    }
  return ERR_OK;
}

int store_dataset_def(Db *db, const char *name, DatasetDef *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_query(db, "SELECT " DS_DEF_COLS " FROM dataset_def WHERE name = :n", e, DB_TEXT(":n", name));
  if (db_row(st, ds_def_from_row, out, M_NO_DATASET, e) != ERR_OK) return e->code;
  return ds_fields_load(db, out, e);
}

void store_dataset_rules(const DatasetDef *def, DsFieldRule rules[DATASET_FIELDS_MAX]) {
  for (int i = 0; i < def->nfields; i++)
    rules[i] = (DsFieldRule){def->fields[i].code, def->fields[i].max_field[0] ? def->fields[i].max_field : NULL};
}

/* ---- periods ---------------------------------------------------------------- */

/* Fills the DatasetPeriodRow *out from id, state, changed_at, username (a DbRowRead). */
static void ds_period_from_row(void *out, DbStmt *st) {
  DatasetPeriodRow *p = out;
  p->id = db_col_int(st, 0);
  if (!ds_state_from_code(db_col_text(st, 1), &p->state)) p->state = DS_OPEN;
  str_copy(p->changed_at, sizeof p->changed_at, db_col_text(st, 2));
  str_copy(p->changed_by, sizeof p->changed_by, db_col_text(st, 3));
}

int store_dataset_period_get(Db *db, const char *dataset, int64_t org_id, const char *period, DatasetPeriodRow *out,
                             Err *e) {
  memset(out, 0, sizeof *out);
  return db_row(db_query(db,
                         "SELECT p.id, p.state, p.changed_at, " STORE_USER_SHOWN
                         " FROM dataset_period p LEFT JOIN app_user u ON u.id = p.changed_by"
                         " WHERE p.dataset = :d AND p.period = :p AND p.org_id = :o",
                         e, DB_TEXT(":d", dataset), DB_TEXT(":p", period), DB_INT(":o", org_id)),
                ds_period_from_row, out, NULL, e);
}

int store_dataset_period_ensure(Db *db, const char *dataset, int64_t org_id, const char *period, int64_t user_id,
                                const char *now, int64_t *id, Err *e) {
  DatasetPeriodRow row;
  if (store_dataset_period_get(db, dataset, org_id, period, &row, e) != ERR_OK) return e->code;
  if (row.id) {
    *id = row.id;
    return ERR_OK;
  }
  return db_insert(db, "dataset_period", id, e, DB_TEXT(":dataset", dataset), DB_INT(":org_id", org_id),
                   DB_TEXT(":period", period), DB_TEXT(":state", "open"), DB_ID_OR_NULL(":changed_by", user_id),
                   DB_TEXT(":changed_at", now));
}

int store_dataset_period_set(Db *db, int64_t id, DsState state, int64_t user_id, const char *now, Err *e) {
  return db_run(db_query(db, "UPDATE dataset_period SET state = :s, changed_by = :u, changed_at = :now WHERE id = :id",
                         e, DB_TEXT(":s", ds_state_code(state)), DB_ID_OR_NULL(":u", user_id), DB_TEXT(":now", now),
                         DB_INT(":id", id)),
                e);
}

/* The index of field code in def, or -1. */
static int ds_field_at(const DatasetDef *def, const char *code) {
  for (int i = 0; code && i < def->nfields; i++)
    if (strcmp(def->fields[i].code, code) == 0) return i;
  return -1;
}

/* The current values of a period: every field's newest row. */
#define DS_CURRENT \
  "v.field <> '' AND v.id = (SELECT max(w.id) FROM dataset_entry w WHERE w.period_id = v.period_id AND w.field = v.field)"

int store_dataset_values(Db *db, int64_t period_id, const DatasetDef *def, bool *has, int64_t *vals, Err *e) {
  for (int i = 0; i < def->nfields; i++) {
    has[i] = false;
    vals[i] = 0;
  }
  if (period_id <= 0) return ERR_OK;
  DbStmt *st = db_query(db, "SELECT v.field, v.value FROM dataset_entry v WHERE v.period_id = :p AND " DS_CURRENT, e,
                        DB_INT(":p", period_id));
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    int i = ds_field_at(def, db_col_text(st, 0));
    if (i < 0 || db_col_is_null(st, 1)) continue;
    has[i] = true;
    vals[i] = db_col_int(st, 1);
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_dataset_value_add(Db *db, int64_t period_id, const char *field, bool has, int64_t value, int64_t user_id,
                            const char *now, Err *e) {
  return db_insert(db, "dataset_entry", NULL, e, DB_INT(":period_id", period_id), DB_TEXT(":field", field),
                   DB_INT_OR_NULL(":value", has, value), DB_ID_OR_NULL(":created_by", user_id),
                   DB_TEXT(":created_at", now));
}

int store_dataset_log_add(Db *db, int64_t period_id, const char *action, const char *reason, int64_t user_id,
                          const char *now, Err *e) {
  return db_insert(db, "dataset_entry", NULL, e, DB_INT(":period_id", period_id), DB_TEXT(":action", action),
                   DB_TEXT(":reason", reason ? reason : ""), DB_ID_OR_NULL(":created_by", user_id),
                   DB_TEXT(":created_at", now));
}

static const DbCol ds_hist_cols[] = {
  DB_COL(DatasetHistRow, action),
  DB_COL(DatasetHistRow, field),
  DB_COL(DatasetHistRow, has),
  DB_COL(DatasetHistRow, value),
  DB_COL(DatasetHistRow, reason),
  DB_COL(DatasetHistRow, by),
  DB_COL(DatasetHistRow, at),
  DB_COL_END,
};

int store_dataset_history(Db *db, int64_t period_id, DatasetHistRow **out, int *n, Err *e) {
  return db_rows_cols(db_query(db,
                               "SELECT v.action, v.field, v.value IS NOT NULL, coalesce(v.value, 0), v.reason,"
                               " " STORE_USER_SHOWN ", v.created_at"
                               " FROM dataset_entry v LEFT JOIN app_user u ON u.id = v.created_by"
                               " WHERE v.period_id = :p ORDER BY v.id DESC",
                               e, DB_INT(":p", period_id)),
                      sizeof **out, ds_hist_cols, out, n, e);
}

/* ---- over a scope ------------------------------------------------------------ */

int store_dataset_scope_rows(Db *db, const DatasetDef *def, const char *scope, const char *from, const char *to,
                             DatasetUnitRow **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  DbStmt *st = db_query(db,
                        "SELECT p.id, p.org_id, p.period, p.state, v.field, v.value FROM dataset_period p"
                        " JOIN org_unit o ON o.id = p.org_id"
                        " LEFT JOIN dataset_entry v ON v.period_id = p.id AND " DS_CURRENT
                        " WHERE p.dataset = :d AND p.period >= :from AND p.period <= :to"
                        " AND o.path >= :scope AND o.path < :scope_end ORDER BY o.path, p.period",
                        e, DB_TEXT(":d", def->name), DB_TEXT(":from", from), DB_TEXT(":to", to), DB_SCOPE(scope));
  if (!st) return e->code;
  int rc, cap = 0;
  int64_t last = -1;
  while ((rc = db_step(st, e)) == DB_ROW) {
    if (db_col_int(st, 0) != last) {
      last = db_col_int(st, 0);
      *out = array_grow(*out, *n, &cap, sizeof **out);
      DatasetUnitRow *u = &(*out)[(*n)++];
      memset(u, 0, sizeof *u);
      u->org_id = db_col_int(st, 1);
      str_copy(u->period, sizeof u->period, db_col_text(st, 2));
      if (!ds_state_from_code(db_col_text(st, 3), &u->state)) u->state = DS_OPEN;
    }
    DatasetUnitRow *u = &(*out)[*n - 1];
    int i = ds_field_at(def, db_col_text(st, 4));
    if (i >= 0 && !db_col_is_null(st, 5)) {
      u->has[i] = true;
      u->vals[i] = db_col_int(st, 5);
    }
  }
  db_finalize(st);
  if (rc != DB_DONE) {
    free(*out);
    *out = NULL;
    *n = 0;
    return rc;
  }
  return ERR_OK;
}

static const DbCol ds_submitted_cols[] = {
  DB_COL(DatasetSubmitted, org_id),
  DB_COL(DatasetSubmitted, dataset),
  DB_COL(DatasetSubmitted, period),
  DB_COL_END,
};

int store_dataset_submitted(Db *db, const char *scope, DatasetSubmitted **out, int *n, Err *e) {
  return db_rows_cols(db_query(db,
                               "SELECT p.org_id, p.dataset, p.period FROM dataset_period p"
                               " JOIN org_unit o ON o.id = p.org_id WHERE p.state = 'submitted'"
                               " AND o.path >= :scope AND o.path < :scope_end ORDER BY p.org_id",
                               e, DB_SCOPE(scope)),
                      sizeof **out, ds_submitted_cols, out, n, e);
}

/* ---- the population figures of org_unit --------------------------------------- */
/* (the columns a unit row keeps, derived from the set "population") */

/* Sets the population columns of unit id: vals[i] when has[i], else NULL. */
static int ds_population_set(Db *db, int64_t id, const bool has[3], const int64_t vals[3], Err *e) {
  return db_run(db_query(db,
                         "UPDATE org_unit SET pop_registered = :r, pop_resident = :s, pop_floating = :f WHERE id = :id",
                         e, DB_INT_OR_NULL(":r", has[0], vals[0]), DB_INT_OR_NULL(":s", has[1], vals[1]),
                         DB_INT_OR_NULL(":f", has[2], vals[2]), DB_INT(":id", id)),
                e);
}

/* Sets the population columns of unit id to the sums over the communities
 * of the subtree of path. */
static int ds_population_sum(Db *db, int64_t id, const char *path, Err *e) {
  char end[ORG_PATH_MAX];
  store_path_bound(path, end, sizeof end);
  return db_run(db_query(db,
                         "UPDATE org_unit SET"
                         " pop_registered = (SELECT sum(c.pop_registered) FROM org_unit c WHERE c.level = 'community'"
                         "  AND c.path > :p AND c.path < :end),"
                         " pop_resident = (SELECT sum(c.pop_resident) FROM org_unit c WHERE c.level = 'community'"
                         "  AND c.path > :p AND c.path < :end),"
                         " pop_floating = (SELECT sum(c.pop_floating) FROM org_unit c WHERE c.level = 'community'"
                         "  AND c.path > :p AND c.path < :end)"
                         " WHERE id = :id",
                         e, DB_TEXT(":p", path), DB_TEXT(":end", end), DB_INT(":id", id)),
                e);
}

int store_dataset_population_sync(Db *db, int64_t org_id, bool ancestors, Err *e) {
  OrgUnit u;
  if (store_org_by_id(db, org_id, &u, e) != ERR_OK) return e->code;
  if (strcmp(u.level, "community") != 0) {
    if (ds_population_sum(db, u.id, u.path, e) != ERR_OK) return e->code;
  } else {
    static const char *const codes[3] = {"registered", "resident", "floating"};
    bool has[3] = {false, false, false};
    int64_t vals[3] = {0, 0, 0};
    /* the newest period with any value comes first; its values are the unit's */
    DbStmt *st = db_query(db,
                          "SELECT p.period, v.field, v.value FROM dataset_period p JOIN dataset_entry v"
                          " ON v.period_id = p.id AND " DS_CURRENT
                          " WHERE p.dataset = 'population' AND p.org_id = :o AND v.value IS NOT NULL"
                          " ORDER BY p.period DESC",
                          e, DB_INT(":o", org_id));
    if (!st) return e->code;
    int rc;
    char latest[PERIOD_TEXT_LEN] = "";
    while ((rc = db_step(st, e)) == DB_ROW) {
      const char *period = db_col_text(st, 0) ? db_col_text(st, 0) : "";
      if (!latest[0]) str_copy(latest, sizeof latest, period);
      else if (strcmp(latest, period) != 0) continue;
      for (int i = 0; i < 3; i++)
        if (strcmp(codes[i], db_col_text(st, 1) ? db_col_text(st, 1) : "") == 0) {
          has[i] = true;
          vals[i] = db_col_int(st, 2);
        }
    }
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    if (ds_population_set(db, org_id, has, vals, e) != ERR_OK) return e->code;
  }
  if (!ancestors) return ERR_OK;
  int64_t chain[RHYTHM_DEPTH_MAX];
  int depth = rhythm_path_chain(u.path, chain, RHYTHM_DEPTH_MAX);
  for (int d = depth - 2; d >= 0; d--) { /* the nearest first: the parent, then up */
    OrgUnit a;
    if (store_org_by_id(db, chain[d], &a, e) != ERR_OK || ds_population_sum(db, a.id, a.path, e) != ERR_OK)
      return e->code;
  }
  return ERR_OK;
}

int store_dataset_population_put(Db *db, int64_t org_id, const char *period, const int64_t vals[3], const char *now,
                                 Err *e) {
  static const char *const codes[3] = {"registered", "resident", "floating"};
  int64_t id;
  if (store_dataset_period_ensure(db, DATASET_POPULATION, org_id, period, 0, now, &id, e) != ERR_OK) return e->code;
  for (int i = 0; i < 3; i++)
    if (store_dataset_value_add(db, id, codes[i], vals[i] >= 0, vals[i], 0, now, e) != ERR_OK) return e->code;
  return store_dataset_population_sync(db, org_id, false, e);
}
