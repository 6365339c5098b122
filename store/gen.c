/* store/gen.c: owns the SQL of synthetic data (see store/gen.h): bulk-load
 * connection settings, the person insert with explicit id and every
 * derived column (column list built once from core/person_field.h), the episode,
 * help-member and document inserts without RETURNING, population figures,
 * and the content checksum. */
#include "store/gen.h"
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"

/* ---- settings ---------------------------------------------------------- */

int store_gen_bulk_mode(Db *db, bool on, Err *e) {
  assert(!db_in_transaction(db));
  const char *sql = on ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-524288;"
                       : "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;";
  return db_exec(db, sql, e) == DB_OK ? ERR_OK : e->code;
}

int store_gen_max_person_id(Db *db, int64_t *max_id, Err *e) {
  *max_id = 0;
  DbStmt *st = db_prepare(db, "SELECT coalesce(max(id), 0) FROM person", e);
  if (!st) return e->code;
  int rc = db_step(st, e);
  if (rc == DB_ROW) *max_id = db_col_int(st, 0);
  db_finalize(st);
  return rc == DB_ERROR ? e->code : ERR_OK;
}

int store_gen_org_set_population(Db *db, int64_t org_id, int64_t registered, int64_t resident, int64_t floating,
                                 Err *e) {
  DbStmt *st = db_prepare(db,
                          "UPDATE org_unit SET pop_registered = :reg, pop_resident = :res, pop_floating = :flo"
                          " WHERE id = :id RETURNING id",
                          e);
  if (!st) return e->code;
  db_bind_int_or_null(st, ":reg", registered >= 0, registered);
  db_bind_int_or_null(st, ":res", resident >= 0, resident);
  db_bind_int_or_null(st, ":flo", floating >= 0, floating);
  db_bind_int(st, ":id", org_id);
  int rc = db_step(st, e);
  db_finalize(st);
  if (rc == DB_ERROR) return e->code;
  if (rc == DB_DONE) return err_set(e, ERR_NOT_FOUND, "组织单位不存在");
  return ERR_OK;
}

/* ---- person insert ---------------------------------------------------- */

/* The derived columns (store_sup_derived_set's) and their parameters. */
#define SG_DERIVED_COLS                                                                                   \
  "status,status_since,control,risk_level,next_talk_due,next_test_due,clock_start,last_test_date,"       \
  "last_talk_date,missed_two_date,report_deadline,pickup_due,release_eligible_date,risk_override,"       \
  "serious_breach,breach_tests,breach_absences,breach_absence_days,transfer_pending,in_view,"            \
  "approvals_pending"
#define SG_DERIVED_PARAMS                                                                                 \
  ":s,:d,:c,:r,:ntk,:nts,:cs,:lts,:ltk,:m2,:rd,:pu,:re,:ro,:sb,:bt,:ba,:bd,:tp,:iv,:ap"

static pthread_once_t sg_once = PTHREAD_ONCE_INIT;
static char *sg_sql_person;             /* the insert, built once */
static char sg_param[PF__COUNT][8];     /* ":fN" of field N (short names keep the
                                           statement text and the bind lookups cheap) */

/* Builds the person insert from the field table (never freed: lives as long
 * as the program, like the statement cache's keys). */
static void sg_build(void) {
  Buf b = BUF_INIT;
  buf_puts(&b, "INSERT INTO person(id,org_id,org_path");
  for (int i = 0; i < PF__COUNT; i++) buf_printf(&b, ",%s", person_fields[i].key);
  buf_puts(&b, "," SG_DERIVED_COLS ",version,created_at,updated_at)VALUES(:id,:o,:p");
  for (int i = 0; i < PF__COUNT; i++) {
    int w = snprintf(sg_param[i], sizeof sg_param[i], ":f%d", i);
    assert(w > 0 && (size_t)w < sizeof sg_param[i]);
    (void)w;
    buf_printf(&b, ",%s", sg_param[i]);
  }
  buf_puts(&b, "," SG_DERIVED_PARAMS ",1,:n,:n)");
  sg_sql_person = buf_detach(&b);
}

int store_gen_person_insert(Db *db, const GenPersonRow *p, Err *e) {
  pthread_once(&sg_once, sg_build);
  DbStmt *st = db_prepare(db, sg_sql_person, e);
  if (!st) return e->code;
  db_bind_int(st, ":id", p->id);
  db_bind_int(st, ":o", p->org_id);
  db_bind_text(st, ":p", p->org_path);
  for (int i = 0; i < PF__COUNT; i++) {
    const PersonField *pf = &person_fields[i];
    const char *v = p->f[i] ? p->f[i] : "";
    if (pf->kind == PFK_FLAG) db_bind_int(st, sg_param[i], strcmp(v, "1") == 0);
    else if (pf->kind == PFK_DATE && !pf->required) db_bind_text_or_null(st, sg_param[i], v);
    else db_bind_text(st, sg_param[i], v);
  }
  const SupDerived *d = p->derived;
  db_bind_text(st, ":s", d->status);
  db_bind_text_or_null(st, ":d", d->status_since);
  db_bind_text(st, ":c", d->control[0] ? d->control : "in_control");
  db_bind_text(st, ":r", d->risk_level);
  db_bind_text_or_null(st, ":ntk", d->next_talk_due);
  db_bind_text_or_null(st, ":nts", d->next_test_due);
  db_bind_text_or_null(st, ":cs", d->clock_start);
  db_bind_text_or_null(st, ":lts", d->last_test_date);
  db_bind_text_or_null(st, ":ltk", d->last_talk_date);
  db_bind_text_or_null(st, ":m2", d->missed_two_date);
  db_bind_text_or_null(st, ":rd", d->report_deadline);
  db_bind_text_or_null(st, ":pu", d->pickup_due);
  db_bind_text_or_null(st, ":re", d->release_eligible_date);
  db_bind_text_or_null(st, ":ro", d->risk_override);
  db_bind_int(st, ":sb", d->serious_breach);
  db_bind_int(st, ":bt", d->breach_tests);
  db_bind_int(st, ":ba", d->breach_absences);
  db_bind_int(st, ":bd", d->breach_absence_days);
  db_bind_int(st, ":tp", d->transfer_pending);
  db_bind_int(st, ":iv", d->in_view);
  db_bind_int(st, ":ap", d->approvals_pending);
  db_bind_text(st, ":n", p->now);
  return db_run(st, e) == DB_OK ? ERR_OK : e->code;
}

/* ---- history rows -------------------------------------------------------- */

int store_gen_episode_insert(Db *db, int64_t person_id, const EpisodeIn *in, const char *now, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO status_episode (person_id, status, decision_date, start_date, decision_no,"
                          " planned_end, note, corrects_id, created_at)"
                          " VALUES (:person_id, :status, :decision_date, :start_date, :decision_no,"
                          " :planned_end, :note, :corrects_id, :now)",
                          e);
  if (!st) return e->code;
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":status", in->status);
  db_bind_text_or_null(st, ":decision_date", in->decision_date);
  db_bind_text_or_null(st, ":start_date", in->start_date);
  db_bind_text(st, ":decision_no", in->decision_no ? in->decision_no : "");
  db_bind_text_or_null(st, ":planned_end", in->planned_end);
  db_bind_text(st, ":note", in->note ? in->note : "");
  db_bind_int_or_null(st, ":corrects_id", in->corrects_id > 0, in->corrects_id);
  db_bind_text(st, ":now", now);
  return db_run(st, e) == DB_OK ? ERR_OK : e->code;
}

int store_gen_help_member_insert(Db *db, int64_t person_id, const HelpMemberIn *m, const char *now, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO help_member (person_id, role, name, phone, added_at)"
                          " VALUES (:person_id, :role, :name, :phone, :now)",
                          e);
  if (!st) return e->code;
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":role", m->role);
  db_bind_text(st, ":name", m->name);
  db_bind_text(st, ":phone", m->phone ? m->phone : "");
  db_bind_text(st, ":now", now);
  return db_run(st, e) == DB_OK ? ERR_OK : e->code;
}

int store_gen_document_insert(Db *db, int64_t person_id, const char *kind, const char *signed_date,
                              const char *number, const char *now, Err *e) {
  DbStmt *st = db_prepare(db,
                          "INSERT INTO person_document (person_id, kind, signed_date, number, created_at)"
                          " VALUES (:person_id, :kind, :signed_date, :number, :now)",
                          e);
  if (!st) return e->code;
  db_bind_int(st, ":person_id", person_id);
  db_bind_text(st, ":kind", kind);
  db_bind_text(st, ":signed_date", signed_date);
  db_bind_text(st, ":number", number ? number : "");
  db_bind_text(st, ":now", now);
  return db_run(st, e) == DB_OK ? ERR_OK : e->code;
}

/* ---- checksum ------------------------------------------------------------ */

/* FNV-1a 64 over n bytes. */
static uint64_t sg_fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
  return h;
}

/* The checksummed tables: their content columns (clock columns left out)
 * in a fixed order, rows in id order. */
static const struct { const char *sql; int ncols; } SG_TABLES[] = {
  {"SELECT id, code, name, level, parent_id, path, pop_registered, pop_resident, pop_floating"
   " FROM org_unit ORDER BY id", 9},
  {"SELECT id, org_id, org_path, name, sex, id_number, birth_date, phone, ethnicity, education, marital,"
   " employment, household_address, residence_address, drug_types, first_found_date, found_how,"
   " previous_treatments, no_job, no_home, no_income, fk_basics, fk_contacts, fk_family_economy,"
   " fk_state_of_mind, fk_movements, status, status_since, control, risk_level, next_talk_due,"
   " next_test_due, clock_start, last_test_date, last_talk_date, missed_two_date, report_deadline,"
   " pickup_due, release_eligible_date, risk_override, serious_breach, breach_tests, breach_absences,"
   " breach_absence_days, transfer_pending, in_view, approvals_pending, version FROM person ORDER BY id", 48},
  {"SELECT id, person_id, status, decision_date, start_date, decision_no, planned_end, note, corrects_id,"
   " created_by FROM status_episode ORDER BY id", 10},
  {"SELECT id, person_id, role, name, phone, removed_at FROM help_member ORDER BY id", 6},
  {"SELECT id, person_id, kind, signed_date, number FROM person_document ORDER BY id", 5},
  {"SELECT id, person_id, date, kind, worker_id, place, notes, corrects_id FROM visit ORDER BY id", 8},
  {"SELECT id, person_id, date, sample, reason, result, substances, tester, recorded_by, corrects_id"
   " FROM drug_test ORDER BY id", 10},
  {"SELECT id, person_id, kind, date, until_date, days, to_org_id, note, status, created_by"
   " FROM person_event ORDER BY id", 10},
};

int store_gen_checksum(Db *db, uint64_t *sum, int64_t *rows, Err *e) {
  uint64_t h = 14695981039346656037ull;
  int64_t count = 0;
  if (db_begin_read(db, e) != DB_OK) return e->code;
  int code = ERR_OK;
  for (size_t t = 0; t < sizeof SG_TABLES / sizeof SG_TABLES[0] && code == ERR_OK; t++) {
    DbStmt *st = db_prepare(db, SG_TABLES[t].sql, e);
    if (!st) { code = e->code; break; }
    h = sg_fnv(h, "T", 1);
    int rc;
    while ((rc = db_step(st, e)) == DB_ROW) {
      count++;
      for (int c = 0; c < SG_TABLES[t].ncols; c++) {
        if (db_col_is_null(st, c)) {
          h = sg_fnv(h, "\1N", 2);
        } else {
          const char *v = db_col_text(st, c);
          h = sg_fnv(h, "\1V", 2);
          h = sg_fnv(h, v, strlen(v));
        }
      }
      h = sg_fnv(h, "\2", 1);
    }
    db_finalize(st);
    if (rc == DB_ERROR) code = e->code;
  }
  if (code == ERR_OK && db_commit(db, e) != DB_OK) code = e->code;
  if (code != ERR_OK) db_rollback(db);
  *sum = h;
  if (rows) *rows = count;
  return code;
}
