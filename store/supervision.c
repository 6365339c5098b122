/* store/supervision.c: owns the SQL of the supervision engine (see
 * store/supervision.h): history rows (visit, drug_test, person_event), the
 * derived supervision columns of person, the work-list scan and the
 * doctor's merged stream. */
#include "store/supervision.h"
#include "core/buf.h"
#include "store/org.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

#define SS_COPY(dst, src) str_copy((dst), sizeof(dst), (src))

/* Day of an ISO column; 0 (1970-01-01) when NULL or malformed (never
 * stored: every date is validated before it is written). */
static Day ss_day(DbStmt *st, int col) {
  const char *s = db_col_text(st, col);
  Day d = 0;
  if (s) date_parse(s, &d);
  return d;
}

/* ---- history ---------------------------------------------------------- */

void sup_history_clear(SupHistory *h) {
  h->person_id = h->org_id = 0;
  h->drug_types[0] = 0;
  h->no_job = h->no_home = h->no_income = false;
  h->family_support = false;
  h->neps = h->nvisits = h->ntests = h->nevents = h->napprovals = 0;
}

void sup_history_free(SupHistory *h) {
  free(h->eps);
  free(h->visits);
  free(h->tests);
  free(h->events);
  free(h->approvals);
  memset(h, 0, sizeof *h);
}

bool sup_role_is_family(const char *role) {
  static const char *const words[] = {"家属", "家人", "家庭", "亲属", "父", "母", "妻", "夫", "配偶",
                                      "兄", "姐", "弟", "妹", "儿", "女", "family", "Family"};
  if (!role) return false;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strstr(role, words[i])) return true;
  return false;
}

/* The column lists of the history statements, shared by the per-person
 * load and the doctor's stream (column 0 is person_id in both). */
#define EP_COLS "person_id, id, coalesce(corrects_id, 0), status, decision_date, start_date, planned_end, created_at"
#define VI_COLS "person_id, id, coalesce(corrects_id, 0), date"
#define TE_COLS "person_id, id, coalesce(corrects_id, 0), date, reason, result"
#define EV_COLS "person_id, id, kind, date, until_date, days, coalesce(status, '')"
#define AP_COLS "person_id, id, kind, state, payload"
#define HM_COLS "person_id, role"

static void ss_add_episode(SupHistory *h, DbStmt *st) {
  h->eps = array_grow(h->eps, h->neps, &h->cap_eps, sizeof *h->eps);
  SupEpisodeH *x = &h->eps[h->neps++];
  x->id = db_col_int(st, 1);
  x->corrects_id = db_col_int(st, 2);
  SS_COPY(x->status, db_col_text(st, 3));
  SS_COPY(x->decision_date, db_col_text(st, 4));
  SS_COPY(x->start_date, db_col_text(st, 5));
  SS_COPY(x->planned_end, db_col_text(st, 6));
  SS_COPY(x->created_at, db_col_text(st, 7));
}

static void ss_add_visit(SupHistory *h, DbStmt *st) {
  h->visits = array_grow(h->visits, h->nvisits, &h->cap_visits, sizeof *h->visits);
  SupVisitH *x = &h->visits[h->nvisits++];
  x->id = db_col_int(st, 1);
  x->corrects_id = db_col_int(st, 2);
  x->date = ss_day(st, 3);
}

static void ss_add_test(SupHistory *h, DbStmt *st) {
  h->tests = array_grow(h->tests, h->ntests, &h->cap_tests, sizeof *h->tests);
  SupTestH *x = &h->tests[h->ntests++];
  x->id = db_col_int(st, 1);
  x->corrects_id = db_col_int(st, 2);
  x->date = ss_day(st, 3);
  SS_COPY(x->reason, db_col_text(st, 4));
  SS_COPY(x->result, db_col_text(st, 5));
}

static void ss_add_event(SupHistory *h, DbStmt *st) {
  h->events = array_grow(h->events, h->nevents, &h->cap_events, sizeof *h->events);
  SupEventH *x = &h->events[h->nevents++];
  x->id = db_col_int(st, 1);
  SS_COPY(x->kind, db_col_text(st, 2));
  x->date = ss_day(st, 3);
  x->has_until = !db_col_is_null(st, 4);
  x->until = x->has_until ? ss_day(st, 4) : 0;
  x->days = (int)db_col_int(st, 5);
  SS_COPY(x->status, db_col_text(st, 6));
}

/* Extracts "risk_level":"x" from an approval payload (JSON written by
 * app/approval.c with a fixed key order; only this key is needed here). */
static void ss_payload_risk(const char *payload, char out[8]) {
  out[0] = 0;
  const char *p = payload ? strstr(payload, "\"risk_level\":\"") : NULL;
  if (!p) return;
  p += strlen("\"risk_level\":\"");
  size_t n = 0;
  while (p[n] && p[n] != '"' && n < 7) n++;
  memcpy(out, p, n);
  out[n] = 0;
}

static void ss_add_approval(SupHistory *h, DbStmt *st) {
  h->approvals = array_grow(h->approvals, h->napprovals, &h->cap_approvals, sizeof *h->approvals);
  SupApprovalH *x = &h->approvals[h->napprovals++];
  x->id = db_col_int(st, 1);
  SS_COPY(x->kind, db_col_text(st, 2));
  SS_COPY(x->state, db_col_text(st, 3));
  ss_payload_risk(db_col_text(st, 4), x->risk_level);
}

static void ss_add_member(SupHistory *h, DbStmt *st) {
  if (sup_role_is_family(db_col_text(st, 1))) h->family_support = true;
}

/* Fills the person part of h from a row: id, org_id, drug_types, no_job,
 * no_home, no_income at columns base..base+5. */
static void ss_person_part(SupHistory *h, DbStmt *st, int base) {
  h->person_id = db_col_int(st, base);
  h->org_id = db_col_int(st, base + 1);
  SS_COPY(h->drug_types, db_col_text(st, base + 2));
  h->no_job = db_col_int(st, base + 3) != 0;
  h->no_home = db_col_int(st, base + 4) != 0;
  h->no_income = db_col_int(st, base + 5) != 0;
}

/* Fills the person part of the SupHistory *out from a row selecting it at
 * column 0 (a DbRowRead). */
static void ss_person_row(void *out, DbStmt *st) { ss_person_part(out, st, 0); }

/* The stored derived columns, in SupDerived order; selected after the
 * person part. */
#define DERIVED_COLS                                                                                        \
  "status, status_since, control, risk_level, next_talk_due, next_test_due, clock_start, last_test_date,"  \
  " last_talk_date, missed_two_date, report_deadline, pickup_due, release_eligible_date, risk_override,"   \
  " serious_breach, breach_tests, breach_absences, breach_absence_days, transfer_pending, in_view,"        \
  " approvals_pending, work_from, leave_until"

static void ss_derived_from_cols(SupDerived *d, DbStmt *st, int c) {
  memset(d, 0, sizeof *d);
  SS_COPY(d->status, db_col_text(st, c++));
  SS_COPY(d->status_since, db_col_text(st, c++));
  SS_COPY(d->control, db_col_text(st, c++));
  SS_COPY(d->risk_level, db_col_text(st, c++));
  SS_COPY(d->next_talk_due, db_col_text(st, c++));
  SS_COPY(d->next_test_due, db_col_text(st, c++));
  SS_COPY(d->clock_start, db_col_text(st, c++));
  SS_COPY(d->last_test_date, db_col_text(st, c++));
  SS_COPY(d->last_talk_date, db_col_text(st, c++));
  SS_COPY(d->missed_two_date, db_col_text(st, c++));
  SS_COPY(d->report_deadline, db_col_text(st, c++));
  SS_COPY(d->pickup_due, db_col_text(st, c++));
  SS_COPY(d->release_eligible_date, db_col_text(st, c++));
  SS_COPY(d->risk_override, db_col_text(st, c++));
  d->serious_breach = (int)db_col_int(st, c++);
  d->breach_tests = (int)db_col_int(st, c++);
  d->breach_absences = (int)db_col_int(st, c++);
  d->breach_absence_days = (int)db_col_int(st, c++);
  d->transfer_pending = (int)db_col_int(st, c++);
  d->in_view = (int)db_col_int(st, c++);
  d->approvals_pending = (int)db_col_int(st, c++);
  SS_COPY(d->work_from, db_col_text(st, c++));
  SS_COPY(d->leave_until, db_col_text(st, c++));
}

/* Fills the SupDerived *out from a row selecting DERIVED_COLS at column 0
 * (a DbRowRead). */
static void ss_derived_from_row(void *out, DbStmt *st) { ss_derived_from_cols(out, st, 0); }

/* Runs st (bound to :person_id) and adds every row to h with add. */
static int ss_load_rows(DbStmt *st, int64_t person_id, SupHistory *h, void (*add)(SupHistory *, DbStmt *), Err *e) {
  if (!st) return e->code;
  db_bind_int(st, ":person_id", person_id);
  int rc;
  while ((rc = db_step(st, e)) == DB_ROW) add(h, st);
  db_finalize(st);
  return rc == DB_DONE ? ERR_OK : rc;
}

int store_sup_history_load(Db *db, int64_t person_id, SupHistory *h, Err *e) {
  sup_history_clear(h);
  DbStmt *st = db_prepare(db,
                          "SELECT id, org_id, drug_types, no_job, no_home, no_income FROM person"
                          " WHERE id = :person_id",
                          e);
  db_bind_int(st, ":person_id", person_id);
  if (db_row(st, ss_person_row, h, "记录不存在", e) != ERR_OK) return e->code;
  if (ss_load_rows(db_prepare(db, "SELECT " EP_COLS " FROM status_episode WHERE person_id = :person_id ORDER BY id", e),
                   person_id, h, ss_add_episode, e) != ERR_OK ||
      ss_load_rows(db_prepare(db, "SELECT " VI_COLS " FROM visit WHERE person_id = :person_id ORDER BY date, id", e),
                   person_id, h, ss_add_visit, e) != ERR_OK ||
      ss_load_rows(db_prepare(db, "SELECT " TE_COLS " FROM drug_test WHERE person_id = :person_id ORDER BY date, id", e),
                   person_id, h, ss_add_test, e) != ERR_OK ||
      ss_load_rows(db_prepare(db, "SELECT " EV_COLS " FROM person_event WHERE person_id = :person_id ORDER BY date, id", e),
                   person_id, h, ss_add_event, e) != ERR_OK ||
      ss_load_rows(db_prepare(db, "SELECT " AP_COLS " FROM approval WHERE person_id = :person_id ORDER BY id", e),
                   person_id, h, ss_add_approval, e) != ERR_OK ||
      ss_load_rows(db_prepare(db,
                              "SELECT " HM_COLS " FROM help_member WHERE person_id = :person_id"
                              " AND removed_at IS NULL",
                              e),
                   person_id, h, ss_add_member, e) != ERR_OK)
    return e->code;
  return ERR_OK;
}

int store_sup_derived_get(Db *db, int64_t person_id, SupDerived *out, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT " DERIVED_COLS " FROM person WHERE id = :id", e);
  db_bind_int(st, ":id", person_id);
  return db_row(st, ss_derived_from_row, out, "记录不存在", e);
}

int store_sup_derived_set(Db *db, int64_t person_id, const SupDerived *d, const char *now, Err *e) {
  DbStmt *st = db_prepare(
      db,
      "UPDATE person SET status = :status, status_since = :status_since, control = :control,"
      " risk_level = :risk_level, next_talk_due = :next_talk_due, next_test_due = :next_test_due,"
      " clock_start = :clock_start, last_test_date = :last_test_date, last_talk_date = :last_talk_date,"
      " missed_two_date = :missed_two_date, report_deadline = :report_deadline, pickup_due = :pickup_due,"
      " release_eligible_date = :release_eligible_date, risk_override = :risk_override,"
      " serious_breach = :serious_breach, breach_tests = :breach_tests, breach_absences = :breach_absences,"
      " breach_absence_days = :breach_absence_days, transfer_pending = :transfer_pending, in_view = :in_view,"
      " approvals_pending = :approvals_pending, work_from = :work_from, leave_until = :leave_until,"
      " updated_at = :now WHERE id = :id",
      e);
  db_bind_text(st, ":status", d->status);
  db_bind_text_or_null(st, ":status_since", d->status_since);
  db_bind_text(st, ":control", d->control[0] ? d->control : "in_control");
  db_bind_text(st, ":risk_level", d->risk_level);
  db_bind_text_or_null(st, ":next_talk_due", d->next_talk_due);
  db_bind_text_or_null(st, ":next_test_due", d->next_test_due);
  db_bind_text_or_null(st, ":clock_start", d->clock_start);
  db_bind_text_or_null(st, ":last_test_date", d->last_test_date);
  db_bind_text_or_null(st, ":last_talk_date", d->last_talk_date);
  db_bind_text_or_null(st, ":missed_two_date", d->missed_two_date);
  db_bind_text_or_null(st, ":report_deadline", d->report_deadline);
  db_bind_text_or_null(st, ":pickup_due", d->pickup_due);
  db_bind_text_or_null(st, ":release_eligible_date", d->release_eligible_date);
  db_bind_text_or_null(st, ":risk_override", d->risk_override);
  db_bind_int(st, ":serious_breach", d->serious_breach);
  db_bind_int(st, ":breach_tests", d->breach_tests);
  db_bind_int(st, ":breach_absences", d->breach_absences);
  db_bind_int(st, ":breach_absence_days", d->breach_absence_days);
  db_bind_int(st, ":transfer_pending", d->transfer_pending);
  db_bind_int(st, ":in_view", d->in_view);
  db_bind_int(st, ":approvals_pending", d->approvals_pending);
  db_bind_text_or_null(st, ":work_from", d->work_from);
  db_bind_text_or_null(st, ":leave_until", d->leave_until);
  db_bind_text(st, ":now", now);
  db_bind_int(st, ":id", person_id);
  return db_run(st, e);
}

/* ---- the doctor's stream ---------------------------------------------- */

/* One history stream of the merge: a statement ordered by person_id, one
 * row ahead, and how its rows go into a SupHistory. */
typedef struct SsStream {
  DbStmt *st;
  int rc;
  void (*add)(SupHistory *, DbStmt *);
} SsStream;

int store_sup_scan(Db *db, SupScanFn fn, void *arg, SupScanStats *stats, Err *e) {
  return store_sup_scan_range(db, 0, INT64_MAX, fn, arg, stats, e);
}

int store_sup_scan_range(Db *db, int64_t lo, int64_t hi, SupScanFn fn, void *arg, SupScanStats *stats, Err *e) {
  SupScanStats s = {0, 0, 0};
  if (db_begin_read(db, e) != ERR_OK) return e->code;
  int code = ERR_OK;
  SupHistory h;
  memset(&h, 0, sizeof h);
#define RANGE " person_id >= :lo AND person_id < :hi"
  static const char *const sqls[] = {
    "SELECT " EP_COLS " FROM status_episode WHERE" RANGE " ORDER BY person_id, id",
    "SELECT " VI_COLS " FROM visit WHERE" RANGE " ORDER BY person_id, date, id",
    "SELECT " TE_COLS " FROM drug_test WHERE" RANGE " ORDER BY person_id, date, id",
    "SELECT " EV_COLS " FROM person_event WHERE" RANGE " ORDER BY person_id, date, id",
    "SELECT " AP_COLS " FROM approval WHERE" RANGE " ORDER BY person_id, id",
    "SELECT " HM_COLS " FROM help_member WHERE removed_at IS NULL AND" RANGE " ORDER BY person_id",
  };
#undef RANGE
  void (*adds[])(SupHistory *, DbStmt *) = {ss_add_episode, ss_add_visit, ss_add_test,
                                            ss_add_event,   ss_add_approval, ss_add_member};
  enum { NS = 6 };
  SsStream ss[NS];
  memset(ss, 0, sizeof ss);
  DbStmt *pst = db_prepare(db,
                           "SELECT id, org_id, drug_types, no_job, no_home, no_income, " DERIVED_COLS
                           " FROM person WHERE id >= :lo AND id < :hi ORDER BY id",
                           e);
  if (!pst) { code = e->code; goto done; }
  db_bind_int(pst, ":lo", lo);
  db_bind_int(pst, ":hi", hi);
  for (int i = 0; i < NS; i++) {
    ss[i].add = adds[i];
    ss[i].st = db_prepare(db, sqls[i], e);
    if (!ss[i].st) { code = e->code; goto done; }
    db_bind_int(ss[i].st, ":lo", lo);
    db_bind_int(ss[i].st, ":hi", hi);
    ss[i].rc = db_step(ss[i].st, e);
    if (ss[i].rc != DB_ROW && ss[i].rc != DB_DONE) { code = ss[i].rc; goto done; }
  }
  int prc;
  while ((prc = db_step(pst, e)) == DB_ROW) {
    sup_history_clear(&h);
    ss_person_part(&h, pst, 0);
    int64_t pid = h.person_id;
    for (int i = 0; i < NS; i++) {
      SsStream *x = &ss[i];
      while (x->rc == DB_ROW && db_col_int(x->st, 0) < pid) { /* rows of no person */
        s.orphans++;
        s.rows++;
        x->rc = db_step(x->st, e);
      }
      while (x->rc == DB_ROW && db_col_int(x->st, 0) == pid) {
        x->add(&h, x->st);
        s.rows++;
        x->rc = db_step(x->st, e);
      }
      if (x->rc != DB_ROW && x->rc != DB_DONE) { code = x->rc; goto done; }
    }
    SupDerived stored;
    ss_derived_from_cols(&stored, pst, 6);
    s.persons++;
    if ((code = fn(arg, &stored, &h, e)) != ERR_OK) goto done;
  }
  if (prc != DB_DONE) { code = prc; goto done; }
  for (int i = 0; i < NS; i++) {
    while (ss[i].rc == DB_ROW) {
      s.orphans++;
      s.rows++;
      ss[i].rc = db_step(ss[i].st, e);
    }
    if (ss[i].rc != DB_DONE) { code = ss[i].rc; goto done; }
  }
done:
  for (int i = 0; i < NS; i++) db_finalize(ss[i].st);
  db_finalize(pst);
  sup_history_free(&h);
  if (code == ERR_OK) {
    if (db_commit(db, e) != ERR_OK) code = e->code;
  } else if (db_in_transaction(db)) {
    Err ignored;
    err_clear(&ignored);
    db_commit(db, &ignored); /* a read: nothing to undo */
  }
  if (stats) *stats = s;
  return code;
}

/* ---- writes of history ------------------------------------------------ */

int store_sup_visit_add(Db *db, int64_t person_id, const SupVisitIn *in, const char *now, int64_t *id_out, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO visit (person_id, date, kind, worker_id, place, notes, created_at, corrects_id)"
                          " VALUES (:person_id, :date, :kind, :worker_id, :place, :notes, :now, :corrects_id)"
                          " RETURNING id",
                          e);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":date", in->date);
  db_bind_text(st, ":kind", in->kind);
  db_bind_int_or_null(st, ":worker_id", in->worker_id > 0, in->worker_id);
  db_bind_text(st, ":place", in->place ? in->place : "");
  db_bind_text(st, ":notes", in->notes ? in->notes : "");
  db_bind_text(st, ":now", now);
  db_bind_int_or_null(st, ":corrects_id", in->corrects_id > 0, in->corrects_id);
  return db_insert_id(st, id_out, e);
}

int store_sup_test_add(Db *db, int64_t person_id, const SupTestIn *in, const char *now, int64_t *id_out, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO drug_test (person_id, date, sample, reason, result, substances, tester,"
                          " recorded_by, created_at, corrects_id) VALUES (:person_id, :date, :sample, :reason,"
                          " :result, :substances, :tester, :recorded_by, :now, :corrects_id) RETURNING id",
                          e);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":date", in->date);
  db_bind_text(st, ":sample", in->sample);
  db_bind_text(st, ":reason", in->reason);
  db_bind_text(st, ":result", in->result);
  db_bind_text(st, ":substances", in->substances ? in->substances : "");
  db_bind_text(st, ":tester", in->tester ? in->tester : "");
  db_bind_int_or_null(st, ":recorded_by", in->recorded_by > 0, in->recorded_by);
  db_bind_text(st, ":now", now);
  db_bind_int_or_null(st, ":corrects_id", in->corrects_id > 0, in->corrects_id);
  return db_insert_id(st, id_out, e);
}

int store_sup_event_add(Db *db, int64_t person_id, const SupEventIn *in, const char *now, int64_t *id_out, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO person_event (person_id, kind, date, until_date, days, to_org_id, note,"
                          " status, created_by, created_at) VALUES (:person_id, :kind, :date, :until, :days,"
                          " :to_org_id, :note, :status, :created_by, :now) RETURNING id",
                          e);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":kind", in->kind);
  db_bind_text(st, ":date", in->date);
  db_bind_text_or_null(st, ":until", in->until);
  db_bind_int(st, ":days", in->days);
  db_bind_int_or_null(st, ":to_org_id", in->to_org_id > 0, in->to_org_id);
  db_bind_text(st, ":note", in->note ? in->note : "");
  db_bind_text_or_null(st, ":status", in->status);
  db_bind_int_or_null(st, ":created_by", in->created_by > 0, in->created_by);
  db_bind_text(st, ":now", now);
  return db_insert_id(st, id_out, e);
}

/* Sets the bool *out: the row exists (column 0 is 1) and no row corrects
 * it yet (column 1 is 0) (a DbRowRead). */
static void ss_correctable_row(void *out, DbStmt *st) {
  *(bool *)out = db_col_int(st, 0) == 1 && db_col_int(st, 1) == 0;
}

int store_sup_correctable(Db *db, const char *table, int64_t person_id, int64_t id, bool *ok, Err *e) {
  *ok = false;
  bool visit = strcmp(table, "visit") == 0;
  DbStmt *st = db_prepare(db,
                          visit ? "SELECT (SELECT count(*) FROM visit WHERE id = :id AND person_id = :person_id),"
                                  " (SELECT count(*) FROM visit WHERE corrects_id = :id AND person_id = :person_id)"
                                : "SELECT (SELECT count(*) FROM drug_test WHERE id = :id AND person_id = :person_id),"
                                  " (SELECT count(*) FROM drug_test WHERE corrects_id = :id"
                                  " AND person_id = :person_id)",
                          e);
  db_bind_int(st, ":id", id);
  db_bind_int(st, ":person_id", person_id);
  return db_row(st, ss_correctable_row, ok, NULL, e);
}

int store_sup_tasks_close(Db *db, int64_t person_id, const char *kind, const char *status, int *changed, Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE person_event SET status = :status WHERE person_id = :person_id"
                          " AND kind = :kind AND status = 'open' RETURNING id",
                          e);
  db_bind_text(st, ":status", status);
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":kind", kind);
  int64_t count;
  ErrCode rc = db_count(st, &count, e);
  if (changed) *changed = (int)count;
  return rc;
}

int store_sup_event_get(Db *db, int64_t id, int64_t *person_id, char kind[24], char status[12], Err *e) {
  DbStmt *st = db_prepare(db, "SELECT person_id, kind, coalesce(status, '') FROM person_event WHERE id = :id", e);
  if (!st) return e->code;
  db_bind_int(st, ":id", id);
  int rc = db_step(st, e);
  if (rc == DB_ROW) {
    *person_id = db_col_int(st, 0);
    str_copy(kind, 24, db_col_text(st, 1));
    str_copy(status, 12, db_col_text(st, 2));
  }
  db_finalize(st);
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "记录不存在");
  return rc == DB_ROW ? ERR_OK : rc;
}

int store_sup_event_set_status(Db *db, int64_t id, const char *status, Err *e) {
  DbStmt *st = db_prepare(db, "UPDATE person_event SET status = :status WHERE id = :id", e);
  db_bind_text(st, ":status", status);
  db_bind_int(st, ":id", id);
  return db_run(st, e);
}

int store_sup_person_move(Db *db, int64_t id, int64_t org_id, const char *org_path, const char *now, Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE person SET org_id = :org_id, org_path = :org_path, worker_id = NULL,"
                          " version = version + 1, updated_at = :now WHERE id = :id",
                          e);
  db_bind_int(st, ":org_id", org_id);
  db_bind_text(st, ":org_path", org_path);
  db_bind_text(st, ":now", now);
  db_bind_int(st, ":id", id);
  return db_run(st, e);
}

/* ---- history lists ---------------------------------------------------- */

/* Reads column 0 of the current row into the int64_t *out (a DbRowRead). */
static void ss_id_from_row(void *out, DbStmt *st) { *(int64_t *)out = db_col_int(st, 0); }


/* Fills the SupVisitRow *out from the current row of store_sup_visits's
 * page statement (a DbRowRead). */
static void ss_visit_from_row(void *out, DbStmt *st) {
  SupVisitRow *r = out;
  r->id = db_col_int(st, 0);
  r->corrects_id = db_col_int(st, 1);
  SS_COPY(r->date, db_col_text(st, 2));
  SS_COPY(r->kind, db_col_text(st, 3));
  SS_COPY(r->worker, db_col_text(st, 4));
  SS_COPY(r->place, db_col_text(st, 5));
  SS_COPY(r->notes, db_col_text(st, 6));
  SS_COPY(r->created_at, db_col_text(st, 7));
}

/* Fills the SupTestRow *out from the current row of store_sup_tests's page
 * statement (a DbRowRead). */
static void ss_test_from_row(void *out, DbStmt *st) {
  SupTestRow *r = out;
  r->id = db_col_int(st, 0);
  r->corrects_id = db_col_int(st, 1);
  SS_COPY(r->date, db_col_text(st, 2));
  SS_COPY(r->sample, db_col_text(st, 3));
  SS_COPY(r->reason, db_col_text(st, 4));
  SS_COPY(r->result, db_col_text(st, 5));
  SS_COPY(r->substances, db_col_text(st, 6));
  SS_COPY(r->tester, db_col_text(st, 7));
  SS_COPY(r->recorded_by, db_col_text(st, 8));
  SS_COPY(r->created_at, db_col_text(st, 9));
}

/* Fills the SupEventRow *out from the current row of store_sup_events's
 * page statement (a DbRowRead). */
static void ss_event_from_row(void *out, DbStmt *st) {
  SupEventRow *r = out;
  r->id = db_col_int(st, 0);
  SS_COPY(r->kind, db_col_text(st, 1));
  SS_COPY(r->date, db_col_text(st, 2));
  SS_COPY(r->until, db_col_text(st, 3));
  r->days = (int)db_col_int(st, 4);
  SS_COPY(r->to_org_code, db_col_text(st, 5));
  SS_COPY(r->to_org_name, db_col_text(st, 6));
  SS_COPY(r->note, db_col_text(st, 7));
  SS_COPY(r->status, db_col_text(st, 8));
  SS_COPY(r->created_by, db_col_text(st, 9));
  SS_COPY(r->created_at, db_col_text(st, 10));
}

/* One history list of a person: its count, its page (bound to :person_id,
 * :limit, :offset, read with read into records of size sz) and, for a table
 * whose rows correct others, the ids they correct (NULL: none). */
typedef struct SsHistoryList {
  const char *count_sql, *page_sql, *corrected_sql;
  size_t sz;
  DbRowRead read;
} SsHistoryList;

/* Runs the list q for person_id: *total, the page into *items and *n (as
 * db_rows), and, when q has corrected_sql, *corrected and *ncorrected. */
static int ss_history_page(Db *db, const SsHistoryList *q, int64_t person_id, int64_t limit, int64_t offset,
                           void *items, int *n, int64_t *total, int64_t **corrected, int *ncorrected, Err *e) {
  void *none = NULL;
  memcpy(items, &none, sizeof none);
  *n = 0;
  if (corrected) {
    *corrected = NULL;
    *ncorrected = 0;
  }
  DbStmt *st = db_prepare(db, q->count_sql, e);
  db_bind_int(st, ":person_id", person_id);
  if (db_scalar(st, total, e) != ERR_OK) return e->code;
  st = db_prepare(db, q->page_sql, e);
  db_bind_int(st, ":person_id", person_id);
  db_bind_int(st, ":limit", limit);
  db_bind_int(st, ":offset", offset);
  ErrCode rc = db_rows(st, q->sz, q->read, NULL, items, n, e);
  if (rc != ERR_OK || !q->corrected_sql) return rc;
  st = db_prepare(db, q->corrected_sql, e);
  db_bind_int(st, ":person_id", person_id);
  return db_rows(st, sizeof **corrected, ss_id_from_row, NULL, corrected, ncorrected, e);
}

int store_sup_visits(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupVisitRow **items, int *n,
                     int64_t *total, int64_t **corrected, int *ncorrected, Err *e) {
  static const SsHistoryList q = {
    "SELECT count(*) FROM visit WHERE person_id = :person_id",
    "SELECT v.id, coalesce(v.corrects_id, 0), v.date, v.kind, coalesce(u.username, 'cli'),"
    " v.place, v.notes, v.created_at FROM visit v LEFT JOIN app_user u ON u.id = v.worker_id"
    " WHERE v.person_id = :person_id ORDER BY v.date DESC, v.id DESC LIMIT :limit OFFSET :offset",
    "SELECT corrects_id FROM visit WHERE person_id = :person_id AND corrects_id IS NOT NULL",
    sizeof(SupVisitRow), ss_visit_from_row};
  return ss_history_page(db, &q, person_id, limit, offset, items, n, total, corrected, ncorrected, e);
}

int store_sup_tests(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupTestRow **items, int *n,
                    int64_t *total, int64_t **corrected, int *ncorrected, Err *e) {
  static const SsHistoryList q = {
    "SELECT count(*) FROM drug_test WHERE person_id = :person_id",
    "SELECT t.id, coalesce(t.corrects_id, 0), t.date, t.sample, t.reason, t.result,"
    " t.substances, t.tester, coalesce(u.username, 'cli'), t.created_at"
    " FROM drug_test t LEFT JOIN app_user u ON u.id = t.recorded_by"
    " WHERE t.person_id = :person_id ORDER BY t.date DESC, t.id DESC LIMIT :limit OFFSET :offset",
    "SELECT corrects_id FROM drug_test WHERE person_id = :person_id AND corrects_id IS NOT NULL",
    sizeof(SupTestRow), ss_test_from_row};
  return ss_history_page(db, &q, person_id, limit, offset, items, n, total, corrected, ncorrected, e);
}

int store_sup_events(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupEventRow **items, int *n,
                     int64_t *total, Err *e) {
  static const SsHistoryList q = {
    "SELECT count(*) FROM person_event WHERE person_id = :person_id",
    "SELECT ev.id, ev.kind, ev.date, ev.until_date, ev.days, o.code, o.name, ev.note,"
    " coalesce(ev.status, ''), coalesce(u.username, 'cli'), ev.created_at"
    " FROM person_event ev LEFT JOIN org_unit o ON o.id = ev.to_org_id"
    " LEFT JOIN app_user u ON u.id = ev.created_by"
    " WHERE ev.person_id = :person_id ORDER BY ev.date DESC, ev.id DESC LIMIT :limit OFFSET :offset",
    NULL, sizeof(SupEventRow), ss_event_from_row};
  return ss_history_page(db, &q, person_id, limit, offset, items, n, total, NULL, NULL, e);
}

/* ---- persons by id (refreshes, the doctor) ---------------------------- */

int store_sup_stale_ids(Db *db, int max, int64_t **ids, int *n, Err *e) {
  DbStmt *st = db_prepare(db, "SELECT person_id FROM derived_stale ORDER BY person_id LIMIT :max", e);
  db_bind_int(st, ":max", max);
  return db_rows(st, sizeof **ids, ss_id_from_row, NULL, ids, n, e);
}

int store_sup_stale_done(Db *db, int64_t person_id, Err *e) {
  DbStmt *st = db_prepare(db, "DELETE FROM derived_stale WHERE person_id = :id", e);
  db_bind_int(st, ":id", person_id);
  return db_run(st, e);
}

int store_sup_max_person_id(Db *db, int64_t *out, Err *e) {
  return db_scalar(db_prepare(db, "SELECT coalesce(max(id), 0) FROM person", e), out, e);
}

int store_sup_person_ids(Db *db, const char *scope, int64_t **ids, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  DbStmt *st = db_prepare(db,
                          "SELECT id FROM person WHERE org_path >= :scope AND org_path < :scope_end ORDER BY id", e);
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":scope_end", bound);
  return db_rows(st, sizeof **ids, ss_id_from_row, NULL, ids, n, e);
}

/* ---- the work list ---------------------------------------------------- */

/* The columns of a work row (person part from the covering index
 * person_work, then the joined approval). */
#define WORK_COLS                                                                                         \
  "p.id, p.org_id, p.name, p.status, p.control, p.next_test_due, p.next_talk_due, p.missed_two_date,"    \
  " p.report_deadline, p.pickup_due, p.release_eligible_date, p.serious_breach,"                          \
  " coalesce(a.id, 0), a.kind, a.approver_role, t.path, coalesce(a.proposed_by, 0), p.leave_until"

/* A date column as a day, SUP_NO_DAY for NULL. */
static Day ss_work_day(DbStmt *st, int col) {
  const char *s = db_col_text(st, col);
  Day d;
  return s && date_parse(s, &d) ? d : SUP_NO_DAY;
}

/* Fills the SupWorkRow *out from the current row of a statement selecting
 * WORK_COLS (a DbRowRead); approval_to_path is malloc'd (ss_work_drop). */
static void ss_work_from_row(void *out, DbStmt *st) {
  SupWorkRow *r = out;
  r->person_id = db_col_int(st, 0);
  r->org_id = db_col_int(st, 1);
  SS_COPY(r->name, db_col_text(st, 2));
  SS_COPY(r->status, db_col_text(st, 3));
  const char *control = db_col_text(st, 4);
  r->lost_contact = control && strcmp(control, "lost_contact") == 0;
  r->next_test_due = ss_work_day(st, 5);
  r->next_talk_due = ss_work_day(st, 6);
  r->missed_two_date = ss_work_day(st, 7);
  r->report_deadline = ss_work_day(st, 8);
  r->pickup_due = ss_work_day(st, 9);
  r->release_eligible_date = ss_work_day(st, 10);
  r->serious_breach = (int)db_col_int(st, 11);
  r->leave_until = ss_work_day(st, 17);
  r->approval_id = db_col_int(st, 12);
  r->approval_kind[0] = r->approver_role[0] = 0;
  r->approval_to_path = NULL;
  r->approval_proposed_by = 0;
  if (r->approval_id) {
    SS_COPY(r->approval_kind, db_col_text(st, 13));
    SS_COPY(r->approver_role, db_col_text(st, 14));
    const char *tp = db_col_text(st, 15);
    if (tp) {
      r->approval_to_path = strdup(tp);
      if (!r->approval_to_path) abort();
    }
    r->approval_proposed_by = db_col_int(st, 16);
  }
}

/* Frees what ss_work_from_row allocated in the SupWorkRow *rec (a DbRowDrop). */
static void ss_work_drop(void *rec) { free(((SupWorkRow *)rec)->approval_to_path); }

void store_sup_work_free(SupWorkRow *rows, int n) { db_rows_free(rows, n, sizeof *rows, ss_work_drop); }

/* The persons who may be on the work list by the horizon (the second
 * column of the covering index person_work: one comparison an entry), of
 * the responsible worker :wid when not 0 (the last column of the index);
 * the app applies each reason's own test to these rows. */
#define WORK_WHERE " AND p.work_from <= :horizon AND (:wid = 0 OR p.worker_id = :wid)"

/* The pending approvals of a work row: an index lookup on
 * approval_state(state, person_id), made only for persons whose stored
 * approvals_pending says there is one. */
#define WORK_JOIN                                                                                         \
  " LEFT JOIN approval a ON p.approvals_pending > 0 AND a.state = 'pending' AND a.person_id = p.id"      \
  " LEFT JOIN org_unit t ON t.id = a.to_org_id"

int store_sup_worklist(Db *db, const char *scope, int64_t person_id, int64_t worker_id, const char *horizon,
                       int cap, SupWorkRow **items, int *n, bool *capped, Err *e) {
  *capped = false;
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  /* The whole scope: one range scan over the covering index person_work
   * (migration 2: every person column used here is in it, so no person row
   * is read; no subquery per person). One person: its row by id, kept only
   * when it lies in the scope. */
  DbStmt *st = person_id > 0
                 ? db_prepare(db,
                              "SELECT " WORK_COLS " FROM person p" WORK_JOIN
                              " WHERE p.id = :pid AND p.org_path >= :scope AND p.org_path < :scope_end" WORK_WHERE
                              " LIMIT :cap",
                              e)
                 : db_prepare(db,
                              "SELECT " WORK_COLS " FROM person p" WORK_JOIN
                              " WHERE p.org_path >= :scope AND p.org_path < :scope_end" WORK_WHERE " LIMIT :cap",
                              e);
  if (person_id > 0) db_bind_int(st, ":pid", person_id);
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":scope_end", bound);
  db_bind_text(st, ":horizon", horizon);
  db_bind_int(st, ":wid", worker_id > 0 ? worker_id : 0);
  db_bind_int(st, ":cap", (int64_t)cap + 1); /* one row more tells that the list goes on */
  if (db_rows(st, sizeof **items, ss_work_from_row, ss_work_drop, items, n, e) != ERR_OK) return e->code;
  if (*n > cap) {
    *capped = true;
    while (*n > cap) ss_work_drop(&(*items)[--*n]);
  }
  return ERR_OK;
}

int store_sup_worklist_incoming(Db *db, const char *scope, int64_t person_id, SupWorkRow **items, int *n, Err *e) {
  char bound[ORG_PATH_MAX];
  store_path_bound(scope, bound, sizeof bound);
  /* The units of the scope (org_unit.path is unique, so indexed), joined to
   * approval_to_org(to_org_id, state). */
  DbStmt *st = db_prepare(db,
                          "SELECT " WORK_COLS " FROM org_unit t JOIN approval a ON a.to_org_id = t.id"
                          " AND a.state = 'pending' JOIN person p ON p.id = a.person_id"
                          " WHERE t.path >= :scope AND t.path < :scope_end"
                          " AND NOT (p.org_path >= :scope AND p.org_path < :scope_end)"
                          " AND (:pid = 0 OR p.id = :pid)",
                          e);
  db_bind_int(st, ":pid", person_id > 0 ? person_id : 0);
  db_bind_text(st, ":scope", scope);
  db_bind_text(st, ":scope_end", bound);
  return db_rows(st, sizeof **items, ss_work_from_row, ss_work_drop, items, n, e);
}
