/* core/rhythm.h: the rhythms of recurring unit duties (单位工作任务) and
 * what is due or overdue as of a day. A rhythm divides time into periods
 * (core/period.h: every ten days = 上/中/下旬 of a month, monthly,
 * quarterly, half-yearly, yearly) and asks for a number of records in each
 * (per_period: "2 information submissions a year" is yearly, 2). Work done
 * in a period is due by its last day (plus grace days); figures of a period
 * (a data set) are entered after it, so their task opens when the period
 * ends (after_end) and is due grace days later. A period counts from the
 * first one that starts on or after the rhythm's since day; periods due
 * more than RHYTHM_LOOKBACK_DAYS ago are no longer reported.
 *
 * Rhythms are set per org unit and inherited down the tree: the rule that
 * applies to a unit for a task and level is the one set on the nearest of
 * the unit itself and its ancestors (rhythm_resolve). Pure: the caller
 * (app/unit_task.c) loads rules and record dates. */
#ifndef JINDU_RHYTHM_H
#define JINDU_RHYTHM_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/period.h"

/* How far back a missed period is still reported (days after its due date). */
#define RHYTHM_LOOKBACK_DAYS 366
/* The most records a period may be asked for. */
#define RHYTHM_PER_PERIOD_MAX 99

typedef struct Rhythm {
  PeriodType type;
  int per_period;  /* records a period needs, 1..RHYTHM_PER_PERIOD_MAX */
  int grace_days;  /* days after a period's last day before it is overdue (>= 0) */
  bool after_end;  /* the task of a period opens when the period has ended (figures
                      entered afterwards), not when it starts (work done in it) */
} Rhythm;

typedef enum { RHYTHM_DUE, RHYTHM_OVERDUE } RhythmState;

/* One thing to do for one unit and one rhythm as of a day. */
typedef struct RhythmItem {
  RhythmState state;
  Period period;    /* DUE: the open period (the earliest when several are open);
                       OVERDUE: the latest period missed */
  Day due;          /* that period's due date (last day + grace) */
  int done;         /* records in that period */
  int required;     /* the rhythm's per_period */
  int missed;       /* OVERDUE: periods missed within the lookback (>= 1); DUE: 0 */
  int days_overdue; /* OVERDUE: asof - due (> 0); DUE: 0 */
} RhythmItem;

/* true when r is a rhythm rhythm_eval accepts. */
bool rhythm_valid(const Rhythm *r);

/* What rhythm r asks of a unit as of day asof, given the days of its
 * records (done[0..ndone), any order; for a data set the first day of each
 * period submitted): at most two items in out, the overdue one first
 * (periods ended and past their due date with fewer than per_period
 * records, within the lookback), then the due one (the earliest period
 * open as of asof, not past its due date, not yet complete). Periods start
 * on or after since. Returns how many items (0..2). */
int rhythm_eval(const Rhythm *r, Day since, Day asof, const Day *done, int ndone, RhythmItem out[2]);

/* ---- inheritance down the tree ---- */

/* The most levels a unit path holds ("/1/5/23/": 3). */
#define RHYTHM_DEPTH_MAX 16

/* The unit ids of a materialized path, root first ("/1/5/23/" -> 1, 5, 23),
 * at most max of them; returns how many (0 for a malformed path). */
int rhythm_path_chain(const char *path, int64_t *ids, int max);

/* A rule as set on a unit: the unit, the task and the level of the units
 * it is for. */
typedef struct RhythmRule {
  int64_t org_id;
  const char *task;
  const char *level;
} RhythmRule;

/* The rule that applies for task at level to the unit whose path's ids
 * are chain[0..depth) (root first, the unit itself last): among rules[0..n)
 * for that task and level, the one set on the deepest unit of the chain.
 * Returns its index, or -1 when none applies. */
int rhythm_resolve(const RhythmRule *rules, int n, const int64_t *chain, int depth, const char *task,
                   const char *level);

#endif
