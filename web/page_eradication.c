/* web/page_eradication.c: the eradication-patrol pages (禁种铲毒): the
 * list of the actor's scope with its filters (unit, dates, species), the
 * totals of the filter, paging and the .xlsx download (the office's
 * table), and the phone-first form that records a patrol. Parses, calls
 * app/eradication.h, renders; the list is the list page shell of
 * web/page_unit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/eradication.h"
#include "core/unit_vocab.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/org_pick.h"
#include "web/page.h"
#include "web/page_unit.h"
#include "web/routes.h"

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

static const ListPage er_list = {
  "/eradications", "禁种铲毒", LIST_DATES,
  (const ListFilter[]){{"species", "发现种类", LIST_SELECT, .vocab = eradication_species_vocab},
                       {0}},
  .new_zh = "登记铲毒踏查"};

/* GET /eradications?org=&from=&to=&species=&page=[&format=xlsx]: the
 * patrols of the scope, newest first, with the totals of the filter. */
void page_eradication_list(Req *r) {
  EradicationQuery q = {page_s(req_query(r, "org")), page_s(req_query(r, "from")), page_s(req_query(r, "to")),
                        page_s(req_query(r, "species")), (int)req_query_int(r, "page", 1, 1, 1000000), ER_PER_PAGE, NULL};
  EradicationRow *rows;
  int n;
  int64_t total;
  EradicationTotals tot;
  Err e;
  if (!au_page_rows(r, &au_eradication, &q, &rows, &n, &total, &tot, &e)) return;
  bool may = actor_can(&r->actor, PERM_PERSON_WRITE) || r->actor.role == ROLE_POLICE;
  page_list_begin(r, &er_list, may, q.page, total, &e);
  page_list_totals(r);
  page_list_total(r, "踏查次数", tot.patrols);
  page_list_total(r, "踏查面积（亩）", tot.area_mu);
  for (int i = 0; i < ERADICATION_SPECIES; i++)
    html(r, "<dt>%s</dt><dd>%s %lld · %s %lld</dd>", T(r, eradication_species_vocab[i].label_zh), T(r, "发现"),
         (long long)tot.found[i], T(r, "铲除"), (long long)tot.destroyed[i]);
  page_list_totals_end(r);
  static const char *const cols[] = {"日期", "单位", "地点", "踏查方式", "踏查面积（亩）", "发现/铲除（株）", "公安案件编号",
                                     "登记人", NULL};
  if (page_list_table(r, n, cols, 0)) {
    for (int i = 0; i < n; i++) {
      const EradicationRow *x = &rows[i];
      html(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", x->date, x->org_name, x->location);
      unit_names(r, eradication_method_vocab, x->methods, NULL);
      html(r, "</td><td>%lld</td><td>", (long long)x->area_mu);
      er_plants(r, x->found, x->destroyed);
      html(r, "</td><td>%s</td><td>%s</td></tr>", page_dash(x->case_no), x->created_by);
    }
    page_list_table_end(r);
  }
  page_list_pager(r, &er_list, q.page, ER_PER_PAGE, tot.patrols);
  page_end(r);
  free(rows);
}

/* The patrol form (values as posted or defaults; e the errors). */
static void er_form(Req *r, const Err *e) {
  unit_form_open(r, "登记禁种铲毒踏查", "/eradications/new", e);
  unit_org_date(r, &eradication_record, NULL, NULL, e);
  unit_control(r, &eradication_record, "location", "", e);
  const char *methods = strcmp(r->method, "POST") == 0 ? NULL : "on_foot";
  Buf sel = BUF_INIT;
  unit_choices(r, bind_field(&eradication_record, "methods"), eradication_method_vocab,
               methods ? methods : unit_posted(r, "methods", &sel), true, e);
  buf_reset(&sel);
  unit_control(r, &eradication_record, "area_mu", "", e);
  /* per species: found and destroyed side by side */
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    char fk[40], dk[40];
    snprintf(fk, sizeof fk, "found_%s", eradication_species_vocab[i].code);
    snprintf(dk, sizeof dk, "destroyed_%s", eradication_species_vocab[i].code);
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
static int er_add(Req *r, void *in, int64_t *id, Err *e) { return app_eradication_add(&r->ctx, in, id, e); }
static const RecordForm er_rf = {&eradication_record, sizeof(EradicationInput), er_add, er_form, "/eradications", true};

void page_eradication_create(Req *r) { unit_form_post(r, &er_rf); }
