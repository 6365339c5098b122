# Casework (issue 9): the case plan, services and referrals, help-team roles
# as codes with the unit's required set, the complete file, the whole
# history of a person. Run by run.py in its own namespace (its helpers,
# @test); release_database comes from suite_unitwork.py (the same namespace).

import datetime

CW_ROLES = ("family", "cadre", "police", "social_worker", "judicial", "civil_affairs", "human_resources", "medical",
            "volunteer", "other")


def cw_today():
    return today().isoformat()


def cw_day(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def cw_person(name, team=None):
    """A supervised person of TC1 (social supervision since today) made by
    worker_a; returns the id."""
    p = payload(name, "TC1", birth="19860411", region="320581")
    if team is not None:
        p["help_team"] = team
    p["status"] = "social_supervision"
    p["decision_date"] = cw_today()
    p["start_date"] = cw_today()
    r = api("worker_a").post("/api/v1/persons", p)
    check(r.status == 201, f"create {name}: {r.brief()}")
    return r.json()["id"]


def cw_file(pid, who="worker_a"):
    r = api(who).get(f"/api/v1/persons/{pid}/file")
    expect_eq(r.status, 200, f"GET the file check of {pid} ({r.brief()})")
    return r.json()


def cw_listed(pid, complete):
    r = api("worker_a").get(f"/api/v1/persons?complete={complete}&per_page=200")
    expect_eq(r.status, 200, f"the person list complete={complete} ({r.brief()})")
    return pid in [i["id"] for i in r.json()["items"]]


@test
def cw_release_roles_migrated():
    """The release's demo database: its help-team roles (free text) become
    codes, the text kept in role_other where no role matches; the doctor
    agrees with the casework columns and the rebuilt statistics."""
    old = release_database("release6_cw.db")
    before = sql("SELECT id, role FROM help_member ORDER BY id", db=old).splitlines()
    check(len(before) > 10, f"the fixture has help-team members: {len(before)}")
    rc, out, err = run_cli(["doctor", "--db", old])
    expect_eq(rc, 0, f"jindu doctor over the migrated release database ({(out + err).strip()[-400:]})")
    after = {}
    for line in sql("SELECT id, role || '|' || role_other FROM help_member ORDER BY id", db=old).splitlines():
        i, rest = line.split("|", 1)
        after[i] = rest
    want = {"家属": "family", "社区民警": "police", "禁毒社工": "social_worker", "社区干部": "cadre"}
    for line in before:
        i, text = line.split("|", 1)
        role, other = after[i].split("|", 1)
        check(role in CW_ROLES, f"member {i}: role {role!r} is no code")
        if text in want:
            expect_eq((role, other), (want[text], ""), f"member {i} ({text})")
        elif role == "other":
            expect_eq(other, text, f"member {i}: the text kept")
    sup = sql_int("SELECT count(*) FROM person WHERE status IN ('community_detox','community_rehab',"
                  "'social_supervision') AND file_missing & 2 = 0", db=old)
    expect_eq(sup, 0, "no supervised file of the release has a case plan")
    # a text no role matches stays, as other
    import sqlite3
    path = release_database("release6_cw2.db")
    con = sqlite3.connect(path)
    con.execute("UPDATE help_member SET role = '邻居' WHERE id = (SELECT min(id) FROM help_member)")
    con.execute("UPDATE help_member SET role = '片警' WHERE id = (SELECT max(id) FROM help_member)")
    con.commit()
    con.close()
    rc, out, err = run_cli(["doctor", "--db", path])
    expect_eq(rc, 0, f"doctor after migrating edited roles ({(out + err).strip()[-300:]})")
    expect_eq(sql("SELECT role || '|' || role_other FROM help_member WHERE id = (SELECT min(id) FROM help_member)",
                  db=path), "other|邻居", "an unmatched text kept in role_other")
    expect_eq(sql("SELECT role || '|' || role_other FROM help_member WHERE id = (SELECT max(id) FROM help_member)",
                  db=path), "police|", "片警 is the community police")


@test
def cw_plan_and_file_api():
    """A file from incomplete to complete through the API: the team's
    missing roles, a case plan (bad input refused whole, versions kept), the
    letter; the person list's complete filter follows; the plan's review
    date within the horizon is on the work list until a new version moves
    it; another community's worker gets 404 on every read and write."""
    pid = cw_person("完整测甲", team=[{"role": "家属", "name": "甲母", "phone": ""}])
    f = cw_file(pid)
    expect_eq((f["applies"], f["complete"]), (True, False), "a new supervised file is incomplete")
    expect_eq(sorted(m["check"] for m in f["missing"]), ["document", "plan", "team"], "what it misses")
    expect_eq(sorted(f["missing_roles"]), ["cadre", "police", "social_worker"], "the roles 四位一体 lacks")
    check(cw_listed(pid, 0) and not cw_listed(pid, 1), "the list's complete filter puts it among the incomplete")
    r = api("worker_a").get("/api/v1/persons?complete=2")
    expect_api_error(r, 400, "invalid", field="complete", what="complete=2")
    a = api("worker_a")
    r = a.patch(f"/api/v1/persons/{pid}", {"help_team": [
        {"role": "family", "name": "甲母", "phone": ""}, {"role": "社区民警", "name": "李警官", "phone": ""},
        {"role": "禁毒社工", "name": "王社工", "phone": ""}, {"role": "社区干部", "name": "赵主任", "phone": ""},
        {"role": "邻居", "name": "钱某", "phone": ""}]})
    expect_eq(r.status, 200, f"the team ({r.brief()})")
    team = r.json()["help_team"]
    expect_eq([m["role"] for m in team], ["family", "police", "social_worker", "cadre", "other"], "roles as codes")
    expect_eq(team[4].get("role_other"), "邻居", "the text of role other")
    expect_eq(sorted(m["check"] for m in cw_file(pid)["missing"]), ["document", "plan"], "the team covers 四位一体")
    # the plan: bad input
    r = a.post(f"/api/v1/persons/{pid}/plan", {"goals": "", "review_date": cw_today(), "measures": []})
    expect_api_error(r, 400, "invalid", field="review_date", what="a review date of today")
    fields = r.json()["error"].get("fields", {})
    check("goals" in fields and "measures" in fields, f"every fault in one answer: {fields}")
    r = a.post(f"/api/v1/persons/{pid}/plan", {"goals": "x", "review_date": cw_day(3), "measures": "x"})
    expect_api_error(r, 400, "invalid", field="measures", what="measures not an array")
    r = a.post(f"/api/v1/persons/{pid}/plan", {"goals": "x", "review_date": cw_day(3),
                                                "measures": [{"content": "x", "start_date": "2025-13-01"}]})
    expect_api_error(r, 400, "invalid", field="measures", what="a measure's bad date")
    expect_eq(sql_int(f"SELECT count(*) FROM case_plan WHERE person_id = {pid}"), 0, "nothing written")
    r = api("worker_b").post(f"/api/v1/persons/{pid}/plan", {"goals": "x", "review_date": cw_day(3),
                                                              "measures": [{"content": "x", "start_date": cw_today()}]})
    expect_eq(r.status, 404, "another community's worker writes no plan")
    plan = {"goals": "稳定就业，远离涉毒人员", "review_date": cw_day(3), "responsible": "王社工",
            "measures": [{"content": "每月谈心一次", "start_date": cw_today(), "responsible": "王社工"},
                         {"content": "推荐技能培训", "start_date": cw_today()}]}
    r = a.post(f"/api/v1/persons/{pid}/plan", plan)
    expect_eq(r.status, 201, f"the plan ({r.brief()})")
    expect_eq((r.json()["version"], len(r.json()["measures"])), (1, 2), "version 1 with its measures")
    items = [i for i in worklist(a) if i["person_id"] == pid and i["reason"] == "plan_review"]
    check(len(items) == 1 and items[0]["due_date"] == cw_day(3) and items[0]["action"]["kind"] == "plan",
          f"the review date is on the work list: {items}")
    plan["review_date"] = cw_day(90)
    r = a.post(f"/api/v1/persons/{pid}/plan", plan)
    expect_eq(r.json()["version"], 2, "a revision is version 2")
    check(not [i for i in worklist(a) if i["person_id"] == pid and i["reason"] == "plan_review"],
          "the revised plan's review is not due")
    r = a.get(f"/api/v1/persons/{pid}/plan?per_page=1")
    j = r.json()
    expect_eq((j["total"], j["items"][0]["version"]), (2, 2), "the versions, the current first, paged")
    expect_eq(api("worker_b").get(f"/api/v1/persons/{pid}/plan").status, 404, "out of scope: 404")
    expect_eq(sorted(m["check"] for m in cw_file(pid)["missing"]), ["document"], "the plan is on file")
    r = page("worker_a").post(f"/persons/{pid}/docs", [("kind", "responsibility_letter"), ("signed_date", cw_today()),
                                                      ("number", "ZR-1")])
    check(r.status in (200, 303), f"the letter ({r.status})")
    f = cw_file(pid)
    expect_eq((f["complete"], f["missing"]), (True, []), "the file is complete")
    check(cw_listed(pid, 1) and not cw_listed(pid, 0), "the list's complete filter follows")
    # 六位一体 on the street makes it incomplete; only an office may say so
    r = api("worker_a").call("PUT", "/api/v1/team_requirement", obj={"org": "TS1", "roles": "six"})
    expect_eq(r.status, 403, "a worker sets no requirement")
    r = api("office").call("PUT", "/api/v1/team_requirement", obj={"org": "TS1", "roles": "six"})
    expect_eq(r.status, 200, f"the street says 六位一体 ({r.brief()})")
    f = cw_file(pid)
    expect_eq(sorted(f["missing_roles"]), ["civil_affairs", "human_resources", "judicial"], "six roles required")
    r = api("worker_a").get("/api/v1/team_requirement?org=TC1")
    expect_eq((r.json()["own"], r.json()["from"]), (False, "一号街道"), "inherited down the tree")
    r = api("office").call("PUT", "/api/v1/team_requirement", obj={"org": "TS1", "roles": ["family", "bogus"]})
    expect_api_error(r, 400, "invalid", field="roles", what="an unknown role")
    r = api("office").call("PUT", "/api/v1/team_requirement", obj={"org": "TS1", "roles": None})
    expect_eq(r.status, 200, "the street inherits again")
    expect_eq(cw_file(pid)["complete"], True, "complete under 四位一体 again")
    C.persons["cw_complete"] = pid


@test
def cw_services_and_history_api():
    """Services: a referral, its steps through the state machine, a
    follow-up on the work list until it is recorded; the whole history as
    paged, scoped lists (visits, tests, events, plan, services)."""
    pid = cw_person("服务测乙")
    a = api("worker_a")
    r = a.post(f"/api/v1/persons/{pid}/services", {"kind": "tulip", "provider": "", "referral_date": cw_day(1)})
    expect_api_error(r, 400, "invalid", field="kind", what="an unknown kind")
    fields = r.json()["error"].get("fields", {})
    check("provider" in fields and "referral_date" in fields, f"every fault: {fields}")
    r = a.post(f"/api/v1/persons/{pid}/services", {"kind": "employment", "provider": "区人社局",
                                                    "referral_date": cw_today(), "follow_up_date": cw_day(2)})
    expect_eq(r.status, 201, f"a referral ({r.brief()})")
    sid = r.json()["id"]
    expect_eq((r.json()["state"], r.json()["kind_label"]), ("referred", "就业安置"), "referred")
    items = [i for i in worklist(a) if i["person_id"] == pid and i["reason"] == "service_followup"]
    check(len(items) == 1 and items[0]["due_date"] == cw_day(2), f"the follow-up on the work list: {items}")
    r = a.post(f"/api/v1/services/{sid}/steps", {"state": "delivered", "date": cw_today()})
    expect_api_error(r, 400, "invalid", field="state", what="referred -> delivered")
    r = a.post(f"/api/v1/services/{sid}/steps", {"state": "declined", "date": cw_today()})
    expect_api_error(r, 400, "invalid", field="reason", what="declined without a reason")
    expect_eq(api("worker_b").post(f"/api/v1/services/{sid}/steps", {"state": "accepted", "date": cw_today()}).status,
              404, "another community's worker")
    r = a.post(f"/api/v1/services/{sid}/steps", {"state": "accepted", "date": cw_today(), "outcome": "已安排面试"})
    expect_eq(r.status, 201, f"accepted ({r.brief()})")
    j = r.json()
    expect_eq((j["state"], j["follow_up_date"], len(j["steps"])), ("accepted", None, 2), "the step clears the follow-up")
    check(not [i for i in worklist(a) if i["person_id"] == pid and i["reason"] == "service_followup"],
          "no follow-up due any more")
    for what in ("visits", "tests", "events", "plan", "services"):
        r = a.get(f"/api/v1/persons/{pid}/{what}?page=1&per_page=5")
        expect_eq(r.status, 200, f"GET {what}")
        j = r.json()
        check(all(k in j for k in ("items", "total", "page", "per_page")), f"{what}: the list's shape {j}")
        expect_eq(api("worker_b").get(f"/api/v1/persons/{pid}/{what}").status, 404, f"{what} out of scope")
        r = a.get(f"/api/v1/persons/{pid}/{what}?per_page=0")
        expect_api_error(r, 400, "invalid", field="per_page", what=f"{what} per_page=0")
    expect_eq(a.get(f"/api/v1/persons/{pid}/services").json()["total"], 1, "the service listed")
    # reads are written by the audit queue's thread after the answer: wait for them (up to 3 s, a loaded machine)
    reads = f"SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'person' AND entity_id = {pid}"
    t0 = time.time()
    while sql_int(reads) < 5 and time.time() - t0 <= 3.0:
        time.sleep(0.05)
    n = sql_int(reads)
    check(n >= 5, f"the reads audited ({n})")
    r = api("office").get("/api/v1/stats?org=TS1")
    expect_eq(r.status, 200, "the statistics")
    sv = r.json()["counts"].get("services") or {}
    check(sv.get("employment", 0) >= 1 and sv.get("accepted", 0) >= 1 and sv.get("total", 0) >= 1,
          f"services by kind and state in the statistics: {sv}")
    ch = [c for c in r.json()["children"] if c["org"] == "TC1"]
    check(ch and ch[0]["counts"]["services"]["employment"] >= 1, "the community's row counts its services")
    r = api("office").get("/api/v1/stats/items?org=TS1&measure=services.employment")
    expect_eq(r.status, 200, f"the persons behind the services ({r.brief()})")
    check(pid in [i["person_id"] for i in r.json()["items"]], "the referred person behind the number")
    r = a.get("/api/v1/casework_vocab")
    expect_eq([t["code"] for t in r.json()["help_roles"]], list(CW_ROLES), "the roles as data")


@test
def cw_pages():
    """The case file says complete or lists what is missing with the form of
    each; the plan and service forms; the print view holds every section."""
    pid = C.persons.get("cw_complete")
    pg = page("worker_a")
    if pid:
        r = pg.get(f"/persons/{pid}")
        check('id="file-complete"' in r.text and 'id="plan"' in r.text and 'id="services"' in r.text,
              "the complete file's page")
    q = cw_person("页面测丙", team=[{"role": "家属", "name": "丙母", "phone": ""}])
    r = pg.get(f"/persons/{q}")
    check('id="file-incomplete"' in r.text and f'/persons/{q}/plan/new' in r.text and f'/persons/{q}/edit#team-form'
          in r.text, "the incomplete file links to its forms")
    r = pg.get(f"/persons/{q}/plan/new")
    expect_eq(r.status, 200, "the plan form")
    r = pg.post(f"/persons/{q}/plan/new", [("goals", ""), ("review_date", cw_day(30)), ("m_content", ""),
                                            ("m_start", ""), ("m_responsible", "")])
    expect_eq(r.status, 400, "the plan form refuses no goals and no measure")
    check("至少填写一项帮教措施" in r.text, "the message beside the measures")
    r = pg.post(f"/persons/{q}/plan/new", [("goals", "戒断"), ("review_date", cw_day(30)), ("m_content", "每月谈话"),
                                            ("m_start", cw_today()), ("m_responsible", "")])
    check(r.status in (200, 303), f"the plan saved ({r.status})")
    r = pg.post(f"/persons/{q}/services/new", [("kind", "counselling"), ("provider", "心理服务站"),
                                                ("referral_date", cw_today())])
    check(r.status in (200, 303), f"the referral saved ({r.status})")
    sid = sql_int(f"SELECT max(id) FROM service WHERE person_id = {q}")
    r = pg.get(f"/services/{sid}")
    check(r.status == 200 and "心理服务站" in r.text, "the service page")
    expect_eq(page("worker_b").get(f"/services/{sid}").status, 404, "a service out of scope")
    r = pg.get(f"/persons/{q}/print")
    check("现行计划" in r.text and "心理服务站" in r.text and "帮教与检测记录" in r.text and "page-break" in r.text,
          "the print view holds the plan, the services and the history")
    r = page("office").get("/team_roles?org=TS1")
    check(r.status == 200 and "四位一体" in r.text, "the requirement page")
