/* core/rate.h: a token bucket in integers (pure): `per_minute` tokens a
 * minute, refilled evenly, holding at most `per_minute` (a minute's burst).
 * The case-file read limiter of app/read_limit.h keeps one per user. */
#ifndef JINDU_RATE_H
#define JINDU_RATE_H
#include <stdbool.h>
#include <stdint.h>

/* One bucket; all zero is a full bucket not yet used. Tokens are counted in
 * units of 1/60000 of a token per (token a minute), so that the refill of
 * one millisecond is an integer: one token = 60000 units, a millisecond
 * adds per_minute units, the bucket holds per_minute * 60000 units. */
typedef struct RateBucket {
  int64_t units;   /* tokens held, in units */
  int64_t at_ms;   /* when units was last brought up to date; 0: never used (full) */
} RateBucket;

/* Takes one token at now_ms (a monotonic clock in milliseconds) from a
 * bucket of per_minute (>= 1): true when there was one. */
bool rate_take(RateBucket *b, int per_minute, int64_t now_ms);

/* The seconds until a token is there again (0 when one is there), rounded
 * up: what Retry-After says. */
int rate_wait_seconds(const RateBucket *b, int per_minute, int64_t now_ms);

#endif
