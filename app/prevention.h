/* app/prevention.h: the prevention ledgers' use cases (issue 10 points 2-3):
 * publicity and education activities (宣传教育活动) with their photos, and
 * awareness surveys (知晓率) against the targets set per group on units and
 * inherited down the tree; corrections append a version (the history stays);
 * the lists with their filters and totals; the office's overview of the
 * month per child unit. Recorded by the actors with PERM_PERSON_WRITE for
 * units in their scope; read by every actor with PERM_PERSON_READ within
 * their scope (out of scope: ERR_NOT_FOUND, as a missing record). Targets
 * are set by admin and office accounts. Each write is one transaction with
 * its audit row. */
#ifndef JINDU_APP_PREVENTION_H
#define JINDU_APP_PREVENTION_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "core/field.h"
#include "core/period.h"
#include "store/prevention.h"

/* The most a count of one activity or survey may be (participants,
 * materials, respondents). */
#define PREVENTION_COUNT_MAX 10000000

/* An activity to record or correct (field table activity_record; text
 * NULL or "" when empty, counts 0 when not given). JSON: "settings" and
 * "audience" arrays of codes, "materials" an object by type. */
typedef struct ActivityInput {
  const char *org;      /* unit code, in scope (required) */
  const char *date;     /* required, not in the future */
  const char *kind;     /* activity_kind_vocab (required) */
  const char *settings; /* comma-joined activity_setting_vocab (六进) */
  const char *campaign; /* activity_campaign_vocab or empty */
  const char *title;    /* required */
  const char *partners; /* partner places and units, as text */
  const char *audience; /* comma-joined activity_audience_vocab */
  int64_t participants, consultations;
  int64_t leaflets, banners, slogans, boards, exhibits, posters, notices, broadcasts, broadcast_minutes, messages;
  const char *notes;
  const char *reason; /* a correction's reason (required then; ignored on a new record) */
  /* the partner places (registered places: active, in the actor's scope;
   * else field "places"), at most ACTIVITY_PLACES_MAX; not in the field
   * table: JSON "places" an array of ids, the form's repeated "places" */
  const int64_t *place_ids;
  int nplaces;
} ActivityInput;
extern const RecordSpec activity_record;

/* A file sent with a record (a photo), or none (bytes NULL and len 0 and
 * name empty). */
typedef struct PreventionFile {
  const char *name;
  const void *bytes;
  size_t len;
} PreventionFile;

/* Records an activity, and the photo when given (field "photo": JPEG, PNG
 * or PDF by its bytes) in the same transaction: the table's checks and the
 * unit (field "org") in one round; nothing is written on any error. *id
 * (may be NULL) the new record's id. */
int app_activity_add(Ctx *c, const ActivityInput *in, const PreventionFile *photo, int64_t *id, Err *e);
/* Corrects activity id: a new version with in's values (every field, as
 * on recording) and the reason (field "reason", required); the versions
 * before stay. ERR_NOT_FOUND when missing or out of scope. */
int app_activity_correct(Ctx *c, int64_t id, const ActivityInput *in, Err *e);
/* The current version of activity id (free with store_activity_row_drop). */
int app_activity_get(Ctx *c, int64_t id, ActivityRow *out, Err *e);
/* Every version of activity id, newest first (store_activity_rows_free). */
int app_activity_history(Ctx *c, int64_t id, ActivityRow **out, int *n, Err *e);

/* A list's filter (every member NULL or "" for none). */
typedef struct ActivityQuery {
  const char *org;                     /* a unit in scope (its subtree); NULL: the actor's */
  const char *period;                  /* 2026-06, 2026Q2, 2026H1, 2026 (field "period"); not with from/to */
  const char *from, *to;               /* dates (fields "from", "to") */
  const char *kind, *setting, *campaign; /* codes (fields of the same names) */
  int page, per_page;                  /* page 1-based; per_page 1..UNIT_LIST_MAX (< 1: 50) */
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} ActivityQuery;
int app_activity_list(Ctx *c, const ActivityQuery *q, ActivityRow **out, int *n, ActivityTotals *tot, Err *e);

/* A survey to record or correct (field table survey_record). */
typedef struct SurveyInput {
  const char *org, *date;
  const char *group;  /* survey_group_vocab (required) */
  const char *method; /* survey_method_vocab (required) */
  const char *title;
  int64_t respondents, aware; /* respondents >= 1, aware <= respondents */
  const char *notes;
  const char *reason;
} SurveyInput;
extern const RecordSpec survey_record;

/* Records a survey with the target in force for its unit and group. */
int app_survey_add(Ctx *c, const SurveyInput *in, int64_t *id, Err *e);
/* Corrects survey id (a new version; reason required); the target is the
 * one in force again. */
int app_survey_correct(Ctx *c, int64_t id, const SurveyInput *in, Err *e);
int app_survey_get(Ctx *c, int64_t id, SurveyRow *out, Err *e);
int app_survey_history(Ctx *c, int64_t id, SurveyRow **out, int *n, Err *e);

typedef struct SurveyQuery {
  const char *org, *period, *from, *to;
  const char *group, *method;
  int page, per_page;
  const DbEach *each;    /* NULL: the rows as an array; else handed to it one at a time (store/db.h) */
} SurveyQuery;
int app_survey_list(Ctx *c, const SurveyQuery *q, SurveyRow **out, int *n, SurveyTotals *tot, Err *e);

/* The target in force for a group on a unit, and where it comes from. */
typedef struct AwarenessTargetView {
  const char *group;      /* survey_group_vocab */
  int target;             /* percent */
  bool is_default;        /* no unit set one: the group's default */
  char set_on[64];        /* the code of the unit that set it ("" for the default) */
  char set_on_name[128];
  bool own;               /* set on this very unit (it may clear it) */
} AwarenessTargetView;

/* The targets in force on unit org (NULL or "": the actor's) per group,
 * in survey_group_vocab order; *unit the unit. */
int app_awareness_targets(Ctx *c, const char *org, OrgUnit *unit, AwarenessTargetView out[SURVEY_GROUPS], Err *e);
/* Sets the target of group on org (admin and office of units in scope;
 * fields "org", "group", "target" 0..100); *created: it had none. */
int app_awareness_target_set(Ctx *c, const char *org, const char *group, int64_t target, bool *created, Err *e);
/* Removes it (the unit inherits again); ERR_NOT_FOUND when it had none. */
int app_awareness_target_clear(Ctx *c, const char *org, const char *group, Err *e);

/* The office's overview of a month: per child unit of org (the unit
 * itself when it has none) the activities and surveys dated in the month,
 * with the subtree's totals. */
typedef struct PreventionOverviewRow {
  OrgUnit unit;
  int64_t activities, surveys;
} PreventionOverviewRow;
typedef struct PreventionOverview {
  OrgUnit unit;
  Period month;
  char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
  PreventionOverviewRow *rows; /* malloc'd */
  int nrows;
  struct { char code[64]; int row; } *units; /* every unit of the subtree and its row (-1: none); malloc'd */
  int nunits;
  int64_t activities, surveys;
} PreventionOverview;
/* month: "2026-06" (field "month"; NULL or "": this month). Free with
 * app_prevention_overview_free. */
int app_prevention_overview(Ctx *c, const char *org, const char *month, PreventionOverview *out, Err *e);
/* The row of the unit with code in o, -1 when none. */
int app_prevention_overview_row(const PreventionOverview *o, const char *code);
void app_prevention_overview_free(PreventionOverview *o);

#endif
