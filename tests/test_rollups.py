"""The rollups (db/rollups.py) are exact: after random inserts (the ingest path and the ORM), re-extractions,
deletions of facts and of a source, and retention runs, on SQLite and PostgreSQL,

- `series_days` and `toll_groups` hold exactly what computing them from scratch over the facts gives, and
- `/series` by day and `/tolls` read from them answer exactly what aggregating the raw facts answers, for
  every kind, country and location of the data (and filters the rollup cannot serve take the raw path).
"""

from __future__ import annotations

import datetime as dt
import itertools

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text
from sqlmodel import Session, select

from db import rollups
from db.models import Article, Fact, SeriesDay, Source, TollGroup
from db.queries import FactFilter, fact_series, toll_page
from extractors.schema import FactBase
from service.ingest.store import Prepared, store_articles

D = dt.date(2025, 3, 1)
# resolved places (one name in two countries), places as written (one differs only by case), no place
PLACES = [
    ("Aleppo", "Aleppo", "SY"),
    ("eastern Aleppo", "Aleppo", "SY"),
    ("Tripoli", "Tripoli", "LY"),
    ("Tripoli", "Tripoli", "LB"),
    ("a village near Aleppo", None, None),
    ("A Village near ALEPPO", None, None),
    ("the north of Tripoli", None, None),
    (None, None, None),
]
NEEDLES = ["Aleppo", "aleppo", "Tripoli", "village", "north", "ALEPPO"]

fact_spec = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["killed", "injured"]),
        "unit": st.sampled_from(["people", "people", "percent"]),
        "value": st.sampled_from([3.0, 10.0, 10.0, 12.0, 45.5]),
        "scope": st.sampled_from(["total", "total", "total", "part"]),
        "place": st.sampled_from(PLACES),
        "day": st.sampled_from([0, 0, 1, 2, None]),
        "source": st.sampled_from([None, "UN", "police", "Police"]),
        "span_start": st.integers(0, 5),
    }
)
operation = st.one_of(
    st.tuples(st.just("ingest"), st.lists(st.lists(fact_spec, max_size=5), min_size=1, max_size=3)),
    st.tuples(st.just("orm"), st.lists(fact_spec, min_size=1, max_size=4)),
    st.tuples(st.just("orm_into_existing"), st.lists(fact_spec, min_size=1, max_size=2), st.integers(0, 50)),
    st.tuples(st.just("reextract"), st.lists(fact_spec, max_size=4), st.integers(0, 50)),
    st.tuples(st.just("delete_fact"), st.integers(0, 200)),
    st.tuples(st.just("remove_source"), st.integers(0, 50)),
    st.tuples(st.just("retention")),
)
_serial = itertools.count(1)


def _fact_fields(spec: dict, i: int) -> dict:
    location, place_name, country = spec["place"]
    return dict(
        kind=spec["kind"],
        value=spec["value"],
        low=spec["value"],
        high=spec["value"],
        unit=spec["unit"],
        scope=spec["scope"],
        location=location,
        place_name=place_name,
        country_code=country,
        date=None if spec["day"] is None else D + dt.timedelta(days=spec["day"]),
        source=spec["source"],
        span_start=spec["span_start"],
        span_end=spec["span_start"] + 2,
        sentence=f"Sentence {i}.",
    )


def _article(session: Session, source: Source) -> Article:
    n = next(_serial)
    published = dt.datetime(2025, 3, 1, n % 24, tzinfo=dt.UTC) if n % 3 else None
    article = Article(source_id=source.id, guid_key=f"o{n}", url=f"http://x/{n}", text="t", published_at=published)
    session.add(article)
    session.flush()
    return article


def _apply(session: Session, op: tuple) -> None:
    sources = session.exec(select(Source).order_by(Source.id)).all()
    if not sources:  # both removed (a source without articles is deleted, not disabled)
        sources = [Source(name=f"S{next(_serial)}", url=f"http://x/{next(_serial)}.xml")]
        session.add(sources[0])
        session.flush()
    articles = session.exec(select(Article).order_by(Article.id)).all()
    source = sources[0]
    if op[0] == "ingest":  # the poller's path: Core inserts, incremental tolls
        items = []
        for specs in op[1]:
            n = next(_serial)
            items.append(
                Prepared(
                    key=f"k{n}",
                    guid=None,
                    url=f"http://x/i{n}",
                    canonical_url=None,
                    title=None,
                    text="t",
                    text_origin="feed",
                    published_at=dt.datetime(2025, 2, 27, n % 24, tzinfo=dt.UTC) if n % 2 else None,
                    outlet=None,
                    content_hash=None,
                    fetched_at=dt.datetime(2025, 3, 1, n % 24, tzinfo=dt.UTC),
                    facts=[FactBase(**_fact_fields(s, i)) for i, s in enumerate(specs)],
                )
            )
        store_articles(session, source, items)
    elif op[0] == "orm":
        article = _article(session, source)
        session.add_all(
            Fact(article_id=article.id, extractor_version="t", **_fact_fields(s, i)) for i, s in enumerate(op[1])
        )
    elif op[0] == "orm_into_existing" and articles:
        article = articles[op[2] % len(articles)]
        session.add_all(
            Fact(article_id=article.id, extractor_version="t", **_fact_fields(s, i)) for i, s in enumerate(op[1])
        )
    elif op[0] == "reextract" and articles:  # what service/jobs/reextract.py does per article
        article = articles[op[2] % len(articles)]
        rollups.note_replaced(session, [article.id])
        session.exec(delete(Fact).where(Fact.article_id == article.id))
        session.add_all(
            Fact(article_id=article.id, extractor_version="t", **_fact_fields(s, i)) for i, s in enumerate(op[1])
        )
    elif op[0] == "delete_fact":
        facts = session.exec(select(Fact).order_by(Fact.id)).all()
        if facts:
            session.delete(facts[op[1] % len(facts)])
    elif op[0] == "remove_source":
        from service.domain.sources import remove_source

        session.commit()
        remove_source(session, sources[op[1] % len(sources)].id)
    elif op[0] == "retention":
        from service.jobs.retention import prune

        session.commit()
        prune(retention_days=1, now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    session.commit()


def _tables(session: Session) -> tuple[list, list]:
    days = [
        (r.kind, r.scope, r.key, r.day, r.reports, r.latest_fact_id, orjson.loads(r.point))
        for r in session.exec(select(SeriesDay)).all()
    ]
    tolls = [tuple(r.model_dump().items()) for r in session.exec(select(TollGroup)).all()]
    return sorted(days, key=repr), sorted(tolls, key=repr)


def _from_scratch(session: Session) -> tuple[list, list]:
    """What the backfill computes from the facts, in a transaction rolled back afterwards."""
    session.exec(delete(SeriesDay))
    session.exec(delete(TollGroup))
    rollups.backfill(session)
    found = _tables(session)
    session.rollback()
    return found


RAW = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # a filter every fact passes that the rollups do not serve


def _series_both(session: Session, **filters) -> tuple[list, list]:
    flt = FactFilter(**filters)
    fast = rollups.series_json(session, flt, "day")
    assert fast is not None, filters
    raw = fact_series(session, FactFilter(**filters, stored_since=RAW), "day")
    return [orjson.loads(p) for p in fast], orjson.loads(orjson.dumps(raw))


def _tolls_shape(tolls) -> list:
    return [
        (
            t.kind,
            t.unit,
            t.place_name,
            t.country_code,
            t.location,
            t.latest.fact.id,
            t.latest.reported_at,
            t.highest.fact.id,
            t.reports,
            t.first_reported_at,
            t.last_reported_at,
            t.last_fact_id,
            [p.id for p in t.breakdown],
        )
        for t in tolls
    ]


def _tolls_both(session: Session, **filters) -> tuple[list, list]:
    assert rollups.toll_rows(session, FactFilter(**filters), 1, None) is not None
    fast, raw = [], []
    for out, extra in ((fast, {}), (raw, {"stored_since": RAW})):
        before = None
        while True:  # every page, 2 at a time: the keyset pages agree too
            page, more = toll_page(session, FactFilter(**filters, **extra), 2, before)
            out += _tolls_shape(page)
            if not more:
                break
            before = page[-1].last_fact_id
    return fast, raw


def _reset(session: Session) -> None:
    for table in ("series_days", "toll_groups", "facts", "articles", "poll_logs", "sources"):
        session.exec(text(f"DELETE FROM {table}"))
    session.add(Source(name="A", url="http://x/a.xml"))
    session.add(Source(name="B", url="http://x/b.xml"))
    session.commit()


@pytest.mark.parametrize("examples", [25])
def test_rollups_equal_the_aggregates_of_the_facts(engine, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(operation, min_size=1, max_size=8))
    def check(ops):
        with Session(engine, expire_on_commit=False) as session:
            _reset(session)
            for op in ops:
                _apply(session, op)
            assert _tables(session) == _from_scratch(session)
            for kind in ("killed", "injured"):
                for country in ("SY", "LY", "LB", "sy"):
                    fast, raw = _series_both(session, kind=[kind], country=country)
                    assert fast == raw
                for needle in NEEDLES:
                    fast, raw = _series_both(session, kind=[kind], location=needle, since=D, until=D)
                    assert fast == raw
                    fast, raw = _series_both(session, kind=[kind], location=needle)
                    assert fast == raw
            for filters in (
                {},
                {"kind": ["killed"]},
                {"country": "SY"},
                {"kind": ["injured", "killed"], "unit": "people"},
                *({"location": n} for n in NEEDLES),
            ):
                fast, raw = _tolls_both(session, **filters)
                assert fast == raw, filters

    check()


def test_filters_the_rollups_cannot_serve_take_the_raw_path(engine):
    with Session(engine) as session:
        for flt in (
            FactFilter(kind=["killed"], country="SY", source="UN"),
            FactFilter(kind=["killed"], country="SY", unit="people"),
            FactFilter(kind=["killed"], country="SY", location="Aleppo"),
            FactFilter(kind=["killed"]),
            FactFilter(kind=["killed", "injured"], country="SY"),
            FactFilter(kind=["killed"], location="Aleppo", min_value=3),
        ):
            assert rollups.series_json(session, flt, "day") is None
        assert rollups.series_json(session, FactFilter(kind=["killed"], country="SY"), "week") is None
        for flt in (FactFilter(since=D), FactFilter(q="x"), FactFilter(subject="x"), FactFilter(max_value=3)):
            assert rollups.toll_rows(session, flt, 10, None) is None
