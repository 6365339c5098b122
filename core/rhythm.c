/* core/rhythm.c: owns the due and overdue computation of unit-task
 * rhythms and their inheritance down the org tree (see rhythm.h). */
#include "core/rhythm.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

bool rhythm_valid(const Rhythm *r) {
  return r && r->type >= 0 && r->type < PERIOD__COUNT && r->per_period >= 1 &&
         r->per_period <= RHYTHM_PER_PERIOD_MAX && r->grace_days >= 0 && r->grace_days <= 366;
}

/* The records of done[0..n) that fall in p. */
static int rhythm_count(Period p, const Day *done, int n) {
  Day first = period_first_day(p), last = period_last_day(p);
  int k = 0;
  for (int i = 0; i < n; i++) k += done[i] >= first && done[i] <= last;
  return k;
}

int rhythm_eval(const Rhythm *r, Day since, Day asof, const Day *done, int ndone, RhythmItem out[2]) {
  assert(rhythm_valid(r));
  /* The first period to look at: the one holding the earliest day a period
   * reported as missed may end on (its due date within the lookback), and
   * not before the first period starting on or after since. */
  Day horizon = asof - RHYTHM_LOOKBACK_DAYS - r->grace_days;
  Period p = period_of(r->type, since > horizon ? since : horizon);
  if (period_first_day(p) < since) p = period_add(p, 1);

  RhythmItem over = {0}, due = {0};
  bool has_due = false;
  for (int guard = 0; period_valid(p); guard++, p = period_add(p, 1)) {
    assert(guard < 2 * 366 + 40 && "more periods than a lookback holds");
    /* an open period: work periods from their first day, figures from the day after their last */
    bool open = r->after_end ? period_last_day(p) < asof : period_first_day(p) <= asof;
    if (!open) break;
    Day d = period_due(p, r->grace_days);
    if (d < asof - RHYTHM_LOOKBACK_DAYS) continue; /* missed too long ago */
    int k = rhythm_count(p, done, ndone);
    if (k >= r->per_period) continue;
    if (asof > d) { /* missed: the latest one is reported, the count of all */
      over = (RhythmItem){RHYTHM_OVERDUE, p, d, k, r->per_period, over.missed + 1, (int)(asof - d)};
    } else if (!has_due) {
      due = (RhythmItem){RHYTHM_DUE, p, d, k, r->per_period, 0, 0};
      has_due = true;
    }
  }
  int n = 0;
  if (over.missed > 0) out[n++] = over;
  if (has_due) out[n++] = due;
  return n;
}

int rhythm_path_chain(const char *path, int64_t *ids, int max) {
  if (!path || path[0] != '/') return 0;
  int n = 0;
  const char *s = path + 1;
  while (*s) {
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '/' || v <= 0 || n >= max) return 0;
    ids[n++] = v;
    s = end + 1;
  }
  return n;
}

int rhythm_resolve(const RhythmRule *rules, int n, const int64_t *chain, int depth, const char *task,
                   const char *level) {
  int best = -1, best_depth = -1;
  for (int i = 0; i < n; i++) {
    if (strcmp(rules[i].task, task) != 0 || strcmp(rules[i].level, level) != 0) continue;
    for (int d = depth - 1; d > best_depth; d--)
      if (chain[d] == rules[i].org_id) {
        best = i;
        best_depth = d;
        break;
      }
  }
  return best;
}
