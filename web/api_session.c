/* web/api_session.c: the API's sign-in (POST /api/v1/session → bearer
 * token), sign-out, and who-am-I (GET /api/v1/me). */
#include <string.h>
#include "app/auth.h"
#include "web/json.h"
#include "web/i18n.h"
#include "web/routes.h"

/* Appends the actor as a JSON object. */
static void api_actor_json(Buf *b, const Actor *a) {
  buf_puts(b, "{\"id\":");
  buf_printf(b, "%lld", (long long)a->user_id);
  buf_puts(b, ",\"username\":");
  json_str(b, a->username);
  buf_puts(b, ",\"display_name\":");
  json_str(b, a->display_name);
  buf_puts(b, ",\"role\":");
  json_str(b, role_code(a->role));
  buf_puts(b, ",\"org\":");
  json_str(b, a->org_code);
  buf_puts(b, ",\"org_name\":");
  json_str(b, a->org_name);
  buf_putc(b, '}');
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
  Buf b = BUF_INIT;
  buf_puts(&b, "{\"token\":");
  json_str(&b, token);
  buf_puts(&b, ",\"user\":");
  api_actor_json(&b, &actor);
  buf_putc(&b, '}');
  json_respond(r, 200, &b);
  buf_reset(&b);
}

/* DELETE /api/v1/session: ends the caller's session. */
void api_session_delete(Req *r) {
  Err e;
  err_clear(&e);
  if (auth_logout(&r->ctx, r->token, &e) != ERR_OK) { resp_error(r, &e); return; }
  Buf b = BUF_INIT;
  buf_puts(&b, "{\"ok\":true}");
  json_respond(r, 200, &b);
  buf_reset(&b);
}

/* GET /api/v1/me */
void api_me(Req *r) {
  Buf b = BUF_INIT;
  api_actor_json(&b, &r->actor);
  json_respond(r, 200, &b);
  buf_reset(&b);
}
