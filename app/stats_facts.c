/* app/stats_facts.c: owns the statistical facts kept per person (see
 * app/stats_facts.h): their computation from stored rows, the refresh of
 * one person in a writer's transaction (stats_refresh, app/steps.h), the
 * build of the missing ones, and the doctor's check. */
#include "app/stats_facts.h"
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/casework.h"
#include "app/schedule_rule.h"
#include "app/steps.h"
#include "core/buf.h"

#define SF_BATCH 20000 /* persons per write transaction of the build */

void stats_facts_from(const SupHistory *h, const StatExtras *x, const ScheduleRule *rule, const CaseworkRule *cw,
                      StatFacts *f) {
  int nu = x->nunits, nm = x->nmembers, na = x->nagreements;
  StatUnitIn *units = malloc(sizeof *units * (size_t)(nu ? nu : 1));
  StatMemberIn *members = malloc(sizeof *members * (size_t)(nm ? nm : 1));
  const char **agreements = malloc(sizeof *agreements * (size_t)(na ? na : 1));
  if (!units || !members || !agreements) abort();
  for (int i = 0; i < nu; i++) units[i] = (StatUnitIn){x->units[i].from, x->units[i].org_id};
  for (int i = 0; i < nm; i++)
    members[i] = (StatMemberIn){x->members[i].added, x->members[i].removed, help_role_bit(x->members[i].role)};
  for (int i = 0; i < na; i++) agreements[i] = x->agreements[i].signed_date;
  StatSource s = {h, x->first_found, x->created_at, units, nu, members, nm, agreements, na, cw->required_roles,
                  x->plan_from, cw->checks_off};
  stats_facts_build(&s, rule, f);
  free(units);
  free(members);
  free(agreements);
}

/* ---- the schedule rule of each unit, resolved once per unit --------------- */

typedef struct SfRules {
  int64_t *ids;
  ScheduleRule *rules;
  CaseworkRule *cw;
  int n, cap;
} SfRules;

/* The rule of unit org_id (app_schedule_rule_resolve, remembered) and,
 * into *cw, its casework rule (casework_rule_of). */
static const ScheduleRule *sf_rule(Db *db, SfRules *r, int64_t org_id, const CaseworkRule **cw, Err *e) {
  int lo = 0, hi = r->n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (r->ids[mid] < org_id) lo = mid + 1;
    else hi = mid;
  }
  if (lo < r->n && r->ids[lo] == org_id) {
    *cw = &r->cw[lo];
    return &r->rules[lo];
  }
  ScheduleRule rule;
  CaseworkRule cwr;
  if (app_schedule_rule_resolve(db, org_id, &rule, e) != ERR_OK || casework_rule_of(db, org_id, &cwr, e) != ERR_OK)
    return NULL;
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 64;
    r->ids = realloc(r->ids, sizeof *r->ids * (size_t)r->cap);
    r->rules = realloc(r->rules, sizeof *r->rules * (size_t)r->cap);
    r->cw = realloc(r->cw, sizeof *r->cw * (size_t)r->cap);
    if (!r->ids || !r->rules || !r->cw) abort();
  }
  memmove(&r->ids[lo + 1], &r->ids[lo], sizeof *r->ids * (size_t)(r->n - lo));
  memmove(&r->rules[lo + 1], &r->rules[lo], sizeof *r->rules * (size_t)(r->n - lo));
  memmove(&r->cw[lo + 1], &r->cw[lo], sizeof *r->cw * (size_t)(r->n - lo));
  r->ids[lo] = org_id;
  r->rules[lo] = rule;
  r->cw[lo] = cwr;
  r->n++;
  *cw = &r->cw[lo];
  return &r->rules[lo];
}

static void sf_rules_free(SfRules *r) {
  free(r->ids);
  free(r->rules);
  free(r->cw);
  memset(r, 0, sizeof *r);
}

/* Writes the encoded facts f of person_id under every unit of its unit history. */
static int sf_put(Db *db, int64_t person_id, const StatFacts *f, Buf *blob, Err *e) {
  buf_clear(blob);
  stats_facts_encode(f, blob);
  int64_t *orgs = malloc(sizeof *orgs * (size_t)(f->nunits ? f->nunits : 1));
  if (!orgs) abort();
  int n = stats_facts_orgs(f, orgs), rc = ERR_OK;
  for (int i = 0; i < n && rc == ERR_OK; i++)
    rc = store_stats_facts_put(db, orgs[i], person_id, blob->data, blob->len, stats_facts_marks(f), e);
  free(orgs);
  return rc;
}

/* Appends the unit history row that x lacks: the unit since always when it
 * has none, today's unit from day `from` when its latest row is another. */
static int sf_unit_sync(Db *db, StatExtras *x, const char *from, Err *e) {
  const char *day = NULL;
  if (x->nunits > 0) {
    if (x->units[x->nunits - 1].org_id == x->org_id) return ERR_OK;
    day = from;
  }
  if (store_stats_unit_add(db, x->person_id, x->org_id, day, e) != ERR_OK) return e->code;
  x->units = array_grow(x->units, x->nunits, &x->cap_units, sizeof *x->units);
  StatUnitRow *u = &x->units[x->nunits++];
  u->org_id = x->org_id;
  str_copy(u->from, sizeof u->from, day ? day : "");
  return ERR_OK;
}

/* ---- one person, in a writer's transaction ------------------------------------ */

int stats_refresh(Ctx *c, int64_t person_id, Err *e) {
  StatExtras x;
  SupHistory h;
  StatFacts f;
  memset(&x, 0, sizeof x);
  memset(&h, 0, sizeof h);
  memset(&f, 0, sizeof f);
  Buf blob = BUF_INIT;
  char today[DATE_ISO_LEN];
  date_format(c->today, today);
  ScheduleRule rule;
  CaseworkRule cw;
  int rc = store_stats_extras_load(c->db, person_id, &x, e);
  if (rc == ERR_OK) rc = sf_unit_sync(c->db, &x, today, e);
  if (rc == ERR_OK) rc = store_sup_history_load(c->db, person_id, &h, e);
  if (rc == ERR_OK) rc = app_schedule_rule_resolve(c->db, x.org_id, &rule, e);
  if (rc == ERR_OK) rc = casework_rule_of(c->db, x.org_id, &cw, e);
  if (rc == ERR_OK) {
    stats_facts_from(&h, &x, &rule, &cw, &f);
    rc = sf_put(c->db, person_id, &f, &blob, e);
  }
  if (rc == ERR_OK) rc = casework_refresh(c, person_id, &f, &x, e); /* the casework columns, from the same facts */
  buf_reset(&blob);
  stats_facts_free(&f);
  sup_history_free(&h);
  store_stats_extras_free(&x);
  return rc;
}

/* ---- every person: the build and the check ----------------------------------- */

/* The state of a pass over the persons. */
typedef struct SfPass {
  Db *db;
  StatCursor *cur;
  SfRules rules;
  StatExtras x;
  StatFacts f;
  Buf blob;
  bool build;                 /* the build (write), else the check */
  Day today;                  /* the check: the day the casework columns are compared as of */
  int64_t persons, rows, differences;
  void (*report)(void *, int64_t, const char *, const char *, const char *);
  void *arg;
} SfPass;

static void sf_diff(SfPass *p, int64_t pid, const char *field, const char *stored, const char *computed) {
  p->differences++;
  if (p->report) p->report(p->arg, pid, field, stored, computed);
}

/* The check of one person's stored rows against f (encoded in p->blob). */
static int sf_check_rows(SfPass *p, int64_t pid, Err *e) {
  int64_t *orgs = malloc(sizeof *orgs * (size_t)(p->f.nunits ? p->f.nunits : 1));
  if (!orgs) abort();
  int n = stats_facts_orgs(&p->f, orgs), rc = ERR_OK;
  for (int i = 0; i < n && rc == ERR_OK; i++) {
    DbStmt *st = db_prepare(p->db,
                            "SELECT facts, (SELECT coalesce(sum(mark), 0) FROM stat_mark k WHERE k.mark IN (1, 2, 4)"
                            " AND k.org_id = :o AND k.person_id = :p),"
                            " coalesce(household_division, '(none)'), is_current,"
                            " coalesce((SELECT coalesce(household_division, '(none)') FROM person WHERE id = :p), ''),"
                            " (SELECT org_id = :o FROM person WHERE id = :p)"
                            " FROM stat_person WHERE org_id = :o AND person_id = :p",
                            e);
    if (!st) { rc = e->code; break; }
    db_bind_int(st, ":o", orgs[i]);
    db_bind_int(st, ":p", pid);
    int s = db_step(st, e);
    size_t len = 0;
    const void *b = s == DB_ROW ? db_col_blob(st, 0, &len) : NULL;
    char unit[32];
    snprintf(unit, sizeof unit, "unit %" PRId64, orgs[i]);
    if (s == DB_ROW && (len != p->blob.len || (len && memcmp(b, p->blob.data, len) != 0)))
      sf_diff(p, pid, "stat_facts", unit, "recomputed facts differ");
    else if (s == DB_ROW && db_col_int(st, 1) != (int64_t)stats_facts_marks(&p->f)) {
      char got[48], want[16];
      snprintf(got, sizeof got, "%s marks %" PRId64, unit, db_col_int(st, 1));
      snprintf(want, sizeof want, "%u", stats_facts_marks(&p->f));
      sf_diff(p, pid, "stat_marks", got, want);
    } else if (s == DB_ROW && (strcmp(db_col_text(st, 2), db_col_text(st, 4)) != 0 ||
                               db_col_int(st, 3) != db_col_int(st, 5))) {
      /* the household side of 人户分离 (stat_person.household_division, is_current) */
      char got[96], want[96];
      snprintf(got, sizeof got, "%s %s current %" PRId64, unit, db_col_text(st, 2), db_col_int(st, 3));
      snprintf(want, sizeof want, "%s current %" PRId64, db_col_text(st, 4), db_col_int(st, 5));
      sf_diff(p, pid, "stat_household", got, want);
    }
    else if (s == DB_DONE) sf_diff(p, pid, "stat_facts", "", unit);
    db_finalize(st);
    if (s != DB_ROW && s != DB_DONE) rc = s;
  }
  p->rows += n;
  free(orgs);
  return rc;
}

static int sf_visit(void *arg, const SupDerived *stored, const SupHistory *h, Err *e) {
  (void)stored;
  SfPass *p = arg;
  if (store_stats_cursor_get(p->cur, h->person_id, &p->x, e) != ERR_OK) return e->code;
  if (p->build) {
    if (sf_unit_sync(p->db, &p->x, NULL, e) != ERR_OK) return e->code;
  } else if (p->x.nunits == 0 || p->x.units[p->x.nunits - 1].org_id != p->x.org_id) {
    char got[32], want[32];
    snprintf(got, sizeof got, "%" PRId64, p->x.nunits ? p->x.units[p->x.nunits - 1].org_id : 0);
    snprintf(want, sizeof want, "%" PRId64, p->x.org_id);
    sf_diff(p, h->person_id, "person_unit", got, want);
  }
  const CaseworkRule *cw = NULL;
  const ScheduleRule *rule = sf_rule(p->db, &p->rules, p->x.org_id, &cw, e);
  if (!rule) return e->code ? e->code : ERR_INTERNAL;
  stats_facts_from(h, &p->x, rule, cw, &p->f);
  p->persons++;
  if (p->build) return sf_put(p->db, h->person_id, &p->f, &p->blob, e);
  char review[DATE_ISO_LEN], followup[DATE_ISO_LEN], a[16], b[16];
  int missing;
  casework_derived(&p->f, &p->x, p->today, review, followup, &missing);
  if (strcmp(review, p->x.stored_plan_review) != 0) sf_diff(p, h->person_id, "plan_review_due", p->x.stored_plan_review, review);
  if (strcmp(followup, p->x.stored_followup) != 0)
    sf_diff(p, h->person_id, "service_followup_due", p->x.stored_followup, followup);
  if (missing != p->x.stored_file_missing) {
    snprintf(a, sizeof a, "%d", p->x.stored_file_missing);
    snprintf(b, sizeof b, "%d", missing);
    sf_diff(p, h->person_id, "file_missing", a, b);
  }
  buf_clear(&p->blob);
  stats_facts_encode(&p->f, &p->blob);
  return sf_check_rows(p, h->person_id, e);
}

/* One pass over the persons lo <= id < hi in the caller's transaction. */
static int sf_range(SfPass *p, int64_t lo, int64_t hi, Err *e) {
  if (store_stats_cursor_open(p->db, lo, hi, &p->cur, e) != ERR_OK) return e->code;
  int rc = store_sup_scan_range(p->db, lo, hi, sf_visit, p, NULL, e);
  store_stats_cursor_close(p->cur);
  p->cur = NULL;
  return rc;
}

static void sf_pass_free(SfPass *p) {
  sf_rules_free(&p->rules);
  store_stats_extras_free(&p->x);
  stats_facts_free(&p->f);
  buf_reset(&p->blob);
}

int stats_facts_repair(Db *db, int64_t *persons, Err *e) {
  if (persons) *persons = 0;
  bool built;
  if (store_stats_built(db, &built, e) != ERR_OK) return e->code;
  if (built) return ERR_OK;
  int64_t max_id = 0;
  if (store_sup_max_person_id(db, &max_id, e) != ERR_OK) return e->code;
  SfPass p = {.db = db, .build = true};
  int rc = ERR_OK;
  if (max_id > SF_BATCH) fprintf(stderr, "jindu: building the statistics of %" PRId64 " persons...\n", max_id);
  for (int64_t lo = 0; rc == ERR_OK && lo <= max_id; lo += SF_BATCH) {
    if ((rc = db_begin(db, e)) != ERR_OK) break;
    if (lo == 0) rc = store_stats_facts_clear(db, e);
    if (rc == ERR_OK) rc = sf_range(&p, lo, lo + SF_BATCH, e);
    if (rc == ERR_OK && lo + SF_BATCH > max_id) rc = store_stats_set_built(db, true, e);
    if (rc != ERR_OK) db_rollback(db);
    else rc = db_commit(db, e);
  }
  if (rc == ERR_OK && persons) *persons = p.persons;
  if (rc == ERR_OK && max_id > SF_BATCH) fprintf(stderr, "jindu: statistics built (%" PRId64 " persons)\n", p.persons);
  sf_pass_free(&p);
  return rc;
}

/* A difference found by a thread of the check, kept until the threads end
 * (reports come out in person order, from one thread). */
typedef struct SfDiff {
  int64_t person_id;
  char field[16], stored[64], computed[64];
} SfDiff;

/* One thread of the check: persons [lo, hi) on a connection of its own. */
typedef struct SfPart {
  const char *path;
  int64_t lo, hi;
  Day today;
  SfPass pass;
  SfDiff *diffs;
  int ndiffs, cap;
  int rc;
  Err e;
} SfPart;

static void sf_collect(void *arg, int64_t pid, const char *field, const char *stored, const char *computed) {
  SfPart *t = arg;
  t->diffs = array_grow(t->diffs, t->ndiffs, &t->cap, sizeof *t->diffs);
  SfDiff *d = &t->diffs[t->ndiffs++];
  d->person_id = pid;
  str_copy(d->field, sizeof d->field, field);
  str_copy(d->stored, sizeof d->stored, stored);
  str_copy(d->computed, sizeof d->computed, computed);
}

static void *sf_part_run(void *arg) {
  SfPart *t = arg;
  err_clear(&t->e);
  Db *db = NULL;
  t->rc = db_open(&db, t->path, NULL, &t->e);
  if (t->rc != ERR_OK) return NULL;
  t->pass = (SfPass){.db = db, .report = sf_collect, .arg = t, .today = t->today};
  if ((t->rc = db_begin_read(db, &t->e)) == ERR_OK) {
    t->rc = sf_range(&t->pass, t->lo, t->hi, &t->e);
    Err ignored;
    err_clear(&ignored);
    db_commit(db, &ignored); /* a read: nothing to undo */
  }
  t->pass.db = NULL;
  db_close(db);
  return NULL;
}

#define SF_THREADS 2 /* the check runs on this many connections at once */

struct StatsDoctor {
  Db *db;
  SfPart parts[SF_THREADS];
  pthread_t tids[SF_THREADS];
  bool started[SF_THREADS];
};

int stats_doctor_start(Db *db, Day today, StatsDoctor **out, Err *e) {
  *out = NULL;
  int64_t max_id = 0;
  if (store_sup_max_person_id(db, &max_id, e) != ERR_OK) return e->code;
  StatsDoctor *d = calloc(1, sizeof *d);
  if (!d) abort();
  d->db = db;
  /* The persons in SF_THREADS ranges, each checked on a connection of its
   * own (the facts' computation is the engine's, run for every day of each
   * history: the CPU-bound part of `jindu doctor`). */
  int64_t step = max_id / SF_THREADS + 1;
  for (int i = 0; i < SF_THREADS; i++) {
    SfPart *t = &d->parts[i];
    t->path = db_path(db);
    t->today = today;
    t->lo = i * step;
    t->hi = i == SF_THREADS - 1 ? INT64_MAX : (i + 1) * step;
    d->started[i] = pthread_create(&d->tids[i], NULL, sf_part_run, t) == 0;
    if (!d->started[i]) sf_part_run(t);
  }
  *out = d;
  return ERR_OK;
}

int stats_doctor_finish(StatsDoctor *d, void (*report)(void *arg, int64_t person_id, const char *field,
                                                       const char *stored, const char *computed),
                        void *arg, int64_t *persons, int64_t *differences, Err *e) {
  int rc = ERR_OK;
  int64_t rows = 0, n = 0, ndiff = 0, stored = 0;
  for (int i = 0; i < SF_THREADS; i++) {
    SfPart *t = &d->parts[i];
    if (d->started[i]) pthread_join(d->tids[i], NULL);
    if (t->rc != ERR_OK && rc == ERR_OK) {
      rc = t->rc;
      *e = t->e;
    }
    rows += t->pass.rows;
    n += t->pass.persons;
    for (int k = 0; k < t->ndiffs; k++) {
      ndiff++;
      if (report) report(arg, t->diffs[k].person_id, t->diffs[k].field, t->diffs[k].stored, t->diffs[k].computed);
    }
  }
  if (rc == ERR_OK) rc = db_scalar(db_prepare(d->db, "SELECT count(*) FROM stat_person", e), &stored, e);
  if (rc == ERR_OK && stored != rows) {
    char a[32], b[32];
    snprintf(a, sizeof a, "%" PRId64 " rows", stored);
    snprintf(b, sizeof b, "%" PRId64 " rows", rows);
    ndiff++;
    if (report) report(arg, 0, "stat_row", a, b);
  }
  for (int i = 0; i < SF_THREADS; i++) {
    sf_pass_free(&d->parts[i].pass);
    free(d->parts[i].diffs);
  }
  free(d);
  if (persons) *persons = n;
  if (differences) *differences = ndiff;
  return rc;
}
