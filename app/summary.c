/* app/summary.c: owns the work-summary draft use case (see app/summary.h):
 * the unit and the period of a request, and the facts the draft is written
 * from. */
#include "app/summary.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/stats.h"
#include "core/period.h"
#include "core/stats.h"
#include "store/dataset.h"
#include "store/eradication.h"
#include "store/prevention.h"
#include "store/unit_task.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_BOTH_DATES "请同时填写开始日期和结束日期"
#define M_FUTURE "统计期尚未开始"

void summary_draft_free(SummaryDraft *d) {
  buf_reset(&d->title);
  buf_reset(&d->text);
}

int summary_activities(Ctx *c, const OrgUnit *unit, const char *from, const char *to, SummaryActivity **out, int *n,
                       SummaryFacts *f, Err *e) {
  *out = NULL;
  *n = 0;
  ActivityRow *rows = NULL;
  int nr = 0;
  ActivityTotals tot;
  ActivityFilter flt = {.scope = unit->path, .from = from, .to = to, .limit = SUMMARY_ACTIVITIES_NAMED,
                        .oldest_first = true};
  if (store_activity_list(c->db, &flt, &rows, &nr, &tot, e) != ERR_OK) return e->code;
  f->activities_total = tot.activities;
  f->activity_participants = tot.participants;
  f->activity_materials = prevention_materials_printed(tot.materials);
  if (nr > 0) {
    *out = calloc((size_t)nr, sizeof **out);
    if (!*out) abort();
  }
  for (int i = 0; i < nr; i++) {
    SummaryActivity *a = &(*out)[i];
    const ActivityRow *r = &rows[i];
    str_copy(a->date, sizeof a->date, r->date);
    str_copy(a->title, sizeof a->title, r->title ? r->title : "");
    a->participants = r->participants;
    a->materials = prevention_materials_printed(r->materials);
    const char *kind = unit_term_label(activity_kind_vocab, r->kind);
    str_copy(a->kind_zh, sizeof a->kind_zh, kind ? kind : "");
    Buf st = BUF_INIT;
    for (int k = 0; activity_setting_vocab[k].code; k++)
      if (prevention_codes_has(r->settings, activity_setting_vocab[k].code))
        buf_printf(&st, "%s%s", st.len ? "、" : "", activity_setting_vocab[k].label_zh);
    str_copy(a->settings_zh, sizeof a->settings_zh, buf_str(&st));
    buf_reset(&st);
  }
  *n = nr;
  store_activity_rows_free(rows, nr);
  return ERR_OK;
}

/* The period of q into [*f, *t] and its name (period_zh, 64 bytes). */
static void su_period(Ctx *c, const SummaryQuery *q, Day *f, Day *t, StatPeriodKind *kind, char *zh, size_t zn,
                      Err *e) {
  bool has_p = q->period && *q->period, has_f = q->from && *q->from, has_t = q->to && *q->to;
  Period p;
  *kind = SP_CUSTOM;
  if (has_p && (has_f || has_t)) {
    err_field(e, "period", STATS_M_PERIOD_AND_DATES);
    return;
  }
  if (has_f || has_t) {
    if (!has_f || !has_t) err_field(e, has_f ? "to" : "from", M_BOTH_DATES);
    if (has_f && !date_parse(q->from, f)) err_field(e, "from", STATS_M_DATE);
    if (has_t && !date_parse(q->to, t)) err_field(e, "to", STATS_M_DATE);
    if (e->code != ERR_OK) return;
    if (*t < *f) {
      err_field(e, "to", STATS_M_TO_BEFORE_FROM);
      return;
    }
    int y1, m1, d1, y2, m2, d2;
    date_to_ymd(*f, &y1, &m1, &d1);
    date_to_ymd(*t, &y2, &m2, &d2);
    snprintf(zh, zn, "%d年%d月%d日至%d年%d月%d日", y1, m1, d1, y2, m2, d2);
  } else {
    if (has_p && (!period_parse(q->period, &p) || p.type == PERIOD_DEKAD)) {
      err_field(e, "period", STATS_M_PERIOD);
      return;
    }
    if (!has_p) p = period_of(PERIOD_HALF, c->today);
    *f = period_first_day(p);
    *t = period_last_day(p);
    *kind = p.type == PERIOD_MONTH ? SP_MONTH : p.type == PERIOD_QUARTER ? SP_QUARTER
            : p.type == PERIOD_HALF ? SP_HALF
                                    : SP_YEAR;
    period_label(p, false, zh, zn);
  }
  if (*f > c->today) err_field(e, has_p ? "period" : "from", M_FUTURE);
}

/* The social workers of the subtree: each unit's latest quarter of the set
 * up to t (within the year before), summed; -1 when none entered. */
static int su_workers(Ctx *c, const OrgUnit *u, Day t, int64_t *approved, int64_t *filled, Err *e) {
  *approved = *filled = -1;
  DatasetDef def;
  Err le;
  err_clear(&le);
  if (store_dataset_def(c->db, "social_workers", &def, &le) != ERR_OK) return le.code == ERR_NOT_FOUND ? ERR_OK : err_set(e, le.code, le.msg);
  char from[PERIOD_TEXT_LEN], to[PERIOD_TEXT_LEN];
  Period last = period_of(PERIOD_QUARTER, t);
  period_format(period_add(last, -3), from);
  period_format(last, to);
  DatasetUnitRow *rows = NULL;
  int n = 0;
  if (store_dataset_scope_rows(c->db, &def, u->path, from, to, &rows, &n, e) != ERR_OK) return e->code;
  int ia = -1, ifl = -1;
  for (int f = 0; f < def.nfields; f++) {
    if (strcmp(def.fields[f].code, "approved") == 0) ia = f;
    if (strcmp(def.fields[f].code, "filled") == 0) ifl = f;
  }
  for (int i = 0; i < n; i++) {
    if (i + 1 < n && rows[i + 1].org_id == rows[i].org_id) continue; /* a later quarter of the unit follows */
    if (ia >= 0 && rows[i].has[ia]) *approved = (*approved < 0 ? 0 : *approved) + rows[i].vals[ia];
    if (ifl >= 0 && rows[i].has[ifl]) *filled = (*filled < 0 ? 0 : *filled) + rows[i].vals[ifl];
  }
  free(rows);
  return ERR_OK;
}

/* The count of unit work records of kind in the subtree dated from..to. */
static int su_work_count(Ctx *c, const OrgUnit *u, const char *kind, const char *from, const char *to, int64_t *n,
                         Err *e) {
  UnitWorkRow *rows = NULL;
  int nr = 0;
  UnitWorkFilter f = {.scope = u->path, .kind = kind, .from = from, .to = to, .limit = 1};
  int rc = store_unit_work_list(c->db, &f, &rows, &nr, n, e);
  free(rows);
  return rc;
}

/* The rate of measure key in f. */
static SummaryRate su_rate(const StatsFigures *f, const char *key) {
  const StatMeasure *m = stats_measure_by_key(key);
  return m ? (SummaryRate){stats_figure(f, m, false), stats_figure(f, m, true)} : (SummaryRate){0, 0};
}
static int64_t su_count(const StatsFigures *f, const char *key) {
  const StatMeasure *m = stats_measure_by_key(key);
  return m ? stats_figure(f, m, false) : 0;
}

/* The measures the draft reads (key) and where they go in SummaryFacts: a
 * count (int64_t) or, rate, a SummaryRate. */
static const struct {
  const char *key;
  size_t at;
  bool rate;
} su_figures[] = {
  {"registered", offsetof(SummaryFacts, registered), false}, {"current", offsetof(SummaryFacts, current), false},
  {"abstinent_3y", offsetof(SummaryFacts, abstinent_3y), false},
  {"supervised", offsetof(SummaryFacts, supervised), false},
  {"lost_contact", offsetof(SummaryFacts, lost_contact), false},
  {"new_found", offsetof(SummaryFacts, new_found), false}, {"relapsed", offsetof(SummaryFacts, relapsed), false},
  {"control_rate", offsetof(SummaryFacts, control), true}, {"help_rate", offsetof(SummaryFacts, help), true},
  {"test_rate", offsetof(SummaryFacts, test), true}, {"relapse_rate", offsetof(SummaryFacts, relapse), true},
  {"isolation_rate", offsetof(SummaryFacts, isolation), true}, {"report_rate", offsetof(SummaryFacts, report), true},
  {"pickup_rate", offsetof(SummaryFacts, pickup), true}, {"complete_rate", offsetof(SummaryFacts, complete), true},
};

/* Gathers the facts and writes the draft, inside the caller's transaction. */
static int su_build(Ctx *c, SummaryDraft *d, Day f, Day t, StatPeriodKind kind, const char *period_zh, Err *e) {
  Day as_of = t < c->today ? t : c->today;
  date_format(f, d->from);
  date_format(t, d->to);
  date_format(as_of, d->as_of);
  SummaryFacts sf;
  memset(&sf, 0, sizeof sf);
  sf.unit_name = d->unit.name;
  sf.period_zh = period_zh;
  date_to_ymd(as_of, &sf.as_of_y, &sf.as_of_m, &sf.as_of_d);
  OrgUnit *kids = NULL;
  int nkids = 0;
  int rc = store_org_children(c->db, d->unit.id, &kids, &nkids, e);
  sf.children = nkids;
  sf.child_term = nkids ? (strcmp(kids[0].level, "street") == 0 ? "街道（乡镇）" : "社区（村）") : "";
  free(kids);
  sf.pop_registered = d->unit.pop_registered;
  sf.pop_resident = d->unit.pop_resident;
  sf.pop_floating = d->unit.pop_floating;
  StatsFigures fig;
  StatsWindow w = {as_of, {kind, f, t}};
  if (rc == ERR_OK) rc = stats_figures_step(c, &d->unit, &w, &fig, NULL, 0, e);
  if (rc == ERR_OK) {
    for (int s = 0; s < ST__COUNT; s++) {
      char key[48];
      snprintf(key, sizeof key, "by_status.%s", s == ST_NONE ? "none" : status_code((Status)s));
      sf.by_status[s] = su_count(&fig, key);
    }
    for (size_t i = 0; i < sizeof su_figures / sizeof *su_figures; i++) {
      char *at = (char *)&sf + su_figures[i].at;
      if (su_figures[i].rate) *(SummaryRate *)at = su_rate(&fig, su_figures[i].key);
      else *(int64_t *)at = su_count(&fig, su_figures[i].key);
    }
  }
  if (rc == ERR_OK) rc = su_workers(c, &d->unit, t, &sf.workers_approved, &sf.workers_filled, e);
  if (rc == ERR_OK) {
    EradicationRow *rows = NULL;
    int nr = 0;
    EradicationTotals tot;
    memset(&tot, 0, sizeof tot);
    EradicationFilter ef = {.scope = d->unit.path, .from = d->from, .to = d->to, .limit = 1};
    rc = store_eradication_list(c->db, &ef, &rows, &nr, &tot, e);
    free(rows);
    sf.patrols = tot.patrols;
    sf.area_mu = tot.area_mu;
    for (int i = 0; i < ERADICATION_SPECIES; i++) {
      sf.plants_found += tot.found[i];
      sf.plants_destroyed += tot.destroyed[i];
    }
  }
  if (rc == ERR_OK) rc = su_work_count(c, &d->unit, "intel_exchange", d->from, d->to, &sf.intel_exchanges, e);
  if (rc == ERR_OK) rc = su_work_count(c, &d->unit, "drug_screening", d->from, d->to, &sf.screenings, e);
  if (rc == ERR_OK) rc = su_work_count(c, &d->unit, "info_submission", d->from, d->to, &sf.info_submissions, e);
  SummaryActivity *acts = NULL;
  int nacts = 0;
  if (rc == ERR_OK) rc = summary_activities(c, &d->unit, d->from, d->to, &acts, &nacts, &sf, e);
  sf.activities = acts;
  sf.nactivities = nacts;
  for (int k = 0; rc == ERR_OK && k < ACTIVITY_SETTINGS; k++) {
    char key[64];
    snprintf(key, sizeof key, "activities_by_setting.%s", activity_setting_vocab[k].code);
    sf.activity_settings[k] = su_count(&fig, key);
  }
  if (rc == ERR_OK) {
    summary_title(&sf, &d->title);
    summary_text(&sf, &d->text);
  }
  free(acts);
  return rc;
}

int app_summary(Ctx *c, const SummaryQuery *q, SummaryDraft *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Day f = 0, t = 0;
  StatPeriodKind kind;
  char zh[PERIOD_LABEL_LEN * 2];
  su_period(c, q, &f, &t, &kind, zh, sizeof zh, e);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = stats_unit_step(c, q->org, &out->unit, e);
  if (rc == ERR_OK) rc = su_build(c, out, f, t, kind, zh, e);
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) summary_draft_free(out);
  return rc;
}
