/* web/export_ledger.h: the .xlsx downloads of the places, letters and
 * inspections ledgers (API.md: every list answers ?format=xlsx with the
 * same rows as the JSON). Each takes the filter its page or API call
 * parsed and answers with the workbook (web/xlsx.h) of every row of it (at
 * most UNIT_LIST_MAX), each row written as the store reads it
 * (web/export_unit.h EuRows); a page and its API call share the function.
 * On an error r answers it. */
#ifndef JINDU_EXPORT_LEDGER_H
#define JINDU_EXPORT_LEDGER_H
#include "app/inspection.h"
#include "app/letter.h"
#include "app/place.h"
#include "web/http.h"

/* Columns: id, unit code and name, kind, name, venue category, address,
 * contact, phone, licence, state, deactivation reason, notes. */
void export_places(Req *r, const PlaceQuery *q);
/* Columns: id, year, issuing unit code and name, kind, signer kind and
 * name, signed date, notes, recorded by; then the required signers not yet
 * signed and the rate (签订率) below. */
void export_letters(Req *r, const LetterQuery *q);
/* Columns: id, date, unit, venue, category, inspectors, result, findings,
 * follow-up, due, done, state, recorded by. */
void export_inspections(Req *r, const InspectionQuery *q);

#endif
