/* app/supervision.h: the supervision engine's use cases (DOMAIN.md §3-§4,
 * API.md "Supervision"): talks/visits and drug tests, events with history
 * (relapse, breach counts, leave, absence, lost contact/found, detention,
 * prison, transfer, release from isolation, 3 years abstinent), approvals,
 * risk grading, the schedule of one person and the work lists. Every write
 * is one transaction that also updates the person's stored derived fields
 * (next_talk_due, next_test_due, control, risk_level, flags) and the audit
 * log. Scope and rights are checked first; out of scope is ERR_NOT_FOUND. */
#ifndef JINDU_APP_SUPERVISION_H
#define JINDU_APP_SUPERVISION_H
#include "app/app.h"
#include "core/field.h"
#include "core/person_field.h"
#include "core/schedule.h"
#include "core/supervision.h" /* WorkReason, WL_BIT */
#include "store/supervision.h" /* the history rows */

/* The inputs of the recording use cases; their fields, bounds and
 * messages are the tables visit_record, test_record and event_record
 * (core/field.h: text members NULL or "" when empty, integers 0 when not
 * given), which web/bind.h fills from a form or JSON and the use cases
 * check in one round. */
typedef struct VisitInput {
  const char *date;   /* YYYY-MM-DD, required, not in the future */
  const char *kind;   /* talk | home_visit | phone | office */
  const char *place;  /* optional */
  const char *notes;  /* optional (counselling notes: not shown to police) */
  /* optional updated five knowns ("" or NULL = unchanged) */
  const char *fk_basics, *fk_contacts, *fk_family_economy, *fk_state_of_mind, *fk_movements;
  int64_t corrects_id; /* 0, or the visit this row corrects (replaces) */
} VisitInput;

typedef struct TestInput {
  const char *date;       /* required, not in the future */
  const char *sample;     /* urine | hair | saliva | blood */
  const char *reason;     /* scheduled | random */
  const char *result;     /* negative | positive | refused | absent */
  const char *substances; /* optional, comma-separated drug codes found (positive) */
  const char *tester;     /* optional */
  int64_t corrects_id;    /* 0, or the test this row corrects (replaces) */
} TestInput;

/* Event kinds: reported, lost_contact, found, leave, leave_return,
 * absence, detained, detention_end, imprisoned, release_notice, released,
 * transfer_request, agreement_signed, police_report, police_decision.
 * - leave (请假外出, date to until): one that has ended already (until before
 *   today) is a record after the fact; otherwise it is open until the
 *   return and may be asked for before it starts (up to a year ahead). One
 *   of fewer than 3 days the social worker grants herself; one of 3 days or
 *   more needs a written report (DOMAIN.md §3) and the approval of the
 *   office of the person's street (approval kind leave; rejected: the leave
 *   is cancelled). An open leave past its until is on the work list
 *   (leave_overdue) until leave_return (销假) closes it.
 * - reported closes an agreement_due task too (reporting to the new street
 *   after a transfer is the step its deadline asks for).
 * - police_decision (under a community order): the police decided that the
 *   order goes on; a serious breach reported to them is settled and its
 *   count restarts (core/supervision.c). A decision of compulsory isolation
 *   is a status episode instead. */
typedef struct EventInput {
  const char *kind;
  const char *date;     /* required */
  const char *until;    /* leave: last day away (required for it) */
  int64_t days;         /* absence: days away without permission (required for it) */
  const char *to_org;   /* transfer_request: community code of the receiving side */
  const char *note;     /* optional */
  /* issue 9: detained, imprisoned: the expected release (optional);
   * extension: the new expected release (required) */
  const char *expected_end;
  const char *case_no;  /* offence: the police case number (required) */
  const char *offence;  /* offence: its kind (core/offence.h, required) */
} EventInput;

extern const RecordSpec visit_record, test_record, event_record;

typedef struct ScheduleView {
  char status[32];
  char clock_start[11];
  char next_talk_due[11];
  char next_test_due[11];
  char rule[SCHED_CODE_MAX];
  ScheduleResult result;
} ScheduleView;

typedef struct WorkItem {
  int64_t person_id;
  char name[FIELD_BYTES(PERSON_NAME_CHARS)];
  char org_code[64], org_name[128];
  WorkReason reason;
  char due_date[11];   /* "" when the reason has no date */
  int days_overdue;    /* > 0 when past due */
  int64_t approval_id; /* for WL_APPROVAL_PENDING */
  bool can_decide;     /* WL_APPROVAL_PENDING: the actor may decide it (else she proposed it and waits) */
  WorkWhy why;         /* since when and why (WorkQuery.explain; else empty) */
} WorkItem;

/* The most items one app_worklist call returns (a whole feed at once). */
#define WORKLIST_PAGE_MAX 50000

typedef struct WorkQuery {
  const char *org_code; /* restrict to this unit's subtree; outside the scope: ERR_NOT_FOUND */
  int64_t person_id;    /* 0: every person; else only this person's items (one row read, not the scope) */
  int64_t worker_id;    /* > 0: only persons whose responsible worker is this user ("my cases": no
                           incoming transfers, which are nobody's yet) */
  unsigned reasons;     /* 0: every reason; else only the reasons whose WL_BIT is set */
  const char *date;     /* as of (default today); field "date" when malformed */
  int horizon_days;     /* "due" means due within this many days: 0 = default 7, < 0 = today only,
                           at most 366 (field "horizon") */
  const char *sort;     /* "due" (default: oldest first, undated last), "name", "reason" (the order of
                           WorkReason, then due) (field "sort"); ties by person, reason, approval */
  int page, per_page;   /* page 1-based; per_page 1..WORKLIST_PAGE_MAX (< 1: 50) */
  bool explain;         /* fill each item's why (since when and why): the history of each person of
                           the page is read (a page of a screen, not an export of thousands) */
} WorkQuery;

int app_visit_add(Ctx *c, int64_t person_id, const VisitInput *in, int64_t *id_out, Err *e);
/* Recording needs PERM_PERSON_WRITE; a drug test may also be recorded by
 * the police liaison (ROLE_POLICE), who performs tests. */
int app_test_add(Ctx *c, int64_t person_id, const TestInput *in, int64_t *id_out, Err *e);
int app_event_add(Ctx *c, int64_t person_id, const EventInput *in, int64_t *id_out, Err *e);
/* The schedule of one person as of date (NULL = today). */
int app_schedule_get(Ctx *c, int64_t person_id, const char *date, ScheduleView *out, Err *e);
/* Work list of the actor's scope (or org subtree): one item per reason per
 * person (a person may appear several times), plus pending approvals the
 * actor may decide (transfers into the scope included) or proposed. One
 * scan of the scope. *total counts the items that pass q's filters;
 * *items (one page) malloc'd (free()). by_reason, when not NULL, receives
 * the count of each reason before q->reasons applies (the workbench's
 * counts and its page from the same scan). */
int app_worklist(Ctx *c, const WorkQuery *q, WorkItem **items, int *n, int64_t *total,
                 int64_t by_reason[WL__COUNT], Err *e);
/* ---- history of one person (the tables of the person page) ------------
 * Newest first (date, then id, descending); the person must be in scope
 * (else ERR_NOT_FOUND); PERM_PERSON_READ. Arrays are fixed-size structs,
 * malloc'd: free() them (NULL when *n is 0). per_page 1..200 (< 1: 50). */

/* The rows of the history tables are the store's (store/supervision.h),
 * with what app/ sets on them: voided (a later row corrects it),
 * notes_hidden (the police liaison does not see counselling notes; notes
 * then ""), needs_report (a leave of 3 days or more: 书面报告). Events
 * include the rows written by the system: relapse (a positive test),
 * police_report tasks, agreement_due tasks (after a transfer); tasks have
 * status open/done/cancelled ("" for a plain event). */
typedef SupVisitRow VisitRecord;
typedef SupTestRow TestRecord;
typedef SupEventRow EventRecord;

int app_visit_list(Ctx *c, int64_t person_id, int page, int per_page, VisitRecord **items, int *n,
                   int64_t *total, Err *e);
int app_test_list(Ctx *c, int64_t person_id, int page, int per_page, TestRecord **items, int *n,
                  int64_t *total, Err *e);
int app_event_list(Ctx *c, int64_t person_id, int page, int per_page, EventRecord **items, int *n,
                   int64_t *total, Err *e);
/* Closes an open task event (police_report, release_notice/pickup,
 * agreement_due, an open leave: done = returned) as "done" or "cancelled";
 * PERM_PERSON_WRITE, in scope. ERR_CONFLICT when it is not an open task. */
int app_event_task_set(Ctx *c, int64_t event_id, const char *status, Err *e);

/* Recomputes the derived fields of the persons a migration marked stale
 * (store_sup_stale_ids), as the command line, in transactions of a few
 * hundred, until none is left; *count (may be NULL) gets how many. Called
 * where the database is opened for work (jindu serve, the commands). */
int sup_refresh_stale(Db *db, int64_t *count, Err *e);

/* Chinese names (msgids) of the codes used above ("" when unknown). */
const char *visit_kind_name_zh(const char *kind);
const char *test_result_name_zh(const char *result);
const char *test_sample_name_zh(const char *sample);
const char *event_kind_name_zh(const char *kind);

#endif
