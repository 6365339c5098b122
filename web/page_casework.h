/* web/page_casework.h: the casework pages (web/page_casework.c): the
 * complete file's card and the case plan and services sections of the
 * case file, their forms, one service with its steps, the roles a unit
 * requires of help teams, and the names of help-team roles that the case
 * file pages show. */
#ifndef JINDU_PAGE_CASEWORK_H
#define JINDU_PAGE_CASEWORK_H
#include <stdbool.h>
#include "app/person.h"
#include "store/casework.h"
#include "store/person.h"
#include "web/http.h"

/* The role of member m for display: its label in r's language, or the text
 * typed for a member of role other. */
const char *page_team_role(Req *r, const HelpMemberRow *m);
/* The role of m as the edit form shows it (the Chinese label, or the text
 * typed for role other): what reads back as the same role. */
const char *page_team_role_text(const HelpMemberRow *m);

/* The card of the complete file (#complete): complete, or each missing
 * check with the link to the form that clears it; the roles the team
 * lacks. Nothing for a person who is not supervised (the rule is theirs). */
void page_casework_complete(Req *r, const Person *p);
/* The case plan (#plan: the current version and the earlier ones, paged
 * by ?plan_page=) and the services (#services, paged by ?svc_page=);
 * print: every version and every service with its steps, no links. */
void page_casework_sections(Req *r, const Person *p, bool print);

/* Service id (malloc'd) with its steps (*steps malloc'd, *n), the caller
 * frees both; or NULL after answering r the error. (The service's page and
 * its API, web/api_casework.c.) */
ServiceRow *page_service_load(Req *r, int64_t id, ServiceStepRow **steps, int *n);

void page_plan_new(Req *r);         /* GET /persons/{id}/plan/new */
void page_plan_create(Req *r);      /* POST /persons/{id}/plan/new */
void page_service_new(Req *r);      /* GET /persons/{id}/services/new */
void page_service_create(Req *r);   /* POST /persons/{id}/services/new */
void page_service_show(Req *r);     /* GET /services/{id} */
void page_service_step(Req *r);     /* POST /services/{id} */
void page_team_roles(Req *r);       /* GET /team_roles?org= */
void page_team_roles_set(Req *r);   /* POST /team_roles */

#endif
