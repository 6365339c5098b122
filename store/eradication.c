/* store/eradication.c: owns the SQL of eradication and eradication_plant
 * (see store/eradication.h). */
#include "store/eradication.h"
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "store/user.h"

/* The index of species code in eradication_species_vocab, or -1. */
static int er_species_at(const char *code) { return unit_term_index(eradication_species_vocab, code); }

int store_eradication_add(Db *db, const EradicationIn *in, int64_t user_id, const char *now, int64_t *id, Err *e) {
  if (db_insert(db, "eradication", id, e, DB_INT(":org_id", in->org_id), DB_TEXT(":date", in->date),
                DB_INT(":area_mu", in->area_mu), DB_TEXT(":methods", in->methods ? in->methods : ""),
                DB_TEXT(":location", in->location ? in->location : ""),
                DB_TEXT(":case_no", in->case_no ? in->case_no : ""), DB_TEXT(":notes", in->notes ? in->notes : ""),
                DB_ID_OR_NULL(":created_by", user_id), DB_TEXT(":created_at", now)) != ERR_OK)
    return e->code;
  for (int i = 0; i < ERADICATION_SPECIES; i++)
    if (in->found[i] > 0 &&
        db_insert(db, "eradication_plant", NULL, e, DB_INT(":eradication_id", *id),
                  DB_TEXT(":species", eradication_species_vocab[i].code), DB_INT(":found", in->found[i]),
                  DB_INT(":destroyed", in->destroyed[i])) != ERR_OK)
      return e->code;
  return ERR_OK;
}

#define ER_COLS                                                                                              \
  "x.id, x.org_id, o.code, o.name, o.path, x.date, x.area_mu, x.methods, x.location, x.case_no, x.notes,"    \
  " " STORE_USER_SHOWN ", x.created_at FROM eradication x"                                                   \
  " JOIN org_unit o ON o.id = x.org_id LEFT JOIN app_user u ON u.id = x.created_by"

#define C(m) DB_COL(EradicationRow, m)
static const DbCol er_cols[] = {
  C(id), C(org_id), C(org_code), C(org_name), C(org_path), C(date), C(area_mu), C(methods), C(location), C(case_no),
  C(notes), C(created_by), C(created_at), DB_COL_END,
};
#undef C

/* Steps st, whose rows are (species, found, destroyed), adding each
 * species' counts into found[] and destroyed[] (indexed as
 * eradication_species_vocab; an unknown species is passed over); finalizes
 * st (NULL: the prepare's error). */
static int er_species_rows(DbStmt *st, int64_t *found, int64_t *destroyed, Err *e) {
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    int i = er_species_at(db_col_text(st, 0));
    if (i < 0) continue;
    found[i] = db_col_int(st, 1);
    destroyed[i] = db_col_int(st, 2);
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

/* Loads the plants of the patrol rec (an EradicationRow; void *: a
 * DbEachMore's more). */
static ErrCode er_plants(Db *db, void *rec, Err *e) {
  EradicationRow *x = rec;
  return er_species_rows(db_query(db, "SELECT species, found, destroyed FROM eradication_plant"
                                      " WHERE eradication_id = :id", e, DB_INT(":id", x->id)),
                         x->found, x->destroyed, e);
}

int store_eradication_get(Db *db, int64_t id, EradicationRow *out, Err *e) {
  if (db_get_cols(db, "SELECT " ER_COLS " WHERE x.id = :id", id, er_cols, out, sizeof *out, e) != ERR_OK)
    return e->code;
  return er_plants(db, out, e);
}

/* The filter of a patrol list (its scope bound in :end) and its values
 * (ER_VALS, where f and end are in scope). */
#define ER_WHERE                                                                                             \
  " WHERE o.path >= :scope AND o.path < :end AND (:from = '' OR x.date >= :from) AND (:to = '' OR x.date <= :to)" \
  " AND (:sp = '' OR EXISTS (SELECT 1 FROM eradication_plant q WHERE q.eradication_id = x.id"                \
  "  AND q.species = :sp AND q.found > 0))"
#define ER_VALS                                                                                              \
  DB_TEXT(":scope", f->scope), DB_TEXT(":end", end), DB_TEXT(":from", f->from ? f->from : ""),               \
      DB_TEXT(":to", f->to ? f->to : ""), DB_TEXT(":sp", f->species ? f->species : "")

static const DbCol er_totals_cols[] = {
  DB_COL(EradicationTotals, patrols),
  DB_COL(EradicationTotals, area_mu),
  DB_COL_END,
};

/* Fills *tot for f. */
static int er_totals(Db *db, const EradicationFilter *f, const char *end, EradicationTotals *tot, Err *e) {
  memset(tot, 0, sizeof *tot);
  if (db_row_cols(db_query(db, "SELECT count(*), coalesce(sum(x.area_mu), 0) FROM eradication x"
                               " JOIN org_unit o ON o.id = x.org_id" ER_WHERE, e, ER_VALS),
                  er_totals_cols, tot, NULL, e) != ERR_OK)
    return e->code;
  return er_species_rows(db_query(db, "SELECT p.species, sum(p.found), sum(p.destroyed) FROM eradication x"
                                      " JOIN org_unit o ON o.id = x.org_id"
                                      " JOIN eradication_plant p ON p.eradication_id = x.id" ER_WHERE
                                      " GROUP BY p.species", e, ER_VALS),
                         tot->found, tot->destroyed, e);
}

int store_eradication_list(Db *db, const EradicationFilter *f, EradicationRow **out, int *n, EradicationTotals *tot,
                           Err *e) {
  *out = NULL;
  *n = 0;
  char end[ORG_PATH_MAX];
  store_path_bound(f->scope, end, sizeof end);
  if (er_totals(db, f, end, tot, e) != ERR_OK) return e->code;
  DbStmt *st = db_query(db, "SELECT " ER_COLS ER_WHERE " ORDER BY x.date DESC, x.id DESC LIMIT :lim OFFSET :off", e,
                        ER_VALS, DB_INT(":lim", f->limit), DB_INT(":off", f->offset));
  if (f->each) { /* each patrol with its plants, one at a time */
    DbEachMore m;
    return db_rows_each(st, sizeof **out, er_cols, db_each_more(&m, db, er_plants, NULL, f->each), out, n, e);
  }
  if (db_rows_cols(st, sizeof **out, er_cols, out, n, e) != ERR_OK) return e->code;
  for (int i = 0; i < *n; i++)
    if (er_plants(db, &(*out)[i], e) != ERR_OK) {
      free(*out);
      *out = NULL;
      *n = 0;
      return e->code;
    }
  return ERR_OK;
}
