/* web/upload.h: file uploads (photos and scans). Owns which requests may
 * carry a large body (the routes flagged ROUTE_UPLOAD: a file of up to
 * FILETYPE_MAX_BYTES plus room for the form around it; every other body is
 * held to REQ_BODY_MAX) and the parsing of their multipart/form-data body
 * with libmicrohttpd's post processor (MHD_create_post_processor): the text
 * fields go to r->form (so the CSRF field is checked as on every form), the
 * one file (field "file") to r->upload and r->upload_name. The bytes are
 * kept as sent: their type is checked from them later (core/filetype.h). */
#ifndef JINDU_UPLOAD_H
#define JINDU_UPLOAD_H
#include <stdbool.h>
#include <stddef.h>
#include "core/filetype.h"
#include "web/http.h"

/* The form field of the file. */
#define UPLOAD_FIELD "file"
/* The most a request to an upload route may send: the file and 64 KiB of form. */
#define UPLOAD_BODY_MAX (FILETYPE_MAX_BYTES + 64 * 1024)
/* The message of a file (or body) over the limit (413). */
#define UPLOAD_TOO_LARGE_MSG "文件不能超过 10 MB"

/* The body limit of a request to method path: UPLOAD_BODY_MAX on a route
 * flagged ROUTE_UPLOAD, REQ_BODY_MAX elsewhere. */
size_t upload_body_max(const char *method, const char *path);

/* Parses r's multipart/form-data body into r->form and r->upload (web/
 * server.c calls it for ROUTE_UPLOAD routes, before the CSRF check). true
 * when done; false when r has been answered with the error (400 for a body
 * that is not multipart/form-data or is cut short, or a second file; 413
 * for a file over FILETYPE_MAX_BYTES). A request without a file part is no
 * error here: the handler says what is missing. */
bool upload_parse(Req *r);

#endif
