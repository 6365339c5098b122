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
import atexit

HD_READS = 8  # the second server's case-file reads a user may make a minute
HD_ARGS = ["--header-timeout", "3", "--body-timeout", "3", "--max-per-address", "16", "--trusted-proxy", "127.0.0.1",
           "--read-limit", str(HD_READS)]


class _Hd:
    proc = None
    port = None
    log = None
    error = None


HD = _Hd()


def _hd_kill():
    if HD.proc is not None and HD.proc.poll() is None:
        HD.proc.kill()


atexit.register(_hd_kill)


def hd_port():
    """The port of the hardening server (started on first use)."""
    if HD.proc is None and HD.error is None:
        HD.log = os.path.join(C.tmp, "serve-harden.log")
        HD.proc, HD.port, HD.error = spawn_server(HD.log, args=HD_ARGS)
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
