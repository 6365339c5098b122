/* web/xlsx.c: the .xlsx writer of the lists and tables (see web/xlsx.h):
 * libxlsxwriter in constant_memory mode, written to a file in a private
 * temporary directory that is unlinked before the answer is sent. */
#include "web/xlsx.h"
#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "core/date.h"
#include "web/download.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define XLSX_FIRST_DATA_ROW 2 /* row 0: title; row 1: headers */

struct Xlsx {
  char dir[4096];  /* the private temporary directory */
  char path[4200]; /* the workbook file inside it */
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *fmt[XLSX_PERCENT + 1]; /* the format of each kind's cells (NULL: general) */
  XlsxCol cols[XLSX_COLS_MAX];
  int ncols;
  lxw_row_t row; /* the current row (XLSX_FIRST_DATA_ROW - 1 before the first xlsx_row) */
  int col;       /* the next cell's column */
  bool failed;   /* a libxlsxwriter call failed: xlsx_finish answers ERR_INTERNAL */
};

/* Removes x's file (when there) and directory, frees x. */
static void xlsx_free(Xlsx *x) {
  unlink(x->path);
  rmdir(x->dir);
  free(x);
}

int xlsx_begin(Xlsx **out, const char *sheet, const char *title, const XlsxCol *cols, int ncols, Err *e) {
  assert(ncols > 0 && ncols <= XLSX_COLS_MAX);
  *out = NULL;
  Xlsx *x = calloc(1, sizeof *x);
  if (!x) abort();
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp || strlen(tmp) > 3000) tmp = "/tmp";
  snprintf(x->dir, sizeof x->dir, "%s/jindu-xlsx-XXXXXX", tmp);
  if (!mkdtemp(x->dir)) { /* mode 0700 */
    free(x);
    return err_set(e, ERR_INTERNAL, "无法生成 Excel 文件");
  }
  snprintf(x->path, sizeof x->path, "%s/out.xlsx", x->dir);
  /* constant_memory: each row is written out when the next one starts;
   * the parts' own temporary files go to the private directory too */
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = x->dir, .use_zip64 = LXW_FALSE};
  x->wb = workbook_new_opt(x->path, &opt);
  x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
  if (!x->ws) {
    if (x->wb) workbook_close(x->wb);
    xlsx_free(x);
    return err_set(e, ERR_INTERNAL, "无法生成 Excel 文件");
  }
  memcpy(x->cols, cols, sizeof *cols * (size_t)ncols);
  x->ncols = ncols;
  static const char *const num_format[XLSX_PERCENT + 1] = {NULL, "0", "yyyy-mm-dd", "0.00", "0.0%"};
  for (int k = XLSX_INT; k <= XLSX_PERCENT; k++) {
    x->fmt[k] = workbook_add_format(x->wb);
    format_set_num_format(x->fmt[k], num_format[k]);
  }
  lxw_format *title_fmt = workbook_add_format(x->wb);
  format_set_bold(title_fmt);
  format_set_font_size(title_fmt, 14);
  lxw_format *head_fmt = workbook_add_format(x->wb);
  format_set_bold(head_fmt);
  format_set_bg_color(head_fmt, 0xDDEBF7);
  format_set_border(head_fmt, LXW_BORDER_THIN);
  format_set_text_wrap(head_fmt);
  format_set_align(head_fmt, LXW_ALIGN_CENTER);
  format_set_align(head_fmt, LXW_ALIGN_VERTICAL_CENTER);

  lxw_error rc = LXW_NO_ERROR;
  for (int i = 0; i < ncols && !rc; i++) rc = worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
  if (!rc) rc = worksheet_set_row(x->ws, 0, 24, NULL);
  if (!rc && ncols > 1) rc = worksheet_merge_range(x->ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, title_fmt);
  else if (!rc) rc = worksheet_write_string(x->ws, 0, 0, title, title_fmt);
  for (int i = 0; i < ncols && !rc; i++) rc = worksheet_write_string(x->ws, 1, (lxw_col_t)i, cols[i].header, head_fmt);
  worksheet_freeze_panes(x->ws, XLSX_FIRST_DATA_ROW, 0);
  x->failed = rc != LXW_NO_ERROR;
  x->row = XLSX_FIRST_DATA_ROW - 1;
  x->col = ncols; /* no cell before the first xlsx_row */
  *out = x;
  return ERR_OK;
}

void xlsx_row(Xlsx *x) {
  x->row++;
  x->col = 0;
}

/* The column of the next cell, which must be of kind (or of one of the two
 * number kinds when kind is XLSX_DECIMAL): asserted; advances. */
static lxw_col_t xlsx_next(Xlsx *x, XlsxKind kind) {
  assert(x->col < x->ncols);
  XlsxKind k = x->cols[x->col].kind;
  assert(k == kind || (kind == XLSX_DECIMAL && k == XLSX_PERCENT));
  (void)k;
  return (lxw_col_t)x->col++;
}

void xlsx_text(Xlsx *x, const char *s) {
  lxw_col_t c = xlsx_next(x, XLSX_TEXT);
  if (s && *s && worksheet_write_string(x->ws, x->row, c, s, NULL) != LXW_NO_ERROR) x->failed = true;
}

void xlsx_int(Xlsx *x, bool has, int64_t v) {
  lxw_col_t c = xlsx_next(x, XLSX_INT);
  if (has && worksheet_write_number(x->ws, x->row, c, (double)v, x->fmt[XLSX_INT]) != LXW_NO_ERROR) x->failed = true;
}

void xlsx_date(Xlsx *x, const char *iso) {
  lxw_col_t c = xlsx_next(x, XLSX_DATE);
  Day d;
  if (!iso || !*iso || !date_parse(iso, &d)) return;
  int y, m, dd;
  date_to_ymd(d, &y, &m, &dd);
  lxw_datetime dt = {.year = y, .month = m, .day = dd};
  if (worksheet_write_datetime(x->ws, x->row, c, &dt, x->fmt[XLSX_DATE]) != LXW_NO_ERROR) x->failed = true;
}

void xlsx_num(Xlsx *x, bool has, double v) {
  lxw_col_t c = xlsx_next(x, XLSX_DECIMAL);
  if (has && worksheet_write_number(x->ws, x->row, c, v, x->fmt[x->cols[c].kind]) != LXW_NO_ERROR) x->failed = true;
}

int64_t xlsx_rows(const Xlsx *x) { return (int64_t)x->row - (XLSX_FIRST_DATA_ROW - 1); }

const char *xlsx_dir(const Xlsx *x) { return x->dir; }

int xlsx_finish(Xlsx *x, int *fd, uint64_t *size, Err *e) {
  *fd = -1;
  *size = 0;
  /* the filter buttons over the header and the rows */
  if (!x->failed && x->ncols > 0 &&
      worksheet_autofilter(x->ws, 1, 0, x->row > 1 ? x->row : 1, (lxw_col_t)(x->ncols - 1)) != LXW_NO_ERROR)
    x->failed = true;
  lxw_error rc = workbook_close(x->wb); /* frees the workbook */
  int f = -1;
  struct stat st;
  if (rc == LXW_NO_ERROR && !x->failed && (f = open(x->path, O_RDONLY | O_CLOEXEC)) >= 0 && fstat(f, &st) == 0) {
    *fd = f;
    *size = (uint64_t)st.st_size;
  } else if (f >= 0) {
    close(f);
  }
  xlsx_free(x);
  if (*fd < 0) return err_set(e, ERR_INTERNAL, "无法生成 Excel 文件");
  return ERR_OK;
}

void xlsx_discard(Xlsx *x) {
  if (!x) return;
  workbook_close(x->wb);
  xlsx_free(x);
}

void xlsx_send(Req *r, Xlsx *x, const char *filename) {
  int fd;
  uint64_t size;
  Err e;
  err_clear(&e);
  if (xlsx_finish(x, &fd, &size, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  download_disposition(r, false, filename, "export.xlsx");
  download_fd(r, fd, size, XLSX_MIME);
  r->trim_after = true; /* the caller's rows are freed by then (web/server.c) */
}

bool xlsx_wanted(const Req *r) {
  const char *f = req_query(r, "format");
  return f && strcmp(f, "xlsx") == 0;
}
