/* core/division.h: administrative division codes (行政区划代码, issue 9):
 * 6 digits for a county, 9 for a street or town, 12 for a community or
 * village; each begins with the code of the division above it. An org unit
 * carries the code of its division; a person's household (户籍地) is a code
 * of 6, 9 or 12 digits, prefilled from the first 6 digits of the ID number
 * (the county of the first registration) and editable (people move). Pure. */
#ifndef JINDU_CORE_DIVISION_H
#define JINDU_CORE_DIVISION_H
#include <stdbool.h>

#define DIVISION_LEN 13 /* 12 digits and the NUL */

/* The digits a unit of level ("county", "street", "community") carries: 6,
 * 9 or 12; 0 for an unknown level. */
int division_digits(const char *level);
/* true when code is 6, 9 or 12 ASCII digits (a household) and, when digits
 * > 0, exactly that many (a unit of a level). */
bool division_valid(const char *code, int digits);
/* The household division of an ID number: its first 6 digits when they
 * are digits, else "" (out: DIVISION_LEN bytes). */
void division_from_id_number(const char *id_number, char out[DIVISION_LEN]);
/* Whether a household code lies in the division unit (both may be ""):
 * 1 when unit is a prefix of household (in it), 0 when they differ on a
 * digit both have (elsewhere), -1 when it cannot be told (either is empty,
 * or household is a coarser division holding unit: a household recorded
 * only as the county is neither in nor out of one of its streets). */
int division_relation(const char *unit, const char *household);

#endif
