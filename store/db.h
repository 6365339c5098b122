/* store/db.h: the one database interface. Every SQL statement of jindu goes
 * through these calls. SQL text is portable: named parameters ":name",
 * INSERT ... RETURNING, no engine-specific date functions (dates are ISO text
 * computed in C). One Db per thread; a Db is not shared between threads.
 *
 * Errors: every function that can fail returns an ErrCode (ERR_OK, or
 * ERR_CONFLICT for a unique violation, ERR_INTERNAL for anything else) and
 * fills its Err (e may be NULL where it says so); never fatal. db_step
 * alone answers DB_ROW or DB_DONE on success: both lie outside the ErrCode
 * range, so one int says "row", "done" or which error. A failed statement
 * (other than a unique violation, which is the caller's 409) is logged to
 * stderr, one line: "jindu: req=ID sql error: <driver message> in: <sql>",
 * with the SQL text as written (its ":name" placeholders, never the bound
 * values: they hold personal data) and the request id of the thread.
 *
 * Drivers. The SQLite driver is store/db_sqlite.c. A second driver
 * (PostgreSQL) implements the functions marked [driver] below and nothing
 * else: the one-shots, the nullable binds, statements with their values
 * (db_query, db_insert), the column tables of readers, the request id and
 * the error line are store/db.c, written once over the driver's calls. A
 * driver knows no schema: db_open runs the store's DbPrepare
 * (store/schema.c schema_migrate) and records the schema version through
 * db_schema_version / db_set_schema_version (SQLite: PRAGMA user_version;
 * elsewhere a one-row table). */
#ifndef JINDU_DB_H
#define JINDU_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt;

/* db_step's answers on success; an error is the ErrCode (never ERR_OK). */
enum { DB_ROW = 100, DB_DONE = 101 };
_Static_assert((int)ERR_INTERNAL < (int)DB_ROW, "DB_ROW and DB_DONE must not be ErrCode values");

/* What the store layer does to a connection db_open has set up, before the
 * caller gets it: bring the schema up to date (schema_migrate). */
typedef ErrCode (*DbPrepare)(Db *db, Err *e);

/* The page cache db_open gives a connection, in KiB: 64 MiB, for the CLI's
 * one connection (imports, `jindu gen`, doctor, migrations). */
#define DB_CACHE_KIB 65536

/* ---- connections ------------------------------------------------------ */

/* [driver] Opens (creating if needed) the database at path with WAL,
 * foreign keys, busy timeout and durable commits, then runs prepare (NULL:
 * none, the file as it is). On success *out is the caller's, closed with
 * db_close; on failure *out is NULL. */
ErrCode db_open(Db **out, const char *path, DbPrepare prepare, Err *e);
/* [driver] Bounds the connection's page cache to kib KiB (db_open's default:
 * DB_CACHE_KIB). The cache is filled by what the connection reads and kept
 * while the connection is open, so a long-lived connection's cache is
 * resident memory of the process: `jindu serve` gives its worker connections
 * a share of one budget (web/server.h SERVE_CACHE_BUDGET_KIB). */
ErrCode db_cache_limit(Db *db, int kib, Err *e);
/* [driver] Closes the connection and frees its cached statements. NULL is allowed. */
void db_close(Db *db);
/* [driver] The path the Db was opened with. */
const char *db_path(const Db *db);
/* [driver] A number no other connection opened by this process has had
 * (caches keyed by connection use it: a Db's address may come back after a
 * close). */
uint64_t db_serial(const Db *db);

/* ---- transactions ------------------------------------------------------ */

/* Transactions nest as Fossil's do (src/db.c db_begin_transaction /
 * db_end_transaction): every begin is ended by exactly one commit or
 * rollback; only the outermost begin and end touch the database. An inner
 * rollback only lowers the depth and dooms the transaction; the outermost
 * commit of a doomed transaction rolls it back and returns an error: e's
 * code when e already holds one (the caller's more specific error), else
 * ERR_INTERNAL "操作失败" set in e. So a step that fails inside a caller's
 * transaction can end its own level with a rollback without ending the
 * caller's, and the caller cannot commit half a write by mistake. */

/* [driver] Starts a write transaction (takes the write lock at once), or
 * enters one more level of the open one. */
ErrCode db_begin(Db *db, Err *e);
/* [driver] Starts a read transaction (a consistent snapshot), or enters one
 * more level of the open one. */
ErrCode db_begin_read(Db *db, Err *e);
/* [driver] Ends one level. The outermost commits, unless the transaction is
 * doomed (then as above); a failed COMMIT rolls back and returns its error. */
ErrCode db_commit(Db *db, Err *e);
/* [driver] Ends one level: an inner one dooms the transaction, the
 * outermost rolls it back. Safe to call when none is open (nothing happens). */
void db_rollback(Db *db);
/* [driver] true while a transaction is open (at any depth). */
bool db_in_transaction(const Db *db);

/* ---- statements -------------------------------------------------------- */

/* [driver] Prepares sql (statements are cached per Db and reused: sql
 * should be a fixed text). The statement is owned by the Db; give it back
 * with db_finalize (which resets it for reuse). NULL on error (e filled,
 * the error logged). */
DbStmt *db_prepare(Db *db, const char *sql, Err *e);
/* [driver] Binds by name (":id"); a name not in the statement is an
 * invariant failure (assert). Text is copied. NULL text binds SQL NULL.
 * A NULL st (a failed db_prepare) is passed over: the call that runs it
 * (a one-shot, db_row, db_rows) returns the prepare's error, so a statement
 * is prepared, bound and run without a check between. */
void db_bind_text(DbStmt *st, const char *name, const char *value);
void db_bind_int(DbStmt *st, const char *name, int64_t value);
void db_bind_null(DbStmt *st, const char *name);
/* [driver] Binds len bytes of data as a BLOB (copied). */
void db_bind_blob(DbStmt *st, const char *name, const void *data, size_t len);
/* Binds value when has_value, NULL otherwise. */
void db_bind_int_or_null(DbStmt *st, const char *name, bool has_value, int64_t value);
/* Binds NULL for an empty string. */
void db_bind_text_or_null(DbStmt *st, const char *name, const char *value);

/* A statement with its values: db_query(db, sql, e, DB_INT(":id", id),
 * DB_TEXT(":name", name), ...) is db_prepare and then each value bound as
 * the db_bind_* call of its kind binds it (values copied); so NULL when the
 * prepare failed, which the one-shots, db_row and db_rows take:
 * `return db_run(db_query(db, sql, e, DB_INT(":id", id)), e);` is whole.
 * DB_TEXT_OR_NULL and DB_INT_OR_NULL bind as db_bind_text_or_null and
 * db_bind_int_or_null; DB_ID_OR_NULL binds a row id, NULL when it is not
 * > 0 (none). DB_SCOPE(path) binds the subtree of the unit path as the
 * index range of every scoped query, `x.path >= :scope AND x.path <
 * :scope_end` (:scope_end computed by store_path_bound, store/org.h). A
 * value bound only under a condition, or into SQL built at run time, gets
 * its own db_bind_* call. */
typedef enum { DBV_INT, DBV_NULL, DBV_ID_OR_NULL, DBV_TEXT, DBV_TEXT_OR_NULL, DBV_BLOB, DBV_SCOPE_END } DbValKind;
typedef struct DbVal {
  const char *name; /* ":name"; NULL ends a list */
  DbValKind kind;
  int64_t i;
  const char *text;
  const void *blob;
  size_t len;
} DbVal;
#define DB_INT(n, v) {.name = (n), .kind = DBV_INT, .i = (v)}
#define DB_INT_OR_NULL(n, has, v) {.name = (n), .kind = (has) ? DBV_INT : DBV_NULL, .i = (v)}
#define DB_ID_OR_NULL(n, v) {.name = (n), .kind = DBV_ID_OR_NULL, .i = (v)}
#define DB_TEXT(n, v) {.name = (n), .kind = DBV_TEXT, .text = (v)}
#define DB_TEXT_OR_NULL(n, v) {.name = (n), .kind = DBV_TEXT_OR_NULL, .text = (v)}
#define DB_BLOB(n, p, size) {.name = (n), .kind = DBV_BLOB, .blob = (p), .len = (size)}
#define DB_SCOPE(path) DB_TEXT(":scope", (path)), {.name = ":scope_end", .kind = DBV_SCOPE_END, .text = (path)}
/* db_prepare, then vals (ended by a NULL name) bound; db_query builds the list. */
DbStmt *db_prepare_vals(Db *db, const char *sql, const DbVal *vals, Err *e);
#define db_query(db, sql, e, ...) db_prepare_vals((db), (sql), (const DbVal[]){__VA_ARGS__, {.name = NULL}}, (e))

/* Inserts one row into table: db_insert(db, "visit", &id, e,
 * DB_INT(":person_id", pid), DB_TEXT(":date", date), ...) writes each value
 * to the column of its name (without the ':'), as "INSERT INTO visit
 * (person_id, date) VALUES (:person_id, :date)", plus " RETURNING id" when
 * id is not NULL (then *id = the new row's id, as db_insert_id). The text
 * is the same on every call from one place, so the cache keeps it. */
ErrCode db_insert_vals(Db *db, const char *table, const DbVal *vals, int64_t *id, Err *e);
#define db_insert(db, table, id, e, ...) \
  db_insert_vals((db), (table), (const DbVal[]){__VA_ARGS__, {.name = NULL}}, (id), (e))

/* [driver] Steps: DB_ROW, DB_DONE, or the ErrCode of a failure (e filled,
 * the error logged). After a loop `while ((rc = db_step(st, e)) == DB_ROW)`
 * rc is DB_DONE or the error. */
int db_step(DbStmt *st, Err *e);
/* [driver] Column values of the current row (0-based). Text is valid until
 * the next step/finalize; NULL for SQL NULL. */
int64_t db_col_int(DbStmt *st, int col);
const char *db_col_text(DbStmt *st, int col);
bool db_col_is_null(DbStmt *st, int col);
/* [driver] A BLOB column of the current row: its bytes (valid until the
 * next step/finalize; NULL when empty or NULL) and *len their count. */
const void *db_col_blob(DbStmt *st, int col, size_t *len);
/* [driver] Resets and returns the statement to the Db's cache. NULL is allowed. */
void db_finalize(DbStmt *st);

/* ---- one-shots ----------------------------------------------------------
 * Each takes a prepared statement with its values bound, steps it once and
 * finalizes it, whatever happens. st may be NULL: the db_prepare that gave
 * it failed, and its error (in e) is returned; so
 * `return db_run(db_prepare(db, sql, e), e)` is whole for a statement
 * without parameters, and `st = db_prepare(...); db_bind_...(st, ...);
 * return db_run(st, e);` for one with. */

/* Runs st, expecting no row back (or ignoring the first). */
ErrCode db_run(DbStmt *st, Err *e);
/* *out = column 0 of st's first row as an integer; 0 when there is no row
 * or the value is NULL. */
ErrCode db_scalar(DbStmt *st, int64_t *out, Err *e);
/* *out = whether st yields a row. */
ErrCode db_exists(DbStmt *st, bool *out, Err *e);
/* Runs an INSERT ... RETURNING id; *id (may be NULL) = the new row's id. A
 * statement that returns no row is not one: ERR_INTERNAL. */
ErrCode db_insert_id(DbStmt *st, int64_t *id, Err *e);
/* Runs st to its end; *count (may be NULL) = how many rows it yielded (of
 * an UPDATE or DELETE ... RETURNING: how many it changed); 0 on an error. */
ErrCode db_count(DbStmt *st, int64_t *count, Err *e);

/* ---- rows into records -------------------------------------------------
 * A reader fills the caller's record *out from the current row of st; each
 * reader is written for one SELECT's column list. A dropper frees what a
 * reader allocated inside one record (not the record itself). */
typedef void (*DbRowRead)(void *out, DbStmt *st);
typedef void (*DbRowDrop)(void *rec);

/* A reader as a table: one DB_COL(T, member) a column, in the SELECT's
 * order, ended by DB_COL_END; db_cols_read applies it. The member's type
 * says how its column is read: int64_t, int, bool (not 0) from an integer;
 * char[N] a copy of the text cut to fit (str_copy, "" for NULL); char * a
 * malloc'd copy ("" for NULL; db_cols_drop frees it); const char * the
 * text itself (valid until the next step). Another type does not compile.
 * A Day (core/date.h) is an int to the compiler: its column, ISO text, is
 * read with DB_COL_DAY (0 for NULL or a malformed date). */
typedef enum { DBC_END, DBC_I64, DBC_INT, DBC_BOOL, DBC_CHARS, DBC_DUP, DBC_REF, DBC_DAY } DbColKind;
typedef struct DbCol {
  DbColKind kind;
  size_t off, size; /* the member's offset and size in its record */
} DbCol;
#define DB_COL(T, m)                                                                                           \
  {_Generic(&((T *)0)->m, int64_t *: DBC_I64, int *: DBC_INT, bool *: DBC_BOOL,                                \
            char(*)[sizeof((T *)0)->m]: DBC_CHARS, char **: DBC_DUP, const char **: DBC_REF),                  \
   offsetof(T, m), sizeof((T *)0)->m}
#define DB_COL_DAY(T, m) {_Generic(&((T *)0)->m, Day *: DBC_DAY), offsetof(T, m), sizeof((T *)0)->m}
#define DB_COL_END {DBC_END, 0, 0}
/* Fills the record rec from the current row of st: cols[i] from column
 * first + i. */
void db_cols_read(void *rec, DbStmt *st, int first, const DbCol *cols);
/* Frees the malloc'd (char *) members of cols in rec and sets them NULL. */
void db_cols_drop(void *rec, const DbCol *cols);
/* Appends to the array arr of *n records of size sz (capacity *cap, grown
 * as array_grow grows it) a zeroed record filled by db_cols_read; returns
 * the array, which may have moved. */
void *db_cols_append(void *arr, int *n, int *cap, size_t sz, DbStmt *st, int first, const DbCol *cols);

/* Steps st once, like the one-shots (NULL st: the prepare's error): a row
 * is read into out with read; no row is ERR_NOT_FOUND with the msgid
 * not_found, or, when not_found is NULL, ERR_OK with out untouched. */
ErrCode db_row(DbStmt *st, DbRowRead read, void *out, const char *not_found, Err *e);
/* Steps st (NULL: as above) to its end, reading each row with read into a
 * new zeroed record of size sz of a malloc'd array. items is the address of
 * the caller's array pointer (a T **, stored with memcpy: object pointers
 * share one representation on every platform jindu builds for). Success:
 * *items = the array, the caller's (its records freed as its type says,
 * then the array with free; NULL when there is no row), *n = its length.
 * An error: the records read so far are dropped (drop each when drop is not
 * NULL, then the array), *items = NULL, *n = 0. Finalizes st. */
ErrCode db_rows(DbStmt *st, size_t sz, DbRowRead read, DbRowDrop drop, void *items, int *n, Err *e);
/* Frees an array of n records of size sz that db_rows gave: drop (may be
 * NULL) each record, then the array. NULL items is allowed. */
void db_rows_free(void *items, int n, size_t sz, DbRowDrop drop);

/* db_row, db_rows and db_rows_free with a column table for reader (read
 * from column 0) and dropper (the malloc'd members). */
ErrCode db_row_cols(DbStmt *st, const DbCol *cols, void *out, const char *not_found, Err *e);
/* The record of id: the row of sql (a SELECT whose one parameter is :id)
 * read into out (sz bytes, zeroed first) through cols; no row is
 * ERR_NOT_FOUND "记录不存在". Its malloc'd members are the caller's
 * (db_cols_drop). */
ErrCode db_get_cols(Db *db, const char *sql, int64_t id, const DbCol *cols, void *out, size_t sz, Err *e);
ErrCode db_rows_cols(DbStmt *st, size_t sz, const DbCol *cols, void *items, int *n, Err *e);
void db_rows_free_cols(void *items, int n, size_t sz, const DbCol *cols);
/* The first max rows of st read through cols into the fixed array arr
 * (elements of sz bytes), *n how many; rows past max are left unread.
 * Finalizes st (NULL: the failed prepare's error). */
ErrCode db_rows_fixed(DbStmt *st, size_t sz, const DbCol *cols, void *arr, int max, int *n, Err *e);

/* ---- rows handed over one at a time ------------------------------------
 * A row visitor: a list whose every row goes to a callback as it is read
 * from the statement instead of into an array, so that what the list
 * holds in memory does not grow with its rows (the .xlsx of a whole
 * ledger, web/export_ledger.c). fn gets arg and the record read from the
 * current row; the record and its malloc'd members are freed or reused
 * after the call (fn copies what must outlive it). fn answers ERR_OK to go
 * on, or an ErrCode with e filled to stop the list with that error. A list
 * function that takes a DbEach hands its rows to it when it is not NULL
 * (its array then NULL, its count the rows handed over) and returns them
 * as an array otherwise. */
typedef ErrCode (*DbEachFn)(void *arg, const void *rec, Err *e);
typedef struct DbEach {
  DbEachFn fn;
  void *arg;
} DbEach;
/* db_rows_cols when each is NULL. Else steps st (NULL: the prepare's
 * error) to its end, reading each row through cols into one zeroed record
 * of size sz and handing it to each->fn (its malloc'd members dropped after
 * the call); *items = NULL, *n = the rows handed over (fn's included when
 * it stopped the list). Finalizes st. */
ErrCode db_rows_each(DbStmt *st, size_t sz, const DbCol *cols, const DbEach *each, void *items, int *n, Err *e);
/* A visitor whose records want more than their row before they go on
 * (the partner places of an activity, the plants of a patrol: a second
 * query per row): db_each_more fills m and answers the DbEach to give
 * db_rows_each, which hands each record to more (fills the rest of it
 * from db), then to next, then to drop (frees what more allocated; may be
 * NULL). m must outlive the list. */
typedef struct DbEachMore {
  DbEach each;
  Db *db;
  ErrCode (*more)(Db *db, void *rec, Err *e);
  void (*drop)(void *rec);
  const DbEach *next;
} DbEachMore;
const DbEach *db_each_more(DbEachMore *m, Db *db, ErrCode (*more)(Db *db, void *rec, Err *e), void (*drop)(void *rec),
                           const DbEach *next);

/* [driver] Runs one or more statements without parameters (schema, pragmas). */
ErrCode db_exec(Db *db, const char *sql, Err *e);

/* [driver] Hot online backup of db into a new file at dest_path (caller's). */
ErrCode db_backup(Db *db, const char *dest_path, Err *e);

/* [driver] PRAGMA integrity_check: ERR_OK when the file answers "ok",
 * else ERR_INTERNAL "数据库完整性检查未通过". */
ErrCode db_integrity_check(Db *db, Err *e);

/* [driver] Schema version applied (the migration runner's record), 0 for a
 * new database. */
int db_schema_version(Db *db);
/* [driver] Records the schema version v (inside the migration's transaction). */
ErrCode db_set_schema_version(Db *db, int v, Err *e);

/* ---- diagnostics ------------------------------------------------------- */

/* Sets the request id this thread's error lines carry (0: none, printed as
 * "-"). A thread-local: web/server.c sets it when it starts handling a
 * request; the command line and background threads leave it 0. */
void db_set_request_id(uint64_t id);
/* The id db_set_request_id set on this thread (0 when none). */
uint64_t db_request_id(void);
/* Writes the error line of a failed statement (for drivers): msg is the
 * database's message, sql the statement text as prepared (placeholders,
 * never values). One write to stderr. */
void db_log_error(const char *msg, const char *sql);

#endif
