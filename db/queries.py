"""Queries shared by the API, the alert evaluator and the dashboard.

- `FactFilter` is the one definition of "which facts" (API filters, alert rule filters, dashboard).
- `fact_page` / `iter_facts` read facts newest first with keyset pagination on `id`, so a page never
  shifts while new facts arrive and an export holds one batch in memory at a time.
- `fact_series` aggregates facts into one point per day/week/month in SQL (never a sum of values:
  each point keeps the latest and the largest reported value and every distinct value with its sources).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import orjson
import sqlalchemy as sa
from sqlalchemy import BigInteger, Text, and_, cast, distinct, func, or_
from sqlalchemy import Date as SADate
from sqlmodel import col, select

from db.models import Article, Fact, Source

_ID_SPAN = 2**31
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

    def location_branches(self) -> list:
        """The location filter as two index-friendly predicates whose OR is the filter:
        the resolved place by name, and the place as written where nothing was resolved.
        Both test lower(place_name), so the indexes on that expression serve both (NULL included)."""
        needles = _needles(self.location or "")
        place = func.lower(Fact.place_name)
        place_match = place == needles[0] if len(needles) == 1 else place.in_(needles)
        text_match = or_(*(func.lower(Fact.location).contains(n, autoescape=True) for n in needles))
        return [place_match, and_(place.is_(None), text_match)]

    def apply(self, query, location_branch: int | None = None):
        """Add the filter's conditions to a select. `location_branch` (0 or 1) keeps only one of the two
        `location_branches` (used to page through each with its own ordered index scan)."""
        if self.kind:
            query = query.where(col(Fact.kind).in_(self.kind) if len(self.kind) > 1 else Fact.kind == self.kind[0])
        if self.location and self.location.strip():
            branches = self.location_branches()
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
        return query


def _keyset(session, flt: FactFilter, columns: tuple, limit: int, before_id: int | None, join_article: bool = False):
    """Up to `limit` rows of the filtered facts with the largest ids below `before_id`, largest first.

    With a location filter the two halves of its OR are read separately, each newest first along
    its own index (lower(place_name), id), and merged: an OR would make the database sort every
    matching row of a busy place before it could return the first page.
    """

    def one(branch, above_id=None):
        query = select(*columns)
        if join_article:
            query = query.join(Article, col(Article.id) == Fact.article_id)
        query = flt.apply(query, location_branch=branch)
        if before_id is not None:
            query = query.where(col(Fact.id) < before_id)
        if above_id is not None:
            query = query.where(Fact.id > above_id)
        return list(session.exec(query.order_by(col(Fact.id).desc()).limit(limit)).all())

    if not (flt.location and flt.location.strip()):
        return one(None)
    key = (lambda r: r.id) if len(columns) == 1 else (lambda r: r._mapping["id"])
    resolved = one(0)
    # When the resolved place fills the page, older unresolved rows cannot make it in: stop the
    # (substring) scan of unresolved places at the page's oldest id.
    unresolved = one(1, above_id=key(resolved[-1]) if len(resolved) == limit else None)
    merged = resolved + unresolved
    merged.sort(key=key, reverse=True)
    return merged[:limit]


def fact_page(session, flt: FactFilter, limit: int, before_id: int | None = None) -> tuple[list[Fact], bool]:
    """Newest first, keyset-paginated on id: a page never shifts when new facts arrive."""
    rows = list(_keyset(session, flt, (Fact,), limit + 1, before_id))
    return rows[:limit], len(rows) > limit


EXPORT_COLUMNS = tuple(
    [c for c in Fact.metadata.tables["facts"].c if c.name != "created_at"]
    + [
        func.coalesce(Article.canonical_url, Article.url).label("article_url"),
        col(Article.outlet).label("outlet"),
        col(Article.source_id).label("feed_id"),
    ]
)


def iter_facts(
    session_factory, flt: FactFilter, before_id: int | None = None, max_rows: int | None = None, batch: int = 2000
) -> Iterator[dict]:
    """Every matching fact as a plain dict (its columns plus `article_url`, `outlet`, `feed_id`), newest first,
    one keyset batch in memory at a time.

    Each batch runs in a short session of its own, so a slow reader holds no transaction open between
    batches. Facts that arrive during the export have larger ids and are not included (a snapshot by id).
    """
    sent = 0
    while max_rows is None or sent < max_rows:
        size = batch if max_rows is None else min(batch, max_rows - sent)
        with session_factory() as session:
            rows = [dict(r._mapping) for r in _keyset(session, flt, EXPORT_COLUMNS, size, before_id, join_article=True)]
        if not rows:
            return
        yield from rows
        sent += len(rows)
        before_id = rows[-1]["id"]
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


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _source_order(source: str | None):
    return (source is None, (source or "").lower())


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

    A point carries the `latest` reported value (the fact with the latest date, then the most
    recently stored), the `max` reported value, the number of `reports` (facts), how many of them
    state the latest value (`agreeing`), and every distinct value with its reports and sources.
    Values are never added up: a cumulative toll reported as 45 by one outlet and 52 by another
    is two values of one point. Facts without a date are left out.

    Aggregated in SQL (one GROUP BY): one row per (period, value) comes back, not one per fact.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    dialect = session.get_bind().dialect.name
    bucket = _bucket(dialect, interval)
    # "latest" = the largest (date, id); one GROUP BY computes it per group as max(day number * 2^31 + id),
    # so no window function has to sort the rows (ids are 32-bit; day numbers fit many times over in 2^53).
    # A day's facts all share their date: there the id alone orders them (and SQLite skips julianday()).
    recency: Any
    if interval == "day":
        recency = Fact.id
    elif dialect == "postgresql":
        recency = cast(col(Fact.date) - dt.date(1970, 1, 1), BigInteger) * _ID_SPAN + Fact.id
    else:
        recency = cast(func.julianday(Fact.date) - 2440587.5, BigInteger) * _ID_SPAN + Fact.id
    # The sources come back as JSON text on both databases and are parsed by orjson: psycopg's own
    # json loader (the standard library's) costs more than the query for a busy country's year.
    sources = (
        cast(func.json_agg(distinct(col(Fact.source))), Text)
        if dialect == "postgresql"
        else func.json_group_array(distinct(col(Fact.source)))
    )
    # Core select (run on the connection below): more columns than sqlmodel's typed select takes.
    grouped = flt.apply(
        sa.select(
            bucket.label("period"),
            col(Fact.value),
            func.count().label("n"),
            func.max(recency).label("recency"),
            func.max(Fact.id).label("last_id"),
            sources.label("sources"),
        ).where(col(Fact.date).is_not(None))
    ).group_by(bucket, Fact.value)
    points: dict = {}
    loads = orjson.loads
    # Core rows (plain tuples), not ORM results: a year of a busy country is thousands of rows.
    for period, value, n, recency_key, last_id, srcs in session.connection().execute(grouped):
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
    for start, point in sorted((_as_date(period), point) for period, point in points.items()):
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
