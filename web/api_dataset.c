/* web/api_dataset.c: the JSON API of unit figures by period (API.md
 * "Prevention and unit work": /api/v1/datasets/{name}/{org}/{period}):
 * the definitions, reading a unit's figures for a period (or the sums
 * over the units below and the periods inside), entering them (PUT),
 * submitting (locks) and unlocking (the office above, with a reason). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dataset.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/export_unit.h"
#include "web/json.h"
#include "web/routes.h"
#include "web/xlsx.h"

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

/* A field of a set's definition. */
static const JwField ad_field_fields[] = {
  JW_AT(DatasetField, code, JF_STR), JW_AT(DatasetField, label, JF_STR), JW_AT(DatasetField, max_field, JF_STR_NULL),
  {0}};

/* Writes the definition of a set (its fields included) as members of the
 * open object. */
static void ad_def_members(JsonW *w, const DatasetDef *d) {
  jw_key_str(w, "dataset", d->name);
  jw_key_str(w, "title", d->title);
  jw_key_str(w, "period_type", period_type_code(d->period_type));
  jw_key_str(w, "level", d->level);
  jw_key_int(w, "due_days", d->due_days);
  jw_key_str(w, "aggregation", d->agg_last ? "last" : "sum");
  jw_key_records(w, "fields", d->fields, d->nfields, sizeof d->fields[0], ad_field_fields);
}

/* Writes the definition of a set as a JSON object (a JwItem). */
static void ad_def_json(JsonW *w, const void *def) {
  jw_obj_begin(w);
  ad_def_members(w, def);
  jw_obj_end(w);
}

static int ad_defs(Ctx *c, void *defs, int *n, Err *e) { return app_dataset_defs(c, defs, n, e); }

/* GET /api/v1/datasets → {"items":[{"dataset","title","period_type",
 * "level","due_days","aggregation","fields":[{"code","label",
 * "max_field"}]}],"total","page","per_page"}. */
void api_dataset_defs(Req *r) { json_list_fetch_all(r, ad_defs, sizeof(DatasetDef), ad_def_json); }

/* A unit of an aggregate, before its values. */
static const JwField ad_unit_fields[] = {
  JW_AS("org", DatasetUnitView, org_code, JF_STR), JW_AT(DatasetUnitView, org_name, JF_STR),
  JW_AT(DatasetUnitView, periods, JF_INT), JW_AT(DatasetUnitView, periods_submitted, JF_INT), {0}};

/* Writes the members of the figures of view v. */
static void ad_json(JsonW *w, const Req *r, const void *view) {
  const DatasetView *v = view;
  char label[PERIOD_LABEL_LEN], due[DATE_ISO_LEN];
  period_label(v->period, strcmp(r->lang, "en") == 0, label, sizeof label);
  date_format(v->due, due);
  ad_def_members(w, &v->def);
  jw_key_str(w, "org", v->org.code);
  jw_key_str(w, "org_name", v->org.name);
  jw_key_str(w, "period", v->period_text);
  jw_key_str(w, "period_label", label);
  jw_key_str(w, "due_date", due);
  jw_key_bool(w, "entry", v->entry);
  jw_key(w, "values");
  ad_values(w, &v->def, v->has, v->vals);
  if (v->entry) {
    jw_key_str(w, "state", ds_state_code(v->state));
    jw_key_str_or_null(w, "changed_at", v->changed_at);
    jw_key_str_or_null(w, "changed_by", v->changed_by);
    jw_key_bool(w, "may_edit", v->may_edit);
    jw_key_bool(w, "may_unlock", v->may_unlock);
  } else {
    jw_key_int(w, "units_total", v->nunits);
    jw_key_int(w, "units_reported", v->units_reported);
    jw_key_int(w, "units_submitted", v->units_submitted);
    jw_key(w, "units");
    jw_arr_begin(w);
    for (int k = 0; k < v->nunits; k++) {
      const DatasetUnitView *u = &v->units[k];
      jw_obj_begin(w);
      jw_fields(w, ad_unit_fields, u);
      jw_key(w, "values");
      ad_values(w, &v->def, u->has, u->vals);
      jw_obj_end(w);
    }
    jw_arr_end(w);
  }
}

/* A history row's value: null when cleared (or not a value's row). */
static void ad_hist_value(JsonW *w, const void *row) {
  const DatasetHistRow *h = row;
  jw_int_or_null(w, h->has, (long long)h->value);
}

/* A history row. */
static const JwField ad_hist_fields[] = {
  JW_AT(DatasetHistRow, action, JF_STR), JW_AT(DatasetHistRow, field, JF_STR_NULL), JW_FN("value", ad_hist_value),
  JW_AT(DatasetHistRow, reason, JF_STR_NULL), JW_AT(DatasetHistRow, by, JF_STR), JW_AT(DatasetHistRow, at, JF_STR),
  {0}};
static void ad_hist_json(JsonW *w, const void *row) { jw_record(w, ad_hist_fields, row); }

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

static int ad_get(Ctx *c, char (*seg)[AU_SEG], void *view, Err *e) {
  return app_dataset_get(c, seg[0], seg[1], seg[2], view, e);
}
static int ad_history(Ctx *c, char (*seg)[AU_SEG], void *rows, int *n, Err *e) {
  return app_dataset_history(c, seg[0], seg[1], seg[2], rows, n, e);
}
static void ad_view_free(void *view) { dataset_view_free(view); }
static void ad_hist_free(void *rows, int n) {
  (void)n;
  free(rows);
}
static void ad_xlsx(Req *r, const void *view) { export_dataset(r, view); }

/* Submits the path's period; a refusal's field errors name "values.CODE"
 * (renamed while names, which they point into, is alive). */
static int ad_submit(Req *r, char (*seg)[AU_SEG], Err *e) {
  DatasetNames names;
  int rc = app_dataset_submit(&r->ctx, seg[0], seg[1], seg[2], &names, e);
  if (rc != ERR_OK) ad_value_fields(r, e);
  return rc;
}
static int ad_unlock(Ctx *c, char (*seg)[AU_SEG], const char *reason, Err *e) {
  return app_dataset_unlock(c, seg[0], seg[1], seg[2], reason, e);
}

/* Enters the "values" of body into the path's figures; field errors name
 * "values.CODE" (kept by r). */
static void ad_put(Req *r, char (*seg)[AU_SEG], json_t *body, Err *e) {
  DatasetInput in;
  memset(&in, 0, sizeof in);
  json_t *values = json_object_get(body, "values");
  if (!values) err_field(e, "values", "此项必填");
  else if (!json_is_object(values)) err_field(e, "values", "应为对象");
  else {
    const char *key;
    json_t *val;
    json_object_foreach(values, key, val) {
      if (in.n >= (int)(sizeof in.items / sizeof in.items[0])) {
        err_field(e, "values", "包含未知字段");
        break;
      }
      if (json_is_null(val)) in.items[in.n].has = false;
      else if (json_is_integer(val)) {
        in.items[in.n].has = true;
        in.items[in.n].value = (int64_t)json_integer_value(val);
      } else {
        err_field(e, key, "应为整数");
        continue;
      }
      in.items[in.n++].code = key;
    }
  }
  DatasetNames names;
  if (e->code == ERR_OK || e->code == ERR_INVALID)
    app_dataset_put(&r->ctx, seg[0], seg[1], seg[2], &in, false, &names, e);
  ad_value_fields(r, e); /* the names pointing into body are copied: body may go */
}
static const char *const ad_put_keys[] = {"values", NULL};

static const AuPeriodKind ad_kind = {
  .prefix = "/api/v1/datasets/", .size = sizeof(DatasetView), .get = ad_get, .view_free = ad_view_free,
  .xlsx = ad_xlsx, .history = ad_history, .hist_free = ad_hist_free, .hsize = sizeof(DatasetHistRow),
  .hist_json = ad_hist_json, .json = ad_json, .submit = ad_submit,
  .unlock = ad_unlock, .unlock_spec = &dataset_unlock_record, .unlock_size = sizeof(DatasetUnlockInput),
  .put_keys = ad_put_keys, .put = ad_put};

/* GET /api/v1/datasets/{name}/{org}/{period}[?history=1] → the figures:
 * {"dataset","title","period_type","level","due_days","aggregation",
 * "fields","org","org_name","period","period_label","due_date","entry",
 * "values":{code: n|null}, entry: "state","changed_at","changed_by",
 * "may_edit","may_unlock"; aggregate: "units_total","units_reported",
 * "units_submitted","units":[{"org","org_name","periods",
 * "periods_submitted","values"}]; "history" with history=1};
 * ?format=xlsx: the table. */
void api_dataset_get(Req *r) { au_period_show(r, &ad_kind, 200, au_history_wanted(r)); }

/* PUT /api/v1/datasets/{name}/{org}/{period} {"values":{code: n|null}}:
 * enters the values given (null clears one; others keep theirs) → 200 with
 * the figures. 400 for a negative or non-integer count, a field the set
 * does not have, a value above its limit field, a unit or period that does
 * not enter the set; 403 without the right; 409 when submitted (locked). */
void api_dataset_put(Req *r) { au_period_put(r, &ad_kind); }

/* POST /api/v1/datasets/{name}/{org}/{period}/submit → 200 with the
 * figures, now submitted (locked). 400 when a field has no value (each
 * named "values.CODE"); 409 when already submitted. */
void api_dataset_submit(Req *r) { au_period_submit(r, &ad_kind); }

/* POST .../unlock {"reason"} → 200 with it, open again. 403 unless the
 * office above; 400 without a reason; 409 when not submitted. */
void api_dataset_unlock(Req *r) { au_period_unlock(r, &ad_kind); }
