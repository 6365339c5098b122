"""tests/integration/suite_places.py: places and partner units,
responsibility letters and venue inspections (issue 10 points 1, 4, 5 and
what 8-11 ask of them), run inside tests/integration/run.py's namespace
(its helpers: api, page, check, expect_eq, expect_api_error, sql, sql_int,
xlsx_rows, multipart, png_bytes, EXE, att_counts, _same_404, _form_of...).
Every endpoint; bad input answered 400 with nothing written; another
street's record 404 exactly as a missing one; deactivation never deletes;
the signing rate and the missing signers; follow-up states of the API and
of the list's filter agree; attachments on letters and inspections; the
pages, their forms, print views and .xlsx downloads read back."""

PL_MISSING = 987654320


def pl_counts():
    """Rows of every table these ledgers write, and the audit rows of writes."""
    return sql("SELECT (SELECT count(*) FROM place),(SELECT group_concat(active, '') FROM place),"
               "(SELECT count(*) FROM letter),(SELECT count(*) FROM letter_required),"
               "(SELECT count(*) FROM inspection),(SELECT count(followup_done) FROM inspection),"
               "(SELECT count(*) FROM audit_log WHERE action <> 'read')")


pl_unchanged = unchanged_check(pl_counts)


def pl_place(**kw):
    p = {"org": "TC1", "kind": "venue", "name": "测试KTV", "address": "测试路1号", "contact": "陈经理",
         "phone": "13900001111", "category": "ktv", "licence_no": "娱经字001", "notes": "二楼"}
    p.update(kw)
    return p


def pl_day(days=0):
    return (today() + datetime.timedelta(days=days)).isoformat()


def pl_venue(name, org="TC1", who="office"):
    """A venue registered by who (its id)."""
    r = api(who).post("/api/v1/places", pl_place(name=name, org=org))
    expect_eq(r.status, 201, f"POST venue {name} ({r.brief()})")
    return r.json()["id"]


# ---- places

@test
def pl_place_create_read_list_update():
    """POST /api/v1/places (201, the record), GET by id, the list by kind,
    name and unit, PUT changes it (the old values audited)."""
    a = api("worker_a")
    r = a.post("/api/v1/places", pl_place())
    expect_eq(r.status, 201, f"POST a place ({r.brief()})")
    j = r.json()
    for k in ("id", "org", "org_name", "kind", "name", "address", "contact", "phone", "category", "licence_no",
              "notes", "active", "deactivated_at", "deactivate_reason", "created_by", "created_at"):
        check(k in j, f"the place has no {k}: {j}")
    expect_eq((j["org"], j["org_name"], j["kind"], j["category"], j["active"]), ("TC1", "甲社区", "venue", "ktv", True),
              "the place")
    C.persons["pl_venue"] = j["id"]
    r = a.get(f"/api/v1/places/{j['id']}")
    expect_eq((r.status, r.json()["name"]), (200, "测试KTV"), "GET the place")
    r = a.post("/api/v1/places", pl_place(kind="school", name="测试小学", category=None, licence_no=""))
    expect_eq((r.status, r.json().get("category")), (201, None), f"a school ({r.brief()})")
    school = r.json()["id"]
    r = api("office").get("/api/v1/places?kind=venue&org=TS1")
    ids = [i["id"] for i in r.json()["items"]]
    check(j["id"] in ids and school not in ids, f"the kind filter: {ids}")
    r = api("office").get("/api/v1/places?q=" + urllib.parse.quote("小学"))
    expect_eq([i["id"] for i in r.json()["items"]], [school], "the name filter")
    r = api("office").get("/api/v1/places?per_page=1")
    check(r.json()["total"] >= 2 and len(r.json()["items"]) == 1, f"paging: {short(r.text)}")
    r = a.call("PUT", f"/api/v1/places/{school}", obj=pl_place(kind="school", name="测试第一小学", category=None,
                                                               address="新址路2号"))
    expect_eq((r.status, r.json().get("name"), r.json().get("address")), (200, "测试第一小学", "新址路2号"),
              f"PUT a place ({r.brief()})")
    check(sql_int("SELECT count(*) FROM audit_log WHERE entity = 'place' AND action = 'update'"
                  f" AND entity_id = {school} AND detail LIKE '%测试小学%'") == 1, "the change's audit row has the old name")
    C.persons["pl_school"] = school


def _pl_place_case(name, mutate, field):
    def fn():
        a = api("worker_a")
        before = pl_counts()
        body = pl_place(name="坏数据场所")
        mutate(body)
        err = expect_api_error(a.post("/api/v1/places", body), 400, "invalid", field=field, what=f"a place with {name}")
        check(has_cjk(err["message"]), f"{name}: the message is not Chinese")
        pl_unchanged(before, f"a place with {name}")
    add_test("pl_place_bad_" + name, fn)


for _n, _m, _f in [
    ("unknown_kind", lambda b: b.update(kind="castle"), "kind"),
    ("category_on_school", lambda b: b.update(kind="school"), "category"),
    ("venue_without_category", lambda b: b.update(category=None), "category"),
    ("unknown_category", lambda b: b.update(category="opium_den"), "category"),
    ("no_name", lambda b: b.update(name=""), "name"),
    ("name_too_long", lambda b: b.update(name="长" * 101), "name"),
    ("bad_phone", lambda b: b.update(phone="12345"), "phone"),
    ("unit_out_of_scope", lambda b: b.update(org="TC3"), "org"),
    ("unknown_field", lambda b: b.update(colour="红"), "colour"),
    ("kind_not_text", lambda b: b.update(kind=3), "kind"),
]:
    _pl_place_case(_n, _m, _f)


@test
def pl_place_name_taken_and_scope():
    """A second active place of the same name in the unit is refused; the
    place of another street answers 404 exactly as a missing one, and is
    not listed; the viewer may not register one."""
    vid = C.persons.get("pl_venue")
    check(vid, "needs pl_place_create_read_list_update")
    b, viewer = api("office_b"), api("viewer")  # (signed in before the count: a sign-in is audited)
    before = pl_counts()
    expect_api_error(api("worker_a").post("/api/v1/places", pl_place()), 400, "invalid", field="name",
                     what="a second 测试KTV")
    _same_404(b.get(f"/api/v1/places/{vid}"), b.get(f"/api/v1/places/{PL_MISSING}"), vid, PL_MISSING,
              "GET another street's place")
    _same_404(b.call("PUT", f"/api/v1/places/{vid}", obj=pl_place(name="改名")),
              b.call("PUT", f"/api/v1/places/{PL_MISSING}", obj=pl_place(name="改名")), vid, PL_MISSING,
              "PUT another street's place")
    ids = [i["id"] for i in api("office_b").get("/api/v1/places?active=all&per_page=200").json()["items"]]
    check(vid not in ids, "another street's place is listed")
    expect_api_error(api("office_b").get("/api/v1/places?org=TC1"), 404, "not_found", what="another street's unit")
    expect_api_error(viewer.post("/api/v1/places", pl_place(name="查看员场所")), 403, "forbidden",
                     what="the viewer registers a place")
    expect_api_error(api("office").get("/api/v1/places?active=maybe"), 400, "invalid", field="active",
                     what="a bad active filter")
    pl_unchanged(before, "refused places")


@test
def pl_place_deactivate():
    """Deactivation: an office only, with a reason, audited, kept (listed
    with active=0 or all, not by default), not twice, not changed after;
    the name is free again."""
    pid = pl_venue("将停业KTV")
    api("worker_a"), api("office_b")  # (signed in before the count: a sign-in is audited)
    before = pl_counts()
    expect_api_error(api("worker_a").post(f"/api/v1/places/{pid}/deactivate", {"reason": "停业"}), 403, "forbidden",
                     what="a worker deactivates")
    expect_api_error(api("office").post(f"/api/v1/places/{pid}/deactivate", {}), 400, "invalid", field="reason",
                     what="no reason")
    _same_404(api("office_b").post(f"/api/v1/places/{pid}/deactivate", {"reason": "x"}),
              api("office_b").post(f"/api/v1/places/{PL_MISSING}/deactivate", {"reason": "x"}), pid, PL_MISSING,
              "deactivate another street's place")
    pl_unchanged(before, "refused deactivations")
    r = api("office").post(f"/api/v1/places/{pid}/deactivate", {"reason": "已停业，营业执照注销"})
    expect_eq((r.status, r.json().get("active"), r.json().get("deactivate_reason")), (200, False, "已停业，营业执照注销"),
              f"deactivate ({r.brief()})")
    expect_eq(sql_int(f"SELECT count(*) FROM place WHERE id = {pid}"), 1, "the place is kept")
    expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE entity = 'place' AND action = 'deactivate'"
                      f" AND entity_id = {pid}"), 1, "the deactivation's audit row")
    expect_api_error(api("office").post(f"/api/v1/places/{pid}/deactivate", {"reason": "再"}), 409, "conflict",
                     what="deactivated twice")
    expect_api_error(api("office").call("PUT", f"/api/v1/places/{pid}", obj=pl_place(name="将停业KTV")), 409, "conflict",
                     what="a change of a deactivated place")
    ids = lambda q: [i["id"] for i in api("office").get("/api/v1/places?per_page=200" + q).json()["items"]]
    check(pid not in ids("") and pid in ids("&active=0") and pid in ids("&active=all"), "the active filter")
    pl_venue("将停业KTV")  # the name is free again


# ---- letters

@test
def pl_letters():
    """Required signers (office only), letters (201, one a signer, kind and
    year: 409), the list of the year with the rate and the missing signers,
    GET one, DELETE a requirement; another street 404."""
    y = today().year
    o = api("office")
    vid = pl_venue("责任书KTV")
    r = o.post("/api/v1/letters/required", {"org": "TS1", "year": y, "kind": "goal", "signer_org": "TC1"})
    expect_eq(r.status, 201, f"require TC1 ({r.brief()})")
    expect_eq((r.json()["signer_org"], r.json()["letter_id"], r.json()["signer_name"]), ("TC1", None, "甲社区"),
              "the requirement")
    for body in ({"org": "TS1", "year": y, "kind": "goal", "signer_org": "TC2"},
                 {"org": "TS1", "year": y, "kind": "venue", "signer_place": vid}):
        expect_eq(o.post("/api/v1/letters/required", body).status, 201, f"require {body}")
    before = pl_counts()
    expect_api_error(o.post("/api/v1/letters/required", {"org": "TS1", "year": y, "kind": "goal", "signer_org": "TC1"}),
                     409, "conflict", what="a signer required twice")
    expect_api_error(api("worker_a").post("/api/v1/letters/required",
                                          {"org": "TC1", "year": y, "kind": "goal", "signer_place": vid}),
                     403, "forbidden", what="a worker requires a signer")
    pl_unchanged(before, "refused requirements")
    body = {"org": "TS1", "year": y, "kind": "goal", "signer_org": "TC1", "signed_date": today().isoformat(),
            "notes": "街道与社区签订"}
    r = o.post("/api/v1/letters", body)
    expect_eq(r.status, 201, f"POST a letter ({r.brief()})")
    j = r.json()
    for k in ("id", "org", "org_name", "year", "kind", "signer_type", "signer_org", "signer_place", "signer_name",
              "signed_date", "notes", "created_by", "created_at"):
        check(k in j, f"the letter has no {k}: {j}")
    expect_eq((j["signer_type"], j["signer_org"], j["signer_place"]), ("org", "TC1", None), "the signer")
    C.persons["pl_letter"] = j["id"]
    before = pl_counts()
    expect_api_error(o.post("/api/v1/letters", body), 409, "conflict", what="the same letter twice")
    pl_unchanged(before, "a letter twice")
    r = o.post("/api/v1/letters", dict(body, signer_org=None, signer_place=vid, kind="venue"))
    expect_eq((r.status, r.json().get("signer_type"), r.json().get("signer_place")), (201, "place", vid),
              f"a venue's letter ({r.brief()})")
    r = o.get(f"/api/v1/letters?year={y}")
    j = r.json()
    expect_eq((j["year"], j["required"], j["signed"]), (y, 3, 2), "the year's summary")
    expect_eq((j["rate"]["num"], j["rate"]["den"], j["rate"]["value"]), (2, 3, 66.7), "the rate, half up")
    expect_eq([m["signer_org"] for m in j["missing"]], ["TC2"], "the missing signers")
    check(all(m["letter_id"] for m in j["required_signers"] if m["signer_org"] != "TC2"), "the signed requirements")
    r = o.get(f"/api/v1/letters?year={y}&kind=venue")
    expect_eq((r.json()["total"], r.json()["required"], r.json()["rate"]["value"]), (1, 1, 100.0), "the kind filter")
    expect_eq(api("office_b").get(f"/api/v1/letters?year={y}").json()["required"], 0, "another street's summary")
    lid = C.persons["pl_letter"]
    expect_eq(api("worker_a").get(f"/api/v1/letters/{lid}").status, 404, "the community reads the street's letter")
    _same_404(api("office_b").get(f"/api/v1/letters/{lid}"), api("office_b").get(f"/api/v1/letters/{PL_MISSING}"),
              lid, PL_MISSING, "GET another street's letter")
    expect_eq(api("admin").get(f"/api/v1/letters/{lid}").status, 200, "the county reads it")
    miss = j["missing"][0]["id"]
    _same_404(api("office_b").call("DELETE", f"/api/v1/letters/required/{miss}"),
              api("office_b").call("DELETE", f"/api/v1/letters/required/{PL_MISSING}"), miss, PL_MISSING,
              "DELETE another street's requirement")
    r = o.call("DELETE", f"/api/v1/letters/required/{miss}")
    expect_eq(r.status, 200, f"DELETE a requirement ({r.brief()})")
    r = o.get(f"/api/v1/letters?year={y}")
    expect_eq((r.json()["required"], r.json()["signed"], r.json()["missing"]), (2, 2, []), "after the removal")
    expect_api_error(o.get("/api/v1/letters?year=20x6"), 400, "invalid", field="year", what="a bad year")


def _pl_letter_case(name, mutate, field, status=400):
    def fn():
        o = api("office")
        before = pl_counts()
        body = {"org": "TS1", "year": today().year, "kind": "eradication", "signer_org": "TC2",
                "signed_date": today().isoformat()}
        mutate(body)
        err = expect_api_error(o.post("/api/v1/letters", body), status, "invalid", field=field,
                               what=f"a letter with {name}")
        check(has_cjk(err["message"]), f"{name}: the message is not Chinese")
        pl_unchanged(before, f"a letter with {name}")
    add_test("pl_letter_bad_" + name, fn)


for _n, _m, _f in [
    ("unknown_kind", lambda b: b.update(kind="pledge"), "kind"),
    ("no_signer", lambda b: b.update(signer_org=None), "signer_org"),
    ("two_signers", lambda b: b.update(signer_place=1), "signer_org"),
    ("signer_itself", lambda b: b.update(signer_org="TS1"), "signer_org"),
    ("signer_other_street", lambda b: b.update(signer_org="TC3"), "signer_org"),
    ("signer_place_missing", lambda b: b.update(signer_org=None, signer_place=PL_MISSING), "signer_place"),
    ("future_date", lambda b: b.update(signed_date=pl_day(1)), "signed_date"),
    ("date_outside_year", lambda b: b.update(year=today().year - 3), "signed_date"),
    ("year_far_ahead", lambda b: b.update(year=today().year + 2), "year"),
    ("year_not_number", lambda b: b.update(year="2026"), "year"),
    ("issuer_out_of_scope", lambda b: b.update(org="TS2", signer_org="TC3"), "org"),
]:
    _pl_letter_case(_n, _m, _f)


# ---- inspections

def pl_inspection(venue, **kw):
    b = {"venue": venue, "date": pl_day(-2), "inspectors": "民警张某、社工李某", "result": "problem_found",
         "findings": "包厢视窗被遮挡", "followup": "三日内拆除遮挡物", "followup_due": pl_day(1)}
    b.update(kw)
    return b


@test
def pl_inspections():
    """POST /api/v1/inspections (201 with the follow-up state), by the
    police liaison too; GET one; the list with totals; the follow-up done
    (200), not twice (409), not for an inspection without a problem;
    another street 404 as a missing one; the viewer may not record."""
    vid = C.persons.get("pl_venue") or pl_venue("检查KTV")
    r = api("police").post("/api/v1/inspections", pl_inspection(vid))
    expect_eq(r.status, 201, f"POST an inspection ({r.brief()})")
    j = r.json()
    for k in ("id", "venue", "venue_name", "venue_category", "org", "org_name", "date", "inspectors", "result",
              "findings", "followup", "followup_due", "followup_done", "done_notes", "followup_state", "created_by",
              "created_at"):
        check(k in j, f"the inspection has no {k}: {j}")
    expect_eq((j["venue"], j["result"], j["followup_state"], j["followup_done"]), (vid, "problem_found", "open", None),
              "the inspection")
    iid = j["id"]
    C.persons["pl_inspection"] = iid
    r = api("worker_a").post("/api/v1/inspections", pl_inspection(vid, result="no_problem", findings="", followup="",
                                                                  followup_due=None))
    expect_eq((r.status, r.json().get("followup_state")), (201, "none"), f"an inspection without a problem ({r.brief()})")
    quiet = r.json()["id"]
    r = api("office").get(f"/api/v1/inspections?venue={vid}&from={pl_day(-2)}")
    j = r.json()
    check({iid, quiet} <= {i["id"] for i in j["items"]}, f"the list: {short(r.text)}")
    t = j["totals"]
    check(t["inspections"] == j["total"] and t["problems"] >= 1 and t["open"] >= 1, f"totals {t}")
    r = api("office").get("/api/v1/inspections?result=no_problem")
    check(all(i["result"] == "no_problem" for i in r.json()["items"]), "the result filter")
    for who in ("office_b",):
        b = api(who)
        _same_404(b.get(f"/api/v1/inspections/{iid}"), b.get(f"/api/v1/inspections/{PL_MISSING}"), iid, PL_MISSING,
                  f"GET an inspection as {who}")
        _same_404(b.post(f"/api/v1/inspections/{iid}/followup", {"date": today().isoformat()}),
                  b.post(f"/api/v1/inspections/{PL_MISSING}/followup", {"date": today().isoformat()}), iid, PL_MISSING,
                  f"the follow-up of an inspection as {who}")
    api("viewer")  # (signed in before the count)
    before = pl_counts()
    expect_api_error(api("viewer").post("/api/v1/inspections", pl_inspection(vid)), 403, "forbidden",
                     what="the viewer records")
    expect_api_error(api("worker_a").post(f"/api/v1/inspections/{quiet}/followup", {"date": today().isoformat()}),
                     409, "conflict", what="the follow-up of an inspection without a problem")
    expect_api_error(api("worker_a").post(f"/api/v1/inspections/{iid}/followup", {"date": pl_day(-3)}), 400, "invalid",
                     field="date", what="a follow-up before the inspection")
    expect_api_error(api("worker_a").post(f"/api/v1/inspections/{iid}/followup", {"date": pl_day(1)}), 400, "invalid",
                     field="date", what="a follow-up in the future")
    expect_api_error(api("office").get("/api/v1/inspections?followup=soon"), 400, "invalid", field="followup",
                     what="an unknown follow-up state")
    pl_unchanged(before, "refused inspections")
    r = api("worker_a").post(f"/api/v1/inspections/{iid}/followup", {"date": today().isoformat(), "notes": "已拆除"})
    expect_eq((r.status, r.json().get("followup_state"), r.json().get("followup_done")),
              (200, "done", today().isoformat()), f"the follow-up done ({r.brief()})")
    expect_api_error(api("worker_a").post(f"/api/v1/inspections/{iid}/followup", {"date": today().isoformat()}),
                     409, "conflict", what="the follow-up done twice")
    expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE entity = 'inspection' AND entity_id = {iid}"
                      " AND action = 'followup_done'"), 1, "the follow-up's audit row")


def _pl_inspection_case(name, mutate, field):
    def fn():
        vid = C.persons.get("pl_venue") or pl_venue("坏检查KTV")
        before = pl_counts()
        body = pl_inspection(vid)
        mutate(body)
        err = expect_api_error(api("worker_a").post("/api/v1/inspections", body), 400, "invalid", field=field,
                               what=f"an inspection with {name}")
        check(has_cjk(err["message"]), f"{name}: the message is not Chinese")
        pl_unchanged(before, f"an inspection with {name}")
    add_test("pl_inspection_bad_" + name, fn)


for _n, _m, _f in [
    ("no_venue", lambda b: b.update(venue=None), "venue"),
    ("venue_missing", lambda b: b.update(venue=PL_MISSING), "venue"),
    ("venue_is_school", lambda b: b.update(venue=C.persons.get("pl_school") or PL_MISSING), "venue"),
    ("future_date", lambda b: b.update(date=pl_day(1), followup_due=pl_day(2)), "date"),
    ("unknown_result", lambda b: b.update(result="fine"), "result"),
    ("problem_without_findings", lambda b: b.update(findings=""), "findings"),
    ("due_before_date", lambda b: b.update(followup_due=pl_day(-3)), "followup_due"),
    ("due_too_late", lambda b: b.update(followup_due=pl_day(400)), "followup_due"),
    ("no_inspectors", lambda b: b.update(inspectors=""), "inspectors"),
    ("venue_not_integer", lambda b: b.update(venue="1"), "venue"),
]:
    _pl_inspection_case(_n, _m, _f)


@test
def pl_inspection_other_street_venue():
    """A venue of another street cannot be inspected from here (field venue),
    and its inspections are not listed."""
    far = pl_venue("丙社区酒吧", org="TC3", who="office_b")
    before = pl_counts()
    expect_api_error(api("office").post("/api/v1/inspections", pl_inspection(far)), 400, "invalid", field="venue",
                     what="another street's venue")
    pl_unchanged(before, "another street's venue")
    r = api("office_b").post("/api/v1/inspections", pl_inspection(far))
    expect_eq(r.status, 201, f"the other street inspects its venue ({r.brief()})")
    ids = [i["id"] for i in api("office").get("/api/v1/inspections?per_page=200").json()["items"]]
    check(r.json()["id"] not in ids, "another street's inspection is listed")


@test
def pl_followup_states_agree():
    """The follow-up state of each inspection (core/ledger.h, in the JSON)
    and the list's filter (its SQL) agree for every state."""
    vid = pl_venue("整改状态KTV")
    a = api("worker_a")
    made = {
        "overdue": pl_inspection(vid, date=pl_day(-5), followup_due=pl_day(-1)),
        "open": pl_inspection(vid, date=pl_day(-5), followup_due=None),
        "open_today": pl_inspection(vid, date=pl_day(-5), followup_due=today().isoformat()),
        "none": pl_inspection(vid, date=pl_day(-5), result="no_problem", findings="", followup="", followup_due=None),
        "due_no_problem": pl_inspection(vid, date=pl_day(-5), result="no_problem", findings="", followup_due=pl_day(3)),
        "done": pl_inspection(vid, date=pl_day(-5), followup_due=pl_day(-2)),
    }
    ids = {}
    for k, body in made.items():
        r = a.post("/api/v1/inspections", body)
        expect_eq(r.status, 201, f"inspection {k} ({r.brief()})")
        ids[k] = r.json()["id"]
    expect_eq(a.post(f"/api/v1/inspections/{ids['done']}/followup", {"date": pl_day(-1)}).status, 200, "done")
    items = a.get(f"/api/v1/inspections?venue={vid}&per_page=200").json()["items"]
    state = {i["id"]: i["followup_state"] for i in items}
    expect_eq({k: state[v] for k, v in ids.items()},
              {"overdue": "overdue", "open": "open", "open_today": "open", "none": "none", "due_no_problem": "open",
               "done": "done"}, "the states")
    for code in ("open", "overdue", "done", "none"):
        got = {i["id"] for i in a.get(f"/api/v1/inspections?venue={vid}&followup={code}&per_page=200").json()["items"]}
        expect_eq(got, {i for i, s in state.items() if s == code}, f"the filter followup={code}")


# ---- attachments

@test
def pl_attachments():
    """Scans of letters and photos of inspections: uploaded by a writer in
    scope, listed, read back; another street 404 as a missing one; the
    viewer may not upload; an executable named .jpg is refused with
    nothing written."""
    lid, iid = C.persons.get("pl_letter"), C.persons.get("pl_inspection")
    check(lid and iid, "needs pl_letters and pl_inspections")
    for kind, rid, who in (("letters", lid, "office"), ("inspections", iid, "worker_a")):
        att_record_checks(api(who), kind, rid, PL_MISSING, "扫描件.png", ("photo.jpg", "image/jpeg"), record=kind[:-1])


# ---- downloads

@test
def pl_xlsx():
    """Each list's .xlsx has the JSON's rows (read back): ids, dates as
    dates, numbers as numbers, a title naming the ledger and the unit."""
    o = api("office")
    r = o.get("/api/v1/places?format=xlsx&active=all")
    expect_eq(r.status, 200, f"places xlsx ({r.brief()})")
    rows = xlsx_rows(r.body)
    check("场所与单位台账" in str(rows[1].get("A")) and "一号街道" in str(rows[1].get("A")), f"title row {rows[1]}")
    expect_eq(rows[2].get("E"), "名称", "the header row")
    want = o.get("/api/v1/places?active=all&per_page=200").json()["items"]
    got = [rows[k] for k in sorted(rows) if k > 2]
    expect_eq([g.get("A") for g in got], [w["id"] for w in want], "places: xlsx ids vs JSON")
    expect_eq([g.get("E") for g in got], [w["name"] for w in want], "places: names")
    r = o.get("/api/v1/inspections?format=xlsx")
    rows = xlsx_rows(r.body)
    want = o.get("/api/v1/inspections?per_page=200").json()["items"]
    got = [rows[k] for k in sorted(rows) if k > 2]
    expect_eq([g.get("A") for g in got], [w["id"] for w in want], "inspections: xlsx ids vs JSON")
    expect_eq([g.get("B") for g in got], [datetime.date.fromisoformat(w["date"]) for w in want], "dates as dates")
    expect_eq([g.get("K") for g in got],
              [datetime.date.fromisoformat(w["followup_due"]) if w["followup_due"] else None for w in want],
              "follow-up deadlines as dates")
    y = today().year
    r = o.get(f"/api/v1/letters?format=xlsx&year={y}")
    rows = xlsx_rows(r.body)
    want = o.get(f"/api/v1/letters?year={y}&per_page=200").json()
    got = [rows[k] for k in sorted(rows) if k > 2]
    expect_eq([g.get("A") for g in got[:len(want["items"])]], [w["id"] for w in want["items"]], "letters: ids")
    expect_eq([g.get("B") for g in got[:len(want["items"])]], [y] * len(want["items"]), "letters: years as numbers")
    check("签订率" in str(got[-1].get("D")), f"the rate row {got[-1]}")
    expect_eq(len(got), len(want["items"]) + len(want["missing"]) + 1, "rows: letters, missing signers, rate")
    expect_eq(api("office_b").get("/api/v1/inspections?format=xlsx&org=TC1").status, 404, "another street's xlsx")


# ---- pages

@test
def pl_pages():
    """The list pages (filters, totals, print view, xlsx), a place's page
    with its deactivation, a letter's page with its upload form, and the
    inspection form posted as a browser does (a wrong one again with 400
    and nothing written; the viewer 403)."""
    pg = page("office")
    for path, text in (("/places", "测试KTV"), ("/letters", "签订率"), ("/inspections", "整改状态"),
                       ("/places?print=1", "测试KTV"), ("/inspections?print=1&followup=done", "检查场所")):
        r = pg.get(path)
        expect_eq(r.status, 200, f"GET {path}")
        check(text in r.text, f"{path} lacks {text}")
    r = pg.get("/places?format=xlsx")
    expect_eq((r.status, r.header("Content-Type").startswith("application/vnd.openxmlformats")), (200, True),
              "the page's xlsx")
    vid = C.persons.get("pl_venue")
    r = pg.get(f"/places/{vid}")
    check(r.status == 200 and f"/places/{vid}/deactivate" in r.text, "the place page has no deactivation form")
    check("/places/" + str(vid) + "/deactivate" not in page("worker_a").get(f"/places/{vid}").text,
          "a worker sees the deactivation form")
    expect_eq(page("office_b").get(f"/places/{vid}").status, 404, "another street's place page")
    lid = C.persons.get("pl_letter")
    r = pg.get(f"/letters/{lid}")
    check(r.status == 200 and f"/letters/{lid}/attachments" in r.text, "the letter page has no upload form")
    w = page("worker_a")
    fields = _form_of(w, "/inspections/new", "/inspections/new")
    f = dict(fields)
    expect_eq((f.get("date"), f.get("result")), (today().isoformat(), "no_problem"), "the form's defaults")
    before = pl_counts()
    r = w.post("/inspections/new", uw_with(fields, venue=str(vid), result="problem_found", findings=""), csrf=False)
    expect_eq(r.status, 400, "a wrong inspection form")
    check('id="e-findings"' in r.text, "the error is not beside the field")
    pl_unchanged(before, "a wrong inspection form")
    fields = _form_of(w, "/inspections/new", "/inspections/new")
    r = w.post("/inspections/new", uw_with(fields, venue=str(vid), inspectors="表单检查人"), csrf=False)
    expect_eq(r.status, 303, f"the inspection form saved ({r.brief()})")
    check(re.match(r"/inspections/\d+\?saved=1$", r.header("Location") or ""), f"to the inspection: {r.header('Location')}")
    expect_eq(sql_int("SELECT count(*) FROM inspection WHERE inspectors = '表单检查人'"), 1, "the form's inspection")
    expect_eq(page("viewer").get("/inspections/new").status, 403, "the viewer opens the inspection form")
    fields = _form_of(pg, "/places/new", "/places/new")
    r = pg.post("/places/new", uw_with(fields, org="TC2", kind="school", name="表单小学"), csrf=False)
    expect_eq(r.status, 303, f"the place form saved ({r.brief()})")
    pid = int(re.search(r"/places/(\d+)", r.header("Location")).group(1))
    fields = _form_of(pg, f"/places/{pid}", f"/places/{pid}/deactivate")
    r = pg.post(f"/places/{pid}/deactivate", uw_with(fields, reason="学校合并"), csrf=False)
    expect_eq(r.status, 303, f"deactivated by the page ({r.brief()})")
    expect_eq(sql_int(f"SELECT active FROM place WHERE id = {pid}"), 0, "the page's deactivation")


@test
def pl_followups_on_workbench():
    """The workbench lists the open and overdue follow-ups of the scope,
    each linking to its inspection; another street's are not there."""
    items = api("worker_a").get("/api/v1/inspections?followup=overdue&per_page=200").json()["items"]
    check(items, "needs an overdue follow-up (pl_followup_states_agree)")
    r = page("worker_a").get("/work")
    expect_eq(r.status, 200, "the workbench")
    check('id="followups"' in r.text and f'href="/inspections/{items[0]["id"]}"' in r.text,
          "the workbench does not list the overdue follow-up")
    check(items[0]["venue_name"] not in page("office_b").get("/work").text, "another street's follow-up is listed")
