/* core/dataset.h: the rules of unit figures by period (data sets,
 * DHIS2-style): a data set is data (store/dataset.h: its fields, the kind of
 * its periods, the level of the units that enter it); here are the pure
 * rules over it: the state of one (data set, unit, period) and the
 * transitions between open and submitted (submitting locks; the office
 * above unlocks with a reason), the check of a period against the data
 * set's kind, the check of the values (non-negative integers, a field not
 * above the field it is part of, every field filled before submitting), and
 * who lies above whom in the tree. No I/O. */
#ifndef JINDU_CORE_DATASET_H
#define JINDU_CORE_DATASET_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "core/err.h"
#include "core/period.h"

/* The largest figure a field takes. */
#define DATASET_VALUE_MAX 1000000000LL
/* The most fields a data set has. */
#define DATASET_FIELDS_MAX 16

/* The state of one (data set, unit, period): open (also: nothing entered
 * yet) or submitted (locked). */
typedef enum { DS_OPEN = 0, DS_SUBMITTED } DsState;
/* What is done to it: change values, submit (lock), unlock. */
typedef enum { DS_EDIT, DS_SUBMIT, DS_UNLOCK } DsAction;

/* "open" | "submitted". */
const char *ds_state_code(DsState s);
/* The state of code ("open", "submitted"); false when it names none. */
bool ds_state_from_code(const char *code, DsState *out);
/* The Chinese name of a state (a msgid): 未上报, 已上报（锁定）. */
const char *ds_state_name_zh(DsState s);

/* The state after action a from state s: edit keeps an open period open,
 * submit locks it, unlock opens a submitted one. Any other pair is
 * ERR_CONFLICT with its message (a change or a second submit of a locked
 * period: "已上报并锁定..."; an unlock of an open one). Who may do what is
 * the caller's (ds_path_above for unlocking). */
int ds_transition(DsState s, DsAction a, DsState *to, Err *e);

/* Checks period p against the data set's kind: the same kind (field
 * "period": "应按...填报"), and begun by today (field "period": a period
 * not yet begun has no figures). */
int ds_check_period(PeriodType kind, Period p, Day today, Err *e);

/* One field as the checks see it: its code and the code of the field it
 * may not exceed (NULL: none), e.g. adopted <= submitted. */
typedef struct DsFieldRule {
  const char *code;
  const char *max_field;
} DsFieldRule;

/* Checks the values of a period: has[i] tells whether field i has a value,
 * vals[i] the value. A value is 0..DATASET_VALUE_MAX; a field with a
 * max_field whose both values are known is at most the other. Errors are
 * field errors named by the field's code; all in one round. Returns
 * e->code. */
int ds_check_values(const DsFieldRule *fields, int n, const bool *has, const int64_t *vals, Err *e);
/* Checks that every field has a value (before submitting): field errors
 * "请填写后再上报" for each empty one. Returns e->code. */
int ds_check_complete(const DsFieldRule *fields, int n, const bool *has, Err *e);

/* Reads a count typed in a form: digits only (surrounding spaces allowed),
 * at most DATASET_VALUE_MAX. "" (or spaces) is no value: *has false.
 * false for anything else (a sign, a decimal point, letters). */
bool ds_parse_count(const char *s, bool *has, int64_t *out);

/* true when the unit at path lies strictly below the unit at above (above
 * is a proper prefix of path): the office above it, which may unlock. */
bool ds_path_above(const char *above, const char *path);

#endif
