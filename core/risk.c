/* core/risk.c: owns the risk grading rule (see risk.h, DOMAIN.md §4
 * 分级分类管控): an additive points table over the facts of a person, the
 * thresholds that give high/medium/low, and the codes and Chinese names of
 * the levels. Pure.
 *
 * Points (negative counts count as 0):
 *   fact                                          points
 *   hard drug (heroin, opium, cocaine, NPS)         +2
 *   two or more kinds of drug (poly-drug use)       +1
 *   each compulsory isolation episode               +1   (at most 3)
 *   each relapse (positive test / relapse event)    +2   (at most 6)
 *   abstinent under 12 months                       +2
 *   abstinent 12 to 23 months                       +1
 *   each of the "three withouts" (三无)             +1   (0..3)
 *   no family support                               +1
 *   each refused/absent test since the clock        +1   (at most 3)
 *   lost contact within the last 12 months         +3
 *   an offence (event offence, 吸毒人员犯罪) within   +4
 *     the last 24 months (RISK_OFFENCE_MONTHS)
 * Levels: high at 7 points or more, medium at 4 to 6, low below 4.
 * A serious breach of the agreement makes the level high whatever the
 * points (the points are still reported as counted). The largest possible
 * score is 2+1+3+6+2+3+1+3+3+4 = 28. An offence alone makes a person
 * medium at least. */
#include "risk.h"
#include <assert.h>
#include <string.h>

enum {
  PTS_HARD_DRUG = 2,
  PTS_POLY_DRUG = 1,   /* drug_kinds >= 2 */
  PTS_ISOLATION = 1, MAX_ISOLATIONS = 3, /* counted episodes: at most 3 points */
  PTS_RELAPSE = 2, MAX_RELAPSES = 3,     /* counted relapses: at most 6 points */
  PTS_UNDER_12M = 2,
  PTS_UNDER_24M = 1,
  PTS_WITHOUT = 1, MAX_WITHOUTS = 3,
  PTS_NO_FAMILY = 1,
  PTS_MISSED = 1, MAX_MISSED = 3,
  PTS_LOST_CONTACT = 3,
  PTS_OFFENCE = 4
};

/* count clamped to 0..max. */
static int clamp(int count, int max) { return count < 0 ? 0 : count > max ? max : count; }

/* Points of f by the table above (0..28). */
static int risk_points(const RiskFactors *f) {
  int pts = 0;
  if (f->hard_drug) pts += PTS_HARD_DRUG;
  if (f->drug_kinds >= 2) pts += PTS_POLY_DRUG;
  pts += clamp(f->isolation_count, MAX_ISOLATIONS) * PTS_ISOLATION;
  pts += clamp(f->relapse_count, MAX_RELAPSES) * PTS_RELAPSE;
  int m = f->months_abstinent < 0 ? 0 : f->months_abstinent;
  if (m < 12) pts += PTS_UNDER_12M;
  else if (m < 24) pts += PTS_UNDER_24M;
  pts += clamp(f->three_withouts, MAX_WITHOUTS) * PTS_WITHOUT;
  if (f->no_family_support) pts += PTS_NO_FAMILY;
  pts += clamp(f->missed_tests, MAX_MISSED) * PTS_MISSED;
  if (f->lost_contact_recently) pts += PTS_LOST_CONTACT;
  if (f->offence_recent) pts += PTS_OFFENCE;
  return pts;
}

/* Level of f (never RISK_NONE); the points go to *score_out when given. */
RiskLevel risk_grade(const RiskFactors *f, int *score_out) {
  assert(f);
  int pts = risk_points(f);
  if (score_out) *score_out = pts;
  if (f->serious_breach || pts >= RISK_HIGH_MIN_SCORE) return RISK_HIGH;
  if (pts >= RISK_MEDIUM_MIN_SCORE) return RISK_MEDIUM;
  return RISK_LOW;
}

/* The API code and Chinese name (static msgid) of each level; RISK_NONE's
 * stand for it and for values outside the enum. */
static const struct {
  const char *code, *zh;
} risk_names[] = {
  [RISK_NONE] = {"", "未评估"},
  [RISK_LOW] = {"low", "低风险"},
  [RISK_MEDIUM] = {"medium", "中风险"},
  [RISK_HIGH] = {"high", "高风险"},
};

/* r, or RISK_NONE for a value outside the enum. */
static RiskLevel risk_known(RiskLevel r) { return r >= RISK_NONE && r <= RISK_HIGH ? r : RISK_NONE; }

/* API code of r; "" for RISK_NONE and values outside the enum. */
const char *risk_code(RiskLevel r) { return risk_names[risk_known(r)].code; }

/* Level whose code is exactly code; RISK_NONE otherwise. */
RiskLevel risk_from_code(const char *code) {
  for (RiskLevel r = RISK_LOW; code && r <= RISK_HIGH; r++)
    if (strcmp(code, risk_names[r].code) == 0) return r;
  return RISK_NONE;
}

/* Chinese name of r (static msgid); 未评估 for RISK_NONE and unknown values. */
const char *risk_name_zh(RiskLevel r) { return risk_names[risk_known(r)].zh; }
