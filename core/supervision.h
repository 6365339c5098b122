/* core/supervision.h: the supervision engine as pure functions (DOMAIN.md
 * §3-§4): a person's history as the rules see it (SupHistory), the derived
 * fields the person row stores (SupDerived), the one computation of every
 * derived field from the history as of a day (supervision_compute, used by
 * the writers in app/, by the schedule view, by the doctor and by the
 * generator, so the rule lives in one place), the first day a person is on
 * a work list (supervision_work_from, the key of the work-list scan), and
 * the reasons of the work list with their codes and names. No I/O: store/
 * fills the history (store/supervision.h, whose loaders also own the
 * arrays: sup_history_clear, sup_history_free) and writes the fields. */
#ifndef JINDU_CORE_SUPERVISION_H
#define JINDU_CORE_SUPERVISION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/schedule.h"
#include "core/status.h"

/* ---- history as the rules see it (compact, no allocation per row) ----- */

typedef struct SupEpisodeH {
  int64_t id, corrects_id;
  char status[32];
  char decision_date[DATE_ISO_LEN]; /* "" when NULL */
  char start_date[DATE_ISO_LEN];    /* "" when NULL */
  char planned_end[DATE_ISO_LEN];   /* "" when NULL */
  char created_at[40];
} SupEpisodeH;

typedef struct SupVisitH {
  int64_t id, corrects_id;
  Day date;
} SupVisitH;

typedef struct SupTestH {
  int64_t id, corrects_id;
  Day date;
  char reason[12]; /* scheduled | random */
  char result[12]; /* negative | positive | refused | absent */
} SupTestH;

typedef struct SupEventH {
  int64_t id;
  char kind[24];
  Day date;
  bool has_until;
  Day until;
  int days;
  char status[12]; /* "" | open | done | cancelled */
} SupEventH;

typedef struct SupApprovalH {
  int64_t id;
  char kind[16];
  char state[12];
  char risk_level[8]; /* risk_override: the proposed level */
} SupApprovalH;

/* The whole history of one person that the derived fields depend on. Each
 * list is in its natural order: episodes by id; visits, tests and events by
 * date then id; approvals by id. The arrays belong to whoever filled them
 * (store/supervision.h: sup_history_free). */
typedef struct SupHistory {
  int64_t person_id, org_id;
  char drug_types[256];
  bool no_job, no_home, no_income;
  bool family_support; /* a current help-team member is family (家属...) */
  SupEpisodeH *eps; int neps, cap_eps;
  SupVisitH *visits; int nvisits, cap_visits;
  SupTestH *tests; int ntests, cap_tests;
  SupEventH *events; int nevents, cap_events;
  SupApprovalH *approvals; int napprovals, cap_approvals;
} SupHistory;

/* The derived supervision fields stored on the person row ("" = NULL). */
typedef struct SupDerived {
  char status[32], status_since[DATE_ISO_LEN];
  char control[16];
  char risk_level[8];
  char next_talk_due[DATE_ISO_LEN], next_test_due[DATE_ISO_LEN];
  char clock_start[DATE_ISO_LEN], last_test_date[DATE_ISO_LEN], last_talk_date[DATE_ISO_LEN];
  char missed_two_date[DATE_ISO_LEN], report_deadline[DATE_ISO_LEN], pickup_due[DATE_ISO_LEN];
  char release_eligible_date[DATE_ISO_LEN];
  char risk_override[8];
  /* 0; SUP_BREACH_SERIOUS: a serious breach not reported yet; SUP_BREACH_REPORTED:
   * reported to the police, whose decision is awaited. */
  int serious_breach, breach_tests, breach_absences, breach_absence_days;
  int transfer_pending, in_view, approvals_pending;
  /* The first day the person is on a work list for any reason (a superset:
   * the work list scan reads only rows with work_from <= its horizon and
   * applies each reason's own test); SUP_WORK_ALWAYS for a flag that lists
   * the person every day; "" (NULL) when nothing is due. */
  char work_from[DATE_ISO_LEN];
  /* The last day away of the earliest leave not returned from yet (an
   * open "leave" event); "" when none. */
  char leave_until[DATE_ISO_LEN];
  /* Releases seen coming (issue 9): the expected last day of the current
   * custodial episode (compulsory isolation, prison, detention: its planned
   * end, moved by an "extension" event) while no release is recorded and
   * no release notice is open; release_from is release_due less the rule's
   * release_ahead_days (the first day of release_upcoming). "" when none. */
  char release_due[DATE_ISO_LEN], release_from[DATE_ISO_LEN];
} SupDerived;
#define SUP_WORK_ALWAYS "0001-01-01"
#define SUP_BREACH_SERIOUS 1
#define SUP_BREACH_REPORTED 2

/* What a work item comes from (the "since" and "why" of the work list):
 * the facts of the history behind the derived fields, set by
 * supervision_compute. A Day field is SUP_WHY_NONE when it does not apply. */
#define SUP_WHY_NONE INT32_MIN
#define SUP_WHY_DATES 8
typedef struct SupWhy {
  Day lost_since;      /* the lost_contact event of the current loss */
  Day breach_since;    /* the refusal or absence that made the breach serious */
  Day police_report;   /* the report to the police of that breach (SUP_BREACH_REPORTED) */
  Day breach_tests[SUP_WHY_DATES], breach_absences[SUP_WHY_DATES]; /* the counted ones, oldest first */
  int nbreach_tests, nbreach_absences;
  Day report_from;     /* the report deadline's start: the order's decision, or the transfer */
  bool report_after_transfer;
  Day leave_from;      /* the first day away of the leave of leave_until */
} SupWhy;

/* ---- the computation -------------------------------------------------- */

/* What the computation gives: the stored fields, and the detail that the
 * schedule view shows. */
typedef struct SupComputed {
  SupDerived d;
  Status status;
  bool has_clock;
  Day clock_start;
  ScheduleResult sched; /* as of the day asked */
  RiskLevel risk;       /* the level used (override or graded) */
  int risk_score;       /* risk_grade's score (0 when overridden or not graded) */
  Day grade_day;        /* the day the risk is graded on (latest fact, <= asof) */
  SupWhy why;           /* what the work items come from */
} SupComputed;

/* Computes every derived field of a person from its history h under rule,
 * as of day asof (history dated after asof is ignored). Pure: the same
 * history, rule and day always give the same result. The rules are listed
 * at the top of core/supervision.c. */
void supervision_compute(const SupHistory *h, const ScheduleRule *rule, Day asof, SupComputed *out);
/* Sets d->work_from, the first day the person is on any work list, from d's
 * other fields (part of supervision_compute): SUP_WORK_ALWAYS for a flag
 * that lists the person every day (no status yet, report deadline, pickup,
 * lost contact, serious breach, pending approval), else the earliest of the
 * next test, the next talk, the second missed test, the day after a leave's
 * last day and (unless released already) the release eligibility, else "". */
void supervision_work_from(SupDerived *d);
/* The standing episodes of h in history order (core/derived.h's rule: a
 * correction takes the place of the row it corrects; voided rows drop out;
 * rows sharing a place keep id order). Writes indexes into h->eps to
 * order[] (room for h->neps) and returns how many; the last is the current
 * episode. */
int supervision_standing(const SupHistory *h, int *order);

/* ---- the reasons of the work list ------------------------------------- */

/* The most urgent first: the workbench groups its items in this order and
 * sort "reason" follows it. Each reason has one action that clears it
 * (work_reason_action). */
typedef enum {
  WL_SERIOUS_BREACH, WL_POLICE_DECISION, WL_LOST_CONTACT, WL_LEAVE_OVERDUE, WL_MISSED_TWO_TESTS,
  WL_REPORT_DEADLINE, WL_RELEASE_PICKUP,
  WL_RELEASE_UNCONFIRMED, /* issue 9: a planned release passed, neither release nor extension recorded */
  WL_TEST_OVERDUE, WL_TALK_OVERDUE, WL_APPROVAL_PENDING, WL_FILE_INCOMPLETE,
  WL_RELEASE_UPCOMING, /* issue 9: the planned release within the rule's days ahead */
  WL_TEST_DUE, WL_TALK_DUE,
  WL_PLAN_REVIEW, WL_SERVICE_FOLLOWUP, /* casework (app/casework.h): person.plan_review_due, service_followup_due */
  WL_ELIGIBLE_FOR_RELEASE, WL__COUNT
} WorkReason;

/* The bit of a reason in a set of reasons (WorkQuery.reasons). */
#define WL_BIT(r) (1u << (unsigned)(r))

/* API code of a reason ("test_due"...) and its Chinese name (a msgid); ""
 * for a value out of range. */
const char *work_reason_code(WorkReason r);
const char *work_reason_name_zh(WorkReason r);

/* The action that clears an item of a reason (what the workbench offers and
 * what the test of every reason performs):
 *   WA_TEST      record a drug test
 *   WA_VISIT     record a talk or visit of kind arg (NULL: a talk)
 *   WA_EVENT     record the event of kind arg
 *   WA_STATUS    record the status episode (the file has none yet)
 *   WA_APPROVAL  decide the pending approval (its proposer waits: cannot clear it)
 *   WA_PROPOSE   propose the approval of kind arg
 *   WA_PLAN      write a new version of the case plan (its review date ahead)
 *   WA_SERVICE   record the follow-up of the service (a step, a new follow-up date or none) */
typedef enum { WA_TEST, WA_VISIT, WA_EVENT, WA_STATUS, WA_APPROVAL, WA_PROPOSE, WA_PLAN, WA_SERVICE } WorkActionKind;
typedef struct WorkAction {
  WorkActionKind kind;
  const char *arg;
  const char *label_zh; /* the button (a msgid) */
} WorkAction;
const WorkAction *work_reason_action(WorkReason r);

/* The "since" and "why" of an item of reason r of a person with derived
 * fields d (stored or computed) and, for the reasons that need it
 * (supervision_why_needs_history), the facts w its history computed to (as
 * of the day the list is read; NULL otherwise): since, the day the
 * condition began ("" when unknown); why_zh, what it comes from (a msgid,
 * "" when neither tells: approvals and files without status are explained
 * by app/); detail, the dates and numbers that go with it
 * (language-neutral: "3: 2025-03-01, 2025-04-01, 2025-05-01"). */
typedef struct WorkWhy {
  char since[DATE_ISO_LEN];
  const char *why_zh;
  char detail[160];
} WorkWhy;
void supervision_why(const SupDerived *d, const SupWhy *w, WorkReason r, WorkWhy *out);
/* true when the why of reason r needs the facts of the history (SupWhy):
 * the rare reasons (a lost contact, a breach, a report deadline, a leave);
 * the others are told by the stored derived fields alone, so that a page of
 * due tests and talks reads one row a person, not its history. */
bool supervision_why_needs_history(WorkReason r);

/* The control state a page or the API shows: "closed" for a closed file
 * (dead or emigrated: neither in control nor lost), else the stored one. */
const char *supervision_control_shown(const char *status, const char *control);

#endif
