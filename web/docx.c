/* web/docx.c: owns packing a Word document (see web/docx.h): the package's
 * parts (core/docx.h) into a zip archive built in memory by libzip. */
#include "web/docx.h"
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include "core/docx.h"
#include "web/download.h"

#define M_DOCX "生成 Word 文件失败"

int docx_build(const char *title, const char *text, Buf *out, Err *e) {
  Buf doc = BUF_INIT;
  docx_document_xml(title, text, &doc);
  const char *names[3] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml"};
  const char *data[3] = {docx_content_types, docx_rels, buf_str(&doc)};
  size_t len[3] = {strlen(docx_content_types), strlen(docx_rels), doc.len};
  zip_error_t ze;
  zip_error_init(&ze);
  int rc = ERR_OK;
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
  if (!za) {
    if (src) zip_source_free(src);
    zip_error_fini(&ze);
    buf_reset(&doc);
    return err_set(e, ERR_INTERNAL, M_DOCX);
  }
  zip_source_keep(src); /* read back after zip_close */
  for (int i = 0; i < 3 && rc == ERR_OK; i++) {
    zip_source_t *part = zip_source_buffer(za, data[i], len[i], 0);
    if (!part || zip_file_add(za, names[i], part, ZIP_FL_ENC_UTF_8) < 0) {
      if (part) zip_source_free(part);
      rc = ERR_INTERNAL;
    }
  }
  if (rc == ERR_OK && zip_close(za) < 0) rc = ERR_INTERNAL;
  if (rc != ERR_OK) zip_discard(za);
  zip_stat_t st;
  if (rc == ERR_OK && (zip_source_open(src) < 0 || zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)))
    rc = ERR_INTERNAL;
  else if (rc == ERR_OK) {
    buf_reserve(out, out->len + (size_t)st.size + 1);
    zip_int64_t got = zip_source_read(src, out->data + out->len, st.size);
    if (got != (zip_int64_t)st.size) rc = ERR_INTERNAL;
    else out->len += (size_t)got;
    zip_source_close(src);
  }
  zip_source_free(src);
  zip_error_fini(&ze);
  buf_reset(&doc);
  return rc == ERR_OK ? ERR_OK : err_set(e, ERR_INTERNAL, M_DOCX);
}

void docx_send(Req *r, const char *title, const char *text, const char *filename) {
  Err e;
  err_clear(&e);
  Buf file = BUF_INIT;
  if (docx_build(title, text, &file, &e) != ERR_OK) {
    buf_reset(&file);
    resp_error(r, &e);
    return;
  }
  buf_clear(&r->out);
  buf_append(&r->out, file.data, file.len);
  buf_reset(&file);
  download_disposition(r, false, filename, "summary.docx");
  r->status = 200;
  r->content_type = DOCX_MIME;
  r->done = true;
}
