/* web/api_assessment.c: the assessment API (API.md "Statistics, assessment
 * and reports"; docs/HACKING.md "The 无毒社区 assessment"): GET
 * /api/v1/assessment (the sheets of the communities under a unit, ranked;
 * ?format=xlsx), the criteria that apply (GET) and a unit's own (PUT), the
 * flow (POST /api/v1/assessment/act), the street's sign-off of a manual
 * item and its household sample (PUT), the steps of an application; and
 * what the pages share with it (web/api_assessment.h). Parses, calls
 * app/assessment.h, renders. */
#include "web/api_assessment.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ledger.h"
#include "web/api_stats.h"
#include "web/i18n.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

void assess_query_read(const Req *r, AssessQuery *q) {
  q->org = req_query(r, "org");
  q->scheme = req_query(r, "scheme");
  q->year = req_query(r, "year");
  q->place = req_query(r, "place");
}

bool assess_query_xlsx(Req *r, AssessQuery *q) {
  assess_query_read(r, q);
  if (!xlsx_wanted(r)) return false;
  export_assessment(r, q);
  return true;
}

int assess_table_get(Req *r, const AssessQuery *q, AssessTable *t, bool invalid_ok, Err *e) {
  err_clear(e);
  int rc = app_assess_table(&r->ctx, q, t, e);
  if (rc != ERR_OK && !(invalid_ok && rc == ERR_INVALID)) resp_error(r, e);
  return rc;
}

/* Whether item d reads a rate (a sample item; a rate measure; a measure this
 * build does not have whose key names a rate). */
static bool aa_is_rate(const AssessItemDef *d) {
  if (d->kind == AK_SAMPLE) return true;
  const StatMeasure *m = stats_measure_by_key(d->measure);
  return m ? m->kind == SM_RATE : strstr(d->measure, "rate") != NULL;
}

bool assess_evidence_url(Buf *b, const char *prefix, const AssessTable *t, const AssessSheet *s,
                         const AssessItemDef *d, bool den) {
  if (d->kind != AK_AUTO) return false;
  if (s->place_id) { /* a place's figures: its page lists its letters, activities and inspections */
    if (den || !assess_place_measure_name(d->measure)) return false;
    buf_printf(b, "%s%lld", strncmp(prefix, "/api/", 5) == 0 ? "/api/v1/places/" : "/places/", (long long)s->place_id);
    return true;
  }
  const StatMeasure *m = stats_measure_by_key(d->measure);
  if (!m || (den && m->kind != SM_RATE)) return false;
  char dd[DATE_ISO_LEN], f[DATE_ISO_LEN], to[DATE_ISO_LEN];
  stats_window_iso(&t->w, dd, f, to);
  /* a prevention ledger's measure: its records are the ledger's list of the window */
  const char *ledger = strcmp(m->provider, "activity") == 0 ? "activities"
                       : strcmp(m->provider, "survey") == 0 ? "surveys" : NULL;
  if (ledger) {
    buf_printf(b, "%s%s?org=%s&from=%s&to=%s", strncmp(prefix, "/api/", 5) == 0 ? "/api/v1/" : "/", ledger,
               s->unit.code, f, to);
    return true;
  }
  buf_printf(b, "%s?org=%s&measure=%s&from=%s&to=%s&date=%s&part=%s", prefix, s->unit.code, m->key, f, to, dd,
             den ? "den" : "num");
  return true;
}

/* A value in tenths as "68.6%". */
static void aa_pct(Buf *b, int64_t tenths) { buf_printf(b, "%lld.%lld%%", (long long)(tenths / 10), (long long)(tenths % 10)); }

void assess_value_text(Buf *b, const AssessItemDef *d, const AssessItemEval *x) {
  if (d->kind == AK_MANUAL || x->v == AV_MISSING || (x->v == AV_PENDING && d->kind == AK_SAMPLE)) buf_puts(b, "—");
  else if (!x->is_rate) buf_printf(b, "%lld", (long long)x->value);
  else if (x->value < 0) buf_puts(b, "—");
  else aa_pct(b, x->value);
}

void assess_target_text(Buf *b, const AssessItemDef *d) {
  if (d->kind == AK_MANUAL) return;
  buf_puts(b, d->op == AO_MAX ? "≤ " : "≥ ");
  if (aa_is_rate(d)) aa_pct(b, d->target);
  else buf_printf(b, "%lld", (long long)d->target);
}

/* ---- JSON ---------------------------------------------------------------------- */

/* A value or target as JSON: a rate as its percentage (one decimal), a
 * count as an integer, null when none. */
static void aa_json_value(JsonW *w, bool rate, bool has, int64_t v) {
  if (!has) jw_null(w);
  else if (rate) jw_tenths(w, v);
  else jw_int(w, v);
}

/* "sections" of criteria k: each section's key, label and cap; with a
 * sheet's score, its key, the points earned and possible, and its cap. */
static void aa_sections(Req *r, JsonW *w, const AssessCriteria *k, const AssessScore *score) {
  jw_key(w, "sections");
  jw_arr_begin(w);
  for (int i = 0; i < k->nsecs; i++) {
    jw_obj_begin(w);
    jw_key_str(w, "key", k->secs[i].key);
    if (score) {
      jw_key_int(w, "earned", score->sections[i].earned);
      jw_key_int(w, "possible", score->sections[i].possible);
    } else {
      jw_key_str(w, "label", T(r, k->secs[i].label));
    }
    jw_key_int(w, "cap", k->secs[i].cap);
    jw_obj_end(w);
  }
  jw_arr_end(w);
}

static void aa_criteria_json(Req *r, JsonW *w, const AssessCriteria *k) {
  jw_obj_begin(w);
  jw_key(w, "set");
  jw_obj_begin(w);
  jw_key_str_or_null(w, "org_name", k->set.org_name[0] ? k->set.org_name : NULL);
  jw_key_int(w, "year", k->set.year);
  jw_key_str(w, "title", T(r, k->set.title));
  jw_key_int(w, "pass_percent", k->set.pass_percent);
  jw_key_int(w, "sample_min", k->set.sample_min);
  jw_key_int(w, "sample_max", k->set.sample_max);
  if (k->set.subjects[0]) { /* scheme "unit": the place kinds assessed */
    jw_key(w, "subjects");
    jw_arr_begin(w);
    for (const char *p = k->set.subjects; *p;) {
      const char *comma = strchr(p, ',');
      size_t n = comma ? (size_t)(comma - p) : strlen(p);
      char kind[24];
      snprintf(kind, sizeof kind, "%.*s", (int)n, p);
      jw_str(w, kind);
      p += n + (comma ? 1 : 0);
    }
    jw_arr_end(w);
  }
  jw_obj_end(w);
  aa_sections(r, w, k, NULL);
  jw_key(w, "items");
  jw_arr_begin(w);
  for (int i = 0; i < k->nitems; i++) {
    const AssessItemDef *d = &k->items[i];
    jw_obj_begin(w);
    jw_key_str(w, "key", d->key);
    jw_key_str(w, "section", d->section);
    jw_key_str(w, "label", T(r, d->label));
    jw_key_str(w, "kind", assess_kind_code(d->kind));
    jw_key_str(w, "measure", d->measure);
    jw_key_str(w, "op", assess_op_code(d->op));
    jw_key(w, "target");
    aa_json_value(w, aa_is_rate(d), d->kind != AK_MANUAL, d->target);
    jw_key_int(w, "points", d->points);
    jw_key_bool(w, "veto", d->veto);
    jw_key_bool(w, "empty_met", d->empty_met);
    bool known = k->set.subjects[0] ? assess_place_measure_name(d->measure) != NULL
                                    : stats_measure_by_key(d->measure) != NULL;
    jw_key_bool(w, "available", d->kind != AK_AUTO || known);
    jw_obj_end(w);
  }
  jw_arr_end(w);
  jw_obj_end(w);
}

/* A household sample. */
static const JwField aa_sample_fields[] = {
  JW_AT(AssessSampleRow, date, JF_STR), JW_AT(AssessSampleRow, households, JF_INT),
  JW_AT(AssessSampleRow, records, JF_INT), JW_AT(AssessSampleRow, accurate, JF_INT),
  JW_AT(AssessSampleRow, complete, JF_INT), JW_AT(AssessSampleRow, note, JF_STR), JW_AT(AssessSampleRow, by, JF_STR),
  JW_AT(AssessSampleRow, at, JF_STR), {0}};

/* One unit of the table. */
static void aa_sheet_json(Req *r, JsonW *w, const AssessTable *t, const AssessSheet *s) {
  const AssessCriteria *k = &t->crit[s->crit];
  jw_obj_begin(w);
  jw_key_str(w, "org", s->unit.code);
  jw_key_str(w, "name", s->unit.name);
  jw_key_str(w, "street", s->street_name);
  if (s->place_id) {
    jw_key(w, "place");
    jw_obj_begin(w);
    jw_key_int(w, "id", s->place_id);
    jw_key_str(w, "name", s->place_name);
    jw_key_str(w, "kind", s->place_kind);
    jw_obj_end(w);
  }
  jw_key_str(w, "result", assess_result_code(s->score.result));
  jw_key_int(w, "score", s->score.score);
  jw_key_int(w, "max", s->score.max);
  jw_key(w, "percent");
  aa_json_value(w, true, s->score.percent_tenths >= 0, s->score.percent_tenths);
  jw_key_int(w, "rank", s->rank);
  jw_key_bool(w, "veto_failed", s->score.veto_failed);
  jw_key_int(w, "not_available", s->score.missing);
  jw_key_int(w, "pending", s->score.pending);
  jw_key_str(w, "state", assess_state_code(s->state));
  jw_key_str(w, "state_name", T(r, assess_state_name_zh(s->state)));
  jw_key_int(w, "criteria", s->crit);
  aa_sections(r, w, k, &s->score);
  jw_key(w, "items");
  jw_arr_begin(w);
  for (int i = 0; i < k->nitems; i++) {
    const AssessItemDef *d = &k->items[i];
    const AssessItemEval *x = &s->items[i];
    jw_obj_begin(w);
    jw_key_str(w, "key", d->key);
    jw_key_str(w, "label", T(r, d->label));
    jw_key_str(w, "kind", assess_kind_code(d->kind));
    jw_key_str(w, "measure", d->measure);
    bool has_value = d->kind != AK_MANUAL && x->v != AV_MISSING && x->v != AV_PENDING && x->value >= 0;
    jw_key(w, "value");
    aa_json_value(w, x->is_rate, has_value, x->value);
    jw_key(w, "target");
    aa_json_value(w, aa_is_rate(d), d->kind != AK_MANUAL, d->target);
    jw_key(w, "met");
    if (x->v == AV_MET || x->v == AV_UNMET) jw_bool(w, x->v == AV_MET);
    else jw_null(w);
    jw_key_str(w, "verdict", assess_verdict_code(x->v));
    jw_key_bool(w, "veto", d->veto);
    jw_key_int(w, "points", d->points);
    if (x->is_rate || (d->kind == AK_AUTO && x->v != AV_MISSING)) {
      jw_key_int(w, "num", x->num);
      jw_key(w, "den");
      jw_int_or_null(w, x->is_rate, x->den);
    }
    jw_key(w, "evidence");
    Buf num = BUF_INIT, den = BUF_INIT;
    if (assess_evidence_url(&num, "/api/v1/stats/items", t, s, d, false)) {
      jw_obj_begin(w);
      jw_key_str(w, "num", buf_str(&num));
      jw_key_str_or_null(w, "den", assess_evidence_url(&den, "/api/v1/stats/items", t, s, d, true) ? buf_str(&den) : NULL);
      jw_obj_end(w);
    } else {
      jw_null(w);
    }
    buf_reset(&num);
    buf_reset(&den);
    if (d->kind == AK_MANUAL) {
      jw_key(w, "sign_off");
      if (x->has_mark) {
        jw_obj_begin(w);
        jw_key_int(w, "id", x->mark_id);
        jw_key_str(w, "note", x->note);
        jw_key_str(w, "by", x->by);
        jw_key_str(w, "at", x->at);
        jw_obj_end(w);
      } else {
        jw_null(w);
      }
    }
    if (x->v == AV_MISSING) jw_key_str(w, "note", T(r, "未接入：本系统尚无此项数据，不计分"));
    jw_obj_end(w);
  }
  jw_arr_end(w);
  jw_key(w, "sample");
  if (s->has_sample) jw_record(w, aa_sample_fields, &s->sample);
  else jw_null(w);
  jw_obj_end(w);
}

/* GET /api/v1/assessment?org=&year=&scheme=: the sheets, ranked (?format=xlsx). */
void api_assessment(Req *r) {
  AssessQuery q;
  if (assess_query_xlsx(r, &q)) return;
  Err e;
  AssessTable t;
  if (assess_table_get(r, &q, &t, false, &e) != ERR_OK) return;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", t.unit.code);
  jw_key_str(&w, "name", t.unit.name);
  jw_key_int(&w, "year", t.year);
  jw_key_str(&w, "scheme", t.scheme);
  jw_key_str(&w, "title", T(r, assess_scheme_title_zh(t.scheme)));
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], to[DATE_ISO_LEN];
  stats_window_iso(&t.w, d, f, to);
  jw_key_str(&w, "date", d);
  jw_key_str(&w, "from", f);
  jw_key_str(&w, "to", to);
  jw_key(&w, "criteria");
  jw_arr_begin(&w);
  for (int i = 0; i < t.ncrit; i++) aa_criteria_json(r, &w, &t.crit[i]);
  jw_arr_end(&w);
  jw_key(&w, "units");
  jw_arr_begin(&w);
  for (int i = 0; i < t.n; i++) aa_sheet_json(r, &w, &t, &t.sheets[t.order[i]]);
  jw_arr_end(&w);
  jw_obj_end(&w);
  app_assess_table_free(&t);
  json_end(r, &w, 200);
}

/* GET /api/v1/assessment/criteria?org=&year=&scheme=: the set that applies. */
void api_assessment_criteria(Req *r) {
  AssessQuery q;
  assess_query_read(r, &q);
  Err e;
  err_clear(&e);
  OrgUnit unit;
  AssessCriteria k;
  JsonW w;
  if (!json_obj_open(r, app_assess_criteria(&r->ctx, &q, &unit, &k, &e), &e, &w)) return;
  jw_key_str(&w, "org", unit.code);
  jw_key(&w, "criteria");
  aa_criteria_json(r, &w, &k);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* ---- writes ----------------------------------------------------------------------- */

/* A string member of body into *out (NULL when absent); a field error when
 * it is another type. A "year" may be an integer: written into num. */
static void aa_str(json_t *body, const char *key, const char **out, char num[24], Err *e) {
  json_t *v = json_object_get(body, key);
  if (num && v && json_is_integer(v)) {
    snprintf(num, 24, "%lld", (long long)json_integer_value(v));
    *out = num;
    return;
  }
  json_get_str(body, key, out, e);
}

/* An integer member (def when absent); a field error when not an integer. */
static int aa_int(json_t *body, const char *key, int def, Err *e) {
  json_t *v = json_object_get(body, key);
  if (!v || json_is_null(v)) return def;
  if (!json_is_integer(v) || json_integer_value(v) < -1000000000 || json_integer_value(v) > 1000000000) {
    err_field(e, key, "应为整数");
    return def;
  }
  return (int)json_integer_value(v);
}

/* The unit, scheme, year and place of a write's body into q (a year or a
 * place given as an integer is written into nums[0] or nums[1]). */
static void aa_body_query(json_t *body, AssessQuery *q, char nums[2][24], Err *e) {
  aa_str(body, "org", &q->org, NULL, e);
  aa_str(body, "scheme", &q->scheme, NULL, e);
  aa_str(body, "year", &q->year, nums[0], e);
  aa_str(body, "place", &q->place, nums[1], e);
}

/* A write's request: its body, the unit, scheme, year and place it names
 * (q; a year or a place given as an integer is written into nums), and its
 * error. */
typedef struct AaWrite {
  json_t *body;
  AssessQuery q;
  char nums[2][24];
  Err e;
} AaWrite;

/* Reads the body of a write (only keys) into x, e cleared; false when the
 * body was refused (answered). The caller json_decref's x->body. */
static bool aa_write_begin(Req *r, const char *const *keys, AaWrite *x) {
  x->body = json_body_only(r, keys);
  err_clear(&x->e);
  memset(&x->q, 0, sizeof x->q);
  if (x->body) aa_body_query(x->body, &x->q, x->nums, &x->e);
  return x->body != NULL;
}

/* true (e answered, body freed) when the write failed. */
static bool aa_write_failed(Req *r, json_t *body, const Err *e) {
  if (e->code == ERR_OK) return false;
  resp_error(r, e);
  json_decref(body);
  return true;
}

/* POST /api/v1/assessment/act {"org","year","scheme","place","action","note"}. */
void api_assessment_act(Req *r) {
  static const char *const keys[] = {"org", "year", "scheme", "place", "action", "note", NULL};
  AaWrite x;
  if (!aa_write_begin(r, keys, &x)) return;
  const char *action = NULL, *note = NULL;
  aa_str(x.body, "action", &action, NULL, &x.e);
  aa_str(x.body, "note", &note, NULL, &x.e);
  AssessState st = AST_NONE;
  if (x.e.code == ERR_OK) app_assess_act(&r->ctx, &x.q, action, note, &st, &x.e);
  if (aa_write_failed(r, x.body, &x.e)) return;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", x.q.org ? x.q.org : r->ctx.actor->org_code);
  if (x.q.place && *x.q.place) jw_key_str(&w, "place", x.q.place);
  jw_key_str(&w, "state", assess_state_code(st));
  jw_key_str(&w, "state_name", T(r, assess_state_name_zh(st)));
  jw_obj_end(&w);
  json_decref(x.body);
  json_end(r, &w, 200);
}

/* PUT /api/v1/assessment/sign {"org","year","scheme","place","item","met":"met|unmet","note"}. */
void api_assessment_sign(Req *r) {
  static const char *const keys[] = {"org", "year", "scheme", "place", "item", "met", "note", NULL};
  AaWrite x;
  if (!aa_write_begin(r, keys, &x)) return;
  const char *item = NULL, *met = NULL, *note = NULL;
  aa_str(x.body, "item", &item, NULL, &x.e);
  aa_str(x.body, "met", &met, NULL, &x.e);
  aa_str(x.body, "note", &note, NULL, &x.e);
  int64_t id = 0;
  if (x.e.code == ERR_OK) app_assess_sign(&r->ctx, &x.q, item, met, note, &id, &x.e);
  if (aa_write_failed(r, x.body, &x.e)) return;
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_int(&w, "id", id);
  jw_key_str(&w, "item", item);
  jw_key_str(&w, "met", met);
  jw_obj_end(&w);
  json_decref(x.body);
  json_end(r, &w, 200);
}

/* PUT /api/v1/assessment/sample {"org","year","scheme","place","date","households","records","accurate","complete","note"}. */
void api_assessment_sample(Req *r) {
  static const char *const keys[] = {"org",     "year",     "scheme",   "place", "date", "households",
                                     "records", "accurate", "complete", "note",  NULL};
  AaWrite x;
  if (!aa_write_begin(r, keys, &x)) return;
  const char *date = NULL, *note = NULL;
  aa_str(x.body, "date", &date, NULL, &x.e);
  aa_str(x.body, "note", &note, NULL, &x.e);
  AssessSample s = {aa_int(x.body, "households", -1, &x.e), aa_int(x.body, "records", -1, &x.e),
                    aa_int(x.body, "accurate", -1, &x.e), aa_int(x.body, "complete", -1, &x.e)};
  if (x.e.code == ERR_OK) app_assess_sample(&r->ctx, &x.q, date, &s, note, &x.e);
  json_decref(x.body);
  if (x.e.code != ERR_OK) {
    resp_error(r, &x.e);
    return;
  }
  int64_t acc = 0, cmp = 0;
  stats_rate_tenths(s.accurate, s.records, &acc);
  stats_rate_tenths(s.complete, s.records, &cmp);
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_int(&w, "households", s.households);
  jw_key_int(&w, "records", s.records);
  jw_key(&w, "accuracy");
  jw_tenths(&w, acc);
  jw_key(&w, "completeness");
  jw_tenths(&w, cmp);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* The items of a criteria body into items (field errors "items"). */
static int aa_items(json_t *arr, AssessItemDef *items, Err *e) {
  if (!json_is_array(arr) || json_array_size(arr) > ASSESS_ITEMS_MAX) {
    err_field(e, "items", "应为考核项的列表");
    return 0;
  }
  int n = 0;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    AssessItemDef *d = &items[n++];
    memset(d, 0, sizeof *d);
    const char *key = NULL, *sec = NULL, *label = NULL, *kind = NULL, *measure = NULL, *op = NULL;
    if (!json_is_object(v)) {
      err_field(e, "items", "应为考核项的列表");
      return n;
    }
    json_get_str(v, "key", &key, e);
    json_get_str(v, "section", &sec, e);
    json_get_str(v, "label", &label, e);
    json_get_str(v, "kind", &kind, e);
    json_get_str(v, "measure", &measure, e);
    json_get_str(v, "op", &op, e);
    snprintf(d->key, sizeof d->key, "%s", key ? key : "");
    snprintf(d->section, sizeof d->section, "%s", sec ? sec : "");
    snprintf(d->label, sizeof d->label, "%s", label ? label : "");
    snprintf(d->measure, sizeof d->measure, "%s", measure ? measure : "");
    if (!assess_kind_parse(kind, &d->kind)) err_field(e, "items", "考核项类型应为 auto、manual 或 sample");
    if (!op) d->op = AO_MIN;
    else if (!assess_op_parse(op, &d->op)) err_field(e, "items", "比较方式应为 max（不超过）或 min（不低于）");
    json_t *t = json_object_get(v, "target");
    if (json_is_integer(t)) d->target = json_integer_value(t);
    else if (json_is_real(t)) d->target = (int64_t)(json_real_value(t) * 10 + 0.5); /* a percentage: tenths */
    else if (d->kind != AK_MANUAL) err_field(e, "items", "考核项的目标值不能为负数，比率不能超过100%");
    d->points = aa_int(v, "points", -1, e);
    d->veto = json_is_true(json_object_get(v, "veto"));
    json_t *em = json_object_get(v, "empty_met");
    d->empty_met = !em || json_is_true(em);
  }
  return n;
}

/* PUT /api/v1/assessment/criteria {"org","year","scheme","title","pass_percent","sample_min","sample_max","subjects",
 * "sections":[{"key","label","cap"}],"items":[{"key","section","label","kind","measure","op","target","points","veto","empty_met"}]}. */
void api_assessment_criteria_put(Req *r) {
  static const char *const keys[] = {"org",        "year",       "scheme",   "title", "pass_percent",
                                     "sample_min", "sample_max", "subjects", "sections", "items", NULL};
  AaWrite x;
  if (!aa_write_begin(r, keys, &x)) return;
  const char *title = NULL;
  aa_str(x.body, "title", &title, NULL, &x.e);
  int pass = aa_int(x.body, "pass_percent", 0, &x.e), smin = aa_int(x.body, "sample_min", 50, &x.e),
      smax = aa_int(x.body, "sample_max", 60, &x.e);
  AssessSectionDef *secs = calloc(ASSESS_SECTIONS_MAX, sizeof *secs);
  AssessItemDef *items = calloc(ASSESS_ITEMS_MAX, sizeof *items);
  if (!secs || !items) abort();
  int nsecs = 0, nitems = 0;
  json_t *sa = json_object_get(x.body, "sections");
  if (!json_is_array(sa) || json_array_size(sa) > ASSESS_SECTIONS_MAX) {
    err_field(&x.e, "sections", "应为评分部分的列表");
  } else {
    size_t i;
    json_t *v;
    json_array_foreach(sa, i, v) {
      AssessSectionDef *s = &secs[nsecs++];
      const char *key = NULL, *label = NULL;
      if (!json_is_object(v)) {
        err_field(&x.e, "sections", "应为评分部分的列表");
        break;
      }
      json_get_str(v, "key", &key, &x.e);
      json_get_str(v, "label", &label, &x.e);
      snprintf(s->key, sizeof s->key, "%s", key ? key : "");
      snprintf(s->label, sizeof s->label, "%s", label ? label : "");
      s->cap = aa_int(v, "cap", 0, &x.e);
    }
  }
  nitems = aa_items(json_object_get(x.body, "items"), items, &x.e);
  /* scheme "unit": the place kinds assessed, an array of codes (joined by commas) */
  Buf subjects = BUF_INIT;
  json_t *sj = json_object_get(x.body, "subjects");
  if (sj && !json_is_null(sj)) {
    size_t i;
    json_t *v;
    if (!json_is_array(sj)) err_field(&x.e, "subjects", "应为场所或单位类别的列表");
    json_array_foreach(sj, i, v) {
      if (!json_is_string(v) || strchr(json_string_value(v), ',')) {
        err_field(&x.e, "subjects", "应为场所或单位类别的列表");
        break;
      }
      buf_printf(&subjects, "%s%s", i ? "," : "", json_string_value(v));
    }
    if (json_is_array(sj) && json_array_size(sj) == 0) err_field(&x.e, "subjects", "应为场所或单位类别的列表");
  }
  bool created = false;
  if (x.e.code == ERR_OK)
    app_assess_criteria_put(&r->ctx, &x.q, title, pass, smin, smax, buf_str(&subjects), secs, nsecs, items, nitems,
                            &created, &x.e);
  buf_reset(&subjects);
  free(secs);
  free(items);
  if (aa_write_failed(r, x.body, &x.e)) return;
  /* the answer: the criteria that now apply (q points into x.body: read before it is freed) */
  OrgUnit unit;
  AssessCriteria k;
  int rc = app_assess_criteria(&r->ctx, &x.q, &unit, &k, &x.e);
  json_decref(x.body);
  if (rc != ERR_OK) {
    /* a set for next year is not yet readable as "the set that applies" */
    JsonW w;
    json_begin(r, &w);
    jw_obj_begin(&w);
    jw_key_bool(&w, "created", created);
    jw_obj_end(&w);
    json_end(r, &w, created ? 201 : 200);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "org", unit.code);
  jw_key_bool(&w, "created", created);
  jw_key(&w, "criteria");
  aa_criteria_json(r, &w, &k);
  jw_obj_end(&w);
  json_end(r, &w, created ? 201 : 200);
}

/* A step of an application. */
static const JwField aa_step_fields[] = {
  JW_AT(AssessStepRow, action, JF_STR), JW_AT(AssessStepRow, state, JF_STR),
  JW_AT(AssessStepRow, note, JF_STR), JW_AT(AssessStepRow, score, JF_INT),
  JW_AT(AssessStepRow, max, JF_INT), JW_AT(AssessStepRow, result, JF_STR),
  JW_AT(AssessStepRow, by, JF_STR), JW_AT(AssessStepRow, at, JF_STR), {0}};
static void aa_step_json(JsonW *w, const void *item) { jw_record(w, aa_step_fields, item); }

/* GET /api/v1/assessment/steps?org=&year=&scheme=: the application's steps. */
void api_assessment_steps(Req *r) {
  AssessQuery q;
  assess_query_read(r, &q);
  Err e;
  err_clear(&e);
  AssessStepRow *rows = NULL;
  int n = 0;
  int rc = app_assess_steps(&r->ctx, &q, &rows, &n, &e);
  json_list_answer(r, rc, &e, rows, n, sizeof *rows, aa_step_json, n, 0, 1, n);
}

/* ---- .xlsx ------------------------------------------------------------------------- */

void export_assessment(Req *r, const AssessQuery *q) {
  Err e;
  AssessTable t;
  if (assess_table_get(r, q, &t, false, &e) != ERR_OK) return;
  /* the columns: the first set's items (a unit under another set shows its
   * own items in the 未达标项 column) */
  XlsxCol cols[XLSX_COLS_MAX];
  int nc = 0;
  cols[nc++] = (XlsxCol){"名次", XLSX_INT, 6};
  cols[nc++] = (XlsxCol){"街道（乡镇）", XLSX_TEXT, 16};
  cols[nc++] = (XlsxCol){"单位编码", XLSX_TEXT, 14};
  cols[nc++] = (XlsxCol){"单位", XLSX_TEXT, 18};
  bool places = assess_scheme_places(t.scheme);
  if (places) {
    cols[nc++] = (XlsxCol){"场所或单位", XLSX_TEXT, 24};
    cols[nc++] = (XlsxCol){"类别", XLSX_TEXT, 10};
  }
  cols[nc++] = (XlsxCol){"考核结果", XLSX_TEXT, 10};
  cols[nc++] = (XlsxCol){"得分", XLSX_INT, 8};
  cols[nc++] = (XlsxCol){"可评分满分", XLSX_INT, 10};
  cols[nc++] = (XlsxCol){"得分率", XLSX_PERCENT, 10};
  cols[nc++] = (XlsxCol){"申报状态", XLSX_TEXT, 18};
  cols[nc++] = (XlsxCol){"未达标项", XLSX_TEXT, 40};
  const AssessCriteria *k0 = t.ncrit ? &t.crit[0] : NULL;
  int first_item = nc;
  for (int i = 0; k0 && i < k0->nitems && nc < XLSX_COLS_MAX; i++) cols[nc++] = (XlsxCol){k0->items[i].label, XLSX_TEXT, 16};
  Buf title = BUF_INIT, name = BUF_INIT, cell = BUF_INIT;
  buf_printf(&title, "%s考核 · %s · %d年度", assess_scheme_title_zh(t.scheme), t.unit.name, t.year);
  Xlsx *x;
  if (xlsx_begin(&x, "考核", buf_str(&title), cols, nc, &e) != ERR_OK) {
    resp_error(r, &e);
  } else {
    static const char *const RESULT_ZH[] = {"合格", "不合格", "待定"};
    for (int o = 0; o < t.n; o++) {
      const AssessSheet *s = &t.sheets[t.order[o]];
      const AssessCriteria *k = &t.crit[s->crit];
      xlsx_row(x);
      xlsx_int(x, true, s->rank);
      xlsx_text(x, s->street_name);
      xlsx_text(x, s->unit.code);
      xlsx_text(x, s->unit.name);
      if (places) {
        xlsx_text(x, s->place_name);
        xlsx_text(x, unit_term_label(place_kind_vocab, s->place_kind));
      }
      xlsx_text(x, RESULT_ZH[s->score.result]);
      xlsx_int(x, true, s->score.score);
      xlsx_int(x, true, s->score.max);
      xlsx_num(x, s->score.percent_tenths >= 0, (double)s->score.percent_tenths / 1000.0);
      xlsx_text(x, assess_state_name_zh(s->state));
      buf_clear(&cell);
      for (int i = 0; i < k->nitems; i++)
        if (s->items[i].v == AV_UNMET) buf_printf(&cell, "%s%s", cell.len ? "；" : "", k->items[i].label);
      xlsx_text(x, buf_str(&cell));
      for (int i = 0; k0 && i < k0->nitems && first_item + i < nc; i++) {
        int j = -1;
        for (int m = 0; m < k->nitems && j < 0; m++)
          if (strcmp(k->items[m].key, k0->items[i].key) == 0) j = m;
        buf_clear(&cell);
        if (j < 0) buf_puts(&cell, "—");
        else if (s->items[j].v == AV_MISSING) buf_puts(&cell, "未接入");
        else if (s->items[j].v == AV_PENDING) buf_puts(&cell, "待签核");
        else {
          buf_puts(&cell, s->items[j].v == AV_MET ? "达标" : "未达标");
          if (k->items[j].kind != AK_MANUAL) {
            buf_puts(&cell, " ");
            assess_value_text(&cell, &k->items[j], &s->items[j]);
          }
        }
        xlsx_text(x, buf_str(&cell));
      }
    }
    buf_printf(&name, "%s考核-%s-%d.xlsx", assess_scheme_title_zh(t.scheme), t.unit.code, t.year);
    xlsx_send(r, x, buf_str(&name));
  }
  app_assess_table_free(&t);
  buf_reset(&title);
  buf_reset(&name);
  buf_reset(&cell);
}
