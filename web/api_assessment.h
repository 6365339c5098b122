/* web/api_assessment.h: what the assessment's pages and API share (web/
 * api_assessment.c): the query of a request, the evidence link of an item,
 * the figure of an item as text, and the .xlsx of the table. */
#ifndef JINDU_WEB_API_ASSESSMENT_H
#define JINDU_WEB_API_ASSESSMENT_H
#include "app/assessment.h"
#include "core/buf.h"
#include "web/http.h"

/* q from the query string (org, scheme, year). */
void assess_query_read(const Req *r, AssessQuery *q);
/* Reads r's query into q; answers the .xlsx of q when r asks for it
 * (?format=xlsx: true). */
bool assess_query_xlsx(Req *r, AssessQuery *q);
/* The table of q into t (app_assess_table; e cleared first); answers r
 * the error unless it is ERR_INVALID and invalid_ok. Returns the status:
 * ERR_OK, t to be freed (app_assess_table_free); ERR_INVALID with
 * invalid_ok, r not answered and nothing to free; else r answered. */
int assess_table_get(Req *r, const AssessQuery *q, AssessTable *t, bool invalid_ok, Err *e);
/* Appends to b the link to the persons or records behind item d of sheet s
 * (its numerator, or its denominator when den): the statistics' drill-down
 * (prefix "/stats/items" for pages, "/api/v1/stats/items" for the API) for
 * the year's window. false (nothing appended) when the item reads no
 * statistics measure on this build. */
bool assess_evidence_url(Buf *b, const char *prefix, const AssessTable *t, const AssessSheet *s,
                         const AssessItemDef *d, bool den);
/* The figure of an item as people read it ("3", "68.6%", "—"), and its
 * target ("≤ 0", "≥ 30.0%"), into b. */
void assess_value_text(Buf *b, const AssessItemDef *d, const AssessItemEval *x);
void assess_target_text(Buf *b, const AssessItemDef *d);
/* Answers the table of q as .xlsx (rows in rank order). */
void export_assessment(Req *r, const AssessQuery *q);

#endif
