/* web/json.c: the JSON writer (JsonW) and strict request-body reading. */
#include "web/json.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ------------------------------------------------------------ */

/* Appends the n bytes at s as a JSON string literal, escaped. */
static void jw_escape(Buf *b, const char *s, size_t n) {
  /* < > & as \u escapes: safe inside HTML too */
  static const char *const rep[128] = {['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
                                       ['<'] = "\\u003c", ['>'] = "\\u003e", ['&'] = "\\u0026"};
  buf_putc(b, '"');
  buf_escape(b, s, n, rep, BUF_CTRL_UNICODE);
  buf_putc(b, '"');
}

void jw_init(JsonW *w, Buf *b) {
  assert(b);
  memset(w, 0, sizeof *w);
  w->b = b;
}

/* Before any value: the comma inside an array, the key check inside an
 * object, nothing after a complete top-level value. */
static void jw_value(JsonW *w) {
  assert(!w->complete);
  if (w->depth == 0) return;
  int d = w->depth - 1;
  if (w->open[d] == '{') {
    assert(w->key_pending); /* a member's value needs its key first */
    w->key_pending = false;
    return;
  }
  if (w->has_item[d]) buf_putc(w->b, ',');
  w->has_item[d] = true;
}

/* After a scalar: the top-level value is complete when nothing is open. */
static void jw_scalar_done(JsonW *w) {
  if (w->depth == 0) w->complete = true;
}

static void jw_open(JsonW *w, char c) {
  jw_value(w);
  assert(w->depth < JW_DEPTH_MAX);
  w->open[w->depth] = c;
  w->has_item[w->depth] = false;
  w->depth++;
  buf_putc(w->b, c);
}

static void jw_close(JsonW *w, char open, char close) {
  assert(w->depth > 0 && w->open[w->depth - 1] == open);
  assert(!w->key_pending); /* a key without its value */
  w->depth--;
  buf_putc(w->b, close);
  jw_scalar_done(w);
}

void jw_obj_begin(JsonW *w) { jw_open(w, '{'); }
void jw_obj_end(JsonW *w) { jw_close(w, '{', '}'); }
void jw_arr_begin(JsonW *w) { jw_open(w, '['); }
void jw_arr_end(JsonW *w) { jw_close(w, '[', ']'); }

void jw_key(JsonW *w, const char *key) {
  assert(key && w->depth > 0 && w->open[w->depth - 1] == '{' && !w->key_pending);
  if (w->has_item[w->depth - 1]) buf_putc(w->b, ',');
  w->has_item[w->depth - 1] = true;
  jw_escape(w->b, key, strlen(key));
  buf_putc(w->b, ':');
  w->key_pending = true;
}

void jw_strn(JsonW *w, const char *s, size_t n) {
  jw_value(w);
  jw_escape(w->b, s, n);
  jw_scalar_done(w);
}

void jw_codes(JsonW *w, const char *codes) {
  jw_arr_begin(w);
  const char *s = codes;
  while (s && *s) {
    size_t n = strcspn(s, ",");
    if (n) jw_strn(w, s, n);
    s += n + (s[n] == ',');
  }
  jw_arr_end(w);
}

void jw_str(JsonW *w, const char *s) { jw_strn(w, s ? s : "", s ? strlen(s) : 0); }

void jw_str_or_null(JsonW *w, const char *s) {
  if (s && *s) jw_str(w, s);
  else jw_null(w);
}

/* Appends a bare token (a number, true, false, null). */
static void jw_token(JsonW *w, const char *text) {
  jw_value(w);
  buf_puts(w->b, text);
  jw_scalar_done(w);
}

void jw_int(JsonW *w, long long v) {
  char n[24];
  snprintf(n, sizeof n, "%lld", v);
  jw_token(w, n);
}

void jw_tenths(JsonW *w, long long tenths) {
  char n[32];
  snprintf(n, sizeof n, "%s%lld.%lld", tenths < 0 ? "-" : "", llabs(tenths) / 10, llabs(tenths) % 10);
  jw_token(w, n);
}

void jw_int_or_null(JsonW *w, bool has, long long v) {
  if (has) jw_int(w, v);
  else jw_null(w);
}

void jw_bool(JsonW *w, bool v) { jw_token(w, v ? "true" : "false"); }
void jw_null(JsonW *w) { jw_token(w, "null"); }

void jw_key_str(JsonW *w, const char *key, const char *s) {
  jw_key(w, key);
  jw_str(w, s);
}

void jw_key_str_or_null(JsonW *w, const char *key, const char *s) {
  jw_key(w, key);
  jw_str_or_null(w, s);
}

void jw_key_int(JsonW *w, const char *key, long long v) {
  jw_key(w, key);
  jw_int(w, v);
}

void jw_key_bool(JsonW *w, const char *key, bool v) {
  jw_key(w, key);
  jw_bool(w, v);
}

void jw_fields(JsonW *w, const JwField *f, const void *rec) {
  for (; f->key; f++) {
    const char *at = (const char *)rec + f->offset;
    jw_key(w, f->key);
    switch (f->type) {
    case JF_STR: jw_str(w, at); break;
    case JF_STR_NULL: jw_str_or_null(w, at); break;
    case JF_TEXT: jw_str(w, *(const char *const *)at); break;
    case JF_TEXT_NULL: jw_str_or_null(w, *(const char *const *)at); break;
    case JF_INT: jw_int(w, *(const int *)at); break;
    case JF_I64: jw_int(w, (long long)*(const int64_t *)at); break;
    case JF_REF: jw_int_or_null(w, *(const int64_t *)at > 0, (long long)*(const int64_t *)at); break;
    case JF_BOOL: jw_bool(w, *(const bool *)at); break;
    case JF_CODES: jw_codes(w, at); break;
    case JF_FN: f->fn(w, rec); break;
    }
  }
}

void jw_record(JsonW *w, const JwField *f, const void *rec) {
  jw_obj_begin(w);
  jw_fields(w, f, rec);
  jw_obj_end(w);
}

void jw_key_records(JsonW *w, const char *key, const void *recs, int n, size_t sz, const JwField *f) {
  jw_key(w, key);
  jw_arr_begin(w);
  for (int i = 0; i < n; i++) jw_record(w, f, (const char *)recs + (size_t)i * sz);
  jw_arr_end(w);
}

void jw_list_begin(JsonW *w) {
  jw_obj_begin(w);
  jw_key(w, "items");
  jw_arr_begin(w);
}

void jw_list_fields(JsonW *w, int64_t total, int64_t cap, int page, int per_page) {
  jw_arr_end(w);
  bool capped = cap > 0 && total > cap;
  jw_key_int(w, "total", (long long)(capped ? cap : total));
  if (cap > 0) jw_key_bool(w, "total_capped", capped);
  jw_key_int(w, "page", page);
  jw_key_int(w, "per_page", per_page);
}

void jw_list_end(JsonW *w, int64_t total, int64_t cap, int page, int per_page) {
  jw_list_fields(w, total, cap, page, per_page);
  jw_obj_end(w);
}

void json_list_answer(Req *r, int rc, const Err *e, void *items, int n, size_t sz, JwItem item, int64_t total,
                      int64_t cap, int page, int per_page) {
  if (rc != ERR_OK) {
    resp_error(r, e);
  } else {
    JsonW w;
    json_begin(r, &w);
    jw_list_begin(&w);
    for (int i = 0; i < n; i++) item(&w, (const char *)items + (size_t)i * sz);
    jw_list_end(&w, total, cap, page, per_page);
    json_end(r, &w, 200);
  }
  free(items);
}

void json_list_all(Req *r, int rc, const Err *e, void *items, int n, size_t sz, JwItem item) {
  json_list_answer(r, rc, e, items, n, sz, item, n, 0, 1, n > 0 ? n : 1);
}

void json_list_fetch_all(Req *r, JsonFetchAll fetch, size_t sz, JwItem item) {
  void *rows = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  int rc = fetch(&r->ctx, &rows, &n, &e);
  json_list_all(r, rc, &e, rows, n, sz, item);
}

bool json_obj_open(Req *r, int rc, const Err *e, JsonW *w) {
  if (rc != ERR_OK) {
    resp_error(r, e);
    return false;
  }
  json_begin(r, w);
  jw_obj_begin(w);
  return true;
}

bool json_list_open(Req *r, int rc, const Err *e, JsonW *w) {
  if (!json_obj_open(r, rc, e, w)) return false;
  jw_key(w, "items");
  jw_arr_begin(w);
  return true;
}

void json_ok(Req *r) {
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "ok", true);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

void json_ok_or(Req *r, int rc, const Err *e) {
  if (rc == ERR_OK) json_ok(r);
  else resp_error(r, e);
}

void json_record(Req *r, int rc, const Err *e, JwItem item, const void *rec, int status) {
  if (rc != ERR_OK) {
    resp_error(r, e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  item(&w, rec);
  json_end(r, &w, status);
}

void json_begin(Req *r, JsonW *w) {
  buf_clear(&r->out);
  jw_init(w, &r->out);
}

void json_end(Req *r, JsonW *w, int status) {
  assert(w->b == &r->out && w->complete);
  r->status = status;
  r->content_type = "application/json";
  r->done = true;
}

/* ---- reading ------------------------------------------------------------ */

json_t *json_body(Req *r, Err *e) {
  const char *ctype = req_header(r, "Content-Type");
  if (!ctype || strncasecmp(ctype, "application/json", 16) != 0) {
    err_set(e, ERR_INVALID, "请求体须为 JSON（Content-Type: application/json）");
    return NULL;
  }
  json_error_t je;
  json_t *v = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &je);
  if (!v) {
    err_set(e, ERR_INVALID, "请求体不是有效的 JSON");
    return NULL;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    err_set(e, ERR_INVALID, "请求体须为 JSON 对象");
    return NULL;
  }
  return v;
}

int json_only_keys(json_t *obj, const char *const *allowed, Err *e) {
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val) {
    (void)val;
    bool ok = false;
    for (const char *const *a = allowed; *a; a++)
      if (strcmp(*a, key) == 0) { ok = true; break; }
    if (!ok) {
      /* the field name points into obj: answer before releasing obj */
      err_field(e, key, "未知字段");
      e->msg = "请求包含未知字段";
      return ERR_INVALID;
    }
  }
  return ERR_OK;
}

int json_get_str(json_t *obj, const char *key, const char **out, Err *e) {
  *out = NULL;
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return ERR_OK;
  if (!json_is_string(v)) return err_field(e, key, "应为字符串");
  *out = json_string_value(v);
  return ERR_OK;
}

json_t *json_body_only(Req *r, const char *const *allowed) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (!body) {
    resp_error(r, &e);
    return NULL;
  }
  if (json_only_keys(body, allowed, &e) != ERR_OK) {
    resp_error(r, &e); /* the field name points into body: answer first */
    json_decref(body);
    return NULL;
  }
  return body;
}

json_t *json_body_str(Req *r, const char *key, const char **out, Err *e) {
  const char *const allowed[] = {key, NULL};
  err_clear(e);
  *out = NULL;
  json_t *body = json_body_only(r, allowed);
  if (body) json_get_str(body, key, out, e);
  return body;
}

bool json_body_none(Req *r) {
  if (r->body.len == 0) return true;
  static const char *const none[] = {NULL};
  json_t *body = json_body_only(r, none);
  json_decref(body);
  return body != NULL;
}

long json_query_int(Req *r, const char *key, long def, long max, Err *e) {
  const char *v = req_query(r, key);
  if (!v || !*v) return def;
  char *end;
  long n = strtol(v, &end, 10);
  if (*end || n < 1 || n > max) {
    err_field(e, key, "应为正整数");
    return def;
  }
  return n;
}

void json_query_paging(Req *r, int per_page_def, int *page, int *per_page, Err *e) {
  *page = (int)json_query_int(r, "page", 1, 1000000, e);
  *per_page = (int)json_query_int(r, "per_page", per_page_def, 200, e);
}

bool json_paging(Req *r, int per_page_def, int *page, int *per_page) {
  Err e;
  err_clear(&e);
  json_query_paging(r, per_page_def, page, per_page, &e);
  if (e.code == ERR_OK) return true;
  resp_error(r, &e);
  return false;
}
