/* tests/unit/test_idcard.c: cmocka unit tests for core/idcard.c (check
 * character, validation, birth date and sex, normalisation, masking). The
 * valid numbers below had their check characters computed independently
 * (one for each of the eleven possible check characters). */
#include <string.h>

#include "core/idcard.h"
#include "tests/unit/fixture.h"

typedef struct {
  const char *id;
  const char *birth; /* ISO */
  char sex;
} ValidId;

static const ValidId VALID[] = {
  {"320102196811301000", "1968-11-30", 'F'},
  {"370102196007011001", "1960-07-01", 'F'},
  {"510107199001011002", "1990-01-01", 'F'},
  {"500103201203151073", "2012-03-15", 'M'},
  {"330106197510151004", "1975-10-15", 'F'},
  {"440305200002291005", "2000-02-29", 'F'},
  {"110105194912311006", "1949-12-31", 'F'},
  {"610113195506201007", "1955-06-20", 'F'},
  {"130102198811081638", "1988-11-08", 'M'},
  {"310104198002291009", "1980-02-29", 'F'},
  {"42011119001231107X", "1900-12-31", 'M'},
  {"11010519491231002X", "1949-12-31", 'F'}, /* the well-known example */
  {"11010520240229002X", "2024-02-29", 'F'},
};
#define NVALID (sizeof VALID / sizeof VALID[0])

/* Check characters of the valid numbers, covering all eleven values. */
static void test_check_char(void **state) {
  (void)state;
  int seen[256] = {0};
  for (size_t i = 0; i < NVALID; i++) {
    char c = idcard_check_char(VALID[i].id);
    assert_int_equal(c, VALID[i].id[17]);
    seen[(unsigned char)c] = 1;
  }
  for (const char *p = "0123456789X"; *p; p++)
    if (!seen[(unsigned char)*p]) fail_msg("check char %c not covered", *p);
  assert_int_equal(idcard_check_char("11010519491231002"), 'X');
  assert_int_equal(idcard_check_char("00000000000000000"), '1'); /* remainder 0 */
}

/* Valid numbers pass and give birth date and sex; info may be NULL. */
static void test_valid(void **state) {
  (void)state;
  for (size_t i = 0; i < NVALID; i++) {
    IdcardInfo info = {.birth = -1, .sex = '?'};
    IdcardResult r = idcard_validate(VALID[i].id, &info);
    if (r != IDCARD_OK) fail_msg("%s: result %d", VALID[i].id, (int)r);
    assert_int_equal(info.birth, fix_day(VALID[i].birth));
    assert_int_equal(info.sex, VALID[i].sex);
    assert_int_equal(idcard_validate(VALID[i].id, NULL), IDCARD_OK);
  }
}

/* Every wrong last character of every valid number is a checksum error. */
static void test_wrong_checksum(void **state) {
  (void)state;
  for (size_t i = 0; i < NVALID; i++) {
    char id[IDCARD_LEN + 1];
    memcpy(id, VALID[i].id, sizeof id);
    for (const char *p = "0123456789Xx"; *p; p++) {
      char want = VALID[i].id[17];
      if (*p == want || (*p == 'x' && want == 'X')) continue;
      id[17] = *p;
      IdcardInfo info = {.birth = 7, .sex = '?'};
      if (idcard_validate(id, &info) != IDCARD_BAD_CHECKSUM) fail_msg("%s accepted", id);
      assert_int_equal(info.birth, 7); /* untouched on failure */
      assert_int_equal(info.sex, '?');
    }
  }
  /* A changed body digit breaks the checksum too. */
  assert_int_equal(idcard_validate("11010519491231003X", NULL), IDCARD_BAD_CHECKSUM);
  assert_int_equal(idcard_validate("21010519491231002X", NULL), IDCARD_BAD_CHECKSUM);
}

/* idcard_read: the birth date and sex of a number whose only fault is its
 * check character; nothing from a number with a bad length, character or
 * date. */
static void test_read(void **state) {
  (void)state;
  IdcardInfo info = {.birth = 7, .sex = '?'};
  assert_true(idcard_read("11010519491231002X", &info));
  assert_day(info.birth, "1949-12-31");
  assert_int_equal(info.sex, 'F');
  info = (IdcardInfo){.birth = 7, .sex = '?'};
  assert_true(idcard_read("110105194912310021", &info)); /* wrong check character */
  assert_day(info.birth, "1949-12-31");
  assert_int_equal(info.sex, 'F');
  static const char *const bad[] = {"11010519491331002X", "1101051949123100", "11010519491231A02X", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    info = (IdcardInfo){.birth = 7, .sex = '?'};
    assert_false(idcard_read(bad[i], &info));
    assert_int_equal(info.birth, 7);
  }
}

/* A lower-case x is accepted as X. */
static void test_lowercase_x(void **state) {
  (void)state;
  IdcardInfo info;
  assert_int_equal(idcard_validate("11010519491231002x", &info), IDCARD_OK);
  assert_int_equal(info.birth, fix_day("1949-12-31"));
  assert_int_equal(info.sex, 'F');
  assert_int_equal(idcard_validate("42011119001231107x", &info), IDCARD_OK);
  assert_int_equal(info.sex, 'M');
}

/* Not exactly 18 characters. */
static void test_bad_length(void **state) {
  (void)state;
  assert_int_equal(idcard_validate("11010519491231002", NULL), IDCARD_BAD_LENGTH);   /* 17 */
  assert_int_equal(idcard_validate("11010519491231002X0", NULL), IDCARD_BAD_LENGTH); /* 19 */
  assert_int_equal(idcard_validate("", NULL), IDCARD_BAD_LENGTH);
  assert_int_equal(idcard_validate(NULL, NULL), IDCARD_BAD_LENGTH);
  assert_int_equal(idcard_validate("110105491231002", NULL), IDCARD_BAD_LENGTH); /* old 15-digit */
  assert_int_equal(idcard_validate("11010519491231002X ", NULL), IDCARD_BAD_LENGTH);
}

/* Non-digits in the body, or a last character other than 0-9/X/x. */
static void test_bad_char(void **state) {
  (void)state;
  assert_int_equal(idcard_validate("1101051949123100AX", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate("A1010519491231002X", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate("110105X9491231002X", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate("110105-9491231002X", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate(" 1010519491231002X", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate("11010519491231002Y", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate("11010519491231002 ", NULL), IDCARD_BAD_CHAR);
  assert_int_equal(idcard_validate("1101051949123100xX", NULL), IDCARD_BAD_CHAR);
}

/* Digits 7-14 must be a real date in 1900..2199 (check characters here are
 * correct, so only the date is wrong). */
static void test_bad_date(void **state) {
  (void)state;
  assert_int_equal(idcard_validate("110105194902300012", NULL), IDCARD_BAD_DATE); /* Feb 30 */
  assert_int_equal(idcard_validate("440524188001010014", NULL), IDCARD_BAD_DATE); /* 1880 */
  assert_int_equal(idcard_validate("110105189912310015", NULL), IDCARD_BAD_DATE); /* 1899 */
  assert_int_equal(idcard_validate("110105190002290017", NULL), IDCARD_BAD_DATE); /* 1900 not leap */
  assert_int_equal(idcard_validate("110105202302290014", NULL), IDCARD_BAD_DATE); /* 2023 not leap */
  assert_int_equal(idcard_validate("110105199013010018", NULL), IDCARD_BAD_DATE); /* month 13 */
  assert_int_equal(idcard_validate("110105199001000015", NULL), IDCARD_BAD_DATE); /* day 0 */
  /* A bad date is reported before a bad checksum. */
  assert_int_equal(idcard_validate("110105194902300010", NULL), IDCARD_BAD_DATE);
}

/* Sex from digit 17: odd is male, even is female. */
static void test_sex(void **state) {
  (void)state;
  /* Same body with digit 17 from 0 to 9; the check character is computed. */
  for (int digit = 0; digit <= 9; digit++) {
    char id[IDCARD_LEN + 1] = "11010519491231000?";
    id[16] = (char)('0' + digit);
    id[17] = idcard_check_char(id);
    IdcardInfo info;
    assert_int_equal(idcard_validate(id, &info), IDCARD_OK);
    assert_int_equal(info.sex, digit % 2 ? 'M' : 'F');
  }
  IdcardInfo info;
  assert_int_equal(idcard_validate("130102198811081638", &info), IDCARD_OK);
  assert_int_equal(info.sex, 'M');
  assert_int_equal(idcard_validate("510107199001011002", &info), IDCARD_OK);
  assert_int_equal(info.sex, 'F');
}

/* Normalisation makes x upper-case and copies at most 18 characters. */
static void test_normalize(void **state) {
  (void)state;
  char out[IDCARD_MASKED_LEN];
  idcard_normalize("11010519491231002x", out);
  assert_string_equal(out, "11010519491231002X");
  idcard_normalize("11010519491231002X", out);
  assert_string_equal(out, "11010519491231002X");
  idcard_normalize("510107199001011002", out);
  assert_string_equal(out, "510107199001011002");
  idcard_normalize("12x", out);
  assert_string_equal(out, "12X");
  idcard_normalize("", out);
  assert_string_equal(out, "");
  idcard_normalize(NULL, out);
  assert_string_equal(out, "");
  idcard_normalize("11010519491231002X0000", out);
  assert_string_equal(out, "11010519491231002X");
}

/* Masking keeps the first 6 and the last 4 characters. */
static void test_mask(void **state) {
  (void)state;
  char out[IDCARD_MASKED_LEN];
  idcard_mask("11010519491231002X", out);
  assert_string_equal(out, "110105********002X");
  idcard_mask("11010519491231002x", out);
  assert_string_equal(out, "110105********002X");
  idcard_mask("510107199001011002", out);
  assert_string_equal(out, "510107********1002");
  idcard_mask("1234567890", out); /* 10 characters */
  assert_string_equal(out, "123456********7890");
  idcard_mask("123456789", out); /* 9: fully masked */
  assert_string_equal(out, "*********");
  idcard_mask("12345", out);
  assert_string_equal(out, "*****");
  idcard_mask("", out);
  assert_string_equal(out, "");
  idcard_mask(NULL, out);
  assert_string_equal(out, "");
  idcard_mask("1234567890123456789012345", out); /* long: still 18 */
  assert_string_equal(out, "123456********2345");
}

/* Messages: Chinese text for every error, NULL for OK. */
static void test_messages(void **state) {
  (void)state;
  assert_null(idcard_message(IDCARD_OK));
  const IdcardResult errs[] = {IDCARD_BAD_LENGTH, IDCARD_BAD_CHAR, IDCARD_BAD_DATE,
                               IDCARD_BAD_CHECKSUM};
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
    const char *m = idcard_message(errs[i]);
    assert_non_null(m);
    assert_non_null(strstr(m, "身份证"));
    for (size_t j = 0; j < i; j++) assert_string_not_equal(m, idcard_message(errs[j]));
  }
  assert_non_null(idcard_message((IdcardResult)99));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_check_char),
    cmocka_unit_test(test_valid),
    cmocka_unit_test(test_wrong_checksum),
    cmocka_unit_test(test_read),
    cmocka_unit_test(test_lowercase_x),
    cmocka_unit_test(test_bad_length),
    cmocka_unit_test(test_bad_char),
    cmocka_unit_test(test_bad_date),
    cmocka_unit_test(test_sex),
    cmocka_unit_test(test_normalize),
    cmocka_unit_test(test_mask),
    cmocka_unit_test(test_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
