/* web/json.h: JSON for the API: the one streaming writer (JsonW) that
 * writes every JSON answer, with records written from a table of their
 * members (JwField) and the list envelope of list answers; and
 * reading a request body strictly (valid UTF-8, no duplicate keys, an
 * object at the top, only known fields, right types) with errors that name
 * the field. */
#ifndef JINDU_JSON_H
#define JINDU_JSON_H
#include <jansson.h>
#include <stddef.h>
#include "core/buf.h"
#include "core/err.h"
#include "web/http.h"

/* ---- writing: JsonW, one streaming writer (Redis addReply* style) -----
 * Typed calls append to a Buf; the writer puts every comma, colon and
 * bracket itself and escapes every string once (quote, backslash, control
 * bytes as \u00XX, and < > & as \u003c \u003e \u0026 so that JSON is safe
 * inside HTML too; other UTF-8 passes through). Misuse (a value without a
 * key inside an object, a key inside an array, an end that does not match,
 * a second top-level value) is an assert. The writer owns nothing: the Buf
 * stays the caller's. */

#define JW_DEPTH_MAX 16

typedef struct JsonW {
  Buf *b;
  int depth;                   /* containers open */
  char open[JW_DEPTH_MAX];     /* '{' or '[' of each open container */
  bool has_item[JW_DEPTH_MAX]; /* a member/element was written at that level */
  bool key_pending;            /* inside an object: a key written, its value due */
  bool complete;               /* the top-level value is complete */
} JsonW;

/* Starts writing one JSON value at the end of b (b is not cleared). */
void jw_init(JsonW *w, Buf *b);
void jw_obj_begin(JsonW *w);
void jw_obj_end(JsonW *w);
void jw_arr_begin(JsonW *w);
void jw_arr_end(JsonW *w);
/* The key of the next member (only inside an object). */
void jw_key(JsonW *w, const char *key);
/* A string; NULL writes "". */
void jw_str(JsonW *w, const char *s);
/* A string of the n bytes at s (need not be NUL-terminated). */
void jw_strn(JsonW *w, const char *s, size_t n);
/* The comma-joined codes (NULL: none) as an array of strings; empty codes
 * are left out. */
void jw_codes(JsonW *w, const char *codes);
/* A string, or null when s is NULL or "". */
void jw_str_or_null(JsonW *w, const char *s);
void jw_int(JsonW *w, long long v);
/* The number tenths / 10 with one decimal (686 writes 68.6: a rate). */
void jw_tenths(JsonW *w, long long tenths);
/* v when has, else null. */
void jw_int_or_null(JsonW *w, bool has, long long v);
void jw_bool(JsonW *w, bool v);
void jw_null(JsonW *w);
/* A key and its value in one call. */
void jw_key_str(JsonW *w, const char *key, const char *s);
void jw_key_str_or_null(JsonW *w, const char *key, const char *s);
void jw_key_int(JsonW *w, const char *key, long long v);
void jw_key_bool(JsonW *w, const char *key, bool v);

/* ---- records written by a field table -----------------------------------
 * A record (a struct of strings, numbers and flags) is written by a table
 * of its members in answer order, each a JSON name, the member's type and
 * its offset, ended by {NULL}; JW_AT names the member by its own name,
 * JW_AS by another, JW_FN a value computed from the record. */
typedef enum {
  JF_STR,      /* char array: a string */
  JF_STR_NULL, /* char array: a string, null when "" */
  JF_TEXT,     /* char *: a string ("" when NULL) */
  JF_TEXT_NULL,/* char *: a string, null when NULL or "" */
  JF_INT,      /* int */
  JF_I64,      /* int64_t */
  JF_REF,      /* int64_t: the id of another record, null unless > 0 */
  JF_BOOL,     /* bool */
  JF_CODES,    /* char array of comma-joined codes: an array of strings */
  JF_FN        /* the value fn writes from the whole record */
} JwType;

typedef struct JwField {
  const char *key;
  JwType type;
  size_t offset;
  void (*fn)(JsonW *w, const void *rec); /* JF_FN */
} JwField;

#define JW_AT(T, member, type) {#member, type, offsetof(T, member), NULL}
#define JW_AS(key, T, member, type) {key, type, offsetof(T, member), NULL}
#define JW_FN(key, fn) {key, JF_FN, 0, fn}

/* Writes the members of rec that table f names, into the open object. */
void jw_fields(JsonW *w, const JwField *f, const void *rec);
/* Writes rec as an object of the members f names. */
void jw_record(JsonW *w, const JwField *f, const void *rec);
/* Writes key and the array of the n records of size sz at recs, each as
 * jw_record writes it. */
void jw_key_records(JsonW *w, const char *key, const void *recs, int n, size_t sz, const JwField *f);

/* The list envelope of every list answer, part one: opens
 * {"items":[ ; one value per item follows, then jw_list_end. */
void jw_list_begin(JsonW *w);
/* Part two: closes the items and appends "total":N,"page":P,"per_page":K}.
 * cap > 0: the count stops at cap; total is then at most cap, and
 * "total_capped" (after "total") says whether there are more. */
void jw_list_end(JsonW *w, int64_t total, int64_t cap, int page, int per_page);
/* jw_list_end without the closing brace: more members of the envelope
 * follow, then jw_obj_end. */
void jw_list_fields(JsonW *w, int64_t total, int64_t cap, int page, int per_page);
/* Writes one record of a list (json_list_answer). */
typedef void (*JwItem)(JsonW *w, const void *item);
/* Answers a list fetch: when rc (the fetch's answer) is ERR_OK, 200 with
 * the envelope around the n records of size sz at items, each written by
 * item (total, cap, page, per_page as jw_list_end takes them); otherwise
 * the error in e. Frees items (a malloc'd array; NULL allowed) either way. */
void json_list_answer(Req *r, int rc, const Err *e, void *items, int n, size_t sz, JwItem item, int64_t total,
                      int64_t cap, int page, int per_page);
/* json_list_answer of a list fetched whole: every one of the n records on
 * one page ("total" n, "page" 1, "per_page" n, at least 1). */
void json_list_all(Req *r, int rc, const Err *e, void *items, int n, size_t sz, JwItem item);
/* Reads every record of a list into *(T **)rows (malloc'd) and *n. */
typedef int (*JsonFetchAll)(Ctx *c, void *rows, int *n, Err *e);
/* json_list_all of the records fetch reads (of size sz, each written by
 * item). */
void json_list_fetch_all(Req *r, JsonFetchAll fetch, size_t sz, JwItem item);
/* Opens the JSON object of r's answer (json_begin, jw_obj_begin) when rc
 * is ERR_OK: true; else answers e: false. */
bool json_obj_open(Req *r, int rc, const Err *e, JsonW *w);
/* Opens the list envelope of r's answer (json_begin, jw_list_begin) when
 * rc is ERR_OK: true; else answers e: false. */
bool json_list_open(Req *r, int rc, const Err *e, JsonW *w);
/* Answers 200 {"ok":true} (a write that has nothing else to say). */
void json_ok(Req *r);
/* json_ok when rc (a write's answer) is ERR_OK, else the error in e. */
void json_ok_or(Req *r, int rc, const Err *e);
/* Answers rec written by item with status when rc (its read's answer) is
 * ERR_OK, else the error in e. */
void json_record(Req *r, int rc, const Err *e, JwItem item, const void *rec, int status);
/* Starts the JSON answer of r: clears r's body and points w at it. */
void json_begin(Req *r, JsonW *w);
/* Ends the answer begun by json_begin (the value must be complete) with
 * status and the JSON content type. */
void json_end(Req *r, JsonW *w, int status);

/* ---- reading ------------------------------------------------------------ */

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
/* A body of at most one string member key ({"reason"}): the body (the
 * caller json_decref's it) with *out read by json_get_str (e cleared
 * first: its field error, if any), or NULL when the body was refused (the
 * error answered on r). */
json_t *json_body_str(Req *r, const char *key, const char **out, Err *e);
/* For a request that takes no body: true when there is none or it is an
 * empty JSON object; else the error is answered on r (as json_body_only)
 * and false. */
bool json_body_none(Req *r);
/* An optional positive integer query parameter of an API request: def when
 * absent, a field error "应为正整数" when not an integer within [1, max]. */
long json_query_int(Req *r, const char *key, long def, long max, Err *e);
/* The page (default 1) and per_page (default per_page_def, at most 200)
 * query parameters of a list, with json_query_int's field errors. */
void json_query_paging(Req *r, int per_page_def, int *page, int *per_page, Err *e);
/* json_query_paging with its field errors answered on r: false then. */
bool json_paging(Req *r, int per_page_def, int *page, int *per_page);
/* Gets an optional string member: ERR_OK with *out NULL when absent or null,
 * *out the string when a string, field error "应为字符串" otherwise. */
int json_get_str(json_t *obj, const char *key, const char **out, Err *e);

#endif
