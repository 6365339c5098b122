/* tests/unit/test_buf.c: cmocka tests of core/buf.c: the growable buffer,
 * escaping, the bounded string copy (never half a UTF-8 character) and the
 * array helpers. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "tests/unit/fixture.h"

/* buf_escape replaces the bytes of its table, copies the rest (UTF-8 too)
 * and keeps, drops or \u-escapes the other control bytes. */
static void check_buf_escape(void) {
  static const char *const rep[128] = {['&'] = "&amp;", ['\t'] = " "};
  const char in[] = "a&b\t\x01\x7f禁毒&";
  Buf b = BUF_INIT;
  buf_escape(&b, in, sizeof in - 1, rep, BUF_CTRL_KEEP);
  assert_string_equal(buf_str(&b), "a&amp;b \x01\x7f禁毒&amp;");
  buf_clear(&b);
  buf_escape(&b, in, sizeof in - 1, rep, BUF_CTRL_DROP);
  assert_string_equal(buf_str(&b), "a&amp;b 禁毒&amp;");
  buf_clear(&b);
  buf_escape(&b, in, sizeof in - 1, rep, BUF_CTRL_UNICODE);
  assert_string_equal(buf_str(&b), "a&amp;b \\u0001\x7f禁毒&amp;");
  buf_clear(&b);
  buf_escape(&b, "x", 0, rep, BUF_CTRL_UNICODE);
  assert_int_equal(b.len, 0);
  buf_reset(&b);
}

/* Appends, printf, clear, detach, escaping. */
static void test_buf_basics(void **state) {
  (void)state;
  Buf b = BUF_INIT;
  assert_string_equal(buf_str(&b), "");
  buf_puts(&b, "禁毒");
  buf_putc(&b, '-');
  buf_printf(&b, "%d/%s", 42, "x");
  assert_string_equal(buf_str(&b), "禁毒-42/x");
  assert_int_equal(b.len, strlen("禁毒-42/x"));
  for (int i = 0; i < 1000; i++) buf_putc(&b, 'a');
  assert_int_equal(b.len, strlen("禁毒-42/x") + 1000);
  buf_clear(&b);
  assert_string_equal(buf_str(&b), "");
  buf_puts(&b, "z");
  char *s = buf_detach(&b);
  assert_string_equal(s, "z");
  assert_string_equal(buf_str(&b), "");
  free(s);
  buf_reset(&b);
  check_buf_escape();
}

/* str_copy: fits, NULL, cut ASCII, never cuts a Chinese character in two. */
static void test_str_copy(void **state) {
  (void)state;
  char d[7];
  str_copy(d, sizeof d, "abc");
  assert_string_equal(d, "abc");
  str_copy(d, sizeof d, NULL);
  assert_string_equal(d, "");
  str_copy(d, sizeof d, "abcdef");
  assert_string_equal(d, "abcdef");
  str_copy(d, sizeof d, "abcdefgh");
  assert_string_equal(d, "abcdef");
  str_copy(d, sizeof d, "禁毒社工"); /* 12 bytes; 6 fit: two whole characters */
  assert_string_equal(d, "禁毒");
  str_copy(d, sizeof d, "a禁毒社工"); /* 1 + 3 + 3: the second would end at byte 7 */
  assert_string_equal(d, "a禁");
  char one[1];
  str_copy(one, sizeof one, "x");
  assert_string_equal(one, "");
}

/* array_grow keeps the contents and always leaves room for index count. */
static void test_array_grow(void **state) {
  (void)state;
  int *v = NULL, cap = 0;
  for (int i = 0; i < 100; i++) {
    v = array_grow(v, i, &cap, sizeof *v);
    assert_true(cap > i);
    v[i] = i * i;
  }
  for (int i = 0; i < 100; i++) assert_int_equal(v[i], i * i);
  int before = cap;
  v = array_grow(v, 5, &cap, sizeof *v);
  assert_int_equal(cap, before);
  int n = 100;
  array_free(&v, &n); /* frees, and leaves the pointer and count empty */
  assert_null(v);
  assert_int_equal(n, 0);
  array_free(&v, &n); /* again: a no-op */
  assert_null(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_buf_basics),
    cmocka_unit_test(test_str_copy),
    cmocka_unit_test(test_array_grow),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
