/* web/download.h: answering a request with a file rather than a page: the
 * Content-Disposition header (inline or attachment, an ASCII fallback
 * filename and the UTF-8 one as RFC 5987 filename*), and a body read from an
 * open descriptor (the xlsx exports) instead of r->out. Used by the xlsx
 * writer (web/xlsx.c) and the attachments (web/api_attachment.c). */
#ifndef JINDU_DOWNLOAD_H
#define JINDU_DOWNLOAD_H
#include <stdbool.h>
#include <stdint.h>
#include "web/http.h"

/* Sets Content-Disposition: "inline" or "attachment", filename="<ASCII>"
 * (filename itself when all of it is [A-Za-z0-9._-] and it does not start
 * with a dot, else fallback, which must be such a name) and
 * filename*=UTF-8''<filename percent-encoded>. filename is UTF-8 text; any
 * byte is safe (quotes, CR and LF are encoded). */
void download_disposition(Req *r, bool inline_, const char *filename, const char *fallback);

/* Answers r (status 200, content_type) with the size bytes of the open
 * descriptor fd, read from its current offset. r owns fd from here: the
 * server hands it to libmicrohttpd, which closes it after sending (or it is
 * closed with r when no answer is sent). */
void download_fd(Req *r, int fd, uint64_t size, const char *content_type);

#endif
