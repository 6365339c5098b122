/* store/schema.c: the schema as numbered migrations. A migration is appended,
 * never edited once released. Portable SQL: INTEGER/TEXT columns, dates as
 * ISO text, timestamps as ISO-8601 text with offset, unix seconds where
 * arithmetic is needed (sessions, throttling). */
#include "schema.h"
#include <stddef.h>

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
  "  proposed_by INTEGER REFERENCES app_user(id),"
  "  proposed_at TEXT NOT NULL,"
  "  payload TEXT NOT NULL DEFAULT '',"
  "  to_org_id INTEGER REFERENCES org_unit(id),"
  "  approver_role TEXT NOT NULL CHECK (approver_role IN ('admin','office')),"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','rejected')),"
  "  decided_by INTEGER REFERENCES app_user(id),"
  "  decided_at TEXT,"
  "  decision_reason TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX approval_state ON approval(state, person_id);"
  "CREATE INDEX approval_person ON approval(person_id, id);"
  "CREATE INDEX approval_to_org ON approval(to_org_id, state);"
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
  "  proposed_by INTEGER REFERENCES app_user(id),"
  "  proposed_at TEXT NOT NULL,"
  "  payload TEXT NOT NULL DEFAULT '',"
  "  to_org_id INTEGER REFERENCES org_unit(id),"
  "  approver_role TEXT NOT NULL CHECK (approver_role IN ('admin','office')),"
  "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','rejected')),"
  "  decided_by INTEGER REFERENCES app_user(id),"
  "  decided_at TEXT,"
  "  decision_reason TEXT NOT NULL DEFAULT '');"
  "INSERT INTO approval_v10 (id, person_id, kind, proposed_by, proposed_at, payload, to_org_id, approver_role,"
  "  state, decided_by, decided_at, decision_reason) SELECT id, person_id, kind, proposed_by, proposed_at,"
  "  payload, to_org_id, approver_role, state, decided_by, decided_at, decision_reason FROM approval;"
  "DROP TABLE approval;"
  "ALTER TABLE approval_v10 RENAME TO approval;"
  "CREATE INDEX approval_state ON approval(state, person_id);"
  "CREATE INDEX approval_person ON approval(person_id, id);"
  "CREATE INDEX approval_to_org ON approval(to_org_id, state);"
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
  /* 17: household and residence, releases seen coming, offences (issue 9).
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
  "  status, org_id, name, worker_id, leave_until, release_due, release_from);"
  "ALTER TABLE person_event ADD COLUMN case_no TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE person_event ADD COLUMN offence_kind TEXT NOT NULL DEFAULT '';"
  "INSERT OR IGNORE INTO derived_stale (person_id) SELECT id FROM person"
  "  WHERE status IN ('compulsory_isolation','imprisoned','detained');"
  "UPDATE stat_state SET built = 0 WHERE EXISTS (SELECT 1 FROM person);",
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
