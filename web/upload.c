/* web/upload.c: the body limit of upload routes and the multipart/form-data
 * parser of their bodies (libmicrohttpd's post processor; see web/upload.h). */
#include "web/upload.h"
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "web/routes.h"

/* The form text (every field but the file) an upload may carry. */
#define UPLOAD_FORM_MAX (16 * 1024)

size_t upload_body_max(const char *method, const char *path) {
  Req probe; /* routes_match writes the ids of the path here; nothing else is read */
  memset(&probe, 0, sizeof probe);
  bool path_matched;
  const Route *rt = routes_match(&probe, method, path, &path_matched);
  return rt && (rt->flags & ROUTE_UPLOAD) ? UPLOAD_BODY_MAX : REQ_BODY_MAX;
}

/* What the post processor's iterator found wrong (the first problem). */
typedef enum { UP_OK, UP_TWO_FILES, UP_FILE_TOO_LARGE, UP_FORM_TOO_LARGE } UploadProblem;

typedef struct UploadState {
  Req *r;
  UploadProblem problem;
  size_t form_bytes;
  bool in_file; /* the file part has begun */
} UploadState;

/* The post processor's iterator: called for every chunk of every part
 * (off: where the chunk lies in its part's value). */
static enum MHD_Result upload_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                   const char *content_type, const char *transfer_encoding, const char *data,
                                   uint64_t off, size_t size) {
  (void)kind; (void)content_type; (void)transfer_encoding;
  UploadState *u = cls;
  Req *r = u->r;
  /* A part whose Content-Disposition names no field (libmicrohttpd then
   * passes no key): nothing of ours, ignored. Found by fuzz/fuzz_multipart.c:
   * strlen(NULL) here took the whole server down, before any sign-in. */
  if (!key) return MHD_YES;
  if (filename) {
    if (strcmp(key, UPLOAD_FIELD) != 0) return MHD_YES; /* a file under another name: ignored */
    if (!u->in_file) {
      r->has_upload = true;
      u->in_file = true;
      str_copy(r->upload_name, sizeof r->upload_name, filename);
    } else if (off != r->upload.len) { /* a chunk that does not continue the file: a second file */
      u->problem = UP_TWO_FILES;
      return MHD_NO;
    }
    if (r->upload.len + size > FILETYPE_MAX_BYTES) { u->problem = UP_FILE_TOO_LARGE; return MHD_NO; }
    if (size) buf_append(&r->upload, data, size);
    return MHD_YES;
  }
  u->form_bytes += strlen(key) + size;
  if (u->form_bytes > UPLOAD_FORM_MAX) { u->problem = UP_FORM_TOO_LARGE; return MHD_NO; }
  if (off > 0 && r->nform > 0 && strcmp(r->form[r->nform - 1].key, key) == 0) {
    /* the next chunk of the last field's value */
    Param *p = &r->form[r->nform - 1];
    size_t had = strlen(p->val);
    char *v = realloc(p->val, had + size + 1);
    if (!v) abort();
    memcpy(v + had, data, size);
    v[had + size] = 0;
    p->val = v;
    return MHD_YES;
  }
  if (r->nform >= REQ_MAX_PARAMS) { u->problem = UP_FORM_TOO_LARGE; return MHD_NO; }
  char *k = strdup(key), *v = strndup(data ? data : "", size);
  if (!k || !v) abort();
  r->form[r->nform].key = k;
  r->form[r->nform].val = v;
  r->nform++;
  return MHD_YES;
}

bool upload_parse(Req *r) {
  const char *ctype = req_header(r, "Content-Type");
  if (!ctype || strncasecmp(ctype, "multipart/form-data", 19) != 0) {
    resp_fail(r, ERR_INVALID, "请以 multipart/form-data 格式上传文件");
    return false;
  }
  UploadState u = {r, UP_OK, 0, false};
  struct MHD_PostProcessor *pp =
      MHD_create_post_processor((struct MHD_Connection *)r->conn, 64 * 1024, upload_iter, &u);
  if (!pp) { /* no boundary in the Content-Type */
    resp_fail(r, ERR_INVALID, "请以 multipart/form-data 格式上传文件");
    return false;
  }
  bool ok = MHD_post_process(pp, r->body.data ? r->body.data : "", r->body.len) == MHD_YES;
  ok = MHD_destroy_post_processor(pp) == MHD_YES && ok; /* MHD_NO: the body ended inside a part */
  buf_reset(&r->body); /* the parts are where they belong now */
  switch (u.problem) {
  case UP_FILE_TOO_LARGE:
    buf_reset(&r->upload);
    resp_fail(r, ERR_TOO_LARGE, UPLOAD_TOO_LARGE_MSG);
    return false;
  case UP_TWO_FILES: resp_fail(r, ERR_INVALID, "一次只能上传一个文件"); return false;
  case UP_FORM_TOO_LARGE: resp_fail(r, ERR_INVALID, "参数过多"); return false;
  case UP_OK: break;
  }
  if (!ok) {
    resp_fail(r, ERR_INVALID, "上传的数据不完整，请重新上传");
    return false;
  }
  return true;
}
