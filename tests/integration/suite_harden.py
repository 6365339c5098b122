"""tests/integration/suite_harden.py: hardening (issue 12 points 1, 2, 3,
5, 6), run inside tests/integration/run.py's namespace (its helpers: api,
page, hreq, check, expect_eq, expect_api_error, sql, sql_int, run_cli...).
One client cannot starve the rest (1 500 trickling connections from one
address while another gets its page in under 100 ms; the deadlines of a
request's headers and body), four eyes on every approval (the proposer
never decides: 403; a unit's only office user's own proposal goes to the
office above; moving a person between communities only by a transfer, a
wrong community corrected by its own audited action with a reason;
transfer approvals seen by the deciding offices and the two communities'
workers only), reads that cannot flood the log (429 with Retry-After
beyond the per-minute bound, the unusual-reading alert on the office's
workbench, acknowledged by another; the audit log archived to a file whose
chain the online log continues and `jindu audit verify` checks), names
that are what they look like (NFC, no bidi overrides, zero-width or
control characters), and HTTP details (HEAD on every GET route, HTTP/1.1
without Host → 400, the session cookie Secure when the trusted proxy says
the request came over HTTPS).

The flood, deadline, proxy and read-limit tests talk to a second server
over the same database (HD_ARGS: short deadlines, 127.0.0.1 the trusted
proxy, a read bound of HD_READS a minute), so that the main server's
sessions and buckets are not touched; it is stopped by the last test."""

HD_READS = 8  # the second server's case-file reads a user may make a minute
HD_ARGS = ["--header-timeout", "3", "--body-timeout", "3", "--max-per-address", "16", "--trusted-proxy", "127.0.0.1",
           "--read-limit", str(HD_READS)]


HD = SideServer()


def hd_port():
    """The port of the hardening server (started on first use)."""
    if HD.proc is None and HD.error is None:
        HD.start("serve-harden.log", args=HD_ARGS)
    check(HD.error is None, f"the hardening server did not start: {HD.error}")
    return HD.port


def hd_raw(data, source=None, timeout=5.0, port=None):
    """Sends data (bytes) on a fresh connection to the hardening server (or
    port) and reads until the server closes; returns the bytes read."""
    s = socket.create_connection(("127.0.0.1", port or hd_port()), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def hd_status(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


# ---- 1. one client cannot lock everyone out --------------------------------


@test
def harden_trickle_flood_other_address_served():
    """1 500 connections from 127.0.0.2 that each send one header byte and
    then trickle: the address holds at most --max-per-address of them (the
    rest are closed as they come), every one is closed once the headers'
    deadline (3 s) has passed, and meanwhile 127.0.0.1 gets /login in under
    100 ms, again and again."""
    check(C.alt_sources, "127.0.0.2 cannot be bound here: the flood needs a second source address")
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4000, hard), hard))
    port = hd_port()
    socks = []
    started = time.time()
    try:
        for _ in range(1500):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.bind(("127.0.0.2", 0))
            s.connect_ex(("127.0.0.1", port))
            socks.append(s)
        time.sleep(0.3)
        for s in socks:  # the first byte of "GET / HTTP/1.1"
            try:
                s.send(b"G")
            except OSError:
                pass
        worst = 0.0
        for i in range(8):
            t0 = time.perf_counter()
            r = hreq("GET", "/login", port=port, timeout=5)
            ms = (time.perf_counter() - t0) * 1000
            expect_eq(r.status, 200, f"GET /login from 127.0.0.1 during the flood (try {i + 1})")
            worst = max(worst, ms)
            for s in socks[i::8]:  # keep trickling: one more byte now and then
                try:
                    s.send(b"E")
                except OSError:
                    pass
            time.sleep(0.15)
        check(worst < 100, f"a page for another address took {worst:.0f} ms during the flood (want < 100 ms)")
        # how many the server still holds: a closed one reads b"" (or fails)
        time.sleep(0.5)
        open_now = 0
        for s in socks:
            try:
                if s.recv(1) == b"":
                    continue
                open_now += 1
            except BlockingIOError:
                open_now += 1
            except OSError:
                pass
        check(open_now <= 16 + 2, f"{open_now} of 1500 trickling connections from one address are still held "
                                  f"(the limit is 16 an address)")
        # past the headers' deadline (3 s after they opened, a sweep a second) none is left
        deadline = started + 3 + 4
        while time.time() < deadline:
            left = 0
            for s in socks:
                try:
                    if s.recv(1) != b"":
                        left += 1
                except BlockingIOError:
                    left += 1
                except OSError:
                    pass
            if left == 0:
                break
            time.sleep(0.5)
        check(left == 0, f"{left} trickling connections are still open {time.time() - started:.1f} s after they "
                         f"opened (the headers' deadline is 3 s)")
    finally:
        for s in socks:
            s.close()
    r = hreq("GET", "/login", port=port, source="127.0.0.2", timeout=5)
    expect_eq(r.status, 200, "GET /login from 127.0.0.2 once its connections are gone")


@test
def harden_body_deadline():
    """A request whose headers are in but whose body trickles (a byte every
    half second of the 200 it announced) is closed 3 s (--body-timeout) after
    its headers, not left to hold its connection as long as it keeps talking;
    an honest slow body within the deadline is answered."""
    port = hd_port()
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 200\r\n\r\n")
        t0 = time.time()
        closed_at = None
        while time.time() - t0 < 10:
            try:
                s.sendall(b" ")
            except OSError:
                closed_at = time.time() - t0
                break
            try:
                s.settimeout(0.5)
                if s.recv(4096) == b"":
                    closed_at = time.time() - t0
                    break
            except socket.timeout:
                pass
            except OSError:
                closed_at = time.time() - t0
                break
        check(closed_at is not None, "a trickling body kept its connection for 10 s (the body's deadline is 3 s)")
        check(2.5 <= closed_at <= 6, f"the trickling body was cut {closed_at:.1f} s after its headers (want about 3 s)")
    finally:
        s.close()
    body = json.dumps({"username": "nobody", "password": "x"}).encode()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                  b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        for i in range(0, len(body), 10):
            s.sendall(body[i:i + 10])
            time.sleep(0.1)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    finally:
        s.close()
    expect_eq(hd_status(out), 401, f"a slow but timely body: {short(out)}")


# ---- 6. HTTP details --------------------------------------------------------


@test
def harden_http11_without_host_400():
    """HTTP/1.1 without Host → 400 (RFC 9112 3.2), with a Chinese message;
    with Host, or in HTTP/1.0, the page."""
    out = hd_raw(b"GET /login HTTP/1.1\r\nConnection: close\r\n\r\n", port=C.port)
    expect_eq(hd_status(out), 400, f"HTTP/1.1 without Host: {short(out)}")
    check("Host".encode() in out and has_cjk(out.decode("utf-8", "replace")), f"no Chinese message naming Host: {short(out)}")
    out = hd_raw(b"GET /login HTTP/1.1\r\nHost: jindu\r\nConnection: close\r\n\r\n", port=C.port)
    expect_eq(hd_status(out), 200, f"HTTP/1.1 with Host: {short(out)}")
    out = hd_raw(b"GET /login HTTP/1.0\r\n\r\n", port=C.port)
    expect_eq(hd_status(out), 200, f"HTTP/1.0 without Host: {short(out)}")


@test
def harden_head_every_get_route():
    """HEAD on every GET route of the table answers as GET would (status,
    type, length) without a body: pages, the API, static files."""
    pats = re.findall(r'\{"GET", "([^"]+)", \w+, \w+, [^}]*\}', open(os.path.join(ROOT, "web", "routes.c"),
                                                                      encoding="utf-8").read())
    check(len(pats) > 10, f"found only {len(pats)} GET routes")
    pid = person("pa")["id"]
    aid = sql_int("SELECT coalesce(min(id), 1) FROM approval")
    adm = page("admin")
    bad = []
    for pat in pats:
        path = re.sub(r"\{id\}", str(pid), pat)
        if pat.startswith("/approvals/"):
            path = re.sub(r"/approvals/\d+", f"/approvals/{aid}", path)
        path = re.sub(r"\{[a-z_]+\}", "1", path)
        hdrs = adm.headers()
        if path.startswith("/api/"):
            hdrs = {"Authorization": "Bearer " + api("admin").token}
        g = hreq("GET", path, headers=hdrs)
        h = hreq("HEAD", path, headers=hdrs)
        if h.status == 405 or h.status != g.status or h.body:
            bad.append(f"{path}: GET {g.status}, HEAD {h.status} with {len(h.body)} body bytes")
        elif g.status == 200 and h.header("Content-Type") != g.header("Content-Type"):
            bad.append(f"{path}: HEAD type {h.header('Content-Type')} vs GET {g.header('Content-Type')}")
    check(not bad, f"{len(bad)} GET routes answer HEAD wrongly: {'; '.join(bad[:6])}")


@test
def harden_secure_cookie_behind_https_proxy():
    """Behind the trusted proxy (127.0.0.1 on the hardening server), a
    request it marks X-Forwarded-Proto: https gets its session cookie
    Secure; plain http through it does not; a client that is not the proxy
    cannot ask for it (the header is ignored)."""
    port = hd_port()
    form = urllib.parse.urlencode([("username", "viewer"), ("password", password("viewer"))]).encode()

    def login(hdrs, source=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(hdrs)
        r = hreq("POST", "/login", body=form, headers=h, port=port, source=source)
        expect_eq(r.status, 303, f"sign-in with {hdrs}")
        cookies = [v for k, v in r.headers if k.lower() == "set-cookie" and v.startswith("jd_session=")]
        check(cookies, f"no session cookie: {r.headers}")
        return cookies[0]

    c = login({"X-Forwarded-Proto": "https", "X-Real-IP": "10.1.2.3"})
    check("; Secure" in c, f"HTTPS through the trusted proxy: cookie not Secure: {c}")
    c = login({"X-Forwarded-Proto": "http", "X-Real-IP": "10.1.2.3"})
    check("Secure" not in c, f"plain HTTP through the proxy: cookie Secure: {c}")
    if C.alt_sources:
        c = login({"X-Forwarded-Proto": "https"}, source="127.0.0.3")
        check("Secure" not in c, f"X-Forwarded-Proto from a client that is not the proxy was believed: {c}")


# ---- 2. four eyes -------------------------------------------------------------


def hd_new_person(creator, name, org, birth):
    r = api(creator).post("/api/v1/persons", payload(name, org, birth=birth))
    expect_eq(r.status, 201, f"create {name} in {org} as {creator} ({r.brief()})")
    return r.json()["id"]


@test
def harden_four_eyes_own_risk_override():
    """The admin proposes a risk override: she cannot decide it (403, the
    four-eyes message), neither through the API nor the page; the second
    admin decides it. Nothing is written by the refusal."""
    pid = hd_new_person("worker_a", "四眼风险", "TC1", "19840404")
    r = api("admin").post(f"/api/v1/persons/{pid}/approvals",
                          {"kind": "risk_override", "risk_level": "high", "reason": "多次脱管"})
    expect_eq(r.status, 201, f"admin proposes ({r.brief()})")
    aid = r.json()["id"]
    check(r.json().get("can_decide") is False, f"the proposer is offered the decision: {r.brief()}")
    before = sql(f"SELECT state, coalesce(decided_by, 0) FROM approval WHERE id = {aid}")
    err = expect_api_error(api("admin").post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403,
                           "forbidden", what="the proposer decides her own proposal")
    check("申请人不能审批本人" in err["message"], f"the refusal does not say why: {err}")
    r = page("admin").post(f"/approvals/{aid}/decide", [("decision", "approve")])
    expect_eq(r.status, 403, "the proposer posts the decide form")
    check("申请人不能审批本人" in r.text, "the page's refusal does not say why")
    expect_eq(sql(f"SELECT state, coalesce(decided_by, 0) FROM approval WHERE id = {aid}"), before,
              "the refused decision changed the approval")
    page_text = page("admin").get(f"/approvals/{aid}").text
    check("须由其他审批人员审批" in page_text and 'action="/approvals/' not in page_text.split("须由其他审批人员审批")[1],
          "the approval page offers its proposer the decision form")
    r = api("admin2").post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve", "reason": "同意"})
    expect_eq(r.status, 200, f"the second admin decides ({r.brief()})")


@test
def harden_four_eyes_single_office_goes_up():
    """Street TS1 has one office user: her own transfer of a person from TC1
    to TC2 (both hers to decide) is decided by the office above (the county
    admin), who has it on the workbench as decidable; she has it as hers to
    wait for."""
    pid = hd_new_person("worker_a", "四眼内调", "TC1", "19840505")
    r = api("office").post(f"/api/v1/persons/{pid}/approvals", {"kind": "transfer", "to_org": "TC2"})
    expect_eq(r.status, 201, f"office proposes a transfer in her street ({r.brief()})")
    aid = r.json()["id"]
    expect_api_error(api("office").post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403,
                     "forbidden", what="the street's only office user decides her own transfer")
    items = api("office").get("/api/v1/worklist?per_page=200").json()["items"]
    mine = [i for i in items if i.get("approval_id") == aid]
    check(mine and mine[0]["can_decide"] is False, f"the proposer's work list: {mine}")
    items = api("admin").get("/api/v1/worklist?per_page=200").json()["items"]
    up = [i for i in items if i.get("approval_id") == aid]
    check(up and up[0]["can_decide"] is True, f"the office above does not have it to decide: {up}")
    r = api("admin").post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"})
    expect_eq(r.status, 200, f"the office above decides ({r.brief()})")


@test
def harden_transfer_seen_by_deciders_and_workers_only():
    """A transfer from TC3 into TC1: the receiving street's office decides
    it and TC1's social worker sees it (she will take the person); TC1's
    police liaison and cadre do not (404, as a missing one), nor in their
    lists; the sending side sees it through the person."""
    pid = hd_new_person("admin", "四眼迁入", "TC3", "19840606")
    r = api("office_b").post(f"/api/v1/persons/{pid}/approvals", {"kind": "transfer", "to_org": "TC1"})
    expect_eq(r.status, 201, f"TS2's office proposes the transfer into TC1 ({r.brief()})")
    aid = r.json()["id"]
    for who in ("office", "worker_a"):
        expect_eq(api(who).get(f"/api/v1/approvals/{aid}").status, 200, f"{who} sees the transfer into TC1")
        ids = [a["id"] for a in api(who).get("/api/v1/approvals?state=pending").json()["items"]]
        check(aid in ids, f"{who}'s list misses the transfer into TC1")
    missing = api("police").get("/api/v1/approvals/987654321")
    for who in ("police", "cadre_a"):
        r = api(who).get(f"/api/v1/approvals/{aid}")
        expect_eq(r.status, 404, f"{who} of the receiving community reads the transfer")
        expect_eq(r.body, missing.body, f"{who}: the 404 differs from a missing approval's")
        ids = [a["id"] for a in api(who).get("/api/v1/approvals?state=all").json()["items"]]
        check(aid not in ids, f"{who}'s list shows the transfer into TC1")
    expect_api_error(api("office_b").post(f"/api/v1/approvals/{aid}/decide", {"decision": "approve"}), 403,
                     "forbidden", what="the proposer (sending office) decides")
    r = api("office").post(f"/api/v1/approvals/{aid}/decide", {"decision": "reject", "reason": "未联系接收社区"})
    expect_eq(r.status, 200, f"the receiving office decides ({r.brief()})")


@test
def harden_org_only_by_transfer_or_correction():
    """PATCH org (a move that skips the transfer) is refused for the office
    and the admin (400 on org, saying how); the correction of a wrongly
    entered community is its own action: offices only (403 otherwise), a
    reason required, a community in scope other than the current one,
    audited with both communities and the reason; nothing written by a
    refusal."""
    pid = hd_new_person("worker_a", "四眼更正", "TC1", "19840707")

    def state():
        return sql(f"SELECT org_id, version, (SELECT count(*) FROM person_revision WHERE person_id = {pid}),"
                   f" (SELECT count(*) FROM audit_log WHERE entity = 'person' AND entity_id = {pid} AND action <> 'read')"
                   f" FROM person WHERE id = {pid}")

    before = state()
    for who in ("office", "admin"):
        err = expect_api_error(api(who).patch(f"/api/v1/persons/{pid}", {"org": "TC2"}), 400, "invalid", "org",
                               what=f"{who} moves a person by PATCH")
        check("变更执行地" in err["fields"]["org"], f"the refusal does not name the transfer: {err}")
    r = api("office").patch(f"/api/v1/persons/{pid}", {"org": "TC1", "phone": "13900000001"})
    expect_eq(r.status, 200, f"a PATCH naming the same community ({r.brief()})")
    before = state()
    url = f"/api/v1/persons/{pid}/org_correction"
    expect_api_error(api("worker_a").post(url, {"org": "TC2", "reason": "录错"}), 403, "forbidden",
                     what="a worker corrects the community")
    expect_api_error(api("office").post(url, {"org": "TC2"}), 400, "invalid", "reason", what="no reason")
    expect_api_error(api("office").post(url, {"org": "TC2", "reason": "  "}), 400, "invalid", "reason", what="blank reason")
    expect_api_error(api("office").post(url, {"org": "TC1", "reason": "录错"}), 400, "invalid", "org", what="same community")
    expect_api_error(api("office").post(url, {"org": "TC3", "reason": "录错"}), 400, "invalid", "org",
                     what="a community outside the office's scope")
    expect_api_error(api("office").post(url, {"org": "TS1", "reason": "录错"}), 400, "invalid", "org",
                     what="a street, not a community")
    expect_api_error(api("office").post(url, {"org": "TC2", "reason": "录错", "extra": 1}), 400, "invalid",
                     what="an unknown field")
    expect_api_error(api("office_b").post(url, {"org": "TC3", "reason": "录错"}), 404, "not_found",
                     what="another street's office")
    expect_eq(state(), before, "a refused correction wrote something")
    r = api("office").post(url, {"org": "TC2", "reason": "建档时误选甲社区"})
    expect_eq(r.status, 200, f"the office corrects the community ({r.brief()})")
    expect_eq(r.json().get("org"), "TC2", "the corrected case file's org")
    detail = sql(f"SELECT detail FROM audit_log WHERE entity = 'person' AND entity_id = {pid} AND action = 'org_correct'")
    check('from_org="TC1"' in detail and 'to_org="TC2"' in detail and "建档时误选甲社区" in detail,
          f"the correction's audit row: {detail!r}")
    text = page("office").get(f"/persons/{pid}").text
    check("/org_correction" in text, "the case file offers the office no correction form")
    check("/org_correction" not in page("worker_b").get(f"/persons/{pid}").text, "a worker is offered the correction form")
    edit = page("office").get(f"/persons/{pid}/edit").text
    check('name="org" value="TC2"' in edit and "<select" not in edit.split('name="org"')[0][-300:],
          "the edit form still lets the community be chosen")


# ---- 3. reads that cannot flood the log ---------------------------------------------


@test
def harden_read_limit_429_and_alert():
    """On the hardening server (HD_READS case-file reads a user a minute):
    worker_b reads a file HD_READS times, the next read answers 429 with
    Retry-After (seconds until a read is back) and writes no audit row; an
    unusual-reading alert is raised once, shown on the workbench of TS1's
    office (and the API), not to worker_b, acknowledged by the office (not
    by the reader herself), then gone; another user reads on meanwhile."""
    port = hd_port()
    pid = hd_new_person("worker_b", "读取上限", "TC2", "19840808")
    wb = api("worker_b").at(port)
    uid = sql_int("SELECT id FROM app_user WHERE username = 'worker_b'")
    alerts_before = sql_int(f"SELECT count(*) FROM read_alert WHERE user_id = {uid}")
    for i in range(HD_READS):
        r = wb.get(f"/api/v1/persons/{pid}")
        expect_eq(r.status, 200, f"read {i + 1} of {HD_READS}")
    audit_sql = f"SELECT count(*) FROM audit_log WHERE actor = 'worker_b' AND action = 'read'"
    run_cli(["audit", "verify", "--db", C.db])  # (a read barrier: nothing to check here)
    time.sleep(0.2)
    reads = sql_int(audit_sql)
    r = wb.get(f"/api/v1/persons/{pid}")
    err = expect_api_error(r, 429, "throttled", what=f"read {HD_READS + 1} in the minute")
    check(has_cjk(err["message"]), f"the 429 has no Chinese message: {err}")
    ra = r.header("Retry-After")
    check(ra and ra.isdigit() and 1 <= int(ra) <= 60 // HD_READS + 1, f"Retry-After {ra!r} (want 1..{60 // HD_READS + 1})")
    expect_eq(wb.get(f"/api/v1/persons/{pid}/schedule").status, 429, "the schedule of the file")
    r = hreq("GET", f"/persons/{pid}", headers=page("worker_b").headers(), port=port)
    expect_eq(r.status, 429, "the case-file page")
    time.sleep(0.3)
    expect_eq(sql_int(audit_sql), reads, "refused reads wrote audit rows")
    expect_eq(sql_int(f"SELECT count(*) FROM read_alert WHERE user_id = {uid}"), alerts_before + 1,
              "one alert for the refusals")
    expect_eq(api("worker_a").at(port).get(f"/api/v1/persons/{person('pa')['id']}").status, 200,
              "another user reads on")
    aid = sql_int(f"SELECT max(id) FROM read_alert WHERE user_id = {uid}")
    items = api("office").get("/api/v1/read_alerts").json()["items"]
    check(any(i["id"] == aid and i["user"] == "worker_b" for i in items), f"the office's alerts: {items}")
    check("异常读取提醒" in page("office").get("/work").text, "the office's workbench shows no alert")
    expect_eq(api("worker_b").get("/api/v1/read_alerts").json()["total"], 0, "a worker's alerts")
    expect_eq(api("office_b").get("/api/v1/read_alerts").json()["items"], [], "another street's office sees the alert")
    expect_api_error(api("worker_b").post(f"/api/v1/read_alerts/{aid}/ack"), 403, "forbidden", what="the reader acks")
    expect_api_error(api("office_b").post(f"/api/v1/read_alerts/{aid}/ack"), 404, "not_found",
                     what="another street's office acks")
    r = page("office").post(f"/read_alerts/{aid}/ack", [])
    expect_eq(r.status, 303, f"the office acknowledges the alert ({r.brief()})")
    expect_api_error(api("office").post(f"/api/v1/read_alerts/{aid}/ack"), 409, "conflict", what="acknowledged twice")
    check(not any(i["id"] == aid for i in api("admin").get("/api/v1/read_alerts").json()["items"]),
          "an acknowledged alert is still listed")
    check(sql_int(f"SELECT count(*) FROM audit_log WHERE entity = 'read_alert' AND entity_id = {aid}") == 2,
          "the alert and its acknowledgement are not both audited")


@test
def harden_audit_archive_chain_continues():
    """`jindu audit archive` moves the rows older than a date at least six
    months back into a file (a younger date: exit 2, nothing moved; an
    existing file: exit 1); `audit verify` checks the archive file and the
    online chain that goes on from it, also after new rows; a changed
    archive file, or an online row removed, fails verification."""
    d = os.path.join(C.tmp, "archive")
    os.makedirs(d, exist_ok=True)
    db = os.path.join(d, "a.db")
    old = dict(os.environ, JINDU_NOW="1735700000")  # 2025-01-01
    for args in (["init", "--db", db], ["org", "add", "--db", db, "--code", "C0", "--name", "县", "--level", "county"],
                 ["org", "add", "--db", db, "--code", "S0", "--name", "街", "--level", "street", "--parent", "C0"]):
        p = subprocess.run([C.jindu] + args, env=old, capture_output=True)
        expect_eq(p.returncode, 0, f"jindu {' '.join(args)}: {p.stderr!r}")
    rows = sql_int("SELECT count(*) FROM audit_log", db=db)
    check(rows >= 2, f"only {rows} audit rows")
    young = (today() - datetime.timedelta(days=120)).isoformat()
    arch = os.path.join(d, "audit-2025.jsonl")
    rc, out, err = run_cli(["audit", "archive", "--db", db, "--before", young, "--to", arch])
    expect_eq(rc, 2, f"a date under six months back: {err}")
    check("6 months" in err and not os.path.exists(arch), f"{err!r}")
    rc, out, err = run_cli(["audit", "archive", "--db", db, "--before", "2025-03-01", "--to", arch])
    expect_eq(rc, 0, f"archive: {err}")
    expect_eq(sql_int("SELECT count(*) FROM audit_log WHERE at < '2025-03-01'", db=db), 0, "archived rows left online")
    with open(arch, encoding="utf-8") as f:
        lines = f.read().splitlines()
    expect_eq(len(lines), rows + 1, "archive lines (header and rows)")
    check(oct(os.stat(arch).st_mode & 0o777) == "0o600", "the archive file is readable by others")
    run_cli(["org", "add", "--db", db, "--code", "S1", "--name", "街二", "--level", "street", "--parent", "C0"])
    rc, out, err = run_cli(["audit", "verify", "--db", db])
    expect_eq(rc, 0, f"verify after the archive: {out} {err}")
    check("archive" in out and "intact" in out, f"verify does not check the archive: {out}")
    rc, out, err = run_cli(["audit", "archive", "--db", db, "--before", "2025-03-01", "--to", arch])
    expect_eq(rc, 1, "archiving again (nothing older, the file exists)")
    # a changed archive file fails
    with open(arch, encoding="utf-8") as f:
        text = f.read()
    bad = os.path.join(d, "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, os.path.basename(arch)), "w", encoding="utf-8") as f:
        f.write(text.replace("县", "乡", 1))
    rc, out, err = run_cli(["audit", "verify", "--db", db, "--archive-dir", bad])
    expect_eq(rc, 1, f"verify with a changed archive file: {out} {err}")
    # an online row removed (a copy) fails
    cp = os.path.join(d, "b.db")
    shutil.copy(db, cp)
    sql("DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)", db=cp)
    rc, out, err = run_cli(["audit", "verify", "--db", cp])
    expect_eq(rc, 1, f"verify with the first online row removed: {out} {err}")


# ---- 5. names are what they look like ------------------------------------------------


@test
def harden_names_refuse_invisible():
    """A person's name or a help-team member's with a right-to-left
    override, a zero-width space, a BOM, a line separator, a private-use
    character or a noncharacter is refused (400, a Chinese message on the
    field) with nothing written, through the API and the form."""
    before = snapshot()
    for bad in ("张\u202e三", "张\u200b三", "\ufeff张三", "张\u2028三", "张\ue000三", "张\ufdd0三", "张\u2066三\u2069"):
        p = payload(bad, "TC1", birth="19840909")
        err = expect_api_error(api("worker_a").post("/api/v1/persons", p), 400, "invalid", "name",
                               what=f"name {bad!r}")
        check("不可见字符" in err["fields"]["name"], f"the message for {bad!r}: {err}")
        p = payload("张三丰", "TC1", birth="19840909")
        p["help_team"] = [{"role": "家属", "name": bad, "phone": "13900139000"}]
        err = expect_api_error(api("worker_a").post("/api/v1/persons", p), 400, "invalid", "help_team",
                               what=f"help-team name {bad!r}")
        check("不可见字符" in err["fields"]["help_team"], f"the team message for {bad!r}: {err}")
    pid = person("pa")["id"]
    expect_api_error(api("worker_a").patch(f"/api/v1/persons/{pid}", {"name": "李\u202e测甲"}), 400, "invalid", "name",
                     what="PATCH a name with an override")
    assert_unchanged(before, "refused names")


@test
def harden_names_stored_nfc():
    """Names are stored in NFC with one separator: a name typed with a
    combining accent, a compatibility ideograph or the katakana middle dot
    is stored as its composed, unified, U+00B7 form (the help team's too),
    and is found by the form a person types."""
    p = payload("Jose\u0301\uf91d\u30fb艾力", "TC1", birth="19841010")
    p["help_team"] = [{"role": "家属", "name": "阿依\u30fb古丽\ufe00", "phone": "13900139000"}]
    r = api("worker_a").post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"create ({r.brief()})")
    pid = r.json()["id"]
    want = "Jos\u00e9\u6b04\u00b7艾力"
    expect_eq(r.json()["name"], want, "the name answered")
    expect_eq(sql(f"SELECT hex(name) FROM person WHERE id = {pid}"), want.encode().hex().upper(), "the name stored")
    expect_eq(sql(f"SELECT hex(name) FROM help_member WHERE person_id = {pid}"),
              "阿依\u00b7古丽".encode().hex().upper(), "the help-team name stored")
    r = api("worker_a").get("/api/v1/persons?q=" + urllib.parse.quote("Jos\u00e9"))
    check(any(i["id"] == pid for i in r.json()["items"]), f"search by the composed form: {r.brief()}")


# ---- last: the hardening server stops cleanly ------------------------------------------


@test
def harden_server_stops_clean():
    """The hardening server exits 0 on SIGTERM and its log holds no
    sanitizer report, lost audit read or SQL error; it logged the refused
    and cut connections of the flood."""
    if HD.proc is None:
        return
    HD.stop_clean("the hardening server",
                  r"AddressSanitizer|LeakSanitizer|runtime error:|LOST read record|could not record|Assertion| sql error: ")
