/* core/deadline.h: the legal deadlines and counts of community drug control
 * (DOMAIN.md §3) as pure functions: reporting after an order, release from
 * isolation (notice and pickup), leave that needs a written report, serious
 * breach of the agreement, and the deadlines after a transfer (变更执行地).
 * A deadline is the last day that is still on time; the day after it is
 * overdue (deadline_overdue). */
#ifndef JINDU_DEADLINE_H
#define JINDU_DEADLINE_H
#include <stdbool.h>
#include "core/date.h"

#define DEADLINE_REPORT_DAYS 15    /* report after a community order */
#define DEADLINE_RELEASE_NOTICE_DAYS 7 /* street told of a release from isolation */
#define DEADLINE_TRANSFER_DAYS 15  /* report to / agreement with the new street */
#define LEAVE_REPORT_MIN_DAYS 3    /* days away that need a written report */
#define BREACH_MIN_COUNT 3         /* refusals/absences making a serious breach */
#define BREACH_MAX_ABSENCE_DAYS 30 /* more days away than this: serious breach */

/* Last day on which a person ordered to community detox or rehabilitation
 * (decision served on decision_date) reports on time: decision_date + 15
 * days. Not reported after that day = refusing (拒绝报到). */
Day deadline_report(Day decision_date);
/* Last day by which the street must have been told of a release from
 * compulsory isolation on release_date: release_date + 7 days (reading of
 * DOMAIN.md "the street is told within 7 days": within 7 days of the
 * release; a notice after this day is late). */
Day deadline_release_notice(Day release_date);
/* The day the street must receive a person released on release_date whose
 * release it was told of on notice_date (出所必接): the release day, or the
 * notice day when the notice came only after the release. The pickup task
 * is open from the notice until the person reports. */
Day deadline_release_pickup(Day release_date, Day notice_date);
/* true when a leave from `from` to `until` (both days away, inclusive) is
 * 3 days or more and so needs a written report; false when until < from. */
bool leave_needs_report(Day from, Day until);

typedef struct BreachCounts {
  int refused_or_absent_tests; /* tests refused or evaded (did not appear) */
  int absences;                /* times away without permission */
  int absence_days;            /* total days away without permission */
} BreachCounts;

/* Serious breach of the agreement (严重违反协议): refused/evaded tests 3 or
 * more times, or away without permission 3 or more times, or for more than
 * 30 days in total. */
bool breach_is_serious(const BreachCounts *c);
/* Last day to sign a new agreement after a transfer accepted on
 * transfer_accepted: + 15 days. */
Day deadline_new_agreement(Day transfer_accepted);
/* Last day for the person to report to the new street after a transfer
 * accepted on `accepted`: + 15 days. */
Day deadline_transfer_report(Day accepted);
/* true when asof is after the deadline (the deadline day itself is on time). */
bool deadline_overdue(Day deadline, Day asof);
/* Days asof is past the deadline; 0 when on time. */
int deadline_days_overdue(Day deadline, Day asof);

#endif
