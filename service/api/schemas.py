"""API shapes. Facts reuse the one fact schema (extractors.schema.FactBase)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from db.models import Article, Fact, Source


class FactOut(BaseModel):
    """A fact as DESIGN.md §1 defines it, plus its identity and article link."""
    id: int
    article_id: int
    kind: str
    value: float
    low: Optional[float]
    high: Optional[float]
    qualifier: str
    unit: str
    subject: Optional[str]
    location: Optional[str]
    place_name: Optional[str]
    country_code: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    date: Optional[dt.date]
    source: Optional[str]
    span: list[int] = Field(min_length=2, max_length=2)
    sentence: str
    extractor_version: str

    @classmethod
    def of(cls, fact: Fact) -> "FactOut":
        data = fact.as_contract()
        data.update(id=fact.id, article_id=fact.article_id, extractor_version=fact.extractor_version)
        return cls.model_validate(data)


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "example": {"url": "https://feeds.example.org/world.rss", "name": "Example World", "poll_interval_seconds": 600}})
    url: str = Field(min_length=1, max_length=2000, description="RSS/Atom/JSON Feed URL (http, https or file)")
    name: Optional[str] = Field(None, max_length=200)
    poll_interval_seconds: int = Field(600, ge=60, le=7 * 86400)
    enabled: bool = True


class SourcePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Optional[str] = Field(None, max_length=200)
    poll_interval_seconds: Optional[int] = Field(None, ge=60, le=7 * 86400)
    enabled: Optional[bool] = None


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    url: str
    poll_interval_seconds: int
    enabled: bool
    status: str
    created_at: dt.datetime
    last_polled_at: Optional[dt.datetime]
    last_success_at: Optional[dt.datetime]
    last_error: Optional[str]
    last_error_at: Optional[dt.datetime]
    consecutive_failures: int
    last_response_ms: Optional[float]
    items_seen: int
    next_poll_at: Optional[dt.datetime]
    articles_24h: int = 0
    facts_24h: int = 0


class ArticleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    source_id: int
    url: Optional[str]
    canonical_url: Optional[str]
    title: Optional[str]
    outlet: Optional[str]
    published_at: Optional[dt.datetime]
    fetched_at: dt.datetime
    text_origin: str
    extractor_version: Optional[str]
    fact_count: int


class ArticleDetail(ArticleOut):
    text: Optional[str]
    facts: list[FactOut] = []


def source_out(source: Source, articles_24h: int = 0, facts_24h: int = 0) -> SourceOut:
    out = SourceOut.model_validate(source)
    out.articles_24h, out.facts_24h = articles_24h, facts_24h
    return out


def article_detail(article: Article, facts: list[Fact]) -> ArticleDetail:
    detail = ArticleDetail.model_validate(article, from_attributes=True)
    detail.facts = [FactOut.of(f) for f in facts]
    return detail
