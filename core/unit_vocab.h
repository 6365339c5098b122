/* core/unit_vocab.h: the vocabulary type (UnitTerm: a code and its Chinese
 * label; every vocabulary of the tree is one array of them ending with
 * {NULL, NULL}, which a field table takes as its choices through
 * FieldSpec.vocab), its lookups, and the vocabularies of eradication patrols
 * (禁种铲毒) and unit tasks (单位工作任务). One registration line each makes
 * a vocabulary part of GET /api/v1/vocab. Codes are stored; labels are
 * catalog msgids (English through web/i18n). */
#ifndef JINDU_UNIT_VOCAB_H
#define JINDU_UNIT_VOCAB_H
#include <stdbool.h>

/* A code and its Chinese label. */
typedef struct UnitTerm {
  const char *code;
  const char *label_zh;
} UnitTerm;

/* Species of drug plants found and destroyed: poppy 罂粟, cannabis 大麻, other. */
extern const UnitTerm eradication_species_vocab[];
#define ERADICATION_SPECIES 3
/* How a patrol searched: on foot 徒步踏查, drone 无人机. */
extern const UnitTerm eradication_method_vocab[];
/* Recurring unit work cleared by a unit work record: intelligence exchange
 * with the police (情报交流), drug-situation screening (毒情排查),
 * information submission (信息报送). */
extern const UnitTerm unit_task_vocab[];
/* The kinds of period a rhythm takes (core/period.h), and "none": the task
 * is not required here (stops what an upper unit set). */
extern const UnitTerm rhythm_period_vocab[];
/* The levels of org units: county 区/县, street 街道/乡镇, community 社区/村. */
extern const UnitTerm unit_level_vocab[];

/* The label of code in vocab, or NULL when it holds no such code. */
const char *unit_term_label(const UnitTerm *vocab, const char *code);
/* The index of code in vocab, -1 when it holds no such code (or code is NULL). */
int unit_term_index(const UnitTerm *vocab, const char *code);
/* The bit of code in a vocabulary used as a bit set (1 << its index; the
 * vocabulary holds at most 32 codes), 0 when it holds no such code. */
unsigned unit_term_bit(const UnitTerm *vocab, const char *code);
/* true when code is one of vocab's codes. */
bool unit_term_known(const UnitTerm *vocab, const char *code);

#endif
