/* web/page_unit.c: the pieces the unit-work pages share (see
 * web/page_unit.h). */
#include "web/page_unit.h"
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"

const char *unit_val(Req *r, const char *key, const char *def) {
  if (strcmp(r->method, "POST") == 0) return req_form_str(r, key);
  const char *q = req_query(r, key);
  return q ? q : def;
}

const char *unit_ferr(const Err *e, const char *name) { return e ? err_field_msg(e, name) : NULL; }

void unit_control(Req *r, const RecordSpec *spec, const char *key, const char *def, const Err *e) {
  bind_form_control(r, bind_field(spec, key), unit_val(r, key, def), unit_ferr(e, key));
}

const char *unit_posted(Req *r, const char *key, Buf *b) {
  const char *vals[16];
  int nv = req_form_all(r, key, vals, 16);
  buf_clear(b);
  for (int i = 0; i < nv; i++) {
    if (i) buf_putc(b, ',');
    buf_puts(b, vals[i]);
  }
  return buf_str(b);
}

void unit_names(Req *r, const UnitTerm *vocab, const char *codes, const char *none) {
  int k = 0;
  for (const char *s = codes; s && *s;) {
    size_t n = strcspn(s, ",");
    char code[32];
    snprintf(code, sizeof code, "%.*s", (int)n, s);
    const char *name = unit_term_label(vocab, code);
    html(r, "%s%s", k++ ? "、" : "", name ? T(r, name) : code);
    s += n + (s[n] == ',');
  }
  if (!k && none) html(r, "%s", none);
}

/* true when the comma-joined list sel holds code. */
static bool unit_selected(const char *sel, const char *code) {
  size_t n = strlen(code);
  for (const char *s = sel; s && *s;) {
    size_t k = strcspn(s, ",");
    if (k == n && strncmp(s, code, n) == 0) return true;
    s += k + (s[k] == ',');
  }
  return false;
}

void unit_choices(Req *r, const FieldSpec *f, const UnitTerm *vocab, const char *sel, bool several, const Err *e) {
  const char *err = unit_ferr(e, f->key);
  html(r, "<fieldset class=\"field wide choices%s\" id=\"f-%s\"><legend>%s%s</legend><div class=\"choice-row\">",
       err ? " has-error" : "", f->key, T(r, f->label_zh), f->required ? " *" : "");
  for (const UnitTerm *t = vocab; t->code; t++)
    html(r, "<label class=\"choice\"><input type=\"%s\" name=\"%s\" value=\"%s\"%s> <span>%s</span></label>",
         several ? "checkbox" : "radio", f->key, t->code, unit_selected(sel, t->code) ? " checked" : "",
         T(r, t->label_zh));
  html_raw(r, "</div>");
  if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", f->key, T(r, err));
  html_raw(r, "</fieldset>");
}

bool unit_back_ok(const char *back) {
  if (sup_back_ok(back)) return true;
  static const char prefix[] = "/unit_tasks";
  size_t n = sizeof prefix - 1;
  if (!back || strncmp(back, prefix, n) != 0 || (back[n] != 0 && back[n] != '?')) return false;
  return strlen(back) < 400 && !strpbrk(back, "\r\n\\\"<>") && !strstr(back, "//");
}

const char *unit_back(Req *r) {
  const char *b = strcmp(r->method, "POST") == 0 ? req_form(r, "back") : req_query(r, "back");
  return unit_back_ok(b) ? b : NULL;
}

void unit_form_open(Req *r, const char *title_zh, const char *action, const Err *e) {
  unit_form_open_as(r, title_zh, action, false, e);
}

void unit_form_open_as(Req *r, const char *title_zh, const char *action, bool upload, const Err *e) {
  page_begin(r, T(r, title_zh), false);
  html(r, "<div class=\"rec-head\"><h1>%s</h1><p>%s</p></div>", T(r, title_zh), r->actor.org_name);
  html(r, "<form method=\"post\" action=\"%s\" class=\"rec-form\"", action);
  html_raw(r, upload ? " enctype=\"multipart/form-data\">" : ">");
  form_csrf(r);
  const char *back = unit_back(r);
  if (back) html(r, "<input type=\"hidden\" name=\"back\" value=\"%s\">", back);
  if (e && e->code != ERR_OK) form_error_summary(r, e);
}

void unit_org_date(Req *r, const RecordSpec *spec, const char *org, const char *date, const Err *e) {
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = unit_val(r, "org", org ? org : r->actor.org_code),
                         .error_zh = unit_ferr(e, "org"), .required = true, .levels = PICK_ANY});
  unit_control(r, spec, "date", date ? date : today, e);
}

void unit_form_close(Req *r, const char *cancel_href) {
  const char *back = unit_back(r);
  html(r, "<div class=\"rec-actions\"><button type=\"submit\" class=\"big\">%s</button>"
          "<a class=\"button secondary big\" href=\"%s\">%s</a></div></form>",
       T(r, "保存"), back ? back : cancel_href, T(r, "取消"));
  page_end(r);
}

void unit_form_failed(Req *r, const Err *e, UnitFormPage form) {
  if (!page_form_failed(r, e)) return;
  form(r, e);
  r->status = err_http_status(e->code);
}

void unit_form_post(Req *r, const RecordForm *f) {
  void *in = malloc(f->size);
  if (!in) abort();
  Err e;
  page_form_bind(r, f->spec, in, f->size, &e);
  int64_t id = 0;
  int rc = f->write(r, in, &id, &e);
  free(in);
  if (rc != ERR_OK) {
    unit_form_failed(r, &e, f->form);
    return;
  }
  const char *back = f->to_list ? unit_back(r) : NULL;
  char loc[96];
  if (f->to_list) snprintf(loc, sizeof loc, "%s?saved=1", f->base);
  else snprintf(loc, sizeof loc, "%s/%" PRId64 "?saved=1", f->base, id);
  resp_redirect(r, back ? back : loc);
}

/* ---- the list page shell -------------------------------------------------------- */

bool page_list_print(Req *r) { return strcmp(page_s(req_query(r, "print")), "1") == 0; }

static const ListFilter list_unit = {"org", "单位", .kind = LIST_ORG};
static const ListFilter list_period = {"period", "统计期", LIST_INPUT, .input = "text", .maxlen = 10};
static const ListFilter list_dates[] = {{"from", "开始日期", LIST_INPUT, .input = "date"},
                                        {"to", "结束日期", LIST_INPUT, .input = "date"}};

/* The filters of lp in their order (the shared ones first) into out (room
 * for 16); their count. */
static int page_list_filters_of(const ListPage *lp, const ListFilter **out) {
  int n = 0;
  out[n++] = &list_unit;
  if (lp->shared & LIST_PERIOD) out[n++] = &list_period;
  if (lp->shared & LIST_DATES) out[n++] = &list_dates[0], out[n++] = &list_dates[1];
  for (const ListFilter *f = lp->filters; f->key; f++) {
    assert(n < 16);
    out[n++] = f;
  }
  return n;
}

void page_list_url(Req *r, const ListPage *lp, Buf *b) {
  buf_clear(b);
  buf_puts(b, lp->path);
  const ListFilter *fs[16];
  int n = page_list_filters_of(lp, fs);
  for (int i = 0; i < n; i++) page_query_param(b, fs[i]->key, req_query(r, fs[i]->key));
}

const char *const *unit_options(const UnitTerm *vocab, const char *first_zh, const char **opts, int n) {
  int k = 0;
  opts[k++] = "";
  opts[k++] = first_zh;
  for (const UnitTerm *t = vocab; t->code && k + 2 < n; t++) {
    opts[k++] = t->code;
    opts[k++] = t->label_zh;
  }
  opts[k] = NULL;
  return opts;
}

/* The filter form of lp, its values from the query, e's field errors. */
static void page_list_filters(Req *r, const ListPage *lp, const Err *e) {
  html(r, "<form method=\"get\" action=\"%s\" class=\"filters no-print\" role=\"search\">", lp->path);
  const ListFilter *fs[16];
  int nf = page_list_filters_of(lp, fs);
  for (int i = 0; i < nf; i++) {
    const ListFilter *f = fs[i];
    const char *val = page_s(req_query(r, f->key)), *err = err_field_msg(e, f->key);
    const char *opts[64];
    switch (f->kind) {
    case LIST_ORG:
      org_pick(r, &(OrgPick){.name = f->key, .label_zh = f->label_zh, .value = val, .error_zh = err,
                             .first_zh = "全部单位", .levels = PICK_ANY});
      break;
    case LIST_INPUT: form_input(r, f->input, f->key, f->label_zh, val, err, false, f->maxlen); break;
    case LIST_SELECT:
      form_select(r, f->key, f->label_zh, f->options ? f->options : unit_options(f->vocab, "全部", opts, 64), val, err);
      break;
    case LIST_HIDDEN:
      if (*val) html(r, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", f->key, val);
      break;
    }
  }
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
}

void page_list_begin(Req *r, const ListPage *lp, bool may_new, int page, int64_t total, const Err *e) {
  bool print = page_list_print(r);
  page_begin(r, T(r, lp->title_zh), print);
  html(r, "<h1>%s</h1>", T(r, lp->title_zh));
  Buf url = BUF_INIT;
  page_list_url(r, lp, &url);
  if (print) {
    char today[DATE_ISO_LEN];
    date_format(r->ctx.today, today);
    html(r, "<div class=\"actions no-print\"><button type=\"button\" data-print>%s</button> "
            "<a class=\"button secondary\" href=\"%s\">%s</a></div><p class=\"muted\">%s · %s %s · %s %" PRId64 "</p>",
         T(r, "打印"), buf_str(&url), T(r, "返回列表"), r->actor.org_name, T(r, "打印日期"), today, T(r, "共"), total);
  } else {
    if (strcmp(page_s(req_query(r, "saved")), "1") == 0) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
    html_raw(r, "<div class=\"actions\">");
    if (may_new) html(r, "<a class=\"button\" href=\"%s/new\">%s</a>", lp->path, T(r, lp->new_zh));
    if (lp->link_href) html(r, "<a class=\"button secondary\" href=\"%s\">%s</a>", lp->link_href, T(r, lp->link_zh));
    buf_printf(&url, "%cpage=%d&print=1", strchr(buf_str(&url), '?') ? '&' : '?', page);
    html(r, "<a class=\"button secondary\" href=\"%s\">%s</a>", buf_str(&url), T(r, "打印本页"));
    page_list_url(r, lp, &url);
    page_query_param(&url, "format", "xlsx");
    html(r, "<a class=\"button secondary\" href=\"%s\" download>%s</a></div>", buf_str(&url), T(r, "导出 Excel"));
    page_list_filters(r, lp, e);
  }
  buf_reset(&url);
  if (e->code != ERR_OK) form_error_summary(r, e);
}

bool page_list_table(Req *r, int n, const char *const *cols, unsigned num) {
  if (n == 0) {
    html(r, "<p class=\"empty\">%s</p>", T(r, "没有记录"));
    return false;
  }
  html_raw(r, "<table class=\"records\"><thead><tr>");
  for (int i = 0; cols[i]; i++) {
    if (num >> i & 1) html(r, "<th class=\"num\">%s</th>", T(r, cols[i]));
    else html(r, "<th>%s</th>", T(r, cols[i]));
  }
  html_raw(r, "</tr></thead><tbody>");
  return true;
}

void page_list_table_end(Req *r) { html_raw(r, "</tbody></table>"); }

void page_list_totals(Req *r) { html(r, "<section class=\"card\"><h2>%s</h2><dl class=\"kv\">", T(r, "合计")); }

void page_list_total(Req *r, const char *label_zh, int64_t value) {
  html(r, "<dt>%s</dt><dd>%" PRId64 "</dd>", T(r, label_zh), value);
}

void page_list_totals_end(Req *r) { html_raw(r, "</dl></section>"); }

bool page_list_pager(Req *r, const ListPage *lp, int page, int per_page, int64_t total) {
  if (page_list_print(r)) return false;
  Buf url = BUF_INIT;
  page_list_url(r, lp, &url);
  html_pager(r, buf_str(&url), page, per_page, total);
  buf_reset(&url);
  return true;
}
