/* store/quality.h: what the data-quality rules (core/quality.h) read of the
 * case files in a subtree, in three reads ordered by person: the files
 * (the items checked, today's status, help-team members on the team,
 * agreements signed), their status episodes (history order, with what each
 * corrects) and the dates of their talks, visits and tests (rows that a
 * later row corrects left out). No rights checks: app/quality.c decides. */
#ifndef JINDU_STORE_QUALITY_H
#define JINDU_STORE_QUALITY_H
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "store/db.h"

typedef struct QualityFileRow {
  int64_t id, org_id;
  char *name, *sex, *id_number, *birth_date, *phone, *household_address, *residence_address, *drug_types,
      *first_found_date, *status; /* malloc'd, "" for none */
  int team, agreements;
} QualityFileRow;

typedef struct QualityEpisodeRow {
  int64_t person_id, id, corrects_id; /* corrects_id 0: none */
  char status[32];
  char decision_date[16], start_date[16]; /* "" when not recorded */
} QualityEpisodeRow;

typedef struct QualityContactRow {
  int64_t person_id;
  Day day;
} QualityContactRow;

/* What the rules read of a subtree: three arrays ordered by person, each
 * malloc'd (NULL when empty); free with store_quality_free. */
typedef struct QualityData {
  QualityFileRow *files;
  int nfiles;
  QualityEpisodeRow *eps;
  int neps;
  QualityContactRow *contacts;
  int ncontacts;
} QualityData;

/* Fills *out with the files, episodes and contacts of the persons of the
 * subtree of scope; on an error *out is empty (nothing to free). */
int store_quality_read(Db *db, const char *scope, QualityData *out, Err *e);
/* Frees what store_quality_read gave and empties *d. */
void store_quality_free(QualityData *d);

#endif
