/* store/letter.h: the SQL of responsibility letters (目标管理责任书: table
 * letter) and of the signers an issuing unit requires for a year and kind
 * (letter_required). A letter is issued by a unit (scope: the unit's path
 * through org_unit) and signed by a lower unit or a place; signer_key
 * ("o:ID" or "p:ID") makes a signer's letter of a kind and year unique. No
 * rights checks (app/letter.c). Every function returns ERR_OK or an
 * ErrCode with e filled. */
#ifndef JINDU_STORE_LETTER_H
#define JINDU_STORE_LETTER_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"
#include "store/org.h"

#define LETTER_NOTES_CHARS 500
#define LETTER_SIGNER_KEY_LEN 24

/* The signer_key of a unit (org_id > 0) or else of place place_id. */
void store_letter_signer_key(int64_t org_id, int64_t place_id, char out[LETTER_SIGNER_KEY_LEN]);

/* A letter to write. */
typedef struct LetterIn {
  int64_t org_id;
  int year;
  const char *kind;
  int64_t signer_org_id, signer_place_id; /* exactly one > 0 */
  const char *signed_date, *notes;
} LetterIn;

/* A letter as stored, with its issuing unit and its signer. */
typedef struct LetterRow {
  int64_t id, org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  int year;
  char kind[24];
  char signer_type[8]; /* "org" | "place" */
  char signer_org[64]; /* the signing unit's code ("" for a place) */
  int64_t signer_place_id;
  char signer_name[FIELD_BYTES(100)];
  char signed_date[DATE_ISO_LEN];
  char notes[FIELD_BYTES(LETTER_NOTES_CHARS)];
  char created_by[64], created_at[32];
} LetterRow;

/* Writes a letter; ERR_CONFLICT when the signer's letter of that kind and
 * year from that unit exists. */
int store_letter_add(Db *db, const LetterIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Letter id; ERR_NOT_FOUND "记录不存在" when there is none. */
int store_letter_get(Db *db, int64_t id, LetterRow *out, Err *e);

typedef struct LetterFilter {
  const char *scope; /* issuing unit path: the letters of its subtree */
  int year;          /* 0: every year */
  const char *kind;  /* NULL or "": every kind */
  int64_t limit, offset;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} LetterFilter;

/* The letters of f, newest signing first; *total all of f's; *out malloc'd (free()). */
int store_letter_list(Db *db, const LetterFilter *f, LetterRow **out, int *n, int64_t *total, Err *e);

/* A required signer and whether it has signed. */
typedef struct LetterNeedRow {
  int64_t id, org_id;
  char org_code[64], org_name[128];
  int year;
  char kind[24], signer_type[8], signer_org[64];
  int64_t signer_place_id;
  char signer_name[FIELD_BYTES(100)];
  int64_t letter_id; /* 0: not signed */
  char signed_date[DATE_ISO_LEN];
} LetterNeedRow;

/* Requires the signer (signer_org_id or signer_place_id) of a letter of kind
 * for year from unit org_id; ERR_CONFLICT when it is required already. */
int store_letter_required_add(Db *db, int64_t org_id, int year, const char *kind, int64_t signer_org_id,
                              int64_t signer_place_id, int64_t by, const char *now, int64_t *id, Err *e);
/* Removes requirement id; ERR_NOT_FOUND when there is none. */
int store_letter_required_remove(Db *db, int64_t id, Err *e);
/* Requirement id with its issuing unit's path in *path (size n). */
int store_letter_required_get(Db *db, int64_t id, LetterNeedRow *out, char *path, size_t n, Err *e);
/* The signers the units of the subtree of scope require for year (kind
 * NULL or "": every kind), by unit, kind and signer, each with its letter
 * (when signed); *out malloc'd (free()). */
int store_letter_required_list(Db *db, const char *scope, int year, const char *kind, LetterNeedRow **out, int *n,
                               Err *e);

#endif
