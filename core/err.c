/* core/err.c: errors as values (see err.h). */
#include "err.h"
#include <string.h>

void err_clear(Err *e) { memset(e, 0, sizeof *e); }

ErrCode err_set(Err *e, ErrCode code, const char *msg_zh) {
  e->code = code;
  e->msg = msg_zh;
  return code;
}

ErrCode err_field(Err *e, const char *field, const char *msg_zh) {
  if (e->code == ERR_OK || e->code == ERR_INVALID) {
    e->code = ERR_INVALID;
    if (!e->msg) e->msg = "输入有误，请检查标出的项目";
  }
  for (int i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].field, field) == 0) return ERR_INVALID; /* first message wins */
  if (e->nfields < ERR_MAX_FIELDS) {
    e->fields[e->nfields].field = field;
    e->fields[e->nfields].msg = msg_zh;
    e->nfields++;
  }
  return ERR_INVALID;
}

const char *err_field_msg(const Err *e, const char *field) {
  for (int i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].field, field) == 0) return e->fields[i].msg;
  return NULL;
}

/* The word and HTTP status of each code. */
static const struct {
  const char *word;
  int http;
} err_codes[] = {
  [ERR_OK] = {"ok", 200},
  [ERR_INVALID] = {"invalid", 400},
  [ERR_UNAUTHORIZED] = {"unauthorized", 401},
  [ERR_FORBIDDEN] = {"forbidden", 403},
  [ERR_NOT_FOUND] = {"not_found", 404},
  [ERR_CONFLICT] = {"conflict", 409},
  [ERR_TOO_LARGE] = {"too_large", 413},
  [ERR_THROTTLED] = {"throttled", 429},
  [ERR_INTERNAL] = {"internal", 500},
};

/* c, or ERR_INTERNAL for a value outside the enum. */
static ErrCode err_known(ErrCode c) { return c >= ERR_OK && c <= ERR_INTERNAL ? c : ERR_INTERNAL; }

const char *err_code_word(ErrCode c) { return err_codes[err_known(c)].word; }

int err_http_status(ErrCode c) { return err_codes[err_known(c)].http; }
