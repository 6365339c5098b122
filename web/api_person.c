/* web/api_person.c: the JSON API of the case file (/api/v1/persons...): list
 * and search, create, read the whole file, change given fields (optimistic
 * locking by "version"), and start a status episode. Reads request bodies
 * strictly (an object, known keys only, read-only keys refused by name, the
 * right type for every value) and converts them into app/person.h inputs;
 * writes a Person or a PersonSummary as JSON by walking the field table;
 * sets the responsible social worker (PUT .../worker). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/person.h"
#include "core/supervision.h"
#include "store/person.h"
#include "core/status.h"
#include "web/api_unit.h"
#include "web/bind.h"
#include "web/json.h"
#include "core/casework.h"
#include "web/page.h"
#include "web/routes.h"

/* ---- writing --------------------------------------------------------- */

/* Writes one field value: drug codes as an array, flags as booleans,
 * empty dates as null, everything else as a string. */
static void api_field_value(JsonW *w, const FieldSpec *f, const char *v) {
  v = v ? v : "";
  switch (f->kind) {
  case FK_ENUM_SET: jw_codes(w, v); break;
  case FK_BOOL: jw_bool(w, strcmp(v, "1") == 0); break;
  case FK_DATE: jw_str_or_null(w, v); break;
  default: jw_str(w, v); break;
  }
}

/* The length of the group of field f's JSON name ("five_knowns.basics":
 * 11), 0 at the top level. */
static size_t api_group_len(const FieldSpec *f) {
  const char *dot = f->json ? strchr(f->json, '.') : NULL;
  return dot ? (size_t)(dot - f->json) : 0;
}

/* The label of a help-team member's role. */
static void api_role_label(JsonW *w, const void *row) {
  const HelpMemberRow *m = row;
  jw_str(w, page_or(unit_term_label(help_role_vocab, m->role), m->role));
}

/* The control of a case file or a list row as the file shows it ("closed":
 * dead, emigrated). */
static void api_control(JsonW *w, const char *status, const char *control) {
  jw_str(w, supervision_control_shown(status, control));
}
static void api_file_control(JsonW *w, const void *p) {
  api_control(w, ((const Person *)p)->status, ((const Person *)p)->control);
}

/* A help-team member; the state of the case file (after its documents). */
static const JwField api_team_fields[] = {
  JW_AT(HelpMemberRow, role, JF_TEXT), JW_FN("role_label", api_role_label), JW_AT(HelpMemberRow, role_other, JF_TEXT),
  JW_AT(HelpMemberRow, name, JF_TEXT), JW_AT(HelpMemberRow, phone, JF_TEXT), {0}};
static const JwField api_state_fields[] = {
  JW_AT(Person, status, JF_TEXT_NULL), JW_AT(Person, status_since, JF_TEXT_NULL), JW_FN("control", api_file_control),
  JW_AT(Person, risk_level, JF_TEXT_NULL), JW_AT(Person, next_talk_due, JF_TEXT_NULL),
  JW_AT(Person, next_test_due, JF_TEXT_NULL), JW_AS("org", Person, org_code, JF_TEXT),
  JW_AT(Person, org_name, JF_TEXT), JW_AT(Person, worker, JF_TEXT_NULL), JW_AT(Person, worker_name, JF_TEXT_NULL),
  {0}};

/* A document of the case file, and a status episode. */
static const JwField api_doc_fields[] = {
  JW_AT(PersonDocRow, kind, JF_TEXT), JW_AT(PersonDocRow, signed_date, JF_TEXT_NULL),
  JW_AT(PersonDocRow, number, JF_TEXT), {0}};
static const JwField api_episode_fields[] = {
  JW_AT(EpisodeRow, id, JF_I64), JW_AT(EpisodeRow, status, JF_TEXT),
  JW_AT(EpisodeRow, decision_date, JF_TEXT_NULL), JW_AT(EpisodeRow, start_date, JF_TEXT_NULL),
  JW_AT(EpisodeRow, decision_no, JF_TEXT), JW_AT(EpisodeRow, planned_end, JF_TEXT_NULL),
  JW_AT(EpisodeRow, note, JF_TEXT), JW_AT(EpisodeRow, corrects_id, JF_REF), JW_AT(EpisodeRow, voided, JF_BOOL),
  JW_AT(EpisodeRow, created_at, JF_TEXT_NULL), JW_AT(EpisodeRow, created_by, JF_TEXT_NULL), {0}};

/* Writes the whole case file p as a JSON object. */
static void api_person_json(JsonW *w, const void *file) {
  const Person *p = file;
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)p->id);
  jw_key_int(w, "version", (long long)p->version);
  for (int i = 0; i < PF__COUNT; i++) {
    const FieldSpec *f = &person_fields[i];
    if (api_group_len(f)) continue;
    jw_key(w, f->key);
    api_field_value(w, f, p->f[i]);
  }
  /* grouped fields, each group once (at its first field), in table order */
  for (int i = 0; i < PF__COUNT; i++) {
    const FieldSpec *f = &person_fields[i];
    size_t g = api_group_len(f);
    if (!g || (i > 0 && api_group_len(&person_fields[i - 1]) == g &&
               strncmp(person_fields[i - 1].json, f->json, g) == 0))
      continue;
    char group[32];
    snprintf(group, sizeof group, "%.*s", (int)g, f->json);
    jw_key(w, group);
    jw_obj_begin(w);
    for (int j = i; j < PF__COUNT && api_group_len(&person_fields[j]) == g &&
                    strncmp(person_fields[j].json, f->json, g) == 0; j++) {
      jw_key(w, person_fields[j].json + g + 1);
      api_field_value(w, &person_fields[j], p->f[j]);
    }
    jw_obj_end(w);
  }
  jw_key_records(w, "help_team", p->team, p->nteam, sizeof *p->team, api_team_fields);
  jw_key_records(w, "documents", p->docs, p->ndocs, sizeof *p->docs, api_doc_fields);
  jw_fields(w, api_state_fields, p);
  jw_key_records(w, "status_history", p->episodes, p->nepisodes, sizeof *p->episodes, api_episode_fields);
  jw_key_str_or_null(w, "created_at", p->created_at);
  jw_key_str_or_null(w, "updated_at", p->updated_at);
  jw_obj_end(w);
}

static void api_summary_control(JsonW *w, const void *s) {
  api_control(w, ((const PersonSummary *)s)->status, ((const PersonSummary *)s)->control);
}

/* One list row (the ID number comes masked). */
static const JwField api_summary_fields[] = {
  JW_AT(PersonSummary, id, JF_I64), JW_AT(PersonSummary, name, JF_STR), JW_AT(PersonSummary, sex, JF_STR),
  JW_AT(PersonSummary, id_number, JF_STR), JW_AS("org", PersonSummary, org_code, JF_STR),
  JW_AT(PersonSummary, org_name, JF_STR), JW_AT(PersonSummary, status, JF_STR_NULL),
  JW_FN("control", api_summary_control), JW_AT(PersonSummary, risk_level, JF_STR_NULL),
  JW_AT(PersonSummary, next_talk_due, JF_STR_NULL), JW_AT(PersonSummary, next_test_due, JF_STR_NULL),
  JW_AT(PersonSummary, worker_name, JF_STR_NULL), {0}};
static void api_summary_json(JsonW *w, const void *item) { jw_record(w, api_summary_fields, item); }

/* Reads person id (audited) and answers it with status. */
static void api_person_respond(Req *r, int64_t id, int status) {
  Person p;
  memset(&p, 0, sizeof p);
  Err e;
  err_clear(&e);
  int rc = app_person_get(&r->ctx, id, &p, &e);
  json_record(r, rc, &e, api_person_json, &p, status);
  person_free(&p);
}

/* ---- reading --------------------------------------------------------- */

/* Keys a client may read but never write. */
static const char *const api_readonly[] = {"id", "status", "status_since", "control", "risk_level",
                                           "next_talk_due", "next_test_due", "org_name", "created_at",
                                           "updated_at", "status_history", "documents", "worker",
                                           "worker_name", NULL};

/* A person body being converted. */
typedef struct ApiInput {
  PersonInput in;
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

/* Converts a person body into ai by the case file's table. for_create:
 * every field is given (absent ones as empty) and "version" is refused;
 * otherwise (PATCH) only the keys present are given. Field errors name the
 * JSON field (static strings or keys of body: answer before json_decref).
 * Returns e's code. */
static int api_read_person(Req *r, json_t *body, bool for_create, ApiInput *ai, Err *e) {
  memset(ai, 0, sizeof *ai);
  /* read-only keys first, by name */
  const char *key;
  json_t *val;
  json_object_foreach(body, key, val) {
    (void)val;
    if (for_create && field_by_key(&register_status_record, key)) continue; /* the first status */
    if (api_in_list(api_readonly, key) || (for_create && strcmp(key, "version") == 0)) {
      err_field(e, key, "只读字段，不能修改");
      e->msg = "请求包含只读字段";
      return ERR_INVALID;
    }
  }
  static const char *const extra[] = {"org", "help_team", "version", NULL};
  static const char *const extra_create[] = {"org", "help_team", "status", "decision_date", "start_date",
                                             "decision_no", NULL};
  bind_json(r, body, &person_record, for_create ? extra_create : extra, ai->in.val, e);
  if (for_create) { /* the first status: its members of the body, bound by their table */
    json_t *st = json_object();
    for (int i = 0; i < register_status_record.n; i++) {
      const char *k = register_status_record.fields[i].key;
      json_t *v = json_object_get(body, k);
      if (v) json_object_set(st, k, v);
    }
    bind_json(r, st, &register_status_record, NULL, &ai->in.status, e);
    json_decref(st);
  }
  for (int i = 0; i < PF__COUNT; i++) {
    ai->in.has[i] = ai->in.val[i] || for_create;
    if (!ai->in.val[i]) ai->in.val[i] = "";
  }
  json_t *org = json_object_get(body, "org");
  if (org || for_create) {
    const char *s;
    if (api_text(org, "org", &s, e) == ERR_OK) {
      ai->in.has_org = true;
      ai->in.org_code = s ? s : "";
    }
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
  int page, per_page;
  json_query_paging(r, 20, &page, &per_page, &e);
  if (status && *status && status_from_code(status) == ST_NONE) err_field(&e, "status", "请选择有效的管控状态");
  if (e.code != ERR_OK) { resp_error(r, &e); return; }
  const char *inc = req_query(r, "incomplete");
  if (inc && *inc && strcmp(inc, "1") != 0 && strcmp(inc, "0") != 0) err_field(&e, "incomplete", "应为 0 或 1");
  if (e.code != ERR_OK) { resp_error(r, &e); return; }
  PersonQuery pq = {.q = q, .status = status, .org_code = org, .page = page, .per_page = per_page,
                    .control = req_query(r, "control"), .risk = req_query(r, "risk"), .worker = req_query(r, "worker"),
                    .incomplete = inc && strcmp(inc, "1") == 0, .complete = req_query(r, "complete"),
                    .sort = req_query(r, "sort"),
                    .order = req_query(r, "order")};
  PersonSummary *items = NULL;
  int n = 0;
  int64_t total = 0;
  int rc = app_person_list(&r->ctx, &pq, &items, &n, &total, &e);
  /* the count stops past PERSON_LIST_COUNT_CAP: then total is the cap and
   * total_capped says there are more */
  json_list_answer(r, rc, &e, items, n, sizeof *items, api_summary_json, total, PERSON_LIST_COUNT_CAP, page, per_page);
}

/* Creates a case file from r's body (for_create) or changes the fields of
 * file r->ids[0] it gives; answers the record with status (a new file's
 * Location too), or the error with the fields' JSON names. */
static void api_person_write(Req *r, bool for_create, int status) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (!body) { resp_error(r, &e); return; }
  ApiInput ai;
  if (api_read_person(r, body, for_create, &ai, &e) != ERR_OK) {
    resp_error(r, &e);
    json_decref(body);
    return;
  }
  int64_t id = r->ids[0];
  int rc = for_create ? app_person_create(&r->ctx, &ai.in, &id, &e)
                      : app_person_update(&r->ctx, id, &ai.in, ai.version, &e);
  json_decref(body);
  if (rc != ERR_OK) { bind_json_fail(r, &person_record, &e); return; }
  if (for_create) {
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/persons/%lld", (long long)id);
    resp_header(r, "Location", loc);
  }
  api_person_respond(r, id, status);
}

/* POST /api/v1/persons: creates a case file → 201 with the record. */
void api_person_create(Req *r) { api_person_write(r, true, 201); }

/* GET /api/v1/persons/{id}: the whole case file (the read is audited). */
void api_person_get(Req *r) { api_person_respond(r, r->ids[0], 200); }

/* PATCH /api/v1/persons/{id}: changes the fields given; "version" refuses
 * the change (409) when the file was changed since. → 200 with the record. */
void api_person_patch(Req *r) { api_person_write(r, false, 200); }

static int api_status_add(Req *r, const void *in, int64_t *id, Err *e) {
  return app_person_add_status(&r->ctx, *id, in, NULL, e);
}

/* POST /api/v1/persons/{id}/status {status, decision_date, start_date,
 * decision_no, note?, corrects_id?} → 201 with the updated record. */
void api_person_status(Req *r) {
  int64_t id;
  if (au_act(r, &status_record, sizeof(StatusInput), api_status_add, &id)) api_person_respond(r, r->ids[0], 201);
}

/* The responsible worker of a case file. */
static const JwField api_worker_fields[] = {
  JW_AT(Person, worker, JF_TEXT_NULL), JW_AT(Person, worker_name, JF_TEXT_NULL), {0}};
static void api_worker_json(JsonW *w, const void *p) { jw_record(w, api_worker_fields, p); }

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
  int rc = app_person_get(&r->ctx, r->ids[0], &p, &e);
  json_record(r, rc, &e, api_worker_json, &p, 200);
  person_free(&p);
}

static int api_org_correct(Req *r, const void *in, int64_t *id, Err *e) {
  return app_person_org_correct(&r->ctx, *id, in, e);
}

/* POST /api/v1/persons/{id}/org_correction {"org","reason"} → 200 with the
 * record: a wrongly entered community corrected (app_person_org_correct). */
void api_person_org_correct(Req *r) {
  int64_t id;
  if (au_act(r, &org_correction_record, sizeof(OrgCorrectionInput), api_org_correct, &id))
    api_person_respond(r, r->ids[0], 200);
}
