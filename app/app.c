/* app/app.c: roles, permissions, scope checks, the request context, and
 * the steps every use case takes (the text check, the end of its
 * transaction: app_commit, app_fail). */
#include "app.h"
#include "app/audit.h"
#include "app/once.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct { const char *code; const char *zh; unsigned perms; } role_table[ROLE__COUNT] = {
  [ROLE_ADMIN] = {"admin", "区/县禁毒办",
                  PERM_LOGGED_IN | PERM_PERSON_READ | PERM_PERSON_WRITE | PERM_USER_ADMIN | PERM_ORG_ADMIN | PERM_AUDIT_READ},
  [ROLE_OFFICE] = {"office", "街道/乡镇禁毒办",
                   PERM_LOGGED_IN | PERM_PERSON_READ | PERM_PERSON_WRITE | PERM_USER_ADMIN | PERM_AUDIT_READ},
  [ROLE_WORKER] = {"worker", "禁毒社工", PERM_LOGGED_IN | PERM_PERSON_READ | PERM_PERSON_WRITE},
  [ROLE_CADRE] = {"cadre", "社区干部", PERM_LOGGED_IN | PERM_PERSON_READ | PERM_PERSON_WRITE},
  [ROLE_POLICE] = {"police", "社区民警", PERM_LOGGED_IN | PERM_PERSON_READ},
  [ROLE_VIEWER] = {"viewer", "检查人员（只读）", PERM_LOGGED_IN | PERM_PERSON_READ},
};

Role role_from_code(const char *code) {
  if (!code) return ROLE_NONE;
  for (int i = 0; i < ROLE__COUNT; i++)
    if (strcmp(role_table[i].code, code) == 0) return (Role)i;
  return ROLE_NONE;
}

const char *role_code(Role r) { return (r >= 0 && r < ROLE__COUNT) ? role_table[r].code : ""; }
const char *role_name_zh(Role r) { return (r >= 0 && r < ROLE__COUNT) ? role_table[r].zh : ""; }
unsigned role_perms(Role r) { return (r >= 0 && r < ROLE__COUNT) ? role_table[r].perms : 0; }

bool actor_can(const Actor *a, unsigned perms) {
  return a && (role_perms(a->role) & perms) == perms;
}

/* Who writes each record kind that carries attachments: the roles beyond
 * PERM_PERSON_WRITE's, or only the street office. */
static const struct {
  const char *entity;
  bool police;        /* the police liaison records them too */
  bool street_office; /* only the office of a street (PERM_PERSON_WRITE is not enough) */
} record_writers[] = {
  {"person_document", false, false}, {"unit_work", false, false}, {"eradication", true, false},
  {"letter", false, false},          {"inspection", true, false}, {"activity", false, false},
  {"assess_mark", false, true},
};

bool record_may_write(const Actor *a, const char *entity) {
  for (size_t i = 0; a && entity && i < sizeof record_writers / sizeof record_writers[0]; i++) {
    if (strcmp(record_writers[i].entity, entity) != 0) continue;
    if (record_writers[i].street_office) return a->role == ROLE_OFFICE && strcmp(a->org_level, "street") == 0;
    return actor_can(a, PERM_PERSON_WRITE) || (record_writers[i].police && a->role == ROLE_POLICE);
  }
  return false;
}

bool actor_in_scope(const Actor *a, const char *path) {
  assert(a && a->org_path[0] == '/');
  return path && strncmp(path, a->org_path, strlen(a->org_path)) == 0;
}

void actor_cli(Actor *a) {
  memset(a, 0, sizeof *a);
  snprintf(a->username, sizeof a->username, "cli");
  snprintf(a->display_name, sizeof a->display_name, "命令行");
  a->role = ROLE_ADMIN;
  snprintf(a->org_path, sizeof a->org_path, "/");
  snprintf(a->org_level, sizeof a->org_level, "county");
  snprintf(a->address, sizeof a->address, "cli");
}

void ctx_init(Ctx *c, Db *db, const Actor *actor) {
  memset(c, 0, sizeof *c);
  c->db = db;
  c->actor = actor;
  const char *fixed_now = getenv("JINDU_NOW");
  c->now_unix = fixed_now ? strtoll(fixed_now, NULL, 10) : (int64_t)time(NULL);
  c->today = date_from_unix(c->now_unix, 8 * 3600);
  const char *fixed_today = getenv("JINDU_TODAY");
  Day d;
  if (fixed_today && date_parse(fixed_today, &d)) c->today = d;
  time_t t = (time_t)(c->now_unix + 8 * 3600);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(c->now_iso, sizeof c->now_iso, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

void scope_upper_bound(const char *path, char *out, size_t outsz) {
  /* Paths end with '/'; every path under it starts with it, and '/'+1 is '0',
   * so [path, path-with-last-'/'-replaced-by-'0') holds exactly the subtree. */
  size_t n = strlen(path);
  assert(n > 0 && n < outsz && path[n - 1] == '/');
  memcpy(out, path, n + 1);
  out[n - 1] = '0';
}

/* ---- the end of a use case ---- */

int app_commit(Ctx *c, const AppAudit *a, Err *e) {
  int rc = ERR_OK;
  bool once = a && c->once && !c->once->recorded;
  if (once) rc = once_record(c, e);
  if (a) {
    if (rc == ERR_OK)
      rc = audit_write(c, a->action, a->entity, a->entity_id, a->org_path, a->detail ? buf_str(a->detail) : NULL, e);
    if (a->detail) buf_reset(a->detail);
  }
  if (rc != ERR_OK) return app_fail(c, e);
  if (db_commit(c->db, e) != ERR_OK) return e->code ? e->code : ERR_INTERNAL; /* rolled back */
  if (once) c->once->recorded = true;
  return ERR_OK;
}

int app_commit_new(Ctx *c, const AppAudit *a, int64_t *id, Err *e) {
  int rc = app_commit(c, a, e);
  if (rc == ERR_OK && id) *id = a->entity_id;
  return rc;
}

int app_fail(Ctx *c, Err *e) {
  db_rollback(c->db);
  if (e->code == ERR_OK) err_set(e, ERR_INTERNAL, "操作失败");
  return e->code;
}

int app_read_begin(Ctx *c, unsigned perms, Err *e) {
  if (!actor_can(c->actor, perms)) return err_set(e, ERR_FORBIDDEN, "没有权限执行此操作");
  return db_begin_read(c->db, e);
}

int app_read_done(Ctx *c, int rc, Err *e) { return rc == ERR_OK ? app_commit(c, NULL, e) : app_fail(c, e); }
