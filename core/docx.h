/* core/docx.h: the WordprocessingML of a plain document (a title and lines
 * of text) for a .docx (OOXML) file: the three parts Word and WPS need
 * ([Content_Types].xml, _rels/.rels, word/document.xml). A line that opens
 * with a Chinese section number ("一、", "（二）") is a heading in bold; other
 * lines are paragraphs indented by two characters; the title is centred
 * and large. Text is escaped for XML, and characters XML 1.0 cannot hold
 * (control characters other than tab) are left out. Pure: web/docx.c
 * packs the parts into the zip. */
#ifndef JINDU_CORE_DOCX_H
#define JINDU_CORE_DOCX_H
#include "core/buf.h"

extern const char docx_content_types[];
extern const char docx_rels[];

/* Appends word/document.xml of title and text (lines separated by '\n';
 * CR ignored) to out. */
void docx_document_xml(const char *title, const char *text, Buf *out);
/* Appends s escaped for XML character data and attribute values. */
void docx_escape(const char *s, size_t n, Buf *out);
/* 1 for a "一、" heading, 2 for a "（一）" heading, 0 for a paragraph. */
int docx_heading_level(const char *line, size_t n);

#endif
