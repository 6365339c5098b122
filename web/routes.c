/* web/routes.c: the route table ({method, pattern, handler, permission}) and
 * its matcher. Every URL jindu answers is listed here and nowhere else. */
#include "web/routes.h"
#include "web/page_casework.h"
#include <stdlib.h>
#include <string.h>

const Route routes[] = {
  /* public: no login needed */
  {"GET", "/login", page_login_form, 0, ROUTE_PUBLIC},
  {"POST", "/login", page_login_submit, 0, ROUTE_PUBLIC},
  {"GET", "/lang", page_lang, 0, ROUTE_PUBLIC},
  {"GET", "/static/app.css", page_static, 0, ROUTE_PUBLIC},
  {"GET", "/static/app.js", page_static, 0, ROUTE_PUBLIC},
  {"GET", "/calendar/{token}.ics", page_calendar, 0, ROUTE_PUBLIC},
  {"POST", "/api/v1/session", api_session_create, 0, ROUTE_PUBLIC},
  {"GET", "/", page_home, PERM_LOGGED_IN, 0},
  {"POST", "/logout", page_logout, PERM_LOGGED_IN, 0},
  {"GET", "/account", page_account, PERM_LOGGED_IN, 0},
  {"POST", "/account/password", page_account_password, PERM_LOGGED_IN, 0},
  {"POST", "/account/calendar", page_account_calendar, PERM_LOGGED_IN, 0},
  {"GET", "/draft", page_draft_show, PERM_LOGGED_IN, 0},
  {"POST", "/draft/discard", page_draft_discard, PERM_LOGGED_IN, 0},
  {"GET", "/persons", page_person_list, PERM_PERSON_READ, 0},
  {"GET", "/persons/new", page_person_new, PERM_PERSON_WRITE, 0},
  {"POST", "/persons", page_person_create, PERM_PERSON_WRITE, 0},
  {"GET", "/persons/{id}", page_person_show, PERM_PERSON_READ, 0},
  {"GET", "/persons/{id}/edit", page_person_edit, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}", page_person_update, PERM_PERSON_WRITE, 0},
  {"GET", "/persons/{id}/print", page_person_print, PERM_PERSON_READ, 0},
  {"POST", "/persons/{id}/status", page_person_status, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/docs", page_person_doc, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/worker", page_person_worker, PERM_PERSON_WRITE, 0},
  {"GET", "/orgs", page_org_list, PERM_ORG_ADMIN, 0},
  {"POST", "/orgs", page_org_create, PERM_ORG_ADMIN, 0},
  {"POST", "/orgs/rename", page_org_rename, PERM_ORG_ADMIN, 0},
  {"POST", "/orgs/move", page_org_move, PERM_ORG_ADMIN, 0},
  {"POST", "/orgs/division", page_org_division, PERM_ORG_ADMIN, 0}, /* issue 9 */
  {"GET", "/users", page_user_list, PERM_USER_ADMIN, 0},
  {"POST", "/users", page_user_create, PERM_USER_ADMIN, 0},
  {"POST", "/users/active", page_user_active, PERM_USER_ADMIN, 0},
  {"POST", "/users/password", page_user_password, PERM_USER_ADMIN, 0},
  {"GET", "/audit", page_audit_list, PERM_AUDIT_READ, 0},
  /* supervision: visits and events need PERM_PERSON_WRITE; tests are open
   * to PERM_PERSON_READ because the police liaison records tests too, and
   * app/ refuses (403) the roles that may not record them */
  {"GET", "/work", page_work, PERM_PERSON_READ, 0},
  {"POST", "/notices/read", page_notice_read, PERM_LOGGED_IN, 0},
  {"GET", "/persons/{id}/visits/new", page_visit_new, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/visits/new", page_visit_create, PERM_PERSON_WRITE, 0},
  {"GET", "/persons/{id}/tests/new", page_test_new, PERM_PERSON_READ, 0},
  {"POST", "/persons/{id}/tests/new", page_test_create, PERM_PERSON_READ, 0},
  {"GET", "/persons/{id}/events/new", page_event_new, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/events/new", page_event_create, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/tasks/{id}", page_task_set, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/approvals", page_approval_create, PERM_PERSON_WRITE, 0},
  {"GET", "/approvals", page_approval_list, PERM_PERSON_READ, 0},
  {"GET", "/approvals/{id}", page_approval_show, PERM_PERSON_READ, 0},
  {"POST", "/approvals/{id}/decide", page_approval_decide, PERM_PERSON_WRITE, 0},
  {"GET", "/rules", page_rules, PERM_ORG_ADMIN, 0},
  {"POST", "/rules", page_rules_save, PERM_ORG_ADMIN, 0},
  {"POST", "/rules/assign", page_rules_assign, PERM_ORG_ADMIN, 0},
  /* statistics (web/page_stats.c, web/api_stats.c) */
  {"GET", "/stats", page_stats, PERM_PERSON_READ, 0},
  {"GET", "/stats/items", page_stats_items, PERM_PERSON_READ, 0},
  {"GET", "/stats/trend.svg", page_stats_trend, PERM_PERSON_READ, 0},
  /* report forms, data quality, work-summary drafts (web/page_report.c, web/api_report.c) */
  {"GET", "/reports", page_report, PERM_PERSON_READ, 0},
  {"POST", "/reports/notes", page_report_notes, PERM_PERSON_WRITE, 0},
  {"POST", "/reports/submit", page_report_submit, PERM_PERSON_WRITE, 0},
  {"POST", "/reports/unlock", page_report_unlock, PERM_PERSON_WRITE, 0},
  {"GET", "/quality", page_quality, PERM_PERSON_READ, 0},
  {"GET", "/summary", page_summary, PERM_PERSON_READ, 0},
  {"POST", "/summary/docx", page_summary_docx, PERM_PERSON_READ, 0},
  /* the 无毒社区 assessment (web/page_assessment.c, web/api_assessment.c) */
  {"GET", "/assessment", page_assessment, PERM_PERSON_READ, 0},
  {"GET", "/assessment/unit", page_assessment_unit, PERM_PERSON_READ, 0},
  {"POST", "/assessment/act", page_assessment_act, PERM_PERSON_READ, 0},
  {"POST", "/assessment/sign", page_assessment_sign, PERM_PERSON_READ, 0},
  {"POST", "/assessment/sample", page_assessment_sample, PERM_PERSON_READ, 0},
  {"GET", "/assessment/marks/{id}", page_assessment_mark, PERM_PERSON_READ, 0},
  /* unit work (issue 10 points 5-7): eradication patrols, unit figures by
   * period (data sets), unit tasks and the unit work that clears them;
   * app/ refuses (403) the roles that may not write */
  {"GET", "/eradications", page_eradication_list, PERM_PERSON_READ, 0},
  {"GET", "/eradications/new", page_eradication_new, PERM_PERSON_READ, 0},
  {"POST", "/eradications/new", page_eradication_create, PERM_PERSON_READ, 0},
  {"GET", "/datasets", page_dataset, PERM_PERSON_READ, 0},
  {"POST", "/datasets/save", page_dataset_save, PERM_PERSON_WRITE, 0},
  {"POST", "/datasets/unlock", page_dataset_unlock, PERM_PERSON_WRITE, 0},
  {"GET", "/unit_tasks", page_unit_tasks, PERM_PERSON_READ, 0},
  {"POST", "/unit_tasks/rhythms", page_unit_rhythm_set, PERM_USER_ADMIN, 0},
  {"POST", "/unit_tasks/rhythms/clear", page_unit_rhythm_clear, PERM_USER_ADMIN, 0},
  {"GET", "/unit_work", page_unit_work_list, PERM_PERSON_READ, 0},
  {"GET", "/unit_work/new", page_unit_work_new, PERM_PERSON_WRITE, 0},
  {"POST", "/unit_work/new", page_unit_work_create, PERM_PERSON_WRITE, 0},
  /* prevention ledgers (issue 10 points 2-3; web/page_prevention.c,
   * web/api_prevention.c): activities, awareness surveys, targets, the
   * office's month; app/ refuses (403) the roles that may not write */
  {"GET", "/prevention", page_prevention, PERM_PERSON_READ, 0},
  {"GET", "/activities", page_activity_list, PERM_PERSON_READ, 0},
  {"GET", "/activities/new", page_activity_new, PERM_PERSON_WRITE, 0},
  {"GET", "/activities/{id}", page_activity_show, PERM_PERSON_READ, 0},
  {"GET", "/activities/{id}/edit", page_activity_edit, PERM_PERSON_WRITE, 0},
  {"POST", "/activities/{id}/edit", page_activity_update, PERM_PERSON_WRITE, 0},
  {"GET", "/surveys", page_survey_list, PERM_PERSON_READ, 0},
  {"GET", "/surveys/new", page_survey_new, PERM_PERSON_WRITE, 0},
  {"POST", "/surveys/new", page_survey_create, PERM_PERSON_WRITE, 0},
  {"POST", "/surveys/targets", page_survey_target_set, PERM_PERSON_READ, 0},
  {"POST", "/surveys/targets/clear", page_survey_target_clear, PERM_PERSON_READ, 0},
  {"GET", "/surveys/{id}", page_survey_show, PERM_PERSON_READ, 0},
  {"GET", "/surveys/{id}/edit", page_survey_edit, PERM_PERSON_WRITE, 0},
  {"POST", "/surveys/{id}/edit", page_survey_update, PERM_PERSON_WRITE, 0},
  {"DELETE", "/api/v1/session", api_session_delete, PERM_LOGGED_IN, 0},
  {"GET", "/api/v1/me", api_me, PERM_LOGGED_IN, 0},
  {"GET", "/api/v1/persons", api_person_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/persons", api_person_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/persons/{id}", api_person_get, PERM_PERSON_READ, 0},
  {"PATCH", "/api/v1/persons/{id}", api_person_patch, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/persons/{id}/status", api_person_status, PERM_PERSON_WRITE, 0},
  {"PUT", "/api/v1/persons/{id}/worker", api_person_worker, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/persons/{id}/visits", api_visit_create, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/persons/{id}/tests", api_test_create, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/persons/{id}/events", api_event_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/persons/{id}/schedule", api_schedule_get, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/persons/{id}/approvals", api_approval_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/worklist", api_worklist, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/stats", api_stats, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/stats/items", api_stats_items, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/reports", api_report_forms, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/reports/{code}/{code}/{code}", api_report_get, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/reports/{code}/{code}/{code}", api_report_put, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/reports/{code}/{code}/{code}/submit", api_report_submit, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/reports/{code}/{code}/{code}/unlock", api_report_unlock, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/quality", api_quality, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/summary", api_summary, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/assessment", api_assessment, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/assessment/criteria", api_assessment_criteria, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/assessment/criteria", api_assessment_criteria_put, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/assessment/act", api_assessment_act, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/assessment/sign", api_assessment_sign, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/assessment/sample", api_assessment_sample, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/assessment/steps", api_assessment_steps, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/notices", api_notice_list, PERM_LOGGED_IN, 0},
  {"POST", "/api/v1/notices/read", api_notice_read_all, PERM_LOGGED_IN, 0},
  {"POST", "/api/v1/notices/{id}/read", api_notice_read, PERM_LOGGED_IN, 0},
  {"GET", "/api/v1/approvals", api_approval_list, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/approvals/{id}", api_approval_get, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/approvals/{id}/decide", api_approval_decide, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/eradications", api_eradication_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/eradications", api_eradication_create, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/eradications/{id}", api_eradication_get, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/unit_work", api_unit_work_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/unit_work", api_unit_work_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/unit_work/{id}", api_unit_work_get, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/unit_tasks", api_unit_tasks, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/unit_rhythms", api_unit_rhythm_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/unit_rhythms", api_unit_rhythm_set, PERM_PERSON_READ, 0},
  {"DELETE", "/api/v1/unit_rhythms", api_unit_rhythm_clear, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/datasets", api_dataset_defs, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/datasets/{code}/{code}/{code}", api_dataset_get, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/datasets/{code}/{code}/{code}", api_dataset_put, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/datasets/{code}/{code}/{code}/submit", api_dataset_submit, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/datasets/{code}/{code}/{code}/unlock", api_dataset_unlock, PERM_PERSON_READ, 0},
  /* places, responsibility letters, venue inspections (issue 10 points 1,
   * 4, 5); app/ refuses (403) the roles that may not write */
  {"GET", "/places", page_place_list, PERM_PERSON_READ, 0},
  {"GET", "/places/new", page_place_new, PERM_PERSON_WRITE, 0},
  {"POST", "/places/new", page_place_create, PERM_PERSON_WRITE, 0},
  {"GET", "/places/{id}", page_place_show, PERM_PERSON_READ, 0},
  {"GET", "/places/{id}/edit", page_place_edit, PERM_PERSON_WRITE, 0},
  {"POST", "/places/{id}/edit", page_place_update, PERM_PERSON_WRITE, 0},
  {"POST", "/places/{id}/deactivate", page_place_deactivate, PERM_PERSON_WRITE, 0},
  {"GET", "/letters", page_letter_list, PERM_PERSON_READ, 0},
  {"GET", "/letters/new", page_letter_new, PERM_PERSON_READ, 0},
  {"POST", "/letters/new", page_letter_create, PERM_PERSON_WRITE, 0},
  {"GET", "/letters/{id}", page_letter_show, PERM_PERSON_READ, 0},
  {"POST", "/letters/required", page_letter_require, PERM_USER_ADMIN, 0},
  {"POST", "/letters/required/{id}/delete", page_letter_unrequire, PERM_USER_ADMIN, 0},
  {"GET", "/inspections", page_inspection_list, PERM_PERSON_READ, 0},
  {"GET", "/inspections/new", page_inspection_new, PERM_PERSON_READ, 0},
  {"POST", "/inspections/new", page_inspection_create, PERM_PERSON_READ, 0},
  {"GET", "/inspections/{id}", page_inspection_show, PERM_PERSON_READ, 0},
  {"POST", "/inspections/{id}/followup", page_inspection_done, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/places", api_place_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/places", api_place_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/places/{id}", api_place_get, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/places/{id}", api_place_update, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/places/{id}/deactivate", api_place_deactivate, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/letters", api_letter_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/letters", api_letter_create, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/letters/required", api_letter_require, PERM_PERSON_WRITE, 0},
  {"DELETE", "/api/v1/letters/required/{id}", api_letter_unrequire, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/letters/{id}", api_letter_get, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/inspections", api_inspection_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/inspections", api_inspection_create, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/inspections/{id}", api_inspection_get, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/inspections/{id}/followup", api_inspection_done, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/vocab", api_vocab, PERM_LOGGED_IN, 0},
  {"GET", "/api/v1/activities", api_activity_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/activities", api_activity_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/activities/{id}", api_activity_get, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/activities/{id}", api_activity_put, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/surveys", api_survey_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/surveys", api_survey_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/surveys/{id}", api_survey_get, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/surveys/{id}", api_survey_put, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/awareness_targets", api_awareness_targets, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/awareness_targets", api_awareness_target_set, PERM_PERSON_READ, 0},
  {"DELETE", "/api/v1/awareness_targets", api_awareness_target_clear, PERM_PERSON_READ, 0},
  /* casework (issue 9) */
  {"GET", "/persons/{id}/plan/new", page_plan_new, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/plan/new", page_plan_create, PERM_PERSON_WRITE, 0},
  {"GET", "/persons/{id}/services/new", page_service_new, PERM_PERSON_WRITE, 0},
  {"POST", "/persons/{id}/services/new", page_service_create, PERM_PERSON_WRITE, 0},
  {"GET", "/services/{id}", page_service_show, PERM_PERSON_READ, 0},
  {"POST", "/services/{id}", page_service_step, PERM_PERSON_WRITE, 0},
  {"GET", "/team_roles", page_team_roles, PERM_PERSON_READ, 0},
  {"POST", "/team_roles", page_team_roles_set, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/persons/{id}/visits", api_person_visits, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/persons/{id}/tests", api_person_tests, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/persons/{id}/events", api_person_events, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/persons/{id}/plan", api_person_plan, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/persons/{id}/plan", api_person_plan_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/persons/{id}/services", api_person_services, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/persons/{id}/services", api_person_service_create, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/persons/{id}/file", api_person_file, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/services/{id}", api_service_get, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/services/{id}/steps", api_service_step, PERM_PERSON_WRITE, 0},
  {"GET", "/api/v1/team_requirement", api_team_requirement_get, PERM_PERSON_READ, 0},
  {"PUT", "/api/v1/team_requirement", api_team_requirement_put, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/casework_vocab", api_casework_vocab, PERM_PERSON_READ, 0},
  /* hardening (issue 12): unusual-reading alerts, the correction of a person's community */
  {"POST", "/read_alerts/{id}/ack", page_read_alert_ack, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/read_alerts", api_read_alert_list, PERM_PERSON_READ, 0},
  {"POST", "/api/v1/read_alerts/{id}/ack", api_read_alert_ack, PERM_PERSON_READ, 0},
  {"POST", "/persons/{id}/org_correction", page_person_org_correct, PERM_PERSON_WRITE, 0},
  {"POST", "/api/v1/persons/{id}/org_correction", api_person_org_correct, PERM_PERSON_WRITE, 0},
  /* attachments (web/attachment.c): rights and scope go through the record
   * that owns one (app/attachment.c); a record kind adds its routes here
   * (the API's list, the page's upload, the API's upload). The routes
   * that take a file (ROUTE_UPLOAD) come last: the activity's form posts
   * its photos with the record */
  {"GET", "/attachments/{id}", page_attachment_get, PERM_LOGGED_IN, 0},
  {"POST", "/attachments/{id}/void", page_attachment_void, PERM_LOGGED_IN, 0},
  {"GET", "/api/v1/assess_marks/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/attachments/{id}", page_attachment_get, PERM_LOGGED_IN, 0},
  {"POST", "/api/v1/attachments/{id}/void", api_attachment_void, PERM_LOGGED_IN, 0},
  {"GET", "/api/v1/person_documents/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/eradications/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/unit_work/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/letters/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/inspections/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"GET", "/api/v1/activities/{id}/attachments", api_attachment_list_doc, PERM_PERSON_READ, 0},
  {"POST", "/assessment/marks/{id}/attachments", page_attachment_upload_record, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/persons/{id}/docs/{id}/attachments", page_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/activities/new", page_activity_create, PERM_PERSON_WRITE, ROUTE_UPLOAD},
  {"POST", "/activities/{id}/attachments", page_attachment_upload_record, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/letters/{id}/attachments", page_attachment_upload_record, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/inspections/{id}/attachments", page_attachment_upload_record, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/assess_marks/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/person_documents/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/eradications/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/unit_work/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/letters/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/inspections/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {"POST", "/api/v1/activities/{id}/attachments", api_attachment_upload_doc, PERM_LOGGED_IN, ROUTE_UPLOAD},
  {NULL, NULL, NULL, 0, 0},
};

/* Matches path against pattern; fills ids on success. {id} accepts 1-18
 * digits without a leading zero; {token} 16-128 lowercase hex digits;
 * {code} 1-64 of [A-Za-z0-9_-] (a unit's code, a data set's name, a
 * period); tokens and codes are not stored: the handler reads them from
 * the path. */
static bool routes_pattern_match(const char *pattern, const char *path, int64_t ids[2]) {
  int nid = 0;
  const char *p = pattern, *s = path;
  while (*p) {
    if (strncmp(p, "{id}", 4) == 0) {
      const char *start = s;
      while (*s >= '0' && *s <= '9') s++;
      size_t n = (size_t)(s - start);
      if (n == 0 || n > 18 || *start == '0' || nid >= 2) return false;
      ids[nid++] = strtoll(start, NULL, 10);
      p += 4;
    } else if (strncmp(p, "{token}", 7) == 0) {
      const char *start = s;
      while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')) s++;
      size_t n = (size_t)(s - start);
      if (n < 16 || n > 128) return false;
      p += 7;
    } else if (strncmp(p, "{code}", 6) == 0) {
      const char *start = s;
      while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == '-')
        s++;
      size_t n = (size_t)(s - start);
      if (n < 1 || n > 64) return false;
      p += 6;
    } else {
      if (*p != *s) return false;
      p++;
      s++;
    }
  }
  return *s == 0;
}

unsigned routes_flags(const Route *rt) {
  return rt->flags | (strncmp(rt->pattern, "/api/", 5) == 0 ? ROUTE_API : 0u);
}

const Route *routes_match(Req *r, const char *method, const char *path, bool *path_matched) {
  *path_matched = false;
  for (const Route *rt = routes; rt->method; rt++) {
    int64_t ids[2] = {0, 0};
    if (!routes_pattern_match(rt->pattern, path, ids)) continue;
    *path_matched = true;
    if (strcmp(rt->method, method) != 0) continue;
    r->ids[0] = ids[0];
    r->ids[1] = ids[1];
    return rt;
  }
  return NULL;
}
