/* core/filetype.c: attachable file types from their bytes, and the names
 * files keep (see core/filetype.h). */
#include "core/filetype.h"
#include <assert.h>
#include <stdio.h>
#include <string.h>

FileType filetype_sniff(const unsigned char *p, size_t n) {
  static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF};
  static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  static const unsigned char pdf[] = {'%', 'P', 'D', 'F', '-'};
  if (!p) return FT_NONE;
  if (n >= sizeof jpeg && memcmp(p, jpeg, sizeof jpeg) == 0) return FT_JPEG;
  if (n >= sizeof png && memcmp(p, png, sizeof png) == 0) return FT_PNG;
  if (n >= sizeof pdf && memcmp(p, pdf, sizeof pdf) == 0) return FT_PDF;
  return FT_NONE;
}

/* The MIME type and file-name ending of each type that may be attached. */
static const struct {
  const char *mime, *ext;
} filetype_names[] = {
  [FT_JPEG] = {"image/jpeg", ".jpg"},
  [FT_PNG] = {"image/png", ".png"},
  [FT_PDF] = {"application/pdf", ".pdf"},
};

/* true when t is a type of filetype_names. */
static bool filetype_known(FileType t) { return t > FT_NONE && t <= FT_PDF; }

const char *filetype_mime(FileType t) { return filetype_known(t) ? filetype_names[t].mime : NULL; }

FileType filetype_from_mime(const char *mime) {
  for (FileType t = FT_JPEG; t <= FT_PDF; t++)
    if (mime && strcmp(mime, filetype_mime(t)) == 0) return t;
  return FT_NONE;
}

const char *filetype_ext(FileType t) { return filetype_known(t) ? filetype_names[t].ext : ""; }

bool filetype_is_image(FileType t) { return t == FT_JPEG || t == FT_PNG; }

/* The length of the valid UTF-8 character at s (1-4), or 0 when the bytes
 * there are no valid character (overlong forms and surrogates included). */
static size_t filetype_utf8_len(const unsigned char *s) {
  if (s[0] < 0x80) return 1;
  size_t len = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
  if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
  return len;
}

void filetype_clean_name(const char *name, FileType t, char *out, size_t n) {
  assert(out && n > 0);
  const char *base = name ? name : "";
  for (const char *p = base; *p; p++)
    if (*p == '/' || *p == '\\') base = p + 1;
  /* clean: controls and invalid bytes become '_' */
  char clean[1024];
  size_t k = 0;
  for (const unsigned char *s = (const unsigned char *)base; *s && k + 4 < sizeof clean;) {
    size_t len = filetype_utf8_len(s);
    if (len == 0 || (len == 1 && (*s < 0x20 || *s == 0x7F)) ||
        (len == 2 && s[0] == 0xC2 && s[1] < 0xA0)) { /* C1 controls */
      clean[k++] = '_';
      s++;
      continue;
    }
    memcpy(clean + k, s, len);
    k += len;
    s += len;
  }
  clean[k] = 0;
  /* all dots and blanks: no name */
  if (strspn(clean, ". ") == k) {
    snprintf(out, n, "file%s", filetype_ext(t));
    return;
  }
  if (k < n) {
    memcpy(out, clean, k + 1);
    return;
  }
  /* too long: cut the stem on a character boundary, keep an extension of up to 8 bytes */
  const char *dot = strrchr(clean, '.');
  size_t ext = dot && strlen(dot) <= 8 ? strlen(dot) : 0;
  assert(n > ext);
  size_t room = n - 1 - ext, stem = 0;
  while (stem < k - ext) {
    size_t len = filetype_utf8_len((const unsigned char *)clean + stem);
    if (len == 0) len = 1;
    if (stem + len > room) break;
    stem += len;
  }
  memcpy(out, clean, stem);
  memcpy(out + stem, clean + k - ext, ext);
  out[stem + ext] = 0;
}
