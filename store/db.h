/* store/db.h: the one database interface. Every SQL statement of jindu goes
 * through these calls; the SQLite driver (store/db_sqlite.c) implements them
 * and a PostgreSQL driver can implement the same without touching callers.
 * SQL text is portable: named parameters ":name", INSERT ... RETURNING, no
 * engine-specific date functions (dates are ISO text computed in C).
 * Errors are returned (DB_ERROR) and filled into an Err; never fatal.
 * One Db per thread; a Db is not shared between threads. */
#ifndef JINDU_DB_H
#define JINDU_DB_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt;

enum { DB_OK = 0, DB_ROW = 1, DB_DONE = 2, DB_ERROR = -1 };

/* Opens (creating if needed) the database at path with WAL, foreign keys,
 * busy timeout and durable commits, then applies pending migrations.
 * On success *out is the caller's, closed with db_close. */
int db_open(Db **out, const char *path, Err *e);
/* Opens without migrating (for tools that must see the file as it is). */
int db_open_raw(Db **out, const char *path, Err *e);
/* Closes the connection and frees its cached statements. NULL is allowed. */
void db_close(Db *db);
/* The path the Db was opened with. */
const char *db_path(const Db *db);
/* A number no other connection opened by this process has had (caches
 * keyed by connection use it: a Db's address may come back after a close). */
uint64_t db_serial(const Db *db);

/* Transactions nest as Fossil's do (src/db.c db_begin_transaction /
 * db_end_transaction): every begin is ended by exactly one commit or
 * rollback; only the outermost begin and end touch the database. An inner
 * rollback only lowers the depth and dooms the transaction; the outermost
 * commit of a doomed transaction rolls it back and returns DB_ERROR, with
 * e set to ERR_INTERNAL "操作失败" unless e already holds an error (the
 * caller's more specific one). So a step that fails inside a caller's
 * transaction can end its own level with a rollback without ending the
 * caller's, and the caller cannot commit half a write by mistake. */

/* Starts a write transaction (takes the write lock at once), or enters one
 * more level of the open one. */
int db_begin(Db *db, Err *e);
/* Starts a read transaction (a consistent snapshot), or enters one more
 * level of the open one. */
int db_begin_read(Db *db, Err *e);
/* Ends one level. The outermost commits, unless the transaction is doomed
 * (then as above); a failed COMMIT rolls back and returns DB_ERROR. */
int db_commit(Db *db, Err *e);
/* Ends one level: an inner one dooms the transaction, the outermost rolls
 * it back. Safe to call when none is open (nothing happens). */
void db_rollback(Db *db);
/* true while a transaction is open (at any depth). */
bool db_in_transaction(const Db *db);

/* Prepares sql (statements are cached per Db and reused: sql should be a
 * fixed text). The statement is owned by the Db; give it back with
 * db_finalize (which resets it for reuse). NULL on error (e filled). */
DbStmt *db_prepare(Db *db, const char *sql, Err *e);
/* Binds by name (":id"); a name not in the statement is an invariant failure
 * (assert). Text is copied. NULL text binds SQL NULL. */
void db_bind_text(DbStmt *st, const char *name, const char *value);
void db_bind_int(DbStmt *st, const char *name, int64_t value);
void db_bind_null(DbStmt *st, const char *name);
/* Binds value when has_value, NULL otherwise. */
void db_bind_int_or_null(DbStmt *st, const char *name, bool has_value, int64_t value);
/* Binds NULL for an empty string. */
void db_bind_text_or_null(DbStmt *st, const char *name, const char *value);
/* Steps: DB_ROW, DB_DONE or DB_ERROR (e filled; a unique violation is
 * ERR_CONFLICT, anything else ERR_INTERNAL). */
int db_step(DbStmt *st, Err *e);
/* Column values of the current row (0-based). Text is valid until the next
 * step/finalize; NULL for SQL NULL. */
int64_t db_col_int(DbStmt *st, int col);
const char *db_col_text(DbStmt *st, int col);
bool db_col_is_null(DbStmt *st, int col);
/* Resets and returns the statement to the Db's cache. NULL is allowed. */
void db_finalize(DbStmt *st);

/* Runs one or more statements without parameters (schema, pragmas). */
int db_exec(Db *db, const char *sql, Err *e);
/* Runs a prepared statement to completion expecting no row back. */
int db_run(DbStmt *st, Err *e);

/* Hot online backup of db into a new file at dest_path (caller's). */
int db_backup(Db *db, const char *dest_path, Err *e);

/* Schema version applied (user_version). */
int db_schema_version(Db *db);

#endif
