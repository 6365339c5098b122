/* app/inspection.c: owns the venue-inspection use cases (see
 * app/inspection.h): the field tables, the rules across fields, record,
 * read, follow-up done, list. */
#include "app/inspection.h"
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "app/unit_task.h"
#include "core/ledger.h"
#include "store/place.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_VENUE "请选择辖区内在用的娱乐场所"
#define M_FINDINGS "发现问题时请填写检查发现的问题"
#define M_DUE_BEFORE "整改期限不能早于检查日期"
#define M_DUE_FAR "整改期限不能晚于检查日期一年以上"
#define M_NO_FOLLOWUP "该检查未发现问题，无需整改"
#define M_DONE_BEFORE "整改完成日期不能早于检查日期"

static const FieldSpec inspection_fields[] = {
  {FIELD_AT(InspectionInput, venue), .label_zh = "检查场所", .kind = FK_INT, .required = true,
   FIELD_RANGE(1, 999999999999)},
  {FIELD_AT(InspectionInput, date), .label_zh = "检查日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(InspectionInput, inspectors), .label_zh = "检查人员", .kind = FK_TEXT, .required = true,
   FIELD_CHARS(INSPECTION_INSPECTORS_CHARS)},
  {FIELD_AT(InspectionInput, result), .label_zh = "检查结果", .kind = FK_ENUM, .vocab = inspection_result_vocab,
   .required = true, .msg = "请选择检查结果"},
  {FIELD_AT(InspectionInput, findings), .label_zh = "发现的问题", .kind = FK_LONG, FIELD_CHARS(INSPECTION_TEXT_CHARS)},
  {FIELD_AT(InspectionInput, followup), .label_zh = "整改要求", .kind = FK_LONG, FIELD_CHARS(INSPECTION_TEXT_CHARS)},
  {FIELD_AT(InspectionInput, followup_due), .label_zh = "整改期限", .kind = FK_DATE},
};
const RecordSpec inspection_record = RECORD_SPEC("inspection", inspection_fields);

static const FieldSpec inspection_done_fields[] = {
  {FIELD_AT(InspectionDoneInput, date), .label_zh = "整改完成日期", .kind = FK_DATE, .required = true,
   .flags = FF_NOT_FUTURE},
  {FIELD_AT(InspectionDoneInput, notes), .label_zh = "整改情况", .kind = FK_LONG, FIELD_CHARS(INSPECTION_TEXT_CHARS)},
};
const RecordSpec inspection_done_record = RECORD_SPEC("inspection_done", inspection_done_fields);

/* May the actor record inspections: writers and the police liaison. */
static bool in_may_write(const Ctx *c) { return record_may_write(c->actor, "inspection"); }

int app_inspection_add(Ctx *c, const InspectionInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  if (!in_may_write(c)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  field_check_record(&inspection_record, in, c->today, e);
  PlaceRow p;
  memset(&p, 0, sizeof p);
  if (in->venue > 0 && !err_field_msg(e, "venue")) {
    Err le;
    err_clear(&le);
    int rc = store_place_get(c->db, in->venue, &p, &le);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) {
      err_set(e, rc, le.msg);
      return app_fail(c, e);
    }
    if (rc != ERR_OK || !p.active || strcmp(p.kind, "venue") != 0 || !actor_in_scope(c->actor, p.org_path))
      err_field(e, "venue", M_VENUE);
  }
  bool problem = in->result && strcmp(in->result, "problem_found") == 0;
  if (problem && (!in->findings || !*in->findings) && !err_field_msg(e, "findings")) err_field(e, "findings", M_FINDINGS);
  Day day, due;
  if (in->followup_due && *in->followup_due && !err_field_msg(e, "followup_due") && !err_field_msg(e, "date") &&
      date_parse(in->date, &day) && date_parse(in->followup_due, &due)) {
    if (due < day) err_field(e, "followup_due", M_DUE_BEFORE);
    else if (due > date_add_years(day, 1)) err_field(e, "followup_due", M_DUE_FAR);
  }
  if (e->code != ERR_OK) {
    store_place_free(&p);
    return app_fail(c, e);
  }
  InspectionIn w = {in->venue, in->date, in->inspectors, in->result, in->findings, in->followup, in->followup_due};
  int64_t xid;
  int rc = store_inspection_add(c->db, &w, c->actor->user_id, c->now_iso, &xid, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "venue", p.name);
  audit_detail_kv(&d, "date", in->date);
  audit_detail_kv(&d, "result", in->result);
  char path[ORG_PATH_MAX];
  str_copy(path, sizeof path, p.org_path);
  store_place_free(&p);
  if (rc != ERR_OK) {
    buf_reset(&d);
    return app_fail(c, e);
  }
  rc = app_commit(c, &(AppAudit){"create", "inspection", xid, path, &d}, e);
  if (rc == ERR_OK && id) *id = xid;
  return rc;
}

/* Loads inspection id in the actor's scope (inside the caller's transaction). */
static void in_drop(void *x) { store_inspection_free(x); }
static int in_load(Ctx *c, int64_t id, InspectionRow *x, Err *e) {
  return record_in_scope(c, store_inspection_get(c->db, id, x, e), x->org_path, x, sizeof *x, in_drop, e);
}

int app_inspection_get(Ctx *c, int64_t id, InspectionRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  return app_read_done(c, in_load(c, id, out, e), e);
}

/* The follow-up state of x as of today. */
static FollowupState in_state(const InspectionRow *x, Day today) {
  Day due = LEDGER_NO_DAY, done = LEDGER_NO_DAY;
  if (*x->followup_due && !date_parse(x->followup_due, &due)) due = LEDGER_NO_DAY;
  if (*x->followup_done && !date_parse(x->followup_done, &done)) done = LEDGER_NO_DAY;
  return inspection_followup_state(strcmp(x->result, "problem_found") == 0, due, done, today);
}

const char *app_inspection_followup(const InspectionRow *x, Day today) {
  return followup_state_code(in_state(x, today));
}

int app_inspection_done(Ctx *c, int64_t id, const InspectionDoneInput *in, Err *e) {
  if (!in_may_write(c)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  InspectionRow x;
  if (in_load(c, id, &x, e) != ERR_OK) return app_fail(c, e);
  field_check_record(&inspection_done_record, in, c->today, e);
  Day day;
  FollowupState st = in_state(&x, c->today);
  if (st == FOLLOWUP_NONE) err_set(e, ERR_CONFLICT, M_NO_FOLLOWUP);
  else if (st == FOLLOWUP_DONE) err_set(e, ERR_CONFLICT, "整改已登记完成");
  else if (!err_field_msg(e, "date") && date_parse(in->date, &day) && strcmp(in->date, x.date) < 0)
    err_field(e, "date", M_DONE_BEFORE);
  char path[ORG_PATH_MAX];
  str_copy(path, sizeof path, x.org_path);
  store_inspection_free(&x);
  if (e->code != ERR_OK) return app_fail(c, e);
  if (store_inspection_done(c->db, id, in->date, in->notes, c->actor->user_id, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "date", in->date);
  return app_commit(c, &(AppAudit){"followup_done", "inspection", id, path, &d}, e);
}

int app_inspection_list(Ctx *c, const InspectionQuery *q, InspectionRow **out, int *n, InspectionTotals *tot, Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (q->result && *q->result && !unit_term_known(inspection_result_vocab, q->result))
    err_field(e, "result", "请选择检查结果");
  if (q->followup && *q->followup && !unit_term_known(followup_state_vocab, q->followup))
    err_field(e, "followup", "请选择有效的整改状态");
  UnitList l;
  if (unit_list_begin(c, q->org, q->from, q->to, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  char today[DATE_ISO_LEN];
  date_format(c->today, today);
  InspectionFilter f = {l.org.path, q->from, q->to, q->result, q->followup, today, q->venue, l.limit, l.offset, q->each};
  return app_read_done(c, store_inspection_list(c->db, &f, out, n, tot, e), e);
}
