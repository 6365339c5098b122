/* core/quality.c: owns the data-quality rules of the case files (see
 * core/quality.h): the rule table, the check of one file and the ranking
 * order of units. */
#include "core/quality.h"
#include <stddef.h>
#include <string.h>
#include "core/buf.h"
#include "core/idcard.h"

static bool q_has(const char *s) {
  if (!s) return false;
  for (; *s; s++)
    if (*s != ' ') return true;
  return false;
}

static bool q_supervised(const QualityPerson *p) {
  return p->status == ST_COMMUNITY_DETOX || p->status == ST_COMMUNITY_REHAB || p->status == ST_SOCIAL_SUPERVISION;
}
static bool q_order(const QualityPerson *p) { return status_is_community_order(p->status); }

static bool ok_name(const QualityPerson *p) { return q_has(p->name); }
static bool ok_id(const QualityPerson *p) { return q_has(p->id_number); }
static bool ok_phone(const QualityPerson *p) { return q_has(p->phone); }
static bool ok_household(const QualityPerson *p) { return q_has(p->household_address); }
static bool ok_residence(const QualityPerson *p) { return q_has(p->residence_address); }
static bool ok_drugs(const QualityPerson *p) { return q_has(p->drug_types); }
static bool ok_found(const QualityPerson *p) { return q_has(p->first_found_date); }
static bool ok_status(const QualityPerson *p) { return p->status != ST_NONE; }
static bool ok_team(const QualityPerson *p) { return p->team > 0; }
static bool ok_agreement(const QualityPerson *p) { return p->agreements > 0; }

static bool ok_id_valid(const QualityPerson *p) { return idcard_validate(p->id_number, NULL) == IDCARD_OK; }
static bool ap_id_read(const QualityPerson *p) {
  IdcardInfo info;
  return p->id_number && idcard_read(p->id_number, &info);
}
static bool ok_id_birth(const QualityPerson *p) {
  IdcardInfo info;
  Day b;
  return idcard_read(p->id_number, &info) && p->birth_date && date_parse(p->birth_date, &b) && b == info.birth;
}
static bool ok_id_sex(const QualityPerson *p) {
  IdcardInfo info;
  return idcard_read(p->id_number, &info) && p->sex && p->sex[0] == info.sex && !p->sex[1];
}
static bool ok_found_date(const QualityPerson *p) {
  Day f, b;
  if (!date_parse(p->first_found_date, &f) || f > p->today) return false;
  return !(p->birth_date && date_parse(p->birth_date, &b)) || f >= b;
}
static bool ap_episodes(const QualityPerson *p) { return p->neps > 0; }
static bool ok_episode_dates(const QualityPerson *p) {
  for (int i = 0; i < p->neps; i++) {
    const QualityEpisode *x = &p->eps[i];
    if (x->has_decision && x->has_start && x->start < x->decision) return false;
    if ((x->has_decision && x->decision > p->today) || (x->has_start && x->start > p->today + 366)) return false;
  }
  return true;
}
static bool ok_transitions(const QualityPerson *p) {
  Status from = ST_NONE;
  for (int i = 0; i < p->neps; i++) {
    if (!status_transition_allowed(from, p->eps[i].status)) return false;
    from = p->eps[i].status;
  }
  return true;
}
/* The day an episode began: its start, else its decision (false: neither). */
static bool q_begin(const QualityEpisode *x, Day *d) {
  if (x->has_start) *d = x->start;
  else if (x->has_decision) *d = x->decision;
  else return false;
  return true;
}
static bool ap_custody(const QualityPerson *p) {
  for (int i = 0; i < p->neps; i++)
    if (p->eps[i].status == ST_COMPULSORY_ISOLATION || p->eps[i].status == ST_IMPRISONED) return true;
  return false;
}
static bool ok_no_contact_in_custody(const QualityPerson *p) {
  for (int i = 0; i < p->neps; i++) {
    Status st = p->eps[i].status;
    Day from, to = INT32_MAX;
    if ((st != ST_COMPULSORY_ISOLATION && st != ST_IMPRISONED) || !q_begin(&p->eps[i], &from)) continue;
    for (int k = i + 1; k < p->neps; k++)
      if (q_begin(&p->eps[k], &to)) break;
    /* the day taken in and the day released may hold a talk */
    for (int c = 0; c < p->ncontacts; c++)
      if (p->contacts[c] > from && p->contacts[c] < to) return false;
  }
  return true;
}

#define C(code, zh, def, ap, ok) {code, QK_COMPLETE, zh, def, ap, ok}
#define L(code, zh, def, ap, ok) {code, QK_LOGIC, zh, def, ap, ok}
const QualityRule quality_rules[] = {
  C("name", "姓名", "档案填写了姓名", NULL, ok_name),
  C("id_number", "身份证号", "档案填写了公民身份号码", NULL, ok_id),
  C("phone", "联系电话", "档案填写了联系电话", NULL, ok_phone),
  C("household_address", "户籍地址", "档案填写了户籍地址", NULL, ok_household),
  C("residence_address", "居住地址", "档案填写了实际居住地址", NULL, ok_residence),
  C("drug_types", "滥用毒品种类", "档案填写了滥用毒品种类", NULL, ok_drugs),
  C("first_found_date", "初次发现日期", "档案填写了初次发现日期", NULL, ok_found),
  C("status", "管控状态", "档案登记了管控状态", NULL, ok_status),
  C("help_team", "帮教小组", "社区戒毒、社区康复、社会面管控人员建立了帮教小组", q_supervised, ok_team),
  C("agreement", "戒毒（康复）协议", "社区戒毒、社区康复人员签订了协议", q_order, ok_agreement),
  L("id_valid", "身份证号校验", "公民身份号码18位、出生日期真实、校验位正确", NULL, ok_id_valid),
  L("id_birth", "出生日期与身份证号一致", "出生日期与公民身份号码第7至14位一致", ap_id_read, ok_id_birth),
  L("id_sex", "性别与身份证号一致", "性别与公民身份号码第17位（奇数男、偶数女）一致", ap_id_read, ok_id_sex),
  L("found_date", "初次发现日期合理", "初次发现日期不早于出生日期、不晚于今天", ok_found, ok_found_date),
  L("episode_dates", "决定与执行日期合理", "执行（报到）日期不早于决定日期，决定日期不晚于今天", ap_episodes,
    ok_episode_dates),
  L("status_transitions", "管控状态变化合法", "每次管控状态变化都是法律允许的（如死亡后不再有状态）", ap_episodes,
    ok_transitions),
  L("no_contact_in_custody", "强戒服刑期间无谈话检测", "强制隔离戒毒、服刑期间（入所、出所当日除外）没有谈话走访或检测记录",
    ap_custody, ok_no_contact_in_custody),
};
#undef C
#undef L

int quality_rule_count(void) { return (int)(sizeof quality_rules / sizeof quality_rules[0]); }

const QualityRule *quality_rule_by_code(const char *code) {
  return array_find_str(quality_rules, quality_rule_count(), sizeof *quality_rules, offsetof(QualityRule, code), code);
}

const char *quality_kind_code(QualityKind k) { return k == QK_LOGIC ? "logic" : "complete"; }

uint32_t quality_check(const QualityPerson *p, QualityTally *t) {
  uint32_t failed = 0;
  QualityTally one = {.files = 1};
  for (int i = 0; i < quality_rule_count(); i++) {
    const QualityRule *r = &quality_rules[i];
    if (r->applies && !r->applies(p)) continue;
    bool ok = r->ok(p);
    if (!ok) failed |= 1u << i;
    if (r->kind == QK_COMPLETE) one.complete_all++, one.complete_ok += ok;
    else one.logic_all++, one.logic_ok += ok;
  }
  one.failing = failed != 0;
  if (t) quality_tally_add(t, &one);
  return failed;
}

void quality_tally_add(QualityTally *a, const QualityTally *b) {
  a->files += b->files;
  a->failing += b->failing;
  a->complete_ok += b->complete_ok;
  a->complete_all += b->complete_all;
  a->logic_ok += b->logic_ok;
  a->logic_all += b->logic_all;
}

/* a_ok/a_all against b_ok/b_all: > 0 when a's rate is higher (0/0 lowest). */
static int q_rate_cmp(int64_t a_ok, int64_t a_all, int64_t b_ok, int64_t b_all) {
  if (!a_all || !b_all) return (a_all != 0) - (b_all != 0);
  __int128 x = (__int128)a_ok * b_all, y = (__int128)b_ok * a_all;
  return x > y ? 1 : x < y ? -1 : 0;
}

int quality_rank_cmp(const QualityTally *a, const QualityTally *b) {
  if (!a->files || !b->files) return (b->files != 0) - (a->files != 0);
  int c = q_rate_cmp(a->complete_ok, a->complete_all, b->complete_ok, b->complete_all);
  if (!c) c = q_rate_cmp(a->logic_ok, a->logic_all, b->logic_ok, b->logic_all);
  if (!c) c = (a->files > b->files) - (a->files < b->files);
  return -c;
}
