/* web/page_stats.c: the statistics pages (统计): /stats, the table of a unit
 * (child units as rows, the measures as columns, the total row; 同比 and 环比
 * of the total; the status mix drawn as SVG; the definitions as
 * footnotes; every number a link to the persons behind it), /stats/items
 * (those persons, paged, as the person list shows them) and
 * /stats/trend.svg (the main measures month by month over 24 months, an
 * SVG image drawn here). Each answers ?format=xlsx like the API. Parses,
 * calls app/stats.h, renders; nothing else. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/stats.h"
#include "web/api_stats.h"
#include "web/export.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/xlsx.h"

#define ITEMS_PER_PAGE 50

/* Appends the query of window w for unit code to b ("?org=...&date=...&from=...&to=..."). */
static void ps_query(Buf *b, const char *code, const StatsWindow *w) {
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], t[DATE_ISO_LEN];
  stats_window_iso(w, d, f, t);
  page_query_param(b, "org", code);
  page_query_param(b, "date", d);
  page_query_param(b, "from", f);
  page_query_param(b, "to", t);
}

/* The link to the persons behind measure m's part in unit code. */
static void ps_items_url(Buf *b, const char *code, const StatsWindow *w, const StatMeasure *m, bool den) {
  buf_clear(b);
  buf_puts(b, "/stats/items");
  ps_query(b, code, w);
  page_query_param(b, "measure", m->key);
  if (den) page_query_param(b, "part", "den");
}

/* A number linked to what lies behind it. */
static void ps_link_num(Req *r, Buf *url, const char *code, const StatsWindow *w, const StatMeasure *m, bool den,
                        int64_t v) {
  ps_items_url(url, code, w, m, den);
  html(r, "<a href=\"%s\">%lld</a>", buf_str(url), (long long)v);
}

/* One cell of the table: a count linked; a rate linked to its numerator's
 * persons, with numerator and denominator under it ("—" for a denominator of 0). */
static void ps_cell(Req *r, Buf *url, const char *code, const StatsWindow *w, const StatMeasure *m,
                    const StatsFigures *f) {
  int64_t num = stats_figure(f, m, false);
  html_raw(r, "<td class=\"num\">");
  if (m->kind == SM_COUNT) {
    ps_link_num(r, url, code, w, m, false, num);
  } else {
    int64_t den = stats_figure(f, m, true);
    char rate[STATS_RATE_TEXT_LEN];
    stats_rate_text(num, den, rate);
    ps_items_url(url, code, w, m, false);
    html(r, "<a href=\"%s\">%s</a><br><small>", buf_str(url), rate);
    ps_link_num(r, url, code, w, m, false, num);
    html_raw(r, "/");
    ps_link_num(r, url, code, w, m, true, den);
    html_raw(r, "</small>");
  }
  html_raw(r, "</td>");
}

/* The footnote number of measure index i among the main measures (1-based). */
static int ps_note(int i) {
  int k = 0;
  for (int j = 0; j <= i; j++) k += stat_measures[j].main;
  return k;
}

/* Appends a {value, label} pair to the period choices (strings into s,
 * their offsets into offs). */
static void ps_period_add(Buf *s, size_t *offs, int *n, const char *value, const char *label) {
  offs[(*n)++] = s->len;
  buf_puts(s, value);
  buf_putc(s, 0);
  offs[(*n)++] = s->len;
  buf_puts(s, label);
  buf_putc(s, 0);
}

/* The period choices: "" (the year so far), then 12 months, 8 quarters, 4
 * halves and 5 years back from today: {value, label} pairs into opts (room
 * for 2 + 58 + 1), their text kept in store (offsets in offs, 58). */
static void ps_periods(Req *r, const char **opts, Buf *store, size_t *offs) {
  int y, m, d, n = 0;
  date_to_ymd(r->ctx.today, &y, &m, &d);
  bool en = strcmp(r->lang, "en") == 0;
  char v[16], l[32];
  buf_clear(store);
  for (int k = 0; k < 12; k++) {
    int mm = m - k, yy = y;
    while (mm < 1) { mm += 12; yy--; }
    snprintf(v, sizeof v, "%04d-%02d", yy, mm);
    snprintf(l, sizeof l, en ? "%04d-%02d" : "%d年%d月", yy, mm);
    ps_period_add(store, offs, &n, v, l);
  }
  for (int k = 0; k < 8; k++) {
    int q = (m - 1) / 3 + 1 - k, yy = y;
    while (q < 1) { q += 4; yy--; }
    snprintf(v, sizeof v, "%04dQ%d", yy, q);
    snprintf(l, sizeof l, en ? "%04dQ%d" : "%d年第%d季度", yy, q);
    ps_period_add(store, offs, &n, v, l);
  }
  for (int k = 0; k < 4; k++) {
    int h = (m <= 6 ? 1 : 2) - k, yy = y;
    while (h < 1) { h += 2; yy--; }
    snprintf(v, sizeof v, "%04dH%d", yy, h);
    if (en) snprintf(l, sizeof l, "%04dH%d", yy, h);
    else snprintf(l, sizeof l, "%d年%s", yy, h == 1 ? "上半年" : "下半年");
    ps_period_add(store, offs, &n, v, l);
  }
  for (int k = 0; k < 5; k++) {
    snprintf(v, sizeof v, "%04d", y - k);
    snprintf(l, sizeof l, en ? "%04d" : "%d年", y - k);
    ps_period_add(store, offs, &n, v, l);
  }
  opts[0] = "";
  opts[1] = "本年累计（或下方自定义起止）";
  for (int i = 0; i < n; i++) opts[2 + i] = store->data + offs[i]; /* the store is complete: no more moves */
  opts[2 + n] = NULL;
}

/* The filter form: unit, day, period (a calendar one, or from/to). */
static void ps_filters(Req *r, const StatsQuery *q, const Err *e) {
  html_raw(r, "<form method=\"get\" action=\"/stats\" class=\"filters grid\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = q->org ? q->org : r->actor.org_code,
                         .error_zh = err_field_msg(e, "org"), .levels = PICK_ANY});
  form_input(r, "date", "date", "统计日", q->date ? q->date : "", err_field_msg(e, "date"), false, 10);
  const char *opts[2 + 2 * 29 + 1];
  size_t offs[2 * 29];
  Buf store = BUF_INIT;
  ps_periods(r, opts, &store, offs);
  form_select(r, "period", "统计期", opts, q->period ? q->period : "", err_field_msg(e, "period"));
  form_input(r, "date", "from", "自定义开始日期", q->from ? q->from : "", err_field_msg(e, "from"), false, 10);
  form_input(r, "date", "to", "自定义结束日期", q->to ? q->to : "", err_field_msg(e, "to"), false, 10);
  html(r, "<div class=\"field\"><span>&nbsp;</span><button type=\"submit\">%s</button></div></form>", T(r, "查看"));
  buf_reset(&store);
}

/* "2026-01-01 至 2026-06-30 · 统计日 2026-06-30" of a window. */
static void ps_window_text(Req *r, const StatsWindow *w) {
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], t[DATE_ISO_LEN];
  stats_window_iso(w, d, f, t);
  html(r, "%s %s %s %s · %s %s", T(r, "统计期"), f, T(r, "至"), t, T(r, "统计日"), d);
}

/* The change from b to a: counts as a difference (+3), rates in percentage
 * points (+1.2 个百分点); "—" when either side has no value. */
static void ps_change(Req *r, const StatMeasure *m, const StatsFigures *a, const StatsFigures *b) {
  html_raw(r, "<td class=\"num\">");
  if (m->kind == SM_COUNT) {
    long long d = (long long)(stats_figure(a, m, false) - stats_figure(b, m, false));
    html(r, "%s%lld", d > 0 ? "+" : "", d);
  } else {
    int64_t ta, tb;
    if (stats_rate_tenths(stats_figure(a, m, false), stats_figure(a, m, true), &ta) &&
        stats_rate_tenths(stats_figure(b, m, false), stats_figure(b, m, true), &tb)) {
      long long d = (long long)(ta - tb);
      html(r, "%s%lld.%lld %s", d > 0 ? "+" : d < 0 ? "-" : "", llabs(d) / 10, llabs(d) % 10, T(r, "个百分点"));
    } else {
      html_raw(r, "—");
    }
  }
  html_raw(r, "</td>");
}

/* The value of m in f as text into out. */
static void ps_value(const StatMeasure *m, const StatsFigures *f, char out[STATS_RATE_TEXT_LEN]) {
  if (m->kind == SM_COUNT) snprintf(out, STATS_RATE_TEXT_LEN, "%lld", (long long)stats_figure(f, m, false));
  else stats_rate_text(stats_figure(f, m, false), stats_figure(f, m, true), out);
}

/* 同比 / 环比 of the unit's total: a row per main measure. */
static void ps_compare(Req *r, const StatsTable *t) {
  html(r, "<h2>%s</h2><p class=\"muted\">%s ", T(r, "同比、环比"), T(r, "上期："));
  ps_window_text(r, &t->previous);
  html(r, "<br>%s ", T(r, "去年同期："));
  ps_window_text(r, &t->year_ago);
  html(r, "</p><table class=\"stats compare\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
          "<th>%s</th></tr></thead><tbody>",
       T(r, "指标"), T(r, "本期"), T(r, "上期"), T(r, "环比"), T(r, "去年同期"), T(r, "同比"));
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (!m->main) continue;
    char a[STATS_RATE_TEXT_LEN], b[STATS_RATE_TEXT_LEN], c[STATS_RATE_TEXT_LEN];
    ps_value(m, &t->total, a);
    ps_value(m, &t->total_previous, b);
    ps_value(m, &t->total_year_ago, c);
    html(r, "<tr><td>%s<sup>%d</sup></td><td class=\"num\">%s</td><td class=\"num\">%s</td>", T(r, m->name_zh),
         ps_note(i), a, b);
    ps_change(r, m, &t->total, &t->total_previous);
    html(r, "<td class=\"num\">%s</td>", c);
    ps_change(r, m, &t->total, &t->total_year_ago);
    html_raw(r, "</tr>");
  }
  html_raw(r, "</tbody></table>");
}

/* The colours of the status bars (by Status). */
static const char *const PS_COLOURS[] = {"#8a94a3", "#0b5cad", "#b3261e", "#1b6e3a", "#3d8bd9", "#8a5a00",
                                         "#6b3fa0", "#2f8f83", "#444", "#999"};

/* The status mix (registered by status on D): a bar per status drawn as
 * SVG, its figure linked to the persons. */
static void ps_status_mix(Req *r, const StatsTable *t) {
  html(r, "<h2>%s</h2>", T(r, "管控状态构成"));
  const StatMeasure *reg = stats_measure_by_key("registered");
  int64_t total = stats_figure(&t->total, reg, false), top = 1;
  for (int i = 0; i < stats_measure_count(); i++)
    if (strncmp(stat_measures[i].key, "by_status.", 10) == 0 && stats_figure(&t->total, &stat_measures[i], false) > top)
      top = stats_figure(&t->total, &stat_measures[i], false);
  int n = 0;
  for (int i = 0; i < stats_measure_count(); i++) n += strncmp(stat_measures[i].key, "by_status.", 10) == 0;
  html(r, "<svg class=\"mix\" role=\"img\" viewBox=\"0 0 640 %d\" width=\"640\" height=\"%d\" aria-label=\"%s\">",
       n * 26 + 4, n * 26 + 4, T(r, "管控状态构成"));
  Buf url = BUF_INIT;
  int row = 0;
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (strncmp(m->key, "by_status.", 10) != 0) continue;
    int64_t v = stats_figure(&t->total, m, false);
    int w = (int)(v * 380 / top);
    Status st = status_from_code(m->key + 10);
    int y = row++ * 26 + 2;
    char pct[STATS_RATE_TEXT_LEN];
    stats_rate_text(v, total, pct);
    ps_items_url(&url, t->unit.code, &t->now, m, false);
    html(r, "<a href=\"%s\"><text x=\"0\" y=\"%d\" font-size=\"13\">%s</text>"
            "<rect x=\"140\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"></rect>"
            "<text x=\"%d\" y=\"%d\" font-size=\"13\">%lld（%s）</text></a>",
         buf_str(&url), y + 14, T(r, m->name_zh), y, w < 1 && v ? 1 : w, PS_COLOURS[st % 10], 146 + w, y + 14,
         (long long)v, pct);
  }
  html_raw(r, "</svg>");
  buf_reset(&url);
}

/* GET /stats?org=&date=&period=&from=&to=[&format=xlsx]: the table. */
void page_stats(Req *r) {
  StatsQuery q;
  if (stats_query_or_export(r, &q)) return;
  Err e;
  err_clear(&e);
  StatsTable t;
  int rc = app_stats_table(&r->ctx, &q, true, &t, &e);
  if (rc != ERR_OK && rc != ERR_INVALID) {
    resp_error(r, &e);
    return;
  }
  page_begin(r, T(r, "禁毒工作统计"), false);
  html(r, "<h1>%s</h1>", T(r, "禁毒工作统计"));
  ps_filters(r, &q, &e);
  if (page_filter_failed(r, rc, &e)) return;
  Buf url = BUF_INIT;
  buf_puts(&url, "/stats");
  ps_query(&url, t.unit.code, &t.now);
  page_query_param(&url, "format", "xlsx");
  html(r, "<div class=\"actions no-print\"><a class=\"button secondary\" id=\"stats-xlsx\" href=\"%s\" download>%s</a> "
          "<button type=\"button\" class=\"secondary\" data-print>%s</button></div>",
       buf_str(&url), T(r, "导出 Excel"), T(r, "打印"));
  html(r, "<p><strong>%s</strong> · ", t.unit.name);
  ps_window_text(r, &t.now);
  html_raw(r, "</p>");

  /* the rows: the child units, then the total */
  html(r, "<div class=\"scroll\"><table class=\"stats\"><thead><tr><th>%s</th>", T(r, "单位"));
  for (int i = 0; i < stats_measure_count(); i++)
    if (stat_measures[i].main) html(r, "<th class=\"num\">%s<sup>%d</sup></th>", T(r, stat_measures[i].name_zh), ps_note(i));
  html_raw(r, "</tr></thead><tbody>");
  for (int k = 0; k < t.nchildren; k++) {
    const StatsRow *row = &t.children[k];
    buf_clear(&url);
    buf_puts(&url, "/stats");
    ps_query(&url, row->unit.code, &t.now);
    html(r, "<tr><td><a href=\"%s\">%s</a></td>", buf_str(&url), row->unit.name);
    for (int i = 0; i < stats_measure_count(); i++)
      if (stat_measures[i].main) ps_cell(r, &url, row->unit.code, &t.now, &stat_measures[i], &row->f);
    html_raw(r, "</tr>");
  }
  html(r, "<tr class=\"total\"><td><strong>%s</strong></td>", t.nchildren ? T(r, "合计") : t.unit.name);
  for (int i = 0; i < stats_measure_count(); i++)
    if (stat_measures[i].main) ps_cell(r, &url, t.unit.code, &t.now, &stat_measures[i], &t.total);
  html_raw(r, "</tr></tbody></table></div>");

  ps_compare(r, &t);
  ps_status_mix(r, &t);

  /* the trend: an image of its own (a pass over 24 months) */
  char d[DATE_ISO_LEN];
  date_format(t.now.d, d);
  buf_clear(&url);
  buf_puts(&url, "/stats/trend.svg");
  page_query_param(&url, "org", t.unit.code);
  page_query_param(&url, "date", d);
  html(r, "<h2>%s</h2><p><img class=\"trend\" src=\"%s\" width=\"720\" height=\"440\" alt=\"%s\"></p>",
       T(r, "近24个月趋势"), buf_str(&url), T(r, "近24个月在册人数、在管人数、管控率、尿检率的月度趋势"));

  /* the definitions */
  html(r, "<h2>%s</h2><ol class=\"notes\">", T(r, "指标说明"));
  for (int i = 0; i < stats_measure_count(); i++)
    if (stat_measures[i].main)
      html(r, "<li><strong>%s</strong>：%s</li>", T(r, stat_measures[i].name_zh), T(r, stat_measures[i].def_zh));
  html(r, "</ol><p class=\"muted\">%s</p>",
       T(r, "比率保留一位小数（四舍五入）；分母为0时显示“—”。统计日的管控状态、责任社区和联系状态均按历史记录还原，不取人员当前状态。"));
  buf_reset(&url);
  app_stats_table_free(&t);
  page_end(r);
}

/* GET /stats/items?org=&date=&from=&to=&measure=&part=&page=[&after=|&before=][&count=all][&format=xlsx]:
 * the persons behind one number. A page reads the persons up to its own and
 * one more (app_stats_items_page): the table the user came from shows the
 * number, so a long list says "at least N" and offers count=all, which
 * reads them all for the exact total and the units of those not listed.
 * Its pager links carry the position of its first or last person (after=,
 * before=: ORG.PERSON), so a page reached by a link reads its own rows and
 * one more, wherever it lies in the list. */
void page_stats_items(Req *r) {
  StatsQuery q;
  stats_query_read(r, &q);
  const char *measure = req_query(r, "measure"), *part = req_query(r, "part");
  if (xlsx_wanted(r)) {
    export_stats_items(r, &q, measure, part);
    return;
  }
  int page = (int)req_query_int(r, "page", 1, 1, 1000000);
  Err e;
  err_clear(&e);
  StatsItems it;
  const char *count = req_query(r, "count");
  bool all = count && strcmp(count, "all") == 0;
  int rc = all ? app_stats_items(&r->ctx, &q, measure, part, page, ITEMS_PER_PAGE, &it, &e)
               : app_stats_items_page(&r->ctx, &q, measure, part, page, ITEMS_PER_PAGE, req_query(r, "after"),
                                      req_query(r, "before"), &it, &e);
  if (!page_ok(r, rc, &e)) return;
  const StatMeasure *m = it.measure;
  Buf title = BUF_INIT, url = BUF_INIT;
  buf_printf(&title, "%s%s", T(r, m->name_zh), m->kind == SM_RATE ? T(r, it.den ? "（分母）" : "（分子）") : "");
  page_begin(r, buf_str(&title), false);
  html(r, "<h1>%s · %s</h1>", buf_str(&title), it.unit.name);
  html_raw(r, "<p>");
  ps_window_text(r, &it.w);
  html(r, "</p><p class=\"muted\">%s</p>", T(r, m->def_zh));
  /* partial: what was read up to this page, "at least" */
  const char *least = it.partial ? T(r, "至少") : "";
  html(r, "<p id=\"items-total\">%s %s<strong>%lld</strong>", T(r, "合计"), least, (long long)it.total);
  if (it.total != it.persons) html(r, "（%s%lld %s）", least, (long long)it.persons, T(r, "人"));
  if (it.hidden) html(r, " · %s%lld %s", least, (long long)it.hidden, T(r, "人现已不在您的管辖范围内，计入合计但不列出"));
  html_raw(r, "</p>");
  buf_puts(&url, "/stats/items");
  ps_query(&url, it.unit.code, &it.w);
  page_query_param(&url, "measure", m->key);
  if (it.den) page_query_param(&url, "part", "den");
  if (it.partial) { /* the exact figures on request: every person read */
    Buf full = BUF_INIT;
    buf_printf(&full, "%s&count=all&page=%d", buf_str(&url), it.page);
    html(r, "<p class=\"muted\">%s <a id=\"items-count-all\" href=\"%s\">%s</a></p>",
         T(r, "为加快显示，只读取到本页为止的人员；合计以统计表为准。"), buf_str(&full), T(r, "统计全部人数"));
    buf_reset(&full);
  } else if (it.nhidden_units) { /* their supervising units, counts only */
    html(r, "<p class=\"muted\">%s", T(r, "其中由以下单位帮教："));
    for (int i = 0; i < it.nhidden_units; i++)
      html(r, "%s%s %lld %s", i ? "，" : "", it.hidden_units[i].name, (long long)it.hidden_units[i].count, T(r, "人"));
    html_raw(r, "</p>");
  }
  Buf back = BUF_INIT, xl = BUF_INIT;
  buf_puts(&back, "/stats");
  ps_query(&back, it.unit.code, &it.w);
  buf_puts(&xl, buf_str(&url));
  page_query_param(&xl, "format", "xlsx");
  html(r, "<div class=\"actions no-print\"><a class=\"button secondary\" href=\"%s\">%s</a> "
          "<a class=\"button secondary\" id=\"items-xlsx\" href=\"%s\" download>%s</a></div>",
       buf_str(&back), T(r, "返回统计表"), buf_str(&xl), T(r, "导出 Excel"));
  bool counts = m->num == SS_REPORT_NUM || m->num == SS_PICKUP_NUM;
  if (it.record && it.n == 0) {
    html(r, "<p class=\"empty\">%s</p>", T(r, "没有可列出的记录。"));
  } else if (it.record) { /* letters, or the required signers with their letters */
    html(r, "<table class=\"items\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "发出单位"), T(r, "责任书类型"), T(r, "签订方"), T(r, "签订日期"));
    for (int i = 0; i < it.n; i++) {
      const StatsItem *x = &it.items[i];
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", x->org_name, x->rec_kind, x->rec_name);
      if (x->rec_letter > 0) html(r, "<a href=\"/letters/%lld\">%s</a>", (long long)x->rec_letter, x->rec_date);
      else html(r, "%s", T(r, "未签订"));
      html_raw(r, "</td></tr>");
    }
    html_raw(r, "</tbody></table>");
  } else if (it.n == 0) {
    html(r, "<p class=\"empty\">%s</p>", T(r, "没有可列出的人员。"));
  } else {
    html(r, "<table class=\"items\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>", T(r, "姓名"),
         T(r, "身份证号"), T(r, "统计日责任单位"), T(r, "统计日管控状态"));
    if (counts) html(r, "<th class=\"num\">%s</th>", T(r, "次数"));
    html(r, "<th>%s</th></tr></thead><tbody>", T(r, "现所属单位"));
    for (int i = 0; i < it.n; i++) {
      const StatsItem *x = &it.items[i];
      html(r, "<tr><td><a href=\"/persons/%lld\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>",
           (long long)x->person_id, x->name, x->id_masked, x->org_name, page_status_name(r, status_code(x->status)));
      if (counts) html(r, "<td class=\"num\">%d</td>", x->count);
      html(r, "<td>%s</td></tr>", x->now_org_name);
    }
    html_raw(r, "</tbody></table>");
  }
  /* partial: the page and one more were found; the pager says "N+" and links the next. Persons read by
   * position link their neighbours by it (after=, before=), so the page a link leads to reads its own
   * rows; a page reached so knows its number only */
  if (it.keyed) html_pager_keyed(r, buf_str(&url), it.page, it.per_page, -1, 0, it.prev_before, it.next_after);
  else if (it.prev_before[0] || it.next_after[0])
    html_pager_keyed(r, buf_str(&url), it.page, it.per_page, it.persons - it.hidden + (it.partial ? 1 : 0),
                     it.partial ? it.persons - it.hidden : 0, it.prev_before, it.next_after);
  else if (it.partial) html_pager_capped(r, buf_str(&url), it.page, it.per_page, it.persons - it.hidden + 1, it.persons - it.hidden);
  else html_pager(r, buf_str(&url), it.page, it.per_page, it.persons - it.hidden);
  buf_reset(&title);
  buf_reset(&url);
  buf_reset(&back);
  buf_reset(&xl);
  app_stats_items_free(&it);
  page_end(r);
}

/* ---- the trend chart ------------------------------------------------------------ */

#define TW 720       /* width */
#define TH 440       /* height */
#define TL 64        /* left margin */
#define TR 16        /* right margin */
#define PANEL 150    /* each panel's plot height */

/* One line of a panel: the values v (n of them, -1 = no value) scaled to
 * [0, top] over the panel whose bottom is at y0. */
static void ps_line(Req *r, const double *v, int n, double top, int y0, const char *colour) {
  Buf pts = BUF_INIT;
  for (int i = 0; i < n; i++) {
    if (v[i] < 0) continue;
    double x = TL + (double)i * (TW - TL - TR) / (n - 1);
    double y = y0 - (top > 0 ? v[i] / top : 0) * PANEL;
    buf_printf(&pts, "%s%.1f,%.1f", pts.len ? " " : "", x, y);
  }
  html(r, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"></polyline>", colour, buf_str(&pts));
  buf_reset(&pts);
}

/* A panel's frame: horizontal grid lines with labels (top split in 4) and
 * the month labels under it (every third month). */
static void ps_panel(Req *r, const StatsTrend *t, int y0, double top, bool percent) {
  Buf b = BUF_INIT; /* numbers only: written raw */
  for (int k = 0; k <= 4; k++) {
    int y = y0 - k * PANEL / 4;
    buf_printf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d5dbe3\"></line>", TL, y, TW - TR, y);
    if (percent) buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d%%</text>", TL - 6, y + 4, k * 25);
    else buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.0f</text>", TL - 6, y + 4, top * k / 4);
  }
  for (int i = 0; i < STATS_TREND_MONTHS; i += 3) {
    int y, mo, d;
    date_to_ymd(t->w[i].p.f, &y, &mo, &d);
    int x = TL + i * (TW - TL - TR) / (STATS_TREND_MONTHS - 1);
    buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%02d/%02d</text>", x, y0 + 16,
               y % 100, mo);
  }
  html_raw(r, buf_str(&b));
  buf_reset(&b);
}

/* GET /stats/trend.svg?org=&date=: registered and supervised (counts),
 * control and test rates (percent), month by month. */
void page_stats_trend(Req *r) {
  StatsQuery q;
  stats_query_read(r, &q);
  Err e;
  err_clear(&e);
  StatsTrend *t = malloc(sizeof *t);
  if (!t) abort();
  if (app_stats_trend(&r->ctx, &q, t, &e) != ERR_OK) {
    free(t);
    resp_error(r, &e);
    return;
  }
  const char *counts[] = {"registered", "supervised"}, *rates[] = {"control_rate", "test_rate"};
  const char *colours[] = {"#0b5cad", "#1b6e3a"};
  double cv[2][STATS_TREND_MONTHS], rv[2][STATS_TREND_MONTHS], top = 1;
  for (int s = 0; s < 2; s++) {
    const StatMeasure *mc = stats_measure_by_key(counts[s]), *mr = stats_measure_by_key(rates[s]);
    for (int i = 0; i < STATS_TREND_MONTHS; i++) {
      cv[s][i] = (double)stats_figure(&t->f[i], mc, false);
      if (cv[s][i] > top) top = cv[s][i];
      int64_t tenths;
      rv[s][i] = stats_rate_tenths(stats_figure(&t->f[i], mr, false), stats_figure(&t->f[i], mr, true), &tenths)
                     ? (double)tenths / 10.0 : -1;
    }
  }
  /* a round top: four grid steps of 1, 2 or 5 times a power of ten (whole numbers) */
  double step = 1;
  for (double p10 = 1; step * 4 < top; p10 *= 10)
    for (int k = 0; k < 3 && step * 4 < top; k++) step = p10 * (k == 0 ? 2 : k == 1 ? 5 : 10);
  double nice = step * 4;
  buf_clear(&r->out);
  html(r, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
          "font-family=\"sans-serif\"><title>%s · %s</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"></rect>",
       TW, TH, TW, TH, t->unit.name, T(r, "近24个月趋势"), TW, TH);
  int y1 = 30 + PANEL, y2 = y1 + 60 + PANEL;
  ps_panel(r, t, y1, nice, false);
  ps_panel(r, t, y2, 100, true);
  for (int s = 0; s < 2; s++) {
    ps_line(r, cv[s], STATS_TREND_MONTHS, nice, y1, colours[s]);
    ps_line(r, rv[s], STATS_TREND_MONTHS, 100, y2, colours[s]);
    html(r, "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"></rect>"
            "<text x=\"%d\" y=\"18\" font-size=\"12\">%s</text>",
         TL + s * 160, colours[s], TL + 16 + s * 160, T(r, stats_measure_by_key(counts[s])->name_zh));
    html(r, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"></rect>"
            "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
         TL + s * 160, y1 + 30, colours[s], TL + 16 + s * 160, y1 + 40, T(r, stats_measure_by_key(rates[s])->name_zh));
  }
  html_raw(r, "</svg>");
  free(t);
  r->content_type = "image/svg+xml";
  r->status = 200;
  r->done = true;
}
