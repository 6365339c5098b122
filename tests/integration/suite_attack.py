"""tests/integration/suite_attack.py: regressions of what the attack tests
of issue 12 point 7 found (fuzz/, docs/SECURITY.md "Fuzzing"), run inside
tests/integration/run.py's namespace (hreq, check, expect_eq, page...).
Each finding keeps the request that showed it, sent to the real server."""


def _multipart_raw(path, ctype, body, headers=None):
    h = {"Content-Type": ctype}
    h.update(headers or {})
    return hreq("POST", path, body=body, headers=h)


@test
def attack_multipart_nameless_part_no_crash():
    """A multipart part whose Content-Disposition names no field (found by
    fuzz/fuzz_multipart.c) took the whole server down with strlen(NULL) in
    web/upload.c, before any sign-in. Now it is ignored: signed out the
    upload route redirects to the sign-in, signed in the form answers as
    without the part, and the server keeps answering."""
    body = (b'--q q\r\nContent-Disposition: form-data;?\x00\x00\x00@a\x00\x00"\r\n\r\nv\r\n--q q--\r\n')
    r = _multipart_raw("/activities/new", 'multipart/form-data; boundary="q q"', body)
    check(r.status in (303, 400), f"signed out: {r.brief()}")
    pg = page("worker_a")
    body2 = (b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + pg.csrf().encode() +
             b"\r\n--XyZ\r\nContent-Disposition: form-data;\r\n\r\nv\r\n--XyZ--\r\n")
    r = _multipart_raw("/activities/new", "multipart/form-data; boundary=XyZ", body2, pg.headers())
    check(r.status < 500, f"signed in: {r.brief()}")
    expect_eq(hreq("GET", "/login").status, 200, "the server still answers")
