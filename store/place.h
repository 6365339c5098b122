/* store/place.h: the SQL of places and partner units (场所与单位: table
 * place): schools, enterprises, venues, member units, village groups,
 * registered under an org unit. A place belongs to its unit by id; scope is
 * the unit's path read through org_unit. Never deleted: deactivated with a
 * reason. No rights checks (app/place.c). Every function returns ERR_OK or
 * an ErrCode with e filled. */
#ifndef JINDU_STORE_PLACE_H
#define JINDU_STORE_PLACE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"
#include "store/org.h"

#define PLACE_NAME_CHARS 100
#define PLACE_ADDRESS_CHARS 200
#define PLACE_CONTACT_CHARS 40
#define PLACE_LICENCE_CHARS 60
#define PLACE_NOTES_CHARS 1000
#define PLACE_REASON_CHARS 200

/* A place to write (text NULL or "" when empty). */
typedef struct PlaceIn {
  int64_t org_id;
  const char *kind, *name, *address, *contact, *phone, *category, *licence_no, *notes;
} PlaceIn;

/* A place as stored, with its unit. */
typedef struct PlaceRow {
  int64_t id, org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char kind[24], name[FIELD_BYTES(PLACE_NAME_CHARS)], address[FIELD_BYTES(PLACE_ADDRESS_CHARS)];
  char contact[FIELD_BYTES(PLACE_CONTACT_CHARS)], phone[64], category[24];
  char licence_no[FIELD_BYTES(PLACE_LICENCE_CHARS)];
  char *notes; /* malloc'd */
  bool active;
  char deactivated_at[32], deactivate_reason[FIELD_BYTES(PLACE_REASON_CHARS)];
  char created_by[64], created_at[32];
} PlaceRow;

/* Writes a new place (active). */
int store_place_add(Db *db, const PlaceIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Changes place id's fields to in's (its unit included). */
int store_place_update(Db *db, int64_t id, const PlaceIn *in, Err *e);
/* Place id; ERR_NOT_FOUND "记录不存在" when there is none. Free with store_place_free. */
int store_place_get(Db *db, int64_t id, PlaceRow *out, Err *e);
void store_place_free(PlaceRow *p);
/* Deactivates place id (by, now, reason); ERR_CONFLICT "该场所或单位已停用" when it is not active. */
int store_place_deactivate(Db *db, int64_t id, int64_t by, const char *now, const char *reason, Err *e);

typedef struct PlaceFilter {
  const char *scope;  /* unit path: the places of its subtree */
  const char *kind;   /* NULL or "": every kind */
  const char *q;      /* NULL or "": any; else a part of the name */
  int active;         /* 1 active only, 0 inactive only, -1 both */
  int64_t limit, offset;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} PlaceFilter;

/* The places of f, by unit path, kind and name; *total all of f's; *out
 * malloc'd (store_place_rows_free). */
int store_place_list(Db *db, const PlaceFilter *f, PlaceRow **out, int *n, int64_t *total, Err *e);
void store_place_rows_free(PlaceRow *rows, int n);

#endif
