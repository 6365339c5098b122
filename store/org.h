/* store/org.h: the SQL of org units (table org_unit): the tree of
 * county/district > street/town > community/village, each unit carrying its
 * materialized path ("/1/5/23/"). Also owns the path arithmetic that every
 * scoped query of store/ uses (store_path_bound). No rights checks here:
 * app/org.c decides who may do what; callers pass the scope explicitly.
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_ORG_H
#define JINDU_STORE_ORG_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/db.h"

#define ORG_PATH_MAX 256

typedef struct OrgUnit {
  int64_t id;
  int64_t parent_id;      /* 0 for a root (county) */
  char code[64];
  char name[128];
  char level[16];         /* "county" | "street" | "community" */
  char path[ORG_PATH_MAX]; /* "/1/5/23/" */
  int64_t pop_registered; /* -1 when not recorded */
  int64_t pop_resident;   /* -1 when not recorded */
  int64_t pop_floating;   /* -1 when not recorded */
  char division[16];      /* the administrative division code (core/division.h), "" when not entered */
} OrgUnit;

/* Writes into out the exclusive upper bound of every path of the subtree of
 * path ("/1/5/" -> "/1/50"), so that the subtree is the index range
 * [path, bound). path must end with '/' and fit in outsz (assert). */
void store_path_bound(const char *path, char *out, size_t outsz);

/* Loads the unit with this code into *out. ERR_NOT_FOUND when there is none. */
int store_org_by_code(Db *db, const char *code, OrgUnit *out, Err *e);
/* Loads the unit with this id into *out. ERR_NOT_FOUND when there is none. */
int store_org_by_id(Db *db, int64_t id, OrgUnit *out, Err *e);
/* Inserts a unit under parent_id (0: a root) and sets its path to the
 * parent's path + id + "/" ("/" + id + "/" for a root); the caller holds the
 * transaction (two statements). A duplicate code is ERR_CONFLICT. On success
 * *out (may be NULL) holds the new row. */
int store_org_insert(Db *db, const char *code, const char *name, const char *level, int64_t parent_id,
                     const char *created_at, OrgUnit *out, Err *e);
/* Sets the division code of unit id ("" clears it). */
int store_org_set_division(Db *db, int64_t id, const char *division, Err *e);
/* Sets the name of unit id. ERR_NOT_FOUND when there is no such unit. */
int store_org_rename(Db *db, int64_t id, const char *name, Err *e);
/* Moves unit id under new_parent_id: sets its parent and rewrites the path of
 * the unit, of its whole subtree and the org_path of every person in the
 * subtree. The caller holds the transaction and has checked that the new
 * parent is not inside the subtree. The move is recorded in org_move (old
 * and new path; earlier moves into the subtree follow it), and a person's
 * responsible worker whose unit no longer holds the person is cleared. On success
 * *new_path_out (may be NULL, ORG_PATH_MAX bytes) holds the unit's new path. */
int store_org_move(Db *db, int64_t id, int64_t new_parent_id, char *new_path_out, Err *e);
/* Lists every unit whose path lies in the subtree of scope (itself included),
 * in tree order (a parent before its children, siblings by id), copied from
 * a snapshot of the whole tree that the process keeps while org_meta's
 * version stays the same. *out is malloc'd (caller frees with free(); NULL
 * when *n is 0). */
int store_org_list_scope(Db *db, const char *scope, OrgUnit **out, int *n, Err *e);
/* Lists the direct children of unit parent_id, ordered by code. *out is
 * malloc'd (caller frees with free(); NULL when *n is 0). */
int store_org_children(Db *db, int64_t parent_id, OrgUnit **out, int *n, Err *e);

#endif
