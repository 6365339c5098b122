/* fuzz/fuzz_schedule.c: libFuzzer harness of the schedule rule spec parser
 * (core/schedule.h, the custom rules an admin stores as text): any text
 * either fails with a message or gives a rule whose canonical text parses
 * back to the same rule, and whose due dates compute for every status and
 * risk level without leaving the calendar. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/schedule.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  ScheduleRule r, again;
  memset(&r, 0, sizeof r);
  Err e;
  err_clear(&e);
  if (schedule_rule_parse(s, &r, &e) == ERR_OK) {
    char text[SCHED_SPEC_MAX];
    schedule_rule_format(&r, text, sizeof text);
    memset(&again, 0, sizeof again);
    Err e2;
    err_clear(&e2);
    assert(schedule_rule_parse(text, &again, &e2) == ERR_OK);
    char text2[SCHED_SPEC_MAX];
    schedule_rule_format(&again, text2, sizeof text2);
    assert(strcmp(text, text2) == 0);
    Day start = date_from_ymd(2020, 1, 31), asof = date_from_ymd(2026, 6, 15);
    for (int st = 0; st < ST__COUNT; st++) {
      for (int risk = RISK_NONE; risk <= RISK_HIGH; risk++) {
        ScheduleInput in = {.status = (Status)st, .has_clock = true, .clock_start = start, .has_last_test = true,
                            .last_test = date_from_ymd(2025, 2, 28), .risk = (RiskLevel)risk};
        ScheduleResult out;
        schedule_compute(&r, &in, asof, &out);
        if (!out.nothing_due) assert(out.next_test_due >= start && out.next_talk_due >= start);
      }
    }
  } else {
    assert(e.msg != NULL);
  }
  free(s);
  return 0;
}
