/* app/place.h: places and partner units (场所与单位, issue 10 point 1):
 * schools, enterprises, entertainment venues (with a category and a
 * licence number), member units (成员单位), village groups and others,
 * registered under an org unit with name, address, contact and phone. They
 * are the targets of 六进, the signers of letters (app/letter.h), the
 * objects of inspections (app/inspection.h) and the service providers of
 * the casework (app_place_active_of_kind). Scoped like persons: by the
 * owning unit's path (out of scope: ERR_NOT_FOUND as a missing one).
 * Registered and changed by the actors with PERM_PERSON_WRITE; never
 * deleted: deactivated with a reason by an office (PERM_USER_ADMIN). Every
 * write is one transaction with its audit row. */
#ifndef JINDU_APP_PLACE_H
#define JINDU_APP_PLACE_H
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "store/place.h"

/* A place to register or change (field table place_record). */
typedef struct PlaceInput {
  const char *org;  /* unit code, in scope (required) */
  const char *kind; /* place_kind_vocab (required) */
  const char *name; /* required; unique among the unit's active places */
  const char *address, *contact, *phone;
  const char *category;   /* venue_category_vocab: required for a venue, refused otherwise */
  const char *licence_no; /* 许可证号 */
  const char *notes;
} PlaceInput;
extern const RecordSpec place_record;

/* Registers a place: the table's checks, the unit (field "org"), the
 * category rule (field "category"), a name taken by another active place
 * of the unit (field "name"), all in one round; nothing written on any
 * error. *id (may be NULL) the new place's id. */
int app_place_add(Ctx *c, const PlaceInput *in, int64_t *id, Err *e);
/* Changes place id (in scope, active: else ERR_NOT_FOUND / ERR_CONFLICT)
 * to in, checked as app_place_add; the old values in the audit row. */
int app_place_update(Ctx *c, int64_t id, const PlaceInput *in, Err *e);
/* Place id (active or not); ERR_NOT_FOUND when missing or out of scope.
 * Free *out with store_place_free. */
int app_place_get(Ctx *c, int64_t id, PlaceRow *out, Err *e);
/* Deactivates place id with reason (required, at most PLACE_REASON_CHARS,
 * field "reason"); ERR_FORBIDDEN without PERM_USER_ADMIN; ERR_CONFLICT when
 * inactive already. Audited ("deactivate"). */
int app_place_deactivate(Ctx *c, int64_t id, const char *reason, Err *e);

typedef struct PlaceQuery {
  const char *org;    /* a unit in scope (its subtree); NULL/"": the actor's scope; else ERR_NOT_FOUND */
  const char *kind;   /* field "kind" */
  const char *q;      /* part of the name */
  const char *active; /* NULL, "" or "1": active ones; "0": deactivated; "all"; else field "active" */
  int page, per_page; /* per_page 1..UNIT_LIST_MAX (< 1: 50) */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} PlaceQuery;

/* The places of q by unit, kind and name; *total all of q's; free *out
 * with store_place_rows_free. */
int app_place_list(Ctx *c, const PlaceQuery *q, PlaceRow **out, int *n, int64_t *total, Err *e);
/* The active places of kind (a code of place_kind_vocab, else field
 * "kind") within the actor's scope, by unit and name: the choices of a
 * form that picks one (a member unit as a service provider, a venue to
 * inspect, a signer). At most UNIT_LIST_MAX. Free with store_place_rows_free. */
int app_place_active_of_kind(Ctx *c, const char *kind, PlaceRow **out, int *n, Err *e);

#endif
