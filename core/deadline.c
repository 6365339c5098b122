/* core/deadline.c: owns the legal deadlines and counts of DOMAIN.md §3 (see
 * deadline.h): day arithmetic on Day numbers, no calendar months involved,
 * and the thresholds of a leave report and a serious breach. Pure.
 *
 * Readings of the rules (documented here because the text allows others):
 * - "within 15 days" after an order, a transfer or for a new agreement: the
 *   day of the event is not counted (as Chinese law counts periods), so the
 *   deadline is event + 15 days and the person is overdue from event + 16.
 * - Release from isolation ("the street is told within 7 days and must
 *   receive the person"): the notice is due within 7 days of the release
 *   (deadline = release + 7); the person is to be received on the release
 *   day, or on the notice day when the street learns of it only afterwards.
 * - Leave: 3 days or more away counting the first and last day
 *   (until - from + 1 >= 3) needs a written report.
 * - Serious breach: >= 3 refused/evaded tests, >= 3 absences without
 *   permission, or more than 30 days away in total. */
#include "deadline.h"
#include <assert.h>

/* decision_date + 15 days: the last on-time day to report. */
Day deadline_report(Day decision_date) { return decision_date + DEADLINE_REPORT_DAYS; }

/* release_date + 7 days: the last on-time day to tell the street. */
Day deadline_release_notice(Day release_date) {
  return release_date + DEADLINE_RELEASE_NOTICE_DAYS;
}

/* The later of release_date and notice_date: when the person is received. */
Day deadline_release_pickup(Day release_date, Day notice_date) {
  return notice_date > release_date ? notice_date : release_date;
}

/* true when from..until (inclusive) spans at least 3 days. */
bool leave_needs_report(Day from, Day until) {
  if (until < from) return false;
  return (int64_t)until - from + 1 >= LEAVE_REPORT_MIN_DAYS;
}

/* true when any of the three serious-breach thresholds is reached. */
bool breach_is_serious(const BreachCounts *c) {
  assert(c);
  return c->refused_or_absent_tests >= BREACH_MIN_COUNT || c->absences >= BREACH_MIN_COUNT ||
         c->absence_days > BREACH_MAX_ABSENCE_DAYS;
}

/* transfer_accepted + 15 days: the last on-time day for the new agreement. */
Day deadline_new_agreement(Day transfer_accepted) {
  return transfer_accepted + DEADLINE_TRANSFER_DAYS;
}

/* accepted + 15 days: the last on-time day to report to the new street. */
Day deadline_transfer_report(Day accepted) { return accepted + DEADLINE_TRANSFER_DAYS; }

/* true when asof is later than deadline. */
bool deadline_overdue(Day deadline, Day asof) { return asof > deadline; }

/* asof - deadline when positive, else 0. */
int deadline_days_overdue(Day deadline, Day asof) {
  return asof > deadline ? (int)(asof - deadline) : 0;
}
