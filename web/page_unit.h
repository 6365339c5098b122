/* web/page_unit.h: what the unit-work pages share (web/page_eradication.c,
 * web/page_dataset.c, web/page_unit_task.c): the value a control shows,
 * choice groups drawn from a vocabulary (core/unit_vocab.h), the head and
 * buttons of a phone-first record form, the "back" target of a form
 * opened from the workbench, and the workbench's section of unit tasks
 * (page_unit_task_section, called by web/page_work.c). */
#ifndef JINDU_PAGE_UNIT_H
#define JINDU_PAGE_UNIT_H
#include <stdbool.h>
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
/* The big save and cancel buttons (cancel: back, else cancel_href); closes
 * the form and ends the page. */
void unit_form_close(Req *r, const char *cancel_href);
/* After a failed form post: when e is about the input, renders the form
 * again with form(r, e) and its status (true); else answers e (false). */
typedef void (*UnitFormPage)(Req *r, const Err *e);
void unit_form_failed(Req *r, const Err *e, UnitFormPage form);

/* The workbench's section of unit tasks (单位工作任务) for the scope org
 * (a unit code; NULL, "" or "me": the actor's scope): counts of overdue
 * and due tasks and the most urgent ones, each with the link to the form
 * that clears it (record the work, enter and submit the figures). Nothing
 * when no task is due. (web/page_unit_task.c) */
void page_unit_task_section(Req *r, const char *org);

#endif
