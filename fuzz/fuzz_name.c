/* fuzz/fuzz_name.c: libFuzzer harness of the text checks every name and
 * free text passes (core/field.h field_text_ok, core/name.h: refused
 * characters and NFC) and of the uploaded file's name and type
 * (core/filetype.h): normalizing a valid name is idempotent and keeps it
 * valid; a cleaned file name is valid UTF-8 that fits. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/field.h"
#include "core/filetype.h"
#include "core/name.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  (void)field_text_ok(s, true);
  if (field_text_ok(s, false)) {
    (void)field_chars(s);
    (void)name_problem(s);
    char *n = name_normalize(s);
    assert(field_text_ok(n, false));
    char *n2 = name_normalize(n);
    assert(strcmp(n, n2) == 0);
    free(n2);
    free(n);
  }
  FileType t = filetype_sniff(data, size);
  char clean[256];
  filetype_clean_name(s, t, clean, sizeof clean);
  assert(clean[0] && strlen(clean) < sizeof clean && field_text_ok(clean, false));
  char tiny[8];
  filetype_clean_name(s, t, tiny, sizeof tiny);
  assert(strlen(tiny) < sizeof tiny);
  free(s);
  return 0;
}
