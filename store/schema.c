/* store/schema.c: the schema as numbered migrations. A migration is appended,
 * never edited once released. Portable SQL: INTEGER/TEXT columns, dates as
 * ISO text, timestamps as ISO-8601 text with offset, unix seconds where
 * arithmetic is needed (sessions, throttling). */
#include "schema.h"
#include <stddef.h>

/* The sums columns of activity_total and activity_total_by (migrations 15,
 * 22 and 23). */
#define SCHEMA_ACTIVITY_SUMS                                                                                  \
  "  activities INTEGER NOT NULL DEFAULT 0, participants INTEGER NOT NULL DEFAULT 0,"                         \
  "  consultations INTEGER NOT NULL DEFAULT 0, leaflets INTEGER NOT NULL DEFAULT 0,"                          \
  "  banners INTEGER NOT NULL DEFAULT 0, slogans INTEGER NOT NULL DEFAULT 0, boards INTEGER NOT NULL DEFAULT 0," \
  "  exhibits INTEGER NOT NULL DEFAULT 0, posters INTEGER NOT NULL DEFAULT 0, notices INTEGER NOT NULL DEFAULT 0," \
  "  broadcasts INTEGER NOT NULL DEFAULT 0, broadcast_minutes INTEGER NOT NULL DEFAULT 0,"                     \
  "  messages INTEGER NOT NULL DEFAULT 0,"

/* The columns of approval after its kind, and its indexes (migration 2;
 * made again by 13 with the kind leave). */
#define SCHEMA_APPROVAL_COLUMNS                                                                               \
  "  proposed_by INTEGER REFERENCES app_user(id),"                                                            \
  "  proposed_at TEXT NOT NULL,"                                                                              \
  "  payload TEXT NOT NULL DEFAULT '',"                                                                       \
  "  to_org_id INTEGER REFERENCES org_unit(id),"                                                              \
  "  approver_role TEXT NOT NULL CHECK (approver_role IN ('admin','office')),"                                \
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','rejected')),"               \
  "  decided_by INTEGER REFERENCES app_user(id),"                                                             \
  "  decided_at TEXT,"                                                                                        \
  "  decision_reason TEXT NOT NULL DEFAULT '');"
#define SCHEMA_APPROVAL_INDEXES                                                                               \
  "CREATE INDEX approval_state ON approval(state, person_id);"                                                \
  "CREATE INDEX approval_person ON approval(person_id, id);"                                                  \
  "CREATE INDEX approval_to_org ON approval(to_org_id, state);"

/* The issuing unit, year, kind and signer of a letter, and the rules on
 * them (letter and letter_required, migration 14). */
#define SCHEMA_LETTER_SIGNER                                                                                  \
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"                                                        \
  "  year INTEGER NOT NULL,"                                                                                  \
  "  kind TEXT NOT NULL,"                                                                                     \
  "  signer_key TEXT NOT NULL,"                                                                               \
  "  signer_org_id INTEGER REFERENCES org_unit(id),"                                                          \
  "  signer_place_id INTEGER REFERENCES place(id),"
#define SCHEMA_LETTER_SIGNER_KEYS                                                                             \
  "  CHECK ((signer_org_id IS NULL) <> (signer_place_id IS NULL)),"                                           \
  "  UNIQUE (org_id, year, kind, signer_key));"

/* What migration 24 made again of the assessment tables of 19: the
 * columns of assess_set between its scheme and its subjects; the end of
 * assess_set (who set it, its key) and the tables of a set's sections and
 * items, unchanged; the steps of an application, unchanged; the columns of
 * assess_app, assess_mark and assess_sample after their subject (org_id,
 * and place_id from 24 on), without the comma or the end that follows. */
#define SCHEMA_ASSESS_SET_RULE                                                                                \
  "  year INTEGER NOT NULL,"                                                                                  \
  "  title TEXT NOT NULL,"                                                                                    \
  "  pass_percent INTEGER NOT NULL,"                                                                          \
  "  sample_min INTEGER NOT NULL,"                                                                            \
  "  sample_max INTEGER NOT NULL,"
#define SCHEMA_ASSESS_CRITERIA                                                                                \
  "  set_by INTEGER REFERENCES app_user(id),"                                                                 \
  "  set_at TEXT NOT NULL);"                                                                                  \
  "CREATE UNIQUE INDEX assess_set_key ON assess_set(coalesce(org_id, 0), scheme, year);"                      \
  "CREATE TABLE assess_section ("                                                                             \
  "  set_id INTEGER NOT NULL REFERENCES assess_set(id),"                                                      \
  "  ord INTEGER NOT NULL,"                                                                                   \
  "  key TEXT NOT NULL,"                                                                                      \
  "  label TEXT NOT NULL,"                                                                                    \
  "  cap INTEGER NOT NULL,"                                                                                   \
  "  PRIMARY KEY (set_id, key));"                                                                             \
  "CREATE TABLE assess_item ("                                                                                \
  "  set_id INTEGER NOT NULL REFERENCES assess_set(id),"                                                      \
  "  ord INTEGER NOT NULL,"                                                                                   \
  "  key TEXT NOT NULL,"                                                                                      \
  "  section TEXT NOT NULL,"                                                                                  \
  "  label TEXT NOT NULL,"                                                                                    \
  "  kind TEXT NOT NULL CHECK (kind IN ('auto','manual','sample')),"                                          \
  "  measure TEXT NOT NULL DEFAULT '',"                                                                       \
  "  op TEXT NOT NULL CHECK (op IN ('max','min')),"                                                           \
  "  target INTEGER NOT NULL,"                                                                                \
  "  points INTEGER NOT NULL,"                                                                                \
  "  veto INTEGER NOT NULL DEFAULT 0,"                                                                        \
  "  empty_met INTEGER NOT NULL DEFAULT 1,"                                                                   \
  "  PRIMARY KEY (set_id, key));"
#define SCHEMA_ASSESS_STEP                                                                                    \
  "CREATE TABLE assess_step ("                                                                                \
  "  id INTEGER PRIMARY KEY,"                                                                                 \
  "  app_id INTEGER NOT NULL REFERENCES assess_app(id),"                                                      \
  "  action TEXT NOT NULL,"                                                                                   \
  "  state TEXT NOT NULL,"                                                                                    \
  "  note TEXT NOT NULL DEFAULT '',"                                                                          \
  "  score INTEGER NOT NULL,"                                                                                 \
  "  max INTEGER NOT NULL,"                                                                                   \
  "  result TEXT NOT NULL,"                                                                                   \
  "  by_user INTEGER REFERENCES app_user(id),"                                                                \
  "  at TEXT NOT NULL);"                                                                                      \
  "CREATE INDEX assess_step_app ON assess_step(app_id, id);"
#define SCHEMA_ASSESS_APP_COLUMNS                                                                             \
  "  scheme TEXT NOT NULL,"                                                                                   \
  "  year INTEGER NOT NULL,"                                                                                  \
  "  state TEXT NOT NULL CHECK (state IN ('applied','returned','reviewed','approved','rejected')),"           \
  "  updated_by INTEGER REFERENCES app_user(id),"                                                             \
  "  updated_at TEXT NOT NULL"
#define SCHEMA_ASSESS_MARK_COLUMNS                                                                            \
  "  scheme TEXT NOT NULL,"                                                                                   \
  "  year INTEGER NOT NULL,"                                                                                  \
  "  item_key TEXT NOT NULL,"                                                                                 \
  "  met INTEGER NOT NULL,"                                                                                   \
  "  note TEXT NOT NULL DEFAULT '',"                                                                          \
  "  signed_by INTEGER REFERENCES app_user(id),"                                                              \
  "  signed_at TEXT NOT NULL"
#define SCHEMA_ASSESS_SAMPLE_COLUMNS                                                                          \
  "  scheme TEXT NOT NULL,"                                                                                   \
  "  year INTEGER NOT NULL,"                                                                                  \
  "  date TEXT NOT NULL,"                                                                                     \
  "  households INTEGER NOT NULL,"                                                                            \
  "  records INTEGER NOT NULL,"                                                                               \
  "  accurate INTEGER NOT NULL,"                                                                              \
  "  complete INTEGER NOT NULL,"                                                                              \
  "  note TEXT NOT NULL DEFAULT '',"                                                                          \
  "  entered_by INTEGER REFERENCES app_user(id),"                                                             \
  "  entered_at TEXT NOT NULL"

static const char *const schema_migrations[] = {
  /* 1: org units, users, sessions, login throttling, persons and their case
   * file, status episodes, revisions, audit log. */
  "CREATE TABLE org_unit ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  level TEXT NOT NULL CHECK (level IN ('county','street','community')),"
  "  parent_id INTEGER REFERENCES org_unit(id),"
  "  path TEXT NOT NULL UNIQUE,"
  "  pop_registered INTEGER, pop_resident INTEGER, pop_floating INTEGER,"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX org_unit_parent ON org_unit(parent_id);"
  "CREATE TABLE app_user ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL DEFAULT '',"
  "  role TEXT NOT NULL CHECK (role IN ('admin','office','worker','cadre','police','viewer')),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  password_hash TEXT NOT NULL,"
  "  lang TEXT NOT NULL DEFAULT '',"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  created_at TEXT NOT NULL,"
  "  password_changed_at TEXT NOT NULL);"
  "CREATE TABLE session ("
  "  token_hash TEXT PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('cookie','bearer')),"
  "  csrf TEXT NOT NULL,"
  "  created_unix INTEGER NOT NULL,"
  "  seen_unix INTEGER NOT NULL,"
  "  address TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX session_user ON session(user_id);"
  "CREATE TABLE login_attempt ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  at_unix INTEGER NOT NULL,"
  "  ok INTEGER NOT NULL);"
  "CREATE INDEX login_attempt_user ON login_attempt(username, at_unix);"
  "CREATE INDEX login_attempt_addr ON login_attempt(address, at_unix);"
  "CREATE TABLE person ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  org_path TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  sex TEXT NOT NULL CHECK (sex IN ('M','F')),"
  "  id_number TEXT NOT NULL UNIQUE,"
  "  birth_date TEXT NOT NULL,"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  ethnicity TEXT NOT NULL DEFAULT '',"
  "  education TEXT NOT NULL DEFAULT '',"
  "  marital TEXT NOT NULL DEFAULT '',"
  "  employment TEXT NOT NULL DEFAULT '',"
  "  household_address TEXT NOT NULL DEFAULT '',"
  "  residence_address TEXT NOT NULL DEFAULT '',"
  "  drug_types TEXT NOT NULL DEFAULT '',"
  "  first_found_date TEXT,"
  "  found_how TEXT NOT NULL DEFAULT '',"
  "  previous_treatments TEXT NOT NULL DEFAULT '',"
  "  no_job INTEGER NOT NULL DEFAULT 0,"
  "  no_home INTEGER NOT NULL DEFAULT 0,"
  "  no_income INTEGER NOT NULL DEFAULT 0,"
  "  fk_basics TEXT NOT NULL DEFAULT '',"
  "  fk_contacts TEXT NOT NULL DEFAULT '',"
  "  fk_family_economy TEXT NOT NULL DEFAULT '',"
  "  fk_state_of_mind TEXT NOT NULL DEFAULT '',"
  "  fk_movements TEXT NOT NULL DEFAULT '',"
  "  status TEXT NOT NULL DEFAULT '',"
  "  status_since TEXT,"
  "  control TEXT NOT NULL DEFAULT 'in_control' CHECK (control IN ('in_control','lost_contact')),"
  "  risk_level TEXT NOT NULL DEFAULT '',"
  "  next_talk_due TEXT,"
  "  next_test_due TEXT,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE INDEX person_scope ON person(org_path, id);"
  "CREATE INDEX person_name ON person(name, org_path);"
  "CREATE INDEX person_status ON person(status, org_path);"
  "CREATE TABLE person_revision ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  version INTEGER NOT NULL,"
  "  snapshot TEXT NOT NULL,"
  "  changed_by INTEGER REFERENCES app_user(id),"
  "  changed_at TEXT NOT NULL);"
  "CREATE INDEX person_revision_person ON person_revision(person_id, version);"
  "CREATE TABLE help_member ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  role TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  added_at TEXT NOT NULL,"
  "  removed_at TEXT);"
  "CREATE INDEX help_member_person ON help_member(person_id);"
  "CREATE TABLE person_document ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('agreement','responsibility_letter')),"
  "  signed_date TEXT NOT NULL,"
  "  number TEXT NOT NULL DEFAULT '',"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX person_document_person ON person_document(person_id);"
  "CREATE TABLE status_episode ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  status TEXT NOT NULL,"
  "  decision_date TEXT,"
  "  start_date TEXT,"
  "  decision_no TEXT NOT NULL DEFAULT '',"
  "  planned_end TEXT,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  corrects_id INTEGER REFERENCES status_episode(id),"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX status_episode_person ON status_episode(person_id, id);"
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor_id INTEGER,"
  "  actor TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_id INTEGER,"
  "  org_path TEXT NOT NULL DEFAULT '',"
  "  detail TEXT NOT NULL DEFAULT '',"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);"
  "CREATE INDEX audit_log_path ON audit_log(org_path, id);"
  "CREATE TABLE audit_head ("
  "  one INTEGER PRIMARY KEY CHECK (one = 1),"
  "  last_id INTEGER NOT NULL,"
  "  last_hash TEXT NOT NULL,"
  "  row_count INTEGER NOT NULL);"
  "INSERT INTO audit_head(one, last_id, last_hash, row_count) VALUES (1, 0, '', 0);",
  /* 2: the supervision engine (DOMAIN.md §3-§4): talks/visits, drug tests,
   * events (and tasks: open/done/cancelled), approvals, schedule rules and
   * the rule of each org unit; the person row gains the derived fields that
   * the work lists filter on (computed in C from the history, checked by
   * doctor), and the indexes that keep a community's work list one range
   * scan. Histories are appended; a correction is a new row (corrects_id). */
  "CREATE TABLE visit ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  date TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('talk','home_visit','phone','office')),"
  "  worker_id INTEGER REFERENCES app_user(id),"
  "  place TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  created_at TEXT NOT NULL,"
  "  corrects_id INTEGER REFERENCES visit(id));"
  "CREATE INDEX visit_person ON visit(person_id, date);"
  "CREATE TABLE drug_test ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  date TEXT NOT NULL,"
  "  sample TEXT NOT NULL CHECK (sample IN ('urine','hair','saliva','blood')),"
  "  reason TEXT NOT NULL CHECK (reason IN ('scheduled','random')),"
  "  result TEXT NOT NULL CHECK (result IN ('negative','positive','refused','absent')),"
  "  substances TEXT NOT NULL DEFAULT '',"
  "  tester TEXT NOT NULL DEFAULT '',"
  "  recorded_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL,"
  "  corrects_id INTEGER REFERENCES drug_test(id));"
  "CREATE INDEX drug_test_person ON drug_test(person_id, date);"
  "CREATE TABLE person_event ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  kind TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  until_date TEXT,"
  "  days INTEGER NOT NULL DEFAULT 0,"
  "  to_org_id INTEGER REFERENCES org_unit(id),"
  "  note TEXT NOT NULL DEFAULT '',"
  "  status TEXT CHECK (status IS NULL OR status IN ('open','done','cancelled')),"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX person_event_person ON person_event(person_id, date);"
  "CREATE TABLE approval ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('release_3y','transfer','risk_override')),"
  SCHEMA_APPROVAL_COLUMNS
  SCHEMA_APPROVAL_INDEXES
  "CREATE TABLE schedule_rule ("
  "  code TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  spec TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE TABLE org_schedule ("
  "  org_id INTEGER PRIMARY KEY REFERENCES org_unit(id),"
  "  rule_code TEXT NOT NULL,"
  "  set_at TEXT NOT NULL);"
  "CREATE INDEX org_schedule_rule ON org_schedule(rule_code);"
  "ALTER TABLE person ADD COLUMN clock_start TEXT;"
  "ALTER TABLE person ADD COLUMN last_test_date TEXT;"
  "ALTER TABLE person ADD COLUMN last_talk_date TEXT;"
  "ALTER TABLE person ADD COLUMN missed_two_date TEXT;"
  "ALTER TABLE person ADD COLUMN report_deadline TEXT;"
  "ALTER TABLE person ADD COLUMN pickup_due TEXT;"
  "ALTER TABLE person ADD COLUMN release_eligible_date TEXT;"
  "ALTER TABLE person ADD COLUMN serious_breach INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE person ADD COLUMN breach_tests INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE person ADD COLUMN breach_absences INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE person ADD COLUMN breach_absence_days INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE person ADD COLUMN risk_override TEXT;"
  "ALTER TABLE person ADD COLUMN transfer_pending INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE person ADD COLUMN in_view INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE person ADD COLUMN approvals_pending INTEGER NOT NULL DEFAULT 0;"
  /* The work list: one range scan of the scope over this covering index
   * (every column the list filters on or shows), so that no person row is
   * read: a community (~300 persons) in well under 5 ms, a street of 15
   * communities in a few ms, at a million persons. It also serves
   * (org_path, next_test_due) lookups. */
  "CREATE INDEX person_work ON person(org_path, next_test_due, next_talk_due, missed_two_date,"
  "  report_deadline, pickup_due, release_eligible_date, control, serious_breach, approvals_pending,"
  "  status, org_id, name);",
  /* 3: secrets of the installation (the calendar key) and each user's
   * calendar feed token, stored as a hash with an epoch that rotates it. */
  "CREATE TABLE app_secret ("
  "  name TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "ALTER TABLE app_user ADD COLUMN calendar_epoch INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE app_user ADD COLUMN calendar_token_hash TEXT;"
  "CREATE UNIQUE INDEX app_user_calendar ON app_user(calendar_token_hash);",
  /* 4: an ID-number prefix search over a wide scope checks the unit in the
   * index entry instead of reading every matching row. */
  "CREATE INDEX person_idnum_scope ON person(id_number, org_path);",
  /* 5: the work list reads one comparison an index entry: work_from, the
   * first day the person is on a work list for any reason (app/
   * supervision.c sv_work_from, computed here the same way for the rows
   * there are). worker_id: the responsible social worker (责任社工) of the
   * person, NULL when none; the last column of person_work, so that "my
   * cases" is the same covering scan. app_user_org: the accounts of a unit
   * (the picker of the responsible worker). */
  "ALTER TABLE person ADD COLUMN work_from TEXT;"
  "UPDATE person SET work_from = CASE"
  " WHEN report_deadline IS NOT NULL OR pickup_due IS NOT NULL OR control = 'lost_contact'"
  "  OR serious_breach <> 0 OR approvals_pending > 0 THEN '0001-01-01'"
  " ELSE nullif(min(coalesce(next_test_due, '9999-99-99'), coalesce(next_talk_due, '9999-99-99'),"
  "  coalesce(missed_two_date, '9999-99-99'),"
  "  CASE WHEN status = 'abstinent_3y' THEN '9999-99-99' ELSE coalesce(release_eligible_date, '9999-99-99') END),"
  "  '9999-99-99') END;"
  "DROP INDEX person_work;"
  "ALTER TABLE person ADD COLUMN worker_id INTEGER REFERENCES app_user(id);"
  "CREATE INDEX person_work ON person(org_path, work_from, next_test_due, next_talk_due, missed_two_date,"
  "  report_deadline, pickup_due, release_eligible_date, control, serious_breach, approvals_pending,"
  "  status, org_id, name, worker_id);"
  "CREATE INDEX app_user_org ON app_user(org_id);",
  /* 6: the version of the org tree (store/org.c caches the sorted tree by
   * it): a new random value on every change of org_unit. */
  "CREATE TABLE org_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);"
  "INSERT INTO org_meta (id, version) VALUES (1, random());"
  "CREATE TRIGGER org_unit_ins AFTER INSERT ON org_unit BEGIN UPDATE org_meta SET version = random(); END;"
  "CREATE TRIGGER org_unit_upd AFTER UPDATE ON org_unit BEGIN UPDATE org_meta SET version = random(); END;"
  "CREATE TRIGGER org_unit_del AFTER DELETE ON org_unit BEGIN UPDATE org_meta SET version = random(); END;"
  /* Indexes a bulk load dropped (store/gen.c), recorded in the transaction
   * that drops them and removed in the one that builds them again, with
   * the loading process: what a load killed in between leaves here is built
   * at the next open once that process is gone. */
  "CREATE TABLE pending_index (name TEXT PRIMARY KEY, sql TEXT NOT NULL, owner_pid INTEGER NOT NULL);"
  /* Where moved units were (store_org_move): audit rows keep the path they
   * were written under (it is part of their hash), so the audit list of a
   * scope also reads the old paths of the units now in it. new_path is
   * kept current through later moves. */
  "CREATE TABLE org_move (id INTEGER PRIMARY KEY, old_path TEXT NOT NULL, new_path TEXT NOT NULL);"
  "CREATE INDEX org_move_new ON org_move(new_path);",
  /* 7: attachments (photos and scans) of records (store/attachment.h). The
   * bytes live in the database, so that the online backup holds them with
   * no step of its own and one transaction writes bytes, metadata and
   * audit row: attachment_blob keyed by the hex BLAKE2b-256 of the bytes
   * (the same file twice is stored once), apart from the metadata so that
   * listing a record's attachments reads no bytes. attachment: the record
   * (entity kind and id), the record's unit path when uploaded (scope is
   * checked through the record itself), the name as uploaded, the type
   * sniffed from the bytes, size, hash, who and when; never deleted: voided
   * with a reason. */
  "CREATE TABLE attachment_blob ("
  "  hash TEXT PRIMARY KEY,"
  "  size INTEGER NOT NULL,"
  "  bytes BLOB NOT NULL);"
  "CREATE TABLE attachment ("
  "  id INTEGER PRIMARY KEY,"
  "  entity TEXT NOT NULL,"
  "  entity_id INTEGER NOT NULL,"
  "  org_path TEXT NOT NULL,"
  "  filename TEXT NOT NULL,"
  "  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg','image/png','application/pdf')),"
  "  size INTEGER NOT NULL,"
  "  hash TEXT NOT NULL REFERENCES attachment_blob(hash),"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL,"
  "  voided_at TEXT,"
  "  voided_by INTEGER REFERENCES app_user(id),"
  "  void_reason TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX attachment_entity ON attachment(entity, entity_id, id);",
  /* 8: the person list sorts by risk, next talk, next test and responsible
   * worker (store/person.c): each walks its index in order over a wide
   * scope (the unit path beside it checks the scope in the entry), and the
   * risk and worker filters use them too; the control filter (lost
   * contact: a few in a thousand) reads its own, the incomplete-file filter
   * checks the help team and the agreement in two more. */
  "CREATE INDEX person_control ON person(control, org_path);"
  "CREATE INDEX person_risk ON person(risk_level, org_path);"
  "CREATE INDEX person_talk_due ON person(next_talk_due, org_path);"
  "CREATE INDEX person_test_due ON person(next_test_due, org_path);"
  "CREATE INDEX person_worker ON person(worker_id, org_path);"
  /* the incomplete-file filter's checks, each an index lookup without the row */
  "CREATE INDEX help_member_current ON help_member(person_id, removed_at);"
  "CREATE INDEX person_document_kind ON person_document(person_id, kind);",
  /* 9: work never lost, never doubled (app/once.h, app/draft.h).
   * request_once: the one-time keys of writes (a form's _once token, the
   * API's Idempotency-Key) per user, written in the transaction of the
   * write they made, with the first answer (status, Location, and for the
   * API its JSON body) filled in after it; kept 24 hours. form_draft: a
   * form posted after the session expired, kept for the user the form was
   * issued to until they sign in again (at most 2 hours, one per user,
   * found by the hash of the random id in their jd_draft cookie). Both hold
   * personal data for a short time only: housekeeping deletes them. */
  "CREATE TABLE request_once ("
  "  user_id INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  fingerprint TEXT NOT NULL,"
  "  status INTEGER,"
  "  location TEXT,"
  "  body TEXT,"
  "  created_unix INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, key));"
  "CREATE INDEX request_once_created ON request_once(created_unix);"
  "CREATE TABLE form_draft ("
  "  id_hash TEXT PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  path TEXT NOT NULL,"
  "  fields TEXT NOT NULL,"
  "  created_unix INTEGER NOT NULL);"
  "CREATE INDEX form_draft_user ON form_draft(user_id);"
  "CREATE INDEX form_draft_created ON form_draft(created_unix);",
  /* 10: statistics as of any date (DOMAIN.md §6a, core/stats.h).
   * person_unit: the responsible community of a person from a day on
   * (from_date NULL: since always, the unit the file was registered
   * under), appended in the transaction of every write that moves a
   * person (app/stats_facts.c stats_refresh, called by sup_refresh); its
   * latest row is person.org_id (`jindu doctor` checks). Backfilled here
   * from the audit trail: every approved transfer and every change of the
   * unit wrote the unit it left (from_org) in its audit row, so a person's
   * units are those, in order, then today's, each from the day of the
   * change before it (exact since the audit trail began; a unit before
   * the first recorded change counts since always).
   * stat_person: a person's statistical facts (core/stats.h, encoded) under
   * every unit of its unit history, clustered by unit so that a street's
   * or a community's statistics read a range of the table: derived,
   * written with the facts they come from; stat_state.built says every
   * person's are there (a new database: nothing to build; otherwise the
   * facts are built at the next start, app/stats_facts.c). */
  "CREATE TABLE person_unit ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  from_date TEXT);"
  "CREATE INDEX person_unit_person ON person_unit(person_id, id);"
  "WITH ch AS ("
  "  SELECT a.entity_id AS person_id, a.id AS seq, substr(a.at, 1, 10) AS day,"
  "    substr(a.detail, instr(a.detail, 'from_org=\"') + 10) AS rest"
  "  FROM audit_log a WHERE a.entity = 'person' AND a.action IN ('approve', 'update')"
  "    AND instr(a.detail, 'from_org=\"') > 0),"
  " moves AS ("
  "  SELECT c.person_id, c.seq, c.day, o.id AS org_id FROM ch c"
  "    JOIN person p ON p.id = c.person_id"
  "    JOIN org_unit o ON o.code = substr(c.rest, 1, instr(c.rest, '\"') - 1)"
  "  UNION ALL"
  "  SELECT p.id, 9223372036854775807, NULL, p.org_id FROM person p)"
  "INSERT INTO person_unit (person_id, org_id, from_date)"
  " SELECT person_id, org_id, lag(day) OVER (PARTITION BY person_id ORDER BY seq) FROM moves"
  " ORDER BY person_id, seq;"
  "CREATE TABLE stat_person ("
  "  org_id INTEGER NOT NULL,"
  "  person_id INTEGER NOT NULL,"
  "  facts BLOB NOT NULL,"
  "  PRIMARY KEY (org_id, person_id)) WITHOUT ROWID;"
  "CREATE TABLE stat_state (one INTEGER PRIMARY KEY CHECK (one = 1), built INTEGER NOT NULL);"
  "INSERT INTO stat_state (one, built) SELECT 1, NOT EXISTS (SELECT 1 FROM person);",
  /* 11: unit figures by period (data sets, store/dataset.h). dataset_def
   * and dataset_field define each set as data: its Chinese title, the kind
   * of its periods, the level of the units that enter it, the days after a
   * period's end it is due, how a coarser period adds it up (sum: flows
   * such as cases; last: stocks such as population), its fields (code,
   * Chinese label, the field a value may not exceed). dataset_period: the
   * state of one (set, unit, period), open or submitted (locked);
   * dataset_entry: everything done to a period, appended in order: every
   * value ever entered (action 'value': the current value of a field is its
   * newest row; NULL clears it), submits and unlocks (with their reasons).
   * The population figures of the units
   * (org_unit.pop_*) become the set "population": the values there are
   * moved into it (communities; dated the year they were last set, else the
   * year the unit was made), and the columns stay as what the store derives
   * from it (store_dataset_population_sync) for the pages that show them. */
  "CREATE TABLE dataset_def ("
  "  name TEXT PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  period_type TEXT NOT NULL CHECK (period_type IN ('month','quarter','half','year')),"
  "  level TEXT NOT NULL CHECK (level IN ('county','street','community')),"
  "  due_days INTEGER NOT NULL DEFAULT 0 CHECK (due_days BETWEEN 0 AND 366),"
  "  time_agg TEXT NOT NULL DEFAULT 'sum' CHECK (time_agg IN ('sum','last')),"
  "  position INTEGER NOT NULL);"
  "CREATE TABLE dataset_field ("
  "  dataset TEXT NOT NULL REFERENCES dataset_def(name),"
  "  code TEXT NOT NULL,"
  "  label TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  max_field TEXT,"
  "  PRIMARY KEY (dataset, code));"
  "CREATE TABLE dataset_period ("
  "  id INTEGER PRIMARY KEY,"
  "  dataset TEXT NOT NULL REFERENCES dataset_def(name),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  period TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','submitted')),"
  "  changed_by INTEGER REFERENCES app_user(id),"
  "  changed_at TEXT NOT NULL,"
  "  UNIQUE (dataset, period, org_id));"
  "CREATE INDEX dataset_period_org ON dataset_period(org_id, dataset, period);"
  "CREATE TABLE dataset_entry ("
  "  id INTEGER PRIMARY KEY,"
  "  period_id INTEGER NOT NULL REFERENCES dataset_period(id),"
  "  action TEXT NOT NULL DEFAULT 'value' CHECK (action IN ('value','submit','unlock')),"
  "  field TEXT NOT NULL DEFAULT '',"
  "  value INTEGER CHECK (value IS NULL OR value >= 0),"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX dataset_entry_period ON dataset_entry(period_id, field, id);"
  "INSERT INTO dataset_def (name, title, period_type, level, due_days, time_agg, position) VALUES"
  " ('population', '人口情况', 'year', 'community', 31, 'last', 1),"
  " ('social_workers', '禁毒社工配备', 'quarter', 'street', 10, 'last', 2),"
  " ('police', '公安禁毒执法', 'month', 'street', 10, 'sum', 3),"
  " ('information', '禁毒信息报送', 'quarter', 'community', 10, 'sum', 4);"
  "INSERT INTO dataset_field (dataset, code, label, position, max_field) VALUES"
  " ('population', 'registered', '户籍人口', 1, NULL),"
  " ('population', 'resident', '常住人口', 2, NULL),"
  " ('population', 'floating', '流动人口', 3, NULL),"
  " ('social_workers', 'approved', '核定禁毒社工岗位（个）', 1, NULL),"
  " ('social_workers', 'filled', '实有禁毒社工（人）', 2, 'approved'),"
  " ('police', 'admin_detention', '行政拘留（人次）', 1, NULL),"
  " ('police', 'isolation', '决定强制隔离戒毒（人）', 2, NULL),"
  " ('police', 'criminal_detention', '刑事拘留（人）', 3, NULL),"
  " ('police', 'cases', '破获毒品刑事案件（起）', 4, NULL),"
  " ('information', 'submitted', '报送信息（条）', 1, NULL),"
  " ('information', 'adopted', '被采用信息（条）', 2, 'submitted');"
  "INSERT INTO dataset_period (dataset, org_id, period, state, changed_by, changed_at)"
  " SELECT 'population', o.id, coalesce((SELECT substr(max(a.at), 1, 4) FROM audit_log a WHERE a.entity = 'org'"
  "   AND a.entity_id = o.id AND a.action = 'population'), substr(o.created_at, 1, 4)), 'open', NULL, o.created_at"
  " FROM org_unit o WHERE o.level = 'community'"
  "  AND (o.pop_registered IS NOT NULL OR o.pop_resident IS NOT NULL OR o.pop_floating IS NOT NULL);"
  "INSERT INTO dataset_entry (period_id, field, value, created_by, created_at)"
  " SELECT p.id, 'registered', o.pop_registered, NULL, p.changed_at FROM dataset_period p"
  " JOIN org_unit o ON o.id = p.org_id WHERE p.dataset = 'population' AND o.pop_registered IS NOT NULL;"
  "INSERT INTO dataset_entry (period_id, field, value, created_by, created_at)"
  " SELECT p.id, 'resident', o.pop_resident, NULL, p.changed_at FROM dataset_period p"
  " JOIN org_unit o ON o.id = p.org_id WHERE p.dataset = 'population' AND o.pop_resident IS NOT NULL;"
  "INSERT INTO dataset_entry (period_id, field, value, created_by, created_at)"
  " SELECT p.id, 'floating', o.pop_floating, NULL, p.changed_at FROM dataset_period p"
  " JOIN org_unit o ON o.id = p.org_id WHERE p.dataset = 'population' AND o.pop_floating IS NOT NULL;",
  /* 12: unit tasks and the records that clear them, and eradication
   * patrols. unit_rhythm: the rhythm of a recurring duty (a task of
   * core/unit_vocab.h, or "dataset:NAME": the periods of a data set) set
   * on a unit for the units of one level in its subtree (inherited: the
   * nearest unit's setting applies; period_type 'none' switches it off
   * below), with the first day it counts from. unit_work: one piece of
   * recorded unit work (an intelligence exchange, a drug-situation
   * screening, an information submission), which clears the task of its
   * period. eradication (禁种铲毒) with the plants found and destroyed per
   * species. Records belong to a unit by id (scope: the unit's path, read
   * through org_unit, so moves need no rewrite); appended, never changed. */
  "CREATE TABLE unit_rhythm ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  task TEXT NOT NULL,"
  "  level TEXT NOT NULL CHECK (level IN ('county','street','community')),"
  "  period_type TEXT NOT NULL CHECK (period_type IN ('none','dekad','month','quarter','half','year')),"
  "  per_period INTEGER NOT NULL DEFAULT 1 CHECK (per_period BETWEEN 1 AND 99),"
  "  since TEXT NOT NULL,"
  "  set_by INTEGER REFERENCES app_user(id),"
  "  set_at TEXT NOT NULL,"
  "  UNIQUE (org_id, task, level));"
  "CREATE TABLE unit_work ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  kind TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX unit_work_org ON unit_work(org_id, date, kind);"
  "CREATE TABLE eradication ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  date TEXT NOT NULL,"
  "  area_mu INTEGER NOT NULL DEFAULT 0 CHECK (area_mu >= 0),"
  "  methods TEXT NOT NULL,"
  "  location TEXT NOT NULL DEFAULT '',"
  "  case_no TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX eradication_org ON eradication(org_id, date);"
  "CREATE TABLE eradication_plant ("
  "  eradication_id INTEGER NOT NULL REFERENCES eradication(id),"
  "  species TEXT NOT NULL,"
  "  found INTEGER NOT NULL CHECK (found >= 0),"
  "  destroyed INTEGER NOT NULL CHECK (destroyed >= 0 AND destroyed <= found),"
  "  PRIMARY KEY (eradication_id, species));",
  /* 13: the daily paths (issue 8). leave_until: the last day away of a
   * leave not returned from (core/supervision.h), in person_work so that an
   * overdue return is found by the same covering scan. The approval kind
   * leave (a leave of 3 days or more, decided by the street office): SQLite
   * cannot change a CHECK, so the table is built again with its rows and
   * indexes. notice: what a user is told (a decided approval she proposed,
   * files moved into or out of her community, a file given to her), written
   * in the transaction of the write that causes it, until she reads it.
   * derived_stale: persons whose stored derived fields the rules of this
   * migration change (no status yet: work; a serious breach: reported or
   * not; a second missed test answered by a visit; a closed file lost or
   * awaiting a pickup); the next open recomputes them with
   * supervision_compute (app/supervision.h sup_refresh_stale), so the
   * values are the C function's, not a copy of it in SQL. */
  "ALTER TABLE person ADD COLUMN leave_until TEXT;"
  "DROP INDEX person_work;"
  "CREATE INDEX person_work ON person(org_path, work_from, next_test_due, next_talk_due, missed_two_date,"
  "  report_deadline, pickup_due, release_eligible_date, control, serious_breach, approvals_pending,"
  "  status, org_id, name, worker_id, leave_until);"
  "CREATE TABLE approval_v10 ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('release_3y','transfer','risk_override','leave')),"
  SCHEMA_APPROVAL_COLUMNS
  "INSERT INTO approval_v10 (id, person_id, kind, proposed_by, proposed_at, payload, to_org_id, approver_role,"
  "  state, decided_by, decided_at, decision_reason) SELECT id, person_id, kind, proposed_by, proposed_at,"
  "  payload, to_org_id, approver_role, state, decided_by, decided_at, decision_reason FROM approval;"
  "DROP TABLE approval;"
  "ALTER TABLE approval_v10 RENAME TO approval;"
  SCHEMA_APPROVAL_INDEXES
  "CREATE TABLE notice ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('approval_decided','moved_in','moved_out','assigned')),"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  approval_id INTEGER,"
  "  created_at TEXT NOT NULL,"
  "  read_at TEXT);"
  "CREATE INDEX notice_user ON notice(user_id, read_at, id);"
  "CREATE TABLE derived_stale (person_id INTEGER PRIMARY KEY);"
  "INSERT INTO derived_stale (person_id) SELECT id FROM person WHERE status = '' OR serious_breach <> 0"
  "  OR (missed_two_date IS NOT NULL AND last_talk_date >= missed_two_date)"
  "  OR (status IN ('dead','emigrated') AND (control = 'lost_contact' OR pickup_due IS NOT NULL));",
  /* 14: places and partner units (场所与单位), responsibility letters
   * (目标管理责任书) and venue inspections (issue 10 points 1, 4, 5). A place
   * belongs to a unit by id (scope: the unit's path read through org_unit);
   * never deleted: deactivated with a reason. A letter is issued by a unit
   * for a year and signed by a lower unit or a place (signer_key 'o:ID' or
   * 'p:ID': one letter of a kind a signer and year); letter_required: the
   * signers an issuing unit requires for a year and kind (签订率). An
   * inspection checks a place of kind venue; its follow-up is due and done
   * on days. Codes of the vocabularies (core/ledger.h) are checked in C. */
  "CREATE TABLE place ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  kind TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  address TEXT NOT NULL DEFAULT '',"
  "  contact TEXT NOT NULL DEFAULT '',"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  category TEXT NOT NULL DEFAULT '',"
  "  licence_no TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  deactivated_by INTEGER REFERENCES app_user(id),"
  "  deactivated_at TEXT,"
  "  deactivate_reason TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX place_org ON place(org_id, kind, active);"
  "CREATE TABLE letter ("
  "  id INTEGER PRIMARY KEY,"
  SCHEMA_LETTER_SIGNER
  "  signed_date TEXT NOT NULL,"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL,"
  SCHEMA_LETTER_SIGNER_KEYS
  "CREATE INDEX letter_year ON letter(year, org_id);"
  "CREATE TABLE letter_required ("
  "  id INTEGER PRIMARY KEY,"
  SCHEMA_LETTER_SIGNER
  "  set_by INTEGER REFERENCES app_user(id),"
  "  set_at TEXT NOT NULL,"
  SCHEMA_LETTER_SIGNER_KEYS
  "CREATE TABLE inspection ("
  "  id INTEGER PRIMARY KEY,"
  "  place_id INTEGER NOT NULL REFERENCES place(id),"
  "  date TEXT NOT NULL,"
  "  inspectors TEXT NOT NULL,"
  "  result TEXT NOT NULL,"
  "  findings TEXT NOT NULL DEFAULT '',"
  "  followup TEXT NOT NULL DEFAULT '',"
  "  followup_due TEXT,"
  "  followup_done TEXT,"
  "  done_notes TEXT NOT NULL DEFAULT '',"
  "  done_by INTEGER REFERENCES app_user(id),"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX inspection_place ON inspection(place_id, date);",
  /* 15: the prevention ledgers (issue 10 points 2-3). activity: publicity
   * and education activities (宣传教育活动), survey: awareness surveys and
   * quizzes (知晓率). Corrections keep history: every row is one version of
   * a record (activity_id / survey_id: the record, the id of its first
   * version; version 1, 2, ...); a correction appends the next version and
   * clears `current` of the one before, so the values of a version are
   * never changed. settings and audience are comma-joined codes of
   * core/prevention.h; partners the partner places as text (until places
   * are a table). A survey keeps the target (percent) in force for its unit
   * and group when recorded. awareness_target: a target set on a unit for
   * a group, inherited down the tree (the nearest unit's applies; else the
   * group's default of core/prevention.h). Records belong to a unit by id
   * (scope: the unit's path through org_unit). The current versions'
   * indexes cover what a list filters, sorts and totals, so a street's
   * page reads the index only; activity_total holds the sums of the
   * current versions per unit and month (kept in each write's
   * transaction), so a list's totals row over whole months reads it. */
  "CREATE TABLE activity ("
  "  id INTEGER PRIMARY KEY,"
  "  activity_id INTEGER NOT NULL,"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  date TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  settings TEXT NOT NULL DEFAULT '',"
  "  campaign TEXT NOT NULL DEFAULT '',"
  "  title TEXT NOT NULL,"
  "  partners TEXT NOT NULL DEFAULT '',"
  "  audience TEXT NOT NULL DEFAULT '',"
  "  participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),"
  "  consultations INTEGER NOT NULL DEFAULT 0 CHECK (consultations >= 0),"
  "  leaflets INTEGER NOT NULL DEFAULT 0 CHECK (leaflets >= 0),"
  "  banners INTEGER NOT NULL DEFAULT 0 CHECK (banners >= 0),"
  "  slogans INTEGER NOT NULL DEFAULT 0 CHECK (slogans >= 0),"
  "  boards INTEGER NOT NULL DEFAULT 0 CHECK (boards >= 0),"
  "  exhibits INTEGER NOT NULL DEFAULT 0 CHECK (exhibits >= 0),"
  "  posters INTEGER NOT NULL DEFAULT 0 CHECK (posters >= 0),"
  "  notices INTEGER NOT NULL DEFAULT 0 CHECK (notices >= 0),"
  "  broadcasts INTEGER NOT NULL DEFAULT 0 CHECK (broadcasts >= 0),"
  "  broadcast_minutes INTEGER NOT NULL DEFAULT 0 CHECK (broadcast_minutes >= 0),"
  "  messages INTEGER NOT NULL DEFAULT 0 CHECK (messages >= 0),"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL,"
  "  UNIQUE (activity_id, version));"
  "CREATE INDEX activity_cur ON activity(org_id, date, activity_id, kind, campaign, settings, participants,"
  "  consultations, leaflets, banners, slogans, boards, exhibits, posters, notices, broadcasts, broadcast_minutes,"
  "  messages, current) WHERE current = 1;"
  "CREATE INDEX activity_rec ON activity(activity_id) WHERE current = 1;"
  "CREATE TABLE activity_total ("
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  month TEXT NOT NULL,"
  SCHEMA_ACTIVITY_SUMS
  "  PRIMARY KEY (org_id, month)) WITHOUT ROWID;"
  "CREATE TABLE survey ("
  "  id INTEGER PRIMARY KEY,"
  "  survey_id INTEGER NOT NULL,"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  date TEXT NOT NULL,"
  "  grp TEXT NOT NULL,"
  "  method TEXT NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  respondents INTEGER NOT NULL CHECK (respondents >= 1),"
  "  aware INTEGER NOT NULL CHECK (aware >= 0 AND aware <= respondents),"
  "  target INTEGER NOT NULL CHECK (target BETWEEN 0 AND 100),"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL,"
  "  UNIQUE (survey_id, version));"
  "CREATE INDEX survey_cur ON survey(org_id, date, survey_id, grp, method, respondents, aware, target, current)"
  "  WHERE current = 1;"
  "CREATE INDEX survey_rec ON survey(survey_id) WHERE current = 1;"
  "CREATE TABLE awareness_target ("
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  grp TEXT NOT NULL,"
  "  target INTEGER NOT NULL CHECK (target BETWEEN 0 AND 100),"
  "  set_by INTEGER REFERENCES app_user(id),"
  "  set_at TEXT NOT NULL,"
  "  PRIMARY KEY (org_id, grp));",
  /* 16: casework (issue 9: core/casework.h, app/casework.h). Help-team
   * roles become codes (core/casework.c help_role_vocab): the old free text
   * is matched to a role, and where nothing matches the role is `other`
   * with the text kept in role_other. team_requirement: the roles a unit
   * requires of every help team (comma-separated codes), inherited down
   * the tree (none set: 四位一体). file_rule: which checks make a file
   * complete (档案完整). case_plan / case_plan_measure: the case plan
   * (帮扶计划) in versions, never overwritten; service / service_step: the
   * services and referrals and every change of their state;
   * provider_place_id: the providing member unit once places exist.
   * Derived on the person row (app/casework.h casework_refresh, run by
   * stats_refresh): the current plan's review date and the earliest
   * service follow-up (in person_work for the work list), and file_missing,
   * the static checks a supervised file fails (CF_* bits). The facts'
   * encoding changed (team spans cover the required roles; the plan): they
   * are built again at the next open; the persons whose derived columns
   * the migration changes are recomputed there too (derived_stale). */
  "ALTER TABLE help_member ADD COLUMN role_other TEXT NOT NULL DEFAULT '';"
  "UPDATE help_member SET role_other = role;"
  "UPDATE help_member SET role = CASE"
  " WHEN role_other IN ('family','cadre','police','social_worker','judicial','civil_affairs','human_resources',"
  "  'medical','volunteer','other') THEN role_other"
  " WHEN role_other = '其他' THEN 'other'"
  " WHEN role_other LIKE '%警%' OR role_other LIKE '%派出所%' OR role_other LIKE '%公安%' THEN 'police'"
  " WHEN role_other LIKE '%社工%' THEN 'social_worker'"
  " WHEN role_other LIKE '%司法%' THEN 'judicial'"
  " WHEN role_other LIKE '%民政%' THEN 'civil_affairs'"
  " WHEN role_other LIKE '%人社%' OR role_other LIKE '%人力资源%' OR role_other LIKE '%劳动%' THEN 'human_resources'"
  " WHEN role_other LIKE '%医%' THEN 'medical'"
  " WHEN role_other LIKE '%志愿%' THEN 'volunteer'"
  " WHEN role_other LIKE '%干部%' OR role_other LIKE '%社区%' OR role_other LIKE '%村委%' OR role_other LIKE '%居委%'"
  "  OR role_other LIKE '%网格%' OR role_other LIKE '%书记%' THEN 'cadre'"
  " WHEN role_other LIKE '%家属%' OR role_other LIKE '%家人%' OR role_other LIKE '%家庭%' OR role_other LIKE '%亲属%'"
  "  OR role_other LIKE '%配偶%' OR role_other LIKE '%父%' OR role_other LIKE '%母%' OR role_other LIKE '%妻%'"
  "  OR role_other LIKE '%丈夫%' OR role_other LIKE '%兄%' OR role_other LIKE '%姐%' OR role_other LIKE '%弟%'"
  "  OR role_other LIKE '%妹%' OR role_other LIKE '%儿子%' OR role_other LIKE '%女儿%' THEN 'family'"
  " ELSE 'other' END;"
  "UPDATE help_member SET role_other = '' WHERE role <> 'other' OR role_other = '其他';"
  "CREATE TABLE team_requirement ("
  "  org_id INTEGER PRIMARY KEY REFERENCES org_unit(id),"
  "  roles TEXT NOT NULL,"
  "  set_by INTEGER REFERENCES app_user(id),"
  "  set_at TEXT NOT NULL);"
  "CREATE TABLE file_rule ("
  "  item TEXT PRIMARY KEY CHECK (item IN ('team','plan','document','talk')),"
  "  required INTEGER NOT NULL CHECK (required IN (0, 1)));"
  "INSERT INTO file_rule (item, required) VALUES ('team', 1), ('plan', 1), ('document', 1), ('talk', 1);"
  "CREATE TABLE case_plan ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  version INTEGER NOT NULL,"
  "  goals TEXT NOT NULL,"
  "  review_date TEXT NOT NULL,"
  "  responsible TEXT NOT NULL DEFAULT '',"
  "  note TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL,"
  "  UNIQUE (person_id, version));"
  "CREATE TABLE case_plan_measure ("
  "  id INTEGER PRIMARY KEY,"
  "  plan_id INTEGER NOT NULL REFERENCES case_plan(id),"
  "  seq INTEGER NOT NULL,"
  "  content TEXT NOT NULL,"
  "  start_date TEXT NOT NULL,"
  "  responsible TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX case_plan_measure_plan ON case_plan_measure(plan_id, seq);"
  "CREATE TABLE service ("
  "  id INTEGER PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES person(id),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  kind TEXT NOT NULL,"
  "  kind_other TEXT NOT NULL DEFAULT '',"
  "  provider TEXT NOT NULL,"
  "  provider_place_id INTEGER,"
  "  referral_date TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('referred','accepted','delivered','declined')),"
  "  state_date TEXT NOT NULL,"
  "  decline_reason TEXT NOT NULL DEFAULT '',"
  "  outcome TEXT NOT NULL DEFAULT '',"
  "  follow_up_date TEXT,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX service_person ON service(person_id, id);"
  "CREATE INDEX service_org ON service(org_id, referral_date);"
  "CREATE TABLE service_step ("
  "  id INTEGER PRIMARY KEY,"
  "  service_id INTEGER NOT NULL REFERENCES service(id),"
  "  state TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  outcome TEXT NOT NULL DEFAULT '',"
  "  follow_up_date TEXT,"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX service_step_service ON service_step(service_id, id);"
  "ALTER TABLE person ADD COLUMN plan_review_due TEXT;"
  "ALTER TABLE person ADD COLUMN service_followup_due TEXT;"
  "ALTER TABLE person ADD COLUMN file_missing INTEGER NOT NULL DEFAULT 0;"
  "DROP INDEX person_work;"
  "CREATE INDEX person_work ON person(org_path, work_from, next_test_due, next_talk_due, missed_two_date,"
  "  report_deadline, pickup_due, release_eligible_date, control, serious_breach, approvals_pending,"
  "  status, org_id, name, worker_id, leave_until, plan_review_due, service_followup_due);"
  "UPDATE stat_state SET built = 0 WHERE EXISTS (SELECT 1 FROM person);"
  "INSERT OR IGNORE INTO derived_stale (person_id) SELECT id FROM person"
  "  WHERE status IN ('community_detox','community_rehab','social_supervision')"
  "  OR id IN (SELECT person_id FROM help_member WHERE removed_at IS NULL);",
  /* 17: hardening (issue 12). read_alert: a user who read case files
   * beyond the per-minute bound (app/read_limit.h), shown on the workbench
   * of the offices above her unit (org_path) until one acknowledges it.
   * audit_archive: the audit rows moved to a file (app/audit.h
   * audit_archive): ids, the chain's hashes at both ends, the file's hash;
   * the online chain goes on from the last one. */
  "CREATE TABLE read_alert ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  org_path TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  per_minute INTEGER NOT NULL,"
  "  acked_by INTEGER REFERENCES app_user(id),"
  "  acked_at TEXT);"
  "CREATE INDEX read_alert_path ON read_alert(org_path, id);"
  "CREATE TABLE audit_archive ("
  "  id INTEGER PRIMARY KEY,"
  "  file TEXT NOT NULL,"
  "  before TEXT NOT NULL,"
  "  first_id INTEGER NOT NULL,"
  "  last_id INTEGER NOT NULL,"
  "  row_count INTEGER NOT NULL,"
  "  first_prev_hash TEXT NOT NULL,"
  "  last_hash TEXT NOT NULL,"
  "  file_hash TEXT NOT NULL,"
  "  archived_at TEXT NOT NULL);",
  /* 18: report forms by period (月报表, 半年报表, 年报表; core/report.h):
   * report_period, the state of one (form, unit, period), its notes and,
   * while submitted (locked), the snapshot of its figures and the day they
   * were taken as of; report_entry, everything done to it (notes, submits
   * with their snapshots, unlocks with reasons), appended: the history. */
  "CREATE TABLE report_period ("
  "  id INTEGER PRIMARY KEY,"
  "  form TEXT NOT NULL,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  period TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','submitted')),"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  snapshot TEXT NOT NULL DEFAULT '',"
  "  as_of TEXT,"
  "  changed_by INTEGER REFERENCES app_user(id),"
  "  changed_at TEXT NOT NULL,"
  "  UNIQUE (form, period, org_id));"
  "CREATE TABLE report_entry ("
  "  id INTEGER PRIMARY KEY,"
  "  period_id INTEGER NOT NULL REFERENCES report_period(id),"
  "  action TEXT NOT NULL CHECK (action IN ('notes','submit','unlock')),"
  "  text TEXT NOT NULL DEFAULT '',"
  "  snapshot TEXT NOT NULL DEFAULT '',"
  "  created_by INTEGER REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX report_entry_period ON report_entry(period_id, id);",
  /* 19: the 无毒社区 / 无毒村 assessment (core/assessment.h, app/assessment.h).
   * Criteria are data: a set (assess_set) per scheme, unit (NULL: the
   * built-in default) and year (it applies from that year on; the latest
   * year wins, then the nearest unit), its sections (a cap each, adding up
   * to 100) and items (a statistics measure by API key and a target, a
   * manual sign-off, or the household sample; points, veto). The default
   * sets are the seeds' "五无一个不低于" and the 100-point sheet. The flow of
   * a unit's application (assess_app, each step in assess_step with the
   * score it had), the street's sign-off of manual items (assess_mark) and
   * its household sample (assess_sample). */
  "CREATE TABLE assess_set ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER REFERENCES org_unit(id),"
  "  scheme TEXT NOT NULL CHECK (scheme IN ('community','village')),"
  SCHEMA_ASSESS_SET_RULE
  SCHEMA_ASSESS_CRITERIA
  "CREATE TABLE assess_app ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  SCHEMA_ASSESS_APP_COLUMNS ","
  "  UNIQUE (org_id, scheme, year));"
  SCHEMA_ASSESS_STEP
  "CREATE TABLE assess_mark ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  SCHEMA_ASSESS_MARK_COLUMNS ","
  "  UNIQUE (org_id, scheme, year, item_key));"
  "CREATE TABLE assess_sample ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  SCHEMA_ASSESS_SAMPLE_COLUMNS ","
  "  UNIQUE (org_id, scheme, year));"
  "INSERT INTO assess_set (id, org_id, scheme, year, title, pass_percent, sample_min, sample_max, set_at)"
  " VALUES (1, NULL, 'community', 2000, '无毒社区', 85, 50, 60, '2000-01-01T00:00:00+08:00');"
  "INSERT INTO assess_section (set_id, ord, key, label, cap) VALUES (1,0,'five_no','五无（一票否决）',40),(1,1,'control','管控帮教（一个不低于）',30),(1,2,'prevention','宣传预防',15),(1,3,'sample','入户抽查',15);"
  "INSERT INTO assess_item (set_id, ord, key, section, label, kind, measure, op, target, points, veto, empty_met) VALUES"
  "  (1,0,'no_new_users','five_no','无新滋生吸毒人员（年内新发现人数为0）','auto','new_found','max',0,10,1,1),"
  "  (1,1,'no_lost_contact','five_no','无失控吸毒人员（失控人数为0）','auto','lost_contact','max',0,10,1,1),"
  "  (1,2,'no_user_crimes','five_no','无吸毒人员违法犯罪（吸毒人员犯罪人数为0）','auto','offences','max',0,10,1,1),"
  "  (1,3,'no_venue_drugs','five_no','无娱乐场所吸贩毒问题（场所排查记录，街道签核）','manual','','max',0,5,1,1),"
  "  (1,4,'no_precursor_leak','five_no','无易制毒化学品流入非法渠道（街道签核）','manual','','max',0,5,1,1),"
  "  (1,5,'isolation_rate','control','强制隔离戒毒收戒率不低于30%','auto','isolation_rate','min',300,8,0,1),"
  "  (1,6,'control_rate','control','管控率达到100%','auto','control_rate','min',1000,8,0,1),"
  "  (1,7,'help_rate','control','帮教率达到100%','auto','help_rate','min',1000,6,0,1),"
  "  (1,8,'test_rate','control','尿检率达到100%','auto','test_rate','min',1000,6,0,1),"
  "  (1,9,'complete_rate','control','档案完整率达到100%','auto','complete_rate','min',1000,4,0,1),"
  "  (1,10,'activities','prevention','全年开展禁毒宣传教育活动不少于4次','auto','activities','min',4,5,0,0),"
  "  (1,11,'awareness','prevention','集镇居民禁毒知识知晓率达到100%','auto','awareness_rate.town','min',1000,5,0,0),"
  "  (1,12,'letters_rate','prevention','禁毒工作责任书签订率达到100%','auto','letters_rate','min',1000,5,0,1),"
  "  (1,13,'sample_accuracy','sample','入户抽查录入准确率不低于98%','sample','accuracy','min',980,8,0,0),"
  "  (1,14,'sample_completeness','sample','入户抽查录入完整率不低于95%','sample','completeness','min',950,7,0,0);"
  "INSERT INTO assess_set (id, org_id, scheme, year, title, pass_percent, sample_min, sample_max, set_at)"
  " VALUES (2, NULL, 'village', 2000, '无毒村', 85, 50, 60, '2000-01-01T00:00:00+08:00');"
  "INSERT INTO assess_section (set_id, ord, key, label, cap) VALUES (2,0,'five_no','五无（一票否决）',40),(2,1,'control','管控帮教（一个不低于）',30),(2,2,'prevention','宣传预防',15),(2,3,'sample','入户抽查',15);"
  "INSERT INTO assess_item (set_id, ord, key, section, label, kind, measure, op, target, points, veto, empty_met) VALUES"
  "  (2,0,'no_new_users','five_no','无新滋生吸毒人员（年内新发现人数为0）','auto','new_found','max',0,10,1,1),"
  "  (2,1,'no_lost_contact','five_no','无失控吸毒人员（失控人数为0）','auto','lost_contact','max',0,10,1,1),"
  "  (2,2,'no_user_crimes','five_no','无吸毒人员违法犯罪（吸毒人员犯罪人数为0）','auto','offences','max',0,10,1,1),"
  "  (2,3,'no_venue_drugs','five_no','无娱乐场所吸贩毒问题（场所排查记录，街道签核）','manual','','max',0,5,1,1),"
  "  (2,4,'no_precursor_leak','five_no','无易制毒化学品流入非法渠道（街道签核）','manual','','max',0,5,1,1),"
  "  (2,5,'isolation_rate','control','强制隔离戒毒收戒率不低于30%','auto','isolation_rate','min',300,8,0,1),"
  "  (2,6,'control_rate','control','管控率达到100%','auto','control_rate','min',1000,8,0,1),"
  "  (2,7,'help_rate','control','帮教率达到100%','auto','help_rate','min',1000,6,0,1),"
  "  (2,8,'test_rate','control','尿检率达到100%','auto','test_rate','min',1000,6,0,1),"
  "  (2,9,'complete_rate','control','档案完整率达到100%','auto','complete_rate','min',1000,4,0,1),"
  "  (2,10,'activities','prevention','全年开展禁毒宣传教育活动不少于4次','auto','activities','min',4,5,0,0),"
  "  (2,11,'awareness','prevention','农村居民禁毒知识知晓率达到90%','auto','awareness_rate.rural','min',900,5,0,0),"
  "  (2,12,'letters_rate','prevention','禁毒工作责任书签订率达到100%','auto','letters_rate','min',1000,5,0,1),"
  "  (2,13,'sample_accuracy','sample','入户抽查录入准确率不低于98%','sample','accuracy','min',980,8,0,0),"
  "  (2,14,'sample_completeness','sample','入户抽查录入完整率不低于95%','sample','completeness','min',950,7,0,0);",
  /* 20: household and residence, releases seen coming, offences (issue 9).
   * org_unit.division_code: the unit's administrative division code
   * (core/division.h; NULL until entered). person.household_division: the
   * household (户籍地) division, prefilled here from the first 6 digits of
   * the ID number (the county of first registration), editable; indexed
   * with the unit path for the household side of the elsewhere measure.
   * person.release_due / release_from (core/supervision.h): the expected
   * release of a custodial person and the first day it is on the work list,
   * in person_work so that the work list stays one covering scan.
   * person_event.case_no / offence_kind: an offence's police case number and
   * kind (core/offence.h). derived_stale: every person in compulsory
   * isolation, prison or detention (release_due may now be set) and every
   * graded person whose risk an offence could change (none yet: the event
   * is new); stat_state.built = 0: the statistical facts gain the offences,
   * so every person's are built again at the next start. */
  "ALTER TABLE org_unit ADD COLUMN division_code TEXT;"
  "ALTER TABLE person ADD COLUMN household_division TEXT NOT NULL DEFAULT '';"
  "UPDATE person SET household_division = substr(id_number, 1, 6) WHERE length(id_number) >= 6"
  "  AND substr(id_number, 1, 6) NOT GLOB '*[^0-9]*';"
  "CREATE INDEX person_household ON person(household_division, org_path);"
  "ALTER TABLE person ADD COLUMN release_due TEXT;"
  "ALTER TABLE person ADD COLUMN release_from TEXT;"
  "DROP INDEX person_work;"
  "CREATE INDEX person_work ON person(org_path, work_from, next_test_due, next_talk_due, missed_two_date,"
  "  report_deadline, pickup_due, release_eligible_date, control, serious_breach, approvals_pending,"
  "  status, org_id, name, worker_id, leave_until, plan_review_due, service_followup_due, release_due, release_from);"
  "ALTER TABLE person_event ADD COLUMN case_no TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE person_event ADD COLUMN offence_kind TEXT NOT NULL DEFAULT '';"
  "INSERT OR IGNORE INTO derived_stale (person_id) SELECT id FROM person"
  "  WHERE status IN ('compulsory_isolation','imprisoned','detained');"
  "UPDATE stat_state SET built = 0 WHERE EXISTS (SELECT 1 FROM person);",
  /* 21: partner places of an activity as links (issue 10 point 2):
   * activity_place holds the registered places (table place) a version of
   * an activity (activity.id, not the record: a correction links its own)
   * was held with; the text activity.partners stays for names not
   * registered. */
  "CREATE TABLE activity_place ("
  "  activity_row INTEGER NOT NULL REFERENCES activity(id),"
  "  place_id INTEGER NOT NULL REFERENCES place(id),"
  "  PRIMARY KEY (activity_row, place_id));"
  "CREATE INDEX activity_place_place ON activity_place(place_id);",
  /* 22: fast filtered activity lists (the 六进, kind and campaign filters of
   * a street's list). activity.settings_mask: the settings as bits (bit k
   * for core/prevention.h activity_setting_vocab[k].code; written with the row),
   * in the covering index instead of a text match per row.
   * activity_total_by: the sums of the current versions per unit, month and
   * one value of one filter (dim 'setting', 'kind' or 'campaign'; an
   * activity counts once under each of its settings), kept in each write's
   * transaction like activity_total, so a list filtered by one of them
   * totals its whole months from here (about units x months rows, not the
   * activities). Both are filled here from the rows there are. */
  "ALTER TABLE activity ADD COLUMN settings_mask INTEGER NOT NULL DEFAULT 0;"
  "UPDATE activity SET settings_mask ="
  "  (instr(',' || settings || ',', ',school,') > 0) | ((instr(',' || settings || ',', ',family,') > 0) << 1)"
  "  | ((instr(',' || settings || ',', ',community,') > 0) << 2) | ((instr(',' || settings || ',', ',unit,') > 0) << 3)"
  "  | ((instr(',' || settings || ',', ',venue,') > 0) << 4) | ((instr(',' || settings || ',', ',village,') > 0) << 5)"
  "  WHERE settings <> '';"
  "DROP INDEX activity_cur;"
  "CREATE INDEX activity_cur ON activity(org_id, date, activity_id, kind, campaign, settings_mask, settings, participants,"
  "  consultations, leaflets, banners, slogans, boards, exhibits, posters, notices, broadcasts, broadcast_minutes,"
  "  messages, current) WHERE current = 1;"
  "CREATE TABLE activity_total_by ("
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  month TEXT NOT NULL,"
  "  dim TEXT NOT NULL CHECK (dim IN ('setting', 'kind', 'campaign')),"
  "  code TEXT NOT NULL,"
  SCHEMA_ACTIVITY_SUMS
  "  PRIMARY KEY (org_id, dim, code, month)) WITHOUT ROWID;"
  "INSERT INTO activity_total_by SELECT org_id, substr(date, 1, 7), 'kind', kind, count(*), sum(participants),"
  "  sum(consultations), sum(leaflets), sum(banners), sum(slogans), sum(boards), sum(exhibits), sum(posters),"
  "  sum(notices), sum(broadcasts), sum(broadcast_minutes), sum(messages) FROM activity WHERE current = 1"
  "  GROUP BY org_id, substr(date, 1, 7), kind;"
  "INSERT INTO activity_total_by SELECT org_id, substr(date, 1, 7), 'campaign', campaign, count(*), sum(participants),"
  "  sum(consultations), sum(leaflets), sum(banners), sum(slogans), sum(boards), sum(exhibits), sum(posters),"
  "  sum(notices), sum(broadcasts), sum(broadcast_minutes), sum(messages) FROM activity WHERE current = 1"
  "  AND campaign <> '' GROUP BY org_id, substr(date, 1, 7), campaign;"
  "INSERT INTO activity_total_by SELECT a.org_id, substr(a.date, 1, 7), 'setting', s.code, count(*),"
  "  sum(a.participants), sum(a.consultations), sum(a.leaflets), sum(a.banners), sum(a.slogans), sum(a.boards),"
  "  sum(a.exhibits), sum(a.posters), sum(a.notices), sum(a.broadcasts), sum(a.broadcast_minutes), sum(a.messages)"
  "  FROM activity a JOIN (SELECT 'school' AS code, 1 AS bit UNION ALL SELECT 'family', 2 UNION ALL"
  "  SELECT 'community', 4 UNION ALL SELECT 'unit', 8 UNION ALL SELECT 'venue', 16 UNION ALL SELECT 'village', 32) s"
  "  ON (a.settings_mask & s.bit) <> 0 WHERE a.current = 1 GROUP BY a.org_id, substr(a.date, 1, 7), s.code;",
  /* 23: the totals of a list filtered by two of kind, 六进 setting and
   * campaign from kept sums too (issue 10 point 11): activity_total_by also
   * holds the pairs (dim 'kind_setting', 'kind_campaign' or
   * 'setting_campaign', code the two values joined by a comma in that
   * order: core/prevention.h prevention_total_key). The table is made again
   * for its wider CHECK, its rows copied, and the pairs filled from the
   * current versions there are. */
  "CREATE TABLE activity_total_by_new ("
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  month TEXT NOT NULL,"
  "  dim TEXT NOT NULL CHECK (dim IN ('setting', 'kind', 'campaign', 'kind_setting', 'kind_campaign',"
  "    'setting_campaign')),"
  "  code TEXT NOT NULL,"
  SCHEMA_ACTIVITY_SUMS
  "  PRIMARY KEY (org_id, dim, code, month)) WITHOUT ROWID;"
  "INSERT INTO activity_total_by_new SELECT * FROM activity_total_by;"
  "DROP TABLE activity_total_by;"
  "ALTER TABLE activity_total_by_new RENAME TO activity_total_by;"
/* the sums of a group of activities a, and the settings s (bit and code) */
#define M23_SUMS                                                                                              \
  " count(*), sum(a.participants), sum(a.consultations), sum(a.leaflets), sum(a.banners), sum(a.slogans),"    \
  " sum(a.boards), sum(a.exhibits), sum(a.posters), sum(a.notices), sum(a.broadcasts), sum(a.broadcast_minutes)," \
  " sum(a.messages) FROM activity a"
#define M23_SETTINGS                                                                                          \
  " JOIN (SELECT 'school' AS code, 1 AS bit UNION ALL SELECT 'family', 2 UNION ALL SELECT 'community', 4"      \
  " UNION ALL SELECT 'unit', 8 UNION ALL SELECT 'venue', 16 UNION ALL SELECT 'village', 32) s"                 \
  " ON (a.settings_mask & s.bit) <> 0"
  "INSERT INTO activity_total_by SELECT a.org_id, substr(a.date, 1, 7), 'kind_campaign', a.kind || ',' || a.campaign,"
  M23_SUMS " WHERE a.current = 1 AND a.campaign <> '' GROUP BY a.org_id, substr(a.date, 1, 7), a.kind, a.campaign;"
  "INSERT INTO activity_total_by SELECT a.org_id, substr(a.date, 1, 7), 'kind_setting', a.kind || ',' || s.code,"
  M23_SUMS M23_SETTINGS " WHERE a.current = 1 GROUP BY a.org_id, substr(a.date, 1, 7), a.kind, s.code;"
  "INSERT INTO activity_total_by SELECT a.org_id, substr(a.date, 1, 7), 'setting_campaign', s.code || ',' || a.campaign,"
  M23_SUMS M23_SETTINGS " WHERE a.current = 1 AND a.campaign <> ''"
  " GROUP BY a.org_id, substr(a.date, 1, 7), s.code, a.campaign;",
#undef M23_SUMS
#undef M23_SETTINGS
  /* 24: 无毒单位, the partner places' assessment (issue 11 point 4; core/
   * assessment.h "partner places"). A criteria set may be of scheme 'unit':
   * its subjects are the active places (table place) of the kinds listed in
   * assess_set.subjects (comma-joined codes of core/ledger.h; '' for the
   * unit schemes), its automatic items read the place's figures (letters,
   * activities, inspections). An application, a sign-off and a sample of a
   * place carry place_id beside the place's unit (org_id, for scope); NULL
   * for a community's. SQLite cannot change a CHECK or a UNIQUE in place:
   * the seven tables are renamed, made again with the new columns and
   * keys, filled with their rows (ids kept: attachments point at
   * assess_mark ids) and the old ones dropped, children first. The default
   * set of the scheme is set 3. */
  "DROP INDEX assess_set_key;"
  "DROP INDEX assess_step_app;"
  "ALTER TABLE assess_item RENAME TO assess_item_v23;"
  "ALTER TABLE assess_section RENAME TO assess_section_v23;"
  "ALTER TABLE assess_set RENAME TO assess_set_v23;"
  "ALTER TABLE assess_step RENAME TO assess_step_v23;"
  "ALTER TABLE assess_app RENAME TO assess_app_v23;"
  "ALTER TABLE assess_mark RENAME TO assess_mark_v23;"
  "ALTER TABLE assess_sample RENAME TO assess_sample_v23;"
  "CREATE TABLE assess_set ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER REFERENCES org_unit(id),"
  "  scheme TEXT NOT NULL CHECK (scheme IN ('community','village','unit')),"
  SCHEMA_ASSESS_SET_RULE
  "  subjects TEXT NOT NULL DEFAULT '',"
  SCHEMA_ASSESS_CRITERIA
  "CREATE TABLE assess_app ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  place_id INTEGER REFERENCES place(id),"
  SCHEMA_ASSESS_APP_COLUMNS ");"
  "CREATE UNIQUE INDEX assess_app_key ON assess_app(org_id, scheme, year, coalesce(place_id, 0));"
  SCHEMA_ASSESS_STEP
  "CREATE TABLE assess_mark ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  place_id INTEGER REFERENCES place(id),"
  SCHEMA_ASSESS_MARK_COLUMNS ");"
  "CREATE UNIQUE INDEX assess_mark_key ON assess_mark(org_id, scheme, year, item_key, coalesce(place_id, 0));"
  "CREATE TABLE assess_sample ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id),"
  "  place_id INTEGER REFERENCES place(id),"
  SCHEMA_ASSESS_SAMPLE_COLUMNS ");"
  "CREATE UNIQUE INDEX assess_sample_key ON assess_sample(org_id, scheme, year, coalesce(place_id, 0));"
  "INSERT INTO assess_set (id, org_id, scheme, year, title, pass_percent, sample_min, sample_max, set_by, set_at)"
  "  SELECT id, org_id, scheme, year, title, pass_percent, sample_min, sample_max, set_by, set_at FROM assess_set_v23;"
  "INSERT INTO assess_section SELECT set_id, ord, key, label, cap FROM assess_section_v23;"
  "INSERT INTO assess_item SELECT set_id, ord, key, section, label, kind, measure, op, target, points, veto, empty_met"
  "  FROM assess_item_v23;"
  "INSERT INTO assess_app (id, org_id, scheme, year, state, updated_by, updated_at)"
  "  SELECT id, org_id, scheme, year, state, updated_by, updated_at FROM assess_app_v23;"
  "INSERT INTO assess_step SELECT id, app_id, action, state, note, score, max, result, by_user, at FROM assess_step_v23;"
  "INSERT INTO assess_mark (id, org_id, scheme, year, item_key, met, note, signed_by, signed_at)"
  "  SELECT id, org_id, scheme, year, item_key, met, note, signed_by, signed_at FROM assess_mark_v23;"
  "INSERT INTO assess_sample (id, org_id, scheme, year, date, households, records, accurate, complete, note,"
  "  entered_by, entered_at) SELECT id, org_id, scheme, year, date, households, records, accurate, complete, note,"
  "  entered_by, entered_at FROM assess_sample_v23;"
  "DROP TABLE assess_item_v23;"
  "DROP TABLE assess_section_v23;"
  "DROP TABLE assess_step_v23;"
  "DROP TABLE assess_set_v23;"
  "DROP TABLE assess_app_v23;"
  "DROP TABLE assess_mark_v23;"
  "DROP TABLE assess_sample_v23;"
  "INSERT INTO assess_set (id, org_id, scheme, year, title, pass_percent, sample_min, sample_max, subjects, set_at)"
  " VALUES (3, NULL, 'unit', 2000, '无毒单位', 85, 50, 60, 'school,enterprise,venue,member_unit',"
  " '2000-01-01T00:00:00+08:00');"
  "INSERT INTO assess_section (set_id, ord, key, label, cap) VALUES (3,0,'drug_free','无毒（一票否决）',40),"
  "  (3,1,'duty','责任落实',30),(3,2,'education','宣传教育',30);"
  "INSERT INTO assess_item (set_id, ord, key, section, label, kind, measure, op, target, points, veto, empty_met) VALUES"
  "  (3,0,'no_open_problem','drug_free','场所检查发现的问题均已整改（未整改问题为0）','auto','place_open_problems','max',0,10,1,1),"
  "  (3,1,'no_problem_found','drug_free','年内检查未发现涉毒问题','auto','place_problems','max',0,10,0,1),"
  "  (3,2,'no_drug_use','drug_free','本单位（场所）无吸贩毒人员、无涉毒案件（街道签核）','manual','','max',0,20,1,1),"
  "  (3,3,'letter_signed','duty','签订年度禁毒责任书','auto','place_letters','min',1,15,0,0),"
  "  (3,4,'organisation','duty','有禁毒工作负责人和工作制度（附证明材料）','manual','','max',0,15,0,1),"
  "  (3,5,'activities','education','年内与社区共同开展禁毒宣传教育活动不少于2次','auto','place_activities','min',2,15,0,0),"
  "  (3,6,'board','education','设有禁毒宣传栏或宣传阵地（附照片）','manual','','max',0,10,0,1),"
  "  (3,7,'staff_education','education','组织员工（学生）开展禁毒教育（附证明材料）','manual','','max',0,10,0,1);",
  /* 25: the persons behind a sparse number read through an index (issue 11
   * point 8: a street's drill-down ≤ 20 ms). stat_mark: one row per mark of
   * a facts row of stat_person (core/stats.h stats_facts_marks: a
   * lost-contact event, a positive test, an offence, at all; mark is the
   * STAT_MARK_* bit), written with the facts, clustered by mark and unit,
   * so that the persons behind "lost contact", "relapsed" or "offences" for
   * any D and [F, T] are read from the rows that can count (a row without
   * the mark adds 0 whatever the day). stat_state.built = 0 builds every
   * person's facts and marks at the next start; `jindu doctor` compares
   * them. */
  "CREATE TABLE stat_mark ("
  "  mark INTEGER NOT NULL,"
  "  org_id INTEGER NOT NULL,"
  "  person_id INTEGER NOT NULL,"
  "  PRIMARY KEY (mark, org_id, person_id)) WITHOUT ROWID;"
  "UPDATE stat_state SET built = 0 WHERE EXISTS (SELECT 1 FROM person);",
  /* 26: the 人户分离 figures without reading person (issue 11 point 8: the
   * join of every facts row to person made a street's statistics 0.4 s and
   * a county's 7 s). stat_person.household_division: the person's
   * (person.household_division, as it is today) on every row of the
   * person; is_current: 1 on the row kept under the person's unit today
   * (person.org_id), 0 on the others; both written with the facts
   * (store_stats_facts_put), compared by `jindu doctor`.
   * stat_person_household: the rows under today's unit by household
   * division, for the household side of a unit. */
  "ALTER TABLE stat_person ADD COLUMN household_division TEXT;"
  "ALTER TABLE stat_person ADD COLUMN is_current INTEGER NOT NULL DEFAULT 0;"
  "UPDATE stat_person SET"
  "  household_division = (SELECT p.household_division FROM person p WHERE p.id = stat_person.person_id),"
  "  is_current = coalesce((SELECT p.org_id = stat_person.org_id FROM person p WHERE p.id = stat_person.person_id), 0);"
  "CREATE INDEX stat_person_household ON stat_person(household_division) WHERE is_current = 1;",
  /* 27: the household side of a unit read from the index alone for the
   * persons inside the unit (issue 11 point 8: a county ≤ 1 s with division
   * codes). The person provider's pass counts the persons kept under the
   * subtree today; store_stats_scan_household_outside reads the others,
   * telling them apart by the unit in the index's key: with is_current in
   * the index SQLite tests `is_current = 1` and the unit on the entry and
   * reads the row (its facts) only for a person outside. */
  ("DROP INDEX stat_person_household;" /* two statements in one string: clang's -Wstring-concatenation */
   "CREATE INDEX stat_person_household ON stat_person(household_division, is_current) WHERE is_current = 1;"),
};

int schema_latest(void) { return (int)(sizeof schema_migrations / sizeof schema_migrations[0]); }

ErrCode schema_migrate(Db *db, Err *e) {
  for (int v = db_schema_version(db) + 1; v <= schema_latest(); v++) {
    ErrCode rc = db_begin(db, e);
    if (rc != ERR_OK) return rc;
    if ((rc = db_exec(db, schema_migrations[v - 1], e)) != ERR_OK ||
        (rc = db_set_schema_version(db, v, e)) != ERR_OK) {
      db_rollback(db);
      return rc;
    }
    if ((rc = db_commit(db, e)) != ERR_OK) return rc;
  }
  return ERR_OK;
}
