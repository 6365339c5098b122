/* fuzz/fuzz_date.c: libFuzzer harness of the date parsers (core/date.h):
 * date_parse of any text, and what it accepts formats back to the same text
 * and survives the calendar arithmetic the supervision engine does with it;
 * date_time_short of any timestamp text. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  Day d;
  if (date_parse(s, &d)) {
    char back[DATE_ISO_LEN];
    date_format(d, back);
    assert(strcmp(back, s) == 0); /* exactly YYYY-MM-DD: nothing else is accepted */
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    assert(date_valid_ymd(y, m, dd));
    /* the arithmetic of schedules and deadlines, at the range's edges */
    for (int k = -24; k <= 24; k += 7) {
      Day a = date_add_months(d, k);
      date_to_ymd(a, &y, &m, &dd);
      assert(m >= 1 && m <= 12 && dd >= 1 && dd <= 31);
    }
    (void)date_add_years(d, 3);
    (void)date_years_between(d, date_from_ymd(2026, 6, 15));
  }
  char out[DATE_TIME_SHORT_LEN];
  const char *t = date_time_short(s, out);
  assert(t == out && strlen(out) < DATE_TIME_SHORT_LEN);
  free(s);
  return 0;
}
