/* app/supervision_doctor.c: owns supervision_doctor_check (see
 * app/supervision_doctor.h): the rule of every org unit resolved once in
 * memory (own setting, else the parent's, ..., else "default"), one pass
 * over every person with its history (store_sup_scan), the same
 * supervision_compute as the writers, and the field-by-field comparison
 * with what the person row stores. */
#include "app/supervision_doctor.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/schedule_rule.h"
#include "store/supervision.h"

/* The checked fields: text fields by offset, int fields by offset. */
typedef struct SdField {
  const char *name;
  size_t off;
  bool is_int;
} SdField;

#define SD_T(f) {#f, offsetof(SupDerived, f), false}
#define SD_I(f) {#f, offsetof(SupDerived, f), true}
static const SdField SD_FIELDS[] = {
  SD_T(status),          SD_T(status_since),    SD_T(control),          SD_T(risk_level),
  SD_T(next_talk_due),   SD_T(next_test_due),   SD_T(clock_start),      SD_T(last_test_date),
  SD_T(last_talk_date),  SD_T(missed_two_date), SD_T(report_deadline),  SD_T(pickup_due),
  SD_T(release_eligible_date), SD_T(risk_override), SD_I(serious_breach), SD_I(breach_tests),
  SD_I(breach_absences), SD_I(breach_absence_days), SD_I(transfer_pending), SD_I(in_view),
  SD_I(approvals_pending), SD_T(work_from),     SD_T(leave_until),
  SD_T(release_due),     SD_T(release_from),
};
#define SD_NFIELDS ((int)(sizeof SD_FIELDS / sizeof SD_FIELDS[0]))

int supervision_doctor_fields(void) { return SD_NFIELDS; }

/* The resolved rule of each unit: units sorted by id, each pointing into
 * the table of distinct rules. */
typedef struct SdUnit {
  int64_t id, parent_id;
  char own[32];
  int rule; /* index into rules, -1 while unresolved */
} SdUnit;

typedef struct SdRun {
  Day today;
  void (*report)(void *, int64_t, const char *, const char *, const char *);
  void *arg;
  SdUnit *units;
  int nunits;
  ScheduleRule *rules;
  int nrules;
  int64_t differences;
} SdRun;

static int sd_unit_cmp(const void *a, const void *b) {
  int64_t x = ((const SdUnit *)a)->id, y = ((const SdUnit *)b)->id;
  return x < y ? -1 : x > y;
}

static SdUnit *sd_unit(SdRun *run, int64_t id) {
  SdUnit key = {.id = id};
  return bsearch(&key, run->units, (size_t)run->nunits, sizeof *run->units, sd_unit_cmp);
}

/* Index of rule code in the run's table, loading it on first use. */
static int sd_rule_index(Db *db, SdRun *run, const char *code, Err *e) {
  for (int i = 0; i < run->nrules; i++)
    if (strcmp(run->rules[i].code, code) == 0) return i;
  ScheduleRule r;
  memset(&r, 0, sizeof r);
  const ScheduleRule *p = schedule_preset_by_code(code);
  if (p) {
    r = *p;
  } else {
    ScheduleRuleRow row;
    Err pe;
    err_clear(&pe);
    if (store_schedule_rule_get(db, code, &row, e) != ERR_OK ||
        schedule_rule_parse(row.spec, &r, &pe) != ERR_OK) {
      err_set(e, ERR_INTERNAL, "已保存的检测频次规则无法解析");
      return -1;
    }
    snprintf(r.code, sizeof r.code, "%s", code);
  }
  run->rules = realloc(run->rules, sizeof *run->rules * (size_t)(run->nrules + 1));
  if (!run->rules) abort();
  run->rules[run->nrules] = r;
  return run->nrules++;
}

/* Resolves the rule of unit u (memoised up the tree). */
static int sd_resolve(Db *db, SdRun *run, SdUnit *u, int depth, Err *e) {
  if (u->rule >= 0) return u->rule;
  int idx;
  SdUnit *parent = u->parent_id && depth < 16 ? sd_unit(run, u->parent_id) : NULL;
  if (u->own[0]) idx = sd_rule_index(db, run, u->own, e);
  else if (parent) idx = sd_resolve(db, run, parent, depth + 1, e);
  else idx = sd_rule_index(db, run, "default", e);
  u->rule = idx;
  return idx;
}

static void sd_diff(SdRun *run, int64_t pid, const char *field, const char *stored, const char *computed) {
  run->differences++;
  if (run->report) run->report(run->arg, pid, field, stored, computed);
}

typedef struct SdCtx {
  SdRun *run;
  Db *db;
} SdCtx;

static int sd_visit(void *arg, const SupDerived *stored, const SupHistory *h, Err *e) {
  SdCtx *x = arg;
  SdRun *run = x->run;
  SdUnit *u = sd_unit(run, h->org_id);
  int idx = u ? sd_resolve(x->db, run, u, 0, e) : sd_rule_index(x->db, run, "default", e);
  if (idx < 0) return e->code ? e->code : ERR_INTERNAL;
  SupComputed comp;
  supervision_compute(h, &run->rules[idx], run->today, &comp);
  for (int i = 0; i < SD_NFIELDS; i++) {
    const SdField *f = &SD_FIELDS[i];
    if (f->is_int) {
      int a = *(const int *)((const char *)stored + f->off);
      int b = *(const int *)((const char *)&comp.d + f->off);
      if (a != b) {
        char sa[16], sb[16];
        snprintf(sa, sizeof sa, "%d", a);
        snprintf(sb, sizeof sb, "%d", b);
        sd_diff(run, h->person_id, f->name, sa, sb);
      }
    } else {
      const char *a = (const char *)stored + f->off;
      const char *b = (const char *)&comp.d + f->off;
      /* control defaults to in_control: "" and in_control are the same */
      if (strcmp(a, b) != 0) sd_diff(run, h->person_id, f->name, a, b);
    }
  }
  return ERR_OK;
}

/* Loads the org tree with each unit's own rule into run. */
static int sd_load_units(Db *db, SdRun *run, Err *e) {
  OrgRuleRow *orgs = NULL;
  int norgs = 0;
  if (store_schedule_rule_all_orgs(db, &orgs, &norgs, e) != ERR_OK) return e->code;
  run->units = calloc((size_t)(norgs ? norgs : 1), sizeof *run->units);
  if (!run->units) abort();
  for (int i = 0; i < norgs; i++) {
    run->units[i].id = orgs[i].id;
    run->units[i].parent_id = orgs[i].parent_id;
    snprintf(run->units[i].own, sizeof run->units[i].own, "%s", orgs[i].rule);
    run->units[i].rule = -1;
  }
  run->nunits = norgs;
  free(orgs);
  qsort(run->units, (size_t)run->nunits, sizeof *run->units, sd_unit_cmp);
  return ERR_OK;
}

/* The persons of one batch whose stored fields differ, with the new values. */
typedef struct SdFix {
  SdRun *run;
  Db *db;
  int64_t *ids;
  SupDerived *vals;
  int n, cap;
  int64_t persons;
} SdFix;

static int sd_fix_visit(void *arg, const SupDerived *stored, const SupHistory *h, Err *e) {
  SdFix *x = arg;
  SdRun *run = x->run;
  x->persons++;
  SdUnit *u = sd_unit(run, h->org_id);
  int idx = u ? sd_resolve(x->db, run, u, 0, e) : sd_rule_index(x->db, run, "default", e);
  if (idx < 0) return e->code ? e->code : ERR_INTERNAL;
  SupComputed comp;
  supervision_compute(h, &run->rules[idx], run->today, &comp);
  bool same = true;
  for (int i = 0; i < SD_NFIELDS && same; i++) {
    const SdField *f = &SD_FIELDS[i];
    if (f->is_int)
      same = *(const int *)((const char *)stored + f->off) == *(const int *)((const char *)&comp.d + f->off);
    else
      same = strcmp((const char *)stored + f->off, (const char *)&comp.d + f->off) == 0;
  }
  if (same) return ERR_OK;
  if (x->n == x->cap) {
    x->cap = x->cap ? x->cap * 2 : 256;
    x->ids = realloc(x->ids, sizeof *x->ids * (size_t)x->cap);
    x->vals = realloc(x->vals, sizeof *x->vals * (size_t)x->cap);
    if (!x->ids || !x->vals) abort();
  }
  x->ids[x->n] = h->person_id;
  x->vals[x->n++] = comp.d;
  return ERR_OK;
}

int supervision_recompute_all(Db *db, Day today, const char *now_iso, int64_t *persons, int64_t *changed, Err *e) {
  if (persons) *persons = 0;
  if (changed) *changed = 0;
  SdRun run = {.today = today};
  if (sd_load_units(db, &run, e) != ERR_OK) return e->code;
  int64_t max_id = 0;
  int rc = store_sup_max_person_id(db, &max_id, e);
  SdFix x = {.run = &run, .db = db};
  int64_t total_changed = 0;
  for (int64_t lo = 0; rc == ERR_OK && lo <= max_id; lo += SUP_RECOMPUTE_BATCH) {
    x.n = 0;
    rc = store_sup_scan_range(db, lo, lo + SUP_RECOMPUTE_BATCH, sd_fix_visit, &x, NULL, e);
    if (rc != ERR_OK || x.n == 0) continue;
    if ((rc = db_begin(db, e)) != ERR_OK) {
      rc = e->code;
      break;
    }
    for (int i = 0; i < x.n && rc == ERR_OK; i++) rc = store_sup_derived_set(db, x.ids[i], &x.vals[i], now_iso, e);
    if (rc == ERR_OK && db_commit(db, e) != ERR_OK) rc = e->code;
    if (rc != ERR_OK) db_rollback(db);
    else total_changed += x.n;
  }
  free(x.ids);
  free(x.vals);
  free(run.units);
  free(run.rules);
  if (rc != ERR_OK) return rc;
  if (persons) *persons = x.persons;
  if (changed) *changed = total_changed;
  return ERR_OK;
}

int supervision_doctor_check(Db *db, Day today,
                             void (*report)(void *arg, int64_t person_id, const char *field, const char *stored,
                                            const char *computed),
                             void *arg, int64_t *persons, int64_t *differences, Err *e) {
  if (persons) *persons = 0;
  if (differences) *differences = 0;
  SdRun run = {.today = today, .report = report, .arg = arg};
  if (sd_load_units(db, &run, e) != ERR_OK) return e->code;

  SdCtx x = {&run, db};
  SupScanStats s;
  int rc = store_sup_scan(db, sd_visit, &x, &s, e);
  if (rc == ERR_OK && s.orphans > 0) {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)s.orphans);
    sd_diff(&run, 0, "orphan", "0", n);
    run.differences += s.orphans - 1; /* each orphan row counts */
  }
  free(run.units);
  free(run.rules);
  if (rc != ERR_OK) return rc;
  if (persons) *persons = s.persons;
  if (differences) *differences = run.differences;
  return ERR_OK;
}
