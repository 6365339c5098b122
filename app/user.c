/* app/user.c: owns the account administration use cases (see app/user.h):
 * rights, scope and role rules, one transaction per action, audit. */
#include "app/user.h"
#include <assert.h>
#include <sodium.h>
#include <string.h>
#include "app/audit.h"
#include "app/auth.h"
#include "app/org.h"
#include "core/buf.h"
#include "store/org.h"

#define USER_NAME_MIN 3
#define USER_NAME_MAX 32
#define USER_DISPLAY_MAX 60

static const char *const user_msg_not_found = "用户不存在";

void app_user_actor(const UserRow *u, const char *address, Actor *a) {
  memset(a, 0, sizeof *a);
  a->user_id = u->id;
  str_copy(a->username, sizeof a->username, u->username);
  str_copy(a->display_name, sizeof a->display_name, u->display_name);
  a->role = role_from_code(u->role);
  a->org_id = u->org_id;
  str_copy(a->org_code, sizeof a->org_code, u->org_code);
  str_copy(a->org_name, sizeof a->org_name, u->org_name);
  str_copy(a->org_path, sizeof a->org_path, u->org_path);
  str_copy(a->org_level, sizeof a->org_level, u->org_level);
  str_copy(a->address, sizeof a->address, address);
  str_copy(a->lang, sizeof a->lang, u->lang);
}

bool app_user_name_ok(const char *username) {
  return str_of(username, USER_NAME_MIN, USER_NAME_MAX, "abcdefghijklmnopqrstuvwxyz0123456789_.-");
}

/* true when an account of role r may belong to a unit of this level. */
static bool user_role_fits(Role r, const char *level) {
  switch (r) {
  case ROLE_ADMIN: return strcmp(level, "county") == 0;
  case ROLE_OFFICE: return strcmp(level, "street") == 0;
  case ROLE_WORKER:
  case ROLE_CADRE:
  case ROLE_POLICE: return strcmp(level, "community") == 0;
  case ROLE_VIEWER: return true;
  default: return false;
  }
}

bool app_user_role_creatable(const Actor *a, Role r) {
  return r != ROLE_NONE && (r != ROLE_ADMIN || a->role == ROLE_ADMIN);
}

/* The message for a role that does not fit its unit's level. */
static const char *user_role_level_msg(Role r) {
  switch (r) {
  case ROLE_ADMIN: return "区/县禁毒办账号只能属于区/县级单位";
  case ROLE_OFFICE: return "街道/乡镇禁毒办账号只能属于街道/乡镇级单位";
  default: return "社工、社区干部和民警账号只能属于社区/村级单位";
  }
}

/* Clears the secret of a row handed out of this module. */
static void user_scrub(UserRow *u) { sodium_memzero(u->password_hash, sizeof u->password_hash); }

/* Loads account username into *out when the actor may manage it: it lies in
 * scope (else ERR_NOT_FOUND) and is no admin when the actor is not one
 * (ERR_FORBIDDEN). */
static int user_get_managed(Ctx *c, const char *username, UserRow *out, Err *e) {
  if (!app_user_name_ok(username)) return err_set(e, ERR_NOT_FOUND, user_msg_not_found);
  if (store_user_by_username(c->db, username, out, e) != ERR_OK) return e->code;
  if (!actor_in_scope(c->actor, out->org_path)) return err_set(e, ERR_NOT_FOUND, user_msg_not_found);
  if (role_from_code(out->role) == ROLE_ADMIN && c->actor->role != ROLE_ADMIN)
    return err_set(e, ERR_FORBIDDEN, "不能管理区/县禁毒办账号");
  return ERR_OK;
}

int app_user_add(Ctx *c, const char *username, const char *display_name, const char *role_code, const char *org_code,
                 const char *password, UserRow *out, Err *e) {
  err_clear(e); /* an out parameter: validation below reads it */
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理用户的权限");
  Role role = role_from_code(role_code);
  if (!app_user_name_ok(username)) err_field(e, "username", "用户名应为3-32位小写字母、数字、下划线、点或连字符");
  if (display_name && *display_name) {
    if (strlen(display_name) > USER_DISPLAY_MAX) err_field(e, "display_name", "姓名不能超过60字节（约20个汉字）");
    else if (auth_text_chars(display_name) == (size_t)-1) err_field(e, "display_name", "姓名含有无效字符");
  }
  if (role == ROLE_NONE) err_field(e, "role", "角色无效");
  if (!org_code || !*org_code) err_field(e, "org", "请指定所属单位");
  else if (!app_org_code_ok(org_code)) err_field(e, "org", "所属单位不存在");
  auth_password_validate(password, "password", e);
  if (e->code != ERR_OK) return e->code;
  if (!app_user_role_creatable(c->actor, role))
    return err_set(e, ERR_FORBIDDEN, "街道/乡镇禁毒办不能创建区/县禁毒办账号");

  /* Hashing takes tens of milliseconds: done before the write lock is taken. */
  char hash[AUTH_HASH_MAX];
  if (auth_password_hash(password, hash, e) != ERR_OK) return e->code;

  OrgUnit org;
  UserRow u;
  int64_t id = 0;
  const char *shown = display_name && *display_name ? display_name : username;
  Buf detail = BUF_INIT;
  Err le;
  err_clear(&le);
  if (db_begin(c->db, e) != ERR_OK) goto fail; /* app_fail ends nothing: none is open */
  if (store_org_by_code(c->db, org_code, &org, &le) != ERR_OK || !actor_in_scope(c->actor, org.path)) {
    if (le.code == ERR_OK || le.code == ERR_NOT_FOUND) err_field(e, "org", "所属单位不存在");
    else *e = le;
    goto fail;
  }
  if (!user_role_fits(role, org.level)) {
    err_field(e, "role", user_role_level_msg(role));
    goto fail;
  }
  /* a username taken already is the insert's unique violation */
  if (store_user_insert(c->db, username, shown, role_code, org.id, hash, c->now_iso, &id, e) != ERR_OK) {
    if (e->code == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "用户名已存在");
    goto fail;
  }
  audit_detail_kv(&detail, "username", username);
  audit_detail_kv(&detail, "display_name", shown);
  audit_detail_kv(&detail, "role", role_code);
  audit_detail_kv(&detail, "org", org.code);
  if (out && store_user_by_id(c->db, id, &u, e) != ERR_OK) goto fail;
  sodium_memzero(hash, sizeof hash);
  int rc = app_commit(c, &(AppAudit){"create", "user", id, org.path, &detail}, e);
  if (rc != ERR_OK) return rc;
  if (out) {
    user_scrub(&u);
    *out = u;
  }
  return ERR_OK;
fail:
  buf_reset(&detail);
  sodium_memzero(hash, sizeof hash);
  return app_fail(c, e);
}

int app_user_list(Ctx *c, UserRow **out, int *n, Err *e) {
  assert(c && c->db && c->actor);
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理用户的权限");
  if (store_user_list_scope(c->db, c->actor->org_path, out, n, e) != ERR_OK) return e->code;
  for (int i = 0; i < *n; i++) user_scrub(&(*out)[i]);
  return ERR_OK;
}

int app_user_get(Ctx *c, const char *username, UserRow *out, Err *e) {
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理用户的权限");
  if (!app_user_name_ok(username)) return err_set(e, ERR_NOT_FOUND, user_msg_not_found);
  if (store_user_by_username(c->db, username, out, e) != ERR_OK) return e->code;
  if (!actor_in_scope(c->actor, out->org_path)) {
    memset(out, 0, sizeof *out);
    return err_set(e, ERR_NOT_FOUND, user_msg_not_found);
  }
  user_scrub(out);
  return ERR_OK;
}

static int app_user_set_active_tx(Ctx *c, const char *username, bool active, Err *e) {
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理用户的权限");
  UserRow u;
  int64_t ended = 0;
  Buf detail = BUF_INIT;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (user_get_managed(c, username, &u, e) != ERR_OK) goto fail;
  if (u.id == c->actor->user_id && !active) {
    err_set(e, ERR_FORBIDDEN, "不能停用自己的账号");
    goto fail;
  }
  if (u.active == active) /* nothing changes: nothing to write */
    return app_commit(c, NULL, e);
  if (store_user_set_active(c->db, u.id, active, e) != ERR_OK) goto fail;
  if (!active && store_session_delete_user(c->db, u.id, NULL, &ended, e) != ERR_OK) goto fail;
  audit_detail_kv(&detail, "username", u.username);
  if (!active) audit_detail_int(&detail, "sessions_ended", ended);
  return app_commit(c, &(AppAudit){active ? "enable" : "disable", "user", u.id, u.org_path, &detail}, e);
fail:
  buf_reset(&detail);
  return app_fail(c, e);
}

/* app_user_set_active, then every thread's session cache emptied (the change seen at once). */
int app_user_set_active(Ctx *c, const char *username, bool active, Err *e) {
  int rc = app_user_set_active_tx(c, username, active, e);
  auth_cache_invalidate();
  return rc;
}

static int app_user_reset_password_tx(Ctx *c, const char *username, const char *password, Err *e) {
  assert(c && c->db && c->actor);
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, "没有管理用户的权限");
  if (auth_password_validate(password, "password", e) != ERR_OK) return e->code;
  UserRow u;
  /* Look first (cheap), hash outside the transaction, then write. */
  if (user_get_managed(c, username, &u, e) != ERR_OK) return e->code;
  char hash[AUTH_HASH_MAX];
  if (auth_password_hash(password, hash, e) != ERR_OK) return e->code;
  int64_t ended = 0;
  Buf detail = BUF_INIT;
  if (db_begin(c->db, e) != ERR_OK) goto fail; /* app_fail ends nothing: none is open */
  if (user_get_managed(c, username, &u, e) != ERR_OK) goto fail;
  if (store_user_set_password(c->db, u.id, hash, c->now_iso, e) != ERR_OK) goto fail;
  if (store_session_delete_user(c->db, u.id, NULL, &ended, e) != ERR_OK) goto fail;
  audit_detail_kv(&detail, "username", u.username);
  audit_detail_int(&detail, "sessions_ended", ended);
  sodium_memzero(hash, sizeof hash);
  return app_commit(c, &(AppAudit){"reset_password", "user", u.id, u.org_path, &detail}, e);
fail:
  buf_reset(&detail);
  sodium_memzero(hash, sizeof hash);
  return app_fail(c, e);
}

/* app_user_reset_password, then every thread's session cache emptied (the change seen at once). */
int app_user_reset_password(Ctx *c, const char *username, const char *password, Err *e) {
  int rc = app_user_reset_password_tx(c, username, password, e);
  auth_cache_invalidate();
  return rc;
}
