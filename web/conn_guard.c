/* web/conn_guard.c: owns the registry of open connections, the limit of
 * connections per peer address and the deadlines of a request's headers
 * and body (see web/conn_guard.h). One mutex guards the registry: it is
 * short (at most the daemon's connection limit) and every operation is a
 * walk or a link under it. */
#include "web/conn_guard.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One open connection. */
typedef struct Guarded {
  struct Guarded *prev, *next;
  int fd;
  char addr[INET6_ADDRSTRLEN];
  int64_t deadline_ns; /* 0: none (being answered) */
  bool cut;            /* shut down already */
} Guarded;

static struct {
  pthread_mutex_t mu;
  ConnGuardConf conf;
  Guarded *head;
  uint64_t refused, cut;
} guard = {.mu = PTHREAD_MUTEX_INITIALIZER, .conf = {32, 15, 60, 300, ""}};

/* The monotonic clock in nanoseconds. */
static int64_t guard_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The text of a socket address into out ("" when not IPv4/IPv6). */
static void guard_addr_text(const struct sockaddr *sa, char out[INET6_ADDRSTRLEN]) {
  out[0] = 0;
  if (!sa) return;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, INET6_ADDRSTRLEN);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, INET6_ADDRSTRLEN);
}

void conn_guard_init(const ConnGuardConf *conf) {
  pthread_mutex_lock(&guard.mu);
  guard.conf = *conf;
  if (guard.conf.per_address < 1) guard.conf.per_address = 1;
  pthread_mutex_unlock(&guard.mu);
}

/* The connections of addr in the registry. guard.mu held. */
static int guard_count(const char *addr) {
  int n = 0;
  for (const Guarded *g = guard.head; g; g = g->next)
    if (!g->cut && strcmp(g->addr, addr) == 0) n++;
  return n;
}

enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen) {
  (void)cls;
  (void)addrlen;
  char text[INET6_ADDRSTRLEN];
  guard_addr_text(addr, text);
  pthread_mutex_lock(&guard.mu);
  bool ok = (guard.conf.exempt[0] && strcmp(text, guard.conf.exempt) == 0) ||
            guard_count(text) < guard.conf.per_address;
  if (!ok) guard.refused++;
  pthread_mutex_unlock(&guard.mu);
  return ok ? MHD_YES : MHD_NO;
}

void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code) {
  (void)cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    Guarded *g = calloc(1, sizeof *g);
    if (!g) abort();
    const union MHD_ConnectionInfo *fi = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *ai = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    g->fd = fi ? fi->connect_fd : -1;
    guard_addr_text(ai ? ai->client_addr : NULL, g->addr);
    pthread_mutex_lock(&guard.mu);
    g->deadline_ns = guard_now_ns() + (int64_t)guard.conf.header_s * 1000000000;
    g->next = guard.head;
    if (guard.head) guard.head->prev = g;
    guard.head = g;
    pthread_mutex_unlock(&guard.mu);
    *socket_context = g;
    return;
  }
  Guarded *g = *socket_context;
  if (!g) return;
  pthread_mutex_lock(&guard.mu);
  if (g->prev) g->prev->next = g->next;
  else guard.head = g->next;
  if (g->next) g->next->prev = g->prev;
  pthread_mutex_unlock(&guard.mu);
  free(g);
  *socket_context = NULL;
}

/* The registry entry of conn (NULL when it has none). */
static Guarded *guard_of(struct MHD_Connection *conn) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

/* Sets conn's deadline seconds from now (0: none). */
static void guard_deadline(struct MHD_Connection *conn, int seconds) {
  Guarded *g = guard_of(conn);
  if (!g) return;
  int64_t at = seconds > 0 ? guard_now_ns() + (int64_t)seconds * 1000000000 : 0;
  pthread_mutex_lock(&guard.mu);
  g->deadline_ns = at;
  pthread_mutex_unlock(&guard.mu);
}

void conn_guard_headers_done(struct MHD_Connection *conn, bool upload) {
  guard_deadline(conn, upload ? guard.conf.upload_s : guard.conf.body_s);
}

void conn_guard_answering(struct MHD_Connection *conn) { guard_deadline(conn, 0); }

/* An idle keep-alive connection gets no deadline: cutting it at one raced
 * with a client reusing it (a POST written as the sweep shut the socket was
 * lost); libmicrohttpd's connection timeout closes it properly instead. */
void conn_guard_request_done(struct MHD_Connection *conn) { guard_deadline(conn, 0); }

int conn_guard_sweep(void) {
  int n = 0;
  int64_t now = guard_now_ns();
  pthread_mutex_lock(&guard.mu);
  for (Guarded *g = guard.head; g; g = g->next) {
    if (g->cut || !g->deadline_ns || now < g->deadline_ns || g->fd < 0) continue;
    /* The socket stays open (libmicrohttpd closes it, after telling us):
     * reading it now ends, and its connection is closed as a peer's. */
    shutdown(g->fd, SHUT_RDWR);
    g->cut = true;
    n++;
  }
  guard.cut += (uint64_t)n;
  pthread_mutex_unlock(&guard.mu);
  return n;
}

void conn_guard_counts(uint64_t *refused, uint64_t *cut) {
  pthread_mutex_lock(&guard.mu);
  *refused = guard.refused;
  *cut = guard.cut;
  guard.refused = guard.cut = 0;
  pthread_mutex_unlock(&guard.mu);
}
