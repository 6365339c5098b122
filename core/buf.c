/* core/buf.c: the growable text buffer (see buf.h). */
#include "buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(Buf *b) { b->data = NULL; b->len = 0; b->cap = 0; }

void buf_reset(Buf *b) { free(b->data); buf_init(b); }

void buf_clear(Buf *b) { b->len = 0; if (b->data) b->data[0] = 0; }

void buf_reserve(Buf *b, size_t n) {
  if (b->len + n + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + n + 1) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) abort();
  b->data = p;
  b->cap = cap;
}

void buf_append(Buf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

void buf_puts(Buf *b, const char *s) { if (s) buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  if (n < 0) { va_end(ap2); return; }
  if ((size_t)n < sizeof small) {
    buf_append(b, small, (size_t)n);
  } else {
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void buf_escape(Buf *b, const char *s, size_t n, const char *const rep[128], BufCtrl ctrl) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
  for (; p < end; p++) {
    unsigned char ch = *p;
    const char *r = ch < 128 ? rep[ch] : NULL;
    bool ctl = ctrl != BUF_CTRL_KEEP && (ch < 0x20 || (ch == 0x7f && ctrl == BUF_CTRL_DROP));
    if (!r && !ctl) continue;
    if (p > run) buf_append(b, (const char *)run, (size_t)(p - run));
    run = p + 1;
    if (r) buf_puts(b, r);
    else if (ctrl == BUF_CTRL_UNICODE) buf_printf(b, "\\u%04x", ch);
  }
  if (p > run) buf_append(b, (const char *)run, (size_t)(p - run));
}

const char *buf_str(const Buf *b) { return b->data ? b->data : ""; }

char *buf_detach(Buf *b) {
  char *p = b->data;
  if (!p) { p = calloc(1, 1); if (!p) abort(); }
  buf_init(b);
  return p;
}

bool str_of(const char *s, size_t min, size_t max, const char *chars) {
  if (!s) return false;
  size_t n = strlen(s);
  return n >= min && n <= max && strspn(s, chars) == n;
}

void str_copy(char *dst, size_t n, const char *src) {
  size_t len = src ? strlen(src) : 0;
  if (len >= n) {
    len = n - 1;
    while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80) len--;
  }
  if (len) memcpy(dst, src, len);
  dst[len] = 0;
}

void *array_grow(void *arr, int count, int *cap, size_t sz) {
  if (count < *cap) return arr;
  *cap = *cap ? *cap * 2 : 8;
  void *p = realloc(arr, (size_t)*cap * sz);
  if (!p) abort();
  return p;
}

void array_free(void *arrp, int *n) {
  void *arr;
  memcpy(&arr, arrp, sizeof arr);
  free(arr);
  arr = NULL;
  memcpy(arrp, &arr, sizeof arr);
  *n = 0;
}

const void *array_find_str(const void *arr, int n, size_t sz, size_t off, const char *key) {
  for (int i = 0; key && i < n; i++) {
    const char *el = (const char *)arr + (size_t)i * sz;
    if (strcmp(*(const char *const *)(el + off), key) == 0) return el;
  }
  return NULL;
}
