/* core/field.c: the field tables' checker (see field.h): text rules
 * (UTF-8 without control characters, lengths in characters), dates, integer
 * bounds, choices, ID numbers and phone numbers, all errors in one round. */
#include "core/field.h"
#include <string.h>
#include "core/idcard.h"
#include "core/name.h"

bool field_text_ok(const char *s, bool multi_line) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        if (!(multi_line && (c == '\n' || c == '\r' || c == '\t'))) return false;
      }
      p++;
      continue;
    }
    int n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return false;
    for (int i = 1; i <= n; i++) {
      if ((p[i] & 0xC0) != 0x80) return false; /* also stops at the NUL */
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp >= 0x80 && cp <= 0x9F) return false;
    p += n + 1;
  }
  return true;
}

size_t field_chars(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80) n++; /* every byte but a continuation byte starts a character */
  return n;
}

bool field_choice_ok(const char *const *choices, const char *code) {
  for (; choices && *choices; choices++)
    if (strcmp(*choices, code) == 0) return true;
  return false;
}

/* true when the n bytes at item are one of f's choices (or codes of its
 * vocab). */
static bool field_item_ok(const FieldSpec *f, const char *item, size_t n) {
  if (f->choices) {
    for (const char *const *c = f->choices; *c; c++)
      if (strlen(*c) == n && strncmp(*c, item, n) == 0) return true;
  } else {
    for (const UnitTerm *t = f->vocab; t && t->code; t++)
      if (strlen(t->code) == n && strncmp(t->code, item, n) == 0) return true;
  }
  return false;
}

/* true when every comma-separated item of s (spaces around it and empty
 * items ignored) is one of f's choices. */
static bool field_set_ok(const FieldSpec *f, const char *s) {
  while (*s) {
    const char *end = strchr(s, ',');
    size_t n = end ? (size_t)(end - s) : strlen(s);
    const char *item = s;
    while (n && *item == ' ') { item++; n--; }
    while (n && item[n - 1] == ' ') n--;
    if (n && !field_item_ok(f, item, n)) return false;
    if (!end) break;
    s = end + 1;
  }
  return true;
}

/* Reads the digit groups of s (each a run of digits; between two groups one
 * space or hyphen) into len[] (at most max groups); *end gets where the
 * groups stop. Returns the number of groups (0 when s starts with no digit). */
static int field_phone_groups(const char *s, int *len, int max, const char **end) {
  int n = 0;
  const char *p = s;
  while (*p >= '0' && *p <= '9' && n < max) {
    const char *q = p;
    while (*q >= '0' && *q <= '9') q++;
    len[n++] = (int)(q - p);
    p = q;
    if ((*p == ' ' || *p == '-') && p[1] >= '0' && p[1] <= '9' && n < max) p++;
  }
  *end = p;
  return n;
}

/* The first ndigits digits of s (skipping what is not a digit) into out
 * (NUL-terminated, room for cap - 1 digits); false when they do not fit. */
static bool field_phone_digits(const char *s, int ndigits, char *out, size_t cap) {
  size_t k = 0;
  for (const char *p = s; *p && (int)k < ndigits; p++)
    if (*p >= '0' && *p <= '9') {
      if (k + 1 >= cap) return false;
      out[k++] = *p;
    }
  out[k] = 0;
  return true;
}

/* true when s is a phone number of one of these forms (DOMAIN.md: persons
 * and their help team are called on these):
 * - a mobile number: 11 digits 1[3-9]xxxxxxxxx, may start with +86, its
 *   digits may be grouped by single spaces or hyphens ("138 0013 8000");
 * - a landline with its area code: 0 and 2 or 3 digits (may stand in
 *   parentheses), then the 7 or 8 digits of the number (not starting with
 *   0; groups as above), then optionally an extension of 1 to 6 digits
 *   after "-" or "转": "010-12345678", "(0755) 8888 6666", "0571-8765432-801".
 *   Without any separator the area code cannot be told apart: 0 followed by
 *   9 to 11 digits is taken as one. */
static bool field_phone_ok(const char *s) {
  const char *p = s;
  if (strncmp(p, "+86", 3) == 0) {
    p += 3;
    if (*p == ' ' || *p == '-') p++;
  }
  int len[8];
  const char *end;
  if (*p == '1' || p != s) { /* a mobile number */
    int n = field_phone_groups(p, len, 8, &end);
    int total = 0;
    for (int i = 0; i < n; i++) total += len[i];
    char d[16];
    return *end == 0 && total == 11 && field_phone_digits(p, 11, d, sizeof d) && d[0] == '1' && d[1] >= '3';
  }
  /* a landline: the area code */
  int area;
  if (*p == '(') {
    const char *q = p + 1;
    while (*q >= '0' && *q <= '9') q++;
    area = (int)(q - p - 1);
    if (*q != ')' || p[1] != '0' || area < 3 || area > 4) return false;
    p = q + 1;
    if (*p == ' ' || *p == '-') p++;
  } else {
    if (*p != '0') return false;
    const char *q = p;
    while (*q >= '0' && *q <= '9') q++;
    area = (int)(q - p);
    if (*q == 0) return area >= 10 && area <= 12; /* no separator at all */
    if (area < 3 || area > 4 || (*q != ' ' && *q != '-')) return false;
    p = q + 1;
  }
  /* the number: groups while they add up to at most 8 digits */
  if (*p < '1' || *p > '9') return false;
  int n = field_phone_groups(p, len, 8, &end);
  int digits = 0, used = 0;
  while (used < n && digits + len[used] <= 8) digits += len[used++];
  if (digits < 7) return false;
  if (used == n) { /* nothing after the number but, perhaps, 转 and an extension */
    if (*end == 0) return true;
    if (strncmp(end, "转", strlen("转")) != 0) return false;
    p = end + strlen("转");
    const char *q = p;
    while (*q >= '0' && *q <= '9') q++;
    return *q == 0 && q - p >= 1 && q - p <= 6;
  }
  /* one more group, after a hyphen: the extension */
  if (used != n - 1 || *end != 0 || len[used] > 6) return false;
  const char *q = p;
  for (int i = 0; i < used; i++) {
    while (*q >= '0' && *q <= '9') q++;
    q++; /* the separator after the group */
  }
  return q[-1] == '-';
}

/* The message of a bad value of f: its own, else m. */
static const char *field_msg(const FieldSpec *f, const char *m) { return f->msg ? f->msg : m; }

/* The problem of the non-empty text v of f, or NULL. */
static const char *field_text_problem(const FieldSpec *f, const char *v, Day today) {
  switch (f->kind) {
  case FK_TEXT:
  case FK_LONG:
  case FK_PHONE:
    if (!field_text_ok(v, f->kind == FK_LONG)) return FIELD_M_BAD_TEXT;
    if (f->max > 0 && field_chars(v) > (size_t)f->max) return f->msg_bound ? f->msg_bound : FIELD_M_TOO_LONG;
    if (f->kind == FK_PHONE && !field_phone_ok(v)) return field_msg(f, FIELD_M_PHONE);
    if (f->flags & FF_NAME) return name_problem(v);
    return NULL;
  case FK_DATE: {
    Day d;
    if (!date_parse(v, &d)) return FIELD_M_BAD_DATE;
    if ((f->flags & FF_NOT_FUTURE) && d > today) return FIELD_M_FUTURE;
    return NULL;
  }
  case FK_BOOL: return strcmp(v, "0") == 0 || strcmp(v, "1") == 0 ? NULL : field_msg(f, FIELD_M_BOOL);
  case FK_ENUM: return field_item_ok(f, v, strlen(v)) ? NULL : field_msg(f, FIELD_M_CHOICE);
  case FK_ENUM_SET:
    if (!field_text_ok(v, false) || !field_set_ok(f, v)) return field_msg(f, FIELD_M_CHOICE);
    return NULL;
  case FK_ID: {
    IdcardResult r = idcard_validate(v, NULL);
    return r == IDCARD_OK ? NULL : idcard_message(r);
  }
  case FK_INT: break;
  }
  return NULL;
}

bool field_check(const FieldSpec *f, const void *in, Day today, Err *e) {
  const char *m = NULL;
  if (f->kind == FK_INT) {
    int64_t v = field_int(f, in);
    if (v == 0) m = f->required ? FIELD_M_REQUIRED : NULL;
    else if (v < f->min || v > f->max) m = f->msg_bound ? f->msg_bound : FIELD_M_RANGE;
  } else {
    const char *v = field_text(f, in);
    if (!v || !*v) m = !f->required ? NULL : f->kind == FK_ENUM && f->msg ? f->msg : FIELD_M_REQUIRED;
    else m = field_text_problem(f, v, today);
  }
  if (m) err_field(e, f->key, m);
  return m == NULL;
}

int field_check_record(const RecordSpec *r, const void *in, Day today, Err *e) {
  for (int i = 0; i < r->n; i++) field_check(&r->fields[i], in, today, e);
  return e->code;
}

const FieldSpec *field_by_key(const RecordSpec *r, const char *key) {
  for (int i = 0; i < r->n; i++)
    if (strcmp(r->fields[i].key, key) == 0) return &r->fields[i];
  return NULL;
}

const char *field_json_name(const RecordSpec *r, const char *key) {
  const FieldSpec *f = field_by_key(r, key);
  return f && f->json ? f->json : key;
}

const char *field_text(const FieldSpec *f, const void *in) {
  const char *v;
  memcpy(&v, (const char *)in + f->offset, sizeof v);
  return v;
}

void field_set_text(const FieldSpec *f, void *out, const char *v) { memcpy((char *)out + f->offset, &v, sizeof v); }

int64_t field_int(const FieldSpec *f, const void *in) {
  int64_t v;
  memcpy(&v, (const char *)in + f->offset, sizeof v);
  return v;
}

void field_set_int(const FieldSpec *f, void *out, int64_t v) { memcpy((char *)out + f->offset, &v, sizeof v); }
