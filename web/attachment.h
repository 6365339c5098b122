/* web/attachment.h: what a record's page shows of its attachments (web/
 * attachment.c): the thumbnails (images scaled by CSS), links, the void and
 * upload forms, and the notice an upload or a void leaves. The handlers are
 * declared in web/routes.h. */
#ifndef JINDU_WEB_ATTACHMENT_H
#define JINDU_WEB_ATTACHMENT_H
#include <stdbool.h>
#include <stdint.h>
#include "web/http.h"

/* The attachments of record entity/record_id (nothing when the actor may not
 * read them): each image as a thumbnail linking to the file, a PDF as a
 * link; with forms, a void form per attachment (returning to back, the
 * page's local path) and the upload form posting to upload_action. The
 * block has id "att-RECORD_ID" (the notices' fragment). */
void page_attachment_section(Req *r, const char *entity, int64_t record_id, const char *upload_action,
                             const char *back, bool forms);
/* The notice (or the refusal's message) an upload or a void left (?att=). */
void page_attachment_notice(Req *r);

#endif
