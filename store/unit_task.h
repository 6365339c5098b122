/* store/unit_task.h: the SQL of unit tasks: the rhythms set on units
 * (unit_rhythm) and the unit work records that clear them (unit_work:
 * intelligence exchanges, drug-situation screenings, information
 * submissions). What the rhythms mean (core/rhythm.h) and which applies
 * where are app/unit_task.c's. Records belong to a unit by id; scope is
 * the unit's path read through org_unit. Every function returns ERR_OK or
 * an ErrCode with e filled. */
#ifndef JINDU_STORE_UNIT_TASK_H
#define JINDU_STORE_UNIT_TASK_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/field.h"
#include "store/db.h"
#include "store/org.h"

#define UNIT_TASK_CODE_MAX 48 /* bytes of a task code ("dataset:NAME"), with NUL */
#define UNIT_WORK_TITLE_CHARS 100
#define UNIT_WORK_NOTES_CHARS 1000

/* A rhythm as set on a unit, with the unit. Fixed size: free() arrays. */
typedef struct UnitRhythmRow {
  int64_t id, org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char task[UNIT_TASK_CODE_MAX];
  char level[16];       /* the level of the units it is for */
  char period_type[16]; /* "none" or a core/period.h kind code */
  int per_period;
  char since[DATE_ISO_LEN];
  char set_by[64];      /* username, "" when none */
  char set_at[32];
} UnitRhythmRow;

/* Every rhythm set anywhere (a small table), by unit path, task, level;
 * *out malloc'd (free()). */
int store_unit_rhythm_all(Db *db, UnitRhythmRow **out, int *n, Err *e);
/* Sets the rhythm of (org_id, task, level); *created tells whether the
 * unit had none before. */
int store_unit_rhythm_put(Db *db, int64_t org_id, const char *task, const char *level, const char *period_type,
                          int per_period, const char *since, int64_t user_id, const char *now, bool *created, Err *e);
/* Removes the unit's own rhythm of (org_id, task, level) (it inherits
 * again); *found tells whether there was one. */
int store_unit_rhythm_delete(Db *db, int64_t org_id, const char *task, const char *level, bool *found, Err *e);

/* A unit work record to write. */
typedef struct UnitWorkIn {
  int64_t org_id;
  const char *kind, *date, *title, *notes;
} UnitWorkIn;

/* A unit work record as stored, with its unit. */
typedef struct UnitWorkRow {
  int64_t id, org_id;
  char org_code[64], org_name[128], org_path[ORG_PATH_MAX];
  char kind[32];
  char date[DATE_ISO_LEN];
  char title[FIELD_BYTES(UNIT_WORK_TITLE_CHARS)];
  char notes[FIELD_BYTES(UNIT_WORK_NOTES_CHARS)];
  char created_by[64]; /* display name, else username */
  char created_at[32];
} UnitWorkRow;

int store_unit_work_add(Db *db, const UnitWorkIn *in, int64_t user_id, const char *now, int64_t *id, Err *e);
/* Record id; ERR_NOT_FOUND "记录不存在" when there is none. */
int store_unit_work_get(Db *db, int64_t id, UnitWorkRow *out, Err *e);

typedef struct UnitWorkFilter {
  const char *scope;   /* unit path: the records of its subtree */
  const char *kind;    /* NULL or "": every kind */
  const char *from, *to; /* dates, inclusive; NULL or "": open */
  int64_t limit, offset;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} UnitWorkFilter;

/* The records of f, newest first (date, then id); *total counts all of
 * f's; *out malloc'd (free()). */
int store_unit_work_list(Db *db, const UnitWorkFilter *f, UnitWorkRow **out, int *n, int64_t *total, Err *e);

/* The kind and day of a record of a unit (for the rhythms). */
typedef struct UnitWorkDay {
  int64_t org_id;
  char kind[32];
  Day day;
} UnitWorkDay;

/* The records of units in the subtree of scope dated from..to (ISO,
 * inclusive), by unit; *out malloc'd (free()). */
int store_unit_work_days(Db *db, const char *scope, const char *from, const char *to, UnitWorkDay **out, int *n,
                         Err *e);

#endif
