#!/usr/bin/env python3
"""tests/integration/run.py: the integration suite. Starts the real `jindu
serve` on a free loopback port over a database it builds itself through the
command line, drives it over HTTP (pages and JSON API) and checks the public
contract of /work/shared/API.md and the issue: CLI exit codes, sign-in and
throttling, sessions, CSRF, the person API and every validation error,
oversized and malformed bodies, scope (404 exactly like a missing record in
pages, lists, search and API), masking and escaping in pages, the audit trail
(reads recorded, `audit verify` after tampering a copy with the sqlite3
command-line tool), admin pages, i18n and the message catalog; and the
supervision engine: records, schedules, work lists, approvals, the forms
and the calendar feed, with scope and role refusals for every endpoint,
dated scenarios on a second server whose today is fixed (JINDU_TODAY), and
`jindu doctor` over the database at the end.

Usage: python3 tests/integration/run.py --jindu ./jindu [--only REGEX] [--keep] [-v]
Prints "ok NAME" or "FAIL NAME: reason" per test and a last line
"integration: N passed, M failed"; exits 1 when M > 0.

Python 3 standard library only. The database is read (and copies tampered)
with the `sqlite3` command-line tool, never with Python's sqlite3 module."""
import argparse
import atexit
import calendar
import copy
import datetime
import http.client as httpc
import html.entities
import html.parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------- basics --


class Failure(Exception):
    """A test's expectation did not hold; the message says what and how."""


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def expect_eq(got, want, what):
    if got != want:
        raise Failure(f"{what}: expected {want!r}, got {got!r}")


CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def has_cjk(s):
    return bool(CJK_RE.search(s or ""))


def short(s, n=300):
    s = s if isinstance(s, str) else repr(s)
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[:n] + "…"


class Ctx:
    """Everything the tests share: paths, the server, sessions, fixtures."""
    jindu = None
    tmp = None
    db = None
    port = None
    server = None
    server_log = None
    server_up = False
    setup_error = None
    api_sessions = {}
    page_sessions = {}
    persons = {}      # fixture key -> {"id", "payload"}
    alt_sources = True  # 127.0.0.x source addresses usable
    dated = None      # the second server (JINDU_TODAY fixed) over the same database, started on first use
    dport = None
    dated_log = None
    dated_error = None


C = Ctx()

# ------------------------------------------------------------------- CLI --


def run_cli(args, stdin=None, timeout=60):
    """Runs jindu with args; returns (exit code, stdout, stderr) as text."""
    p = subprocess.run([C.jindu] + args, input=(stdin.encode() if stdin is not None else None),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sql(query, db=None):
    """Runs SQL with the sqlite3 command-line tool; returns stdout stripped."""
    p = subprocess.run(["sqlite3", "-batch", "-noheader", "-cmd", ".timeout 5000", db or C.db, query],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    if p.returncode != 0:
        raise Failure(f"sqlite3 {query!r} failed: {p.stderr.decode('utf-8', 'replace').strip()}")
    return p.stdout.decode("utf-8", "replace").strip()


def sql_int(query, db=None):
    out = sql(query, db)
    try:
        return int(out.splitlines()[-1])
    except (ValueError, IndexError):
        raise Failure(f"sqlite3 {query!r}: expected a number, got {out!r}")


# ------------------------------------------------------------------ HTTP --


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise Failure(f"response is not JSON: {self.brief()}")

    def brief(self):
        return f"{self.status} {short(self.text)}"

    def cookie(self, name):
        """Value of cookie name in Set-Cookie, with its attribute string, or (None, None)."""
        for v in self.headers_all("Set-Cookie"):
            first = v.split(";", 1)[0]
            if "=" in first and first.split("=", 1)[0].strip() == name:
                return first.split("=", 1)[1], v
        return None, None


def hreq(method, path, body=None, headers=None, source=None, timeout=30, port=None):
    """One request on a fresh connection; never follows redirects. port:
    another server than the main one (the dated server of the supervision
    tests)."""
    if not C.server_up:
        raise Failure("the server is not running")
    src = (source, 0) if source else None
    conn = httpc.HTTPConnection("127.0.0.1", port or C.port, timeout=timeout, source_address=src)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        r = conn.getresponse()
        data = r.read()
        return Resp(r.status, r.getheaders(), data)
    except (ConnectionError, socket.timeout, httpc.HTTPException) as ex:
        raise Failure(f"{method} {path}: connection problem: {ex!r}")
    finally:
        conn.close()


def jbody(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


class Api:
    """A bearer-token client of /api/v1."""

    def __init__(self, token, who):
        self.token = token
        self.who = who
        self.port = None  # None: the main server

    def at(self, port):
        """The same session talking to the server on port (same database)."""
        c = copy.copy(self)
        c.port = port
        return c

    def call(self, method, path, obj=None, raw=None, ctype="application/json", headers=None):
        h = {"Authorization": "Bearer " + self.token}
        body = None
        if obj is not None:
            body = jbody(obj)
        elif raw is not None:
            body = raw
        if body is not None and ctype:
            h["Content-Type"] = ctype
        h.update(headers or {})
        return hreq(method, path, body=body, headers=h, port=self.port)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, obj=None, **kw):
        return self.call("POST", path, obj=obj, **kw)

    def patch(self, path, obj=None, **kw):
        return self.call("PATCH", path, obj=obj, **kw)


CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')


class Page:
    """A browser-like client holding the jd_session cookie."""

    def __init__(self, cookie, who):
        self.cookie = cookie
        self.who = who
        self._csrf = None
        self.port = None  # None: the main server

    def at(self, port):
        """The same session (cookie and CSRF token) on the server on port."""
        self.csrf()
        c = copy.copy(self)
        c.port = port
        return c

    def headers(self, extra=None):
        h = {"Cookie": "jd_session=" + self.cookie}
        h.update(extra or {})
        return h

    def get(self, path, headers=None):
        return hreq("GET", path, headers=self.headers(headers), port=self.port)

    def csrf(self):
        if self._csrf is None:
            r = self.get("/account")
            m = CSRF_RE.search(r.text)
            if not m:
                r = self.get("/persons")
                m = CSRF_RE.search(r.text)
            check(m, f"no _csrf field found on /account or /persons for {self.who}: {r.brief()}")
            self._csrf = m.group(1)
        return self._csrf

    def post(self, path, fields, csrf=True, headers=None):
        """fields: list of (name, value); csrf True adds the session's token,
        a string adds that value, False/None adds none."""
        f = list(fields)
        if csrf is True:
            f.append(("_csrf", self.csrf()))
        elif isinstance(csrf, str):
            f.append(("_csrf", csrf))
        body = urllib.parse.urlencode(f).encode()
        h = self.headers({"Content-Type": "application/x-www-form-urlencoded"})
        h.update(headers or {})
        return hreq("POST", path, body=body, headers=h, port=self.port)


# ------------------------------------------------------------- fixtures --

ORGS = [  # code, name, level, parent
    ("T0", "测试县", "county", None),
    ("TS1", "一号街道", "street", "T0"),
    ("TS2", "二号街道", "street", "T0"),
    ("TC1", "甲社区", "community", "TS1"),
    ("TC2", "乙社区", "community", "TS1"),
    ("TC3", "丙社区", "community", "TS2"),
]

USERS = {  # username: (role, org)
    "admin": ("admin", "T0"),
    "admin2": ("admin", "T0"),  # four eyes: decides what admin proposes (issue 12)
    "office": ("office", "TS1"),
    "office_b": ("office", "TS2"),  # the receiving street of the supervision transfer tests
    "worker_a": ("worker", "TC1"),
    "worker_b": ("worker", "TC2"),
    "police": ("police", "TC1"),
    "cadre_a": ("cadre", "TC1"),  # may be a responsible worker (责任社工) of TC1's persons
    "viewer": ("viewer", "T0"),
    # throttling tests use their own accounts
    "thr_api": ("worker", "TC1"),
    "thr_page": ("worker", "TC1"),
    "thr_addr": ("worker", "TC2"),
}


def password(user):
    return f"{user}-Passw0rd-2024"


def api_login(username, pw, source=None):
    return hreq("POST", "/api/v1/session", body=jbody({"username": username, "password": pw}),
                headers={"Content-Type": "application/json"}, source=source)


def page_login(username, pw, source=None, next_path=None):
    fields = [("username", username), ("password", pw)]
    if next_path:
        fields.append(("next", next_path))
    return hreq("POST", "/login", body=urllib.parse.urlencode(fields).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"}, source=source)


def new_api(user):
    r = api_login(user, password(user))
    check(r.status == 200, f"API sign-in of {user} failed: {r.brief()}")
    tok = r.json().get("token")
    check(isinstance(tok, str) and tok, f"no token in sign-in answer for {user}: {r.brief()}")
    return Api(tok, user)


def api(user):
    if user not in C.api_sessions:
        C.api_sessions[user] = new_api(user)
    return C.api_sessions[user]


def new_page(user):
    r = page_login(user, password(user))
    check(r.status == 303, f"page sign-in of {user}: expected 303, got {r.brief()}")
    val, _ = r.cookie("jd_session")
    check(val, f"page sign-in of {user} set no jd_session cookie: {r.headers}")
    return Page(val, user)


def page(user):
    if user not in C.page_sessions:
        C.page_sessions[user] = new_page(user)
    return C.page_sessions[user]


W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_check(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, W)) % 11]


_seq = [100]


def new_id(sex="M", birth="19880808", region="110101"):
    """A valid 18-digit ID number (MOD 11-2), unique within this run."""
    while True:
        _seq[0] += 1
        s = _seq[0] % 1000
        if s > 0 and (s % 2 == 1) == (sex == "M"):
            break
    f = f"{region}{birth}{s:03d}"
    return f + id_check(f)


def iso(birth):
    return f"{birth[0:4]}-{birth[4:6]}-{birth[6:8]}"


def mask(idn):
    return idn[:6] + "********" + idn[-4:]


def today():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


def payload(name, org, sex="M", birth="19880808", region="110101", full=True):
    idn = new_id(sex, birth, region)
    p = {"name": name, "sex": sex, "id_number": idn, "birth_date": iso(birth), "org": org}
    if full:
        p.update({
            "phone": "13800138000",
            "household_address": "某省某市某区户籍路1号",
            "residence_address": "某省某市某区居住路2号",
            "drug_types": ["methamphetamine", "ketamine"],
            "first_found_date": "2020-05-01",
            "three_withouts": {"no_job": True, "no_home": False, "no_income": True},
            "five_knowns": {"basics": "基本情况良好", "contacts": "与母亲同住", "family_economy": "一般",
                            "state_of_mind": "稳定", "movements": "无异常"},
            "help_team": [{"role": "家属", "name": "某某", "phone": "13900139000"}],
        })
    return p


FIXTURE_PERSONS = {  # key: (creator, name, org, sex, birth, region)
    "pa": ("worker_a", "李测甲", "TC1", "M", "19850307", "320581"),
    "pb": ("worker_b", "王测乙", "TC2", "F", "19900612", "330106"),
    "pc": ("admin", "赵测丙", "TC3", "M", "19781120", "440305"),
}


def person(key):
    """The fixture person key ({"id", "payload"}), created through the API on first use."""
    if key not in C.persons:
        creator, name, org, sex, birth, region = FIXTURE_PERSONS[key]
        p = payload(name, org, sex, birth, region)
        r = api(creator).post("/api/v1/persons", p)
        check(r.status == 201, f"fixture {key}: POST /api/v1/persons as {creator} → expected 201, got {r.brief()}")
        pid = r.json().get("id")
        check(isinstance(pid, int) and pid > 0, f"fixture {key}: no integer id in {r.brief()}")
        C.persons[key] = {"id": pid, "payload": p}
    return C.persons[key]


def api_total(user="admin", query=""):
    r = api(user).get("/api/v1/persons?per_page=1" + query)
    check(r.status == 200, f"GET /api/v1/persons as {user}: {r.brief()}")
    t = r.json().get("total")
    check(isinstance(t, int), f"list answer has no integer total: {r.brief()}")
    return t


def db_counts():
    out = sql("SELECT (SELECT count(*) FROM person),(SELECT count(*) FROM person_revision),"
              "(SELECT count(*) FROM status_episode),(SELECT count(*) FROM help_member),"
              "(SELECT count(*) FROM person_document),(SELECT coalesce(sum(version),0) FROM person),"
              "(SELECT coalesce(max(updated_at),'') FROM person)")
    return out


def snapshot():
    return (api_total(), db_counts())


def unchanged_check(counts, names=""):
    """The check that an action wrote nothing: a function (before, what)
    that fails when counts() differs from before (counts() taken before
    the action), naming what and, when given, what the counts are."""
    def check_unchanged(before, what):
        after = counts()
        if after != before:
            raise Failure(f"{what}: something was written: {names + ' ' if names else ''}"
                          f"before {before}, after {after}")
    return check_unchanged


assert_unchanged = unchanged_check(snapshot, "API total/db counts (persons, revisions, episodes, help members, docs, "
                                             "sum(version), max(updated_at))")


def expect_api_error(r, status, code, field=None, what=""):
    """Checks an API error answer: status, {"error":{"code","message","fields"}}."""
    check(r.status == status, f"{what}: expected {status} {code}, got {r.brief()}")
    j = r.json()
    err = j.get("error") if isinstance(j, dict) else None
    check(isinstance(err, dict), f"{what}: no error object in {r.brief()}")
    expect_eq(err.get("code"), code, f"{what}: error.code")
    check(isinstance(err.get("message"), str) and err.get("message"), f"{what}: error.message missing: {r.brief()}")
    fields = err.get("fields")
    check(isinstance(fields, dict), f"{what}: error.fields is not an object: {r.brief()}")
    if field is not None:
        names = field if isinstance(field, (list, tuple)) else [field]
        check(any(n in fields for n in names),
              f"{what}: expected field {' or '.join(names)} named in error.fields, got {fields}")
    return err


# ---------------------------------------------------------------- tests --

TESTS = []


def test(fn):
    TESTS.append((fn.__name__, fn))
    return fn


def add_test(name, fn):
    TESTS.append((name, fn))


# ---- command line

@test
def cli_version():
    rc, out, err = run_cli(["--version"])
    expect_eq(rc, 0, "jindu --version exit status")
    check(re.match(r"jindu \d+\.\d+", out), f"--version printed {out!r}")


@test
def cli_help():
    rc, out, err = run_cli(["help"])
    expect_eq(rc, 0, "jindu help exit status")
    for w in ("init", "serve", "audit verify", "user add", "org add"):
        check(w in out, f"jindu help does not list {w!r}: {short(out)}")
    rc, out, err = run_cli(["help", "org", "add"])
    expect_eq(rc, 0, "jindu help org add exit status")
    check("--code" in out, f"jindu help org add: {short(out)}")


@test
def cli_unknown_command():
    rc, out, err = run_cli(["frobnicate"])
    expect_eq(rc, 2, "unknown command exit status")
    check(err.strip(), "unknown command printed nothing on stderr")


@test
def cli_missing_db():
    for args in (["audit", "verify"], ["init"], ["serve", "--listen", "127.0.0.1:1"]):
        rc, out, err = run_cli(args)
        expect_eq(rc, 2, f"jindu {' '.join(args)} without --db exit status")
        check("--db" in err, f"jindu {' '.join(args)}: stderr does not mention --db: {err!r}")


@test
def cli_bad_option():
    rc, out, err = run_cli(["org", "add", "--db", C.db, "--bogus", "x"])
    expect_eq(rc, 2, "unknown option exit status")
    rc, out, err = run_cli(["user", "add", "--db", C.db, "--username", "x1", "--role", "worker", "--org", "TC1"],
                           stdin="long-enough-password\n")
    expect_eq(rc, 2, "user add without --password-stdin exit status")


@test
def cli_org_add_duplicate():
    before = sql_int("SELECT count(*) FROM org_unit")
    rc, out, err = run_cli(["org", "add", "--db", C.db, "--code", "TC1", "--name", "重复社区", "--level", "community",
                            "--parent", "TS1"])
    expect_eq(rc, 1, "org add with a duplicate code exit status")
    lines = [l for l in err.splitlines() if l.strip()]
    expect_eq(len(lines), 1, f"org add duplicate: stderr lines ({err!r})")
    expect_eq(sql_int("SELECT count(*) FROM org_unit"), before, "org units after the refused add")


@test
def cli_org_add_bad_parent():
    rc, out, err = run_cli(["org", "add", "--db", C.db, "--code", "TCX", "--name", "无父社区", "--level", "community",
                            "--parent", "NOPE"])
    expect_eq(rc, 1, "org add with an unknown parent exit status")
    check(len([l for l in err.splitlines() if l.strip()]) == 1, f"stderr should be one line: {err!r}")


@test
def cli_user_add_short_password():
    rc, out, err = run_cli(["user", "add", "--db", C.db, "--username", "shorty", "--role", "worker", "--org", "TC1",
                            "--password-stdin"], stdin="short1\n")
    expect_eq(rc, 1, "user add with an 6-character password exit status")
    check(err.strip() and len(err.strip().splitlines()) == 1, f"stderr should be one line: {err!r}")
    expect_eq(sql_int("SELECT count(*) FROM app_user WHERE username='shorty'"), 0, "users named shorty")


@test
def cli_user_add_bad_role_and_org():
    rc, out, err = run_cli(["user", "add", "--db", C.db, "--username", "badrole", "--role", "king", "--org", "TC1",
                            "--password-stdin"], stdin="long-enough-password\n")
    check(rc in (1, 2), f"user add with role 'king': expected exit 1 or 2, got {rc} ({err!r})")
    rc, out, err = run_cli(["user", "add", "--db", C.db, "--username", "badorg", "--role", "worker", "--org", "NOPE",
                            "--password-stdin"], stdin="long-enough-password\n")
    expect_eq(rc, 1, "user add with an unknown org exit status")
    rc, out, err = run_cli(["user", "add", "--db", C.db, "--username", "admin", "--role", "worker", "--org", "TC1",
                            "--password-stdin"], stdin="long-enough-password\n")
    expect_eq(rc, 1, "user add with an existing username exit status")


@test
def cli_audit_verify():
    rc, out, err = run_cli(["audit", "verify", "--db", C.db])
    expect_eq(rc, 0, f"audit verify on the fixture database exit status (stderr {err.strip()!r})")


# ---- server basics

@test
def serve_started():
    check(C.server_up, f"jindu serve did not answer: {C.setup_error}")


@test
def security_headers():
    r = hreq("GET", "/login")
    expect_eq(r.status, 200, "GET /login status")
    expect_eq(r.header("X-Content-Type-Options"), "nosniff", "X-Content-Type-Options")
    check(r.header("Content-Security-Policy"), "no Content-Security-Policy header")
    check(r.header("X-Frame-Options") or "frame-ancestors" in (r.header("Content-Security-Policy") or ""),
          "no framing protection")
    check("text/html" in (r.header("Content-Type") or ""), f"Content-Type {r.header('Content-Type')!r}")


@test
def routing_404_405():
    r = hreq("GET", "/no/such/page")
    expect_eq(r.status, 404, "GET /no/such/page status")
    r = hreq("GET", "/api/v1/nothing-here", headers={"Authorization": "Bearer " + api("admin").token})
    expect_eq(r.status, 404, "GET /api/v1/nothing-here status")
    r = hreq("PUT", "/api/v1/persons", headers={"Authorization": "Bearer " + api("admin").token})
    expect_eq(r.status, 405, "PUT /api/v1/persons status")


def server_log_lines(path, pattern, want, timeout=3.0):
    """The lines of the server log at path that match pattern, waiting up
    to timeout seconds until there are want of them (a request's access
    line is written just after its answer is queued)."""
    deadline = time.time() + timeout
    while True:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [l for l in f.read().splitlines() if re.search(pattern, l)]
        if len(lines) >= want or time.time() > deadline:
            return lines
        time.sleep(0.05)


@test
def access_log():
    """One line per request on stderr: time, request id, method, the route's
    pattern (not the path with its ids, nor the query), status, ms, user."""
    pid = MISSING_ID  # (no fixture person: creating one here would change the ids later tests see)
    me = api("admin").get("/api/v1/me").json()["id"]
    marker = "zz%d" % os.getpid()
    r = api("admin").get(f"/api/v1/persons/{pid}?probe={marker}")
    expect_eq(r.status, 404, "GET /api/v1/persons/{id} of no person")
    r = hreq("GET", f"/no/such/{marker}")
    expect_eq(r.status, 404, "GET /no/such/...")
    pat = (r"^jindu: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00 req=\d+ GET /api/v1/persons/\{id\} 404 "
           r"\d+\.\d{3}ms user=%d$" % me)
    check(server_log_lines(C.server_log, pat, 1), f"no access line matching {pat!r}: {tail(C.server_log, 5)}")
    check(server_log_lines(C.server_log, r" req=\d+ GET - 404 .* user=-$", 1), "no access line of the 404")
    with open(C.server_log, encoding="utf-8", errors="replace") as f:
        log = f.read()
    check(marker not in log, "the access log holds the raw path or query")
    check(f"/api/v1/persons/{pid}" not in log, "the access log holds the path with the id")


@test
def access_log_quiet():
    """jindu serve --quiet writes no access lines."""
    log_path = os.path.join(C.tmp, "serve-quiet.log")
    proc, port, err = spawn_server(log_path, quiet=True)
    try:
        check(err is None, f"jindu serve --quiet: {err}")
        expect_eq(hreq("GET", "/login", port=port).status, 200, "GET /login on the quiet server")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    check("serving" in log, f"no start line in the quiet server's log: {log!r}")
    check(" req=" not in log, f"the quiet server wrote access lines: {log!r}")


@test
def unauthenticated():
    r = hreq("GET", "/persons")
    expect_eq(r.status, 303, "GET /persons without a session")
    check((r.header("Location") or "").startswith("/login"), f"redirect to {r.header('Location')!r}")
    r = hreq("GET", "/api/v1/persons")
    expect_api_error(r, 401, "unauthorized", what="GET /api/v1/persons without a token")
    r = hreq("GET", "/api/v1/persons", headers={"Authorization": "Bearer " + "0" * 64})
    expect_api_error(r, 401, "unauthorized", what="GET /api/v1/persons with a made-up token")
    r = hreq("POST", "/api/v1/persons", body=jbody(payload("无令牌", "TC1")),
             headers={"Content-Type": "application/json"})
    expect_api_error(r, 401, "unauthorized", what="POST /api/v1/persons without a token")


# ---- sign-in

@test
def login_page_form():
    r = hreq("GET", "/login")
    expect_eq(r.status, 200, "GET /login")
    check('name="username"' in r.text and 'name="password"' in r.text, "login form lacks username/password inputs")
    r = page_login("worker_a", password("worker_a"), next_path="/persons")
    expect_eq(r.status, 303, f"POST /login good credentials ({r.brief()})")
    val, full = r.cookie("jd_session")
    check(val, f"no jd_session cookie set: {r.headers_all('Set-Cookie')}")
    attrs = full.lower()
    check("httponly" in attrs, f"jd_session cookie lacks HttpOnly: {full}")
    check("samesite=" in attrs, f"jd_session cookie lacks SameSite: {full}")
    expect_eq(r.header("Location"), "/persons", "redirect after sign-in with next=/persons")
    r2 = hreq("GET", "/persons", headers={"Cookie": "jd_session=" + val})
    expect_eq(r2.status, 200, "GET /persons with the new cookie")
    # an off-site next must not be followed
    r = page_login("worker_a", password("worker_a"), next_path="//evil.example/")
    expect_eq(r.status, 303, "POST /login with next=//evil.example/")
    check(not (r.header("Location") or "").startswith("//"), f"open redirect to {r.header('Location')!r}")


@test
def login_page_cross_site():
    """A sign-in form posted from another site (Sec-Fetch-Site: cross-site)
    is refused without a session; same-origin and header-less posts work."""
    fields = urllib.parse.urlencode([("username", "worker_a"), ("password", password("worker_a"))]).encode()
    for site, want in (("cross-site", 403), ("same-origin", 303), ("none", 303), (None, 303)):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if site:
            h["Sec-Fetch-Site"] = site
        r = hreq("POST", "/login", body=fields, headers=h)
        expect_eq(r.status, want, f"POST /login with Sec-Fetch-Site: {site}")
        val, _ = r.cookie("jd_session")
        if want == 403:
            check(not val, "a cross-site sign-in set a session cookie")
            check("其他网站" in r.text, f"the refusal page has no Chinese message: {short(r.text)}")
        else:
            check(bool(val), f"no session cookie for Sec-Fetch-Site: {site}")


@test
def login_page_wrong_password():
    r = page_login("worker_a", "wrong-password-123")
    expect_eq(r.status, 401, f"POST /login wrong password ({short(r.text, 120)})")
    check("<form" in r.text and has_cjk(r.text), "the 401 answer is not the login page with a Chinese message")
    val, _ = r.cookie("jd_session")
    check(not val, "a session cookie was set on a failed sign-in")


@test
def login_api_good():
    r = api_login("worker_a", password("worker_a"))
    expect_eq(r.status, 200, f"POST /api/v1/session ({r.brief()})")
    j = r.json()
    check(isinstance(j.get("token"), str) and len(j["token"]) >= 32, f"token: {j.get('token')!r}")
    u = j.get("user")
    check(isinstance(u, dict), f"no user object: {j}")
    expect_eq(u.get("username"), "worker_a", "user.username")
    expect_eq(u.get("role"), "worker", "user.role")
    expect_eq(u.get("org"), "TC1", "user.org")
    me = Api(j["token"], "worker_a").get("/api/v1/me")
    expect_eq(me.status, 200, "GET /api/v1/me with the token")


@test
def login_api_bad():
    r = api_login("worker_a", "not-the-password-1")
    err = expect_api_error(r, 401, "unauthorized", what="POST /api/v1/session wrong password")
    check(has_cjk(err["message"]), f"message is not Chinese: {err['message']!r}")
    r = api_login("no_such_user", "whatever-password-1")
    err2 = expect_api_error(r, 401, "unauthorized", what="POST /api/v1/session unknown user")
    expect_eq(err2["message"], err["message"], "unknown user and wrong password give the same message")
    r = hreq("POST", "/api/v1/session", body=jbody({"username": "worker_a"}),
             headers={"Content-Type": "application/json"})
    expect_api_error(r, 400, "invalid", field="password", what="POST /api/v1/session without password")
    r = api_login("worker_a", "x" * 10000)
    check(r.status in (400, 401), f"sign-in with a 10 000-byte password: expected 400/401, got {r.brief()}")
    r = hreq("POST", "/api/v1/session", body=jbody({"username": "worker_a", "password": 12345678901234}),
             headers={"Content-Type": "application/json"})
    expect_api_error(r, 400, "invalid", field="password", what="POST /api/v1/session with a numeric password")


# ---- sessions

@test
def logout_invalidates_cookie():
    p = new_page("worker_a")
    r = p.get("/persons")
    expect_eq(r.status, 200, "GET /persons before logout")
    r = p.post("/logout", [], csrf=False)
    expect_eq(r.status, 403, "POST /logout without _csrf")
    expect_eq(p.get("/persons").status, 200, "the session after a refused logout")
    r = p.post("/logout", [])
    expect_eq(r.status, 303, "POST /logout with _csrf")
    check((r.header("Location") or "").startswith("/login"), f"logout redirects to {r.header('Location')!r}")
    r = p.get("/persons")
    expect_eq(r.status, 303, "GET /persons with the old cookie after logout")
    check((r.header("Location") or "").startswith("/login"), f"redirect to {r.header('Location')!r}")


@test
def api_session_delete():
    a = new_api("worker_a")
    expect_eq(a.get("/api/v1/me").status, 200, "GET /api/v1/me before DELETE")
    r = a.call("DELETE", "/api/v1/session")
    expect_eq(r.status, 200, f"DELETE /api/v1/session ({r.brief()})")
    r = a.get("/api/v1/me")
    expect_api_error(r, 401, "unauthorized", what="GET /api/v1/me after DELETE /api/v1/session")
    r = a.get("/api/v1/persons")
    expect_api_error(r, 401, "unauthorized", what="GET /api/v1/persons after DELETE /api/v1/session")


# ---- CSRF

def person_form(p):
    f = []
    for k in ("name", "sex", "id_number", "birth_date", "org", "phone", "household_address", "residence_address",
              "first_found_date"):
        if k in p:
            f.append((k, p[k]))
    for d in p.get("drug_types", []):
        f.append(("drug_types", d))
    for k, v in p.get("three_withouts", {}).items():
        if v:
            f.append((k, "1"))
    for k, v in p.get("five_knowns", {}).items():
        f.append(("fk_" + k, v))
    return f


PERSON_URL_RE = re.compile(r"^/persons/([1-9][0-9]*)$")


class FormParser(html.parser.HTMLParser):
    """Collects what a browser would submit for each <form>: a list of
    (action, [(name, value)]) in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.cur = None
        self.select = None
        self.select_first = None
        self.select_chosen = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.cur = (a.get("action", ""), [])
            self.forms.append(self.cur)
        elif self.cur is None:
            return
        elif tag == "input" and a.get("name"):
            t = (a.get("type") or "text").lower()
            if t in ("checkbox", "radio"):
                if "checked" in a:
                    self.cur[1].append((a["name"], a.get("value", "on")))
            elif t not in ("submit", "button", "image", "file", "reset"):
                self.cur[1].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a.get("name")
            self.select_first = None
            self.select_chosen = None
        elif tag == "option" and self.select:
            v = a.get("value", "")
            if self.select_first is None:
                self.select_first = v
            if "selected" in a:
                self.select_chosen = v
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.cur is not None:
            v = self.select_chosen if self.select_chosen is not None else self.select_first
            if v is not None:
                self.cur[1].append((self.select, v))
            self.select = None
        elif tag == "textarea" and self.textarea and self.cur is not None:
            self.cur[1].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.cur = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def page_forms(text):
    p = FormParser()
    p.feed(text)
    return p.forms


@test
def csrf_person_form():
    p = page("worker_a")
    before = snapshot()
    data = payload("钱防伪", "TC1", full=False)
    r = p.post("/persons", person_form(data), csrf=False)
    expect_eq(r.status, 403, "POST /persons with the cookie and no _csrf")
    r = p.post("/persons", person_form(data), csrf="0" * 64)
    expect_eq(r.status, 403, "POST /persons with a wrong _csrf")
    r = p.post("/persons", person_form(data), csrf=p.csrf()[:-1] + ("0" if p.csrf()[-1] != "0" else "1"))
    expect_eq(r.status, 403, "POST /persons with a _csrf differing in the last character")
    assert_unchanged(before, "refused CSRF posts")
    r = p.post("/persons", person_form(data), csrf=True)
    expect_eq(r.status, 303, f"POST /persons with the right _csrf ({short(r.text, 200)})")
    check(PERSON_URL_RE.match(r.header("Location") or ""), f"redirect to {r.header('Location')!r}")
    data2 = payload("钱防伪二", "TC1", full=False)
    r = p.post("/persons", person_form(data2), csrf=False, headers={"X-CSRF-Token": p.csrf()})
    expect_eq(r.status, 303, f"POST /persons with X-CSRF-Token header ({short(r.text, 200)})")


@test
def csrf_cookie_on_api():
    p = page("worker_a")
    before = snapshot()
    r = hreq("POST", "/api/v1/persons", body=jbody(payload("孙饼干", "TC1")),
             headers=p.headers({"Content-Type": "application/json"}))
    expect_api_error(r, 403, "forbidden", what="POST /api/v1/persons with the cookie and no X-CSRF-Token")
    r = hreq("DELETE", "/api/v1/session", headers=p.headers())
    expect_api_error(r, 403, "forbidden", what="DELETE /api/v1/session with the cookie and no X-CSRF-Token")
    expect_eq(p.get("/persons").status, 200, "the cookie session after the refused DELETE")
    assert_unchanged(before, "refused cookie API calls")


# ---- persons through the API

@test
def person_create_and_get():
    pa = person("pa")
    a = api("worker_a")
    r = a.get(f"/api/v1/persons/{pa['id']}")
    expect_eq(r.status, 200, f"GET /api/v1/persons/{pa['id']} ({r.brief()})")
    j = r.json()
    p = pa["payload"]
    for k in ("name", "sex", "id_number", "birth_date", "phone", "household_address", "residence_address",
              "first_found_date", "org"):
        expect_eq(j.get(k), p[k], f"field {k}")
    expect_eq(sorted(j.get("drug_types") or []), sorted(p["drug_types"]), "drug_types")
    expect_eq(j.get("three_withouts"), p["three_withouts"], "three_withouts")
    fk = j.get("five_knowns") or {}
    for k, v in p["five_knowns"].items():
        expect_eq(fk.get(k), v, f"five_knowns.{k}")
    team = j.get("help_team")
    check(isinstance(team, list) and len(team) == 1 and team[0].get("name") == "某某",
          f"help_team: {team!r}")
    for k in ("status", "status_since", "control", "risk_level", "next_talk_due", "next_test_due"):
        check(k in j, f"read-only field {k} missing from the case file: keys {sorted(j)}")
    expect_eq(j.get("id"), pa["id"], "id")
    for k in ("created_at", "updated_at"):
        if k in j:
            check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$", str(j[k])),
                  f"{k} is not ISO-8601 with an offset: {j[k]!r}")


@test
def person_create_returns_record():
    a = api("worker_a")
    p = payload("吴记录", "TC1", sex="F", birth="19920229")
    r = a.post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"POST /api/v1/persons ({r.brief()})")
    j = r.json()
    expect_eq(j.get("name"), p["name"], "name in the 201 answer")
    expect_eq(j.get("id_number"), p["id_number"], "id_number in the 201 answer")
    check(isinstance(j.get("id"), int), "id in the 201 answer")


@test
def person_lowercase_x_normalized():
    a = api("worker_a")
    # find an ID whose check character is X
    for _ in range(200):
        idn = new_id("M", "19870101", "110102")
        if idn.endswith("X"):
            break
    else:
        raise Failure("could not make an ID number ending in X")
    p = payload("郑叉号", "TC1", birth="19870101")
    p["id_number"] = idn[:-1] + "x"
    r = a.post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"POST with a lower-case x check character ({r.brief()})")
    expect_eq(r.json().get("id_number"), idn, "id_number stored with upper-case X")
    p2 = payload("郑叉号二", "TC1", birth="19870101")
    p2["id_number"] = idn
    r = a.post("/api/v1/persons", p2)
    expect_api_error(r, 409, "conflict", what="the same ID with upper-case X again")


@test
def person_patch():
    pa = person("pa")
    a = api("worker_a")
    r = a.patch(f"/api/v1/persons/{pa['id']}", {"phone": "13912345678", "residence_address": "新居住地址3号"})
    expect_eq(r.status, 200, f"PATCH /api/v1/persons/{pa['id']} ({r.brief()})")
    j = a.get(f"/api/v1/persons/{pa['id']}").json()
    expect_eq(j.get("phone"), "13912345678", "phone after PATCH")
    expect_eq(j.get("residence_address"), "新居住地址3号", "residence_address after PATCH")
    expect_eq(j.get("name"), pa["payload"]["name"], "name after a PATCH that did not name it")
    pa["payload"]["phone"] = "13912345678"
    pa["payload"]["residence_address"] = "新居住地址3号"


@test
def person_status_episode():
    a = api("worker_a")
    p = payload("冯状态", "TC1", birth="19800101")
    r = a.post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    body = {"status": "community_detox", "decision_date": "2024-03-01", "start_date": "2024-03-15",
            "decision_no": "测公(禁)决字〔2024〕1号"}
    r = a.post(f"/api/v1/persons/{pid}/status", body)
    check(r.status in (200, 201), f"POST /api/v1/persons/{pid}/status: expected 200/201, got {r.brief()}")
    j = a.get(f"/api/v1/persons/{pid}").json()
    expect_eq(j.get("status"), "community_detox", "status after the episode")
    hist = j.get("status_history")
    check(isinstance(hist, list) and hist,
          f"case file has no status_history list (keys: {sorted(j)}; status_history={hist!r})")
    last = hist[-1] if hist[-1].get("status") == "community_detox" else hist[0]
    expect_eq(last.get("status"), "community_detox", "status_history entry status")
    expect_eq(last.get("start_date"), "2024-03-15", "status_history start_date")
    expect_eq(last.get("decision_date"), "2024-03-01", "status_history decision_date")
    expect_eq(last.get("planned_end"), "2027-03-14", "status_history planned_end (3 years from 2024-03-15, less a day)")


def _ids(r, what):
    check(r.status == 200, f"{what}: {r.brief()}")
    return [i.get("id") for i in r.json().get("items", [])]


@test
def person_search_name():
    pa = person("pa")
    for who in ("worker_a", "office", "admin"):  # a community scope and wider ones
        r = api(who).get("/api/v1/persons?q=" + urllib.parse.quote("李测"))
        ids = _ids(r, f"{who} q=李测")
        check(pa["id"] in ids, f"{who}: q=李测 does not find {pa['id']}: {ids}")
        expect_eq(r.json().get("total"), 1, f"{who}: q=李测 total")
        ids = _ids(api(who).get("/api/v1/persons?q=" + urllib.parse.quote("测甲")), f"{who} q=测甲")
        check(pa["id"] not in ids, f"{who}: q=测甲 (not a prefix) found 李测甲")


@test
def person_search_id_prefix():
    pa = person("pa")
    idn = pa["payload"]["id_number"]
    for who in ("worker_a", "office", "admin"):
        for n in (6, 10, 17, 18):
            r = api(who).get("/api/v1/persons?q=" + idn[:n])
            ids = _ids(r, f"{who} q=first {n} digits")
            check(pa["id"] in ids, f"{who}: q={idn[:n]} (first {n} characters of the ID number) does not find "
                                   f"person {pa['id']}: got ids {ids}, total {r.json().get('total')}")
        r = api(who).get("/api/v1/persons?q=" + idn[:10])
        expect_eq(r.json().get("total"), 1, f"{who}: total for q={idn[:10]}")


@test
def person_search_wildcards():
    a = api("worker_a")
    person("pa")
    for q in ("%", "_", "%测", "李%", "\\", "' OR 1=1 --"):
        r = a.get("/api/v1/persons?q=" + urllib.parse.quote(q))
        expect_eq(r.status, 200, f"q={q!r} status")
        expect_eq(r.json().get("total"), 0, f"total for q={q!r}")


@test
def person_paging():
    a = api("worker_a")
    for i in range(5):
        rr = a.post("/api/v1/persons", payload(f"周翻页{i}", "TC1", birth="19910101"))
        expect_eq(rr.status, 201, f"create paging person {i} ({rr.brief()})")
    for who in ("worker_a", "admin"):
        q = "/api/v1/persons?q=" + urllib.parse.quote("周翻页")
        j = api(who).get(q + "&per_page=2&page=1").json()
        expect_eq(j.get("total"), 5, f"{who}: total of q=周翻页")
        expect_eq(len(j.get("items", [])), 2, f"{who}: items on page 1 with per_page=2")
        seen = [i["id"] for i in j["items"]]
        for pg in (2, 3):
            j = api(who).get(q + f"&per_page=2&page={pg}").json()
            expect_eq(j.get("total"), 5, f"{who}: total on page {pg}")
            seen += [i["id"] for i in j.get("items", [])]
        expect_eq(len(seen), 5, f"{who}: items over 3 pages")
        expect_eq(len(set(seen)), 5, f"{who}: distinct items over 3 pages ({seen})")
        j = api(who).get(q + "&per_page=2&page=9").json()
        expect_eq(j.get("items"), [], f"{who}: items past the last page")
    # whole lists without q: every page distinct, totals equal the database
    for who, where in (("worker_a", "o.code='TC1'"), ("office", "o.code IN ('TS1','TC1','TC2')"),
                       ("admin", "1=1")):
        n_db = sql_int(f"SELECT count(*) FROM person p JOIN org_unit o ON o.id=p.org_id WHERE {where}")
        expect_eq(api_total(who), n_db, f"{who}'s total vs. the database")
        seen = []
        for pg in range(1, n_db // 3 + 2):
            seen += _ids(api(who).get(f"/api/v1/persons?per_page=3&page={pg}"), f"{who} page {pg}")
        expect_eq(len(seen), n_db, f"{who}: items over all pages of 3")
        expect_eq(len(set(seen)), n_db, f"{who}: distinct items over all pages of 3")


@test
def person_filters():
    pa, pc = person("pa"), person("pc")
    ad = api("admin")
    ids = _ids(ad.get("/api/v1/persons?org=TC1&per_page=200"), "admin org=TC1")
    check(pa["id"] in ids and pc["id"] not in ids, f"admin org=TC1: {ids}")
    ids = _ids(ad.get("/api/v1/persons?org=TS2&per_page=200"), "admin org=TS2")
    check(pc["id"] in ids and pa["id"] not in ids, f"admin org=TS2: {ids}")
    r = ad.post(f"/api/v1/persons/{pc['id']}/status", {"status": "social_supervision",
                                                        "decision_date": "2024-05-01", "start_date": "2024-05-01"})
    check(r.status in (200, 201), f"status for pc: {r.brief()}")
    r = ad.get("/api/v1/persons?status=social_supervision&per_page=200")
    ids = _ids(r, "admin status=social_supervision")
    check(pc["id"] in ids, f"status filter misses pc: {ids}")
    for i in r.json().get("items", []):
        expect_eq(i.get("status"), "social_supervision", f"status of listed person {i.get('id')}")
    expect_api_error(ad.get("/api/v1/persons?status=bogus"), 400, "invalid", field="status", what="status=bogus")


# ---- validation errors: each its own test; nothing written on any error

def _validation_case(name, mutate, field, status=400, code="invalid", who="worker_a"):
    def fn():
        a = api(who)
        person("pa")
        p = payload("陈校验", "TC1", sex="M", birth="19860606")
        mutate(p)
        before = snapshot()
        r = a.post("/api/v1/persons", p)
        expect_api_error(r, status, code, field=field, what=f"POST /api/v1/persons ({name})")
        assert_unchanged(before, name)
    add_test("validation_" + name, fn)


def _set(k, v):
    def m(p):
        p[k] = v
    return m


def _bad_checksum(p):
    idn = p["id_number"]
    p["id_number"] = idn[:-1] + ("0" if idn[-1] != "0" else "1")


def _sex_mismatch(p):
    p["sex"] = "F" if p["sex"] == "M" else "M"


def _birth_mismatch(p):
    p["birth_date"] = "1986-06-07"


def _del(k):
    def m(p):
        del p[k]
    return m


def _future(p):
    p["first_found_date"] = (today() + datetime.timedelta(days=30)).isoformat()


_validation_case("bad_checksum", _bad_checksum, "id_number")
_validation_case("id_number_17_digits", lambda p: p.update(id_number=p["id_number"][:17]), "id_number")
_validation_case("id_number_bad_date", lambda p: p.update(id_number=(lambda f: f + id_check(f))("110101" + "19860231" + "123")),
                 "id_number")
_validation_case("sex_mismatch", _sex_mismatch, "sex")
_validation_case("sex_not_m_f", _set("sex", "X"), "sex")
_validation_case("birth_date_mismatch", _birth_mismatch, "birth_date")
_validation_case("future_first_found_date", _future, "first_found_date")
_validation_case("bad_date_format", _set("first_found_date", "2020/05/01"), "first_found_date")
_validation_case("impossible_date", _set("first_found_date", "2021-02-29"), "first_found_date")
_validation_case("unknown_drug_type", _set("drug_types", ["methamphetamine", "crack"]), "drug_types")
_validation_case("name_61_chars", _set("name", "张" * 60 + "a"), "name")
_validation_case("name_missing", _del("name"), "name")
_validation_case("name_empty", _set("name", ""), "name")
_validation_case("name_control_char", _set("name", "李\n四"), "name")
_validation_case("id_number_missing", _del("id_number"), "id_number")
_validation_case("bad_phone", _set("phone", "call-me-maybe"), "phone")
_validation_case("unknown_field", _set("nickname", "小明"), "nickname")
_validation_case("read_only_field_status", _set("status", "dead"), "status")
_validation_case("name_is_number", _set("name", 123), "name")
_validation_case("three_withouts_is_string", _set("three_withouts", "yes"), "three_withouts")
_validation_case("three_withouts_inner_string", _set("three_withouts", {"no_job": "yes", "no_home": False,
                                                                         "no_income": False}),
                 ["three_withouts", "no_job", "three_withouts.no_job"])
_validation_case("three_withouts_unknown_key", _set("three_withouts", {"no_car": True}),
                 ["three_withouts", "no_car", "three_withouts.no_car"])
_validation_case("five_knowns_unknown_key", _set("five_knowns", {"hobbies": "x"}),
                 ["five_knowns", "hobbies", "five_knowns.hobbies"])
_validation_case("drug_types_is_object", _set("drug_types", {}), "drug_types")
_validation_case("drug_types_is_string", _set("drug_types", "heroin"), "drug_types")
_validation_case("help_team_is_object", _set("help_team", {"name": "x"}), "help_team")
_validation_case("unknown_org", _set("org", "NOPE"), "org", who="admin")
_validation_case("org_is_street", _set("org", "TS1"), "org", who="admin")


def _raw_case(name, raw, ctype="application/json", status=400, code="invalid"):
    def fn():
        a = api("worker_a")
        person("pa")
        before = snapshot()
        r = a.post("/api/v1/persons", raw=raw, ctype=ctype)
        expect_api_error(r, status, code, what=f"POST /api/v1/persons ({name})")
        assert_unchanged(before, name)
    add_test("body_" + name, fn)


def _valid_bytes(name="黄字节"):
    return jbody(payload(name, "TC1", birth="19890909"))


_raw_case("malformed_json", b'{"name": "x", "sex": ')
_raw_case("trailing_garbage", _valid_bytes() + b" }")
_raw_case("invalid_utf8", _valid_bytes("黄").replace("黄".encode(), b"\xff\xfe\xfd", 1))
_raw_case("overlong_utf8", _valid_bytes("黄").replace("黄".encode(), b"\xc0\xaf", 1))
_raw_case("non_object_array", b'[{"name": "x"}]')
_raw_case("non_object_string", b'"name"')
_raw_case("non_object_null", b"null")
_raw_case("empty_body", b"")
_raw_case("duplicate_key", _valid_bytes("黄重键")[:-1] + ', "name": "黄重键二"}'.encode())
_raw_case("wrong_content_type", _valid_bytes("黄类型"), ctype="text/plain")
_raw_case("nul_in_string", _valid_bytes("黄零").replace("黄零".encode(), b"a\\u0000b", 1))
_raw_case("deeply_nested", b'{"name":' + b"[" * 100000 + b"]" * 100000 + b"}")
_raw_case("huge_number", jbody(payload("黄大数", "TC1", birth="19890909", full=False))[:-1]
          + b', "three_withouts": 1e999999}')


@test
def body_too_large():
    a = api("worker_a")
    person("pa")
    before = snapshot()
    p = payload("大包体", "TC1")
    p["five_knowns"]["basics"] = "x" * 300_000
    r = a.post("/api/v1/persons", p)
    expect_api_error(r, 413, "too_large", what="POST /api/v1/persons with a 300 KB body")
    pa = person("pa")
    r = a.patch(f"/api/v1/persons/{pa['id']}", raw=b'{"phone":"' + b"1" * 300_000 + b'"}')
    expect_api_error(r, 413, "too_large", what="PATCH with a 300 KB body")
    pg = page("worker_a")
    r = pg.post("/persons", [("name", "x" * 300_000)])
    expect_eq(r.status, 413, "POST /persons (form) with a 300 KB body")
    assert_unchanged(before, "oversized bodies")


@test
def duplicate_id_number():
    a = api("worker_a")
    pa = person("pa")
    before = snapshot()
    p = payload("重复号", "TC1")
    p["id_number"] = pa["payload"]["id_number"]
    p["birth_date"] = pa["payload"]["birth_date"]
    p["sex"] = pa["payload"]["sex"]
    r = a.post("/api/v1/persons", p)
    expect_api_error(r, 409, "conflict", what="POST /api/v1/persons with an existing id_number")
    # also across scope: worker B creating A's person's number gets 409 too
    p["org"] = "TC2"
    r = api("worker_b").post("/api/v1/persons", p)
    expect_api_error(r, 409, "conflict", what="worker B creating an ID number that exists in TC1")
    assert_unchanged(before, "duplicate id_number")


@test
def status_transition_forbidden():
    a = api("worker_a")
    r = a.post("/api/v1/persons", payload("孙测丁", "TC1", sex="F", birth="19950101", region="510104"))
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    before = snapshot()
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "dead", "decision_date": "2024-01-01"})
    expect_api_error(r, 400, "invalid", field="status", what="first status 'dead' (not allowed from none)")
    assert_unchanged(before, "refused first status dead")
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "community_detox", "decision_date": "2024-01-02",
                                                  "start_date": "2024-01-05"})
    check(r.status in (200, 201), f"community_detox: {r.brief()}")
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "dead", "decision_date": "2024-06-01",
                                                  "start_date": "2024-06-01"})
    check(r.status in (200, 201), f"dead after community_detox: {r.brief()}")
    before = snapshot()
    for st in ("community_detox", "social_supervision", "emigrated", "dead"):
        r = a.post(f"/api/v1/persons/{pid}/status", {"status": st, "decision_date": "2024-07-01",
                                                      "start_date": "2024-07-01"})
        expect_api_error(r, 400, "invalid", field="status", what=f"status {st} after dead")
    assert_unchanged(before, "statuses after dead")
    j = a.get(f"/api/v1/persons/{pid}").json()
    expect_eq(j.get("status"), "dead", "status after the refused transitions")


@test
def status_validation():
    a = api("worker_a")
    r = a.post("/api/v1/persons", payload("秦状态校验", "TC1", birth="19930303"))
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    before = snapshot()
    cases = [
        ({"status": "on_holiday"}, "status"),
        ({}, "status"),
        ({"status": "community_detox", "start_date": "2024-02-30"}, "start_date"),
        ({"status": "community_detox", "decision_date": "yesterday"}, "decision_date"),
        ({"status": "community_detox", "mood": "good"}, "mood"),
        ({"status": 3}, "status"),
        ({"status": "community_detox", "decision_no": "号" * 61}, "decision_no"),
    ]
    for body, field in cases:
        r = a.post(f"/api/v1/persons/{pid}/status", body)
        expect_api_error(r, 400, "invalid", field=field, what=f"POST status {json.dumps(body, ensure_ascii=False)}")
    r = a.post(f"/api/v1/persons/{pid}/status", raw=b"{not json")
    expect_api_error(r, 400, "invalid", what="POST status with malformed JSON")
    assert_unchanged(before, "refused status bodies")


@test
def patch_validation():
    a = api("worker_a")
    pa = person("pa")
    url = f"/api/v1/persons/{pa['id']}"
    before = snapshot()
    v0 = a.get(url).json()
    bad_id = pa["payload"]["id_number"][:-1] + ("0" if pa["payload"]["id_number"][-1] != "0" else "1")
    cases = [
        ({"name": 5}, "name"),
        ({"nickname": "x"}, "nickname"),
        ({"id_number": bad_id}, "id_number"),
        ({"birth_date": "1999-01-01"}, "birth_date"),
        ({"sex": "F" if pa["payload"]["sex"] == "M" else "M"}, ["sex", "id_number"]),
        ({"name": ""}, "name"),
        ({"name": "张" * 61}, "name"),
        ({"drug_types": ["crack"]}, "drug_types"),
        ({"three_withouts": "no"}, "three_withouts"),
        ({"phone": "call-me"}, "phone"),
        ({"control": "lost_contact"}, "control"),
        ({"org": "NOPE"}, "org"),
    ]
    for body, field in cases:
        r = a.patch(url, body)
        expect_api_error(r, 400, "invalid", field=field, what=f"PATCH {json.dumps(body, ensure_ascii=False)}")
    for raw in (b"{", b"[]", b'{"name":"\xff"}'):
        r = a.patch(url, raw=raw)
        expect_api_error(r, 400, "invalid", what=f"PATCH raw body {raw!r}")
    assert_unchanged(before, "refused PATCH bodies")
    v1 = a.get(url).json()
    expect_eq(v1, v0, "the case file after refused PATCHes")


@test
def create_outside_own_community():
    """A worker of TC1 cannot register a person in TC2 (out of scope)."""
    before = snapshot()
    r = api("worker_a").post("/api/v1/persons", payload("越界者", "TC2"))
    check(400 <= r.status < 500, f"worker A creating in TC2: expected a 4xx refusal, got {r.brief()}")
    assert_unchanged(before, "create outside the worker's community")


# ---- scope

def _same_404(r_real, r_missing, real_id, missing_id, what):
    check(r_real.status == 404, f"{what} on another community's person: expected 404, got {r_real.brief()}")
    check(r_missing.status == 404, f"{what} on a missing id: expected 404, got {r_missing.brief()}")
    # ids as they appear in paths ("/persons/8"): a small id must not turn
    # "utf-8" or "initial-scale=1" into "{id}"
    a = re.sub(r"(?<=/)%d(?![0-9A-Za-z])" % real_id, "{id}", r_real.text)
    b = re.sub(r"(?<=/)%d(?![0-9A-Za-z])" % missing_id, "{id}", r_missing.text)
    check(a == b, f"{what}: the out-of-scope 404 differs from the missing-id 404:\n  {short(a)}\n  {short(b)}")


MISSING_ID = 987654321


@test
def scope_api_404():
    pa = person("pa")
    b = api("worker_b")
    before = snapshot()
    pid = pa["id"]
    for method, path, body in (
            ("GET", "/api/v1/persons/{}", None),
            ("PATCH", "/api/v1/persons/{}", {"phone": "13700000000"}),
            ("POST", "/api/v1/persons/{}/status", {"status": "community_detox", "decision_date": "2024-01-01"})):
        r1 = b.call(method, path.format(pid), obj=body)
        r2 = b.call(method, path.format(MISSING_ID), obj=body)
        _same_404(r1, r2, pid, MISSING_ID, f"worker B {method} {path}")
        expect_api_error(r1, 404, "not_found", what=f"worker B {method} {path.format(pid)}")
    assert_unchanged(before, "worker B's attempts on worker A's person")
    # invalid bodies must not tell an existing out-of-scope record from a missing one either
    for method, path, body in (
            ("PATCH", "/api/v1/persons/{}", {"name": 5}),
            ("PATCH", "/api/v1/persons/{}", {"sex": "X"}),
            ("PATCH", "/api/v1/persons/{}", {"nickname": "x"}),
            ("POST", "/api/v1/persons/{}/status", {"status": "bogus"}),
            ("POST", "/api/v1/persons/{}/status", {}),
            ("POST", "/api/v1/persons/{}/status", {"status": "dead"})):
        r1 = b.call(method, path.format(pid), obj=body)
        r2 = b.call(method, path.format(MISSING_ID), obj=body)
        check(r1.status == r2.status and r1.body == r2.body,
              f"worker B {method} {path} {json.dumps(body, ensure_ascii=False)}: out-of-scope answer "
              f"{r1.brief()} differs from missing-id answer {r2.brief()}")
    assert_unchanged(before, "worker B's invalid attempts on worker A's person")
    # and the person is still fine for A
    expect_eq(api("worker_a").get(f"/api/v1/persons/{pid}").status, 200, "worker A reading their own person")


@test
def scope_pages_404():
    pa = person("pa")
    b = page("worker_b")
    pid = pa["id"]
    before = snapshot()
    for path in ("/persons/{}", "/persons/{}/edit", "/persons/{}/print"):
        r1 = b.get(path.format(pid))
        r2 = b.get(path.format(MISSING_ID))
        _same_404(r1, r2, pid, MISSING_ID, f"worker B GET {path}")
        check(pa["payload"]["name"] not in r1.text, f"worker B's 404 for {path} shows the name")
    for path, fields in (("/persons/{}", [("phone", "13700000000")]),
                         ("/persons/{}/status", [("status", "community_detox"), ("decision_date", "2024-01-01")])):
        r1 = b.post(path.format(pid), fields)
        r2 = b.post(path.format(MISSING_ID), fields)
        _same_404(r1, r2, pid, MISSING_ID, f"worker B POST {path}")
    for path, fields in (("/persons/{}", [("name", "")]), ("/persons/{}/status", [("status", "bogus")])):
        r1 = b.post(path.format(pid), fields)
        r2 = b.post(path.format(MISSING_ID), fields)
        a_ = re.sub(r"(?<![0-9A-Za-z])%d(?![0-9A-Za-z])" % pid, "{id}", r1.text)
        b_ = re.sub(r"(?<![0-9A-Za-z])%d(?![0-9A-Za-z])" % MISSING_ID, "{id}", r2.text)
        check(r1.status == r2.status and a_ == b_,
              f"worker B POST {path} with invalid fields: out-of-scope {r1.status} differs from missing-id "
              f"{r2.status}")
    assert_unchanged(before, "worker B's page posts on worker A's person")


@test
def scope_lists_and_search():
    pa, pb, pc = person("pa"), person("pb"), person("pc")
    b = api("worker_b")
    name_q = urllib.parse.quote(pa["payload"]["name"][:2])
    id_q = pa["payload"]["id_number"][:10]
    for q in ("", "?q=" + name_q, "?q=" + id_q, "?per_page=200", "?q=" + pa["payload"]["id_number"],
              "?org=TC1", "?q=" + name_q + "&org=TC1"):
        r = b.get("/api/v1/persons" + q)
        if r.status == 200:
            ids = [i.get("id") for i in r.json().get("items", [])]
            check(pa["id"] not in ids, f"worker B's GET /api/v1/persons{q} lists worker A's person")
            check(pa["payload"]["name"] not in r.text, f"worker B's GET /api/v1/persons{q} shows A's person's name")
        else:
            check(r.status in (400, 403, 404), f"worker B's GET /api/v1/persons{q}: {r.brief()}")
    r = b.get("/api/v1/persons?q=" + name_q)
    expect_eq(r.json().get("total"), 0, "worker B's total for A's person's name prefix")
    r = b.get("/api/v1/persons?q=" + id_q)
    expect_eq(r.json().get("total"), 0, "worker B's total for A's person's ID prefix")
    r = b.get("/api/v1/persons?per_page=200")
    ids = [i.get("id") for i in r.json().get("items", [])]
    check(pb["id"] in ids, "worker B does not see their own person")
    pg = page("worker_b")
    for q in ("", "?q=" + name_q, "?q=" + id_q):
        r = pg.get("/persons" + q)
        expect_eq(r.status, 200, f"worker B GET /persons{q}")
        check(pa["payload"]["name"] not in r.text, f"worker B's /persons{q} page shows A's person's name")
        check(mask(pa["payload"]["id_number"]) not in r.text, f"worker B's /persons{q} page shows A's masked ID")
        check(f"/persons/{pa['id']}\"" not in r.text, f"worker B's /persons{q} page links to A's person")


@test
def scope_office_admin():
    pa, pb, pc = person("pa"), person("pb"), person("pc")
    o = api("office")
    ids = [i.get("id") for i in o.get("/api/v1/persons?per_page=200").json().get("items", [])]
    check(pa["id"] in ids and pb["id"] in ids, f"office TS1 does not see TC1 and TC2 persons: {ids}")
    check(pc["id"] not in ids, "office TS1 sees a TC3 person")
    expect_eq(o.get(f"/api/v1/persons/{pa['id']}").status, 200, "office GET TC1 person")
    expect_eq(o.get(f"/api/v1/persons/{pb['id']}").status, 200, "office GET TC2 person")
    expect_api_error(o.get(f"/api/v1/persons/{pc['id']}"), 404, "not_found", what="office GET TC3 person")
    r = o.get("/api/v1/persons?q=" + urllib.parse.quote(pc["payload"]["name"]))
    expect_eq(r.json().get("total"), 0, "office search for the TC3 person's name")
    total_ts1 = sql_int("SELECT count(*) FROM person p JOIN org_unit o ON o.id=p.org_id "
                        "WHERE o.code IN ('TS1','TC1','TC2')")
    expect_eq(api_total("office"), total_ts1, "office total vs. persons under TS1 in the database")
    ad = api("admin")
    ids = [i.get("id") for i in ad.get("/api/v1/persons?per_page=200").json().get("items", [])]
    for k, p in (("pa", pa), ("pb", pb), ("pc", pc)):
        check(p["id"] in ids, f"admin does not see {k}")
    expect_eq(api_total("admin"), sql_int("SELECT count(*) FROM person"), "admin total vs. all persons")
    expect_eq(ad.get(f"/api/v1/persons/{pc['id']}").status, 200, "admin GET TC3 person")
    r = page("office").get(f"/persons/{pc['id']}")
    expect_eq(r.status, 404, "office page GET of the TC3 person")


@test
def roles_viewer_police():
    pa = person("pa")
    before = snapshot()
    expect_eq(api("viewer").get("/api/v1/persons").status, 200, "viewer list")
    # both read the case file and write none of it
    for role, name in (("viewer", "只读者"), ("police", "警察录")):
        c = api(role)
        expect_eq(c.get(f"/api/v1/persons/{pa['id']}").status, 200, f"{role} GET TC1 person")
        expect_api_error(c.post("/api/v1/persons", payload(name, "TC1")), 403, "forbidden", what=f"{role} POST")
        expect_api_error(c.patch(f"/api/v1/persons/{pa['id']}", {"phone": "13000000000"}), 403, "forbidden",
                         what=f"{role} PATCH")
        expect_api_error(c.post(f"/api/v1/persons/{pa['id']}/status", {"status": "community_detox"}), 403,
                         "forbidden", what=f"{role} POST status")
    vp = page("viewer")
    expect_eq(vp.get("/persons").status, 200, "viewer GET /persons")
    expect_eq(vp.get("/persons/new").status, 403, "viewer GET /persons/new")
    expect_eq(vp.post("/persons", person_form(payload("只读页", "TC1"))).status, 403, "viewer POST /persons")
    assert_unchanged(before, "viewer and police write attempts")


# ---- pages

@test
def page_list_masks_ids():
    pa = person("pa")
    for who in ("worker_a", "admin"):
        r = page(who).get("/persons")
        expect_eq(r.status, 200, f"{who} GET /persons")
        check(pa["payload"]["name"] in r.text, f"{who}'s /persons does not show {pa['payload']['name']}")
        check(mask(pa["payload"]["id_number"]) in r.text,
              f"{who}'s /persons does not show the masked ID {mask(pa['payload']['id_number'])}")
        full = re.findall(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])", r.text)
        check(not full, f"{who}'s /persons shows full ID numbers: {full[:3]}")


@test
def page_search():
    pa = person("pa")
    for who in ("worker_a", "admin"):
        r = page(who).get("/persons?q=" + urllib.parse.quote("李测"))
        expect_eq(r.status, 200, f"{who} GET /persons?q=李测")
        check(pa["payload"]["name"] in r.text, f"{who}'s page search by name prefix does not show the person")
        r = page(who).get("/persons?q=" + pa["payload"]["id_number"][:12])
        expect_eq(r.status, 200, f"{who} GET /persons?q=ID prefix")
        check(pa["payload"]["name"] in r.text, f"{who}'s page search by ID prefix does not show the person")
        check(pa["payload"]["id_number"] not in r.text, "full ID in the search result page")


@test
def page_new_form():
    r = page("worker_a").get("/persons/new")
    expect_eq(r.status, 200, "GET /persons/new")
    for n in ("name", "sex", "id_number", "birth_date", "_csrf"):
        check(f'name="{n}"' in r.text, f"/persons/new has no input named {n}")


@test
def page_create_validation_error():
    p = page("worker_a")
    before = snapshot()
    data = payload("蒋表单", "TC1", birth="19840404")
    good_id = data["id_number"]
    data["id_number"] = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    data["phone"] = "13711112222"
    r = p.post("/persons", person_form(data))
    expect_eq(r.status, 400, f"POST /persons with a bad checksum ({short(r.text, 150)})")
    check("蒋表单" in r.text, "the 400 page does not keep the typed name")
    check(data["id_number"] in r.text, "the 400 page does not keep the typed ID number")
    check("13711112222" in r.text, "the 400 page does not keep the typed phone")
    check("校验" in r.text or "身份证" in r.text, "the 400 page has no Chinese message about the ID number")
    check('name="_csrf"' in r.text, "the 400 page's form has no _csrf")
    assert_unchanged(before, "page create with a validation error")


@test
def page_create_success_and_print():
    p = page("worker_a")
    data = payload("韩打印", "TC1", sex="F", birth="19830303")
    r = p.post("/persons", person_form(data))
    expect_eq(r.status, 303, f"POST /persons ({short(r.text, 200)})")
    loc = r.header("Location") or ""
    m = PERSON_URL_RE.match(loc)
    check(m, f"redirect to {loc!r}, expected /persons/{{id}}")
    r = p.get(loc)
    expect_eq(r.status, 200, f"GET {loc}")
    check("韩打印" in r.text, "the case file page lacks the name")
    r = p.get(loc + "/print")
    expect_eq(r.status, 200, f"GET {loc}/print")
    check("韩打印" in r.text, "the print view lacks the name")
    r = p.get(loc + "/edit")
    expect_eq(r.status, 200, f"GET {loc}/edit")
    check('value="韩打印"' in r.text, "the edit form lacks the name value")
    j = api("worker_a").get("/api/v1/persons/" + m.group(1)).json()
    expect_eq(j.get("id_number"), data["id_number"], "id_number of the page-created person via the API")
    expect_eq(j.get("org"), "TC1", "org of the page-created person")


@test
def page_update_form():
    p = page("worker_a")
    r = api("worker_a").post("/api/v1/persons", payload("杨改表", "TC1", birth="19820202"))
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    r2 = p.get(f"/persons/{pid}/edit")
    expect_eq(r2.status, 200, "GET edit")
    # submit the edit form as a browser would, with a changed phone
    forms = [f for f in page_forms(r2.text) if f[0] == f"/persons/{pid}"]
    check(forms, f"/persons/{pid}/edit has no form posting to /persons/{pid}: {[f[0] for f in page_forms(r2.text)]}")
    fields = [(k, "13655556666" if k == "phone" else v) for k, v in forms[0][1]]
    check(any(k == "phone" for k, v in fields), "the edit form has no phone field")
    check(any(k == "_csrf" for k, v in fields), "the edit form has no _csrf field")
    r = p.post(f"/persons/{pid}", fields, csrf=False)
    expect_eq(r.status, 303, f"POST /persons/{pid} ({short(r.text, 200)})")
    j = api("worker_a").get(f"/api/v1/persons/{pid}").json()
    expect_eq(j.get("phone"), "13655556666", "phone after the form update")
    expect_eq(j.get("name"), "杨改表", "name after the form update")


@test
def escaping_angle_brackets():
    a = api("worker_a")
    name = "测<b>粗</b>"
    p = payload(name, "TC1", birth="19810101")
    r = a.post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"create with angle brackets in the name ({r.brief()})")
    pid = r.json()["id"]
    pg = page("worker_a")
    for path in (f"/persons/{pid}", f"/persons/{pid}/print", f"/persons/{pid}/edit",
                 "/persons?q=" + urllib.parse.quote("测<")):
        rr = pg.get(path)
        expect_eq(rr.status, 200, f"GET {path}")
        check("<b>粗" not in rr.text, f"GET {path} shows the raw <b> markup")
        check("&lt;b&gt;粗" in rr.text, f"GET {path} does not show the escaped name &lt;b&gt;")
    r = a.get(f"/api/v1/persons/{pid}")
    expect_eq(r.json().get("name"), name, "the name through the API")


@test
def escaping_quotes_in_attributes():
    a = api("worker_a")
    addr = 'x" onmouseover="alert(1)'
    p = payload("引号测", "TC1", birth="19810202")
    p["residence_address"] = addr
    r = a.post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"create with a quote in the address ({r.brief()})")
    pid = r.json()["id"]
    for path in (f"/persons/{pid}", f"/persons/{pid}/edit", f"/persons/{pid}/print"):
        rr = page("worker_a").get(path)
        expect_eq(rr.status, 200, f"GET {path}")
        check('" onmouseover="' not in rr.text, f"GET {path} lets a quote out of an attribute")


# ---- audit

def _read_audited(client, path, what):
    """GETs path (200) as client and returns the person's id, after its 'read'
    audit row appeared (checked: within 1 s) and the time the read was answered."""
    pid = person("pa")["id"]
    reads = f"SELECT count(*) FROM audit_log WHERE action='read' AND entity_id={int(pid)}"
    n0 = sql_int(reads)
    r = client.get(path.format(id=pid))
    expect_eq(r.status, 200, f"GET {what}")
    t0 = time.time()
    while sql_int(reads) <= n0 and time.time() - t0 <= 1.0:
        time.sleep(0.05)
    check(sql_int(reads) > n0, f"no audit_log 'read' row for entity_id {pid} within 1 s after the {what}")
    return pid, t0


@test
def audit_read_api():
    pid, t0 = _read_audited(api("worker_a"), "/api/v1/persons/{id}", "API read")
    row = sql(f"SELECT actor, entity FROM audit_log WHERE action='read' AND entity_id={pid} ORDER BY id DESC LIMIT 1")
    check(row.startswith("worker_a|"), f"the read row names actor/entity {row!r}, expected worker_a")
    check(time.time() - t0 <= 1.05, "read row appeared too late")


@test
def audit_read_page():
    _read_audited(page("worker_a"), "/persons/{id}", "page view")


@test
def audit_write_rows():
    pa = person("pa")
    n = sql_int(f"SELECT count(*) FROM audit_log WHERE entity_id={pa['id']} AND action<>'read' "
                f"AND entity LIKE 'person%'")
    check(n >= 1, f"no audit row for the creation of person {pa['id']}")


@test
def audit_verify_and_tamper():
    person("pa")
    api("worker_a").get(f"/api/v1/persons/{person('pa')['id']}")
    time.sleep(0.2)
    rc, out, err = run_cli(["audit", "verify", "--db", C.db])
    expect_eq(rc, 0, f"audit verify on the live database (stderr {err.strip()!r})")
    total = sql_int("SELECT count(*) FROM audit_log")
    check(total >= 5, f"only {total} audit rows")
    copies = {}
    for k in ("intact", "changed", "middle", "last", "insert"):
        path = os.path.join(C.tmp, f"copy-{k}.db")
        sql(f".backup '{path}'")
        copies[k] = path
    rc, out, err = run_cli(["audit", "verify", "--db", copies["intact"]])
    expect_eq(rc, 0, f"audit verify on an untouched backup copy (stderr {err.strip()!r})")
    check(sql_int("SELECT count(*) FROM audit_log WHERE id=3", copies["changed"]) == 1, "no audit row 3")
    sql("UPDATE audit_log SET detail='x' WHERE id=3", copies["changed"])
    rc, out, err = run_cli(["audit", "verify", "--db", copies["changed"]])
    expect_eq(rc, 1, "audit verify after UPDATE audit_log SET detail='x' WHERE id=3")
    check(err.strip(), "audit verify printed nothing on stderr for a broken chain")
    mid = sql_int("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET (SELECT count(*)/2 FROM audit_log)",
                  copies["middle"])
    sql(f"DELETE FROM audit_log WHERE id={mid}", copies["middle"])
    rc, out, err = run_cli(["audit", "verify", "--db", copies["middle"]])
    expect_eq(rc, 1, f"audit verify after deleting middle row {mid}")
    sql("DELETE FROM audit_log WHERE id=(SELECT max(id) FROM audit_log)", copies["last"])
    rc, out, err = run_cli(["audit", "verify", "--db", copies["last"]])
    expect_eq(rc, 1, "audit verify after deleting the last row")
    sql("INSERT INTO audit_log(at,actor_id,actor,address,action,entity,entity_id,org_path,detail,prev_hash,hash) "
        "SELECT at,actor_id,actor,address,action,entity,entity_id,org_path,detail,prev_hash,hash "
        "FROM audit_log WHERE id=(SELECT max(id) FROM audit_log)", copies["insert"])
    rc, out, err = run_cli(["audit", "verify", "--db", copies["insert"]])
    expect_eq(rc, 1, "audit verify after appending a copy of the last row")
    rc, out, err = run_cli(["audit", "verify", "--db", C.db])
    expect_eq(rc, 0, "audit verify on the live database after the copies were tampered")


# ---- admin pages

@test
def admin_pages():
    ad = page("admin")
    for path in ("/orgs", "/users", "/audit"):
        r = ad.get(path)
        expect_eq(r.status, 200, f"admin GET {path}")
    r = ad.get("/orgs")
    for code in ("TC1", "TC3"):
        check(code in r.text, f"admin /orgs does not list {code}")
    r = ad.get("/users")
    check("worker_b" in r.text, "admin /users does not list worker_b")
    w = page("worker_a")
    for path in ("/orgs", "/users", "/audit"):
        expect_eq(w.get(path).status, 403, f"worker GET {path}")
    o = page("office")
    expect_eq(o.get("/orgs").status, 403, "office GET /orgs")
    r = o.get("/users")
    expect_eq(r.status, 200, "office GET /users")
    check("worker_a" in r.text, "office /users does not list worker_a (TC1)")
    check("测试admin" not in r.text and "测试viewer" not in r.text,
          "office /users lists users of the county level (outside TS1)")


@test
def admin_pages_post_csrf():
    ad = page("admin")
    n = sql_int("SELECT count(*) FROM org_unit")
    r = ad.post("/orgs", [("code", "TC9"), ("name", "九社区"), ("level", "community"), ("parent", "TS2")], csrf=False)
    expect_eq(r.status, 403, "POST /orgs without _csrf")
    expect_eq(sql_int("SELECT count(*) FROM org_unit"), n, "org units after the refused post")
    r = page("worker_a").post("/orgs", [("code", "TC9"), ("name", "九社区"), ("level", "community"),
                                        ("parent", "TS2")])
    expect_eq(r.status, 403, "worker POST /orgs")
    expect_eq(sql_int("SELECT count(*) FROM org_unit"), n, "org units after the worker's post")


# ---- i18n

@test
def i18n_accept_language():
    pg = page("worker_a")
    r = pg.get("/persons", headers={"Accept-Language": "en-US,en;q=0.9"})
    expect_eq(r.status, 200, "GET /persons in English")
    check("Case files" in r.text, "GET /persons with Accept-Language: en does not say 'Case files'")
    check('lang="en"' in r.text, "html lang is not en")
    r = pg.get("/persons", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    check("人员档案" in r.text, "GET /persons with Accept-Language: zh does not say 人员档案")
    r = pg.get("/persons")
    check("人员档案" in r.text, "GET /persons without Accept-Language is not Chinese")
    r = hreq("POST", "/api/v1/session", body=jbody({"username": "x"}),
             headers={"Content-Type": "application/json", "Accept-Language": "en"})
    err = expect_api_error(r, 400, "invalid", what="API error in English")
    check(not has_cjk(err["message"]), f"English API error message has Chinese: {err['message']!r}")


@test
def i18n_lang_switch():
    r = hreq("GET", "/lang?to=en&back=/login")
    expect_eq(r.status, 303, "GET /lang?to=en")
    val, full = r.cookie("jd_lang")
    expect_eq(val, "en", "jd_lang cookie")
    expect_eq(r.header("Location"), "/login", "redirect back")
    r = hreq("GET", "/login", headers={"Cookie": "jd_lang=en"})
    check('lang="en"' in r.text, "GET /login with jd_lang=en: html lang is not en")
    left = sorted(set(re.findall(r"[^<>\"]*[\u4e00-\u9fff][^<>\"]*", r.text.replace("中文", ""))))
    check(not left, f"GET /login with jd_lang=en still shows Chinese: {left}")
    r = hreq("GET", "/lang?to=fr")
    expect_eq(r.status, 400, "GET /lang?to=fr")
    r = hreq("GET", "/lang?to=en&back=//evil.example/")
    check(not (r.header("Location") or "").startswith("//"), "open redirect through /lang back=")


STR_LIT = r'"((?:[^"\\\n]|\\.)*)"'


def _strip_comments(src):
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _call_args(src, start):
    """The text of the argument list of the call whose '(' is at start."""
    depth, i, n = 0, start, len(src)
    while i < n:
        c = src[i]
        if c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return src[start + 1:i]
        i += 1
    return src[start + 1:]


def _catalog():
    path = os.path.join(ROOT, "web", "i18n_catalog.inc")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r'^\s*\{' + STR_LIT + r'\s*,', text, re.M)), text


MSG_CALL_RE = re.compile(r"\b(T|err_set|err_field|resp_fail|form_input|form_textarea|form_select|html_nav_link|"
                         r"form_label|page_login_render)\s*\(")
MSG_ASSIGN_RE = re.compile(r"->msg\s*=\s*" + STR_LIT)


def _source_files(dirs, skip=()):
    for d in dirs:
        dd = os.path.join(ROOT, d)
        if not os.path.isdir(dd):
            continue
        for fn in sorted(os.listdir(dd)):
            if fn.endswith(".c") and os.path.join(d, fn) not in skip:
                yield os.path.join(d, fn), os.path.join(dd, fn)


@test
def i18n_catalog():
    """Every Chinese msgid passed to T(r, "…"), err_set/err_field/resp_fail,
    ->msg = "…" and the form helpers in web/, app/, core/ and store/ has an
    English entry in web/i18n_catalog.inc."""
    cat, _ = _catalog()
    missing = {}
    for rel, path in _source_files(("web", "app", "core", "store")):
        with open(path, encoding="utf-8") as f:
            src = _strip_comments(f.read())
        found = set()
        for m in MSG_CALL_RE.finditer(src):
            args = _call_args(src, m.end() - 1)
            for s in re.findall(STR_LIT, args):
                if has_cjk(s):
                    found.add(s)
        for s in MSG_ASSIGN_RE.findall(src):
            if has_cjk(s):
                found.add(s)
        for s in sorted(found - cat):
            missing.setdefault(s, rel)
    _fail_missing(missing, "msgids")


def catalog_missing(cat, rels):
    """The Chinese string literals of the files rels (paths in the
    repository; comments left out) that the catalog cat lacks, as
    {text: the first file that has it}."""
    missing = {}
    for rel in rels:
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            src = _strip_comments(f.read())
        for s in re.findall(STR_LIT, src):
            if has_cjk(s) and s not in cat:
                missing.setdefault(s, rel)
    return missing


def _fail_missing(missing, what):
    """Fails with the Chinese texts of missing ({text: file}) not in the catalog, by file."""
    if missing:
        items = "; ".join(f"{s!r} ({f})" for s, f in sorted(missing.items(), key=lambda x: (x[1], x[0])))
        raise Failure(f"{len(missing)} {what} missing from web/i18n_catalog.inc: {items}")


@test
def i18n_catalog_tables():
    """The Chinese names in the tables the pages translate with T(r, var):
    field labels, statuses, roles, drug types, ID-number messages."""
    cat, _ = _catalog()
    missing = {}
    for rel in ("core/person_field.c", "core/status.c", "core/idcard.c", "app/app.c"):
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            src = _strip_comments(f.read())
        if rel == "app/app.c":
            i = src.find("role_table")
            src = src[i:src.find("};", i)] if i >= 0 else ""
        for s in re.findall(STR_LIT, src):
            if has_cjk(s) and s not in cat:
                missing.setdefault(s, rel)
    _fail_missing(missing, "table names")


@test
def i18n_catalog_well_formed():
    cat, text = _catalog()
    seen, dups = set(), []
    for zh in re.findall(r'^\s*\{' + STR_LIT + r'\s*,', text, re.M):
        if zh in seen:
            dups.append(zh)
        seen.add(zh)
    check(not dups, f"duplicate msgids in the catalog: {dups}")
    bad = []
    for zh, en in re.findall(r'^\s*\{' + STR_LIT + r'\s*,\s*' + STR_LIT + r'\s*\}', text, re.M):
        if not en.strip() or has_cjk(en):
            bad.append(zh)
    check(not bad, f"catalog entries with an empty or Chinese English text: {bad}")


# ---- review regressions (redirects, GET writes, file modes)

@test
def redirect_control_chars():
    """Browsers drop tabs and newlines from a URL before parsing it, so a
    next/back of "/<TAB>/host" is "//host": an open redirect. Such a target
    is refused (the redirect goes to "/")."""
    for raw in ("/%09/evil.example/", "/%0D/evil.example/", "/%0A/evil.example/", "/%01/evil.example/"):
        r = hreq("GET", f"/lang?to=zh&back={raw}")
        expect_eq(r.status, 303, f"GET /lang back={raw}")
        expect_eq(r.header("Location"), "/", f"GET /lang back={raw}: Location")
    r = hreq("GET", "/lang?to=zh&back=/persons%3Fq%3D1")
    expect_eq(r.header("Location"), "/persons?q=1", "GET /lang with a plain local back")
    for nxt in ("/\t/evil.example/", "/\x0b/evil.example/"):
        r = page_login("worker_b", password("worker_b"), next_path=nxt)
        expect_eq(r.status, 303, f"page sign-in with next={nxt!r}")
        expect_eq(r.header("Location"), "/", f"page sign-in with next={nxt!r}: Location")
    r = hreq("GET", "/login?next=/%09/evil.example/")
    check("evil.example" not in r.text, "GET /login?next=/<TAB>/evil.example/ keeps the target in the form")


@test
def lang_switch_needs_csrf_to_store():
    """GET /lang is a link any site can make a signed-in browser follow: it
    sets the jd_lang cookie, but stores the account's preference (a write,
    audited) only when the link carries the session's CSRF token, as the
    page header's link does."""
    pg = new_page("viewer")
    uid = sql_int("SELECT id FROM app_user WHERE username='viewer'")
    lang0 = sql(f"SELECT lang FROM app_user WHERE id={uid}")
    n0 = sql_int(f"SELECT count(*) FROM audit_log WHERE action='set_lang' AND actor_id={uid}")
    r = pg.get("/lang?to=en&back=/account")
    expect_eq(r.status, 303, "GET /lang without _csrf")
    expect_eq(r.cookie("jd_lang")[0], "en", "jd_lang cookie without _csrf")
    expect_eq(sql(f"SELECT lang FROM app_user WHERE id={uid}"), lang0, "stored language after /lang without _csrf")
    expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE action='set_lang' AND actor_id={uid}"), n0,
              "set_lang audit rows after /lang without _csrf")
    r = pg.get("/lang?to=en&back=/account&_csrf=" + "0" * 64)
    expect_eq(sql(f"SELECT lang FROM app_user WHERE id={uid}"), lang0, "stored language after /lang with a wrong _csrf")
    page_text = pg.get("/account").text
    m = re.search(r'href="(/lang\?to=en[^"]*)"', page_text)
    check(m, "no English link in the page header")
    href = m.group(1).replace("&amp;", "&")
    check("_csrf=" + pg.csrf() in href, f"the header's language link carries no CSRF token: {href}")
    r = pg.get(href)
    expect_eq(r.status, 303, "GET of the header's language link")
    expect_eq(r.header("Location"), "/account", "the header's language link returns to the page")
    expect_eq(sql(f"SELECT lang FROM app_user WHERE id={uid}"), "en", "stored language after the header's link")
    expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE action='set_lang' AND actor_id={uid}"), n0 + 1,
              "set_lang audit rows after the header's link")
    r = pg.get("/lang?to=zh&back=/account&_csrf=" + pg.csrf())  # put it back for later tests
    expect_eq(sql(f"SELECT lang FROM app_user WHERE id={uid}"), "zh", "stored language restored")


@test
def files_private():
    """The database and its backups hold the case files: created readable
    by their owner only (SQLite alone makes them 0644 less the umask), and a
    backup never writes through an existing file or a planted symlink."""
    mode = os.stat(C.db).st_mode & 0o777
    check(mode & 0o077 == 0, f"the database made by `jindu init` has mode {oct(mode)}")
    for suffix in ("-wal", "-shm"):
        if os.path.exists(C.db + suffix):
            m = os.stat(C.db + suffix).st_mode & 0o777
            check(m & 0o077 == 0, f"{os.path.basename(C.db + suffix)} has mode {oct(m)}")
    dest = os.path.join(C.tmp, "backup-private.db")
    rc, out, err = run_cli(["backup", "--db", C.db, "--to", dest])
    expect_eq(rc, 0, f"jindu backup ({err.strip()})")
    mode = os.stat(dest).st_mode & 0o777
    check(mode & 0o077 == 0, f"the backup has mode {oct(mode)}")
    expect_eq(sql_int("SELECT count(*) FROM app_user", db=dest), sql_int("SELECT count(*) FROM app_user"),
              "accounts in the backup")
    target = os.path.join(C.tmp, "backup-target-elsewhere.db")
    link = os.path.join(C.tmp, "backup-link.db")
    os.symlink(target, link)  # dangling: access() sees no file there
    rc, out, err = run_cli(["backup", "--db", C.db, "--to", link])
    expect_eq(rc, 1, "jindu backup --to a dangling symlink")
    check(not os.path.exists(target), "jindu backup wrote through a dangling symlink")
    fresh = os.path.join(C.tmp, "fresh-private.db")
    rc, out, err = run_cli(["init", "--db", fresh])
    expect_eq(rc, 0, f"jindu init of a new file ({err.strip()})")
    mode = os.stat(fresh).st_mode & 0o777
    check(mode & 0o077 == 0, f"a database made by `jindu init` has mode {oct(mode)}")


@test
def id_conflict_audited():
    """An ID number is registered once, whatever the scope: worker B's
    refused create tells B that a person of TC1 exists (409, or 400 naming
    id_number beside another error, which writes nothing at all). The
    disclosure is audited on that person in TC1, where TC1's office sees
    who asked."""
    pa = person("pa")
    pid = pa["id"]
    q = f"SELECT count(*) FROM audit_log WHERE action='id_conflict' AND entity_id={pid} AND actor='worker_b'"
    n0 = sql_int(q)
    p = payload("查重探", "TC2")
    for k in ("id_number", "birth_date", "sex"):
        p[k] = pa["payload"][k]
    p["phone"] = "not a phone"
    r = api("worker_b").post("/api/v1/persons", p)
    expect_api_error(r, 400, "invalid", field="id_number", what="worker B: another's ID number and a bad phone")
    deadline = time.time() + 1.0
    while sql_int(q) <= n0 and time.time() < deadline:
        time.sleep(0.05)
    expect_eq(sql_int(q), n0 + 1, "id_conflict audit rows on the TC1 person after worker B's attempt")
    path = sql(f"SELECT org_path FROM audit_log WHERE action='id_conflict' AND entity_id={pid} ORDER BY id DESC LIMIT 1")
    expect_eq(path, sql(f"SELECT org_path FROM person WHERE id={pid}"), "org_path of the id_conflict row")
    r = page("office").get("/audit?actor=worker_b")
    expect_eq(r.status, 200, "office GET /audit?actor=worker_b")
    # the audit page names the action: 身份证号查重（管辖外）
    check("身份证号查重" in r.text and f"/persons/{pid}" in r.text,
          "TC1's office does not see worker B's id_conflict row")


# ---- supervision (API.md "Supervision"): talks/visits, drug tests, events,
# schedules, work lists, approvals, the forms and the calendar feed. Dated
# scenarios run on a second server over the same database whose "today" is
# fixed (JINDU_TODAY=DTODAY), so that due dates and days overdue are exact;
# DTODAY lies in the past, so the doctor at the end of the suite (run as of
# the real today) also checks that stored derived fields do not age.

DTODAY = datetime.date(2025, 6, 16)
REASONS = ("test_due", "test_overdue", "talk_due", "talk_overdue", "missed_two_tests", "report_deadline",
           "release_pickup", "lost_contact", "serious_breach", "approval_pending", "eligible_for_release",
           "police_decision", "leave_overdue", "file_incomplete",
           "plan_review", "service_followup",  # casework (issue 9)
           "release_unconfirmed", "release_upcoming")  # issue 9 points 6-8
# the order of the groups of the workbench (web/page_work.c): the most urgent first
WK_ORDER = ("serious_breach", "police_decision", "lost_contact", "leave_overdue", "missed_two_tests",
            "report_deadline", "release_pickup", "release_unconfirmed", "test_overdue", "talk_overdue",
            "approval_pending", "file_incomplete", "release_upcoming", "test_due", "talk_due", "plan_review",
            "service_followup", "eligible_for_release")
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\d$")


def dday(days=0):
    """DTODAY + days as YYYY-MM-DD."""
    return (DTODAY + datetime.timedelta(days=days)).isoformat()


def add_months(d, n):
    """d + n calendar months, clamped to the month's last day (core/date.h)."""
    if isinstance(d, str):
        d = datetime.date.fromisoformat(d)
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1])).isoformat()


def days_between(a, b):
    return (datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days


def dated():
    """The port of the dated server (started on first use)."""
    if C.dated is None and C.dated_error is None:
        C.dated_log = os.path.join(C.tmp, "serve-dated.log")
        env = dict(os.environ, JINDU_TODAY=DTODAY.isoformat())
        C.dated, C.dport, C.dated_error = spawn_server(C.dated_log, env)
    check(C.dated_error is None, f"the server with JINDU_TODAY={DTODAY} did not start: {C.dated_error}")
    return C.dport


def dapi(user):
    """user's API session on the dated server."""
    return api(user).at(dated())


def dpage(user):
    """user's page session on the dated server."""
    return page(user).at(dated())


def sup_counts():
    """Rows of every table a supervision write touches, and the person versions."""
    return sql("SELECT (SELECT count(*) FROM visit),(SELECT count(*) FROM drug_test),"
               "(SELECT count(*) FROM person_event),(SELECT count(*) FROM approval),"
               "(SELECT count(*) FROM status_episode),(SELECT coalesce(sum(version),0) FROM person),"
               "(SELECT count(*) FROM person_revision),(SELECT count(*) FROM person_document),"
               "(SELECT group_concat(id || ':' || org_id, ',') FROM person)")


sup_unchanged = unchanged_check(sup_counts, "(visits, tests, events, approvals, episodes, sum(version), revisions, "
                                           "documents, person units)")


def sup_person(creator, name, org, status=None, decision=None, start=None, low_risk=True):
    """Creates a person on the dated server (one drug, no three withouts,
    family on the help team: low risk) and, when status is given, its
    status episode. Returns the id."""
    p = payload(name, org, birth="19850307", region="320581")
    if low_risk:
        p["drug_types"] = ["ketamine"]
        p["three_withouts"] = {"no_job": False, "no_home": False, "no_income": False}
    a = dapi(creator)
    r = a.post("/api/v1/persons", p)
    check(r.status == 201, f"create {name} in {org} as {creator}: {r.brief()}")
    pid = r.json()["id"]
    if status:
        body = {"status": status}
        if decision:
            body["decision_date"] = decision
        if start:
            body["start_date"] = start
        r = a.post(f"/api/v1/persons/{pid}/status", body)
        check(r.status in (200, 201), f"status {status} of {name}: {r.brief()}")
    return pid


def worklist(client, query=""):
    """Every item of the work list (all pages of 200); checks the shape of
    the answer and of each item (API.md)."""
    items, pg = [], 1
    while True:
        r = client.get(f"/api/v1/worklist?per_page=200&page={pg}" + query)
        check(r.status == 200, f"GET /api/v1/worklist?{query.lstrip('&')} as {client.who}: {r.brief()}")
        j = r.json()
        check(isinstance(j.get("items"), list) and isinstance(j.get("total"), int),
              f"worklist answer without items/total: {r.brief()}")
        for it in j["items"]:
            check(isinstance(it.get("person_id"), int), f"work item without an integer person_id: {it}")
            check(it.get("reason") in REASONS, f"work item with an unknown reason: {it}")
            due = it.get("due_date")
            check(due is None or (isinstance(due, str) and DATE_RE.match(due)), f"work item due_date: {it}")
            check(isinstance(it.get("days_overdue"), int) and it["days_overdue"] >= 0,
                  f"work item days_overdue: {it}")
        items += j["items"]
        if not j["items"] or len(items) >= j["total"]:
            expect_eq(len(items), j["total"], f"worklist items over all pages vs total ({client.who}{query})")
            return items
        pg += 1


def items_of(items, pid):
    """{reason: item} of person pid (the first item of each reason)."""
    out = {}
    for it in items:
        if it["person_id"] == pid:
            out.setdefault(it["reason"], it)
    return out


def schedule(client, pid, query=""):
    r = client.get(f"/api/v1/persons/{pid}/schedule{query}")
    check(r.status == 200, f"GET schedule of {pid} as {client.who}: {r.brief()}")
    return r.json()


def expect_created(r, pid, what):
    """A 201 answer of a supervision record: {"id","person_id","next_talk_due","next_test_due"}."""
    check(r.status == 201, f"{what}: expected 201, got {r.brief()}")
    j = r.json()
    check(isinstance(j.get("id"), int) and j["id"] > 0, f"{what}: no id in {r.brief()}")
    expect_eq(j.get("person_id"), pid, f"{what}: person_id")
    for k in ("next_talk_due", "next_test_due"):
        check(k in j and (j[k] is None or DATE_RE.match(j[k])), f"{what}: {k} in {r.brief()}")
    return j


def approval_id_of(client, pid, kind, state="pending"):
    r = client.get(f"/api/v1/approvals?state={state}&kind={kind}&per_page=200")
    check(r.status == 200, f"GET /api/v1/approvals as {client.who}: {r.brief()}")
    ids = [a["id"] for a in r.json().get("items", []) if a.get("person_id") == pid]
    check(len(ids) == 1, f"{client.who}: expected one {state} {kind} approval of person {pid}, got {ids}")
    return ids[0]


def event_count(pid, kind, status=None):
    q = f"SELECT count(*) FROM person_event WHERE person_id={pid} AND kind='{kind}'"
    if status:
        q += f" AND status='{status}'"
    return sql_int(q)


@test
def sup_records_created():
    """Each record endpoint: 201 with the record id and the due dates after
    the write; the rows are stored."""
    pid = sup_person("worker_a", "郑记录", "TC1", "community_detox", dday(-75), dday(-70))
    a = dapi("worker_a")
    for kind in ("talk", "home_visit", "phone", "office"):
        n0 = sql_int(f"SELECT count(*) FROM visit WHERE person_id={pid}")
        j = expect_created(a.post(f"/api/v1/persons/{pid}/visits",
                                  {"date": dday(-3), "kind": kind, "notes": "谈心", "place": "社区"}),
                           pid, f"POST visits kind={kind}")
        expect_eq(sql_int(f"SELECT count(*) FROM visit WHERE person_id={pid}"), n0 + 1, f"visits after {kind}")
        expect_eq(j["next_talk_due"], add_months(dday(-3), 2), f"next_talk_due after a {kind} on {dday(-3)}")
    j = expect_created(a.post(f"/api/v1/persons/{pid}/visits",
                              {"date": dday(), "kind": "talk",
                               "five_knowns": {"state_of_mind": "情绪稳定，有就业意愿"}}),
                       pid, "POST visits with five_knowns")
    r = a.get(f"/api/v1/persons/{pid}")
    expect_eq(r.json().get("five_knowns", {}).get("state_of_mind"), "情绪稳定，有就业意愿",
              "five_knowns.state_of_mind after a visit updating it")
    for sample in ("urine", "hair", "saliva", "blood"):
        j = expect_created(a.post(f"/api/v1/persons/{pid}/tests",
                                  {"date": dday(-1), "sample": sample, "reason": "random", "result": "negative"}),
                           pid, f"POST tests sample={sample}")
    j = expect_created(a.post(f"/api/v1/persons/{pid}/tests",
                              {"date": dday(), "sample": "urine", "reason": "scheduled", "result": "negative",
                               "tester": "李检测"}), pid, "POST a scheduled test")
    expect_eq(j["next_test_due"], add_months(dday(), 2), "next_test_due after a scheduled negative test today")
    expect_eq(sql_int(f"SELECT count(*) FROM drug_test WHERE person_id={pid}"), 5, "tests stored")
    for body in ({"kind": "leave", "date": dday(-10), "until": dday(-6), "note": "探亲"},
                 {"kind": "absence", "date": dday(-20), "days": 2},
                 {"kind": "lost_contact", "date": dday(-5)},
                 {"kind": "found", "date": dday(-4)},
                 {"kind": "agreement_signed", "date": dday(-2)}):
        n0 = event_count(pid, body["kind"])
        expect_created(a.post(f"/api/v1/persons/{pid}/events", body), pid, f"POST events kind={body['kind']}")
        expect_eq(event_count(pid, body["kind"]), n0 + 1, f"{body['kind']} events stored")
    expect_eq(a.get(f"/api/v1/persons/{pid}").json().get("control"), "in_control", "control after lost and found")
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "lost_contact", "date": dday()})
    expect_created(r, pid, "POST lost_contact")
    expect_eq(a.get(f"/api/v1/persons/{pid}").json().get("control"), "lost_contact", "control after lost_contact")
    check("lost_contact" in items_of(worklist(a), pid), "lost_contact is not on the work list")


@test
def sup_events_custody():
    """Detention pauses an order (what fell due meanwhile is due when it
    ends); a release notice is a pickup on the work list until "released"."""
    a = dapi("worker_a")
    pid = sup_person("worker_a", "郑拘留", "TC1", "community_detox", dday(-75), dday(-70))
    due = add_months(dday(-70), 2)
    check(dday(-10) < due < dday(-2), "the scenario needs the first due date inside the detention")
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "detained", "date": dday(-10)}), pid,
                   "POST events kind=detained")
    s = schedule(a, pid)
    expect_eq((s["status"], s["nothing_due"]), ("detained", True), "schedule while detained")
    check(not items_of(worklist(a), pid), "a detained person has items on the work list")
    expect_api_error(a.post(f"/api/v1/persons/{pid}/events", {"kind": "detained", "date": dday(-9)}), 400,
                     "invalid", field="kind", what="detained twice")
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "detention_end", "date": dday(-2)}), pid,
                   "POST events kind=detention_end")
    s = schedule(a, pid)
    expect_eq(s["status"], "community_detox", "status after the detention")
    expect_eq(s["clock_start"], dday(-70), "the clock runs on after a detention")
    expect_eq(s["next_test_due"], dday(-2), "a test that fell due during the detention is due on its last day")
    it = items_of(worklist(a), pid).get("test_overdue")
    check(it, "no test_overdue after the detention")
    expect_eq((it["due_date"], it["days_overdue"]), (dday(-2), 2), "test_overdue after the detention")
    expect_api_error(a.post(f"/api/v1/persons/{pid}/events", {"kind": "detention_end", "date": dday()}), 400,
                     "invalid", field="kind", what="detention_end when not detained")
    expect_api_error(a.post(f"/api/v1/persons/{pid}/events", {"kind": "release_notice", "date": dday(10)}), 400,
                     "invalid", field="kind", what="release_notice outside custody")

    iso = sup_person("worker_a", "郑隔离", "TC1", "compulsory_isolation", dday(-400), dday(-400))
    expect_api_error(a.post(f"/api/v1/persons/{iso}/events", {"kind": "release_notice", "date": dday(400)}), 400,
                     "invalid", field="date", what="a release more than a year ahead")
    expect_created(a.post(f"/api/v1/persons/{iso}/events", {"kind": "release_notice", "date": dday(10)}), iso,
                   "POST events kind=release_notice (ahead)")
    it = items_of(worklist(a, "&horizon=30"), iso).get("release_pickup")
    check(it, "no release_pickup on the work list after a release notice")
    expect_eq((it["due_date"], it["days_overdue"]), (dday(10), 0), "release_pickup due date")
    expect_created(a.post(f"/api/v1/persons/{iso}/events", {"kind": "released", "date": dday()}), iso,
                   "POST events kind=released")
    check("release_pickup" not in items_of(worklist(a, "&horizon=30"), iso), "release_pickup stays after released")
    expect_eq(event_count(iso, "release_notice", "done"), 1, "the pickup task is done")


@test
def sup_schedule_shape():
    pid = sup_person("worker_a", "钱计划", "TC1", "community_detox", dday(-75), dday(-70))
    a = dapi("worker_a")
    start = dday(-70)
    j = schedule(a, pid)
    for k in ("next_talk_due", "next_test_due", "tier", "clock_start", "status", "talk_interval_months",
              "test_interval_months", "months_abstinent", "release_eligible_date", "eligible_for_release", "rule",
              "risk_level", "date", "nothing_due"):
        check(k in j, f"schedule has no {k}: {j}")
    expect_eq(j["date"], DTODAY.isoformat(), "schedule date (today by default)")
    expect_eq(j["status"], "community_detox", "schedule status")
    expect_eq(j["nothing_due"], False, "schedule nothing_due")
    expect_eq(j["clock_start"], start, "schedule clock_start")
    expect_eq(j["tier"], 1, "schedule tier")
    expect_eq(j["test_interval_months"], 2, "test interval of the first tier")
    expect_eq(j["talk_interval_months"], 2, "talk interval of the first tier")
    expect_eq(j["next_test_due"], add_months(start, 2), "next_test_due: clock start + 2 months")
    expect_eq(j["next_talk_due"], add_months(start, 2), "next_talk_due: clock start + 2 months")
    expect_eq(j["months_abstinent"], 2, "months abstinent")
    expect_eq(j["release_eligible_date"], add_months(start, 36), "release_eligible_date")
    expect_eq(j["eligible_for_release"], False, "eligible_for_release")
    expect_eq(j["risk_level"], "low", "risk_level")
    j = schedule(a, pid, f"?date={dday(-60)}")
    expect_eq(j["date"], dday(-60), "schedule ?date echoed")
    expect_eq(j["months_abstinent"], 0, "months abstinent 10 days after the start")
    expect_eq(j["next_test_due"], add_months(start, 2), "next_test_due as of an earlier day")
    # a year on: the second tier (quarterly), as of that day
    j = schedule(a, pid, f"?date={add_months(start, 13)}")
    expect_eq(j["tier"], 2, "tier 13 months after the start")
    expect_eq(j["test_interval_months"], 3, "test interval of the second tier")
    # without a status: nothing due
    bare = sup_person("worker_a", "钱无状态", "TC1")
    j = schedule(a, bare)
    expect_eq(j["nothing_due"], True, "nothing_due without a status")
    for k in ("next_talk_due", "next_test_due", "tier", "clock_start"):
        expect_eq(j[k], None, f"{k} without a status")
    # a community order not reported yet: no clock, a report deadline on the work list
    late = sup_person("worker_a", "钱未报到", "TC1", "community_detox", dday(-3))
    j = schedule(a, late)
    expect_eq(j["clock_start"], None, "clock_start before reporting")
    it = items_of(worklist(a), late).get("report_deadline")
    check(it, "report_deadline is not on the work list of a person not yet reported")
    expect_eq(it["due_date"], dday(12), "report deadline: decision + 15 days")
    expect_created(a.post(f"/api/v1/persons/{late}/events", {"kind": "reported", "date": dday()}), late,
                   "POST events kind=reported")
    expect_eq(schedule(a, late)["clock_start"], dday(), "clock_start after reporting")
    check("report_deadline" not in items_of(worklist(a), late), "report_deadline stays after reporting")


def _sup_validation_case(name, path, body, field, raw=None):
    """A refused record: 400 invalid naming field, nothing written."""
    def fn():
        pid = C.persons.get("sup_val")
        if pid is None:
            pid = C.persons["sup_val"] = sup_person("worker_a", "孙校验", "TC1", "community_detox", dday(-75),
                                                    dday(-70))
        a = dapi("worker_a")
        before = sup_counts()
        r = a.post(f"/api/v1/persons/{pid}/{path}", body, raw=raw)
        err = expect_api_error(r, 400, "invalid", field=field, what=f"POST {path} ({name})")
        check(has_cjk(err["message"]), f"POST {path} ({name}): message is not Chinese: {err['message']!r}")
        sup_unchanged(before, f"POST {path} ({name})")
    add_test("sup_bad_" + name, fn)


# ---- declarative input: one table per record, every error at once, limits in characters

@test
def input_two_bad_fields_at_once():
    """A form post and an API post with two bad fields answer both errors in
    one round (the binder's type error and app/'s check together), and
    write nothing."""
    pid = sup_person("worker_a", "韩两错", "TC1", "community_detox", dday(-75), dday(-70))
    before = sup_counts()
    r = dpage("worker_a").post(f"/persons/{pid}/events/new",
                               [("kind", "absence"), ("date", "2025-02-30"), ("days", "abc")])
    expect_eq(r.status, 400, f"form with two bad fields: {r.brief()}")
    for f in ("date", "days"):
        check(f'id="e-{f}"' in r.text, f"the form answer lacks the error beside {f}")
    check("应为整数" in r.text, "the form answer lacks the type error of days")
    r = dapi("worker_a").post(f"/api/v1/persons/{pid}/events", {"kind": "absence", "date": "yesterday", "days": "x"})
    err = expect_api_error(r, 400, "invalid", field="date", what="API event with two bad fields")
    check("days" in err["fields"], f"the API answer names only {list(err['fields'])}")
    r = dapi("worker_a").post(f"/api/v1/persons/{pid}/tests",
                              {"date": dday(5), "sample": "spit", "reason": "scheduled", "result": "negative",
                               "tester": "测" * 61})
    err = expect_api_error(r, 400, "invalid", field="date", what="API test with three bad fields")
    check({"date", "sample", "tester"} <= set(err["fields"]), f"the API answer names only {list(err['fields'])}")
    expect_eq(err["fields"]["tester"], "不能超过60个字", "the length message names the limit in characters")
    sup_unchanged(before, "refused posts with several bad fields")


@test
def input_sixty_chinese_characters():
    """A name of 60 Chinese characters (180 bytes) is accepted, kept whole,
    and listed whole; the form says so with maxlength 60; 61 are refused."""
    a = api("worker_a")
    name = "欧阳" + "测" * 58
    p = payload(name, "TC1", birth="19870707")
    r = a.post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"create with a 60-character name: {r.brief()}")
    pid = r.json()["id"]
    expect_eq(a.get(f"/api/v1/persons/{pid}").json()["name"], name, "the name as stored")
    items = a.get("/api/v1/persons?q=" + urllib.parse.quote("欧阳")).json()["items"]
    check(any(i["name"] == name for i in items), f"the list does not hold the whole name: {items}")
    form = page("worker_a").get("/persons/new").text
    check(re.search(r'name="name" value="[^"]*" maxlength="60" required', form),
          "the new-person form does not say maxlength 60 and required for the name")
    r = a.patch(f"/api/v1/persons/{pid}", {"name": name + "多"})
    err = expect_api_error(r, 400, "invalid", field="name", what="61 characters")
    expect_eq(err["fields"]["name"], "不能超过60个字", "the message of 61 characters")


@test
def input_days_bound_one_place():
    """The bound of an absence's days is app/'s (1-3650): the page and the
    API refuse 0 and 3651 with the same message and accept 3650."""
    pid = sup_person("worker_a", "韩天数", "TC1", "community_detox", dday(-75), dday(-70))
    a, pg = dapi("worker_a"), dpage("worker_a")
    form = pg.get(f"/persons/{pid}/events/new").text
    check('name="days"' in form, "the event form has no days field")
    msgs = set()
    for days in (0, 3651):
        r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "absence", "date": dday(-1), "days": days})
        err = expect_api_error(r, 400, "invalid", field="days", what=f"API days={days}")
        msgs.add(err["fields"]["days"])
        r = pg.post(f"/persons/{pid}/events/new", [("kind", "absence"), ("date", dday(-1)), ("days", str(days))])
        expect_eq(r.status, 400, f"page days={days}")
        check("应在1到3650之间" in r.text, f"page days={days}: the message of the bound is missing")
    expect_eq(msgs, {"应在1到3650之间"}, "the API's message of the bound")
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "absence", "date": dday(-1), "days": 3650})
    expect_eq(r.status, 201, f"API days=3650: {r.brief()}")
    r = pg.post(f"/persons/{pid}/events/new", [("kind", "absence"), ("date", dday(-1)), ("days", "3650")])
    check(r.status in (302, 303), f"page days=3650: {r.brief()}")


_V = {"date": "2025-06-10", "kind": "talk"}
_T = {"date": "2025-06-10", "sample": "urine", "reason": "scheduled", "result": "negative"}
for _n, _p, _b, _f in (
        ("visit_unknown_field", "visits", dict(_V, mood="good"), "mood"),
        ("visit_kind", "visits", dict(_V, kind="chat"), "kind"),
        ("visit_kind_missing", "visits", {"date": "2025-06-10"}, "kind"),
        ("visit_date_missing", "visits", {"kind": "talk"}, "date"),
        ("visit_date_format", "visits", dict(_V, date="2025/06/10"), "date"),
        ("visit_date_impossible", "visits", dict(_V, date="2025-02-29"), "date"),
        ("visit_date_future", "visits", dict(_V, date=dday(1)), "date"),
        ("visit_date_before_birth", "visits", dict(_V, date="1980-01-01"), "date"),
        ("visit_date_number", "visits", dict(_V, date=20250610), "date"),
        ("visit_notes_number", "visits", dict(_V, notes=5), "notes"),
        ("visit_notes_too_long", "visits", dict(_V, notes="谈" * 4001), "notes"),
        ("visit_five_knowns_unknown", "visits", dict(_V, five_knowns={"hobbies": "x"}),
         ["five_knowns", "five_knowns.hobbies"]),
        ("visit_five_knowns_type", "visits", dict(_V, five_knowns={"basics": 3}), "five_knowns.basics"),
        ("test_unknown_field", "tests", dict(_T, lab="x"), "lab"),
        ("test_sample", "tests", dict(_T, sample="spit"), "sample"),
        ("test_reason", "tests", dict(_T, reason="whim"), "reason"),
        ("test_result", "tests", dict(_T, result="unclear"), "result"),
        ("test_result_missing", "tests", {k: v for k, v in _T.items() if k != "result"}, "result"),
        ("test_result_type", "tests", dict(_T, result=True), "result"),
        ("test_date_future", "tests", dict(_T, date=dday(1)), "date"),
        ("test_date_format", "tests", dict(_T, date="16.06.2025"), "date"),
        ("test_substances_negative", "tests", dict(_T, substances=["heroin"]), "substances"),
        ("test_substances_unknown", "tests", dict(_T, result="positive", substances=["crack"]), "substances"),
        ("test_substances_type", "tests", dict(_T, result="positive", substances="heroin"), "substances"),
        ("event_kind", "events", {"kind": "party", "date": "2025-06-10"}, "kind"),
        ("event_kind_missing", "events", {"date": "2025-06-10"}, "kind"),
        ("event_unknown_field", "events", {"kind": "found", "date": "2025-06-10", "where": "x"}, "where"),
        ("event_date_future", "events", {"kind": "lost_contact", "date": dday(1)}, "date"),
        ("event_leave_no_until", "events", {"kind": "leave", "date": "2025-06-10"}, "until"),
        ("event_leave_until_before", "events", {"kind": "leave", "date": "2025-06-10", "until": "2025-06-01"},
         "until"),
        ("event_absence_days_zero", "events", {"kind": "absence", "date": "2025-06-10", "days": 0}, "days"),
        ("event_absence_days_string", "events", {"kind": "absence", "date": "2025-06-10", "days": "3"}, "days"),
        ("event_transfer_unknown_org", "events", {"kind": "transfer_request", "date": "2025-06-10",
                                                  "to_org": "NOPE"}, "to_org"),
        ("event_transfer_to_street", "events", {"kind": "transfer_request", "date": "2025-06-10",
                                                "to_org": "TS2"}, "to_org"),
        ("event_transfer_same_org", "events", {"kind": "transfer_request", "date": "2025-06-10",
                                               "to_org": "TC1"}, "to_org"),
        ("approval_kind", "approvals", {"kind": "promotion"}, "kind"),
        ("approval_unknown_field", "approvals", {"kind": "transfer", "to_org": "TC2", "why": "x"}, "why"),
        ("approval_transfer_no_org", "approvals", {"kind": "transfer"}, "to_org"),
        ("approval_risk_no_reason", "approvals", {"kind": "risk_override", "risk_level": "high"}, "reason"),
        ("approval_risk_level", "approvals", {"kind": "risk_override", "risk_level": "extreme", "reason": "x"},
         "risk_level"),
):
    _sup_validation_case(_n, _p, _b, _f)
for _n, _p, _raw in (("visit_malformed_json", "visits", b'{"date": '),
                     ("test_array_body", "tests", b'[]'),
                     ("event_empty_body", "events", b'')):
    _sup_validation_case(_n, _p, None, None, raw=_raw)


@test
def sup_release_not_eligible_is_refused():
    """release_3y before three years: refused (400 or 409), nothing written."""
    pid = sup_person("worker_a", "孙未满", "TC1", "community_detox", dday(-75), dday(-70))
    before = sup_counts()
    r = dapi("worker_a").post(f"/api/v1/persons/{pid}/approvals", {"kind": "release_3y"})
    check(r.status in (400, 409), f"release_3y 70 days after the start: expected 400/409, got {r.brief()}")
    sup_unchanged(before, "refused release_3y")


@test
def sup_query_validation():
    a = dapi("worker_a")
    pid = sup_person("worker_a", "孙查询", "TC1", "community_detox", dday(-75), dday(-70))
    for q, field in (("?date=2025-13-01", "date"), ("?date=yesterday", "date")):
        expect_api_error(a.get(f"/api/v1/persons/{pid}/schedule{q}"), 400, "invalid", field=field,
                         what=f"GET schedule{q}")
    for q, field in (("date=2025-02-30", "date"), ("horizon=0", "horizon"), ("horizon=400", "horizon"),
                     ("horizon=x", "horizon"), ("sort=size", "sort"), ("per_page=0", "per_page"),
                     ("per_page=201", "per_page"), ("page=-1", "page")):
        expect_api_error(a.get("/api/v1/worklist?" + q), 400, "invalid", field=field, what=f"GET worklist?{q}")
    for q, field in (("state=bogus", "state"), ("kind=bogus", "kind"), ("decidable=maybe", "decidable"),
                     ("per_page=0", "per_page")):
        expect_api_error(a.get("/api/v1/approvals?" + q), 400, "invalid", field=field, what=f"GET approvals?{q}")
    # as of another day: days overdue counted from that day
    due = add_months(dday(-70), 2)
    it = items_of(worklist(a, f"&date={dday(-3)}"), pid).get("test_overdue")
    check(it, f"no test_overdue as of {dday(-3)}")
    expect_eq(it["days_overdue"], days_between(due, dday(-3)), f"days_overdue as of {dday(-3)}")
    it = items_of(worklist(a, f"&date={add_months(dday(-70), 2)}"), pid).get("test_due")
    check(it, f"no test_due on the due day {due}")
    expect_eq(it["days_overdue"], 0, "days_overdue on the due day")
    it = items_of(worklist(a, f"&date={dday(-12)}&horizon=1"), pid)
    check("test_due" not in it and "test_overdue" not in it, f"test item 3 days before the due date with horizon 1: {it}")
    it = items_of(worklist(a, f"&date={dday(-12)}&horizon=3"), pid)
    check("test_due" in it, f"no test_due 3 days before the due date with horizon 3: {it}")


@test
def sup_scope_404():
    """Worker B on worker A's person: 404 exactly like a missing id for
    every supervision endpoint, also with invalid bodies; nothing written."""
    pid = sup_person("worker_a", "周范围", "TC1", "community_detox", dday(-75), dday(-70))
    b = dapi("worker_b")
    before = sup_counts()
    calls = (
        ("POST", "/api/v1/persons/{}/visits", {"date": dday(), "kind": "talk"}),
        ("POST", "/api/v1/persons/{}/tests", {"date": dday(), "sample": "urine", "reason": "scheduled",
                                              "result": "negative"}),
        ("POST", "/api/v1/persons/{}/events", {"kind": "lost_contact", "date": dday()}),
        ("POST", "/api/v1/persons/{}/approvals", {"kind": "transfer", "to_org": "TC2"}),
        ("POST", "/api/v1/persons/{}/approvals", {"kind": "risk_override", "risk_level": "high", "reason": "测"}),
        ("GET", "/api/v1/persons/{}/schedule", None),
        ("GET", "/api/v1/persons/{}/schedule?date=" + dday(-1), None),
    )
    for method, path, body in calls:
        r1 = b.call(method, path.format(pid), obj=body)
        r2 = b.call(method, path.format(MISSING_ID), obj=body)
        _same_404(r1, r2, pid, MISSING_ID, f"worker B {method} {path}")
        expect_api_error(r1, 404, "not_found", what=f"worker B {method} {path.format(pid)}")
    for path, body in (("/api/v1/persons/{}/visits", {"kind": "chat"}),
                       ("/api/v1/persons/{}/tests", {"result": "unclear"}),
                       ("/api/v1/persons/{}/events", {"kind": "party"}),
                       ("/api/v1/persons/{}/approvals", {"kind": "promotion"}),
                       ("/api/v1/persons/{}/visits", {"date": dday(1), "kind": "talk"})):
        r1 = b.post(path.format(pid), body)
        r2 = b.post(path.format(MISSING_ID), body)
        check(r1.status == r2.status and r1.body == r2.body,
              f"worker B POST {path} {json.dumps(body, ensure_ascii=False)}: out-of-scope answer {r1.brief()} "
              f"differs from missing-id answer {r2.brief()}")
    # an approval of A's person: B reads and decides nothing of it
    r = dapi("worker_a").post(f"/api/v1/persons/{pid}/approvals", {"kind": "risk_override", "risk_level": "high",
                                                                    "reason": "多次拒检"})
    expect_eq(r.status, 201, f"worker A proposes a risk override ({r.brief()})")
    aid = r.json()["id"]
    before = sup_counts()
    for method, path, body in (("GET", "/api/v1/approvals/{}", None),
                               ("POST", "/api/v1/approvals/{}/decide", {"decision": "approve"})):
        _same_404(b.call(method, path.format(aid), obj=body), b.call(method, path.format(MISSING_ID), obj=body), aid,
                  MISSING_ID, f"worker B {method} {path}")
    check(aid not in [x["id"] for x in b.get("/api/v1/approvals?state=all&per_page=200").json().get("items", [])],
          "worker B lists worker A's approval")
    # the forms too
    pg = dpage("worker_b")
    _same_404(pg.get(f"/approvals/{aid}"), pg.get(f"/approvals/{MISSING_ID}"), aid, MISSING_ID,
              "worker B GET /approvals/{id}")
    for path in ("/persons/{}/visits/new", "/persons/{}/tests/new", "/persons/{}/events/new"):
        _same_404(pg.get(path.format(pid)), pg.get(path.format(MISSING_ID)), pid, MISSING_ID, f"worker B GET {path}")
    for path, fields in (("/persons/{}/visits/new", [("date", dday()), ("kind", "talk")]),
                         ("/persons/{}/tests/new", [("date", dday()), ("sample", "urine"), ("reason", "scheduled"),
                                                    ("result", "negative")]),
                         ("/persons/{}/events/new", [("kind", "lost_contact"), ("date", dday())]),
                         ("/persons/{}/approvals", [("kind", "transfer"), ("to_org", "TC2")])):
        _same_404(pg.post(path.format(pid), fields), pg.post(path.format(MISSING_ID), fields), pid, MISSING_ID,
                  f"worker B POST {path}")
    sup_unchanged(before, "worker B's supervision calls on worker A's person")
    expect_eq(schedule(dapi("worker_a"), pid)["status"], "community_detox", "worker A's own schedule")


@test
def sup_worklist_scope():
    """Work lists hold the scope's persons only; another unit is 404."""
    sup_person("worker_a", "吴甲单", "TC1", "community_detox", dday(-75), dday(-70))
    sup_person("worker_b", "吴乙单", "TC2", "community_detox", dday(-75), dday(-70))
    sup_person("admin", "吴丙单", "TC3", "community_detox", dday(-75), dday(-70))
    org_of = {int(i): o for i, o in (l.split("|") for l in sql(
        "SELECT p.id, o.code FROM person p JOIN org_unit o ON o.id = p.org_id").splitlines())}
    for who, allowed in (("worker_a", {"TC1"}), ("worker_b", {"TC2"}), ("office", {"TC1", "TC2"}),
                         ("office_b", {"TC3"}), ("police", {"TC1"}), ("viewer", {"TC1", "TC2", "TC3"})):
        for client in (api(who), dapi(who)):
            items = worklist(client)
            for it in items:
                if it["reason"] == "approval_pending":
                    continue  # a transfer into the scope comes from another unit
                check(org_of.get(it["person_id"]) in allowed,
                      f"{who}'s work list holds person {it['person_id']} of {org_of.get(it['person_id'])}")
            check(items, f"{who}'s work list (port {client.port or C.port}) is empty")
    for who, org in (("worker_b", "TC1"), ("worker_b", "TS1"), ("worker_a", "TC2"), ("office", "TC3"),
                     ("office", "TS2"), ("office", "T0"), ("office_b", "TC1"), ("admin", "NOPE"),
                     ("worker_a", "NOPE")):
        r = dapi(who).get(f"/api/v1/worklist?org={org}")
        expect_api_error(r, 404, "not_found", what=f"{who} GET worklist?org={org}")
    for who, org, allowed in (("office", "TC2", {"TC2"}), ("admin", "TS2", {"TC3"}), ("worker_a", "TC1", {"TC1"})):
        items = worklist(dapi(who), f"&org={org}")
        check(items, f"{who}'s work list of {org} is empty")
        for it in items:
            if it["reason"] != "approval_pending":
                check(org_of.get(it["person_id"]) in allowed,
                      f"{who}'s work list of {org} holds person {it['person_id']} of {org_of.get(it['person_id'])}")
    r = dpage("worker_b").get("/work?org=TC1")
    check(r.status in (200, 404), f"worker B GET /work?org=TC1: {r.brief()}")
    check("吴甲单" not in r.text, "worker B's /work?org=TC1 shows a TC1 person")


@test
def sup_transfer_picker():
    """The transfer form offers the communities of the whole county by name
    in the unit picker (web/org_pick.c), grouped by street, beyond the
    worker's own scope; no code is typed (no text input for to_org)."""
    pid = sup_person("worker_a", "褚选点", "TC1", "community_detox", dday(-75), dday(-70))
    for path in (f"/persons/{pid}", f"/persons/{pid}/events/new?kind=transfer_request"):
        r = dpage("worker_a").get(path)
        check(r.status == 200, f"worker A GET {path}: {r.brief()}")
        check(not re.search(r'<input[^>]*name="to_org"', r.text), f"{path}: the receiving community is still typed")
        sels = re.findall(r'<select id="f-(?:tr-)?to_org" name="to_org" data-pick="[^"]+">(.*?)</select>', r.text, re.S)
        check(sels, f"{path}: no unit picker of receiving communities")
        for sel in sels:
            groups = dict(re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', sel, re.S))
            opts = {v: (t, x) for v, t, x in re.findall(r'<option value="([^"]*)" title="([^"]*)">([^<]*)</option>', sel)}
            check(opts.get("TC3") == ("二号街道 › 丙社区", "丙社区") and opts.get("TC2") == ("一号街道 › 乙社区", "乙社区"),
                  f"{path}: the picker should offer TC2 and TC3 (other street) by name and path: {opts}")
            check('value="TC3"' in groups.get("二号街道", "") and 'value="TC1"' in groups.get("一号街道", ""),
                  f"{path}: communities not grouped by their street: {list(groups)}")
            check(not any(k in opts for k in ("T0", "TS1", "TS2")), f"{path}: only communities in the picker: {opts}")


@test
def sup_roles():
    """viewer: 403 on every write; police: tests only; workers never decide."""
    pid = sup_person("worker_a", "冯角色", "TC1", "community_detox", dday(-75), dday(-70))
    r = dapi("worker_a").post(f"/api/v1/persons/{pid}/approvals", {"kind": "transfer", "to_org": "TC2"})
    check(r.status == 201, f"worker A proposes a transfer to TC2: {r.brief()}")
    aid = r.json()["id"]
    before = sup_counts()
    writes = (
        ("/api/v1/persons/{}/visits", {"date": dday(), "kind": "talk"}),
        ("/api/v1/persons/{}/tests", {"date": dday(), "sample": "urine", "reason": "scheduled", "result": "negative"}),
        ("/api/v1/persons/{}/events", {"kind": "lost_contact", "date": dday()}),
        ("/api/v1/persons/{}/approvals", {"kind": "risk_override", "risk_level": "high", "reason": "测"}),
    )
    v = dapi("viewer")
    for path, body in writes:
        expect_api_error(v.post(path.format(pid), body), 403, "forbidden", what=f"viewer POST {path}")
    expect_api_error(v.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="viewer POST approvals decide")
    expect_eq(v.get(f"/api/v1/persons/{pid}/schedule").status, 200, "viewer GET schedule")
    expect_eq(v.get(f"/api/v1/approvals/{aid}").status, 200, "viewer GET the approval")
    p = dapi("police")
    for path, body in writes[:1] + writes[2:]:
        expect_api_error(p.post(path.format(pid), body), 403, "forbidden", what=f"police POST {path}")
    expect_api_error(p.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="police POST approvals decide")
    for who in ("worker_a", "worker_b"):
        r = dapi(who).post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"})
        expect_api_error(r, 403, "forbidden", what=f"{who} POST approvals decide (a transfer into TC2)")
        r = dapi(who).post(f"/api/v1/approvals/{aid}/decide", {"decision": "maybe"})
        expect_api_error(r, 403, "forbidden", what=f"{who} POST approvals decide with a bad decision")
    vp, pp = dpage("viewer"), dpage("police")
    for path in ("/persons/{}/visits/new", "/persons/{}/tests/new", "/persons/{}/events/new"):
        expect_eq(vp.get(path.format(pid)).status, 403, f"viewer GET {path}")
        expect_eq(vp.post(path.format(pid), [("date", dday()), ("kind", "talk"), ("sample", "urine"),
                                              ("reason", "scheduled"), ("result", "negative")]).status, 403,
                  f"viewer POST {path}")
    expect_eq(vp.post(f"/approvals/{aid}/decide", [("decision", "approve")]).status, 403, "viewer POST decide page")
    expect_eq(vp.post(f"/persons/{pid}/approvals", [("kind", "transfer"), ("to_org", "TC3")]).status, 403,
              "viewer POST /persons/{id}/approvals")
    for path in ("/persons/{}/visits/new", "/persons/{}/events/new"):
        expect_eq(pp.get(path.format(pid)).status, 403, f"police GET {path}")
        expect_eq(pp.post(path.format(pid), [("date", dday()), ("kind", "talk")]).status, 403, f"police POST {path}")
    expect_eq(dpage("worker_a").post(f"/approvals/{aid}/decide", [("decision", "approve")]).status, 403,
              "worker A POST /approvals/{id}/decide")
    sup_unchanged(before, "refused role writes")
    # the police liaison records tests, through the API and the form
    j = expect_created(p.post(f"/api/v1/persons/{pid}/tests", {"date": dday(), "sample": "urine",
                                                                 "reason": "random", "result": "negative"}),
                       pid, "police POST tests")
    expect_eq(sql(f"SELECT u.username FROM drug_test t JOIN app_user u ON u.id = t.recorded_by WHERE t.id={j['id']}"),
              "police", "recorded_by of the police liaison's test")
    r = pp.get(f"/persons/{pid}/tests/new")
    expect_eq(r.status, 200, "police GET the test form")
    r = pp.post(f"/persons/{pid}/tests/new", [("date", dday()), ("sample", "urine"), ("reason", "random"),
                                               ("result", "negative")])
    expect_eq(r.status, 303, f"police POST the test form ({short(r.text, 200)})")
    r = dapi("office").post(f"/api/v1/approvals/{aid}/decide", {"decision": "reject", "reason": "暂不同意"})
    expect_eq(r.status, 200, f"TS1 office rejects the transfer into TC2 ({r.brief()})")


@test
def sup_approvals_decide():
    """Who decides what: the receiving street's office a transfer, the
    district office (admin) a release after three years; the office of
    another street sees neither (404); bad decisions name the field."""
    a, o, ob, ad = dapi("worker_a"), dapi("office"), dapi("office_b"), dapi("admin")
    # a transfer inside TS1 (TC1 -> TC2)
    pid = sup_person("worker_a", "陈内调", "TC1", "community_detox", dday(-75), dday(-70))
    r = a.post(f"/api/v1/persons/{pid}/approvals", {"kind": "transfer", "to_org": "TC2", "reason": "随父母迁居"})
    expect_eq(r.status, 201, f"propose a transfer TC1 -> TC2 ({r.brief()})")
    j = r.json()
    for k in ("id", "person_id", "kind", "state", "to_org", "proposed_by", "can_decide", "approver_role"):
        check(k in j, f"approval answer has no {k}: {j}")
    expect_eq((j["kind"], j["state"], j["to_org"], j["person_id"]), ("transfer", "pending", "TC2", pid),
              "the proposed approval")
    tid = j["id"]
    r = a.post(f"/api/v1/persons/{pid}/approvals", {"kind": "transfer", "to_org": "TC2"})
    expect_api_error(r, 409, "conflict", what="a second pending transfer")
    before = sup_counts()
    for who, c in (("office_b", ob),):
        for method, path, body in (("GET", f"/api/v1/approvals/{tid}", None),
                                   ("POST", f"/api/v1/approvals/{tid}/decide", {"decision": "approve"}),
                                   ("POST", f"/api/v1/approvals/{tid}/decide", {"decision": "reject", "reason": "x"})):
            r = c.call(method, path, obj=body)
            check(r.status in (403, 404), f"{who} {method} {path} (a TS1-internal transfer): expected 403/404, "
                                          f"got {r.brief()}")
        ids = [x["id"] for x in c.get("/api/v1/approvals?state=all&per_page=200").json().get("items", [])]
        check(tid not in ids, f"{who} lists the TS1-internal transfer")
        check(all(it.get("approval_id") != tid for it in worklist(c)), f"{who}'s work list shows it")
    r = dpage("office_b").get(f"/approvals/{tid}")
    check(r.status in (403, 404), f"office of TS2 GET /approvals/{tid}: expected 403/404, got {r.status}")
    r = dpage("office_b").post(f"/approvals/{tid}/decide", [("decision", "approve")])
    check(r.status in (403, 404), f"office of TS2 POST /approvals/{tid}/decide: expected 403/404, got {r.status}")
    expect_api_error(o.post(f"/api/v1/approvals/{tid}/decide", {"decision": "maybe"}), 400, "invalid",
                     field="decision", what="decision maybe")
    expect_api_error(o.post(f"/api/v1/approvals/{tid}/decide", {"decision": "reject"}), 400, "invalid",
                     field="reason", what="reject without a reason")
    expect_api_error(o.post(f"/api/v1/approvals/{tid}/decide", {"decision": "approve", "extra": 1}), 400, "invalid",
                     field="extra", what="decide with an unknown field")
    expect_api_error(o.post(f"/api/v1/approvals/{MISSING_ID}/decide", {"decision": "approve"}), 404, "not_found",
                     what="decide a missing approval")
    sup_unchanged(before, "refused decisions")
    it = [x for x in worklist(o) if x.get("approval_id") == tid]
    check(it and it[0]["reason"] == "approval_pending" and it[0]["person_id"] == pid,
          f"TS1 office's work list does not show the pending transfer: {it}")
    r = o.get(f"/api/v1/approvals?state=pending&decidable=true&kind=transfer&per_page=200")
    check(tid in [x["id"] for x in r.json().get("items", [])], "TS1 office's decidable approvals lack the transfer")
    r = o.post(f"/api/v1/approvals/{tid}/decide", {"decision": "approve"})
    expect_eq(r.status, 200, f"TS1 office approves the TC1 -> TC2 transfer ({r.brief()})")
    expect_eq(r.json().get("state"), "approved", "state after approval")
    expect_api_error(o.post(f"/api/v1/approvals/{tid}/decide", {"decision": "approve"}), 409, "conflict",
                     what="deciding twice")
    expect_eq(a.get(f"/api/v1/persons/{pid}").status, 404, "worker A after the move to TC2")
    expect_eq(dapi("worker_b").get(f"/api/v1/persons/{pid}").json().get("org"), "TC2", "the person's unit")

    # release after three years: a TS1 person, decided by the admin only
    rel = sup_person("worker_a", "陈三年", "TC1", "community_detox", "2022-05-20", "2022-06-01")
    s = schedule(a, rel)
    expect_eq(s["eligible_for_release"], True, "eligible_for_release three years after 2022-06-01")
    it = items_of(worklist(a), rel).get("eligible_for_release")
    check(it, "eligible_for_release is not on the work list")
    expect_eq(it["due_date"], "2025-06-01", "eligible_for_release due_date")
    r = a.post(f"/api/v1/persons/{rel}/approvals", {"kind": "release_3y", "reason": "三年未复吸"})
    expect_eq(r.status, 201, f"propose release_3y ({r.brief()})")
    rid = r.json()["id"]
    items = items_of(worklist(a), rel)
    check("eligible_for_release" not in items, "eligible_for_release stays while the release is pending")
    check(items.get("approval_pending", {}).get("approval_id") == rid, f"the proposer's work list: {items}")
    before = sup_counts()
    for method, path, body in (("GET", f"/api/v1/approvals/{rid}", None),
                               ("POST", f"/api/v1/approvals/{rid}/decide", {"decision": "approve"})):
        r = ob.call(method, path, obj=body)
        check(r.status in (403, 404), f"office of TS2 {method} {path} (a TS1 release): expected 403/404, "
                                      f"got {r.brief()}")
    expect_api_error(o.post(f"/api/v1/approvals/{rid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="the street office deciding a release (the district decides)")
    expect_api_error(a.post(f"/api/v1/approvals/{rid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="the worker deciding a release")
    sup_unchanged(before, "refused release decisions")
    r = ad.post(f"/api/v1/approvals/{rid}/decide", {"decision": "approve", "reason": "同意"})
    expect_eq(r.status, 200, f"admin approves the release ({r.brief()})")
    j = a.get(f"/api/v1/persons/{rel}").json()
    expect_eq(j.get("status"), "abstinent_3y", "status after the approved release")
    s = schedule(a, rel)
    expect_eq(s["nothing_due"], True, "nothing due after the release")
    check(not items_of(worklist(a), rel), "the released person stays on the work list")


@test
def sup_transfer_to_other_street():
    """Worker A asks to move a person to TC3 (TS2): TS2's office approves;
    the person is then in TS2's scope and 404 for worker A."""
    a, o, ob = dapi("worker_a"), dapi("office"), dapi("office_b")
    pid = sup_person("worker_a", "褚迁出", "TC1", "community_detox", dday(-75), dday(-70))
    due_before = schedule(a, pid)["next_test_due"]
    expect_api_error(ob.get(f"/api/v1/persons/{pid}"), 404, "not_found", what="TS2 office before the transfer")
    j = expect_created(a.post(f"/api/v1/persons/{pid}/events",
                              {"kind": "transfer_request", "date": dday(), "to_org": "TC3", "note": "工作调动"}),
                       pid, "POST events kind=transfer_request")
    expect_eq(event_count(pid, "transfer_request"), 1, "transfer_request events")
    aid = approval_id_of(ob, pid, "transfer")
    r = ob.get(f"/api/v1/approvals/{aid}")
    expect_eq(r.status, 200, f"TS2 office reads the incoming transfer ({r.brief()})")
    ap = r.json()
    expect_eq((ap.get("to_org"), ap.get("can_decide"), ap.get("org")), ("TC3", True, "TC1"), "the incoming approval")
    it = [x for x in worklist(ob) if x.get("approval_id") == aid]
    check(it and it[0]["reason"] == "approval_pending" and it[0]["person_id"] == pid,
          f"TS2 office's work list lacks the incoming transfer: {it}")
    expect_api_error(ob.get(f"/api/v1/persons/{pid}"), 404, "not_found", what="TS2 office reading the person "
                                                                              "before approving")
    before = sup_counts()
    expect_api_error(o.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="the sending street's office deciding")
    expect_api_error(a.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="worker A deciding")
    expect_api_error(dapi("worker_b").post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 404,
                     "not_found", what="worker B deciding (neither side)")
    sup_unchanged(before, "refused transfer decisions")
    r = ob.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"})
    expect_eq(r.status, 200, f"TS2 office approves ({r.brief()})")
    expect_eq(r.json().get("state"), "approved", "approval state")
    r = ob.get(f"/api/v1/persons/{pid}")
    expect_eq(r.status, 200, f"TS2 office reads the person after the transfer ({r.brief()})")
    expect_eq(r.json().get("org"), "TC3", "the person's unit after the transfer")
    for method, path, body in (("GET", "/api/v1/persons/{}", None), ("GET", "/api/v1/persons/{}/schedule", None),
                               ("POST", "/api/v1/persons/{}/visits", {"date": dday(), "kind": "talk"})):
        r1 = a.call(method, path.format(pid), obj=body)
        r2 = a.call(method, path.format(MISSING_ID), obj=body)
        _same_404(r1, r2, pid, MISSING_ID, f"worker A {method} {path} after the transfer")
    expect_api_error(o.get(f"/api/v1/persons/{pid}"), 404, "not_found", what="TS1 office after the transfer")
    check(pid not in [x["person_id"] for x in worklist(a)], "worker A's work list still holds the person")
    s = schedule(ob, pid)
    expect_eq(s["next_test_due"], due_before, "next_test_due after the transfer (the clock runs on)")
    expect_eq(s["clock_start"], dday(-70), "clock_start after the transfer")
    it = items_of(worklist(ob), pid)
    check("report_deadline" in it, f"no report_deadline (new agreement within 15 days) on TS2's list: {it}")
    expect_eq(it["report_deadline"]["due_date"], dday(15), "new agreement deadline")
    check("approval_pending" not in it, "the decided transfer is still pending on TS2's list")
    expect_eq(event_count(pid, "agreement_due", "open"), 1, "open agreement_due tasks")


@test
def sup_csrf_forms():
    """Every new form refuses a POST without _csrf (403), writing nothing."""
    pid = sup_person("worker_a", "卫防伪", "TC1", "community_detox", dday(-75), dday(-70))
    a = dapi("worker_a")
    r = a.post(f"/api/v1/persons/{pid}/approvals", {"kind": "transfer", "to_org": "TC2"})
    expect_eq(r.status, 201, f"propose a transfer ({r.brief()})")
    aid = r.json()["id"]
    expect_created(a.post(f"/api/v1/persons/{pid}/tests", {"date": dday(), "sample": "urine", "reason": "scheduled",
                                                            "result": "positive"}), pid, "a positive test")
    task = sql_int(f"SELECT id FROM person_event WHERE person_id={pid} AND kind='police_report' AND status='open'")
    w, o, ad = dpage("worker_a"), dpage("office"), dpage("admin")
    posts = (
        (w, f"/persons/{pid}/visits/new", [("date", dday()), ("kind", "talk"), ("notes", "无令牌")]),
        (w, f"/persons/{pid}/tests/new", [("date", dday()), ("sample", "urine"), ("reason", "scheduled"),
                                          ("result", "negative")]),
        (w, f"/persons/{pid}/events/new", [("kind", "lost_contact"), ("date", dday())]),
        (w, f"/persons/{pid}/approvals", [("kind", "risk_override"), ("risk_level", "high"), ("reason", "测")]),
        (w, f"/persons/{pid}/tasks/{task}", [("status", "done")]),
        (o, f"/approvals/{aid}/decide", [("decision", "approve")]),
        (ad, "/rules", [("code", "csrf_rule"), ("name", "无令牌"), ("spec", "base=12:1:1,36:2:2;release=36")]),
        (ad, "/rules/assign", [("org", "TC1"), ("rule", "monthly_visit")]),
        (w, "/account/calendar", []),
    )
    before = sup_counts()
    rules = sql("SELECT (SELECT count(*) FROM schedule_rule),(SELECT count(*) FROM org_schedule)")
    feed = _calendar_link(w)
    for client, path, fields in posts:
        r = client.post(path, fields, csrf=False)
        expect_eq(r.status, 403, f"{client.who} POST {path} without _csrf")
        r = client.post(path, fields, csrf="0" * 64)
        expect_eq(r.status, 403, f"{client.who} POST {path} with a wrong _csrf")
    sup_unchanged(before, "supervision forms without _csrf")
    expect_eq(sql("SELECT (SELECT count(*) FROM schedule_rule),(SELECT count(*) FROM org_schedule)"), rules,
              "rules after posts without _csrf")
    expect_eq(_calendar_link(w), feed, "the calendar URL after POST /account/calendar without _csrf")
    # with the token: saved, back to the case file (or to the work list)
    for path, fields, what in (
            (f"/persons/{pid}/visits/new", [("date", dday()), ("kind", "home_visit"), ("notes", "上门走访")], "visit"),
            (f"/persons/{pid}/tests/new", [("date", dday()), ("sample", "urine"), ("reason", "scheduled"),
                                           ("result", "negative")], "test"),
            (f"/persons/{pid}/events/new", [("kind", "leave"), ("date", dday()), ("until", dday(5))], "event")):
        r = w.post(path, fields)
        expect_eq(r.status, 303, f"POST {path} with _csrf ({short(r.text, 200)})")
        expect_eq(r.header("Location"), f"/persons/{pid}?saved={what}#supervision", f"redirect after POST {path}")
    r = w.post(f"/persons/{pid}/tests/new", [("date", dday()), ("sample", "urine"), ("reason", "scheduled"),
                                              ("result", "negative"), ("back", "/work?sort=due")])
    expect_eq(r.status, 303, "POST the test form with back=/work")
    expect_eq(r.header("Location"), "/work?sort=due", "redirect back to the work list")
    r = w.post(f"/persons/{pid}/tests/new", [("date", dday()), ("sample", "urine"), ("reason", "scheduled"),
                                              ("result", "negative"), ("back", "//evil.example/")])
    expect_eq(r.header("Location"), f"/persons/{pid}?saved=test#supervision", "an off-site back is not followed")
    r = w.post(f"/persons/{pid}/tests/new", [("date", dday(1)), ("sample", "urine"), ("reason", "scheduled"),
                                              ("result", "negative")])
    expect_eq(r.status, 400, "the test form with a future date")
    check('id="e-date"' in r.text or "e-date" in r.text, "the refused test form does not mark the date")
    r = w.post(f"/persons/{pid}/tasks/{task}", [("status", "done")])
    expect_eq(r.status, 303, f"close the police_report task ({short(r.text, 200)})")
    expect_eq(event_count(pid, "police_report", "open"), 0, "open police_report tasks after closing")


@test
def sup_forms_as_a_browser_submits_them():
    """The test form, filled as a browser would (its defaults: today's date
    on the dated server, urine, scheduled), records the test."""
    pid = sup_person("worker_a", "蒋表单", "TC1", "community_detox", dday(-75), dday(-70))
    w = dpage("worker_a")
    r = w.get(f"/persons/{pid}/tests/new?back=/work")
    expect_eq(r.status, 200, "GET the test form")
    forms = [f for f in page_forms(r.text) if f[0] == f"/persons/{pid}/tests/new"]
    check(len(forms) == 1, f"the test form page has {len(forms)} forms posting to /persons/{pid}/tests/new")
    fields = dict(forms[0][1])
    expect_eq(fields.get("date"), dday(), "the date the form proposes (the server's today)")
    expect_eq(fields.get("sample"), "urine", "the sample the form proposes")
    expect_eq(fields.get("reason"), "scheduled", "the test type the form proposes")
    expect_eq(fields.get("back"), "/work", "the back target the form carries")
    check("_csrf" in fields, "the test form carries no _csrf")
    check('name="result"' in r.text and 'value="negative"' in r.text, "the test form has no result choices")
    r = w.post(f"/persons/{pid}/tests/new", forms[0][1] + [("result", "negative")], csrf=False)
    expect_eq(r.status, 303, f"POST of the filled test form ({short(r.text, 200)})")
    expect_eq(r.header("Location"), "/work", "back to the work list")
    expect_eq(schedule(dapi("worker_a"), pid)["next_test_due"], add_months(dday(), 2), "next_test_due after the form")
    r = w.get(f"/persons/{pid}/visits/new")
    forms = [f for f in page_forms(r.text) if f[0] == f"/persons/{pid}/visits/new"]
    check(len(forms) == 1, "the visit form")
    fields = dict(forms[0][1])
    expect_eq((fields.get("date"), fields.get("kind")), (dday(), "talk"), "the visit form's defaults")
    r = w.post(f"/persons/{pid}/visits/new", forms[0][1], csrf=False)
    expect_eq(r.status, 303, f"POST of the visit form as proposed ({short(r.text, 200)})")
    r = w.get(f"/persons/{pid}/events/new?kind=reported")
    forms = [f for f in page_forms(r.text) if f[0] == f"/persons/{pid}/events/new"]
    check(len(forms) == 1, "the event form")
    expect_eq(dict(forms[0][1]).get("kind"), "reported", "the event form's kind preset by ?kind=")


@test
def sup_scenario_overdue_to_breach():
    """From overdue to serious breach (DTODAY fixed): a community order that
    took effect 70 days ago is overdue for its first test and talk; a negative
    test and a talk today clear them and move the next test by the tier
    interval; a positive test is a relapse and restarts the clock; three
    refused tests are a serious breach."""
    start, decision = dday(-70), dday(-75)
    pid = sup_person("worker_a", "沈情景", "TC1", "community_detox", decision, start)
    a, b, w = dapi("worker_a"), dapi("worker_b"), dpage("worker_a")
    due = add_months(start, 2)
    late = days_between(due, dday())
    check(late > 0, f"the scenario needs the first due date {due} before {dday()}")
    items = items_of(worklist(a), pid)
    for reason in ("test_overdue", "talk_overdue"):
        it = items.get(reason)
        check(it, f"{reason} is not on worker A's work list: {items}")
        expect_eq(it["due_date"], due, f"{reason} due_date")
        expect_eq(it["days_overdue"], late, f"{reason} days_overdue")
    check(pid not in [x["person_id"] for x in worklist(b)], "worker B's work list holds the TC1 person")
    page_txt = w.get(f"/persons/{pid}").text
    check("检测逾期" in page_txt and f"逾期 {late} 天" in page_txt,
          "the case file's open tasks do not show the overdue test with its days")
    check(_wk_find(w, "reason=test_overdue", f'href="/persons/{pid}/tests/new?back='),
          "the workbench has no test action for the person")

    j = expect_created(a.post(f"/api/v1/persons/{pid}/tests", {"date": dday(), "sample": "urine",
                                                                 "reason": "scheduled", "result": "negative"}),
                       pid, "a negative test today")
    expect_eq(j["next_test_due"], add_months(dday(), 2), "next_test_due in the 201 answer")
    expect_created(a.post(f"/api/v1/persons/{pid}/visits", {"date": dday(), "kind": "talk", "notes": "谈话"}),
                   pid, "a talk today")
    items = items_of(worklist(a), pid)
    for reason in ("test_overdue", "talk_overdue", "test_due", "talk_due"):
        check(reason not in items, f"{reason} is still on the work list after today's test and talk: {items}")
    s = schedule(a, pid)
    expect_eq(s["next_test_due"], add_months(dday(), 2), "next_test_due: moved by the tier interval (2 months)")
    expect_eq(s["next_talk_due"], add_months(dday(), 2), "next_talk_due: moved by 2 months")
    expect_eq(s["test_interval_months"], 2, "test interval")
    expect_eq(s["clock_start"], start, "clock_start before the relapse")
    page_txt = w.get(f"/persons/{pid}").text
    check("检测逾期" not in page_txt, "the case file still shows the overdue test")

    # a positive test: a relapse, the clock starts again today, the police to be told
    expect_created(a.post(f"/api/v1/persons/{pid}/tests", {"date": dday(), "sample": "urine", "reason": "random",
                                                            "result": "positive", "substances": ["ketamine"]}),
                   pid, "a positive test")
    expect_eq(event_count(pid, "relapse"), 1, "relapse events after the positive test")
    expect_eq(event_count(pid, "police_report", "open"), 1, "open police_report tasks after the positive test")
    s = schedule(a, pid)
    expect_eq(s["clock_start"], dday(), "clock_start after the positive test")
    expect_eq(s["months_abstinent"], 0, "months abstinent after the relapse")
    expect_eq(s["next_test_due"], add_months(dday(), s["test_interval_months"]),
              "next_test_due from the restarted clock")
    check(s["risk_level"] in ("medium", "high"), f"risk_level after a relapse: {s['risk_level']}")
    check("serious_breach" not in items_of(worklist(a), pid), "serious_breach before any refusal")

    # three refused tests: a serious breach of the agreement
    for i in range(3):
        expect_created(a.post(f"/api/v1/persons/{pid}/tests", {"date": dday(), "sample": "urine",
                                                                "reason": "scheduled", "result": "refused"}),
                       pid, f"refused test {i + 1}")
        items = items_of(worklist(a), pid)
        if i < 2:
            check("serious_breach" not in items, f"serious_breach after {i + 1} refusals: {items}")
    it = items.get("serious_breach")
    check(it, f"serious_breach is not on the work list after 3 refusals: {items}")
    expect_eq(it["due_date"], None, "serious_breach has no due date")
    expect_eq(it["days_overdue"], 0, "serious_breach days_overdue")
    s = schedule(a, pid)
    expect_eq(s["risk_level"], "high", "risk_level after a serious breach")
    expect_eq(s["test_interval_months"], 1, "high risk: monthly tests")
    expect_eq(s["next_test_due"], add_months(dday(), 1), "next_test_due after the refusals (high risk, monthly)")
    r = a.get(f"/api/v1/persons/{pid}")
    expect_eq(r.json().get("risk_level"), "high", "the case file's risk_level")
    check("serious_breach" in items_of(worklist(dapi("office")), pid), "the street office does not see the breach")
    check(pid not in [x["person_id"] for x in worklist(b)], "worker B's work list holds the TC1 person")


def _wk_chips(text):
    """The count chips of /work: {"": all, reason: count}."""
    out = {}
    for cls, label, n in re.findall(r'<a class="chip([^"]*)" href="[^"]*">([^<]*) <b>(\d+)</b></a>', text):
        m = re.search(r"\br-([a-z_0-9]+)", cls)
        out[m.group(1) if m else ""] = int(n)
    return out


WITEM_RE = re.compile(r'<li class="witem r-([a-z_0-9]+)"><div class="wmain"><a class="wname" href="/persons/(\d+)"')


def _wk_find(client, query, needle):
    """true when some page of /work?query holds needle."""
    pg = 1
    while True:
        r = client.get(f"/work?{query}&page={pg}")
        check(r.status == 200, f"GET /work?{query}&page={pg}: {r.brief()}")
        if needle in r.text:
            return True
        if not WITEM_RE.search(r.text):
            return False
        pg += 1


def _wk_items(client, query):
    """(reason, person_id) of every item of /work?query over all its pages."""
    out, pg = [], 1
    while True:
        sep = "&" if query else ""
        r = client.get(f"/work?{query}{sep}page={pg}")
        check(r.status == 200, f"GET /work?{query}{sep}page={pg}: {r.brief()}")
        found = [(reason, int(pid)) for reason, pid in WITEM_RE.findall(r.text)]
        if not found:
            return out
        check(len(found) <= 30, f"/work?{query} page {pg} has {len(found)} items")
        out += found
        pg += 1


@test
def sup_work_page_matches_api():
    """The workbench shows exactly the API's work list: the counts per
    reason, and the items page by page in the API's order (grouped by
    reason in the workbench's order, or by due date, or by name)."""
    n, i = len(worklist(dapi("admin"))), 0
    while n < 70:  # enough for three pages of 30, with distinct due dates
        sup_person("worker_b", f"严翻页{i}", "TC2", "community_detox", dday(-75 - i), dday(-70 - i))
        n, i = len(worklist(dapi("admin"))), i + 1
    for who in ("worker_a", "office", "admin"):
        a, w = dapi(who), dpage(who)
        for query, api_sort in (("", "due"), ("sort=due", "due"), ("sort=name", "name")):
            want = [(x["reason"], x["person_id"]) for x in worklist(a, f"&sort={api_sort}")]
            if not query:
                want = [x for reason in WK_ORDER for x in want if x[0] == reason]
            got = _wk_items(w, query)
            expect_eq(got, want, f"{who}'s /work?{query} items vs the API's (sort={api_sort})")
        want = worklist(a)
        chips = _wk_chips(w.get("/work").text)
        expect_eq(chips.get(""), len(want), f"{who}'s /work count of all items")
        for reason in REASONS:
            n = sum(1 for x in want if x["reason"] == reason)
            expect_eq(chips.get(reason, 0), n, f"{who}'s /work count of {reason}")
        for reason in ("test_overdue", "talk_overdue"):
            wanted = [(x["reason"], x["person_id"]) for x in worklist(a, "&sort=due") if x["reason"] == reason]
            for query in (f"reason={reason}", f"reason={reason}&sort=due"):
                expect_eq(_wk_items(w, query), wanted, f"{who}'s /work?{query}")
        check(len(want) > 30 or who == "worker_a", f"{who}'s work list is too short to test paging ({len(want)})")


# ---- the daily paths (issue 8): stuck items, registration with status, leave, notices, closed files


def _item(client, pid, reason):
    """The work-list item of pid for reason (fails when there is none)."""
    it = items_of(worklist(client), pid).get(reason)
    check(it is not None, f"{client.who}: no {reason} item of person {pid}")
    return it


@test
def daily_register_with_status():
    """POST /api/v1/persons takes the first status (status, decision_date,
    start_date, decision_no): one transaction, the file is never without
    status; its faults come with the case file's in one answer; without
    status the file is work (file_incomplete) whose action is the status."""
    a = dapi("worker_a")
    p = payload("戴登记", "TC1", birth="19850307", region="320581")
    p.update({"status": "community_detox", "decision_date": dday(-75), "start_date": dday(-70),
              "decision_no": "示社戒决字〔2025〕7号"})
    r = a.post("/api/v1/persons", p)
    check(r.status == 201, f"POST /api/v1/persons with a status: {r.brief()}")
    j = r.json()
    pid = j["id"]
    expect_eq(j.get("status"), "community_detox", "status of the new person")
    expect_eq(j.get("status_since"), dday(-70), "status_since of the new person")
    check(j.get("next_test_due"), f"no next_test_due after registering with a status: {r.brief()}")
    expect_eq(sql_int(f"SELECT count(*) FROM status_episode WHERE person_id={pid}"), 1, "episodes of the new person")
    check(not items_of(worklist(a), pid).get("file_incomplete"), "a person registered with a status is file_incomplete")
    it = _item(a, pid, "test_overdue")
    expect_eq(it.get("since"), dday(-70), "since of a first test overdue (counted from the start)")
    check("检测频次" in (it.get("why") or ""), f"why of test_overdue: {it}")
    expect_eq(it.get("action"), {"kind": "test", "arg": None, "label": "登记尿检"}, "action of test_overdue")
    # faults of both parts in one answer, nothing written
    before = snapshot()
    bad = payload("", "TC1")
    bad.update({"status": "on_holiday", "decision_date": "2025-13-01"})
    r = a.post("/api/v1/persons", bad)
    expect_api_error(r, 400, "invalid", ["name", "status", "decision_date"], "bad status and name")
    fields = r.json()["error"]["fields"]
    for f in ("name", "status", "decision_date"):
        check(f in fields, f"{f} not among the fields of one answer: {fields}")
    bad = payload("蒋缺状态", "TC1")
    bad["decision_date"] = dday(-3)
    expect_api_error(a.post("/api/v1/persons", bad), 400, "invalid", "status", "a decision without its status")
    assert_unchanged(before, "refused registrations")
    # PATCH keeps status read-only (POST .../status changes it)
    expect_api_error(a.patch(f"/api/v1/persons/{pid}", {"status": "dead"}), 400, "invalid", "status", "PATCH status")
    # without status: work until it has one
    r = a.post("/api/v1/persons", payload("韩无状态", "TC1"))
    check(r.status == 201, f"POST without status: {r.brief()}")
    q = r.json()["id"]
    it = _item(a, q, "file_incomplete")
    expect_eq(it.get("action", {}).get("kind"), "status", "action of file_incomplete")
    check(it.get("since") and "管控状态" in (it.get("why") or ""), f"since/why of file_incomplete: {it}")
    r = a.post(f"/api/v1/persons/{q}/status", {"status": "social_supervision", "decision_date": dday(-1),
                                                "start_date": dday(-1)})
    check(r.status == 201, f"status of {q}: {r.brief()}")
    check(not items_of(worklist(a), q).get("file_incomplete"), "file_incomplete stays after the status")


@test
def daily_register_form_with_status():
    """The new-person form carries the status fields (maxlength from the
    table); posted with them the file has its status."""
    w = dpage("worker_a")
    r = w.get("/persons/new")
    for name in ("status", "decision_date", "start_date", "decision_no"):
        check(f'name="{name}"' in r.text, f"the new-person form has no {name} field")
    check('name="decision_no"' in r.text and 'maxlength="60"' in r.text, "decision_no without its maxlength")
    p = payload("杨表单", "TC1", birth="19850307", region="320581", full=False)
    fields = [("name", p["name"]), ("sex", "M"), ("id_number", p["id_number"]), ("birth_date", p["birth_date"]),
              ("org", "TC1"), ("status", "social_supervision"), ("decision_date", dday(-2)),
              ("start_date", dday(-2)), ("decision_no", "")]
    r = w.post("/persons", fields)
    expect_eq(r.status, 303, f"POST /persons with a status ({short(r.text, 200)})")
    pid = int(r.header("Location").rsplit("/", 1)[1])
    expect_eq(sql(f"SELECT status FROM person WHERE id={pid}"), "social_supervision", "status after the form")


@test
def daily_breach_to_police_decision():
    """A serious breach: 登记报告公安 (police_report) turns it into waiting
    for the police (police_decision, since the report); their decision that
    the order goes on (police_decision event) clears it."""
    a = dapi("worker_a")
    pid = sup_person("worker_a", "许违约", "TC1", "community_detox", dday(-150), dday(-150))
    for d in (-120, -90, -60):
        expect_created(a.post(f"/api/v1/persons/{pid}/tests", {"date": dday(d), "sample": "urine",
                                                               "reason": "scheduled", "result": "refused"}),
                       pid, "a refused test")
    it = _item(a, pid, "serious_breach")
    expect_eq(it.get("since"), dday(-60), "since of the serious breach (the third refusal)")
    check(dday(-120) in (it.get("why") or "") and dday(-60) in it["why"], f"why names the refusals: {it}")
    expect_eq(it["action"], {"kind": "event", "arg": "police_report", "label": "登记报告公安"}, "breach action")
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "police_report", "date": dday()}), pid,
                   "police_report")
    items = items_of(worklist(a), pid)
    check("serious_breach" not in items, "serious_breach stays after 登记报告公安")
    expect_eq(items.get("police_decision", {}).get("since"), dday(), "since of police_decision (the report)")
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "police_decision", "date": dday(),
                                                            "note": "派出所决定继续社区戒毒"}), pid, "police_decision")
    check("police_decision" not in items_of(worklist(a), pid), "police_decision stays after the decision")
    expect_eq(sql_int(f"SELECT serious_breach FROM person WHERE id={pid}"), 0, "serious_breach after the decision")


@test
def daily_leave_and_notices():
    """A leave of 3 days or more asked for ahead: pending for the street
    office (the worker sees 查看申请: can_decide false); approved, the worker
    is told (GET /api/v1/notices), marks it read; leave_return closes it."""
    a, o = dapi("worker_a"), dapi("office")
    pid = sup_person("worker_a", "孔请假", "TC1", "social_supervision", dday(-30), dday(-30))
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "leave", "date": dday(2), "until": dday(6),
                                                            "note": "回户籍地探亲"}), pid, "a leave ahead")
    expect_eq(event_count(pid, "leave", "open"), 1, "open leaves")
    mine = _item(a, pid, "approval_pending")
    expect_eq(mine.get("can_decide"), False, "can_decide of the proposer")
    dec = _item(o, pid, "approval_pending")
    expect_eq(dec.get("can_decide"), True, "can_decide of the street office")
    aid = dec["approval_id"]
    r = o.get(f"/api/v1/approvals/{aid}")
    expect_eq((r.json().get("kind"), r.json().get("date"), r.json().get("until")), ("leave", dday(2), dday(6)),
              "the leave approval")
    expect_api_error(a.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403, "forbidden",
                     what="the proposer deciding")
    r = o.post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"})
    check(r.status == 200, f"the office approves: {r.brief()}")
    r = a.get("/api/v1/notices?unread=1")
    check(r.status == 200, f"GET /api/v1/notices: {r.brief()}")
    j = r.json()
    mine = [n for n in j["items"] if n.get("approval_id") == aid]
    check(len(mine) == 1, f"no notice of the decided leave: {j}")
    expect_eq((mine[0]["kind"], mine[0]["approval_state"], mine[0]["person_id"]), ("approval_decided", "approved", pid),
              "the notice")
    check(j["unread"] >= 1, f"unread count: {j}")
    r = a.post(f"/api/v1/notices/{mine[0]['id']}/read", {})
    check(r.status == 200 and r.json().get("read") == 1, f"marking the notice read: {r.brief()}")
    expect_api_error(a.post(f"/api/v1/notices/{mine[0]['id']}/read", {}), 404, "not_found", what="read twice")
    expect_api_error(o.post(f"/api/v1/notices/{mine[0]['id']}/read", {}), 404, "not_found", what="another's notice")
    r = a.post("/api/v1/notices/read", {})
    check(r.status == 200 and isinstance(r.json().get("read"), int), f"marking all read: {r.brief()}")
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "leave_return", "date": dday()}), pid,
                   "the return")
    expect_eq(event_count(pid, "leave", "open"), 0, "open leaves after the return")
    expect_api_error(a.post(f"/api/v1/persons/{pid}/events", {"kind": "leave_return", "date": dday()}), 400,
                     "invalid", "kind", "a return without a leave")
    # the workbench shows a notice and marks it read
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "leave", "date": dday(10), "until": dday(20)})
    aid2 = _item(o, pid, "approval_pending")["approval_id"]
    check(o.post(f"/api/v1/approvals/{aid2}/decide", {"decision": "reject", "reason": "未附书面报告"}).status == 200,
          "the office rejects")
    expect_eq(event_count(pid, "leave", "cancelled"), 1, "a rejected leave is cancelled")
    w = dpage("worker_a")
    r = w.get("/work")
    check('id="notices"' in r.text and "未附书面报告" in r.text, "the workbench does not show the rejection")
    nid = sql_int(f"SELECT id FROM notice WHERE approval_id={aid2}")
    r = w.post("/notices/read", [("id", str(nid))])
    expect_eq(r.status, 303, "POST /notices/read")
    expect_eq(sql(f"SELECT read_at IS NOT NULL FROM notice WHERE id={nid}"), "1", "the notice is read")


@test
def daily_closed_file():
    """A dead or emigrated person: control "closed" (not in_control, not
    lost), no talk or test through the API (409, a clear message) or the
    pages (no form, no button)."""
    a = dapi("worker_a")
    pid = sup_person("worker_a", "曹已故", "TC1", "social_supervision", dday(-90), dday(-90))
    expect_created(a.post(f"/api/v1/persons/{pid}/events", {"kind": "lost_contact", "date": dday(-20)}), pid,
                   "lost_contact")
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "dead", "decision_date": dday(-1)})
    check(r.status == 201, f"status dead: {r.brief()}")
    expect_eq(r.json().get("control"), "closed", "control of a dead person")
    r = a.get("/api/v1/persons?q=" + urllib.parse.quote("曹已故"))
    expect_eq([x.get("control") for x in r.json()["items"]], ["closed"], "control in the list")
    for ctl, want in (("in_control", []), ("lost_contact", []), ("closed", [pid])):
        r = a.get("/api/v1/persons?control=" + ctl + "&q=" + urllib.parse.quote("曹已故"))
        expect_eq([x.get("id") for x in r.json()["items"]], want, f"a dead person in the list filtered control={ctl}")
    check("lost_contact" not in items_of(worklist(a), pid), "a dead person is lost_contact work")
    err = expect_api_error(a.post(f"/api/v1/persons/{pid}/visits", {"date": dday(), "kind": "talk"}), 409, "conflict",
                           what="a talk with a dead person")
    check("已死亡或出境" in err["message"], f"the message does not say why: {err}")
    expect_api_error(dapi("police").post(f"/api/v1/persons/{pid}/tests", {"date": dday(), "sample": "urine",
                                                                         "reason": "scheduled", "result": "negative"}),
                     409, "conflict", what="a test of a dead person")
    w = dpage("worker_a")
    r = w.get(f"/persons/{pid}")
    check(f"/persons/{pid}/visits/new" not in r.text and f"/persons/{pid}/tests/new" not in r.text,
          "the case file of a dead person offers a talk or a test")
    check("已关闭" in r.text, "the case file does not say the file is closed")
    expect_eq(w.get(f"/persons/{pid}/visits/new").status, 409, "the talk form of a dead person")


@test
def daily_validation_one_round():
    """A wrong check digit and a sex and birth date that do not match the
    number, and a bad phone: four faults, one answer; phone formats."""
    a = api("worker_a")
    p = payload("魏一次", "TC1", sex="M")
    good = p["id_number"]
    p["id_number"] = good[:17] + ("0" if good[17] != "0" else "1")
    p["sex"] = "F"
    p["birth_date"] = "1988-08-09"
    p["phone"] = "1380013800"
    r = a.post("/api/v1/persons", p)
    fields = expect_api_error(r, 400, "invalid", what="four faults")["fields"]
    for f in ("id_number", "sex", "birth_date", "phone"):
        check(f in fields, f"{f} not reported in the same answer: {fields}")
    check("手机" in fields["phone"] and "区号" in fields["phone"], f"the phone message does not say what is taken: {fields}")
    for phone in ("138 0013 8000", "+86 138-0013-8000", "0571-87654321-801", "(010)12345678"):
        q = payload("魏电话", "TC1")
        q["phone"] = phone
        r = a.post("/api/v1/persons", q)
        check(r.status == 201, f"phone {phone!r} refused: {r.brief()}")


# ---- the responsible social worker (责任社工) and "my cases"

WORKER_MSG = "责任社工须为该人员所在社区的社工或社区干部"


def worker_of(pid):
    """The username of pid's responsible worker in the database ("" for none)."""
    return sql(f"SELECT coalesce(u.username, '') FROM person p LEFT JOIN app_user u ON u.id = p.worker_id "
               f"WHERE p.id = {pid}")


def worker_audits(pid):
    return sql_int(f"SELECT count(*) FROM audit_log WHERE entity = 'person' AND entity_id = {pid} "
                   f"AND action = 'update' AND detail LIKE 'fields=\"worker\"%'")


def put_worker(client, pid, obj=None, raw=None):
    return client.call("PUT", f"/api/v1/persons/{pid}/worker", obj=obj, raw=raw)


@test
def sup_worker_put():
    """PUT /api/v1/persons/{id}/worker sets, changes and clears the
    responsible worker (a worker or cadre of the person's community), answers
    {"worker","worker_name"}, and the case file shows them; setting the same
    again writes nothing; a worker who registers a person is responsible."""
    pid = sup_person("admin", "蒋责任", "TC1", "community_detox", dday(-75), dday(-70))
    o = dapi("office")
    j = o.get(f"/api/v1/persons/{pid}").json()
    expect_eq((j.get("worker", "absent"), j.get("worker_name", "absent")), (None, None),
              "worker/worker_name of a person registered by the district office")
    r = put_worker(o, pid, {"worker": "worker_a"})
    expect_eq(r.status, 200, f"office PUT worker=worker_a ({r.brief()})")
    expect_eq(r.json(), {"worker": "worker_a", "worker_name": "测试worker_a"}, "PUT worker answer")
    j = dapi("worker_a").get(f"/api/v1/persons/{pid}").json()
    expect_eq((j.get("worker"), j.get("worker_name")), ("worker_a", "测试worker_a"), "case file after PUT")
    n = worker_audits(pid)
    expect_eq(n, 1, "audit rows of the worker after one change")
    before = sup_counts()
    r = put_worker(dapi("worker_a"), pid, {"worker": "worker_a"})
    expect_eq((r.status, r.json().get("worker")), (200, "worker_a"), "PUT the same worker again")
    expect_eq(worker_audits(pid), n, "audit rows after setting the same worker again")
    r = put_worker(dapi("worker_a"), pid, {"worker": "cadre_a"})
    expect_eq(r.json(), {"worker": "cadre_a", "worker_name": "测试cadre_a"}, "PUT a cadre of the community")
    r = put_worker(dapi("admin"), pid, {"worker": None})
    expect_eq((r.status, r.json()), (200, {"worker": None, "worker_name": None}), "PUT worker=null clears")
    expect_eq(worker_of(pid), "", "worker in the database after clearing")
    r = put_worker(o, pid, {"worker": ""})
    expect_eq(r.status, 200, "PUT worker=\"\" (already nobody's)")
    expect_eq(worker_audits(pid), n + 2, "audit rows: one per change")
    sup_unchanged(before, "setting the responsible worker (no version, record or unit change)")
    # a worker who registers a person is its responsible worker; a cadre or an office is not
    for creator, want in (("worker_a", "worker_a"), ("office", None)):
        q = sup_person(creator, f"蒋登记{creator}", "TC1")
        expect_eq(dapi("admin").get(f"/api/v1/persons/{q}").json().get("worker"), want,
                  f"worker of a person registered by {creator}")
    # PATCH does not set it: read-only there
    expect_api_error(o.patch(f"/api/v1/persons/{pid}", {"worker": "worker_a"}), 400, "invalid", field="worker",
                     what="PATCH with worker")


def _worker_bad_case(name, body, field, raw=None):
    """A refused PUT .../worker: 400 invalid naming field, nothing written."""
    def fn():
        pid = C.persons.get("worker_val")
        if pid is None:
            pid = C.persons["worker_val"] = sup_person("worker_a", "蒋校验", "TC1")
        before = (worker_of(pid), worker_audits(pid), sup_counts())
        r = put_worker(dapi("office"), pid, body, raw=raw)
        err = expect_api_error(r, 400, "invalid", field=field, what=f"PUT worker ({name})")
        check(has_cjk(err["message"]), f"PUT worker ({name}): message is not Chinese: {err['message']!r}")
        if field == "worker" and body and isinstance(body.get("worker"), str):
            expect_eq(err["fields"]["worker"], WORKER_MSG, f"PUT worker ({name}): the message of the rule")
        expect_eq((worker_of(pid), worker_audits(pid), sup_counts()), before, f"PUT worker ({name}): written")
    add_test("sup_worker_bad_" + name, fn)


for _n, _b, _f in (
        ("unknown_user", {"worker": "nobody"}, "worker"),
        ("police", {"worker": "police"}, "worker"),
        ("office", {"worker": "office"}, "worker"),
        ("viewer_account", {"worker": "viewer"}, "worker"),
        ("other_community", {"worker": "worker_b"}, "worker"),
        ("case", {"worker": "Worker_A"}, "worker"),
        ("unknown_field", {"worker": "worker_a", "boss": "office"}, "boss"),
        ("number", {"worker": 5}, "worker"),
        ("array", {"worker": ["worker_a"]}, "worker"),
        ("object", {"worker": {"username": "worker_a"}}, "worker"),
        ("missing", {}, "worker"),
):
    _worker_bad_case(_n, _b, _f)
for _n, _raw in (("malformed_json", b'{"worker": '), ("array_body", b'["worker_a"]'), ("empty_body", b'')):
    _worker_bad_case(_n, None, None, raw=_raw)


@test
def sup_worker_put_refusals():
    """Out of scope: 404 exactly like a missing person (whatever the body);
    viewer and police: 403; without a token: 401; nothing written."""
    pid = sup_person("worker_a", "蒋范围", "TC1")
    before = (worker_of(pid), worker_audits(pid), sup_counts())
    for who in ("worker_b", "office_b"):
        for body in ({"worker": "worker_b"}, {"worker": "worker_a"}, {"worker": None}, {"worker": "nobody"}):
            r1, r2 = put_worker(dapi(who), pid, body), put_worker(dapi(who), MISSING_ID, body)
            _same_404(r1, r2, pid, MISSING_ID, f"{who} PUT worker {json.dumps(body, ensure_ascii=False)}")
            expect_api_error(r1, 404, "not_found", what=f"{who} PUT worker on another unit's person")
    for who in ("viewer", "police"):
        expect_api_error(put_worker(dapi(who), pid, {"worker": "worker_a"}), 403, "forbidden",
                         what=f"{who} PUT worker")
    r = hreq("PUT", f"/api/v1/persons/{pid}/worker", body=jbody({"worker": None}),
             headers={"Content-Type": "application/json"})
    expect_api_error(r, 401, "unauthorized", what="PUT worker without a token")
    expect_eq((worker_of(pid), worker_audits(pid), sup_counts()), before, "refused PUT worker calls")


@test
def sup_worklist_mine():
    """GET /api/v1/worklist?mine=1: exactly the items of the whole list
    whose person the caller is responsible for, in the same order (with
    org= too); nobody's own list holds a transfer coming in; mine=0 is the
    whole list; any other value is 400."""
    mine_due = sup_person("worker_a", "蒋我的", "TC1", "community_detox", dday(-75), dday(-70))
    not_mine = sup_person("admin", "蒋别人", "TC1", "community_detox", dday(-75), dday(-70))
    cadres = sup_person("admin", "蒋干部", "TC1", "community_detox", dday(-75), dday(-70))
    expect_eq(put_worker(dapi("office"), cadres, {"worker": "cadre_a"}).status, 200, "PUT worker=cadre_a")
    owned = {}
    for line in sql("SELECT p.id, u.username FROM person p JOIN app_user u ON u.id = p.worker_id").splitlines():
        i, u = line.split("|")
        owned[int(i)] = u
    for who, org in (("worker_a", ""), ("worker_a", "&org=TC1"), ("cadre_a", ""), ("worker_b", ""),
                     ("office", ""), ("office", "&org=TC1"), ("office_b", ""), ("admin", "")):
        a = dapi(who)
        for sort in ("due", "name", "reason"):
            whole = worklist(a, f"{org}&sort={sort}")
            mine = worklist(a, f"{org}&sort={sort}&mine=1")
            want = [x for x in whole if owned.get(x["person_id"]) == who]
            expect_eq(mine, want, f"{who}'s work list{org}&sort={sort}&mine=1 vs the whole list's items of "
                                  f"the persons {who} is responsible for")
            expect_eq(worklist(a, f"{org}&sort={sort}&mine=0"), whole, f"{who}'s work list with mine=0")
    mine = worklist(dapi("worker_a"), "&mine=1")
    ids = {x["person_id"] for x in mine}
    check(mine_due in ids, "worker A's own list lacks the person worker A registered")
    check(not_mine not in ids and cadres not in ids, "worker A's own list holds another's person")
    check(cadres in {x["person_id"] for x in worklist(dapi("cadre_a"), "&mine=1")}, "cadre A's own list")
    expect_eq(worklist(dapi("office"), "&mine=1"), [], "the street office's own list (responsible for no one)")
    for q in ("mine=x", "mine=2", "mine=true", "mine=yes", "mine=-1"):
        expect_api_error(dapi("worker_a").get("/api/v1/worklist?" + q), 400, "invalid", field="mine",
                         what=f"GET worklist?{q}")


@test
def sup_work_page_mine():
    """/work?org=me: 我负责的 is the first choice of the scope (selected),
    the page shows exactly the API's mine=1 list (grouped by reason), and the
    count chips and paging keep org=me; /work alone is the whole scope."""
    sup_person("worker_a", "蒋工作台", "TC1", "community_detox", dday(-75), dday(-70))
    sup_person("admin", "蒋非我", "TC1", "community_detox", dday(-75), dday(-70))
    for who in ("worker_a", "office"):
        w, a = dpage(who), dapi(who)
        r = w.get("/work?org=me")
        expect_eq(r.status, 200, f"{who} GET /work?org=me")
        sel = re.search(r'<select id="f-org" name="org"[^>]*>(.*?)</select>', r.text, re.S)
        check(sel, f"{who}'s /work?org=me has no scope selector")
        opts = re.findall(r'<option value="([^"]*)"( selected)?>', sel.group(1))
        check(opts and opts[0] == ("me", " selected"), f"{who}: 我负责的 is not the first, selected choice: {opts}")
        check(sum(1 for _, s in opts if s) == 1, f"{who}: several choices selected: {opts}")
        check(">我负责的<" in sel.group(1), f"{who}: the first choice is not labelled 我负责的")
        want = [(x["reason"], x["person_id"]) for x in worklist(a, "&mine=1")]
        want = [x for reason in WK_ORDER for x in want if x[0] == reason]
        expect_eq(_wk_items(w, "org=me"), want, f"{who}'s /work?org=me vs the API's mine=1")
        chips = re.findall(r'<a class="chip[^"]*" href="([^"]*)">', r.text)
        check(chips and all("org=me" in c for c in chips), f"{who}: count chips without org=me: {chips}")
        check(_wk_chips(r.text).get("") == len(want), f"{who}: the count of all items on /work?org=me")
        pager = re.findall(r'href="(/work\?[^"]*page=\d+[^"]*)"', r.text)
        check(all("org=me" in x for x in pager), f"{who}: paging links without org=me: {pager}")
        r = w.get("/work")
        opts = re.findall(r'<option value="([^"]*)"( selected)?>', r.text)
        check(("me", "") in opts, f"{who}'s /work has no unselected 我负责的 choice: {opts}")
        check(("", " selected") in opts, f"{who}'s /work does not select the own unit: {opts}")
    check(any(x[1] for x in _wk_items(dpage("worker_a"), "org=me")), "worker A's /work?org=me is empty")
    check(len(_wk_items(dpage("worker_a"), "org=me")) < len(_wk_items(dpage("worker_a"), "")),
          "worker A's /work?org=me is not shorter than the whole list")


@test
def sup_worker_form():
    """The case file shows 责任社工 and, for writers, a form with the
    community's workers and cadres (not the police, not other communities);
    posting it (with the CSRF token) changes the worker and comes back with
    a notice; a wrong account is refused beside the form; without or with a
    wrong token 403; the viewer 403; another unit's person 404 as a missing
    one; the print view shows the name without the form."""
    pid = sup_person("admin", "蒋表格", "TC1")
    w = dpage("worker_a")
    r = w.get(f"/persons/{pid}")
    expect_eq(r.status, 200, "worker A GET the case file")
    check(re.search(r"<dt>责任社工</dt><dd[^>]*>未指定</dd>", r.text), "the case file does not show 责任社工 未指定")
    forms = [f for f in page_forms(r.text) if f[0] == f"/persons/{pid}/worker#worker"]
    check(len(forms) == 1, f"the case file has {len(forms)} forms of the responsible worker")
    check(any(k == "_csrf" for k, _ in forms[0][1]), "the worker form carries no _csrf")
    sel = re.search(r'<select id="f-worker" name="worker">(.*?)</select>', r.text, re.S)
    check(sel, "the worker form has no select")
    values = re.findall(r'<option value="([^"]*)"', sel.group(1))
    want = sorted([""] + [u for u, (role, org) in USERS.items() if role in ("worker", "cadre") and org == "TC1"])
    expect_eq(sorted(values), want, "the choices of the responsible worker (TC1's workers and cadres)")
    before = (worker_of(pid), worker_audits(pid))
    for csrf in (False, "0" * 64):
        r = w.post(f"/persons/{pid}/worker", [("worker", "worker_a")], csrf=csrf)
        expect_eq(r.status, 403, f"POST the worker form with csrf={csrf!r}")
    expect_eq(dpage("viewer").post(f"/persons/{pid}/worker", [("worker", "worker_a")]).status, 403,
              "viewer POST the worker form")
    _same_404(dpage("worker_b").post(f"/persons/{pid}/worker", [("worker", "worker_b")]),
              dpage("worker_b").post(f"/persons/{MISSING_ID}/worker", [("worker", "worker_b")]), pid, MISSING_ID,
              "worker B POST /persons/{id}/worker")
    r = w.post(f"/persons/{pid}/worker", [("worker", "police")])
    expect_eq(r.status, 400, "POST the worker form with the police liaison")
    check(WORKER_MSG in r.text and 'id="e-worker"' in r.text, "the refused worker form does not show the message")
    expect_eq((worker_of(pid), worker_audits(pid)), before, "refused worker form posts")
    r = w.post(f"/persons/{pid}/worker", [(k, v) for k, v in forms[0][1] if k != "worker"] + [("worker", "worker_a")],
               csrf=False)
    expect_eq(r.status, 303, f"POST the worker form as a browser fills it ({short(r.text, 200)})")
    expect_eq(r.header("Location"), f"/persons/{pid}?saved=worker#worker", "redirect after the worker form")
    expect_eq(worker_of(pid), "worker_a", "worker after the form")
    r = w.get(f"/persons/{pid}?saved=worker")
    check("责任社工已更新" in r.text, "no notice after the worker form")
    check(re.search(r"<dt>责任社工</dt><dd[^>]*>测试worker_a</dd>", r.text), "the case file does not show the worker")
    check(re.search(r'<option value="worker_a" selected>', r.text), "the form does not select the current worker")
    r = w.post(f"/persons/{pid}/worker", [("worker", "")])
    expect_eq(r.status, 303, "POST the worker form with 未指定")
    expect_eq(worker_of(pid), "", "worker after choosing 未指定")
    expect_eq(put_worker(dapi("admin"), pid, {"worker": "cadre_a"}).status, 200, "PUT worker=cadre_a")
    r = w.get(f"/persons/{pid}/print")
    check(re.search(r"<dt>责任社工</dt><dd[^>]*>测试cadre_a</dd>", r.text), "the print view does not show the worker")
    check(f"/persons/{pid}/worker" not in r.text, "the print view has the worker form")
    r = dpage("viewer").get(f"/persons/{pid}")
    check("测试cadre_a" in r.text and f"/persons/{pid}/worker" not in r.text,
          "the viewer sees no name or a form of the responsible worker")


def _calendar_link(pg):
    r = pg.get("/work")
    expect_eq(r.status, 200, f"{pg.who} GET /work")
    m = re.search(r'href="(/calendar/([0-9a-f]{16,128})\.ics)"', r.text)
    check(m, f"{pg.who}'s /work has no /calendar/<hex>.ics link")
    return m.group(1)


def _calendar_ok(path, what, port=None):
    r = hreq("GET", path, port=port)
    expect_eq(r.status, 200, f"{what}: GET {path} without a session")
    check((r.header("Content-Type") or "").startswith("text/calendar"),
          f"{what}: Content-Type {r.header('Content-Type')!r}")
    body = r.body.decode("utf-8")
    check(body.startswith("BEGIN:VCALENDAR\r\n"), f"{what}: does not start with BEGIN:VCALENDAR CRLF: {short(body)}")
    check(body.endswith("END:VCALENDAR\r\n"), f"{what}: does not end with END:VCALENDAR CRLF")
    check("\n" not in body.replace("\r\n", ""), f"{what}: a line ends without CR")
    for line in body.split("\r\n"):
        check(len(line.encode()) <= 75, f"{what}: a line longer than 75 octets: {line!r}")
    return body


@test
def sup_calendar_feed():
    """GET /work shows the feed URL; the feed answers without a session
    (iCalendar, CRLF lines); a wrong token is 404; a new token (POST
    /account/calendar with CSRF) ends the old URL."""
    pid = sup_person("worker_a", "韩日历", "TC1", "community_detox", dday(-75), dday(-70))
    pg = page("worker_a")
    path = _calendar_link(pg)
    body = _calendar_ok(path, "worker A's calendar")
    # the dated server: the overdue test of the person is an event today
    dbody = _calendar_ok(path, "worker A's calendar on the dated server", port=dated())
    check(f"UID:jindu-{pid}-test-{add_months(dday(-70), 2)}@jindu" in dbody,
          f"the dated calendar has no event for person {pid}'s overdue test")
    check("DTSTART;VALUE=DATE:" + dday().replace("-", "") in dbody, "overdue events are not put on today")
    check("BEGIN:VEVENT" in body or "BEGIN:VEVENT" in dbody, "no VEVENT in either calendar")
    token = path[len("/calendar/"):-len(".ics")]
    wrong = token[:-1] + ("0" if token[-1] != "0" else "1")
    for p in (f"/calendar/{wrong}.ics", f"/calendar/{'0' * 64}.ics", f"/calendar/{token}.ICS",
              f"/calendar/{token.upper()}.ics", f"/calendar/{token}x.ics", "/calendar/.ics"):
        r = hreq("GET", p)
        expect_eq(r.status, 404, f"GET {p}")
        check("BEGIN:VCALENDAR" not in r.text, f"GET {p} answered a calendar")
    # another user's feed is another token
    other = _calendar_link(page("worker_b"))
    check(other != path, "workers A and B share a calendar URL")
    r = pg.post("/account/calendar", [], csrf=False)
    expect_eq(r.status, 403, "POST /account/calendar without _csrf")
    _calendar_ok(path, "the old URL after a refused rotation")
    r = pg.post("/account/calendar", [])
    expect_eq(r.status, 303, "POST /account/calendar with _csrf")
    expect_eq(hreq("GET", path).status, 404, "the old calendar URL after the rotation")
    expect_eq(hreq("GET", path, port=dated()).status, 404, "the old calendar URL on the other server")
    new = _calendar_link(pg)
    check(new != path, "the calendar URL did not change")
    _calendar_ok(new, "the new calendar URL")
    _calendar_ok(other, "worker B's calendar after A's rotation")


# ---- attachments (photos and scans on the case file's documents) and the
# .xlsx downloads (API.md: POST /api/v1/{record}/{id}/attachments, GET
# /api/v1/attachments/{id}; "?format=xlsx with the same rows as the JSON")

def png_bytes(w=4, h=3, rgb=(200, 30, 30)):
    """A valid PNG of w x h pixels of one colour (zlib of the standard library)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode."


def multipart(fields=(), files=()):
    """A multipart/form-data body: fields (name, value), files (name,
    filename, content type, bytes). Returns (body, Content-Type)."""
    b = "jinduTestBoundary" + os.urandom(8).hex()
    out = []
    for k, v in fields:
        out.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, fname, ctype, data in files:
        out.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
                   f'Content-Type: {ctype}\r\n\r\n'.encode() + data + b"\r\n")
    out.append(f"--{b}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={b}"


def att_counts():
    return sql("SELECT (SELECT count(*) FROM attachment),(SELECT count(*) FROM attachment_blob),"
               "(SELECT count(*) FROM audit_log WHERE entity='attachment' AND action<>'read')")


def activities_summed(flt, f, t, what=""):
    """The activities of TS1 (as the office, one page of 200) matching the
    filter flt ("" or "&key=value...") dated from f to t (None: open):
    checks that the answer's total counts its items and that its totals row
    sums their participants and leaflets; returns (the query, the items)."""
    q = f"/api/v1/activities?org=TS1&per_page=200{flt}" + (f"&from={f}" if f else "") + (f"&to={t}" if t else "")
    j = api("office").get(q).json()
    items = j["items"]
    expect_eq(j["total"], len(items), f"{what}{q}: the count")
    expect_eq((j["totals"]["participants"], j["totals"]["materials"]["leaflets"]),
              (sum(i["participants"] for i in items), sum(i["materials"]["leaflets"] for i in items)),
              f"{what}{q}: participants and leaflets")
    return q, items


def att_record_checks(c, kind, rid, missing, filename, bad, record=None):
    """The attachments of the record /api/v1/{kind}/{rid} through c, a writer
    in scope: a PNG named filename uploaded (201, its type, its record id and,
    when given, its record kind), listed and read back by the office; another
    street (office_b) answered 404 as for the missing id, for the list and for
    the file; the viewer's upload 403, and an executable (bad: its filename
    and content type) 400 on field file, with nothing written."""
    path = f"/api/v1/{kind}/{rid}/attachments"
    body, ct = multipart(files=[("file", filename, "image/png", png_bytes())])
    r = c.post(path, raw=body, ctype=ct)
    expect_eq(r.status, 201, f"upload to {kind} ({r.brief()})")
    att = r.json()
    expect_eq((att["content_type"], att["record_id"]), ("image/png", rid), f"the attachment of {kind}")
    if record:
        expect_eq(att["record"], record, f"the record kind of the attachment of {kind}")
    r = api("office").get(path)
    expect_eq([x["id"] for x in r.json()["items"]], [att["id"]], f"the list of {kind}'s attachments")
    expect_eq(api("office").get(f"/api/v1/attachments/{att['id']}").body, png_bytes(), "the bytes read back")
    b = api("office_b")
    _same_404(b.get(path), b.get(f"/api/v1/{kind}/{missing}/attachments"),
              rid, missing, f"the attachments of another street's {kind}")
    _same_404(b.get(f"/api/v1/attachments/{att['id']}"), b.get(f"/api/v1/attachments/{missing}"),
              att["id"], missing, f"another street reads the attachment of {kind}")
    before = att_counts()
    expect_api_error(api("viewer").post(path, raw=body, ctype=ct), 403, "forbidden",
                     what=f"the viewer uploads to {kind}")
    exe, ct2 = multipart(files=[("file", bad[0], bad[1], EXE)])
    expect_api_error(c.post(path, raw=exe, ctype=ct2), 400, "invalid", field="file",
                     what=f"an executable named {bad[0]} on {kind}")
    expect_eq(att_counts(), before, f"refused uploads to {kind} wrote something")


def att_doc(key="pa", user="worker_a"):
    """A document of fixture person key (added through the case file's form
    the first time), its id."""
    pid = person(key)["id"]
    did = sql(f"SELECT min(id) FROM person_document WHERE person_id={pid}")
    if not did:
        r = page(user).post(f"/persons/{pid}/docs", [("kind", "agreement"), ("signed_date", "2024-03-01"),
                                                      ("number", "协议-附件")])
        check(r.status == 303, f"POST /persons/{pid}/docs as {user}: {r.brief()}")
        did = sql(f"SELECT min(id) FROM person_document WHERE person_id={pid}")
    return int(did)


def att_upload(client, doc, fname, data, ctype="application/octet-stream", field="file"):
    body, ct = multipart(files=[(field, fname, ctype, data)])
    return client.post(f"/api/v1/person_documents/{doc}/attachments", raw=body, ctype=ct)


def audit_rows_eventually(query, want, what):
    """Reads are group-committed by the server's writer within milliseconds:
    polls sql_int(query) up to 3 s for want."""
    deadline = time.time() + 3
    while True:
        got = sql_int(query)
        if got >= want or time.time() > deadline:
            check(got >= want, f"{what}: expected {want} audit rows, found {got}")
            return got
        time.sleep(0.05)


@test
def att_upload_jpeg_png_pdf():
    """JPEG, PNG and PDF are accepted (201), whatever type and name the
    client claims: the type is sniffed from the bytes; GET answers the same
    bytes with the sniffed type, nosniff, an inline Content-Disposition with
    the UTF-8 name (RFC 5987) and a CSP that lets nothing run; the list
    shows them; every write and every read is audited."""
    a = api("worker_a")
    doc = att_doc()
    before = sql_int("SELECT count(*) FROM attachment")
    png = png_bytes()
    cases = [("协议扫描件.jpg", JPEG, "image/jpeg", "image/jpeg"),
             ("photo.jpg", png, "image/jpeg", "image/png"),        # a PNG named and sent as JPEG
             ("责任书.pdf", PDF, "application/octet-stream", "application/pdf")]
    ids = []
    for fname, data, claimed, want in cases:
        r = att_upload(a, doc, fname, data, claimed)
        check(r.status == 201, f"upload {fname}: expected 201, got {r.brief()}")
        j = r.json()
        expect_eq(j.get("content_type"), want, f"upload {fname}: the sniffed type")
        expect_eq(j.get("filename"), fname, f"upload {fname}: the name kept")
        expect_eq(j.get("size"), len(data), f"upload {fname}: size")
        expect_eq(j.get("record"), "person_document", f"upload {fname}: record")
        expect_eq(j.get("record_id"), doc, f"upload {fname}: record_id")
        expect_eq(j.get("created_by"), "worker_a", f"upload {fname}: created_by")
        check(re.fullmatch(r"[0-9a-f]{64}", j.get("hash") or ""), f"upload {fname}: hash {j.get('hash')!r}")
        ids.append(j["id"])
    expect_eq(sql_int("SELECT count(*) FROM attachment"), before + 3, "attachment rows after three uploads")
    for i in ids:
        expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE entity='attachment' AND entity_id={i} "
                          f"AND action='create' AND actor='worker_a'"), 1, f"the audit row of upload {i}")
    for (fname, data, _, want), i in zip(cases, ids):
        reads = sql_int(f"SELECT count(*) FROM audit_log WHERE entity='attachment' AND entity_id={i} AND action='read'")
        r = a.get(f"/api/v1/attachments/{i}")
        expect_eq(r.status, 200, f"GET /api/v1/attachments/{i}")
        check(r.body == data, f"GET /api/v1/attachments/{i}: other bytes than uploaded ({len(r.body)} vs {len(data)})")
        expect_eq(r.header("Content-Type"), want, f"GET attachment {i}: Content-Type")
        expect_eq(r.header("X-Content-Type-Options"), "nosniff", f"GET attachment {i}: nosniff")
        cd = r.header("Content-Disposition") or ""
        check(cd.startswith("inline; ") and "filename*=UTF-8''" + urllib.parse.quote(fname, safe="") in cd,
              f"GET attachment {i}: Content-Disposition {cd!r}")
        check(re.search(r'filename="[A-Za-z0-9._-]+"', cd), f"GET attachment {i}: the ASCII filename {cd!r}")
        csp = r.header("Content-Security-Policy") or ""
        check("default-src 'none'" in csp and "script-src" not in csp, f"GET attachment {i}: CSP {csp!r}")
        audit_rows_eventually(f"SELECT count(*) FROM audit_log WHERE entity='attachment' AND entity_id={i} "
                              f"AND action='read' AND actor='worker_a'", reads + 1, f"the read of attachment {i}")
    r = a.get(f"/api/v1/person_documents/{doc}/attachments")
    expect_eq(r.status, 200, "GET the document's attachments")
    listed = [it["id"] for it in r.json()["items"]]
    check(all(i in listed for i in ids), f"the list {listed} lacks some of {ids}")
    r = a.get(f"/api/v1/attachments/{ids[1]}?download=1")
    check((r.header("Content-Disposition") or "").startswith("attachment; "), "?download=1: attachment disposition")
    # the same bytes twice: stored once
    r = att_upload(a, doc, "again.pdf", PDF)
    expect_eq(r.status, 201, "the same PDF again")
    expect_eq(sql_int(f"SELECT count(*) FROM attachment_blob WHERE hash='{r.json()['hash']}'"), 1,
              "blob rows of bytes uploaded twice")


@test
def att_refusals_write_nothing():
    """An executable renamed .jpg, an empty file, no file, a body that is not
    multipart, a file of 10 MB + 1 byte and a body of 11 MB are refused with
    a Chinese message, and nothing is written (attachment and blob rows,
    write audit rows); a 300 KB photo passes (above the 256 KB of other
    bodies, which stays for every other route)."""
    a = api("worker_a")
    doc = att_doc()
    before = att_counts()
    r = att_upload(a, doc, "photo.jpg", EXE, "image/jpeg")
    err = expect_api_error(r, 400, "invalid", "file", "an .exe renamed .jpg")
    expect_eq(err["message"], "只能上传 JPEG、PNG 或 PDF 文件", "the message of a refused type")
    expect_eq(err["fields"]["file"], "只能上传 JPEG、PNG 或 PDF 文件", "the field message of a refused type")
    r = att_upload(a, doc, "empty.jpg", b"")
    expect_api_error(r, 400, "invalid", "file", "an empty file")
    body, ct = multipart(fields=[("note", "x")])
    r = a.post(f"/api/v1/person_documents/{doc}/attachments", raw=body, ctype=ct)
    expect_api_error(r, 400, "invalid", "file", "no file part")
    r = a.post(f"/api/v1/person_documents/{doc}/attachments", raw=JPEG, ctype="image/jpeg")
    expect_api_error(r, 400, "invalid", what="a bare body, not multipart")
    body, ct = multipart(files=[("file", "a.jpg", "image/jpeg", JPEG), ("file", "b.jpg", "image/jpeg", JPEG)])
    r = a.post(f"/api/v1/person_documents/{doc}/attachments", raw=body, ctype=ct)
    expect_api_error(r, 400, "invalid", what="two files in one upload")
    big = JPEG[:4] + b"\0" * (10 * 1024 * 1024 + 1 - 4)
    r = att_upload(a, doc, "big.jpg", big, "image/jpeg")
    err = expect_api_error(r, 413, "too_large", what="a file of 10 MB + 1 byte")
    expect_eq(err["message"], "文件不能超过 10 MB", "the message of a file over 10 MB")
    r = att_upload(a, doc, "huge.jpg", JPEG[:4] + b"\0" * (11 * 1024 * 1024), "image/jpeg")
    err = expect_api_error(r, 413, "too_large", what="a body of 11 MB")
    expect_eq(err["message"], "文件不能超过 10 MB", "the message of an 11 MB body")
    r = page("worker_a").post(f"/persons/{person('pa')['id']}/docs/{doc}/attachments", [])
    check(r.status in (400, 403), f"a page upload that is not multipart: {r.brief()}")
    expect_eq(att_counts(), before, "attachment rows, blob rows and write audit rows after the refusals")
    r = att_upload(a, doc, "big-ok.jpg", JPEG[:4] + os.urandom(300 * 1024), "image/jpeg")
    expect_eq(r.status, 201, "a 300 KB photo")
    r = a.patch(f"/api/v1/persons/{person('pa')['id']}", raw=b'{"phone":"' + b"1" * (300 * 1024) + b'"}')
    expect_api_error(r, 413, "too_large", what="a 300 KB JSON body on a route that takes no file")


def _att_404_same(client, path, missing_path, what):
    r1, r2 = client.get(path), client.get(missing_path)
    expect_eq(r1.status, 404, f"{what}: out of scope")
    expect_eq(r2.status, 404, f"{what}: missing")
    expect_eq(r1.body, r2.body, f"{what}: the 404 of out of scope vs missing")


@test
def att_scope_404():
    """Another community's attachment answers 404 exactly as a missing one
    (API and page, read, list, upload and void); a read-only inspector of
    the county reads it but may not upload (403)."""
    a = api("worker_a")
    doc = att_doc()
    r = att_upload(a, doc, "scope.png", png_bytes())
    check(r.status == 201, f"upload: {r.brief()}")
    aid = r.json()["id"]
    missing = sql_int("SELECT coalesce(max(id), 0) + 1000 FROM attachment")
    missing_doc = sql_int("SELECT coalesce(max(id), 0) + 1000 FROM person_document")
    b = api("worker_b")
    _att_404_same(b, f"/api/v1/attachments/{aid}", f"/api/v1/attachments/{missing}", "GET another community's attachment")
    _att_404_same(b, f"/api/v1/person_documents/{doc}/attachments",
                  f"/api/v1/person_documents/{missing_doc}/attachments", "the list of another community's document")
    pb = page("worker_b")
    r1, r2 = pb.get(f"/attachments/{aid}"), pb.get(f"/attachments/{missing}")
    expect_eq((r1.status, r2.status), (404, 404), "the page GET of another community's attachment vs a missing one")
    expect_eq(re.sub(rb"/attachments/\d+", b"ID", r1.body), re.sub(rb"/attachments/\d+", b"ID", r2.body),
              "page 404 bodies")
    before = att_counts()
    r = att_upload(b, doc, "x.jpg", JPEG)
    expect_api_error(r, 404, "not_found", what="an upload to another community's document")
    r = b.post(f"/api/v1/attachments/{aid}/void", {"reason": "不是我的"})
    expect_api_error(r, 404, "not_found", what="voiding another community's attachment")
    expect_eq(att_counts(), before, "rows after refused uploads and voids")
    v = api("viewer")
    r = v.get(f"/api/v1/attachments/{aid}")
    expect_eq(r.status, 200, "the county's read-only inspector reads it")
    r = att_upload(v, doc, "x.jpg", JPEG)
    expect_api_error(r, 403, "forbidden", what="an upload by the read-only inspector")
    r = hreq("GET", f"/api/v1/attachments/{aid}")
    expect_api_error(r, 401, "unauthorized", what="an attachment without a session")


@test
def att_void():
    """Voiding needs a reason; a voided attachment is gone from the list and
    answers 404, its row and bytes stay; voiding twice is 409; audited."""
    a = api("worker_a")
    doc = att_doc()
    r = att_upload(a, doc, "void.jpg", JPEG + b"void")
    aid = r.json()["id"]
    r = a.post(f"/api/v1/attachments/{aid}/void", {})
    expect_api_error(r, 400, "invalid", "reason", "void without a reason")
    r = a.post(f"/api/v1/attachments/{aid}/void", {"reason": "上传错了文件"})
    expect_eq(r.status, 200, f"void: {r.brief()}")
    check(r.json().get("voided") is True and r.json().get("void_reason") == "上传错了文件", f"void answer: {r.brief()}")
    expect_eq(a.get(f"/api/v1/attachments/{aid}").status, 404, "GET a voided attachment")
    ids = [it["id"] for it in a.get(f"/api/v1/person_documents/{doc}/attachments").json()["items"]]
    check(aid not in ids, "a voided attachment is still listed")
    expect_eq(sql_int(f"SELECT count(*) FROM attachment a JOIN attachment_blob b ON b.hash = a.hash WHERE a.id={aid}"),
              1, "the voided attachment's row and bytes")
    r = a.post(f"/api/v1/attachments/{aid}/void", {"reason": "again"})
    expect_api_error(r, 409, "conflict", what="voiding twice")
    expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE entity='attachment' AND entity_id={aid} AND action='void'"),
              1, "the audit row of the void")


@test
def att_case_file_page():
    """The case file shows a document's images as thumbnails (<img> of the
    attachment) and PDFs as links; the upload form (multipart, CSRF) saves
    and returns to the file with a notice; a refused type returns with the
    message and writes nothing; without the CSRF token 403."""
    pg = page("worker_a")
    pid = person("pa")["id"]
    doc = att_doc()
    body, ct = multipart(fields=[("_csrf", pg.csrf())], files=[("file", "现场照片.png", "image/png", png_bytes(6, 6))])
    r = hreq("POST", f"/persons/{pid}/docs/{doc}/attachments", body=body, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 303, f"page upload: {r.brief()}")
    expect_eq(r.header("Location"), f"/persons/{pid}?att=saved#att-{doc}", "page upload: back to the case file")
    aid = sql_int(f"SELECT max(id) FROM attachment WHERE entity='person_document' AND entity_id={doc}")
    r = pg.get(f"/persons/{pid}?att=saved")
    expect_eq(r.status, 200, "the case file")
    check(f'<img src="/attachments/{aid}"' in r.text, f"no thumbnail of attachment {aid} on the case file")
    check("文件已上传" in r.text, "no notice after the upload")
    check('enctype="multipart/form-data"' in r.text and 'type="file"' in r.text, "no upload form on the case file")
    pdf_id = sql_int(f"SELECT max(id) FROM attachment WHERE entity_id={doc} AND content_type='application/pdf' "
                     f"AND voided_at IS NULL")
    if pdf_id:
        check(f'href="/attachments/{pdf_id}"' in r.text, "no link to the PDF on the case file")
    r = pg.get(f"/attachments/{aid}")
    expect_eq((r.status, r.header("Content-Type")), (200, "image/png"), "the page GET of the photo")
    before = att_counts()
    body, ct = multipart(fields=[("_csrf", pg.csrf())], files=[("file", "setup.jpg", "image/jpeg", EXE)])
    r = hreq("POST", f"/persons/{pid}/docs/{doc}/attachments", body=body, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 303, f"page upload of an .exe: {r.brief()}")
    expect_eq(r.header("Location"), f"/persons/{pid}?att=type#att-{doc}", "page upload of an .exe: back with the message")
    check("只能上传 JPEG、PNG 或 PDF 文件" in pg.get(f"/persons/{pid}?att=type").text, "the refusal's message on the page")
    body, ct = multipart(files=[("file", "p.png", "image/png", png_bytes())])
    r = hreq("POST", f"/persons/{pid}/docs/{doc}/attachments", body=body, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 403, "a page upload without the CSRF token")
    expect_eq(att_counts(), before, "rows after the refused page uploads")


@test
def att_backup_holds_them():
    """`jindu backup` holds the attachments: the backup copy has every
    attachment row and the same bytes."""
    a = api("worker_a")
    doc = att_doc()
    data = png_bytes(5, 5, (10, 120, 200))
    r = att_upload(a, doc, "backup.png", data)
    check(r.status == 201, f"upload: {r.brief()}")
    aid = r.json()["id"]
    dest = os.path.join(C.tmp, "backup-attachments.db")
    rc, out, err = run_cli(["backup", "--db", C.db, "--to", dest])
    expect_eq(rc, 0, f"jindu backup ({err.strip()})")
    expect_eq(sql("SELECT count(*) FROM attachment", dest), sql("SELECT count(*) FROM attachment"),
              "attachment rows in the backup")
    got = sql(f"SELECT hex(b.bytes) FROM attachment a JOIN attachment_blob b ON b.hash = a.hash WHERE a.id={aid}", dest)
    expect_eq(got, data.hex().upper(), "the bytes of the attachment in the backup")


XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xlsx_rows(data):
    """The cells of an .xlsx's first sheet read back with zipfile and XML:
    rows (1-based numbers) of {column letter: value}; text as str, numbers
    as int (or float), cells whose style has a date format as
    datetime.date."""
    import io
    import xml.etree.ElementTree as ET
    import zipfile
    z = zipfile.ZipFile(io.BytesIO(data))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(XLSX_NS + "numFmt")}
    xfs = [int(x.get("numFmtId", "0")) for x in styles.find(XLSX_NS + "cellXfs")]
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        shared = ["".join(t.text or "" for t in si.iter(XLSX_NS + "t"))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml"))]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = {}
    for row in sheet.iter(XLSX_NS + "row"):
        cells = {}
        for c in row.iter(XLSX_NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            t, v = c.get("t"), c.find(XLSX_NS + "v")
            if t == "inlineStr":
                cells[col] = "".join(x.text or "" for x in c.iter(XLSX_NS + "t"))
            elif t == "s":
                cells[col] = shared[int(v.text)]
            elif t is None and v is not None:
                num = float(v.text)
                fmt = fmts.get(xfs[int(c.get("s", "0"))], "")
                if "yy" in fmt and "d" in fmt:
                    cells[col] = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(num))
                else:
                    cells[col] = int(num) if num.is_integer() else num
            else:
                cells[col] = v.text if v is not None else None
        rows[int(row.get("r"))] = cells
    return rows


WORKLIST_XLSX_HEAD = ["人员编号", "姓名", "单位编码", "所属单位", "事项", "到期日期", "逾期天数", "审批编号"]


def _reason_names():
    with open(os.path.join(ROOT, "core", "supervision.c"), encoding="utf-8") as f:
        src = f.read()
    table = src[src.index("WORK_NAMES["):]
    table = table[:table.index("};")]
    return dict(re.findall(r'\[WL_\w+\] = \{"([a-z_0-9]+)", "([^"]+)"\}', table))


def _xlsx_items(r, what):
    """The work items of an xlsx answer, as the JSON's fields."""
    check(r.status == 200, f"{what}: {r.brief()}")
    expect_eq(r.header("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              f"{what}: Content-Type")
    expect_eq(r.header("X-Content-Type-Options"), "nosniff", f"{what}: nosniff")
    cd = r.header("Content-Disposition") or ""
    check(cd.startswith("attachment; ") and "filename*=UTF-8''" + urllib.parse.quote("工作台待办") in cd,
          f"{what}: Content-Disposition {cd!r}")
    rows = xlsx_rows(r.body)
    check("工作台待办事项" in str(rows.get(1, {}).get("A")), f"{what}: title row {rows.get(1)}")
    expect_eq([rows[2].get(c) for c in "ABCDEFGH"], WORKLIST_XLSX_HEAD, f"{what}: header row")
    names = {v: k for k, v in _reason_names().items()}
    items = []
    for n in sorted(k for k in rows if k > 2):
        c = rows[n]
        check(isinstance(c.get("A"), int), f"{what}: row {n} person id is not a number: {c}")
        check(c.get("F") is None or isinstance(c["F"], datetime.date), f"{what}: row {n} due date is not a date: {c}")
        items.append({"person_id": c["A"], "name": c.get("B"), "org": c.get("C"), "org_name": c.get("D"),
                      "reason": names.get(c.get("E")), "due_date": c["F"].isoformat() if c.get("F") else None,
                      "days_overdue": c.get("G"), "approval_id": c.get("H")})
    return rows, items


@test
def worklist_xlsx_equals_json():
    """GET /api/v1/worklist?format=xlsx holds exactly the items of the JSON
    over all its pages, in the same order, read back from the file (zipfile
    and XML): person id and days as numbers, the due date as a date, the
    reason by its Chinese name; the title names the unit and the date; the
    workbench's download (/work?...&format=xlsx, linked on the page) is the
    same list; no temporary file is left behind."""
    tmp = tempfile.gettempdir()
    for who, query in (("admin", ""), ("office", "&sort=name"), ("worker_a", "&horizon=60&sort=reason")):
        client = api(who)
        want = worklist(client, query)
        check(want, f"the work list of {who}{query} is empty: nothing to compare")
        keys = ("person_id", "name", "org", "org_name", "reason", "due_date", "days_overdue", "approval_id")
        want = [{k: it.get(k) for k in keys} for it in want]
        r = client.get("/api/v1/worklist?format=xlsx" + query)
        rows, got = _xlsx_items(r, f"the work list of {who}{query} as xlsx")
        check(client.who and r.body[:4] == b"PK\x03\x04", "not a zip")
        expect_eq(len(got), len(want), f"rows of the xlsx of {who}{query} vs JSON items")
        for i, (g, w) in enumerate(zip(got, want)):
            expect_eq(g, w, f"row {i + 3} of the xlsx of {who}{query}")
    # the workbench: its link, and the same rows as the API sorted the same way
    pg = page("office")
    r = pg.get("/work?sort=name")
    m = re.search(r'id="work-xlsx" href="([^"]+)"', r.text)
    check(m, "no xlsx download link on the workbench")
    href = html.unescape(m.group(1))
    check("format=xlsx" in href and "sort=name" in href, f"the workbench's download link {href!r}")
    _, page_items = _xlsx_items(pg.get(href), "the workbench's download")
    _, api_items = _xlsx_items(api("office").get("/api/v1/worklist?format=xlsx&sort=name"), "the API's download")
    expect_eq(page_items, api_items, "the workbench's xlsx vs the API's")
    r = api("worker_a").get("/api/v1/worklist?format=xlsx&org=TC3")
    expect_api_error(r, 404, "not_found", what="the xlsx of a unit outside the scope")
    left = [d for d in os.listdir(tmp) if d.startswith("jindu-xlsx-")]
    check(not left, f"temporary xlsx directories left in {tmp}: {left}")


# ---- throttling (own accounts; alternative loopback source addresses)

def _src(n):
    return f"127.0.0.{n}" if C.alt_sources else None


@test
def throttle_account_api():
    """Five failures lock the account against the guessing address and new
    addresses, not against an address that signed into it before."""
    src = _src(3)
    if C.alt_sources:
        r = api_login("thr_api", password("thr_api"), source=_src(6))
        expect_eq(r.status, 200, "thr_api signs in from 127.0.0.6 before the guesses")
    for i in range(5):
        r = api_login("thr_api", f"wrong-password-{i:02d}", source=src)
        expect_api_error(r, 401, "unauthorized", what=f"wrong password {i + 1} of 5")
    r = api_login("thr_api", password("thr_api"), source=src)
    err = expect_api_error(r, 429, "throttled", what="right password after 5 failures")
    check(has_cjk(err["message"]), f"throttle message is not Chinese: {err['message']!r}")
    # the account stays locked from another address too
    r = api_login("thr_api", password("thr_api"), source=_src(5))
    expect_api_error(r, 429, "throttled", what="right password from another address after 5 failures")
    if C.alt_sources:  # but not from the address it signed in from: nobody locks a worker out
        r = api_login("thr_api", password("thr_api"), source=_src(6))
        expect_eq(r.status, 200, "right password from the known address 127.0.0.6 after 5 failures elsewhere")
    # other accounts are not affected
    r = api_login("worker_b", password("worker_b"), source=src)
    expect_eq(r.status, 200, "another account from the same address")


@test
def throttle_account_page():
    src = _src(4)
    for i in range(5):
        r = page_login("thr_page", f"wrong-password-{i:02d}", source=src)
        expect_eq(r.status, 401, f"page sign-in wrong password {i + 1} of 5")
    r = page_login("thr_page", password("thr_page"), source=src)
    expect_eq(r.status, 429, "page sign-in with the right password after 5 failures")
    m = re.search(r'role="alert"[^>]*>([^<]*)<', r.text)
    msg = m.group(1) if m else r.text
    check(has_cjk(msg), f"429 page has no Chinese message: {short(msg)}")
    val, _ = r.cookie("jd_session")
    check(not val, "a session cookie was set on a throttled sign-in")


@test
def throttle_address():
    src = _src(2)
    addr = src or "127.0.0.1"
    prior = sql_int(f"SELECT count(*) FROM login_attempt WHERE address='{addr}' AND ok=0")
    statuses = []
    for i in range(max(0, 20 - prior)):
        r = api_login(f"nobody{i:02d}", "whatever-password-1", source=src)
        statuses.append(r.status)
    check(all(s == 401 for s in statuses),
          f"failures {prior + 1}..20 from one address: expected all 401, got {statuses}")
    r = api_login("thr_addr", password("thr_addr"), source=src)
    err = expect_api_error(r, 429, "throttled", what="a right password from an address with 20 failures")
    check(has_cjk(err["message"]), f"throttle message is not Chinese: {err['message']!r}")
    r = page_login("thr_addr", password("thr_addr"), source=src)
    expect_eq(r.status, 429, "page sign-in from the throttled address")
    if C.alt_sources:
        r = api_login("thr_addr", password("thr_addr"))
        expect_eq(r.status, 200, "the same account from another address")


# ---- issue 8: the person list's filters and sorts, the unit picker, roles offered, org tree, rules tiers

LIST_SORTS = {  # sort code: the SQL of the order it promises (the column, then unit path, then id)
    "id": "p.id", "name": "p.name, p.org_path, p.id", "id_number": "p.id_number, p.id",
    "org": "p.org_path, p.id", "status": "p.status, p.org_path, p.id", "risk": "p.risk_level, p.org_path, p.id",
    "talk_due": "p.next_talk_due, p.org_path, p.id", "test_due": "p.next_test_due, p.org_path, p.id",
    "worker": "p.worker_id, p.org_path, p.id",
}


def _list_people():
    """Five persons named 序列测… on the dated server (made once): A (TC1, worker_a's, community detox,
    no agreement), B (TC1, no status, no worker), C (TC2, worker_b's, social supervision, help team),
    D (TC3, community rehab with help team and agreement), E (TC1, worker_a's, social supervision
    without help team, lost contact). Returns {letter: id}."""
    if getattr(C, "list_people", None):
        return C.list_people
    ids = {}
    ids["A"] = sup_person("worker_a", "序列测甲", "TC1", "community_detox", dday(-75), dday(-70))
    ids["B"] = sup_person("admin", "序列测乙", "TC1")
    ids["C"] = sup_person("worker_b", "序列测丙", "TC2", "social_supervision", dday(-30), dday(-30), low_risk=False)
    ids["D"] = sup_person("admin", "序列测丁", "TC3", "community_rehab", dday(-40), dday(-40))
    r = dpage("admin").post(f"/persons/{ids['D']}/docs", [("kind", "agreement"), ("signed_date", dday(-39)),
                                                          ("number", "XY-1")])
    check(r.status == 303, f"agreement of D: {r.brief()}")
    ids["E"] = sup_person("worker_a", "序列测戊", "TC1", "social_supervision", dday(-50), dday(-50))
    r = dapi("worker_a").patch(f"/api/v1/persons/{ids['E']}", {"help_team": []})
    check(r.status == 200, f"help team of E removed: {r.brief()}")
    r = dapi("worker_a").post(f"/api/v1/persons/{ids['E']}/events", {"kind": "lost_contact", "date": dday(-5)})
    check(r.status == 201, f"E lost contact: {r.brief()}")
    C.list_people = ids
    return ids


def _list_ids(client, query, what):
    r = client.get("/api/v1/persons?" + query)
    check(r.status == 200, f"{what}: GET /api/v1/persons?{query}: {r.brief()}")
    return [i["id"] for i in r.json()["items"]]


@test
def person_list_filters_exact():
    """Each filter of the list (API and page) returns exactly the persons it names: status, control,
    risk, responsible worker (a username, me, none), unit and incomplete files."""
    ids = _list_people()
    rev = {v: k for k, v in ids.items()}
    q = "q=" + urllib.parse.quote("序列测") + "&per_page=200"
    ad, wa = dapi("admin"), dapi("worker_a")

    def names(got):
        return "".join(sorted(rev.get(i, "?") for i in got))

    cases = [
        (ad, "", "ABCDE"), (ad, "&incomplete=1", "ABE"), (ad, "&incomplete=0", "ABCDE"),
        (ad, "&control=lost_contact", "E"), (ad, "&control=in_control", "ABCD"),
        (ad, "&worker=worker_a", "AE"), (ad, "&worker=worker_b", "C"), (ad, "&worker=none", "BD"),
        (wa, "&worker=me", "AE"), (wa, "", "ABE"), (ad, "&org=TC1", "ABE"), (ad, "&org=TS1", "ABCE"),
        (ad, "&status=social_supervision", "CE"), (ad, "&status=social_supervision&incomplete=1", "E"),
        (ad, "&org=TS1&worker=none&incomplete=1", "B"),
    ]
    for client, extra, want in cases:
        expect_eq(names(_list_ids(client, q + extra, extra)), want, f"{client.who} list{extra}")
    risks = {}
    for i in dapi("admin").get("/api/v1/persons?" + q).json()["items"]:
        risks.setdefault(i.get("risk_level") or "none", set()).add(rev[i["id"]])
    check(len(risks) >= 2, f"the five persons should differ in risk: {risks}")
    for level, who in risks.items():
        expect_eq(names(_list_ids(ad, q + "&risk=" + level, "risk")), "".join(sorted(who)), f"risk={level}")
    # the page: the same persons, and the filters kept by the pager's and the headers' links
    pg = dpage("admin")
    r = pg.get("/persons?" + q + "&incomplete=1&control=in_control")
    expect_eq(r.status, 200, "GET /persons with filters")
    got = re.findall(r'<tr><td data-label="[^"]*"><a href="/persons/(\d+)">', r.text)
    expect_eq(names([int(x) for x in got]), "AB", "the page's rows for incomplete=1&control=in_control")
    links = re.findall(r'<a class="sort" href="([^"]*)"', r.text)
    check(links and all("incomplete=1" in x and "control=in_control" in x for x in links),
          f"sort links lose the filters: {links[:2]}")
    for bad, field in (("control=x", "control"), ("risk=x", "risk"), ("worker=nobody", "worker"),
                       ("sort=x", "sort"), ("order=up", "order"), ("incomplete=2", "incomplete")):
        expect_api_error(ad.get("/api/v1/persons?" + bad), 400, "invalid", field=field, what=bad)
    # a worker of another community is no filter of worker_a's (outside the scope)
    expect_api_error(wa.get("/api/v1/persons?worker=worker_b"), 400, "invalid", field="worker", what="worker_b for worker_a")


@test
def person_list_sorts_exact():
    """Every sort, both ways, returns the order it promises (the column, then unit, then id): over the
    five persons (the matches sorted) and over the whole county, pages 1 and 2 (the sort's index
    walked), for the API and the page."""
    _list_people()
    ad, pg = dapi("admin"), dpage("admin")
    scope = "p.org_path LIKE '/' || (SELECT id FROM org_unit WHERE code = 'T0') || '/%'"
    for sort, cols in LIST_SORTS.items():
        for order in ("asc", "desc"):
            by = ", ".join(f"{c} {order.upper()}" for c in cols.split(", "))
            want = [int(x) for x in sql(f"SELECT p.id FROM person p WHERE p.name LIKE '序列测%' ORDER BY {by}").split()]
            got = _list_ids(ad, f"q={urllib.parse.quote('序列测')}&sort={sort}&order={order}", sort)
            expect_eq(got, want, f"sort={sort}&order={order} over the five")
            every = [int(x) for x in sql(f"SELECT p.id FROM person p WHERE {scope} ORDER BY {by} LIMIT 10").split()]
            got = _list_ids(ad, f"sort={sort}&order={order}&per_page=5", sort) + \
                _list_ids(ad, f"sort={sort}&order={order}&per_page=5&page=2", sort)
            expect_eq(got, every, f"sort={sort}&order={order} over the county, pages 1-2 of 5")
        r = pg.get(f"/persons?sort={sort}&order=desc&per_page=20")
        rows = [int(x) for x in re.findall(r'<tr><td data-label="[^"]*"><a href="/persons/(\d+)">', r.text)]
        by = ", ".join(f"{c} DESC" for c in cols.split(", "))
        expect_eq(rows, [int(x) for x in sql(f"SELECT p.id FROM person p WHERE {scope} ORDER BY {by} LIMIT 20").split()],
                  f"the page sorted by {sort} descending")
    expect_eq(_list_ids(ad, "per_page=5", "default"), _list_ids(ad, "sort=id&order=desc&per_page=5", "id desc"),
              "the default order is newest first")
    r = pg.get("/persons?per_page=50")
    check('<option value="50" selected>50</option>' in r.text, "rows per page 50 is not chosen on the page")
    check(len(re.findall(r'<tr><td data-label', r.text)) == min(50, sql_int(f"SELECT count(*) FROM person p WHERE {scope}")),
          "the page does not show 50 rows")
    r = pg.get("/persons?print=1&sort=name&per_page=20")
    expect_eq(r.status, 200, "the print view of the list")
    check('class="print-view"' in r.text and '<header class="top">' not in r.text and "data-print" in r.text,
          "the list's print view is not the print layout")


@test
def unit_picker_everywhere():
    """Units are chosen by name in the picker, never typed as codes: /users (unit), /orgs (parent of
    a new unit, unit to rename, unit to move and its new parent), /rules (unit of a rule), /work
    (scope), /persons (filter) and the person form (responsible community)."""
    want = {  # user, path: the pickers (field names, with the field prefix) the page must have
        ("admin", "/users"): ["org"], ("office", "/users"): ["org"],
        ("admin", "/orgs"): ["parent", "rename-code", "move-code", "move-parent"],
        ("admin", "/rules"): ["org"], ("admin", "/work"): ["org"], ("admin", "/persons"): ["org"],
        ("admin", "/persons/new"): ["org"], ("worker_a", "/persons/new"): ["org"],
    }
    for (who, path), pickers in want.items():
        r = page(who).get(path)
        expect_eq(r.status, 200, f"{who} GET {path}")
        for idn in pickers:
            check(re.search(rf'<select id="f-{idn}" name="[a-z]+" data-pick="[^"]+"', r.text),
                  f"{who} {path}: no unit picker f-{idn}")
        typed = re.findall(r'<input type="text" id="(f-(?:[a-z]+-)?(?:org|parent|to_org)|f-(?:rename|move)-code)"', r.text)
        check(not typed, f"{who} {path}: a unit is still typed: {typed}")
    r = page("admin").get("/users")
    sel = re.search(r'<select id="f-org" name="org"[^>]*>(.*?)</select>', r.text, re.S).group(1)
    check('<optgroup label="一号街道"><option value="TS1" title="一号街道">一号街道</option>' in sel and
          'value="TC1" title="一号街道 › 甲社区"' in sel, f"/users: the picker is not grouped by street: {short(sel)}")
    # choosing in the picker submits the code: a user made for 丙社区 belongs to TC3
    r = page("admin").post("/users", [("username", "picked_c3"), ("display_name", "选点"), ("role", "worker"),
                                      ("org", "TC3"), ("password", "picked-Passw0rd-2024")])
    expect_eq(r.status, 303, "POST /users with the picked unit")
    expect_eq(sql("SELECT o.code FROM app_user u JOIN org_unit o ON o.id = u.org_id WHERE u.username = 'picked_c3'"),
              "TC3", "the unit of the user made through the picker")


@test
def user_roles_offered():
    """/users offers only the roles the actor may create: a street office is not offered 区/县禁毒办."""
    def roles(who):
        r = page(who).get("/users")
        sel = re.search(r'<select id="f-role" name="role">(.*?)</select>', r.text, re.S)
        check(sel, f"{who}: no role select on /users")
        return re.findall(r'<option value="([a-z]+)"', sel.group(1))
    expect_eq(sorted(roles("admin")), sorted(["worker", "cadre", "police", "office", "admin", "viewer"]), "admin's roles")
    expect_eq(sorted(roles("office")), sorted(["worker", "cadre", "police", "office", "viewer"]), "office's roles")
    r = page("office").post("/users", [("username", "office_made_admin"), ("role", "admin"), ("org", "TS1"),
                                       ("password", "office-Passw0rd-2024")])
    expect_eq(r.status, 403, "an office posting role admin anyway")


@test
def org_tree_nested():
    """/orgs shows the tree as nested lists without inline styles (the page's CSP blocks them)."""
    r = page("admin").get("/orgs")
    expect_eq(r.status, 200, "GET /orgs")
    check(" style=" not in r.text, "an inline style on /orgs (blocked by the Content-Security-Policy)")
    tree = re.search(r'<ul class="tree">.*</ul>', r.text, re.S)
    check(tree, "no <ul class=\"tree\"> on /orgs")
    t = tree.group(0)
    i0, i1, i2 = t.find("测试县"), t.find("一号街道"), t.find("甲社区")
    check(0 <= i0 < i1 < i2, "the county, street and community are not in tree order")
    depth = lambda i: t[:i].count("<ul") - t[:i].count("</ul>")
    expect_eq((depth(i0), depth(i1), depth(i2)), (1, 2, 3), "nesting depth of county, street, community")


@test
def rules_tiers_form():
    """/rules edits a rule as a table of tiers, written as the spec text the API keeps; the text form
    still works; a preset fills the tiers."""
    pg = page("admin")
    r = pg.get("/rules?from=default")
    expect_eq(r.status, 200, "GET /rules?from=default")
    vals = re.findall(r'name="tier_until" min="1" max="120" value="(\d*)"', r.text)
    expect_eq(vals[:4], ["12", "24", "36", ""], "the default preset's tiers in the form")
    fields = [("code", "tiers_form"), ("name", "分档规则"), ("release", "30"), ("high", "1"), ("medium", ""), ("spec", "")]
    for until, talk, test in (("6", "1", "1"), ("18", "2", "3"), ("", "", ""), ("", "", "")):
        fields += [("tier_until", until), ("tier_talk", talk), ("tier_test", test)]
    r = pg.post("/rules", fields)
    expect_eq(r.status, 303, "POST /rules from the tiers form")
    expect_eq(sql("SELECT spec FROM schedule_rule WHERE code = 'tiers_form'"), "base=6:1:1,18:2:3;release=30;high=1;medium=0",
              "the spec written from the tiers")
    bad = [x for x in fields if x[0] not in ("code", "tier_until")] + [("code", "tiers_bad"), ("tier_until", "18"),
                                                                     ("tier_until", "6")]
    r = pg.post("/rules", bad)
    expect_eq(r.status, 400, "tiers not ascending")
    check('id="e-tiers"' in r.text, "the tiers' error is not shown beside the tiers")
    r = pg.post("/rules", [("code", "text_form"), ("name", "文本规则"), ("spec", "base=12:1:1;release=24")])
    expect_eq(r.status, 303, "POST /rules with the text form")
    expect_eq(sql("SELECT spec FROM schedule_rule WHERE code = 'text_form'"), "base=12:1:1;release=24;high=0;medium=0",
              "the spec of the text form")


# ---- statistics (API.md "Statistics"; DOMAIN.md §6a): the figures as of any
# day equal an independent count made here from the database's rows with this
# file's own reading of §6a; scope; bad input; the xlsx; the persons behind a
# number; a transfer in the middle of a period and a death on the dated server.

ST_COUNTS = ("registered", "current", "supervised", "in_community", "lost_contact", "new_found", "relapsed",
             "abstinent_3y")
ST_STATUSES = ("none", "community_detox", "compulsory_isolation", "community_rehab", "social_supervision",
               "detained", "imprisoned", "abstinent_3y")
ST_RATES = ("control_rate", "lost_rate", "help_rate", "test_rate", "relapse_rate", "isolation_rate",
            "report_rate", "pickup_rate", "complete_rate")


def _rows(query):
    return [l.split("|") for l in sql(query).splitlines() if l]


def st_history():
    """Every row the measures read, grouped by person: this test's own copy
    of the database, read with the sqlite3 tool."""
    h = {}
    for pid, found, created in _rows("SELECT id, coalesce(first_found_date, ''), created_at FROM person"):
        h[int(pid)] = {"found": found, "created": created[:10], "units": [], "eps": [], "events": [], "tests": [],
                       "visits": [], "team": []}
    for pid, code, frm in _rows("SELECT u.person_id, o.code, coalesce(u.from_date, '') FROM person_unit u"
                                " JOIN org_unit o ON o.id = u.org_id ORDER BY u.person_id, u.id"):
        h[int(pid)]["units"].append((frm, code))
    for pid, i, cor, st, dec, start, created in _rows(
            "SELECT person_id, id, coalesce(corrects_id, 0), status, coalesce(decision_date, ''),"
            " coalesce(start_date, ''), created_at FROM status_episode ORDER BY person_id, id"):
        h[int(pid)]["eps"].append((int(i), int(cor), st, dec, start, created[:10]))
    for pid, i, kind, date in _rows("SELECT person_id, id, kind, date FROM person_event ORDER BY person_id, date, id"):
        h[int(pid)]["events"].append((kind, date))
    for pid, i, cor, date, result in _rows("SELECT person_id, id, coalesce(corrects_id, 0), date, result"
                                           " FROM drug_test ORDER BY person_id, id"):
        h[int(pid)]["tests"].append((int(i), int(cor), date, result))
    for pid, i, cor, date in _rows("SELECT person_id, id, coalesce(corrects_id, 0), date FROM visit"
                                   " ORDER BY person_id, id"):
        h[int(pid)]["visits"].append((int(i), int(cor), date))
    for pid, added, removed in _rows("SELECT person_id, added_at, coalesce(removed_at, '') FROM help_member"):
        h[int(pid)]["team"].append((added[:10], removed[:10]))
    return h


def _uncorrected(rows):
    """Rows (id, corrects_id, ...) that no later row corrects."""
    gone = {r[1] for r in rows if r[1]}
    return [r for r in rows if r[0] not in gone]


def _standing(eps):
    """The episodes that stand, in history order: a correction stands in the
    place of the row it corrects (following chains); corrected rows go."""
    place, gone = {}, set()
    for i, cor, *_ in eps:
        place[i] = place.get(cor, i) if cor else i
        if cor:
            gone.add(cor)
    return sorted((e for e in eps if e[0] not in gone), key=lambda e: (place[e[0]], e[0]))


def st_person(p, d, f, t):
    """What one person adds to each figure for day d and period [f, t]
    (ISO strings compare as dates): DOMAIN.md §6a as this test reads it."""
    out = {}
    unit = None
    for frm, code in p["units"]:
        if frm <= d:
            unit = code
    eps = [(e, e[3] or e[4] or e[5]) for e in _standing(p["eps"])]
    status = "none"
    for e, begin in eps:
        if begin <= d:
            status = e[2]
    known = min([x for x in [p["found"], p["created"]] + [b for _, b in eps] if x])
    reg = known <= d and status not in ("dead", "emigrated")
    sup = status in ("community_detox", "community_rehab", "social_supervision")
    lost = False
    for kind, date in p["events"]:
        if date <= d and kind in ("lost_contact", "found"):
            lost = kind == "lost_contact"
    team = any(a <= d and (not r or d < r) for a, r in p["team"])
    tests = [x for x in _uncorrected(p["tests"]) if f <= x[2] <= t]
    out["registered"] = int(reg)
    out["current"] = int(reg and status != "abstinent_3y")
    for s in ST_STATUSES:
        out["by_status." + s] = int(reg and status == s)
    out["abstinent_3y"] = out["by_status.abstinent_3y"]
    out["supervised"] = int(sup)
    out["in_community"] = int(status in ("community_detox", "community_rehab"))
    out["lost_contact"] = int(sup and lost)
    out["new_found"] = int(bool(p["found"]) and f <= p["found"] <= t)
    out["relapsed"] = int(any(x[3] == "positive" for x in tests))
    out["tested"] = int(any(x[3] in ("positive", "negative") for x in tests))
    out["help_num"] = int(sup and team and any(f <= v[2] <= t for v in _uncorrected(p["visits"])))
    orders = reports = releases = received = 0
    for k, (e, begin) in enumerate(eps):
        if e[2] in ("community_detox", "community_rehab") and e[3]:
            deadline = (datetime.date.fromisoformat(e[3]) + datetime.timedelta(days=15)).isoformat()
            rep = e[4] or next((date for kind, date in p["events"]
                                if kind in ("reported", "released") and date >= e[3]), "")
            if f <= deadline <= t:
                orders += 1
                reports += int(bool(rep) and rep <= deadline)
        if e[2] in ("compulsory_isolation", "imprisoned") and k + 1 < len(eps):
            nxt, day = eps[k + 1]
            if nxt[2] not in ("compulsory_isolation", "imprisoned", "detained", "dead", "emigrated") and f <= day <= t:
                releases += 1
                received += int(("released", day) in p["events"])
    out.update(report_den=orders, report_num=reports, pickup_den=releases, pickup_num=received)
    return unit, out


def st_expect(h, units, d, f, t):
    """The figures of the persons whose unit on d is one of units."""
    tot = {}
    for p in h.values():
        unit, v = st_person(p, d, f, t)
        if unit in units:
            for k, x in v.items():
                tot[k] = tot.get(k, 0) + x
    return tot


def st_subtree(code):
    """The codes of code's unit and every unit below it, today's tree."""
    path = sql(f"SELECT path FROM org_unit WHERE code = '{code}'")
    return set(sql(f"SELECT code FROM org_unit WHERE substr(path, 1, length('{path}')) = '{path}'").splitlines())


def st_compare(got, want, what):
    """The API's counts and rates of a unit (got) against the independent count."""
    for k in ST_COUNTS:
        expect_eq(got["counts"][k], want.get(k, 0), f"{what}: counts.{k}")
    for s in ST_STATUSES:
        expect_eq(got["counts"]["by_status"][s], want.get("by_status." + s, 0), f"{what}: by_status.{s}")
    pairs = {"lost_rate": ("lost_contact", "supervised"), "isolation_rate": ("by_status.compulsory_isolation", "registered"),
             "relapse_rate": ("relapsed", "tested"), "help_rate": ("help_num", "supervised"),
             "report_rate": ("report_num", "report_den"), "pickup_rate": ("pickup_num", "pickup_den")}
    for rate, (num, den) in pairs.items():
        r = got["rates"][rate]
        expect_eq((r["num"], r["den"]), (want.get(num, 0), want.get(den, 0)), f"{what}: {rate} num/den")
    for rate in ST_RATES:
        r = got["rates"][rate]
        check(0 <= r["num"] <= r["den"], f"{what}: {rate} {r}")
        if r["den"] == 0:
            check(r["value"] is None, f"{what}: {rate} with den 0 has value {r['value']} (must be null)")
        else:
            want_v = (r["num"] * 2000 + r["den"]) // (2 * r["den"]) / 10
            expect_eq(r["value"], want_v, f"{what}: {rate} value (one decimal, half up)")
    for rate in ("control_rate", "complete_rate"):
        expect_eq(got["rates"][rate]["den"], want.get("supervised", 0), f"{what}: {rate} den")


def st_get(client, query, what):
    r = client.get("/api/v1/stats?" + query)
    check(r.status == 200, f"{what}: GET /api/v1/stats?{query}: {r.brief()}")
    return r.json()


@test
def stats_equal_independent_count():
    """GET /api/v1/stats for the county, each street and community, as of
    today (the year so far), as of a day of the dated server's past and over
    a quarter: every count and the numerator and denominator of every rate
    this file can count without the schedule engine equal what it counts
    from the database's rows; a total is the sum of its rows."""
    person("pa"), person("pb"), person("pc")
    h = st_history()
    check(len(h) >= 3, "no persons to count")
    ty = today().isoformat()
    for query, d, f, t in ((f"", ty, f"{ty[:4]}-01-01", ty),
                           (f"&date={dday(-1)}&period=2025Q2", dday(-1), "2025-04-01", "2025-06-30"),
                           (f"&date=2024-12-31&from=2020-01-01&to=2024-12-31", "2024-12-31", "2020-01-01", "2024-12-31")):
        j = st_get(api("admin"), "org=T0" + query, "the county")
        expect_eq((j["date"], j["from"], j["to"]), (d, f, t), f"the window of {query or 'the default'}")
        st_compare(j, st_expect(h, st_subtree("T0"), d, f, t), f"T0{query}")
        check({c["org"] for c in j["children"]} >= {"TS1", "TS2"}, f"the county's rows: {j['children']}")
        for c in j["children"]:
            st_compare(c, st_expect(h, st_subtree(c["org"]), d, f, t), f"row {c['org']}{query}")
        for k in ST_COUNTS:  # the total row is the sum of the rows (persons all live in communities)
            expect_eq(sum(c["counts"][k] for c in j["children"]), j["counts"][k], f"T0{query}: sum of rows of {k}")
        for code in ("TS1", "TC1", "TC3"):
            st_compare(st_get(api("admin"), f"org={code}" + query, code), st_expect(h, st_subtree(code), d, f, t),
                       f"{code}{query}")


@test
def stats_scope_and_bad_input():
    """A unit outside the caller's scope answers 404 like a missing record
    (a street office asking for another street, a worker for the street);
    an unknown unit, a malformed day, a period whose end is before its
    start, a period and dates at once, an unknown measure, a denominator of
    a count: 400 naming the field; nothing is written by any of them."""
    for who in ("office", "office_b", "worker_a"):  # signed in before counting (a sign-in is audited)
        api(who), page(who).csrf()
    before = (sql_int("SELECT count(*) FROM audit_log"), sql("SELECT count(*), coalesce(sum(length(facts)), 0)"
                                                              " FROM stat_person"))
    for who, org in (("office", "TS2"), ("office", "T0"), ("office", "TC3"), ("worker_a", "TS1"),
                     ("worker_a", "TC2"), ("office_b", "TC1")):
        for path in (f"/api/v1/stats?org={org}", f"/api/v1/stats/items?org={org}&measure=registered",
                     f"/api/v1/stats?org={org}&format=xlsx"):
            expect_api_error(api(who).get(path), 404, "not_found", what=f"{who} GET {path}")
        expect_eq(page(who).get(f"/stats?org={org}").status, 404, f"{who} GET /stats?org={org}")
        expect_eq(page(who).get(f"/stats/items?org={org}&measure=registered").status, 404,
                  f"{who} GET /stats/items?org={org}")
    for path, field in (("/api/v1/stats?org=NOPE", "org"), ("/api/v1/stats?date=2026-02-30", "date"),
                        ("/api/v1/stats?from=2026-05-01&to=2026-04-30", "to"), ("/api/v1/stats?from=junk", "from"),
                        ("/api/v1/stats?period=2026Q5", "period"), ("/api/v1/stats?period=2026&from=2026-01-01", "period"),
                        ("/api/v1/stats/items?measure=nope", "measure"), ("/api/v1/stats/items", "measure"),
                        ("/api/v1/stats/items?measure=registered&part=den", "part"),
                        ("/api/v1/stats/items?measure=control_rate&part=all", "part"),
                        ("/api/v1/stats/items?measure=registered&per_page=0", "per_page")):
        expect_api_error(api("office").get(path), 400, "invalid", field=field, what=f"office GET {path}")
    r = page("office").get("/stats?from=2026-05-01&to=2026-04-30")
    expect_eq(r.status, 400, "the page with T before F")
    check("结束日期不能早于开始日期" in r.text, "the page does not say what is wrong with the period")
    after = (sql_int("SELECT count(*) FROM audit_log"), sql("SELECT count(*), coalesce(sum(length(facts)), 0)"
                                                             " FROM stat_person"))
    expect_eq(after, before, "audit rows and statistics rows after refused requests")
    j = st_get(api("office"), "org=TC1", "the office's own community")
    expect_eq(j["org"], "TC1", "the office asks for a community of its street")
    expect_eq(st_get(api("worker_a"), "", "the worker's default")["org"], "TC1", "a worker's default unit")


@test
def stats_items_behind_numbers():
    """GET /api/v1/stats/items: the persons behind every count and the
    numerator and denominator of every rate; their number is the figure
    (total), they are the persons this file counts, ID numbers masked; the
    read is audited; the pages of the list add up."""
    h = st_history()
    ty = today().isoformat()
    j = st_get(api("admin"), "org=T0", "the county")
    want_reg = sorted(pid for pid, p in h.items()
                      if st_person(p, ty, ty[:4] + "-01-01", ty)[0] in st_subtree("T0")
                      and st_person(p, ty, ty[:4] + "-01-01", ty)[1]["registered"])
    audits = sql_int("SELECT count(*) FROM audit_log WHERE action = 'stats_items'")
    got, pg = [], 1
    while True:
        r = api("admin").get(f"/api/v1/stats/items?org=T0&measure=registered&per_page=7&page={pg}")
        check(r.status == 200, f"items page {pg}: {r.brief()}")
        it = r.json()
        expect_eq(it["total"], j["counts"]["registered"], "items total = the figure")
        for x in it["items"]:
            check(re.match(r"^\d{6}\*{8}[\dX]{4}$", x["id_number"]), f"an unmasked ID number: {x}")
            check(x["status"] in ST_STATUSES[1:] or x["status"] is None, f"item status: {x}")
        got += [x["person_id"] for x in it["items"]]
        if len(it["items"]) < 7:
            break
        pg += 1
    expect_eq(sorted(got), want_reg, "the persons behind registered")
    for _ in range(50):  # reads are audited through the queue (committed within milliseconds)
        if sql_int("SELECT count(*) FROM audit_log WHERE action = 'stats_items'") > audits:
            break
        time.sleep(0.1)
    check(sql_int("SELECT count(*) FROM audit_log WHERE action = 'stats_items'") > audits,
          "reading the persons behind a number was not audited")
    for m in ST_COUNTS + tuple("by_status." + s for s in ST_STATUSES):
        r = api("admin").get(f"/api/v1/stats/items?org=T0&measure={m}&per_page=200")
        check(r.status == 200, f"items of {m}: {r.brief()}")
        want = j["counts"]["by_status"][m[10:]] if m.startswith("by_status.") else j["counts"][m]
        expect_eq(r.json()["total"], want, f"items total of {m}")
    for m in ST_RATES:
        for part in ("num", "den"):
            r = api("admin").get(f"/api/v1/stats/items?org=T0&measure={m}&part={part}&per_page=200")
            check(r.status == 200, f"items of {m}/{part}: {r.brief()}")
            expect_eq(r.json()["total"], j["rates"][m][part], f"items total of {m} {part}")


@test
def stats_transfer_and_death_dated():
    """On the dated server (today fixed): a person moved to another street
    today counts in the old community as of yesterday and in the new one as
    of today, with a relapse of the period counted where the person is on
    D; the old street's office still counts the person for yesterday but no
    longer lists them (outside its scope now); a death today: registered
    yesterday, not today."""
    a = dapi("worker_a")
    mover = sup_person("worker_a", "统计迁出", "TC1", "social_supervision", dday(-200), dday(-200))
    expect_created(a.post(f"/api/v1/persons/{mover}/tests", {"date": dday(-100), "sample": "urine",
                                                             "reason": "scheduled", "result": "positive"}),
                   mover, "the mover's positive test")
    r = a.post(f"/api/v1/persons/{mover}/approvals", {"kind": "transfer", "to_org": "TC3", "reason": "迁居"})
    check(r.status == 201, f"propose the transfer: {r.brief()}")
    r = dapi("office_b").post(f"/api/v1/approvals/{r.json()['id']}/decide", {"decision": "approve"})
    check(r.status == 200, f"approve the transfer: {r.brief()}")
    expect_eq(sql(f"SELECT group_concat(o.code || '@' || coalesce(u.from_date, '-'), ' ') FROM person_unit u"
                  f" JOIN org_unit o ON o.id = u.org_id WHERE u.person_id = {mover}"),
              f"TC1@- TC3@{dday()}", "the mover's unit history")
    dead = sup_person("worker_a", "统计死亡", "TC1", "social_supervision", dday(-300), dday(-300))
    r = a.post(f"/api/v1/persons/{dead}/status", {"status": "dead", "decision_date": dday()})
    check(r.status in (200, 201), f"the death: {r.brief()}")

    def ids(client, org, d, measure, frm=None):
        q = f"/api/v1/stats/items?org={org}&date={d}&measure={measure}&per_page=200"
        if frm:
            q += f"&from={frm}&to={d}"
        r = client.get(q)
        check(r.status == 200, f"{client.who} GET {q}: {r.brief()}")
        return {x["person_id"] for x in r.json()["items"]}, r.json()

    ad = dapi("admin")
    check(mover in ids(ad, "TC1", dday(-1), "registered")[0], "the mover is not in TC1 as of yesterday")
    check(mover not in ids(ad, "TC1", dday(), "registered")[0], "the mover is still in TC1 as of today")
    check(mover in ids(ad, "TC3", dday(), "registered")[0], "the mover is not in TC3 as of today")
    check(mover in ids(ad, "TS2", dday(), "relapsed", dday(-150))[0], "the relapse does not follow the mover")
    check(mover not in ids(ad, "TS1", dday(), "relapsed", dday(-150))[0], "the relapse stays in the old street")
    listed, j = ids(dapi("office"), "TC1", dday(-1), "registered")
    check(mover not in listed and j["outside_scope"] >= 1,
          f"the old street's office lists the moved person, or does not count them: {j['outside_scope']}")
    check(dead in ids(ad, "TC1", dday(-1), "registered")[0], "the dead person is not registered yesterday")
    check(dead not in ids(ad, "TC1", dday(), "registered")[0], "the dead person is registered on the day of death")
    h = st_history()
    for org in ("TC1", "TC3", "TS2"):
        for d in (dday(-1), dday()):
            j = st_get(ad, f"org={org}&date={d}", f"{org} as of {d}")
            st_compare(j, st_expect(h, st_subtree(org), d, d[:4] + "-01-01", d), f"{org} as of {d}")


ST_XLSX_HEAD = ["单位编码", "单位"]


@test
def stats_xlsx_equals_json():
    """GET /api/v1/stats?format=xlsx (and the page's download link) holds the
    rows of the JSON: a row per child unit, then the total (合计), every
    count and, for every rate, its value as a percentage, numerator and
    denominator; the items' xlsx holds the items of the JSON."""
    j = st_get(api("admin"), "org=T0", "the county")
    r = api("admin").get("/api/v1/stats?org=T0&format=xlsx")
    check(r.status == 200 and r.body[:4] == b"PK\x03\x04", f"the xlsx: {r.brief()}")
    rows = xlsx_rows(r.body)
    check("禁毒工作统计" in str(rows[1].get("A")), f"title row {rows[1]}")
    head = rows[2]
    cols = {v: k for k, v in head.items()}
    for k in ST_XLSX_HEAD + ["在册人数", "管控率", "管控率分子", "管控率分母", "社区戒毒"]:
        check(k in cols, f"xlsx header has no {k}: {head}")
    body = [rows[n] for n in sorted(rows) if n > 2]
    expect_eq([b[cols["单位编码"]] for b in body], [c["org"] for c in j["children"]] + ["T0"], "xlsx rows (units)")
    expect_eq(body[-1][cols["单位"]], "合计", "the last row is the total")
    for row, fig in zip(body, j["children"] + [j]):
        expect_eq(row[cols["在册人数"]], fig["counts"]["registered"], f"xlsx registered of {row[cols['单位编码']]}")
        expect_eq(row[cols["社区戒毒"]], fig["counts"]["by_status"]["community_detox"], "xlsx community_detox")
        rate = fig["rates"]["test_rate"]
        expect_eq((row[cols["尿检率分子"]], row[cols["尿检率分母"]]), (rate["num"], rate["den"]), "xlsx test_rate")
        v = row.get(cols["尿检率"])
        check((v is None) == (rate["value"] is None) and (v is None or abs(v * 100 - rate["value"]) < 1e-9),
              f"xlsx test_rate value {v} vs {rate['value']}")
    link = re.search(r'id="stats-xlsx" href="([^"]+)"', page("admin").get("/stats?org=T0").text)
    check(link, "no xlsx link on /stats")
    rows2 = xlsx_rows(page("admin").get(html.unescape(link.group(1))).body)
    expect_eq([rows2[n].get("C") for n in sorted(rows2) if n > 2], [b.get("C") for b in body], "the page's xlsx")
    it = api("admin").get("/api/v1/stats/items?org=T0&measure=supervised&per_page=200").json()
    r = api("admin").get("/api/v1/stats/items?org=T0&measure=supervised&format=xlsx")
    irows = xlsx_rows(r.body)
    expect_eq([irows[n].get("A") for n in sorted(irows) if n > 2], [x["person_id"] for x in it["items"]],
              "the items' xlsx")


@test
def stats_page_drill_down():
    """/stats: the table (rows = child units, a total row, every number a
    link to the persons behind it), 同比/环比, the status mix as SVG, the
    footnotes with every definition, the trend as an SVG image; a link
    followed lists the persons; the trend answers SVG."""
    pg = page("office")
    r = pg.get("/stats")
    check(r.status == 200, f"GET /stats as the office: {r.brief()}")
    for text in ("一号街道", "甲社区", "乙社区", "合计", "同比", "环比", "管控状态构成", "指标说明", "<svg", "trend.svg"):
        check(text in r.text, f"/stats has no {text!r}")
    for m in ("registered", "control_rate", "test_rate"):
        check(f"measure={m}" in r.text, f"/stats has no link to the persons behind {m}")
    links = re.findall(r'href="(/stats/items\?[^"]+measure=registered)"', r.text)
    check(links, "no drill-down link for registered")
    r2 = pg.get(html.unescape(links[-1]))
    check(r2.status == 200 and "<table" in r2.text or "没有可列出的人员" in r2.text, f"the drill-down: {r2.brief()}")
    svg = pg.get(re.search(r'src="(/stats/trend\.svg[^"]*)"', r.text).group(1).replace("&amp;", "&"))
    check(svg.status == 200 and svg.header("Content-Type").startswith("image/svg+xml") and svg.text.startswith("<svg"),
          f"the trend image: {svg.brief()}")


# ---- every page well-formed

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# elements a <p> may not hold (the parser would close the <p> before them)
BLOCK = {"address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption",
         "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu",
         "nav", "ol", "p", "pre", "section", "table", "ul"}
PARENTS = {  # element: the parents it may have
    "li": {"ul", "ol", "menu"}, "dt": {"dl", "div"}, "dd": {"dl", "div"},
    "tr": {"table", "thead", "tbody", "tfoot"}, "td": {"tr"}, "th": {"tr"},
    "thead": {"table"}, "tbody": {"table"}, "tfoot": {"table"}, "caption": {"table"}, "colgroup": {"table"},
    "option": {"select", "datalist", "optgroup"}, "optgroup": {"select"}, "summary": {"details"},
    "legend": {"fieldset"}, "head": {"html"}, "body": {"html"}, "title": {"head"}, "meta": {"head"},
    "link": {"head"},
}
NO_NESTING = {"a", "form", "button", "label"}  # may not hold another of themselves
ATTR_RE = re.compile(r"""\s([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


class WellFormed(html.parser.HTMLParser):
    """Checks an HTML5 page the strict way a generator should write it:
    doctype first; one html, head (with a title) and body; every non-void
    element closed in order, void elements never closed; quoted attribute
    values, no attribute twice in a tag, no id twice in the page; < and &
    in text only as references, and only known named ones; p, li, tr, td,
    option... where the HTML parser would not move or close them. Problems
    collect in self.errors."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.errors = []
        self.stack = []
        self.ids = set()
        self.seen = {}
        self.doctype = False
        self.started = False

    def err(self, msg):
        line, col = self.getpos()
        self.errors.append(f"{line}:{col}: {msg}")

    def handle_decl(self, decl):
        if self.started or decl.lower() != "doctype html":
            self.err(f"<!{decl}> is not a leading <!doctype html>")
        self.doctype = True
        self.started = True

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs, True)

    def start(self, tag, attrs, self_closing):
        if not self.started:
            self.err("content before <!doctype html>")
        self.started = True
        self.seen[tag] = self.seen.get(tag, 0) + 1
        raw = self.get_starttag_text() or ""
        names = [n.lower() for n, _ in attrs]
        for n in sorted({n for n in names if names.count(n) > 1}):
            self.err(f"<{tag}> has attribute {n} twice")
        for m in ATTR_RE.finditer(raw[1 + len(tag):]):
            if m.group(2) is not None and m.group(2)[0] not in "\"'":
                self.err(f"<{tag}> {m.group(1)}={m.group(2)}: value not quoted")
        for n, v in attrs:
            if n == "id":
                if not v:
                    self.err(f"<{tag}> with an empty id")
                elif v in self.ids:
                    self.err(f"id {v!r} twice")
                self.ids.add(v)
        parent = self.stack[-1] if self.stack else None
        if tag in PARENTS and parent not in PARENTS[tag]:
            self.err(f"<{tag}> inside <{parent}> (allowed in {'/'.join(sorted(PARENTS[tag]))})")
        if tag in BLOCK and "p" in self.stack:
            self.err(f"<{tag}> inside <p>")
        if tag in NO_NESTING and tag in self.stack:
            self.err(f"<{tag}> inside another <{tag}>")
        if tag in VOID:
            return
        if self_closing:
            self.err(f"<{tag}/>: a non-void element cannot be self-closed")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.err(f"</{tag}>: end tag of a void element")
        elif not self.stack:
            self.err(f"</{tag}> with no open element")
        elif self.stack[-1] != tag:
            self.err(f"</{tag}> closes <{self.stack[-1]}> (open: {' > '.join(self.stack)})")
            if tag in self.stack:
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("script", "style"):
            return
        if data.strip() and not self.started:
            self.err("text before <!doctype html>")
        for ch in "<&":
            if ch in data:
                self.err(f"a bare {ch!r} in text: {short(data, 60)!r}")

    def handle_entityref(self, name):
        if name not in html.entities.html5 and name + ";" not in html.entities.html5:
            self.err(f"unknown reference &{name};")

    def unknown_decl(self, data):
        self.err(f"unknown declaration <![{short(data, 40)}")

    def check(self, text):
        """Parses text; returns the problems found (empty when none)."""
        self.feed(text)
        self.close()
        if not self.doctype:
            self.err("no <!doctype html>")
        if self.stack:
            self.err(f"not closed at the end: {' > '.join(self.stack)}")
        for tag in ("html", "head", "body", "title"):
            if self.seen.get(tag, 0) != 1:
                self.err(f"<{tag}> {self.seen.get(tag, 0)} times (once expected)")
        if self.seen.get("main", 0) > 1:
            self.err("more than one <main>")
        return self.errors


class SideServer:
    """A `jindu serve` of a suite's own (other options, another database)
    beside the suite's server: its process, port, log and start error (all
    None until started); killed when the run ends if it still runs."""

    def __init__(self):
        self.proc = self.port = self.log = self.error = None
        atexit.register(self.kill)

    def start(self, log_name, **spawn):
        """Starts it (spawn_server's options) with its log C.tmp/log_name;
        the start error stays in self.error (None: up)."""
        self.log = os.path.join(C.tmp, log_name)
        self.proc, self.port, self.error = spawn_server(self.log, **spawn)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()

    def stop_clean(self, what, bad):
        """SIGTERM: checks that it exits 0 within 20 s and that no line of
        its log matches the regular expression bad; returns the log's text."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure(f"{what} did not stop within 20 s of SIGTERM")
        expect_eq(rc, 0, f"{what}'s exit status ({tail(self.log)})")
        with open(self.log, encoding="utf-8", errors="replace") as f:
            log = f.read()
        found = [l for l in log.splitlines() if re.search(bad, l)]
        check(not found, f"{what}'s log: {' | '.join(found[:5])}")
        return log


# ---- suites in files of their own (tests/integration/suite_*.py, in name
# order), run in this module's namespace: they add their tests with @test
# and use the helpers above; their tests run here, before the checks of
# every page and of the stored state at the end.

for _suite in sorted(os.listdir(os.path.dirname(os.path.abspath(__file__)))):
    if _suite.startswith("suite_") and _suite.endswith(".py"):
        _path = os.path.join(os.path.dirname(os.path.abspath(__file__)), _suite)
        with open(_path, encoding="utf-8") as _f:
            exec(compile(_f.read(), _path, "exec"))


# ---- work never lost, never doubled (app/once.h, app/draft.h)

def _form_of(pg, path, action):
    """The fields of the form posting to action on page path (exactly one)."""
    r = pg.get(path)
    expect_eq(r.status, 200, f"GET {path} as {pg.who}")
    forms = [f for f in page_forms(r.text) if f[0] == action]
    check(len(forms) == 1, f"{path} has {len(forms)} forms posting to {action}")
    return forms[0][1]


def _visits(pid):
    return sql_int(f"SELECT count(*) FROM visit WHERE person_id={pid}")


def _post_many(fn, n=2):
    """Runs fn() n times at the same moment (threads); returns the answers."""
    import threading
    out, errs = [None] * n, []
    go = threading.Barrier(n)

    def run(i):
        try:
            go.wait()
            out[i] = fn()
        except Exception as ex:  # noqa: BLE001 (reported below)
            errs.append(repr(ex))
    ts = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    check(not errs, f"concurrent posts failed: {errs}")
    return out


@test
def once_form_posted_twice():
    """A form posted twice with its one-time token (a double tap, a reload of
    the answer): one record, both answers the same redirect; the token with
    other content is refused (409) and writes nothing; posted at the same
    moment twice: still one record."""
    pid = person("pa")["id"]
    w = page("worker_a")
    action = f"/persons/{pid}/visits/new"
    fields = _form_of(w, action, action)
    check(sum(1 for k, _ in fields if k == "_once") == 1, "the visit form carries no _once token")
    fields = [(k, "谈话一次，提交两次" if k == "notes" else v) for k, v in fields]
    before = _visits(pid)
    r1 = w.post(action, fields, csrf=False)
    expect_eq(r1.status, 303, f"first post ({short(r1.text, 200)})")
    r2 = w.post(action, fields, csrf=False)
    expect_eq(r2.status, 303, f"the same form posted again ({short(r2.text, 200)})")
    expect_eq(r2.header("Location"), r1.header("Location"), "the repeat's redirect")
    expect_eq(_visits(pid), before + 1, "visits after posting one form twice")
    other = [(k, "另一段内容" if k == "notes" else v) for k, v in fields]
    r3 = w.post(action, other, csrf=False)
    expect_eq(r3.status, 409, f"the same token with other content ({short(r3.text, 200)})")
    check("此表单已提交过" in r3.text, f"the 409 page does not say the form was submitted: {short(r3.text)}")
    expect_eq(_visits(pid), before + 1, "visits after the token with other content")
    # a double tap: the same form at the same moment
    fields = [(k, "同时提交两次" if k == "notes" else v) for k, v in _form_of(w, action, action)]
    rs = _post_many(lambda: w.post(action, fields, csrf=False))
    expect_eq([r.status for r in rs], [303, 303], f"two posts at once: {[r.brief() for r in rs]}")
    expect_eq(rs[0].header("Location"), rs[1].header("Location"), "the redirects of two posts at once")
    expect_eq(_visits(pid), before + 2, "visits after two posts of one form at once")
    expect_eq(sql_int(f"SELECT count(*) FROM visit WHERE person_id={pid} AND notes='同时提交两次'"), 1,
              "visits with the double-tapped notes")
    # a token of another user is no key of this one: it does not dedupe (nor break) the post
    wb_fields = [(k, v) for k, v in _form_of(page("cadre_a"), action, action) if k == "_once"]
    fields = [(k, v) for k, v in _form_of(w, action, action) if k != "_once"] + wb_fields
    expect_eq(w.post(action, fields, csrf=False).status, 303, "a post with another user's token")
    expect_eq(w.post(action, fields, csrf=False).status, 303, "the same again")
    expect_eq(_visits(pid), before + 4, "another user's token is not this user's key")


@test
def once_api_idempotency_key():
    """POST with an Idempotency-Key: a repeat answers the first's status and
    body (Idempotent-Replayed: true) and writes nothing; the key with another
    body is 409; a malformed key 400; another user's same key is theirs;
    two at the same moment make one record."""
    pid = person("pa")["id"]
    a = api("worker_a")
    url = f"/api/v1/persons/{pid}/visits"
    body = {"date": today().isoformat(), "kind": "phone", "notes": "幂等键谈话"}
    key = {"Idempotency-Key": "visit-" + str(time.time())}
    before = _visits(pid)
    r1 = a.post(url, body, headers=key)
    expect_eq(r1.status, 201, f"first POST with the key ({r1.brief()})")
    r2 = a.post(url, body, headers=key)
    expect_eq(r2.status, 201, f"the repeat ({r2.brief()})")
    expect_eq(r2.json(), r1.json(), "the repeat's body")
    expect_eq(r2.header("Idempotent-Replayed"), "true", "the repeat's Idempotent-Replayed header")
    check(r1.header("Idempotent-Replayed") is None, "the first answer says it was replayed")
    expect_eq(r2.header("Location"), r1.header("Location"), "the repeat's Location")
    expect_eq(_visits(pid), before + 1, "visits after a repeated key")
    r3 = a.post(url, dict(body, notes="别的内容"), headers=key)
    expect_api_error(r3, 409, "conflict", what="the key with another body")
    expect_eq(_visits(pid), before + 1, "visits after the key with another body")
    for bad in ("", "x" * 256, "tab\there"):
        r = a.post(url, body, headers={"Idempotency-Key": bad})
        expect_api_error(r, 400, "invalid", field="Idempotency-Key", what=f"Idempotency-Key {bad[:10]!r}")
    expect_eq(_visits(pid), before + 1, "visits after malformed keys")
    r4 = api("cadre_a").post(url, body, headers=key)
    expect_eq(r4.status, 201, f"cadre_a with worker_a's key ({r4.brief()})")
    check(r4.json()["id"] != r1.json()["id"], "another user's key answered with worker_a's record")
    expect_eq(_visits(pid), before + 2, "visits after another user's same key")
    k2 = {"Idempotency-Key": "twin-" + str(time.time())}
    rs = _post_many(lambda: a.post(url, dict(body, notes="同时两次"), headers=k2))
    expect_eq(sorted(r.status for r in rs), [201, 201], f"two POSTs at once: {[r.brief() for r in rs]}")
    expect_eq(rs[0].json(), rs[1].json(), "the bodies of two POSTs at once")
    expect_eq(_visits(pid), before + 3, "visits after two POSTs with one key at once")
    r = a.post(url, dict(body, notes="无键"))
    r = a.post(url, dict(body, notes="无键"))
    expect_eq(_visits(pid), before + 5, "without a key every POST writes (the key is optional)")


def _session_hash(cookie):
    import hashlib
    return hashlib.blake2b(cookie.encode(), digest_size=32).hexdigest()


def _expired(user):
    """A page client of user whose session has been idle for an hour: a new
    sign-in, made idle before its first use (so that no server thread holds
    it in its 2-second session cache)."""
    pg = new_page(user)
    sql(f"UPDATE session SET seen_unix = seen_unix - 3600 WHERE token_hash = '{_session_hash(pg.cookie)}'")
    return pg


def _login_with(user, cookies, next_path=None):
    fields = [("username", user), ("password", password(user))]
    if next_path:
        fields.append(("next", next_path))
    return hreq("POST", "/login", body=urllib.parse.urlencode(fields).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies})


@test
def draft_kept_across_expired_session():
    """A form posted after the session expired: nothing written, the sign-in
    page says 登录已过期，请重新登录，您填写的内容已保留; another user signing
    in on that browser does not get it (it is deleted); its own user, signed
    in again, finds it on /draft and posts it again: the record is made with
    what was typed and the draft is gone. A post without a token of ours (as
    from another site) is not kept."""
    pid = person("pa")["id"]
    action = f"/persons/{pid}/visits/new"
    notes = "过期后提交的谈话记录\n第二行"

    def post_expired():
        fields = [(k, notes if k == "notes" else v) for k, v in _form_of(page("worker_a"), action, action)]
        w = _expired("worker_a")  # the worker typed for an hour
        before = (_visits(pid), sup_counts())
        r = w.post(action, fields, csrf=False)
        expect_eq(r.status, 303, f"post after expiry ({short(r.text, 200)})")
        expect_eq(r.header("Location"), "/login?next=/draft", "where the expired post goes")
        expect_eq(before, (_visits(pid), sup_counts()), "rows after a post without a session")
        draft, attrs = r.cookie("jd_draft")
        check(draft and re.fullmatch(r"[0-9a-f]{64}", draft), f"no jd_draft cookie: {r.headers}")
        check("HttpOnly" in attrs and "Max-Age=7200" in attrs, f"jd_draft cookie attributes: {attrs}")
        check("过期" not in (r.header("Location") or "") and notes not in r.text, "the content went into the answer")
        uid = sql_int("SELECT id FROM app_user WHERE username='worker_a'")
        expect_eq(sql_int(f"SELECT count(*) FROM form_draft WHERE user_id={uid}"), 1, "drafts of worker_a")
        expect_eq(sql_int(f"SELECT count(*) FROM form_draft WHERE id_hash='{draft}'"), 0, "the id stored in clear")
        return draft

    draft = post_expired()
    r = hreq("GET", "/login?next=/draft", headers={"Cookie": f"jd_draft={draft}"})
    check("登录已过期，请重新登录，您填写的内容已保留" in r.text, f"the sign-in page lacks the message: {short(r.text)}")
    check("/draft" in r.text, "the sign-in form does not go on to /draft")
    # another user signs in on that browser: not theirs, and gone
    r = _login_with("worker_b", f"jd_draft={draft}", "/draft")
    expect_eq(r.status, 303, f"worker_b signs in ({r.brief()})")
    expect_eq(r.header("Location"), "/", "worker_b is not sent to the draft")
    expect_eq(r.cookie("jd_draft")[0], "", "worker_b's sign-in clears the draft cookie")
    expect_eq(sql_int("SELECT count(*) FROM form_draft"), 0, "drafts after another user signed in")
    other = Page(r.cookie("jd_session")[0], "worker_b")
    r = other.get("/draft", headers={"Cookie": f"jd_session={other.cookie}; jd_draft={draft}"})
    check(notes.split("\n")[0] not in r.text, "worker_b sees worker_a's draft")

    # its own user gets it back
    draft = post_expired()
    r = _login_with("worker_a", f"jd_draft={draft}", "/draft")
    expect_eq(r.status, 303, f"worker_a signs in again ({r.brief()})")
    expect_eq(r.header("Location"), "/draft", "worker_a is sent to the draft")
    w = Page(r.cookie("jd_session")[0], "worker_a")
    cookies = {"Cookie": f"jd_session={w.cookie}; jd_draft={draft}"}
    r = w.get("/draft", headers=cookies)
    expect_eq(r.status, 200, "GET /draft")
    check(notes.split("\n")[0] in r.text, f"/draft does not show what was typed: {short(r.text)}")
    problems = WellFormed().check(r.text)
    check(not problems, f"/draft is not well-formed: {problems[:4]}")
    forms = [f for f in page_forms(r.text) if f[0] == action]
    check(len(forms) == 1, f"/draft has {len(forms)} forms posting to {action}")
    fields = forms[0][1]
    expect_eq(dict(fields).get("notes"), notes, "the kept notes")
    before = _visits(pid)
    r = w.post(action, fields, csrf=False, headers=cookies)
    expect_eq(r.status, 303, f"posting the kept form ({short(r.text, 200)})")
    check(r.header("Location").startswith(f"/persons/{pid}"), f"after the kept form: {r.header('Location')}")
    expect_eq(_visits(pid), before + 1, "visits after posting the kept form")
    expect_eq(sql(f"SELECT notes FROM visit WHERE person_id={pid} ORDER BY id DESC LIMIT 1"), notes,
              "the notes recorded")
    expect_eq(r.cookie("jd_draft")[0], "", "the draft cookie after use")
    expect_eq(sql_int("SELECT count(*) FROM form_draft"), 0, "drafts after use")
    r = w.get("/draft", headers=cookies)
    check(notes.split("\n")[0] not in r.text and "没有保留的内容" in r.text, "/draft after use")

    # dropping it
    draft = post_expired()
    r = _login_with("worker_a", f"jd_draft={draft}")
    w = Page(r.cookie("jd_session")[0], "worker_a")
    cookies = {"Cookie": f"jd_session={w.cookie}; jd_draft={draft}"}
    r = w.post("/draft/discard", [], headers=cookies)
    expect_eq(r.status, 303, "POST /draft/discard")
    expect_eq(sql_int("SELECT count(*) FROM form_draft"), 0, "drafts after discarding")

    # not kept: no token, a forged token, a signed-out post of the API
    fields = _form_of(page("worker_a"), action, action)
    w = _expired("worker_a")
    for what, fs in (("without _once", [(k, v) for k, v in fields if k != "_once"]),
                     ("with a forged _once", [(k, (v[:-1] + ("0" if v[-1] != "0" else "1")) if k == "_once" else v)
                                              for k, v in fields])):
        r = w.post(action, fs, csrf=False)
        expect_eq(r.status, 303, f"post after expiry {what}")
        check(r.header("Location").startswith("/login?next="), f"post after expiry {what}: {r.header('Location')}")
        check(r.cookie("jd_draft")[0] is None, f"a draft cookie {what}")
        expect_eq(sql_int("SELECT count(*) FROM form_draft"), 0, f"drafts after a post {what}")


# ---- words and times people use (the audit log, timestamps, system texts)

ISO_T_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
SHORT_TIME_RE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(?!:)")


def _visible(text):
    """The text of a page without its tags (attribute values dropped)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", text))


@test
def times_shown_as_people_read_them():
    """Pages show a timestamp as 2026-12-05 15:00, never as stored
    (2026-12-05T15:00:30+08:00): the case file, the approvals, the audit
    log, in Chinese and English."""
    pid = person("pa")["id"]
    ad = page("admin")
    for path in (f"/persons/{pid}", "/approvals?state=pending", "/approvals?state=approved", "/audit",
                 f"/audit?person={pid}"):
        for lang in ("zh", "en"):
            r = ad.get(path, headers={"Cookie": f"jd_session={ad.cookie}; jd_lang={lang}"})
            expect_eq(r.status, 200, f"GET {path} ({lang})")
            bad = ISO_T_RE.findall(_visible(r.text))
            check(not bad, f"GET {path} ({lang}) shows stored timestamps: {bad[:3]}")
    r = ad.get(f"/persons/{pid}")
    check(re.search(r"建档时间 \d{4}-\d\d-\d\d \d\d:\d\d ·", _visible(r.text)),
          f"the case file's 建档时间 is not YYYY-MM-DD HH:MM: {short(_visible(r.text)[-300:])}")
    r = ad.get("/audit")
    check(SHORT_TIME_RE.search(_visible(r.text)), "the audit log shows no YYYY-MM-DD HH:MM time")


def _audit_rows(text):
    """The rows of the audit table as lists of cell texts."""
    body = text[text.find("<tbody>"):text.find("</tbody>")]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        rows.append([html.unescape(re.sub(r"<[^>]*>", "", td)).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)])
    return rows


@test
def audit_log_in_words():
    """The audit log names actions, objects and details in the user's
    language, the person by name and the actor by display name; a status
    record as what it is (状态记录：社区戒毒 <date>), never #id; filters by
    person (id or the start of a name, within the viewer's scope); a person
    now outside the viewer's scope shows masked (X**)."""
    name = "审计词语"
    a = api("worker_a")
    r = a.post("/api/v1/persons", payload(name, "TC1", birth="19860606"))
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    start = (today() - datetime.timedelta(days=40)).isoformat()
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "community_detox", "decision_date": start, "start_date": start})
    check(r.status in (200, 201), f"status ({r.brief()})")
    ep = r.json()["status_history"][-1]["id"] if "status_history" in r.json() else None
    check(isinstance(ep, int), f"no status_history id in {r.brief()}")
    fixed = (today() - datetime.timedelta(days=39)).isoformat()
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "community_detox", "decision_date": start,
                                                 "start_date": fixed, "corrects_id": ep})
    check(r.status in (200, 201), f"correction ({r.brief()})")
    text = _visible(page("worker_a").get(f"/persons/{pid}").text)
    check(f"更正记录 1（社区戒毒 {start}）" in text, f"the case file does not name the corrected record: {short(text[-800:])}")
    check(f"#{ep}" not in text, f"the case file shows the record's row id #{ep}")
    of = page("office")
    r = of.get(f"/audit?person={pid}")
    expect_eq(r.status, 200, "GET /audit?person=ID as office")
    rows = _audit_rows(r.text)
    check(len(rows) >= 2, f"expected the create and status rows of {pid}, got {rows}")
    check(all(f"人员档案：{name}" in row[5] for row in rows), f"rows of another object or unnamed: {rows}")
    status_rows = [row for row in rows if row[4] == "状态变更"]
    check(status_rows, f"no 状态变更 row: {rows}")
    detail = status_rows[-1][6]
    check(f"状态记录：社区戒毒 {start}" in detail, f"the status record is not named as what it is: {detail!r}")
    check(f"更正：社区戒毒 {start}" in status_rows[0][6], f"the correction does not name what it corrects: {status_rows[0]}")
    check("#" not in detail and "episode" not in detail, f"the detail shows a record number or a code: {detail!r}")
    check(any(row[4] == "新建" and row[2] == "测试worker_a" for row in rows),
          f"the create row does not name 测试worker_a: {rows}")
    check(f'href="/persons/{pid}"' in r.text, "the person in scope is not linked")
    en = of.get(f"/audit?person={pid}", headers={"Cookie": f"jd_session={of.cookie}; jd_lang=en"})
    rows_en = _audit_rows(en.text)
    check(any(row[4] == "Status change" and "Status record: Community detox" in row[6] for row in rows_en),
          f"the English audit log: {rows_en}")
    check(not has_cjk(" ".join(row[4] for row in rows_en)), f"English actions still Chinese: {rows_en}")
    # by the start of a name: that person's rows only; out of scope: nothing
    r = of.get("/audit?person=" + urllib.parse.quote(name[:3]))
    rows = _audit_rows(r.text)
    check(rows and all(name in row[5] for row in rows), f"/audit?person={name[:3]}: {rows}")
    other = payload("审计邻街", "TC3", birth="19870707")
    r = api("admin").post("/api/v1/persons", other)
    expect_eq(r.status, 201, f"create in TC3 ({r.brief()})")
    rows = _audit_rows(of.get("/audit?person=" + urllib.parse.quote("审计邻街")).text)
    check(rows == [] or rows[0][0] == "没有记录", f"office of TS1 finds a TS2 person by name: {rows}")
    r = of.get("/audit?person=0x1")
    expect_eq(r.status, 200, "a name that is no number")
    r = of.get("/audit?person=0123")
    expect_eq(r.status, 400, "a person number with a leading zero")
    # moved out of the office's scope: the old rows stay, the name is masked
    r = api("admin").post(f"/api/v1/persons/{pid}/org_correction", {"org": "TC3", "reason": "建档时选错社区"})
    expect_eq(r.status, 200, f"move to TC3 (a correction: issue 12) ({r.brief()})")
    r = of.get(f"/audit?person={pid}")
    rows = _audit_rows(r.text)
    check(rows and all("人员档案：审**" in row[5] for row in rows), f"the moved person's rows: {rows}")
    check(name not in _visible(r.text).replace("人员（编号或姓名）", ""), "the full name of a person out of scope is shown")
    check(f'href="/persons/{pid}"' not in r.text, "a person out of scope is linked")


@test
def system_texts_follow_language():
    """A note the system writes (尿检阳性 on the relapse a positive test
    makes) follows the language switch on the case file; a note a user
    typed does not change."""
    a = api("worker_a")
    r = a.post("/api/v1/persons", payload("系统文字", "TC1", birth="19880101"))
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    start = (today() - datetime.timedelta(days=40)).isoformat()
    r = a.post(f"/api/v1/persons/{pid}/status", {"status": "community_detox", "decision_date": start, "start_date": start})
    check(r.status in (200, 201), f"status ({r.brief()})")
    r = a.post(f"/api/v1/persons/{pid}/tests", {"date": today().isoformat(), "sample": "urine", "reason": "random",
                                                "result": "positive", "substances": ["methamphetamine"]})
    expect_eq(r.status, 201, f"positive test ({r.brief()})")
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "found", "date": today().isoformat(), "note": "尿检阳性后本人来所"})
    w = page("worker_a")
    zh = _visible(w.get(f"/persons/{pid}", headers={"Cookie": f"jd_session={w.cookie}; jd_lang=zh"}).text)
    check("尿检阳性" in zh, "the Chinese case file does not show 尿检阳性")
    en = _visible(w.get(f"/persons/{pid}", headers={"Cookie": f"jd_session={w.cookie}; jd_lang=en"}).text)
    check("Positive urine test" in en, f"the English case file does not translate 尿检阳性: {short(en[-600:])}")
    check("尿检阳性 " not in en.replace("尿检阳性后本人来所", ""), "the English case file still shows 尿检阳性")


def _page_routes():
    """The GET routes of web/routes.c that answer an HTML page: every one but
    the API, static files, the calendar feed, attachments (files) and the
    language switch (a redirect)."""
    with open(os.path.join(ROOT, "web", "routes.c"), encoding="utf-8") as f:
        src = f.read()
    pats = re.findall(r'\{"GET", "([^"]+)", \w+, \w+, [^}]*\}', src)
    check(len(pats) > 10, f"found only {len(pats)} GET routes in web/routes.c: has the table's layout changed?")
    return [p for p in pats if not p.startswith(("/api/", "/static/", "/calendar/", "/attachments/")) and p != "/lang"
            and not p.endswith(".svg")]


PAGE_QUERIES = [  # beside the routes: the query variants that change what a page shows
    "/persons?q=" + urllib.parse.quote("测"), "/persons?page=2&per_page=5", "/persons?status=community_detox",
    "/work?scope=mine", "/work?horizon=30&sort=name", "/approvals?state=pending", "/approvals?state=approved",
    "/audit?entity=person", "/audit?page=2",
    "/stats?period=2025Q2", "/stats/items?measure=registered", "/stats/items?measure=test_rate&part=den&org=TC1",
    "/persons?complete=0", "/persons?complete=1", "/team_roles?org=TS1", "/stats/items?measure=services.total",
]
PAGE_ROLES = ("admin", "office", "worker_a", "worker_b", "police", "cadre_a", "viewer")


def _sample_ids(queries):
    """The ids the queries return, in order and each once."""
    out = []
    for q in queries:
        for line in sql(q).splitlines():
            if line.strip() and int(line) not in out:
                out.append(int(line))
    return out


@test
def html_well_formed_every_page():
    """Every GET page of the route table (and a few query variants), for
    every role, in Chinese and (as the administrator) in English, over the
    data the suite wrote: well-formed HTML5 (WellFormed), whatever the status
    (a refusal or a 404 is a page too). {id} takes the fixture persons and
    the persons and approvals with the most history of each kind."""
    persons = _sample_ids([
        f"SELECT {person('pa')['id']}", f"SELECT {person('pb')['id']}", f"SELECT {person('pc')['id']}",
        "SELECT id FROM person WHERE name LIKE '%<%' OR residence_address LIKE '%\"%'",
        *[f"SELECT person_id FROM {t} GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 1"
          for t in ("person_revision", "status_episode", "person_document", "help_member", "visit", "drug_test",
                    "person_event", "approval")],
        "SELECT max(id) FROM person",
        "SELECT d.person_id FROM attachment a JOIN person_document d ON d.id = a.entity_id"
        " WHERE a.entity = 'person_document' ORDER BY a.id LIMIT 1"])
    approvals = _sample_ids(["SELECT min(id) FROM approval GROUP BY kind, state"])
    check(approvals, "the suite wrote no approval: /approvals/{id} would go unchecked")
    services = _sample_ids(["SELECT min(id) FROM service GROUP BY state"])  # casework (issue 9)
    check(services, "the suite wrote no service: /services/{id} would go unchecked")
    ids = {"/persons/{id}": persons, "/approvals/{id}": approvals,
           "/activities/{id}": _sample_ids(["SELECT min(activity_id) FROM activity",
                                            "SELECT max(activity_id) FROM activity WHERE version > 1"]),
           "/surveys/{id}": _sample_ids(["SELECT min(survey_id) FROM survey",
                                         "SELECT max(survey_id) FROM survey WHERE version > 1"])}
    for table, prefix in (("place", "/places/{id}"), ("letter", "/letters/{id}"), ("inspection", "/inspections/{id}")):
        ids[prefix] = _sample_ids([f"SELECT min(id) FROM {table}", f"SELECT max(id) FROM {table}"])
    ids["/services/{id}"] = services
    ids["/assessment/marks/{id}"] = _sample_ids(["SELECT min(id) FROM assess_mark"])
    paths = []
    for pat in _page_routes():
        if "{" not in pat:
            paths.append(pat)
            continue
        prefix = pat[:pat.index("{id}") + 4] if "{id}" in pat else pat
        check(prefix in ids and pat.count("{") == 1,
              f"route {pat}: html_well_formed_every_page has no ids for it (add them beside PAGE_QUERIES)")
        paths += [pat.replace("{id}", str(i)) for i in ids[prefix]]
    paths += PAGE_QUERIES
    bad, checked, seen = [], 0, {}
    clients = [(who, page(who), None) for who in PAGE_ROLES]
    clients.append(("admin/en", page("admin"), {"Cookie": f"jd_session={page('admin').cookie}; jd_lang=en"}))
    for who, pg, hdrs in clients:
        for path in paths:
            r = pg.get(path, headers=hdrs)
            if not (r.header("Content-Type") or "").startswith("text/html"):
                check(300 <= r.status < 400, f"GET {path} as {who}: neither an HTML page nor a redirect: {r.brief()}")
                continue
            checked += 1
            if r.text not in seen:  # (many refusals and 404s are the same page)
                seen[r.text] = WellFormed().check(r.text)
            problems = seen[r.text]
            if problems:
                bad.append(f"GET {path} as {who} ({r.status}): {'; '.join(problems[:4])}")
    r = hreq("GET", "/login")
    problems = WellFormed().check(r.text)
    if problems:
        bad.append(f"GET /login signed out: {'; '.join(problems[:4])}")
    check(not bad, f"{len(bad)} of {checked + 1} pages are not well-formed: " + " || ".join(bad[:6]))


# ---- last: the stored state after everything the suite did

@test
def sup_doctor_after_everything():
    """`jindu doctor` recomputes every derived field from the history (as of
    the real today, after writes made on the dated server too) and finds no
    difference; the audit chain written by both servers is intact."""
    rc, out, err = run_cli(["doctor", "--db", C.db], timeout=120)
    expect_eq(rc, 0, f"jindu doctor exit status (stdout {short(out, 600)!r}, stderr {short(err, 300)!r})")
    rc, out, err = run_cli(["audit", "verify", "--db", C.db])
    expect_eq(rc, 0, f"jindu audit verify at the end of the suite (stderr {err.strip()!r})")


# ------------------------------------------------------------- the run --

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def setup(verbose):
    """init, orgs, users; returns an error text or None."""
    rc, out, err = run_cli(["init", "--db", C.db])
    if rc != 0:
        return f"jindu init exited {rc}: {err.strip()}"
    for code, name, level, parent in ORGS:
        args = ["org", "add", "--db", C.db, "--code", code, "--name", name, "--level", level]
        if parent:
            args += ["--parent", parent]
        rc, out, err = run_cli(args)
        if rc != 0:
            return f"jindu {' '.join(args)} exited {rc}: {err.strip()}"
    for user, (role, org) in USERS.items():
        args = ["user", "add", "--db", C.db, "--username", user, "--role", role, "--org", org, "--name",
                f"测试{user}", "--password-stdin"]
        rc, out, err = run_cli(args, stdin=password(user) + "\n")
        if rc != 0:
            return f"jindu user add {user} exited {rc}: {err.strip()}"
    return None


def spawn_server(log_path, env=None, quiet=False, args=None, db=None):
    """Starts `jindu serve` over C.db (or db) on a free port (its output,
    access lines included, into log_path; args: more options); returns
    (process, port, error text or None) once GET /login answers."""
    port = free_port()
    args = list(args or [])
    if "--read-limit" not in args:
        # the suite is a script that reads case files far faster than a person: the
        # bound of reads a minute is tested on a server of its own (suite_harden.py)
        args += ["--read-limit", "100000"]
    with open(log_path, "wb") as logf:
        proc = subprocess.Popen([C.jindu, "serve", "--db", db or C.db, "--listen", f"127.0.0.1:{port}"]
                                + (["--quiet"] if quiet else []) + list(args or []),
                                stdout=logf, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            return proc, port, f"jindu serve exited with {proc.returncode}: {tail(log_path)}"
        try:
            conn = httpc.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            # the answer must be this server's (its start line written),
            # not another process's that took the free port meanwhile
            with open(log_path, encoding="utf-8", errors="replace") as f:
                if "serving" in f.read():
                    return proc, port, None
            time.sleep(0.1)
        except OSError:
            time.sleep(0.1)
    return proc, port, "jindu serve did not answer within 20 s"


def start_server():
    C.server_log = os.path.join(C.tmp, "serve.log")
    C.server, C.port, err = spawn_server(C.server_log)
    C.server_up = err is None
    return err


def stop_server(proc, name, log_path, report):
    """SIGTERM, expecting exit status 0 within 20 s; reports name."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=20)
            report(name, None if rc == 0 else f"jindu serve exited {rc} after SIGTERM: {tail(log_path)}")
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            report(name, "jindu serve did not stop within 20 s of SIGTERM")
    else:
        report(name, f"jindu serve had already exited with {proc.returncode}: {tail(log_path)}")


def tail(path, n=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return " | ".join(f.read().splitlines()[-n:])
    except OSError:
        return ""


def probe_alt_sources():
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.2", 0))
        s.close()
        return True
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(description="jindu integration tests")
    ap.add_argument("--jindu", default="./jindu", help="path of the jindu binary")
    ap.add_argument("--only", help="run only tests whose name matches this regular expression")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("-v", "--verbose", action="store_true", help="print tracebacks and the server log tail")
    args = ap.parse_args()
    C.jindu = os.path.abspath(args.jindu)
    C.tmp = tempfile.mkdtemp(prefix="jindu-it-")
    C.db = os.path.join(C.tmp, "jindu.db")
    C.alt_sources = probe_alt_sources()
    started = time.time()

    passed, failed = 0, 0

    def report(name, err):
        nonlocal passed, failed
        if err is None:
            passed += 1
            print(f"ok {name}", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}: {err}", flush=True)

    if not os.access(C.jindu, os.X_OK):
        report("setup", f"{args.jindu} is not an executable file (run make first)")
        print(f"integration: {passed} passed, {failed} failed")
        sys.exit(1)

    try:
        C.setup_error = setup(args.verbose)
    except Exception as ex:  # noqa: BLE001
        C.setup_error = f"setup raised {ex!r}"
    report("setup", C.setup_error)
    if not C.setup_error:
        C.setup_error = start_server()
    if not C.alt_sources:
        print("note: 127.0.0.2+ cannot be bound; throttling tests share 127.0.0.1 and run last", flush=True)

    try:
        for name, fn in TESTS:
            if args.only and not re.search(args.only, name):
                continue
            try:
                fn()
                report(name, None)
            except Failure as ex:
                report(name, str(ex))
                if args.verbose:
                    traceback.print_exc()
            except Exception as ex:  # noqa: BLE001  a bug in the test or an unexpected answer
                report(name, f"{type(ex).__name__}: {ex}")
                if args.verbose:
                    traceback.print_exc()
    finally:
        if C.dated is not None:
            stop_server(C.dated, "dated_serve_sigterm_exits_0", C.dated_log, report)
        if C.server is not None:
            stop_server(C.server, "serve_sigterm_exits_0", C.server_log, report)
            log = ""
            for path in (C.server_log, C.dated_log):
                try:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        log += f.read()
                except (OSError, TypeError):
                    pass
            bad = [l for l in log.splitlines() if re.search(
                r"AddressSanitizer|LeakSanitizer|runtime error:|LOST read record|could not record read|Assertion"
                r"| sql error: ",
                l)]
            report("serve_log_clean", None if not bad else f"server log: {' | '.join(bad[:5])}")
            if args.verbose:
                print("--- server log tail ---\n" + "\n".join(log.splitlines()[-30:]))
        if args.keep:
            print(f"kept {C.tmp}")
        else:
            shutil.rmtree(C.tmp, ignore_errors=True)
    print(f"({time.time() - started:.1f} s)")
    print(f"integration: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
