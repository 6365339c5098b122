/* store/doctor.c: owns the SQL of `jindu doctor` (see store/doctor.h): the
 * single merged pass over persons (id order) and status episodes
 * (person_id, id order) in one read snapshot. */
#include "store/doctor.h"
#include "core/buf.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One episode copied out of the statement (the column texts die at the next
 * step, and a person's episodes are collected over several steps). */
typedef struct DocEp {
  int64_t id, corrects_id;
  char status[DERIVED_STATUS_LEN];
  char decision_date[DATE_ISO_LEN];
  char start_date[DATE_ISO_LEN];
  char created_at[40];
} DocEp;

/* Column text, "" for SQL NULL. */
static const char *doc_text(DbStmt *st, int col) {
  const char *s = db_col_text(st, col);
  return s ? s : "";
}

/* Columns of the episode statement: the person, then a DocEp from EP_ID on. */
enum { EP_PERSON, EP_ID };
static const DbCol doc_ep_cols[] = {
  DB_COL(DocEp, id),
  DB_COL(DocEp, corrects_id),
  DB_COL(DocEp, status),
  DB_COL(DocEp, decision_date),
  DB_COL(DocEp, start_date),
  DB_COL(DocEp, created_at),
  DB_COL_END,
};

int store_doctor_scan(Db *db, DoctorVisitFn fn, void *arg, DoctorScanStats *stats, Err *e) {
  DoctorScanStats s = {0, 0, 0};
  if (db_begin_read(db, e) != ERR_OK) return e->code;
  int code = ERR_OK;
  DbStmt *pst = db_prepare(db,
                           "SELECT id, org_path, status, status_since, control, risk_level, next_talk_due,"
                           " next_test_due FROM person ORDER BY id",
                           e);
  DbStmt *est = pst ? db_prepare(db,
                                 "SELECT person_id, id, coalesce(corrects_id, 0), status, decision_date,"
                                 " start_date, created_at FROM status_episode ORDER BY person_id, id",
                                 e)
                    : NULL;
  DocEp *buf = NULL;
  DerivedEpisode *view = NULL;
  int cap = 0;
  if (!pst || !est) {
    code = e->code;
    goto done;
  }

  int erc = db_step(est, e); /* the episode cursor runs one row ahead */
  if (erc != DB_ROW && erc != DB_DONE) { code = erc; goto done; }
  int prc;
  while ((prc = db_step(pst, e)) == DB_ROW) {
    int64_t pid = db_col_int(pst, 0);
    /* Skip episodes of ids below this person (no such person). */
    while (erc == DB_ROW && db_col_int(est, EP_PERSON) < pid) {
      s.orphan_episodes++;
      s.episodes++;
      erc = db_step(est, e);
    }
    int n = 0;
    while (erc == DB_ROW && db_col_int(est, EP_PERSON) == pid) {
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        buf = realloc(buf, (size_t)cap * sizeof *buf);
        view = realloc(view, (size_t)cap * sizeof *view);
        if (!buf || !view) abort();
      }
      db_cols_read(&buf[n++], est, EP_ID, doc_ep_cols);
      s.episodes++;
      erc = db_step(est, e);
    }
    if (erc != DB_ROW && erc != DB_DONE) { code = erc; goto done; }
    for (int i = 0; i < n; i++)
      view[i] = (DerivedEpisode){buf[i].id, buf[i].corrects_id, buf[i].status, buf[i].decision_date,
                                 buf[i].start_date, buf[i].created_at};
    DoctorStored p = {
      .id = pid,
      .org_path = doc_text(pst, 1),
      .status = doc_text(pst, 2),
      .status_since = doc_text(pst, 3),
      .control = doc_text(pst, 4),
      .risk_level = doc_text(pst, 5),
      .next_talk_due = doc_text(pst, 6),
      .next_test_due = doc_text(pst, 7),
    };
    DoctorHistory h = {view, n};
    s.persons++;
    if ((code = fn(arg, &p, &h, e)) != ERR_OK) goto done;
  }
  if (prc != DB_DONE) { code = prc; goto done; }
  /* Episodes beyond the last person. */
  while (erc == DB_ROW) {
    s.orphan_episodes++;
    s.episodes++;
    erc = db_step(est, e);
  }
  if (erc != DB_DONE) code = erc;

done:
  db_finalize(est);
  db_finalize(pst);
  free(buf);
  free(view);
  if (code == ERR_OK) {
    if (db_commit(db, e) != ERR_OK) code = e->code;
  } else {
    db_rollback(db);
  }
  if (stats) *stats = s;
  return code;
}
