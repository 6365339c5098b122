/* tests/unit/test_xlsx.c: cmocka unit tests for web/xlsx.c: a small
 * workbook of every column kind is written, then read back (the zip's
 * central directory walked here, its parts inflated with zlib) and its XML
 * checked: the title and header cells, text as inline strings, integers and
 * decimals as numbers, a date as the Excel serial number with a style whose
 * number format is a date, a percentage with a percent format, empty cells
 * absent. And the private temporary directory is gone after finishing and
 * after discarding. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "tests/unit/fixture.h"
#include "web/xlsx.h"

/* The whole content of fd (read from offset 0); *n its length; caller frees. */
static unsigned char *slurp(int fd, size_t *n) {
  struct stat st;
  assert_int_equal(fstat(fd, &st), 0);
  unsigned char *b = malloc((size_t)st.st_size + 1);
  assert_non_null(b);
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t k = pread(fd, b + got, (size_t)st.st_size - got, (off_t)got);
    assert_true(k > 0);
    got += (size_t)k;
  }
  *n = got;
  return b;
}

static unsigned le16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static unsigned long le32(const unsigned char *p) { return le16(p) | (unsigned long)le16(p + 2) << 16; }

/* The part name of the zip z (n bytes), inflated and NUL-terminated (caller
 * frees); fails the test when it is missing. Reads the central directory
 * (the local headers' sizes may be in data descriptors). */
static char *zip_part(const unsigned char *z, size_t n, const char *name) {
  size_t eocd = n - 22;
  while (eocd > 0 && le32(z + eocd) != 0x06054b50UL) eocd--;
  assert_true(le32(z + eocd) == 0x06054b50UL);
  unsigned entries = le16(z + eocd + 10);
  size_t p = le32(z + eocd + 16);
  for (unsigned i = 0; i < entries; i++) {
    assert_true(le32(z + p) == 0x02014b50UL);
    unsigned method = le16(z + p + 10);
    size_t csize = le32(z + p + 20), usize = le32(z + p + 24);
    unsigned nlen = le16(z + p + 28), elen = le16(z + p + 30), clen = le16(z + p + 32);
    size_t local = le32(z + p + 42);
    if (nlen == strlen(name) && memcmp(z + p + 46, name, nlen) == 0) {
      const unsigned char *data = z + local + 30 + le16(z + local + 26) + le16(z + local + 28);
      char *out = malloc(usize + 1);
      assert_non_null(out);
      if (method == 0) {
        memcpy(out, data, usize);
      } else {
        assert_int_equal(method, 8);
        z_stream s;
        memset(&s, 0, sizeof s);
        assert_int_equal(inflateInit2(&s, -15), Z_OK);
        s.next_in = (unsigned char *)data;
        s.avail_in = (unsigned)csize;
        s.next_out = (unsigned char *)out;
        s.avail_out = (unsigned)usize;
        assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
        inflateEnd(&s);
      }
      out[usize] = 0;
      return out;
    }
    p += 46 + nlen + elen + clen;
  }
  fail_msg("no part %s in the workbook", name);
  return NULL;
}

/* The number format code of cell style index s in styles.xml ("General"
 * for the built-in 0). */
static void style_format(const char *styles, int s, char *out, size_t n) {
  const char *x = strstr(styles, "<cellXfs");
  assert_non_null(x);
  for (int i = 0; i <= s; i++) {
    x = strstr(x + 1, "<xf ");
    assert_non_null(x);
  }
  int id = atoi(strstr(x, "numFmtId=\"") + 10);
  if (id == 0) {
    snprintf(out, n, "General");
    return;
  }
  char key[48];
  snprintf(key, sizeof key, "numFmtId=\"%d\" formatCode=\"", id);
  const char *f = strstr(styles, key);
  assert_non_null(f);
  f += strlen(key);
  size_t len = (size_t)(strchr(f, '"') - f);
  assert_true(len < n);
  memcpy(out, f, len);
  out[len] = 0;
}

/* The XML of cell ref ("B3") in sheet, up to its end; "" when absent. */
static void cell(const char *sheet, const char *ref, char *out, size_t n) {
  char key[32];
  snprintf(key, sizeof key, "<c r=\"%s\"", ref);
  const char *c = strstr(sheet, key);
  if (!c) {
    out[0] = 0;
    return;
  }
  const char *end = strstr(c, "</c>"), *self = strstr(c, "/>");
  if (self && (!end || self < end) && self < strchr(c, '>') + 1) end = self;
  size_t len = (size_t)(end - c);
  assert_true(len < n);
  memcpy(out, c, len);
  out[len] = 0;
}

static const XlsxCol COLS[] = {
    {"姓名", XLSX_TEXT, 12}, {"人数", XLSX_INT, 8}, {"日期", XLSX_DATE, 12},
    {"金额", XLSX_DECIMAL, 10}, {"比例", XLSX_PERCENT, 8},
};

/* Begins a workbook of the first ncols of COLS, asserting it opens; its
 * directory's path into dir. */
static Xlsx *begin(const char *sheet, const char *title, int ncols, char dir[4096]) {
  Xlsx *x;
  Err e;
  err_clear(&e);
  assert_int_equal(xlsx_begin(&x, sheet, title, COLS, ncols, &e), ERR_OK);
  snprintf(dir, 4096, "%s", xlsx_dir(x));
  return x;
}

/* Writes every kind, reads the file back and checks its cells. */
static void test_roundtrip(void **state) {
  (void)state;
  char dir[4096];
  Xlsx *x = begin("测试", "测试表 · 甲社区 · 2026年5月", 5, dir);
  struct stat st;
  assert_int_equal(stat(dir, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  xlsx_row(x);
  xlsx_text(x, "张三 <&>");
  xlsx_int(x, true, 42);
  xlsx_date(x, "2026-05-01");
  xlsx_num(x, true, 12.5);
  xlsx_num(x, true, 0.25);
  xlsx_row(x); /* empties: absent cells */
  xlsx_text(x, "");
  xlsx_int(x, false, 0);
  xlsx_date(x, "2026-02-30");
  xlsx_num(x, false, 0);
  xlsx_row(x); /* a row ended early */
  xlsx_text(x, "=1+1");
  assert_int_equal(xlsx_rows(x), 3);
  int fd;
  uint64_t size;
  Err e;
  err_clear(&e);
  assert_int_equal(xlsx_finish(x, &fd, &size, &e), ERR_OK);
  assert_int_not_equal(stat(dir, &st), 0); /* directory and file gone */
  size_t n;
  unsigned char *z = slurp(fd, &n);
  close(fd);
  assert_int_equal(n, (size_t)size);
  assert_memory_equal(z, "PK\3\4", 4);
  char *sheet = zip_part(z, n, "xl/worksheets/sheet1.xml");
  char *styles = zip_part(z, n, "xl/styles.xml");
  char *wb = zip_part(z, n, "xl/workbook.xml");
  assert_non_null(strstr(wb, "name=\"测试\""));
  char c[512], fmt[64];
  cell(sheet, "A1", c, sizeof c);
  assert_non_null(strstr(c, "<t>测试表 · 甲社区 · 2026年5月</t>"));
  assert_non_null(strstr(sheet, "<mergeCell ref=\"A1:E1\"/>"));
  const char *heads[] = {"A2", "姓名", "B2", "人数", "C2", "日期", "D2", "金额", "E2", "比例"};
  for (int i = 0; i < 10; i += 2) {
    cell(sheet, heads[i], c, sizeof c);
    char want[64];
    snprintf(want, sizeof want, "<t>%s</t>", heads[i + 1]);
    assert_non_null(strstr(c, want));
  }
  cell(sheet, "A3", c, sizeof c);
  assert_non_null(strstr(c, "t=\"inlineStr\""));
  assert_non_null(strstr(c, "<t>张三 &lt;&amp;&gt;</t>"));
  cell(sheet, "B3", c, sizeof c); /* a number: no t="..." */
  assert_null(strstr(c, " t=\""));
  assert_non_null(strstr(c, "<v>42</v>"));
  cell(sheet, "C3", c, sizeof c); /* 2026-05-01 is day 46143 of Excel's 1900 system */
  assert_null(strstr(c, " t=\""));
  assert_non_null(strstr(c, "<v>46143</v>"));
  style_format(styles, atoi(strstr(c, " s=\"") + 4), fmt, sizeof fmt);
  assert_string_equal(fmt, "yyyy-mm-dd");
  cell(sheet, "D3", c, sizeof c);
  assert_non_null(strstr(c, "<v>12.5</v>"));
  style_format(styles, atoi(strstr(c, " s=\"") + 4), fmt, sizeof fmt);
  assert_string_equal(fmt, "0.00");
  cell(sheet, "E3", c, sizeof c);
  assert_non_null(strstr(c, "<v>0.25</v>"));
  style_format(styles, atoi(strstr(c, " s=\"") + 4), fmt, sizeof fmt);
  assert_string_equal(fmt, "0.0%");
  for (const char *const *ref = (const char *const[]){"A4", "B4", "C4", "D4", "E4", "B5", NULL}; *ref; ref++) {
    cell(sheet, *ref, c, sizeof c);
    assert_string_equal(c, "");
  }
  cell(sheet, "A5", c, sizeof c); /* text, never a formula */
  assert_non_null(strstr(c, "<t>=1+1</t>"));
  assert_null(strstr(sheet, "<f>"));
  free(sheet);
  free(styles);
  free(wb);
  free(z);
}

/* Discarding removes the directory and its file. */
static void test_discard(void **state) {
  (void)state;
  char dir[4096];
  Xlsx *x = begin("s", "t", 1, dir);
  xlsx_row(x);
  xlsx_text(x, "a");
  xlsx_discard(x);
  struct stat st;
  assert_int_not_equal(stat(dir, &st), 0);
  xlsx_discard(NULL);
}

/* A temporary directory that cannot be made: an error, nothing left. */
static void test_no_tmpdir(void **state) {
  (void)state;
  const char *old = getenv("TMPDIR");
  char *saved = old ? strdup(old) : NULL;
  setenv("TMPDIR", "/nonexistent-jindu-dir", 1);
  Xlsx *x = (Xlsx *)1;
  Err e;
  err_clear(&e);
  assert_int_equal(xlsx_begin(&x, "s", "t", COLS, 1, &e), ERR_INTERNAL);
  assert_null(x);
  if (saved) setenv("TMPDIR", saved, 1);
  else unsetenv("TMPDIR");
  free(saved);
}

int main(void) {
  struct CMUnitTest tests[] = {
    cmocka_unit_test(test_roundtrip),
    cmocka_unit_test(test_discard),
    cmocka_unit_test(test_no_tmpdir),
  };
  return FIX_RUN(tests, NULL, NULL);
}
