/* app/inspection.h: venue inspections (场所检查, issue 10 point 5): a
 * venue (a place of kind venue, active, in scope), the day, who
 * inspected, the result (core/ledger.h: no problem / problem found), what
 * was found, the follow-up (整改) asked and its due day, and later the day
 * it was done. Photos and scans are attachments. Recorded by the actors
 * with PERM_PERSON_WRITE and by the police liaison; read by every actor
 * within scope (the venue's unit; out of scope: ERR_NOT_FOUND). One
 * transaction with its audit row a write. */
#ifndef JINDU_APP_INSPECTION_H
#define JINDU_APP_INSPECTION_H
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "store/inspection.h"

/* An inspection to record (field table inspection_record). */
typedef struct InspectionInput {
  int64_t venue;            /* place id (required) */
  const char *date;         /* required, not in the future */
  const char *inspectors;   /* required */
  const char *result;       /* inspection_result_vocab (required) */
  const char *findings;     /* required when a problem was found */
  const char *followup;     /* the follow-up asked (整改要求) */
  const char *followup_due; /* not before date, at most a year after it */
} InspectionInput;
extern const RecordSpec inspection_record;

/* Records an inspection: every check in one round; nothing written on an
 * error. *id may be NULL. */
int app_inspection_add(Ctx *c, const InspectionInput *in, int64_t *id, Err *e);
/* Inspection id; ERR_NOT_FOUND when missing or out of scope. Free with
 * store_inspection_free. */
int app_inspection_get(Ctx *c, int64_t id, InspectionRow *out, Err *e);

/* The follow-up done (field table inspection_done_record). */
typedef struct InspectionDoneInput {
  const char *date;  /* required, not in the future, not before the inspection */
  const char *notes;
} InspectionDoneInput;
extern const RecordSpec inspection_done_record;
/* Records the follow-up of inspection id done: ERR_CONFLICT when it needs
 * none or is done already. Audited ("followup_done"). */
int app_inspection_done(Ctx *c, int64_t id, const InspectionDoneInput *in, Err *e);

/* The code of x's follow-up state as of today (core/ledger.h
 * inspection_followup_state): "none", "open", "overdue", "done". */
const char *app_inspection_followup(const InspectionRow *x, Day today);

typedef struct InspectionQuery {
  const char *org;       /* a unit in scope (its subtree); NULL/"": the actor's scope; else ERR_NOT_FOUND */
  const char *from, *to; /* dates (fields "from", "to") */
  const char *result;    /* field "result" */
  const char *followup;  /* followup_state_vocab, as of today (field "followup") */
  int64_t venue;         /* 0: every venue */
  int page, per_page;    /* per_page 1..UNIT_LIST_MAX (< 1: 50) */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} InspectionQuery;

/* The inspections of q, newest first, and the totals of all of q's; free
 * *out with store_inspection_rows_free. */
int app_inspection_list(Ctx *c, const InspectionQuery *q, InspectionRow **out, int *n, InspectionTotals *tot, Err *e);

#endif
