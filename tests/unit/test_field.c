/* tests/unit/test_field.c: cmocka tests of the field tables' checker
 * (core/field.c): every kind, lengths counted in characters (Chinese and
 * 4-byte characters), every error in one round, the edges of bounds, and
 * the messages that name their limit; and that every table of app/ has
 * the messages of its limits in the English catalog. */
#include <stdio.h>
#include <string.h>

#include "app/approval.h"
#include "app/dataset.h"
#include "app/eradication.h"
#include "app/person.h"
#include "app/supervision.h"
#include "app/unit_task.h"
#include "core/field.h"
#include "core/person_field.h"
#include "tests/unit/fixture.h"
#include "web/i18n.h"

typedef struct Rec {
  const char *text, *longt, *date, *past, *flag, *choice, *set, *id, *phone;
  int64_t n;
} Rec;

static const char *const COLOURS[] = {"red", "green", "blue", NULL};

static const FieldSpec rec_fields[] = {
  {FIELD_AT(Rec, text), .label_zh = "文字", .kind = FK_TEXT, FIELD_CHARS(5), .required = true},
  {FIELD_AT(Rec, longt), .label_zh = "长文", .kind = FK_LONG, FIELD_CHARS(6)},
  {FIELD_AT(Rec, date), .label_zh = "日期", .kind = FK_DATE},
  {FIELD_AT(Rec, past), .label_zh = "过去", .kind = FK_DATE, .flags = FF_NOT_FUTURE},
  {FIELD_AT(Rec, flag), .label_zh = "是否", .kind = FK_BOOL},
  {FIELD_AT(Rec, choice), .label_zh = "颜色", .kind = FK_ENUM, .choices = COLOURS, .msg = "请选择颜色"},
  {FIELD_AT(Rec, set), .label_zh = "多色", .kind = FK_ENUM_SET, .choices = COLOURS},
  {FIELD_AT(Rec, id), .label_zh = "身份证号", .kind = FK_ID},
  {FIELD_AT(Rec, phone), .label_zh = "电话", .kind = FK_PHONE, FIELD_CHARS(20)},
  {FIELD_AT(Rec, n), .label_zh = "天数", .kind = FK_INT, FIELD_RANGE(1, 3650)},
};
static const RecordSpec rec_record = RECORD_SPEC("rec", rec_fields);

/* The message for field key after checking r alone (NULL when fine). */
static const char *check_one(const Rec *r, const char *key, Err *e) {
  err_clear(e);
  field_check_record(&rec_record, r, date_from_ymd(2025, 6, 1), e);
  return err_field_msg(e, key);
}

/* Characters, not bytes: 5 Chinese characters (15 bytes) and 5 four-byte
 * characters fit a bound of 5; a sixth does not, and the message names the
 * limit. */
static void test_chars(void **state) {
  (void)state;
  assert_int_equal(field_chars(""), 0);
  assert_int_equal(field_chars("abc"), 3);
  assert_int_equal(field_chars("张三丰"), 3);
  assert_int_equal(field_chars("\xF0\xA0\xAE\xB7" "a"), 2); /* U+20BB7 𠮷 and a */
  Err e;
  Rec r = {.text = "张三丰李四"};
  assert_null(check_one(&r, "text", &e));
  assert_int_equal(e.code, ERR_OK);
  r.text = "\xF0\xA0\xAE\xB7\xF0\xA0\xAE\xB7\xF0\xA0\xAE\xB7\xF0\xA0\xAE\xB7\xF0\xA0\xAE\xB7";
  assert_null(check_one(&r, "text", &e));
  r.text = "张三丰李四王";
  assert_string_equal(check_one(&r, "text", &e), "不能超过5个字");
  r.text = "abcdef";
  assert_string_equal(check_one(&r, "text", &e), "不能超过5个字");
}

/* Text: required, valid UTF-8 without control characters; a long text
 * allows tab, CR and LF; overlong forms, surrogates and C1 are refused. */
static void test_text(void **state) {
  (void)state;
  Err e;
  Rec r = {0};
  assert_string_equal(check_one(&r, "text", &e), FIELD_M_REQUIRED);
  r.text = "";
  assert_string_equal(check_one(&r, "text", &e), FIELD_M_REQUIRED);
  static const char *const bad[] = {"a\nb", "a\x01", "\xC0\xAF", "\xE4\xB8", "\xED\xA0\x80", "\xC2\x85", "a\x7F"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    r.text = bad[i];
    assert_string_equal(check_one(&r, "text", &e), FIELD_M_BAD_TEXT);
  }
  r.text = "ok";
  r.longt = "一\n二\t三\r";
  assert_null(check_one(&r, "longt", &e));
  r.longt = "一二三四五六七";
  assert_string_equal(check_one(&r, "longt", &e), "不能超过6个字");
  r.longt = "a\x02";
  assert_string_equal(check_one(&r, "longt", &e), FIELD_M_BAD_TEXT);
}

/* Dates: valid days only; FF_NOT_FUTURE refuses the day after today. */
static void test_dates(void **state) {
  (void)state;
  Err e;
  Rec r = {.text = "a", .date = "2024-02-29", .past = "2025-06-01"};
  assert_null(check_one(&r, "date", &e));
  assert_null(check_one(&r, "past", &e));
  r.date = "2025-02-29";
  assert_string_equal(check_one(&r, "date", &e), FIELD_M_BAD_DATE);
  r.date = "2025/01/01";
  assert_string_equal(check_one(&r, "date", &e), FIELD_M_BAD_DATE);
  r.date = "2030-01-01"; /* no flag: the future is fine */
  assert_null(check_one(&r, "date", &e));
  r.past = "2025-06-02";
  assert_string_equal(check_one(&r, "past", &e), FIELD_M_FUTURE);
}

/* Integers: 0 is "not given"; the bounds' edges; the message names them. */
static void test_int_bounds(void **state) {
  (void)state;
  Err e;
  Rec r = {.text = "a"};
  int64_t ok[] = {0, 1, 3650}, bad[] = {-1, 3651, INT64_MAX};
  for (size_t i = 0; i < 3; i++) {
    r.n = ok[i];
    assert_null(check_one(&r, "n", &e));
    r.n = bad[i];
    assert_string_equal(check_one(&r, "n", &e), "应在1到3650之间");
  }
}

/* Flags, choices, sets, ID numbers, phone numbers. */
static void test_kinds(void **state) {
  (void)state;
  Err e;
  Rec r = {.text = "a", .flag = "1", .choice = "red", .set = "red, blue,,green", .id = "11010519491231002X",
           .phone = "+86 138 0013 8000"};
  check_one(&r, "text", &e);
  assert_int_equal(e.code, ERR_OK);
  r.flag = "yes";
  assert_string_equal(check_one(&r, "flag", &e), FIELD_M_BOOL);
  r.choice = "pink";
  assert_string_equal(check_one(&r, "choice", &e), "请选择颜色");
  r.set = "red,pink";
  assert_string_equal(check_one(&r, "set", &e), FIELD_M_CHOICE);
  r.id = "110105194912310021";
  assert_non_null(check_one(&r, "id", &e));
  r.phone = "call me";
  assert_string_equal(check_one(&r, "phone", &e), FIELD_M_PHONE);
  r.phone = "13800138000 13800138000";
  assert_string_equal(check_one(&r, "phone", &e), "不能超过20个字");
}

/* Phone numbers: mobile numbers (11 digits 1[3-9]..., +86, grouped by
 * spaces or hyphens) and landlines with their area code (parentheses,
 * extensions after - or 转); everything else is refused with a message that
 * says what is taken. */
static void test_phone(void **state) {
  (void)state;
  static const char *const good[] = {
    "13800138000", "138 0013 8000", "138-0013-8000", "+86 13800138000", "+8613800138000", "+86-138-0013-8000",
    "19912345678", "010-12345678", "010 12345678", "0755-8888666", "(0755)88886666", "(010) 1234 5678",
    "0571-87654321-801", "0571-8765-4321", "010-12345678转123", "01012345678", "075588886666", "0398765432",
  };
  static const char *const bad[] = {
    "138001380000", "1380013800", "12800138000", "23800138000", "call me", "138abc", "+1 2025550123",
    "+86 010-12345678", "010-01234567", "010-123456", "010-123456789", "10-12345678", "01-12345678",
    "0755--88886666", "010-12345678-1234567", "010-12345678 123", "(010-12345678", "0101234567890",
    "13800138000-1", "010-12345678转", "-13800138000", "13800138000 ", "+86", "0", "1",
  };
  Err e;
  Rec r = {.text = "a"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    r.phone = good[i];
    if (check_one(&r, "phone", &e)) fail_msg("%s refused", good[i]);
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    r.phone = bad[i];
    const char *m = check_one(&r, "phone", &e);
    if (!m || strcmp(m, FIELD_M_PHONE) != 0) fail_msg("%s: %s", bad[i], m ? m : "accepted");
  }
}

/* Every field at fault is reported in one round, each with its message. */
static void test_all_errors(void **state) {
  (void)state;
  Rec r = {.longt = "七个字七个字七", .date = "x", .past = "2099-01-01", .flag = "2", .choice = "x", .set = "x",
           .id = "1", .phone = "x", .n = -5};
  Err e;
  err_clear(&e);
  assert_int_equal(field_check_record(&rec_record, &r, date_from_ymd(2025, 6, 1), &e), ERR_INVALID);
  assert_int_equal(e.nfields, rec_record.n);
  for (int i = 0; i < rec_record.n; i++) assert_non_null(err_field_msg(&e, rec_fields[i].key));
}

/* The tables of app/: keys unique, limits' messages match the limits, and
 * every label and message has its English entry. */
static void test_app_tables(void **state) {
  (void)state;
  const RecordSpec *all[] = {&person_record, &visit_record, &test_record, &event_record, &approval_record,
                             &decision_record, &status_record, &doc_record, &help_member_record,
                             &eradication_record, &unit_work_record, &unit_rhythm_record, &dataset_unlock_record};
  for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
    const RecordSpec *rs = all[k];
    for (int i = 0; i < rs->n; i++) {
      const FieldSpec *f = &rs->fields[i];
      assert_ptr_equal(field_by_key(rs, f->key), f);
      const char *texts[] = {f->label_zh, f->msg, f->msg_bound};
      for (int t = 0; t < 3; t++)
        if (texts[t]) {
          if (strcmp(i18n_text("en", texts[t]), texts[t]) == 0) fail_msg("%s.%s: no English for %s", rs->name, f->key, texts[t]);
        }
      if (f->msg_bound && f->kind != FK_INT) {
        char want[64];
        snprintf(want, sizeof want, "不能超过%lld个字", (long long)f->max);
        assert_string_equal(f->msg_bound, want);
      }
    }
  }
  assert_string_equal(field_json_name(&visit_record, "fk_basics"), "five_knowns.basics");
  assert_string_equal(field_json_name(&visit_record, "date"), "date");
  assert_string_equal(field_json_name(&visit_record, "org"), "org");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_chars),     cmocka_unit_test(test_text),       cmocka_unit_test(test_dates),
    cmocka_unit_test(test_int_bounds), cmocka_unit_test(test_kinds),     cmocka_unit_test(test_all_errors),
    cmocka_unit_test(test_app_tables), cmocka_unit_test(test_phone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
