/* app/place.c: owns the place use cases (see app/place.h): the field
 * table, the rules across fields, register, change, read, deactivate,
 * list. */
#include "app/place.h"
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "app/unit_task.h"
#include "core/ledger.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_CATEGORY_NEEDED "请选择娱乐场所的类别"
#define M_CATEGORY_VENUE "只有娱乐场所填写场所类别"
#define M_NAME_TAKEN "本单位已登记同名的场所或单位"
#define M_INACTIVE "该场所或单位已停用"
_Static_assert(PLACE_REASON_CHARS == 200, "the reason's message names its bound");

static const FieldSpec place_fields[] = {
  {FIELD_AT(PlaceInput, org), .label_zh = "所属单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(PlaceInput, kind), .label_zh = "类型", .kind = FK_ENUM, .vocab = place_kind_vocab, .required = true,
   .msg = "请选择有效的类型"},
  {FIELD_AT(PlaceInput, name), .label_zh = "名称", .kind = FK_TEXT, FIELD_CHARS(PLACE_NAME_CHARS), .required = true},
  {FIELD_AT(PlaceInput, category), .label_zh = "场所类别", .kind = FK_ENUM, .vocab = venue_category_vocab,
   .msg = "请选择有效的场所类别"},
  {FIELD_AT(PlaceInput, address), .label_zh = "地址", .kind = FK_TEXT, FIELD_CHARS(PLACE_ADDRESS_CHARS)},
  {FIELD_AT(PlaceInput, contact), .label_zh = "联系人", .kind = FK_TEXT, FIELD_CHARS(PLACE_CONTACT_CHARS)},
  {FIELD_AT(PlaceInput, phone), .label_zh = "联系电话", .kind = FK_PHONE, FIELD_CHARS(40)},
  {FIELD_AT(PlaceInput, licence_no), .label_zh = "许可证号", .kind = FK_TEXT, FIELD_CHARS(PLACE_LICENCE_CHARS)},
  {FIELD_AT(PlaceInput, notes), .label_zh = "备注", .kind = FK_LONG, FIELD_CHARS(PLACE_NOTES_CHARS)},
};
const RecordSpec place_record = RECORD_SPEC("place", place_fields);

/* The checks of a place to write (inside the write's transaction): the
 * table, the unit into *org, the category, the name not taken by another
 * active place of the unit (except: the place being changed). Returns
 * e->code (the storage's error when a read fails). */
static int pl_check(Ctx *c, const PlaceInput *in, int64_t except, OrgUnit *org, Err *e) {
  field_check_record(&place_record, in, c->today, e);
  if (unit_record_org(c, in->org, org, e) != ERR_OK && e->code != ERR_INVALID) return e->code;
  bool has_cat = in->category && *in->category;
  if (!err_field_msg(e, "category") && !err_field_msg(e, "kind")) {
    if (place_kind_has_category(in->kind) && !has_cat) err_field(e, "category", M_CATEGORY_NEEDED);
    else if (!place_kind_has_category(in->kind) && has_cat) err_field(e, "category", M_CATEGORY_VENUE);
  }
  if (org->id > 0 && in->name && *in->name && !err_field_msg(e, "name")) {
    bool taken;
    if (db_exists(db_query(c->db, "SELECT 1 FROM place WHERE org_id = :o AND name = :n AND active = 1 AND id <> :id", e,
                           DB_INT(":o", org->id), DB_TEXT(":n", in->name), DB_INT(":id", except)),
                  &taken, e) != ERR_OK)
      return e->code;
    if (taken) err_field(e, "name", M_NAME_TAKEN);
  }
  return e->code;
}

/* The PlaceIn of a checked input for unit org. */
static PlaceIn pl_in(const PlaceInput *in, const OrgUnit *org) {
  return (PlaceIn){org->id, in->kind, in->name, in->address, in->contact, in->phone, in->category, in->licence_no,
                   in->notes};
}

int app_place_add(Ctx *c, const PlaceInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org = {0};
  if (pl_check(c, in, 0, &org, e) != ERR_OK) return app_fail(c, e);
  PlaceIn w = pl_in(in, &org);
  int64_t pid;
  if (store_place_add(c->db, &w, c->actor->user_id, c->now_iso, &pid, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kvs(&d, "kind", in->kind, "name", in->name, "org", org.code, NULL);
  return app_commit_new(c, &(AppAudit){"create", "place", pid, org.path, &d}, id, e);
}

/* Loads place id in the actor's scope into *p (inside the caller's
 * transaction). */
static void pl_drop(void *p) { store_place_free(p); }
static int pl_load(Ctx *c, int64_t id, PlaceRow *p, Err *e) {
  return record_in_scope(c, store_place_get(c->db, id, p, e), p->org_path, p, sizeof *p, pl_drop, e);
}

int app_place_update(Ctx *c, int64_t id, const PlaceInput *in, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  PlaceRow old;
  if (pl_load(c, id, &old, e) != ERR_OK) return app_fail(c, e);
  if (!old.active) {
    store_place_free(&old);
    err_set(e, ERR_CONFLICT, M_INACTIVE);
    return app_fail(c, e);
  }
  OrgUnit org = {0};
  PlaceIn w = pl_in(in, &org);
  int rc = pl_check(c, in, id, &org, e);
  w.org_id = org.id;
  if (rc == ERR_OK) rc = store_place_update(c->db, id, &w, e);
  if (rc != ERR_OK) {
    store_place_free(&old);
    return app_fail(c, e);
  }
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "old_org", old.org_code);
  audit_detail_kv(&d, "old_kind", old.kind);
  audit_detail_kv(&d, "old_name", old.name);
  audit_detail_kv(&d, "old_address", old.address);
  audit_detail_kv(&d, "old_contact", old.contact);
  audit_detail_kv(&d, "old_phone", old.phone);
  audit_detail_kv(&d, "org", org.code);
  audit_detail_kv(&d, "name", in->name);
  store_place_free(&old);
  return app_commit(c, &(AppAudit){"update", "place", id, org.path, &d}, e);
}

int app_place_get(Ctx *c, int64_t id, PlaceRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  return app_read_done(c, pl_load(c, id, out, e), e);
}

int app_place_deactivate(Ctx *c, int64_t id, const char *reason, Err *e) {
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  PlaceRow p;
  if (pl_load(c, id, &p, e) != ERR_OK) return app_fail(c, e);
  if (!reason || !*reason) err_field(e, "reason", "请填写停用原因");
  else if (field_chars(reason) > PLACE_REASON_CHARS) err_field(e, "reason", "不能超过200个字");
  else if (!field_text_ok(reason, false)) err_field(e, "reason", FIELD_M_BAD_TEXT);
  int rc = e->code;
  if (rc == ERR_OK) rc = store_place_deactivate(c->db, id, c->actor->user_id, c->now_iso, reason, e);
  char path[ORG_PATH_MAX];
  str_copy(path, sizeof path, p.org_path);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "name", p.name);
  audit_detail_kv(&d, "reason", reason);
  store_place_free(&p);
  if (rc != ERR_OK) {
    buf_reset(&d);
    return app_fail(c, e);
  }
  return app_commit(c, &(AppAudit){"deactivate", "place", id, path, &d}, e);
}

int app_place_list(Ctx *c, const PlaceQuery *q, PlaceRow **out, int *n, int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (q->kind && *q->kind && !unit_term_known(place_kind_vocab, q->kind)) err_field(e, "kind", "请选择有效的类型");
  const char *a = q->active ? q->active : "";
  int active = !*a || strcmp(a, "1") == 0 ? 1 : strcmp(a, "0") == 0 ? 0 : strcmp(a, "all") == 0 ? -1 : 2;
  if (active == 2) err_field(e, "active", "应为 1、0 或 all");
  UnitList l;
  if (unit_list_begin(c, q->org, NULL, NULL, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  PlaceFilter f = {l.org.path, q->kind, q->q, active, l.limit, l.offset, q->each};
  return app_read_done(c, store_place_list(c->db, &f, out, n, total, e), e);
}

int app_place_active_of_kind(Ctx *c, const char *kind, PlaceRow **out, int *n, Err *e) {
  int64_t total;
  PlaceQuery q = {NULL, kind, NULL, "1", 1, UNIT_LIST_MAX, NULL};
  if (!kind || !*kind) return err_field(e, "kind", "请选择有效的类型");
  return app_place_list(c, &q, out, n, &total, e);
}
