/* core/idcard.h: the 18-digit citizen ID number (GB 11643-1999): six region
 * digits, birth date YYYYMMDD in digits 7-14, a 3-digit sequence whose last
 * digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check
 * character (0-9 or X). Pure functions. */
#ifndef JINDU_IDCARD_H
#define JINDU_IDCARD_H
#include "date.h"

#define IDCARD_LEN 18
#define IDCARD_MASKED_LEN 19 /* 18 characters + NUL */

typedef enum {
  IDCARD_OK = 0,
  IDCARD_BAD_LENGTH,   /* not exactly 18 characters */
  IDCARD_BAD_CHAR,     /* a non-digit in the first 17, or a last character not 0-9/X */
  IDCARD_BAD_DATE,     /* digits 7-14 are not a real date (1900..today's range) */
  IDCARD_BAD_CHECKSUM  /* check character does not match */
} IdcardResult;

typedef struct IdcardInfo {
  Day birth;
  char sex; /* 'M' or 'F' */
} IdcardInfo;

/* The check character ('0'-'9' or 'X') for the first 17 digits (assert: digits). */
char idcard_check_char(const char *first17);
/* Validates id (a lower-case 'x' is accepted as 'X'); fills info when given
 * and valid. */
IdcardResult idcard_validate(const char *id, IdcardInfo *info);
/* Reads the birth date and sex of id into info when its first 17
 * characters are sound (digits, a real birth date), whatever its check
 * character: so that a mistyped digit is told together with a sex or birth
 * date that does not match the number. false (info untouched) otherwise. */
bool idcard_read(const char *id, IdcardInfo *info);
/* Chinese message for a result (static; NULL for IDCARD_OK). */
const char *idcard_message(IdcardResult r);
/* Copies id to out with lower-case x made upper-case (out: 19 bytes). */
void idcard_normalize(const char *id, char out[IDCARD_MASKED_LEN]);
/* Masked form for lists: first 6 and last 4 kept, the 8 between as '*'.
 * An id shorter than 10 characters is fully masked. */
void idcard_mask(const char *id, char out[IDCARD_MASKED_LEN]);

#endif
