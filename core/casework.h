/* core/casework.h: the rules of casework (issue 9) as pure functions and
 * data: the help-team roles (帮教小组角色) and the sets a unit may require
 * (四位一体, 六位一体), the kinds of services and referrals and their state
 * machine (referred → accepted → delivered, or declined), the checks of
 * the complete file (档案完整) and the one function that evaluates them
 * (casework_file_missing, used by the file page, the person list's filter
 * and the statistics' complete_rate through core/stats.c). No I/O. */
#ifndef JINDU_CORE_CASEWORK_H
#define JINDU_CORE_CASEWORK_H
#include <stdbool.h>
#include "core/unit_vocab.h"

/* ---- help-team roles --------------------------------------------------- */

/* The roles, in this order (a role's bit is 1 << its index: keep the order,
 * append new roles at the end before other): family 家属, cadre 社区干部,
 * police 社区民警, social_worker 禁毒社工, judicial 司法所, civil_affairs
 * 民政, human_resources 人社, medical 医务, volunteer 志愿者, other 其他. */
extern const UnitTerm help_role_vocab[];
#define HELP_ROLE_COUNT 10
#define HELP_ROLE_OTHER 9
/* The bit of role code (0 for an unknown code). */
unsigned help_role_bit(const char *code);
/* The role a typed text names: a code, or a role's Chinese label (spaces
 * around ignored); NULL when it names none (the caller keeps the text as
 * role_other with role "other"). */
const char *help_role_of_text(const char *text);
/* The roles required of a help team by default: 四位一体 (family, cadre,
 * police, social worker). */
#define HELP_ROLES_FOUR "family,cadre,police,social_worker"
/* 六位一体: community (cadre), police station, judicial office, family,
 * civil affairs, human resources. */
#define HELP_ROLES_SIX "cadre,police,judicial,family,civil_affairs,human_resources"
/* The set a unit may say (presets of the form): {code, label}. */
extern const UnitTerm team_requirement_vocab[]; /* four, six */
/* The bits of a comma-separated list of role codes; false when a code is
 * unknown, repeated, `other`, or the list is empty. */
bool help_roles_parse(const char *list, unsigned *mask);
/* Writes the codes of mask comma-separated into out (size n). */
void help_roles_format(unsigned mask, char *out, int n);

/* ---- services and referrals -------------------------------------------- */

/* Kinds: subsistence 低保/临时救助, employment 就业安置, training 技能培训,
 * counselling 心理咨询/疏导, medical 医疗, methadone 美沙酮维持治疗, legal
 * 法律援助, housing 住房, family_education 家属教育, other 其他. */
extern const UnitTerm service_kind_vocab[];
#define SERVICE_KINDS 10
/* States: referred 已转介, accepted 已受理, delivered 已提供, declined 未受理/已拒绝. */
extern const UnitTerm service_state_vocab[];
#define SERVICE_STATES 4
/* Index of a code in its list, -1 when none. */
int service_kind_index(const char *code);
int service_state_index(const char *code);
/* true when a service in state from may be recorded in state to: the same
 * state (a follow-up: outcome, next follow-up), or a step forward
 * (referred → accepted | declined; accepted → delivered | declined).
 * delivered and declined take follow-ups only. */
bool service_step_allowed(const char *from, const char *to);

/* ---- the complete file (档案完整) -------------------------------------- */

/* The checks, as bits (file_rule's items; person.file_missing keeps the
 * static ones, CF_STATIC): */
#define CF_TEAM 1u     /* the help team covers the required roles */
#define CF_PLAN 2u     /* a case plan with at least one measure */
#define CF_DOCUMENT 4u /* an agreement or responsibility letter: since the order began under a community order */
#define CF_TALK 8u     /* no talk overdue (within the interval the schedule requires, or since the order began) */
#define CF_ALL 15u
#define CF_STATIC (CF_TEAM | CF_PLAN | CF_DOCUMENT)
/* The checks' items ("team", "plan", "document", "talk") and Chinese names,
 * by bit index. */
extern const UnitTerm file_check_vocab[];
/* The bit of a check's item, 0 when unknown. */
unsigned file_check_bit(const char *item);

/* What is known of a file on a day. */
typedef struct CaseFileState {
  unsigned team_roles;     /* roles of the members on the team that day */
  unsigned required_roles; /* the roles the unit requires */
  bool plan;               /* a case plan with a measure on file that day */
  bool document;           /* the document the file needs (see CF_DOCUMENT) */
  bool talk_on_time;       /* no talk overdue that day */
} CaseFileState;

/* The checks of rule (CF_* bits) that the file of a supervised person in
 * state s fails: 0 when the file is complete. The one evaluation of
 * completeness. */
unsigned casework_file_missing(unsigned rule, const CaseFileState *s);

#endif
