"""tests/integration/suite_assessment.py: the 无毒社区 assessment (issue 11
points 4, 7, 9), run inside tests/integration/run.py's namespace (api, page,
check, expect_eq, expect_api_error, sql, sql_int, xlsx_rows, run_cli...).
The sheets of a street's communities (every automatic item's figure equal
to /api/v1/stats for the same unit and window, the persons behind it equal
to the number, measures this build lacks shown as not available and not
scored), the flow on a community of its own (apply, the street's sign-offs
and household sample, review, approval; every bad transition 409 with
nothing written, every wrong role 403, another street's unit 404), the
criteria sets (a county's own set for a year, inherited below it; bad sets
400), the .xlsx read back, the pages and their forms."""

AS_COUNTY, AS_STREET, AS_COMM, AS_COMM2 = "TA0", "TAS", "TAC1", "TAC2"
AS_USERS = {"as_worker": ("worker", AS_COMM), "as_office": ("office", AS_STREET), "as_worker2": ("worker", AS_COMM2),
            "as_admin": ("admin", AS_COUNTY)}


def as_year():
    return str(today().year)


def as_fixture():
    """A county of its own (the other suites count T0's units) with a street
    of two communities without persons, and their users (once)."""
    if sql_int(f"SELECT count(*) FROM org_unit WHERE code = '{AS_STREET}'"):
        return
    for code, name, level, parent in ((AS_COUNTY, "考核县", "county", None), (AS_STREET, "考核街道", "street", AS_COUNTY),
                                      (AS_COMM, "考核甲社区", "community", AS_STREET),
                                      (AS_COMM2, "考核乙社区", "community", AS_STREET)):
        rc, out, err = run_cli(["org", "add", "--db", C.db, "--code", code, "--name", name, "--level", level]
                               + (["--parent", parent] if parent else []))
        check(rc == 0, f"org add {code}: {err}")
    for user, (role, org) in AS_USERS.items():
        rc, out, err = run_cli(["user", "add", "--db", C.db, "--username", user, "--role", role, "--org", org,
                                "--name", f"测试{user}", "--password-stdin"], stdin=password(user) + "\n")
        check(rc == 0, f"user add {user}: {err}")


def as_counts():
    return sql("SELECT (SELECT count(*) FROM assess_app),(SELECT count(*) FROM assess_step),"
               "(SELECT count(*) FROM assess_mark),(SELECT count(*) FROM assess_sample),"
               "(SELECT count(*) FROM assess_set),(SELECT count(*) FROM assess_item),"
               "(SELECT group_concat(state, ',') FROM assess_app),"
               "(SELECT count(*) FROM audit_log WHERE action LIKE 'assess_%')")


as_unchanged = unchanged_check(as_counts)


def as_get(user, org, scheme="community", year=None):
    r = api(user).get(f"/api/v1/assessment?org={org}&year={year or as_year()}&scheme={scheme}")
    check(r.status == 200, f"GET /api/v1/assessment org={org} as {user}: {r.brief()}")
    return r.json()


def as_unit(j, org):
    for u in j["units"]:
        if u["org"] == org:
            return u
    raise Failure(f"unit {org} not in the assessment of {j['org']}: {[u['org'] for u in j['units']]}")


def as_act(user, org, action, note=None, scheme="community"):
    body = {"org": org, "year": int(as_year()), "scheme": scheme, "action": action}
    if note is not None:
        body["note"] = note
    return api(user).post("/api/v1/assessment/act", body)


def as_sign(user, org, item, met="met", note="查阅场所排查记录12份"):
    return api(user).call("PUT", "/api/v1/assessment/sign",
                          obj={"org": org, "year": as_year(), "item": item, "met": met, "note": note})


def as_sample(user, org, **kw):
    b = {"org": org, "year": as_year(), "date": today().isoformat(), "households": 55, "records": 200,
         "accurate": 198, "complete": 196}
    b.update(kw)
    return api(user).call("PUT", "/api/v1/assessment/sample", obj=b)


@test
def as_sheet_matches_stats():
    """Each automatic item of TS1's communities reads the figure of
    /api/v1/stats for the same unit and window; its verdict follows the
    target; the persons behind it (its evidence link) are the number; a
    measure this build lacks is not available, not scored, and named."""
    j = as_get("office", "TS1")
    expect_eq(j["year"], int(as_year()), "year")
    expect_eq(j["from"], f"{as_year()}-01-01", "from")
    expect_eq(j["to"], today().isoformat(), "to")
    expect_eq(sorted(u["org"] for u in j["units"]), ["TC1", "TC2"], "TS1's communities")
    crit = j["criteria"][0]
    expect_eq(sum(s["cap"] for s in crit["sections"]), 100, "the caps add up to 100")
    for u in j["units"]:
        st = api("office").get(f"/api/v1/stats?org={u['org']}&from={j['from']}&to={j['to']}&date={j['date']}").json()
        earned = 0
        for it in u["items"]:
            if it["kind"] != "auto":
                continue
            if it["verdict"] == "not_available":
                check(it["met"] is None and it["value"] is None and it.get("note"), f"{it['key']}: not available")
                check(it["measure"] not in st["counts"] and it["measure"] not in st["rates"],
                      f"{it['key']}: {it['measure']} exists in /api/v1/stats but is shown as not available")
                continue
            m = it["measure"]
            ledger = "/activities" in it["evidence"]["num"] or "/surveys" in it["evidence"]["num"]
            if ledger:  # a prevention ledger's measure: the evidence is the ledger's list of the window
                if m in st["rates"]:
                    expect_eq((it["num"], it["den"]), (st["rates"][m]["num"], st["rates"][m]["den"]), f"{u['org']} {m}")
                else:
                    expect_eq(it["value"], st["counts"][m], f"{u['org']} {m}")
                    ev = api("office").get(it["evidence"]["num"]).json()
                    expect_eq(ev["total"], it["num"], f"{u['org']} {m}: the records behind the number")
            elif m in st["rates"]:
                expect_eq((it["num"], it["den"]), (st["rates"][m]["num"], st["rates"][m]["den"]), f"{u['org']} {m}")
                expect_eq(it["value"], st["rates"][m]["value"], f"{u['org']} {m} value")
                ev = api("office").get(it["evidence"]["den"] + "&per_page=200").json()
                expect_eq(ev["total"], it["den"], f"{u['org']} {m}: the denominator's persons")
            else:
                expect_eq(it["value"], st["counts"][m], f"{u['org']} {m}")
                expect_eq(it["num"], st["counts"][m], f"{u['org']} {m} num")
            if not ledger:
                ev = api("office").get(it["evidence"]["num"] + "&per_page=200").json()
                expect_eq(ev["total"], it["num"], f"{u['org']} {m}: the persons behind the number")
            if it["value"] is not None:
                t = it["target"]
                want = it["value"] <= t if crit["items"][[c["key"] for c in crit["items"]].index(it["key"])]["op"] == "max" \
                    else it["value"] >= t
                expect_eq(it["met"], want, f"{u['org']} {it['key']} met ({it['value']} vs {t})")
        for it in u["items"]:
            if it["met"] is True:
                earned += it["points"]
        check(u["score"] <= earned, f"{u['org']}: score {u['score']} above the points met {earned} (caps)")
        expect_eq(u["score"], sum(s["earned"] for s in u["sections"]), f"{u['org']}: score = sections")
        expect_eq(u["max"], sum(s["possible"] for s in u["sections"]), f"{u['org']}: max = sections")
        if any(i["veto"] and i["met"] is False for i in u["items"]):
            expect_eq(u["result"], "fail", f"{u['org']}: a veto item unmet fails")
    # the ranking: best first, ranks ascending
    ranks = [u["rank"] for u in j["units"]]
    expect_eq(ranks, sorted(ranks), "units in rank order")


@test
def as_scope_and_bad_input():
    """Another street's unit: 404 as a missing one; unknown unit, bad year
    or scheme: 400."""
    r = api("office_b").get(f"/api/v1/assessment?org=TC1&year={as_year()}")
    expect_api_error(r, 404, "not_found", what="office of TS2 asks for TC1")
    r = api("worker_a").get(f"/api/v1/assessment?org=TC2&year={as_year()}")
    expect_api_error(r, 404, "not_found", what="worker of TC1 asks for TC2")
    r = api("office").get("/api/v1/assessment?org=NOPE")
    expect_api_error(r, 400, "invalid", "org", "unknown unit")
    for y in ("1999", "abc", str(today().year + 1)):
        expect_api_error(api("office").get(f"/api/v1/assessment?org=TS1&year={y}"), 400, "invalid", "year", f"year {y}")
    expect_api_error(api("office").get("/api/v1/assessment?org=TS1&scheme=town"), 400, "invalid", "scheme", "scheme")
    # the worker sees her own community only
    j = as_get("worker_a", "TC1")
    expect_eq([u["org"] for u in j["units"]], ["TC1"], "worker's own community")


@test
def as_flow():
    """apply → sign-offs and sample → review → approve, each by who may,
    each bad transition 409, each wrong role 403, out of scope 404, nothing
    written by a refused call; the title is recorded with its steps."""
    as_fixture()
    before = as_counts()
    expect_api_error(as_act("as_office", AS_COMM, "apply"), 403, "forbidden", what="street office applies")
    expect_api_error(as_act("as_worker2", AS_COMM, "apply"), 404, "not_found", what="another community's worker")
    expect_api_error(as_act("worker_a", AS_COMM, "apply"), 404, "not_found", what="another street's worker")
    expect_api_error(as_act("viewer", AS_COMM, "apply"), 404, "not_found", what="another county's viewer")
    expect_api_error(as_act("admin", AS_COMM, "approve"), 404, "not_found", what="another county's office")
    expect_api_error(as_act("police", "TC1", "apply"), 403, "forbidden", what="the police liaison applies")
    expect_api_error(as_act("viewer", "TC1", "apply"), 403, "forbidden", what="the inspector applies")
    expect_api_error(as_act("as_worker", AS_COMM, "review_pass"), 403, "forbidden", what="worker reviews")
    expect_api_error(as_act("as_worker", AS_COMM, "jump"), 400, "invalid", "action", "unknown action")
    expect_api_error(as_act("as_office", AS_STREET, "apply"), 400, "invalid", "org", "a street applies")
    expect_api_error(as_act("as_office", AS_COMM, "review_pass"), 409, "conflict", what="review before applying")
    expect_api_error(as_act("as_admin", AS_COMM, "approve"), 409, "conflict", what="approve before applying")
    as_unchanged(before, "refused flow calls")

    r = as_act("as_worker", AS_COMM, "apply")
    check(r.status == 200 and r.json()["state"] == "applied", f"apply: {r.brief()}")
    expect_api_error(as_act("as_worker", AS_COMM, "apply"), 409, "conflict", what="apply twice")
    u = as_unit(as_get("as_office", AS_STREET), AS_COMM)
    expect_eq(u["state"], "applied", "state after apply")
    expect_eq(u["result"], "pending", "manual items and the sample pending")
    expect_api_error(as_act("as_office", AS_COMM, "review_pass"), 409, "conflict", what="review with items pending")
    expect_api_error(as_act("as_admin", AS_COMM, "approve"), 409, "conflict", what="approve before the review")

    # the street's sign-offs
    before = as_counts()
    expect_api_error(as_sign("as_office", AS_COMM, "no_venue_drugs", met="maybe"), 400, "invalid", "met", "bad met")
    expect_api_error(as_sign("as_office", AS_COMM, "control_rate"), 400, "invalid", "item", "an automatic item")
    expect_api_error(as_sign("as_office", AS_COMM, "no_venue_drugs", note=""), 400, "invalid", "note", "no note")
    expect_api_error(as_sign("as_worker", AS_COMM, "no_venue_drugs"), 403, "forbidden", what="the community signs")
    expect_api_error(as_sign("office_b", AS_COMM, "no_venue_drugs"), 404, "not_found", what="another street signs")
    expect_api_error(as_sample("as_office", AS_COMM, households=49), 400, "invalid", "households", "49 households")
    expect_api_error(as_sample("as_office", AS_COMM, households=61), 400, "invalid", "households", "61 households")
    expect_api_error(as_sample("as_office", AS_COMM, accurate=201), 400, "invalid", "accurate", "accurate > records")
    expect_api_error(as_sample("as_office", AS_COMM, date="2000-01-01"), 400, "invalid", "date", "date out of the year")
    expect_api_error(as_sample("as_worker", AS_COMM), 403, "forbidden", what="the community samples itself")
    as_unchanged(before, "refused sign-offs and samples")
    for item in ("no_venue_drugs", "no_precursor_leak"):
        r = as_sign("as_office", AS_COMM, item)
        check(r.status == 200, f"sign {item}: {r.brief()}")
    r = as_sample("as_office", AS_COMM)
    check(r.status == 200, f"sample: {r.brief()}")
    expect_eq(r.json()["accuracy"], 99.0, "accuracy 198/200")
    expect_eq(r.json()["completeness"], 98.0, "completeness 196/200")
    u = as_unit(as_get("as_office", AS_STREET), AS_COMM)
    items = {i["key"]: i for i in u["items"]}
    expect_eq(items["no_venue_drugs"]["met"], True, "signed item met")
    # the sign-off's evidence file: uploaded by the street, 404 from another street, listed, on the sheet
    mark = items["no_venue_drugs"]["sign_off"]["id"]
    body, ct = multipart(files=[("file", "排查台账.pdf", "application/pdf", PDF)])
    r = api("office_b").post(f"/api/v1/assess_marks/{mark}/attachments", raw=body, ctype=ct)
    expect_api_error(r, 404, "not_found", what="another street uploads evidence")
    r = api("as_office").post(f"/api/v1/assess_marks/{mark}/attachments", raw=body, ctype=ct)
    check(r.status == 201, f"evidence upload: {r.brief()}")
    lst = api("as_office").get(f"/api/v1/assess_marks/{mark}/attachments").json()
    expect_eq([a["filename"] for a in lst["items"]], ["排查台账.pdf"], "the sign-off's evidence")
    r = page("as_office").get(f"/assessment/marks/{mark}")
    expect_eq(r.status, 303, "the sign-off's page leads to its sheet")
    sheet = page("as_office").get(r.header("Location").split("#")[0]).text
    check("排查台账.pdf" in sheet, "the evidence file is listed on the sheet")
    expect_eq(page("office_b").get(f"/assessment/marks/{mark}").status, 404, "another street's sign-off")
    expect_eq(items["no_venue_drugs"]["sign_off"]["note"], "查阅场所排查记录12份", "sign-off note")
    expect_eq(items["sample_accuracy"]["value"], 99.0, "sample accuracy")
    expect_eq(items["sample_completeness"]["met"], True, "completeness 98.0 ≥ 95")
    expect_eq(u["sample"]["households"], 55, "households")
    expect_eq(u["result"], "pass", f"a community without persons, everything signed: {u}")
    check(u["percent"] >= 85, f"percent {u['percent']}")

    # return, apply again, review, approve
    expect_api_error(as_act("as_office", AS_COMM, "review_return"), 400, "invalid", "note", "return without a reason")
    r = as_act("as_office", AS_COMM, "review_return", note="补充场所排查记录")
    check(r.status == 200 and r.json()["state"] == "returned", f"return: {r.brief()}")
    r = as_act("as_worker", AS_COMM, "apply")
    check(r.status == 200 and r.json()["state"] == "applied", f"apply again: {r.brief()}")
    r = as_act("as_office", AS_COMM, "review_pass")
    check(r.status == 200 and r.json()["state"] == "reviewed", f"review: {r.brief()}")
    before = as_counts()
    expect_api_error(as_sign("as_office", AS_COMM, "no_venue_drugs"), 409, "conflict", what="sign after the review")
    expect_api_error(as_sample("as_office", AS_COMM), 409, "conflict", what="sample after the review")
    expect_api_error(as_act("as_office", AS_COMM, "approve"), 403, "forbidden", what="the street approves")
    expect_api_error(as_act("as_office", AS_COMM, "review_pass"), 409, "conflict", what="review twice")
    expect_api_error(as_act("as_admin", AS_COMM, "reject"), 400, "invalid", "note", "reject without a reason")
    as_unchanged(before, "refused calls after the review")
    r = as_act("as_admin", AS_COMM, "approve")
    check(r.status == 200 and r.json()["state"] == "approved", f"approve: {r.brief()}")
    expect_api_error(as_act("as_admin", AS_COMM, "approve"), 409, "conflict", what="approve twice")
    expect_api_error(as_act("as_worker", AS_COMM, "apply"), 409, "conflict", what="apply after the title")
    steps = api("as_office").get(f"/api/v1/assessment/steps?org={AS_COMM}&year={as_year()}").json()["items"]
    expect_eq([s["action"] for s in steps], ["apply", "review_return", "apply", "review_pass", "approve"], "steps")
    expect_eq(steps[1]["note"], "补充场所排查记录", "the return's reason")
    expect_eq(steps[-1]["result"], "pass", "the score recorded with the approval")
    acts = sql(f"SELECT action FROM audit_log WHERE action LIKE 'assess_%' AND entity_id = "
               f"(SELECT id FROM org_unit WHERE code = '{AS_COMM}') ORDER BY id")
    names = acts.split("\n")
    for want in ("assess_apply", "assess_sign", "assess_sample", "assess_review_return", "assess_review_pass",
                 "assess_approve"):
        check(want in names, f"audit rows of the flow: {want} missing in {names}")
    expect_eq(as_unit(as_get("as_admin", AS_STREET), AS_COMM)["state"], "approved", "the title recorded")
    # the other community, never signed, ranks below
    j = as_get("as_admin", AS_STREET)
    expect_eq(j["units"][0]["org"], AS_COMM, "the passing community ranks first")
    expect_eq(as_unit(j, AS_COMM2)["result"], "pending", "unsigned community pending")


@test
def as_xlsx():
    """The table as .xlsx: a row per community in rank order with its result."""
    as_fixture()
    r = api("as_admin").get(f"/api/v1/assessment?org={AS_STREET}&year={as_year()}&format=xlsx")
    check(r.status == 200 and r.body[:2] == b"PK", f"xlsx: {r.brief()}")
    rows = xlsx_rows(r.body)
    j = as_get("as_admin", AS_STREET)
    data = [rows[k] for k in sorted(rows) if k >= 3]
    expect_eq(len(data), len(j["units"]), "one row per community")
    for row, u in zip(data, j["units"]):
        expect_eq(row.get("C"), u["org"], "code column")
        expect_eq(row.get("F"), u["score"], "score column")
        expect_eq(row.get("A"), u["rank"], "rank column")
    r = page("as_admin").get(f"/assessment?org={AS_STREET}&year={as_year()}&format=xlsx")
    check(r.status == 200 and r.body[:2] == b"PK", f"page xlsx: {r.brief()}")


@test
def as_criteria():
    """A county's own set for a year applies below it (the latest year, then
    the nearest unit); only its own office sets it; a bad set is 400 with
    nothing written."""
    y = as_year()
    g = api("office").get(f"/api/v1/assessment/criteria?org=TC1&year={y}&scheme=village")
    check(g.status == 200, f"criteria: {g.brief()}")
    base = g.json()["criteria"]
    body = {"org": "T0", "year": y, "scheme": "village", "title": "无毒村", "pass_percent": 90,
            "sample_min": 50, "sample_max": 60, "sections": base["sections"],
            "items": [dict(i, target=i["target"] if i["target"] is not None else 0) for i in base["items"]]}
    for it in body["items"]:
        if isinstance(it["target"], float):
            it["target"] = round(it["target"] * 10)  # a percentage back into tenths
        it.pop("available", None)
    before = as_counts()
    expect_api_error(api("office").call("PUT", "/api/v1/assessment/criteria", obj=dict(body, org="T0")), 404,
                     "not_found", what="a street office sets the county's")
    expect_api_error(api("worker_a").call("PUT", "/api/v1/assessment/criteria", obj=dict(body, org="TC1")), 403,
                     "forbidden", what="a worker sets criteria")
    bad = dict(body, sections=[dict(s, cap=10) for s in body["sections"]])
    expect_api_error(api("admin").call("PUT", "/api/v1/assessment/criteria", obj=bad), 400, "invalid", "sections",
                     "caps not adding up to 100")
    expect_api_error(api("admin").call("PUT", "/api/v1/assessment/criteria", obj=dict(body, pass_percent=0)), 400,
                     "invalid", "pass_percent", "pass 0")
    as_unchanged(before, "refused criteria")
    r = api("admin").call("PUT", "/api/v1/assessment/criteria", obj=body)
    check(r.status in (200, 201), f"PUT criteria: {r.brief()}")
    g = api("office").get(f"/api/v1/assessment/criteria?org=TC1&year={y}&scheme=village").json()["criteria"]
    expect_eq(g["set"]["org_name"], "测试县", "the county's set applies to its communities")
    expect_eq(g["set"]["pass_percent"], 90, "the county's pass line")
    expect_eq([i["key"] for i in g["items"]], [i["key"] for i in base["items"]], "the same items")
    expect_eq([i["target"] for i in g["items"]], [i["target"] for i in base["items"]], "the same targets")
    j = as_get("office", "TS1", scheme="village")
    expect_eq(j["criteria"][0]["set"]["pass_percent"], 90, "the table uses it")
    # the default still holds for the community scheme
    j = as_get("office", "TS1")
    expect_eq(j["criteria"][0]["set"]["org_name"], None, "the default set for 无毒社区")


@test
def as_pages():
    """The table and a unit's sheet for every role that may see them; the
    street's review through the page's form; a refused post shows the sheet
    again with the message."""
    as_fixture()
    y = as_year()
    r = page("as_admin").get(f"/assessment?org={AS_COUNTY}&year={y}")
    check(r.status == 200 and AS_COMM in r.text and "考核结果" in r.text, f"/assessment: {r.brief()}")
    r = page("as_office").get(f"/assessment/unit?org={AS_COMM2}&year={y}")
    check(r.status == 200 and 'id="assess-sign"' in r.text and 'id="assess-sample"' in r.text,
          f"street office's sheet with its forms: {r.brief()}")
    r = page("office_b").get(f"/assessment/unit?org={AS_COMM2}&year={y}")
    expect_eq(r.status, 404, "another street's sheet")
    # a refused post: the sheet again with the error, nothing written
    before = as_counts()
    r = page("as_office").post("/assessment/sample", [("org", AS_COMM2), ("year", y), ("scheme", "community"),
                                                      ("date", today().isoformat()), ("households", "10"),
                                                      ("records", "20"), ("accurate", "20"), ("complete", "20")])
    expect_eq(r.status, 400, f"sample of 10 households through the page: {r.brief()}")
    check("抽查户数不在考核标准规定的范围内" in r.text, "the message beside the form")
    as_unchanged(before, "refused page post")
    r = page("as_worker2").post("/assessment/act", [("org", AS_COMM2), ("year", y), ("scheme", "community"),
                                                    ("action", "apply")])
    expect_eq(r.status, 303, f"apply through the page: {r.brief()}")
    r = page("as_worker2").get(r.header("Location"))
    check('data-state="applied"' in r.text, "the sheet shows the application")


@test
def as_catalog_complete():
    """Every Chinese string of the assessment's sources and every label of
    the criteria the migration seeds has its English in the catalog; the
    sheet reads in English."""
    cat, _ = _catalog()
    missing = catalog_missing(cat, ("core/assessment.c", "app/assessment.c", "web/api_assessment.c",
                                    "web/page_assessment.c"))
    for label in sql("SELECT label FROM assess_item UNION SELECT label FROM assess_section"
                     " UNION SELECT title FROM assess_set").splitlines():
        if label not in cat:
            missing.setdefault(label, "store/schema.c")
    _fail_missing(missing, "assessment texts")
    en = page("admin").get(f"/assessment?org=TS1&year={as_year()}",
                           headers={"Cookie": f"jd_session={page('admin').cookie}; jd_lang=en"})
    check("Drug-free community assessment" in en.text and "Control rate 100%" in en.text,
          "the assessment page in English")
