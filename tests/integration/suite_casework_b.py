"""tests/integration/suite_casework_b.py: household and residence, releases
seen coming, offences (issue 9 points 6-8), run inside
tests/integration/run.py's namespace (its helpers: api, dapi, dday,
sup_person, worklist, check, expect_eq, expect_api_error, run_cli, sql...).
Dated scenarios on the server whose today is DTODAY: a release 30 days out
and one passed without confirmation on the work list with their clearing
actions, a release notice turning the first into the pickup, an extension
and its bad input; an offence with its case number and kind changing the
risk grade, bad input and scope; division codes of units (command line and
its checks), a person's household division prefilled from the ID number or
entered, and a person counted on both sides of 人户分离 in the statistics,
the household side listing nobody outside the caller's scope."""

CB_DIVISIONS = (("T0", "320582"), ("TS1", "320582001"), ("TC1", "320582001001"), ("TC2", "320582001002"))


def cb_items(client, pid, query=""):
    return [x for x in worklist(client, query) if x["person_id"] == pid]


def cb_item(client, pid, reason, query=""):
    got = [x for x in cb_items(client, pid, query) if x["reason"] == reason]
    return got[0] if got else None


def cb_isolation(name, end_days):
    """A person of TC1 in compulsory isolation whose two years end on
    DTODAY + end_days (its planned end by the legal length)."""
    end = DTODAY + datetime.timedelta(days=end_days)
    start = (end + datetime.timedelta(days=1)).replace(year=end.year - 2).isoformat()
    return sup_person("worker_a", name, "TC1", "compulsory_isolation", start, start)


@test
def cb_release_upcoming_notice_pickup():
    a = dapi("worker_a")
    soon = cb_isolation("出所甲", 30)
    far = cb_isolation("出所乙", 31)
    it = cb_item(a, soon, "release_upcoming")
    check(it is not None, f"a release 30 days out is not on the work list: {cb_items(a, soon)}")
    expect_eq(it["due_date"], dday(30), "release_upcoming due_date")
    expect_eq(it["since"], dday(0), "release_upcoming since (30 days before)")
    expect_eq((it["action"]["kind"], it["action"]["arg"]), ("event", "release_notice"), "release_upcoming action")
    check(it.get("why"), f"release_upcoming has no why: {it}")
    expect_eq(cb_item(a, far, "release_upcoming"), None, "a release 31 days out on the work list")
    # the clearing action: the release notice (出所通知) -> the pickup (出所必接)
    r = a.post(f"/api/v1/persons/{soon}/events", {"kind": "release_notice", "date": dday(30)})
    check(r.status == 201, f"release notice: {r.brief()}")
    expect_eq(cb_item(a, soon, "release_upcoming"), None, "release_upcoming after the notice")
    check(cb_item(a, soon, "release_pickup") is not None, "no release_pickup after the notice")
    expect_eq(sql(f"SELECT release_due FROM person WHERE id = {soon}"), "", "release_due after the notice")


@test
def cb_release_unconfirmed_extension_released():
    a = dapi("worker_a")
    pid = cb_isolation("出所丙", -2)
    it = cb_item(a, pid, "release_unconfirmed")
    check(it is not None, f"a passed planned end is not release_unconfirmed: {cb_items(a, pid)}")
    expect_eq(it["days_overdue"], 2, "release_unconfirmed days_overdue")
    expect_eq((it["action"]["kind"], it["action"]["arg"]), ("event", "released"), "release_unconfirmed action")
    # bad extensions write nothing
    before = sup_counts()
    for body, field in (({"kind": "extension", "date": dday(0)}, "expected_end"),
                        ({"kind": "extension", "date": dday(0), "expected_end": dday(-3)}, "expected_end"),
                        ({"kind": "extension", "date": dday(0), "expected_end": "2025-13-01"}, "expected_end")):
        expect_api_error(a.post(f"/api/v1/persons/{pid}/events", body), 400, "invalid", field=field,
                         what=f"extension {body}")
    other = sup_person("worker_a", "出所丁", "TC1", "social_supervision", dday(-100), dday(-100))
    expect_api_error(a.post(f"/api/v1/persons/{other}/events",
                            {"kind": "extension", "date": dday(0), "expected_end": dday(90)}),
                     400, "invalid", field="kind", what="an extension out of custody")
    before = sup_counts()
    expect_api_error(dapi("worker_b").post(f"/api/v1/persons/{pid}/events",
                                           {"kind": "extension", "date": dday(0), "expected_end": dday(90)}),
                     404, "not_found", what="another community's extension")
    sup_unchanged(before, "an extension out of scope")
    # an extension moves the expected end: upcoming again from 30 days before it
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "extension", "date": dday(0), "expected_end": dday(20)})
    check(r.status == 201, f"extension: {r.brief()}")
    expect_eq(cb_item(a, pid, "release_unconfirmed"), None, "release_unconfirmed after the extension")
    it = cb_item(a, pid, "release_upcoming")
    check(it is not None and it["due_date"] == dday(20), f"release_upcoming after the extension: {it}")
    # the release recorded: nothing left
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "released", "date": dday(0)})
    check(r.status == 201, f"released: {r.brief()}")
    check(not [x for x in cb_items(a, pid) if x["reason"].startswith("release_")],
          f"release items after the release: {cb_items(a, pid)}")


@test
def cb_detention_expected_end():
    a = dapi("worker_a")
    pid = sup_person("worker_a", "拘留甲", "TC1", "social_supervision", dday(-300), dday(-300))
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "detained", "date": dday(-1), "expected_end": dday(9)})
    check(r.status == 201, f"detained with an expected end: {r.brief()}")
    it = cb_item(a, pid, "release_upcoming")
    check(it is not None and it["due_date"] == dday(9), f"detention's end not seen coming: {cb_items(a, pid)}")
    r = a.post(f"/api/v1/persons/{pid}/events", {"kind": "released", "date": dday(0)})
    check(r.status == 201, f"released from detention: {r.brief()}")
    expect_eq(a.get(f"/api/v1/persons/{pid}").json().get("status"), "social_supervision",
              "status after the release from detention")
    # prison: its expected release on the status
    q = sup_person("worker_a", "服刑甲", "TC1")
    expect_api_error(a.post(f"/api/v1/persons/{q}/status", {"status": "social_supervision", "decision_date": dday(-5),
                                                             "planned_end": dday(5)}),
                     400, "invalid", field="planned_end", what="a planned end out of custody")
    r = a.post(f"/api/v1/persons/{q}/status", {"status": "imprisoned", "decision_date": dday(-400),
                                               "start_date": dday(-400), "planned_end": dday(15)})
    check(r.status in (200, 201), f"prison with its planned end: {r.brief()}")
    check(cb_item(a, q, "release_upcoming") is not None, f"prison's end not seen coming: {cb_items(a, q)}")


@test
def cb_offence_risk():
    a = dapi("worker_a")
    pid = sup_person("worker_a", "犯罪甲", "TC1", "social_supervision", dday(-1500), dday(-1500))
    r = a.post(f"/api/v1/persons/{pid}/visits", {"date": dday(-1), "kind": "talk"})
    check(r.status == 201, f"a talk: {r.brief()}")
    expect_eq(a.get(f"/api/v1/persons/{pid}").json().get("risk_level"), "low", "risk before the offence")
    before = sup_counts()
    for body, field in (({"kind": "offence", "date": dday(0), "offence": "theft"}, "case_no"),
                        ({"kind": "offence", "date": dday(0), "case_no": "A320"}, "offence"),
                        ({"kind": "offence", "date": dday(0), "case_no": "A320", "offence": "piracy"}, "offence"),
                        ({"kind": "offence", "date": dday(1), "case_no": "A320", "offence": "theft"}, "date")):
        expect_api_error(a.post(f"/api/v1/persons/{pid}/events", body), 400, "invalid", field=field,
                         what=f"offence {body}")
    expect_api_error(dapi("worker_b").post(f"/api/v1/persons/{pid}/events",
                                           {"kind": "offence", "date": dday(0), "case_no": "A320", "offence": "theft"}),
                     404, "not_found", what="another community's offence")
    sup_unchanged(before, "bad offences")
    r = a.post(f"/api/v1/persons/{pid}/events",
               {"kind": "offence", "date": dday(0), "case_no": "A3205822025060001", "offence": "harbouring"})
    check(r.status == 201, f"offence: {r.brief()}")
    expect_eq(sql(f"SELECT case_no, offence_kind FROM person_event WHERE person_id = {pid} AND kind = 'offence'"),
              "A3205822025060001|harbouring", "the offence's row")
    expect_eq(a.get(f"/api/v1/persons/{pid}").json().get("risk_level"), "medium", "risk after the offence")
    r = a.get(f"/api/v1/stats?org=TC1&date={dday(0)}&from={dday(0)}&to={dday(0)}")
    check(r.status == 200, f"stats: {r.brief()}")
    check(r.json()["counts"].get("offences", 0) >= 1, f"offences not counted: {r.json()['counts']}")


def cb_divisions():
    for code, div in CB_DIVISIONS:
        rc, out, err = run_cli(["org", "division", "--db", C.db, "--code", code, "--division", div])
        expect_eq(rc, 0, f"org division {code} {div}: {err}")


def cb_stats(org, user="admin"):
    r = api(user).get(f"/api/v1/stats?org={org}")
    check(r.status == 200, f"stats of {org}: {r.brief()}")
    j = r.json()
    rate = j["rates"]["elsewhere_rate"]
    return j["counts"].get("elsewhere", 0), j["counts"].get("elsewhere_out", 0), rate["num"], rate["den"]


@test
def cb_org_division_checks():
    cb_divisions()
    for code, div in (("TC1", "3205820010"), ("TC1", "320582009001"), ("TS1", "320582"), ("T0", "32058x")):
        rc, out, err = run_cli(["org", "division", "--db", C.db, "--code", code, "--division", div])
        expect_eq(rc, 1, f"org division {code} {div} exit status")
        check(has_cjk(err) and len(err.strip().splitlines()) == 1, f"org division {code} {div}: stderr {err!r}")
    expect_eq(sql("SELECT division_code FROM org_unit WHERE code = 'TC1'"), "320582001001", "TC1's code kept")


@test
def cb_org_division_page():
    """POST /orgs/division (the /orgs form): an admin sets and clears a
    unit's code (audited); bad codes answer 400 with the message beside the
    form and write nothing; another county's admin gets 404 for a unit
    outside her scope, an office or a worker 403."""
    cb_divisions()
    as_fixture()  # a county of its own with its admin (suite_assessment.py)

    def div():
        return sql("SELECT coalesce(division_code, '') FROM org_unit WHERE code = 'TS2'")

    def audits():
        return sql_int("SELECT count(*) FROM audit_log WHERE action = 'division'")

    n = audits()
    r = page("admin").post("/orgs/division", [("code", "TS2"), ("division", "320582002")])
    expect_eq(r.status, 303, f"POST /orgs/division: {r.brief()}")
    expect_eq(div(), "320582002", "TS2's code")
    expect_eq(audits(), n + 1, "the change audited")
    for value, msg in (("32058200", "街道/乡镇的行政区划代码应为9位数字"), ("3205820020", "街道/乡镇的行政区划代码应为9位数字"),
                       ("32058200x", "街道/乡镇的行政区划代码应为9位数字"), ("440305001", "行政区划代码应以上级单位的代码开头")):
        r = page("admin").post("/orgs/division", [("code", "TS2"), ("division", value)])
        expect_eq(r.status, 400, f"POST /orgs/division {value}")
        check(msg in r.text, f"{value}: the message is not on the page: {short(r.text)}")
    r = page("admin").post("/orgs/division", [("code", "NOPE"), ("division", "320582002")])
    check(r.status in (400, 404), f"an unknown unit: {r.brief()}")
    for who, status in (("as_admin", 404), ("office", 403), ("worker_a", 403), ("viewer", 403)):
        r = page(who).post("/orgs/division", [("code", "TS2"), ("division", "320582009")])
        expect_eq(r.status, status, f"POST /orgs/division as {who}")
    expect_eq(div(), "320582002", "TS2's code after the refused posts")
    expect_eq(audits(), n + 1, "nothing audited by the refused posts")
    r = page("admin").post("/orgs/division", [("code", "TS2"), ("division", "")])
    expect_eq(r.status, 303, "clearing the code")
    expect_eq(div(), "", "TS2's code cleared")
    r = page("admin").get("/orgs")
    check("/orgs/division" in r.text and "行政区划代码" in r.text, "/orgs has no division form")


@test
def cb_household_both_sides():
    cb_divisions()
    a = api("worker_a")
    # prefilled from the ID number; a bad code refused
    p = payload("户籍甲", "TC1", region="440305")
    r = a.post("/api/v1/persons", p)
    check(r.status == 201, f"create: {r.brief()}")
    expect_eq(r.json().get("household_division"), "440305", "household division from the ID number")
    bad = payload("户籍乙", "TC1", region="440305")
    bad["household_division"] = "44030"
    expect_api_error(a.post("/api/v1/persons", bad), 400, "invalid", field="household_division",
                     what="a 5-digit household division")
    before = [cb_stats(o) for o in ("TC1", "TC2", "TS1", "T0")]
    # supervised in TC1, household in TC2: elsewhere for TC1, elsewhere_out for TC2, neither for TS1
    q = payload("户籍丙", "TC1", region="320582")
    q["household_division"] = "320582001002"
    r = a.post("/api/v1/persons", q)
    check(r.status == 201, f"create: {r.brief()}")
    qid = r.json()["id"]
    r = a.post(f"/api/v1/persons/{qid}/status", {"status": "social_supervision", "decision_date":
                                                  (today() - datetime.timedelta(days=10)).isoformat()})
    check(r.status in (200, 201), f"status: {r.brief()}")
    after = [cb_stats(o) for o in ("TC1", "TC2", "TS1", "T0")]
    delta = [tuple(x - y for x, y in zip(af, bf)) for af, bf in zip(after, before)]
    expect_eq(delta[0], (1, 0, 0, 0), "TC1: supervised here, household elsewhere")
    expect_eq(delta[1], (0, 1, 1, 1), "TC2: household here, supervised elsewhere (and in the rate)")
    expect_eq(delta[2], (0, 0, 0, 1), "TS1: both in the street: no 人户分离, in the rate's denominator")
    expect_eq(delta[3], (0, 0, 0, 1), "T0: both in the county")
    # TC2's worker sees the count, never the person supervised in TC1
    r = api("worker_b").get("/api/v1/stats/items?org=TC2&measure=elsewhere_out")
    check(r.status == 200, f"items: {r.brief()}")
    j = r.json()
    check(qid not in [x["person_id"] for x in j["items"]], f"TC2's worker sees TC1's person: {j}")
    check(j["outside_scope"] >= 1, f"outside_scope of elsewhere_out: {j}")
    tc1 = [u for u in j["outside_units"] if u["org"] == "TC1"]
    check(tc1 and tc1[0]["count"] >= 1 and set(tc1[0]) == {"org", "org_name", "count"},
          f"the supervising unit of the person is not told (counts only): {j['outside_units']}")
    r = api("worker_a").get("/api/v1/stats/items?org=TC1&measure=elsewhere")
    check(qid in [x["person_id"] for x in r.json().get("items", [])], f"TC1's elsewhere items: {r.brief()}")
    # the household entered by hand, changed later (people move): TC1 itself
    r = a.patch(f"/api/v1/persons/{qid}", {"household_division": "320582001001"})
    check(r.status == 200, f"patch household: {r.brief()}")
    expect_eq(cb_stats("TC1")[0] - before[0][0], 0, "TC1 after the household moved into it")


@test
def cb_release_database_migrated():
    """The release's demo database (schema 6) opened by this binary: every
    person's household division comes from the ID number, the custodial
    persons' expected releases are computed (derived_stale, emptied), the
    statistical facts are built again with the offences (version 3), and
    the doctor agrees."""
    old = release_database("release6-casework.db")
    rc, out, err = run_cli(["audit", "verify", "--db", old])
    expect_eq(rc, 0, f"opening the release's database ({err.strip()})")
    expect_eq(sql("SELECT count(*) FROM person WHERE household_division <> substr(id_number, 1, 6)", db=old), "0",
              "household divisions from the ID numbers")
    expect_eq(sql("SELECT count(*) FROM derived_stale", db=old), "0", "stale derived fields recomputed")
    custodial = sql("SELECT count(*) FROM person p JOIN status_episode e ON e.person_id = p.id"
                    " WHERE p.status = 'compulsory_isolation' AND e.status = p.status AND e.planned_end IS NOT NULL",
                    db=old)
    if custodial != "0":
        check(sql("SELECT count(*) FROM person WHERE release_due IS NOT NULL OR pickup_due IS NOT NULL", db=old) != "0",
              "no expected release computed for the persons in isolation")
    expect_eq(sql("SELECT count(*) FROM stat_person WHERE substr(hex(facts), 1, 2) <> '03'", db=old), "0",
              "statistical facts rebuilt at version 3")
    rc, out, err = run_cli(["doctor", "--db", old])
    expect_eq(rc, 0, f"jindu doctor over the migrated release database ({(out + err).strip()[-400:]})")


def cb_crimes_item(client, org):
    """The sheet of community org (under TS1) for DTODAY's year on the dated
    server, and its item no_user_crimes (无吸毒人员违法犯罪)."""
    r = client.get(f"/api/v1/assessment?org=TS1&year={DTODAY.year}&scheme=community")
    check(r.status == 200, f"assessment of TS1: {r.brief()}")
    j = r.json()
    u = [x for x in j["units"] if x["org"] == org][0]
    return j, u, [it for it in u["items"] if it["key"] == "no_user_crimes"][0]


@test
def cb_assessment_offences_scored():
    """The 无毒 sheet's veto item 无吸毒人员违法犯罪 (measure offences) is scored
    now that the measure exists: its figure is /api/v1/stats's count for the
    sheet's window, its evidence lists the persons; an offence recorded in
    the community makes it unmet and the sheet fail (一票否决)."""
    o = dapi("office")
    j, u, it = cb_crimes_item(o, "TC2")
    crit = [c for c in j["criteria"][0]["items"] if c["key"] == "no_user_crimes"][0]
    check(crit["available"] is True and crit["measure"] == "offences", f"the criterion: {crit}")
    check(it["verdict"] in ("met", "unmet"), f"no_user_crimes not scored: {it}")
    st = o.get(f"/api/v1/stats?org=TC2&from={j['from']}&to={j['to']}&date={j['date']}").json()
    expect_eq(it["value"], st["counts"]["offences"], "the item's figure is the statistics' count")
    pid = sup_person("worker_b", "考核犯罪甲", "TC2", "social_supervision", dday(-400), dday(-400))
    r = dapi("worker_b").post(f"/api/v1/persons/{pid}/events",
                              {"kind": "offence", "date": dday(-1), "case_no": "A3205822025061501", "offence": "theft"})
    check(r.status == 201, f"offence: {r.brief()}")
    j, u, it2 = cb_crimes_item(o, "TC2")
    expect_eq(it2["value"], it["value"] + 1, "the item counts the new offender")
    expect_eq((it2["verdict"], it2["met"]), ("unmet", False), "no_user_crimes after an offence")
    check(u["veto_failed"] and u["result"] == "fail", f"the veto item unmet, the sheet passes: {u['result']}")
    ev = o.get(it2["evidence"]["num"] + "&per_page=200").json()
    expect_eq(ev["total"], it2["value"], "the persons behind the item")
    check(pid in [x["person_id"] for x in ev["items"]], f"the offender is not listed as evidence: {ev}")


def cb_day_minus(iso, days):
    return (datetime.date.fromisoformat(iso) - datetime.timedelta(days=days)).isoformat()


@test
def cb_schema19_database_migrated():
    """A database of the previous version (schema 19: `jindu gen` of main
    before this work, with case plans, a service follow-up and a release
    notice entered through its API; tests/fixtures/README.md) opened by this
    binary: migration 20 runs on it. person_work is rebuilt with casework's
    plan_review_due / service_followup_due and the new release_due /
    release_from, their values kept; households come from the ID numbers;
    every person in isolation has the planned end of the current episode as
    release_due (30 days before it release_from) except the one with an open
    release notice, who keeps her pickup; nobody else has one; the facts are
    rebuilt at version 3; the audit chain and the doctor agree."""
    old = release_database("schema19-gen.db", fixture="schema19-gen400.sql.gz", version=19)
    before = {r.split("|")[0]: r for r in sql(
        "SELECT id, coalesce(plan_review_due, ''), coalesce(service_followup_due, ''), coalesce(pickup_due, ''),"
        " status, next_talk_due, next_test_due FROM person ORDER BY id", db=old).splitlines()}
    expect_eq(len(before), 400, "persons in the fixture")
    expect_eq(before["8"].split("|")[1:3], ["2027-03-01", "2027-01-15"], "person 8's plan review and follow-up")
    expect_eq(before["3"].split("|")[3], "2026-12-20", "person 3's pickup")
    rc, out, err = run_cli(["audit", "verify", "--db", old])
    expect_eq(rc, 0, f"opening the schema-19 database and verifying its chain ({err.strip()})")
    expect_eq(sql("PRAGMA user_version", db=old), str(schema_latest()), "migrated to the newest schema")
    idx = sql("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'person_work'", db=old)
    cols = [c.strip() for c in idx[idx.index("(", idx.index(" ON ")) + 1:idx.rindex(")")].split(",")]
    for c in ("work_from", "leave_until", "plan_review_due", "service_followup_due", "release_due", "release_from"):
        check(c in cols, f"person_work lacks {c}: {cols}")
    after = {r.split("|")[0]: r for r in sql(
        "SELECT id, coalesce(plan_review_due, ''), coalesce(service_followup_due, ''), coalesce(pickup_due, ''),"
        " status, next_talk_due, next_test_due FROM person ORDER BY id", db=old).splitlines()}
    expect_eq(after, before, "casework's derived columns, pickups, statuses and due dates kept")
    expect_eq(sql("SELECT count(*) FROM person WHERE household_division <> substr(id_number, 1, 6)", db=old), "0",
              "household divisions from the ID numbers")
    expect_eq(sql("SELECT count(*) FROM org_unit WHERE division_code IS NOT NULL", db=old), "0",
              "no unit has a division code yet")
    expect_eq(sql("SELECT count(*) FROM person_event WHERE case_no <> '' OR offence_kind <> ''", db=old), "0",
              "no event has a case number")
    expect_eq(sql("SELECT count(*) FROM derived_stale", db=old), "0", "stale derived fields recomputed")
    # the current episode's planned end of each person in isolation (the fixture has no extension, no release)
    want = {}
    for line in sql("SELECT p.id, e.planned_end, coalesce(p.pickup_due, '') FROM person p JOIN status_episode e"
                    " ON e.person_id = p.id WHERE p.status = 'compulsory_isolation' AND e.status = p.status"
                    " AND e.id = (SELECT max(id) FROM status_episode x WHERE x.person_id = p.id)"
                    " ORDER BY p.id", db=old).splitlines():
        pid, end, pickup = line.split("|")
        want[pid] = "|" if pickup else f"{end}|{cb_day_minus(end, 30)}"
    check(len(want) >= 20 and list(want.values()).count("|") == 1, f"isolation persons of the fixture: {want}")
    got = dict(line.split("|", 1) for line in sql(
        "SELECT id, coalesce(release_due, '') || '|' || coalesce(release_from, '') FROM person"
        " WHERE status = 'compulsory_isolation' ORDER BY id", db=old).splitlines())
    expect_eq(got, want, "release_due|release_from of the persons in isolation")
    expect_eq(got["3"], "|", "person 3 (release notice open): no release seen coming, the pickup stands")
    expect_eq(sql("SELECT count(*) FROM person WHERE status <> 'compulsory_isolation'"
                  " AND (release_due IS NOT NULL OR release_from IS NOT NULL)", db=old), "0",
              "release_due only in custody with a planned end")
    expect_eq(sql("SELECT count(*) FROM person WHERE release_from IS NOT NULL AND (work_from IS NULL"
                  " OR work_from > release_from)", db=old), "0", "work_from no later than release_from")
    expect_eq(sql("SELECT count(*) FROM stat_person WHERE substr(hex(facts), 1, 2) <> '03'", db=old), "0",
              "statistical facts rebuilt at version 3")
    check(sql_int("SELECT count(*) FROM stat_person", db=old) >= 400, "the facts of every person")
    rc, out, err = run_cli(["doctor", "--db", old])
    expect_eq(rc, 0, f"jindu doctor over the migrated schema-19 database ({(out + err).strip()[-400:]})")


@test
def cb_catalog_complete():
    """Every Chinese string of this issue's sources has its English in web/i18n_catalog.inc."""
    cat, _ = _catalog()
    missing = catalog_missing(cat, ("core/offence.c", "core/division.c", "core/supervision.c", "app/org.c",
                                    "app/stats.c", "web/page_org.c", "web/page_rules.c"))
    check(not missing, f"no English for {missing}")
