/* web/api_unit.c: the handlers the JSON APIs of unit and ledger records
 * share (web/api_unit.h): one record of a kind (with its history), a list
 * of a kind (filter from the query, paging, .xlsx, the envelope and the
 * kind's totals), a write through a record's field table. */
#include "web/api_unit.h"
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "web/page.h"
#include "web/xlsx.h"

int au_kind_list(Ctx *c, const AuKind *k, const void *q, void *rows, int *n, int64_t *total, void *tot, Err *e) {
  if (!k->list_tot) return k->list(c, q, rows, n, total, tot, e);
  int rc = k->list_tot(c, q, rows, n, tot, e);
  *total = *(const int64_t *)((const char *)tot + k->count_at);
  return rc;
}

void au_rows_free(const AuKind *k, void *rows, int n) {
  for (int i = 0; k->drop && rows && i < n; i++) k->drop((char *)rows + (size_t)i * k->size);
  free(rows);
}

/* au_page_record of record id. */
static bool au_read(Req *r, const AuKind *k, int64_t id, void *row, void *hist, int *nh) {
  Err e;
  err_clear(&e);
  memset(row, 0, k->size);
  if (hist) {
    *(void **)hist = NULL;
    *nh = 0;
  }
  if (k->get(&r->ctx, id, row, &e) == ERR_OK &&
      (!hist || !k->history || k->history(&r->ctx, id, hist, nh, &e) == ERR_OK))
    return true;
  if (hist) {
    au_page_record_free(k, row, *(void **)hist, *nh);
    *(void **)hist = NULL;
    *nh = 0;
  } else {
    au_page_record_free(k, row, NULL, 0);
  }
  resp_error(r, &e);
  return false;
}

/* Writes row of kind k as its JSON object. */
static void au_row_json(JsonW *w, const AuKind *k, const void *row, const Req *r) {
  if (k->json) k->json(w, row, r);
  else jw_record(w, k->fields, row);
}

void au_show(Req *r, const AuKind *k, int64_t id, int status) {
  char *row = malloc(k->size), *hist = NULL;
  if (!row) abort();
  int nh = 0;
  bool history = k->history && au_history_wanted(r);
  if (au_read(r, k, id, row, history ? &hist : NULL, &nh)) {
    JsonW w;
    json_begin(r, &w);
    if (history) {
      jw_obj_begin(&w);
      jw_key(&w, "record");
    }
    au_row_json(&w, k, row, r);
    if (history) {
      jw_key(&w, "history");
      jw_arr_begin(&w);
      for (int i = 0; i < nh; i++) au_row_json(&w, k, hist + (size_t)i * k->size, r);
      jw_arr_end(&w);
      jw_obj_end(&w);
    }
    json_end(r, &w, status);
    au_page_record_free(k, row, hist, nh);
  }
  free(row);
}

/* au_list with the filter q and the totals tot (zeroed, of the kind's types). */
static void au_list_of(Req *r, const AuKind *k, void *q, void *tot) {
  Err e;
  err_clear(&e);
  for (int i = 0; k->params[i]; i++) {
    const char *v = req_query(r, k->params[i]);
    memcpy((char *)q + (size_t)i * sizeof v, &v, sizeof v);
  }
  if (k->filter) k->filter(r, q, &e);
  int *page = (int *)((char *)q + k->page), *per_page = (int *)((char *)q + k->per_page);
  json_query_paging(r, 50, page, per_page, &e);
  if (e.code != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  if (xlsx_wanted(r)) {
    k->xlsx(r, q);
    return;
  }
  void *rows = NULL;
  int n = 0;
  int64_t total = 0;
  int rc = au_kind_list(&r->ctx, k, q, &rows, &n, &total, tot, &e);
  if (rc != ERR_OK) {
    resp_error(r, &e);
  } else {
    JsonW w;
    json_begin(r, &w);
    jw_list_begin(&w);
    for (int i = 0; i < n; i++) au_row_json(&w, k, (char *)rows + (size_t)i * k->size, r);
    jw_list_fields(&w, total, 0, *page, *per_page);
    bool wrap = k->totals && !k->totals_flat; /* "totals":{...} */
    if (wrap) {
      jw_key(&w, "totals");
      jw_obj_begin(&w);
    }
    if (k->totals) k->totals(&w, tot);
    if (wrap) jw_obj_end(&w);
    jw_obj_end(&w);
    json_end(r, &w, 200);
  }
  au_rows_free(k, rows, n);
  if (k->tot_drop) k->tot_drop(tot);
}

void au_list(Req *r, const AuKind *k) {
  void *q = calloc(1, k->qsize), *tot = calloc(1, k->tsize ? k->tsize : 1);
  if (!q || !tot) abort();
  au_list_of(r, k, q, tot);
  free(q);
  free(tot);
}

bool au_page_rows(Req *r, const AuKind *k, const void *q, void *rows, int *n, int64_t *total, void *tot, Err *e) {
  err_clear(e);
  *(void **)rows = NULL;
  *n = 0;
  *total = 0;
  if (xlsx_wanted(r)) {
    k->xlsx(r, q);
    return false;
  }
  au_kind_list(&r->ctx, k, q, rows, n, total, tot, e);
  if (!page_list_failed(r, e)) return true;
  au_rows_free(k, *(void **)rows, *n);
  *(void **)rows = NULL;
  *n = 0;
  return false;
}

bool au_page_record(Req *r, const AuKind *k, void *row, void *hist, int *nh) {
  return au_read(r, k, r->ids[0], row, hist, nh);
}

void au_page_form(Req *r, const AuKind *k, AuFormFn form, const Err *e) {
  void *row = malloc(k->size);
  if (!row) abort();
  if (au_page_record(r, k, row, NULL, NULL)) {
    form(r, row, e);
    au_page_record_free(k, row, NULL, 0);
  }
  free(row);
}

void au_page_record_free(const AuKind *k, void *row, void *hist, int nh) {
  if (k->drop) k->drop(row);
  au_rows_free(k, hist, nh);
}

/* What au_act's binder callback needs beside the input struct: it sits
 * just before the input in one allocation (aligned as any object). */
typedef union AuActHead {
  AuWriteFn write;
  max_align_t align;
} AuActHead;

/* The BindActFn of au_act: the write of the head before in. */
static int au_act_write(Req *r, json_t *body, void *in, int64_t *id, Err *e) {
  (void)body;
  const AuActHead *h = (const AuActHead *)in - 1;
  *id = r->ids[0];
  return h->write(r, in, id, e);
}

bool au_act(Req *r, const RecordSpec *spec, size_t isize, AuWriteFn write, int64_t *id) {
  int64_t made;
  if (!id) id = &made;
  AuActHead *h = calloc(1, sizeof *h + isize);
  if (!h) abort();
  h->write = write;
  bool ok = bind_json_act(r, spec, NULL, h + 1, au_act_write, id);
  free(h);
  return ok;
}

void au_create(Req *r, const AuKind *k) {
  int64_t id;
  if (au_act(r, k->spec, k->isize, k->add, &id)) au_show(r, k, id, 201);
}

void au_change(Req *r, const AuKind *k, const RecordSpec *spec, size_t isize, AuWriteFn write) {
  int64_t id;
  if (au_act(r, spec, isize, write, &id)) au_show(r, k, id, 200);
}

bool au_history_wanted(const Req *r) {
  const char *h = req_query(r, "history");
  return h && strcmp(h, "1") == 0;
}

void au_period_path(const Req *r, const AuPeriodKind *k, char seg[3][AU_SEG]) {
  const char *s = r->path + strlen(k->prefix);
  for (int i = 0; i < 3; i++) {
    size_t n = strcspn(s, "/");
    snprintf(seg[i], AU_SEG, "%.*s", (int)(n < AU_SEG ? n : AU_SEG - 1), s);
    s += n + (s[n] == '/');
  }
}

void au_period_show(Req *r, const AuPeriodKind *k, int status, bool history) {
  char seg[3][AU_SEG];
  au_period_path(r, k, seg);
  Err e;
  err_clear(&e);
  void *view = calloc(1, k->size);
  if (!view) abort();
  void *hist = NULL;
  int nh = 0;
  if (k->get(&r->ctx, seg, view, &e) != ERR_OK) {
    resp_error(r, &e);
    free(view);
    return;
  }
  if (xlsx_wanted(r)) {
    k->xlsx(r, view);
  } else if (history && k->history(&r->ctx, seg, &hist, &nh, &e) != ERR_OK) {
    resp_error(r, &e);
  } else {
    JsonW w;
    json_begin(r, &w);
    jw_obj_begin(&w);
    k->json(&w, r, view);
    if (history) {
      jw_key(&w, "history");
      jw_arr_begin(&w);
      for (int i = 0; i < nh; i++) k->hist_json(&w, (char *)hist + (size_t)i * k->hsize);
      jw_arr_end(&w);
    }
    jw_obj_end(&w);
    json_end(r, &w, status);
  }
  k->hist_free(hist, nh);
  k->view_free(view);
  free(view);
}

void au_period_put(Req *r, const AuPeriodKind *k) {
  json_t *body = json_body_only(r, k->put_keys);
  if (!body) return;
  char seg[3][AU_SEG];
  au_period_path(r, k, seg);
  Err e;
  err_clear(&e);
  k->put(r, seg, body, &e);
  json_decref(body);
  if (e.code != ERR_OK) resp_error(r, &e);
  else au_period_show(r, k, 200, false);
}

void au_period_submit(Req *r, const AuPeriodKind *k) {
  if (!json_body_none(r)) return;
  char seg[3][AU_SEG];
  au_period_path(r, k, seg);
  Err e;
  err_clear(&e);
  if (k->submit(r, seg, &e) != ERR_OK) {
    resp_error(r, &e);
    return;
  }
  au_period_show(r, k, 200, false);
}

/* An unlock's input: the kind's input struct (bound by its unlock_spec at
 * the start) and the kind. */
typedef struct AuUnlock {
  union {
    const char *align;
    unsigned char bytes[64];
  } in;
  const AuPeriodKind *k;
} AuUnlock;

/* Unlocks the path's document with the bound reason, when the binder found
 * nothing to refuse (a BindActFn over an AuUnlock). */
static int au_period_unlock_act(Req *r, json_t *body, void *input, int64_t *id, Err *e) {
  (void)body;
  (void)id;
  AuUnlock *u = input;
  char seg[3][AU_SEG];
  au_period_path(r, u->k, seg);
  if (e->code == ERR_OK)
    u->k->unlock(&r->ctx, seg, field_text(bind_field(u->k->unlock_spec, "reason"), &u->in), e);
  return e->code;
}

void au_period_unlock(Req *r, const AuPeriodKind *k) {
  AuUnlock u;
  memset(&u, 0, sizeof u);
  assert(k->unlock_size <= sizeof u.in);
  u.k = k;
  int64_t id;
  if (bind_json_act(r, k->unlock_spec, NULL, &u, au_period_unlock_act, &id)) au_period_show(r, k, 200, false);
}


