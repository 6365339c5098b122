/* web/export_unit.h: the .xlsx forms of the unit-work lists (API.md: "Every
 * list and table answers ?format=xlsx with the same rows as the JSON"):
 * eradication patrols, unit work records, the unit tasks due, and a data
 * set's table; and the shared pieces of the ledgers' downloads (below).
 * Each takes the filter its page or API call parsed and answers with the
 * workbook (web/xlsx.h) of every row of it (at most UNIT_LIST_MAX; the
 * ledgers' rows written as the store reads them, never all held at once);
 * a page and its API call share the function, so the two
 * downloads are the same file. On an error r answers it. (The list pages
 * of eradications and unit work are meant to move onto the generic ledger
 * list with its filters, totals, paging and xlsx when it lands.) */
#ifndef JINDU_EXPORT_UNIT_H
#define JINDU_EXPORT_UNIT_H
#include <stddef.h>
#include "app/dataset.h"
#include "app/eradication.h"
#include "app/prevention.h"
#include "app/unit_task.h"
#include "web/http.h"
#include "web/xlsx.h"

/* Columns: id, date, unit code and name, area, methods, location, found
 * and destroyed per species, case number, notes, recorded by. */
void export_eradications(Req *r, const EradicationQuery *q);
/* Columns: id, date, unit code and name, kind, title, notes, recorded by. */
void export_unit_work(Req *r, const UnitWorkQuery *q);
/* Columns: unit code and name, task, period, state, due date, days
 * overdue, done, required, periods missed. */
void export_unit_tasks(Req *r, const UnitTaskQuery *q);
/* The table of v: its units (an aggregate) or the one unit (an entry),
 * each with its figures and periods submitted. */
void export_dataset(Req *r, const DatasetView *v);
/* The prevention ledgers (web/api_prevention.c, web/page_prevention.c).
 * Activities: id, version, date, unit code and name, kind, 六进 settings,
 * campaign, title, partners, audience, participants, consultations, every
 * material, printed total, photos, notes, recorded by. Surveys: id,
 * version, date, unit, group, method, title, respondents, aware, rate,
 * target, met, notes, recorded by. */
void export_activities(Req *r, const ActivityQuery *q);
void export_surveys(Req *r, const SurveyQuery *q);

/* The pieces the ledgers' downloads share (web/export_ledger.c): the name
 * of the unit with code (the actor's own when empty or unknown; u holds
 * it), "from 至 to" of a date filter into b ("全部日期" when open), a
 * workbook titled "what · unit · period" (NULL after answering the error),
 * and the Chinese names of comma-joined codes of vocab into b. */
const char *eu_unit_name(Req *r, const char *code, OrgUnit *u);
void eu_dates(Buf *b, const char *from, const char *to);
Xlsx *eu_begin(Req *r, const char *sheet, const char *what, const char *unit, const char *period, const XlsxCol *cols,
               int ncols);
void eu_names(Buf *b, const UnitTerm *vocab, const char *codes);

/* A ledger written into its workbook row by row as the store reads it (no
 * array of the rows: what the download holds in memory does not grow with
 * them). An EuLedger says what the download is: its sheet, the "what" of
 * its title, its file name and its columns as EuCells, each a column
 * (header, kind, width) and where its cells come from in a record.
 * eu_rows_begin starts the workbook titled "what · unit of org · period"
 * (period: label when not NULL, else the label of the period code, else
 * the dates) and answers the visitor to put in the list's query (each),
 * which writes each record as a row; NULL after answering the error. The
 * list call then takes s->e, and eu_rows_send sends the workbook when the
 * call answered ERR_OK, else throws it away and answers s->e. eu_row
 * writes one more record (rows the list does not hand over). */
typedef struct EuRows EuRows;
typedef enum {
  EU_NUM,   /* an int64_t or int member: a number */
  EU_ID,    /* an int64_t member: a number, empty when not > 0 */
  EU_TEXT,  /* a char[N] or char * member: text */
  EU_DATE,  /* a char[N] member "YYYY-MM-DD": a date */
  EU_TERM,  /* a code member: its label in vocab (the code itself when unknown) */
  EU_TERMS, /* a member of comma-joined codes: their labels in vocab joined by 、 */
  EU_CALC   /* calc(s, rec) writes the cell */
} EuFrom;
typedef enum { EU_I64, EU_INT, EU_PTR, EU_ARR } EuStore;
typedef struct EuCell {
  XlsxCol col;
  EuFrom from;
  size_t off;    /* the member's offset in the record */
  EuStore store; /* how the member is stored */
  const UnitTerm *vocab;
  void (*calc)(EuRows *s, const void *rec);
} EuCell;
#define EU_MEMBER(T, m)                                                                                       \
  offsetof(T, m), _Generic(&((T *)0)->m, int64_t *: EU_I64, int *: EU_INT, char **: EU_PTR, default: EU_ARR)
#define EU_CELL(head, width, kind, from, T, m, vocab) {{head, kind, width}, from, EU_MEMBER(T, m), vocab, NULL}
#define EU_NUM(head, width, T, m) EU_CELL(head, width, XLSX_INT, EU_NUM, T, m, NULL)
#define EU_ID(head, width, T, m) EU_CELL(head, width, XLSX_INT, EU_ID, T, m, NULL)
#define EU_TEXT(head, width, T, m) EU_CELL(head, width, XLSX_TEXT, EU_TEXT, T, m, NULL)
#define EU_DATE(head, width, T, m) EU_CELL(head, width, XLSX_DATE, EU_DATE, T, m, NULL)
#define EU_TERM(head, width, T, m, vocab) EU_CELL(head, width, XLSX_TEXT, EU_TERM, T, m, vocab)
#define EU_TERMS(head, width, T, m, vocab) EU_CELL(head, width, XLSX_TEXT, EU_TERMS, T, m, vocab)
#define EU_CALC(head, width, kind, fn) {{head, kind, width}, EU_CALC, 0, EU_ARR, NULL, fn}
typedef struct EuLedger {
  const char *sheet, *what, *filename;
  const EuCell *cells;
  int ncells;
} EuLedger;
struct EuRows {
  DbEach each;
  const EuLedger *l;
  Req *r;
  Xlsx *x;
  Buf names;
  Err e;
};
const DbEach *eu_rows_begin(EuRows *s, Req *r, const EuLedger *l, const char *org, const char *label,
                            const char *period, const char *from, const char *to);
void eu_row(EuRows *s, const void *rec);
void eu_rows_send(EuRows *s, int rc);
/* Writes every row of the list of kind k (web/api_unit.h) of filter q
 * into s's workbook (q copied: page 1 of UNIT_LIST_MAX rows, each row
 * through s's visitor) and sends it, or answers the error. */
struct AuKind;
void eu_kind_send(EuRows *s, const struct AuKind *k, const void *q);

#endif
