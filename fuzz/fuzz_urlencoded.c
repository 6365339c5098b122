/* fuzz/fuzz_urlencoded.c: libFuzzer harness of the form body parser
 * (web/server.c req_parse_urlencoded: "a=1&b=%E7%94%B2+x") and of what every
 * page does with the fields: the one form binder (web/bind.c bind_form)
 * into every record the server takes, then the record's check
 * (core/field.c field_check_record: text, dates, ID numbers, phones,
 * choices, bounds). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "fuzz/fuzz.h"
#include "web/bind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_records_check();
  Req *r = calloc(1, sizeof *r);
  if (!r) abort();
  r->body_fd = -1;
  if (req_parse_urlencoded((const char *)data, size, r->form, &r->nform)) {
    assert(r->nform <= REQ_MAX_PARAMS);
    Day today = date_from_ymd(FUZZ_TODAY_Y, FUZZ_TODAY_M, FUZZ_TODAY_D);
    for (const RecordSpec *const *rs = fuzz_records; *rs; rs++) {
      _Alignas(16) unsigned char in[FUZZ_RECORD_BYTES];
      memset(in, 0, sizeof in);
      Err e;
      err_clear(&e);
      bind_form(r, *rs, in, &e);
      field_check_record(*rs, in, today, &e);
      assert(e.code == ERR_OK || e.code == ERR_INVALID);
    }
    const char *vals[REQ_MAX_PARAMS];
    (void)req_form_all(r, "drug_types", vals, REQ_MAX_PARAMS);
    (void)req_form_str(r, "_csrf");
  }
  req_params_free(r->form, r->nform);
  for (int i = 0; i < r->nkept; i++) free(r->kept[i]);
  free(r->kept);
  free(r);
  return 0;
}
