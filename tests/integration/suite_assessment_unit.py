"""tests/integration/suite_assessment_unit.py: the 无毒单位 assessment of
partner places (issue 11 point 4, scheme "unit"), run inside
tests/integration/run.py's namespace after suite_assessment.py (its county
TA0, street TAS, communities TAC1/TAC2 and users). The sheet of a venue
whose figures come from its ledgers (letters it signed, activities held with
it, inspections and their follow-up), each equal to a count made here from
the same rows; scope (another street's place 404 as a missing one); bad
input (no place, a place that is not a number, an unknown item: 400 with
nothing written); the flow end to end (the community applies, the street
signs the manual items and reviews, the county approves, the title is
recorded); the steps, the .xlsx and the pages."""

AU_STREET2, AU_COMM3 = "TAS2", "TAC3"


def au_fixture():
    """Two places of TAC1 (a venue, a school), a street of its own with a
    community and a venue (another street's place), once; their ids."""
    as_fixture()
    if "au_venue" in C.persons:
        return C.persons["au_venue"], C.persons["au_school"], C.persons["au_other"]
    for code, name, level, parent in ((AU_STREET2, "考核二街道", "street", AS_COUNTY),
                                      (AU_COMM3, "考核丙社区", "community", AU_STREET2)):
        rc, out, err = run_cli(["org", "add", "--db", C.db, "--code", code, "--name", name, "--level", level,
                                "--parent", parent])
        check(rc == 0, f"org add {code}: {err}")
    ids = []
    for who, body in (("as_worker", {"org": AS_COMM, "kind": "venue", "name": "考核KTV", "category": "ktv",
                                     "address": "考核路1号", "contact": "陈经理"}),
                      ("as_worker", {"org": AS_COMM, "kind": "school", "name": "考核小学", "address": "考核路2号"}),
                      ("as_admin", {"org": AU_COMM3, "kind": "venue", "name": "丙社区KTV", "category": "ktv",
                                    "address": "丙路1号"})):
        r = api(who).post("/api/v1/places", body)
        expect_eq(r.status, 201, f"POST place {body['name']} ({r.brief()})")
        ids.append(r.json()["id"])
    C.persons["au_venue"], C.persons["au_school"], C.persons["au_other"] = ids
    return ids


def au_get(user, org=AS_STREET, place=None):
    q = f"/api/v1/assessment?org={org}&year={as_year()}&scheme=unit" + (f"&place={place}" if place else "")
    r = api(user).get(q)
    check(r.status == 200, f"GET {q} as {user}: {r.brief()}")
    return r.json()


def au_sheet(j, place):
    for u in j["units"]:
        if u.get("place", {}).get("id") == place:
            return u
    raise Failure(f"place {place} not in the assessment: {[u.get('place') for u in j['units']]}")


def au_item(u, key):
    for it in u["items"]:
        if it["key"] == key:
            return it
    raise Failure(f"no item {key} in {[i['key'] for i in u['items']]}")


def au_act(user, place, action, note=None):
    body = {"year": int(as_year()), "scheme": "unit", "place": place, "action": action}
    if note is not None:
        body["note"] = note
    return api(user).post("/api/v1/assessment/act", body)


def au_sign(user, place, item, met="met", note="查阅制度文件和宣传栏照片"):
    return api(user).call("PUT", "/api/v1/assessment/sign",
                          obj={"year": as_year(), "scheme": "unit", "place": place, "item": item, "met": met,
                               "note": note})


@test
def au_sheet_from_ledgers():
    """A venue's automatic items equal counts of its ledger rows made here:
    the letter it signed for the year, the activities held with it in the
    year, the inspections that found a problem and those still open; an
    open problem fails the veto item until its follow-up is done; the
    section over its cap gives its cap; the school is a subject, the set's
    own subjects listed."""
    venue, school, other = au_fixture()
    y = as_year()
    day = today().isoformat()
    r = api("as_office").post("/api/v1/letters", {"org": AS_STREET, "year": int(y), "kind": "venue",
                                                  "signer_place": venue, "signed_date": day})
    expect_eq(r.status, 201, f"the venue signs its letter ({r.brief()})")
    for title in ("KTV禁毒宣传进场所", "KTV员工禁毒培训"):
        r = api("as_worker").post("/api/v1/activities", {"org": AS_COMM, "date": day, "kind": "lecture",
                                                         "settings": ["venue"], "title": title, "places": [venue],
                                                         "participants": 20})
        expect_eq(r.status, 201, f"activity {title} ({r.brief()})")
    r = api("as_office").post("/api/v1/inspections", {"venue": venue, "date": day, "inspectors": "民警张某、社工李某",
                                                      "result": "problem_found", "findings": "包厢视窗被遮挡",
                                                      "followup": "拆除遮挡物", "followup_due": day})
    expect_eq(r.status, 201, f"an inspection with a problem ({r.brief()})")
    C.persons["au_inspection"] = r.json()["id"]
    j = au_get("as_office")
    crit = j["criteria"][0]
    expect_eq(crit["set"].get("subjects"), ["school", "enterprise", "venue", "member_unit"], "the set's subjects")
    names = {u["place"]["id"]: u["place"]["name"] for u in j["units"]}
    check(venue in names and school in names and other not in names, f"the street's places only: {names}")
    u = au_sheet(j, venue)
    expect_eq((u["org"], u["place"]["kind"]), (AS_COMM, "venue"), "the venue's unit and kind")
    letters = sql_int(f"SELECT count(*) FROM letter WHERE signer_place_id = {venue} AND year = {y}"
                      f" AND signed_date <= '{day}'")
    acts = sql_int(f"SELECT count(*) FROM activity a JOIN activity_place p ON p.activity_row = a.id"
                   f" WHERE p.place_id = {venue} AND a.current = 1 AND a.date BETWEEN '{y}-01-01' AND '{day}'")
    problems = sql_int(f"SELECT count(*) FROM inspection WHERE place_id = {venue} AND result = 'problem_found'"
                       f" AND date BETWEEN '{y}-01-01' AND '{day}'")
    open_ = sql_int(f"SELECT count(*) FROM inspection WHERE place_id = {venue} AND date <= '{day}'"
                    f" AND (result = 'problem_found' OR followup_due IS NOT NULL)"
                    f" AND (followup_done IS NULL OR followup_done > '{day}')")
    expect_eq((letters, acts, problems, open_), (1, 2, 1, 1), "the counts made here")
    expect_eq(au_item(u, "letter_signed")["value"], letters, "letter_signed")
    expect_eq(au_item(u, "activities")["value"], acts, "activities")
    expect_eq(au_item(u, "no_problem_found")["value"], problems, "no_problem_found")
    expect_eq(au_item(u, "no_open_problem")["value"], open_, "no_open_problem")
    expect_eq((au_item(u, "no_open_problem")["met"], u["veto_failed"], u["result"]), (False, True, "fail"),
              "an open problem fails the veto item")
    check(au_item(u, "letter_signed")["evidence"]["num"] == f"/api/v1/places/{venue}", "evidence: the place")
    s = au_sheet(j, school)
    expect_eq((au_item(s, "letter_signed")["value"], au_item(s, "no_open_problem")["met"]), (0, True),
              "the school has no letter and no open problem")
    # the follow-up done: the veto item met, nothing else pending but the manual items
    r = api("as_office").post(f"/api/v1/inspections/{C.persons['au_inspection']}/followup", {"date": day})
    expect_eq(r.status, 200, f"follow-up done ({r.brief()})")
    u = au_sheet(au_get("as_office"), venue)
    expect_eq((au_item(u, "no_open_problem")["value"], au_item(u, "no_open_problem")["met"], u["veto_failed"],
               u["result"]), (0, True, False, "pending"), "the problem put right")
    # drug_free 10 of 40 (the manual veto item pending), duty 15, education 15 (manual items pending)
    expect_eq([(x["key"], x["earned"]) for x in u["sections"]], [("drug_free", 10), ("duty", 15), ("education", 15)],
              "points before the sign-offs")


@test
def au_scope_and_bad_input():
    """Another street's place answers 404 as a missing one (read, steps,
    every write); no place, a place that is not a number, an unknown item,
    a bad subject: 400; nothing written."""
    venue, school, other = au_fixture()
    y = as_year()
    before = as_counts()
    for path in (f"/api/v1/assessment?scheme=unit&year={y}&place={other}",
                 f"/api/v1/assessment?scheme=unit&year={y}&place=99999999",
                 f"/api/v1/assessment/steps?scheme=unit&year={y}&place={other}"):
        expect_api_error(api("as_office").get(path), 404, "not_found", what=f"another street's place: {path}")
    expect_api_error(au_act("as_office", other, "apply"), 404, "not_found", what="apply for another street's place")
    expect_api_error(au_sign("as_office", other, "board"), 404, "not_found", what="sign another street's place")
    expect_api_error(au_act("as_worker2", venue, "apply"), 404, "not_found",
                     what="a worker of another community (the place is out of her scope)")
    expect_api_error(api("as_worker").post("/api/v1/assessment/act", {"year": y, "scheme": "unit", "action": "apply"}),
                     400, "invalid", "place", "no place")
    expect_api_error(api("as_worker").post("/api/v1/assessment/act",
                                           {"year": y, "scheme": "unit", "place": "abc", "action": "apply"}),
                     400, "invalid", "place", "a place that is not a number")
    expect_api_error(api("as_office").get(f"/api/v1/assessment?scheme=unit&year={y}&place=-3"), 400, "invalid",
                     "place", "a negative place")
    expect_api_error(au_sign("as_office", venue, "letter_signed"), 400, "invalid", "item", "an automatic item")
    expect_api_error(au_sign("as_office", venue, "board", met="yes"), 400, "invalid", "met", "met yes")
    expect_api_error(api("as_admin").call("PUT", "/api/v1/assessment/criteria", obj={
        "org": AS_COUNTY, "year": y, "scheme": "unit", "title": "县无毒单位", "pass_percent": 80,
        "subjects": ["school", "bank"], "sections": [{"key": "a", "label": "甲", "cap": 100}],
        "items": [{"key": "b", "section": "a", "label": "乙", "kind": "manual", "points": 100}]}),
        400, "invalid", "subjects", "a subject that is no place kind")
    as_unchanged(before, "refused place requests")


@test
def au_flow():
    """The venue's community applies, the street signs the manual items
    (with the evidence named) and reviews, the county approves: the title
    无毒单位 recorded with the score; the steps; a second approval 409."""
    venue, school, other = au_fixture()
    if au_sheet(au_get("as_office"), venue)["state"] == "approved":
        return
    r = au_act("as_worker", venue, "apply")
    expect_eq((r.status, r.json().get("state"), r.json().get("place")), (200, "applied", str(venue)), "apply")
    before = as_counts()
    expect_api_error(au_act("as_office", venue, "review_pass"), 409, "conflict", what="review while items are pending")
    as_unchanged(before, "a refused review")
    for item in ("no_drug_use", "organisation", "board", "staff_education"):
        r = au_sign("as_office", venue, item)
        expect_eq(r.status, 200, f"sign {item} ({r.brief()})")
    u = au_sheet(au_get("as_office"), venue)
    # drug_free 10 + 0 + 20; duty 15 + 15; education 15 + 10 + 10 = 35, capped at 30
    expect_eq([(x["key"], x["earned"]) for x in u["sections"]], [("drug_free", 30), ("duty", 30), ("education", 30)],
              "the capped sections")
    expect_eq((u["score"], u["max"], u["result"]), (90, 100, "pass"), "the venue passes")
    r = au_act("as_office", venue, "review_pass")
    expect_eq((r.status, r.json().get("state")), (200, "reviewed"), "the street reviews")
    expect_api_error(au_sign("as_office", venue, "board", met="unmet"), 409, "conflict", what="sign after the review")
    expect_api_error(au_act("as_worker", venue, "approve"), 403, "forbidden", what="a worker approves")
    r = au_act("as_admin", venue, "approve")
    expect_eq((r.status, r.json().get("state")), (200, "approved"), "the county approves")
    expect_api_error(au_act("as_admin", venue, "approve"), 409, "conflict", what="approved twice")
    row = sql(f"SELECT a.state, a.place_id, o.code FROM assess_app a JOIN org_unit o ON o.id = a.org_id"
              f" WHERE a.scheme = 'unit' AND a.place_id = {venue}")
    expect_eq(row, f"approved|{venue}|{AS_COMM}", "the title recorded")
    r = api("as_office").get(f"/api/v1/assessment/steps?scheme=unit&year={as_year()}&place={venue}")
    expect_eq([s["action"] for s in r.json()["items"]], ["apply", "review_pass", "approve"], "the steps")
    expect_eq(r.json()["items"][-1]["score"], 90, "the score at approval")
    check(sql_int("SELECT count(*) FROM audit_log WHERE action = 'assess_approve' AND detail LIKE '%place%'") >= 1,
          "the approval audited with its place")
    # the school's sheet is untouched by the venue's
    s = au_sheet(au_get("as_office"), school)
    expect_eq(s["state"], "none", "the school has not applied")


@test
def au_xlsx_and_pages():
    """The places' ranking as .xlsx (a row per place with its name) and as
    a page; one place's sheet page; the page's post carries the place."""
    venue, school, other = au_fixture()
    y = as_year()
    r = api("as_admin").get(f"/api/v1/assessment?org={AS_STREET}&year={y}&scheme=unit&format=xlsx")
    check(r.status == 200 and r.body[:2] == b"PK", f"xlsx: {r.brief()}")
    rows = xlsx_rows(r.body)
    j = au_get("as_admin")
    data = [rows[k] for k in sorted(rows) if k >= 3]
    expect_eq(len(data), len(j["units"]), "one row per place")
    for row, u in zip(data, j["units"]):
        expect_eq((row.get("A"), row.get("E")), (u["rank"], u["place"]["name"]), "rank and place columns")
    r = page("as_admin").get(f"/assessment?org={AS_STREET}&year={y}&scheme=unit")
    check(r.status == 200 and "考核KTV" in r.text and "考核小学" in r.text and "丙社区KTV" not in r.text
          and f'data-place="{venue}"' in r.text, "the ranking page")
    r = page("as_office").get(f"/assessment/unit?org={AS_COMM}&year={y}&scheme=unit&place={school}")
    check(r.status == 200 and "考核小学" in r.text and "act-apply" in r.text and 'name="place"' in r.text,
          f"the school's sheet with the street's apply button: {r.brief()}")
    r = page("as_office").get(f"/assessment/unit?year={y}&scheme=unit&place={other}")
    check(r.status == 404, f"another street's place page: {r.brief()}")
    r = page("as_office").post("/assessment/act", [("year", y), ("scheme", "unit"), ("place", str(school)),
                                                   ("action", "apply")])
    expect_eq(r.status, 303, f"the street applies for the school through the page: {r.brief()}")
    check(f"place={school}" in r.header("Location"), "back to the school's sheet")
    r = page("as_office").get(r.header("Location"))
    check('data-state="applied"' in r.text, "the school's sheet shows the application")
