/* app/demo.h: the demo district of `jindu init --demo`: a fictional county
 * (示范区) with two streets, twenty communities and villages with population
 * figures, one account of each role (password DEMO_PASSWORD) and a few
 * hundred fictional persons with case files, help teams, documents and
 * status histories. Everything goes through the ordinary use cases
 * (app_org_add, app_user_add, app_person_create, app_person_add_status,
 * app_person_add_doc), so it is validated and audited like real input. */
#ifndef JINDU_APP_DEMO_H
#define JINDU_APP_DEMO_H
#include "app/app.h"

#define DEMO_PASSWORD "demo-password-2026"
#define DEMO_PERSONS 300
#define DEMO_SEED 20261101u

/* Fills the database of c (fresh: the demo's codes and usernames must be
 * free, else ERR_CONFLICT) in one transaction: on any error nothing is
 * kept. The content is fixed by DEMO_SEED; every date is on or before
 * GEN_REFERENCE_DATE (app/gen.h), or before c->today when that is earlier,
 * so nothing lies in the future. The actor of c must be the command line
 * (scope "/"): a county can only be added there. */
int demo_fill(Ctx *c, Err *e);

#endif
