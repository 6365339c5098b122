/* core/stats.h: the measures of DOMAIN.md §6a as pure functions, in one
 * place: the measure table (key, Chinese name, the definition printed in
 * the footnote, count or rate, the provider that computes it, its
 * numerator and denominator), a person's statistical facts (StatFacts:
 * every timeline a measure reads, derived from the history once, by the
 * writers, and kept compact), the one evaluation of a person for a day D
 * and a period [F, T] (stats_eval: the unit responsible on D, the status
 * on D, the person's contribution to every numerator and denominator),
 * the encoding of the facts that the store keeps, the rate rule (one
 * decimal, half up; "—" for a denominator of 0) and the periods of the
 * statistics page (month, quarter, half-year, year, custom; the period
 * before, the same period a year before).
 *
 * Nothing here reads a clock, a database or today's person row: the
 * status on D is the standing episode that had begun by D, the unit on D
 * the unit history's row in force on D, contact the last lost/found
 * event by D, the schedule (when talks and tests were due) the supervision
 * engine's own (core/supervision.h) run over the history as it stood on
 * each day. */
#ifndef JINDU_CORE_STATS_H
#define JINDU_CORE_STATS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/date.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/supervision.h"

/* ---- the person measures' slots --------------------------------------- *
 * What one person adds to each count of a unit for (D, F, T): persons (0
 * or 1) for most slots, orders or releases (0..n) for the report and
 * pickup slots. A count measure reads one slot; a rate reads two. */
typedef enum {
  SS_REGISTERED,   /* 在册: status on D not dead or emigrated (abstinent_3y included) */
  SS_CURRENT,      /* 现有: registered minus abstinent_3y */
  SS_SUPERVISED,   /* community detox, community rehab or social supervision on D */
  SS_IN_COMMUNITY, /* community detox or community rehab on D */
  SS_LOST_CONTACT, /* supervised and out of contact on D */
  SS_NEW_FOUND,    /* first found in [F, T] */
  SS_RELAPSED,     /* a positive test dated in [F, T] */
  SS_STATUS0,      /* registered by status on D: SS_STATUS0 + Status, ST_NONE .. ST_ABSTINENT_3Y */
  SS_CONTROL_NUM = SS_STATUS0 + ST_DEAD, /* supervised, in contact, team in place, no talk overdue on D */
  SS_HELP_NUM,     /* supervised, team in place on D, a talk or visit in [F, T] */
  SS_TEST_DEN,     /* supervised on D, a test due in [F, T] */
  SS_TEST_NUM,     /* ... and every test due in [F, T] done by its due date */
  SS_TESTED,       /* a completed (negative or positive) test in [F, T] */
  SS_REPORT_DEN,   /* community orders whose 15-day report deadline falls in [F, T] */
  SS_REPORT_NUM,   /* ... reported by the deadline */
  SS_PICKUP_DEN,   /* releases from isolation or prison in [F, T] */
  SS_PICKUP_NUM,   /* ... received on the day */
  SS_COMPLETE_NUM, /* supervised, and the file complete on D (stats_file_complete) */
  SS_OFFENDED,     /* an offence (event "offence", 吸毒人员犯罪) dated in [F, T] (issue 9) */
  SS__COUNT
} StatSlot;

/* The slots of the service provider (app/stats.c "service"): services
 * referred in [F, T] by units of the scope, by kind (core/casework.h
 * service_kind_vocab order) and by state on D. */
#define SV_SLOT_KIND0 0
#define SV_SLOT_STATE0 10 /* SERVICE_KINDS */
#define SV_SLOT_TOTAL 14  /* + SERVICE_STATES */
#define SV_SLOTS 15
/* The slots of the provider "elsewhere" (人户分离, issue 9; app/stats.c):
 * supervised in U with the household outside U; of U's household area
 * (household division within U's code) and supervised outside U; of U's
 * household area and supervised anywhere. */
typedef enum { SE_AWAY, SE_OUT, SE_HOME, SE__COUNT } StatElsewhereSlot;

/* ---- the measure table ------------------------------------------------- */

typedef enum { SM_COUNT, SM_RATE } StatKind;

/* One measure. A count is slot num summed over the persons (den -1); a
 * rate is num ÷ den, each summed, so that a total row recomputes a rate
 * from the summed numerator and denominator (never an average of rates).
 * Measures of other providers (the prevention ledgers: activities,
 * surveys, letters) are rows with their provider's name; their slots are
 * that provider's. */
typedef struct StatMeasure {
  const char *key;      /* API name: "registered", "control_rate", "by_status.community_detox" */
  const char *name_zh;  /* column header (a msgid) */
  const char *def_zh;   /* the definition for the footnote (a msgid) */
  StatKind kind;
  const char *provider; /* "person"; later "activity", "survey", "letter" */
  int num, den;         /* the provider's slots (den -1 for a count) */
  bool main;            /* a column of the statistics table (by-status counts have their own table) */
  bool trend;           /* drawn in the monthly trend chart */
} StatMeasure;

/* The table, in column order, and its length. */
extern const StatMeasure stat_measures[];
int stats_measure_count(void);
/* The measure with API key, or NULL. */
const StatMeasure *stats_measure_by_key(const char *key);

/* ---- rates -------------------------------------------------------------- */

/* The rate num ÷ den as a percentage in tenths rounded half up (860 ÷ 1254
 * = 68.6 % gives 686); false when den is 0 (the rate is "—"). num and den
 * are non-negative. */
bool stats_rate_tenths(int64_t num, int64_t den, int64_t *tenths);
/* The rate as people read it: "68.6%", or "—" when den is 0. */
#define STATS_RATE_TEXT_LEN 48
void stats_rate_text(int64_t num, int64_t den, char out[STATS_RATE_TEXT_LEN]);

/* ---- a person's facts -------------------------------------------------- */

#define STAT_NO_DAY INT32_MIN   /* no such day (a due date when nothing is due) */
#define STAT_DAY_MIN (INT32_MIN + 1) /* before every day: "since always" */
#define STAT_DAY_MAX INT32_MAX  /* after every day: "not yet ended" */

typedef struct StatUnitSpan { Day from; int64_t org_id; } StatUnitSpan; /* in force from `from` */
typedef struct StatEp { Day begin; uint8_t status; } StatEp;          /* a standing episode */
typedef struct StatMark { Day day; uint8_t flag; } StatMark;          /* a dated yes/no */
typedef struct StatSpan { Day from, to; } StatSpan;                   /* [from, to) */
typedef struct StatStep { Day from; Day due; } StatStep;              /* next due from `from` on */

/* Every timeline the measures read, for one person. Arrays are the
 * struct's own (stats_facts_free); stats_facts_clear empties them for
 * reuse. Days in each list ascend except eps (history order: the status on
 * D is the last in this order that had begun by D). */
typedef struct StatFacts {
  Day known;  /* the first day the person is on the register: the earliest of first found, first
                 episode and the day the file was made */
  Day found;  /* first found (first_found_date), STAT_NO_DAY when not recorded */
  StatUnitSpan *units; int nunits, cap_units; /* the responsible community; the first from STAT_DAY_MIN */
  StatEp *eps; int neps, cap_eps;
  StatMark *contact; int ncontact, cap_contact;    /* flag 1 lost_contact, 0 found */
  StatSpan *team; int nteam, cap_team;             /* each help-team member's time on the team */
  Day *talks; int ntalks, cap_talks;               /* talks and visits of any kind */
  Day *tests; int ntests, cap_tests;               /* completed tests (negative or positive) */
  Day *positives; int npositives, cap_positives;
  StatStep *test_due; int ntest_due, cap_test_due; /* the engine's next test due, from each day on */
  StatStep *talk_due; int ntalk_due, cap_talk_due; /* the engine's next talk due */
  StatMark *orders; int norders, cap_orders;       /* community orders: report deadline, flag reported by it */
  StatMark *releases; int nreleases, cap_releases; /* releases from isolation or prison: day, flag received */
  Day *agreements; int nagreements, cap_agreements; /* documents signed (agreements, responsibility letters) */
  Day plan_from;        /* the first case plan with a measure (STAT_NO_DAY: none) */
  uint8_t checks_off;   /* the checks of the complete file that the rule leaves out (CF_*, core/casework.h) */
  Day *offences; int noffences, cap_offences;       /* offences (events "offence"), read by every evaluation */
  /* decoded in part (stats_facts_decode without full): contact, team,
   * talks, the due steps and agreements wait at rest..rest_end */
  bool partial;
  const uint8_t *rest, *rest_end;
} StatFacts;

void stats_facts_clear(StatFacts *f);
void stats_facts_free(StatFacts *f);

/* A row of the unit history (person_unit): from "" = since always. */
typedef struct StatUnitIn { const char *from; int64_t org_id; } StatUnitIn;
/* A help-team member: added and removed ("" = still on the team) as
 * stored (timestamps or dates; the date part counts). */
typedef struct StatMemberIn { const char *added, *removed; unsigned roles; } StatMemberIn; /* roles: its bit */

/* What the facts are made from: the supervision history (as the engine
 * reads it), and what the engine does not read. Nothing is owned. */
typedef struct StatSource {
  const SupHistory *h;
  const char *first_found;  /* "" when not recorded */
  const char *created_at;   /* when the file was made (its date part) */
  const StatUnitIn *units; int nunits;       /* in id order */
  const StatMemberIn *members; int nmembers;
  const char *const *agreements; int nagreements; /* signed dates of agreements and responsibility letters */
  /* The roles the unit requires of the help team (core/casework.h bits; 0:
   * any one member), resolved for today's unit: the team spans of the
   * facts are the days the members on the team covered them. */
  unsigned required_roles;
  const char *plan_from;  /* the day the first case plan was made ("" or NULL: none) */
  unsigned checks_off;    /* file_rule's checks switched off (CF_* bits; 0: the whole rule) */
} StatSource;

/* Builds f (cleared first) from s. The due-date steps come from
 * supervision_compute under rule, run on the history as it stood on each
 * day a fact is dated (the episodes that had begun by then): the next due
 * dates change only on such days. Pure. */
void stats_facts_build(const StatSource *s, const ScheduleRule *rule, StatFacts *f);

/* Appends the compact encoding of f to out (binary: version byte, then
 * zigzag LEB128 day deltas). */
void stats_facts_encode(const StatFacts *f, Buf *out);
/* Decodes n bytes at p into f (cleared first); false on malformed or
 * unknown-version input (f is then empty). Unless full, only what every
 * evaluation reads (unit, episodes, tests, orders, releases): f is
 * partial and points into p, which must stay valid until
 * stats_facts_complete (needed before stats_eval of a day on which the
 * person is supervised). */
bool stats_facts_decode(const void *p, size_t n, StatFacts *f, bool full);
/* Decodes the rest of a partial f (nothing when f is whole); false when
 * malformed (f is then empty). */
bool stats_facts_complete(StatFacts *f);
/* The distinct org ids of f's unit history into ids (room for f->nunits);
 * returns how many. */
int stats_facts_orgs(const StatFacts *f, int64_t *ids);

/* ---- marks: the sparse slots a person can ever count in ------------------ *
 * A few slots count only persons who have one kind of fact at all: lost
 * contact only a person with a lost-contact event, relapsed only one with
 * a positive test, offended only one with an offence. The store keeps
 * these marks beside each facts row (stat_person.marks, a partial index
 * per mark) so that the persons behind such a number are read from the
 * marked rows only, for any D and [F, T]: a person without the mark adds
 * 0 to the slot whatever the day. */
enum { STAT_MARK_LOST = 1, STAT_MARK_POSITIVE = 2, STAT_MARK_OFFENCE = 4 };
/* The marks of f (complete: its contact events are read). */
unsigned stats_facts_marks(const StatFacts *f);
/* The mark a person needs to count in slot (0: every person may). */
unsigned stats_slot_mark(int slot);

/* ---- evaluation --------------------------------------------------------- */

/* A day D and a period [F, T]. */
typedef struct StatWhen { Day d, f, t; } StatWhen;

typedef struct StatPersonEval {
  int64_t org_id;  /* the unit responsible on D (0: none) */
  Status status;   /* status on D (ST_NONE: none had begun) */
  uint16_t n[SS__COUNT];
} StatPersonEval;

/* true for community detox, community rehab and social supervision. */
bool stats_status_supervised(Status st);
/* What person f adds to every slot for w (f complete when the person is
 * supervised on w.d: assert). */
void stats_eval(const StatFacts *f, const StatWhen *w, StatPersonEval *out);
/* The unit responsible on day d (0 when none). */
int64_t stats_unit_on(const StatFacts *f, Day d);
/* The status on day d: the last standing episode begun by d (ST_NONE when none). */
Status stats_status_on(const StatFacts *f, Day d);

/* The help team "in place" on day d: the members on the team that day
 * cover the roles the unit requires (the facts' team spans). */
bool stats_team_in_place(const StatFacts *f, Day d);
/* No talk overdue on d: the engine's next talk due on d is not before d
 * (or nothing is due). */
bool stats_talk_on_time(const StatFacts *f, Day d);
/* The checks of the complete file (CF_* bits of core/casework.h, those the
 * rule keeps) that the file of a person of status `status` fails on d:
 * the team in place, a case plan by d, a document (under a community
 * order: an agreement or letter signed since the order began; otherwise
 * one signed by d), no talk overdue. Evaluated by casework_file_missing. */
unsigned stats_file_missing(const StatFacts *f, Status status, Day d);
/* The file complete on d (档案完整): stats_file_missing is 0. */
bool stats_file_complete(const StatFacts *f, Status status, Day d);

/* ---- periods ------------------------------------------------------------ */

typedef enum { SP_CUSTOM, SP_MONTH, SP_QUARTER, SP_HALF, SP_YEAR } StatPeriodKind;

typedef struct StatPeriod {
  StatPeriodKind kind;
  Day f, t;
} StatPeriod;

/* Parses "2026-06" (a month), "2026Q2", "2026H1", "2026" into *out; false
 * on anything else. (Folds into core/period.h when that exists.) */
bool stats_period_parse(const char *text, StatPeriod *out);
/* Writes the period's text ("2026Q2"; "2026-01-05~2026-03-31" for a custom
 * one) into out (32 bytes). */
void stats_period_format(const StatPeriod *p, char out[32]);
/* The period before p (环比): the month, quarter, half or year before; a
 * custom period: the same number of days just before it. */
void stats_period_previous(const StatPeriod *p, StatPeriod *out);
/* The same period a year before (同比); a period ending on a month's last
 * day ends on that month's last day (February of a leap year). */
void stats_period_year_ago(const StatPeriod *p, StatPeriod *out);
/* Shifts day d of period p to the matching day of q (d - p.t + q.t, kept
 * within q): the day D of a compared period. */
Day stats_period_shift_day(const StatPeriod *p, const StatPeriod *q, Day d);

#endif
