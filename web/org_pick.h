/* web/org_pick.h: the unit picker, the one control through which a page lets
 * a person choose an org unit (a user's unit, a transfer's receiving
 * community, the unit to rename or move and its new parent, the unit of a
 * schedule rule, the workbench scope, the person list's filter and a
 * person's responsible community). Units are offered by name, grouped by
 * street, never typed as codes; the code is what the form submits. */
#ifndef JINDU_ORG_PICK_H
#define JINDU_ORG_PICK_H
#include <stdbool.h>
#include "web/http.h"

/* Levels a picker offers (bits of OrgPick.levels). */
#define PICK_COUNTY 1u
#define PICK_STREET 2u
#define PICK_COMMUNITY 4u
#define PICK_ANY (PICK_COUNTY | PICK_STREET | PICK_COMMUNITY)

/* Beyond this many units on offer a picker lists the streets and the
 * communities of one street only (the street of the value, else of the
 * actor): a page stays small for a county of thousands of communities, and
 * choosing a street and sending the form shows its communities. */
#define PICK_FULL_MAX 1500

/* What a picker offers. Nothing here is owned. */
typedef struct OrgPick {
  const char *name;     /* form field name; the control's id is f-NAME (f-PREFIX-NAME under r->field_prefix) */
  const char *label_zh; /* label msgid */
  const char *value;    /* code chosen ("" or NULL: none) */
  const char *error_zh; /* field error msgid, NULL for none */
  bool required;
  const char *first_zh; /* label of a leading option of value "" (e.g. 全部单位); NULL for none */
  const char *const *extra; /* options before the units: {value, label_msgid} pairs ending with NULL; may be NULL */
  unsigned levels;      /* PICK_* levels that may be chosen (others only group) */
  bool county;          /* offer the units of the actor's whole county (a transfer's target), not the scope */
  const char *except_path; /* a subtree never offered (a unit's own subtree as its new parent); NULL for none */
} OrgPick;

/* Writes the labelled picker: a <select> grouped by street (<optgroup>),
 * each option the unit's name with its path (街道 › 社区) as title; app.js
 * adds a search box that narrows the options as a name is typed. A value
 * that is no offered unit stays chosen as its own option. */
void org_pick(Req *r, const OrgPick *p);

#endif
