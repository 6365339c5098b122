/* tests/unit/test_auth.c: cmocka tests of signing in and sessions
 * (app/auth.c, store/user.c) and of account administration (app/user.c):
 * password rules, sign-in, wrong and unknown credentials, throttling by
 * account and by address, idle and absolute session expiry, the once-a-minute
 * activity write, sign-out, password change ending the other sessions, the
 * language preference, housekeeping, and the role/scope rules of adding and
 * managing accounts. Each test runs on a fresh temporary SQLite file; the
 * clock is fixed through Ctx.now_unix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/auth.h"
#include "app/user.h"
#include "store/user.h"
#include "tests/unit/fixture.h"

#define T0 1718000000
#define PW "correct-horse-42"
#define MIN 60

/* Adds an account as the command line, asserting success. */
static void add_user(Fix *f, const char *username, const char *role, const char *org) {
  Err e;
  err_clear(&e);
  int rc = app_user_add(&f->c, username, "", role, org, PW, NULL, &e);
  if (rc != ERR_OK) fail_msg("app_user_add %s: %d %s", username, rc, e.msg ? e.msg : "");
}

/* A fresh database with C1 > S1 > M1, M2 and C2 > S2 > M3, and the accounts
 * admin1 (C1), office1 (S1), worker1 (M1), worker3 (M3); clock at T0. */
static int fix_setup(void **state) {
  assert_int_equal(auth_init(), ERR_OK);
  Fix *f = fix_new("auth");
  f->c.now_unix = T0;
  fix_app_org(&f->c, "C1", "C1", "county", NULL);
  fix_app_org(&f->c, "S1", "S1", "street", "C1");
  fix_app_org(&f->c, "M1", "M1", "community", "S1");
  fix_app_org(&f->c, "M2", "M2", "community", "S1");
  fix_app_org(&f->c, "C2", "C2", "county", NULL);
  fix_app_org(&f->c, "S2", "S2", "street", "C2");
  fix_app_org(&f->c, "M3", "M3", "community", "S2");
  add_user(f, "admin1", "admin", "C1");
  add_user(f, "office1", "office", "S1");
  add_user(f, "worker1", "worker", "M1");
  add_user(f, "worker3", "worker", "M3");
  *state = f;
  return 0;
}

/* Sets the clock. */
static void at(Fix *f, int64_t t) { f->c.now_unix = t; }

/* Signs in; returns the code (message in *msg when given). */
static int login(Fix *f, const char *user, const char *pw, const char *addr, char token[65], Actor *a,
                 const char **msg) {
  char csrf[65], tok[65];
  Actor tmp;
  Err e;
  err_clear(&e);
  int rc = auth_login(&f->c, user, pw, addr, "bearer", token ? token : tok, csrf, a ? a : &tmp, &e);
  if (msg) *msg = e.msg;
  if (rc == ERR_OK) {
    assert_int_equal(strlen(token ? token : tok), 64);
    assert_int_equal(strlen(csrf), 64);
  }
  return rc;
}

/* Resolves a session; returns the code. */
static int session(Fix *f, const char *token, Actor *a) {
  Actor tmp;
  char csrf[65];
  Err e;
  err_clear(&e);
  int rc = auth_session(&f->c, token, a ? a : &tmp, csrf, &e);
  if (rc != ERR_OK) {
    assert_int_equal(rc, ERR_UNAUTHORIZED);
    assert_string_equal(e.msg, "会话已过期，请重新登录");
  }
  return rc;
}

/* ---- passwords ---- */

static void test_password_rules(void **state) {
  Fix *f = *state;
  struct { const char *pw; int ok; } cases[] = {
    {"", 0},
    {"short", 0},
    {"abcdefghijk", 0},        /* 11 */
    {"abcdefghijkl", 1},       /* 12 */
    {"一二三四五六七八九十百", 0}, /* 11 characters, 33 bytes */
    {"一二三四五六七八九十百千", 1}, /* 12 characters */
    {"abc\x01" "defghijklmn", 0}, /* control character */
    {"abcdefghijk\xff", 0},    /* not UTF-8 */
    {"abcdefghij\xc0\xaf", 0}, /* overlong */
    {"abcdefghij\xed\xa0\x80", 0}, /* surrogate */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Err e;
    err_clear(&e);
    int rc = auth_password_validate(cases[i].pw, "password", &e);
    if ((rc == ERR_OK) != cases[i].ok) fail_msg("case %zu (%s): %d", i, cases[i].pw, rc);
    if (!cases[i].ok) assert_non_null(err_field_msg(&e, "password"));
  }
  char big[130];
  memset(big, 'a', 129);
  big[129] = 0;
  Err e;
  err_clear(&e);
  assert_int_equal(auth_password_validate(big, "new_password", &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "new_password"), "密码不能超过128字节");
  big[128] = 0;
  err_clear(&e);
  assert_int_equal(auth_password_validate(big, "new_password", &e), ERR_OK);

  /* Through the use case. */
  UserRow u;
  err_clear(&e);
  assert_int_equal(app_user_add(&f->c, "zhang.san", "张三", "worker", "M1", "tooshort", &u, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "password"), "密码至少需要12个字符");
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM app_user WHERE username = 'zhang.san'"), 0);
}

/* ---- signing in ---- */

static void test_login_ok_session_valid(void **state) {
  Fix *f = *state;
  char token[65];
  Actor a;
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", token, &a, NULL), ERR_OK);
  assert_string_equal(a.username, "worker1");
  assert_int_equal(a.role, ROLE_WORKER);
  assert_string_equal(a.org_code, "M1");
  assert_string_equal(a.org_level, "community");
  assert_string_equal(a.address, "10.0.0.5");
  assert_true(a.user_id > 0);

  Actor s;
  char csrf[65];
  Err e;
  err_clear(&e);
  assert_int_equal(auth_session(&f->c, token, &s, csrf, &e), ERR_OK);
  assert_int_equal(s.user_id, a.user_id);
  assert_string_equal(s.org_path, a.org_path);
  assert_int_equal(strlen(csrf), 64);
  assert_true(auth_csrf_equal(csrf, csrf));
  char other[65];
  memcpy(other, csrf, 65);
  other[10] = other[10] == 'a' ? 'b' : 'a';
  assert_false(auth_csrf_equal(csrf, other));
  assert_false(auth_csrf_equal(csrf, ""));
  assert_false(auth_csrf_equal(csrf, NULL));

  /* The token itself is not stored. */
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM session WHERE token_hash = '%s'", token);
  assert_int_equal(fix_int(f->db, sql), 0);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM session"), 1);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM login_attempt WHERE ok = 1"), 1);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'login' AND actor = 'worker1'"), 1);

  /* Malformed tokens. */
  assert_int_equal(session(f, "", NULL), ERR_UNAUTHORIZED);
  assert_int_equal(session(f, NULL, NULL), ERR_UNAUTHORIZED);
  assert_int_equal(session(f, "zz", NULL), ERR_UNAUTHORIZED);
  char upper[65];
  memcpy(upper, token, 65);
  for (int i = 0; i < 64; i++)
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = (char)(upper[i] - 32);
  assert_int_equal(session(f, upper, NULL), ERR_UNAUTHORIZED);
  char wrong[65];
  memcpy(wrong, token, 65);
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  assert_int_equal(session(f, wrong, NULL), ERR_UNAUTHORIZED);

  /* A bad session kind. */
  char csrf2[65], tok2[65];
  err_clear(&e);
  assert_int_equal(auth_login(&f->c, "worker1", PW, "10.0.0.5", "magic", tok2, csrf2, &s, &e), ERR_INVALID);
}

static void test_wrong_password(void **state) {
  Fix *f = *state;
  const char *msg = NULL;
  assert_int_equal(login(f, "worker1", "wrong-password-1", "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_string_equal(msg, "用户名或密码错误");
  assert_int_equal(login(f, "nobody", PW, "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_string_equal(msg, "用户名或密码错误");
  assert_int_equal(login(f, "", "", "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_int_equal(login(f, NULL, NULL, NULL, NULL, NULL, &msg), ERR_UNAUTHORIZED);
  char huge[300];
  memset(huge, 'x', sizeof huge - 1);
  huge[sizeof huge - 1] = 0;
  assert_int_equal(login(f, huge, huge, "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM login_attempt WHERE ok = 0"), 5);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM session"), 0);

  /* An inactive account answers the same even with the right password. */
  Err e;
  err_clear(&e);
  assert_int_equal(app_user_set_active(&f->c, "worker3", false, &e), ERR_OK);
  assert_int_equal(login(f, "worker3", PW, "10.0.0.6", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_string_equal(msg, "用户名或密码错误");
  err_clear(&e);
  assert_int_equal(app_user_set_active(&f->c, "worker3", true, &e), ERR_OK);
  assert_int_equal(login(f, "worker3", PW, "10.0.0.6", NULL, NULL, &msg), ERR_OK);
}

/* Five failures lock the account against the guessing address and against
 * addresses that never signed into it, but not against an address that
 * did (a worker at her usual desk is not locked out by another's guesses);
 * that address has its own five. */
static void test_throttle_account(void **state) {
  Fix *f = *state;
  const char *msg = NULL;
  at(f, T0 - 2 * 24 * 3600); /* worker1 signed in from 10.0.0.7 two days ago */
  assert_int_equal(login(f, "worker1", PW, "10.0.0.7", NULL, NULL, &msg), ERR_OK);
  at(f, T0 - 31 * 24 * 3600); /* and from 10.0.0.8 a month and a day ago: forgotten */
  assert_int_equal(login(f, "worker1", PW, "10.0.0.8", NULL, NULL, &msg), ERR_OK);
  for (int i = 0; i < 5; i++) {
    at(f, T0 + i * MIN);
    assert_int_equal(login(f, "worker1", "wrong-password-1", "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  }
  at(f, T0 + 5 * MIN);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", NULL, NULL, &msg), ERR_THROTTLED);
  assert_string_equal(msg, "登录失败次数过多，请15分钟后再试");
  /* From an address that never signed in (or too long ago): locked too. */
  assert_int_equal(login(f, "worker1", PW, "10.0.0.99", NULL, NULL, &msg), ERR_THROTTLED);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.8", NULL, NULL, &msg), ERR_THROTTLED);
  /* From the known address: signs in. */
  assert_int_equal(login(f, "worker1", PW, "10.0.0.7", NULL, NULL, &msg), ERR_OK);
  /* Other accounts are not affected. */
  assert_int_equal(login(f, "worker3", PW, "10.0.0.5", NULL, NULL, &msg), ERR_OK);
  /* Throttled attempts do not prolong the lock: 15 minutes after the first
   * failure one failure has left the window, so one more try is allowed. */
  at(f, T0 + 15 * MIN + 1);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", NULL, NULL, &msg), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM login_attempt WHERE username = 'worker1' AND address = '10.0.0.5'"),
                   6);
  /* A known address has its own five guesses, no more. */
  for (int i = 0; i < 5; i++)
    assert_int_equal(login(f, "worker1", "wrong-password-2", "10.0.0.7", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.7", NULL, NULL, &msg), ERR_THROTTLED);
}

static void test_throttle_address(void **state) {
  Fix *f = *state;
  const char *msg = NULL;
  char name[32];
  for (int i = 0; i < 20; i++) {
    snprintf(name, sizeof name, "guess%d", i);
    assert_int_equal(login(f, name, "wrong-password-1", "203.0.113.9", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  }
  assert_int_equal(login(f, "worker1", PW, "203.0.113.9", NULL, NULL, &msg), ERR_THROTTLED);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", NULL, NULL, &msg), ERR_OK);
  at(f, T0 + 15 * MIN + 1);
  assert_int_equal(login(f, "worker1", PW, "203.0.113.9", NULL, NULL, &msg), ERR_OK);
}

/* ---- sessions ---- */

static void test_idle_expiry(void **state) {
  Fix *f = *state;
  char token[65];
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", token, NULL, NULL), ERR_OK);
  /* Activity is written at most once a minute. */
  at(f, T0 + 30);
  assert_int_equal(session(f, token, NULL), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT seen_unix FROM session"), T0);
  at(f, T0 + 29 * MIN);
  assert_int_equal(session(f, token, NULL), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT seen_unix FROM session"), T0 + 29 * MIN);
  at(f, T0 + 58 * MIN); /* 29 minutes after the last use */
  assert_int_equal(session(f, token, NULL), ERR_OK);
  at(f, T0 + 58 * MIN + 30 * MIN); /* exactly 30: still alive */
  assert_int_equal(session(f, token, NULL), ERR_OK);
  at(f, T0 + 88 * MIN + 31 * MIN); /* 31 minutes idle */
  assert_int_equal(session(f, token, NULL), ERR_UNAUTHORIZED);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM session"), 0); /* deleted */
  at(f, T0 + 88 * MIN + 31 * MIN + 1);
  assert_int_equal(session(f, token, NULL), ERR_UNAUTHORIZED);
}

static void test_absolute_expiry(void **state) {
  Fix *f = *state;
  char token[65];
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", token, NULL, NULL), ERR_OK);
  int64_t t = T0;
  while (t + 20 * MIN <= T0 + 12 * 3600) {
    t += 20 * MIN;
    at(f, t);
    assert_int_equal(session(f, token, NULL), ERR_OK);
  }
  at(f, T0 + 12 * 3600 + 1);
  assert_int_equal(session(f, token, NULL), ERR_UNAUTHORIZED);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM session"), 0);
}

static void test_logout(void **state) {
  Fix *f = *state;
  char token[65], other[65];
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", token, NULL, NULL), ERR_OK);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", other, NULL, NULL), ERR_OK);
  Err e;
  err_clear(&e);
  assert_int_equal(auth_logout(&f->c, token, &e), ERR_OK);
  assert_int_equal(session(f, token, NULL), ERR_UNAUTHORIZED);
  assert_int_equal(session(f, other, NULL), ERR_OK); /* only that one */
  assert_int_equal(auth_logout(&f->c, token, &e), ERR_OK); /* again: no error */
  assert_int_equal(auth_logout(&f->c, "garbage", &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'logout'"), 1);
}

/* The per-thread session cache: this process's changes take effect at
 * once (sign-out, account disabled), even for a session checked a moment
 * ago; another process's change to the database (here raw SQL on another
 * connection) within 2 seconds; nothing is shared between databases. */
static void test_session_cache(void **state) {
  Fix *f = *state;
  char token[65], t3[65];
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", token, NULL, NULL), ERR_OK);
  assert_int_equal(login(f, "worker3", PW, "10.0.0.5", t3, NULL, NULL), ERR_OK);
  /* t3 first: the cache has 64 slots keyed by the token's hash, so t3 may share
   * worker1's slot; worker1's check must be the last before the change. */
  assert_int_equal(session(f, t3, NULL), ERR_OK);
  assert_int_equal(session(f, token, NULL), ERR_OK); /* now cached */
  Err e;
  err_clear(&e);
  /* another process disables worker1 */
  Db *other = NULL;
  assert_int_equal(db_open(&other, f->path, schema_migrate, &e), ERR_OK);
  assert_int_equal(db_exec(other, "UPDATE app_user SET active = 0 WHERE username = 'worker1'", &e), ERR_OK);
  db_close(other);
  assert_int_equal(session(f, token, NULL), ERR_OK); /* the cached check, same second */
  at(f, T0 + 2);
  assert_int_equal(session(f, token, NULL), ERR_UNAUTHORIZED); /* read again: disabled */
  /* this process disables worker3: at once */
  at(f, T0 + 3);
  assert_int_equal(session(f, t3, NULL), ERR_OK);
  assert_int_equal(app_user_set_active(&f->c, "worker3", false, &e), ERR_OK);
  assert_int_equal(session(f, t3, NULL), ERR_UNAUTHORIZED);
  /* sign-out: at once */
  assert_int_equal(app_user_set_active(&f->c, "worker3", true, &e), ERR_OK);
  assert_int_equal(login(f, "worker3", PW, "10.0.0.5", t3, NULL, NULL), ERR_OK);
  assert_int_equal(session(f, t3, NULL), ERR_OK);
  assert_int_equal(auth_logout(&f->c, t3, &e), ERR_OK);
  assert_int_equal(session(f, t3, NULL), ERR_UNAUTHORIZED);
}

static void test_change_password(void **state) {
  Fix *f = *state;
  char a_tok[65], b_tok[65], c_tok[65];
  Actor me;
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", a_tok, &me, NULL), ERR_OK);
  assert_int_equal(login(f, "worker1", PW, "10.0.0.6", b_tok, NULL, NULL), ERR_OK);
  assert_int_equal(login(f, "worker3", PW, "10.0.0.7", c_tok, NULL, NULL), ERR_OK);
  Ctx mc = f->c;
  mc.actor = &me;
  Err e;

  err_clear(&e);
  assert_int_equal(auth_change_password(&mc, "not-my-password", "brand-new-password", a_tok, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "old_password"), "原密码不正确");
  err_clear(&e);
  assert_int_equal(auth_change_password(&mc, PW, "short", a_tok, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "new_password"));
  err_clear(&e);
  assert_int_equal(auth_change_password(&mc, PW, PW, a_tok, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "new_password"), "新密码不能与原密码相同");
  assert_int_equal(session(f, b_tok, NULL), ERR_OK); /* nothing changed yet */

  err_clear(&e);
  assert_int_equal(auth_change_password(&mc, PW, "brand-new-password", a_tok, &e), ERR_OK);
  assert_int_equal(session(f, a_tok, NULL), ERR_OK);           /* kept */
  assert_int_equal(session(f, b_tok, NULL), ERR_UNAUTHORIZED); /* ended */
  assert_int_equal(session(f, c_tok, NULL), ERR_OK);           /* someone else's */
  const char *msg;
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_int_equal(login(f, "worker1", "brand-new-password", "10.0.0.5", NULL, NULL, &msg), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'change_password'"), 1);

  /* Wrong old passwords count as failed sign-ins: two so far (the wrong old
   * password above and the sign-in with the old one), three more lock. */
  for (int i = 0; i < 3; i++) {
    err_clear(&e);
    assert_int_equal(auth_change_password(&mc, "not-my-password", "another-password-1", NULL, &e), ERR_INVALID);
  }
  err_clear(&e);
  assert_int_equal(auth_change_password(&mc, "brand-new-password", "another-password-1", NULL, &e), ERR_THROTTLED);

  /* The command line has no password of its own. */
  err_clear(&e);
  assert_int_equal(auth_change_password(&f->c, PW, "another-password-1", NULL, &e), ERR_FORBIDDEN);
}

static void test_lang_and_purge(void **state) {
  Fix *f = *state;
  char token[65];
  Actor me;
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", token, &me, NULL), ERR_OK);
  Ctx mc = f->c;
  mc.actor = &me;
  Err e;
  err_clear(&e);
  assert_int_equal(auth_set_lang(&mc, "fr", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "lang"));
  err_clear(&e);
  assert_int_equal(auth_set_lang(&mc, "en", &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM app_user WHERE username = 'worker1' AND lang = 'en'"), 1);
  err_clear(&e);
  assert_int_equal(auth_set_lang(&f->c, "en", &e), ERR_FORBIDDEN);

  /* Housekeeping removes what has expired and old attempts. */
  at(f, T0 + 10 * MIN);
  char t2[65];
  assert_int_equal(login(f, "worker3", PW, "10.0.0.7", t2, NULL, NULL), ERR_OK);
  at(f, T0 + 35 * MIN);
  err_clear(&e);
  assert_int_equal(auth_purge(&f->c, &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM session"), 1); /* worker1's is idle 35 min */
  at(f, T0 + 2 * 86400);
  assert_int_equal(auth_purge(&f->c, &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM session"), 0);
  assert_true(fix_int(f->db, "SELECT count(*) FROM login_attempt") > 0); /* known addresses: 30 days */
  at(f, T0 + 31 * 86400);
  assert_int_equal(auth_purge(&f->c, &e), ERR_OK);
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM login_attempt"), 0);
}

/* ---- account administration ---- */

static void test_user_admin_rules(void **state) {
  Fix *f = *state;
  Actor office;
  assert_int_equal(login(f, "office1", PW, "10.0.1.1", NULL, &office, NULL), ERR_OK);
  Ctx oc = f->c;
  oc.actor = &office;
  Err e;
  UserRow u;

  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "li.si", "李四", "worker", "M1", "a-good-password", &u, &e), ERR_OK);
  assert_string_equal(u.username, "li.si");
  assert_string_equal(u.display_name, "李四");
  assert_string_equal(u.role, "worker");
  assert_string_equal(u.org_code, "M1");
  assert_string_equal(u.password_hash, ""); /* never handed out */
  assert_true(u.active);
  assert_int_equal(login(f, "li.si", "a-good-password", "10.0.0.5", NULL, NULL, NULL), ERR_OK);

  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "li.si", "", "worker", "M2", "a-good-password", &u, &e), ERR_CONFLICT);
  assert_string_equal(e.msg, "用户名已存在");
  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "Li Si", "", "worker", "M1", "a-good-password", &u, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "username"));
  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "ab", "", "boss", "", "x", &u, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "username"));
  assert_non_null(err_field_msg(&e, "role"));
  assert_non_null(err_field_msg(&e, "org"));
  assert_non_null(err_field_msg(&e, "password"));
  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "wang.wu", "", "worker", "S1", "a-good-password", &u, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "role")); /* a worker belongs to a community */
  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "wang.wu", "", "worker", "M3", "a-good-password", &u, &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "org")); /* M3 is outside the street */
  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "wang.wu", "", "admin", "C1", "a-good-password", &u, &e), ERR_FORBIDDEN);
  err_clear(&e);
  assert_int_equal(app_user_add(&oc, "wang.wu", "", "viewer", "S1", "a-good-password", &u, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_user_add(&f->c, "admin9", "", "admin", "S1", "a-good-password", &u, &e), ERR_INVALID);

  /* Workers hold no account rights. */
  Actor worker;
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", NULL, &worker, NULL), ERR_OK);
  Ctx wc = f->c;
  wc.actor = &worker;
  err_clear(&e);
  assert_int_equal(app_user_add(&wc, "zhao.liu", "", "worker", "M1", "a-good-password", &u, &e), ERR_FORBIDDEN);

  /* The list is scoped and carries no hashes. */
  UserRow *list = NULL;
  int n = 0;
  err_clear(&e);
  assert_int_equal(app_user_list(&oc, &list, &n, &e), ERR_OK);
  assert_int_equal(n, 4); /* office1, wang.wu (S1), li.si, worker1 (M1) */
  for (int i = 0; i < n; i++) {
    assert_string_equal(list[i].password_hash, "");
    assert_true(strncmp(list[i].org_path, office.org_path, strlen(office.org_path)) == 0);
  }
  free(list);
  err_clear(&e);
  assert_int_equal(app_user_get(&oc, "worker3", &u, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_user_get(&oc, "admin1", &u, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_user_list(&f->c, &list, &n, &e), ERR_OK);
  assert_int_equal(n, 6);
  free(list);
}

static void test_user_disable_and_reset(void **state) {
  Fix *f = *state;
  Actor office;
  assert_int_equal(login(f, "office1", PW, "10.0.1.1", NULL, &office, NULL), ERR_OK);
  Ctx oc = f->c;
  oc.actor = &office;
  char t1[65], t2[65];
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", t1, NULL, NULL), ERR_OK);
  Err e;

  err_clear(&e);
  assert_int_equal(app_user_set_active(&oc, "worker1", false, &e), ERR_OK);
  assert_int_equal(session(f, t1, NULL), ERR_UNAUTHORIZED);
  err_clear(&e);
  assert_int_equal(app_user_set_active(&oc, "worker1", true, &e), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_user_set_active(&oc, "office1", false, &e), ERR_FORBIDDEN); /* oneself */
  err_clear(&e);
  assert_int_equal(app_user_set_active(&oc, "worker3", false, &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_user_set_active(&oc, "admin1", false, &e), ERR_NOT_FOUND);

  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", t2, NULL, NULL), ERR_OK);
  err_clear(&e);
  assert_int_equal(app_user_reset_password(&oc, "worker1", "short", &e), ERR_INVALID);
  assert_non_null(err_field_msg(&e, "password"));
  err_clear(&e);
  assert_int_equal(app_user_reset_password(&oc, "worker3", "a-reset-password", &e), ERR_NOT_FOUND);
  err_clear(&e);
  assert_int_equal(app_user_reset_password(&oc, "worker1", "a-reset-password", &e), ERR_OK);
  assert_int_equal(session(f, t2, NULL), ERR_UNAUTHORIZED);
  const char *msg;
  assert_int_equal(login(f, "worker1", PW, "10.0.0.5", NULL, NULL, &msg), ERR_UNAUTHORIZED);
  assert_int_equal(login(f, "worker1", "a-reset-password", "10.0.0.5", NULL, NULL, &msg), ERR_OK);

  /* Every write above left one audit row about worker1 in its unit. */
  assert_int_equal(fix_int(f->db, "SELECT count(*) FROM audit_log WHERE entity = 'user' AND action IN "
                                "('disable','enable','reset_password')"),
                   3);
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_password_rules),
    cmocka_unit_test(test_login_ok_session_valid),
    cmocka_unit_test(test_wrong_password),
    cmocka_unit_test(test_throttle_account),
    cmocka_unit_test(test_throttle_address),
    cmocka_unit_test(test_idle_expiry),
    cmocka_unit_test(test_absolute_expiry),
    cmocka_unit_test(test_logout),
    cmocka_unit_test(test_session_cache),
    cmocka_unit_test(test_change_password),
    cmocka_unit_test(test_lang_and_purge),
    cmocka_unit_test(test_user_admin_rules),
    cmocka_unit_test(test_user_disable_and_reset),
  };
  return FIX_RUN(tests, fix_setup, fix_state_close);
}
