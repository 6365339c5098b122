/* web/html.h: the one HTML writer. html() escapes every %s argument (text and
 * attribute safe: & < > " ' are encoded); the format string itself is the
 * programmer's markup. Raw output has its own visibly named call, html_raw().
 * The page frame (head, navigation, language switch) and form helpers that
 * every page shares live here too. */
#ifndef JINDU_HTML_H
#define JINDU_HTML_H
#include "web/http.h"

/* Appends fmt to r->out; every %s argument is HTML-escaped. Supports
 * %s %d %i %u %ld %lld %zu %x %c %% with flags/width/precision (no '*'). */
void html(Req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends trusted markup as it is. Never pass user data. */
void html_raw(Req *r, const char *markup);
/* Appends s escaped into b (for code that builds HTML into a Buf). */
void html_escape(Buf *b, const char *s);
/* Appends s percent-encoded for use inside a URL query value. */
void url_encode(Buf *b, const char *s);

/* Starts a page: doctype, head with title (escaped), stylesheet, header with
 * navigation for the signed-in actor, and opens <main>. print_view selects the
 * print layout (no navigation). */
void page_begin(Req *r, const char *title, bool print_view);
/* Closes <main> and the document; sets the content type. Every table of
 * the page with a header row is marked for the phone's card layout
 * (html_table_cards). */
void page_end(Req *r);
/* Marks each <table> with a <thead> in out from byte from on data-cards
 * and gives each body cell (<td> without colspan) the text of its column's
 * header as data-label (web/table_cards.c). */
void html_table_cards(Buf *out, size_t from);
/* The hidden inputs every form that posts carries: the session's CSRF
 * token (_csrf) and a new one-time token (_once, app/once.h) that makes a
 * repeated post of the same form answer as the first did instead of
 * writing twice, and lets a form posted after the session expired be kept
 * for its user (app/draft.h). The page frame's sign-out form has only the
 * CSRF token (the frame stays the same from one request to the next). */
void form_csrf(Req *r);
/* A labelled input row: type "text", "date", "password", "tel"...; value and
 * the field's error message (NULL for none) shown beside it. */
void form_input(Req *r, const char *type, const char *name, const char *label_zh,
                const char *value, const char *error_zh, bool required, int maxlen);
/* A labelled <textarea>. */
void form_textarea(Req *r, const char *name, const char *label_zh, const char *value,
                   const char *error_zh, int maxlen);
/* A labelled <select>; options are pairs {value, label_zh} ending with NULL. */
void form_select(Req *r, const char *name, const char *label_zh, const char *const *options,
                 const char *selected, const char *error_zh);
/* A message box at the top of a form for e (nothing when e is OK). */
void form_error_summary(Req *r, const Err *e);
/* Paging links: "?page=N" keeping the other query parameters given in base
 * (already URL-encoded, without page). */
void html_pager(Req *r, const char *base_path_query, int page, int per_page, int64_t total);
/* The same for a count that stops past cap: a total above cap shows as
 * "cap+" and paging stops at cap rows. */
void html_pager_capped(Req *r, const char *base_path_query, int page, int per_page, int64_t total, int64_t cap);
/* Paging links that carry positions (a keyset): the link to the page before
 * adds "before=" prev_before, the one to the page after "after=" next_after
 * (each already URL-safe; "" or NULL: no such link), then "page=" its
 * number, so the page a link leads to reads from there. The text is
 * html_pager_capped's when total >= 0, else the page's number alone. */
void html_pager_keyed(Req *r, const char *base_path_query, int page, int per_page, int64_t total, int64_t cap,
                      const char *prev_before, const char *next_after);

#endif
