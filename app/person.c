/* app/person.c: owns the case-file use cases of app/person.h: rights and
 * scope checks, normalisation and validation of the case-file fields (one
 * walk over the field table of core/person_field.h), the help team,
 * documents, status episodes (transitions checked by core/status, corrections
 * as new rows), revisions kept on every change, the responsible social
 * worker (责任社工: set, cleared, its candidates, by default the worker who
 * registers the person), one transaction per action with its audit row, and
 * the audited read of a whole case file. */
#include "app/person.h"
#include "core/casework.h"
#include "store/casework.h"
#include "app/audit.h"
#include "app/read_limit.h"
#include "app/steps.h"
#include "app/user.h"
#include "core/buf.h"
#include "core/derived.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/name.h"
#include "core/risk.h"
#include "core/status.h"
#include "store/approval.h"
#include "store/notice.h"
#include "store/supervision.h"
#include "store/org.h"
#include "store/person.h"
#include "store/user.h"
#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages (catalog msgids). */
#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_REQUIRED "此项必填"
#define M_SEX_MISMATCH "性别与身份证号不符"
#define M_BIRTH_MISMATCH "出生日期与身份证号不符"
#define M_ID_TAKEN "该身份证号已登记"
#define M_FOUND_BEFORE_BIRTH "首次发现日期不能早于出生日期"
#define M_DUP_DRUG "毒品种类重复"
#define M_ORG_REQUIRED "请选择责任社区"
#define M_ORG_SCOPE "所选社区不存在或不在您的管辖范围内"
#define M_ORG_LEVEL "请选择社区一级的单位"
#define M_TEAM_NAME "帮教小组成员的姓名不能含有不可见字符、文字方向控制符、零宽字符或私用区字符"
#define M_ORG_MOVE "变更责任社区须通过“变更执行地”审批；录入错误的社区请在档案页“更正责任社区”并填写理由"
#define M_ORG_SAME "所选社区就是当前的责任社区"
#define M_ORG_FIX_ROLE "只有街道（乡镇）或区（县）禁毒办可以更正责任社区"
#define M_ORG_FIX_PENDING "该人员有待审批的变更执行地申请，请先处理该申请"
#define M_TEAM_TOO_MANY "帮教小组成员过多"
#define M_TEAM_REQUIRED "帮教小组成员的角色和姓名必填"
#define M_TEAM_TEXT "帮教小组成员信息过长或含有无效字符"
#define M_TEAM_PHONE "帮教小组成员电话号码无效"
#define M_VERSION "记录已被他人修改，请刷新后重试"
#define M_BAD_STATUS "请选择有效的管控状态"
#define M_TRANSITION "当前状态不允许变更为该状态"
#define M_TRANSITION_NEXT "更正后的状态与其后的状态记录不衔接"
#define M_START_BEFORE_DECISION "开始日期不能早于决定日期"
#define M_DIVISION "户籍地行政区划代码应为6位、9位或12位数字"
#define M_PLANNED_END_STATUS "只有强制隔离戒毒、服刑或拘留可填写预计出所日期"
#define M_PLANNED_END_BEFORE "预计出所日期不能早于决定日期或开始日期"
#define M_CORRECTS "要更正的状态记录不存在或已被更正"
#define M_DOC_KIND "请选择文书类型"
#define M_WORKER "责任社工须为该人员所在社区的社工或社区干部"

/* ---- the input tables ---------------------------------------------- */

static const FieldSpec help_member_fields[] = {
  {FIELD_AT(HelpMemberIn, role), .label_zh = "角色", .kind = FK_TEXT, FIELD_CHARS(30), .required = true},
  {FIELD_AT(HelpMemberIn, name), .label_zh = "姓名", .kind = FK_TEXT, FIELD_CHARS(PERSON_NAME_CHARS), .required = true,
   .flags = FF_NAME},
  {FIELD_AT(HelpMemberIn, phone), .label_zh = "联系电话", .kind = FK_PHONE, FIELD_CHARS(40)},
};
const RecordSpec help_member_record = RECORD_SPEC("help_member", help_member_fields);

/* The first four are what a registration takes (register_status_record). */
static const FieldSpec status_fields[] = {
  {FIELD_AT(StatusInput, status), .label_zh = "管控状态", .kind = FK_ENUM, .choices = status_codes, .required = true,
   .msg = M_BAD_STATUS},
  {FIELD_AT(StatusInput, decision_date), .label_zh = "决定日期", .kind = FK_DATE, .flags = FF_NOT_FUTURE},
  {FIELD_AT(StatusInput, start_date), .label_zh = "开始日期（报到日）", .kind = FK_DATE, .flags = FF_NOT_FUTURE},
  {FIELD_AT(StatusInput, decision_no), .label_zh = "决定书编号", .kind = FK_TEXT, FIELD_CHARS(60)},
  {FIELD_AT(StatusInput, note), .label_zh = "备注", .kind = FK_LONG, FIELD_CHARS(500)},
  {FIELD_AT(StatusInput, planned_end), .label_zh = "预计出所（出狱、拘留期满）日期", .kind = FK_DATE},
  {FIELD_AT(StatusInput, corrects_id), .label_zh = "更正以前的记录", .kind = FK_INT, .min = 1, .max = INT64_MAX,
   .msg_bound = M_CORRECTS},
};
const RecordSpec status_record = RECORD_SPEC("status", status_fields);
const RecordSpec register_status_record = {"register_status", status_fields, 4};

static const char *const doc_kinds[] = {"agreement", "responsibility_letter", NULL};
static const FieldSpec doc_fields[] = {
  {FIELD_AT(DocInput, kind), .label_zh = "文书类型", .kind = FK_ENUM, .choices = doc_kinds, .required = true,
   .msg = M_DOC_KIND},
  {FIELD_AT(DocInput, signed_date), .label_zh = "签订日期", .kind = FK_DATE, .required = true,
   .flags = FF_NOT_FUTURE},
  {FIELD_AT(DocInput, number), .label_zh = "编号", .kind = FK_TEXT, FIELD_CHARS(60)},
};
const RecordSpec doc_record = RECORD_SPEC("doc", doc_fields);

/* ---- text ------------------------------------------------------------- */

/* malloc'd copy of s without leading and trailing ASCII white space. */
static char *trim_dup(const char *s) {
  if (!s) s = "";
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
  char *d = strndup(s, n);
  if (!d) abort();
  return d;
}

/* malloc'd copy of s (NULL reads as ""). */
static char *xdup(const char *s) {
  char *d = strdup(s ? s : "");
  if (!d) abort();
  return d;
}

/* Replaces *slot (owned) with v (taken over). */
static void set_owned(char **slot, char *v) {
  free(*slot);
  *slot = v;
}

/* ---- the draft: a normalised, owned copy of a PersonInput -------------- */

typedef struct Draft {
  bool has[PF__COUNT];
  char *val[PF__COUNT];           /* owned; NULL when !has */
  bool has_org;
  char *org_code;                 /* owned */
  bool has_team;
  int nteam;                      /* as given; > PERSON_TEAM_MAX is an error */
  char *team[PERSON_TEAM_MAX][3]; /* owned role, name, phone */
} Draft;

/* Normalises drug codes "a, b,,c" into "a,b,c" (malloc'd). */
static char *drugs_normalize(const char *s) {
  Buf b = BUF_INIT;
  const char *p = s;
  while (*p) {
    const char *q = strchr(p, ',');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    char *item = strndup(p, n);
    if (!item) abort();
    char *t = trim_dup(item);
    free(item);
    if (*t) {
      if (b.len) buf_putc(&b, ',');
      buf_puts(&b, t);
    }
    free(t);
    p += n;
    if (*p == ',') p++;
  }
  return buf_detach(&b);
}

/* Fills d from in: texts without surrounding white space (multi-line texts
 * keep their inner lines), sex and a final ID check character in upper
 * case, canonical drug lists ("a,b"), "" flags as "0". */
static void draft_from_input(Draft *d, const PersonInput *in) {
  memset(d, 0, sizeof *d);
  for (int i = 0; i < PF__COUNT; i++) {
    if (!in->has[i]) continue;
    const FieldSpec *pf = &person_fields[i];
    d->has[i] = true;
    char *v = trim_dup(in->val[i]);
    if (i == PF_SEX && (strcmp(v, "m") == 0 || strcmp(v, "f") == 0)) v[0] = (char)(v[0] - 'a' + 'A');
    if (pf->kind == FK_ID) {
      size_t n = strlen(v);
      if (n == IDCARD_LEN && v[n - 1] == 'x') v[n - 1] = 'X';
    }
    if (pf->kind == FK_ENUM_SET) set_owned(&v, drugs_normalize(v));
    if (pf->kind == FK_BOOL && !*v) set_owned(&v, xdup("0"));
    if (pf->flags & FF_NAME) set_owned(&v, name_normalize(v)); /* NFC: core/name.h */
    d->val[i] = v;
  }
  if (in->has_org) {
    d->has_org = true;
    d->org_code = trim_dup(in->org_code);
  }
  if (in->has_team) {
    d->has_team = true;
    d->nteam = in->nteam;
    for (int i = 0; i < in->nteam && i < PERSON_TEAM_MAX; i++) {
      d->team[i][0] = trim_dup(in->team[i].role);
      d->team[i][1] = trim_dup(in->team[i].name);
      set_owned(&d->team[i][1], name_normalize(d->team[i][1]));
      d->team[i][2] = trim_dup(in->team[i].phone);
    }
  }
}

static void draft_free(Draft *d) {
  for (int i = 0; i < PF__COUNT; i++) free(d->val[i]);
  free(d->org_code);
  for (int i = 0; i < PERSON_TEAM_MAX; i++)
    for (int k = 0; k < 3; k++) free(d->team[i][k]);
  memset(d, 0, sizeof *d);
}

/* The value of field i, "" when not given. */
static const char *dv(const Draft *d, int i) { return d->has[i] && d->val[i] ? d->val[i] : ""; }

/* true when the canonical list of codes v ("a,b") names a code twice. */
static bool drugs_repeated(const char *v) {
  for (const char *p = v; *p;) {
    const char *q = strchr(p, ',');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    for (const char *r = q ? q + 1 : p + n; *r;) {
      const char *s = strchr(r, ',');
      size_t m = s ? (size_t)(s - r) : strlen(r);
      if (m == n && strncmp(p, r, n) == 0) return true;
      r = s ? s + 1 : r + m;
    }
    p = q ? q + 1 : p + n;
  }
  return false;
}

/* Checks field i of the draft by the table (and a drug named twice). */
static void check_field(Ctx *c, const Draft *d, int i, Err *e) {
  bool ok = field_check(&person_fields[i], d->val, c->today, e);
  if (ok && i == PF_DRUG_TYPES && d->val[i] && drugs_repeated(d->val[i]))
    err_field(e, person_fields[i].key, M_DUP_DRUG);
  if (ok && i == PF_HOUSEHOLD_DIVISION && d->val[i] && *d->val[i] && !division_valid(d->val[i], 0))
    err_field(e, person_fields[i].key, M_DIVISION);
}

/* Resolves the draft's org code into *org: a community-level unit in the
 * actor's scope. Field errors on "org"; a storage failure sets e's code.
 * Returns true when *org is usable. */
static bool check_org(Ctx *c, const char *code, OrgUnit *org, Err *e) {
  if (!code || !*code) {
    err_field(e, "org", M_ORG_REQUIRED);
    return false;
  }
  Err oe;
  err_clear(&oe);
  int rc = store_org_by_code(c->db, code, org, &oe);
  if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !actor_in_scope(c->actor, org->path))) {
    err_field(e, "org", M_ORG_SCOPE);
    return false;
  }
  if (rc != ERR_OK) {
    err_set(e, oe.code, oe.msg);
    return false;
  }
  if (strcmp(org->level, "community") != 0) {
    err_field(e, "org", M_ORG_LEVEL);
    return false;
  }
  return true;
}

/* The draft's team as the store takes it (pointers into d). */
static int draft_team(const Draft *d, HelpMemberIn *out) {
  for (int i = 0; i < d->nteam; i++) {
    out[i].role = d->team[i][0];
    out[i].name = d->team[i][1];
    out[i].phone = d->team[i][2];
  }
  return d->nteam;
}

/* Checks the draft's help team by help_member_record; one message on
 * field "help_team" (the first member at fault tells which). */
static void check_team(Ctx *c, const Draft *d, Err *e) {
  if (!d->has_team) return;
  if (d->nteam < 0 || d->nteam > PERSON_TEAM_MAX) {
    err_field(e, "help_team", M_TEAM_TOO_MANY);
    return;
  }
  HelpMemberIn team[PERSON_TEAM_MAX];
  int n = draft_team(d, team);
  for (int i = 0; i < n; i++) {
    Err me;
    err_clear(&me);
    if (field_check_record(&help_member_record, &team[i], c->today, &me) == ERR_OK) continue;
    const char *role = err_field_msg(&me, "role"), *name = err_field_msg(&me, "name");
    if ((role && strcmp(role, FIELD_M_REQUIRED) == 0) || (name && strcmp(name, FIELD_M_REQUIRED) == 0))
      err_field(e, "help_team", M_TEAM_REQUIRED);
    else if (name && strcmp(name, NAME_M_INVISIBLE) == 0) err_field(e, "help_team", M_TEAM_NAME);
    else err_field(e, "help_team", role || name ? M_TEAM_TEXT : M_TEAM_PHONE);
    return;
  }
}

/* Validates the draft. full: a whole record (create, or an update merged
 * with the stored values), so required fields must be there; a missing
 * birth date is then taken from the ID number (its digits, even with a wrong
 * check character: that one fault is reported alone). Checks the org when
 * has_org (then *org_ok tells whether *org was resolved); a full record
 * without one is an error unless org_stored (an update keeps its unit).
 * Cross-checks sex and birth date against the ID number and the first-found
 * date against the birth date. Does not look for a duplicate ID number. */
static void draft_check(Ctx *c, Draft *d, bool full, bool org_stored, OrgUnit *org, bool *org_ok, Err *e) {
  if (full && (!d->has[PF_BIRTH_DATE] || !*d->val[PF_BIRTH_DATE]) && d->has[PF_ID_NUMBER]) {
    IdcardInfo info;
    if (idcard_read(d->val[PF_ID_NUMBER], &info)) { /* sound digits: a wrong check character is told alone */
      char iso[DATE_ISO_LEN];
      date_format(info.birth, iso);
      d->has[PF_BIRTH_DATE] = true;
      set_owned(&d->val[PF_BIRTH_DATE], xdup(iso));
    }
  }
  if (full && (!d->has[PF_HOUSEHOLD_DIVISION] || !d->val[PF_HOUSEHOLD_DIVISION] || !*d->val[PF_HOUSEHOLD_DIVISION]) &&
      d->has[PF_ID_NUMBER]) { /* the household: the county of the ID number until told otherwise */
    char div[DIVISION_LEN];
    division_from_id_number(d->val[PF_ID_NUMBER], div);
    if (*div) {
      d->has[PF_HOUSEHOLD_DIVISION] = true;
      set_owned(&d->val[PF_HOUSEHOLD_DIVISION], xdup(div));
    }
  }
  for (int i = 0; i < PF__COUNT; i++) {
    if (d->has[i]) check_field(c, d, i, e);
    else if (full && person_fields[i].required) err_field(e, person_fields[i].key, M_REQUIRED);
  }
  /* Cross-checks, only between values that are valid on their own; an ID
   * number whose only fault is its check character still tells its birth
   * date and sex, so that all its faults are answered at once. */
  IdcardInfo info;
  const char *id_msg = err_field_msg(e, "id_number");
  bool id_ok = d->has[PF_ID_NUMBER] && idcard_read(d->val[PF_ID_NUMBER], &info) &&
               (!id_msg || strcmp(id_msg, idcard_message(IDCARD_BAD_CHECKSUM)) == 0);
  Day birth = 0;
  bool birth_ok = d->has[PF_BIRTH_DATE] && *d->val[PF_BIRTH_DATE] && !err_field_msg(e, "birth_date") &&
                  date_parse(d->val[PF_BIRTH_DATE], &birth);
  if (id_ok && d->has[PF_SEX] && !err_field_msg(e, "sex") && *d->val[PF_SEX] && d->val[PF_SEX][0] != info.sex)
    err_field(e, "sex", M_SEX_MISMATCH);
  if (id_ok && birth_ok && birth != info.birth) err_field(e, "birth_date", M_BIRTH_MISMATCH);
  Day found;
  if (birth_ok && d->has[PF_FIRST_FOUND_DATE] && *d->val[PF_FIRST_FOUND_DATE] &&
      !err_field_msg(e, "first_found_date") && date_parse(d->val[PF_FIRST_FOUND_DATE], &found) && found < birth)
    err_field(e, "first_found_date", M_FOUND_BEFORE_BIRTH);
  *org_ok = false;
  if (d->has_org) *org_ok = check_org(c, d->org_code, org, e);
  else if (full && !org_stored) err_field(e, "org", M_ORG_REQUIRED);
  check_team(c, d, e);
}

/* A person outside the actor's scope that a duplicate-ID answer revealed
 * (id 0: none). */
typedef struct Revealed {
  int64_t id;
  char org_path[ORG_PATH_MAX];
} Revealed;

/* Adds the duplicate-ID error when another person (not except_id) has the
 * draft's ID number: ERR_CONFLICT when it is the only problem. The answer
 * holds whatever the scope (an ID number is registered once), so it tells
 * the actor that a person they cannot see is registered: then *rev names
 * that person, for the caller to audit with person_audit_revealed. */
static void check_duplicate(Ctx *c, const Draft *d, int64_t except_id, Revealed *rev, Err *e) {
  rev->id = 0;
  if (!d->has[PF_ID_NUMBER] || err_field_msg(e, "id_number")) return;
  bool taken = false;
  int64_t holder = 0;
  char path[ORG_PATH_MAX];
  Err de;
  err_clear(&de);
  if (store_person_id_taken(c->db, d->val[PF_ID_NUMBER], except_id, &taken, &holder, path, sizeof path, &de) !=
      ERR_OK) {
    err_set(e, de.code, de.msg);
    return;
  }
  if (!taken) return;
  if (e->code == ERR_OK) err_set(e, ERR_CONFLICT, M_ID_TAKEN);
  err_field(e, "id_number", M_ID_TAKEN);
  if (!actor_in_scope(c->actor, path)) {
    rev->id = holder;
    memcpy(rev->org_path, path, sizeof rev->org_path);
  }
}

/* Audits ("id_conflict" on that person, in its unit, where its office sees
 * who asked) what a duplicate-ID answer revealed. Called once the write
 * transaction is rolled back, so that the row stays. */
static void person_audit_revealed(Ctx *c, const Revealed *rev) {
  if (rev->id > 0) audit_note(c, "id_conflict", "person", rev->id, rev->org_path);
}

/* The values of the draft as the store takes them (pointers into d). */
static void draft_values(const Draft *d, const char *f[PF__COUNT]) {
  for (int i = 0; i < PF__COUNT; i++) f[i] = dv(d, i);
}

/* ---- use cases ------------------------------------------------------- */

static void status_input_check(Ctx *c, const StatusInput *in, Status *to, Err *e);
static int person_episode_write(Ctx *c, int64_t id, const StatusInput *in, Status to, int64_t *ep_id, Err *e);

/* Checks the first status of a registration (register_status_record, a
 * start before the decision, a first status that may begin a file), adding
 * its field errors to e. Returns true when in names a status (*to gets it);
 * false when none of its fields is given. */
static bool register_status_check(Ctx *c, const StatusInput *in, Status *to, Err *e) {
  *to = ST_NONE;
  bool any = false;
  for (int i = 0; i < register_status_record.n; i++) {
    const char *v = field_text(&register_status_record.fields[i], in);
    any = any || (v && *v);
  }
  if (!any) return false;
  StatusInput only = {in->status, in->decision_date, in->start_date, in->decision_no, NULL, 0, NULL};
  status_input_check(c, &only, to, e);
  if (!err_field_msg(e, "status") && !status_transition_allowed(ST_NONE, *to)) err_field(e, "status", M_TRANSITION);
  return true;
}

int app_person_validate(Ctx *c, const PersonInput *in, bool for_create, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Draft d;
  draft_from_input(&d, in);
  OrgUnit org;
  bool org_ok;
  draft_check(c, &d, for_create, false, &org, &org_ok, e);
  Status to;
  if (for_create) register_status_check(c, &in->status, &to, e);
  Revealed rev = {0};
  if (for_create) check_duplicate(c, &d, 0, &rev, e);
  draft_free(&d);
  person_audit_revealed(c, &rev);
  return e->code;
}

int app_person_create(Ctx *c, const PersonInput *in, int64_t *id_out, Err *e) {
  *id_out = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  Draft d;
  draft_from_input(&d, in);
  OrgUnit org;
  bool org_ok;
  draft_check(c, &d, true, false, &org, &org_ok, e);
  Status to = ST_NONE;
  bool with_status = register_status_check(c, &in->status, &to, e);
  Revealed rev;
  check_duplicate(c, &d, 0, &rev, e);
  if (e->code != ERR_OK) goto failed;
  assert(org_ok);
  const char *f[PF__COUNT];
  draft_values(&d, f);
  int64_t id = 0;
  if (store_person_insert(c->db, org.id, org.path, f, c->now_iso, &id, e) != ERR_OK) {
    if (e->code == ERR_CONFLICT) err_field(e, "id_number", M_ID_TAKEN);
    goto failed;
  }
  if (d.has_team && d.nteam > 0) {
    HelpMemberIn team[PERSON_TEAM_MAX];
    int n = draft_team(&d, team);
    if (store_person_team_replace(c->db, id, team, n, c->now_iso, e) != ERR_OK) goto failed;
  }
  /* a social worker who registers a person is responsible for it */
  bool own = c->actor->role == ROLE_WORKER && c->actor->user_id > 0;
  if (own && store_person_set_worker(c->db, id, c->actor->user_id, e) != ERR_OK) goto failed;
  int64_t ep_id = 0;
  if (with_status && person_episode_write(c, id, &in->status, to, &ep_id, e) != ERR_OK) goto failed;
  if (sup_refresh(c, id, e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "org", org.code);
  if (with_status) {
    audit_detail_kv(&detail, "status", status_code(to));
    audit_detail_int(&detail, "episode", ep_id);
  }
  if (own) audit_detail_kv(&detail, "worker", c->actor->username);
  int rc = app_commit(c, &(AppAudit){"create", "person", id, org.path, &detail}, e);
  draft_free(&d);
  if (rc == ERR_OK) *id_out = id;
  return rc;
failed:
  draft_free(&d);
  int rc_failed = app_fail(c, e);
  person_audit_revealed(c, &rev);
  return rc_failed;
}

/* The JSON snapshot of a stored person and its team (malloc'd text). */
static char *person_snapshot(const PersonRow *row, const HelpMemberRow *team, int nteam) {
  json_t *o = json_object();
  json_object_set_new(o, "version", json_integer(row->version));
  json_object_set_new(o, "org_id", json_integer(row->org_id));
  json_object_set_new(o, "org_code", json_string(row->org_code));
  json_object_set_new(o, "org_path", json_string(row->org_path));
  for (int i = 0; i < PF__COUNT; i++) {
    json_t *v = json_string(row->f[i]);
    json_object_set_new(o, person_fields[i].key, v ? v : json_null());
  }
  json_t *t = json_array();
  for (int i = 0; i < nteam; i++) {
    json_t *m = json_object();
    json_t *v;
    json_object_set_new(m, "role", (v = json_string(team[i].role)) ? v : json_null());
    if (team[i].role_other && *team[i].role_other) json_object_set_new(m, "role_other", json_string(team[i].role_other));
    json_object_set_new(m, "name", (v = json_string(team[i].name)) ? v : json_null());
    json_object_set_new(m, "phone", (v = json_string(team[i].phone)) ? v : json_null());
    json_array_append_new(t, m);
  }
  json_object_set_new(o, "help_team", t);
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!s) abort();
  return s;
}

/* true when the typed role text names the stored member's role (a code or
 * label of it; for role other, the same text). */
static bool team_role_same(const char *text, const HelpMemberRow *m) {
  const char *code = help_role_of_text(text);
  if (code) return strcmp(code, m->role) == 0 && !(m->role_other && *m->role_other);
  return strcmp(m->role, "other") == 0 && m->role_other && strcmp(text, m->role_other) == 0;
}

/* true when the draft's team differs from the stored one. */
static bool team_differs(const Draft *d, const HelpMemberRow *team, int nteam) {
  if (!d->has_team) return false;
  if (d->nteam != nteam) return true;
  for (int i = 0; i < nteam; i++)
    if (!team_role_same(d->team[i][0], &team[i]) || strcmp(d->team[i][1], team[i].name) != 0 ||
        strcmp(d->team[i][2], team[i].phone) != 0)
      return true;
  return false;
}

/* The change of person id that in describes, inside the caller's
 * transaction (the body of app_person_update, shared with
 * person_five_knowns_write): merges in with the stored values, validates,
 * keeps the old values as a revision and writes the new ones. Fills detail
 * with the audit detail of the change (the fields changed...) and org_path
 * with the person's unit after it; detail stays empty when nothing changes
 * (then nothing is written). *rev: see check_duplicate. Returns ERR_OK or
 * e's code. */
static int person_update_tx(Ctx *c, int64_t id, const PersonInput *in, int64_t expected_version, Buf *detail,
                            char org_path[ORG_PATH_MAX], Revealed *rev, Err *e) {
  PersonRow row;
  HelpMemberRow *team = NULL;
  int nteam = 0;
  Draft d;
  draft_from_input(&d, in);
  char *snapshot = NULL;
  rev->id = 0;
  if (store_person_get(c->db, id, c->actor->org_path, &row, e) != ERR_OK) goto done;
  if (expected_version > 0 && expected_version != row.version) {
    err_set(e, ERR_CONFLICT, M_VERSION);
    goto done;
  }
  if (store_person_team(c->db, id, &team, &nteam, e) != ERR_OK) goto done;

  /* Merge: what is not given keeps its stored value; a new valid ID number
   * without a birth date brings the birth date it carries. */
  bool derive_birth = d.has[PF_ID_NUMBER] && strcmp(d.val[PF_ID_NUMBER], row.f[PF_ID_NUMBER]) != 0 &&
                      idcard_validate(d.val[PF_ID_NUMBER], NULL) == IDCARD_OK;
  for (int i = 0; i < PF__COUNT; i++) {
    if (d.has[i]) continue;
    if (i == PF_BIRTH_DATE && derive_birth) continue;
    d.has[i] = true;
    d.val[i] = xdup(row.f[i]);
  }
  OrgUnit org;
  bool org_ok = false;
  draft_check(c, &d, true, true, &org, &org_ok, e);
  check_duplicate(c, &d, id, rev, e);
  if (e->code != ERR_OK) goto done;

  /* a person changes community only through a transfer (app/approval.h)
   * or the correction of a wrong entry (app_person_org_correct) */
  if (d.has_org && org.id != row.org_id) {
    err_field(e, "org", M_ORG_MOVE);
    goto done;
  }
  int64_t org_id = row.org_id;
  snprintf(org_path, ORG_PATH_MAX, "%s", row.org_path);
  Buf changed = BUF_INIT;
  for (int i = 0; i < PF__COUNT; i++)
    if (strcmp(d.val[i], row.f[i]) != 0) {
      if (changed.len) buf_putc(&changed, ',');
      buf_puts(&changed, person_fields[i].key);
    }
  if (org_id != row.org_id) buf_puts(&changed, changed.len ? ",org" : "org");
  bool new_team = team_differs(&d, team, nteam);
  if (new_team) buf_puts(&changed, changed.len ? ",help_team" : "help_team");
  if (changed.len == 0) goto done; /* nothing to change: nothing written, nothing audited */
  audit_detail_kv(detail, "fields", buf_str(&changed));
  if (org_id != row.org_id) audit_detail_kv(detail, "from_org", row.org_code);
  if (org_id != row.org_id && row.worker_id) audit_detail_kv(detail, "from_worker", row.worker); /* cleared */
  buf_reset(&changed);

  snapshot = person_snapshot(&row, team, nteam);
  const char *f[PF__COUNT];
  draft_values(&d, f);
  if (store_person_revision_add(c->db, id, row.version, snapshot, c->actor->user_id, c->now_iso, e) != ERR_OK ||
      store_person_update(c->db, id, row.version, org_id, org_path, f, c->now_iso, e) != ERR_OK)
    goto done;
  if (new_team) {
    HelpMemberIn members[PERSON_TEAM_MAX];
    int n = draft_team(&d, members);
    if (store_person_team_replace(c->db, id, members, n, c->now_iso, e) != ERR_OK) goto done;
  }
done:
  free(snapshot);
  store_person_row_free(&row);
  store_person_team_free(team, nteam);
  draft_free(&d);
  if (e->code != ERR_OK) buf_reset(detail);
  return e->code;
}

int app_person_update(Ctx *c, int64_t id, const PersonInput *in, int64_t expected_version, Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  Buf detail = BUF_INIT;
  char org_path[ORG_PATH_MAX];
  Revealed rev;
  int rc = person_update_tx(c, id, in, expected_version, &detail, org_path, &rev, e);
  /* drug types, 三无 and the help team feed the risk grade; the unit, the rule */
  if (rc == ERR_OK && detail.len) rc = sup_refresh(c, id, e);
  if (rc != ERR_OK) {
    buf_reset(&detail);
    rc = app_fail(c, e);
    person_audit_revealed(c, &rev);
    return rc;
  }
  return app_commit(c, detail.len ? &(AppAudit){"update", "person", id, org_path, &detail} : NULL, e);
}

int person_five_knowns_write(Ctx *c, int64_t person_id, const char *const fk[PERSON_FIVE_KNOWNS], Err *e) {
  static const PersonFieldId fields[PERSON_FIVE_KNOWNS] = {PF_FK_BASICS, PF_FK_CONTACTS, PF_FK_FAMILY_ECONOMY,
                                                           PF_FK_STATE_OF_MIND, PF_FK_MOVEMENTS};
  PersonInput in;
  memset(&in, 0, sizeof in);
  bool any = false;
  for (int i = 0; i < PERSON_FIVE_KNOWNS; i++)
    if (fk[i] && *fk[i]) {
      in.has[fields[i]] = true;
      in.val[fields[i]] = fk[i];
      any = true;
    }
  if (!any) return ERR_OK;
  Buf detail = BUF_INIT;
  char org_path[ORG_PATH_MAX];
  Revealed rev; /* the ID number is not among the fields: nothing to reveal */
  int rc = person_update_tx(c, person_id, &in, 0, &detail, org_path, &rev, e);
  if (rc == ERR_OK && detail.len) rc = audit_write(c, "update", "person", person_id, org_path, buf_str(&detail), e);
  buf_reset(&detail);
  return rc;
}

/* ---- reading ----------------------------------------------------------- */

void person_free(Person *p) { store_person_row_free(p); }

int person_write_begin(Ctx *c, int64_t id, PersonRow *row, int64_t *id_out, Err *e) {
  if (id_out) *id_out = 0;
  memset(row, 0, sizeof *row);
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (store_person_get(c->db, id, c->actor->org_path, row, e) != ERR_OK) return app_fail(c, e);
  return ERR_OK;
}

int person_row_commit(Ctx *c, PersonRow *row, const AppAudit *a, Err *e) {
  int rc = app_commit(c, a, e);
  store_person_row_free(row);
  return rc;
}

int person_row_fail(Ctx *c, PersonRow *row, Err *e) {
  store_person_row_free(row);
  return app_fail(c, e);
}

int app_person_get(Ctx *c, int64_t id, Person *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (read_limit_take(c, "person", id, e) != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_person_get(c->db, id, c->actor->org_path, out, e);
  if (rc == ERR_OK) rc = store_person_team(c->db, id, &out->team, &out->nteam, e);
  if (rc == ERR_OK) rc = store_person_docs(c->db, id, &out->docs, &out->ndocs, e);
  if (rc == ERR_OK) rc = store_person_episodes(c->db, id, &out->episodes, &out->nepisodes, e);
  if ((rc = app_read_done(c, rc, e)) != ERR_OK) {
    person_free(out);
    return rc;
  }
  audit_read(c, "person", id, out->org_path);
  return ERR_OK;
}

/* ---- the responsible social worker ------------------------------------ */

/* true when account u may be responsible for a person at person_path:
 * active, a worker or cadre, its unit's subtree holding the person. */
static bool worker_fits(const UserRow *u, const char *person_path) {
  Role role = role_from_code(u->role);
  return u->active && (role == ROLE_WORKER || role == ROLE_CADRE) &&
         strncmp(person_path, u->org_path, strlen(u->org_path)) == 0;
}

int app_person_set_worker(Ctx *c, int64_t id, const char *username, Err *e) {
  PersonRow row;
  if (person_write_begin(c, id, &row, NULL, e) != ERR_OK) return e->code;
  UserRow u;
  memset(&u, 0, sizeof u);
  if (!username) username = "";
  if (strcmp(username, row.worker) == 0) { /* the worker it has: nothing to write */
    store_person_row_free(&row);
    return app_commit(c, NULL, e);
  }
  if (*username) {
    Err ue;
    err_clear(&ue);
    int rc = store_user_by_username(c->db, username, &u, &ue);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) {
      err_set(e, ue.code, ue.msg);
      goto failed;
    }
    if (rc == ERR_NOT_FOUND || !worker_fits(&u, row.org_path)) {
      err_field(e, "worker", M_WORKER);
      goto failed;
    }
  }
  if (store_person_set_worker(c->db, id, u.id, e) != ERR_OK) goto failed;
  /* the worker given the file is told, unless she took it herself */
  if (u.id > 0 && u.id != c->actor->user_id &&
      store_notice_add(c->db, u.id, "assigned", id, 0, c->now_iso, e) != ERR_OK)
    goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "fields", "worker");
  audit_detail_kv(&detail, "from_worker", row.worker);
  audit_detail_kv(&detail, "to_worker", u.username);
  return person_row_commit(c, &row, &(AppAudit){"update", "person", id, row.org_path, &detail}, e);
failed:
  return person_row_fail(c, &row, e);
}

int app_person_worker_candidates(Ctx *c, int64_t id, PersonWorker **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  PersonRow row;
  UserRow *users = NULL;
  int nusers = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = store_person_get(c->db, id, c->actor->org_path, &row, e);
  if (rc == ERR_OK) rc = store_user_workers_for(c->db, row.org_path, &users, &nusers, e);
  rc = app_read_done(c, rc, e);
  store_person_row_free(&row);
  if (rc != ERR_OK) {
    free(users);
    return rc;
  }
  PersonWorker *arr = nusers ? calloc((size_t)nusers, sizeof *arr) : NULL;
  if (nusers && !arr) abort();
  for (int i = 0; i < nusers; i++) {
    arr[i].id = users[i].id;
    snprintf(arr[i].username, sizeof arr[i].username, "%s", users[i].username);
    snprintf(arr[i].name, sizeof arr[i].name, "%s", users[i].display_name[0] ? users[i].display_name : users[i].username);
    arr[i].role = role_from_code(users[i].role);
  }
  free(users); /* rows of store_user_workers_for carry password hashes: never handed out */
  *out = arr;
  *n = nusers;
  return ERR_OK;
}

/* true when q can be the beginning of an ID number: digits, and an X only
 * as the 18th character. */
static bool id_prefix_like(const char *q) {
  size_t n = strlen(q);
  if (n == 0 || n > IDCARD_LEN) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = q[i];
    if (ch >= '0' && ch <= '9') continue;
    if ((ch == 'X' || ch == 'x') && i == IDCARD_LEN - 1) continue;
    return false;
  }
  return true;
}

const char *const person_sort_codes[PERSON_SORT_COUNT] = {
  [PSORT_ID] = "id", [PSORT_NAME] = "name", [PSORT_ID_NUMBER] = "id_number", [PSORT_ORG] = "org",
  [PSORT_STATUS] = "status", [PSORT_RISK] = "risk", [PSORT_TALK_DUE] = "talk_due", [PSORT_TEST_DUE] = "test_due",
  [PSORT_WORKER] = "worker",
};
_Static_assert(PERSON_SORT_COUNT == PSORT__COUNT, "person_sort_codes lists every PersonSort");

unsigned app_person_incomplete_checks(void) { return PL_MISSING_STATUS | PL_MISSING_TEAM | PL_MISSING_AGREEMENT; }

int app_person_worker_options(Ctx *c, PersonWorker **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  UserRow *users = NULL;
  int nusers = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, store_user_list_scope(c->db, c->actor->org_path, &users, &nusers, e), e);
  if (rc != ERR_OK) return rc;
  PersonWorker *arr = nusers ? calloc((size_t)nusers, sizeof *arr) : NULL;
  if (nusers && !arr) abort();
  int k = 0;
  for (int i = 0; i < nusers; i++) {
    Role role = role_from_code(users[i].role);
    if (role != ROLE_WORKER && role != ROLE_CADRE) continue;
    arr[k].id = users[i].id;
    snprintf(arr[k].username, sizeof arr[k].username, "%s", users[i].username);
    snprintf(arr[k].name, sizeof arr[k].name, "%s", users[i].display_name[0] ? users[i].display_name : users[i].username);
    arr[k++].role = role;
  }
  free(users); /* (rows of store/ carry password hashes: never handed out) */
  *out = arr;
  *n = k;
  return ERR_OK;
}

/* Fills the filters and order of f from q beyond the text search and the
 * unit (the worker looked up by username); a bad value is a field error of
 * its name in e (returned). */
static int person_list_filters(Ctx *c, const PersonQuery *q, PersonListFilter *f, Err *e) {
  if (q->status && *q->status) {
    if (status_from_code(q->status) == ST_NONE) err_field(e, "status", M_BAD_STATUS);
    f->status = q->status;
  }
  if (q->control && *q->control) {
    if (strcmp(q->control, "in_control") != 0 && strcmp(q->control, "lost_contact") != 0 &&
        strcmp(q->control, "closed") != 0)
      err_field(e, "control", "请选择有效的在控情况");
    f->control = q->control;
  }
  if (q->risk && *q->risk) {
    if (strcmp(q->risk, "none") == 0) f->risk = "";
    else if (risk_from_code(q->risk) == RISK_NONE) err_field(e, "risk", "请选择有效的风险等级");
    else f->risk = q->risk;
  }
  if (q->worker && *q->worker) {
    if (strcmp(q->worker, "none") == 0) {
      f->worker_id = -1;
    } else if (strcmp(q->worker, "me") == 0) {
      f->worker_id = c->actor->user_id > 0 ? c->actor->user_id : -2; /* (the command line has no cases) */
    } else {
      UserRow u;
      Err ue;
      err_clear(&ue);
      int rc = app_user_name_ok(q->worker) ? store_user_by_username(c->db, q->worker, &u, &ue) : ERR_NOT_FOUND;
      if (rc == ERR_OK && actor_in_scope(c->actor, u.org_path)) f->worker_id = u.id;
      else if (rc == ERR_OK || rc == ERR_NOT_FOUND) err_field(e, "worker", "责任社工不存在");
      else return err_set(e, ue.code, ue.msg);
    }
  }
  if (q->incomplete) f->incomplete = app_person_incomplete_checks();
  if (q->complete && *q->complete) {
    unsigned off = 0;
    if (strcmp(q->complete, "1") != 0 && strcmp(q->complete, "0") != 0) err_field(e, "complete", "应为 0 或 1");
    else if (store_file_rule_off(c->db, &off, e) != ERR_OK) return e->code;
    else {
      f->complete = q->complete[0] == '1' ? 1 : 2;
      f->complete_talk = !(off & CF_TALK);
      date_format(c->today, f->today);
    }
  }
  if (q->sort && *q->sort) {
    int k = 0;
    while (k < PERSON_SORT_COUNT && strcmp(person_sort_codes[k], q->sort) != 0) k++;
    if (k == PERSON_SORT_COUNT) err_field(e, "sort", "排序字段无效");
    else f->sort = (PersonSort)k;
  }
  f->desc = f->sort == PSORT_ID;
  if (q->order && *q->order) {
    if (strcmp(q->order, "asc") != 0 && strcmp(q->order, "desc") != 0) err_field(e, "order", "排序方向无效");
    f->desc = strcmp(q->order, "desc") == 0;
  }
  return e->code;
}

int app_person_list(Ctx *c, const PersonQuery *q, PersonSummary **items, int *n, int64_t *total, Err *e) {
  *items = NULL;
  *n = 0;
  *total = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  int per_page = q->per_page < 1 ? 20 : q->per_page > 200 ? 200 : q->per_page;
  int page = q->page < 1 ? 1 : q->page;
  PersonListFilter f = {.scope = c->actor->org_path,
                        .limit = per_page,
                        .offset = (int64_t)(page - 1) * per_page};
  if (f.offset >= PERSON_LIST_COUNT_CAP) return err_field(e, "page", "翻页过深，请用姓名、身份证号、状态或单位缩小查询范围");
  if (person_list_filters(c, q, &f, e) != ERR_OK) return e->code;
  if (f.worker_id == -2) return ERR_OK; /* nobody's cases: an empty list */
  OrgUnit org;
  if (q->org_code && *q->org_code) {
    int rc = org_in_scope(c, q->org_code, &org, e);
    if (rc == ERR_NOT_FOUND) return err_field(e, "org", M_ORG_SCOPE);
    if (rc != ERR_OK) return rc;
    f.scope = org.path;
  }
  char *text = trim_dup(q->q);
  char idq[IDCARD_LEN + 1] = "";
  if (id_prefix_like(text)) { /* digits (and a final X): an ID number; names never look so */
    idcard_normalize(text, idq);
    f.id_prefix = idq;
  } else if (*text) {
    f.name_prefix = text;
  }
  if (db_begin_read(c->db, e) != ERR_OK) {
    free(text);
    return e->code;
  }
  int rc = app_read_done(c, store_person_list(c->db, &f, items, n, total, e), e);
  free(text);
  if (rc != ERR_OK) {
    *total = 0;
    return rc;
  }
  for (int i = 0; i < *n; i++) { /* a list shows ID numbers masked */
    char full[sizeof (*items)[i].id_number];
    memcpy(full, (*items)[i].id_number, sizeof full);
    idcard_mask(full, (*items)[i].id_number);
  }
  return ERR_OK;
}

/* ---- status episodes --------------------------------------------------- */

/* The episodes that stand (not voided), in the order of the history: a
 * correction takes the place of the episode it corrects (the first row of
 * its chain), as in core/derived.h. Writes the indexes into order[] and
 * returns how many. */
static int episodes_standing(const EpisodeRow *eps, int n, int *order) {
  int64_t *root = malloc(sizeof *root * (size_t)(n ? n : 1));
  if (!root) abort();
  for (int i = 0; i < n; i++) {
    root[i] = eps[i].id;
    for (int j = 0; j < i && eps[i].corrects_id; j++)
      if (eps[j].id == eps[i].corrects_id) root[i] = root[j];
  }
  int k = 0;
  for (int i = 0; i < n; i++)
    if (!eps[i].voided) order[k++] = i;
  /* Insertion sort by root (a person has few episodes). */
  for (int i = 1; i < k; i++) {
    int x = order[i], j = i - 1;
    while (j >= 0 && root[order[j]] > root[x]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
  free(root);
  return k;
}

/* Recomputes the person's current status from the stored episodes by the
 * rule of core/derived.h (the one `jindu doctor` checks) and writes it to
 * the person row. */
static int person_status_refresh(Ctx *c, int64_t id, Err *e) {
  EpisodeRow *eps = NULL;
  int n = 0;
  if (store_person_episodes(c->db, id, &eps, &n, e) != ERR_OK) return e->code;
  DerivedEpisode *view = malloc(sizeof *view * (size_t)(n ? n : 1));
  if (!view) abort();
  for (int i = 0; i < n; i++)
    view[i] = (DerivedEpisode){eps[i].id, eps[i].corrects_id, eps[i].status, eps[i].decision_date,
                               eps[i].start_date, eps[i].created_at};
  char status[DERIVED_STATUS_LEN], since[DATE_ISO_LEN];
  derived_status(view, n, status, since);
  int rc = store_person_set_status(c->db, id, status, since, c->now_iso, e);
  free(view);
  store_person_episodes_free(eps, n);
  return rc;
}

/* Appends the status episode in (status to, checked) to person id, with
 * its planned end by the legal length, and writes the person's current
 * status; *ep_id gets the episode. Does not refresh the supervision fields. */
static int person_episode_write(Ctx *c, int64_t id, const StatusInput *in, Status to, int64_t *ep_id, Err *e) {
  char planned[DATE_ISO_LEN] = "";
  Day start, end;
  if (in->planned_end && *in->planned_end) /* checked by status_input_check */
    snprintf(planned, sizeof planned, "%s", in->planned_end);
  else if (in->start_date && *in->start_date && date_parse(in->start_date, &start) &&
           status_planned_end(to, start, &end))
    date_format(end, planned);
  EpisodeIn ep = {.status = status_code(to),
                  .decision_date = in->decision_date,
                  .start_date = in->start_date,
                  .decision_no = in->decision_no,
                  .planned_end = planned,
                  .note = in->note,
                  .corrects_id = in->corrects_id};
  if (store_person_episode_add(c->db, id, &ep, c->actor->user_id, c->now_iso, ep_id, e) != ERR_OK) return e->code;
  return person_status_refresh(c, id, e);
}

/* Checks a status input by status_record, and a start before the
 * decision; *to gets the status. Needs no database. */
static void status_input_check(Ctx *c, const StatusInput *in, Status *to, Err *e) {
  *to = status_from_code(in->status);
  field_check_record(&status_record, in, c->today, e);
  Day dec, start;
  if (!err_field_msg(e, "decision_date") && !err_field_msg(e, "start_date") && in->decision_date &&
      date_parse(in->decision_date, &dec) && in->start_date && date_parse(in->start_date, &start) && start < dec)
    err_field(e, "start_date", M_START_BEFORE_DECISION);
  if (in->corrects_id < 0) err_field(e, "corrects_id", M_CORRECTS);
  Day pe;
  if (in->planned_end && *in->planned_end && !err_field_msg(e, "planned_end") && date_parse(in->planned_end, &pe)) {
    if (!status_is_custodial(*to)) err_field(e, "planned_end", M_PLANNED_END_STATUS);
    else if ((in->start_date && date_parse(in->start_date, &start) && pe < start) ||
             (in->decision_date && date_parse(in->decision_date, &dec) && pe < dec))
      err_field(e, "planned_end", M_PLANNED_END_BEFORE);
  }
}

int app_person_add_status(Ctx *c, int64_t id, const StatusInput *in, int64_t *episode_id_out, Err *e) {
  PersonRow row;
  if (person_write_begin(c, id, &row, episode_id_out, e) != ERR_OK) return e->code;
  EpisodeRow *eps = NULL;
  int neps = 0;
  int *order = NULL;
  Status to;
  status_input_check(c, in, &to, e);
  if (e->code != ERR_OK) goto failed;
  if (store_person_episodes(c->db, id, &eps, &neps, e) != ERR_OK) goto failed;
  order = malloc(sizeof *order * (size_t)(neps ? neps : 1));
  if (!order) abort();
  int k = episodes_standing(eps, neps, order);

  /* The status before the new row, and the one after it (corrections of an
   * earlier episode must still lead to the episodes that follow it). */
  Status from = ST_NONE, next = ST_NONE;
  if (in->corrects_id > 0) {
    int pos = -1;
    for (int i = 0; i < k; i++)
      if (eps[order[i]].id == in->corrects_id) pos = i;
    if (pos < 0) { /* not this person's, or already corrected */
      err_field(e, "corrects_id", M_CORRECTS);
      goto failed;
    }
    if (pos > 0) from = status_from_code(eps[order[pos - 1]].status);
    if (pos + 1 < k) next = status_from_code(eps[order[pos + 1]].status);
  } else if (k > 0) {
    from = status_from_code(eps[order[k - 1]].status);
  }
  if (!status_transition_allowed(from, to)) {
    err_field(e, "status", M_TRANSITION);
    goto failed;
  }
  if (next != ST_NONE && !status_transition_allowed(to, next)) {
    err_field(e, "status", M_TRANSITION_NEXT);
    goto failed;
  }

  int64_t ep_id = 0;
  if (person_episode_write(c, id, in, to, &ep_id, e) != ERR_OK || sup_refresh(c, id, e) != ERR_OK) goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "status", status_code(to));
  audit_detail_int(&detail, "episode", ep_id);
  if (in->corrects_id > 0) audit_detail_int(&detail, "corrects", in->corrects_id);
  free(order);
  store_person_episodes_free(eps, neps);
  int rc = person_row_commit(c, &row, &(AppAudit){"status", "person", id, row.org_path, &detail}, e);
  if (rc == ERR_OK && episode_id_out) *episode_id_out = ep_id;
  return rc;
failed:
  free(order);
  store_person_episodes_free(eps, neps);
  return person_row_fail(c, &row, e);
}

/* ---- documents --------------------------------------------------------- */

int app_person_add_doc(Ctx *c, int64_t id, const DocInput *in, Err *e) {
  PersonRow row;
  if (person_write_begin(c, id, &row, NULL, e) != ERR_OK) return e->code;
  field_check_record(&doc_record, in, c->today, e);
  if (e->code != ERR_OK) goto failed;
  int64_t doc_id = 0;
  if (store_person_doc_add(c->db, id, in->kind, in->signed_date, in->number, c->now_iso, &doc_id, e) != ERR_OK ||
      stats_refresh(c, id, e) != ERR_OK) /* an agreement counts in the file's completeness */
    goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "kind", in->kind);
  audit_detail_int(&detail, "doc", doc_id);
  return person_row_commit(c, &row, &(AppAudit){"doc", "person", id, row.org_path, &detail}, e);
failed:
  return person_row_fail(c, &row, e);
}

/* ---- the correction of a wrongly entered community -------------------- */

static const FieldSpec org_correction_fields[] = {
  {FIELD_AT(OrgCorrectionInput, org), .label_zh = "正确的责任社区", .kind = FK_TEXT, .required = true,
   FIELD_CHARS(64)},
  {FIELD_AT(OrgCorrectionInput, reason), .label_zh = "更正理由", .kind = FK_LONG, .required = true,
   FIELD_CHARS(500)},
};
const RecordSpec org_correction_record = RECORD_SPEC("org_correction", org_correction_fields);

int app_person_org_correct(Ctx *c, int64_t id, const OrgCorrectionInput *given, Err *e) {
  if (c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_OFFICE) return err_set(e, ERR_FORBIDDEN, M_ORG_FIX_ROLE);
  PersonRow row;
  if (person_write_begin(c, id, &row, NULL, e) != ERR_OK) return e->code;
  HelpMemberRow *team = NULL;
  int nteam = 0;
  char *snapshot = NULL;
  char *org_t = trim_dup(given->org), *reason_t = trim_dup(given->reason); /* blank is empty */
  const OrgCorrectionInput *in = &(OrgCorrectionInput){org_t, reason_t};
  field_check_record(&org_correction_record, in, c->today, e);
  OrgUnit org;
  if (!err_field_msg(e, "org") && check_org(c, in->org, &org, e) && org.id == row.org_id)
    err_field(e, "org", M_ORG_SAME);
  if (e->code != ERR_OK) goto failed;
  bool pending;
  if (store_approval_pending(c->db, id, "transfer", &pending, e) != ERR_OK) goto failed;
  if (pending) {
    err_set(e, ERR_CONFLICT, M_ORG_FIX_PENDING);
    goto failed;
  }
  /* the file as it was, kept as a revision; then the unit (the
   * responsible worker, of the wrong community, is cleared) */
  if (store_person_team(c->db, id, &team, &nteam, e) != ERR_OK) goto failed;
  snapshot = person_snapshot(&row, team, nteam);
  if (store_person_revision_add(c->db, id, row.version, snapshot, c->actor->user_id, c->now_iso, e) != ERR_OK ||
      store_sup_person_move(c->db, id, org.id, org.path, c->now_iso, e) != ERR_OK || sup_refresh(c, id, e) != ERR_OK)
    goto failed;
  Buf detail = BUF_INIT;
  audit_detail_kv(&detail, "from_org", row.org_code);
  audit_detail_kv(&detail, "to_org", org.code);
  audit_detail_kv(&detail, "reason", in->reason);
  if (row.worker_id) audit_detail_kv(&detail, "from_worker", row.worker);
  free(snapshot);
  store_person_team_free(team, nteam);
  free(org_t);
  free(reason_t);
  return person_row_commit(c, &row, &(AppAudit){"org_correct", "person", id, org.path, &detail}, e);
failed:
  free(snapshot);
  store_person_team_free(team, nteam);
  free(org_t);
  free(reason_t);
  return person_row_fail(c, &row, e);
}
