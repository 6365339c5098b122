/* app/approval.h: approvals (审批), the decisions that need someone above the
 * social worker (DOMAIN.md §3-§4):
 *   release_3y    three years abstinent: the help team proposes ending
 *                 dynamic supervision; the district office (admin) approves;
 *                 approval appends a status episode abstinent_3y (in view).
 *   transfer      moving to another community (变更执行地): proposed by the
 *                 sending side (also through the event transfer_request); the
 *                 office of the RECEIVING street (or an admin above it)
 *                 approves; the person then moves there, the clock runs on,
 *                 and a new agreement is due within 15 days.
 *   risk_override a risk level set by hand, with a reason (required); the
 *                 admin approves; the stored risk_level then uses it.
 *   leave         a leave (请假外出) of 3 days or more, asked for before its
 *                 end (also through the event leave, app/supervision.h):
 *                 it needs a written report (DOMAIN.md §3) and the office of
 *                 the person's street approves; rejected, the leave is
 *                 cancelled. A shorter leave the social worker grants.
 * Who may propose: worker, cadre, office, admin (PERM_PERSON_WRITE) with the
 * person in scope. Who may decide: release_3y and risk_override an admin
 * with the person in scope; transfer an office or admin whose scope holds
 * the receiving unit; leave an office or admin whose scope holds the
 * person. The proposer is told the decision (a notice, app/notice.h); a
 * transfer approved tells the social workers of both communities. Workers, cadres, police and viewers never decide:
 * ERR_FORBIDDEN "您无权审批". An approval the actor cannot see (person outside
 * the scope and, for transfers, the receiving unit too) is ERR_NOT_FOUND.
 * Every write is one transaction with its audit row and refreshes the
 * person's derived fields (sup_refresh of app/steps.h). */
#ifndef JINDU_APP_APPROVAL_H
#define JINDU_APP_APPROVAL_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "core/person_field.h"

#define APPROVAL_REASON_MAX 500 /* characters of a reason / decision reason */
/* The refusal of a decision by the approval's own proposer (a msgid). */
#define APPROVAL_MSG_OWN "申请人不能审批本人提出的申请（双人审核），请由其他审批人员或上级禁毒办审批"

/* What a proposal carries (borrowed strings; NULL = not given); its table
 * is approval_record. */
typedef struct ApprovalInput {
  const char *kind;       /* "release_3y" | "transfer" | "risk_override" | "leave" (required) */
  const char *to_org;     /* transfer: code of the receiving community (required) */
  const char *risk_level; /* risk_override: "low" | "medium" | "high" (required) */
  const char *reason;     /* risk_override: required; otherwise optional */
  const char *date;       /* transfer: date of the request (default today; not in the future);
                             leave: its first day away (required; up to a year ahead) */
  const char *until;      /* leave: its last day away (required) */
} ApprovalInput;

/* A decision as given; its table is decision_record. */
typedef struct DecisionInput {
  const char *decision; /* "approve" | "reject" (required) */
  const char *reason;   /* required when rejecting */
} DecisionInput;

extern const RecordSpec approval_record, decision_record;

/* One approval as lists and pages show it (fixed size: free the array with free()). */
typedef struct Approval {
  int64_t id;
  int64_t person_id;
  char person_name[FIELD_BYTES(PERSON_NAME_CHARS)];
  char org_code[64], org_name[128];       /* the person's current unit */
  char kind[16];                          /* release_3y | transfer | risk_override | leave */
  char state[12];                         /* pending | approved | rejected */
  char proposed_by[64];                   /* username ("cli" for the command line) */
  char proposed_at[32];                   /* ISO-8601 timestamp */
  char to_org_code[64], to_org_name[128]; /* transfer: the receiving unit; "" otherwise */
  char risk_level[8];                     /* risk_override: low | medium | high; "" otherwise */
  char date[11], until[11];               /* transfer: its date; leave: its days away; "" otherwise */
  char reason[FIELD_BYTES(APPROVAL_REASON_MAX)]; /* the proposer's reason ("" when none) */
  char approver_role[8];                  /* "admin" | "office" */
  char decided_by[64], decided_at[32];    /* "" while pending */
  char decision_reason[FIELD_BYTES(APPROVAL_REASON_MAX)];
  bool can_decide;                        /* pending and the actor may approve/reject it */
  bool own;                               /* the actor proposed it (so never decides it: four eyes) */
} Approval;

typedef struct ApprovalQuery {
  const char *state;   /* "pending" (default when NULL/""), "approved", "rejected" or "all" */
  const char *kind;    /* NULL/"" for every kind */
  bool decidable_only; /* only those the actor may decide now */
  int page;            /* 1-based; < 1 means 1 */
  int per_page;        /* 1..200; < 1 means 50 */
} ApprovalQuery;

/* API code of a kind is the kind string itself; its Chinese name (msgid),
 * "" when unknown. Likewise for a state ("pending" -> 待审批). */
const char *approval_kind_name_zh(const char *kind);
const char *approval_state_name_zh(const char *state);

/* Proposes an approval for person_id. ERR_INVALID with fields "kind",
 * "to_org", "risk_level", "reason", "date"; ERR_CONFLICT when the same kind
 * is already pending for the person; release_3y also needs the person to be
 * eligible (3 years abstinent as of today, not yet abstinent_3y). A transfer
 * proposal also records a transfer_request event (and app_event_add of
 * transfer_request creates the approval): to_org must be a community other
 * than the current one (it may lie outside the proposer's scope).
 * *id_out (may be NULL) gets the approval id. */
int app_approval_propose(Ctx *c, int64_t person_id, const ApprovalInput *in, int64_t *id_out, Err *e);

/* Approves (decision "approve") or rejects ("reject") a pending approval,
 * in checked by decision_record once the actor is known to may decide it
 * (so that others get ERR_FORBIDDEN whatever they send). reason: optional
 * when approving, required when rejecting (field "reason"). ERR_CONFLICT
 * when it is no longer pending. Effects of approval: see the file comment. */
int app_approval_decide(Ctx *c, int64_t approval_id, const DecisionInput *in, Err *e);

/* Lists the approvals the actor can see (person in scope, or for transfers
 * the receiving unit in scope), newest first. *items malloc'd (free());
 * NULL when *n is 0; *total counts all matches. */
int app_approval_list(Ctx *c, const ApprovalQuery *q, Approval **items, int *n, int64_t *total, Err *e);

/* Every approval of one person (person in scope, else ERR_NOT_FOUND),
 * newest first. *items malloc'd (free()). */
int app_approval_for_person(Ctx *c, int64_t person_id, Approval **items, int *n, Err *e);

/* One approval (visible to the actor, else ERR_NOT_FOUND). */
int app_approval_get(Ctx *c, int64_t approval_id, Approval *out, Err *e);

#endif
