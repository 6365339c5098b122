/* core/stats.c: owns the measures of DOMAIN.md §6a (see core/stats.h): the
 * measure table with the footnote definitions, the rate rule, a person's
 * facts (built from the history, encoded, decoded), the evaluation of a
 * person for (D, F, T), and the periods of the statistics page.
 *
 * How the facts answer "as of D" (the readings of §6a, in one place):
 * - The unit on D: the last row of the unit history (person_unit) in force
 *   on D; the first row is in force since always (the unit a file was
 *   registered under holds its history before registration too).
 * - The status on D: the standing episodes (core/supervision.h's
 *   supervision_standing: corrections take the place of what they
 *   correct) in history order; an episode begins on its decision date, else
 *   its start date, else the day it was entered; the status on D is the
 *   last of them that had begun by D (so on and after every begin day it is
 *   the person row's status). None begun: no status (ST_NONE).
 * - On the register on D: known by D (first found, the first episode, or
 *   the file made, whichever is earliest) and not dead or emigrated on D.
 * - Contact on D: the last lost_contact / found event dated by D.
 * - The help team on D: a member added on or before D and not removed by D.
 * - Talks and tests: visits of any kind; tests with a result (negative or
 *   positive); corrected rows do not count.
 * - When talks and tests were due: the supervision engine
 *   (supervision_compute under the person's schedule rule) run as of each
 *   day on which something of the history is dated, on the history as it
 *   stood that day (episodes begun by then; visits, tests and events up to
 *   that day). The next due dates change only on such days, so the steps
 *   (from that day, the next due) give the engine's answer for every day.
 *   A talk is overdue on D when the next talk due on D is before D. A test
 *   due on day x is done by its due date when, as of x, the next test due
 *   is after x; a test is due in [F, T] when, on some day of [F, T], the
 *   next test due is on or before T (a test overdue at F counts, and is not
 *   done by its due date).
 * - Community orders: an episode of community detox or rehabilitation
 *   with a decision date; its report deadline is core/deadline's
 *   (decision + 15 days); reported when its start date, else the first
 *   reported/released event on or after the decision, is on or before it.
 * - Releases: a standing episode of compulsory isolation or prison followed
 *   by one that is neither custodial nor closed; the release day is the
 *   next episode's begin; received on the day when a "released" event (the
 *   pickup recorded) is dated that day. */
#include "core/stats.h"
#include "core/casework.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include "core/buf.h"
#include "core/deadline.h"
#include "core/ledger.h"
#include "core/prevention.h"

/* ---- the measure table ------------------------------------------------- */

#define CNT(k, zh, def, slot, trend) {k, zh, def, SM_COUNT, "person", slot, -1, true, trend}
#define RATE(k, zh, def, num, den, trend) {k, zh, def, SM_RATE, "person", num, den, true, trend}
#define PCNT(p, k, zh, def, slot) {k, zh, def, SM_COUNT, p, slot, -1, false, false}
#define PKIND(k, zh, i) PCNT("activity", "activities_by_kind." k, zh "（次）", "统计期内形式为" zh "的宣传教育活动", AS_KIND0 + (i))
#define PSET(k, zh, i) PCNT("activity", "activities_by_setting." k, zh "（次）", "统计期内" zh "的宣传教育活动", AS_SETTING0 + (i))
#define PGRP(k, zh, i) {"awareness_rate." k, zh "知晓率", "分子：统计期内对" zh "的调查知晓人数；分母：调查人数", SM_RATE, \
                        "survey", SVS_GROUP_AWARE0 + (i), SVS_GROUP_RESP0 + (i), false, false}
#define SVC(k, zh, def, slot) {k, zh, def, SM_COUNT, "service", slot, -1, false, false}
#define BYST(k, zh, st) {"by_status." k, zh, "统计日管控状态为" zh "的在册人员", SM_COUNT, "person", SS_STATUS0 + (st), -1, false, false}

const StatMeasure stat_measures[] = {
  CNT("registered", "在册人数", "统计日责任社区在本单位（含下级单位）、管控状态不是死亡或出境的人员（含戒断三年未复吸人员）",
      SS_REGISTERED, true),
  CNT("current", "现有吸毒人员", "在册人数减去戒断三年未复吸人员", SS_CURRENT, false),
  CNT("supervised", "在管人数", "统计日管控状态为社区戒毒、社区康复或社会面管控的人员", SS_SUPERVISED, true),
  CNT("in_community", "社区戒毒社区康复人员", "统计日管控状态为社区戒毒或社区康复的人员", SS_IN_COMMUNITY, false),
  CNT("lost_contact", "失控人数", "统计日在管、且最近一次失联登记后未找回的人员", SS_LOST_CONTACT, false),
  CNT("new_found", "新发现人数", "初次发现日期在统计期内的人员", SS_NEW_FOUND, false),
  CNT("relapsed", "复吸人数", "统计期内有阳性检测结果的人员", SS_RELAPSED, false),
  CNT("offences", "吸毒人员犯罪人数", "统计期内登记有违法犯罪（公安机关案件）的在册人员", SS_OFFENDED, false),
  CNT("abstinent_3y", "戒断三年未复吸人数", "统计日管控状态为戒断三年未复吸的人员", SS_STATUS0 + ST_ABSTINENT_3Y, false),
  RATE("control_rate", "管控率",
       "分子：统计日在管、未失联、帮教小组在岗、谈话走访未逾期的人员；分母：统计日在管人员", SS_CONTROL_NUM,
       SS_SUPERVISED, true),
  RATE("lost_rate", "失控率", "分子：失控人数；分母：统计日在管人员", SS_LOST_CONTACT, SS_SUPERVISED, false),
  RATE("help_rate", "帮教率",
       "分子：统计日在管、帮教小组在岗、且统计期内至少谈话走访一次的人员；分母：统计日在管人员", SS_HELP_NUM,
       SS_SUPERVISED, false),
  RATE("test_rate", "尿检率",
       "分母：统计日在管、且统计期内至少有一次应检测的人员；分子：其中统计期内每次应检测都在到期日或之前完成（阴性或阳性）的人员",
       SS_TEST_NUM, SS_TEST_DEN, true),
  RATE("relapse_rate", "复吸率", "分子：复吸人数；分母：统计期内至少完成一次检测（阴性或阳性）的人员", SS_RELAPSED,
       SS_TESTED, false),
  RATE("isolation_rate", "收戒率", "分子：统计日管控状态为强制隔离戒毒的人员；分母：在册人数",
       SS_STATUS0 + ST_COMPULSORY_ISOLATION, SS_REGISTERED, false),
  RATE("report_rate", "报到率",
       "分子：15日报到期限在统计期内、且在期限内报到的社区戒毒（康复）决定；分母：15日报到期限在统计期内的社区戒毒（康复）决定",
       SS_REPORT_NUM, SS_REPORT_DEN, false),
  RATE("pickup_rate", "出所必接率",
       "分子：统计期内从强制隔离戒毒所或监狱出所、且出所当日即接回的次数；分母：统计期内出所次数", SS_PICKUP_NUM,
       SS_PICKUP_DEN, false),
  RATE("complete_rate", "档案完整率",
       "分子：统计日在管、且档案完整（帮教小组覆盖要求的角色，有帮扶计划，已签社区戒毒（康复）协议或帮教责任书，谈话走访未逾期）的人员；分母：统计日在管人员",
       SS_COMPLETE_NUM, SS_SUPERVISED, false),
  /* services and referrals (casework): by kind and by state, not columns of the table */
  SVC("services.total", "服务转介", "统计期内辖区登记转介的服务数（按转介时的责任社区统计）", SV_SLOT_TOTAL),
  SVC("services.subsistence", "低保/临时救助", "统计期内转介的低保/临时救助服务数", SV_SLOT_KIND0 + 0),
  SVC("services.employment", "就业安置", "统计期内转介的就业安置服务数", SV_SLOT_KIND0 + 1),
  SVC("services.training", "技能培训", "统计期内转介的技能培训服务数", SV_SLOT_KIND0 + 2),
  SVC("services.counselling", "心理咨询/疏导", "统计期内转介的心理咨询/疏导服务数", SV_SLOT_KIND0 + 3),
  SVC("services.medical", "医疗", "统计期内转介的医疗服务数", SV_SLOT_KIND0 + 4),
  SVC("services.methadone", "美沙酮维持治疗", "统计期内转介的美沙酮维持治疗服务数", SV_SLOT_KIND0 + 5),
  SVC("services.legal", "法律援助", "统计期内转介的法律援助服务数", SV_SLOT_KIND0 + 6),
  SVC("services.housing", "住房", "统计期内转介的住房服务数", SV_SLOT_KIND0 + 7),
  SVC("services.family_education", "家属教育", "统计期内转介的家属教育服务数", SV_SLOT_KIND0 + 8),
  SVC("services.other", "其他", "统计期内转介的其他服务数", SV_SLOT_KIND0 + 9),
  SVC("services.referred", "已转介", "统计期内转介、统计日仍待受理的服务数", SV_SLOT_STATE0 + 0),
  SVC("services.accepted", "已受理", "统计期内转介、统计日已受理的服务数", SV_SLOT_STATE0 + 1),
  SVC("services.delivered", "已提供", "统计期内转介、统计日已提供的服务数", SV_SLOT_STATE0 + 2),
  SVC("services.declined", "未受理", "统计期内转介、统计日未受理的服务数", SV_SLOT_STATE0 + 3),
  /* 人户分离 (issue 9): provider "elsewhere" of app/stats.c; household as recorded today */
  {"elsewhere", "人户分离（户籍在外）", "统计日在本单位帮教（在管）、户籍地行政区划代码不在本单位代码范围内的人员",
   SM_COUNT, "elsewhere", SE_AWAY, -1, true, false},
  {"elsewhere_out", "户籍在本地、在外地帮教", "户籍地行政区划代码在本单位代码范围内、统计日由本单位以外的单位帮教（在管）的人员（只计人数）",
   SM_COUNT, "elsewhere", SE_OUT, -1, true, false},
  {"elsewhere_rate", "异地帮教比例",
   "分子：户籍在本地、在外地帮教的人员；分母：户籍地行政区划代码在本单位代码范围内、统计日在管的人员（不论在何处帮教）",
   SM_RATE, "elsewhere", SE_OUT, SE_HOME, true, false},
  BYST("none", "未登记状态", ST_NONE),
  BYST("community_detox", "社区戒毒", ST_COMMUNITY_DETOX),
  BYST("compulsory_isolation", "强制隔离戒毒", ST_COMPULSORY_ISOLATION),
  BYST("community_rehab", "社区康复", ST_COMMUNITY_REHAB),
  BYST("social_supervision", "社会面管控", ST_SOCIAL_SUPERVISION),
  BYST("detained", "拘留(中止)", ST_DETAINED),
  BYST("imprisoned", "服刑", ST_IMPRISONED),
  BYST("abstinent_3y", "戒断三年未复吸", ST_ABSTINENT_3Y),
  /* the prevention ledgers (providers "activity" and "survey", core/prevention.h) */
  PCNT("activity", "activities", "宣传教育活动次数", "统计期内登记的宣传教育活动（以最新更正为准）", AS_ACTIVITIES),
  PCNT("activity", "activity_participants", "活动参加人数", "统计期内宣传教育活动的参加人数之和", AS_PARTICIPANTS),
  PCNT("activity", "activity_consultations", "咨询人次", "统计期内宣传教育活动的咨询人次之和", AS_CONSULTATIONS),
  PCNT("activity", "activity_materials", "发放宣传品", "统计期内宣传教育活动发放或张贴的资料、横幅、标语、板报、展板、挂图、通告之和",
       AS_MATERIALS),
  PKIND("lecture", "讲座", 0), PKIND("exhibition", "展览/巡展", 1), PKIND("campaign", "集中宣传", 2),
  PKIND("training", "培训", 3), PKIND("meeting", "会议", 4), PKIND("quiz", "知识竞赛", 5), PKIND("film", "放映", 6),
  PKIND("broadcast", "广播", 7), PKIND("volunteer", "志愿服务", 8), PKIND("home_visit", "入户宣传", 9),
  PKIND("other", "其他", 10),
  PSET("school", "进学校", 0), PSET("family", "进家庭", 1), PSET("community", "进社区", 2), PSET("unit", "进单位", 3),
  PSET("venue", "进场所", 4), PSET("village", "进农村", 5),
  PCNT("survey", "surveys", "知晓率调查次数", "统计期内登记的知晓率调查和知识竞赛（以最新更正为准）", SVS_SURVEYS),
  PCNT("survey", "survey_respondents", "调查人数", "统计期内知晓率调查的调查人数之和", SVS_RESPONDENTS),
  {"awareness_rate", "禁毒知识知晓率", "分子：统计期内知晓率调查的知晓（答对）人数；分母：调查人数", SM_RATE, "survey",
   SVS_AWARE, SVS_RESPONDENTS, false, false},
  {"survey_met_rate", "知晓率达标率", "分子：统计期内知晓率达到该对象目标的调查次数；分母：调查次数", SM_RATE, "survey",
   SVS_MET, SVS_SURVEYS, false, false},
  PGRP("town", "集镇居民", 0), PGRP("rural", "农村居民", 1), PGRP("migrant", "外来务工人员", 2),
  PGRP("venue", "娱乐场所从业人员", 3), PGRP("student", "中小学生", 4), PGRP("cadre", "机关干部", 5),
  PGRP("other", "其他人员", 6),
  /* responsibility letters (provider "letter", core/ledger.h) */
  PCNT("letter", "letters", "签订责任书份数", "统计期结束日所在年度的禁毒工作责任书中，签订日期不晚于统计日的份数（按发出单位统计）",
       LS_LETTERS),
  PCNT("letter", "letters_required", "应签责任书签订方", "统计期结束日所在年度本单位及下级单位要求签订责任书的签订方（单位或场所）数",
       LS_REQUIRED),
  {"letters_rate", "责任书签订率",
   "分子：统计期结束日所在年度要求签订的签订方中，统计日前已签订的；分母：该年度要求签订的签订方", SM_RATE, "letter",
   LS_REQUIRED_SIGNED, LS_REQUIRED, false, false},
};
#undef PCNT
#undef PKIND
#undef PSET
#undef PGRP
#undef CNT
#undef RATE
#undef BYST
#undef SVC

int stats_measure_count(void) { return (int)(sizeof stat_measures / sizeof stat_measures[0]); }

const StatMeasure *stats_measure_by_key(const char *key) {
  return array_find_str(stat_measures, stats_measure_count(), sizeof *stat_measures, offsetof(StatMeasure, key), key);
}

/* ---- rates -------------------------------------------------------------- */

bool stats_rate_tenths(int64_t num, int64_t den, int64_t *tenths) {
  assert(num >= 0 && den >= 0);
  if (den == 0) return false;
  /* num / den * 1000, rounded half up, in integers: (2000 num + den) / (2 den) */
  *tenths = (num * 2000 + den) / (2 * den);
  return true;
}

void stats_rate_text(int64_t num, int64_t den, char out[STATS_RATE_TEXT_LEN]) {
  int64_t t;
  if (!stats_rate_tenths(num, den, &t)) snprintf(out, STATS_RATE_TEXT_LEN, "—");
  else snprintf(out, STATS_RATE_TEXT_LEN, "%lld.%lld%%", (long long)(t / 10), (long long)(t % 10));
}

/* ---- facts: storage ------------------------------------------------------ */

void stats_facts_clear(StatFacts *f) {
  f->partial = false;
  f->rest = f->rest_end = NULL;
  f->known = STAT_DAY_MIN;
  f->found = STAT_NO_DAY;
  f->nunits = f->neps = f->ncontact = f->nteam = f->ntalks = f->ntests = f->npositives = 0;
  f->ntest_due = f->ntalk_due = f->norders = f->nreleases = f->nagreements = 0;
  f->plan_from = STAT_NO_DAY;
  f->checks_off = 0;
  f->noffences = 0;
}

void stats_facts_free(StatFacts *f) {
  free(f->units);
  free(f->eps);
  free(f->contact);
  free(f->team);
  free(f->talks);
  free(f->tests);
  free(f->positives);
  free(f->test_due);
  free(f->talk_due);
  free(f->orders);
  free(f->releases);
  free(f->agreements);
  free(f->offences);
  memset(f, 0, sizeof *f);
}

/* Appends one element to a list of f: PUSH(f, units, value). The
 * capacity test is inline: the decoder pushes tens of millions of items
 * per county table. */
#define PUSH(f, list, ...)                                                                        \
  do {                                                                                           \
    if ((f)->n##list >= (f)->cap_##list)                                                         \
      (f)->list = array_grow((f)->list, (f)->n##list, &(f)->cap_##list, sizeof *(f)->list);      \
    (f)->list[(f)->n##list++] = (__typeof__(*(f)->list))__VA_ARGS__;                            \
  } while (0)

/* ---- facts: building ------------------------------------------------------ */

/* The day of an ISO date or timestamp's date part; false when none. */
static bool sf_day(const char *s, Day *d) {
  char iso[DATE_ISO_LEN];
  if (!s || strlen(s) < 10) return false;
  memcpy(iso, s, 10);
  iso[10] = 0;
  return date_parse(iso, d);
}

/* The day an episode begins: its decision date, else its start date, else
 * the day it was entered. */
static bool sf_begin(const SupEpisodeH *ep, Day *d) {
  return sf_day(ep->decision_date, d) || sf_day(ep->start_date, d) || sf_day(ep->created_at, d);
}

static int sf_day_cmp(const void *a, const void *b) {
  Day x = *(const Day *)a, y = *(const Day *)b;
  return x < y ? -1 : x > y;
}

/* Sorts a day list and drops repeats; returns the new length. */
static int sf_sort_unique(Day *v, int n) {
  if (n < 2) return n;
  qsort(v, (size_t)n, sizeof *v, sf_day_cmp);
  int k = 0;
  for (int i = 0; i < n; i++)
    if (k == 0 || v[k - 1] != v[i]) v[k++] = v[i];
  return k;
}

/* Flags of the rows of a list that a later row corrects (n ids, n
 * corrects_ids at the given strides). Rare: a row correcting nothing costs
 * one test. */
static void sf_voided(const int64_t *ids, const int64_t *corrects, size_t stride, int n, bool *out) {
  memset(out, 0, (size_t)(n ? n : 1) * sizeof *out);
  const char *ib = (const char *)ids, *cb = (const char *)corrects;
  for (int i = 0; i < n; i++) {
    int64_t c = *(const int64_t *)(const void *)(cb + (size_t)i * stride);
    if (!c) continue;
    for (int j = 0; j < n; j++)
      if (*(const int64_t *)(const void *)(ib + (size_t)j * stride) == c) out[j] = true;
  }
}

/* The team spans of the facts (see stats_facts_build): from the members'
 * days on the team and their roles, the maximal spans [from, to) in which
 * the members on the team cover s->required_roles (at least one member
 * when it is 0). */
static void sf_team_cover(const StatSource *s, StatFacts *f) {
  int n = s->nmembers;
  if (n == 0) return;
  Day *from = malloc(sizeof *from * (size_t)n), *to = malloc(sizeof *to * (size_t)n);
  Day *cuts = malloc(sizeof *cuts * (size_t)(2 * n));
  bool *ok = malloc(sizeof *ok * (size_t)n);
  if (!from || !to || !cuts || !ok) abort();
  int nc = 0;
  for (int i = 0; i < n; i++) {
    to[i] = STAT_DAY_MAX;
    ok[i] = sf_day(s->members[i].added, &from[i]) &&
            (!s->members[i].removed || !*s->members[i].removed || sf_day(s->members[i].removed, &to[i])) &&
            to[i] > from[i];
    if (!ok[i]) continue;
    cuts[nc++] = from[i];
    if (to[i] != STAT_DAY_MAX) cuts[nc++] = to[i];
  }
  nc = sf_sort_unique(cuts, nc);
  Day open = STAT_NO_DAY; /* the start of the span being built */
  for (int k = 0; k < nc; k++) {
    unsigned have = 0;
    bool any = false;
    for (int i = 0; i < n; i++)
      if (ok[i] && from[i] <= cuts[k] && cuts[k] < to[i]) {
        have |= s->members[i].roles;
        any = true;
      }
    bool covered = any && (have & s->required_roles) == s->required_roles;
    if (covered && open == STAT_NO_DAY) open = cuts[k];
    if (!covered && open != STAT_NO_DAY) {
      PUSH(f, team, {open, cuts[k]});
      open = STAT_NO_DAY;
    }
  }
  if (open != STAT_NO_DAY) PUSH(f, team, {open, STAT_DAY_MAX});
  free(from);
  free(to);
  free(cuts);
  free(ok);
}

/* The steps of the engine's next due dates: supervision_compute as of every
 * day something is dated, on the history as it stood that day. */
static void sf_steps(const SupHistory *h, const int *order, int k, const Day *begins, const ScheduleRule *rule,
                     StatFacts *f) {
  int cap = h->nvisits + h->ntests + h->nevents + 2 * k + 1;
  Day *days = malloc(sizeof *days * (size_t)cap);
  SupEpisodeH *eps = malloc(sizeof *eps * (size_t)(k ? k : 1));
  if (!days || !eps) abort();
  int nd = 0;
  for (int i = 0; i < k; i++) {
    days[nd++] = begins[i];
    Day s;
    if (sf_day(h->eps[order[i]].start_date, &s)) days[nd++] = s;
  }
  for (int i = 0; i < h->nvisits; i++) days[nd++] = h->visits[i].date;
  for (int i = 0; i < h->ntests; i++) days[nd++] = h->tests[i].date;
  for (int i = 0; i < h->nevents; i++) /* an expected release is no fact of its day */
    if (strcmp(h->events[i].kind, "release_notice") != 0) days[nd++] = h->events[i].date;
  nd = sf_sort_unique(days, nd);
  SupHistory x = *h; /* the same rows; the episodes begun by each day */
  x.eps = eps;
  x.cap_eps = k;
  /* The engine ignores what is dated after the day it is asked about; when
   * each list is in date order and corrects nothing (a correction dated
   * later may void an earlier row), it is given only the rows up to the
   * day: the same answer for less work. */
  bool cut = true;
  for (int i = 0; i < h->nvisits && cut; i++)
    cut = !h->visits[i].corrects_id && (i == 0 || h->visits[i - 1].date <= h->visits[i].date);
  for (int i = 0; i < h->ntests && cut; i++)
    cut = !h->tests[i].corrects_id && (i == 0 || h->tests[i - 1].date <= h->tests[i].date);
  for (int i = 1; i < h->nevents && cut; i++) cut = h->events[i - 1].date <= h->events[i].date;
  Day last_test = STAT_NO_DAY, last_talk = STAT_NO_DAY;
  for (int i = 0; i < nd; i++) {
    Day asof = days[i];
    x.neps = 0;
    for (int j = 0; j < k; j++)
      if (begins[j] <= asof) {
        eps[x.neps] = h->eps[order[j]];
        eps[x.neps].id = x.neps + 1; /* standing rows in history order, nothing corrected */
        eps[x.neps].corrects_id = 0;
        x.neps++;
      }
    Day test = STAT_NO_DAY, talk = STAT_NO_DAY;
    /* nothing is due unless the status in force is a supervised one (the engine's rule) */
    if (x.neps && stats_status_supervised(status_from_code(eps[x.neps - 1].status))) {
      if (cut) {
        while (x.nvisits > 0 && x.visits[x.nvisits - 1].date > asof) x.nvisits--;
        while (x.nvisits < h->nvisits && h->visits[x.nvisits].date <= asof) x.nvisits++;
        while (x.ntests > 0 && x.tests[x.ntests - 1].date > asof) x.ntests--;
        while (x.ntests < h->ntests && h->tests[x.ntests].date <= asof) x.ntests++;
        while (x.nevents > 0 && x.events[x.nevents - 1].date > asof) x.nevents--;
        while (x.nevents < h->nevents && h->events[x.nevents].date <= asof) x.nevents++;
      }
      SupComputed c;
      supervision_compute(&x, rule, asof, &c);
      test = c.sched.nothing_due ? STAT_NO_DAY : c.sched.next_test_due;
      talk = c.sched.nothing_due ? STAT_NO_DAY : c.sched.next_talk_due;
    }
    if (f->ntest_due == 0 ? test != STAT_NO_DAY : test != last_test) PUSH(f, test_due, {asof, test});
    if (f->ntalk_due == 0 ? talk != STAT_NO_DAY : talk != last_talk) PUSH(f, talk_due, {asof, talk});
    last_test = test;
    last_talk = talk;
  }
  free(days);
  free(eps);
}

void stats_facts_build(const StatSource *s, const ScheduleRule *rule, StatFacts *f) {
  stats_facts_clear(f);
  const SupHistory *h = s->h;
  Day d;

  for (int i = 0; i < s->nunits; i++)
    PUSH(f, units, {sf_day(s->units[i].from, &d) ? d : STAT_DAY_MIN, s->units[i].org_id});

  /* Episodes: the standing ones in history order, with their begin days. */
  int *order = malloc(sizeof *order * (size_t)(h->neps ? h->neps : 1));
  Day *begins = malloc(sizeof *begins * (size_t)(h->neps ? h->neps : 1));
  if (!order || !begins) abort();
  int k0 = supervision_standing(h, order), k = 0;
  for (int i = 0; i < k0; i++) {
    const SupEpisodeH *ep = &h->eps[order[i]];
    Status st = status_from_code(ep->status);
    if (st == ST_NONE || !sf_begin(ep, &d)) continue;
    order[k] = order[i];
    begins[k++] = d;
    PUSH(f, eps, {d, (uint8_t)st});
  }

  /* On the register from the earliest of first found, first episode, file made. */
  Day known = STAT_DAY_MAX;
  if (sf_day(s->first_found, &d)) f->found = known = d;
  for (int i = 0; i < f->neps; i++)
    if (f->eps[i].begin < known) known = f->eps[i].begin;
  if (sf_day(s->created_at, &d) && d < known) known = d;
  f->known = known == STAT_DAY_MAX ? STAT_DAY_MIN : known;

  /* Contact, orders' reports, releases' pickups: from the events. */
  for (int i = 0; i < h->nevents; i++) {
    const SupEventH *ev = &h->events[i];
    if (strcmp(ev->kind, "lost_contact") == 0) PUSH(f, contact, {ev->date, 1});
    else if (strcmp(ev->kind, "found") == 0) PUSH(f, contact, {ev->date, 0});
  }
  for (int i = 0; i < k; i++) {
    const SupEpisodeH *ep = &h->eps[order[i]];
    Status st = status_from_code(ep->status);
    Day dec;
    if (status_is_community_order(st) && sf_day(ep->decision_date, &dec)) {
      Day deadline = deadline_report(dec), rep = STAT_NO_DAY;
      if (!sf_day(ep->start_date, &rep)) {
        rep = STAT_NO_DAY;
        for (int j = 0; j < h->nevents && rep == STAT_NO_DAY; j++)
          if ((strcmp(h->events[j].kind, "reported") == 0 || strcmp(h->events[j].kind, "released") == 0) &&
              h->events[j].date >= dec)
            rep = h->events[j].date;
      }
      PUSH(f, orders, {deadline, rep != STAT_NO_DAY && rep <= deadline});
    }
    if ((st == ST_COMPULSORY_ISOLATION || st == ST_IMPRISONED) && i + 1 < k) {
      Status next = status_from_code(h->eps[order[i + 1]].status);
      if (status_is_custodial(next) || status_is_closed(next)) continue;
      Day rel = begins[i + 1];
      bool received = false;
      for (int j = 0; j < h->nevents; j++)
        if (strcmp(h->events[j].kind, "released") == 0 && h->events[j].date == rel) received = true;
      PUSH(f, releases, {rel, received});
    }
  }

  /* The help team: the spans in which the members on it cover the roles
   * the unit requires (any one member when it requires none). */
  sf_team_cover(s, f);

  /* Talks, completed tests, positives (corrected rows left out). */
  bool *voided = malloc(sizeof *voided * (size_t)(h->nvisits + h->ntests + 1));
  if (!voided) abort();
  if (h->nvisits) sf_voided(&h->visits[0].id, &h->visits[0].corrects_id, sizeof *h->visits, h->nvisits, voided);
  for (int i = 0; i < h->nvisits; i++)
    if (!voided[i]) PUSH(f, talks, h->visits[i].date);
  f->ntalks = sf_sort_unique(f->talks, f->ntalks);
  if (h->ntests) sf_voided(&h->tests[0].id, &h->tests[0].corrects_id, sizeof *h->tests, h->ntests, voided);
  for (int i = 0; i < h->ntests; i++) {
    const SupTestH *t = &h->tests[i];
    if (voided[i]) continue;
    bool pos = strcmp(t->result, "positive") == 0;
    if (pos || strcmp(t->result, "negative") == 0) PUSH(f, tests, t->date);
    if (pos) PUSH(f, positives, t->date);
  }
  free(voided);
  f->ntests = sf_sort_unique(f->tests, f->ntests);
  f->npositives = sf_sort_unique(f->positives, f->npositives);

  for (int i = 0; i < h->nevents; i++) /* offences (吸毒人员犯罪) */
    if (strcmp(h->events[i].kind, "offence") == 0) PUSH(f, offences, h->events[i].date);
  f->noffences = sf_sort_unique(f->offences, f->noffences);

  for (int i = 0; i < s->nagreements; i++)
    if (sf_day(s->agreements[i], &d)) PUSH(f, agreements, d);
  f->nagreements = sf_sort_unique(f->agreements, f->nagreements);
  if (s->plan_from && sf_day(s->plan_from, &d)) f->plan_from = d;
  f->checks_off = (uint8_t)(s->checks_off & CF_ALL);

  sf_steps(h, order, k, begins, rule, f);
  free(order);
  free(begins);
}

/* ---- facts: encoding -------------------------------------------------------
 * Version 3: the byte 3, then unsigned LEB128 numbers. A day is written
 * relative to the day before it in its list (the first of a list relative
 * to `known`) as 0 (STAT_DAY_MIN), 1 (STAT_NO_DAY), 2 (STAT_DAY_MAX) or
 * 3 + zigzag(difference); a flag rides in the low bit of its day's number.
 * known, found, then the lists, each its length and its items: first what
 * every evaluation reads (units, episodes, tests, positives, orders,
 * releases, offences), then what only a supervised person's does (contact, team,
 * talks, the due steps, agreements), so that a scan decodes the second part
 * of a third of the persons only. */

#define SF_VERSION 3 /* 2: the plan and the rule's checks switched off close part two; 3: offences after releases (issue 9) */

static void sf_put(Buf *b, uint64_t v) {
  char tmp[10];
  size_t n = 0;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    tmp[n++] = (char)(v ? byte | 0x80 : byte);
  } while (v);
  buf_append(b, tmp, n);
}

static uint64_t sf_day_code(Day v, Day prev) {
  if (v == STAT_DAY_MIN) return 0;
  if (v == STAT_NO_DAY) return 1;
  if (v == STAT_DAY_MAX) return 2;
  int64_t diff = (int64_t)v - (int64_t)(prev == STAT_DAY_MIN || prev == STAT_NO_DAY || prev == STAT_DAY_MAX ? 0 : prev);
  return 3 + (((uint64_t)diff << 1) ^ (uint64_t)(diff >> 63));
}

static void sf_put_day(Buf *b, Day v, Day *prev) {
  sf_put(b, sf_day_code(v, *prev));
  if (v != STAT_NO_DAY && v != STAT_DAY_MIN && v != STAT_DAY_MAX) *prev = v;
}

static void sf_put_days(Buf *b, const Day *v, int n, Day known) {
  Day prev = known;
  sf_put(b, (uint64_t)n);
  for (int i = 0; i < n; i++) sf_put_day(b, v[i], &prev);
}

static void sf_put_marks(Buf *b, const StatMark *v, int n, Day known) {
  Day prev = known;
  sf_put(b, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    sf_put(b, sf_day_code(v[i].day, prev) << 1 | (v[i].flag ? 1 : 0));
    if (v[i].day != STAT_NO_DAY && v[i].day != STAT_DAY_MIN && v[i].day != STAT_DAY_MAX) prev = v[i].day;
  }
}

static void sf_put_steps(Buf *b, const StatStep *v, int n, Day known) {
  Day prev = known;
  sf_put(b, (uint64_t)n);
  for (int i = 0; i < n; i++) {
    sf_put_day(b, v[i].from, &prev);
    Day base = v[i].from;
    sf_put_day(b, v[i].due, &base);
  }
}

void stats_facts_encode(const StatFacts *f, Buf *out) {
  buf_putc(out, SF_VERSION);
  Day zero = 0, known = f->known;
  sf_put_day(out, f->known, &zero);
  sf_put_day(out, f->found, &known);
  known = f->known;
  /* part one: what every person's evaluation reads */
  sf_put(out, (uint64_t)f->nunits);
  Day prev = known;
  for (int i = 0; i < f->nunits; i++) {
    sf_put_day(out, f->units[i].from, &prev);
    sf_put(out, (uint64_t)f->units[i].org_id);
  }
  sf_put(out, (uint64_t)f->neps);
  prev = known;
  for (int i = 0; i < f->neps; i++) {
    sf_put_day(out, f->eps[i].begin, &prev);
    sf_put(out, f->eps[i].status);
  }
  sf_put_days(out, f->tests, f->ntests, known);
  sf_put_days(out, f->positives, f->npositives, known);
  sf_put_marks(out, f->orders, f->norders, known);
  sf_put_marks(out, f->releases, f->nreleases, known);
  sf_put_days(out, f->offences, f->noffences, known);
  /* part two: what only a supervised person's reads */
  sf_put_marks(out, f->contact, f->ncontact, known);
  sf_put(out, (uint64_t)f->nteam);
  prev = known;
  for (int i = 0; i < f->nteam; i++) {
    sf_put_day(out, f->team[i].from, &prev);
    Day base = f->team[i].from;
    sf_put_day(out, f->team[i].to, &base);
  }
  sf_put_days(out, f->talks, f->ntalks, known);
  sf_put_steps(out, f->test_due, f->ntest_due, known);
  sf_put_steps(out, f->talk_due, f->ntalk_due, known);
  sf_put_days(out, f->agreements, f->nagreements, known);
  Day kp = known;
  sf_put_day(out, f->plan_from, &kp);
  sf_put(out, f->checks_off);
}

/* A reader over the encoded bytes; ok turns false at the first problem. */
typedef struct SfIn {
  const uint8_t *p, *end;
  bool ok;
} SfIn;

static uint64_t sf_get_slow(SfIn *in) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->p >= in->end) break;
    uint8_t byte = *in->p++;
    v |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  in->ok = false;
  return 0;
}

/* The next number (one byte, mostly: inline). */
static inline uint64_t sf_get(SfIn *in) {
  if (in->p < in->end && *in->p < 0x80) return *in->p++;
  return sf_get_slow(in);
}

static inline Day sf_day_decode(SfIn *in, uint64_t code, Day *prev) {
  if (__builtin_expect(code < 3, 0)) return code == 0 ? STAT_DAY_MIN : code == 1 ? STAT_NO_DAY : STAT_DAY_MAX;
  uint64_t z = code - 3;
  int64_t diff = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
  int64_t base = *prev == STAT_DAY_MIN || *prev == STAT_NO_DAY || *prev == STAT_DAY_MAX ? 0 : *prev;
  int64_t v = base + diff;
  if (v <= STAT_DAY_MIN || v >= STAT_DAY_MAX) {
    in->ok = false;
    return STAT_NO_DAY;
  }
  *prev = (Day)v;
  return (Day)v;
}

static inline Day sf_get_day(SfIn *in, Day *prev) { return sf_day_decode(in, sf_get(in), prev); }

/* A list length that the remaining bytes can hold (each item >= 1 byte). */
static int sf_get_len(SfIn *in) {
  uint64_t n = sf_get(in);
  if (n > (uint64_t)(in->end - in->p) || n > 1000000) {
    in->ok = false;
    return 0;
  }
  return (int)n;
}

#define SF_GET_DAYS(in, f, list, known)                           \
  do {                                                            \
    int n_ = sf_get_len(in);                                      \
    Day prev_ = (known);                                          \
    for (int i_ = 0; i_ < n_ && (in)->ok; i_++) PUSH(f, list, sf_get_day(in, &prev_)); \
  } while (0)

/* The lists of two-part items: marks (a day and a flag in one number, as
 * sf_put_marks writes them) and steps (two days, the second counted from
 * the first, as sf_put_steps writes them). */
typedef enum SfPairs { SF_MARKS, SF_STEPS } SfPairs;

/* The next item of a list of kind k into *a and *b, days counted from *prev. */
static inline void sf_get_pair(SfIn *in, SfPairs k, Day *prev, Day *a, int64_t *b) {
  if (k == SF_MARKS) {
    uint64_t c = sf_get(in);
    *a = sf_day_decode(in, c >> 1, prev);
    *b = (int64_t)(c & 1);
  } else {
    Day base = *a = sf_get_day(in, prev);
    *b = sf_get_day(in, &base);
  }
}

#define SF_GET_PAIRS(in, f, list, known, k)                       \
  do {                                                            \
    int n_ = sf_get_len(in);                                      \
    Day prev_ = (known);                                          \
    for (int i_ = 0; i_ < n_ && (in)->ok; i_++) {                 \
      Day a_;                                                     \
      int64_t b_;                                                 \
      sf_get_pair(in, k, &prev_, &a_, &b_);                       \
      PUSH(f, list, {a_, b_});                                    \
    }                                                             \
  } while (0)

bool stats_facts_decode(const void *p, size_t n, StatFacts *f, bool full) {
  stats_facts_clear(f);
  SfIn in = {p, (const uint8_t *)p + n, true};
  if (n < 1 || *in.p++ != SF_VERSION) return false;
  Day zero = 0;
  f->known = sf_get_day(&in, &zero);
  Day known = f->known;
  f->found = sf_get_day(&in, &known);
  known = f->known;
  int nu = sf_get_len(&in);
  Day prev = known;
  for (int i = 0; i < nu && in.ok; i++) {
    Day from = sf_get_day(&in, &prev);
    PUSH(f, units, {from, (int64_t)sf_get(&in)});
  }
  int ne = sf_get_len(&in);
  prev = known;
  for (int i = 0; i < ne && in.ok; i++) {
    Day b = sf_get_day(&in, &prev);
    uint64_t st = sf_get(&in);
    if (st >= ST__COUNT) in.ok = false;
    PUSH(f, eps, {b, (uint8_t)st});
  }
  SF_GET_DAYS(&in, f, tests, known);
  SF_GET_DAYS(&in, f, positives, known);
  SF_GET_PAIRS(&in, f, orders, known, SF_MARKS);
  SF_GET_PAIRS(&in, f, releases, known, SF_MARKS);
  SF_GET_DAYS(&in, f, offences, known);
  if (!in.ok) {
    stats_facts_clear(f);
    return false;
  }
  f->rest = in.p;
  f->rest_end = in.end;
  f->partial = true;
  return !full || stats_facts_complete(f);
}

bool stats_facts_complete(StatFacts *f) {
  if (!f->partial) return true;
  SfIn in = {f->rest, f->rest_end, true};
  Day known = f->known, prev;
  SF_GET_PAIRS(&in, f, contact, known, SF_MARKS);
  int nt = sf_get_len(&in);
  prev = known;
  for (int i = 0; i < nt && in.ok; i++) {
    Day from = sf_get_day(&in, &prev), base = from;
    Day to = sf_get_day(&in, &base);
    PUSH(f, team, {from, to});
  }
  SF_GET_DAYS(&in, f, talks, known);
  SF_GET_PAIRS(&in, f, test_due, known, SF_STEPS);
  SF_GET_PAIRS(&in, f, talk_due, known, SF_STEPS);
  SF_GET_DAYS(&in, f, agreements, known);
  prev = known;
  f->plan_from = sf_get_day(&in, &prev);
  uint64_t off = sf_get(&in);
  if (off > CF_ALL) in.ok = false;
  f->checks_off = (uint8_t)off;
  f->partial = false;
  if (!in.ok || in.p != in.end) {
    stats_facts_clear(f);
    return false;
  }
  return true;
}
#undef SF_GET_DAYS
#undef SF_GET_PAIRS

int stats_facts_orgs(const StatFacts *f, int64_t *ids) {
  int n = 0;
  for (int i = 0; i < f->nunits; i++) {
    bool seen = false;
    for (int j = 0; j < n; j++) seen |= ids[j] == f->units[i].org_id;
    if (!seen) ids[n++] = f->units[i].org_id;
  }
  return n;
}

/* ---- evaluation ------------------------------------------------------------ */

bool stats_status_supervised(Status st) {
  return st == ST_COMMUNITY_DETOX || st == ST_COMMUNITY_REHAB || st == ST_SOCIAL_SUPERVISION;
}

int64_t stats_unit_on(const StatFacts *f, Day d) {
  int64_t org = 0;
  for (int i = 0; i < f->nunits; i++)
    if (f->units[i].from <= d) org = f->units[i].org_id;
  return org;
}

/* Index of the episode in force on d, -1 when none had begun. */
static int se_episode_on(const StatFacts *f, Day d) {
  int k = -1;
  for (int i = 0; i < f->neps; i++)
    if (f->eps[i].begin <= d) k = i;
  return k;
}

Status stats_status_on(const StatFacts *f, Day d) {
  int k = se_episode_on(f, d);
  return k < 0 ? ST_NONE : (Status)f->eps[k].status;
}

bool stats_team_in_place(const StatFacts *f, Day d) {
  for (int i = 0; i < f->nteam; i++)
    if (f->team[i].from <= d && d < f->team[i].to) return true;
  return false;
}

/* The step in force on d (its index), -1 before the first. */
static int se_step_on(const StatStep *s, int n, Day d) {
  int k = -1;
  for (int i = 0; i < n && s[i].from <= d; i++) k = i;
  return k;
}

bool stats_talk_on_time(const StatFacts *f, Day d) {
  int k = se_step_on(f->talk_due, f->ntalk_due, d);
  return k < 0 || f->talk_due[k].due == STAT_NO_DAY || f->talk_due[k].due >= d;
}

/* Whether a test fell due in [a, b] (*due), and whether one due then was
 * not done by its due date (*missed): over the steps meeting [a, b]. */
static void se_tests_due(const StatFacts *f, Day a, Day b, bool *due, bool *missed) {
  *due = *missed = false;
  for (int i = 0; i < f->ntest_due; i++) {
    const StatStep *s = &f->test_due[i];
    Day lo = s->from > a ? s->from : a;
    Day hi = i + 1 < f->ntest_due && f->test_due[i + 1].from - 1 < b ? f->test_due[i + 1].from - 1 : b;
    if (lo > hi || s->due == STAT_NO_DAY) continue;
    if (s->due <= b) *due = true;
    if ((s->due > lo ? s->due : lo) <= hi) *missed = true; /* on some day x of it, the due is x or before */
  }
}

/* true when a day of the ascending list v lies in [a, b]. */
static bool se_any_in(const Day *v, int n, Day a, Day b) {
  int lo = 0, hi = n; /* the first >= a */
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (v[mid] < a) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && v[lo] <= b;
}

/* A document on file on d: under a community order one signed since the
 * order began (its run: back over "X, detained, X"), otherwise one signed
 * by d. */
static bool se_document(const StatFacts *f, Status status, Day d) {
  Day from = STAT_DAY_MIN;
  if (status_is_community_order(status)) {
    int k = se_episode_on(f, d);
    if (k < 0) return false;
    while (k >= 2 && f->eps[k - 1].status == ST_DETAINED && f->eps[k - 2].status == f->eps[k].status) k -= 2;
    from = f->eps[k].begin;
  }
  for (int i = 0; i < f->nagreements; i++)
    if (f->agreements[i] >= from && f->agreements[i] <= d) return true;
  return false;
}

unsigned stats_file_missing(const StatFacts *f, Status status, Day d) {
  CaseFileState s = {.team_roles = stats_team_in_place(f, d) ? 1u : 0u,
                     .required_roles = 1u, /* the spans are the days the required roles were covered */
                     .plan = f->plan_from != STAT_NO_DAY && f->plan_from <= d,
                     .document = se_document(f, status, d),
                     .talk_on_time = stats_talk_on_time(f, d)};
  return casework_file_missing(CF_ALL & ~(unsigned)f->checks_off, &s);
}

bool stats_file_complete(const StatFacts *f, Status status, Day d) { return stats_file_missing(f, status, d) == 0; }

void stats_eval(const StatFacts *f, const StatWhen *w, StatPersonEval *out) {
  memset(out, 0, sizeof *out);
  out->org_id = stats_unit_on(f, w->d);
  Status st = stats_status_on(f, w->d);
  out->status = st;
  uint16_t *n = out->n;
  bool registered = f->known <= w->d && st != ST_DEAD && st != ST_EMIGRATED;
  if (registered) {
    n[SS_REGISTERED] = 1;
    n[SS_CURRENT] = st != ST_ABSTINENT_3Y;
    n[SS_STATUS0 + st] = 1;
  }
  bool supervised = stats_status_supervised(st);
  if (supervised) {
    assert(!f->partial); /* stats_facts_complete first */
    n[SS_SUPERVISED] = 1;
    n[SS_IN_COMMUNITY] = st != ST_SOCIAL_SUPERVISION;
    bool lost = false;
    for (int i = 0; i < f->ncontact && f->contact[i].day <= w->d; i++) lost = f->contact[i].flag;
    bool team = stats_team_in_place(f, w->d), on_time = stats_talk_on_time(f, w->d);
    n[SS_LOST_CONTACT] = lost;
    n[SS_CONTROL_NUM] = !lost && team && on_time;
    n[SS_HELP_NUM] = team && se_any_in(f->talks, f->ntalks, w->f, w->t);
    bool due, missed;
    se_tests_due(f, w->f, w->t, &due, &missed);
    n[SS_TEST_DEN] = due;
    n[SS_TEST_NUM] = due && !missed;
    n[SS_COMPLETE_NUM] = stats_file_complete(f, st, w->d);
  }
  n[SS_NEW_FOUND] = f->found != STAT_NO_DAY && f->found >= w->f && f->found <= w->t;
  n[SS_RELAPSED] = se_any_in(f->positives, f->npositives, w->f, w->t);
  n[SS_OFFENDED] = se_any_in(f->offences, f->noffences, w->f, w->t);
  n[SS_TESTED] = se_any_in(f->tests, f->ntests, w->f, w->t);
  for (int i = 0; i < f->norders; i++)
    if (f->orders[i].day >= w->f && f->orders[i].day <= w->t) {
      n[SS_REPORT_DEN]++;
      n[SS_REPORT_NUM] += f->orders[i].flag;
    }
  for (int i = 0; i < f->nreleases; i++)
    if (f->releases[i].day >= w->f && f->releases[i].day <= w->t) {
      n[SS_PICKUP_DEN]++;
      n[SS_PICKUP_NUM] += f->releases[i].flag;
    }
}

/* ---- periods ------------------------------------------------------------------ */

/* The months a period kind spans (0 for custom). */
static int sp_months(StatPeriodKind k) {
  switch (k) {
  case SP_MONTH: return 1;
  case SP_QUARTER: return 3;
  case SP_HALF: return 6;
  case SP_YEAR: return 12;
  default: return 0;
  }
}

/* Fills out with the period of kind k starting on the first of month m of y. */
static bool sp_calendar(StatPeriodKind k, int y, int m, StatPeriod *out) {
  if (!date_valid_ymd(y, m, 1)) return false;
  out->kind = k;
  out->f = date_from_ymd(y, m, 1);
  Day next = date_add_months(out->f, sp_months(k));
  out->t = next - 1;
  int ty, tm, td;
  date_to_ymd(next, &ty, &tm, &td);
  return ty <= 2199;
}

bool stats_period_parse(const char *s, StatPeriod *out) {
  if (!s) return false;
  size_t n = strlen(s);
  if (n < 4) return false;
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  if (n == 4) return sp_calendar(SP_YEAR, y, 1, out);
  if (n == 6 && (s[4] == 'Q' || s[4] == 'q') && s[5] >= '1' && s[5] <= '4')
    return sp_calendar(SP_QUARTER, y, (s[5] - '1') * 3 + 1, out);
  if (n == 6 && (s[4] == 'H' || s[4] == 'h') && s[5] >= '1' && s[5] <= '2')
    return sp_calendar(SP_HALF, y, (s[5] - '1') * 6 + 1, out);
  if (n == 7 && s[4] == '-' && s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9') {
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12 && sp_calendar(SP_MONTH, y, m, out);
  }
  return false;
}

void stats_period_format(const StatPeriod *p, char out[32]) {
  int y, m, d;
  date_to_ymd(p->f, &y, &m, &d);
  switch (p->kind) {
  case SP_YEAR: snprintf(out, 32, "%04d", y); break;
  case SP_HALF: snprintf(out, 32, "%04dH%d", y, m <= 6 ? 1 : 2); break;
  case SP_QUARTER: snprintf(out, 32, "%04dQ%d", y, (m - 1) / 3 + 1); break;
  case SP_MONTH: snprintf(out, 32, "%04d-%02d", y, m); break;
  default: {
    char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
    date_format(p->f, a);
    date_format(p->t, b);
    snprintf(out, 32, "%s~%s", a, b);
  }
  }
}

void stats_period_previous(const StatPeriod *p, StatPeriod *out) {
  out->kind = p->kind;
  int k = sp_months(p->kind);
  out->t = p->f - 1;
  out->f = k ? date_add_months(p->f, -k) : p->f - (p->t - p->f + 1);
}

/* true when d is the last day of its month. */
static bool sp_month_end(Day d) {
  int y, m, dd;
  date_to_ymd(d, &y, &m, &dd);
  return dd == date_days_in_month(y, m);
}

void stats_period_year_ago(const StatPeriod *p, StatPeriod *out) {
  out->kind = p->kind;
  out->f = date_add_years(p->f, -1);
  out->t = date_add_years(p->t, -1);
  if (sp_month_end(p->t)) {
    int y, m, d;
    date_to_ymd(out->t, &y, &m, &d);
    out->t = date_from_ymd(y, m, date_days_in_month(y, m));
  }
}

Day stats_period_shift_day(const StatPeriod *p, const StatPeriod *q, Day d) { return d - p->t + q->t; }

/* ---- marks ------------------------------------------------------------------------ */

unsigned stats_facts_marks(const StatFacts *f) {
  assert(!f->partial);
  unsigned m = 0;
  for (int i = 0; i < f->ncontact; i++)
    if (f->contact[i].flag) m |= STAT_MARK_LOST;
  if (f->npositives) m |= STAT_MARK_POSITIVE;
  if (f->noffences) m |= STAT_MARK_OFFENCE;
  return m;
}

unsigned stats_slot_mark(int slot) {
  switch (slot) {
  case SS_LOST_CONTACT: return STAT_MARK_LOST;   /* the last contact event by D was a loss */
  case SS_RELAPSED: return STAT_MARK_POSITIVE;   /* a positive test in [F, T] */
  case SS_OFFENDED: return STAT_MARK_OFFENCE;    /* an offence in [F, T] */
  default: return 0;
  }
}
