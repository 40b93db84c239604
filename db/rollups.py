"""Rollups: `/series` by day and `/tolls` read a few hundred precomputed rows instead of the facts.

Two tables (db/models.py, migration 0010), kept current in the transaction that writes the facts:

- `series_days`: one row per (kind, country | resolved place | place as written, day) holding that day's
  point exactly as `/series?interval=day` returns it. A write touches a handful of such cells (the new
  facts' kinds, places and days); each touched cell is recomputed from its facts with the very query the
  raw path runs (`db.queries.series_rows`), so a cell is always what the raw path would say.
- `toll_groups`: one row per (kind, unit, country, place) with the running aggregates behind a toll (number
  of reporting articles, first/last reported, the latest and the highest report). New articles are
  added incrementally — one INSERT … SELECT … ON CONFLICT DO UPDATE over the batch's reports, since an
  article's reports can only be new. Replaced or deleted facts (re-extraction) recompute their groups
  from the facts.

Who calls what: `store_articles` (the ingest path, Core inserts) calls `articles_added`; facts written
through the ORM (`session.add(Fact(...))`, re-extraction) are caught by session events (`install`) and their
cells and groups recomputed before the commit; `note_replaced` records what a bulk DELETE of facts is
about to change. On PostgreSQL the touched cells are locked (transaction advisory locks, in a fixed order)
before they are recomputed, so two workers storing facts of one place and day at once cannot overwrite
each other's point with one that misses the other's facts.

Reads fall back to the raw path for filters a rollup cannot answer (source, subject, q, value bounds, a
week/month interval, a unit for /series, dates for /tolls …); the answers are identical either way
(tests/test_rollups.py checks that property on both databases).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import and_, case, event, func, literal, or_, true, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlmodel import col

from db.models import Article, Fact, SeriesDay, TollGroup
from db.queries import (
    _ID_SPAN,
    FactFilter,
    _day_number,
    _needles,
    _source_order,
    as_date,
    reports_only,
    series_points,
    series_rows,
)

_SERIES: Any = SeriesDay.__table__  # type: ignore[attr-defined]
_TOLLS: Any = TollGroup.__table__  # type: ignore[attr-defined]

# --- what a write touches ----------------------------------------------------------------------------


@dataclass
class Touched:
    """Series cells (scope, kind, key, day) and toll groups (kind, unit, country, resolved, place)."""

    cells: set[tuple] = field(default_factory=set)
    groups: set[tuple] = field(default_factory=set)

    def __ior__(self, other: Touched) -> Touched:
        self.cells |= other.cells
        self.groups |= other.groups
        return self


def _series_key(scope: str):
    """The key column of a series scope, and the condition for a fact to have one."""
    if scope == "c":
        return col(Fact.country_code), col(Fact.country_code).is_not(None)
    if scope == "p":
        return func.lower(Fact.place_name), col(Fact.place_name).is_not(None)
    return func.lower(Fact.location), and_(col(Fact.place_name).is_(None), col(Fact.location).is_not(None))


def _toll_place():
    return func.coalesce(col(Fact.place_name), func.lower(Fact.location), literal(""))


def touched_by(session: Session, article_ids) -> Touched:
    """The cells and groups the dated totals of these articles (as stored now) belong to. The keys come from
    the database (its lower()), so they are the keys its queries compute."""
    touched = Touched()
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), 500):
        rows = session.connection().execute(
            sa.select(
                col(Fact.kind),
                col(Fact.unit),
                col(Fact.date),
                col(Fact.country_code),
                col(Fact.place_name).is_not(None),
                func.lower(Fact.place_name),
                func.lower(Fact.location),
                _toll_place(),
            )
            .where(col(Fact.article_id).in_(ids[i : i + 500]), col(Fact.date).is_not(None), col(Fact.scope) == "total")
            .distinct()
        )
        for kind, unit, date, country, resolved, lplace, llocation, place in rows:
            day = as_date(date)
            if country is not None:
                touched.cells.add(("c", kind, country, day))
            if resolved:
                touched.cells.add(("p", kind, lplace, day))
            elif llocation is not None:
                touched.cells.add(("u", kind, llocation, day))
            touched.groups.add((kind, unit, country or "", bool(resolved), place))
    return touched


def _lock(session: Session, touched: Touched) -> None:
    """PostgreSQL: transaction advisory locks on the touched cells and groups, smallest key first (one fixed
    order, so two writers cannot deadlock on them); held until commit."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted(
        {
            int.from_bytes(hashlib.blake2b(repr(k).encode(), digest_size=8).digest(), "big", signed=True)
            for k in (*touched.cells, *touched.groups)
        }
    )
    if keys:
        session.connection().execute(
            sa.text(
                "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY 1) s"
            ),
            {"keys": keys},
        )


# --- keeping them current -------------------------------------------------------------------------------


def articles_added(session: Session, article_ids) -> None:
    """New articles' facts were inserted (no fact of these articles existed before): recompute their series
    cells, add their reports to the toll groups."""
    touched = touched_by(session, article_ids)
    if not touched.cells and not touched.groups:
        return
    _lock(session, touched)
    _add_to_cells(session, sorted(set(article_ids)))
    dialect = session.get_bind().dialect.name
    add = _cached(("add_tolls", dialect), lambda: _upsert_tolls(dialect, _toll_select(dialect, _ARTICLE_IDS), add=True))
    session.connection().execute(add, {"article_ids": sorted(set(article_ids))})


_ARTICLE_IDS = col(Fact.article_id).in_(sa.bindparam("article_ids", expanding=True))
_STATEMENTS: dict[tuple, Any] = {}


def _cached(key: tuple, build):
    """A statement built once per process (building `reports_only`'s alias costs ~10 ms a time; the statement
    takes its lists as expanding parameters, so SQLAlchemy's compiled cache serves every later batch)."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def refresh(session: Session, touched: Touched) -> None:
    """Recompute these cells and groups from the facts (after facts were replaced or deleted)."""
    _lock(session, touched)
    refresh_cells(session, touched.cells)
    refresh_groups(session, touched.groups)


def refresh_cells(session: Session, cells) -> None:
    """Each cell (scope, kind, key, day) recomputed from its facts: its point replaced, or dropped when it has
    no report any more.

    Read by regions: the cells of (some keys) x (some kinds) x (some days) of one scope, so the query is three
    IN lists along the place's index ((country_code | lower(place_name), kind, date …)); a region holds a few
    cells nobody touched, which are recomputed too (harmless: they come out as they were)."""
    conn = session.connection()
    dialect = session.get_bind().dialect.name
    t = _SERIES.c
    for scope, kinds, keys, days in _regions(cells):
        query = _cached(("series", dialect, scope), lambda: _region_select(dialect, scope))
        rows_of: dict[tuple, list] = {}
        for kind, key_value, period, *rest in conn.execute(query, {"kinds": kinds, "keys": keys, "days": days}):
            rows_of.setdefault((kind, key_value, as_date(period)), []).append((period, *rest))
        conn.execute(_SERIES.delete().where(t.scope == scope, t.kind.in_(kinds), t.key.in_(keys), t.day.in_(days)))
        values = [_cell_row(scope, kind, k, day, cell_rows) for (kind, k, day), cell_rows in rows_of.items()]
        if values:
            conn.execute(_SERIES.insert(), values)


def _add_to_cells(session: Session, article_ids: list[int]) -> None:
    """The new articles' reports added to their cells: each cell's point for these reports alone, merged into
    the stored point (`merge_points`: the points of two disjoint sets of reports merge into the point of their
    union), so a batch costs what it adds, not the size of the busy places' days it lands on."""
    conn = session.connection()
    dialect = session.get_bind().dialect.name
    t = _SERIES.c
    for scope in ("c", "p", "u"):
        query = _cached(("series_new", dialect, scope), lambda: _new_reports_select(dialect, scope))
        rows_of: dict[tuple, list] = {}
        for kind, key_value, period, *rest in conn.execute(query, {"article_ids": article_ids}):
            rows_of.setdefault((kind, key_value, as_date(period)), []).append((period, *rest))
        if not rows_of:
            continue
        kinds, keys, days = (sorted({cell[i] for cell in rows_of}) for i in range(3))
        stored = {
            (kind, key_value, as_date(day)): point
            for kind, key_value, day, point in conn.execute(
                sa.select(t.kind, t.key, t.day, t.point).where(
                    t.scope == scope, t.kind.in_(kinds), t.key.in_(keys), t.day.in_(days)
                )
            )
        }
        values = []
        for cell, cell_rows in rows_of.items():
            row = _cell_row(scope, cell[0], cell[1], cell[2], cell_rows)
            if cell in stored:
                point = merge_points([stored[cell], row["point"]])
                row.update(
                    reports=point["reports"], latest_fact_id=point["latest_fact_id"], point=orjson.dumps(point).decode()
                )
            values.append(row)
        insert: Any = (pg_insert if dialect == "postgresql" else sqlite_insert)(_SERIES)
        excluded = insert.excluded
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=["kind", "scope", "key", "day"],
                set_={"reports": excluded.reports, "latest_fact_id": excluded.latest_fact_id, "point": excluded.point},
            ),
            values,
        )


def _new_reports_select(dialect: str, scope: str):
    key, has_key = _series_key(scope)
    return series_rows(dialect, "day", FactFilter(), col(Fact.kind), key).where(has_key, _ARTICLE_IDS)


def _region_select(dialect: str, scope: str):
    key, has_key = _series_key(scope)
    return series_rows(dialect, "day", FactFilter(), col(Fact.kind), key).where(
        has_key,
        col(Fact.kind).in_(sa.bindparam("kinds", expanding=True)),
        key.in_(sa.bindparam("keys", expanding=True)),
        col(Fact.date).in_(sa.bindparam("days", expanding=True)),
    )


def _regions(cells) -> list[tuple]:
    """The cells as (scope, kinds, keys, days) regions: one per scope, or one per scope and day when a single
    region would be much larger than the cells it covers (a large re-extraction)."""
    regions = []
    for scope in ("c", "p", "u"):
        mine = [c for c in cells if c[0] == scope]
        if not mine:
            continue
        kinds, keys, days = ({c[i] for c in mine} for i in (1, 2, 3))
        if len(kinds) * len(keys) * len(days) <= max(64, 4 * len(mine)):
            regions.append((scope, sorted(kinds), sorted(keys), sorted(days)))
            continue
        for day in sorted(days):
            of_day = [c for c in mine if c[3] == day]
            regions.append((scope, sorted({c[1] for c in of_day}), sorted({c[2] for c in of_day}), [day]))
    return regions


def _cell_row(scope: str, kind: str, key_value: str, day: dt.date, cell_rows: list) -> dict:
    (point,) = series_points(cell_rows, "day")
    return {
        "kind": kind,
        "scope": scope,
        "key": key_value,
        "day": day,
        "reports": point["reports"],
        "latest_fact_id": point["latest_fact_id"],
        "point": orjson.dumps(point).decode(),
    }


def refresh_groups(session: Session, groups) -> None:
    """Each toll group recomputed from its facts (replaced, or dropped when it has no report any more)."""
    if not groups:
        return
    conn = session.connection()
    groups = sorted(groups)
    resolved = sorted({g[4] for g in groups if g[3]})
    written = sorted({g[4] for g in groups if not g[3]})
    kinds = sorted({g[0] for g in groups})
    # index-friendly superset (the place, then the kind); every group it returns is complete
    where = [and_(col(Fact.place_name).in_(resolved), col(Fact.kind).in_(kinds))] if resolved else []
    if written:
        where.append(
            and_(
                col(Fact.place_name).is_(None),
                col(Fact.kind).in_(kinds),
                func.coalesce(func.lower(Fact.location), literal("")).in_(written),
            )
        )
    fresh = list(conn.execute(_toll_select(session.get_bind().dialect.name, or_(*where)))) if where else []
    stale = set(groups) | {tuple(r[:5]) for r in fresh}
    pk = (_TOLLS.c.kind, _TOLLS.c.unit, _TOLLS.c.country, _TOLLS.c.resolved, _TOLLS.c.place)
    stale_list = sorted(stale)
    for i in range(0, len(stale_list), 300):
        conn.execute(_TOLLS.delete().where(tuple_(*pk).in_(stale_list[i : i + 300])))
    if fresh:
        conn.execute(_TOLLS.insert(), [dict(zip(_TOLL_COLUMNS, r)) for r in fresh])


_TOLL_COLUMNS = (
    "kind",
    "unit",
    "country",
    "resolved",
    "place",
    "reports",
    "first_reported_at",
    "last_reported_at",
    "last_fact_id",
    "latest_recency",
    "highest",
    "highest_recency",
)


def _toll_select(dialect: str, where):
    """The toll groups of the reports matching `where`, aggregated as `toll_groups` holds them."""
    country = func.coalesce(col(Fact.country_code), literal("")).label("country")
    resolved = col(Fact.place_name).is_not(None).label("resolved")
    place = _toll_place().label("place")
    group = (col(Fact.kind), col(Fact.unit), country, resolved, place)
    inner = reports_only(
        sa.select(
            col(Fact.kind),
            col(Fact.unit),
            country,
            resolved,
            place,
            col(Fact.article_id),
            func.coalesce(Article.published_at, Article.fetched_at).label("at"),
            col(Fact.id),
            (_day_number(dialect) * _ID_SPAN + Fact.id).label("recency"),
            col(Fact.value),
            func.max(Fact.value).over(partition_by=group).label("group_highest"),
        )
        .join(Article, col(Article.id) == col(Fact.article_id))
        .where(col(Fact.date).is_not(None), where)
    ).subquery()
    c = inner.c
    return (
        sa.select(
            c.kind,
            c.unit,
            c.country,
            c.resolved,
            c.place,
            func.count(sa.distinct(c.article_id)),
            func.min(c.at),
            func.max(c.at),
            func.max(c.id),
            func.max(c.recency),
            func.max(c.value),
            func.max(case((c.value == c.group_highest, c.recency))),
        )
        .where(true())  # SQLite: an INSERT … SELECT with ON CONFLICT needs a WHERE to parse
        .group_by(c.kind, c.unit, c.country, c.resolved, c.place)
    )


def _upsert_tolls(dialect: str, select, add: bool):
    """INSERT the groups `select` computes; a group stored already gets them added (`add`) or replaced."""
    postgres = dialect == "postgresql"
    insert: Any = (pg_insert if postgres else sqlite_insert)(_TOLLS).from_select(list(_TOLL_COLUMNS), select)
    new, old = insert.excluded, _TOLLS.c
    bigger = func.greatest if postgres else func.max
    smaller = func.least if postgres else func.min
    insert = insert.on_conflict_do_update(
        index_elements=["kind", "unit", "country", "resolved", "place"],
        set_={
            "reports": old.reports + new.reports if add else new.reports,
            "first_reported_at": smaller(old.first_reported_at, new.first_reported_at),
            "last_reported_at": bigger(old.last_reported_at, new.last_reported_at),
            "last_fact_id": bigger(old.last_fact_id, new.last_fact_id),
            "latest_recency": bigger(old.latest_recency, new.latest_recency),
            "highest": bigger(old.highest, new.highest),
            "highest_recency": case(
                (new.highest > old.highest, new.highest_recency),
                (new.highest < old.highest, old.highest_recency),
                else_=bigger(old.highest_recency, new.highest_recency),
            ),
        },
    )
    return insert


# --- facts written through the ORM ------------------------------------------------------------------------

_PENDING = "tollwatch_rollups_pending"


def note_replaced(session: Session, article_ids) -> None:
    """These articles' facts are about to be deleted or replaced by a bulk statement: what they touch now is
    recomputed before the commit (with whatever the articles hold then)."""
    pending = session.info.setdefault(_PENDING, {"articles": set(), "touched": Touched()})
    pending["touched"] |= touched_by(session, article_ids)
    pending["articles"] |= set(article_ids)


def _before_flush(session: Session, _context, _instances) -> None:
    changed = [o for o in (*session.new, *session.deleted, *session.dirty) if isinstance(o, Fact)]
    if not changed:
        return
    pending = session.info.setdefault(_PENDING, {"articles": set(), "touched": Touched()})
    existing = [o.article_id for o in changed if o not in session.new and o.article_id is not None]
    if existing:  # deleted or changed facts: what they touched before the flush
        pending["touched"] |= touched_by(session, existing)
    pending["articles"] |= {o.article_id for o in changed if o.article_id is not None}


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit would flush them after this event: their facts are noted now
    if not session.info.get(_PENDING):
        return
    pending = session.info.pop(_PENDING)
    touched = pending["touched"]
    touched |= touched_by(session, pending["articles"])
    refresh(session, touched)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Listen to every session (idempotent): ORM writes of facts keep the rollups current."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _after_rollback)


# --- reading them ------------------------------------------------------------------------------------------------


def _only(flt: FactFilter, *allowed: str) -> bool:
    """No filter is set but the `allowed` ones."""
    fields = (
        "kind",
        "location",
        "country",
        "source",
        "subject",
        "since",
        "until",
        "min_value",
        "max_value",
        "q",
        "article_id",
        "unit",
        "stored_since",
    )
    return all(getattr(flt, f) in (None, []) or f in allowed for f in fields)


def _location(flt: FactFilter) -> str | None:
    return flt.location if flt.location and flt.location.strip() else None


def series_json(session: Session, flt: FactFilter, interval: str) -> list[bytes] | None:
    """The points of `fact_series(flt, interval)` as JSON texts read from `series_days`, or None when the
    rollup cannot answer (then the caller runs `fact_series`). Served: one kind, by day, and either a country
    or a location (not both), optionally since/until."""
    location = _location(flt)
    if (
        interval != "day"
        or not flt.kind
        or len(flt.kind) != 1
        or not _only(flt, "kind", "location", "country", "since", "until")
        or (location is None) == (flt.country is None)
    ):
        return None
    t = _SERIES.c
    days = [t.kind == flt.kind[0]]
    if flt.since:
        days.append(t.day >= flt.since)
    if flt.until:
        days.append(t.day <= flt.until)
    conn = session.connection()
    if location is None:
        query = sa.select(t.point).where(*days, t.scope == "c", t.key == (flt.country or "").upper())
        return [_bytes(p) for (p,) in conn.execute(query.order_by(t.day))]
    needles = _needles(location)
    # The places as written that contain the text, from `toll_groups` (a few thousand rows): every unresolved
    # place with a dated report has a toll group keyed by the same lower(location). Their days are then read by
    # primary key, as the resolved place's are.
    g = _TOLLS.c
    written_keys = sa.select(g.place).where(
        ~g.resolved, g.kind == flt.kind[0], or_(*(g.place.contains(n, autoescape=True) for n in needles))
    )
    written = sorted(set(conn.execute(written_keys).scalars()))
    # one SELECT per (scope, key), each a range of the primary key (kind, scope, key, day): SQLite reads every
    # day of the kind for a row-value IN ((scope, key), …) or an OR of IN lists (1 M facts: up to 140 ms)
    keys = [("p", n) for n in needles] + [("u", k) for k in written]
    per_key = sa.union_all(*(sa.select(t.day, t.point).where(*days, t.scope == sc, t.key == k) for sc, k in keys))
    by_day: dict[Any, list] = {}
    for day, point in conn.execute(per_key):
        by_day.setdefault(as_date(day), []).append(point)
    return [_bytes(ps[0]) if len(ps) == 1 else orjson.dumps(merge_points(ps)) for _day, ps in sorted(by_day.items())]


def _bytes(text) -> bytes:
    return text.encode() if isinstance(text, str) else bytes(text)


def merge_points(texts: list) -> dict:
    """One day's point from the points of several places (a location's resolved place and the places as
    written that contain it): the reports of each value added up, sources united — what the raw GROUP BY
    over all their facts gives."""
    points = [orjson.loads(t) for t in texts]
    latest = max(points, key=lambda p: p["latest_fact_id"])
    values: dict[Any, dict] = {}
    for point in points:
        for entry in point["values"]:
            kept = values.get(entry["value"])
            if kept is None:
                values[entry["value"]] = {**entry, "sources": list(entry["sources"])}
                continue
            kept["reports"] += entry["reports"]
            kept["last_fact_id"] = max(kept["last_fact_id"], entry["last_fact_id"])
            if not set(entry["sources"]).issubset(kept["sources"]):
                kept["sources"] = sorted(set(kept["sources"]) | set(entry["sources"]), key=_source_order)
    ordered = sorted(values.values(), key=lambda e: -e["value"])
    return {
        "period": latest["period"],
        "period_end": latest["period_end"],
        "latest": latest["latest"],
        "max": ordered[0]["value"],
        "reports": sum(p["reports"] for p in points),
        "agreeing": values[latest["latest"]]["reports"],
        "disagree": len(ordered) > 1,
        "latest_fact_id": latest["latest_fact_id"],
        "values": ordered,
    }


def toll_rows(session: Session, flt: FactFilter, limit: int, before_id: int | None) -> list | None:
    """`toll_groups` rows for `toll_page` (newest first, keyset on the last fact id), or None when the rollup
    cannot answer. Served: kind, country, location and unit filters."""
    if not _only(flt, "kind", "location", "country", "unit"):
        return None
    t = _TOLLS.c
    query = sa.select(_TOLLS)
    if flt.kind:
        query = query.where(t.kind.in_(flt.kind))
    if flt.country:
        query = query.where(t.country == flt.country.upper())
    if flt.unit:
        query = query.where(t.unit == flt.unit)
    location = _location(flt)
    if location is not None:
        needles = _needles(location)
        query = query.where(
            or_(
                and_(t.resolved, func.lower(t.place).in_(needles)),
                and_(~t.resolved, or_(*(t.place.contains(n, autoescape=True) for n in needles))),
            )
        )
    if before_id is not None:
        query = query.where(t.last_fact_id < before_id)
    return list(session.connection().execute(query.order_by(t.last_fact_id.desc()).limit(limit)))


# --- filling them from the facts (migration 0010) ----------------------------------------------------------


def backfill(session: Session) -> dict:
    """Both rollups computed from every stored fact (empty tables expected): per scope, kind and year for the
    series, one INSERT … SELECT for the tolls. Counts."""
    conn = session.connection()
    dialect = session.get_bind().dialect.name
    kinds = [k for (k,) in conn.execute(sa.select(col(Fact.kind)).distinct())]
    years = conn.execute(sa.select(func.min(Fact.date), func.max(Fact.date))).one()
    cells = 0
    if years[0] is not None:
        first, last = as_date(years[0]).year, as_date(years[1]).year
        for scope in ("c", "p", "u"):
            key, has_key = _series_key(scope)
            for kind in kinds:
                for year in range(first, last + 1):
                    flt = FactFilter(kind=[kind], since=dt.date(year, 1, 1), until=dt.date(year, 12, 31))
                    rows_of: dict[tuple, list] = {}
                    for key_value, period, *rest in conn.execute(series_rows(dialect, "day", flt, key).where(has_key)):
                        rows_of.setdefault((key_value, as_date(period)), []).append((period, *rest))
                    values = [_cell_row(scope, kind, k, day, cell_rows) for (k, day), cell_rows in rows_of.items()]
                    for i in range(0, len(values), 5000):
                        conn.execute(_SERIES.insert(), values[i : i + 5000])
                    cells += len(values)
    conn.execute(_TOLLS.insert().from_select(list(_TOLL_COLUMNS), _toll_select(dialect, true())))
    groups = conn.execute(sa.select(func.count()).select_from(_TOLLS)).scalar()
    return {"series_days": cells, "toll_groups": groups}
