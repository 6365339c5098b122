/* app/org.h: the org-unit use cases: add, rename and move units of the tree
 * (county/district > street/town > community/village), list and look them
 * up within the actor's scope. Writes need PERM_ORG_ADMIN, run in one
 * transaction and are audited; a unit outside the scope is ERR_NOT_FOUND. */
#ifndef JINDU_APP_ORG_H
#define JINDU_APP_ORG_H
#include "app/app.h"
#include "store/org.h"

/* Adds a unit. code: 1-32 of [A-Za-z0-9_-], unique (else ERR_CONFLICT
 * "编码已存在"); name: 1-60 bytes of text; level: "county" (no parent; only
 * an actor whose scope is "/", i.e. the command line, may add one),
 * "street" (parent a county) or "community" (parent a street). The parent
 * must lie in the actor's scope. *out (may be NULL) gets the new unit. */
int app_org_add(Ctx *c, const char *code, const char *name, const char *level, const char *parent_code,
                OrgUnit *out, Err *e);
/* Renames the unit with this code (in scope) to name (1-60 bytes). */
int app_org_rename(Ctx *c, const char *code, const char *name, Err *e);
/* Sets the administrative division code of unit code (issue 9): the digits
 * of its level (6 county, 9 street, 12 community; core/division.h), starting
 * with the parent's code when the parent has one; "" clears it. PERM_ORG_ADMIN,
 * in scope; audited ("division"). Field errors on "division". */
int app_org_set_division(Ctx *c, const char *code, const char *division, Err *e);
/* Moves the unit with this code, with its subtree and their persons, under
 * new_parent_code. Both must lie in scope; the unit may not be the actor's
 * own nor a county; the new parent must have the level above the unit's and
 * lie outside the unit's subtree. Moving to the current parent does nothing. */
int app_org_move(Ctx *c, const char *code, const char *new_parent_code, Err *e);
/* Lists the units of the actor's scope ordered by path (any signed-in
 * actor). *out is malloc'd; the caller frees it with free() (NULL when *n
 * is 0). */
int app_org_list(Ctx *c, OrgUnit **out, int *n, Err *e);
/* Lists every unit of the county that holds the actor's unit (the whole
 * tree for a scope of "/"), in tree order: where a transfer may go (the
 * receiving community usually lies outside the actor's scope; unit names
 * and codes are not case data). Any signed-in actor; *out as app_org_list. */
int app_org_list_county(Ctx *c, OrgUnit **out, int *n, Err *e);
/* Loads the unit with this code into *out; ERR_NOT_FOUND when there is none
 * or it lies outside the actor's scope. */
int app_org_get(Ctx *c, const char *code, OrgUnit *out, Err *e);

/* true when code is 1-32 of [A-Za-z0-9_-] (also used to check references). */
bool app_org_code_ok(const char *code);

#endif
