/* fuzz/fuzz_json.c: libFuzzer harness of the JSON request bodies: jansson's
 * parser as web/json.c json_body calls it (duplicate keys refused), then
 * the one JSON binder (web/bind.c bind_json) into every record the API
 * takes, with nested groups ("five_knowns.basics"), arrays of choices and
 * integers, then the record's check (core/field.c field_check_record). */
#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "fuzz/fuzz.h"
#include "web/bind.h"
#include "web/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_records_check();
  json_error_t je;
  json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
  if (!v) return 0;
  if (json_is_object(v)) {
    Req *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->body_fd = -1;
    Day today = date_from_ymd(FUZZ_TODAY_Y, FUZZ_TODAY_M, FUZZ_TODAY_D);
    static const char *const extra[] = {"org", "reason", NULL};
    for (const RecordSpec *const *rs = fuzz_records; *rs; rs++) {
      _Alignas(16) unsigned char in[FUZZ_RECORD_BYTES];
      memset(in, 0, sizeof in);
      Err e;
      err_clear(&e);
      if (bind_json(r, v, *rs, extra, in, &e) == ERR_OK) field_check_record(*rs, in, today, &e);
      assert(e.code == ERR_OK || e.code == ERR_INVALID);
      if (e.code != ERR_OK) assert(e.msg != NULL);
    }
    Err e;
    err_clear(&e);
    (void)json_only_keys(v, extra, &e);
    for (int i = 0; i < r->nkept; i++) free(r->kept[i]);
    free(r->kept);
    free(r);
  }
  json_decref(v);
  return 0;
}
