/* core/schedule.h: the contact and testing schedule (帮教/检测频次, DOMAIN.md
 * §4) as data and pure functions: a ScheduleRule is a table of tiers by time
 * abstinent (optionally one table per status), a release point, and
 * tightening by risk level; schedule_compute() gives the next talk and test
 * due dates as of a day. Rules are chosen per org unit and inherited down
 * the tree (app/ resolves which rule applies); three presets are built in
 * and custom rules are stored as spec text (schedule_rule_parse/format). */
#ifndef JINDU_SCHEDULE_H
#define JINDU_SCHEDULE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/date.h"
#include "core/err.h"
#include "core/status.h"

#define SCHED_MAX_TIERS 6
#define SCHED_CODE_MAX 32
#define SCHED_SPEC_MAX 512

typedef enum { RISK_NONE = 0, RISK_LOW, RISK_MEDIUM, RISK_HIGH } RiskLevel;

typedef struct ScheduleTier {
  int until_months; /* the tier applies while months abstinent < until_months */
  int talk_months;  /* interval between talks, in calendar months (1..24) */
  int test_months;  /* interval between drug tests, in calendar months (1..24) */
} ScheduleTier;

typedef struct ScheduleTable {
  int ntiers; /* 0: this table is unused */
  ScheduleTier tiers[SCHED_MAX_TIERS]; /* ascending until_months */
} ScheduleTable;

typedef struct ScheduleRule {
  char code[SCHED_CODE_MAX];  /* "default", "monthly_visit", "annual_counts" or a custom code */
  ScheduleTable base;         /* applies when no per-status table does */
  ScheduleTable by_status[ST__COUNT]; /* optional per-status tables */
  int release_months;         /* abstinent this long: eligible for release (36) */
  int high_max_months;        /* high risk: no interval longer than this (0 = no cap) */
  int medium_max_months;      /* medium risk: likewise */
  int release_ahead_days;     /* a custodial person's planned release is on the work list this many days
                                 ahead (release_upcoming; 1..366; 0 reads as SCHED_RELEASE_AHEAD_DEFAULT) */
} ScheduleRule;
#define SCHED_RELEASE_AHEAD_DEFAULT 30
#define SCHED_RELEASE_AHEAD_MAX 366

/* The built-in presets: "default" (DOMAIN.md §4 table: <1 y every 2 months,
 * 1-2 y quarterly, 2-3 y half-yearly, release at 3 y; high risk monthly,
 * medium at most every 2 months), "monthly_visit" (monthly talk/visit, test
 * every 6 months), "annual_counts" (tests per year by status: community
 * detox 12/6/4, community rehab 6/4/2 in years 1/2/3; others as default). */
int schedule_preset_count(void);
const ScheduleRule *schedule_preset(int i);
/* The preset with code, or NULL. */
const ScheduleRule *schedule_preset_by_code(const char *code);
/* Chinese name of a preset code (a msgid), or NULL for a custom code. */
const char *schedule_preset_name(const char *code);

/* Parses spec text into *out (code set by the caller), e.g.
 * "base=12:2:2,24:3:3,36:6:6;release=36;high=1;medium=2;community_detox=12:1:1,24:2:2,36:3:3"
 * (optional "release_ahead=N": days ahead a planned release is listed, 1..366, default 30)
 * Tiers are until:talk:test in months, strictly ascending until, intervals
 * 1..24, release 1..120. ERR_INVALID with a Chinese message on bad text. */
ErrCode schedule_rule_parse(const char *spec, ScheduleRule *out, Err *e);
/* Writes the canonical spec text of r into out (SCHED_SPEC_MAX bytes). */
void schedule_rule_format(const ScheduleRule *r, char *out, size_t outsz);

/* What the schedule needs to know about a person on a day. */
typedef struct ScheduleInput {
  Status status;
  bool has_clock; Day clock_start; /* start of the abstinence clock: the latest of
                                      the current order/supervision start, release
                                      from isolation, last positive test */
  bool has_last_test; Day last_test; /* last test on or after clock_start */
  bool has_last_talk; Day last_talk; /* last talk/visit on or after clock_start */
  RiskLevel risk;
} ScheduleInput;

typedef struct ScheduleResult {
  bool nothing_due;        /* closed, custodial, abstinent_3y, or no clock */
  Day next_talk_due;
  Day next_test_due;
  Day second_test_due;     /* the due date after next_test_due: past it, two tests are missed */
  int tier;                /* index of the tier applying as of the day (0-based) */
  int talk_months, test_months; /* intervals of that tier, after risk tightening */
  int months_abstinent;    /* whole calendar months from clock_start to the day */
  Day release_eligible;    /* clock_start + release_months */
  bool eligible_for_release; /* the day is on or after release_eligible */
} ScheduleResult;

/* The table that applies to a status under rule r. */
const ScheduleTable *schedule_table(const ScheduleRule *r, Status s);
/* Tier index applying on day d for a clock started at start (the last tier
 * once past every until_months). */
int schedule_tier_at(const ScheduleTable *t, Day start, Day d);
/* Computes due dates as of day `asof`. The next test is due one interval
 * (of the tier applying on the date of the last test) after the last test,
 * or after clock_start when there has been no test since; talks likewise.
 * Risk tightening caps each interval. */
void schedule_compute(const ScheduleRule *r, const ScheduleInput *in, Day asof, ScheduleResult *out);

/* Whole calendar months from a to b: the largest k >= 0 with
 * date_add_months(a, k) <= b (2024-01-31 to 2024-02-29 is 1); 0 when b < a. */
int schedule_months_between(Day a, Day b);

#endif
