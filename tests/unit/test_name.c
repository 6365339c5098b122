/* tests/unit/test_name.c: cmocka unit tests for core/name.c (issue 12
 * point 5): the characters a name may not hold (bidi controls, zero-width
 * and other format characters, BOM, line separators, invisible fillers,
 * private use, noncharacters, controls) and what it may (Chinese, the
 * minority names' separator, Latin with accents, CJK extension B), the
 * normal form (NFC: compatibility ideographs and combining accents; the
 * separator look-alikes; variation selectors), and the field check that
 * uses them (FF_NAME). */
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/name.h"
#include "tests/unit/fixture.h"

static void test_refused(void **state) {
  (void)state;
  static const char *const bad[] = {
    "张\xE2\x80\xAE三",     /* U+202E RIGHT-TO-LEFT OVERRIDE */
    "张\xE2\x80\xAD三",     /* U+202D LEFT-TO-RIGHT OVERRIDE */
    "\xE2\x81\xA6张三",     /* U+2066 LEFT-TO-RIGHT ISOLATE */
    "张三\xE2\x80\x8F",     /* U+200F RIGHT-TO-LEFT MARK */
    "张\xE2\x80\x8B三",     /* U+200B ZERO WIDTH SPACE */
    "张\xE2\x80\x8D三",     /* U+200D ZERO WIDTH JOINER */
    "张\xE2\x81\xA0三",     /* U+2060 WORD JOINER */
    "\xEF\xBB\xBF张三",     /* U+FEFF BOM */
    "张\xE2\x80\xA8三",     /* U+2028 LINE SEPARATOR */
    "张\xE2\x80\xA9三",     /* U+2029 PARAGRAPH SEPARATOR */
    "张\xC2\xAD三",         /* U+00AD SOFT HYPHEN */
    "张\xE3\x85\xA4三",     /* U+3164 HANGUL FILLER */
    "张\xCD\x8F三",         /* U+034F COMBINING GRAPHEME JOINER */
    "张\xEE\x80\x80三",     /* U+E000 private use */
    "张\xF3\xB0\x80\x80",   /* U+F0000 supplementary private use */
    "张\xEF\xB7\x90三",     /* U+FDD0 noncharacter */
    "张\xEF\xBF\xBF",       /* U+FFFF noncharacter */
    "张\xF0\x9F\xBF\xBE",   /* U+1FFFE noncharacter */
    "张\xF3\xA0\x80\x81",   /* U+E0001 LANGUAGE TAG */
    "张\x01三",             /* a control */
    "张\xC2\x85三",         /* U+0085 NEXT LINE (C1) */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (name_problem(bad[i]) == NULL) fail_msg("refused name %zu was taken", i);
    assert_string_equal(name_problem(bad[i]), NAME_M_INVISIBLE);
  }
}

static void test_taken(void **state) {
  (void)state;
  static const char *const good[] = {
    "张三", "欧阳娜娜", "买买提·艾力", "阿依古丽·吐尔逊", "Zhāng Sān", "Müller", "𠀀𪚥", "李 四", "O'Brien", "王小明（曾用名王明）",
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (name_problem(good[i]) != NULL) fail_msg("name %s was refused", good[i]);
}

/* name_normalize(in) is want. */
static void expect_norm(const char *in, const char *want) {
  char *got = name_normalize(in);
  if (strcmp(got, want) != 0) fail_msg("normalize %s: got %s, want %s", in, got, want);
  free(got);
}

static void test_normalize(void **state) {
  (void)state;
  expect_norm("张三", "张三");
  expect_norm("\xEF\xA8\x8C", "\xE5\x85\x80");               /* U+FA0C compatibility ideograph 兀 → U+5140 */
  expect_norm("\xEF\xA4\x9D", "\xE6\xAC\x84");               /* U+F91D 欄 → U+6B04 */
  expect_norm("Jose\xCC\x81", "Jos\xC3\xA9");                 /* e + COMBINING ACUTE → é */
  expect_norm("Zha\xCC\x84ng", "Zh\xC4\x81ng");               /* a + COMBINING MACRON → ā */
  expect_norm("买买提\xE3\x83\xBB艾力", "买买提\xC2\xB7艾力"); /* katakana middle dot → U+00B7 */
  expect_norm("买买提\xEF\xBD\xA5艾力", "买买提\xC2\xB7艾力"); /* halfwidth */
  expect_norm("买买提\xE2\x80\xA7艾力", "买买提\xC2\xB7艾力"); /* hyphenation point */
  expect_norm("葛\xEF\xB8\x80", "葛");                        /* VS1 taken out */
  expect_norm("葛\xF3\xA0\x84\x80", "葛");                    /* an ideographic variation selector */
  expect_norm("Jose\xEF\xB8\x80\xCC\x81", "Jos\xC3\xA9");     /* a selector between base and mark: out first, then NFC */
  expect_norm("", "");
  expect_norm("\xFF bad", "\xFF bad");                        /* not UTF-8: as it is (the check refuses it) */
  /* one name, two spellings: one text */
  char *a = name_normalize("Jose\xCC\x81"), *b = name_normalize("Jos\xC3\xA9");
  assert_string_equal(a, b);
  free(a);
  free(b);
}

typedef struct { const char *name; } NameIn;

static void test_field_flag(void **state) {
  (void)state;
  static const FieldSpec f = {FIELD_AT(NameIn, name), .label_zh = "姓名", .kind = FK_TEXT, FIELD_CHARS(60),
                              .required = true, .flags = FF_NAME};
  Err e;
  err_clear(&e);
  assert_true(field_check(&f, &(NameIn){"张三"}, 0, &e));
  assert_false(field_check(&f, &(NameIn){"张\xE2\x80\xAE三"}, 0, &e));
  assert_string_equal(err_field_msg(&e, "name"), NAME_M_INVISIBLE);
  err_clear(&e);
  assert_false(field_check(&f, &(NameIn){"张\x07三"}, 0, &e)); /* a control: the text rule's message first */
  assert_string_equal(err_field_msg(&e, "name"), FIELD_M_BAD_TEXT);
  /* without the flag a text field takes a zero-width space (other texts are not names) */
  static const FieldSpec plain = {FIELD_AT(NameIn, name), .label_zh = "备注", .kind = FK_TEXT, FIELD_CHARS(60)};
  err_clear(&e);
  assert_true(field_check(&plain, &(NameIn){"张\xE2\x80\x8B三"}, 0, &e));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_refused),
    cmocka_unit_test(test_taken),
    cmocka_unit_test(test_normalize),
    cmocka_unit_test(test_field_flag),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
