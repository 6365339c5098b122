/* core/casework.c: owns the casework vocabularies and rules (see
 * casework.h): help-team roles and required sets, service kinds and their
 * state machine, the checks of the complete file. */
#include "core/casework.h"
#include <stdio.h>
#include <string.h>

const UnitTerm help_role_vocab[] = {
  {"family", "家属"},          {"cadre", "社区干部"},   {"police", "社区民警"}, {"social_worker", "禁毒社工"},
  {"judicial", "司法所"},      {"civil_affairs", "民政"}, {"human_resources", "人社"}, {"medical", "医务人员"},
  {"volunteer", "志愿者"},     {"other", "其他"},       {NULL, NULL},
};

const UnitTerm team_requirement_vocab[] = {
  {"four", "四位一体（家属、社区干部、社区民警、禁毒社工）"},
  {"six", "六位一体（社区、派出所、司法所、家庭、民政、人社）"},
  {NULL, NULL},
};

unsigned help_role_bit(const char *code) { return unit_term_bit(help_role_vocab, code); }

const char *help_role_of_text(const char *text) {
  if (!text) return NULL;
  while (*text == ' ') text++;
  size_t n = strlen(text);
  while (n && text[n - 1] == ' ') n--;
  for (int i = 0; help_role_vocab[i].code; i++) {
    const UnitTerm *t = &help_role_vocab[i];
    if ((strlen(t->code) == n && strncmp(t->code, text, n) == 0) ||
        (strlen(t->label_zh) == n && strncmp(t->label_zh, text, n) == 0))
      return t->code;
  }
  return NULL;
}

bool help_roles_parse(const char *list, unsigned *mask) {
  *mask = 0;
  if (!list || !*list) return false;
  const char *p = list;
  while (*p) {
    const char *q = strchr(p, ',');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    char code[32];
    if (n == 0 || n >= sizeof code) return false;
    memcpy(code, p, n);
    code[n] = 0;
    unsigned b = help_role_bit(code);
    if (!b || b == 1u << HELP_ROLE_OTHER || (*mask & b)) return false;
    *mask |= b;
    p = q ? q + 1 : p + n;
    if (q && !*p) return false;
  }
  return true;
}

void help_roles_format(unsigned mask, char *out, int n) {
  int len = 0;
  out[0] = 0;
  for (int i = 0; help_role_vocab[i].code && len < n; i++)
    if (mask & (1u << i)) len += snprintf(out + len, (size_t)(n - len), "%s%s", len ? "," : "", help_role_vocab[i].code);
}

const UnitTerm service_kind_vocab[] = {
  {"subsistence", "低保/临时救助"}, {"employment", "就业安置"},   {"training", "技能培训"},
  {"counselling", "心理咨询/疏导"}, {"medical", "医疗"},         {"methadone", "美沙酮维持治疗"},
  {"legal", "法律援助"},            {"housing", "住房"},         {"family_education", "家属教育"},
  {"other", "其他"},                {NULL, NULL},
};

const UnitTerm service_state_vocab[] = {
  {"referred", "已转介"}, {"accepted", "已受理"}, {"delivered", "已提供"}, {"declined", "未受理"}, {NULL, NULL},
};

int service_kind_index(const char *code) { return unit_term_index(service_kind_vocab, code); }
int service_state_index(const char *code) { return unit_term_index(service_state_vocab, code); }

bool service_step_allowed(const char *from, const char *to) {
  int f = service_state_index(from), t = service_state_index(to);
  if (f < 0 || t < 0) return false;
  if (f == t) return true;
  if (strcmp(from, "referred") == 0) return strcmp(to, "accepted") == 0 || strcmp(to, "declined") == 0;
  if (strcmp(from, "accepted") == 0) return strcmp(to, "delivered") == 0 || strcmp(to, "declined") == 0;
  return false;
}

const UnitTerm file_check_vocab[] = {
  {"team", "帮教小组覆盖要求的角色"},
  {"plan", "帮扶计划（至少一项措施）"},
  {"document", "社区戒毒（康复）协议或帮教责任书"},
  {"talk", "谈话走访未逾期"},
  {NULL, NULL},
};

unsigned file_check_bit(const char *item) { return unit_term_bit(file_check_vocab, item); }

unsigned casework_file_missing(unsigned rule, const CaseFileState *s) {
  unsigned miss = 0;
  if ((s->team_roles & s->required_roles) != s->required_roles) miss |= CF_TEAM;
  if (!s->plan) miss |= CF_PLAN;
  if (!s->document) miss |= CF_DOCUMENT;
  if (!s->talk_on_time) miss |= CF_TALK;
  return miss & rule;
}
