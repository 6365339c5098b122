/* app/prevention.c: owns the prevention-ledger use cases (see
 * app/prevention.h): the field tables of activities and surveys, the rules
 * across fields, records, corrections, reads, lists, awareness targets and
 * the monthly overview. */
#include "app/prevention.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "app/unit_task.h"
#include "store/place.h"
#include "core/rhythm.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_REASON "请填写更正原因"
#define M_PERIOD "统计期应为 2026、2026H1、2026Q2 或 2026-06 这样的写法"
#define M_PERIOD_AND_DATES "统计期和起止日期只能选一种"
#define M_MONTH "月份应为 2026-06 这样的写法"

#define PV_COUNT(member, json_name, label)                                                                   \
  {FIELD_AT(ActivityInput, member), .json = json_name, .label_zh = label, .kind = FK_INT,                    \
   FIELD_RANGE(0, 10000000)}

static const FieldSpec activity_fields[] = {
  {FIELD_AT(ActivityInput, org), .label_zh = "单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(ActivityInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(ActivityInput, kind), .label_zh = "活动形式", .kind = FK_ENUM, .vocab = activity_kind_vocab,
   .required = true, .msg = "请选择活动形式"},
  {FIELD_AT(ActivityInput, settings), .label_zh = "六进", .kind = FK_ENUM_SET, .vocab = activity_setting_vocab,
   .msg = "请选择有效的六进场所"},
  {FIELD_AT(ActivityInput, campaign), .label_zh = "专项宣传", .kind = FK_ENUM, .vocab = activity_campaign_vocab,
   .msg = "请选择有效的专项宣传"},
  {FIELD_AT(ActivityInput, title), .label_zh = "活动主题", .kind = FK_TEXT, .required = true,
   FIELD_CHARS(ACTIVITY_TITLE_CHARS)},
  {FIELD_AT(ActivityInput, partners), .label_zh = "合作单位/场所", .kind = FK_TEXT, FIELD_CHARS(ACTIVITY_PARTNERS_CHARS)},
  {FIELD_AT(ActivityInput, audience), .label_zh = "受众", .kind = FK_ENUM_SET, .vocab = activity_audience_vocab,
   .msg = "请选择有效的受众"},
  PV_COUNT(participants, NULL, "参加人数"),
  PV_COUNT(consultations, NULL, "咨询人次"),
  PV_COUNT(leaflets, "materials.leaflets", "宣传资料（份）"),
  PV_COUNT(banners, "materials.banners", "横幅（条）"),
  PV_COUNT(slogans, "materials.slogans", "标语（幅）"),
  PV_COUNT(boards, "materials.boards", "板报/宣传栏（期）"),
  PV_COUNT(exhibits, "materials.exhibits", "展板（块）"),
  PV_COUNT(posters, "materials.posters", "挂图（张）"),
  PV_COUNT(notices, "materials.notices", "通告（份）"),
  PV_COUNT(broadcasts, "materials.broadcasts", "广播（次）"),
  PV_COUNT(broadcast_minutes, "materials.broadcast_minutes", "广播时长（分钟）"),
  PV_COUNT(messages, "materials.messages", "短信/微信推送（条）"),
  {FIELD_AT(ActivityInput, notes), .label_zh = "情况说明", .kind = FK_LONG, FIELD_CHARS(PREVENTION_NOTES_CHARS)},
  {FIELD_AT(ActivityInput, reason), .label_zh = "更正原因", .kind = FK_TEXT, FIELD_CHARS(PREVENTION_REASON_CHARS)},
};
const RecordSpec activity_record = RECORD_SPEC("activity", activity_fields);

static const FieldSpec survey_fields[] = {
  {FIELD_AT(SurveyInput, org), .label_zh = "单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(SurveyInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(SurveyInput, group), .label_zh = "调查对象", .kind = FK_ENUM, .vocab = survey_group_vocab,
   .required = true, .msg = "请选择调查对象"},
  {FIELD_AT(SurveyInput, method), .label_zh = "调查方式", .kind = FK_ENUM, .vocab = survey_method_vocab,
   .required = true, .msg = "请选择调查方式"},
  {FIELD_AT(SurveyInput, title), .label_zh = "调查主题", .kind = FK_TEXT, FIELD_CHARS(SURVEY_TITLE_CHARS)},
  {FIELD_AT(SurveyInput, respondents), .label_zh = "调查人数", .kind = FK_INT, FIELD_RANGE(0, 10000000)},
  {FIELD_AT(SurveyInput, aware), .label_zh = "知晓（答对）人数", .kind = FK_INT, FIELD_RANGE(0, 10000000)},
  {FIELD_AT(SurveyInput, notes), .label_zh = "情况说明", .kind = FK_LONG, FIELD_CHARS(PREVENTION_NOTES_CHARS)},
  {FIELD_AT(SurveyInput, reason), .label_zh = "更正原因", .kind = FK_TEXT, FIELD_CHARS(PREVENTION_REASON_CHARS)},
};
const RecordSpec survey_record = RECORD_SPEC("survey", survey_fields);

/* ---- shared steps --------------------------------------------------------------- */

/* The checks of a record's input: the table's (spec), the unit (into
 * *org), and for a correction the reason. Adds to e; returns e->code or a
 * storage failure's. */
static int pv_check(Ctx *c, const RecordSpec *spec, const void *in, const char *org_code, bool correction,
                    const char *reason, OrgUnit *org, Err *e) {
  field_check_record(spec, in, c->today, e);
  if (unit_record_org(c, org_code, org, e) != ERR_OK && e->code != ERR_INVALID) return e->code;
  if (correction && (!reason || !*reason) && !err_field_msg(e, "reason")) err_field(e, "reason", M_REASON);
  return e->code;
}

/* A list's period or dates as *from / *to (kept in f, t): period parsed
 * (field "period"), or the dates as given. */
static void pv_window(const char *period, const char **from, const char **to, char f[DATE_ISO_LEN],
                      char t[DATE_ISO_LEN], Err *e) {
  if (!period || !*period) return;
  Period p;
  if ((*from && **from) || (*to && **to)) {
    err_field(e, "period", M_PERIOD_AND_DATES);
    return;
  }
  if (!period_parse(period, &p) || p.type == PERIOD_DEKAD) {
    err_field(e, "period", M_PERIOD);
    return;
  }
  date_format(period_first_day(p), f);
  date_format(period_last_day(p), t);
  *from = f;
  *to = t;
}

/* What a list's checks give its fetch: the dates of its period or filter,
 * the page as limit and offset, the unit whose subtree it covers, and the
 * result of finding it (rc). */
typedef struct PvList {
  const char *from, *to;
  char f[DATE_ISO_LEN], t[DATE_ISO_LEN];
  int64_t limit, offset;
  OrgUnit org;
  int rc;
} PvList;

/* Checks a list's period or dates and paging (with the field errors e may
 * hold already), then opens its read and finds the unit org in scope
 * (l->rc). ERR_OK: the read is open (the caller ends it with
 * app_read_done); else e->code and nothing open. */
static int pv_list_open(Ctx *c, const char *org, const char *period, int page, int per_page, PvList *l, Err *e) {
  pv_window(period, &l->from, &l->to, l->f, l->t, e);
  if (unit_list_paging(l->from, l->to, page, per_page, &l->limit, &l->offset, e) != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  l->rc = unit_scope_org(c, org, &l->org, e);
  return ERR_OK;
}

/* Checks a filter code against the codes of vocab (field key). */
static void pv_filter_code(const UnitTerm *vocab, const char *v, const char *key, const char *msg, Err *e) {
  if (v && *v && !unit_term_known(vocab, v)) err_field(e, key, msg);
}

/* The reads of a ledger record kind (activity, survey): the current version
 * (get), its row's dropper, every version (history), the row's size and
 * where its org_path and version sit in it. */
typedef struct PvKind {
  int (*get)(Db *db, int64_t id, void *row, Err *e);
  void (*drop)(void *row);
  int (*history)(Db *db, int64_t id, void *rows, int *n, Err *e);
  size_t size, org_path, version;
} PvKind;

/* Room for the current version of any kind. */
typedef union PvAnyRow {
  ActivityRow a;
  SurveyRow s;
} PvAnyRow;

/* The store's reads of each kind, typed for PvKind. */
static int pv_activity_get_row(Db *db, int64_t id, void *row, Err *e) { return store_activity_get(db, id, row, e); }
static void pv_activity_drop(void *row) { store_activity_row_drop(row); }
static int pv_activity_hist(Db *db, int64_t id, void *rows, int *n, Err *e) {
  return store_activity_history(db, id, rows, n, e);
}
static const PvKind pv_activity_kind = {pv_activity_get_row, pv_activity_drop, pv_activity_hist, sizeof(ActivityRow),
                                        offsetof(ActivityRow, org_path), offsetof(ActivityRow, version)};
static int pv_survey_get_row(Db *db, int64_t id, void *row, Err *e) { return store_survey_get(db, id, row, e); }
static void pv_survey_drop(void *row) { store_survey_row_drop(row); }
static int pv_survey_hist(Db *db, int64_t id, void *rows, int *n, Err *e) {
  return store_survey_history(db, id, rows, n, e);
}
static const PvKind pv_survey_kind = {pv_survey_get_row, pv_survey_drop, pv_survey_hist, sizeof(SurveyRow),
                                      offsetof(SurveyRow, org_path), offsetof(SurveyRow, version)};

/* Reads record id's current version of kind k into row and checks the
 * actor's scope: ERR_NOT_FOUND out of scope (row is still the caller's to
 * drop). Inside the caller's transaction. */
static int pv_in_scope(Ctx *c, int64_t id, void *row, const PvKind *k, Err *e) {
  if (k->get(c->db, id, row, e) != ERR_OK) return e->code;
  if (!actor_in_scope(c->actor, (const char *)row + k->org_path)) return err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  return ERR_OK;
}

/* Begins the correction of record id of kind k: the write right, the
 * transaction, the current version in scope (its number in *version).
 * ERR_OK: the transaction is open; else the error, nothing open. */
static int pv_correct_begin(Ctx *c, int64_t id, const PvKind *k, int *version, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  PvAnyRow old;
  int rc = pv_in_scope(c, id, &old, k, e);
  memcpy(version, (const char *)&old + k->version, sizeof *version);
  k->drop(&old);
  return rc == ERR_OK ? ERR_OK : app_fail(c, e);
}

/* Ends the correction of record id (entity "activity" or "survey") of unit
 * org: its audit detail d (taken) gains the new version (the old one + 1)
 * and the reason, and the use case commits. */
static int pv_correct_commit(Ctx *c, const char *entity, int64_t id, const OrgUnit *org, Buf *d, int version,
                             const char *reason, Err *e) {
  audit_detail_int(d, "version", version + 1);
  audit_detail_kv(d, "reason", reason);
  return app_commit(c, &(AppAudit){"correct", entity, id, org->path, d}, e);
}

/* ---- activities ----------------------------------------------------------------- */

#define M_PLACE "合作场所不存在、已停用或不在管辖范围内"
#define M_PLACES_MAX "合作场所最多选择20个"

/* Checks the partner places of in (field "places"): each an active place
 * whose unit lies in the actor's scope, none twice (a repeat is dropped:
 * *ids, the checked list, at most ACTIVITY_PLACES_MAX). */
static int pv_places_check(Ctx *c, const ActivityInput *in, int64_t *ids, int *n, Err *e) {
  *n = 0;
  if (in->nplaces > ACTIVITY_PLACES_MAX) return err_field(e, "places", M_PLACES_MAX);
  for (int i = 0; i < in->nplaces; i++) {
    bool seen = false;
    for (int k = 0; k < *n; k++) seen = seen || ids[k] == in->place_ids[i];
    if (seen) continue;
    PlaceRow p;
    Err le;
    err_clear(&le);
    int rc = in->place_ids[i] > 0 ? store_place_get(c->db, in->place_ids[i], &p, &le) : ERR_NOT_FOUND;
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) return err_set(e, le.code, le.msg);
    bool ok = rc == ERR_OK && p.active && actor_in_scope(c->actor, p.org_path);
    if (rc == ERR_OK) store_place_free(&p);
    if (!ok) return err_field(e, "places", M_PLACE);
    ids[(*n)++] = in->place_ids[i];
  }
  return ERR_OK;
}

/* The stored form of in for unit org. */
static ActivityIn pv_activity_in(const ActivityInput *in, int64_t org_id) {
  return (ActivityIn){.org_id = org_id, .date = in->date, .kind = in->kind, .settings = in->settings,
                      .campaign = in->campaign, .title = in->title, .partners = in->partners,
                      .audience = in->audience, .notes = in->notes, .reason = in->reason,
                      .participants = in->participants, .consultations = in->consultations,
                      .materials = {in->leaflets, in->banners, in->slogans, in->boards, in->exhibits, in->posters,
                                    in->notices, in->broadcasts, in->broadcast_minutes, in->messages}};
}

/* The audit detail of an activity. */
static void pv_activity_detail(Buf *d, const ActivityInput *in, const OrgUnit *org) {
  audit_detail_kv(d, "date", in->date);
  audit_detail_kv(d, "org", org->code);
  audit_detail_kv(d, "kind", in->kind);
  audit_detail_int(d, "participants", in->participants);
  for (int i = 0; i < in->nplaces && i < ACTIVITY_PLACES_MAX; i++) audit_detail_int(d, "place", in->place_ids[i]);
}

int app_activity_add(Ctx *c, const ActivityInput *in, const PreventionFile *photo, int64_t *id, Err *e) {
  if (id) *id = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org = {0};
  if (pv_check(c, &activity_record, in, in->org, false, NULL, &org, e) != ERR_OK) return app_fail(c, e);
  ActivityInput clean = *in;
  clean.reason = NULL;
  int64_t places[ACTIVITY_PLACES_MAX];
  int nplaces = 0;
  if (pv_places_check(c, in, places, &nplaces, e) != ERR_OK) return app_fail(c, e);
  ActivityIn w = pv_activity_in(&clean, org.id);
  w.place_ids = places;
  w.nplaces = nplaces;
  int64_t aid;
  if (store_activity_add(c->db, &w, c->actor->user_id, c->now_iso, &aid, e) != ERR_OK) return app_fail(c, e);
  if (photo && (photo->len || (photo->name && *photo->name)) &&
      attachment_put_audited(c, "activity", aid, org.path, photo->name, photo->bytes, photo->len, "photo", e) != ERR_OK)
    return app_fail(c, e);
  Buf d = BUF_INIT;
  pv_activity_detail(&d, in, &org);
  int rc = app_commit(c, &(AppAudit){"create", "activity", aid, org.path, &d}, e);
  if (rc == ERR_OK && id) *id = aid;
  return rc;
}

int app_activity_correct(Ctx *c, int64_t id, const ActivityInput *in, Err *e) {
  int version = 0;
  if (pv_correct_begin(c, id, &pv_activity_kind, &version, e) != ERR_OK) return e->code;
  OrgUnit org = {0};
  if (pv_check(c, &activity_record, in, in->org, true, in->reason, &org, e) != ERR_OK) return app_fail(c, e);
  int64_t places[ACTIVITY_PLACES_MAX];
  int nplaces = 0;
  if (pv_places_check(c, in, places, &nplaces, e) != ERR_OK) return app_fail(c, e);
  ActivityIn w = pv_activity_in(in, org.id);
  w.place_ids = places;
  w.nplaces = nplaces;
  if (store_activity_correct(c->db, id, &w, c->actor->user_id, c->now_iso, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  pv_activity_detail(&d, in, &org);
  return pv_correct_commit(c, "activity", id, &org, &d, version, in->reason, e);
}

/* The current version of record id of kind k (zeroed on an error). */
static int pv_get(Ctx *c, int64_t id, void *row, const PvKind *k, Err *e) {
  memset(row, 0, k->size);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, pv_in_scope(c, id, row, k, e), e);
  if (rc != ERR_OK) {
    k->drop(row);
    memset(row, 0, k->size);
  }
  return rc;
}

/* Every version of record id of kind k (in scope), newest first. */
static int pv_history(Ctx *c, int64_t id, void *rows, int *n, const PvKind *k, Err *e) {
  memset(rows, 0, sizeof(void *));
  *n = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  PvAnyRow cur;
  int rc = pv_in_scope(c, id, &cur, k, e);
  k->drop(&cur);
  if (rc == ERR_OK) rc = k->history(c->db, id, rows, n, e);
  return app_read_done(c, rc, e);
}

int app_activity_get(Ctx *c, int64_t id, ActivityRow *out, Err *e) { return pv_get(c, id, out, &pv_activity_kind, e); }

int app_activity_history(Ctx *c, int64_t id, ActivityRow **out, int *n, Err *e) {
  return pv_history(c, id, out, n, &pv_activity_kind, e);
}

int app_activity_list(Ctx *c, const ActivityQuery *q, ActivityRow **out, int *n, ActivityTotals *tot, Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  pv_filter_code(activity_kind_vocab, q->kind, "kind", "请选择活动形式", e);
  pv_filter_code(activity_setting_vocab, q->setting, "setting", "请选择有效的六进场所", e);
  pv_filter_code(activity_campaign_vocab, q->campaign, "campaign", "请选择有效的专项宣传", e);
  PvList l = {.from = q->from, .to = q->to};
  if (pv_list_open(c, q->org, q->period, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  int rc = l.rc;
  if (rc == ERR_OK) {
    ActivityFilter flt = {l.org.path, l.from, l.to, q->kind, q->setting, q->campaign, l.limit, l.offset, false, q->each};
    rc = store_activity_list(c->db, &flt, out, n, tot, e);
  }
  return app_read_done(c, rc, e);
}

/* ---- awareness targets ---------------------------------------------------------- */

/* The target in force for group on unit u, from the stored targets rows
 * (*view filled). */
static int pv_target_of(const AwarenessTargetRow *rows, int n, const OrgUnit *u, const char *group,
                        AwarenessTargetView *view) {
  AwarenessTarget *t = calloc((size_t)(n ? n : 1), sizeof *t);
  if (!t) abort();
  for (int i = 0; i < n; i++) t[i] = (AwarenessTarget){rows[i].org_id, rows[i].group, rows[i].target};
  int64_t chain[RHYTHM_DEPTH_MAX];
  int depth = rhythm_path_chain(u->path, chain, RHYTHM_DEPTH_MAX), from = -1;
  memset(view, 0, sizeof *view);
  view->group = group;
  view->target = awareness_target_resolve(t, n, chain, depth, group, &from);
  view->is_default = from < 0;
  if (from >= 0) {
    str_copy(view->set_on, sizeof view->set_on, rows[from].org_code);
    str_copy(view->set_on_name, sizeof view->set_on_name, rows[from].org_name);
    view->own = rows[from].org_id == u->id;
  }
  free(t);
  return view->target;
}

/* The target in force for group on u, read from the database. */
static int pv_target_now(Ctx *c, const OrgUnit *u, const char *group, int *target, Err *e) {
  AwarenessTargetRow *rows = NULL;
  int n = 0;
  if (store_awareness_targets(c->db, &rows, &n, e) != ERR_OK) return e->code;
  AwarenessTargetView v;
  *target = pv_target_of(rows, n, u, group, &v);
  free(rows);
  return ERR_OK;
}

int app_awareness_targets(Ctx *c, const char *org, OrgUnit *unit, AwarenessTargetView out[SURVEY_GROUPS], Err *e) {
  memset(out, 0, sizeof *out * SURVEY_GROUPS);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  AwarenessTargetRow *rows = NULL;
  int n = 0;
  int rc = unit_scope_org(c, org, unit, e);
  if (rc == ERR_OK) rc = store_awareness_targets(c->db, &rows, &n, e);
  for (int g = 0; rc == ERR_OK && g < SURVEY_GROUPS; g++)
    pv_target_of(rows, n, unit, survey_group_vocab[g].code, &out[g]);
  free(rows);
  return app_read_done(c, rc, e);
}

/* The unit of a target's change: admin and office only, a unit in scope
 * (field "org"), a known group (field "group"). */
static int pv_target_org(Ctx *c, const char *org, const char *group, OrgUnit *u, Err *e) {
  if (c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_OFFICE) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (survey_group_at(group) < 0) err_field(e, "group", "请选择调查对象");
  if (unit_record_org(c, org, u, e) != ERR_OK && e->code != ERR_INVALID) return e->code;
  return e->code;
}

int app_awareness_target_set(Ctx *c, const char *org, const char *group, int64_t target, bool *created, Err *e) {
  *created = false;
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit u;
  if (target < 0 || target > 100) err_field(e, "target", "应在0到100之间");
  if (pv_target_org(c, org, group, &u, e) != ERR_OK) return app_fail(c, e);
  if (store_awareness_target_set(c->db, u.id, group, (int)target, c->actor->user_id, c->now_iso, created, e) != ERR_OK)
    return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "group", group);
  audit_detail_int(&d, "target", target);
  return app_commit(c, &(AppAudit){"set", "awareness_target", u.id, u.path, &d}, e);
}

int app_awareness_target_clear(Ctx *c, const char *org, const char *group, Err *e) {
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit u;
  if (pv_target_org(c, org, group, &u, e) != ERR_OK) return app_fail(c, e);
  if (store_awareness_target_clear(c->db, u.id, group, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "group", group);
  return app_commit(c, &(AppAudit){"clear", "awareness_target", u.id, u.path, &d}, e);
}

/* ---- surveys -------------------------------------------------------------------- */

/* Checks a survey's input, its counts (field "respondents" or "aware")
 * and unit; resolves the target in force into w. */
static int pv_survey_check(Ctx *c, const SurveyInput *in, bool correction, OrgUnit *org, SurveyIn *w, Err *e) {
  if (pv_check(c, &survey_record, in, in->org, correction, in->reason, org, e) != ERR_OK && e->code != ERR_INVALID)
    return e->code;
  const char *m = awareness_counts_msg(in->respondents, in->aware);
  if (m && !err_field_msg(e, "respondents") && !err_field_msg(e, "aware"))
    err_field(e, in->respondents < 1 ? "respondents" : "aware", m);
  if (e->code != ERR_OK) return e->code;
  *w = (SurveyIn){.org_id = org->id, .date = in->date, .group = in->group, .method = in->method, .title = in->title,
                  .notes = in->notes, .reason = correction ? in->reason : NULL, .respondents = in->respondents,
                  .aware = in->aware};
  return pv_target_now(c, org, in->group, &w->target, e);
}

/* The audit detail of a survey. */
static void pv_survey_detail(Buf *d, const SurveyIn *w, const OrgUnit *org) {
  audit_detail_kv(d, "date", w->date);
  audit_detail_kv(d, "org", org->code);
  audit_detail_kv(d, "group", w->group);
  audit_detail_int(d, "respondents", w->respondents);
  audit_detail_int(d, "aware", w->aware);
}

int app_survey_add(Ctx *c, const SurveyInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org = {0};
  SurveyIn w;
  if (pv_survey_check(c, in, false, &org, &w, e) != ERR_OK) return app_fail(c, e);
  int64_t sid;
  if (store_survey_add(c->db, &w, c->actor->user_id, c->now_iso, &sid, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  pv_survey_detail(&d, &w, &org);
  int rc = app_commit(c, &(AppAudit){"create", "survey", sid, org.path, &d}, e);
  if (rc == ERR_OK && id) *id = sid;
  return rc;
}

int app_survey_correct(Ctx *c, int64_t id, const SurveyInput *in, Err *e) {
  int version = 0;
  if (pv_correct_begin(c, id, &pv_survey_kind, &version, e) != ERR_OK) return e->code;
  OrgUnit org = {0};
  SurveyIn w;
  if (pv_survey_check(c, in, true, &org, &w, e) != ERR_OK) return app_fail(c, e);
  if (store_survey_correct(c->db, id, &w, c->actor->user_id, c->now_iso, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  pv_survey_detail(&d, &w, &org);
  return pv_correct_commit(c, "survey", id, &org, &d, version, in->reason, e);
}

int app_survey_get(Ctx *c, int64_t id, SurveyRow *out, Err *e) { return pv_get(c, id, out, &pv_survey_kind, e); }

int app_survey_history(Ctx *c, int64_t id, SurveyRow **out, int *n, Err *e) {
  return pv_history(c, id, out, n, &pv_survey_kind, e);
}

int app_survey_list(Ctx *c, const SurveyQuery *q, SurveyRow **out, int *n, SurveyTotals *tot, Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  pv_filter_code(survey_group_vocab, q->group, "group", "请选择调查对象", e);
  pv_filter_code(survey_method_vocab, q->method, "method", "请选择调查方式", e);
  PvList l = {.from = q->from, .to = q->to};
  if (pv_list_open(c, q->org, q->period, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  int rc = l.rc;
  if (rc == ERR_OK) {
    SurveyFilter flt = {l.org.path, l.from, l.to, q->group, q->method, l.limit, l.offset, q->each};
    rc = store_survey_list(c->db, &flt, out, n, tot, e);
  }
  return app_read_done(c, rc, e);
}

/* ---- the overview --------------------------------------------------------------- */

int app_prevention_overview(Ctx *c, const char *org, const char *month, PreventionOverview *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  out->month = period_of(PERIOD_MONTH, c->today);
  if (month && *month && (!period_parse(month, &out->month) || out->month.type != PERIOD_MONTH))
    return err_field(e, "month", M_MONTH);
  date_format(period_first_day(out->month), out->from);
  date_format(period_last_day(out->month), out->to);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  OrgUnit *kids = NULL;
  PreventionUnitCount *cnt = NULL;
  int nkids = 0, ncnt = 0;
  int rc = unit_scope_org(c, org, &out->unit, e);
  if (rc == ERR_OK && out->unit.id) rc = store_org_children(c->db, out->unit.id, &kids, &nkids, e);
  if (rc == ERR_OK) rc = store_prevention_counts(c->db, out->unit.path, out->from, out->to, &cnt, &ncnt, e);
  OrgUnit *units = NULL;
  int nunits = 0;
  if (rc == ERR_OK) rc = store_org_list_scope(c->db, out->unit.path, &units, &nunits, e);
  if (rc == ERR_OK) {
    int nrows = nkids ? nkids : 1;
    out->rows = calloc((size_t)nrows, sizeof *out->rows);
    if (!out->rows) abort();
    out->nrows = nrows;
    for (int k = 0; k < nrows; k++) out->rows[k].unit = nkids ? kids[k] : out->unit;
    /* each unit belongs to the row whose subtree holds it */
    out->units = calloc((size_t)(nunits ? nunits : 1), sizeof *out->units);
    if (!out->units) abort();
    out->nunits = nunits;
    for (int u = 0; u < nunits; u++) {
      str_copy(out->units[u].code, sizeof out->units[u].code, units[u].code);
      out->units[u].row = -1;
      for (int k = 0; k < nrows; k++) {
        const char *rp = out->rows[k].unit.path;
        if (strncmp(units[u].path, rp, strlen(rp)) == 0) {
          out->units[u].row = k;
          break;
        }
      }
    }
    for (int i = 0; i < ncnt; i++) {
      out->activities += cnt[i].activities;
      out->surveys += cnt[i].surveys;
      for (int u = 0; u < nunits; u++) {
        if (units[u].id != cnt[i].org_id || out->units[u].row < 0) continue;
        out->rows[out->units[u].row].activities += cnt[i].activities;
        out->rows[out->units[u].row].surveys += cnt[i].surveys;
        break;
      }
    }
  }
  free(kids);
  free(cnt);
  free(units);
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) app_prevention_overview_free(out);
  return rc;
}

void app_prevention_overview_free(PreventionOverview *o) {
  array_free(&o->rows, &o->nrows);
  array_free(&o->units, &o->nunits);
}

int app_prevention_overview_row(const PreventionOverview *o, const char *code) {
  for (int u = 0; code && u < o->nunits; u++)
    if (strcmp(o->units[u].code, code) == 0) return o->units[u].row;
  return -1;
}
