/* app/letter.c: owns the responsibility-letter use cases (see
 * app/letter.h): the field tables, the signer rules, record, read,
 * require, unrequire, list with the signing summary. */
#include "app/letter.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "app/unit_task.h"
#include "core/ledger.h"
#include "store/place.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_SIGNER_NONE "请选择签订单位或签订场所"
#define M_SIGNER_BOTH "签订方只能是一个单位或一个场所"
#define M_SIGNER_ORG "签订单位应为发文单位的下级单位"
#define M_SIGNER_PLACE "签订场所应是发文单位辖区内在用的场所或单位"
#define M_YEAR "年度应在2000年到明年之间"
#define M_SIGNED_YEAR "签订日期应在责任书年度内（或上一年12月）"
#define M_DUP "该签订方本年度的这类责任书已登记"
#define M_DUP_REQ "已要求该签订方签订这类责任书"

/* A letter's fields; a required signer's are the first five (to signer_place). */
static const FieldSpec letter_fields[] = {
  {FIELD_AT(LetterInput, org), .label_zh = "发文单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(LetterInput, year), .label_zh = "年度", .kind = FK_INT, .required = true, FIELD_RANGE(2000, 2100)},
  {FIELD_AT(LetterInput, kind), .label_zh = "责任书类型", .kind = FK_ENUM, .vocab = letter_kind_vocab,
   .required = true, .msg = "请选择有效的责任书类型"},
  {FIELD_AT(LetterInput, signer_org), .label_zh = "签订单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(LetterInput, signer_place), .label_zh = "签订场所", .kind = FK_INT, FIELD_RANGE(1, 999999999999)},
  {FIELD_AT(LetterInput, signed_date), .label_zh = "签订日期", .kind = FK_DATE, .required = true,
   .flags = FF_NOT_FUTURE},
  {FIELD_AT(LetterInput, notes), .label_zh = "备注", .kind = FK_LONG, FIELD_CHARS(LETTER_NOTES_CHARS)},
};
const RecordSpec letter_record = RECORD_SPEC("letter", letter_fields);
const RecordSpec letter_required_record = {"letter_required", letter_fields, 5};

/* The checks shared by a letter and a requirement (inside the write's
 * transaction): the issuing unit into *org, the year, exactly one signer
 * (a unit strictly below org into *sorg, or an active place in org's
 * subtree into *splace_id), and *signer the signer's name. Field errors
 * added to e; returns e->code. */
static int lt_check_signer(Ctx *c, const char *org_code, int64_t year, const char *signer_org, int64_t signer_place,
                           OrgUnit *org, OrgUnit *sorg, int64_t *splace_id, char *signer, size_t nsigner, Err *e) {
  memset(sorg, 0, sizeof *sorg);
  *splace_id = 0;
  signer[0] = 0;
  if (unit_record_org(c, org_code, org, e) != ERR_OK && e->code != ERR_INVALID) return e->code;
  if (year && !err_field_msg(e, "year") && !letter_year_ok((int)year, c->today)) err_field(e, "year", M_YEAR);
  bool has_org = signer_org && *signer_org, has_place = signer_place > 0;
  if (err_field_msg(e, "signer_org") || err_field_msg(e, "signer_place")) return e->code;
  if (!has_org && !has_place) return err_field(e, "signer_org", M_SIGNER_NONE);
  if (has_org && has_place) return err_field(e, "signer_org", M_SIGNER_BOTH);
  if (org->id <= 0) return e->code; /* the issuing unit's error stands */
  Err le;
  err_clear(&le);
  if (has_org) {
    int rc = store_org_by_code(c->db, signer_org, sorg, &le);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) return err_set(e, rc, le.msg);
    size_t np = strlen(org->path);
    if (rc != ERR_OK || strncmp(sorg->path, org->path, np) != 0 || sorg->path[np] == 0)
      return err_field(e, "signer_org", M_SIGNER_ORG);
    str_copy(signer, nsigner, sorg->name);
    return e->code;
  }
  PlaceRow p;
  int rc = store_place_get(c->db, signer_place, &p, &le);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return err_set(e, rc, le.msg);
  bool ok = rc == ERR_OK && p.active && strncmp(p.org_path, org->path, strlen(org->path)) == 0;
  if (rc == ERR_OK) {
    str_copy(signer, nsigner, p.name);
    store_place_free(&p);
  }
  if (!ok) return err_field(e, "signer_place", M_SIGNER_PLACE);
  *splace_id = signer_place;
  return e->code;
}

/* The issuing unit and the signer of a letter or a requirement. */
typedef struct LtSigner {
  OrgUnit org, sorg;   /* the issuing unit; the signing unit (id 0 for a place) */
  int64_t place;       /* the signing place (0 for a unit) */
  char name[FIELD_BYTES(100)];
} LtSigner;

/* Begins the write of a letter or a requirement: the right perm (else
 * ERR_FORBIDDEN, nothing begun), the transaction, spec's checks of in and
 * the signer's (lt_check_signer) into *s. ERR_OK with the transaction open
 * and the field errors, if any, in e (the caller adds its own, then ends
 * with app_fail when e->code is not ERR_OK); another error: ended. */
static int lt_begin(Ctx *c, unsigned perm, const RecordSpec *spec, const void *in, const char *org, int64_t year,
                    const char *signer_org, int64_t signer_place, LtSigner *s, Err *e) {
  memset(s, 0, sizeof *s);
  if (!actor_can(c->actor, perm)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  field_check_record(spec, in, c->today, e);
  if (lt_check_signer(c, org, year, signer_org, signer_place, &s->org, &s->sorg, &s->place, s->name, sizeof s->name,
                      e) != ERR_OK && e->code != ERR_INVALID)
    return app_fail(c, e);
  return ERR_OK;
}

/* Ends the write of a letter or a requirement (the insert's code rc): a
 * failed insert fails the write (a unique violation with the message dup);
 * else the audit row of entity new_id (year, kind, issuing unit, signer,
 * and signed_date when not NULL) and the commit; *id (may be NULL) gets
 * new_id on success. */
static int lt_commit(Ctx *c, int rc, const char *dup, const char *entity, int64_t new_id, int64_t year,
                     const char *kind, const LtSigner *sg, const char *signed_date, int64_t *id, Err *e) {
  if (rc != ERR_OK) {
    if (e->code == ERR_CONFLICT) {
      err_clear(e);
      err_set(e, ERR_CONFLICT, dup);
    }
    return app_fail(c, e);
  }
  Buf d = BUF_INIT;
  audit_detail_int(&d, "year", year);
  audit_detail_kv(&d, "kind", kind);
  audit_detail_kv(&d, "org", sg->org.code);
  audit_detail_kv(&d, "signer", sg->name);
  if (signed_date) audit_detail_kv(&d, "signed_date", signed_date);
  rc = app_commit(c, &(AppAudit){"create", entity, new_id, sg->org.path, &d}, e);
  if (rc == ERR_OK && id) *id = new_id;
  return rc;
}

int app_letter_add(Ctx *c, const LetterInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  LtSigner sg;
  if (lt_begin(c, PERM_PERSON_WRITE, &letter_record, in, in->org, in->year, in->signer_org, in->signer_place, &sg,
               e) != ERR_OK)
    return e->code;
  Day signed_day;
  if (in->year && !err_field_msg(e, "year") && !err_field_msg(e, "signed_date") && in->signed_date &&
      date_parse(in->signed_date, &signed_day) && !letter_signed_date_ok((int)in->year, signed_day))
    err_field(e, "signed_date", M_SIGNED_YEAR);
  if (e->code != ERR_OK) return app_fail(c, e);
  LetterIn w = {sg.org.id, (int)in->year, in->kind, sg.sorg.id, sg.place, in->signed_date, in->notes};
  int64_t lid = 0;
  int rc = store_letter_add(c->db, &w, c->actor->user_id, c->now_iso, &lid, e);
  return lt_commit(c, rc, M_DUP, "letter", lid, in->year, in->kind, &sg, in->signed_date, id, e);
}

int app_letter_get(Ctx *c, int64_t id, LetterRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_letter_get(c->db, id, out, e);
  if (rc == ERR_OK && !actor_in_scope(c->actor, out->org_path)) rc = err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) memset(out, 0, sizeof *out);
  return rc;
}

int app_letter_require(Ctx *c, const LetterRequireInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  LtSigner sg;
  if (lt_begin(c, PERM_USER_ADMIN, &letter_required_record, in, in->org, in->year, in->signer_org, in->signer_place,
               &sg, e) != ERR_OK)
    return e->code;
  if (e->code != ERR_OK) return app_fail(c, e);
  int64_t rid = 0;
  int rc = store_letter_required_add(c->db, sg.org.id, (int)in->year, in->kind, sg.sorg.id, sg.place, c->actor->user_id,
                                     c->now_iso, &rid, e);
  return lt_commit(c, rc, M_DUP_REQ, "letter_required", rid, in->year, in->kind, &sg, NULL, id, e);
}

int app_letter_unrequire(Ctx *c, int64_t id, Err *e) {
  if (!actor_can(c->actor, PERM_USER_ADMIN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  LetterNeedRow r;
  char path[ORG_PATH_MAX];
  int rc = store_letter_required_get(c->db, id, &r, path, sizeof path, e);
  if (rc == ERR_OK && !actor_in_scope(c->actor, path)) rc = err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
  if (rc == ERR_OK) rc = store_letter_required_remove(c->db, id, e);
  if (rc != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_int(&d, "year", r.year);
  audit_detail_kv(&d, "kind", r.kind);
  audit_detail_kv(&d, "org", r.org_code);
  audit_detail_kv(&d, "signer", r.signer_name);
  return app_commit(c, &(AppAudit){"delete", "letter_required", id, path, &d}, e);
}

int app_letter_list(Ctx *c, const LetterQuery *q, LetterRow **out, int *n, int64_t *total, LetterSummary *s, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  memset(s, 0, sizeof *s);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  int y, m, d;
  date_to_ymd(c->today, &y, &m, &d);
  s->year = y;
  if (q->year && *q->year) {
    char *end;
    long v = strtol(q->year, &end, 10);
    if (*end || end == q->year || v < LETTER_YEAR_MIN || v > 2100) err_field(e, "year", M_YEAR);
    else s->year = (int)v;
  }
  if (q->kind && *q->kind && !unit_term_known(letter_kind_vocab, q->kind)) err_field(e, "kind", "请选择有效的责任书类型");
  UnitList l;
  if (unit_list_begin(c, q->org, NULL, NULL, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  LetterFilter f = {l.org.path, s->year, q->kind, l.limit, l.offset, q->each};
  int rc = store_letter_list(c->db, &f, out, n, total, e);
  if (rc == ERR_OK) rc = store_letter_required_list(c->db, l.org.path, s->year, q->kind, &s->need, &s->nneed, e);
  for (int i = 0; rc == ERR_OK && i < s->nneed; i++) {
    s->required++;
    s->signed_n += s->need[i].letter_id > 0;
  }
  rc = app_read_done(c, rc, e);
  if (rc != ERR_OK) {
    free(*out);
    *out = NULL;
    *n = 0;
    free(s->need);
    memset(s, 0, sizeof *s);
  }
  return rc;
}
