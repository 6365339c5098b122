/* web/conn_guard.h: one client cannot starve the rest (issue 12 point 1).
 * Every connection libmicrohttpd opens is registered here (its socket, its
 * peer's address, where its request stands and the time that stage must end
 * by): a peer address holds at most per_address connections at once (the
 * next are refused as they are accepted; the trusted proxy is exempt: it
 * carries every client and limits them itself, docs/SECURITY.md), a request
 * must finish its headers header_s seconds after its connection opened or
 * its previous answer was sent, and its body body_s seconds after its
 * headers (upload_s on upload routes). The server's main thread calls
 * conn_guard_sweep once a second: it shuts down the socket of every
 * connection past its deadline, and libmicrohttpd then closes it as it
 * would a connection its peer closed. libmicrohttpd's own timeout counts
 * only silence: a peer trickling a byte every few seconds never met it. */
#ifndef JINDU_CONN_GUARD_H
#define JINDU_CONN_GUARD_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

typedef struct ConnGuardConf {
  int per_address;  /* connections one peer address may hold (>= 1) */
  int header_s;     /* seconds to send the headers */
  int body_s;       /* seconds to send a body */
  int upload_s;     /* seconds to send an upload's body */
  char exempt[64];  /* an address not limited per address (the trusted proxy), "" for none */
} ConnGuardConf;

/* Sets the limits (before the daemon starts). */
void conn_guard_init(const ConnGuardConf *conf);

/* libmicrohttpd's accept policy (MHD_start_daemon's apc): MHD_NO when the
 * peer address holds per_address connections already. */
enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);

/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION: registers a connection as
 * it starts (its headers' deadline running), forgets it as it closes
 * (called before its socket is closed, so a sweep never touches a socket
 * that was closed and reused). */
void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);

/* The headers of conn's request are in (the access handler's first call):
 * its body's deadline runs now (upload: the longer one). */
void conn_guard_headers_done(struct MHD_Connection *conn, bool upload);
/* conn's request is being answered: no deadline until its answer is sent. */
void conn_guard_answering(struct MHD_Connection *conn);
/* conn's answer was sent: the next request's headers' deadline runs. */
void conn_guard_request_done(struct MHD_Connection *conn);

/* Shuts down every connection past its deadline; returns how many. */
int conn_guard_sweep(void);
/* Connections refused (over the per-address limit) and cut (past a
 * deadline) since the last call (the server logs them once a minute). */
void conn_guard_counts(uint64_t *refused, uint64_t *cut);

#endif
