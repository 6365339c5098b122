/* store/eradication.c: owns the SQL of eradication and eradication_plant
 * (see store/eradication.h). */
#include "store/eradication.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

/* The index of species code in eradication_species_codes, or -1. */
static int er_species_at(const char *code) {
  for (int i = 0; code && i < ERADICATION_SPECIES; i++)
    if (strcmp(eradication_species_codes[i], code) == 0) return i;
  return -1;
}

int store_eradication_add(Db *db, const EradicationIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO eradication (org_id, date, area_mu, methods, location, case_no, notes, created_by,"
                          " created_at) VALUES (:o, :d, :a, :m, :l, :c, :n, :u, :now) RETURNING id",
                          e);
  db_bind_int(st, ":o", in->org_id);
  db_bind_text(st, ":d", in->date);
  db_bind_int(st, ":a", in->area_mu);
  db_bind_text(st, ":m", in->methods ? in->methods : "");
  db_bind_text(st, ":l", in->location ? in->location : "");
  db_bind_text(st, ":c", in->case_no ? in->case_no : "");
  db_bind_text(st, ":n", in->notes ? in->notes : "");
  db_bind_int_or_null(st, ":u", user_id > 0, user_id);
  db_bind_text(st, ":now", now);
  if (db_insert_id(st, id, e) != ERR_OK) return e->code;
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    if (in->found[i] <= 0) continue;
    st = db_prepare(db,
                    "INSERT INTO eradication_plant (eradication_id, species, found, destroyed) VALUES (:id, :s, :f, :d)",
                    e);
    db_bind_int(st, ":id", *id);
    db_bind_text(st, ":s", eradication_species_codes[i]);
    db_bind_int(st, ":f", in->found[i]);
    db_bind_int(st, ":d", in->destroyed[i]);
    if (db_run(st, e) != ERR_OK) return e->code;
  }
  return ERR_OK;
}

#define ER_COLS                                                                                              \
  "x.id, x.org_id, o.code, o.name, o.path, x.date, x.area_mu, x.methods, x.location, x.case_no, x.notes,"    \
  " coalesce(nullif(u.display_name, ''), u.username, ''), x.created_at FROM eradication x"                   \
  " JOIN org_unit o ON o.id = x.org_id LEFT JOIN app_user u ON u.id = x.created_by"

/* Fills the EradicationRow *out from a row of ER_COLS (a DbRowRead). */
static void er_from_row(void *out, DbStmt *st) {
  EradicationRow *x = out;
  x->id = db_col_int(st, 0);
  x->org_id = db_col_int(st, 1);
  str_copy(x->org_code, sizeof x->org_code, db_col_text(st, 2));
  str_copy(x->org_name, sizeof x->org_name, db_col_text(st, 3));
  str_copy(x->org_path, sizeof x->org_path, db_col_text(st, 4));
  str_copy(x->date, sizeof x->date, db_col_text(st, 5));
  x->area_mu = db_col_int(st, 6);
  str_copy(x->methods, sizeof x->methods, db_col_text(st, 7));
  str_copy(x->location, sizeof x->location, db_col_text(st, 8));
  str_copy(x->case_no, sizeof x->case_no, db_col_text(st, 9));
  str_copy(x->notes, sizeof x->notes, db_col_text(st, 10));
  str_copy(x->created_by, sizeof x->created_by, db_col_text(st, 11));
  str_copy(x->created_at, sizeof x->created_at, db_col_text(st, 12));
}

/* Loads the plants of x. */
static int er_plants(Db *db, EradicationRow *x, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT species, found, destroyed FROM eradication_plant WHERE eradication_id = :id", e);
  if (!st) return e->code;
  db_bind_int(st, ":id", x->id);
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    int i = er_species_at(db_col_text(st, 0));
    if (i < 0) continue;
    x->found[i] = db_col_int(st, 1);
    x->destroyed[i] = db_col_int(st, 2);
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_eradication_get(Db *db, int64_t id, EradicationRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_prepare(db, "SELECT " ER_COLS " WHERE x.id = :id", e);
  db_bind_int(st, ":id", id);
  if (db_row(st, er_from_row, out, "记录不存在", e) != ERR_OK) return e->code;
  return er_plants(db, out, e);
}

/* The filter of a patrol list (its scope bound in :end). */
#define ER_WHERE                                                                                             \
  " WHERE o.path >= :scope AND o.path < :end AND (:from = '' OR x.date >= :from) AND (:to = '' OR x.date <= :to)" \
  " AND (:sp = '' OR EXISTS (SELECT 1 FROM eradication_plant q WHERE q.eradication_id = x.id"                \
  "  AND q.species = :sp AND q.found > 0))"

/* Binds f's filter (ER_WHERE) to st. */
static void er_bind_filter(DbStmt *st, const EradicationFilter *f, const char *end) {
  db_bind_text(st, ":scope", f->scope);
  db_bind_text(st, ":end", end);
  db_bind_text(st, ":from", f->from ? f->from : "");
  db_bind_text(st, ":to", f->to ? f->to : "");
  db_bind_text(st, ":sp", f->species ? f->species : "");
}

/* Fills *tot for f. */
static int er_totals(Db *db, const EradicationFilter *f, const char *end, EradicationTotals *tot, Err *e) {
  memset(tot, 0, sizeof *tot);
  DbStmt *st = db_prepare(db,
                          "SELECT count(*), coalesce(sum(x.area_mu), 0) FROM eradication x"
                          " JOIN org_unit o ON o.id = x.org_id" ER_WHERE,
                          e);
  if (!st) return e->code;
  er_bind_filter(st, f, end);
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    tot->patrols = db_col_int(st, 0);
    tot->area_mu = db_col_int(st, 1);
  }
  db_finalize(st);
  if (rc != DB_ROW && rc != DB_DONE) return rc;
  st = db_prepare(db,
                  "SELECT p.species, sum(p.found), sum(p.destroyed) FROM eradication x"
                  " JOIN org_unit o ON o.id = x.org_id JOIN eradication_plant p ON p.eradication_id = x.id" ER_WHERE
                  " GROUP BY p.species",
                  e);
  if (!st) return e->code;
  er_bind_filter(st, f, end);
  while ((rc = db_step(st, e)) == DB_ROW) {
    int i = er_species_at(db_col_text(st, 0));
    if (i < 0) continue;
    tot->found[i] = db_col_int(st, 1);
    tot->destroyed[i] = db_col_int(st, 2);
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_eradication_list(Db *db, const EradicationFilter *f, EradicationRow **out, int *n, EradicationTotals *tot,
                           Err *e) {
  *out = NULL;
  *n = 0;
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  if (er_totals(db, f, end, tot, e) != ERR_OK) return e->code;
  DbStmt *st = db_prepare(db, "SELECT " ER_COLS ER_WHERE " ORDER BY x.date DESC, x.id DESC LIMIT :lim OFFSET :off", e);
  er_bind_filter(st, f, end);
  db_bind_int(st, ":lim", f->limit);
  db_bind_int(st, ":off", f->offset);
  if (db_rows(st, sizeof **out, er_from_row, NULL, out, n, e) != ERR_OK) return e->code;
  for (int i = 0; i < *n; i++)
    if (er_plants(db, &(*out)[i], e) != ERR_OK) {
      free(*out);
      *out = NULL;
      *n = 0;
      return e->code;
    }
  return ERR_OK;
}
