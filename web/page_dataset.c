/* web/page_dataset.c: the page of unit figures by period (数据填报): choose
 * a data set, a unit and a period; the unit that enters the set sees its
 * figures as a form (save, save and submit), then locked once submitted,
 * with the unlock form for the office above and the history of every
 * change; a unit above, or a coarser period, sees the table of the units
 * that enter it (each linked to its own figures) with their sums and the
 * .xlsx download. Parses, calls app/dataset.h, renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dataset.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"
#include "web/xlsx.h"

/* The request's set, unit and period (the query's, or the posted form's;
 * defaults: the first set, the actor's unit, the last period of the set's
 * kind that has ended). */
typedef struct DsReq {
  char name[DATASET_NAME_MAX];
  char org[64];
  char period[PERIOD_TEXT_LEN];
} DsReq;

/* Fills q from r (unit_val: posted, else query) with the defaults of defs. */
static void pd_req(Req *r, const DatasetDef *defs, int n, DsReq *q) {
  const char *name = unit_val(r, "name", ""), *org = unit_val(r, "org", ""), *period = unit_val(r, "period", "");
  const DatasetDef *def = n > 0 ? &defs[0] : NULL;
  for (int i = 0; i < n && *name; i++)
    if (strcmp(defs[i].name, name) == 0) def = &defs[i];
  str_copy(q->name, sizeof q->name, *name ? name : def ? def->name : "");
  str_copy(q->org, sizeof q->org, *org ? org : r->actor.org_code);
  if (*period || !def) {
    str_copy(q->period, sizeof q->period, period);
  } else {
    Period p = period_add(period_of(def->period_type, r->ctx.today), -1);
    period_format(p, q->period);
  }
}

/* The /datasets URL of q, with extra (e.g. "saved=1") when given. */
static void pd_url(Buf *b, const DsReq *q, const char *extra) {
  page_doc_url(b, "/datasets", "name", q->name, q->org, q->period, extra);
}

/* One period option. */
static void pd_option(Req *r, Period p, const char *sel) {
  char text[PERIOD_TEXT_LEN], label[PERIOD_LABEL_LEN];
  period_format(p, text);
  period_label(p, strcmp(r->lang, "en") == 0, label, sizeof label);
  html(r, "<option value=\"%s\"%s>%s</option>", text, strcmp(text, sel) == 0 ? " selected" : "", label);
}

/* The period select: the 12 latest periods of kind (the current one
 * first), then the current and the last of each coarser kind; a value
 * that is none of them stays offered as it is. */
static void pd_periods(Req *r, PeriodType kind, const char *sel, const char *err) {
  html(r, "<div class=\"field%s\"><label for=\"f-period\">%s</label><select id=\"f-period\" name=\"period\">",
       err ? " has-error" : "", T(r, "报告期"));
  bool found = false;
  for (int t = kind; t < PERIOD__COUNT; t++) {
    Period p = period_of((PeriodType)t, r->ctx.today);
    int count = t == (int)kind ? 12 : 2;
    for (int i = 0; i < count; i++) {
      char text[PERIOD_TEXT_LEN];
      Period q = period_add(p, -i);
      if (!period_valid(q)) break;
      period_format(q, text);
      found = found || strcmp(text, sel) == 0;
      pd_option(r, q, sel);
    }
  }
  if (!found && *sel) html(r, "<option value=\"%s\" selected>%s</option>", sel, sel);
  html_raw(r, "</select>");
  if (err) html(r, "<span class=\"field-error\" id=\"e-period\">%s</span>", T(r, err));
  html_raw(r, "</div>");
}

/* The choice of set, unit and period (a GET form). */
static void pd_chooser(Req *r, const DatasetDef *defs, int n, const DsReq *q, const Err *e) {
  html_raw(r, "<form method=\"get\" action=\"/datasets\" class=\"filters\">");
  html(r, "<div class=\"field\"><label for=\"f-name\">%s</label><select id=\"f-name\" name=\"name\">", T(r, "数据集"));
  PeriodType kind = PERIOD_MONTH;
  for (int i = 0; i < n; i++) {
    bool sel = strcmp(defs[i].name, q->name) == 0;
    if (sel) kind = defs[i].period_type;
    html(r, "<option value=\"%s\"%s>%s</option>", defs[i].name, sel ? " selected" : "", T(r, defs[i].title));
  }
  html_raw(r, "</select></div>");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = q->org, .error_zh = unit_ferr(e, "org"),
                         .levels = PICK_ANY});
  pd_periods(r, kind, q->period, unit_ferr(e, "period"));
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查看"));
}

/* The hidden fields naming (set, unit, period) and the back target. */
static const char *const *pd_pairs(Req *r, const DsReq *q, const char *pairs[9]) {
  const char *v[9] = {"name", q->name, "org", q->org, "period", q->period, "back", unit_back(r), NULL};
  memcpy(pairs, v, sizeof v);
  return pairs;
}

/* The figures of the entering unit: a form while open and allowed, else
 * the values; then the unlock form and the history. failed: "save" or
 * "unlock" when e belongs to that form. */
static void pd_entry(Req *r, const DatasetView *v, const DsReq *q, const char *failed, const Err *e) {
  char label[PERIOD_LABEL_LEN], due[DATE_ISO_LEN], at[DATE_TIME_SHORT_LEN];
  period_label(v->period, strcmp(r->lang, "en") == 0, label, sizeof label);
  date_format(v->due, due);
  html(r, "<section class=\"card\" id=\"figures\"><h2>%s · %s · %s</h2>", T(r, v->def.title), v->org.name, label);
  html(r, "<p><span class=\"badge %s\">%s</span> <span class=\"muted\">%s %s</span>",
       v->state == DS_SUBMITTED ? "ok" : "st-pending", T(r, ds_state_name_zh(v->state)), T(r, "应于此日前上报："), due);
  if (v->changed_at[0])
    html(r, " <span class=\"muted\">%s %s %s</span>", T(r, "最后修改"), date_time_short(v->changed_at, at),
         v->changed_by);
  html_raw(r, "</p>");
  const Err *fe = page_form_err(failed, "save", e);
  if (v->may_edit) {
    html_raw(r, "<form method=\"post\" action=\"/datasets/save\" class=\"rec-form\">");
    form_csrf(r);
    const char *pairs[9];
    page_hidden(r, pd_pairs(r, q, pairs));
    if (fe) form_error_summary(r, fe);
    for (int f = 0; f < v->def.nfields; f++) {
      char key[DATASET_NAME_MAX + 4], val[32] = "";
      snprintf(key, sizeof key, "v_%s", v->def.fields[f].code);
      if (fe) str_copy(val, sizeof val, req_form_str(r, key));
      else if (v->has[f]) snprintf(val, sizeof val, "%lld", (long long)v->vals[f]);
      form_input(r, "number", key, v->def.fields[f].label, val, unit_ferr(fe, v->def.fields[f].code), false, 10);
    }
    html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button>"
            "<button type=\"submit\" class=\"big secondary\" name=\"submit\" value=\"1\">%s</button>"
            "</div><p class=\"muted\">%s</p></form>",
         T(r, "保存"), T(r, "保存并上报"), T(r, "上报后数据将锁定，需上级禁毒办解锁才能修改。"));
  } else {
    html_raw(r, "<dl class=\"kv\">");
    for (int f = 0; f < v->def.nfields; f++) {
      html(r, "<dt>%s</dt><dd>", T(r, v->def.fields[f].label));
      if (v->has[f]) html(r, "%lld", (long long)v->vals[f]);
      else html_raw(r, "—");
      html_raw(r, "</dd>");
    }
    html_raw(r, "</dl>");
    if (v->state == DS_SUBMITTED) html(r, "<p class=\"muted\">%s</p>", T(r, "已上报并锁定；如需修改，请上级禁毒办解锁。"));
  }
  if (v->may_unlock) {
    const Err *ue = page_form_err(failed, "unlock", e);
    const char *pairs[9];
    page_unlock_form(r, "/datasets/unlock", pd_pairs(r, q, pairs), bind_field(&dataset_unlock_record, "reason"), ue);
  }
  html_raw(r, "</section>");
}

/* The history of the entering unit's figures. */
static void pd_history(Req *r, const DatasetView *v, const DsReq *q) {
  DatasetHistRow *h = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_dataset_history(&r->ctx, q->name, q->org, q->period, &h, &n, &e) != ERR_OK || n == 0) {
    free(h);
    return;
  }
  page_history_begin(r);
  for (int i = 0; i < n; i++) {
    char at[DATE_TIME_SHORT_LEN];
    html(r, "<tr><td>%s</td><td>%s</td><td>", date_time_short(h[i].at, at), page_dash(h[i].by));
    if (strcmp(h[i].action, "value") == 0) {
      const char *label = h[i].field;
      for (int f = 0; f < v->def.nfields; f++)
        if (strcmp(v->def.fields[f].code, h[i].field) == 0) label = T(r, v->def.fields[f].label);
      html(r, "%s</td><td>%s：", T(r, "填报"), label);
      if (h[i].has) html(r, "%lld", (long long)h[i].value);
      else html(r, "%s", T(r, "（清空）"));
    } else if (strcmp(h[i].action, "submit") == 0) {
      html(r, "%s</td><td>", T(r, "上报"));
    } else {
      html(r, "%s</td><td>%s", T(r, "解锁"), h[i].reason);
    }
    html_raw(r, "</td></tr>");
  }
  html_raw(r, "</tbody></table></section>");
  free(h);
}

/* The table of the units that enter the set, with their sums. */
static void pd_aggregate(Req *r, const DatasetView *v, const DsReq *q) {
  char label[PERIOD_LABEL_LEN];
  period_label(v->period, strcmp(r->lang, "en") == 0, label, sizeof label);
  html(r, "<section class=\"card\" id=\"figures\"><h2>%s · %s · %s</h2><p class=\"muted\">%s %d · %s %d · %s %d</p>",
       T(r, v->def.title), v->org.name, label, T(r, "填报单位"), v->nunits, T(r, "已填报"), v->units_reported,
       T(r, "已上报"), v->units_submitted);
  html(r, "<table class=\"records\"><thead><tr><th>%s</th>", T(r, "单位"));
  for (int f = 0; f < v->def.nfields; f++) html(r, "<th>%s</th>", T(r, v->def.fields[f].label));
  html(r, "<th>%s</th></tr></thead><tbody>", T(r, "上报情况"));
  Buf url = BUF_INIT;
  for (int k = 0; k < v->nunits; k++) {
    const DatasetUnitView *u = &v->units[k];
    DsReq one = *q;
    str_copy(one.org, sizeof one.org, u->org_code);
    pd_url(&url, &one, NULL);
    html(r, "<tr><td><a href=\"%s\">%s</a></td>", buf_str(&url), u->org_name);
    for (int f = 0; f < v->def.nfields; f++) {
      if (u->has[f]) html(r, "<td>%lld</td>", (long long)u->vals[f]);
      else html_raw(r, "<td>—</td>");
    }
    if (u->periods == 1) html(r, "<td>%s</td></tr>", T(r, u->periods_submitted ? "已上报" : u->any ? "未上报" : "未填报"));
    else html(r, "<td>%d/%d</td></tr>", u->periods_submitted, u->periods);
  }
  html(r, "<tr><td><strong>%s</strong></td>", T(r, "合计"));
  for (int f = 0; f < v->def.nfields; f++) {
    if (v->has[f]) html(r, "<td><strong>%lld</strong></td>", (long long)v->vals[f]);
    else html_raw(r, "<td>—</td>");
  }
  html(r, "<td>%d/%d</td></tr></tbody></table></section>", v->units_submitted, v->nunits);
  buf_reset(&url);
}

/* Renders the page for r's (set, unit, period); e (may be NULL) is the
 * error of the form failed ("save" or "unlock") or of the choice. */
static void pd_render(Req *r, const char *failed, const Err *e) {
  DatasetDef *defs = NULL;
  int n = 0;
  Err le;
  err_clear(&le);
  if (!page_ok(r, app_dataset_defs(&r->ctx, &defs, &n, &le), &le)) return;
  DsReq q;
  pd_req(r, defs, n, &q);
  DatasetView v;
  Err ve;
  err_clear(&ve);
  bool ok = app_dataset_get(&r->ctx, q.name, q.org, q.period, &v, &ve) == ERR_OK;
  if (!ok && ve.code != ERR_INVALID && ve.code != ERR_NOT_FOUND) {
    free(defs);
    resp_error(r, &ve);
    return;
  }
  if (ok && xlsx_wanted(r)) {
    export_dataset(r, &v);
    dataset_view_free(&v);
    free(defs);
    return;
  }
  Buf url = BUF_INIT;
  page_begin(r, T(r, "数据填报"), false);
  html(r, "<h1>%s</h1>", T(r, "数据填报"));
  const char *saved = page_s(req_query(r, "saved"));
  if (*saved) html(r, "<div class=\"notice\">%s</div>", T(r, strcmp(saved, "submit") == 0 ? "已上报" : strcmp(saved, "unlock") == 0 ? "已解锁" : "已保存"));
  html_raw(r, "<div class=\"actions\">");
  html(r, "<a class=\"button secondary\" href=\"/unit_tasks\">%s</a>", T(r, "单位工作任务"));
  if (ok) {
    pd_url(&url, &q, "format=xlsx");
    html(r, "<a class=\"button secondary\" href=\"%s\" download>%s</a>", buf_str(&url), T(r, "导出 Excel"));
  }
  html_raw(r, "</div>");
  pd_chooser(r, defs, n, &q, ok ? NULL : &ve);
  if (!ok) form_error_summary(r, &ve);
  if (ok && v.entry) {
    pd_entry(r, &v, &q, failed, e);
    pd_history(r, &v, &q);
  } else if (ok) {
    pd_aggregate(r, &v, &q);
  }
  page_end(r);
  buf_reset(&url);
  if (ok) dataset_view_free(&v);
  free(defs);
}

/* GET /datasets?name=&org=&period=[&format=xlsx][&back=]. */
void page_dataset(Req *r) { pd_render(r, NULL, NULL); }

/* Where a write goes: back to the workbench when the form came from
 * there, else the page of the figures with a notice. */
static void pd_done(Req *r, const char *notice) {
  const char *back = unit_back(r);
  if (back) {
    resp_redirect(r, back);
    return;
  }
  DatasetDef *defs = NULL;
  int n = 0;
  DsReq q;
  pd_req(r, defs, n, &q);
  Buf url = BUF_INIT;
  pd_url(&url, &q, notice);
  page_redirect_buf(r, &url, "#figures");
}

/* POST /datasets/save: name, org, period, v_CODE for each field (empty:
 * no value), submit=1 to submit too. */
void page_dataset_save(Req *r) {
  DatasetDef *defs = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  DsReq q;
  if (!page_ok(r, app_dataset_defs(&r->ctx, &defs, &n, &e), &e)) return;
  pd_req(r, defs, n, &q);
  DatasetInput in;
  memset(&in, 0, sizeof in);
  for (int i = 0; i < n; i++) {
    if (strcmp(defs[i].name, q.name) != 0) continue;
    for (int f = 0; f < defs[i].nfields && in.n < DATASET_FIELDS_MAX; f++) {
      char key[DATASET_NAME_MAX + 4];
      snprintf(key, sizeof key, "v_%s", defs[i].fields[f].code);
      const char *v = req_form(r, key);
      if (!v) continue;
      /* the form of the number only: "-3" is a number app/ refuses, "3.5" none */
      char *end;
      long long x = strtoll(v, &end, 10);
      while (*end == ' ') end++;
      bool blank = strspn(v, " ") == strlen(v);
      if (!blank && (end == v || *end)) {
        err_field(&e, req_keep(r, strdup(defs[i].fields[f].code)), "应为整数");
        continue;
      }
      in.items[in.n].code = req_keep(r, strdup(defs[i].fields[f].code));
      in.items[in.n].has = !blank;
      in.items[in.n].value = blank ? 0 : x;
      in.n++;
    }
  }
  free(defs);
  bool submit = strcmp(req_form_str(r, "submit"), "1") == 0;
  DatasetNames names;
  int rc = app_dataset_put(&r->ctx, q.name, q.org, q.period, &in, submit, &names, &e);
  if (!page_form_ok(r, rc, &e, pd_render, "save")) return;
  pd_done(r, submit ? "saved=submit" : "saved=1");
}

/* POST /datasets/unlock: name, org, period, reason. */
void page_dataset_unlock(Req *r) {
  Err e;
  err_clear(&e);
  DsReq q;
  pd_req(r, NULL, 0, &q);
  DatasetUnlockInput in = {NULL};
  bind_form(r, &dataset_unlock_record, &in, &e);
  int rc = app_dataset_unlock(&r->ctx, q.name, q.org, q.period, in.reason, &e);
  if (!page_form_ok(r, rc, &e, pd_render, "unlock")) return;
  pd_done(r, "saved=unlock");
}
