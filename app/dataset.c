/* app/dataset.c: owns the data-set use cases (see app/dataset.h): locating
 * (set, unit, period) in the actor's scope, the entry and the aggregate
 * views, entering values (appended, audited), submitting, unlocking, the
 * history; and keeps the population figures of org_unit derived from the
 * set "population" in the same transaction. */
#include "app/dataset.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "core/unit_vocab.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NO_ORG "组织单位不存在"
#define M_PERIOD_FORM "报告期格式应为 2026-06、2026Q2、2026H1 或 2026"
#define M_PERIOD_FINER "报告期不能短于数据集的填报周期"
#define M_PERIOD_FUTURE "报告期尚未开始"
#define M_UNKNOWN_FIELD "未知字段"
#define M_NOT_ENTRY "只能在填报单位、按数据集的填报周期修改数据"
#define M_UNLOCK_RIGHT "只有上级禁毒办可以解锁"

static const FieldSpec ds_unlock_fields[] = {
  {FIELD_AT(DatasetUnlockInput, reason), .label_zh = "解锁原因", .kind = FK_LONG, FIELD_CHARS(DATASET_REASON_CHARS),
   .required = true},
};
const RecordSpec dataset_unlock_record = RECORD_SPEC("dataset_unlock", ds_unlock_fields);

const char *dataset_level_name_zh(const char *level) {
  const char *s = unit_term_label(unit_level_vocab, level);
  return s ? s : "";
}

/* The rank of a level: county 0, street 1, community 2; -1 when unknown. */
static int ds_rank(const char *level) { return unit_term_index(unit_level_vocab, level); }

/* The message naming the level that enters def. */
static const char *ds_level_msg(const DatasetDef *def) {
  switch (ds_rank(def->level)) {
  case 0: return "该数据集由区/县填报";
  case 1: return "该数据集由街道/乡镇填报";
  default: return "该数据集由社区/村填报";
  }
}

void dataset_view_free(DatasetView *v) { array_free(&v->units, &v->nunits); }

int app_dataset_defs(Ctx *c, DatasetDef **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (app_read_begin(c, PERM_LOGGED_IN, e) != ERR_OK) return e->code;
  return app_read_done(c, store_dataset_defs(c->db, out, n, e), e);
}

/* The (set, unit, period) of a request, inside the caller's transaction:
 * the set (ERR_NOT_FOUND), the unit in the actor's scope (ERR_NOT_FOUND),
 * the period (field "period": form, finer than the set's kind, not begun)
 * and the unit's level (field "org": below the level that enters the set).
 * *entry: the unit enters the set and the period is of its kind. Field
 * errors e held before (a binder's) do not stop it: the caller adds its
 * own checks and writes nothing while e holds any. */
static int ds_locate(Ctx *c, const char *name, const char *org_code, const char *period, DatasetDef *def,
                     OrgUnit *org, Period *p, bool *entry, Err *e) {
  *entry = false;
  if (!name || store_dataset_def(c->db, name, def, e) != ERR_OK) {
    if (e->code == ERR_NOT_FOUND || !name) return err_set(e, ERR_NOT_FOUND, "数据集不存在");
    return e->code;
  }
  Err le;
  err_clear(&le);
  if (!org_code || store_org_by_code(c->db, org_code, org, &le) != ERR_OK || !actor_in_scope(c->actor, org->path)) {
    if (le.code != ERR_OK && le.code != ERR_NOT_FOUND) return err_set(e, le.code, le.msg);
    return err_set(e, ERR_NOT_FOUND, M_NO_ORG);
  }
  int nf = e->nfields; /* (e may hold a binder's errors already: only ours stop here) */
  if (!period_parse(period, p)) err_field(e, "period", M_PERIOD_FORM);
  else if (p->type < def->period_type) err_field(e, "period", M_PERIOD_FINER);
  else if (period_first_day(*p) > c->today) err_field(e, "period", M_PERIOD_FUTURE);
  if (ds_rank(org->level) > ds_rank(def->level)) err_field(e, "org", ds_level_msg(def));
  if (e->nfields > nf) return e->code;
  *entry = strcmp(org->level, def->level) == 0 && p->type == def->period_type;
  return ERR_OK;
}

/* ---- reading ------------------------------------------------------------------- */

/* The index of unit id in ids (sorted), or -1. */
static int ds_unit_at(const int64_t (*ids)[2], int n, int64_t id) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (ids[mid][0] == id) return (int)ids[mid][1];
    if (ids[mid][0] < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

static int ds_cmp_id(const void *a, const void *b) {
  const int64_t *x = a, *y = b;
  return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Fills the aggregate part of v: the units of v->org's subtree that enter
 * the set, their figures over the periods of v->period, and the totals. */
static int ds_aggregate(Ctx *c, DatasetView *v, Err *e) {
  OrgUnit *all = NULL;
  int nall = 0;
  if (store_org_list_scope(c->db, v->org.path, &all, &nall, e) != ERR_OK) return e->code;
  v->units = calloc((size_t)(nall ? nall : 1), sizeof *v->units);
  int64_t (*ids)[2] = calloc((size_t)(nall ? nall : 1), sizeof *ids);
  if (!v->units || !ids) abort();
  for (int i = 0; i < nall; i++) {
    if (strcmp(all[i].level, v->def.level) != 0) continue;
    DatasetUnitView *u = &v->units[v->nunits];
    str_copy(u->org_code, sizeof u->org_code, all[i].code);
    str_copy(u->org_name, sizeof u->org_name, all[i].name);
    ids[v->nunits][0] = all[i].id;
    ids[v->nunits][1] = v->nunits;
    v->nunits++;
  }
  free(all);
  qsort(ids, (size_t)v->nunits, sizeof *ids, ds_cmp_id);
  Period first;
  int np = period_split(v->period, v->def.period_type, &first);
  char from[PERIOD_TEXT_LEN], to[PERIOD_TEXT_LEN];
  period_format(first, from);
  period_format(period_add(first, np - 1), to);
  DatasetUnitRow *rows = NULL;
  int nr = 0;
  int rc = store_dataset_scope_rows(c->db, &v->def, v->org.path, from, to, &rows, &nr, e);
  for (int i = 0; rc == ERR_OK && i < nr; i++) { /* by unit, then period: a stock keeps the latest */
    int k = ds_unit_at((const int64_t(*)[2])ids, v->nunits, rows[i].org_id);
    if (k < 0) continue;
    DatasetUnitView *u = &v->units[k];
    u->periods_submitted += rows[i].state == DS_SUBMITTED;
    for (int f = 0; f < v->def.nfields; f++) {
      if (!rows[i].has[f]) continue;
      u->vals[f] = v->def.agg_last || !u->has[f] ? rows[i].vals[f] : u->vals[f] + rows[i].vals[f];
      u->has[f] = u->any = true;
    }
  }
  for (int k = 0; k < v->nunits; k++) {
    DatasetUnitView *u = &v->units[k];
    u->periods = np;
    v->units_reported += u->any;
    v->units_submitted += u->periods_submitted == np;
    for (int f = 0; f < v->def.nfields; f++)
      if (u->has[f]) {
        v->vals[f] += u->vals[f];
        v->has[f] = true;
      }
  }
  free(rows);
  free(ids);
  return rc;
}

int app_dataset_get(Ctx *c, const char *name, const char *org_code, const char *period, DatasetView *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_LOGGED_IN, e) != ERR_OK) return e->code;
  bool entry;
  int rc = ds_locate(c, name, org_code, period, &out->def, &out->org, &out->period, &entry, e);
  if (rc != ERR_OK) return app_fail(c, e);
  out->entry = entry;
  period_format(out->period, out->period_text);
  out->due = period_due(out->period, out->def.due_days);
  if (entry) {
    DatasetPeriodRow pr;
    rc = store_dataset_period_get(c->db, out->def.name, out->org.id, out->period_text, &pr, e);
    if (rc == ERR_OK) rc = store_dataset_values(c->db, pr.id, &out->def, out->has, out->vals, e);
    out->state = pr.state;
    str_copy(out->changed_at, sizeof out->changed_at, pr.changed_at);
    str_copy(out->changed_by, sizeof out->changed_by, pr.changed_by);
    out->may_edit = pr.state == DS_OPEN && actor_can(c->actor, PERM_PERSON_WRITE);
    out->may_unlock = pr.state == DS_SUBMITTED && (c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_OFFICE) &&
                      ds_path_above(c->actor->org_path, out->org.path);
  } else {
    rc = ds_aggregate(c, out, e);
  }
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) dataset_view_free(out);
  return rc;
}

int app_dataset_history(Ctx *c, const char *name, const char *org_code, const char *period, DatasetHistRow **out,
                        int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (app_read_begin(c, PERM_LOGGED_IN, e) != ERR_OK) return e->code;
  DatasetDef def;
  OrgUnit org;
  Period p;
  bool entry;
  DatasetPeriodRow pr = {0};
  char text[PERIOD_TEXT_LEN];
  int rc = ds_locate(c, name, org_code, period, &def, &org, &p, &entry, e);
  if (rc == ERR_OK && entry) {
    period_format(p, text);
    rc = store_dataset_period_get(c->db, def.name, org.id, text, &pr, e);
    if (rc == ERR_OK && pr.id) rc = store_dataset_history(c->db, pr.id, out, n, e);
  }
  return app_read_done(c, rc, e);
}

/* ---- writing -------------------------------------------------------------------- */

/* What a write on the figures of a unit and period works on. */
typedef struct DsWrite {
  DatasetDef def;
  OrgUnit org;
  Period p;
  char text[PERIOD_TEXT_LEN]; /* p as text */
  DatasetPeriodRow pr;        /* its row (id 0: none yet) */
  int nf;                     /* e's field count when the write began (ds_keep_names) */
} DsWrite;

/* Starts a write on the figures of (name, org_code, period): the
 * transaction and w (its row read); the set must be entered by the unit
 * (entry: else ERR_INVALID M_NOT_ENTRY, with the field errors that say why
 * when explain). On failure the transaction is ended (app_fail) and e's code
 * returned. */
static int ds_write_open(Ctx *c, const char *name, const char *org_code, const char *period, bool explain, DsWrite *w,
                         Err *e) {
  memset(w, 0, sizeof *w);
  w->nf = e->nfields;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  bool entry;
  if (ds_locate(c, name, org_code, period, &w->def, &w->org, &w->p, &entry, e) != ERR_OK) return app_fail(c, e);
  if (!entry) {
    if (explain && strcmp(w->org.level, w->def.level) != 0) err_field(e, "org", ds_level_msg(&w->def));
    else if (explain) ds_check_period(w->def.period_type, w->p, c->today, e);
    err_set(e, ERR_INVALID, M_NOT_ENTRY);
    return app_fail(c, e);
  }
  period_format(w->p, w->text);
  return ERR_OK;
}

/* ds_write_open for the unit's own entry: the actor must hold
 * PERM_PERSON_WRITE, and the period's row is read. */
static int ds_write_begin(Ctx *c, const char *name, const char *org_code, const char *period, DsWrite *w, Err *e) {
  if (ds_write_open(c, name, org_code, period, true, w, e) != ERR_OK) return e->code;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) {
    err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
    return app_fail(c, e);
  }
  if (store_dataset_period_get(c->db, w->def.name, w->org.id, w->text, &w->pr, e) != ERR_OK) return app_fail(c, e);
  return ERR_OK;
}

/* Appends the audit detail of a write: the set, the period. */
static void ds_detail(Buf *d, const DatasetDef *def, const char *period) {
  audit_detail_kv(d, "dataset", def->name);
  audit_detail_kv(d, "period", period);
}

/* Ends the write w with its audit row: action on its period row id, the
 * detail the set and the period (then extra_key=extra_value, when not NULL). */
static int ds_write_commit(Ctx *c, const DsWrite *w, const char *action, int64_t id, const char *extra_key,
                           const char *extra_value, Err *e) {
  Buf detail = BUF_INIT;
  ds_detail(&detail, &w->def, w->text);
  if (extra_key) audit_detail_kv(&detail, extra_key, extra_value);
  return app_commit(c, &(AppAudit){action, "dataset_period", id, w->org.path, &detail}, e);
}

/* Points the field errors of e from index from on that name a field of def
 * (by def's own code string) at a copy in names. */
static void ds_keep_names(const DatasetDef *def, DatasetNames *names, int from, Err *e) {
  for (int k = from; k < e->nfields; k++)
    for (int f = 0; f < def->nfields; f++)
      if (e->fields[k].field == def->fields[f].code) {
        str_copy(names->code[f], sizeof names->code[f], def->fields[f].code);
        e->fields[k].field = names->code[f];
      }
}

/* Submits period row id (state and log) after the completeness check of
 * has; the caller has checked the transition. */
static int ds_submit_row(Ctx *c, const DatasetDef *def, int64_t id, const bool *has, Err *e) {
  DsFieldRule rules[DATASET_FIELDS_MAX];
  store_dataset_rules(def, rules);
  if (ds_check_complete(rules, def->nfields, has, e) != ERR_OK) return e->code;
  if (store_dataset_period_set(c->db, id, DS_SUBMITTED, c->actor->user_id, c->now_iso, e) != ERR_OK) return e->code;
  return store_dataset_log_add(c->db, id, "submit", "", c->actor->user_id, c->now_iso, e);
}

int app_dataset_put(Ctx *c, const char *name, const char *org_code, const char *period, const DatasetInput *in,
                    bool submit, DatasetNames *names, Err *e) {
  DsWrite w;
  if (ds_write_begin(c, name, org_code, period, &w, e) != ERR_OK) return e->code;
  const DatasetDef *def = &w.def;
  DsState to;
  if (ds_transition(w.pr.state, DS_EDIT, &to, e) != ERR_OK) return app_fail(c, e);
  bool has[DATASET_FIELDS_MAX], old_has[DATASET_FIELDS_MAX];
  int64_t vals[DATASET_FIELDS_MAX], old[DATASET_FIELDS_MAX];
  if (store_dataset_values(c->db, w.pr.id, def, old_has, old, e) != ERR_OK) return app_fail(c, e);
  memcpy(has, old_has, sizeof has);
  memcpy(vals, old, sizeof vals);
  for (int i = 0; i < in->n; i++) {
    int k = -1;
    for (int f = 0; f < def->nfields && k < 0; f++)
      if (in->items[i].code && strcmp(def->fields[f].code, in->items[i].code) == 0) k = f;
    if (k < 0) {
      err_field(e, in->items[i].code ? in->items[i].code : "values", M_UNKNOWN_FIELD);
      continue;
    }
    has[k] = in->items[i].has;
    vals[k] = in->items[i].has ? in->items[i].value : 0;
  }
  DsFieldRule rules[DATASET_FIELDS_MAX];
  store_dataset_rules(def, rules);
  ds_check_values(rules, def->nfields, has, vals, e);
  if (submit) ds_check_complete(rules, def->nfields, has, e);
  ds_keep_names(def, names, w.nf, e);
  if (e->code != ERR_OK) return app_fail(c, e);

  Buf detail = BUF_INIT;
  ds_detail(&detail, def, w.text);
  int changed = 0;
  int64_t id = w.pr.id;
  for (int f = 0; f < def->nfields; f++) {
    if (has[f] == old_has[f] && (!has[f] || vals[f] == old[f])) continue;
    if ((!id && store_dataset_period_ensure(c->db, def->name, w.org.id, w.text, c->actor->user_id, c->now_iso, &id, e) !=
                    ERR_OK) ||
        store_dataset_value_add(c->db, id, def->fields[f].code, has[f], vals[f], c->actor->user_id, c->now_iso, e) !=
            ERR_OK)
      goto failed;
    char v[48];
    if (has[f]) snprintf(v, sizeof v, "%lld", (long long)vals[f]);
    else v[0] = 0;
    audit_detail_kv(&detail, def->fields[f].code, v);
    changed++;
  }
  if (changed && store_dataset_period_set(c->db, id, DS_OPEN, c->actor->user_id, c->now_iso, e) != ERR_OK) goto failed;
  if (submit && ds_submit_row(c, def, id, has, e) != ERR_OK) goto failed;
  if (changed && strcmp(def->name, DATASET_POPULATION) == 0 && store_dataset_population_sync(c->db, w.org.id, true, e) != ERR_OK)
    goto failed;
  if (!changed && !submit) {
    buf_reset(&detail);
    return app_commit(c, NULL, e);
  }
  return app_commit(c, &(AppAudit){submit ? "submit" : "update", "dataset_period", id, w.org.path, &detail}, e);
failed:
  buf_reset(&detail);
  return app_fail(c, e);
}

int app_dataset_submit(Ctx *c, const char *name, const char *org_code, const char *period, DatasetNames *names,
                       Err *e) {
  DsWrite w;
  if (ds_write_begin(c, name, org_code, period, &w, e) != ERR_OK) return e->code;
  const DatasetDef *def = &w.def;
  DsState to;
  bool has[DATASET_FIELDS_MAX];
  int64_t vals[DATASET_FIELDS_MAX];
  if (ds_transition(w.pr.state, DS_SUBMIT, &to, e) != ERR_OK ||
      store_dataset_values(c->db, w.pr.id, def, has, vals, e) != ERR_OK ||
      ds_submit_row(c, def, w.pr.id, has, e) != ERR_OK) {
    ds_keep_names(def, names, w.nf, e);
    return app_fail(c, e);
  }
  return ds_write_commit(c, &w, "submit", w.pr.id, NULL, NULL, e);
}

int app_dataset_unlock(Ctx *c, const char *name, const char *org_code, const char *period, const char *reason,
                       Err *e) {
  DsWrite w;
  if (ds_write_open(c, name, org_code, period, false, &w, e) != ERR_OK) return e->code;
  if (!((c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_OFFICE) && ds_path_above(c->actor->org_path, w.org.path))) {
    err_set(e, ERR_FORBIDDEN, M_UNLOCK_RIGHT);
    return app_fail(c, e);
  }
  DatasetUnlockInput in = {reason};
  DsState to;
  if (field_check_record(&dataset_unlock_record, &in, c->today, e) != ERR_OK ||
      store_dataset_period_get(c->db, w.def.name, w.org.id, w.text, &w.pr, e) != ERR_OK ||
      ds_transition(w.pr.state, DS_UNLOCK, &to, e) != ERR_OK ||
      store_dataset_period_set(c->db, w.pr.id, to, c->actor->user_id, c->now_iso, e) != ERR_OK ||
      store_dataset_log_add(c->db, w.pr.id, "unlock", reason, c->actor->user_id, c->now_iso, e) != ERR_OK)
    return app_fail(c, e);
  return ds_write_commit(c, &w, "unlock", w.pr.id, "reason", reason, e);
}
