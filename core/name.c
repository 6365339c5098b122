/* core/name.c: owns the rules of core/name.h: which characters a name may
 * not hold and the normal form a name is stored in. */
#include "core/name.h"
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>
#include "core/field.h"

uint32_t name_next(const char **p) {
  const unsigned char *s = (const unsigned char *)*p;
  uint32_t c = s[0];
  int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
  if (n) c &= 0x3F >> n;
  for (int i = 1; i <= n; i++) c = (c << 6) | (s[i] & 0x3F);
  *p += n + 1;
  return c;
}

/* The format characters (Unicode's general category Cf, Unicode 15) and
 * the others that display as nothing: [first, last] ranges. */
static const uint32_t name_refused[][2] = {
  {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},
  {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x115F, 0x1160},   {0x180E, 0x180E},
  {0x200B, 0x200F},   {0x2028, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},   {0x3164, 0x3164},
  {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
  {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

bool name_char_refused(uint32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;                 /* controls */
  if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) return true;         /* private use (planes 15, 16 too) */
  if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) return true; /* noncharacters */
  for (size_t i = 0; i < sizeof name_refused / sizeof name_refused[0]; i++)
    if (c >= name_refused[i][0] && c <= name_refused[i][1]) return true;
  return false;
}

const char *name_problem(const char *s) {
  for (const char *p = s; *p;)
    if (name_char_refused(name_next(&p))) return NAME_M_INVISIBLE;
  return NULL;
}

/* true for the variation selectors (taken out of a name). */
static bool name_variation_selector(uint32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* true for the look-alikes of the minority names' separator U+00B7. */
static bool name_dot(uint32_t c) {
  return c == 0x30FB || c == 0xFF65 || c == 0x2027 || c == 0x2219 || c == 0x22C5;
}

/* The variation selectors go and the look-alike dots become U+00B7 before
 * NFC, not after: taking a selector out of an NFC string can leave a base
 * and a combining mark side by side that NFC would join, and the result
 * would not be in normal form (normalizing twice must change nothing). */
char *name_normalize(const char *s) {
  size_t len = strlen(s);
  char *out = malloc(len + 1);
  if (!out) abort();
  if (!field_text_ok(s, true)) {
    memcpy(out, s, len + 1);
    return out;
  }
  char *o = out;
  for (const char *p = s; *p;) {
    const char *at = p;
    uint32_t c = name_next(&p);
    if (name_variation_selector(c)) continue;
    if (name_dot(c)) {
      *o++ = (char)0xC2;
      *o++ = (char)0xB7;
      continue;
    }
    memcpy(o, at, (size_t)(p - at));
    o += p - at;
  }
  size_t nlen = 0;
  uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)out, (size_t)(o - out), NULL, &nlen);
  if (!nfc) abort(); /* only out of memory: the text is valid UTF-8 */
  free(out);
  out = malloc(nlen + 1);
  if (!out) abort();
  memcpy(out, nfc, nlen);
  out[nlen] = 0;
  free(nfc);
  return out;
}
