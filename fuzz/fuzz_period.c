/* fuzz/fuzz_period.c: libFuzzer harness of the period strings (core/
 * period.h: the data sets' and report forms' "2026-06D1", "2026-06",
 * "2026Q2", "2026H1", "2026"; core/stats.h stats_period_parse, the
 * statistics' periods): what parses formats back to the same text, names
 * itself in both languages, and splits, adds and orders within its days. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/period.h"
#include "core/stats.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  Period p;
  if (period_parse(s, &p)) {
    assert(period_valid(p));
    char text[PERIOD_TEXT_LEN], label[PERIOD_LABEL_LEN];
    period_format(p, text);
    assert(strcmp(text, s) == 0);
    period_label(p, false, label, sizeof label);
    period_label(p, true, label, sizeof label);
    Day f = period_first_day(p), t = period_last_day(p);
    assert(f <= t && period_days(p) == t - f + 1);
    assert(period_contains_day(p, f) && period_contains_day(p, t));
    for (int k = PERIOD_DEKAD; k <= (int)p.type; k++) {
      Period first;
      int n = period_split(p, (PeriodType)k, &first);
      assert(n >= 1 && period_first_day(first) == f);
      assert(period_contains(p, first));
    }
    Period next = period_add(p, 1);
    if (period_valid(next)) assert(period_cmp(p, next) < 0 && period_first_day(next) == t + 1);
    (void)period_due(p, 15);
  }
  PeriodType pt;
  (void)period_type_from_code(s, &pt);
  StatPeriod sp;
  if (stats_period_parse(s, &sp)) {
    assert(sp.f <= sp.t);
    char out[32];
    stats_period_format(&sp, out);
    StatPeriod prev;
    stats_period_previous(&sp, &prev);
    assert(prev.f <= prev.t && prev.t < sp.f);
  }
  free(s);
  return 0;
}
