/* app/quality.c: owns the data-quality use case (see app/quality.h): reads
 * the subtree's files, episodes and contacts once (store/quality.h), checks
 * each file (core/quality.h), adds the tallies up per unit below and ranks
 * them, and lists the failing files. */
#include "app/quality.h"
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/stats.h"
#include "store/quality.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_RULE "没有这条质量规则"

void quality_view_free(QualityView *v) {
  array_free(&v->rows, &v->nrows);
  array_free(&v->failing, &v->nfailing);
}

/* The standing episodes of one person's rows (history order; a correction
 * takes the place of what it corrects) into eps (room for n); returns how many. */
static int qa_standing(const QualityEpisodeRow *rows, int n, QualityEpisode *eps, int64_t *ids) {
  int k = 0;
  for (int i = 0; i < n; i++) {
    const QualityEpisodeRow *r = &rows[i];
    int at = k;
    for (int j = 0; r->corrects_id && j < k; j++)
      if (ids[j] == r->corrects_id) at = j;
    QualityEpisode x = {.status = status_from_code(r->status)};
    x.has_decision = date_parse(r->decision_date, &x.decision);
    x.has_start = date_parse(r->start_date, &x.start);
    eps[at] = x;
    ids[at] = r->id;
    if (at == k) k++;
  }
  return k;
}

/* The row (index into rows) of the unit at path among the children, -1. */
static int qa_row_of(const QualityView *v, const char *path) {
  for (int i = 0; i < v->nrows; i++)
    if (strncmp(path, v->rows[i].unit.path, strlen(v->rows[i].unit.path)) == 0) return i;
  return -1;
}

static int qa_rank_cmp(const void *a, const void *b) {
  const QualityUnitRow *x = a, *y = b;
  int c = quality_rank_cmp(&x->t, &y->t);
  return c ? c : strcmp(x->unit.code, y->unit.code);
}

static int qa_id_cmp(const void *a, const void *b) {
  int64_t x = ((const OrgUnit *)a)->id, y = ((const OrgUnit *)b)->id;
  return x < y ? -1 : x > y;
}

/* The checks of the subtree, inside the caller's transaction. */
static int qa_run(Ctx *c, QualityView *v, Err *e) {
  OrgUnit *kids = NULL, *all = NULL;
  int nkids = 0, nall = 0;
  QualityData d = {0};
  int rc = store_org_children(c->db, v->unit.id, &kids, &nkids, e);
  if (rc == ERR_OK) rc = store_org_list_scope(c->db, v->unit.path, &all, &nall, e);
  if (rc == ERR_OK) rc = store_quality_read(c->db, v->unit.path, &d, e);
  if (rc == ERR_OK) {
    const QualityEpisodeRow *eps = d.eps;
    const QualityContactRow *con = d.contacts;
    int neps = d.neps, ncon = d.ncontacts;
    v->nrows = nkids;
    v->rows = calloc((size_t)(nkids ? nkids : 1), sizeof *v->rows);
    if (!v->rows) abort();
    for (int i = 0; i < nkids; i++) v->rows[i].unit = kids[i];
    qsort(all, (size_t)nall, sizeof *all, qa_id_cmp);
    QualityEpisode *pe = malloc(sizeof *pe * (size_t)(neps ? neps : 1));
    int64_t *pid = malloc(sizeof *pid * (size_t)(neps ? neps : 1));
    Day *days = malloc(sizeof *days * (size_t)(ncon ? ncon : 1));
    if (!pe || !pid || !days) abort();
    int ie = 0, ic = 0, cap = 0;
    int64_t first = (int64_t)(v->page - 1) * v->per_page;
    for (int i = 0; i < d.nfiles; i++) {
      const QualityFileRow *f = &d.files[i];
      while (ie < neps && eps[ie].person_id < f->id) ie++;
      int e0 = ie;
      while (ie < neps && eps[ie].person_id == f->id) ie++;
      while (ic < ncon && con[ic].person_id < f->id) ic++;
      int nd = 0;
      while (ic < ncon && con[ic].person_id == f->id) days[nd++] = con[ic++].day;
      QualityPerson p = {
        .id = f->id, .name = f->name, .sex = f->sex, .id_number = f->id_number, .birth_date = f->birth_date,
        .phone = f->phone, .household_address = f->household_address, .residence_address = f->residence_address,
        .drug_types = f->drug_types, .first_found_date = f->first_found_date, .status = status_from_code(f->status),
        .team = f->team, .agreements = f->agreements, .eps = pe, .contacts = days, .ncontacts = nd, .today = c->today,
      };
      p.neps = qa_standing(&eps[e0], ie - e0, pe, pid);
      QualityTally t = {0};
      uint32_t failed = quality_check(&p, &t);
      quality_tally_add(&v->total, &t);
      OrgUnit key = {.id = f->org_id};
      const OrgUnit *u = bsearch(&key, all, (size_t)nall, sizeof *all, qa_id_cmp);
      int r = u ? qa_row_of(v, u->path) : -1;
      if (r >= 0) quality_tally_add(&v->rows[r].t, &t);
      for (int k = 0; k < quality_rule_count(); k++) v->rule_fails[k] += (failed >> k) & 1;
      uint32_t want = v->rule ? 1u << (v->rule - quality_rules) : ~0u;
      if (!(failed & want)) continue;
      if (v->failing_total++ < first || v->nfailing >= v->per_page) continue;
      v->failing = array_grow(v->failing, v->nfailing, &cap, sizeof *v->failing);
      QualityFailing *q = &v->failing[v->nfailing++];
      memset(q, 0, sizeof *q);
      q->person_id = f->id;
      str_copy(q->name, sizeof q->name, f->name);
      idcard_mask(f->id_number, q->id_masked);
      if (u) {
        str_copy(q->org_code, sizeof q->org_code, u->code);
        str_copy(q->org_name, sizeof q->org_name, u->name);
      }
      q->failed = failed;
    }
    free(pe);
    free(pid);
    free(days);
    qsort(v->rows, (size_t)v->nrows, sizeof *v->rows, qa_rank_cmp);
    for (int i = 0; i < v->nrows; i++)
      v->rows[i].rank = i > 0 && quality_rank_cmp(&v->rows[i].t, &v->rows[i - 1].t) == 0 ? v->rows[i - 1].rank : i + 1;
  }
  free(kids);
  free(all);
  store_quality_free(&d);
  return rc;
}

int app_quality(Ctx *c, const char *org, const char *rule, int page, int per_page, QualityView *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (rule && *rule && !(out->rule = quality_rule_by_code(rule))) err_field(e, "rule", M_RULE);
  out->page = page < 1 ? 1 : page;
  out->per_page = per_page < 1 ? 50 : per_page > QUALITY_PAGE_MAX ? QUALITY_PAGE_MAX : per_page;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = stats_unit_step(c, org, &out->unit, e);
  if (rc == ERR_OK) rc = qa_run(c, out, e);
  rc = audit_read_done_org(c, rc, "quality", out->unit.id, out->unit.path, e);
  if (rc != ERR_OK) quality_view_free(out);
  return rc;
}
