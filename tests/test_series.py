"""GET /series on SQLite and PostgreSQL: one point per day/week/month, the latest and the largest
reported value, every distinct value with its sources, never a sum; place and country filters."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.test_api import add_facts

D = dt.date
_feeds = itertools.count(1)


def add_each(url: str, specs: list[dict]) -> list[int]:
    """Each fact in an article of its own (an article counts once per kind, place and day)."""
    return [add_facts(url, [spec], feed_name=f"Each{next(_feeds)}")[0] for spec in specs]


def series(base: str, **params) -> dict:
    resp = httpx.get(base + "/api/v1/series", params=params, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_disagreeing_reports_are_shown_not_added(live_api, database_url):
    f = add_each(
        database_url,
        [
            dict(
                value=45,
                source="Syrian Observatory for Human Rights",
                date=D(2016, 11, 8),
                place_name="Aleppo",
                location="eastern Aleppo",
                country_code="SY",
            ),
            dict(
                value=52,
                source="United Nations",
                date=D(2016, 11, 8),
                place_name="Aleppo",
                location="Aleppo",
                country_code="SY",
            ),
            dict(value=45, source=None, date=D(2016, 11, 8), place_name="Aleppo", location="Aleppo", country_code="SY"),
            dict(value=60, source="United Nations", date=D(2016, 11, 9), place_name="Aleppo", country_code="SY"),
            dict(value=9, date=D(2016, 11, 8), place_name="Mosul", country_code="IQ"),  # other place
            dict(value=1000, kind="injured", date=D(2016, 11, 8), place_name="Aleppo", country_code="SY"),
            dict(value=99, date=None, place_name="Aleppo", country_code="SY"),  # undated
        ],
    )
    body = series(live_api, kind="killed", location="Aleppo", interval="day")
    assert body["kind"] == "killed" and body["interval"] == "day" and body["location"] == "Aleppo"
    day1, day2 = body["points"]
    assert day1["period"] == day1["period_end"] == "2016-11-08"
    assert day1["latest"] == 45 and day1["latest_fact_id"] == f[2]  # same date: the most recently stored
    assert day1["max"] == 52 and day1["reports"] == 3 and day1["agreeing"] == 2 and day1["disagree"] is True
    assert day1["values"] == [
        {"value": 52, "reports": 1, "sources": ["United Nations"], "last_fact_id": f[1]},
        {"value": 45, "reports": 2, "sources": ["Syrian Observatory for Human Rights", None], "last_fact_id": f[2]},
    ]
    assert day2 == {
        "period": "2016-11-09",
        "period_end": "2016-11-09",
        "latest": 60,
        "max": 60,
        "reports": 1,
        "agreeing": 1,
        "disagree": False,
        "latest_fact_id": f[3],
        "values": [{"value": 60, "reports": 1, "sources": ["United Nations"], "last_fact_id": f[3]}],
    }
    assert all(p["max"] < 45 + 52 for p in body["points"])  # never a sum

    week = series(live_api, kind="killed", location="aleppo", interval="week")["points"]
    assert [(p["period"], p["period_end"]) for p in week] == [("2016-11-07", "2016-11-13")]  # ISO week, Monday
    assert week[0]["latest"] == 60 and week[0]["max"] == 60 and week[0]["reports"] == 4
    assert week[0]["latest_fact_id"] == f[3] and week[0]["agreeing"] == 1
    assert [v["value"] for v in week[0]["values"]] == [60, 52, 45]


def test_latest_is_by_fact_date_then_storage(live_api, database_url):
    # stored out of order: the fact about the later day wins even though it was stored first
    f = add_facts(database_url, [dict(value=80, date=D(2016, 11, 30)), dict(value=70, date=D(2016, 11, 2))])
    month = series(live_api, kind="killed", interval="month")["points"]
    assert [(p["period"], p["period_end"]) for p in month] == [("2016-11-01", "2016-11-30")]
    assert month[0]["latest"] == 80 and month[0]["latest_fact_id"] == f[0]


def test_periods_across_boundaries(live_api, database_url):
    add_facts(
        database_url,
        [
            dict(value=1, date=D(2016, 12, 31)),
            dict(value=2, date=D(2017, 1, 1)),
            dict(value=3, date=D(2017, 1, 2)),
            dict(value=4, date=D(2016, 2, 29)),
            dict(value=5, date=D(2016, 2, 1)),
        ],
    )
    weeks = series(live_api, kind="killed", interval="week")["points"]
    assert [(p["period"], p["period_end"], p["latest"]) for p in weeks] == [
        ("2016-02-01", "2016-02-07", 5),
        ("2016-02-29", "2016-03-06", 4),
        ("2016-12-26", "2017-01-01", 2),
        ("2017-01-02", "2017-01-08", 3),
    ]
    months = series(live_api, kind="killed", interval="month")["points"]
    assert [(p["period"], p["period_end"], p["reports"]) for p in months] == [
        ("2016-02-01", "2016-02-29", 2),
        ("2016-12-01", "2016-12-31", 1),
        ("2017-01-01", "2017-01-31", 2),
    ]
    ranged = series(live_api, kind="killed", interval="day", since="2016-12-31", until="2017-01-01")["points"]
    assert [p["period"] for p in ranged] == ["2016-12-31", "2017-01-01"]


def test_place_and_country_filters(live_api, database_url):
    add_facts(
        database_url,
        [
            dict(value=10, location="eastern Aleppo", place_name="Aleppo", country_code="SY", date=D(2016, 11, 1)),
            dict(value=20, location="a village near Aleppo", place_name=None, country_code=None, date=D(2016, 11, 2)),
            dict(
                value=30,
                location="Aleppo province",
                place_name="Aleppo Governorate",
                country_code="SY",
                date=D(2016, 11, 3),
            ),
            dict(value=40, location="Homs", place_name="Homs", country_code="SY", date=D(2016, 11, 4)),
            dict(value=50, location="Mosul", place_name="Mosul", country_code="IQ", date=D(2016, 11, 5)),
            dict(value=60, kind="statistic", unit="USD", place_name="Homs", country_code="SY", date=D(2016, 11, 6)),
            dict(value=70, kind="statistic", unit="percent", place_name="Homs", country_code="SY", date=D(2016, 11, 6)),
        ],
    )
    latest = lambda **p: [pt["latest"] for pt in series(live_api, kind="killed", **p)["points"]]  # noqa: E731
    assert latest(location="ALEPPO") == [10, 20]  # the resolved place, and unresolved text that mentions it
    assert latest(location="aleppo governorate") == [30]
    assert latest(country="sy") == [10, 30, 40]
    assert latest(country="SY", location="Homs") == [40]
    assert latest(country="IQ") == [50]
    assert latest(country="FR") == []
    assert latest(since="2016-11-04") == [40, 50]
    assert latest(source="nobody") == []
    usd = series(live_api, kind="statistic", unit="USD")["points"]
    assert [p["latest"] for p in usd] == [60] and usd[0]["reports"] == 1


def _reference(facts: list[dict], interval: str) -> list[dict]:
    """The series computed in plain Python, fact by fact."""

    def start(d: dt.date) -> dt.date:
        if interval == "week":
            return d - dt.timedelta(days=d.weekday())
        if interval == "month":
            return d.replace(day=1)
        return d

    # a report: a total, the last one in its article's text for its day (all facts here share kind and place)
    last_in_article: dict = {}
    for f in facts:
        if f["date"] is not None and f["scope"] == "total":
            key = (f["article"], f["date"])
            kept = last_in_article.get(key)
            if kept is None or (f["span_start"], f["id"]) > (kept["span_start"], kept["id"]):
                last_in_article[key] = f
    groups = defaultdict(list)
    for f in last_in_article.values():
        groups[start(f["date"])].append(f)
    out = []
    for period in sorted(groups):
        rows = groups[period]
        latest = max(rows, key=lambda f: (f["date"], f["id"]))
        values = defaultdict(list)
        for f in rows:
            values[f["value"]].append(f)
        out.append(
            {
                "period": period.isoformat(),
                "latest": latest["value"],
                "max": max(values),
                "reports": len(rows),
                "agreeing": len(values[latest["value"]]),
                "disagree": len(values) > 1,
                "latest_fact_id": latest["id"],
                "values": [
                    {
                        "value": v,
                        "reports": len(values[v]),
                        "sources": sorted(
                            {f["source"] for f in values[v]}, key=lambda s: (s is None, (s or "").lower())
                        ),
                        "last_fact_id": max(f["id"] for f in values[v]),
                    }
                    for v in sorted(values, reverse=True)
                ],
            }
        )
    return out


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_matches_a_fact_by_fact_reference(live_api, database_url, interval):
    rnd = random.Random(interval)
    specs = [
        dict(
            value=rnd.choice([3, 5, 5, 8, 120, 2.5]),
            source=rnd.choice([None, "UN", "police", "ICRC"]),
            date=rnd.choice([None] + [D(2016, 1, 1) + dt.timedelta(days=rnd.randrange(120)) for _ in range(9)]),
            kind=rnd.choice(["killed", "killed", "injured"]),
            scope=rnd.choice(["total"] * 6 + ["part"]),
            span_start=rnd.randrange(5000),
        )
        for _ in range(150)
    ]
    ids, facts = [], []
    for n in range(6):  # six articles of 25 facts: within one, a day's later total in the text stands
        batch = specs[n * 25 : (n + 1) * 25]
        batch_ids = add_facts(database_url, batch, feed_name=f"Ref{interval}{n}")
        ids += batch_ids
        facts += [dict(spec, id=i, article=n) for spec, i in zip(batch, batch_ids) if spec["kind"] == "killed"]
    got = series(live_api, kind="killed", interval=interval)["points"]
    for point in got:
        point.pop("period_end")
    assert got == _reference(facts, interval)


def test_series_in_process_matches_live(database_url):
    """The same through the ASGI app in-process (no server), to pin the JSON shape for scripts."""
    from service.web.app import create_app

    add_facts(database_url, [dict(value=5, date=D(2020, 5, 5))])
    with TestClient(create_app(start_scheduler=False)) as client:
        body = client.get("/api/v1/series", params={"kind": "killed"}).json()
    assert set(body) == {"kind", "interval", "location", "country", "since", "until", "unit", "points"}
    assert set(body["points"][0]) == {
        "period",
        "period_end",
        "latest",
        "max",
        "reports",
        "agreeing",
        "disagree",
        "latest_fact_id",
        "values",
    }


def test_startup_heap_is_frozen_out_of_the_collector(database_url):
    """The long-lived heap (web stack, extractor models) is moved out of the collector's way once
    start-up is done: full collections over it were the ~80 ms tail of /series (bench/api.py)."""
    import gc

    from service.ingest import polling
    from service.web.app import create_app

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(start_scheduler=False)) as c:
        assert c.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
    polling._warmed = False  # the poller freezes again once its extractor models are loaded
    polling.warm_up()
    assert polling._warmed and gc.get_freeze_count() > 10_000
