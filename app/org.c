/* app/org.c: owns the org-unit use cases (see app/org.h): rights, scope and
 * tree rules, one transaction per action, audit. */
#include "app/org.h"
#include "core/division.h"
#include <assert.h>
#include <string.h>
#include "app/audit.h"
#include "app/auth.h"
#include "app/steps.h"
#include "core/buf.h"
#include "store/dataset.h"

#define ORG_CODE_MAX 32
#define ORG_NAME_MAX 60

static const char *const org_msg_not_found = "组织单位不存在";

bool app_org_code_ok(const char *code) {
  return str_of(code, 1, ORG_CODE_MAX, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
}

/* Adds a field error under field unless name is 1-60 bytes of text with a
 * visible character. */
static void org_check_name(const char *name, const char *field, Err *e) {
  if (!name || !*name) {
    err_field(e, field, "请填写名称");
    return;
  }
  if (strlen(name) > ORG_NAME_MAX) {
    err_field(e, field, "名称不能超过60字节（约20个汉字）");
    return;
  }
  if (auth_text_chars(name) == (size_t)-1) {
    err_field(e, field, "名称含有无效字符");
    return;
  }
  if (strspn(name, " ") == strlen(name)) err_field(e, field, "请填写名称");
}

/* The level a parent of a unit of level must have; NULL for a county (no
 * parent) or an unknown level. */
static const char *org_parent_level(const char *level) {
  if (strcmp(level, "street") == 0) return "county";
  if (strcmp(level, "community") == 0) return "street";
  return NULL;
}

/* true when level is one of the three known levels. */
static bool org_level_ok(const char *level) {
  return level && (strcmp(level, "county") == 0 || strcmp(level, "street") == 0 || strcmp(level, "community") == 0);
}

/* Loads the unit with code into *out when it lies in the actor's scope;
 * ERR_NOT_FOUND otherwise (also outside the scope). */
static int org_get_scoped(Ctx *c, const char *code, OrgUnit *out, Err *e) {
  if (!app_org_code_ok(code)) return err_set(e, ERR_NOT_FOUND, org_msg_not_found);
  if (store_org_by_code(c->db, code, out, e) != ERR_OK) return e->code;
  if (!actor_in_scope(c->actor, out->path)) return err_set(e, ERR_NOT_FOUND, org_msg_not_found);
  return ERR_OK;
}

int app_org_add(Ctx *c, const char *code, const char *name, const char *level, const char *parent_code,
                OrgUnit *out, Err *e) {
  err_clear(e); /* an out parameter: validation below reads it */
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_ORG_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理组织单位的权限");
  bool has_parent = parent_code && *parent_code;
  if (!app_org_code_ok(code)) err_field(e, "code", "编码应为1-32位字母、数字、下划线或连字符");
  else if (strcmp(code, "me") == 0) err_field(e, "code", "编码“me”为系统保留（工作台“我负责的”），请换一个");
  org_check_name(name, "name", e);
  if (!org_level_ok(level)) {
    err_field(e, "level", "级别应为 county、street 或 community");
  } else if (strcmp(level, "county") == 0) {
    if (has_parent) err_field(e, "parent", "区/县级单位不能有上级");
  } else if (!has_parent) {
    err_field(e, "parent", "请指定上级单位");
  } else if (!app_org_code_ok(parent_code)) {
    err_field(e, "parent", "上级单位不存在");
  }
  if (e->code != ERR_OK) return e->code;
  if (strcmp(level, "county") == 0 && strcmp(c->actor->org_path, "/") != 0)
    return err_set(e, ERR_FORBIDDEN, "只有系统管理员（命令行）可以添加区/县级单位");

  OrgUnit parent, unit;
  memset(&parent, 0, sizeof parent);
  Buf detail = BUF_INIT;
  Err le;
  err_clear(&le);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (has_parent) {
    if (org_get_scoped(c, parent_code, &parent, &le) != ERR_OK) {
      if (le.code == ERR_NOT_FOUND) err_field(e, "parent", "上级单位不存在");
      else *e = le;
      goto fail;
    }
    if (strcmp(parent.level, org_parent_level(level)) != 0) {
      err_field(e, "parent", strcmp(level, "street") == 0 ? "街道/乡镇的上级应为区/县" : "社区/村的上级应为街道/乡镇");
      goto fail;
    }
  }
  /* a code taken already is the insert's unique violation */
  if (store_org_insert(c->db, code, name, level, has_parent ? parent.id : 0, c->now_iso, &unit, e) != ERR_OK) {
    if (e->code == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "编码已存在");
    goto fail;
  }
  audit_detail_kv(&detail, "code", code);
  audit_detail_kv(&detail, "name", name);
  audit_detail_kv(&detail, "level", level);
  if (has_parent) audit_detail_kv(&detail, "parent", parent.code);
  int rc = app_commit(c, &(AppAudit){"create", "org", unit.id, unit.path, &detail}, e);
  if (rc != ERR_OK) return rc;
  if (out) *out = unit;
  return ERR_OK;
fail:
  buf_reset(&detail);
  return app_fail(c, e);
}

/* Ends the change of one text column of unit (inside the use case's
 * transaction): nothing written when value equals old, else set writes it
 * and the audit row (action) records the unit's code, old (under old_key)
 * and value (under key). */
static int org_set_text(Ctx *c, const OrgUnit *unit, const char *action, const char *old_key, const char *key,
                        const char *old, const char *value, int (*set)(Db *, int64_t, const char *, Err *), Err *e) {
  if (strcmp(old, value) == 0) return app_commit(c, NULL, e); /* nothing changes: nothing to write */
  if (set(c->db, unit->id, value, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kvs(&d, "code", unit->code, old_key, old, key, value, NULL);
  return app_commit(c, &(AppAudit){action, "org", unit->id, unit->path, &d}, e);
}

int app_org_rename(Ctx *c, const char *code, const char *name, Err *e) {
  err_clear(e); /* an out parameter: validation below reads it */
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_ORG_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理组织单位的权限");
  org_check_name(name, "name", e);
  if (e->code != ERR_OK) return e->code;
  OrgUnit unit;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (org_get_scoped(c, code, &unit, e) != ERR_OK) return app_fail(c, e);
  return org_set_text(c, &unit, "rename", "old_name", "name", unit.name, name, store_org_rename, e);
}

int app_org_move(Ctx *c, const char *code, const char *new_parent_code, Err *e) {
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_ORG_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理组织单位的权限");
  if (!new_parent_code || !*new_parent_code) return err_field(e, "parent", "请指定新的上级单位");
  OrgUnit unit, parent, old_parent;
  char new_path[ORG_PATH_MAX];
  Buf detail = BUF_INIT;
  Err le;
  err_clear(&le);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (org_get_scoped(c, code, &unit, e) != ERR_OK) goto fail;
  if (strcmp(unit.level, "county") == 0) {
    err_set(e, ERR_INVALID, "区/县级单位不能移动");
    goto fail;
  }
  if (strcmp(unit.path, c->actor->org_path) == 0) {
    err_set(e, ERR_FORBIDDEN, "不能移动本单位");
    goto fail;
  }
  if (org_get_scoped(c, new_parent_code, &parent, &le) != ERR_OK) {
    if (le.code == ERR_NOT_FOUND) err_field(e, "parent", "上级单位不存在");
    else *e = le;
    goto fail;
  }
  if (strncmp(parent.path, unit.path, strlen(unit.path)) == 0) {
    err_field(e, "parent", "不能移到本单位或其下级单位之下");
    goto fail;
  }
  if (strcmp(parent.level, org_parent_level(unit.level)) != 0) {
    err_field(e, "parent", strcmp(unit.level, "street") == 0 ? "街道/乡镇的上级应为区/县" : "社区/村的上级应为街道/乡镇");
    goto fail;
  }
  if (parent.id == unit.parent_id) { /* already there: nothing to write */
    return app_commit(c, NULL, e);
  }
  if (store_org_by_id(c->db, unit.parent_id, &old_parent, e) != ERR_OK) goto fail;
  if (store_org_move(c->db, unit.id, parent.id, new_path, e) != ERR_OK) goto fail;
  /* the population of the units above, derived from their communities' */
  if (store_dataset_population_sync(c->db, old_parent.id, true, e) != ERR_OK ||
      store_dataset_population_sync(c->db, parent.id, true, e) != ERR_OK)
    goto fail;
  audit_detail_kv(&detail, "code", unit.code);
  audit_detail_kv(&detail, "from", old_parent.code);
  audit_detail_kv(&detail, "to", parent.code);
  audit_detail_kv(&detail, "old_path", unit.path);
  audit_detail_kv(&detail, "path", new_path);
  return app_commit(c, &(AppAudit){"move", "org", unit.id, new_path, &detail}, e);
fail:
  buf_reset(&detail);
  return app_fail(c, e);
}

int app_org_list(Ctx *c, OrgUnit **out, int *n, Err *e) {
  assert(c && c->db && c->actor);
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, "请先登录");
  return store_org_list_scope(c->db, c->actor->org_path, out, n, e);
}

int app_org_list_county(Ctx *c, OrgUnit **out, int *n, Err *e) {
  assert(c && c->db && c->actor);
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, "请先登录");
  /* the county is the first segment of the path: "/1/5/23/" -> "/1/" */
  char county[ORG_PATH_MAX] = "/";
  const char *p = c->actor->org_path, *end = p[0] == '/' ? strchr(p + 1, '/') : NULL;
  if (end && (size_t)(end - p + 1) < sizeof county) {
    memcpy(county, p, (size_t)(end - p + 1));
    county[end - p + 1] = 0;
  }
  return store_org_list_scope(c->db, county, out, n, e);
}

int org_in_scope(Ctx *c, const char *code, OrgUnit *org, Err *e) {
  Err oe;
  err_clear(&oe);
  int rc = store_org_by_code(c->db, code, org, &oe);
  if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !actor_in_scope(c->actor, org->path))) return ERR_NOT_FOUND;
  return rc == ERR_OK ? ERR_OK : err_set(e, oe.code, oe.msg);
}

int app_org_get(Ctx *c, const char *code, OrgUnit *out, Err *e) {
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, "请先登录");
  return org_get_scoped(c, code, out, e);
}

int app_org_set_division(Ctx *c, const char *code, const char *division, Err *e) {
  err_clear(e);
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_ORG_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理组织单位的权限");
  if (!division) division = "";
  OrgUnit unit, parent;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (org_get_scoped(c, code, &unit, e) != ERR_OK) goto fail;
  if (*division && !division_valid(division, division_digits(unit.level))) {
    err_field(e, "division", strcmp(unit.level, "county") == 0   ? "区/县的行政区划代码应为6位数字"
                             : strcmp(unit.level, "street") == 0 ? "街道/乡镇的行政区划代码应为9位数字"
                                                                 : "社区/村的行政区划代码应为12位数字");
    goto fail;
  }
  if (*division && unit.parent_id && store_org_by_id(c->db, unit.parent_id, &parent, e) != ERR_OK) goto fail;
  if (*division && unit.parent_id && parent.division[0] &&
      strncmp(division, parent.division, strlen(parent.division)) != 0) {
    err_field(e, "division", "行政区划代码应以上级单位的代码开头");
    goto fail;
  }
  return org_set_text(c, &unit, "division", "old_division", "division", unit.division, division,
                      store_org_set_division, e);
fail:
  return app_fail(c, e);
}
