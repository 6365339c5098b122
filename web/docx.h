/* web/docx.h: answering a request with a Word document (.docx): the parts
 * of core/docx.h packed into a zip with libzip (deflated, in memory). */
#ifndef JINDU_WEB_DOCX_H
#define JINDU_WEB_DOCX_H
#include "core/buf.h"
#include "core/err.h"
#include "web/http.h"

#define DOCX_MIME "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* The .docx of title and text into out (the file's bytes). */
int docx_build(const char *title, const char *text, Buf *out, Err *e);
/* Answers r with the .docx of title and text as a download named filename
 * (UTF-8; "summary.docx" as the ASCII fallback). */
void docx_send(Req *r, const char *title, const char *text, const char *filename);

#endif
