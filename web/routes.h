/* web/routes.h: the route table type and every handler the table names.
 * Each handler is one function in the file of its feature (page_*.c for
 * pages, api_*.c for the JSON API). */
#ifndef JINDU_ROUTES_H
#define JINDU_ROUTES_H
#include "web/http.h"

typedef void (*Handler)(Req *r);

enum {
  ROUTE_PUBLIC = 1 << 0, /* no login needed */
  ROUTE_API = 1 << 1,    /* JSON API: errors as JSON, bearer tokens allowed */
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
/* notices (web/page_notice.c) */
void page_notice_read(Req *r);
void api_notice_list(Req *r);
void api_notice_read(Req *r);
void api_notice_read_all(Req *r);
/* attachments (web/attachment.c) */
void page_attachment_get(Req *r);
void page_attachment_void(Req *r);
void page_attachment_upload_doc(Req *r);
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

#endif
