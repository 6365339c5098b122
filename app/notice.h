/* app/notice.h: a user's notices (通知): what others did that concerns her,
 * written by the use case that did it in its own transaction
 * (store/notice.h): an approval she proposed was decided (approval_decided),
 * a file moved into or out of her community (moved_in, moved_out: the
 * social workers of the two communities of an approved transfer), a file
 * given to her as its responsible social worker (assigned). She lists them
 * on the workbench and marks them read. */
#ifndef JINDU_APP_NOTICE_H
#define JINDU_APP_NOTICE_H
#include "app/app.h"
#include "store/notice.h"

/* One notice as shown (store/notice.h's row). */
typedef NoticeRow Notice;

/* The newest notices of the actor (unread_only: not read yet), at most
 * limit (1..200); *unread counts all unread ones. *items malloc'd (free()).
 * Any signed-in user; the command line has none (an empty list). */
int app_notice_list(Ctx *c, bool unread_only, int limit, Notice **items, int *n, int64_t *unread, Err *e);
/* Marks the actor's notice id read (id 0: every unread one); *changed (may
 * be NULL) counts those marked. ERR_NOT_FOUND for an id that is not an
 * unread notice of hers. */
int app_notice_read(Ctx *c, int64_t id, int64_t *changed, Err *e);
/* The Chinese sentence of a notice's kind (a msgid: "您提请的审批已处理"...). */
const char *notice_kind_name_zh(const char *kind);

#endif
