/* web/api_session.c: the API's sign-in (POST /api/v1/session → bearer
 * token), sign-out, and who-am-I (GET /api/v1/me). */
#include <string.h>
#include "app/auth.h"
#include "web/json.h"
#include "web/i18n.h"
#include "web/routes.h"

/* Writes the actor as a JSON object. */
static void api_actor_json(JsonW *w, const Actor *a) {
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)a->user_id);
  jw_key_str(w, "username", a->username);
  jw_key_str(w, "display_name", a->display_name);
  jw_key_str(w, "role", role_code(a->role));
  jw_key_str(w, "org", a->org_code);
  jw_key_str(w, "org_name", a->org_name);
  jw_obj_end(w);
}

/* POST /api/v1/session {"username","password"} → 200 {"token","user"}. */
void api_session_create(Req *r) {
  Err e;
  err_clear(&e);
  json_t *body = json_body(r, &e);
  if (!body) { resp_error(r, &e); return; }
  static const char *const allowed[] = {"username", "password", NULL};
  const char *username = NULL, *password = NULL;
  if (json_only_keys(body, allowed, &e) != ERR_OK || json_get_str(body, "username", &username, &e) != ERR_OK ||
      json_get_str(body, "password", &password, &e) != ERR_OK) {
    resp_error(r, &e);
    json_decref(body);
    return;
  }
  if (!username || !*username) err_field(&e, "username", "必填");
  if (!password || !*password) err_field(&e, "password", "必填");
  if (e.code != ERR_OK) { resp_error(r, &e); json_decref(body); return; }
  char token[65], csrf[65];
  Actor actor;
  if (auth_login(&r->ctx, username, password, r->address, "bearer", token, csrf, &actor, &e) != ERR_OK) {
    json_decref(body);
    resp_error(r, &e);
    return;
  }
  json_decref(body);
  JsonW w;
  json_begin(r, &w);
  jw_obj_begin(&w);
  jw_key_str(&w, "token", token);
  jw_key(&w, "user");
  api_actor_json(&w, &actor);
  jw_obj_end(&w);
  json_end(r, &w, 200);
}

/* DELETE /api/v1/session: ends the caller's session. */
void api_session_delete(Req *r) {
  Err e;
  err_clear(&e);
  json_ok_or(r, auth_logout(&r->ctx, r->token, &e), &e);
}

/* GET /api/v1/me */
void api_me(Req *r) {
  JsonW w;
  json_begin(r, &w);
  api_actor_json(&w, &r->actor);
  json_end(r, &w, 200);
}
