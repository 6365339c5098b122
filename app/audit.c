/* app/audit.c: owns the audit trail (see app/audit.h): the hash chain and
 * its verification, audit_write inside use-case transactions, the
 * process-wide read queue with its group-committing writer thread, and the
 * scoped audit listing. */
#include "app/audit.h"
#include "core/buf.h"
#include "core/field.h"
#include "store/person.h"
#include "store/schema.h"
#include <assert.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <unistd.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Column widths kept (the AuditRow buffers), so that a listing shows exactly
 * what was hashed. */
#define AUDIT_AT_MAX 32
#define AUDIT_NAME_MAX 64
#define AUDIT_WORD_MAX 32

/* ---- the chain ---- */

/* Feeds F(text) (or F(NULL) for NULL) into the hash state. */
static void audit_h_text(crypto_generichash_state *h, const char *s) {
  char num[32];
  if (!s) {
    crypto_generichash_update(h, (const unsigned char *)"n;", 2);
    return;
  }
  size_t len = strlen(s);
  int k = snprintf(num, sizeof num, "%zu:", len);
  crypto_generichash_update(h, (const unsigned char *)num, (unsigned long long)k);
  crypto_generichash_update(h, (const unsigned char *)s, (unsigned long long)len);
  crypto_generichash_update(h, (const unsigned char *)";", 1);
}

/* Feeds F(integer), or F(NULL) when !has. */
static void audit_h_int(crypto_generichash_state *h, bool has, int64_t v) {
  char num[32];
  if (!has) {
    crypto_generichash_update(h, (const unsigned char *)"n;", 2);
    return;
  }
  int k = snprintf(num, sizeof num, "i%" PRId64 ";", v);
  crypto_generichash_update(h, (const unsigned char *)num, (unsigned long long)k);
}

/* Computes the hash of row r chained to prev (r->prev_hash and r->hash are
 * not read) as 64 hex characters into out. */
static void audit_hash(const char *prev, const AuditRec *r, char out[AUDIT_HASH_HEX + 1]) {
  crypto_generichash_state h;
  unsigned char bin[32];
  crypto_generichash_init(&h, NULL, 0, sizeof bin);
  if (prev) crypto_generichash_update(&h, (const unsigned char *)prev, strlen(prev));
  crypto_generichash_update(&h, (const unsigned char *)"\njindu-audit-v1;", 16);
  audit_h_int(&h, true, r->id);
  audit_h_text(&h, r->at);
  audit_h_int(&h, r->has_actor_id, r->actor_id);
  audit_h_text(&h, r->actor);
  audit_h_text(&h, r->address);
  audit_h_text(&h, r->action);
  audit_h_text(&h, r->entity);
  audit_h_int(&h, r->has_entity_id, r->entity_id);
  audit_h_text(&h, r->org_path);
  audit_h_text(&h, r->detail);
  crypto_generichash_final(&h, bin, sizeof bin);
  sodium_bin2hex(out, AUDIT_HASH_HEX + 1, bin, sizeof bin);
}

/* The end of the chain while rows are appended in one transaction: the
 * head is read once and written once, however many rows go in between. */
typedef struct AuditChain {
  AuditHead head;
  int64_t last_id; /* the larger of the head's last id and the table's */
} AuditChain;

/* Reads the end of the chain. The caller holds a write transaction. */
static int audit_chain_open(Db *db, AuditChain *ch, Err *e) {
  assert(db_in_transaction(db));
  int64_t max_id;
  if (store_audit_head_get(db, &ch->head, e) != ERR_OK || store_audit_max_id(db, &max_id, e) != ERR_OK)
    return e->code;
  ch->last_id = max_id > ch->head.last_id ? max_id : ch->head.last_id;
  return ERR_OK;
}

/* Appends r (id, prev_hash and hash are filled here, and cleared again:
 * they point into ch) after the chain's last row; the head in memory
 * advances. */
static int audit_chain_add(Db *db, AuditChain *ch, AuditRec *r, Err *e) {
  char hash[AUDIT_HASH_HEX + 1];
  r->id = ch->last_id + 1;
  r->prev_hash = ch->head.last_hash;
  audit_hash(ch->head.last_hash, r, hash);
  r->hash = hash;
  int rc = store_audit_insert(db, r, e);
  r->prev_hash = r->hash = NULL;
  if (rc != ERR_OK) return e->code;
  ch->last_id = ch->head.last_id = r->id;
  ch->head.row_count++;
  memcpy(ch->head.last_hash, hash, sizeof ch->head.last_hash);
  return ERR_OK;
}

/* Writes the advanced head (in the transaction of the rows). */
static int audit_chain_close(Db *db, const AuditChain *ch, Err *e) { return store_audit_head_set(db, &ch->head, e); }

/* A row to append, as owned fixed-size copies (also the read queue's node). */
typedef struct AuditItem {
  struct AuditItem *next;
  uint64_t seq;                /* queue order, for audit_queue_flush */
  char at[AUDIT_AT_MAX];
  bool has_actor_id;
  int64_t actor_id;
  char actor[AUDIT_NAME_MAX];
  char address[AUDIT_NAME_MAX];
  char action[AUDIT_WORD_MAX];
  char entity[AUDIT_WORD_MAX];
  bool has_entity_id;
  int64_t entity_id;
  char org_path[ORG_PATH_MAX];
} AuditItem;

/* Fills it from the request context (actor, address, time) and the subject. */
static void audit_item_fill(AuditItem *it, const Ctx *c, const char *action, const char *entity, int64_t entity_id,
                            const char *org_path) {
  assert(c && c->actor);
  memset(it, 0, sizeof *it);
  str_copy(it->at, sizeof it->at, c->now_iso);
  it->has_actor_id = c->actor->user_id > 0;
  it->actor_id = c->actor->user_id;
  str_copy(it->actor, sizeof it->actor, c->actor->username);
  str_copy(it->address, sizeof it->address, c->actor->address);
  str_copy(it->action, sizeof it->action, action);
  str_copy(it->entity, sizeof it->entity, entity);
  it->has_entity_id = entity_id > 0;
  it->entity_id = entity_id > 0 ? entity_id : 0;
  str_copy(it->org_path, sizeof it->org_path, org_path);
}

/* Appends the item with the given detail (may be NULL). Write transaction held. */
/* Appends one item with detail (NULL: "") to the chain ch. */
static int audit_append_item(Db *db, AuditChain *ch, const AuditItem *it, const char *detail, Err *e) {
  AuditRec r = {
    .at = it->at,
    .has_actor_id = it->has_actor_id,
    .actor_id = it->actor_id,
    .actor = it->actor,
    .address = it->address,
    .action = it->action,
    .entity = it->entity,
    .has_entity_id = it->has_entity_id,
    .entity_id = it->entity_id,
    .org_path = it->org_path,
    .detail = detail ? detail : "",
  };
  return audit_chain_add(db, ch, &r, e);
}

/* Appends the items of the list from first (NULL detail each) in one
 * chain: the head read and written once. The caller holds a write
 * transaction. */
static int audit_append_items(Db *db, const AuditItem *first, const char *detail, Err *e) {
  AuditChain ch;
  if (audit_chain_open(db, &ch, e) != ERR_OK) return e->code;
  for (const AuditItem *it = first; it; it = it->next)
    if (audit_append_item(db, &ch, it, detail, e) != ERR_OK) return e->code;
  return audit_chain_close(db, &ch, e);
}

int audit_write(Ctx *c, const char *action, const char *entity, int64_t entity_id, const char *org_path,
                const char *detail, Err *e) {
  assert(c && c->db && c->actor && action && entity);
  assert(db_in_transaction(c->db) && "audit_write belongs in the caller's transaction");
  AuditItem it;
  audit_item_fill(&it, c, action, entity, entity_id, org_path);
  char *cut = NULL;
  if (detail && strlen(detail) >= AUDIT_DETAIL_MAX) {
    cut = malloc(AUDIT_DETAIL_MAX);
    if (!cut) abort();
    str_copy(cut, AUDIT_DETAIL_MAX, detail);
    detail = cut;
  }
  int rc = audit_append_items(c->db, &it, detail, e);
  free(cut);
  return rc;
}

/* ---- reads and the read queue ---- */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t more;    /* signalled when items arrive or stop is asked */
  pthread_cond_t done;    /* signalled when a batch is committed */
  bool running;           /* the writer accepts items */
  bool stopping;
  pthread_t thread;
  Db *db;                 /* the writer's own connection */
  AuditItem *head, *tail;
  size_t count;
  uint64_t enq_seq;       /* seq of the last item queued */
  uint64_t done_seq;      /* every item up to this seq is committed */
} audit_q = {.mu = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

/* Writes one read row at once on db: in the open transaction if any, else
 * in its own. Failures go to stderr. */
static void audit_read_now(Db *db, const AuditItem *it) {
  Err e;
  err_clear(&e);
  if (db_in_transaction(db)) {
    if (audit_append_items(db, it, NULL, &e) == ERR_OK) return;
  } else if (db_begin(db, &e) == ERR_OK) {
    if (audit_append_items(db, it, NULL, &e) == ERR_OK && db_commit(db, &e) == ERR_OK) return;
    db_rollback(db);
  }
  fprintf(stderr, "jindu: audit: could not record read of %s %" PRId64 " by %s at %s: %s\n", it->entity,
          it->entity_id, it->actor, it->at, e.msg ? e.msg : "?");
}

void audit_read(Ctx *c, const char *entity, int64_t entity_id, const char *org_path) {
  /* One user action reads a file once: the case-file page reads the file
   * and its supervision history through several use cases on one Ctx. */
  if (c->read_logged_id == entity_id && strncmp(c->read_logged_entity, entity, sizeof c->read_logged_entity) == 0)
    return;
  c->read_logged_id = entity_id;
  snprintf(c->read_logged_entity, sizeof c->read_logged_entity, "%s", entity);
  audit_note(c, "read", entity, entity_id, org_path);
}

int audit_read_done_org(Ctx *c, int rc, const char *action, int64_t org_id, const char *org_path, Err *e) {
  rc = app_read_done(c, rc, e);
  if (rc == ERR_OK) audit_note(c, action, "org", org_id, org_path);
  return rc;
}

void audit_note(Ctx *c, const char *action, const char *entity, int64_t entity_id, const char *org_path) {
  assert(c && c->db && c->actor && action && entity);
  AuditItem *it = malloc(sizeof *it);
  if (!it) abort();
  audit_item_fill(it, c, action, entity, entity_id, org_path);
  pthread_mutex_lock(&audit_q.mu);
  if (audit_q.running && audit_q.count < AUDIT_QUEUE_MAX) {
    it->seq = ++audit_q.enq_seq;
    if (audit_q.tail) audit_q.tail->next = it;
    else audit_q.head = it;
    audit_q.tail = it;
    audit_q.count++;
    pthread_cond_signal(&audit_q.more);
    pthread_mutex_unlock(&audit_q.mu);
    return;
  }
  pthread_mutex_unlock(&audit_q.mu);
  audit_read_now(c->db, it);
  free(it);
}

/* Sleeps for ms milliseconds. */
static void audit_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* Commits the whole batch in one transaction. ERR_OK or the error. */
static int audit_write_batch(Db *db, const AuditItem *batch, Err *e) {
  if (db_begin(db, e) != ERR_OK) return e->code;
  if (audit_append_items(db, batch, NULL, e) != ERR_OK) {
    db_rollback(db);
    return e->code;
  }
  if (db_commit(db, e) != ERR_OK) return e->code;
  return ERR_OK;
}

/* The writer: waits for items, lets a few milliseconds of reads gather,
 * commits them in one transaction; on failure puts them back at the front
 * and retries with a growing pause. Exits when asked to stop and the queue is
 * empty (or, when stopping, after repeated failures: then the rows are
 * printed on stderr so that they are not lost silently). */
static void *audit_writer(void *arg) {
  (void)arg;
  long backoff = 0;
  int stop_failures = 0;
  for (;;) {
    pthread_mutex_lock(&audit_q.mu);
    while (!audit_q.head && !audit_q.stopping) pthread_cond_wait(&audit_q.more, &audit_q.mu);
    if (!audit_q.head) { /* stopping and empty */
      audit_q.running = false;
      pthread_cond_broadcast(&audit_q.done);
      pthread_mutex_unlock(&audit_q.mu);
      break;
    }
    bool stopping = audit_q.stopping;
    pthread_mutex_unlock(&audit_q.mu);
    if (!stopping) audit_sleep_ms(backoff ? backoff : 5); /* group commit window */

    pthread_mutex_lock(&audit_q.mu);
    AuditItem *batch = audit_q.head, *last = audit_q.tail;
    size_t nbatch = audit_q.count;
    audit_q.head = audit_q.tail = NULL;
    audit_q.count = 0;
    pthread_mutex_unlock(&audit_q.mu);

    Err e;
    err_clear(&e);
    if (audit_write_batch(audit_q.db, batch, &e) == ERR_OK) {
      backoff = 0;
      stop_failures = 0;
      pthread_mutex_lock(&audit_q.mu);
      audit_q.done_seq = last->seq;
      pthread_cond_broadcast(&audit_q.done);
      pthread_mutex_unlock(&audit_q.mu);
      while (batch) {
        AuditItem *n = batch->next;
        free(batch);
        batch = n;
      }
      continue;
    }
    if (backoff == 0)
      fprintf(stderr, "jindu: audit: could not commit %zu read records, retrying: %s\n", nbatch, e.msg ? e.msg : "?");
    backoff = backoff ? (backoff * 2 > 1000 ? 1000 : backoff * 2) : 10;
    if (stopping && ++stop_failures >= 20) {
      for (AuditItem *it = batch; it;) {
        AuditItem *n = it->next;
        fprintf(stderr, "jindu: audit: LOST read record: at=%s actor=%s address=%s entity=%s id=%" PRId64 " org=%s\n",
                it->at, it->actor, it->address, it->entity, it->entity_id, it->org_path);
        free(it);
        it = n;
      }
      pthread_mutex_lock(&audit_q.mu);
      audit_q.done_seq = last->seq;
      pthread_cond_broadcast(&audit_q.done);
      pthread_mutex_unlock(&audit_q.mu);
      continue;
    }
    if (stopping) audit_sleep_ms(backoff);
    /* Put the batch back in front of whatever arrived meanwhile. */
    pthread_mutex_lock(&audit_q.mu);
    last->next = audit_q.head;
    if (!audit_q.tail) audit_q.tail = last;
    audit_q.head = batch;
    audit_q.count += nbatch;
    pthread_mutex_unlock(&audit_q.mu);
  }
  return NULL;
}

int audit_queue_start(const char *db_path, Err *e) {
  pthread_mutex_lock(&audit_q.mu);
  if (audit_q.running || audit_q.db) {
    pthread_mutex_unlock(&audit_q.mu);
    return err_set(e, ERR_INTERNAL, "审计队列已在运行");
  }
  Db *db = NULL;
  /* The writer only appends (and reads the chain's last row): SQLite's
   * default 2 MiB cache is plenty, and the server's page caches stay within
   * their budget (web/server.h SERVE_CACHE_BUDGET_KIB). */
  if (db_open(&db, db_path, schema_migrate, e) != ERR_OK || db_cache_limit(db, 2048, e) != ERR_OK) {
    db_close(db);
    pthread_mutex_unlock(&audit_q.mu);
    return e->code;
  }
  audit_q.db = db;
  audit_q.running = true;
  audit_q.stopping = false;
  if (pthread_create(&audit_q.thread, NULL, audit_writer, NULL) != 0) {
    audit_q.db = NULL;
    audit_q.running = false;
    pthread_mutex_unlock(&audit_q.mu);
    db_close(db);
    return err_set(e, ERR_INTERNAL, "无法启动审计写入线程");
  }
  pthread_mutex_unlock(&audit_q.mu);
  return ERR_OK;
}

void audit_queue_stop(void) {
  pthread_mutex_lock(&audit_q.mu);
  if (!audit_q.db) {
    pthread_mutex_unlock(&audit_q.mu);
    return;
  }
  audit_q.stopping = true;
  pthread_cond_signal(&audit_q.more);
  pthread_mutex_unlock(&audit_q.mu);
  pthread_join(audit_q.thread, NULL);
  pthread_mutex_lock(&audit_q.mu);
  Db *db = audit_q.db;
  audit_q.db = NULL;
  audit_q.stopping = false;
  pthread_mutex_unlock(&audit_q.mu);
  db_close(db);
}

void audit_queue_flush(void) {
  pthread_mutex_lock(&audit_q.mu);
  uint64_t want = audit_q.enq_seq;
  while (audit_q.running && audit_q.done_seq < want) pthread_cond_wait(&audit_q.done, &audit_q.mu);
  pthread_mutex_unlock(&audit_q.mu);
}

/* ---- verification ---- */

typedef struct AuditCheck {
  AuditHead head;
  char prev[AUDIT_HASH_HEX + 1];
  int64_t rows;
  int64_t last_id;
  int64_t bad_id; /* 0 while intact */
} AuditCheck;

/* store_audit_each callback: checks one row's link and hash. */
static int audit_check_row(void *arg, const AuditRec *r) {
  AuditCheck *k = arg;
  k->rows++;
  char want[AUDIT_HASH_HEX + 1];
  audit_hash(k->prev, r, want);
  if (!r->prev_hash || strcmp(r->prev_hash, k->prev) != 0 || !r->hash || strcmp(r->hash, want) != 0 ||
      r->id <= k->last_id || r->id > k->head.last_id) {
    k->bad_id = r->id;
    return 1;
  }
  memcpy(k->prev, want, sizeof k->prev);
  k->last_id = r->id;
  return 0;
}

int audit_verify(Db *db, int64_t *rows_checked, int64_t *first_bad_id, Err *e) {
  AuditCheck k;
  memset(&k, 0, sizeof k);
  if (rows_checked) *rows_checked = 0;
  if (first_bad_id) *first_bad_id = 0;
  if (db_begin_read(db, e) != ERR_OK) return e->code;
  AuditArchive *arch = NULL;
  int narch = 0;
  int rc = store_audit_head_get(db, &k.head, e);
  if (rc == ERR_OK) rc = store_audit_archives(db, &arch, &narch, e);
  /* the archived rows: each archive goes on from the one before; the
   * online rows from the last (audit_verify_archive checks a file) */
  int64_t archived = 0;
  for (int i = 0; rc == ERR_OK && i < narch && !k.bad_id; i++) {
    if (strcmp(arch[i].first_prev_hash, k.prev) != 0 || arch[i].first_id != k.last_id + 1 ||
        arch[i].last_id < arch[i].first_id || arch[i].row_count != arch[i].last_id - arch[i].first_id + 1)
      k.bad_id = arch[i].first_id;
    str_copy(k.prev, sizeof k.prev, arch[i].last_hash);
    k.last_id = arch[i].last_id;
    archived += arch[i].row_count;
  }
  free(arch);
  if (rc == ERR_OK && !k.bad_id) rc = store_audit_each(db, audit_check_row, &k, e);
  if (rc != ERR_OK) {
    db_rollback(db);
    return rc;
  }
  if (db_commit(db, e) != ERR_OK) return e->code;
  if (!k.bad_id && (k.rows + archived != k.head.row_count || k.last_id != k.head.last_id ||
                    strcmp(k.prev, k.head.last_hash) != 0))
    k.bad_id = k.last_id + 1; /* the first row missing after the intact ones */
  if (rows_checked) *rows_checked = k.rows;
  if (first_bad_id) *first_bad_id = k.bad_id;
  if (k.bad_id) return err_set(e, ERR_CONFLICT, "审计日志校验失败：有记录被修改、删除或插入");
  return ERR_OK;
}

/* ---- listing ---- */

/* true when s is "YYYY", "YYYY-MM" or "YYYY-MM-DD" in shape (digits and dashes). */
static bool audit_date_prefix_ok(const char *s) {
  static const char *const shape = "dddd-dd-dd";
  size_t n = strlen(s);
  if (n != 4 && n != 7 && n != 10) return false;
  for (size_t i = 0; i < n; i++) {
    if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-') return false;
  }
  return true;
}

/* true when s is 1..31 characters of [a-z_]. */
static bool audit_word_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= AUDIT_WORD_MAX) return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')) return false;
  return true;
}

void audit_name_mask(const char *name, char *out, size_t n) {
  assert(n >= 8);
  const unsigned char *s = (const unsigned char *)(name ? name : "");
  size_t len = 0;
  if (s[0]) len = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2; /* one UTF-8 character */
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) len = i;
  snprintf(out, n, "%.*s%s", (int)len, (const char *)s, len ? "**" : "");
}

/* The integer value of key in an audit detail (` key=123`), or 0. */
static int64_t audit_detail_get_int(const char *detail, const char *key) {
  size_t kl = strlen(key);
  for (const char *p = detail; (p = strstr(p, key)) != NULL; p += kl)
    if ((p == detail || p[-1] == ' ') && p[kl] == '=' && p[kl + 1] >= '1' && p[kl + 1] <= '9')
      return strtoll(p + kl + 1, NULL, 10);
  return 0;
}

/* Fills row->refs with the status records its detail names (episode=,
 * corrects= of a status change), from the person's episodes. */
static int audit_row_refs(Ctx *c, AuditRow *row, Err *e) {
  if (strcmp(row->entity, "person") != 0 || strcmp(row->action, "status") != 0 || row->entity_id <= 0) return ERR_OK;
  int64_t want[2] = {audit_detail_get_int(row->detail, "episode"), audit_detail_get_int(row->detail, "corrects")};
  if (!want[0] && !want[1]) return ERR_OK;
  EpisodeRow *ep = NULL;
  int nep = 0;
  if (store_person_episodes(c->db, row->entity_id, &ep, &nep, e) != ERR_OK) return e->code;
  for (int k = 0; k < 2; k++)
    for (int i = 0; want[k] && i < nep; i++)
      if (ep[i].id == want[k]) {
        AuditRef *ref = &row->refs[row->nrefs++];
        ref->id = ep[i].id;
        str_copy(ref->status, sizeof ref->status, ep[i].status);
        str_copy(ref->date, sizeof ref->date, ep[i].start_date[0] ? ep[i].start_date : ep[i].decision_date);
        break;
      }
  store_person_episodes_free(ep, nep);
  return ERR_OK;
}

int app_audit_list(Ctx *c, const AuditFilter *f, AuditRow **rows, int *n, int64_t *total, Err *e) {
  err_clear(e); /* an out parameter: validation below reads it */
  *rows = NULL;
  *n = 0;
  *total = 0;
  if (!actor_can(c->actor, PERM_AUDIT_READ)) return err_set(e, ERR_FORBIDDEN, "没有查看审计日志的权限");
  const char *entity = f && f->entity && *f->entity ? f->entity : NULL;
  const char *actor = f && f->actor && *f->actor ? f->actor : NULL;
  const char *date = f && f->date && *f->date ? f->date : NULL;
  const char *person = f && f->person && *f->person ? f->person : NULL;
  AuditQuery q = {.entity = entity, .actor = actor, .at_prefix = date};
  if (person && strspn(person, "0123456789") == strlen(person)) {
    if (strlen(person) > 18 || person[0] == '0') err_field(e, "person", "人员编号无效");
    else q.person_id = strtoll(person, NULL, 10);
  } else if (person) {
    if (strlen(person) > 60 || !field_text_ok(person, false)) err_field(e, "person", "人员姓名过长或含有无效字符");
    else q.person_name = person;
  }
  int page = f && f->page > 0 ? f->page : 1;
  int per_page = f && f->per_page > 0 ? f->per_page : 50;
  if (entity && !audit_word_ok(entity)) err_field(e, "entity", "对象类型无效");
  if (actor && strlen(actor) >= AUDIT_NAME_MAX) err_field(e, "actor", "用户名过长");
  if (date && !audit_date_prefix_ok(date)) err_field(e, "date", "日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD");
  if (page > 1000000) err_field(e, "page", "页码过大");
  if (per_page > 200) err_field(e, "per_page", "每页最多200条");
  if (e->code != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_audit_list(c->db, c->actor->org_path, &q, per_page, (int64_t)(page - 1) * per_page, rows, n, total, e);
  for (int i = 0; rc == ERR_OK && i < *n; i++) {
    AuditRow *row = &(*rows)[i];
    if (strcmp(row->entity, "person") == 0 && row->entity_name[0] && !actor_in_scope(c->actor, row->entity_path))
    {
      char masked[sizeof row->entity_name];
      audit_name_mask(row->entity_name, masked, sizeof masked);
      memcpy(row->entity_name, masked, sizeof masked);
    }
    rc = audit_row_refs(c, row, e);
  }
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) {
    free(*rows);
    *rows = NULL;
    *n = 0;
    *total = 0;
  }
  return rc;
}

/* ---- detail helpers ---- */

void audit_detail_kvs(Buf *b, const char *key, const char *value, ...) {
  va_list ap;
  va_start(ap, value);
  while (key) {
    audit_detail_kv(b, key, value);
    if ((key = va_arg(ap, const char *))) value = va_arg(ap, const char *);
  }
  va_end(ap);
}

void audit_detail_kv(Buf *b, const char *key, const char *value) {
  if (b->len) buf_putc(b, ' ');
  buf_puts(b, key);
  buf_puts(b, "=\"");
  for (const char *p = value ? value : ""; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch == '"' || ch == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      buf_printf(b, "\\x%02x", ch);
    } else {
      buf_putc(b, (char)ch);
    }
  }
  buf_putc(b, '"');
}

void audit_detail_int(Buf *b, const char *key, int64_t value) {
  if (b->len) buf_putc(b, ' ');
  buf_printf(b, "%s=%" PRId64, key, value);
}

/* ---- retention: archives ---- */

/* The archive being written: the file, the hash of its bytes, and the
 * chain checked as its rows go by. */
typedef struct AuditArchiveW {
  FILE *f;
  crypto_generichash_state file_h;
  char prev[AUDIT_HASH_HEX + 1];
  int64_t rows, last_id, bad_id;
  bool io_failed;
} AuditArchiveW;

/* Writes line (and its newline) to the archive and its hash. */
static void audit_archive_line(AuditArchiveW *w, const char *line) {
  size_t n = strlen(line);
  if (fwrite(line, 1, n, w->f) != n || fputc('\n', w->f) == EOF) w->io_failed = true;
  crypto_generichash_update(&w->file_h, (const unsigned char *)line, n);
  crypto_generichash_update(&w->file_h, (const unsigned char *)"\n", 1);
}

/* The JSON line of row r (malloc'd): every column as stored. */
static char *audit_row_json(const AuditRec *r) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer(r->id));
  json_object_set_new(o, "at", json_string(r->at ? r->at : ""));
  json_object_set_new(o, "actor_id", r->has_actor_id ? json_integer(r->actor_id) : json_null());
  json_object_set_new(o, "actor", json_string(r->actor ? r->actor : ""));
  json_object_set_new(o, "address", json_string(r->address ? r->address : ""));
  json_object_set_new(o, "action", json_string(r->action ? r->action : ""));
  json_object_set_new(o, "entity", json_string(r->entity ? r->entity : ""));
  json_object_set_new(o, "entity_id", r->has_entity_id ? json_integer(r->entity_id) : json_null());
  json_object_set_new(o, "org_path", json_string(r->org_path ? r->org_path : ""));
  json_object_set_new(o, "detail", json_string(r->detail ? r->detail : ""));
  json_object_set_new(o, "prev_hash", json_string(r->prev_hash ? r->prev_hash : ""));
  json_object_set_new(o, "hash", json_string(r->hash ? r->hash : ""));
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!s) abort();
  return s;
}

/* store_audit_each_upto callback: checks row r's link and hash, then
 * writes it to the archive. */
static int audit_archive_row(void *arg, const AuditRec *r) {
  AuditArchiveW *w = arg;
  char want[AUDIT_HASH_HEX + 1];
  audit_hash(w->prev, r, want);
  if (!r->prev_hash || strcmp(r->prev_hash, w->prev) != 0 || !r->hash || strcmp(r->hash, want) != 0 ||
      r->id != w->last_id + 1) {
    w->bad_id = r->id;
    return 1;
  }
  char *line = audit_row_json(r);
  audit_archive_line(w, line);
  free(line);
  memcpy(w->prev, want, sizeof w->prev);
  w->last_id = r->id;
  w->rows++;
  return 0;
}

int audit_archive(Ctx *c, const char *before, const char *path, AuditArchive *out, Err *e) {
  memset(out, 0, sizeof *out);
  Day b;
  if (!before || !date_parse(before, &b)) return err_field(e, "before", "日期格式应为YYYY-MM-DD，且须是有效日期");
  if (b > date_add_months(c->today, -AUDIT_ONLINE_MONTHS))
    return err_field(e, "before", "审计日志须在线保存至少6个月，归档日期须在六个月以前");
  if (!path || !*path || strlen(path) >= sizeof out->file) return err_field(e, "to", "请指定归档文件");
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  AuditArchive *arch = NULL;
  int narch = 0;
  int64_t last = 0, max_id = 0;
  if (store_audit_archives(c->db, &arch, &narch, e) != ERR_OK || store_audit_archive_cut(c->db, before, &last, e) != ERR_OK ||
      store_audit_max_id(c->db, &max_id, e) != ERR_OK) {
    free(arch);
    return app_fail(c, e);
  }
  AuditArchiveW w;
  memset(&w, 0, sizeof w);
  if (narch) {
    str_copy(w.prev, sizeof w.prev, arch[narch - 1].last_hash);
    w.last_id = arch[narch - 1].last_id;
  }
  free(arch);
  int64_t first = w.last_id + 1;
  if (last < first) {
    err_set(e, ERR_NOT_FOUND, "没有早于该日期的在线审计记录可归档");
    return app_fail(c, e);
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0 || !(w.f = fdopen(fd, "w"))) {
    if (fd >= 0) close(fd);
    err_set(e, errno == EEXIST ? ERR_CONFLICT : ERR_INTERNAL, errno == EEXIST ? "归档文件已存在" : "无法创建归档文件");
    return app_fail(c, e);
  }
  crypto_generichash_init(&w.file_h, NULL, 0, 32);
  char header[512];
  snprintf(header, sizeof header,
           "{\"format\":\"jindu-audit-archive-v1\",\"before\":\"%s\",\"first_id\":%" PRId64 ",\"last_id\":%" PRId64
           ",\"prev_hash\":\"%s\"}",
           before, first, last, w.prev);
  audit_archive_line(&w, header);
  char first_prev[AUDIT_HASH_HEX + 1];
  str_copy(first_prev, sizeof first_prev, w.prev);
  int rc = store_audit_each_upto(c->db, last, audit_archive_row, &w, e);
  if (rc == ERR_OK && (w.bad_id || w.last_id != last))
    rc = err_set(e, ERR_CONFLICT, "审计日志校验失败：有记录被修改、删除或插入，未归档");
  if (fflush(w.f) != 0 || fsync(fileno(w.f)) != 0) w.io_failed = true;
  if (fclose(w.f) != 0) w.io_failed = true;
  if (rc == ERR_OK && w.io_failed) rc = err_set(e, ERR_INTERNAL, "写入归档文件失败");
  unsigned char bin[32];
  crypto_generichash_final(&w.file_h, bin, sizeof bin);
  if (rc == ERR_OK) {
    char abs[PATH_MAX];
    str_copy(out->file, sizeof out->file, realpath(path, abs) && strlen(abs) < sizeof out->file ? abs : path);
    str_copy(out->before, sizeof out->before, before);
    out->first_id = first;
    out->last_id = last;
    out->row_count = w.rows;
    str_copy(out->first_prev_hash, sizeof out->first_prev_hash, first_prev);
    str_copy(out->last_hash, sizeof out->last_hash, w.prev);
    sodium_bin2hex(out->file_hash, sizeof out->file_hash, bin, sizeof bin);
    str_copy(out->archived_at, sizeof out->archived_at, c->now_iso);
    rc = store_audit_archive_add(c->db, out, e);
  }
  if (rc == ERR_OK) rc = store_audit_delete_upto(c->db, last, e);
  if (rc != ERR_OK) {
    unlink(path);
    return app_fail(c, e);
  }
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "first", first);
  audit_detail_int(&detail, "last", last);
  audit_detail_kv(&detail, "file_hash", out->file_hash);
  rc = app_commit(c, &(AppAudit){"archive", "audit", 0, "/", &detail}, e);
  if (rc != ERR_OK) unlink(path);
  return rc;
}

int audit_archives(Db *db, AuditArchive **items, int *n, Err *e) {
  *items = NULL;
  *n = 0;
  if (db_begin_read(db, e) != ERR_OK) return e->code;
  int rc = store_audit_archives(db, items, n, e);
  if (rc != ERR_OK) {
    db_rollback(db);
    return rc;
  }
  return db_commit(db, e);
}

/* A string member of o ("" when missing or not a string). */
static const char *audit_js(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

int audit_verify_archive(const AuditArchive *a, const char *path, int64_t *bad_id, Err *e) {
  *bad_id = 0;
  FILE *f = fopen(path, "r");
  if (!f) return err_set(e, ERR_NOT_FOUND, "找不到归档文件");
  crypto_generichash_state fh;
  crypto_generichash_init(&fh, NULL, 0, 32);
  char prev[AUDIT_HASH_HEX + 1];
  str_copy(prev, sizeof prev, a->first_prev_hash);
  int64_t last = a->first_id - 1, rows = 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  bool header = true, bad = false;
  while ((len = getline(&line, &cap, f)) > 0) {
    crypto_generichash_update(&fh, (const unsigned char *)line, (unsigned long long)len);
    if (bad) continue;
    json_t *o = json_loadb(line, (size_t)len, 0, NULL);
    if (!o) {
      bad = true;
      *bad_id = last + 1;
      continue;
    }
    if (header) {
      header = false;
      bad = strcmp(audit_js(o, "format"), "jindu-audit-archive-v1") != 0 || strcmp(audit_js(o, "prev_hash"), prev) != 0;
      if (bad) *bad_id = a->first_id;
      json_decref(o);
      continue;
    }
    json_t *aid = json_object_get(o, "actor_id"), *eid = json_object_get(o, "entity_id");
    AuditRec r = {
      .id = (int64_t)json_integer_value(json_object_get(o, "id")),
      .at = audit_js(o, "at"),
      .has_actor_id = json_is_integer(aid),
      .actor_id = (int64_t)json_integer_value(aid),
      .actor = audit_js(o, "actor"),
      .address = audit_js(o, "address"),
      .action = audit_js(o, "action"),
      .entity = audit_js(o, "entity"),
      .has_entity_id = json_is_integer(eid),
      .entity_id = (int64_t)json_integer_value(eid),
      .org_path = audit_js(o, "org_path"),
      .detail = audit_js(o, "detail"),
    };
    char want[AUDIT_HASH_HEX + 1];
    audit_hash(prev, &r, want);
    if (r.id != last + 1 || strcmp(audit_js(o, "prev_hash"), prev) != 0 || strcmp(audit_js(o, "hash"), want) != 0) {
      bad = true;
      *bad_id = last + 1;
    } else {
      memcpy(prev, want, sizeof prev);
      last = r.id;
      rows++;
    }
    json_decref(o);
  }
  free(line);
  fclose(f);
  unsigned char bin[32];
  char hex[AUDIT_HASH_HEX + 1];
  crypto_generichash_final(&fh, bin, sizeof bin);
  sodium_bin2hex(hex, sizeof hex, bin, sizeof bin);
  if (!bad && (last != a->last_id || rows != a->row_count || strcmp(prev, a->last_hash) != 0)) {
    bad = true;
    *bad_id = last + 1;
  }
  if (!bad && strcmp(hex, a->file_hash) != 0) {
    bad = true;
    *bad_id = a->first_id;
  }
  if (bad) return err_set(e, ERR_CONFLICT, "归档文件校验失败：内容与归档记录不符");
  return ERR_OK;
}
