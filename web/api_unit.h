/* web/api_unit.h: the pieces the JSON APIs of unit records share (defined
 * in web/api_unitwork.c; used by web/api_ledger.c): paging parameters, a
 * list of codes, the list envelope left open for a list's own members,
 * the POST of a record bound by its field table, and the answer of one
 * record. */
/* web/api_unit.h: what the JSON APIs of unit records share (web/
 * api_unitwork.c, web/api_prevention.c): the paging parameters, a list of
 * codes as an array, the POST of a record bound by its field table and
 * its answer, the answer of one record. */
#ifndef JINDU_API_UNIT_H
#define JINDU_API_UNIT_H
#include <stdint.h>
#include "core/field.h"
#include "web/http.h"
#include "web/json.h"

/* The page and per_page query parameters (per_page at most 200). */
void au_paging(Req *r, int *page, int *per_page, Err *e);
/* Writes a list of comma-joined codes as a JSON array. */
void au_codes(JsonW *w, const char *codes);
/* {"items":[ ... the caller's items ... ],"total","page","per_page" and
 * the caller's members, then jw_obj_end. */
void au_list_begin(JsonW *w);
void au_list_end(JsonW *w, int64_t total, int page, int per_page);

/* POSTs a record bound by spec into in (zeroed) and added by add; answers
 * 201 with the record written by show (id of the new record), or the error
 * with the fields' JSON names. */
typedef int (*AuAddFn)(Ctx *c, const void *in, int64_t *id, Err *e);
typedef void (*AuShowFn)(Req *r, int64_t id, int status);
void au_create(Req *r, const RecordSpec *spec, void *in, AuAddFn add, AuShowFn show);

/* Reads record id with get into row and answers it with status, written by
 * json; or the error. */
typedef int (*AuGetFn)(Ctx *c, int64_t id, void *row, Err *e);
typedef void (*AuJsonFn)(JsonW *w, const void *row);
void au_show(Req *r, int64_t id, int status, void *row, AuGetFn get, AuJsonFn json);

/* Answers 200 {"ok":true} (a DELETE done). */
void au_ok(Req *r);

#endif
