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
/* The day D and the period's first and last day of w as ISO text. */
void stats_window_iso(const StatsWindow *w, char d[DATE_ISO_LEN], char f[DATE_ISO_LEN], char t[DATE_ISO_LEN]);

#endif
