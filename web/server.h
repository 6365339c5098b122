/* web/server.h: `jindu serve`: the HTTP server. */
#ifndef JINDU_SERVER_H
#define JINDU_SERVER_H
#include <stdbool.h>
#include "core/err.h"

/* Serves db_path on listen ("127.0.0.1:8080") until SIGINT/SIGTERM; threads
 * is the worker pool size (0: number of cores); trusted_proxy (or NULL) is
 * the address of the reverse proxy whose X-Real-IP header names the client
 * (for throttling and the audit log). Unless quiet, each request leaves one
 * access line on stderr (time, request id, method, route pattern, status,
 * milliseconds, user id). Returns ERR_OK after a clean stop. */
int server_run(const char *db_path, const char *listen, int threads, bool secure_cookies, const char *trusted_proxy,
               bool quiet, Err *e);

#endif
