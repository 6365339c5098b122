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

/* The files of the subtree of scope by id; free with store_quality_files_free. */
int store_quality_files(Db *db, const char *scope, QualityFileRow **out, int *n, Err *e);
void store_quality_files_free(QualityFileRow *rows, int n);
/* Their episodes by person, then id; *out malloc'd (free()). */
int store_quality_episodes(Db *db, const char *scope, QualityEpisodeRow **out, int *n, Err *e);
/* The days of their talks, visits and tests by person; *out malloc'd (free()). */
int store_quality_contacts(Db *db, const char *scope, QualityContactRow **out, int *n, Err *e);

#endif
