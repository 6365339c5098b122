/* web/server.c: the HTTP server: libmicrohttpd in its internal thread pool
 * with epoll, one database connection per worker thread, request parsing
 * (path, query, urlencoded form, body with a size bound), language choice,
 * authentication (session cookie or bearer token), CSRF check on every
 * state-changing cookie request, the form kept across an expired session
 * (app/draft.h) and the one-time key of every POST (app/once.h), dispatch
 * through the route table, the response with security headers, the request
 * id and the access log. */
#include "web/server.h"
#include <arpa/inet.h>
#include <assert.h>
#include <inttypes.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "app/audit.h"
#include "app/read_limit.h"
#include "app/auth.h"
#include "app/draft.h"
#include "app/once.h"
#include "app/stats_facts.h"
#include "app/supervision.h"
#include "store/db.h"
#include "store/gen.h"
#include "store/schema.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/conn_guard.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/upload.h"

#define SESSION_COOKIE "jd_session"
#define LANG_COOKIE "jd_lang"
#define ONCE_BODY_MAX (64 * 1024) /* the largest API answer kept for a repeat */

/* One connection per worker thread, opened on first use (SQLite in WAL lets
 * the readers of every thread run beside the one writer) and closed by the
 * thread-key destructor when the pool's thread ends. Not request state. */
static pthread_key_t server_db_key;
static pthread_once_t server_db_key_once = PTHREAD_ONCE_INIT;
static const char *server_db_path;
static int server_cache_kib = SERVE_CACHE_MIN_KIB; /* each worker connection's page cache (web/server.h) */

/* Thread-key destructor: closes a worker thread's connection. */
static void server_db_release(void *db) { db_close(db); }

static void server_db_key_make(void) { pthread_key_create(&server_db_key, server_db_release); }

/* This thread's connection, or NULL (e filled) when it cannot be opened. */
static Db *server_db(Err *e) {
  pthread_once(&server_db_key_once, server_db_key_make);
  Db *db = pthread_getspecific(server_db_key);
  if (db) return db;
  if (db_open(&db, server_db_path, NULL, e) != ERR_OK) return NULL;
  if (db_cache_limit(db, server_cache_kib, e) != ERR_OK) {
    db_close(db);
    return NULL;
  }
  pthread_setspecific(server_db_key, db);
  return db;
}

/* ---- parameters ------------------------------------------------------- */

const char *req_query(const Req *r, const char *key) {
  for (int i = 0; i < r->nquery; i++)
    if (strcmp(r->query[i].key, key) == 0) return r->query[i].val;
  return NULL;
}

const char *req_form(const Req *r, const char *key) {
  for (int i = 0; i < r->nform; i++)
    if (strcmp(r->form[i].key, key) == 0) return r->form[i].val;
  return NULL;
}

const char *req_form_str(const Req *r, const char *key) {
  const char *v = req_form(r, key);
  return v ? v : "";
}

int req_form_all(const Req *r, const char *key, const char **vals, int max) {
  int n = 0;
  for (int i = 0; i < r->nform && n < max; i++)
    if (strcmp(r->form[i].key, key) == 0) vals[n++] = r->form[i].val;
  return n;
}

char *req_keep(Req *r, char *s) {
  char **k = realloc(r->kept, sizeof *k * (size_t)(r->nkept + 1));
  if (!k) abort();
  r->kept = k;
  r->kept[r->nkept++] = s;
  return s;
}

const char *req_header(const Req *r, const char *name) {
  return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const Req *r, const char *name) {
  return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_COOKIE_KIND, name);
}

long req_query_int(const Req *r, const char *key, long def, long lo, long hi) {
  const char *v = req_query(r, key);
  if (!v || !*v) return def;
  char *end;
  long n = strtol(v, &end, 10);
  if (*end || n < lo || n > hi) return def;
  return n;
}

/* Decodes %XX and '+' in place; returns false on a bad escape. */
static bool server_url_decode(char *s) {
  char *o = s;
  for (; *s; s++) {
    if (*s == '+') *o++ = ' ';
    else if (*s == '%') {
      int hi, lo;
      char a = s[1], b = a ? s[2] : 0;
      if (!a || !b) return false;
      hi = (a >= '0' && a <= '9') ? a - '0' : (a | 32) >= 'a' && (a | 32) <= 'f' ? (a | 32) - 'a' + 10 : -1;
      lo = (b >= '0' && b <= '9') ? b - '0' : (b | 32) >= 'a' && (b | 32) <= 'f' ? (b | 32) - 'a' + 10 : -1;
      if (hi < 0 || lo < 0) return false;
      *o++ = (char)(hi * 16 + lo);
      s += 2;
    } else *o++ = *s;
  }
  *o = 0;
  return true;
}

bool req_parse_urlencoded(const char *text, size_t len, Param *params, int *n) {
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    if (!amp) amp = end;
    if (amp > p) {
      if (*n >= REQ_MAX_PARAMS) return false;
      const char *eq = memchr(p, '=', (size_t)(amp - p));
      size_t klen = eq ? (size_t)(eq - p) : (size_t)(amp - p);
      char *k = strndup(p, klen);
      char *v = eq ? strndup(eq + 1, (size_t)(amp - eq - 1)) : strdup("");
      if (!k || !v) abort();
      if (!server_url_decode(k) || !server_url_decode(v)) {
        free(k);
        free(v);
        return false;
      }
      params[*n].key = k;
      params[*n].val = v;
      (*n)++;
    }
    p = amp + 1;
  }
  return true;
}

static enum MHD_Result server_collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  Req *r = cls;
  if (r->nquery >= REQ_MAX_PARAMS) { r->params_too_many = true; return MHD_NO; }
  r->query[r->nquery].key = strdup(key);
  r->query[r->nquery].val = strdup(value ? value : "");
  if (!r->query[r->nquery].key || !r->query[r->nquery].val) abort();
  r->nquery++;
  return MHD_YES;
}

void req_collect_query(Req *r) {
  MHD_get_connection_values((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND, server_collect_query, r);
}

/* ---- responses ------------------------------------------------------- */

/* Headers are kept as "name\nvalue\n" pairs: a CR or LF in either would
 * split them into headers of the sender's choosing, so such a header is
 * dropped (callers validate first; this is the last line of defence). */
void resp_header(Req *r, const char *name, const char *value) {
  if (strpbrk(name, "\r\n") || strpbrk(value, "\r\n")) return;
  buf_printf(&r->headers, "%s\n%s\n", name, value);
}

void resp_cookie(Req *r, const char *name, const char *value, long max_age, bool http_only) {
  Buf c = BUF_INIT;
  buf_printf(&c, "%s=%s; Path=/; SameSite=Lax", name, value);
  if (http_only) buf_puts(&c, "; HttpOnly");
  if (r->conf->secure_cookies || r->https) buf_puts(&c, "; Secure");
  if (max_age >= 0) buf_printf(&c, "; Max-Age=%ld", max_age);
  resp_header(r, "Set-Cookie", buf_str(&c));
  buf_reset(&c);
}

void resp_redirect(Req *r, const char *location) {
  assert(location[0] == '/');
  r->status = 303;
  resp_header(r, "Location", location);
  buf_clear(&r->out);
  r->content_type = "text/plain; charset=utf-8";
  r->done = true;
}

void resp_error(Req *r, const Err *e) {
  buf_clear(&r->out);
  r->status = err_http_status(e->code);
  if (e->code == ERR_THROTTLED) {
    char after[16];
    snprintf(after, sizeof after, "%d", e->msg == READ_LIMIT_MSG ? read_limit_retry_after(r->actor.user_id) : 900);
    resp_header(r, "Retry-After", after);
  }
  if (r->is_api) {
    JsonW w;
    json_begin(r, &w);
    jw_obj_begin(&w);
    jw_key(&w, "error");
    jw_obj_begin(&w);
    jw_key_str(&w, "code", err_code_word(e->code));
    jw_key_str(&w, "message", T(r, e->msg ? e->msg : "操作失败"));
    jw_key(&w, "fields");
    jw_obj_begin(&w);
    for (int i = 0; i < e->nfields; i++) jw_key_str(&w, e->fields[i].field, T(r, e->fields[i].msg));
    jw_obj_end(&w);
    jw_obj_end(&w);
    jw_obj_end(&w);
    json_end(r, &w, r->status);
  } else {
    int status = r->status;
    page_begin(r, T(r, "出错了"), false);
    html(r, "<section class=\"error-page\"><h1>%d</h1><p class=\"error\">%s</p>", status,
         T(r, e->msg ? e->msg : "操作失败"));
    if (e->nfields) {
      html_raw(r, "<ul>");
      for (int i = 0; i < e->nfields; i++) html(r, "<li>%s: %s</li>", e->fields[i].field, T(r, e->fields[i].msg));
      html_raw(r, "</ul>");
    }
    html(r, "<p><a href=\"/\">%s</a></p></section>", T(r, "返回首页"));
    page_end(r);
    r->status = status;
  }
  r->done = true;
}

void resp_fail(Req *r, ErrCode code, const char *msg_zh) {
  Err e;
  err_clear(&e);
  err_set(&e, code, msg_zh);
  resp_error(r, &e);
}

/* ---- request life ----------------------------------------------------- */

/* The monotonic clock in nanoseconds. */
static int64_t server_clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

Req *req_alloc(void *conn, const char *method, const char *url) {
  Req *r = calloc(1, sizeof *r);
  if (!r) abort();
  r->conn = conn;
  r->route = "-";
  snprintf(r->method, sizeof r->method, "%s", method);
  r->path = strdup(url);
  if (!r->path) abort();
  r->status = 200;
  r->content_type = "text/html; charset=utf-8";
  r->body_fd = -1;
  snprintf(r->lang, sizeof r->lang, "zh");
  return r;
}

/* A new request of the server (req_alloc, then its number, its clock, its
 * body bound, its client address and the proxy's word on both). */
static Req *req_new(struct MHD_Connection *conn, const ServerConf *conf, const char *method, const char *url) {
  static _Atomic uint64_t seq;
  Req *r = req_alloc(conn, method, url);
  r->conf = conf;
  r->id = ++seq;
  r->started_ns = server_clock_ns();
  r->body_max = upload_body_max(method, url);
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (ci && ci->client_addr) {
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->address, sizeof r->address);
    else if (sa->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->address, sizeof r->address);
  }
  if (!r->address[0]) snprintf(r->address, sizeof r->address, "unknown");
  /* Behind the configured reverse proxy, the client is the one it names,
   * and the request came over TLS when the proxy says so. */
  if (conf->trusted_proxy[0] && strcmp(r->address, conf->trusted_proxy) == 0) {
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    r->https = proto && strcasecmp(proto, "https") == 0;
    const char *real = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Real-IP");
    unsigned char probe[sizeof(struct in6_addr)];
    if (real && strlen(real) < sizeof r->address &&
        (inet_pton(AF_INET, real, probe) == 1 || inet_pton(AF_INET6, real, probe) == 1))
      snprintf(r->address, sizeof r->address, "%s", real);
  }
  r->is_api = strncmp(url, "/api/", 5) == 0;
  return r;
}

void req_params_free(Param *params, int n) {
  for (int i = 0; i < n; i++) {
    free(params[i].key);
    sodium_memzero(params[i].val, strlen(params[i].val));
    free(params[i].val);
  }
}

void req_free(Req *r) {
  if (!r) return;
  for (int i = 0; i < r->nquery; i++) { free(r->query[i].key); free(r->query[i].val); }
  req_params_free(r->form, r->nform);
  for (int i = 0; i < r->nkept; i++) free(r->kept[i]);
  free(r->kept);
  free(r->path);
  if (r->body.data) sodium_memzero(r->body.data, r->body.cap);
  buf_reset(&r->body);
  buf_reset(&r->out);
  buf_reset(&r->headers);
  buf_reset(&r->upload);
  if (r->body_fd >= 0) close(r->body_fd); /* an answer from a file that was never handed over */
  sodium_memzero(r->token, sizeof r->token);
  free(r);
}

/* Chooses the language: explicit cookie, then the user's preference, then
 * Accept-Language. */
static void server_pick_lang(Req *r) {
  const char *c = req_cookie(r, LANG_COOKIE);
  const char *lang = NULL;
  if (c && (strcmp(c, "en") == 0 || strcmp(c, "zh") == 0)) lang = c;
  else if (r->authed && r->actor.lang[0]) lang = r->actor.lang;
  else lang = i18n_from_accept(req_header(r, "Accept-Language"));
  snprintf(r->lang, sizeof r->lang, "%s", lang);
}

/* Authenticates from the bearer header or the session cookie. */
static void server_authenticate(Req *r) {
  const char *authz = req_header(r, "Authorization");
  const char *token = NULL;
  if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
    token = authz + 7;
    r->via_bearer = true;
  } else {
    token = req_cookie(r, SESSION_COOKIE);
  }
  if (!token || !*token || strlen(token) >= sizeof r->token) return;
  snprintf(r->token, sizeof r->token, "%s", token);
  Err e;
  err_clear(&e);
  if (auth_session(&r->ctx, r->token, &r->actor, r->csrf, &e) == ERR_OK) {
    snprintf(r->actor.address, sizeof r->actor.address, "%s", r->address);
    r->authed = true;
  }
}

/* ---- work never lost, never doubled ------------------------------------- */

/* true for the fields the server itself puts in every form (the CSRF
 * token, the one-time token, the mark of a kept form posted again). */
static bool server_token_field(const char *key) {
  return strcmp(key, "_csrf") == 0 || strcmp(key, "_once") == 0 || strcmp(key, "_draft") == 0;
}

/* Appends the posted fields of r but the server's tokens to b, urlencoded:
 * what a kept form holds, and what a form's fingerprint is made of. The
 * caller wipes b (it may hold personal data) and resets it. */
static void server_form_text(const Req *r, Buf *b) {
  for (int i = 0; i < r->nform; i++) {
    if (server_token_field(r->form[i].key)) continue;
    if (b->len) buf_putc(b, '&');
    url_encode(b, r->form[i].key);
    buf_putc(b, '=');
    url_encode(b, r->form[i].val);
  }
}

/* Wipes and frees b. */
static void server_buf_wipe(Buf *b) {
  if (b->data) sodium_memzero(b->data, b->cap);
  buf_reset(b);
}

/* A form posted without a valid session (it expired while the user typed)
 * is kept when its one-time token proves that this server issued the form
 * to a user (app/once.h): kept server-side for that user only (app/draft.h),
 * the browser given a random id in a cookie, and sent to sign in, after
 * which /draft offers it to post again. Why this way: the content never
 * travels in a URL and never sits in the browser beyond the page; a form
 * posted from another site carries no token of the victim's (the MAC needs
 * the server's key), so it is never kept for the victim, and a kept form is
 * only ever posted again by its user's own click with the new session's
 * CSRF token. true when r is answered so. */
static bool server_keep_draft(Req *r) {
  if (r->is_api || strcmp(r->method, "POST") != 0 || r->nform == 0) return false;
  int64_t user = once_form_token_user(req_form(r, "_once"), r->ctx.now_unix);
  if (user <= 0) return false;
  Buf f = BUF_INIT;
  server_form_text(r, &f);
  char id[DRAFT_ID_HEX + 1];
  Err e;
  err_clear(&e);
  int rc = draft_keep(&r->ctx, user, r->path, buf_str(&f), id, &e);
  server_buf_wipe(&f);
  if (rc != ERR_OK) return false;
  resp_cookie(r, DRAFT_COOKIE, id, DRAFT_KEEP_SECONDS, true);
  sodium_memzero(id, sizeof id);
  resp_redirect(r, "/login?next=/draft");
  return true;
}

/* A kept form posted again from /draft (field _draft): the draft is used,
 * deleted with its cookie; the field is taken out of the form. */
static void server_draft_used(Req *r) {
  for (int i = 0; i < r->nform; i++) {
    if (strcmp(r->form[i].key, "_draft") != 0) continue;
    req_params_free(&r->form[i], 1);
    memmove(&r->form[i], &r->form[i + 1], sizeof r->form[0] * (size_t)(r->nform - i - 1));
    r->nform--;
    Err e;
    err_clear(&e);
    const char *id = req_cookie(r, DRAFT_COOKIE);
    if (id) draft_drop(&r->ctx, id, &e); /* a failure leaves it to expire */
    resp_cookie(r, DRAFT_COOKIE, "", 0, true);
    return;
  }
}

/* The value of response header name already set on r, or NULL. Copies it
 * into out (size n). */
static const char *server_resp_header(const Req *r, const char *name, char *out, size_t n) {
  const char *h = r->headers.data;
  while (h && *h) {
    const char *nl1 = strchr(h, '\n');
    if (!nl1) break;
    const char *v = nl1 + 1, *nl2 = strchr(v, '\n');
    if (!nl2) break;
    if ((size_t)(nl1 - h) == strlen(name) && strncasecmp(h, name, strlen(name)) == 0 && (size_t)(nl2 - v) < n) {
      memcpy(out, v, (size_t)(nl2 - v));
      out[nl2 - v] = 0;
      return out;
    }
    h = nl2 + 1;
  }
  return NULL;
}

/* Answers r as the first request with once's key did, when there was one
 * (true: r is answered). The same key with other content is refused (409);
 * while the first is still between its commit and its answer, waits for
 * the answer up to 2 seconds. */
static bool server_once_replay(Req *r, const OnceKey *once) {
  OnceRow row;
  Err e;
  err_clear(&e);
  int rc = once_find(&r->ctx, once->key, &row, &e);
  if (rc == ERR_NOT_FOUND) return false;
  for (int i = 0; rc == ERR_OK && row.status == 0 && strcmp(row.fingerprint, once->fingerprint) == 0 && i < 80; i++) {
    struct timespec ts = {0, 25 * 1000000L};
    nanosleep(&ts, NULL);
    free(row.body);
    rc = once_find(&r->ctx, once->key, &row, &e);
  }
  if (rc != ERR_OK) {
    resp_error(r, &e);
    return true;
  }
  if (strcmp(row.fingerprint, once->fingerprint) != 0)
    resp_fail(r, ERR_CONFLICT, r->is_api ? "该 Idempotency-Key 已用于内容不同的请求" : "此表单已提交过，再次提交的不同内容未保存");
  else if (row.status == 0 || (r->is_api ? !row.body : !row.location[0]))
    resp_fail(r, ERR_CONFLICT, "该请求已处理，未重复保存");
  else {
    buf_clear(&r->out);
    r->status = row.status;
    if (row.location[0]) resp_header(r, "Location", row.location);
    if (r->is_api) {
      buf_puts(&r->out, row.body);
      r->content_type = "application/json";
      resp_header(r, "Idempotent-Replayed", "true");
    } else {
      r->content_type = "text/plain; charset=utf-8";
    }
    r->done = true;
  }
  free(row.body);
  return true;
}

/* Before the handler of a signed-in POST: takes its one-time key (the
 * API's Idempotency-Key header, a form's _once token issued to this user)
 * into once and r->ctx.once, or answers a repeat as the first was answered.
 * true when r is answered. */
static bool server_once_begin(Req *r, OnceKey *once) {
  memset(once, 0, sizeof *once);
  if (strcmp(r->method, "POST") != 0 || !r->authed) return false;
  const char *key;
  if (r->is_api) {
    key = req_header(r, "Idempotency-Key");
    if (!key) return false;
    if (!once_key_ok(key)) {
      Err e;
      err_clear(&e);
      err_field(&e, "Idempotency-Key", "Idempotency-Key 应为1至255个可打印的ASCII字符");
      resp_error(r, &e);
      return true;
    }
    once_fingerprint(r->method, r->path, r->body.data, r->body.len, once->fingerprint);
  } else {
    key = req_form(r, "_once");
    if (!key || once_form_token_user(key, r->ctx.now_unix) != r->actor.user_id) return false;
    Buf f = BUF_INIT;
    server_form_text(r, &f);
    once_fingerprint(r->method, r->path, f.data, f.len, once->fingerprint);
    server_buf_wipe(&f);
  }
  once->key = key;
  if (server_once_replay(r, once)) return true;
  r->ctx.once = once;
  return false;
}

/* After the handler: stores the answer beside the key its write recorded
 * (a form's Location; the API's status and JSON body), or, when the request
 * failed and a twin recorded the key first (a double tap), answers as the
 * twin did. */
static void server_once_end(Req *r, OnceKey *once) {
  r->ctx.once = NULL;
  if (!once->key) return;
  if (once->recorded) {
    char loc[ONCE_LOCATION_MAX];
    const char *location = server_resp_header(r, "Location", loc, sizeof loc);
    const char *body = r->is_api && r->out.len <= ONCE_BODY_MAX ? buf_str(&r->out) : NULL;
    Err e;
    err_clear(&e);
    if (once_answer(&r->ctx, once->key, r->status, location, body, &e) != ERR_OK)
      fprintf(stderr, "jindu: req=%" PRIu64 " could not store the answer of a one-time key\n", r->id);
  } else if (r->status >= 400) {
    server_once_replay(r, once);
  }
}

/* Runs the request through the route table. */
static void server_dispatch(Req *r) {
  Err e;
  err_clear(&e);
  /* The request id of this thread's SQL error lines (store/db.h), until
   * server_access resets it: libmicrohttpd runs a request's callbacks on
   * the thread of its connection. */
  db_set_request_id(r->id);
  Db *db = server_db(&e);
  if (!db) { resp_error(r, &e); return; }
  ctx_init(&r->ctx, db, &r->actor);
  snprintf(r->actor.address, sizeof r->actor.address, "%s", r->address);

  char *q = strchr(r->path, '?');
  if (q) *q = 0;
  req_collect_query(r);

  server_authenticate(r);
  server_pick_lang(r);

  if (r->body_too_large) {
    resp_fail(r, ERR_TOO_LARGE, r->body_max > REQ_BODY_MAX ? UPLOAD_TOO_LARGE_MSG : "请求内容过大");
    return;
  }
  if (r->params_too_many) { resp_fail(r, ERR_INVALID, "参数过多"); return; }
  if (r->no_host) { resp_fail(r, ERR_INVALID, "HTTP/1.1 请求缺少 Host 头"); return; }

  /* HEAD is GET without the body (libmicrohttpd sends the headers only). */
  bool path_matched;
  const Route *rt = routes_match(r, strcmp(r->method, "HEAD") == 0 ? "GET" : r->method, r->path, &path_matched);
  if (!rt) {
    if (path_matched) { r->status = 405; resp_fail(r, ERR_INVALID, "不支持的请求方法"); r->status = 405; }
    else resp_fail(r, ERR_NOT_FOUND, "页面不存在");
    return;
  }
  if (routes_flags(rt) & ROUTE_API) r->is_api = true;
  r->route = rt->pattern;

  /* Form bodies of pages. */
  const char *ctype = req_header(r, "Content-Type");
  if (!r->is_api && strcmp(r->method, "POST") == 0) {
    if (ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
      if (!req_parse_urlencoded(buf_str(&r->body), r->body.len, r->form, &r->nform)) {
        resp_fail(r, ERR_INVALID, "参数过多");
        return;
      }
    }
  }
  /* An upload's multipart body: its form fields (the CSRF token among them) and its file. */
  if ((rt->flags & ROUTE_UPLOAD) && strcmp(r->method, "POST") == 0 && !upload_parse(r)) return;

  if (!(rt->flags & ROUTE_PUBLIC) && !r->authed) {
    if (r->is_api) resp_fail(r, ERR_UNAUTHORIZED, "请先登录");
    else if (server_keep_draft(r)) return;
    else {
      Buf loc = BUF_INIT;
      buf_puts(&loc, "/login?next=");
      url_encode(&loc, r->path);
      resp_redirect(r, buf_str(&loc));
      buf_reset(&loc);
    }
    return;
  }
  /* CSRF: every state-changing request made with the cookie carries the
   * session's token (form field _csrf or header X-CSRF-Token). */
  bool changes = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
  if (changes && r->authed && !r->via_bearer) {
    const char *t = req_form(r, "_csrf");
    if (!t) t = req_header(r, "X-CSRF-Token");
    if (!auth_csrf_equal(r->csrf, t)) {
      resp_fail(r, ERR_FORBIDDEN, "安全校验失败（CSRF），请刷新页面后重试");
      return;
    }
  }
  if (changes && r->authed && !r->is_api) server_draft_used(r);
  if (rt->perm && !actor_can(&r->actor, rt->perm)) {
    resp_fail(r, ERR_FORBIDDEN, "您没有执行此操作的权限");
    return;
  }
  OnceKey once;
  if (server_once_begin(r, &once)) return;
  rt->handler(r);
  while (db_in_transaction(db)) db_rollback(db); /* a handler must not leave one open */
  server_once_end(r, &once);
}

/* Writes r's access line to stderr in one write: the time (China, as the
 * records), the request id, the method, the route's pattern (never the
 * path: it holds ids, and the query may hold names), the status, the
 * milliseconds since the request arrived and the user id ("-" when not
 * signed in). The time text is made once a second per thread. */
static void server_log_access(const Req *r) {
  static _Thread_local time_t stamp_of = -1;
  static _Thread_local char stamp[32];
  time_t now = time(NULL);
  if (now != stamp_of) {
    time_t t = now + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    stamp_of = now;
  }
  char user[24] = "-";
  if (r->authed) snprintf(user, sizeof user, "%" PRId64, r->actor.user_id);
  int64_t us = (server_clock_ns() - r->started_ns) / 1000;
  char line[256];
  int n = snprintf(line, sizeof line, "jindu: %s req=%" PRIu64 " %s %s %d %" PRId64 ".%03dms user=%s\n", stamp, r->id,
                   r->method, r->route, r->status, us / 1000, (int)(us % 1000), user);
  if (n < 0) return;
  if ((size_t)n >= sizeof line) {
    n = (int)sizeof line - 1;
    line[n - 1] = '\n';
  }
  ssize_t w = write(STDERR_FILENO, line, (size_t)n);
  (void)w;
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                     const char *version, const char *upload_data, size_t *upload_data_size,
                                     void **con_cls) {
  const ServerConf *conf = cls;
  Req *r = *con_cls;
  if (!r) {
    r = *con_cls = req_new(conn, conf, method, url);
    /* RFC 9112 3.2: a 1.1 request without Host is answered 400 */
    r->no_host = strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && !req_header(r, "Host");
    conn_guard_headers_done(conn, r->body_max > REQ_BODY_MAX);
    return MHD_YES;
  }
  if (*upload_data_size) {
    if (!r->body_too_large) {
      if (r->body.len + *upload_data_size > r->body_max) {
        r->body_too_large = true;
        if (r->body.data) sodium_memzero(r->body.data, r->body.cap);
        buf_reset(&r->body);
      } else {
        buf_append(&r->body, upload_data, *upload_data_size);
      }
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  conn_guard_answering(conn);
  server_dispatch(r);

  struct MHD_Response *resp = NULL;
  if (r->body_fd >= 0) { /* a file answer (web/download.h): libmicrohttpd closes the descriptor */
    resp = MHD_create_response_from_fd64(r->body_fd_size, r->body_fd);
    if (resp) r->body_fd = -1;
    else resp_fail(r, ERR_INTERNAL, "操作失败");
  }
  if (!resp)
    resp = MHD_create_response_from_buffer(r->out.len, r->out.data ? r->out.data : (void *)"", MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header(resp, "Content-Type", r->content_type);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          r->csp ? r->csp
                                 : "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                   "frame-ancestors 'none'; form-action 'self'");
  if (strncmp(r->path, "/static/", 8) != 0) MHD_add_response_header(resp, "Cache-Control", "no-store");
  /* extra headers: "name\nvalue\n" pairs */
  char *h = r->headers.data;
  while (h && *h) {
    char *nl1 = strchr(h, '\n');
    if (!nl1) break;
    *nl1 = 0;
    char *v = nl1 + 1;
    char *nl2 = strchr(v, '\n');
    if (!nl2) break;
    *nl2 = 0;
    MHD_add_response_header(resp, h, v);
    h = nl2 + 1;
  }
  enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  db_set_request_id(0);
  if (!conf->quiet) server_log_access(r);
  return ret;
}

static void server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                             enum MHD_RequestTerminationCode toe) {
  (void)cls; (void)toe;
  conn_guard_request_done(conn);
  Req *r = *con_cls;
  bool trim = r && r->trim_after;
  req_free(r);
  *con_cls = NULL;
  /* A large answer (an export's rows) was made and freed: give the freed
   * pages back to the system now. Each worker thread allocates from a malloc
   * arena of its own, which otherwise keeps them (tens of MB after a
   * 50 000-row export) while another thread's export adds its own: measured
   * in docs/BENCHMARKS.md ".xlsx export". */
  if (trim) malloc_trim(0);
}

static volatile sig_atomic_t server_stop_flag;
static void server_on_signal(int sig) { (void)sig; server_stop_flag = 1; }

int server_run(const ServeOpts *o, Err *e) {
  const char *db_path = o->db_path, *listen = o->listen, *trusted_proxy = o->trusted_proxy;
  int threads = o->threads;
  char host[64];
  const char *colon = strrchr(listen, ':');
  if (!colon || (size_t)(colon - listen) >= sizeof host) return err_set(e, ERR_INVALID, "监听地址格式应为 IP:端口");
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = 0;
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 1 || port > 65535) return err_set(e, ERR_INVALID, "端口无效");
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return err_set(e, ERR_INVALID, "监听地址无效（需 IPv4 地址）");

  static ServerConf conf;
  conf.db_path = db_path;
  conf.secure_cookies = o->secure_cookies;
  conf.quiet = o->quiet;
  if (trusted_proxy) {
    unsigned char probe[sizeof(struct in6_addr)];
    if (strlen(trusted_proxy) >= sizeof conf.trusted_proxy ||
        (inet_pton(AF_INET, trusted_proxy, probe) != 1 && inet_pton(AF_INET6, trusted_proxy, probe) != 1))
      return err_set(e, ERR_INVALID, "--trusted-proxy 应为代理服务器的 IP 地址");
    snprintf(conf.trusted_proxy, sizeof conf.trusted_proxy, "%s", trusted_proxy);
  }
  ConnGuardConf guard = {.per_address = o->per_address > 0 ? o->per_address : SERVE_PER_ADDRESS,
                         .header_s = o->header_timeout > 0 ? o->header_timeout : SERVE_HEADER_TIMEOUT,
                         .body_s = o->body_timeout > 0 ? o->body_timeout : SERVE_BODY_TIMEOUT};
  guard.upload_s = guard.body_s * 5;
  snprintf(guard.exempt, sizeof guard.exempt, "%s", conf.trusted_proxy);
  conn_guard_init(&guard);
  read_limit_init(o->read_limit);

  /* Migrate once before the threads start, build the indexes a killed
   * bulk load left dropped, and recompute what a migration marked stale. */
  Db *db;
  if (db_open(&db, db_path, schema_migrate, e) != ERR_OK) return e->code;
  int rebuilt;
  ErrCode rc = store_gen_indexes_repair(db, &rebuilt, e);
  if (rc == ERR_OK) rc = sup_refresh_stale(db, NULL, e); /* derived fields a migration changed */
  if (rc == ERR_OK) rc = stats_facts_repair(db, NULL, e); /* the statistics' facts, when missing */
  if (rc == ERR_OK) rc = once_init(db, e);
  db_close(db);
  if (rc != ERR_OK) return rc;
  if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads < 1) threads = 1;
  /* glibc's thresholds fixed (web/server.h SERVE_MALLOC_TRIM): set
   * before the worker threads make their arenas. */
  mallopt(M_MMAP_THRESHOLD, SERVE_MALLOC_MMAP);
  mallopt(M_TRIM_THRESHOLD, SERVE_MALLOC_TRIM);
  server_db_path = db_path;
  server_cache_kib = SERVE_CACHE_BUDGET_KIB / threads;
  if (server_cache_kib < SERVE_CACHE_MIN_KIB) server_cache_kib = SERVE_CACHE_MIN_KIB;
  if (audit_queue_start(db_path, e) != ERR_OK) return e->code;
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)port, conn_guard_accept, NULL,
      server_access, &conf, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, server_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
      conn_guard_notify, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)SERVE_CONNECTIONS, MHD_OPTION_END);
  if (!d) {
    audit_queue_stop();
    return err_set(e, ERR_INTERNAL, "无法启动服务（端口可能已被占用）");
  }
  signal(SIGPIPE, SIG_IGN);
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = server_on_signal;
  sigaction(SIGINT, &act, NULL);
  sigaction(SIGTERM, &act, NULL);
  fprintf(stderr, "jindu: serving %s on http://%s\n", db_path, listen);
  /* The main thread sleeps, waking once a second to close the connections
   * past their deadlines (web/conn_guard.h), and once a minute for
   * housekeeping (expired
   * sessions, old sign-in attempts, one-time keys and kept forms). */
  Db *house = NULL;
  if (db_open(&house, db_path, NULL, e) != ERR_OK || db_cache_limit(house, SERVE_CACHE_MIN_KIB, e) != ERR_OK) {
    db_close(house);
    house = NULL;
  }
  for (int tick = 0; !server_stop_flag; tick++) {
    sleep(1);
    conn_guard_sweep();
    if (tick % 60 == 59) {
      uint64_t refused, cut;
      conn_guard_counts(&refused, &cut);
      if (refused || cut)
        fprintf(stderr, "jindu: connections refused over the per-address limit: %" PRIu64 ", closed past a deadline: %" PRIu64 "\n",
                refused, cut);
    }
    if (house && tick % 60 == 59) {
      Actor sys;
      actor_cli(&sys);
      Ctx c;
      ctx_init(&c, house, &sys);
      Err pe;
      err_clear(&pe);
      if (auth_purge(&c, &pe) != ERR_OK || once_purge(&c, &pe) != ERR_OK || draft_purge(&c, &pe) != ERR_OK)
        fprintf(stderr, "jindu: housekeeping failed: %s\n", pe.msg ? pe.msg : "");
    }
  }
  db_close(house);
  MHD_stop_daemon(d);
  audit_queue_stop();
  fprintf(stderr, "jindu: stopped\n");
  return ERR_OK;
}
