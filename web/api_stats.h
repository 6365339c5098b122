/* web/api_stats.h: what the statistics page and API share (web/api_stats.c,
 * web/page_stats.c): the statistics query read from a request's query
 * string. */
#ifndef JINDU_WEB_API_STATS_H
#define JINDU_WEB_API_STATS_H
#include "app/stats.h"
#include "web/http.h"

/* Fills q from r's query (org, date, from, to, period); the strings are r's. */
void stats_query_read(const Req *r, StatsQuery *q);

#endif
