/* web/page_eradication.c: the eradication-patrol pages (禁种铲毒): the
 * list of the actor's scope with its filters (unit, dates, species), the
 * totals of the filter, paging and the .xlsx download (the office's
 * table), and the phone-first form that records a patrol. Parses, calls
 * app/eradication.h, renders. (The list is meant to move onto the generic
 * ledger list when it lands.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/eradication.h"
#include "core/unit_vocab.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"
#include "web/xlsx.h"

#define ER_PER_PAGE 30

/* "罂粟 120/120 · 大麻 3/3": the species found, found/destroyed; "—" when none. */
static void er_plants(Req *r, const int64_t *found, const int64_t *destroyed) {
  bool any = false;
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    if (found[i] <= 0) continue;
    html(r, "%s%s %lld/%lld", any ? " · " : "", T(r, eradication_species_vocab[i].label_zh), (long long)found[i],
         (long long)destroyed[i]);
    any = true;
  }
  if (!any) html_raw(r, "—");
}

/* The names of comma-joined method codes, "、"-joined. */
static void er_methods(Req *r, const char *codes) {
  int k = 0;
  for (const char *s = codes; s && *s;) {
    size_t n = strcspn(s, ",");
    char code[32];
    snprintf(code, sizeof code, "%.*s", (int)n, s);
    const char *name = unit_term_label(eradication_method_vocab, code);
    html(r, "%s%s", k++ ? "、" : "", name ? T(r, name) : code);
    s += n + (s[n] == ',');
  }
}

/* The /eradications URL of q's filter (without the page). */
static void er_url(Buf *b, const EradicationQuery *q) {
  buf_clear(b);
  buf_puts(b, "/eradications");
  page_query_param(b, "org", q->org);
  page_query_param(b, "from", q->from);
  page_query_param(b, "to", q->to);
  page_query_param(b, "species", q->species);
}

/* GET /eradications?org=&from=&to=&species=&page=[&format=xlsx]: the
 * patrols of the scope, newest first, with the totals of the filter. */
void page_eradication_list(Req *r) {
  EradicationQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "from")), page_s(req_query(r, "to")),
                        page_s(req_query(r, "species")), (int)req_query_int(r, "page", 1, 1, 1000000), ER_PER_PAGE, NULL};
  if (xlsx_wanted(r)) {
    export_eradications(r, &q);
    return;
  }
  EradicationRow *rows = NULL;
  int n = 0;
  EradicationTotals tot;
  Err e;
  err_clear(&e);
  app_eradication_list(&r->ctx, &q, &rows, &n, &tot, &e);
  if (e.code != ERR_OK && e.code != ERR_INVALID && e.code != ERR_NOT_FOUND) {
    free(rows);
    resp_error(r, &e);
    return;
  }
  Buf url = BUF_INIT;
  page_begin(r, T(r, "禁种铲毒"), false);
  html(r, "<h1>%s</h1>", T(r, "禁种铲毒"));
  if (strcmp(page_s(req_query(r, "saved")), "1") == 0) html(r, "<div class=\"notice\">%s</div>", T(r, "已保存"));
  html_raw(r, "<div class=\"actions\">");
  if (actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE)
    html(r, "<a class=\"button\" href=\"/eradications/new\">%s</a>", T(r, "登记铲毒踏查"));
  er_url(&url, &q);
  page_query_param(&url, "format", "xlsx");
  html(r, "<a class=\"button secondary\" href=\"%s\" download>%s</a></div>", buf_str(&url), T(r, "导出 Excel"));

  html_raw(r, "<form method=\"get\" action=\"/eradications\" class=\"filters\">");
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = q.org, .error_zh = err_field_msg(&e, "org"),
                         .first_zh = "全部单位", .levels = PICK_ANY});
  form_input(r, "date", "from", "开始日期", q.from, err_field_msg(&e, "from"), false, 0);
  form_input(r, "date", "to", "结束日期", q.to, err_field_msg(&e, "to"), false, 0);
  const char *species[2 * (ERADICATION_SPECIES + 1) + 1];
  int k = 0;
  species[k++] = "";
  species[k++] = "全部";
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    species[k++] = eradication_species_vocab[i].code;
    species[k++] = eradication_species_vocab[i].label_zh;
  }
  species[k] = NULL;
  form_select(r, "species", "发现种类", species, q.species, err_field_msg(&e, "species"));
  html(r, "<div class=\"field\"><button type=\"submit\">%s</button></div></form>", T(r, "查询"));
  if (e.code != ERR_OK) form_error_summary(r, &e);

  /* the totals of the whole filter */
  html(r, "<section class=\"card\"><h2>%s</h2><dl class=\"kv\"><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%lld</dd>",
       T(r, "合计"), T(r, "踏查次数"), (long long)tot.patrols, T(r, "踏查面积（亩）"), (long long)tot.area_mu);
  for (int i = 0; i < ERADICATION_SPECIES; i++)
    html(r, "<dt>%s</dt><dd>%s %lld · %s %lld</dd>", T(r, eradication_species_vocab[i].label_zh), T(r, "发现"),
         (long long)tot.found[i], T(r, "铲除"), (long long)tot.destroyed[i]);
  html_raw(r, "</dl></section>");

  if (n == 0) {
    html(r, "<p class=\"empty\">%s</p>", T(r, "没有记录"));
  } else {
    html(r, "<table class=\"records\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "日期"), T(r, "单位"), T(r, "地点"), T(r, "踏查方式"), T(r, "踏查面积（亩）"), T(r, "发现/铲除（株）"),
         T(r, "公安案件编号"), T(r, "登记人"));
    for (int i = 0; i < n; i++) {
      const EradicationRow *x = &rows[i];
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", x->date, x->org_name, x->location);
      er_methods(r, x->methods);
      html(r, "</td><td>%lld</td><td>", (long long)x->area_mu);
      er_plants(r, x->found, x->destroyed);
      html(r, "</td><td>%s</td><td>%s</td></tr>", page_dash(x->case_no), x->created_by);
    }
    html_raw(r, "</tbody></table>");
  }
  er_url(&url, &q);
  html_pager(r, buf_str(&url), q.page, ER_PER_PAGE, tot.patrols);
  page_end(r);
  buf_reset(&url);
  free(rows);
}

/* The patrol form (values as posted or defaults; e the errors). */
static void er_form(Req *r, const Err *e) {
  char today[DATE_ISO_LEN];
  date_format(r->ctx.today, today);
  unit_form_open(r, "登记禁种铲毒踏查", "/eradications/new", e);
  org_pick(r, &(OrgPick){.name = "org", .label_zh = "单位", .value = unit_val(r, "org", r->actor.org_code),
                         .error_zh = unit_ferr(e, "org"), .required = true, .levels = PICK_ANY});
  unit_control(r, &eradication_record, "date", today, e);
  unit_control(r, &eradication_record, "location", "", e);
  const char *methods = strcmp(r->method, "POST") == 0 ? NULL : "on_foot";
  const char *vals[8];
  int nv = req_form_all(r, "methods", vals, 8);
  Buf sel = BUF_INIT;
  for (int i = 0; i < nv; i++) {
    if (i) buf_putc(&sel, ',');
    buf_puts(&sel, vals[i]);
  }
  unit_choices(r, bind_field(&eradication_record, "methods"), eradication_method_vocab, methods ? methods : buf_str(&sel),
               true, e);
  buf_reset(&sel);
  unit_control(r, &eradication_record, "area_mu", "", e);
  /* per species: found and destroyed side by side */
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    char fk[40], dk[40];
    snprintf(fk, sizeof fk, "found_%s", eradication_species_codes[i]);
    snprintf(dk, sizeof dk, "destroyed_%s", eradication_species_codes[i]);
    html(r, "<fieldset class=\"field wide plants\"><legend>%s</legend><div class=\"grid\">",
         T(r, eradication_species_vocab[i].label_zh));
    unit_control(r, &eradication_record, fk, "", e);
    unit_control(r, &eradication_record, dk, "", e);
    html_raw(r, "</div></fieldset>");
  }
  unit_control(r, &eradication_record, "case_no", "", e);
  unit_control(r, &eradication_record, "notes", "", e);
  unit_form_close(r, "/eradications");
}

/* GET /eradications/new */
void page_eradication_new(Req *r) {
  if (!actor_can(&r->actor, PERM_PERSON_WRITE) && r->actor.role != ROLE_POLICE) {
    resp_fail(r, ERR_FORBIDDEN, "没有权限执行此操作");
    return;
  }
  er_form(r, NULL);
}

/* POST /eradications/new: records the patrol; back to the list. */
void page_eradication_create(Req *r) {
  EradicationInput in;
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  bind_form(r, &eradication_record, &in, &e);
  if (app_eradication_add(&r->ctx, &in, NULL, &e) != ERR_OK) {
    unit_form_failed(r, &e, er_form);
    return;
  }
  resp_redirect(r, "/eradications?saved=1");
}
