/* tests/unit/test_web.c: cmocka tests of the web layer's helpers that need
 * no running server (web/server.c): response headers are kept as
 * "name\nvalue\n" pairs, so a header whose name or value holds a CR or LF
 * must be dropped rather than split into headers of the sender's choosing;
 * the JSON writer (web/json.c) escapes strings and places every comma,
 * colon and bracket itself; html() escapes every %s and %c
 * argument and formats the numeric conversions as printf does, url_encode
 * percent-encodes all but the unreserved characters and '/' (web/html.c);
 * routes_match finds a route by method and path, reads {id} and {token}
 * and tells a wrong method from an unknown path (web/routes.c); the form
 * and JSON binders (web/bind.c) fill an input struct by its table and
 * report every type error at once; the form's one-time token names its
 * user only as issued (app/once.h). */
#include <string.h>

#include "app/once.h"
#include "app/supervision.h"
#include "web/bind.h"
#include "web/html.h"
#include "web/http.h"
#include "web/json.h"
#include "web/routes.h"
#include "tests/unit/fixture.h"

/* A CR or LF in a header value or name never reaches the header list; a
 * clean header does, and a redirect keeps its Location. */
static void test_resp_header_no_split(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  resp_header(&r, "Location", "/x\nSet-Cookie\njd_session=attacker");
  resp_header(&r, "Location", "/x\r\nSet-Cookie: jd_session=attacker");
  resp_header(&r, "X-A\nSet-Cookie", "jd_session=attacker");
  assert_string_equal(buf_str(&r.headers), "");
  resp_header(&r, "Retry-After", "900");
  assert_string_equal(buf_str(&r.headers), "Retry-After\n900\n");
  buf_reset(&r.headers);
  resp_redirect(&r, "/persons/1");
  assert_int_equal(r.status, 303);
  assert_string_equal(buf_str(&r.headers), "Location\n/persons/1\n");
  buf_reset(&r.headers);
  buf_reset(&r.out);
}

/* jw_str: plain text (Chinese included) as it is, each escape in place,
 * control bytes as \u00XX, NULL as "", and < > & as \u003c \u003e \u0026. */
static void test_jw_str(void **state) {
  (void)state;
  static const struct { const char *in, *out; } cases[] = {
    {"", "\"\""},
    {NULL, "\"\""},
    {"禁毒社工 abc", "\"禁毒社工 abc\""},
    {"a\"b\\c", "\"a\\\"b\\\\c\""},
    {"<script>&", "\"\\u003cscript\\u003e\\u0026\""},
    {"\n\r\t\x01x\x1f", "\"\\n\\r\\t\\u0001x\\u001f\""},
    {"end\"", "\"end\\\"\""},
    {"\\", "\"\\\\\""},
    {"\xe2\x82\xac\xf0\x9f\x98\x80\x7f", "\"\xe2\x82\xac\xf0\x9f\x98\x80\x7f\""}, /* UTF-8 and DEL pass */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b);
    jw_str(&w, cases[i].in);
    assert_true(w.complete);
    assert_string_equal(buf_str(&b), cases[i].out);
    buf_reset(&b);
  }
}

/* jw_strn takes n bytes (a NUL inside is escaped, the rest not read);
 * jw_str_or_null writes null for NULL and "". */
static void test_jw_strn_null(void **state) {
  (void)state;
  Buf b = BUF_INIT;
  JsonW w;
  jw_init(&w, &b);
  jw_arr_begin(&w);
  jw_strn(&w, "ab,cd", 2);
  jw_strn(&w, "x\0y", 3);
  jw_str_or_null(&w, NULL);
  jw_str_or_null(&w, "");
  jw_str_or_null(&w, "z");
  jw_arr_end(&w);
  assert_string_equal(buf_str(&b), "[\"ab\",\"x\\u0000y\",null,null,\"z\"]");
  buf_reset(&b);
}

/* The writer puts every comma, colon and bracket: nested objects and
 * arrays, empty ones, keys escaped like strings, numbers, booleans, null;
 * it appends to what the Buf already holds. */
static void test_jw_nesting(void **state) {
  (void)state;
  Buf b = BUF_INIT;
  buf_puts(&b, ">");
  JsonW w;
  jw_init(&w, &b);
  jw_obj_begin(&w);
  jw_key_int(&w, "id", -42);
  jw_key(&w, "a\"k");
  jw_arr_begin(&w);
  jw_arr_end(&w);
  jw_key(&w, "o");
  jw_obj_begin(&w);
  jw_obj_end(&w);
  jw_key(&w, "list");
  jw_arr_begin(&w);
  jw_int(&w, 1);
  jw_arr_begin(&w);
  jw_bool(&w, true);
  jw_null(&w);
  jw_arr_end(&w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "f", false);
  jw_key(&w, "n");
  jw_int_or_null(&w, false, 7);
  jw_key(&w, "m");
  jw_int_or_null(&w, true, 7);
  jw_obj_end(&w);
  jw_arr_end(&w);
  jw_key_str_or_null(&w, "s", "v");
  jw_obj_end(&w);
  assert_true(w.complete);
  assert_string_equal(buf_str(&b), ">{\"id\":-42,\"a\\\"k\":[],\"o\":{},\"list\":[1,[true,null],{\"f\":false,\"n\":null,"
                                   "\"m\":7}],\"s\":\"v\"}");
  buf_reset(&b);
}

/* The list envelope: items, total, page, per_page; with a cap also
 * total_capped, and a total above the cap reads as the cap. */
static void test_jw_list(void **state) {
  (void)state;
  static const struct { int64_t total, cap; const char *out; } cases[] = {
    {0, 0, "{\"items\":[],\"total\":0,\"page\":1,\"per_page\":20}"},
    {2, 0, "{\"items\":[1,2],\"total\":2,\"page\":1,\"per_page\":20}"},
    {2, 10, "{\"items\":[1,2],\"total\":2,\"total_capped\":false,\"page\":1,\"per_page\":20}"},
    {11, 10, "{\"items\":[1,2],\"total\":10,\"total_capped\":true,\"page\":1,\"per_page\":20}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b);
    jw_list_begin(&w);
    for (int k = 1; k <= cases[i].total && k <= 2; k++) jw_int(&w, k);
    jw_list_end(&w, cases[i].total, cases[i].cap, 1, 20);
    assert_true(w.complete);
    assert_string_equal(buf_str(&b), cases[i].out);
    buf_reset(&b);
  }
}

/* json_begin/json_end write the answer into the request's body. */
static void test_json_answer(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  buf_puts(&r.out, "stale");
  JsonW w;
  json_begin(&r, &w);
  jw_obj_begin(&w);
  jw_key_bool(&w, "ok", true);
  jw_obj_end(&w);
  json_end(&r, &w, 201);
  assert_string_equal(buf_str(&r.out), "{\"ok\":true}");
  assert_int_equal(r.status, 201);
  assert_string_equal(r.content_type, "application/json");
  assert_true(r.done);
  buf_reset(&r.out);
}

/* html(): the format string is markup and stays as written; %s and %c
 * arguments are escaped (& < > " '), NULL as ""; the numeric conversions
 * with their flags, width, precision and length modifiers are printf's; %%
 * is a percent sign. */
static void test_html_format(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  html(&r, "<a href=\"/x?q=%s\">%s</a>", "a&b", "<script>alert('x')</script>");
  assert_string_equal(buf_str(&r.out),
                      "<a href=\"/x?q=a&amp;b\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a>");
  buf_reset(&r.out);
  const char *volatile none = NULL; /* (a literal NULL trips -Wformat-overflow) */
  html(&r, "<p title=\"%s\">%s%s</p>", "\"quoted\"", none, "禁毒 社工");
  assert_string_equal(buf_str(&r.out), "<p title=\"&quot;quoted&quot;\">禁毒 社工</p>");
  buf_reset(&r.out);
  html(&r, "%c%c%c|%d|%i|%u|%x|%X|%%", '<', 'a', '&', -42, 7, 42u, 255u, 255u);
  assert_string_equal(buf_str(&r.out), "&lt;a&amp;|-42|7|42|ff|FF|%");
  buf_reset(&r.out);
  html(&r, "[%5d][%-4d][%03d][%+d][%.3d][%ld][%lld][%llu][%zu]", 42, 7, 5, 3, 9, -1234567890L,
       (long long)-9007199254740993LL, 18446744073709551615ULL, (size_t)123456);
  assert_string_equal(buf_str(&r.out),
                      "[   42][7   ][005][+3][009][-1234567890][-9007199254740993][18446744073709551615][123456]");
  buf_reset(&r.out);
  html(&r, "100%% %s", "&");
  assert_string_equal(buf_str(&r.out), "100% &amp;");
  buf_reset(&r.out);
  html(&r, "no conversions: <b>&amp;</b>");
  assert_string_equal(buf_str(&r.out), "no conversions: <b>&amp;</b>");
  buf_reset(&r.out);
  html(&r, "%s", "");
  assert_string_equal(buf_str(&r.out), "");
  buf_reset(&r.out);
}

/* url_encode: letters, digits, "-_.~/" as they are; every other byte
 * (UTF-8 bytes included) as %XX in upper case; NULL as "". */
static void test_url_encode(void **state) {
  (void)state;
  static const struct { const char *in, *out; } cases[] = {
    {"", ""},
    {NULL, ""},
    {"/persons/12", "/persons/12"},
    {"AZaz09-_.~/", "AZaz09-_.~/"},
    {"a b&c=d?e#f+g%", "a%20b%26c%3Dd%3Fe%23f%2Bg%25"},
    {"<\"'>", "%3C%22%27%3E"},
    {"张三", "%E5%BC%A0%E4%B8%89"},
    {"\n\x01\x7f\xff", "%0A%01%7F%FF"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    url_encode(&b, cases[i].in);
    assert_string_equal(buf_str(&b), cases[i].out);
    buf_reset(&b);
  }
}

/* The route routes_match finds for method and path (NULL when none), the
 * ids it reads and whether the path matched under another method. */
static void expect_route(const char *method, const char *path, Handler want, int64_t id0, int64_t id1,
                         bool path_matched) {
  Req r;
  memset(&r, 0, sizeof r);
  bool matched = !path_matched;
  const Route *rt = routes_match(&r, method, path, &matched);
  if (want) {
    if (!rt) fail_msg("%s %s: no route", method, path);
    assert_ptr_equal(rt->handler, want);
    assert_string_equal(rt->method, method);
    assert_int_equal(r.ids[0], id0);
    assert_int_equal(r.ids[1], id1);
  } else if (rt) {
    fail_msg("%s %s: matched %s %s", method, path, rt->method, rt->pattern);
  }
  assert_int_equal(matched, path_matched);
}

/* routes_match: fixed paths, one and two {id}s (positive, 1-18 digits, no
 * leading zero), {token} (16-128 lowercase hex digits) with its suffix, the
 * method telling routes of one path apart, a known path under an unknown
 * method (405) and paths no route has (404). */
static void test_routes_match(void **state) {
  (void)state;
  expect_route("GET", "/", page_home, 0, 0, true);
  expect_route("GET", "/login", page_login_form, 0, 0, true);
  expect_route("POST", "/login", page_login_submit, 0, 0, true);
  expect_route("GET", "/persons", page_person_list, 0, 0, true);
  expect_route("POST", "/persons", page_person_create, 0, 0, true);
  expect_route("GET", "/persons/new", page_person_new, 0, 0, true);
  expect_route("GET", "/persons/42", page_person_show, 42, 0, true);
  expect_route("POST", "/persons/42", page_person_update, 42, 0, true);
  expect_route("GET", "/persons/7/edit", page_person_edit, 7, 0, true);
  expect_route("POST", "/persons/7/tasks/9", page_task_set, 7, 9, true);
  expect_route("GET", "/persons/123456789012345678", page_person_show, 123456789012345678LL, 0, true);
  expect_route("GET", "/api/v1/persons/5", api_person_get, 5, 0, true);
  expect_route("PATCH", "/api/v1/persons/5", api_person_patch, 5, 0, true);
  expect_route("PUT", "/api/v1/persons/5/worker", api_person_worker, 5, 0, true);
  expect_route("POST", "/api/v1/approvals/3/decide", api_approval_decide, 3, 0, true);
  expect_route("GET", "/calendar/0123456789abcdef.ics", page_calendar, 0, 0, true);
  /* the path is known, the method is not: 405 */
  expect_route("DELETE", "/persons/42", NULL, 0, 0, true);
  expect_route("PUT", "/login", NULL, 0, 0, true);
  expect_route("GET", "/orgs/move", NULL, 0, 0, true);
  /* no route has the path: 404 */
  expect_route("GET", "/persons/0", NULL, 0, 0, false);
  expect_route("GET", "/persons/007", NULL, 0, 0, false);
  expect_route("GET", "/persons/-1", NULL, 0, 0, false);
  expect_route("GET", "/persons/1234567890123456789", NULL, 0, 0, false);
  expect_route("GET", "/persons/12x", NULL, 0, 0, false);
  expect_route("GET", "/persons/", NULL, 0, 0, false);
  expect_route("GET", "/persons/42/", NULL, 0, 0, false);
  expect_route("GET", "/persons/42/edit/more", NULL, 0, 0, false);
  expect_route("GET", "/Persons", NULL, 0, 0, false);
  expect_route("GET", "", NULL, 0, 0, false);
  expect_route("GET", "/calendar/0123456789abcde.ics", NULL, 0, 0, false);   /* 15 digits */
  expect_route("GET", "/calendar/0123456789ABCDEF.ics", NULL, 0, 0, false);  /* upper case */
  expect_route("GET", "/calendar/0123456789abcdef.ical", NULL, 0, 0, false);
  expect_route("GET", "/calendar/0123456789abcdef", NULL, 0, 0, false);
  char longtok[160] = "/calendar/";
  memset(longtok + 10, 'a', 129);
  strcpy(longtok + 139, ".ics");
  expect_route("GET", longtok, NULL, 0, 0, false); /* 129 digits */
  longtok[138] = '.';
  strcpy(longtok + 139, "ics");
  expect_route("GET", longtok, page_calendar, 0, 0, true); /* 128 digits */
}

/* Frees what a binder handed to r. */
static void bind_test_free(Req *r) {
  for (int i = 0; i < r->nkept; i++) free(r->kept[i]);
  free(r->kept);
}

/* bind_form: texts as posted (NULL when absent), a set joined from the
 * repeated field, an integer parsed; two fields of the wrong form are both
 * reported. */
static void test_bind_form(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  Param form[] = {{"date", "2025-06-01"}, {"substances", "heroin"}, {"result", "positive"},
                  {"substances", "ketamine"}, {"tester", "王五"}};
  memcpy(r.form, form, sizeof form);
  r.nform = (int)(sizeof form / sizeof form[0]);
  TestInput t;
  memset(&t, 0, sizeof t);
  Err e;
  err_clear(&e);
  assert_int_equal(bind_form(&r, &test_record, &t, &e), ERR_OK);
  assert_string_equal(t.date, "2025-06-01");
  assert_string_equal(t.substances, "heroin,ketamine");
  assert_string_equal(t.tester, "王五");
  assert_null(t.sample);
  bind_test_free(&r);

  memset(&r, 0, sizeof r);
  Param ev[] = {{"kind", "absence"}, {"days", "12x"}, {"date", ""}};
  memcpy(r.form, ev, sizeof ev);
  r.nform = 3;
  EventInput in;
  memset(&in, 0, sizeof in);
  err_clear(&e);
  assert_int_equal(bind_form(&r, &event_record, &in, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "days"), "应为整数");
  r.form[1].val = "30";
  err_clear(&e);
  assert_int_equal(bind_form(&r, &event_record, &in, &e), ERR_OK);
  assert_int_equal(in.days, 30);
  bind_test_free(&r);
}

/* bind_json: types by kind, a grouped member ("five_knowns.basics"), null
 * as empty, unknown keys refused; every type error reported at once under
 * its JSON name. */
static void test_bind_json(void **state) {
  (void)state;
  Req r;
  memset(&r, 0, sizeof r);
  json_t *o = json_loads("{\"date\":\"2025-06-01\",\"kind\":\"talk\",\"place\":null,"
                         "\"five_knowns\":{\"basics\":\"基本\"}}", 0, NULL);
  VisitInput v;
  memset(&v, 0, sizeof v);
  Err e;
  err_clear(&e);
  assert_int_equal(bind_json(&r, o, &visit_record, NULL, &v, &e), ERR_OK);
  assert_string_equal(v.kind, "talk");
  assert_string_equal(v.place, "");
  assert_string_equal(v.fk_basics, "基本");
  assert_null(v.notes);
  json_decref(o);

  o = json_loads("{\"date\":5,\"five_knowns\":{\"basics\":1,\"hobby\":\"x\"}}", 0, NULL);
  memset(&v, 0, sizeof v);
  err_clear(&e);
  assert_int_equal(bind_json(&r, o, &visit_record, NULL, &v, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "date"), "应为字符串");
  assert_string_equal(err_field_msg(&e, "five_knowns"), "包含未知字段");
  assert_string_equal(err_field_msg(&e, "five_knowns.basics"), "应为字符串");
  json_decref(o);

  o = json_loads("{\"kind\":\"absence\",\"days\":\"3\",\"mood\":1}", 0, NULL);
  EventInput ev;
  memset(&ev, 0, sizeof ev);
  err_clear(&e);
  assert_int_equal(bind_json(&r, o, &event_record, NULL, &ev, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "mood"), "未知字段");
  json_decref(o);
  o = json_loads("{\"kind\":\"absence\",\"days\":\"3\",\"note\":[]}", 0, NULL);
  err_clear(&e);
  assert_int_equal(bind_json(&r, o, &event_record, NULL, &ev, &e), ERR_INVALID);
  assert_string_equal(err_field_msg(&e, "days"), "应为整数");
  assert_string_equal(err_field_msg(&e, "note"), "应为字符串");
  json_decref(o);

  o = json_loads("{\"substances\":[\"heroin\",\"mdma\"],\"tester\":null}", 0, NULL);
  TestInput t;
  memset(&t, 0, sizeof t);
  err_clear(&e);
  assert_int_equal(bind_json(&r, o, &test_record, NULL, &t, &e), ERR_OK);
  assert_string_equal(t.substances, "heroin,mdma");
  json_decref(o);
  bind_test_free(&r);
}

/* Form tokens (app/once.h): issued only after once_init, naming their user
 * for 14 hours; a changed character, another key, a token from the future
 * or an old one names nobody. */
static void test_form_token(void **state) {
  Fix *f = *state;
  char tok[ONCE_TOKEN_MAX];
  int64_t now = 1790000000;
  Err e;
  err_clear(&e);
  assert_int_equal(once_init(f->db, &e), ERR_OK);
  assert_true(once_form_token(42, now, tok));
  assert_int_equal(once_form_token_user(tok, now), 42);
  assert_int_equal(once_form_token_user(tok, now + ONCE_TOKEN_VALID_SECONDS), 42);
  assert_int_equal(once_form_token_user(tok, now + ONCE_TOKEN_VALID_SECONDS + 1), 0);
  assert_int_equal(once_form_token_user(tok, now - 3600), 0); /* issued in the future */
  char bad[ONCE_TOKEN_MAX];
  for (size_t i = 0; i < strlen(tok); i++) {
    memcpy(bad, tok, sizeof bad);
    bad[i] = bad[i] == '1' ? '2' : '1';
    assert_int_equal(once_form_token_user(bad, now), 0);
  }
  char other[ONCE_TOKEN_MAX];
  assert_true(once_form_token(42, now, other));
  assert_string_not_equal(tok, other); /* one per form */
  assert_int_equal(once_form_token_user("", now), 0);
  assert_int_equal(once_form_token_user(NULL, now), 0);
  assert_true(once_key_ok("a") && once_key_ok("order-2026/12/05 #1"));
  assert_false(once_key_ok("") || once_key_ok("tab\there") || once_key_ok("中文"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_resp_header_no_split),
    cmocka_unit_test(test_jw_str),
    cmocka_unit_test(test_jw_strn_null),
    cmocka_unit_test(test_jw_nesting),
    cmocka_unit_test(test_jw_list),
    cmocka_unit_test(test_json_answer),
    cmocka_unit_test(test_html_format),
    cmocka_unit_test(test_url_encode),
    cmocka_unit_test(test_routes_match),
    cmocka_unit_test(test_bind_form),
    cmocka_unit_test(test_bind_json),
    cmocka_unit_test_setup_teardown(test_form_token, fix_state_open, fix_state_close),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
