/* web/page_ledger.c: the pages of three prevention ledgers (issue 10
 * points 1, 4, 5): places and partner units (/places: the list with its
 * filters, paging, print view and .xlsx; a place's page with its
 * deactivation; the form that registers or changes one), responsibility
 * letters (/letters: the list of a year with the signing rate, the
 * required signers not yet signed and the office's list of required
 * signers; a letter's page with its scans; the form) and venue
 * inspections (/inspections: the list with totals and follow-up states;
 * an inspection's page with its photos and the follow-up done; the
 * phone-first form). Parses, calls app/place.h, app/letter.h,
 * app/inspection.h, renders. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/inspection.h"
#include "app/letter.h"
#include "app/place.h"
#include "app/unit_task.h"
#include "core/ledger.h"
#include "core/stats.h"
#include "web/api_unit.h"
#include "web/attachment.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/page_ledger.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"

#define LG_PER_PAGE 30
#define LG_FORBIDDEN "没有权限执行此操作"

/* ---- shared pieces -------------------------------------------------------------- */

/* The label of code in vocab (translated), "—" for none. */
static const char *lg_label(Req *r, const UnitTerm *vocab, const char *code) {
  const char *l = unit_term_label(vocab, code);
  return l ? T(r, l) : page_dash(code);
}

/* A select of the active places in scope of kind (NULL: every kind) named
 * name, with value (an id as text) chosen; a leading empty option. */
static void lg_place_select(Req *r, const char *name, const char *label_zh, const char *kind, const char *value,
                            const char *err, bool required) {
  PlaceRow *rows = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  PlaceQuery q = {NULL, kind, NULL, "1", 1, UNIT_LIST_MAX, NULL};
  app_place_list(&r->ctx, &q, &rows, &n, &total, &e);
  html(r, "<div class=\"field wide%s\"><label for=\"f-%s\">%s%s</label><select id=\"f-%s\" name=\"%s\"%s>"
          "<option value=\"\">%s</option>",
       err ? " has-error" : "", name, T(r, label_zh), required ? " *" : "", name, name, required ? " required" : "",
       T(r, "请选择"));
  for (int i = 0; i < n; i++) {
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, rows[i].id);
    html(r, "<option value=\"%s\"%s>%s · %s</option>", id, value && strcmp(value, id) == 0 ? " selected" : "",
         rows[i].name, rows[i].org_name);
  }
  html_raw(r, "</select>");
  if (err) html(r, "<span class=\"field-error\" id=\"e-%s\">%s</span>", name, T(r, err));
  html_raw(r, "</div>");
  store_place_rows_free(rows, n);
}

/* A radio group of vocab for field key of spec: the posted value on a
 * failed POST, else the query's, else def. */
static void lg_radio(Req *r, const RecordSpec *spec, const char *key, const UnitTerm *vocab, const char *def,
                     const Err *e) {
  Buf b = BUF_INIT;
  const char *sel = strcmp(r->method, "POST") == 0 ? unit_posted(r, key, &b) : unit_val(r, key, def);
  unit_choices(r, bind_field(spec, key), vocab, sel, false, e);
  buf_reset(&b);
}

/* A "dt/dd" pair of a record's page. */
static void lg_kv(Req *r, const char *label_zh, const char *value) {
  html(r, "<dt>%s</dt><dd>%s</dd>", T(r, label_zh), page_dash(value));
}

/* ---- places --------------------------------------------------------------------- */

static const char *const lg_active_opts[] = {"", "在用", "0", "已停用", "all", "全部", NULL};
static const ListPage lg_place_list = {
  "/places", "场所与单位", 0,
  (const ListFilter[]){{"kind", "类型", LIST_SELECT, .vocab = place_kind_vocab},
                       {"q", "名称", LIST_INPUT, .input = "search", .maxlen = PLACE_NAME_CHARS},
                       {"active", "状态", LIST_SELECT, .options = lg_active_opts},
                       {0}},
  .new_zh = "登记场所或单位"};

/* GET /places?org=&kind=&q=&active=&page=[&print=1][&format=xlsx]: the
 * places and partner units of the scope by unit, kind and name. */
void page_place_list(Req *r) {
  PlaceQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "kind")), page_s(req_query(r, "q")),
                  page_s(req_query(r, "active")), (int)req_query_int(r, "page", 1, 1, 1000000), LG_PER_PAGE, NULL};
  PlaceRow *rows;
  int n;
  int64_t total;
  Err e;
  if (!au_page_rows(r, &al_place, &q, &rows, &n, &total, NULL, &e)) return;
  page_list_begin(r, &lg_place_list, actor_can(&r->actor, PERM_PERSON_WRITE), q.page, total, &e);
  html(r, "<p class=\"muted\">%s %lld</p>", T(r, "合计"), (long long)total);
  static const char *const cols[] = {"名称", "类型", "所属单位", "地址", "联系人", "联系电话", "状态", NULL};
  if (page_list_table(r, n, cols, 0)) {
    for (int i = 0; i < n; i++) {
      const PlaceRow *p = &rows[i];
      html(r, "<tr><td><a href=\"/places/%" PRId64 "\">%s</a></td><td>%s%s%s</td><td>%s</td><td>%s</td><td>%s</td>"
              "<td>%s</td><td>%s</td></tr>",
           p->id, p->name, lg_label(r, place_kind_vocab, p->kind), *p->category ? " · " : "",
           *p->category ? lg_label(r, venue_category_vocab, p->category) : "", p->org_name, page_dash(p->address),
           page_dash(p->contact), page_dash(p->phone), p->active ? T(r, "在用") : T(r, "已停用"));
    }
    page_list_table_end(r);
  }
  page_list_pager(r, &lg_place_list, q.page, LG_PER_PAGE, total);
  page_end(r);
  store_place_rows_free(rows, n);
}

/* The place form (new, or the change of place p: p NULL for new). */
static void lg_place_form(Req *r, const Err *e, const PlaceRow *p) {
  char action[48];
  if (p) snprintf(action, sizeof action, "/places/%" PRId64 "/edit", p->id);
  unit_form_open(r, p ? "修改场所或单位" : "登记场所或单位", p ? action : "/places/new", e);
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "所属单位",
                         .value = unit_val(r, "org", p ? p->org_code : r->actor.org_code),
                         .error_zh = unit_ferr(e, "org"), .required = true, .levels = PICK_ANY});
  lg_radio(r, &place_record, "kind", place_kind_vocab, p ? p->kind : "", e);
  unit_control(r, &place_record, "name", p ? p->name : "", e);
  lg_radio(r, &place_record, "category", venue_category_vocab, p ? p->category : "", e);
  html(r, "<p class=\"muted wide\">%s</p>", T(r, "场所类别仅娱乐场所填写"));
  unit_control(r, &place_record, "address", p ? p->address : "", e);
  unit_control(r, &place_record, "contact", p ? p->contact : "", e);
  unit_control(r, &place_record, "phone", p ? p->phone : "", e);
  unit_control(r, &place_record, "licence_no", p ? p->licence_no : "", e);
  unit_control(r, &place_record, "notes", p ? p->notes : "", e);
  unit_form_close(r, p ? action : "/places");
}

static void lg_place_form_new(Req *r, const Err *e) { lg_place_form(r, e, NULL); }

/* GET /places/new */
void page_place_new(Req *r) { lg_place_form(r, NULL, NULL); }

/* POST /places/new: registers the place; to its page. */
static int lg_place_add(Req *r, void *in, int64_t *id, Err *e) { return app_place_add(&r->ctx, in, id, e); }
static const RecordForm lg_place_new_rf = {&place_record, sizeof(PlaceInput), lg_place_add, lg_place_form_new, .base = "/places"};

void page_place_create(Req *r) { unit_form_post(r, &lg_place_new_rf); }

/* Loads place ids[0] or answers the error (false). */
static bool lg_place_load(Req *r, PlaceRow *p) {
  Err e;
  err_clear(&e);
  return page_ok(r, app_place_get(&r->ctx, r->ids[0], p, &e), &e);
}

/* The place page (e: a refused deactivation). */
static void lg_place_page(Req *r, const PlaceRow *p, const Err *e) {
  page_begin(r, p->name, false);
  html(r, "<h1>%s</h1>", p->name);
  if (strcmp(page_s(req_query(r, "saved")), "1") == 0) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
  if (e && e->code != ERR_OK) form_error_summary(r, e);
  html_raw(r, "<div class=\"actions\">");
  if (p->active && actor_can(&r->actor, PERM_PERSON_WRITE))
    html(r, "<a class=\"button\" href=\"/places/%" PRId64 "/edit\">%s</a>", p->id, T(r, "修改"));
  if (p->active && strcmp(p->kind, "venue") == 0) {
    html(r, "<a class=\"button secondary\" href=\"/inspections/new?venue=%" PRId64 "\">%s</a>", p->id,
         T(r, "登记场所检查"));
    html(r, "<a class=\"button secondary\" href=\"/inspections?venue=%" PRId64 "\">%s</a>", p->id, T(r, "检查记录"));
  }
  html(r, "<a class=\"button secondary\" href=\"/places\">%s</a></div>", T(r, "返回列表"));
  html_raw(r, "<section class=\"card\"><dl class=\"kv\">");
  lg_kv(r, "类型", lg_label(r, place_kind_vocab, p->kind));
  if (*p->category) lg_kv(r, "场所类别", lg_label(r, venue_category_vocab, p->category));
  lg_kv(r, "所属单位", p->org_name);
  lg_kv(r, "地址", p->address);
  lg_kv(r, "联系人", p->contact);
  lg_kv(r, "联系电话", p->phone);
  lg_kv(r, "许可证号", p->licence_no);
  lg_kv(r, "备注", p->notes);
  lg_kv(r, "状态", p->active ? T(r, "在用") : T(r, "已停用"));
  if (!p->active) {
    char when[DATE_TIME_SHORT_LEN];
    lg_kv(r, "停用时间", date_time_short(p->deactivated_at, when));
    lg_kv(r, "停用原因", p->deactivate_reason);
  }
  char when[DATE_TIME_SHORT_LEN];
  lg_kv(r, "登记人", p->created_by);
  lg_kv(r, "登记时间", date_time_short(p->created_at, when));
  html_raw(r, "</dl></section>");
  if (p->active && actor_can(&r->actor, PERM_USER_ADMIN)) {
    html(r, "<details class=\"card\"%s><summary>%s</summary><form method=\"post\" action=\"/places/%" PRId64
            "/deactivate\">",
         e && e->code != ERR_OK ? " open" : "", T(r, "停用（不删除，保留记录）"), p->id);
    form_csrf(r);
    form_input(r, "text", "reason", "停用原因", "", e ? err_field_msg(e, "reason") : NULL, true, PLACE_REASON_CHARS);
    html(r, "<div class=\"field\"><button type=\"submit\" class=\"secondary\">%s</button></div></form></details>",
         T(r, "停用"));
  }
  page_end(r);
}

/* GET /places/{id} */
void page_place_show(Req *r) {
  PlaceRow p;
  if (!lg_place_load(r, &p)) return;
  lg_place_page(r, &p, NULL);
  store_place_free(&p);
}

/* The change form again after a failed POST (the place reloaded). */
static void lg_place_form_edit(Req *r, const Err *e) {
  PlaceRow p;
  if (!lg_place_load(r, &p)) return;
  lg_place_form(r, e, &p);
  store_place_free(&p);
}

/* GET /places/{id}/edit */
void page_place_edit(Req *r) { lg_place_form_edit(r, NULL); }

/* POST /places/{id}/edit: changes the place; to its page. */
static int lg_place_change(Req *r, void *in, int64_t *id, Err *e) {
  *id = r->ids[0];
  return app_place_update(&r->ctx, r->ids[0], in, e);
}
static const RecordForm lg_place_edit_rf = {&place_record, sizeof(PlaceInput), lg_place_change, lg_place_form_edit,
                                            .base = "/places"};

void page_place_update(Req *r) { unit_form_post(r, &lg_place_edit_rf); }

/* POST /places/{id}/deactivate (reason): deactivates; back to its page. */
void page_place_deactivate(Req *r) {
  Err e;
  err_clear(&e);
  if (app_place_deactivate(&r->ctx, r->ids[0], req_form_str(r, "reason"), &e) != ERR_OK) {
    if (!page_form_failed(r, &e)) return;
    PlaceRow p;
    if (!lg_place_load(r, &p)) return;
    lg_place_page(r, &p, &e);
    store_place_free(&p);
    r->status = err_http_status(e.code);
    return;
  }
  page_redirect_id(r, "/places/", r->ids[0], "?saved=1");
}

/* ---- letters -------------------------------------------------------------------- */

/* The office's form that requires a signer for the year. */
static void lg_require_form(Req *r, int year) {
  html(r, "<details class=\"card no-print\"><summary>%s</summary><form method=\"post\" action=\"/letters/required\""
          " class=\"filters\">",
       T(r, "设置应签订的单位"));
  form_csrf(r);
  r->field_prefix = "req"; /* the filter form above has org, year and kind too */
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "发文单位", .value = r->actor.org_code, .required = true,
                         .levels = PICK_ANY});
  char y[16];
  snprintf(y, sizeof y, "%d", year);
  form_input(r, "number", "year", "年度", y, NULL, true, 4);
  const char *opts[16];
  form_select(r, "kind", "责任书类型", unit_options(letter_kind_vocab, "请选择", opts, 16), "goal", NULL);
  org_pick(r, &(OrgPick){.name = "signer_org", .label_zh = "签订单位", .value = "", .first_zh = "（选场所时不选）",
                         .levels = PICK_ANY});
  lg_place_select(r, "signer_place", "或签订场所", NULL, "", NULL, false);
  r->field_prefix = NULL;
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form></details>", T(r, "添加"));
}

static const ListPage lg_letter_list = {
  "/letters", "目标管理责任书", 0,
  (const ListFilter[]){{"year", "年度", LIST_INPUT, .input = "number", .maxlen = 4},
                       {"kind", "责任书类型", LIST_SELECT, .vocab = letter_kind_vocab},
                       {0}},
  .new_zh = "登记责任书"};

/* GET /letters?org=&year=&kind=&page=[&print=1][&format=xlsx]: the letters
 * of a year, its signing rate, the required signers not yet signed. */
void page_letter_list(Req *r) {
  LetterQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "year")), page_s(req_query(r, "kind")),
                   (int)req_query_int(r, "page", 1, 1, 1000000), LG_PER_PAGE, NULL};
  LetterRow *rows;
  int n;
  int64_t total;
  LetterSummary s;
  Err e;
  if (!au_page_rows(r, &al_letter, &q, &rows, &n, &total, &s, &e)) return;
  page_list_begin(r, &lg_letter_list, actor_can(&r->actor, PERM_PERSON_WRITE), q.page, total, &e);
  char rate[STATS_RATE_TEXT_LEN];
  stats_rate_text(s.signed_n, s.required, rate);
  html(r, "<section class=\"card\"><h2>%d %s</h2><dl class=\"kv\"><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%lld</dd>"
          "<dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%s</dd></dl><p class=\"muted\">%s</p></section>",
       s.year, T(r, "年度"), T(r, "已登记责任书"), (long long)total, T(r, "应签订"), (long long)s.required, T(r, "已签订"),
       (long long)s.signed_n, T(r, "签订率"), rate, T(r, "签订率 = 应签订单位中已签订的 ÷ 应签订单位"));
  if (s.required > s.signed_n) {
    html(r, "<h2>%s</h2><table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "尚未签订"), T(r, "签订方"), T(r, "责任书类型"), T(r, "发文单位"));
    for (int i = 0; i < s.nneed; i++) {
      const LetterNeedRow *m = &s.need[i];
      if (m->letter_id > 0) continue;
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>", m->signer_name, lg_label(r, letter_kind_vocab, m->kind),
           m->org_name);
    }
    html_raw(r, "</tbody></table>");
  }
  if (n > 0) html(r, "<h2>%s</h2>", T(r, "已登记责任书"));
  static const char *const cols[] = {"签订方", "责任书类型", "发文单位", "签订日期", "登记人", NULL};
  if (page_list_table(r, n, cols, 0)) {
    for (int i = 0; i < n; i++) {
      const LetterRow *l = &rows[i];
      html(r, "<tr><td><a href=\"/letters/%" PRId64 "\">%s</a></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
           l->id, l->signer_name, lg_label(r, letter_kind_vocab, l->kind), l->org_name, l->signed_date, l->created_by);
    }
    page_list_table_end(r);
  }
  if (page_list_pager(r, &lg_letter_list, q.page, LG_PER_PAGE, total)) {
    if (actor_can(&r->actor, PERM_USER_ADMIN)) {
      lg_require_form(r, s.year);
      if (s.nneed > 0) {
        html(r, "<details class=\"card no-print\"><summary>%s (%d)</summary><table class=\"records\"><thead><tr>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
             T(r, "应签订的单位"), s.nneed, T(r, "签订方"), T(r, "责任书类型"), T(r, "发文单位"), T(r, "状态"));
        for (int i = 0; i < s.nneed; i++) {
          const LetterNeedRow *m = &s.need[i];
          html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td><form method=\"post\" action=\"/letters/"
                  "required/%" PRId64 "/delete\">",
               m->signer_name, lg_label(r, letter_kind_vocab, m->kind), m->org_name,
               m->letter_id ? T(r, "已签订") : T(r, "未签订"), m->id);
          form_csrf(r);
          html(r, "<button type=\"submit\" class=\"secondary\">%s</button></form></td></tr>", T(r, "移除"));
        }
        html_raw(r, "</tbody></table></details>");
      }
    }
  }
  page_end(r);
  free(rows);
  free(s.need);
}

/* The letter form (values as posted or defaults; e the errors). */
static void lg_letter_form(Req *r, const Err *e) {
  char today[DATE_ISO_LEN], year[8];
  date_format(r->ctx.today, today);
  snprintf(year, sizeof year, "%.4s", today);
  unit_form_open(r, "登记目标管理责任书", "/letters/new", e);
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "发文单位", .value = unit_val(r, "org", r->actor.org_code),
                         .error_zh = unit_ferr(e, "org"), .required = true, .levels = PICK_ANY});
  unit_control(r, &letter_record, "year", year, e);
  lg_radio(r, &letter_record, "kind", letter_kind_vocab, "goal", e);
  org_pick(r, &(OrgPick){.name = "signer_org", .label_zh = "签订单位（下级单位）", .value = unit_val(r, "signer_org", ""),
                         .error_zh = unit_ferr(e, "signer_org"), .first_zh = "（选场所时不选）", .levels = PICK_ANY});
  lg_place_select(r, "signer_place", "或签订场所/单位", NULL, unit_val(r, "signer_place", ""), unit_ferr(e, "signer_place"),
                  false);
  unit_control(r, &letter_record, "signed_date", today, e);
  unit_control(r, &letter_record, "notes", "", e);
  unit_form_close(r, "/letters");
}

/* GET /letters/new */
void page_letter_new(Req *r) {
  if (!actor_can(&r->actor, PERM_PERSON_WRITE)) {
    resp_fail(r, ERR_FORBIDDEN, LG_FORBIDDEN);
    return;
  }
  lg_letter_form(r, NULL);
}

/* POST /letters/new: records the letter; to its page (to attach the scan). */
static int lg_letter_add(Req *r, void *in, int64_t *id, Err *e) { return app_letter_add(&r->ctx, in, id, e); }
static const RecordForm lg_letter_rf = {&letter_record, sizeof(LetterInput), lg_letter_add, lg_letter_form, .base = "/letters"};

void page_letter_create(Req *r) { unit_form_post(r, &lg_letter_rf); }

/* GET /letters/{id}: the letter and its scans. */
void page_letter_show(Req *r) {
  LetterRow l;
  Err e;
  err_clear(&e);
  if (!page_ok(r, app_letter_get(&r->ctx, r->ids[0], &l, &e), &e)) return;
  page_begin(r, T(r, "目标管理责任书"), false);
  html(r, "<h1>%s · %s</h1>", T(r, lg_label(r, letter_kind_vocab, l.kind)), l.signer_name);
  if (strcmp(page_s(req_query(r, "saved")), "1") == 0) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
  page_attachment_notice(r);
  html(r, "<div class=\"actions\"><a class=\"button secondary\" href=\"/letters?year=%d\">%s</a></div>", l.year,
       T(r, "返回列表"));
  char year[16], when[DATE_TIME_SHORT_LEN];
  snprintf(year, sizeof year, "%d", l.year);
  html_raw(r, "<section class=\"card\"><dl class=\"kv\">");
  lg_kv(r, "年度", year);
  lg_kv(r, "责任书类型", lg_label(r, letter_kind_vocab, l.kind));
  lg_kv(r, "发文单位", l.org_name);
  lg_kv(r, "签订方", l.signer_name);
  lg_kv(r, "签订日期", l.signed_date);
  lg_kv(r, "备注", l.notes);
  lg_kv(r, "登记人", l.created_by);
  lg_kv(r, "登记时间", date_time_short(l.created_at, when));
  html(r, "</dl></section><section class=\"card\"><h2>%s</h2>", T(r, "责任书扫描件"));
  char action[64], back[48];
  snprintf(action, sizeof action, "/letters/%" PRId64 "/attachments", l.id);
  snprintf(back, sizeof back, "/letters/%" PRId64, l.id);
  page_attachment_section(r, "letter", l.id, action, back, record_may_write(&r->actor, "letter"));
  html_raw(r, "</section>");
  page_end(r);
}

/* POST /letters/required (org, year, kind, signer_org | signer_place):
 * requires the signer; back to the year's list. */
void page_letter_require(Req *r) {
  LetterRequireInput in;
  Err e;
  page_form_bind(r, &letter_required_record, &in, sizeof in, &e);
  if (app_letter_require(&r->ctx, &in, NULL, &e) != ERR_OK) {
    if (!page_form_failed(r, &e)) return;
    page_begin(r, T(r, "设置应签订的单位"), false);
    html(r, "<h1>%s</h1>", T(r, "设置应签订的单位"));
    form_error_summary(r, &e);
    html_raw(r, "<ul class=\"errors\">");
    for (int i = 0; i < e.nfields; i++) html(r, "<li>%s</li>", T(r, e.fields[i].msg));
    html(r, "</ul><p><a class=\"button secondary\" href=\"/letters\">%s</a></p>", T(r, "返回列表"));
    page_end(r);
    r->status = err_http_status(e.code);
    return;
  }
  char loc[48];
  snprintf(loc, sizeof loc, "/letters?year=%d&saved=1", (int)in.year);
  resp_redirect(r, loc);
}

/* POST /letters/required/{id}/delete: removes the requirement; to the list. */
void page_letter_unrequire(Req *r) {
  Err e;
  err_clear(&e);
  if (!page_ok(r, app_letter_unrequire(&r->ctx, r->ids[0], &e), &e)) return;
  resp_redirect(r, "/letters?saved=1");
}

/* ---- inspections ---------------------------------------------------------------- */

static const ListPage lg_inspection_list = {
  "/inspections", "娱乐场所检查", LIST_DATES,
  (const ListFilter[]){{"result", "检查结果", LIST_SELECT, .vocab = inspection_result_vocab},
                       {"followup", "整改状态", LIST_SELECT, .vocab = followup_state_vocab},
                       {"venue", "场所", .kind = LIST_HIDDEN},
                       {0}},
  .new_zh = "登记场所检查"};

/* GET /inspections?org=&from=&to=&result=&followup=&venue=&page=[&print=1]
 * [&format=xlsx]: the venue inspections of the scope, newest first. */
void page_inspection_list(Req *r) {
  InspectionQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "from")), page_s(req_query(r, "to")),
                       page_s(req_query(r, "result")), page_s(req_query(r, "followup")),
                       req_query_int(r, "venue", 0, 0, 999999999999), (int)req_query_int(r, "page", 1, 1, 1000000),
                       LG_PER_PAGE, NULL};
  InspectionRow *rows;
  int n;
  int64_t total;
  InspectionTotals tot;
  Err e;
  if (!au_page_rows(r, &al_inspection, &q, &rows, &n, &total, &tot, &e)) return;
  bool may = actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE;
  page_list_begin(r, &lg_inspection_list, may, q.page, total, &e);
  page_list_totals(r);
  page_list_total(r, "检查次数", tot.inspections);
  page_list_total(r, "发现问题", tot.problems);
  page_list_total(r, "待整改", tot.open);
  page_list_total(r, "整改逾期", tot.overdue);
  page_list_totals_end(r);
  static const char *const cols[] = {"检查日期", "检查场所", "所属单位", "检查人员", "检查结果", "整改状态", "整改期限", NULL};
  if (page_list_table(r, n, cols, 0)) {
    for (int i = 0; i < n; i++) {
      const InspectionRow *x = &rows[i];
      const char *st = app_inspection_followup(x, r->ctx.today);
      html(r, "<tr><td><a href=\"/inspections/%" PRId64 "\">%s</a></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
              "<td><span class=\"badge fu-%s\">%s</span></td><td>%s</td></tr>",
           x->id, x->date, x->place_name, x->org_name, x->inspectors, lg_label(r, inspection_result_vocab, x->result),
           st, lg_label(r, followup_state_vocab, st), page_dash(x->followup_due));
    }
    page_list_table_end(r);
  }
  page_list_pager(r, &lg_inspection_list, q.page, LG_PER_PAGE, tot.inspections);
  page_end(r);
  store_inspection_rows_free(rows, n);
}

/* The inspection form, one phone screen (values as posted or defaults). */
static void lg_inspection_form(Req *r, const Err *e) {
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  unit_form_open(r, "登记场所检查", "/inspections/new", e);
  lg_place_select(r, "venue", "检查场所", "venue", unit_val(r, "venue", ""), unit_ferr(e, "venue"), true);
  unit_control(r, &inspection_record, "date", today, e);
  unit_control(r, &inspection_record, "inspectors", r->actor.display_name, e);
  lg_radio(r, &inspection_record, "result", inspection_result_vocab, "no_problem", e);
  unit_control(r, &inspection_record, "findings", "", e);
  unit_control(r, &inspection_record, "followup", "", e);
  unit_control(r, &inspection_record, "followup_due", "", e);
  unit_form_close(r, "/inspections");
}

/* GET /inspections/new[?venue=ID] */
void page_inspection_new(Req *r) {
  if (!actor_can(&r->actor, PERM_PERSON_WRITE) && r->actor.role != ROLE_POLICE) {
    resp_fail(r, ERR_FORBIDDEN, LG_FORBIDDEN);
    return;
  }
  lg_inspection_form(r, NULL);
}

/* POST /inspections/new: records the inspection; to its page (photos). */
static int lg_inspection_add(Req *r, void *in, int64_t *id, Err *e) {
  return app_inspection_add(&r->ctx, in, id, e);
}
static const RecordForm lg_inspection_rf = {&inspection_record, sizeof(InspectionInput), lg_inspection_add,
                                            lg_inspection_form, .base = "/inspections"};

void page_inspection_create(Req *r) { unit_form_post(r, &lg_inspection_rf); }

/* The inspection page (e: a refused follow-up). */
static void lg_inspection_page(Req *r, const InspectionRow *x, const Err *e) {
  page_begin(r, T(r, "场所检查"), false);
  html(r, "<h1>%s · %s</h1>", x->place_name, x->date);
  if (strcmp(page_s(req_query(r, "saved")), "1") == 0) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
  page_attachment_notice(r);
  if (e && e->code != ERR_OK) form_error_summary(r, e);
  html(r, "<div class=\"actions\"><a class=\"button secondary\" href=\"/inspections\">%s</a>"
          "<a class=\"button secondary\" href=\"/places/%" PRId64 "\">%s</a></div>",
       T(r, "返回列表"), x->place_id, T(r, "场所信息"));
  const char *st = app_inspection_followup(x, r->ctx.today);
  char when[DATE_TIME_SHORT_LEN];
  html_raw(r, "<section class=\"card\"><dl class=\"kv\">");
  lg_kv(r, "检查场所", x->place_name);
  lg_kv(r, "场所类别", lg_label(r, venue_category_vocab, x->place_category));
  lg_kv(r, "所属单位", x->org_name);
  lg_kv(r, "检查日期", x->date);
  lg_kv(r, "检查人员", x->inspectors);
  lg_kv(r, "检查结果", lg_label(r, inspection_result_vocab, x->result));
  lg_kv(r, "发现的问题", x->findings);
  lg_kv(r, "整改要求", x->followup);
  lg_kv(r, "整改期限", x->followup_due);
  lg_kv(r, "整改状态", lg_label(r, followup_state_vocab, st));
  if (*x->followup_done) {
    lg_kv(r, "整改完成日期", x->followup_done);
    lg_kv(r, "整改情况", x->done_notes);
  }
  lg_kv(r, "登记人", x->created_by);
  lg_kv(r, "登记时间", date_time_short(x->created_at, when));
  html_raw(r, "</dl></section>");
  bool may = actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE;
  if (may && (strcmp(st, "open") == 0 || strcmp(st, "overdue") == 0)) {
    char today[DATE_ISO_LEN];
    date_format(r->ctx.today, today);
    html(r, "<section class=\"card\"><h2>%s</h2><form method=\"post\" action=\"/inspections/%" PRId64
            "/followup\" class=\"rec-form\">",
         T(r, "登记整改完成"), x->id);
    form_csrf(r);
    unit_control(r, &inspection_done_record, "date", today, e);
    unit_control(r, &inspection_done_record, "notes", "", e);
    html(r, "<div class=\"rec-actions\"><button type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
  }
  html(r, "<section class=\"card\"><h2>%s</h2>", T(r, "现场照片和材料"));
  char action[64], back[48];
  snprintf(action, sizeof action, "/inspections/%" PRId64 "/attachments", x->id);
  snprintf(back, sizeof back, "/inspections/%" PRId64, x->id);
  page_attachment_section(r, "inspection", x->id, action, back, record_may_write(&r->actor, "inspection"));
  html_raw(r, "</section>");
  page_end(r);
}

/* GET /inspections/{id} */
void page_inspection_show(Req *r) {
  InspectionRow x;
  Err e;
  err_clear(&e);
  if (!page_ok(r, app_inspection_get(&r->ctx, r->ids[0], &x, &e), &e)) return;
  lg_inspection_page(r, &x, NULL);
  store_inspection_free(&x);
}

/* POST /inspections/{id}/followup (date, notes): the follow-up done; back
 * to the inspection. */
void page_inspection_done(Req *r) {
  InspectionDoneInput in;
  Err e;
  page_form_bind(r, &inspection_done_record, &in, sizeof in, &e);
  if (app_inspection_done(&r->ctx, r->ids[0], &in, &e) != ERR_OK) {
    if (!page_form_failed(r, &e)) return;
    InspectionRow x;
    Err le;
    err_clear(&le);
    if (!page_ok(r, app_inspection_get(&r->ctx, r->ids[0], &x, &le), &le)) return;
    lg_inspection_page(r, &x, &e);
    store_inspection_free(&x);
    r->status = err_http_status(e.code);
    return;
  }
  page_redirect_id(r, "/inspections/", r->ids[0], "?saved=1");
}

/* The most follow-ups of each state the workbench lists. */
#define LG_FOLLOWUP_ITEMS 5

void page_inspection_followup_section(Req *r, const char *org) {
  static const char *const states[] = {"overdue", "open"};
  InspectionRow *rows[2] = {NULL, NULL};
  int n[2] = {0, 0};
  InspectionTotals tot[2];
  const char *scope = org && *org && strcmp(org, "me") != 0 ? org : NULL;
  for (int k = 0; k < 2; k++) {
    Err e;
    err_clear(&e);
    InspectionQuery q = {scope, NULL, NULL, NULL, states[k], 0, 1, LG_FOLLOWUP_ITEMS, NULL};
    if (app_inspection_list(&r->ctx, &q, &rows[k], &n[k], &tot[k], &e) != ERR_OK) tot[k].inspections = 0;
  }
  int64_t all = tot[0].inspections + tot[1].inspections;
  if (all > 0) {
    html(r, "<section class=\"card unit-tasks\" id=\"followups\"><h2>%s <span class=\"count\">%lld</span></h2>"
            "<nav class=\"wcounts\" aria-label=\"follow-ups\">",
         T(r, "场所整改"), (long long)all);
    for (int k = 0; k < 2; k++) {
      Buf url = BUF_INIT;
      buf_puts(&url, "/inspections");
      page_query_param(&url, "org", scope);
      page_query_param(&url, "followup", states[k]);
      html(r, "<a class=\"chip%s\" href=\"%s\">%s <b>%lld</b></a>", k == 0 ? " r-test_overdue" : "", buf_str(&url),
           lg_label(r, followup_state_vocab, states[k]), (long long)tot[k].inspections);
      buf_reset(&url);
    }
    html_raw(r, "</nav><ul class=\"wlist\">");
    for (int k = 0; k < 2; k++)
      for (int i = 0; i < n[k]; i++) {
        const InspectionRow *x = &rows[k][i];
        html(r, "<li class=\"witem u-%s\"><div class=\"wmain\"><strong>%s</strong> <span class=\"muted\">%s</span><br>"
                "%s %s · %s %s</div><div class=\"wact\"><a class=\"button\" href=\"/inspections/%" PRId64
                "\">%s</a></div></li>",
             k == 0 ? "overdue" : "due", x->place_name, x->org_name, T(r, "检查日期"), x->date, T(r, "整改期限"),
             page_dash(x->followup_due), x->id, T(r, "登记整改完成"));
      }
    html_raw(r, "</ul></section>");
  }
  for (int k = 0; k < 2; k++) store_inspection_rows_free(rows[k], n[k]);
}
