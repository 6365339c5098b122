/* web/page_assessment.c: the assessment pages: /assessment (the communities
 * under a unit for a year, ranked: item columns, score, result, the state
 * of each application, failing items linked to their evidence; .xlsx,
 * print) and /assessment/unit (one community's 100-point sheet with the
 * evidence of every item, the street's sign-offs and household sample,
 * the application's steps and the buttons of the flow for who may press
 * them), and the posts of its forms (act, sign, sample). Scheme "unit"
 * (无毒单位): the table ranks the partner places under the unit and the
 * sheet is one place's (?place=ID). Parses, calls app/assessment.h,
 * renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ledger.h"
#include "web/api_assessment.h"
#include "web/api_stats.h"
#include "web/attachment.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/routes.h"

static const char *const RESULT_ZH[] = {"合格", "不合格", "待定"};
static const char *const RESULT_CLASS[] = {"ok", "bad", "muted"};

/* The URL of page path for (org, year, scheme) into b. */
static void pa_url(Buf *b, const char *path, const char *org, int year, const char *scheme) {
  char y[16];
  snprintf(y, sizeof y, "%d", year);
  buf_puts(b, path);
  page_query_param(b, "org", org);
  page_query_param(b, "year", y);
  page_query_param(b, "scheme", scheme);
}

/* The URL of the sheet of s in t (a place's names its place) into b. */
static void pa_sheet_url(Buf *b, const AssessTable *t, const AssessSheet *s) {
  pa_url(b, "/assessment/unit", s->unit.code, t->year, t->scheme);
  if (s->place_id) buf_printf(b, "&place=%lld", (long long)s->place_id);
}

/* The page's title: the scheme's assessment (a msgid). */
static const char *pa_title(const char *scheme) {
  return assess_scheme_places(scheme) ? "无毒单位创建考核"
         : scheme && strcmp(scheme, "village") == 0 ? "无毒村创建考核" : "无毒社区创建考核";
}

/* The filter form (unit, year, scheme). */
static void pa_filters(Req *r, const AssessQuery *q, const Err *e) {
  html_raw(r, "<form method=\"get\" action=\"/assessment\" class=\"filters grid no-print\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = q->org ? q->org : r->actor.org_code,
                         .error_zh = err_field_msg(e, "org"), .levels = PICK_ANY});
  form_input(r, "text", "year", "考核年度", q->year ? q->year : "", err_field_msg(e, "year"), false, 4);
  static const char *const schemes[] = {"community", "无毒社区", "village", "无毒村", "unit", "无毒单位", NULL};
  form_select(r, "scheme", "创建类型", schemes, q->scheme ? q->scheme : "community", err_field_msg(e, "scheme"));
  html(r, "<div class=\"field\"><span>&nbsp;</span><button type=\"submit\">%s</button></div></form>", T(r, "查看"));
}

/* One item's cell or verdict: 达标/未达标/待签核/未接入 with the value,
 * an unmet automatic item linked to the persons behind it. */
static void pa_verdict(Req *r, const AssessTable *t, const AssessSheet *s, const AssessItemDef *d,
                       const AssessItemEval *x) {
  Buf v = BUF_INIT, url = BUF_INIT;
  assess_value_text(&v, d, x);
  const char *word = x->v == AV_MET ? "达标" : x->v == AV_UNMET ? "未达标" : x->v == AV_PENDING ? "待签核" : "未接入";
  const char *cls = x->v == AV_MET ? "ok" : x->v == AV_UNMET ? "bad" : "muted";
  html(r, "<span class=\"%s\">%s</span>", cls, T(r, word));
  if (d->kind != AK_MANUAL && x->v != AV_MISSING && x->v != AV_PENDING) {
    if (assess_evidence_url(&url, "/stats/items", t, s, d, false))
      html(r, " <a href=\"%s\" title=\"%s\">%s</a>", buf_str(&url), T(r, "查看依据"), buf_str(&v));
    else html(r, " %s", buf_str(&v));
  }
  buf_reset(&v);
  buf_reset(&url);
}

/* GET /assessment?org=&year=&scheme=: the ranked table (?format=xlsx; print=1). */
void page_assessment(Req *r) {
  AssessQuery q;
  if (assess_query_xlsx(r, &q)) return;
  Err e;
  AssessTable t;
  int rc = assess_table_get(r, &q, &t, true, &e);
  if (rc != ERR_OK && rc != ERR_INVALID) return;
  bool print = strcmp(req_query(r, "print") ? req_query(r, "print") : "", "1") == 0;
  const char *title = pa_title(rc == ERR_OK ? t.scheme : q.scheme);
  page_begin(r, T(r, title), print);
  html(r, "<h1>%s</h1>", T(r, title));
  pa_filters(r, &q, &e);
  if (page_filter_failed(r, rc, &e)) return;
  Buf url = BUF_INIT;
  pa_url(&url, "/assessment", t.unit.code, t.year, t.scheme);
  page_query_param(&url, "format", "xlsx");
  Buf purl = BUF_INIT;
  pa_url(&purl, "/assessment", t.unit.code, t.year, t.scheme);
  page_query_param(&purl, "print", "1");
  html(r, "<div class=\"actions no-print\"><a class=\"button secondary\" id=\"assess-xlsx\" href=\"%s\" download>%s</a> "
          "<a class=\"button secondary\" href=\"%s\">%s</a></div>",
       buf_str(&url), T(r, "导出 Excel"), buf_str(&purl), T(r, "打印视图"));
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], to[DATE_ISO_LEN];
  stats_window_iso(&t.w, d, f, to);
  html(r, "<p><strong>%s</strong> · %s · %d%s · %s %s %s %s</p>", t.unit.name, T(r, assess_scheme_title_zh(t.scheme)),
       t.year, T(r, "年度"), T(r, "数据期"), f, T(r, "至"), to);
  bool places = assess_scheme_places(t.scheme);
  if (t.n == 0) {
    html(r, "<p class=\"empty\">%s</p>",
         T(r, places ? "该单位下没有参加无毒单位考核的场所或单位" : "该单位下没有社区（村）"));
  } else {
    const AssessCriteria *k0 = &t.crit[0];
    html(r, "<div class=\"scroll\"><table class=\"stats assess\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>",
         T(r, "名次"), T(r, "街道（乡镇）"), T(r, "单位"));
    if (places) html(r, "<th>%s</th>", T(r, "场所或单位"));
    for (int i = 0; i < k0->nitems; i++)
      html(r, "<th>%s%s</th>", T(r, k0->items[i].label), k0->items[i].veto ? "★" : "");
    html(r, "<th class=\"num\">%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "得分"),
         T(r, "考核结果"), T(r, "申报状态"), T(r, "未达标项"));
    for (int o = 0; o < t.n; o++) {
      const AssessSheet *s = &t.sheets[t.order[o]];
      const AssessCriteria *k = &t.crit[s->crit];
      buf_clear(&url);
      pa_sheet_url(&url, &t, s);
      if (places)
        html(r, "<tr data-org=\"%s\" data-place=\"%lld\"><td class=\"num\">%d</td><td>%s</td><td>%s</td>"
                "<td><a href=\"%s\">%s</a> <span class=\"muted\">%s</span></td>",
             s->unit.code, (long long)s->place_id, s->rank, s->street_name, s->unit.name, buf_str(&url), s->place_name,
             T(r, unit_term_label(place_kind_vocab, s->place_kind)));
      else
        html(r, "<tr data-org=\"%s\"><td class=\"num\">%d</td><td>%s</td><td><a href=\"%s\">%s</a></td>", s->unit.code,
             s->rank, s->street_name, buf_str(&url), s->unit.name);
      for (int i = 0; i < k0->nitems; i++) {
        int j = -1;
        for (int m = 0; m < k->nitems && j < 0; m++)
          if (strcmp(k->items[m].key, k0->items[i].key) == 0) j = m;
        html_raw(r, "<td>");
        if (j < 0) html_raw(r, "—");
        else pa_verdict(r, &t, s, &k->items[j], &s->items[j]);
        html_raw(r, "</td>");
      }
      html(r, "<td class=\"num\">%d / %d</td><td class=\"%s\">%s%s</td><td>%s</td><td>", s->score.score, s->score.max,
           RESULT_CLASS[s->score.result], T(r, RESULT_ZH[s->score.result]),
           s->score.veto_failed ? T(r, "（一票否决）") : "", T(r, assess_state_name_zh(s->state)));
      bool any = false;
      for (int i = 0; i < k->nitems; i++) {
        if (s->items[i].v != AV_UNMET) continue;
        Buf ev = BUF_INIT;
        html_raw(r, any ? "；" : "");
        if (assess_evidence_url(&ev, "/stats/items", &t, s, &k->items[i], false))
          html(r, "<a href=\"%s\">%s</a>", buf_str(&ev), T(r, k->items[i].label));
        else html(r, "<a href=\"%s\">%s</a>", buf_str(&url), T(r, k->items[i].label));
        buf_reset(&ev);
        any = true;
      }
      html_raw(r, "</td></tr>");
    }
    html_raw(r, "</tbody></table></div>");
  }
  /* the criteria: where they come from, what each item reads */
  for (int c = 0; c < t.ncrit; c++) {
    const AssessCriteria *k = &t.crit[c];
    html(r, "<h2>%s · %s %d%s</h2><p>%s%d%s</p><ol class=\"notes\">", T(r, "考核标准"),
         k->set.org_name[0] ? k->set.org_name : T(r, "系统默认"), k->set.year, T(r, "年版"),
         T(r, "各部分得分不超过其上限，合计100分；得分率（得分 ÷ 可评分满分）达到"), k->set.pass_percent,
         T(r, "%且无一票否决项未达标为合格。"));
    for (int s = 0; s < k->nsecs; s++) {
      html(r, "<li><strong>%s</strong>（%s %d %s）<ul>", T(r, k->secs[s].label), T(r, "上限"), k->secs[s].cap, T(r, "分"));
      for (int i = 0; i < k->nitems; i++) {
        const AssessItemDef *it = &k->items[i];
        if (strcmp(it->section, k->secs[s].key) != 0) continue;
        Buf tg = BUF_INIT;
        assess_target_text(&tg, it);
        html(r, "<li>%s · %d %s%s", T(r, it->label), it->points, T(r, "分"), it->veto ? T(r, " · 一票否决") : "");
        if (it->kind == AK_AUTO && k->set.subjects[0]) {
          const char *pm = assess_place_measure_name(it->measure);
          if (pm) html(r, " · %s %s", T(r, pm), buf_str(&tg));
          else html(r, " · <span class=\"muted\">%s（%s）</span>", T(r, "未接入：本系统尚无此项数据，不计分"), it->measure);
        } else if (it->kind == AK_AUTO) {
          const StatMeasure *m = stats_measure_by_key(it->measure);
          if (m) html(r, " · %s %s", T(r, m->name_zh), buf_str(&tg));
          else html(r, " · <span class=\"muted\">%s（%s）</span>", T(r, "未接入：本系统尚无此项数据，不计分"), it->measure);
        } else if (it->kind == AK_SAMPLE) {
          html(r, " · %s %s", T(r, "入户抽查"), buf_str(&tg));
        } else {
          html(r, " · %s", T(r, "街道签核（附证明材料）"));
        }
        html_raw(r, "</li>");
        buf_reset(&tg);
      }
      html_raw(r, "</ul></li>");
    }
    html_raw(r, "</ol>");
    if (k->set.subjects[0]) {
      html(r, "<p>%s", T(r, "参加考核的场所或单位类别："));
      for (int i = 0; place_kind_vocab[i].code; i++)
        if (assess_subjects_has(k->set.subjects, place_kind_vocab[i].code))
          html(r, "%s ", T(r, unit_term_label(place_kind_vocab, place_kind_vocab[i].code)));
      html_raw(r, "</p>");
    }
  }
  if (places)
    html(r, "<p class=\"muted\">%s</p>", T(r, "★为一票否决项。自动考核项取自场所和单位台账（责任书、宣传教育活动、场所检查；统计期为考核年度1月1日至年底或今天），点击数值可查看该场所或单位的台账。"));
  else
    html(r, "<p class=\"muted\">%s</p>", T(r, "★为一票否决项。自动考核项取自“统计”的同名指标（统计期为考核年度1月1日至年底或今天），点击数值可查看背后的人员或记录。"));
  buf_reset(&url);
  buf_reset(&purl);
  app_assess_table_free(&t);
  page_end(r);
}

/* ---- one unit ------------------------------------------------------------------ */

/* A flow button with an optional note. */
static void pa_act_form(Req *r, const AssessTable *t, const char *action, const char *label_zh, bool note) {
  html(r, "<form method=\"post\" action=\"/assessment/act\" class=\"inline\" id=\"act-%s\">", action);
  form_csrf(r);
  char y[16];
  snprintf(y, sizeof y, "%d", t->year);
  html(r, "<input type=\"hidden\" name=\"org\" value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%s\">"
          "<input type=\"hidden\" name=\"scheme\" value=\"%s\"><input type=\"hidden\" name=\"action\" value=\"%s\">",
       t->unit.code, y, t->scheme, action);
  if (t->place_id) html(r, "<input type=\"hidden\" name=\"place\" value=\"%lld\">", (long long)t->place_id);
  if (note) form_input(r, "text", "note", "理由", "", NULL, false, ASSESS_NOTE_CHARS);
  html(r, "<button type=\"submit\">%s</button></form> ", T(r, label_zh));
}

/* The hidden fields of a unit's forms. */
static void pa_hidden(Req *r, const AssessTable *t) {
  char y[16];
  snprintf(y, sizeof y, "%d", t->year);
  html(r, "<input type=\"hidden\" name=\"org\" value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%s\">"
          "<input type=\"hidden\" name=\"scheme\" value=\"%s\">",
       t->unit.code, y, t->scheme);
  if (t->place_id) html(r, "<input type=\"hidden\" name=\"place\" value=\"%lld\">", (long long)t->place_id);
}

/* The sheet of the unit (t holds one), with e beside the form named form. */
static void pa_unit_render(Req *r, AssessTable *t, const Err *err, const char *form, const char *notice) {
  Err none;
  err_clear(&none);
  const Err *e = err ? err : &none;
  const AssessSheet *s = &t->sheets[0];
  const AssessCriteria *k = &t->crit[s->crit];
  bool print = strcmp(req_query(r, "print") ? req_query(r, "print") : "", "1") == 0;
  page_begin(r, T(r, pa_title(t->scheme)), print);
  if (s->place_id)
    html(r, "<h1>%s（%s · %s）· %s · %d%s</h1>", s->place_name, T(r, unit_term_label(place_kind_vocab, s->place_kind)),
         s->unit.name, T(r, assess_scheme_title_zh(t->scheme)), t->year, T(r, "年度"));
  else
    html(r, "<h1>%s · %s · %d%s</h1>", s->unit.name, T(r, assess_scheme_title_zh(t->scheme)), t->year, T(r, "年度"));
  if (notice) html(r, "<p class=\"notice\">%s</p>", T(r, notice));
  page_attachment_notice(r);
  if (e->code != ERR_OK && !form) form_error_summary(r, e);
  Buf url = BUF_INIT;
  pa_sheet_url(&url, t, s);
  page_query_param(&url, "print", "1");
  Buf back = BUF_INIT;
  pa_url(&back, "/assessment", t->unit.code, t->year, t->scheme);
  html(r, "<div class=\"actions no-print\"><a class=\"button secondary\" href=\"%s\">%s</a> "
          "<button type=\"button\" class=\"secondary\" data-print>%s</button></div>",
       buf_str(&url), T(r, "打印视图"), T(r, "打印"));
  html(r, "<p id=\"assess-state\" data-state=\"%s\">%s：<strong>%s</strong> · %s：<strong class=\"%s\" id=\"assess-result\">%s</strong>"
          "%s · %s %d / %d</p>",
       assess_state_code(s->state), T(r, "申报状态"), T(r, assess_state_name_zh(s->state)), T(r, "考核结果"),
       RESULT_CLASS[s->score.result], T(r, RESULT_ZH[s->score.result]), s->score.veto_failed ? T(r, "（一票否决）") : "",
       T(r, "得分"), s->score.score, s->score.max);
  if (s->score.missing)
    html(r, "<p class=\"muted\">%s %d %s</p>", T(r, "有"), s->score.missing,
         T(r, "项未接入本系统的数据，不计分，可评分满分相应减少。"));

  /* the sheet */
  html(r, "<table class=\"assess-sheet\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
       T(r, "考核项"), T(r, "目标"), T(r, "实际"), T(r, "结果"), T(r, "分值"), T(r, "依据"));
  for (int sec = 0; sec < k->nsecs; sec++) {
    html(r, "<tr class=\"total\"><td colspan=\"6\"><strong>%s</strong> %d / %d（%s %d）</td></tr>", T(r, k->secs[sec].label),
         s->score.sections[sec].earned, s->score.sections[sec].possible, T(r, "上限"), k->secs[sec].cap);
    for (int i = 0; i < k->nitems; i++) {
      const AssessItemDef *d = &k->items[i];
      const AssessItemEval *x = &s->items[i];
      if (strcmp(d->section, k->secs[sec].key) != 0) continue;
      Buf tg = BUF_INIT, v = BUF_INIT, ev = BUF_INIT;
      assess_target_text(&tg, d);
      assess_value_text(&v, d, x);
      html(r, "<tr data-item=\"%s\"><td>%s%s</td><td>%s</td><td>%s</td><td>", d->key, T(r, d->label), d->veto ? "★" : "",
           buf_str(&tg), buf_str(&v));
      pa_verdict(r, t, s, d, x);
      html(r, "</td><td class=\"num\">%d</td><td>", d->points);
      if (assess_evidence_url(&ev, "/stats/items", t, s, d, false)) {
        html(r, "<a href=\"%s\">%s</a>", buf_str(&ev), T(r, s->place_id ? "查看台账" : x->is_rate ? "分子人员" : "人员名单"));
        buf_clear(&ev);
        if (assess_evidence_url(&ev, "/stats/items", t, s, d, true))
          html(r, " · <a href=\"%s\">%s</a> (%lld / %lld)", buf_str(&ev), T(r, "分母人员"), (long long)x->num, (long long)x->den);
      } else if (x->v == AV_MISSING) {
        html(r, "<span class=\"muted\">%s</span>", T(r, "未接入：本系统尚无此项数据，不计分"));
      } else if (d->kind == AK_MANUAL && x->has_mark) {
        char at[DATE_TIME_SHORT_LEN];
        html(r, "%s（%s，%s）", x->note, x->by, date_time_short(x->at, at));
        char up[64], mback[48];
        snprintf(up, sizeof up, "/assessment/marks/%lld/attachments", (long long)x->mark_id);
        snprintf(mback, sizeof mback, "/assessment/marks/%lld", (long long)x->mark_id);
        page_attachment_section(r, "assess_mark", x->mark_id, up, mback, !print && assess_state_open(s->state));
      } else if (d->kind == AK_SAMPLE && s->has_sample) {
        html(r, "%s %s · %d %s · %d / %d", T(r, "入户抽查"), s->sample.date, s->sample.households, T(r, "户"),
             d->measure[0] == 'a' ? s->sample.accurate : s->sample.complete, s->sample.records);
      }
      html_raw(r, "</td></tr>");
      buf_reset(&tg);
      buf_reset(&v);
      buf_reset(&ev);
    }
  }
  html_raw(r, "</tbody></table>");

  /* the street's sign-offs and sample, while the application is open */
  bool has_sample_items = false;
  for (int i = 0; i < k->nitems; i++) has_sample_items |= k->items[i].kind == AK_SAMPLE;
  if (assess_state_open(s->state) && r->actor.role == ROLE_OFFICE && strcmp(r->actor.org_level, "street") == 0) {
    html(r, "<h2 class=\"no-print\">%s</h2>", T(r, "街道签核"));
    html_raw(r, "<form method=\"post\" action=\"/assessment/sign\" class=\"grid no-print\" id=\"assess-sign\">");
    form_csrf(r);
    pa_hidden(r, t);
    if (form && strcmp(form, "sign") == 0) form_error_summary(r, e);
    const char *opts[2 * ASSESS_ITEMS_MAX + 1];
    int no = 0;
    for (int i = 0; i < k->nitems; i++)
      if (k->items[i].kind == AK_MANUAL) {
        opts[no++] = k->items[i].key;
        opts[no++] = k->items[i].label;
      }
    opts[no] = NULL;
    form_select(r, "item", "考核项", opts, req_form(r, "item") ? req_form(r, "item") : "", err_field_msg(e, "item"));
    static const char *const mets[] = {"met", "达标", "unmet", "未达标", NULL};
    form_select(r, "met", "签核结果", mets, "met", err_field_msg(e, "met"));
    form_input(r, "text", "note", "签核依据", "", err_field_msg(e, "note"), true, ASSESS_NOTE_CHARS);
    html(r, "<div class=\"field\"><span>&nbsp;</span><button type=\"submit\">%s</button></div></form>", T(r, "签核"));
  }
  if (has_sample_items && assess_state_open(s->state) && r->actor.role == ROLE_OFFICE &&
      strcmp(r->actor.org_level, "street") == 0) {
    html(r, "<h2 class=\"no-print\">%s</h2>", T(r, "入户抽查"));
    html_raw(r, "<form method=\"post\" action=\"/assessment/sample\" class=\"grid no-print\" id=\"assess-sample\">");
    form_csrf(r);
    pa_hidden(r, t);
    if (form && strcmp(form, "sample") == 0) form_error_summary(r, e);
    form_input(r, "date", "date", "抽查日期", "", err_field_msg(e, "date"), true, 10);
    form_input(r, "number", "households", "抽查户数", "", err_field_msg(e, "households"), true, 4);
    form_input(r, "number", "records", "核对记录数", "", err_field_msg(e, "records"), true, 5);
    form_input(r, "number", "accurate", "录入准确条数", "", err_field_msg(e, "accurate"), true, 5);
    form_input(r, "number", "complete", "录入完整条数", "", err_field_msg(e, "complete"), true, 5);
    form_input(r, "text", "note", "说明", "", NULL, false, ASSESS_NOTE_CHARS);
    html(r, "<div class=\"field\"><span>&nbsp;</span><button type=\"submit\">%s</button></div></form>", T(r, "保存抽查结果"));
  }

  /* the flow */
  html(r, "<h2>%s</h2>", T(r, "申报与审批"));
  if (form && strcmp(form, "act") == 0) form_error_summary(r, e);
  AssessQuery q = {t->unit.code, t->scheme, NULL, NULL};
  char y[16], pl[24];
  snprintf(y, sizeof y, "%d", t->year);
  snprintf(pl, sizeof pl, "%lld", (long long)t->place_id);
  q.year = y;
  if (t->place_id) q.place = pl;
  AssessStepRow *steps = NULL;
  int nsteps = 0;
  Err se;
  err_clear(&se);
  if (app_assess_steps(&r->ctx, &q, &steps, &nsteps, &se) == ERR_OK && nsteps) {
    html(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "时间"), T(r, "操作人"), T(r, "结果状态"), T(r, "当时得分"), T(r, "说明"));
    for (int i = 0; i < nsteps; i++) {
      AssessState st = AST_NONE;
      assess_state_parse(steps[i].state, &st);
      char at[DATE_TIME_SHORT_LEN];
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d / %d</td><td>%s</td></tr>", date_time_short(steps[i].at, at), steps[i].by,
           T(r, assess_state_name_zh(st)), steps[i].score, steps[i].max, steps[i].note);
    }
    html_raw(r, "</tbody></table>");
  }
  free(steps);
  html_raw(r, "<div class=\"actions no-print\">");
  const Actor *a = &r->actor;
  bool member = (a->role == ROLE_WORKER || a->role == ROLE_CADRE) && a->org_id == t->unit.id;
  bool street = a->role == ROLE_OFFICE && strcmp(a->org_level, "street") == 0 && a->org_id != t->unit.id;
  if (t->place_id) { /* a place: its street office applies too, and reviews a place registered under the street itself */
    street = a->role == ROLE_OFFICE && strcmp(a->org_level, "street") == 0 && actor_in_scope(a, t->unit.path);
    member = member || street;
  }
  bool county = a->role == ROLE_ADMIN && strcmp(a->org_level, "county") == 0;
  AssessState to;
  if (member && assess_transition(s->state, AA_APPLY, &to)) pa_act_form(r, t, "apply", "申报", false);
  if (street && assess_transition(s->state, AA_REVIEW_PASS, &to)) {
    pa_act_form(r, t, "review_pass", "审核通过，报区（县）审批", false);
    pa_act_form(r, t, "review_return", t->place_id ? "退回" : "退回社区", true);
  }
  if (county && assess_transition(s->state, AA_APPROVE, &to)) {
    pa_act_form(r, t, "approve", "批准命名", false);
    pa_act_form(r, t, "reject", "不予批准", true);
  }
  html(r, "<a class=\"button secondary\" href=\"%s\">%s</a></div>", buf_str(&back), T(r, "返回考核总表"));
  buf_reset(&url);
  buf_reset(&back);
  page_end(r);
}

/* GET /assessment/unit?org=&year=&scheme=: one community's sheet. */
void page_assessment_unit(Req *r) {
  AssessQuery q;
  assess_query_read(r, &q);
  Err e;
  AssessTable t;
  if (assess_table_get(r, &q, &t, false, &e) != ERR_OK) return;
  if (t.n != 1 || (!t.place_id && strcmp(t.unit.level, "community") != 0)) {
    /* a street or county: the table */
    Buf url = BUF_INIT;
    pa_url(&url, "/assessment", t.unit.code, t.year, t.scheme);
    app_assess_table_free(&t);
    resp_redirect(r, buf_str(&url));
    buf_reset(&url);
    return;
  }
  const char *done = req_query(r, "done");
  pa_unit_render(r, &t, NULL, NULL, done && *done ? "已保存" : NULL);
  app_assess_table_free(&t);
}

/* After a post on a unit's sheet: back to it, or the sheet again with e. */
static void pa_after(Req *r, int rc, const Err *e, const char *form, const AssessQuery *q) {
  if (rc == ERR_OK) {
    Buf url = BUF_INIT;
    buf_puts(&url, "/assessment/unit");
    page_query_param(&url, "org", q->org);
    page_query_param(&url, "year", q->year);
    page_query_param(&url, "scheme", q->scheme);
    page_query_param(&url, "place", q->place);
    page_query_param(&url, "done", "1");
    resp_redirect(r, buf_str(&url));
    buf_reset(&url);
    return;
  }
  if (!page_form_failed(r, e)) return;
  Err le;
  err_clear(&le);
  AssessTable t;
  if (app_assess_table(&r->ctx, q, &t, &le) != ERR_OK || t.n != 1) {
    if (le.code == ERR_OK) app_assess_table_free(&t);
    resp_error(r, e);
    return;
  }
  pa_unit_render(r, &t, e, form, NULL);
  app_assess_table_free(&t);
  r->status = err_http_status(e->code);
}

/* The unit of a post (org, year, scheme). */
static void pa_post_query(Req *r, AssessQuery *q) {
  q->org = req_form(r, "org");
  q->year = req_form(r, "year");
  q->scheme = req_form(r, "scheme");
  q->place = req_form(r, "place");
}

/* POST /assessment/act: org, year, scheme, action, note. */
void page_assessment_act(Req *r) {
  AssessQuery q;
  pa_post_query(r, &q);
  Err e;
  err_clear(&e);
  int rc = app_assess_act(&r->ctx, &q, req_form(r, "action"), req_form(r, "note"), NULL, &e);
  pa_after(r, rc, &e, "act", &q);
}

/* POST /assessment/sign: org, year, scheme, item, met, note. */
void page_assessment_sign(Req *r) {
  AssessQuery q;
  pa_post_query(r, &q);
  Err e;
  err_clear(&e);
  int rc = app_assess_sign(&r->ctx, &q, req_form(r, "item"), req_form(r, "met"), req_form(r, "note"), NULL, &e);
  pa_after(r, rc, &e, "sign", &q);
}

/* A form's whole number (-1 when absent or not one: the check refuses it). */
static int pa_int(Req *r, const char *key) {
  const char *v = req_form(r, key);
  if (!v || !*v) return -1;
  char *end;
  long x = strtol(v, &end, 10);
  return *end || x < 0 || x > 1000000 ? -1 : (int)x;
}

/* POST /assessment/sample: org, year, scheme, date, households, records, accurate, complete, note. */
void page_assessment_sample(Req *r) {
  AssessQuery q;
  pa_post_query(r, &q);
  Err e;
  err_clear(&e);
  AssessSample s = {pa_int(r, "households"), pa_int(r, "records"), pa_int(r, "accurate"), pa_int(r, "complete")};
  int rc = app_assess_sample(&r->ctx, &q, req_form(r, "date"), &s, req_form(r, "note"), &e);
  pa_after(r, rc, &e, "sample", &q);
}

/* GET /assessment/marks/{id}: the sheet holding sign-off id (where its
 * evidence uploads return), keeping the upload's notice. */
void page_assessment_mark(Req *r) {
  Err e;
  err_clear(&e);
  char code[64], scheme[16];
  int year = 0;
  int64_t place_id = 0;
  if (app_assess_mark_unit(&r->ctx, r->ids[0], code, &place_id, scheme, &year, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  Buf url = BUF_INIT;
  pa_url(&url, "/assessment/unit", code, year, scheme);
  if (place_id) buf_printf(&url, "&place=%lld", (long long)place_id);
  page_query_param(&url, "att", req_query(r, "att"));
  buf_printf(&url, "#att-%lld", (long long)r->ids[0]);
  resp_redirect(r, buf_str(&url));
  buf_reset(&url);
}
