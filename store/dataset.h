/* store/dataset.h: the SQL of unit figures by period (data sets): the
 * definitions (dataset_def, dataset_field: data, seeded by migration 10),
 * the state of each (set, unit, period) (dataset_period), the values,
 * appended so that every earlier value is kept, and the submits and
 * unlocks, in one sequence (dataset_entry: the newest row of a field is
 * its value), the
 * rows of a set over a scope and a range of periods, the periods
 * submitted (unit tasks), and the population figures of org_unit derived
 * from the set "population". No rights checks: app/dataset.c decides.
 * Every function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_DATASET_H
#define JINDU_STORE_DATASET_H
#include <stdbool.h>
#include <stdint.h>
#include "core/dataset.h"
#include "core/err.h"
#include "core/field.h"
#include "core/period.h"
#include "store/db.h"

#define DATASET_NAME_MAX 32  /* bytes of a set's name and of a field's code, with NUL */
#define DATASET_POPULATION "population"

typedef struct DatasetField {
  char code[DATASET_NAME_MAX];
  char label[FIELD_BYTES(60)];   /* Chinese (a catalog msgid) */
  char max_field[DATASET_NAME_MAX]; /* "" when none */
} DatasetField;

/* A data set as defined. Fixed size: free arrays with free(). */
typedef struct DatasetDef {
  char name[DATASET_NAME_MAX];
  char title[FIELD_BYTES(60)];   /* Chinese (a catalog msgid) */
  PeriodType period_type;
  char level[16];                /* the level of the units that enter it */
  int due_days;                  /* a period is due this many days after its end */
  bool agg_last;                 /* a coarser period shows the latest period's values (a
                                    stock: population), not their sum (a flow: cases) */
  int nfields;
  DatasetField fields[DATASET_FIELDS_MAX];
} DatasetDef;

/* Every data set by position, with its fields; *out malloc'd (free()). */
int store_dataset_defs(Db *db, DatasetDef **out, int *n, Err *e);
/* The set called name; ERR_NOT_FOUND "数据集不存在" when there is none. */
int store_dataset_def(Db *db, const char *name, DatasetDef *out, Err *e);
/* The field rules of def for core/dataset.h's checks (pointing into def). */
void store_dataset_rules(const DatasetDef *def, DsFieldRule rules[DATASET_FIELDS_MAX]);

/* The state of one (set, unit, period). */
typedef struct DatasetPeriodRow {
  int64_t id;           /* 0: nothing entered yet (then open) */
  DsState state;
  char changed_at[32];  /* the last change of its state or values */
  char changed_by[64];  /* display name (else username), "" when none */
} DatasetPeriodRow;

/* Loads the state of (dataset, org_id, period); out->id 0 (open) when the
 * row does not exist yet. */
int store_dataset_period_get(Db *db, const char *dataset, int64_t org_id, const char *period, DatasetPeriodRow *out,
                             Err *e);
/* The id of the row of (dataset, org_id, period), inserted (open) when
 * missing. Inside the caller's transaction. */
int store_dataset_period_ensure(Db *db, const char *dataset, int64_t org_id, const char *period, int64_t user_id,
                                const char *now, int64_t *id, Err *e);
/* Sets the state of period row id (and who changed it when). */
int store_dataset_period_set(Db *db, int64_t id, DsState state, int64_t user_id, const char *now, Err *e);

/* The current values of period row id (0: none) in the order of def's
 * fields: has[i] false when field i has none. */
int store_dataset_values(Db *db, int64_t period_id, const DatasetDef *def, bool *has, int64_t *vals, Err *e);
/* Appends a value of field to period row id (has false: cleared). */
int store_dataset_value_add(Db *db, int64_t period_id, const char *field, bool has, int64_t value, int64_t user_id,
                            const char *now, Err *e);
/* Appends a submit or an unlock (action "submit" | "unlock") with reason. */
int store_dataset_log_add(Db *db, int64_t period_id, const char *action, const char *reason, int64_t user_id,
                          const char *now, Err *e);

/* One change of a period: a value entered (or cleared), a submit or an unlock. */
typedef struct DatasetHistRow {
  char action[8];              /* "value" | "submit" | "unlock" */
  char field[DATASET_NAME_MAX];/* "value": the field */
  bool has;                    /* "value": false when cleared */
  int64_t value;
  char reason[FIELD_BYTES(200)];
  char by[64];                 /* display name of who did it ("" when unknown) */
  char at[32];
} DatasetHistRow;

/* Every change of period row id, newest first; *out malloc'd (free()). */
int store_dataset_history(Db *db, int64_t period_id, DatasetHistRow **out, int *n, Err *e);

/* One (unit, period) of a set with its state and current values. */
typedef struct DatasetUnitRow {
  int64_t org_id;
  char period[PERIOD_TEXT_LEN];
  DsState state;
  bool has[DATASET_FIELDS_MAX];
  int64_t vals[DATASET_FIELDS_MAX];
} DatasetUnitRow;

/* The (unit, period) rows of def that exist for units in the subtree of
 * scope and periods from..to (text forms of def's kind, inclusive), by unit
 * path then period; *out malloc'd (free()). */
int store_dataset_scope_rows(Db *db, const DatasetDef *def, const char *scope, const char *from, const char *to,
                             DatasetUnitRow **out, int *n, Err *e);

/* A period submitted: the unit and the period's text. */
typedef struct DatasetSubmitted {
  int64_t org_id;
  char dataset[DATASET_NAME_MAX];
  char period[PERIOD_TEXT_LEN];
} DatasetSubmitted;

/* The periods submitted (of every set) by units in the subtree of scope;
 * *out malloc'd (free()), by unit. */
int store_dataset_submitted(Db *db, const char *scope, DatasetSubmitted **out, int *n, Err *e);

/* Derives the population figures of org_unit (pop_registered,
 * pop_resident, pop_floating) of unit org_id from the set "population":
 * for a community the values of its latest period with any value (NULL
 * for a field without one; all NULL when none), for a unit above the sums
 * over the communities of its subtree (NULL when none has the figure);
 * then, when ancestors, each unit above it likewise. Inside the caller's
 * transaction. */
int store_dataset_population_sync(Db *db, int64_t org_id, bool ancestors, Err *e);
/* The bulk generator's way in: enters the population of community org_id
 * for period (vals registered, resident, floating; negative: none), by
 * nobody, and derives the unit's own figures (not its ancestors': sync
 * them once the tree is made). */
int store_dataset_population_put(Db *db, int64_t org_id, const char *period, const int64_t vals[3], const char *now,
                                 Err *e);

#endif
