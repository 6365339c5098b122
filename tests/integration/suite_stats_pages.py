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


def sp_links(text):
    """The pager's links of a drill-down page: (previous, next), None when absent."""
    nav = re.search(r'<nav class="pager">(.*?)</nav>', text, re.S)
    check(nav is not None, "the drill-down page has no pager")
    prev = re.search(r'<a href="([^"]*)">上一页</a>', nav.group(1))
    nxt = re.search(r'<a href="([^"]*)">下一页</a>', nav.group(1))
    return (html_unescape(prev.group(1)) if prev else None, html_unescape(nxt.group(1)) if nxt else None)


def html_unescape(s):
    return s.replace("&amp;", "&")


@test
def stats_items_keyed_links():
    """The drill-down's pager links carry the position of the page's first or
    last person (before=, after=: ORG.PERSON), so a page reached by a link
    reads from there: following next from page 1 to the end lists the exact
    list page by page (the persons of page=N), and following previous from
    the end back to page 1 again; the JSON answers after/before the same
    way; a bad position answers 400 (翻页位置无效，请从第一页开始)."""
    ad = dapi("admin")
    have = len(sp_exact(ad, "TC3", dday(), "registered", "num")[0])
    for i in range(max(0, 125 - have)):  # three pages of 50 in one community (as stats_items_page_stops_early)
        sup_person("admin", f"孙键页{i}", "TC3", "social_supervision", dday(-400 + i), dday(-400 + i))
    walked = 0
    for who, org in (("admin", "T0"), ("office_b", "TS2"), ("office", "TS1")):
        a, w = dapi(who), dpage(who)
        for measure, part, d in (("registered", "num", dday()), ("supervised", "num", dday(-45)),
                                 ("relapsed", "num", dday()), ("test_rate", "den", dday(-300))):
            what = f"{who} {org} {measure}/{part} as of {d}"
            ids, _ = sp_exact(a, org, d, measure, part)
            pages = max(1, -(-len(ids) // SP_PER_PAGE))
            got, text = sp_page(w, org, d, measure, part, 1)
            seen, p, trail = [got], 1, []
            prev, nxt = sp_links(text)
            check(prev is None, f"{what}: page 1 links a page before")
            while nxt:  # forward by the links
                check("after=" in nxt and nxt.endswith(f"page={p + 1}"), f"{what}: the next link {nxt}")
                trail.append(nxt)
                r = w.get(nxt)
                check(r.status == 200, f"{who} GET {nxt}: {r.brief()}")
                p += 1
                got = [int(x) for x in re.findall(r'<tr><td[^>]*><a href="/persons/(\d+)">', r.text)]
                expect_eq(got, ids[(p - 1) * SP_PER_PAGE:p * SP_PER_PAGE], f"{what}: page {p} by the link")
                check(f'id="items-total">合计 至少<strong>' in r.text, f"{what}: page {p} by the link says no 至少")
                prev, nxt = sp_links(r.text)
                check(prev and "before=" in prev and prev.endswith(f"page={p - 1}"), f"{what}: page {p}'s previous link {prev}")
                seen.append(got)
                check(p <= pages, f"{what}: more pages by the links than {pages}")
            expect_eq(p, pages, f"{what}: the pages reached by the links")
            while p > 1:  # back by the links
                r = w.get(prev)
                check(r.status == 200, f"{who} GET {prev}: {r.brief()}")
                p -= 1
                got = [int(x) for x in re.findall(r'<tr><td[^>]*><a href="/persons/(\d+)">', r.text)]
                expect_eq(got, seen[p - 1], f"{what}: page {p} by the previous link")
                prev, nxt2 = sp_links(r.text)
                check(nxt2 and "after=" in nxt2, f"{what}: page {p} by the previous link links no next")
                check((prev is None) == (p == 1), f"{what}: page {p} by the previous link: previous {prev}")
            walked += pages
            # the JSON by position: the page after the first 50, and before the last of them
            if len(ids) > SP_PER_PAGE:
                first = a.get(f"/api/v1/stats/items?org={org}&date={d}&measure={measure}&part={part}"
                              f"&per_page={SP_PER_PAGE}&after={trail[0].split('after=')[1].split('&')[0]}")
                check(first.status == 200, f"{what}: JSON after: {first.brief()}")
                j = first.json()
                expect_eq([x["person_id"] for x in j["items"]], ids[SP_PER_PAGE:2 * SP_PER_PAGE], f"{what}: JSON after")
                expect_eq(j["partial"], True, f"{what}: JSON after is partial")
                expect_eq(j["next_after"] is not None, len(ids) > 2 * SP_PER_PAGE, f"{what}: JSON next_after")
                back = a.get(f"/api/v1/stats/items?org={org}&date={d}&measure={measure}&part={part}"
                             f"&per_page=7&before={j['prev_before']}")
                check(back.status == 200, f"{what}: JSON before: {back.brief()}")
                expect_eq([x["person_id"] for x in back.json()["items"]], ids[SP_PER_PAGE - 7:SP_PER_PAGE],
                          f"{what}: JSON before")
    check(walked > 6, f"no list long enough to walk: {walked} pages")
    # bad positions: not ORG.PERSON, a unit outside the subtree, a measure whose persons are not read by position
    tc1 = sql_int("SELECT id FROM org_unit WHERE code = 'TC1'")
    for q, field in ((f"org=TS2&measure=registered&after=junk", "after"), ("org=TS2&measure=registered&before=1.", "before"),
                     (f"org=TS2&measure=registered&after={tc1}.1", "after"),
                     (f"org=TS2&measure=registered&after=999999.1", "after"),
                     (f"org=TS2&measure=services.total&after={tc1}.1", "after")):
        err = expect_api_error(dapi("admin").get(f"/api/v1/stats/items?{q}"), 400, "invalid", field=field,
                               what=f"GET /api/v1/stats/items?{q}")
        expect_eq(err["fields"][field], "翻页位置无效，请从第一页开始", f"the message of {q}")
        r = dpage("admin").get(f"/stats/items?{q}")
        expect_eq(r.status, 400, f"GET /stats/items?{q}")
        check("翻页位置无效，请从第一页开始" in r.text, f"the page of {q} does not say the position is bad")
