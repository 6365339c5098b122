/* web/api_report.h: what the summary's page and API share
 * (web/page_report.c, web/api_report.c). */
#ifndef JINDU_WEB_API_REPORT_H
#define JINDU_WEB_API_REPORT_H
#include <stdbool.h>
#include "app/summary.h"
#include "web/http.h"

/* Reads org, period, from, to of r's query into q (pointers into r). */
void summary_query_read(const Req *r, SummaryQuery *q);
/* true for ?format=docx. */
bool summary_docx_wanted(const Req *r);
/* The download's name of a draft titled title: "TITLE（草稿）.docx". */
void summary_docx_name(Buf *b, const char *title);

#endif
