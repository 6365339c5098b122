/* app/person.h: the case file (一人一档) use cases: list and search within the
 * actor's scope, read (audited), create, change, help team, documents, and
 * status episodes (appended, checked by core/status). Every function checks
 * rights and scope first; a person outside the scope is ERR_NOT_FOUND. */
#ifndef JINDU_APP_PERSON_H
#define JINDU_APP_PERSON_H
#include "app/app.h"
#include "core/person_field.h"
#include "store/person.h"

#define PERSON_TEAM_MAX 12

/* A whole case file: the person row with its help team, documents and
 * status episodes (store/person.h). Every char* is owned by the Person
 * (person_free). */
typedef PersonRow Person;
typedef EpisodeRow Episode;

/* One row of a list: just what a list shows; app_person_list hands it out
 * with id_number masked (idcard_mask). */
typedef PersonListRow PersonSummary;

/* What a list asks for. Codes as the API takes them; NULL or "" for "any"
 * (and for the default order). */
typedef struct PersonQuery {
  const char *q;        /* name prefix or ID-number prefix; NULL/"" for all */
  const char *status;   /* status code; NULL/"" for all */
  const char *org_code; /* restrict to this unit's subtree (must be in scope) */
  int page;             /* 1-based; <1 means 1 */
  int per_page;         /* 1..200; <1 means 20 */
  const char *control;  /* "in_control" | "lost_contact" */
  const char *risk;     /* "high" | "medium" | "low" | "none" (not assessed) */
  const char *worker;   /* responsible worker: a username, "me" or "none" (unassigned) */
  bool incomplete;      /* only files that are not complete (app_person_incomplete_checks) */
  const char *complete; /* "1": supervised files that are complete (档案完整, core/casework.h); "0": supervised
                           files that are not; NULL/"": either (field "complete" otherwise) */
  const char *sort;     /* "id" (default), "name", "id_number", "org", "status", "risk", "talk_due",
                           "test_due", "worker" */
  const char *order;    /* "asc" | "desc"; default desc for "id" (newest first), asc otherwise */
} PersonQuery;

/* A status episode as given; its table is status_record. */
typedef struct StatusInput {
  const char *status;        /* status code (required) */
  const char *decision_date; /* optional YYYY-MM-DD */
  const char *start_date;    /* optional YYYY-MM-DD */
  const char *decision_no;   /* optional */
  const char *note;          /* optional */
  int64_t corrects_id;       /* 0, or the episode this row corrects */
  /* optional YYYY-MM-DD: the expected release of compulsory isolation,
   * prison or detention (issue 9); isolation defaults to its legal length */
  const char *planned_end;
} StatusInput;

/* Input of create/update: only fields with has[i] set are used. Values are
 * text as typed (forms) or converted from JSON by the API layer (flags as
 * "0"/"1", drug types comma-separated). Nothing here is owned. */
typedef struct PersonInput {
  bool has[PF__COUNT];
  const char *val[PF__COUNT];
  const char *org_code; bool has_org;
  bool has_team;                 /* replace the help team with team[] */
  int nteam;
  struct { const char *role, *name, *phone; } team[PERSON_TEAM_MAX];
  /* create only: the first status episode, registered with the file in one
   * transaction (status NULL or "" with no other of its fields: none; its
   * note and corrects_id are not used); table register_status_record */
  StatusInput status;
} PersonInput;

/* A document record as given; its table is doc_record. */
typedef struct DocInput {
  const char *kind, *signed_date, *number;
} DocInput;

/* The tables (core/field.h) of the inputs above and of one help-team
 * member (store/person.h's HelpMemberIn: role, name, phone); the case
 * file's own is person_record (core/person_field.h). register_status_record
 * is the part of status_record a registration takes (status, decision
 * date, start date, decision number). */
extern const RecordSpec status_record, register_status_record, doc_record, help_member_record;

/* A candidate for a person's responsible social worker (责任社工). */
typedef struct PersonWorker {
  int64_t id;
  char username[64];
  char name[128]; /* display name (the username when it has none) */
  Role role;      /* ROLE_WORKER or ROLE_CADRE */
} PersonWorker;

/* Frees everything p owns and zeroes it. NULL allowed. */
void person_free(Person *p);

/* The sort codes of PersonQuery.sort in PersonSort order (store/person.h),
 * PERSON_SORT_COUNT of them. */
#define PERSON_SORT_COUNT 9
extern const char *const person_sort_codes[PERSON_SORT_COUNT];

/* The checks that make a file incomplete (档案不完整) for the list filter
 * (PL_MISSING_* of store/person.h): no status yet; supervised without a
 * help team; under a community order without an agreement. The one
 * definition of completeness, to grow with the completeness rule. */
unsigned app_person_incomplete_checks(void);

/* The accounts that can be a responsible social worker (worker or cadre,
 * active or not) whose unit lies in the actor's scope, by unit then
 * username: the list filter's choices. *out malloc'd (free()). Needs
 * PERM_PERSON_READ. */
int app_person_worker_options(Ctx *c, PersonWorker **out, int *n, Err *e);

/* Lists persons in the actor's scope matching q (filters and order as
 * PersonQuery says; a bad code is a field error of its name). *items is malloc'd (caller
 * frees with free()); *total is the count of all matches up to
 * PERSON_LIST_COUNT_CAP + 1 (above the cap: "more than"); pages beyond the
 * cap are refused (field "page"). Needs PERM_PERSON_READ. */
int app_person_list(Ctx *c, const PersonQuery *q, PersonSummary **items, int *n, int64_t *total, Err *e);
/* Reads the whole case file into out (caller person_free's it) and audits
 * the read. ERR_NOT_FOUND when missing or outside the scope. */
int app_person_get(Ctx *c, int64_t id, Person *out, Err *e);
/* Validates and creates a person (with help team when given, and with its
 * first status episode when in->status names one: then a file never stands
 * without status); *id_out is the new id. Field errors name the field key
 * ("id_number", "org", "help_team", "status", "decision_date"...), all in
 * one round. A social worker (ROLE_WORKER) who creates a person becomes its
 * responsible worker. A file created without status is on the work list
 * (file_incomplete) until it has one. */
int app_person_create(Ctx *c, const PersonInput *in, int64_t *id_out, Err *e);
/* Changes the given fields; the previous version is kept in person_revision.
 * expected_version > 0 refuses (ERR_CONFLICT) when someone changed it since. */
int app_person_update(Ctx *c, int64_t id, const PersonInput *in, int64_t expected_version, Err *e);
/* Appends a status episode after checking the transition (or corrects one);
 * updates the person's status/status_since. *episode_id_out may be NULL. */
int app_person_add_status(Ctx *c, int64_t id, const StatusInput *in, int64_t *episode_id_out, Err *e);
/* Appends a document record (agreement / responsibility letter). */
int app_person_add_doc(Ctx *c, int64_t id, const DocInput *in, Err *e);
/* Sets (username) or clears (NULL or "") the responsible social worker of
 * person id. Needs PERM_PERSON_WRITE and the person in scope (else
 * ERR_NOT_FOUND); the account must exist, be active, have role worker or
 * cadre and a unit whose subtree holds the person (else a field error on
 * "worker"). One transaction, audited ("update", fields="worker" with the
 * usernames before and after); nothing else of the person changes. Setting
 * the worker it already has is a success that writes nothing. */
int app_person_set_worker(Ctx *c, int64_t id, const char *username, Err *e);
/* The accounts that may be made responsible worker of person id (active
 * workers and cadres whose unit holds it), workers first. Needs
 * PERM_PERSON_WRITE and the person in scope (else ERR_NOT_FOUND). *out is
 * malloc'd (caller frees with free(); NULL when *n is 0). */
int app_person_worker_candidates(Ctx *c, int64_t id, PersonWorker **out, int *n, Err *e);
/* Validation alone (no write): fills e with every field error of in as a
 * create (for_create) or an update. Used by create/update and by forms. */
int app_person_validate(Ctx *c, const PersonInput *in, bool for_create, Err *e);

/* A community entered wrongly, corrected (更正责任社区): not a move (a move
 * is a transfer, app/approval.h; PATCH refuses a new "org" with a field
 * error saying so) but its own action, by an office or admin
 * (ERR_FORBIDDEN otherwise) with the person in scope, to a community in
 * scope (field "org") other than the current one, with a reason (field
 * "reason", required); ERR_CONFLICT while a transfer is pending. The file
 * as it was is kept as a revision, the responsible worker is cleared, the
 * derived fields and statistics facts are refreshed, and the audit row
 * (action "org_correct") names both communities and the reason. */
typedef struct OrgCorrectionInput {
  const char *org;    /* code of the right community */
  const char *reason; /* why the stored one was wrong */
} OrgCorrectionInput;
extern const RecordSpec org_correction_record;
int app_person_org_correct(Ctx *c, int64_t id, const OrgCorrectionInput *in, Err *e);

#endif
