/* tests/unit/test_web.c: cmocka tests of the web layer's helpers that need
 * no running server (web/server.c): response headers are kept as
 * "name\nvalue\n" pairs, so a header whose name or value holds a CR or LF
 * must be dropped rather than split into headers of the sender's choosing;
 * JSON strings are escaped (web/json.c). */
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

/* json_str: plain text (Chinese included) as it is, each escape in place,
 * control bytes as \u00XX, NULL as "". */
static void test_json_str(void **state) {
  (void)state;
  static const struct { const char *in, *out; } cases[] = {
    {"", "\"\""},
    {NULL, "\"\""},
    {"禁毒社工 abc", "\"禁毒社工 abc\""},
    {"a\"b\\c", "\"a\\\"b\\\\c\""},
    {"<script>&", "\"\\u003cscript\\u003e\\u0026\""},
    {"\n\r\t\x01x\x1f", "\"\\n\\r\\t\\u0001x\\u001f\""},
    {"end\"", "\"end\\\"\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    json_str(&b, cases[i].in);
    assert_string_equal(buf_str(&b), cases[i].out);
    buf_reset(&b);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_resp_header_no_split),
    cmocka_unit_test(test_json_str),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
