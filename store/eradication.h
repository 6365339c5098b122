/* store/eradication.h: the SQL of eradication patrols (禁种铲毒: table
 * eradication) and of the plants each found and destroyed per species
 * (eradication_plant, a row for each species of core/unit_vocab.h with a
 * find). A patrol belongs to a unit by id; scope is the unit's path read
 * through org_unit. No rights checks (app/eradication.c). Every function
 * returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_ERADICATION_H
#define JINDU_STORE_ERADICATION_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "core/unit_vocab.h"
#include "store/db.h"
#include "store/org.h"

#define ERADICATION_LOCATION_CHARS 200
#define ERADICATION_CASE_CHARS 60
#define ERADICATION_NOTES_CHARS 1000

/* A patrol to write; found[i] and destroyed[i] are of species i of
 * eradication_species_vocab. */
typedef struct EradicationIn {
  int64_t org_id;
  const char *date, *methods, *location, *case_no, *notes;
  int64_t area_mu;
  int64_t found[ERADICATION_SPECIES], destroyed[ERADICATION_SPECIES];
} EradicationIn;

/* A patrol as stored, with its unit and plants. */
typedef struct EradicationRow {
  int64_t id, org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char date[DATE_ISO_LEN];
  int64_t area_mu;
  char methods[64]; /* comma-joined method codes */
  char location[FIELD_BYTES(ERADICATION_LOCATION_CHARS)];
  char case_no[FIELD_BYTES(ERADICATION_CASE_CHARS)];
  char notes[FIELD_BYTES(ERADICATION_NOTES_CHARS)];
  int64_t found[ERADICATION_SPECIES], destroyed[ERADICATION_SPECIES];
  char created_by[64]; /* display name, else username */
  char created_at[32];
} EradicationRow;

/* Writes the patrol and its plants (the species with found > 0). */
int store_eradication_add(Db *db, const EradicationIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Patrol id with its plants; ERR_NOT_FOUND "记录不存在" when there is none. */
int store_eradication_get(Db *db, int64_t id, EradicationRow *out, Err *e);

typedef struct EradicationFilter {
  const char *scope;     /* unit path: the patrols of its subtree */
  const char *from, *to; /* dates, inclusive; NULL or "": open */
  const char *species;   /* NULL or "": all; else only patrols that found this species */
  int64_t limit, offset;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} EradicationFilter;

/* The totals of a filter: patrols, area, plants found and destroyed. */
typedef struct EradicationTotals {
  int64_t patrols, area_mu;
  int64_t found[ERADICATION_SPECIES], destroyed[ERADICATION_SPECIES];
} EradicationTotals;

/* The patrols of f, newest first (date, then id), with their plants; *tot
 * (all of f's, not just this page); *out malloc'd (free()). */
int store_eradication_list(Db *db, const EradicationFilter *f, EradicationRow **out, int *n, EradicationTotals *tot,
                           Err *e);

#endif
