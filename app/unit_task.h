/* app/unit_task.h: unit tasks (单位工作任务): recurring duties of org units
 * with their rhythm as data, set on a unit for the units of one level of
 * its subtree and inherited down the tree (core/rhythm.h); the unit work
 * records that clear them (an intelligence exchange with the police, a
 * drug-situation screening, an information submission); and the tasks due
 * and overdue as of a day over a scope, which the workbench shows beside
 * the person items. A task "dataset:NAME" asks for the periods of data set
 * NAME (app/dataset.h), cleared by submitting them.
 *
 * Rights: every signed-in actor reads within their scope; PERM_PERSON_WRITE
 * records unit work for units in scope; the offices (admin, office) set the
 * rhythms of units in their scope. Writes are one transaction with their
 * audit row. */
#ifndef JINDU_APP_UNIT_TASK_H
#define JINDU_APP_UNIT_TASK_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "core/rhythm.h"
#include "store/dataset.h"
#include "store/unit_task.h"

/* The prefix of the task of a data set's periods ("dataset:police"). */
#define UNIT_TASK_DATASET "dataset:"

/* ---- unit work records ---- */

/* A unit work record to add (field table unit_work_record: text members
 * NULL or "" when empty). */
typedef struct UnitWorkInput {
  const char *org;   /* unit code, required, in scope */
  const char *kind;  /* a code of unit_task_vocab */
  const char *date;  /* required, not in the future */
  const char *title; /* optional (the information submitted, the places screened...) */
  const char *notes; /* optional */
} UnitWorkInput;
extern const RecordSpec unit_work_record;

/* Adds a unit work record; PERM_PERSON_WRITE (ERR_FORBIDDEN); field errors
 * of the table and "org" (no such unit in scope) in one round. *id (may be
 * NULL) gets the new record's id. */
int app_unit_work_add(Ctx *c, const UnitWorkInput *in, int64_t *id, Err *e);
/* Record id; ERR_NOT_FOUND when missing or its unit is out of scope. */
int app_unit_work_get(Ctx *c, int64_t id, UnitWorkRow *out, Err *e);

typedef struct UnitWorkQuery {
  const char *org;       /* a unit in scope (its subtree; NULL: the actor's scope; else ERR_NOT_FOUND) */
  const char *kind;      /* NULL or "": all; else a code of unit_task_vocab (field "kind") */
  const char *from, *to; /* dates (fields "from", "to") */
  int page, per_page;    /* page 1-based; per_page 1..UNIT_LIST_MAX (< 1: 50) */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} UnitWorkQuery;
/* The most rows one list call returns (the .xlsx of a whole filter). */
#define UNIT_LIST_MAX 50000

/* The records of q, newest first; *total counts all of q's; *out malloc'd (free()). */
int app_unit_work_list(Ctx *c, const UnitWorkQuery *q, UnitWorkRow **out, int *n, int64_t *total, Err *e);

/* ---- rhythms ---- */

/* A rhythm to set (field table unit_rhythm_record). */
typedef struct UnitRhythmInput {
  const char *org;         /* the unit it is set on (code, in scope) */
  const char *task;        /* a code of unit_task_vocab, or "dataset:NAME" */
  const char *level;       /* the level of the units it is for (at or below the unit's) */
  const char *period_type; /* a code of rhythm_period_vocab ("none": not required there) */
  int64_t per_period;      /* records a period needs (0: 1) */
  const char *since;       /* the first day it counts from ("" : today) */
} UnitRhythmInput;
extern const RecordSpec unit_rhythm_record;

/* Sets the rhythm of (org, task, level) on the unit: admin or office
 * (ERR_FORBIDDEN), the unit in scope (ERR_NOT_FOUND). A data set's task
 * takes the set's level and kind of period (or "none") and one a period
 * (field errors otherwise). *created (may be NULL): the unit had none. */
int app_unit_rhythm_set(Ctx *c, const UnitRhythmInput *in, bool *created, Err *e);
/* Removes the unit's own rhythm of (task, level): it inherits again.
 * Rights as app_unit_rhythm_set; ERR_NOT_FOUND when it had none. */
int app_unit_rhythm_clear(Ctx *c, const char *org, const char *task, const char *level, Err *e);
/* The rhythms that bear on the actor's scope: those set on its units and
 * on the units above it, by unit path; *out malloc'd (free()). */
int app_unit_rhythm_list(Ctx *c, UnitRhythmRow **out, int *n, Err *e);

/* ---- the tasks due ---- */

/* One task of one unit as of a day. */
typedef struct UnitTaskItem {
  char org_code[64], org_name[128];
  char task[UNIT_TASK_CODE_MAX];  /* "drug_screening", "dataset:police", ... */
  char dataset[DATASET_NAME_MAX]; /* the data set of a "dataset:" task, else "" */
  char label[FIELD_BYTES(60)];    /* the task's Chinese name (a msgid): the kind, or the set's title */
  char period[PERIOD_TEXT_LEN];   /* item.period as text */
  RhythmItem item;
} UnitTaskItem;

typedef struct UnitTaskQuery {
  const char *org;  /* a unit in scope (its subtree); NULL: the actor's scope; else ERR_NOT_FOUND */
  const char *date; /* as of (default today); field "date" when malformed */
} UnitTaskQuery;

/* The tasks due and overdue of the units of q's scope as of q's date:
 * for each unit, each task whose rhythm applies to it (its own or
 * inherited, not "none"), at most an overdue and a due item
 * (rhythm_eval). Overdue first (most days overdue first), then due (the
 * soonest first), then by unit and task. *out malloc'd (free()). The cost
 * is one pass over the units of the scope (cached tree) times the tasks
 * set, one query for the records of the last two years and one for the
 * periods submitted. */
int app_unit_tasks(Ctx *c, const UnitTaskQuery *q, UnitTaskItem **out, int *n, Err *e);

/* The Chinese name of a task code (a msgid): a kind of unit_task_vocab, or
 * for "dataset:NAME" the generic "数据填报"; "" when unknown. */
const char *unit_task_name_zh(const char *task);

#endif
