/* web/bind.h: the one form binder and the one JSON binder. Both fill an
 * input struct from a request by the record's field table (core/field.h,
 * the tables app/ owns), collect every error in one round, and judge only
 * the form of a value ("应为整数", "应为字符串"...): what a value means
 * (required, bounds, choices, dates) is app/'s check with the same table.
 * Strings filled in point into the request or its body, or into strings the
 * request keeps (a set joined from several values): valid until r ends and,
 * for JSON, until the body is released. A handler then calls the use case
 * with the same Err: app/ adds its field errors to the binder's (and writes
 * nothing while there are any), so that one answer names every field at
 * fault. Also the form control of a field, whose maxlength and required
 * mark come from the table. */
#ifndef JINDU_BIND_H
#define JINDU_BIND_H
#include <jansson.h>
#include "core/field.h"
#include "web/http.h"

/* Fills the fields of spec in the struct at out from r's urlencoded form:
 * a text member is the posted value (NULL when absent); FK_BOOL "1" when
 * checked, "0" when absent; FK_ENUM_SET the values of the repeated field
 * joined by commas ("" when none); FK_INT the number (0 when absent or
 * empty), field error "应为整数" when it is not one. Returns e->code. */
int bind_form(Req *r, const RecordSpec *spec, void *out, Err *e);

/* Fills the fields of spec in the struct at out from the JSON object obj:
 * a member absent leaves its field NULL (0), null gives "" ("0" for
 * FK_BOOL, 0 for FK_INT); strings for text kinds, booleans for FK_BOOL, an
 * array of strings for FK_ENUM_SET, an integer for FK_INT; a field whose
 * JSON name is "group.key" is member key of the object group. Keys neither
 * in spec nor in extra (NULL-terminated, may be NULL: the keys the caller
 * reads itself) are refused as "未知字段" (the field name then points into
 * obj: answer before releasing it); other errors name the field's JSON
 * name. Returns e->code. */
int bind_json(Req *r, json_t *obj, const RecordSpec *spec, const char *const *extra, void *out, Err *e);

/* Answers e (an error of app/ on spec's record) with its field keys
 * renamed to their JSON names ("fk_basics" -> "five_knowns.basics"). */
void bind_json_fail(Req *r, const RecordSpec *spec, Err *e);

/* The write of a JSON request: called with the body bound into in (and
 * the binder's errors in e, so that the use case adds its own and one
 * answer names every field at fault); body for the members the caller
 * reads itself; *id the id the write made, if any. Returns e->code. */
typedef int (*BindActFn)(Req *r, json_t *body, void *in, int64_t *id, Err *e);

/* The JSON write of r in one call: binds r's body by spec (extra as
 * bind_json) into in (zeroed by the caller), calls act, and answers the
 * error with the fields' JSON names (bind_json_fail, before the body is
 * released). true when the write succeeded (nothing answered yet; *id as
 * act set it, 0 else), false when answered. */
bool bind_json_act(Req *r, const RecordSpec *spec, const char *const *extra, void *in, BindActFn act, int64_t *id);

/* The field key of spec (it must have it: a missing one is a programming
 * error). */
const FieldSpec *bind_field(const RecordSpec *spec, const char *key);

/* A labelled form control for field f (FK_TEXT, FK_PHONE, FK_ID, FK_DATE,
 * FK_INT: an input; FK_LONG: a textarea) with value and the error beside
 * it; maxlength (characters, as the browser counts them) and the required
 * mark from the table. */
void bind_form_control(Req *r, const FieldSpec *f, const char *value, const char *err);

#endif
