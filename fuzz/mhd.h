/* fuzz/mhd.h: an in-process libmicrohttpd daemon for the harnesses of the
 * parsers that read a request through libmicrohttpd (the query string, the
 * multipart body): each input is one HTTP request written on a socketpair
 * handed to the daemon (MHD_add_connection: no port, no TIME_WAIT), read
 * into a Req as web/server.c does (its path, headers, body), and given to
 * the harness's handler, whose answer is sent back. */
#ifndef JINDU_FUZZ_MHD_H
#define JINDU_FUZZ_MHD_H
#include <stddef.h>
#include "web/http.h"

/* The harness's handler: parses what it fuzzes from r (r->conn is live)
 * and may answer with resp_fail; r is freed by the helper. */
typedef void (*FuzzMhdHandler)(Req *r);

/* Sends the request (n bytes) to the daemon (started on first use with
 * handler) and reads the answer until the daemon closes; returns the
 * answer's status, 0 when none came (the daemon refused the request). */
int fuzz_mhd_request(FuzzMhdHandler handler, const void *request, size_t n);

#endif
