/* web/http.h: Req, one HTTP request and its response under construction,
 * passed explicitly to every handler (no globals), and the helpers handlers
 * use to read parameters and answer. The server (web/server.c) owns the
 * Req's life: handlers never free it. */
#ifndef JINDU_HTTP_H
#define JINDU_HTTP_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/buf.h"
#include "core/err.h"

#define REQ_MAX_PARAMS 128
#define REQ_BODY_MAX (256 * 1024) /* larger bodies answer 413 */
#define DRAFT_COOKIE "jd_draft"   /* the id of the form kept across an expired session (app/draft.h) */

typedef struct Param { char *key; char *val; } Param;

typedef struct ServerConf {
  const char *db_path;
  bool secure_cookies; /* behind TLS: mark cookies Secure */
  bool quiet;          /* no access log line per request */
  char trusted_proxy[64]; /* the reverse proxy's address: its X-Real-IP is the client ("" = none) */
} ServerConf;

typedef struct Req {
  void *conn;               /* struct MHD_Connection* */
  const ServerConf *conf;
  uint64_t id;              /* this server's request number: the access log and the SQL error lines */
  int64_t started_ns;       /* monotonic clock when the request arrived */
  const char *route;        /* the matched route's pattern (static), "-" while none */
  char method[8];
  char *path;               /* decoded path without the query */
  Param query[REQ_MAX_PARAMS]; int nquery;
  Param form[REQ_MAX_PARAMS];  int nform;
  bool params_too_many;
  Buf body;                 /* raw request body */
  size_t body_max;          /* the most its body may hold: REQ_BODY_MAX, more on upload routes (web/upload.h) */
  bool body_too_large;
  Buf upload;               /* the file of a multipart upload (web/upload.c), its bytes as sent */
  char upload_name[256];    /* its filename as the client named it (UTF-8, cut) */
  bool has_upload;
  char address[64];
  bool https;               /* came over TLS through the trusted proxy (X-Forwarded-Proto: https) */
  bool no_host;             /* an HTTP/1.1 request without Host: answered 400 */
  char lang[8];             /* "zh" or "en" */
  bool is_api;              /* under /api/: errors as JSON */
  bool authed;
  bool via_bearer;          /* authenticated by Authorization: Bearer */
  char token[80];           /* the session token as presented */
  char csrf[80];            /* the session's CSRF token */
  Actor actor;
  Ctx ctx;                  /* db, actor and clock for app/ calls */
  int64_t ids[2];           /* numeric path parameters {id}, in order */
  char **kept; int nkept;   /* strings handed to the request (req_keep), freed with it */
  const char *field_prefix; /* set around a page's later forms that repeat field names:
                               the form helpers' ids become f-PREFIX-NAME, e-PREFIX-NAME */
  /* response */
  int status;
  const char *content_type;
  Buf out;
  Buf headers;              /* extra "Name: value\n" lines */
  int body_fd;              /* >= 0: the body is this open file, not out (web/download.h); -1 otherwise */
  uint64_t body_fd_size;
  const char *csp;          /* this answer's Content-Security-Policy (static), NULL: the pages' policy */
  bool done;                /* a response was fully decided */
  bool trim_after;          /* a large answer: the server returns freed memory to the system when the
                               request ends (malloc_trim; set by xlsx_send) */
} Req;

/* A new request on connection conn (a struct MHD_Connection *) for method
 * and url: route "-", status 200, an HTML answer, no answer file, language
 * zh; everything else zero. Freed with req_free. */
Req *req_alloc(void *conn, const char *method, const char *url);
/* Frees r (NULL allowed) and what it holds. The body and the form values
 * may hold passwords (sign-in, password change and reset): they are wiped
 * before they are freed. */
void req_free(Req *r);

/* The value of query parameter key, or NULL. Not owned by the caller. */
const char *req_query(const Req *r, const char *key);
/* The value of form field key (urlencoded POST body), or NULL. */
const char *req_form(const Req *r, const char *key);
/* The value of form field key, or "" when absent (never NULL). */
const char *req_form_str(const Req *r, const char *key);
/* Every value of a repeated form field (e.g. checkboxes): fills up to max
 * pointers, returns the count. */
int req_form_all(const Req *r, const char *key, const char **vals, int max);
/* Hands s (malloc'd, not NULL) to r: freed when r ends. Returns s, valid
 * as long as r (e.g. a value web/bind.c joined from several fields). */
char *req_keep(Req *r, char *s);
/* A request header, or NULL. */
const char *req_header(const Req *r, const char *name);
/* A cookie value, or NULL. */
const char *req_cookie(const Req *r, const char *name);
/* Integer query parameter within [lo,hi], else def. */
long req_query_int(const Req *r, const char *key, long def, long lo, long hi);

/* Parses "a=1&b=2" (len bytes; %XX and '+' decoded) into params from
 * params[*n] on, copies the caller frees with req_params_free; false when
 * malformed or more than REQ_MAX_PARAMS in all. */
bool req_parse_urlencoded(const char *text, size_t len, Param *params, int *n);
/* Copies the query parameters of r's connection (libmicrohttpd decoded
 * them) into r->query; past REQ_MAX_PARAMS sets r->params_too_many. */
void req_collect_query(Req *r);
/* Frees the n params (their values wiped first: they may hold passwords). */
void req_params_free(Param *params, int n);

/* Adds a response header line (value copied). */
void resp_header(Req *r, const char *name, const char *value);
/* Sets a cookie with the server's security attributes (HttpOnly,
 * SameSite=Lax, Path=/, Secure behind TLS); max_age < 0 for a session cookie,
 * 0 to delete. */
void resp_cookie(Req *r, const char *name, const char *value, long max_age, bool http_only);
/* 303 redirect to a local path. */
void resp_redirect(Req *r, const char *location);
/* Answers an error: JSON error body for the API, an HTML error page
 * otherwise. Uses e's code, message and fields. */
void resp_error(Req *r, const Err *e);
/* Shortcut: answers code with msg (a msgid). */
void resp_fail(Req *r, ErrCode code, const char *msg_zh);

#endif
