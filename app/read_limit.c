/* app/read_limit.c: owns the per-user buckets of case-file reads, the
 * read alerts they raise and their listing and acknowledgement (see
 * app/read_limit.h). */
#include "app/read_limit.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/audit.h"
#include "core/date.h"
#include "core/rate.h"

const char READ_LIMIT_MSG[] = "读取档案过于频繁，请稍后再试";

/* One user's bucket (user_id 0: a free slot). */
typedef struct ReadSlot {
  int64_t user_id;
  RateBucket bucket;
  int64_t alerted_ms; /* the last alert raised (0: none) */
} ReadSlot;

/* The buckets: open addressing on user_id, grown at half full. */
static struct {
  pthread_mutex_t mu;
  int per_minute; /* 0: the limiter is off */
  ReadSlot *slots;
  size_t cap, n;
} rl = {.mu = PTHREAD_MUTEX_INITIALIZER};

void read_limit_init(int per_minute) {
  pthread_mutex_lock(&rl.mu);
  rl.per_minute = per_minute > 0 ? per_minute : READ_LIMIT_DEFAULT;
  pthread_mutex_unlock(&rl.mu);
}

/* The monotonic clock in milliseconds. */
static int64_t rl_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The slot of user_id in slots (cap a power of two): its own or the free
 * one where it goes. */
static ReadSlot *rl_probe(ReadSlot *slots, size_t cap, int64_t user_id) {
  size_t i = (size_t)((uint64_t)user_id * 0x9E3779B97F4A7C15ull) & (cap - 1);
  while (slots[i].user_id && slots[i].user_id != user_id) i = (i + 1) & (cap - 1);
  return &slots[i];
}

/* user_id's slot, made when missing. rl.mu held. */
static ReadSlot *rl_slot(int64_t user_id) {
  if ((rl.n + 1) * 2 > rl.cap) {
    size_t cap = rl.cap ? rl.cap * 2 : 1024;
    ReadSlot *slots = calloc(cap, sizeof *slots);
    if (!slots) abort();
    for (size_t i = 0; i < rl.cap; i++)
      if (rl.slots[i].user_id) *rl_probe(slots, cap, rl.slots[i].user_id) = rl.slots[i];
    free(rl.slots);
    rl.slots = slots;
    rl.cap = cap;
  }
  ReadSlot *s = rl_probe(rl.slots, rl.cap, user_id);
  if (!s->user_id) {
    s->user_id = user_id;
    rl.n++;
  }
  return s;
}

/* Raises the read alert of c's actor in its own transaction, with its
 * audit row. A failure goes to stderr: the read is refused all the same. */
static void rl_alert(Ctx *c, int per_minute) {
  Err e;
  err_clear(&e);
  int64_t id = 0;
  struct OnceKey *once = c->once; /* the request's one-time key belongs to its own write */
  c->once = NULL;
  if (db_begin(c->db, &e) == ERR_OK) {
    if (store_read_alert_add(c->db, c->actor->user_id, c->actor->org_path, c->now_iso, per_minute, &id, &e) ==
        ERR_OK) {
      Buf detail = BUF_INIT;
      audit_detail_int(&detail, "user", c->actor->user_id);
      audit_detail_int(&detail, "per_minute", per_minute);
      int rc = app_commit(c, &(AppAudit){"read_alert", "read_alert", id, c->actor->org_path, &detail}, &e);
      c->once = once;
      if (rc == ERR_OK) return;
    } else {
      app_fail(c, &e);
    }
  }
  c->once = once;
  fprintf(stderr, "jindu: could not record a read alert for user %lld: %s\n", (long long)c->actor->user_id,
          e.msg ? e.msg : "?");
}

int read_limit_take(Ctx *c, const char *entity, int64_t entity_id, Err *e) {
  if (c->actor->user_id <= 0) return ERR_OK;
  if (c->read_logged_id == entity_id && strncmp(c->read_logged_entity, entity, sizeof c->read_logged_entity) == 0)
    return ERR_OK; /* this action's read of the file is counted already */
  int64_t now = rl_now_ms();
  pthread_mutex_lock(&rl.mu);
  int per_minute = rl.per_minute;
  if (!per_minute) {
    pthread_mutex_unlock(&rl.mu);
    return ERR_OK;
  }
  ReadSlot *s = rl_slot(c->actor->user_id);
  bool ok = rate_take(&s->bucket, per_minute, now);
  bool alert = !ok && (!s->alerted_ms || now - s->alerted_ms >= READ_ALERT_QUIET_MS);
  if (alert) s->alerted_ms = now;
  pthread_mutex_unlock(&rl.mu);
  if (ok) return ERR_OK;
  if (alert) rl_alert(c, per_minute);
  return err_set(e, ERR_THROTTLED, READ_LIMIT_MSG);
}

int read_limit_retry_after(int64_t user_id) {
  int secs = 1;
  pthread_mutex_lock(&rl.mu);
  if (rl.per_minute && rl.cap) {
    ReadSlot *s = rl_probe(rl.slots, rl.cap, user_id);
    if (s->user_id) secs = rate_wait_seconds(&s->bucket, rl.per_minute, rl_now_ms());
  }
  pthread_mutex_unlock(&rl.mu);
  return secs < 1 ? 1 : secs;
}

/* ---- the alerts ------------------------------------------------------- */

/* true when the actor's role handles read alerts. */
static bool rl_office(const Actor *a) { return a->role == ROLE_ADMIN || a->role == ROLE_OFFICE; }

int app_read_alert_list(Ctx *c, ReadAlertRow **items, int *n, Err *e) {
  *items = NULL;
  *n = 0;
  if (!rl_office(c->actor)) return ERR_OK;
  char since[DATE_ISO_LEN];
  date_format(c->today - READ_ALERT_DAYS, since);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  ReadAlertRow *rows = NULL;
  int nrows = 0;
  int rc = app_read_done(c, store_read_alert_list(c->db, c->actor->org_path, since, 100, &rows, &nrows, e), e);
  if (rc != ERR_OK) return rc;
  int keep = 0;
  for (int i = 0; i < nrows; i++)
    if (rows[i].user_id != c->actor->user_id) rows[keep++] = rows[i];
  if (!keep) {
    free(rows);
    rows = NULL;
  }
  *items = rows;
  *n = keep;
  return ERR_OK;
}

int app_read_alert_ack(Ctx *c, int64_t id, Err *e) {
  if (!rl_office(c->actor)) return err_set(e, ERR_FORBIDDEN, "您没有执行此操作的权限");
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  ReadAlertRow r;
  if (store_read_alert_get(c->db, id, &r, e) != ERR_OK) return app_fail(c, e);
  if (!actor_in_scope(c->actor, r.org_path) || r.user_id == c->actor->user_id) {
    err_set(e, ERR_NOT_FOUND, "记录不存在");
    return app_fail(c, e);
  }
  bool done;
  if (store_read_alert_ack(c->db, id, c->actor->user_id, c->now_iso, &done, e) != ERR_OK) return app_fail(c, e);
  if (!done) {
    err_set(e, ERR_CONFLICT, "该提醒已处理");
    return app_fail(c, e);
  }
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "user", r.username);
  return app_commit(c, &(AppAudit){"ack", "read_alert", id, r.org_path, &detail}, e);
}
