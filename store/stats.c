/* store/stats.c: owns the SQL of the statistics (see store/stats.h): the
 * cursor over what the facts are made from beyond the supervision history
 * (person, person_unit, help_member, person_document), the unit history's
 * appends, the facts rows (stat_person) and their scan, stat_state, and the
 * persons behind a number. */
#include "store/stats.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/stats.h"
#include "store/org.h"

#define SX_COPY(dst, src) str_copy((dst), sizeof(dst), (src))

void store_stats_extras_clear(StatExtras *x) {
  x->person_id = x->org_id = 0;
  x->first_found[0] = x->created_at[0] = 0;
  x->plan_from[0] = x->plan_review[0] = x->followup[0] = 0;
  x->stored_plan_review[0] = x->stored_followup[0] = 0;
  x->stored_file_missing = 0;
  x->nunits = x->nmembers = x->nagreements = 0;
}

void store_stats_extras_free(StatExtras *x) {
  free(x->units);
  free(x->members);
  free(x->agreements);
  memset(x, 0, sizeof *x);
}

/* ---- the cursor ------------------------------------------------------------ */

enum { SC_PERSON, SC_UNIT, SC_MEMBER, SC_DOC, SC_PLAN, SC_SERVICE, SC_N };

struct StatCursor {
  DbStmt *st[SC_N];
  int rc[SC_N]; /* each statement runs one row ahead: DB_ROW, DB_DONE or an error */
};

/* Column 0 of every statement is the person's id. */
static const char *const SC_SQL[SC_N] = {
  "SELECT id, org_id, coalesce(first_found_date, ''), created_at, coalesce(plan_review_due, ''),"
  " coalesce(service_followup_due, ''), file_missing FROM person"
  " WHERE id >= :lo AND id < :hi ORDER BY id",
  "SELECT person_id, org_id, coalesce(from_date, '') FROM person_unit"
  " WHERE person_id >= :lo AND person_id < :hi ORDER BY person_id, id",
  "SELECT person_id, added_at, coalesce(removed_at, ''), role FROM help_member"
  " WHERE person_id >= :lo AND person_id < :hi ORDER BY person_id, id",
  "SELECT person_id, signed_date FROM person_document"
  " WHERE person_id >= :lo AND person_id < :hi ORDER BY person_id, id",
  "SELECT person_id, created_at, review_date FROM case_plan"
  " WHERE person_id >= :lo AND person_id < :hi ORDER BY person_id, version",
  "SELECT person_id, follow_up_date FROM service"
  " WHERE person_id >= :lo AND person_id < :hi AND follow_up_date IS NOT NULL ORDER BY person_id, id",
};

void store_stats_cursor_close(StatCursor *cur) {
  if (!cur) return;
  for (int i = 0; i < SC_N; i++) db_finalize(cur->st[i]);
  free(cur);
}

int store_stats_cursor_open(Db *db, int64_t lo, int64_t hi, StatCursor **out, Err *e) {
  StatCursor *cur = calloc(1, sizeof *cur);
  if (!cur) abort();
  *out = NULL;
  for (int i = 0; i < SC_N; i++) {
    cur->st[i] = db_prepare(db, SC_SQL[i], e);
    if (!cur->st[i]) {
      store_stats_cursor_close(cur);
      return e->code;
    }
    db_bind_int(cur->st[i], ":lo", lo);
    db_bind_int(cur->st[i], ":hi", hi);
    cur->rc[i] = db_step(cur->st[i], e);
    if (cur->rc[i] != DB_ROW && cur->rc[i] != DB_DONE) {
      int rc = cur->rc[i];
      store_stats_cursor_close(cur);
      return rc;
    }
  }
  *out = cur;
  return ERR_OK;
}

/* Moves statement i past the rows of persons before pid; then, while its
 * rows are pid's, hands each to add. */
static int sc_rows(StatCursor *cur, int i, int64_t pid, StatExtras *x, void (*add)(StatExtras *, DbStmt *), Err *e) {
  DbStmt *st = cur->st[i];
  while (cur->rc[i] == DB_ROW && db_col_int(st, 0) < pid) cur->rc[i] = db_step(st, e);
  while (cur->rc[i] == DB_ROW && db_col_int(st, 0) == pid) {
    if (add) add(x, st);
    cur->rc[i] = db_step(st, e);
  }
  return cur->rc[i] == DB_ROW || cur->rc[i] == DB_DONE ? ERR_OK : cur->rc[i];
}

static void sc_person(StatExtras *x, DbStmt *st) {
  x->org_id = db_col_int(st, 1);
  SX_COPY(x->first_found, db_col_text(st, 2));
  SX_COPY(x->created_at, db_col_text(st, 3));
  SX_COPY(x->stored_plan_review, db_col_text(st, 4));
  SX_COPY(x->stored_followup, db_col_text(st, 5));
  x->stored_file_missing = (int)db_col_int(st, 6);
}

static void sc_unit(StatExtras *x, DbStmt *st) {
  x->units = array_grow(x->units, x->nunits, &x->cap_units, sizeof *x->units);
  StatUnitRow *u = &x->units[x->nunits++];
  u->org_id = db_col_int(st, 1);
  SX_COPY(u->from, db_col_text(st, 2));
}

static void sc_member(StatExtras *x, DbStmt *st) {
  x->members = array_grow(x->members, x->nmembers, &x->cap_members, sizeof *x->members);
  StatMemberRow *m = &x->members[x->nmembers++];
  SX_COPY(m->added, db_col_text(st, 1));
  SX_COPY(m->removed, db_col_text(st, 2));
  SX_COPY(m->role, db_col_text(st, 3));
}

/* The first plan's creation and the latest version's review date. */
static void sc_plan(StatExtras *x, DbStmt *st) {
  if (!x->plan_from[0]) SX_COPY(x->plan_from, db_col_text(st, 1));
  SX_COPY(x->plan_review, db_col_text(st, 2));
}

/* The earliest follow-up date. */
static void sc_service(StatExtras *x, DbStmt *st) {
  const char *d = db_col_text(st, 1);
  if (d && (!x->followup[0] || strcmp(d, x->followup) < 0)) SX_COPY(x->followup, d);
}

static void sc_doc(StatExtras *x, DbStmt *st) {
  x->agreements = array_grow(x->agreements, x->nagreements, &x->cap_agreements, sizeof *x->agreements);
  SX_COPY(x->agreements[x->nagreements++].signed_date, db_col_text(st, 1));
}

int store_stats_cursor_get(StatCursor *cur, int64_t person_id, StatExtras *x, Err *e) {
  store_stats_extras_clear(x);
  x->person_id = person_id;
  bool found = false;
  DbStmt *p = cur->st[SC_PERSON];
  while (cur->rc[SC_PERSON] == DB_ROW && db_col_int(p, 0) <= person_id) {
    if (db_col_int(p, 0) == person_id) {
      sc_person(x, p);
      found = true;
    }
    cur->rc[SC_PERSON] = db_step(p, e);
  }
  if (cur->rc[SC_PERSON] != DB_ROW && cur->rc[SC_PERSON] != DB_DONE) return cur->rc[SC_PERSON];
  void (*adds[SC_N])(StatExtras *, DbStmt *) = {NULL, sc_unit, sc_member, sc_doc, sc_plan, sc_service};
  for (int i = SC_UNIT; i < SC_N; i++)
    if (sc_rows(cur, i, person_id, x, adds[i], e) != ERR_OK) return e->code;
  return found ? ERR_OK : err_set(e, ERR_NOT_FOUND, "记录不存在");
}

int store_stats_extras_load(Db *db, int64_t person_id, StatExtras *x, Err *e) {
  StatCursor *cur;
  if (store_stats_cursor_open(db, person_id, person_id + 1, &cur, e) != ERR_OK) return e->code;
  int rc = store_stats_cursor_get(cur, person_id, x, e);
  store_stats_cursor_close(cur);
  return rc;
}

/* ---- the unit history --------------------------------------------------------- */

int store_stats_unit_add(Db *db, int64_t person_id, int64_t org_id, const char *from, Err *e) {
  DbStmt *st = db_prepare(db, "INSERT INTO person_unit (person_id, org_id, from_date) VALUES (:p, :o, :f)", e);
  db_bind_int(st, ":p", person_id);
  db_bind_int(st, ":o", org_id);
  db_bind_text(st, ":f", from);
  return db_run(st, e);
}

/* ---- the facts ------------------------------------------------------------------- */

int store_stats_facts_put(Db *db, int64_t org_id, int64_t person_id, const void *blob, size_t n, unsigned marks,
                          Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO stat_person (org_id, person_id, facts, household_division, is_current)"
                          " SELECT :o, :p, :f, p.household_division, p.org_id = :o FROM person p WHERE p.id = :p"
                          " ON CONFLICT (org_id, person_id) DO UPDATE SET facts = excluded.facts,"
                          " household_division = excluded.household_division, is_current = excluded.is_current",
                          e);
  db_bind_int(st, ":o", org_id);
  db_bind_int(st, ":p", person_id);
  db_bind_blob(st, ":f", blob, n);
  if (db_run(st, e) != ERR_OK) return e->code;
  /* the row's marks (stat_mark): the ones it had out, the ones it has in */
  if (db_run(db_query(db, "DELETE FROM stat_mark WHERE mark IN (1, 2, 4) AND org_id = :o AND person_id = :p", e,
                      DB_INT(":o", org_id), DB_INT(":p", person_id)),
             e) != ERR_OK)
    return e->code;
  for (unsigned bit = 1; bit <= STAT_MARK_OFFENCE; bit <<= 1)
    if ((marks & bit) &&
        db_run(db_query(db, "INSERT INTO stat_mark (mark, org_id, person_id) VALUES (:m, :o, :p)", e,
                        DB_INT(":m", bit), DB_INT(":o", org_id), DB_INT(":p", person_id)),
               e) != ERR_OK)
      return e->code;
  return ERR_OK;
}


int store_stats_facts_clear(Db *db, Err *e) {
  if (db_run(db_prepare(db, "DELETE FROM stat_mark", e), e) != ERR_OK) return e->code;
  return db_run(db_prepare(db, "DELETE FROM stat_person", e), e);
}

int store_stats_built(Db *db, bool *built, Err *e) {
  int64_t v = 0;
  int rc = db_scalar(db_prepare(db, "SELECT built FROM stat_state WHERE one = 1", e), &v, e);
  *built = v != 0;
  return rc;
}

int store_stats_set_built(Db *db, bool built, Err *e) {
  DbStmt *st = db_prepare(db, "UPDATE stat_state SET built = :b WHERE one = 1", e);
  db_bind_int(st, ":b", built ? 1 : 0);
  return db_run(st, e);
}

/* The scan of the rows of the subtree, all (mark 0) or those carrying one
 * mark: the subtree's units first (CROSS JOIN keeps SQLite to this order),
 * the marked rows' keys from stat_mark's range of (mark, unit) of each,
 * each row then read by its key. */
static DbStmt *ss_scan_prepare(Db *db, const char *path, unsigned mark, Err *e) {
  assert(mark == 0 || mark == STAT_MARK_LOST || mark == STAT_MARK_POSITIVE || mark == STAT_MARK_OFFENCE);
  if (!mark)
    return db_query(db,
                    "SELECT s.org_id, s.person_id, s.facts FROM org_unit o JOIN stat_person s ON s.org_id = o.id"
                    " WHERE o.path >= :scope AND o.path < :scope_end",
                    e, DB_SCOPE(path));
  return db_query(db,
                  "SELECT s.org_id, s.person_id, s.facts FROM org_unit o CROSS JOIN stat_mark k"
                  " CROSS JOIN stat_person s WHERE o.path >= :scope AND o.path < :scope_end"
                  " AND k.mark = :mark AND k.org_id = o.id AND s.org_id = k.org_id AND s.person_id = k.person_id",
                  e, DB_SCOPE(path), DB_INT(":mark", mark));
}

int store_stats_scan(Db *db, const char *path, StatScanFn fn, void *arg, Err *e) {
  return store_stats_scan_marked(db, path, 0, fn, arg, e);
}

/* Runs st (bound) and calls fn for each row (org_id, person_id, facts);
 * finalizes st; fn's first code other than ERR_OK ends it. */
static int ss_rows(DbStmt *st, StatScanFn fn, void *arg, Err *e) {
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    size_t n = 0;
    const void *blob = db_col_blob(st, 2, &n);
    int frc = fn(arg, db_col_int(st, 0), db_col_int(st, 1), blob, n, e);
    if (frc != ERR_OK) {
      db_finalize(st);
      return frc;
    }
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_stats_scan_marked(Db *db, const char *path, unsigned mark, StatScanFn fn, void *arg, Err *e) {
  return ss_rows(ss_scan_prepare(db, path, mark, e), fn, arg, e);
}

/* The rows of a scan from a position (store_stats_scan_from): the order
 * of ss_scan_prepare's (CROSS JOIN: the units by the path index, a unit's
 * rows by key), said with ORDER BY, which SQLite reads from the indexes
 * either way (no sort). */
#define SS_FROM_SQL(units, after, order)                                                                        \
  "SELECT s.org_id, s.person_id, s.facts FROM org_unit o CROSS JOIN stat_person s WHERE s.org_id = o.id AND "   \
  units " AND (o.id <> :org OR s.person_id " after " :person) ORDER BY o.path " order ", s.person_id " order
#define SS_FROM_MARK_SQL(units, after, order)                                                                   \
  "SELECT s.org_id, s.person_id, s.facts FROM org_unit o CROSS JOIN stat_mark k CROSS JOIN stat_person s"      \
  " WHERE " units " AND k.mark = :mark AND k.org_id = o.id AND (o.id <> :org OR k.person_id " after " :person)" \
  " AND s.org_id = k.org_id AND s.person_id = k.person_id ORDER BY o.path " order ", k.person_id " order
#define SS_FORWARD "o.path >= :from AND o.path >= :scope AND o.path < :scope_end"
#define SS_BACKWARD "o.path >= :scope AND o.path <= :from AND o.path < :scope_end"

int store_stats_scan_from(Db *db, const char *path, unsigned mark, const char *from_path, int64_t org_id,
                          int64_t person_id, bool backward, StatScanFn fn, void *arg, Err *e) {
  assert(mark == 0 || mark == STAT_MARK_LOST || mark == STAT_MARK_POSITIVE || mark == STAT_MARK_OFFENCE);
  const char *sql = !mark ? (backward ? SS_FROM_SQL(SS_BACKWARD, "<", "DESC") : SS_FROM_SQL(SS_FORWARD, ">", ""))
                          : (backward ? SS_FROM_MARK_SQL(SS_BACKWARD, "<", "DESC")
                                      : SS_FROM_MARK_SQL(SS_FORWARD, ">", ""));
  DbStmt *st = db_query(db, sql, e, DB_SCOPE(path), DB_TEXT(":from", from_path), DB_INT(":org", org_id),
                        DB_INT(":person", person_id));
  if (st && mark) db_bind_int(st, ":mark", mark);
  return ss_rows(st, fn, arg, e);
}
#undef SS_FROM_SQL
#undef SS_FROM_MARK_SQL
#undef SS_FORWARD
#undef SS_BACKWARD

/* Runs st (bound) and calls fn for each row (org_id, person_id, facts,
 * household, is_current); finalizes st. */
static int ss_house_rows(DbStmt *st, StatHouseFn fn, void *arg, Err *e) {
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    size_t n = 0;
    const void *blob = db_col_blob(st, 2, &n);
    const char *hh = db_col_text(st, 3);
    int frc = fn(arg, db_col_int(st, 0), db_col_int(st, 1), blob, n, hh ? hh : "", db_col_int(st, 4) != 0, e);
    if (frc != ERR_OK) {
      db_finalize(st);
      return frc;
    }
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_stats_scan_households(Db *db, const char *path, StatHouseFn fn, void *arg, Err *e) {
  return ss_house_rows(db_query(db,
                                "SELECT s.org_id, s.person_id, s.facts, s.household_division, s.is_current"
                                " FROM org_unit o JOIN stat_person s ON s.org_id = o.id"
                                " WHERE o.path >= :scope AND o.path < :scope_end",
                                e, DB_SCOPE(path)),
                       fn, arg, e);
}

/* The end of the range of the codes that begin with prefix (digits: its
 * last one, one more) into end (32 bytes); false when prefix is "". */
static bool ss_prefix_end(const char *prefix, char end[32]) {
  snprintf(end, 32, "%s", prefix);
  size_t n = strlen(end);
  if (n == 0) return false;
  end[n - 1]++;
  return true;
}

int store_stats_scan_household_of(Db *db, const char *prefix, StatHouseFn fn, void *arg, Err *e) {
  char end[32];
  if (!ss_prefix_end(prefix, end)) return ERR_OK;
  return ss_house_rows(db_query(db,
                                "SELECT org_id, person_id, facts, household_division, is_current FROM stat_person"
                                " INDEXED BY stat_person_household WHERE is_current = 1"
                                " AND household_division >= :pre AND household_division < :pre_end",
                                e, DB_TEXT(":pre", prefix), DB_TEXT(":pre_end", end)),
                       fn, arg, e);
}

int store_stats_scan_household_outside(Db *db, const char *prefix, const char *path, StatHouseFn fn, void *arg,
                                       Err *e) {
  char end[32];
  if (!ss_prefix_end(prefix, end)) return ERR_OK;
  /* the keys outside first, from the index alone (it covers is_current and
   * the key since migration 27; MATERIALIZED keeps SQLite from folding the
   * two, which would read every row by its key before testing the unit),
   * then each of those rows by its key */
  return ss_house_rows(db_query(db,
                                "WITH k AS MATERIALIZED (SELECT org_id, person_id FROM stat_person"
                                " INDEXED BY stat_person_household WHERE is_current = 1"
                                " AND household_division >= :pre AND household_division < :pre_end"
                                " AND org_id NOT IN (SELECT o.id FROM org_unit o"
                                " WHERE o.path >= :scope AND o.path < :scope_end))"
                                " SELECT s.org_id, s.person_id, s.facts, s.household_division, s.is_current"
                                " FROM k CROSS JOIN stat_person s ON s.org_id = k.org_id AND s.person_id = k.person_id",
                                e, DB_TEXT(":pre", prefix), DB_TEXT(":pre_end", end), DB_SCOPE(path)),
                       fn, arg, e);
}

int store_stats_persons(Db *db, const char *scope, const int64_t *ids, int n, StatPersonRow *out, bool *in_scope,
                        Err *e) {
  for (int i = 0; i < n; i++) {
    in_scope[i] = false;
    memset(&out[i], 0, sizeof out[i]);
    DbStmt *st = db_query(db,
                          "SELECT p.name, p.id_number, o.code, o.name FROM person p JOIN org_unit o ON o.id = p.org_id"
                          " WHERE p.id = :id AND p.org_path >= :scope AND p.org_path < :scope_end",
                          e, DB_INT(":id", ids[i]), DB_SCOPE(scope));
    if (!st) return e->code;
    int rc = db_step(st, e);
    if (rc == DB_ROW) {
      in_scope[i] = true;
      SX_COPY(out[i].name, db_col_text(st, 0));
      SX_COPY(out[i].id_number, db_col_text(st, 1));
      SX_COPY(out[i].org_code, db_col_text(st, 2));
      SX_COPY(out[i].org_name, db_col_text(st, 3));
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
  }
  return ERR_OK;
}
