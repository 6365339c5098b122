/* tests/unit/test_web.c: cmocka tests of the web layer's helpers that need
 * no running server (web/server.c): response headers are kept as
 * "name\nvalue\n" pairs, so a header whose name or value holds a CR or LF
 * must be dropped rather than split into headers of the sender's choosing;
 * the JSON writer (web/json.c) escapes strings and places every comma,
 * colon and bracket itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "web/http.h"
#include "web/json.h"

/* A CR or LF in a header value or name never reaches the header list; a
 * clean header does, and a redirect keeps its Location. */
static void test_resp_header_no_split(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  resp_header(&r, "Location", "/x\nSet-Cookie\njd_session=attacker");
  resp_header(&r, "Location", "/x\r\nSet-Cookie: jd_session=attacker");
  resp_header(&r, "X-A\nSet-Cookie", "jd_session=attacker");
  assert_string_equal(buf_str(&r.headers), "");
  resp_header(&r, "Retry-After", "900");
  assert_string_equal(buf_str(&r.headers), "Retry-After\n900\n");
  buf_reset(&r.headers);
  resp_redirect(&r, "/persons/1");
  assert_int_equal(r.status, 303);
  assert_string_equal(buf_str(&r.headers), "Location\n/persons/1\n");
  buf_reset(&r.headers);
  buf_reset(&r.out);
}

/* jw_str: plain text (Chinese included) as it is, each escape in place,
 * control bytes as \u00XX, NULL as "", and < > & as \u003c \u003e \u0026. */
static void test_jw_str(void **state) {
  (void)state;
  static const struct { const char *in, *out; } cases[] = {
    {"", "\"\""},
    {NULL, "\"\""},
    {"禁毒社工 abc", "\"禁毒社工 abc\""},
    {"a\"b\\c", "\"a\\\"b\\\\c\""},
    {"<script>&", "\"\\u003cscript\\u003e\\u0026\""},
    {"\n\r\t\x01x\x1f", "\"\\n\\r\\t\\u0001x\\u001f\""},
    {"end\"", "\"end\\\"\""},
    {"\\", "\"\\\\\""},
    {"\xe2\x82\xac\xf0\x9f\x98\x80\x7f", "\"\xe2\x82\xac\xf0\x9f\x98\x80\x7f\""}, /* UTF-8 and DEL pass */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b);
    jw_str(&w, cases[i].in);
    assert_true(w.complete);
    assert_string_equal(buf_str(&b), cases[i].out);
    buf_reset(&b);
  }
}

/* jw_strn takes n bytes (a NUL inside is escaped, the rest not read);
 * jw_str_or_null writes null for NULL and "". */
static void test_jw_strn_null(void **state) {
  (void)state;
  Buf b = BUF_INIT;
  JsonW w;
  jw_init(&w, &b);
  jw_arr_begin(&w);
  jw_strn(&w, "ab,cd", 2);
  jw_strn(&w, "x\0y", 3);
  jw_str_or_null(&w, NULL);
  jw_str_or_null(&w, "");
  jw_str_or_null(&w, "z");
  jw_arr_end(&w);
  assert_string_equal(buf_str(&b), "[\"ab\",\"x\\u0000y\",null,null,\"z\"]");
  buf_reset(&b);
}

/* The writer puts every comma, colon and bracket: nested objects and
 * arrays, empty ones, keys escaped like strings, numbers, booleans, null;
 * it appends to what the Buf already holds. */
static void test_jw_nesting(void **state) {
  (void)state;
  Buf b = BUF_INIT;
  buf_puts(&b, ">");
  JsonW w;
  jw_init(&w, &b);
  jw_obj_begin(&w);
  jw_key_int(&w, "id", -42);
  jw_key(&w, "a\"k");
  jw_arr_begin(&w);
  jw_arr_end(&w);
  jw_key(&w, "o");
  jw_obj_begin(&w);
  jw_obj_end(&w);
  jw_key(&w, "list");
  jw_arr_begin(&w);
  jw_int(&w, 1);
  jw_arr_begin(&w);
  jw_bool(&w, true);
  jw_null(&w);
  jw_arr_end(&w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "f", false);
  jw_key(&w, "n");
  jw_int_or_null(&w, false, 7);
  jw_key(&w, "m");
  jw_int_or_null(&w, true, 7);
  jw_obj_end(&w);
  jw_arr_end(&w);
  jw_key_str_or_null(&w, "s", "v");
  jw_obj_end(&w);
  assert_true(w.complete);
  assert_string_equal(buf_str(&b), ">{\"id\":-42,\"a\\\"k\":[],\"o\":{},\"list\":[1,[true,null],{\"f\":false,\"n\":null,"
                                   "\"m\":7}],\"s\":\"v\"}");
  buf_reset(&b);
}

/* The list envelope: items, total, page, per_page; with a cap also
 * total_capped, and a total above the cap reads as the cap. */
static void test_jw_list(void **state) {
  (void)state;
  static const struct { int64_t total, cap; const char *out; } cases[] = {
    {0, 0, "{\"items\":[],\"total\":0,\"page\":1,\"per_page\":20}"},
    {2, 0, "{\"items\":[1,2],\"total\":2,\"page\":1,\"per_page\":20}"},
    {2, 10, "{\"items\":[1,2],\"total\":2,\"total_capped\":false,\"page\":1,\"per_page\":20}"},
    {11, 10, "{\"items\":[1,2],\"total\":10,\"total_capped\":true,\"page\":1,\"per_page\":20}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b);
    jw_list_begin(&w);
    for (int k = 1; k <= cases[i].total && k <= 2; k++) jw_int(&w, k);
    jw_list_end(&w, cases[i].total, cases[i].cap, 1, 20);
    assert_true(w.complete);
    assert_string_equal(buf_str(&b), cases[i].out);
    buf_reset(&b);
  }
}

/* json_begin/json_end write the answer into the request's body. */
static void test_json_answer(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  buf_puts(&r.out, "stale");
  JsonW w;
  json_begin(&r, &w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "ok", true);
  jw_obj_end(&w);
  json_end(&r, &w, 201);
  assert_string_equal(buf_str(&r.out), "{\"ok\":true}");
  assert_int_equal(r.status, 201);
  assert_string_equal(r.content_type, "application/json");
  assert_true(r.done);
  buf_reset(&r.out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_resp_header_no_split),
    cmocka_unit_test(test_jw_str),
    cmocka_unit_test(test_jw_strn_null),
    cmocka_unit_test(test_jw_nesting),
    cmocka_unit_test(test_jw_list),
    cmocka_unit_test(test_json_answer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
