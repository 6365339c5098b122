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

const char *err_code_word(ErrCode c) {
  switch (c) {
  case ERR_OK: return "ok";
  case ERR_INVALID: return "invalid";
  case ERR_UNAUTHORIZED: return "unauthorized";
  case ERR_FORBIDDEN: return "forbidden";
  case ERR_NOT_FOUND: return "not_found";
  case ERR_CONFLICT: return "conflict";
  case ERR_TOO_LARGE: return "too_large";
  case ERR_THROTTLED: return "throttled";
  default: return "internal";
  }
}

int err_http_status(ErrCode c) {
  switch (c) {
  case ERR_OK: return 200;
  case ERR_INVALID: return 400;
  case ERR_UNAUTHORIZED: return 401;
  case ERR_FORBIDDEN: return 403;
  case ERR_NOT_FOUND: return 404;
  case ERR_CONFLICT: return 409;
  case ERR_TOO_LARGE: return 413;
  case ERR_THROTTLED: return 429;
  default: return 500;
  }
}
