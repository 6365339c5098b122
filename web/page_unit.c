/* web/page_unit.c: the pieces the unit-work pages share (see
 * web/page_unit.h). */
#include "web/page_unit.h"
#include <string.h>
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
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
