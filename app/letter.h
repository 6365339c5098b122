/* app/letter.h: responsibility letters (目标管理责任书, issue 10 point 4):
 * a unit issues letters of a kind for a year (禁毒目标责任书, 禁种铲毒责任书,
 * 场所禁毒责任书, other: core/ledger.h) and a lower unit or a place in its
 * subtree signs each on a day; a scan is an attachment. The office states
 * which signers it requires for a year and kind; 签订率 = required signers
 * that signed ÷ required signers, and the missing ones are listed. Letters
 * are recorded by the actors with PERM_PERSON_WRITE for issuing units in
 * their scope; requirements are set by an office (PERM_USER_ADMIN); read by
 * every actor within scope (out of scope: ERR_NOT_FOUND). One transaction
 * with its audit row a write. */
#ifndef JINDU_APP_LETTER_H
#define JINDU_APP_LETTER_H
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "store/letter.h"

/* A letter to record (field table letter_record). JSON: "signer_org" (a
 * unit code) or "signer_place" (a place id), exactly one. */
typedef struct LetterInput {
  const char *org;          /* the issuing unit's code, in scope (required) */
  int64_t year;             /* required; LETTER_YEAR_MIN .. next year */
  const char *kind;         /* letter_kind_vocab (required) */
  const char *signer_org;   /* a unit strictly below the issuing unit */
  int64_t signer_place;     /* an active place in the issuing unit's subtree */
  const char *signed_date;  /* required, not in the future, in the year (or the December before) */
  const char *notes;
} LetterInput;
extern const RecordSpec letter_record;

/* Records a letter: every check in one round (fields "org", "year",
 * "kind", "signer_org"/"signer_place", "signed_date"); ERR_CONFLICT when
 * the signer's letter of that kind and year is recorded already. */
int app_letter_add(Ctx *c, const LetterInput *in, int64_t *id, Err *e);
/* Letter id; ERR_NOT_FOUND when missing or out of scope. */
int app_letter_get(Ctx *c, int64_t id, LetterRow *out, Err *e);

/* A signer to require (field table letter_required_record, letter_record's
 * first five fields): org, year, kind, signer_org or signer_place as a
 * letter's; signed_date and notes are not read. */
typedef LetterInput LetterRequireInput;
extern const RecordSpec letter_required_record;

/* Requires a signer (PERM_USER_ADMIN; checks as app_letter_add's);
 * ERR_CONFLICT when required already. *id may be NULL. */
int app_letter_require(Ctx *c, const LetterRequireInput *in, int64_t *id, Err *e);
/* Removes requirement id (PERM_USER_ADMIN; in scope, else ERR_NOT_FOUND). Audited. */
int app_letter_unrequire(Ctx *c, int64_t id, Err *e);

typedef struct LetterQuery {
  const char *org;    /* a unit in scope (its subtree); NULL/"": the actor's scope; else ERR_NOT_FOUND */
  const char *year;   /* "2026"; NULL or "": this year; else field "year" */
  const char *kind;   /* field "kind" */
  int page, per_page; /* per_page 1..UNIT_LIST_MAX (< 1: 50) */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} LetterQuery;

/* What a letter list says of its year: the required signers of the
 * filter, how many of them signed (签订率 = signed ÷ required), and every
 * requirement (missing ones have letter_id 0). */
typedef struct LetterSummary {
  int year;
  int64_t required, signed_n;
  LetterNeedRow *need; /* malloc'd (free()) */
  int nneed;
} LetterSummary;

/* The letters of q (newest first) and the summary of its year; *out and
 * s->need malloc'd (free()). */
int app_letter_list(Ctx *c, const LetterQuery *q, LetterRow **out, int *n, int64_t *total, LetterSummary *s, Err *e);

#endif
