/* web/table_cards.c: the one mechanism that lets every table of a page fold
 * into cards on a phone: after a page is written, each <table> that has a
 * <thead> is marked data-cards and each of its body cells gets the header
 * of its column as data-label, which the stylesheet shows beside the value
 * below 600 px. Pages write plain tables; nothing per page. */
#include <string.h>
#include "web/html.h"

#define TC_COLS 24      /* columns labelled; cells further right go unlabelled */
#define TC_LABEL_MAX 96 /* bytes of a label kept */

/* true when s starts with the tag name tag ("<td") followed by a space or '>'. */
static bool tc_tag(const char *s, const char *tag) {
  size_t n = strlen(tag);
  return strncmp(s, tag, n) == 0 && (s[n] == ' ' || s[n] == '>');
}

/* Copies the text of the element whose content starts at s into label
 * (markup dropped, white space kept), up to the end tag close ("</th>").
 * Returns the position of the end tag (or the end of the string). */
static const char *tc_text(const char *s, const char *close, char *label, size_t size) {
  const char *end = strstr(s, close);
  if (!end) end = s + strlen(s);
  size_t k = 0;
  bool in_tag = false;
  for (const char *p = s; p < end; p++) {
    if (*p == '<') in_tag = true;
    else if (*p == '>') in_tag = false;
    else if (!in_tag && k + 1 < size) label[k++] = *p;
  }
  /* never cut a UTF-8 sequence or a character reference in two */
  if (k + 1 >= size) {
    while (k > 0 && ((unsigned char)label[k - 1] & 0xC0) == 0x80) k--;
    if (k > 0 && ((unsigned char)label[k - 1] & 0xC0) == 0xC0) k--;
    char *amp = memchr(label, '&', k);
    while (amp && memchr(amp, ';', k - (size_t)(amp - label)) == NULL) {
      k = (size_t)(amp - label);
      amp = memchr(label, '&', k);
    }
  }
  label[k] = 0;
  return end;
}

void html_table_cards(Buf *out, size_t from) {
  const char *s = buf_str(out);
  if (from >= out->len || !strstr(s + from, "<table")) return;
  Buf b = BUF_INIT;
  buf_append(&b, s, from);
  char labels[TC_COLS][TC_LABEL_MAX];
  int nlabels = 0, col = 0;
  bool in_table = false, in_head = false;
  const char *p = s + from, *run = p;
  while ((p = strchr(p, '<')) != NULL) {
    if (tc_tag(p, "<table")) {
      /* a table with a header row folds into cards */
      const char *close = strstr(p, "</table>"), *head = strstr(p, "<thead");
      in_table = true;
      nlabels = 0;
      if (head && (!close || head < close)) {
        buf_append(&b, run, (size_t)(p - run) + 6);
        buf_puts(&b, " data-cards");
        run = p + 6;
      }
    } else if (in_table && tc_tag(p, "<thead")) {
      in_head = true;
    } else if (in_table && strncmp(p, "</thead>", 8) == 0) {
      in_head = false;
    } else if (in_table && strncmp(p, "</table>", 8) == 0) {
      in_table = in_head = false;
    } else if (in_head && tc_tag(p, "<th") && nlabels < TC_COLS) {
      const char *gt = strchr(p, '>');
      if (!gt) break;
      tc_text(gt + 1, "</th>", labels[nlabels++], TC_LABEL_MAX);
    } else if (in_table && !in_head && tc_tag(p, "<tr")) {
      col = 0;
    } else if (in_table && !in_head && tc_tag(p, "<td")) {
      const char *gt = strchr(p, '>');
      if (!gt) break;
      size_t taglen = (size_t)(gt - p);
      bool plain = !memmem(p, taglen, "colspan", 7) && !memmem(p, taglen, "data-label", 10);
      if (plain && col < nlabels && labels[col][0]) {
        buf_append(&b, run, (size_t)(p - run) + 3);
        buf_puts(&b, " data-label=\"");
        buf_puts(&b, labels[col]);
        buf_putc(&b, '"');
        run = p + 3;
      }
      col++;
    }
    p++;
  }
  buf_puts(&b, run);
  buf_reset(out);
  *out = b;
}
