/* app/demo_unit.h: the unit work of the demo district (app/demo.c calls
 * it once its units and accounts exist): the rhythms of the unit tasks set
 * by the district and by one town, intelligence exchanges, screenings and
 * information submissions recorded (some periods left undone, so the
 * workbench shows overdue tasks), figures of the data sets entered,
 * submitted and once unlocked and corrected, and eradication patrols.
 * Every write goes through the use cases, as the demo accounts. */
#ifndef JINDU_APP_DEMO_UNIT_H
#define JINDU_APP_DEMO_UNIT_H
#include "app/app.h"

/* Writes the unit work as of ref (every date on or before it) inside the
 * caller's transaction; actors[0..n) are the demo accounts acting
 * (admin, office1, office2, worker1, worker2, police1 are used). */
int demo_unit_fill(Ctx *c, const Actor *actors, int n, Day ref, Err *e);

#endif
