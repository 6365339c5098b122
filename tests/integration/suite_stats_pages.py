"""tests/integration/suite_stats_pages.py: the drill-down page that stops
reading once its page is full (issue 11 point 8, app/stats.h
app_stats_items_page), run inside tests/integration/run.py's namespace on
the dated server. For several measures, dates, users and pages, the persons
a page lists are those of the same page of the exact list (the JSON, every
row read), in the same order; a page with more after it says "至少", links
the next page and offers count=all; the last page and count=all show the
exact figures, which equal the statistics table's (the figures' own scan)."""

SP_PER_PAGE = 50  # web/page_stats.c ITEMS_PER_PAGE


def sp_exact(client, org, d, measure, part):
    """The exact list behind a number (JSON, every page of 200): the visible
    persons in order and the envelope of the first page."""
    ids, pg, first = [], 1, None
    while True:
        q = f"/api/v1/stats/items?org={org}&date={d}&measure={measure}&part={part}&per_page=200&page={pg}"
        r = client.get(q)
        check(r.status == 200, f"{client.who} GET {q}: {r.brief()}")
        first = first or r.json()
        ids += [x["person_id"] for x in r.json()["items"]]
        if len(r.json()["items"]) < 200:
            return ids, first
        pg += 1


def sp_page(pg, org, d, measure, part, page_no, extra=""):
    """The persons a drill-down page lists, and its text."""
    q = f"/stats/items?org={org}&date={d}&measure={measure}&part={part}&page={page_no}{extra}"
    r = pg.get(q)
    check(r.status == 200, f"{pg.who} GET {q}: {r.brief()}")
    return [int(x) for x in re.findall(r'<tr><td[^>]*><a href="/persons/(\d+)">', r.text)], r.text


@test
def stats_items_page_stops_early():
    ad = dapi("admin")
    have = len(sp_exact(ad, "TC3", dday(), "registered", "num")[0])
    for i in range(max(0, 125 - have)):  # enough for three pages of 50 in one community
        pid = sup_person("admin", f"钱翻页{i}", "TC3", "social_supervision", dday(-400 + i), dday(-400 + i))
        if i % 3 == 0:
            r = ad.post(f"/api/v1/persons/{pid}/tests", {"date": dday(-60 + i % 50), "sample": "urine",
                                                       "reason": "random", "result": "positive"})
            check(r.status == 201, f"a positive test of {pid}: {r.brief()}")
    for who, org in (("admin", "T0"), ("admin", "TS2"), ("office_b", "TS2"), ("office", "TS1")):
        a, w = dapi(who), dpage(who)
        for measure, part in (("registered", "num"), ("supervised", "num"), ("relapsed", "num"),
                              ("test_rate", "den"), ("lost_contact", "num")):
            for d in (dday(), dday(-45), dday(-300)):
                what = f"{who} {org} {measure}/{part} as of {d}"
                ids, env = sp_exact(a, org, d, measure, part)
                table = st_get(a, f"org={org}&date={d}", what)
                fig = table["rates"][measure][part] if part == "den" else table["counts"][measure]
                expect_eq(env["total"], fig, f"{what}: the JSON's total is the table's figure")
                expect_eq(len(ids), env["persons"] - env["outside_scope"], f"{what}: the persons listed")
                pages = max(1, -(-len(ids) // SP_PER_PAGE))
                for p in sorted({1, 2, pages, pages + 1}):
                    got, text = sp_page(w, org, d, measure, part, p)
                    want = ids[(p - 1) * SP_PER_PAGE:p * SP_PER_PAGE]
                    expect_eq(got, want, f"{what}: the persons of page {p}")
                    more = p * SP_PER_PAGE < len(ids)
                    expect_eq('id="items-count-all"' in text, more, f"{what}: page {p} offers count=all")
                    expect_eq(f"page={p + 1}\"" in text, more, f"{what}: page {p} links the next page")
                    if not more:
                        check(f'id="items-total">合计 <strong>{env["total"]}</strong>' in text,
                              f"{what}: page {p} shows no exact total {env['total']}")
                    else:
                        check(f'id="items-total">合计 至少<strong>' in text, f"{what}: page {p} says no 至少")
                got, text = sp_page(w, org, d, measure, part, 2, "&count=all")
                expect_eq(got, ids[SP_PER_PAGE:2 * SP_PER_PAGE], f"{what}: the persons of page 2, count=all")
                check(f'id="items-total">合计 <strong>{env["total"]}</strong>' in text,
                      f"{what}: count=all shows no exact total {env['total']}")
                check('id="items-count-all"' not in text, f"{what}: count=all offers count=all")
    # the test is worth its name only if some list was long enough to stop early
    check(len(sp_exact(ad, "TS2", dday(), "registered", "num")[0]) > 2 * SP_PER_PAGE,
          "no list of more than two pages")
