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

/* What a server keeps in memory between requests: the rule that bounds its
 * RSS (issue 11: an .xlsx of 50 000 rows within 100 MB, the whole process,
 * every worker thread warm). Measured in docs/BENCHMARKS.md ".xlsx export".
 * - SQLite page caches. Each worker thread keeps its connection, and a
 *   connection keeps its page cache full of what it read, so a large read
 *   (an export, the statistics) leaves cache_size behind once per thread
 *   that served one. The worker connections share SERVE_CACHE_BUDGET_KIB:
 *   each gets budget / threads, never less than SERVE_CACHE_MIN_KIB
 *   (SQLite's own default). The audit writer's connection (app/audit.c) and
 *   the housekeeping one (small appends and purges) get 2 MiB each. 24 MiB
 *   a worker (2 threads) instead of 64 made the statistics no slower.
 * - malloc. Each worker thread allocates from an arena of its own, and
 *   glibc's dynamic thresholds let an arena keep up to 64 MB of free memory
 *   on top after a request of many rows (the work list's 50 000 items). Fixed
 *   thresholds: a block of SERVE_MALLOC_MMAP or more is a mapping of its own,
 *   and an arena gives back what is free on top above SERVE_MALLOC_TRIM;
 *   an export also ends with malloc_trim (web/server.c). A lower trim
 *   threshold (8 MiB) made the street's statistics 60 % slower (their
 *   memory was given back and faulted in again on every request). */
#define SERVE_CACHE_BUDGET_KIB (48 * 1024)
#define SERVE_CACHE_MIN_KIB 2048
#define SERVE_MALLOC_MMAP (32 << 20)
#define SERVE_MALLOC_TRIM (32 << 20)

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
