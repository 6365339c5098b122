/* web/api_stats.c: the statistics API (API.md "Statistics, assessment and
 * reports"): GET /api/v1/stats (the table of a unit: its counts and rates,
 * its child units', the compared periods and the measures' definitions)
 * and GET /api/v1/stats/items (the persons behind one number); both answer
 * ?format=xlsx with the same rows (web/export.c). Parses, calls app/stats.h,
 * renders; nothing else. */
#include <stdlib.h>
#include <string.h>
#include "app/stats.h"
#include "web/api_stats.h"
#include "web/export.h"
#include "web/i18n.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

void stats_query_read(const Req *r, StatsQuery *q) {
  q->org = req_query(r, "org");
  q->date = req_query(r, "date");
  q->from = req_query(r, "from");
  q->to = req_query(r, "to");
  q->period = req_query(r, "period");
}

bool stats_query_or_export(Req *r, StatsQuery *q) {
  stats_query_read(r, q);
  if (!xlsx_wanted(r)) return false;
  export_stats(r, q);
  return true;
}

int stats_table_get(Req *r, const StatsQuery *q, StatsTable *t, bool invalid_ok, Err *e) {
  err_clear(e);
  int rc = app_stats_table(&r->ctx, q, true, t, e);
  if (rc != ERR_OK && !(invalid_ok && rc == ERR_INVALID)) resp_error(r, e);
  return rc;
}

void stats_window_iso(const StatsWindow *w, char d[DATE_ISO_LEN], char f[DATE_ISO_LEN], char t[DATE_ISO_LEN]) {
  date_format(w->d, d);
  date_format(w->p.f, f);
  date_format(w->p.t, t);
}

/* "counts":{...,"by_status":{...}},"rates":{"<key>":{"num","den","value"}} of f. */
static void as_figures(JsonW *w, const StatsFigures *f) {
  jw_key(w, "counts");
  jw_obj_begin(w);
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (m->kind == SM_COUNT && (m->main || strcmp(m->provider, "person") != 0))
      jw_key_int(w, m->key, stats_figure(f, m, false)); /* the prevention ledgers' counts too */
  }
  jw_key(w, "services"); /* casework: services referred in the period, by kind and by state on the day */
  jw_obj_begin(w);
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (strncmp(m->key, "services.", 9) == 0) jw_key_int(w, m->key + 9, stats_figure(f, m, false));
  }
  jw_obj_end(w);
  jw_key(w, "by_status");
  jw_obj_begin(w);
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (strncmp(m->key, "by_status.", 10) == 0) jw_key_int(w, m->key + 10, stats_figure(f, m, false));
  }
  jw_obj_end(w);
  jw_obj_end(w);
  jw_key(w, "rates");
  jw_obj_begin(w);
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    if (m->kind != SM_RATE) continue;
    int64_t num = stats_figure(f, m, false), den = stats_figure(f, m, true), tenths = 0;
    jw_key(w, m->key);
    jw_obj_begin(w);
    jw_key_int(w, "num", num);
    jw_key_int(w, "den", den);
    jw_key(w, "value");
    if (stats_rate_tenths(num, den, &tenths)) jw_tenths(w, tenths);
    else jw_null(w);
    jw_obj_end(w);
  }
  jw_obj_end(w);
}

/* "date","from","to","period" of a window. */
static void as_window(JsonW *w, const StatsWindow *x) {
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], t[DATE_ISO_LEN], p[32];
  stats_window_iso(x, d, f, t);
  stats_period_format(&x->p, p);
  jw_key_str(w, "date", d);
  jw_key_str(w, "from", f);
  jw_key_str(w, "to", t);
  jw_key(w, "period");
  if (x->p.kind == SP_CUSTOM) jw_null(w);
  else jw_str(w, p);
}

/* GET /api/v1/stats?org=&date=&from=&to=&period=: the table. */
void api_stats(Req *r) {
  StatsQuery q;
  if (stats_query_or_export(r, &q)) return;
  Err e;
  StatsTable t;
  if (stats_table_get(r, &q, &t, false, &e) != ERR_OK) return;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", t.unit.code);
  jw_key_str(&w, "name", t.unit.name);
  as_window(&w, &t.now);
  as_figures(&w, &t.total);
  jw_key(&w, "children");
  jw_arr_begin(&w);
  for (int i = 0; i < t.nchildren; i++) {
    jw_obj_begin(&w);
    jw_key_str(&w, "org", t.children[i].unit.code);
    jw_key_str(&w, "name", t.children[i].unit.name);
    as_figures(&w, &t.children[i].f);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_key(&w, "compare");
  jw_obj_begin(&w);
  const struct { const char *key; const StatsWindow *w; const StatsFigures *f; } cmp[] = {
    {"previous", &t.previous, &t.total_previous}, {"year_ago", &t.year_ago, &t.total_year_ago}};
  for (int i = 0; i < 2; i++) {
    jw_key(&w, cmp[i].key);
    jw_obj_begin(&w);
    as_window(&w, cmp[i].w);
    as_figures(&w, cmp[i].f);
    jw_obj_end(&w);
  }
  jw_obj_end(&w);
  jw_key(&w, "measures");
  jw_arr_begin(&w);
  for (int i = 0; i < stats_measure_count(); i++) {
    const StatMeasure *m = &stat_measures[i];
    jw_obj_begin(&w);
    jw_key_str(&w, "key", m->key);
    jw_key_str(&w, "kind", m->kind == SM_RATE ? "rate" : "count");
    jw_key_str(&w, "name", T(r, m->name_zh));
    jw_key_str(&w, "definition", T(r, m->def_zh));
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_obj_end(&w);
  app_stats_table_free(&t);
  json_end(r, &w, 200);
}

/* GET /api/v1/stats/items?...&measure=&part=num|den&page=&per_page=[&after=|&before=]:
 * the persons behind one number (masked ID numbers; the read is audited).
 * With after (before) ORG.PERSON, the page of the persons after (before)
 * that position, read from there (app_stats_items_page): its counts are of
 * what was read ("partial": true), and "next_after" and "prev_before" give
 * the positions of the pages beside it (null: none). */
void api_stats_items(Req *r) {
  StatsQuery q;
  stats_query_read(r, &q);
  int page, per_page;
  if (!json_paging(r, 50, &page, &per_page)) return;
  const char *measure = req_query(r, "measure"), *part = req_query(r, "part");
  if (xlsx_wanted(r)) {
    export_stats_items(r, &q, measure, part);
    return;
  }
  Err e;
  err_clear(&e);
  StatsItems it;
  const char *after = req_query(r, "after"), *before = req_query(r, "before");
  bool keyed = (after && *after) || (before && *before);
  JsonW w;
  ErrCode got = keyed ? app_stats_items_page(&r->ctx, &q, measure, part, page, per_page, after, before, &it, &e)
                      : app_stats_items(&r->ctx, &q, measure, part, page, per_page, &it, &e);
  if (!json_list_open(r, got, &e, &w)) return;
  for (int i = 0; i < it.n; i++) {
    const StatsItem *x = &it.items[i];
    jw_obj_begin(&w);
    if (it.record) { /* a record: a letter, or a required signer with its letter (null: not signed by D) */
      jw_key_str(&w, "record", it.record);
      jw_key_int(&w, "id", x->person_id);
      jw_key_str(&w, "org", x->org_code);
      jw_key_str(&w, "org_name", x->org_name);
      jw_key_str(&w, "kind", x->rec_kind);
      jw_key_str(&w, "signer_name", x->rec_name);
      jw_key_str_or_null(&w, "signed_date", x->rec_date[0] ? x->rec_date : NULL);
      jw_key(&w, "letter_id");
      jw_int_or_null(&w, x->rec_letter > 0, x->rec_letter);
      jw_obj_end(&w);
      continue;
    }
    jw_key_int(&w, "person_id", x->person_id);
    jw_key_str(&w, "name", x->name);
    jw_key_str(&w, "id_number", x->id_masked);
    jw_key_str(&w, "org", x->org_code);
    jw_key_str(&w, "org_name", x->org_name);
    jw_key_str_or_null(&w, "status", status_code(x->status));
    jw_key_int(&w, "count", x->count);
    jw_obj_end(&w);
  }
  /* the list envelope's total is the number itself; beside it, the persons
   * behind it and those of them now outside the caller's scope (counted,
   * not listed) */
  jw_list_fields(&w, it.total, 0, it.page, it.per_page);
  jw_key_int(&w, "persons", it.persons);
  jw_key_int(&w, "outside_scope", it.hidden);
  jw_key(&w, "outside_units"); /* the units responsible on D of those, counts only */
  jw_arr_begin(&w);
  for (int i = 0; i < it.nhidden_units; i++) {
    jw_obj_begin(&w);
    jw_key_str(&w, "org", it.hidden_units[i].code);
    jw_key_str(&w, "org_name", it.hidden_units[i].name);
    jw_key_int(&w, "count", it.hidden_units[i].count);
    jw_obj_end(&w);
  }
  jw_arr_end(&w);
  jw_key_str(&w, "measure", it.measure->key);
  jw_key_str(&w, "part", it.den ? "den" : "num");
  jw_key_str(&w, "org", it.unit.code);
  as_window(&w, &it.w);
  if (keyed) {
    jw_key_bool(&w, "partial", it.partial);
    jw_key_str_or_null(&w, "next_after", it.next_after[0] ? it.next_after : NULL);
    jw_key_str_or_null(&w, "prev_before", it.prev_before[0] ? it.prev_before : NULL);
  }
  jw_obj_end(&w);
  app_stats_items_free(&it);
  json_end(r, &w, 200);
}
