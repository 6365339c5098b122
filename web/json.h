/* web/json.h: JSON for the API: writing strings into a Buf, and reading a
 * request body strictly (valid UTF-8, no duplicate keys, an object at the
 * top, only known fields, right types) with errors that name the field. */
#ifndef JINDU_JSON_H
#define JINDU_JSON_H
#include <jansson.h>
#include "core/buf.h"
#include "core/err.h"
#include "web/http.h"

/* Appends s as a JSON string literal ("" for NULL → null is json_str_or_null). */
void json_str(Buf *b, const char *s);
/* Appends s as a string, or null when s is NULL or empty. */
void json_str_or_null(Buf *b, const char *s);
/* Parses r's body as a JSON object. Returns the object (caller json_decref's)
 * or NULL with e filled: ERR_INVALID "请求体不是有效的 JSON" (bad syntax, bad
 * UTF-8, duplicate keys, not an object). */
json_t *json_body(Req *r, Err *e);
/* Checks that every key of obj is in allowed (NULL-terminated); the first
 * unknown key becomes a field error "未知字段" whose field name points into
 * obj (answer before json_decref). Returns ERR_OK or ERR_INVALID. */
int json_only_keys(json_t *obj, const char *const *allowed, Err *e);
/* json_body and json_only_keys in one: the object, or NULL with the error
 * already answered on r (a field name that points into the body answered
 * before the body is freed). The caller json_decref's the result. */
json_t *json_body_only(Req *r, const char *const *allowed);
/* An optional positive integer query parameter of an API request: def when
 * absent, a field error "应为正整数" when not an integer within [1, max]. */
long json_query_int(Req *r, const char *key, long def, long max, Err *e);
/* Gets an optional string member: ERR_OK with *out NULL when absent or null,
 * *out the string when a string, field error "应为字符串" otherwise. */
int json_get_str(json_t *obj, const char *key, const char **out, Err *e);
/* Answers r with status and the JSON text in b (b's contents are copied). */
void json_respond(Req *r, int status, const Buf *b);

#endif
