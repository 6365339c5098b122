/* core/division.c: owns administrative division codes (see core/division.h). */
#include "core/division.h"
#include <stdio.h>
#include <string.h>

int division_digits(const char *level) {
  if (!level) return 0;
  if (strcmp(level, "county") == 0) return 6;
  if (strcmp(level, "street") == 0) return 9;
  if (strcmp(level, "community") == 0) return 12;
  return 0;
}

bool division_valid(const char *code, int digits) {
  if (!code) return false;
  size_t n = strlen(code);
  if (n != 6 && n != 9 && n != 12) return false;
  if (digits > 0 && n != (size_t)digits) return false;
  for (size_t i = 0; i < n; i++)
    if (code[i] < '0' || code[i] > '9') return false;
  return true;
}

void division_from_id_number(const char *id_number, char out[DIVISION_LEN]) {
  out[0] = 0;
  if (!id_number || strlen(id_number) < 6) return;
  for (int i = 0; i < 6; i++)
    if (id_number[i] < '0' || id_number[i] > '9') return;
  snprintf(out, DIVISION_LEN, "%.6s", id_number);
}

int division_relation(const char *unit, const char *household) {
  if (!unit || !household || !*unit || !*household) return -1;
  size_t nu = strlen(unit), nh = strlen(household), n = nu < nh ? nu : nh;
  if (strncmp(unit, household, n) != 0) return 0;
  return nh >= nu ? 1 : -1;
}
