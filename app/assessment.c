/* app/assessment.c: owns the assessment use cases (see app/assessment.h):
 * the year's window, the criteria that apply to a unit (the latest year,
 * then the nearest unit), the sheets of the communities under a unit, the
 * flow, the street's sign-offs and samples, and the criteria sets. */
#include "app/assessment.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/audit.h"
#include "app/steps.h"
#include "core/field.h"
#include "core/ledger.h"

#define M_SCHEME "创建类型应为 community（无毒社区）、village（无毒村）或 unit（无毒单位）"
#define M_PLACE "场所或单位应为登记的编号"
#define M_PLACE_NEEDED "请选择参加无毒单位考核的场所或单位"
#define M_PLACE_MISSING "场所或单位不存在"
#define M_PLACE_APPLY_RIGHT "只有场所所在社区的禁毒社工、社区干部或所属街道（乡镇）禁毒办可以申报"
#define M_YEAR "考核年度应为2000年至今年之间的年份"
#define M_YEAR_SET "考核标准的年度应为2000年至明年之间的年份"
#define M_ACTION "操作应为 apply、review_pass、review_return、approve 或 reject"
#define M_NOT_COMMUNITY "只有社区（村）参加创建考核，请选择社区（村）"
#define M_APPLY_RIGHT "只有本社区（村）的禁毒社工或社区干部可以申报"
#define M_REVIEW_RIGHT "只有所属街道（乡镇）禁毒办可以审核、签核和录入入户抽查"
#define M_APPROVE_RIGHT "只有所属区（县）禁毒办可以审批命名"
#define M_CRITERIA_RIGHT "只有本单位的禁毒办可以制定本单位的考核标准"
#define M_TRANSITION "当前状态下不能进行这项操作"
#define M_PENDING "还有未签核的考核项或未录入的入户抽查，不能审核通过"
#define M_NOT_PASS "考核结果未达到合格标准，不能命名"
#define M_NOTE_NEEDED "退回或不予批准时请写明理由"
#define M_NOTE_LONG "不能超过500个字"
#define M_CLOSED "申报已提交区（县）审批，不能再修改签核或抽查"
#define M_ITEM "没有这个需要签核的考核项"
#define M_MET "应为 met（达标）或 unmet（未达标）"
#define M_SIGN_NOTE "请写明签核依据（查阅的材料或现场情况）"
#define M_DATE "日期格式应为 YYYY-MM-DD"
#define M_SAMPLE_DATE "抽查日期应在考核年度内，且不晚于今天"
#define M_NO_CRITERIA "没有适用的考核标准"
#define M_TITLE "请填写名称（不超过30个字）"

bool assess_scheme_valid(const char *scheme) {
  return scheme && (strcmp(scheme, "community") == 0 || strcmp(scheme, "village") == 0 || strcmp(scheme, "unit") == 0);
}

bool assess_scheme_places(const char *scheme) { return scheme && strcmp(scheme, "unit") == 0; }

const char *assess_scheme_title_zh(const char *scheme) {
  return !scheme ? "无毒社区" : strcmp(scheme, "village") == 0 ? "无毒村" : strcmp(scheme, "unit") == 0 ? "无毒单位" : "无毒社区";
}

/* The place of q (scheme "unit"): its id, 0 when none is asked for; a field
 * error "place" when the text is not an id. */
static int64_t as_place_arg(const AssessQuery *q, Err *e) {
  if (!q->place || !*q->place) return 0;
  char *end;
  long long v = strtoll(q->place, &end, 10);
  if (*end || v <= 0) {
    err_field(e, "place", M_PLACE);
    return 0;
  }
  return v;
}

/* ---- the window ---------------------------------------------------------------- */

/* The year of text ("" or NULL: this year) within [2000, last]; 0 when it is none. */
static int as_year(const char *text, Day today, int last) {
  int y, m, d;
  date_to_ymd(today, &y, &m, &d);
  if (!text || !*text) return y;
  char *end;
  long v = strtol(text, &end, 10);
  if (*end || end == text || v < 2000 || v > last) return 0;
  return (int)v;
}

/* Reads q: the unit (in scope, else ERR_NOT_FOUND), the scheme, the year and
 * its window. Field errors in e. */
static int as_open(Ctx *c, const AssessQuery *q, OrgUnit *unit, char scheme[16], int *year, StatsWindow *w, Err *e) {
  const char *s = q->scheme && *q->scheme ? q->scheme : "community";
  if (!assess_scheme_valid(s)) err_field(e, "scheme", M_SCHEME);
  snprintf(scheme, 16, "%s", assess_scheme_valid(s) ? s : "community");
  int ty, tm, td;
  date_to_ymd(c->today, &ty, &tm, &td);
  *year = as_year(q->year, c->today, ty);
  if (!*year) err_field(e, "year", M_YEAR);
  int y = *year ? *year : ty;
  Day f = date_from_ymd(y, 1, 1), t = date_from_ymd(y, 12, 31);
  if (t > c->today) t = c->today;
  char fs[DATE_ISO_LEN], ts[DATE_ISO_LEN];
  date_format(f, fs);
  date_format(t, ts);
  StatsQuery sq = {.org = q->org, .date = ts, .from = fs, .to = ts, .period = NULL};
  return app_stats_window(c, &sq, unit, w, e);
}

/* ---- criteria ------------------------------------------------------------------- */

/* The depth of a unit path ("/1/5/" -> 2). */
static int as_depth(const char *path) {
  int n = 0;
  for (const char *p = path; *p; p++) n += *p == '/';
  return n > 0 ? n - 1 : 0;
}

/* The index in sets of the set that applies to the unit of path in year, -1 for none. */
static int as_pick(const AssessSetRow *sets, int nsets, const char *path, int year) {
  AssessSetRef *refs = malloc(sizeof *refs * (size_t)(nsets ? nsets : 1));
  int *idx = malloc(sizeof *idx * (size_t)(nsets ? nsets : 1));
  if (!refs || !idx) abort();
  int n = 0;
  for (int i = 0; i < nsets; i++) {
    const char *p = sets[i].org_path;
    if (*p && strncmp(path, p, strlen(p)) != 0) continue; /* not this unit or an ancestor */
    refs[n] = (AssessSetRef){*p ? as_depth(p) : 0, sets[i].year};
    idx[n++] = i;
  }
  int k = assess_set_pick(refs, n, year);
  int r = k < 0 ? -1 : idx[k];
  free(refs);
  free(idx);
  return r;
}

/* The criteria in t for set row s (loaded the first time); its index. */
static int as_crit(Ctx *c, AssessTable *t, const AssessSetRow *s, Err *e) {
  for (int i = 0; i < t->ncrit; i++)
    if (t->crit[i].set.id == s->id) return i;
  t->crit = realloc(t->crit, sizeof *t->crit * (size_t)(t->ncrit + 1));
  if (!t->crit) abort();
  AssessCriteria *k = &t->crit[t->ncrit];
  memset(k, 0, sizeof *k);
  k->set = *s;
  if (store_assess_set_load(c->db, s->id, k->secs, &k->nsecs, k->items, &k->nitems, e) != ERR_OK) return -1;
  return t->ncrit++;
}

/* ---- the sheets ------------------------------------------------------------------ */

/* The verdict of item d of a unit (pf NULL: from its figures f) or of a
 * place (pf its figures, place_id), from its sign-offs and sample. */
static void as_item(const AssessItemDef *d, const StatsFigures *f, const AssessPlaceFacts *pf, int64_t place_id,
                    const AssessMarkRow *marks, int nmarks, const AssessSampleRow *sample, int64_t org_id,
                    AssessItemEval *x) {
  memset(x, 0, sizeof *x);
  x->value = -1;
  if (d->kind == AK_AUTO && pf) {
    if (!assess_place_figure(pf, d->measure, &x->num)) {
      x->v = AV_MISSING;
      return;
    }
    x->v = assess_compare(d, false, x->num, 0, &x->value);
  } else if (d->kind == AK_AUTO) {
    const StatMeasure *m = stats_measure_by_key(d->measure);
    if (!m) {
      x->v = AV_MISSING;
      return;
    }
    x->is_rate = m->kind == SM_RATE;
    x->num = stats_figure(f, m, false);
    x->den = x->is_rate ? stats_figure(f, m, true) : 0;
    x->v = assess_compare(d, x->is_rate, x->num, x->den, &x->value);
  } else if (d->kind == AK_SAMPLE) {
    x->is_rate = true;
    AssessSample s = {0, 0, 0, 0};
    if (!sample) {
      x->v = AV_PENDING;
      return;
    }
    s = (AssessSample){sample->households, sample->records, sample->accurate, sample->complete};
    if (!assess_sample_figures(&s, d->measure, &x->num, &x->den)) {
      x->v = AV_MISSING;
      return;
    }
    x->v = assess_compare(d, true, x->num, x->den, &x->value);
  } else {
    x->v = AV_PENDING;
    for (int i = 0; i < nmarks; i++)
      if (marks[i].org_id == org_id && marks[i].place_id == place_id && strcmp(marks[i].item_key, d->key) == 0) {
        x->v = marks[i].met ? AV_MET : AV_UNMET;
        x->has_mark = true;
        x->mark_id = marks[i].id;
        str_copy(x->note, sizeof x->note, marks[i].note);
        str_copy(x->by, sizeof x->by, marks[i].by);
        str_copy(x->at, sizeof x->at, marks[i].at);
      }
  }
}

/* The index in t->sheets of place id (sheets[0..n) sorted by place_id), -1 when none. */
static int as_place_at(const AssessTable *t, int64_t id) {
  int lo = 0, hi = t->n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (t->sheets[mid].place_id == id) return mid;
    if (t->sheets[mid].place_id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/* Orders sheets by place id. */
static int as_place_cmp(const void *a, const void *b) {
  int64_t x = ((const AssessSheet *)a)->place_id, y = ((const AssessSheet *)b)->place_id;
  return x < y ? -1 : x > y;
}

/* Orders sheets as the unit table does: by street, unit code, then place name. */
static int as_sheet_cmp(const void *a, const void *b) {
  const AssessSheet *x = a, *y = b;
  int k = strcmp(x->unit.path, y->unit.path);
  if (k == 0) k = strcmp(x->place_name, y->place_name);
  return k ? k : (x->place_id > y->place_id) - (x->place_id < y->place_id);
}

/* Scheme "unit": t->sheets (room for every place) get the active places
 * under t->unit whose kind the set that applies to them assesses (only
 * t->place_id when set), and their figures added up from the ledgers. */
static int as_place_sheets(Ctx *c, AssessTable *t, const OrgUnit *all, int nall, const AssessSetRow *sets, int nsets,
                           PlaceRow *places, int nplaces, Err *e) {
  for (int i = 0; i < nplaces; i++) {
    const PlaceRow *p = &places[i];
    if (t->place_id && p->id != t->place_id) continue;
    int k = as_pick(sets, nsets, p->org_path, t->year);
    if (k < 0 || !assess_subjects_has(sets[k].subjects, p->kind)) continue;
    AssessSheet *s = &t->sheets[t->n++];
    for (int j = 0; j < nall; j++)
      if (all[j].id == p->org_id) s->unit = all[j];
    for (int j = 0; j < nall; j++)
      if (strcmp(s->unit.level, "community") == 0 ? all[j].id == s->unit.parent_id : all[j].id == s->unit.id)
        str_copy(s->street_name, sizeof s->street_name, all[j].name);
    s->place_id = p->id;
    str_copy(s->place_name, sizeof s->place_name, p->name);
    str_copy(s->place_kind, sizeof s->place_kind, p->kind);
  }
  if (t->place_id && t->n == 0) return err_set(e, ERR_NOT_FOUND, M_PLACE_MISSING);
  qsort(t->sheets, (size_t)t->n, sizeof *t->sheets, as_place_cmp);
  char d[DATE_ISO_LEN], f[DATE_ISO_LEN], to[DATE_ISO_LEN];
  date_format(t->w.d, d);
  date_format(t->w.p.f, f);
  date_format(t->w.p.t, to);
  AssessPlaceLedgerRow *rows = NULL;
  int nrows = 0;
  if (store_assess_place_ledger(c->db, t->unit.path, t->year, f, to, d, &rows, &nrows, e) != ERR_OK) return e->code;
  for (int i = 0; i < nrows; i++) {
    const AssessPlaceLedgerRow *x = &rows[i];
    int k = as_place_at(t, x->place_id);
    if (k < 0) continue;
    AssessPlaceFacts *pf = &t->sheets[k].pf;
    Day day = 0, due = LEDGER_NO_DAY, done = LEDGER_NO_DAY;
    if (!date_parse(x->date, &day)) continue;
    if (x->kind[0] == 'l') assess_place_add_letter(pf, x->year, day, t->year, t->w.d);
    else if (x->kind[0] == 'a') assess_place_add_activity(pf, day, t->w.p.f, t->w.p.t);
    else {
      if (x->due[0] && !date_parse(x->due, &due)) due = LEDGER_NO_DAY;
      if (x->done[0] && !date_parse(x->done, &done)) done = LEDGER_NO_DAY;
      assess_place_add_inspection(pf, day, x->problem, due, done, t->w.p.f, t->w.p.t, t->w.d);
    }
  }
  free(rows);
  qsort(t->sheets, (size_t)t->n, sizeof *t->sheets, as_sheet_cmp);
  return ERR_OK;
}

/* Fills t's criteria, sheets and ranking for the communities (scheme
 * "unit": the places) under root (inside the caller's transaction;
 * t->unit, scheme, year, w, place_id set). */
static int as_compute(Ctx *c, AssessTable *t, Err *e) {
  OrgUnit *all = NULL;
  int nall = 0;
  AssessSetRow *sets = NULL;
  int nsets = 0;
  AssessYearRows y = {0};
  StatsRow *rows = NULL;
  PlaceRow *places = NULL;
  int nplaces = 0;
  bool by_place = assess_scheme_places(t->scheme);
  int rc = store_org_list_scope(c->db, t->unit.path, &all, &nall, e);
  if (rc == ERR_OK) rc = store_assess_sets(c->db, t->scheme, &sets, &nsets, e);
  if (rc == ERR_OK) rc = store_assess_year(c->db, t->unit.path, t->scheme, t->year, &y, e);
  if (rc == ERR_OK && by_place) {
    int64_t total = 0;
    PlaceFilter pf = {.scope = t->unit.path, .kind = NULL, .q = NULL, .active = 1, .limit = INT32_MAX, .offset = 0};
    rc = store_place_list(c->db, &pf, &places, &nplaces, &total, e);
    if (rc == ERR_OK) {
      t->sheets = calloc((size_t)(nplaces ? nplaces : 1), sizeof *t->sheets);
      rows = calloc((size_t)(nplaces ? nplaces : 1), sizeof *rows); /* unused: a place reads no statistics */
      if (!t->sheets || !rows) abort();
      rc = as_place_sheets(c, t, all, nall, sets, nsets, places, nplaces, e);
    }
  } else if (rc == ERR_OK) {
    t->sheets = calloc((size_t)(nall ? nall : 1), sizeof *t->sheets);
    rows = calloc((size_t)(nall ? nall : 1), sizeof *rows);
    if (!t->sheets || !rows) abort();
    for (int i = 0; i < nall; i++) {
      if (strcmp(all[i].level, "community") != 0) continue;
      AssessSheet *s = &t->sheets[t->n];
      s->unit = all[i];
      for (int k = 0; k < nall; k++)
        if (all[k].id == all[i].parent_id) str_copy(s->street_name, sizeof s->street_name, all[k].name);
      rows[t->n++].unit = all[i];
    }
    rc = app_stats_rows(c, &t->unit, &t->w, rows, t->n, e);
  }
  for (int i = 0; rc == ERR_OK && i < t->n; i++) {
    AssessSheet *s = &t->sheets[i];
    int k = as_pick(sets, nsets, s->unit.path, t->year);
    if (k < 0) {
      rc = err_set(e, ERR_INTERNAL, M_NO_CRITERIA);
      break;
    }
    if ((s->crit = as_crit(c, t, &sets[k], e)) < 0) {
      rc = e->code;
      break;
    }
    const AssessSampleRow *sample = NULL;
    for (int j = 0; j < y.nsamples; j++)
      if (y.samples[j].org_id == s->unit.id && y.samples[j].place_id == s->place_id) sample = &y.samples[j];
    if ((s->has_sample = sample != NULL)) s->sample = *sample;
    const AssessCriteria *cr = &t->crit[s->crit];
    AssessVerdict v[ASSESS_ITEMS_MAX];
    for (int j = 0; j < cr->nitems; j++) {
      as_item(&cr->items[j], &rows[i].f, by_place ? &s->pf : NULL, s->place_id, y.marks, y.nmarks, sample, s->unit.id,
              &s->items[j]);
      v[j] = s->items[j].v;
    }
    assess_score(cr->secs, cr->nsecs, cr->items, v, cr->nitems, cr->set.pass_percent, &s->score);
    s->state = AST_NONE;
    for (int j = 0; j < y.napps; j++)
      if (y.apps[j].org_id == s->unit.id && y.apps[j].place_id == s->place_id) {
        assess_state_parse(y.apps[j].state, &s->state);
        s->app_id = y.apps[j].id;
        str_copy(s->state_at, sizeof s->state_at, y.apps[j].updated_at);
      }
  }
  if (rc == ERR_OK) {
    int64_t *pct = malloc(sizeof *pct * (size_t)(t->n ? t->n : 1));
    AssessResult *res = malloc(sizeof *res * (size_t)(t->n ? t->n : 1));
    int *rank = malloc(sizeof *rank * (size_t)(t->n ? t->n : 1));
    t->order = malloc(sizeof *t->order * (size_t)(t->n ? t->n : 1));
    if (!pct || !res || !rank || !t->order) abort();
    for (int i = 0; i < t->n; i++) {
      pct[i] = t->sheets[i].score.percent_tenths;
      res[i] = t->sheets[i].score.result;
    }
    assess_rank(pct, res, t->n, rank, t->order);
    for (int i = 0; i < t->n; i++) t->sheets[i].rank = rank[i];
    free(pct);
    free(res);
    free(rank);
  }
  free(all);
  free(sets);
  store_assess_year_free(&y);
  free(rows);
  store_place_rows_free(places, nplaces);
  return rc;
}

int app_assess_table(Ctx *c, const AssessQuery *q, AssessTable *out, Err *e) {
  memset(out, 0, sizeof *out);
  out->place_id = as_place_arg(q, e);
  if (as_open(c, q, &out->unit, out->scheme, &out->year, &out->w, e) != ERR_OK) return e->code;
  if (!assess_scheme_places(out->scheme)) out->place_id = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  int rc = app_read_done(c, as_compute(c, out, e), e);
  if (rc != ERR_OK) app_assess_table_free(out);
  return rc;
}

void app_assess_table_free(AssessTable *t) {
  free(t->crit);
  free(t->sheets);
  free(t->order);
  t->crit = NULL;
  t->sheets = NULL;
  t->order = NULL;
  t->n = t->ncrit = 0;
}

/* ---- rights ---------------------------------------------------------------------- */

/* A social worker or cadre of the community itself. */
static bool as_is_member(const Actor *a, const OrgUnit *u) {
  return (a->role == ROLE_WORKER || a->role == ROLE_CADRE) && a->org_id == u->id;
}

/* The office of a street above the unit. */
static bool as_is_street(const Actor *a, const OrgUnit *u) {
  return a->role == ROLE_OFFICE && strcmp(a->org_level, "street") == 0 && a->org_id != u->id &&
         actor_in_scope(a, u->path);
}

/* For a place (scheme "unit", registered under unit u): a social worker
 * or cadre of u, or the office of a street over u or u itself. */
static bool as_may_apply_place(const Actor *a, const OrgUnit *u) {
  return ((a->role == ROLE_WORKER || a->role == ROLE_CADRE) && a->org_id == u->id) ||
         (a->role == ROLE_OFFICE && strcmp(a->org_level, "street") == 0 && actor_in_scope(a, u->path));
}

/* For a place: the office of a street over its unit or of its unit itself. */
static bool as_is_street_of_place(const Actor *a, const OrgUnit *u) {
  return a->role == ROLE_OFFICE && strcmp(a->org_level, "street") == 0 && actor_in_scope(a, u->path);
}

/* The street office that reviews, signs and samples t's one sheet. */
static bool as_is_reviewer(const Actor *a, const AssessTable *t) {
  return t->place_id ? as_is_street_of_place(a, &t->unit) : as_is_street(a, &t->unit);
}

/* The office of the county above the unit. */
static bool as_is_county(const Actor *a, const OrgUnit *u) {
  return a->role == ROLE_ADMIN && strcmp(a->org_level, "county") == 0 && actor_in_scope(a, u->path);
}

/* The note: at most ASSESS_NOTE_CHARS characters (field "note"). */
static void as_note_check(const char *note, bool required, const char *required_msg, Err *e) {
  if (note && field_chars(note) > ASSESS_NOTE_CHARS) err_field(e, "note", M_NOTE_LONG);
  else if (required && (!note || !*note)) err_field(e, "note", required_msg);
}

/* Opens a write on one community: the transaction begun, the unit, its
 * sheet (t: one sheet) computed. ERR_* with the transaction ended. */
static int as_write_begin(Ctx *c, const AssessQuery *q, AssessTable *t, Err *e) {
  memset(t, 0, sizeof *t);
  t->place_id = as_place_arg(q, e);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  if (as_open(c, q, &t->unit, t->scheme, &t->year, &t->w, e) != ERR_OK) return app_fail(c, e);
  if (assess_scheme_places(t->scheme)) {
    if (!t->place_id && !err_field_msg(e, "place")) err_field(e, "place", M_PLACE_NEEDED);
    if (e->code != ERR_OK) return app_fail(c, e);
  } else if (strcmp(t->unit.level, "community") != 0) {
    err_field(e, "org", M_NOT_COMMUNITY);
    return app_fail(c, e);
  }
  if (as_compute(c, t, e) != ERR_OK || t->n != 1) {
    if (e->code == ERR_OK) err_set(e, ERR_NOT_FOUND, M_PLACE_MISSING);
    app_assess_table_free(t);
    return app_fail(c, e);
  }
  if (t->place_id) t->unit = t->sheets[0].unit; /* the place's own unit, for the rights and the audit */
  return ERR_OK;
}

/* Ends a write opened by as_write_begin: frees t; with an error in e, d is
 * reset and the transaction rolled back; else the audit row (action on t's
 * unit, detail d, taken) is appended and the write commits. */
static int as_write_end(Ctx *c, AssessTable *t, const char *action, Buf *d, Err *e) {
  OrgUnit unit = t->unit;
  app_assess_table_free(t);
  if (e->code != ERR_OK) {
    buf_reset(d);
    return app_fail(c, e);
  }
  return app_commit(c, &(AppAudit){action, "org", unit.id, unit.path, d}, e);
}

/* The audit detail of a write on t's sheet. */
static void as_detail(Buf *d, const AssessTable *t) {
  audit_detail_kv(d, "org", t->unit.code);
  if (t->place_id) audit_detail_int(d, "place", t->place_id);
  audit_detail_kv(d, "scheme", t->scheme);
  audit_detail_int(d, "year", t->year);
}

/* ---- the flow -------------------------------------------------------------------- */

int app_assess_act(Ctx *c, const AssessQuery *q, const char *action, const char *note, AssessState *state, Err *e) {
  AssessAction a = AA_APPLY;
  if (!action || !assess_action_parse(action, &a)) err_field(e, "action", M_ACTION);
  bool needs_note = a == AA_REVIEW_RETURN || a == AA_REJECT;
  as_note_check(note, needs_note && e->code == ERR_OK, M_NOTE_NEEDED, e);
  if (e->code != ERR_OK) return e->code;
  AssessTable t;
  if (as_write_begin(c, q, &t, e) != ERR_OK) return e->code;
  AssessSheet *s = &t.sheets[0];
  bool may = a == AA_APPLY ? (t.place_id ? as_may_apply_place(c->actor, &t.unit) : as_is_member(c->actor, &t.unit))
             : (a == AA_REVIEW_PASS || a == AA_REVIEW_RETURN) ? as_is_reviewer(c->actor, &t)
                                                              : as_is_county(c->actor, &t.unit);
  const char *right = a == AA_APPLY ? (t.place_id ? M_PLACE_APPLY_RIGHT : M_APPLY_RIGHT)
                      : (a == AA_APPROVE || a == AA_REJECT) ? M_APPROVE_RIGHT : M_REVIEW_RIGHT;
  AssessState to = s->state;
  if (!may) err_set(e, ERR_FORBIDDEN, right);
  else if (!assess_transition(s->state, a, &to)) err_set(e, ERR_CONFLICT, M_TRANSITION);
  else if (a == AA_REVIEW_PASS && s->score.result == AR_PENDING) err_set(e, ERR_CONFLICT, M_PENDING);
  else if (a == AA_APPROVE && s->score.result != AR_PASS) err_set(e, ERR_CONFLICT, M_NOT_PASS);
  int64_t app_id = 0;
  const char *result = assess_result_code(s->score.result);
  if (e->code == ERR_OK)
    store_assess_app_put(c->db, t.unit.id, t.place_id, t.scheme, t.year, assess_state_code(to), c->actor->user_id,
                         c->now_iso, &app_id, e);
  if (e->code == ERR_OK)
    store_assess_step_add(c->db, app_id, assess_action_code(a), assess_state_code(to), note, s->score.score,
                          s->score.max, result, c->actor->user_id, c->now_iso, e);
  Buf d = BUF_INIT;
  as_detail(&d, &t);
  audit_detail_kv(&d, "state", assess_state_code(to));
  audit_detail_int(&d, "score", s->score.score);
  audit_detail_int(&d, "max", s->score.max);
  audit_detail_kv(&d, "result", result);
  if (note && *note) audit_detail_kv(&d, "note", note);
  char act[40];
  snprintf(act, sizeof act, "assess_%s", assess_action_code(a));
  int rc = as_write_end(c, &t, act, &d, e);
  if (rc == ERR_OK && state) *state = to;
  return rc;
}

/* ---- sign-offs and samples ---------------------------------------------------------- */

int app_assess_sign(Ctx *c, const AssessQuery *q, const char *item_key, const char *met, const char *note,
                    int64_t *mark_id, Err *e) {
  bool is_met = met && strcmp(met, "met") == 0;
  if (!met || (!is_met && strcmp(met, "unmet") != 0)) err_field(e, "met", M_MET);
  as_note_check(note, true, M_SIGN_NOTE, e);
  AssessTable t;
  if (as_write_begin(c, q, &t, e) != ERR_OK) return e->code;
  const AssessSheet *s = &t.sheets[0];
  const AssessCriteria *cr = &t.crit[s->crit];
  bool manual = false;
  for (int i = 0; item_key && i < cr->nitems; i++)
    if (strcmp(cr->items[i].key, item_key) == 0 && cr->items[i].kind == AK_MANUAL) manual = true;
  if (!manual) err_field(e, "item", M_ITEM);
  if (e->code == ERR_OK && !as_is_reviewer(c->actor, &t)) err_set(e, ERR_FORBIDDEN, M_REVIEW_RIGHT);
  if (e->code == ERR_OK && !assess_state_open(s->state)) err_set(e, ERR_CONFLICT, M_CLOSED);
  int64_t id = 0;
  if (e->code == ERR_OK)
    store_assess_mark_put(c->db, t.unit.id, t.place_id, t.scheme, t.year, item_key, is_met, note, c->actor->user_id,
                          c->now_iso, &id, e);
  Buf d = BUF_INIT;
  as_detail(&d, &t);
  audit_detail_kv(&d, "item", item_key ? item_key : "");
  audit_detail_kv(&d, "met", is_met ? "met" : "unmet");
  int rc = as_write_end(c, &t, "assess_sign", &d, e);
  if (rc == ERR_OK && mark_id) *mark_id = id;
  return rc;
}

int app_assess_sample(Ctx *c, const AssessQuery *q, const char *date, const AssessSample *smp, const char *note,
                      Err *e) {
  Day day = 0;
  if (!date || !date_parse(date, &day)) err_field(e, "date", M_DATE);
  as_note_check(note, false, NULL, e);
  AssessTable t;
  if (as_write_begin(c, q, &t, e) != ERR_OK) return e->code;
  const AssessSheet *s = &t.sheets[0];
  const AssessCriteria *cr = &t.crit[s->crit];
  if (day && (day < t.w.p.f || day > c->today || day > date_from_ymd(t.year, 12, 31)) && !err_field_msg(e, "date"))
    err_field(e, "date", M_SAMPLE_DATE);
  assess_sample_check(smp, cr->set.sample_min, cr->set.sample_max, e);
  if (e->code == ERR_OK && !as_is_reviewer(c->actor, &t)) err_set(e, ERR_FORBIDDEN, M_REVIEW_RIGHT);
  if (e->code == ERR_OK && !assess_state_open(s->state)) err_set(e, ERR_CONFLICT, M_CLOSED);
  if (e->code == ERR_OK)
    store_assess_sample_put(c->db, t.unit.id, t.place_id, t.scheme, t.year, date, smp, note, c->actor->user_id,
                            c->now_iso, e);
  Buf d = BUF_INIT;
  as_detail(&d, &t);
  audit_detail_int(&d, "households", smp->households);
  audit_detail_int(&d, "records", smp->records);
  audit_detail_int(&d, "accurate", smp->accurate);
  audit_detail_int(&d, "complete", smp->complete);
  return as_write_end(c, &t, "assess_sample", &d, e);
}

/* ---- criteria ------------------------------------------------------------------------ */

int app_assess_criteria(Ctx *c, const AssessQuery *q, OrgUnit *unit, AssessCriteria *out, Err *e) {
  memset(out, 0, sizeof *out);
  AssessTable t;
  memset(&t, 0, sizeof t);
  if (as_open(c, q, &t.unit, t.scheme, &t.year, &t.w, e) != ERR_OK) return e->code;
  *unit = t.unit;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  AssessSetRow *sets = NULL;
  int nsets = 0;
  int rc = store_assess_sets(c->db, t.scheme, &sets, &nsets, e);
  int k = rc == ERR_OK ? as_pick(sets, nsets, t.unit.path, t.year) : -1;
  if (rc == ERR_OK && k < 0) rc = err_set(e, ERR_INTERNAL, M_NO_CRITERIA);
  if (rc == ERR_OK) {
    int i = as_crit(c, &t, &sets[k], e);
    if (i < 0) rc = e->code;
    else *out = t.crit[i];
  }
  free(sets);
  free(t.crit);
  return app_read_done(c, rc, e);
}

int app_assess_criteria_put(Ctx *c, const AssessQuery *q, const char *title, int pass_percent, int sample_min,
                            int sample_max, const char *subjects, const AssessSectionDef *secs, int nsecs,
                            const AssessItemDef *items, int nitems, bool *created, Err *e) {
  const char *s = q->scheme && *q->scheme ? q->scheme : "community";
  if (!assess_scheme_valid(s)) err_field(e, "scheme", M_SCHEME);
  int ty, tm, td;
  date_to_ymd(c->today, &ty, &tm, &td);
  int year = as_year(q->year, c->today, ty + 1);
  if (!year) err_field(e, "year", M_YEAR_SET);
  if (!title || !*title || field_chars(title) > 30) err_field(e, "title", M_TITLE);
  assess_set_check(secs, nsecs, items, nitems, pass_percent, sample_min, sample_max, e);
  if (!assess_scheme_places(s)) subjects = "";
  else if (!subjects || !*subjects) subjects = "school,enterprise,venue,member_unit";
  else assess_subjects_check(subjects, e);
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_CRITERIA_RIGHT);
  if (db_begin(c->db, e) != ERR_OK) return e->code;
  OrgUnit unit;
  if (unit_scope_org(c, q->org, &unit, e) != ERR_OK) return app_fail(c, e);
  if (e->code != ERR_OK) return app_fail(c, e);
  if ((c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_OFFICE) || c->actor->org_id != unit.id) {
    err_set(e, ERR_FORBIDDEN, M_CRITERIA_RIGHT);
    return app_fail(c, e);
  }
  if (store_assess_set_put(c->db, unit.id, s, year, title, pass_percent, sample_min, sample_max, subjects, secs, nsecs,
                           items, nitems, c->actor->user_id, c->now_iso, created, e) != ERR_OK)
    return app_fail(c, e);
  Buf d = BUF_INIT;
  audit_detail_kv(&d, "org", unit.code);
  audit_detail_kv(&d, "scheme", s);
  audit_detail_int(&d, "year", year);
  audit_detail_int(&d, "items", nitems);
  return app_commit(c, &(AppAudit){"assess_criteria", "org", unit.id, unit.path, &d}, e);
}

int app_assess_mark_unit(Ctx *c, int64_t mark_id, char code[64], int64_t *place_id, char scheme[16], int *year,
                         Err *e) {
  if (!actor_can(c->actor, PERM_PERSON_READ)) return err_set(e, ERR_FORBIDDEN, M_REVIEW_RIGHT);
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  OrgUnit u;
  int rc = store_assess_mark_unit(c->db, mark_id, code, place_id, scheme, year, e);
  if (rc == ERR_OK) rc = store_org_by_code(c->db, code, &u, e);
  if (rc == ERR_OK && !actor_in_scope(c->actor, u.path)) rc = err_set(e, ERR_NOT_FOUND, "签核记录不存在");
  return app_read_done(c, rc, e);
}

int app_assess_steps(Ctx *c, const AssessQuery *q, AssessStepRow **out, int *n, Err *e) {
  *out = NULL;
  *n = 0;
  AssessTable t;
  memset(&t, 0, sizeof t);
  int64_t place_id = as_place_arg(q, e);
  if (as_open(c, q, &t.unit, t.scheme, &t.year, &t.w, e) != ERR_OK) return e->code;
  if (!assess_scheme_places(t.scheme)) place_id = 0;
  if (db_begin_read(c->db, e) != ERR_OK) return e->code;
  AssessAppRow a;
  int rc = ERR_OK;
  if (place_id) { /* the place in scope, under the unit it is registered under */
    PlaceRow p;
    memset(&p, 0, sizeof p);
    rc = store_place_get(c->db, place_id, &p, e);
    if (rc == ERR_OK && !actor_in_scope(c->actor, p.org_path)) rc = err_set(e, ERR_NOT_FOUND, M_PLACE_MISSING);
    if (rc == ERR_OK) t.unit.id = p.org_id;
    store_place_free(&p);
  }
  if (rc == ERR_OK) rc = store_assess_app_get(c->db, t.unit.id, place_id, t.scheme, t.year, &a, e);
  if (rc == ERR_OK && a.id) rc = store_assess_steps(c->db, a.id, out, n, e);
  return app_read_done(c, rc, e);
}
