/* app/dataset.h: unit figures by period (data sets, DHIS2-style): read the
 * figures of a unit for a period, enter them, submit (lock) and unlock
 * them. A set is data (store/dataset.h: fields, kind of period, the level
 * of the units that enter it). Reading the unit that enters a set for a
 * period of the set's kind gives its own figures and state; reading a unit
 * above that level, or a coarser period, gives the figures added up over
 * the units below and the periods inside (a stock such as population: the
 * latest period's), read only, with a row for each unit that enters them.
 *
 * Rights: every signed-in actor reads within their scope (out of scope or
 * unknown: ERR_NOT_FOUND); actors with PERM_PERSON_WRITE enter and submit
 * the figures of units in their scope (communities their own, offices
 * their subtree); the office above (admin or office whose unit lies
 * strictly above the unit) unlocks, with a reason. Every change is one
 * transaction with its audit row; every value ever entered is kept. */
#ifndef JINDU_APP_DATASET_H
#define JINDU_APP_DATASET_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/dataset.h"
#include "core/field.h"
#include "core/period.h"
#include "store/dataset.h"
#include "store/org.h"

/* The most characters of an unlock reason. */
#define DATASET_REASON_CHARS 200

/* One unit that enters a set, in an aggregate view: its figures over the
 * periods asked for. */
typedef struct DatasetUnitView {
  char org_code[64], org_name[128];
  int periods;            /* periods of the set's kind in the period asked for */
  int periods_submitted;  /* of those, submitted */
  bool any;               /* some value entered */
  bool has[DATASET_FIELDS_MAX];
  int64_t vals[DATASET_FIELDS_MAX];
} DatasetUnitView;

/* The figures of one unit for one period, as app_dataset_get answers. */
typedef struct DatasetView {
  DatasetDef def;
  OrgUnit org;
  Period period;
  char period_text[PERIOD_TEXT_LEN];
  bool entry;             /* the unit enters the set and the period is of its kind:
                             the figures themselves (else an aggregate) */
  DsState state;          /* entry: open or submitted */
  char changed_at[32];    /* entry: the last change ("" when nothing was entered) */
  char changed_by[64];
  bool has[DATASET_FIELDS_MAX];  /* entry: the values; aggregate: the totals (has: some unit has one) */
  int64_t vals[DATASET_FIELDS_MAX];
  bool may_edit;          /* entry: the actor may change and submit (open, right, scope) */
  bool may_unlock;        /* entry: the actor may unlock (submitted, the office above) */
  Day due;                /* the due date of the period (its end + the set's due days) */
  int nunits;             /* aggregate: the units that enter the set (units[0..nunits)) */
  int units_reported;     /* aggregate: of them, with some value */
  int units_submitted;    /* aggregate: of them, every period submitted */
  DatasetUnitView *units; /* malloc'd: dataset_view_free */
} DatasetView;

/* Frees what v holds (not v). */
void dataset_view_free(DatasetView *v);

/* Every data set with its fields; *out malloc'd (free()). Any signed-in actor. */
int app_dataset_defs(Ctx *c, DatasetDef **out, int *n, Err *e);

/* The figures of set name for unit org_code and period (text, e.g.
 * "2026Q2"), as described above. ERR_NOT_FOUND for an unknown set or a
 * unit out of scope; field "period" for a malformed period or one finer
 * than the set's kind, or one not begun; field "org" for a unit below the
 * level that enters the set. *out filled on success (free with
 * dataset_view_free). */
int app_dataset_get(Ctx *c, const char *name, const char *org_code, const char *period, DatasetView *out, Err *e);

/* Values to enter: the fields given (by code), each a value or none
 * (clears it). A code the set does not have is a field error "未知字段". */
typedef struct DatasetInput {
  int n;
  struct {
    const char *code;
    bool has;
    int64_t value;
  } items[DATASET_FIELDS_MAX * 2];
} DatasetInput;

/* Where the field errors of a write name the set's fields: Err holds no
 * memory, so the codes (data, not static strings) are copied here and e's
 * field names point into it; the caller keeps it as long as e. */
typedef struct DatasetNames {
  char code[DATASET_FIELDS_MAX][DATASET_NAME_MAX];
} DatasetNames;

/* Enters the values of in for (name, org_code, period): the unit must
 * enter the set and the period be of its kind (as app_dataset_get: field
 * "org" / "period"); the actor needs PERM_PERSON_WRITE (ERR_FORBIDDEN);
 * a submitted period is ERR_CONFLICT; values are checked as
 * core/dataset.h says (field errors named by the field codes, all at
 * once). Fields not given keep their values; a value equal to the current
 * one writes nothing. submit: then submits in the same transaction (every
 * field must have a value). Nothing is written on any error. */
int app_dataset_put(Ctx *c, const char *name, const char *org_code, const char *period, const DatasetInput *in,
                    bool submit, DatasetNames *names, Err *e);
/* Submits (locks) the period: every field must have a value (field errors
 * "请填写后再上报", named in names); ERR_CONFLICT when already submitted.
 * Rights as app_dataset_put. */
int app_dataset_submit(Ctx *c, const char *name, const char *org_code, const char *period, DatasetNames *names,
                       Err *e);
/* Unlocks a submitted period: the actor must be an office (admin or
 * office) whose unit lies strictly above the unit (else ERR_FORBIDDEN);
 * reason required (field "reason", at most DATASET_REASON_CHARS
 * characters); ERR_CONFLICT when the period is not submitted. */
int app_dataset_unlock(Ctx *c, const char *name, const char *org_code, const char *period, const char *reason,
                       Err *e);
/* The changes of one (set, unit, period), newest first: every value
 * entered, submits and unlocks (reasons). Read rights as app_dataset_get;
 * *out malloc'd (free(); NULL and 0 when nothing was entered). */
int app_dataset_history(Ctx *c, const char *name, const char *org_code, const char *period, DatasetHistRow **out,
                        int *n, Err *e);

/* The field table of an unlock: reason. */
typedef struct DatasetUnlockInput {
  const char *reason;
} DatasetUnlockInput;
extern const RecordSpec dataset_unlock_record;

/* The name of a level code (区/县, 街道/乡镇, 社区/村), a msgid; "" when unknown. */
const char *dataset_level_name_zh(const char *level);

#endif
