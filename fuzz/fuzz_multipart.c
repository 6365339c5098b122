/* fuzz/fuzz_multipart.c: libFuzzer harness of the upload parser (web/
 * upload.c upload_parse: libmicrohttpd's post processor and our iterator
 * that fills r->form and r->upload) over a real request: the input's first
 * line is the Content-Type (its boundary), the rest the body. A parse that
 * succeeds holds at most one file within the size bound, whose name cleans
 * to valid text; every failure is answered with an error status. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/field.h"
#include "core/filetype.h"
#include "fuzz/fuzz.h"
#include "fuzz/mhd.h"
#include "web/upload.h"

/* The handler: what web/server.c does for a ROUTE_UPLOAD route, then what
 * the attachment handlers do with the file. */
static void fz_upload(Req *r) {
  if (!upload_parse(r)) {
    assert(r->done && r->status >= 400 && r->status < 500);
    return;
  }
  assert(r->upload.len <= FILETYPE_MAX_BYTES && r->nform <= REQ_MAX_PARAMS);
  FileType t = filetype_sniff((const unsigned char *)r->upload.data, r->upload.len);
  char clean[256];
  filetype_clean_name(r->upload_name, t, clean, sizeof clean);
  assert(field_text_ok(clean, false));
  (void)req_form(r, "_csrf");
  (void)req_form(r, "reason");
  r->status = 201;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nl = memchr(data, '\n', size);
  size_t clen = nl ? (size_t)(nl - data) : 0;
  const uint8_t *body = nl ? nl + 1 : data;
  size_t blen = size - (size_t)(body - data);
  char ctype[512];
  size_t k = 0;
  for (size_t i = 0; i < clen && k < sizeof ctype - 1; i++)
    if (data[i] != '\r' && data[i] != 0) ctype[k++] = (char)data[i]; /* a header line holds no CR or NUL */
  ctype[k] = 0;
  if (!nl) snprintf(ctype, sizeof ctype, "multipart/form-data; boundary=XyZ");
  char head[768];
  int h = snprintf(head, sizeof head,
                   "POST /api/v1/activities/1/attachments HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
                   "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                   ctype, blen);
  char *req = malloc((size_t)h + blen);
  if (!req) abort();
  memcpy(req, head, (size_t)h);
  if (blen) memcpy(req + h, body, blen);
  (void)fuzz_mhd_request(fz_upload, req, (size_t)h + blen);
  free(req);
  return 0;
}
