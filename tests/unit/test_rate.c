/* tests/unit/test_rate.c: cmocka unit tests for core/rate.c, the token
 * bucket of the case-file read limiter (issue 12 point 3): a fresh bucket
 * holds a minute's worth, it empties, it refills evenly (one token every
 * 60/per_minute seconds), it never holds more than a minute's worth after
 * a long pause, what Retry-After says, and a clock that goes backwards. */
#include "core/rate.h"
#include "tests/unit/fixture.h"

static void test_burst_then_refused(void **state) {
  (void)state;
  RateBucket b = {0, 0};
  int64_t t = 1000000;
  for (int i = 0; i < 60; i++)
    if (!rate_take(&b, 60, t)) fail_msg("read %d of a fresh bucket of 60 was refused", i + 1);
  assert_false(rate_take(&b, 60, t));
  assert_false(rate_take(&b, 60, t + 999)); /* not a whole token back yet */
  assert_true(rate_take(&b, 60, t + 1000)); /* one a second at 60 a minute */
  assert_false(rate_take(&b, 60, t + 1000));
}

static void test_refill_capped(void **state) {
  (void)state;
  RateBucket b = {0, 0};
  int64_t t = 5000;
  for (int i = 0; i < 10; i++) assert_true(rate_take(&b, 10, t));
  assert_false(rate_take(&b, 10, t));
  t += 3600 * 1000; /* an hour later: a minute's worth, not sixty */
  int n = 0;
  while (rate_take(&b, 10, t)) n++;
  assert_int_equal(n, 10);
}

static void test_wait_seconds(void **state) {
  (void)state;
  RateBucket b = {0, 0};
  int64_t t = 77;
  assert_int_equal(rate_wait_seconds(&b, 6, t), 0);
  for (int i = 0; i < 6; i++) assert_true(rate_take(&b, 6, t));
  assert_int_equal(rate_wait_seconds(&b, 6, t), 10);        /* 6 a minute: one every 10 s */
  assert_int_equal(rate_wait_seconds(&b, 6, t + 9001), 1);  /* rounded up */
  assert_int_equal(rate_wait_seconds(&b, 6, t + 10000), 0);
}

static void test_clock_backwards(void **state) {
  (void)state;
  RateBucket b = {0, 0};
  for (int i = 0; i < 3; i++) assert_true(rate_take(&b, 3, 50000));
  assert_false(rate_take(&b, 3, 10000)); /* an earlier time adds nothing */
  assert_true(rate_take(&b, 3, 70001));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_burst_then_refused),
    cmocka_unit_test(test_refill_capped),
    cmocka_unit_test(test_wait_seconds),
    cmocka_unit_test(test_clock_backwards),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
