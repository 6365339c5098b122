/* core/field.h: a record that comes in from a form or JSON, as one table of
 * its fields (FieldSpec: key, label, kind, offset of the member in the input
 * struct, bounds, required, choices, flags, messages), and the one pure
 * checker of such a record. app/ owns the tables (app owns bounds); web/bind.h
 * fills input structs from them; the form helpers write maxlength and
 * required from them. Text lengths are counted in characters (Unicode code
 * points), never bytes: a 60-character name holds 60 Chinese characters.
 *
 * Members of an input struct are `const char *` (NULL or "" = empty) for
 * every kind but FK_INT, whose member is `int64_t` (0 = not given, so an
 * integer field's bounds start at 1 or below 0). Messages are static Chinese
 * msgids; a message that names a limit is built at compile time from it
 * (FIELD_CHARS, FIELD_RANGE below), so that Err stays a struct of static
 * strings and the limit a user is told is the one the checker applies. */
#ifndef JINDU_FIELD_H
#define JINDU_FIELD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/unit_vocab.h"

typedef enum {
  FK_TEXT,     /* one line of text; max = characters (0: no bound) */
  FK_LONG,     /* several lines (tab, CR and LF allowed); max = characters */
  FK_DATE,     /* YYYY-MM-DD, a valid day; FF_NOT_FUTURE: not after today */
  FK_INT,      /* an integer (int64_t member, 0 = not given) within [min, max] */
  FK_BOOL,     /* yes or no as the text "1" or "0" (a checkbox; JSON true/false) */
  FK_ENUM,     /* one of choices */
  FK_ENUM_SET, /* several of choices, comma-joined ("a,b"; JSON an array of strings) */
  FK_ID,       /* an 18-digit ID number (core/idcard.h) */
  FK_PHONE     /* a mobile number (11 digits 1[3-9]..., may start with +86) or a landline with
                  its area code (0xx(x)-xxxxxxx(x), may end with an extension); digits may be
                  grouped by spaces or hyphens (core/field.c field_phone_ok); max = characters */
} FieldKind;

/* Flags of a field. */
enum {
  FF_NOT_FUTURE = 1 << 0, /* FK_DATE: not after today */
  FF_NAME = 1 << 1        /* FK_TEXT: a person's name: no invisible or reordering characters (core/name.h);
                             the use case stores it normalized (name_normalize) */
};

typedef struct FieldSpec {
  const char *key;      /* form name, the field of app/'s errors, the JSON name unless json is set */
  const char *json;     /* JSON name when it differs: "group.key" is member key of the object
                           group ("five_knowns.basics"); NULL: key at the top level */
  const char *label_zh; /* label (a catalog msgid) */
  FieldKind kind;
  size_t offset;        /* of the member in the input struct */
  int64_t min, max;     /* FK_TEXT/FK_LONG/FK_PHONE: max characters (0: none); FK_INT: bounds */
  bool required;
  const char *const *choices; /* FK_ENUM/FK_ENUM_SET: NULL-terminated codes, or: */
  const UnitTerm *vocab;      /* FK_ENUM/FK_ENUM_SET: the codes of this vocabulary (when choices is NULL) */
  unsigned flags;       /* FF_* */
  const char *msg;      /* message of a value of the wrong form (an FK_ENUM not among choices, which
                           also answers an empty required choice); NULL: the kind's own */
  const char *msg_bound;/* message of a value beyond max (or min): FIELD_CHARS / FIELD_RANGE set it */
} FieldSpec;

typedef struct RecordSpec {
  const char *name; /* what the record is ("visit"), for tests and messages to developers */
  const FieldSpec *fields;
  int n;
} RecordSpec;

/* ---- writing tables ----------------------------------------------------
 * Inside a FieldSpec initializer: FIELD_AT(Type, member) sets key (the
 * member's name) and offset; FIELD_CHARS(n) the character bound with its
 * message "不能超过n个字"; FIELD_RANGE(lo, hi) integer bounds with "应在lo到hi
 * 之间". n, lo and hi must be integer literals or macros that expand to one
 * (the message is built from their text). */
#define FIELD_STR_(x) #x
#define FIELD_STR(x) FIELD_STR_(x)
#define FIELD_AT(type, member) .key = #member, .offset = offsetof(type, member)
/* The same for a member whose form name is not its C name (an array element). */
#define FIELD_AT_KEY(type, member, name) .key = (name), .offset = offsetof(type, member)
#define FIELD_CHARS(n) .max = (n), .msg_bound = "不能超过" FIELD_STR(n) "个字"
#define FIELD_RANGE(lo, hi) .min = (lo), .max = (hi), .msg_bound = "应在" FIELD_STR(lo) "到" FIELD_STR(hi) "之间"
#define RECORD_SPEC(name, fields) {name, fields, (int)(sizeof fields / sizeof fields[0])}

/* The bytes a value of at most n characters may take (UTF-8: 4 a character)
 * with its NUL: the size of a fixed buffer that holds one. */
#define FIELD_BYTES(n) ((n) * 4 + 1)

/* ---- the messages every kind shares (catalog msgids) ---- */
#define FIELD_M_REQUIRED "此项必填"
#define FIELD_M_BAD_TEXT "含有无效字符"
#define FIELD_M_TOO_LONG "内容超过长度限制"
#define FIELD_M_BAD_DATE "日期格式应为YYYY-MM-DD，且须是有效日期"
#define FIELD_M_FUTURE "日期不能晚于今天"
#define FIELD_M_RANGE "超出允许的范围"
#define FIELD_M_CHOICE "请选择有效的选项"
#define FIELD_M_BOOL "只能是0或1"
#define FIELD_M_PHONE "请填写11位手机号码（如 13800138000）或带区号的固定电话（如 010-12345678）"

/* ---- text ---- */

/* true when s is valid UTF-8 (no overlong forms, no surrogates, at most
 * U+10FFFF) without control characters (C0, DEL, C1); multi_line also
 * allows tab, CR and LF. The rule of every free text a user enters. */
bool field_text_ok(const char *s, bool multi_line);
/* The characters (code points) of s, which must be valid UTF-8. */
size_t field_chars(const char *s);

/* ---- checking ---- */

/* Checks field f of the input struct at in (today for FF_NOT_FUTURE):
 * required, form (valid text, date, choice, number...) and bounds; adds at
 * most one field error (f->key) to e. Returns true when the value is fine. */
bool field_check(const FieldSpec *f, const void *in, Day today, Err *e);
/* Checks every field of the record at in; reports every field at fault in
 * one round. Returns e->code (ERR_OK when all is fine and e held nothing). */
int field_check_record(const RecordSpec *r, const void *in, Day today, Err *e);

/* ---- reading a table ---- */

/* The field of r with key, or NULL. */
const FieldSpec *field_by_key(const RecordSpec *r, const char *key);
/* The JSON name of field key of r ("five_knowns.basics"); key itself when
 * r has no such field. Static (or key). */
const char *field_json_name(const RecordSpec *r, const char *key);
/* The text member of f in the struct at in (NULL when not given); f is not FK_INT. */
const char *field_text(const FieldSpec *f, const void *in);
/* Sets the text member of f in the struct at out. */
void field_set_text(const FieldSpec *f, void *out, const char *v);
/* The integer member of an FK_INT field; sets it. */
int64_t field_int(const FieldSpec *f, const void *in);
void field_set_int(const FieldSpec *f, void *out, int64_t v);
/* true when code is one of the NULL-terminated choices. */
bool field_choice_ok(const char *const *choices, const char *code);

#endif
