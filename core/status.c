/* core/status.c: owns the supervision status state machine (see status.h,
 * DOMAIN.md §3): the API codes and Chinese names of the statuses, the table
 * of allowed transitions, the legal lengths and the planned end of an
 * episode, and the status groups (closed, custodial, community order). Pure.
 *
 * Allowed transitions: the table NEXT below (row: current status, column:
 * next status; Y = allowed). ST_NONE as the current status means "no
 * episode yet"; nothing ever goes to ST_NONE, no status goes to itself, and
 * nothing follows ST_DEAD. Its columns:
 *
 *   DTX community_detox 社区戒毒        ISO compulsory_isolation 强制隔离戒毒
 *   RHB community_rehab 社区康复        SOC social_supervision 社会面管控
 *   DET detained 拘留(中止)             IMP imprisoned 服刑
 *   AB3 abstinent_3y 戒断三年未复吸     DEA dead 死亡     EMI emigrated 出境
 *
 * Legal lengths: community detox 3 years, compulsory isolation 2 years,
 * community rehabilitation 3 years, social supervision 3 years (until three
 * years abstinent); the others have no fixed length. The planned end is
 * the day before the anniversary; the anniversary of 29 February in a common
 * year is 1 March, so an order from 2024-02-29 runs to 2027-02-28 and one
 * from 2022-03-01 for two years to 2024-02-29. */
#include "status.h"
#include <stddef.h>
#include <string.h>

/* The API codes of the statuses after ST_NONE, in enum order. */
const char *const status_codes[ST__COUNT] = {
  "community_detox", "compulsory_isolation", "community_rehab", "social_supervision", "detained",
  "imprisoned", "abstinent_3y", "dead", "emigrated", NULL};

/* One row per status, in enum order. */
typedef struct {
  const char *name_zh; /* Chinese name */
  int legal_years;     /* 0 when there is no fixed length */
} StatusInfo;

static const StatusInfo INFO[ST__COUNT] = {
  [ST_NONE] = {"未登记状态", 0},
  [ST_COMMUNITY_DETOX] = {"社区戒毒", 3},
  [ST_COMPULSORY_ISOLATION] = {"强制隔离戒毒", 2},
  [ST_COMMUNITY_REHAB] = {"社区康复", 3},
  [ST_SOCIAL_SUPERVISION] = {"社会面管控", 3},
  [ST_DETAINED] = {"拘留(中止)", 0},
  [ST_IMPRISONED] = {"服刑", 0},
  [ST_ABSTINENT_3Y] = {"戒断三年未复吸", 0},
  [ST_DEAD] = {"死亡", 0},
  [ST_EMIGRATED] = {"出境", 0},
};

/* Allowed transitions: a row a current status, a column a next status,
 * both in enum order (the columns from ST_COMMUNITY_DETOX on); 'Y' allowed.
 * One literal a cell, so that the columns stand under their names. */
static const char NEXT[ST__COUNT][ST__COUNT] = {
  /*                          DTX ISO RHB SOC DET IMP AB3 DEA EMI */
  [ST_NONE] =                 "Y" "Y" "Y" "Y" "Y" "Y" "Y" "." ".",
  [ST_COMMUNITY_DETOX] =      "." "Y" "." "Y" "Y" "Y" "Y" "Y" "Y",
  [ST_COMPULSORY_ISOLATION] = "." "." "Y" "Y" "." "Y" "." "Y" ".",
  [ST_COMMUNITY_REHAB] =      "." "Y" "." "Y" "Y" "Y" "Y" "Y" "Y",
  [ST_SOCIAL_SUPERVISION] =   "Y" "Y" "." "." "Y" "Y" "Y" "Y" "Y",
  [ST_DETAINED] =             "Y" "Y" "Y" "Y" "." "Y" "." "Y" ".",
  [ST_IMPRISONED] =           "Y" "Y" "." "Y" "." "." "." "Y" ".",
  [ST_ABSTINENT_3Y] =         "Y" "Y" "." "Y" "Y" "Y" "." "Y" "Y",
  [ST_DEAD] =                 "." "." "." "." "." "." "." "." ".",
  [ST_EMIGRATED] =            "Y" "Y" "." "Y" "Y" "Y" "." "Y" ".",
};

/* true when s is one of the enum's statuses (ST_NONE included). */
static bool known(Status s) { return (unsigned)s < (unsigned)ST__COUNT; }

/* API code of s ("community_detox"); "" for ST_NONE and unknown values. */
const char *status_code(Status s) { return known(s) && s != ST_NONE ? status_codes[s - 1] : ""; }

/* Status whose API code is exactly code; ST_NONE for NULL, "" or an
 * unknown code (codes are case-sensitive). */
Status status_from_code(const char *code) {
  if (!code || !code[0]) return ST_NONE;
  for (int s = ST_NONE + 1; s < ST__COUNT; s++)
    if (strcmp(status_codes[s - 1], code) == 0) return (Status)s;
  return ST_NONE;
}

/* Chinese name of s (static); "未知状态" for a value outside the enum. */
const char *status_name_zh(Status s) { return known(s) ? INFO[s].name_zh : "未知状态"; }

/* true when the table above allows going from `from` to `to`; false for
 * any value outside the enum. */
bool status_transition_allowed(Status from, Status to) {
  if (!known(from) || !known(to)) return false;
  return to != ST_NONE && NEXT[from][to - ST_COMMUNITY_DETOX] == 'Y';
}

/* Legal length of s in years; 0 when s has no fixed length. */
int status_legal_years(Status s) { return known(s) ? INFO[s].legal_years : 0; }

/* Planned last day of an episode of s starting on start: the day before the
 * anniversary after the legal length (2023-03-15 + 3 years -> 2026-03-14).
 * false, with *end untouched, when s has no fixed length. */
bool status_planned_end(Status s, Day start, Day *end) {
  int years = status_legal_years(s);
  if (years == 0) return false;
  int y, m, d;
  date_to_ymd(start, &y, &m, &d);
  Day anniversary = date_add_years(start, years);
  if (m == 2 && d == 29 && !date_is_leap_year(y + years)) anniversary += 1; /* 28 Feb -> 1 Mar */
  if (end) *end = anniversary - 1;
  return true;
}

/* Dead or emigrated: the file is closed. */
bool status_is_closed(Status s) { return s == ST_DEAD || s == ST_EMIGRATED; }

/* Compulsory isolation, detention or prison: no talk or test is due. */
bool status_is_custodial(Status s) {
  return s == ST_COMPULSORY_ISOLATION || s == ST_DETAINED || s == ST_IMPRISONED;
}

/* Community detox or community rehabilitation: the 15-day report rule
 * applies. */
bool status_is_community_order(Status s) {
  return s == ST_COMMUNITY_DETOX || s == ST_COMMUNITY_REHAB;
}
