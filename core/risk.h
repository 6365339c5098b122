/* core/risk.h: risk grading (分级分类管控, DOMAIN.md §4): the facts about a
 * person that count (RiskFactors), the additive points rule that turns them
 * into a level (risk_grade; the table is in core/risk.c), and the API codes
 * and Chinese names of the levels. Pure. RiskLevel itself is declared in
 * core/schedule.h, where it tightens the schedule. */
#ifndef JINDU_RISK_H
#define JINDU_RISK_H
#include <stdbool.h>
#include <stddef.h> /* size_t for core/schedule.h */
#include "core/schedule.h"

typedef struct RiskFactors {
  bool hard_drug;             /* heroin, opium, cocaine, nps */
  int drug_kinds;             /* kinds of drugs used */
  int isolation_count;        /* compulsory isolation episodes */
  int relapse_count;          /* positive tests/relapse events ever */
  int months_abstinent;       /* whole months since the clock started */
  int three_withouts;         /* 0..3: no fixed home, no stable job, no income (三无) */
  bool no_family_support;
  int missed_tests;           /* refused/absent since clock */
  bool lost_contact_recently; /* within 12 months */
  bool serious_breach;        /* serious breach of the agreement (deadline.h) */
  bool offence_recent;        /* an offence (吸毒人员犯罪) within RISK_OFFENCE_MONTHS */
} RiskFactors;

/* How long an offence counts for the grade, in months. */
#define RISK_OFFENCE_MONTHS 24

/* Score thresholds of the levels (see the table in core/risk.c). */
#define RISK_HIGH_MIN_SCORE 7
#define RISK_MEDIUM_MIN_SCORE 4

/* The risk level of f by the additive points rule: high at
 * RISK_HIGH_MIN_SCORE points or on a serious breach, medium at
 * RISK_MEDIUM_MIN_SCORE, else low (never RISK_NONE). When score_out is not
 * NULL it receives the points (also on a serious breach, which adds none).
 * Negative counts are taken as 0. */
RiskLevel risk_grade(const RiskFactors *f, int *score_out);
/* API code: "high", "medium", "low"; "" for RISK_NONE or a value outside
 * the enum (static strings). */
const char *risk_code(RiskLevel r);
/* Level of an API code; RISK_NONE for NULL, "" or an unknown code
 * (case-sensitive). */
RiskLevel risk_from_code(const char *code);
/* Chinese name (static msgid): 高风险, 中风险, 低风险; 未评估 for RISK_NONE. */
const char *risk_name_zh(RiskLevel r);

#endif
