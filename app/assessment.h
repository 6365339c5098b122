/* app/assessment.h: the 无毒社区 / 无毒村 assessment use cases (DOMAIN.md §6;
 * rules in core/assessment.h): the sheets of the communities under a unit
 * for a year (the criteria set that applies to each, every item's figure
 * from the statistics (app/stats.h, by measure key), the street's
 * sign-offs and household sample, the capped score, veto, result, rank and
 * the application's state), the flow (a community applies, its street
 * reviews, the county approves: one transaction each, audited), the
 * street's sign-off of a manual item and its household sample, and the
 * criteria sets (read; an office sets its own unit's for a year).
 *
 * Reading needs PERM_PERSON_READ and the unit in scope (else 404). The year
 * is 2000 .. this year; its window is [1 January, 31 December], cut at
 * today, as of its last day. A criterion whose measure this build does not
 * have is "未接入" (AV_MISSING): shown, never scored.
 *
 * Scheme "unit" (无毒单位) assesses partner places instead of communities:
 * the active places (store/place.h) under the unit whose kind is one of
 * the subjects of the set that applies to the place's unit; automatic
 * items read the place's ledger figures (core/assessment.h
 * AssessPlaceFacts), not the statistics. A place's sheet is asked for by
 * place id (AssessQuery.place); its unit (org) is the unit it is registered
 * under. Its flow: the place's community (a social worker or cadre of the
 * unit it is registered under) or the street office above it applies, the
 * street office reviews and signs, the county approves. */
#ifndef JINDU_APP_ASSESSMENT_H
#define JINDU_APP_ASSESSMENT_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "app/stats.h"
#include "core/assessment.h"
#include "store/assessment.h"
#include "store/org.h"
#include "store/place.h"

#define ASSESS_NOTE_CHARS 500

/* The schemes ("community" 无毒社区, "village" 无毒村, "unit" 无毒单位):
 * code and title; assess_scheme_places: whether its subjects are places. */
bool assess_scheme_valid(const char *scheme);
bool assess_scheme_places(const char *scheme);
const char *assess_scheme_title_zh(const char *scheme); /* a msgid */

/* A request: unit code ("" or NULL: the actor's own unit), scheme ("" or
 * NULL: community), year text ("" or NULL: this year), place id text
 * (scheme "unit": one place under the unit; "" or NULL: every place; a
 * place out of scope: ERR_NOT_FOUND). */
typedef struct AssessQuery {
  const char *org, *scheme, *year, *place;
} AssessQuery;

/* A criteria set as it applies. */
typedef struct AssessCriteria {
  AssessSetRow set;
  AssessSectionDef secs[ASSESS_SECTIONS_MAX];
  int nsecs;
  AssessItemDef items[ASSESS_ITEMS_MAX];
  int nitems;
} AssessCriteria;

/* One item of one unit's sheet. */
typedef struct AssessItemEval {
  AssessVerdict v;
  bool is_rate;        /* the figure is num ÷ den */
  int64_t num, den;    /* the measure's figures (auto, sample) */
  int64_t value;       /* num for a count; the rate in tenths; -1 for 0 ÷ 0 or none */
  bool has_mark;       /* manual: the street's sign-off */
  int64_t mark_id;
  char note[600], by[64], at[40];
} AssessItemEval;

typedef struct AssessSheet {
  OrgUnit unit;        /* the community; for a place, the unit it is registered under */
  int64_t place_id;    /* scheme "unit": the place (else 0) */
  char place_name[FIELD_BYTES(PLACE_NAME_CHARS)], place_kind[24];
  AssessPlaceFacts pf; /* scheme "unit": the place's figures */
  char street_name[128];
  int crit;            /* index into the table's criteria */
  AssessItemEval items[ASSESS_ITEMS_MAX];
  AssessScore score;
  int rank;
  AssessState state;
  int64_t app_id;
  char state_at[40];
  bool has_sample;
  AssessSampleRow sample;
} AssessSheet;

typedef struct AssessTable {
  OrgUnit unit;
  char scheme[16];
  int year;
  StatsWindow w;           /* the year's window */
  AssessCriteria *crit;    /* the sets in use, malloc'd */
  int ncrit;
  int64_t place_id;        /* scheme "unit": only this place (0: every place) */
  AssessSheet *sheets;     /* the communities (or places) under unit, by street then code; malloc'd */
  int n;
  int *order;              /* sheet indices, best first (the ranking) */
} AssessTable;

/* The sheets of every community under q's unit (the unit itself when it is
 * one). Free with app_assess_table_free. */
int app_assess_table(Ctx *c, const AssessQuery *q, AssessTable *out, Err *e);
void app_assess_table_free(AssessTable *t);

/* The flow: action on the application of unit org for (scheme, year), with
 * an optional note (a return or a rejection needs one). Rights: apply, a
 * social worker or cadre of the community itself; review_pass and
 * review_return, the office of a street above it; approve and reject, the
 * office (admin) of the county above it (else ERR_FORBIDDEN). A transition
 * the state does not allow, a review_pass while items are pending, an
 * approve of a sheet that does not pass: ERR_CONFLICT. Records the step
 * with the sheet's score; audited ("assess_<action>" on the unit). */
int app_assess_act(Ctx *c, const AssessQuery *q, const char *action, const char *note, AssessState *state, Err *e);

/* The street office's sign-off of manual item item_key (met or not, with
 * a note naming the evidence), while the application is open (none,
 * applied, returned; else ERR_CONFLICT). *mark_id the sign-off's row (for
 * its attachments). Audited ("assess_sign"). */
int app_assess_sign(Ctx *c, const AssessQuery *q, const char *item_key, const char *met, const char *note,
                    int64_t *mark_id, Err *e);

/* The street office's household sample (入户抽查) of the unit, dated date
 * (in the year, not in the future), while the application is open.
 * Audited ("assess_sample"). */
int app_assess_sample(Ctx *c, const AssessQuery *q, const char *date, const AssessSample *s, const char *note,
                      Err *e);

/* The criteria that apply to q's unit for (scheme, year), with where they
 * come from (set.org_name "" for the built-in default). */
int app_assess_criteria(Ctx *c, const AssessQuery *q, OrgUnit *unit, AssessCriteria *out, Err *e);
/* Sets q's unit's own criteria for (scheme, year) (replacing its set of
 * that year): an office (admin or office) of that very unit. Checked by
 * assess_set_check; audited ("assess_criteria"). *created: a new set.
 * subjects: scheme "unit", the place kinds assessed (comma-joined; NULL
 * or "": school,enterprise,venue,member_unit; assess_subjects_check);
 * ignored for the other schemes. */
int app_assess_criteria_put(Ctx *c, const AssessQuery *q, const char *title, int pass_percent, int sample_min,
                            int sample_max, const char *subjects, const AssessSectionDef *secs, int nsecs,
                            const AssessItemDef *items, int nitems, bool *created, Err *e);

/* The unit (code), place (0: none), scheme and year of sign-off mark_id,
 * for the actor (out of scope or none: ERR_NOT_FOUND); the strings are
 * copied into the caller's buffers. */
int app_assess_mark_unit(Ctx *c, int64_t mark_id, char code[64], int64_t *place_id, char scheme[16], int *year,
                         Err *e);

/* The steps of the application of q's unit (oldest first); *n 0 when it
 * has none. */
int app_assess_steps(Ctx *c, const AssessQuery *q, AssessStepRow **out, int *n, Err *e);

#endif
