/* app/summary.h: the draft of a unit's work summary (工作总结) for a period
 * (core/summary.h writes it): gathers the facts of the unit's subtree as of
 * the period's end (or today while it runs): the statistics providers'
 * figures (app/stats.h), the population of the unit, the social workers
 * of the data set "social_workers" (each unit's latest quarter up to the
 * end), eradication patrols and unit work records dated in the period, and
 * the prevention activities of the ledger (summary_activities). Needs PERM_PERSON_READ;
 * the unit in the scope (else ERR_NOT_FOUND); field errors for a bad
 * unit, period or dates. Persons are never named. */
#ifndef JINDU_APP_SUMMARY_H
#define JINDU_APP_SUMMARY_H
#include "app/app.h"
#include "core/buf.h"
#include "core/summary.h"
#include "store/org.h"

/* The request: unit code ("": the actor's), and period ("2026H1", "2026",
 * also "2026Q2" or "2026-06") or from/to (never both; none: the
 * half-year of today). */
typedef struct SummaryQuery {
  const char *org, *period, *from, *to;
} SummaryQuery;

typedef struct SummaryDraft {
  OrgUnit unit;
  char from[16], to[16], as_of[16];
  Buf title, text;  /* the caller's: summary_draft_free */
} SummaryDraft;
void summary_draft_free(SummaryDraft *d);

int app_summary(Ctx *c, const SummaryQuery *q, SummaryDraft *out, Err *e);

/* The prevention activities of the subtree of unit dated from..to (ISO,
 * inclusive; the current versions, as the ledger's list /activities):
 * the first SUMMARY_ACTIVITIES_NAMED of them oldest first into *out
 * (malloc'd, free(); *n of them) with their kind, 六进 settings,
 * participants and printed materials, and the totals of all of them into
 * f (activities_total, activity_participants, activity_materials). Inside
 * the caller's read transaction; the caller checked the unit's scope. */
int summary_activities(Ctx *c, const OrgUnit *unit, const char *from, const char *to, SummaryActivity **out, int *n,
                       SummaryFacts *f, Err *e);

#endif
