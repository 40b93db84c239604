"""Queries shared by the API, the alert evaluator and the dashboard.

- `FactFilter` is the one definition of "which facts" (API filters, alert rule filters, dashboard).
- `fact_page` / `iter_facts` read facts newest first with keyset pagination on `id`, so a page never
  shifts while new facts arrive and an export holds one batch in memory at a time.
- `fact_series` aggregates facts into one point per day/week/month in SQL (never a sum of values:
  each point keeps the latest and the largest reported value and every distinct value with its sources).
- `reports_only` is the one definition of "a report" that series, tolls and alert conditions count:
  a total (never a part such as "including 12 children"), once per article, kind, place and day.
- `toll_page` answers "what is the toll now" per kind and place (GET /tolls, the dashboard).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import orjson
import sqlalchemy as sa
from sqlalchemy import BigInteger, Text, and_, case, cast, distinct, exists, func, literal, or_
from sqlalchemy import Date as SADate
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from db.models import Article, Fact, Source

_ID_SPAN = 2**31
_SHORT_ID_RANGE = 2_000_000  # ids: see `_keyset`
Interval = Literal["day", "week", "month"]
INTERVALS = ("day", "week", "month")


def _needles(text: str) -> list[str]:
    """Lower-cased forms of a search string for SQL `lower()` comparisons.

    PostgreSQL's lower() folds every script; SQLite's folds ASCII only, so a second form that
    lower-cases only the ASCII letters lets "Ürümqi" match on SQLite when typed with its capital Ü.
    """
    text = " ".join(text.split())
    full = text.lower()
    ascii_only = "".join(c.lower() if c.isascii() else c for c in text)
    return [full] if ascii_only == full else [full, ascii_only]


@dataclass
class FactFilter:
    """Which facts. Every field is optional; set fields are ANDed.

    location: the resolved place (`place_name`, case-insensitive, exact); for facts whose place the
              gazetteer did not resolve, the place as written (`location`, case-insensitive substring).
              "Aleppo" finds "eastern Aleppo" resolved to Aleppo and an unresolved "a village near Aleppo".
    country:  ISO 3166-1 alpha-2 of the resolved place.
    source, subject, q: case-insensitive substrings of the attribution, the subject, the sentence.
    since/until: the fact's date (inclusive). min_value/max_value: the stated value (inclusive).
    """

    kind: list[str] | None = None
    location: str | None = None
    country: str | None = None
    source: str | None = None
    subject: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min_value: float | None = None
    max_value: float | None = None
    q: str | None = None
    article_id: int | None = None
    unit: str | None = None
    stored_since: dt.datetime | None = None  # facts stored at or after (the dashboard's recent window)

    def location_branches(self, by_id: bool = False) -> list:
        """The location filter as two index-friendly predicates whose OR is the filter:
        the resolved place by name, and the place as written where nothing was resolved.
        Both test lower(place_name), so the indexes on that expression serve both (NULL included).
        `by_id`: the place as written is tested on an expression the trigram index does not cover, so that
        PostgreSQL walks the newest ids instead (`_keyset` asks for it when only a short id range is left)."""
        needles = _needles(self.location or "")
        place = func.lower(Fact.place_name)
        place_match = place == needles[0] if len(needles) == 1 else place.in_(needles)
        written = func.lower(func.coalesce(Fact.location, "")) if by_id else func.lower(Fact.location)
        text_match = or_(*(written.contains(n, autoescape=True) for n in needles))
        return [place_match, and_(place.is_(None), text_match)]

    def apply(self, query, location_branch: int | None = None, by_id: bool = False):
        """Add the filter's conditions to a select. `location_branch` (0 or 1) keeps only one of the two
        `location_branches` (used to page through each with its own ordered index scan)."""
        if self.kind:
            query = query.where(col(Fact.kind).in_(self.kind) if len(self.kind) > 1 else Fact.kind == self.kind[0])
        if self.location and self.location.strip():
            branches = self.location_branches(by_id)
            query = query.where(branches[location_branch] if location_branch is not None else or_(*branches))
        if self.country:
            query = query.where(Fact.country_code == self.country.upper())
        if self.source:
            query = query.where(
                or_(*(func.lower(Fact.source).contains(n, autoescape=True) for n in _needles(self.source)))
            )
        if self.subject:
            query = query.where(
                or_(*(func.lower(Fact.subject).contains(n, autoescape=True) for n in _needles(self.subject)))
            )
        if self.since:
            query = query.where(col(Fact.date) >= self.since)
        if self.until:
            query = query.where(col(Fact.date) <= self.until)
        if self.min_value is not None:
            query = query.where(Fact.value >= self.min_value)
        if self.max_value is not None:
            query = query.where(Fact.value <= self.max_value)
        if self.q:
            query = query.where(
                or_(*(func.lower(Fact.sentence).contains(n, autoescape=True) for n in _needles(self.q)))
            )
        if self.article_id is not None:
            query = query.where(Fact.article_id == self.article_id)
        if self.unit:
            query = query.where(Fact.unit == self.unit)
        if self.stored_since is not None:
            query = query.where(col(Fact.created_at) >= self.stored_since)
        return query


def _keyset(
    session,
    flt: FactFilter,
    columns: tuple,
    limit: int,
    before_id: int | None,
    join_article: bool = False,
    after_id: int | None = None,
):
    """Up to `limit` rows of the filtered facts with the largest ids below `before_id`, largest first; or, given
    `after_id`, the smallest ids above it, smallest first (an incremental pull).

    With a location filter the two halves of its OR are read separately, each along its own index
    (lower(place_name), id), and merged: an OR would make the database sort every matching row of a
    busy place before it could return the first page.
    """
    oldest_first = after_id is not None

    def one(branch, bound=None):
        query = select(*columns)
        if join_article:
            query = query.join(Article, col(Article.id) == Fact.article_id)
        query = flt.apply(query, location_branch=branch)
        if before_id is not None:
            query = query.where(col(Fact.id) < before_id)
        if after_id is not None:
            query = query.where(col(Fact.id) > after_id)
        if bound is not None:
            query = query.where(col(Fact.id) < bound if oldest_first else col(Fact.id) > bound)
        order = col(Fact.id).asc() if oldest_first else col(Fact.id).desc()
        return list(session.exec(query.order_by(order).limit(limit)).all())

    if not (flt.location and flt.location.strip()):
        return one(None)
    key = (lambda r: r.id) if len(columns) == 1 else (lambda r: r._mapping["id"])
    resolved = one(0)
    # When the resolved place fills the page, unresolved rows beyond its last id cannot make it in: stop the
    # (substring) scan of unresolved places there.
    bound = key(resolved[-1]) if len(resolved) == limit else None
    if bound is not None and not oldest_first and (before_id or key(resolved[0]) + 1) - bound <= _SHORT_ID_RANGE:
        # The unresolved facts of the kind above the bound, newest first, tested from the index alone
        # (PostgreSQL: ix_facts_unresolved_kind_id holds the place as written), then the few that match
        # read by id. The trigram index would fetch from the table every fact ever written about the place
        # to keep those above the bound (at 10 M facts: 1,100 pages, 44 ms from a cold cache, for a mid place).
        ids = list(session.exec(flt_ids(flt, bound, before_id, limit)).all())
        query = select(*columns)
        if join_article:
            query = query.join(Article, col(Article.id) == Fact.article_id)
        unresolved = list(session.exec(query.where(col(Fact.id).in_(ids)).order_by(col(Fact.id).desc())).all())
    else:
        unresolved = one(1, bound=bound)
    merged = resolved + unresolved
    merged.sort(key=key, reverse=not oldest_first)
    return merged[:limit]


def flt_ids(flt: FactFilter, bound: int, before_id: int | None, limit: int):
    """Ids of the unresolved branch of `flt`'s location above `bound` (below `before_id`), newest first."""
    query = flt.apply(select(col(Fact.id)), location_branch=1, by_id=True).where(col(Fact.id) > bound)
    if before_id is not None:
        query = query.where(col(Fact.id) < before_id)
    return query.order_by(col(Fact.id).desc()).limit(limit)


def fact_page(
    session, flt: FactFilter, limit: int, before_id: int | None = None, after_id: int | None = None
) -> tuple[list[Fact], bool]:
    """Newest first, keyset-paginated on id: a page never shifts when new facts arrive. Given `after_id`:
    the facts stored after that id, oldest first (a client keeps the last id it saw as its watermark)."""
    rows = list(_keyset(session, flt, (Fact,), limit + 1, before_id, after_id=after_id))
    return rows[:limit], len(rows) > limit


EXPORT_COLUMNS = tuple(
    list(Fact.metadata.tables["facts"].c)
    + [
        func.coalesce(Article.canonical_url, Article.url).label("article_url"),
        col(Article.outlet).label("outlet"),
        col(Article.source_id).label("feed_id"),
    ]
)


def iter_facts(
    session_factory,
    flt: FactFilter,
    before_id: int | None = None,
    max_rows: int | None = None,
    batch: int = 2000,
    after_id: int | None = None,
) -> Iterator[dict]:
    """Every matching fact as a plain dict (its columns plus `article_url`, `outlet`, `feed_id`), newest first
    (oldest first after `after_id`), one keyset batch in memory at a time.

    Each batch runs in a short session of its own, so a slow reader holds no transaction open between
    batches. Newest first, facts that arrive during the export have larger ids and are not included (a
    snapshot by id); oldest first, they are (the export runs up to the newest fact).
    """
    sent = 0
    while max_rows is None or sent < max_rows:
        size = batch if max_rows is None else min(batch, max_rows - sent)
        with session_factory() as session:
            rows = [
                dict(r._mapping)
                for r in _keyset(session, flt, EXPORT_COLUMNS, size, before_id, join_article=True, after_id=after_id)
            ]
        if not rows:
            return
        yield from rows
        sent += len(rows)
        if after_id is None:
            before_id = rows[-1]["id"]
        else:
            after_id = rows[-1]["id"]
        if len(rows) < size:
            return


def fact_provenance(session, fact_id: int) -> tuple[Fact, Article, Source] | None:
    """A fact with the article it came from and the feed that brought the article."""
    row = session.exec(
        select(Fact, Article, Source)
        .join(Article, col(Article.id) == Fact.article_id)
        .join(Source, col(Source.id) == Article.source_id)
        .where(Fact.id == fact_id)
    ).first()
    return tuple(row) if row else None


# --- what counts as a report ----------------------------------------------------------------------


def _same_place(other: Any, fact: Any = Fact):
    """`other` is about the place `fact` is about: the same resolved place (and country), or, both unresolved,
    the same place as written."""
    return or_(
        and_(
            fact.place_name.is_not(None),
            other.place_name == fact.place_name,
            func.coalesce(other.country_code, "") == func.coalesce(fact.country_code, ""),
        ),
        and_(
            fact.place_name.is_(None),
            other.place_name.is_(None),
            func.lower(func.coalesce(other.location, "")) == func.lower(func.coalesce(fact.location, "")),
        ),
    )


def reports_only(query):
    """Keep the facts that count as reports: totals only, and one per article, kind, unit, place and day.

    A part ("including 12 children") is a breakdown of a total, never a report of the toll. An article
    that repeats its toll (headline and body) reports it once; when it states two totals for one day the
    later one in the text stands (the body updates the headline, "…rose to 52"). Two totals of different
    days stay two reports: the later date is the more recent toll. Undated facts are not compared (they
    are left out of series and tolls)."""
    later: Any = aliased(Fact)
    fact: Any = Fact  # column expressions (sqlmodel types the attributes as their Python values)
    stands_after = or_(
        later.span_start > fact.span_start, and_(later.span_start == fact.span_start, later.id > fact.id)
    )
    superseded = exists().where(
        later.article_id == fact.article_id,
        later.kind == fact.kind,
        later.unit == fact.unit,
        later.scope == "total",
        later.date == fact.date,
        _same_place(later),
        stands_after,
    )
    return query.where(fact.scope == "total", ~superseded)


def _day_number(dialect: str):
    """Days since 1970-01-01 of the fact's date, computed in the database."""
    if dialect == "postgresql":
        return cast(col(Fact.date) - dt.date(1970, 1, 1), BigInteger)
    return cast(func.julianday(Fact.date) - 2440587.5, BigInteger)


# --- the time series ------------------------------------------------------------------------------


def _bucket(dialect: str, interval: str):
    """The first day of the fact's day/week (ISO, Monday)/month, computed in the database."""
    if interval == "day":
        return Fact.date
    if dialect == "postgresql":
        return cast(func.date_trunc(interval, Fact.date), SADate)
    if interval == "week":
        return func.date(Fact.date, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", Fact.date)


def as_date(value) -> dt.date:
    """A date as the database returns it (a date, a datetime, or SQLite's ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _source_order(source: str | None):
    """Case-insensitive, no source last; "Police" before "police" (a total order: the same list whatever
    order the database aggregated them in)."""
    return (source is None, (source or "").lower(), source or "")


def _number(v: float) -> float | int:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def period_end(start: dt.date, interval: str) -> dt.date:
    """The last day of the period that starts on `start`."""
    if interval == "day":
        return start
    if interval == "week":
        return start + dt.timedelta(days=6) if start <= dt.date.max - dt.timedelta(days=6) else dt.date.max
    if start.month == 12:
        return dt.date(start.year, 12, 31)
    return dt.date(start.year, start.month + 1, 1) - dt.timedelta(days=1)


def fact_series(session, flt: FactFilter, interval: str = "day") -> list[dict]:
    """One point per interval that has reports, oldest first.

    Only reports count (`reports_only`: totals, one per article, kind, place and day).
    A point carries the `latest` reported value (the fact with the latest date, then the most
    recently stored), the `max` reported value, the number of `reports` (facts), how many of them
    state the latest value (`agreeing`), and every distinct value with its reports and sources.
    Values are never added up: a cumulative toll reported as 45 by one outlet and 52 by another
    is two values of one point. Facts without a date are left out.

    Aggregated in SQL (one GROUP BY): one row per (period, value) comes back, not one per fact.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    grouped = series_rows(session.get_bind().dialect.name, interval, flt)
    # Core rows (plain tuples), not ORM results: a year of a busy country is thousands of rows.
    return series_points(session.connection().execute(grouped), interval)


def series_rows(dialect: str, interval: str, flt: FactFilter, *keys: Any):
    """The GROUP BY behind `fact_series`: one row per (period, value) of the reports matching `flt`:
    (period, value, reports, recency, last fact id, sources as JSON text), after the `keys` columns, which
    are grouped by too (db/rollups.py computes many places' days in one query)."""
    bucket = _bucket(dialect, interval)
    # "latest" = the largest (date, id); one GROUP BY computes it per group as max(day number * 2^31 + id),
    # so no window function has to sort the rows (ids are 32-bit; day numbers fit many times over in 2^53).
    # A day's facts all share their date: there the id alone orders them (and SQLite skips julianday()).
    recency: Any
    if interval == "day":
        recency = Fact.id
    else:
        recency = _day_number(dialect) * _ID_SPAN + Fact.id
    # The sources come back as JSON text on both databases and are parsed by orjson: psycopg's own
    # json loader (the standard library's) costs more than the query for a busy country's year.
    sources = (
        cast(func.json_agg(distinct(col(Fact.source))), Text)
        if dialect == "postgresql"
        else func.json_group_array(distinct(col(Fact.source)))
    )
    # Core select (run on the connection): more columns than sqlmodel's typed select takes.
    return reports_only(
        flt.apply(
            sa.select(
                *keys,
                bucket.label("period"),
                col(Fact.value),
                func.count().label("n"),
                func.max(recency).label("recency"),
                func.max(Fact.id).label("last_id"),
                sources.label("sources"),
            ).where(col(Fact.date).is_not(None))
        )
    ).group_by(*keys, bucket, Fact.value)


def series_points(rows, interval: str) -> list[dict]:
    """`fact_series`'s points from `series_rows` rows (without key columns), oldest first."""
    points: dict = {}
    loads = orjson.loads
    for period, value, n, recency_key, last_id, srcs in rows:
        point = points.get(period)
        if point is None:
            point = points[period] = {"values": [], "reports": 0, "recency": -1 << 62, "latest": None}
        srcs = loads(srcs)
        if len(srcs) > 1:
            srcs.sort(key=_source_order)
        entry = {"value": _number(value), "reports": n, "sources": srcs, "last_fact_id": last_id}
        point["values"].append(entry)
        point["reports"] += n
        if recency_key > point["recency"]:
            point["recency"], point["latest"] = recency_key, entry
    out = []
    for start, point in sorted((as_date(period), point) for period, point in points.items()):
        values = sorted(point["values"], key=lambda e: -e["value"])
        latest = point["latest"]
        out.append(
            {
                "period": start,
                "period_end": period_end(start, interval),
                "latest": latest["value"],
                "max": values[0]["value"],
                "reports": point["reports"],
                "agreeing": latest["reports"],
                "disagree": len(values) > 1,
                "latest_fact_id": point["recency"] % _ID_SPAN,
                "values": values,
            }
        )
    return out


# --- the current toll ------------------------------------------------------------------------------


@dataclass
class TollReport:
    """One report behind a toll: the fact and when its article was reported (published, else stored)."""

    fact: Fact
    reported_at: dt.datetime | None


@dataclass
class Toll:
    """The current toll of one kind at one place: the latest and the highest reported total."""

    kind: str
    unit: str
    place_name: str | None
    country_code: str | None
    location: str | None
    latest: TollReport
    highest: TollReport
    reports: int
    first_reported_at: dt.datetime | None
    last_reported_at: dt.datetime | None
    last_fact_id: int
    breakdown: list[Fact]


def _place_group():
    """Facts about one place: the resolved place (within its country), else the place as written."""
    return case(
        (col(Fact.place_name).is_not(None), col(Fact.place_name)), else_=literal("@").concat(func.lower(Fact.location))
    )


def _reported_at():
    return func.coalesce(Article.published_at, Article.fetched_at)


def toll_page(session, flt: FactFilter, limit: int, before_id: int | None = None) -> tuple[list[Toll], bool]:
    """The current toll per (kind, unit, place) of the matching facts, newest first (the group whose most
    recently stored report has the largest id), keyset-paginated on that id.

    Counted over reports only (`reports_only`): `latest` is the report with the latest date, then the most
    recently stored; `highest` the largest reported value (its most recent report); `reports` the number of
    articles. A correction downwards shows as latest < highest. `breakdown` holds the parts (`scope='part'`)
    that the latest report's article gives for the same kind and place ("including 12 children").
    """
    from db import rollups  # the rollup reads db.queries' definitions

    fast = rollups.toll_rows(session, flt, limit + 1, before_id)
    if fast is not None:
        return _tolls_from_groups(session, fast, limit)
    dialect = session.get_bind().dialect.name
    place = _place_group()
    recency = _day_number(dialect) * _ID_SPAN + Fact.id
    reported_at = _reported_at()
    last_id = func.max(Fact.id)
    # Core select: more columns than sqlmodel's typed select takes
    query = (
        sa.select(
            col(Fact.kind),
            col(Fact.unit),
            col(Fact.country_code),
            place.label("place"),
            last_id.label("last_id"),
            func.count(distinct(col(Fact.article_id))).label("reports"),
            func.min(reported_at).label("first_at"),
            func.max(reported_at).label("last_at"),
            func.max(recency).label("recency"),
            func.max(Fact.value).label("highest"),
        )
        .join(Article, col(Article.id) == col(Fact.article_id))
        .where(col(Fact.date).is_not(None))
    )
    query = reports_only(flt.apply(query)).group_by(col(Fact.kind), col(Fact.unit), col(Fact.country_code), place)
    if before_id is not None:
        query = query.having(last_id < before_id)
    rows = list(session.execute(query.order_by(last_id.desc()).limit(limit + 1)).all())
    more, rows = len(rows) > limit, rows[:limit]

    latest_ids = [r.recency % _ID_SPAN for r in rows]
    facts = _facts_with_time(session, latest_ids)
    revised = [r for r, i in zip(rows, latest_ids) if facts[i].fact.value < r.highest]
    highest_of = _highest_reports(session, flt, revised)
    tolls = []
    for row, latest_id in zip(rows, latest_ids):
        latest = facts[latest_id]
        highest = highest_of.get((row.kind, row.unit, row.country_code, row.place), latest)
        tolls.append(
            _toll(
                row.kind,
                row.unit,
                row.country_code,
                latest,
                highest,
                row.reports,
                row.first_at,
                row.last_at,
                row.last_id,
            )
        )
    _attach_breakdowns(session, tolls)
    return tolls, more


def _tolls_from_groups(session, rows: list, limit: int) -> tuple[list[Toll], bool]:
    """`toll_page` from `toll_groups` rows (db/rollups.py): the same tolls, without aggregating the facts."""
    more, rows = len(rows) > limit, rows[:limit]
    latest_ids = [r.latest_recency % _ID_SPAN for r in rows]
    highest_ids = [r.highest_recency % _ID_SPAN for r in rows]
    facts = _facts_with_time(session, sorted(set(latest_ids) | set(highest_ids)))
    tolls = []
    for row, latest_id, highest_id in zip(rows, latest_ids, highest_ids):
        latest = facts[latest_id]
        # the raw path names the latest report when it states the highest value (their values agree)
        highest = latest if latest.fact.value >= row.highest else facts[highest_id]
        tolls.append(
            _toll(
                row.kind,
                row.unit,
                row.country or None,
                latest,
                highest,
                row.reports,
                row.first_reported_at,
                row.last_reported_at,
                row.last_fact_id,
            )
        )
    _attach_breakdowns(session, tolls)
    return tolls, more


def _toll(
    kind, unit, country_code, latest: TollReport, highest: TollReport, reports, first_at, last_at, last_id
) -> Toll:
    """A toll without its breakdown (`_attach_breakdowns` adds it); its place as the latest report states it."""
    return Toll(
        kind=kind,
        unit=unit,
        place_name=latest.fact.place_name,
        country_code=country_code,
        location=latest.fact.location,
        latest=latest,
        highest=highest,
        reports=reports,
        first_reported_at=first_at,
        last_reported_at=last_at,
        last_fact_id=last_id,
        breakdown=[],
    )


def _facts_with_time(session, ids: list[int]) -> dict[int, TollReport]:
    if not ids:
        return {}
    found = session.execute(
        sa.select(Fact, _reported_at().label("at"))
        .join(Article, col(Article.id) == col(Fact.article_id))
        .where(col(Fact.id).in_(ids))
    ).all()
    return {fact.id: TollReport(fact, at) for fact, at in found}


def _highest_reports(session, flt: FactFilter, rows: list) -> dict[tuple, TollReport]:
    """The most recent report of each group's highest value, for a page of groups in one query: the reports
    whose value is one of the page's highest values at one of its places, matched to their group here."""
    if not rows:
        return {}
    resolved = {r.place for r in rows if r.place is not None and not r.place.startswith("@")}
    written = {r.place[1:] for r in rows if r.place is not None and r.place.startswith("@")}
    places: list[Any] = []
    if resolved:
        places.append(col(Fact.place_name).in_(resolved))
    if written:
        places.append(and_(col(Fact.place_name).is_(None), func.lower(Fact.location).in_(written)))
    if any(r.place is None for r in rows):
        places.append(and_(col(Fact.place_name).is_(None), col(Fact.location).is_(None)))
    query = (
        sa.select(Fact, _reported_at().label("at"), _place_group().label("place"))
        .join(Article, col(Article.id) == col(Fact.article_id))
        .where(
            col(Fact.date).is_not(None),
            col(Fact.kind).in_({r.kind for r in rows}),
            col(Fact.value).in_({r.highest for r in rows}),
            or_(*places),
        )
    )
    wanted = {(r.kind, r.unit, r.country_code, r.place): r.highest for r in rows}
    best: dict[tuple, TollReport] = {}
    for fact, at, place in session.execute(reports_only(flt.apply(query))).all():
        key = (fact.kind, fact.unit, fact.country_code, place)
        if wanted.get(key) != fact.value:
            continue
        kept = best.get(key)
        if kept is None or (fact.date, fact.id) > (kept.fact.date, kept.fact.id):
            best[key] = TollReport(fact, at)
    return best


def _attach_breakdowns(session, tolls: list[Toll]) -> None:
    """The parts the latest report's article gives for the toll's kind and place (or with no place of their
    own), in text order."""
    article_ids = {t.latest.fact.article_id for t in tolls}
    if not article_ids:
        return
    parts = session.exec(
        select(Fact)
        .where(col(Fact.article_id).in_(article_ids), col(Fact.scope) == "part")
        .order_by(col(Fact.span_start), col(Fact.id))
    ).all()
    for toll in tolls:
        total = toll.latest.fact
        toll.breakdown = [
            p
            for p in parts
            if p.article_id == total.article_id
            and p.kind == total.kind
            and p.unit == total.unit
            and p.date in (None, total.date)
            and _same_place_as(p, total)
        ]


def _same_place_as(part: Fact, total: Fact) -> bool:
    """A part belongs to a total's place when it names the same place, or names none of its own."""
    if part.place_name:
        return (part.place_name, part.country_code) == (total.place_name, total.country_code)
    if part.location is None:
        return True
    return total.place_name is None and part.location.lower() == (total.location or "").lower()
