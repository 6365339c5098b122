"""tests/integration/suite_unitwork.py: unit work (issue 10 points 5-7),
run inside tests/integration/run.py's namespace (its helpers: api, page,
check, expect_eq, expect_api_error, sql, sql_int, xlsx_rows, page_forms,
WellFormed...). Eradication patrols, unit work records, unit figures by
period (data sets: entry, sums, submit, locked 409, unlock by the office
above with a reason, history), unit tasks (rhythms set up the tree,
overridden below, due and overdue as of a day, cleared by work records and
submitted periods, on the workbench with the link to the form that clears
them), the pages and their forms, the .xlsx downloads read back, scope
(another street's record: 404 exactly as a missing one), bad input with
nothing written, the population of the org page served by the data set,
the migration of the population figures, and the catalog of every Chinese
text of these files."""

UW_MISSING = 987654321


def uw_counts():
    """Rows of every table unit work writes, and of the audit log."""
    return sql("SELECT (SELECT count(*) FROM eradication),(SELECT count(*) FROM eradication_plant),"
               "(SELECT count(*) FROM unit_work),(SELECT count(*) FROM unit_rhythm),"
               "(SELECT count(*) FROM dataset_period),(SELECT count(*) FROM dataset_entry),"
               "(SELECT group_concat(state, ',') FROM dataset_period),"
               "(SELECT count(*) FROM audit_log WHERE action <> 'read')")


uw_unchanged = unchanged_check(uw_counts, "(patrols, plants, unit work, rhythms, periods, entries, states, "
                                          "audit rows of writes)")


def uw_year():
    return today().year


def uw_last_month():
    d = today().replace(day=1) - datetime.timedelta(days=1)
    return f"{d.year:04d}-{d.month:02d}"


def uw_with(fields, **values):
    """The (name, value) pairs of a form with the named fields replaced
    (and the form's tokens left to Page.post)."""
    return [(k, v) for k, v in fields if k not in values] + list(values.items())


def uw_patrol(**kw):
    p = {"org": "TC1", "date": (today() - datetime.timedelta(days=3)).isoformat(), "area_mu": 120,
         "methods": ["on_foot", "drone"], "found": {"poppy": 30, "cannabis": 2}, "destroyed": {"poppy": 30, "cannabis": 2},
         "location": "甲社区后山", "case_no": "测公（禁）立字〔2026〕1号", "notes": "群众举报"}
    p.update(kw)
    return p


# ---- eradication patrols

@test
def uw_eradication_create_read_list():
    """POST /api/v1/eradications records a patrol (201, the record with its
    plants per species and totals); GET by id; the list of the scope with
    the totals of the filter and paging; the species filter."""
    a = api("worker_a")
    r = a.post("/api/v1/eradications", uw_patrol())
    expect_eq(r.status, 201, f"POST a patrol ({r.brief()})")
    j = r.json()
    for k in ("id", "org", "org_name", "date", "area_mu", "methods", "location", "found", "destroyed", "found_total",
              "destroyed_total", "case_no", "notes", "created_by", "created_at"):
        check(k in j, f"the patrol has no {k}: {j}")
    expect_eq(j["found"], {"poppy": 30, "cannabis": 2, "other": 0}, "found per species")
    expect_eq(j["destroyed"]["poppy"], 30, "destroyed poppies")
    expect_eq((j["found_total"], j["destroyed_total"]), (32, 32), "totals of the patrol")
    expect_eq(j["methods"], ["on_foot", "drone"], "methods")
    expect_eq(j["org_name"], "甲社区", "the unit's name")
    C.persons["uw_patrol"] = j["id"]
    r = a.get(f"/api/v1/eradications/{j['id']}")
    expect_eq((r.status, r.json().get("location")), (200, "甲社区后山"), "GET the patrol")
    r = api("police").post("/api/v1/eradications", uw_patrol(found={}, destroyed={}, case_no="", methods=["drone"]))
    expect_eq(r.status, 201, f"the police liaison records a patrol that found nothing ({r.brief()})")
    r = api("office").get("/api/v1/eradications?org=TS1&per_page=1")
    expect_eq(r.status, 200, "the street's list")
    j = r.json()
    check(j["total"] >= 2 and len(j["items"]) == 1, f"paging: {short(r.text)}")
    t = j.get("totals") or {}
    check(t.get("patrols") == j["total"] and t.get("found", {}).get("poppy", 0) >= 30,
          f"the totals of the list: {t}")
    r = api("office").get("/api/v1/eradications?species=poppy")
    check(all(i["found"]["poppy"] > 0 for i in r.json()["items"]), "the species filter keeps patrols without poppies")
    r = api("office").get("/api/v1/eradications?species=tulip")
    expect_api_error(r, 400, "invalid", field="species", what="an unknown species")


def _uw_patrol_case(name, mutate, field):
    def fn():
        before = uw_counts()
        body = uw_patrol()
        mutate(body)
        r = api("worker_a").post("/api/v1/eradications", body)
        err = expect_api_error(r, 400, "invalid", field=field, what=f"a patrol with {name}")
        check(has_cjk(err["message"]), f"{name}: the message is not Chinese")
        uw_unchanged(before, f"a patrol with {name}")
    add_test("uw_eradication_bad_" + name, fn)


for _n, _m, _f in [
    ("negative_count", lambda b: b.update(found={"poppy": -1}, destroyed={}), "found.poppy"),
    ("destroyed_above_found", lambda b: b.update(found={"poppy": 3}, destroyed={"poppy": 4, "cannabis": 0}),
     "destroyed.poppy"),
    ("future_date", lambda b: b.update(date=(today() + datetime.timedelta(days=1)).isoformat()), "date"),
    ("unknown_method", lambda b: b.update(methods=["horse"]), "methods"),
    ("unknown_species", lambda b: b.update(found={"tulip": 3}), "found"),
    ("count_not_integer", lambda b: b.update(found={"poppy": "3"}), "found.poppy"),
    ("case_without_find", lambda b: b.update(found={}, destroyed={}), "case_no"),
    ("no_location", lambda b: b.update(location=""), "location"),
    ("unit_out_of_scope", lambda b: b.update(org="TC3"), "org"),
    ("unknown_field", lambda b: b.update(weather="晴"), "weather"),
]:
    _uw_patrol_case(_n, _m, _f)


@test
def uw_eradication_scope_and_rights():
    """Another community's patrol answers 404 exactly as a missing one; a
    street sees its communities' only; the viewer may not record."""
    pid = C.persons.get("uw_patrol")
    check(pid, "needs uw_eradication_create_read_list")
    for who in ("worker_b", "office_b"):
        b = api(who)
        _same_404(b.get(f"/api/v1/eradications/{pid}"), b.get(f"/api/v1/eradications/{UW_MISSING}"), pid, UW_MISSING,
                  f"GET a patrol as {who}")
    ids = [i["id"] for i in api("office_b").get("/api/v1/eradications?per_page=200").json()["items"]]
    check(pid not in ids, "another street's patrol is listed")
    expect_api_error(api("office_b").get("/api/v1/eradications?org=TC1"), 404, "not_found", what="a list of another street's unit")
    viewer = api("viewer")
    before = uw_counts()
    r = viewer.post("/api/v1/eradications", uw_patrol())
    expect_api_error(r, 403, "forbidden", what="the viewer records a patrol")
    uw_unchanged(before, "the viewer's patrol")


@test
def uw_eradication_xlsx_and_pages():
    """The list's .xlsx has the JSON's rows (read back); the list page shows
    the totals; the phone form records a patrol as a browser submits it
    (403 for the viewer; a wrong form again with 400 and nothing written)."""
    r = api("office").get("/api/v1/eradications?format=xlsx")
    expect_eq(r.status, 200, f"xlsx ({r.brief()})")
    rows = xlsx_rows(r.body)
    check("禁种铲毒记录" in str(rows[1].get("A")), f"title row {rows[1]}")
    want = api("office").get("/api/v1/eradications?per_page=200").json()["items"]
    got = [rows[k] for k in sorted(rows) if k > 2]
    expect_eq([g.get("A") for g in got], [w["id"] for w in want], "xlsx ids vs JSON")
    expect_eq([g.get("B") for g in got], [datetime.date.fromisoformat(w["date"]) for w in want], "dates as dates")
    expect_eq([g.get("H") for g in got], [w["found"]["poppy"] for w in want], "poppies found as numbers")
    pg = page("worker_a")
    r = pg.get("/eradications")
    expect_eq(r.status, 200, "the list page")
    check("合计" in r.text and "甲社区后山" in r.text, "the list page shows no totals or no patrol")
    fields = _form_of(pg, "/eradications/new", "/eradications/new")
    f = dict(fields)
    expect_eq((f.get("org"), f.get("date"), f.get("methods")), ("TC1", today().isoformat(), "on_foot"),
              "the form's defaults")
    before = uw_counts()
    r = pg.post("/eradications/new", uw_with(fields, location="", found_poppy="5", destroyed_poppy="6"), csrf=False)
    expect_eq(r.status, 400, "a wrong patrol form")
    check('id="e-location"' in r.text and 'id="e-destroyed_poppy"' in r.text, "the errors are not beside the fields")
    uw_unchanged(before, "a wrong patrol form")
    fields = _form_of(pg, "/eradications/new", "/eradications/new")
    r = pg.post("/eradications/new", uw_with(fields, location="表单踏查地点", found_cannabis="1", destroyed_cannabis="1"),
                csrf=False)
    expect_eq((r.status, r.header("Location")), (303, "/eradications?saved=1"), "the patrol form saved")
    expect_eq(sql_int("SELECT count(*) FROM eradication WHERE location = '表单踏查地点'"), 1, "the form's patrol")
    r = page("viewer").get("/eradications/new")
    expect_eq(r.status, 403, "the viewer opens the patrol form")


# ---- unit work records

@test
def uw_unit_work_api():
    """POST /api/v1/unit_work; GET one and the list (filters, paging, xlsx);
    another street's record 404 as a missing one; bad input 400 with
    nothing written."""
    a = api("worker_a")
    body = {"org": "TC1", "kind": "info_submission", "date": today().isoformat(), "title": "社区禁毒宣传简报",
            "notes": "已报送街道"}
    r = a.post("/api/v1/unit_work", body)
    expect_eq(r.status, 201, f"POST unit work ({r.brief()})")
    wid = r.json()["id"]
    expect_eq((r.json()["kind"], r.json()["org"]), ("info_submission", "TC1"), "the record")
    b = api("office_b")
    _same_404(b.get(f"/api/v1/unit_work/{wid}"), b.get(f"/api/v1/unit_work/{UW_MISSING}"), wid, UW_MISSING,
              "GET unit work of another street")
    r = api("office").get("/api/v1/unit_work?kind=info_submission&from=" + today().isoformat())
    check(wid in [i["id"] for i in r.json()["items"]], f"the list: {r.brief()}")
    r = api("office").get("/api/v1/unit_work?format=xlsx&kind=info_submission")
    rows = xlsx_rows(r.body)
    check(any(rows[k].get("A") == wid and rows[k].get("E") == "信息报送" for k in rows if k > 2),
          f"the xlsx lacks the record: {rows}")
    for name, change, field in (("future_date", {"date": (today() + datetime.timedelta(days=1)).isoformat()}, "date"),
                                ("unknown_kind", {"kind": "gossip"}, "kind"), ("no_date", {"date": None}, "date"),
                                ("other_street", {"org": "TC3"}, "org"), ("bad_from", None, None)):
        before = uw_counts()
        if change is None:
            expect_api_error(a.get("/api/v1/unit_work?from=2026-2-1"), 400, "invalid", field="from", what=name)
            continue
        r = a.post("/api/v1/unit_work", dict(body, **change))
        expect_api_error(r, 400, "invalid", field=field, what=f"unit work with {name}")
        uw_unchanged(before, f"unit work with {name}")
    before = uw_counts()
    expect_api_error(api("viewer").post("/api/v1/unit_work", body), 403, "forbidden", what="the viewer's unit work")
    uw_unchanged(before, "the viewer's unit work")


@test
def uw_attachments():
    """Photos and scans on unit work records and eradication patrols
    (POST/GET /api/v1/{unit_work,eradications}/{id}/attachments): uploaded
    by a writer in scope, listed, read back; another street's record 404
    as a missing one; the viewer may not upload; a file that is none of
    JPEG/PNG/PDF is refused with nothing written."""
    a = api("worker_a")
    wid = a.post("/api/v1/unit_work", {"org": "TC1", "kind": "drug_screening", "date": today().isoformat(),
                                       "title": "排查照片"}).json()["id"]
    pid = C.persons.get("uw_patrol")
    check(pid, "needs uw_eradication_create_read_list")
    for kind, rid in (("unit_work", wid), ("eradications", pid)):
        att_record_checks(a, kind, rid, UW_MISSING, "现场.png", ("x.exe", "image/png"))


# ---- unit figures by period (data sets)

def uw_ds(client, name, org, period, suffix=""):
    return client.get(f"/api/v1/datasets/{name}/{org}/{period}{suffix}")


def uw_put(client, name, org, period, values):
    return client.call("PUT", f"/api/v1/datasets/{name}/{org}/{period}", obj={"values": values})


@test
def uw_dataset_definitions():
    """GET /api/v1/datasets: the sets as data, with their fields."""
    r = api("viewer").get("/api/v1/datasets")
    expect_eq(r.status, 200, "GET /api/v1/datasets")
    sets = {d["dataset"]: d for d in r.json()["items"]}
    check({"population", "social_workers", "police", "information"} <= set(sets), f"the sets: {list(sets)}")
    expect_eq((sets["police"]["period_type"], sets["police"]["level"]), ("month", "street"), "police figures")
    expect_eq([f["code"] for f in sets["population"]["fields"]], ["registered", "resident", "floating"], "population")
    expect_eq([f["max_field"] for f in sets["information"]["fields"]], [None, "submitted"], "adopted <= submitted")


@test
def uw_dataset_lifecycle():
    """PUT a community's population for this year, read it, the street's
    sum; submit locks (PUT and a second submit 409, nothing written); the
    community cannot unlock (403), the office above can, with a reason
    (400 without); every change in the history; the org page shows the
    population the set gives."""
    y = str(uw_year())
    w = api("worker_a")
    r = uw_put(w, "population", "TC1", y, {"registered": 5000, "resident": 5600, "floating": 900})
    expect_eq(r.status, 200, f"PUT population ({r.brief()})")
    j = r.json()
    expect_eq((j["entry"], j["state"], j["values"]["registered"], j["may_edit"]), (True, "open", 5000, True), "the answer")
    r = uw_put(api("worker_b"), "population", "TC2", y, {"registered": 3000, "resident": 3100, "floating": 200})
    expect_eq(r.status, 200, f"PUT TC2 ({r.brief()})")
    r = uw_ds(api("office"), "population", "TS1", y)
    j = r.json()
    expect_eq((j["entry"], j["values"]["registered"], j["units_total"], j["units_reported"]), (False, 8000, 2, 2),
              "the street's sum")
    expect_eq([u["org"] for u in j["units"]], ["TC1", "TC2"], "a row for each community")
    text = page("admin").get("/orgs").text
    check("8000 / 8700 / 1100" in text, "the org page does not show the street's population from the set")
    r = w.post(f"/api/v1/datasets/population/TC1/{y}/submit")
    expect_eq((r.status, r.json().get("state")), (200, "submitted"), f"submit ({r.brief()})")
    before = uw_counts()
    expect_api_error(uw_put(w, "population", "TC1", y, {"registered": 1}), 409, "conflict", what="PUT while locked")
    expect_api_error(uw_put(api("office"), "population", "TC1", y, {"registered": 1}), 409, "conflict",
                     what="the office's PUT while locked")
    expect_api_error(w.post(f"/api/v1/datasets/population/TC1/{y}/submit"), 409, "conflict", what="a second submit")
    expect_api_error(w.post(f"/api/v1/datasets/population/TC1/{y}/unlock", {"reason": "改"}), 403, "forbidden",
                     what="the community unlocks its own")
    expect_api_error(api("office_b").post(f"/api/v1/datasets/population/TC1/{y}/unlock", {"reason": "改"}), 404,
                     "not_found", what="another street unlocks")
    expect_api_error(api("office").post(f"/api/v1/datasets/population/TC1/{y}/unlock", {}), 400, "invalid",
                     field="reason", what="an unlock without a reason")
    uw_unchanged(before, "refused writes to a locked period")
    r = api("office").post(f"/api/v1/datasets/population/TC1/{y}/unlock", {"reason": "户籍人口有误，退回核对"})
    expect_eq((r.status, r.json().get("state")), (200, "open"), f"unlock ({r.brief()})")
    expect_api_error(api("office").post(f"/api/v1/datasets/population/TC1/{y}/unlock", {"reason": "再"}), 409, "conflict",
                     what="unlocking an open period")
    r = uw_put(w, "population", "TC1", y, {"registered": 5100, "floating": None})
    expect_eq((r.status, r.json()["values"]), (200, {"registered": 5100, "resident": 5600, "floating": None}),
              "a correction that clears a figure")
    r = uw_ds(w, "population", "TC1", y, "?history=1")
    h = r.json().get("history")
    expect_eq([x["action"] for x in h][:4], ["value", "value", "unlock", "submit"], "the history, newest first")
    expect_eq(h[2]["reason"], "户籍人口有误，退回核对", "the unlock's reason")
    check(sql_int("SELECT count(*) FROM audit_log WHERE entity = 'dataset_period' AND action = 'unlock'") >= 1,
          "the unlock is not audited")
    expect_eq(sql_int("SELECT pop_floating IS NULL FROM org_unit WHERE code = 'TC1'"), 1, "TC1's floating figure")
    expect_eq(sql_int("SELECT pop_registered FROM org_unit WHERE code = 'TS1'"), 8100, "TS1's population")


def _uw_ds_case(name, who, method, path, body, status, code, field):
    def fn():
        client = api(who)  # (signed in before the count: a sign-in is audited)
        before = uw_counts()
        r = client.call(method, path, obj=body)
        expect_api_error(r, status, code, field=field, what=f"{method} {path} ({name})")
        uw_unchanged(before, f"{method} {path} ({name})")
    add_test("uw_dataset_bad_" + name, fn)


_Y = str(today().year)
for _n, _who, _path, _body, _st, _code, _field in [
    ("negative", "office", f"police/TS1/{_Y}-01", {"values": {"cases": -1}}, 400, "invalid", "values.cases"),
    ("not_integer", "office", f"police/TS1/{_Y}-01", {"values": {"cases": 1.5}}, 400, "invalid", "values.cases"),
    ("text_count", "office", f"police/TS1/{_Y}-01", {"values": {"cases": "3"}}, 400, "invalid", "values.cases"),
    ("unknown_field", "office", f"police/TS1/{_Y}-01", {"values": {"arrests": 3}}, 400, "invalid", "values.arrests"),
    ("part_above_whole", "worker_a", f"information/TC1/{_Y}Q1", {"values": {"submitted": 1, "adopted": 2}}, 400,
     "invalid", "values.adopted"),
    ("values_not_object", "office", f"police/TS1/{_Y}-01", {"values": [1]}, 400, "invalid", "values"),
    ("no_values", "office", f"police/TS1/{_Y}-01", {}, 400, "invalid", "values"),
    ("bad_period", "office", "police/TS1/2026-13", {"values": {"cases": 1}}, 400, "invalid", "period"),
    ("bad_quarter", "office", "police/TS1/2026Q5", {"values": {"cases": 1}}, 400, "invalid", "period"),
    ("week_period", "office", "police/TS1/2026W10", {"values": {"cases": 1}}, 400, "invalid", "period"),
    ("coarser_period", "office", f"police/TS1/{_Y}Q1", {"values": {"cases": 1}}, 400, "invalid", "period"),
    ("finer_period", "worker_a", f"population/TC1/{_Y}-01", {"values": {"registered": 1}}, 400, "invalid", "period"),
    ("future_period", "worker_a", f"population/TC1/{int(_Y) + 1}", {"values": {"registered": 1}}, 400, "invalid", "period"),
    ("wrong_level", "worker_a", f"police/TC1/{_Y}-01", {"values": {"cases": 1}}, 400, "invalid", "org"),
    ("county_level", "admin", f"police/T0/{_Y}-01", {"values": {"cases": 1}}, 400, "invalid", "org"),
    ("unknown_set", "office", f"rumours/TS1/{_Y}-01", {"values": {"cases": 1}}, 404, "not_found", None),
    ("other_street", "office_b", f"police/TS1/{_Y}-01", {"values": {"cases": 1}}, 404, "not_found", None),
    ("viewer", "viewer", f"police/TS1/{_Y}-01", {"values": {"cases": 1}}, 403, "forbidden", None),
    ("police_liaison", "police", f"information/TC1/{_Y}Q1", {"values": {"submitted": 1}}, 403, "forbidden", None),
]:
    _uw_ds_case(_n, _who, "PUT", f"/api/v1/datasets/{_path}", _body, _st, _code, _field)
_uw_ds_case("submit_incomplete", "worker_a", "POST", f"/api/v1/datasets/information/TC1/{_Y}Q1/submit", None, 400,
            "invalid", ["values.submitted", "values.adopted"])


@test
def uw_dataset_scope_and_sums():
    """Another street's figures answer 404 exactly as an unknown unit; a
    coarser period sums the months of a flow; the table's .xlsx."""
    m = uw_last_month()
    r = uw_put(api("office"), "police", "TS1", m, {"admin_detention": 3, "isolation": 1, "criminal_detention": 2,
                                                   "cases": 1})
    expect_eq(r.status, 200, f"PUT police figures ({r.brief()})")
    b = api("office_b")
    a = uw_ds(b, "police", "TS1", m)
    z = uw_ds(b, "police", "NOSUCH", m)
    check(a.status == 404 and z.status == 404 and a.text == z.text,
          f"another street's figures vs an unknown unit: {a.brief()} / {z.brief()}")
    y = m[:4]
    r = uw_ds(api("admin"), "police", "T0", y)
    j = r.json()
    check(j["values"]["admin_detention"] >= 3 and j["units_total"] == 2, f"the county's year: {short(r.text)}")
    r = uw_ds(api("admin"), "police", "T0", y, "?format=xlsx")
    rows = xlsx_rows(r.body)
    expect_eq([rows[k].get("A") for k in sorted(rows) if k > 2], ["TS1", "TS2"], "the units of the table's xlsx")
    expect_eq(rows[3].get("C"), j["units"][0]["values"]["admin_detention"], "a figure of the xlsx")


@test
def uw_dataset_page():
    """The page: the entry form of the community (save, save and submit),
    a bad count again with 400 beside its field and nothing written; the
    street's table of its communities; the unlock form for the office."""
    y = str(uw_year())
    pg = page("worker_b")
    path = f"/datasets?name=information&org=TC2&period={y}Q1"
    fields = _form_of(pg, path, "/datasets/save")
    names = [k for k, _ in fields]
    check("v_submitted" in names and "v_adopted" in names, f"the form's fields: {names}")
    before = uw_counts()
    bad = [(k, v) for k, v in fields if not k.startswith("v_")] + [("v_submitted", "-2"), ("v_adopted", "x")]
    r = pg.post("/datasets/save", bad, csrf=False)
    expect_eq(r.status, 400, "a bad count")
    check('id="e-v_submitted"' in r.text and 'id="e-v_adopted"' in r.text, "the errors are not beside the fields")
    uw_unchanged(before, "a bad count from the page")
    good = [(k, v) for k, v in fields if not k.startswith("v_")] + [("v_submitted", "4"), ("v_adopted", "1"),
                                                                   ("submit", "1")]
    r = pg.post("/datasets/save", good, csrf=False)
    expect_eq(r.status, 303, f"save and submit ({short(r.text, 200)})")
    check("saved=submit" in (r.header("Location") or ""), f"where it goes: {r.header('Location')}")
    r = pg.get(path)
    check("已上报（锁定）" in r.text and 'action="/datasets/save"' not in r.text, "the submitted figures are still a form")
    r = page("office").get(f"/datasets?name=information&org=TS1&period={y}Q1")
    expect_eq(r.status, 200, "the street's table")
    check("乙社区" in r.text and "甲社区" in r.text and "合计" in r.text, "the street's table lacks its communities")
    fields = _form_of(page("office"), path, "/datasets/unlock")
    r = page("office").post("/datasets/unlock", [(k, v) for k, v in fields if k != "reason"] + [("reason", "")],
                            csrf=False)
    expect_eq(r.status, 400, "an unlock without a reason")
    r = page("office").post("/datasets/unlock", [(k, v) for k, v in fields if k != "reason"] + [("reason", "退回")],
                            csrf=False)
    expect_eq(r.status, 303, "the unlock form")
    expect_eq(api("worker_b").get(f"/api/v1/datasets/information/TC2/{y}Q1").json()["state"], "open", "after the unlock")


# ---- unit tasks

UW_ASOF = "2025-06-16"


def uw_tasks(client, query=""):
    r = client.get("/api/v1/unit_tasks?date=" + UW_ASOF + query)
    expect_eq(r.status, 200, f"GET unit tasks as {client.who} ({r.brief()})")
    items = r.json()["items"]
    for it in items:
        for k in ("org", "org_name", "task", "dataset", "label", "period", "period_label", "state", "due_date",
                  "days_overdue", "done", "required", "missed"):
            check(k in it, f"a unit task without {k}: {it}")
    return items


def uw_task(items, org, task, state):
    found = [i for i in items if i["org"] == org and i["task"] == task and i["state"] == state]
    return found[0] if found else None


@test
def uw_unit_tasks():
    """Rhythms set on the county for its units (screening quarterly for
    communities, intelligence exchange monthly for streets, the quarterly
    information figures), a street's own screening every ten days; as of
    2025-06-16: what is due and overdue, cleared by unit work and by a
    submitted period; a street sees its own units only; the xlsx; the
    rhythm refusals write nothing; DELETE gives the inherited rhythm back."""
    ad = api("admin")
    for body in ({"org": "T0", "task": "drug_screening", "level": "community", "period_type": "quarter",
                  "since": "2025-01-01"},
                 {"org": "T0", "task": "intel_exchange", "level": "street", "period_type": "month", "since": "2025-01-01"},
                 {"org": "T0", "task": "dataset:information", "level": "community", "period_type": "quarter",
                  "since": "2025-01-01"}):
        r = ad.post("/api/v1/unit_rhythms", body)
        check(r.status in (200, 201), f"set {body['task']} ({r.brief()})")
    r = api("office").post("/api/v1/unit_rhythms", {"org": "TS1", "task": "drug_screening", "level": "community",
                                                    "period_type": "dekad", "since": "2025-06-01"})
    expect_eq(r.status, 201, f"the street's own rhythm ({r.brief()})")
    api("worker_a").post("/api/v1/unit_work", {"org": "TC1", "kind": "drug_screening", "date": "2025-06-05"})
    api("worker_a").post("/api/v1/unit_work", {"org": "TC1", "kind": "drug_screening", "date": "2025-06-12"})
    api("office").post("/api/v1/unit_work", {"org": "TS1", "kind": "intel_exchange", "date": "2025-05-10"})
    r = uw_put(api("worker_b"), "information", "TC2", "2025Q1", {"submitted": 2, "adopted": 1})
    expect_eq(r.status, 200, f"TC2's 2025Q1 figures ({r.brief()})")
    r = api("worker_b").post("/api/v1/datasets/information/TC2/2025Q1/submit")
    expect_eq(r.status, 200, f"TC2 submits 2025Q1 ({r.brief()})")
    items = uw_tasks(ad)
    check(uw_task(items, "TC1", "drug_screening", "overdue") is None and uw_task(items, "TC1", "drug_screening", "due") is None,
          f"TC1 screened both dekads: {[i for i in items if i['org'] == 'TC1']}")
    x = uw_task(items, "TC2", "drug_screening", "overdue")
    check(x and (x["period"], x["missed"], x["days_overdue"], x["period_label"]) == ("2025-06D1", 1, 6, "2025年6月上旬"),
          f"TC2's missed dekad: {x}")
    x = uw_task(items, "TC2", "drug_screening", "due")
    check(x and (x["period"], x["due_date"]) == ("2025-06D2", "2025-06-20"), f"TC2's dekad due: {x}")
    x = uw_task(items, "TC3", "drug_screening", "overdue")
    check(x and x["period"] == "2025Q1", f"TC3 (quarterly, inherited): {x}")
    x = uw_task(items, "TS1", "intel_exchange", "overdue")
    check(x and (x["period"], x["missed"]) == ("2025-04", 4), f"TS1's intelligence exchanges: {x}")
    x = uw_task(items, "TS2", "intel_exchange", "overdue")
    check(x and (x["period"], x["missed"]) == ("2025-05", 5), f"TS2's intelligence exchanges: {x}")
    x = uw_task(items, "TC1", "dataset:information", "overdue")
    check(x and (x["dataset"], x["period"], x["due_date"]) == ("information", "2025Q1", "2025-04-10"),
          f"TC1's information figures: {x}")
    check(uw_task(items, "TC2", "dataset:information", "overdue") is None, "TC2 submitted its figures")
    check(items[0]["state"] == "overdue", "overdue items come first")
    orgs = {i["org"] for i in uw_tasks(api("office_b"))}
    check(orgs <= {"TS2", "TC3"} and orgs, f"TS2's office sees {orgs}")
    expect_api_error(api("office_b").get("/api/v1/unit_tasks?org=TS1"), 404, "not_found", what="another street's tasks")
    expect_api_error(ad.get("/api/v1/unit_tasks?date=2025-6-16"), 400, "invalid", field="date", what="a bad date")
    r = ad.get("/api/v1/unit_tasks?format=xlsx&date=" + UW_ASOF)
    rows = xlsx_rows(r.body)
    got = [(rows[k].get("A"), rows[k].get("E")) for k in sorted(rows) if k > 2]
    expect_eq(got, [(i["org"], "逾期" if i["state"] == "overdue" else "待办") for i in items], "the xlsx vs the JSON")
    # refusals: nothing written
    before = uw_counts()
    expect_api_error(api("worker_a").post("/api/v1/unit_rhythms", {"org": "TC1", "task": "drug_screening",
                                                                    "level": "community", "period_type": "month"}),
                     403, "forbidden", what="a worker sets a rhythm")
    expect_api_error(api("office").post("/api/v1/unit_rhythms", {"org": "TS2", "task": "drug_screening",
                                                                 "level": "community", "period_type": "month"}),
                     404, "not_found", what="an office sets another street's rhythm")
    for body, field in (({"level": "county"}, "level"), ({"task": "gossip"}, "task"), ({"period_type": "weekly"}, "period_type"),
                        ({"per_period": 0}, None), ({"per_period": 100}, "per_period"), ({"since": "2025-02-30"}, "since"),
                        ({"task": "dataset:police", "level": "community"}, "level")):
        b = dict({"org": "TS1", "task": "drug_screening", "level": "community", "period_type": "month"}, **body)
        r = api("office").post("/api/v1/unit_rhythms", b)
        if field is None:  # per_period 0 is "not given": 1
            expect_eq(r.status, 200, f"per_period 0 ({r.brief()})")
            before = uw_counts()
            continue
        expect_api_error(r, 400, "invalid", field=field, what=f"a rhythm with {body}")
    uw_unchanged(before, "refused rhythms")
    # back to the street's every ten days, then to the county's quarterly
    api("office").post("/api/v1/unit_rhythms", {"org": "TS1", "task": "drug_screening", "level": "community",
                                                "period_type": "dekad", "since": "2025-06-01"})
    r = api("office").call("DELETE", "/api/v1/unit_rhythms?org=TS1&task=drug_screening&level=community")
    expect_eq(r.status, 200, f"DELETE the street's rhythm ({r.brief()})")
    x = uw_task(uw_tasks(ad), "TC2", "drug_screening", "overdue")
    check(x and x["period"] == "2025Q1", f"TC2 inherits the quarterly rhythm again: {x}")
    expect_api_error(api("office").call("DELETE", "/api/v1/unit_rhythms?org=TS1&task=drug_screening&level=community"),
                     404, "not_found", what="DELETE a rhythm the unit does not have")
    rules = api("office_b").get("/api/v1/unit_rhythms").json()["items"]
    check(all(x["org"] in ("T0", "TS2", "TC3") for x in rules) and rules, f"TS2's office lists {rules}")


@test
def uw_workbench_section():
    """The workbench shows the unit tasks beside the person items, with
    counts and the link that clears each; the work form opened from it
    comes back to the workbench; the unit tasks page lists them."""
    r = page("worker_a").get("/work")
    expect_eq(r.status, 200, "the workbench")
    check('id="unit-tasks"' in r.text, "no unit tasks section on the workbench")
    sec = r.text[r.text.index('id="unit-tasks"'):]
    sec = sec[:sec.index("</section>")]
    links = [html.unescape(h) for h in re.findall(r'href="(/unit_work/new[^"]*|/datasets\?[^"]*)"', sec)]
    check(links, f"no link that clears a unit task: {short(sec, 600)}")
    work = [h for h in links if h.startswith("/unit_work/new")]
    check(work and re.search(r"back=(/|%2F)work", work[0]), f"the work link does not come back: {work}")
    pg = page("worker_a")
    fields = _form_of(pg, work[0], "/unit_work/new")
    f = dict(fields)
    check(f.get("kind") and f.get("org") == "TC1" and f.get("back") == "/work", f"the form opened from the workbench: {f}")
    r = pg.post("/unit_work/new", fields, csrf=False)
    expect_eq((r.status, r.header("Location")), (303, "/work"), f"the work form saved ({short(r.text, 200)})")
    r = page("office").get("/unit_tasks")
    expect_eq(r.status, 200, "the unit tasks page")
    check("任务频次" in r.text and "毒情排查" in r.text, "the unit tasks page lacks its rhythms or tasks")
    r = page("office").get("/unit_tasks?date=" + UW_ASOF)
    check("2025年第一季度" in r.text, "the unit tasks page as of a day")
    fields = _form_of(page("office"), "/unit_tasks", "/unit_tasks/rhythms")
    r = page("office").post("/unit_tasks/rhythms", uw_with(fields, level="county", task="drug_screening"), csrf=False)
    expect_eq(r.status, 400, "a rhythm form with a level above the unit")
    check('id="e-rh-level"' in r.text, "the level's error is not beside it")
    r = page("worker_a").post("/unit_tasks/rhythms", [(k, v) for k, v in fields if not k.startswith("_")])
    expect_eq(r.status, 403, "a worker posts the rhythm form")


# ---- a database of the last release, migrated

def schema_latest():
    """The number of the newest migration: how many "/* N:" elements store/schema.c's list has (the order of the
    array is the version; a branch's number N is the integrator's to renumber)."""
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "store", "schema.c"),
               encoding="utf-8").read()
    return len(re.findall(r"^  /\* (\d+):", src, re.M))


def release_database(name, fixture="release-schema6-demo.sql.gz", version=6):
    """A new SQLite file made from a dump in tests/fixtures/: by default
    release-schema6-demo.sql.gz, the demo database that `jindu init --demo`
    of the release before these migrations (schema 6, commit 33ecd1a) made;
    schema19-gen400.sql.gz is a `jindu gen` database of schema 19 (see
    tests/fixtures/README.md). user_version is not in a dump: set here to
    `version`. Returns its path."""
    import gzip
    import sqlite3
    path = os.path.join(C.tmp, name)
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", fixture)
    with gzip.open(fixture, "rt", encoding="utf-8") as f:
        dump = f.read()
    con = sqlite3.connect(path)
    con.executescript(dump)
    con.execute(f"PRAGMA user_version = {int(version)}")
    con.commit()
    con.close()
    return path


@test
def uw_population_migrated():
    """The demo database of the last release (schema 6, population figures
    on its units): opening it applies every migration since; the
    communities' figures move into the set "population" (dated the year
    they were set), the columns stay, the audit chain verifies and `jindu
    doctor` finds every derived field (supervision and statistics) right."""
    old = release_database("release6.db")
    before = sql("SELECT code, substr(created_at, 1, 4), pop_registered, pop_resident, pop_floating FROM org_unit"
                 " WHERE level = 'community' AND pop_registered IS NOT NULL ORDER BY code", db=old).splitlines()
    check(len(before) >= 10, f"the fixture has population figures: {before!r}")
    rc, out, err = run_cli(["audit", "verify", "--db", old])
    expect_eq(rc, 0, f"opening the release's database and verifying its chain ({err.strip()})")
    expect_eq(sql("PRAGMA user_version", db=old), str(schema_latest()), "migrated to the newest schema")
    rows = sql("SELECT o.code, p.period, v.field, v.value FROM dataset_period p JOIN org_unit o ON o.id = p.org_id"
               " JOIN dataset_entry v ON v.period_id = p.id WHERE o.level = 'community'"
               " ORDER BY o.code, v.field", db=old).splitlines()
    want = []
    for line in before:
        code, year, reg, res, flo = line.split("|")
        for field, value in (("floating", flo), ("registered", reg), ("resident", res)):
            if value != "":
                want.append(f"{code}|{year}|{field}|{value}")
    expect_eq(rows, sorted(want), "the migrated figures")
    expect_eq(sql("SELECT code, substr(created_at, 1, 4), pop_registered, pop_resident, pop_floating FROM org_unit"
                  " WHERE level = 'community' AND pop_registered IS NOT NULL ORDER BY code", db=old).splitlines(),
              before, "the columns kept")
    rc, out, err = run_cli(["doctor", "--db", old])
    expect_eq(rc, 0, f"jindu doctor over the migrated release database ({(out + err).strip()[-400:]})")


# ---- every Chinese text of these files in the catalog

@test
def uw_catalog_complete():
    """Every Chinese string of the unit-work sources (messages, labels, the
    names of the vocabularies) and every label of the data sets the
    migration seeds has its English in web/i18n_catalog.inc."""
    cat, _ = _catalog()
    files = ["core/dataset.c", "core/unit_vocab.c", "app/dataset.c", "app/unit_task.c", "app/eradication.c",
             "web/page_dataset.c", "web/page_eradication.c", "web/page_unit_task.c", "web/page_unit.c",
             "web/api_dataset.c", "web/api_unitwork.c"]
    missing = catalog_missing(cat, files)
    for label in sql("SELECT title FROM dataset_def UNION ALL SELECT label FROM dataset_field").splitlines():
        if label not in cat:
            missing.setdefault(label, "store/schema.c")
    _fail_missing(missing, "unit-work texts")
    en = page("admin").get("/datasets?name=police&org=T0&period=2025",
                           headers={"Cookie": f"jd_session={page('admin').cookie}; jd_lang=en"})
    check("Police enforcement" in en.text and "Administrative detentions (times)" in en.text,
          "the data set page in English does not name the set and its fields in English")
