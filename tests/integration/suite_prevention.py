"""tests/integration/suite_prevention.py: the prevention ledgers (issue 10
points 2-3, 8-10), run inside tests/integration/run.py's namespace (its
helpers: api, page, check, expect_eq, expect_api_error, sql, sql_int,
xlsx_rows, multipart, JPEG, EXE, png_bytes...). Activities (宣传教育活动):
record, read, list with filters, totals and paging, corrections that keep
every version, photos (with the record in one post, and afterwards),
refused uploads; awareness surveys (知晓率): rate against the target of the
group, targets set on units and inherited down the tree; scope (another
street's record answers 404 exactly as a missing one); bad input with
nothing written; the .xlsx downloads read back; GET /api/v1/vocab; the
office's /prevention overview; the statistics' prevention measures."""

PV_MISSING = 987654321


def pv_counts():
    """Rows of every table the prevention ledgers write, and audit rows."""
    return sql("SELECT (SELECT count(*) FROM activity),(SELECT count(*) FROM survey),"
               "(SELECT count(*) FROM awareness_target),(SELECT count(*) FROM attachment),"
               "(SELECT count(*) FROM audit_log WHERE action <> 'read')")


pv_unchanged = unchanged_check(pv_counts, "(activities, surveys, targets, attachments, audit rows)")


def pv_day(n):
    return (today() - datetime.timedelta(days=n)).isoformat()


def pv_activity(**kw):
    a = {"org": "TC1", "date": pv_day(2), "kind": "lecture", "settings": ["school"], "campaign": "626",
         "title": "开学第一课禁毒讲座", "partners": "第一小学", "audience": ["students", "parents"],
         "participants": 320, "consultations": 15,
         "materials": {"leaflets": 500, "banners": 2, "boards": 1, "broadcast_minutes": 30}, "notes": "校长主持"}
    a.update(kw)
    return a


def pv_survey(**kw):
    s = {"org": "TC1", "date": pv_day(3), "group": "cadre", "method": "quiz", "title": "机关干部禁毒知识竞赛",
         "respondents": 96, "aware": 87, "notes": ""}
    s.update(kw)
    return s


def pv_put(client, path, obj):
    return client.call("PUT", path, obj=obj)


@test
def pv_activity_create_read_list():
    """POST /api/v1/activities records an activity (201, the record with its
    settings, audience, materials and printed total); GET by id; the list of
    the scope with the totals of the filter, the filters (kind, setting,
    campaign, period) and paging."""
    a = api("worker_a")
    r = a.post("/api/v1/activities", pv_activity())
    expect_eq(r.status, 201, f"POST an activity ({r.brief()})")
    j = r.json()
    for k in ("id", "version", "org", "org_name", "date", "kind", "settings", "campaign", "title", "partners",
              "audience", "participants", "consultations", "materials", "materials_printed", "notes", "photos",
              "created_by", "created_at"):
        check(k in j, f"the activity has no {k}: {j}")
    expect_eq((j["version"], j["settings"], j["audience"]), (1, ["school"], ["students", "parents"]), "the activity")
    expect_eq(j["materials"]["leaflets"], 500, "leaflets")
    expect_eq(j["materials_printed"], 503, "printed materials: leaflets, banners, boards (not broadcast minutes)")
    C.persons["pv_act"] = j["id"]
    r = a.get(f"/api/v1/activities/{j['id']}")
    expect_eq((r.status, r.json().get("title")), (200, "开学第一课禁毒讲座"), "GET the activity")
    r = api("worker_b").post("/api/v1/activities", pv_activity(org="TC2", kind="campaign", settings=["community", "family"],
                                                               campaign="month", participants=80, materials={"leaflets": 100}))
    expect_eq(r.status, 201, f"a second activity in TC2 ({r.brief()})")
    r = api("office").get("/api/v1/activities?org=TS1&per_page=1")
    expect_eq(r.status, 200, "the street's list")
    j = r.json()
    check(j["total"] >= 2 and len(j["items"]) == 1, f"paging: {j['total']} total, {len(j['items'])} on a page of 1")
    t = j["totals"]
    check(t["activities"] == j["total"] and t["participants"] >= 400 and t["materials"]["leaflets"] >= 600,
          f"totals of the filter: {t}")
    r = api("office").get("/api/v1/activities?org=TS1&setting=school")
    check(all("school" in i["settings"] for i in r.json()["items"]) and r.json()["total"] >= 1, "the setting filter")
    r = api("office").get("/api/v1/activities?org=TS1&campaign=month&kind=campaign")
    check(r.json()["total"] >= 1 and all(i["campaign"] == "month" for i in r.json()["items"]), "campaign and kind filter")
    d = today() - datetime.timedelta(days=2)
    r = api("office").get(f"/api/v1/activities?org=TS1&period={d.year:04d}-{d.month:02d}")
    check(r.status == 200 and r.json()["total"] >= 2, f"the period filter: {r.brief()}")
    r = api("office").get("/api/v1/activities?org=TS1&period=1999")
    expect_eq(r.json()["total"], 0, "a period without activities")
    expect_api_error(api("office").get("/api/v1/activities?period=2026-13"), 400, "invalid", "period", "a bad period")
    expect_api_error(api("office").get("/api/v1/activities?period=2026&from=2026-01-01"), 400, "invalid", "period",
                     "a period and dates")
    expect_api_error(api("office").get("/api/v1/activities?setting=cinema"), 400, "invalid", "setting", "unknown setting")


@test
def pv_activity_bad_input():
    """Bad input answers 400 with the field and writes nothing: negative
    counts, a future date, an unknown kind or setting, no title, a unit out
    of scope or unknown, a viewer (403)."""
    a, viewer = api("worker_a"), api("viewer")
    before = pv_counts()
    cases = [
        (pv_activity(participants=-1), "participants"),
        (pv_activity(materials={"leaflets": -5}), "materials.leaflets"),
        (pv_activity(date=(today() + datetime.timedelta(days=1)).isoformat()), "date"),
        (pv_activity(kind="party"), "kind"),
        (pv_activity(settings=["school", "cinema"]), "settings"),
        (pv_activity(title=""), "title"),
        (pv_activity(org="TC3"), "org"),
        (pv_activity(org="NOPE"), "org"),
        (pv_activity(campaign="xmas"), "campaign"),
    ]
    for body, field in cases:
        expect_api_error(a.post("/api/v1/activities", body), 400, "invalid", field, f"bad {field}")
    r = viewer.post("/api/v1/activities", pv_activity())
    expect_eq(r.status, 403, "a viewer may not record")
    pv_unchanged(before, "refused activities")


@test
def pv_activity_scope_404():
    """Another street's office gets 404 for an activity of TS1, exactly as
    for a missing one (GET, PUT, attachments, the list of TC1)."""
    aid = C.persons.get("pv_act") or api("worker_a").post("/api/v1/activities", pv_activity()).json()["id"]
    b = api("office_b")
    for path in ("/api/v1/activities/%d", "/api/v1/activities/%d/attachments"):
        r1, r2 = b.get(path % aid), b.get(path % PV_MISSING)
        expect_eq((r1.status, r2.status), (404, 404), f"GET {path} from another street")
        expect_eq(r1.json(), r2.json(), "out of scope answers as missing")
    before = pv_counts()
    expect_eq(pv_put(b, f"/api/v1/activities/{aid}", pv_activity(org="TC3", reason="改")).status, 404, "PUT from TS2")
    body, ct = multipart(files=[("file", "a.jpg", "image/jpeg", JPEG)])
    expect_eq(b.post(f"/api/v1/activities/{aid}/attachments", raw=body, ctype=ct).status, 404, "upload from TS2")
    pv_unchanged(before, "refused writes from another street")
    expect_eq(b.get("/api/v1/activities?org=TC1").status, 404, "the list of another street's unit")
    expect_eq(page("office_b").get(f"/activities/{aid}").status, 404, "the page of another street's activity")
    check(all(i["org"] == "TC3" for i in b.get("/api/v1/activities").json()["items"]), "TS2's list holds only TS2's")


@test
def pv_activity_correction_history():
    """PUT /api/v1/activities/{id} with a reason appends version 2; the
    record shows it, ?history=1 lists both with the first's values kept;
    without a reason 400 and nothing written."""
    a = api("worker_a")
    aid = a.post("/api/v1/activities", pv_activity(title="更正前", participants=10)).json()["id"]
    before = pv_counts()
    expect_api_error(pv_put(a, f"/api/v1/activities/{aid}", pv_activity(title="更正后")), 400, "invalid", "reason",
                     "a correction without a reason")
    expect_api_error(pv_put(a, f"/api/v1/activities/{aid}", pv_activity(participants=-3, reason="x")), 400, "invalid",
                     "participants", "a correction with a negative count")
    pv_unchanged(before, "refused corrections")
    r = pv_put(a, f"/api/v1/activities/{aid}", pv_activity(title="更正后", participants=12, reason="人数点错"))
    expect_eq(r.status, 200, f"the correction ({r.brief()})")
    expect_eq((r.json()["version"], r.json()["title"], r.json()["id"]), (2, "更正后", aid), "the new version")
    h = a.get(f"/api/v1/activities/{aid}?history=1").json()
    expect_eq([(v["version"], v["title"], v["participants"], v["reason"]) for v in h["history"]],
              [(2, "更正后", 12, "人数点错"), (1, "更正前", 10, None)], "the versions, newest first")
    expect_eq(sql_int(f"SELECT count(*) FROM activity WHERE activity_id={aid} AND current=1"), 1, "one current version")
    check(sql_int(f"SELECT count(*) FROM audit_log WHERE entity='activity' AND entity_id={aid} AND action='correct'") == 1,
          "the correction is audited")
    lst = api("office").get("/api/v1/activities?org=TC1&per_page=200").json()["items"]
    expect_eq(sum(1 for i in lst if i["id"] == aid), 1, "the list shows the record once (its current version)")


@test
def pv_activity_photos():
    """A photo with the record (the page's multipart form) is stored in the
    same transaction; afterwards through the API; an .exe renamed .jpg is
    refused with the record and nothing is written; the activity page shows
    the thumbnail."""
    pg = page("worker_a")
    form = [("_csrf", pg.csrf()), ("org", "TC1"), ("date", pv_day(1)), ("title", "进校园展板巡展"),
            ("kind", "exhibition"), ("settings", "school"), ("settings", "family"), ("audience", "students"),
            ("participants", "200"), ("leaflets", "150"), ("campaign", "")]
    before = pv_counts()
    body, ct = multipart(fields=form, files=[("file", "setup.jpg", "image/jpeg", EXE)])
    r = hreq("POST", "/activities/new", body=body, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 400, f"the form with an .exe as its photo: {r.brief()}")
    check("只能上传 JPEG、PNG 或 PDF 文件" in r.text, "the refusal's message on the form")
    pv_unchanged(before, "a refused photo")
    body, ct = multipart(fields=form, files=[("file", "现场.png", "image/png", png_bytes(8, 8))])
    r = hreq("POST", "/activities/new", body=body, headers=pg.headers({"Content-Type": ct}))
    expect_eq(r.status, 303, f"the form with a photo: {r.brief()}")
    loc = r.header("Location")
    aid = int(re.match(r"/activities/(\d+)", loc).group(1))
    expect_eq(sql_int(f"SELECT count(*) FROM attachment WHERE entity='activity' AND entity_id={aid}"), 1, "the photo")
    expect_eq(sql("SELECT settings FROM activity WHERE activity_id=%d" % aid), "school,family", "two settings")
    r = pg.get(loc)
    att = sql_int(f"SELECT max(id) FROM attachment WHERE entity='activity' AND entity_id={aid}")
    check(f'<img src="/attachments/{att}"' in r.text, "the activity page shows the photo")
    a = api("worker_a")
    body, ct = multipart(files=[("file", "b.jpg", "image/jpeg", JPEG)])
    r = a.post(f"/api/v1/activities/{aid}/attachments", raw=body, ctype=ct)
    expect_eq(r.status, 201, f"a second photo through the API ({r.brief()})")
    expect_eq(a.get(f"/api/v1/activities/{aid}").json()["photos"], 2, "two photos")
    before = pv_counts()
    body, ct = multipart(files=[("file", "c.jpg", "image/jpeg", EXE)])
    expect_api_error(a.post(f"/api/v1/activities/{aid}/attachments", raw=body, ctype=ct), 400, "invalid", "file",
                     "an .exe renamed .jpg")
    pv_unchanged(before, "a refused upload")
    r = api("office_b").get(f"/api/v1/attachments/{att}")
    expect_eq(r.status, 404, "another street may not read the photo")


@test
def pv_activity_xlsx():
    """?format=xlsx of the list (API and page) is the filter's rows: a title
    naming the unit and period, Chinese headers, dates as dates, numbers as
    numbers."""
    a = api("office")
    n = a.get("/api/v1/activities?org=TS1").json()["total"]
    for path in ("/api/v1/activities?org=TS1&format=xlsx", "/activities?org=TS1&format=xlsx"):
        r = a.get(path) if path.startswith("/api") else page("office").get(path)
        expect_eq(r.status, 200, f"GET {path}")
        rows = xlsx_rows(r.body)
        check("宣传教育活动台账" in rows[1]["A"] and "一号街道" in rows[1]["A"], f"the title row: {rows[1]}")
        expect_eq((rows[2]["A"], rows[2]["C"], rows[2]["F"]), ("编号", "日期", "活动形式"), "the header row")
        expect_eq(len(rows) - 2, n, "one row per activity of the filter")
        first = rows[3]
        check(isinstance(first["C"], datetime.date), f"the date is a date: {first['C']!r}")
        check(isinstance(first["L"], int), f"participants is a number: {first['L']!r}")
    rows = xlsx_rows(a.get("/api/v1/activities?org=TS1&setting=school&format=xlsx").body)
    check(all("进学校" in r["G"] for k, r in rows.items() if k > 2), "the xlsx holds only the filter's rows")


@test
def pv_survey_rate_and_target():
    """A survey answers rate (one decimal), target (the group's, inherited)
    and met; aware above respondents, no respondents, an unknown group or
    method are refused with nothing written."""
    a = api("worker_a")
    r = a.post("/api/v1/surveys", pv_survey())
    expect_eq(r.status, 201, f"POST a survey ({r.brief()})")
    j = r.json()
    expect_eq((j["rate"], j["target"], j["met"]), (90.6, 100, False), "87 of 96 cadres against 100 %")
    C.persons["pv_survey"] = j["id"]
    j = a.post("/api/v1/surveys", pv_survey(group="rural", respondents=50, aware=45)).json()
    expect_eq((j["rate"], j["target"], j["met"]), (90.0, 90, True), "45 of 50 villagers against the default 90 %")
    before = pv_counts()
    for body, field in ((pv_survey(aware=97), "aware"), (pv_survey(respondents=0, aware=0), "respondents"),
                        (pv_survey(group="aliens"), "group"), (pv_survey(method="telepathy"), "method"),
                        (pv_survey(aware=-1), "aware"), (pv_survey(org="TC3"), "org"),
                        (pv_survey(date=(today() + datetime.timedelta(days=2)).isoformat()), "date")):
        expect_api_error(a.post("/api/v1/surveys", body), 400, "invalid", field, f"bad survey {field}")
    pv_unchanged(before, "refused surveys")
    lst = api("office").get("/api/v1/surveys?org=TS1").json()
    t = lst["totals"]
    check(t["surveys"] >= 2 and t["respondents"] >= 146 and t["met"] >= 1, f"survey totals: {t}")
    r = api("office").get("/api/v1/surveys?org=TS1&group=rural")
    check(all(i["group"] == "rural" for i in r.json()["items"]), "the group filter")
    expect_eq(api("office_b").get(f"/api/v1/surveys/{C.persons['pv_survey']}").status, 404, "a survey of another street")


@test
def pv_targets_inherited():
    """Targets are data per group and unit, inherited down the tree: the
    street's target applies to its communities, a community's own wins,
    clearing it inherits again; only admin and office set them; a survey
    keeps the target in force when recorded."""
    o = api("office")
    r = o.post("/api/v1/awareness_targets", {"org": "TS1", "group": "migrant", "target": 95})
    expect_eq(r.status, 201, f"the street sets 95 % for migrant workers ({r.brief()})")
    r = api("admin").post("/api/v1/awareness_targets", {"org": "T0", "group": "migrant", "target": 80})
    expect_eq(r.status, 201, "the county sets 80 %")
    items = {i["group"]: i for i in o.get("/api/v1/awareness_targets?org=TC1").json()["items"]}
    expect_eq((items["migrant"]["target"], items["migrant"]["set_on"]), (95, "TS1"), "TC1 inherits the street's")
    expect_eq((items["town"]["target"], items["town"]["default"]), (100, True), "town: the default")
    expect_eq(items["rural"]["target"], 90, "rural: the default 90")
    r = o.post("/api/v1/awareness_targets", {"org": "TC1", "group": "migrant", "target": 85})
    expect_eq(r.status, 201, "TC1's own")
    expect_eq(o.post("/api/v1/awareness_targets", {"org": "TC1", "group": "migrant", "target": 86}).status, 200,
              "changed")
    j = api("worker_a").post("/api/v1/surveys", pv_survey(group="migrant", respondents=100, aware=86)).json()
    expect_eq((j["target"], j["met"]), (86, True), "a survey takes the target in force")
    expect_eq(o.call("DELETE", "/api/v1/awareness_targets?org=TC1&group=migrant").status, 200, "cleared")
    items = {i["group"]: i for i in o.get("/api/v1/awareness_targets?org=TC1").json()["items"]}
    expect_eq(items["migrant"]["target"], 95, "inherits the street's again")
    expect_eq(api("worker_a").get(f"/api/v1/surveys/{j['id']}").json()["target"], 86, "the survey keeps its target")
    before = pv_counts()
    expect_eq(o.call("DELETE", "/api/v1/awareness_targets?org=TC1&group=migrant").status, 404, "nothing to clear")
    expect_eq(api("worker_a").post("/api/v1/awareness_targets", {"org": "TC1", "group": "town", "target": 90}).status,
              403, "a worker may not set targets")
    expect_api_error(o.post("/api/v1/awareness_targets", {"org": "TC1", "group": "town", "target": 101}), 400,
                     "invalid", "target", "a target above 100")
    expect_api_error(o.post("/api/v1/awareness_targets", {"org": "TC1", "group": "nobody", "target": 90}), 400,
                     "invalid", "group", "an unknown group")
    expect_api_error(api("office_b").post("/api/v1/awareness_targets", {"org": "TC1", "group": "town", "target": 90}),
                     400, "invalid", "org", "another street's unit")
    pv_unchanged(before, "refused target changes")


@test
def pv_survey_correction_and_xlsx():
    """A survey's correction appends a version (the rate follows); the
    list's .xlsx reads back with rate and target as percentages."""
    a = api("worker_a")
    sid = a.post("/api/v1/surveys", pv_survey(respondents=40, aware=30)).json()["id"]
    r = pv_put(a, f"/api/v1/surveys/{sid}", pv_survey(respondents=40, aware=40, reason="漏计10人"))
    expect_eq((r.status, r.json().get("version"), r.json().get("rate"), r.json().get("met")), (200, 2, 100.0, True),
              "the corrected survey")
    h = a.get(f"/api/v1/surveys/{sid}?history=1").json()["history"]
    expect_eq([(v["version"], v["aware"]) for v in h], [(2, 40), (1, 30)], "both versions")
    rows = xlsx_rows(api("office").get("/api/v1/surveys?org=TS1&format=xlsx").body)
    check("知晓率调查台账" in rows[1]["A"], f"the title: {rows[1]}")
    expect_eq((rows[2]["I"], rows[2]["K"], rows[2]["L"]), ("调查人数", "知晓率", "目标"), "headers")
    mine = [r for k, r in rows.items() if k > 2 and r.get("A") == sid]
    expect_eq(len(mine), 1, "the survey once in the download")
    expect_eq((mine[0]["J"], mine[0]["K"], mine[0]["M"]), (40, 1, "是"), "aware, rate 100 %, met")


@test
def pv_vocab():
    """GET /api/v1/vocab lists every vocabulary with Chinese labels: the
    prevention ones and the unit-work ones."""
    j = api("worker_a").get("/api/v1/vocab").json()
    for k in ("activity_kinds", "activity_settings", "activity_campaigns", "activity_audience", "activity_materials",
              "survey_groups", "survey_methods", "eradication_species", "eradication_methods", "unit_tasks",
              "rhythm_periods", "unit_levels"):
        check(k in j and j[k], f"vocab has no {k}")
    expect_eq([t["code"] for t in j["activity_settings"]], ["school", "family", "community", "unit", "venue", "village"],
              "六进")
    expect_eq({t["code"]: t["target_default"] for t in j["survey_groups"]}["rural"], 90, "rural default target")
    check(any(t["label_zh"] == "进学校" for t in j["activity_settings"]), "Chinese labels")


@test
def pv_pages_and_overview():
    """The pages: the lists with filters and print view, the forms, a
    record's page with its versions, the survey targets' form, and the
    office's /prevention overview of the month per child unit (linked from
    the navigation)."""
    pg = page("office")
    r = pg.get("/prevention")
    expect_eq(r.status, 200, "/prevention")
    check("甲社区" in r.text and "乙社区" in r.text, "a row per community of the street")
    check('href="/prevention"' in r.text, "the navigation links the overview")
    r = pg.get("/activities?org=TS1&setting=school")
    check(r.status == 200 and "开学第一课禁毒讲座" in r.text, "the list with a filter")
    r = pg.get("/activities?org=TS1&print=1")
    check(r.status == 200 and "print-view" in r.text, "the print view")
    r = page("worker_a").get("/activities/new")
    check(r.status == 200 and 'enctype="multipart/form-data"' in r.text and 'name="file"' in r.text,
          "the phone form takes a photo")
    aid = C.persons.get("pv_act")
    r = pg.get(f"/activities/{aid}/edit")
    check(r.status == 200 and 'name="reason"' in r.text, "the correction form asks for the reason")
    fields = [("org", "TC1"), ("date", pv_day(2)), ("title", "页面更正"), ("kind", "lecture"), ("reason", "")]
    before = pv_counts()
    r = pg.post(f"/activities/{aid}/edit", fields)
    expect_eq(r.status, 400, "a page correction without a reason")
    pv_unchanged(before, "a refused page correction")
    r = pg.post(f"/activities/{aid}/edit", fields[:-1] + [("reason", "主题写错")])
    expect_eq(r.status, 303, f"a page correction ({r.brief()})")
    r = pg.get(f"/activities/{aid}")
    check("更正记录" in r.text and "主题写错" in r.text, "the record's page lists its versions")
    r = pg.post("/surveys/targets", [("org", "TC2"), ("group", "student"), ("target", "98")])
    expect_eq(r.status, 303, f"the targets form ({r.brief()})")
    expect_eq(sql("SELECT target FROM awareness_target WHERE grp='student'"), "98", "the target set by the form")
    r = pg.get("/surveys?org=TC2")
    check("知晓率目标" in r.text and "98%" in r.text, "the targets on the survey list")
    r = page("worker_a").post("/surveys/new", [("org", "TC1"), ("date", pv_day(1)), ("group", "student"),
                                               ("method", "questionnaire"), ("respondents", "120"), ("aware", "118")])
    expect_eq(r.status, 303, f"the survey form ({r.brief()})")


@test
def pv_stats_measures():
    """/api/v1/stats carries the prevention measures per unit and period:
    activities, participants, printed materials, by kind and by 六进
    setting, surveys and the awareness rate (overall and per group) with
    the surveys meeting their target."""
    o = api("office")
    j = o.get("/api/v1/stats?org=TS1&from=%s&to=%s" % (pv_day(30), today().isoformat())).json()
    c, rt = j["counts"], j["rates"]
    acts = o.get("/api/v1/activities?org=TS1&from=%s" % pv_day(30)).json()["totals"]
    expect_eq((c.get("activities"), c.get("activity_participants")), (acts["activities"], acts["participants"]),
              "activities and participants as the list's totals")
    expect_eq(c.get("activity_materials"), acts["materials_printed"], "printed materials")
    check(c.get("activities_by_kind.lecture", 0) >= 1 and c.get("activities_by_setting.school", 0) >= 1, f"by kind and setting: {c}")
    sv = o.get("/api/v1/surveys?org=TS1&from=%s" % pv_day(30)).json()["totals"]
    expect_eq((rt["awareness_rate"]["num"], rt["awareness_rate"]["den"]), (sv["aware"], sv["respondents"]),
              "the awareness rate over the surveys")
    expect_eq((rt["survey_met_rate"]["num"], rt["survey_met_rate"]["den"]), (sv["met"], sv["surveys"]),
              "surveys meeting their target")
    check("awareness_rate.cadre" in rt, "the rate per group")
    kids = {k["org"]: k for k in j["children"]}
    tc1 = o.get("/api/v1/activities?org=TC1&from=%s" % pv_day(30)).json()["total"]
    expect_eq(kids["TC1"]["counts"]["activities"], tc1, "per child unit")


@test
def pv_catalog_complete():
    """Every Chinese string of the prevention sources (messages, labels,
    the vocabularies) and the name and definition of every prevention
    measure of /api/v1/stats has its English in web/i18n_catalog.inc; the
    pages answer in English."""
    cat, _ = _catalog()
    missing = catalog_missing(cat, ("core/prevention.c", "app/prevention.c", "web/page_prevention.c",
                                    "web/api_prevention.c"))
    for m in api("office").get("/api/v1/stats?org=TS1").json()["measures"]:
        for s in (m["name"], m["definition"]):
            if has_cjk(s) and s not in cat:
                missing.setdefault(s, "core/stats.c")
    _fail_missing(missing, "prevention texts")
    en = page("office").get("/prevention", headers={"Cookie": f"jd_session={page('office').cookie}; jd_lang=en"})
    check("Activities this month" in en.text, "the overview in English")


@test
def pv_totals_match_rows():
    """The totals row of a list is the sum of its rows, whatever the window
    (whole months come from the monthly sums kept with each write, the cut
    days from the rows) and after corrections (the old version's figures
    leave the sums)."""
    a = api("worker_a")
    for d, p in ((40, 7), (35, 11), (1, 13)):
        a.post("/api/v1/activities", pv_activity(date=pv_day(d), participants=p, materials={"leaflets": p}))
    aid = a.post("/api/v1/activities", pv_activity(date=pv_day(33), participants=100)).json()["id"]
    pv_put(a, f"/api/v1/activities/{aid}", pv_activity(date=pv_day(3), participants=1, reason="日期和人数登记错"))
    first = today().replace(day=1)
    last_month_end = first - datetime.timedelta(days=1)
    windows = [(None, None), (pv_day(38), None), (None, pv_day(2)), (pv_day(36), pv_day(2)),
               (first.isoformat(), today().isoformat()), (last_month_end.replace(day=1).isoformat(), last_month_end.isoformat()),
               (last_month_end.replace(day=2).isoformat(), None)]
    for f, t in windows:
        activities_summed("", f, t)
    expect_eq(sql_int("SELECT sum(activities) FROM activity_total"), sql_int("SELECT count(*) FROM activity WHERE current=1"),
              "the monthly sums count every current version once")
