/* tests/unit/test_person.c: cmocka tests of the case-file use cases
 * (app/person.c over store/person.c) on a temporary database: creation and
 * every validation rule, scope (a record outside it is "not found"), search
 * and paging, revisions and versions, status transitions, planned ends and
 * corrections, documents, and that a refused action writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/person.h"
#include "core/idcard.h"
#include "store/person.h"
#include "tests/unit/fixture.h"

typedef FixDistrict T;

/* ---- fixture ----------------------------------------------------------- */

/* The shared district (fixture.h) on 2025-06-01. */
static int setup(void **state) {
  *state = fix_district_new("person", "2025-06-01");
  return 0;
}

/* ---- helpers ----------------------------------------------------------- */

/* A valid ID number from its first 17 digits (static buffer per call slot). */
static const char *make_id(const char *first17, char out[IDCARD_MASKED_LEN]) {
  memcpy(out, first17, 17);
  out[17] = idcard_check_char(first17);
  out[18] = 0;
  return out;
}

static int64_t count_rows(T *t, const char *table) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
  return fix_int(t->f.db, sql);
}

typedef struct Counts { int64_t person, revision, team, doc, episode, audit; } Counts;

static Counts counts(T *t) {
  return (Counts){count_rows(t, "person"), count_rows(t, "person_revision"), count_rows(t, "help_member"),
                  count_rows(t, "person_document"), count_rows(t, "status_episode"), count_rows(t, "audit_log")};
}

static void assert_counts_equal(Counts a, Counts b) {
  assert_int_equal(a.person, b.person);
  assert_int_equal(a.revision, b.revision);
  assert_int_equal(a.team, b.team);
  assert_int_equal(a.doc, b.doc);
  assert_int_equal(a.episode, b.episode);
  assert_int_equal(a.audit, b.audit);
}

/* The case file pid as c reads it, asserting that it may (person_free it). */
static Person person_got(Ctx *c, int64_t pid) {
  Person p;
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_get(c, pid, &p, &e), ERR_OK);
  return p;
}

/* The persons of q that c lists (one page, n of them, malloc'd: the caller
 * frees them), asserting that want_total match in all; a failure names the
 * query's text, unit and status. */
static PersonSummary *listed(Ctx *c, PersonQuery q, int64_t want_total, int *n) {
  PersonSummary *items = NULL;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  if (app_person_list(c, &q, &items, n, &total, &e) != ERR_OK || total != want_total)
    fail_msg("list q=%s org=%s status=%s: %lld persons (%s), want %lld", q.q ? q.q : "", q.org_code ? q.org_code : "",
             q.status ? q.status : "", (long long)total, e.msg ? e.msg : "ok", (long long)want_total);
  return items;
}

/* Asserts that each table holds by rows more than it did before. */
static void assert_counts_grew(T *t, Counts before, Counts by) {
  Counts want = {before.person + by.person, before.revision + by.revision, before.team + by.team,
                 before.doc + by.doc,       before.episode + by.episode,   before.audit + by.audit};
  assert_counts_equal(counts(t), want);
}

/* The message on field (NULL when none) of c's listing of q, which must be
 * refused as invalid. */
static const char *list_refused(Ctx *c, PersonQuery q, const char *field) {
  PersonSummary *items = NULL;
  int n = 0;
  int64_t total = 0;
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_list(c, &q, &items, &n, &total, &e), ERR_INVALID);
  return err_field_msg(&e, field);
}

static void set(PersonInput *in, PersonFieldId f, const char *v) {
  in->has[f] = true;
  in->val[f] = v;
}

/* A valid input: a man born 1990-01-01 in community A. */
static void valid_input(PersonInput *in, char id[IDCARD_MASKED_LEN]) {
  memset(in, 0, sizeof *in);
  set(in, PF_NAME, "张三");
  set(in, PF_SEX, "M");
  set(in, PF_ID_NUMBER, make_id("11010519900101001", id)); /* sequence digit 1: a man */
  set(in, PF_BIRTH_DATE, "1990-01-01");
  set(in, PF_PHONE, "+86 138-0000-0000");
  set(in, PF_DRUG_TYPES, "heroin,methamphetamine");
  set(in, PF_FIRST_FOUND_DATE, "2015-03-01");
  set(in, PF_NO_JOB, "1");
  set(in, PF_FK_BASICS, "第一行\n第二行");
  in->has_org = true;
  in->org_code = "A";
}

/* Creates a person with the given name and 17 leading ID digits in org. */
/* Creates in as c, asserting success and a new id; returns the id. */
static int64_t created(Ctx *c, const PersonInput *in) {
  Err e;
  err_clear(&e);
  int64_t pid = 0;
  if (app_person_create(c, in, &pid, &e) != ERR_OK) fail_msg("create %s: %s", in->val[PF_NAME], e.msg);
  assert_true(pid > 0);
  return pid;
}

static int64_t create_named(T *t, Ctx *c, const char *name, const char *first17, const char *org) {
  PersonInput in;
  char id[IDCARD_MASKED_LEN];
  memset(&in, 0, sizeof in);
  set(&in, PF_NAME, name);
  set(&in, PF_SEX, ((first17[16] - '0') % 2) ? "M" : "F");
  set(&in, PF_ID_NUMBER, make_id(first17, id));
  in.has_org = true;
  in.org_code = org;
  (void)t;
  return created(c, &in);
}

/* Expects create to fail with code and field message. */
static void expect_create_error(T *t, Ctx *c, const PersonInput *in, ErrCode code, const char *field,
                                const char *msg) {
  Counts before = counts(t);
  Err e;
  err_clear(&e);
  int64_t pid = 99;
  assert_int_equal(app_person_create(c, in, &pid, &e), code);
  assert_int_equal(e.code, code);
  assert_int_equal(pid, 0);
  if (field) {
    const char *m = err_field_msg(&e, field);
    if (!m) fail_msg("no error on field %s", field);
    if (msg) assert_string_equal(m, msg);
  }
  assert_counts_equal(before, counts(t));
  assert_false(db_in_transaction(t->f.db));
}

/* ---- tests ------------------------------------------------------------- */

static void test_create_valid(void **state) {
  T *t = *state;
  PersonInput in;
  char id[IDCARD_MASKED_LEN];
  valid_input(&in, id);
  in.val[PF_BIRTH_DATE] = NULL; /* derived from the ID number */
  in.has[PF_BIRTH_DATE] = false;
  fix_team_add(&in, "家属", "张父", "13900000000");
  fix_team_add(&in, "社区民警", "李警官", "");
  Counts before = counts(t);
  int64_t pid = created(&t->ca, &in);
  assert_counts_grew(t, before, (Counts){.person = 1, .team = 2, .audit = 1});

  Person p = person_got(&t->ca, pid);
  assert_int_equal(p.id, pid);
  assert_int_equal(p.version, 1);
  assert_string_equal(p.f[PF_NAME], "张三");
  assert_string_equal(p.f[PF_ID_NUMBER], id);
  assert_string_equal(p.f[PF_BIRTH_DATE], "1990-01-01");
  assert_string_equal(p.f[PF_DRUG_TYPES], "heroin,methamphetamine");
  assert_string_equal(p.f[PF_NO_JOB], "1");
  assert_string_equal(p.f[PF_NO_HOME], "0");
  assert_string_equal(p.f[PF_ETHNICITY], "");
  assert_string_equal(p.f[PF_FK_BASICS], "第一行\n第二行");
  assert_string_equal(p.org_code, "A");
  assert_string_equal(p.org_name, "甲社区");
  assert_string_equal(p.org_path, t->a.path);
  assert_string_equal(p.status, "");
  assert_string_equal(p.control, "in_control");
  assert_int_equal(p.nteam, 2);
  assert_string_equal(p.team[0].role, "family"); /* the label typed is stored as the role's code */
  assert_string_equal(p.team[0].role_other, "");
  assert_string_equal(p.team[1].name, "李警官");
  assert_int_equal(p.ndocs, 0);
  assert_int_equal(p.nepisodes, 0);
  person_free(&p);
  assert_null(p.team);
  /* The read was audited. */
  assert_counts_grew(t, before, (Counts){.person = 1, .team = 2, .audit = 2});

  /* Lower-case x is stored as X; sex and birth normalised. */
  char id2[IDCARD_MASKED_LEN];
  PersonInput in2;
  memset(&in2, 0, sizeof in2);
  set(&in2, PF_NAME, "  李四 ");
  set(&in2, PF_SEX, "f");
  set(&in2, PF_ID_NUMBER, "11010519491231002x");
  in2.has_org = true;
  in2.org_code = "A";
  (void)id2;
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_create(&t->ca, &in2, &pid, &e), ERR_OK);
  p = person_got(&t->ca, pid);
  assert_string_equal(p.f[PF_NAME], "李四");
  assert_string_equal(p.f[PF_SEX], "F");
  assert_string_equal(p.f[PF_ID_NUMBER], "11010519491231002X");
  assert_string_equal(p.f[PF_BIRTH_DATE], "1949-12-31");
  person_free(&p);
}

static void test_validation(void **state) {
  T *t = *state;
  PersonInput in;
  char id[IDCARD_MASKED_LEN];

  /* Bad checksum. */
  valid_input(&in, id);
  char bad[IDCARD_MASKED_LEN];
  memcpy(bad, id, sizeof bad);
  bad[17] = bad[17] == '0' ? '1' : '0';
  in.val[PF_ID_NUMBER] = bad;
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "id_number", idcard_message(IDCARD_BAD_CHECKSUM));
  in.val[PF_ID_NUMBER] = "12345";
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "id_number", idcard_message(IDCARD_BAD_LENGTH));

  /* One field wrong in a valid input: sex and birth date against the ID
   * number, a future date, first found before birth, drugs. */
  static const struct {
    PersonFieldId f;
    const char *value, *field, *msg; /* msg NULL: any message */
  } wrong[] = {
      {PF_SEX, "F", "sex", "性别与身份证号不符"},
      {PF_SEX, "Q", "sex", NULL},
      {PF_BIRTH_DATE, "1990-01-02", "birth_date", "出生日期与身份证号不符"},
      {PF_BIRTH_DATE, "1990-02-30", "birth_date", "日期格式应为YYYY-MM-DD，且须是有效日期"},
      {PF_FIRST_FOUND_DATE, "2025-06-02", "first_found_date", "日期不能晚于今天"},
      {PF_FIRST_FOUND_DATE, "1989-12-31", "first_found_date", "首次发现日期不能早于出生日期"},
      {PF_DRUG_TYPES, "heroin,crack", "drug_types", "毒品种类无效"},
      {PF_DRUG_TYPES, "heroin, ketamine,heroin", "drug_types", "毒品种类重复"},
  };
  for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
    valid_input(&in, id);
    set(&in, wrong[i].f, wrong[i].value);
    expect_create_error(t, &t->ca, &in, ERR_INVALID, wrong[i].field, wrong[i].msg);
  }

  /* Name: required, too long (61 characters, the limit in the message), invalid UTF-8, control character. */
  valid_input(&in, id);
  set(&in, PF_NAME, "   ");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "name", "此项必填");
  char longname[64];
  memset(longname, 'a', 61);
  longname[61] = 0;
  set(&in, PF_NAME, longname);
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "name", "不能超过60个字");
  longname[60] = 0; /* 60 characters are fine: checked below by a successful create */
  set(&in, PF_NAME, "张\xE4\xB8");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "name", "含有无效字符");
  set(&in, PF_NAME, "\xC0\xAF");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "name", "含有无效字符");
  set(&in, PF_NAME, "张\x01三");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "name", "含有无效字符");
  set(&in, PF_NAME, "张\n三");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "name", "含有无效字符");

  /* Phone, flags, long text bound. */
  valid_input(&in, id);
  set(&in, PF_PHONE, "138abc");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "phone", FIELD_M_PHONE);
  valid_input(&in, id);
  set(&in, PF_NO_HOME, "yes");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "no_home", "只能是0或1");
  valid_input(&in, id);
  char *big = malloc(4002);
  memset(big, 'x', 4001);
  big[4001] = 0;
  set(&in, PF_FK_CONTACTS, big);
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "fk_contacts", "不能超过4000个字");
  free(big);

  /* Missing required fields all reported at once. */
  memset(&in, 0, sizeof in);
  Err e;
  err_clear(&e);
  int64_t pid;
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "name"));
  assert_non_null(err_field_msg(&e, "sex"));
  assert_non_null(err_field_msg(&e, "id_number"));
  assert_non_null(err_field_msg(&e, "birth_date"));
  assert_string_equal(err_field_msg(&e, "org"), "请选择责任社区");

  /* Org: out of scope, unknown, not a community. */
  valid_input(&in, id);
  in.org_code = "B";
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "org", "所选社区不存在或不在您的管辖范围内");
  in.org_code = "NOPE";
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "org", "所选社区不存在或不在您的管辖范围内");
  in.org_code = "S1";
  expect_create_error(t, &t->cadmin, &in, ERR_INVALID, "org", "请选择社区一级的单位");

  /* Help team. */
  valid_input(&in, id);
  fix_team_add(&in, "家属", "", "");
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "help_team", "帮教小组成员的角色和姓名必填");
  in.team[0].name = "张父";
  in.team[0].phone = "call me";
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "help_team", "帮教小组成员电话号码无效");
  in.nteam = PERSON_TEAM_MAX + 1;
  expect_create_error(t, &t->ca, &in, ERR_INVALID, "help_team", NULL);

  /* Rights: a viewer may not create. */
  valid_input(&in, id);
  expect_create_error(t, &t->cviewer_a, &in, ERR_FORBIDDEN, NULL, NULL);

  /* The 60-byte name and the valid input pass; the same ID again conflicts,
   * even for an actor who cannot see the first record. */
  valid_input(&in, id);
  set(&in, PF_NAME, longname);
  err_clear(&e);
  assert_int_equal(app_person_validate(&t->ca, &in, true, &e), ERR_OK);
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_OK);
  valid_input(&in, id);
  in.org_code = "B";
  /* The refusal writes nothing but the audit row of what it revealed
   * (test_id_conflict_audited). */
  Counts before = counts(t);
  err_clear(&e);
  assert_int_equal(app_person_create(&t->cb, &in, &pid, &e), ERR_CONFLICT);
  assert_string_equal(err_field_msg(&e, "id_number"), "该身份证号已登记");
  before.audit++;
  assert_counts_equal(before, counts(t));
  /* With another error too, the answer is "invalid" naming both. */
  set(&in, PF_PHONE, "x");
  err_clear(&e);
  assert_int_equal(app_person_validate(&t->cb, &in, true, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "id_number"), "该身份证号已登记");
  assert_non_null(err_field_msg(&e, "phone"));
}

static void test_scope(void **state) {
  T *t = *state;
  int64_t pa = create_named(t, &t->ca, "王五", "11010519800101001", "A");
  int64_t pb = create_named(t, &t->cb, "赵六", "11010519800101002", "B");
  Err e;
  Person p;
  Counts before = counts(t);

  err_clear(&e);
  assert_int_equal(app_person_get(&t->cb, pa, &p, &e), ERR_NOT_FOUND);
  assert_string_equal(e.msg, "记录不存在");
  assert_null(p.f[PF_NAME]);
  err_clear(&e);
  assert_int_equal(app_person_get(&t->cb, 999999, &p, &e), ERR_NOT_FOUND);
  assert_string_equal(e.msg, "记录不存在");

  PersonInput in;
  memset(&in, 0, sizeof in);
  set(&in, PF_PHONE, "110");
  err_clear(&e);
  assert_int_equal(app_person_update(&t->cb, pa, &in, 0, &e), ERR_NOT_FOUND);
  StatusInput si = {.status = "community_detox", .decision_date = "2025-01-01"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->cb, pa, &si, NULL, &e), ERR_NOT_FOUND);
  DocInput di = {"agreement", "2025-01-02", "X-1"};
  err_clear(&e);
  assert_int_equal(app_person_add_doc(&t->cb, pa, &di, &e), ERR_NOT_FOUND);
  assert_counts_equal(before, counts(t));
  assert_false(db_in_transaction(t->f.db));

  /* Lists: each worker sees their own; the admin sees both. */
  PersonQuery q = {0};
  PersonSummary *items;
  int n;
  items = listed(&t->cb, q, 1, &n);
  assert_int_equal(n, 1);
  assert_int_equal(items[0].id, pb);
  free(items);
  q.q = "王";
  items = listed(&t->cb, q, 0, &n);
  assert_int_equal(n, 0);
  free(items);
  q.q = "1101051980";
  items = listed(&t->cb, q, 1, &n);
  assert_int_equal(items[0].id, pb);
  free(items);
  q.q = NULL;
  q.org_code = "A"; /* a unit outside the scope: refused like an unknown one */
  assert_string_equal(list_refused(&t->cb, q, "org"), "所选社区不存在或不在您的管辖范围内");
  q.org_code = NULL;
  items = listed(&t->cadmin, q, 2, &n);
  assert_int_equal(items[0].id, pb); /* newest first */
  assert_int_equal(items[1].id, pa);
  assert_string_equal(items[1].org_code, "A");
  assert_string_equal(items[1].org_name, "甲社区");
  char idn[IDCARD_MASKED_LEN], masked[IDCARD_MASKED_LEN];
  idcard_mask(make_id("11010519800101001", idn), masked);
  assert_string_equal(items[1].id_number, masked);
  free(items);
  q.org_code = "A";
  items = listed(&t->cadmin, q, 1, &n);
  assert_int_equal(items[0].id, pa);
  free(items);
  q.org_code = "S1";
  items = listed(&t->cadmin, q, 2, &n);
  free(items);

  /* A viewer reads but does not write. */
  p = person_got(&t->cviewer_a, pa);
  person_free(&p);
  err_clear(&e);
  assert_int_equal(app_person_update(&t->cviewer_a, pa, &in, 0, &e), ERR_FORBIDDEN);
}

static void test_search_and_paging(void **state) {
  T *t = *state;
  /* 25 persons in A: 张 0..11, 李 12..24; IDs differ in the sequence. */
  int64_t ids[25];
  for (int i = 0; i < 25; i++) {
    char name[32], first17[32];
    snprintf(name, sizeof name, "%s%02d", i < 12 ? "张" : "李", i);
    snprintf(first17, sizeof first17, "3201021985%02d01%03d", (i % 12) + 1, 100 + i);
    ids[i] = create_named(t, &t->ca, name, first17, "A");
  }
  create_named(t, &t->cb, "张在乙", "32010219850101999", "B");
  create_named(t, &t->ca, "小张", "44030519900101001", "A");

  PersonQuery q = {.q = "张"};
  PersonSummary *items;
  int n;
  int64_t total;
  Err e;
  err_clear(&e);
  items = listed(&t->ca, q, 12, &n); /* not 小张 (not a prefix), not 张在乙 (B) */
  assert_int_equal(n, 12);
  assert_int_equal(items[0].id, ids[11]);
  assert_int_equal(items[11].id, ids[0]);
  free(items);
  q.q = "张1";
  items = listed(&t->ca, q, 2, &n); /* 张10, 张11 */
  free(items);
  q.q = "李24";
  items = listed(&t->ca, q, 1, &n);
  assert_int_equal(items[0].id, ids[24]);
  assert_string_equal(items[0].name, "李24");
  free(items);

  /* ID prefix, and a whole ID with a lower-case x. */
  q.q = "320102198503";
  items = listed(&t->ca, q, 2, &n); /* months 03: i = 2 and 14 */
  free(items);
  q.q = "4403";
  items = listed(&t->ca, q, 1, &n);
  assert_string_equal(items[0].name, "小张");
  free(items);
  create_named(t, &t->ca, "钱七", "11010519491231002", "A"); /* ends in X */
  q.q = "11010519491231002x";
  items = listed(&t->ca, q, 1, &n);
  assert_string_equal(items[0].name, "钱七");
  assert_string_equal(items[0].id_number, "110105********002X");
  free(items);

  /* Paging: 27 persons in A. */
  q.q = NULL;
  q.per_page = 10;
  q.page = 1;
  items = listed(&t->ca, q, 27, &n);
  assert_int_equal(n, 10);
  int64_t first = items[0].id;
  free(items);
  q.page = 3;
  items = listed(&t->ca, q, 27, &n);
  assert_int_equal(n, 7);
  assert_int_equal(items[6].id, ids[0]);
  for (int i = 1; i < n; i++) assert_true(items[i - 1].id > items[i].id);
  free(items);
  q.page = 4;
  items = listed(&t->ca, q, 27, &n);
  assert_int_equal(n, 0);
  assert_null(items);
  q.page = 0;
  q.per_page = 0; /* defaults: page 1, 20 per page */
  assert_int_equal(app_person_list(&t->ca, &q, &items, &n, &total, &e), ERR_OK);
  assert_int_equal(n, 20);
  assert_int_equal(items[0].id, first);
  free(items);
  /* The admin at the county: the range scope (not a community). */
  q.per_page = 5;
  items = listed(&t->cadmin, q, 28, &n);
  assert_int_equal(n, 5);
  free(items);

  /* Status filter. */
  StatusInput si = {.status = "community_detox", .decision_date = "2025-01-01"};
  assert_int_equal(app_person_add_status(&t->ca, ids[3], &si, NULL, &e), ERR_OK);
  q = (PersonQuery){.status = "community_detox"};
  items = listed(&t->ca, q, 1, &n);
  assert_int_equal(items[0].id, ids[3]);
  assert_string_equal(items[0].status, "community_detox");
  free(items);
  q.q = "张";
  items = listed(&t->cadmin, q, 1, &n);
  free(items);
  q.q = "李";
  items = listed(&t->cadmin, q, 0, &n);
  free(items);
  assert_non_null(list_refused(&t->ca, (PersonQuery){.status = "bogus"}, "status"));
}

static void test_update(void **state) {
  T *t = *state;
  PersonInput in;
  char id[IDCARD_MASKED_LEN];
  valid_input(&in, id);
  int64_t pid = created(&t->ca, &in);
  Err e;
  err_clear(&e);

  Counts before = counts(t);
  memset(&in, 0, sizeof in);
  set(&in, PF_NAME, "张三丰");
  set(&in, PF_PHONE, "010-12345678");
  fix_team_add(&in, "禁毒社工", "周社工", "");
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 1, &e), ERR_OK);
  assert_counts_grew(t, before, (Counts){.revision = 1, .team = 1, .audit = 1});
  int64_t nrev = 0;
  assert_int_equal(store_person_revision_count(t->f.db, pid, &nrev, &e), ERR_OK);
  assert_int_equal(nrev, 1);
  /* The revision keeps version 1 with the old values. */
  DbStmt *st = db_prepare(t->f.db, "SELECT version, snapshot, changed_by FROM person_revision WHERE person_id = :p", &e);
  db_bind_int(st, ":p", pid);
  assert_int_equal(db_step(st, &e), DB_ROW);
  assert_int_equal(db_col_int(st, 0), 1);
  assert_non_null(strstr(db_col_text(st, 1), "\"name\":\"张三\""));
  assert_non_null(strstr(db_col_text(st, 1), "\"phone\":\"+86 138-0000-0000\""));
  assert_int_equal(db_col_int(st, 2), t->worker_a.user_id);
  db_finalize(st);

  Person p = person_got(&t->ca, pid);
  assert_int_equal(p.version, 2);
  assert_string_equal(p.f[PF_NAME], "张三丰");
  assert_string_equal(p.f[PF_PHONE], "010-12345678");
  assert_string_equal(p.f[PF_DRUG_TYPES], "heroin,methamphetamine"); /* untouched */
  assert_int_equal(p.nteam, 1);
  assert_string_equal(p.team[0].name, "周社工");
  person_free(&p);

  /* A stale version conflicts and writes nothing. */
  before = counts(t);
  memset(&in, 0, sizeof in);
  set(&in, PF_NAME, "张三");
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 1, &e), ERR_CONFLICT);
  assert_counts_equal(before, counts(t));
  /* An invalid change writes nothing either; cross-checks use the stored values. */
  memset(&in, 0, sizeof in);
  set(&in, PF_SEX, "F");
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 2, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "sex"), "性别与身份证号不符");
  assert_counts_equal(before, counts(t));
  /* Nothing changed: no new version. */
  memset(&in, 0, sizeof in);
  set(&in, PF_NAME, "张三丰");
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 2, &e), ERR_OK);
  assert_counts_equal(before, counts(t));

  /* A new ID number brings its birth date; the duplicate of another conflicts. */
  char id2[IDCARD_MASKED_LEN];
  memset(&in, 0, sizeof in);
  set(&in, PF_ID_NUMBER, make_id("11010519920202003", id2));
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 0, &e), ERR_OK);
  p = person_got(&t->ca, pid);
  assert_string_equal(p.f[PF_BIRTH_DATE], "1992-02-02");
  assert_int_equal(p.version, 3);
  person_free(&p);
  int64_t other = create_named(t, &t->ca, "他人", "11010519800101005", "A");
  char id3[IDCARD_MASKED_LEN];
  memset(&in, 0, sizeof in);
  set(&in, PF_ID_NUMBER, make_id("11010519800101005", id3));
  before = counts(t);
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 0, &e), ERR_CONFLICT);
  assert_string_equal(err_field_msg(&e, "id_number"), "该身份证号已登记");
  assert_counts_equal(before, counts(t));
  (void)other;

  /* The admin moves the person to B: worker A loses sight of it. An edit
   * never moves a person (a transfer does, or the correction of a wrong
   * entry, by an office with a reason: issue 12). */
  memset(&in, 0, sizeof in);
  in.has_org = true;
  in.org_code = "B";
  err_clear(&e);
  assert_int_equal(app_person_update(&t->ca, pid, &in, 0, &e), ERR_INVALID); /* A cannot */
  assert_string_equal(err_field_msg(&e, "org"), "所选社区不存在或不在您的管辖范围内");
  err_clear(&e);
  assert_int_equal(app_person_update(&t->cadmin, pid, &in, 0, &e), ERR_INVALID); /* nor the admin by an edit */
  assert_non_null(strstr(err_field_msg(&e, "org"), "变更执行地"));
  assert_counts_equal(before, counts(t));
  err_clear(&e);
  assert_int_equal(app_person_org_correct(&t->ca, pid, &(OrgCorrectionInput){"B", "录错"}, &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_person_org_correct(&t->cadmin, pid, &(OrgCorrectionInput){"B", ""}, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "reason"));
  err_clear(&e);
  assert_int_equal(app_person_org_correct(&t->cadmin, pid, &(OrgCorrectionInput){"A", "录错"}, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "org"), "所选社区就是当前的责任社区");
  assert_counts_equal(before, counts(t));
  err_clear(&e);
  assert_int_equal(app_person_org_correct(&t->cadmin, pid, &(OrgCorrectionInput){"B", "建档时选错社区"}, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_person_get(&t->ca, pid, &p, &e), ERR_NOT_FOUND);
  p = person_got(&t->cb, pid);
  assert_string_equal(p.org_code, "B");
  assert_string_equal(p.org_path, t->b.path);
  person_free(&p);
}

static void test_status(void **state) {
  T *t = *state;
  int64_t pid = create_named(t, &t->ca, "孙八", "11010519800101001", "A");
  Err e;
  int64_t ep1 = 0, ep2 = 0, ep3 = 0;

  /* Invalid inputs write nothing. */
  Counts before = counts(t);
  StatusInput si = {.status = "bogus"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep1, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "status"), "请选择有效的管控状态");
  si = (StatusInput){.status = "community_detox", .decision_date = "2024-03-01", .start_date = "2024-02-29"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep1, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "start_date"), "开始日期不能早于决定日期");
  si = (StatusInput){.status = "community_detox", .start_date = "2025-06-02"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep1, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "start_date"), "日期不能晚于今天");
  si = (StatusInput){.status = "dead", .decision_date = "2024-01-01"}; /* not a first status */
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep1, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "status"), "当前状态不允许变更为该状态");
  assert_counts_equal(before, counts(t));
  assert_int_equal(ep1, 0);

  /* Community detox from 2024-03-01: three years end on 2027-02-28. */
  si = (StatusInput){.status = "community_detox", .decision_date = "2024-02-20", .start_date = "2024-03-01",
                     .decision_no = "某公（禁）决字〔2024〕1号"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep1, &e), ERR_OK);
  assert_true(ep1 > 0);
  Person p = person_got(&t->ca, pid);
  assert_string_equal(p.status, "community_detox");
  assert_string_equal(p.status_since, "2024-03-01");
  assert_int_equal(p.nepisodes, 1);
  assert_string_equal(p.episodes[0].planned_end, "2027-02-28");
  assert_string_equal(p.episodes[0].decision_no, "某公（禁）决字〔2024〕1号");
  assert_string_equal(p.episodes[0].created_by, "wa");
  assert_false(p.episodes[0].voided);
  person_free(&p);

  /* Same status again is not a transition; detox -> isolation is; no start date, no planned end. */
  si = (StatusInput){.status = "community_detox", .decision_date = "2024-05-01"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, NULL, &e), ERR_INVALID);
  si = (StatusInput){.status = "compulsory_isolation", .decision_date = "2024-06-01"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep2, &e), ERR_OK);
  si = (StatusInput){.status = "dead", .decision_date = "2025-01-10"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep3, &e), ERR_OK);
  p = person_got(&t->ca, pid);
  assert_string_equal(p.status, "dead");
  assert_string_equal(p.status_since, "2025-01-10");
  assert_string_equal(p.episodes[1].planned_end, "");
  person_free(&p);

  /* After death nothing follows. */
  before = counts(t);
  const char *all[] = {"community_detox", "compulsory_isolation", "community_rehab", "social_supervision",
                       "detained", "imprisoned", "abstinent_3y", "dead", "emigrated"};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    si = (StatusInput){.status = all[i], .decision_date = "2025-02-01"};
    err_clear(&e);
    assert_int_equal(app_person_add_status(&t->ca, pid, &si, NULL, &e), ERR_INVALID);
    assert_string_equal(err_field_msg(&e, "status"), "当前状态不允许变更为该状态");
  }
  assert_counts_equal(before, counts(t));

  /* The death was recorded by mistake: a correction (checked from the status
   * before it, isolation) replaces it and voids it. */
  int64_t ep4 = 0;
  si = (StatusInput){.status = "community_rehab", .decision_date = "2025-01-10", .start_date = "2025-01-15",
                     .corrects_id = ep3, .note = "误录死亡，更正为社区康复"};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, &ep4, &e), ERR_OK);
  p = person_got(&t->ca, pid);
  assert_string_equal(p.status, "community_rehab");
  assert_string_equal(p.status_since, "2025-01-15");
  assert_int_equal(p.nepisodes, 4);
  assert_true(p.episodes[2].voided);
  assert_int_equal(p.episodes[2].id, ep3);
  assert_false(p.episodes[3].voided);
  assert_int_equal(p.episodes[3].corrects_id, ep3);
  assert_string_equal(p.episodes[3].planned_end, "2028-01-14");
  person_free(&p);
  /* A voided row cannot be corrected again; nor another person's row. */
  si = (StatusInput){.status = "imprisoned", .decision_date = "2025-01-10", .corrects_id = ep3};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "corrects_id"), "要更正的状态记录不存在或已被更正");
  int64_t other = create_named(t, &t->ca, "周九", "11010519800101002", "A");
  si = (StatusInput){.status = "community_rehab", .corrects_id = ep4};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, other, &si, NULL, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "corrects_id"));

  /* Correcting an earlier episode must keep the chain with the episode that
   * follows it (isolation): isolation -> isolation is no transition, social
   * supervision -> isolation is. */
  si = (StatusInput){.status = "compulsory_isolation", .decision_date = "2024-02-20", .corrects_id = ep1};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, NULL, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "status"), "更正后的状态与其后的状态记录不衔接");
  si = (StatusInput){.status = "social_supervision", .decision_date = "2024-02-20", .start_date = "2024-03-02",
                     .corrects_id = ep1};
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, NULL, &e), ERR_OK);
  p = person_got(&t->ca, pid);
  assert_string_equal(p.status, "community_rehab"); /* the current one is unchanged */
  assert_true(p.episodes[0].voided);
  assert_string_equal(p.episodes[4].status, "social_supervision");
  assert_string_equal(p.episodes[4].planned_end, "2027-03-01");
  person_free(&p);
}

/* The planned end of an order that starts on 29 February: three years
 * counted from (and including) 2024-02-29 end on 2027-02-28, the last day
 * of February (there is no 2027-02-29). */
static void test_planned_end_leap_day(void **state) {
  T *t = *state;
  int64_t pid = create_named(t, &t->ca, "郑十一", "11010519800101001", "A");
  StatusInput si = {.status = "community_detox", .decision_date = "2024-02-20", .start_date = "2024-02-29"};
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_add_status(&t->ca, pid, &si, NULL, &e), ERR_OK);
  Person p = person_got(&t->ca, pid);
  assert_string_equal(p.status_since, "2024-02-29");
  char planned[16];
  snprintf(planned, sizeof planned, "%s", p.episodes[0].planned_end);
  person_free(&p);
  assert_string_equal(planned, "2027-02-28");
}

static void test_docs(void **state) {
  T *t = *state;
  int64_t pid = create_named(t, &t->ca, "吴十", "11010519800101001", "A");
  Err e;
  Counts before = counts(t);
  DocInput di = {"contract", "2025-01-01", ""};
  err_clear(&e);
  assert_int_equal(app_person_add_doc(&t->ca, pid, &di, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "kind"));
  di = (DocInput){"agreement", "2026-01-01", ""};
  err_clear(&e);
  assert_int_equal(app_person_add_doc(&t->ca, pid, &di, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "signed_date"), "日期不能晚于今天");
  assert_counts_equal(before, counts(t));
  di = (DocInput){"agreement", "2025-01-01", "XY-001"};
  err_clear(&e);
  assert_int_equal(app_person_add_doc(&t->ca, pid, &di, &e), ERR_OK);
  di = (DocInput){"responsibility_letter", "2025-01-02", NULL};
  assert_int_equal(app_person_add_doc(&t->ca, pid, &di, &e), ERR_OK);
  Person p = person_got(&t->ca, pid);
  assert_int_equal(p.ndocs, 2);
  assert_string_equal(p.docs[0].kind, "agreement");
  assert_string_equal(p.docs[0].number, "XY-001");
  assert_string_equal(p.docs[1].signed_date, "2025-01-02");
  person_free(&p);
  Counts after = counts(t);
  assert_int_equal(after.doc, before.doc + 2);
}

/* Counts audit rows of action on person pid in path by actor username. */
static int64_t count_audit(T *t, const char *action, int64_t pid, const char *path, const char *username) {
  Err e;
  err_clear(&e);
  DbStmt *st = db_query(t->f.db,
                        "SELECT count(*) FROM audit_log WHERE action = :action AND entity = 'person'"
                        " AND entity_id = :id AND org_path = :path AND actor = :actor",
                        &e, DB_TEXT(":action", action), DB_INT(":id", pid), DB_TEXT(":path", path),
                        DB_TEXT(":actor", username));
  int64_t n = -1;
  assert_int_equal(db_scalar(st, &n, &e), ERR_OK);
  return n;
}

/* An ID number is registered once, whatever the scope, so a refused create
 * or change tells the actor that a person they cannot see exists. That
 * disclosure is audited on that person, in its unit ("id_conflict", outside
 * the rolled-back write), by create, validate and update alike; a conflict
 * with a person in the actor's own scope reveals nothing and writes nothing. */
static void test_id_conflict_audited(void **state) {
  T *t = *state;
  int64_t pa = create_named(t, &t->ca, "王五", "11010519800101001", "A");
  int64_t pb = create_named(t, &t->cb, "赵六", "11010519800101002", "B");
  char id[IDCARD_MASKED_LEN];
  PersonInput in;
  Err e;
  int64_t pid = 0;

  /* create, with the ID only as the problem (409) and with another one (400) */
  memset(&in, 0, sizeof in);
  set(&in, PF_NAME, "探查");
  set(&in, PF_SEX, "M");
  set(&in, PF_ID_NUMBER, make_id("11010519800101001", id));
  in.has_org = true;
  in.org_code = "B";
  err_clear(&e);
  assert_int_equal(app_person_create(&t->cb, &in, &pid, &e), ERR_CONFLICT);
  assert_int_equal(count_audit(t, "id_conflict", pa, t->a.path, "wb"), 1);
  set(&in, PF_PHONE, "x");
  err_clear(&e);
  assert_int_equal(app_person_create(&t->cb, &in, &pid, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "id_number"), "该身份证号已登记");
  assert_int_equal(count_audit(t, "id_conflict", pa, t->a.path, "wb"), 2);
  err_clear(&e);
  assert_int_equal(app_person_validate(&t->cb, &in, true, &e), ERR_INVALID);
  assert_int_equal(count_audit(t, "id_conflict", pa, t->a.path, "wb"), 3);
  assert_false(db_in_transaction(t->f.db));

  /* update: B's own person (a woman) given A's person's number */
  memset(&in, 0, sizeof in);
  set(&in, PF_ID_NUMBER, make_id("11010519800101001", id));
  err_clear(&e);
  assert_int_equal(app_person_update(&t->cb, pb, &in, 0, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "id_number"), "该身份证号已登记");
  assert_int_equal(count_audit(t, "id_conflict", pa, t->a.path, "wb"), 4);
  assert_false(db_in_transaction(t->f.db));

  /* the admin sees both: a conflict reveals nothing, nothing is written */
  Counts before = counts(t);
  err_clear(&e);
  assert_int_equal(app_person_update(&t->cadmin, pb, &in, 0, &e), ERR_INVALID);
  assert_counts_equal(before, counts(t));
  assert_int_equal(count_audit(t, "id_conflict", pa, t->a.path, "adm"), 0);
}

/* An ID number whose only fault is its check character still tells its
 * birth date and sex: a sex and a birth date that do not match it are
 * reported in the same answer (not one fault per submit); with the birth
 * date left empty, the check character is the one fault. */
static void test_id_faults_one_round(void **state) {
  T *t = *state;
  PersonInput in;
  char id[IDCARD_MASKED_LEN];
  valid_input(&in, id);
  id[17] = id[17] == '0' ? '1' : '0'; /* a wrong check character */
  set(&in, PF_SEX, "F");               /* sequence digit 1: a man */
  set(&in, PF_BIRTH_DATE, "1991-01-01");
  Counts before = counts(t);
  Err e;
  err_clear(&e);
  int64_t pid = 0;
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "id_number"), "身份证号码校验位不正确，请核对");
  assert_string_equal(err_field_msg(&e, "sex"), "性别与身份证号不符");
  assert_string_equal(err_field_msg(&e, "birth_date"), "出生日期与身份证号不符");
  assert_counts_equal(before, counts(t));
  valid_input(&in, id);
  id[17] = id[17] == '0' ? '1' : '0';
  in.has[PF_BIRTH_DATE] = false;
  err_clear(&e);
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_int_equal(e.nfields, 1);
  assert_string_equal(err_field_msg(&e, "id_number"), "身份证号码校验位不正确，请核对");
  /* a wrong date in the number: no cross-check (its digits tell nothing) */
  valid_input(&in, id);
  set(&in, PF_ID_NUMBER, "110105199013010015");
  err_clear(&e);
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_null(err_field_msg(&e, "sex"));
  assert_null(err_field_msg(&e, "birth_date"));
}

/* A person is registered with its first status in one transaction (the
 * status episode, the current status, the due dates, one audit row); the
 * status fields are checked with the case file's in one round, and a
 * refused registration writes nothing. Without status, the file is work
 * (file_incomplete) until one is registered. */
static void test_create_with_status(void **state) {
  T *t = *state;
  PersonInput in;
  char id[IDCARD_MASKED_LEN];
  valid_input(&in, id);
  in.status = (StatusInput){.status = "community_detox", .decision_date = "2025-05-20", .start_date = "2025-05-25",
                            .decision_no = "示社戒决字〔2025〕1号"};
  Counts before = counts(t);
  int64_t pid = created(&t->ca, &in);
  assert_counts_grew(t, before, (Counts){.person = 1, .episode = 1, .audit = 1});
  Person p = person_got(&t->ca, pid);
  assert_string_equal(p.status, "community_detox");
  assert_string_equal(p.status_since, "2025-05-25");
  assert_string_equal(p.next_test_due, "2025-06-25"); /* heroin, no job: high risk, monthly */
  assert_int_equal(p.nepisodes, 1);
  assert_string_equal(p.episodes[0].decision_no, "示社戒决字〔2025〕1号");
  assert_string_equal(p.episodes[0].planned_end, "2028-05-24");
  person_free(&p);
  assert_int_equal(fix_int(t->f.db, "SELECT count(*) FROM audit_log WHERE action = 'create'"
                                    " AND detail LIKE '%community_detox%'"),
                   1);

  /* every fault at once: the case file's and the status's */
  char id2[IDCARD_MASKED_LEN];
  valid_input(&in, id2);
  set(&in, PF_ID_NUMBER, make_id("11010519900101003", id2));
  set(&in, PF_NAME, "");
  in.status = (StatusInput){.status = "on_holiday", .decision_date = "2025-05-20", .start_date = "2025-05-10",
                            .decision_no = ""};
  before = counts(t);
  Err e;
  err_clear(&e);
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "name"));
  assert_string_equal(err_field_msg(&e, "status"), "请选择有效的管控状态");
  assert_counts_equal(before, counts(t));
  in.status = (StatusInput){.status = "", .decision_date = "2025-05-20"}; /* a decision without its status */
  err_clear(&e);
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "status"));
  in.status = (StatusInput){.status = "community_detox", .decision_date = "2025-05-20", .start_date = "2025-05-10"};
  err_clear(&e);
  assert_int_equal(app_person_create(&t->ca, &in, &pid, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "start_date"), "开始日期不能早于决定日期");
  assert_non_null(err_field_msg(&e, "name"));
  assert_counts_equal(before, counts(t));
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_id_faults_one_round),
    cmocka_unit_test(test_create_with_status),
    cmocka_unit_test(test_create_valid),
    cmocka_unit_test(test_validation),
    cmocka_unit_test(test_scope),
    cmocka_unit_test(test_search_and_paging),
    cmocka_unit_test(test_update),
    cmocka_unit_test(test_status),
    cmocka_unit_test(test_planned_end_leap_day),
    cmocka_unit_test(test_docs),
    cmocka_unit_test(test_id_conflict_audited),
  };
  return FIX_RUN(tests, setup, fix_district_close);
}
