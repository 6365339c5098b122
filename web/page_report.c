/* web/page_report.c: the pages of report forms (报表: /reports, the form of
 * a unit for a period, its notes, submit, unlock, history, the units below
 * that have or have not submitted; print and .xlsx), data quality
 * (/quality: the units ranked by completeness and logical accuracy, the
 * rules with their failures, the failing files each linked to its case
 * file) and the work-summary draft (/summary: the draft in an editable
 * text area, downloaded as Word as edited, or printed). Parses, calls
 * app/report.h, app/quality.h, app/summary.h, renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/quality.h"
#include "app/report.h"
#include "app/summary.h"
#include "core/stats.h"
#include "web/api_report.h"
#include "web/bind.h"
#include "web/docx.h"
#include "web/export_report.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* ---- report forms ------------------------------------------------------------ */

typedef struct RpReq {
  char form[16];
  char org[64];
  char period[PERIOD_TEXT_LEN];
} RpReq;

/* The request's form, unit and period (posted, else the query; defaults:
 * the monthly form, the actor's unit, the form's last ended period). */
static void pr_req(Req *r, RpReq *q) {
  const char *form = unit_val(r, "form", ""), *org = unit_val(r, "org", ""), *period = unit_val(r, "period", "");
  const ReportForm *f = report_form_by_code(form);
  str_copy(q->form, sizeof q->form, f ? f->code : *form ? form : "monthly");
  str_copy(q->org, sizeof q->org, *org ? org : r->actor.org_code);
  if (*period || !f) f = f ? f : report_form_by_code("monthly");
  if (*period) str_copy(q->period, sizeof q->period, period);
  else period_format(period_add(period_of(f->period, r->ctx.today), -1), q->period);
}

static void pr_url(Buf *b, const RpReq *q, const char *extra) {
  page_doc_url(b, "/reports", "form", q->form, q->org, q->period, extra);
}

/* A period select of kind: the current period and those before it (count
 * in all); sel stays offered when it is none of them. */
static void pr_period_select(Req *r, PeriodType kind, int count, const char *sel, const char *err) {
  html(r, "<div class=\"field%s\"><label for=\"f-period\">%s</label><select id=\"f-period\" name=\"period\">",
       err ? " has-error" : "", T(r, "报告期"));
  bool found = false;
  Period p = period_of(kind, r->ctx.today);
  for (int i = 0; i < count; i++) {
    Period x = period_add(p, -i);
    if (!period_valid(x)) break;
    char text[PERIOD_TEXT_LEN], label[PERIOD_LABEL_LEN];
    period_format(x, text);
    period_label(x, strcmp(r->lang, "en") == 0, label, sizeof label);
    found = found || strcmp(text, sel) == 0;
    html(r, "<option value=\"%s\"%s>%s</option>", text, strcmp(text, sel) == 0 ? " selected" : "", label);
  }
  if (!found && *sel) html(r, "<option value=\"%s\" selected>%s</option>", sel, sel);
  html_raw(r, "</select>");
  if (err) html(r, "<span class=\"field-error\" id=\"e-period\">%s</span>", T(r, err));
  html_raw(r, "</div>");
}

static void pr_chooser(Req *r, const RpReq *q, const Err *e) {
  const ReportForm *cur = report_form_by_code(q->form);
  html_raw(r, "<form method=\"get\" action=\"/reports\" class=\"filters\">");
  html(r, "<div class=\"field\"><label for=\"f-form\">%s</label><select id=\"f-form\" name=\"form\">", T(r, "报表"));
  for (int i = 0; i < report_form_count(); i++)
    html(r, "<option value=\"%s\"%s>%s</option>", report_forms[i].code, &report_forms[i] == cur ? " selected" : "",
         T(r, report_forms[i].title_zh));
  html_raw(r, "</select></div>");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = q->org, .error_zh = unit_ferr(e, "org"),
                         .levels = PICK_ANY});
  PeriodType kind = cur ? cur->period : PERIOD_MONTH;
  pr_period_select(r, kind, kind == PERIOD_MONTH ? 24 : kind == PERIOD_HALF ? 6 : 4, q->period, unit_ferr(e, "period"));
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查看"));
}

static const char *const *pr_pairs(const RpReq *q, const char *pairs[7]) {
  const char *v[7] = {"form", q->form, "org", q->org, "period", q->period, NULL};
  memcpy(pairs, v, sizeof v);
  return pairs;
}

/* A cell's figure: the count, or the rate with its numerator and denominator. */
static void pr_figure(Req *r, int64_t num, int64_t den) {
  if (den < 0) {
    html(r, "%lld", (long long)num);
    return;
  }
  char rate[STATS_RATE_TEXT_LEN];
  stats_rate_text(num, den, rate);
  html(r, "%s <small class=\"muted\">%lld/%lld</small>", rate, (long long)num, (long long)den);
}

/* The form's table: a row per child unit (linked to its own form, with its
 * submission), then 合计; a submitted form shows its snapshot, and today's
 * figure beside every cell that differs. */
static void pr_table(Req *r, const ReportView *v, const RpReq *q, bool print) {
  int n = 0;
  const ReportCell *cells = report_view_cells(v, &n);
  bool snap = v->row.state == DS_SUBMITTED;
  html(r, "<div class=\"table-wrap\"><table class=\"records report-form\"><thead><tr><th rowspan=\"2\">%s</th>",
       T(r, "单位"));
  for (int i = 0; i < v->form->nlines;) {
    int span = 0, k = i + 1;
    while (k < v->form->nlines && !v->form->lines[k].heading) k++, span++;
    if (v->form->lines[i].heading) html(r, "<th colspan=\"%d\">%s</th>", span, T(r, v->form->lines[i].heading));
    i = k;
  }
  if (v->nchildren) html(r, "<th rowspan=\"2\">%s</th>", T(r, "上报情况"));
  html_raw(r, "</tr><tr>");
  for (int i = 0; i < v->form->nlines; i++) {
    const StatMeasure *m = v->form->lines[i].key ? stats_measure_by_key(v->form->lines[i].key) : NULL;
    if (m) html(r, "<th>%s</th>", T(r, m->name_zh));
  }
  html_raw(r, "</tr></thead><tbody>");
  Buf url = BUF_INIT;
  for (int row = 0; row <= v->nchildren; row++) {
    const OrgUnit *u = row < v->nchildren ? &v->children[row] : &v->org;
    if (row < v->nchildren && !print) {
      RpReq one = *q;
      str_copy(one.org, sizeof one.org, u->code);
      pr_url(&url, &one, NULL);
      html(r, "<tr><td><a href=\"%s\">%s</a></td>", buf_str(&url), u->name);
    } else {
      if (row == v->nchildren) html(r, "<tr class=\"total\"><td>%s</td>", T(r, "合计"));
      else html(r, "<tr><td>%s</td>", u->name);
    }
    for (int i = 0; i < v->form->nlines; i++) {
      const char *key = v->form->lines[i].key;
      if (!key) continue;
      const ReportCell *c = report_cell_find(cells, n, u->code, key);
      html_raw(r, "<td>");
      if (c) pr_figure(r, c->num, c->den);
      else html_raw(r, "—");
      if (snap) {
        const ReportCell *now = report_cell_find(v->cells, v->ncells, u->code, key);
        if (now && (!c || now->num != c->num || now->den != c->den)) {
          html(r, "<br><span class=\"diff\">%s ", T(r, "现为"));
          pr_figure(r, now->num, now->den);
          html_raw(r, "</span>");
        }
      }
      html_raw(r, "</td>");
    }
    if (v->nchildren) {
      if (row < v->nchildren)
        html(r, "<td>%s</td>", T(r, ds_state_name_zh(v->child_state[row].state)));
      else html(r, "<td>%d/%d</td>", v->children_submitted, v->nchildren);
    }
    html_raw(r, "</tr>");
  }
  html_raw(r, "</tbody></table></div>");
  buf_reset(&url);
  if (snap && v->ndiffs)
    html(r, "<p class=\"notice\">%s %d</p>", T(r, "上报后数据有变动的单元格："), v->ndiffs);
  html(r, "<details class=\"footnotes\"%s><summary>%s</summary><dl class=\"kv\">", print ? " open" : "",
       T(r, "指标说明"));
  for (int i = 0; i < v->form->nlines; i++) {
    const StatMeasure *m = v->form->lines[i].key ? stats_measure_by_key(v->form->lines[i].key) : NULL;
    if (m) html(r, "<dt>%s</dt><dd>%s</dd>", T(r, m->name_zh), T(r, m->def_zh));
  }
  html_raw(r, "</dl></details>");
}

/* Opens a form of the report (form_tag: the <form> tag's markup) with its
 * CSRF token, the hidden form, unit and period of q and e's summary (e may
 * be NULL). */
static void pr_form_open(Req *r, const char *form_tag, const RpReq *q, const Err *e) {
  html_raw(r, form_tag);
  form_csrf(r);
  const char *pairs[7];
  page_hidden(r, pr_pairs(q, pairs));
  if (e) form_error_summary(r, e);
}

/* The notes, submit and unlock forms; failed names the form e belongs to. */
static void pr_forms(Req *r, const ReportView *v, const RpReq *q, const char *failed, const Err *e) {
  const Err *ne = page_form_err(failed, "notes", e);
  if (v->may_edit) {
    pr_form_open(r, "<form method=\"post\" action=\"/reports/notes\" class=\"rec-form\">", q, ne);
    bind_form_control(r, bind_field(&report_notes_record, "notes"), ne ? req_form_str(r, "notes") : v->row.notes,
                      unit_ferr(ne, "notes"));
    html(r, "<div class=\"field\"><button type=\"submit\" class=\"secondary\">%s</button></div></form>", T(r, "保存说明"));
  } else if (v->row.notes[0]) {
    html(r, "<p><strong>%s</strong> %s</p>", T(r, "填报说明："), v->row.notes);
  }
  const Err *se = page_form_err(failed, "submit", e);
  if (v->may_submit) {
    pr_form_open(r, "<form method=\"post\" action=\"/reports/submit\" id=\"submit-form\">", q, se);
    html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button></div>"
            "<p class=\"muted\">%s</p></form>",
         T(r, "上报（锁定）"), T(r, "上报后报表数据将保存为快照并锁定，需上级禁毒办解锁才能修改。"));
  } else if (v->may_edit) {
    if (se) form_error_summary(r, se);
    html(r, "<p class=\"muted\">%s</p>", T(r, "报告期结束后才能上报"));
  }
  if (v->row.state == DS_SUBMITTED)
    html(r, "<p class=\"muted\">%s</p>", T(r, "已上报并锁定；如需修改，请上级禁毒办解锁。"));
  if (v->may_unlock) {
    const Err *ue = page_form_err(failed, "unlock", e);
    const char *pairs[7];
    page_unlock_form(r, "/reports/unlock", pr_pairs(q, pairs), bind_field(&report_unlock_record, "reason"), ue);
  }
}

static void pr_history(Req *r, const RpReq *q) {
  ReportHistRow *h = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_report_history(&r->ctx, q->form, q->org, q->period, &h, &n, &e) != ERR_OK || n == 0) {
    store_report_history_free(h, n);
    return;
  }
  page_history_begin(r);
  for (int i = 0; i < n; i++) {
    char at[DATE_TIME_SHORT_LEN];
    const char *what = strcmp(h[i].action, "submit") == 0   ? "上报"
                       : strcmp(h[i].action, "unlock") == 0 ? "解锁"
                                                            : "填报说明";
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", date_time_short(h[i].at, at), page_dash(h[i].by),
         T(r, what), h[i].text);
  }
  html_raw(r, "</tbody></table></section>");
  store_report_history_free(h, n);
}

static void pr_render(Req *r, const char *failed, const Err *fe) {
  RpReq q;
  pr_req(r, &q);
  ReportView v;
  Err e;
  err_clear(&e);
  bool ok = app_report_get(&r->ctx, q.form, q.org, q.period, &v, &e) == ERR_OK;
  if (!ok && e.code != ERR_INVALID && e.code != ERR_NOT_FOUND) {
    resp_error(r, &e);
    return;
  }
  if (!ok) r->status = err_http_status(e.code); /* the chooser with the message, under the error's status */
  if (ok && xlsx_wanted(r)) {
    export_report(r, &v);
    report_view_free(&v);
    return;
  }
  bool print = ok && strcmp(page_s(req_query(r, "print")), "1") == 0;
  char label[PERIOD_LABEL_LEN], as_of[DATE_ISO_LEN];
  Buf url = BUF_INIT;
  page_begin(r, T(r, "报表"), print);
  if (!print) {
    html(r, "<h1>%s</h1>", T(r, "报表"));
    const char *saved = page_s(req_query(r, "saved"));
    if (*saved)
      html(r, "<div class=\"notice\">%s</div>",
           T(r, strcmp(saved, "submit") == 0 ? "已上报" : strcmp(saved, "unlock") == 0 ? "已解锁" : "已保存"));
    html_raw(r, "<div class=\"actions\">");
    if (ok) {
      pr_url(&url, &q, "format=xlsx");
      html(r, "<a class=\"button secondary\" href=\"%s\" download>%s</a>", buf_str(&url), T(r, "导出 Excel"));
      pr_url(&url, &q, "print=1");
      html(r, "<a class=\"button secondary\" href=\"%s\">%s</a>", buf_str(&url), T(r, "打印"));
    }
    html(r, "<a class=\"button secondary\" href=\"/quality\">%s</a><a class=\"button secondary\" href=\"/summary\">%s</a>",
         T(r, "数据质量"), T(r, "工作总结"));
    html_raw(r, "</div>");
    pr_chooser(r, &q, ok ? NULL : &e);
    if (!ok) form_error_summary(r, &e);
  }
  if (ok) {
    period_label(v.period, strcmp(r->lang, "en") == 0, label, sizeof label);
    date_format(v.as_of, as_of);
    bool snap = v.row.state == DS_SUBMITTED;
    html(r, "<section class=\"card\" id=\"report\"><h2>%s · %s · %s</h2>", T(r, v.form->title_zh), v.org.name, label);
    html(r, "<p><span class=\"badge %s\" id=\"report-state\">%s</span> <span class=\"muted\">%s %s</span>",
         snap ? "ok" : "st-pending", T(r, ds_state_name_zh(v.row.state)), T(r, "统计日"), snap ? v.row.as_of : as_of);
    if (v.row.changed_at[0]) {
      char at[DATE_TIME_SHORT_LEN];
      html(r, " <span class=\"muted\">%s %s %s</span>", T(r, "最后修改"), date_time_short(v.row.changed_at, at),
           v.row.changed_by);
    }
    html_raw(r, "</p>");
    pr_table(r, &v, &q, print);
    if (print) {
      if (v.row.notes[0]) html(r, "<p><strong>%s</strong> %s</p>", T(r, "填报说明："), v.row.notes);
    } else {
      pr_forms(r, &v, &q, failed, fe);
    }
    html_raw(r, "</section>");
    if (!print) pr_history(r, &q);
    report_view_free(&v);
  }
  page_end(r);
  buf_reset(&url);
}

/* GET /reports?form=&org=&period=[&format=xlsx][&print=1]. */
void page_report(Req *r) { pr_render(r, NULL, NULL); }

/* Answers the post of the report's form `form` (notes, submit, unlock) for
 * the posted form, unit and period: its write, then back to the report
 * with notice, or the page again with the errors beside the form. */
static void pr_post(Req *r, const char *form, const char *notice) {
  RpReq q;
  pr_req(r, &q);
  Err e;
  err_clear(&e);
  if (strcmp(form, "submit") == 0) {
    app_report_submit(&r->ctx, q.form, q.org, q.period, &e);
  } else if (strcmp(form, "notes") == 0) {
    ReportNotesInput in = {NULL};
    bind_form(r, &report_notes_record, &in, &e);
    if (e.code == ERR_OK) app_report_notes(&r->ctx, q.form, q.org, q.period, in.notes ? in.notes : "", &e);
  } else {
    ReportUnlockInput in = {NULL};
    bind_form(r, &report_unlock_record, &in, &e);
    if (e.code == ERR_OK) app_report_unlock(&r->ctx, q.form, q.org, q.period, in.reason, &e);
  }
  if (!page_form_ok(r, e.code, &e, pr_render, form)) return;
  Buf url = BUF_INIT;
  pr_url(&url, &q, notice);
  page_redirect_buf(r, &url, "#report");
}

/* POST /reports/notes: form, org, period, notes. */
void page_report_notes(Req *r) { pr_post(r, "notes", "saved=1"); }

/* POST /reports/submit: form, org, period. */
void page_report_submit(Req *r) { pr_post(r, "submit", "saved=submit"); }

/* POST /reports/unlock: form, org, period, reason. */
void page_report_unlock(Req *r) { pr_post(r, "unlock", "saved=unlock"); }

/* ---- data quality --------------------------------------------------------------- */

/* "98.5%（1234/1250）" of a rate, "—" without checks. */
static void pq_rate(Req *r, int64_t ok, int64_t all) {
  char rate[STATS_RATE_TEXT_LEN];
  stats_rate_text(ok, all, rate);
  html(r, "%s <small class=\"muted\">%lld/%lld</small>", rate, (long long)ok, (long long)all);
}

/* GET /quality?org=&rule=&page=[&format=xlsx]. */
void page_quality(Req *r) {
  const char *org = page_s(req_query(r, "org")), *rule = page_s(req_query(r, "rule"));
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);
  bool xlsx = xlsx_wanted(r);
  QualityView v;
  Err e;
  err_clear(&e);
  bool ok = app_quality(&r->ctx, org, rule, xlsx ? 1 : page, xlsx ? 1 : 50, &v, &e) == ERR_OK;
  if (!ok && e.code != ERR_INVALID) {
    resp_error(r, &e);
    return;
  }
  if (!ok) r->status = err_http_status(e.code); /* the form with the message, under 400 */
  if (ok && xlsx) {
    export_quality(r, &v);
    quality_view_free(&v);
    return;
  }
  Buf url = BUF_INIT;
  page_begin(r, T(r, "数据质量"), false);
  html(r, "<h1>%s</h1><div class=\"actions\">", T(r, "数据质量"));
  if (ok) {
    buf_puts(&url, "/quality");
    page_query_param(&url, "org", v.unit.code);
    page_query_param(&url, "rule", rule);
    buf_puts(&url, "&format=xlsx");
    html(r, "<a class=\"button secondary\" href=\"%s\" download>%s</a>", buf_str(&url), T(r, "导出 Excel"));
  }
  html(r, "<a class=\"button secondary\" href=\"/reports\">%s</a></div>", T(r, "报表"));
  html_raw(r, "<form method=\"get\" action=\"/quality\" class=\"filters\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = *org ? org : r->actor.org_code,
                         .error_zh = unit_ferr(ok ? NULL : &e, "org"), .levels = PICK_ANY});
  html(r, "<div class=\"field\"><label for=\"f-rule\">%s</label><select id=\"f-rule\" name=\"rule\"><option value=\"\">%s</option>",
       T(r, "质量规则"), T(r, "全部规则"));
  for (int i = 0; i < quality_rule_count(); i++)
    html(r, "<option value=\"%s\"%s>%s</option>", quality_rules[i].code,
         strcmp(quality_rules[i].code, rule) == 0 ? " selected" : "", T(r, quality_rules[i].name_zh));
  html(r, "</select></div><div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查看"));
  if (!ok) {
    form_error_summary(r, &e);
    page_end(r);
    buf_reset(&url);
    return;
  }
  html(r, "<section class=\"card\"><h2>%s</h2><dl class=\"kv\"><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>",
       v.unit.name, T(r, "档案数"), (long long)v.total.files, T(r, "有问题档案数"), (long long)v.total.failing,
       T(r, "完整率"));
  pq_rate(r, v.total.complete_ok, v.total.complete_all);
  html(r, "</dd><dt>%s</dt><dd>", T(r, "逻辑准确率"));
  pq_rate(r, v.total.logic_ok, v.total.logic_all);
  html_raw(r, "</dd></dl></section>");
  if (v.nrows) {
    html(r, "<section class=\"card\"><h2>%s</h2><table class=\"records\" id=\"quality-rank\"><thead><tr><th>%s</th>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "排名"), T(r, "排名"), T(r, "单位"), T(r, "档案数"), T(r, "有问题档案数"), T(r, "完整率"), T(r, "逻辑准确率"));
    for (int i = 0; i < v.nrows; i++) {
      const QualityUnitRow *u = &v.rows[i];
      buf_clear(&url);
      buf_puts(&url, "/quality");
      page_query_param(&url, "org", u->unit.code);
      page_query_param(&url, "rule", rule);
      html(r, "<tr><td>%d</td><td><a href=\"%s\">%s</a></td><td>%lld</td><td>%lld</td><td>", u->rank, buf_str(&url),
           u->unit.name, (long long)u->t.files, (long long)u->t.failing);
      pq_rate(r, u->t.complete_ok, u->t.complete_all);
      html_raw(r, "</td><td>");
      pq_rate(r, u->t.logic_ok, u->t.logic_all);
      html_raw(r, "</td></tr>");
    }
    html_raw(r, "</tbody></table></section>");
  }
  html(r, "<section class=\"card\"><h2>%s</h2><table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
          "<th>%s</th></tr></thead><tbody>",
       T(r, "质量规则"), T(r, "规则"), T(r, "类别"), T(r, "说明"), T(r, "不符合档案数"));
  for (int i = 0; i < quality_rule_count(); i++) {
    const QualityRule *q = &quality_rules[i];
    buf_clear(&url);
    buf_puts(&url, "/quality");
    page_query_param(&url, "org", v.unit.code);
    page_query_param(&url, "rule", q->code);
    html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td><a href=\"%s\">%lld</a></td></tr>", T(r, q->name_zh),
         T(r, q->kind == QK_LOGIC ? "逻辑准确" : "信息完整"), T(r, q->def_zh), buf_str(&url), (long long)v.rule_fails[i]);
  }
  html_raw(r, "</tbody></table></section>");
  html(r, "<section class=\"card\" id=\"failing\"><h2>%s%s%s</h2>", T(r, "有问题的档案"), v.rule ? " · " : "",
       v.rule ? T(r, v.rule->name_zh) : "");
  if (!v.nfailing) html(r, "<p class=\"muted\">%s</p>", T(r, "没有不符合规则的档案"));
  else {
    html(r, "<table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "姓名"), T(r, "身份证号"), T(r, "单位"), T(r, "问题"));
    for (int i = 0; i < v.nfailing; i++) {
      const QualityFailing *f = &v.failing[i];
      html(r, "<tr><td><a href=\"/persons/%lld\">%s</a></td><td>%s</td><td>%s</td><td>", (long long)f->person_id,
           f->name, f->id_masked, f->org_name);
      for (int k = 0, first = 1; k < quality_rule_count(); k++)
        if (f->failed >> k & 1) {
          html(r, "%s%s", first ? "" : "、", T(r, quality_rules[k].name_zh));
          first = 0;
        }
      html_raw(r, "</td></tr>");
    }
    html_raw(r, "</tbody></table>");
    buf_clear(&url);
    buf_puts(&url, "/quality");
    page_query_param(&url, "org", v.unit.code);
    page_query_param(&url, "rule", rule);
    html_pager(r, buf_str(&url), v.page, v.per_page, v.failing_total);
  }
  html_raw(r, "</section>");
  page_end(r);
  quality_view_free(&v);
  buf_reset(&url);
}

/* ---- work-summary draft ------------------------------------------------------------ */

#define SUMMARY_TEXT_CHARS 20000
#define SUMMARY_TITLE_CHARS 100

/* GET /summary?org=&period=[&from=&to=][&format=docx][&print=1]. */
void page_summary(Req *r) {
  SummaryQuery q;
  SummaryDraft d;
  Err e;
  bool ok;
  if (!summary_get(r, &q, &d, true, &ok, &e)) return;
  if (!ok) r->status = err_http_status(e.code); /* the form with the message, under 400 */
  bool print = ok && strcmp(page_s(req_query(r, "print")), "1") == 0;
  page_begin(r, T(r, "工作总结"), print);
  if (print) {
    html(r, "<article class=\"summary-print\"><h1>%s</h1>", buf_str(&d.title));
    const char *s = buf_str(&d.text);
    while (*s) {
      size_t n = strcspn(s, "\n");
      html(r, "<p>%.*s</p>", (int)n, s);
      s += n + (s[n] == '\n');
    }
    html_raw(r, "</article>");
    page_end(r);
    summary_draft_free(&d);
    return;
  }
  html(r, "<h1>%s</h1><div class=\"actions\"><a class=\"button secondary\" href=\"/reports\">%s</a></div>",
       T(r, "工作总结"), T(r, "报表"));
  const char *period = page_s(q.period);
  html_raw(r, "<form method=\"get\" action=\"/summary\" class=\"filters\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = *page_s(q.org) ? q.org : r->actor.org_code,
                         .error_zh = unit_ferr(ok ? NULL : &e, "org"), .levels = PICK_ANY});
  html(r, "<div class=\"field%s\"><label for=\"f-period\">%s</label><select id=\"f-period\" name=\"period\">",
       unit_ferr(ok ? NULL : &e, "period") ? " has-error" : "", T(r, "总结期"));
  Period half = period_of(PERIOD_HALF, r->ctx.today), year = period_of(PERIOD_YEAR, r->ctx.today);
  Period opts[6] = {half, period_add(half, -1), period_add(half, -2), year, period_add(year, -1), period_add(year, -2)};
  char def[PERIOD_TEXT_LEN];
  period_format(half, def);
  for (int i = 0; i < 6; i++) {
    char text[PERIOD_TEXT_LEN], label[PERIOD_LABEL_LEN];
    period_format(opts[i], text);
    period_label(opts[i], strcmp(r->lang, "en") == 0, label, sizeof label);
    html(r, "<option value=\"%s\"%s>%s</option>", text, strcmp(text, *period ? period : def) == 0 ? " selected" : "",
         label);
  }
  html(r, "</select></div><div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "生成草稿"));
  if (!ok) {
    form_error_summary(r, &e);
    page_end(r);
    return;
  }
  Buf url = BUF_INIT;
  buf_puts(&url, "/summary");
  page_query_param(&url, "org", d.unit.code);
  page_query_param(&url, "period", q.period);
  page_query_param(&url, "from", q.from);
  page_query_param(&url, "to", q.to);
  html(r, "<section class=\"card\" id=\"summary\"><p class=\"muted\">%s %s · %s %s %s %s</p>", T(r, "统计日"), d.as_of,
       T(r, "统计期"), d.from, T(r, "至"), d.to);
  html(r, "<p class=\"muted\">%s</p>", T(r, "以下为系统根据本单位数据生成的草稿，可直接修改后下载 Word 文件。"));
  html_raw(r, "<form method=\"post\" action=\"/summary/docx\" class=\"rec-form\">");
  form_csrf(r);
  form_input(r, "text", "title", "标题", buf_str(&d.title), NULL, true, SUMMARY_TITLE_CHARS);
  form_textarea(r, "text", "正文", buf_str(&d.text), NULL, SUMMARY_TEXT_CHARS);
  html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button>", T(r, "下载 Word"));
  buf_puts(&url, "&print=1");
  html(r, "<a class=\"button secondary\" href=\"%s\">%s</a></div></form></section>", buf_str(&url), T(r, "打印"));
  page_end(r);
  buf_reset(&url);
  summary_draft_free(&d);
}

/* Counts the characters (code points) of s. */
static size_t ps_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* POST /summary/docx: title, text (as edited) → the Word file. */
void page_summary_docx(Req *r) {
  const char *title = req_form_str(r, "title"), *text = req_form_str(r, "text");
  Err e;
  err_clear(&e);
  if (!*title) err_field(&e, "title", "此项必填");
  else if (ps_chars(title) > SUMMARY_TITLE_CHARS) err_field(&e, "title", "不能超过100个字");
  if (ps_chars(text) > SUMMARY_TEXT_CHARS) err_field(&e, "text", "不能超过20000个字");
  if (!page_ok(r, e.code, &e)) return;
  Buf name = BUF_INIT;
  summary_docx_name(&name, title);
  docx_send(r, title, text, buf_str(&name));
  buf_reset(&name);
}
