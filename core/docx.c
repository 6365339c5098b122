/* core/docx.c: owns the XML of a .docx (see core/docx.h). */
#include "core/docx.h"
#include <string.h>

const char docx_content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\""
    " ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

const char docx_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\""
    " Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
    " Target=\"word/document.xml\"/>"
    "</Relationships>";

void docx_escape(const char *s, size_t n, Buf *out) {
  static const char *const rep[128] = {['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\t'] = " "};
  buf_escape(out, s, n, rep, BUF_CTRL_DROP); /* the other controls are not in XML 1.0 */
}

/* true when s (n bytes) starts with one or more Chinese numerals 一..十. */
static size_t dx_numerals(const char *s, size_t n) {
  static const char *const d[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  size_t at = 0;
  for (;;) {
    bool hit = false;
    for (int i = 0; i < 10 && !hit; i++) {
      size_t k = strlen(d[i]);
      if (at + k <= n && memcmp(s + at, d[i], k) == 0) at += k, hit = true;
    }
    if (!hit) return at;
  }
}

int docx_heading_level(const char *line, size_t n) {
  size_t k = dx_numerals(line, n);
  if (k && n >= k + 3 && memcmp(line + k, "、", 3) == 0) return 1;
  if (n >= 3 && memcmp(line, "（", 3) == 0) {
    size_t j = dx_numerals(line + 3, n - 3);
    if (j && n >= 3 + j + 3 && memcmp(line + 3 + j, "）", 3) == 0) return 2;
  }
  return 0;
}

#define DX_FONT "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\"/>"

/* One paragraph: ppr (paragraph properties), rpr (run properties), the text. */
static void dx_para(Buf *out, const char *ppr, const char *rpr, const char *s, size_t n) {
  buf_printf(out, "<w:p><w:pPr>%s</w:pPr><w:r><w:rPr>" DX_FONT "%s</w:rPr><w:t xml:space=\"preserve\">", ppr, rpr);
  docx_escape(s, n, out);
  buf_puts(out, "</w:t></w:r></w:p>");
}

void docx_document_xml(const char *title, const char *text, Buf *out) {
  buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
  const char *t = title ? title : "";
  dx_para(out, "<w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/>", "<w:b/><w:sz w:val=\"36\"/>", t, strlen(t));
  const char *s = text ? text : "";
  while (*s) {
    size_t n = strcspn(s, "\n");
    size_t m = n;
    while (m > 0 && s[m - 1] == '\r') m--;
    int level = docx_heading_level(s, m);
    if (m == 0) buf_puts(out, "<w:p/>");
    else if (level == 1) dx_para(out, "<w:spacing w:before=\"120\"/>", "<w:b/><w:sz w:val=\"30\"/>", s, m);
    else if (level == 2) dx_para(out, "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>", "<w:b/><w:sz w:val=\"30\"/>", s, m);
    else dx_para(out, "<w:spacing w:line=\"360\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>",
                 "<w:sz w:val=\"30\"/>", s, m);
    s += n + (s[n] == '\n');
  }
  buf_puts(out, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                "<w:pgMar w:top=\"1440\" w:right=\"1800\" w:bottom=\"1440\" w:left=\"1800\" w:header=\"851\""
                " w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
}
