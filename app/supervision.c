/* app/supervision.c: owns the supervision use cases of app/supervision.h:
 * recording talks/visits, drug tests and events (rights, scope, validation,
 * one transaction with the refresh of the derived fields and the audit
 * row), the pure computation of every derived field from the history
 * (supervision_compute, shared with app_schedule_get and the doctor), the
 * schedule of one person as of a day, the work lists, and the history
 * tables of the person page.
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
#include "app/supervision.h"
#include "app/approval.h"
#include "app/audit.h"
#include "app/person.h"
#include "app/schedule_rule.h"
#include "app/supervision_doctor.h"
#include "core/buf.h"
#include "core/deadline.h"
#include "core/derived.h"
#include "core/person_field.h"
#include "core/risk.h"
#include "store/org.h"
#include "store/person.h"
#include "store/supervision.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages (catalog msgids). */
#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_REQUIRED "此项必填"
#define M_TOO_LONG "内容超过长度限制"
#define M_BAD_TEXT "含有无效字符"
#define M_BAD_DATE "日期格式应为YYYY-MM-DD，且须是有效日期"
#define M_FUTURE_DATE "日期不能晚于今天"
#define M_BEFORE_BIRTH "日期不能早于出生日期"
#define M_VISIT_KIND "请选择谈话走访方式"
#define M_SAMPLE "请选择检测样本"
#define M_TEST_REASON "请选择检测类型"
#define M_RESULT "请选择检测结果"
#define M_SUBSTANCE "检出物质无效"
#define M_SUBSTANCE_NOT_POSITIVE "只有阳性结果才能填写检出物质"
#define M_CORRECTS "要更正的记录不存在或已被更正"
#define M_EVENT_KIND "请选择有效的事件类型"
#define M_UNTIL_REQUIRED "请填写返回日期"
#define M_UNTIL_BEFORE "返回日期不能早于离开日期"
#define M_DAYS "天数应为1至3650之间的整数"
#define M_RELEASE_FAR "预计出所（出狱）日期不能晚于一年以后"
#define M_TRANSITION "当前状态不允许登记该事件"
#define M_NOT_DETAINED "当前状态不是拘留，不能登记拘留结束"
#define M_NOT_CUSTODIAL "当前不在强制隔离戒毒、服刑或拘留中"
#define M_TASK_STATUS "只能设为已完成（done）或已取消（cancelled）"
#define M_TASK_NOT_OPEN "该事项不是待办事项或已处理"
#define M_ORG_SCOPE "所选单位不存在或不在您的管辖范围内"
#define M_HORIZON "提前天数应为0至366"
#define M_SORT "排序方式只能是 due、name 或 reason"

#define PLACE_MAX 200
#define NOTES_MAX 4000
#define TESTER_MAX 60
#define SUBSTANCES_MAX 200
#define EVENT_NOTE_MAX 1000
#define WORKLIST_CAP 50000

/* ---- small helpers ---------------------------------------------------- */

/* Checks an optional bounded text; adds a field error. */
static void sv_check_text(const char *s, size_t max, bool multi_line, const char *field, Err *e) {
  if (!s || !*s) return;
  if (strlen(s) > max) err_field(e, field, M_TOO_LONG);
  else if (!app_text_ok(s, multi_line)) err_field(e, field, M_BAD_TEXT);
}

/* Checks a required date: valid, not after latest (when latest_set), not
 * before birth. Adds a field error; true with *out when fine. */
static bool sv_check_date(const char *s, const char *field, Day birth, bool has_birth, Day latest, Day *out,
                          Err *e) {
  if (!s || !*s) {
    err_field(e, field, M_REQUIRED);
    return false;
  }
  Day d;
  if (!date_parse(s, &d)) {
    err_field(e, field, M_BAD_DATE);
    return false;
  }
  if (d > latest) {
    err_field(e, field, M_FUTURE_DATE);
    return false;
  }
  if (has_birth && d < birth) {
    err_field(e, field, M_BEFORE_BIRTH);
    return false;
  }
  *out = d;
  return true;
}

static bool sv_in(const char *s, const char *const *set) {
  if (!s) return false;
  for (; *set; set++)
    if (strcmp(s, *set) == 0) return true;
  return false;
}

static const char *const VISIT_KINDS[] = {"talk", "home_visit", "phone", "office", NULL};
static const char *const SAMPLES[] = {"urine", "hair", "saliva", "blood", NULL};
static const char *const TEST_REASONS[] = {"scheduled", "random", NULL};
static const char *const RESULTS[] = {"negative", "positive", "refused", "absent", NULL};
static const char *const EVENT_KINDS[] = {"reported", "lost_contact", "found", "leave", "absence", "detained",
                                          "detention_end", "imprisoned", "release_notice", "released",
                                          "transfer_request", "agreement_signed", "police_report", NULL};

static void sv_fmt(Day d, char out[DATE_ISO_LEN]) { date_format(d, out); }

/* ---- names ------------------------------------------------------------ */

typedef struct { const char *code, *zh; } SvName;

static const char *sv_name(const SvName *t, const char *code) {
  if (!code) return "";
  for (; t->code; t++)
    if (strcmp(t->code, code) == 0) return t->zh;
  return "";
}

const char *visit_kind_name_zh(const char *kind) {
  static const SvName t[] = {{"talk", "谈话"}, {"home_visit", "走访"}, {"phone", "电话联系"},
                             {"office", "来访"}, {NULL, NULL}};
  return sv_name(t, kind);
}

const char *test_result_name_zh(const char *result) {
  static const SvName t[] = {{"negative", "阴性"}, {"positive", "阳性"}, {"refused", "拒绝检测"},
                             {"absent", "未到检"}, {NULL, NULL}};
  return sv_name(t, result);
}

const char *test_sample_name_zh(const char *sample) {
  static const SvName t[] = {{"urine", "尿样"}, {"hair", "毛发"}, {"saliva", "唾液"}, {"blood", "血样"}, {NULL, NULL}};
  return sv_name(t, sample);
}

const char *event_kind_name_zh(const char *kind) {
  static const SvName t[] = {
    {"reported", "报到"},          {"lost_contact", "失联"},          {"found", "找回"},
    {"leave", "请假外出"},         {"absence", "擅自外出"},           {"detained", "拘留"},
    {"detention_end", "拘留结束"}, {"imprisoned", "服刑"},            {"release_notice", "出所（出狱）通知"},
    {"released", "已接回"},        {"transfer_request", "变更执行地申请"}, {"agreement_signed", "签订协议"},
    {"police_report", "报告公安"}, {"relapse", "复吸"},               {"agreement_due", "待签新协议"},
    {NULL, NULL}};
  return sv_name(t, kind);
}

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
static int sv_standing(const SupHistory *h, int *order) {
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

/* true when row id of a list (ids[i] at stride) is corrected by a later row. */
static bool sv_test_voided(const SupHistory *h, int i) {
  int64_t id = h->tests[i].id;
  for (int j = 0; j < h->ntests; j++)
    if (h->tests[j].corrects_id == id) return true;
  return false;
}
static bool sv_visit_voided(const SupHistory *h, int i) {
  int64_t id = h->visits[i].id;
  for (int j = 0; j < h->nvisits; j++)
    if (h->visits[j].corrects_id == id) return true;
  return false;
}

/* Marks the corrected rows of a list in *voided (malloc'd, n entries):
 * corrections are rare, so the common case is one pass without a search. */
static bool *sv_voided_tests(const SupHistory *h) {
  bool *v = calloc((size_t)(h->ntests ? h->ntests : 1), sizeof *v);
  if (!v) abort();
  bool any = false;
  for (int i = 0; i < h->ntests; i++) any |= h->tests[i].corrects_id != 0;
  if (any)
    for (int i = 0; i < h->ntests; i++) v[i] = sv_test_voided(h, i);
  return v;
}
static bool *sv_voided_visits(const SupHistory *h) {
  bool *v = calloc((size_t)(h->nvisits ? h->nvisits : 1), sizeof *v);
  if (!v) abort();
  bool any = false;
  for (int i = 0; i < h->nvisits; i++) any |= h->visits[i].corrects_id != 0;
  if (any)
    for (int i = 0; i < h->nvisits; i++) v[i] = sv_visit_voided(h, i);
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

/* (supervision_doctor.h) Sets d->work_from from d's other fields: SUP_WORK_ALWAYS when a flag
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
  int k = sv_standing(h, order);

  bool *tvoid = sv_voided_tests(h);
  bool *vvoid = sv_voided_visits(h);

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

/* ---- refresh ---------------------------------------------------------- */

/* Loads the history and the rule of person_id and computes as of asof. */
static int sv_compute_person(Ctx *c, int64_t person_id, Day asof, SupComputed *out, char rule_code[SCHED_CODE_MAX],
                             Err *e) {
  SupHistory h;
  memset(&h, 0, sizeof h);
  if (store_sup_history_load(c->db, person_id, &h, e) != ERR_OK) {
    sup_history_free(&h);
    return e->code;
  }
  ScheduleRule rule;
  if (app_schedule_rule_resolve(c->db, h.org_id, &rule, e) != ERR_OK) {
    sup_history_free(&h);
    return e->code;
  }
  if (rule_code) snprintf(rule_code, SCHED_CODE_MAX, "%s", rule.code);
  supervision_compute(&h, &rule, asof, out);
  sup_history_free(&h);
  return ERR_OK;
}

int app_supervision_refresh(Ctx *c, int64_t person_id, Err *e) {
  SupComputed comp;
  if (sv_compute_person(c, person_id, c->today, &comp, NULL, e) != ERR_OK) return e->code;
  return store_sup_derived_set(c->db, person_id, &comp.d, c->now_iso, e);
}

/* ---- recording -------------------------------------------------------- */

/* Starts a write on a person in scope: checks the right (PERM_PERSON_WRITE;
 * for drug tests also the police liaison, who performs them), begins,
 * loads the row (ERR_NOT_FOUND outside the scope) and its birth day. */
static int sv_begin_person(Ctx *c, int64_t person_id, bool police_may, PersonRow *row, Day *birth, bool *has_birth,
                           Err *e) {
  memset(row, 0, sizeof *row);
  if (!actor_can(c->actor, PERM_PERSON_WRITE) && !(police_may && c->actor->role == ROLE_POLICE))
    return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_person_get(c->db, person_id, c->actor->org_path, row, e) != ERR_OK) {
    db_rollback(c->db);
    return e->code;
  }
  *has_birth = date_parse(row->f[PF_BIRTH_DATE], birth);
  return ERR_OK;
}

/* Refreshes, audits (action on person) and commits. */
static int sv_finish(Ctx *c, int64_t person_id, const char *action, const char *org_path, Buf *detail, Err *e) {
  int rc = app_supervision_refresh(c, person_id, e);
  if (rc == ERR_OK) rc = audit_write(c, action, "person", person_id, org_path, buf_str(detail), e);
  buf_reset(detail);
  if (rc != ERR_OK || db_commit(c->db, e) != ERR_OK) return ERR_INTERNAL;
  return ERR_OK;
}

int app_visit_add(Ctx *c, int64_t person_id, const VisitInput *in, int64_t *id_out, Err *e) {
  if (id_out) *id_out = 0;
  PersonRow row;
  Day birth, date;
  bool has_birth;
  if (sv_begin_person(c, person_id, false, &row, &birth, &has_birth, e) != ERR_OK) return e->code;
  bool date_ok = sv_check_date(in->date, "date", birth, has_birth, c->today, &date, e);
  (void)date_ok;
  if (!sv_in(in->kind, VISIT_KINDS)) err_field(e, "kind", M_VISIT_KIND);
  sv_check_text(in->place, PLACE_MAX, false, "place", e);
  sv_check_text(in->notes, NOTES_MAX, true, "notes", e);
  if (in->corrects_id < 0) err_field(e, "corrects_id", M_CORRECTS);
  if (in->corrects_id > 0) {
    bool ok;
    if (store_sup_correctable(c->db, "visit", person_id, in->corrects_id, &ok, e) != ERR_OK) goto failed;
    if (!ok) err_field(e, "corrects_id", M_CORRECTS);
  }
  if (e->code != ERR_OK) goto failed;

  /* Updated five knowns go through the case-file update (revision kept),
   * inside this transaction. */
  PersonInput pin;
  memset(&pin, 0, sizeof pin);
  const char *fk[] = {in->fk_basics, in->fk_contacts, in->fk_family_economy, in->fk_state_of_mind, in->fk_movements};
  const int fkf[] = {PF_FK_BASICS, PF_FK_CONTACTS, PF_FK_FAMILY_ECONOMY, PF_FK_STATE_OF_MIND, PF_FK_MOVEMENTS};
  bool any_fk = false;
  for (int i = 0; i < 5; i++)
    if (fk[i] && *fk[i]) {
      pin.has[fkf[i]] = true;
      pin.val[fkf[i]] = fk[i];
      any_fk = true;
    }
  if (any_fk && app_person_update(c, person_id, &pin, 0, e) != ERR_OK) goto failed_rolled;

  SupVisitIn vi = {.date = in->date, .kind = in->kind, .place = in->place, .notes = in->notes,
                   .worker_id = c->actor->user_id, .corrects_id = in->corrects_id};
  int64_t vid = 0;
  if (store_sup_visit_add(c->db, person_id, &vi, c->now_iso, &vid, e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "visit", vid);
  audit_detail_kv(&detail, "kind", in->kind);
  audit_detail_kv(&detail, "date", in->date);
  if (in->corrects_id > 0) audit_detail_int(&detail, "corrects", in->corrects_id);
  if (sv_finish(c, person_id, "visit", row.org_path, &detail, e) != ERR_OK) goto failed;
  store_person_row_free(&row);
  if (id_out) *id_out = vid;
  return ERR_OK;
failed:
  store_person_row_free(&row);
  return app_fail(c, e);
failed_rolled: /* app_person_update has rolled back the whole transaction */
  store_person_row_free(&row);
  if (db_in_transaction(c->db)) db_rollback(c->db);
  return e->code ? e->code : ERR_INTERNAL;
}

/* Checks a comma-separated list of drug codes. */
static bool sv_substances_ok(const char *s) {
  const char *p = s;
  while (*p) {
    const char *q = strchr(p, ',');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    while (n && *p == ' ') { p++; n--; }
    while (n && p[n - 1] == ' ') n--;
    bool found = false;
    for (size_t k = 0; k < drug_types_count && n; k++)
      if (strlen(drug_types[k].code) == n && strncmp(drug_types[k].code, p, n) == 0) found = true;
    if (!found) return false;
    p = q ? q + 1 : p + strlen(p);
  }
  return true;
}

int app_test_add(Ctx *c, int64_t person_id, const TestInput *in, int64_t *id_out, Err *e) {
  if (id_out) *id_out = 0;
  PersonRow row;
  Day birth, date = 0;
  bool has_birth;
  if (sv_begin_person(c, person_id, true, &row, &birth, &has_birth, e) != ERR_OK) return e->code;
  sv_check_date(in->date, "date", birth, has_birth, c->today, &date, e);
  if (!sv_in(in->sample, SAMPLES)) err_field(e, "sample", M_SAMPLE);
  if (!sv_in(in->reason, TEST_REASONS)) err_field(e, "reason", M_TEST_REASON);
  if (!sv_in(in->result, RESULTS)) err_field(e, "result", M_RESULT);
  if (in->substances && *in->substances) {
    if (strlen(in->substances) > SUBSTANCES_MAX || !sv_substances_ok(in->substances))
      err_field(e, "substances", M_SUBSTANCE);
    else if (in->result && strcmp(in->result, "positive") != 0)
      err_field(e, "substances", M_SUBSTANCE_NOT_POSITIVE);
  }
  sv_check_text(in->tester, TESTER_MAX, false, "tester", e);
  if (in->corrects_id < 0) err_field(e, "corrects_id", M_CORRECTS);
  if (in->corrects_id > 0) {
    bool ok;
    if (store_sup_correctable(c->db, "drug_test", person_id, in->corrects_id, &ok, e) != ERR_OK) goto failed;
    if (!ok) err_field(e, "corrects_id", M_CORRECTS);
  }
  if (e->code != ERR_OK) goto failed;

  SupTestIn ti = {.date = in->date, .sample = in->sample, .reason = in->reason, .result = in->result,
                  .substances = in->substances, .tester = in->tester, .recorded_by = c->actor->user_id,
                  .corrects_id = in->corrects_id};
  int64_t tid = 0;
  if (store_sup_test_add(c->db, person_id, &ti, c->now_iso, &tid, e) != ERR_OK) goto failed;
  bool positive = strcmp(in->result, "positive") == 0;
  if (positive) {
    /* A relapse: recorded as an event; under a community order the police
     * must be told (a task the person page shows until it is done). */
    SupEventIn rel = {.kind = "relapse", .date = in->date, .note = "尿检阳性", .created_by = c->actor->user_id};
    if (store_sup_event_add(c->db, person_id, &rel, c->now_iso, NULL, e) != ERR_OK) goto failed;
    if (status_is_community_order(status_from_code(row.status))) {
      SupEventIn task = {.kind = "police_report", .date = in->date, .status = "open",
                         .note = "社区戒毒（康复）期间复吸，应报告公安机关",
                         .created_by = c->actor->user_id};
      if (store_sup_event_add(c->db, person_id, &task, c->now_iso, NULL, e) != ERR_OK) goto failed;
    }
  }
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "test", tid);
  audit_detail_kv(&detail, "result", in->result);
  audit_detail_kv(&detail, "date", in->date);
  if (in->corrects_id > 0) audit_detail_int(&detail, "corrects", in->corrects_id);
  if (sv_finish(c, person_id, "test", row.org_path, &detail, e) != ERR_OK) goto failed;
  store_person_row_free(&row);
  if (id_out) *id_out = tid;
  return ERR_OK;
failed:
  store_person_row_free(&row);
  return app_fail(c, e);
}

/* Appends a status episode written by the engine (detention, prison, the
 * end of a detention) after checking the transition from the current one. */
static int sv_episode_add(Ctx *c, int64_t person_id, Status from, Status to, const char *decision,
                          const char *start, const char *planned_end, const char *note, Err *e) {
  if (!status_transition_allowed(from, to)) return err_field(e, "kind", M_TRANSITION);
  EpisodeIn ep = {.status = status_code(to), .decision_date = decision, .start_date = start,
                  .decision_no = "", .planned_end = planned_end, .note = note, .corrects_id = 0};
  return store_person_episode_add(c->db, person_id, &ep, c->actor->user_id, c->now_iso, NULL, e);
}

int app_event_add(Ctx *c, int64_t person_id, const EventInput *in, int64_t *id_out, Err *e) {
  if (id_out) *id_out = 0;
  PersonRow row;
  Day birth, date = 0, until = 0;
  bool has_birth;
  SupHistory h;
  memset(&h, 0, sizeof h);
  int *order = NULL;
  if (sv_begin_person(c, person_id, false, &row, &birth, &has_birth, e) != ERR_OK) return e->code;
  const char *kind = in->kind;
  if (!sv_in(kind, EVENT_KINDS)) {
    err_field(e, "kind", M_EVENT_KIND);
    kind = "";
  }
  bool is = false;
#define KIND(k) (strcmp(kind, (k)) == 0)
  /* An expected release may lie ahead (up to a year); other events have happened. */
  Day latest = KIND("release_notice") ? c->today + 366 : c->today;
  bool date_ok = sv_check_date(in->date, "date", birth, has_birth, latest, &date, e);
  if (date_ok && KIND("release_notice") && date > c->today + 365) err_field(e, "date", M_RELEASE_FAR);
  sv_check_text(in->note, EVENT_NOTE_MAX, true, "note", e);
  if (KIND("leave")) {
    if (!in->until || !*in->until) err_field(e, "until", M_UNTIL_REQUIRED);
    else if (!date_parse(in->until, &until)) err_field(e, "until", M_BAD_DATE);
    else if (date_ok && until < date) err_field(e, "until", M_UNTIL_BEFORE);
  }
  if (KIND("absence") && (in->days < 1 || in->days > 3650)) err_field(e, "days", M_DAYS);
  if (e->code != ERR_OK) goto failed;

  Status cur = status_from_code(row.status);
  int64_t ev_id = 0;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "kind", kind);
  audit_detail_kv(&detail, "date", in->date);
  SupEventIn ev = {.kind = kind, .date = in->date, .note = in->note, .created_by = c->actor->user_id};
  if (KIND("transfer_request")) {
    int64_t aid = 0;
    if (sup_transfer_request(c, person_id, row.org_id, in->to_org, in->date, in->note, &ev_id, &aid, e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
    audit_detail_kv(&detail, "to_org", in->to_org);
    audit_detail_int(&detail, "approval", aid);
    is = true;
  } else if (KIND("detained")) {
    if (sv_episode_add(c, person_id, cur, ST_DETAINED, in->date, in->date, NULL, "拘留", e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
  } else if (KIND("imprisoned")) {
    if (sv_episode_add(c, person_id, cur, ST_IMPRISONED, in->date, in->date, NULL, "服刑", e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
  } else if (KIND("detention_end")) {
    /* The status before the detention resumes; the clock runs on. */
    if (store_sup_history_load(c->db, person_id, &h, e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
    order = malloc(sizeof *order * (size_t)(h.neps ? h.neps : 1));
    if (!order) abort();
    int k = sv_standing(&h, order);
    if (cur != ST_DETAINED || k < 1) {
      buf_reset(&detail);
      err_field(e, "kind", M_NOT_DETAINED);
      goto failed;
    }
    Status before = k >= 2 ? status_from_code(h.eps[order[k - 2]].status) : ST_SOCIAL_SUPERVISION;
    if (before == ST_NONE || status_is_custodial(before) || status_is_closed(before)) before = ST_SOCIAL_SUPERVISION;
    const char *planned = k >= 2 && before == status_from_code(h.eps[order[k - 2]].status)
                              ? h.eps[order[k - 2]].planned_end : NULL;
    if (sv_episode_add(c, person_id, cur, before, NULL, in->date, planned, "拘留结束，恢复执行", e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
  } else if (KIND("release_notice")) {
    if (!status_is_custodial(cur)) {
      buf_reset(&detail);
      err_field(e, "kind", M_NOT_CUSTODIAL);
      goto failed;
    }
    ev.status = "open"; /* the pickup task (出所必接), closed by "released" */
  } else if (KIND("released")) {
    if (store_sup_tasks_close(c->db, person_id, "release_notice", "done", NULL, e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
  } else if (KIND("agreement_signed")) {
    if (store_sup_tasks_close(c->db, person_id, "agreement_due", "done", NULL, e) != ERR_OK ||
        store_person_doc_add(c->db, person_id, "agreement", in->date, "", c->now_iso, NULL, e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
  } else if (KIND("police_report")) {
    if (store_sup_tasks_close(c->db, person_id, "police_report", "done", NULL, e) != ERR_OK) {
      buf_reset(&detail);
      goto failed;
    }
  } else if (KIND("leave")) {
    ev.until = in->until;
    if (leave_needs_report(date, until)) audit_detail_kv(&detail, "needs_report", "1");
  } else if (KIND("absence")) {
    ev.days = in->days;
    audit_detail_int(&detail, "days", in->days);
  }
#undef KIND
  if (!is && store_sup_event_add(c->db, person_id, &ev, c->now_iso, &ev_id, e) != ERR_OK) {
    buf_reset(&detail);
    goto failed;
  }
  audit_detail_int(&detail, "event", ev_id);
  if (sv_finish(c, person_id, "event", row.org_path, &detail, e) != ERR_OK) goto failed;
  free(order);
  sup_history_free(&h);
  store_person_row_free(&row);
  if (id_out) *id_out = ev_id;
  return ERR_OK;
failed:
  free(order);
  sup_history_free(&h);
  store_person_row_free(&row);
  return app_fail(c, e);
}

int app_event_task_set(Ctx *c, int64_t event_id, const char *status, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (!status || (strcmp(status, "done") != 0 && strcmp(status, "cancelled") != 0))
    return err_field(e, "status", M_TASK_STATUS);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  PersonRow row;
  memset(&row, 0, sizeof row);
  int64_t pid = 0;
  char kind[24], cur[12];
  if (store_sup_event_get(c->db, event_id, &pid, kind, cur, e) != ERR_OK ||
      store_person_get(c->db, pid, c->actor->org_path, &row, e) != ERR_OK)
    goto failed;
  if (strcmp(cur, "open") != 0) {
    err_set(e, ERR_CONFLICT, M_TASK_NOT_OPEN);
    goto failed;
  }
  if (store_sup_event_set_status(c->db, event_id, status, e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "event", event_id);
  audit_detail_kv(&detail, "kind", kind);
  audit_detail_kv(&detail, "status", status);
  if (sv_finish(c, pid, "task", row.org_path, &detail, e) != ERR_OK) goto failed;
  store_person_row_free(&row);
  return ERR_OK;
failed:
  store_person_row_free(&row);
  return app_fail(c, e);
}

/* ---- the schedule of one person --------------------------------------- */

int app_schedule_get(Ctx *c, int64_t person_id, const char *date, ScheduleView *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Day asof = c->today;
  if (date && *date && !date_parse(date, &asof)) return err_field(e, "date", M_BAD_DATE);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  PersonRow row;
  if (store_person_get(c->db, person_id, c->actor->org_path, &row, e) != ERR_OK) {
    app_read_end(c);
    return e->code;
  }
  SupComputed comp;
  char rule[SCHED_CODE_MAX] = "";
  if (sv_compute_person(c, person_id, asof, &comp, rule, e) != ERR_OK || db_commit(c->db, e) != ERR_OK) {
    app_read_end(c);
    store_person_row_free(&row);
    return e->code ? e->code : ERR_INTERNAL;
  }
  snprintf(out->status, sizeof out->status, "%s", comp.d.status);
  snprintf(out->clock_start, sizeof out->clock_start, "%s", comp.d.clock_start);
  snprintf(out->next_talk_due, sizeof out->next_talk_due, "%s", comp.d.next_talk_due);
  snprintf(out->next_test_due, sizeof out->next_test_due, "%s", comp.d.next_test_due);
  snprintf(out->rule, sizeof out->rule, "%s", rule);
  out->result = comp.sched;
  audit_read(c, "person", person_id, row.org_path);
  store_person_row_free(&row);
  return ERR_OK;
}

/* ---- history lists ---------------------------------------------------- */

static void sv_page(int page, int per_page, int64_t *limit, int64_t *offset) {
  int pp = per_page < 1 ? 50 : per_page > 200 ? 200 : per_page;
  int pg = page < 1 ? 1 : page;
  *limit = pp;
  *offset = (int64_t)(pg - 1) * pp;
}

/* Begins a read of a person in scope; *path gets its org path. */
static int sv_read_person(Ctx *c, int64_t person_id, char path[ORG_PATH_MAX], Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  PersonRow row;
  if (store_person_get(c->db, person_id, c->actor->org_path, &row, e) != ERR_OK) {
    app_read_end(c);
    return e->code;
  }
  snprintf(path, ORG_PATH_MAX, "%s", row.org_path);
  store_person_row_free(&row);
  return ERR_OK;
}

static bool sv_id_in(const int64_t *ids, int n, int64_t id) {
  for (int i = 0; i < n; i++)
    if (ids[i] == id) return true;
  return false;
}

int app_visit_list(Ctx *c, int64_t person_id, int page, int per_page, VisitRecord **items, int *n,
                   int64_t *total, Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  char path[ORG_PATH_MAX];
  if (sv_read_person(c, person_id, path, e) != ERR_OK) return e->code;
  int64_t limit, offset;
  sv_page(page, per_page, &limit, &offset);
  SupVisitRow *rows = NULL;
  int64_t *corr = NULL;
  int nrows = 0, ncorr = 0;
  if (store_sup_visits(c->db, person_id, limit, offset, &rows, &nrows, total, &corr, &ncorr, e) != ERR_OK ||
      db_commit(c->db, e) != ERR_OK) {
    app_read_end(c);
    free(rows);
    free(corr);
    *total = 0;
    return e->code ? e->code : ERR_INTERNAL;
  }
  bool hide = c->actor->role == ROLE_POLICE; /* counselling notes are the worker's and the office's */
  VisitRecord *out = nrows ? calloc((size_t)nrows, sizeof *out) : NULL;
  if (nrows && !out) abort();
  for (int i = 0; i < nrows; i++) {
    SupVisitRow *r = &rows[i];
    VisitRecord *v = &out[i];
    v->id = r->id;
    snprintf(v->date, sizeof v->date, "%s", r->date);
    snprintf(v->kind, sizeof v->kind, "%s", r->kind);
    snprintf(v->worker, sizeof v->worker, "%s", r->worker);
    snprintf(v->place, sizeof v->place, "%s", r->place);
    if (hide) v->notes_hidden = true;
    else snprintf(v->notes, sizeof v->notes, "%s", r->notes);
    v->corrects_id = r->corrects_id;
    v->voided = sv_id_in(corr, ncorr, r->id);
    snprintf(v->created_at, sizeof v->created_at, "%s", r->created_at);
  }
  free(rows);
  free(corr);
  *items = out;
  *n = nrows;
  audit_read(c, "person", person_id, path);
  return ERR_OK;
}

int app_test_list(Ctx *c, int64_t person_id, int page, int per_page, TestRecord **items, int *n, int64_t *total,
                  Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  char path[ORG_PATH_MAX];
  if (sv_read_person(c, person_id, path, e) != ERR_OK) return e->code;
  int64_t limit, offset;
  sv_page(page, per_page, &limit, &offset);
  SupTestRow *rows = NULL;
  int64_t *corr = NULL;
  int nrows = 0, ncorr = 0;
  if (store_sup_tests(c->db, person_id, limit, offset, &rows, &nrows, total, &corr, &ncorr, e) != ERR_OK ||
      db_commit(c->db, e) != ERR_OK) {
    app_read_end(c);
    free(rows);
    free(corr);
    *total = 0;
    return e->code ? e->code : ERR_INTERNAL;
  }
  TestRecord *out = nrows ? calloc((size_t)nrows, sizeof *out) : NULL;
  if (nrows && !out) abort();
  for (int i = 0; i < nrows; i++) {
    SupTestRow *r = &rows[i];
    TestRecord *t = &out[i];
    t->id = r->id;
    snprintf(t->date, sizeof t->date, "%s", r->date);
    snprintf(t->sample, sizeof t->sample, "%s", r->sample);
    snprintf(t->reason, sizeof t->reason, "%s", r->reason);
    snprintf(t->result, sizeof t->result, "%s", r->result);
    snprintf(t->substances, sizeof t->substances, "%s", r->substances);
    snprintf(t->tester, sizeof t->tester, "%s", r->tester);
    snprintf(t->recorded_by, sizeof t->recorded_by, "%s", r->recorded_by);
    t->corrects_id = r->corrects_id;
    t->voided = sv_id_in(corr, ncorr, r->id);
    snprintf(t->created_at, sizeof t->created_at, "%s", r->created_at);
  }
  free(rows);
  free(corr);
  *items = out;
  *n = nrows;
  audit_read(c, "person", person_id, path);
  return ERR_OK;
}

int app_event_list(Ctx *c, int64_t person_id, int page, int per_page, EventRecord **items, int *n,
                   int64_t *total, Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  char path[ORG_PATH_MAX];
  if (sv_read_person(c, person_id, path, e) != ERR_OK) return e->code;
  int64_t limit, offset;
  sv_page(page, per_page, &limit, &offset);
  SupEventRow *rows = NULL;
  int nrows = 0;
  if (store_sup_events(c->db, person_id, limit, offset, &rows, &nrows, total, e) != ERR_OK ||
      db_commit(c->db, e) != ERR_OK) {
    app_read_end(c);
    free(rows);
    *total = 0;
    return e->code ? e->code : ERR_INTERNAL;
  }
  EventRecord *out = nrows ? calloc((size_t)nrows, sizeof *out) : NULL;
  if (nrows && !out) abort();
  for (int i = 0; i < nrows; i++) {
    SupEventRow *r = &rows[i];
    EventRecord *v = &out[i];
    v->id = r->id;
    snprintf(v->kind, sizeof v->kind, "%s", r->kind);
    snprintf(v->date, sizeof v->date, "%s", r->date);
    snprintf(v->until, sizeof v->until, "%s", r->until);
    v->days = r->days;
    snprintf(v->to_org_code, sizeof v->to_org_code, "%s", r->to_org_code);
    snprintf(v->to_org_name, sizeof v->to_org_name, "%s", r->to_org_name);
    snprintf(v->note, sizeof v->note, "%s", r->note);
    snprintf(v->status, sizeof v->status, "%s", r->status);
    Day a, b;
    v->needs_report = strcmp(r->kind, "leave") == 0 && date_parse(r->date, &a) && date_parse(r->until, &b) &&
                      leave_needs_report(a, b);
    snprintf(v->created_by, sizeof v->created_by, "%s", r->created_by);
    snprintf(v->created_at, sizeof v->created_at, "%s", r->created_at);
  }
  free(rows);
  *items = out;
  *n = nrows;
  audit_read(c, "person", person_id, path);
  return ERR_OK;
}

/* ---- the work list ---------------------------------------------------- */

/* true when the actor may decide a pending approval of this kind whose
 * person lies at person_path (in the scope already) and whose receiving
 * unit is at to_path. */
static bool sv_can_decide(const Actor *a, const char *kind, const char *person_path, const char *to_path) {
  if (strcmp(kind, "transfer") == 0)
    return (a->role == ROLE_OFFICE || a->role == ROLE_ADMIN) && to_path && *to_path && actor_in_scope(a, to_path);
  return a->role == ROLE_ADMIN && actor_in_scope(a, person_path);
}

/* One item of the list while it is built: a compact key (the work row it
 * comes from, the reason, its date and the person) so that sorting moves
 * and compares integers, not WorkItems; only the requested page is
 * materialised. */
typedef struct SvKey {
  int row;           /* index into the rows (or, with incoming set, the incoming rows) */
  bool incoming;
  WorkReason reason;
  Day due;           /* SV_NO_DATE when the reason has no date */
  int64_t person_id;
  int64_t approval_id;
} SvKey;

typedef struct SvItems {
  SvKey *v;
  int n, cap;
} SvItems;

#define SV_NO_DATE INT32_MAX

static void sv_key(SvItems *it, SvKey k) {
  if (it->n == it->cap) {
    it->cap = it->cap ? it->cap * 2 : 256;
    it->v = realloc(it->v, sizeof *it->v * (size_t)it->cap);
    if (!it->v) abort();
  }
  it->v[it->n++] = k;
}

/* What the comparison needs: the rows and the sort mode. */
typedef struct SvSort {
  const SupWorkRow *rows, *inc;
  const char *mode;
} SvSort;

static const SupWorkRow *sv_row(const SvSort *s, const SvKey *k) { return k->incoming ? &s->inc[k->row] : &s->rows[k->row]; }

#define SV_CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

/* The ordering of items: by due date (undated last), name, or reason (in
 * WorkReason's order of urgency) then due date; ties by person, reason,
 * approval. Only "name" reads the rows. */
static int sv_cmp(const void *pa, const void *pb, void *arg) {
  const SvSort *s = arg;
  const SvKey *a = pa, *b = pb;
  int r = 0;
  if (s->mode[0] == 'n') {
    r = strcmp(sv_row(s, a)->name, sv_row(s, b)->name);
  } else if (s->mode[0] == 'r') {
    r = SV_CMP(a->reason, b->reason);
    if (!r) r = SV_CMP(a->due, b->due);
  } else {
    r = SV_CMP(a->due, b->due);
  }
  if (!r) r = SV_CMP(a->person_id, b->person_id);
  if (!r) r = SV_CMP(a->reason, b->reason);
  if (!r) r = SV_CMP(a->approval_id, b->approval_id);
  return r;
}

/* Restores the max-heap order of v[0..n) (by sv_cmp) below i. */
static void sv_sift_down(SvKey *v, int n, int i, SvSort *ss) {
  for (;;) {
    int big = i, l = 2 * i + 1, r = l + 1;
    if (l < n && sv_cmp(&v[l], &v[big], ss) > 0) big = l;
    if (r < n && sv_cmp(&v[r], &v[big], ss) > 0) big = r;
    if (big == i) return;
    SvKey t = v[i];
    v[i] = v[big];
    v[big] = t;
    i = big;
  }
}

/* Puts the k first items of v[0..n) in sv_cmp's order into v[0..k),
 * sorted (the rest in no order): a page near the top of a long list costs
 * one comparison per item against a heap of k, not a sort of all n. */
static void sv_sort_first(SvKey *v, int n, int k, SvSort *ss) {
  if (k > n) k = n;
  if (k <= 0) return;
  if ((int64_t)k * 8 >= n) {
    qsort_r(v, (size_t)n, sizeof *v, sv_cmp, ss);
    return;
  }
  for (int i = k / 2 - 1; i >= 0; i--) sv_sift_down(v, k, i, ss);
  for (int i = k; i < n; i++)
    if (sv_cmp(&v[i], &v[0], ss) < 0) {
      SvKey t = v[0];
      v[0] = v[i];
      v[i] = t;
      sv_sift_down(v, k, 0, ss);
    }
  qsort_r(v, (size_t)k, sizeof *v, sv_cmp, ss);
}

/* A work list while it is built: the scanned rows and the keys of the
 * items that pass the query's filters, counted per reason. */
typedef struct SvWork {
  SupWorkRow *rows, *inc;
  int nrows, ninc;
  SvItems it;
  int64_t counts[WL__COUNT]; /* per reason, before the query's reason filter */
  Day today;
  const char *sort;
} SvWork;

static void sv_work_free(SvWork *w) {
  free(w->it.v);
  store_sup_work_free(w->rows, w->nrows);
  store_sup_work_free(w->inc, w->ninc);
  memset(w, 0, sizeof *w);
}

/* Counts an item and adds it unless the query's reason filter leaves it
 * out. */
static void sv_work_key(SvWork *w, const WorkQuery *q, int row, bool incoming, WorkReason reason, Day due,
                        int64_t approval_id) {
  w->counts[reason]++;
  if (q->reasons && !(q->reasons & WL_BIT(reason))) return;
  const SupWorkRow *r = incoming ? &w->inc[row] : &w->rows[row];
  sv_key(&w->it, (SvKey){row, incoming, reason, due, r->person_id, approval_id});
}

/* Validates q, scans the scope once (or reads the one person of
 * q->person_id) and collects the keys of the items of q, unsorted, with
 * their counts per reason. On error *w is empty. */
static int sv_work_build(Ctx *c, const WorkQuery *q, SvWork *w, Err *e) {
  memset(w, 0, sizeof *w);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Day today = c->today;
  if (q->date && *q->date && !date_parse(q->date, &today)) err_field(e, "date", M_BAD_DATE);
  int horizon = q->horizon_days;
  if (horizon == 0) horizon = 7; /* 0 reads as the default (a zero-initialised query) */
  if (horizon < 0) horizon = 0;  /* negative: only what is due today */
  if (horizon > 366) err_field(e, "horizon", M_HORIZON);
  const char *sort = q->sort && *q->sort ? q->sort : "due";
  if (strcmp(sort, "due") != 0 && strcmp(sort, "name") != 0 && strcmp(sort, "reason") != 0)
    err_field(e, "sort", M_SORT);
  if (e->code != ERR_OK) return e->code;
  w->today = today;
  w->sort = sort;

  const char *scope = c->actor->org_path;
  OrgUnit org;
  if (q->org_code && *q->org_code) {
    Err oe;
    err_clear(&oe);
    int rc = store_org_by_code(c->db, q->org_code, &org, &oe);
    if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !actor_in_scope(c->actor, org.path)))
      return err_set(e, ERR_NOT_FOUND, M_ORG_SCOPE);
    if (rc != ERR_OK) return err_set(e, oe.code, oe.msg);
    scope = org.path;
  }
  char today_s[DATE_ISO_LEN], horizon_s[DATE_ISO_LEN];
  sv_fmt(today, today_s);
  sv_fmt(today + horizon, horizon_s);

  bool capped = false;
  bool decider = c->actor->role == ROLE_OFFICE || c->actor->role == ROLE_ADMIN;
  int64_t pid = q->person_id > 0 ? q->person_id : 0;
  int64_t wid = q->worker_id > 0 ? q->worker_id : 0;
  bool incoming = decider && wid == 0; /* a transfer coming in has no responsible worker here yet */
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  /* The scan is capped at WORKLIST_CAP persons' rows: a community (~300
   * persons) or a street (~15 communities) never comes near it; a
   * county-wide list beyond it is cut (items of the first WORKLIST_CAP
   * matching rows in path order; total counts those). */
  if (store_sup_worklist(c->db, scope, pid, wid, horizon_s, WORKLIST_CAP, &w->rows, &w->nrows, &capped, e) !=
        ERR_OK ||
      (incoming && store_sup_worklist_incoming(c->db, scope, pid, &w->inc, &w->ninc, e) != ERR_OK) ||
      db_commit(c->db, e) != ERR_OK) {
    app_read_end(c);
    sv_work_free(w);
    return e->code ? e->code : ERR_INTERNAL;
  }

  const SupWorkRow *rows = w->rows, *inc = w->inc;
  int nrows = w->nrows, ninc = w->ninc;
  Day limit = today + horizon;
  for (int i = 0; i < nrows;) {
    /* The rows of one person are consecutive (one per pending approval). */
    int j = i;
    bool release_pending = false;
    while (j < nrows && rows[j].person_id == rows[i].person_id) {
      if (strcmp(rows[j].approval_kind, "release_3y") == 0) release_pending = true;
      j++;
    }
    const SupWorkRow *r = &rows[i];
    Day d;
    if ((d = r->next_test_due) != SUP_NO_DAY) {
      if (d < today) sv_work_key(w, q, i, false, WL_TEST_OVERDUE, d, 0);
      else if (d <= limit) sv_work_key(w, q, i, false, WL_TEST_DUE, d, 0);
    }
    if ((d = r->next_talk_due) != SUP_NO_DAY) {
      if (d < today) sv_work_key(w, q, i, false, WL_TALK_OVERDUE, d, 0);
      else if (d <= limit) sv_work_key(w, q, i, false, WL_TALK_DUE, d, 0);
    }
    if ((d = r->missed_two_date) != SUP_NO_DAY && d < today) sv_work_key(w, q, i, false, WL_MISSED_TWO_TESTS, d, 0);
    if ((d = r->report_deadline) != SUP_NO_DAY) sv_work_key(w, q, i, false, WL_REPORT_DEADLINE, d, 0);
    if ((d = r->pickup_due) != SUP_NO_DAY) sv_work_key(w, q, i, false, WL_RELEASE_PICKUP, d, 0);
    if (r->lost_contact) sv_work_key(w, q, i, false, WL_LOST_CONTACT, SV_NO_DATE, 0);
    if (r->serious_breach) sv_work_key(w, q, i, false, WL_SERIOUS_BREACH, SV_NO_DATE, 0);
    if ((d = r->release_eligible_date) != SUP_NO_DAY && d <= today && strcmp(r->status, "abstinent_3y") != 0 &&
        !release_pending)
      sv_work_key(w, q, i, false, WL_ELIGIBLE_FOR_RELEASE, d, 0);
    for (int k = i; k < j; k++) {
      const SupWorkRow *a = &rows[k];
      if (!a->approval_id) continue;
      bool mine = a->approval_proposed_by && a->approval_proposed_by == c->actor->user_id;
      /* scope lies within the actor's, so it stands for the person's path */
      if (mine || sv_can_decide(c->actor, a->approval_kind, scope, a->approval_to_path))
        sv_work_key(w, q, k, false, WL_APPROVAL_PENDING, SV_NO_DATE, a->approval_id);
    }
    i = j;
  }
  for (int k = 0; k < ninc; k++) /* transfers coming into the scope */
    if (sv_can_decide(c->actor, inc[k].approval_kind, "", inc[k].approval_to_path))
      sv_work_key(w, q, k, true, WL_APPROVAL_PENDING, SV_NO_DATE, inc[k].approval_id);
  return ERR_OK;
}

int app_worklist(Ctx *c, const WorkQuery *q, WorkItem **items, int *n, int64_t *total,
                 int64_t by_reason[WL__COUNT], Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  if (by_reason) memset(by_reason, 0, sizeof(int64_t) * WL__COUNT);
  SvWork wk;
  if (sv_work_build(c, q, &wk, e) != ERR_OK) return e->code;
  if (by_reason) memcpy(by_reason, wk.counts, sizeof wk.counts);
  SvItems it = wk.it;
  Day today = wk.today;
  const char *sort = wk.sort;
  const SupWorkRow *rows = wk.rows, *inc = wk.inc;
  SvSort ss = {rows, inc, sort};
  int per_page = q->per_page < 1 ? 50 : q->per_page > WORKLIST_PAGE_MAX ? WORKLIST_PAGE_MAX : q->per_page;
  int page = q->page < 1 ? 1 : q->page;
  int64_t from = (int64_t)(page - 1) * per_page;
  *total = it.n;
  int count = from >= it.n ? 0 : (int)((it.n - from) < per_page ? it.n - from : per_page);
  if (count > 0) sv_sort_first(it.v, it.n, (int)from + count, &ss);
  if (count > 0) {
    WorkItem *out = calloc((size_t)count, sizeof *out);
    if (!out) abort();
    OrgUnit org_cache[8];
    int norg = 0;
    for (int i = 0; i < count; i++) {
      const SvKey *k = &it.v[from + i];
      const SupWorkRow *r = sv_row(&ss, k);
      WorkItem *w = &out[i];
      w->person_id = r->person_id;
      snprintf(w->name, sizeof w->name, "%s", r->name);
      /* The unit's code and name, for the page's items only (a few units). */
      const OrgUnit *o = NULL;
      for (int j = 0; j < norg && !o; j++)
        if (org_cache[j].id == r->org_id) o = &org_cache[j];
      if (!o) {
        Err oe;
        err_clear(&oe);
        OrgUnit *slot = &org_cache[norg < 8 ? norg++ : 7];
        if (store_org_by_id(c->db, r->org_id, slot, &oe) == ERR_OK) o = slot;
        else memset(slot, 0, sizeof *slot);
      }
      if (o) {
        snprintf(w->org_code, sizeof w->org_code, "%s", o->code);
        snprintf(w->org_name, sizeof w->org_name, "%s", o->name);
      }
      w->reason = k->reason;
      w->approval_id = k->approval_id;
      if (k->due != SV_NO_DATE) {
        date_format(k->due, w->due_date);
        if (k->due < today && k->reason != WL_ELIGIBLE_FOR_RELEASE) w->days_overdue = (int)(today - k->due);
      }
    }
    *items = out;
  }
  *n = count;
  sv_work_free(&wk);
  return ERR_OK;
}
