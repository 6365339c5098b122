/* web/api_stats.h: what the statistics page, API and export share
 * (web/api_stats.c, web/page_stats.c, web/export.c): the statistics query
 * read from a request's query string, and a window's days as text. */
#ifndef JINDU_WEB_API_STATS_H
#define JINDU_WEB_API_STATS_H
#include <stdbool.h>
#include "app/stats.h"
#include "web/http.h"

/* Fills q from r's query (org, date, from, to, period); the strings are r's. */
void stats_query_read(const Req *r, StatsQuery *q);
/* Reads q from r and, when r asks for ?format=xlsx, answers with the table
 * (web/export.c): true then (r is answered). */
bool stats_query_or_export(Req *r, StatsQuery *q);
/* The table of q with the compared periods (app_stats_table) into t, e
 * cleared first; an error is answered on r, except an invalid filter when
 * invalid_ok (a page shows it beside its form). Returns the error code; t
 * is the caller's to free (app_stats_table_free) when ERR_OK. */
int stats_table_get(Req *r, const StatsQuery *q, StatsTable *t, bool invalid_ok, Err *e);
/* The day D and the period's first and last day of w as ISO text. */
void stats_window_iso(const StatsWindow *w, char d[DATE_ISO_LEN], char f[DATE_ISO_LEN], char t[DATE_ISO_LEN]);

#endif
