/* store/gen.c: owns the SQL of synthetic data (see store/gen.h): bulk-load
 * connection settings, the secondary indexes of person, the buffered rows
 * of a bulk load and their multi-row inserts (persons with explicit ids and
 * every derived column, the column list built once from
 * core/person_field.h; episodes, help members, documents, talks/visits,
 * drug tests, events) and the content checksum. */
#include "store/gen.h"
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/stats.h"

/* ---- settings ---------------------------------------------------------- */

int store_gen_bulk_mode(Db *db, bool on, Err *e) {
  assert(!db_in_transaction(db));
  const char *sql = on ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF;"
                       : "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; PRAGMA foreign_keys=ON;";
  return db_exec(db, sql, e);
}

int store_gen_max_person_id(Db *db, int64_t *max_id, Err *e) {
  return db_scalar(db_prepare(db, "SELECT coalesce(max(id), 0) FROM person", e), max_id, e);
}

/* ---- indexes ------------------------------------------------------------- */

/* Appends the (name, sql[, owner_pid]) rows of st (NULL: the prepare
 * failed, e filled) to *out, the owners when with_owner; finalizes st. */
static int gen_indexes_collect(DbStmt *st, bool with_owner, GenIndexes *out, Err *e) {
  if (!st) return e->code;
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) {
    out->names = realloc(out->names, sizeof *out->names * (size_t)(out->n + 1));
    out->sqls = realloc(out->sqls, sizeof *out->sqls * (size_t)(out->n + 1));
    if (!out->names || !out->sqls) abort();
    if (with_owner) {
      out->owners = realloc(out->owners, sizeof *out->owners * (size_t)(out->n + 1));
      if (!out->owners) abort();
      out->owners[out->n] = db_col_int(st, 2);
    }
    out->names[out->n] = strdup(db_col_text(st, 0));
    out->sqls[out->n] = strdup(db_col_text(st, 1));
    if (!out->names[out->n] || !out->sqls[out->n]) abort();
    out->n++;
  }
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_gen_person_indexes_drop(Db *db, GenIndexes *out, Err *e) {
  memset(out, 0, sizeof *out);
  DbStmt *st = db_prepare(db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person'"
                          " AND sql IS NOT NULL ORDER BY name",
                          e);
  if (gen_indexes_collect(st, false, out, e) != ERR_OK) return e->code;
  for (int i = 0; i < out->n; i++) {
    /* An identifier cannot be bound: the names come from the catalogue and
     * are checked to be plain. */
    const char *nm = out->names[i];
    if (strspn(nm, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(nm))
      return err_set(e, ERR_INTERNAL, "索引名称无效");
    DbStmt *rec = db_prepare(db,
                             "INSERT INTO pending_index (name, sql, owner_pid) VALUES (:name, :sql, :pid)"
                             " ON CONFLICT (name) DO UPDATE SET sql = excluded.sql, owner_pid = excluded.owner_pid",
                             e);
    db_bind_text(rec, ":name", nm);
    db_bind_text(rec, ":sql", out->sqls[i]);
    db_bind_int(rec, ":pid", (int64_t)getpid());
    if (db_run(rec, e) != ERR_OK) return e->code;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP INDEX %s", nm);
    if (db_exec(db, sql, e) != ERR_OK) return e->code;
  }
  return ERR_OK;
}

int store_gen_indexes_create(Db *db, const GenIndexes *ix, Err *e) {
  /* Two helper threads for the sorts. */
  if (db_exec(db, "PRAGMA threads=2", e) != ERR_OK) return e->code;
  int rc = ERR_OK;
  for (int i = 0; i < ix->n && rc == ERR_OK; i++) {
    /* (one that exists already is left as it is) */
    DbStmt *have = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name", e);
    if (!have) { rc = e->code; break; }
    db_bind_text(have, ":name", ix->names[i]);
    bool exists;
    if ((rc = db_exists(have, &exists, e)) != ERR_OK) break;
    if (!exists && (rc = db_exec(db, ix->sqls[i], e)) != ERR_OK) break;
    DbStmt *done = db_prepare(db, "DELETE FROM pending_index WHERE name = :name", e);
    if (!done) { rc = e->code; break; }
    db_bind_text(done, ":name", ix->names[i]);
    rc = db_run(done, e);
  }
  Err ignored;
  err_clear(&ignored);
  db_exec(db, "PRAGMA threads=0", &ignored);
  return rc;
}

/* true when process pid runs (a load that is still going owns its
 * pending indexes): it exists and, where /proc tells, is not a zombie
 * (a killed loader whose parent has not reaped it yet). */
static bool gen_pid_alive(int64_t pid) {
  if (pid <= 0 || pid > INT32_MAX) return false;
  if (kill((pid_t)pid, 0) != 0 && errno != EPERM) return false;
  char path[64], stat[256];
  snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
  FILE *f = fopen(path, "r");
  if (!f) return true;
  size_t n = fread(stat, 1, sizeof stat - 1, f);
  fclose(f);
  stat[n] = 0;
  const char *close = strrchr(stat, ')'); /* "pid (comm) S ..." */
  return !(close && close[1] == ' ' && close[2] == 'Z');
}

int store_gen_indexes_repair(Db *db, int *rebuilt, Err *e) {
  *rebuilt = 0;
  DbStmt *st = db_prepare(db, "SELECT owner_pid FROM pending_index", e);
  if (!st) return e->code;
  int rc;
  bool orphaned = false;
  while ((rc = db_step(st, e)) == DB_ROW)
    if (!gen_pid_alive(db_col_int(st, 0))) orphaned = true;
  db_finalize(st);
  if (rc != DB_DONE) return rc;
  if (!orphaned) return ERR_OK; /* nothing pending, or a load still at work */
  if (db_begin(db, e) != ERR_OK) return e->code;
  /* (read again inside the write transaction: another connection may have
   * built them meanwhile) */
  GenIndexes all = {0}, ix = {0};
  if (gen_indexes_collect(db_prepare(db, "SELECT name, sql, owner_pid FROM pending_index ORDER BY name", e), true,
                          &all, e) != ERR_OK)
    goto fail;
  /* only the orphans: ix borrows their strings from all */
  ix.names = malloc(sizeof *ix.names * (size_t)(all.n ? all.n : 1));
  ix.sqls = malloc(sizeof *ix.sqls * (size_t)(all.n ? all.n : 1));
  if (!ix.names || !ix.sqls) abort();
  for (int i = 0; i < all.n; i++)
    if (!gen_pid_alive(all.owners[i])) {
      ix.names[ix.n] = all.names[i];
      ix.sqls[ix.n] = all.sqls[i];
      ix.n++;
    }
  int crc = store_gen_indexes_create(db, &ix, e);
  int built = ix.n;
  free(ix.names);
  free(ix.sqls);
  if (crc != ERR_OK) goto fail;
  store_gen_indexes_free(&all);
  if (db_commit(db, e) != ERR_OK) return e->code;
  *rebuilt = built;
  return ERR_OK;
fail:
  db_rollback(db);
  store_gen_indexes_free(&all);
  return e->code;
}

void store_gen_indexes_free(GenIndexes *ix) {
  for (int i = 0; i < ix->n; i++) {
    free(ix->names[i]);
    free(ix->sqls[i]);
  }
  free(ix->names);
  free(ix->sqls);
  free(ix->owners);
  memset(ix, 0, sizeof *ix);
}

/* ---- buffered rows ------------------------------------------------------ */

/* Rows per statement (the last statement of a flush takes the rest): about
 * SG_PARAMS parameters, at most SG_CHUNK rows. Named parameters are looked
 * up by a linear search, so binding costs grow with the square of a
 * statement's parameters, while each statement has a fixed cost: a few
 * rows per statement is best. */
#define SG_CHUNK 8
#define SG_PARAMS 40
#define SG_NAME 8 /* ":abc" */

/* One table of the bulk load: the head of its insert, the row template
 * (each '#' a bound value, in the order of the values; ":n" the shared
 * time), and, built once, the statements for 1..chunk rows with the names
 * of their parameters. */
typedef struct SgTable {
  char *head;
  char *row;
  int ncols; /* the '#' of row */
  bool now;  /* the row names the shared time */
  int chunk; /* rows per statement */
  char *sql[SG_CHUNK + 1];
  char (*names)[SG_NAME]; /* [row * ncols + col] */
} SgTable;

enum { SG_PERSON, SG_EPISODE, SG_MEMBER, SG_DOCUMENT, SG_VISIT, SG_TEST, SG_EVENT, SG_UNIT, SG_STAT, SG_MARK, SG_NTABLES };

/* The derived columns of person (store_sup_derived_set's), in SupDerived order. */
#define SG_DERIVED_COLS                                                                                   \
  "status,status_since,control,risk_level,next_talk_due,next_test_due,clock_start,last_test_date,"       \
  "last_talk_date,missed_two_date,report_deadline,pickup_due,release_eligible_date,risk_override,"       \
  "serious_breach,breach_tests,breach_absences,breach_absence_days,transfer_pending,in_view,"            \
  "approvals_pending,work_from,file_missing,release_due,release_from"
#define SG_NDERIVED 25

static SgTable sg_tables[SG_NTABLES];
static pthread_once_t sg_bulk_once = PTHREAD_ONCE_INIT;

/* Fills table t (head and template are copied). */
static void sg_table(int t, const char *head, const char *row) {
  SgTable *x = &sg_tables[t];
  x->head = strdup(head);
  x->row = strdup(row);
  if (!x->head || !x->row) abort();
  x->ncols = 0;
  for (const char *p = row; *p; p++) x->ncols += *p == '#';
  x->now = strstr(row, ":n") != NULL;
  x->chunk = SG_PARAMS / x->ncols;
  if (x->chunk > SG_CHUNK) x->chunk = SG_CHUNK;
  if (x->chunk < 1) x->chunk = 1;
  x->names = calloc((size_t)(x->chunk * x->ncols), sizeof *x->names);
  if (!x->names) abort();
  /* Short names (":" row letter, column letters: ":ab", ":hbc"): the
   * statement text is hashed by the statement cache and the names compared
   * by the lookup. */
  assert(x->chunk <= 8);
  for (int j = 0; j < x->chunk; j++)
    for (int c = 0; c < x->ncols; c++) {
      char *nm = x->names[j * x->ncols + c];
      if (c < 26) snprintf(nm, SG_NAME, ":%c%c", 'a' + j, 'a' + c);
      else snprintf(nm, SG_NAME, ":%c%c%c", 'a' + j, 'a' + c / 26, 'a' + c % 26);
    }
  for (int k = 1; k <= x->chunk; k++) {
    Buf b = BUF_INIT;
    buf_puts(&b, x->head);
    for (int j = 0; j < k; j++) {
      if (j) buf_puts(&b, ",");
      int c = 0;
      for (const char *p = x->row; *p; p++) {
        if (*p == '#') buf_puts(&b, x->names[j * x->ncols + c++]);
        else buf_printf(&b, "%c", *p);
      }
    }
    x->sql[k] = buf_detach(&b);
  }
}

/* Builds the statements (never freed: they live as long as the program,
 * like the statement cache's keys). The person columns come from the field
 * table (core/person_field.h). */
static void sg_bulk_build(void) {
  Buf h = BUF_INIT, r = BUF_INIT;
  buf_puts(&h, "INSERT INTO person (id,org_id,org_path");
  for (int i = 0; i < PF__COUNT; i++) buf_printf(&h, ",%s", person_fields[i].key);
  buf_puts(&h, "," SG_DERIVED_COLS ",version,created_at,updated_at) VALUES ");
  buf_puts(&r, "(#,#,#");
  for (int i = 0; i < PF__COUNT + SG_NDERIVED; i++) buf_puts(&r, ",#");
  buf_puts(&r, ",1,:n,:n)");
  sg_table(SG_PERSON, buf_str(&h), buf_str(&r));
  buf_reset(&h);
  buf_reset(&r);
  sg_table(SG_EPISODE,
           "INSERT INTO status_episode (person_id,status,decision_date,start_date,decision_no,planned_end,note,"
           "corrects_id,created_by,created_at) VALUES ",
           "(#,#,#,#,#,#,#,NULL,NULL,:n)");
  sg_table(SG_MEMBER, "INSERT INTO help_member (person_id,role,name,phone,added_at) VALUES ", "(#,#,#,#,#)");
  sg_table(SG_DOCUMENT, "INSERT INTO person_document (person_id,kind,signed_date,number,created_at) VALUES ",
           "(#,#,#,#,:n)");
  sg_table(SG_VISIT,
           "INSERT INTO visit (person_id,date,kind,worker_id,place,notes,created_at,corrects_id) VALUES ",
           "(#,#,#,NULL,#,#,:n,NULL)");
  sg_table(SG_TEST,
           "INSERT INTO drug_test (person_id,date,sample,reason,result,substances,tester,recorded_by,created_at,"
           "corrects_id) VALUES ",
           "(#,#,#,#,#,#,#,NULL,:n,NULL)");
  sg_table(SG_EVENT,
           "INSERT INTO person_event (person_id,kind,date,until_date,days,to_org_id,note,status,created_by,"
           "created_at) VALUES ",
           "(#,#,#,#,#,NULL,#,#,NULL,:n)");
  sg_table(SG_UNIT, "INSERT INTO person_unit (person_id,org_id,from_date) VALUES ", "(#,#,NULL)");
  sg_table(SG_STAT, "INSERT INTO stat_person (org_id,person_id,facts,household_division,is_current) VALUES ",
           "(#,#,#,#,#)");
  sg_table(SG_MARK, "INSERT INTO stat_mark (mark,org_id,person_id) VALUES ", "(#,#,#)");
}

/* A value of a buffered row: NULL, an integer, or text or bytes at an
 * offset of the table's arena. */
typedef struct SgVal {
  enum { SGV_NULL, SGV_INT, SGV_TEXT, SGV_BLOB } kind;
  int64_t i; /* the integer, or the text's (bytes') offset */
  int64_t n; /* the bytes' length */
} SgVal;

typedef struct SgRows {
  SgVal *vals; /* nrows * ncols */
  int64_t nrows, cap;
  char *arena;
  size_t used, acap;
} SgRows;

struct GenBulk {
  SgRows t[SG_NTABLES];
};

GenBulk *store_gen_bulk_new(void) {
  pthread_once(&sg_bulk_once, sg_bulk_build);
  GenBulk *b = calloc(1, sizeof *b);
  if (!b) abort();
  return b;
}

void store_gen_bulk_free(GenBulk *b) {
  if (!b) return;
  for (int t = 0; t < SG_NTABLES; t++) {
    free(b->t[t].vals);
    free(b->t[t].arena);
  }
  free(b);
}

int64_t store_gen_bulk_pending(const GenBulk *b) {
  int64_t n = 0;
  for (int t = 0; t < SG_NTABLES; t++) n += b->t[t].nrows;
  return n;
}

void store_gen_bulk_clear(GenBulk *b) {
  for (int t = 0; t < SG_NTABLES; t++) {
    b->t[t].nrows = 0;
    b->t[t].used = 0;
  }
}

/* Starts a row of table t; returns its values (ncols, to fill). */
static SgVal *sg_row(GenBulk *b, int t) {
  SgRows *r = &b->t[t];
  int nc = sg_tables[t].ncols;
  if (r->nrows == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 1024;
    r->vals = realloc(r->vals, sizeof *r->vals * (size_t)(r->cap * nc));
    if (!r->vals) abort();
  }
  return &r->vals[r->nrows++ * nc];
}

/* n bytes of p copied into table t's arena: a value of kind. */
static SgVal sg_bytes(GenBulk *b, int t, const void *p, size_t n, int kind) {
  SgRows *r = &b->t[t];
  if (r->used + n > r->acap) {
    while (r->used + n > r->acap) r->acap = r->acap ? r->acap * 2 : 65536;
    r->arena = realloc(r->arena, r->acap);
    if (!r->arena) abort();
  }
  if (n) memcpy(r->arena + r->used, p, n);
  SgVal v = {kind, (int64_t)r->used, (int64_t)n};
  r->used += n;
  return v;
}

/* A text value (s NULL: SQL NULL; null_if_empty: "" is NULL too). */
static SgVal sg_text(GenBulk *b, int t, const char *s, bool null_if_empty) {
  if (!s || (null_if_empty && !*s)) return (SgVal){SGV_NULL, 0, 0};
  return sg_bytes(b, t, s, strlen(s) + 1, SGV_TEXT);
}

static SgVal sg_int(int64_t i) { return (SgVal){SGV_INT, i, 0}; }

void store_gen_bulk_person(GenBulk *b, const GenPersonRow *p) {
  SgVal *v = sg_row(b, SG_PERSON);
  int c = 0;
  v[c++] = sg_int(p->id);
  v[c++] = sg_int(p->org_id);
  v[c++] = sg_text(b, SG_PERSON, p->org_path, false);
  for (int i = 0; i < PF__COUNT; i++) {
    const FieldSpec *pf = &person_fields[i];
    const char *x = p->f[i] ? p->f[i] : "";
    if (pf->kind == FK_BOOL) v[c++] = sg_int(strcmp(x, "1") == 0);
    else v[c++] = sg_text(b, SG_PERSON, x, pf->kind == FK_DATE && !pf->required);
  }
  /* As store_sup_derived_set binds them. */
  const SupDerived *d = p->derived;
  v[c++] = sg_text(b, SG_PERSON, d->status, false);
  v[c++] = sg_text(b, SG_PERSON, d->status_since, true);
  v[c++] = sg_text(b, SG_PERSON, d->control[0] ? d->control : "in_control", false);
  v[c++] = sg_text(b, SG_PERSON, d->risk_level, false);
  const char *dates[] = {d->next_talk_due, d->next_test_due,   d->clock_start,     d->last_test_date,
                         d->last_talk_date, d->missed_two_date, d->report_deadline, d->pickup_due,
                         d->release_eligible_date, d->risk_override};
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) v[c++] = sg_text(b, SG_PERSON, dates[i], true);
  const int ints[] = {d->serious_breach, d->breach_tests,    d->breach_absences,  d->breach_absence_days,
                      d->transfer_pending, d->in_view, d->approvals_pending};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) v[c++] = sg_int(ints[i]);
  v[c++] = sg_text(b, SG_PERSON, d->work_from, true);
  v[c++] = sg_int(p->file_missing);
  v[c++] = sg_text(b, SG_PERSON, d->release_due, true);
  v[c++] = sg_text(b, SG_PERSON, d->release_from, true);
  assert(c == sg_tables[SG_PERSON].ncols);
}

/* A text of a person's history row (sg_history_row): NULL is ""; or_null:
 * "" is SQL NULL (an optional date). */
typedef struct SgText {
  const char *s;
  bool or_null;
} SgText;

/* Appends a row of table t: person_id, then the n texts (t's other
 * columns, in its template's order). */
static void sg_history_row(GenBulk *b, int t, int64_t person_id, const SgText *texts, int n) {
  assert(n + 1 == sg_tables[t].ncols);
  SgVal *v = sg_row(b, t);
  v[0] = sg_int(person_id);
  for (int i = 0; i < n; i++) v[i + 1] = sg_text(b, t, texts[i].s ? texts[i].s : "", texts[i].or_null);
}

void store_gen_bulk_episode(GenBulk *b, int64_t person_id, const EpisodeIn *in) {
  assert(in->corrects_id == 0);
  const SgText x[] = {{in->status, false},      {in->decision_date, true}, {in->start_date, true},
                      {in->decision_no, false}, {in->planned_end, true},   {in->note, false}};
  sg_history_row(b, SG_EPISODE, person_id, x, 6);
}

void store_gen_bulk_member(GenBulk *b, int64_t person_id, const HelpMemberIn *m, const char *added_at) {
  const SgText x[] = {{m->role, false}, {m->name, false}, {m->phone, false}, {added_at, false}};
  sg_history_row(b, SG_MEMBER, person_id, x, 4);
}

void store_gen_bulk_document(GenBulk *b, int64_t person_id, const char *kind, const char *signed_date,
                             const char *number) {
  const SgText x[] = {{kind, false}, {signed_date, false}, {number, false}};
  sg_history_row(b, SG_DOCUMENT, person_id, x, 3);
}

void store_gen_bulk_visit(GenBulk *b, int64_t person_id, const SupVisitIn *in) {
  assert(in->worker_id == 0 && in->corrects_id == 0);
  const SgText x[] = {{in->date, false}, {in->kind, false}, {in->place, false}, {in->notes, false}};
  sg_history_row(b, SG_VISIT, person_id, x, 4);
}

void store_gen_bulk_test(GenBulk *b, int64_t person_id, const SupTestIn *in) {
  assert(in->recorded_by == 0 && in->corrects_id == 0);
  const SgText x[] = {{in->date, false},   {in->sample, false},     {in->reason, false},
                      {in->result, false}, {in->substances, false}, {in->tester, false}};
  sg_history_row(b, SG_TEST, person_id, x, 6);
}

void store_gen_bulk_event(GenBulk *b, int64_t person_id, const SupEventIn *in) {
  assert(in->to_org_id == 0 && in->created_by == 0);
  SgVal v[7] = {sg_int(person_id),
                sg_text(b, SG_EVENT, in->kind, false),
                sg_text(b, SG_EVENT, in->date, false),
                sg_text(b, SG_EVENT, in->until, true),
                sg_int(in->days),
                sg_text(b, SG_EVENT, in->note ? in->note : "", false),
                sg_text(b, SG_EVENT, in->status, true)};
  memcpy(sg_row(b, SG_EVENT), v, sizeof v);
}

void store_gen_bulk_stats(GenBulk *b, int64_t person_id, int64_t org_id, const void *facts, size_t n,
                          unsigned marks, const char *household) {
  SgVal u[2] = {sg_int(person_id), sg_int(org_id)};
  memcpy(sg_row(b, SG_UNIT), u, sizeof u);
  SgVal v[5] = {sg_int(org_id), sg_int(person_id), sg_bytes(b, SG_STAT, facts, n, SGV_BLOB),
                sg_text(b, SG_STAT, household ? household : "", false), sg_int(1)};
  memcpy(sg_row(b, SG_STAT), v, sizeof v);
  for (unsigned bit = 1; bit <= STAT_MARK_OFFENCE; bit <<= 1)
    if (marks & bit) {
      SgVal k[3] = {sg_int(bit), sg_int(org_id), sg_int(person_id)};
      memcpy(sg_row(b, SG_MARK), k, sizeof k);
    }
}

/* Inserts rows [from, from + k) of table t with the k-row statement. */
static int sg_insert_rows(Db *db, int t, const SgRows *r, int64_t from, int k, const char *now, Err *e) {
  const SgTable *x = &sg_tables[t];
  DbStmt *st = db_prepare(db, x->sql[k], e);
  if (!st) return e->code;
  if (x->now) db_bind_text(st, ":n", now);
  for (int j = 0; j < k; j++) {
    const SgVal *v = &r->vals[(from + j) * x->ncols];
    for (int c = 0; c < x->ncols; c++) {
      const char *name = x->names[j * x->ncols + c];
      if (v[c].kind == SGV_INT) db_bind_int(st, name, v[c].i);
      else if (v[c].kind == SGV_TEXT) db_bind_text(st, name, r->arena + v[c].i);
      else if (v[c].kind == SGV_BLOB) db_bind_blob(st, name, r->arena + v[c].i, (size_t)v[c].n);
      else db_bind_null(st, name);
    }
  }
  return db_run(st, e);
}

int store_gen_bulk_flush(Db *db, GenBulk *b, const char *now, Err *e) {
  int rc = ERR_OK;
  for (int t = 0; t < SG_NTABLES && rc == ERR_OK; t++) {
    SgRows *r = &b->t[t];
    int chunk = sg_tables[t].chunk;
    for (int64_t i = 0; rc == ERR_OK && i < r->nrows; i += chunk) {
      int64_t left = r->nrows - i;
      rc = sg_insert_rows(db, t, r, i, left < chunk ? (int)left : chunk, now, e);
    }
  }
  store_gen_bulk_clear(b);
  return rc;
}

/* ---- checksum ------------------------------------------------------------ */

/* FNV-1a 64 over n bytes. */
static uint64_t sg_fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
  return h;
}

/* The checksummed tables: their content columns (clock columns left out)
 * in a fixed order, rows in id order. */
static const struct { const char *sql; int ncols; } SG_TABLES[] = {
  {"SELECT id, code, name, level, parent_id, path, pop_registered, pop_resident, pop_floating"
   " FROM org_unit ORDER BY id", 9},
  {"SELECT id, org_id, org_path, name, sex, id_number, birth_date, phone, ethnicity, education, marital,"
   " employment, household_address, residence_address, drug_types, first_found_date, found_how,"
   " previous_treatments, no_job, no_home, no_income, fk_basics, fk_contacts, fk_family_economy,"
   " fk_state_of_mind, fk_movements, status, status_since, control, risk_level, next_talk_due,"
   " next_test_due, clock_start, last_test_date, last_talk_date, missed_two_date, report_deadline,"
   " pickup_due, release_eligible_date, risk_override, serious_breach, breach_tests, breach_absences,"
   " breach_absence_days, transfer_pending, in_view, approvals_pending, work_from, worker_id, version,"
   " file_missing FROM person ORDER BY id", 51},
  {"SELECT id, person_id, status, decision_date, start_date, decision_no, planned_end, note, corrects_id,"
   " created_by FROM status_episode ORDER BY id", 10},
  {"SELECT id, person_id, role, name, phone, removed_at FROM help_member ORDER BY id", 6},
  {"SELECT id, person_id, kind, signed_date, number FROM person_document ORDER BY id", 5},
  {"SELECT id, person_id, date, kind, worker_id, place, notes, corrects_id FROM visit ORDER BY id", 8},
  {"SELECT id, person_id, date, sample, reason, result, substances, tester, recorded_by, corrects_id"
   " FROM drug_test ORDER BY id", 10},
  {"SELECT id, person_id, kind, date, until_date, days, to_org_id, note, status, created_by"
   " FROM person_event ORDER BY id", 10},
};

int store_gen_checksum(Db *db, uint64_t *sum, int64_t *rows, Err *e) {
  uint64_t h = 14695981039346656037ull;
  int64_t count = 0;
  if (db_begin_read(db, e) != ERR_OK) return e->code;
  int code = ERR_OK;
  for (size_t t = 0; t < sizeof SG_TABLES / sizeof SG_TABLES[0] && code == ERR_OK; t++) {
    DbStmt *st = db_prepare(db, SG_TABLES[t].sql, e);
    if (!st) { code = e->code; break; }
    h = sg_fnv(h, "T", 1);
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
      count++;
      for (int c = 0; c < SG_TABLES[t].ncols; c++) {
        if (db_col_is_null(st, c)) {
          h = sg_fnv(h, "\1N", 2);
        } else {
          const char *v = db_col_text(st, c);
          h = sg_fnv(h, "\1V", 2);
          h = sg_fnv(h, v, strlen(v));
        }
      }
      h = sg_fnv(h, "\2", 1);
    }
    db_finalize(st);
    if (rc != DB_DONE) code = rc;
  }
  if (code == ERR_OK && db_commit(db, e) != ERR_OK) code = e->code;
  if (code != ERR_OK) db_rollback(db);
  *sum = h;
  if (rows) *rows = count;
  return code;
}
