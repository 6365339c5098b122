/* web/server.h: `jindu serve`: the HTTP server. */
#ifndef JINDU_SERVER_H
#define JINDU_SERVER_H
#include <stdbool.h>
#include "core/err.h"

/* The defaults of ServeOpts' limits (docs/SECURITY.md says how to choose). */
#define SERVE_PER_ADDRESS 32      /* connections one client address holds at once */
#define SERVE_HEADER_TIMEOUT 15   /* seconds a request has to send all its headers */
#define SERVE_BODY_TIMEOUT 60     /* seconds it then has to send its body (uploads: 5 times) */
#define SERVE_CONNECTIONS 1000    /* connections in all */

/* What `jindu serve` is told. */
typedef struct ServeOpts {
  const char *db_path;
  const char *listen;        /* "127.0.0.1:8080" */
  int threads;               /* the worker pool size (0: number of cores) */
  bool secure_cookies;       /* cookies always Secure (TLS in front) */
  const char *trusted_proxy; /* the reverse proxy's address (or NULL): its X-Real-IP names the client
                                (throttling, the audit log) and its X-Forwarded-Proto https makes
                                cookies Secure; its connections are not counted per address */
  bool quiet;                /* no access line per request */
  int per_address;           /* 0: SERVE_PER_ADDRESS */
  int header_timeout;        /* 0: SERVE_HEADER_TIMEOUT */
  int body_timeout;          /* 0: SERVE_BODY_TIMEOUT */
  int read_limit;            /* case-file reads a user may make a minute (0: READ_LIMIT_DEFAULT, app/read_limit.h) */
} ServeOpts;

/* Serves o->db_path on o->listen until SIGINT/SIGTERM. Unless quiet, each
 * request leaves one access line on stderr (time, request id, method, route
 * pattern, status, milliseconds, user id). One client address holds at
 * most per_address connections (more are closed as they are accepted); a
 * request that has not sent its headers header_timeout seconds after its
 * connection opened (or the previous answer on it was sent), or its body
 * body_timeout seconds after its headers, has its connection closed.
 * Returns ERR_OK after a clean stop. */
int server_run(const ServeOpts *o, Err *e);

#endif
