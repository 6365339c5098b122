/* core/buf.h: Buf, the one growable text buffer (all text, HTML, JSON and SQL
 * fragments are built in a Buf). Ownership: a Buf owns its data; buf_reset()
 * frees it; buf_detach() hands the data to the caller, who frees it with free().
 * Also buf_escape, the one loop of the HTML, XML and JSON escapers; the
 * small memory helpers every layer had its own copy of: str_copy (bounded
 * string copy), array_grow and array_free; and array_find_str, the lookup
 * of a static table by its code. Out of memory aborts. */
#ifndef JINDU_BUF_H
#define JINDU_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct Buf {
  char *data; /* always NUL-terminated when cap>0; NULL when empty and never grown */
  size_t len;
  size_t cap;
} Buf;

#define BUF_INIT {0, 0, 0}

/* Sets b empty without freeing (use on fresh memory only). */
void buf_init(Buf *b);
/* Frees b's storage and leaves it empty and reusable. */
void buf_reset(Buf *b);
/* Keeps the storage, sets the length to 0. */
void buf_clear(Buf *b);
/* Ensures room for n more bytes plus the terminating NUL. */
void buf_reserve(Buf *b, size_t n);
/* Appends n bytes of s (s need not be NUL-terminated). */
void buf_append(Buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string; NULL appends nothing. */
void buf_puts(Buf *b, const char *s);
/* Appends one byte. */
void buf_putc(Buf *b, char c);
/* Appends printf-formatted text, raw (no escaping). */
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
/* What buf_escape does with a control byte (below 0x20) that its table
 * leaves alone: keep it, drop it (0x7f too: XML 1.0 has neither), or write
 * it as JSON's \u00XX. */
typedef enum BufCtrl { BUF_CTRL_KEEP, BUF_CTRL_DROP, BUF_CTRL_UNICODE } BufCtrl;
/* Appends the n bytes at s, each ASCII byte ch for which rep[ch] is set
 * replaced by that text and control bytes as ctrl says (runs of the other
 * bytes copied whole): the one loop of the HTML, XML and JSON escapers. */
void buf_escape(Buf *b, const char *s, size_t n, const char *const rep[128], BufCtrl ctrl);
/* Returns the text, "" when empty; valid until the next change of b. */
const char *buf_str(const Buf *b);
/* Returns the malloc'd text (caller frees) and leaves b empty. Never NULL. */
char *buf_detach(Buf *b);

/* Copies src (NULL reads as "") into dst of size n (n > 0), cut on a UTF-8
 * character boundary when too long; dst is always terminated. */
void str_copy(char *dst, size_t n, const char *src);
/* true when s (NULL: false) is min to max bytes long, every one of them in
 * the set chars (a code or a user name). */
bool str_of(const char *s, size_t min, size_t max, const char *chars);
/* Grows arr (elements of size sz, *cap of them) so that index count fits,
 * doubling; returns the (possibly moved) array, which the caller frees. */
void *array_grow(void *arr, int count, int *cap, size_t sz);
/* Frees the array that *arrp points at (arrp: the address of any T * that
 * array_grow filled), sets that pointer NULL and its count *n to 0. */
void array_free(void *arrp, int *n);
/* The element of arr (n elements of size sz) whose string member at offset
 * off (a const char *) equals key; NULL when none or key is NULL. */
const void *array_find_str(const void *arr, int n, size_t sz, size_t off, const char *key);

#endif
