/* core/filetype.c: attachable file types from their bytes, and the names
 * files keep (see core/filetype.h). */
#include "core/filetype.h"
#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Each type that may be attached: the bytes its files start with (magic,
 * len of them), its MIME type and its file-name ending. */
static const struct {
  const char *magic;
  size_t len;
  const char *mime, *ext;
} filetype_types[] = {
  [FT_JPEG] = {"\xFF\xD8\xFF", 3, "image/jpeg", ".jpg"},
  [FT_PNG] = {"\x89PNG\r\n\x1A\n", 8, "image/png", ".png"},
  [FT_PDF] = {"%PDF-", 5, "application/pdf", ".pdf"},
};

FileType filetype_sniff(const unsigned char *p, size_t n) {
  for (FileType t = FT_JPEG; p && t <= FT_PDF; t++)
    if (n >= filetype_types[t].len && memcmp(p, filetype_types[t].magic, filetype_types[t].len) == 0) return t;
  return FT_NONE;
}

/* true when t is a type of filetype_types. */
static bool filetype_known(FileType t) { return t > FT_NONE && t <= FT_PDF; }

const char *filetype_mime(FileType t) { return filetype_known(t) ? filetype_types[t].mime : NULL; }

FileType filetype_from_mime(const char *mime) {
  for (FileType t = FT_JPEG; t <= FT_PDF; t++)
    if (mime && strcmp(mime, filetype_mime(t)) == 0) return t;
  return FT_NONE;
}

const char *filetype_ext(FileType t) { return filetype_known(t) ? filetype_types[t].ext : ""; }

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
  if (ext >= n) ext = 0; /* no room for the extension too: the name is cut like any other (fuzz/fuzz_name.c) */
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
