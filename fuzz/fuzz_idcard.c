/* fuzz/fuzz_idcard.c: libFuzzer harness of the citizen ID number parser
 * (core/idcard.h): validate, read, normalize and mask any text; a number
 * that validates reads the same birth date and sex, and its check
 * character is the one computed. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "core/idcard.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstr(data, size);
  IdcardInfo a = {0, 0}, b = {0, 0};
  IdcardResult rc = idcard_validate(s, &a);
  bool read = idcard_read(s, &b);
  if (rc == IDCARD_OK) {
    assert(read && a.birth == b.birth && a.sex == b.sex);
    char norm[IDCARD_MASKED_LEN];
    idcard_normalize(s, norm);
    assert(idcard_check_char(norm) == norm[17]);
  } else {
    assert(idcard_message(rc) != NULL);
  }
  char out[IDCARD_MASKED_LEN]; /* both bound what they write, whatever the length of s */
  idcard_normalize(s, out);
  idcard_mask(s, out);
  assert(strlen(out) < IDCARD_MASKED_LEN);
  free(s);
  return 0;
}
