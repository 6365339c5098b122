/* app/demo.c: owns the demo district (see app/demo.h): its org tree with
 * population figures, the demo accounts, and the fictional persons with
 * their case files, help teams, status histories and documents. The random
 * pieces (names, ID numbers, histories) come from app/gen.h with a fixed
 * seed; everything is written through the ordinary use cases. */
#include "app/demo.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "app/audit.h"
#include "app/gen.h"
#include "app/org.h"
#include "app/person.h"
#include "app/user.h"
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

/* Sets the population of unit code, audited, in the open transaction. */
static int demo_population(Ctx *c, const char *code, int64_t reg, int64_t res, int64_t flo, Err *e) {
  OrgUnit u;
  int rc = app_org_get(c, code, &u, e);
  if (rc == ERR_OK) rc = store_gen_org_set_population(c->db, u.id, reg, res, flo, e);
  if (rc != ERR_OK) return rc;
  Buf d = BUF_INIT;
  audit_detail_int(&d, "registered", reg);
  audit_detail_int(&d, "resident", res);
  audit_detail_int(&d, "floating", flo);
  rc = audit_write(c, "population", "org", u.id, u.path, buf_str(&d), e);
  buf_reset(&d);
  return rc;
}

/* Creates the org tree with population figures and fills comms[]. */
static int demo_orgs(Ctx *c, DemoComm *comms, Err *e) {
  int rc;
  for (int i = 0; i < DEMO_NUNITS; i++) {
    const DemoUnit *u = &DEMO_UNITS[i];
    if ((rc = app_org_add(c, u->code, u->name, u->level, u->parent, NULL, e)) != ERR_OK) return rc;
  }
  int64_t sum[3][3] = {{0}}; /* county, S01, S02 x registered, resident, floating */
  for (int j = 0; j < DEMO_NCOMM; j++) {
    DemoComm *cm = &comms[j];
    memset(cm, 0, sizeof *cm);
    cm->unit = &DEMO_UNITS[DEMO_FIRST_COMMUNITY + j];
    int street = strcmp(cm->unit->parent, "S01") == 0 ? 1 : 2;
    cm->street = DEMO_UNITS[street].name;
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
    if ((rc = demo_population(c, cm->unit->code, cm->pop_registered, cm->pop_resident, cm->pop_floating, e)) != ERR_OK)
      return rc;
    int64_t v[3] = {cm->pop_registered, cm->pop_resident, cm->pop_floating};
    for (int k = 0; k < 3; k++) {
      sum[0][k] += v[k];
      sum[street][k] += v[k];
    }
  }
  for (int i = 0; i < 3; i++)
    if ((rc = demo_population(c, DEMO_UNITS[i].code, sum[i][0], sum[i][1], sum[i][2], e)) != ERR_OK) return rc;
  return ERR_OK;
}

/* Creates the demo accounts. */
static int demo_users(Ctx *c, Err *e) {
  for (size_t i = 0; i < NELEM(DEMO_USERS); i++) {
    int rc = app_user_add(c, DEMO_USERS[i].username, DEMO_USERS[i].display, DEMO_USERS[i].role, DEMO_USERS[i].org,
                          DEMO_PASSWORD, NULL, e);
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

/* Creates demo person k (0-based) in its community with its history and
 * documents, all dated on or before ref. */
static int demo_person(Ctx *c, int k, const DemoComm *comms, const int *weights, Day ref, Err *e) {
  GenRng r;
  gen_rng_init(&r, DEMO_SEED, (uint64_t)k);
  const DemoComm *cm = &comms[gen_rng_weighted(&r, weights, DEMO_NCOMM)];

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
  char residence[200], household[200];
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
  bool three_without = gen_rng_percent(&r, 10);
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
  SET(PF_DRUG_TYPES, gen_drug_types(&r, by));
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
  if (rc != ERR_OK) return rc;

  /* Status history, oldest first, and the documents it brings. */
  Status before = ST_NONE;
  for (int i = 0; i < nh; i++) {
    const GenEpisode *h = &hist[i];
    char dec[DATE_ISO_LEN], start[DATE_ISO_LEN] = "", decno[80];
    demo_iso(h->decision, dec);
    if (h->has_start) demo_iso(h->start, start);
    demo_decision_no(h->status, h->decision, (k * 7 + i * 13) % 997 + 1, decno, sizeof decno);
    StatusInput si = {.status = status_code(h->status),
                      .decision_date = dec,
                      .start_date = h->has_start ? start : NULL,
                      .decision_no = decno,
                      .note = demo_note(h->status, before),
                      .corrects_id = 0};
    if ((rc = app_person_add_status(c, id, &si, NULL, e)) != ERR_OK) return rc;
    if (status_is_community_order(h->status) && h->has_start) {
      char num[40];
      snprintf(num, sizeof num, "示社戒协字〔%d〕%03d号", demo_year(h->start), (k * 11 + i) % 997 + 1);
      DocInput doc = {"agreement", start, num};
      if ((rc = app_person_add_doc(c, id, &doc, e)) != ERR_OK) return rc;
    }
    before = h->status;
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
  if (db_begin(c->db, e) != DB_OK) return e->code;
  int rc = demo_orgs(c, comms, e);
  if (rc == ERR_OK) rc = demo_users(c, e);
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
  if (rc == ERR_OK && db_commit(c->db, e) != DB_OK) rc = e->code ? e->code : ERR_INTERNAL;
  if (rc != ERR_OK) db_rollback(c->db);
  return rc;
}
