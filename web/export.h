/* web/export.h: the .xlsx forms of the lists (API.md: "Every list and table
 * answers ?format=xlsx with the same rows as the JSON"): one function per
 * list, each taking the filter its page or API call parsed, fetching every
 * row of it (not one page) up to the list's bound, and answering with the
 * workbook (web/xlsx.h). A page and its API call share the function, so the
 * two downloads are the same file. */
#ifndef JINDU_EXPORT_H
#define JINDU_EXPORT_H
#include "app/stats.h"
#include "app/supervision.h"
#include "web/http.h"

/* Answers r with the work list of q as .xlsx: every item of q's filter in
 * q's order (q's page and per_page are ignored), at most WORKLIST_PAGE_MAX
 * (50 000) rows; beyond that the first 50 000 and a title that says so.
 * Columns: the JSON items' fields (person id, name, unit code and name,
 * reason, due date, days overdue, approval id). On an error (e.g. a unit
 * outside the scope) r answers it. */
void export_worklist(Req *r, const WorkQuery *q);
/* Answers r with the statistics table of q as .xlsx: a row per child unit,
 * then the unit's total (合计); columns: unit code and name, every count,
 * the counts by status, every rate as percentage, numerator and
 * denominator (the JSON's "counts" and "rates"). */
void export_stats(Req *r, const StatsQuery *q);
/* Answers r with the persons behind measure's part for q as .xlsx (the
 * items of GET /api/v1/stats/items, every page, at most STATS_ITEMS_MAX). */
void export_stats_items(Req *r, const StatsQuery *q, const char *measure, const char *part);

/* Pieces the downloads share: the day a list is "as of" (date when given,
 * else today's, formatted into today); a rate's numerator and denominator
 * headers ("name分子", "name分母") appended to heads NUL-separated, their
 * offsets into offs[*nh] (taken as pointers once heads is complete). */
const char *export_day(const Req *r, const char *date, char today[DATE_ISO_LEN]);
void export_rate_heads(Buf *heads, size_t *offs, int *nh, const char *name_zh);

#endif
