/* store/quality.c: owns the reads of the data-quality check (see
 * store/quality.h). */
#include "store/quality.h"
#include "store/org.h"

static const DbCol qf_cols[] = {
  DB_COL(QualityFileRow, id),         DB_COL(QualityFileRow, org_id),
  DB_COL(QualityFileRow, name),       DB_COL(QualityFileRow, sex),
  DB_COL(QualityFileRow, id_number),  DB_COL(QualityFileRow, birth_date),
  DB_COL(QualityFileRow, phone),      DB_COL(QualityFileRow, household_address),
  DB_COL(QualityFileRow, residence_address), DB_COL(QualityFileRow, drug_types),
  DB_COL(QualityFileRow, first_found_date),  DB_COL(QualityFileRow, status),
  DB_COL(QualityFileRow, team),       DB_COL(QualityFileRow, agreements),
  DB_COL_END,
};

int store_quality_files(Db *db, const char *scope, QualityFileRow **out, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  return db_rows_cols(
      db_query(db,
               "SELECT p.id, p.org_id, p.name, p.sex, p.id_number, p.birth_date, p.phone, p.household_address,"
               " p.residence_address, p.drug_types, coalesce(p.first_found_date, ''), p.status,"
               " (SELECT count(*) FROM help_member h WHERE h.person_id = p.id AND h.removed_at IS NULL),"
               " (SELECT count(*) FROM person_document d WHERE d.person_id = p.id AND d.kind = 'agreement')"
               " FROM person p WHERE p.org_path >= :scope AND p.org_path < :scope_end ORDER BY p.id",
               e, DB_TEXT(":scope", scope), DB_TEXT(":scope_end", bound)),
      sizeof **out, qf_cols, out, n, e);
}

void store_quality_files_free(QualityFileRow *rows, int n) { db_rows_free_cols(rows, n, sizeof *rows, qf_cols); }

static const DbCol qe_cols[] = {
  DB_COL(QualityEpisodeRow, person_id),     DB_COL(QualityEpisodeRow, id),
  DB_COL(QualityEpisodeRow, corrects_id),   DB_COL(QualityEpisodeRow, status),
  DB_COL(QualityEpisodeRow, decision_date), DB_COL(QualityEpisodeRow, start_date),
  DB_COL_END,
};

int store_quality_episodes(Db *db, const char *scope, QualityEpisodeRow **out, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  return db_rows_cols(db_query(db,
                               "SELECT s.person_id, s.id, coalesce(s.corrects_id, 0), s.status,"
                               " coalesce(s.decision_date, ''), coalesce(s.start_date, '')"
                               " FROM status_episode s JOIN person p ON p.id = s.person_id"
                               " WHERE p.org_path >= :scope AND p.org_path < :scope_end ORDER BY s.person_id, s.id",
                               e, DB_TEXT(":scope", scope), DB_TEXT(":scope_end", bound)),
                      sizeof **out, qe_cols, out, n, e);
}

static const DbCol qc_cols[] = {
  DB_COL(QualityContactRow, person_id),
  DB_COL_DAY(QualityContactRow, day),
  DB_COL_END,
};

int store_quality_contacts(Db *db, const char *scope, QualityContactRow **out, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  return db_rows_cols(
      db_query(db,
               "SELECT v.person_id, v.date FROM visit v JOIN person p ON p.id = v.person_id"
               " WHERE p.org_path >= :scope AND p.org_path < :scope_end"
               " AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id)"
               " UNION ALL SELECT t.person_id, t.date FROM drug_test t JOIN person p ON p.id = t.person_id"
               " WHERE p.org_path >= :scope AND p.org_path < :scope_end"
               " AND NOT EXISTS (SELECT 1 FROM drug_test c WHERE c.corrects_id = t.id)"
               " ORDER BY 1",
               e, DB_TEXT(":scope", scope), DB_TEXT(":scope_end", bound)),
      sizeof **out, qc_cols, out, n, e);
}
