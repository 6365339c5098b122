"""tests/integration/suite_gaps.py: the gaps closed after issues 10 and 11,
run inside tests/integration/run.py's namespace (its helpers: api, page,
check, expect_eq, expect_api_error, sql, sql_int, xlsx_rows...): the
activities of the ledger in the work-summary draft (issue 11 point 6), the
letters as a statistics provider with its drill-down (签订率), partner
places linked to activities, and the right to attach following the right
to write the owning record."""


def gp_half():
    """This half-year's code and a day in it not after today (ISO)."""
    t = today()
    first = datetime.date(t.year, 1 if t.month <= 6 else 7, 1)
    day = max(first, t - datetime.timedelta(days=2))
    return f"{t.year}H{1 if t.month <= 6 else 2}", day.isoformat()


def gp_activity(client, org, day, title, **kw):
    a = {"org": org, "date": day, "kind": "lecture", "settings": ["school", "family"], "campaign": "626",
         "title": title, "partners": "", "audience": ["students"], "participants": 120, "consultations": 3,
         "materials": {"leaflets": 200, "banners": 1}, "notes": ""}
    a.update(kw)
    r = client.post("/api/v1/activities", a)
    expect_eq(r.status, 201, f"POST /api/v1/activities ({r.brief()})")
    return r.json()


@test
def gp_summary_activities():
    """The half-year draft names the activities of the unit's subtree from
    the ledger (date, title, kind, 六进 settings, participants, printed
    materials) and counts all of them with their participants, as the
    ledger's list totals them; the .docx and the page say the same; another
    street's activity is not in the street's draft (the county's holds both)."""
    half, day = gp_half()
    gp_activity(api("worker_a"), "TC1", day, "摘要测试讲座甲", participants=137)
    gp_activity(api("worker_b"), "TC2", day, "摘要测试巡展乙", kind="exhibition", settings=["village"],
                participants=41, materials={"boards": 6})
    gp_activity(api("office_b"), "TC3", day, "外街道活动丙", participants=999)
    s = api("office").get(f"/api/v1/summary?org=TS1&period={half}")
    expect_eq(s.status, 200, f"GET /api/v1/summary ({s.brief()})")
    text = s.json()["text"]
    lst = api("office").get(f"/api/v1/activities?org=TS1&period={half}").json()
    tot = lst["totals"]
    check(f"本期共开展禁毒宣传教育活动{tot['activities']}场次，参与群众{tot['participants']}人次" in text,
          f"the count and participants as the ledger's list totals them ({tot}): {short(text)}")
    check(f"发放、张贴宣传品{tot['materials_printed']}份（件）" in text, "the printed materials of the period")
    check("摘要测试讲座甲（讲座，进学校、进家庭，137人参加，宣传品201份）" in text,
          f"the lecture with its kind, settings, participants and materials: {short(text)}")
    check("摘要测试巡展乙（展览/巡展，进农村，41人参加，宣传品6份）" in text, "the exhibition of the other community")
    check("外街道活动丙" not in text, "another street's activity is not in the street's draft")
    r = api("office").get(f"/api/v1/summary?org=TS1&period={half}&format=docx")
    expect_eq(r.status, 200, "the .docx")
    body = "\n".join(rp_docx_text(r.body))
    check("摘要测试讲座甲" in body and "外街道活动丙" not in body, "the .docx names the street's activities only")
    t = page("office").get(f"/summary?org=TS1&period={half}").text
    check("摘要测试巡展乙" in t and "外街道活动丙" not in t, "the summary page too")
    t2 = api("office_b").get(f"/api/v1/summary?org=TS2&period={half}").json()["text"]
    check("外街道活动丙" in t2 and "摘要测试讲座甲" not in t2, "the other street's draft has its own only")
    c = api("admin").get(f"/api/v1/summary?org=T0&period={half}").json()["text"]
    check("外街道活动丙" in c and "摘要测试讲座甲" in c, "the county's draft holds both streets'")


@test
def gp_letters_stats():
    """签订率 as a statistics measure: /api/v1/stats's letters_rate equals
    the letters ledger's rate (required signers that signed ÷ required),
    letters the letters signed; /api/v1/stats/items lists the records behind
    each part (letters, required signers with their letter or none), as a
    page and an .xlsx, audited; another street's office gets 404; a unit
    requiring nothing has "—" (value null)."""
    y = today().year
    o = api("office")
    for body in ({"org": "TS1", "year": y, "kind": "eradication", "signer_org": "TC1"},
                 {"org": "TS1", "year": y, "kind": "eradication", "signer_org": "TC2"}):
        r = o.post("/api/v1/letters/required", body)
        check(r.status in (201, 409), f"require {body}: {r.brief()}")
    r = o.post("/api/v1/letters", {"org": "TS1", "year": y, "kind": "eradication", "signer_org": "TC1",
                                   "signed_date": today().isoformat()})
    check(r.status in (201, 409), f"the letter of TC1: {r.brief()}")
    led = o.get(f"/api/v1/letters?org=TS1&year={y}").json()
    st = o.get(f"/api/v1/stats?org=TS1&period={y}").json()
    lr = st["rates"]["letters_rate"]
    expect_eq((lr["num"], lr["den"]), (led["rate"]["num"], led["rate"]["den"]), "letters_rate as the ledger's 签订率")
    expect_eq(lr["value"], led["rate"]["value"], "the same value")
    check(led["rate"]["den"] >= 2 and led["rate"]["num"] >= 1, f"something to count: {led['rate']}")
    expect_eq(st["counts"]["letters"], led["total"], "letters signed (every kind of the year)")
    audits = sql_int("SELECT count(*) FROM audit_log WHERE action = 'stats_items'")
    q = f"org=TS1&period={y}&measure=letters_rate"
    den = o.get(f"/api/v1/stats/items?{q}&part=den&per_page=200").json()
    expect_eq(den["total"], lr["den"], "the required signers behind the denominator")
    expect_eq(len(den["items"]), lr["den"], "each listed")
    check(all(i["record"] == "letter_required" for i in den["items"]), "records, not persons")
    unsigned = [i for i in den["items"] if i["letter_id"] is None]
    expect_eq(len(unsigned), lr["den"] - lr["num"], "the missing signers have no letter")
    check(any(i["signer_name"] == "乙社区" and i["kind"] == "禁种铲毒责任书" for i in unsigned), f"乙社区 missing: {unsigned}")
    num = o.get(f"/api/v1/stats/items?{q}&part=num").json()
    expect_eq(num["total"], lr["num"], "the numerator's signers")
    check(all(i["letter_id"] and i["signed_date"] for i in num["items"]), "each with its letter")
    lt = o.get(f"/api/v1/stats/items?org=TS1&period={y}&measure=letters").json()
    expect_eq(sorted(i["id"] for i in lt["items"]), sorted(l["id"] for l in led["items"]), "the letters themselves")
    check(sql_int("SELECT count(*) FROM audit_log WHERE action = 'stats_items'") >= audits + 3, "each read audited")
    t = page("office").get(f"/stats/items?{q}&part=den").text
    check("乙社区" in t and "未签订" in t and "/letters/" in t, "the page lists the signers, linked to the letters")
    x = o.get(f"/api/v1/stats/items?{q}&part=den&format=xlsx")
    expect_eq(x.status, 200, "the .xlsx")
    rows = xlsx_rows(x.body)
    names = [c.get("E") for n, c in sorted(rows.items()) if n > 2]
    check("乙社区" in names and len(names) == lr["den"], f"the .xlsx holds the signers: {names}")
    expect_api_error(api("office_b").get(f"/api/v1/stats/items?{q}&part=den"), 404, "not_found", what="another street")
    b = api("office_b").get(f"/api/v1/stats?org=TS2&period={y}").json()["rates"]["letters_rate"]
    expect_eq((b["den"], b["value"]), (0, None), "nothing required: the rate is —")
    expect_api_error(o.get(f"/api/v1/stats/items?org=TS1&period={y}&measure=letters&part=den"), 400, "invalid", "part",
                     what="a count has no denominator")
