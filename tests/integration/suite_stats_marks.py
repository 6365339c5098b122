"""tests/integration/suite_stats_marks.py: the marks of the statistical
facts (migration 25, core/stats.h stats_facts_marks), run inside
tests/integration/run.py's namespace on the dated server. A person lost and
found again carries the lost-contact mark (stat_mark) under the unit of
each row of its facts; the persons behind "lost contact" (read from the
marked rows only) are, for every day around the loss, exactly the number
of the statistics table (read from every row) and include the person
exactly on the days it was lost; `jindu doctor` reports a mark taken away
and finds nothing once it is back."""


@test
def stats_marks_drill_down():
    pid = sup_person("worker_a", "标记失联", "TC1", "social_supervision", dday(-60), dday(-60))
    a = dapi("worker_a")
    for kind, d in (("lost_contact", dday(-20)), ("found", dday(-8))):
        r = a.post(f"/api/v1/persons/{pid}/events", {"kind": kind, "date": d})
        check(r.status == 201, f"event {kind} on {d}: {r.brief()}")
    tc1 = sql_int("SELECT id FROM org_unit WHERE code = 'TC1'")
    expect_eq(sql(f"SELECT group_concat(mark) FROM stat_mark WHERE org_id = {tc1} AND person_id = {pid}"), "1",
              "the lost-contact mark of the person's row")
    ad = dapi("admin")
    for back in (-30, -21, -20, -15, -9, -8, -1, 0):
        d = dday(back)
        table = ad.get(f"/api/v1/stats?org=TS1&date={d}")
        check(table.status == 200, f"the table as of {d}: {table.brief()}")
        r = ad.get(f"/api/v1/stats/items?org=TS1&date={d}&measure=lost_contact&per_page=200")
        check(r.status == 200, f"the persons behind lost contact as of {d}: {r.brief()}")
        expect_eq(r.json()["total"], table.json()["counts"]["lost_contact"], f"lost contact as of {d}")
        listed = pid in {x["person_id"] for x in r.json()["items"]}
        expect_eq(listed, -20 <= back < -8, f"the person listed as lost as of {d}")
    rc, out, err = run_cli(["doctor", "--db", C.db], timeout=120)
    expect_eq(rc, 0, f"doctor before (stdout {short(out, 400)!r})")
    sql(f"DELETE FROM stat_mark WHERE org_id = {tc1} AND person_id = {pid}")
    try:
        rc, out, err = run_cli(["doctor", "--db", C.db], timeout=120)
        check(rc == 1 and "stat_marks" in out + err, f"doctor misses the mark taken away: {rc} {short(out + err, 400)!r}")
    finally:
        sql(f"INSERT INTO stat_mark (mark, org_id, person_id) VALUES (1, {tc1}, {pid})")
    rc, out, err = run_cli(["doctor", "--db", C.db], timeout=120)
    expect_eq(rc, 0, f"doctor after the mark is back (stdout {short(out, 400)!r})")
