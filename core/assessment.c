/* core/assessment.c: owns the rules of the 无毒社区 assessment (see
 * core/assessment.h): codes, the check of a criteria set, the choice of the
 * set that applies, item verdicts, the capped score and the pass rule, the
 * ranking, the household sample, and the application flow. */
#include "core/assessment.h"
#include "core/ledger.h"
#include "core/unit_vocab.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define M_SECTIONS "至少需要一个评分部分，每部分要有代码、名称和1到100分的上限，代码不能重复，上限合计应为100分"
#define M_ITEMS "每个考核项要有代码、名称、所属部分、类型和0到100的分值，代码不能重复"
#define M_ITEM_TARGET "考核项的目标值不能为负数，比率不能超过100%"
#define M_ITEM_SAMPLE "入户抽查项的指标应为 accuracy（录入准确率）或 completeness（录入完整率）"
#define M_ITEM_MEASURE "自动考核项要写明统计指标"
#define M_PASS "合格分数线应在1到100之间"
#define M_SAMPLE_BOUNDS "抽查户数范围应在1到1000户之间，且下限不大于上限"
#define M_HOUSEHOLDS "抽查户数不在考核标准规定的范围内"
#define M_RECORDS "核对记录数应在1到10000之间"
#define M_ACCURATE "准确条数应在0到核对记录数之间"
#define M_COMPLETE "完整条数应在0到核对记录数之间"

/* ---- codes ------------------------------------------------------------- */

static const char *const KIND_CODES[] = {"auto", "manual", "sample"};
static const char *const OP_CODES[] = {"max", "min"};
static const char *const VERDICT_CODES[] = {"met", "unmet", "pending", "not_available"};
static const char *const RESULT_CODES[] = {"pass", "fail", "pending"};
static const UnitTerm STATE_VOCAB[] = {
  {"none", "未申报"},   {"applied", "已申报，待街道审核"}, {"returned", "街道退回"},
  {"reviewed", "街道已审核，待县区审批"}, {"approved", "已命名"}, {"rejected", "县区未批准"}, {NULL, NULL},
};
_Static_assert(sizeof STATE_VOCAB / sizeof STATE_VOCAB[0] == AST_REJECTED + 2, "STATE_VOCAB names every AssessState");
static const char *const ACTION_CODES[] = {"apply", "review_pass", "review_return", "approve", "reject"};

#define NCODES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The index of s in codes, -1 when none. */
static int code_at(const char *const *codes, int n, const char *s) {
  for (int i = 0; s && i < n; i++)
    if (strcmp(codes[i], s) == 0) return i;
  return -1;
}

const char *assess_kind_code(AssessItemKind k) { return KIND_CODES[k]; }
bool assess_kind_parse(const char *s, AssessItemKind *out) {
  int i = code_at(KIND_CODES, NCODES(KIND_CODES), s);
  if (i >= 0) *out = (AssessItemKind)i;
  return i >= 0;
}
const char *assess_op_code(AssessOp o) { return OP_CODES[o]; }
bool assess_op_parse(const char *s, AssessOp *out) {
  int i = code_at(OP_CODES, NCODES(OP_CODES), s);
  if (i >= 0) *out = (AssessOp)i;
  return i >= 0;
}
const char *assess_verdict_code(AssessVerdict v) { return VERDICT_CODES[v]; }
const char *assess_result_code(AssessResult r) { return RESULT_CODES[r]; }
const char *assess_state_code(AssessState s) { return STATE_VOCAB[s].code; }
const char *assess_state_name_zh(AssessState s) { return STATE_VOCAB[s].label_zh; }
bool assess_state_parse(const char *s, AssessState *out) {
  int i = unit_term_index(STATE_VOCAB, s);
  if (i >= 0) *out = (AssessState)i;
  return i >= 0;
}
const char *assess_action_code(AssessAction a) { return ACTION_CODES[a]; }
bool assess_action_parse(const char *s, AssessAction *out) {
  int i = code_at(ACTION_CODES, NCODES(ACTION_CODES), s);
  if (i >= 0) *out = (AssessAction)i;
  return i >= 0;
}

/* ---- the check of a set ------------------------------------------------------ */

int assess_set_check(const AssessSectionDef *secs, int nsecs, const AssessItemDef *items, int nitems, int pass_percent,
                     int sample_min, int sample_max, Err *e) {
  int caps = 0;
  bool bad = nsecs < 1 || nsecs > ASSESS_SECTIONS_MAX;
  for (int i = 0; !bad && i < nsecs; i++) {
    const AssessSectionDef *s = &secs[i];
    if (!s->key[0] || !s->label[0] || s->cap < 1 || s->cap > 100) bad = true;
    for (int k = 0; k < i; k++)
      if (strcmp(secs[k].key, s->key) == 0) bad = true;
    caps += s->cap;
  }
  if (bad || caps != 100) err_field(e, "sections", M_SECTIONS);
  bad = nitems < 1 || nitems > ASSESS_ITEMS_MAX;
  bool target = false, sample = false, measure = false;
  for (int i = 0; !bad && i < nitems; i++) {
    const AssessItemDef *it = &items[i];
    bool in_section = false;
    for (int k = 0; k < nsecs; k++)
      if (strcmp(secs[k].key, it->section) == 0) in_section = true;
    if (!it->key[0] || !it->label[0] || !in_section || it->points < 0 || it->points > 100) bad = true;
    for (int k = 0; k < i; k++)
      if (strcmp(items[k].key, it->key) == 0) bad = true;
    if (it->target < 0 || it->target > 1000000000) target = true;
    if (it->kind == AK_SAMPLE && strcmp(it->measure, "accuracy") != 0 && strcmp(it->measure, "completeness") != 0)
      sample = true;
    if (it->kind == AK_SAMPLE && it->target > 1000) target = true;
    if (it->kind == AK_AUTO && !it->measure[0]) measure = true;
  }
  if (bad) err_field(e, "items", M_ITEMS);
  else if (target) err_field(e, "items", M_ITEM_TARGET);
  else if (sample) err_field(e, "items", M_ITEM_SAMPLE);
  else if (measure) err_field(e, "items", M_ITEM_MEASURE);
  if (pass_percent < 1 || pass_percent > 100) err_field(e, "pass_percent", M_PASS);
  if (sample_min < 1 || sample_max > 1000 || sample_min > sample_max) err_field(e, "sample", M_SAMPLE_BOUNDS);
  return e->code;
}

/* ---- the set that applies --------------------------------------------------------- */

int assess_set_pick(const AssessSetRef *sets, int n, int year) {
  int best = -1;
  for (int i = 0; i < n; i++) {
    if (sets[i].year > year) continue;
    if (best < 0 || sets[i].year > sets[best].year ||
        (sets[i].year == sets[best].year && sets[i].depth > sets[best].depth))
      best = i;
  }
  return best;
}

/* ---- verdicts ---------------------------------------------------------------------- */

AssessVerdict assess_compare(const AssessItemDef *d, bool is_rate, int64_t num, int64_t den, int64_t *value_tenths) {
  int64_t v = num;
  if (is_rate) {
    if (den <= 0) {
      if (value_tenths) *value_tenths = -1;
      return d->empty_met ? AV_MET : AV_UNMET;
    }
    /* num / den * 1000, rounded half up (as core/stats.h's rate rule) */
    v = (num * 2000 + den) / (2 * den);
  }
  if (value_tenths) *value_tenths = v;
  bool met = d->op == AO_MAX ? v <= d->target : v >= d->target;
  return met ? AV_MET : AV_UNMET;
}

/* ---- the score --------------------------------------------------------------------- */

static int min_int(int a, int b) { return a < b ? a : b; }

void assess_score(const AssessSectionDef *secs, int nsecs, const AssessItemDef *items, const AssessVerdict *v,
                  int nitems, int pass_percent, AssessScore *out) {
  memset(out, 0, sizeof *out);
  int best_raw[ASSESS_SECTIONS_MAX] = {0}, possible_raw[ASSESS_SECTIONS_MAX] = {0};
  if (nsecs > ASSESS_SECTIONS_MAX) nsecs = ASSESS_SECTIONS_MAX;
  for (int i = 0; i < nitems; i++) {
    switch (v[i]) {
    case AV_MET: out->met++; break;
    case AV_UNMET: out->unmet++; break;
    case AV_PENDING: out->pending++; break;
    case AV_MISSING: out->missing++; break;
    }
    if (v[i] == AV_UNMET && items[i].veto) out->veto_failed = true;
    if (v[i] == AV_MISSING) continue;
    int s = -1;
    for (int k = 0; k < nsecs && s < 0; k++)
      if (strcmp(secs[k].key, items[i].section) == 0) s = k;
    if (s < 0) continue;
    possible_raw[s] += items[i].points;
    if (v[i] == AV_MET) out->sections[s].raw += items[i].points;
    if (v[i] == AV_MET || v[i] == AV_PENDING) best_raw[s] += items[i].points;
  }
  for (int k = 0; k < nsecs; k++) {
    AssessSectionScore *s = &out->sections[k];
    s->earned = min_int(s->raw, secs[k].cap);
    s->possible = min_int(possible_raw[k], secs[k].cap);
    out->score += s->earned;
    out->max += s->possible;
    out->best += min_int(best_raw[k], secs[k].cap);
  }
  out->percent_tenths = out->max > 0 ? ((int64_t)out->score * 2000 + out->max) / (2 * (int64_t)out->max) : -1;
  /* pass: score / max >= pass_percent / 100, in integers */
  bool reaches = (int64_t)out->score * 100 >= (int64_t)pass_percent * out->max;
  bool can_reach = (int64_t)out->best * 100 >= (int64_t)pass_percent * out->max;
  if (out->veto_failed || (out->max > 0 && !can_reach)) out->result = AR_FAIL;
  else if (out->pending > 0 || out->max == 0) out->result = AR_PENDING;
  else out->result = reaches ? AR_PASS : AR_FAIL;
}

/* ---- ranking ---------------------------------------------------------------------- */

/* The result's order among equal percentages: pass, pending, fail. */
static int result_order(AssessResult r) { return r == AR_PASS ? 0 : r == AR_PENDING ? 1 : 2; }

/* true when unit a is strictly better than unit b. */
static bool rank_better(const int64_t *p, const AssessResult *r, int a, int b) {
  if (p[a] != p[b]) return p[a] > p[b];
  return result_order(r[a]) < result_order(r[b]);
}

void assess_rank(const int64_t *percent, const AssessResult *result, int n, int *rank, int *order) {
  for (int i = 0; i < n; i++) {
    int better = 0;
    for (int k = 0; k < n; k++)
      if (rank_better(percent, result, k, i)) better++;
    rank[i] = 1 + better;
  }
  if (!order) return;
  /* insertion by rank, stable: ties keep input order */
  for (int i = 0; i < n; i++) {
    int j = i;
    while (j > 0 && rank[order[j - 1]] > rank[i]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
}

/* ---- the sample ----------------------------------------------------------------------- */

int assess_sample_check(const AssessSample *s, int min, int max, Err *e) {
  if (s->households < min || s->households > max) err_field(e, "households", M_HOUSEHOLDS);
  bool records_ok = s->records >= 1 && s->records <= 10000;
  if (!records_ok) err_field(e, "records", M_RECORDS);
  if (s->accurate < 0 || (records_ok && s->accurate > s->records)) err_field(e, "accurate", M_ACCURATE);
  if (s->complete < 0 || (records_ok && s->complete > s->records)) err_field(e, "complete", M_COMPLETE);
  return e->code;
}

bool assess_sample_figures(const AssessSample *s, const char *measure, int64_t *num, int64_t *den) {
  *den = s->records;
  if (strcmp(measure, "accuracy") == 0) *num = s->accurate;
  else if (strcmp(measure, "completeness") == 0) *num = s->complete;
  else return false;
  return true;
}

/* ---- the flow ---------------------------------------------------------------------------- */

bool assess_transition(AssessState s, AssessAction a, AssessState *to) {
  static const struct { AssessState from; AssessAction a; AssessState to; } T[] = {
    {AST_NONE, AA_APPLY, AST_APPLIED},           {AST_RETURNED, AA_APPLY, AST_APPLIED},
    {AST_APPLIED, AA_REVIEW_PASS, AST_REVIEWED}, {AST_APPLIED, AA_REVIEW_RETURN, AST_RETURNED},
    {AST_REVIEWED, AA_APPROVE, AST_APPROVED},    {AST_REVIEWED, AA_REJECT, AST_REJECTED},
  };
  for (int i = 0; i < NCODES(T); i++)
    if (T[i].from == s && T[i].a == a) {
      *to = T[i].to;
      return true;
    }
  return false;
}

bool assess_state_open(AssessState s) { return s == AST_NONE || s == AST_APPLIED || s == AST_RETURNED; }

/* ---- 无毒单位: the partner places' figures ------------------------------------------- */

#define M_SUBJECTS "请选择参加无毒单位考核的场所或单位类别（学校、企业、娱乐场所、成员单位等），不能重复"

const AssessPlaceMeasure assess_place_measures[] = {
  {"place_letters", "签订禁毒责任书份数"},
  {"place_activities", "共同开展禁毒宣传教育活动次数"},
  {"place_inspections", "场所检查次数"},
  {"place_problems", "检查发现问题次数"},
  {"place_open_problems", "未整改问题数"},
  {NULL, NULL},
};

/* The figure of measure index i of f. */
static int64_t place_slot(const AssessPlaceFacts *f, int i) {
  const int64_t v[] = {f->letters, f->activities, f->inspections, f->problems, f->open_problems};
  assert(i >= 0 && i < NCODES(v));
  return v[i];
}

/* The index of place measure key, -1 when none. */
static int place_measure_at(const char *key) {
  for (int i = 0; key && assess_place_measures[i].key; i++)
    if (strcmp(assess_place_measures[i].key, key) == 0) return i;
  return -1;
}

const char *assess_place_measure_name(const char *key) {
  int i = place_measure_at(key);
  return i < 0 ? NULL : assess_place_measures[i].name_zh;
}

bool assess_place_figure(const AssessPlaceFacts *f, const char *key, int64_t *num) {
  int i = place_measure_at(key);
  if (i < 0) return false;
  *num = place_slot(f, i);
  return true;
}

void assess_place_add_letter(AssessPlaceFacts *f, int letter_year, Day signed_day, int year, Day d) {
  if (letter_year == year && signed_day <= d) f->letters++;
}

void assess_place_add_activity(AssessPlaceFacts *f, Day day, Day from, Day to) {
  if (day >= from && day <= to) f->activities++;
}

void assess_place_add_inspection(AssessPlaceFacts *f, Day day, bool problem, Day due, Day done, Day from, Day to,
                                 Day d) {
  if (day >= from && day <= to) {
    f->inspections++;
    if (problem) f->problems++;
  }
  bool needs = problem || due != LEDGER_NO_DAY;
  bool done_by_d = done != LEDGER_NO_DAY && done <= d;
  if (day <= d && needs && !done_by_d) f->open_problems++;
}

/* The length of the code at s (up to a comma or the end). */
static size_t subject_len(const char *s) {
  const char *c = strchr(s, ',');
  return c ? (size_t)(c - s) : strlen(s);
}

bool assess_subjects_has(const char *subjects, const char *kind) {
  if (!subjects || !kind || !*kind) return false;
  size_t kl = strlen(kind);
  for (const char *p = subjects; *p;) {
    size_t n = subject_len(p);
    if (n == kl && strncmp(p, kind, n) == 0) return true;
    p += n;
    if (*p == ',') p++;
  }
  return false;
}

int assess_subjects_check(const char *subjects, Err *e) {
  bool ok = subjects && *subjects;
  int seen[16] = {0};
  for (const char *p = subjects; ok && *p;) {
    size_t n = subject_len(p);
    int k = -1;
    for (int i = 0; place_kind_vocab[i].code && k < 0; i++)
      if (strlen(place_kind_vocab[i].code) == n && strncmp(place_kind_vocab[i].code, p, n) == 0) k = i;
    if (k < 0 || k >= 16 || seen[k]++) ok = false;
    p += n;
    if (*p == ',') {
      p++;
      if (!*p) ok = false; /* a trailing comma */
    }
  }
  if (!ok) err_field(e, "subjects", M_SUBJECTS);
  return e->code;
}
