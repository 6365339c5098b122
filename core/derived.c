/* core/derived.c: owns the rules that derive a person's stored fields from
 * the history (see derived.h): which status episode is current, and the
 * status and status_since it gives. Pure: no I/O, no allocation. */
#include "derived.h"
#include "core/buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* true when s is NULL or "". */
static bool derived_empty(const char *s) { return !s || !s[0]; }

/* Index of the row with this id among eps[0..before), or -1. Rows are in
 * id order, so a correction's target (an earlier row) is searched backwards. */
static int derived_find(const DerivedEpisode *eps, int before, int64_t id) {
  for (int j = before - 1; j >= 0; j--)
    if (eps[j].id == id) return j;
  return -1;
}

int derived_current_episode(const DerivedEpisode *eps, int n) {
  if (n <= 0) return -1;
  /* Fast path: no corrections at all (the usual case) -> the last row. */
  bool any = false;
  for (int i = 0; i < n && !any; i++) any = eps[i].corrects_id != 0;
  if (!any) return n - 1;

  int best = -1;
  int64_t best_place = 0;
  for (int i = 0; i < n; i++) {
    /* Voided: some later row corrects this one. */
    bool voided = false;
    for (int k = i + 1; k < n && !voided; k++) voided = eps[k].corrects_id == eps[i].id;
    if (voided) continue;
    /* Place: follow the chain of corrections back to the first row. A
     * correction of a row that is not among eps (should not happen) keeps
     * the place it reached. The chain only goes backwards, so it ends. */
    int64_t place = eps[i].id;
    int cur = i;
    while (eps[cur].corrects_id != 0) {
      int t = derived_find(eps, cur, eps[cur].corrects_id);
      if (t < 0) break;
      cur = t;
      place = eps[t].id;
    }
    if (best < 0 || place >= best_place) { /* ties: the later id (i grows) wins */
      best = i;
      best_place = place;
    }
  }
  return best;
}

void derived_status(const DerivedEpisode *eps, int n, char status[DERIVED_STATUS_LEN],
                    char since[DATE_ISO_LEN]) {
  int cur = derived_current_episode(eps, n);
  if (cur < 0) {
    status[0] = 0;
    since[0] = 0;
    return;
  }
  str_copy(status, DERIVED_STATUS_LEN, eps[cur].status);
  const DerivedEpisode *e = &eps[cur];
  const char *s = !derived_empty(e->start_date)      ? e->start_date
                  : !derived_empty(e->decision_date) ? e->decision_date
                                                     : e->created_at;
  str_copy(since, DATE_ISO_LEN, s); /* a timestamp is cut to its date */
}
