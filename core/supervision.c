/* core/supervision.c: owns the pure supervision engine of
 * core/supervision.h: supervision_compute (every derived field of a person
 * from its history as of a day), supervision_work_from, the standing
 * episodes, the codes, names and clearing actions of the work-list reasons,
 * and what an item comes from (supervision_why).
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
 *   Two missed tests (the second due date passed) need a visit now: a talk
 *   or visit on or after the second due date answers it (the tests stay
 *   due).
 * - Breach: refused/absent tests and absence events since the run start
 *   and after the last police decision (police_decision: the police decided
 *   that the community order goes on, which closes the breach it decided
 *   on); serious (core/deadline) only under a community order (the
 *   agreement). The law (DOMAIN.md §3): a serious breach is reported to the
 *   police, who may order compulsory isolation. So a serious breach is
 *   SUP_BREACH_SERIOUS until a police_report event (recorded by a user, not
 *   the relapse task) on or after the day it became serious, then
 *   SUP_BREACH_REPORTED: the next step is the police decision, recorded as
 *   a status episode (compulsory isolation: no community order, no breach)
 *   or as a police_decision event (the order goes on, the count restarts).
 * - Control: the latest of lost_contact / found; a closed file (dead,
 *   emigrated) is never lost. Tasks: an open release_notice is the pickup
 *   (its date; not for a closed file); an open agreement_due (after a
 *   transfer) is a report deadline (its until date). An open leave (the
 *   leave model of app/supervision.c: status open until the return) gives
 *   leave_until; like a release notice it is an expected date (no fact, no
 *   as-of cut), and leaves with a status are no facts for the grade.
 * - Risk: core/risk graded on the latest fact (so that the stored value
 *   does not depend on the day it was computed), unless an approved
 *   override stands; an "offence" event (吸毒人员犯罪) within
 *   RISK_OFFENCE_MONTHS before that day counts (core/risk.c).
 * - Releases seen coming (issue 9): in compulsory isolation, prison or
 *   detention, the current episode's planned end (moved by the latest
 *   "extension" event dated in the episode, its until date) is release_due
 *   unless a "released" event is dated in the episode or a release notice
 *   is open (then the pickup stands for it); release_from is release_due
 *   less the rule's release_ahead_days (default 30). The work list shows
 *   release_upcoming from release_from to release_due and
 *   release_unconfirmed after it. */
#include "core/supervision.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/deadline.h"
#include "core/derived.h"
#include "core/risk.h"

static void sv_fmt(Day d, char out[DATE_ISO_LEN]) { date_format(d, out); }

/* ---- the reasons of the work list ------------------------------------- */

/* Each reason's API code and Chinese name. */
static const struct {
  const char *code, *zh;
} WORK_NAMES[WL__COUNT] = {
  [WL_TEST_DUE] = {"test_due", "应检测"},
  [WL_TEST_OVERDUE] = {"test_overdue", "检测逾期"},
  [WL_TALK_DUE] = {"talk_due", "应谈话走访"},
  [WL_TALK_OVERDUE] = {"talk_overdue", "谈话走访逾期"},
  [WL_MISSED_TWO_TESTS] = {"missed_two_tests", "连续两次未检测"},
  [WL_REPORT_DEADLINE] = {"report_deadline", "报到期限"},
  [WL_RELEASE_PICKUP] = {"release_pickup", "出所必接"},
  [WL_LOST_CONTACT] = {"lost_contact", "失联"},
  [WL_SERIOUS_BREACH] = {"serious_breach", "严重违反协议"},
  [WL_APPROVAL_PENDING] = {"approval_pending", "待审批"},
  [WL_ELIGIBLE_FOR_RELEASE] = {"eligible_for_release", "戒断满三年"},
  [WL_POLICE_DECISION] = {"police_decision", "待公安机关决定"},
  [WL_LEAVE_OVERDUE] = {"leave_overdue", "请假逾期未销假"},
  [WL_FILE_INCOMPLETE] = {"file_incomplete", "未登记管控状态"},
  [WL_PLAN_REVIEW] = {"plan_review", "帮扶计划待复查"},
  [WL_SERVICE_FOLLOWUP] = {"service_followup", "服务转介待回访"},
  [WL_RELEASE_UNCONFIRMED] = {"release_unconfirmed", "出所未确认"},
  [WL_RELEASE_UPCOMING] = {"release_upcoming", "即将出所"},
};
static const WorkAction WORK_ACTIONS[WL__COUNT] = {
  [WL_SERIOUS_BREACH] = {WA_EVENT, "police_report", "登记报告公安"},
  [WL_POLICE_DECISION] = {WA_EVENT, "police_decision", "登记公安机关决定"},
  [WL_LOST_CONTACT] = {WA_EVENT, "found", "登记找回"},
  [WL_LEAVE_OVERDUE] = {WA_EVENT, "leave_return", "登记销假"},
  [WL_MISSED_TWO_TESTS] = {WA_VISIT, "home_visit", "上门走访"},
  [WL_REPORT_DEADLINE] = {WA_EVENT, "reported", "登记报到"},
  [WL_RELEASE_PICKUP] = {WA_EVENT, "released", "登记出所接收"},
  [WL_TEST_OVERDUE] = {WA_TEST, NULL, "登记尿检"},
  [WL_TALK_OVERDUE] = {WA_VISIT, NULL, "登记谈话"},
  [WL_APPROVAL_PENDING] = {WA_APPROVAL, NULL, "审批"},
  [WL_FILE_INCOMPLETE] = {WA_STATUS, NULL, "登记管控状态"},
  [WL_PLAN_REVIEW] = {WA_PLAN, NULL, "复查并修订帮扶计划"},
  [WL_SERVICE_FOLLOWUP] = {WA_SERVICE, NULL, "登记回访"},
  [WL_TEST_DUE] = {WA_TEST, NULL, "登记尿检"},
  [WL_TALK_DUE] = {WA_VISIT, NULL, "登记谈话"},
  [WL_ELIGIBLE_FOR_RELEASE] = {WA_PROPOSE, "release_3y", "提请解除帮教"},
  [WL_RELEASE_UNCONFIRMED] = {WA_EVENT, "released", "登记出所接收"},
  [WL_RELEASE_UPCOMING] = {WA_EVENT, "release_notice", "登记出所通知"},
};

const char *work_reason_code(WorkReason r) { return (r >= 0 && r < WL__COUNT) ? WORK_NAMES[r].code : ""; }
const char *work_reason_name_zh(WorkReason r) { return (r >= 0 && r < WL__COUNT) ? WORK_NAMES[r].zh : ""; }
const WorkAction *work_reason_action(WorkReason r) {
  assert(r >= 0 && r < WL__COUNT);
  return &WORK_ACTIONS[r];
}

const char *supervision_control_shown(const char *status, const char *control) {
  if (status_is_closed(status_from_code(status))) return "closed";
  return control && *control ? control : "in_control";
}

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
 * lists the person every day (no status yet, report deadline, pickup, lost
 * contact, serious breach, a pending approval), else the earliest of the
 * due dates, the second missed test, the day after a leave's last day,
 * (unless released already) the release eligibility and the first day of a
 * release seen coming (release_from), else "". */
void supervision_work_from(SupDerived *d) {
  d->work_from[0] = 0;
  if (!d->status[0] || d->report_deadline[0] || d->pickup_due[0] || strcmp(d->control, "lost_contact") == 0 ||
      d->serious_breach || d->approvals_pending > 0) {
    snprintf(d->work_from, sizeof d->work_from, "%s", SUP_WORK_ALWAYS);
    return;
  }
  char leave_over[DATE_ISO_LEN] = "";
  Day lu;
  if (d->leave_until[0] && date_parse(d->leave_until, &lu)) date_format(lu + 1, leave_over);
  const char *dates[] = {d->next_test_due, d->next_talk_due, d->missed_two_date, leave_over,
                         strcmp(d->status, "abstinent_3y") == 0 ? "" : d->release_eligible_date, d->release_from};
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
    if (dates[i][0] && (!d->work_from[0] || strcmp(dates[i], d->work_from) < 0))
      snprintf(d->work_from, sizeof d->work_from, "%s", dates[i]);
}

/* The counted refusals and absences of a history, merged in date order
 * (tests first on a day): the counts, the day they first made a serious
 * breach (*since, SUP_WHY_NONE when never) and the dates of each kind. */
static void sv_breach(const SupHistory *h, const bool *tvoid, Day asof, bool (*in)(const void *, Day),
                      const void *win, BreachCounts *bc, Day *since, SupWhy *why) {
  memset(bc, 0, sizeof *bc);
  *since = SUP_WHY_NONE;
  int i = 0, j = 0;
  for (;;) {
    while (i < h->ntests) { /* the next counted test */
      const SupTestH *t = &h->tests[i];
      bool done = strcmp(t->result, "negative") == 0 || strcmp(t->result, "positive") == 0;
      if (!tvoid[i] && !done && t->date <= asof && in(win, t->date)) break;
      i++;
    }
    while (j < h->nevents) { /* the next counted absence */
      const SupEventH *ev = &h->events[j];
      if (strcmp(ev->kind, "absence") == 0 && ev->date <= asof && in(win, ev->date)) break;
      j++;
    }
    bool test = i < h->ntests && (j >= h->nevents || h->tests[i].date <= h->events[j].date);
    if (!test && j >= h->nevents) break;
    Day d;
    if (test) {
      d = h->tests[i++].date;
      if (why->nbreach_tests < SUP_WHY_DATES) why->breach_tests[why->nbreach_tests++] = d;
      bc->refused_or_absent_tests++;
    } else {
      d = h->events[j].date;
      bc->absences++;
      bc->absence_days += h->events[j++].days;
      if (why->nbreach_absences < SUP_WHY_DATES) why->breach_absences[why->nbreach_absences++] = d;
    }
    if (*since == SUP_WHY_NONE && breach_is_serious(bc)) *since = d;
  }
}

/* The window in which refusals and absences count: the run (from its
 * start) after the last police decision. */
typedef struct SvWindow {
  bool dynamic, has_from, has_decision;
  Day from, decision;
} SvWindow;

static bool sv_in_window(const void *arg, Day d) {
  const SvWindow *w = arg;
  return w->dynamic && (!w->has_from || d >= w->from) && (!w->has_decision || d > w->decision);
}

void supervision_compute(const SupHistory *h, const ScheduleRule *rule, Day asof, SupComputed *out) {
  memset(out, 0, sizeof *out);
  SupDerived *d = &out->d;
  SupWhy *why = &out->why;
  why->lost_since = why->breach_since = why->police_report = why->report_from = why->leave_from = SUP_WHY_NONE;
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
  bool closed = status_is_closed(st);
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
  Day order_deadline = 0, order_decision = 0;
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
            order_decision = dec;
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
  /* Refusals and absences: in the run, after the last police decision. */
  SvWindow win = {dynamic, has_run_from, false, run_from, 0};
  for (int i = 0; i < h->nevents; i++) {
    const SupEventH *ev = &h->events[i];
    if (ev->date > asof) break;
    if (strcmp(ev->kind, "police_decision") == 0 && (!has_run_from || ev->date >= run_from)) {
      win.has_decision = true;
      win.decision = ev->date;
    }
  }
  BreachCounts bc;
  sv_breach(h, tvoid, asof, sv_in_window, &win, &bc, &why->breach_since, why);
  free(tvoid);
  free(vvoid);

  /* Events: control, absences, tasks; and the latest fact for the grade. */
  bool lost = false, has_lost_date = false;
  Day lost_date = 0;
  bool has_pickup = false, has_agreement = false, has_leave = false;
  Day pickup = 0, agreement = 0, agreement_from = 0, leave_until = 0;
  Day grade_day = 0, last_offence = 0;
  bool has_grade = false, has_offence = false;
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
      if (open && !closed && (!has_pickup || ev->date < pickup)) {
        has_pickup = true;
        pickup = ev->date;
      }
      continue;
    }
    if (strcmp(ev->kind, "leave") == 0 && ev->status[0]) { /* an expected return: no fact, no as-of cut */
      if (open && ev->has_until && !closed && (!has_leave || ev->until < leave_until)) {
        has_leave = true;
        leave_until = ev->until;
        why->leave_from = ev->date;
      }
      continue;
    }
    if (ev->date > asof) continue;
    SV_FACT(ev->date);
    if (strcmp(ev->kind, "lost_contact") == 0) {
      if (!lost) why->lost_since = ev->date;
      lost = true;
      has_lost_date = true;
      lost_date = ev->date;
    } else if (strcmp(ev->kind, "found") == 0) {
      lost = false;
    } else if (strcmp(ev->kind, "offence") == 0) {
      has_offence = true;
      last_offence = ev->date;
    } else if (strcmp(ev->kind, "agreement_due") == 0 && open && ev->has_until) {
      if (!has_agreement || ev->until < agreement) {
        has_agreement = true;
        agreement = ev->until;
        agreement_from = ev->date;
      }
    } else if (strcmp(ev->kind, "police_report") == 0 && !ev->status[0] && why->breach_since != SUP_WHY_NONE &&
               ev->date >= why->breach_since && why->police_report == SUP_WHY_NONE) {
      why->police_report = ev->date; /* a report by a user, not the relapse task */
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
  if (lost && !closed) snprintf(d->control, sizeof d->control, "lost_contact");
  else why->lost_since = SUP_WHY_NONE;

  /* Releases seen coming: the current custodial episode's expected last day
   * (its planned end, moved by the latest extension dated in it), unless a
   * release notice is open (the pickup) or a release is recorded in it. */
  if (k > 0 && status_is_custodial(st) && !has_pickup) {
    const SupEpisodeH *C = &h->eps[order[k - 1]];
    Day expected = 0, begin = 0;
    bool has_expected = sv_opt_day(C->planned_end, &expected);
    bool has_begin = sv_opt_day(C->start_date, &begin) || sv_anchor(C, &begin);
    bool released = false;
    for (int i = 0; i < h->nevents; i++) {
      const SupEventH *ev = &h->events[i];
      if (ev->date > asof) break;
      if (has_begin && ev->date < begin) continue;
      if (strcmp(ev->kind, "extension") == 0 && ev->has_until) {
        has_expected = true;
        expected = ev->until;
      } else if (strcmp(ev->kind, "released") == 0) {
        released = true;
      }
    }
    if (has_expected && !released) {
      int ahead = rule->release_ahead_days > 0 ? rule->release_ahead_days : SCHED_RELEASE_AHEAD_DEFAULT;
      sv_fmt(expected, d->release_due);
      sv_fmt(expected - ahead, d->release_from);
    }
  }

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
  d->serious_breach = 0;
  if (status_is_community_order(st) && breach_is_serious(&bc))
    d->serious_breach = why->police_report != SUP_WHY_NONE ? SUP_BREACH_REPORTED : SUP_BREACH_SERIOUS;
  else
    why->breach_since = why->police_report = SUP_WHY_NONE;

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
    f.offence_recent = has_offence && date_add_months(last_offence, RISK_OFFENCE_MONTHS) >= grade_day;
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
    /* a visit since the second missed test answers it */
    if (!has_last_talk || last_talk < res->second_test_due) sv_fmt(res->second_test_due, d->missed_two_date);
    sv_fmt(res->release_eligible, d->release_eligible_date);
  }
  if (has_clock && dynamic) sv_fmt(clock, d->clock_start);
  if (has_last_test) sv_fmt(last_test, d->last_test_date);
  if (has_last_talk) sv_fmt(last_talk, d->last_talk_date);
  if (dynamic && (has_order_deadline || has_agreement)) {
    Day rd = has_order_deadline ? order_deadline : agreement;
    why->report_after_transfer = !has_order_deadline;
    if (has_order_deadline && has_agreement && agreement < rd) {
      rd = agreement;
      why->report_after_transfer = true;
    }
    why->report_from = why->report_after_transfer ? agreement_from : order_decision;
    sv_fmt(rd, d->report_deadline);
  }
  if (has_pickup) sv_fmt(pickup, d->pickup_due);
  if (has_leave) sv_fmt(leave_until, d->leave_until);
  d->in_view = st == ST_ABSTINENT_3Y ? 1 : 0;
  supervision_work_from(d);
}

/* ---- what an item comes from ------------------------------------------ */

/* Appends "n: d1, d2, ..." (the dates of days[0..k)) to out. */
static void sv_dates(char *out, size_t cap, int n, const Day *days, int k) {
  size_t len = strlen(out);
  int w = snprintf(out + len, cap - len, "%d:", n);
  for (int i = 0; i < k && w > 0 && (size_t)w < cap - len; i++) {
    len += (size_t)w;
    char iso[DATE_ISO_LEN];
    sv_fmt(days[i], iso);
    w = snprintf(out + len, cap - len, "%s %s", i ? "," : "", iso);
  }
}

/* Sets out's reason text why_zh (static), its since (an ISO date) and its
 * detail; "" for none. */
static void sv_why(WorkWhy *out, const char *why_zh, const char *since, const char *detail) {
  out->why_zh = why_zh;
  snprintf(out->since, sizeof out->since, "%s", since);
  snprintf(out->detail, sizeof out->detail, "%s", detail);
}

bool supervision_why_needs_history(WorkReason r) {
  return r == WL_REPORT_DEADLINE || r == WL_LOST_CONTACT || r == WL_SERIOUS_BREACH || r == WL_POLICE_DECISION ||
         r == WL_LEAVE_OVERDUE;
}

void supervision_why(const SupDerived *d, const SupWhy *w, WorkReason r, WorkWhy *out) {
  memset(out, 0, sizeof *out);
  out->why_zh = "";
  static const SupWhy none = {.lost_since = SUP_WHY_NONE, .breach_since = SUP_WHY_NONE, .police_report = SUP_WHY_NONE,
                              .report_from = SUP_WHY_NONE, .leave_from = SUP_WHY_NONE};
  if (!w) w = &none;
  switch (r) {
  case WL_TEST_DUE:
  case WL_TEST_OVERDUE:
  case WL_MISSED_TWO_TESTS:
    /* counted from the last test, or from the start of the clock */
    if (d->last_test_date[0])
      sv_why(out, r == WL_MISSED_TWO_TESTS ? "上次检测后两次应检未检，须上门走访" : "按检测频次，自上次检测起算",
             d->last_test_date, "");
    else
      sv_why(out, r == WL_MISSED_TWO_TESTS ? "戒断期起算后两次应检未检，须上门走访" : "按检测频次，自戒断期起算日起算（尚无检测）",
             d->clock_start, "");
    break;
  case WL_TALK_DUE:
  case WL_TALK_OVERDUE:
    if (d->last_talk_date[0]) sv_why(out, "按谈话走访频次，自上次谈话走访起算", d->last_talk_date, "");
    else sv_why(out, "按谈话走访频次，自戒断期起算日起算（尚无谈话走访）", d->clock_start, "");
    break;
  case WL_REPORT_DEADLINE:
    out->why_zh = w->report_after_transfer ? "变更执行地后须在15日内到新社区报到并签订协议"
                                           : "社区戒毒（康复）决定后须在15日内报到";
    if (w->report_from != SUP_WHY_NONE) sv_fmt(w->report_from, out->since);
    break;
  case WL_RELEASE_PICKUP:
    sv_why(out, "出所（出狱）通知：当日接回", d->pickup_due, "");
    break;
  case WL_RELEASE_UPCOMING:
    sv_why(out, "预计出所（出狱、拘留期满）日期临近：做好接回准备，收到通知后登记", d->release_from, d->release_due);
    break;
  case WL_RELEASE_UNCONFIRMED: {
    sv_why(out, "预计出所（出狱、拘留期满）日期已过，未登记出所接收或延期", "", d->release_due);
    Day due;
    if (d->release_due[0] && date_parse(d->release_due, &due)) sv_fmt(due + 1, out->since);
    break;
  }
  case WL_LOST_CONTACT:
    out->why_zh = "登记失联，须查找";
    if (w->lost_since != SUP_WHY_NONE) sv_fmt(w->lost_since, out->since);
    break;
  case WL_SERIOUS_BREACH:
  case WL_POLICE_DECISION: {
    BreachCounts bc = {d->breach_tests, d->breach_absences, d->breach_absence_days};
    BreachCounts t = {d->breach_tests, 0, 0};
    if (r == WL_POLICE_DECISION) {
      out->why_zh = "已报告公安机关，待其决定强制隔离戒毒或继续社区戒毒（康复）";
      if (w->police_report != SUP_WHY_NONE) sv_fmt(w->police_report, out->since);
      break;
    }
    if (w->breach_since != SUP_WHY_NONE) sv_fmt(w->breach_since, out->since);
    if (breach_is_serious(&t)) {
      out->why_zh = "拒绝或逃避检测（次数：日期）";
      sv_dates(out->detail, sizeof out->detail, bc.refused_or_absent_tests, w->breach_tests, w->nbreach_tests);
    } else if (bc.absences >= BREACH_MIN_COUNT) {
      out->why_zh = "擅自离开（次数：日期）";
      sv_dates(out->detail, sizeof out->detail, bc.absences, w->breach_absences, w->nbreach_absences);
    } else {
      out->why_zh = "擅自离开累计超过30天（天数：日期）";
      sv_dates(out->detail, sizeof out->detail, bc.absence_days, w->breach_absences, w->nbreach_absences);
    }
    break;
  }
  case WL_LEAVE_OVERDUE: {
    out->why_zh = "请假外出期满未销假";
    Day until;
    if (d->leave_until[0] && date_parse(d->leave_until, &until)) {
      sv_fmt(until + 1, out->since);
      char from[DATE_ISO_LEN] = "";
      if (w->leave_from != SUP_WHY_NONE) sv_fmt(w->leave_from, from);
      snprintf(out->detail, sizeof out->detail, "%s - %s", from, d->leave_until);
    }
    break;
  }
  case WL_ELIGIBLE_FOR_RELEASE:
    sv_why(out, "自戒断期起算日满三年未复吸", d->release_eligible_date, d->clock_start);
    break;
  case WL_APPROVAL_PENDING:
  case WL_FILE_INCOMPLETE:
  case WL_PLAN_REVIEW:
  case WL_SERVICE_FOLLOWUP:
  case WL__COUNT:
    break; /* explained by app/ (the approval, the person row, the casework dates) */
  }
}
