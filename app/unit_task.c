/* app/unit_task.c: owns the unit-task use cases (see app/unit_task.h): unit
 * work records, the rhythms set on units, and the computation of the
 * tasks due over a scope (rules resolved down the tree in memory, records
 * and submitted periods read once for the whole scope); also the step
 * unit_record_org (app/steps.h). */
#include "app/unit_task.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "core/unit_vocab.h"
#include "store/org.h"

#define M_FORBIDDEN "没有权限执行此操作"
#define M_NOT_FOUND "记录不存在"
#define M_NO_ORG "组织单位不存在"
#define M_ORG_REQUIRED "请选择单位"
#define M_ORG_SCOPE "所选单位不存在或不在您的管辖范围内"
#define M_TASK "请选择有效的任务"
#define M_LEVEL_ABOVE "适用层级不能高于所设置的单位"
#define M_DS_LEVEL "数据集任务的适用层级应与数据集的填报单位一致"
#define M_DS_PERIOD "数据集任务的频次应与数据集的填报周期一致"
#define M_DS_ONCE "数据集每期上报一次"
#define M_RHYTHM_NONE "该单位没有自行设置这项任务"
#define M_DATE "日期格式应为 YYYY-MM-DD"

static const FieldSpec unit_work_fields[] = {
  {FIELD_AT(UnitWorkInput, org), .label_zh = "单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(UnitWorkInput, kind), .label_zh = "工作类型", .kind = FK_ENUM, .vocab = unit_task_vocab,
   .required = true, .msg = "请选择工作类型"},
  {FIELD_AT(UnitWorkInput, date), .label_zh = "日期", .kind = FK_DATE, .required = true, .flags = FF_NOT_FUTURE},
  {FIELD_AT(UnitWorkInput, title), .label_zh = "主题", .kind = FK_TEXT, FIELD_CHARS(UNIT_WORK_TITLE_CHARS)},
  {FIELD_AT(UnitWorkInput, notes), .label_zh = "情况说明", .kind = FK_LONG, FIELD_CHARS(UNIT_WORK_NOTES_CHARS)},
};
const RecordSpec unit_work_record = RECORD_SPEC("unit_work", unit_work_fields);

static const FieldSpec unit_rhythm_fields[] = {
  {FIELD_AT(UnitRhythmInput, org), .label_zh = "设置单位", .kind = FK_TEXT, FIELD_CHARS(64)},
  {FIELD_AT(UnitRhythmInput, task), .label_zh = "任务", .kind = FK_TEXT, FIELD_CHARS(40), .required = true},
  {FIELD_AT(UnitRhythmInput, level), .label_zh = "适用单位层级", .kind = FK_ENUM, .vocab = unit_level_vocab,
   .required = true, .msg = "请选择适用单位层级"},
  {FIELD_AT(UnitRhythmInput, period_type), .label_zh = "频次", .kind = FK_ENUM, .vocab = rhythm_period_vocab,
   .required = true, .msg = "请选择频次"},
  {FIELD_AT(UnitRhythmInput, per_period), .label_zh = "每期次数", .kind = FK_INT, FIELD_RANGE(1, 99)},
  {FIELD_AT(UnitRhythmInput, since), .label_zh = "起算日期", .kind = FK_DATE},
};
const RecordSpec unit_rhythm_record = RECORD_SPEC("unit_rhythm", unit_rhythm_fields);

const char *unit_task_name_zh(const char *task) {
  if (task && strncmp(task, UNIT_TASK_DATASET, strlen(UNIT_TASK_DATASET)) == 0) return "数据填报";
  const char *s = unit_term_label(unit_task_vocab, task);
  return s ? s : "";
}

int unit_record_org(Ctx *c, const char *code, OrgUnit *out, Err *e) {
  if (err_field_msg(e, "org")) return ERR_INVALID; /* the table's own message stands */
  if (!code || !*code) return err_field(e, "org", M_ORG_REQUIRED);
  Err le;
  err_clear(&le);
  int rc = store_org_by_code(c->db, code, out, &le);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return err_set(e, rc, le.msg);
  if (rc != ERR_OK || !actor_in_scope(c->actor, out->path)) return err_field(e, "org", M_ORG_SCOPE);
  return ERR_OK;
}

int unit_scope_org(Ctx *c, const char *code, OrgUnit *out, Err *e) {
  Err le;
  err_clear(&le);
  int rc = store_org_by_code(c->db, code && *code ? code : c->actor->org_code, out, &le);
  if (rc == ERR_NOT_FOUND && !(code && *code) && strcmp(c->actor->org_path, "/") == 0) {
    memset(out, 0, sizeof *out); /* the command line: everything */
    str_copy(out->path, sizeof out->path, "/");
    return ERR_OK;
  }
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return err_set(e, rc, le.msg);
  if (rc != ERR_OK || !actor_in_scope(c->actor, out->path)) return err_set(e, ERR_NOT_FOUND, M_NO_ORG);
  return ERR_OK;
}

/* ---- unit work records ----------------------------------------------------------- */

int app_unit_work_add(Ctx *c, const UnitWorkInput *in, int64_t *id, Err *e) {
  if (id) *id = 0;
  if (!actor_can(c->actor, PERM_PERSON_WRITE)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org;
  field_check_record(&unit_work_record, in, c->today, e);
  if (unit_record_org(c, in->org, &org, e) != ERR_OK || e->code != ERR_OK) return app_fail(c, e);
  UnitWorkIn w = {org.id, in->kind, in->date, in->title, in->notes};
  int64_t wid;
  if (store_unit_work_add(c->db, &w, c->actor->user_id, c->now_iso, &wid, e) != ERR_OK) return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kvs(&d, "kind", in->kind, "date", in->date, "org", org.code, NULL);
  return app_commit_new(c, &(AppAudit){"create", "unit_work", wid, org.path, &d}, id, e);
}

int app_unit_work_get(Ctx *c, int64_t id, UnitWorkRow *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (app_read_begin(c, PERM_PERSON_READ, e) != ERR_OK) return e->code;
  return unit_record_done(c, store_unit_work_get(c->db, id, out, e), out->org_path, out, sizeof *out, e);
}

int unit_list_paging(const char *from, const char *to, int page, int per_page, int64_t *limit, int64_t *offset,
                     Err *e) {
  if (from && *from && !date_parse(from, NULL)) err_field(e, "from", M_DATE);
  if (to && *to && !date_parse(to, NULL)) err_field(e, "to", M_DATE);
  *limit = per_page < 1 ? 50 : per_page > UNIT_LIST_MAX ? UNIT_LIST_MAX : per_page;
  *offset = (int64_t)(page < 1 ? 0 : page - 1) * *limit;
  return e->code;
}

int unit_list_begin(Ctx *c, const char *code, const char *from, const char *to, int page, int per_page, UnitList *l,
                    Err *e) {
  if (unit_list_paging(from, to, page, per_page, &l->limit, &l->offset, e) != ERR_OK) return e->code;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = unit_scope_org(c, code, &l->org, e);
  return rc == ERR_OK ? ERR_OK : app_read_done(c, rc, e);
}

int record_in_scope(Ctx *c, int rc, const char *org_path, void *out, size_t sz, void (*drop)(void *), Err *e) {
  if (rc != ERR_OK || actor_in_scope(c->actor, org_path)) return rc;
  if (drop) drop(out);
  memset(out, 0, sz);
  return err_set(e, ERR_NOT_FOUND, M_NOT_FOUND);
}

int unit_record_done(Ctx *c, int rc, const char *org_path, void *out, size_t sz, Err *e) {
  rc = app_read_done(c, record_in_scope(c, rc, org_path, out, sz, NULL, e), e);
  if (rc != ERR_OK) memset(out, 0, sz);
  return rc;
}

int app_unit_work_list(Ctx *c, const UnitWorkQuery *q, UnitWorkRow **out, int *n, int64_t *total, Err *e) {
  *out = NULL;
  *n = 0;
  *total = 0;
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (q->kind && *q->kind && !unit_term_known(unit_task_vocab, q->kind)) err_field(e, "kind", "请选择工作类型");
  UnitList l;
  if (unit_list_begin(c, q->org, q->from, q->to, q->page, q->per_page, &l, e) != ERR_OK) return e->code;
  UnitWorkFilter f = {l.org.path, q->kind, q->from, q->to, l.limit, l.offset, q->each};
  return app_read_done(c, store_unit_work_list(c->db, &f, out, n, total, e), e);
}

/* ---- rhythms -------------------------------------------------------------------- */

/* The rank of a level: county 0, street 1, community 2; -1 when unknown. */
static int ut_rank(const char *level) { return unit_term_index(unit_level_vocab, level); }

/* The rights and the unit of a rhythm change: admin or office, the unit in
 * scope. Inside the caller's transaction. */
static int ut_rhythm_org(Ctx *c, const char *code, OrgUnit *org, Err *e) {
  if (c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_OFFICE) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Err le;
  err_clear(&le);
  int rc = code && *code ? store_org_by_code(c->db, code, org, &le) : ERR_NOT_FOUND;
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return err_set(e, rc, le.msg);
  if (rc != ERR_OK || !actor_in_scope(c->actor, org->path)) return err_set(e, ERR_NOT_FOUND, M_NO_ORG);
  return ERR_OK;
}

int app_unit_rhythm_set(Ctx *c, const UnitRhythmInput *in, bool *created, Err *e) {
  if (created) *created = false;
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org;
  if (ut_rhythm_org(c, in->org, &org, e) != ERR_OK) return app_fail(c, e);
  field_check_record(&unit_rhythm_record, in, c->today, e);
  int per = in->per_period > 0 ? (int)in->per_period : 1;
  const char *task = in->task ? in->task : "";
  size_t pre = strlen(UNIT_TASK_DATASET);
  if (strncmp(task, UNIT_TASK_DATASET, pre) == 0) {
    DatasetDef def;
    Err le;
    err_clear(&le);
    int rc = store_dataset_def(c->db, task + pre, &def, &le);
    if (rc == ERR_NOT_FOUND) err_field(e, "task", M_TASK);
    else if (rc != ERR_OK) {
      err_set(e, rc, le.msg);
      return app_fail(c, e);
    } else {
      if (in->level && strcmp(in->level, def.level) != 0) err_field(e, "level", M_DS_LEVEL);
      if (in->period_type && strcmp(in->period_type, "none") != 0 &&
          strcmp(in->period_type, period_type_code(def.period_type)) != 0)
        err_field(e, "period_type", M_DS_PERIOD);
      if (per != 1) err_field(e, "per_period", M_DS_ONCE);
    }
  } else if (*task && !unit_term_known(unit_task_vocab, task)) {
    err_field(e, "task", M_TASK);
  }
  if (in->level && ut_rank(in->level) >= 0 && ut_rank(in->level) < ut_rank(org.level))
    err_field(e, "level", M_LEVEL_ABOVE);
  if (e->code != ERR_OK) return app_fail(c, e);
  char since[DATE_ISO_LEN];
  if (in->since && *in->since) str_copy(since, sizeof since, in->since);
  else date_format(c->today, since);
  bool is_new;
  if (store_unit_rhythm_put(c->db, org.id, task, in->level, in->period_type, per, since, c->actor->user_id,
                            c->now_iso, &is_new, e) != ERR_OK)
    return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "task", task);
  audit_detail_kv(&d, "level", in->level);
  audit_detail_kv(&d, "period_type", in->period_type);
  audit_detail_int(&d, "per_period", per);
  audit_detail_kv(&d, "since", since);
  int rc = app_commit(c, &(AppAudit){"set", "unit_rhythm", org.id, org.path, &d}, e);
  if (rc == ERR_OK && created) *created = is_new;
  return rc;
}

int app_unit_rhythm_clear(Ctx *c, const char *org_code, const char *task, const char *level, Err *e) {
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit org;
  bool found = false;
  if (ut_rhythm_org(c, org_code, &org, e) != ERR_OK ||
      store_unit_rhythm_delete(c->db, org.id, task ? task : "", level ? level : "", &found, e) != ERR_OK)
    return app_fail(c, e);
  if (!found) {
    err_set(e, ERR_NOT_FOUND, M_RHYTHM_NONE);
    return app_fail(c, e);
  }
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "task", task);
  audit_detail_kv(&d, "level", level);
  return app_commit(c, &(AppAudit){"clear", "unit_rhythm", org.id, org.path, &d}, e);
}

/* true when rule r bears on the actor's scope: set in it or above it. */
static bool ut_rule_bears(const Actor *a, const UnitRhythmRow *r) {
  return actor_in_scope(a, r->org_path) || strncmp(a->org_path, r->org_path, strlen(r->org_path)) == 0;
}

int app_unit_rhythm_list(Ctx *c, UnitRhythmRow **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (app_read_begin(c, PERM_LOGGED_IN, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, store_unit_rhythm_all(c->db, out, n, e), e);
  if (rc != ERR_OK) return rc;
  int k = 0;
  for (int i = 0; i < *n; i++)
    if (ut_rule_bears(c->actor, &(*out)[i])) (*out)[k++] = (*out)[i];
  *n = k;
  return ERR_OK;
}

/* ---- the tasks due ---------------------------------------------------------------- */

/* Orders items: overdue first (most days first), then due (soonest
 * first); ties keep the order of the units and tasks (a stable key). */
typedef struct UtSortItem {
  UnitTaskItem it;
  int seq;
} UtSortItem;

static int ut_item_cmp(const void *a, const void *b) {
  const UtSortItem *x = a, *y = b;
  if (x->it.item.state != y->it.item.state) return x->it.item.state == RHYTHM_OVERDUE ? -1 : 1;
  if (x->it.item.state == RHYTHM_OVERDUE && x->it.item.days_overdue != y->it.item.days_overdue)
    return x->it.item.days_overdue > y->it.item.days_overdue ? -1 : 1;
  if (x->it.item.due != y->it.item.due) return x->it.item.due < y->it.item.due ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first of the n rows (sorted by org_id, each sz bytes, org_id their
 * first member) of unit id, and *count of them. */
static const void *ut_slice(const void *rows, int n, size_t sz, int64_t id, int *count) {
  const char *base = rows;
  int lo = 0, hi = n;
  while (lo < hi) { /* the first row with org_id >= id */
    int mid = (lo + hi) / 2;
    int64_t v;
    memcpy(&v, base + (size_t)mid * sz, sizeof v);
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  int k = lo;
  for (; k < n; k++) {
    int64_t v;
    memcpy(&v, base + (size_t)k * sz, sizeof v);
    if (v != id) break;
  }
  *count = k - lo;
  return base + (size_t)lo * sz;
}

/* Everything the evaluation of a scope reads once. */
typedef struct UtScope {
  UnitRhythmRow *rules;
  int nrules;
  RhythmRule *rr;
  int *firsts;  /* the rules that are the first of their (task, level) */
  int nfirsts;
  DatasetDef *defs;
  int ndefs;
  UnitWorkDay *work;
  int nwork;
  DatasetSubmitted *sub;
  int nsub;
  Day *days; /* scratch: the days of one unit's records */
  int cap;
} UtScope;

static void ut_scope_free(UtScope *s) {
  free(s->rules);
  free(s->rr);
  free(s->firsts);
  free(s->defs);
  free(s->work);
  free(s->sub);
  free(s->days);
}

/* The data set of task, or NULL when it is no data set's. */
static const DatasetDef *ut_task_def(const UtScope *s, const char *task) {
  size_t pre = strlen(UNIT_TASK_DATASET);
  if (strncmp(task, UNIT_TASK_DATASET, pre) != 0) return NULL;
  for (int i = 0; i < s->ndefs; i++)
    if (strcmp(s->defs[i].name, task + pre) == 0) return &s->defs[i];
  return NULL;
}

/* Collects into s->days the days that clear task for unit u: its records
 * of that kind, or the first days of the periods of the data set def it
 * submitted. Returns how many. */
static int ut_done_days(UtScope *s, const OrgUnit *u, const char *task, const DatasetDef *def) {
  int n = 0, count;
  if (def) {
    const DatasetSubmitted *sub = ut_slice(s->sub, s->nsub, sizeof *s->sub, u->id, &count);
    for (int i = 0; i < count; i++) {
      Period p;
      if (strcmp(sub[i].dataset, def->name) != 0 || !period_parse(sub[i].period, &p)) continue;
      s->days = array_grow(s->days, n, &s->cap, sizeof *s->days);
      s->days[n++] = period_first_day(p);
    }
  } else {
    const UnitWorkDay *w = ut_slice(s->work, s->nwork, sizeof *s->work, u->id, &count);
    for (int i = 0; i < count; i++) {
      if (strcmp(w[i].kind, task) != 0) continue;
      s->days = array_grow(s->days, n, &s->cap, sizeof *s->days);
      s->days[n++] = w[i].day;
    }
  }
  return n;
}

/* Appends the items of unit u for every task that applies to it. */
static void ut_unit_items(UtScope *s, const OrgUnit *u, Day asof, UtSortItem **items, int *n, int *cap) {
  int64_t chain[RHYTHM_DEPTH_MAX];
  int depth = rhythm_path_chain(u->path, chain, RHYTHM_DEPTH_MAX);
  for (int f = 0; f < s->nfirsts; f++) {
    const UnitRhythmRow *rule = &s->rules[s->firsts[f]];
    if (strcmp(rule->level, u->level) != 0) continue;
    int k = rhythm_resolve(s->rr, s->nrules, chain, depth, rule->task, u->level);
    if (k < 0) continue;
    const UnitRhythmRow *applies = &s->rules[k];
    const DatasetDef *def = ut_task_def(s, applies->task);
    PeriodType type;
    if (!period_type_from_code(applies->period_type, &type)) continue; /* "none" */
    Rhythm r = {type, applies->per_period, 0, false};
    if (def) r = (Rhythm){def->period_type, 1, def->due_days, true};
    else if (!unit_term_label(unit_task_vocab, applies->task)) continue; /* a set no longer defined */
    Day since;
    if (!rhythm_valid(&r) || !date_parse(applies->since, &since)) continue;
    int nd = ut_done_days(s, u, applies->task, def);
    RhythmItem got[2];
    int ng = rhythm_eval(&r, since, asof, s->days, nd, got);
    for (int g = 0; g < ng; g++) {
      *items = array_grow(*items, *n, cap, sizeof **items);
      UtSortItem *x = &(*items)[*n];
      memset(x, 0, sizeof *x);
      x->seq = *n;
      (*n)++;
      UnitTaskItem *it = &x->it;
      str_copy(it->org_code, sizeof it->org_code, u->code);
      str_copy(it->org_name, sizeof it->org_name, u->name);
      str_copy(it->task, sizeof it->task, applies->task);
      if (def) str_copy(it->dataset, sizeof it->dataset, def->name);
      str_copy(it->label, sizeof it->label, def ? def->title : unit_task_name_zh(applies->task));
      it->item = got[g];
      period_format(got[g].period, it->period);
    }
  }
}

int app_unit_tasks(Ctx *c, const UnitTaskQuery *q, UnitTaskItem **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  if (!actor_can(c->actor, PERM_LOGGED_IN)) return err_set(e, ERR_FORBIDDEN, M_FORBIDDEN);
  Day asof = c->today;
  if (q->date && *q->date && !date_parse(q->date, &asof)) return err_field(e, "date", M_DATE);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  OrgUnit scope;
  UtScope s = {0};
  OrgUnit *units = NULL;
  int nunits = 0;
  char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
  date_format(asof - 2 * RHYTHM_LOOKBACK_DAYS - 1, from);
  date_format(asof, to);
  int rc = unit_scope_org(c, q->org, &scope, e);
  if (rc == ERR_OK) rc = store_unit_rhythm_all(c->db, &s.rules, &s.nrules, e);
  if (rc == ERR_OK && s.nrules > 0) { /* nothing is asked anywhere: nothing else to read */
    rc = store_org_list_scope(c->db, scope.path, &units, &nunits, e);
    if (rc == ERR_OK) rc = store_dataset_defs(c->db, &s.defs, &s.ndefs, e);
    if (rc == ERR_OK) rc = store_unit_work_days(c->db, scope.path, from, to, &s.work, &s.nwork, e);
    if (rc == ERR_OK) rc = store_dataset_submitted(c->db, scope.path, &s.sub, &s.nsub, e);
  }
  rc = app_read_done(c, rc, e);
  UtSortItem *items = NULL;
  int ni = 0, cap = 0;
  if (rc == ERR_OK && s.nrules > 0) {
    s.rr = calloc((size_t)s.nrules, sizeof *s.rr);
    s.firsts = calloc((size_t)s.nrules, sizeof *s.firsts);
    if (!s.rr || !s.firsts) abort();
    for (int i = 0; i < s.nrules; i++) {
      s.rr[i] = (RhythmRule){s.rules[i].org_id, s.rules[i].task, s.rules[i].level};
      bool seen = false; /* each (task, level) once */
      for (int j = 0; j < i && !seen; j++)
        seen = strcmp(s.rules[j].task, s.rules[i].task) == 0 && strcmp(s.rules[j].level, s.rules[i].level) == 0;
      if (!seen) s.firsts[s.nfirsts++] = i;
    }
    for (int i = 0; i < nunits; i++) ut_unit_items(&s, &units[i], asof, &items, &ni, &cap);
    if (ni > 1) qsort(items, (size_t)ni, sizeof *items, ut_item_cmp);
    if (ni > 0) {
      *out = malloc(sizeof **out * (size_t)ni);
      if (!*out) abort();
      for (int i = 0; i < ni; i++) (*out)[i] = items[i].it;
      *n = ni;
    }
  }
  free(items);
  free(units);
  ut_scope_free(&s);
  return rc;
}
