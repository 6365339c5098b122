/* core/assessment.h: the rules of the 无毒社区 / 无毒村 assessment (DOMAIN.md
 * §6: "五无一个不低于", a 100-point sheet, 一票否决, household sampling), as
 * pure functions over values the caller has read: which criteria set applies
 * to a unit and year (sets are data, versioned per year and inherited down
 * the unit tree), the verdict of one item (a measure's value against its
 * target; a measure this build does not have is "未接入", never guessed), the
 * score of a sheet (points per item, each section capped, items may add up
 * to more than their section's cap), veto items, the pass rule, the ranking
 * of units, the household sample's checks and rates, and the application
 * flow (a community applies, the street reviews, the county approves).
 *
 * Nothing here reads a clock or a database. */
#ifndef JINDU_CORE_ASSESSMENT_H
#define JINDU_CORE_ASSESSMENT_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"

/* ---- criteria (rows of assess_set / assess_section / assess_item) ---- */

#define ASSESS_KEY_LEN 40
#define ASSESS_LABEL_LEN 160
#define ASSESS_ITEMS_MAX 48
#define ASSESS_SECTIONS_MAX 12

typedef enum {
  AK_AUTO,   /* computed from the data: a statistics measure (app/stats.h) by its API key */
  AK_MANUAL, /* an evidence file and the street's sign-off */
  AK_SAMPLE  /* the on-site household sample: measure "accuracy" or "completeness" */
} AssessItemKind;

typedef enum {
  AO_MAX, /* met when value <= target ("no new users": new_found <= 0) */
  AO_MIN  /* met when value >= target ("isolation rate not below 30 %") */
} AssessOp;

/* One item of a sheet. target is a count for a count measure, a percentage
 * in tenths for a rate (30.0 % = 300). */
typedef struct AssessItemDef {
  char key[ASSESS_KEY_LEN];
  char section[ASSESS_KEY_LEN];
  char label[ASSESS_LABEL_LEN];
  AssessItemKind kind;
  char measure[64];
  AssessOp op;
  int64_t target;
  int points;     /* earned when met */
  bool veto;      /* 一票否决: unmet fails the unit whatever its score */
  bool empty_met; /* a rate whose denominator is 0 (nobody to count) is met; else unmet */
} AssessItemDef;

typedef struct AssessSectionDef {
  char key[ASSESS_KEY_LEN];
  char label[ASSESS_LABEL_LEN];
  int cap; /* the most the section gives, whatever its items add up to */
} AssessSectionDef;

/* Kind and operator codes as stored ("auto", "manual", "sample"; "max",
 * "min"); the parse functions answer false for anything else. */
const char *assess_kind_code(AssessItemKind k);
bool assess_kind_parse(const char *s, AssessItemKind *out);
const char *assess_op_code(AssessOp o);
bool assess_op_parse(const char *s, AssessOp *out);

/* Checks a criteria set (sections, items, pass percentage, sample bounds)
 * as an office enters it: keys present and unique, every item in a
 * section, points 0..100, caps 1..100 adding up to 100, targets
 * non-negative (a rate's at most 1000 tenths), pass 1..100, the sample
 * bounds 1 <= min <= max <= 1000, sample items measure "accuracy" or
 * "completeness". Field errors into e ("sections", "items", "pass_percent",
 * "sample"); returns e->code. */
int assess_set_check(const AssessSectionDef *secs, int nsecs, const AssessItemDef *items, int nitems, int pass_percent,
                     int sample_min, int sample_max, Err *e);

/* ---- which set applies ---------------------------------------------- */

/* A candidate set: set on a unit at depth (0: the built-in default, 1: a
 * county, 2: a street, 3: a community; only the unit itself and its
 * ancestors are candidates) for year (it applies from that year on). */
typedef struct AssessSetRef {
  int depth;
  int year;
} AssessSetRef;

/* The set that applies in year: the latest year not after it, and of
 * those the nearest unit (deepest). Returns its index, -1 when none. */
int assess_set_pick(const AssessSetRef *sets, int n, int year);

/* ---- verdicts -------------------------------------------------------- */

typedef enum {
  AV_MET,
  AV_UNMET,
  AV_PENDING, /* a manual item not yet signed, a sample not yet entered */
  AV_MISSING  /* the measure does not exist on this build: 未接入, not scored */
} AssessVerdict;

const char *assess_verdict_code(AssessVerdict v); /* "met", "unmet", "pending", "not_available" */

/* The verdict of an automatic or sample item from its measure's figures:
 * a count (is_rate false) compares num with the target; a rate compares
 * num ÷ den (tenths, rounded half up as core/stats.h) with it, and a
 * denominator of 0 is d->empty_met. *value_tenths (may be NULL) gets the
 * rate in tenths, or num for a count, or -1 for a rate of 0 ÷ 0. */
AssessVerdict assess_compare(const AssessItemDef *d, bool is_rate, int64_t num, int64_t den, int64_t *value_tenths);

/* ---- the score --------------------------------------------------------- */

typedef enum { AR_PASS, AR_FAIL, AR_PENDING } AssessResult;
const char *assess_result_code(AssessResult r); /* "pass", "fail", "pending" */

typedef struct AssessSectionScore {
  int earned;   /* points of the met items, capped */
  int possible; /* points of the items evaluated (met, unmet, pending), capped */
  int raw;      /* points of the met items before the cap */
} AssessSectionScore;

typedef struct AssessScore {
  int score;          /* Σ sections' earned (capped) */
  int max;            /* Σ sections' possible: the points this build can evaluate */
  int best;           /* the score if every pending item were met */
  int64_t percent_tenths; /* score ÷ max in tenths, half up; -1 when max is 0 */
  int met, unmet, pending, missing;
  bool veto_failed;   /* a veto item unmet */
  AssessResult result;
  AssessSectionScore sections[ASSESS_SECTIONS_MAX];
} AssessScore;

/* Scores verdicts v[i] of items[i] over the sections. The result: fail when
 * a veto item is unmet, or when even best falls below pass_percent of max;
 * else pending while an item is pending (or nothing can be evaluated);
 * else pass when score >= pass_percent of max, fail otherwise. Missing
 * items count nowhere (max shrinks; the sheet says which). An item whose
 * section is not in secs counts in no section (assess_set_check refuses
 * such a set). */
void assess_score(const AssessSectionDef *secs, int nsecs, const AssessItemDef *items, const AssessVerdict *v,
                  int nitems, int pass_percent, AssessScore *out);

/* ---- ranking --------------------------------------------------------- */

/* Ranks n units by percent (tenths; -1 = nothing evaluable ranks last) and
 * then result (pass before pending before fail for equal percentages):
 * rank[i] = 1 + the number of units strictly better; ties share a rank
 * (1, 1, 3). order (may be NULL) gets the indices best first, ties in
 * input order. */
void assess_rank(const int64_t *percent, const AssessResult *result, int n, int *rank, int *order);

/* ---- the household sample (入户抽查) ------------------------------------ */

typedef struct AssessSample {
  int households; /* households visited */
  int records;    /* records checked against the system */
  int accurate;   /* of them, matching the system's (录入准确) */
  int complete;   /* of them, with every item entered (录入完整) */
} AssessSample;

/* Checks a sample: households within [min, max] of the set, records
 * 1..10000, accurate and complete each 0..records. Field errors
 * ("households", "records", "accurate", "complete"); returns e->code. */
int assess_sample_check(const AssessSample *s, int min, int max, Err *e);
/* The sample's figures for measure "accuracy" (accurate ÷ records) or
 * "completeness" (complete ÷ records); false for another measure. */
bool assess_sample_figures(const AssessSample *s, const char *measure, int64_t *num, int64_t *den);

/* ---- the flow ---------------------------------------------------------- */

typedef enum {
  AST_NONE,     /* not applied */
  AST_APPLIED,  /* the community applied; the street reviews */
  AST_RETURNED, /* the street sent it back; the community may apply again */
  AST_REVIEWED, /* the street passed it; the county decides */
  AST_APPROVED, /* the title is recorded */
  AST_REJECTED  /* the county refused it */
} AssessState;

typedef enum { AA_APPLY, AA_REVIEW_PASS, AA_REVIEW_RETURN, AA_APPROVE, AA_REJECT } AssessAction;

const char *assess_state_code(AssessState s); /* "none", "applied", ... */
bool assess_state_parse(const char *s, AssessState *out);
const char *assess_state_name_zh(AssessState s); /* 未申报, 已申报待街道审核, ... (msgids) */
const char *assess_action_code(AssessAction a);  /* "apply", "review_pass", ... */
bool assess_action_parse(const char *s, AssessAction *out);

/* The state after action a from state s; false when a is not allowed there
 * (a conflict: 409). apply: none or returned -> applied; review_pass:
 * applied -> reviewed; review_return: applied -> returned; approve:
 * reviewed -> approved; reject: reviewed -> rejected. */
bool assess_transition(AssessState s, AssessAction a, AssessState *to);
/* Whether the street may still sign manual items and enter the sample:
 * before the county has it (none, applied, returned). */
bool assess_state_open(AssessState s);

/* ---- 无毒单位: the partner places' figures ----------------------------- */

/* A criteria set of scheme "unit" assesses places (core/ledger.h place
 * kinds named by the set's subjects); its automatic items read these
 * figures of one place for a year as of a day D and its window [F, T]
 * (instead of a statistics measure). Added up row by row from the ledgers
 * by the assess_place_add_* functions below. */
typedef struct AssessPlaceFacts {
  int64_t letters;       /* place_letters: responsibility letters the place signed for the year, on or before D */
  int64_t activities;    /* place_activities: prevention activities held with the place in [F, T] */
  int64_t inspections;   /* place_inspections: inspections of the place in [F, T] */
  int64_t problems;      /* place_problems: of them, with a problem found */
  int64_t open_problems; /* place_open_problems: inspections up to D with a problem or a follow-up due, not done by D */
} AssessPlaceFacts;

/* The measure keys of AssessPlaceFacts ("place_letters", ...) with their
 * Chinese names (msgids), ending with {NULL, NULL}. */
typedef struct AssessPlaceMeasure {
  const char *key, *name_zh;
} AssessPlaceMeasure;
extern const AssessPlaceMeasure assess_place_measures[];

/* The Chinese name of place measure key, NULL when it is none. */
const char *assess_place_measure_name(const char *key);
/* The figure of place measure key in *num; false (num untouched) when the
 * key is not a place measure (the item is then 未接入). */
bool assess_place_figure(const AssessPlaceFacts *f, const char *key, int64_t *num);

/* What one letter adds: a letter for letter_year signed on day signed
 * counts when letter_year is year and signed <= d. */
void assess_place_add_letter(AssessPlaceFacts *f, int letter_year, Day signed_day, int year, Day d);
/* What one activity dated day adds: counted when from <= day <= to. */
void assess_place_add_activity(AssessPlaceFacts *f, Day day, Day from, Day to);
/* What one inspection adds: dated day, problem found or not, its follow-up
 * due and done days (LEDGER_NO_DAY of core/ledger.h when none): counted
 * (and its problem) when from <= day <= to; open when day <= d, a problem
 * was found or a follow-up is due, and it was not done by d. */
void assess_place_add_inspection(AssessPlaceFacts *f, Day day, bool problem, Day due, Day done, Day from, Day to,
                                 Day d);

/* Checks the subjects of a set of scheme "unit": a comma-joined list of
 * place kind codes (core/ledger.h), each once, at least one, no spaces.
 * Field error "subjects"; returns e->code. */
int assess_subjects_check(const char *subjects, Err *e);
/* Whether place kind is one of subjects (comma-joined codes). */
bool assess_subjects_has(const char *subjects, const char *kind);

#endif
