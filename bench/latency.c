/* bench/latency.c: the benchmark's latency client (built by bench/run.sh,
 * not part of jindu). One keep-alive HTTP/1.1 connection, requests sent one
 * after another; each request is timed with clock_gettime(CLOCK_MONOTONIC)
 * from the first byte written to the last body byte read, so the figures are
 * the server's response time plus loopback, without a client library's
 * overhead. Paths come from a template whose "{}" is replaced by a value
 * drawn deterministically (splitmix64, -s SEED) from an integer range or
 * from the lines of a file (percent-encoded). Prints one tab-separated line:
 *   label n errors mean p50 p95 p99 max avg_bytes reconnects   (ms)
 * Exit status 0 when every timed request answered the expected status, 1
 * otherwise, 2 on bad usage.
 *
 *   latency --free-port            prints a free TCP port on 127.0.0.1
 *   latency -p PORT -u TEMPLATE (-r LO:HI | -f FILE) [-H 'Name: value']...
 *           [-n N] [-w WARMUP] [-s SEED] [-l LABEL] [-x STATUS] [-t SECONDS]
 *           [-o PATHS_FILE]   (writes the timed paths, one a line, for checks)
 *           [-d JSON_BODY]    (POST the body as application/json instead of GET)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 8
#define MAX_VALUES 200000

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("latency: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static uint64_t rng_state;
/* splitmix64 */
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- connection ---------------------------------------------------------- */

static int conn_fd = -1;
static char host[64] = "127.0.0.1";
static int port;

static void conn_close(void) {
  if (conn_fd >= 0) close(conn_fd);
  conn_fd = -1;
}

static void conn_open(void) {
  conn_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (conn_fd < 0) die("socket: %s", strerror(errno));
  int one = 1;
  setsockopt(conn_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct timeval tv = {30, 0}; /* a request that hangs ends the run, not the machine */
  setsockopt(conn_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(conn_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) die("bad host %s", host);
  if (connect(conn_fd, (struct sockaddr *)&sa, sizeof sa) != 0) die("connect %s:%d: %s", host, port, strerror(errno));
}

/* Receive buffer: bytes [rpos, rlen) are unread. */
static char *rbuf;
static size_t rcap, rlen, rpos;

/* Reads more bytes into rbuf; returns the count, 0 on EOF, -1 on error. */
static ssize_t conn_fill(void) {
  if (rpos > 0 && rpos == rlen) rpos = rlen = 0;
  if (rlen + 65536 > rcap) {
    if (rpos > 0) {
      memmove(rbuf, rbuf + rpos, rlen - rpos);
      rlen -= rpos;
      rpos = 0;
    }
    if (rlen + 65536 > rcap) {
      rcap = rcap ? rcap * 2 : 1 << 20;
      rbuf = realloc(rbuf, rcap);
      if (!rbuf) die("out of memory");
    }
  }
  ssize_t n;
  do n = recv(conn_fd, rbuf + rlen, rcap - rlen, 0);
  while (n < 0 && errno == EINTR);
  if (n > 0) rlen += (size_t)n;
  return n;
}

static int send_all(const char *p, size_t n) {
  while (n) {
    ssize_t w = send(conn_fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Makes sure n unread bytes are buffered; -1 on EOF/error. */
static int need(size_t n) {
  while (rlen - rpos < n)
    if (conn_fill() <= 0) return -1;
  return 0;
}

/* Position of "\r\n" at or after rpos+from, reading more as needed; -1 on EOF. */
static long find_crlf(size_t from) {
  for (;;) {
    for (size_t i = rpos + from; i + 1 < rlen; i++)
      if (rbuf[i] == '\r' && rbuf[i + 1] == '\n') return (long)(i - rpos);
    if (conn_fill() <= 0) return -1;
  }
}

/* Reads one response. Fills *status and *body_len; *close_after when the
 * server will close. Returns 0, or -1 when the connection ended before any
 * byte of a response (*got_any false) or in the middle of one. */
static int read_response(int *status, size_t *body_len, int *close_after, int *got_any) {
  *got_any = 0;
  if (rpos == rlen) {
    ssize_t n = conn_fill();
    if (n <= 0) return -1;
  }
  *got_any = 1;
  /* headers end at \r\n\r\n */
  size_t hend;
  for (;;) {
    char *p = memmem(rbuf + rpos, rlen - rpos, "\r\n\r\n", 4);
    if (p) {
      hend = (size_t)(p - (rbuf + rpos)) + 4;
      break;
    }
    if (conn_fill() <= 0) return -1;
  }
  char *h = rbuf + rpos;
  if (hend < 12 || strncmp(h, "HTTP/1.", 7) != 0) return -1;
  *status = atoi(h + 9);
  long clen = -1;
  int chunked = 0;
  *close_after = strncmp(h, "HTTP/1.0", 8) == 0;
  for (char *line = memchr(h, '\n', hend) + 1; line < h + hend - 2;) {
    char *eol = memchr(line, '\n', (size_t)(h + hend - line));
    if (!eol) break;
    if (strncasecmp(line, "Content-Length:", 15) == 0) clen = strtol(line + 15, NULL, 10);
    else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && memmem(line, (size_t)(eol - line), "chunked", 7))
      chunked = 1;
    else if (strncasecmp(line, "Connection:", 11) == 0 && memmem(line, (size_t)(eol - line), "close", 5))
      *close_after = 1;
    line = eol + 1;
  }
  rpos += hend;
  *body_len = 0;
  if (chunked) {
    for (;;) {
      long e = find_crlf(0);
      if (e < 0) return -1;
      long sz = strtol(rbuf + rpos, NULL, 16);
      rpos += (size_t)e + 2;
      if (sz == 0) {
        /* trailers until an empty line */
        for (;;) {
          long t = find_crlf(0);
          if (t < 0) return -1;
          rpos += (size_t)t + 2;
          if (t == 0) break;
        }
        break;
      }
      if (need((size_t)sz + 2) != 0) return -1;
      rpos += (size_t)sz + 2;
      *body_len += (size_t)sz;
    }
  } else if (clen >= 0) {
    if (need((size_t)clen) != 0) return -1;
    rpos += (size_t)clen;
    *body_len = (size_t)clen;
  } else {
    /* body until close */
    while (conn_fill() > 0) {}
    *body_len = rlen - rpos;
    rpos = rlen;
    *close_after = 1;
  }
  return 0;
}

/* ---- values and paths -------------------------------------------------- */

static char **values;
static size_t nvalues;
static long long range_lo, range_hi;
static int use_range;

static void load_values(const char *file) {
  FILE *f = fopen(file, "r");
  if (!f) die("%s: %s", file, strerror(errno));
  values = calloc(MAX_VALUES, sizeof *values);
  char line[4096];
  while (nvalues < MAX_VALUES && fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, "\r\n");
    line[n] = 0;
    if (!n) continue;
    values[nvalues++] = strdup(line);
  }
  fclose(f);
  if (!nvalues) die("%s: no values", file);
}

/* Appends s percent-encoded (all but unreserved characters) to out. */
static size_t pct_encode(char *out, size_t cap, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < cap; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
        *p == '_' || *p == '.' || *p == '~') {
      out[o++] = (char)*p;
    } else {
      out[o++] = '%';
      out[o++] = hex[*p >> 4];
      out[o++] = hex[*p & 15];
    }
  }
  out[o] = 0;
  return o;
}

/* The next path from the template. */
static void next_path(const char *tmpl, char *out, size_t cap) {
  char val[1024];
  const char *m = strstr(tmpl, "{}");
  if (!m) {
    snprintf(out, cap, "%s", tmpl);
    return;
  }
  if (use_range) {
    uint64_t span = (uint64_t)(range_hi - range_lo) + 1;
    snprintf(val, sizeof val, "%lld", range_lo + (long long)(rng_next() % span));
  } else {
    pct_encode(val, sizeof val, values[rng_next() % nvalues]);
  }
  snprintf(out, cap, "%.*s%s%s", (int)(m - tmpl), tmpl, val, m + 2);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, double p) {
  size_t k = (size_t)(p * (double)n + 0.999999);
  if (k < 1) k = 1;
  if (k > n) k = n;
  return v[k - 1];
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--free-port") == 0) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
      die("no free port: %s", strerror(errno));
    printf("%d\n", ntohs(sa.sin_port));
    close(fd);
    return 0;
  }
  const char *tmpl = NULL, *label = "run", *file = NULL, *paths_out = NULL, *body = NULL;
  const char *headers[MAX_HEADERS];
  int nheaders = 0;
  long n = 2000, warm = 200, expect = 200;
  double max_seconds = 300;
  uint64_t seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i];
    if (i + 1 >= argc) die("option %s needs a value", o);
    const char *v = argv[++i];
    if (!strcmp(o, "-p")) port = atoi(v);
    else if (!strcmp(o, "-h")) snprintf(host, sizeof host, "%s", v);
    else if (!strcmp(o, "-u")) tmpl = v;
    else if (!strcmp(o, "-l")) label = v;
    else if (!strcmp(o, "-f")) file = v;
    else if (!strcmp(o, "-o")) paths_out = v;
    else if (!strcmp(o, "-d")) body = v;
    else if (!strcmp(o, "-n")) n = atol(v);
    else if (!strcmp(o, "-w")) warm = atol(v);
    else if (!strcmp(o, "-x")) expect = atol(v);
    else if (!strcmp(o, "-t")) max_seconds = atof(v);
    else if (!strcmp(o, "-s")) seed = strtoull(v, NULL, 10);
    else if (!strcmp(o, "-r")) {
      if (sscanf(v, "%lld:%lld", &range_lo, &range_hi) != 2 || range_hi < range_lo) die("bad range %s", v);
      use_range = 1;
    } else if (!strcmp(o, "-H")) {
      if (nheaders >= MAX_HEADERS) die("too many headers");
      headers[nheaders++] = v;
    } else die("unknown option %s", o);
  }
  if (!port || !tmpl || n < 1 || warm < 0) die("usage: see the comment at the top of bench/latency.c");
  if (!use_range && !file && strstr(tmpl, "{}")) die("-u has {} but neither -r nor -f");
  if (file) load_values(file);
  rng_state = seed;

  FILE *pf = paths_out ? fopen(paths_out, "w") : NULL;
  double *lat = malloc((size_t)n * sizeof *lat);
  if (!lat) die("out of memory");
  char path[4096], req[8192];
  long errors = 0, reconnects = 0, done = 0;
  double bytes = 0;
  long first_bad_status = 0;
  char first_bad_path[4096] = "";
  double t_start = now_ns();
  conn_open();
  for (long i = 0; i < warm + n; i++) {
    if (i >= warm && (now_ns() - t_start) / 1e9 > max_seconds) {
      fprintf(stderr, "latency: %s: stopped after %.0f s with %ld of %ld timed requests (-t)\n", label, max_seconds,
              done, n);
      break;
    }
    next_path(tmpl, path, sizeof path);
    int len = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: */*\r\n", body ? "POST" : "GET",
                       path, host, port);
    if (body)
      len += snprintf(req + len, sizeof req - (size_t)len, "Content-Type: application/json\r\nContent-Length: %zu\r\n",
                      strlen(body));
    for (int h = 0; h < nheaders; h++) len += snprintf(req + len, sizeof req - (size_t)len, "%s\r\n", headers[h]);
    len += snprintf(req + len, sizeof req - (size_t)len, "\r\n%s", body ? body : "");
    if (len >= (int)sizeof req) die("request too long");
    int status = 0, close_after = 0, got_any = 0;
    size_t blen = 0;
    double t0 = 0, t1 = 0;
    for (int attempt = 0;; attempt++) {
      if (conn_fd < 0) {
        conn_open();
        reconnects++;
      }
      t0 = now_ns();
      int rc = send_all(req, (size_t)len);
      if (rc == 0) rc = read_response(&status, &blen, &close_after, &got_any);
      t1 = now_ns();
      if (rc == 0) break;
      conn_close();
      rpos = rlen = 0;
      /* the server closed an idle keep-alive connection: send again once */
      if (got_any || attempt >= 1) die("%s: connection failed during %s", label, path);
    }
    if (close_after) {
      conn_close();
      rpos = rlen = 0;
    }
    if (i < warm) continue;
    lat[done++] = (t1 - t0) / 1e6;
    bytes += (double)blen;
    if (pf) fprintf(pf, "%s %d\n", path, status);
    if (status != expect) {
      if (!errors) {
        first_bad_status = status;
        snprintf(first_bad_path, sizeof first_bad_path, "%s", path);
      }
      errors++;
    }
  }
  conn_close();
  if (pf) fclose(pf);
  if (errors)
    fprintf(stderr, "latency: %s: %ld of %ld requests did not answer %ld (first: %ld for %s)\n", label, errors, done,
            expect, first_bad_status, first_bad_path);
  if (!done) die("%s: no request timed", label);
  double sum = 0;
  for (long i = 0; i < done; i++) sum += lat[i];
  qsort(lat, (size_t)done, sizeof *lat, cmp_double);
  printf("%s\t%ld\t%ld\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.0f\t%ld\n", label, done, errors, sum / (double)done,
         pct(lat, (size_t)done, 0.50), pct(lat, (size_t)done, 0.95), pct(lat, (size_t)done, 0.99), lat[done - 1],
         bytes / (double)done, reconnects);
  free(lat);
  return errors ? 1 : 0;
}
