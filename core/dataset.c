/* core/dataset.c: owns the pure rules of data sets (see dataset.h): the
 * open/submitted state machine, the period and value checks, count
 * parsing, and the "office above" relation of two unit paths. */
#include "core/dataset.h"
#include <string.h>

#define M_LOCKED "该期数据已上报并锁定，需由上级单位解锁后才能修改"
#define M_SUBMITTED_ALREADY "该期数据已经上报"
#define M_NOT_SUBMITTED "该期数据尚未上报，无需解锁"
#define M_PERIOD_KIND "报告期类型与数据集不符"
#define M_PERIOD_FUTURE "报告期尚未开始"
#define M_NEGATIVE "应为不小于0的整数"
#define M_TOO_BIG "数值过大"
#define M_ABOVE_MAX "不能大于相关项目的数值"
#define M_INCOMPLETE "请填写后再上报"

const char *ds_state_code(DsState s) { return s == DS_SUBMITTED ? "submitted" : "open"; }
const char *ds_state_name_zh(DsState s) { return s == DS_SUBMITTED ? "已上报（锁定）" : "未上报"; }

bool ds_state_from_code(const char *code, DsState *out) {
  if (code && strcmp(code, "open") == 0) *out = DS_OPEN;
  else if (code && strcmp(code, "submitted") == 0) *out = DS_SUBMITTED;
  else return false;
  return true;
}

int ds_transition(DsState s, DsAction a, DsState *to, Err *e) {
  switch (a) {
  case DS_EDIT:
    if (s == DS_SUBMITTED) return err_set(e, ERR_CONFLICT, M_LOCKED);
    *to = DS_OPEN;
    return ERR_OK;
  case DS_SUBMIT:
    if (s == DS_SUBMITTED) return err_set(e, ERR_CONFLICT, M_SUBMITTED_ALREADY);
    *to = DS_SUBMITTED;
    return ERR_OK;
  case DS_UNLOCK:
    if (s != DS_SUBMITTED) return err_set(e, ERR_CONFLICT, M_NOT_SUBMITTED);
    *to = DS_OPEN;
    return ERR_OK;
  }
  return err_set(e, ERR_INTERNAL, "操作失败");
}

int ds_check_period(PeriodType kind, Period p, Day today, Err *e) {
  if (p.type != kind) return err_field(e, "period", M_PERIOD_KIND);
  if (period_first_day(p) > today) return err_field(e, "period", M_PERIOD_FUTURE);
  return ERR_OK;
}

/* The index of the field with code, or -1. */
static int ds_field_index(const DsFieldRule *fields, int n, const char *code) {
  for (int i = 0; code && i < n; i++)
    if (strcmp(fields[i].code, code) == 0) return i;
  return -1;
}

int ds_check_values(const DsFieldRule *fields, int n, const bool *has, const int64_t *vals, Err *e) {
  for (int i = 0; i < n; i++) {
    if (!has[i]) continue;
    if (vals[i] < 0) {
      err_field(e, fields[i].code, M_NEGATIVE);
      continue;
    }
    if (vals[i] > DATASET_VALUE_MAX) {
      err_field(e, fields[i].code, M_TOO_BIG);
      continue;
    }
    int m = ds_field_index(fields, n, fields[i].max_field);
    if (m >= 0 && has[m] && vals[m] >= 0 && vals[i] > vals[m]) err_field(e, fields[i].code, M_ABOVE_MAX);
  }
  return e->code;
}

int ds_check_complete(const DsFieldRule *fields, int n, const bool *has, Err *e) {
  for (int i = 0; i < n; i++)
    if (!has[i]) err_field(e, fields[i].code, M_INCOMPLETE);
  return e->code;
}

bool ds_parse_count(const char *s, bool *has, int64_t *out) {
  *has = false;
  *out = 0;
  if (!s) return true;
  while (*s == ' ') s++;
  size_t n = strlen(s);
  while (n && s[n - 1] == ' ') n--;
  if (n == 0) return true;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
    if (v > DATASET_VALUE_MAX) return false;
  }
  *has = true;
  *out = v;
  return true;
}

bool ds_path_above(const char *above, const char *path) {
  if (!above || !path) return false;
  size_t n = strlen(above);
  return n > 0 && above[n - 1] == '/' && strlen(path) > n && strncmp(path, above, n) == 0;
}
