/* web/api_person.c: the JSON API of the case file (/api/v1/persons...): list
 * and search, create, read the whole file, change given fields (optimistic
 * locking by "version"), and start a status episode. Reads request bodies
 * strictly (an object, known keys only, read-only keys refused by name, the
 * right type for every value) and converts them into app/person.h inputs;
 * writes a Person or a PersonSummary as JSON by walking the field table;
 * sets the responsible social worker (PUT .../worker). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/person.h"
#include "store/person.h"
#include "core/status.h"
#include "web/json.h"
#include "web/routes.h"

/* ---- field names ----------------------------------------------------- */

/* The JSON name of every field ("name", "five_knowns.basics"), built once
 * from the field table; static, so error field names may point here. */
static char api_names[PF__COUNT][64];
static pthread_once_t api_names_once = PTHREAD_ONCE_INIT;

static void api_names_build(void) {
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    if (f->json_group) snprintf(api_names[i], sizeof api_names[i], "%s.%s", f->json_group, f->json_key);
    else snprintf(api_names[i], sizeof api_names[i], "%s", f->json_key);
  }
}

/* The JSON name of field i. */
static const char *api_field_name(int i) {
  pthread_once(&api_names_once, api_names_build);
  return api_names[i];
}

/* Answers e, with the field keys of app/ errors ("fk_basics") renamed to
 * their JSON names ("five_knowns.basics"). */
static void api_fail(Req *r, Err *e) {
  for (int k = 0; k < e->nfields; k++) {
    const PersonField *f = person_field_by_key(e->fields[k].field);
    if (f) e->fields[k].field = api_field_name((int)f->id);
  }
  resp_error(r, e);
}

/* ---- writing --------------------------------------------------------- */

/* Writes one field value: drug codes as an array, flags as booleans,
 * empty dates as null, everything else as a string. */
static void api_field_value(JsonW *w, const PersonField *f, const char *v) {
  v = v ? v : "";
  switch (f->kind) {
  case PFK_DRUGS:
    jw_arr_begin(w);
    for (const char *p = v; *p;) {
      const char *q = strchr(p, ',');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      if (n) jw_strn(w, p, n);
      if (!q) break;
      p = q + 1;
    }
    jw_arr_end(w);
    break;
  case PFK_FLAG: jw_bool(w, strcmp(v, "1") == 0); break;
  case PFK_DATE: jw_str_or_null(w, v); break;
  default: jw_str(w, v); break;
  }
}

/* Writes the whole case file p as a JSON object. */
static void api_person_json(JsonW *w, const Person *p) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)p->id);
  jw_key_int(w, "version", (long long)p->version);
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    if (f->json_group) continue;
    jw_key(w, f->json_key);
    api_field_value(w, f, p->f[i]);
  }
  /* grouped fields, each group once, in table order */
  for (int i = 0; i < PF__COUNT; i++) {
    const char *g = person_fields[i].json_group;
    if (!g) continue;
    bool seen = false;
    for (int j = 0; j < i && !seen; j++) seen = person_fields[j].json_group && strcmp(person_fields[j].json_group, g) == 0;
    if (seen) continue;
    jw_key(w, g);
    jw_obj_begin(w);
    for (int j = i; j < PF__COUNT; j++) {
      const PersonField *f = &person_fields[j];
      if (!f->json_group || strcmp(f->json_group, g) != 0) continue;
      jw_key(w, f->json_key);
      api_field_value(w, f, p->f[j]);
    }
    jw_obj_end(w);
  }
  jw_key(w, "help_team");
  jw_arr_begin(w);
  for (int i = 0; i < p->nteam; i++) {
    jw_obj_begin(w);
    jw_key_str(w, "role", p->team[i].role);
    jw_key_str(w, "name", p->team[i].name);
    jw_key_str(w, "phone", p->team[i].phone);
    jw_obj_end(w);
  }
  jw_arr_end(w);
  jw_key(w, "documents");
  jw_arr_begin(w);
  for (int i = 0; i < p->ndocs; i++) {
    jw_obj_begin(w);
    jw_key_str(w, "kind", p->docs[i].kind);
    jw_key_str_or_null(w, "signed_date", p->docs[i].signed_date);
    jw_key_str(w, "number", p->docs[i].number);
    jw_obj_end(w);
  }
  jw_arr_end(w);
  jw_key_str_or_null(w, "status", p->status);
  jw_key_str_or_null(w, "status_since", p->status_since);
  jw_key_str(w, "control", p->control);
  jw_key_str_or_null(w, "risk_level", p->risk_level);
  jw_key_str_or_null(w, "next_talk_due", p->next_talk_due);
  jw_key_str_or_null(w, "next_test_due", p->next_test_due);
  jw_key_str(w, "org", p->org_code);
  jw_key_str(w, "org_name", p->org_name);
  jw_key_str_or_null(w, "worker", p->worker);
  jw_key_str_or_null(w, "worker_name", p->worker_name);
  jw_key(w, "status_history");
  jw_arr_begin(w);
  for (int i = 0; i < p->nepisodes; i++) {
    const Episode *ep = &p->episodes[i];
    jw_obj_begin(w);
    jw_key_int(w, "id", (long long)ep->id);
    jw_key_str(w, "status", ep->status);
    jw_key_str_or_null(w, "decision_date", ep->decision_date);
    jw_key_str_or_null(w, "start_date", ep->start_date);
    jw_key_str(w, "decision_no", ep->decision_no);
    jw_key_str_or_null(w, "planned_end", ep->planned_end);
    jw_key_str(w, "note", ep->note);
    jw_key(w, "corrects_id");
    jw_int_or_null(w, ep->corrects_id > 0, (long long)ep->corrects_id);
    jw_key_bool(w, "voided", ep->voided);
    jw_key_str_or_null(w, "created_at", ep->created_at);
    jw_key_str_or_null(w, "created_by", ep->created_by);
    jw_obj_end(w);
  }
  jw_arr_end(w);
  jw_key_str_or_null(w, "created_at", p->created_at);
  jw_key_str_or_null(w, "updated_at", p->updated_at);
  jw_obj_end(w);
}

/* Writes one list row as a JSON object (the ID number comes masked). */
static void api_summary_json(JsonW *w, const PersonSummary *s) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)s->id);
  jw_key_str(w, "name", s->name);
  jw_key_str(w, "sex", s->sex);
  jw_key_str(w, "id_number", s->id_masked);
  jw_key_str(w, "org", s->org_code);
  jw_key_str(w, "org_name", s->org_name);
  jw_key_str_or_null(w, "status", s->status);
  jw_key_str(w, "control", s->control);
  jw_key_str_or_null(w, "risk_level", s->risk_level);
  jw_key_str_or_null(w, "next_talk_due", s->next_talk_due);
  jw_key_str_or_null(w, "next_test_due", s->next_test_due);
  jw_key_str_or_null(w, "worker_name", s->worker_name);
  jw_obj_end(w);
}

/* Reads person id (audited) and answers it with status. */
static void api_person_respond(Req *r, int64_t id, int status) {
  Person p;
  memset(&p, 0, sizeof p);
  Err e;
  err_clear(&e);
  if (app_person_get(&r->ctx, id, &p, &e) != ERR_OK) {
    person_free(&p);
    api_fail(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  api_person_json(&w, &p);
  json_end(r, &w, status);
  person_free(&p);
}

/* ---- reading --------------------------------------------------------- */

/* Keys a client may read but never write. */
static const char *const api_readonly[] = {"id", "status", "status_since", "control", "risk_level",
                                           "next_talk_due", "next_test_due", "org_name", "created_at",
                                           "updated_at", "status_history", "documents", "worker",
                                           "worker_name", NULL};

/* A person body being converted: the input and the storage it borrows. */
typedef struct ApiInput {
  PersonInput in;
  Buf drugs;        /* the joined drug codes; in.val[PF_DRUGS] points here */
  int64_t version;  /* 0 when not given */
} ApiInput;

/* true when key is in the NULL-terminated list. */
static bool api_in_list(const char *const *list, const char *key) {
  for (; *list; list++)
    if (strcmp(*list, key) == 0) return true;
  return false;
}

/* A string member (or null → "") into *out; absent leaves *out NULL. A
 * value of another type is a field error on name. */
static int api_text(json_t *v, const char *name, const char **out, Err *e) {
  *out = NULL;
  if (!v) return ERR_OK;
  if (json_is_null(v)) { *out = ""; return ERR_OK; }
  if (!json_is_string(v)) return err_field(e, name, "应为字符串");
  *out = json_string_value(v);
  return ERR_OK;
}

/* Converts the value v (not NULL) of field i into ai; errors name the field. */
static void api_read_field(ApiInput *ai, int i, json_t *v, Err *e) {
  const PersonField *f = &person_fields[i];
  const char *name = api_field_name(i);
  if (f->kind == PFK_DRUGS) {
    if (json_is_null(v)) { ai->in.has[i] = true; ai->in.val[i] = ""; return; }
    if (!json_is_array(v)) { err_field(e, name, "应为字符串数组"); return; }
    size_t k;
    json_t *item;
    buf_clear(&ai->drugs);
    json_array_foreach(v, k, item) {
      if (!json_is_string(item)) { err_field(e, name, "应为字符串数组"); return; }
      const char *code = json_string_value(item);
      if (!drug_type_valid(code)) { err_field(e, name, "毒品种类无效"); return; }
      if (ai->drugs.len) buf_putc(&ai->drugs, ',');
      buf_puts(&ai->drugs, code);
    }
    ai->in.has[i] = true;
    ai->in.val[i] = NULL; /* pointed at drugs once the body is read */
    return;
  }
  if (f->kind == PFK_FLAG) {
    if (json_is_null(v)) { ai->in.has[i] = true; ai->in.val[i] = "0"; return; }
    if (!json_is_boolean(v)) { err_field(e, name, "应为布尔值（true 或 false）"); return; }
    ai->in.has[i] = true;
    ai->in.val[i] = json_is_true(v) ? "1" : "0";
    return;
  }
  const char *s;
  if (api_text(v, name, &s, e) != ERR_OK) return;
  ai->in.has[i] = true;
  ai->in.val[i] = s;
}

/* Reads the help team array v (not NULL) into ai. */
static void api_read_team(ApiInput *ai, json_t *v, Err *e) {
  ai->in.has_team = true;
  ai->in.nteam = 0;
  if (json_is_null(v)) return;
  if (!json_is_array(v)) { err_field(e, "help_team", "应为由 {role,name,phone} 对象组成的数组"); return; }
  if (json_array_size(v) > PERSON_TEAM_MAX) { err_field(e, "help_team", "帮教小组成员过多"); return; }
  static const char *const keys[] = {"role", "name", "phone", NULL};
  size_t k;
  json_t *m;
  json_array_foreach(v, k, m) {
    if (!json_is_object(m)) { err_field(e, "help_team", "应为由 {role,name,phone} 对象组成的数组"); return; }
    const char *key;
    json_t *val;
    json_object_foreach(m, key, val) {
      (void)val;
      if (!api_in_list(keys, key)) { err_field(e, "help_team", "应为由 {role,name,phone} 对象组成的数组"); return; }
    }
    const char *role, *name, *phone;
    if (api_text(json_object_get(m, "role"), "help_team", &role, e) != ERR_OK ||
        api_text(json_object_get(m, "name"), "help_team", &name, e) != ERR_OK ||
        api_text(json_object_get(m, "phone"), "help_team", &phone, e) != ERR_OK)
      return;
    ai->in.team[ai->in.nteam].role = role ? role : "";
    ai->in.team[ai->in.nteam].name = name ? name : "";
    ai->in.team[ai->in.nteam].phone = phone ? phone : "";
    ai->in.nteam++;
  }
}

/* Converts a person body into ai. for_create: every field is given (absent
 * ones as empty) and "version" is refused; otherwise (PATCH) only the keys
 * present are given. Field errors name the JSON field (static strings or
 * keys of body: answer before json_decref). Returns e's code. */
static int api_read_person(json_t *body, bool for_create, ApiInput *ai, Err *e) {
  memset(&ai->in, 0, sizeof ai->in);
  ai->version = 0;
  /* read-only keys first, by name */
  const char *key;
  json_t *val;
  json_object_foreach(body, key, val) {
    (void)val;
    if (api_in_list(api_readonly, key) || (for_create && strcmp(key, "version") == 0)) {
      err_field(e, key, "只读字段，不能修改");
      e->msg = "请求包含只读字段";
      return ERR_INVALID;
    }
  }
  /* the keys a body may hold */
  const char *allowed[PF__COUNT + 8];
  int na = 0;
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    const char *k = f->json_group ? f->json_group : f->json_key;
    bool dup = false;
    for (int j = 0; j < na && !dup; j++) dup = strcmp(allowed[j], k) == 0;
    if (!dup) allowed[na++] = k;
  }
  allowed[na++] = "org";
  allowed[na++] = "help_team";
  if (!for_create) allowed[na++] = "version";
  allowed[na] = NULL;
  if (json_only_keys(body, allowed, e) != ERR_OK) return ERR_INVALID;

  /* top-level fields */
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    if (f->json_group) continue;
    json_t *v = json_object_get(body, f->json_key);
    if (v) api_read_field(ai, i, v, e);
    else if (for_create) { ai->in.has[i] = true; ai->in.val[i] = ""; }
  }
  /* grouped fields: an object per group with its own keys */
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    if (!f->json_group) continue;
    json_t *g = json_object_get(body, f->json_group);
    if (g && !json_is_null(g) && !json_is_object(g)) { err_field(e, f->json_group, "应为对象"); continue; }
    if (g && json_is_object(g)) {
      /* unknown keys inside the group (checked once, at its first field) */
      bool first = true;
      for (int j = 0; j < i; j++)
        if (person_fields[j].json_group && strcmp(person_fields[j].json_group, f->json_group) == 0) first = false;
      if (first) {
        json_object_foreach(g, key, val) {
          (void)val;
          bool known = false;
          for (int j = 0; j < PF__COUNT && !known; j++)
            known = person_fields[j].json_group && strcmp(person_fields[j].json_group, f->json_group) == 0 &&
                    strcmp(person_fields[j].json_key, key) == 0;
          if (!known) err_field(e, f->json_group, "包含未知字段");
        }
      }
      json_t *v = json_object_get(g, f->json_key);
      if (v) api_read_field(ai, i, v, e);
      else if (for_create) { ai->in.has[i] = true; ai->in.val[i] = f->kind == PFK_FLAG ? "0" : ""; }
    } else if (g || for_create) { /* null clears the group; absent on create is empty */
      ai->in.has[i] = true;
      ai->in.val[i] = f->kind == PFK_FLAG ? "0" : "";
    }
  }
  /* the drug list's storage no longer moves */
  for (int i = 0; i < PF__COUNT; i++)
    if (ai->in.has[i] && !ai->in.val[i]) ai->in.val[i] = buf_str(&ai->drugs);

  json_t *org = json_object_get(body, "org");
  if (org) {
    const char *s;
    if (api_text(org, "org", &s, e) == ERR_OK) {
      ai->in.has_org = true;
      ai->in.org_code = s;
    }
  } else if (for_create) {
    ai->in.has_org = true;
    ai->in.org_code = "";
  }
  json_t *team = json_object_get(body, "help_team");
  if (team) api_read_team(ai, team, e);
  json_t *ver = json_object_get(body, "version");
  if (ver && !json_is_null(ver)) {
    if (!json_is_integer(ver) || json_integer_value(ver) < 1) err_field(e, "version", "应为正整数");
    else ai->version = (int64_t)json_integer_value(ver);
  }
  return e->code;
}

/* ---- handlers -------------------------------------------------------- */

/* GET /api/v1/persons?q=&status=&org=&page=&per_page=&control=&risk=&worker=
 * &incomplete=&sort=&order= → {"items","total"} (the filters and order of
 * PersonQuery, app/person.h). */
void api_person_list(Req *r) {
  Err e;
  err_clear(&e);
  const char *q = req_query(r, "q"), *status = req_query(r, "status"), *org = req_query(r, "org");
  int page = (int)json_query_int(r, "page", 1, 1000000, &e);
  int per_page = (int)json_query_int(r, "per_page", 20, 200, &e);
  if (status && *status && status_from_code(status) == ST_NONE) err_field(&e, "status", "请选择有效的管控状态");
  if (e.code != ERR_OK) { resp_error(r, &e); return; }
  const char *inc = req_query(r, "incomplete");
  if (inc && *inc && strcmp(inc, "1") != 0 && strcmp(inc, "0") != 0) err_field(&e, "incomplete", "应为 0 或 1");
  if (e.code != ERR_OK) { resp_error(r, &e); return; }
  PersonQuery pq = {.q = q, .status = status, .org_code = org, .page = page, .per_page = per_page,
                    .control = req_query(r, "control"), .risk = req_query(r, "risk"), .worker = req_query(r, "worker"),
                    .incomplete = inc && strcmp(inc, "1") == 0, .sort = req_query(r, "sort"),
                    .order = req_query(r, "order")};
  PersonSummary *items = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_person_list(&r->ctx, &pq, &items, &n, &total, &e) != ERR_OK) {
    free(items);
    api_fail(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_list_begin(&w);
  for (int i = 0; i < n; i++) api_summary_json(&w, &items[i]);
  /* the count stops past PERSON_LIST_COUNT_CAP: then total is the cap and
   * total_capped says there are more */
  jw_list_end(&w, total, PERSON_LIST_COUNT_CAP, page, per_page);
  free(items);
  json_end(r, &w, 200);
}

/* POST /api/v1/persons: creates a case file → 201 with the record. */
void api_person_create(Req *r) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (!body) { resp_error(r, &e); return; }
  ApiInput ai;
  buf_init(&ai.drugs);
  if (api_read_person(body, true, &ai, &e) != ERR_OK) {
    resp_error(r, &e);
    buf_reset(&ai.drugs);
    json_decref(body);
    return;
  }
  int64_t id = 0;
  int rc = app_person_create(&r->ctx, &ai.in, &id, &e);
  buf_reset(&ai.drugs);
  json_decref(body);
  if (rc != ERR_OK) { api_fail(r, &e); return; }
  char loc[64];
  snprintf(loc, sizeof loc, "/api/v1/persons/%lld", (long long)id);
  resp_header(r, "Location", loc);
  api_person_respond(r, id, 201);
}

/* GET /api/v1/persons/{id}: the whole case file (the read is audited). */
void api_person_get(Req *r) { api_person_respond(r, r->ids[0], 200); }

/* PATCH /api/v1/persons/{id}: changes the fields given; "version" refuses
 * the change (409) when the file was changed since. → 200 with the record. */
void api_person_patch(Req *r) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (!body) { resp_error(r, &e); return; }
  ApiInput ai;
  buf_init(&ai.drugs);
  if (api_read_person(body, false, &ai, &e) != ERR_OK) {
    resp_error(r, &e);
    buf_reset(&ai.drugs);
    json_decref(body);
    return;
  }
  int rc = app_person_update(&r->ctx, r->ids[0], &ai.in, ai.version, &e);
  buf_reset(&ai.drugs);
  json_decref(body);
  if (rc != ERR_OK) { api_fail(r, &e); return; }
  api_person_respond(r, r->ids[0], 200);
}

/* POST /api/v1/persons/{id}/status {status, decision_date, start_date,
 * decision_no, note?, corrects_id?} → 201 with the updated record. */
void api_person_status(Req *r) {
  Err e;
  err_clear(&e);
  static const char *const allowed[] = {"status", "decision_date", "start_date", "decision_no", "note",
                                        "corrects_id", NULL};
  json_t *body = json_body_only(r, allowed);
  if (!body) return;
  StatusInput in;
  memset(&in, 0, sizeof in);
  api_text(json_object_get(body, "status"), "status", &in.status, &e);
  api_text(json_object_get(body, "decision_date"), "decision_date", &in.decision_date, &e);
  api_text(json_object_get(body, "start_date"), "start_date", &in.start_date, &e);
  api_text(json_object_get(body, "decision_no"), "decision_no", &in.decision_no, &e);
  api_text(json_object_get(body, "note"), "note", &in.note, &e);
  json_t *c = json_object_get(body, "corrects_id");
  if (c && !json_is_null(c)) {
    if (!json_is_integer(c) || json_integer_value(c) < 1) err_field(&e, "corrects_id", "应为正整数");
    else in.corrects_id = (int64_t)json_integer_value(c);
  }
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    json_decref(body);
    return;
  }
  int rc = app_person_add_status(&r->ctx, r->ids[0], &in, NULL, &e);
  json_decref(body);
  if (rc != ERR_OK) { api_fail(r, &e); return; }
  api_person_respond(r, r->ids[0], 201);
}

/* PUT /api/v1/persons/{id}/worker {"worker": "username" | null}: sets or
 * clears the responsible social worker → 200 {"worker","worker_name"} as
 * the case file now shows them (the read is audited, as after PATCH). */
void api_person_worker(Req *r) {
  Err e;
  err_clear(&e);
  static const char *const allowed[] = {"worker", NULL};
  json_t *body = json_body_only(r, allowed);
  if (!body) return;
  const char *username = NULL;
  json_t *v = json_object_get(body, "worker");
  if (!v) err_field(&e, "worker", "此项必填");
  else api_text(v, "worker", &username, &e); /* null reads as "": clears */
  if (e.code == ERR_OK) app_person_set_worker(&r->ctx, r->ids[0], username, &e);
  json_decref(body); /* every field name in e is static now */
  if (e.code != ERR_OK) { resp_error(r, &e); return; }
  Person p;
  memset(&p, 0, sizeof p);
  if (app_person_get(&r->ctx, r->ids[0], &p, &e) != ERR_OK) {
    person_free(&p);
    resp_error(r, &e);
    return;
  }
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str_or_null(&w, "worker", p.worker);
  jw_key_str_or_null(&w, "worker_name", p.worker_name);
  jw_obj_end(&w);
  json_end(r, &w, 200);
  person_free(&p);
}
