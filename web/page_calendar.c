/* web/page_calendar.c: the iCalendar feed of one user (GET
 * /calendar/{token}.ics, public: the secret token authenticates): the talks
 * and drug tests due in the next 60 days in the token owner's scope, as
 * all-day events (RFC 5545: TEXT escaped, lines folded at 75 octets). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/auth.h"
#include "app/supervision.h"
#include "web/i18n.h"
#include "web/routes.h"

#define CAL_FEED_MAX 50000 /* a calendar feed longer than this is cut */

/* Appends one content line "text" to b folded at 75 octets (RFC 5545 3.1:
 * CRLF followed by one space), never inside a UTF-8 sequence; ends it with
 * CRLF. */
static void ics_line(Buf *b, const char *text) {
  size_t len = strlen(text), col = 0;
  for (size_t i = 0; i < len;) {
    size_t clen = 1;
    unsigned char c = (unsigned char)text[i];
    if (c >= 0xF0) clen = 4;
    else if (c >= 0xE0) clen = 3;
    else if (c >= 0xC0) clen = 2;
    if (i + clen > len) clen = len - i;
    if (col + clen > 75) {
      buf_puts(b, "\r\n ");
      col = 1;
    }
    buf_append(b, text + i, clen);
    col += clen;
    i += clen;
  }
  buf_puts(b, "\r\n");
}

/* Appends s to b escaped as iCalendar TEXT: backslash, semicolon, comma
 * and newlines (CR dropped). */
static void ics_text(Buf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '\\': buf_puts(b, "\\\\"); break;
    case ';': buf_puts(b, "\\;"); break;
    case ',': buf_puts(b, "\\,"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': break;
    default: buf_putc(b, *s);
    }
  }
}

/* Appends a property "NAME:" + escaped value as a folded line. */
static void ics_prop(Buf *out, const char *name, const char *value) {
  Buf line = BUF_INIT;
  buf_puts(&line, name);
  buf_putc(&line, ':');
  ics_text(&line, value);
  ics_line(out, buf_str(&line));
  buf_reset(&line);
}

/* GET /calendar/{token}.ics (public: the token authenticates): all-day
 * events for the talks and tests due in the next 60 days in the token
 * owner's scope, and the overdue ones on today. */
void page_calendar(Req *r) {
  const char *p = r->path + strlen("/calendar/");
  const char *dot = strstr(p, ".ics");
  char token[129];
  size_t tl = dot ? (size_t)(dot - p) : 0;
  Err e;
  err_clear(&e);
  if (!dot || tl == 0 || tl >= sizeof token) {
    resp_fail(r, ERR_NOT_FOUND, "页面不存在");
    return;
  }
  memcpy(token, p, tl);
  token[tl] = 0;
  Actor a;
  memset(&a, 0, sizeof a);
  if (auth_calendar_actor(&r->ctx, token, r->address, &a, &e) != ERR_OK) {
    resp_fail(r, ERR_NOT_FOUND, "页面不存在");
    return;
  }
  snprintf(a.address, sizeof a.address, "%s", r->address);
  r->actor = a; /* r->ctx.actor points at r->actor */
  r->ctx.actor = &r->actor;
  WorkQuery q = {.horizon_days = 60, .sort = "due", .page = 1, .per_page = CAL_FEED_MAX,
                 .reasons = WL_BIT(WL_TEST_DUE) | WL_BIT(WL_TEST_OVERDUE) | WL_BIT(WL_TALK_DUE) | WL_BIT(WL_TALK_OVERDUE)};
  WorkItem *items = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_worklist(&r->ctx, &q, &items, &n, &total, NULL, &e) != ERR_OK) {
    free(items);
    resp_error(r, &e);
    return;
  }
  /* DTSTAMP: the request's time in UTC */
  time_t now = (time_t)r->ctx.now_unix;
  struct tm tm;
  gmtime_r(&now, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);

  Buf b = BUF_INIT, t = BUF_INIT;
  ics_line(&b, "BEGIN:VCALENDAR");
  ics_line(&b, "VERSION:2.0");
  ics_line(&b, "PRODID:-//jindu//supervision calendar//ZH");
  ics_line(&b, "CALSCALE:GREGORIAN");
  ics_line(&b, "METHOD:PUBLISH");
  buf_clear(&t);
  buf_printf(&t, "%s · %s", i18n_text(r->actor.lang[0] ? r->actor.lang : "zh", "禁毒社区工作系统"), r->actor.org_name);
  ics_prop(&b, "X-WR-CALNAME", buf_str(&t));
  ics_line(&b, "X-WR-TIMEZONE:Asia/Shanghai");
  const char *lang = r->actor.lang[0] ? r->actor.lang : "zh";
  for (int i = 0; i < n; i++) {
    const WorkItem *w = &items[i];
    bool test = w->reason == WL_TEST_DUE || w->reason == WL_TEST_OVERDUE;
    bool talk = w->reason == WL_TALK_DUE || w->reason == WL_TALK_OVERDUE;
    if ((!test && !talk) || !w->due_date[0]) continue;
    Day day;
    if (!date_parse(w->due_date, &day)) continue;
    bool overdue = w->days_overdue > 0 || day < r->ctx.today;
    if (overdue) day = r->ctx.today;
    char ymd[DATE_ISO_LEN], ymd2[DATE_ISO_LEN];
    date_format(day, ymd);
    date_format(day + 1, ymd2);
    ics_line(&b, "BEGIN:VEVENT");
    buf_clear(&t);
    buf_printf(&t, "UID:jindu-%lld-%s-%s@jindu", (long long)w->person_id, test ? "test" : "talk", w->due_date);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "DTSTAMP:%s", stamp);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "DTSTART;VALUE=DATE:%.4s%.2s%.2s", ymd, ymd + 5, ymd + 8);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "DTEND;VALUE=DATE:%.4s%.2s%.2s", ymd2, ymd2 + 5, ymd2 + 8);
    ics_line(&b, buf_str(&t));
    buf_clear(&t);
    const char *what = test ? (overdue ? "尿检逾期：" : "尿检到期：") : (overdue ? "谈话逾期：" : "谈话到期：");
    buf_printf(&t, "%s%s", i18n_text(lang, what), w->name);
    ics_prop(&b, "SUMMARY", buf_str(&t));
    buf_clear(&t);
    buf_printf(&t, "%s\n%s %s", w->org_name, i18n_text(lang, "到期"), w->due_date);
    if (overdue) buf_printf(&t, "\n%s %d %s", i18n_text(lang, "逾期"), w->days_overdue, i18n_text(lang, "天"));
    ics_prop(&b, "DESCRIPTION", buf_str(&t));
    ics_line(&b, "TRANSP:TRANSPARENT");
    ics_line(&b, "END:VEVENT");
  }
  ics_line(&b, "END:VCALENDAR");
  free(items);
  buf_clear(&r->out);
  buf_append(&r->out, buf_str(&b), b.len);
  buf_reset(&b);
  buf_reset(&t);
  r->status = 200;
  r->content_type = "text/calendar; charset=utf-8";
  resp_header(r, "Content-Disposition", "inline; filename=\"jindu.ics\"");
  r->done = true;
}
