/* app/demo_unit.c: owns the unit work of the demo district (see
 * app/demo_unit.h): rhythms, unit work records, data-set figures and
 * eradication patrols, all relative to the reference day. */
#include "app/demo_unit.h"
#include <stdio.h>
#include <string.h>
#include "app/dataset.h"
#include "app/eradication.h"
#include "app/inspection.h"
#include "app/letter.h"
#include "app/place.h"
#include "app/prevention.h"
#include "app/unit_task.h"
#include "core/period.h"

/* The demo account username as the acting context (assert: it exists). */
typedef struct DuRun {
  Ctx *c;
  const Actor *actors;
  int n;
  Day ref;
  Err *e;
} DuRun;

/* c acting as username. */
static Ctx du_as(const DuRun *d, const char *username) {
  Ctx as = *d->c;
  for (int i = 0; i < d->n; i++)
    if (strcmp(d->actors[i].username, username) == 0) as.actor = &d->actors[i];
  return as;
}

/* The first day of the period of kind t n periods before the one of ref, as ISO text. */
static void du_since(const DuRun *d, PeriodType t, int n, char out[DATE_ISO_LEN]) {
  date_format(period_first_day(period_add(period_of(t, d->ref), -n)), out);
}

/* Sets a rhythm on org as who. */
static int du_rhythm(const DuRun *d, const char *who, const char *org, const char *task, const char *level,
                     const char *period_type, int per, const char *since) {
  Ctx as = du_as(d, who);
  UnitRhythmInput in = {org, task, level, period_type, per, since};
  return app_unit_rhythm_set(&as, &in, NULL, d->e);
}

/* Records a piece of unit work of kind at org on day as who. */
static int du_work(const DuRun *d, const char *who, const char *org, const char *kind, Day day, const char *title,
                   const char *notes) {
  Ctx as = du_as(d, who);
  char date[DATE_ISO_LEN];
  date_format(day, date);
  UnitWorkInput in = {org, kind, date, title, notes};
  return app_unit_work_add(&as, &in, NULL, d->e);
}

/* Enters the n values of dataset for org and period p as who; submits when submit. */
static int du_figures(const DuRun *d, const char *who, const char *dataset, const char *org, Period p,
                      const char *const *codes, const int64_t *vals, int n, bool submit) {
  Ctx as = du_as(d, who);
  char period[PERIOD_TEXT_LEN];
  period_format(p, period);
  DatasetInput in;
  memset(&in, 0, sizeof in);
  for (int i = 0; i < n; i++) {
    in.items[i].code = codes[i];
    in.items[i].has = true;
    in.items[i].value = vals[i];
  }
  in.n = n;
  DatasetNames names;
  return app_dataset_put(&as, dataset, org, period, &in, submit, &names, d->e);
}

/* The rhythms: the district's for every unit, and 青山镇's own screening every ten days. */
static int du_rhythms(const DuRun *d) {
  char s_quarter[DATE_ISO_LEN], s_month[DATE_ISO_LEN], s_year[DATE_ISO_LEN], s_police[DATE_ISO_LEN],
      s_info[DATE_ISO_LEN], s_dekad[DATE_ISO_LEN];
  du_since(d, PERIOD_QUARTER, 4, s_quarter);
  du_since(d, PERIOD_MONTH, 12, s_month);
  du_since(d, PERIOD_YEAR, 0, s_year);
  du_since(d, PERIOD_MONTH, 6, s_police);
  du_since(d, PERIOD_QUARTER, 1, s_info);
  du_since(d, PERIOD_MONTH, 2, s_dekad);
  int rc;
  if ((rc = du_rhythm(d, "admin", "D01", "drug_screening", "community", "quarter", 1, s_quarter)) != ERR_OK ||
      (rc = du_rhythm(d, "admin", "D01", "intel_exchange", "street", "month", 1, s_month)) != ERR_OK ||
      (rc = du_rhythm(d, "admin", "D01", "info_submission", "community", "year", 2, s_year)) != ERR_OK ||
      (rc = du_rhythm(d, "admin", "D01", "dataset:police", "street", "month", 1, s_police)) != ERR_OK ||
      (rc = du_rhythm(d, "admin", "D01", "dataset:information", "community", "quarter", 1, s_info)) != ERR_OK ||
      (rc = du_rhythm(d, "office2", "S02", "drug_screening", "community", "dekad", 1, s_dekad)) != ERR_OK)
    return rc;
  return ERR_OK;
}

/* Screenings, intelligence exchanges and information submissions: most
 * done, some left undone. */
static int du_work_records(const DuRun *d) {
  int rc = ERR_OK;
  /* quarterly screenings of 东湖街道: worker1's community and three others every quarter, 杏林 missed last quarter */
  static const char *const s01_done[] = {"C0101", "C0103", "C0104", "C0105"};
  Period q = period_of(PERIOD_QUARTER, d->ref);
  for (int i = 0; i <= 4 && rc == ERR_OK; i++) {
    Day day = period_first_day(period_add(q, -i)) + 11;
    if (day > d->ref) day = d->ref;
    for (size_t k = 0; k < sizeof s01_done / sizeof s01_done[0] && rc == ERR_OK; k++)
      rc = du_work(d, strcmp(s01_done[k], "C0101") == 0 ? "worker1" : "office1", s01_done[k], "drug_screening", day,
                   "辖区娱乐场所、出租屋毒情排查", "会同社区民警对辖区出租屋、网吧开展排查，未发现涉毒线索。");
    if (rc == ERR_OK && i != 1)
      rc = du_work(d, "worker2", "C0102", "drug_screening", day, "辖区毒情排查", "走访重点人员家属，排查涉毒线索。");
  }
  /* 青山镇 every ten days: three villages keep up, the rest do not */
  static const char *const s02_done[] = {"C0201", "C0202", "C0203"};
  Period dk = period_of(PERIOD_DEKAD, d->ref);
  for (int i = 0; i <= 6 && rc == ERR_OK; i++) {
    Day day = period_first_day(period_add(dk, -i)) + 2;
    if (day > d->ref) continue;
    for (size_t k = 0; k < sizeof s02_done / sizeof s02_done[0] && rc == ERR_OK; k++)
      rc = du_work(d, "office2", s02_done[k], "drug_screening", day, "村组毒情排查", "入户走访，排查种毒、吸毒线索。");
  }
  /* monthly intelligence exchange with the police stations: 东湖街道 missed last month */
  Period m = period_of(PERIOD_MONTH, d->ref);
  for (int i = 0; i <= 12 && rc == ERR_OK; i++) {
    Day day = period_first_day(period_add(m, -i)) + 4;
    if (day > d->ref) continue;
    if (i != 1)
      rc = du_work(d, "office1", "S01", "intel_exchange", day, "与东湖派出所交流涉毒情报",
                   "通报辖区吸毒人员动态，核对失联人员线索。");
    if (rc == ERR_OK)
      rc = du_work(d, "office2", "S02", "intel_exchange", day, "与青山派出所交流涉毒情报", "交流外出务工人员涉毒情况。");
  }
  /* information submissions this year: 东湖社区 two, 杏林社区 one */
  Day jan = period_first_day(period_of(PERIOD_YEAR, d->ref));
  if (rc == ERR_OK)
    rc = du_work(d, "worker1", "C0101", "info_submission", jan + 80, "东湖社区开展禁毒宣传进楼栋", "已报送街道禁毒办。");
  if (rc == ERR_OK)
    rc = du_work(d, "worker1", "C0101", "info_submission", jan + 175, "“6·26”国际禁毒日社区宣传活动", "已报送街道禁毒办。");
  if (rc == ERR_OK)
    rc = du_work(d, "worker2", "C0102", "info_submission", jan + 176, "杏林社区禁毒知识进校园", "已报送街道禁毒办。");
  return rc;
}

/* The figures: police enforcement by month (东湖街道's last month not yet
 * submitted; one month of 青山镇 unlocked and corrected), social workers
 * and information by quarter. */
static int du_datasets(const DuRun *d) {
  static const char *const police[] = {"admin_detention", "isolation", "criminal_detention", "cases"};
  static const char *const workers[] = {"approved", "filled"};
  static const char *const info[] = {"submitted", "adopted"};
  int rc = ERR_OK;
  Period m = period_of(PERIOD_MONTH, d->ref);
  for (int i = 6; i >= 1 && rc == ERR_OK; i--) {
    Period p = period_add(m, -i);
    int64_t a[4] = {3 + i % 3, i % 2, 1 + i % 2, 1 + (i + 1) % 3}, b[4] = {1 + i % 2, (i + 1) % 2, i % 2, i % 3 == 0};
    rc = du_figures(d, "office1", "police", "S01", p, police, a, 4, i != 1);
    if (rc == ERR_OK) rc = du_figures(d, "office2", "police", "S02", p, police, b, 4, true);
  }
  if (rc == ERR_OK) { /* a wrong figure found after submitting: unlocked, corrected, submitted again */
    Period p = period_add(m, -3);
    char period[PERIOD_TEXT_LEN];
    period_format(p, period);
    Ctx as = du_as(d, "admin");
    rc = app_dataset_unlock(&as, "police", "S02", period, "刑事拘留人数与公安机关通报不一致，退回核对。", d->e);
    int64_t fixed[4] = {2, 1, 1, 1};
    if (rc == ERR_OK) rc = du_figures(d, "office2", "police", "S02", p, police, fixed, 4, true);
  }
  Period q = period_add(period_of(PERIOD_QUARTER, d->ref), -1);
  int64_t s01[2] = {12, 10}, s02[2] = {10, 7}, c1[2] = {3, 1}, c2[2] = {2, 0};
  if (rc == ERR_OK) rc = du_figures(d, "office1", "social_workers", "S01", q, workers, s01, 2, true);
  if (rc == ERR_OK) rc = du_figures(d, "office2", "social_workers", "S02", q, workers, s02, 2, true);
  if (rc == ERR_OK) rc = du_figures(d, "worker1", "information", "C0101", q, info, c1, 2, true);
  if (rc == ERR_OK) rc = du_figures(d, "worker2", "information", "C0102", q, info, c2, 2, false);
  return rc;
}

/* Three eradication patrols: poppies found in a village and linked to a
 * police case, a drone patrol that found nothing, cannabis on a roof. */
static int du_patrols(const DuRun *d) {
  struct {
    const char *who, *org;
    int days_before;
    const char *methods, *location, *case_no, *notes;
    int64_t area, poppy, cannabis;
  } const patrols[] = {
    {"office2", "C0203", 150, "on_foot,drone", "石桥村后山三组林地", "示公（禁）立字〔2026〕018号",
     "群众举报后踏查，发现零星种植罂粟，已全部铲除并移交派出所。", 320, 36, 0},
    {"office2", "C0207", 140, "drone", "双井村河滩及荒坡", "", "无人机巡查，未发现毒品原植物。", 850, 0, 0},
    {"police1", "C0101", 100, "on_foot", "东湖社区老旧小区楼顶及庭院", "", "居民阳台盆栽大麻4株，已铲除，对种植人批评教育。", 5, 0, 4},
  };
  for (size_t i = 0; i < sizeof patrols / sizeof patrols[0]; i++) {
    Ctx as = du_as(d, patrols[i].who);
    char date[DATE_ISO_LEN];
    date_format(d->ref - patrols[i].days_before, date);
    EradicationInput in = {.org = patrols[i].org, .date = date, .area_mu = patrols[i].area,
                           .methods = patrols[i].methods, .found = {patrols[i].poppy, patrols[i].cannabis},
                           .destroyed = {patrols[i].poppy, patrols[i].cannabis}, .location = patrols[i].location,
                           .case_no = patrols[i].case_no, .notes = patrols[i].notes};
    int rc = app_eradication_add(&as, &in, NULL, d->e);
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

/* Places and partner units of both streets, the responsibility letters of
 * the year (required signers, most signed) and venue inspections: one with
 * its follow-up done, one overdue, one without a problem. */
static int du_ledgers(const DuRun *d) {
  struct {
    const char *who, *org, *kind, *name, *category, *address, *contact, *phone, *licence;
  } const places[] = {
    {"office1", "C0101", "venue", "星光KTV", "ktv", "东湖路88号", "陈经理", "13900001111", "娱经字（2024）第015号"},
    {"office1", "C0101", "venue", "极速网吧", "internet_cafe", "东湖路102号二楼", "刘经理", "13900002222", "网文（2023）第031号"},
    {"office1", "C0102", "school", "杏林小学", "", "杏林街6号", "政教处", "027-86001234", ""},
    {"office1", "C0103", "enterprise", "柳岸物流有限公司", "", "柳岸工业园3栋", "安保部", "13900003333", ""},
    {"office1", "S01", "member_unit", "东湖派出所", "", "东湖路1号", "值班室", "027-86002110", ""},
    {"office1", "S01", "member_unit", "东湖司法所", "", "东湖路3号", "所长办公室", "027-86002148", ""},
    {"office2", "C0201", "venue", "青山酒吧", "bar", "青山大道18号", "王经理", "13900004444", "娱经字（2025）第007号"},
  };
  int64_t ids[sizeof places / sizeof places[0]];
  for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
    Ctx as = du_as(d, places[i].who);
    PlaceInput in = {places[i].org, places[i].kind, places[i].name, places[i].address, places[i].contact,
                     places[i].phone, places[i].category, places[i].licence, ""};
    int rc = app_place_add(&as, &in, &ids[i], d->e);
    if (rc != ERR_OK) return rc;
  }
  int y, m, dd;
  date_to_ymd(d->ref, &y, &m, &dd);
  Ctx office = du_as(d, "office1");
  static const char *const goal_signers[] = {"C0101", "C0102", "C0103", "C0104"};
  for (size_t i = 0; i < 4; i++) { /* four communities required, three signed */
    LetterRequireInput rq = {"S01", y, "goal", goal_signers[i], 0, NULL, NULL};
    int rc = app_letter_require(&office, &rq, NULL, d->e);
    char date[DATE_ISO_LEN];
    date_format(d->ref - 20 + (int)i * 2, date);
    LetterInput in = {"S01", y, "goal", goal_signers[i], 0, date, ""};
    if (rc == ERR_OK && i < 3) rc = app_letter_add(&office, &in, NULL, d->e);
    if (rc != ERR_OK) return rc;
  }
  for (size_t i = 0; i < 2; i++) { /* both venues required, the KTV signed */
    LetterRequireInput rq = {"S01", y, "venue", NULL, ids[i], NULL, NULL};
    int rc = app_letter_require(&office, &rq, NULL, d->e);
    char date[DATE_ISO_LEN];
    date_format(d->ref - 12, date);
    LetterInput in = {"S01", y, "venue", NULL, ids[i], date, "场所负责人签订，扫描件存档。"};
    if (rc == ERR_OK && i == 0) rc = app_letter_add(&office, &in, NULL, d->e);
    if (rc != ERR_OK) return rc;
  }
  struct {
    const char *who;
    int place, days_before, due_after, done_after;
    const char *inspectors, *result, *findings, *followup;
  } const checks[] = {
    {"police1", 0, 40, 10, 8, "东湖社区民警、禁毒社工", "problem_found", "两个包厢门窗视窗被遮挡，未张贴禁毒宣传标识。",
     "限期10日内拆除遮挡物并张贴禁毒标识。"},
    {"police1", 0, 12, 7, -1, "东湖社区民警、禁毒社工", "problem_found", "从业人员禁毒培训记录不全。",
     "补齐从业人员禁毒培训并报社区备案。"},
    {"worker1", 1, 6, -1, -1, "东湖社区禁毒社工", "no_problem", "", ""},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    Ctx as = du_as(d, checks[i].who);
    char date[DATE_ISO_LEN], due[DATE_ISO_LEN] = "", done[DATE_ISO_LEN];
    Day day = d->ref - checks[i].days_before;
    date_format(day, date);
    if (checks[i].due_after >= 0) date_format(day + checks[i].due_after, due);
    InspectionInput in = {ids[checks[i].place], date, checks[i].inspectors, checks[i].result, checks[i].findings,
                          checks[i].followup, due};
    int64_t id;
    int rc = app_inspection_add(&as, &in, &id, d->e);
    if (rc == ERR_OK && checks[i].done_after >= 0) {
      date_format(day + checks[i].done_after, done);
      InspectionDoneInput di = {done, "已整改到位，复查合格。"};
      rc = app_inspection_done(&as, id, &di, d->e);
    }
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

/* The prevention ledgers: a lecture at a primary school, the street's 6·26
 * mass campaign, a village broadcast and a home-visit round (one
 * corrected); the quiz of 96 cadres, villagers and migrant workers
 * surveyed; a street target for migrant workers. */
static int du_prevention(const DuRun *d) {
  struct {
    const char *who, *org;
    int days_before;
    const char *kind, *settings, *campaign, *title, *partners, *audience;
    int64_t participants, consultations, leaflets, banners, slogans, boards, exhibits, broadcasts, minutes;
  } const acts[] = {
    {"worker1", "C0101", 3, "lecture", "school", "", "东湖小学禁毒知识讲座", "东湖小学", "students,parents", 420, 12, 450,
     1, 0, 1, 0, 0, 0},
    {"office1", "S01", 160, "campaign", "community,unit", "626", "“6·26”国际禁毒日集中宣传", "东湖派出所、司法所",
     "residents,cadres,employees", 1500, 236, 5000, 12, 40, 6, 24, 0, 0},
    {"office2", "C0203", 40, "broadcast", "village", "month", "村村响禁毒广播", "", "villagers", 0, 0, 0, 0, 20, 0, 0,
     30, 150},
    {"worker2", "C0102", 12, "home_visit", "family", "", "禁毒宣传进楼栋入户", "", "residents,migrants", 86, 9, 300, 0, 0,
     0, 0, 0, 0},
  };
  int rc = ERR_OK;
  for (size_t i = 0; rc == ERR_OK && i < sizeof acts / sizeof acts[0]; i++) {
    Ctx as = du_as(d, acts[i].who);
    char date[DATE_ISO_LEN];
    date_format(d->ref - acts[i].days_before, date);
    ActivityInput in = {.org = acts[i].org, .date = date, .kind = acts[i].kind, .settings = acts[i].settings,
                        .campaign = acts[i].campaign, .title = acts[i].title, .partners = acts[i].partners,
                        .audience = acts[i].audience, .participants = acts[i].participants,
                        .consultations = acts[i].consultations, .leaflets = acts[i].leaflets,
                        .banners = acts[i].banners, .slogans = acts[i].slogans, .boards = acts[i].boards,
                        .exhibits = acts[i].exhibits, .broadcasts = acts[i].broadcasts,
                        .broadcast_minutes = acts[i].minutes};
    int64_t id = 0;
    rc = app_activity_add(&as, &in, NULL, &id, d->e);
    if (rc == ERR_OK && i == 3) { /* counted again: 92 came */
      in.participants = 92;
      in.reason = "补登记晚到居民";
      rc = app_activity_correct(&as, id, &in, d->e);
    }
  }
  if (rc == ERR_OK) {
    Ctx as = du_as(d, "office1");
    bool created;
    rc = app_awareness_target_set(&as, "S01", "migrant", 95, &created, d->e);
  }
  struct {
    const char *who, *org;
    int days_before;
    const char *group, *method, *title;
    int64_t respondents, aware;
  } const surveys[] = {
    {"office1", "S01", 150, "cadre", "quiz", "机关干部禁毒知识竞赛", 96, 87},
    {"office2", "C0203", 60, "rural", "questionnaire", "农村居民禁毒知识问卷", 120, 110},
    {"worker1", "C0101", 20, "migrant", "interview", "外来务工人员走访询问", 40, 39},
    {"worker1", "C0101", 2, "student", "online", "东湖小学网络答题", 380, 380},
  };
  for (size_t i = 0; rc == ERR_OK && i < sizeof surveys / sizeof surveys[0]; i++) {
    Ctx as = du_as(d, surveys[i].who);
    char date[DATE_ISO_LEN];
    date_format(d->ref - surveys[i].days_before, date);
    SurveyInput in = {.org = surveys[i].org, .date = date, .group = surveys[i].group, .method = surveys[i].method,
                      .title = surveys[i].title, .respondents = surveys[i].respondents, .aware = surveys[i].aware};
    rc = app_survey_add(&as, &in, NULL, d->e);
  }
  return rc;
}

int demo_unit_fill(Ctx *c, const Actor *actors, int n, Day ref, Err *e) {
  DuRun d = {c, actors, n, ref, e};
  int rc = du_rhythms(&d);
  if (rc == ERR_OK) rc = du_work_records(&d);
  if (rc == ERR_OK) rc = du_datasets(&d);
  if (rc == ERR_OK) rc = du_patrols(&d);
  if (rc == ERR_OK) rc = du_ledgers(&d);
  if (rc == ERR_OK) rc = du_prevention(&d);
  return rc;
}
