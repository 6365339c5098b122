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

/* Rebuilds the statistical facts of person_id (core/stats.h) from its
 * stored history and writes them under every unit of its unit history,
 * first appending the unit history row when the person's unit is not its
 * latest (from c->today; since always for a new file). Called by
 * sup_refresh, so by every write that changes the history, the unit or the
 * help team, and by the writes of documents. (app/stats_facts.c) */
int stats_refresh(Ctx *c, int64_t person_id, Err *e);

/* Writes a transfer request for person_id (unit current_org_id): validates
 * to_org (field "to_org": a community, not the current one; it may lie
 * outside the actor's scope; date is a valid day not in the future, which
 * the caller's table has checked), appends the event transfer_request
 * and a pending approval for the receiving street's office. ERR_CONFLICT
 * when a transfer is already pending. *event_id / *approval_id may be NULL.
 * Does not refresh. (app/approval.c) */
int sup_transfer_request(Ctx *c, int64_t person_id, int64_t current_org_id, const char *to_org, const char *date,
                         const char *note, int64_t *event_id, int64_t *approval_id, Err *e);

/* Writes a leave (请假外出) of person_id from date to until (valid days,
 * until not before date: the caller's checks) with note (may be NULL), by
 * the rule of app/supervision.h: a leave that ended before today is a
 * plain event (recorded after the fact); otherwise an open one (until the
 * return), and one of 3 days or more also a pending approval (kind leave)
 * for the office of the person's street, whose payload names the event.
 * ERR_CONFLICT when a leave approval is pending already. *event_id and
 * *approval_id (0: none) may be NULL. Does not refresh. (app/approval.c) */
int sup_leave_request(Ctx *c, int64_t person_id, const char *date, const char *until, const char *note,
                      int64_t *event_id, int64_t *approval_id, Err *e);

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

/* The unit of a unit record (an eradication patrol, a piece of unit work)
 * chosen by its code: it must exist and lie in the actor's scope, else the
 * field error "org" (请选择单位 when empty); a storage failure sets e's
 * code. Fills *out on success. (app/unit_task.c) */
struct OrgUnit;
int unit_record_org(Ctx *c, const char *code, struct OrgUnit *out, Err *e);
/* The unit whose subtree a list of unit records covers: the unit with code
 * in the actor's scope (NULL or "": the actor's own unit; for the command
 * line, whose scope is everything, a unit of path "/"), else ERR_NOT_FOUND
 * "组织单位不存在". (app/unit_task.c) */
int unit_scope_org(Ctx *c, const char *code, struct OrgUnit *out, Err *e);
/* The checks and paging of a list of unit records: the date filters from
 * and to (NULL or "": open; fields "from", "to" when not YYYY-MM-DD, added
 * to e), page (< 1: 1) and per_page (< 1: 50; at most 50 000) as *limit and
 * *offset. Returns e->code. (app/unit_task.c) */
int unit_list_paging(const char *from, const char *to, int page, int per_page, int64_t *limit, int64_t *offset,
                     Err *e);
/* What a list of unit records fetches with: the unit whose subtree it
 * covers and its page. */
typedef struct UnitList {
  OrgUnit org;
  int64_t limit, offset;
} UnitList;
/* Opens the read of a list of unit records: the paging (unit_list_paging of
 * from, to, page, per_page into l->limit and l->offset, after the field
 * errors e may hold already), a read transaction and l->org, the unit of
 * code (unit_scope_org). ERR_OK: the read is open, the caller ends it with
 * app_read_done; else nothing is open and e holds the error.
 * (app/unit_task.c) */
int unit_list_begin(Ctx *c, const char *code, const char *from, const char *to, int page, int per_page, UnitList *l,
                    Err *e);
/* Ends the read of one unit record that a store get (its result rc) read
 * into out (sz bytes, of unit path org_path) inside the read transaction
 * the caller opened: a record outside the actor's scope is ERR_NOT_FOUND
 * "记录不存在"; out is zeroed on every error. Returns as app_read_done.
 * (app/unit_task.c) */
int unit_record_done(Ctx *c, int rc, const char *org_path, void *out, size_t sz, Err *e);
/* The scope check of a record a store get (its result rc) read into out
 * (sz bytes, of unit path org_path): outside the actor's scope it is
 * ERR_NOT_FOUND "记录不存在", out dropped (drop frees its malloc'd members;
 * NULL: none) and zeroed. Returns the result. (app/unit_task.c) */
int record_in_scope(Ctx *c, int rc, const char *org_path, void *out, size_t sz, void (*drop)(void *), Err *e);

/* Stores the file bytes[0..len) (JPEG, PNG or PDF by its bytes, at most
 * FILETYPE_MAX_BYTES) as an attachment of record entity/entity_id in the
 * unit org_path, inside the caller's transaction; the caller has checked
 * rights and scope. A refused file: ERR_TOO_LARGE, or ERR_INVALID with the
 * message on field (e.g. "file", "photo"). *out (may be NULL) its
 * metadata. attachment_put_audited also appends its audit row ("create"
 * attachment), for a use case whose own audit row is another record's.
 * (app/attachment.c) */
struct AttachmentRow;
int attachment_put_step(Ctx *c, const char *entity, int64_t entity_id, const char *org_path, const char *filename,
                        const void *bytes, size_t len, const char *field, struct AttachmentRow *out, Err *e);
int attachment_put_audited(Ctx *c, const char *entity, int64_t entity_id, const char *org_path, const char *filename,
                           const void *bytes, size_t len, const char *field, Err *e);

#endif
