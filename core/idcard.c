/* core/idcard.c: owns the checks on 18-digit citizen ID numbers (see
 * idcard.h): the ISO 7064 MOD 11-2 check character, validation (length,
 * characters, birth date, check character, in that order), the sex from the
 * sequence digit (also of a number whose only fault is its check
 * character: idcard_read), normalisation of a lower-case 'x', and the masked form
 * shown in lists. Pure: no clock, no I/O, no allocation. */
#include "idcard.h"
#include <assert.h>
#include <stddef.h>
#include <string.h>

/* Weights of the first 17 digits (2^(17-i) mod 11 for position i). */
static const int WEIGHTS[IDCARD_LEN - 1] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                            3, 7, 9, 10, 5, 8, 4, 2};
/* Check character for each remainder 0..10 of the weighted sum mod 11. */
static const char CHECK_CHARS[11] = {'1', '0', 'X', '9', '8', '7',
                                     '6', '5', '4', '3', '2'};

/* true for '0'..'9'. */
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of s, counting at most max characters (so a long string is not
 * scanned to its end). */
static size_t bounded_len(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

/* Value of the n digits at s (the caller has checked they are digits). */
static int digits_value(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

/* The check character ('0'-'9' or 'X') for the first 17 digits of first17
 * (asserts they are digits). */
char idcard_check_char(const char *first17) {
  int sum = 0;
  for (int i = 0; i < IDCARD_LEN - 1; i++) {
    assert(is_digit(first17[i]));
    sum += (first17[i] - '0') * WEIGHTS[i];
  }
  return CHECK_CHARS[sum % 11];
}

/* Validates id: exactly 18 characters (else IDCARD_BAD_LENGTH; NULL counts
 * as empty), 17 digits and a digit/'X'/'x' (else IDCARD_BAD_CHAR), a real
 * birth date in 1900..2199 (else IDCARD_BAD_DATE), and the check character
 * (else IDCARD_BAD_CHECKSUM). On IDCARD_OK fills *info when info is not
 * NULL; on failure *info is left untouched. */
IdcardResult idcard_validate(const char *id, IdcardInfo *info) {
  if (!id || bounded_len(id, IDCARD_LEN + 1) != IDCARD_LEN) return IDCARD_BAD_LENGTH;
  for (int i = 0; i < IDCARD_LEN - 1; i++)
    if (!is_digit(id[i])) return IDCARD_BAD_CHAR;
  char last = id[IDCARD_LEN - 1];
  if (last == 'x') last = 'X';
  if (!is_digit(last) && last != 'X') return IDCARD_BAD_CHAR;

  int y = digits_value(id + 6, 4), m = digits_value(id + 10, 2),
      d = digits_value(id + 12, 2);
  if (!date_valid_ymd(y, m, d)) return IDCARD_BAD_DATE;

  if (idcard_check_char(id) != last) return IDCARD_BAD_CHECKSUM;

  if (info) {
    info->birth = date_from_ymd(y, m, d);
    info->sex = ((id[16] - '0') % 2 == 1) ? 'M' : 'F';
  }
  return IDCARD_OK;
}

bool idcard_read(const char *id, IdcardInfo *info) {
  IdcardResult r = idcard_validate(id, info);
  if (r == IDCARD_OK) return true;
  if (r != IDCARD_BAD_CHECKSUM) return false;
  /* only the check character is wrong: the digits before it are sound */
  char fixed[IDCARD_LEN + 1];
  memcpy(fixed, id, IDCARD_LEN - 1);
  fixed[IDCARD_LEN - 1] = idcard_check_char(id);
  fixed[IDCARD_LEN] = 0;
  return idcard_validate(fixed, info) == IDCARD_OK;
}

/* Chinese message for a validation result (static storage; NULL for
 * IDCARD_OK, a generic message for an unknown value). */
const char *idcard_message(IdcardResult r) {
  switch (r) {
  case IDCARD_OK: return NULL;
  case IDCARD_BAD_LENGTH: return "身份证号码应为18位";
  case IDCARD_BAD_CHAR: return "身份证号码前17位应为数字，最后一位应为数字或X";
  case IDCARD_BAD_DATE: return "身份证号码中的出生日期无效";
  case IDCARD_BAD_CHECKSUM: return "身份证号码校验位不正确，请核对";
  }
  return "身份证号码无效";
}

/* Copies id into out (19 bytes) with lower-case 'x' made upper-case. At
 * most 18 characters are copied; out is always NUL-terminated; NULL id
 * gives "". */
void idcard_normalize(const char *id, char out[IDCARD_MASKED_LEN]) {
  size_t n = id ? bounded_len(id, IDCARD_LEN) : 0;
  for (size_t i = 0; i < n; i++) out[i] = id[i] == 'x' ? 'X' : id[i];
  out[n] = '\0';
}

/* Masked form of id for lists, written to out (19 bytes): for 10 or more
 * characters the first 6 and the last 4 are kept with 8 '*' between
 * (always 18 characters, lower-case 'x' shown as 'X'); a shorter id becomes
 * one '*' per character; NULL gives "". */
void idcard_mask(const char *id, char out[IDCARD_MASKED_LEN]) {
  if (!id) {
    out[0] = '\0';
    return;
  }
  size_t n = 0;
  while (id[n]) n++; /* the last 4 characters are needed, whatever the length */
  if (n < 10) {
    for (size_t i = 0; i < n; i++) out[i] = '*';
    out[n] = '\0';
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < 6; i++) out[k++] = id[i];
  for (size_t i = 0; i < 8; i++) out[k++] = '*';
  for (size_t i = n - 4; i < n; i++) out[k++] = id[i] == 'x' ? 'X' : id[i];
  out[k] = '\0';
}
