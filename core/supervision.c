/* core/supervision.c: owns the pure supervision engine of
 * core/supervision.h: supervision_compute (every derived field of a person
 * from its history as of a day), supervision_work_from, the standing
 * episodes, and the codes and names of the work-list reasons.
 *
 * The rules (DOMAIN.md §3-§4), as computed here:
 * - Episodes: the current status is core/derived's. A run is the current
 *   episode, extended back over "X, detained, X" (detention pauses an
 *   order: after detention_end the same status resumes and the clock runs
 *   on). The run starts at its first episode's start_date; without one, at
 *   the first "reported" (or "released") event on or after its decision
 *   date; a community order without either has no clock yet but a report
 *   deadline (decision + 15 days, core/deadline); social supervision
 *   without either starts at its decision date (the day the person was
 *   found).
 * - Abstinence clock: the later of the run start and the last positive test
 *   (release from isolation is the start of the following episode). No
 *   clock in isolation, prison, detention, closed files, abstinent_3y.
 * - Last test: the last scheduled test with a result (negative/positive) on
 *   or after the clock; random tests come on top and do not move the
 *   schedule (a positive one restarts the clock). Last talk: the last visit
 *   of any kind on or after the clock. Corrected rows do not count.
 * - Due dates: core/schedule under the rule of the person's unit; after a
 *   detention a date that fell before its end is due on the day it ended.
 * - Breach: refused/absent tests and absence events since the run start;
 *   serious (core/deadline) only under a community order (the agreement).
 * - Control: the latest of lost_contact / found. Tasks: an open
 *   release_notice is the pickup (its date); an open agreement_due (after a
 *   transfer) is a report deadline (its until date).
 * - Risk: core/risk graded on the latest fact (so that the stored value
 *   does not depend on the day it was computed), unless an approved
 *   override stands. */
#include "core/supervision.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/deadline.h"
#include "core/derived.h"
#include "core/risk.h"

static void sv_fmt(Day d, char out[DATE_ISO_LEN]) { date_format(d, out); }

/* ---- the reasons of the work list ------------------------------------- */

static const char *const WORK_CODES[WL__COUNT] = {
  [WL_TEST_DUE] = "test_due",
  [WL_TEST_OVERDUE] = "test_overdue",
  [WL_TALK_DUE] = "talk_due",
  [WL_TALK_OVERDUE] = "talk_overdue",
  [WL_MISSED_TWO_TESTS] = "missed_two_tests",
  [WL_REPORT_DEADLINE] = "report_deadline",
  [WL_RELEASE_PICKUP] = "release_pickup",
  [WL_LOST_CONTACT] = "lost_contact",
  [WL_SERIOUS_BREACH] = "serious_breach",
  [WL_APPROVAL_PENDING] = "approval_pending",
  [WL_ELIGIBLE_FOR_RELEASE] = "eligible_for_release",
};
static const char *const WORK_ZH[WL__COUNT] = {
  [WL_TEST_DUE] = "应检测",
  [WL_TEST_OVERDUE] = "检测逾期",
  [WL_TALK_DUE] = "应谈话走访",
  [WL_TALK_OVERDUE] = "谈话走访逾期",
  [WL_MISSED_TWO_TESTS] = "连续两次未检测",
  [WL_REPORT_DEADLINE] = "报到期限",
  [WL_RELEASE_PICKUP] = "出所必接",
  [WL_LOST_CONTACT] = "失联",
  [WL_SERIOUS_BREACH] = "严重违反协议",
  [WL_APPROVAL_PENDING] = "待审批",
  [WL_ELIGIBLE_FOR_RELEASE] = "戒断满三年",
};

const char *work_reason_code(WorkReason r) { return (r >= 0 && r < WL__COUNT) ? WORK_CODES[r] : ""; }
const char *work_reason_name_zh(WorkReason r) { return (r >= 0 && r < WL__COUNT) ? WORK_ZH[r] : ""; }

/* ---- the pure computation --------------------------------------------- */

/* The standing episodes in history order (core/derived.h's rule: a
 * correction takes the place of the row it corrects; voided rows drop
 * out; rows sharing a place keep id order). Writes indexes into order[]
 * (h->neps slots) and returns how many. */
int supervision_standing(const SupHistory *h, int *order) {
  int n = h->neps;
  if (n == 0) return 0;
  int64_t *root = malloc(sizeof *root * (size_t)n);
  bool *voided = calloc((size_t)n, sizeof *voided);
  if (!root || !voided) abort();
  for (int i = 0; i < n; i++) {
    root[i] = h->eps[i].id;
    if (h->eps[i].corrects_id)
      for (int j = 0; j < i; j++)
        if (h->eps[j].id == h->eps[i].corrects_id) {
          root[i] = root[j];
          voided[j] = true;
        }
  }
  int k = 0;
  for (int i = 0; i < n; i++)
    if (!voided[i]) order[k++] = i;
  for (int i = 1; i < k; i++) { /* insertion sort by (root, id): few rows */
    int x = order[i], j = i - 1;
    while (j >= 0 && (root[order[j]] > root[x] || (root[order[j]] == root[x] && h->eps[order[j]].id > h->eps[x].id))) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
  free(root);
  free(voided);
  return k;
}

/* Parses an optional ISO date. */
static bool sv_opt_day(const char *s, Day *d) { return s && *s && date_parse(s, d); }

/* The anchor of an episode: its decision date, else the date of its row. */
static bool sv_anchor(const SupEpisodeH *ep, Day *d) {
  if (sv_opt_day(ep->decision_date, d)) return true;
  char created[DATE_ISO_LEN];
  snprintf(created, sizeof created, "%.10s", ep->created_at);
  return sv_opt_day(created, d);
}

/* Marks the rows of a list that a later row corrects: a malloc'd array of
 * n flags for the n structs of size stride at rows, each holding int64_t
 * id and corrects_id at the offsets given. Corrections are rare: a row
 * that corrects nothing costs one test. */
static bool *sv_voided(const void *rows, int n, size_t stride, size_t id_off, size_t corrects_off) {
  bool *v = calloc((size_t)(n ? n : 1), sizeof *v);
  if (!v) abort();
  const char *base = rows;
#define SV_FIELD(i, off) (*(const int64_t *)(const void *)(base + (size_t)(i) * stride + (off)))
  for (int i = 0; i < n; i++) {
    int64_t corrected = SV_FIELD(i, corrects_off);
    if (corrected)
      for (int j = 0; j < n; j++)
        if (SV_FIELD(j, id_off) == corrected) v[j] = true;
  }
#undef SV_FIELD
  return v;
}

/* Hard drugs for the risk grade (core/risk.h): heroin, opium, cocaine, nps. */
static bool sv_hard_drug(const char *types, int *kinds) {
  bool hard = false;
  int count = 0;
  const char *p = types;
  while (p && *p) {
    const char *q = strchr(p, ',');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n) count++;
    if ((n == 6 && strncmp(p, "heroin", 6) == 0) || (n == 5 && strncmp(p, "opium", 5) == 0) ||
        (n == 7 && strncmp(p, "cocaine", 7) == 0) || (n == 3 && strncmp(p, "nps", 3) == 0))
      hard = true;
    p += n;
    if (*p == ',') p++;
  }
  *kinds = count;
  return hard;
}

/* Sets d->work_from from d's other fields: SUP_WORK_ALWAYS when a flag
 * lists the person every day (report deadline, pickup, lost contact,
 * serious breach, a pending approval), else the earliest of the due dates,
 * the second missed test and (unless released already) the release
 * eligibility, else "". Must match migration 5's SQL. */
void supervision_work_from(SupDerived *d) {
  d->work_from[0] = 0;
  if (d->report_deadline[0] || d->pickup_due[0] || strcmp(d->control, "lost_contact") == 0 || d->serious_breach ||
      d->approvals_pending > 0) {
    snprintf(d->work_from, sizeof d->work_from, "%s", SUP_WORK_ALWAYS);
    return;
  }
  const char *dates[] = {d->next_test_due, d->next_talk_due, d->missed_two_date,
                         strcmp(d->status, "abstinent_3y") == 0 ? "" : d->release_eligible_date};
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
    if (dates[i][0] && (!d->work_from[0] || strcmp(dates[i], d->work_from) < 0))
      snprintf(d->work_from, sizeof d->work_from, "%s", dates[i]);
}

void supervision_compute(const SupHistory *h, const ScheduleRule *rule, Day asof, SupComputed *out) {
  memset(out, 0, sizeof *out);
  SupDerived *d = &out->d;
  snprintf(d->control, sizeof d->control, "in_control");

  /* Status, from the episodes (core/derived.h). */
  int n = h->neps;
  DerivedEpisode *view = malloc(sizeof *view * (size_t)(n ? n : 1));
  int *order = malloc(sizeof *order * (size_t)(n ? n : 1));
  if (!view || !order) abort();
  for (int i = 0; i < n; i++)
    view[i] = (DerivedEpisode){h->eps[i].id, h->eps[i].corrects_id, h->eps[i].status, h->eps[i].decision_date,
                               h->eps[i].start_date, h->eps[i].created_at};
  derived_status(view, n, d->status, d->status_since);
  free(view);
  Status st = status_from_code(d->status);
  out->status = st;
  int k = supervision_standing(h, order);

  bool *tvoid = sv_voided(h->tests, h->ntests, sizeof *h->tests, offsetof(SupTestH, id),
                          offsetof(SupTestH, corrects_id));
  bool *vvoid = sv_voided(h->visits, h->nvisits, sizeof *h->visits, offsetof(SupVisitH, id),
                          offsetof(SupVisitH, corrects_id));

  /* The run: the current episode, back over "X, detained, X". */
  bool dynamic = k > 0 && st != ST_NONE && !status_is_closed(st) && !status_is_custodial(st) && st != ST_ABSTINENT_3Y;
  bool has_start = false, has_resume = false, has_run_from = false;
  Day start = 0, resume = 0, run_from = 0;
  bool has_order_deadline = false;
  Day order_deadline = 0;
  if (dynamic) {
    int cur = k - 1, run = cur;
    while (run >= 2 && status_from_code(h->eps[order[run - 1]].status) == ST_DETAINED &&
           status_from_code(h->eps[order[run - 2]].status) == st)
      run -= 2;
    const SupEpisodeH *R = &h->eps[order[run]];
    if (run != cur) {
      const SupEpisodeH *C = &h->eps[order[cur]];
      has_resume = sv_opt_day(C->start_date, &resume) || sv_anchor(C, &resume);
    }
    Day anchor = 0;
    bool has_anchor = sv_anchor(R, &anchor);
    if (sv_opt_day(R->start_date, &start)) {
      has_start = true;
    } else {
      for (int i = 0; i < h->nevents; i++) {
        const SupEventH *ev = &h->events[i];
        if (ev->date > asof) break;
        if ((strcmp(ev->kind, "reported") == 0 || strcmp(ev->kind, "released") == 0) &&
            (!has_anchor || ev->date >= anchor)) {
          has_start = true;
          start = ev->date;
          break;
        }
      }
      if (!has_start) {
        Day dec;
        if (status_is_community_order(st)) {
          if (sv_opt_day(R->decision_date, &dec)) {
            has_order_deadline = true;
            order_deadline = deadline_report(dec);
          }
        } else if (has_anchor) {
          has_start = true;
          start = anchor;
        }
      }
    }
    if (has_start) {
      has_run_from = true;
      run_from = start;
    } else if (has_anchor) {
      has_run_from = true;
      run_from = anchor;
    }
  }

  /* The clock: the later of the run start and the last positive test. */
  bool has_clock = has_start;
  Day clock = start;
  int positives = 0;
  for (int i = 0; i < h->ntests; i++) {
    const SupTestH *t = &h->tests[i];
    if (tvoid[i] || t->date > asof || strcmp(t->result, "positive") != 0) continue;
    positives++;
    if (has_clock && t->date > clock) clock = t->date;
  }
  out->has_clock = has_clock;
  out->clock_start = clock;

  /* Last scheduled test and last talk on or after the clock; breach counts
   * since the run start. */
  bool has_last_test = false, has_last_talk = false;
  Day last_test = 0, last_talk = 0;
  BreachCounts bc = {0, 0, 0};
  int missed_since_clock = 0;
  for (int i = 0; i < h->ntests; i++) {
    const SupTestH *t = &h->tests[i];
    if (tvoid[i] || t->date > asof) continue;
    bool done = strcmp(t->result, "negative") == 0 || strcmp(t->result, "positive") == 0;
    if (has_clock && done && strcmp(t->reason, "scheduled") == 0 && t->date >= clock &&
        (!has_last_test || t->date > last_test)) {
      has_last_test = true;
      last_test = t->date;
    }
    if (!done && dynamic && (!has_run_from || t->date >= run_from)) bc.refused_or_absent_tests++;
    if (!done && has_clock && t->date >= clock) missed_since_clock++;
  }
  for (int i = 0; i < h->nvisits; i++) {
    const SupVisitH *v = &h->visits[i];
    if (vvoid[i] || v->date > asof) continue;
    if (has_clock && v->date >= clock && (!has_last_talk || v->date > last_talk)) {
      has_last_talk = true;
      last_talk = v->date;
    }
  }
  free(tvoid);
  free(vvoid);

  /* Events: control, absences, tasks; and the latest fact for the grade. */
  bool lost = false, has_lost_date = false;
  Day lost_date = 0;
  bool has_pickup = false, has_agreement = false;
  Day pickup = 0, agreement = 0;
  Day grade_day = 0;
  bool has_grade = false;
#define SV_FACT(day)                                     \
  do {                                                   \
    Day fact_ = (day);                                   \
    if (fact_ <= asof && (!has_grade || fact_ > grade_day)) { \
      has_grade = true;                                  \
      grade_day = fact_;                                 \
    }                                                    \
  } while (0)
  for (int i = 0; i < h->nevents; i++) {
    const SupEventH *ev = &h->events[i];
    bool open = strcmp(ev->status, "open") == 0;
    if (strcmp(ev->kind, "release_notice") == 0) { /* an expected date: no fact, no as-of cut */
      if (open && (!has_pickup || ev->date < pickup)) {
        has_pickup = true;
        pickup = ev->date;
      }
      continue;
    }
    if (ev->date > asof) continue;
    SV_FACT(ev->date);
    if (strcmp(ev->kind, "lost_contact") == 0) {
      lost = true;
      has_lost_date = true;
      lost_date = ev->date;
    } else if (strcmp(ev->kind, "found") == 0) {
      lost = false;
    } else if (strcmp(ev->kind, "absence") == 0) {
      if (dynamic && (!has_run_from || ev->date >= run_from)) {
        bc.absences++;
        bc.absence_days += ev->days;
      }
    } else if (strcmp(ev->kind, "agreement_due") == 0 && open && ev->has_until) {
      if (!has_agreement || ev->until < agreement) {
        has_agreement = true;
        agreement = ev->until;
      }
    }
  }
  for (int i = 0; i < h->nvisits; i++) SV_FACT(h->visits[i].date);
  for (int i = 0; i < h->ntests; i++) SV_FACT(h->tests[i].date);
  for (int i = 0; i < h->neps; i++) {
    Day x;
    if (sv_opt_day(h->eps[i].start_date, &x)) SV_FACT(x);
    if (sv_anchor(&h->eps[i], &x)) SV_FACT(x);
  }
#undef SV_FACT
  if (!has_grade) grade_day = asof;
  out->grade_day = grade_day;
  if (lost) snprintf(d->control, sizeof d->control, "lost_contact");

  /* Approvals. */
  int isolations = 0;
  for (int i = 0; i < k; i++)
    if (status_from_code(h->eps[order[i]].status) == ST_COMPULSORY_ISOLATION) isolations++;
  free(order);
  for (int i = 0; i < h->napprovals; i++) {
    const SupApprovalH *a = &h->approvals[i];
    if (strcmp(a->state, "pending") == 0) {
      d->approvals_pending++;
      if (strcmp(a->kind, "transfer") == 0) d->transfer_pending = 1;
    } else if (strcmp(a->state, "approved") == 0 && strcmp(a->kind, "risk_override") == 0) {
      snprintf(d->risk_override, sizeof d->risk_override, "%s", a->risk_level);
    }
  }

  /* Breach. */
  d->breach_tests = bc.refused_or_absent_tests;
  d->breach_absences = bc.absences;
  d->breach_absence_days = bc.absence_days;
  d->serious_breach = status_is_community_order(st) && breach_is_serious(&bc) ? 1 : 0;

  /* Risk: graded for persons under supervision (not for closed files or
   * three years abstinent), on the latest fact; an approved override wins. */
  RiskLevel risk = RISK_NONE;
  bool graded = k > 0 && st != ST_NONE && !status_is_closed(st) && st != ST_ABSTINENT_3Y;
  if (graded) {
    RiskFactors f;
    memset(&f, 0, sizeof f);
    f.hard_drug = sv_hard_drug(h->drug_types, &f.drug_kinds);
    f.isolation_count = isolations;
    f.relapse_count = positives;
    f.months_abstinent = has_clock && grade_day >= clock ? schedule_months_between(clock, grade_day) : 0;
    f.three_withouts = (int)h->no_job + (int)h->no_home + (int)h->no_income;
    f.no_family_support = !h->family_support;
    f.missed_tests = missed_since_clock;
    f.lost_contact_recently = lost || (has_lost_date && date_add_months(lost_date, 12) >= grade_day);
    f.serious_breach = d->serious_breach != 0;
    int score = 0;
    risk = risk_grade(&f, &score);
    out->risk_score = score;
    if (d->risk_override[0]) {
      RiskLevel o = risk_from_code(d->risk_override);
      if (o != RISK_NONE) {
        risk = o;
        out->risk_score = 0;
      }
    }
    snprintf(d->risk_level, sizeof d->risk_level, "%s", risk == RISK_NONE ? "" : risk_code(risk));
  }
  out->risk = risk;

  /* The schedule. */
  ScheduleInput in = {.status = st,
                      .has_clock = has_clock && dynamic,
                      .clock_start = clock,
                      .has_last_test = has_last_test,
                      .last_test = last_test,
                      .has_last_talk = has_last_talk,
                      .last_talk = last_talk,
                      .risk = risk};
  ScheduleResult *res = &out->sched;
  schedule_compute(rule, &in, asof, res);
  if (!res->nothing_due) {
    if (has_resume) { /* paused by a detention: what fell due before its end is due on that day */
      if (res->next_talk_due < resume) res->next_talk_due = resume;
      if (res->next_test_due < resume) {
        /* the test after it: the interval of the tier applying on that day
         * (as core/schedule does for every due date), not of the tier as
         * of asof, so that the stored field does not depend on the day it
         * was computed */
        ScheduleResult at_resume;
        schedule_compute(rule, &in, resume, &at_resume);
        res->next_test_due = resume;
        res->second_test_due = date_add_months(resume, at_resume.test_months > 0 ? at_resume.test_months : 1);
      }
    }
    sv_fmt(res->next_talk_due, d->next_talk_due);
    sv_fmt(res->next_test_due, d->next_test_due);
    sv_fmt(res->second_test_due, d->missed_two_date);
    sv_fmt(res->release_eligible, d->release_eligible_date);
  }
  if (has_clock && dynamic) sv_fmt(clock, d->clock_start);
  if (has_last_test) sv_fmt(last_test, d->last_test_date);
  if (has_last_talk) sv_fmt(last_talk, d->last_talk_date);
  if (dynamic && (has_order_deadline || has_agreement)) {
    Day rd = has_order_deadline ? order_deadline : agreement;
    if (has_order_deadline && has_agreement && agreement < rd) rd = agreement;
    sv_fmt(rd, d->report_deadline);
  }
  if (has_pickup) sv_fmt(pickup, d->pickup_due);
  d->in_view = st == ST_ABSTINENT_3Y ? 1 : 0;
  supervision_work_from(d);
}
