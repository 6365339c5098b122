/* web/api_report.c: the JSON API of report forms, data quality and
 * work-summary drafts (API.md "Statistics, assessment and reports"):
 * GET /api/v1/reports (the forms and their layouts),
 * GET/PUT /api/v1/reports/{form}/{org}/{period} (a form; PUT its notes),
 * POST .../submit (locks, with the snapshot), POST .../unlock {"reason"},
 * GET /api/v1/quality, GET /api/v1/summary (?format=docx: the Word file).
 * Parses, calls app/report.h, app/quality.h and app/summary.h, renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/quality.h"
#include "app/report.h"
#include "app/summary.h"
#include "core/stats.h"
#include "web/api_report.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/docx.h"
#include "web/export_report.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* {"num","den","value"} of a cell: den null and value the count for a
 * count; value the percentage (null when den is 0) for a rate. */
static void ar_cell(JsonW *w, const ReportCell *c) {
  jw_obj_begin(w);
  jw_key_int(w, "num", c->num);
  jw_key(w, "den");
  jw_int_or_null(w, c->den >= 0, c->den);
  jw_key(w, "value");
  int64_t tenths;
  if (c->den < 0) jw_int(w, c->num);
  else if (stats_rate_tenths(c->num, c->den, &tenths)) jw_tenths(w, tenths);
  else jw_null(w);
  jw_obj_end(w);
}

/* "lines":[{"heading"} | {"key","name","kind","definition"}] of a form. */
static void ar_lines(JsonW *w, const ReportForm *f) {
  jw_key(w, "lines");
  jw_arr_begin(w);
  for (int i = 0; i < f->nlines; i++) {
    jw_obj_begin(w);
    if (f->lines[i].heading) {
      jw_key_str(w, "heading", f->lines[i].heading);
    } else {
      const StatMeasure *m = stats_measure_by_key(f->lines[i].key);
      jw_key_str(w, "key", f->lines[i].key);
      jw_key_str(w, "name", m ? m->name_zh : "");
      jw_key_str(w, "kind", m && m->kind == SM_RATE ? "rate" : "count");
      jw_key_str(w, "definition", m ? m->def_zh : "");
    }
    jw_obj_end(w);
  }
  jw_arr_end(w);
}

/* GET /api/v1/reports → {"items":[{"form","title","period_type","lines"}],...}. */
void api_report_forms(Req *r) {
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < report_form_count(); i++) {
    const ReportForm *f = &report_forms[i];
    jw_obj_begin(&w);
    jw_key_str(&w, "form", f->code);
    jw_key_str(&w, "title", f->title_zh);
    jw_key_str(&w, "period_type", period_type_code(f->period));
    ar_lines(&w, f);
    jw_obj_end(&w);
  }
  jw_list_end(&w, report_form_count(), 0, 1, report_form_count());
  json_end(r, &w, 200);
}

/* "rows":[{"org","name","total","cells":{key: cell}}] of cells. */
static void ar_rows(JsonW *w, const ReportView *v, const ReportCell *cells, int n) {
  jw_key(w, "rows");
  jw_arr_begin(w);
  for (int i = 0; i <= v->nchildren; i++) {
    const OrgUnit *u = i < v->nchildren ? &v->children[i] : &v->org;
    jw_obj_begin(w);
    jw_key_str(w, "org", u->code);
    jw_key_str(w, "name", u->name);
    jw_key_bool(w, "total", i == v->nchildren);
    jw_key(w, "cells");
    jw_obj_begin(w);
    for (int k = 0; k < n; k++)
      if (strcmp(cells[k].org, u->code) == 0) {
        jw_key(w, cells[k].key);
        ar_cell(w, &cells[k]);
      }
    jw_obj_end(w);
    jw_obj_end(w);
  }
  jw_arr_end(w);
}

/* Writes the members of form view v. */
static void ar_json(JsonW *w, const Req *r, const void *view) {
  const ReportView *v = view;
  char label[PERIOD_LABEL_LEN], as_of[DATE_ISO_LEN];
  period_label(v->period, strcmp(r->lang, "en") == 0, label, sizeof label);
  date_format(v->as_of, as_of);
  bool submitted = v->row.state == DS_SUBMITTED;
  jw_key_str(w, "form", v->form->code);
  jw_key_str(w, "title", v->form->title_zh);
  jw_key_str(w, "org", v->org.code);
  jw_key_str(w, "org_name", v->org.name);
  jw_key_str(w, "period", v->period_text);
  jw_key_str(w, "period_label", label);
  jw_key_str(w, "state", ds_state_code(v->row.state));
  jw_key_str(w, "as_of", submitted ? v->row.as_of : as_of);
  jw_key_str(w, "notes", v->row.notes);
  jw_key_str_or_null(w, "changed_at", v->row.changed_at);
  jw_key_str_or_null(w, "changed_by", v->row.changed_by);
  jw_key_bool(w, "may_edit", v->may_edit);
  jw_key_bool(w, "may_submit", v->may_submit);
  jw_key_bool(w, "may_unlock", v->may_unlock);
  ar_lines(w, v->form);
  int n = 0;
  const ReportCell *cells = report_view_cells(v, &n);
  ar_rows(w, v, cells, n);
  jw_key(w, "differences");
  jw_arr_begin(w);
  for (int i = 0; i < v->ndiffs; i++) {
    const ReportDiff *d = &v->diffs[i];
    ReportCell then = {.num = d->then_num, .den = d->then_den}, now = {.num = d->now_num, .den = d->now_den};
    jw_obj_begin(w);
    jw_key_str(w, "org", d->org);
    jw_key_str(w, "key", d->key);
    jw_key(w, "submitted");
    if (d->then) ar_cell(w, &then);
    else jw_null(w);
    jw_key(w, "now");
    if (d->now) ar_cell(w, &now);
    else jw_null(w);
    jw_obj_end(w);
  }
  jw_arr_end(w);
  jw_key_int(w, "units_total", v->nchildren);
  jw_key_int(w, "units_submitted", v->children_submitted);
  jw_key(w, "units");
  jw_arr_begin(w);
  for (int i = 0; i < v->nchildren; i++) {
    jw_obj_begin(w);
    jw_key_str(w, "org", v->children[i].code);
    jw_key_str(w, "org_name", v->children[i].name);
    jw_key_str(w, "state", ds_state_code(v->child_state[i].state));
    jw_key_str_or_null(w, "changed_at", v->child_state[i].changed_at);
    jw_obj_end(w);
  }
  jw_arr_end(w);
}

/* Whether a history row holds a snapshot. */
static void ar_hist_snapshot(JsonW *w, const void *row) {
  const ReportHistRow *h = row;
  jw_bool(w, h->snapshot && *h->snapshot);
}

/* A history row. */
static const JwField ar_hist_fields[] = {
  JW_AT(ReportHistRow, action, JF_STR), JW_AT(ReportHistRow, text, JF_TEXT), JW_FN("snapshot", ar_hist_snapshot),
  JW_AT(ReportHistRow, by, JF_STR), JW_AT(ReportHistRow, at, JF_STR), {0}};
static void ar_hist_json(JsonW *w, const void *row) { jw_record(w, ar_hist_fields, row); }

static int ar_get(Ctx *c, char (*seg)[AU_SEG], void *view, Err *e) {
  return app_report_get(c, seg[0], seg[1], seg[2], view, e);
}
static int ar_history(Ctx *c, char (*seg)[AU_SEG], void *rows, int *n, Err *e) {
  return app_report_history(c, seg[0], seg[1], seg[2], rows, n, e);
}
static void ar_view_free(void *view) { report_view_free(view); }
static void ar_hist_free(void *rows, int n) { store_report_history_free(rows, n); }
static void ar_xlsx(Req *r, const void *view) { export_report(r, view); }

static int ar_submit(Req *r, char (*seg)[AU_SEG], Err *e) {
  return app_report_submit(&r->ctx, seg[0], seg[1], seg[2], e);
}
static int ar_unlock(Ctx *c, char (*seg)[AU_SEG], const char *reason, Err *e) {
  return app_report_unlock(c, seg[0], seg[1], seg[2], reason, e);
}

/* Writes the "notes" of body on the path's form. */
static void ar_put(Req *r, char (*seg)[AU_SEG], json_t *body, Err *e) {
  ReportNotesInput in = {NULL};
  bind_json(r, body, &report_notes_record, NULL, &in, e);
  if (e->code == ERR_OK) app_report_notes(&r->ctx, seg[0], seg[1], seg[2], in.notes ? in.notes : "", e);
}
static const char *const ar_put_keys[] = {"notes", NULL};

static const AuPeriodKind ar_kind = {
  .prefix = "/api/v1/reports/", .size = sizeof(ReportView), .get = ar_get, .view_free = ar_view_free,
  .xlsx = ar_xlsx, .history = ar_history, .hist_free = ar_hist_free, .hsize = sizeof(ReportHistRow),
  .hist_json = ar_hist_json, .json = ar_json, .submit = ar_submit, .unlock = ar_unlock,
  .unlock_spec = &report_unlock_record, .unlock_size = sizeof(ReportUnlockInput), .put_keys = ar_put_keys,
  .put = ar_put};

/* GET /api/v1/reports/{form}/{org}/{period}[?history=1][&format=xlsx]. */
void api_report_get(Req *r) { au_period_show(r, &ar_kind, 200, au_history_wanted(r)); }

/* PUT /api/v1/reports/{form}/{org}/{period} {"notes"} → 200 with the form;
 * 409 when submitted. */
void api_report_put(Req *r) { au_period_put(r, &ar_kind); }

/* POST .../submit → 200 with the form, submitted; 400 while the period
 * runs; 409 when already submitted. */
void api_report_submit(Req *r) { au_period_submit(r, &ar_kind); }

/* POST .../unlock {"reason"} → 200 with it, open again. 403 unless the
 * office above; 400 without a reason; 409 when not submitted. */
void api_report_unlock(Req *r) { au_period_unlock(r, &ar_kind); }

/* A tally's members: files, failing, and the two rates with their checks. */
static void ar_tally(JsonW *w, const QualityTally *t) {
  jw_key_int(w, "files", t->files);
  jw_key_int(w, "failing", t->failing);
  const char *names[2] = {"complete_rate", "logic_rate"};
  int64_t ok[2] = {t->complete_ok, t->logic_ok}, all[2] = {t->complete_all, t->logic_all};
  for (int i = 0; i < 2; i++) {
    int64_t tenths;
    jw_key(w, names[i]);
    jw_obj_begin(w);
    jw_key_int(w, "num", ok[i]);
    jw_key_int(w, "den", all[i]);
    jw_key(w, "value");
    if (stats_rate_tenths(ok[i], all[i], &tenths)) jw_tenths(w, tenths);
    else jw_null(w);
    jw_obj_end(w);
  }
}

/* The codes of the rules a file fails. */
static void ar_failed(JsonW *w, const void *row) {
  const QualityFailing *q = row;
  jw_arr_begin(w);
  for (int k = 0; k < quality_rule_count(); k++)
    if (q->failed >> k & 1) jw_str(w, quality_rules[k].code);
  jw_arr_end(w);
}

/* A case file that fails a rule (the ID number masked). */
static const JwField ar_failing_fields[] = {
  JW_AT(QualityFailing, person_id, JF_I64), JW_AT(QualityFailing, name, JF_STR),
  JW_AS("id_number", QualityFailing, id_masked, JF_STR), JW_AS("org", QualityFailing, org_code, JF_STR),
  JW_AT(QualityFailing, org_name, JF_STR), JW_FN("failed", ar_failed), {0}};

/* GET /api/v1/quality?org=&rule=&page=&per_page= → {"org","name",
 * "rules":[{"code","kind","name","definition","failing"}], the unit's tally,
 * "units":[{"rank","org","name", tally}], "items":[{"person_id","name",
 * "id_number" (masked),"org","org_name","failed":[codes]}],"total","page",
 * "per_page"}; ?format=xlsx. */
void api_quality(Req *r) {
  int page, per_page;
  if (!json_paging(r, 50, &page, &per_page)) return;
  Err e;
  err_clear(&e);
  bool xlsx = xlsx_wanted(r);
  QualityView v;
  int rc = app_quality(&r->ctx, req_query(r, "org"), req_query(r, "rule"), xlsx ? 1 : page, xlsx ? 1 : per_page, &v,
                       &e);
  if (rc == ERR_OK && xlsx) {
    export_quality(r, &v);
    quality_view_free(&v);
    return;
  }
  JsonW w;
  if (!json_list_open(r, rc, &e, &w)) return;
  for (int i = 0; i < v.nfailing; i++) jw_record(&w, ar_failing_fields, &v.failing[i]);
  jw_list_fields(&w, v.failing_total, 0, v.page, v.per_page);
  jw_key_str(&w, "org", v.unit.code);
  jw_key_str(&w, "name", v.unit.name);
  jw_key_str_or_null(&w, "rule", v.rule ? v.rule->code : NULL);
  ar_tally(&w, &v.total);
  jw_key(&w, "rules");
  jw_arr_begin(&w);
  for (int i = 0; i < quality_rule_count(); i++) {
    jw_obj_begin(&w);
    jw_key_str(&w, "code", quality_rules[i].code);
    jw_key_str(&w, "kind", quality_kind_code(quality_rules[i].kind));
    jw_key_str(&w, "name", quality_rules[i].name_zh);
    jw_key_str(&w, "definition", quality_rules[i].def_zh);
    jw_key_int(&w, "failing", v.rule_fails[i]);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_key(&w, "units");
  jw_arr_begin(&w);
  for (int i = 0; i < v.nrows; i++) {
    jw_obj_begin(&w);
    jw_key_int(&w, "rank", v.rows[i].rank);
    jw_key_str(&w, "org", v.rows[i].unit.code);
    jw_key_str(&w, "name", v.rows[i].unit.name);
    ar_tally(&w, &v.rows[i].t);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_obj_end(&w);
  quality_view_free(&v);
  json_end(r, &w, 200);
}

void summary_query_read(const Req *r, SummaryQuery *q) {
  q->org = req_query(r, "org");
  q->period = req_query(r, "period");
  q->from = req_query(r, "from");
  q->to = req_query(r, "to");
}

bool summary_get(Req *r, SummaryQuery *q, SummaryDraft *d, bool invalid_ok, bool *ok, Err *e) {
  bool read;
  if (!ok) ok = &read;
  summary_query_read(r, q);
  err_clear(e);
  *ok = app_summary(&r->ctx, q, d, e) == ERR_OK;
  if (!*ok && !(invalid_ok && e->code == ERR_INVALID)) {
    resp_error(r, e);
    return false;
  }
  const char *f = req_query(r, "format");
  if (!*ok || !f || strcmp(f, "docx") != 0) return true;
  Buf name = BUF_INIT;
  summary_docx_name(&name, buf_str(&d->title));
  docx_send(r, buf_str(&d->title), buf_str(&d->text), buf_str(&name));
  buf_reset(&name);
  summary_draft_free(d);
  return false;
}

void summary_docx_name(Buf *b, const char *title) { buf_printf(b, "%s（草稿）.docx", title); }

/* The title and the text of a draft. */
static void ar_summary_title(JsonW *w, const void *d) { jw_str(w, buf_str(&((const SummaryDraft *)d)->title)); }
static void ar_summary_text(JsonW *w, const void *d) { jw_str(w, buf_str(&((const SummaryDraft *)d)->text)); }

/* A work-summary draft. */
static const JwField ar_summary_fields[] = {
  JW_FN("title", ar_summary_title), JW_FN("text", ar_summary_text), JW_AS("org", SummaryDraft, unit.code, JF_STR),
  JW_AS("org_name", SummaryDraft, unit.name, JF_STR), JW_AT(SummaryDraft, from, JF_STR),
  JW_AT(SummaryDraft, to, JF_STR), JW_AT(SummaryDraft, as_of, JF_STR), {0}};

/* GET /api/v1/summary?org=&period=&from=&to= → {"title","text","org",
 * "org_name","from","to","as_of"}; &format=docx: the Word file. */
void api_summary(Req *r) {
  SummaryQuery q;
  SummaryDraft d;
  Err e;
  if (!summary_get(r, &q, &d, false, NULL, &e)) return;
  JsonW w;
  json_begin(r, &w);
  jw_record(&w, ar_summary_fields, &d);
  summary_draft_free(&d);
  json_end(r, &w, 200);
}
