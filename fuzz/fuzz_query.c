/* fuzz/fuzz_query.c: libFuzzer harness of the request target: the input is
 * the URL of a GET (bytes a request line cannot hold are %-escaped), which
 * libmicrohttpd splits and decodes and web/server.c req_collect_query
 * copies into r->query; then what handlers do with it: the route table's
 * matcher on the path, the integer, date and period parameters of lists,
 * statistics and reports. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "core/period.h"
#include "core/stats.h"
#include "fuzz/fuzz.h"
#include "fuzz/mhd.h"
#include "web/json.h"
#include "web/routes.h"

/* The handler: the query as every handler reads it. */
static void fz_query(Req *r) {
  req_collect_query(r);
  assert(r->nquery <= REQ_MAX_PARAMS);
  bool matched;
  (void)routes_match(r, "GET", r->path, &matched);
  (void)routes_match(r, "POST", r->path, &matched);
  (void)req_query_int(r, "page", 1, 1, 100000);
  (void)req_query_int(r, "per_page", 30, 1, 200);
  Err e;
  err_clear(&e);
  (void)json_query_int(r, "page", 1, 100000, &e);
  static const char *const dates[] = {"date", "from", "to"};
  for (int i = 0; i < 3; i++) {
    const char *v = req_query(r, dates[i]);
    Day d;
    if (v) (void)date_parse(v, &d);
  }
  const char *v = req_query(r, "period");
  if (v) {
    Period p;
    StatPeriod sp;
    (void)period_parse(v, &p);
    (void)stats_period_parse(v, &sp);
  }
  r->status = r->params_too_many ? 400 : 200;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 8000) return 0; /* libmicrohttpd's request line limit is its memory pool's */
  char *req = malloc(size * 3 + 128);
  if (!req) abort();
  size_t n = (size_t)sprintf(req, "GET %s", size && data[0] == '/' ? "" : "/api/v1/stats?");
  for (size_t i = 0; i < size; i++) {
    unsigned char c = data[i];
    if (c <= 0x20 || c == 0x7f) n += (size_t)sprintf(req + n, "%%%02X", c);
    else req[n++] = (char)c;
  }
  n += (size_t)sprintf(req + n, " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n");
  (void)fuzz_mhd_request(fz_query, req, n);
  free(req);
  return 0;
}
