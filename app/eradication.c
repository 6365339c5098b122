/* app/eradication.c: owns the eradication-patrol use cases (see
 * app/eradication.h): the field table, the rules across fields, the
 * record, the read and the list. */
#include "app/eradication.h"
#include <stdio.h>
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "app/unit_task.h"
#include "core/unit_vocab.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_DESTROYED "铲除数不能大于发现数"
#define M_CASE_NO_FIND "未发现毒品原植物时不填写案件编号"

#define ER_COUNT(member, key, json_name, label)                                                             \
  {FIELD_AT_KEY(EradicationInput, member, key), .json = json_name, .label_zh = label, .kind = FK_INT,       \
   FIELD_RANGE(0, ERADICATION_PLANTS_MAX)}

static const FieldSpec eradication_fields[] = {
  {FIELD_AT(EradicationInput, org), .label_zh = "单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(EradicationInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(EradicationInput, area_mu), .label_zh = "踏查面积（亩）", .kind = FK_INT,
   FIELD_RANGE(0, ERADICATION_AREA_MAX)},
  {FIELD_AT(EradicationInput, methods), .label_zh = "踏查方式", .kind = FK_ENUM_SET,
   .vocab = eradication_method_vocab, .required = true, .msg = "请选择踏查方式"},
  ER_COUNT(found[0], "found_poppy", "found.poppy", "发现罂粟（株）"),
  ER_COUNT(found[1], "found_cannabis", "found.cannabis", "发现大麻（株）"),
  ER_COUNT(found[2], "found_other", "found.other", "发现其他毒品原植物（株）"),
  ER_COUNT(destroyed[0], "destroyed_poppy", "destroyed.poppy", "铲除罂粟（株）"),
  ER_COUNT(destroyed[1], "destroyed_cannabis", "destroyed.cannabis", "铲除大麻（株）"),
  ER_COUNT(destroyed[2], "destroyed_other", "destroyed.other", "铲除其他毒品原植物（株）"),
  {FIELD_AT(EradicationInput, location), .label_zh = "地点", .kind = FK_TEXT,
   FIELD_CHARS(ERADICATION_LOCATION_CHARS), .required = true},
  {FIELD_AT(EradicationInput, case_no), .label_zh = "公安案件编号", .kind = FK_TEXT, FIELD_CHARS(ERADICATION_CASE_CHARS)},
  {FIELD_AT(EradicationInput, notes), .label_zh = "情况说明", .kind = FK_LONG, FIELD_CHARS(ERADICATION_NOTES_CHARS)},
};
const RecordSpec eradication_record = RECORD_SPEC("eradication", eradication_fields);

int app_eradication_add(Ctx *c, const EradicationInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  if (!record_may_write(c->actor, "eradication")) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  field_check_record(&eradication_record, in, c->today, e);
  OrgUnit org = {0};
  if (unit_record_org(c, in->org, &org, e) != ERR_OK && e->code != ERR_INVALID) return app_fail(c, e);
  EradicationIn w = {.org_id = org.id, .date = in->date, .methods = in->methods, .location = in->location,
                     .case_no = in->case_no, .notes = in->notes, .area_mu = in->area_mu};
  memcpy(w.found, in->found, sizeof w.found);
  memcpy(w.destroyed, in->destroyed, sizeof w.destroyed);
  static const char *const destroyed_keys[ERADICATION_SPECIES] = {"destroyed_poppy", "destroyed_cannabis",
                                                                  "destroyed_other"};
  int64_t found = 0;
  for (int i = 0; i < ERADICATION_SPECIES; i++) {
    if (w.destroyed[i] > w.found[i] && !err_field_msg(e, destroyed_keys[i])) err_field(e, destroyed_keys[i], M_DESTROYED);
    found += w.found[i] > 0 ? w.found[i] : 0;
  }
  if (in->case_no && *in->case_no && found == 0 && !err_field_msg(e, "case_no")) err_field(e, "case_no", M_CASE_NO_FIND);
  if (e->code != ERR_OK) return app_fail(c, e);
  int64_t xid;
  if (store_eradication_add(c->db, &w, c->actor->user_id, c->now_iso, &xid, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "date", in->date);
  audit_detail_kv(&d, "org", org.code);
  for (int i = 0; i < ERADICATION_SPECIES; i++)
    if (w.found[i] > 0) {
      char key[40];
      snprintf(key, sizeof key, "found_%s", eradication_species_vocab[i].code);
      audit_detail_int(&d, key, w.found[i]);
      snprintf(key, sizeof key, "destroyed_%s", eradication_species_vocab[i].code);
      audit_detail_int(&d, key, w.destroyed[i]);
    }
  return app_commit_new(c, &(AppAudit){"create", "eradication", xid, org.path, &d}, id, e);
}

int app_eradication_get(Ctx *c, int64_t id, EradicationRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  return unit_record_done(c, store_eradication_get(c->db, id, out, e), out->org_path, out, sizeof *out, e);
}

int app_eradication_list(Ctx *c, const EradicationQuery *q, EradicationRow **out, int *n, EradicationTotals *tot,
                         Err *e) {
  *out = NULL;
  *n = 0;
  memset(tot, 0, sizeof *tot);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (q->species && *q->species && !unit_term_known(eradication_species_vocab, q->species))
    err_field(e, "species", "请选择有效的植物种类");
  UnitList l;
  if (unit_list_begin(c, q->org, q->from, q->to, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  EradicationFilter f = {l.org.path, q->from, q->to, q->species, l.limit, l.offset, q->each};
  return app_read_done(c, store_eradication_list(c->db, &f, out, n, tot, e), e);
}
