/* web/export_report.h: the .xlsx forms of the report forms and of the data
 * quality table (API.md: every table answers ?format=xlsx with the JSON's
 * rows). A page and its API call share each function. */
#ifndef JINDU_EXPORT_REPORT_H
#define JINDU_EXPORT_REPORT_H
#include "app/quality.h"
#include "app/report.h"
#include "web/http.h"

/* The form as shown (the snapshot when submitted): a row per child unit,
 * then 合计; per measure of the form a count, or a rate's percentage,
 * numerator and denominator. */
void export_report(Req *r, const ReportView *v);
/* The units ranked (rank, code, name, files, failing, completeness and
 * logical-accuracy rates with their checks), then the failing files of
 * the filter (id, name, masked ID, unit, the rules failed). */
void export_quality(Req *r, const QualityView *v);

#endif
