/* web/api_dataset.c: the JSON API of unit figures by period (API.md
 * "Prevention and unit work": /api/v1/datasets/{name}/{org}/{period}):
 * the definitions, reading a unit's figures for a period (or the sums
 * over the units below and the periods inside), entering them (PUT),
 * submitting (locks) and unlocking (the office above, with a reason). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dataset.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

#define AD_SEG 65 /* a {code} of the path (1-64 characters) with its NUL */

/* The name, unit and period of /api/v1/datasets/NAME/ORG/PERIOD[/...]
 * (the route has matched, so the three are there). */
static void ad_segments(const Req *r, char name[AD_SEG], char org[AD_SEG], char period[AD_SEG]) {
  const char *s = r->path + strlen("/api/v1/datasets/");
  char *out[3] = {name, org, period};
  for (int i = 0; i < 3; i++) {
    size_t n = strcspn(s, "/");
    snprintf(out[i], AD_SEG, "%.*s", (int)(n < AD_SEG ? n : AD_SEG - 1), s);
    s += n + (s[n] == '/');
  }
}

/* Writes the values of def (has/vals) as an object by field code, null
 * for a field without one. */
static void ad_values(JsonW *w, const DatasetDef *def, const bool *has, const int64_t *vals) {
  jw_obj_begin(w);
  for (int f = 0; f < def->nfields; f++) {
    jw_key(w, def->fields[f].code);
    jw_int_or_null(w, has[f], (long long)vals[f]);
  }
  jw_obj_end(w);
}

/* Writes the definition of a set (its fields included) as members of the
 * open object. */
static void ad_def_members(JsonW *w, const DatasetDef *d) {
  jw_key_str(w, "dataset", d->name);
  jw_key_str(w, "title", d->title);
  jw_key_str(w, "period_type", period_type_code(d->period_type));
  jw_key_str(w, "level", d->level);
  jw_key_int(w, "due_days", d->due_days);
  jw_key_str(w, "aggregation", d->agg_last ? "last" : "sum");
  jw_key(w, "fields");
  jw_arr_begin(w);
  for (int f = 0; f < d->nfields; f++) {
    jw_obj_begin(w);
    jw_key_str(w, "code", d->fields[f].code);
    jw_key_str(w, "label", d->fields[f].label);
    jw_key_str_or_null(w, "max_field", d->fields[f].max_field);
    jw_obj_end(w);
  }
  jw_arr_end(w);
}

/* GET /api/v1/datasets → {"items":[{"dataset","title","period_type",
 * "level","due_days","aggregation","fields":[{"code","label",
 * "max_field"}]}],"total","page","per_page"}. */
void api_dataset_defs(Req *r) {
  DatasetDef *defs = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_dataset_defs(&r->ctx, &defs, &n, &e) != ERR_OK) {
    free(defs);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < n; i++) {
    jw_obj_begin(&w);
    ad_def_members(&w, &defs[i]);
    jw_obj_end(&w);
  }
  jw_list_end(&w, n, 0, 1, n > 0 ? n : 1);
  free(defs);
  json_end(r, &w, 200);
}

/* Answers the figures of the request's (set, unit, period) with status;
 * with their history when history. */
static void ad_show(Req *r, int status, bool history) {
  char name[AD_SEG], org[AD_SEG], period[AD_SEG];
  ad_segments(r, name, org, period);
  DatasetView v;
  Err e;
  err_clear(&e);
  if (app_dataset_get(&r->ctx, name, org, period, &v, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    export_dataset(r, &v);
    dataset_view_free(&v);
    return;
  }
  DatasetHistRow *hist = NULL;
  int nh = 0;
  if (history && app_dataset_history(&r->ctx, name, org, period, &hist, &nh, &e) != ERR_OK) {
    dataset_view_free(&v);
    resp_error(r, &e);
    return;
  }
  char label[PERIOD_LABEL_LEN], due[DATE_ISO_LEN];
  period_label(v.period, strcmp(r->lang, "en") == 0, label, sizeof label);
  date_format(v.due, due);
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  ad_def_members(&w, &v.def);
  jw_key_str(&w, "org", v.org.code);
  jw_key_str(&w, "org_name", v.org.name);
  jw_key_str(&w, "period", v.period_text);
  jw_key_str(&w, "period_label", label);
  jw_key_str(&w, "due_date", due);
  jw_key_bool(&w, "entry", v.entry);
  jw_key(&w, "values");
  ad_values(&w, &v.def, v.has, v.vals);
  if (v.entry) {
    jw_key_str(&w, "state", ds_state_code(v.state));
    jw_key_str_or_null(&w, "changed_at", v.changed_at);
    jw_key_str_or_null(&w, "changed_by", v.changed_by);
    jw_key_bool(&w, "may_edit", v.may_edit);
    jw_key_bool(&w, "may_unlock", v.may_unlock);
  } else {
    jw_key_int(&w, "units_total", v.nunits);
    jw_key_int(&w, "units_reported", v.units_reported);
    jw_key_int(&w, "units_submitted", v.units_submitted);
    jw_key(&w, "units");
    jw_arr_begin(&w);
    for (int k = 0; k < v.nunits; k++) {
      const DatasetUnitView *u = &v.units[k];
      jw_obj_begin(&w);
      jw_key_str(&w, "org", u->org_code);
      jw_key_str(&w, "org_name", u->org_name);
      jw_key_int(&w, "periods", u->periods);
      jw_key_int(&w, "periods_submitted", u->periods_submitted);
      jw_key(&w, "values");
      ad_values(&w, &v.def, u->has, u->vals);
      jw_obj_end(&w);
    }
    jw_arr_end(&w);
  }
  if (history) {
    jw_key(&w, "history");
    jw_arr_begin(&w);
    for (int i = 0; i < nh; i++) {
      jw_obj_begin(&w);
      jw_key_str(&w, "action", hist[i].action);
      jw_key_str_or_null(&w, "field", hist[i].field);
      jw_key(&w, "value");
      jw_int_or_null(&w, hist[i].has, (long long)hist[i].value);
      jw_key_str_or_null(&w, "reason", hist[i].reason);
      jw_key_str(&w, "by", hist[i].by);
      jw_key_str(&w, "at", hist[i].at);
      jw_obj_end(&w);
    }
    jw_arr_end(&w);
  }
  jw_obj_end(&w);
  free(hist);
  dataset_view_free(&v);
  json_end(r, &w, status);
}

/* GET /api/v1/datasets/{name}/{org}/{period}[?history=1] → the figures:
 * {"dataset","title","period_type","level","due_days","aggregation",
 * "fields","org","org_name","period","period_label","due_date","entry",
 * "values":{code: n|null}, entry: "state","changed_at","changed_by",
 * "may_edit","may_unlock"; aggregate: "units_total","units_reported",
 * "units_submitted","units":[{"org","org_name","periods",
 * "periods_submitted","values"}]; "history" with history=1};
 * ?format=xlsx: the table. */
void api_dataset_get(Req *r) {
  const char *h = req_query(r, "history");
  ad_show(r, 200, h && strcmp(h, "1") == 0);
}

/* Renames the field errors of e that name a field of the set (or an
 * unknown member of "values") to "values.CODE" (kept by r). */
static void ad_value_fields(Req *r, Err *e) {
  for (int i = 0; i < e->nfields; i++) {
    const char *f = e->fields[i].field;
    if (!f || strcmp(f, "org") == 0 || strcmp(f, "period") == 0 || strcmp(f, "values") == 0 ||
        strncmp(f, "values.", 7) == 0)
      continue;
    Buf b = BUF_INIT;
    buf_printf(&b, "values.%s", f);
    e->fields[i].field = req_keep(r, buf_detach(&b));
  }
}

/* PUT /api/v1/datasets/{name}/{org}/{period} {"values":{code: n|null}}:
 * enters the values given (null clears one; others keep theirs) → 200 with
 * the figures. 400 for a negative or non-integer count, a field the set
 * does not have, a value above its limit field, a unit or period that does
 * not enter the set; 403 without the right; 409 when submitted (locked). */
void api_dataset_put(Req *r) {
  static const char *const keys[] = {"values", NULL};
  json_t *body = json_body_only(r, keys);
  if (!body) return;
  Err e;
  err_clear(&e);
  DatasetInput in;
  memset(&in, 0, sizeof in);
  json_t *values = json_object_get(body, "values");
  if (!values) err_field(&e, "values", "此项必填");
  else if (!json_is_object(values)) err_field(&e, "values", "应为对象");
  else {
    const char *key;
    json_t *val;
    json_object_foreach(values, key, val) {
      if (in.n >= (int)(sizeof in.items / sizeof in.items[0])) {
        err_field(&e, "values", "包含未知字段");
        break;
      }
      if (json_is_null(val)) in.items[in.n].has = false;
      else if (json_is_integer(val)) {
        in.items[in.n].has = true;
        in.items[in.n].value = (int64_t)json_integer_value(val);
      } else {
        err_field(&e, key, "应为整数");
        continue;
      }
      in.items[in.n++].code = key;
    }
  }
  char name[AD_SEG], org[AD_SEG], period[AD_SEG];
  ad_segments(r, name, org, period);
  DatasetNames names;
  if (e.code == ERR_OK || e.code == ERR_INVALID) app_dataset_put(&r->ctx, name, org, period, &in, false, &names, &e);
  ad_value_fields(r, &e); /* the names pointing into body are copied: body may go */
  json_decref(body);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  ad_show(r, 200, false);
}

/* POST /api/v1/datasets/{name}/{org}/{period}/submit → 200 with the
 * figures, now submitted (locked). 400 when a field has no value (each
 * named "values.CODE"); 409 when already submitted. */
void api_dataset_submit(Req *r) {
  char name[AD_SEG], org[AD_SEG], period[AD_SEG];
  ad_segments(r, name, org, period);
  Err e;
  err_clear(&e);
  if (!json_body_none(r)) return;
  DatasetNames names;
  if (app_dataset_submit(&r->ctx, name, org, period, &names, &e) != ERR_OK) {
    ad_value_fields(r, &e);
    resp_error(r, &e);
    return;
  }
  ad_show(r, 200, false);
}

/* POST /api/v1/datasets/{name}/{org}/{period}/unlock {"reason"} → 200 with
 * the figures, open again. 403 unless the office above; 400 without a
 * reason; 409 when not submitted. */
void api_dataset_unlock(Req *r) {
  DatasetUnlockInput in = {NULL};
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (body) {
    bind_json(r, body, &dataset_unlock_record, NULL, &in, &e);
    if (e.code == ERR_OK) {
      char name[AD_SEG], org[AD_SEG], period[AD_SEG];
      ad_segments(r, name, org, period);
      app_dataset_unlock(&r->ctx, name, org, period, in.reason, &e);
    }
  }
  if (e.code != ERR_OK) resp_error(r, &e);
  json_decref(body);
  if (e.code == ERR_OK) ad_show(r, 200, false);
}
