"""tests/integration/suite_zgaps.py: the gaps closed after issues 10 and 11,
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
    for _ in range(50):  # reads' audit rows are group-committed: a few milliseconds later
        if sql_int("SELECT count(*) FROM audit_log WHERE action = 'stats_items'") >= audits + 3:
            break
        time.sleep(0.05)
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


def gp_place(who, org, name, kind="school"):
    p = {"org": org, "kind": kind, "name": name, "address": "测试路2号", "contact": "王老师", "phone": "13900002222",
         "licence_no": "", "notes": ""}
    if kind == "venue":
        p["category"] = "ktv"
    r = api(who).post("/api/v1/places", p)
    expect_eq(r.status, 201, f"POST place {name} ({r.brief()})")
    return r.json()["id"]


@test
def gp_activity_places():
    """Partner places as links (activity_place): an activity names the
    registered places it was held with (ids, chosen from the places in
    scope), kept per version (a correction links its own, the old version
    keeps its); shown on the activity page and in the .xlsx; the text stays
    for names not registered; a place of another street, a deactivated one,
    an unknown id or a malformed list is refused with nothing written."""
    s1 = gp_place("worker_a", "TC1", "关联甲校")
    s2 = gp_place("office", "TC1", "关联测试企业", kind="enterprise")
    far = gp_place("office_b", "TC3", "外街道乙校")
    gone = gp_place("office", "TC1", "已停用测试场所")
    expect_eq(api("office").post(f"/api/v1/places/{gone}/deactivate", {"reason": "关闭"}).status, 200, "deactivate")
    a = api("worker_a")
    half, day = gp_half()
    body = {"org": "TC1", "date": day, "kind": "lecture", "settings": ["school"], "title": "场所关联测试讲座",
            "partners": "未登记的社区卫生站", "places": [s1, s2, s1], "participants": 50}
    r = a.post("/api/v1/activities", body)
    expect_eq(r.status, 201, f"an activity with two places ({r.brief()})")
    j = r.json()
    expect_eq(sorted(p["id"] for p in j["places"]), sorted([s1, s2]), "linked once each")
    expect_eq(j["partners"], "未登记的社区卫生站", "the text stays")
    aid = j["id"]
    for bad, what in (([far], "another street's place"), ([gone], "a deactivated place"), ([987654], "no such place"),
                      ("1,2", "not an array"), ([0], "not an id")):
        before = sql("SELECT (SELECT count(*) FROM activity),(SELECT count(*) FROM activity_place)")
        expect_api_error(a.post("/api/v1/activities", dict(body, places=bad)), 400, "invalid", "places", what=what)
        expect_eq(sql("SELECT (SELECT count(*) FROM activity),(SELECT count(*) FROM activity_place)"), before,
                  f"{what}: nothing written")
    expect_api_error(a.post("/api/v1/activities", dict(body, places=list(range(1, 23)))), 400, "invalid", "places",
                     what="more than 20")
    # the office of the street may link a place of either community; worker_b (TC2) may not link TC1's
    expect_api_error(api("worker_b").post("/api/v1/activities", dict(body, org="TC2", places=[s1])), 400, "invalid",
                     "places", what="a place of the other community, for its worker")
    r = a.call("PUT", f"/api/v1/activities/{aid}", obj=dict(body, places=[s2], reason="场所更正"))
    expect_eq(r.status, 200, f"a correction ({r.brief()})")
    expect_eq([p["id"] for p in r.json()["places"]], [s2], "the new version's places")
    h = a.get(f"/api/v1/activities/{aid}?history=1").json()["history"]
    expect_eq([sorted(p["id"] for p in v["places"]) for v in h], [[s2], sorted([s1, s2])], "each version keeps its own")
    expect_api_error(a.call("PUT", f"/api/v1/activities/{aid}", obj=dict(body, places=[far], reason="x")), 400,
                     "invalid", "places", what="a correction to another street's place")
    t = page("worker_a").get(f"/activities/{aid}").text
    check("关联测试企业" in t and f'href="/places/{s2}"' in t, "the activity page shows the place, linked")
    t = page("worker_a").get("/activities/new").text
    check('name="places"' in t and "关联甲校" in t and "外街道乙校" not in t and "已停用测试场所" not in t,
          "the picker offers the active places in scope only")
    pg = page("worker_a")
    form = [("_csrf", pg.csrf()), ("org", "TC1"), ("date", day), ("title", "表单关联场所"), ("kind", "lecture"),
            ("places", str(s1)), ("participants", "10"), ("campaign", "")]
    body_mp, ct = multipart(fields=form)
    r = hreq("POST", "/activities/new", body=body_mp, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 303, f"the form with a place ({r.brief()})")
    fid = int(re.match(r"/activities/(\d+)", r.header("Location")).group(1))
    expect_eq([p["id"] for p in a.get(f"/api/v1/activities/{fid}").json()["places"]], [s1], "linked from the form")
    body_mp, ct = multipart(fields=[f if f[0] != "places" else ("places", str(far)) for f in form])
    r = hreq("POST", "/activities/new", body=body_mp, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 400, "the form with another street's place")
    x = a.get(f"/api/v1/activities?org=TC1&period={half}&format=xlsx")
    expect_eq(x.status, 200, "the .xlsx")
    rows = xlsx_rows(x.body)
    head = rows[2]
    col = [k for k, v in head.items() if v == "合作场所（已登记）"]
    check(col, f"the .xlsx has the column: {head}")
    vals = [c.get(col[0]) for n, c in rows.items() if n > 2 and c.get("I") == "场所关联测试讲座"]
    expect_eq(vals, ["关联测试企业"], "the linked place in the .xlsx")


@test
def gp_police_inspection_photos():
    """The right to attach follows the right to write the record: the
    police liaison, who records venue inspections and eradication patrols,
    attaches their photos (API and the inspection page's form); she may not
    attach to a letter or an activity (she writes neither: 403); the viewer
    may attach to nothing (403); another street's office finds no record
    (404); nothing is written by a refusal."""
    v = gp_place("office", "TC1", "民警照片测试KTV", kind="venue")
    p = api("police")
    r = p.post("/api/v1/inspections", {"venue": v, "date": today().isoformat(), "inspectors": "民警",
                                       "result": "no_problem"})
    expect_eq(r.status, 201, f"the police liaison records an inspection ({r.brief()})")
    iid = r.json()["id"]
    body, ct = multipart(files=[("file", "现场.jpg", "image/jpeg", JPEG)])
    r = p.post(f"/api/v1/inspections/{iid}/attachments", raw=body, ctype=ct)
    expect_eq(r.status, 201, f"her photo of it ({r.brief()})")
    r = p.post("/api/v1/eradications", {"org": "TC1", "date": today().isoformat(), "area_mu": 3,
                                        "methods": ["on_foot"], "found": {}, "destroyed": {}, "location": "后山"})
    expect_eq(r.status, 201, f"an eradication patrol ({r.brief()})")
    r = p.post(f"/api/v1/eradications/{r.json()['id']}/attachments", raw=body, ctype=ct)
    expect_eq(r.status, 201, f"its photo ({r.brief()})")
    t = page("police").get(f"/inspections/{iid}").text
    check(f'action="/inspections/{iid}/attachments"' in t, "the inspection page offers her the upload")
    act = api("worker_a").post("/api/v1/activities", {"org": "TC1", "date": today().isoformat(), "kind": "lecture",
                                                      "title": "民警附件测试", "participants": 5}).json()["id"]
    letter = sql_int("SELECT max(l.id) FROM letter l JOIN org_unit o ON o.id = l.org_id WHERE o.code IN ('TS1','TC1')")
    # a street's letter lies outside the community police's scope: 404 as a missing record (scope before role)
    in_tc1 = sql(f"SELECT o.code FROM letter l JOIN org_unit o ON o.id = l.org_id WHERE l.id = {letter}") == "TC1"
    before = sql_int("SELECT count(*) FROM attachment")
    for who, path, status in (("police", f"/api/v1/activities/{act}/attachments", 403),
                              ("police", f"/api/v1/letters/{letter}/attachments", 403 if in_tc1 else 404),
                              ("viewer", f"/api/v1/inspections/{iid}/attachments", 403),
                              ("office_b", f"/api/v1/inspections/{iid}/attachments", 404)):
        r = api(who).post(path, raw=body, ctype=ct)
        expect_eq(r.status, status, f"{who} {path} ({r.brief()})")
    expect_eq(sql_int("SELECT count(*) FROM attachment"), before, "nothing written by the refusals")


@test
def gp_filtered_totals_match_rows():
    """A list filtered by one 六进 setting, kind or campaign totals its whole
    months from the sums kept per filter value (activity_total_by) and the
    cut days from the rows: the totals row equals the sum of its rows for
    every window, before and after a correction that moves an activity to
    other settings, kind and campaign; two filters together total from the
    sums kept per pair of values, three from the rows; the kept sums count
    each current version once per value and per pair."""
    a = api("worker_a")
    t0 = today()
    def day(n):
        return (t0 - datetime.timedelta(days=n)).isoformat()
    for d, p, st, kind, camp in ((45, 7, ["school"], "lecture", "626"), (38, 11, ["school", "village"], "quiz", ""),
                                 (2, 13, ["venue"], "lecture", "month"), (1, 17, [], "film", "626")):
        r = a.post("/api/v1/activities", {"org": "TC1", "date": day(d), "kind": kind, "settings": st, "campaign": camp,
                                          "title": "筛选合计测试", "participants": p, "materials": {"leaflets": p}})
        expect_eq(r.status, 201, f"activity ({r.brief()})")
    aid = r.json()["id"]
    def check_all(what):
        first = t0.replace(day=1)
        prev_end = first - datetime.timedelta(days=1)
        windows = [(None, None), (day(40), None), (None, day(2)), (first.isoformat(), t0.isoformat()),
                   (prev_end.replace(day=1).isoformat(), prev_end.isoformat()), (prev_end.replace(day=3).isoformat(), None)]
        filters = ["setting=school", "setting=village", "setting=venue", "kind=lecture", "kind=film", "campaign=626",
                   "campaign=month", "setting=school&kind=quiz", "kind=lecture&setting=school",
                   "kind=lecture&campaign=626", "setting=school&campaign=month", "setting=venue&campaign=month",
                   "kind=quiz&setting=village&campaign=month"]
        for flt in filters:
            for f, t in windows:
                q, items = activities_summed("&" + flt, f, t, what + " ")
                for key, val in (part.split("=") for part in flt.split("&")):
                    for i in items:
                        check(val in (i["settings"] if key == "setting" else [i[key]]), f"{q}: {i['id']} matches")
    check_all("as recorded")
    r = a.call("PUT", f"/api/v1/activities/{aid}", obj={"org": "TC1", "date": day(44), "kind": "quiz",
                                                       "settings": ["school", "village"], "campaign": "month",
                                                       "title": "筛选合计测试", "participants": 5,
                                                       "materials": {"leaflets": 5}, "reason": "更正"})
    expect_eq(r.status, 200, f"a correction ({r.brief()})")
    check_all("after a correction")
    expect_eq(sql_int("SELECT sum(activities) FROM activity_total_by WHERE dim = 'kind'"),
              sql_int("SELECT count(*) FROM activity WHERE current = 1"), "each current version once under its kind")
    expect_eq(sql_int("SELECT sum(activities) FROM activity_total_by WHERE dim = 'setting' AND code = 'school'"),
              sql_int("SELECT count(*) FROM activity WHERE current = 1 AND (settings_mask & 1) <> 0"),
              "under each of its settings")
    expect_eq(sql_int("SELECT sum(activities) FROM activity_total_by WHERE dim = 'kind_setting'"
                      " AND code = 'quiz,school'"),
              sql_int("SELECT count(*) FROM activity WHERE current = 1 AND kind = 'quiz' AND (settings_mask & 1) <> 0"),
              "under each pair of its kind and a setting")
    expect_eq(sql_int("SELECT sum(activities) FROM activity_total_by WHERE dim = 'setting_campaign'"
                      " AND code = 'village,month'"),
              sql_int("SELECT count(*) FROM activity WHERE current = 1 AND campaign = 'month'"
                      " AND (settings_mask & 32) <> 0"),
              "under each pair of a setting and its campaign")
    expect_eq(sql_int("SELECT sum(activities) FROM activity_total_by WHERE dim = 'kind_campaign'"),
              sql_int("SELECT count(*) FROM activity WHERE current = 1 AND campaign <> ''"),
              "under the pair of its kind and campaign")


def _gp_xlsx_ledger(who, path, cells, extra=0):
    """The .xlsx of the list at path (a JSON list of at most 200 a page) read
    back: one data row per item of the list, in its order (plus extra rows
    below: the letters' missing signers and rate), and the row of the item
    in the middle of the list holds its values: cells maps a column letter
    to a function of the JSON item giving the cell's value. Answers the
    number of rows."""
    c = api(who)
    sep = "&" if "?" in path else "?"
    total = c.get(f"{path}{sep}per_page=1").json()["total"]
    check(total > 0, f"{path}: the list is empty")
    k = total // 2
    item = c.get(f"{path}{sep}per_page=200&page={k // 200 + 1}").json()["items"][k % 200]
    r = c.get(f"{path}{sep}format=xlsx")
    expect_eq(r.status, 200, f"{path} as xlsx ({r.brief()})")
    rows = xlsx_rows(r.body)
    data = [rows[n] for n in sorted(rows) if n > 2]
    expect_eq(len(data), total + extra, f"{path}: the rows of the xlsx")
    expect_eq(sorted(rows)[2:], list(range(3, 3 + total + extra)), f"{path}: the rows follow each other")
    got = data[k]
    for col, want in cells.items():
        expect_eq(got.get(col), want(item), f"{path}: column {col} of row {k + 3} (item {item.get('id')})")
    return total


@test
def gp_ledger_xlsx_rows_streamed():
    """Every ledger's .xlsx, whose rows go from the store into the workbook
    one at a time, holds exactly the list's rows in its order with each
    row's values: activities, surveys, inspections (1 500 more added for
    it), places, letters, eradication patrols and unit work records."""
    venue = sql_int("SELECT p.id FROM place p JOIN org_unit o ON o.id = p.org_id WHERE p.kind = 'venue' AND o.path"
                    " LIKE (SELECT path FROM org_unit WHERE code = 'TS1') || '%' ORDER BY p.id LIMIT 1")
    sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)"
        f" INSERT INTO inspection (place_id, date, inspectors, result, findings, created_at) SELECT {venue},"
        " date('2025-01-01', '+' || (i % 400) || ' days'), '批量检查员' || i, 'problem_found', '批量问题 ' || i,"
        " '2025-01-01T00:00:00Z' FROM n")
    day = datetime.date.fromisoformat
    try:
        n = _gp_xlsx_ledger("office", "/api/v1/inspections?org=TS1",
                            {"A": lambda i: i["id"], "B": lambda i: day(i["date"]), "G": lambda i: i["inspectors"],
                             "I": lambda i: i["findings"] or None})
        check(n > 1500, f"the inspections of TS1: {n}")
    finally:
        sql("DELETE FROM inspection WHERE inspectors LIKE '批量检查员%'")
    _gp_xlsx_ledger("office", "/api/v1/activities?org=TS1",
                    {"A": lambda i: i["id"], "C": lambda i: day(i["date"]), "I": lambda i: i["title"] or None,
                     "L": lambda i: i["participants"]})
    _gp_xlsx_ledger("office", "/api/v1/surveys?org=TS1",
                    {"A": lambda i: i["id"], "C": lambda i: day(i["date"]), "I": lambda i: i["respondents"],
                     "J": lambda i: i["aware"]})
    _gp_xlsx_ledger("office", "/api/v1/places?active=all",
                    {"A": lambda i: i["id"], "E": lambda i: i["name"], "B": lambda i: i["org"]})
    y = today().year
    letters = api("office").get(f"/api/v1/letters?year={y}&per_page=200").json()
    _gp_xlsx_ledger("office", f"/api/v1/letters?year={y}",
                    {"A": lambda i: i["id"], "B": lambda i: i["year"], "H": lambda i: day(i["signed_date"])},
                    extra=len(letters["missing"]) + 1)
    _gp_xlsx_ledger("office", "/api/v1/eradications",
                    {"A": lambda i: i["id"], "B": lambda i: day(i["date"]), "E": lambda i: i["area_mu"],
                     "H": lambda i: i["found"]["poppy"]})
    _gp_xlsx_ledger("office", "/api/v1/unit_work",
                    {"A": lambda i: i["id"], "B": lambda i: day(i["date"]), "F": lambda i: i["title"] or None})
