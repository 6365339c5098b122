/* core/err.h: Err, errors returned as values. A function that can fail returns
 * an ErrCode and fills an Err with a user-facing message (a Chinese msgid of
 * the message catalog, English through web/i18n) and, for validation, the
 * fields at fault. Messages are static strings: an Err owns no memory. */
#ifndef JINDU_ERR_H
#define JINDU_ERR_H

typedef enum {
  ERR_OK = 0,
  ERR_INVALID,      /* 400: bad input; fields[] says where */
  ERR_UNAUTHORIZED, /* 401 */
  ERR_FORBIDDEN,    /* 403 */
  ERR_NOT_FOUND,    /* 404: also a record outside the actor's scope */
  ERR_CONFLICT,     /* 409 */
  ERR_TOO_LARGE,    /* 413 */
  ERR_THROTTLED,    /* 429 */
  ERR_INTERNAL      /* 500: storage failure and the like */
} ErrCode;

#define ERR_MAX_FIELDS 24

typedef struct Err {
  ErrCode code;
  const char *msg; /* Chinese msgid, static */
  int nfields;
  struct { const char *field; const char *msg; } fields[ERR_MAX_FIELDS];
} Err;

/* Sets e to no error. */
void err_clear(Err *e);
/* Sets the code and message (when e->msg is not set yet or code changes); returns code. */
ErrCode err_set(Err *e, ErrCode code, const char *msg_zh);
/* Adds a field error and sets code ERR_INVALID with a generic message if none; returns ERR_INVALID. */
ErrCode err_field(Err *e, const char *field, const char *msg_zh);
/* Message of field f, or NULL. */
const char *err_field_msg(const Err *e, const char *field);
/* The API's code word: "invalid", "not_found", ... */
const char *err_code_word(ErrCode c);
/* The HTTP status for c. */
int err_http_status(ErrCode c);

#endif
