/* core/summary.h: the draft of a unit's work summary (工作总结) for a
 * half-year or a year, in the structure the offices' own summaries use
 * (一、基本情况 / 二、主要做法和成效 with its parts / 三、存在的问题 /
 * 四、下步工作打算), every figure from the facts given (as of the period's
 * end), statuses in the offices' words (服刑, 强制隔离戒毒, 社区戒毒,
 * 社区康复, 社会帮教), persons never named. The sections come from one table
 * of builders (summary_sections): a builder writes its paragraphs and says
 * whether the section is there at all (a part with nothing to say is left
 * out, and the numbering closes up); the prevention ledger's activities
 * are one row. Pure: the facts are gathered by app/summary.c. */
#ifndef JINDU_CORE_SUMMARY_H
#define JINDU_CORE_SUMMARY_H
#include <stdbool.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/prevention.h"
#include "core/status.h"

/* A rate's numerator and denominator (den 0: no one to count). */
typedef struct SummaryRate {
  int64_t num, den;
} SummaryRate;

/* One prevention activity of the period (from the activity ledger). */
typedef struct SummaryActivity {
  char date[11];      /* YYYY-MM-DD */
  char title[256];
  int64_t participants;
  char kind_zh[32];      /* 讲座 ("": not said) */
  char settings_zh[128]; /* 进学校、进家庭 ("": none) */
  int64_t materials;     /* printed materials (prevention_materials_printed) */
} SummaryActivity;

/* How many activities the draft names (the rest are counted). */
#define SUMMARY_ACTIVITIES_NAMED 20

/* Everything the draft says, for one unit and one period. */
typedef struct SummaryFacts {
  const char *unit_name;   /* 南湾街道 */
  const char *period_zh;   /* 2026年上半年 */
  int as_of_y, as_of_m, as_of_d; /* the day the figures are taken as of */
  int children;            /* units directly below (0: none) */
  const char *child_term;  /* what they are called: 社区, 街道 ("" none) */
  int64_t pop_registered, pop_resident, pop_floating; /* -1 when not recorded */
  int64_t workers_approved, workers_filled;           /* -1 when not recorded */
  int64_t registered, current, abstinent_3y, supervised, lost_contact, new_found, relapsed;
  int64_t by_status[ST__COUNT];
  SummaryRate control, help, test, relapse, isolation, report, pickup, complete;
  int64_t patrols, area_mu, plants_found, plants_destroyed;
  int64_t intel_exchanges, screenings, info_submissions;
  const SummaryActivity *activities; /* the named ones, oldest first; may be NULL */
  int nactivities;                   /* how many are named (<= activities_total) */
  int64_t activities_total;          /* all activities of the period (0: nactivities) */
  int64_t activity_participants;     /* all activities' participants */
  int64_t activity_materials;        /* all activities' printed materials */
  int64_t activity_settings[ACTIVITY_SETTINGS]; /* all activities per 六进 setting (activity_setting_vocab' order) */
} SummaryFacts;

/* One section: its level (1: 一、; 2: （一）under the last level 1), its
 * heading without the number (a msgid), and its builder, which appends its
 * paragraphs (each ending in '\n') and returns false when the section is
 * to be left out. A builder NULL: a heading alone (a level 1 whose parts
 * follow). */
typedef struct SummarySection {
  const char *code;
  int level;
  const char *heading_zh;
  bool (*build)(const SummaryFacts *f, Buf *out);
} SummarySection;

extern const SummarySection summary_sections[];
int summary_section_count(void);

/* The title: "南湾街道2026年上半年禁毒工作总结". */
void summary_title(const SummaryFacts *f, Buf *out);
/* The text of the draft: the sections in order, each heading on a line
 * of its own ("一、基本情况", "（一）落实管控帮教"), then its paragraphs,
 * one a line. */
void summary_text(const SummaryFacts *f, Buf *out);
/* Appends "68.6%（860/1254）", or nothing and false when den is 0. */
bool summary_rate(SummaryRate r, Buf *out);
/* The Chinese numeral of 1..99 (一, 十二) into out (16 bytes). */
void summary_numeral(int n, char out[16]);

#endif
