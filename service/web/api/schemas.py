"""API shapes. Facts reuse the one fact schema (extractors.schema.FactBase)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from db.models import Article, Fact, Source
from extractors.schema import KINDS, QUALIFIERS
from service.web.api.common import RequestBody


def whole_as_int(value: float | None) -> float | int | None:
    """64.0 -> 64: JSON says a whole number as the CSV export does."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# A number stored as a float, written without ".0" when whole (schema: number). The serializer's return type is
# Any: a float one would turn the int back into 64.0.
Number = Annotated[
    float, PlainSerializer(whole_as_int, return_type=Any, when_used="json"), WithJsonSchema({"type": "number"})
]


FACT_EXAMPLE = {
    "id": 4711,
    "article_id": 812,
    "kind": "killed",
    "value": 45,
    "low": 45,
    "high": None,
    "qualifier": "at_least",
    "scope": "total",
    "unit": "people",
    "subject": "civilians",
    "location": "eastern Aleppo",
    "place_name": "Aleppo",
    "admin1": "Aleppo",
    "country_code": "SY",
    "latitude": 36.20124,
    "longitude": 37.16117,
    "date": "2016-11-08",
    "source": "Syrian Observatory for Human Rights",
    "span": [31, 42],
    "sentence": "Air strikes killed at least 45 civilians in eastern Aleppo on Tuesday, the Syrian Observatory "
    "for Human Rights said.",
    "extractor_version": "1.0.0",
    "created_at": "2016-11-08T10:04:13Z",
}


class FactOut(BaseModel):
    """A fact as docs/facts.md defines it, plus its identity and article link."""

    model_config = ConfigDict(json_schema_extra={"example": FACT_EXAMPLE})

    id: int = Field(description="Fact id (stable; also the pagination key)", examples=[4711])
    article_id: int = Field(
        description="The article the fact was extracted from (`GET /articles/{id}`)", examples=[812]
    )
    kind: str = Field(description="One of " + ", ".join(KINDS), examples=["killed"])
    value: Number = Field(
        description='The number as stated, normalised ("275,000" -> 275000); a vague amount\'s '
        'low end ("hundreds" -> 200)',
        examples=[45],
    )
    low: Number | None = Field(description="Lower end of the interval the phrase implies; null = open", examples=[45])
    high: Number | None = Field(
        description="Upper end of the interval the phrase implies; null = open", examples=[None]
    )
    qualifier: str = Field(description="One of " + ", ".join(QUALIFIERS), examples=["at_least"])
    scope: str = Field(
        description="`total`: the whole count reported for the event; `part`: a group inside a "
        'larger figure of the same kind ("including 16 children"). Series, tolls and '
        "alert conditions count totals",
        examples=["total"],
    )
    unit: str = Field(
        description="`people` for counts of persons; for `statistic` the unit (USD, percent, km…)", examples=["people"]
    )
    subject: str | None = Field(description="Who or what is counted, as written", examples=["civilians"])
    location: str | None = Field(description="The place the figure is about, as written", examples=["eastern Aleppo"])
    place_name: str | None = Field(description="The resolved place (gazetteer name)", examples=["Aleppo"])
    admin1: str | None = Field(
        default=None, description="First-level region of the resolved place", examples=["Aleppo"]
    )
    country_code: str | None = Field(description="ISO 3166-1 alpha-2 code of the resolved place", examples=["SY"])
    latitude: float | None = Field(description="Latitude of the resolved place", examples=[36.20124])
    longitude: float | None = Field(description="Longitude of the resolved place", examples=[37.16117])
    date: dt.date | None = Field(description="The day the figure refers to (YYYY-MM-DD)", examples=["2016-11-08"])
    source: str | None = Field(
        description="Who the figure is attributed to, as written; null = the reporter's own",
        examples=["Syrian Observatory for Human Rights"],
    )
    span: list[int] = Field(
        min_length=2,
        max_length=2,
        description="[start, end) character offsets of the number phrase in the article text",
        examples=[[31, 42]],
    )
    sentence: str = Field(description="The sentence the fact came from", examples=[FACT_EXAMPLE["sentence"]])
    extractor_version: str = Field(description="Version of the extractor that produced the fact", examples=["1.0.0"])
    created_at: dt.datetime = Field(
        description="When tollwatch stored the fact (UTC); ids grow with it, so "
        "`since_id` is the watermark of an incremental pull",
        examples=["2016-11-08T10:04:13Z"],
    )

    @classmethod
    def of(cls, fact: Fact) -> FactOut:
        data = fact.as_contract()
        data.update(
            id=fact.id, article_id=fact.article_id, extractor_version=fact.extractor_version, created_at=fact.created_at
        )
        return cls.model_validate(data)


class ArticleRef(BaseModel):
    """The article a fact was found in."""

    model_config = ConfigDict(from_attributes=True)
    id: int = Field(description="Article id (`GET /articles/{id}`)", examples=[812])
    url: str | None = Field(
        description="The article URL as the feed gave it", examples=["https://news.example.org/a/1"]
    )
    canonical_url: str | None = Field(
        description="The URL without tracking parameters", examples=["https://news.example.org/a/1"]
    )
    title: str | None = Field(description="Headline", examples=["Air strikes pound eastern Aleppo"])
    outlet: str | None = Field(description="The publication", examples=["Example News"])
    published_at: dt.datetime | None = Field(description="Publication time (UTC)", examples=["2016-11-08T10:00:00Z"])
    fetched_at: dt.datetime = Field(
        description="When tollwatch stored the article (UTC)", examples=["2016-11-08T10:04:12Z"]
    )


class FeedRef(BaseModel):
    """The news source (feed) that brought the article."""

    model_config = ConfigDict(from_attributes=True)
    id: int = Field(description="Source id (`GET /sources/{id}`)", examples=[3])
    name: str = Field(description="Source name", examples=["Example World"])
    url: str = Field(description="Feed URL", examples=["https://feeds.example.org/world.rss"])


class FactDetail(FactOut):
    """A fact with its whole provenance chain: sentence and span (above), article, feed, extractor version."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                **FACT_EXAMPLE,
                "article": {
                    "id": 812,
                    "url": "https://news.example.org/a/1?utm_source=rss",
                    "canonical_url": "https://news.example.org/a/1",
                    "title": "Air strikes pound eastern Aleppo",
                    "outlet": "Example News",
                    "published_at": "2016-11-08T10:00:00Z",
                    "fetched_at": "2016-11-08T10:04:12Z",
                },
                "feed": {"id": 3, "name": "Example World", "url": "https://feeds.example.org/world.rss"},
            }
        }
    )
    article: ArticleRef = Field(description="The article the fact was found in")
    feed: FeedRef = Field(description="The news source (feed) that brought the article")


class FactExportRow(FactOut):
    """One line of `format=ndjson` (and one row of `format=csv`, with `span` as `span_start`, `span_end`)."""

    article_url: str | None = Field(
        description="Canonical URL of the article (else its feed URL)", examples=["https://news.example.org/a/1"]
    )
    outlet: str | None = Field(description="The publication", examples=["Example News"])
    feed_id: int = Field(description="The source (feed) that brought the article", examples=[3])


class SeriesValue(BaseModel):
    """One distinct value reported within a period."""

    value: Number = Field(description="The reported value", examples=[52])
    reports: int = Field(description="How many facts state this value in the period", examples=[2])
    sources: list[str | None] = Field(
        description="Distinct attributions of this value, as written; null = "
        "stated by the reporter without attribution",
        examples=[["United Nations", None]],
    )
    last_fact_id: int = Field(
        description="The most recently stored fact with this value (`GET /facts/{id}`)", examples=[4790]
    )


class SeriesPoint(BaseModel):
    """One period with at least one report. Values are never added up."""

    period: dt.date = Field(description="First day of the period (weeks start on Monday)", examples=["2016-11-07"])
    period_end: dt.date = Field(description="Last day of the period", examples=["2016-11-13"])
    latest: float = Field(
        description="The value of the latest report: latest fact date, then most recently stored", examples=[52]
    )
    max: float = Field(description="The largest value reported in the period", examples=[52])
    reports: int = Field(description="Number of facts in the period", examples=[3])
    agreeing: int = Field(description="How many of them state the latest value", examples=[2])
    disagree: bool = Field(description="True when the reports state more than one value", examples=[True])
    latest_fact_id: int = Field(description="The fact behind `latest` (`GET /facts/{id}`)", examples=[4790])
    values: list[SeriesValue] = Field(
        description="Every distinct value, largest first, with its reports and "
        "sources (one entry when all reports agree)"
    )


class Series(BaseModel):
    """The time series of one kind of fact, with the filters it was computed for."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "kind": "killed",
                "interval": "week",
                "location": "Aleppo",
                "country": None,
                "since": "2016-11-01",
                "until": "2016-11-30",
                "unit": None,
                "points": [
                    {
                        "period": "2016-11-07",
                        "period_end": "2016-11-13",
                        "latest": 52,
                        "max": 52,
                        "reports": 3,
                        "agreeing": 2,
                        "disagree": True,
                        "latest_fact_id": 4790,
                        "values": [
                            {"value": 52, "reports": 2, "sources": ["United Nations", None], "last_fact_id": 4790},
                            {
                                "value": 45,
                                "reports": 1,
                                "sources": ["Syrian Observatory for Human Rights"],
                                "last_fact_id": 4711,
                            },
                        ],
                    }
                ],
            }
        }
    )
    kind: str = Field(description="The kind of fact", examples=["killed"])
    interval: str = Field(description="day, week or month", examples=["week"])
    location: str | None = Field(description="The location filter, as given", examples=["Aleppo"])
    country: str | None = Field(description="The country filter (ISO 3166-1 alpha-2)", examples=["SY"])
    since: dt.date | None = Field(description="First fact date included", examples=["2016-11-01"])
    until: dt.date | None = Field(description="Last fact date included", examples=["2016-11-30"])
    unit: str | None = Field(description="The unit filter, as given", examples=[None])
    points: list[SeriesPoint] = Field(
        description="One point per period that has reports, oldest first; periods "
        "without reports are left out (never reported as zero)"
    )


class SourceIn(RequestBody):
    """A news source (RSS, Atom or JSON Feed) to poll."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "url": "https://feeds.example.org/world.rss",
                "name": "Example World",
                "poll_interval_seconds": 600,
            }
        },
    )
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="RSS/Atom/JSON Feed URL (http, https or file)",
        examples=["https://feeds.example.org/world.rss"],
    )
    name: str | None = Field(
        None, max_length=200, description="Display name (default: the URL's host)", examples=["Example World"]
    )
    poll_interval_seconds: int = Field(600, ge=60, le=7 * 86400, description="Seconds between polls", examples=[600])
    enabled: bool = Field(True, description="Poll this source", examples=[True])


class SourcePatch(RequestBody):
    """Fields to change on a source; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"enabled": False}})
    name: str | None = Field(None, max_length=200, description="Display name", examples=["Example World"])
    poll_interval_seconds: int | None = Field(
        None, ge=60, le=7 * 86400, description="Seconds between polls", examples=[900]
    )
    enabled: bool | None = Field(None, description="Poll this source", examples=[False])


class SourceOut(BaseModel):
    """A news source and its health."""

    model_config = ConfigDict(from_attributes=True)
    id: int = Field(description="Source id", examples=[3])
    name: str = Field(description="Display name", examples=["Example World"])
    url: str = Field(description="Feed URL", examples=["https://feeds.example.org/world.rss"])
    poll_interval_seconds: int = Field(description="Seconds between polls", examples=[600])
    enabled: bool = Field(description="Whether the source is polled", examples=[True])
    status: str = Field(description="new, ok, failing or disabled", examples=["ok"])
    created_at: dt.datetime = Field(description="When the source was added (UTC)", examples=["2016-11-01T09:00:00Z"])
    last_polled_at: dt.datetime | None = Field(description="Last poll attempt (UTC)", examples=["2016-11-08T10:00:00Z"])
    last_success_at: dt.datetime | None = Field(
        description="Last successful poll (UTC)", examples=["2016-11-08T10:00:00Z"]
    )
    last_error: str | None = Field(description="The last poll error", examples=[None])
    last_error_at: dt.datetime | None = Field(description="When the last error happened (UTC)", examples=[None])
    consecutive_failures: int = Field(description="Failed polls in a row", examples=[0])
    last_response_ms: float | None = Field(description="Duration of the last poll in milliseconds", examples=[182.5])
    items_seen: int = Field(description="Feed items seen in total", examples=[1200])
    next_poll_at: dt.datetime | None = Field(
        description="When the source is polled next (UTC)", examples=["2016-11-08T10:10:00Z"]
    )
    articles_24h: int = Field(0, description="Articles stored in the last 24 hours", examples=[42])
    facts_24h: int = Field(0, description="Facts extracted from those articles", examples=[57])


class ArticleOut(BaseModel):
    """An ingested article (without its text)."""

    model_config = ConfigDict(from_attributes=True)
    id: int = Field(description="Article id", examples=[812])
    source_id: int = Field(description="The source (feed) that brought it", examples=[3])
    url: str | None = Field(
        description="The article URL as the feed gave it", examples=["https://news.example.org/a/1?utm_source=rss"]
    )
    canonical_url: str | None = Field(
        description="The URL without tracking parameters", examples=["https://news.example.org/a/1"]
    )
    title: str | None = Field(description="Headline", examples=["Air strikes pound eastern Aleppo"])
    outlet: str | None = Field(description="The publication", examples=["Example News"])
    published_at: dt.datetime | None = Field(description="Publication time (UTC)", examples=["2016-11-08T10:00:00Z"])
    fetched_at: dt.datetime = Field(description="When tollwatch stored it (UTC)", examples=["2016-11-08T10:04:12Z"])
    text_origin: str = Field(
        description="`page` (fetched article page) or `feed` (the feed's summary)", examples=["page"]
    )
    extractor_version: str | None = Field(description="Extractor version that produced its facts", examples=["1.0.0"])
    fact_count: int = Field(description="Number of facts extracted", examples=[2])


class ArticleDetail(ArticleOut):
    """An article with its text and its facts (in text order); fact spans are offsets into `text`."""

    text: str | None = Field(
        description="The article text the facts were extracted from",
        examples=["Air strikes killed at least 45 civilians in eastern Aleppo on Tuesday…"],
    )
    facts: list[FactOut] = Field([], description="The article's facts, in the order they appear in the text")


def source_out(source: Source, articles_24h: int = 0, facts_24h: int = 0) -> SourceOut:
    out = SourceOut.model_validate(source)
    out.articles_24h, out.facts_24h = articles_24h, facts_24h
    return out


def article_detail(article: Article, facts: list[Fact]) -> ArticleDetail:
    detail = ArticleDetail.model_validate(article, from_attributes=True)
    detail.facts = [FactOut.of(f) for f in facts]
    return detail
