/* core/unit_vocab.c: owns the vocabularies of eradication patrols and unit
 * tasks (see unit_vocab.h). */
#include "core/unit_vocab.h"
#include <assert.h>
#include <string.h>

const UnitTerm eradication_species_vocab[] = {
  {"poppy", "罂粟"}, {"cannabis", "大麻"}, {"other", "其他毒品原植物"}, {NULL, NULL},
};

const UnitTerm eradication_method_vocab[] = {
  {"on_foot", "徒步踏查"}, {"drone", "无人机巡查"}, {NULL, NULL},
};

const UnitTerm unit_task_vocab[] = {
  {"intel_exchange", "情报交流"}, {"drug_screening", "毒情排查"}, {"info_submission", "信息报送"}, {NULL, NULL},
};

const UnitTerm rhythm_period_vocab[] = {
  {"dekad", "每旬"}, {"month", "每月"}, {"quarter", "每季度"}, {"half", "每半年"}, {"year", "每年"},
  {"none", "不要求"}, {NULL, NULL},
};

const UnitTerm unit_level_vocab[] = {
  {"county", "区/县"}, {"street", "街道/乡镇"}, {"community", "社区/村"}, {NULL, NULL},
};

int unit_term_index(const UnitTerm *vocab, const char *code) {
  for (int i = 0; code && vocab[i].code; i++)
    if (strcmp(vocab[i].code, code) == 0) return i;
  return -1;
}

unsigned unit_term_bit(const UnitTerm *vocab, const char *code) {
  int i = unit_term_index(vocab, code);
  assert(i < 32);
  return i < 0 ? 0 : 1u << i;
}

const char *unit_term_label(const UnitTerm *vocab, const char *code) {
  int i = unit_term_index(vocab, code);
  return i < 0 ? NULL : vocab[i].label_zh;
}

bool unit_term_known(const UnitTerm *vocab, const char *code) { return unit_term_index(vocab, code) >= 0; }
