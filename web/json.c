/* web/json.c: JSON writing helpers and strict request-body reading. */
#include "web/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_str(Buf *b, const char *s) {
  buf_putc(b, '"');
  const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;
  for (;; p++) {
    unsigned char ch = *p;
    /* plain bytes are copied a run at a time */
    if (ch >= 0x20 && ch != '"' && ch != '\\' && ch != '<' && ch != '>' && ch != '&') continue;
    if (p > run) buf_append(b, (const char *)run, (size_t)(p - run));
    run = p + 1;
    switch (ch) {
    case 0: buf_putc(b, '"'); return;
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\t': buf_puts(b, "\\t"); break;
    case '<': buf_puts(b, "\\u003c"); break; /* safe inside HTML too */
    case '>': buf_puts(b, "\\u003e"); break;
    case '&': buf_puts(b, "\\u0026"); break;
    default: buf_printf(b, "\\u%04x", ch);
    }
  }
}

void json_str_or_null(Buf *b, const char *s) {
  if (s && *s) json_str(b, s);
  else buf_puts(b, "null");
}

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

void json_respond(Req *r, int status, const Buf *b) {
  buf_clear(&r->out);
  buf_append(&r->out, buf_str(b), b->len);
  r->status = status;
  r->content_type = "application/json";
  r->done = true;
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
