/* app/app.h: what every use case receives: the actor (who is asking, from
 * where, with which rights and scope), the database connection of this
 * thread, and the clock as values (so rules and tests can fix "today").
 * Roles and permissions live here; the use cases are in app/<entity>.h. */
#ifndef JINDU_APP_H
#define JINDU_APP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "store/db.h"

typedef enum {
  ROLE_NONE = -1,
  ROLE_ADMIN = 0, /* district/county office: administers its subtree */
  ROLE_OFFICE,    /* street/town office */
  ROLE_WORKER,    /* community social worker */
  ROLE_CADRE,     /* community/village cadre */
  ROLE_POLICE,    /* police liaison */
  ROLE_VIEWER,    /* read-only inspector */
  ROLE__COUNT
} Role;

typedef enum {
  PERM_LOGGED_IN    = 1 << 0, /* any signed-in user */
  PERM_PERSON_READ  = 1 << 1,
  PERM_PERSON_WRITE = 1 << 2,
  PERM_USER_ADMIN   = 1 << 3,
  PERM_ORG_ADMIN    = 1 << 4,
  PERM_AUDIT_READ   = 1 << 5
} Perm;

#define ACTOR_PATH_MAX 256

typedef struct Actor {
  int64_t user_id;         /* 0 for the command line */
  char username[64];
  char display_name[64];
  Role role;
  int64_t org_id;
  char org_code[64];
  char org_name[128];
  char org_path[ACTOR_PATH_MAX]; /* scope: everything whose path starts here */
  char org_level[16];
  char address[64];        /* client address, or "cli" */
  char lang[8];            /* the user's language preference: "zh", "en" or "" */
} Actor;

typedef struct Ctx {
  Db *db;               /* this thread's connection */
  const Actor *actor;
  int64_t now_unix;     /* the request's clock */
  Day today;            /* today in China (UTC+8), or fixed by JINDU_TODAY */
  char now_iso[32];     /* now as ISO-8601 with offset, for created_at */
  char read_logged_entity[16]; /* the last read audited on this Ctx (one row per action) */
  int64_t read_logged_id;
  struct OnceKey *once; /* the request's one-time key (app/once.h), or NULL:
                           app_commit records it with the first write */
} Ctx;

/* Role from its API code ("admin"...); ROLE_NONE when unknown. */
Role role_from_code(const char *code);
const char *role_code(Role r);
/* Chinese name of a role (a msgid). */
const char *role_name_zh(Role r);
/* Permissions a role holds. */
unsigned role_perms(Role r);
/* true when the actor holds every permission in perms. */
bool actor_can(const Actor *a, unsigned perms);
/* Whether a may write the records of kind entity ("inspection",
 * "activity", ...: the record kinds that carry attachments), and so attach
 * files to them: the one rule of who writes what (scope is checked on the
 * record). PERM_PERSON_WRITE; the police liaison also records venue
 * inspections and eradication patrols; an assessment sign-off
 * ("assess_mark") is the street office's only. false for an unknown kind. */
bool record_may_write(const Actor *a, const char *entity);
/* true when path lies within the actor's scope (a prefix match). */
bool actor_in_scope(const Actor *a, const char *path);
/* The command-line actor: administrator of everything ("/"), user "cli". */
void actor_cli(Actor *a);
/* Fills c for the actor with the current time (JINDU_TODAY=YYYY-MM-DD and
 * JINDU_NOW=unix seconds override the clock, for tests and demos). */
void ctx_init(Ctx *c, Db *db, const Actor *actor);
/* Writes the exclusive upper bound of every path in the subtree of path
 * ("/1/5/" -> "/1/50"), so that a scope is the index range [path, bound). */
void scope_upper_bound(const char *path, char *out, size_t outsz);

/* ---- the end of a use case ----
 * A use case begins one transaction (db_begin, or db_begin_read for a
 * read), and ends it with exactly one of the two calls below: app_commit
 * when all went well, app_fail on any error. Nested transactions follow
 * store/db.h: a failure inside marks the whole transaction doomed. */

/* The audit row of a write (audit_write's arguments): action on
 * entity/entity_id (<= 0: none) in the unit org_path; detail may be NULL. */
typedef struct AppAudit {
  const char *action, *entity;
  int64_t entity_id;
  const char *org_path;
  Buf *detail;
} AppAudit;

/* Ends the use case's transaction: appends the audit row a (NULL: none, for
 * a read or a write that changed nothing) and commits. A write (a not NULL)
 * also records the request's one-time key c->once, the first time (an
 * ERR_CONFLICT when a twin request recorded it first: nothing is written). When either fails,
 * rolls back and returns as app_fail does. Resets a->detail either way.
 * Returns ERR_OK or the error's code. */
int app_commit(Ctx *c, const AppAudit *a, Err *e);
/* app_commit of the write that created the record a->entity_id, which
 * then goes to *id (may be NULL) when all went well. */
int app_commit_new(Ctx *c, const AppAudit *a, int64_t *id, Err *e);
/* Ends the use case's transaction after a failure: rolls back (inside a
 * caller's transaction: dooms it) and returns e's code, ERR_INTERNAL
 * "操作失败" when e holds none. */
int app_fail(Ctx *c, Err *e);
/* Begins a read use case: ERR_FORBIDDEN "没有权限执行此操作" unless the
 * actor holds perms, else a read transaction (db_begin_read), which the
 * use case ends with app_read_done. */
int app_read_begin(Ctx *c, unsigned perms, Err *e);
/* Ends a read's transaction with rc, the result of its reads: app_commit
 * without an audit row when rc is ERR_OK, else app_fail. Returns the
 * result (a failed commit becomes it). */
int app_read_done(Ctx *c, int rc, Err *e);

#endif
