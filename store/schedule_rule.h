/* store/schedule_rule.h: the SQL of the custom schedule rules (table
 * schedule_rule: code, name, spec text) and of the rule set on each org unit
 * (table org_schedule). What the rules mean (core/schedule.h) and which
 * applies where (inheritance, presets) are app/schedule_rule.c's. Every
 * function returns ERR_OK or an ErrCode with e filled. */
#ifndef JINDU_STORE_SCHEDULE_RULE_H
#define JINDU_STORE_SCHEDULE_RULE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/field.h"
#include "core/schedule.h"
#include "store/db.h"

/* One schedule rule as stored, and as app/schedule_rule.h lists every
 * rule, the presets included (ScheduleRuleInfo is this type). Fixed size:
 * free arrays with free(). */
typedef struct ScheduleRuleRow {
  char code[SCHED_CODE_MAX];
  char name[FIELD_BYTES(60)]; /* the custom name (60 characters), or the Chinese name of a preset */
  char spec[SCHED_SPEC_MAX]; /* canonical spec text (schedule_rule_format) */
  bool preset;               /* built in (app/): never a stored row */
  char created_at[32];       /* "" for a preset */
} ScheduleRuleRow;

/* The rule set on one unit (org_schedule), for the doctor's resolution in
 * memory: every unit with its parent and own rule code ("" when none). */
typedef struct OrgRuleRow {
  int64_t id, parent_id;
  char rule[SCHED_CODE_MAX];
} OrgRuleRow;

/* Every custom rule by code; *items malloc'd (free()). */
int store_schedule_rule_list(Db *db, ScheduleRuleRow **items, int *n, Err *e);
/* ERR_NOT_FOUND when there is no custom rule with code. */
int store_schedule_rule_get(Db *db, const char *code, ScheduleRuleRow *out, Err *e);
/* Inserts or updates; *created tells which. */
int store_schedule_rule_put(Db *db, const char *code, const char *name, const char *spec, const char *now,
                            bool *created, Err *e);
/* The own rule of unit org_id ("" when none). */
int store_schedule_rule_of_org(Db *db, int64_t org_id, char code[SCHED_CODE_MAX], Err *e);
/* Sets (code non-empty) or removes the own rule of org_id. */
int store_schedule_rule_set_org(Db *db, int64_t org_id, const char *code, const char *now, Err *e);
/* The paths of the units whose own rule is code, in path order. *paths
 * malloc'd (n paths of 256 bytes; free()). */
int store_schedule_rule_orgs_using(Db *db, const char *code, char (**paths)[256], int *n, Err *e);
/* Every unit of the tree as an OrgRuleRow, by id; *items malloc'd (free()). */
int store_schedule_rule_all_orgs(Db *db, OrgRuleRow **items, int *n, Err *e);

#endif
