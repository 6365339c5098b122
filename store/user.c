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

/* The columns of USER_FIELDS, in order. */
static const DbCol user_cols[] = {
  DB_COL(UserRow, id),
  DB_COL(UserRow, username),
  DB_COL(UserRow, display_name),
  DB_COL(UserRow, role),
  DB_COL(UserRow, org_id),
  DB_COL(UserRow, org_code),
  DB_COL(UserRow, org_name),
  DB_COL(UserRow, org_path),
  DB_COL(UserRow, org_level),
  DB_COL(UserRow, password_hash),
  DB_COL(UserRow, lang),
  DB_COL(UserRow, active),
  DB_COL(UserRow, created_at),
  DB_COL(UserRow, password_changed_at),
  DB_COL_END,
};

/* The columns of SESSION_COLS (s. in store_session_get), in order. */
static const DbCol session_cols[] = {
  DB_COL(SessionRow, token_hash),
  DB_COL(SessionRow, user_id),
  DB_COL(SessionRow, kind),
  DB_COL(SessionRow, csrf),
  DB_COL(SessionRow, created_unix),
  DB_COL(SessionRow, seen_unix),
  DB_COL(SessionRow, address),
  DB_COL_END,
};

/* Steps st once: ERR_OK with *out filled, ERR_NOT_FOUND, or the error. Finalizes st. */
static int user_one(DbStmt *st, UserRow *out, Err *e) { return db_row_cols(st, user_cols, out, "用户不存在", e); }

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
  return db_insert(db, "app_user", id_out, e, DB_TEXT(":username", username),
                   DB_TEXT(":display_name", display_name ? display_name : ""), DB_TEXT(":role", role),
                   DB_INT(":org_id", org_id), DB_TEXT(":password_hash", password_hash), DB_TEXT(":lang", ""),
                   DB_INT(":active", 1), DB_TEXT(":created_at", created_at),
                   DB_TEXT(":password_changed_at", created_at));
}

int store_user_by_username(Db *db, const char *username, UserRow *out, Err *e) {
  DbStmt *st = db_query(db, "SELECT " USER_COLS " WHERE u.username = :username", e, DB_TEXT(":username", username));
  return user_one(st, out, e);
}

int store_user_by_id(Db *db, int64_t id, UserRow *out, Err *e) {
  return user_one(db_query(db, "SELECT " USER_COLS " WHERE u.id = :id", e, DB_INT(":id", id)), out, e);
}

/* Steps st to the end, collecting its rows (USER_COLS) into *out (malloc'd,
 * caller frees with free(); NULL when *n is 0). Finalizes st. */
static int user_collect(DbStmt *st, UserRow **out, int *n, Err *e) {
  return db_rows_cols(st, sizeof **out, user_cols, out, n, e);
}

int store_user_list_scope(Db *db, const char *scope, UserRow **out, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  DbStmt *st = db_query(db, "SELECT " USER_COLS " WHERE o.path >= :scope AND o.path < :bound "
                            "ORDER BY o.path, u.username", e,
                        DB_TEXT(":scope", scope), DB_TEXT(":bound", bound));
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
  DbStmt *st = db_query(db, "UPDATE app_user SET password_hash = :hash, password_changed_at = :changed "
                            "WHERE id = :id RETURNING id", e,
                        DB_TEXT(":hash", password_hash), DB_TEXT(":changed", changed_at), DB_INT(":id", id));
  return user_update_one(st, e);
}

int store_user_set_lang(Db *db, int64_t id, const char *lang, Err *e) {
  DbStmt *st = db_query(db, "UPDATE app_user SET lang = :lang WHERE id = :id RETURNING id", e, DB_TEXT(":lang", lang),
                        DB_INT(":id", id));
  return user_update_one(st, e);
}

int store_user_set_active(Db *db, int64_t id, bool active, Err *e) {
  DbStmt *st = db_query(db, "UPDATE app_user SET active = :active WHERE id = :id RETURNING id", e,
                        DB_INT(":active", active ? 1 : 0), DB_INT(":id", id));
  return user_update_one(st, e);
}

/* ---- sessions ---- */

int store_session_insert(Db *db, const SessionRow *s, Err *e) {
  return db_insert(db, "session", NULL, e, DB_TEXT(":token_hash", s->token_hash), DB_INT(":user_id", s->user_id),
                   DB_TEXT(":kind", s->kind), DB_TEXT(":csrf", s->csrf), DB_INT(":created_unix", s->created_unix),
                   DB_INT(":seen_unix", s->seen_unix), DB_TEXT(":address", s->address));
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
  db_cols_read(x->session, st, 0, session_cols);
  if (!x->user) return;
  if (db_col_int(st, 7) > 0) db_cols_read(x->user, st, 7, user_cols);
  else memset(x->user, 0, sizeof *x->user);
}

int store_session_get(Db *db, const char *token_hash, SessionRow *out, UserRow *user_out, Err *e) {
  DbStmt *st = db_query(db, "SELECT s.token_hash, s.user_id, s.kind, s.csrf, s.created_unix, s.seen_unix, s.address, "
                            USER_FIELDS "FROM session s LEFT JOIN app_user u ON u.id = s.user_id"
                            " LEFT JOIN org_unit o ON o.id = u.org_id WHERE s.token_hash = :hash", e,
                        DB_TEXT(":hash", token_hash));
  return db_row(st, session_from_row, &(SessionWithUser){out, user_out}, "会话不存在", e);
}

int store_session_touch(Db *db, const char *token_hash, int64_t seen_unix, Err *e) {
  DbStmt *st = db_query(db, "UPDATE session SET seen_unix = :seen WHERE token_hash = :hash", e,
                        DB_INT(":seen", seen_unix), DB_TEXT(":hash", token_hash));
  return db_run(st, e);
}

int store_session_delete(Db *db, const char *token_hash, Err *e) {
  return db_run(db_query(db, "DELETE FROM session WHERE token_hash = :hash", e, DB_TEXT(":hash", token_hash)), e);
}

int store_session_delete_user(Db *db, int64_t user_id, const char *keep_hash, int64_t *deleted, Err *e) {
  DbStmt *st = db_query(db, "DELETE FROM session WHERE user_id = :user AND token_hash <> :keep RETURNING user_id", e,
                        DB_INT(":user", user_id), DB_TEXT(":keep", keep_hash ? keep_hash : ""));
  return db_count(st, deleted, e);
}

int store_session_purge(Db *db, int64_t idle_before_unix, int64_t created_before_unix, int64_t *deleted, Err *e) {
  DbStmt *st = db_query(db, "DELETE FROM session WHERE seen_unix < :idle OR created_unix < :created RETURNING user_id", e,
                        DB_INT(":idle", idle_before_unix), DB_INT(":created", created_before_unix));
  return db_count(st, deleted, e);
}

/* ---- login throttling ---- */

int store_login_record(Db *db, const char *username, const char *address, int64_t at_unix, bool ok, int64_t *id_out,
                       Err *e) {
  return db_insert(db, "login_attempt", id_out, e, DB_TEXT(":username", username ? username : ""),
                   DB_TEXT(":address", address ? address : ""), DB_INT(":at_unix", at_unix), DB_INT(":ok", ok ? 1 : 0));
}

int store_login_set_ok(Db *db, int64_t id, Err *e) {
  return db_run(db_query(db, "UPDATE login_attempt SET ok = 1 WHERE id = :id", e, DB_INT(":id", id)), e);
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
  DbStmt *st = db_query(db, "DELETE FROM login_attempt WHERE (ok = 0 AND at_unix < :failed) OR (ok = 1 AND at_unix < :ok)", e,
                        DB_INT(":failed", failed_before_unix), DB_INT(":ok", ok_before_unix));
  return db_run(st, e);
}

int store_secret_get_or_create(Db *db, const char *name, const char *value_if_new, char out[129], Err *e) {
  DbStmt *ins = db_query(db, "INSERT INTO app_secret(name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING", e,
                         DB_TEXT(":name", name), DB_TEXT(":value", value_if_new));
  if (db_run(ins, e) != ERR_OK) return e->code;
  DbStmt *st = db_query(db, "SELECT value FROM app_secret WHERE name = :name", e, DB_TEXT(":name", name));
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) str_copy(out, 129, db_col_text(st, 0));
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_INTERNAL, "数据库错误，操作未完成");
  return rc == DB_ROW ? ERR_OK : rc;
}

/* A user's calendar columns, as store_user_calendar_get selects them. */
typedef struct UserCalendar {
  int64_t epoch;
  char hash[65];
} UserCalendar;
static const DbCol user_calendar_cols[] = {
  DB_COL(UserCalendar, epoch),
  DB_COL(UserCalendar, hash),
  DB_COL_END,
};

int store_user_calendar_get(Db *db, int64_t user_id, int64_t *epoch, char hash_out[65], Err *e) {
  UserCalendar cal;
  DbStmt *st = db_query(db, "SELECT calendar_epoch, calendar_token_hash FROM app_user WHERE id = :id", e,
                        DB_INT(":id", user_id));
  if (db_row_cols(st, user_calendar_cols, &cal, "记录不存在", e) != ERR_OK) return e->code;
  *epoch = cal.epoch;
  memcpy(hash_out, cal.hash, sizeof cal.hash);
  return ERR_OK;
}

int store_user_calendar_set(Db *db, int64_t user_id, int64_t epoch, const char *token_hash, Err *e) {
  DbStmt *st = db_query(db, "UPDATE app_user SET calendar_epoch = :epoch, calendar_token_hash = :hash WHERE id = :id", e,
                        DB_INT(":epoch", epoch), DB_TEXT(":hash", token_hash), DB_INT(":id", user_id));
  return db_run(st, e);
}

int store_user_by_calendar_hash(Db *db, const char *token_hash, UserRow *out, Err *e) {
  DbStmt *st = db_query(db, "SELECT " USER_COLS " WHERE u.calendar_token_hash = :hash AND u.active = 1", e,
                        DB_TEXT(":hash", token_hash));
  return user_one(st, out, e);
}
