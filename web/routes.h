/* web/routes.h: the route table type and every handler the table names.
 * Each handler is one function in the file of its feature (page_*.c for
 * pages, api_*.c for the JSON API). */
#ifndef JINDU_ROUTES_H
#define JINDU_ROUTES_H
#include "web/http.h"

typedef void (*Handler)(Req *r);

enum {
  ROUTE_PUBLIC = 1 << 0, /* no login needed */
  ROUTE_API = 1 << 1,    /* JSON API: errors as JSON, bearer tokens allowed; not
                          * written in the table: every pattern under /api/
                          * has it (routes_flags) */
  ROUTE_UPLOAD = 1 << 2  /* takes a file (multipart/form-data, web/upload.h): a larger body */
};

/* Patterns: {id} matches a positive integer (r->ids[0], r->ids[1]);
 * {token} matches 16-128 lowercase hex digits, {code} 1-64 of
 * [A-Za-z0-9_-] (the handler reads both from r->path). */

typedef struct Route {
  const char *method;
  const char *pattern; /* "/persons/{id}/edit": {id} matches a positive integer */
  Handler handler;
  unsigned perm;       /* app/app.h Perm bits the actor must hold */
  unsigned flags;
} Route;

/* The table, terminated by a row with method NULL. */
extern const Route routes[];
/* The flags of a row: its own, and ROUTE_API for a pattern under /api/. */
unsigned routes_flags(const Route *rt);
/* Finds the route for method and path; fills r->ids. *path_matched is true
 * when some route had the path with another method (405 rather than 404). */
const Route *routes_match(Req *r, const char *method, const char *path, bool *path_matched);

/* Handlers. */
void page_home(Req *r);
void page_login_form(Req *r);
void page_login_submit(Req *r);
void page_logout(Req *r);
void page_lang(Req *r);
void page_account(Req *r);
void page_account_password(Req *r);
void page_account_calendar(Req *r);
void page_static(Req *r);
void page_draft_show(Req *r);
void page_draft_discard(Req *r);
void page_person_list(Req *r);
void page_person_new(Req *r);
void page_person_create(Req *r);
void page_person_show(Req *r);
void page_person_edit(Req *r);
void page_person_update(Req *r);
void page_person_print(Req *r);
void page_person_status(Req *r);
void page_person_doc(Req *r);
void page_person_worker(Req *r);
void page_org_list(Req *r);
void page_org_create(Req *r);
void page_org_rename(Req *r);
void page_org_move(Req *r);
void page_org_division(Req *r);
void page_user_list(Req *r);
void page_user_create(Req *r);
void page_user_active(Req *r);
void page_user_password(Req *r);
void page_audit_list(Req *r);
void api_session_create(Req *r);
void api_session_delete(Req *r);
void api_me(Req *r);
void api_person_list(Req *r);
void api_person_create(Req *r);
void api_person_get(Req *r);
void api_person_patch(Req *r);
void api_person_status(Req *r);
void api_person_worker(Req *r);
/* supervision (web/page_work.c, web/page_supervision.c, web/api_supervision.c) */
void page_work(Req *r);
void page_calendar(Req *r);
void page_approval_list(Req *r);
void page_approval_show(Req *r);
void page_approval_decide(Req *r);
void page_approval_create(Req *r);
void page_rules(Req *r);
void page_rules_save(Req *r);
void page_rules_assign(Req *r);
void page_visit_new(Req *r);
void page_visit_create(Req *r);
void page_test_new(Req *r);
void page_test_create(Req *r);
void page_event_new(Req *r);
void page_event_create(Req *r);
void page_task_set(Req *r);
void api_visit_create(Req *r);
void api_test_create(Req *r);
void api_event_create(Req *r);
void api_schedule_get(Req *r);
void api_worklist(Req *r);
void api_approval_list(Req *r);
void api_approval_get(Req *r);
void api_approval_create(Req *r);
void api_approval_decide(Req *r);
/* statistics (web/page_stats.c, web/api_stats.c) */
void page_stats(Req *r);
void page_stats_items(Req *r);
void page_stats_trend(Req *r);
void api_stats(Req *r);
void api_stats_items(Req *r);
/* report forms, data quality, work-summary drafts (web/page_report.c, web/api_report.c) */
void page_report(Req *r);
void page_report_notes(Req *r);
void page_report_submit(Req *r);
void page_report_unlock(Req *r);
void page_quality(Req *r);
void page_summary(Req *r);
void page_summary_docx(Req *r);
void api_report_forms(Req *r);
void api_report_get(Req *r);
void api_report_put(Req *r);
void api_report_submit(Req *r);
void api_report_unlock(Req *r);
void api_quality(Req *r);
void api_summary(Req *r);
/* notices (web/page_notice.c) */
void page_notice_read(Req *r);
void api_notice_list(Req *r);
void api_notice_read(Req *r);
void api_notice_read_all(Req *r);
/* attachments (web/attachment.c) */
void page_attachment_get(Req *r);
void page_attachment_void(Req *r);
void page_attachment_upload_doc(Req *r);
void page_attachment_upload_record(Req *r);
void api_attachment_upload_doc(Req *r);
void api_attachment_list_doc(Req *r);
void api_attachment_void(Req *r);
/* unit work: eradication patrols (web/page_eradication.c, web/api_unitwork.c),
 * data sets (web/page_dataset.c, web/api_dataset.c), unit tasks and unit
 * work records (web/page_unit_task.c, web/api_unitwork.c) */
void page_eradication_list(Req *r);
void page_eradication_new(Req *r);
void page_eradication_create(Req *r);
void page_dataset(Req *r);
void page_dataset_save(Req *r);
void page_dataset_unlock(Req *r);
void page_unit_tasks(Req *r);
void page_unit_rhythm_set(Req *r);
void page_unit_rhythm_clear(Req *r);
void page_unit_work_list(Req *r);
void page_unit_work_new(Req *r);
void page_unit_work_create(Req *r);
void api_eradication_list(Req *r);
void api_eradication_create(Req *r);
void api_eradication_get(Req *r);
void api_unit_work_list(Req *r);
void api_unit_work_create(Req *r);
void api_unit_work_get(Req *r);
void api_unit_tasks(Req *r);
void api_unit_rhythm_list(Req *r);
void api_unit_rhythm_set(Req *r);
void api_unit_rhythm_clear(Req *r);
void api_dataset_defs(Req *r);
void api_dataset_get(Req *r);
void api_dataset_put(Req *r);
void api_dataset_submit(Req *r);
void api_dataset_unlock(Req *r);
/* places, responsibility letters, venue inspections (issue 10 points 1, 4,
 * 5: web/page_ledger.c, web/api_ledger.c) */
void page_place_list(Req *r);
void page_place_new(Req *r);
void page_place_create(Req *r);
void page_place_show(Req *r);
void page_place_edit(Req *r);
void page_place_update(Req *r);
void page_place_deactivate(Req *r);
void page_letter_list(Req *r);
void page_letter_new(Req *r);
void page_letter_create(Req *r);
void page_letter_show(Req *r);
void page_letter_require(Req *r);
void page_letter_unrequire(Req *r);
void page_inspection_list(Req *r);
void page_inspection_new(Req *r);
void page_inspection_create(Req *r);
void page_inspection_show(Req *r);
void page_inspection_done(Req *r);
void api_place_create(Req *r);
void api_place_list(Req *r);
void api_place_get(Req *r);
void api_place_update(Req *r);
void api_place_deactivate(Req *r);
void api_letter_create(Req *r);
void api_letter_list(Req *r);
void api_letter_get(Req *r);
void api_letter_require(Req *r);
void api_letter_unrequire(Req *r);
void api_inspection_create(Req *r);
void api_inspection_list(Req *r);
void api_inspection_get(Req *r);
void api_inspection_done(Req *r);

/* prevention ledgers (web/page_prevention.c, web/api_prevention.c, web/attachment.c) */
void page_prevention(Req *r);
void page_activity_list(Req *r);
void page_activity_new(Req *r);
void page_activity_create(Req *r);
void page_activity_show(Req *r);
void page_activity_edit(Req *r);
void page_activity_update(Req *r);
void page_survey_list(Req *r);
void page_survey_new(Req *r);
void page_survey_create(Req *r);
void page_survey_target_set(Req *r);
void page_survey_target_clear(Req *r);
void page_survey_show(Req *r);
void page_survey_edit(Req *r);
void page_survey_update(Req *r);
void api_vocab(Req *r);
void api_activity_list(Req *r);
void api_activity_create(Req *r);
void api_activity_get(Req *r);
void api_activity_put(Req *r);
void api_survey_list(Req *r);
void api_survey_create(Req *r);
void api_survey_get(Req *r);
void api_survey_put(Req *r);
void api_awareness_targets(Req *r);
void api_awareness_target_set(Req *r);
void api_awareness_target_clear(Req *r);
/* casework (web/api_casework.c; the pages are web/page_casework.h's) */
void api_person_visits(Req *r);
void api_person_tests(Req *r);
void api_person_events(Req *r);
void api_person_plan(Req *r);
void api_person_plan_create(Req *r);
void api_person_services(Req *r);
void api_person_service_create(Req *r);
void api_service_get(Req *r);
void api_service_step(Req *r);
void api_person_file(Req *r);
void api_team_requirement_get(Req *r);
void api_team_requirement_put(Req *r);
void api_casework_vocab(Req *r);
/* hardening (issue 12): web/page_read_alert.c, and the correction of a
 * person's community (web/page_person.c, web/api_person.c) */
void page_read_alert_ack(Req *r);
void api_read_alert_list(Req *r);
void api_read_alert_ack(Req *r);
void page_person_org_correct(Req *r);
void api_person_org_correct(Req *r);

/* the 无毒社区 assessment (web/page_assessment.c, web/api_assessment.c) */
void page_assessment(Req *r);
void page_assessment_unit(Req *r);
void page_assessment_act(Req *r);
void page_assessment_sign(Req *r);
void page_assessment_sample(Req *r);
void page_assessment_mark(Req *r);
void api_assessment(Req *r);
void api_assessment_criteria(Req *r);
void api_assessment_criteria_put(Req *r);
void api_assessment_act(Req *r);
void api_assessment_sign(Req *r);
void api_assessment_sample(Req *r);
void api_assessment_steps(Req *r);

#endif
