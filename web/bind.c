/* web/bind.c: the form and JSON binders and the form control of a field
 * (see bind.h). */
#include "web/bind.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "web/html.h"
#include "web/json.h"

#define M_NOT_INT "应为整数"
#define M_NOT_STR "应为字符串"
#define M_NOT_BOOL "应为布尔值（true 或 false）"
#define M_NOT_ARRAY "应为字符串数组"
#define M_NOT_OBJECT "应为对象"
#define M_GROUP_UNKNOWN "包含未知字段"

/* The name of f in JSON: json, else key. */
static const char *bind_json_name(const FieldSpec *f) { return f->json ? f->json : f->key; }

/* Parses text as a whole integer into *out. */
static bool bind_int(const char *text, int64_t *out) {
  char *end;
  long long v = strtoll(text, &end, 10);
  if (end == text || *end) return false;
  *out = v;
  return true;
}

int bind_form(Req *r, const RecordSpec *spec, void *out, Err *e) {
  for (int i = 0; i < spec->n; i++) {
    const FieldSpec *f = &spec->fields[i];
    const char *v = req_form(r, f->key);
    switch (f->kind) {
    case FK_INT: {
      int64_t n = 0;
      if (v && *v && !bind_int(v, &n)) err_field(e, f->key, M_NOT_INT);
      field_set_int(f, out, n);
      break;
    }
    case FK_BOOL: field_set_text(f, out, v && *v ? v : "0"); break;
    case FK_ENUM_SET: {
      const char *vals[REQ_MAX_PARAMS];
      int n = req_form_all(r, f->key, vals, REQ_MAX_PARAMS);
      Buf b = BUF_INIT;
      for (int k = 0; k < n; k++) {
        if (k) buf_putc(&b, ',');
        buf_puts(&b, vals[k]);
      }
      field_set_text(f, out, req_keep(r, buf_detach(&b)));
      break;
    }
    default: field_set_text(f, out, v); break;
    }
  }
  return e->code;
}

/* Reads the JSON value v (not NULL) of field f into out. */
static void bind_json_value(Req *r, const FieldSpec *f, json_t *v, void *out, Err *e) {
  const char *name = bind_json_name(f);
  switch (f->kind) {
  case FK_INT:
    if (json_is_null(v)) field_set_int(f, out, 0);
    else if (json_is_integer(v)) field_set_int(f, out, (int64_t)json_integer_value(v));
    else err_field(e, name, M_NOT_INT);
    return;
  case FK_BOOL:
    if (json_is_null(v)) field_set_text(f, out, "0");
    else if (json_is_boolean(v)) field_set_text(f, out, json_is_true(v) ? "1" : "0");
    else err_field(e, name, M_NOT_BOOL);
    return;
  case FK_ENUM_SET: {
    if (json_is_null(v)) {
      field_set_text(f, out, "");
      return;
    }
    if (!json_is_array(v)) {
      err_field(e, name, M_NOT_ARRAY);
      return;
    }
    Buf b = BUF_INIT;
    size_t k;
    json_t *item;
    json_array_foreach(v, k, item) {
      if (!json_is_string(item)) {
        err_field(e, name, M_NOT_ARRAY);
        buf_reset(&b);
        return;
      }
      if (k) buf_putc(&b, ',');
      buf_puts(&b, json_string_value(item));
    }
    field_set_text(f, out, req_keep(r, buf_detach(&b)));
    return;
  }
  default:
    if (json_is_null(v)) field_set_text(f, out, "");
    else if (json_is_string(v)) field_set_text(f, out, json_string_value(v));
    else err_field(e, name, M_NOT_STR);
    return;
  }
}

/* The length of the group part of a JSON name "group.key" (0: none). */
static size_t bind_group_len(const char *name) {
  const char *dot = strchr(name, '.');
  return dot ? (size_t)(dot - name) : 0;
}

/* true when the top-level name (n bytes at name) is already in list[0..k). */
static bool bind_listed(const char **list, int k, const char *name, size_t n) {
  for (int i = 0; i < k; i++)
    if (strlen(list[i]) == n && strncmp(list[i], name, n) == 0) return true;
  return false;
}

int bind_json(Req *r, json_t *obj, const RecordSpec *spec, const char *const *extra, void *out, Err *e) {
  /* the keys the object may hold: the fields' top-level names and extra */
  enum { BIND_KEYS_MAX = 64 };
  const char *allowed[BIND_KEYS_MAX + 1];
  char groups[BIND_KEYS_MAX][32];
  int k = 0;
  for (int i = 0; i < spec->n; i++) {
    const char *name = bind_json_name(&spec->fields[i]);
    size_t g = bind_group_len(name);
    size_t n = g ? g : strlen(name);
    if (bind_listed(allowed, k, name, n)) continue;
    assert(k < BIND_KEYS_MAX && n < sizeof groups[0]);
    if (g) {
      memcpy(groups[k], name, g);
      groups[k][g] = 0;
      allowed[k] = groups[k];
    } else {
      allowed[k] = name;
    }
    k++;
  }
  for (; extra && *extra; extra++) {
    assert(k < BIND_KEYS_MAX);
    allowed[k++] = *extra;
  }
  allowed[k] = NULL;
  if (json_only_keys(obj, allowed, e) != ERR_OK) return e->code;

  for (int i = 0; i < spec->n; i++) {
    const FieldSpec *f = &spec->fields[i];
    const char *name = bind_json_name(f);
    size_t g = bind_group_len(name);
    if (!g) {
      json_t *v = json_object_get(obj, name);
      if (v) bind_json_value(r, f, v, out, e);
      continue;
    }
    char group[32];
    memcpy(group, name, g);
    group[g] = 0;
    json_t *o = json_object_get(obj, group);
    if (!o) continue;
    if (json_is_null(o)) { /* null clears every member */
      bind_json_value(r, f, o, out, e);
      continue;
    }
    /* the group's name as obj holds it (the error's field name lives as long as obj) */
    const char *gname = json_object_iter_key(json_object_iter_at(obj, group));
    if (!json_is_object(o)) {
      err_field(e, gname, M_NOT_OBJECT);
      continue;
    }
    /* unknown members of the group (checked at its first field) */
    bool first = true;
    for (int j = 0; j < i && first; j++) {
      const char *other = bind_json_name(&spec->fields[j]);
      first = !(bind_group_len(other) == g && strncmp(other, name, g) == 0);
    }
    const char *key;
    json_t *val;
    if (first) json_object_foreach(o, key, val) {
        (void)val;
        bool known = false;
        for (int j = 0; j < spec->n && !known; j++) {
          const char *other = bind_json_name(&spec->fields[j]);
          known = bind_group_len(other) == g && strncmp(other, name, g) == 0 && strcmp(other + g + 1, key) == 0;
        }
        if (!known) err_field(e, gname, M_GROUP_UNKNOWN);
      }
    json_t *v = json_object_get(o, name + g + 1);
    if (v) bind_json_value(r, f, v, out, e);
  }
  return e->code;
}

void bind_json_fail(Req *r, const RecordSpec *spec, Err *e) {
  for (int i = 0; i < e->nfields; i++) e->fields[i].field = field_json_name(spec, e->fields[i].field);
  resp_error(r, e);
}

bool bind_json_act(Req *r, const RecordSpec *spec, const char *const *extra, void *in, BindActFn act, int64_t *id) {
  Err e;
  err_clear(&e);
  *id = 0;
  json_t *body = json_body(r, &e);
  if (body) {
    bind_json(r, body, spec, extra, in, &e);
    act(r, body, in, id, &e);
  }
  if (e.code != ERR_OK) bind_json_fail(r, spec, &e); /* a field name may point into body: answered first */
  json_decref(body);
  return e.code == ERR_OK;
}

const FieldSpec *bind_field(const RecordSpec *spec, const char *key) {
  const FieldSpec *f = field_by_key(spec, key);
  assert(f && "bind_field: no such field in the table");
  return f;
}

void bind_form_control(Req *r, const FieldSpec *f, const char *value, const char *err) {
  int maxlen = f->max > 0 && f->max < 100000 ? (int)f->max : 0;
  switch (f->kind) {
  case FK_LONG: form_textarea(r, f->key, f->label_zh, value, err, maxlen); break;
  case FK_DATE: form_input(r, "date", f->key, f->label_zh, value, err, f->required, 0); break;
  case FK_PHONE: form_input(r, "tel", f->key, f->label_zh, value, err, f->required, maxlen); break;
  case FK_INT: {
    /* the digits of the bound (a number input ignores maxlength; the message names the range) */
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)f->max);
    form_input(r, "number", f->key, f->label_zh, value, err, f->required, f->max < 100000 ? n : 0);
    break;
  }
  default: form_input(r, "text", f->key, f->label_zh, value, err, f->required, maxlen); break;
  }
}
