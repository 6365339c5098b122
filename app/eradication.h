/* app/eradication.h: eradication patrols (禁种铲毒): a patrol's date, unit,
 * area searched (亩), methods (on foot, drone), where, the drug plants
 * found and destroyed per species (core/unit_vocab.h), and the police case
 * a find is linked to. Recorded by the actors with PERM_PERSON_WRITE and by
 * the police liaison (police lead the eradication), for units in their
 * scope; read by every signed-in actor within their scope (out of scope:
 * ERR_NOT_FOUND, as a missing record). A record is one transaction with
 * its audit row; never changed afterwards. */
#ifndef JINDU_APP_ERADICATION_H
#define JINDU_APP_ERADICATION_H
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "store/eradication.h"

/* The most plants of one species one patrol records. */
#define ERADICATION_PLANTS_MAX 100000000
/* The most mu (亩) one patrol searches. */
#define ERADICATION_AREA_MAX 10000000

/* A patrol to record (field table eradication_record: text members NULL or
 * "" when empty, integers 0 when not given). JSON: "found" and "destroyed"
 * are objects by species ({"poppy": 120}). */
typedef struct EradicationInput {
  const char *org;     /* unit code, in scope */
  const char *date;    /* required, not in the future */
  int64_t area_mu;     /* area searched, 亩 (optional) */
  const char *methods; /* comma-joined codes of eradication_method_vocab, at least one */
  int64_t found[ERADICATION_SPECIES];     /* plants by species (eradication_species_vocab's order) */
  int64_t destroyed[ERADICATION_SPECIES]; /* form names "found_poppy", "destroyed_poppy", ... */
  const char *location; /* where (required) */
  const char *case_no;  /* police case number a find is linked to (only with a find) */
  const char *notes;
} EradicationInput;
extern const RecordSpec eradication_record;

/* Records a patrol: the table's checks, the unit (field "org"), destroyed
 * not above found per species (field "destroyed_<species>"), a case number
 * only with plants found (field "case_no"), all in one round; nothing is
 * written on any error. *id (may be NULL) gets the new record's id. */
int app_eradication_add(Ctx *c, const EradicationInput *in, int64_t *id, Err *e);
/* Patrol id; ERR_NOT_FOUND when missing or out of scope. */
int app_eradication_get(Ctx *c, int64_t id, EradicationRow *out, Err *e);

typedef struct EradicationQuery {
  const char *org;       /* a unit in scope (its subtree); NULL: the actor's scope; else ERR_NOT_FOUND */
  const char *from, *to; /* dates (fields "from", "to") */
  const char *species;   /* only patrols that found this species (field "species") */
  int page, per_page;    /* page 1-based; per_page 1..50000 (< 1: 50) */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} EradicationQuery;

/* The patrols of q, newest first, and the totals of all of q's; *out
 * malloc'd (free()). */
int app_eradication_list(Ctx *c, const EradicationQuery *q, EradicationRow **out, int *n, EradicationTotals *tot,
                         Err *e);

#endif
