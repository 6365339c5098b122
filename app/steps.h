/* app/steps.h: the steps that several use cases share. A use case never
 * calls another use case (DESIGN.md): what two of them share is a step
 * here. A step runs inside the caller's open write transaction and opens,
 * commits and rolls back none; it checks no rights (the use case has),
 * and the use case's own audit row is app_commit's. On failure it
 * returns an ErrCode with e filled, and the caller ends with app_fail.
 * Each step is implemented in the file of the entity it writes. */
#ifndef JINDU_APP_STEPS_H
#define JINDU_APP_STEPS_H
#include <stdint.h>
#include "app/app.h"
#include "store/org.h"
#include "store/person.h"

/* Recomputes every derived supervision field of person_id from its stored
 * history under the rule of its unit, as of c->today, and writes them to the
 * person row (updated_at = c->now_iso). Called by every write that changes
 * what the fields depend on (history, unit, rule, drug types, 三无, help
 * team). (app/supervision.c) */
int sup_refresh(Ctx *c, int64_t person_id, Err *e);

/* Writes a transfer request for person_id (unit current_org_id): validates
 * to_org (field "to_org": a community, not the current one; it may lie
 * outside the actor's scope; date is a valid day not in the future, which
 * the caller's table has checked), appends the event transfer_request
 * and a pending approval for the receiving street's office. ERR_CONFLICT
 * when a transfer is already pending. *event_id / *approval_id may be NULL.
 * Does not refresh. (app/approval.c) */
int sup_transfer_request(Ctx *c, int64_t person_id, int64_t current_org_id, const char *to_org, const char *date,
                         const char *note, int64_t *event_id, int64_t *approval_id, Err *e);

/* Looks up the unit with code for a filter: ERR_OK with *org filled when it
 * exists and lies in the actor's scope; ERR_NOT_FOUND, e untouched, when it
 * does not exist or lies outside (the caller says so in its own words);
 * another error in e. Opens no transaction. (app/org.c) */
int org_in_scope(Ctx *c, const char *code, OrgUnit *org, Err *e);

/* Begins a write on person id (*id_out, may be NULL, the id of the row the
 * use case writes, is 0 until it succeeds): the right PERM_PERSON_WRITE (else
 * ERR_FORBIDDEN), the transaction, and the person in the actor's scope
 * into *row (ERR_NOT_FOUND outside it). ERR_OK with the transaction open
 * (the use case ends with person_row_commit or person_row_fail); otherwise
 * ended, nothing to free. (app/person.c) */
int person_write_begin(Ctx *c, int64_t id, PersonRow *row, int64_t *id_out, Err *e);

/* The ends of a use case that loaded a person row: app_commit with the
 * audit row a (which may point into row), or app_fail; then row is freed
 * (store_person_row_free). (app/person.c) */
int person_row_commit(Ctx *c, PersonRow *row, const AppAudit *a, Err *e);
int person_row_fail(Ctx *c, PersonRow *row, Err *e);

/* The five knowns (五知道) of a case file, in this order: basics, contacts,
 * family and economy, state of mind, movements. */
#define PERSON_FIVE_KNOWNS 5
/* Writes the given five knowns (NULL or "" = unchanged) of person_id in the
 * actor's scope (else ERR_NOT_FOUND) as a change of the case file: checked
 * as app_person_update checks them (field errors), the old values kept as a
 * revision, the version bumped, and the change audited as "update" (the
 * case file's own row, beside the caller's). Nothing is written when no
 * value differs. The derived fields do not depend on them: no refresh.
 * (app/person.c) */
int person_five_knowns_write(Ctx *c, int64_t person_id, const char *const fk[PERSON_FIVE_KNOWNS], Err *e);

#endif
