/* store/report.h: the SQL of report forms submitted by period (migration
 * 18): report_period, the state of one (form, unit, period) with its notes
 * (填报说明) and, while submitted, the snapshot of its figures (the text
 * of core/report.h) and the day they were taken as of; report_entry,
 * everything done to it, appended (notes changed, submits with their
 * snapshots, unlocks with reasons): the history. No rights checks:
 * app/report.c decides. Every function returns ERR_OK or an ErrCode. */
#ifndef JINDU_STORE_REPORT_H
#define JINDU_STORE_REPORT_H
#include <stdbool.h>
#include <stdint.h>
#include "core/dataset.h"
#include "core/err.h"
#include "core/field.h"
#include "core/period.h"
#include "store/db.h"

#define REPORT_NOTES_CHARS 500
#define REPORT_REASON_CHARS 200

/* The state of one (form, unit, period). */
typedef struct ReportPeriodRow {
  int64_t id;            /* 0: nothing done yet (then open) */
  int64_t org_id;
  char period[PERIOD_TEXT_LEN];
  DsState state;
  char *notes;           /* malloc'd ("" when none) */
  char *snapshot;        /* malloc'd: the figures submitted ("" while open) */
  char as_of[16];        /* the day the snapshot was taken as of ("" while open) */
  char changed_at[32];
  char changed_by[64];   /* display name, else username ("" when none) */
} ReportPeriodRow;
void store_report_period_free(ReportPeriodRow *r);

/* Loads (form, org_id, period); out->id 0 (open, empty) when no row exists. */
int store_report_period_get(Db *db, const char *form, int64_t org_id, const char *period, ReportPeriodRow *out,
                            Err *e);
/* The id of the row of (form, org_id, period), inserted (open) when missing. */
int store_report_period_ensure(Db *db, const char *form, int64_t org_id, const char *period, int64_t user_id,
                               const char *now, int64_t *id, Err *e);
/* Sets the row's state, notes (NULL: kept), snapshot and as_of (both ""
 * when open) and who changed it when. */
int store_report_period_set(Db *db, int64_t id, DsState state, const char *notes, const char *snapshot,
                            const char *as_of, int64_t user_id, const char *now, Err *e);
/* Appends action ("notes" | "submit" | "unlock") with its text (the notes,
 * the unlock reason) and snapshot ("" for none). */
int store_report_log_add(Db *db, int64_t period_id, const char *action, const char *text, const char *snapshot,
                         int64_t user_id, const char *now, Err *e);

/* One change of a (form, unit, period). */
typedef struct ReportHistRow {
  int64_t id;
  char action[8];
  char *text;       /* malloc'd */
  char *snapshot;   /* malloc'd ("" for none) */
  char by[64];
  char at[32];
} ReportHistRow;
/* Every change of period row id, newest first; free with store_report_history_free. */
int store_report_history(Db *db, int64_t period_id, ReportHistRow **out, int *n, Err *e);
void store_report_history_free(ReportHistRow *rows, int n);

/* The state of form's period for each unit of org_ids (n of them):
 * states[i] (DS_OPEN when no row), at[i] the last change ("" none; 32 bytes each). */
int store_report_states(Db *db, const char *form, const char *period, const int64_t *org_ids, int n, DsState *states,
                        char (*at)[32], Err *e);

#endif
