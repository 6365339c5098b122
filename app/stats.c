/* app/stats.c: owns the statistics use cases (see app/stats.h): the unit and
 * the window of a request, the table (rows, total, compared periods), the
 * persons behind a number, the monthly trend, and the table of providers
 * that compute figures. The person provider is here: one scan of the facts
 * kept under the units of the subtree (store_stats_scan), each decoded once
 * and evaluated (core/stats.h stats_eval) for every window asked; a person
 * counts in the row of the unit responsible for them on D, so exactly once.
 * The same pass counts the 人户分离 figures of the elsewhere provider from
 * the household each row carries (see that provider below). */
#include "app/stats.h"
#include "store/casework.h"
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "core/ledger.h"
#include "core/prevention.h"
#include "store/letter.h"
#include "store/prevention.h"
#include "core/division.h"

#define M_FORBIDDEN "没有权限"
#define M_ORG_UNKNOWN "没有这个单位"
#define M_ORG_SCOPE "单位不存在或不在管辖范围内"
#define M_MEASURE "没有这个统计指标"
#define M_PART "应为 num 或 den"
#define M_PART_COUNT "这个指标是人数，没有分母"
#define M_CORRUPT "统计数据无法读取，请运行 jindu doctor"

/* ---- providers ---------------------------------------------------------------- */

/* What a provider fills: the figures of every window for the unit (total)
 * and, for window 0, of each row (a child unit). */
typedef struct StatsJob {
  Ctx *c;
  const OrgUnit *unit;
  const StatWhen *when;
  int nwhen;
  const int64_t *ids; /* every unit of the subtree, ascending */
  const int *row;     /* ... and the row (child) holding it, -1 for none */
  int nids;
  StatsFigures *total; /* [nwhen] */
  StatsFigures *rows;  /* [nrows], window 0; NULL when none */
  int nrows;
  int base;            /* the provider's first slot */
  const StatsRow *children; /* the rows' units ([nrows]); NULL when none */
} StatsJob;

/* One item the provider found behind a slot. */
typedef struct StatsHit {
  int64_t person_id, org_id, now_org;
  int count;
  Status status;
} StatsHit;

typedef struct StatsHits {
  StatsHit *v;
  int n, cap;
  /* the early stop of a page (honoured by the person provider, whose scan is
   * long; the others read everything): once want hits visible to the actor
   * (today's unit among mine[0..nmine), sorted) are found, stop and set
   * stopped; want 0: read every row */
  int64_t want;
  const int64_t *mine;
  int nmine;
  int64_t visible;
  bool stopped;
  /* a page from a position (the person provider only; NULL: from the
   * start): read the rows after it, or before it from the nearest back */
  const struct StatsPos *pos;
} StatsHits;

/* A position in the person provider's order: the row kept under unit org
 * (path) for person. */
typedef struct StatsPos {
  int64_t org, person;
  char path[ORG_PATH_MAX];
  bool backward;
} StatsPos;

typedef struct StatsProvider {
  const char *name;
  int nslots;
  int (*figures)(StatsJob *j, Err *e);
  /* the persons (records) with slot > 0 for when, in the subtree of unit */
  int (*items)(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e);
  /* NULL: the items are persons; else they are records (the hits' person_id
   * a record id) of the kind this names for slot ("letter", ...), and
   * describe fills the record fields of the page's items */
  const char *(*records)(int slot);
  int (*describe)(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsItem *items, int n, Err *e);
} StatsProvider;

static int person_figures(StatsJob *j, Err *e);
static int person_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e);
static int activity_figures(StatsJob *j, Err *e);
static int survey_figures(StatsJob *j, Err *e);
static int record_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e);
static int service_figures(StatsJob *j, Err *e);
static int service_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e);
static int elsewhere_figures(StatsJob *j, Err *e);
static int st_rows(Ctx *c, const OrgUnit *unit, const StatsRow *children, int nchildren, int64_t **ids, int **rows,
                   int *n, Err *e);
static int elsewhere_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e);
static int letter_figures(StatsJob *j, Err *e);
static int letter_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e);
static const char *letter_records(int slot);
static int letter_describe(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsItem *items, int n,
                           Err *e);

/* The providers; a provider's slots follow those of the ones before it. */
static const StatsProvider PROVIDERS[] = {
  {"person", SS__COUNT, person_figures, person_items, NULL, NULL},
  {"activity", AS__COUNT, activity_figures, record_items, NULL, NULL},
  {"survey", SVS__COUNT, survey_figures, record_items, NULL, NULL},
  {"service", SV_SLOTS, service_figures, service_items, NULL, NULL}, /* casework: services and referrals */
  {"elsewhere", SE__COUNT, elsewhere_figures, elsewhere_items, NULL, NULL}, /* 人户分离 (issue 9) */
  {"letter", LS__COUNT, letter_figures, letter_items, letter_records, letter_describe}, /* responsibility letters */
};
_Static_assert(SS__COUNT + AS__COUNT + SVS__COUNT + SV_SLOTS + SE__COUNT + LS__COUNT <= STATS_SLOTS_MAX,
               "STATS_SLOTS_MAX holds every provider's slots");
#define NPROVIDERS ((int)(sizeof PROVIDERS / sizeof PROVIDERS[0]))

/* The index of a provider by name and its first slot; -1 when unknown. */
static int st_provider(const char *name, int *base) {
  int b = 0;
  for (int i = 0; i < NPROVIDERS; i++) {
    if (strcmp(PROVIDERS[i].name, name) == 0) {
      *base = b;
      return i;
    }
    b += PROVIDERS[i].nslots;
  }
  return -1;
}

int64_t stats_figure(const StatsFigures *f, const StatMeasure *m, bool den) {
  int base = 0;
  if (st_provider(m->provider, &base) < 0) return 0;
  int slot = den ? m->den : m->num;
  return slot < 0 ? 0 : f->v[base + slot];
}

/* ---- the person provider --------------------------------------------------------- */

/* The index of unit org in the job's subtree (j->ids, ascending; binary
 * search), -1 when it is not there. */
static int st_id_index(const StatsJob *j, int64_t org) {
  int lo = 0, hi = j->nids;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (j->ids[mid] < org) lo = mid + 1;
    else hi = mid;
  }
  return lo < j->nids && j->ids[lo] == org ? lo : -1;
}

/* The row of unit org in j, -1 when none. */
static int st_row_of(const StatsJob *j, int64_t org) {
  int i = st_id_index(j, org);
  return i >= 0 ? j->row[i] : -1;
}

/* Decodes a person's facts for the days of when (the supervised part only
 * when the person is supervised on one of them). */
static bool ps_decode(const void *blob, size_t n, const StatWhen *when, int nwhen, StatFacts *f) {
  if (!stats_facts_decode(blob, n, f, false)) return false;
  for (int w = 0; w < nwhen && f->partial; w++)
    if (stats_status_supervised(stats_status_on(f, when[w].d)) && !stats_facts_complete(f)) return false;
  return true;
}

/* The 人户分离 side of the person provider's pass (the elsewhere provider's
 * slots, counted from the same rows: see "the elsewhere provider" below):
 * base -1 when neither the unit nor a child row has a division code. The
 * children's codes sorted by length, then code, for the household side of
 * the rows (kids[i].k: the row). */
typedef struct PsKid {
  const char *code;
  size_t len;
  int k;
} PsKid;

typedef struct PsEw {
  int base;
  const char *div; /* the unit's code, "" when none */
  size_t ndiv;
  PsKid *kids;
  int nkids;
} PsEw;

/* What one thread of a scan adds up: its own totals and rows, summed into
 * the job's at the end. */
typedef struct PsAcc {
  StatFacts f;
  int64_t org;
  int row;
  StatsFigures *total; /* [nwhen] */
  StatsFigures *rows;  /* [nrows], NULL when the job has none */
  bool corrupt;
} PsAcc;

/* The household side of one person for the elsewhere provider: f decoded
 * (at least in part), household hh; counted for the unit (every window)
 * when unit (and its code) is set and hh lies within its code, and for the
 * rows whose code holds hh (window 0); only the row only when only >= 0.
 * A person counts when supervised on D, in SE_HOME, and in SE_OUT when the
 * unit responsible on D is outside the unit (or the row). */
static void ew_home(const StatsJob *j, const PsEw *ew, const StatFacts *f, const char *hh, bool unit, int only,
                    StatsFigures *total, StatsFigures *rows) {
  size_t nh = strlen(hh);
  if (unit && ew->ndiv && nh >= ew->ndiv && memcmp(hh, ew->div, ew->ndiv) == 0) {
    for (int w = 0; w < j->nwhen; w++) {
      int64_t u = stats_unit_on(f, j->when[w].d);
      if (!u || !stats_status_supervised(stats_status_on(f, j->when[w].d))) continue;
      int64_t *v = &total[w].v[ew->base];
      v[SE_HOME]++;
      if (st_id_index(j, u) < 0) v[SE_OUT]++;
    }
  }
  if (!rows || !ew->nkids) return;
  int64_t u = -1;
  bool sup = false;
  /* the children whose code is a prefix of hh: per length, a binary search */
  for (int a = 0; a < ew->nkids;) {
    size_t len = ew->kids[a].len;
    int b = a;
    while (b < ew->nkids && ew->kids[b].len == len) b++;
    if (len <= nh) {
      int lo = a, hi = b;
      while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (memcmp(ew->kids[mid].code, hh, len) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (; lo < b && memcmp(ew->kids[lo].code, hh, len) == 0; lo++) {
        int k = ew->kids[lo].k;
        if (only >= 0 && k != only) continue;
        if (u < 0) {
          u = stats_unit_on(f, j->when[0].d);
          sup = u && stats_status_supervised(stats_status_on(f, j->when[0].d));
        }
        if (!sup) break;
        int64_t *v = &rows[k].v[ew->base];
        v[SE_HOME]++;
        if (st_row_of(j, u) != k) v[SE_OUT]++;
      }
    }
    a = b;
  }
}

/* The elsewhere provider's share of one row of the pass (kept under
 * org_id, its row `row`): the supervised side (SE_AWAY, counted under the
 * unit responsible on D: the unit, and for window 0 the row, when the
 * household lies outside its code) and, on the row under today's unit
 * (current), the household side (ew_home). */
static void ew_row(const StatsJob *j, const PsEw *ew, PsAcc *a, int64_t org_id, const char *hh, bool current) {
  const StatFacts *f = &a->f;
  for (int w = 0; w < j->nwhen; w++) {
    if (stats_unit_on(f, j->when[w].d) != org_id) continue;
    if (!stats_status_supervised(stats_status_on(f, j->when[w].d))) continue;
    if (division_relation(ew->div, hh) == 0) a->total[w].v[ew->base + SE_AWAY]++;
    if (w == 0 && a->rows && j->children && a->row >= 0 && division_relation(j->children[a->row].unit.division, hh) == 0)
      a->rows[a->row].v[ew->base + SE_AWAY]++;
  }
  if (current) ew_home(j, ew, f, hh, true, -1, a->total, a->rows);
}

/* Adds the person kept under org_id (facts blob, household hh, the row
 * under today's unit when current) to a. */
static void ps_add(const StatsJob *j, const PsEw *ew, PsAcc *a, int64_t org_id, const void *blob, size_t n,
                   const char *hh, bool current) {
  if (!ps_decode(blob, n, j->when, j->nwhen, &a->f)) {
    a->corrupt = true;
    return;
  }
  if (org_id != a->org) {
    a->org = org_id;
    a->row = st_row_of(j, org_id);
  }
  for (int w = 0; w < j->nwhen; w++) {
    if (stats_unit_on(&a->f, j->when[w].d) != org_id) continue; /* counted under its unit on D */
    StatPersonEval ev;
    stats_eval(&a->f, &j->when[w], &ev);
    int64_t *t = &a->total[w].v[j->base];
    for (int k = 0; k < SS__COUNT; k++) t[k] += ev.n[k];
    if (w == 0 && a->rows && a->row >= 0) {
      int64_t *r = &a->rows[a->row].v[j->base];
      for (int k = 0; k < SS__COUNT; k++) r[k] += ev.n[k];
    }
  }
  if (ew->base >= 0) ew_row(j, ew, a, org_id, hh, current);
}

/* A county is a million rows: the thread that reads them (SQLite, one
 * connection, one snapshot) copies them in batches and hands a batch to a
 * second thread when that one is idle, else adds it up itself; so the
 * decoding and evaluation run on two cores. A scan smaller than a batch
 * never starts the thread. */
#define PS_BATCH 4096

typedef struct PsBatch {
  int n;
  int64_t org[PS_BATCH];
  size_t off[PS_BATCH + 1];  /* the facts in bytes */
  size_t hoff[PS_BATCH];     /* the households (NUL-ended) in hh */
  bool current[PS_BATCH];
  Buf bytes, hh;
} PsBatch;

typedef struct PsScan {
  StatsJob *j;
  PsEw ew;
  PsAcc mine, theirs;    /* the reading thread's sums, the helper's */
  PsBatch batch[2];
  int filling;           /* the batch the reader fills */
  pthread_t helper;
  bool started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int given;             /* the batch handed to the helper, -1 when it is idle */
  bool done;
} PsScan;

static void ps_batch_add(const PsScan *s, PsAcc *a, PsBatch *b) {
  for (int i = 0; i < b->n; i++)
    ps_add(s->j, &s->ew, a, b->org[i], b->bytes.data + b->off[i], b->off[i + 1] - b->off[i], b->hh.data + b->hoff[i],
           b->current[i]);
  b->n = 0;
  buf_clear(&b->bytes);
  buf_clear(&b->hh);
}

static void *ps_helper(void *arg) {
  PsScan *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (s->given < 0 && !s->done) pthread_cond_wait(&s->cv, &s->mu);
    if (s->given < 0) break;
    int k = s->given;
    pthread_mutex_unlock(&s->mu);
    ps_batch_add(s, &s->theirs, &s->batch[k]);
    pthread_mutex_lock(&s->mu);
    s->given = -1;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static int ps_row(void *arg, int64_t org_id, int64_t person_id, const void *blob, size_t n, const char *hh,
                  bool current, Err *e) {
  (void)person_id;
  (void)e;
  PsScan *s = arg;
  PsBatch *b = &s->batch[s->filling];
  b->org[b->n] = org_id;
  b->off[b->n] = b->bytes.len;
  b->hoff[b->n] = b->hh.len;
  b->current[b->n] = current;
  buf_append(&b->bytes, blob, n);
  buf_append(&b->hh, hh, strlen(hh) + 1);
  b->off[++b->n] = b->bytes.len;
  if (b->n < PS_BATCH) return ERR_OK;
  if (!s->started) s->started = pthread_create(&s->helper, NULL, ps_helper, s) == 0;
  pthread_mutex_lock(&s->mu);
  bool idle = s->started && s->given < 0;
  if (idle) {
    s->given = s->filling;
    s->filling = 1 - s->filling;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  if (!idle) ps_batch_add(s, &s->mine, b); /* the helper is busy: add this one up here */
  return ERR_OK;
}

static void ps_acc_init(PsAcc *a, const StatsJob *j) {
  memset(a, 0, sizeof *a);
  a->org = -1;
  a->row = -1;
  a->total = calloc((size_t)j->nwhen, sizeof *a->total);
  a->rows = j->rows ? calloc((size_t)(j->nrows ? j->nrows : 1), sizeof *a->rows) : NULL;
  if (!a->total || (j->rows && !a->rows)) abort();
}

/* Adds slots [base, base + n) of a's sums into the job's. */
static void ps_acc_merge_slots(StatsJob *j, const PsAcc *a, int base, int n) {
  for (int w = 0; w < j->nwhen; w++)
    for (int k = 0; k < n; k++) j->total[w].v[base + k] += a->total[w].v[base + k];
  for (int r = 0; a->rows && r < j->nrows; r++)
    for (int k = 0; k < n; k++) j->rows[r].v[base + k] += a->rows[r].v[base + k];
}

/* Adds a's sums into the job's (the elsewhere provider's slots too when
 * counted), frees a. */
static void ps_acc_merge(StatsJob *j, const PsEw *ew, PsAcc *a) {
  ps_acc_merge_slots(j, a, j->base, SS__COUNT);
  if (ew->base >= 0) ps_acc_merge_slots(j, a, ew->base, SE__COUNT);
  stats_facts_free(&a->f);
  free(a->total);
  free(a->rows);
}

/* qsort order of PsKid: by length, then code. */
static int ps_kid_cmp(const void *x, const void *y) {
  const PsKid *a = x, *b = y;
  if (a->len != b->len) return a->len < b->len ? -1 : 1;
  return strcmp(a->code, b->code);
}

/* Whether the unit or one of its child rows has a division code: without
 * one every figure of the elsewhere provider is 0 (division_relation). */
static bool ew_any_division(const StatsJob *j) {
  if (j->unit->division[0]) return true;
  for (int k = 0; j->rows && j->children && k < j->nrows; k++)
    if (j->children[k].unit.division[0]) return true;
  return false;
}

/* Fills ew for job j (ew->kids malloc'd: ps_ew_free). */
static void ps_ew_init(const StatsJob *j, PsEw *ew) {
  memset(ew, 0, sizeof *ew);
  ew->base = -1;
  int base = 0;
  if (!ew_any_division(j) || st_provider("elsewhere", &base) < 0) return;
  ew->base = base;
  ew->div = j->unit->division;
  ew->ndiv = strlen(ew->div);
  if (!j->rows || !j->children) return;
  ew->kids = malloc(sizeof *ew->kids * (size_t)(j->nrows ? j->nrows : 1));
  if (!ew->kids) abort();
  for (int k = 0; k < j->nrows; k++)
    if (j->children[k].unit.division[0])
      ew->kids[ew->nkids++] = (PsKid){j->children[k].unit.division, strlen(j->children[k].unit.division), k};
  qsort(ew->kids, (size_t)ew->nkids, sizeof *ew->kids, ps_kid_cmp);
}

static void ps_ew_free(PsEw *ew) {
  free(ew->kids);
  ew->kids = NULL;
}

static int ew_outside(StatsJob *j, const PsEw *ew, Err *e);

static int person_figures(StatsJob *j, Err *e) {
  PsScan *s = calloc(1, sizeof *s);
  if (!s) abort();
  s->j = j;
  s->given = -1;
  ps_ew_init(j, &s->ew);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  ps_acc_init(&s->mine, j);
  ps_acc_init(&s->theirs, j);
  int rc = store_stats_scan_households(j->c->db, j->unit->path, ps_row, s, e);
  ps_batch_add(s, &s->mine, &s->batch[s->filling]); /* the last, partial batch */
  if (s->started) {
    pthread_mutex_lock(&s->mu);
    s->done = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->helper, NULL);
  }
  bool corrupt = s->mine.corrupt || s->theirs.corrupt;
  ps_acc_merge(j, &s->ew, &s->mine);
  ps_acc_merge(j, &s->ew, &s->theirs);
  for (int k = 0; k < 2; k++) {
    buf_reset(&s->batch[k].bytes);
    buf_reset(&s->batch[k].hh);
  }
  if (rc == ERR_OK && corrupt) rc = err_set(e, ERR_INTERNAL, M_CORRUPT);
  if (rc == ERR_OK && s->ew.base >= 0) rc = ew_outside(j, &s->ew, e);
  ps_ew_free(&s->ew);
  pthread_cond_destroy(&s->cv);
  pthread_mutex_destroy(&s->mu);
  free(s);
  return rc;
}

/* The scan of the persons behind one slot. */
typedef struct PersonScan {
  StatFacts f;
  const StatWhen *when;
  int slot;
  StatsHits *hits;
} PersonScan;

/* qsort/bsearch order of int64_t ids. */
static int st_id_cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Whether a hit whose unit today is now_org is listed to the actor of h
 * (h->mine: the actor's units' ids, sorted). */
static bool st_hit_visible(const StatsHits *h, int64_t now_org) {
  return bsearch(&now_org, h->mine, (size_t)h->nmine, sizeof *h->mine, st_id_cmp) != NULL;
}

/* What person_hit returns to end the scan early (not an ErrCode). */
#define PS_STOP (-1)

static int person_hit(void *arg, int64_t org_id, int64_t person_id, const void *blob, size_t n, Err *e) {
  PersonScan *s = arg;
  if (!ps_decode(blob, n, s->when, 1, &s->f)) return err_set(e, ERR_INTERNAL, M_CORRUPT);
  if (stats_unit_on(&s->f, s->when->d) != org_id) return ERR_OK;
  StatPersonEval ev;
  stats_eval(&s->f, s->when, &ev);
  if (!ev.n[s->slot]) return ERR_OK;
  StatsHits *h = s->hits;
  h->v = array_grow(h->v, h->n, &h->cap, sizeof *h->v);
  h->v[h->n++] = (StatsHit){person_id, org_id, s->f.nunits ? s->f.units[s->f.nunits - 1].org_id : 0,
                            ev.n[s->slot], ev.status};
  if (h->want && st_hit_visible(h, h->v[h->n - 1].now_org) && ++h->visible >= h->want) {
    h->stopped = true;
    return PS_STOP;
  }
  return ERR_OK;
}

/* The persons behind one slot: a slot only marked persons can count in
 * (core/stats.h stats_slot_mark) reads the rows carrying the mark alone. */
static int person_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e) {
  PersonScan s = {.when = when, .slot = slot, .hits = out};
  const StatsPos *p = out->pos;
  int rc = p ? store_stats_scan_from(c->db, unit->path, stats_slot_mark(slot), p->path, p->org, p->person, p->backward,
                                     person_hit, &s, e)
             : store_stats_scan_marked(c->db, unit->path, stats_slot_mark(slot), person_hit, &s, e);
  stats_facts_free(&s.f);
  return rc == PS_STOP ? ERR_OK : rc;
}

/* ---- the service provider (casework) ------------------------------------------------ */

/* The services of window w in the subtree of path (store_service_facts). */
static int sv_facts(Ctx *c, const char *path, const StatWhen *w, ServiceFact **out, int *n, Err *e) {
  char f[DATE_ISO_LEN], t[DATE_ISO_LEN], d[DATE_ISO_LEN];
  date_format(w->f, f);
  date_format(w->t, t);
  date_format(w->d, d);
  return store_service_facts(c->db, path, f, t, d, out, n, e);
}

/* What a service adds to slot k. */
static bool sv_in_slot(const ServiceFact *s, int k) {
  return k == SV_SLOT_TOTAL || k == SV_SLOT_KIND0 + s->kind || k == SV_SLOT_STATE0 + s->state;
}

static int service_figures(StatsJob *j, Err *e) {
  for (int w = 0; w < j->nwhen; w++) {
    ServiceFact *v = NULL;
    int n = 0;
    if (sv_facts(j->c, j->unit->path, &j->when[w], &v, &n, e) != ERR_OK) return e->code;
    for (int i = 0; i < n; i++) {
      int64_t *tot = j->total[w].v + j->base;
      tot[SV_SLOT_TOTAL]++;
      tot[SV_SLOT_KIND0 + v[i].kind]++;
      tot[SV_SLOT_STATE0 + v[i].state]++;
      int row = w == 0 && j->rows ? st_row_of(j, v[i].org_id) : -1;
      if (row >= 0) {
        int64_t *rv = j->rows[row].v + j->base;
        rv[SV_SLOT_TOTAL]++;
        rv[SV_SLOT_KIND0 + v[i].kind]++;
        rv[SV_SLOT_STATE0 + v[i].state]++;
      }
    }
    free(v);
  }
  return ERR_OK;
}

static int service_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e) {
  ServiceFact *v = NULL;
  int n = 0;
  if (sv_facts(c, unit->path, when, &v, &n, e) != ERR_OK) return e->code;
  for (int i = 0; i < n; i++) {
    if (!sv_in_slot(&v[i], slot)) continue;
    out->v = array_grow(out->v, out->n, &out->cap, sizeof *out->v);
    out->v[out->n++] = (StatsHit){v[i].person_id, v[i].org_id, v[i].now_org, 1, ST_NONE};
  }
  free(v);
  return ERR_OK;
}


/* ---- the elsewhere provider (人户分离, issue 9) ------------------------------------------ *
 * Who is supervised where against where their household is (core/division.h):
 * SE_AWAY counts, in the unit responsible on D, the supervised persons whose
 * household division lies outside the unit's code; SE_OUT and SE_HOME count,
 * for a unit with a code, the persons whose household lies within it that
 * are supervised on D outside the unit's subtree, and anywhere. A unit
 * without a division code counts nothing. The household is the one recorded
 * today (person.household_division; its changes are kept in the file's
 * revisions, not as a dated history). Persons of the household side
 * supervised outside the caller's scope are counted and never listed: the
 * items answer gives their number only (app_stats_items: outside_scope), as
 * the Drug Rehabilitation Regulations (《戒毒条例》第七条: the personal
 * information of persons in rehabilitation is kept confidential) and the
 * Personal Information Protection Law (《个人信息保护法》第六条: no more than
 * the purpose needs) require of a county that is not responsible for them. */

/* The provider's figures are counted by the person provider's one pass
 * over the subtree's facts rows, each carrying the person's household
 * (stat_person.household_division) and whether it is the row under today's
 * unit (is_current): the supervised side from every row, the household
 * side from the current rows (ew_row). What that pass cannot see are the
 * persons of the household side whose unit today lies outside the subtree:
 * their current rows are read through the index stat_person_household
 * (ew_outside, after the pass). */
static int elsewhere_figures(StatsJob *j, Err *e) {
  (void)j;
  (void)e;
  return ERR_OK; /* counted with the person provider (person_figures) */
}

/* The household side of the persons whose unit today lies outside the job's subtree. */
typedef struct EwOut {
  StatsJob *j;
  const PsEw *ew;
  StatFacts f;
  bool unit;        /* count the unit's side */
  int only;         /* the row counted (-1: every row whose code holds the household) */
  StatsFigures *rows; /* NULL: no row counted */
  bool corrupt;
} EwOut;

static int ew_out_row(void *arg, int64_t org_id, int64_t person_id, const void *blob, size_t n, const char *hh,
                      bool current, Err *e) {
  (void)org_id;
  (void)person_id;
  (void)current;
  (void)e;
  EwOut *s = arg;
  if (!stats_facts_decode(blob, n, &s->f, false)) {
    s->corrupt = true;
    return ERR_OK;
  }
  ew_home(s->j, s->ew, &s->f, hh, s->unit, s->only, s->j->total, s->rows);
  return ERR_OK;
}

/* The household side of the persons kept today outside the subtree: one
 * read of the unit's code range when every coded row's code lies within
 * the unit's (so for any tree whose codes are set as core/division.h
 * says), else one for the unit and one per coded row. */
static int ew_outside(StatsJob *j, const PsEw *ew, Err *e) {
  bool nested = ew->ndiv > 0;
  for (int i = 0; nested && i < ew->nkids; i++)
    nested = ew->kids[i].len >= ew->ndiv && memcmp(ew->kids[i].code, ew->div, ew->ndiv) == 0;
  EwOut s = {.j = j, .ew = ew, .unit = true, .only = -1, .rows = nested ? j->rows : NULL};
  int rc = ERR_OK;
  if (ew->ndiv) rc = store_stats_scan_household_outside(j->c->db, ew->div, j->unit->path, ew_out_row, &s, e);
  for (int i = 0; rc == ERR_OK && !nested && i < ew->nkids; i++) {
    s.unit = false;
    s.only = ew->kids[i].k;
    s.rows = j->rows;
    rc = store_stats_scan_household_outside(j->c->db, ew->kids[i].code, j->unit->path, ew_out_row, &s, e);
  }
  stats_facts_free(&s.f);
  if (rc == ERR_OK && s.corrupt) rc = err_set(e, ERR_INTERNAL, M_CORRUPT);
  return rc;
}

/* The scan of the persons behind a slot. */
typedef struct EwScan {
  StatsJob *j;
  StatFacts f;
  const StatWhen *when;
  int slot;
  StatsHits *hits;
  const OrgUnit *unit;
} EwScan;

/* true when unit org lies in the job's subtree. */
static bool ew_in_subtree(const StatsJob *j, int64_t org) { return st_id_index(j, org) >= 0; }

/* The persons behind a slot of the elsewhere provider. */
static int ew_hit(void *arg, int64_t org_id, int64_t person_id, const void *blob, size_t n, const char *hh,
                  bool current, Err *e) {
  (void)current;
  EwScan *s = arg;
  if (!stats_facts_decode(blob, n, &s->f, false)) return err_set(e, ERR_INTERNAL, M_CORRUPT);
  int64_t u = stats_unit_on(&s->f, s->when->d);
  if (!u || !stats_status_supervised(stats_status_on(&s->f, s->when->d))) return ERR_OK;
  if (s->slot == SE_AWAY) {
    if (u != org_id || division_relation(s->unit->division, hh) != 0) return ERR_OK;
  } else if (s->slot == SE_OUT) {
    if (ew_in_subtree(s->j, u)) return ERR_OK;
  }
  StatsHits *h = s->hits;
  h->v = array_grow(h->v, h->n, &h->cap, sizeof *h->v);
  h->v[h->n++] = (StatsHit){person_id, u, s->f.nunits ? s->f.units[s->f.nunits - 1].org_id : 0, 1,
                            stats_status_on(&s->f, s->when->d)};
  return ERR_OK;
}

static int elsewhere_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e) {
  int64_t *ids = NULL;
  int *rows = NULL, nids = 0;
  if (st_rows(c, unit, NULL, 0, &ids, &rows, &nids, e) != ERR_OK) return e->code;
  StatsJob j = {.c = c, .unit = unit, .when = when, .nwhen = 1, .ids = ids, .row = rows, .nids = nids};
  EwScan s = {.j = &j, .when = when, .slot = slot, .hits = out, .unit = unit};
  int rc = slot == SE_AWAY ? store_stats_scan_households(c->db, unit->path, ew_hit, &s, e)
           : unit->division[0] ? store_stats_scan_household_of(c->db, unit->division, ew_hit, &s, e)
                               : ERR_OK;
  stats_facts_free(&s.f);
  free(ids);
  free(rows);
  return rc;
}

/* ---- the request ---------------------------------------------------------------- */

/* A day from optional text: def when s is NULL or "", else s parsed (a
 * field error of key when it is no date). */
static Day st_day(const char *s, const char *key, Day def, Err *e) {
  Day d = def;
  if (s && *s && !date_parse(s, &d)) err_field(e, key, STATS_M_DATE);
  return d;
}

/* The kind of a custom period that is in fact a calendar one (2026-04-01 to
 * 2026-06-30: a quarter), so that the period before is the quarter before. */
static void st_calendar_kind(StatPeriod *p) {
  static const StatPeriodKind kinds[] = {SP_MONTH, SP_QUARTER, SP_HALF, SP_YEAR};
  static const int months[] = {1, 3, 6, 12};
  int y, m, d;
  date_to_ymd(p->f, &y, &m, &d);
  if (d != 1) return;
  for (int i = 0; i < 4; i++)
    if ((m - 1) % months[i] == 0 && date_add_months(p->f, months[i]) - 1 == p->t) {
      p->kind = kinds[i];
      return;
    }
}

int app_stats_window(Ctx *c, const StatsQuery *q, OrgUnit *unit, StatsWindow *w, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  memset(w, 0, sizeof *w);
  w->d = st_day(q->date, "date", c->today, e);
  bool has_period = q->period && *q->period, has_dates = (q->from && *q->from) || (q->to && *q->to);
  if (has_period && has_dates) err_field(e, "period", STATS_M_PERIOD_AND_DATES);
  else if (has_period && !stats_period_parse(q->period, &w->p)) err_field(e, "period", STATS_M_PERIOD);
  else if (!has_period) {
    int y, m, d;
    date_to_ymd(w->d, &y, &m, &d);
    w->p.kind = SP_CUSTOM;
    w->p.t = st_day(q->to, "to", w->d, e);
    date_to_ymd(w->p.t, &y, &m, &d);
    w->p.f = st_day(q->from, "from", date_from_ymd(y, 1, 1), e);
    if (!err_field_msg(e, "from") && !err_field_msg(e, "to") && w->p.t < w->p.f) err_field(e, "to", STATS_M_TO_BEFORE_FROM);
    st_calendar_kind(&w->p);
  }
  return stats_unit_step(c, q->org, unit, e);
}

int stats_unit_step(Ctx *c, const char *code, OrgUnit *unit, Err *e) {
  Err oe;
  err_clear(&oe);
  if (code && *code) {
    int rc = store_org_by_code(c->db, code, unit, &oe);
    if (rc == ERR_NOT_FOUND) err_field(e, "org", M_ORG_UNKNOWN);
    else if (rc != ERR_OK) return err_set(e, oe.code, oe.msg);
  } else if (store_org_by_id(c->db, c->actor->org_id, unit, &oe) != ERR_OK) {
    return err_set(e, oe.code, oe.msg);
  }
  if (e->code != ERR_OK) return e->code;
  if (!actor_in_scope(c->actor, unit->path)) return err_set(e, ERR_NOT_FOUND, M_ORG_SCOPE);
  return ERR_OK;
}

/* ---- the table --------------------------------------------------------------------- */

/* Every unit of unit's subtree with the child row holding it (children
 * ordered as given): *ids ascending, *rows beside them; malloc'd. */
static int st_rows(Ctx *c, const OrgUnit *unit, const StatsRow *children, int nchildren, int64_t **ids, int **rows,
                   int *n, Err *e) {
  OrgUnit *all = NULL;
  int nall = 0;
  if (store_org_list_scope(c->db, unit->path, &all, &nall, e) != ERR_OK) return e->code;
  /* sort by id (insertion into place: a county holds a few thousand units) */
  int64_t *iv = malloc(sizeof *iv * (size_t)(nall ? nall : 1));
  int *rv = malloc(sizeof *rv * (size_t)(nall ? nall : 1));
  if (!iv || !rv) abort();
  for (int i = 0; i < nall; i++) {
    int r = -1;
    for (int k = 0; k < nchildren && r < 0; k++)
      if (strncmp(all[i].path, children[k].unit.path, strlen(children[k].unit.path)) == 0) r = k;
    int j = i;
    while (j > 0 && iv[j - 1] > all[i].id) {
      iv[j] = iv[j - 1];
      rv[j] = rv[j - 1];
      j--;
    }
    iv[j] = all[i].id;
    rv[j] = r;
  }
  free(all);
  *ids = iv;
  *rows = rv;
  *n = nall;
  return ERR_OK;
}

/* ---- the prevention providers (activities, surveys) -------------------------------- */

/* The slots of one record of unit org added by add (v: the provider's
 * slots of a StatsFigures) to window w's total and, for window 0, to its
 * row's. */
static void pr_add(StatsJob *j, int w, int64_t org, const int64_t *v, int nslots) {
  for (int k = 0; k < nslots; k++) j->total[w].v[j->base + k] += v[k];
  int row = w == 0 && j->rows ? st_row_of(j, org) : -1;
  for (int k = 0; row >= 0 && k < nslots; k++) j->rows[row].v[j->base + k] += v[k];
}

/* The most windows a table asks at once (the trend's months). */
#define STATS_WINDOWS_MAX STATS_TREND_MONTHS

/* One read of a prevention provider's records: the windows whose periods
 * it covers (w[0..nw), their [F, T] as ISO text), each record's slots
 * added to every one of them whose period holds its date. */
typedef struct PvRead {
  StatsJob *j;
  bool survey;
  int w[STATS_WINDOWS_MAX];
  char f[STATS_WINDOWS_MAX][DATE_ISO_LEN], t[STATS_WINDOWS_MAX][DATE_ISO_LEN];
  int nw;
} PvRead;

static ErrCode pv_record(void *arg, const void *rec, Err *e) {
  (void)e;
  PvRead *r = arg;
  int64_t s[(int)AS__COUNT > (int)SVS__COUNT ? (int)AS__COUNT : (int)SVS__COUNT] = {0};
  const char *date;
  int64_t org;
  if (r->survey) {
    const SurveyFact *x = rec;
    prevention_survey_slots(x->group, x->respondents, x->aware, x->target, s);
    date = x->date, org = x->org_id;
  } else {
    const ActivityFact *x = rec;
    prevention_activity_slots(x->kind, x->settings, x->participants, x->consultations, x->materials, s);
    date = x->date, org = x->org_id;
  }
  for (int i = 0; i < r->nw; i++)
    if (strcmp(r->f[i], date) <= 0 && strcmp(date, r->t[i]) <= 0)
      pr_add(r->j, r->w[i], org, s, r->survey ? SVS__COUNT : AS__COUNT);
  return ERR_OK;
}

/* The current records of a prevention provider (surveys when survey, else
 * activities) dated in each window's [F, T], their slots (core/prevention.h
 * prevention_activity_slots, prevention_survey_slots) added by unit. The
 * windows whose periods overlap or touch are read at once (the county's
 * year, the period before and the year before: two years, not three),
 * each record handed over as it is read (a county's year is a million
 * records: no array of them). */
static int pv_figures(StatsJob *j, bool survey, Err *e) {
  assert(j->nwhen <= STATS_WINDOWS_MAX);
  int order[STATS_WINDOWS_MAX];
  for (int w = 0; w < j->nwhen; w++) { /* by F (insertion: a few windows) */
    int k = w;
    while (k > 0 && j->when[order[k - 1]].f > j->when[w].f) {
      order[k] = order[k - 1];
      k--;
    }
    order[k] = w;
  }
  for (int a = 0; a < j->nwhen;) {
    PvRead r = {.j = j, .survey = survey};
    Day f = j->when[order[a]].f, t = j->when[order[a]].t;
    int b = a;
    for (; b < j->nwhen && j->when[order[b]].f <= t + 1; b++) {
      int w = order[b];
      if (j->when[w].t > t) t = j->when[w].t;
      r.w[r.nw] = w;
      date_format(j->when[w].f, r.f[r.nw]);
      date_format(j->when[w].t, r.t[r.nw]);
      r.nw++;
    }
    char fs[DATE_ISO_LEN], ts[DATE_ISO_LEN];
    date_format(f, fs);
    date_format(t, ts);
    DbEach each = {pv_record, &r};
    int rc = survey ? store_survey_facts(j->c->db, j->unit->path, fs, ts, &each, e)
                    : store_activity_facts(j->c->db, j->unit->path, fs, ts, &each, e);
    if (rc != ERR_OK) return rc;
    a = b;
  }
  return ERR_OK;
}

static int activity_figures(StatsJob *j, Err *e) { return pv_figures(j, false, e); }
static int survey_figures(StatsJob *j, Err *e) { return pv_figures(j, true, e); }

/* The records behind a ledger's number are its list (/activities,
 * /surveys with the same unit and period), not persons. */
static int record_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e) {
  (void)c, (void)unit, (void)when, (void)slot, (void)out;
  return err_field(e, "measure", "这个指标没有人员明细，请查看对应台账");
}

/* ---- the letter provider (责任书: letters and the signers required) ---------------- */

/* The letters and the required signers of the subtree of unit for year
 * (*letters, *needs malloc'd: free()). */
static int lp_load(Ctx *c, const OrgUnit *unit, int year, LetterRow **letters, int *nl, LetterNeedRow **needs,
                   int *nn, Err *e) {
  int64_t total = 0;
  LetterFilter f = {unit->path, year, NULL, INT32_MAX, 0, NULL};
  *needs = NULL;
  *nn = 0;
  if (store_letter_list(c->db, &f, letters, nl, &total, e) != ERR_OK) return e->code;
  return store_letter_required_list(c->db, unit->path, year, NULL, needs, nn, e);
}

/* The year of a window's T. */
static int lp_year(const StatWhen *w) {
  int y, m, d;
  date_to_ymd(w->t, &y, &m, &d);
  return y;
}

/* Letters for year(T) signed by D and the signers required for year(T)
 * (core/ledger.h letter_slots, letter_need_slots), by issuing unit; one
 * read per distinct year of the windows. */
static int letter_figures(StatsJob *j, Err *e) {
  for (int w = 0; w < j->nwhen; w++) {
    int year = lp_year(&j->when[w]);
    bool seen = false;
    for (int k = 0; k < w; k++) seen = seen || lp_year(&j->when[k]) == year;
    if (seen) continue;
    LetterRow *lv = NULL;
    LetterNeedRow *nv = NULL;
    int nl = 0, nn = 0;
    if (lp_load(j->c, j->unit, year, &lv, &nl, &nv, &nn, e) != ERR_OK) {
      free(lv);
      free(nv);
      return e->code;
    }
    for (int x = w; x < j->nwhen; x++) {
      if (lp_year(&j->when[x]) != year) continue;
      char d[DATE_ISO_LEN];
      date_format(j->when[x].d, d);
      for (int i = 0; i < nl; i++) {
        int64_t v[LS__COUNT] = {0};
        letter_slots(lv[i].year, lv[i].signed_date, year, d, v);
        pr_add(j, x, lv[i].org_id, v, LS__COUNT);
      }
      for (int i = 0; i < nn; i++) {
        int64_t v[LS__COUNT] = {0};
        letter_need_slots(nv[i].year, nv[i].letter_id > 0 ? nv[i].signed_date : NULL, year, d, v);
        pr_add(j, x, nv[i].org_id, v, LS__COUNT);
      }
    }
    free(lv);
    free(nv);
  }
  return ERR_OK;
}

/* The letters and required signers behind the numbers of one window: its
 * year(T) and day D (ISO), the rows of lp_load; lp_open fills it (rows NULL
 * on an error), lp_close frees the rows. */
typedef struct LpSet {
  int year;
  char d[DATE_ISO_LEN];
  LetterRow *lv;
  LetterNeedRow *nv;
  int nl, nn;
} LpSet;

static int lp_open(Ctx *c, const OrgUnit *unit, const StatWhen *when, LpSet *s, Err *e) {
  memset(s, 0, sizeof *s);
  s->year = lp_year(when);
  date_format(when->d, s->d);
  return lp_load(c, unit, s->year, &s->lv, &s->nl, &s->nv, &s->nn, e);
}

static void lp_close(LpSet *s) {
  free(s->lv);
  free(s->nv);
}

/* What the items of a slot are: letters, or required signers. */
static const char *letter_records(int slot) { return slot == LS_LETTERS ? "letter" : "letter_required"; }

/* Appends a hit for record id of unit org. */
static void lp_hit(StatsHits *out, int64_t id, int64_t org) {
  out->v = array_grow(out->v, out->n, &out->cap, sizeof *out->v);
  out->v[out->n++] = (StatsHit){id, org, org, 1, ST_NONE};
}

/* The letters (LS_LETTERS) or required signers (LS_REQUIRED, and of them
 * LS_REQUIRED_SIGNED) behind a number, in the order of the ledger's lists. */
static int letter_items(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsHits *out, Err *e) {
  LpSet ls;
  int rc = lp_open(c, unit, when, &ls, e);
  for (int i = 0; rc == ERR_OK && slot == LS_LETTERS && i < ls.nl; i++) {
    int64_t v[LS__COUNT] = {0};
    letter_slots(ls.lv[i].year, ls.lv[i].signed_date, ls.year, ls.d, v);
    if (v[slot] > 0) lp_hit(out, ls.lv[i].id, ls.lv[i].org_id);
  }
  for (int i = 0; rc == ERR_OK && slot != LS_LETTERS && i < ls.nn; i++) {
    const LetterNeedRow *r = &ls.nv[i];
    int64_t v[LS__COUNT] = {0};
    letter_need_slots(r->year, r->letter_id > 0 ? r->signed_date : NULL, ls.year, ls.d, v);
    if (v[slot] > 0) lp_hit(out, r->id, r->org_id);
  }
  lp_close(&ls);
  return rc;
}

/* The record fields of the page's items: kind, signer, signed date (by D;
 * "" when not signed by then) and the letter's page. */
static int letter_describe(Ctx *c, const OrgUnit *unit, const StatWhen *when, int slot, StatsItem *items, int n,
                           Err *e) {
  LpSet ls;
  int rc = lp_open(c, unit, when, &ls, e);
  for (int k = 0; rc == ERR_OK && k < n; k++) {
    StatsItem *it = &items[k];
    for (int i = 0; slot == LS_LETTERS && i < ls.nl; i++) {
      const LetterRow *l = &ls.lv[i];
      if (l->id != it->person_id) continue;
      const char *kind = unit_term_label(letter_kind_vocab, l->kind);
      str_copy(it->rec_kind, sizeof it->rec_kind, kind ? kind : l->kind);
      str_copy(it->rec_name, sizeof it->rec_name, l->signer_name);
      str_copy(it->rec_date, sizeof it->rec_date, l->signed_date);
      it->rec_letter = l->id;
    }
    for (int i = 0; slot != LS_LETTERS && i < ls.nn; i++) {
      const LetterNeedRow *r = &ls.nv[i];
      if (r->id != it->person_id) continue;
      const char *kind = unit_term_label(letter_kind_vocab, r->kind);
      bool by_d = r->letter_id > 0 && strcmp(r->signed_date, ls.d) <= 0;
      str_copy(it->rec_kind, sizeof it->rec_kind, kind ? kind : r->kind);
      str_copy(it->rec_name, sizeof it->rec_name, r->signer_name);
      str_copy(it->rec_date, sizeof it->rec_date, by_d ? r->signed_date : "");
      it->rec_letter = by_d ? r->letter_id : 0;
    }
  }
  lp_close(&ls);
  return rc;
}

/* Runs every provider for the windows `when` over unit (rows: NULL, or the
 * children's figures of window 0). */
static int st_figures(Ctx *c, const OrgUnit *unit, const StatWhen *when, int nwhen, StatsFigures *total,
                      StatsRow *children, int nchildren, Err *e) {
  int64_t *ids = NULL;
  int *rows = NULL, nids = 0;
  if (st_rows(c, unit, children, nchildren, &ids, &rows, &nids, e) != ERR_OK) return e->code;
  StatsFigures *rf = children && nchildren ? calloc((size_t)nchildren, sizeof *rf) : NULL;
  int rc = ERR_OK;
  for (int i = 0, base = 0; i < NPROVIDERS && rc == ERR_OK; base += PROVIDERS[i++].nslots) {
    StatsJob j = {c, unit, when, nwhen, ids, rows, nids, total, rf, nchildren, base, children};
    rc = PROVIDERS[i].figures(&j, e);
  }
  for (int k = 0; rf && k < nchildren; k++) children[k].f = rf[k];
  free(rf);
  free(ids);
  free(rows);
  return rc;
}

/* The StatWhen of a window. */
static StatWhen st_when(const StatsWindow *w) { return (StatWhen){w->d, w->p.f, w->p.t}; }

int stats_figures_step(Ctx *c, const OrgUnit *unit, const StatsWindow *w, StatsFigures *total, StatsRow *children,
                       int nchildren, Err *e) {
  StatWhen when = st_when(w);
  memset(total, 0, sizeof *total);
  return st_figures(c, unit, &when, 1, total, children, nchildren, e);
}

int app_stats_table(Ctx *c, const StatsQuery *q, bool compare, StatsTable *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_stats_window(c, q, &out->unit, &out->now, e) != ERR_OK) return e->code;
  out->previous.p = out->year_ago.p = out->now.p;
  stats_period_previous(&out->now.p, &out->previous.p);
  stats_period_year_ago(&out->now.p, &out->year_ago.p);
  out->previous.d = stats_period_shift_day(&out->now.p, &out->previous.p, out->now.d);
  out->year_ago.d = stats_period_shift_day(&out->now.p, &out->year_ago.p, out->now.d);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  OrgUnit *kids = NULL;
  int nkids = 0;
  int rc = store_org_children(c->db, out->unit.id, &kids, &nkids, e);
  if (rc == ERR_OK && nkids) {
    out->children = calloc((size_t)nkids, sizeof *out->children);
    if (!out->children) abort();
    out->nchildren = nkids;
    for (int i = 0; i < nkids; i++) out->children[i].unit = kids[i];
  }
  free(kids);
  StatWhen when[3] = {st_when(&out->now), st_when(&out->previous), st_when(&out->year_ago)};
  StatsFigures total[3];
  memset(total, 0, sizeof total);
  if (rc == ERR_OK) rc = st_figures(c, &out->unit, when, compare ? 3 : 1, total, out->children, out->nchildren, e);
  out->total = total[0];
  out->total_previous = total[1];
  out->total_year_ago = total[2];
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) app_stats_table_free(out);
  return rc;
}

void app_stats_table_free(StatsTable *t) {
  free(t->children);
  t->children = NULL;
  t->nchildren = 0;
}

/* ---- the persons behind a number ---------------------------------------------------- */

/* Counts a hidden person under unit org (responsible on D) in out->hidden_units. */
static int st_hidden_unit(Ctx *c, StatsItems *out, int64_t org, Err *e) {
  OrgUnit u;
  if (store_org_by_id(c->db, org, &u, e) != ERR_OK) return e->code;
  for (int i = 0; i < out->nhidden_units; i++)
    if (strcmp(out->hidden_units[i].code, u.code) == 0) {
      out->hidden_units[i].count++;
      return ERR_OK;
    }
  out->hidden_units = realloc(out->hidden_units, sizeof *out->hidden_units * (size_t)(out->nhidden_units + 1));
  if (!out->hidden_units) abort();
  struct StatsUnitCount *x = &out->hidden_units[out->nhidden_units++];
  str_copy(x->code, sizeof x->code, u.code);
  str_copy(x->name, sizeof x->name, u.name);
  x->count = 1;
  return ERR_OK;
}

/* Parses position text ("ORG.PERSON": two ids) into *p (org and person,
 * backward as given); false when it is not one. */
static bool st_pos_parse(const char *text, bool backward, StatsPos *p) {
  memset(p, 0, sizeof *p);
  p->backward = backward;
  char *end = NULL;
  long long org = strtoll(text, &end, 10);
  if (end == text || *end != '.' || org <= 0) return false;
  const char *t = end + 1;
  long long person = strtoll(t, &end, 10);
  if (end == t || *end || person <= 0 || *text < '0' || *text > '9' || *t < '0' || *t > '9') return false;
  p->org = org;
  p->person = person;
  return true;
}

/* The position text of a hit into out (48 bytes). */
static void st_pos_text(const StatsHit *h, char out[48]) {
  snprintf(out, 48, "%lld.%lld", (long long)h->org_id, (long long)h->person_id);
}

/* The persons behind a number (app_stats_items, app_stats_items_page): all
 * of them when full, else until the page and one more visible are found;
 * from position after or before when one is given (not full). */
static int st_items(Ctx *c, const StatsQuery *q, const char *measure, const char *part, int page, int per_page,
                    bool full, const char *after, const char *before, StatsItems *out, Err *e) {
  memset(out, 0, sizeof *out);
  const StatMeasure *m = stats_measure_by_key(measure);
  int base = 0, pi = m ? st_provider(m->provider, &base) : -1;
  if (pi < 0) err_field(e, "measure", M_MEASURE);
  bool den = part && strcmp(part, "den") == 0;
  if (part && *part && !den && strcmp(part, "num") != 0) err_field(e, "part", M_PART);
  else if (den && m && m->kind == SM_COUNT) err_field(e, "part", M_PART_COUNT);
  /* a position: the person provider reads from it; others have none */
  const char *postext = after && *after ? after : before && *before ? before : NULL;
  const char *poskey = after && *after ? "after" : "before";
  StatsPos pos;
  if (postext && (full || pi < 0 || PROVIDERS[pi].items != person_items || !st_pos_parse(postext, postext == before, &pos)))
    err_field(e, poskey, STATS_M_POSITION);
  if (app_stats_window(c, q, &out->unit, &out->w, e) != ERR_OK) return e->code;
  if (postext) {
    OrgUnit pu;
    Err pe;
    err_clear(&pe);
    int prc = store_org_by_id(c->db, pos.org, &pu, &pe);
    if (prc == ERR_NOT_FOUND || (prc == ERR_OK && strncmp(pu.path, out->unit.path, strlen(out->unit.path)) != 0))
      return err_field(e, poskey, STATS_M_POSITION);
    if (prc != ERR_OK) return err_set(e, pe.code, pe.msg);
    str_copy(pos.path, sizeof pos.path, pu.path);
    out->keyed = true;
  }
  out->measure = m;
  out->den = den;
  out->record = pi >= 0 && PROVIDERS[pi].records ? PROVIDERS[pi].records(den ? m->den : m->num) : NULL;
  out->page = page < 1 ? 1 : page;
  out->per_page = per_page < 1 ? 50 : per_page > STATS_ITEMS_MAX ? STATS_ITEMS_MAX : per_page;
  StatWhen when = st_when(&out->w);
  StatsHits hits = {0};
  OrgUnit *units = NULL, *mine = NULL;
  int nunits = 0, nmine = 0;
  int64_t *mine_ids = NULL;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_org_list_scope(c->db, c->actor->org_path, &mine, &nmine, e);
  if (rc == ERR_OK) {
    /* visible: today's unit within the actor's scope */
    mine_ids = malloc(sizeof *mine_ids * (size_t)(nmine ? nmine : 1));
    if (!mine_ids) abort();
    for (int i = 0; i < nmine; i++) mine_ids[i] = mine[i].id;
    qsort(mine_ids, (size_t)nmine, sizeof *mine_ids, st_id_cmp);
    hits.mine = mine_ids;
    hits.nmine = nmine;
    if (!full) hits.want = (int64_t)(postext ? 1 : out->page) * out->per_page + 1;
    hits.pos = postext ? &pos : NULL;
    rc = PROVIDERS[pi].items(c, &out->unit, &when, den ? m->den : m->num, &hits, e);
    out->partial = hits.stopped || out->keyed;
    /* read backward: the nearest first; the page lists them in order */
    for (int i = 0, k = hits.n - 1; postext && pos.backward && i < k; i++, k--) {
      StatsHit x = hits.v[i];
      hits.v[i] = hits.v[k];
      hits.v[k] = x;
    }
  }
  if (rc == ERR_OK) rc = store_org_list_scope(c->db, out->unit.path, &units, &nunits, e);
  if (rc == ERR_OK) {
    int64_t first = postext ? 0 : (int64_t)(out->page - 1) * out->per_page, listed = 0;
    if (postext && pos.backward) { /* the last per_page visible before the position */
      int64_t nvis = 0;
      for (int i = 0; i < hits.n; i++) nvis += st_hit_visible(&hits, hits.v[i].now_org);
      first = nvis > out->per_page ? nvis - out->per_page : 0;
    }
    int last = -1, firsthit = -1; /* the hits listed first and last */
    out->items = calloc((size_t)(hits.n < out->per_page ? (hits.n ? hits.n : 1) : out->per_page), sizeof *out->items);
    if (!out->items) abort();
    for (int i = 0; i < hits.n; i++) {
      StatsHit *h = &hits.v[i];
      out->total += h->count;
      out->persons++;
      if (!st_hit_visible(&hits, h->now_org)) {
        out->hidden++;
        if (st_hidden_unit(c, out, h->org_id, e) != ERR_OK) {
          rc = e->code;
          break;
        }
        continue;
      }
      if (listed++ < first || out->n >= out->per_page) continue;
      if (firsthit < 0) firsthit = i;
      last = i;
      StatsItem *it = &out->items[out->n++];
      it->person_id = h->person_id;
      it->count = h->count;
      it->org_id = h->org_id;
      it->status = h->status;
      for (int k = 0; k < nunits; k++)
        if (units[k].id == h->org_id) {
          str_copy(it->org_code, sizeof it->org_code, units[k].code);
          str_copy(it->org_name, sizeof it->org_name, units[k].name);
        }
    }
    /* the neighbours, when the measure's persons are read by position */
    if (rc == ERR_OK && out->n && PROVIDERS[pi].items == person_items) {
      bool prev = postext ? !pos.backward || first > 0 : out->page > 1;
      bool next = postext && pos.backward ? true : listed > first + out->n;
      if (prev) st_pos_text(&hits.v[firsthit], out->prev_before);
      if (next) st_pos_text(&hits.v[last], out->next_after);
    }
  }
  /* a record's fields; names, ID numbers and today's units of the page's persons */
  if (rc == ERR_OK && out->n && out->record)
    rc = PROVIDERS[pi].describe(c, &out->unit, &when, den ? m->den : m->num, out->items, out->n, e);
  else if (rc == ERR_OK && out->n) {
    int64_t *ids = malloc(sizeof *ids * (size_t)out->n);
    StatPersonRow *rows = calloc((size_t)out->n, sizeof *rows);
    bool *seen = calloc((size_t)out->n, sizeof *seen);
    if (!ids || !rows || !seen) abort();
    for (int i = 0; i < out->n; i++) ids[i] = out->items[i].person_id;
    rc = store_stats_persons(c->db, c->actor->org_path, ids, out->n, rows, seen, e);
    for (int i = 0; rc == ERR_OK && i < out->n; i++) {
      StatsItem *it = &out->items[i];
      str_copy(it->name, sizeof it->name, rows[i].name);
      idcard_mask(rows[i].id_number, it->id_masked);
      str_copy(it->now_org_name, sizeof it->now_org_name, rows[i].org_name);
    }
    free(ids);
    free(rows);
    free(seen);
  }
  free(hits.v);
  free(units);
  free(mine);
  free(mine_ids);
  rc = audit_read_done_org(c, rc, "stats_items", out->unit.id, out->unit.path, e);
  if (rc != ERR_OK) app_stats_items_free(out);
  return rc;
}

int app_stats_items(Ctx *c, const StatsQuery *q, const char *measure, const char *part, int page, int per_page,
                    StatsItems *out, Err *e) {
  return st_items(c, q, measure, part, page, per_page, true, NULL, NULL, out, e);
}

int app_stats_items_page(Ctx *c, const StatsQuery *q, const char *measure, const char *part, int page, int per_page,
                         const char *after, const char *before, StatsItems *out, Err *e) {
  return st_items(c, q, measure, part, page, per_page, false, after, before, out, e);
}

void app_stats_items_free(StatsItems *t) {
  free(t->hidden_units);
  t->hidden_units = NULL;
  t->nhidden_units = 0;
  free(t->items);
  t->items = NULL;
  t->n = 0;
}

/* ---- the trend --------------------------------------------------------------------------- */

int app_stats_trend(Ctx *c, const StatsQuery *q, StatsTrend *out, Err *e) {
  memset(out, 0, sizeof *out);
  StatsWindow now;
  if (app_stats_window(c, q, &out->unit, &now, e) != ERR_OK) return e->code;
  int y, m, d;
  date_to_ymd(now.d, &y, &m, &d);
  Day month = date_from_ymd(y, m, 1);
  StatWhen when[STATS_TREND_MONTHS];
  for (int i = 0; i < STATS_TREND_MONTHS; i++) {
    StatsWindow *w = &out->w[i];
    w->p.kind = SP_MONTH;
    w->p.f = date_add_months(month, i - (STATS_TREND_MONTHS - 1));
    w->p.t = date_add_months(w->p.f, 1) - 1;
    if (w->p.t > now.d) w->p.t = now.d;
    w->d = w->p.t;
    when[i] = st_when(w);
  }
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = st_figures(c, &out->unit, when, STATS_TREND_MONTHS, out->f, NULL, 0, e);
  return app_read_done(c, rc, e);
}

/* ---- the figures of chosen units (the assessment's rows) ------------------------------ */

int app_stats_rows(Ctx *c, const OrgUnit *root, const StatsWindow *w, StatsRow *rows, int nrows, Err *e) {
  StatWhen when = st_when(w);
  StatsFigures total;
  memset(&total, 0, sizeof total);
  return st_figures(c, root, &when, 1, &total, rows, nrows, e);
}
