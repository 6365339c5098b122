/* web/page_prevention.c: the pages of the prevention ledgers (issue 10
 * points 2, 3, 9, 10): the office's lists of activities (宣传教育活动) and
 * awareness surveys (知晓率) with their filters (unit, period or dates, kind,
 * 六进 setting, campaign; group, method), totals of the filter, paging, a
 * print view and the .xlsx download; the phone-first forms that record one
 * (an activity with a photo in the same post) and correct one (a new
 * version with its reason); a record's page with its photos and versions;
 * the targets of the survey groups on a unit; and /prevention, the office's
 * month at a glance per child unit (activities, surveys, unit tasks due).
 * Parses, calls app/prevention.h (and app/unit_task.h), renders. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/place.h"
#include "app/prevention.h"
#include "app/unit_task.h"
#include "core/stats.h"
#include "web/api_unit.h"
#include "web/attachment.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"

#define PV_PER_PAGE 30

/* ---- small helpers -------------------------------------------------------------- */

/* The values a set of checkboxes key posted, comma-joined into b (a
 * failed POST), else def. */
static const char *pv_multi(Req *r, const char *key, const char *def, Buf *b) {
  if (strcmp(r->method, "POST") != 0) {
    const char *q = req_query(r, key);
    return q ? q : def;
  }
  return unit_posted(r, key, b);
}

/* The integer n as text into buf ("" for 0 when blank_zero). */
static const char *pv_int(char *buf, size_t size, int64_t n, bool blank_zero) {
  if (blank_zero && n == 0) buf[0] = 0;
  else snprintf(buf, size, "%" PRId64, n);
  return buf;
}

/* A rate aware ÷ respondents as "90.6%", "—" when none. */
static void pv_rate(Req *r, int64_t aware, int64_t respondents) {
  char t[STATS_RATE_TEXT_LEN];
  stats_rate_text(aware, respondents, t);
  html(r, "%s", t);
}

/* The "saved" notice of a list after a write. */
static void pv_saved(Req *r) {
  if (strcmp(page_s(req_query(r, "saved")), "1") == 0) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
}

/* ---- activities: the list ------------------------------------------------------- */

static const ListPage pa_list = {
  "/activities", "宣传教育活动", LIST_PERIOD | LIST_DATES,
  (const ListFilter[]){{"kind", "活动形式", LIST_SELECT, .vocab = activity_kind_vocab},
                       {"setting", "六进", LIST_SELECT, .vocab = activity_setting_vocab},
                       {"campaign", "专项宣传", LIST_SELECT, .vocab = activity_campaign_vocab},
                       {0}},
  .new_zh = "登记宣传活动", .link_href = "/prevention", .link_zh = "禁毒宣传"};

/* GET /activities?org=&period=&from=&to=&kind=&setting=&campaign=&page=
 * [&print=1][&format=xlsx]: the activities of the scope, newest first,
 * with the totals of the filter. */
void page_activity_list(Req *r) {
  ActivityQuery q = {page_s(req_query(r, "org")),     page_s(req_query(r, "period")),  page_s(req_query(r, "from")),
                     page_s(req_query(r, "to")),      page_s(req_query(r, "kind")),    page_s(req_query(r, "setting")),
                     page_s(req_query(r, "campaign")), (int)req_query_int(r, "page", 1, 1, 1000000), PV_PER_PAGE, NULL};
  ActivityRow *rows;
  int n;
  int64_t total;
  ActivityTotals tot;
  Err e;
  if (!au_page_rows(r, &ap_activity, &q, &rows, &n, &total, &tot, &e)) return;
  page_list_begin(r, &pa_list, actor_can(&r->actor, PERM_PERSON_WRITE), q.page, total, &e);
  page_list_totals(r);
  page_list_total(r, "活动次数", tot.activities);
  page_list_total(r, "参加人数", tot.participants);
  page_list_total(r, "咨询人次", tot.consultations);
  page_list_total(r, "宣传品合计", prevention_materials_printed(tot.materials));
  for (int m = 0; m < ACTIVITY_MATERIALS; m++)
    if (tot.materials[m]) page_list_total(r, activity_material_vocab[m].label_zh, tot.materials[m]);
  page_list_totals_end(r);
  static const char *const cols[] = {"日期", "单位", "活动主题", "活动形式", "六进", "专项宣传", "参加人数", "宣传品合计",
                                     "照片", "登记人", NULL};
  if (page_list_table(r, n, cols, 7u << 6)) {
    for (int i = 0; i < n; i++) {
      const ActivityRow *a = &rows[i];
      const char *kind = unit_term_label(activity_kind_vocab, a->kind);
      html(r, "<tr><td>%s</td><td>%s</td><td><a href=\"/activities/%" PRId64 "\">%s</a></td><td>%s</td><td>", a->date,
           a->org_name, a->id, a->title, kind ? T(r, kind) : a->kind);
      unit_names(r, activity_setting_vocab, a->settings, "—");
      html_raw(r, "</td><td>");
      unit_names(r, activity_campaign_vocab, a->campaign, "—");
      html(r, "</td><td class=\"num\">%" PRId64 "</td><td class=\"num\">%" PRId64 "</td><td class=\"num\">%d</td>"
              "<td>%s</td></tr>",
           a->participants, prevention_materials_printed(a->materials), a->photos, a->created_by);
    }
    page_list_table_end(r);
  }
  page_list_pager(r, &pa_list, q.page, PV_PER_PAGE, tot.activities);
  page_end(r);
  store_activity_rows_free(rows, n);
}

/* ---- activities: the forms ------------------------------------------------------ */


/* The picker of partner places: the active places within the actor's
 * scope (a multiple select that app.js gives a search box, as the unit
 * picker), those of a (or of the failed post) chosen. */
static void pa_places_pick(Req *r, const ActivityRow *a, const Err *e) {
  PlaceQuery q = {NULL, NULL, NULL, "1", 1, UNIT_LIST_MAX, NULL};
  PlaceRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  Err le;
  err_clear(&le);
  if (app_place_list(&r->ctx, &q, &rows, &n, &total, &le) != ERR_OK) n = 0;
  const char *vals[ACTIVITY_PLACES_MAX + 1];
  bool posted = strcmp(r->method, "POST") == 0;
  int nv = posted ? req_form_all(r, "places", vals, ACTIVITY_PLACES_MAX + 1) : 0;
  const char *err = unit_ferr(e, "places");
  html(r, "<div class=\"field wide%s\"><label for=\"f-places\">%s</label>"
          "<select id=\"f-places\" name=\"places\" multiple size=\"%d\">",
       err ? " has-error" : "", T(r, "合作场所（已登记）"), n < 2 ? 2 : n > 6 ? 6 : n);
  for (int i = 0; i < n; i++) {
    bool on = false;
    for (int k = 0; a && k < a->nplaces; k++) on = on || a->places[k].id == rows[i].id;
    if (posted) {
      on = false;
      for (int k = 0; k < nv; k++) on = on || strtoll(vals[k], NULL, 10) == rows[i].id;
    }
    html(r, "<option value=\"%" PRId64 "\"%s>%s（%s）</option>", rows[i].id, on ? " selected" : "", rows[i].name,
         rows[i].org_name);
  }
  html(r, "</select><span class=\"muted\">%s</span>", T(r, "未登记的单位或场所请填在下面"));
  if (err) html(r, "<span class=\"field-error\" id=\"e-places\">%s</span>", T(r, err));
  html_raw(r, "</div>");
  store_place_rows_free(rows, n);
}

/* The activity form: new (a == NULL: with the photo) or the correction of
 * a (its values as defaults, and the reason). e: the errors. */
static void pa_form(Req *r, const void *row, const Err *e) {
  const ActivityRow *a = row;
  char action[64], num[32];
  if (a) snprintf(action, sizeof action, "/activities/%" PRId64 "/edit", a->id);
  unit_form_open_as(r, a ? "更正宣传活动" : "登记宣传活动", a ? action : "/activities/new", !a, e);
  unit_org_date(r, &activity_record, a ? a->org_code : NULL, a ? a->date : NULL, e);
  unit_control(r, &activity_record, "title", a ? a->title : "", e);
  Buf sel = BUF_INIT;
  unit_choices(r, bind_field(&activity_record, "kind"), activity_kind_vocab,
               unit_val(r, "kind", a ? a->kind : "lecture"), false, e);
  unit_choices(r, bind_field(&activity_record, "settings"), activity_setting_vocab,
               pv_multi(r, "settings", a ? a->settings : "", &sel), true, e);
  unit_choices(r, bind_field(&activity_record, "audience"), activity_audience_vocab,
               pv_multi(r, "audience", a ? a->audience : "", &sel), true, e);
  html_raw(r, "<div class=\"grid\">");
  unit_control(r, &activity_record, "participants", a ? pv_int(num, sizeof num, a->participants, true) : "", e);
  unit_control(r, &activity_record, "consultations", a ? pv_int(num, sizeof num, a->consultations, true) : "", e);
  /* the three most materials are at hand; the rest folded */
  static const char *const keys[ACTIVITY_MATERIALS] = {"leaflets", "banners", "slogans", "boards", "exhibits",
                                                       "posters", "notices", "broadcasts", "broadcast_minutes",
                                                       "messages"};
  static const int first[] = {MAT_LEAFLETS, MAT_BANNERS, MAT_BOARDS};
  for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
    unit_control(r, &activity_record, keys[first[i]], a ? pv_int(num, sizeof num, a->materials[first[i]], true) : "", e);
  html(r, "</div><details class=\"field wide\"><summary>%s</summary><div class=\"grid\">", T(r, "更多宣传品"));
  for (int m = 0; m < ACTIVITY_MATERIALS; m++) {
    if (m == MAT_LEAFLETS || m == MAT_BANNERS || m == MAT_BOARDS) continue;
    unit_control(r, &activity_record, keys[m], a ? pv_int(num, sizeof num, a->materials[m], true) : "", e);
  }
  html_raw(r, "</div></details>");
  const char *camps[16];
  form_select(r, "campaign", "专项宣传", unit_options(activity_campaign_vocab, "无", camps, 16), unit_val(r, "campaign", a ? a->campaign : ""), unit_ferr(e, "campaign"));
  pa_places_pick(r, a, e);
  unit_control(r, &activity_record, "partners", a ? a->partners : "", e);
  if (!a) {
    const char *perr = unit_ferr(e, "photo");
    html(r, "<div class=\"field wide%s\"><label for=\"f-photo\">%s</label><input type=\"file\" id=\"f-photo\" name=\"file\" "
            "accept=\"image/jpeg,image/png,application/pdf\" capture=\"environment\"><span class=\"muted\">%s</span>",
         perr ? " has-error" : "", T(r, "现场照片"), T(r, "JPEG、PNG 或 PDF，不超过 10 MB"));
    if (perr) html(r, "<span class=\"field-error\" id=\"e-photo\">%s</span>", T(r, perr));
    html_raw(r, "</div>");
  }
  unit_control(r, &activity_record, "notes", a ? a->notes : "", e);
  if (a) unit_control(r, &activity_record, "reason", "", e);
  buf_reset(&sel);
  unit_form_close(r, a ? action : "/activities");
}

/* GET /activities/new */
void page_activity_new(Req *r) { pa_form(r, NULL, NULL); }

/* The partner places of the form's post (repeated "places"; ids, room for
 * ACTIVITY_PLACES_MAX + 1) into in; a value not a number is field
 * "places"'s error. */
static void pa_places_read(Req *r, int64_t *ids, ActivityInput *in, Err *e) {
  const char *vals[ACTIVITY_PLACES_MAX + 1];
  int nv = req_form_all(r, "places", vals, ACTIVITY_PLACES_MAX + 1);
  in->place_ids = ids;
  in->nplaces = 0;
  for (int i = 0; i < nv; i++) {
    char *end;
    long long v = strtoll(vals[i], &end, 10);
    if (!*vals[i] || *end || v <= 0) {
      err_field(e, "places", "合作场所不存在、已停用或不在管辖范围内");
      return;
    }
    ids[in->nplaces++] = v;
  }
}

static void pa_form_new(Req *r, const Err *e) { pa_form(r, NULL, e); }

/* POST /activities/new (multipart: the fields and the photo in field
 * "file"): records the activity with its photo; to its page. */
static int pa_add(Req *r, void *in, int64_t *id, Err *e) {
  int64_t ids[ACTIVITY_PLACES_MAX + 1];
  pa_places_read(r, ids, in, e);
  PreventionFile photo = {r->has_upload ? r->upload_name : "", r->upload.data, r->upload.len};
  return app_activity_add(&r->ctx, in, &photo, id, e);
}
static const RecordForm pa_new_rf = {&activity_record, sizeof(ActivityInput), pa_add, pa_form_new, .base = "/activities"};

void page_activity_create(Req *r) { unit_form_post(r, &pa_new_rf); }

/* ---- activities: one record ----------------------------------------------------- */

/* GET /activities/{id}: the record, its photos (thumbnails, upload) and
 * its versions. */
void page_activity_show(Req *r) {
  ActivityRow a;
  ActivityRow *hist;
  int nh;
  if (!au_page_record(r, &ap_activity, &a, &hist, &nh)) return;
  bool write = actor_can(&r->actor, PERM_PERSON_WRITE);
  const char *kind = unit_term_label(activity_kind_vocab, a.kind);
  page_begin(r, a.title, false);
  html(r, "<h1>%s</h1>", a.title);
  pv_saved(r);
  page_attachment_notice(r);
  html_raw(r, "<div class=\"actions\">");
  if (write) html(r, "<a class=\"button\" href=\"/activities/%" PRId64 "/edit\">%s</a>", a.id, T(r, "更正"));
  html(r, "<a class=\"button secondary\" href=\"/activities\">%s</a></div>", T(r, "返回列表"));
  html(r, "<section class=\"card\"><dl class=\"kv\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
          "<dt>%s</dt><dd>",
       T(r, "日期"), a.date, T(r, "单位"), a.org_name, T(r, "活动形式"), kind ? T(r, kind) : a.kind, T(r, "六进"));
  unit_names(r, activity_setting_vocab, a.settings, "—");
  html(r, "</dd><dt>%s</dt><dd>", T(r, "受众"));
  unit_names(r, activity_audience_vocab, a.audience, "—");
  html(r, "</dd><dt>%s</dt><dd>", T(r, "专项宣传"));
  unit_names(r, activity_campaign_vocab, a.campaign, "—");
  html(r, "</dd><dt>%s</dt><dd id=\"activity-places\">", T(r, "合作场所"));
  for (int i = 0; i < a.nplaces; i++)
    html(r, "%s<a href=\"/places/%" PRId64 "\">%s</a>", i ? "、" : "", a.places[i].id, a.places[i].name);
  if (a.nplaces == 0) html_raw(r, "—");
  html(r, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%" PRId64 "</dd><dt>%s</dt><dd>%" PRId64 "</dd>",
       T(r, "合作单位/场所"), page_dash(a.partners), T(r, "参加人数"), a.participants, T(r, "咨询人次"), a.consultations);
  for (int m = 0; m < ACTIVITY_MATERIALS; m++)
    if (a.materials[m]) html(r, "<dt>%s</dt><dd>%" PRId64 "</dd>", T(r, activity_material_vocab[m].label_zh), a.materials[m]);
  html(r, "<dt>%s</dt><dd>%" PRId64 "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s · %s</dd></dl></section>",
       T(r, "宣传品合计"), prevention_materials_printed(a.materials), T(r, "情况说明"), page_dash(a.notes),
       T(r, "登记人"), a.created_by, a.created_at);
  char action[64], back[48];
  snprintf(action, sizeof action, "/activities/%" PRId64 "/attachments", a.id);
  snprintf(back, sizeof back, "/activities/%" PRId64, a.id);
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "照片和扫描件"));
  page_attachment_section(r, "activity", a.id, action, back, write);
  html_raw(r, "</section>");
  if (nh > 1) {
    html(r, "<section class=\"card\"><h2>%s</h2><table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th><th class=\"num\">%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "更正记录"), T(r, "版本"), T(r, "登记时间"), T(r, "登记人"), T(r, "更正原因"), T(r, "日期"),
         T(r, "参加人数"), T(r, "活动主题"));
    for (int i = 0; i < nh; i++)
      html(r, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%" PRId64 "</td>"
              "<td>%s</td></tr>",
           hist[i].version, hist[i].created_at, hist[i].created_by, page_dash(hist[i].reason), hist[i].date,
           hist[i].participants, hist[i].title);
    html_raw(r, "</tbody></table></section>");
  }
  page_end(r);
  au_page_record_free(&ap_activity, &a, hist, nh);
}

/* The correction form of activity r->ids[0] with e (a failed post). */
static void pa_form_edit(Req *r, const Err *e) { au_page_form(r, &ap_activity, pa_form, e); }

/* GET /activities/{id}/edit (the route requires PERM_PERSON_WRITE) */
void page_activity_edit(Req *r) { pa_form_edit(r, NULL); }

/* POST /activities/{id}/edit: a new version; back to the record. */
static int pa_correct(Req *r, void *in, int64_t *id, Err *e) {
  int64_t ids[ACTIVITY_PLACES_MAX + 1];
  pa_places_read(r, ids, in, e);
  *id = r->ids[0];
  return app_activity_correct(&r->ctx, r->ids[0], in, e);
}
static const RecordForm pa_edit_rf = {&activity_record, sizeof(ActivityInput), pa_correct, pa_form_edit, .base = "/activities"};

void page_activity_update(Req *r) { unit_form_post(r, &pa_edit_rf); }

/* ---- surveys -------------------------------------------------------------------- */

/* The targets in force on the list's unit per group, with the form that
 * sets one (admin and office). */
static void ps_targets(Req *r, const char *org) {
  OrgUnit u;
  AwarenessTargetView v[SURVEY_GROUPS];
  Err e;
  err_clear(&e);
  if (app_awareness_targets(&r->ctx, org, &u, v, &e) != ERR_OK) return;
  bool may = r->actor.role == ROLE_ADMIN || r->actor.role == ROLE_OFFICE;
  html(r, "<section class=\"card no-print\"><h2>%s · %s</h2><table class=\"records\"><thead><tr><th>%s</th>"
          "<th class=\"num\">%s</th><th>%s</th>%s</tr></thead><tbody>",
       T(r, "知晓率目标"), u.name[0] ? u.name : T(r, "全部"), T(r, "调查对象"), T(r, "目标"), T(r, "来源"),
       may ? "<th></th>" : "");
  for (int g = 0; g < SURVEY_GROUPS; g++) {
    html(r, "<tr><td>%s</td><td class=\"num\">%d%%</td><td>%s</td>", T(r, survey_group_vocab[g].label_zh),
         v[g].target, v[g].is_default ? T(r, "默认") : v[g].set_on_name);
    if (may) {
      html_raw(r, "<td>");
      if (v[g].own) {
        html_raw(r, "<form method=\"post\" action=\"/surveys/targets/clear\" class=\"inline\">");
        form_csrf(r);
        html(r, "<input type=\"hidden\" name=\"org\" value=\"%s\"><input type=\"hidden\" name=\"group\" value=\"%s\">"
                "<button type=\"submit\" class=\"link\">%s</button></form>",
             u.code, v[g].group, T(r, "恢复继承"));
      }
      html_raw(r, "</td>");
    }
    html_raw(r, "</tr>");
  }
  html_raw(r, "</tbody></table>");
  if (may && u.id) {
    html_raw(r, "<form method=\"post\" action=\"/surveys/targets\" class=\"filters\">");
    form_csrf(r);
    html(r, "<input type=\"hidden\" name=\"org\" value=\"%s\">", u.code);
    const char *opts[2 * (SURVEY_GROUPS + 1) + 1];
    unit_options(survey_group_vocab, "全部", opts, 2 * (SURVEY_GROUPS + 1) + 1);
    r->field_prefix = "target"; /* the list's filters above have a group field too */
    form_select(r, "group", "调查对象", opts + 2, "", NULL);
    form_input(r, "number", "target", "目标（%）", "", NULL, true, 3);
    r->field_prefix = NULL;
    html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "设置目标"));
  }
  html_raw(r, "</section>");
}

static const ListPage ps_list = {
  "/surveys", "知晓率调查", LIST_PERIOD | LIST_DATES,
  (const ListFilter[]){{"group", "调查对象", LIST_SELECT, .vocab = survey_group_vocab},
                       {"method", "调查方式", LIST_SELECT, .vocab = survey_method_vocab},
                       {0}},
  .new_zh = "登记知晓率调查", .link_href = "/prevention", .link_zh = "禁毒宣传"};

/* GET /surveys?org=&period=&from=&to=&group=&method=&page=[&print=1]
 * [&format=xlsx]: the surveys with their rates against targets. */
void page_survey_list(Req *r) {
  SurveyQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "period")), page_s(req_query(r, "from")),
                   page_s(req_query(r, "to")), page_s(req_query(r, "group")), page_s(req_query(r, "method")),
                   (int)req_query_int(r, "page", 1, 1, 1000000), PV_PER_PAGE, NULL};
  SurveyRow *rows;
  int n;
  int64_t total;
  SurveyTotals tot;
  Err e;
  if (!au_page_rows(r, &ap_survey, &q, &rows, &n, &total, &tot, &e)) return;
  page_list_begin(r, &ps_list, actor_can(&r->actor, PERM_PERSON_WRITE), q.page, total, &e);
  page_list_totals(r);
  page_list_total(r, "调查次数", tot.surveys);
  page_list_total(r, "调查人数", tot.respondents);
  page_list_total(r, "知晓人数", tot.aware);
  html(r, "<dt>%s</dt><dd>", T(r, "知晓率"));
  pv_rate(r, tot.aware, tot.respondents);
  html(r, "</dd><dt>%s</dt><dd>%" PRId64 " / %" PRId64 "</dd></dl></section>", T(r, "达标次数"), tot.met, tot.surveys);
  static const char *const cols[] = {"日期", "单位", "调查对象", "调查方式", "调查人数", "知晓人数", "知晓率", "目标", "达标",
                                     NULL};
  if (page_list_table(r, n, cols, 15u << 4)) {
    for (int i = 0; i < n; i++) {
      const SurveyRow *s = &rows[i];
      const char *g = unit_term_label(survey_group_vocab, s->group), *m = unit_term_label(survey_method_vocab, s->method);
      bool met = awareness_met(s->aware, s->respondents, s->target);
      html(r, "<tr><td><a href=\"/surveys/%" PRId64 "\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>"
              "<td class=\"num\">%" PRId64 "</td><td class=\"num\">%" PRId64 "</td><td class=\"num\">",
           s->id, s->date, s->org_name, g ? T(r, g) : s->group, m ? T(r, m) : s->method, s->respondents, s->aware);
      pv_rate(r, s->aware, s->respondents);
      html(r, "</td><td class=\"num\">%d%%</td><td class=\"%s\">%s</td></tr>", s->target, met ? "ok" : "overdue",
           T(r, met ? "达标" : "未达标"));
    }
    page_list_table_end(r);
  }
  if (page_list_pager(r, &ps_list, q.page, PV_PER_PAGE, tot.surveys)) ps_targets(r, q.org);
  page_end(r);
  store_survey_rows_free(rows, n);
}

/* The survey form: new (s NULL) or the correction of s. */
static void ps_form(Req *r, const void *row, const Err *e) {
  const SurveyRow *s = row;
  char action[64], num[32];
  if (s) snprintf(action, sizeof action, "/surveys/%" PRId64 "/edit", s->id);
  unit_form_open(r, s ? "更正知晓率调查" : "登记知晓率调查", s ? action : "/surveys/new", e);
  unit_org_date(r, &survey_record, s ? s->org_code : NULL, s ? s->date : NULL, e);
  unit_choices(r, bind_field(&survey_record, "group"), survey_group_vocab, unit_val(r, "group", s ? s->group : ""),
               false, e);
  unit_choices(r, bind_field(&survey_record, "method"), survey_method_vocab,
               unit_val(r, "method", s ? s->method : "questionnaire"), false, e);
  html_raw(r, "<div class=\"grid\">");
  unit_control(r, &survey_record, "respondents", s ? pv_int(num, sizeof num, s->respondents, false) : "", e);
  unit_control(r, &survey_record, "aware", s ? pv_int(num, sizeof num, s->aware, false) : "", e);
  html_raw(r, "</div>");
  unit_control(r, &survey_record, "title", s ? s->title : "", e);
  unit_control(r, &survey_record, "notes", s ? s->notes : "", e);
  if (s) unit_control(r, &survey_record, "reason", "", e);
  unit_form_close(r, s ? action : "/surveys");
}

void page_survey_new(Req *r) { ps_form(r, NULL, NULL); }

static void ps_form_new(Req *r, const Err *e) { ps_form(r, NULL, e); }

/* POST /surveys/new: records the survey; to the list. */
static int ps_add(Req *r, void *in, int64_t *id, Err *e) { return app_survey_add(&r->ctx, in, id, e); }
static const RecordForm ps_new_rf = {&survey_record, sizeof(SurveyInput), ps_add, ps_form_new, .base = "/surveys"};

void page_survey_create(Req *r) { unit_form_post(r, &ps_new_rf); }

/* GET /surveys/{id}: the survey, its rate against its target, versions. */
void page_survey_show(Req *r) {
  SurveyRow s;
  SurveyRow *hist;
  int nh;
  if (!au_page_record(r, &ap_survey, &s, &hist, &nh)) return;
  const char *g = unit_term_label(survey_group_vocab, s.group), *m = unit_term_label(survey_method_vocab, s.method);
  bool met = awareness_met(s.aware, s.respondents, s.target);
  page_begin(r, T(r, "知晓率调查"), false);
  html(r, "<h1>%s · %s</h1>", T(r, "知晓率调查"), g ? T(r, g) : s.group);
  pv_saved(r);
  html_raw(r, "<div class=\"actions\">");
  if (actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<a class=\"button\" href=\"/surveys/%" PRId64 "/edit\">%s</a>", s.id, T(r, "更正"));
  html(r, "<a class=\"button secondary\" href=\"/surveys\">%s</a></div>", T(r, "返回列表"));
  html(r, "<section class=\"card\"><dl class=\"kv\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
          "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%" PRId64 "</dd><dt>%s</dt><dd>%" PRId64 "</dd><dt>%s</dt><dd>",
       T(r, "日期"), s.date, T(r, "单位"), s.org_name, T(r, "调查方式"), m ? T(r, m) : s.method, T(r, "调查主题"),
       page_dash(s.title), T(r, "调查人数"), s.respondents, T(r, "知晓人数"), s.aware, T(r, "知晓率"));
  pv_rate(r, s.aware, s.respondents);
  html(r, "</dd><dt>%s</dt><dd>%d%% · %s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s · %s</dd></dl></section>",
       T(r, "目标"), s.target, T(r, met ? "达标" : "未达标"), T(r, "情况说明"), page_dash(s.notes), T(r, "登记人"),
       s.created_by, s.created_at);
  if (nh > 1) {
    html(r, "<section class=\"card\"><h2>%s</h2><table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
         T(r, "更正记录"), T(r, "版本"), T(r, "登记时间"), T(r, "登记人"), T(r, "更正原因"), T(r, "调查人数"),
         T(r, "知晓人数"));
    for (int i = 0; i < nh; i++)
      html(r, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%" PRId64 "</td><td class=\"num\">%"
              PRId64 "</td></tr>",
           hist[i].version, hist[i].created_at, hist[i].created_by, page_dash(hist[i].reason), hist[i].respondents,
           hist[i].aware);
    html_raw(r, "</tbody></table></section>");
  }
  page_end(r);
  au_page_record_free(&ap_survey, &s, hist, nh);
}

static void ps_form_edit(Req *r, const Err *e) { au_page_form(r, &ap_survey, ps_form, e); }

void page_survey_edit(Req *r) { ps_form_edit(r, NULL); }

static int ps_correct(Req *r, void *in, int64_t *id, Err *e) {
  *id = r->ids[0];
  return app_survey_correct(&r->ctx, r->ids[0], in, e);
}
static const RecordForm ps_edit_rf = {&survey_record, sizeof(SurveyInput), ps_correct, ps_form_edit, .base = "/surveys"};

void page_survey_update(Req *r) { unit_form_post(r, &ps_edit_rf); }

/* Back to the survey list of the unit of a target's change. */
static void ps_targets_back(Req *r, const Err *e) {
  if (e->code != ERR_OK && e->code != ERR_INVALID) {
    resp_error(r, e);
    return;
  }
  if (e->code == ERR_INVALID) {
    resp_fail(r, ERR_INVALID, e->fields[0].msg ? e->fields[0].msg : e->msg);
    return;
  }
  Buf b = BUF_INIT;
  buf_puts(&b, "/surveys");
  page_query_param(&b, "org", req_form_str(r, "org"));
  page_query_param(&b, "saved", "1");
  resp_redirect(r, buf_str(&b));
  buf_reset(&b);
}

/* POST /surveys/targets (org, group, target) */
void page_survey_target_set(Req *r) {
  Err e;
  err_clear(&e);
  const char *t = req_form_str(r, "target");
  char *end = NULL;
  long v = t && *t ? strtol(t, &end, 10) : -1;
  if (!end || *end) v = -1;
  bool created;
  app_awareness_target_set(&r->ctx, req_form_str(r, "org"), req_form_str(r, "group"), v, &created, &e);
  ps_targets_back(r, &e);
}

/* POST /surveys/targets/clear (org, group) */
void page_survey_target_clear(Req *r) {
  Err e;
  err_clear(&e);
  app_awareness_target_clear(&r->ctx, req_form_str(r, "org"), req_form_str(r, "group"), &e);
  ps_targets_back(r, &e);
}

/* ---- the office's overview ------------------------------------------------------ */

/* GET /prevention?org=&month=: per child unit of the scope, the month's
 * activities and surveys and the unit tasks overdue and due today, each
 * linking to its list; what is still owed is marked. */
void page_prevention(Req *r) {
  const char *org = page_s(req_query(r, "org")), *month = page_s(req_query(r, "month"));
  PreventionOverview o;
  Err e;
  err_clear(&e);
  app_prevention_overview(&r->ctx, org, month, &o, &e);
  if (e.code == ERR_INVALID) { /* a malformed month: this month */
    Err e2;
    err_clear(&e2);
    app_prevention_overview(&r->ctx, org, NULL, &o, &e2);
    if (e2.code != ERR_OK) e = e2;
  }
  if (e.code != ERR_OK && e.code != ERR_INVALID) {
    resp_error(r, &e);
    return;
  }
  /* the unit tasks as of today, counted by row */
  UnitTaskItem *items = NULL;
  int ni = 0;
  Err te;
  err_clear(&te);
  app_unit_tasks(&r->ctx, &(UnitTaskQuery){o.unit.code[0] ? o.unit.code : NULL, NULL}, &items, &ni, &te);
  int *overdue = calloc((size_t)(o.nrows ? o.nrows : 1), sizeof *overdue);
  int *due = calloc((size_t)(o.nrows ? o.nrows : 1), sizeof *due);
  if (!overdue || !due) abort();
  int all_overdue = 0, all_due = 0;
  for (int i = 0; i < ni; i++) {
    bool late = items[i].item.state == RHYTHM_OVERDUE;
    all_overdue += late;
    all_due += !late;
    int k = app_prevention_overview_row(&o, items[i].org_code);
    if (k < 0) continue;
    if (late) overdue[k]++;
    else due[k]++;
  }
  char period[PERIOD_TEXT_LEN], label[PERIOD_LABEL_LEN];
  period_format(o.month, period);
  period_label(o.month, strcmp(r->lang, "en") == 0, label, sizeof label);
  page_begin(r, T(r, "禁毒宣传"), false);
  html(r, "<h1>%s · %s</h1>", T(r, "禁毒宣传"), label);
  html_raw(r, "<div class=\"actions\">");
  if (actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<a class=\"button\" href=\"/activities/new\">%s</a><a class=\"button\" href=\"/surveys/new\">%s</a>",
         T(r, "登记宣传活动"), T(r, "登记知晓率调查"));
  html(r, "<a class=\"button secondary\" href=\"/activities\">%s</a><a class=\"button secondary\" href=\"/surveys\">%s</a>"
          "<a class=\"button secondary\" href=\"/unit_tasks\">%s</a></div>",
       T(r, "宣传教育活动"), T(r, "知晓率调查"), T(r, "单位工作任务"));
  html_raw(r, "<form method=\"get\" action=\"/prevention\" class=\"filters\" role=\"search\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = org, .error_zh = err_field_msg(&e, "org"),
                         .first_zh = "全部单位", .levels = PICK_ANY});
  form_input(r, "month", "month", "月份", period, err_field_msg(&e, "month"), false, 7);
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  if (e.code != ERR_OK) form_error_summary(r, &e);
  html(r, "<table class=\"records\"><thead><tr><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
          "<th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th></tr></thead><tbody>",
       T(r, "单位"), T(r, "本月宣传活动"), T(r, "本月知晓率调查"), T(r, "逾期任务"), T(r, "待办任务"), T(r, "尚欠"));
  Buf link = BUF_INIT;
  for (int k = 0; k < o.nrows; k++) {
    const PreventionOverviewRow *w = &o.rows[k];
    html(r, "<tr><td>%s</td>", w->unit.name);
    buf_clear(&link);
    buf_puts(&link, "/activities");
    page_query_param(&link, "org", w->unit.code);
    page_query_param(&link, "period", period);
    html(r, "<td class=\"num\"><a href=\"%s\">%" PRId64 "</a></td>", buf_str(&link), w->activities);
    buf_clear(&link);
    buf_puts(&link, "/surveys");
    page_query_param(&link, "org", w->unit.code);
    page_query_param(&link, "period", period);
    html(r, "<td class=\"num\"><a href=\"%s\">%" PRId64 "</a></td>", buf_str(&link), w->surveys);
    buf_clear(&link);
    buf_puts(&link, "/unit_tasks");
    page_query_param(&link, "org", w->unit.code);
    html(r, "<td class=\"num\"><a href=\"%s\">%d</a></td><td class=\"num\">%d</td><td>", buf_str(&link), overdue[k],
         due[k]);
    int owed = 0;
    if (w->activities == 0) html(r, "%s%s", owed++ ? "、" : "", T(r, "本月尚无宣传活动"));
    if (overdue[k]) html(r, "%s%s", owed++ ? "、" : "", T(r, "有逾期任务"));
    if (!owed) html_raw(r, "—");
    html_raw(r, "</td></tr>");
  }
  html(r, "</tbody><tfoot><tr><th>%s</th><th class=\"num\">%" PRId64 "</th><th class=\"num\">%" PRId64 "</th>"
          "<th class=\"num\">%d</th><th class=\"num\">%d</th><th></th></tr></tfoot></table>",
       T(r, "合计"), o.activities, o.surveys, all_overdue, all_due);
  page_end(r);
  buf_reset(&link);
  free(overdue);
  free(due);
  free(items);
  app_prevention_overview_free(&o);
}
