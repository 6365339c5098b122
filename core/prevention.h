/* core/prevention.h: the vocabularies and rules of the prevention ledgers
 * (DOMAIN.md §5, issue 10 points 2-3): publicity and education activities
 * (宣传教育活动: kinds, the six-entries settings 六进, campaigns, audience
 * groups, materials by type) and awareness surveys (知晓率: target groups
 * with their default targets, methods), the awareness rate and whether it
 * meets its target, the target a unit inherits from the tree, and the
 * materials totals. Vocabularies are {code, Chinese label} arrays ending
 * with {NULL, NULL} (core/unit_vocab.h's UnitTerm), which the field tables
 * take as their choices. Pure: no I/O. */
#ifndef JINDU_PREVENTION_H
#define JINDU_PREVENTION_H
#include <stdbool.h>
#include <stdint.h>
#include "core/unit_vocab.h"

/* Kinds of activity: lecture 讲座, exhibition 展览/巡展, mass campaign 集中宣传,
 * training 培训, meeting 会议, quiz 知识竞赛, film 放映, broadcast 广播,
 * volunteer service 志愿服务, home visit 入户宣传, other. */
extern const UnitTerm activity_kind_vocab[];
#define ACTIVITY_KINDS 11
/* The six entries (六进): 进学校 进家庭 进社区 进单位 进场所 进农村. */
extern const UnitTerm activity_setting_vocab[];
#define ACTIVITY_SETTINGS 6
/* Campaign tags: 6·26 国际禁毒日, 全民禁毒宣传月, 12·4 国家宪法日, other. */
extern const UnitTerm activity_campaign_vocab[];
/* Audience groups of an activity (several). */
extern const UnitTerm activity_audience_vocab[];

/* Materials by type, in this order (the API's "materials" object and the
 * columns of activity). A unit of count each (份, 条, 幅, 期, 块, 张, 份,
 * 次, 分钟, 条). */
typedef enum {
  MAT_LEAFLETS, MAT_BANNERS, MAT_SLOGANS, MAT_BOARDS, MAT_EXHIBITS, MAT_POSTERS, MAT_NOTICES,
  MAT_BROADCASTS, MAT_BROADCAST_MINUTES, MAT_MESSAGES, ACTIVITY_MATERIALS
} ActivityMaterial;
typedef struct MaterialTerm {
  const char *code;     /* API and column name */
  const char *label_zh; /* 资料/传单（份） */
  bool printed;         /* counted in the printed materials total (宣传品) */
} MaterialTerm;
extern const MaterialTerm activity_material_vocab[ACTIVITY_MATERIALS];

/* The printed materials an activity handed out or put up (资料, 横幅,
 * 标语, 板报, 展板, 挂图, 通告): the sum of the printed types of m;
 * broadcasts, their minutes and pushed messages are not pieces. Counts are
 * non-negative. */
int64_t prevention_materials_printed(const int64_t m[ACTIVITY_MATERIALS]);
/* Adds the materials of one activity to sum (per type). */
void prevention_materials_add(int64_t sum[ACTIVITY_MATERIALS], const int64_t m[ACTIVITY_MATERIALS]);

/* Target groups of awareness surveys and their default targets in percent
 * (集镇居民 100, 农村居民 90, 外来务工人员 100, 娱乐场所从业人员 100, 中小学生 100,
 * 机关干部 100, other 90). */
extern const UnitTerm survey_group_vocab[];
#define SURVEY_GROUPS 7
/* The default target of each group, in survey_group_vocab's order. */
extern const int survey_group_targets[SURVEY_GROUPS];
/* How a survey asked: questionnaire 问卷调查, quiz 知识竞赛/答题, online 网络答题,
 * interview 走访询问, other. */
extern const UnitTerm survey_method_vocab[];

/* The index of group in survey_group_vocab, -1 when unknown. */
int survey_group_at(const char *group);
/* The default target (percent) of group; 100 for an unknown one. */
int survey_group_default(const char *group);

/* The rule of a survey's counts: respondents >= 1, 0 <= aware <=
 * respondents. NULL when they hold, else the Chinese message (field
 * "aware" when aware is above respondents). */
const char *awareness_counts_msg(int64_t respondents, int64_t aware);
/* The awareness rate aware ÷ respondents in tenths of a percent, rounded
 * half up (87 of 96 = 90.6 % gives 906); false when respondents is 0. */
bool awareness_rate_tenths(int64_t aware, int64_t respondents, int64_t *tenths);
/* Whether aware of respondents meets target_pct percent (exactly: aware x
 * 100 >= target x respondents; no rounding lifts a rate over its target).
 * false when respondents is 0. */
bool awareness_met(int64_t aware, int64_t respondents, int target_pct);

/* A target set on a unit for a group (awareness_target rows). */
typedef struct AwarenessTarget {
  int64_t org_id;
  const char *group;
  int target_pct;
} AwarenessTarget;
/* The target that applies to the unit whose path's ids are chain[0..depth)
 * (root first, the unit last; core/rhythm.h rhythm_path_chain) for group:
 * the one set on the deepest unit of the chain, else the group's default.
 * *from (may be NULL) = the index in rows of the rule applied, -1 for the
 * default. */
int awareness_target_resolve(const AwarenessTarget *rows, int n, const int64_t *chain, int depth, const char *group,
                             int *from);

/* ---- statistics (app/stats.c providers "activity" and "survey") ---- */

/* The activity provider's slots: what the current activities dated in the
 * period add up to per unit. */
enum {
  AS_ACTIVITIES,    /* activities */
  AS_PARTICIPANTS,  /* participants */
  AS_CONSULTATIONS, /* consultations (咨询人次) */
  AS_MATERIALS,     /* printed materials (prevention_materials_printed) */
  AS_KIND0,         /* activities by kind: AS_KIND0 + index in activity_kind_vocab */
  AS_SETTING0 = AS_KIND0 + ACTIVITY_KINDS, /* by 六进 setting (an activity counts once per setting) */
  AS__COUNT = AS_SETTING0 + ACTIVITY_SETTINGS
};
/* The survey provider's slots. */
enum {
  SVS_SURVEYS,     /* surveys */
  SVS_RESPONDENTS, /* respondents */
  SVS_AWARE,       /* aware */
  SVS_MET,         /* surveys whose rate meets the target they were recorded against */
  SVS_GROUP_RESP0, /* respondents per group: + index in survey_group_vocab */
  SVS_GROUP_AWARE0 = SVS_GROUP_RESP0 + SURVEY_GROUPS, /* aware per group */
  SVS__COUNT = SVS_GROUP_AWARE0 + SURVEY_GROUPS
};
/* What one activity adds to each slot of v (AS__COUNT of them). */
void prevention_activity_slots(const char *kind, const char *settings, int64_t participants, int64_t consultations,
                               const int64_t materials[ACTIVITY_MATERIALS], int64_t *v);
/* What one survey adds to each slot of v (SVS__COUNT of them). */
void prevention_survey_slots(const char *group, int64_t respondents, int64_t aware, int target, int64_t *v);

/* The settings (六进) of an activity as bits: bit k for
 * activity_setting_vocab[k].code (the column activity.settings_mask, which a
 * list filters on with an AND). Unknown codes add nothing. */
int64_t prevention_settings_mask(const char *settings);
/* The bit of one setting code; 0 when it is not one. */
int64_t prevention_setting_bit(const char *code);

/* true when the comma-joined codes list holds code. */
bool prevention_codes_has(const char *list, const char *code);

/* The key of the sums kept per filter of the activities (table
 * activity_total_by: a list filtered by one or two of kind, 六进 setting
 * and campaign totals its whole months from there): given the filter's
 * values (NULL or "": not asked), dim names which are asked ("kind",
 * "setting", "campaign", or a pair "kind_setting", "kind_campaign",
 * "setting_campaign") and code holds their values ("lecture", or
 * "lecture,school" for a pair, in the order of dim's name). Answers how
 * many are asked; dim and code are "" unless that is 1 or 2 (none asked:
 * the plain monthly sums; all three: no key, nothing kept). A value too
 * long for code gives no key either (answers 3). The writer of the sums
 * and the list's totals both key through here. */
#define PREVENTION_KEY_DIM 24
#define PREVENTION_KEY_CODE 64
int prevention_total_key(const char *kind, const char *setting, const char *campaign, char dim[PREVENTION_KEY_DIM],
                         char code[PREVENTION_KEY_CODE]);

#endif
