/* app/gen_prevention.h: synthetic activities and awareness surveys for the
 * benchmark (`jindu gen --activities N --surveys N`, issue 10 point 11):
 * spread over the communities of the synthetic county GEN_COUNTY_CODE
 * (made by `jindu gen --persons`), dated over the two years before
 * GEN_REFERENCE_DATE, deterministic from the seed. */
#ifndef JINDU_APP_GEN_PREVENTION_H
#define JINDU_APP_GEN_PREVENTION_H
#include <stdint.h>
#include "app/app.h"

#define GEN_PREVENTION_MAX 10000000 /* the most activities (or surveys) one run adds */

/* Adds activities and surveys (each 0..GEN_PREVENTION_MAX) straight to
 * store/prevention.c (no per-row validation or audit; one audit row "gen"
 * on entity "activity" describing the run), committed every 50 000 rows,
 * with store_gen_bulk_mode on for the duration. ERR_INVALID (field
 * "activities" or "surveys") out of range; ERR_NOT_FOUND when the county
 * has no communities; ERR_FORBIDDEN for any actor but the whole-database
 * administrator. *seconds the wall-clock time. */
int app_gen_prevention(Ctx *c, int64_t activities, int64_t surveys, uint64_t seed, double *seconds, Err *e);

#endif
