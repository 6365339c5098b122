/* web/page.c: the helpers the page files share (see web/page.h). */
#include "web/page.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "app/org.h"
#include "app/person.h"
#include "core/risk.h"
#include "core/status.h"
#include "core/supervision.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"

const char *page_s(const char *s) { return s ? s : ""; }

const char *page_note(const Req *r, const char *note) { return T(r, page_s(note)); }

const char *page_dash(const char *s) { return s && *s ? s : "—"; }

const char *page_or(const char *name, const char *code) { return name && *name ? name : page_s(code); }

const char *page_status_name(const Req *r, const char *code) { return T(r, status_name_zh(status_from_code(code))); }

const char *page_control_name(const Req *r, const char *status, const char *control) {
  const char *c = supervision_control_shown(status, control);
  if (strcmp(c, "closed") == 0) return T(r, "已关闭");
  return strcmp(c, "lost_contact") == 0 ? T(r, "失联") : T(r, "在控");
}

const char *page_risk_name(const Req *r, const char *code) {
  RiskLevel level = risk_from_code(code);
  if (level == RISK_NONE && code && *code) return code;
  return T(r, risk_name_zh(level));
}

int page_org_depth(const char *path) {
  int d = 0;
  for (; *path; path++) d += *path == '/';
  return d - 1;
}

int page_org_top_depth(const OrgUnit *units, int n) {
  int top = INT_MAX;
  for (int i = 0; i < n; i++)
    if (page_org_depth(units[i].path) < top) top = page_org_depth(units[i].path);
  return top;
}

void page_org_indent(Req *r, const char *path, int top) {
  for (int d = page_org_depth(path) - top; d > 0; d--) html_raw(r, "　");
}

int page_query_page(Req *r, const char *key) {
  const char *s = req_query(r, key);
  long v = s ? strtol(s, NULL, 10) : 1;
  return v < 1 || v > 100000 ? 1 : (int)v;
}

void page_person_pager(Req *r, int64_t person_id, const char *key, const char *anchor, int page, int per,
                       int64_t total) {
  if (page < 1 || total <= per) return;
  html_raw(r, "<p class=\"pager\">");
  if (page > 1)
    html(r, "<a href=\"/persons/%lld?%s=%d#%s\">%s</a> ", (long long)person_id, key, page - 1, anchor,
         T(r, "较新的记录"));
  html(r, "<span class=\"muted\">%s %d · %s %lld</span>", T(r, "页码"), page, T(r, "记录数"), (long long)total);
  if ((int64_t)page * per < total)
    html(r, " <a href=\"/persons/%lld?%s=%d#%s\">%s</a>", (long long)person_id, key, page + 1, anchor,
         T(r, "更早的记录"));
  html_raw(r, "</p>");
}

void page_query_param(Buf *b, const char *key, const char *val) {
  if (!val || !*val) return;
  buf_putc(b, strchr(buf_str(b), '?') ? '&' : '?');
  buf_puts(b, key);
  buf_putc(b, '=');
  url_encode(b, val);
}

void page_history_begin(Req *r) {
  html(r, "<section class=\"card\"><h2>%s</h2><table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
          "<th>%s</th></tr></thead><tbody>",
       T(r, "修改记录"), T(r, "时间"), T(r, "操作人"), T(r, "操作"), T(r, "内容"));
}

void page_redirect_id(Req *r, const char *prefix, int64_t id, const char *suffix) {
  Buf loc = BUF_INIT;
  buf_printf(&loc, "%s%lld%s", prefix, (long long)id, suffix);
  resp_redirect(r, buf_str(&loc));
  buf_reset(&loc);
}

void page_doc_url(Buf *b, const char *path, const char *key, const char *name, const char *org, const char *period,
                  const char *extra) {
  buf_clear(b);
  buf_puts(b, path);
  page_query_param(b, key, name);
  page_query_param(b, "org", org);
  page_query_param(b, "period", period);
  if (extra) buf_printf(b, "&%s", extra);
}

bool page_form_failed(Req *r, const Err *e) {
  if (e->code == ERR_INVALID || e->code == ERR_CONFLICT) return true;
  resp_error(r, e);
  return false;
}

bool page_ok(Req *r, int rc, const Err *e) {
  if (rc == ERR_OK) return true;
  resp_error(r, e);
  return false;
}

void page_form_bind(Req *r, const RecordSpec *spec, void *in, size_t size, Err *e) {
  memset(in, 0, size);
  err_clear(e);
  bind_form(r, spec, in, e);
}

const Err *page_form_err(const char *failed, const char *form, const Err *e) {
  return failed && strcmp(failed, form) == 0 ? e : NULL;
}

bool page_form_ok(Req *r, int rc, const Err *e, PageFormRender render, const char *form) {
  if (rc == ERR_OK) return true;
  if (!page_form_failed(r, e)) return false;
  render(r, form, e);
  r->status = err_http_status(e->code);
  return false;
}

bool page_filter_failed(Req *r, int rc, const Err *e) {
  if (rc == ERR_OK) return false;
  form_error_summary(r, e);
  r->status = err_http_status(e->code);
  page_end(r);
  return true;
}

void page_redirect_buf(Req *r, Buf *url, const char *anchor) {
  buf_puts(url, anchor);
  resp_redirect(r, buf_str(url));
  buf_reset(url);
}

bool page_list_failed(Req *r, const Err *e) {
  if (e->code == ERR_OK || e->code == ERR_INVALID || e->code == ERR_NOT_FOUND) return false;
  resp_error(r, e);
  return true;
}

bool page_forms_begin(Req *r, int rc, const Err *e, const char *title, const char *notice) {
  if (rc != ERR_OK) {
    resp_error(r, e);
    return false;
  }
  page_begin(r, T(r, title), false);
  html(r, "<h1>%s</h1>", T(r, title));
  if (notice) html(r, "<div class=\"notice\">%s</div>", T(r, notice));
  return true;
}

void page_forms_after(Req *r, int rc, const Err *e, const char *form, PageForms page, const char *ok_url) {
  if (rc == ERR_OK) {
    resp_redirect(r, ok_url);
    return;
  }
  page(r, e, form, NULL);
  r->status = err_http_status(e->code);
}

bool page_person_load(Req *r, Person *p) {
  memset(p, 0, sizeof *p);
  Err e;
  err_clear(&e);
  if (app_person_get(&r->ctx, r->ids[0], p, &e) != ERR_OK) {
    person_free(p);
    resp_error(r, &e);
    return false;
  }
  return true;
}

void page_person_form_new(Req *r, PagePersonForm form) {
  Person p;
  if (!page_person_load(r, &p)) return;
  form(r, &p, NULL);
  person_free(&p);
}

bool page_person_form_post(Req *r, const PersonRecordForm *f) {
  void *in = malloc(f->size);
  if (!in) abort();
  Err e;
  page_form_bind(r, f->spec, in, f->size, &e);
  int rc = f->write(r, in, &e);
  free(in);
  if (rc == ERR_OK) return true;
  if (!page_form_failed(r, &e)) return false;
  Person p;
  if (!page_person_load(r, &p)) return false;
  f->form(r, &p, &e);
  r->status = err_http_status(e.code);
  person_free(&p);
  return false;
}

void page_hidden(Req *r, const char *const *pairs) {
  for (int i = 0; pairs[i]; i += 2)
    if (pairs[i + 1]) html(r, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", pairs[i], pairs[i + 1]);
}

void page_unlock_form(Req *r, const char *action, const char *const *pairs, const FieldSpec *reason, const Err *e) {
  html(r, "<details class=\"card\"%s><summary>%s</summary><form method=\"post\" action=\"%s\">", e ? " open" : "",
       T(r, "解锁（退回修改）"), action);
  form_csrf(r);
  page_hidden(r, pairs);
  if (e) form_error_summary(r, e);
  bind_form_control(r, reason, e ? req_form_str(r, "reason") : "", e ? err_field_msg(e, "reason") : NULL);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></details>", T(r, "解锁"));
}
