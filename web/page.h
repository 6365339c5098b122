/* web/page.h: the small helpers the page files (web/page_*.c) share, one
 * copy each: empty and dash values, names of codes for display (status and
 * risk names come from core/), the depth of an org path, query strings,
 * "load the person or answer the error", and the renderers of the
 * supervision pages (web/page_supervision.c) that other pages show. */
#ifndef JINDU_PAGE_H
#define JINDU_PAGE_H
#include <stdbool.h>
#include "core/buf.h"
#include "web/http.h"

struct OrgUnit;
struct RecordSpec; /* core/field.h */
struct FieldSpec;
struct PersonRow; /* app/person.h: Person */
struct WorkItem;

/* s, or "" for NULL. */
const char *page_s(const char *s);
/* A value for display: "—" when NULL or empty. */
const char *page_dash(const char *s);
/* A note of a record in r's language when the system wrote it (it stores
 * the Chinese msgid, e.g. 尿检阳性 of a relapse found by a positive test, so
 * old rows translate too); a note a user typed as typed. "" for NULL. */
const char *page_note(const Req *r, const char *note);
/* name, or code when name is NULL or empty (an unknown code); "" when both
 * are missing. */
const char *page_or(const char *name, const char *code);
/* The localised name of a status code ("未登记状态" for none or unknown). */
const char *page_status_name(const Req *r, const char *code);
/* The localised name of a risk level code (core/risk.h: 高风险, 中风险,
 * 低风险; 未评估 for "" or NULL); an unknown code as it is. */
const char *page_risk_name(const Req *r, const char *code);
/* The depth of an org path: "/1/" is 1, "/1/5/" is 2. */
int page_org_depth(const char *path);
/* The depth of the top of the tree of units[0..n) (the smallest depth;
 * INT_MAX when n is 0). */
int page_org_top_depth(const struct OrgUnit *units, int n);
/* Writes the indent of a unit of a tree list: one ideographic space for
 * each level of path below top. */
void page_org_indent(Req *r, const char *path, int top);
/* The page number in query parameter key: 1 when missing or out of
 * 1..100000. */
int page_query_page(Req *r, const char *key);
/* The links to the newer and older pages of a list on the case file of
 * person_id (page of per rows of total), to /persons/{id}?key=N#anchor;
 * nothing for page 0 (every row: the print view) or a single page. */
void page_person_pager(Req *r, int64_t person_id, const char *key, const char *anchor, int page, int per,
                       int64_t total);
/* A page of a list of a person's records (app_visit_list, app_plan_list...
 * behind one shape: *rows malloc'd, the caller frees). */
typedef int (*PagePersonListFn)(Ctx *c, int64_t person_id, int page, int per_page, void **rows, int *n, int64_t *total,
                                Err *e);
/* app_visit_list, app_test_list and app_event_list (app/supervision.h) as
 * PagePersonListFn, for the case file's history tables and anything else
 * that reads those lists through one shape (web/page_supervision.c). */
int page_visit_rows(Ctx *c, int64_t person_id, int page, int per_page, void **rows, int *n, int64_t *total, Err *e);
int page_test_rows(Ctx *c, int64_t person_id, int page, int per_page, void **rows, int *n, int64_t *total, Err *e);
int page_event_rows(Ctx *c, int64_t person_id, int page, int per_page, void **rows, int *n, int64_t *total, Err *e);
/* Appends "key=value" (value URL-encoded) to the URL in b, after '?' or
 * '&' as the URL needs; nothing when val is NULL or empty. */
void page_query_param(Buf *b, const char *key, const char *val);
/* Opens the card of a document's history (修改记录) and its table, headed
 * 时间, 操作人, 操作, 内容; the caller writes the rows and closes the
 * tbody, table and section. */
void page_history_begin(Req *r);
/* Redirects r to prefix, the decimal id, then suffix ("" for none). */
void page_redirect_id(Req *r, const char *prefix, int64_t id, const char *suffix);
/* The URL of a unit's document for a period into b (cleared first):
 * path?key=name&org=&period= (each given one), then "&" extra when extra
 * (e.g. "saved=1"). */
void page_doc_url(Buf *b, const char *path, const char *key, const char *name, const char *org, const char *period,
                  const char *extra);
/* After a failed form post: true when e is about the input (ERR_INVALID or
 * ERR_CONFLICT), so that the caller shows the form again with e (and sets
 * r->status to err_http_status after rendering); otherwise answers e (the
 * error page) and returns false. */
bool page_form_failed(Req *r, const Err *e);
/* An admin page of several forms (/orgs, /users): e beside the form named
 * failed_form (both NULL when none failed), notice (a msgid) on success. */
typedef void (*PageForms)(Req *r, const Err *e, const char *failed_form, const char *notice);
/* Begins such a page after the fetch of what it lists answered rc (e its
 * error): the page with title (a msgid) as its heading and notice (a
 * msgid; NULL: none), true; when rc is not ERR_OK, answers e instead and
 * returns false. */
bool page_forms_begin(Req *r, int rc, const Err *e, const char *title, const char *notice);
/* Answers the post of form of such a page: rc ERR_OK redirects to ok_url;
 * otherwise page shows again with e beside form, with e's status. */
void page_forms_after(Req *r, int rc, const Err *e, const char *form, PageForms page, const char *ok_url);
/* true when rc is ERR_OK; otherwise answers e (its error page) and
 * returns false: `if (!page_ok(r, app_x_get(..., &e), &e)) return;`. */
bool page_ok(Req *r, int rc, const Err *e);
/* Ends a filtered page early when its fetch answered rc other than
 * ERR_OK: e's summary under the filters, e's status, the page's end;
 * true. false when rc is ERR_OK (the page goes on). */
bool page_filter_failed(Req *r, int rc, const Err *e);
/* Redirects to the URL in url with anchor appended ("#x"); url is reset. */
void page_redirect_buf(Req *r, Buf *url, const char *anchor);
/* After the fetch of a list: false when e is ERR_OK or about the filter
 * (ERR_INVALID, ERR_NOT_FOUND: the page shows it beside its filters);
 * otherwise answers e and returns true. */
bool page_list_failed(Req *r, const Err *e);
/* e when failed names form (the form whose post failed with e), else
 * NULL: the errors a form of a page of several forms shows. */
const Err *page_form_err(const char *failed, const char *form, const Err *e);
/* A page of several forms drawn by one function: failed names the form
 * whose post failed with e (both NULL when none did). */
typedef void (*PageFormRender)(Req *r, const char *failed, const Err *e);
/* After the post of form: true when rc is ERR_OK; otherwise, when e is
 * about the input, render draws the page again with e beside form and
 * e's status, else e is answered (its error page); false. */
bool page_form_ok(Req *r, int rc, const Err *e, PageFormRender render, const char *form);
/* The input of a form post: *in (size bytes) zeroed, e cleared, then the
 * form's values bound by spec (web/bind.h bind_form: type errors in e). */
void page_form_bind(Req *r, const struct RecordSpec *spec, void *in, size_t size, Err *e);
/* Loads person r->ids[0] (the read is audited) into p, which the caller
 * person_free's; on failure answers the error (404 out of scope), frees p
 * and returns false. */
bool page_person_load(Req *r, struct PersonRow *p);

/* A record form about person p (the case file's talks, tests, events,
 * plan, services): the values posted and e, or (e NULL) a new form. */
typedef void (*PagePersonForm)(Req *r, const struct PersonRow *p, const Err *e);
/* GET of such a form: person r->ids[0] loaded and form drawn, empty. */
void page_person_form_new(Req *r, PagePersonForm form);
/* The post of such a form: the field table and the size of the input
 * struct it binds; the write (the use case for person r->ids[0]; it may
 * read more of the post into in); the form drawn again with a failed
 * post's errors. */
typedef struct PersonRecordForm {
  const struct RecordSpec *spec;
  size_t size;
  int (*write)(Req *r, void *in, Err *e);
  PagePersonForm form;
} PersonRecordForm;
/* Answers the post of f: a zeroed input bound from the form by f->spec,
 * then f->write; true when it saved (the caller redirects); otherwise the
 * form again with e and its status when e is about the input, else e's
 * error page; false. */
bool page_person_form_post(Req *r, const PersonRecordForm *f);

/* Hidden inputs of name/value pairs (NULL-terminated; a pair whose value
 * is NULL is left out). */
void page_hidden(Req *r, const char *const *pairs);
/* The office's unlock form (解锁（退回修改）) of submitted figures, posting
 * to action: the hidden inputs of pairs, the reason (field reason of the
 * unlock's record); e the failed unlock's errors (NULL: folded, empty). */
void page_unlock_form(Req *r, const char *action, const char *const *pairs, const struct FieldSpec *reason,
                      const Err *e);

/* ---- renderers of web/page_supervision.c that other pages show ---------- */

/* The supervision section of the case file (schedule, tasks, records,
 * approvals, record buttons and proposal forms): page_person_show. */
void page_supervision_section(Req *r, const struct PersonRow *p);
/* Every talk, test and event of p, newest first, on paper: the print view
 * of one person (每人一袋), a page break before it. */
void page_supervision_history(Req *r, const struct PersonRow *p);
/* The link or button that clears work item w (core/supervision.h's
 * work_reason_action: record a test, a talk, an event, the status, decide
 * an approval...; its proposer is told she waits); back (may be NULL) is a
 * /work URL the form returns to. */
void sup_work_action(Req *r, const struct WorkItem *w, const char *back);
/* Since when and why work item w is listed (nothing when not explained). */
void sup_work_why(Req *r, const struct WorkItem *w);
/* The localised name of the control state of a file of status (stored
 * control; a closed file shows 已关闭). */
const char *page_control_name(const Req *r, const char *status, const char *control);
/* The unread notices of the actor with the forms that mark them read (the
 * workbench's section; nothing when there are none): web/page_notice.c. */
void page_notice_section(Req *r);
/* The open unusual-reading alerts an office may acknowledge (the
 * workbench's section; nothing when there are none): web/page_read_alert.c. */
void page_read_alert_section(Req *r);
/* true when back is /work or /work?... and safe to redirect to. */
bool sup_back_ok(const char *back);

#endif
