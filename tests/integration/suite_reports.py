"""tests/integration/suite_reports.py: report forms, data quality and
work-summary drafts (issue 11 points 3, 5, 6, 7), run inside
tests/integration/run.py's namespace (its helpers: api, page, check,
expect_eq, expect_api_error, sql, sql_int, xlsx_rows, payload, person...).
A form of a unit for a period: read, notes, submit (snapshot, locked),
a change refused (409), unlock by the office above with a reason (others
403), history, resubmit; the differences against the snapshot; the units
below that have not submitted; the .xlsx read back against the JSON;
the data-quality ranking, the failing files and their filters; the summary
draft's figures against /api/v1/stats and its .docx unzipped and parsed;
bad input with nothing written; scope (404 exactly as a missing unit)."""

import io
import xml.etree.ElementTree as ET
import zipfile


def rp_last_month():
    d = today().replace(day=1) - datetime.timedelta(days=1)
    return f"{d.year:04d}-{d.month:02d}", d.isoformat()


def rp_this_month():
    return f"{today().year:04d}-{today().month:02d}"


def rp_counts():
    return sql("SELECT (SELECT count(*) FROM report_period),(SELECT count(*) FROM report_entry),"
               "(SELECT group_concat(state || notes, ',') FROM report_period),"
               "(SELECT count(*) FROM audit_log WHERE entity = 'report_period')")


rp_unchanged = unchanged_check(rp_counts)


def rp_put(user, path, obj):
    return api(user).call("PUT", path, obj)


def rp_cells(j, org):
    for row in j["rows"]:
        if row["org"] == org:
            return row["cells"]
    raise Failure(f"no row {org} in {short(json.dumps(j, ensure_ascii=False))}")


@test
def rp_forms_listed():
    """GET /api/v1/reports lists the three forms with their layouts: every
    measure line names a measure of /api/v1/stats."""
    r = api("worker_a").get("/api/v1/reports")
    expect_eq(r.status, 200, "GET /api/v1/reports")
    forms = {f["form"]: f for f in r.json()["items"]}
    expect_eq(sorted(forms), ["annual", "half", "monthly"], "the forms")
    expect_eq(forms["monthly"]["period_type"], "month", "the monthly form's period")
    stats = api("admin").get("/api/v1/stats?org=T0").json()
    known = set(stats["counts"]) | set(stats["rates"]) | {"by_status." + k for k in stats["counts"]["by_status"]}
    for f in forms.values():
        for line in f["lines"]:
            if "key" in line:
                check(line["key"] in known, f"{f['form']}: {line['key']} is no measure of /api/v1/stats")


@test
def rp_submit_lock_unlock():
    """A community's monthly form: read (the figures of /api/v1/stats for
    the month as of its last day), notes, submit (the snapshot stored,
    locked), a change and a second submit refused (409), unlock refused to
    the community and to another street's office (403, 404), unlock by the
    street office without a reason (400) and with one (200, open), history
    (submit, unlock with its reason, kept snapshots), submit again."""
    month, last = rp_last_month()
    path = f"/api/v1/reports/monthly/TC1/{month}"
    person("pa")
    w = api("worker_a")
    r = w.get(path)
    expect_eq(r.status, 200, f"GET {path}")
    j = r.json()
    expect_eq((j["state"], j["as_of"], j["may_submit"]), ("open", last, True), "an open form of an ended month")
    stats = api("admin").get(f"/api/v1/stats?org=TC1&period={month}&date={last}").json()
    cells = rp_cells(j, "TC1")
    expect_eq(cells["registered"]["value"], stats["counts"]["registered"], "registered as /api/v1/stats counts it")
    expect_eq((cells["control_rate"]["num"], cells["control_rate"]["den"]),
              (stats["rates"]["control_rate"]["num"], stats["rates"]["control_rate"]["den"]), "control rate")
    expect_eq(cells["by_status.community_detox"]["value"], stats["counts"]["by_status"]["community_detox"],
              "community detox")
    r = rp_put("worker_a", path, {"notes": "本月无异常"})
    expect_eq((r.status, r.json().get("notes")), (200, "本月无异常"), f"PUT the notes ({r.brief()})")
    r = w.post(path + "/submit")
    expect_eq(r.status, 200, f"submit ({r.brief()})")
    expect_eq((r.json()["state"], r.json()["may_edit"], r.json()["differences"]), ("submitted", False, []),
              "submitted, locked, no difference yet")
    snap = sql(f"SELECT snapshot FROM report_period WHERE form='monthly' AND period='{month}'"
               " AND org_id=(SELECT id FROM org_unit WHERE code='TC1')")
    check(f"TC1\tregistered\t{cells['registered']['value']}\t-1" in snap, f"the snapshot holds the figures: {snap!r}")
    before = rp_counts()
    expect_api_error(rp_put("worker_a", path, {"notes": "改"}), 409, "conflict", what="notes of a locked form")
    expect_api_error(w.post(path + "/submit"), 409, "conflict", what="a second submit")
    expect_api_error(w.post(path + "/unlock", {"reason": "我要改"}), 403, "forbidden", what="unlock by the community")
    expect_api_error(api("office_b").post(path + "/unlock", {"reason": "x"}), 404, "not_found",
                     what="unlock by another street's office")
    expect_api_error(api("office").post(path + "/unlock", {}), 400, "invalid", "reason", what="unlock without a reason")
    expect_api_error(api("office").post(path + "/unlock", {"reason": "x" * 201}), 400, "invalid", "reason",
                     what="a reason too long")
    rp_unchanged(before, "refused changes of a locked form")
    r = api("office").post(path + "/unlock", {"reason": "在册人数有误，退回修改"})
    expect_eq((r.status, r.json().get("state")), (200, "open"), f"unlock by the street office ({r.brief()})")
    expect_api_error(api("office").post(path + "/unlock", {"reason": "再解锁"}), 409, "conflict",
                     what="unlock of an open form")
    h = w.get(path + "?history=1").json()["history"]
    expect_eq([x["action"] for x in h][:3], ["unlock", "submit", "notes"], "history newest first")
    expect_eq(h[0]["text"], "在册人数有误，退回修改", "the unlock's reason")
    check(h[1]["snapshot"], "the submit keeps its snapshot")
    r = rp_put("worker_a", path, {"notes": "已更正"})
    expect_eq(r.status, 200, f"notes after unlocking ({r.brief()})")
    r = w.post(path + "/submit")
    expect_eq((r.status, r.json().get("state")), (200, "submitted"), "submitted again")
    expect_eq(sql_int(f"SELECT count(*) FROM audit_log WHERE entity='report_period' AND action IN ('submit','unlock')"
                      " AND entity_id=(SELECT id FROM report_period WHERE form='monthly' AND period='" + month +
                      "' AND org_id=(SELECT id FROM org_unit WHERE code='TC1'))"), 3, "submits and unlock audited")


@test
def rp_differences_and_units():
    """The street's form after a new person found last month: the street
    sees the submitted snapshot and the cells that differ today; the list
    of units below says which have submitted."""
    month, last = rp_last_month()
    path = f"/api/v1/reports/monthly/TS1/{month}"
    o = api("office")
    r = o.post(path + "/submit")
    expect_eq(r.status, 200, f"the street submits ({r.brief()})")
    reg = rp_cells(r.json(), "TS1")["registered"]["value"]
    p = payload("报表新增", "TC2")
    p["first_found_date"] = last
    r = api("worker_b").post("/api/v1/persons", p)
    expect_eq(r.status, 201, f"a person found on the month's last day ({r.brief()})")
    j = o.get(path).json()
    expect_eq(rp_cells(j, "TS1")["registered"]["value"], reg, "the form shows the snapshot")
    diffs = {(d["org"], d["key"]): d for d in j["differences"]}
    check(("TS1", "registered") in diffs and ("TC2", "registered") in diffs, f"differences: {list(diffs)}")
    expect_eq((diffs[("TS1", "registered")]["submitted"]["value"], diffs[("TS1", "registered")]["now"]["value"]),
              (reg, reg + 1), "registered then and now")
    units = {u["org"]: u["state"] for u in j["units"]}
    expect_eq(units.get("TC1"), "submitted", "TC1 has submitted")
    expect_eq(units.get("TC2"), "open", "TC2 has not")
    expect_eq((j["units_total"], j["units_submitted"]), (2, 1), "units submitted")
    t = page("office").get(f"/reports?form=monthly&org=TS1&period={month}").text
    check("现为" in t and "已上报（锁定）" in t, "the page shows the snapshot with today's figures beside")


@test
def rp_xlsx():
    """The form's .xlsx: a row per child unit then 合计, the counts and the
    rates' numerators and denominators equal to the JSON's."""
    month, _ = rp_last_month()
    path = f"/api/v1/reports/monthly/TS1/{month}"
    j = api("office").get(path).json()
    r = api("office").get(path + "?format=xlsx")
    expect_eq(r.status, 200, f"GET ?format=xlsx ({r.status})")
    rows = xlsx_rows(r.body)
    header = rows[2]
    cols = {v: k for k, v in header.items()}
    data = [rows[n] for n in sorted(rows) if n > 2]
    expect_eq([d["B"] for d in data], ["甲社区", "乙社区", "合计"], "the rows")
    for d in data:
        cells = rp_cells(j, d["A"])
        expect_eq(d[cols["在册人数"]], cells["registered"]["value"], f"{d['A']} registered")
        expect_eq(d[cols["管控率分母"]], cells["control_rate"]["den"], f"{d['A']} control rate's denominator")
    r = page("office").get(f"/reports?form=monthly&org=TS1&period={month}&format=xlsx")
    expect_eq(xlsx_rows(r.body)[3], rows[3], "the page's download is the API's")


@test
def rp_bad_input_and_scope():
    """Unknown form or unit → 404, a malformed or wrong-kind period, a
    running month to submit → 400 on period, another street's unit → 404,
    a read-only role may not submit (403); nothing written."""
    month, _ = rp_last_month()
    before = rp_counts()
    w = api("worker_a")
    expect_api_error(w.get(f"/api/v1/reports/weekly/TC1/{month}"), 404, "not_found", what="an unknown form")
    expect_api_error(w.get(f"/api/v1/reports/monthly/NOPE/{month}"), 404, "not_found", what="an unknown unit")
    expect_api_error(w.get("/api/v1/reports/monthly/TC1/2026-13"), 400, "invalid", "period", what="month 13")
    expect_api_error(w.get("/api/v1/reports/monthly/TC1/2026H1"), 400, "invalid", "period", what="a half-year")
    expect_api_error(w.get(f"/api/v1/reports/monthly/TC1/{today().year + 1}-01"), 400, "invalid", "period",
                     what="a month not begun")
    expect_api_error(w.post(f"/api/v1/reports/monthly/TC1/{rp_this_month()}/submit"), 400, "invalid", "period",
                     what="submitting a running month")
    expect_api_error(w.get(f"/api/v1/reports/monthly/TC2/{month}"), 404, "not_found", what="another community")
    expect_api_error(api("office_b").get(f"/api/v1/reports/monthly/TS1/{month}"), 404, "not_found",
                     what="another street")
    expect_api_error(api("viewer").post(f"/api/v1/reports/monthly/TC3/{month}/submit"), 403, "forbidden",
                     what="the viewer submits")
    expect_api_error(rp_put("worker_a", f"/api/v1/reports/monthly/TC1/{rp_this_month()}", {"notes": 3}), 400,
                     "invalid", "notes", what="notes not text")
    expect_api_error(rp_put("worker_a", f"/api/v1/reports/monthly/TC1/{rp_this_month()}", {"notes": "x" * 501}), 400,
                     "invalid", "notes", what="notes too long")
    expect_api_error(rp_put("worker_a", f"/api/v1/reports/monthly/TC1/{rp_this_month()}", {"other": 1}), 400,
                     "invalid", what="an unknown member")
    rp_unchanged(before, "bad input")


@test
def rp_page_submit():
    """The page: worker_b submits TC2's month with the form's button, the
    page then shows it locked; the street office's page offers the unlock."""
    month, _ = rp_last_month()
    pg = page("worker_b")
    t = pg.get(f"/reports?form=monthly&org=TC2&period={month}").text
    check('action="/reports/submit"' in t, "the submit form is offered")
    r = pg.post("/reports/submit", [("form", "monthly"), ("org", "TC2"), ("period", month)])
    expect_eq(r.status, 303, f"POST /reports/submit ({r.brief()})")
    t = pg.get(f"/reports?form=monthly&org=TC2&period={month}").text
    check("已上报（锁定）" in t and 'action="/reports/submit"' not in t, "locked after submitting")
    t = page("office").get(f"/reports?form=monthly&org=TC2&period={month}").text
    check('action="/reports/unlock"' in t, "the office above is offered the unlock")
    r = page("office").post("/reports/unlock", [("form", "monthly"), ("org", "TC2"), ("period", month), ("reason", "")])
    expect_eq(r.status, 400, "unlock from the page without a reason")
    check("解锁原因" in r.text, "the reason's error beside its field")


# ---- data quality

@test
def rp_quality():
    """Completeness and logical accuracy: a file without phone, addresses,
    drugs and date first found fails those completeness rules; the units
    below are ranked by their rates (computed here from the answer's
    checks); the failing files of a rule; an unknown rule 400; another
    street 404; .xlsx read back."""
    r = api("worker_a").post("/api/v1/persons", payload("质量缺项", "TC1", full=False))
    expect_eq(r.status, 201, f"a file with the least items ({r.brief()})")
    pid = r.json()["id"]
    q = api("office").get("/api/v1/quality?org=TS1&per_page=200")
    expect_eq(q.status, 200, f"GET /api/v1/quality ({q.brief()})")
    j = q.json()
    mine = [it for it in j["items"] if it["person_id"] == pid]
    expect_eq(len(mine), 1, "the file is listed as failing")
    for rule in ("phone", "household_address", "residence_address", "drug_types", "first_found_date", "status"):
        check(rule in mine[0]["failed"], f"{rule} fails: {mine[0]['failed']}")
    check("id_valid" not in mine[0]["failed"], "the ID number is sound")
    expect_eq(j["files"], sum(u["files"] for u in j["units"]), "the unit's files are its units'")
    expect_eq(j["complete_rate"]["den"], sum(u["complete_rate"]["den"] for u in j["units"]), "checks add up")
    key = [(-u["complete_rate"]["num"] / u["complete_rate"]["den"] if u["complete_rate"]["den"] else 1,
            -u["logic_rate"]["num"] / u["logic_rate"]["den"] if u["logic_rate"]["den"] else 1) for u in j["units"]]
    expect_eq(key, sorted(key), "ranked by completeness, then logical accuracy")
    expect_eq([u["rank"] for u in j["units"]][0], 1, "the first is ranked 1")
    phone = api("office").get("/api/v1/quality?org=TS1&rule=phone&per_page=200").json()
    check(all("phone" in it["failed"] for it in phone["items"]) and pid in [it["person_id"] for it in phone["items"]],
          "the files failing one rule")
    expect_eq(phone["total"], [x["failing"] for x in j["rules"] if x["code"] == "phone"][0], "the rule's count")
    check("*" in mine[0]["id_number"], "ID numbers masked")
    before = rp_counts()
    expect_api_error(api("office").get("/api/v1/quality?org=TS1&rule=nope"), 400, "invalid", "rule",
                     what="an unknown rule")
    expect_api_error(api("office").get("/api/v1/quality?org=NOPE"), 400, "invalid", "org", what="an unknown unit")
    expect_api_error(api("office_b").get("/api/v1/quality?org=TS1"), 404, "not_found", what="another street")
    expect_api_error(api("office").get("/api/v1/quality?org=TS1&per_page=0"), 400, "invalid", "per_page",
                     what="per_page 0")
    rows = xlsx_rows(api("office").get("/api/v1/quality?org=TS1&format=xlsx").body)
    data = [rows[n] for n in sorted(rows) if n > 2]
    expect_eq([d["C"] for d in data], [u["name"] for u in j["units"]] + ["合计"], "the workbook's rows")
    expect_eq(data[-1]["D"], j["files"], "the workbook's files")
    t = page("office").get("/quality?org=TS1&rule=phone").text
    check(f'href="/persons/{pid}"' in t, "the failing file is one click away")


# ---- work-summary drafts

def rp_docx_text(data):
    """The paragraphs of a .docx: the package's parts parse as XML."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    for part in ("[Content_Types].xml", "_rels/.rels", "word/document.xml"):
        check(part in names, f"the .docx has no {part}: {names}")
        ET.fromstring(z.read(part))
    ct = ET.fromstring(z.read("[Content_Types].xml"))
    check(any(o.get("PartName") == "/word/document.xml" for o in ct), "the document's content type is declared")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    doc = ET.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(w + "t")) for p in doc.iter(w + "p")]


@test
def rp_summary():
    """The street's half-year draft: the structure of the seeds, the
    register as /api/v1/stats counts it as of the same day, no person's
    name; the .docx (API and page, as edited) unzips and parses; bad input
    400, another street 404."""
    y = today().year
    half = f"{y}H{1 if today().month <= 6 else 2}"
    s = api("office").get(f"/api/v1/summary?org=TS1&period={half}")
    expect_eq(s.status, 200, f"GET /api/v1/summary ({s.brief()})")
    j = s.json()
    expect_eq(j["title"], f"一号街道{y}年{'上' if half.endswith('1') else '下'}半年禁毒工作总结", "the title")
    text = j["text"]
    heads = [l for l in text.split("\n") if l[:2] in ("一、", "二、", "三、", "四、")]
    expect_eq(heads, ["一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下步工作打算"], "the sections")
    st = api("office").get(f"/api/v1/stats?org=TS1&period={half}&date={j['as_of']}").json()
    check(f"登记在册吸毒人员{st['counts']['registered']}人" in text, f"registered as stats counts it: {short(text)}")
    check(f"对社区戒毒、社区康复和社会帮教人员{st['counts']['supervised']}人" in text, "supervised")
    check("李测甲" not in text and "王测乙" not in text, "no person is named")
    check("（二）开展禁毒宣传教育" in text, "the prevention part is there to complete")
    r = api("office").get(f"/api/v1/summary?org=TS1&period={half}&format=docx")
    expect_eq(r.status, 200, "the .docx")
    check(r.header("Content-Type").startswith("application/vnd.openxmlformats-officedocument.wordprocessingml"),
          f"the .docx type: {r.header('Content-Type')}")
    paras = rp_docx_text(r.body)
    expect_eq(paras[0], j["title"], "the document's title")
    check("一、基本情况" in paras, "the headings are paragraphs")
    r = page("office").post("/summary/docx", [("title", "一号街道总结<改>"), ("text", "一、基本情况\n手改的一段 & 文字")])
    expect_eq(r.status, 200, f"the edited draft as Word ({r.status})")
    expect_eq(rp_docx_text(r.body)[:3], ["一号街道总结<改>", "一、基本情况", "手改的一段 & 文字"], "as edited")
    r = page("office").post("/summary/docx", [("title", ""), ("text", "x")])
    expect_eq(r.status, 400, "a draft without a title")
    for q, field in ((f"org=TS1&period={half}&from={y}-01-01", "period"), (f"org=TS1&from={y}-03-01&to={y}-02-01", "to"),
                     ("org=TS1&period=2026W3", "period"), ("org=NOPE", "org"), (f"org=TS1&from={y}-01-01", "to"),
                     (f"org=TS1&period={y + 2}", "period")):
        expect_api_error(api("office").get("/api/v1/summary?" + q), 400, "invalid", field, what=q)
    expect_api_error(api("office_b").get("/api/v1/summary?org=TS1"), 404, "not_found", what="another street")
    t = page("office").get(f"/summary?org=TS1&period={half}").text
    check('action="/summary/docx"' in t and "基本情况" in t, "the page offers the draft to edit")
