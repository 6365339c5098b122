/* store/db_sqlite.c: the SQLite driver behind store/db.h (the functions
 * marked [driver] there): connection set-up (WAL, foreign keys, busy
 * timeout, synchronous=FULL), the per-connection statement cache,
 * transactions, named binds, errors as ErrCode with their log line, the
 * online backup and the schema version (PRAGMA user_version). It knows no
 * schema: db_open runs the DbPrepare its caller gives. */
#include "db.h"
#include <assert.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DB_CACHE_SLOTS 256

struct DbStmt {
  sqlite3_stmt *st;
  Db *db;
  char *sql;      /* owned copy, the cache key */
  size_t sql_len;
  bool in_use;
  DbStmt *next;   /* chain in the hash bucket */
};

struct Db {
  sqlite3 *h;
  uint64_t serial; /* db_serial */
  char *path;
  int tx_depth;    /* open db_begin/db_begin_read levels */
  bool tx_doomed;  /* an inner level rolled back: the outermost end rolls back */
  DbStmt *cache[DB_CACHE_SLOTS];
};

/* FNV-1a hash of the SQL text, for the statement cache. */
/* Hash of the n bytes of s, eight at a time (the statement texts are long:
 * a byte-at-a-time hash of them cost more than the lookup it serves). */
static unsigned db_hash(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  for (; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001B3ull;
  h ^= h >> 29;
  return (unsigned)h;
}

/* The ErrCode of SQLite result rc of statement sql on db, with e (may be
 * NULL) filled: ERR_CONFLICT for a unique violation (the caller's 409, not
 * logged), ERR_INTERNAL for anything else, logged with SQLite's message and
 * the SQL text (db_log_error). Called on the error path only. */
static ErrCode db_fail(Db *db, int rc, const char *sql, Err *e) {
  int ext = sqlite3_extended_errcode(db->h);
  if (rc == SQLITE_CONSTRAINT && (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)) {
    if (e) err_set(e, ERR_CONFLICT, "记录已存在（重复）");
    return ERR_CONFLICT;
  }
  db_log_error(sqlite3_errmsg(db->h), sql);
  if (e) err_set(e, ERR_INTERNAL, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "数据库繁忙，请稍后重试"
                                                                          : "数据库错误，操作未完成");
  return ERR_INTERNAL;
}

/* Creates path as an empty file readable by its owner only, unless it
 * exists. SQLite would create it 0644 less the umask, i.e. readable by every
 * local user, and gives its -wal, -shm and -journal files the database
 * file's mode: so the case files stay private. ":memory:" and URIs are left
 * to SQLite. Returns 0, or -1 with errno set when path cannot be created. */
static int db_create_private(const char *path) {
  if (!*path || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) return 0;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return errno == EEXIST ? 0 : -1;
  close(fd);
  return 0;
}

/* Process-wide settings, before SQLite's first use: no memory statistics
 * (they take one global mutex on every allocation of every connection:
 * measured, the server's threads queued on it). */
static void db_configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
static pthread_once_t db_configure_once = PTHREAD_ONCE_INIT;

ErrCode db_open(Db **out, const char *path, DbPrepare prepare, Err *e) {
  static _Atomic uint64_t serials;
  *out = NULL;
  pthread_once(&db_configure_once, db_configure);
  Db *db = calloc(1, sizeof *db);
  if (!db) abort();
  db->serial = ++serials;
  db->path = strdup(path);
  if (!db->path) abort();
  db_create_private(path); /* a failure shows in sqlite3_open_v2 below */
  int rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    err_set(e, ERR_INTERNAL, "无法打开数据库文件");
    db_close(db);
    return ERR_INTERNAL;
  }
  sqlite3_busy_timeout(db->h, 5000);
  ErrCode code = db_exec(db,
                         "PRAGMA journal_mode=WAL;"
                         "PRAGMA synchronous=FULL;"
                         "PRAGMA foreign_keys=ON;"
                         "PRAGMA temp_store=MEMORY;",
                         e);
  if (code == ERR_OK) code = db_cache_limit(db, DB_CACHE_KIB, e);
  if (code == ERR_OK && prepare) code = prepare(db, e);
  if (code != ERR_OK) {
    db_close(db);
    return code;
  }
  *out = db;
  return ERR_OK;
}

ErrCode db_cache_limit(Db *db, int kib, Err *e) {
  assert(kib > 0);
  char sql[48];
  snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", kib);
  return db_exec(db, sql, e);
}

void db_close(Db *db) {
  if (!db) return;
  for (int i = 0; i < DB_CACHE_SLOTS; i++) {
    DbStmt *s = db->cache[i];
    while (s) {
      DbStmt *n = s->next;
      sqlite3_finalize(s->st);
      free(s->sql);
      free(s);
      s = n;
    }
  }
  if (db->h) sqlite3_close(db->h);
  free(db->path);
  free(db);
}

const char *db_path(const Db *db) { return db->path; }

uint64_t db_serial(const Db *db) { return db->serial; }

/* Runs a statement without parameters through the statement cache: the
 * transaction verbs, which sqlite3_exec parsed anew several times a
 * request. */
static ErrCode db_verb(Db *db, const char *sql, Err *e) { return db_run(db_prepare(db, sql, e), e); }

static ErrCode db_begin_mode(Db *db, const char *sql, Err *e) {
  if (db->tx_depth++ > 0) return ERR_OK;
  db->tx_doomed = false;
  ErrCode rc = db_verb(db, sql, e);
  if (rc != ERR_OK) db->tx_depth = 0;
  return rc;
}

ErrCode db_begin(Db *db, Err *e) { return db_begin_mode(db, "BEGIN IMMEDIATE", e); }
ErrCode db_begin_read(Db *db, Err *e) { return db_begin_mode(db, "BEGIN", e); }

/* Ends the outermost transaction with a rollback (SQLite may have rolled
 * it back already, after some errors). */
static void db_rollback_now(Db *db) {
  db->tx_depth = 0;
  db->tx_doomed = false;
  if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

ErrCode db_commit(Db *db, Err *e) {
  assert(db->tx_depth > 0);
  if (--db->tx_depth > 0) return ERR_OK;
  if (db->tx_doomed) {
    db_rollback_now(db);
    if (e && e->code == ERR_OK) err_set(e, ERR_INTERNAL, "操作失败");
    return e ? e->code : ERR_INTERNAL;
  }
  ErrCode rc = db_verb(db, "COMMIT", e);
  if (rc != ERR_OK) db_rollback_now(db);
  return rc;
}

void db_rollback(Db *db) {
  if (db->tx_depth == 0) return;
  if (--db->tx_depth > 0) {
    db->tx_doomed = true;
    return;
  }
  db_rollback_now(db);
}

bool db_in_transaction(const Db *db) { return db->tx_depth > 0; }

DbStmt *db_prepare(Db *db, const char *sql, Err *e) {
  size_t len = strlen(sql);
  unsigned slot = db_hash(sql, len) % DB_CACHE_SLOTS;
  for (DbStmt *s = db->cache[slot]; s; s = s->next) {
    if (!s->in_use && s->sql_len == len && memcmp(s->sql, sql, len) == 0) {
      s->in_use = true;
      return s;
    }
  }
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) {
    db_fail(db, rc, sql, e);
    return NULL;
  }
  DbStmt *s = calloc(1, sizeof *s);
  if (!s) abort();
  s->st = st;
  s->db = db;
  s->sql = strdup(sql);
  if (!s->sql) abort();
  s->sql_len = len;
  s->in_use = true;
  s->next = db->cache[slot];
  db->cache[slot] = s;
  return s;
}

/* Index of a named parameter; asserts that it exists. */
static int db_param(DbStmt *st, const char *name) {
  int i = sqlite3_bind_parameter_index(st->st, name);
  assert(i > 0 && "unknown SQL parameter");
  return i;
}

void db_bind_text(DbStmt *st, const char *name, const char *value) {
  if (!st) return;
  int i = db_param(st, name);
  if (value) sqlite3_bind_text(st->st, i, value, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st->st, i);
}

void db_bind_int(DbStmt *st, const char *name, int64_t value) {
  if (st) sqlite3_bind_int64(st->st, db_param(st, name), value);
}

void db_bind_null(DbStmt *st, const char *name) {
  if (st) sqlite3_bind_null(st->st, db_param(st, name));
}

void db_bind_blob(DbStmt *st, const char *name, const void *data, size_t len) {
  assert(len <= INT_MAX);
  sqlite3_bind_blob(st->st, db_param(st, name), len ? data : "", (int)len, SQLITE_TRANSIENT);
}

int db_step(DbStmt *st, Err *e) {
  int rc = sqlite3_step(st->st);
  if (rc == SQLITE_ROW) return DB_ROW;
  if (rc == SQLITE_DONE) return DB_DONE;
  return db_fail(st->db, rc, st->sql, e);
}

int64_t db_col_int(DbStmt *st, int col) { return sqlite3_column_int64(st->st, col); }

const char *db_col_text(DbStmt *st, int col) { return (const char *)sqlite3_column_text(st->st, col); }

bool db_col_is_null(DbStmt *st, int col) { return sqlite3_column_type(st->st, col) == SQLITE_NULL; }

const void *db_col_blob(DbStmt *st, int col, size_t *len) {
  const void *p = sqlite3_column_blob(st->st, col);
  *len = (size_t)sqlite3_column_bytes(st->st, col);
  return p;
}

void db_finalize(DbStmt *st) {
  if (!st) return;
  sqlite3_reset(st->st);
  sqlite3_clear_bindings(st->st);
  st->in_use = false;
}

ErrCode db_exec(Db *db, const char *sql, Err *e) {
  int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return db_fail(db, rc, sql, e);
  return ERR_OK;
}

ErrCode db_backup(Db *db, const char *dest_path, Err *e) {
  sqlite3 *dst = NULL;
  /* A new file, owner-only, never an existing one (nor a symbolic link
   * planted after the caller looked). */
  int fd = open(dest_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return err_set(e, ERR_INTERNAL, "无法创建备份文件");
  close(fd);
  if (sqlite3_open(dest_path, &dst) != SQLITE_OK) {
    sqlite3_close(dst);
    return err_set(e, ERR_INTERNAL, "无法创建备份文件");
  }
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
  int rc = SQLITE_ERROR;
  if (b) {
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
  }
  sqlite3_close(dst);
  if (rc != SQLITE_DONE) return err_set(e, ERR_INTERNAL, "备份失败");
  return ERR_OK;
}

ErrCode db_integrity_check(Db *db, Err *e) {
  sqlite3_stmt *st;
  bool ok = false;
  if (sqlite3_prepare_v2(db->h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char *t = sqlite3_column_text(st, 0);
      ok = t && strcmp((const char *)t, "ok") == 0;
    }
    sqlite3_finalize(st);
  }
  return ok ? ERR_OK : err_set(e, ERR_INTERNAL, "数据库完整性检查未通过");
}

int db_schema_version(Db *db) {
  sqlite3_stmt *st;
  int v = 0;
  if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  return v;
}

ErrCode db_set_schema_version(Db *db, int v, Err *e) {
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
  return db_exec(db, sql, e);
}
