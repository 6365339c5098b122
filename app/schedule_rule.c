/* app/schedule_rule.c: owns the schedule-rule use cases of
 * app/schedule_rule.h: the list of presets and custom rules, saving a
 * custom rule (validated by core/schedule's parser, stored canonical), the
 * rule of an org unit (set, removed, resolved up the tree), and the refresh
 * of the persons a change affects. */
#include "app/schedule_rule.h"
#include "app/audit.h"
#include "app/steps.h"
#include "core/buf.h"
#include "core/field.h"
#include "store/org.h"
#include "store/supervision.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_REQUIRED "此项必填"
#define M_CODE "编码只能由1至31个小写字母、数字和下划线组成"
#define M_CODE_PRESET "不能修改内置规则"
#define M_RULE "检测频次规则不存在"
#define M_RULE_BROKEN "已保存的检测频次规则无法解析"
#define M_USED_OUTSIDE "该规则被您管辖范围以外的单位使用，不能修改"

#define ORG_DEPTH_MAX 16 /* county > street > community: 3; generous */

/* Loads rule code (preset or custom) into *out; ERR_NOT_FOUND when there
 * is no such rule; ERR_INTERNAL when a stored spec does not parse. */
static int sr_load(Db *db, const char *code, ScheduleRule *out, Err *e) {
  const ScheduleRule *p = schedule_preset_by_code(code);
  if (p) {
    *out = *p;
    return ERR_OK;
  }
  ScheduleRuleRow row;
  if (store_schedule_rule_get(db, code, &row, e) != ERR_OK) return e->code;
  Err pe;
  err_clear(&pe);
  memset(out, 0, sizeof *out);
  if (schedule_rule_parse(row.spec, out, &pe) != ERR_OK) return err_set(e, ERR_INTERNAL, M_RULE_BROKEN);
  snprintf(out->code, sizeof out->code, "%s", code);
  return ERR_OK;
}

/* Walks up from org_id to the first unit with its own rule: *code gets it
 * ("" when none: the preset "default"), *from_id the unit (0 when none). */
static int sr_find(Db *db, int64_t org_id, char code[SCHED_CODE_MAX], int64_t *from_id, Err *e) {
  code[0] = 0;
  *from_id = 0;
  int64_t id = org_id;
  for (int depth = 0; id > 0 && depth < ORG_DEPTH_MAX; depth++) {
    char own[32];
    if (store_schedule_rule_of_org(db, id, own, e) != ERR_OK) return e->code;
    if (own[0]) {
      snprintf(code, SCHED_CODE_MAX, "%s", own);
      *from_id = id;
      return ERR_OK;
    }
    OrgUnit o;
    if (store_org_by_id(db, id, &o, e) != ERR_OK) return e->code;
    id = o.parent_id;
  }
  return ERR_OK;
}

int app_schedule_rule_resolve(Db *db, int64_t org_id, ScheduleRule *out, Err *e) {
  char code[SCHED_CODE_MAX];
  int64_t from;
  if (sr_find(db, org_id, code, &from, e) != ERR_OK) return e->code;
  if (!code[0]) {
    *out = *schedule_preset_by_code("default");
    return ERR_OK;
  }
  int rc = sr_load(db, code, out, e);
  if (rc == ERR_NOT_FOUND) return err_set(e, ERR_INTERNAL, M_RULE);
  return rc;
}

static void sr_info_preset(const ScheduleRule *r, ScheduleRuleInfo *out) {
  memset(out, 0, sizeof *out);
  snprintf(out->code, sizeof out->code, "%s", r->code);
  const char *name = schedule_preset_name(r->code);
  snprintf(out->name, sizeof out->name, "%s", name ? name : r->code);
  schedule_rule_format(r, out->spec, sizeof out->spec);
  out->preset = true;
}

int app_schedule_rule_list(Ctx *c, ScheduleRuleInfo **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  ScheduleRuleRow *rows = NULL;
  int nrows = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, store_schedule_rule_list(c->db, &rows, &nrows, e), e);
  if (rc != ERR_OK) {
    free(rows);
    return rc;
  }
  int np = schedule_preset_count();
  ScheduleRuleInfo *arr = calloc((size_t)(np + nrows), sizeof *arr);
  if (!arr) abort();
  for (int i = 0; i < np; i++) sr_info_preset(schedule_preset(i), &arr[i]);
  if (nrows) memcpy(&arr[np], rows, sizeof *rows * (size_t)nrows);
  free(rows);
  *out = arr;
  *n = np + nrows;
  return ERR_OK;
}

int app_schedule_rule_get(Ctx *c, const char *code, ScheduleRuleInfo *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (!code || !*code) return err_set(e, ERR_NOT_FOUND, M_RULE);
  const ScheduleRule *p = schedule_preset_by_code(code);
  if (p) {
    sr_info_preset(p, out);
    return ERR_OK;
  }
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, store_schedule_rule_get(c->db, code, out, e), e);
  if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, M_RULE);
  return rc;
}

/* Refreshes every person of the subtree of path (inside the transaction). */
static int sr_refresh_subtree(Ctx *c, const char *path, Err *e) {
  int64_t *ids = NULL;
  int n = 0;
  if (store_sup_person_ids(c->db, path, &ids, &n, e) != ERR_OK) return e->code;
  for (int i = 0; i < n; i++)
    if (sup_refresh(c, ids[i], e) != ERR_OK) {
      free(ids);
      return e->code;
    }
  free(ids);
  return ERR_OK;
}

static bool sr_code_ok(const char *code) {
  size_t n = code ? strlen(code) : 0;
  if (n < 1 || n >= SCHED_CODE_MAX) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = code[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

/* The name of a rule: a line of at most SCHED_NAME_MAX characters. */
static const FieldSpec sr_name_field = {.key = "name", .label_zh = "名称", .kind = FK_TEXT,
                                        FIELD_CHARS(SCHED_NAME_MAX), .required = true};

int app_schedule_rule_save(Ctx *c, const char *code, const char *name, const char *spec, bool *created, Err *e) {
  if (created) *created = false;
  if (c->actor->role != ROLE_ADMIN) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (!code || !*code) err_field(e, "code", M_REQUIRED);
  else if (schedule_preset_by_code(code)) err_field(e, "code", M_CODE_PRESET);
  else if (!sr_code_ok(code)) err_field(e, "code", M_CODE);
  field_check(&sr_name_field, &name, c->today, e); /* the field's "struct" is the name itself */
  ScheduleRule r;
  memset(&r, 0, sizeof r);
  Err pe;
  err_clear(&pe);
  if (!spec || !*spec) err_field(e, "spec", M_REQUIRED);
  else if (schedule_rule_parse(spec, &r, &pe) != ERR_OK)
    err_field(e, "spec", pe.nfields > 0 ? pe.fields[0].msg : (pe.msg ? pe.msg : M_RULE));
  if (e->code != ERR_OK) return e->code;
  snprintf(r.code, sizeof r.code, "%s", code);
  char canon[SCHED_SPEC_MAX];
  schedule_rule_format(&r, canon, sizeof canon);

  if (db_begin(c->db, e) != ERR_OK) return e->code;
  char (*paths)[256] = NULL;
  int n = 0;
  if (store_schedule_rule_orgs_using(c->db, code, &paths, &n, e) != ERR_OK) goto failed;
  for (int i = 0; i < n; i++)
    if (!actor_in_scope(c->actor, paths[i])) {
      err_set(e, ERR_FORBIDDEN, M_USED_OUTSIDE);
      goto failed;
    }
  bool is_new = false;
  if (store_schedule_rule_put(c->db, code, name, canon, c->now_iso, &is_new, e) != ERR_OK) goto failed;
  for (int i = 0; i < n; i++)
    if (sr_refresh_subtree(c, paths[i], e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "code", code);
  audit_detail_kv(&detail, "spec", canon);
  int rc = app_commit(c, &(AppAudit){is_new ? "create" : "update", "schedule_rule", 0, c->actor->org_path, &detail}, e);
  free(paths);
  if (rc == ERR_OK && created) *created = is_new;
  return rc;
failed:
  free(paths);
  return app_fail(c, e);
}

int app_schedule_rule_set_org(Ctx *c, const char *org_code, const char *rule_code, Err *e) {
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org;
  if (!org_code || store_org_by_code(c->db, org_code, &org, e) != ERR_OK || !actor_in_scope(c->actor, org.path)) {
    err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
    goto failed;
  }
  if (c->actor->role != ROLE_ADMIN) {
    err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
    goto failed;
  }
  bool clear = !rule_code || !*rule_code;
  if (!clear) {
    ScheduleRule r;
    Err le;
    err_clear(&le);
    int rc = sr_load(c->db, rule_code, &r, &le);
    if (rc == ERR_NOT_FOUND) {
      err_field(e, "rule", M_RULE);
      goto failed;
    }
    if (rc != ERR_OK) {
      err_set(e, le.code, le.msg);
      goto failed;
    }
  }
  if (store_schedule_rule_set_org(c->db, org.id, clear ? NULL : rule_code, c->now_iso, e) != ERR_OK ||
      sr_refresh_subtree(c, org.path, e) != ERR_OK)
    goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "rule", clear ? "" : rule_code);
  return app_commit(c, &(AppAudit){"schedule_rule", "org", org.id, org.path, &detail}, e);
failed:
  return app_fail(c, e);
}

int app_schedule_rule_of_org(Ctx *c, const char *org_code, OrgRuleInfo *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_LOGGED_IN, e) != ERR_OK) return e->code;
  OrgUnit org, from;
  char code[SCHED_CODE_MAX];
  int64_t from_id = 0;
  if (!org_code || store_org_by_code(c->db, org_code, &org, e) != ERR_OK || !actor_in_scope(c->actor, org.path)) {
    err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
    return app_fail(c, e);
  }
  int rc = sr_find(c->db, org.id, code, &from_id, e);
  if (rc == ERR_OK && from_id && from_id != org.id) rc = store_org_by_id(c->db, from_id, &from, e);
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) return rc;
  snprintf(out->org_code, sizeof out->org_code, "%s", org.code);
  snprintf(out->rule_code, sizeof out->rule_code, "%s", code[0] ? code : "default");
  if (from_id == org.id) snprintf(out->own_rule, sizeof out->own_rule, "%s", code);
  else if (from_id) snprintf(out->inherited_from, sizeof out->inherited_from, "%s", from.code);
  return ERR_OK;
}
