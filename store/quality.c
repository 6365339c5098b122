/* store/quality.c: owns the reads of the data-quality check (see
 * store/quality.h). */
#include "store/quality.h"
#include "store/org.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define QF_SELECT \
  "SELECT p.id, p.org_id, p.name, p.sex, p.id_number, p.birth_date, p.phone, p.household_address," \
  " p.residence_address, p.drug_types, coalesce(p.first_found_date, ''), p.status," \
  " (SELECT count(*) FROM help_member h WHERE h.person_id = p.id AND h.removed_at IS NULL)," \
  " (SELECT count(*) FROM person_document d WHERE d.person_id = p.id AND d.kind = 'agreement')" \
  " FROM person p WHERE p.org_path >= :scope AND p.org_path < :scope_end ORDER BY p.id"

static const DbCol qf_cols[] = {
  DB_COL(QualityFileRow, id),
  DB_COL(QualityFileRow, org_id),
  DB_COL(QualityFileRow, name),
  DB_COL(QualityFileRow, sex),
  DB_COL(QualityFileRow, id_number),
  DB_COL(QualityFileRow, birth_date),
  DB_COL(QualityFileRow, phone),
  DB_COL(QualityFileRow, household_address),
  DB_COL(QualityFileRow, residence_address),
  DB_COL(QualityFileRow, drug_types),
  DB_COL(QualityFileRow, first_found_date),
  DB_COL(QualityFileRow, status),
  DB_COL(QualityFileRow, team),
  DB_COL(QualityFileRow, agreements),
  DB_COL_END,
};

#define QE_SELECT \
  "SELECT s.person_id, s.id, coalesce(s.corrects_id, 0), s.status," \
  " coalesce(s.decision_date, ''), coalesce(s.start_date, '')" \
  " FROM status_episode s JOIN person p ON p.id = s.person_id" \
  " WHERE p.org_path >= :scope AND p.org_path < :scope_end ORDER BY s.person_id, s.id"

static const DbCol qe_cols[] = {
  DB_COL(QualityEpisodeRow, person_id),
  DB_COL(QualityEpisodeRow, id),
  DB_COL(QualityEpisodeRow, corrects_id),
  DB_COL(QualityEpisodeRow, status),
  DB_COL(QualityEpisodeRow, decision_date),
  DB_COL(QualityEpisodeRow, start_date),
  DB_COL_END,
};

#define QC_SELECT \
  "SELECT v.person_id, v.date FROM visit v JOIN person p ON p.id = v.person_id" \
  " WHERE p.org_path >= :scope AND p.org_path < :scope_end" \
  " AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id)" \
  " UNION ALL SELECT t.person_id, t.date FROM drug_test t JOIN person p ON p.id = t.person_id" \
  " WHERE p.org_path >= :scope AND p.org_path < :scope_end" \
  " AND NOT EXISTS (SELECT 1 FROM drug_test c WHERE c.corrects_id = t.id)" \
  " ORDER BY 1"

static const DbCol qc_cols[] = {
  DB_COL(QualityContactRow, person_id),
  DB_COL_DAY(QualityContactRow, day),
  DB_COL_END,
};

/* The three reads: each a SELECT of the records of the persons in the
 * subtree (:scope, :scope_end), its columns, and where in QualityData its
 * array and count go. */
static const struct {
  const char *sql;
  const DbCol *cols;
  size_t size, items, n;
} qu_reads[] = {
  {QF_SELECT, qf_cols, sizeof(QualityFileRow), offsetof(QualityData, files), offsetof(QualityData, nfiles)},
  {QE_SELECT, qe_cols, sizeof(QualityEpisodeRow), offsetof(QualityData, eps), offsetof(QualityData, neps)},
  {QC_SELECT, qc_cols, sizeof(QualityContactRow), offsetof(QualityData, contacts), offsetof(QualityData, ncontacts)},
};

int store_quality_read(Db *db, const char *scope, QualityData *out, Err *e) {
  memset(out, 0, sizeof *out);
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  for (size_t i = 0; i < sizeof qu_reads / sizeof *qu_reads; i++) {
    DbStmt *st = db_query(db, qu_reads[i].sql, e, DB_TEXT(":scope", scope), DB_TEXT(":scope_end", bound));
    if (db_rows_cols(st, qu_reads[i].size, qu_reads[i].cols, (char *)out + qu_reads[i].items,
                     (int *)((char *)out + qu_reads[i].n), e) != ERR_OK) {
      store_quality_free(out);
      return e->code;
    }
  }
  return ERR_OK;
}

void store_quality_free(QualityData *d) {
  db_rows_free_cols(d->files, d->nfiles, sizeof *d->files, qf_cols);
  free(d->eps);
  free(d->contacts);
  memset(d, 0, sizeof *d);
}
