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

/* Appends one field value: drug codes as an array, flags as booleans,
 * empty dates as null, everything else as a string. */
static void api_field_value(Buf *b, const PersonField *f, const char *v) {
  v = v ? v : "";
  switch (f->kind) {
  case PFK_DRUGS: {
    buf_putc(b, '[');
    bool first = true;
    for (const char *p = v; *p;) {
      const char *q = strchr(p, ',');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      if (n) {
        if (!first) buf_putc(b, ',');
        first = false;
        char code[64];
        if (n >= sizeof code) n = sizeof code - 1;
        memcpy(code, p, n);
        code[n] = 0;
        json_str(b, code);
      }
      if (!q) break;
      p = q + 1;
    }
    buf_putc(b, ']');
    break;
  }
  case PFK_FLAG: buf_puts(b, strcmp(v, "1") == 0 ? "true" : "false"); break;
  case PFK_DATE: json_str_or_null(b, v); break;
  default: json_str(b, v); break;
  }
}

/* Appends ",\"key\":" (the comma unless first). */
static void api_key(Buf *b, const char *key, bool first) {
  if (!first) buf_putc(b, ',');
  json_str(b, key);
  buf_putc(b, ':');
}

/* Appends the whole case file p as a JSON object. */
static void api_person_json(Buf *b, const Person *p) {
  buf_printf(b, "{\"id\":%lld,\"version\":%lld", (long long)p->id, (long long)p->version);
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *f = &person_fields[i];
    if (f->json_group) continue;
    api_key(b, f->json_key, false);
    api_field_value(b, f, p->f[i]);
  }
  /* grouped fields, each group once, in table order */
  for (int i = 0; i < PF__COUNT; i++) {
    const char *g = person_fields[i].json_group;
    if (!g) continue;
    bool seen = false;
    for (int j = 0; j < i && !seen; j++) seen = person_fields[j].json_group && strcmp(person_fields[j].json_group, g) == 0;
    if (seen) continue;
    api_key(b, g, false);
    buf_putc(b, '{');
    bool first = true;
    for (int j = i; j < PF__COUNT; j++) {
      const PersonField *f = &person_fields[j];
      if (!f->json_group || strcmp(f->json_group, g) != 0) continue;
      api_key(b, f->json_key, first);
      first = false;
      api_field_value(b, f, p->f[j]);
    }
    buf_putc(b, '}');
  }
  api_key(b, "help_team", false);
  buf_putc(b, '[');
  for (int i = 0; i < p->nteam; i++) {
    if (i) buf_putc(b, ',');
    buf_puts(b, "{\"role\":");
    json_str(b, p->team[i].role);
    buf_puts(b, ",\"name\":");
    json_str(b, p->team[i].name);
    buf_puts(b, ",\"phone\":");
    json_str(b, p->team[i].phone);
    buf_putc(b, '}');
  }
  buf_putc(b, ']');
  api_key(b, "documents", false);
  buf_putc(b, '[');
  for (int i = 0; i < p->ndocs; i++) {
    if (i) buf_putc(b, ',');
    buf_puts(b, "{\"kind\":");
    json_str(b, p->docs[i].kind);
    buf_puts(b, ",\"signed_date\":");
    json_str_or_null(b, p->docs[i].signed_date);
    buf_puts(b, ",\"number\":");
    json_str(b, p->docs[i].number);
    buf_putc(b, '}');
  }
  buf_putc(b, ']');
  api_key(b, "status", false);
  json_str_or_null(b, p->status);
  api_key(b, "status_since", false);
  json_str_or_null(b, p->status_since);
  api_key(b, "control", false);
  json_str(b, p->control);
  api_key(b, "risk_level", false);
  json_str_or_null(b, p->risk_level);
  api_key(b, "next_talk_due", false);
  json_str_or_null(b, p->next_talk_due);
  api_key(b, "next_test_due", false);
  json_str_or_null(b, p->next_test_due);
  api_key(b, "org", false);
  json_str(b, p->org_code);
  api_key(b, "org_name", false);
  json_str(b, p->org_name);
  api_key(b, "worker", false);
  json_str_or_null(b, p->worker);
  api_key(b, "worker_name", false);
  json_str_or_null(b, p->worker_name);
  api_key(b, "status_history", false);
  buf_putc(b, '[');
  for (int i = 0; i < p->nepisodes; i++) {
    const Episode *ep = &p->episodes[i];
    if (i) buf_putc(b, ',');
    buf_printf(b, "{\"id\":%lld,\"status\":", (long long)ep->id);
    json_str(b, ep->status);
    buf_puts(b, ",\"decision_date\":");
    json_str_or_null(b, ep->decision_date);
    buf_puts(b, ",\"start_date\":");
    json_str_or_null(b, ep->start_date);
    buf_puts(b, ",\"decision_no\":");
    json_str(b, ep->decision_no);
    buf_puts(b, ",\"planned_end\":");
    json_str_or_null(b, ep->planned_end);
    buf_puts(b, ",\"note\":");
    json_str(b, ep->note);
    buf_puts(b, ",\"corrects_id\":");
    if (ep->corrects_id > 0) buf_printf(b, "%lld", (long long)ep->corrects_id);
    else buf_puts(b, "null");
    buf_puts(b, ep->voided ? ",\"voided\":true" : ",\"voided\":false");
    buf_puts(b, ",\"created_at\":");
    json_str_or_null(b, ep->created_at);
    buf_puts(b, ",\"created_by\":");
    json_str_or_null(b, ep->created_by);
    buf_putc(b, '}');
  }
  buf_putc(b, ']');
  api_key(b, "created_at", false);
  json_str_or_null(b, p->created_at);
  api_key(b, "updated_at", false);
  json_str_or_null(b, p->updated_at);
  buf_putc(b, '}');
}

/* Appends one list row as a JSON object (the ID number comes masked). */
static void api_summary_json(Buf *b, const PersonSummary *s) {
  buf_printf(b, "{\"id\":%lld,\"name\":", (long long)s->id);
  json_str(b, s->name);
  buf_puts(b, ",\"sex\":");
  json_str(b, s->sex);
  buf_puts(b, ",\"id_number\":");
  json_str(b, s->id_masked);
  buf_puts(b, ",\"org\":");
  json_str(b, s->org_code);
  buf_puts(b, ",\"org_name\":");
  json_str(b, s->org_name);
  buf_puts(b, ",\"status\":");
  json_str_or_null(b, s->status);
  buf_puts(b, ",\"control\":");
  json_str(b, s->control);
  buf_puts(b, ",\"risk_level\":");
  json_str_or_null(b, s->risk_level);
  buf_puts(b, ",\"next_talk_due\":");
  json_str_or_null(b, s->next_talk_due);
  buf_puts(b, ",\"next_test_due\":");
  json_str_or_null(b, s->next_test_due);
  buf_putc(b, '}');
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
  Buf b = BUF_INIT;
  api_person_json(&b, &p);
  json_respond(r, status, &b);
  buf_reset(&b);
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

/* GET /api/v1/persons?q=&status=&org=&page=&per_page= → {"items","total"}. */
void api_person_list(Req *r) {
  Err e;
  err_clear(&e);
  const char *q = req_query(r, "q"), *status = req_query(r, "status"), *org = req_query(r, "org");
  int page = (int)json_query_int(r, "page", 1, 1000000, &e);
  int per_page = (int)json_query_int(r, "per_page", 20, 200, &e);
  if (status && *status && status_from_code(status) == ST_NONE) err_field(&e, "status", "请选择有效的管控状态");
  if (e.code != ERR_OK) { resp_error(r, &e); return; }
  PersonQuery pq = {q, status, org, page, per_page};
  PersonSummary *items = NULL;
  int n = 0;
  int64_t total = 0;
  if (app_person_list(&r->ctx, &pq, &items, &n, &total, &e) != ERR_OK) {
    free(items);
    api_fail(r, &e);
    return;
  }
  Buf b = BUF_INIT;
  buf_puts(&b, "{\"items\":[");
  for (int i = 0; i < n; i++) {
    if (i) buf_putc(&b, ',');
    api_summary_json(&b, &items[i]);
  }
  /* the count stops past PERSON_LIST_COUNT_CAP: then total is the cap and
   * total_capped says there are more */
  bool capped = total > PERSON_LIST_COUNT_CAP;
  buf_printf(&b, "],\"total\":%lld,\"total_capped\":%s,\"page\":%d,\"per_page\":%d}",
             (long long)(capped ? PERSON_LIST_COUNT_CAP : total), capped ? "true" : "false", page, per_page);
  free(items);
  json_respond(r, 200, &b);
  buf_reset(&b);
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
  Buf b = BUF_INIT;
  buf_puts(&b, "{\"worker\":");
  json_str_or_null(&b, p.worker);
  buf_puts(&b, ",\"worker_name\":");
  json_str_or_null(&b, p.worker_name);
  buf_putc(&b, '}');
  json_respond(r, 200, &b);
  buf_reset(&b);
  person_free(&p);
}
