/* web/page_unit.h: what the unit-work pages share (web/page_eradication.c,
 * web/page_dataset.c, web/page_unit_task.c): the value a control shows,
 * choice groups drawn from a vocabulary (core/unit_vocab.h), the head and
 * buttons of a phone-first record form, the "back" target of a form
 * opened from the workbench, and the workbench's section of unit tasks
 * (page_unit_task_section, called by web/page_work.c). */
#ifndef JINDU_PAGE_UNIT_H
#define JINDU_PAGE_UNIT_H
#include <stdbool.h>
#include "core/buf.h"
#include "core/field.h"
#include "core/unit_vocab.h"
#include "web/http.h"

/* The value a control shows: what was posted (a failed POST), else the
 * query parameter (a link may preset it), else def. */
const char *unit_val(Req *r, const char *key, const char *def);
/* The field error of e for name, or NULL (e may be NULL). */
const char *unit_ferr(const Err *e, const char *name);
/* The control of field key of spec (maxlength, required from the table)
 * with unit_val(key, def) and e's message. */
void unit_control(Req *r, const RecordSpec *spec, const char *key, const char *def, const Err *e);
/* A group of large radio buttons (one choice) or checkboxes (several:
 * several true) for field f of the codes of vocab, labelled by f and by
 * the vocabulary's labels; the chosen ones are sel (comma-joined codes). */
void unit_choices(Req *r, const FieldSpec *f, const UnitTerm *vocab, const char *sel, bool several, const Err *e);
/* The values key posted (a group of checkboxes or radios), comma-joined
 * into b (cleared first); answers buf_str(b). */
const char *unit_posted(Req *r, const char *key, Buf *b);
/* The names of comma-joined codes of vocab (a code itself when unknown),
 * "、"-joined, as HTML; none when there is no code (NULL: nothing). */
void unit_names(Req *r, const UnitTerm *vocab, const char *codes, const char *none);
/* true when back is a workbench URL (sup_back_ok) or the unit tasks page
 * (/unit_tasks, /unit_tasks?...): a local path safe to redirect to. */
bool unit_back_ok(const char *back);
/* The "back" target of a form (posted or linked) when unit_back_ok, else NULL. */
const char *unit_back(Req *r);
/* Opens a phone-first record form: the page with title, the form posting
 * to action with its CSRF token, the back target and e's summary. */
void unit_form_open(Req *r, const char *title_zh, const char *action, const Err *e);
/* The same; upload: the form is multipart/form-data (it carries a file). */
void unit_form_open_as(Req *r, const char *title_zh, const char *action, bool upload, const Err *e);
/* The unit (required; preset: org, else the actor's) and the date
 * (preset: date, else today) of a record form of spec: the controls a
 * unit's record opens with (values as posted after a failure). */
void unit_org_date(Req *r, const RecordSpec *spec, const char *org, const char *date, const Err *e);
/* The big save and cancel buttons (cancel: back, else cancel_href); closes
 * the form and ends the page. */
void unit_form_close(Req *r, const char *cancel_href);
/* After a failed form post: when e is about the input, renders the form
 * again with form(r, e) and its status (true); else answers e (false). */
typedef void (*UnitFormPage)(Req *r, const Err *e);
void unit_form_failed(Req *r, const Err *e, UnitFormPage form);
/* A record form's post: the field table and the size of the input struct
 * it binds; the write, which may read more of the post into in, calls the
 * use case and fills *id with the record written; the form shown again
 * with a failed post's errors; where a saved record goes: base/<id>
 * ?saved=1, or with to_list the form's back target (unit_back) if any,
 * else base?saved=1. */
typedef struct RecordForm {
  const RecordSpec *spec;
  size_t size;
  int (*write)(Req *r, void *in, int64_t *id, Err *e);
  UnitFormPage form;
  const char *base;
  bool to_list;
} RecordForm;
/* Answers the post of f: a zeroed input bound from the form by f->spec,
 * f->write, then the redirect, or the form again (unit_form_failed). */
void unit_form_post(Req *r, const RecordForm *f);

/* ---- the list page shell: filter form, totals, table, pager, downloads ---- */

/* One control of a list's filter form, read from and written back to the
 * query parameter key. */
typedef enum {
  LIST_ORG,    /* the unit picker (全部单位 first) */
  LIST_INPUT,  /* an <input> of type input, maxlength maxlen (0: none) */
  LIST_SELECT, /* 全部, then the terms of vocab, or the value/label pairs of options */
  LIST_HIDDEN  /* carried along when given (a link's preset), not shown */
} ListFilterKind;
typedef struct ListFilter {
  const char *key; /* NULL ends a table */
  const char *label_zh;
  ListFilterKind kind;
  const char *input;
  int maxlen;
  const UnitTerm *vocab;
  const char *const *options; /* NULL-terminated, "" first */
} ListFilter;
/* The filters most lists share, before their own: the unit (every list),
 * the report period (统计期), the dates from and to. */
enum { LIST_PERIOD = 1 << 0, LIST_DATES = 1 << 1 };
/* A list page: its path (the filter form's action and the URLs' base),
 * title, the shared filters it has (LIST_* bits) and its own, the label
 * of the button to path/new, and one more button (link_href NULL: none). */
typedef struct ListPage {
  const char *path, *title_zh;
  unsigned shared;
  const ListFilter *filters;
  const char *new_zh;
  const char *link_href, *link_zh;
} ListPage;

/* true when the list is asked as its print view (print=1). */
bool page_list_print(Req *r);
/* The list's URL with its filter as the query gives it (not the page)
 * into b (cleared first). */
void page_list_url(Req *r, const ListPage *lp, Buf *b);
/* Opens a list page: the title; in the print view the print button, the
 * way back and the unit, day and total; else the "saved" notice, the
 * new-record button (may_new), the other button, the print view of page
 * and the .xlsx of the filter, and the filter form; then e's summary. */
void page_list_begin(Req *r, const ListPage *lp, bool may_new, int page, int64_t total, const Err *e);
/* The records table's head of cols (msgids, NULL-terminated; bit i of
 * num set: column i holds numbers), true; or, when n is 0, the "no
 * records" note, false. page_list_table_end closes it. */
bool page_list_table(Req *r, int n, const char *const *cols, unsigned num);
void page_list_table_end(Req *r);
/* The totals of a list's filter: a card headed 合计 of label/value pairs,
 * page_list_total each, page_list_totals_end closes it. */
void page_list_totals(Req *r);
void page_list_total(Req *r, const char *label_zh, int64_t value);
void page_list_totals_end(Req *r);
/* The pager of the list (not in the print view); true when not printing
 * (the page's own forms may follow). The caller ends the page. */
bool page_list_pager(Req *r, const ListPage *lp, int page, int per_page, int64_t total);
/* A vocabulary as <select> options: {"", first_zh} then {code, label}
 * pairs, NULL-terminated, in opts (room for n entries). */
const char *const *unit_options(const UnitTerm *vocab, const char *first_zh, const char **opts, int n);

/* The workbench's section of unit tasks (单位工作任务) for the scope org
 * (a unit code; NULL, "" or "me": the actor's scope): counts of overdue
 * and due tasks and the most urgent ones, each with the link to the form
 * that clears it (record the work, enter and submit the figures). Nothing
 * when no task is due. (web/page_unit_task.c) */
void page_unit_task_section(Req *r, const char *org);

#endif
