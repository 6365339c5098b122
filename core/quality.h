/* core/quality.h: the data-quality rules of the case files (信息录入完整率
 * and 逻辑准确率, as seed 000 ranks a community: 完整率 98.54%, 逻辑关系准确率
 * 99.51%) as data: one table of rules, each with its code, kind
 * (completeness: a required item present; logic: items consistent with
 * each other and with the law's transitions), Chinese name and definition,
 * when it applies to a file, and its check. A file is checked against every
 * rule that applies; a unit's completeness rate is the completeness checks
 * passed ÷ made over its files, its logical-accuracy rate likewise (so one
 * file missing one item of ten weighs a tenth of a file). Pure. */
#ifndef JINDU_CORE_QUALITY_H
#define JINDU_CORE_QUALITY_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/status.h"

/* A standing status episode as the rules read it (corrections applied):
 * its status, decision and start dates (has_*: recorded). */
typedef struct QualityEpisode {
  Status status;
  bool has_decision, has_start;
  Day decision, start;
} QualityEpisode;

/* One case file as the rules read it. Nothing is owned. */
typedef struct QualityPerson {
  int64_t id;
  const char *name, *sex, *id_number, *birth_date, *phone, *household_address, *residence_address, *drug_types,
      *first_found_date; /* "" (or NULL) when empty */
  Status status;          /* today's */
  int team;               /* help-team members on the team today */
  int agreements;         /* agreements signed */
  const QualityEpisode *eps; int neps; /* in history order */
  const Day *contacts; int ncontacts;  /* dates of talks, visits and tests (not corrected rows) */
  Day today;
} QualityPerson;

typedef enum { QK_COMPLETE, QK_LOGIC } QualityKind;

typedef struct QualityRule {
  const char *code;     /* API name: "phone", "id_birth" */
  QualityKind kind;
  const char *name_zh;  /* short name (a msgid) */
  const char *def_zh;   /* what it checks, for the footnote (a msgid) */
  bool (*applies)(const QualityPerson *p); /* NULL: every file */
  bool (*ok)(const QualityPerson *p);
} QualityRule;

extern const QualityRule quality_rules[];
int quality_rule_count(void); /* at most 32: a file's failures are a bit mask */
const QualityRule *quality_rule_by_code(const char *code);
/* "complete" | "logic". */
const char *quality_kind_code(QualityKind k);

/* The checks of a unit (or of a file) added up. */
typedef struct QualityTally {
  int64_t files;          /* files checked */
  int64_t failing;        /* files failing some rule */
  int64_t complete_ok, complete_all; /* completeness checks passed / made */
  int64_t logic_ok, logic_all;
} QualityTally;

/* Checks p against every rule that applies, adds to t (may be NULL) and
 * returns the mask of the rules it fails (bit i: quality_rules[i]). */
uint32_t quality_check(const QualityPerson *p, QualityTally *t);
/* Adds b to a. */
void quality_tally_add(QualityTally *a, const QualityTally *b);
/* Orders two tallies for the ranking: the higher completeness rate first,
 * then the higher logical-accuracy rate, then more files; a unit without
 * files last. < 0 when a ranks before b. Rates compared exactly (cross
 * multiplication), not rounded. */
int quality_rank_cmp(const QualityTally *a, const QualityTally *b);

#endif
