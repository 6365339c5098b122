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
 * them). An EuLedger says what the download is: its sheet, the "what" of
 * its title, its file name, its columns and the writer of a record's
 * cells into s->x (s->names is scratch text for it, s->r the request).
 * eu_rows_begin starts the workbook titled "what · unit of org · period"
 * (period: label when not NULL, else the label of the period code, else
 * the dates) and answers the visitor to put in the list's query (each);
 * NULL after answering the error. The list call then takes s->e, and
 * eu_rows_send sends the workbook when the call answered ERR_OK, else
 * throws it away and answers s->e. */
typedef struct EuRows EuRows;
typedef struct EuLedger {
  const char *sheet, *what, *filename;
  const XlsxCol *cols;
  int ncols;
  void (*row)(EuRows *s, const void *rec);
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
void eu_rows_send(EuRows *s, int rc);

#endif
