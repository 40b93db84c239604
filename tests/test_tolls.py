"""What is the toll now, on SQLite and PostgreSQL: totals not parts, one report per article and day,
GET /tolls (latest, highest, reports, breakdown, pages, CSV), incremental pulls with since_id, and
unknown query parameters refused on every route."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import httpx
from sqlmodel import Session

from db.models import Article, Fact, Source

D = dt.date
T = dt.datetime
UTC = dt.UTC
_serial = itertools.count(1)


def store(url: str, facts: list[dict], published_at: dt.datetime | None = None, title: str = "Toll rises") -> list[int]:
    """One article (of its own feed) with the given facts, in the given order; returns the fact ids."""
    from db.engine import get_engine

    n = next(_serial)
    with Session(get_engine(url)) as session:
        feed = Source(name=f"Feed {n}", url=f"http://127.0.0.1:9/feed-{n}.xml")
        session.add(feed)
        session.flush()
        article = Article(
            source_id=feed.id,
            guid_key=f"g{n}",
            url=f"http://127.0.0.1:9/a/{n}",
            title=title,
            outlet="Example News",
            text="An article.",
            extractor_version="1.0.0",
            published_at=published_at,
        )
        session.add(article)
        session.flush()
        rows = []
        for i, spec in enumerate(facts):
            data = dict(
                kind="killed",
                value=10,
                low=10,
                high=10,
                qualifier="exact",
                unit="people",
                subject="people",
                location="Tarvik",
                place_name="Tarvik",
                country_code="XK",
                date=D(2026, 3, 2),
                source=None,
                scope="total",
                span_start=10 * i,
                span_end=10 * i + 2,
                sentence=f"Sentence {i}.",
                extractor_version="1.0.0",
            )
            data.update(spec)
            fact = Fact(article_id=article.id, **data)
            session.add(fact)
            rows.append(fact)
        session.commit()
        return [f.id for f in rows]


def get(base: str, path: str, **params) -> httpx.Response:
    return httpx.get(base + "/api/v1" + path, params=params, timeout=30)


def three_days(url: str) -> dict[str, list[int]]:
    """A toll that rises over three days, with headline repeats, parts and an official correction."""
    return {
        # day 1: headline and body give 20 (one report); 6 children among them (a part)
        "day1": store(
            url,
            [
                dict(value=20, span_start=0),
                dict(value=20, span_start=80),
                dict(value=6, scope="part", subject="children", span_start=120),
            ],
            published_at=T(2026, 3, 1, 9, tzinfo=UTC),
        ),
        # day 2: the body updates the headline (31, then 35): the later one in the text stands
        "day2": store(
            url,
            [
                dict(value=31, date=D(2026, 3, 2), span_start=0),
                dict(value=35, date=D(2026, 3, 2), span_start=90),
                dict(value=12, scope="part", subject="children", date=D(2026, 3, 2), span_start=130),
            ],
            published_at=T(2026, 3, 2, 9, tzinfo=UTC),
        ),
        # day 3: an official correction downwards, with a part
        "day3": store(
            url,
            [
                dict(value=12, scope="part", subject="children", date=D(2026, 3, 3), span_start=0),
                dict(value=33, date=D(2026, 3, 3), source="Ministry of Health", span_start=40),
            ],
            published_at=T(2026, 3, 3, 9, tzinfo=UTC),
        ),
    }


def test_series_counts_totals_once_per_article(live_api, database_url):
    f = three_days(database_url)
    # the day-1 article's headline+body are dated on day 1
    from db.engine import get_engine

    with Session(get_engine(database_url)) as session:
        for fact_id in f["day1"]:
            session.get(Fact, fact_id).date = D(2026, 3, 1)
            session.commit()
    points = get(live_api, "/series", kind="killed", location="Tarvik").json()["points"]
    assert [(p["period"], p["latest"], p["max"], p["reports"]) for p in points] == [
        ("2026-03-01", 20, 20, 1),
        ("2026-03-02", 35, 35, 1),
        ("2026-03-03", 33, 33, 1),
    ]
    reported = {v["value"] for p in points for v in p["values"]}
    assert not reported & {6, 12, 31}  # no part, no superseded headline among the reported values
    assert all(p["agreeing"] == 1 and not p["disagree"] for p in points)


def test_tolls_give_the_latest_total_and_the_highest(live_api, database_url):
    f = three_days(database_url)
    store(database_url, [dict(value=4, kind="injured")], published_at=T(2026, 3, 2, 12, tzinfo=UTC))
    store(database_url, [dict(value=9, place_name=None, country_code=None, location="a hamlet near Tarvik")])
    body = get(live_api, "/tolls", kind="killed").json()
    assert body["next_cursor"] is None
    by_place = {(t["place_name"], t["location"]): t for t in body["items"]}
    toll = by_place[("Tarvik", "Tarvik")]
    assert toll["kind"] == "killed" and toll["country_code"] == "XK" and toll["unit"] == "people"
    assert toll["latest"] == {
        "value": 33,
        "low": 10,
        "high": 10,
        "qualifier": "exact",
        "source": "Ministry of Health",
        "date": "2026-03-03",
        "fact_id": f["day3"][1],
        "article_id": toll["latest"]["article_id"],
        "reported_at": "2026-03-03T09:00:00Z",
    }
    assert toll["highest"]["value"] == 35 and toll["highest"]["fact_id"] == f["day2"][1]
    assert toll["latest"]["value"] < toll["highest"]["value"]  # the correction downwards is visible
    assert toll["reports"] == 3
    assert toll["first_reported_at"] == "2026-03-01T09:00:00Z" and toll["last_reported_at"] == "2026-03-03T09:00:00Z"
    assert toll["breakdown"] == [{"value": 12, "qualifier": "exact", "subject": "children", "fact_id": f["day3"][0]}]
    unresolved = by_place[(None, "a hamlet near Tarvik")]
    assert unresolved["latest"]["value"] == 9 and unresolved["reports"] == 1
    assert {t["kind"] for t in body["items"]} == {"killed"}
    assert [t["kind"] for t in get(live_api, "/tolls", kind="injured").json()["items"]] == ["injured"]
    # filters are the fact filters: the toll as known until day 2
    until = get(live_api, "/tolls", kind="killed", country="XK", until="2026-03-02").json()["items"]
    assert [(t["latest"]["value"], t["highest"]["value"], t["reports"]) for t in until] == [(35, 35, 2)]
    assert get(live_api, "/tolls", source="ministry").json()["items"][0]["latest"]["value"] == 33


def test_highest_is_found_per_toll(live_api, database_url):
    """Several tolls revised down on one page: each highest is its own toll's (the values cross over)."""
    a = store(database_url, [dict(value=50, place_name="Orvan", location="Orvan", date=D(2026, 3, 1))])
    store(database_url, [dict(value=40, place_name="Orvan", location="Orvan", date=D(2026, 3, 2))])
    b = store(database_url, [dict(value=60, place_name="Belk", location="Belk", date=D(2026, 3, 1))])
    store(database_url, [dict(value=50, place_name="Belk", location="Belk", date=D(2026, 3, 2))])
    items = {t["place_name"]: t for t in get(live_api, "/tolls").json()["items"]}
    assert (items["Orvan"]["latest"]["value"], items["Orvan"]["highest"]["fact_id"]) == (40, a[0])
    assert (items["Belk"]["latest"]["value"], items["Belk"]["highest"]["fact_id"]) == (50, b[0])


def test_tolls_pages_and_csv(live_api, database_url):
    places = [f"Place{i}" for i in range(7)]
    for i, place in enumerate(places):
        store(database_url, [dict(value=100 + i, place_name=place, location=place)])
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = get(live_api, "/tolls", **params).json()
        seen += [t["place_name"] for t in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(places))  # newest report first, each toll once
    resp = get(live_api, "/tolls", format="csv")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert [r["place_name"] for r in rows] == list(reversed(places))
    assert rows[0]["latest_value"] == "106" and rows[0]["highest_value"] == "106" and rows[0]["reports"] == "1"
    assert len(list(csv.DictReader(io.StringIO(get(live_api, "/tolls", format="csv", limit=2).text)))) == 2


def test_since_id_returns_newer_facts_oldest_first(live_api, database_url):
    first = store(database_url, [dict(value=v) for v in (1, 2, 3)])
    later = store(database_url, [dict(value=v) for v in (4, 5, 6, 7)])
    body = get(live_api, "/facts", since_id=first[-1]).json()
    assert [f["id"] for f in body["items"]] == later
    assert all(f["created_at"] for f in body["items"])
    page1 = get(live_api, "/facts", since_id=first[0], limit=2).json()
    assert [f["id"] for f in page1["items"]] == first[1:]
    page2 = get(live_api, "/facts", since_id=first[0], limit=2, cursor=page1["next_cursor"]).json()
    assert [f["id"] for f in page2["items"]] == later[:2]
    assert get(live_api, "/facts", since_id=later[-1]).json() == {"items": [], "next_cursor": None}
    # a poller's loop: the watermark moves on, nothing twice, nothing lost
    watermark, got = 0, []
    while batch := get(live_api, "/facts", since_id=watermark, limit=3).json()["items"]:
        got += [f["id"] for f in batch]
        watermark = batch[-1]["id"]
    assert got == first + later
    rows = list(csv.DictReader(io.StringIO(get(live_api, "/facts", since_id=first[-1], format="csv").text)))
    assert [int(r["id"]) for r in rows] == later and rows[0]["created_at"]
    located = get(live_api, "/facts", since_id=first[0], location="tarvik", limit=4).json()["items"]
    assert [f["id"] for f in located] == first[1:] + later[:2]


def test_whole_values_are_integers_in_json(live_api, database_url):
    fid = store(database_url, [dict(value=64.0, low=64.0, high=None), dict(value=2.5, low=2.5, high=2.5)])
    facts = {f["id"]: f for f in get(live_api, "/facts").json()["items"]}
    assert '"value":64,' in httpx.get(f"{live_api}/api/v1/facts/{fid[0]}").text.replace(" ", "")
    assert facts[fid[0]]["value"] == 64 and isinstance(facts[fid[0]]["value"], int)
    assert facts[fid[1]]["value"] == 2.5


def test_unknown_query_parameters_are_refused(live_api, database_url):
    store(database_url, [dict(value=5)])
    for path, params in [
        ("/api/v1/facts", {"source_id": "2"}),
        ("/api/v1/series", {"kind": "killed", "format": "csv"}),
        ("/api/v1/tolls", {"knd": "killed"}),
        ("/api/v1/sources", {"state": "ok"}),
        ("/api/v1/alerts", {"x": "1"}),
        ("/healthz", {"verbose": "1"}),
        ("/", {"plce": "Tarvik"}),
    ]:
        resp = httpx.get(live_api + path, params=params, timeout=30)
        assert resp.status_code == 400, (path, resp.text)
        assert resp.headers["content-type"] == "application/problem+json"
        name = next(iter(params.keys() - {"kind"}))
        assert resp.json()["detail"].startswith(f"{name}: unknown query parameter")
    assert httpx.get(live_api + "/api/v1/facts", params={"kind": "killed", "limit": 1}).status_code == 200
    assert httpx.get(live_api + "/", params={"place": "Tarvik"}).status_code == 200


def test_the_readme_poller_works(live_api, database_url, capsys):
    """The five-line poller of the README, run as written against a live API (one round)."""
    import re
    import types
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    code = re.search(r"\*\*Polling the API\.\*\*.*?```python\n(.*?)```", readme, re.S).group(1)
    assert len(code.strip().splitlines()) <= 6
    ids = store(database_url, [dict(value=v) for v in (3, 4, 5)])

    class Done(Exception):
        pass

    def sleep(seconds):
        if seconds:  # caught up: the poller would wait a minute
            raise Done

    fake_time = types.SimpleNamespace(sleep=sleep)
    code = code.replace("import time, httpx", "import httpx").replace("http://127.0.0.1:8000", live_api)
    try:
        exec(code, {"time": fake_time})
    except Done:
        pass
    printed = [int(line.split()[0]) for line in capsys.readouterr().out.splitlines()]
    assert printed == ids
