/* store/org.c: owns the SQL of org units (see store/org.h): lookups, insert
 * with materialized path, rename, subtree move (units and persons), scoped
 * listing, and the subtree bound of a path. */
#include "store/org.h"
#include "core/buf.h"
#include <assert.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_COLS "id, coalesce(parent_id, 0), code, name, level, path, " \
                 "coalesce(pop_registered, -1), coalesce(pop_resident, -1), coalesce(pop_floating, -1), " \
                 "coalesce(division_code, '')"

void store_path_bound(const char *path, char *out, size_t outsz) {
  /* Every path ends with '/', and '/' + 1 is '0': [path, path with its last
   * '/' replaced by '0') holds exactly the paths that start with path. */
  size_t n = strlen(path);
  assert(n > 0 && n < outsz && path[n - 1] == '/');
  memcpy(out, path, n + 1);
  out[n - 1] = '0';
}

/* The columns of ORG_COLS, in order. */
static const DbCol org_cols[] = {
  DB_COL(OrgUnit, id),
  DB_COL(OrgUnit, parent_id),
  DB_COL(OrgUnit, code),
  DB_COL(OrgUnit, name),
  DB_COL(OrgUnit, level),
  DB_COL(OrgUnit, path),
  DB_COL(OrgUnit, pop_registered),
  DB_COL(OrgUnit, pop_resident),
  DB_COL(OrgUnit, pop_floating),
  DB_COL(OrgUnit, division),
  DB_COL_END,
};

/* Steps st once expecting at most one row: ERR_OK with *out filled,
 * ERR_NOT_FOUND, or the step's error. Finalizes st. */
static int org_one(DbStmt *st, OrgUnit *out, Err *e) { return db_row_cols(st, org_cols, out, "组织单位不存在", e); }

int store_org_by_code(Db *db, const char *code, OrgUnit *out, Err *e) {
  DbStmt *st = db_query(db, "SELECT " ORG_COLS " FROM org_unit WHERE code = :code", e, DB_TEXT(":code", code));
  return org_one(st, out, e);
}

int store_org_by_id(Db *db, int64_t id, OrgUnit *out, Err *e) {
  return org_one(db_query(db, "SELECT " ORG_COLS " FROM org_unit WHERE id = :id", e, DB_INT(":id", id)), out, e);
}

int store_org_insert(Db *db, const char *code, const char *name, const char *level, int64_t parent_id,
                     const char *created_at, OrgUnit *out, Err *e) {
  char parent_path[ORG_PATH_MAX] = "/";
  if (parent_id > 0) {
    OrgUnit parent;
    if (store_org_by_id(db, parent_id, &parent, e) != ERR_OK) return e->code;
    str_copy(parent_path, sizeof parent_path, parent.path);
  }
  /* The row is first inserted with a placeholder path (unique because the
   * code is, and never inside any scope since it does not start with '/'),
   * then given its real path once its id is known. */
  char tmp_path[ORG_PATH_MAX];
  snprintf(tmp_path, sizeof tmp_path, "pending:%s", code);
  int64_t id;
  if (db_insert(db, "org_unit", &id, e, DB_TEXT(":code", code), DB_TEXT(":name", name), DB_TEXT(":level", level),
                DB_ID_OR_NULL(":parent_id", parent_id), DB_TEXT(":path", tmp_path),
                DB_TEXT(":created_at", created_at)) != ERR_OK)
    return e->code;

  char path[ORG_PATH_MAX];
  int len = snprintf(path, sizeof path, "%s%" PRId64 "/", parent_path, id);
  if (len < 0 || (size_t)len >= sizeof path) return err_set(e, ERR_INVALID, "组织层级过深");
  DbStmt *st = db_query(db, "UPDATE org_unit SET path = :path WHERE id = :id", e, DB_TEXT(":path", path),
                        DB_INT(":id", id));
  if (db_run(st, e) != ERR_OK) return e->code;
  if (out) return store_org_by_id(db, id, out, e);
  return ERR_OK;
}

int store_org_rename(Db *db, int64_t id, const char *name, Err *e) {
  DbStmt *st = db_query(db, "UPDATE org_unit SET name = :name WHERE id = :id RETURNING id", e, DB_TEXT(":name", name),
                        DB_INT(":id", id));
  bool renamed;
  ErrCode rc = db_exists(st, &renamed, e);
  if (rc == ERR_OK && !renamed) return err_set(e, ERR_NOT_FOUND, "组织单位不存在");
  return rc;
}

int store_org_move(Db *db, int64_t id, int64_t new_parent_id, char *new_path_out, Err *e) {
  OrgUnit unit, parent;
  if (store_org_by_id(db, id, &unit, e) != ERR_OK) return e->code;
  if (store_org_by_id(db, new_parent_id, &parent, e) != ERR_OK) return e->code;
  char new_path[ORG_PATH_MAX], bound[ORG_PATH_MAX];
  int len = snprintf(new_path, sizeof new_path, "%s%" PRId64 "/", parent.path, id);
  if (len < 0 || (size_t)len >= sizeof new_path) return err_set(e, ERR_INVALID, "组织层级过深");
  /* The longest path of the subtree grows by the difference. */
  {
    store_path_bound(unit.path, bound, sizeof bound);
    DbStmt *st = db_query(db, "SELECT coalesce(max(length(path)), 0) FROM org_unit "
                              "WHERE path >= :old AND path < :bound", e,
                          DB_TEXT(":old", unit.path), DB_TEXT(":bound", bound));
    int64_t longest;
    if (db_scalar(st, &longest, e) != ERR_OK) return e->code;
    if (longest - (int64_t)strlen(unit.path) + len >= ORG_PATH_MAX)
      return err_set(e, ERR_INVALID, "组织层级过深");
  }
  DbStmt *st = db_query(db, "UPDATE org_unit SET parent_id = :parent WHERE id = :id", e,
                        DB_INT(":parent", new_parent_id), DB_INT(":id", id));
  if (db_run(st, e) != ERR_OK) return e->code;

  /* Where the unit was before a unit above it moved (a move whose new
   * path is above the unit's old one): recorded as moves of the unit too,
   * so that its new place still finds those rows. */
  st = db_query(db, "INSERT INTO org_move (old_path, new_path) SELECT old_path || substr(:old, length(new_path) + 1), :new"
                    " FROM org_move WHERE new_path < :old AND substr(:old, 1, length(new_path)) = new_path", e,
                DB_TEXT(":old", unit.path), DB_TEXT(":new", new_path));
  if (db_run(st, e) != ERR_OK) return e->code;
  /* The paths under the unit: its subtree's, its persons', and where
   * earlier moves into the subtree now end (org_move; this move is
   * recorded below: the audit list reads the old paths, store/audit.c). */
  static const char *const rebase[] = {
    "UPDATE org_unit SET path = :new || substr(path, length(:old) + 1) WHERE path >= :old AND path < :bound",
    "UPDATE person SET org_path = :new || substr(org_path, length(:old) + 1)"
    " WHERE org_path >= :old AND org_path < :bound",
    "UPDATE org_move SET new_path = :new || substr(new_path, length(:old) + 1)"
    " WHERE new_path >= :old AND new_path < :bound",
  };
  for (size_t i = 0; i < sizeof rebase / sizeof rebase[0]; i++) {
    st = db_query(db, rebase[i], e, DB_TEXT(":new", new_path), DB_TEXT(":old", unit.path), DB_TEXT(":bound", bound));
    if (db_run(st, e) != ERR_OK) return e->code;
  }
  /* A responsible worker whose unit no longer holds the person (a
   * community moved away from the street of its cadre) is dropped. */
  char new_bound[ORG_PATH_MAX];
  store_path_bound(new_path, new_bound, sizeof new_bound);
  st = db_query(db, "UPDATE person SET worker_id = NULL WHERE org_path >= :new AND org_path < :new_bound"
                    " AND worker_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM app_user u JOIN org_unit o"
                    " ON o.id = u.org_id WHERE u.id = person.worker_id"
                    " AND substr(person.org_path, 1, length(o.path)) = o.path)", e,
                DB_TEXT(":new", new_path), DB_TEXT(":new_bound", new_bound));
  if (db_run(st, e) != ERR_OK) return e->code;
  if (db_insert(db, "org_move", NULL, e, DB_TEXT(":old_path", unit.path), DB_TEXT(":new_path", new_path)) != ERR_OK)
    return e->code;
  if (new_path_out) str_copy(new_path_out, ORG_PATH_MAX, new_path);
  return ERR_OK;
}

/* Collects every row of st (selecting ORG_COLS, binds done) into a malloc'd
 * array; finalizes st. */
static int org_collect(DbStmt *st, OrgUnit **out, int *n, Err *e) {
  return db_rows_cols(st, sizeof **out, org_cols, out, n, e);
}

/* qsort comparator: tree order (a parent before its children), siblings in
 * creation (id) order. Text order of paths is not enough ("/1/10/" sorts
 * before "/1/9/"), so the id segments are compared as numbers: ids have no
 * leading zeros, so a shorter segment is a smaller number and equal lengths
 * compare as text (no parsing: this runs for every unit on admin pages). */
static int org_tree_order(const void *pa, const void *pb) {
  const char *a = ((const OrgUnit *)pa)->path, *b = ((const OrgUnit *)pb)->path;
  for (;;) {
    while (*a == '/') a++;
    while (*b == '/') b++;
    if (!*a || !*b) return (*a != 0) - (*b != 0);
    size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
    if (la != lb) return la < lb ? -1 : 1;
    int c = memcmp(a, b, la);
    if (c) return c;
    a += la;
    b += lb;
  }
}

/* ---- the tree cache --------------------------------------------------
 * Every page with a unit selector lists the units of a scope; a county's
 * thousands of units cost milliseconds to read and sort, and they change
 * rarely. The process keeps the whole tree, sorted, as one snapshot keyed
 * by org_meta.version, which triggers on org_unit set to a new random value
 * on every insert, update or delete (migration 6): a version read is one
 * indexed row, and a rolled-back change leaves the old value behind. A
 * snapshot is shared by reference count, so that a reader copies its part
 * without holding the lock. Keyed by a random value, one snapshot serves
 * any number of databases in one process (each reload replaces it). */
typedef struct OrgSnap {
  int64_t version;
  OrgUnit *units; /* tree order */
  int n;
  int refs;
} OrgSnap;

static pthread_mutex_t org_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static OrgSnap *org_cache;

/* Drops one reference to s (under org_cache_mu); frees it at zero. */
static void org_snap_unref_locked(OrgSnap *s) {
  if (s && --s->refs == 0) {
    free(s->units);
    free(s);
  }
}

/* A referenced snapshot of the whole tree of db (release with
 * org_snap_release), read and cached when the cache is not of the current
 * version. NULL on error (e filled). */
static OrgSnap *org_snap_get(Db *db, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT version FROM org_meta", e);
  if (!st) return NULL;
  int rc = db_step(st, e);
  int64_t version = rc == DB_ROW ? db_col_int(st, 0) : 0;
  db_finalize(st);
  if (rc != DB_ROW && rc != DB_DONE) return NULL;
  pthread_mutex_lock(&org_cache_mu);
  if (rc == DB_ROW && org_cache && org_cache->version == version) {
    OrgSnap *s = org_cache;
    s->refs++;
    pthread_mutex_unlock(&org_cache_mu);
    return s;
  }
  pthread_mutex_unlock(&org_cache_mu);
  OrgSnap *s = calloc(1, sizeof *s);
  if (!s) abort();
  st = db_prepare(db, "SELECT " ORG_COLS " FROM org_unit", e);
  if (!st || org_collect(st, &s->units, &s->n, e) != ERR_OK) {
    free(s);
    return NULL;
  }
  if (s->n > 1) qsort(s->units, (size_t)s->n, sizeof *s->units, org_tree_order);
  s->version = version;
  s->refs = 1;
  if (rc == DB_ROW) { /* (no org_meta row: not cached) */
    pthread_mutex_lock(&org_cache_mu);
    org_snap_unref_locked(org_cache);
    org_cache = s;
    s->refs++;
    pthread_mutex_unlock(&org_cache_mu);
  }
  return s;
}

static void org_snap_release(OrgSnap *s) {
  pthread_mutex_lock(&org_cache_mu);
  org_snap_unref_locked(s);
  pthread_mutex_unlock(&org_cache_mu);
}

int store_org_list_scope(Db *db, const char *scope, OrgUnit **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  OrgSnap *s = org_snap_get(db, e);
  if (!s) return e->code;
  /* a subtree is a contiguous run of the tree order */
  size_t len = strlen(scope);
  int from = 0;
  while (from < s->n && strncmp(s->units[from].path, scope, len) != 0) from++;
  int to = from;
  while (to < s->n && strncmp(s->units[to].path, scope, len) == 0) to++;
  if (to > from) {
    *out = malloc(sizeof **out * (size_t)(to - from));
    if (!*out) abort();
    memcpy(*out, s->units + from, sizeof **out * (size_t)(to - from));
    *n = to - from;
  }
  org_snap_release(s);
  return ERR_OK;
}

int store_org_children(Db *db, int64_t parent_id, OrgUnit **out, int *n, Err *e) {
  DbStmt *st = db_query(db, "SELECT " ORG_COLS " FROM org_unit WHERE parent_id = :parent ORDER BY code", e,
                        DB_INT(":parent", parent_id));
  return org_collect(st, out, n, e);
}

int store_org_set_division(Db *db, int64_t id, const char *division, Err *e) {
  return db_run(db_query(db, "UPDATE org_unit SET division_code = :d WHERE id = :id", e,
                         DB_TEXT_OR_NULL(":d", division && *division ? division : NULL), DB_INT(":id", id)),
                e);
}
