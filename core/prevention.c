/* core/prevention.c: owns the vocabularies and rules of the prevention
 * ledgers (see core/prevention.h). */
#include "core/prevention.h"
#include <stdio.h>
#include <string.h>
#include "core/stats.h"

const UnitTerm activity_kind_vocab[] = {
  {"lecture", "讲座"},         {"exhibition", "展览/巡展"},    {"campaign", "集中宣传"},
  {"training", "培训"},        {"meeting", "会议"},            {"quiz", "知识竞赛"},
  {"film", "放映"},            {"broadcast", "广播"},          {"volunteer", "志愿服务"},
  {"home_visit", "入户宣传"},  {"other", "其他"},              {NULL, NULL},
};

const UnitTerm activity_setting_vocab[] = {
  {"school", "进学校"}, {"family", "进家庭"}, {"community", "进社区"}, {"unit", "进单位"},
  {"venue", "进场所"}, {"village", "进农村"}, {NULL, NULL},
};

const UnitTerm activity_campaign_vocab[] = {
  {"626", "6·26国际禁毒日"}, {"month", "全民禁毒宣传月"}, {"124", "12·4国家宪法日"}, {"other", "其他专项宣传"},
  {NULL, NULL},
};

const UnitTerm activity_audience_vocab[] = {
  {"students", "中小学生"},   {"parents", "学生家长"},       {"residents", "社区居民"},
  {"villagers", "农村居民"},  {"migrants", "外来务工人员"},  {"venue_staff", "娱乐场所从业人员"},
  {"cadres", "机关干部"},     {"employees", "企业职工"},     {"others", "其他群众"},
  {NULL, NULL},
};

const MaterialTerm activity_material_vocab[ACTIVITY_MATERIALS] = {
  [MAT_LEAFLETS] = {"leaflets", "宣传资料（份）", true},
  [MAT_BANNERS] = {"banners", "横幅（条）", true},
  [MAT_SLOGANS] = {"slogans", "标语（幅）", true},
  [MAT_BOARDS] = {"boards", "板报/宣传栏（期）", true},
  [MAT_EXHIBITS] = {"exhibits", "展板（块）", true},
  [MAT_POSTERS] = {"posters", "挂图（张）", true},
  [MAT_NOTICES] = {"notices", "通告（份）", true},
  [MAT_BROADCASTS] = {"broadcasts", "广播（次）", false},
  [MAT_BROADCAST_MINUTES] = {"broadcast_minutes", "广播时长（分钟）", false},
  [MAT_MESSAGES] = {"messages", "短信/微信推送（条）", false},
};

int64_t prevention_materials_printed(const int64_t m[ACTIVITY_MATERIALS]) {
  int64_t sum = 0;
  for (int i = 0; i < ACTIVITY_MATERIALS; i++)
    if (activity_material_vocab[i].printed) sum += m[i];
  return sum;
}

void prevention_materials_add(int64_t sum[ACTIVITY_MATERIALS], const int64_t m[ACTIVITY_MATERIALS]) {
  for (int i = 0; i < ACTIVITY_MATERIALS; i++) sum[i] += m[i];
}

const UnitTerm survey_group_vocab[] = {
  {"town", "集镇居民"},  {"rural", "农村居民"},  {"migrant", "外来务工人员"}, {"venue", "娱乐场所从业人员"},
  {"student", "中小学生"}, {"cadre", "机关干部"}, {"other", "其他人员"},       {NULL, NULL},
};
const int survey_group_targets[SURVEY_GROUPS] = {100, 90, 100, 100, 100, 100, 90};

const UnitTerm survey_method_vocab[] = {
  {"questionnaire", "问卷调查"}, {"quiz", "知识竞赛/答题"}, {"online", "网络答题"}, {"interview", "走访询问"},
  {"other", "其他方式"}, {NULL, NULL},
};

int survey_group_at(const char *group) { return unit_term_index(survey_group_vocab, group); }

int survey_group_default(const char *group) {
  int i = survey_group_at(group);
  return i < 0 ? 100 : survey_group_targets[i];
}

const char *awareness_counts_msg(int64_t respondents, int64_t aware) {
  if (respondents < 1) return "调查人数至少为1";
  if (aware < 0) return "知晓人数不能为负数";
  if (aware > respondents) return "知晓人数不能大于调查人数";
  return NULL;
}

bool awareness_rate_tenths(int64_t aware, int64_t respondents, int64_t *tenths) {
  return stats_rate_tenths(aware, respondents, tenths);
}

bool awareness_met(int64_t aware, int64_t respondents, int target_pct) {
  return respondents > 0 && aware * 100 >= (int64_t)target_pct * respondents;
}

int awareness_target_resolve(const AwarenessTarget *rows, int n, const int64_t *chain, int depth, const char *group,
                             int *from) {
  int best = -1, best_depth = -1;
  for (int i = 0; i < n; i++) {
    if (!rows[i].group || !group || strcmp(rows[i].group, group) != 0) continue;
    for (int d = 0; d < depth; d++)
      if (chain[d] == rows[i].org_id && d > best_depth) {
        best = i;
        best_depth = d;
      }
  }
  if (from) *from = best;
  return best >= 0 ? rows[best].target_pct : survey_group_default(group);
}

int64_t prevention_setting_bit(const char *code) {
  for (int k = 0; code && activity_setting_vocab[k].code; k++)
    if (strcmp(activity_setting_vocab[k].code, code) == 0) return (int64_t)1 << k;
  return 0;
}

int64_t prevention_settings_mask(const char *settings) {
  int64_t m = 0;
  for (int k = 0; activity_setting_vocab[k].code; k++)
    if (prevention_codes_has(settings, activity_setting_vocab[k].code)) m |= (int64_t)1 << k;
  return m;
}

bool prevention_codes_has(const char *list, const char *code) {
  size_t n = code ? strlen(code) : 0;
  for (const char *s = list; n && s && *s;) {
    size_t k = strcspn(s, ",");
    if (k == n && strncmp(s, code, n) == 0) return true;
    s += k + (s[k] == ',');
  }
  return false;
}

int prevention_total_key(const char *kind, const char *setting, const char *campaign, char dim[PREVENTION_KEY_DIM],
                         char code[PREVENTION_KEY_CODE]) {
  static const char *const names[] = {"kind", "setting", "campaign"};
  const char *vals[] = {kind, setting, campaign};
  dim[0] = code[0] = 0;
  int asked = 0;
  size_t dn = 0, cn = 0;
  for (int i = 0; i < 3; i++) {
    if (!vals[i] || !*vals[i]) continue;
    if (++asked > 2) break;
    dn += (size_t)snprintf(dim + dn, PREVENTION_KEY_DIM - dn, "%s%s", dn ? "_" : "", names[i]);
    cn += (size_t)snprintf(code + cn, PREVENTION_KEY_CODE - cn, "%s%s", cn ? "," : "", vals[i]);
    if (cn >= PREVENTION_KEY_CODE) asked = 3; /* cut: no key */
  }
  if (asked > 2) dim[0] = code[0] = 0;
  return asked > 2 ? 3 : asked;
}

void prevention_activity_slots(const char *kind, const char *settings, int64_t participants, int64_t consultations,
                               const int64_t materials[ACTIVITY_MATERIALS], int64_t *v) {
  v[AS_ACTIVITIES] += 1;
  v[AS_PARTICIPANTS] += participants;
  v[AS_CONSULTATIONS] += consultations;
  v[AS_MATERIALS] += prevention_materials_printed(materials);
  for (int k = 0; k < ACTIVITY_KINDS; k++)
    if (kind && strcmp(activity_kind_vocab[k].code, kind) == 0) v[AS_KIND0 + k] += 1;
  for (int k = 0; k < ACTIVITY_SETTINGS; k++)
    if (prevention_codes_has(settings, activity_setting_vocab[k].code)) v[AS_SETTING0 + k] += 1;
}

void prevention_survey_slots(const char *group, int64_t respondents, int64_t aware, int target, int64_t *v) {
  v[SVS_SURVEYS] += 1;
  v[SVS_RESPONDENTS] += respondents;
  v[SVS_AWARE] += aware;
  v[SVS_MET] += awareness_met(aware, respondents, target);
  int g = survey_group_at(group);
  if (g >= 0) {
    v[SVS_GROUP_RESP0 + g] += respondents;
    v[SVS_GROUP_AWARE0 + g] += aware;
  }
}
