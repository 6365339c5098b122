/* core/ledger.c: owns the vocabularies and rules of places, responsibility
 * letters and venue inspections (see core/ledger.h). */
#include "core/ledger.h"
#include <string.h>

const UnitTerm place_kind_vocab[] = {
  {"school", "学校"}, {"enterprise", "企业"}, {"venue", "娱乐场所"}, {"member_unit", "成员单位"},
  {"village_group", "村民小组"}, {"other", "其他单位"}, {NULL, NULL},
};

const UnitTerm venue_category_vocab[] = {
  {"ktv", "歌舞娱乐场所（KTV）"}, {"bar", "酒吧"}, {"internet_cafe", "网吧"}, {"hotel", "宾馆酒店"},
  {"bath", "洗浴足浴场所"}, {"game", "游艺场所"}, {"other", "其他场所"}, {NULL, NULL},
};

const UnitTerm letter_kind_vocab[] = {
  {"goal", "禁毒目标责任书"}, {"eradication", "禁种铲毒责任书"}, {"venue", "场所禁毒责任书"},
  {"other", "其他责任书"}, {NULL, NULL},
};

const UnitTerm inspection_result_vocab[] = {
  {"no_problem", "未发现问题"}, {"problem_found", "发现问题"}, {NULL, NULL},
};

const UnitTerm followup_state_vocab[] = {
  {"open", "待整改"}, {"overdue", "整改逾期"}, {"done", "已整改"}, {"none", "无需整改"}, {NULL, NULL},
};

bool letter_year_ok(int year, Day today) {
  int y, m, d;
  date_to_ymd(today, &y, &m, &d);
  return year >= LETTER_YEAR_MIN && year <= y + 1;
}

bool letter_signed_date_ok(int year, Day signed_day) {
  return signed_day >= date_from_ymd(year - 1, 12, 1) && signed_day <= date_from_ymd(year, 12, 31);
}

void letter_slots(int year, const char *signed_day, int year_t, const char *d, int64_t *v) {
  if (year == year_t && signed_day && *signed_day && strcmp(signed_day, d) <= 0) v[LS_LETTERS] += 1;
}

void letter_need_slots(int year, const char *signed_day, int year_t, const char *d, int64_t *v) {
  if (year != year_t) return;
  v[LS_REQUIRED] += 1;
  if (signed_day && *signed_day && strcmp(signed_day, d) <= 0) v[LS_REQUIRED_SIGNED] += 1;
}

FollowupState inspection_followup_state(bool problem, Day due, Day done, Day today) {
  if (done != LEDGER_NO_DAY) return FOLLOWUP_DONE;
  if (!problem && due == LEDGER_NO_DAY) return FOLLOWUP_NONE;
  if (due != LEDGER_NO_DAY && due < today) return FOLLOWUP_OVERDUE;
  return FOLLOWUP_OPEN;
}

const char *followup_state_code(FollowupState s) {
  static const char *const codes[] = {"none", "open", "overdue", "done"};
  return codes[s];
}

bool place_kind_has_category(const char *kind) { return kind && strcmp(kind, "venue") == 0; }
