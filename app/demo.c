/* app/demo.c: owns the demo district (see app/demo.h): its org tree with
 * population figures, the demo accounts, and the fictional persons with
 * their case files, help teams, responsible workers, status histories and
 * documents. The random pieces (names, ID numbers, histories) come from
 * app/gen.h with a fixed seed; everything is written through the ordinary
 * use cases. */
#include "app/demo.h"
#include "app/casework.h"
#include "core/stats.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/dataset.h"
#include "app/demo_unit.h"
#include "app/gen.h"
#include "app/org.h"
#include "app/person.h"
#include "app/schedule_rule.h"
#include "app/supervision.h"
#include "app/user.h"
#include "core/division.h"
#include "core/buf.h"
#include "core/person_field.h"
#include "store/gen.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the district ------------------------------------------------------- */

/* A unit of the demo tree, in creation order (parents first). */
typedef struct DemoUnit {
  const char *code, *name, *level, *parent;
  bool village; /* a (former) village: addresses by group, fewer migrants */
} DemoUnit;

static const DemoUnit DEMO_UNITS[] = {
  {"D01", "示范区", "county", NULL, false},
  {"S01", "东湖街道", "street", "D01", false},
  {"S02", "青山镇", "street", "D01", false},
  {"C0101", "东湖社区", "community", "S01", false},
  {"C0102", "杏林社区", "community", "S01", false},
  {"C0103", "柳岸社区", "community", "S01", false},
  {"C0104", "翠苑社区", "community", "S01", false},
  {"C0105", "新华社区", "community", "S01", false},
  {"C0106", "滨江社区", "community", "S01", false},
  {"C0107", "梧桐社区", "community", "S01", false},
  {"C0108", "春晖社区", "community", "S01", false},
  {"C0109", "锦绣社区", "community", "S01", false},
  {"C0110", "明珠社区", "community", "S01", false},
  {"C0201", "青山社区", "community", "S02", false},
  {"C0202", "桃园村（村改居）", "community", "S02", true},
  {"C0203", "石桥村", "community", "S02", true},
  {"C0204", "枫林村", "community", "S02", true},
  {"C0205", "河口村", "community", "S02", true},
  {"C0206", "杨柳村", "community", "S02", true},
  {"C0207", "双井村", "community", "S02", true},
  {"C0208", "龙泉村", "community", "S02", true},
  {"C0209", "白沙村（村改居）", "community", "S02", true},
  {"C0210", "坪上村", "community", "S02", true},
};
#define DEMO_NUNITS ((int)NELEM(DEMO_UNITS))
#define DEMO_FIRST_COMMUNITY 3 /* index of C0101 */
#define DEMO_NCOMM (DEMO_NUNITS - DEMO_FIRST_COMMUNITY)

/* The demo accounts: username, display name, role, unit. */
static const struct { const char *username, *display, *role, *org; } DEMO_USERS[] = {
  {"admin", "示范区禁毒办", "admin", "D01"},
  {"office1", "东湖街道禁毒办", "office", "S01"},
  {"office2", "青山镇禁毒办", "office", "S02"},
  {"worker1", "东湖社区禁毒社工", "worker", "C0101"},
  {"worker2", "杏林社区禁毒社工", "worker", "C0102"},
  {"cadre1", "东湖社区干部", "cadre", "C0101"},
  {"police1", "东湖社区民警", "police", "C0101"},
  {"viewer1", "示范区检查人员", "viewer", "D01"},
};

/* Region code of the district (first six ID digits of its natives), and
 * the home places of migrants with theirs. */
#define DEMO_REGION "420111"
static const struct { const char *region, *place; } DEMO_ELSEWHERE[] = {
  {"420902", "湖北省孝感市孝南区"}, {"360702", "江西省赣州市章贡区"},
  {"511702", "四川省达州市通川区"}, {"520302", "贵州省遵义市红花岗区"},
  {"450902", "广西壮族自治区玉林市玉州区"}, {"411502", "河南省信阳市浉河区"},
};

/* The people around a community: its social worker, police officer and
 * cadre (the same on every help team there), and its population. */
typedef struct DemoComm {
  const DemoUnit *unit;
  const char *street; /* street name */
  char worker[GEN_NAME_MAX], police[GEN_NAME_MAX], cadre[GEN_NAME_MAX];
  char worker_phone[24], police_phone[24], cadre_phone[24];
  int64_t pop_registered, pop_resident, pop_floating;
  int64_t id;        /* the unit's row id */
  ScheduleRule rule; /* the contact and testing schedule that applies there */
  const Actor *office;   /* the demo account of its street office: registers its persons */
  const Actor *recorder; /* the one that records their talks, tests and events (demo_recorders) */
} DemoComm;

/* ---- text lists ----------------------------------------------------------- */

static const char *const ETHNICITIES[] = {"汉族", "土家族", "苗族", "回族"};
static const int ETHNICITY_W[] = {92, 4, 2, 2};
static const char *const EDUCATIONS[] = {"小学", "初中", "高中", "中专", "大专", "本科"};
static const int EDUCATION_W[] = {15, 46, 17, 12, 7, 3};
static const char *const MARITALS[] = {"未婚", "已婚", "离异", "丧偶"};
static const int MARITAL_W[] = {36, 36, 25, 3};
static const char *const JOBS[] = {"在物流公司务工", "个体经营（小吃店）", "跑网约车", "在建筑工地务工",
                                   "在超市做理货员", "在家务农", "在汽修厂做学徒", "做装修零工"};
static const char *const FOUND_HOW[] = {"公安机关查获", "社区排查发现", "家属反映", "本人主动报告",
                                        "外地公安机关通报"};
static const int FOUND_HOW_W[] = {55, 16, 9, 5, 15};
static const char *const RELATIONS_LIVING[] = {"父母", "母亲", "配偶及子女", "配偶", "兄长一家"};
static const char *const ECONOMY[] = {
  "家庭经济一般，主要依靠本人和家人务工收入。", "家庭经济较困难，母亲患病，已申请临时救助。",
  "家庭经济状况较好，有自有住房。", "经济来源不稳定，依靠家人接济。",
  "家庭经济困难，享受最低生活保障。",
};
static const char *const MIND_COMMUNITY[] = {
  "情绪稳定，能按时报到和接受尿检，愿意配合帮教。", "思想有波动，对尿检有抵触情绪，需加强谈心谈话。",
  "悔过态度较好，希望尽快就业，已推荐参加技能培训。", "情绪低落，与家人关系紧张，已安排心理疏导。",
};
static const char *const MOVEMENTS[] = {
  "近期无异常外出。", "常于夜间外出，去向需进一步核实。", "在外地务工，每月返回一次并主动报告。",
  "节假日外出探亲，均事先书面报告。",
};

/* ---- small helpers ---------------------------------------------------------- */

/* Formats a day into out. */
static void demo_iso(Day d, char out[DATE_ISO_LEN]) { date_format(d, out); }

/* The year of a day. */
static int demo_year(Day d) {
  int y, m, dd;
  date_to_ymd(d, &y, &m, &dd);
  return y;
}

/* A decision number for an episode (static buffer in out). */
static void demo_decision_no(Status s, Day decision, int k, char *out, size_t n) {
  int y = demo_year(decision);
  switch (s) {
  case ST_COMMUNITY_DETOX: snprintf(out, n, "示公（禁）社戒决字〔%d〕%03d号", y, k); break;
  case ST_COMPULSORY_ISOLATION: snprintf(out, n, "示公（禁）强戒决字〔%d〕%03d号", y, k); break;
  case ST_COMMUNITY_REHAB: snprintf(out, n, "示禁社康字〔%d〕%03d号", y, k); break;
  case ST_DETAINED: snprintf(out, n, "示公拘决字〔%d〕%03d号", y, k); break;
  case ST_IMPRISONED: snprintf(out, n, "（%d）示刑初字第%03d号", y, k); break;
  case ST_ABSTINENT_3Y: snprintf(out, n, "示禁办评字〔%d〕%03d号", y, k); break;
  default: out[0] = 0; break;
  }
}

/* A short note for an episode, or "". */
static const char *demo_note(Status s, Status before) {
  switch (s) {
  case ST_COMMUNITY_REHAB: return "强制隔离戒毒期满出所，街道已接回（出所必接）。";
  case ST_COMPULSORY_ISOLATION:
    return status_is_community_order(before) ? "严重违反社区戒毒（康复）协议，由公安机关决定强制隔离戒毒。" : "";
  case ST_DETAINED: return "因吸毒被公安机关行政拘留。";
  case ST_ABSTINENT_3Y: return "经评估戒断三年未复吸，解除动态管控，继续关注。";
  case ST_DEAD: return "家属报告因病死亡，已核实。";
  case ST_EMIGRATED: return "经核实已出境。";
  default: return "";
  }
}

/* ---- the steps ------------------------------------------------------------- */

/* Enters the population of each community for the year of ref (the data
 * set "population", app/dataset.h) as the office of its street; the
 * figures of the streets and the district follow from them. */
static int demo_population(Ctx *c, const DemoComm *comms, Day ref, Err *e) {
  char year[8];
  snprintf(year, sizeof year, "%d", demo_year(ref));
  for (int j = 0; j < DEMO_NCOMM; j++) {
    const DemoComm *cm = &comms[j];
    Ctx as = *c;
    as.actor = cm->office;
    DatasetInput in = {3, {{"registered", true, cm->pop_registered}, {"resident", true, cm->pop_resident},
                           {"floating", true, cm->pop_floating}}};
    DatasetNames names;
    int rc = app_dataset_put(&as, DATASET_POPULATION, cm->unit->code, year, &in, false, &names, e);
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

/* The administrative division code of demo unit u (core/division.h): the
 * district DEMO_REGION, a street S0x DEMO_REGION "00x", a community C0xyy
 * its street's "0yy". */
static void demo_division(const DemoUnit *u, char out[DIVISION_LEN]) {
  if (strcmp(u->level, "county") == 0) snprintf(out, DIVISION_LEN, "%s", DEMO_REGION);
  else if (strcmp(u->level, "street") == 0) snprintf(out, DIVISION_LEN, "%s0%.2s", DEMO_REGION, u->code + 1);
  else snprintf(out, DIVISION_LEN, "%s0%.2s0%.2s", DEMO_REGION, u->code + 1, u->code + 3);
}

/* Creates the org tree (with the units' division codes) and fills comms[]
 * (with the population figures demo_population enters). */
static int demo_orgs(Ctx *c, DemoComm *comms, Err *e) {
  int rc;
  for (int i = 0; i < DEMO_NUNITS; i++) {
    const DemoUnit *u = &DEMO_UNITS[i];
    if ((rc = app_org_add(c, u->code, u->name, u->level, u->parent, NULL, e)) != ERR_OK) return rc;
    char div[DIVISION_LEN];
    demo_division(u, div);
    if ((rc = app_org_set_division(c, u->code, div, e)) != ERR_OK) return rc;
  }
  for (int j = 0; j < DEMO_NCOMM; j++) {
    DemoComm *cm = &comms[j];
    memset(cm, 0, sizeof *cm);
    cm->unit = &DEMO_UNITS[DEMO_FIRST_COMMUNITY + j];
    cm->street = DEMO_UNITS[strcmp(cm->unit->parent, "S01") == 0 ? 1 : 2].name;
    GenRng r;
    gen_rng_init(&r, DEMO_SEED, 100000u + (uint64_t)j);
    gen_name(&r, gen_rng_percent(&r, 70) ? 'F' : 'M', cm->worker);
    gen_name(&r, 'M', cm->police);
    gen_name(&r, gen_rng_percent(&r, 50) ? 'F' : 'M', cm->cadre);
    snprintf(cm->worker_phone, sizeof cm->worker_phone, "1397110%04u", (unsigned)(j * 3 + 1) % 10000u);
    snprintf(cm->police_phone, sizeof cm->police_phone, "1397110%04u", (unsigned)(j * 3 + 2) % 10000u);
    snprintf(cm->cadre_phone, sizeof cm->cadre_phone, "1397110%04u", (unsigned)(j * 3 + 3) % 10000u);
    cm->pop_registered = cm->unit->village ? gen_rng_between(&r, 1800, 4200) : gen_rng_between(&r, 4500, 11000);
    cm->pop_floating = cm->unit->village ? gen_rng_between(&r, 150, 900) : gen_rng_between(&r, 900, 4200);
    cm->pop_resident = cm->pop_registered - gen_rng_between(&r, 0, (int)(cm->pop_registered / 6)) + cm->pop_floating;
    OrgUnit u;
    if ((rc = app_org_get(c, cm->unit->code, &u, e)) != ERR_OK ||
        (rc = app_schedule_rule_resolve(c->db, u.id, &cm->rule, e)) != ERR_OK)
      return rc;
    cm->id = u.id;
  }
  return ERR_OK;
}

/* Creates the demo accounts; actors[i] (NELEM(DEMO_USERS) of them) becomes
 * account i acting from the command line. */
static int demo_users(Ctx *c, Actor *actors, Err *e) {
  for (size_t i = 0; i < NELEM(DEMO_USERS); i++) {
    UserRow u;
    int rc = app_user_add(c, DEMO_USERS[i].username, DEMO_USERS[i].display, DEMO_USERS[i].role, DEMO_USERS[i].org,
                          DEMO_PASSWORD, &u, e);
    if (rc != ERR_OK) return rc;
    app_user_actor(&u, c->actor->address, &actors[i]);
  }
  return ERR_OK;
}

/* Who writes the records of each community, as the records and the audit
 * log show: the office of its street registers the persons (and names
 * their responsible worker); its demo worker, else that office, records
 * their status, documents, talks, tests and events. */
static void demo_recorders(DemoComm *comms, const Actor *actors) {
  for (int j = 0; j < DEMO_NCOMM; j++) {
    comms[j].office = comms[j].recorder = NULL;
    for (size_t i = 0; i < NELEM(DEMO_USERS); i++) {
      if (strcmp(DEMO_USERS[i].role, "office") == 0 && strcmp(DEMO_USERS[i].org, comms[j].unit->parent) == 0)
        comms[j].office = &actors[i];
      if (strcmp(DEMO_USERS[i].role, "worker") == 0 && strcmp(DEMO_USERS[i].org, comms[j].unit->code) == 0)
        comms[j].recorder = &actors[i];
    }
    assert(comms[j].office && "every demo street has an office account");
    if (!comms[j].recorder) comms[j].recorder = comms[j].office;
  }
}

/* The username of the demo worker of community code (NULL when it has none). */
static const char *demo_worker_of(const char *code) {
  for (size_t i = 0; i < NELEM(DEMO_USERS); i++)
    if (strcmp(DEMO_USERS[i].role, "worker") == 0 && strcmp(DEMO_USERS[i].org, code) == 0)
      return DEMO_USERS[i].username;
  return NULL;
}

/* ---- supervision history ------------------------------------------------- */

#define DEMO_HISTORY_MONTHS 24  /* talks and tests are recorded this far back from ref */
#define DEMO_EXTRA_KEEP 16384u  /* a quarter of the extra contacts (phone calls...) */
#define DEMO_SHOWCASE 15        /* persons 0..14: the cases of the work list (demo_showcase) */
#define DEMO_NO_STATUS 12       /* the showcase person registered without status (file_incomplete) */

/* Talks and negative scheduled urine tests of a run started on start, each
 * one to three days before it falls due under rule (as supervision_compute
 * computes it for a low-risk person), up to until. */
static void demo_follow(GenSup *s, const ScheduleRule *rule, Status st, Day start, Day until) {
  Day test = 0, talk = 0;
  bool has_test = false, has_talk = false;
  GenContact *x = gen_sup_contact(s, start); /* the talk when the person reports */
  x->kind = "office";
  x->place = "社区禁毒工作站";
  x->notes = "报到谈话，告知社区戒毒（康复）协议内容。";
  talk = start;
  has_talk = true;
  for (int guard = 0; guard < 200; guard++) {
    ScheduleInput in = {.status = st, .has_clock = true, .clock_start = start, .has_last_test = has_test,
                        .last_test = test, .has_last_talk = has_talk, .last_talk = talk, .risk = RISK_LOW};
    ScheduleResult res;
    schedule_compute(rule, &in, start, &res);
    Day t = res.next_test_due - 2, k = res.next_talk_due - 1 - guard % 3;
    Day next = t < k ? t : k;
    if (next > until) break;
    if (t <= k) {
      x = gen_sup_contact(s, t);
      x->is_test = true;
      x->sample = "urine";
      x->reason = "scheduled";
      x->result = "negative";
      test = t;
      has_test = true;
    }
    if (k <= t) {
      x = gen_sup_contact(s, k);
      x->kind = guard % 2 ? "home_visit" : "talk";
      x->place = guard % 2 ? "本人住所" : "社区禁毒工作站";
      x->notes = guard % 2 ? "入户走访，与家属交流，近期表现正常。" : "谈心谈话，情绪稳定，提醒按时接受尿检。";
      talk = k;
      has_talk = true;
    }
  }
}

/* A test of result at day d (scheduled, urine). */
static void demo_test(GenSup *s, Day d, const char *result) {
  GenContact *x = gen_sup_contact(s, d);
  x->is_test = true;
  x->sample = "urine";
  x->reason = "scheduled";
  x->result = result;
}

/* A talk at day d. */
static void demo_talk(GenSup *s, Day d) {
  GenContact *x = gen_sup_contact(s, d);
  x->kind = "talk";
  x->place = "社区禁毒工作站";
  x->notes = "谈心谈话，了解近期生活和工作情况。";
}

/* The showcase persons 0..DEMO_SHOWCASE-1 of community C0101 (worker1's):
 * a fixed status history and fixed records as of ref (R), one for each
 * case the work list shows. Sets hist/nh and fills s; *transfer_day gets
 * the day of a transfer request to C0102 (0: none). */
static void demo_showcase(int k, Day R, const ScheduleRule *rule, GenEpisode *hist, int *nh, GenSup *s,
                          Day *transfer_day) {
  *transfer_day = 0;
  GenEvent *ev;
#define EP(i, st, dec, start) (hist[i] = (GenEpisode){(st), (dec), (start), true})
  switch (k) {
  case 0: /* next test due in 3 days, next talk in 6 */
    EP(0, ST_COMMUNITY_DETOX, R - 255, R - 250);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 250, R - 80);
    demo_test(s, date_add_months(R + 3, -2), "negative");
    demo_talk(s, date_add_months(R + 6, -2));
    break;
  case 1: /* test overdue by 9 days */
    EP(0, ST_COMMUNITY_DETOX, R - 200, R - 196);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 196, R - 100);
    demo_test(s, date_add_months(R - 9, -2), "negative");
    demo_talk(s, date_add_months(R + 12, -2));
    break;
  case 2: /* after release from isolation: test and talk overdue by weeks */
    EP(0, ST_COMPULSORY_ISOLATION, R - 800, R - 799);
    EP(1, ST_COMMUNITY_REHAB, R - 160, R - 155);
    *nh = 2;
    ev = gen_sup_event(s, "release_notice", R - 160);
    ev->status = "done";
    ev->note = "强制隔离戒毒所通知出所日期";
    gen_sup_event(s, "released", R - 160)->note = "已到所接回";
    demo_follow(s, rule, ST_COMMUNITY_REHAB, R - 155, R - 110);
    demo_test(s, date_add_months(R - 27, -2), "negative");
    demo_talk(s, date_add_months(R - 20, -2));
    break;
  case 3: /* missed two tests: the last test five months ago, one absence since */
    EP(0, ST_COMMUNITY_DETOX, R - 340, R - 335);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 335, R - 150);
    demo_test(s, date_add_months(R - 70, -2), "negative");
    demo_test(s, R - 64, "absent");
    demo_talk(s, R - 110);
    demo_talk(s, date_add_months(R + 8, -2));
    break;
  case 4: /* ordered to community detox 4 days ago, not reported yet: in the 15 days */
    EP(0, ST_SOCIAL_SUPERVISION, R - 480, R - 480);
    hist[1] = (GenEpisode){ST_COMMUNITY_DETOX, R - 4, R - 4, false};
    *nh = 2;
    demo_follow(s, rule, ST_SOCIAL_SUPERVISION, R - 480, R - 10);
    break;
  case 5: /* in isolation, released in 4 days: the street must receive the person */
    EP(0, ST_COMMUNITY_DETOX, R - 1300, R - 1296);
    EP(1, ST_COMPULSORY_ISOLATION, date_add_years(R + 4, -2), date_add_years(R + 4, -2));
    *nh = 2;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 1296, R - 1100);
    ev = gen_sup_event(s, "release_notice", R + 4);
    ev->status = "open";
    ev->note = "强制隔离戒毒所通知：预计出所日期";
    break;
  case 6: /* contact lost three weeks ago */
    EP(0, ST_COMMUNITY_DETOX, R - 230, R - 226);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 226, R - 40);
    gen_sup_event(s, "lost_contact", R - 21)->note = "电话关机，住所无人，家属称已外出多日";
    break;
  case 7: /* three tests refused or evaded: serious breach of the agreement */
    EP(0, ST_COMMUNITY_DETOX, R - 420, R - 416);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 416, R - 5);
    demo_test(s, R - 300, "refused");
    demo_test(s, R - 170, "absent");
    demo_test(s, R - 50, "refused");
    break;
  case 8: /* asked to move to C0102: the transfer waits for S01's office */
    EP(0, ST_COMMUNITY_DETOX, R - 150, R - 146);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 146, R - 8);
    *transfer_day = R - 6;
    break;
  case 10: /* a serious breach reported to the police ten days ago: their decision is awaited */
    EP(0, ST_COMMUNITY_DETOX, R - 400, R - 396);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 396, R - 5);
    demo_test(s, R - 280, "absent");
    demo_test(s, R - 150, "refused");
    demo_test(s, R - 40, "absent");
    gen_sup_event(s, "police_report", R - 10)->note = "严重违反社区戒毒协议，已书面报告派出所";
    break;
  case 11: /* a two-day leave that ended five days ago, not returned from (recorded when it began) */
    EP(0, ST_COMMUNITY_DETOX, R - 180, R - 176);
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 176, R - 2);
    ev = gen_sup_event(s, "leave", R - 6);
    ev->has_until = true;
    ev->until = R - 5;
    ev->status = "open";
    ev->note = "回户籍地办理证件";
    break;
  case 13: /* in isolation, its two years end in 20 days, no notice yet: a release seen coming */
    EP(0, ST_COMMUNITY_DETOX, R - 1400, R - 1396);
    EP(1, ST_COMPULSORY_ISOLATION, date_add_years(R + 21, -2), date_add_years(R + 21, -2));
    *nh = 2;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 1396, R - 1200);
    break;
  case 14: /* in isolation, its planned end three days ago, neither release nor extension recorded */
    EP(0, ST_COMMUNITY_DETOX, R - 1500, R - 1496);
    EP(1, ST_COMPULSORY_ISOLATION, date_add_years(R - 2, -2), date_add_years(R - 2, -2));
    *nh = 2;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, R - 1496, R - 1300);
    break;
  case DEMO_NO_STATUS: /* registered yesterday without a status (the decision is not at hand yet) */
    EP(0, ST_SOCIAL_SUPERVISION, R - 1, R - 1);
    *nh = 1;
    break;
  default: /* three years abstinent since the order started: eligible for release */
    EP(0, ST_COMMUNITY_DETOX, date_add_years(R - 30, -3), date_add_years(R - 26, -3));
    *nh = 1;
    demo_follow(s, rule, ST_COMMUNITY_DETOX, date_add_years(R - 26, -3), R - 15);
    break;
  }
#undef EP
  /* Records in date order (the hand-made ones come after the followed run). */
  for (int i = 1; i < s->ncontacts; i++) {
    GenContact x = s->contacts[i];
    int j = i - 1;
    while (j >= 0 && s->contacts[j].date > x.date) {
      s->contacts[j + 1] = s->contacts[j];
      j--;
    }
    s->contacts[j + 1] = x;
  }
}

/* One step of a person's replay: an episode, a contact, an event, the
 * report of a positive test to the police, or the transfer request. */
typedef struct DemoStep {
  Day day;
  int prio; /* same day: records before the episode, release/transfer after */
  int seq;
  enum { DS_EPISODE, DS_CONTACT, DS_EVENT, DS_REPORT, DS_TRANSFER } what;
  int idx;
} DemoStep;

static int demo_step_cmp(const void *a, const void *b) {
  const DemoStep *x = a, *y = b;
  if (x->day != y->day) return x->day < y->day ? -1 : 1;
  if (x->prio != y->prio) return x->prio < y->prio ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Records the supervision history s of person id, interleaved in date
 * order with its status episodes (written as in demo_person), through the
 * use cases: app_visit_add, app_test_add (which writes the relapse and the
 * police task of a positive test), app_event_add (the report to the police
 * a few days later closes that task), app_person_add_status. */
static int demo_replay(Ctx *c, int64_t id, int k, const GenEpisode *hist, int nh, const GenSup *s, Day ref,
                       Day transfer_day, const char *drug, Err *e) {
  int cap = nh + 2 * s->ncontacts + s->nevents + 1, n = 0;
  DemoStep *steps = malloc(sizeof *steps * (size_t)cap);
  if (!steps) abort();
  for (int i = 0; i < nh; i++) steps[n] = (DemoStep){hist[i].decision, 1, n, DS_EPISODE, i}, n++;
  for (int i = 0; i < s->ncontacts; i++) {
    const GenContact *x = &s->contacts[i];
    steps[n] = (DemoStep){x->date, 0, n, DS_CONTACT, i}, n++;
    if (x->police_task && x->reported <= ref) steps[n] = (DemoStep){x->reported, 0, n, DS_REPORT, i}, n++;
  }
  for (int i = 0; i < s->nevents; i++) {
    const GenEvent *x = &s->events[i];
    bool later = strcmp(x->kind, "released") == 0 || x->date > ref; /* after the day's episode; expected ones at ref */
    steps[n] = (DemoStep){x->date > ref ? ref : x->date, later ? 2 : 0, n, DS_EVENT, i}, n++;
  }
  if (transfer_day) steps[n] = (DemoStep){transfer_day, 3, n, DS_TRANSFER, 0}, n++;
  qsort(steps, (size_t)n, sizeof *steps, demo_step_cmp);

  int rc = ERR_OK;
  Status before = ST_NONE;
  for (int i = 0; i < n && rc == ERR_OK; i++) {
    const DemoStep *st = &steps[i];
    char day[DATE_ISO_LEN];
    demo_iso(st->day, day);
    switch (st->what) {
    case DS_EPISODE: {
      const GenEpisode *h = &hist[st->idx];
      char dec[DATE_ISO_LEN], start[DATE_ISO_LEN] = "", decno[80];
      demo_iso(h->decision, dec);
      if (h->has_start) demo_iso(h->start, start);
      demo_decision_no(h->status, h->decision, (k * 7 + st->idx * 13) % 997 + 1, decno, sizeof decno);
      StatusInput si = {.status = status_code(h->status),
                        .decision_date = dec,
                        .start_date = h->has_start ? start : NULL,
                        .decision_no = decno,
                        .note = demo_note(h->status, before),
                        .corrects_id = 0};
      if ((rc = app_person_add_status(c, id, &si, NULL, e)) != ERR_OK) break;
      if (status_is_community_order(h->status) && h->has_start) {
        char num[40];
        snprintf(num, sizeof num, "示社戒协字〔%d〕%03d号", demo_year(h->start), (k * 11 + st->idx) % 997 + 1);
        DocInput doc = {"agreement", start, num};
        rc = app_person_add_doc(c, id, &doc, e);
      }
      before = h->status;
      break;
    }
    case DS_CONTACT: {
      const GenContact *x = &s->contacts[st->idx];
      if (x->is_test) {
        TestInput in = {.date = day, .sample = x->sample, .reason = x->reason, .result = x->result,
                        .substances = strcmp(x->result, "positive") == 0 ? drug : "", .tester = ""};
        rc = app_test_add(c, id, &in, NULL, e);
      } else {
        VisitInput in = {.date = day, .kind = x->kind, .place = x->place, .notes = x->notes};
        rc = app_visit_add(c, id, &in, NULL, e);
      }
      break;
    }
    case DS_REPORT: {
      EventInput in = {.kind = "police_report", .date = day, .note = "已报告公安机关"};
      rc = app_event_add(c, id, &in, NULL, e);
      break;
    }
    case DS_EVENT: {
      const GenEvent *x = &s->events[st->idx];
      char date[DATE_ISO_LEN], until[DATE_ISO_LEN] = "";
      demo_iso(x->date, date);
      if (x->has_until) demo_iso(x->until, until);
      EventInput in = {.kind = x->kind, .date = date, .until = x->has_until ? until : NULL, .days = x->days,
                       .note = x->note};
      Ctx at = *c; /* a leave marked open is recorded on its first day (asked for, not after the fact) */
      if (strcmp(x->kind, "leave") == 0 && x->status && strcmp(x->status, "open") == 0) at.today = x->date;
      rc = app_event_add(&at, id, &in, NULL, e);
      break;
    }
    default: {
      EventInput in = {.kind = "transfer_request", .date = day, .to_org = "C0102",
                       .note = "本人在杏林社区租房务工，申请变更执行地"};
      rc = app_event_add(c, id, &in, NULL, e);
      break;
    }
    }
  }
  free(steps);
  return rc;
}

/* Creates demo person k (0-based) in its community with its history and
 * documents, all dated on or before ref. */
static int demo_person(Ctx *c, int k, const DemoComm *comms, const int *weights, Day ref, Err *e) {
  GenRng r;
  gen_rng_init(&r, DEMO_SEED, (uint64_t)k);
  const DemoComm *cm = &comms[gen_rng_weighted(&r, weights, DEMO_NCOMM)];
  bool showcase = k < DEMO_SHOWCASE;
  if (showcase) cm = &comms[0]; /* C0101: the community of the demo worker */
  Ctx as = *c; /* the community's office registers the person */
  as.actor = cm->office;
  c = &as;

  /* Identity. Sequence numbers are a permutation of k (k < 500), so ID
   * numbers never repeat whatever the region and birth day. */
  char sex = gen_rng_percent(&r, 85) ? 'M' : 'F';
  Day birth_lo = date_from_ymd(1960, 1, 1), birth_hi = date_from_ymd(2002, 12, 31);
  if (birth_hi > date_add_years(ref, -18)) birth_hi = date_add_years(ref, -18);
  Day birth = birth_lo + (Day)gen_rng_below(&r, (uint32_t)(birth_hi - birth_lo + 1));
  bool migrant = gen_rng_percent(&r, cm->unit->village ? 15 : 32);
  int home = (int)gen_rng_below(&r, NELEM(DEMO_ELSEWHERE));
  char idno[IDCARD_MASKED_LEN], birth_iso[DATE_ISO_LEN], name[GEN_NAME_MAX], phone[24];
  gen_id_number(migrant ? DEMO_ELSEWHERE[home].region : DEMO_REGION, birth,
                ((k * 37 + 11) % 500) * 2 + (sex == 'M' ? 1 : 0), idno);
  demo_iso(birth, birth_iso);
  gen_name(&r, sex, name);
  snprintf(phone, sizeof phone, "138%08u", (unsigned)k % 100000000u);

  /* Addresses: where the person lives (the community) and where the
   * household is registered (人户分离 for most migrants and many natives). */
  char residence[200], household[200], household_div[DIVISION_LEN] = "";
  if (cm->unit->village)
    snprintf(residence, sizeof residence, "示范区%s%s%d组%d号", cm->street, cm->unit->name, gen_rng_between(&r, 1, 9),
             gen_rng_between(&r, 1, 80));
  else
    snprintf(residence, sizeof residence, "示范区%s%s%d栋%d单元%d室", cm->street, cm->unit->name,
             gen_rng_between(&r, 1, 30), gen_rng_between(&r, 1, 4),
             gen_rng_between(&r, 1, 18) * 100 + gen_rng_between(&r, 1, 4));
  if (migrant) {
    static const char *const VILLAGE[] = {"王家湾", "李家坪", "石门", "新塘", "高桥", "大岭", "柳树湾", "沙河"};
    snprintf(household, sizeof household, "%s%s村%d组", DEMO_ELSEWHERE[home].place,
             VILLAGE[gen_rng_below(&r, NELEM(VILLAGE))], gen_rng_between(&r, 1, 12));
  } else if (gen_rng_percent(&r, 45)) {
    const DemoComm *o = &comms[gen_rng_below(&r, DEMO_NCOMM)];
    if (o == cm) o = &comms[(o - comms + 1) % DEMO_NCOMM];
    snprintf(household, sizeof household, "示范区%s%s%d号", o->street, o->unit->name, gen_rng_between(&r, 1, 200));
    demo_division(o->unit, household_div); /* 人户分离 inside the district: another community's household */
  } else {
    snprintf(household, sizeof household, "%s", residence);
  }

  /* History: found at 16 or older, mostly since 2010. */
  Day found_lo = date_add_years(birth, 16), floor = date_from_ymd(2010, 1, 1);
  if (floor > ref - 365) floor = ref - 365;
  if (found_lo < floor) found_lo = floor;
  /* More than half found in the last four years, so that the district has
   * plenty of persons under active supervision. */
  Day found = found_lo + (Day)gen_rng_below(&r, (uint32_t)(ref - found_lo));
  Day recent = ref - 4 * 365;
  if (recent > found_lo && gen_rng_percent(&r, 55)) found = recent + (Day)gen_rng_below(&r, (uint32_t)(ref - recent));
  GenEpisode hist[GEN_HISTORY_MAX];
  int nh = gen_history(&r, found, ref, 6, hist);
  /* Detention lasts days, so few are detained at any one time: put a few
   * persons (one in fifty) in detention over the last days before ref. */
  const GenEpisode *last = &hist[nh - 1];
  Day det = ref - gen_rng_between(&r, 1, 9);
  if (k % 50 == 7 && nh < GEN_HISTORY_MAX && last->has_start && last->start < det &&
      status_transition_allowed(last->status, ST_DETAINED))
    hist[nh++] = (GenEpisode){ST_DETAINED, det, det, true};
  GenSup sup = {0};
  Day transfer_day = 0;
  if (showcase) {
    demo_showcase(k, ref, &cm->rule, hist, &nh, &sup, &transfer_day);
    found = hist[0].decision;
  }
  int isolations = 0, detox = 0;
  for (int i = 0; i < nh; i++) {
    isolations += hist[i].status == ST_COMPULSORY_ISOLATION;
    detox += hist[i].status == ST_COMMUNITY_DETOX;
  }
  Status now_status = hist[nh - 1].status;

  /* The case file. */
  int by = demo_year(birth), ry, rm, rd, bm, bd;
  date_to_ymd(ref, &ry, &rm, &rd);
  date_to_ymd(birth, &by, &bm, &bd);
  int age = ry - by - ((rm < bm || (rm == bm && rd < bd)) ? 1 : 0);
  bool three_without = gen_rng_percent(&r, 10) && !showcase;
  bool no_job = three_without || gen_rng_percent(&r, 15);
  const char *ethnicity = ETHNICITIES[gen_rng_weighted(&r, ETHNICITY_W, NELEM(ETHNICITY_W))];
  const char *education = EDUCATIONS[gen_rng_weighted(&r, EDUCATION_W, NELEM(EDUCATION_W))];
  const char *marital = MARITALS[gen_rng_weighted(&r, MARITAL_W, NELEM(MARITAL_W))];
  const char *job = JOBS[gen_rng_below(&r, NELEM(JOBS))];
  char employment[100], found_iso[DATE_ISO_LEN], treatments[200], basics[400], contacts[400], mind[400],
      movements[400];
  snprintf(employment, sizeof employment, "%s", no_job ? "无业" : job);
  demo_iso(found, found_iso);
  treatments[0] = 0;
  if (detox || isolations) {
    Buf t = BUF_INIT;
    if (detox) buf_printf(&t, "社区戒毒%d次", detox);
    if (isolations) buf_printf(&t, "%s强制隔离戒毒%d次", detox ? "，" : "", isolations);
    snprintf(treatments, sizeof treatments, "%s", buf_str(&t));
    buf_reset(&t);
  }
  snprintf(basics, sizeof basics, "%d岁，%s，%s文化，%s。%s。%s", age, ethnicity, education, marital,
           no_job ? "目前无固定工作" : job, migrant ? "外来人员，在本辖区居住。" : "本地户籍。");
  /* The family member of the help team (shares the surname). */
  char surname[8], family[GEN_NAME_MAX], family_phone[24];
  gen_surname_of(name, surname);
  char fsex = gen_rng_percent(&r, 60) ? 'F' : 'M';
  gen_name_with_surname(&r, surname, fsex, family);
  snprintf(family_phone, sizeof family_phone, "1361234%04u", (unsigned)k % 10000u);
  const char *living = three_without ? "无固定住所，借住亲友家" : RELATIONS_LIVING[gen_rng_below(&r, NELEM(RELATIONS_LIVING))];
  snprintf(contacts, sizeof contacts, "%s%s；主要联系人：%s（家属），电话%s。", three_without ? "" : "与",
           living, family, family_phone);
  if (status_is_custodial(now_status))
    snprintf(mind, sizeof mind, "%s", now_status == ST_COMPULSORY_ISOLATION ? "在强制隔离戒毒所内，家属定期探视，所内表现一般。"
                                                                          : "羁押期间，家属已知情。");
  else if (now_status == ST_ABSTINENT_3Y)
    snprintf(mind, sizeof mind, "%s", "戒断三年以上，生活稳定，有正当职业，定期回访。");
  else if (status_is_closed(now_status))
    snprintf(mind, sizeof mind, "%s", "档案已关闭。");
  else
    snprintf(mind, sizeof mind, "%s", MIND_COMMUNITY[gen_rng_below(&r, NELEM(MIND_COMMUNITY))]);
  snprintf(movements, sizeof movements, "%s", migrant ? "春节前后返回户籍地探亲，需提前书面报告。"
                                                      : MOVEMENTS[gen_rng_below(&r, NELEM(MOVEMENTS))]);

  PersonInput in;
  memset(&in, 0, sizeof in);
#define SET(fid, v) (in.has[fid] = true, in.val[fid] = (v))
  SET(PF_NAME, name);
  SET(PF_SEX, sex == 'M' ? "M" : "F");
  SET(PF_ID_NUMBER, idno);
  SET(PF_BIRTH_DATE, birth_iso);
  SET(PF_PHONE, phone);
  SET(PF_ETHNICITY, ethnicity);
  SET(PF_EDUCATION, education);
  SET(PF_MARITAL, marital);
  SET(PF_EMPLOYMENT, employment);
  SET(PF_HOUSEHOLD_ADDRESS, household);
  SET(PF_RESIDENCE_ADDRESS, residence);
  if (*household_div) SET(PF_HOUSEHOLD_DIVISION, household_div); /* else from the ID number */
  const char *drugs = gen_drug_types(&r, by);
  if (showcase) drugs = "methamphetamine";
  SET(PF_DRUG_TYPES, drugs);
  SET(PF_FIRST_FOUND_DATE, found_iso);
  SET(PF_FOUND_HOW, FOUND_HOW[gen_rng_weighted(&r, FOUND_HOW_W, NELEM(FOUND_HOW_W))]);
  SET(PF_PREVIOUS_TREATMENTS, treatments);
  SET(PF_NO_JOB, no_job ? "1" : "0");
  SET(PF_NO_HOME, three_without ? "1" : "0");
  SET(PF_NO_INCOME, three_without ? "1" : "0");
  SET(PF_FK_BASICS, basics);
  SET(PF_FK_CONTACTS, contacts);
  SET(PF_FK_FAMILY_ECONOMY, three_without ? ECONOMY[4] : ECONOMY[gen_rng_below(&r, NELEM(ECONOMY) - 1)]);
  SET(PF_FK_STATE_OF_MIND, mind);
  SET(PF_FK_MOVEMENTS, movements);
#undef SET
  in.has_org = true;
  in.org_code = cm->unit->code;
  /* Help team of 2-4: the community's social worker, the family member,
   * the community police officer, the community cadre. */
  in.has_team = true;
  in.nteam = gen_rng_between(&r, 2, 4);
  const char *roles[4][3] = {{"禁毒社工", cm->worker, cm->worker_phone},
                             {"家属", family, family_phone},
                             {"社区民警", cm->police, cm->police_phone},
                             {"社区干部", cm->cadre, cm->cadre_phone}};
  for (int i = 0; i < in.nteam; i++) {
    in.team[i].role = roles[i][0];
    in.team[i].name = roles[i][1];
    in.team[i].phone = roles[i][2];
  }
  int64_t id;
  int rc = app_person_create(c, &in, &id, e);
  /* The responsible social worker (责任社工): the demo worker of the
   * community takes every other person there and nine of the thirteen showcase
   * cases (so that 我负责的 shows most reasons); the rest are nobody's yet. */
  const char *worker = demo_worker_of(cm->unit->code);
  bool assigned = showcase ? k % 3 != 2 : k % 2 == 0;
  if (rc == ERR_OK && worker && assigned) rc = app_person_set_worker(c, id, worker, e);
  if (rc != ERR_OK) {
    gen_sup_free(&sup);
    return rc;
  }
  as.actor = cm->recorder; /* and its worker keeps the file from here on */

  /* Status history, oldest first, with the documents it brings, and the
   * talks, tests and events of the last DEMO_HISTORY_MONTHS (app/gen.h's
   * simulation, on a stream of its own), in date order. */
  if (!showcase) {
    GenRng rs;
    gen_rng_init(&rs, DEMO_SEED ^ 0x5355504552ull, (uint64_t)k);
    GenSupPerson sp = {drugs, (int)no_job + 2 * (int)three_without, in.nteam >= 2};
    gen_sup_simulate(&rs, hist, nh, ref, &cm->rule, &sp, date_add_months(ref, -DEMO_HISTORY_MONTHS),
                     DEMO_EXTRA_KEEP, &sup);
  }
  char drug[32];
  snprintf(drug, sizeof drug, "%.*s", (int)strcspn(drugs, ","), drugs);
  rc = demo_replay(c, id, k, hist, showcase && k == DEMO_NO_STATUS ? 0 : nh, &sup, ref, transfer_day, drug, e);
  gen_sup_free(&sup);
  if (rc != ERR_OK) return rc;
  /* Casework: a case plan for two supervised persons in three (made 1-5
   * months before ref, reviewed 2-4 months after it: some reviews are due),
   * and a referral for one in four (its follow-up around ref). */
  if (nh > 0 && stats_status_supervised(hist[nh - 1].status)) {
    Day made = ref - gen_rng_between(&r, 30, 150);
    if (made < found) made = found;
    Ctx at = *c;
    at.today = made;
    char made_iso[DATE_ISO_LEN], review_iso[DATE_ISO_LEN];
    demo_iso(made, made_iso);
    demo_iso(date_add_months(made, gen_rng_between(&r, 2, 4)), review_iso);
    if (k % 3 != 2) {
      PlanInput plan = {.goals = "保持操守，稳定就业，修复家庭关系", .review_date = review_iso, .responsible = "社区禁毒社工",
                        .measures = {{"每月谈心谈话一次，了解思想动态", made_iso, "禁毒社工"},
                                     {"协助联系就业岗位或技能培训", made_iso, "社区干部"},
                                     {"家属每周反馈一次近况", made_iso, "家属"}},
                        .nmeasures = 3};
      if ((rc = app_plan_add(&at, id, &plan, NULL, e)) != ERR_OK) return rc;
    }
    if (k % 4 == 1) {
      static const char *const kinds[] = {"employment", "training", "counselling", "subsistence", "methadone"};
      static const char *const providers[] = {"区人社局就业服务中心", "区职业技能培训学校", "社区心理服务站", "街道民政办",
                                              "区美沙酮维持治疗门诊"};
      int j = k / 4 % 5;
      char fu[DATE_ISO_LEN];
      demo_iso(made + gen_rng_between(&r, 20, 40), fu);
      ServiceInput sv = {.kind = kinds[j], .provider = providers[j], .referral_date = made_iso, .follow_up_date = fu};
      if ((rc = app_service_add(&at, id, &sv, NULL, e)) != ERR_OK) return rc;
    }
  }
  /* The help-and-education responsibility letter, signed within a week of
   * the person being found (not after ref). */
  Day signed_day = found + gen_rng_between(&r, 0, 7);
  if (signed_day > ref) signed_day = ref;
  char signed_iso[DATE_ISO_LEN], num[40];
  demo_iso(signed_day, signed_iso);
  snprintf(num, sizeof num, "示帮字〔%d〕%03d号", demo_year(signed_day), k % 997 + 1);
  DocInput letter = {"responsibility_letter", signed_iso, num};
  return app_person_add_doc(c, id, &letter, e);
}

int demo_fill(Ctx *c, Err *e) {
  /* Every date stays on or before the reference day, and before today when
   * the clock is earlier (so validation never meets a future date). */
  Day ref = gen_reference_day();
  if (c->today < ref) ref = c->today;

  DemoComm comms[DEMO_NCOMM];
  Actor actors[NELEM(DEMO_USERS)];
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  int rc = demo_orgs(c, comms, e);
  if (rc == ERR_OK) rc = demo_users(c, actors, e);
  if (rc == ERR_OK) {
    demo_recorders(comms, actors);
    rc = demo_population(c, comms, ref, e);
  }
  if (rc == ERR_OK) rc = demo_unit_fill(c, actors, (int)NELEM(DEMO_USERS), ref, e);
  if (rc == ERR_OK) {
    /* Persons per community: the two communities of the demo workers hold
     * more, the villages fewer. */
    int weights[DEMO_NCOMM];
    GenRng r;
    gen_rng_init(&r, DEMO_SEED, 200000u);
    for (int j = 0; j < DEMO_NCOMM; j++)
      weights[j] = j == 0 ? 32 : j == 1 ? 24 : comms[j].unit->village ? gen_rng_between(&r, 5, 12)
                                                                      : gen_rng_between(&r, 10, 20);
    for (int k = 0; k < DEMO_PERSONS && rc == ERR_OK; k++) rc = demo_person(c, k, comms, weights, ref, e);
  }
  if (rc == ERR_OK && db_commit(c->db, e) != ERR_OK) rc = e->code ? e->code : ERR_INTERNAL;
  if (rc != ERR_OK) db_rollback(c->db);
  return rc;
}
