/* store/inspection.h: the SQL of venue inspections (场所检查: table
 * inspection). An inspection checks a place (of kind venue: app/'s rule);
 * scope is the place's unit path read through place and org_unit. The
 * follow-up of a problem is due and done on days; its state as of a day
 * is core/ledger.h's inspection_followup_state, which the list's filter
 * repeats in SQL (tests/integration/suite_places.py checks the two agree).
 * No rights checks (app/inspection.c). Every function returns ERR_OK or an
 * ErrCode with e filled. */
#ifndef JINDU_STORE_INSPECTION_H
#define JINDU_STORE_INSPECTION_H
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"
#include "store/org.h"

#define INSPECTION_INSPECTORS_CHARS 100
#define INSPECTION_TEXT_CHARS 1000

/* An inspection to write (text NULL or "" when empty). */
typedef struct InspectionIn {
  int64_t place_id;
  const char *date, *inspectors, *result, *findings, *followup, *followup_due;
} InspectionIn;

/* An inspection as stored, with its place and the place's unit. */
typedef struct InspectionRow {
  int64_t id, place_id;
  char place_name[FIELD_BYTES(100)], place_category[24], place_address[FIELD_BYTES(200)];
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char date[DATE_ISO_LEN];
  char inspectors[FIELD_BYTES(INSPECTION_INSPECTORS_CHARS)], result[24];
  char *findings, *followup; /* malloc'd */
  char followup_due[DATE_ISO_LEN], followup_done[DATE_ISO_LEN]; /* "" when none */
  char *done_notes; /* malloc'd */
  char created_by[64], created_at[32];
} InspectionRow;

int store_inspection_add(Db *db, const InspectionIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Inspection id; ERR_NOT_FOUND "记录不存在". Free with store_inspection_free. */
int store_inspection_get(Db *db, int64_t id, InspectionRow *out, Err *e);
void store_inspection_free(InspectionRow *x);
/* Records the follow-up of id done on day with notes; ERR_CONFLICT
 * "整改已登记完成" when it was done already. */
int store_inspection_done(Db *db, int64_t id, const char *day, const char *notes, int64_t by, Err *e);

typedef struct InspectionFilter {
  const char *scope;      /* unit path: the inspections of places of its subtree */
  const char *from, *to;  /* dates, inclusive; NULL or "": open */
  const char *result;     /* NULL or "": any */
  const char *followup;   /* NULL or "": any; else a code of followup_state_vocab as of today */
  const char *today;      /* ISO day the follow-up states are taken on */
  int64_t place_id;       /* 0: any */
  int64_t limit, offset;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} InspectionFilter;

/* The totals of a filter: inspections, problems found, follow-ups open
 * (overdue included) and overdue. */
typedef struct InspectionTotals {
  int64_t inspections, problems, open, overdue;
} InspectionTotals;

/* The inspections of f, newest first; *tot of all of f's; *out malloc'd
 * (store_inspection_rows_free). */
int store_inspection_list(Db *db, const InspectionFilter *f, InspectionRow **out, int *n, InspectionTotals *tot,
                          Err *e);
void store_inspection_rows_free(InspectionRow *rows, int n);

#endif
