/* app/report.h: the report forms of a unit by period (月报表, 半年报表,
 * 年报表; layouts in core/report.h): read a form (its cells computed by the
 * statistics providers as of the period's last day, or today while it
 * runs; rows: the unit's direct children, then the unit itself as 合计),
 * write its notes (填报说明), submit it (the cells stored as a snapshot,
 * the period locked), unlock it (the office above, with a reason), and its
 * history (every submit's snapshot, every unlock's reason). A submitted
 * form shows its snapshot, and the cells that differ today.
 *
 * Rights: PERM_PERSON_READ reads within the scope (a unit outside it, or
 * unknown: ERR_NOT_FOUND); PERM_PERSON_WRITE writes notes and submits the
 * forms of units in the scope; unlocking: an office (admin or office) whose
 * unit lies strictly above (core/dataset.h ds_path_above), else
 * ERR_FORBIDDEN. State changes follow core/dataset.h ds_transition (a
 * change or a second submit of a locked form: ERR_CONFLICT). One
 * transaction per action, audited. */
#ifndef JINDU_APP_REPORT_H
#define JINDU_APP_REPORT_H
#include <stdbool.h>
#include "app/app.h"
#include "core/field.h"
#include "core/report.h"
#include "store/org.h"
#include "store/report.h"

/* A child unit's submission of the same form and period. */
typedef struct ReportChildState {
  DsState state;
  char changed_at[32];
} ReportChildState;

typedef struct ReportView {
  const ReportForm *form;
  OrgUnit org;
  Period period;
  char period_text[PERIOD_TEXT_LEN];
  Day as_of;                /* the day today's cells are taken as of */
  ReportPeriodRow row;      /* state, notes, snapshot (id 0: nothing done yet) */
  OrgUnit *children;        /* the rows above 合计 (malloc'd) */
  int nchildren;
  ReportChildState *child_state; /* beside children: their own submissions (malloc'd) */
  int children_submitted;
  ReportCell *cells;        /* today's cells (malloc'd) */
  int ncells;
  ReportCell *snap;         /* submitted: the snapshot's cells (malloc'd) */
  int nsnap;
  ReportDiff *diffs;        /* submitted: the cells that differ today (malloc'd) */
  int ndiffs;
  bool may_edit, may_submit, may_unlock;
} ReportView;
void report_view_free(ReportView *v);
/* The cells the form shows: the snapshot when submitted, else today's. */
const ReportCell *report_view_cells(const ReportView *v, int *n);

/* The form (code), unit (code) and period (text) of a request → *out
 * (report_view_free). ERR_NOT_FOUND: an unknown form, a unit out of scope
 * or unknown; field "period": malformed, not the form's kind, not begun. */
int app_report_get(Ctx *c, const char *form, const char *org, const char *period, ReportView *out, Err *e);
/* Writes the notes (at most REPORT_NOTES_CHARS characters; "" clears):
 * ERR_CONFLICT when submitted. */
int app_report_notes(Ctx *c, const char *form, const char *org, const char *period, const char *notes, Err *e);
/* Submits (locks): the period must have ended (field "period"); the cells
 * as of its last day become the snapshot; ERR_CONFLICT when submitted. */
int app_report_submit(Ctx *c, const char *form, const char *org, const char *period, Err *e);
/* Unlocks: the office above, reason required (field "reason"). */
int app_report_unlock(Ctx *c, const char *form, const char *org, const char *period, const char *reason, Err *e);
/* The history of the form's period, newest first (store_report_history_free). */
int app_report_history(Ctx *c, const char *form, const char *org, const char *period, ReportHistRow **out, int *n,
                       Err *e);

/* The field tables of a write: notes; an unlock's reason. */
typedef struct ReportNotesInput {
  const char *notes;
} ReportNotesInput;
extern const RecordSpec report_notes_record;
typedef struct ReportUnlockInput {
  const char *reason;
} ReportUnlockInput;
extern const RecordSpec report_unlock_record;

#endif
