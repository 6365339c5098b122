/* store/user.c: owns the SQL of accounts, sessions and sign-in attempts
 * (see store/user.h). */
#include "store/user.h"
#include "core/buf.h"
#include <assert.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define USER_FIELDS                                                                                  \
  "u.id, u.username, u.display_name, u.role, u.org_id, o.code, o.name, o.path, o.level, "          \
  "u.password_hash, u.lang, u.active, u.created_at, u.password_changed_at "
#define USER_COLS USER_FIELDS "FROM app_user u JOIN org_unit o ON o.id = u.org_id"

#define SESSION_COLS "token_hash, user_id, kind, csrf, created_unix, seen_unix, address"

/* Fills *u from the USER_FIELDS of the current row of st, from column c. */
static void user_from_cols(DbStmt *st, int c, UserRow *u) {
  memset(u, 0, sizeof *u);
  u->id = db_col_int(st, c + 0);
  str_copy(u->username, sizeof u->username, db_col_text(st, c + 1));
  str_copy(u->display_name, sizeof u->display_name, db_col_text(st, c + 2));
  str_copy(u->role, sizeof u->role, db_col_text(st, c + 3));
  u->org_id = db_col_int(st, c + 4);
  str_copy(u->org_code, sizeof u->org_code, db_col_text(st, c + 5));
  str_copy(u->org_name, sizeof u->org_name, db_col_text(st, c + 6));
  str_copy(u->org_path, sizeof u->org_path, db_col_text(st, c + 7));
  str_copy(u->org_level, sizeof u->org_level, db_col_text(st, c + 8));
  str_copy(u->password_hash, sizeof u->password_hash, db_col_text(st, c + 9));
  str_copy(u->lang, sizeof u->lang, db_col_text(st, c + 10));
  u->active = db_col_int(st, c + 11) != 0;
  str_copy(u->created_at, sizeof u->created_at, db_col_text(st, c + 12));
  str_copy(u->password_changed_at, sizeof u->password_changed_at, db_col_text(st, c + 13));
}

/* Fills the UserRow *out from the current row of a statement selecting
 * USER_COLS (a DbRowRead). */
static void user_from_row(void *out, DbStmt *st) { user_from_cols(st, 0, out); }

/* Steps st once: ERR_OK with *out filled, ERR_NOT_FOUND, or the error. Finalizes st. */
static int user_one(DbStmt *st, UserRow *out, Err *e) { return db_row(st, user_from_row, out, "用户不存在", e); }

/* Runs an UPDATE ... RETURNING statement (binds done): ERR_NOT_FOUND when
 * no row changed. Finalizes st. */
static int user_update_one(DbStmt *st, Err *e) {
  bool changed;
  ErrCode rc = db_exists(st, &changed, e);
  if (rc == ERR_OK && !changed) return err_set(e, ERR_NOT_FOUND, "用户不存在");
  return rc;
}

int store_user_insert(Db *db, const char *username, const char *display_name, const char *role, int64_t org_id,
                      const char *password_hash, const char *created_at, int64_t *id_out, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO app_user(username, display_name, role, org_id, password_hash, lang, active, "
                          "created_at, password_changed_at) VALUES (:username, :display, :role, :org, :hash, '', 1, "
                          ":created, :created) RETURNING id",
                          e);
  db_bind_text(st, ":username", username);
  db_bind_text(st, ":display", display_name ? display_name : "");
  db_bind_text(st, ":role", role);
  db_bind_int(st, ":org", org_id);
  db_bind_text(st, ":hash", password_hash);
  db_bind_text(st, ":created", created_at);
  return db_insert_id(st, id_out, e);
}

int store_user_by_username(Db *db, const char *username, UserRow *out, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " USER_COLS " WHERE u.username = :username", e);
  db_bind_text(st, ":username", username);
  return user_one(st, out, e);
}

int store_user_by_id(Db *db, int64_t id, UserRow *out, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " USER_COLS " WHERE u.id = :id", e);
  db_bind_int(st, ":id", id);
  return user_one(st, out, e);
}

/* Steps st to the end, collecting its rows (USER_COLS) into *out (malloc'd,
 * caller frees with free(); NULL when *n is 0). Finalizes st. */
static int user_collect(DbStmt *st, UserRow **out, int *n, Err *e) {
  return db_rows(st, sizeof **out, user_from_row, NULL, out, n, e);
}

int store_user_list_scope(Db *db, const char *scope, UserRow **out, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  DbStmt *st = db_prepare(db,
                          "SELECT " USER_COLS " WHERE o.path >= :scope AND o.path < :bound "
                          "ORDER BY o.path, u.username",
                          e);
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":bound", bound);
  return user_collect(st, out, n, e);
}

int store_user_workers_for(Db *db, const char *path, UserRow **out, int *n, Err *e) {
  /* The units whose subtree holds path are its prefixes ending in '/'
   * ("/1/", "/1/5/", "/1/5/23/"): each one lookup of the unique path, then
   * its accounts through app_user_org. */
  DbStmt *st = db_prepare(db,
                          "SELECT " USER_COLS " WHERE o.path IN (:p0, :p1, :p2, :p3, :p4, :p5, :p6, :p7)"
                          " AND u.role IN ('worker', 'cadre') AND u.active = 1"
                          " ORDER BY o.path, u.role DESC, u.username",
                          e);
  static const char *const names[USER_PATH_PREFIXES] = {":p0", ":p1", ":p2", ":p3", ":p4", ":p5", ":p6", ":p7"};
  char prefix[ORG_PATH_MAX];
  size_t len = strlen(path);
  int k = 0;
  for (size_t i = 1; i < len && i + 1 < sizeof prefix; i++) {
    if (path[i] != '/') continue;
    if (k == USER_PATH_PREFIXES) break; /* deeper than any tree of jindu */
    memcpy(prefix, path, i + 1);
    prefix[i + 1] = 0;
    db_bind_text(st, names[k++], prefix);
  }
  for (; k < USER_PATH_PREFIXES; k++) db_bind_null(st, names[k]);
  return user_collect(st, out, n, e);
}

int store_user_set_password(Db *db, int64_t id, const char *password_hash, const char *changed_at, Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE app_user SET password_hash = :hash, password_changed_at = :changed "
                          "WHERE id = :id RETURNING id",
                          e);
  db_bind_text(st, ":hash", password_hash);
  db_bind_text(st, ":changed", changed_at);
  db_bind_int(st, ":id", id);
  return user_update_one(st, e);
}

int store_user_set_lang(Db *db, int64_t id, const char *lang, Err *e) {
  DbStmt *st = db_prepare(db, "UPDATE app_user SET lang = :lang WHERE id = :id RETURNING id", e);
  db_bind_text(st, ":lang", lang);
  db_bind_int(st, ":id", id);
  return user_update_one(st, e);
}

int store_user_set_active(Db *db, int64_t id, bool active, Err *e) {
  DbStmt *st = db_prepare(db, "UPDATE app_user SET active = :active WHERE id = :id RETURNING id", e);
  db_bind_int(st, ":active", active ? 1 : 0);
  db_bind_int(st, ":id", id);
  return user_update_one(st, e);
}

/* ---- sessions ---- */

int store_session_insert(Db *db, const SessionRow *s, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO session(" SESSION_COLS ") "
                          "VALUES (:hash, :user, :kind, :csrf, :created, :seen, :address)",
                          e);
  db_bind_text(st, ":hash", s->token_hash);
  db_bind_int(st, ":user", s->user_id);
  db_bind_text(st, ":kind", s->kind);
  db_bind_text(st, ":csrf", s->csrf);
  db_bind_int(st, ":created", s->created_unix);
  db_bind_int(st, ":seen", s->seen_unix);
  db_bind_text(st, ":address", s->address);
  return db_run(st, e);
}

/* A session and its account (user may be NULL), the outputs of
 * store_session_get. */
typedef struct SessionWithUser {
  SessionRow *session;
  UserRow *user;
} SessionWithUser;

/* Fills a SessionWithUser from the current row of store_session_get's
 * statement (a DbRowRead). */
static void session_from_row(void *out, DbStmt *st) {
  SessionWithUser *x = out;
  SessionRow *s = x->session;
  memset(s, 0, sizeof *s);
  str_copy(s->token_hash, sizeof s->token_hash, db_col_text(st, 0));
  s->user_id = db_col_int(st, 1);
  str_copy(s->kind, sizeof s->kind, db_col_text(st, 2));
  str_copy(s->csrf, sizeof s->csrf, db_col_text(st, 3));
  s->created_unix = db_col_int(st, 4);
  s->seen_unix = db_col_int(st, 5);
  str_copy(s->address, sizeof s->address, db_col_text(st, 6));
  if (!x->user) return;
  if (db_col_int(st, 7) > 0) user_from_cols(st, 7, x->user);
  else memset(x->user, 0, sizeof *x->user);
}

int store_session_get(Db *db, const char *token_hash, SessionRow *out, UserRow *user_out, Err *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT s.token_hash, s.user_id, s.kind, s.csrf, s.created_unix, s.seen_unix, s.address, "
                          USER_FIELDS "FROM session s LEFT JOIN app_user u ON u.id = s.user_id"
                          " LEFT JOIN org_unit o ON o.id = u.org_id WHERE s.token_hash = :hash",
                          e);
  db_bind_text(st, ":hash", token_hash);
  return db_row(st, session_from_row, &(SessionWithUser){out, user_out}, "会话不存在", e);
}

int store_session_touch(Db *db, const char *token_hash, int64_t seen_unix, Err *e) {
  DbStmt *st = db_prepare(db, "UPDATE session SET seen_unix = :seen WHERE token_hash = :hash", e);
  db_bind_int(st, ":seen", seen_unix);
  db_bind_text(st, ":hash", token_hash);
  return db_run(st, e);
}

int store_session_delete(Db *db, const char *token_hash, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM session WHERE token_hash = :hash", e);
  db_bind_text(st, ":hash", token_hash);
  return db_run(st, e);
}

int store_session_delete_user(Db *db, int64_t user_id, const char *keep_hash, int64_t *deleted, Err *e) {
  DbStmt *st = db_prepare(db,
                          "DELETE FROM session WHERE user_id = :user AND token_hash <> :keep RETURNING user_id",
                          e);
  db_bind_int(st, ":user", user_id);
  db_bind_text(st, ":keep", keep_hash ? keep_hash : "");
  return db_count(st, deleted, e);
}

int store_session_purge(Db *db, int64_t idle_before_unix, int64_t created_before_unix, int64_t *deleted, Err *e) {
  DbStmt *st = db_prepare(db,
                          "DELETE FROM session WHERE seen_unix < :idle OR created_unix < :created RETURNING user_id",
                          e);
  db_bind_int(st, ":idle", idle_before_unix);
  db_bind_int(st, ":created", created_before_unix);
  return db_count(st, deleted, e);
}

/* ---- login throttling ---- */

int store_login_record(Db *db, const char *username, const char *address, int64_t at_unix, bool ok, int64_t *id_out,
                       Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO login_attempt(username, address, at_unix, ok) "
                          "VALUES (:username, :address, :at, :ok) RETURNING id",
                          e);
  db_bind_text(st, ":username", username ? username : "");
  db_bind_text(st, ":address", address ? address : "");
  db_bind_int(st, ":at", at_unix);
  db_bind_int(st, ":ok", ok ? 1 : 0);
  return db_insert_id(st, id_out, e);
}

int store_login_set_ok(Db *db, int64_t id, Err *e) {
  DbStmt *st = db_prepare(db, "UPDATE login_attempt SET ok = 1 WHERE id = :id", e);
  db_bind_int(st, ":id", id);
  return db_run(st, e);
}

/* *count = attempts at or after since_unix with this ok, of username and/or
 * from address (NULL: either): the one count behind the throttle's
 * questions. Each filter's statement text is its own, so that the index on
 * (username, at_unix) or (address, at_unix) serves it. */
static int store_login_count(Db *db, const char *username, const char *address, int64_t since_unix, bool ok,
                             int64_t *count, Err *e) {
  assert(username || address);
  DbStmt *st = db_prepare(db,
                          !address ? "SELECT count(*) FROM login_attempt WHERE username = :username"
                                     " AND at_unix >= :since AND ok = :ok"
                          : !username ? "SELECT count(*) FROM login_attempt WHERE address = :address"
                                        " AND at_unix >= :since AND ok = :ok"
                                      : "SELECT count(*) FROM login_attempt WHERE username = :username"
                                        " AND at_unix >= :since AND address = :address AND ok = :ok",
                          e);
  if (username) db_bind_text(st, ":username", username);
  if (address) db_bind_text(st, ":address", address);
  db_bind_int(st, ":since", since_unix);
  db_bind_int(st, ":ok", ok ? 1 : 0);
  return db_scalar(st, count, e);
}

int store_login_failures_user(Db *db, const char *username, int64_t since_unix, int64_t *count, Err *e) {
  return store_login_count(db, username ? username : "", NULL, since_unix, false, count, e);
}

int store_login_failures_address(Db *db, const char *address, int64_t since_unix, int64_t *count, Err *e) {
  return store_login_count(db, NULL, address ? address : "", since_unix, false, count, e);
}

int store_login_failures_user_address(Db *db, const char *username, const char *address, int64_t since_unix,
                                      int64_t *count, Err *e) {
  return store_login_count(db, username ? username : "", address ? address : "", since_unix, false, count, e);
}

int store_login_successes_user_address(Db *db, const char *username, const char *address, int64_t since_unix,
                                       int64_t *count, Err *e) {
  return store_login_count(db, username ? username : "", address ? address : "", since_unix, true, count, e);
}

int store_login_purge(Db *db, int64_t failed_before_unix, int64_t ok_before_unix, Err *e) {
  DbStmt *st = db_prepare(db,
                          "DELETE FROM login_attempt WHERE (ok = 0 AND at_unix < :failed) OR (ok = 1 AND at_unix < :ok)",
                          e);
  db_bind_int(st, ":failed", failed_before_unix);
  db_bind_int(st, ":ok", ok_before_unix);
  return db_run(st, e);
}

int store_secret_get_or_create(Db *db, const char *name, const char *value_if_new, char out[129], Err *e) {
  DbStmt *ins = db_prepare(db, "INSERT INTO app_secret(name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING", e);
  db_bind_text(ins, ":name", name);
  db_bind_text(ins, ":value", value_if_new);
  if (db_run(ins, e) != ERR_OK) return e->code;
  DbStmt *st = db_prepare(db, "SELECT value FROM app_secret WHERE name = :name", e);
  if (!st) return e->code;
  db_bind_text(st, ":name", name);
  int rc = db_step(st, e);
  if (rc == DB_ROW) str_copy(out, 129, db_col_text(st, 0));
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_INTERNAL, "数据库错误，操作未完成");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_user_calendar_get(Db *db, int64_t user_id, int64_t *epoch, char hash_out[65], Err *e) {
  DbStmt *st = db_prepare(db, "SELECT calendar_epoch, calendar_token_hash FROM app_user WHERE id = :id", e);
  if (!st) return e->code;
  db_bind_int(st, ":id", user_id);
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    *epoch = db_col_int(st, 0);
    str_copy(hash_out, 65, db_col_text(st, 1));
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_user_calendar_set(Db *db, int64_t user_id, int64_t epoch, const char *token_hash, Err *e) {
  DbStmt *st =
      db_prepare(db, "UPDATE app_user SET calendar_epoch = :epoch, calendar_token_hash = :hash WHERE id = :id", e);
  db_bind_int(st, ":epoch", epoch);
  db_bind_text(st, ":hash", token_hash);
  db_bind_int(st, ":id", user_id);
  return db_run(st, e);
}

int store_user_by_calendar_hash(Db *db, const char *token_hash, UserRow *out, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " USER_COLS " WHERE u.calendar_token_hash = :hash AND u.active = 1", e);
  db_bind_text(st, ":hash", token_hash);
  return user_one(st, out, e);
}
