/* app/draft.h: work never lost. Owns the forms posted after the session
 * expired (or with a stale CSRF token): web/server.c keeps such a post
 * when its one-time token (app/once.h) proves which user the form was
 * issued to, and gives the browser a random id in the jd_draft cookie; only
 * that user, signed in again, gets it back (page /draft), to post it again
 * with a new CSRF token or to drop it. A draft is personal data kept for a
 * short time: at most DRAFT_KEEP_SECONDS, one per user, at most
 * DRAFT_FIELDS_MAX bytes, deleted when used; only the hash of its id is
 * stored, and neither its id nor its content is ever put in a URL or a log. */
#ifndef JINDU_APP_DRAFT_H
#define JINDU_APP_DRAFT_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "store/draft.h"

#define DRAFT_KEEP_SECONDS (2 * 3600)
#define DRAFT_FIELDS_MAX (64 * 1024)
#define DRAFT_ID_HEX 64 /* the cookie's id: 32 random bytes as hex */

/* Keeps the form posted to path (fields: urlencoded, at most
 * DRAFT_FIELDS_MAX bytes, else ERR_TOO_LARGE) for user_id, replacing that
 * user's earlier draft; writes the new id into id_out. c's actor may be
 * signed out. */
int draft_keep(Ctx *c, int64_t user_id, const char *path, const char *fields, char id_out[DRAFT_ID_HEX + 1],
               Err *e);
/* Loads the draft of id when it belongs to c's actor and is younger than
 * DRAFT_KEEP_SECONDS (caller frees out->fields with draft_row_free);
 * ERR_NOT_FOUND otherwise. */
int draft_get(Ctx *c, const char *id, DraftRow *out, Err *e);
/* At sign-in: *kept = the draft of id belongs to c's actor (the one just
 * signed in) and may be offered; any other draft of id is deleted (a draft
 * reaches nobody but its user). */
int draft_claim(Ctx *c, const char *id, bool *kept, Err *e);
/* Deletes the draft of id (used or dropped by whoever holds its cookie). */
int draft_drop(Ctx *c, const char *id, Err *e);
/* Frees the content of a DraftRow. */
void draft_row_free(DraftRow *d);
/* Housekeeping: deletes the drafts older than DRAFT_KEEP_SECONDS. */
int draft_purge(Ctx *c, Err *e);

#endif
