/* app/quality.h: the data quality of a unit's case files (core/quality.h's
 * rules): the completeness and logical-accuracy rates of the unit and of
 * each unit directly below it, ranked; and the files failing (a rule, or
 * any), each with the rules it fails, page by page. Needs PERM_PERSON_READ;
 * the unit must lie in the scope (else ERR_NOT_FOUND); an unknown rule is
 * a field error. The read of the failing files is audited ("quality" on the
 * unit): they are named. */
#ifndef JINDU_APP_QUALITY_H
#define JINDU_APP_QUALITY_H
#include <stdint.h>
#include "app/app.h"
#include "core/idcard.h"
#include "core/quality.h"
#include "store/org.h"

typedef struct QualityUnitRow {
  OrgUnit unit;
  QualityTally t;
  int rank;          /* 1 = best; equal tallies share a rank */
} QualityUnitRow;

typedef struct QualityFailing {
  int64_t person_id;
  char name[128];
  char id_masked[IDCARD_MASKED_LEN];
  char org_code[64], org_name[128];
  uint32_t failed;   /* bit i: quality_rules[i] */
} QualityFailing;

typedef struct QualityView {
  OrgUnit unit;
  QualityTally total;
  QualityUnitRow *rows;    /* the units directly below, ranked (malloc'd) */
  int nrows;
  const QualityRule *rule; /* the failing files of this rule only (NULL: any) */
  QualityFailing *failing; /* the page (malloc'd) */
  int nfailing;
  int64_t failing_total;   /* all the failing files of the filter */
  int page, per_page;
  int64_t rule_fails[32];  /* files failing each rule, in the unit */
} QualityView;
void quality_view_free(QualityView *v);

#define QUALITY_PAGE_MAX 50000
/* org: a unit code ("" or NULL: the actor's unit); rule: a rule code (""
 * or NULL: any). */
int app_quality(Ctx *c, const char *org, const char *rule, int page, int per_page, QualityView *out, Err *e);

#endif
