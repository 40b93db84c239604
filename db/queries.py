"""Queries shared by the API, the alert evaluator and the dashboard."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, or_
from sqlmodel import select

from db.models import Fact


@dataclass
class FactFilter:
    kind: Optional[list[str]] = None
    location: Optional[str] = None
    country: Optional[str] = None
    source: Optional[str] = None
    subject: Optional[str] = None
    since: Optional[dt.date] = None
    until: Optional[dt.date] = None
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    q: Optional[str] = None
    article_id: Optional[int] = None

    def apply(self, query):
        if self.kind:
            query = query.where(Fact.kind.in_(self.kind))
        if self.location:
            needle = self.location.lower()
            query = query.where(or_(func.lower(Fact.place_name) == needle,
                                    func.lower(Fact.location).contains(needle, autoescape=True)))
        if self.country:
            query = query.where(Fact.country_code == self.country.upper())
        if self.source:
            query = query.where(func.lower(Fact.source).contains(self.source.lower(), autoescape=True))
        if self.subject:
            query = query.where(func.lower(Fact.subject).contains(self.subject.lower(), autoescape=True))
        if self.since:
            query = query.where(Fact.date >= self.since)
        if self.until:
            query = query.where(Fact.date <= self.until)
        if self.min_value is not None:
            query = query.where(Fact.value >= self.min_value)
        if self.max_value is not None:
            query = query.where(Fact.value <= self.max_value)
        if self.q:
            query = query.where(func.lower(Fact.sentence).contains(self.q.lower(), autoescape=True))
        if self.article_id is not None:
            query = query.where(Fact.article_id == self.article_id)
        return query


def fact_page(session, flt: FactFilter, limit: int, before_id: int | None = None) -> tuple[list[Fact], bool]:
    """Newest first, keyset-paginated on id: a page never shifts when new facts arrive."""
    query = flt.apply(select(Fact)).order_by(Fact.id.desc()).limit(limit + 1)
    if before_id is not None:
        query = query.where(Fact.id < before_id)
    rows = list(session.exec(query).all())
    return rows[:limit], len(rows) > limit
