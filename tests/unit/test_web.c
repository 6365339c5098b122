/* tests/unit/test_web.c: cmocka tests of the web layer's helpers that need
 * no running server (web/server.c): response headers are kept as
 * "name\nvalue\n" pairs, so a header whose name or value holds a CR or LF
 * must be dropped rather than split into headers of the sender's choosing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "web/http.h"

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

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_resp_header_no_split),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
