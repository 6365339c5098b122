/* app/gen.c: owns synthetic data (see app/gen.h): the splitmix64 PRNG, the
 * character lists that fictional names are drawn from, ID numbers, drug
 * types, the status-history model (which next status, after how long), the
 * supervision-history model (a help team following the schedule rule:
 * talks, tests and their results, extra contacts, lost contact, absences,
 * release notices), and `jindu gen`: the synthetic org tree, the mapping
 * of a person's row id to a unique ID number, the calibration of the
 * history volume, the per-person record with its derived fields computed
 * by supervision_compute from the history it writes, and the batched bulk
 * load (a generating thread, a writing one). */
#include "app/gen.h"
#include "app/casework.h"
#include <assert.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/audit.h"
#include "core/division.h"
#include "core/buf.h"
#include "core/deadline.h"
#include "core/derived.h"
#include "core/risk.h"
#include "core/stats.h"
#include "core/person_field.h"
#include "app/schedule_rule.h"
#include "app/supervision_doctor.h"
#include "store/dataset.h"
#include "store/gen.h"
#include "store/org.h"
#include "store/person.h"
#include "store/supervision.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG ------------------------------------------------------------- */

uint64_t gen_rng_next(GenRng *r) {
  /* splitmix64 (Steele, Lea, Flood 2014): a Weyl sequence through a
   * 64-bit finaliser; every 64-bit state gives a full-period stream. */
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void gen_rng_init(GenRng *r, uint64_t seed, uint64_t stream) {
  /* Mix seed and stream through the generator so that neighbouring
   * streams start far apart. */
  GenRng m = {seed ^ 0x6A09E667F3BCC909ull};
  uint64_t a = gen_rng_next(&m);
  m.state ^= stream * 0xD1B54A32D192ED03ull;
  r->state = a ^ gen_rng_next(&m);
}

uint32_t gen_rng_below(GenRng *r, uint32_t n) {
  assert(n > 0);
  /* Multiply-shift (Lemire); the bias for n far below 2^32 is negligible
   * for synthetic data. */
  return (uint32_t)(((gen_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int gen_rng_between(GenRng *r, int lo, int hi) {
  assert(lo <= hi);
  return lo + (int)gen_rng_below(r, (uint32_t)(hi - lo) + 1);
}

bool gen_rng_percent(GenRng *r, int pct) { return (int)gen_rng_below(r, 100) < pct; }

size_t gen_rng_weighted(GenRng *r, const int *weights, size_t n) {
  int total = 0;
  for (size_t i = 0; i < n; i++) total += weights[i];
  assert(total > 0);
  int x = (int)gen_rng_below(r, (uint32_t)total);
  for (size_t i = 0; i < n; i++) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return n - 1;
}

/* ---- names ------------------------------------------------------------ */

/* Common surnames, the most frequent first. */
static const char *const SURNAMES[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
  "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
  "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
  "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白",
  "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺",
  "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
};
/* Given-name characters: more often for men, for women, and for either. */
static const char *const GIVEN_M[] = {
  "伟", "强", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波",
  "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "磊", "东", "峰", "亮", "成", "建", "志",
  "国", "文", "海", "晨", "阳", "武",
};
static const char *const GIVEN_F[] = {
  "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莹", "琳", "红", "梅",
  "倩", "颖", "洁", "萍", "月", "丹", "琴", "云", "兰", "欣", "悦",
};
static const char *const GIVEN_X[] = {
  "小", "佳", "子", "雨", "春", "秋", "新", "永", "天", "金", "玉", "嘉", "思", "一",
};

/* A given-name character for sex. */
static const char *gen_given(GenRng *r, char sex) {
  if (gen_rng_percent(r, 25)) return GIVEN_X[gen_rng_below(r, NELEM(GIVEN_X))];
  if (sex == 'F') return GIVEN_F[gen_rng_below(r, NELEM(GIVEN_F))];
  return GIVEN_M[gen_rng_below(r, NELEM(GIVEN_M))];
}

void gen_name_with_surname(GenRng *r, const char *surname, char sex, char out[GEN_NAME_MAX]) {
  const char *a = gen_given(r, sex);
  if (gen_rng_percent(r, 35)) snprintf(out, GEN_NAME_MAX, "%s%s", surname, a);
  else snprintf(out, GEN_NAME_MAX, "%s%s%s", surname, a, gen_given(r, sex));
}

void gen_name(GenRng *r, char sex, char out[GEN_NAME_MAX]) {
  /* Half the draws from the 20 most common surnames: a skew like the real
   * distribution, so that prefix searches return realistic sets. */
  size_t n = gen_rng_percent(r, 50) ? 20 : NELEM(SURNAMES);
  gen_name_with_surname(r, SURNAMES[gen_rng_below(r, (uint32_t)n)], sex, out);
}

void gen_surname_of(const char *name, char out[8]) {
  size_t n = 1;
  unsigned char c = (unsigned char)name[0];
  if (c >= 0xF0) n = 4;
  else if (c >= 0xE0) n = 3;
  else if (c >= 0xC0) n = 2;
  else if (c == 0) n = 0;
  memcpy(out, name, n);
  out[n] = 0;
}

/* ---- ID numbers, drugs ------------------------------------------------- */

Day gen_reference_day(void) {
  Day d = 0;
  bool ok = date_parse(GEN_REFERENCE_DATE, &d);
  assert(ok);
  (void)ok;
  return d;
}

void gen_id_number(const char *region6, Day birth, int seq, char out[IDCARD_MASKED_LEN]) {
  assert(strlen(region6) == 6 && seq >= 0 && seq <= 999);
  int y, m, d;
  date_to_ymd(birth, &y, &m, &d);
  snprintf(out, IDCARD_MASKED_LEN, "%.6s%04d%02d%02d%03d", region6, y, m, d, seq);
  out[17] = idcard_check_char(out);
  out[18] = 0;
}

const char *gen_drug_types(GenRng *r, int birth_year) {
  static const char *const OLDER[] = {"heroin", "methamphetamine", "heroin,methamphetamine", "opium,heroin",
                                      "ketamine", "other"};
  static const int OLDER_W[] = {40, 32, 18, 4, 4, 2};
  static const char *const YOUNGER[] = {"methamphetamine", "methamphetamine,ketamine", "ketamine", "heroin",
                                        "nps", "mdma,ketamine", "cannabis", "methamphetamine,nps", "cocaine"};
  static const int YOUNGER_W[] = {50, 10, 11, 7, 8, 5, 5, 3, 1};
  if (birth_year < 1975) return OLDER[gen_rng_weighted(r, OLDER_W, NELEM(OLDER_W))];
  return YOUNGER[gen_rng_weighted(r, YOUNGER_W, NELEM(YOUNGER_W))];
}

/* ---- status histories --------------------------------------------------- */

/* One possible next step: from a status (after: the status before it, for
 * detention; ST_NONE otherwise), the next status (ST_NONE: nothing follows,
 * the current episode goes on), its weight, and when it comes: `years`
 * after the start exactly (the legal length ran out) when years > 0, else
 * between min_days and max_days after the start. */
typedef struct GenStep {
  Status from, after, to;
  int weight;
  int years;
  int min_days, max_days;
} GenStep;

/* The steps, those of one status (and status before) together. Dead: none. */
static const GenStep STEPS[] = {
  /* from no status: the first episode, on the day the person is found */
  {ST_NONE, ST_NONE, ST_SOCIAL_SUPERVISION, 45, 0, 0, 0},
  {ST_NONE, ST_NONE, ST_COMMUNITY_DETOX, 35, 0, 0, 0},
  {ST_NONE, ST_NONE, ST_COMPULSORY_ISOLATION, 12, 0, 0, 0},
  {ST_NONE, ST_NONE, ST_DETAINED, 5, 0, 0, 0},
  {ST_NONE, ST_NONE, ST_IMPRISONED, 3, 0, 0, 0},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_ABSTINENT_3Y, 45, 3, 0, 0},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_COMPULSORY_ISOLATION, 25, 0, 90, 1000},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_SOCIAL_SUPERVISION, 4, 0, 180, 900},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_DETAINED, 10, 0, 30, 1000},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_IMPRISONED, 8, 0, 90, 1000},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_DEAD, 4, 0, 30, 1080},
  {ST_COMMUNITY_DETOX, ST_NONE, ST_EMIGRATED, 4, 0, 30, 1080},
  {ST_COMPULSORY_ISOLATION, ST_NONE, ST_COMMUNITY_REHAB, 80, 0, 365, 730},
  {ST_COMPULSORY_ISOLATION, ST_NONE, ST_SOCIAL_SUPERVISION, 8, 2, 0, 0},
  {ST_COMPULSORY_ISOLATION, ST_NONE, ST_IMPRISONED, 8, 0, 90, 600},
  {ST_COMPULSORY_ISOLATION, ST_NONE, ST_DEAD, 4, 0, 30, 700},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_ABSTINENT_3Y, 55, 3, 0, 0},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_COMPULSORY_ISOLATION, 20, 0, 90, 1000},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_SOCIAL_SUPERVISION, 3, 0, 180, 900},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_DETAINED, 10, 0, 30, 1000},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_IMPRISONED, 7, 0, 90, 1000},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_DEAD, 3, 0, 30, 1080},
  {ST_COMMUNITY_REHAB, ST_NONE, ST_EMIGRATED, 2, 0, 30, 1080},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_ABSTINENT_3Y, 50, 3, 0, 0},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_COMMUNITY_DETOX, 25, 0, 60, 900},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_COMPULSORY_ISOLATION, 10, 0, 60, 900},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_DETAINED, 8, 0, 30, 1000},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_IMPRISONED, 4, 0, 90, 1000},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_DEAD, 2, 0, 30, 1080},
  {ST_SOCIAL_SUPERVISION, ST_NONE, ST_EMIGRATED, 1, 0, 30, 1080},
  /* Detention pauses a community order: afterwards the order resumes, or
   * something harder follows; chosen by the status before the detention
   * (ST_NONE: any other). */
  {ST_DETAINED, ST_COMMUNITY_DETOX, ST_COMMUNITY_DETOX, 60, 0, 5, 15},
  {ST_DETAINED, ST_COMMUNITY_DETOX, ST_COMPULSORY_ISOLATION, 25, 0, 5, 15},
  {ST_DETAINED, ST_COMMUNITY_DETOX, ST_IMPRISONED, 15, 0, 10, 30},
  {ST_DETAINED, ST_COMMUNITY_REHAB, ST_COMMUNITY_REHAB, 60, 0, 5, 15},
  {ST_DETAINED, ST_COMMUNITY_REHAB, ST_COMPULSORY_ISOLATION, 25, 0, 5, 15},
  {ST_DETAINED, ST_COMMUNITY_REHAB, ST_IMPRISONED, 15, 0, 10, 30},
  {ST_DETAINED, ST_NONE, ST_SOCIAL_SUPERVISION, 45, 0, 5, 15},
  {ST_DETAINED, ST_NONE, ST_COMMUNITY_DETOX, 30, 0, 5, 15},
  {ST_DETAINED, ST_NONE, ST_COMPULSORY_ISOLATION, 20, 0, 5, 15},
  {ST_DETAINED, ST_NONE, ST_IMPRISONED, 5, 0, 10, 30},
  {ST_IMPRISONED, ST_NONE, ST_SOCIAL_SUPERVISION, 55, 0, 180, 1800},
  {ST_IMPRISONED, ST_NONE, ST_COMMUNITY_DETOX, 30, 0, 180, 1800},
  {ST_IMPRISONED, ST_NONE, ST_COMPULSORY_ISOLATION, 15, 0, 180, 1800},
  {ST_ABSTINENT_3Y, ST_NONE, ST_NONE, 65, 0, 0, 0},
  {ST_ABSTINENT_3Y, ST_NONE, ST_COMMUNITY_DETOX, 10, 0, 180, 3000},
  {ST_ABSTINENT_3Y, ST_NONE, ST_COMPULSORY_ISOLATION, 8, 0, 180, 3000},
  {ST_ABSTINENT_3Y, ST_NONE, ST_SOCIAL_SUPERVISION, 5, 0, 180, 3000},
  {ST_ABSTINENT_3Y, ST_NONE, ST_DETAINED, 4, 0, 180, 3000},
  {ST_ABSTINENT_3Y, ST_NONE, ST_IMPRISONED, 3, 0, 180, 3000},
  {ST_ABSTINENT_3Y, ST_NONE, ST_DEAD, 3, 0, 180, 3000},
  {ST_ABSTINENT_3Y, ST_NONE, ST_EMIGRATED, 2, 0, 180, 3000},
  {ST_EMIGRATED, ST_NONE, ST_NONE, 80, 0, 0, 0},
  {ST_EMIGRATED, ST_NONE, ST_SOCIAL_SUPERVISION, 10, 0, 180, 1800},
  {ST_EMIGRATED, ST_NONE, ST_COMMUNITY_DETOX, 5, 0, 180, 1800},
  {ST_EMIGRATED, ST_NONE, ST_DEAD, 5, 0, 180, 1800},
};

/* The steps of status s (before: the status before s, for detention);
 * NULL with *n 0 when nothing follows (dead). */
static const GenStep *gen_steps(Status s, Status before, size_t *n) {
  Status after = s == ST_DETAINED && (before == ST_COMMUNITY_DETOX || before == ST_COMMUNITY_REHAB) ? before : ST_NONE;
  size_t i = 0, k = 0;
  while (i < NELEM(STEPS) && !(STEPS[i].from == s && STEPS[i].after == after)) i++;
  while (i + k < NELEM(STEPS) && STEPS[i + k].from == s && STEPS[i + k].after == after) k++;
  *n = k;
  return k ? &STEPS[i] : NULL;
}

/* Draws one step from a table. */
static const GenStep *gen_pick(GenRng *r, const GenStep *steps, size_t n) {
  int w[16];
  assert(n <= NELEM(w));
  for (size_t i = 0; i < n; i++) w[i] = steps[i].weight;
  return &steps[gen_rng_weighted(r, w, n)];
}

/* Fills the start of an episode decided on ep->decision: a community order
 * takes effect when the person reports (1-14 days later; not yet when that
 * is after ref), isolation within 2 days, the rest on the day. */
static void gen_start(GenRng *r, GenEpisode *ep, Day ref) {
  int delay = 0;
  if (status_is_community_order(ep->status)) delay = gen_rng_between(r, 1, 14);
  else if (ep->status == ST_COMPULSORY_ISOLATION) delay = gen_rng_between(r, 0, 2);
  ep->start = ep->decision + delay;
  ep->has_start = ep->start <= ref;
  if (!ep->has_start && !status_is_community_order(ep->status)) {
    ep->start = ref; /* only a community order may wait for its start */
    ep->has_start = true;
  }
}

int gen_history(GenRng *r, Day found, Day ref, int max_episodes, GenEpisode *out) {
  assert(found <= ref && max_episodes >= 1 && max_episodes <= GEN_HISTORY_MAX - 2);
  /* The whole life of the file, from the finding to ref; only the latest
   * GEN_HISTORY_MAX episodes are held (older ones slide out). */
  GenEpisode all[GEN_HISTORY_MAX];
  int n = 0;
  GenEpisode *ep = &all[n++];
  size_t nfirst;
  const GenStep *firsts = gen_steps(ST_NONE, ST_NONE, &nfirst);
  ep->status = gen_pick(r, firsts, nfirst)->to;
  ep->decision = found;
  gen_start(r, ep, ref);
  for (;;) { /* ends: every step moves forward in time, and ref is fixed */
    if (n == GEN_HISTORY_MAX) {
      memmove(all, all + 1, sizeof *all * (GEN_HISTORY_MAX - 1));
      n--;
    }
    GenEpisode *cur = &all[n - 1];
    if (!cur->has_start) break; /* waiting for the person to report */
    size_t ns;
    const GenStep *steps = gen_steps(cur->status, n >= 2 ? all[n - 2].status : ST_NONE, &ns);
    if (!steps) break;
    const GenStep *s = gen_pick(r, steps, ns);
    if (s->to == ST_NONE) break;
    Day next = s->years > 0 ? date_add_years(cur->start, s->years)
                            : cur->start + gen_rng_between(r, s->min_days, s->max_days);
    if (next <= cur->start) next = cur->start + 1;
    if (next > ref) break; /* the current episode runs on past ref */
    assert(status_transition_allowed(cur->status, s->to));
    GenEpisode *nx = &all[n++];
    nx->status = s->to;
    nx->decision = next;
    gen_start(r, nx, ref);
  }
  /* Keep the latest max_episodes (what the system recorded; the finding
   * stays as first_found_date). A first recorded episode must be allowed
   * from no status, so a kept history never starts with death or
   * emigration: the episode before is kept too. */
  int first = n > max_episodes ? n - max_episodes : 0;
  while (first > 0 && !status_transition_allowed(ST_NONE, all[first].status)) first--;
  memcpy(out, all + first, sizeof *out * (size_t)(n - first));
  return n - first;
}

/* ---- supervision histories ------------------------------------------------ */

void gen_sup_clear(GenSup *s) { s->ncontacts = s->nevents = 0; }

void gen_sup_free(GenSup *s) {
  free(s->contacts);
  free(s->events);
  memset(s, 0, sizeof *s);
}

GenContact *gen_sup_contact(GenSup *s, Day date) {
  s->contacts = array_grow(s->contacts, s->ncontacts, &s->cap_contacts, sizeof *s->contacts);
  GenContact *x = memset(&s->contacts[s->ncontacts++], 0, sizeof(GenContact));
  x->date = date;
  return x;
}

GenEvent *gen_sup_event(GenSup *s, const char *kind, Day date) {
  s->events = array_grow(s->events, s->nevents, &s->cap_events, sizeof *s->events);
  GenEvent *x = memset(&s->events[s->nevents++], 0, sizeof(GenEvent));
  x->kind = kind;
  x->date = date;
  x->note = "";
  return x;
}

/* Places and notes of talks/visits by kind. */
static const char *const GS_PLACE_TALK[] = {"社区禁毒工作站", "社区警务室", "社区居委会谈话室"};
static const char *const GS_PLACE_HOME[] = {"本人住所", "本人住所（家属在场）", "务工单位"};
static const char *const GS_NOTES_TALK[] = {
  "了解近期生活和工作情况，进行禁毒法制教育，本人表示能遵守协议。",
  "谈心谈话，情绪稳定，提醒按时接受尿检。",
  "告知社区戒毒（康复）相关规定，本人表示理解。",
  "了解家庭情况和交往对象，未发现异常。",
  "",
};
static const char *const GS_NOTES_HOME[] = {
  "入户走访，与家属交流，家属反映近期表现正常。",
  "走访住所，本人在家，居住环境整洁。",
  "走访时本人外出务工，向家属了解情况。",
  "",
};
static const char *const GS_NOTES_PHONE[] = {"电话联系，本人在外务工，约定近期到社区尿检。",
                                              "电话回访，近况正常。", ""};
#define GS_PICK(a) ((a)[gen_rng_below(r, NELEM(a))])

/* The team's habit: when it acts around a due day, and how often an
 * occasion slips by without a record (per mille). */
typedef struct GsHabit {
  int early, late, skip;
} GsHabit;
static const GsHabit GS_HABITS[] = {{14, 1, 10}, {7, 12, 30}, {2, 45, 80}};
static const int GS_HABIT_W[] = {55, 35, 10};

/* The person's compliance: per mille of tests absent, refused, positive;
 * per mille a year of losing contact and of leaving without permission. */
typedef struct GsCompliance {
  int absent, refused, positive, lost, absence;
} GsCompliance;
static const GsCompliance GS_GOOD = {15, 8, 15, 15, 20};
static const GsCompliance GS_POOR = {70, 40, 90, 80, 100};

/* The state of one person's simulation. Decisions (when, what result)
 * come from r; what only shows in a record (place, notes, sample) from a
 * stream seeded by the record's day; the extra contacts (days, kinds,
 * ranks) from extra, which nothing else reads: so what is kept does not
 * change what happens, and a kept part of a history is exactly the full
 * history filtered. */
typedef struct GsSim {
  GenRng *r;
  uint64_t detail_seed; /* of the per-record streams */
  GenRng extra;
  GenSup *out;
  const ScheduleRule *rule;
  Day ref;
  Day keep_from;       /* contacts before this day are not written */
  uint32_t extra_keep; /* extra contacts are written when their rank is below this */
  GsHabit habit;
  GsCompliance comp;
  RiskFactors base;   /* the facts that do not change during a run */
  int relapses;       /* positive tests so far */
  bool ever_lost;
  Day last_lost;      /* the day contact was last lost */
} GsSim;

/* The stream of the details of a record of kind what (a small number) on
 * day d. */
static GenRng gs_detail(const GsSim *g, Day d, uint64_t what) {
  GenRng r = {g->detail_seed ^ ((uint64_t)(uint32_t)d * 0x9E3779B97F4A7C15ull) ^ (what << 56)};
  gen_rng_next(&r);
  return r;
}

static bool gs_dynamic(Status s) {
  return s == ST_COMMUNITY_DETOX || s == ST_COMMUNITY_REHAB || s == ST_SOCIAL_SUPERVISION;
}

/* A visit of kind at day d, when kept (d on or after keep_from; an extra
 * one when its rank is below extra_keep). */
static void gs_visit(GsSim *g, Day d, const char *kind, bool extra, uint16_t rank) {
  if (d < g->keep_from || (extra && rank >= g->extra_keep)) return;
  GenRng dr = gs_detail(g, d, extra ? 2 : 1), *r = &dr;
  GenContact *x = gen_sup_contact(g->out, d);
  x->kind = kind;
  x->extra = extra;
  x->rank = rank;
  if (strcmp(kind, "phone") == 0) {
    x->place = "";
    x->notes = GS_PICK(GS_NOTES_PHONE);
  } else if (strcmp(kind, "home_visit") == 0) {
    x->place = GS_PICK(GS_PLACE_HOME);
    x->notes = GS_PICK(GS_NOTES_HOME);
  } else {
    x->place = GS_PICK(GS_PLACE_TALK);
    x->notes = GS_PICK(GS_NOTES_TALK);
  }
}

/* A drug test at day d: its result, written when kept. A positive result
 * under a community order opens the police task, told 1-10 days later. */
static const char *gs_test(GsSim *g, Day d, bool random, Status st) {
  static const char *const SAMPLES[] = {"urine", "hair", "saliva", "blood"};
  static const int SAMPLE_W[] = {88, 6, 5, 1};
  int x = (int)gen_rng_below(g->r, 1000);
  int pos = random ? g->comp.positive * 3 / 2 : g->comp.positive;
  const char *result = x < g->comp.absent                       ? "absent"
                       : x < g->comp.absent + g->comp.refused       ? "refused"
                       : x < g->comp.absent + g->comp.refused + pos ? "positive"
                                                                    : "negative";
  bool task = result[0] == 'p' && status_is_community_order(st);
  Day reported = task ? d + gen_rng_between(g->r, 1, 10) : 0;
  if (d < g->keep_from) return result;
  GenRng dr = gs_detail(g, d, random ? 4 : 3);
  GenContact *c = gen_sup_contact(g->out, d);
  c->is_test = true;
  c->sample = result[0] == 'a' ? "urine" : SAMPLES[gen_rng_weighted(&dr, SAMPLE_W, NELEM(SAMPLE_W))];
  c->reason = random ? "random" : "scheduled";
  c->result = result;
  c->police_task = task;
  c->reported = reported;
  return result;
}

/* The extra contacts (phone calls, visits in between: about monthly) of a
 * run before day until, from the extra stream only: none before floor
 * (the last action, or the end of a lost contact or pause), none in a
 * pause. */
static void gs_extras(GsSim *g, Day *extra_next, Day floor, Day until, const Day *pf, const Day *pt, int npause) {
  static const char *const KINDS[] = {"phone", "home_visit", "talk"};
  static const int KIND_W[] = {55, 35, 10};
  GenRng *x = &g->extra;
  for (int guard = 0; guard < 1000 && *extra_next < until; guard++) {
    if (*extra_next < floor) {
      *extra_next = floor + gen_rng_between(x, 0, 20);
      continue;
    }
    bool paused = false;
    for (int i = 0; i < npause; i++)
      if (*extra_next >= pf[i] && *extra_next < pt[i]) {
        *extra_next = pt[i] + gen_rng_between(x, 0, 5);
        paused = true;
      }
    if (paused) continue;
    uint16_t rank = (uint16_t)(gen_rng_next(x) >> 48);
    const char *kind = KINDS[gen_rng_weighted(x, KIND_W, NELEM(KIND_W))];
    gs_visit(g, *extra_next, kind, true, rank);
    *extra_next += gen_rng_between(x, 20, 45);
  }
}

/* A fast calendar for the simulation, which asks for months between days
 * and months later thousands of times a person: the year, month and day of
 * every day of GS_CAL_Y0..GS_CAL_Y1 and the first day of every month, in
 * tables built once; outside them, core/date.h. Same results. */
#define GS_CAL_Y0 1990
#define GS_CAL_Y1 2060
typedef struct GsYmd {
  int16_t y;
  int8_t m, d;
} GsYmd;
static GsYmd *gs_days;                                      /* by day - gs_day0 */
static Day gs_day0, gs_day1;                                /* the range of gs_days */
static Day gs_month0[(GS_CAL_Y1 - GS_CAL_Y0 + 1) * 12 + 1]; /* first day of each month */
static pthread_once_t gs_cal_once = PTHREAD_ONCE_INIT;

static void gs_cal_build(void) {
  gs_day0 = date_from_ymd(GS_CAL_Y0, 1, 1);
  gs_day1 = date_from_ymd(GS_CAL_Y1 + 1, 1, 1);
  gs_days = malloc(sizeof *gs_days * (size_t)(gs_day1 - gs_day0)); /* lives as long as the program */
  if (!gs_days) abort();
  for (int y = GS_CAL_Y0, k = 0; y <= GS_CAL_Y1; y++)
    for (int m = 1; m <= 12; m++, k++) {
      Day first = date_from_ymd(y, m, 1);
      gs_month0[k] = first;
      for (int d = 1, n = date_days_in_month(y, m); d <= n; d++)
        gs_days[first + d - 1 - gs_day0] = (GsYmd){(int16_t)y, (int8_t)m, (int8_t)d};
    }
  gs_month0[(GS_CAL_Y1 - GS_CAL_Y0 + 1) * 12] = gs_day1;
}

/* date_add_months(day, k). */
static Day gs_add_months(Day day, int k) {
  if (day < gs_day0 || day >= gs_day1) return date_add_months(day, k);
  GsYmd x = gs_days[day - gs_day0];
  int idx = (x.y - GS_CAL_Y0) * 12 + (x.m - 1) + k;
  if (idx < 0 || idx >= (GS_CAL_Y1 - GS_CAL_Y0 + 1) * 12) return date_add_months(day, k);
  int len = gs_month0[idx + 1] - gs_month0[idx];
  return gs_month0[idx] + (x.d <= len ? x.d : len) - 1;
}

/* schedule_months_between(a, b). */
static int gs_months_between(Day a, Day b) {
  if (b <= a) return 0;
  if (a < gs_day0 || b >= gs_day1) return schedule_months_between(a, b);
  GsYmd x = gs_days[a - gs_day0], y = gs_days[b - gs_day0];
  int k = (y.y - x.y) * 12 + (y.m - x.m);
  if (gs_add_months(a, k) > b) k--;
  return k;
}

/* The interval (months) of table t on day d for a clock started at start,
 * capped (0 = no cap): core/schedule.c's rule. */
static int gs_interval(const ScheduleTable *t, Day start, Day d, int cap, bool test) {
  int months = gs_months_between(start, d), i = 0;
  while (i < t->ntiers - 1 && months >= t->tiers[i].until_months) i++;
  int v = test ? t->tiers[i].test_months : t->tiers[i].talk_months;
  return cap > 0 && cap < v ? cap : v;
}

/* The cap of a risk level under rule r (core/schedule.c's rule). */
static int gs_cap(const ScheduleRule *r, RiskLevel risk) {
  int cap = 0;
  if (risk == RISK_HIGH || risk == RISK_MEDIUM) cap = r->medium_max_months;
  if (risk == RISK_HIGH && r->high_max_months > 0 && (cap == 0 || r->high_max_months < cap)) cap = r->high_max_months;
  return cap;
}

/* The risk level as the system would grade it on day d of a run. */
static RiskLevel gs_risk(const GsSim *g, Day clock, Day d, int missed, bool lost, bool serious) {
  RiskFactors f = g->base;
  f.relapse_count = g->relapses;
  f.months_abstinent = gs_months_between(clock, d);
  f.missed_tests = missed;
  f.lost_contact_recently = lost || (g->ever_lost && gs_add_months(g->last_lost, 12) >= d);
  f.serious_breach = serious;
  return risk_grade(&f, NULL);
}

/* Follows one run of status st from day a (the start) to b (exclusive: the
 * next decision, or ref + 1), paused over [pf[i], pt[i]) (detentions). */
static void gs_run(GsSim *g, Status st, Day a, Day b, const Day *pf, const Day *pt, int npause) {
  GenRng *r = g->r;
  if (b > g->ref + 1) b = g->ref + 1;
  if (b <= a) return;
  int len = b - a;
  double years = len / 365.25;
  /* Lost contact (found again after a while, or when the run ends), absence
   * without permission and leave: drawn for the run. */
  Day lost_at = 0, found_at = 0;
  int lost_pm = (int)(g->comp.lost * years);
  bool will_lose = len > 60 && (int)gen_rng_below(r, 1000) < (lost_pm < 500 ? lost_pm : 500);
  if (will_lose) {
    lost_at = a + gen_rng_between(r, 30, len - 1);
    found_at = gen_rng_percent(r, 75) ? lost_at + gen_rng_between(r, 7, 180) : INT32_MAX / 2;
    if (found_at > b) found_at = b; /* found when the next decision is made (or still lost at ref) */
  }
  int nabs = 0;
  while (nabs < 3 && (int)gen_rng_below(r, 1000) < (int)(g->comp.absence * years) / (nabs + 1)) {
    Day d = a + (Day)gen_rng_below(r, (uint32_t)len);
    if (will_lose && d >= lost_at && d < found_at) break;
    GenEvent *ev = gen_sup_event(g->out, "absence", d);
    ev->days = gen_rng_percent(r, 80) ? gen_rng_between(r, 1, 7) : gen_rng_between(r, 8, 35);
    ev->note = "未经批准离开居住地";
    nabs++;
  }
  for (int y = 0; y < (int)years + 1; y++) {
    if (!gen_rng_percent(r, 8)) continue;
    Day d = a + (Day)gen_rng_below(r, (uint32_t)len);
    if (will_lose && d >= lost_at && d < found_at) continue;
    GenEvent *ev = gen_sup_event(g->out, "leave", d);
    ev->has_until = true;
    ev->until = d + gen_rng_between(r, 1, 10);
    ev->note = ev->until - d + 1 >= 3 ? "回户籍地探亲，已书面报告" : "外出办事";
  }

  const ScheduleTable *table = schedule_table(g->rule, st);
  Day clock = a;
  bool has_test = false, has_talk = false;
  Day last_test = 0, last_talk = 0;
  int missed = 0, breach = 0; /* refused/absent since the clock; since the run start */
  bool lost = false, serious = false;
  int jt = gen_rng_between(r, -g->habit.early, g->habit.late); /* the team's offset to the next due day */
  int jk = gen_rng_between(r, -g->habit.early, g->habit.late);
  Day test_retry = 0;                            /* a failed or slipped test is tried again then */
  Day talk_first = a + gen_rng_between(r, 0, 3); /* the talk when the person reports */
  Day extra_next = a + gen_rng_between(&g->extra, 15, 45); /* the extra stream's own timeline */
  Day random_next = a + gen_rng_between(r, 60, 700);
  Day floor = a; /* nothing happens before this day: the last action, or the end of a pause */
  bool dirty = true; /* the due days need computing again */
  Day test_due = 0, talk_due = 0;
  for (int guard = 0; guard < 5000; guard++) {
    if (dirty) { /* as schedule_compute gives them */
      int cap = gs_cap(g->rule, gs_risk(g, clock, floor, missed, lost, serious));
      Day tb = has_test && last_test >= clock ? last_test : clock;
      Day kb = has_talk && last_talk >= clock ? last_talk : clock;
      test_due = gs_add_months(tb, gs_interval(table, clock, tb, cap, true));
      talk_due = gs_add_months(kb, gs_interval(table, clock, kb, cap, false));
      dirty = false;
    }
    Day test_at = test_due + jt, talk_at = has_talk ? talk_due + jk : talk_first;
    if (test_at < test_retry) test_at = test_retry;
    if (test_at < floor) test_at = floor;
    if (talk_at < floor) talk_at = floor;
    if (random_next < floor) random_next = floor + gen_rng_between(r, 30, 200);
    Day next = test_at;
    int what = 0; /* 0 test, 1 talk, 3 random test, 4 contact lost */
    if (talk_at < next) { next = talk_at; what = 1; }
    if (random_next < next) { next = random_next; what = 3; }
    if (will_lose && lost_at <= next) {
      Day l = lost_at > floor ? lost_at : floor;
      if (l < found_at) {
        next = l;
        what = 4;
      } else {
        will_lose = false; /* a detention took its place */
      }
    }
    gs_extras(g, &extra_next, floor, next < b ? next : b, pf, pt, npause);
    if (next >= b) break;
    /* A detention pauses everything until it ends. */
    bool paused = false;
    for (int i = 0; i < npause; i++)
      if (next >= pf[i] && next < pt[i]) {
        floor = pt[i] + gen_rng_between(r, 0, 3);
        paused = true;
      }
    if (paused) continue;
    floor = next;
    if (lost && next >= found_at) {
      lost = false;
      dirty = true;
    }
    switch (what) {
    case 0: { /* a scheduled test, or the occasion slips by unrecorded */
      if ((int)gen_rng_below(r, 1000) < g->habit.skip) {
        test_retry = next + gen_rng_between(r, 10, 40);
        break;
      }
      const char *result = gs_test(g, next, false, st);
      if (result[0] == 'n' || result[0] == 'p') {
        if (result[0] == 'p') { /* relapse: the abstinence clock restarts */
          g->relapses++;
          clock = next;
          missed = 0;
        }
        has_test = true;
        last_test = next;
        test_retry = 0;
        jt = gen_rng_between(r, -g->habit.early, g->habit.late);
      } else {
        missed++;
        breach++;
        test_retry = next + gen_rng_between(r, 3, 20);
      }
      dirty = true;
      break;
    }
    case 1: {
      static const char *const KINDS[] = {"talk", "home_visit", "office"};
      static const int KIND_W[] = {50, 35, 15};
      const char *kind = has_talk ? KINDS[gen_rng_weighted(r, KIND_W, NELEM(KIND_W))] : "office";
      gs_visit(g, next, kind, false, 0);
      has_talk = true;
      last_talk = next;
      jk = gen_rng_between(r, -g->habit.early, g->habit.late);
      dirty = true;
      break;
    }
    case 3: {
      const char *result = gs_test(g, next, true, st);
      if (result[0] == 'p') {
        g->relapses++;
        clock = next;
        missed = 0;
        dirty = true;
      } else if (result[0] != 'n') {
        missed++;
        breach++;
        dirty = true;
      }
      random_next = next + gen_rng_between(r, 90, 700);
      break;
    }
    default: /* contact lost until found_at */
      gen_sup_event(g->out, "lost_contact", next)->note = "多次联系不上，去向不明";
      lost = true;
      g->ever_lost = true;
      g->last_lost = next;
      will_lose = false;
      if (found_at < b && found_at <= g->ref) gen_sup_event(g->out, "found", found_at)->note = "已找回，恢复帮教";
      else if (found_at >= b && b <= g->ref) gen_sup_event(g->out, "found", b)->note = "由公安机关查获";
      floor = found_at + gen_rng_between(r, 0, 5);
      dirty = true;
      break;
    }
    serious = status_is_community_order(st) && breach >= BREACH_MIN_COUNT;
  }
}

void gen_sup_simulate(GenRng *r, const GenEpisode *hist, int nh, Day ref, const ScheduleRule *rule,
                      const GenSupPerson *p, Day keep_from, uint32_t extra_keep, GenSup *out) {
  pthread_once(&gs_cal_once, gs_cal_build);
  GsSim g = {.r = r, .out = out, .rule = rule, .ref = ref, .keep_from = keep_from, .extra_keep = extra_keep};
  g.detail_seed = gen_rng_next(r) ^ 0x44455441494Cull;
  g.extra.state = gen_rng_next(r) ^ 0x4558545241ull;
  g.habit = GS_HABITS[gen_rng_weighted(r, GS_HABIT_W, NELEM(GS_HABIT_W))];
  g.comp = gen_rng_percent(r, 85) ? GS_GOOD : GS_POOR;
  memset(&g.base, 0, sizeof g.base);
  /* The drug facts as core/risk.h counts them. */
  const char *t = p->drug_types ? p->drug_types : "";
  g.base.hard_drug = strstr(t, "heroin") || strstr(t, "opium") || strstr(t, "cocaine") || strstr(t, "nps");
  g.base.drug_kinds = *t ? 1 : 0;
  for (const char *q = t; *q; q++) g.base.drug_kinds += *q == ',';
  g.base.three_withouts = p->three_withouts;
  g.base.no_family_support = !p->family_support;
  for (int i = 0; i < nh; i++) {
    const GenEpisode *ep = &hist[i];
    if (ep->status == ST_COMPULSORY_ISOLATION) {
      g.base.isolation_count++;
      /* Release: the street is told (a task done when the person is
       * received) and receives the person; or, for a current isolation
       * ending soon, the open pickup task dated on the expected release. */
      if (i + 1 < nh && gs_dynamic(hist[i + 1].status)) {
        const GenEpisode *nx = &hist[i + 1];
        GenEvent *ev = gen_sup_event(out, "release_notice", nx->decision);
        ev->status = "done";
        ev->note = "强制隔离戒毒所通知出所日期";
        if (nx->has_start) gen_sup_event(out, "released", nx->decision)->note = "已到所接回";
      } else if (i + 1 == nh && ep->has_start) {
        Day end;
        if (status_planned_end(ep->status, ep->start, &end) && end > ref && end <= ref + 30) {
          GenEvent *ev = gen_sup_event(out, "release_notice", end);
          ev->status = "open";
          ev->note = "强制隔离戒毒所通知出所日期";
        }
      }
    }
    if (!gs_dynamic(ep->status) || !ep->has_start) continue;
    /* The run: this episode, extended over "detained, same status". */
    Day pf[GEN_HISTORY_MAX], pt[GEN_HISTORY_MAX];
    int np = 0, j = i;
    while (j + 2 < nh && hist[j + 1].status == ST_DETAINED && hist[j + 2].status == ep->status &&
           hist[j + 2].has_start) {
      pf[np] = hist[j + 1].decision;
      pt[np++] = hist[j + 2].start;
      j += 2;
    }
    Day b = j + 1 < nh ? hist[j + 1].decision : ref + 1;
    gs_run(&g, ep->status, ep->start, b, pf, pt, np);
    i = j;
  }
}

/* ---- `jindu gen`: lists for the record ---------------------------------- */

static const char *const STREET_NAMES[GEN_STREETS] = {
  "东风", "解放", "人民", "建设", "和平", "新华", "胜利", "光明", "红旗", "长青",
  "金桥", "花园", "滨河", "南湖", "北苑", "西城", "东城", "文昌", "兴隆", "永安",
};
static const char *const PLACE_A[] = {"东", "西", "南", "北", "新", "青", "金", "银", "翠", "龙",
                                      "凤", "桂", "松", "柳", "杨", "梅", "兰", "竹", "菊", "荷"};
static const char *const PLACE_B[] = {"湖", "山", "园", "苑", "桥", "港", "湾", "林", "华", "阳",
                                      "光", "兴", "安", "宁", "泉", "岭", "塘", "坪", "岗", "洲"};
/* Places outside the county (household registration of migrants). */
static const char *const ELSEWHERE[] = {
  "湖北省孝感市孝南区", "江西省赣州市章贡区", "四川省达州市通川区", "贵州省遵义市红花岗区",
  "广西壮族自治区玉林市玉州区", "河南省信阳市浉河区", "湖南省邵阳市双清区", "安徽省阜阳市颍州区",
};
/* Region codes (first six ID digits) of the synthetic county's persons. */
static const char *const GEN_REGIONS[] = {"430102", "430103", "430104", "430111"};
#define GEN_NREGIONS ((int)NELEM(GEN_REGIONS))

static const char *const ETHNICITIES[] = {"汉族", "土家族", "苗族", "回族", "壮族", "侗族"};
static const int ETHNICITY_W[] = {92, 3, 2, 1, 1, 1};
static const char *const EDUCATIONS[] = {"小学", "初中", "高中", "中专", "大专", "本科", "文盲"};
static const int EDUCATION_W[] = {14, 45, 17, 12, 7, 3, 2};
static const char *const MARITALS[] = {"未婚", "已婚", "离异", "丧偶"};
static const int MARITAL_W[] = {38, 35, 24, 3};
static const char *const EMPLOYMENTS[] = {"务工", "个体经营", "灵活就业", "企业职工", "自由职业", "务农"};
static const char *const FOUND_HOW[] = {"公安机关查获", "社区排查发现", "家属反映", "本人主动报告",
                                        "外地公安机关通报", "尿检筛查发现"};
static const int FOUND_HOW_W[] = {55, 15, 8, 4, 12, 6};
static const char *const FK_CONTACTS[] = {
  "与父母同住，平时与亲属联系较多。", "与配偶及子女同住。", "独居，与兄弟姐妹偶有联系。",
  "与母亲同住，父亲已故。", "租住，与朋友来往较多，需关注交往对象。",
};
static const char *const FK_ECONOMY[] = {
  "家庭经济一般，主要靠务工收入。", "家庭经济困难，享受最低生活保障。", "家庭经济较好。",
  "经济来源不稳定，依靠家人接济。",
};
static const char *const FK_MIND[] = {
  "情绪稳定，愿意配合帮教工作。", "思想有波动，对尿检有抵触情绪。", "悔过态度较好，希望尽快就业。",
  "情绪低落，需加强心理疏导。",
};
static const char *const FK_MOVES[] = {
  "近期无异常外出。", "常于夜间外出，去向需核实。", "在外地务工，每月返回一次。",
  "偶尔外出探亲，均事先报告。",
};
static const char *const TEAM_ROLES[] = {"social_worker", "police", "family", "cadre"}; /* core/casework.h codes */

/* A community of the synthetic tree. */
typedef struct GenComm {
  int64_t id;
  char path[ORG_PATH_MAX];
  char name[128];
  char street[128]; /* its street's name */
  int rule;         /* index of its schedule rule in the run's table */
} GenComm;

/* The ID number space: birth days 1960-01-01..2002-12-31, 500 sequences of
 * each sex parity per day, GEN_NREGIONS regions. */
#define GEN_BIRTH_DAYS 15706
#define GEN_ID_SLOTS ((int64_t)GEN_BIRTH_DAYS * 500 * GEN_NREGIONS)
#define GEN_SLOT_MULT 1000003 /* prime, coprime with GEN_ID_SLOTS */

/* Greatest common divisor (to check the multiplier once). */
static int64_t gen_gcd(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Region, birth day and sequence slot of person index g (= row id - 1):
 * g -> g * GEN_SLOT_MULT mod GEN_ID_SLOTS is a bijection, so distinct
 * indexes get distinct (region, birth, seq_half) and thus distinct ID
 * numbers whatever the sex (the sex only picks the parity). */
static void gen_slot(int64_t g, int *region, Day *birth, int *seq_half) {
  assert(g >= 0 && g < GEN_ID_SLOTS);
  int64_t slot = (int64_t)(((uint64_t)g * GEN_SLOT_MULT) % (uint64_t)GEN_ID_SLOTS);
  *birth = date_from_ymd(1960, 1, 1) + (Day)(slot % GEN_BIRTH_DAYS);
  int64_t rest = slot / GEN_BIRTH_DAYS;
  *seq_half = (int)(rest % 500);
  *region = (int)(rest / 500);
}

/* Formats a day into out. */
static void gen_iso(Day d, char out[DATE_ISO_LEN]) { date_format(d, out); }

/* ---- `jindu gen`: the org tree -------------------------------------------- */

/* Loads unit `code`, or creates it (name, level, under parent_id) when it
 * is missing. ERR_CONFLICT when it exists with another level or parent.
 * *created is incremented when it was made. */
static int gen_unit(Ctx *c, const char *code, const char *name, const char *level, int64_t parent_id,
                    OrgUnit *out, int64_t *created, Err *e) {
  int rc = store_org_by_code(c->db, code, out, e);
  if (rc == ERR_OK) {
    if (strcmp(out->level, level) != 0 || out->parent_id != parent_id)
      return err_set(e, ERR_CONFLICT, "合成数据的组织代码已被其他单位使用");
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  err_clear(e);
  if ((rc = store_org_insert(c->db, code, name, level, parent_id, c->now_iso, out, e)) != ERR_OK) return rc;
  (*created)++;
  return ERR_OK;
}

/* Makes sure the county, its streets and communities 0..ncomm-1 exist and
 * fills comms[] (ncomm entries) and *county. New communities get
 * population figures. Inside the caller's transaction. */
static int gen_tree(Ctx *c, int64_t ncomm, GenComm *comms, OrgUnit *county, int64_t *created, Err *e) {
  int rc = gen_unit(c, GEN_COUNTY_CODE, "合成测试区", "county", 0, county, created, e);
  if (rc != ERR_OK) return rc;
  OrgUnit streets[GEN_STREETS];
  bool have[GEN_STREETS] = {false};
  for (int64_t j = 0; j < ncomm; j++) {
    int s = (int)(j % GEN_STREETS);
    char code[64], name[128];
    if (!have[s]) {
      snprintf(code, sizeof code, "%s-S%02d", GEN_COUNTY_CODE, s + 1);
      snprintf(name, sizeof name, "%s%s", STREET_NAMES[s], s % 4 == 3 ? "镇" : "街道");
      if ((rc = gen_unit(c, code, name, "street", county->id, &streets[s], created, e)) != ERR_OK) return rc;
      have[s] = true;
    }
    snprintf(code, sizeof code, "%s-S%02d-C%04" PRId64, GEN_COUNTY_CODE, s + 1, j + 1);
    const char *kind = s % 4 == 3 ? "村" : "社区";
    int64_t k = j / (int64_t)NELEM(PLACE_A);
    if (j < (int64_t)(NELEM(PLACE_A) * NELEM(PLACE_B)))
      snprintf(name, sizeof name, "%s%s%s", PLACE_A[j % NELEM(PLACE_A)], PLACE_B[k % NELEM(PLACE_B)], kind);
    else
      snprintf(name, sizeof name, "%s%s第%" PRId64 "%s", PLACE_A[j % NELEM(PLACE_A)], PLACE_B[k % NELEM(PLACE_B)],
               j / (int64_t)(NELEM(PLACE_A) * NELEM(PLACE_B)) + 1, kind);
    int64_t before = *created;
    OrgUnit u;
    if ((rc = gen_unit(c, code, name, "community", streets[s].id, &u, created, e)) != ERR_OK) return rc;
    if (*created != before) {
      GenRng pr;
      gen_rng_init(&pr, 0x504F50ull, (uint64_t)j); /* population depends on the unit only */
      int64_t reg = gen_rng_between(&pr, 2000, 12000);
      int64_t flo = gen_rng_between(&pr, 200, 4000);
      int64_t vals[3] = {reg, reg - gen_rng_between(&pr, 0, reg / 5) + flo, flo};
      char year[8];
      snprintf(year, sizeof year, "%.4s", GEN_REFERENCE_DATE);
      if ((rc = store_dataset_population_put(c->db, u.id, year, vals, c->now_iso, e)) != ERR_OK) return rc;
    }
    GenComm *gc = &comms[j];
    gc->id = u.id;
    snprintf(gc->path, sizeof gc->path, "%s", u.path);
    snprintf(gc->name, sizeof gc->name, "%s", u.name);
    snprintf(gc->street, sizeof gc->street, "%s", streets[s].name);
  }
  /* the streets' and the county's population: the sums of their communities' */
  for (int s = 0; s < GEN_STREETS; s++)
    if (have[s] && (rc = store_dataset_population_sync(c->db, streets[s].id, false, e)) != ERR_OK) return rc;
  return store_dataset_population_sync(c->db, county->id, false, e);
}

/* ---- `jindu gen`: the run's state ------------------------------------------ */

#define GEN_CHUNK 1000 /* persons per buffer passed from the generating thread to the writing one */
#define GEN_NBUF 3      /* buffers in flight */
_Static_assert(GEN_BATCH % GEN_CHUNK == 0, "a batch is whole chunks");

/* Everything a run shares across its persons. */
typedef struct GenRun {
  Ctx *c;
  uint64_t seed;
  Day ref;
  GenComm *comms;
  int64_t ncomm;
  ScheduleRule *rules; /* the distinct schedule rules of the communities */
  int nrules;
  Day keep_from;       /* talks and tests are kept from this day on */
  uint32_t extra_keep; /* an extra contact is kept when its rank is below this (0..65536) */
  GenSup sup;          /* buffers reused from person to person */
  SupHistory h;
  StatFacts facts;     /* the person's statistical facts (core/stats.h), reused */
  Buf blob;            /* ... encoded */
  GenReport *out;
} GenRun;

/* Loads the schedule rule of every community (app_schedule_rule_resolve:
 * the one the writers and the doctor use) into the run's table. */
static int gen_rules(GenRun *g, Err *e) {
  for (int64_t j = 0; j < g->ncomm; j++) {
    ScheduleRule rule;
    if (app_schedule_rule_resolve(g->c->db, g->comms[j].id, &rule, e) != ERR_OK) return e->code;
    int k = 0;
    while (k < g->nrules && memcmp(&g->rules[k], &rule, sizeof rule) != 0) k++;
    if (k == g->nrules) {
      g->rules = realloc(g->rules, sizeof *g->rules * (size_t)(g->nrules + 1));
      if (!g->rules) abort();
      g->rules[g->nrules++] = rule;
    }
    g->comms[j].rule = k;
  }
  return ERR_OK;
}

/* ---- `jindu gen`: how much history ----------------------------------------- */

#define GEN_CAL_PERSONS 8000        /* persons simulated to calibrate the volume */
#define GEN_EXTRA_BASE 16384u       /* share of extra contacts kept (of 65536) once every day is kept */
#define GEN_HISTORY_EPOCH_Y 2008    /* no person is found before this year */

typedef struct GenCalItem {
  Day date;
  bool extra;
  uint16_t rank;
} GenCalItem;

/* The (keep_from, extra_keep) of volume level x: from 0 (nothing) to 1
 * (every day since the epoch kept, GEN_EXTRA_BASE of the extras) the window
 * grows back from ref; from 1 to 2 the share of extras grows to all. */
static void gen_level(double x, Day ref, Day *keep_from, uint32_t *extra_keep) {
  Day epoch = date_from_ymd(GEN_HISTORY_EPOCH_Y, 1, 1);
  if (x <= 1) {
    *keep_from = ref + 1 - (Day)(x * (double)(ref + 1 - epoch));
    *extra_keep = GEN_EXTRA_BASE;
  } else {
    *keep_from = epoch;
    double k = GEN_EXTRA_BASE + (65536.0 - GEN_EXTRA_BASE) * (x > 2 ? 1 : x - 1);
    *extra_keep = (uint32_t)k;
  }
}

/* Whether a simulated contact is kept under (keep_from, extra_keep). */
static bool gen_kept(Day date, bool extra, uint16_t rank, Day keep_from, uint32_t extra_keep) {
  return date >= keep_from && (!extra || rank < extra_keep);
}

/* Chooses how much of the simulated history to keep so that the persons
 * get `history` talks and tests on average: simulates GEN_CAL_PERSONS
 * persons drawn like gen_person's (their own fixed streams, so the choice
 * depends on history and the rule only) and bisects the level. */
static void gen_calibrate(GenRun *g, int history) {
  if (history <= 0) {
    g->keep_from = g->ref + 1;
    g->extra_keep = 0;
    return;
  }
  const ScheduleRule *rule = &g->rules[g->comms[0].rule];
  GenCalItem *items = NULL;
  size_t n = 0, cap = 0;
  GenSup sup = {0};
  Day from = date_from_ymd(GEN_HISTORY_EPOCH_Y, 1, 1);
  for (int i = 0; i < GEN_CAL_PERSONS; i++) {
    GenRng r;
    gen_rng_init(&r, 0xCA1B8A7Eull, (uint64_t)i);
    Day birth = date_from_ymd(1960, 1, 1) + (Day)gen_rng_below(&r, 15706);
    Day lo = date_add_years(birth, 16);
    if (lo < from) lo = from;
    Day found = lo + (Day)gen_rng_below(&r, (uint32_t)(g->ref - lo));
    GenEpisode hist[GEN_HISTORY_MAX];
    int nh = gen_history(&r, found, g->ref, gen_rng_between(&r, 1, 4), hist);
    int y, m, d;
    date_to_ymd(birth, &y, &m, &d);
    int nteam = gen_rng_between(&r, 1, 3), first = (int)gen_rng_below(&r, NELEM(TEAM_ROLES));
    bool family = false;
    for (int k = 0; k < nteam; k++) family |= sup_role_is_family(TEAM_ROLES[(first + k) % NELEM(TEAM_ROLES)]);
    GenSupPerson p = {gen_drug_types(&r, y), gen_rng_percent(&r, 10) ? 3 : gen_rng_percent(&r, 12) ? 1 : 0, family};
    gen_sup_clear(&sup);
    gen_sup_simulate(&r, hist, nh, g->ref, rule, &p, date_from_ymd(GEN_HISTORY_EPOCH_Y, 1, 1), 65536, &sup);
    for (int k = 0; k < sup.ncontacts; k++) {
      if (n == cap) {
        cap = cap ? cap * 2 : 65536;
        items = realloc(items, sizeof *items * cap);
        if (!items) abort();
      }
      const GenContact *x = &sup.contacts[k];
      items[n++] = (GenCalItem){x->date, x->extra, x->rank};
    }
  }
  gen_sup_free(&sup);
  double want = (double)history * GEN_CAL_PERSONS, lo = 0, hi = 2;
  for (int it = 0; it < 40; it++) {
    double mid = (lo + hi) / 2;
    Day kf;
    uint32_t ek;
    gen_level(mid, g->ref, &kf, &ek);
    size_t count = 0;
    for (size_t k = 0; k < n; k++) count += gen_kept(items[k].date, items[k].extra, items[k].rank, kf, ek);
    if ((double)count >= want) hi = mid;
    else lo = mid;
  }
  free(items);
  gen_level(hi, g->ref, &g->keep_from, &g->extra_keep);
}

/* ---- `jindu gen`: one person ---------------------------------------------- */

/* Grows an array of SupHistory (elements of size sz) to hold n. */
static void *gen_grow(void *arr, int n, int *cap, size_t sz) {
  if (n <= *cap) return arr;
  while (*cap < n) *cap = *cap ? *cap * 2 : 64;
  void *p = realloc(arr, sz * (size_t)*cap);
  if (!p) abort();
  return p;
}

/* Stable sort of events by date (insertion: lists are short and mostly in
 * order). */
static void gen_sort_events(GenEvent *ev, int n) {
  for (int i = 1; i < n; i++) {
    GenEvent x = ev[i];
    int j = i - 1;
    while (j >= 0 && ev[j].date > x.date) {
      ev[j + 1] = ev[j];
      j--;
    }
    ev[j + 1] = x;
  }
}

/* Keeps the contacts of g->sup that the run's level keeps, and adds the
 * events that app_test_add writes for a positive test: "relapse", and under
 * a community order the police_report task (done when a police_report
 * event on or after it, up to ref, closed it, as app_event_add does) with
 * that event. Then sorts the events by date (stable). */
static void gen_sup_keep(GenRun *g) {
  GenSup *s = &g->sup;
  int k = 0;
  int nev = s->nevents;
  for (int i = 0; i < s->ncontacts; i++) {
    GenContact x = s->contacts[i];
    if (!gen_kept(x.date, x.extra, x.rank, g->keep_from, g->extra_keep)) continue;
    s->contacts[k++] = x;
    if (!x.is_test || strcmp(x.result, "positive") != 0) continue;
    gen_sup_event(s, "relapse", x.date)->note = "尿检阳性";
    if (x.police_task) {
      GenEvent *t = gen_sup_event(s, "police_report", x.date);
      t->status = "open";
      t->note = "社区戒毒（康复）期间复吸，应报告公安机关";
      if (x.reported <= g->ref) gen_sup_event(s, "police_report", x.reported)->note = "已报告公安机关";
    }
  }
  s->ncontacts = k;
  /* Events before keep_from were not recorded either, but for what still
   * stands at ref: an open task, and a lost contact not found before
   * keep_from. */
  int m = 0;
  for (int i = 0; i < nev; i++) {
    GenEvent x = s->events[i];
    bool keep = x.date >= g->keep_from || (x.status && strcmp(x.status, "open") == 0);
    if (!keep && strcmp(x.kind, "lost_contact") == 0) {
      keep = true;
      for (int j = 0; j < nev; j++)
        if (strcmp(s->events[j].kind, "found") == 0 && s->events[j].date > x.date && s->events[j].date < g->keep_from)
          keep = false;
    }
    if (keep) s->events[m++] = x;
  }
  for (int i = nev; i < s->nevents; i++) s->events[m++] = s->events[i];
  s->nevents = m;
  nev = 0;
  /* A report closes every task open when it is made. */
  for (int i = nev; i < s->nevents; i++) {
    GenEvent *t = &s->events[i];
    if (!t->status || strcmp(t->kind, "police_report") != 0) continue;
    for (int j = nev; j < s->nevents; j++)
      if (!s->events[j].status && strcmp(s->events[j].kind, "police_report") == 0 && s->events[j].date >= t->date)
        t->status = "done";
  }
  gen_sort_events(s->events, s->nevents);
}

/* Fills g->h, the history as supervision_compute reads it from the
 * database, from what gen_person writes: episodes (ids in insertion
 * order), the kept contacts and the events in the order they are inserted
 * (by date, then insertion = id order). */
static void gen_sup_history(GenRun *g, int64_t id, int64_t org_id, const char *drugs, bool no_job,
                            bool no_home, bool no_income, bool family, const GenEpisode *hist, int nh,
                            char (*dec)[DATE_ISO_LEN], char (*start)[DATE_ISO_LEN], char (*end)[DATE_ISO_LEN]) {
  SupHistory *h = &g->h;
  sup_history_clear(h);
  h->person_id = id;
  h->org_id = org_id;
  snprintf(h->drug_types, sizeof h->drug_types, "%s", drugs);
  h->no_job = no_job;
  h->no_home = no_home;
  h->no_income = no_income;
  h->family_support = family;
  h->eps = gen_grow(h->eps, nh, &h->cap_eps, sizeof *h->eps);
  for (int i = 0; i < nh; i++) {
    SupEpisodeH *x = &h->eps[h->neps++];
    x->id = i + 1;
    x->corrects_id = 0;
    snprintf(x->status, sizeof x->status, "%s", status_code(hist[i].status));
    memcpy(x->decision_date, dec[i], DATE_ISO_LEN);
    memcpy(x->start_date, start[i], DATE_ISO_LEN);
    memcpy(x->planned_end, end[i], DATE_ISO_LEN);
    snprintf(x->created_at, sizeof x->created_at, "%s", g->c->now_iso);
  }
  const GenSup *s = &g->sup;
  h->visits = gen_grow(h->visits, s->ncontacts, &h->cap_visits, sizeof *h->visits);
  h->tests = gen_grow(h->tests, s->ncontacts, &h->cap_tests, sizeof *h->tests);
  for (int i = 0; i < s->ncontacts; i++) {
    const GenContact *x = &s->contacts[i];
    if (x->is_test) {
      SupTestH *t = &h->tests[h->ntests];
      t->id = ++h->ntests;
      t->corrects_id = 0;
      t->date = x->date;
      snprintf(t->reason, sizeof t->reason, "%s", x->reason);
      snprintf(t->result, sizeof t->result, "%s", x->result);
    } else {
      SupVisitH *v = &h->visits[h->nvisits];
      v->id = ++h->nvisits;
      v->corrects_id = 0;
      v->date = x->date;
    }
  }
  h->events = gen_grow(h->events, s->nevents, &h->cap_events, sizeof *h->events);
  for (int i = 0; i < s->nevents; i++) {
    const GenEvent *x = &s->events[i];
    SupEventH *v = &h->events[h->nevents];
    v->id = ++h->nevents;
    snprintf(v->kind, sizeof v->kind, "%s", x->kind);
    v->date = x->date;
    v->has_until = x->has_until;
    v->until = x->has_until ? x->until : 0;
    v->days = x->days;
    snprintf(v->status, sizeof v->status, "%s", x->status ? x->status : "");
  }
}

/* The first code of a comma-separated list of drug codes into out. */
static void gen_first_drug(const char *types, char out[32]) {
  size_t n = strcspn(types, ",");
  if (n >= 32) n = 31;
  memcpy(out, types, n);
  out[n] = 0;
}

/* Generates the person with row id `id` (index g = id - 1) of a run,
 * spread over the run's communities, with status history, team,
 * documents, and the talks, tests and events of its supervision, the
 * derived fields computed from that history by supervision_compute (as of
 * ref: every date but an expected release is on or before it) and stored
 * on the row: every row into bulk (no database access: this runs on the
 * generating thread). */
static void gen_person(GenRun *gr, GenBulk *bulk, int64_t id) {
  Ctx *c = gr->c;
  Day ref = gr->ref;
  int64_t g = id - 1;
  GenRng r;
  gen_rng_init(&r, gr->seed, (uint64_t)g);

  int region, seq_half;
  Day birth;
  gen_slot(g, &region, &birth, &seq_half);
  char sex = gen_rng_percent(&r, 86) ? 'M' : 'F';
  char idno[IDCARD_MASKED_LEN], birth_iso[DATE_ISO_LEN], name[GEN_NAME_MAX], phone[24];
  gen_id_number(GEN_REGIONS[region], birth, seq_half * 2 + (sex == 'M' ? 1 : 0), idno);
  gen_iso(birth, birth_iso);
  gen_name(&r, sex, name);
  snprintf(phone, sizeof phone, "13%09" PRId64, g % 1000000000);
  const GenComm *cm = &gr->comms[gen_rng_below(&r, (uint32_t)gr->ncomm)];

  /* Found at 16 or older, from 2008 on, before the reference day. */
  Day lo = date_add_years(birth, 16), from = date_from_ymd(GEN_HISTORY_EPOCH_Y, 1, 1);
  if (lo < from) lo = from;
  Day found = lo + (Day)gen_rng_below(&r, (uint32_t)(ref - lo));
  char found_iso[DATE_ISO_LEN];
  gen_iso(found, found_iso);
  GenEpisode hist[GEN_HISTORY_MAX];
  int nh = gen_history(&r, found, ref, gen_rng_between(&r, 1, 4), hist);

  /* Episodes as text. */
  char dec[GEN_HISTORY_MAX][DATE_ISO_LEN], start[GEN_HISTORY_MAX][DATE_ISO_LEN], end[GEN_HISTORY_MAX][DATE_ISO_LEN];
  char decno[GEN_HISTORY_MAX][40];
  int isolations = 0, detox = 0;
  for (int i = 0; i < nh; i++) {
    gen_iso(hist[i].decision, dec[i]);
    start[i][0] = end[i][0] = 0;
    if (hist[i].has_start) {
      gen_iso(hist[i].start, start[i]);
      Day pe;
      if (status_planned_end(hist[i].status, hist[i].start, &pe)) gen_iso(pe, end[i]);
    }
    int y, m, d;
    date_to_ymd(hist[i].decision, &y, &m, &d);
    snprintf(decno[i], sizeof decno[i], "禁决〔%d〕%u号", y, (unsigned)gen_rng_between(&r, 1, 9999));
    isolations += hist[i].status == ST_COMPULSORY_ISOLATION;
    detox += hist[i].status == ST_COMMUNITY_DETOX;
  }

  /* The case file. */
  int by, bm, bd, ry, rm, rd;
  date_to_ymd(birth, &by, &bm, &bd);
  date_to_ymd(ref, &ry, &rm, &rd);
  bool three_without = gen_rng_percent(&r, 10);
  bool no_job = three_without || gen_rng_percent(&r, 12);
  const char *education = EDUCATIONS[gen_rng_weighted(&r, EDUCATION_W, NELEM(EDUCATION_W))];
  const char *marital = MARITALS[gen_rng_weighted(&r, MARITAL_W, NELEM(MARITAL_W))];
  const char *employment = no_job ? "无业" : EMPLOYMENTS[gen_rng_below(&r, NELEM(EMPLOYMENTS))];
  char residence[200], household[200], basics[200], treatments[80];
  snprintf(residence, sizeof residence, "%.60s%.60s%d栋%d单元%d室", cm->street, cm->name, gen_rng_between(&r, 1, 40),
           gen_rng_between(&r, 1, 4), gen_rng_between(&r, 1, 18) * 100 + gen_rng_between(&r, 1, 4));
  int away = (int)gen_rng_below(&r, 100);
  if (away < 40) {
    snprintf(household, sizeof household, "%s", residence);
  } else if (away < 70) {
    const GenComm *o = &gr->comms[gen_rng_below(&r, (uint32_t)gr->ncomm)];
    snprintf(household, sizeof household, "%.60s%.60s%d号", o->street, o->name, gen_rng_between(&r, 1, 300));
  } else {
    snprintf(household, sizeof household, "%s%s%s村%d组", ELSEWHERE[gen_rng_below(&r, NELEM(ELSEWHERE))],
             PLACE_A[gen_rng_below(&r, NELEM(PLACE_A))], PLACE_B[gen_rng_below(&r, NELEM(PLACE_B))],
             gen_rng_between(&r, 1, 12));
  }
  int age = ry - by - ((rm < bm || (rm == bm && rd < bd)) ? 1 : 0);
  snprintf(basics, sizeof basics, "%d岁，%s文化，%s，%s。", age, education, marital, employment);
  treatments[0] = 0;
  if (isolations && detox) snprintf(treatments, sizeof treatments, "社区戒毒%d次，强制隔离戒毒%d次", detox, isolations);
  else if (isolations) snprintf(treatments, sizeof treatments, "强制隔离戒毒%d次", isolations);
  else if (detox) snprintf(treatments, sizeof treatments, "社区戒毒%d次", detox);

  GenPersonRow p = {.id = id, .org_id = cm->id, .org_path = cm->path, .now = c->now_iso};
  p.f[PF_NAME] = name;
  p.f[PF_SEX] = sex == 'M' ? "M" : "F";
  p.f[PF_ID_NUMBER] = idno;
  p.f[PF_BIRTH_DATE] = birth_iso;
  p.f[PF_PHONE] = phone;
  p.f[PF_ETHNICITY] = ETHNICITIES[gen_rng_weighted(&r, ETHNICITY_W, NELEM(ETHNICITY_W))];
  p.f[PF_EDUCATION] = education;
  p.f[PF_MARITAL] = marital;
  p.f[PF_EMPLOYMENT] = employment;
  p.f[PF_HOUSEHOLD_ADDRESS] = household;
  p.f[PF_RESIDENCE_ADDRESS] = residence;
  char household_div[DIVISION_LEN];
  division_from_id_number(idno, household_div); /* as a registration prefills it */
  p.f[PF_HOUSEHOLD_DIVISION] = household_div;
  p.f[PF_DRUG_TYPES] = gen_drug_types(&r, by);
  p.f[PF_FIRST_FOUND_DATE] = found_iso;
  p.f[PF_FOUND_HOW] = FOUND_HOW[gen_rng_weighted(&r, FOUND_HOW_W, NELEM(FOUND_HOW_W))];
  p.f[PF_PREVIOUS_TREATMENTS] = treatments;
  p.f[PF_NO_JOB] = no_job ? "1" : "0";
  p.f[PF_NO_HOME] = three_without ? "1" : "0";
  p.f[PF_NO_INCOME] = three_without ? "1" : "0";
  p.f[PF_FK_BASICS] = basics;
  p.f[PF_FK_CONTACTS] = FK_CONTACTS[gen_rng_below(&r, NELEM(FK_CONTACTS))];
  p.f[PF_FK_FAMILY_ECONOMY] = three_without ? FK_ECONOMY[1] : FK_ECONOMY[gen_rng_below(&r, NELEM(FK_ECONOMY))];
  p.f[PF_FK_STATE_OF_MIND] = FK_MIND[gen_rng_below(&r, NELEM(FK_MIND))];
  p.f[PF_FK_MOVEMENTS] = FK_MOVES[gen_rng_below(&r, NELEM(FK_MOVES))];

  /* Help team: 1-3 members, the family member sharing the surname; on
   * the team since the person was found. */
  char team_since[40];
  snprintf(team_since, sizeof team_since, "%sT09:00:00+08:00", found_iso);
  int nteam = gen_rng_between(&r, 1, 3);
  int first_role = (int)gen_rng_below(&r, NELEM(TEAM_ROLES));
  char surname[8];
  gen_surname_of(name, surname);
  char mname[3][GEN_NAME_MAX], mphone[3][24];
  bool family = false;
  for (int i = 0; i < nteam; i++) {
    const char *role = TEAM_ROLES[(first_role + i) % NELEM(TEAM_ROLES)];
    char msex = gen_rng_percent(&r, 50) ? 'M' : 'F';
    if (strcmp(role, "family") == 0) gen_name_with_surname(&r, surname, msex, mname[i]);
    else gen_name(&r, msex, mname[i]);
    snprintf(mphone[i], sizeof mphone[i], "139%08u", (unsigned)gen_rng_below(&r, 100000000));
    family |= sup_role_is_family(role);
  }

  /* Supervision: talks, tests and events (a stream of their own), the part
   * of them the run keeps, and every derived field computed from it. */
  GenRng rs;
  gen_rng_init(&rs, gr->seed ^ 0x5355504552ull, (uint64_t)g);
  GenSupPerson sp = {p.f[PF_DRUG_TYPES], (int)no_job + 2 * (int)three_without, family};
  gen_sup_clear(&gr->sup);
  const ScheduleRule *rule = &gr->rules[cm->rule];
  gen_sup_simulate(&rs, hist, nh, ref, rule, &sp, gr->keep_from, gr->extra_keep, &gr->sup);
  gen_sup_keep(gr);
  gen_sup_history(gr, id, cm->id, p.f[PF_DRUG_TYPES], no_job, three_without, three_without, family, hist, nh, dec,
                  start, end);
  SupComputed comp;
  supervision_compute(&gr->h, rule, ref, &comp);
  p.derived = &comp.d;

  /* The agreement of a current community order that has started. */
  const GenEpisode *last = &hist[nh - 1];
  bool agreement = status_is_community_order(last->status) && last->has_start;
  /* The unit history (this unit since always) and the statistical facts,
   * as stats_refresh computes them from the rows written here (the unit's
   * casework rule: none is set in a generated database, so 四位一体 and the
   * whole file rule), and the casework columns from them. */
  StatUnitIn unit = {"", cm->id};
  StatMemberIn members[3];
  for (int i = 0; i < nteam; i++)
    members[i] = (StatMemberIn){team_since, "", help_role_bit(TEAM_ROLES[(first_role + i) % NELEM(TEAM_ROLES)])};
  const char *signed_on[1] = {start[nh - 1]};
  unsigned four = 0;
  help_roles_parse(HELP_ROLES_FOUR, &four);
  StatSource src = {&gr->h, found_iso, c->now_iso, &unit, 1, members, nteam, signed_on, agreement ? 1 : 0, four, "", 0};
  stats_facts_build(&src, rule, &gr->facts);
  StatExtras nox;
  memset(&nox, 0, sizeof nox);
  char no_review[DATE_ISO_LEN], no_followup[DATE_ISO_LEN];
  casework_derived(&gr->facts, &nox, c->today, no_review, no_followup, &p.file_missing);

  store_gen_bulk_person(bulk, &p);
  for (int i = 0; i < nh; i++) {
    EpisodeIn in = {.status = status_code(hist[i].status), .decision_date = dec[i], .start_date = start[i],
                    .decision_no = decno[i], .planned_end = end[i], .note = "", .corrects_id = 0};
    store_gen_bulk_episode(bulk, id, &in);
  }
  gr->out->episodes += nh;
  for (int i = 0; i < nteam; i++) {
    HelpMemberIn m = {TEAM_ROLES[(first_role + i) % NELEM(TEAM_ROLES)], mname[i], mphone[i]};
    store_gen_bulk_member(bulk, id, &m, team_since);
  }
  gr->out->help_members += nteam;

  if (agreement) {
    char num[40];
    snprintf(num, sizeof num, "XY-%" PRId64, id);
    store_gen_bulk_document(bulk, id, "agreement", start[nh - 1], num);
    gr->out->documents++;
  }

  buf_clear(&gr->blob);
  stats_facts_encode(&gr->facts, &gr->blob);
  store_gen_bulk_stats(bulk, id, cm->id, gr->blob.data, gr->blob.len, stats_facts_marks(&gr->facts),
                       household_div);

  /* The history rows, in the order the computation read them. */
  char drug[32];
  gen_first_drug(p.f[PF_DRUG_TYPES], drug);
  const GenSup *s = &gr->sup;
  for (int i = 0; i < s->ncontacts; i++) {
    const GenContact *x = &s->contacts[i];
    char day[DATE_ISO_LEN];
    gen_iso(x->date, day);
    if (x->is_test) {
      SupTestIn t = {.date = day, .sample = x->sample, .reason = x->reason, .result = x->result,
                     .substances = x->result[0] == 'p' ? drug : "", .tester = ""};
      store_gen_bulk_test(bulk, id, &t);
      gr->out->tests++;
    } else {
      SupVisitIn v = {.date = day, .kind = x->kind, .place = x->place, .notes = x->notes};
      store_gen_bulk_visit(bulk, id, &v);
      gr->out->visits++;
    }
  }
  for (int i = 0; i < s->nevents; i++) {
    const GenEvent *x = &s->events[i];
    char day[DATE_ISO_LEN], until[DATE_ISO_LEN] = "";
    gen_iso(x->date, day);
    if (x->has_until) gen_iso(x->until, until);
    SupEventIn ev = {.kind = x->kind, .date = day, .until = x->has_until ? until : NULL, .note = x->note,
                     .status = x->status, .days = x->days};
    store_gen_bulk_event(bulk, id, &ev);
  }
  gr->out->events += s->nevents;
}

/* ---- `jindu gen`: the run ------------------------------------------------- */

/* Seconds on the monotonic clock. */
static double gen_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The buffers between the generating thread and the writing one: chunk q
 * (persons first + q * GEN_CHUNK ...) goes into buf[q % GEN_NBUF]. */
typedef struct GenPipe {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  GenBulk *buf[GEN_NBUF];
  bool full[GEN_NBUF];    /* filled, not yet written */
  int64_t upto[GEN_NBUF]; /* the last person id in the buffer */
  bool stop;              /* the writer is done (or failed): generate no more */
  GenRun *g;
  int64_t first, last;
} GenPipe;

/* The generating thread: fills the buffers in chunk order, waiting for
 * one to be written when all are full. Touches no database. */
static void *gen_producer(void *arg) {
  GenPipe *p = arg;
  for (int64_t q = 0, id = p->first; id <= p->last; q++) {
    int slot = (int)(q % GEN_NBUF);
    pthread_mutex_lock(&p->mu);
    while (p->full[slot] && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    bool stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    if (stop) break;
    int64_t upto = id + GEN_CHUNK - 1 < p->last ? id + GEN_CHUNK - 1 : p->last;
    for (; id <= upto; id++) gen_person(p->g, p->buf[slot], id);
    pthread_mutex_lock(&p->mu);
    p->upto[slot] = upto;
    p->full[slot] = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  return NULL;
}

/* The run itself, between the bulk-mode switches. */
static int gen_load(Ctx *c, int64_t persons, uint64_t seed, int history, GenReport *out, Err *e) {
  int64_t max_id;
  int rc = store_gen_max_person_id(c->db, &max_id, e);
  if (rc != ERR_OK) return rc;
  if (max_id + persons > GEN_ID_SLOTS)
    return err_set(e, ERR_CONFLICT, "合成数据的身份证号空间已用尽（约3100万人），请使用新的数据库");
  GenRun g = {.c = c, .seed = seed, .ref = gen_reference_day(), .out = out};
  g.ncomm = (persons + GEN_PER_COMMUNITY - 1) / GEN_PER_COMMUNITY;
  g.comms = calloc((size_t)g.ncomm, sizeof *g.comms);
  if (!g.comms) abort();
  out->first_id = max_id + 1;
  out->last_id = max_id + persons;
  out->communities = g.ncomm;

  if (db_begin(c->db, e) != ERR_OK) {
    free(g.comms);
    return e->code;
  }
  OrgUnit county;
  GenIndexes dropped = {0};
  bool rebuild = false; /* the indexes were dropped in a committed transaction */
  rc = gen_tree(c, g.ncomm, g.comms, &county, &out->units_created, e);
  if (rc == ERR_OK) rc = gen_rules(&g, e);
  /* Into an empty person table, the indexes are built once at the end. */
  if (rc == ERR_OK && max_id == 0) rc = store_gen_person_indexes_drop(c->db, &dropped, e);
  if (rc == ERR_OK) {
    gen_calibrate(&g, history);
    if (g.keep_from <= g.ref) gen_iso(g.keep_from, out->history_from);
    out->extra_permille = (int)(g.extra_keep * 1000u / 65536u);
    Buf d = BUF_INIT;
    audit_detail_int(&d, "persons", persons);
    char seed_text[24];
    snprintf(seed_text, sizeof seed_text, "%" PRIu64, seed);
    audit_detail_kv(&d, "seed", seed_text);
    audit_detail_int(&d, "history", history);
    audit_detail_int(&d, "first_id", out->first_id);
    audit_detail_int(&d, "last_id", out->last_id);
    audit_detail_int(&d, "communities", g.ncomm);
    audit_detail_int(&d, "units_created", out->units_created);
    rc = audit_write(c, "gen", "person", 0, county.path, buf_str(&d), e);
    buf_reset(&d);
  }
  /* Persons are generated on a thread of their own, GEN_CHUNK at a time,
   * into GEN_NBUF buffers that this thread inserts in order: generating
   * and writing overlap. Every GEN_BATCH persons are committed. */
  GenPipe pipe = {.g = &g, .first = out->first_id, .last = out->last_id};
  pthread_mutex_init(&pipe.mu, NULL);
  pthread_cond_init(&pipe.cv, NULL);
  for (int i = 0; i < GEN_NBUF; i++) pipe.buf[i] = store_gen_bulk_new();
  pthread_t producer;
  bool started = false;
  if (rc == ERR_OK) {
    if (pthread_create(&producer, NULL, gen_producer, &pipe) != 0) rc = err_set(e, ERR_INTERNAL, "无法启动生成线程");
    else started = true;
  }
  int64_t nchunks = (persons + GEN_CHUNK - 1) / GEN_CHUNK;
  for (int64_t q = 0; rc == ERR_OK && q < nchunks; q++) {
    int slot = (int)(q % GEN_NBUF);
    pthread_mutex_lock(&pipe.mu);
    while (!pipe.full[slot]) pthread_cond_wait(&pipe.cv, &pipe.mu);
    int64_t upto = pipe.upto[slot];
    pthread_mutex_unlock(&pipe.mu);
    rc = store_gen_bulk_flush(c->db, pipe.buf[slot], c->now_iso, e);
    pthread_mutex_lock(&pipe.mu);
    pipe.full[slot] = false;
    pthread_cond_broadcast(&pipe.cv);
    pthread_mutex_unlock(&pipe.mu);
    if (rc == ERR_OK && (upto - out->first_id + 1) % GEN_BATCH == 0 && upto < out->last_id) {
      /* Commit this batch, open the next. */
      if (db_commit(c->db, e) != ERR_OK) {
        rc = e->code ? e->code : ERR_INTERNAL;
      } else {
        rebuild = dropped.n > 0;
        out->persons = upto - out->first_id + 1;
        if (db_begin(c->db, e) != ERR_OK) rc = e->code ? e->code : ERR_INTERNAL;
      }
    }
  }
  if (started) {
    pthread_mutex_lock(&pipe.mu);
    pipe.stop = true; /* after a failure: the producer stops at its next buffer */
    pthread_cond_broadcast(&pipe.cv);
    pthread_mutex_unlock(&pipe.mu);
    pthread_join(producer, NULL);
  }
  for (int i = 0; i < GEN_NBUF; i++) store_gen_bulk_free(pipe.buf[i]);
  pthread_cond_destroy(&pipe.cv);
  pthread_mutex_destroy(&pipe.mu);
  if (rc == ERR_OK && dropped.n > 0) rc = store_gen_indexes_create(c->db, &dropped, e);
  if (rc == ERR_OK && db_commit(c->db, e) != ERR_OK) rc = e->code;
  if (rc != ERR_OK) {
    db_rollback(c->db);
    if (rebuild) { /* the batches kept need their indexes back */
      Err e2;
      err_clear(&e2);
      if (db_begin(c->db, &e2) != ERR_OK || store_gen_indexes_create(c->db, &dropped, &e2) != ERR_OK ||
          db_commit(c->db, &e2) != ERR_OK)
        db_rollback(c->db);
    }
  } else {
    out->persons = persons;
  }
  store_gen_indexes_free(&dropped);
  gen_sup_free(&g.sup);
  sup_history_free(&g.h);
  stats_facts_free(&g.facts);
  buf_reset(&g.blob);
  free(g.rules);
  free(g.comms);
  return rc;
}

int app_gen_run(Ctx *c, int64_t persons, uint64_t seed, int history, GenReport *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_ORG_ADMIN | PERM_PERSON_WRITE) || strcmp(c->actor->org_path, "/") != 0)
    return err_set(e, ERR_FORBIDDEN, "只有系统管理员可以生成合成数据");
  if (persons < 1 || persons > GEN_PERSONS_MAX) return err_field(e, "persons", "人数应为1至10000000");
  if (history < 0 || history > GEN_CONTACTS_MAX) return err_field(e, "history", "平均谈话和检测次数应为0至200");
  assert(gen_gcd(GEN_SLOT_MULT, GEN_ID_SLOTS) == 1);
  double t0 = gen_clock();
  int rc = store_gen_bulk_mode(c->db, true, e);
  if (rc != ERR_OK) return rc;
  rc = gen_load(c, persons, seed, history, out, e);
  Err e2;
  err_clear(&e2);
  int rc2 = store_gen_bulk_mode(c->db, false, &e2);
  if (rc == ERR_OK && rc2 != ERR_OK) {
    *e = e2;
    rc = rc2;
  }
  out->seconds = gen_clock() - t0;
  return rc;
}
