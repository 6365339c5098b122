/* app/report.c: owns the report-form use cases (see app/report.h): locating
 * (form, unit, period) in the scope, computing a form's cells with the
 * statistics providers, the snapshot on submit, unlocking, notes, history. */
#include "app/report.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/stats.h"
#include "core/stats.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NO_FORM "报表不存在"
#define M_NO_ORG "单位不存在或不在管辖范围内"
#define M_PERIOD_FORM "报告期格式应为 2026-06、2026H1 或 2026"
#define M_UNLOCK_RIGHT "只有上级禁毒办可以解锁"

static const FieldSpec rp_notes_fields[] = {
  {FIELD_AT(ReportNotesInput, notes), .label_zh = "填报说明", .kind = FK_LONG, FIELD_CHARS(REPORT_NOTES_CHARS)},
};
const RecordSpec report_notes_record = RECORD_SPEC("report_notes", rp_notes_fields);
static const FieldSpec rp_unlock_fields[] = {
  {FIELD_AT(ReportUnlockInput, reason), .label_zh = "解锁原因", .kind = FK_LONG, FIELD_CHARS(REPORT_REASON_CHARS),
   .required = true},
};
const RecordSpec report_unlock_record = RECORD_SPEC("report_unlock", rp_unlock_fields);

void report_view_free(ReportView *v) {
  store_report_period_free(&v->row);
  free(v->children);
  free(v->child_state);
  free(v->cells);
  free(v->snap);
  free(v->diffs);
  v->children = NULL;
  v->child_state = NULL;
  v->cells = v->snap = NULL;
  v->diffs = NULL;
  v->nchildren = v->ncells = v->nsnap = v->ndiffs = 0;
}

const ReportCell *report_view_cells(const ReportView *v, int *n) {
  bool snap = v->row.state == DS_SUBMITTED;
  *n = snap ? v->nsnap : v->ncells;
  return snap ? v->snap : v->cells;
}

/* The form, unit and period of a request, inside the caller's transaction
 * (see app_report_get for the errors). */
static int rp_locate(Ctx *c, const char *form, const char *org, const char *period, bool submitting, ReportView *v,
                     Err *e) {
  v->form = report_form_by_code(form);
  if (!v->form) return err_set(e, ERR_NOT_FOUND, M_NO_FORM);
  Err le;
  err_clear(&le);
  if (!org || store_org_by_code(c->db, org, &v->org, &le) != ERR_OK || !actor_in_scope(c->actor, v->org.path)) {
    if (le.code != ERR_OK && le.code != ERR_NOT_FOUND) return err_set(e, le.code, le.msg);
    return err_set(e, ERR_NOT_FOUND, M_NO_ORG);
  }
  if (!period || !period_parse(period, &v->period)) return err_field(e, "period", M_PERIOD_FORM);
  if (report_check_period(v->form, v->period, c->today, submitting, e) != ERR_OK) return e->code;
  period_format(v->period, v->period_text);
  v->as_of = report_as_of(v->period, c->today);
  return ERR_OK;
}

/* The statistics period of a form's period. */
static StatPeriod rp_stat_period(Period p) {
  StatPeriodKind k = p.type == PERIOD_MONTH ? SP_MONTH : p.type == PERIOD_QUARTER ? SP_QUARTER
                     : p.type == PERIOD_HALF  ? SP_HALF
                     : p.type == PERIOD_YEAR  ? SP_YEAR
                                              : SP_CUSTOM;
  return (StatPeriod){k, period_first_day(p), period_last_day(p)};
}

/* Appends the cells of the form's measures for unit code from f. */
static void rp_cells_of(const ReportForm *form, const char *code, const StatsFigures *f, ReportCell **cells, int *n,
                        int *cap) {
  for (int i = 0; i < form->nlines; i++) {
    const StatMeasure *m = form->lines[i].key ? stats_measure_by_key(form->lines[i].key) : NULL;
    if (!m) continue;
    *cells = array_grow(*cells, *n, cap, sizeof **cells);
    ReportCell *cell = &(*cells)[(*n)++];
    memset(cell, 0, sizeof *cell);
    str_copy(cell->org, sizeof cell->org, code);
    str_copy(cell->key, sizeof cell->key, m->key);
    cell->num = stats_figure(f, m, false);
    cell->den = m->kind == SM_RATE ? stats_figure(f, m, true) : -1;
  }
}

/* The children and today's cells of v (located), inside the caller's
 * transaction. */
static int rp_compute(Ctx *c, ReportView *v, Err *e) {
  int rc = store_org_children(c->db, v->org.id, &v->children, &v->nchildren, e);
  if (rc != ERR_OK) return rc;
  StatsRow *rows = v->nchildren ? calloc((size_t)v->nchildren, sizeof *rows) : NULL;
  if (v->nchildren && !rows) abort();
  for (int i = 0; i < v->nchildren; i++) rows[i].unit = v->children[i];
  StatsWindow w = {v->as_of, rp_stat_period(v->period)};
  StatsFigures total;
  rc = stats_figures_step(c, &v->org, &w, &total, rows, v->nchildren, e);
  int cap = 0;
  for (int i = 0; rc == ERR_OK && i < v->nchildren; i++)
    rp_cells_of(v->form, v->children[i].code, &rows[i].f, &v->cells, &v->ncells, &cap);
  if (rc == ERR_OK) rp_cells_of(v->form, v->org.code, &total, &v->cells, &v->ncells, &cap);
  free(rows);
  return rc;
}

/* Everything of app_report_get inside the caller's transaction. */
static int rp_load(Ctx *c, const char *form, const char *org, const char *period, ReportView *v, Err *e) {
  if (rp_locate(c, form, org, period, false, v, e) != ERR_OK) return e->code;
  if (store_report_period_get(c->db, v->form->code, v->org.id, v->period_text, &v->row, e) != ERR_OK) return e->code;
  if (rp_compute(c, v, e) != ERR_OK) return e->code;
  if (v->nchildren) {
    int64_t *ids = malloc(sizeof *ids * (size_t)v->nchildren);
    DsState *st = malloc(sizeof *st * (size_t)v->nchildren);
    char(*at)[32] = malloc(sizeof *at * (size_t)v->nchildren);
    v->child_state = calloc((size_t)v->nchildren, sizeof *v->child_state);
    if (!ids || !st || !at || !v->child_state) abort();
    for (int i = 0; i < v->nchildren; i++) ids[i] = v->children[i].id;
    int rc = store_report_states(c->db, v->form->code, v->period_text, ids, v->nchildren, st, at, e);
    for (int i = 0; rc == ERR_OK && i < v->nchildren; i++) {
      v->child_state[i].state = st[i];
      str_copy(v->child_state[i].changed_at, sizeof v->child_state[i].changed_at, at[i]);
      v->children_submitted += st[i] == DS_SUBMITTED;
    }
    free(ids);
    free(st);
    free(at);
    if (rc != ERR_OK) return rc;
  }
  if (v->row.state == DS_SUBMITTED) {
    if (!report_snapshot_decode(v->row.snapshot, &v->snap, &v->nsnap))
      return err_set(e, ERR_INTERNAL, "报表快照无法读取");
    v->ndiffs = report_diff(v->snap, v->nsnap, v->cells, v->ncells, &v->diffs);
  }
  bool writer = actor_can(c->actor, PERM_PERSON_WRITE);
  v->may_edit = writer && v->row.state == DS_OPEN;
  v->may_submit = v->may_edit && period_last_day(v->period) < c->today;
  v->may_unlock = v->row.state == DS_SUBMITTED &&
                  (c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_OFFICE) &&
                  ds_path_above(c->actor->org_path, v->org.path);
  return ERR_OK;
}

int app_report_get(Ctx *c, const char *form, const char *org, const char *period, ReportView *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, rp_load(c, form, org, period, out, e), e);
  if (rc != ERR_OK) report_view_free(out);
  return rc;
}

/* The audit detail of a write: form and period. */
static void rp_detail(Buf *b, const ReportView *v) {
  audit_detail_kv(b, "form", v->form->code);
  audit_detail_kv(b, "period", v->period_text);
}

/* Begins a write on (form, org, period): *v zeroed and *id 0, the
 * transaction (which rp_write_end ends, whatever this returns), the
 * writer's right, the location, the row and its state (*id its id, 0: none
 * yet). */
static int rp_write_begin(Ctx *c, const char *form, const char *org, const char *period, bool submitting,
                          ReportView *v, int64_t *id, Err *e) {
  memset(v, 0, sizeof *v);
  *id = 0;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (rp_locate(c, form, org, period, submitting, v, e) != ERR_OK) return e->code;
  if (store_report_period_get(c->db, v->form->code, v->org.id, v->period_text, &v->row, e) != ERR_OK) return e->code;
  *id = v->row.id;
  return ERR_OK;
}

/* Ends a write: commits with the audit row (action), or fails. */
static int rp_write_end(Ctx *c, ReportView *v, int rc, const char *action, int64_t id, const char *k,
                        const char *val, Err *e) {
  if (rc != ERR_OK) {
    report_view_free(v);
    return app_fail(c, e);
  }
  Buf detail = BUF_INIT;
  rp_detail(&detail, v);
  if (k) audit_detail_kv(&detail, k, val);
  char path[ORG_PATH_MAX];
  str_copy(path, sizeof path, v->org.path);
  report_view_free(v);
  return app_commit(c, &(AppAudit){action, "report_period", id, path, &detail}, e);
}

int app_report_notes(Ctx *c, const char *form, const char *org, const char *period, const char *notes, Err *e) {
  ReportView v;
  int64_t id;
  DsState to;
  ReportNotesInput in = {notes ? notes : ""};
  int rc = rp_write_begin(c, form, org, period, false, &v, &id, e);
  if (rc == ERR_OK) rc = ds_transition(v.row.state, DS_EDIT, &to, e);
  if (rc == ERR_OK) rc = field_check_record(&report_notes_record, &in, c->today, e);
  if (rc == ERR_OK && strcmp(v.row.notes, in.notes) == 0) { /* nothing changes: nothing written */
    report_view_free(&v);
    return app_commit(c, NULL, e);
  }
  if (rc == ERR_OK)
    rc = store_report_period_ensure(c->db, v.form->code, v.org.id, v.period_text, c->actor->user_id, c->now_iso, &id,
                                    e);
  if (rc == ERR_OK) rc = store_report_period_set(c->db, id, to, in.notes, "", "", c->actor->user_id, c->now_iso, e);
  if (rc == ERR_OK) rc = store_report_log_add(c->db, id, "notes", in.notes, "", c->actor->user_id, c->now_iso, e);
  return rp_write_end(c, &v, rc, "notes", id, NULL, NULL, e);
}

int app_report_submit(Ctx *c, const char *form, const char *org, const char *period, Err *e) {
  ReportView v;
  int64_t id;
  DsState to;
  int rc = rp_write_begin(c, form, org, period, true, &v, &id, e);
  if (rc == ERR_OK) rc = ds_transition(v.row.state, DS_SUBMIT, &to, e);
  if (rc == ERR_OK) rc = rp_compute(c, &v, e);
  Buf snap = BUF_INIT;
  char as_of[DATE_ISO_LEN];
  date_format(v.as_of, as_of);
  if (rc == ERR_OK) {
    report_snapshot_encode(v.cells, v.ncells, &snap);
    rc = store_report_period_ensure(c->db, v.form->code, v.org.id, v.period_text, c->actor->user_id, c->now_iso, &id,
                                    e);
  }
  if (rc == ERR_OK)
    rc = store_report_period_set(c->db, id, to, NULL, buf_str(&snap), as_of, c->actor->user_id, c->now_iso, e);
  if (rc == ERR_OK) rc = store_report_log_add(c->db, id, "submit", "", buf_str(&snap), c->actor->user_id, c->now_iso, e);
  buf_reset(&snap);
  return rp_write_end(c, &v, rc, "submit", id, "as_of", as_of, e);
}

int app_report_unlock(Ctx *c, const char *form, const char *org, const char *period, const char *reason, Err *e) {
  ReportView v;
  int64_t id;
  DsState to;
  ReportUnlockInput in = {reason};
  int rc = rp_write_begin(c, form, org, period, false, &v, &id, e);
  if (rc == ERR_OK && !((c->actor->role == ROLE_ADMIN || c->actor->role == ROLE_OFFICE) &&
                        ds_path_above(c->actor->org_path, v.org.path)))
    rc = err_set(e, ERR_FORBIDDEN, M_UNLOCK_RIGHT);
  if (rc == ERR_OK) rc = field_check_record(&report_unlock_record, &in, c->today, e);
  if (rc == ERR_OK) rc = ds_transition(v.row.state, DS_UNLOCK, &to, e);
  if (rc == ERR_OK) rc = store_report_period_set(c->db, id, to, NULL, "", "", c->actor->user_id, c->now_iso, e);
  if (rc == ERR_OK) rc = store_report_log_add(c->db, id, "unlock", reason, "", c->actor->user_id, c->now_iso, e);
  return rp_write_end(c, &v, rc, "unlock", id, "reason", reason, e);
}

int app_report_history(Ctx *c, const char *form, const char *org, const char *period, ReportHistRow **out, int *n,
                       Err *e) {
  *out = NULL;
  *n = 0;
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  ReportView v;
  memset(&v, 0, sizeof v);
  int rc = rp_locate(c, form, org, period, false, &v, e);
  if (rc == ERR_OK) rc = store_report_period_get(c->db, v.form->code, v.org.id, v.period_text, &v.row, e);
  if (rc == ERR_OK && v.row.id) rc = store_report_history(c->db, v.row.id, out, n, e);
  report_view_free(&v);
  return app_read_done(c, rc, e);
}
