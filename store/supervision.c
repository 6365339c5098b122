/* store/supervision.c: owns the SQL of the supervision engine (see
 * store/supervision.h): history rows (visit, drug_test, person_event), the
 * derived supervision columns of person, the work-list scan and the
 * doctor's merged stream. */
#include "store/supervision.h"
#include "core/buf.h"
#include "store/org.h"
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

#define SS_COPY(dst, src) str_copy((dst), sizeof(dst), (src))

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

/* The columns of EP_COLS after person_id, in order. */
static const DbCol ss_episode_cols[] = {
  DB_COL(SupEpisodeH, id),
  DB_COL(SupEpisodeH, corrects_id),
  DB_COL(SupEpisodeH, status),
  DB_COL(SupEpisodeH, decision_date),
  DB_COL(SupEpisodeH, start_date),
  DB_COL(SupEpisodeH, planned_end),
  DB_COL(SupEpisodeH, created_at),
  DB_COL_END,
};


/* The columns of VI_COLS, TE_COLS and EV_COLS after person_id, in order. */
static const DbCol ss_visit_h_cols[] = {
  DB_COL(SupVisitH, id),
  DB_COL(SupVisitH, corrects_id),
  DB_COL_DAY(SupVisitH, date),
  DB_COL_END,
};
static const DbCol ss_test_h_cols[] = {
  DB_COL(SupTestH, id),
  DB_COL(SupTestH, corrects_id),
  DB_COL_DAY(SupTestH, date),
  DB_COL(SupTestH, reason),
  DB_COL(SupTestH, result),
  DB_COL_END,
};
static const DbCol ss_event_h_cols[] = {
  DB_COL(SupEventH, id),
  DB_COL(SupEventH, kind),
  DB_COL_DAY(SupEventH, date),
  DB_COL_DAY(SupEventH, until),
  DB_COL(SupEventH, days),
  DB_COL(SupEventH, status),
  DB_COL_END,
};

/* Each adds the current row of its statement (columns as above, person_id
 * first) to its list of h. */
static void ss_add_episode(SupHistory *h, DbStmt *st) {
  h->eps = db_cols_append(h->eps, &h->neps, &h->cap_eps, sizeof *h->eps, st, 1, ss_episode_cols);
}
static void ss_add_visit(SupHistory *h, DbStmt *st) {
  h->visits = db_cols_append(h->visits, &h->nvisits, &h->cap_visits, sizeof *h->visits, st, 1, ss_visit_h_cols);
}
static void ss_add_test(SupHistory *h, DbStmt *st) {
  h->tests = db_cols_append(h->tests, &h->ntests, &h->cap_tests, sizeof *h->tests, st, 1, ss_test_h_cols);
}
static void ss_add_event(SupHistory *h, DbStmt *st) {
  h->events = db_cols_append(h->events, &h->nevents, &h->cap_events, sizeof *h->events, st, 1, ss_event_h_cols);
  h->events[h->nevents - 1].has_until = !db_col_is_null(st, 4);
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

/* The person part of a SupHistory: the columns id, org_id, drug_types,
 * no_job, no_home, no_income, in order. */
static const DbCol ss_person_cols[] = {
  DB_COL(SupHistory, person_id),
  DB_COL(SupHistory, org_id),
  DB_COL(SupHistory, drug_types),
  DB_COL(SupHistory, no_job),
  DB_COL(SupHistory, no_home),
  DB_COL(SupHistory, no_income),
  DB_COL_END,
};

/* The stored derived columns, in SupDerived order; selected after the
 * person part. */
#define DERIVED_COLS                                                                                        \
  "status, status_since, control, risk_level, next_talk_due, next_test_due, clock_start, last_test_date,"  \
  " last_talk_date, missed_two_date, report_deadline, pickup_due, release_eligible_date, risk_override,"   \
  " serious_breach, breach_tests, breach_absences, breach_absence_days, transfer_pending, in_view,"        \
  " approvals_pending, work_from, leave_until, release_due, release_from"

/* The columns of DERIVED_COLS, in order. */
static const DbCol ss_derived_cols[] = {
  DB_COL(SupDerived, status),
  DB_COL(SupDerived, status_since),
  DB_COL(SupDerived, control),
  DB_COL(SupDerived, risk_level),
  DB_COL(SupDerived, next_talk_due),
  DB_COL(SupDerived, next_test_due),
  DB_COL(SupDerived, clock_start),
  DB_COL(SupDerived, last_test_date),
  DB_COL(SupDerived, last_talk_date),
  DB_COL(SupDerived, missed_two_date),
  DB_COL(SupDerived, report_deadline),
  DB_COL(SupDerived, pickup_due),
  DB_COL(SupDerived, release_eligible_date),
  DB_COL(SupDerived, risk_override),
  DB_COL(SupDerived, serious_breach),
  DB_COL(SupDerived, breach_tests),
  DB_COL(SupDerived, breach_absences),
  DB_COL(SupDerived, breach_absence_days),
  DB_COL(SupDerived, transfer_pending),
  DB_COL(SupDerived, in_view),
  DB_COL(SupDerived, approvals_pending),
  DB_COL(SupDerived, work_from),
  DB_COL(SupDerived, leave_until),
  DB_COL(SupDerived, release_due),
  DB_COL(SupDerived, release_from),
  DB_COL_END,
};

/* Fills *d from DERIVED_COLS selected from column c on (the members no
 * column fills are zero). */
static void ss_derived_from_cols(SupDerived *d, DbStmt *st, int c) {
  memset(d, 0, sizeof *d);
  db_cols_read(d, st, c, ss_derived_cols);
}

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
  DbStmt *st = db_query(db, "SELECT id, org_id, drug_types, no_job, no_home, no_income FROM person"
                            " WHERE id = :person_id", e,
                        DB_INT(":person_id", person_id));
  if (db_row_cols(st, ss_person_cols, h, "记录不存在", e) != ERR_OK) return e->code;
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
  memset(out, 0, sizeof *out);
  DbStmt *st = db_query(db, "SELECT " DERIVED_COLS " FROM person WHERE id = :id", e, DB_INT(":id", person_id));
  return db_row_cols(st, ss_derived_cols, out, "记录不存在", e);
}

int store_sup_derived_set(Db *db, int64_t person_id, const SupDerived *d, const char *now, Err *e) {
  DbStmt *st = db_query(db, "UPDATE person SET status = :status, status_since = :status_since, control = :control,"
                            " risk_level = :risk_level, next_talk_due = :next_talk_due, next_test_due = :next_test_due,"
                            " clock_start = :clock_start, last_test_date = :last_test_date, last_talk_date = :last_talk_date,"
                            " missed_two_date = :missed_two_date, report_deadline = :report_deadline, pickup_due = :pickup_due,"
                            " release_eligible_date = :release_eligible_date, risk_override = :risk_override,"
                            " serious_breach = :serious_breach, breach_tests = :breach_tests, breach_absences = :breach_absences,"
                            " breach_absence_days = :breach_absence_days, transfer_pending = :transfer_pending, in_view = :in_view,"
                            " approvals_pending = :approvals_pending, work_from = :work_from, leave_until = :leave_until,"
                            " release_due = :release_due, release_from = :release_from,"
                            " updated_at = :now WHERE id = :id", e,
                        DB_TEXT(":status", d->status), DB_TEXT_OR_NULL(":status_since", d->status_since),
                        DB_TEXT(":control", d->control[0] ? d->control : "in_control"),
                        DB_TEXT(":risk_level", d->risk_level), DB_TEXT_OR_NULL(":next_talk_due", d->next_talk_due),
                        DB_TEXT_OR_NULL(":next_test_due", d->next_test_due),
                        DB_TEXT_OR_NULL(":clock_start", d->clock_start),
                        DB_TEXT_OR_NULL(":last_test_date", d->last_test_date),
                        DB_TEXT_OR_NULL(":last_talk_date", d->last_talk_date),
                        DB_TEXT_OR_NULL(":missed_two_date", d->missed_two_date),
                        DB_TEXT_OR_NULL(":report_deadline", d->report_deadline),
                        DB_TEXT_OR_NULL(":pickup_due", d->pickup_due),
                        DB_TEXT_OR_NULL(":release_eligible_date", d->release_eligible_date),
                        DB_TEXT_OR_NULL(":risk_override", d->risk_override),
                        DB_INT(":serious_breach", d->serious_breach), DB_INT(":breach_tests", d->breach_tests),
                        DB_INT(":breach_absences", d->breach_absences),
                        DB_INT(":breach_absence_days", d->breach_absence_days),
                        DB_INT(":transfer_pending", d->transfer_pending), DB_INT(":in_view", d->in_view),
                        DB_INT(":approvals_pending", d->approvals_pending), DB_TEXT_OR_NULL(":work_from", d->work_from),
                        DB_TEXT_OR_NULL(":leave_until", d->leave_until),
                        DB_TEXT_OR_NULL(":release_due", d->release_due),
                        DB_TEXT_OR_NULL(":release_from", d->release_from),
                        DB_TEXT(":now", now), DB_INT(":id", person_id));
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
    db_cols_read(&h, pst, 0, ss_person_cols);
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
  return db_insert(db, "visit", id_out, e, DB_INT(":person_id", person_id), DB_TEXT(":date", in->date),
                   DB_TEXT(":kind", in->kind), DB_ID_OR_NULL(":worker_id", in->worker_id),
                   DB_TEXT(":place", in->place ? in->place : ""), DB_TEXT(":notes", in->notes ? in->notes : ""),
                   DB_TEXT(":created_at", now), DB_ID_OR_NULL(":corrects_id", in->corrects_id));
}

int store_sup_test_add(Db *db, int64_t person_id, const SupTestIn *in, const char *now, int64_t *id_out, Err *e) {
  return db_insert(db, "drug_test", id_out, e, DB_INT(":person_id", person_id), DB_TEXT(":date", in->date),
                   DB_TEXT(":sample", in->sample), DB_TEXT(":reason", in->reason), DB_TEXT(":result", in->result),
                   DB_TEXT(":substances", in->substances ? in->substances : ""),
                   DB_TEXT(":tester", in->tester ? in->tester : ""), DB_ID_OR_NULL(":recorded_by", in->recorded_by),
                   DB_TEXT(":created_at", now), DB_ID_OR_NULL(":corrects_id", in->corrects_id));
}

int store_sup_event_add(Db *db, int64_t person_id, const SupEventIn *in, const char *now, int64_t *id_out, Err *e) {
  return db_insert(db, "person_event", id_out, e, DB_INT(":person_id", person_id), DB_TEXT(":kind", in->kind),
                   DB_TEXT(":date", in->date), DB_TEXT_OR_NULL(":until_date", in->until), DB_INT(":days", in->days),
                   DB_ID_OR_NULL(":to_org_id", in->to_org_id), DB_TEXT(":note", in->note ? in->note : ""),
                   DB_TEXT_OR_NULL(":status", in->status), DB_ID_OR_NULL(":created_by", in->created_by),
                   DB_TEXT(":case_no", in->case_no ? in->case_no : ""),
                   DB_TEXT(":offence_kind", in->offence ? in->offence : ""), DB_TEXT(":created_at", now));
}

/* Sets the bool *out: the row exists (column 0 is 1) and no row corrects
 * it yet (column 1 is 0) (a DbRowRead). */
static void ss_correctable_row(void *out, DbStmt *st) {
  *(bool *)out = db_col_int(st, 0) == 1 && db_col_int(st, 1) == 0;
}

int store_sup_correctable(Db *db, const char *table, int64_t person_id, int64_t id, bool *ok, Err *e) {
  *ok = false;
  bool visit = strcmp(table, "visit") == 0;
  DbStmt *st = db_query(db,
                        visit ? "SELECT (SELECT count(*) FROM visit WHERE id = :id AND person_id = :person_id),"
                                " (SELECT count(*) FROM visit WHERE corrects_id = :id AND person_id = :person_id)"
                              : "SELECT (SELECT count(*) FROM drug_test WHERE id = :id AND person_id = :person_id),"
                                " (SELECT count(*) FROM drug_test WHERE corrects_id = :id"
                                " AND person_id = :person_id)",
                        e, DB_INT(":id", id), DB_INT(":person_id", person_id));
  return db_row(st, ss_correctable_row, ok, NULL, e);
}

int store_sup_tasks_close(Db *db, int64_t person_id, const char *kind, const char *status, int *changed, Err *e) {
  DbStmt *st = db_query(db, "UPDATE person_event SET status = :status WHERE person_id = :person_id"
                            " AND kind = :kind AND status = 'open' RETURNING id", e,
                        DB_TEXT(":status", status), DB_INT(":person_id", person_id), DB_TEXT(":kind", kind));
  int64_t count;
  ErrCode rc = db_count(st, &count, e);
  if (changed) *changed = (int)count;
  return rc;
}

int store_sup_event_get(Db *db, int64_t id, int64_t *person_id, char kind[24], char status[12], Err *e) {
  DbStmt *st = db_query(db, "SELECT person_id, kind, coalesce(status, '') FROM person_event WHERE id = :id", e,
                        DB_INT(":id", id));
  if (!st) return e->code;
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
  DbStmt *st = db_query(db, "UPDATE person_event SET status = :status WHERE id = :id", e, DB_TEXT(":status", status),
                        DB_INT(":id", id));
  return db_run(st, e);
}

int store_sup_person_move(Db *db, int64_t id, int64_t org_id, const char *org_path, const char *now, Err *e) {
  DbStmt *st = db_query(db, "UPDATE person SET org_id = :org_id, org_path = :org_path, worker_id = NULL,"
                            " version = version + 1, updated_at = :now WHERE id = :id", e,
                        DB_INT(":org_id", org_id), DB_TEXT(":org_path", org_path), DB_TEXT(":now", now),
                        DB_INT(":id", id));
  return db_run(st, e);
}

/* ---- history lists ---------------------------------------------------- */

/* Reads column 0 of the current row into the int64_t *out (a DbRowRead). */
static void ss_id_from_row(void *out, DbStmt *st) { *(int64_t *)out = db_col_int(st, 0); }


/* The page statements of store_sup_visits, store_sup_tests and
 * store_sup_events, and their columns in order. */
#define SS_VISIT_PAGE                                                                                      \
  "SELECT v.id, coalesce(v.corrects_id, 0), v.date, v.kind, coalesce(u.username, 'cli'),"                  \
  " v.place, v.notes, v.created_at FROM visit v LEFT JOIN app_user u ON u.id = v.worker_id"                \
  " WHERE v.person_id = :person_id ORDER BY v.date DESC, v.id DESC LIMIT :limit OFFSET :offset"
#define SS_TEST_PAGE                                                                                       \
  "SELECT t.id, coalesce(t.corrects_id, 0), t.date, t.sample, t.reason, t.result,"                         \
  " t.substances, t.tester, coalesce(u.username, 'cli'), t.created_at"                                     \
  " FROM drug_test t LEFT JOIN app_user u ON u.id = t.recorded_by"                                         \
  " WHERE t.person_id = :person_id ORDER BY t.date DESC, t.id DESC LIMIT :limit OFFSET :offset"
#define SS_EVENT_PAGE                                                                                      \
  "SELECT ev.id, ev.kind, ev.date, ev.until_date, ev.days, o.code, o.name, ev.note,"                       \
  " coalesce(ev.status, ''), coalesce(u.username, 'cli'), ev.created_at, ev.case_no, ev.offence_kind"      \
  " FROM person_event ev LEFT JOIN org_unit o ON o.id = ev.to_org_id"                                      \
  " LEFT JOIN app_user u ON u.id = ev.created_by"                                                          \
  " WHERE ev.person_id = :person_id ORDER BY ev.date DESC, ev.id DESC LIMIT :limit OFFSET :offset"
static const DbCol ss_visit_cols[] = {
  DB_COL(SupVisitRow, id),
  DB_COL(SupVisitRow, corrects_id),
  DB_COL(SupVisitRow, date),
  DB_COL(SupVisitRow, kind),
  DB_COL(SupVisitRow, worker),
  DB_COL(SupVisitRow, place),
  DB_COL(SupVisitRow, notes),
  DB_COL(SupVisitRow, created_at),
  DB_COL_END,
};
static const DbCol ss_test_cols[] = {
  DB_COL(SupTestRow, id),
  DB_COL(SupTestRow, corrects_id),
  DB_COL(SupTestRow, date),
  DB_COL(SupTestRow, sample),
  DB_COL(SupTestRow, reason),
  DB_COL(SupTestRow, result),
  DB_COL(SupTestRow, substances),
  DB_COL(SupTestRow, tester),
  DB_COL(SupTestRow, recorded_by),
  DB_COL(SupTestRow, created_at),
  DB_COL_END,
};
static const DbCol ss_event_cols[] = {
  DB_COL(SupEventRow, id),
  DB_COL(SupEventRow, kind),
  DB_COL(SupEventRow, date),
  DB_COL(SupEventRow, until),
  DB_COL(SupEventRow, days),
  DB_COL(SupEventRow, to_org_code),
  DB_COL(SupEventRow, to_org_name),
  DB_COL(SupEventRow, note),
  DB_COL(SupEventRow, status),
  DB_COL(SupEventRow, created_by),
  DB_COL(SupEventRow, created_at),
  DB_COL(SupEventRow, case_no),
  DB_COL(SupEventRow, offence_kind),
  DB_COL_END,
};

/* One history list of a person: the table, its page statement (bound to
 * :person_id, :limit, :offset, read by cols into records of size sz). */
typedef struct SsHistoryList {
  const char *table, *page_sql;
  size_t sz;
  const DbCol *cols;
} SsHistoryList;

static const SsHistoryList ss_visit_list = {"visit", SS_VISIT_PAGE, sizeof(SupVisitRow), ss_visit_cols};
static const SsHistoryList ss_test_list = {"drug_test", SS_TEST_PAGE, sizeof(SupTestRow), ss_test_cols};
static const SsHistoryList ss_event_list = {"person_event", SS_EVENT_PAGE, sizeof(SupEventRow), ss_event_cols};

/* Runs the list q for person_id: *total (the rows of the person), the page
 * into *items and *n (as db_rows), and, when corrected is not NULL, the ids
 * that rows of the table correct into *corrected and *ncorrected. */
static int ss_history_page(Db *db, const SsHistoryList *q, int64_t person_id, int64_t limit, int64_t offset,
                           void *items, int *n, int64_t *total, int64_t **corrected, int *ncorrected, Err *e) {
  void *none = NULL;
  memcpy(items, &none, sizeof none);
  *n = 0;
  if (corrected) {
    *corrected = NULL;
    *ncorrected = 0;
  }
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE person_id = :person_id", q->table);
  DbStmt *st = db_query(db, sql, e, DB_INT(":person_id", person_id));
  if (db_scalar(st, total, e) != ERR_OK) return e->code;
  st = db_query(db, q->page_sql, e, DB_INT(":person_id", person_id), DB_INT(":limit", limit),
                DB_INT(":offset", offset));
  ErrCode rc = db_rows_cols(st, q->sz, q->cols, items, n, e);
  if (rc != ERR_OK || !corrected) return rc;
  snprintf(sql, sizeof sql, "SELECT corrects_id FROM %s WHERE person_id = :person_id AND corrects_id IS NOT NULL",
           q->table);
  st = db_query(db, sql, e, DB_INT(":person_id", person_id));
  return db_rows(st, sizeof **corrected, ss_id_from_row, NULL, corrected, ncorrected, e);
}

int store_sup_visits(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupVisitRow **items, int *n,
                     int64_t *total, int64_t **corrected, int *ncorrected, Err *e) {
  return ss_history_page(db, &ss_visit_list, person_id, limit, offset, items, n, total, corrected, ncorrected, e);
}

int store_sup_tests(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupTestRow **items, int *n,
                    int64_t *total, int64_t **corrected, int *ncorrected, Err *e) {
  return ss_history_page(db, &ss_test_list, person_id, limit, offset, items, n, total, corrected, ncorrected, e);
}

int store_sup_events(Db *db, int64_t person_id, int64_t limit, int64_t offset, SupEventRow **items, int *n,
                     int64_t *total, Err *e) {
  return ss_history_page(db, &ss_event_list, person_id, limit, offset, items, n, total, NULL, NULL, e);
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
  DbStmt *st = db_query(db, "SELECT id FROM person WHERE org_path >= :scope AND org_path < :scope_end ORDER BY id", e,
                        DB_TEXT(":scope", scope), DB_TEXT(":scope_end", bound));
  return db_rows(st, sizeof **ids, ss_id_from_row, NULL, ids, n, e);
}

/* ---- the work list ---------------------------------------------------- */

/* The columns of a work row (person part from the covering index
 * person_work, then the joined approval). */
#define WORK_COLS                                                                                         \
  "p.id, p.org_id, p.name, p.status, p.control, p.next_test_due, p.next_talk_due, p.missed_two_date,"    \
  " p.report_deadline, p.pickup_due, p.release_eligible_date, p.serious_breach,"                          \
  " coalesce(a.id, 0), a.kind, a.approver_role, t.path, coalesce(a.proposed_by, 0), p.leave_until,"          \
  " p.plan_review_due, p.service_followup_due, p.release_due, p.release_from"

/* A date column as a day, SUP_NO_DAY for NULL. */
static Day ss_work_day(DbStmt *st, int col) {
  const char *s = db_col_text(st, col);
  Day d;
  return s && date_parse(s, &d) ? d : SUP_NO_DAY;
}

/* The date columns of WORK_COLS (their index) and their SupWorkRow members. */
static const struct {
  int col;
  size_t at;
} ss_work_days[] = {
  {5, offsetof(SupWorkRow, next_test_due)},         {6, offsetof(SupWorkRow, next_talk_due)},
  {7, offsetof(SupWorkRow, missed_two_date)},       {8, offsetof(SupWorkRow, report_deadline)},
  {9, offsetof(SupWorkRow, pickup_due)},            {10, offsetof(SupWorkRow, release_eligible_date)},
  {17, offsetof(SupWorkRow, leave_until)},          {18, offsetof(SupWorkRow, plan_review_due)},
  {19, offsetof(SupWorkRow, service_followup_due)}, {20, offsetof(SupWorkRow, release_due)},
  {21, offsetof(SupWorkRow, release_from)},
};

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
  for (size_t k = 0; k < sizeof ss_work_days / sizeof *ss_work_days; k++)
    *(Day *)((char *)r + ss_work_days[k].at) = ss_work_day(st, ss_work_days[k].col);
  r->serious_breach = (int)db_col_int(st, 11);
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
#define WORK_WHERE                                                                                        \
  " AND (p.work_from <= :horizon OR p.plan_review_due <= :horizon OR p.service_followup_due <= :horizon)"   \
  " AND (:wid = 0 OR p.worker_id = :wid)"

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
  DbStmt *st = db_query(db, "SELECT " WORK_COLS " FROM org_unit t JOIN approval a ON a.to_org_id = t.id"
                            " AND a.state = 'pending' JOIN person p ON p.id = a.person_id"
                            " WHERE t.path >= :scope AND t.path < :scope_end"
                            " AND NOT (p.org_path >= :scope AND p.org_path < :scope_end)"
                            " AND (:pid = 0 OR p.id = :pid)", e,
                        DB_INT(":pid", person_id > 0 ? person_id : 0), DB_TEXT(":scope", scope),
                        DB_TEXT(":scope_end", bound));
  return db_rows(st, sizeof **items, ss_work_from_row, ss_work_drop, items, n, e);
}
