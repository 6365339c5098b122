/* app/gen_prevention.c: owns the synthetic prevention ledgers of the
 * benchmark (see app/gen_prevention.h). */
#include "app/gen_prevention.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/audit.h"
#include "app/gen.h"
#include "store/gen.h"
#include "store/org.h"
#include "store/prevention.h"

#define GP_BATCH 50000
#define GP_DAYS 730 /* dated over the two years before the reference day */

static const char *const gp_titles[] = {"禁毒知识进校园讲座", "6·26国际禁毒日集中宣传", "社区禁毒宣传展板巡展",
                                        "禁毒志愿者入户宣传", "娱乐场所禁毒培训", "禁毒知识竞赛"};

/* Activity number i of the run into a (texts point at static strings). */
static void gp_activity(GenRng *g, int64_t org_id, Day ref, ActivityIn *a, char date[DATE_ISO_LEN]) {
  static const char *const settings[] = {"school", "family", "community", "unit", "venue", "village",
                                         "school,family", "community,family", ""};
  static const char *const audience[] = {"students", "residents", "villagers", "migrants", "venue_staff", "cadres"};
  date_format(ref - (Day)gen_rng_below(g, GP_DAYS), date);
  memset(a, 0, sizeof *a);
  a->org_id = org_id;
  a->date = date;
  a->kind = activity_kind_vocab[gen_rng_below(g, ACTIVITY_KINDS)].code;
  a->settings = settings[gen_rng_below(g, sizeof settings / sizeof settings[0])];
  a->campaign = gen_rng_percent(g, 20) ? "626" : gen_rng_percent(g, 10) ? "month" : "";
  a->title = gp_titles[gen_rng_below(g, sizeof gp_titles / sizeof gp_titles[0])];
  a->audience = audience[gen_rng_below(g, sizeof audience / sizeof audience[0])];
  a->participants = gen_rng_between(g, 10, 500);
  a->consultations = gen_rng_between(g, 0, 40);
  a->materials[MAT_LEAFLETS] = gen_rng_between(g, 0, 800);
  a->materials[MAT_BANNERS] = gen_rng_between(g, 0, 4);
  a->materials[MAT_BOARDS] = gen_rng_between(g, 0, 3);
  a->materials[MAT_EXHIBITS] = gen_rng_percent(g, 30) ? gen_rng_between(g, 2, 20) : 0;
  a->notes = "";
}

/* Survey number i of the run into s. */
static void gp_survey(GenRng *g, int64_t org_id, Day ref, SurveyIn *s, char date[DATE_ISO_LEN]) {
  date_format(ref - (Day)gen_rng_below(g, GP_DAYS), date);
  memset(s, 0, sizeof *s);
  int k = (int)gen_rng_below(g, SURVEY_GROUPS);
  s->org_id = org_id;
  s->date = date;
  s->group = survey_group_vocab[k].code;
  s->method = survey_method_vocab[gen_rng_below(g, 4)].code;
  s->title = "禁毒知识知晓率调查";
  s->respondents = gen_rng_between(g, 20, 300);
  s->aware = s->respondents - gen_rng_between(g, 0, (int)(s->respondents / 8));
  s->target = survey_group_targets[k];
  s->notes = "";
}

int app_gen_prevention(Ctx *c, int64_t activities, int64_t surveys, uint64_t seed, double *seconds, Err *e) {
  *seconds = 0;
  if (strcmp(c->actor->org_path, "/") != 0 || c->actor->role != ROLE_ADMIN)
    return err_set(e, ERR_FORBIDDEN, "没有权限执行此操作");
  if (activities < 0 || activities > GEN_PREVENTION_MAX) err_field(e, "activities", "超出允许的范围");
  if (surveys < 0 || surveys > GEN_PREVENTION_MAX) err_field(e, "surveys", "超出允许的范围");
  if (e->code != ERR_OK) return e->code;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  OrgUnit county, *units = NULL;
  int nunits = 0;
  if (store_org_by_code(c->db, GEN_COUNTY_CODE, &county, e) != ERR_OK) return e->code;
  if (store_org_list_scope(c->db, county.path, &units, &nunits, e) != ERR_OK) return e->code;
  int64_t *comm = malloc(sizeof *comm * (size_t)(nunits ? nunits : 1));
  if (!comm) abort();
  int nc = 0;
  for (int i = 0; i < nunits; i++)
    if (strcmp(units[i].level, "community") == 0) comm[nc++] = units[i].id;
  free(units);
  if (nc == 0) {
    free(comm);
    return err_set(e, ERR_NOT_FOUND, "组织单位不存在");
  }
  Day ref = gen_reference_day();
  int64_t next_a = 0, next_s = 0;
  int rc = store_gen_bulk_mode(c->db, true, e);
  if (rc == ERR_OK) rc = store_prevention_max_ids(c->db, &next_a, &next_s, e);
  for (int64_t done = 0, total = activities + surveys; rc == ERR_OK && done < total;) {
    if ((rc = db_begin(c->db, e)) != ERR_OK) break;
    if (done == 0) {
      char detail[160];
      snprintf(detail, sizeof detail, "activities=%lld surveys=%lld seed=%llu", (long long)activities,
               (long long)surveys, (unsigned long long)seed);
      rc = audit_write(c, "gen", "activity", 0, "/", detail, e);
    }
    for (int k = 0; rc == ERR_OK && k < GP_BATCH && done < total; k++, done++) {
      GenRng g;
      gen_rng_init(&g, seed ^ 0x5052455645ULL, (uint64_t)done);
      int64_t org = comm[gen_rng_below(&g, (uint32_t)nc)];
      char date[DATE_ISO_LEN];
      if (done < activities) {
        ActivityIn a;
        gp_activity(&g, org, ref, &a, date);
        rc = store_activity_insert_first(c->db, ++next_a, &a, c->now_iso, e);
      } else {
        SurveyIn s;
        gp_survey(&g, org, ref, &s, date);
        rc = store_survey_insert_first(c->db, ++next_s, &s, c->now_iso, e);
      }
    }
    if (rc == ERR_OK) rc = db_commit(c->db, e);
    else db_rollback(c->db);
  }
  Err le;
  err_clear(&le);
  store_gen_bulk_mode(c->db, false, &le);
  free(comm);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  *seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  return rc;
}
