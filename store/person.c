/* store/person.c: owns the SQL of persons and their case file (see
 * store/person.h): the scoped read of one person (with its responsible
 * worker), the scoped list/search, the insert and the versioned update
 * (column lists built once from the field table of core/person_field.h),
 * revisions, the responsible worker, the derived status columns, the help
 * team (replaced with history kept), documents and status episodes
 * (appended; corrections are new rows). */
#include "store/person.h"
#include "core/casework.h"
#include "core/buf.h"
#include "store/org.h"
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

/* malloc'd copy of s (NULL reads as ""); aborts when out of memory. */
static char *sp_dup(const char *s) {
  char *d = strdup(s ? s : "");
  if (!d) abort();
  return d;
}

/* Writes ":key" into out (the bind name of a field column). */
static void sp_param(char *out, size_t n, const char *key) {
  int w = snprintf(out, n, ":%s", key);
  assert(w > 0 && (size_t)w < n);
  (void)w;
}

/* Binds the value of field pf from v as its column wants it. */
static void sp_bind_field(DbStmt *st, const FieldSpec *pf, const char *v) {
  char name[48];
  sp_param(name, sizeof name, pf->key);
  if (!v) v = "";
  switch (pf->kind) {
  case FK_BOOL: db_bind_int(st, name, strcmp(v, "1") == 0 ? 1 : 0); break;
  case FK_DATE:
    if (pf->required) db_bind_text(st, name, v);
    else db_bind_text_or_null(st, name, v);
    break;
  default: db_bind_text(st, name, v); break;
  }
}

/* ---- SQL texts built once from the field table ---------------------- */

static pthread_once_t sp_once = PTHREAD_ONCE_INIT;
static char *sql_select_one; /* one person by id, in scope */
static char *sql_insert;
static char *sql_update;

/* ---- column tables: each SELECT's columns in order -------------------- */

/* sql_select_one's columns before the fields (SEL_FIELDS of them) and after
 * them. */
static const DbCol sp_person_head[] = {
  DB_COL(PersonRow, id),
  DB_COL(PersonRow, version),
  DB_COL(PersonRow, org_id),
  DB_COL(PersonRow, org_code),
  DB_COL(PersonRow, org_name),
  DB_COL(PersonRow, org_path),
  DB_COL_END,
};
enum { SEL_FIELDS = 6 };
static const DbCol sp_person_tail[] = {
  DB_COL(PersonRow, status),
  DB_COL(PersonRow, status_since),
  DB_COL(PersonRow, control),
  DB_COL(PersonRow, risk_level),
  DB_COL(PersonRow, next_talk_due),
  DB_COL(PersonRow, next_test_due),
  DB_COL(PersonRow, created_at),
  DB_COL(PersonRow, updated_at),
  DB_COL(PersonRow, worker_id),
  DB_COL(PersonRow, worker),
  DB_COL(PersonRow, worker_name),
  DB_COL_END,
};

/* The columns of store_person_team's statement, in order. */
static const DbCol sp_member_cols[] = {
  DB_COL(HelpMemberRow, id),
  DB_COL(HelpMemberRow, role),
  DB_COL(HelpMemberRow, name),
  DB_COL(HelpMemberRow, phone),
  DB_COL(HelpMemberRow, role_other),
  DB_COL_END,
};

/* The columns of store_person_docs's statement, in order. */
static const DbCol sp_doc_cols[] = {
  DB_COL(PersonDocRow, id),
  DB_COL(PersonDocRow, kind),
  DB_COL(PersonDocRow, signed_date),
  DB_COL(PersonDocRow, number),
  DB_COL(PersonDocRow, created_at),
  DB_COL_END,
};

/* The columns of store_person_episodes's statement, in order. */
static const DbCol sp_episode_cols[] = {
  DB_COL(EpisodeRow, id),
  DB_COL(EpisodeRow, status),
  DB_COL(EpisodeRow, decision_date),
  DB_COL(EpisodeRow, start_date),
  DB_COL(EpisodeRow, decision_no),
  DB_COL(EpisodeRow, planned_end),
  DB_COL(EpisodeRow, note),
  DB_COL(EpisodeRow, corrects_id),
  DB_COL(EpisodeRow, created_at),
  DB_COL(EpisodeRow, created_by),
  DB_COL_END,
};

/* The columns of a list page statement, in order. */
static const DbCol sp_list_cols[] = {
  DB_COL(PersonListRow, id),
  DB_COL(PersonListRow, name),
  DB_COL(PersonListRow, sex),
  DB_COL(PersonListRow, id_number),
  DB_COL(PersonListRow, org_code),
  DB_COL(PersonListRow, org_name),
  DB_COL(PersonListRow, status),
  DB_COL(PersonListRow, control),
  DB_COL(PersonListRow, risk_level),
  DB_COL(PersonListRow, next_talk_due),
  DB_COL(PersonListRow, next_test_due),
  DB_COL(PersonListRow, worker_name),
  DB_COL_END,
};

/* Builds the fixed SQL texts that list every field column (never freed:
 * they live as long as the program, like the statement cache's keys). */
static void sp_build_sql(void) {
  Buf b = BUF_INIT;
  buf_puts(&b, "SELECT p.id, p.version, p.org_id, o.code, o.name, p.org_path");
  for (int i = 0; i < PF__COUNT; i++) buf_printf(&b, ", p.%s", person_fields[i].key);
  buf_puts(&b, ", p.status, p.status_since, p.control, p.risk_level, p.next_talk_due, p.next_test_due,"
               " p.created_at, p.updated_at, coalesce(p.worker_id, 0), w.username,"
               " coalesce(nullif(w.display_name, ''), w.username)"
               " FROM person p JOIN org_unit o ON o.id = p.org_id LEFT JOIN app_user w ON w.id = p.worker_id"
               " WHERE p.id = :id AND p.org_path >= :scope AND p.org_path < :scope_end");
  sql_select_one = buf_detach(&b);

  buf_puts(&b, "INSERT INTO person (org_id, org_path");
  for (int i = 0; i < PF__COUNT; i++) buf_printf(&b, ", %s", person_fields[i].key);
  buf_puts(&b, ", version, created_at, updated_at) VALUES (:org_id, :org_path");
  for (int i = 0; i < PF__COUNT; i++) buf_printf(&b, ", :%s", person_fields[i].key);
  buf_puts(&b, ", 1, :now, :now) RETURNING id");
  sql_insert = buf_detach(&b);

  buf_puts(&b, "UPDATE person SET org_id = :org_id, org_path = :org_path");
  for (int i = 0; i < PF__COUNT; i++) buf_printf(&b, ", %s = :%s", person_fields[i].key, person_fields[i].key);
  /* the right-hand sides read the row as it was: a new unit drops the worker */
  buf_puts(&b, ", worker_id = CASE WHEN org_id = :org_id THEN worker_id END");
  buf_puts(&b, ", version = version + 1, updated_at = :now WHERE id = :id AND version = :version RETURNING version");
  sql_update = buf_detach(&b);
}

/* ---- one person -------------------------------------------------------- */

void store_person_row_free(PersonRow *r) {
  if (!r) return;
  db_cols_drop(r, sp_person_head);
  for (int i = 0; i < PF__COUNT; i++) free(r->f[i]);
  db_cols_drop(r, sp_person_tail);
  store_person_team_free(r->team, r->nteam);
  store_person_docs_free(r->docs, r->ndocs);
  store_person_episodes_free(r->episodes, r->nepisodes);
  memset(r, 0, sizeof *r);
}

/* Fills the PersonRow *out (strings malloc'd) from the current row of
 * sql_select_one (a DbRowRead). */
static void sp_person_from_row(void *rec, DbStmt *st) {
  PersonRow *out = rec;
  db_cols_read(out, st, 0, sp_person_head);
  for (int i = 0; i < PF__COUNT; i++) out->f[i] = sp_dup(db_col_text(st, SEL_FIELDS + i));
  db_cols_read(out, st, SEL_FIELDS + PF__COUNT, sp_person_tail);
}

int store_person_get(Db *db, int64_t id, const char *scope, PersonRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  pthread_once(&sp_once, sp_build_sql);
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  DbStmt *st = db_query(db, sql_select_one, e, DB_INT(":id", id), DB_TEXT(":scope", scope),
                        DB_TEXT(":scope_end", bound));
  return db_row(st, sp_person_from_row, out, "记录不存在", e);
}

/* ---- list and search ------------------------------------------------- */

#define PERSON_LIST_PROBE 2000 /* newest rows sampled to estimate a capped count */

/* How a list reaches its rows. The SQL texts differ only in which terms an
 * index may serve: a term written as (col || '') is the same test but no
 * index can serve it, which is how a variant tells the planner (SQLite and
 * PostgreSQL alike) which access path to take, since without statistics it
 * cannot know that a county holds a million persons and a community two
 * thousand. */
typedef enum {
  PLAN_INDEX, /* through the most selective index, then sort the matches
                 (bounded: chosen only when they are few) */
  PLAN_SCAN   /* walk the index of the sort (the table by id for PSORT_ID)
                 in order, filtering: best when the matches are dense (a
                 county or street without a narrow filter) */
} ListPlan;

/* The columns of each order, the sorted one first and the ties after it as
 * its index holds them (the row id last), so that PLAN_SCAN walks that
 * index without sorting; lead names the filter the sorted column's index
 * also serves ('s' scope, 'n' name, 'i' ID number, 't' status, 'r' risk,
 * 'w' worker, 0 none). Indexes: person_scope, person_name,
 * person_idnum_scope, person_status (schema 1-4), person_risk,
 * person_talk_due, person_test_due, person_worker (schema 7; person_control
 * serves the control filter). */
static const struct {
  const char *cols[3];
  char lead;
} sp_sorts[PSORT__COUNT] = {
  [PSORT_ID] = {{"p.id"}, 0},
  [PSORT_NAME] = {{"p.name", "p.org_path", "p.id"}, 'n'},
  [PSORT_ID_NUMBER] = {{"p.id_number", "p.id"}, 'i'},
  [PSORT_ORG] = {{"p.org_path", "p.id"}, 's'},
  [PSORT_STATUS] = {{"p.status", "p.org_path", "p.id"}, 't'},
  [PSORT_RISK] = {{"p.risk_level", "p.org_path", "p.id"}, 'r'},
  [PSORT_TALK_DUE] = {{"p.next_talk_due", "p.org_path", "p.id"}, 0},
  [PSORT_TEST_DUE] = {{"p.next_test_due", "p.org_path", "p.id"}, 0},
  [PSORT_WORKER] = {{"p.worker_id", "p.org_path", "p.id"}, 'w'},
};

/* Appends the column, or the column wrapped so that no index serves it
 * (integer columns keep their type: worker_id). */
static void sp_col(Buf *b, const char *col, bool indexed) {
  if (indexed) buf_puts(b, col);
  else if (strcmp(col, "p.worker_id") == 0) buf_printf(b, "(%s + 0)", col);
  else buf_printf(b, "(%s || '')", col);
}

/* Appends lead, then "col >= lo AND col < hi" (col wrapped unless indexed;
 * lo and hi are parameter names). */
static void sp_range(Buf *b, const char *lead, const char *col, bool indexed, const char *lo, const char *hi) {
  buf_puts(b, lead);
  sp_col(b, col, indexed);
  buf_printf(b, " >= %s AND ", lo);
  sp_col(b, col, indexed);
  buf_printf(b, " < %s", hi);
}

/* Appends " AND col<test>" (col wrapped unless indexed). */
static void sp_term(Buf *b, const char *col, bool indexed, const char *test) {
  buf_puts(b, " AND ");
  sp_col(b, col, indexed);
  buf_puts(b, test);
}

/* The ORDER BY of a list: under PLAN_SCAN the sort's columns as they are
 * (its index gives the order); under PLAN_INDEX the first columns wrapped,
 * so that the planner keeps the filter's index and sorts the few matches
 * (PSORT_ID as it is: a community's (org_path, id) index gives it). */
static void sp_list_order(Buf *b, const PersonListFilter *f, ListPlan plan) {
  buf_puts(b, " ORDER BY ");
  for (int i = 0; i < 3 && sp_sorts[f->sort].cols[i]; i++) {
    const char *col = sp_sorts[f->sort].cols[i];
    if (i) buf_puts(b, ", ");
    sp_col(b, col, plan == PLAN_SCAN || strcmp(col, "p.id") == 0);
    if (f->desc) buf_puts(b, " DESC");
  }
}

/* The incomplete-file terms of the checks in f->incomplete, ORed; then
 * (when indexed) the statuses such a file can have, which the status index
 * serves, reading the scope's entries without their rows (the checks read
 * only status and id, and their own tables' indexes). */
static void sp_list_incomplete(Buf *b, unsigned checks, bool indexed) {
  if (checks && indexed) {
    buf_puts(b, " AND p.status IN (");
    if (checks & PL_MISSING_STATUS) buf_puts(b, "'', ");
    buf_puts(b, (checks & PL_MISSING_TEAM) ? "'community_detox', 'community_rehab', 'social_supervision')"
                                           : "'community_detox', 'community_rehab')");
  }
  const char *sep = " AND (";
  if (checks & PL_MISSING_STATUS) {
    buf_printf(b, "%sp.status = ''", sep);
    sep = " OR ";
  }
  if (checks & PL_MISSING_TEAM) {
    buf_printf(b, "%s(p.status IN ('community_detox', 'community_rehab', 'social_supervision') AND NOT EXISTS"
                  " (SELECT 1 FROM help_member h WHERE h.person_id = p.id AND h.removed_at IS NULL))", sep);
    sep = " OR ";
  }
  if (checks & PL_MISSING_AGREEMENT) {
    buf_printf(b, "%s(p.status IN ('community_detox', 'community_rehab') AND NOT EXISTS"
                  " (SELECT 1 FROM person_document d WHERE d.person_id = p.id AND d.kind = 'agreement'))", sep);
    sep = " OR ";
  }
  if (checks) buf_putc(b, ')');
}

/* The WHERE clause of a list: fixed fragments chosen by which filters are
 * set and by the plan (never values), so there are a few fixed SQL texts.
 * Access paths of PLAN_INDEX:
 * - a community: (org_path, id) with org_path equal, which also yields id
 *   order (a status filter may use (status, org_path) instead); a long ID
 *   prefix (10+ characters: region and birth year) goes through the ID index;
 * - a wider scope: the index of the filter, checking org_path in the index
 *   entry where it is there (name, worker, status, control, risk), else the
 *   scope range.
 * Under PLAN_SCAN only the sorted column's own term may use its index (the
 * walk then starts at the term's range). */
static void sp_list_where(Buf *b, const PersonListFilter *f, bool leaf, ListPlan plan, bool has_name,
                          bool has_id) {
  bool idx = plan == PLAN_INDEX;
  char lead = idx ? 0 : sp_sorts[f->sort].lead;
  bool use_name = idx ? has_name && !leaf : lead == 'n';
  bool use_id = idx ? has_id && !has_name && (!leaf || strlen(f->id_prefix) >= 10) : lead == 'i';
  bool use_worker = idx ? f->worker_id > 0 && !use_name && !use_id : lead == 'w';
  bool use_status = idx ? f->status && !use_name && !use_id && !use_worker : lead == 't';
  bool use_control = idx && f->control && strcmp(f->control, "closed") != 0 && !f->status && !use_name && !use_id && !use_worker;
  bool use_risk = idx ? f->risk && !f->status && !f->control && !use_name && !use_id && !use_worker : lead == 'r';
  bool use_scope = idx ? !use_name && !use_id : lead == 's';
  if (leaf) {
    buf_puts(b, " WHERE ");
    sp_col(b, "p.org_path", use_scope);
    buf_puts(b, " = :scope");
  } else {
    sp_range(b, " WHERE ", "p.org_path", use_scope, ":scope", ":scope_end");
  }
  if (has_name) sp_range(b, " AND ", "p.name", use_name, ":name_lo", ":name_hi");
  if (has_id) sp_range(b, " AND ", "p.id_number", use_id, ":id_lo", ":id_hi");
  if (f->status) sp_term(b, "p.status", use_status, " = :status");
  if (f->control && strcmp(f->control, "closed") == 0) {
    buf_puts(b, " AND p.status IN ('dead', 'emigrated')");
  } else if (f->control) { /* a closed file keeps its last control value; it is neither */
    sp_term(b, "p.control", use_control, " = :control");
    buf_puts(b, " AND p.status NOT IN ('dead', 'emigrated')");
  }
  if (f->risk) sp_term(b, "p.risk_level", use_risk, " = :risk");
  if (f->worker_id > 0) {
    sp_term(b, "p.worker_id", use_worker, " = :worker");
  } else if (f->worker_id < 0) {
    buf_puts(b, " AND (p.worker_id + 0) IS NULL");
  }
  sp_list_incomplete(b, f->incomplete, idx && !f->status && !use_name && !use_id && !use_worker);
  if (f->complete) { /* the complete file: its static checks stored (file_missing), the talk as of today */
    buf_puts(b, " AND p.status IN ('community_detox', 'community_rehab', 'social_supervision')");
    if (f->complete == 1)
      buf_puts(b, f->complete_talk ? " AND p.file_missing = 0 AND (p.next_talk_due IS NULL OR p.next_talk_due >= :today)"
                                   : " AND p.file_missing = 0");
    else
      buf_puts(b, f->complete_talk ? " AND (p.file_missing <> 0 OR p.next_talk_due < :today)" : " AND p.file_missing <> 0");
  }
}

/* The exclusive upper bound of every UTF-8 string starting with prefix:
 * prefix followed by U+10FFFF, the greatest code point (valid UTF-8, so a
 * PostgreSQL driver can bind it too). */
static void sp_prefix_bound(const char *prefix, Buf *out) {
  buf_clear(out);
  buf_puts(out, prefix);
  buf_puts(out, "\xF4\x8F\xBF\xBF");
}

/* Binds the list filter's values to st (which was built by sp_list_where). */
static void sp_list_bind(DbStmt *st, const PersonListFilter *f, bool leaf, const char *bound, bool has_name,
                         bool has_id, const char *name_hi, const char *id_hi) {
  db_bind_text(st, ":scope", f->scope);
  if (!leaf) db_bind_text(st, ":scope_end", bound);
  if (has_name) {
    db_bind_text(st, ":name_lo", f->name_prefix);
    db_bind_text(st, ":name_hi", name_hi);
  }
  if (has_id) {
    db_bind_text(st, ":id_lo", f->id_prefix);
    db_bind_text(st, ":id_hi", id_hi);
  }
  if (f->status) db_bind_text(st, ":status", f->status);
  if (f->control && strcmp(f->control, "closed") != 0) db_bind_text(st, ":control", f->control);
  if (f->risk) db_bind_text(st, ":risk", f->risk);
  if (f->worker_id > 0) db_bind_int(st, ":worker", f->worker_id);
  if (f->complete && f->complete_talk) db_bind_text(st, ":today", f->today);
}

int store_person_list(Db *db, const PersonListFilter *f, PersonListRow **items, int *n, int64_t *total,
                      Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  assert((unsigned)f->sort < PSORT__COUNT);
  bool has_name = f->name_prefix && *f->name_prefix;
  bool has_id = f->id_prefix && *f->id_prefix;
  char bound[ORG_PATH_MAX];
  store_path_bound(f->scope, bound, sizeof bound);
  Buf name_hi = BUF_INIT, id_hi = BUF_INIT, sql = BUF_INIT;
  if (has_name) sp_prefix_bound(f->name_prefix, &name_hi);
  if (has_id) sp_prefix_bound(f->id_prefix, &id_hi);
  int code = ERR_OK;

  /* A scope without units under it (a community) holds persons whose
   * org_path is exactly the scope: then the (org_path, id) index gives the
   * page in id order by equality. */
  DbStmt *st = db_query(db, "SELECT 1 FROM org_unit WHERE path > :scope AND path < :scope_end LIMIT 1", e,
                        DB_TEXT(":scope", f->scope), DB_TEXT(":scope_end", bound));
  bool has_child;
  if ((code = db_exists(st, &has_child, e)) != ERR_OK) goto done;
  bool leaf = !has_child;

  /* The count, through the index, stopping past PERSON_LIST_COUNT_CAP: a
   * district's million rows would cost tens of milliseconds to count on
   * every page, and no one pages that far (the caller says "more than"). */
  buf_puts(&sql, "SELECT count(*) FROM (SELECT 1 FROM person p");
  sp_list_where(&sql, f, leaf, PLAN_INDEX, has_name, has_id);
  buf_puts(&sql, " LIMIT :cap) AS capped");
  st = db_prepare(db, buf_str(&sql), e);
  if (!st) { code = e->code; goto done; }
  sp_list_bind(st, f, leaf, bound, has_name, has_id, buf_str(&name_hi), buf_str(&id_hi));
  db_bind_int(st, ":cap", PERSON_LIST_COUNT_CAP + 1);
  if ((code = db_scalar(st, total, e)) != ERR_OK) goto done;
  if (*total <= f->offset || f->limit <= 0) goto done;

  /* The plan of the page. A community reads its (org_path, id) index (in id
   * order, else sorting its few rows). Elsewhere, sorting the matches costs
   * about total rows, walking the sort's index about (offset + limit) *
   * rows / total rows: walk when the matches are dense enough. */
  ListPlan plan = PLAN_INDEX;
  if (!leaf) {
    int64_t rows = 0;
    if ((code = db_scalar(db_prepare(db, "SELECT max(id) FROM person", e), &rows, e)) != ERR_OK) goto done;
    double want = (double)(f->offset + f->limit);
    double matches = (double)*total;
    if (*total > PERSON_LIST_COUNT_CAP) {
      /* The count stopped at the cap: estimate the matches from their
       * density among the newest PERSON_LIST_PROBE rows (a short walk). */
      buf_clear(&sql);
      buf_puts(&sql, "SELECT count(*) FROM (SELECT p.id, p.org_path, p.name, p.id_number, p.status, p.control,"
                     " p.risk_level, p.worker_id FROM person p ORDER BY p.id DESC LIMIT :probe) AS p");
      sp_list_where(&sql, f, leaf, PLAN_SCAN, has_name, has_id);
      st = db_prepare(db, buf_str(&sql), e);
      if (!st) { code = e->code; goto done; }
      db_bind_int(st, ":probe", PERSON_LIST_PROBE);
      sp_list_bind(st, f, leaf, bound, has_name, has_id, buf_str(&name_hi), buf_str(&id_hi));
      int64_t hits = 0;
      if ((code = db_scalar(st, &hits, e)) != ERR_OK) goto done;
      double estimate = (double)hits * (double)rows / PERSON_LIST_PROBE;
      if (estimate > matches) matches = estimate;
    }
    if (want * (double)rows < matches * matches) plan = PLAN_SCAN;
  }

  /* The page. The unit's code and name are looked up for the rows shown only. */
  buf_clear(&sql);
  buf_puts(&sql, "SELECT p.id, p.name, p.sex, p.id_number,"
                 " (SELECT o.code FROM org_unit o WHERE o.id = p.org_id),"
                 " (SELECT o.name FROM org_unit o WHERE o.id = p.org_id),"
                 " p.status, p.control, p.risk_level, p.next_talk_due, p.next_test_due,"
                 " (SELECT coalesce(nullif(w.display_name, ''), w.username) FROM app_user w WHERE w.id = p.worker_id)"
                 " FROM person p");
  sp_list_where(&sql, f, leaf, plan, has_name, has_id);
  sp_list_order(&sql, f, plan);
  buf_puts(&sql, " LIMIT :limit OFFSET :offset");
  st = db_prepare(db, buf_str(&sql), e);
  if (!st) { code = e->code; goto done; }
  sp_list_bind(st, f, leaf, bound, has_name, has_id, buf_str(&name_hi), buf_str(&id_hi));
  db_bind_int(st, ":limit", f->limit);
  db_bind_int(st, ":offset", f->offset);
  code = db_rows_cols(st, sizeof **items, sp_list_cols, items, n, e);
done:
  buf_reset(&sql);
  buf_reset(&name_hi);
  buf_reset(&id_hi);
  return code;
}

/* ---- insert, update, revisions -------------------------------------- */

int store_person_id_taken(Db *db, const char *id_number, int64_t except_id, bool *taken, int64_t *holder_id,
                          char *holder_path, size_t holder_path_sz, Err *e) {
  *taken = false;
  if (holder_id) *holder_id = 0;
  if (holder_path && holder_path_sz) holder_path[0] = 0;
  DbStmt *st = db_query(db, "SELECT id, org_path FROM person WHERE id_number = :id_number AND id <> :except", e,
                        DB_TEXT(":id_number", id_number), DB_INT(":except", except_id));
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    if (holder_id) *holder_id = db_col_int(st, 0);
    if (holder_path && holder_path_sz) str_copy(holder_path, holder_path_sz, db_col_text(st, 1));
  }
  db_finalize(st);
  *taken = rc == DB_ROW;
  return rc == DB_ROW || rc == DB_DONE ? ERR_OK : rc;
}

int store_person_insert(Db *db, int64_t org_id, const char *org_path, const char *const f[PF__COUNT],
                        const char *now, int64_t *id_out, Err *e) {
  pthread_once(&sp_once, sp_build_sql);
  DbStmt *st = db_query(db, sql_insert, e, DB_INT(":org_id", org_id), DB_TEXT(":org_path", org_path));
  for (int i = 0; i < PF__COUNT; i++) sp_bind_field(st, &person_fields[i], f[i]);
  db_bind_text(st, ":now", now);
  return db_insert_id(st, id_out, e);
}

int store_person_update(Db *db, int64_t id, int64_t version, int64_t org_id, const char *org_path,
                        const char *const f[PF__COUNT], const char *now, Err *e) {
  pthread_once(&sp_once, sp_build_sql);
  DbStmt *st = db_query(db, sql_update, e, DB_INT(":id", id), DB_INT(":version", version), DB_INT(":org_id", org_id),
                        DB_TEXT(":org_path", org_path));
  for (int i = 0; i < PF__COUNT; i++) sp_bind_field(st, &person_fields[i], f[i]);
  db_bind_text(st, ":now", now);
  bool updated;
  ErrCode rc = db_exists(st, &updated, e);
  if (rc == ERR_OK && !updated) return err_set(e, ERR_CONFLICT, "记录已被他人修改，请刷新后重试");
  return rc;
}

int store_person_revision_add(Db *db, int64_t person_id, int64_t version, const char *snapshot,
                              int64_t changed_by, const char *now, Err *e) {
  return db_insert(db, "person_revision", NULL, e, DB_INT(":person_id", person_id), DB_INT(":version", version),
                   DB_TEXT(":snapshot", snapshot), DB_ID_OR_NULL(":changed_by", changed_by),
                   DB_TEXT(":changed_at", now));
}

int store_person_revision_count(Db *db, int64_t person_id, int64_t *count, Err *e) {
  *count = 0;
  DbStmt *st = db_query(db, "SELECT count(*) FROM person_revision WHERE person_id = :person_id", e,
                        DB_INT(":person_id", person_id));
  return db_scalar(st, count, e);
}

int store_person_set_worker(Db *db, int64_t id, int64_t worker_id, Err *e) {
  DbStmt *st = db_query(db, "UPDATE person SET worker_id = :worker_id WHERE id = :id", e,
                        DB_ID_OR_NULL(":worker_id", worker_id), DB_INT(":id", id));
  return db_run(st, e);
}

int store_person_set_status(Db *db, int64_t id, const char *status, const char *since, const char *now,
                            Err *e) {
  DbStmt *st = db_query(db, "UPDATE person SET status = :status, status_since = :since, updated_at = :now"
                            " WHERE id = :id", e,
                        DB_TEXT(":status", status ? status : ""), DB_TEXT_OR_NULL(":since", since),
                        DB_TEXT(":now", now), DB_INT(":id", id));
  return db_run(st, e);
}

/* ---- help team --------------------------------------------------------- */

/* The rows of sql (its one parameter :person_id) as records of size sz
 * read by cols: a person's help team, documents or episodes. */
static int sp_rows_of(Db *db, const char *sql, int64_t person_id, size_t sz, const DbCol *cols, void *out, int *n,
                      Err *e) {
  return db_rows_cols(db_query(db, sql, e, DB_INT(":person_id", person_id)), sz, cols, out, n, e);
}

int store_person_team(Db *db, int64_t person_id, HelpMemberRow **out, int *n, Err *e) {
  return sp_rows_of(db, "SELECT id, role, name, phone, role_other FROM help_member"
                        " WHERE person_id = :person_id AND removed_at IS NULL ORDER BY id",
                    person_id, sizeof **out, sp_member_cols, out, n, e);
}

void store_person_team_free(HelpMemberRow *t, int n) { db_rows_free_cols(t, n, sizeof *t, sp_member_cols); }

int store_person_team_replace(Db *db, int64_t person_id, const HelpMemberIn *members, int n, const char *now,
                              Err *e) {
  DbStmt *st = db_query(db, "UPDATE help_member SET removed_at = :now"
                            " WHERE person_id = :person_id AND removed_at IS NULL", e,
                        DB_TEXT(":now", now), DB_INT(":person_id", person_id));
  if (db_run(st, e) != ERR_OK) return e->code;
  for (int i = 0; i < n; i++) {
    const char *code = help_role_of_text(members[i].role);
    if (db_insert(db, "help_member", NULL, e, DB_INT(":person_id", person_id), DB_TEXT(":role", code ? code : "other"),
                  DB_TEXT(":role_other", code ? "" : members[i].role), DB_TEXT(":name", members[i].name),
                  DB_TEXT(":phone", members[i].phone ? members[i].phone : ""), DB_TEXT(":added_at", now)) != ERR_OK)
      return e->code;
  }
  return ERR_OK;
}

/* ---- documents --------------------------------------------------------- */

int store_person_docs(Db *db, int64_t person_id, PersonDocRow **out, int *n, Err *e) {
  return sp_rows_of(db, "SELECT id, kind, signed_date, number, created_at FROM person_document"
                        " WHERE person_id = :person_id ORDER BY id",
                    person_id, sizeof **out, sp_doc_cols, out, n, e);
}

void store_person_docs_free(PersonDocRow *d, int n) { db_rows_free_cols(d, n, sizeof *d, sp_doc_cols); }

int store_person_doc_add(Db *db, int64_t person_id, const char *kind, const char *signed_date,
                         const char *number, const char *now, int64_t *id_out, Err *e) {
  return db_insert(db, "person_document", id_out, e, DB_INT(":person_id", person_id), DB_TEXT(":kind", kind),
                   DB_TEXT(":signed_date", signed_date), DB_TEXT(":number", number ? number : ""),
                   DB_TEXT(":created_at", now));
}

/* ---- status episodes --------------------------------------------------- */

int store_person_episodes(Db *db, int64_t person_id, EpisodeRow **out, int *n, Err *e) {
  if (sp_rows_of(db, "SELECT e.id, e.status, e.decision_date, e.start_date, e.decision_no, e.planned_end,"
                     " e.note, e.corrects_id, e.created_at, u.username"
                     " FROM status_episode e LEFT JOIN app_user u ON u.id = e.created_by"
                     " WHERE e.person_id = :person_id ORDER BY e.id",
                 person_id, sizeof **out, sp_episode_cols, out, n, e) != ERR_OK)
    return e->code;
  /* A row is voided when a later row of the same person corrects it; a
   * person has few episodes, so this is done here rather than in SQL. */
  EpisodeRow *arr = *out;
  for (int i = 0; i < *n; i++)
    if (arr[i].corrects_id)
      for (int j = 0; j < i; j++)
        if (arr[j].id == arr[i].corrects_id) arr[j].voided = true;
  return ERR_OK;
}

void store_person_episodes_free(EpisodeRow *ep, int n) { db_rows_free_cols(ep, n, sizeof *ep, sp_episode_cols); }

int store_person_episode_add(Db *db, int64_t person_id, const EpisodeIn *in, int64_t created_by,
                             const char *now, int64_t *id_out, Err *e) {
  return db_insert(db, "status_episode", id_out, e, DB_INT(":person_id", person_id), DB_TEXT(":status", in->status),
                   DB_TEXT_OR_NULL(":decision_date", in->decision_date), DB_TEXT_OR_NULL(":start_date", in->start_date),
                   DB_TEXT(":decision_no", in->decision_no ? in->decision_no : ""),
                   DB_TEXT_OR_NULL(":planned_end", in->planned_end), DB_TEXT(":note", in->note ? in->note : ""),
                   DB_ID_OR_NULL(":corrects_id", in->corrects_id), DB_ID_OR_NULL(":created_by", created_by),
                   DB_TEXT(":created_at", now));
}
