/* tests/unit/test_filetype.c: cmocka unit tests for core/filetype.c: the
 * types recognised from their first bytes (and what is refused: an
 * executable renamed .jpg, HTML, SVG, short and empty files), MIME types and
 * extensions, and the names uploaded files keep. */
#include <string.h>

#include "core/filetype.h"
#include "tests/unit/fixture.h"

#define SNIFF(lit) filetype_sniff((const unsigned char *)(lit), sizeof(lit) - 1)

static void test_sniff_accepts(void **state) {
  (void)state;
  assert_int_equal(SNIFF("\xFF\xD8\xFF\xE0\x00\x10" "JFIF"), FT_JPEG);
  assert_int_equal(SNIFF("\xFF\xD8\xFF\xE1\x00\x10" "Exif"), FT_JPEG);
  assert_int_equal(SNIFF("\xFF\xD8\xFF"), FT_JPEG);
  assert_int_equal(SNIFF("\x89PNG\r\n\x1A\n\0\0\0\rIHDR"), FT_PNG);
  assert_int_equal(SNIFF("%PDF-1.7\n%\xE2\xE3\xCF\xD3"), FT_PDF);
  assert_int_equal(SNIFF("%PDF-"), FT_PDF);
}

static void test_sniff_refuses(void **state) {
  (void)state;
  assert_int_equal(SNIFF("MZ\x90\0\3\0\0\0"), FT_NONE);           /* a Windows executable (renamed .jpg) */
  assert_int_equal(SNIFF("\x7F" "ELF\2\1\1"), FT_NONE);            /* a Linux one */
  assert_int_equal(SNIFF("<html><script>alert(1)</script>"), FT_NONE);
  assert_int_equal(SNIFF("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), FT_NONE);
  assert_int_equal(SNIFF("GIF89a"), FT_NONE);
  assert_int_equal(SNIFF("PK\3\4"), FT_NONE);                      /* a zip (docx, xlsx) */
  assert_int_equal(SNIFF("\xFF\xD8"), FT_NONE);                    /* too short to tell */
  assert_int_equal(SNIFF("\x89PNG\r\n\x1A"), FT_NONE);
  assert_int_equal(SNIFF("%PDF"), FT_NONE);
  assert_int_equal(SNIFF(" %PDF-1.4"), FT_NONE);                   /* not at the start */
  assert_int_equal(SNIFF(""), FT_NONE);
  assert_int_equal(filetype_sniff(NULL, 0), FT_NONE);
}

static void test_mime_ext(void **state) {
  (void)state;
  assert_string_equal(filetype_mime(FT_JPEG), "image/jpeg");
  assert_string_equal(filetype_mime(FT_PNG), "image/png");
  assert_string_equal(filetype_mime(FT_PDF), "application/pdf");
  assert_null(filetype_mime(FT_NONE));
  assert_string_equal(filetype_ext(FT_JPEG), ".jpg");
  assert_string_equal(filetype_ext(FT_PDF), ".pdf");
  assert_string_equal(filetype_ext(FT_NONE), "");
  for (FileType t = FT_JPEG; t <= FT_PDF; t++) assert_int_equal(filetype_from_mime(filetype_mime(t)), t);
  assert_int_equal(filetype_from_mime("text/html"), FT_NONE);
  assert_int_equal(filetype_from_mime(NULL), FT_NONE);
  assert_true(filetype_is_image(FT_PNG));
  assert_false(filetype_is_image(FT_PDF));
  assert_int_equal(FILETYPE_MAX_BYTES, 10485760);
}

static void test_clean_name(void **state) {
  (void)state;
  char out[32];
  static const struct {
    const char *name;
    FileType type;
    const char *clean;
  } cases[] = {
    {"协议扫描件.jpg", FT_JPEG, "协议扫描件.jpg"},
    {"C:\\Users\\社工\\照片.png", FT_PNG, "照片.png"},
    {"../../etc/passwd", FT_PDF, "passwd"},
    {"a\r\nb\"c.pdf", FT_PDF, "a__b\"c.pdf"},
    {"bad\xFF\xC0\x80.jpg", FT_JPEG, "bad___.jpg"},
    {"", FT_JPEG, "file.jpg"},
    {NULL, FT_PDF, "file.pdf"},
    {"dir/..", FT_PNG, "file.png"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    filetype_clean_name(cases[i].name, cases[i].type, out, sizeof out);
    assert_string_equal(out, cases[i].clean);
  }
  /* too long: the stem is cut on a character boundary, the extension kept */
  filetype_clean_name("一二三四五六七八九十一二三四五六.jpeg", FT_JPEG, out, sizeof out);
  assert_string_equal(out, "一二三四五六七八.jpeg");
  assert_true(strlen(out) < sizeof out);
  /* a buffer too small for the extension (found by fuzz/fuzz_name.c: an
   * assertion): the name is cut like any other, never past the buffer */
  char tiny[5];
  filetype_clean_name("abcdefgh.jpeg", FT_JPEG, tiny, sizeof tiny);
  assert_string_equal(tiny, "abcd");
  filetype_clean_name("一二三.jpeg", FT_JPEG, tiny, sizeof tiny);
  assert_string_equal(tiny, "一");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sniff_accepts),
    cmocka_unit_test(test_sniff_refuses),
    cmocka_unit_test(test_mime_ext),
    cmocka_unit_test(test_clean_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
