/* web/api_report.h: what the summary's page and API share
 * (web/page_report.c, web/api_report.c). */
#ifndef JINDU_WEB_API_REPORT_H
#define JINDU_WEB_API_REPORT_H
#include <stdbool.h>
#include "app/summary.h"
#include "web/http.h"

/* Reads org, period, from, to of r's query into q (pointers into r). */
void summary_query_read(const Req *r, SummaryQuery *q);
/* Reads r's query into q and the draft of q into d (app_summary; e
 * cleared first); *ok: d holds the draft (the caller frees it with
 * summary_draft_free; ok may be NULL when not invalid_ok: d then always
 * does on true). Answers r and returns false on an error (unless it
 * is ERR_INVALID and invalid_ok) and for ?format=docx (the Word file; d
 * freed); true: r is for the caller to answer. */
bool summary_get(Req *r, SummaryQuery *q, SummaryDraft *d, bool invalid_ok, bool *ok, Err *e);
/* The download's name of a draft titled title: "TITLE（草稿）.docx". */
void summary_docx_name(Buf *b, const char *title);

#endif
