"""tests/integration/suite_report_pages.py: the pages of reports, data
quality, summaries and assessment (issue 11) driven as a browser would
post them, for what suite_reports.py and suite_assessment.py test through
the API: another street's unit answers 404 exactly as a missing one, bad
input 400 with the message on the page and nothing written, a role that
may not write 403. Runs inside tests/integration/run.py's namespace."""


@test
def rpp_scope_and_bad_input():
    """GET /reports, /quality, /summary for another street → 404; unknown
    units, forms, rules and periods → 400 or 404 with a message; POST
    /reports/notes with notes too long, of another street, by the viewer;
    POST /summary/docx too long; nothing written."""
    month, _ = rp_last_month()
    y = today().year
    ob, o = page("office_b"), page("office")
    for path in (f"/reports?form=monthly&org=TS1&period={month}", "/quality?org=TS1", f"/summary?org=TS1&period={y}H1",
                 f"/reports?form=monthly&org=TC1&period={month}", "/quality?org=TC1", "/summary?org=TC1"):
        r = ob.get(path)
        expect_eq(r.status, 404, f"another street's {path}")
        check("一号" not in r.text, f"{path}: the other street's unit is named on the 404 page")
    for path, status in ((f"/reports?form=weekly&org=TS1&period={month}", 404),
                                (f"/reports?form=monthly&org=TS1&period=2026-13", 400),
                                ("/quality?org=NOPE", 400), ("/quality?org=TS1&rule=nope", 400),
                                ("/summary?org=TS1&period=2026W3", 400),
                                (f"/summary?org=TS1&from={y}-03-01&to={y}-02-01", 400)):
        r = o.get(path)
        expect_eq(r.status, status, f"GET {path}")
        check('role="alert"' in r.text or 'has-error' in r.text or status == 404, f"GET {path}: no message shown")
    before = rp_counts()
    base = [("form", "monthly"), ("org", "TS1"), ("period", rp_this_month())]
    r = o.post("/reports/notes", base + [("notes", "注" * 501)])
    expect_eq(r.status, 400, "notes of 501 characters through the page")
    r = ob.post("/reports/notes", base + [("notes", "别的街道写的")])
    expect_eq(r.status, 404, "notes on another street's form")
    r = page("viewer").post("/reports/notes", [("form", "monthly"), ("org", "TC3"), ("period", rp_this_month()),
                                               ("notes", "只读角色")])
    expect_eq(r.status, 403, "the viewer writes notes")
    r = o.post("/reports/notes", [("form", "weekly"), ("org", "TS1"), ("period", rp_this_month()), ("notes", "x")])
    check(r.status in (400, 404), f"notes on an unknown form: {r.status}")
    r = ob.post("/reports/submit", [("form", "monthly"), ("org", "TS1"), ("period", month)])
    expect_eq(r.status, 404, "submitting another street's month")
    r = ob.post("/reports/unlock", [("form", "monthly"), ("org", "TS1"), ("period", month), ("reason", "越权")])
    expect_eq(r.status, 404, "unlocking another street's month")
    rp_unchanged(before, "refused page posts")
    r = o.post("/summary/docx", [("title", "题" * 101), ("text", "x")])
    expect_eq(r.status, 400, "a title of 101 characters")
    r = o.post("/summary/docx", [("title", "总结"), ("text", "字" * 20001)])
    expect_eq(r.status, 400, "a text of 20001 characters")


@test
def rpp_pages_escape():
    """Notes typed with markup come back escaped on the report page."""
    o = page("office")
    r = o.post("/reports/notes", [("form", "monthly"), ("org", "TS1"), ("period", rp_this_month()),
                                  ("notes", "<script>alert(1)</script>&注")])
    expect_eq(r.status, 303, f"notes through the page ({r.brief()})")
    t = o.get(f"/reports?form=monthly&org=TS1&period={rp_this_month()}").text
    check("<script>alert(1)</script>" not in t and "&lt;script&gt;alert(1)&lt;/script&gt;&amp;注" in t,
          "the notes are escaped")
