/* web/export_unit.h: the .xlsx forms of the unit-work lists (API.md: "Every
 * list and table answers ?format=xlsx with the same rows as the JSON"):
 * eradication patrols, unit work records, the unit tasks due, and a data
 * set's table. Each takes the filter its page or API call parsed, fetches
 * every row of it (at most UNIT_LIST_MAX) and answers with the workbook
 * (web/xlsx.h); a page and its API call share the function, so the two
 * downloads are the same file. On an error r answers it. (The list pages
 * of eradications and unit work are meant to move onto the generic ledger
 * list with its filters, totals, paging and xlsx when it lands.) */
#ifndef JINDU_EXPORT_UNIT_H
#define JINDU_EXPORT_UNIT_H
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
 * them). eu_rows_begin starts the workbook (eu_begin) and answers the
 * visitor to put in the list's query (each), which writes each record with
 * row(s, rec) into s->x; NULL after answering the error. After the list
 * call, eu_rows_send sends the workbook as filename when the call answered
 * ERR_OK, else throws it away and answers e. s->names is scratch text for
 * row; s->r the request. */
typedef struct EuRows EuRows;
typedef void (*EuRowFn)(EuRows *s, const void *rec);
struct EuRows {
  DbEach each;
  EuRowFn row;
  Req *r;
  Xlsx *x;
  Buf names;
};
const DbEach *eu_rows_begin(EuRows *s, Req *r, EuRowFn row, const char *sheet, const char *what, const char *unit,
                            const char *period, const XlsxCol *cols, int ncols);
void eu_rows_send(EuRows *s, int rc, const Err *e, const char *filename);

#endif
