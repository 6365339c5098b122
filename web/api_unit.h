/* web/api_unit.h: what the JSON APIs of records of units and ledgers share
 * (web/api_unit.c; used by web/api_unitwork.c, web/api_ledger.c,
 * web/api_prevention.c): a record kind as a table (its reads, its JSON,
 * how its rows are freed, its list's filter), one handler that answers a
 * record, one that answers a list (a write is au_act, then au_show), the
 * document of a unit for a period (a data set's figures, a report form).
 * Every API that binds a body by a record's field table writes through
 * au_act. */
#ifndef JINDU_API_UNIT_H
#define JINDU_API_UNIT_H
#include <stdint.h>
#include "core/field.h"
#include "web/bind.h"
#include "web/http.h"
#include "web/json.h"

/* A write of a bound request body (au_act): in is the input struct the
 * binder filled (its errors already in e, so that the use case adds its
 * own and one answer names every field at fault); *id is on entry the
 * record of the path (r->ids[0]) and on return the record written (an add
 * sets it to the new one's). Returns e->code. */
typedef int (*AuWriteFn)(Req *r, const void *in, int64_t *id, Err *e);

/* A record kind as the handlers below serve it. */
typedef struct AuKind {
  size_t size; /* one row */
  /* one record into row (zeroed; dropped by the handler on every path) */
  int (*get)(Ctx *c, int64_t id, void *row, Err *e);
  /* every version of record id into *(void **)rows (malloc'd); NULL: the
   * kind has no ?history=1 */
  int (*history)(Ctx *c, int64_t id, void *rows, int *n, Err *e);
  void (*json)(JsonW *w, const void *row, const Req *r);
  const JwField *fields; /* without json: the row is written from this table */
  void (*drop)(void *row); /* frees what a row holds; NULL: nothing */
  /* the list: the query parameters of the filter's leading const char *
   * members, in their order (NULL-terminated; the kind asserts the layout),
   * and the offsets of its int page and per_page */
  const char *const *params;
  size_t page, per_page;
  size_t each; /* the offset of the filter's const DbEach *each (eu_kind_send) */
  size_t qsize, tsize; /* the filter; the list's totals (0: none) */
  void (*filter)(Req *r, void *q, Err *e); /* the filter's other members; NULL: none */
  void (*xlsx)(Req *r, const void *q);     /* ?format=xlsx: every row of q */
  /* the page of q (*rows malloc'd), the envelope's total, and the list's
   * totals into tot (the handler's caller's) */
  int (*list)(Ctx *c, const void *q, void **rows, int *n, int64_t *total, void *tot, Err *e);
  /* or, for a kind whose totals count its rows (their int64_t member at
   * count_at is the envelope's total): the page of q and the totals */
  int (*list_tot)(Ctx *c, const void *q, void **rows, int *n, void *tot, Err *e);
  size_t count_at;
  /* the members of the list's "totals" object (after "per_page"; with
   * totals_flat, members of the envelope itself); NULL: none */
  void (*totals)(JsonW *w, const void *tot);
  bool totals_flat;
  void (*tot_drop)(void *tot);               /* frees what tot holds; NULL: nothing */
  /* the POST: the input struct's size, its field table, the use case */
  size_t isize;
  const RecordSpec *spec;
  AuWriteFn add;
} AuKind;

/* Answers record id of kind k with status; ?history=1 (a kind with
 * history) answers {"record","history"} (every version, newest first). */
void au_show(Req *r, const AuKind *k, int64_t id, int status);

/* GET of a list of kind k: reads the kind's filter from the query
 * (per_page at most 200), answers the .xlsx, or {"items","total","page",
 * "per_page", the totals}. */
void au_list(Req *r, const AuKind *k);

/* POST of a record of kind k: its body bound by the kind's field table and
 * added by its use case; answers 201 with the record, or the error with
 * the fields' JSON names. */
void au_create(Req *r, const AuKind *k);

/* The record kinds of web/api_ledger.c, web/api_prevention.c and
 * web/api_unitwork.c; their list pages read through them too. */
extern const AuKind al_place, al_letter, al_inspection, ap_activity, ap_survey, au_eradication, au_unit_work;

/* The page of q by kind k's list (its rows into *(void **)rows, malloc'd;
 * the envelope's total; the totals into tot). Returns e's code. */
int au_kind_list(Ctx *c, const AuKind *k, const void *q, void *rows, int *n, int64_t *total, void *tot, Err *e);

/* Frees rows (n of kind k's, malloc'd; NULL allowed) and what they hold. */
void au_rows_free(const AuKind *k, void *rows, int n);

/* The rows of a list page of kind k for the filter q the page has read
 * (its page and per_page set): answers ?format=xlsx, or reads q's page
 * into *(void **)rows (malloc'd, au_rows_free), *n, *total and the kind's
 * totals into tot (the caller's; ignored by a kind without), e cleared
 * first. false: r is answered (the .xlsx, or an error page_list_failed
 * answers; the rows are freed); true: the page goes on and shows e when
 * it is set (an invalid filter, an unknown unit). */
bool au_page_rows(Req *r, const AuKind *k, const void *q, void *rows, int *n, int64_t *total, void *tot, Err *e);

/* A record page's read of record r->ids[0] of kind k into row (of the
 * kind's type) and, when hist is not NULL and the kind has history, every
 * version into *(void **)hist (malloc'd) and *nh; true, the caller lets
 * them go with au_page_record_free; else r answered the error and nothing
 * is held. */
bool au_page_record(Req *r, const AuKind *k, void *row, void *hist, int *nh);
/* A record's form: row (NULL: a new record) and a failed post's errors. */
typedef void (*AuFormFn)(Req *r, const void *row, const Err *e);
/* The form of record r->ids[0] of kind k (a correction) with e, or the
 * error of reading it. */
void au_page_form(Req *r, const AuKind *k, AuFormFn form, const Err *e);
/* Drops row (of kind k) and frees the nh versions hist (NULL allowed). */
void au_page_record_free(const AuKind *k, void *row, void *hist, int nh);

/* A {code} segment of a path (1-64 characters) with its NUL. */
#define AU_SEG 65

/* A document of a unit for a period at PREFIX{name}/{org}/{period}[/...]
 * (a data set's figures, a report form), as au_period_show answers it. */
typedef struct AuPeriodKind {
  const char *prefix; /* "/api/v1/datasets/" */
  size_t size;        /* the view */
  /* the view of the path's (name, org, period) */
  int (*get)(Ctx *c, char (*seg)[AU_SEG], void *view, Err *e);
  void (*view_free)(void *view);
  void (*xlsx)(Req *r, const void *view); /* ?format=xlsx: the table */
  /* the history (newest first) into *(void **)rows, freed by hist_free */
  int (*history)(Ctx *c, char (*seg)[AU_SEG], void *rows, int *n, Err *e);
  void (*hist_free)(void *rows, int n);
  size_t hsize;       /* a history row */
  JwItem hist_json;   /* one history row */
  /* the members of the answer's object (then "history" when asked) */
  void (*json)(JsonW *w, const Req *r, const void *view);
  /* submitting (locks) and unlocking (the reason, its field table and the
   * size of its input struct) the path's document */
  /* a refused submit's field errors must outlive the call: names they point
   * at are kept by r (req_keep), not on the callee's stack */
  int (*submit)(Req *r, char (*seg)[AU_SEG], Err *e);
  int (*unlock)(Ctx *c, char (*seg)[AU_SEG], const char *reason, Err *e);
  const RecordSpec *unlock_spec;
  size_t unlock_size;
  /* PUT: the keys of its body, and the write of the body (whose field
   * errors must outlive it: names it points into are kept by r) */
  const char *const *put_keys;
  void (*put)(Req *r, char (*seg)[AU_SEG], json_t *body, Err *e);
} AuPeriodKind;

/* The name, org and period of r's path (the route has matched: they are
 * there), each cut to AU_SEG - 1 bytes. */
void au_period_path(const Req *r, const AuPeriodKind *k, char seg[3][AU_SEG]);
/* Answers the document of r's path with status (with its history when
 * history), or its .xlsx, or the error. */
void au_period_show(Req *r, const AuPeriodKind *k, int status, bool history);
/* PUT of the path's document: the body (only the kind's keys) written by
 * the kind's put → 200 with the document, or the error. */
void au_period_put(Req *r, const AuPeriodKind *k);
/* POST .../submit (no body): submits the path's document → 200 with it. */
void au_period_submit(Req *r, const AuPeriodKind *k);
/* POST .../unlock {"reason"}: unlocks it → 200 with it. */
void au_period_unlock(Req *r, const AuPeriodKind *k);
/* Whether r asks for the history (?history=1). */
bool au_history_wanted(const Req *r);

/* The JSON write of r in one call (bind_json_act, web/bind.h): binds r's
 * body by spec into an input struct of isize bytes (zeroed; it lives for
 * the call), writes it with write, and answers the error with the fields'
 * JSON names. true when the write succeeded (nothing answered yet; *id the
 * record written, unless id is NULL), false when answered. */
bool au_act(Req *r, const RecordSpec *spec, size_t isize, AuWriteFn write, int64_t *id);

/* A change of record r->ids[0] of kind k: au_act, then 200 with the
 * record. */
void au_change(Req *r, const AuKind *k, const RecordSpec *spec, size_t isize, AuWriteFn write);

#endif
