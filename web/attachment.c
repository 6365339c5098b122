/* web/attachment.c: attachments (photos and scans) over HTTP: the upload
 * (multipart, web/upload.h) and listing calls of the API and the upload
 * form of the pages, the voiding of an attachment, the one answer that
 * serves an attachment's bytes (API and browser), and the section a record's
 * page shows (thumbnails scaled by CSS, links, the upload form). The record
 * kinds are the table below: a kind of issue 10 (activities, letters,
 * inspections) is a row here, its twins in app/attachment.c and
 * store/attachment.c, and its routes. Parses, calls app/attachment.h,
 * renders; nothing else. */
#include "web/attachment.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/attachment.h"
#include "core/filetype.h"
#include "web/download.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/json.h"
#include "web/page.h"
#include "web/routes.h"
#include "web/upload.h"

/* What the browser may do with an attachment it shows on its own: show the
 * image or the PDF, run nothing, load nothing else, be framed by nobody. */
#define WA_CSP                                                                                                     \
  "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"

/* The record kinds the routes of this file serve: the kind (app/
 * attachment.h) of the record whose id is the route's {id} (the last one). */
#define WA_PERSON_DOCUMENT "person_document"

/* The record kind of an API route's {id}: the first path segment after
 * /api/v1/ names it (person_documents, unit_work, eradications). */
static const char *wa_api_entity(const Req *r) {
  static const struct { const char *prefix, *entity; } kinds[] = {
    {"/api/v1/person_documents/", WA_PERSON_DOCUMENT},
    {"/api/v1/unit_work/", "unit_work"},
    {"/api/v1/eradications/", "eradication"},
    {"/api/v1/letters/", "letter"},
    {"/api/v1/inspections/", "inspection"},
    {"/api/v1/activities/", "activity"},
    {"/api/v1/assess_marks/", "assess_mark"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strncmp(r->route, kinds[i].prefix, strlen(kinds[i].prefix)) == 0) return kinds[i].entity;
  return "";
}

/* ---- serving ------------------------------------------------------------ */

/* GET /attachments/{id} and GET /api/v1/attachments/{id}: the bytes, with
 * the type sniffed at upload (never the client's), inline (images and PDF;
 * ?download=1: attachment) under the uploaded name, nosniff (every answer
 * has it) and a CSP that lets the document run and load nothing. Out of
 * scope answers 404 as a missing attachment; every read is audited. */
void page_attachment_get(Req *r) {
  AttachmentRow m;
  unsigned char *bytes = NULL;
  size_t len = 0;
  Err e;
  err_clear(&e);
  if (app_attachment_get(&r->ctx, r->ids[0], &m, &bytes, &len, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  FileType t = filetype_from_mime(m.content_type);
  const char *dl = req_query(r, "download");
  char fallback[64];
  snprintf(fallback, sizeof fallback, "attachment-%" PRId64 "%s", m.id, filetype_ext(t));
  buf_clear(&r->out);
  buf_append(&r->out, (const char *)bytes, len);
  free(bytes);
  r->content_type = t != FT_NONE ? filetype_mime(t) : "application/octet-stream";
  r->csp = WA_CSP;
  download_disposition(r, t != FT_NONE && !(dl && strcmp(dl, "1") == 0), m.filename, fallback);
  r->status = 200;
  r->done = true;
}

/* ---- API ---------------------------------------------------------------- */

/* Writes one attachment's metadata as a JSON object. */
/* Writes the AttachmentRow *item's metadata (a JwItem). */
static void wa_json(JsonW *w, const void *item) {
  const AttachmentRow *a = item;
  char url[64];
  snprintf(url, sizeof url, "/api/v1/attachments/%" PRId64, a->id);
  jw_obj_begin(w);
  jw_key_int(w, "id", (long long)a->id);
  jw_key_str(w, "record", a->entity);
  jw_key_int(w, "record_id", (long long)a->entity_id);
  jw_key_str(w, "filename", a->filename);
  jw_key_str(w, "content_type", a->content_type);
  jw_key_int(w, "size", (long long)a->size);
  jw_key_str(w, "hash", a->hash);
  jw_key_str(w, "created_by", a->created_by);
  jw_key_str(w, "created_at", a->created_at);
  jw_key_bool(w, "voided", a->voided);
  if (a->voided) {
    jw_key_str(w, "voided_at", a->voided_at);
    jw_key_str(w, "void_reason", a->void_reason);
  }
  jw_key_str(w, "url", url);
  jw_obj_end(w);
}

/* Answers a's metadata with status. */
static void wa_answer_meta(Req *r, const AttachmentRow *a, int status) {
  JsonW w;
  json_begin(r, &w);
  wa_json(&w, a);
  json_end(r, &w, status);
}

/* Attaches the uploaded file of r to record entity/record_id; *out its
 * metadata. Answers nothing. */
static int wa_add(Req *r, const char *entity, int64_t record_id, AttachmentRow *out, Err *e) {
  if (!r->has_upload) return err_field(e, "file", "请选择要上传的文件");
  return app_attachment_add(&r->ctx, entity, record_id, r->upload_name, r->upload.data, r->upload.len, out, e);
}

/* POST /api/v1/person_documents/{id}/attachments (multipart/form-data, the
 * file in field "file"): 201 with the attachment's metadata. The same for
 * /api/v1/unit_work/{id}/attachments and /api/v1/eradications/{id}/
 * attachments (the record kind comes from the route, wa_api_entity). */
void api_attachment_upload_doc(Req *r) {
  Err e;
  err_clear(&e);
  AttachmentRow a;
  if (wa_add(r, wa_api_entity(r), r->ids[0], &a, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  wa_answer_meta(r, &a, 201);
}

/* GET /api/v1/person_documents/{id}/attachments: the document's attachments
 * that are not voided, oldest first, as a list. The same for the unit work
 * records' and the eradication patrols' (wa_api_entity). */
void api_attachment_list_doc(Req *r) {
  AttachmentRow *v = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  int rc = app_attachment_list(&r->ctx, wa_api_entity(r), r->ids[0], &v, &n, &e);
  json_list_all(r, rc, &e, v, n, sizeof *v, wa_json);
}

/* POST /api/v1/attachments/{id}/void {"reason"}: voids it (never deleted);
 * the metadata with "voided": true. */
void api_attachment_void(Req *r) {
  const char *reason;
  Err e;
  json_t *body = json_body_str(r, "reason", &reason, &e);
  if (!body) return;
  AttachmentRow a;
  if (e.code == ERR_OK) app_attachment_void(&r->ctx, r->ids[0], reason, &a, &e);
  json_decref(body);
  if (e.code != ERR_OK) resp_error(r, &e);
  else wa_answer_meta(r, &a, 200);
}

/* ---- pages -------------------------------------------------------------- */

/* The notices an upload or a void leaves on the record's page
 * (?att=CODE#att-RECORD): code, msgid. */
static const char *const wa_notices[] = {
    "saved", "文件已上传", "voided", "附件已作废", "type", "只能上传 JPEG、PNG 或 PDF 文件",
    "empty", "请选择要上传的文件", "reason", "请填写作废原因", NULL,
};

/* The notice code of an upload's or void's error. */
static const char *wa_notice_code(const Err *e) {
  const char *f = err_field_msg(e, "file");
  if (f && strcmp(f, "请选择要上传的文件") == 0) return "empty";
  if (f) return "type";
  if (err_field_msg(e, "reason")) return "reason";
  return NULL;
}

/* true when back is a local path a form may name to return to: "/" and
 * then letters, digits, '/', '-', '_' (no "//", no query). */
static bool wa_back_ok(const char *back) {
  if (!back || back[0] != '/' || back[1] == '/' || strlen(back) > 100) return false;
  for (const char *p = back; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '/' ||
          *p == '-' || *p == '_'))
      return false;
  return true;
}

/* Back to page back (a local path, checked) at record record_id's
 * attachments, with notice code. */
static void wa_back(Req *r, const char *back, int64_t record_id, const char *code) {
  char loc[192];
  snprintf(loc, sizeof loc, "%s?att=%s#att-%" PRId64, wa_back_ok(back) ? back : "/", code, record_id);
  resp_redirect(r, loc);
}

/* The answer of a form's write rc (e its error) about record id's
 * attachments: back to page back with the notice done, or with the notice
 * of a refused file or reason (another error answered as such). */
static void wa_done(Req *r, int rc, const Err *e, const char *back, int64_t id, const char *done) {
  const char *code = rc == ERR_OK ? done : wa_notice_code(e);
  if (code) wa_back(r, back, id, code);
  else resp_error(r, e);
}

/* The upload form's file attached to record id of entity; back to page
 * back (wa_done). */
static void wa_upload(Req *r, const char *entity, int64_t id, const char *back) {
  Err e;
  err_clear(&e);
  wa_done(r, wa_add(r, entity, id, NULL, &e), &e, back, id, "saved");
}

/* POST /persons/{id}/docs/{id}/attachments (the case file's upload form,
 * multipart): attaches the file to document ids[1]; back to the case file
 * with a notice, or with the message of a refused file (a file over 10 MB
 * never gets here: the server answers 413). */
void page_attachment_upload_doc(Req *r) {
  char back[48];
  snprintf(back, sizeof back, "/persons/%" PRId64, r->ids[0]);
  wa_upload(r, WA_PERSON_DOCUMENT, r->ids[1], back);
}

/* POST /letters/, /inspections/ and /activities/{id}/attachments (the
 * upload form of a ledger record's page, multipart): attaches the file to
 * record ids[0] of the kind the path names; back to the record's page with
 * a notice, or with the message of a refused file. */
void page_attachment_upload_record(Req *r) {
  static const struct { const char *prefix, *entity; } kinds[] = {
    {"/letters/", "letter"},
    {"/inspections/", "inspection"},
    {"/activities/", "activity"},
    {"/assessment/marks/", "assess_mark"},
  };
  const char *entity = NULL, *prefix = NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strncmp(r->route, kinds[i].prefix, strlen(kinds[i].prefix)) == 0) {
      entity = kinds[i].entity;
      prefix = kinds[i].prefix;
    }
  if (!entity) {
    resp_fail(r, ERR_NOT_FOUND, "记录不存在");
    return;
  }
  char back[64];
  snprintf(back, sizeof back, "%s%" PRId64, prefix, r->ids[0]);
  wa_upload(r, entity, r->ids[0], back);
}

/* POST /attachments/{id}/void (reason, back: the page to return to): voids
 * the attachment; back to that page with a notice. */
void page_attachment_void(Req *r) {
  Err e;
  err_clear(&e);
  const char *back = req_form_str(r, "back");
  AttachmentRow a = {0};
  int rc = app_attachment_void(&r->ctx, r->ids[0], req_form_str(r, "reason"), &a, &e);
  wa_done(r, rc, &e, back, a.entity_id, "voided");
}

void page_attachment_section(Req *r, const char *entity, int64_t record_id, const char *upload_action,
                             const char *back, bool forms) {
  AttachmentRow *v = NULL;
  int n = 0;
  Err e;
  err_clear(&e);
  if (app_attachment_list(&r->ctx, entity, record_id, &v, &n, &e) != ERR_OK) return;
  html(r, "<div class=\"attachments\" id=\"att-%" PRId64 "\">", record_id);
  if (n > 0) {
    html_raw(r, "<ul class=\"thumbs\">");
    for (int i = 0; i < n; i++) {
      const AttachmentRow *a = &v[i];
      FileType t = filetype_from_mime(a->content_type);
      html(r, "<li><a href=\"/attachments/%" PRId64 "\" target=\"_blank\" rel=\"noopener\">", a->id);
      if (filetype_is_image(t))
        html(r, "<img src=\"/attachments/%" PRId64 "\" alt=\"%s\" loading=\"lazy\">", a->id, a->filename);
      else html_raw(r, "<span class=\"filebox\">PDF</span>");
      html(r, "<span class=\"fname\">%s</span></a>", a->filename);
      if (forms) {
        html(r, "<details class=\"void\"><summary>%s</summary><form method=\"post\" action=\"/attachments/%" PRId64
                "/void\"><input type=\"hidden\" name=\"back\" value=\"%s\">",
             T(r, "作废"), a->id, back);
        form_csrf(r);
        html(r, "<label for=\"f-void-%" PRId64 "\">%s</label> <input type=\"text\" id=\"f-void-%" PRId64
                "\" name=\"reason\" maxlength=\"%d\" required> <button type=\"submit\" class=\"secondary\">%s</button>"
                "</form></details>",
             a->id, T(r, "作废原因"), a->id, ATTACHMENT_REASON_MAX, T(r, "作废"));
      }
      html_raw(r, "</li>");
    }
    html_raw(r, "</ul>");
  }
  if (forms) {
    html(r, "<form method=\"post\" enctype=\"multipart/form-data\" class=\"upload\" action=\"%s\">", upload_action);
    form_csrf(r);
    html(r, "<label for=\"f-file-%" PRId64 "\">%s</label> <input type=\"file\" id=\"f-file-%" PRId64 "\" name=\"%s\" "
            "accept=\"image/jpeg,image/png,application/pdf\" required> <button type=\"submit\">%s</button>"
            " <span class=\"muted\">%s</span></form>",
         record_id, T(r, "上传扫描件或照片"), record_id, UPLOAD_FIELD, T(r, "上传"),
         T(r, "JPEG、PNG 或 PDF，不超过 10 MB"));
  }
  html_raw(r, "</div>");
  free(v);
}

void page_attachment_notice(Req *r) {
  const char *code = req_query(r, "att");
  for (int i = 0; code && wa_notices[i]; i += 2) {
    if (strcmp(code, wa_notices[i]) != 0) continue;
    bool ok = i < 4; /* "saved" and "voided" */
    html(r, "<div class=\"%s\" role=\"%s\">%s</div>", ok ? "notice" : "error", ok ? "status" : "alert",
         T(r, wa_notices[i + 1]));
  }
}
