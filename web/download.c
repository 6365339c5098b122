/* web/download.c: Content-Disposition with an RFC 5987 filename, and
 * answers whose body is an open file (see web/download.h). */
#include "web/download.h"
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/buf.h"

/* true for the bytes kept as they are in both filename forms. */
static bool download_plain(unsigned char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
         ch == '_';
}

void download_disposition(Req *r, bool inline_, const char *filename, const char *fallback) {
  assert(filename && fallback);
  Buf h = BUF_INIT;
  bool plain = *filename && *filename != '.';
  for (const unsigned char *p = (const unsigned char *)filename; *p && plain; p++) plain = download_plain(*p);
  buf_printf(&h, "%s; filename=\"%s\"; filename*=UTF-8''", inline_ ? "inline" : "attachment",
             plain ? filename : fallback);
  for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
    if (download_plain(*p)) buf_putc(&h, (char)*p);
    else buf_printf(&h, "%%%02X", *p);
  }
  resp_header(r, "Content-Disposition", buf_str(&h));
  buf_reset(&h);
}

void download_fd(Req *r, int fd, uint64_t size, const char *content_type) {
  assert(fd >= 0);
  if (r->body_fd >= 0) close(r->body_fd);
  buf_clear(&r->out);
  r->body_fd = fd;
  r->body_fd_size = size;
  r->status = 200;
  r->content_type = content_type;
  r->done = true;
}
