/* core/unit_vocab.h: the vocabularies of eradication patrols (禁种铲毒) and
 * unit tasks (单位工作任务), each an array of {code, Chinese label} ending
 * with {NULL, NULL}, and the NULL-terminated code lists the field tables
 * take as choices (tests/unit/test_unit_core.c checks that the two agree).
 * One registration line each makes them part of GET /api/v1/vocab. Codes
 * are stored; labels are catalog msgids (English through web/i18n). */
#ifndef JINDU_UNIT_VOCAB_H
#define JINDU_UNIT_VOCAB_H

/* A code and its Chinese label. */
typedef struct UnitTerm {
  const char *code;
  const char *label_zh;
} UnitTerm;

/* Species of drug plants found and destroyed: poppy 罂粟, cannabis 大麻, other. */
extern const UnitTerm eradication_species_vocab[];
extern const char *const eradication_species_codes[];
#define ERADICATION_SPECIES 3
/* How a patrol searched: on foot 徒步踏查, drone 无人机. */
extern const UnitTerm eradication_method_vocab[];
extern const char *const eradication_method_codes[];
/* Recurring unit work cleared by a unit work record: intelligence exchange
 * with the police (情报交流), drug-situation screening (毒情排查),
 * information submission (信息报送). */
extern const UnitTerm unit_task_vocab[];
extern const char *const unit_task_codes[];
/* The kinds of period a rhythm takes (core/period.h), and "none": the task
 * is not required here (stops what an upper unit set). */
extern const UnitTerm rhythm_period_vocab[];
extern const char *const rhythm_period_codes[];
/* The levels of org units: county 区/县, street 街道/乡镇, community 社区/村. */
extern const UnitTerm unit_level_vocab[];
extern const char *const unit_level_codes[];

/* The label of code in vocab, or NULL when it holds no such code. */
const char *unit_term_label(const UnitTerm *vocab, const char *code);

#endif
