/* app/approval.c: owns the approval use cases of app/approval.h (propose,
 * decide and its effects, lists), who may see and who may decide an
 * approval, the payload (JSON: risk_level, reason, to_org, date), and the
 * transfer request shared with app_event_add (sup_transfer_request of
 * app/steps.h). */
#include "app/approval.h"
#include "app/audit.h"
#include "app/supervision.h"
#include "app/steps.h"
#include "core/buf.h"
#include "core/deadline.h"
#include "core/status.h"
#include "store/approval.h"
#include "store/notice.h"
#include "store/org.h"
#include "store/person.h"
#include "store/supervision.h"
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NO_APPROVE "您无权审批"
#define M_NOT_FOUND "记录不存在"
#define M_KIND "请选择审批类型"
#define M_RISK "请选择风险等级（low、medium 或 high）"
#define M_REASON "请填写理由"
#define M_REJECT_REASON "不同意时请填写理由"
#define M_PENDING "该人员已有同类申请待审批"
#define M_DECIDED "该申请已处理"
#define M_NOT_ELIGIBLE "尚未戒断满三年，不能申请解除社区管控"
#define M_TO_ORG "请选择接收社区"
#define M_TO_ORG_BAD "接收单位不存在或不是社区一级"
#define M_TO_ORG_SAME "接收社区不能是当前所在社区"
#define M_CANNOT_RELEASE "当前状态不能解除社区管控"
#define M_STATE "审批状态只能是 pending、approved、rejected 或 all"
#define M_LEAVE_DATE "请填写离开日期"
#define M_LEAVE_SHORT "请假外出不满3日且未结束的由社工直接登记（事件：请假外出），无需审批"
#define M_LEAVE_ENDED "请假外出已结束，请登记为事件"
#define M_FUTURE "日期不能晚于今天"
#define M_OWN APPROVAL_MSG_OWN
#define M_NO_OTHER "没有可以审批此申请的其他人员（申请人不能审批本人的申请），请联系上级禁毒办添加审批人员"

/* ---- names ------------------------------------------------------------ */

/* The Chinese names of approval kinds and states, by code. */
static const char *const AP_NAMES[][2] = {
  {"release_3y", "戒断三年解除管控"}, {"transfer", "变更执行地"}, {"risk_override", "调整风险等级"},
  {"leave", "请假外出（3日以上）"},
  {"pending", "待审批"},             {"approved", "已同意"},     {"rejected", "不同意"},
};

/* The name of code in AP_NAMES; "" for NULL and unknown codes. */
static const char *ap_name_zh(const char *code) {
  for (size_t i = 0; code && i < sizeof AP_NAMES / sizeof AP_NAMES[0]; i++)
    if (strcmp(code, AP_NAMES[i][0]) == 0) return AP_NAMES[i][1];
  return "";
}

const char *approval_kind_name_zh(const char *kind) { return ap_name_zh(kind); }

const char *approval_state_name_zh(const char *state) { return ap_name_zh(state); }

/* ---- the input tables ------------------------------------------------- */

static const char *const AP_KINDS[] = {"release_3y", "transfer", "risk_override", "leave", NULL};
static const char *const AP_RISKS[] = {"low", "medium", "high", NULL};
static const char *const AP_DECISIONS[] = {"approve", "reject", NULL};

static const FieldSpec approval_fields[] = {
  {FIELD_AT(ApprovalInput, kind), .label_zh = "审批事项", .kind = FK_ENUM, .choices = AP_KINDS, .required = true,
   .msg = M_KIND},
  {FIELD_AT(ApprovalInput, to_org), .label_zh = "接收社区编码（变更执行地）", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(ApprovalInput, risk_level), .label_zh = "调整为", .kind = FK_ENUM, .choices = AP_RISKS, .msg = M_RISK},
  {FIELD_AT(ApprovalInput, reason), .label_zh = "理由", .kind = FK_LONG, FIELD_CHARS(APPROVAL_REASON_MAX)},
  {FIELD_AT(ApprovalInput, date), .label_zh = "申请日期（请假外出：离开日期）", .kind = FK_DATE},
  {FIELD_AT(ApprovalInput, until), .label_zh = "返回日期（请假外出的最后一天）", .kind = FK_DATE},
};
const RecordSpec approval_record = RECORD_SPEC("approval", approval_fields);

static const FieldSpec decision_fields[] = {
  {FIELD_AT(DecisionInput, decision), .label_zh = "决定", .kind = FK_ENUM, .choices = AP_DECISIONS, .required = true,
   .msg = "请选择批准或驳回"},
  {FIELD_AT(DecisionInput, reason), .label_zh = "审批意见（驳回时必填）", .kind = FK_LONG,
   FIELD_CHARS(APPROVAL_REASON_MAX)},
};
const RecordSpec decision_record = RECORD_SPEC("decision", decision_fields);

/* Adds required_msg on field "reason" when reason is empty (and has no
 * error of its own yet). */
static void ap_reason_required(const char *reason, const char *required_msg, Err *e) {
  if ((!reason || !*reason) && !err_field_msg(e, "reason")) err_field(e, "reason", required_msg);
}

/* true when the actor's role decides approvals at all. */
static bool ap_role_decides(const Actor *a) { return a->role == ROLE_ADMIN || a->role == ROLE_OFFICE; }

/* true when the actor can see approval r: the person lies in its scope;
 * a transfer's receiving side sees it when it decides it (an office or
 * admin above the receiving unit) or will work with the person (its
 * social workers), not every role of the receiving community. */
static bool ap_visible(const Actor *a, const ApprovalRow *r) {
  if (actor_in_scope(a, r->person_path)) return true;
  return strcmp(r->kind, "transfer") == 0 && r->to_org_path[0] && actor_in_scope(a, r->to_org_path) &&
         (ap_role_decides(a) || a->role == ROLE_WORKER);
}

/* true when the actor may decide approval r (pending or not): never the
 * one who proposed it (four eyes). */
static bool ap_may_decide(const Actor *a, const ApprovalRow *r) {
  if (r->proposed_by_id > 0 && r->proposed_by_id == a->user_id) return false;
  if (strcmp(r->kind, "transfer") == 0)
    return ap_role_decides(a) && r->to_org_path[0] && actor_in_scope(a, r->to_org_path);
  if (strcmp(r->kind, "leave") == 0) return ap_role_decides(a) && actor_in_scope(a, r->person_path);
  return a->role == ROLE_ADMIN && actor_in_scope(a, r->person_path);
}

/* The text fields an Approval copies from the ApprovalRow member of the
 * same name. */
#define AP_TEXT(f) {offsetof(Approval, f), offsetof(ApprovalRow, f), sizeof((Approval *)0)->f}
static const struct {
  size_t to, from, size;
} ap_texts[] = {
  AP_TEXT(person_name), AP_TEXT(org_code), AP_TEXT(org_name), AP_TEXT(kind), AP_TEXT(state),
  AP_TEXT(proposed_by), AP_TEXT(proposed_at), AP_TEXT(to_org_code), AP_TEXT(to_org_name),
  AP_TEXT(approver_role), AP_TEXT(decided_by), AP_TEXT(decided_at), AP_TEXT(decision_reason),
};

/* Fills out from a stored row. */
static void ap_from_row(const Actor *actor, const ApprovalRow *r, Approval *out) {
  memset(out, 0, sizeof *out);
  out->id = r->id;
  out->person_id = r->person_id;
  for (size_t i = 0; i < sizeof ap_texts / sizeof ap_texts[0]; i++)
    snprintf((char *)out + ap_texts[i].to, ap_texts[i].size, "%s", (const char *)r + ap_texts[i].from);
  json_t *p = json_loads(r->payload, 0, NULL);
  if (p) {
    const char *s;
    if ((s = json_string_value(json_object_get(p, "risk_level"))))
      snprintf(out->risk_level, sizeof out->risk_level, "%s", s);
    if ((s = json_string_value(json_object_get(p, "reason")))) snprintf(out->reason, sizeof out->reason, "%s", s);
    if ((s = json_string_value(json_object_get(p, "date")))) snprintf(out->date, sizeof out->date, "%s", s);
    if ((s = json_string_value(json_object_get(p, "until")))) snprintf(out->until, sizeof out->until, "%s", s);
    json_decref(p);
  }
  out->can_decide = strcmp(r->state, "pending") == 0 && ap_may_decide(actor, r);
  out->own = r->proposed_by_id > 0 && r->proposed_by_id == actor->user_id;
}

/* The payload text (malloc'd): risk_level first, so that the store's
 * scanner finds it without a JSON parser; a leave's until and event (0:
 * none) last. */
static char *ap_payload(const char *risk_level, const char *reason, const char *to_org, const char *date,
                        const char *until, int64_t event_id) {
  json_t *o = json_object();
  if (risk_level && *risk_level) json_object_set_new(o, "risk_level", json_string(risk_level));
  if (reason && *reason) json_object_set_new(o, "reason", json_string(reason));
  if (to_org && *to_org) json_object_set_new(o, "to_org", json_string(to_org));
  if (date && *date) json_object_set_new(o, "date", json_string(date));
  if (until && *until) json_object_set_new(o, "until", json_string(until));
  if (event_id > 0) json_object_set_new(o, "event", json_integer(event_id));
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!s) abort();
  return s;
}

/* ---- the transfer request --------------------------------------------- */

/* Four eyes: a proposal somebody else can decide. The deciders of an
 * approval about the unit at path (app/approval.h: an office (office_too)
 * or admin above the receiving unit of a transfer or above the person for
 * a leave; an admin above the person otherwise) must count an active
 * account other than the proposer; where a unit's only office user
 * proposes, the office above decides (its admins are among the deciders).
 * ERR_CONFLICT M_NO_OTHER when nobody is. */
static int ap_deciders_check(Ctx *c, const char *path, bool office_too, Err *e) {
  int64_t n = 0;
  if (store_approval_deciders(c->db, path, office_too, c->actor->user_id, &n, e) != ERR_OK) return e->code;
  if (n == 0) return err_set(e, ERR_CONFLICT, M_NO_OTHER);
  return ERR_OK;
}

int sup_transfer_request(Ctx *c, int64_t person_id, int64_t current_org_id, const char *to_org, const char *date,
                         const char *note, int64_t *event_id, int64_t *approval_id, Err *e) {
  if (event_id) *event_id = 0;
  if (approval_id) *approval_id = 0;
  OrgUnit to;
  if (!to_org || !*to_org) return err_field(e, "to_org", M_TO_ORG);
  Err oe;
  err_clear(&oe);
  int rc = store_org_by_code(c->db, to_org, &to, &oe);
  if (rc == ERR_NOT_FOUND || (rc == ERR_OK && strcmp(to.level, "community") != 0))
    return err_field(e, "to_org", M_TO_ORG_BAD);
  if (rc != ERR_OK) return err_set(e, oe.code, oe.msg);
  if (to.id == current_org_id) return err_field(e, "to_org", M_TO_ORG_SAME);
  bool pending;
  if (store_approval_pending(c->db, person_id, "transfer", &pending, e) != ERR_OK) return e->code;
  if (pending) return err_set(e, ERR_CONFLICT, M_PENDING);
  if (ap_deciders_check(c, to.path, true, e) != ERR_OK) return e->code;
  SupEventIn ev = {.kind = "transfer_request", .date = date, .note = note, .to_org_id = to.id,
                   .created_by = c->actor->user_id};
  if (store_sup_event_add(c->db, person_id, &ev, c->now_iso, event_id, e) != ERR_OK) return e->code;
  char *payload = ap_payload(NULL, note, to.code, date, NULL, 0);
  ApprovalIn ai = {.kind = "transfer", .payload = payload, .approver_role = "office", .to_org_id = to.id,
                      .proposed_by = c->actor->user_id};
  rc = store_approval_add(c->db, person_id, &ai, c->now_iso, approval_id, e);
  free(payload);
  return rc;
}

/* ---- the leave request ------------------------------------------------ */

int sup_leave_request(Ctx *c, int64_t person_id, const char *date, const char *until, const char *note,
                      int64_t *event_id, int64_t *approval_id, Err *e) {
  if (event_id) *event_id = 0;
  if (approval_id) *approval_id = 0;
  Day from = 0, to = 0;
  bool ok = date_parse(date, &from) && date_parse(until, &to);
  assert(ok && to >= from);
  (void)ok;
  bool ended = to < c->today;
  bool needs = !ended && leave_needs_report(from, to);
  if (needs) {
    bool pending;
    if (store_approval_pending(c->db, person_id, "leave", &pending, e) != ERR_OK) return e->code;
    if (pending) return err_set(e, ERR_CONFLICT, M_PENDING);
    PersonRow p;
    if (store_person_get(c->db, person_id, "/", &p, e) != ERR_OK) return e->code;
    int rc = ap_deciders_check(c, p.org_path, true, e);
    store_person_row_free(&p);
    if (rc != ERR_OK) return rc;
  }
  int64_t ev_id = 0;
  SupEventIn ev = {.kind = "leave", .date = date, .until = until, .note = note, .status = ended ? NULL : "open",
                   .created_by = c->actor->user_id};
  if (store_sup_event_add(c->db, person_id, &ev, c->now_iso, &ev_id, e) != ERR_OK) return e->code;
  if (event_id) *event_id = ev_id;
  if (!needs) return ERR_OK;
  char *payload = ap_payload(NULL, note, NULL, date, until, ev_id);
  ApprovalIn ai = {.kind = "leave", .payload = payload, .approver_role = "office", .proposed_by = c->actor->user_id};
  int rc = store_approval_add(c->db, person_id, &ai, c->now_iso, approval_id, e);
  free(payload);
  return rc;
}

/* The event a leave approval's payload names (0: none). */
static int64_t ap_payload_event(const char *payload) {
  json_t *p = json_loads(payload, 0, NULL);
  int64_t id = p ? (int64_t)json_integer_value(json_object_get(p, "event")) : 0;
  json_decref(p);
  return id;
}

/* Checks a leave proposal (dates: the table has checked their form) and
 * writes it through sup_leave_request: only a leave that needs approval (3
 * days or more, not ended) is proposed; *aid gets the approval. */
static int ap_leave_propose(Ctx *c, int64_t person_id, const ApprovalInput *in, int64_t *aid, Err *e) {
  Day from = 0, to = 0;
  if (!in->date || !*in->date) err_field(e, "date", M_LEAVE_DATE);
  if (!in->until || !*in->until) err_field(e, "until", "请填写返回日期");
  if (e->code != ERR_OK) return e->code;
  date_parse(in->date, &from);
  date_parse(in->until, &to);
  if (from > c->today + 365) err_field(e, "date", "请假外出日期不能晚于一年以后");
  if (to < from) err_field(e, "until", "返回日期不能早于离开日期");
  else if (to > from + 365) err_field(e, "until", "返回日期不能晚于离开日期一年以后");
  else if (to < c->today) err_field(e, "until", M_LEAVE_ENDED);
  else if (!leave_needs_report(from, to)) err_field(e, "until", M_LEAVE_SHORT);
  if (e->code != ERR_OK) return e->code;
  return sup_leave_request(c, person_id, in->date, in->until, in->reason, NULL, aid, e);
}

/* ---- propose ---------------------------------------------------------- */

int app_approval_propose(Ctx *c, int64_t person_id, const ApprovalInput *in, int64_t *id_out, Err *e) {
  PersonRow row;
  if (person_write_begin(c, person_id, &row, id_out, e) != ERR_OK) return e->code;
  char *payload = NULL;
  int64_t aid = 0;
  field_check_record(&approval_record, in, c->today, e);
  const char *kind = err_field_msg(e, "kind") ? "" : in->kind;
  bool is_risk = strcmp(kind, "risk_override") == 0;
  bool is_release = strcmp(kind, "release_3y") == 0;
  if (is_risk) {
    ap_reason_required(in->reason, M_REASON, e);
    if (!in->risk_level || !*in->risk_level) err_field(e, "risk_level", M_RISK);
  }
  if (e->code != ERR_OK) goto failed;

  bool is_leave = strcmp(kind, "leave") == 0;
  if (strcmp(kind, "transfer") == 0) {
    char today[DATE_ISO_LEN];
    date_format(c->today, today);
    const char *date = in->date && *in->date ? in->date : today;
    Day d;
    if (date_parse(date, &d) && d > c->today) {
      err_field(e, "date", M_FUTURE);
      goto failed;
    }
    if (sup_transfer_request(c, person_id, row.org_id, in->to_org, date, in->reason, NULL, &aid, e) != ERR_OK)
      goto failed;
  } else if (is_leave) {
    if (ap_leave_propose(c, person_id, in, &aid, e) != ERR_OK) goto failed;
  } else {
    bool pending;
    if (store_approval_pending(c->db, person_id, kind, &pending, e) != ERR_OK) goto failed;
    if (pending) {
      err_set(e, ERR_CONFLICT, M_PENDING);
      goto failed;
    }
    if (ap_deciders_check(c, row.org_path, false, e) != ERR_OK) goto failed;
    if (is_release) {
      /* Eligible as of today: the stored release date (refreshed on every
       * write) has come, and the person is not yet out of supervision. */
      if (sup_refresh(c, person_id, e) != ERR_OK) goto failed;
      SupDerived d;
      Day rel;
      if (store_sup_derived_get(c->db, person_id, &d, e) != ERR_OK) goto failed;
      if (!d.release_eligible_date[0] || !date_parse(d.release_eligible_date, &rel) || rel > c->today ||
          strcmp(d.status, "abstinent_3y") == 0) {
        err_field(e, "kind", M_NOT_ELIGIBLE);
        goto failed;
      }
    }
    payload = ap_payload(is_risk ? in->risk_level : NULL, in->reason, NULL, NULL, NULL, 0);
    ApprovalIn ai = {.kind = kind, .payload = payload, .approver_role = "admin",
                        .proposed_by = c->actor->user_id};
    if (store_approval_add(c->db, person_id, &ai, c->now_iso, &aid, e) != ERR_OK) goto failed;
  }
  if (sup_refresh(c, person_id, e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "kind", kind);
  audit_detail_int(&detail, "approval", aid);
  if (is_risk) audit_detail_kv(&detail, "risk_level", in->risk_level);
  if (!is_risk && !is_release && !is_leave) audit_detail_kv(&detail, "to_org", in->to_org);
  if (is_leave) {
    audit_detail_kv(&detail, "date", in->date);
    audit_detail_kv(&detail, "until", in->until);
  }
  free(payload);
  int rc = person_row_commit(c, &row, &(AppAudit){"propose", "person", person_id, row.org_path, &detail}, e);
  if (rc == ERR_OK && id_out) *id_out = aid;
  return rc;
failed:
  free(payload);
  return person_row_fail(c, &row, e);
}

/* ---- decide ----------------------------------------------------------- */

int app_approval_decide(Ctx *c, int64_t approval_id, const DecisionInput *in, Err *e) {
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_NO_APPROVE);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  ApprovalRow r;
  PersonRow row;
  memset(&row, 0, sizeof row);
  if (store_approval_get(c->db, approval_id, &r, e) != ERR_OK) goto failed;
  if (!ap_visible(c->actor, &r)) {
    err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
    goto failed;
  }
  if (!ap_may_decide(c->actor, &r)) {
    bool own = r.proposed_by_id > 0 && r.proposed_by_id == c->actor->user_id;
    err_set(e, ERR_FORBIDDEN, own && ap_role_decides(c->actor) ? M_OWN : M_NO_APPROVE);
    goto failed;
  }
  if (strcmp(r.state, "pending") != 0) {
    err_set(e, ERR_CONFLICT, M_DECIDED);
    goto failed;
  }
  field_check_record(&decision_record, in, c->today, e);
  bool approve = !err_field_msg(e, "decision") && strcmp(in->decision, "approve") == 0;
  if (!approve && !err_field_msg(e, "decision")) ap_reason_required(in->reason, M_REJECT_REASON, e);
  if (e->code != ERR_OK) goto failed;
  const char *reason = in->reason;
  /* The person, read past the scope: a receiving office decides on a
   * person it does not see yet (visibility was checked above). */
  if (store_person_get(c->db, r.person_id, "/", &row, e) != ERR_OK) goto failed;
  const char *audit_path = row.org_path;
  OrgUnit to;
  memset(&to, 0, sizeof to);
  if (approve && strcmp(r.kind, "release_3y") == 0) {
    Status cur = status_from_code(row.status);
    if (!status_transition_allowed(cur, ST_ABSTINENT_3Y)) {
      err_set(e, ERR_CONFLICT, M_CANNOT_RELEASE);
      goto failed;
    }
    char today[DATE_ISO_LEN];
    date_format(c->today, today);
    EpisodeIn ep = {.status = status_code(ST_ABSTINENT_3Y), .decision_date = today, .start_date = today,
                    .decision_no = "", .planned_end = NULL, .note = "戒断三年未复吸，经审批解除社区管控",
                    .corrects_id = 0};
    if (store_person_episode_add(c->db, r.person_id, &ep, c->actor->user_id, c->now_iso, NULL, e) != ERR_OK)
      goto failed;
  } else if (approve && strcmp(r.kind, "transfer") == 0) {
    /* The person moves; the clock runs on; a new agreement within 15 days. */
    if (store_org_by_id(c->db, r.to_org_id, &to, e) != ERR_OK ||
        store_sup_person_move(c->db, r.person_id, to.id, to.path, c->now_iso, e) != ERR_OK)
      goto failed;
    char today[DATE_ISO_LEN], due[DATE_ISO_LEN];
    date_format(c->today, today);
    date_format(deadline_new_agreement(c->today), due);
    SupEventIn task = {.kind = "agreement_due", .date = today, .until = due, .status = "open",
                       .note = "变更执行地：须在15日内报到并签订新的社区戒毒（康复）协议",
                       .to_org_id = to.id, .created_by = c->actor->user_id};
    if (store_sup_event_add(c->db, r.person_id, &task, c->now_iso, NULL, e) != ERR_OK) goto failed;
    audit_path = to.path;
    /* the social workers of both communities are told (the proposer by the decision's notice) */
    if (store_notice_add_unit(c->db, row.org_id, r.proposed_by_id, "moved_out", r.person_id, c->now_iso, e) != ERR_OK ||
        store_notice_add_unit(c->db, to.id, r.proposed_by_id, "moved_in", r.person_id, c->now_iso, e) != ERR_OK)
      goto failed;
  } else if (!approve && strcmp(r.kind, "leave") == 0) {
    /* not granted: the leave does not take place (unless closed meanwhile) */
    int64_t ev_id = ap_payload_event(r.payload);
    int64_t pid = 0;
    char kind[24], status[12];
    if (ev_id > 0 && store_sup_event_get(c->db, ev_id, &pid, kind, status, e) == ERR_OK && pid == r.person_id &&
        strcmp(status, "open") == 0 && store_sup_event_set_status(c->db, ev_id, "cancelled", e) != ERR_OK)
      goto failed;
    err_clear(e);
  }
  if (r.proposed_by_id > 0 && r.proposed_by_id != c->actor->user_id &&
      store_notice_add(c->db, r.proposed_by_id, "approval_decided", r.person_id, approval_id, c->now_iso, e) != ERR_OK)
    goto failed;
  bool done;
  if (store_approval_decide(c->db, approval_id, approve ? "approved" : "rejected", c->actor->user_id, reason,
                                c->now_iso, &done, e) != ERR_OK)
    goto failed;
  if (!done) {
    err_set(e, ERR_CONFLICT, M_DECIDED);
    goto failed;
  }
  if (sup_refresh(c, r.person_id, e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_int(&detail, "approval", approval_id);
  audit_detail_kv(&detail, "kind", r.kind);
  if (approve && strcmp(r.kind, "transfer") == 0) {
    audit_detail_kv(&detail, "from_org", row.org_code);
    audit_detail_kv(&detail, "to_org", to.code);
    if (row.worker_id) audit_detail_kv(&detail, "from_worker", row.worker); /* cleared by the move */
  }
  return person_row_commit(c, &row, &(AppAudit){approve ? "approve" : "reject", "person", r.person_id, audit_path, &detail},
                           e);
failed:
  return person_row_fail(c, &row, e);
}

/* ---- reading ---------------------------------------------------------- */

int app_approval_list(Ctx *c, const ApprovalQuery *q, Approval **items, int *n, int64_t *total, Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  const char *state = q->state && *q->state ? q->state : "pending";
  if (strcmp(state, "all") == 0) state = NULL;
  else if (strcmp(state, "pending") != 0 && strcmp(state, "approved") != 0 && strcmp(state, "rejected") != 0)
    return err_field(e, "state", M_STATE);
  const char *kind = q->kind && *q->kind ? q->kind : NULL;
  if (kind && !field_choice_ok(AP_KINDS, kind)) return err_field(e, "kind", M_KIND);
  int per_page = q->per_page < 1 ? 50 : q->per_page > 200 ? 200 : q->per_page;
  int page = q->page < 1 ? 1 : q->page;
  ApprovalRow *rows = NULL;
  int nrows = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, store_approval_list(c->db, c->actor->org_path, state, kind, &rows, &nrows, e), e);
  if (rc != ERR_OK) {
    free(rows);
    return rc;
  }
  int keep = 0;
  for (int i = 0; i < nrows; i++) {
    if (!ap_visible(c->actor, &rows[i])) continue; /* the receiving community's other roles */
    if (q->decidable_only && !(strcmp(rows[i].state, "pending") == 0 && ap_may_decide(c->actor, &rows[i])))
      continue;
    rows[keep++] = rows[i];
  }
  *total = keep;
  int64_t from = (int64_t)(page - 1) * per_page;
  int count = from >= keep ? 0 : (int)(keep - from < per_page ? keep - from : per_page);
  if (count > 0) {
    *items = calloc((size_t)count, sizeof **items);
    if (!*items) abort();
    for (int i = 0; i < count; i++) ap_from_row(c->actor, &rows[from + i], &(*items)[i]);
  }
  *n = count;
  free(rows);
  return ERR_OK;
}

int app_approval_for_person(Ctx *c, int64_t person_id, Approval **items, int *n, Err *e) {
  *items = NULL;
  *n = 0;
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  PersonRow row;
  if (store_person_get(c->db, person_id, c->actor->org_path, &row, e) != ERR_OK) return app_fail(c, e);
  store_person_row_free(&row);
  ApprovalRow *rows = NULL;
  int nrows = 0;
  int rc = app_read_done(c, store_approval_for_person(c->db, person_id, &rows, &nrows, e), e);
  if (rc != ERR_OK) {
    free(rows);
    return rc;
  }
  if (nrows > 0) {
    *items = calloc((size_t)nrows, sizeof **items);
    if (!*items) abort();
    for (int i = 0; i < nrows; i++) ap_from_row(c->actor, &rows[i], &(*items)[i]);
  }
  *n = nrows;
  free(rows);
  return ERR_OK;
}

int app_approval_get(Ctx *c, int64_t approval_id, Approval *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  ApprovalRow r;
  if (app_read_done(c, store_approval_get(c->db, approval_id, &r, e), e) != ERR_OK) return e->code;
  if (!ap_visible(c->actor, &r)) return err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  ap_from_row(c->actor, &r, out);
  return ERR_OK;
}
