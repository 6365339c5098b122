/* web/html.c: the HTML writer (escaping by default), the page frame with
 * navigation and language switch, form helpers and the pager. */
#include "web/html.h"
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "app/once.h"
#include "web/i18n.h"

void html_escape(Buf *b, const char *s) {
  static const char *const rep[128] = {['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
  if (s) buf_escape(b, s, strlen(s), rep, BUF_CTRL_KEEP);
}

void url_encode(Buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-_.~/", *p))
      buf_putc(b, (char)*p);
    else {
      buf_putc(b, '%');
      buf_putc(b, hex[*p >> 4]);
      buf_putc(b, hex[*p & 15]);
    }
  }
}

void html_raw(Req *r, const char *markup) { buf_puts(&r->out, markup); }

/* Walks fmt; literal text is copied, %s arguments are escaped, numeric
 * conversions are formatted with snprintf using the same spec. */
static void html_vformat(Buf *b, const char *fmt, va_list ap) {
  const char *p = fmt;
  while (*p) {
    const char *pct = strchr(p, '%');
    if (!pct) { buf_puts(b, p); return; }
    buf_append(b, p, (size_t)(pct - p));
    const char *q = pct + 1;
    if (*q == '%') { buf_putc(b, '%'); p = q + 1; continue; }
    while (*q && strchr("-+ #0", *q)) q++;
    while (*q >= '0' && *q <= '9') q++;
    if (*q == '.') { q++; while (*q >= '0' && *q <= '9') q++; }
    assert(*q != '*' && "html(): '*' width is not supported");
    int longs = 0; bool size_t_mod = false;
    while (*q == 'l') { longs++; q++; }
    if (*q == 'z') { size_t_mod = true; q++; }
    char spec[32];
    size_t slen = (size_t)(q - pct) + 1;
    assert(slen < sizeof spec);
    memcpy(spec, pct, slen);
    spec[slen] = 0;
    char tmp[64];
    switch (*q) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      html_escape(b, s ? s : "");
      break;
    }
    case 'd': case 'i':
      if (longs >= 2) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long long));
      else if (longs == 1) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long));
      else if (size_t_mod) snprintf(tmp, sizeof tmp, spec, va_arg(ap, size_t));
      else snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
      buf_puts(b, tmp);
      break;
    case 'u': case 'x': case 'X':
      if (longs >= 2) snprintf(tmp, sizeof tmp, spec, va_arg(ap, unsigned long long));
      else if (longs == 1) snprintf(tmp, sizeof tmp, spec, va_arg(ap, unsigned long));
      else if (size_t_mod) snprintf(tmp, sizeof tmp, spec, va_arg(ap, size_t));
      else snprintf(tmp, sizeof tmp, spec, va_arg(ap, unsigned));
      buf_puts(b, tmp);
      break;
    case 'c': {
      char c = (char)va_arg(ap, int);
      char s[2] = {c, 0};
      html_escape(b, s);
      break;
    }
    default:
      assert(0 && "html(): unsupported conversion");
    }
    p = q + 1;
  }
}

void html(Req *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  html_vformat(&r->out, fmt, ap);
  va_end(ap);
}

/* One navigation link, marked current when the path starts with href. */
static void html_nav_link(Req *r, const char *href, const char *label_zh) {
  size_t n = strlen(href);
  bool cur = strncmp(r->path, href, n) == 0 && (r->path[n] == 0 || r->path[n] == '/');
  if (cur) html(r, "<a href=\"%s\" aria-current=\"page\">%s</a>", href, T(r, label_zh));
  else html(r, "<a href=\"%s\">%s</a>", href, T(r, label_zh));
}

/* The navigation: each link shown to the actors who hold its permission. */
typedef struct HtmlNav {
  const char *href, *label_zh;
  unsigned perm;
} HtmlNav;
static const HtmlNav html_nav[] = {
  {"/work", "工作台", PERM_PERSON_READ},       {"/persons", "人员档案", PERM_PERSON_READ},
  {"/stats", "统计", PERM_PERSON_READ},        {"/places", "场所与单位", PERM_PERSON_READ},
  {"/letters", "责任书", PERM_PERSON_READ},    {"/inspections", "场所检查", PERM_PERSON_READ},
  {"/prevention", "禁毒宣传", PERM_PERSON_READ}, {"/reports", "报表", PERM_PERSON_READ},
  {"/assessment", "考核", PERM_PERSON_READ},   {"/orgs", "组织机构", PERM_ORG_ADMIN},
  {"/users", "用户管理", PERM_USER_ADMIN},     {"/audit", "审计日志", PERM_AUDIT_READ},
  {NULL, NULL, 0},
};

void page_begin(Req *r, const char *title, bool print_view) {
  r->content_type = "text/html; charset=utf-8";
  html(r, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>%s · %s</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
          "<script src=\"/static/app.js\" defer></script></head><body class=\"%s\">",
       strcmp(r->lang, "en") == 0 ? "en" : "zh-CN", title, T(r, "禁毒社区工作系统"),
       print_view ? "print-view" : "");
  if (!print_view) {
    html(r, "<header class=\"top\"><a class=\"brand\" href=\"/\">%s</a><nav>", T(r, "禁毒社区工作系统"));
    if (r->authed) {
      for (const HtmlNav *n = html_nav; n->href; n++)
        if (actor_can(&r->actor, n->perm)) html_nav_link(r, n->href, n->label_zh);
    }
    html_raw(r, "</nav><div class=\"who\">");
    Buf back = BUF_INIT;
    url_encode(&back, r->path);
    /* Signed in, the switch also stores the preference: the link carries the
     * CSRF token so that a link from elsewhere cannot change it. */
    if (r->authed) {
      buf_puts(&back, "&_csrf=");
      url_encode(&back, r->csrf);
    }
    if (strcmp(r->lang, "en") == 0) html(r, "<a href=\"/lang?to=zh&amp;back=%s\">中文</a>", buf_str(&back));
    else html(r, "<a href=\"/lang?to=en&amp;back=%s\">English</a>", buf_str(&back));
    buf_reset(&back);
    if (r->authed) {
      html(r, " <a href=\"/account\">%s</a> <span class=\"org\">%s · %s</span>", r->actor.display_name[0] ? r->actor.display_name : r->actor.username,
           r->actor.org_name, T(r, role_name_zh(r->actor.role)));
      html(r, " <form method=\"post\" action=\"/logout\" class=\"inline\">"
              "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", r->csrf);
      html(r, "<button type=\"submit\" class=\"link\">%s</button></form>", T(r, "退出"));
    }
    html_raw(r, "</div></header>");
  }
  html_raw(r, "<main>");
}

void page_end(Req *r) {
  const char *main_at = strstr(buf_str(&r->out), "<main>");
  if (main_at) html_table_cards(&r->out, (size_t)(main_at - buf_str(&r->out)));
  html_raw(r, "</main></body></html>");
  r->content_type = "text/html; charset=utf-8";
  r->done = true;
}

void form_csrf(Req *r) {
  html(r, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", r->csrf);
  char once[ONCE_TOKEN_MAX];
  if (r->authed && once_form_token(r->actor.user_id, r->ctx.now_unix, once))
    html(r, "<input type=\"hidden\" name=\"_once\" value=\"%s\">", once);
}

/* Writes the id of field name: KIND-NAME, or KIND-PREFIX-NAME under
 * r->field_prefix (kind 'f' for the control, 'e' for its error line). */
static void form_id(Req *r, char kind, const char *name) {
  if (r->field_prefix) html(r, "%c-%s-%s", kind, r->field_prefix, name);
  else html(r, "%c-%s", kind, name);
}

/* The label and the error line shared by the form helpers. */
static void form_label(Req *r, const char *name, const char *label_zh, bool required) {
  html_raw(r, "<label for=\"");
  form_id(r, 'f', name);
  html(r, "\">%s%s</label>", T(r, label_zh), required ? " *" : "");
}

static void form_error_line(Req *r, const char *name, const char *error_zh) {
  if (!error_zh) return;
  html_raw(r, "<span class=\"field-error\" id=\"");
  form_id(r, 'e', name);
  html(r, "\">%s</span>", T(r, error_zh));
}

void form_input(Req *r, const char *type, const char *name, const char *label_zh, const char *value,
                const char *error_zh, bool required, int maxlen) {
  html(r, "<div class=\"field%s\">", error_zh ? " has-error" : "");
  form_label(r, name, label_zh, required);
  html(r, "<input type=\"%s\" id=\"", type);
  form_id(r, 'f', name);
  html(r, "\" name=\"%s\" value=\"%s\"", name, value ? value : "");
  if (maxlen > 0) html(r, " maxlength=\"%d\"", maxlen);
  if (required) html_raw(r, " required");
  if (error_zh) {
    html_raw(r, " aria-invalid=\"true\" aria-describedby=\"");
    form_id(r, 'e', name);
    html_raw(r, "\"");
  }
  html_raw(r, ">");
  form_error_line(r, name, error_zh);
  html_raw(r, "</div>");
}

void form_textarea(Req *r, const char *name, const char *label_zh, const char *value, const char *error_zh,
                   int maxlen) {
  html(r, "<div class=\"field wide%s\">", error_zh ? " has-error" : "");
  form_label(r, name, label_zh, false);
  html_raw(r, "<textarea id=\"");
  form_id(r, 'f', name);
  html(r, "\" name=\"%s\" rows=\"3\"", name);
  if (maxlen > 0) html(r, " maxlength=\"%d\"", maxlen);
  /* the newline after the tag keeps a value's own leading blank line */
  html(r, ">\n%s</textarea>", value ? value : "");
  form_error_line(r, name, error_zh);
  html_raw(r, "</div>");
}

void form_select(Req *r, const char *name, const char *label_zh, const char *const *options, const char *selected,
                 const char *error_zh) {
  html(r, "<div class=\"field%s\">", error_zh ? " has-error" : "");
  form_label(r, name, label_zh, false);
  html_raw(r, "<select id=\"");
  form_id(r, 'f', name);
  html(r, "\" name=\"%s\">", name);
  for (const char *const *o = options; o[0]; o += 2)
    html(r, "<option value=\"%s\"%s>%s</option>", o[0], selected && strcmp(selected, o[0]) == 0 ? " selected" : "",
         T(r, o[1]));
  html_raw(r, "</select>");
  form_error_line(r, name, error_zh);
  html_raw(r, "</div>");
}

void form_error_summary(Req *r, const Err *e) {
  if (e->code == ERR_OK) return;
  html(r, "<div class=\"alert\" role=\"alert\">%s</div>", T(r, e->msg ? e->msg : "操作失败"));
}

void html_pager(Req *r, const char *base, int page, int per_page, int64_t total) {
  html_pager_capped(r, base, page, per_page, total, 0);
}

/* The text of a pager (html_pager_capped) into the open <nav>; its number
 * of pages. */
static int64_t html_pager_text(Req *r, int page, int per_page, int64_t total, int64_t cap) {
  bool more = cap > 0 && total > cap;
  int64_t shown = more ? cap : total;
  int64_t pages = (shown + per_page - 1) / per_page;
  if (pages < 1) pages = 1;
  if (more)
    html(r, "<nav class=\"pager\"><span>%s %lld+ · %s %d/%lld+</span>", T(r, "共"), (long long)cap, T(r, "页"), page,
         (long long)pages);
  else
    html(r, "<nav class=\"pager\"><span>%s %lld · %s %d/%lld</span>", T(r, "共"), (long long)total, T(r, "页"), page,
         (long long)pages);
  return pages;
}

void html_pager_keyed(Req *r, const char *base, int page, int per_page, int64_t total, int64_t cap,
                      const char *prev_before, const char *next_after) {
  if (total >= 0) html_pager_text(r, page, per_page, total, cap);
  else html(r, "<nav class=\"pager\"><span>%s %d</span>", T(r, "页"), page);
  const char *sep = strchr(base, '?') ? "&" : "?";
  if (prev_before && *prev_before && page > 1)
    html(r, " <a href=\"%s%sbefore=%s&page=%d\">%s</a>", base, sep, prev_before, page - 1, T(r, "上一页"));
  if (next_after && *next_after)
    html(r, " <a href=\"%s%safter=%s&page=%d\">%s</a>", base, sep, next_after, page + 1, T(r, "下一页"));
  html_raw(r, "</nav>");
}

void html_pager_capped(Req *r, const char *base, int page, int per_page, int64_t total, int64_t cap) {
  bool more = cap > 0 && total > cap;
  int64_t pages = html_pager_text(r, page, per_page, total, cap);
  const char *sep = strchr(base, '?') ? "&" : "?";
  if (page > 1) html(r, " <a href=\"%s%spage=%d\">%s</a>", base, sep, page - 1, T(r, "上一页"));
  if (page < pages) html(r, " <a href=\"%s%spage=%d\">%s</a>", base, sep, page + 1, T(r, "下一页"));
  if (more && page >= pages) html(r, " <span class=\"muted\">%s</span>", T(r, "更多结果请缩小查询范围"));
  html_raw(r, "</nav>");
}
