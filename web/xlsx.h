/* web/xlsx.h: the Excel (.xlsx) writer of every list and table that answers
 * ?format=xlsx (API.md: "the same rows as the JSON"). Output formatting like
 * the JSON writer: the caller declares its columns (Chinese header, kind,
 * width), then writes the rows cell by cell; the writer puts a title row
 * (unit and period) above the header row, writes dates as Excel dates
 * (numbers with a date format) and numbers as numbers, and answers the
 * request with the file.
 *
 * Made with libxlsxwriter in constant_memory mode (each row goes to disk
 * when the next starts: 50 000 rows take a few MB). libxlsxwriter 1.1.4 has
 * no in-memory output, so the workbook is a file in a private temporary
 * directory (mkdtemp, mode 0700, under $TMPDIR or /tmp); xlsx_finish opens
 * it, unlinks it and removes the directory before it returns, on every path,
 * so that only the open descriptor holds the bytes. */
#ifndef JINDU_XLSX_H
#define JINDU_XLSX_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "web/http.h"

/* What a column holds: how its cells are written and formatted. */
typedef enum {
  XLSX_TEXT,    /* a string */
  XLSX_INT,     /* an integer (a number, format "0") */
  XLSX_DATE,    /* "YYYY-MM-DD" written as an Excel date (format yyyy-mm-dd) */
  XLSX_DECIMAL, /* a number with two decimals (format 0.00) */
  XLSX_PERCENT  /* a ratio (0.25) shown as a percentage (format 0.0%) */
} XlsxKind;

typedef struct XlsxCol {
  const char *header; /* Chinese column header */
  XlsxKind kind;
  double width;       /* in Excel's character widths (a Chinese character is about 2) */
} XlsxCol;

/* The most columns a sheet may declare. */
#define XLSX_COLS_MAX 128

typedef struct Xlsx Xlsx;

/* Starts a workbook of one sheet named sheet (<= 31 characters, no []:*?/\)
 * with title in its first row (merged over the columns: what, which unit,
 * which period) and the ncols headers of cols in its second (cols is
 * copied; headers must stay valid until xlsx_finish). *out is the
 * caller's: end it with xlsx_finish or xlsx_discard. ERR_INTERNAL when the
 * temporary directory or the workbook cannot be made (*out NULL, nothing
 * left on disk). */
int xlsx_begin(Xlsx **out, const char *sheet, const char *title, const XlsxCol *cols, int ncols, Err *e);
/* Starts the next data row; the cells below fill it left to right, each of
 * the kind its column declared (assert). A row may end early (the rest
 * stays empty). */
void xlsx_row(Xlsx *x);
/* A text cell; NULL or "" leaves it empty. */
void xlsx_text(Xlsx *x, const char *s);
/* An integer cell; has false leaves it empty. */
void xlsx_int(Xlsx *x, bool has, int64_t v);
/* A date cell from "YYYY-MM-DD"; NULL, "" or a malformed date leaves it empty. */
void xlsx_date(Xlsx *x, const char *iso);
/* A decimal or percent cell (the column says which); has false leaves it empty. */
void xlsx_num(Xlsx *x, bool has, double v);
/* The data rows written so far. */
int64_t xlsx_rows(const Xlsx *x);
/* The private temporary directory of x (tests check that it goes away). */
const char *xlsx_dir(const Xlsx *x);

/* Closes the workbook and frees x (invalid after the call, whatever
 * happens). On success *fd is a descriptor open for reading at offset 0 on
 * the finished file, which is no longer linked anywhere (the caller closes
 * it), and *size its length. The file and the directory are removed on
 * every path. ERR_INTERNAL when a write failed or the file cannot be read. */
int xlsx_finish(Xlsx *x, int *fd, uint64_t *size, Err *e);
/* Throws the workbook away (file and directory removed) and frees x. NULL allowed. */
void xlsx_discard(Xlsx *x);

/* Finishes x (freed either way) and answers r with it as a download named
 * filename (UTF-8, e.g. "工作台待办-2026-05-01.xlsx"): the xlsx content type,
 * Content-Disposition attachment with an ASCII fallback and the RFC 5987
 * filename*, nosniff (the server adds it to every answer). On failure r
 * answers the error instead. Marks r trim_after (web/http.h). */
void xlsx_send(Req *r, Xlsx *x, const char *filename);

/* true when the request asks for the xlsx form of a list (?format=xlsx):
 * the one convention of every page and API list (docs/HACKING.md). */
bool xlsx_wanted(const Req *r);

#endif
