/* app/supervision.c: owns the supervision use cases of app/supervision.h:
 * recording talks/visits, drug tests and events (rights, scope, validation,
 * one transaction with the refresh of the derived fields and the audit
 * row), the refresh of one person's derived fields (sup_refresh of
 * app/steps.h: core/supervision's computation over the stored history), the
 * schedule of one person as of a day, the work lists, and the history
 * tables of the person page. The rules themselves are core/supervision.c's. */
#include "app/supervision.h"
#include "app/approval.h"
#include "app/audit.h"
#include "app/read_limit.h"
#include "app/schedule_rule.h"
#include "app/steps.h"
#include "core/buf.h"
#include "core/deadline.h"
#include "core/offence.h"
#include "core/person_field.h"
#include "core/supervision.h"
#include "store/org.h"
#include "store/approval.h"
#include "store/person.h"
#include "store/supervision.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages (catalog msgids). */
#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_FUTURE_DATE "日期不能晚于今天"
#define M_BEFORE_BIRTH "日期不能早于出生日期"
#define M_SUBSTANCE_NOT_POSITIVE "只有阳性结果才能填写检出物质"
#define M_CORRECTS "要更正的记录不存在或已被更正"
#define M_UNTIL_REQUIRED "请填写返回日期"
#define M_UNTIL_BEFORE "返回日期不能早于离开日期"
#define M_RELEASE_FAR "预计出所（出狱）日期不能晚于一年以后"
#define M_TRANSITION "当前状态不允许登记该事件"
#define M_NOT_DETAINED "当前状态不是拘留，不能登记拘留结束"
#define M_NOT_CUSTODIAL "当前不在强制隔离戒毒、服刑或拘留中"
#define M_TASK_STATUS "只能设为已完成（done）或已取消（cancelled）"
#define M_TASK_NOT_OPEN "该事项不是待办事项或已处理"
#define M_ORG_SCOPE "所选单位不存在或不在您的管辖范围内"
#define M_HORIZON "提前天数应为0至366"
#define M_SORT "排序方式只能是 due、name 或 reason"
#define M_CLOSED "该人员已死亡或出境，档案已关闭，不能登记谈话走访或检测"
#define M_NO_LEAVE "没有未销假的请假外出"
#define M_NOT_ORDER "当前状态不是社区戒毒或社区康复，不能登记公安机关决定"
#define M_LEAVE_FAR "请假外出日期不能晚于一年以后"
#define M_UNTIL_FAR "返回日期不能晚于离开日期一年以后"
#define M_END_REQUIRED "请填写预计出所（出狱、拘留期满）日期"
#define M_END_BEFORE "预计出所日期不能早于事件日期"
#define M_END_FAR "预计出所日期不能晚于事件日期十年以后"
#define M_END_NOT_LATER "延期后的预计出所日期应晚于原预计日期"
#define M_CASE_NO_REQUIRED "请填写公安机关案件编号"
#define M_OFFENCE_REQUIRED "请选择犯罪类型"
#define M_OFFENCE_CLOSED "该人员已死亡或出境，档案已关闭"

#define WORKLIST_CAP 50000

/* ---- the input tables ------------------------------------------------- */

static const char *const VISIT_KINDS[] = {"talk", "home_visit", "phone", "office", NULL};
static const char *const SAMPLES[] = {"urine", "hair", "saliva", "blood", NULL};
static const char *const TEST_REASONS[] = {"scheduled", "random", NULL};
static const char *const RESULTS[] = {"negative", "positive", "refused", "absent", NULL};
static const char *const EVENT_KINDS[] = {"reported", "lost_contact", "found", "leave", "leave_return", "absence",
                                          "detained", "detention_end", "imprisoned", "release_notice", "released",
                                          "transfer_request", "agreement_signed", "police_report",
                                          "police_decision", "extension", "offence", NULL};

/* One of the five knowns of a visit: a change of the case file's field. */
#define SUP_FK(member, path, label) \
  {FIELD_AT(VisitInput, member), .json = path, .label_zh = label, .kind = FK_LONG, FIELD_CHARS(PERSON_FK_CHARS)}

static const FieldSpec visit_fields[] = {
  {FIELD_AT(VisitInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(VisitInput, kind), .label_zh = "方式", .kind = FK_ENUM, .choices = VISIT_KINDS, .required = true,
   .msg = "请选择谈话走访方式"},
  {FIELD_AT(VisitInput, place), .label_zh = "地点", .kind = FK_TEXT, FIELD_CHARS(200)},
  {FIELD_AT(VisitInput, notes), .label_zh = "谈话/走访情况", .kind = FK_LONG, FIELD_CHARS(4000)},
  SUP_FK(fk_basics, "five_knowns.basics", "基本情况"),
  SUP_FK(fk_contacts, "five_knowns.contacts", "主要社会关系"),
  SUP_FK(fk_family_economy, "five_knowns.family_economy", "家庭经济状况"),
  SUP_FK(fk_state_of_mind, "five_knowns.state_of_mind", "现实思想状态"),
  SUP_FK(fk_movements, "five_knowns.movements", "异常活动时间和去向"),
};
const RecordSpec visit_record = RECORD_SPEC("visit", visit_fields);

static const FieldSpec test_fields[] = {
  {FIELD_AT(TestInput, date), .label_zh = "检测日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(TestInput, sample), .label_zh = "样本", .kind = FK_ENUM, .choices = SAMPLES, .required = true,
   .msg = "请选择检测样本"},
  {FIELD_AT(TestInput, reason), .label_zh = "检测类型", .kind = FK_ENUM, .choices = TEST_REASONS, .required = true,
   .msg = "请选择检测类型"},
  {FIELD_AT(TestInput, result), .label_zh = "检测结果", .kind = FK_ENUM, .choices = RESULTS, .required = true,
   .msg = "请选择检测结果"},
  {FIELD_AT(TestInput, substances), .label_zh = "检出物质（阳性时填写）", .kind = FK_ENUM_SET,
   .choices = drug_type_codes, .msg = "检出物质无效"},
  {FIELD_AT(TestInput, tester), .label_zh = "检测人", .kind = FK_TEXT, FIELD_CHARS(60)},
};
const RecordSpec test_record = RECORD_SPEC("test", test_fields);

/* The date of an event is checked by its kind (an expected release may lie
 * ahead); until is required for a leave, days for an absence. */
static const FieldSpec event_fields[] = {
  {FIELD_AT(EventInput, kind), .label_zh = "事件类型", .kind = FK_ENUM, .choices = EVENT_KINDS, .required = true,
   .msg = "请选择有效的事件类型"},
  {FIELD_AT(EventInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true},
  {FIELD_AT(EventInput, until), .label_zh = "返回日期（请假外出的最后一天）", .kind = FK_DATE},
  {FIELD_AT(EventInput, days), .label_zh = "擅自离开天数", .kind = FK_INT, FIELD_RANGE(1, 3650)},
  {FIELD_AT(EventInput, to_org), .label_zh = "接收社区编码（变更执行地）", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(EventInput, note), .label_zh = "说明", .kind = FK_LONG, FIELD_CHARS(1000)},
  {FIELD_AT(EventInput, expected_end), .label_zh = "预计出所（出狱、拘留期满）日期", .kind = FK_DATE},
  {FIELD_AT(EventInput, case_no), .label_zh = "公安机关案件编号", .kind = FK_TEXT, FIELD_CHARS(40)},
  {FIELD_AT(EventInput, offence), .label_zh = "犯罪类型", .kind = FK_ENUM, .vocab = offence_kind_vocab,
   .msg = M_OFFENCE_REQUIRED},
};
const RecordSpec event_record = RECORD_SPEC("event", event_fields);

_Static_assert(sizeof((VisitRecord *)0)->notes >= FIELD_BYTES(4000) &&
                   sizeof((VisitRecord *)0)->place >= FIELD_BYTES(200) &&
                   sizeof((TestRecord *)0)->tester >= FIELD_BYTES(60) &&
                   sizeof((EventRecord *)0)->note >= FIELD_BYTES(1000),
               "the history rows hold what the tables accept");

/* After the record's check: the day of date field key (value s), which must
 * not lie after latest nor before the person's birth (when known). Adds the
 * field error and answers false when it does, or when the field had an
 * error already. */
static bool sup_day(const char *s, const char *key, Day birth, bool has_birth, Day latest, Day *out, Err *e) {
  Day d;
  if (err_field_msg(e, key) || !date_parse(s, &d)) return false;
  if (d > latest) err_field(e, key, M_FUTURE_DATE);
  else if (has_birth && d < birth) err_field(e, key, M_BEFORE_BIRTH);
  else {
    *out = d;
    return true;
  }
  return false;
}

static void sv_fmt(Day d, char out[DATE_ISO_LEN]) { date_format(d, out); }

/* ---- names ------------------------------------------------------------ */

typedef struct { const char *code, *zh; } SvName;

static const char *sv_name(const SvName *t, const char *code) {
  if (!code) return "";
  for (; t->code; t++)
    if (strcmp(t->code, code) == 0) return t->zh;
  return "";
}

const char *visit_kind_name_zh(const char *kind) {
  static const SvName t[] = {{"talk", "谈话"}, {"home_visit", "走访"}, {"phone", "电话联系"},
                             {"office", "来访"}, {NULL, NULL}};
  return sv_name(t, kind);
}

const char *test_result_name_zh(const char *result) {
  static const SvName t[] = {{"negative", "阴性"}, {"positive", "阳性"}, {"refused", "拒绝检测"},
                             {"absent", "未到检"}, {NULL, NULL}};
  return sv_name(t, result);
}

const char *test_sample_name_zh(const char *sample) {
  static const SvName t[] = {{"urine", "尿样"}, {"hair", "毛发"}, {"saliva", "唾液"}, {"blood", "血样"}, {NULL, NULL}};
  return sv_name(t, sample);
}

const char *event_kind_name_zh(const char *kind) {
  static const SvName t[] = {
    {"reported", "报到"},          {"lost_contact", "失联"},          {"found", "找回"},
    {"leave", "请假外出"},         {"absence", "擅自外出"},           {"detained", "拘留"},
    {"detention_end", "拘留结束"}, {"imprisoned", "服刑"},            {"release_notice", "出所（出狱）通知"},
    {"released", "已接回"},        {"transfer_request", "变更执行地申请"}, {"agreement_signed", "签订协议"},
    {"police_report", "报告公安"}, {"relapse", "复吸"},               {"agreement_due", "待签新协议"},
    {"leave_return", "销假"},      {"police_decision", "公安机关决定继续社区戒毒（康复）"},
    {"extension", "延期（预计出所日期变更）"}, {"offence", "违法犯罪"},
    {NULL, NULL}};
  return sv_name(t, kind);
}

/* ---- refresh ---------------------------------------------------------- */

/* Loads the history and the rule of person_id and computes as of asof. */
static int sv_compute_person(Ctx *c, int64_t person_id, Day asof, SupComputed *out, char rule_code[SCHED_CODE_MAX],
                             Err *e) {
  SupHistory h;
  memset(&h, 0, sizeof h);
  if (store_sup_history_load(c->db, person_id, &h, e) != ERR_OK) {
    sup_history_free(&h);
    return e->code;
  }
  ScheduleRule rule;
  if (app_schedule_rule_resolve(c->db, h.org_id, &rule, e) != ERR_OK) {
    sup_history_free(&h);
    return e->code;
  }
  if (rule_code) snprintf(rule_code, SCHED_CODE_MAX, "%s", rule.code);
  supervision_compute(&h, &rule, asof, out);
  sup_history_free(&h);
  return ERR_OK;
}

int sup_refresh(Ctx *c, int64_t person_id, Err *e) {
  SupComputed comp;
  if (sv_compute_person(c, person_id, c->today, &comp, NULL, e) != ERR_OK ||
      store_sup_derived_set(c->db, person_id, &comp.d, c->now_iso, e) != ERR_OK)
    return e->code;
  return stats_refresh(c, person_id, e);
}

/* ---- recording -------------------------------------------------------- */

/* The person a recording is about: its row and birth day. */
typedef struct SupPerson {
  PersonRow row;
  Day birth;
  bool has_birth;
} SupPerson;

/* Starts a recording on a person in scope: checks the right
 * (PERM_PERSON_WRITE; for drug tests also the police liaison, who performs
 * them), begins, loads the person (ERR_NOT_FOUND outside the scope) into
 * *p, and checks in against spec (every field error at once) and
 * corrects_id (0: none; else a row of table "visit" / "drug_test" of the
 * person not corrected yet) and, when date is not NULL, the record's date
 * (field "date": a day, not in the future, not before the birth). *id_out
 * (may be NULL), the id of the row the
 * recording writes, is 0 until it succeeds. ERR_OK while the transaction is
 * open (then e may hold field errors: the caller adds its own and ends with
 * sup_failed); otherwise ended, p->row freed. */
static int sup_begin(Ctx *c, int64_t person_id, bool police_may, const RecordSpec *spec, const void *in,
                     const char *table, int64_t corrects_id, const char *date, SupPerson *p, int64_t *id_out,
                     Err *e) {
  if (id_out) *id_out = 0;
  memset(p, 0, sizeof *p);
  if (!actor_can(c->actor, PERM_PERSON_WRITE) && !(police_may && c->actor->role == ROLE_POLICE))
    return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_person_get(c->db, person_id, c->actor->org_path, &p->row, e) != ERR_OK) return app_fail(c, e);
  p->has_birth = date_parse(p->row.f[PF_BIRTH_DATE], &p->birth);
  field_check_record(spec, in, c->today, e);
  bool ok = true;
  if (corrects_id > 0 && store_sup_correctable(c->db, table, person_id, corrects_id, &ok, e) != ERR_OK) {
    store_person_row_free(&p->row);
    return app_fail(c, e);
  }
  if (corrects_id < 0 || !ok) err_field(e, "corrects_id", M_CORRECTS);
  Day day;
  if (date) sup_day(date, "date", p->birth, p->has_birth, c->today, &day, e);
  return ERR_OK;
}

/* true (e set: ERR_CONFLICT) when p's file is closed (dead, emigrated) and
 * the recording is a new talk or test, not a correction (corrects_id > 0)
 * of an earlier one. */
static bool sup_closed(const SupPerson *p, int64_t corrects_id, Err *e) {
  if (corrects_id > 0 || !status_is_closed(status_from_code(p->row.status))) return false;
  err_set(e, ERR_CONFLICT, M_CLOSED);
  return true;
}

/* Ends a recording that failed: frees p's row, rolls back. */
static int sup_failed(Ctx *c, SupPerson *p, Err *e) {
  store_person_row_free(&p->row);
  return app_fail(c, e);
}

/* Writes the audit detail of a talk or a test into d: what (its id), the
 * field key with value, the date, and the row it corrects when any. */
static void sup_detail(Buf *d, const char *what, int64_t id, const char *key, const char *value, const char *date,
                       int64_t corrects_id) {
  audit_detail_int(d, what, id);
  audit_detail_kv(d, key, value);
  audit_detail_kv(d, "date", date);
  if (corrects_id > 0) audit_detail_int(d, "corrects", corrects_id);
}

/* Ends a recording on person p: refreshes its derived fields, then
 * app_commit with the audit row (action, detail) or, when the refresh
 * fails, app_fail. Resets detail and frees p's row either way; *id_out
 * (may be NULL) gets id on success. */
static int sup_finish(Ctx *c, int64_t person_id, SupPerson *p, const char *action, Buf *detail, int64_t id,
                      int64_t *id_out, Err *e) {
  int rc;
  if (sup_refresh(c, person_id, e) != ERR_OK) {
    buf_reset(detail);
    rc = app_fail(c, e);
  } else {
    rc = app_commit(c, &(AppAudit){action, "person", person_id, p->row.org_path, detail}, e);
  }
  store_person_row_free(&p->row);
  if (rc == ERR_OK && id_out) *id_out = id;
  return rc;
}

int app_visit_add(Ctx *c, int64_t person_id, const VisitInput *in, int64_t *id_out, Err *e) {
  SupPerson p;
  if (sup_begin(c, person_id, false, &visit_record, in, "visit", in->corrects_id, in->date, &p, id_out, e) != ERR_OK)
    return e->code;
  if (sup_closed(&p, in->corrects_id, e)) return sup_failed(c, &p, e);
  if (e->code != ERR_OK) return sup_failed(c, &p, e);

  /* Updated five knowns are a change of the case file (revision kept, its
   * own audit row), inside this transaction. */
  const char *const fk[PERSON_FIVE_KNOWNS] = {in->fk_basics, in->fk_contacts, in->fk_family_economy,
                                              in->fk_state_of_mind, in->fk_movements};
  if (person_five_knowns_write(c, person_id, fk, e) != ERR_OK) return sup_failed(c, &p, e);

  SupVisitIn vi = {.date = in->date, .kind = in->kind, .place = in->place, .notes = in->notes,
                   .worker_id = c->actor->user_id, .corrects_id = in->corrects_id};
  int64_t vid = 0;
  if (store_sup_visit_add(c->db, person_id, &vi, c->now_iso, &vid, e) != ERR_OK) return sup_failed(c, &p, e);
  Buf detail = BUF_INIT;
  sup_detail(&detail, "visit", vid, "kind", in->kind, in->date, in->corrects_id);
  return sup_finish(c, person_id, &p, "visit", &detail, vid, id_out, e);
}

int app_test_add(Ctx *c, int64_t person_id, const TestInput *in, int64_t *id_out, Err *e) {
  SupPerson p;
  if (sup_begin(c, person_id, true, &test_record, in, "drug_test", in->corrects_id, in->date, &p, id_out, e) !=
      ERR_OK)
    return e->code;
  if (sup_closed(&p, in->corrects_id, e)) return sup_failed(c, &p, e);
  if (in->substances && *in->substances && !err_field_msg(e, "substances") && in->result &&
      strcmp(in->result, "positive") != 0)
    err_field(e, "substances", M_SUBSTANCE_NOT_POSITIVE);
  if (e->code != ERR_OK) return sup_failed(c, &p, e);

  SupTestIn ti = {.date = in->date, .sample = in->sample, .reason = in->reason, .result = in->result,
                  .substances = in->substances, .tester = in->tester, .recorded_by = c->actor->user_id,
                  .corrects_id = in->corrects_id};
  int64_t tid = 0;
  if (store_sup_test_add(c->db, person_id, &ti, c->now_iso, &tid, e) != ERR_OK) return sup_failed(c, &p, e);
  if (strcmp(in->result, "positive") == 0) {
    /* A relapse: recorded as an event; under a community order the police
     * must be told (a task the person page shows until it is done). */
    SupEventIn rel = {.kind = "relapse", .date = in->date, .note = "尿检阳性", .created_by = c->actor->user_id};
    if (store_sup_event_add(c->db, person_id, &rel, c->now_iso, NULL, e) != ERR_OK) return sup_failed(c, &p, e);
    if (status_is_community_order(status_from_code(p.row.status))) {
      SupEventIn task = {.kind = "police_report", .date = in->date, .status = "open",
                         .note = "社区戒毒（康复）期间复吸，应报告公安机关",
                         .created_by = c->actor->user_id};
      if (store_sup_event_add(c->db, person_id, &task, c->now_iso, NULL, e) != ERR_OK) return sup_failed(c, &p, e);
    }
  }
  Buf detail = BUF_INIT;
  sup_detail(&detail, "test", tid, "result", in->result, in->date, in->corrects_id);
  return sup_finish(c, person_id, &p, "test", &detail, tid, id_out, e);
}

/* Appends a status episode written by the engine (detention, prison, the
 * end of a detention) after checking the transition from the current one. */
static int sup_episode_add(Ctx *c, int64_t person_id, Status from, Status to, const char *decision,
                          const char *start, const char *planned_end, const char *note, Err *e) {
  if (!status_transition_allowed(from, to)) return err_field(e, "kind", M_TRANSITION);
  EpisodeIn ep = {.status = status_code(to), .decision_date = decision, .start_date = start,
                  .decision_no = "", .planned_end = planned_end, .note = note, .corrects_id = 0};
  return store_person_episode_add(c->db, person_id, &ep, c->actor->user_id, c->now_iso, NULL, e);
}

int app_event_add(Ctx *c, int64_t person_id, const EventInput *in, int64_t *id_out, Err *e) {
  SupPerson p;
  Day date = 0, until = 0;
  SupHistory h;
  memset(&h, 0, sizeof h);
  int *order = NULL;
  Buf detail = BUF_INIT;
  if (sup_begin(c, person_id, false, &event_record, in, NULL, 0, NULL, &p, id_out, e) != ERR_OK) return e->code;
  const char *kind = err_field_msg(e, "kind") ? "" : in->kind;
  bool is = false;
#define KIND(k) (strcmp(kind, (k)) == 0)
  /* An expected release and a leave asked for may lie ahead (up to a
   * year); other events have happened. */
  Day latest = KIND("release_notice") || KIND("leave") ? c->today + 366 : c->today;
  bool date_ok = sup_day(in->date, "date", p.birth, p.has_birth, latest, &date, e);
  if (date_ok && KIND("release_notice") && date > c->today + 365) err_field(e, "date", M_RELEASE_FAR);
  if (date_ok && KIND("leave") && date > c->today + 365) err_field(e, "date", M_LEAVE_FAR);
  if (KIND("leave")) {
    if (!in->until || !*in->until) err_field(e, "until", M_UNTIL_REQUIRED);
    else if (!err_field_msg(e, "until") && date_parse(in->until, &until) && date_ok && until < date)
      err_field(e, "until", M_UNTIL_BEFORE);
    else if (!err_field_msg(e, "until") && date_ok && until > date + 365)
      err_field(e, "until", M_UNTIL_FAR);
  }
  if (KIND("absence") && in->days == 0) err_field(e, "days", field_by_key(&event_record, "days")->msg_bound);
  Status cur = status_from_code(p.row.status);
  /* The expected release of a detention, a prison term, an extension. */
  Day expected = 0;
  bool has_expected = false;
  if (KIND("detained") || KIND("imprisoned") || KIND("extension")) {
    if (!in->expected_end || !*in->expected_end) {
      if (KIND("extension")) err_field(e, "expected_end", M_END_REQUIRED);
    } else if (!err_field_msg(e, "expected_end") && date_parse(in->expected_end, &expected) && date_ok) {
      if (expected < date) err_field(e, "expected_end", M_END_BEFORE);
      else if (expected > date + 3653) err_field(e, "expected_end", M_END_FAR);
      else has_expected = true;
    }
  }
  if (KIND("extension") && has_expected) {
    SupDerived dd;
    if (!status_is_custodial(cur)) err_field(e, "kind", M_NOT_CUSTODIAL);
    else if (store_sup_derived_get(c->db, person_id, &dd, e) != ERR_OK) goto failed;
    else if (dd.release_due[0] && strcmp(in->expected_end, dd.release_due) <= 0)
      err_field(e, "expected_end", M_END_NOT_LATER);
  }
  if (KIND("offence")) {
    if (!in->case_no || !*in->case_no) err_field(e, "case_no", M_CASE_NO_REQUIRED);
    if (!in->offence || !*in->offence) err_field(e, "offence", M_OFFENCE_REQUIRED);
    if (status_is_closed(cur)) err_field(e, "kind", M_OFFENCE_CLOSED);
  }
  if (e->code != ERR_OK) goto failed;

  int64_t ev_id = 0;
  audit_detail_kv(&detail, "kind", kind);
  audit_detail_kv(&detail, "date", in->date);
  SupEventIn ev = {.kind = kind, .date = in->date, .note = in->note, .created_by = c->actor->user_id};
  if (KIND("transfer_request")) {
    int64_t aid = 0;
    if (sup_transfer_request(c, person_id, p.row.org_id, in->to_org, in->date, in->note, &ev_id, &aid, e) != ERR_OK)
      goto failed;
    audit_detail_kv(&detail, "to_org", in->to_org);
    audit_detail_int(&detail, "approval", aid);
    is = true;
  } else if (KIND("detained")) {
    if (sup_episode_add(c, person_id, cur, ST_DETAINED, in->date, in->date, has_expected ? in->expected_end : NULL,
                        "拘留", e) != ERR_OK)
      goto failed;
  } else if (KIND("imprisoned")) {
    if (sup_episode_add(c, person_id, cur, ST_IMPRISONED, in->date, in->date, has_expected ? in->expected_end : NULL,
                        "服刑", e) != ERR_OK)
      goto failed;
  } else if (KIND("extension")) {
    ev.until = in->expected_end; /* the new expected release (core/supervision.c) */
    audit_detail_kv(&detail, "expected_end", in->expected_end);
  } else if (KIND("offence")) {
    ev.case_no = in->case_no;
    ev.offence = in->offence;
    audit_detail_kv(&detail, "offence", in->offence);
  } else if (KIND("detention_end") || (KIND("released") && cur == ST_DETAINED)) {
    /* released from a detention: the same as its end */
    if (KIND("released") && store_sup_tasks_close(c->db, person_id, "release_notice", "done", NULL, e) != ERR_OK)
      goto failed;
    /* The status before the detention resumes; the clock runs on. */
    if (store_sup_history_load(c->db, person_id, &h, e) != ERR_OK) goto failed;
    order = malloc(sizeof *order * (size_t)(h.neps ? h.neps : 1));
    if (!order) abort();
    int k = supervision_standing(&h, order);
    if (cur != ST_DETAINED || k < 1) {
      err_field(e, "kind", M_NOT_DETAINED);
      goto failed;
    }
    Status before = k >= 2 ? status_from_code(h.eps[order[k - 2]].status) : ST_SOCIAL_SUPERVISION;
    if (before == ST_NONE || status_is_custodial(before) || status_is_closed(before)) before = ST_SOCIAL_SUPERVISION;
    const char *planned = k >= 2 && before == status_from_code(h.eps[order[k - 2]].status)
                              ? h.eps[order[k - 2]].planned_end : NULL;
    if (sup_episode_add(c, person_id, cur, before, NULL, in->date, planned, "拘留结束，恢复执行", e) != ERR_OK)
      goto failed;
  } else if (KIND("release_notice")) {
    if (!status_is_custodial(cur)) {
      err_field(e, "kind", M_NOT_CUSTODIAL);
      goto failed;
    }
    ev.status = "open"; /* the pickup task (出所必接), closed by "released" */
  } else if (KIND("released")) {
    if (store_sup_tasks_close(c->db, person_id, "release_notice", "done", NULL, e) != ERR_OK) goto failed;
  } else if (KIND("reported")) { /* after a transfer: reported to the new street */
    if (store_sup_tasks_close(c->db, person_id, "agreement_due", "done", NULL, e) != ERR_OK) goto failed;
  } else if (KIND("agreement_signed")) {
    if (store_sup_tasks_close(c->db, person_id, "agreement_due", "done", NULL, e) != ERR_OK ||
        store_person_doc_add(c->db, person_id, "agreement", in->date, "", c->now_iso, NULL, e) != ERR_OK)
      goto failed;
  } else if (KIND("police_report")) {
    if (store_sup_tasks_close(c->db, person_id, "police_report", "done", NULL, e) != ERR_OK) goto failed;
  } else if (KIND("police_decision")) {
    if (!status_is_community_order(cur)) {
      err_field(e, "kind", M_NOT_ORDER);
      goto failed;
    }
  } else if (KIND("leave")) {
    int64_t aid = 0;
    if (sup_leave_request(c, person_id, in->date, in->until, in->note, &ev_id, &aid, e) != ERR_OK) goto failed;
    if (leave_needs_report(date, until)) audit_detail_kv(&detail, "needs_report", "1");
    if (aid) audit_detail_int(&detail, "approval", aid);
    is = true;
  } else if (KIND("leave_return")) {
    int returned = 0;
    if (store_sup_tasks_close(c->db, person_id, "leave", "done", &returned, e) != ERR_OK) goto failed;
    if (!returned) {
      err_field(e, "kind", M_NO_LEAVE);
      goto failed;
    }
  } else if (KIND("absence")) {
    ev.days = in->days;
    audit_detail_int(&detail, "days", in->days);
  }
#undef KIND
  if (!is && store_sup_event_add(c->db, person_id, &ev, c->now_iso, &ev_id, e) != ERR_OK) goto failed;
  audit_detail_int(&detail, "event", ev_id);
  free(order);
  sup_history_free(&h);
  return sup_finish(c, person_id, &p, "event", &detail, ev_id, id_out, e);
failed:
  buf_reset(&detail);
  free(order);
  sup_history_free(&h);
  return sup_failed(c, &p, e);
}

int app_event_task_set(Ctx *c, int64_t event_id, const char *status, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (!status || (strcmp(status, "done") != 0 && strcmp(status, "cancelled") != 0))
    return err_field(e, "status", M_TASK_STATUS);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  SupPerson p;
  memset(&p, 0, sizeof p);
  int64_t pid = 0;
  char kind[24], cur[12];
  if (store_sup_event_get(c->db, event_id, &pid, kind, cur, e) != ERR_OK ||
      store_person_get(c->db, pid, c->actor->org_path, &p.row, e) != ERR_OK)
    return sup_failed(c, &p, e);
  if (strcmp(cur, "open") != 0) {
    err_set(e, ERR_CONFLICT, M_TASK_NOT_OPEN);
    return sup_failed(c, &p, e);
  }
  if (store_sup_event_set_status(c->db, event_id, status, e) != ERR_OK) return sup_failed(c, &p, e);
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "event", event_id);
  audit_detail_kv(&detail, "kind", kind);
  audit_detail_kv(&detail, "status", status);
  return sup_finish(c, pid, &p, "task", &detail, event_id, NULL, e);
}

/* ---- the schedule of one person --------------------------------------- */

int app_schedule_get(Ctx *c, int64_t person_id, const char *date, ScheduleView *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Day asof = c->today;
  if (date && *date && !date_parse(date, &asof)) return err_field(e, "date", FIELD_M_BAD_DATE);
  if (read_limit_take(c, "person", person_id, e) != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  PersonRow row;
  if (store_person_get(c->db, person_id, c->actor->org_path, &row, e) != ERR_OK) return app_fail(c, e);
  SupComputed comp;
  char rule[SCHED_CODE_MAX] = "";
  int rc = app_read_done(c, sv_compute_person(c, person_id, asof, &comp, rule, e), e);
  if (rc != ERR_OK) {
    store_person_row_free(&row);
    return rc;
  }
  snprintf(out->status, sizeof out->status, "%s", comp.d.status);
  snprintf(out->clock_start, sizeof out->clock_start, "%s", comp.d.clock_start);
  snprintf(out->next_talk_due, sizeof out->next_talk_due, "%s", comp.d.next_talk_due);
  snprintf(out->next_test_due, sizeof out->next_test_due, "%s", comp.d.next_test_due);
  snprintf(out->rule, sizeof out->rule, "%s", rule);
  out->result = comp.sched;
  audit_read(c, "person", person_id, row.org_path);
  store_person_row_free(&row);
  return ERR_OK;
}

/* ---- history lists ---------------------------------------------------- */

/* A history read of one person: its unit's path and the page asked for. */
typedef struct SupList {
  char path[ORG_PATH_MAX];
  int64_t limit, offset;
  int64_t *corrected; /* ids a row corrects (visits, tests), malloc'd */
  int ncorrected;
} SupList;

/* Begins a read of the history of a person in scope: clears the outputs,
 * checks the right, opens the read, fills l (the page: per_page 1..200,
 * < 1: 50). ERR_OK while the read is open. */
static int sup_list_begin(Ctx *c, int64_t person_id, int page, int per_page, SupList *l, void *items, int *n,
                          int64_t *total, Err *e) {
  memset(l, 0, sizeof *l);
  *(void **)items = NULL;
  *n = 0;
  *total = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (read_limit_take(c, "person", person_id, e) != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  PersonRow row;
  if (store_person_get(c->db, person_id, c->actor->org_path, &row, e) != ERR_OK) return app_fail(c, e);
  snprintf(l->path, sizeof l->path, "%s", row.org_path);
  store_person_row_free(&row);
  int pp = per_page < 1 ? 50 : per_page > 200 ? 200 : per_page;
  l->limit = pp;
  l->offset = (int64_t)((page < 1 ? 1 : page) - 1) * pp;
  return ERR_OK;
}

/* true when a row of l corrects row id. */
static bool sup_list_voided(const SupList *l, int64_t id) {
  for (int i = 0; i < l->ncorrected; i++)
    if (l->corrected[i] == id) return true;
  return false;
}

/* Ends the read with rc, the store's answer (the rows it read into *items
 * and *n): on success audits the read; otherwise frees the rows and clears
 * the outputs. */
static int sup_list_end(Ctx *c, int64_t person_id, SupList *l, int rc, void *items, int *n, int64_t *total, Err *e) {
  free(l->corrected);
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) {
    free(*(void **)items);
    *(void **)items = NULL;
    *n = 0;
    *total = 0;
    return rc;
  }
  audit_read(c, "person", person_id, l->path);
  return ERR_OK;
}

int app_visit_list(Ctx *c, int64_t person_id, int page, int per_page, VisitRecord **items, int *n,
                   int64_t *total, Err *e) {
  SupList l;
  if (sup_list_begin(c, person_id, page, per_page, &l, items, n, total, e) != ERR_OK) return e->code;
  int rc = store_sup_visits(c->db, person_id, l.limit, l.offset, items, n, total, &l.corrected, &l.ncorrected, e);
  bool hide = c->actor->role == ROLE_POLICE; /* counselling notes are the worker's and the office's */
  for (VisitRecord *r = *items; r < *items + *n; r++) {
    r->voided = sup_list_voided(&l, r->id);
    r->notes_hidden = hide;
    if (hide) r->notes[0] = 0;
  }
  return sup_list_end(c, person_id, &l, rc, items, n, total, e);
}

int app_test_list(Ctx *c, int64_t person_id, int page, int per_page, TestRecord **items, int *n, int64_t *total,
                  Err *e) {
  SupList l;
  if (sup_list_begin(c, person_id, page, per_page, &l, items, n, total, e) != ERR_OK) return e->code;
  int rc = store_sup_tests(c->db, person_id, l.limit, l.offset, items, n, total, &l.corrected, &l.ncorrected, e);
  for (TestRecord *r = *items; r < *items + *n; r++) r->voided = sup_list_voided(&l, r->id);
  return sup_list_end(c, person_id, &l, rc, items, n, total, e);
}

int app_event_list(Ctx *c, int64_t person_id, int page, int per_page, EventRecord **items, int *n,
                   int64_t *total, Err *e) {
  SupList l;
  if (sup_list_begin(c, person_id, page, per_page, &l, items, n, total, e) != ERR_OK) return e->code;
  int rc = store_sup_events(c->db, person_id, l.limit, l.offset, items, n, total, e);
  for (EventRecord *r = *items; r < *items + *n; r++) {
    Day a, b;
    r->needs_report = strcmp(r->kind, "leave") == 0 && date_parse(r->date, &a) && date_parse(r->until, &b) &&
                      leave_needs_report(a, b);
  }
  return sup_list_end(c, person_id, &l, rc, items, n, total, e);
}

/* ---- the work list ---------------------------------------------------- */

/* true when the actor may decide a pending approval of this kind whose
 * person lies at person_path (in the scope already) and whose receiving
 * unit is at to_path (app/approval.h says who decides what). */
static bool sv_can_decide(const Actor *a, const char *kind, const char *person_path, const char *to_path) {
  bool office = a->role == ROLE_OFFICE || a->role == ROLE_ADMIN;
  if (strcmp(kind, "transfer") == 0) return office && to_path && *to_path && actor_in_scope(a, to_path);
  if (strcmp(kind, "leave") == 0) return office && actor_in_scope(a, person_path);
  return a->role == ROLE_ADMIN && actor_in_scope(a, person_path);
}

/* One item of the list while it is built: a compact key (the work row it
 * comes from, the reason, its date and the person) so that sorting moves
 * and compares integers, not WorkItems; only the requested page is
 * materialised. */
typedef struct SvKey {
  int row;           /* index into the rows (or, with incoming set, the incoming rows) */
  bool incoming;
  bool can_decide;   /* an approval the actor may decide */
  WorkReason reason;
  Day due;           /* SV_NO_DATE when the reason has no date */
  int64_t person_id;
  int64_t approval_id;
} SvKey;

typedef struct SvItems {
  SvKey *v;
  int n, cap;
} SvItems;

#define SV_NO_DATE INT32_MAX

static void sv_key(SvItems *it, SvKey k) {
  if (it->n == it->cap) {
    it->cap = it->cap ? it->cap * 2 : 256;
    it->v = realloc(it->v, sizeof *it->v * (size_t)it->cap);
    if (!it->v) abort();
  }
  it->v[it->n++] = k;
}

/* What the comparison needs: the rows and the sort mode. */
typedef struct SvSort {
  const SupWorkRow *rows, *inc;
  const char *mode;
} SvSort;

static const SupWorkRow *sv_row(const SvSort *s, const SvKey *k) { return k->incoming ? &s->inc[k->row] : &s->rows[k->row]; }

#define SV_CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

/* The ordering of items: by due date (undated last), name, or reason (in
 * WorkReason's order of urgency) then due date; ties by person, reason,
 * approval. Only "name" reads the rows. */
static int sv_cmp(const void *pa, const void *pb, void *arg) {
  const SvSort *s = arg;
  const SvKey *a = pa, *b = pb;
  int r = 0;
  if (s->mode[0] == 'n') {
    r = strcmp(sv_row(s, a)->name, sv_row(s, b)->name);
  } else if (s->mode[0] == 'r') {
    r = SV_CMP(a->reason, b->reason);
    if (!r) r = SV_CMP(a->due, b->due);
  } else {
    r = SV_CMP(a->due, b->due);
  }
  if (!r) r = SV_CMP(a->person_id, b->person_id);
  if (!r) r = SV_CMP(a->reason, b->reason);
  if (!r) r = SV_CMP(a->approval_id, b->approval_id);
  return r;
}

/* Restores the max-heap order of v[0..n) (by sv_cmp) below i. */
static void sv_sift_down(SvKey *v, int n, int i, SvSort *ss) {
  for (;;) {
    int big = i, l = 2 * i + 1, r = l + 1;
    if (l < n && sv_cmp(&v[l], &v[big], ss) > 0) big = l;
    if (r < n && sv_cmp(&v[r], &v[big], ss) > 0) big = r;
    if (big == i) return;
    SvKey t = v[i];
    v[i] = v[big];
    v[big] = t;
    i = big;
  }
}

/* Puts the k first items of v[0..n) in sv_cmp's order into v[0..k),
 * sorted (the rest in no order): a page near the top of a long list costs
 * one comparison per item against a heap of k, not a sort of all n. */
static void sv_sort_first(SvKey *v, int n, int k, SvSort *ss) {
  if (k > n) k = n;
  if (k <= 0) return;
  if ((int64_t)k * 8 >= n) {
    qsort_r(v, (size_t)n, sizeof *v, sv_cmp, ss);
    return;
  }
  for (int i = k / 2 - 1; i >= 0; i--) sv_sift_down(v, k, i, ss);
  for (int i = k; i < n; i++)
    if (sv_cmp(&v[i], &v[0], ss) < 0) {
      SvKey t = v[0];
      v[0] = v[i];
      v[i] = t;
      sv_sift_down(v, k, 0, ss);
    }
  qsort_r(v, (size_t)k, sizeof *v, sv_cmp, ss);
}

/* A work list while it is built: the scanned rows and the keys of the
 * items that pass the query's filters, counted per reason. */
typedef struct SvWork {
  SupWorkRow *rows, *inc;
  int nrows, ninc;
  SvItems it;
  int64_t counts[WL__COUNT]; /* per reason, before the query's reason filter */
  Day today;
  const char *sort;
} SvWork;

static void sv_work_free(SvWork *w) {
  free(w->it.v);
  store_sup_work_free(w->rows, w->nrows);
  store_sup_work_free(w->inc, w->ninc);
  memset(w, 0, sizeof *w);
}

/* Counts an item and adds it unless the query's reason filter leaves it
 * out. */
static void sv_work_key(SvWork *w, const WorkQuery *q, int row, bool incoming, WorkReason reason, Day due,
                        int64_t approval_id, bool can_decide) {
  w->counts[reason]++;
  if (q->reasons && !(q->reasons & WL_BIT(reason))) return;
  const SupWorkRow *r = incoming ? &w->inc[row] : &w->rows[row];
  sv_key(&w->it, (SvKey){row, incoming, can_decide, reason, due, r->person_id, approval_id});
}

/* Validates q, scans the scope once (or reads the one person of
 * q->person_id) and collects the keys of the items of q, unsorted, with
 * their counts per reason. On error *w is empty. */
static int sv_work_build(Ctx *c, const WorkQuery *q, SvWork *w, Err *e) {
  memset(w, 0, sizeof *w);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Day today = c->today;
  if (q->date && *q->date && !date_parse(q->date, &today)) err_field(e, "date", FIELD_M_BAD_DATE);
  int horizon = q->horizon_days;
  if (horizon == 0) horizon = 7; /* 0 reads as the default (a zero-initialised query) */
  if (horizon < 0) horizon = 0;  /* negative: only what is due today */
  if (horizon > 366) err_field(e, "horizon", M_HORIZON);
  const char *sort = q->sort && *q->sort ? q->sort : "due";
  if (strcmp(sort, "due") != 0 && strcmp(sort, "name") != 0 && strcmp(sort, "reason") != 0)
    err_field(e, "sort", M_SORT);
  if (e->code != ERR_OK) return e->code;
  w->today = today;
  w->sort = sort;

  const char *scope = c->actor->org_path;
  OrgUnit org;
  if (q->org_code && *q->org_code) {
    int rc = org_in_scope(c, q->org_code, &org, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, M_ORG_SCOPE);
    if (rc != ERR_OK) return rc;
    scope = org.path;
  }
  char today_s[DATE_ISO_LEN], horizon_s[DATE_ISO_LEN];
  sv_fmt(today, today_s);
  sv_fmt(today + horizon, horizon_s);

  bool capped = false;
  bool decider = c->actor->role == ROLE_OFFICE || c->actor->role == ROLE_ADMIN;
  int64_t pid = q->person_id > 0 ? q->person_id : 0;
  int64_t wid = q->worker_id > 0 ? q->worker_id : 0;
  bool incoming = decider && wid == 0; /* a transfer coming in has no responsible worker here yet */
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  /* The scan is capped at WORKLIST_CAP persons' rows: a community (~300
   * persons) or a street (~15 communities) never comes near it; a
   * county-wide list beyond it is cut (items of the first WORKLIST_CAP
   * matching rows in path order; total counts those). */
  int rc = store_sup_worklist(c->db, scope, pid, wid, horizon_s, WORKLIST_CAP, &w->rows, &w->nrows, &capped, e);
  if (rc == ERR_OK && incoming) rc = store_sup_worklist_incoming(c->db, scope, pid, &w->inc, &w->ninc, e);
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) {
    sv_work_free(w);
    return rc;
  }

  const SupWorkRow *rows = w->rows, *inc = w->inc;
  int nrows = w->nrows, ninc = w->ninc;
  Day limit = today + horizon;
  for (int i = 0; i < nrows;) {
    /* The rows of one person are consecutive (one per pending approval). */
    int j = i;
    bool release_pending = false;
    while (j < nrows && rows[j].person_id == rows[i].person_id) {
      if (strcmp(rows[j].approval_kind, "release_3y") == 0) release_pending = true;
      j++;
    }
    const SupWorkRow *r = &rows[i];
    Day d;
    if ((d = r->next_test_due) != SUP_NO_DAY) {
      if (d < today) sv_work_key(w, q, i, false, WL_TEST_OVERDUE, d, 0, false);
      else if (d <= limit) sv_work_key(w, q, i, false, WL_TEST_DUE, d, 0, false);
    }
    if ((d = r->next_talk_due) != SUP_NO_DAY) {
      if (d < today) sv_work_key(w, q, i, false, WL_TALK_OVERDUE, d, 0, false);
      else if (d <= limit) sv_work_key(w, q, i, false, WL_TALK_DUE, d, 0, false);
    }
    if ((d = r->missed_two_date) != SUP_NO_DAY && d < today) sv_work_key(w, q, i, false, WL_MISSED_TWO_TESTS, d, 0, false);
    if ((d = r->report_deadline) != SUP_NO_DAY) sv_work_key(w, q, i, false, WL_REPORT_DEADLINE, d, 0, false);
    if ((d = r->pickup_due) != SUP_NO_DAY) sv_work_key(w, q, i, false, WL_RELEASE_PICKUP, d, 0, false);
    if ((d = r->release_due) != SUP_NO_DAY) { /* a release seen coming: from release_from on */
      if (d < today) sv_work_key(w, q, i, false, WL_RELEASE_UNCONFIRMED, d, 0, false);
      else if (r->release_from != SUP_NO_DAY && r->release_from <= today)
        sv_work_key(w, q, i, false, WL_RELEASE_UPCOMING, d, 0, false);
    }
    if (r->lost_contact) sv_work_key(w, q, i, false, WL_LOST_CONTACT, SV_NO_DATE, 0, false);
    if (r->serious_breach)
      sv_work_key(w, q, i, false, r->serious_breach == SUP_BREACH_REPORTED ? WL_POLICE_DECISION : WL_SERIOUS_BREACH,
                  SV_NO_DATE, 0, false);
    if ((d = r->leave_until) != SUP_NO_DAY && d < today) sv_work_key(w, q, i, false, WL_LEAVE_OVERDUE, d, 0, false);
    if (!r->status[0]) sv_work_key(w, q, i, false, WL_FILE_INCOMPLETE, SV_NO_DATE, 0, false);
    if ((d = r->plan_review_due) != SUP_NO_DAY && d <= limit) sv_work_key(w, q, i, false, WL_PLAN_REVIEW, d, 0, false);
    if ((d = r->service_followup_due) != SUP_NO_DAY && d <= limit)
      sv_work_key(w, q, i, false, WL_SERVICE_FOLLOWUP, d, 0, false);
    if ((d = r->release_eligible_date) != SUP_NO_DAY && d <= today && strcmp(r->status, "abstinent_3y") != 0 &&
        !release_pending)
      sv_work_key(w, q, i, false, WL_ELIGIBLE_FOR_RELEASE, d, 0, false);
    for (int k = i; k < j; k++) {
      const SupWorkRow *a = &rows[k];
      if (!a->approval_id) continue;
      bool mine = a->approval_proposed_by && a->approval_proposed_by == c->actor->user_id;
      /* scope lies within the actor's, so it stands for the person's path */
      bool decide = !mine && sv_can_decide(c->actor, a->approval_kind, scope, a->approval_to_path);
      if (mine || decide) sv_work_key(w, q, k, false, WL_APPROVAL_PENDING, SV_NO_DATE, a->approval_id, decide);
    }
    i = j;
  }
  for (int k = 0; k < ninc; k++) /* transfers coming into the scope */
    if (inc[k].approval_proposed_by != c->actor->user_id &&
        sv_can_decide(c->actor, inc[k].approval_kind, "", inc[k].approval_to_path))
      sv_work_key(w, q, k, true, WL_APPROVAL_PENDING, SV_NO_DATE, inc[k].approval_id, true);
  return ERR_OK;
}

/* Fills the why of the n items (since when and why): from the stored
 * derived fields of each person (one row), and for the reasons that need
 * it from its history (computed as of today once a person), from the
 * approval of an approval item, from the person row of a file without
 * status. What cannot be read leaves an item's why empty (the list is
 * answered all the same). */
static void sv_explain(Ctx *c, WorkItem *items, int n) {
  Err e;
  err_clear(&e);
  if (db_begin_read(c->db, &e) != ERR_OK) return;
  typedef struct { int64_t pid; bool derived, computed; SupDerived d; SupComputed comp; } SvSeen;
  SvSeen *seen = calloc((size_t)n, sizeof *seen);
  if (!seen) abort();
  int nseen = 0;
  for (int i = 0; i < n; i++) {
    WorkItem *w = &items[i];
    memset(&w->why, 0, sizeof w->why);
    w->why.why_zh = "";
    err_clear(&e);
    if (w->reason == WL_APPROVAL_PENDING) {
      ApprovalRow a;
      if (store_approval_get(c->db, w->approval_id, &a, &e) != ERR_OK) continue;
      snprintf(w->why.since, sizeof w->why.since, "%.10s", a.proposed_at);
      w->why.why_zh = approval_kind_name_zh(a.kind);
      snprintf(w->why.detail, sizeof w->why.detail, "%.63s%s%.90s", a.proposed_by, a.to_org_name[0] ? " → " : "",
               a.to_org_name);
      continue;
    }
    if (w->reason == WL_PLAN_REVIEW || w->reason == WL_SERVICE_FOLLOWUP) { /* since its date */
      snprintf(w->why.since, sizeof w->why.since, "%s", w->due_date);
      w->why.why_zh = w->reason == WL_PLAN_REVIEW ? "按帮扶计划的复查日期，须复查并修订计划"
                                                  : "按服务转介约定的回访日期，须回访并登记进展";
      continue;
    }
    if (w->reason == WL_FILE_INCOMPLETE) {
      PersonRow row;
      if (store_person_get(c->db, w->person_id, "/", &row, &e) != ERR_OK) continue;
      snprintf(w->why.since, sizeof w->why.since, "%.10s", row.created_at);
      w->why.why_zh = "登记档案时未填写管控状态，不在任何检测谈话计划中";
      store_person_row_free(&row);
      continue;
    }
    SvSeen *x = NULL; /* what is read of the person, once */
    for (int k = 0; k < nseen && !x; k++)
      if (seen[k].pid == w->person_id) x = &seen[k];
    if (!x) {
      x = &seen[nseen++];
      x->pid = w->person_id;
    }
    if (supervision_why_needs_history(w->reason)) {
      if (!x->computed && sv_compute_person(c, w->person_id, c->today, &x->comp, NULL, &e) != ERR_OK) continue;
      x->computed = true;
      supervision_why(&x->comp.d, &x->comp.why, w->reason, &w->why);
    } else {
      if (!x->derived && store_sup_derived_get(c->db, w->person_id, &x->d, &e) != ERR_OK) continue;
      x->derived = true;
      supervision_why(&x->d, NULL, w->reason, &w->why);
    }
  }
  free(seen);
  app_read_done(c, ERR_OK, &e);
}

int app_worklist(Ctx *c, const WorkQuery *q, WorkItem **items, int *n, int64_t *total,
                 int64_t by_reason[WL__COUNT], Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  if (by_reason) memset(by_reason, 0, sizeof(int64_t) * WL__COUNT);
  SvWork wk;
  if (sv_work_build(c, q, &wk, e) != ERR_OK) return e->code;
  if (by_reason) memcpy(by_reason, wk.counts, sizeof wk.counts);
  SvItems it = wk.it;
  Day today = wk.today;
  const char *sort = wk.sort;
  const SupWorkRow *rows = wk.rows, *inc = wk.inc;
  SvSort ss = {rows, inc, sort};
  int per_page = q->per_page < 1 ? 50 : q->per_page > WORKLIST_PAGE_MAX ? WORKLIST_PAGE_MAX : q->per_page;
  int page = q->page < 1 ? 1 : q->page;
  int64_t from = (int64_t)(page - 1) * per_page;
  *total = it.n;
  int count = from >= it.n ? 0 : (int)((it.n - from) < per_page ? it.n - from : per_page);
  if (count > 0) sv_sort_first(it.v, it.n, (int)from + count, &ss);
  if (count > 0) {
    WorkItem *out = calloc((size_t)count, sizeof *out);
    if (!out) abort();
    OrgUnit org_cache[8];
    int norg = 0;
    for (int i = 0; i < count; i++) {
      const SvKey *k = &it.v[from + i];
      const SupWorkRow *r = sv_row(&ss, k);
      WorkItem *w = &out[i];
      w->person_id = r->person_id;
      snprintf(w->name, sizeof w->name, "%s", r->name);
      /* The unit's code and name, for the page's items only (a few units). */
      const OrgUnit *o = NULL;
      for (int j = 0; j < norg && !o; j++)
        if (org_cache[j].id == r->org_id) o = &org_cache[j];
      if (!o) {
        Err oe;
        err_clear(&oe);
        OrgUnit *slot = &org_cache[norg < 8 ? norg++ : 7];
        if (store_org_by_id(c->db, r->org_id, slot, &oe) == ERR_OK) o = slot;
        else memset(slot, 0, sizeof *slot);
      }
      if (o) {
        snprintf(w->org_code, sizeof w->org_code, "%s", o->code);
        snprintf(w->org_name, sizeof w->org_name, "%s", o->name);
      }
      w->reason = k->reason;
      w->approval_id = k->approval_id;
      w->can_decide = k->can_decide;
      if (k->due != SV_NO_DATE) {
        date_format(k->due, w->due_date);
        if (k->due < today && k->reason != WL_ELIGIBLE_FOR_RELEASE) w->days_overdue = (int)(today - k->due);
      }
    }
    *items = out;
  }
  *n = count;
  sv_work_free(&wk);
  if (q->explain && count > 0) sv_explain(c, *items, count);
  return ERR_OK;
}

/* ---- derived fields a migration marked stale -------------------------- */

#define SV_STALE_BATCH 500

int sup_refresh_stale(Db *db, int64_t *count, Err *e) {
  if (count) *count = 0;
  Actor sys;
  actor_cli(&sys);
  Ctx c;
  ctx_init(&c, db, &sys);
  for (;;) {
    if (db_begin(db, e) != ERR_OK) return e->code;
    int64_t *ids = NULL;
    int n = 0;
    if (store_sup_stale_ids(db, SV_STALE_BATCH, &ids, &n, e) != ERR_OK) {
      free(ids);
      return app_fail(&c, e);
    }
    for (int i = 0; i < n; i++)
      if (sup_refresh(&c, ids[i], e) != ERR_OK || store_sup_stale_done(db, ids[i], e) != ERR_OK) {
        free(ids);
        return app_fail(&c, e);
      }
    free(ids);
    if (n == 0) return app_read_done(&c, ERR_OK, e); /* nothing (left) to do */
    Buf detail = BUF_INIT;
    audit_detail_int(&detail, "persons", n);
    if (app_commit(&c, &(AppAudit){"derived_refresh", "person", 0, "/", &detail}, e) != ERR_OK) return e->code;
    if (count) *count += n;
  }
}
