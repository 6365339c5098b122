/* app/stats.h: the statistics use cases (DOMAIN.md §6, §6a): the table of a
 * unit (its child units as rows, every measure as columns, the unit's total
 * as of a day D over a period [F, T], with the period before (环比) and the
 * same period a year before (同比)), the persons or records behind one
 * number (scoped and audited like a list), and the monthly trend of the
 * main measures. Needs PERM_PERSON_READ; the unit must lie in the actor's
 * scope (else ERR_NOT_FOUND); an unknown unit, a bad day or period, an
 * unknown measure are field errors (ERR_INVALID).
 *
 * The figures come from providers, one per kind of record, each with its
 * own slots (core/stats.h's measure table names a provider and its slots):
 * "person" (the person measures, from the facts app/stats_facts.h keeps),
 * the prevention ledgers "activity", "survey", the casework's "service" and
 * "letter" (responsibility letters, whose items are records: the letters or
 * the required signers). A provider is a row of the table of app/stats.c
 * and its measures rows of core/stats.c. */
#ifndef JINDU_APP_STATS_H
#define JINDU_APP_STATS_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/idcard.h"
#include "core/stats.h"
#include "store/org.h"
#include "store/stats.h"

/* Room for the slots of every provider. */
#define STATS_SLOTS_MAX 96

/* The request: unit code ("" or NULL: the actor's own unit), the day D
 * ("": today), and the period: period ("2026-06", "2026Q2", "2026H1",
 * "2026"), or from/to ("": from the first of January of D's year / to D),
 * never both. */
typedef struct StatsQuery {
  const char *org, *date, *from, *to, *period;
} StatsQuery;

/* A day D and a period [F, T]. */
typedef struct StatsWindow {
  Day d;
  StatPeriod p;
} StatsWindow;

/* The figures of every slot of every provider. */
typedef struct StatsFigures {
  int64_t v[STATS_SLOTS_MAX];
} StatsFigures;

typedef struct StatsRow {
  OrgUnit unit;
  StatsFigures f;
} StatsRow;

typedef struct StatsTable {
  OrgUnit unit;
  StatsWindow now, previous, year_ago;
  StatsFigures total, total_previous, total_year_ago; /* the unit's; the total row is the sum of the rows */
  StatsRow *children; /* the direct child units, by code; malloc'd */
  int nchildren;
} StatsTable;

/* A measure's numerator (den false) or denominator in f (0 for a count's
 * denominator). */
int64_t stats_figure(const StatsFigures *f, const StatMeasure *m, bool den);

/* Reads the unit and the window of q for the actor (the checks above). */
int app_stats_window(Ctx *c, const StatsQuery *q, OrgUnit *unit, StatsWindow *w, Err *e);
/* The table of q (with the compared periods when compare). Free with
 * app_stats_table_free. */
int app_stats_table(Ctx *c, const StatsQuery *q, bool compare, StatsTable *out, Err *e);
void app_stats_table_free(StatsTable *t);

/* The figures of window w for each of rows[0..nrows) (units of root's
 * subtree that do not nest: each row holds its own subtree) into rows[i].f,
 * inside the caller's transaction; no rights are checked (the caller has
 * checked root). The assessment's rows (app/assessment.h). */
int app_stats_rows(Ctx *c, const OrgUnit *root, const StatsWindow *w, StatsRow *rows, int nrows, Err *e);

/* One person behind a number. */
typedef struct StatsItem {
  int64_t person_id;
  int count;          /* what the person adds to the number (orders, releases: may be more than 1) */
  int64_t org_id;     /* the unit responsible on D */
  char org_code[64], org_name[128];
  Status status;      /* status on D */
  char name[FIELD_BYTES(PERSON_NAME_CHARS)];
  char id_masked[IDCARD_MASKED_LEN];
  char now_org_name[128]; /* today's unit */
  /* a record's (StatsItems.record set; person_id is then the record's id,
   * org_id its unit): what kind, who (the signer), the day (signed; "":
   * not by D), the letter behind it (0: none) */
  char rec_kind[48];
  char rec_name[FIELD_BYTES(100)];
  char rec_date[DATE_ISO_LEN];
  int64_t rec_letter;
} StatsItem;

typedef struct StatsItems {
  OrgUnit unit;
  StatsWindow w;
  const StatMeasure *measure;
  bool den;           /* the denominator's persons */
  const char *record; /* NULL: the items are persons; else records: "letter", "letter_required" */
  StatsItem *items;   /* the page, malloc'd */
  int n;
  int64_t total;      /* the number itself */
  int64_t persons;    /* the persons behind it */
  int64_t hidden;     /* of them now outside the actor's scope: counted, not listed */
  /* app_stats_items_page stopped reading once the page and one more visible
   * person were found: a next page exists, and total, persons, hidden and
   * hidden_units count the persons read up to there (at least) */
  bool partial;
  int page, per_page;
  /* the page's neighbours (app_stats_items_page): the positions ("ORG.PERSON",
   * the unit's and the person's ids) of its first and last persons, for the
   * links to the page before (before=) and after (after=); "" when there is
   * none that way or the measure's persons are not read by position */
  char prev_before[48], next_after[48];
  bool keyed; /* the page was read from a position (after= or before=): the counts are of what was read */
  /* the units responsible on D of the hidden persons, with how many each
   * (issue 9: what crosses the boundary of 人户分离 is counts and the
   * supervising units, no person); malloc'd, by first appearance */
  struct StatsUnitCount { char code[64], name[128]; int64_t count; } *hidden_units;
  int nhidden_units;
} StatsItems;

/* The persons behind measure's part ("num" (default) or "den") for q,
 * page by page (per_page 1..STATS_ITEMS_MAX; the export asks for the
 * bound), in the order of their unit on D and id; masked ID numbers as the
 * person list. The read is audited ("stats_items" on the unit). */
#define STATS_ITEMS_MAX 50000
int app_stats_items(Ctx *c, const StatsQuery *q, const char *measure, const char *part, int page, int per_page,
                    StatsItems *out, Err *e);
/* As app_stats_items for a page to show: the persons are read in the same
 * order and stop once the page's and one more visible person are found
 * (out->partial then; page N reads N × per_page + 1 of them), so a page
 * near the start of a long list costs a fraction of the whole. The
 * persons listed are those app_stats_items lists. With after (or before),
 * a position "ORG.PERSON" of out->next_after (out->prev_before) of a page
 * read before, the page is the per_page persons after (before) it, and only
 * they and one more are read (out->keyed, out->partial: the counts are of
 * those; page only numbers it). A position that is no unit of the subtree
 * and a person, or one given for a measure whose persons are not read by
 * position, is a field error (STATS_M_POSITION). */
#define STATS_M_POSITION "翻页位置无效，请从第一页开始"
int app_stats_items_page(Ctx *c, const StatsQuery *q, const char *measure, const char *part, int page, int per_page,
                         const char *after, const char *before, StatsItems *out, Err *e);
void app_stats_items_free(StatsItems *t);

/* The messages of a request's period and dates, for every use case that
 * takes one (the statistics, the summary draft). */
#define STATS_M_DATE "日期格式应为 YYYY-MM-DD"
#define STATS_M_PERIOD "统计期应为 2026、2026H1、2026Q2 或 2026-06 这样的写法"
#define STATS_M_PERIOD_AND_DATES "统计期和起止日期只能选一种"
#define STATS_M_TO_BEFORE_FROM "结束日期不能早于开始日期"

/* A step for other use cases (no transaction, no rights check): *unit, the
 * unit of code (NULL or "": the actor's own; an unknown code adds field
 * "org" "没有这个单位" to e). Returns e->code when e holds an error (a field
 * error added before included), ERR_NOT_FOUND "单位不存在或不在管辖范围内"
 * when the unit is outside the actor's scope. */
int stats_unit_step(Ctx *c, const char *code, OrgUnit *unit, Err *e);

/* A step for other use cases (no transaction of its own, no rights
 * check): the figures of unit over window w, the unit's into *total and,
 * when children (nchildren of them, their .unit filled: the unit's direct
 * children), each child's. */
int stats_figures_step(Ctx *c, const OrgUnit *unit, const StatsWindow *w, StatsFigures *total, StatsRow *children,
                       int nchildren, Err *e);

/* The main measures month by month: the STATS_TREND_MONTHS months up to D's
 * month, each as of its last day (D for the last) over the month. */
#define STATS_TREND_MONTHS 24
typedef struct StatsTrend {
  OrgUnit unit;
  StatsWindow w[STATS_TREND_MONTHS];
  StatsFigures f[STATS_TREND_MONTHS];
} StatsTrend;
int app_stats_trend(Ctx *c, const StatsQuery *q, StatsTrend *out, Err *e);

#endif
