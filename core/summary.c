/* core/summary.c: owns the draft of a work summary (see core/summary.h):
 * the section table and its builders, the numbering of headings, the way a
 * rate is written. */
#include "core/summary.h"
#include <stdio.h>
#include <string.h>
#include "core/stats.h"

void summary_numeral(int n, char out[16]) {
  static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) {
    snprintf(out, 16, "%d", n);
    return;
  }
  int t = n / 10, u = n % 10;
  snprintf(out, 16, "%s%s%s", t > 1 ? d[t] : "", t ? "十" : "", d[u]);
}

bool summary_rate(SummaryRate r, Buf *out) {
  int64_t t;
  if (!stats_rate_tenths(r.num, r.den, &t)) return false;
  buf_printf(out, "%lld.%lld%%（%lld/%lld）", (long long)(t / 10), (long long)(t % 10), (long long)r.num,
             (long long)r.den);
  return true;
}

/* Appends "，NAME RATE" when r has a denominator (first: no comma). */
static void sum_rate_clause(Buf *out, const char *name, SummaryRate r, bool *first) {
  if (!r.den) return;
  buf_printf(out, "%s%s", *first ? "" : "，", name);
  summary_rate(r, out);
  *first = false;
}

/* The statuses in the words of the offices' reports, in their order. */
static const struct {
  Status st;
  const char *word;
} sum_status_words[] = {
  {ST_IMPRISONED, "服刑"},          {ST_COMPULSORY_ISOLATION, "强制隔离戒毒"}, {ST_COMMUNITY_DETOX, "社区戒毒"},
  {ST_COMMUNITY_REHAB, "社区康复"}, {ST_SOCIAL_SUPERVISION, "社会帮教"},      {ST_DETAINED, "拘留"},
  {ST_ABSTINENT_3Y, "戒断三年未复吸"}, {ST_NONE, "尚未登记管控状态"},
};

static bool sum_basics(const SummaryFacts *f, Buf *out) {
  buf_printf(out, "截至%d年%d月%d日，%s", f->as_of_y, f->as_of_m, f->as_of_d, f->unit_name);
  if (f->children > 0 && f->child_term && *f->child_term) buf_printf(out, "下辖%d个%s", f->children, f->child_term);
  bool any = false;
  static const char *const pop_zh[] = {"户籍人口", "常住人口", "流动人口"};
  int64_t pop[3] = {f->pop_registered, f->pop_resident, f->pop_floating};
  for (int i = 0; i < 3; i++) {
    if (pop[i] < 0) continue;
    buf_printf(out, "%s%s%lld人", any ? "、" : (f->children > 0 ? "，" : ""), pop_zh[i], (long long)pop[i]);
    any = true;
  }
  buf_printf(out, "%s登记在册吸毒人员%lld人", f->children > 0 || any ? "。" : "", (long long)f->registered);
  bool first = true;
  for (size_t i = 0; i < sizeof sum_status_words / sizeof sum_status_words[0]; i++) {
    int64_t n = f->by_status[sum_status_words[i].st];
    if (!n) continue;
    buf_printf(out, "%s%s%lld人", first ? "，其中" : "，", sum_status_words[i].word, (long long)n);
    first = false;
  }
  buf_printf(out, "；现有吸毒人员（不含戒断三年未复吸）%lld人。", (long long)f->current);
  buf_printf(out, "本期新发现吸毒人员%lld人，复吸%lld人。", (long long)f->new_found, (long long)f->relapsed);
  if (f->workers_approved >= 0 || f->workers_filled >= 0) {
    if (f->workers_approved >= 0) buf_printf(out, "核定禁毒社工岗位%lld个，", (long long)f->workers_approved);
    if (f->workers_filled >= 0) buf_printf(out, "实有禁毒社工%lld人", (long long)f->workers_filled);
    if (f->workers_filled > 0 && f->supervised >= f->workers_filled)
      buf_printf(out, "，人均帮教%lld人", (long long)((f->supervised + f->workers_filled / 2) / f->workers_filled));
    buf_puts(out, "。");
  }
  buf_putc(out, '\n');
  return true;
}

static bool sum_supervision(const SummaryFacts *f, Buf *out) {
  buf_printf(out, "对社区戒毒、社区康复和社会帮教人员%lld人全面落实管控帮教措施", (long long)f->supervised);
  bool first = false;
  sum_rate_clause(out, "管控率", f->control, &first);
  sum_rate_clause(out, "帮教率", f->help, &first);
  sum_rate_clause(out, "尿检率", f->test, &first);
  sum_rate_clause(out, "复吸率", f->relapse, &first);
  buf_printf(out, "；失控%lld人。", (long long)f->lost_contact);
  first = true;
  Buf more = BUF_INIT;
  sum_rate_clause(&more, "社区戒毒（康复）人员按期报到率", f->report, &first);
  sum_rate_clause(&more, "出所必接率", f->pickup, &first);
  sum_rate_clause(&more, "档案完整率", f->complete, &first);
  sum_rate_clause(&more, "强制隔离戒毒收戒率", f->isolation, &first);
  if (!first) buf_printf(out, "%s。", buf_str(&more));
  buf_reset(&more);
  buf_putc(out, '\n');
  return true;
}

/* The activities: their count, participants and printed materials, the
 * six entries (六进) they reached, then the named ones (oldest first) with
 * their kind, settings, participants and materials; none recorded: a line
 * to complete by hand. */
static bool sum_prevention(const SummaryFacts *f, Buf *out) {
  int64_t total = f->activities_total > 0 ? f->activities_total : f->nactivities;
  if (total == 0) {
    buf_puts(out, "（本期宣传教育活动台账尚无记录，请补充开展的活动、场次和参与人数。）\n");
    return true;
  }
  buf_printf(out, "本期共开展禁毒宣传教育活动%lld场次，参与群众%lld人次", (long long)total,
             (long long)f->activity_participants);
  if (f->activity_materials > 0) buf_printf(out, "，发放、张贴宣传品%lld份（件）", (long long)f->activity_materials);
  bool first = true;
  for (int i = 0; i < ACTIVITY_SETTINGS; i++) {
    if (f->activity_settings[i] <= 0) continue;
    buf_printf(out, "%s%s%lld场次", first ? "，其中" : "、", activity_setting_vocab[i].label_zh,
               (long long)f->activity_settings[i]);
    first = false;
  }
  for (int i = 0; i < f->nactivities; i++) {
    const SummaryActivity *a = &f->activities[i];
    int y, m, d;
    if (sscanf(a->date, "%d-%d-%d", &y, &m, &d) != 3) m = d = 0;
    buf_printf(out, "%s%d月%d日%s", i ? "；" : "，主要有：", m, d, a->title);
    Buf par = BUF_INIT;
    if (a->kind_zh[0]) buf_printf(&par, "%s", a->kind_zh);
    if (a->settings_zh[0]) buf_printf(&par, "%s%s", par.len ? "，" : "", a->settings_zh);
    if (a->participants > 0) buf_printf(&par, "%s%lld人参加", par.len ? "，" : "", (long long)a->participants);
    if (a->materials > 0) buf_printf(&par, "%s宣传品%lld份", par.len ? "，" : "", (long long)a->materials);
    if (par.len) buf_printf(out, "（%s）", buf_str(&par));
    buf_reset(&par);
  }
  buf_puts(out, total > f->nactivities && f->nactivities > 0 ? "等。\n" : "。\n");
  return true;
}

static bool sum_eradication(const SummaryFacts *f, Buf *out) {
  if (f->patrols <= 0) return false;
  buf_printf(out, "组织禁种铲毒踏查%lld次", (long long)f->patrols);
  if (f->area_mu > 0) buf_printf(out, "，踏查面积%lld亩", (long long)f->area_mu);
  if (f->plants_found > 0)
    buf_printf(out, "，发现非法种植毒品原植物%lld株，铲除%lld株。\n", (long long)f->plants_found,
               (long long)f->plants_destroyed);
  else buf_puts(out, "，未发现非法种植毒品原植物。\n");
  return true;
}

static bool sum_intel(const SummaryFacts *f, Buf *out) {
  if (f->intel_exchanges <= 0 && f->screenings <= 0 && f->info_submissions <= 0) return false;
  const char *sep = "";
  if (f->intel_exchanges > 0) buf_printf(out, "与公安机关开展情报交流%lld次", (long long)f->intel_exchanges), sep = "，";
  if (f->screenings > 0) buf_printf(out, "%s开展毒情排查%lld次", sep, (long long)f->screenings), sep = "，";
  if (f->info_submissions > 0) buf_printf(out, "%s报送禁毒信息%lld条", sep, (long long)f->info_submissions);
  buf_puts(out, "。\n");
  return true;
}

/* A rate below 100%: true (with den). */
static bool sum_below_full(SummaryRate r) { return r.den > 0 && r.num < r.den; }

static bool sum_problems(const SummaryFacts *f, Buf *out) {
  int n = 0;
  char num[16];
#define ITEM() (summary_numeral(++n, num), buf_printf(out, "%s是", num))
  if (f->lost_contact > 0) {
    ITEM();
    buf_printf(out, "仍有%lld名吸毒人员失控，查找和管控工作有待加强。\n", (long long)f->lost_contact);
  }
  if (sum_below_full(f->test)) {
    ITEM();
    buf_puts(out, "尿检率为");
    summary_rate(f->test, out);
    buf_printf(out, "，有%lld人未按期检测。\n", (long long)(f->test.den - f->test.num));
  }
  if (sum_below_full(f->complete)) {
    ITEM();
    buf_puts(out, "档案完整率为");
    summary_rate(f->complete, out);
    buf_puts(out, "，部分档案的帮教小组、协议或谈话记录不够完整。\n");
  }
  if (f->relapsed > 0) {
    ITEM();
    buf_printf(out, "本期复吸%lld人，巩固戒毒成果的任务仍然艰巨。\n", (long long)f->relapsed);
  }
  if (f->workers_approved > 0 && f->workers_filled >= 0 && f->workers_filled < f->workers_approved) {
    ITEM();
    buf_printf(out, "禁毒社工核定岗位%lld个，实有%lld人，尚缺%lld人，工作力量不足。\n", (long long)f->workers_approved,
               (long long)f->workers_filled, (long long)(f->workers_approved - f->workers_filled));
  }
#undef ITEM
  if (n == 0) buf_puts(out, "（请结合实际补充。）\n");
  return true;
}

static bool sum_plans(const SummaryFacts *f, Buf *out) {
  buf_puts(out, "一是继续落实禁毒工作责任制，把禁毒工作列入重要议事日程。\n");
  buf_puts(out, "二是深入开展禁毒宣传教育“六进”活动，抓好6·26国际禁毒日等集中宣传。\n");
  if (f->lost_contact > 0 || sum_below_full(f->test) || sum_below_full(f->control))
    buf_puts(out, "三是加强吸毒人员动态管控，查找失控人员，落实按期谈话和尿检，提高管控率和尿检率。\n");
  else buf_puts(out, "三是巩固吸毒人员动态管控成果，落实按期谈话和尿检。\n");
  buf_puts(out, "四是深化无毒社区创建，做好禁种铲毒和毒情排查工作。\n");
  return true;
}

const SummarySection summary_sections[] = {
  {"basics", 1, "基本情况", sum_basics},
  {"work", 1, "主要做法和成效", NULL},
  {"supervision", 2, "落实管控帮教", sum_supervision},
  {"prevention", 2, "开展禁毒宣传教育", sum_prevention},
  {"eradication", 2, "开展禁种铲毒", sum_eradication},
  {"intelligence", 2, "情报交流与毒情排查", sum_intel},
  {"problems", 1, "存在的问题", sum_problems},
  {"plans", 1, "下步工作打算", sum_plans},
};

int summary_section_count(void) { return (int)(sizeof summary_sections / sizeof summary_sections[0]); }

void summary_title(const SummaryFacts *f, Buf *out) {
  buf_printf(out, "%s%s禁毒工作总结", f->unit_name, f->period_zh);
}

void summary_text(const SummaryFacts *f, Buf *out) {
  int top = 0, sub = 0;
  char num[16];
  for (int i = 0; i < summary_section_count(); i++) {
    const SummarySection *s = &summary_sections[i];
    Buf body = BUF_INIT;
    if (s->build && !s->build(f, &body)) {
      buf_reset(&body);
      continue;
    }
    if (s->level == 1) {
      summary_numeral(++top, num);
      sub = 0;
      buf_printf(out, "%s、%s\n", num, s->heading_zh);
    } else {
      summary_numeral(++sub, num);
      buf_printf(out, "（%s）%s\n", num, s->heading_zh);
    }
    buf_puts(out, buf_str(&body));
    buf_reset(&body);
  }
}
