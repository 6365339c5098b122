/* core/rate.c: owns the token bucket of core/rate.h. */
#include "core/rate.h"

#define RATE_UNIT 60000 /* units of one token (milliseconds in a minute) */

/* b's units as of now_ms (refilled, capped), without changing b. */
static int64_t rate_units(const RateBucket *b, int per_minute, int64_t now_ms) {
  int64_t cap = (int64_t)per_minute * RATE_UNIT;
  if (b->at_ms == 0) return cap;
  int64_t elapsed = now_ms > b->at_ms ? now_ms - b->at_ms : 0;
  int64_t u = b->units + elapsed * per_minute;
  return u > cap || u < b->units ? cap : u;
}

bool rate_take(RateBucket *b, int per_minute, int64_t now_ms) {
  if (per_minute < 1) per_minute = 1;
  int64_t u = rate_units(b, per_minute, now_ms);
  b->at_ms = now_ms > 0 ? now_ms : 1;
  if (u < RATE_UNIT) {
    b->units = u;
    return false;
  }
  b->units = u - RATE_UNIT;
  return true;
}

int rate_wait_seconds(const RateBucket *b, int per_minute, int64_t now_ms) {
  if (per_minute < 1) per_minute = 1;
  int64_t u = rate_units(b, per_minute, now_ms);
  if (u >= RATE_UNIT) return 0;
  int64_t ms = (RATE_UNIT - u + per_minute - 1) / per_minute;
  return (int)((ms + 999) / 1000);
}
