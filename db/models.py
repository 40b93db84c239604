"""SQLModel tables. Timestamps are timezone-aware UTC (SQLModel's UTCDateTime), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, func
from sqlmodel import Field, SQLModel, col

from extractors.schema import FactBase


def utcnow() -> dt.datetime:
    """Now, timezone-aware UTC (what every timestamp column stores)."""
    return dt.datetime.now(dt.UTC)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str | None, limit: int | None = None) -> str | None:
    """Outside text (feeds, receivers) as the databases can store it: PostgreSQL refuses NUL, UTF-8 lone
    surrogates; cut to `limit` characters when given."""
    if value is not None and _UNSTORABLE.search(value):
        value = _UNSTORABLE.sub("", value)
    return value[:limit] if value is not None and limit is not None else value


class Source(SQLModel, table=True):
    __tablename__ = "sources"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    url: str = Field(max_length=2000, unique=True)
    poll_interval_seconds: int = Field(default=600)
    enabled: bool = Field(default=True)
    created_at: dt.datetime = Field(default_factory=utcnow)

    # health
    status: str = Field(default="new", max_length=16)  # new | ok | failing | disabled
    last_polled_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_error_at: dt.datetime | None = None
    consecutive_failures: int = 0
    last_response_ms: float | None = None
    last_http_status: int | None = None
    items_seen: int = 0
    last_article_at: dt.datetime | None = None

    # polite polling state
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=200)
    next_poll_at: dt.datetime = Field(default_factory=utcnow, index=True)
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: dt.datetime | None = None


class Article(SQLModel, table=True):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("source_id", "guid_key", name="uq_articles_source_guid"),
        Index("ix_articles_published_at", "published_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True)
    guid_key: str = Field(max_length=64, description="sha256 of the feed GUID (GUID+URL when GUIDs repeat)")
    guid: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=2000)
    canonical_url: str | None = Field(default=None, max_length=2000, unique=True)
    title: str | None = Field(default=None, sa_column=Column(Text))
    outlet: str | None = Field(default=None, max_length=200)
    published_at: dt.datetime | None = None
    fetched_at: dt.datetime = Field(default_factory=utcnow, index=True)
    text: str | None = Field(default=None, sa_column=Column(Text))
    text_origin: str = Field(default="feed", max_length=16)  # page | feed (text None once pruned by retention)
    # unique: a repost under another URL is a conflict the insert skips, even when two workers store it at once
    content_hash: str | None = Field(default=None, max_length=64, index=True, unique=True)
    extractor_version: str | None = Field(default=None, max_length=32)
    fact_count: int = 0


class Fact(FactBase, table=True):
    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_kind_date_id", "kind", "date", "id"),
        # covering /series by country: (kind, date range) read from the index alone (migration 0003)
        Index("ix_facts_country_series", "country_code", "kind", "date", "value", "source", "id"),
        Index("ix_facts_place_kind_date", "place_name", "kind", "date"),
        # an article's facts, and among them the ones of a kind and day: `reports_only` asks this of every fact
        # it reads (migration 0010; was on article_id alone, which SQLite passed over for (kind, date))
        Index("ix_facts_article_kind_date", "article_id", "kind", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id")
    extractor_version: str = Field(max_length=32)
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)


# API indexes (migration 0003). The location filter compares lower(place_name) (NULL = unresolved), so
# its indexes are on that expression: (…, kind, date, value, source, id) covers /series over a place,
# (…, kind, id) and (…, id) page a place newest first with and without a kind (NULL: the unresolved
# places whose text is searched); (country_code, kind, id) pages a country's facts of a kind newest first.
Index(
    "ix_facts_lplace_series",
    func.lower(Fact.place_name),
    col(Fact.kind),
    col(Fact.date),
    col(Fact.value),
    col(Fact.source),
    col(Fact.id),
)
Index("ix_facts_lplace_kind_id", func.lower(Fact.place_name), col(Fact.kind), col(Fact.id))
Index("ix_facts_lplace_id", func.lower(Fact.place_name), col(Fact.id))
Index("ix_facts_country_kind_id", col(Fact.country_code), col(Fact.kind), col(Fact.id))
# PostgreSQL only (migration 0005): the place as written, for the facts whose place was not resolved,
# by trigram, so `location=` finds a rare place's unresolved facts without reading all of them
# (cold: 380 ms -> 3 ms). SQLite scans them; there that stays ~15 ms at a million facts.
# Migration 0011 puts the kind in it too (btree_gin): a page of one kind reads that kind's rows only.
Index(
    "ix_facts_unresolved_kind_location_trgm",
    col(Fact.kind),
    func.lower(Fact.location),
    postgresql_using="gin",
    postgresql_ops={"lower_1": "gin_trgm_ops"},
    postgresql_where=func.lower(Fact.place_name).is_(None),
).ddl_if(dialect="postgresql")


class SeriesDay(SQLModel, table=True):
    """One day of `/series` for one kind and one place or country, precomputed (db/rollups.py).

    `scope` says what `key` is: `c` a country code, `p` a resolved place (lower(place_name)), `u` a place as
    written that the gazetteer did not resolve (lower(location)). `point` is the day's point exactly as
    `/series?interval=day` returns it (JSON), recomputed from the facts whenever a fact of that day, kind and
    place is stored or replaced, in the same transaction."""

    __tablename__ = "series_days"

    kind: str = Field(primary_key=True, max_length=32)
    scope: str = Field(primary_key=True, max_length=1)
    key: str = Field(primary_key=True, max_length=500)
    day: dt.date = Field(primary_key=True)
    reports: int
    latest_fact_id: int
    point: str = Field(sa_column=Column(Text, nullable=False))


class TollGroup(SQLModel, table=True):
    """The running totals behind one `/tolls` item: reports of one kind and unit at one place (db/rollups.py).

    `place` is the resolved place_name, or lower(location) when `resolved` is false; '' stands for none
    (and for no country). Recencies are day number * 2^31 + fact id, so their maximum names the fact."""

    __tablename__ = "toll_groups"

    kind: str = Field(primary_key=True, max_length=32)
    unit: str = Field(primary_key=True, max_length=32)
    country: str = Field(primary_key=True, max_length=8)
    resolved: bool = Field(primary_key=True)
    place: str = Field(primary_key=True, max_length=500)
    reports: int
    first_reported_at: dt.datetime | None = None
    last_reported_at: dt.datetime | None = None
    last_fact_id: int
    latest_recency: int = Field(sa_type=BigInteger)
    highest: float
    highest_recency: int = Field(sa_type=BigInteger)


# Migration 0011 (INCLUDE on PostgreSQL only): the unresolved facts of a kind newest first with the place as written, so
# the location filter's second half can walk the newest ids and test the text without reading the table.
Index(
    "ix_facts_unresolved_kind_id",
    col(Fact.kind),
    col(Fact.id),
    postgresql_include=["location"],
    postgresql_where=func.lower(Fact.place_name).is_(None),
    sqlite_where=func.lower(Fact.place_name).is_(None),
)


class PollLog(SQLModel, table=True):
    __tablename__ = "poll_logs"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True)
    started_at: dt.datetime = Field(default_factory=utcnow, index=True)
    duration_ms: float | None = None
    outcome: str = Field(default="ok", max_length=16)  # ok | not_modified | error | interrupted | service_error
    http_status: int | None = None
    items: int = 0
    new_articles: int = 0
    pages_fetched: int = 0  # new items whose article page gave the text
    pages_failed: int = 0  # new items that fell back to the feed's content/summary
    facts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    worker: str | None = Field(default=None, max_length=100)


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoints"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    enabled: bool = True
    secret: str = Field(max_length=200)
    disabled_reason: str | None = Field(default=None, max_length=500)
    failing_since: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)


class AlertRule(SQLModel, table=True):
    __tablename__ = "alert_rules"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    enabled: bool = True
    filter: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    condition: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    webhook_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cooldown_minutes: int = 60
    last_fired_at: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    # A rule whose evaluation raised is skipped until it is edited (or re-enabled): the error says why.
    errored_at: dt.datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class AlertEvent(SQLModel, table=True):
    """One firing of a rule; committed in the same transaction as the facts that caused it.

    `series_key` names what the rule watched (kind, unit, place — or a source); cooldowns and revisions are
    judged per series. The fact/source links are SET NULL on delete: the payload keeps the snapshot."""

    __tablename__ = "alert_events"
    __table_args__ = (
        UniqueConstraint("rule_id", "dedupe_key", name="uq_alert_events_rule_dedupe"),
        Index("ix_alert_events_rule_series", "rule_id", "series_key", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="alert_rules.id", index=True)
    fact_id: int | None = Field(default=None, foreign_key="facts.id", ondelete="SET NULL")
    source_id: int | None = Field(default=None, foreign_key="sources.id", ondelete="SET NULL")
    dedupe_key: str = Field(max_length=300)
    series_key: str | None = Field(default=None, max_length=300)
    value: float | None = None
    event_type: str = Field(default="alert.fired", max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)


class Delivery(SQLModel, table=True):
    """The transactional outbox: one row per (alert event, endpoint)."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, foreign_key="alert_events.id", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoints.id", index=True)
    message_id: str = Field(max_length=64, unique=True, description="webhook-id, stable across retries")
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16)  # pending | succeeded | failed
    attempts: int = 0
    next_attempt_at: dt.datetime | None = Field(default_factory=utcnow)
    last_attempt_at: dt.datetime | None = None
    response_code: int | None = None
    response_body: str | None = Field(default=None, sa_column=Column(Text))
    latency_ms: float | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, index=True)
    delivered_at: dt.datetime | None = None


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "delivery_attempts"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="deliveries.id", index=True)
    attempted_at: dt.datetime = Field(default_factory=utcnow)
    response_code: int | None = None
    latency_ms: float | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    response_body: str | None = Field(default=None, sa_column=Column(Text))


class SchedulerHeartbeat(SQLModel, table=True):
    """One row per running scheduler (serve or worker): the dashboard's 'is it running'."""

    __tablename__ = "scheduler_heartbeats"

    worker: str = Field(primary_key=True, max_length=100)
    role: str = Field(max_length=16)
    started_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    last_cycle_at: dt.datetime | None = None
    last_cycle_ms: float | None = None
