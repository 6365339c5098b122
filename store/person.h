/* store/person.h: all SQL on persons and their case file (tables person,
 * person_revision, help_member, person_document, status_episode). No rights
 * checks and no validation here: app/person.c decides; callers pass the
 * actor's scope (an org path such as "/1/5/") explicitly, and every query
 * that reads a person is limited to the index range [scope, bound(scope)).
 * Values are always bound; the SQL texts are fixed (the person column list is
 * built once from core/person_field.h) so that the statement cache holds them.
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_PERSON_H
#define JINDU_STORE_PERSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/person_field.h"
#include "store/db.h"

/* A current help-team member (removed_at IS NULL). Strings malloc'd; role
 * is a code of core/casework.h (family, police, social_worker, cadre...),
 * role_other the text typed for a member of role other ("" else). */
typedef struct HelpMemberRow {
  int64_t id;
  char *role, *name, *phone, *role_other;
} HelpMemberRow;

/* A new help-team member (borrowed strings). role: a role's code or
 * Chinese label, or any other text (stored as role other with the text in
 * role_other: core/casework.h help_role_of_text). */
typedef struct HelpMemberIn {
  const char *role, *name, *phone;
} HelpMemberIn;

/* A document record. Strings malloc'd; kind "agreement" |
 * "responsibility_letter", signed_date YYYY-MM-DD. */
typedef struct PersonDocRow {
  int64_t id;
  char *kind, *signed_date, *number, *created_at;
} PersonDocRow;

/* A status episode. Strings malloc'd; decision_date, start_date and
 * planned_end are "" when NULL; created_by is the username, "" when the row
 * was written by the command line (created_by NULL). voided: a later row of
 * the same person corrects this one. */
typedef struct EpisodeRow {
  int64_t id;
  char *status, *decision_date, *start_date, *decision_no, *planned_end, *note;
  int64_t corrects_id; /* 0 when none */
  bool voided;
  char *created_at, *created_by;
} EpisodeRow;

/* One person row with its unit's code and name: the case file (一人一档)
 * once its lists are loaded. Every char* is malloc'd and never NULL ("" for
 * SQL NULL); store_person_row_free frees them and the lists. f[] holds the
 * case-file fields as text: flags "0"/"1", drug types comma-separated.
 * worker_id is the responsible social worker (0: none), worker its username
 * and worker_name its display name (the username when that is empty).
 * store_person_get leaves the lists empty; a reader of the whole file fills
 * them with store_person_team, store_person_docs and store_person_episodes
 * (episodes oldest first). */
typedef struct PersonRow {
  int64_t id, version, org_id;
  char *org_code, *org_name, *org_path;
  char *f[PF__COUNT];
  char *status, *status_since, *control, *risk_level, *next_talk_due, *next_test_due;
  char *created_at, *updated_at;
  int64_t worker_id;
  char *worker, *worker_name;
  HelpMemberRow *team;
  int nteam;
  PersonDocRow *docs;
  int ndocs;
  EpisodeRow *episodes;
  int nepisodes;
} PersonRow;

/* One line of a person list (fixed-size, no allocation). id_number is the
 * full number: masking is the caller's business. */
typedef struct PersonListRow {
  int64_t id;
  char name[FIELD_BYTES(PERSON_NAME_CHARS)];
  char sex[2];
  char id_number[19];
  char org_code[64];
  char org_name[128];
  char status[32];
  char control[16];
  char risk_level[16];
  char next_talk_due[11];
  char next_test_due[11];
  char worker_name[128]; /* the responsible worker's display name; "" when none */
} PersonListRow;

/* The order of a list: by one column, the ties by what the column's index
 * holds next (unit path, then id), so that an index walk yields the order. */
typedef enum {
  PSORT_ID,        /* id: newest first when descending (the default) */
  PSORT_NAME,      /* name (index person_name) */
  PSORT_ID_NUMBER, /* ID number (its unique index) */
  PSORT_ORG,       /* unit, in the order of the tree (index person_scope) */
  PSORT_STATUS,    /* status code (person_status) */
  PSORT_RISK,      /* risk level code (person_risk) */
  PSORT_TALK_DUE,  /* next talk due (person_talk_due) */
  PSORT_TEST_DUE,  /* next test due (person_test_due) */
  PSORT_WORKER,    /* responsible worker, by account (person_worker) */
  PSORT__COUNT
} PersonSort;

/* Checks a file must pass to be complete (bits of PersonListFilter's
 * incomplete); app/person.c says which make up "incomplete" (档案不完整). */
#define PL_MISSING_STATUS 1u    /* no status episode */
#define PL_MISSING_TEAM 2u      /* supervised (detox, rehab, social supervision) without a help-team member */
#define PL_MISSING_AGREEMENT 4u /* under a community order (detox, rehab) without an agreement */

/* What a list selects: persons in the subtree of scope whose name starts
 * with name_prefix and whose ID number starts with id_prefix, with the
 * status, control, risk level and responsible worker given (each when
 * given), and failing one of the incomplete checks (when any). The access
 * path is chosen from these, the sort and the shape of the scope (see
 * store/person.c). */
typedef struct PersonListFilter {
  const char *scope;       /* subtree path, ends with '/' (required) */
  const char *name_prefix; /* NULL/"" for none */
  const char *id_prefix;   /* NULL/"" for none (digits and X) */
  const char *status;      /* status code; NULL for any */
  const char *control;     /* "in_control" | "lost_contact"; NULL for any */
  const char *risk;        /* risk level code, "" for not assessed; NULL for any */
  int64_t worker_id;       /* > 0: this responsible worker; -1: none assigned; 0: any */
  unsigned incomplete;     /* PL_MISSING_* checks, a file failing any; 0: no such filter */
  int complete;            /* 0: no such filter; 1: supervised, file_missing 0 and (when complete_talk) no
                              talk overdue on today; 2: supervised and not so (app/casework.h) */
  bool complete_talk;
  char today[11];
  PersonSort sort;
  bool desc;               /* descending (PSORT_ID descending is newest first) */
  int64_t limit, offset;
} PersonListFilter;

/* A new episode (borrowed strings; NULL or "" dates are stored as NULL). */
typedef struct EpisodeIn {
  const char *status, *decision_date, *start_date, *decision_no, *planned_end, *note;
  int64_t corrects_id; /* 0 when none */
} EpisodeIn;

/* Loads person id into *out when it lies in scope; ERR_NOT_FOUND when it is
 * missing or outside the scope (the same answer). On success the caller
 * frees *out with store_person_row_free. */
int store_person_get(Db *db, int64_t id, const char *scope, PersonRow *out, Err *e);
/* Frees every string and list of r and zeroes it. NULL allowed. */
void store_person_row_free(PersonRow *r);

/* Counting stops here: a list's *total is at most PERSON_LIST_COUNT_CAP + 1,
 * and a total above the cap means "more than PERSON_LIST_COUNT_CAP". */
#define PERSON_LIST_COUNT_CAP 10000

/* Lists the persons matching f in the order of f->sort and f->desc, at most
 * f->limit of them from f->offset; *total is the count of all matches, up to
 * PERSON_LIST_COUNT_CAP + 1. *items is malloc'd (caller frees with free();
 * NULL when *n is 0). */
int store_person_list(Db *db, const PersonListFilter *f, PersonListRow **items, int *n, int64_t *total, Err *e);

/* Sets *taken when some person other than except_id (0: none) has this ID
 * number, whatever the scope (an ID number is registered once); then
 * *holder_id and holder_path (holder_path_sz bytes) name that person and its
 * unit path (both may be NULL). */
int store_person_id_taken(Db *db, const char *id_number, int64_t except_id, bool *taken, int64_t *holder_id,
                          char *holder_path, size_t holder_path_sz, Err *e);

/* Inserts a person in unit org_id (path org_path) with the values f[] (as in
 * PersonRow; "" dates are stored as NULL, flags are "0"/"1"), version 1 and
 * no status. *id_out is the new id. A duplicate ID number is ERR_CONFLICT. */
int store_person_insert(Db *db, int64_t org_id, const char *org_path, const char *const f[PF__COUNT],
                        const char *now, int64_t *id_out, Err *e);
/* Rewrites every field of person id and its unit, and bumps the version,
 * only when the stored version is still `version`; ERR_CONFLICT otherwise.
 * A change of unit clears the responsible worker (who works in the old
 * unit). The caller has saved the old values with store_person_revision_add. */
int store_person_update(Db *db, int64_t id, int64_t version, int64_t org_id, const char *org_path,
                        const char *const f[PF__COUNT], const char *now, Err *e);
/* Appends a revision: the snapshot (JSON text) of version `version` of the
 * person, replaced by user changed_by (0: the command line) at `now`. */
int store_person_revision_add(Db *db, int64_t person_id, int64_t version, const char *snapshot,
                              int64_t changed_by, const char *now, Err *e);
/* Number of revisions kept for person_id. */
int store_person_revision_count(Db *db, int64_t person_id, int64_t *count, Err *e);

/* Sets the responsible social worker of person id to user worker_id (0:
 * none). Nothing else of the row changes (not the version, not updated_at). */
int store_person_set_worker(Db *db, int64_t id, int64_t worker_id, Err *e);

/* Sets the derived current status of person id (status code, "" for none;
 * since: ISO date or ""), and updated_at. */
int store_person_set_status(Db *db, int64_t id, const char *status, const char *since, const char *now,
                            Err *e);

/* The current help team of person_id in the order added. *out malloc'd
 * (free with store_person_team_free). */
int store_person_team(Db *db, int64_t person_id, HelpMemberRow **out, int *n, Err *e);
void store_person_team_free(HelpMemberRow *t, int n);
/* Replaces the team: marks every current member removed at `now` and adds
 * the n members given (history is kept). */
int store_person_team_replace(Db *db, int64_t person_id, const HelpMemberIn *members, int n, const char *now,
                              Err *e);

/* The documents of person_id, oldest first. *out malloc'd (free with
 * store_person_docs_free). */
int store_person_docs(Db *db, int64_t person_id, PersonDocRow **out, int *n, Err *e);
void store_person_docs_free(PersonDocRow *d, int n);
/* Appends a document record; *id_out (may be NULL) is its id. */
int store_person_doc_add(Db *db, int64_t person_id, const char *kind, const char *signed_date,
                         const char *number, const char *now, int64_t *id_out, Err *e);

/* Every status episode of person_id, oldest first, with voided marked.
 * *out malloc'd (free with store_person_episodes_free). */
int store_person_episodes(Db *db, int64_t person_id, EpisodeRow **out, int *n, Err *e);
void store_person_episodes_free(EpisodeRow *ep, int n);
/* Appends an episode written by user created_by (0: the command line);
 * *id_out (may be NULL) is its id. */
int store_person_episode_add(Db *db, int64_t person_id, const EpisodeIn *in, int64_t created_by,
                             const char *now, int64_t *id_out, Err *e);

#endif
