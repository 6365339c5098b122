/* app/schedule_rule.h: which contact and testing schedule (帮教/检测频次,
 * DOMAIN.md §4, core/schedule.h) applies where. The built-in presets
 * ("default", "monthly_visit", "annual_counts") and custom rules (stored as
 * spec text, validated by schedule_rule_parse) can be set on any org unit;
 * a unit without its own rule inherits its parent's, up to the preset
 * "default". Reading is open to every signed-in actor; changes need an admin
 * (ROLE_ADMIN), the unit in scope, one transaction, an audit row, and
 * refresh the derived due dates of every person affected. */
#ifndef JINDU_APP_SCHEDULE_RULE_H
#define JINDU_APP_SCHEDULE_RULE_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/schedule.h"
#include "store/schedule_rule.h"

#define SCHED_NAME_MAX 60 /* characters of a rule's name */

/* A rule as lists show it: the stored row's type, presets included
 * (fixed size: free arrays with free()). */
typedef ScheduleRuleRow ScheduleRuleInfo;

/* The rule of one org unit. */
typedef struct OrgRuleInfo {
  char org_code[64];
  char rule_code[SCHED_CODE_MAX];  /* the rule that applies */
  char own_rule[SCHED_CODE_MAX];   /* the unit's own setting, "" when inherited */
  char inherited_from[64];         /* code of the unit it is inherited from; "" when
                                      own, or when it is the built-in "default" */
} OrgRuleInfo;

/* Every rule: the presets first (in their order), then the custom rules by
 * code. *out malloc'd (free()). Any signed-in actor. */
int app_schedule_rule_list(Ctx *c, ScheduleRuleInfo **out, int *n, Err *e);
/* One rule by code; ERR_NOT_FOUND when there is none. */
int app_schedule_rule_get(Ctx *c, const char *code, ScheduleRuleInfo *out, Err *e);
/* Creates or updates a custom rule. Admin only (ERR_FORBIDDEN). Fields:
 * "code" (1-31 of [a-z0-9_], not a preset's code), "name" (1-60 characters),
 * "spec" (schedule_rule_parse's message). Updating a rule used by a unit
 * outside the actor's scope is ERR_FORBIDDEN. *created (may be NULL) tells
 * whether it was new. Persons under units using it are refreshed. */
int app_schedule_rule_save(Ctx *c, const char *code, const char *name, const char *spec, bool *created, Err *e);
/* Sets the rule of an org unit (in scope, else ERR_NOT_FOUND); rule_code
 * NULL or "" removes the unit's own setting (it inherits again). Admin only.
 * Field "rule" when the code names no rule. Refreshes every person of the
 * unit's subtree in the same transaction (a county: a few thousand rows). */
int app_schedule_rule_set_org(Ctx *c, const char *org_code, const char *rule_code, Err *e);
/* The rule of a unit (in scope, else ERR_NOT_FOUND). */
int app_schedule_rule_of_org(Ctx *c, const char *org_code, OrgRuleInfo *out, Err *e);

/* The rule that applies to unit org_id (its own, else inherited, else the
 * preset "default"), parsed into *out. No rights check (used by app/ code
 * inside its transactions). ERR_INTERNAL when a stored spec does not parse. */
int app_schedule_rule_resolve(Db *db, int64_t org_id, ScheduleRule *out, Err *e);

#endif
