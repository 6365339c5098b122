"""tests/integration/suite_rbac.py: the RBAC matrix (issue 12 point 7),
generated from the route table: every route × role × position, run inside
tests/integration/run.py's namespace (hreq, check, spawn_server, run_cli,
sql...).

The routes come from the binary itself (`jindu routes --json`: method,
pattern, the permissions of its row, its flags, and each role's
permissions), so a route added to web/routes.c is in the matrix the day it
is added. Its ids are built by the id source of the path segment before
each {id} (RB_IDS: a record of the demo district's 东湖社区 C0101, or of its
street or county, with the unit path that owns it and strings that only
that record shows); {code} routes by RB_CODES; a route whose segment has
no source fails `rbac_every_route_has_ids` with the line to add.

The server is its own, over its own database: `jindu init --demo` (a
county D01 of two streets, S01 with 东湖社区 C0101 and 杏林社区 C0102, S02
with 青山社区 C0201) plus a second county D99 > S99 > C9901, and for each
role an account in each position relative to C0101: the same unit, another
community of the same street, another street, another county (offices at
street level, admins at county level). Each account calls every route once
(an empty form or JSON body; uploads a multipart body without a file) and
the answer must be:
- never a 5xx;
- 403 when the role lacks a permission the route's row asks for;
- for a record whose unit and the account's lie in separate subtrees (no
  ancestor of the other): 403 or 404 for a route that names it by id, and
  in every answer none of the strings only that record (and the persons of
  C0101 the account cannot see) shows;
- otherwise whatever the use case answers (2xx, 3xx, 4xx) but not 5xx.
A notice belongs to a user: another account's notice is 403/404 always."""

RB_PASSWORD = "Rbac-Passw0rd-2024"
# position -> unit of each level ("" = no account of that level there)
RB_POSITIONS = {
    "own": {"community": "C0101", "street": "S01", "county": "D01"},
    "community": {"community": "C0102"},  # another community of the same street
    "street": {"community": "C0201", "street": "S02"},  # another street of the same county
    "county": {"community": "C9901", "street": "S99", "county": "D99"},  # another county
}
RB_ROLE_LEVEL = {"admin": "county", "office": "street", "worker": "community", "cadre": "community",
                 "police": "community", "viewer": "community"}
# routes not called: they end the calling session (the matrix's own sessions); other tests cover them
RB_SKIP = {("POST", "/logout"): "ends the session (run.py logout_invalidates_cookie)",
           ("DELETE", "/api/v1/session"): "ends the session (run.py api_session_delete)"}


class _Rb(SideServer):
    db = None
    routes = None
    roles = None
    paths = {}      # org code -> path
    accounts = []   # (name, role, position, org code, token, csrf)
    ids = {}        # id source -> {"ids": [..], "owner": path, "markers": [..]}
    markers_c0101 = []


RB = _Rb()


def rb_sql(query):
    return sql(query, RB.db)


def rb_one(query, what):
    v = rb_sql(query)
    check(v != "", f"rbac fixture: no {what} in the demo database ({query})")
    return v.splitlines()[0]


def rb_unique_markers(values, table_col):
    """The strings of values (at least 3 characters) that occur once in table_col ("table.col")."""
    table, col = table_col.split(".")
    out = []
    for v in values:
        if v and len(v) >= 3 and "'" not in v:
            if rb_sql(f"SELECT count(*) FROM {table} WHERE {col} = '{v}'") == "1":
                out.append(v)
    return out


def rb_person_source(pid):
    name, idn, path = rb_sql(f"SELECT name, id_number, org_path FROM person WHERE id = {pid}").split("|")
    return {"ids": [pid], "owner": path, "markers": rb_unique_markers([name], "person.name") + [idn]}


def rb_setup():
    """The database, the accounts and the server (once)."""
    if RB.proc is not None or RB.error is not None:
        check(RB.error is None, f"the RBAC server did not start: {RB.error}")
        return
    try:
        _rb_setup()
    except Failure as ex:
        RB.error = str(ex)
        raise


def _rb_setup():
    RB.db = os.path.join(C.tmp, "rbac.db")
    rc, out, err = run_cli(["routes", "--json"])
    expect_eq(rc, 0, f"jindu routes --json ({err.strip()})")
    table = json.loads(out)
    RB.routes, RB.roles = table["routes"], table["roles"]
    rc, out, err = run_cli(["init", "--db", RB.db, "--demo"], timeout=120)
    expect_eq(rc, 0, f"jindu init --demo ({err.strip()})")
    for code, name, level, parent in (("D99", "他县", "county", None), ("S99", "他县街道", "street", "D99"),
                                      ("C9901", "他县社区", "community", "S99")):
        args = ["org", "add", "--db", RB.db, "--code", code, "--name", name, "--level", level]
        rc, out, err = run_cli(args + (["--parent", parent] if parent else []))
        expect_eq(rc, 0, f"org add {code} ({err.strip()})")
    RB.paths = dict(l.split("|") for l in rb_sql("SELECT code, path FROM org_unit").splitlines())
    made = []
    for pos, units in RB_POSITIONS.items():
        for role, level in RB_ROLE_LEVEL.items():
            org = units.get(level)
            if not org:
                continue
            user = f"rb_{role}_{pos}"
            rc, out, err = run_cli(["user", "add", "--db", RB.db, "--username", user, "--role", role, "--org", org,
                                    "--name", f"矩阵{role}{pos}", "--password-stdin"], stdin=RB_PASSWORD + "\n")
            expect_eq(rc, 0, f"user add {user} ({err.strip()})")
            made.append((user, role, pos, org))
    rb_ids_build()
    RB.start("serve-rbac.log", quiet=True, db=RB.db)
    check(RB.error is None, f"the RBAC server did not start: {RB.error}")
    for user, role, pos, org in made:
        r = hreq("POST", "/api/v1/session", body=jbody({"username": user, "password": RB_PASSWORD}),
                 headers={"Content-Type": "application/json"}, port=RB.port)
        expect_eq(r.status, 200, f"sign-in of {user}: {r.brief()}")
        tok = r.json()["token"]
        pg = hreq("GET", "/account", headers={"Cookie": "jd_session=" + tok}, port=RB.port)
        m = CSRF_RE.search(pg.text)
        check(m, f"no CSRF token on /account for {user}")
        RB.accounts.append((user, role, pos, org, tok, m.group(1)))
    rb_ids_after_start()


def rb_ids_build():
    """The id sources: records of C0101 (or its street S01 / county D01) in the demo database."""
    c = RB.paths["C0101"]
    pid = rb_one(f"SELECT p.id FROM person p WHERE p.org_path = '{c}' AND EXISTS (SELECT 1 FROM person_document d "
                 f"WHERE d.person_id = p.id) AND EXISTS (SELECT 1 FROM person_event e WHERE e.person_id = p.id) "
                 f"ORDER BY p.id LIMIT 1", "person of C0101 with documents and events")
    person_src = rb_person_source(pid)
    RB.ids["persons"] = person_src
    RB.ids["tasks"] = dict(person_src, ids=[rb_one(f"SELECT id FROM person_event WHERE person_id = {pid} "
                                                   f"ORDER BY id LIMIT 1", "event")])
    doc = rb_one(f"SELECT id FROM person_document WHERE person_id = {pid} ORDER BY id LIMIT 1", "document")
    RB.ids["docs"] = dict(person_src, ids=[doc])
    RB.ids["person_documents"] = dict(person_src, ids=[doc])
    sid, spid = rb_one(f"SELECT s.id, s.person_id FROM service s JOIN person p ON p.id = s.person_id WHERE "
                       f"p.org_path = '{c}' ORDER BY s.id LIMIT 1", "service of C0101").split("|")
    RB.ids["services"] = dict(rb_person_source(spid), ids=[sid])
    ap = rb_sql(f"SELECT a.id, p.org_path FROM approval a JOIN person p ON p.id = a.person_id ORDER BY "
                f"(p.org_path = '{c}') DESC LIMIT 1")
    if ap:
        aid, apath = ap.split("|")
        # a transfer is seen by the receiving community's workers too (app/approval.c ap_visible)
        to = rb_sql(f"SELECT o.path FROM approval a JOIN org_unit o ON o.id = a.to_org_id WHERE a.id = {aid}")
        RB.ids["approvals"] = {"ids": [aid], "owner": apath, "markers": [], "also": [to] if to else []}
    for seg, table, idcol, mcol in (("activities", "activity", "activity_id", "title"),
                                    ("surveys", "survey", "survey_id", None),
                                    ("eradications", "eradication", "id", "location"),
                                    ("unit_work", "unit_work", "id", "title"),
                                    ("places", "place", "id", "name")):
        row = rb_sql(f"SELECT t.{idcol}, o.path{', t.' + mcol if mcol else ''} FROM {table} t JOIN org_unit o "
                     f"ON o.id = t.org_id ORDER BY (o.path = '{c}') DESC, (o.path = '{RB.paths['S01']}') DESC, "
                     f"t.id LIMIT 1")
        check(row, f"rbac fixture: no {table} in the demo database")
        parts = row.split("|")
        RB.ids[seg] = {"ids": [parts[0]], "owner": parts[1],
                       "markers": rb_unique_markers(parts[2:3], f"{table}.{mcol}") if mcol else []}
    for seg, table in (("letters", "letter"), ("required", "letter_required")):
        row = rb_one(f"SELECT t.id, o.path FROM {table} t JOIN org_unit o ON o.id = t.org_id ORDER BY "
                     f"length(o.path) DESC, t.id LIMIT 1", table)
        i, path = row.split("|")
        RB.ids[seg] = {"ids": [i], "owner": path, "markers": []}
    row = rb_one("SELECT i.id, o.path FROM inspection i JOIN place p ON p.id = i.place_id JOIN org_unit o "
                 f"ON o.id = p.org_id ORDER BY (o.path = '{c}') DESC LIMIT 1", "inspection")
    i, path = row.split("|")
    RB.ids["inspections"] = {"ids": [i], "owner": path, "markers": []}
    nt = rb_one("SELECT n.id FROM notice n ORDER BY n.id LIMIT 1", "notice")
    RB.ids["notices"] = {"ids": [nt], "owner": "user", "markers": []}
    # an unusual-reading alert of C0101's worker (written as the read limiter would: the fixture
    # needs one, and reaching the limit is suite_harden.py's test)
    wid = rb_one("SELECT u.id FROM app_user u JOIN org_unit o ON o.id = u.org_id WHERE u.role = 'worker' AND "
                 f"o.path = '{c}' ORDER BY u.id LIMIT 1", "worker of C0101")
    rid = rb_sql(f"INSERT INTO read_alert (user_id, org_path, at, per_minute) VALUES ({wid}, '{c}', "
                 f"'2026-06-01T10:00:00+08:00', 61) RETURNING id")
    RB.ids["read_alerts"] = {"ids": [rid], "owner": c, "markers": []}
    # markers of C0101's persons: unique names and full ID numbers (a sample)
    rows = rb_sql(f"SELECT name, id_number FROM person WHERE org_path = '{c}' ORDER BY id LIMIT 15").splitlines()
    RB.markers_c0101 = rb_unique_markers([r.split("|")[0] for r in rows], "person.name") + \
        [r.split("|")[1] for r in rows]


def rb_ids_after_start():
    """Id sources that need the running server: an attachment and an assessment mark of C0101."""
    c = RB.paths["C0101"]
    office = next(a for a in RB.accounts if a[1] == "office" and a[2] == "own")
    worker = next(a for a in RB.accounts if a[1] == "worker" and a[2] == "own")
    year = today().year
    r = hreq("PUT", "/api/v1/assessment/sign", port=RB.port,
             headers={"Authorization": "Bearer " + office[4], "Content-Type": "application/json"},
             body=jbody({"org": "C0101", "year": year, "scheme": "community", "item": rb_manual_item(office, year),
                         "met": "met", "note": "矩阵测试"}))
    check(r.status in (200, 201), f"rbac fixture: sign-off of a manual item: {r.brief()}")
    RB.ids["marks"] = {"ids": [str(r.json()["id"])], "owner": c, "markers": []}
    RB.ids["assess_marks"] = RB.ids["marks"]
    act = RB.ids["activities"]["ids"][0]
    bnd = "RbacBoundary"
    body = (f"--{bnd}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"矩阵.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + b"\x89PNG\r\n\x1a\n" + b"\0" * 64 + f"\r\n--{bnd}--\r\n".encode()
    r = hreq("POST", f"/api/v1/activities/{act}/attachments", body=body, port=RB.port,
             headers={"Authorization": "Bearer " + worker[4], "Content-Type": f"multipart/form-data; boundary={bnd}"})
    check(r.status == 201, f"rbac fixture: an attachment on activity {act}: {r.brief()}")
    RB.ids["attachments"] = {"ids": [str(r.json()["id"])], "owner": RB.ids["activities"]["owner"], "markers": []}


def rb_manual_item(office, year):
    r = hreq("GET", f"/api/v1/assessment?org=C0101&year={year}", port=RB.port,
             headers={"Authorization": "Bearer " + office[4]})
    check(r.status == 200, f"rbac fixture: assessment of C0101: {r.brief()}")
    for u in r.json().get("units", []):
        for it in u.get("items", []):
            if it.get("kind") == "manual":
                return it["key"]
    raise Failure("rbac fixture: no manual item in C0101's assessment")


# {code} routes: the codes of the path, by the first segment after /api/v1/
RB_CODES = {"reports": lambda: ["monthly", "C0101", f"{today().year}-01"],
            "datasets": lambda: ["population", "C0101", str(today().year - 1)]}


def rb_also(pattern):
    """Units that see the records of a route's family besides their owner's
    subtree (the receiving community of a transfer sees the approval)."""
    segs = pattern.strip("/").split("/")
    key = segs[2] if segs[:2] == ["api", "v1"] and len(segs) > 2 else segs[0]
    return RB.ids.get(key, {}).get("also", [])


def rb_build_path(route, missing=False):
    """(path, id source or None); raises Failure naming what to add for an unknown id segment.
    missing: every {id} a number no record has (the answer out of scope must equal it)."""
    pat = route["pattern"]
    segs = pat.strip("/").split("/")
    src = None
    out = []
    for i, s in enumerate(segs):
        if s == "{id}":
            key = segs[i - 1]
            check(key in RB.ids, f"route {route['method']} {pat}: no id source for '{key}/{{id}}' "
                                 f"(add RB.ids['{key}'] in rb_ids_build of tests/integration/suite_rbac.py)")
            src = RB.ids[key]
            out.append("987654321" if missing else str(src["ids"][0]))
        elif s == "{code}":
            key = segs[2] if segs[:2] == ["api", "v1"] else segs[0]
            check(key in RB_CODES, f"route {pat}: no codes for '{key}' (add RB_CODES['{key}'] in suite_rbac.py)")
            n = sum(1 for x in segs[:i] if x == "{code}")
            out.append(RB_CODES[key]()[n])
            src = {"owner": RB.paths["C0101"], "markers": []}
        elif s == "{token}.ics":
            out.append("0123456789abcdef0123456789abcdef.ics")
        else:
            check("{" not in s, f"route {pat}: the matrix does not know the parameter {s} (add it to rb_build_path)")
            out.append(s)
    path = "/" + "/".join(out)
    if "{" not in pat and route["method"] == "GET":
        path += "?org=C0101"  # a list or a unit's page, asked for C0101
    return path, src


def rb_call(route, path, acct):
    user, role, pos, org, tok, csrf = acct
    m = route["method"]
    h = {}
    body = None
    if "api" in route["flags"]:
        h["Authorization"] = "Bearer " + tok
    else:
        h["Cookie"] = "jd_session=" + tok
        h["X-CSRF-Token"] = csrf
    if m != "GET":
        if "upload" in route["flags"]:
            bnd = "RbacEmpty"
            h["Content-Type"] = f"multipart/form-data; boundary={bnd}"
            body = (f"--{bnd}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{bnd}\r\n"
                    f"Content-Disposition: form-data; name=\"reason\"\r\n\r\n矩阵\r\n--{bnd}\r\n"
                    f"Content-Disposition: form-data; name=\"file\"; filename=\"m.png\"\r\n"
                    f"Content-Type: image/png\r\n\r\n").encode() + b"\x89PNG\r\n\x1a\n" + b"\0" * 32 + \
                f"\r\n--{bnd}--\r\n".encode()
        elif "api" in route["flags"]:
            h["Content-Type"] = "application/json"
            body = b"{}"
        else:
            h["Content-Type"] = "application/x-www-form-urlencoded"
            body = b""
    return hreq(m, path, body=body, headers=h, port=RB.port)


def rb_disjoint(a, b):
    """true when neither unit path lies under the other."""
    return not (a.startswith(b) or b.startswith(a))


@test
def rbac_every_route_has_ids():
    """Every route of the table (from `jindu routes --json`) gets a path:
    a route whose {id} or {code} the matrix cannot fill fails here with the
    line to add."""
    rb_setup()
    bad = []
    for rt in RB.routes:
        try:
            rb_build_path(rt)
        except Failure as ex:
            bad.append(str(ex))
    check(not bad, f"{len(bad)} routes without ids: " + " || ".join(bad[:8]))
    check(len(RB.routes) > 200, f"only {len(RB.routes)} routes in the table")


@test
def rbac_matrix_every_route_role_scope():
    """Every route × every account (6 roles × up to 4 positions): never 5xx,
    403 without the row's permissions, 403/404 for a record of a separate
    subtree, and never another subtree's data in the body."""
    rb_setup()
    bad, checks, statuses = [], 0, {}
    started = time.time()
    for rt in RB.routes:
        if (rt["method"], rt["pattern"]) in RB_SKIP:
            continue
        path, src = rb_build_path(rt)
        missing_path, _ = rb_build_path(rt, missing=True)
        # the other county first, the record's own unit last: a write the own unit may make (a
        # deletion) comes after every out-of-scope call of the record
        for acct in reversed(RB.accounts):
            user, role, pos, org, tok, csrf = acct
            apath = RB.paths[org]
            r = rb_call(rt, path, acct)
            checks += 1
            statuses[r.status] = statuses.get(r.status, 0) + 1
            what = f"{rt['method']} {path} as {user}"
            held = set(RB.roles[role])
            lacks = [p for p in rt["perm"] if p not in held]
            if r.status >= 500:
                bad.append(f"{what}: {r.status}")
                continue
            if lacks:
                if r.status != 403:
                    bad.append(f"{what}: {r.status}, expected 403 (lacks {','.join(lacks)})")
                continue
            markers = []
            also = any(apath.startswith(p) for p in rb_also(rt["pattern"]))
            if rb_disjoint(apath, RB.paths["C0101"]) and not also:
                markers += RB.markers_c0101
            if src is not None:
                if src["owner"] == "user":
                    if r.status not in (403, 404):
                        bad.append(f"{what}: {r.status}, expected 403/404 (another user's notice)")
                elif rb_disjoint(apath, src["owner"]) and not also:
                    markers += src.get("markers", [])
                    if "{id}" in rt["pattern"]:
                        # out of scope answers exactly as a record that does not exist (API.md)
                        miss = rb_call(rt, missing_path, acct)
                        checks += 1
                        if 200 <= r.status < 300 or r.status != miss.status:
                            bad.append(f"{what}: {r.status}, a missing id {miss.status} (the record is of "
                                       f"{src['owner']}, the account of {apath})")
            if markers and 200 <= r.status < 300 and r.body:
                text = r.text
                leaked = [m for m in markers if m in text]
                if leaked:
                    bad.append(f"{what}: {r.status} shows {leaked[:3]} of another unit")
    print(f"  rbac: {checks} checks over {len(RB.routes)} routes and {len(RB.accounts)} accounts in "
          f"{time.time() - started:.1f} s; statuses {dict(sorted(statuses.items()))}", flush=True)
    if os.environ.get("RBAC_DUMP"):
        with open(os.environ["RBAC_DUMP"], "w", encoding="utf-8") as f:
            f.write("\n".join(bad))
    check(not bad, f"{len(bad)} of {checks} checks failed: " + " || ".join(bad[:12]))


@test
def rbac_server_stops_clean():
    """The matrix's server exits 0 on SIGTERM and its log has no sanitizer
    report or SQL error."""
    if RB.proc is None:
        return
    RB.stop_clean("the RBAC server", r"AddressSanitizer|runtime error:|Assertion| sql error: ")
