"""What the dashboard shows: read-only queries over the tables, plain data out.

Nothing here renders HTML: the Jinja2 templates (autoescaped) turn these values into markup,
so every scraped string reaches the page escaped. Chart geometry is computed here as numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import BigInteger, cast, func, text
from sqlmodel import Session, select

from db.engine import is_postgres
from db.models import (
    AlertEvent,
    AlertRule,
    Article,
    Delivery,
    Fact,
    PollLog,
    SchedulerHeartbeat,
    Source,
    WebhookEndpoint,
    utcnow,
)
from db.queries import FactFilter, fact_page, fact_series, toll_page
from extractors.schema import KINDS

HEARTBEAT_RUNNING = dt.timedelta(minutes=3)  # a heartbeat this fresh: the scheduler is running
HEARTBEAT_LATE = dt.timedelta(minutes=15)  # fresher than this but not running: late (a long cycle?)
CHART_DAYS = 7
RECENT_FACTS = 5000  # the window for "places being reported" (filter list, chart choice)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Timestamps read back from SQLite can be naive; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def safe_href(url: str | None) -> str | None:
    """Only http(s) links become links: a `javascript:` URL from a feed stays text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


# --- the number inside its sentence -------------------------------------------------------------


def sentence_offset(text: str | None, sentence: str, span_start: int, span_end: int) -> int | None:
    """Where `sentence` starts in the article `text`: the occurrence that contains the span.

    Spans index the article text; the sentence is a substring of it (extractors.text keeps
    offsets), but the same sentence can occur twice (a headline repeated in the body)."""
    if not text or not sentence:
        return None
    i = text.find(sentence)
    while i != -1:
        if i <= span_start and span_end <= i + len(sentence):
            return i
        i = text.find(sentence, i + 1)
    return None


def highlight(
    sentence: str, span_start: int, span_end: int, text: str | None, value: float | None = None
) -> tuple[str, str, str] | None:
    """(before, number phrase, after) of the sentence, or None when the span cannot be placed.

    The span is relative to the article text, so it is shifted by where the sentence starts
    in that text. When the text changed, the phrase is highlighted only if it occurs exactly
    once in the sentence; when retention removed the text, only the one stretch of the span's
    length that states `value` -- never a guess between two equal numbers."""
    if not sentence or span_end <= span_start:
        return None
    start = sentence_offset(text, sentence, span_start, span_end)
    if start is not None:
        a, b = span_start - start, span_end - start
        return sentence[:a], sentence[a:b], sentence[b:]
    if text and 0 <= span_start < span_end <= len(text):
        phrase = text[span_start:span_end]
        if phrase.strip() and sentence.count(phrase) == 1:
            a = sentence.index(phrase)
            return sentence[:a], phrase, sentence[a + len(phrase) :]
        return None
    if text is None and value is not None:
        return _highlight_without_text(sentence, span_end - span_start, value)
    return None


_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()


def _value_forms(value: float) -> list[str]:
    forms = []
    if float(value).is_integer():
        n = int(value)
        forms += [f"{n:,}", str(n)]
        if 0 <= n < len(_WORDS):
            forms.append(_WORDS[n])
        for scale, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
            if n >= scale and n % (scale // 10) == 0:
                forms.append(f"{n / scale:g} {word}")
    else:
        forms.append(f"{value:g}")
    return forms


def _highlight_without_text(sentence: str, length: int, value: float) -> tuple[str, str, str] | None:
    """After retention dropped the article text: the one word-bounded stretch of the span's length
    that states the value. Two candidates (or none) -- no highlight rather than a wrong one."""
    if length <= 0 or length > len(sentence):
        return None
    forms = [f.lower() for f in _value_forms(value)]
    found = []
    for i in range(len(sentence) - length + 1):
        piece = sentence[i : i + length]
        if piece[0].isspace() or piece[-1].isspace() or piece[-1] in ",;:":
            continue
        if (i and sentence[i - 1].isalnum()) or (i + length < len(sentence) and sentence[i + length].isalnum()):
            continue
        low = piece.lower()
        if any(re.search(rf"(?<![\w.,]){re.escape(f)}(?![\w]|[.,]\d)", low) for f in forms):
            found.append(i)
    if len(found) != 1:
        return None
    i = found[0]
    return sentence[:i], sentence[i : i + length], sentence[i + length :]


# --- errors in words ----------------------------------------------------------------------------

_HTTP_WORDS = {
    400: "the site rejected the request",
    401: "the site wants a login",
    403: "the site refuses access",
    404: "the feed address was not found",
    410: "the feed has been removed",
    429: "the site is rate-limiting us",
    451: "the feed is blocked for legal reasons",
}


def error_in_words(error: str | None) -> str | None:
    """A poll error as a sentence a desk editor understands; the raw message stays available."""
    if not error:
        return None
    low = error.lower()
    m = re.match(r"http (\d{3})", low)
    if m:
        code = int(m.group(1))
        if code in _HTTP_WORDS:
            return f"{_HTTP_WORDS[code].capitalize()} (HTTP {code})"
        if code >= 500:
            return f"The site's server is failing (HTTP {code})"
        return f"The site answered with an error (HTTP {code})"
    rules = [
        (("timeout", "timed out", "exceeded"), "The site did not answer in time"),
        (
            (
                "name or service not known",
                "nodename nor servname",
                "getaddrinfo",
                "name resolution",
                "no address associated",
            ),
            "The site's name does not resolve (DNS)",
        ),
        (("certificate", "ssl", "tls"), "The site's TLS certificate was rejected"),
        (
            ("connection refused", "connecterror", "connection reset", "remoteprotocolerror", "network is unreachable"),
            "Could not connect to the site",
        ),
        (("redirects",), "The address redirects too many times"),
        (("not a feed",), "The address does not return a feed (RSS, Atom or JSON Feed)"),
        (("larger than",), "The feed is larger than the size limit"),
        (("cannot read", "no such file"), "The feed file cannot be read"),
        (("private", "loopback", "not allowed"), "The address is not allowed (private network)"),
    ]
    for needles, words in rules:
        if any(n in low for n in needles):
            return words
    first = error.strip().splitlines()[0] if error.strip() else error
    return first[:200]


# --- pipeline health ------------------------------------------------------------------------------


@dataclass
class Bars:
    """An hourly bar chart, as numbers: the template draws it."""

    label: str
    values: list[int]
    total: int
    peak: int
    scale_max: int
    ticks: list[tuple[int, str]]  # (bucket index, label) at each day boundary
    hours: list[str]  # each bucket's hour, for the bar's tooltip


@dataclass
class Health:
    now: dt.datetime
    scheduler: str  # running | late | stopped
    heartbeats: list[dict]
    last_cycle_at: dt.datetime | None
    last_cycle_ms: float | None
    last_poll: dict | None
    sources: dict[str, int]
    articles_7d: Bars
    facts_7d: Bars
    deliveries: dict[str, int]
    failing_endpoints: list[dict]
    db_size: int | None
    db_kind: str
    problems: list[str]
    totals: dict[str, int]

    @property
    def verdict(self) -> str:
        """One word for the whole pipeline: healthy, degraded or down."""
        if self.scheduler == "stopped" or (
            self.sources.get("total") and not self.sources.get("ok") and self.sources.get("failing")
        ):
            return "down"
        return "degraded" if self.problems else "healthy"


# Charts scale to at most this: a value stored before absurd numbers were refused (even infinity) still draws.
PLOT_MAX = 1e300


def _plottable(value: float) -> float:
    return 0.0 if math.isnan(value) else max(-PLOT_MAX, min(value, PLOT_MAX))


def nice_ceiling(value: float) -> int:
    """1, 2, 5 × 10^n at or above value (an axis maximum); total: NaN gives 1, anything above PLOT_MAX (infinity
    too) PLOT_MAX's."""
    if math.isnan(value) or value <= 1:
        return 1
    value = min(value, PLOT_MAX)
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exp >= value:
            return int(step * exp)
    return int(10 * exp)


def _hour_bucket(column, postgres: bool):
    """Hours since the epoch, computed in the database (timezone-free on both engines)."""
    if postgres:
        return cast(func.floor(func.extract("epoch", column) / 3600), BigInteger)
    return cast(func.strftime("%s", column), BigInteger) // 3600


def _hourly(session: Session, column, since: dt.datetime, postgres: bool) -> dict[int, int]:
    bucket = _hour_bucket(column, postgres).label("bucket")
    rows = session.exec(select(bucket, func.count()).where(column >= since).group_by(bucket)).all()
    return {int(b): int(n) for b, n in rows if b is not None}


def _bars(label: str, counts: dict[int, int], first_hour: int, hours: int) -> Bars:
    values = [counts.get(first_hour + i, 0) for i in range(hours)]
    ticks, names = [], []
    for i in range(hours):
        moment = dt.datetime.fromtimestamp((first_hour + i) * 3600, dt.UTC)
        names.append(moment.strftime("%a %d %b %H:00 UTC"))
        if moment.hour == 0:
            ticks.append((i, moment.strftime("%a %d")))
    peak = max(values) if values else 0
    return Bars(
        label=label, values=values, total=sum(values), peak=peak, scale_max=nice_ceiling(peak), ticks=ticks, hours=names
    )


def database_size(session: Session) -> int | None:
    """Bytes on disk: pg_database_size on PostgreSQL; pages (+ the WAL file) on SQLite."""
    bind = session.get_bind()
    try:
        if is_postgres(bind):
            return int(session.exec(select(func.pg_database_size(func.current_database()))).one())
        pages = session.connection().execute(text("PRAGMA page_count")).scalar() or 0
        page_size = session.connection().execute(text("PRAGMA page_size")).scalar() or 0
        size = int(pages) * int(page_size)
        path = bind.url.database
        if path and path != ":memory:":
            wal = Path(path + "-wal")
            if wal.exists():
                size += wal.stat().st_size
        return size
    except Exception:  # a dashboard reports what it can; the size is not worth a 500
        return None


def source_display_status(source: Source) -> str:
    """The status a source shows on the dashboard."""
    if not source.enabled or source.status == "disabled":
        return "disabled"
    return source.status if source.status in ("ok", "failing", "new") else "new"


def health(session: Session, now: dt.datetime | None = None) -> Health:
    """The health panel: scheduler, sources, polls, deliveries and storage, as of `now`."""
    now = now or utcnow()
    postgres = is_postgres(session.get_bind())

    beats = []
    newest_seen = last_cycle_at = None
    last_cycle_ms = None
    for hb in session.exec(select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.last_seen_at.desc())).all():
        seen, cycle = aware(hb.last_seen_at), aware(hb.last_cycle_at)
        beats.append(
            {
                "worker": hb.worker,
                "role": hb.role,
                "last_seen_at": seen,
                "started_at": aware(hb.started_at),
                "running": now - seen <= HEARTBEAT_RUNNING,
                "last_cycle_at": cycle,
                "last_cycle_ms": hb.last_cycle_ms,
            }
        )
        newest_seen = seen if newest_seen is None or seen > newest_seen else newest_seen
        if cycle is not None and (last_cycle_at is None or cycle > last_cycle_at):
            last_cycle_at, last_cycle_ms = cycle, hb.last_cycle_ms
    if newest_seen is not None and now - newest_seen <= HEARTBEAT_RUNNING:
        scheduler = "running"
    elif newest_seen is not None and now - newest_seen <= HEARTBEAT_LATE:
        scheduler = "late"
    else:
        scheduler = "stopped"

    last_poll = None
    row = session.exec(
        select(PollLog, Source.name)
        .join(Source, Source.id == PollLog.source_id)
        .order_by(PollLog.started_at.desc(), PollLog.id.desc())
        .limit(1)
    ).first()
    if row:
        log, name = row
        last_poll = {"at": aware(log.started_at), "ms": log.duration_ms, "outcome": log.outcome, "source": name}

    counts = {"ok": 0, "failing": 0, "disabled": 0, "new": 0}
    for source in session.exec(select(Source)).all():
        counts[source_display_status(source)] += 1
    counts["total"] = sum(counts.values())

    hours = CHART_DAYS * 24
    current_hour = int(now.timestamp()) // 3600
    first_hour = current_hour - hours + 1
    since = dt.datetime.fromtimestamp(first_hour * 3600, dt.UTC)
    articles = _bars("Articles per hour", _hourly(session, Article.fetched_at, since, postgres), first_hour, hours)
    facts = _bars("Facts per hour", _hourly(session, Fact.created_at, since, postgres), first_hour, hours)

    day_ago = now - dt.timedelta(hours=24)
    deliveries = {"succeeded": 0, "failed": 0, "pending": 0}
    for status, n in session.exec(
        select(Delivery.status, func.count()).where(Delivery.status == "pending").group_by(Delivery.status)
    ).all():
        deliveries[status] = int(n)
    for status, n in session.exec(
        select(Delivery.status, func.count())
        .where(Delivery.status.in_(("succeeded", "failed")), Delivery.created_at >= day_ago)
        .group_by(Delivery.status)
    ).all():
        deliveries[status] = int(n)

    failing_endpoints = []
    for ep in session.exec(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all():
        last_failed = session.exec(
            select(Delivery)
            .where(Delivery.endpoint_id == ep.id, Delivery.status == "failed")
            .order_by(Delivery.id.desc())
            .limit(1)
        ).first()
        last_any = session.exec(
            select(Delivery.status)
            .where(Delivery.endpoint_id == ep.id, Delivery.status != "pending")
            .order_by(Delivery.id.desc())
            .limit(1)
        ).first()
        if ep.failing_since is None and ep.enabled and last_any != "failed":
            continue
        failing_endpoints.append(
            {
                "id": ep.id,
                "url": ep.url,
                "description": ep.description,
                "enabled": ep.enabled,
                "failing_since": aware(ep.failing_since),
                "disabled_reason": ep.disabled_reason,
                "last_error": (
                    last_failed.error or (f"HTTP {last_failed.response_code}" if last_failed.response_code else None)
                )
                if last_failed
                else None,
            }
        )

    problems = []
    if scheduler != "running":
        problems.append("the scheduler is not running" if scheduler == "stopped" else "the scheduler is late")
    if counts["failing"]:
        problems.append(f"{counts['failing']} source{'s' if counts['failing'] != 1 else ''} failing")
    if failing_endpoints:
        n = len(failing_endpoints)
        problems.append(f"{n} webhook endpoint{'s' if n != 1 else ''} failing")
    if deliveries["failed"]:
        problems.append(
            f"{deliveries['failed']} webhook deliver{'ies' if deliveries['failed'] != 1 else 'y'} failed in 24 h"
        )
    if counts["total"] == 0:
        problems.append("no sources yet")

    totals = {
        "articles": int(session.exec(select(func.count()).select_from(Article)).one()),
        "facts": int(session.exec(select(func.count()).select_from(Fact)).one()),
    }

    return Health(
        now=now,
        scheduler=scheduler,
        heartbeats=beats,
        last_cycle_at=last_cycle_at,
        last_cycle_ms=last_cycle_ms,
        last_poll=last_poll,
        sources=counts,
        articles_7d=articles,
        facts_7d=facts,
        deliveries=deliveries,
        failing_endpoints=failing_endpoints,
        db_size=database_size(session),
        db_kind="PostgreSQL" if postgres else "SQLite",
        problems=problems,
        totals=totals,
    )


# --- sources ------------------------------------------------------------------------------------

_STATUS_ORDER = {"failing": 0, "disabled": 1, "new": 2, "ok": 3}


def sources_table(session: Session, now: dt.datetime | None = None) -> list[dict]:
    """One row per source with its health, the troubled ones first."""
    now = now or utcnow()
    day_ago = now - dt.timedelta(hours=24)
    articles = dict(
        session.exec(
            select(Article.source_id, func.count()).where(Article.fetched_at >= day_ago).group_by(Article.source_id)
        ).all()
    )
    facts = dict(
        session.exec(
            select(Article.source_id, func.count(Fact.id))
            .join(Fact, Fact.article_id == Article.id)
            .where(Fact.created_at >= day_ago)
            .group_by(Article.source_id)
        ).all()
    )
    rows = []
    for s in session.exec(select(Source)).all():
        status = source_display_status(s)
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "url": s.url,
                "href": safe_href(s.url),
                "status": status,
                "last_success_at": aware(s.last_success_at),
                "last_polled_at": aware(s.last_polled_at),
                "last_error": s.last_error if status in ("failing", "disabled") or s.consecutive_failures else None,
                "last_error_words": error_in_words(s.last_error)
                if status in ("failing", "disabled") or s.consecutive_failures
                else None,
                "last_error_at": aware(s.last_error_at),
                "consecutive_failures": s.consecutive_failures,
                "response_ms": s.last_response_ms,
                "articles_24h": int(articles.get(s.id, 0)),
                "facts_24h": int(facts.get(s.id, 0)),
                "next_poll_at": aware(s.next_poll_at),
            }
        )
    rows.sort(key=lambda r: (_STATUS_ORDER.get(r["status"], 9), -r["consecutive_failures"], (r["name"] or "").lower()))
    return rows


# --- latest facts -------------------------------------------------------------------------------


@dataclass
class Filters:
    kind: str | None = None
    place: str | None = None

    @classmethod
    def parse(cls, kind: str | None, place: str | None) -> Filters:
        """The dashboard's filters from the query string (unknown kinds and blank places ignored)."""
        kind = (kind or "").strip().lower() or None
        place = " ".join((place or "").split())[:200] or None
        return cls(kind=kind if kind in KINDS else None, place=place)

    def fact_filter(self) -> FactFilter:
        """The same filters as the API's FactFilter."""
        return FactFilter(kind=[self.kind] if self.kind else None, location=self.place)


def latest_facts(session: Session, filters: Filters, limit: int = 24) -> list[dict]:
    """The newest facts matching the filters, with their article, for the facts panel."""
    facts, _ = fact_page(session, filters.fact_filter(), limit)
    ids = {f.article_id for f in facts}
    articles = {a.id: a for a in session.exec(select(Article).where(Article.id.in_(ids))).all()} if ids else {}
    sources = {}
    source_ids = {a.source_id for a in articles.values()}
    if source_ids:
        sources = dict(session.exec(select(Source.id, Source.name).where(Source.id.in_(source_ids))).all())
    out = []
    for f in facts:
        art = articles.get(f.article_id)
        parts = highlight(f.sentence, f.span_start, f.span_end, art.text if art else None, f.value)
        out.append(
            {
                "id": f.id,
                "kind": f.kind,
                "value": f.value,
                "low": f.low,
                "high": f.high,
                "qualifier": f.qualifier,
                "scope": f.scope,
                "unit": f.unit,
                "subject": f.subject,
                "location": f.location,
                "place_name": f.place_name,
                "country_code": f.country_code,
                "date": f.date,
                "source": f.source,
                "sentence": f.sentence,
                "parts": parts,
                "phrase": phrase_of(f, parts),
                "created_at": aware(f.created_at),
                "article": {
                    "id": art.id,
                    "title": art.title,
                    "href": safe_href(art.url),
                    "url": art.url,
                    "outlet": art.outlet,
                    "feed": sources.get(art.source_id),
                    "published_at": aware(art.published_at),
                }
                if art
                else None,
            }
        )
    return out


# --- vague amounts and current tolls ------------------------------------------------------------


def phrase_of(fact: Fact, parts: tuple[str, str, str] | None) -> str | None:
    """How a vague amount was said ("dozens"), to show it as words rather than its low end as a number: the
    phrase its span highlights in the sentence; None when the span cannot be placed (then `vague_words`)."""
    if fact.qualifier != "vague":
        return None
    if parts and parts[1].strip():
        return parts[1].strip()
    return None


def vague_words(low: float | None, high: float | None) -> str:
    """A vague amount's interval in words, for a tooltip and when its phrase cannot be found."""

    def n(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"

    if low is not None and high is not None:
        return f"between {n(low)} and {n(high)}"
    if low is not None:
        return f"{n(low)} or more"
    if high is not None:
        return f"up to {n(high)}"
    return "an unstated number"


def _fact_view(fact: Fact, article: Article | None, reported_at: dt.datetime | None = None) -> dict:
    parts = highlight(fact.sentence, fact.span_start, fact.span_end, article.text if article else None, fact.value)
    return {
        "id": fact.id,
        "value": fact.value,
        "low": fact.low,
        "high": fact.high,
        "qualifier": fact.qualifier,
        "unit": fact.unit,
        "subject": fact.subject,
        "source": fact.source,
        "date": fact.date,
        "sentence": fact.sentence,
        "phrase": phrase_of(fact, parts),
        "reported_at": aware(reported_at),
        "article": {"id": article.id, "title": article.title, "href": safe_href(article.url), "outlet": article.outlet}
        if article
        else None,
    }


TOLLS_WINDOW = dt.timedelta(days=30)


def tolls_table(session: Session, filters: Filters, limit: int = 15, now: dt.datetime | None = None) -> list[dict]:
    """The current tolls (db.queries.toll_page) for the filter, newest first, each with its breakdown.

    Counted over the facts stored in the last TOLLS_WINDOW: what is being reported now, and a query that
    stays quick on a large database (the page refreshes every 30 s; /api/v1/tolls has no such window)."""
    flt = filters.fact_filter()
    flt.stored_since = (now or utcnow()) - TOLLS_WINDOW
    tolls, _ = toll_page(session, flt, limit)
    ids = {t.latest.fact.article_id for t in tolls} | {t.highest.fact.article_id for t in tolls}
    articles = {a.id: a for a in session.exec(select(Article).where(Article.id.in_(ids))).all()} if ids else {}
    rows = []
    for t in tolls:
        latest, highest = t.latest.fact, t.highest.fact
        rows.append(
            {
                "kind": t.kind,
                "unit": t.unit,
                "place": t.place_name or t.location,
                "place_name": t.place_name,
                "location": t.location,
                "country_code": t.country_code,
                "reports": t.reports,
                "latest": _fact_view(latest, articles.get(latest.article_id), t.latest.reported_at),
                "highest": _fact_view(highest, articles.get(highest.article_id), t.highest.reported_at),
                "revised_down": latest.value < highest.value,
                "first_reported_at": aware(t.first_reported_at),
                "last_reported_at": aware(t.last_reported_at),
                "breakdown": [_fact_view(p, articles.get(p.article_id)) for p in t.breakdown],
            }
        )
    return rows


def filter_options(session: Session, limit: int = 40) -> dict[str, Any]:
    """Kinds present in the data and the most reported places, for the filter form."""
    kinds = {k for k in KINDS if session.exec(select(Fact.id).where(Fact.kind == k).limit(1)).first() is not None}
    recent = (
        select(func.coalesce(Fact.place_name, Fact.location).label("place"))
        .order_by(Fact.id.desc())
        .limit(RECENT_FACTS)
        .subquery()
    )
    places = [
        p
        for p, _ in session.exec(
            select(recent.c.place, func.count())
            .where(recent.c.place.is_not(None))
            .group_by(recent.c.place)
            .order_by(func.count().desc(), recent.c.place)
            .limit(limit)
        ).all()
    ]
    return {"kinds": [k for k in KINDS if k in kinds], "all_kinds": list(KINDS), "places": places}


# --- the time series ----------------------------------------------------------------------------
# The same aggregate as /api/v1/series (db.queries.fact_series): one point per day with the latest
# and the highest reported value, how many reports agree, and every distinct value with its sources,
# so the chart can show where reports disagree.

SERIES_MAX_DAYS = 90


@dataclass
class SeriesDay:
    date: dt.date
    values: list[dict]  # {"value", "reports", "sources"}, highest first
    latest: float
    max: float
    min: float
    reports: int
    agree: int

    @property
    def disagree(self) -> bool:
        """Whether sources reported different values that day."""
        return len(self.values) > 1


@dataclass
class Series:
    kind: str
    place: str | None
    chosen: bool  # False: kind/place picked automatically
    days: list[SeriesDay] = field(default_factory=list)
    chart: dict | None = None

    @property
    def disagreements(self) -> int:
        """How many days sources disagreed."""
        return sum(1 for d in self.days if d.disagree)


def default_series_choice(session: Session, filters: Filters) -> tuple[str, str | None]:
    """The kind and place to chart when the filter names none: `killed` (or the most reported kind
    of people), at the place with the most reports of it (the resolved name, else as written)."""
    kind = filters.kind
    if kind is None and session.exec(select(Fact.id).where(Fact.kind == "killed").limit(1)).first() is not None:
        kind = "killed"
    if kind is None:
        recent = select(Fact.kind.label("kind")).order_by(Fact.id.desc()).limit(RECENT_FACTS).subquery()
        counts = dict(session.exec(select(recent.c.kind, func.count()).group_by(recent.c.kind)).all())
        people = [k for k in KINDS if k not in ("statistic", "population") and counts.get(k)]
        kind = max(people, key=lambda k: counts[k]) if people else "killed"
    if filters.place:
        return kind, filters.place
    # what the desk is following now: the place most reported among the latest reports of the kind
    recent = (
        select(func.coalesce(Fact.place_name, Fact.location).label("place"), Fact.id.label("id"))
        .where(Fact.kind == kind)
        .order_by(Fact.id.desc())
        .limit(RECENT_FACTS)
        .subquery()
    )
    top = session.exec(
        select(recent.c.place, func.count())
        .where(recent.c.place.is_not(None))
        .group_by(recent.c.place)
        .order_by(func.count().desc(), func.max(recent.c.id).desc())
        .limit(1)
    ).first()
    return kind, (top[0] if top else None)


def series(session: Session, filters: Filters) -> Series:
    """The chart: one kind (and place) per day with the latest and highest reported values."""
    kind, place = default_series_choice(session, filters)
    result = Series(kind=kind, place=place, chosen=bool(filters.kind and filters.place))
    points = fact_series(session, FactFilter(kind=[kind], location=place), "day")[-SERIES_MAX_DAYS:]
    for p in points:
        values = [{"value": v["value"], "reports": v["reports"], "sources": v["sources"]} for v in p["values"]]
        result.days.append(
            SeriesDay(
                date=p["period"],
                values=values,
                latest=p["latest"],
                max=p["max"],
                min=min(v["value"] for v in values),
                reports=p["reports"],
                agree=p["agreeing"],
            )
        )
    result.chart = series_chart(result.days)
    return result


def series_chart(days: list[SeriesDay], width: int = 640, height: int = 240) -> dict | None:
    """Geometry for the SVG: a dot per distinct reported value (bigger when more reports state it),
    a line through each day's latest value, and a min-max band on the days where reports disagree."""
    if not days:
        return None
    left, right, top, bottom = 56, 16, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = days[0].date, days[-1].date
    span_days = max((last - first).days, 1)
    highest = _plottable(max(d.max for d in days)) * 1.05
    step = nice_ceiling(highest / 4)
    y_max = step * max(1, math.ceil(highest / step))

    def x(day: dt.date) -> float:
        if first == last:
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * (day - first).days / span_days, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - _plottable(value) / y_max), 1)

    line = " ".join(f"{x(d.date)},{y(d.latest)}" for d in days)
    dots, ranges = [], []
    for d in days:
        if d.disagree:
            ranges.append(
                {
                    "x": x(d.date),
                    "y1": y(d.max),
                    "y2": y(d.min),
                    "date": d.date,
                    "min": d.min,
                    "max": d.max,
                    "count": d.reports,
                }
            )
        for v in d.values:
            dots.append(
                {
                    "x": x(d.date),
                    "y": y(v["value"]),
                    "r": 4 + min(v["reports"] - 1, 4),
                    "value": v["value"],
                    "date": d.date,
                    "reports": v["reports"],
                    "sources": v["sources"],
                    "latest": v["value"] == d.latest,
                    "disagree": d.disagree,
                }
            )
    grid = [{"y": y(v), "value": v} for v in range(0, y_max + 1, step)]
    every = max(1, math.ceil(len(days) / 7))
    shown = days[::every]
    if shown[-1] is not days[-1]:
        shown = (
            shown[:-1] + [days[-1]]
            if len(shown) > 1 and x(days[-1].date) - x(shown[-1].date) < 60
            else shown + [days[-1]]
        )
    xlabels = [{"x": x(d.date), "label": d.date.strftime("%d %b")} for d in shown]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "line": line,
        "dots": dots,
        "ranges": ranges,
        "grid": grid,
        "xlabels": xlabels,
        "y_max": y_max,
    }


# --- alerts -------------------------------------------------------------------------------------


def condition_in_words(condition: dict | None) -> str:
    """An alert rule's condition as a short phrase."""
    c = condition or {}
    kind = c.get("type")
    if kind == "threshold":
        return f"value reaches {_num(c.get('value'))}"
    if kind == "increase":
        by = f"{_num(c['by_percent'])} %" if c.get("by_percent") is not None else _num(c.get("by"))
        window = f" within {_hours(c['window_hours'])} h" if c.get("window_hours") else ""
        return f"rises by {by}{window}"
    if kind == "new":
        return "any new matching fact"
    if kind == "source_failing":
        parts = []
        if c.get("failures"):
            parts.append(f"{c['failures']} failed polls in a row")
        if c.get("silent_hours"):
            parts.append(f"no new article for {_hours(c['silent_hours'])} h")
        return "source failing: " + (" or ".join(parts) if parts else "any failure")
    return str(kind or "—")


def filter_in_words(flt: dict | None) -> str:
    """An alert rule's fact filter as a short phrase."""
    f = {k: v for k, v in (flt or {}).items() if v not in (None, "", [])}
    if not f:
        return "every fact"
    labels = {
        "kind": "",
        "location": "in ",
        "country": "country ",
        "subject": "subject ",
        "source": "from ",
        "min_value": "≥ ",
    }
    out = []
    for key, value in f.items():
        value = ", ".join(map(str, value)) if isinstance(value, list) else value
        out.append(f"{labels.get(key, key + ' ')}{_num(value) if key == 'min_value' else value}")
    return " · ".join(out)


def _hours(value: Any) -> str:
    """72.0 -> "72", 1.5 -> "1.5" (rules store hours as numbers, often floats)."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def _num(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return str(value)


def alerts_table(session: Session, now: dt.datetime | None = None) -> list[dict]:
    """One row per alert rule with its last event and delivery health."""
    now = now or utcnow()
    week_ago = now - dt.timedelta(days=7)
    events = dict(
        session.exec(
            select(AlertEvent.rule_id, func.count())
            .where(AlertEvent.created_at >= week_ago)
            .group_by(AlertEvent.rule_id)
        ).all()
    )
    last_event = dict(
        session.exec(select(AlertEvent.rule_id, func.max(AlertEvent.created_at)).group_by(AlertEvent.rule_id)).all()
    )
    delivery_counts: dict[int, dict[str, int]] = defaultdict(lambda: {"succeeded": 0, "failed": 0, "pending": 0})
    for rule_id, status, n in session.exec(
        select(AlertEvent.rule_id, Delivery.status, func.count())
        .join(Delivery, Delivery.event_id == AlertEvent.id)
        .group_by(AlertEvent.rule_id, Delivery.status)
    ).all():
        delivery_counts[rule_id][status] = int(n)
    rows = []
    for rule in session.exec(select(AlertRule).order_by(AlertRule.id)).all():
        last_error = session.exec(
            select(Delivery.error, Delivery.response_code)
            .join(AlertEvent, AlertEvent.id == Delivery.event_id)
            .where(AlertEvent.rule_id == rule.id, Delivery.status == "failed")
            .order_by(Delivery.id.desc())
            .limit(1)
        ).first()
        fired = aware(rule.last_fired_at) or aware(last_event.get(rule.id))
        counts = dict(delivery_counts[rule.id])
        rows.append(
            {
                "id": rule.id,
                "name": rule.name,
                "enabled": rule.enabled,
                "condition": condition_in_words(rule.condition),
                "filter": filter_in_words(rule.filter),
                "endpoints": len(rule.webhook_ids or []),
                "last_fired_at": fired,
                "events_7d": int(events.get(rule.id, 0)),
                "deliveries": counts,
                "delivery_health": "failing"
                if counts["failed"] and not counts["succeeded"]
                else (
                    "some failed"
                    if counts["failed"]
                    else ("ok" if counts["succeeded"] else ("pending" if counts["pending"] else "none yet"))
                ),
                "last_error": (last_error[0] or (f"HTTP {last_error[1]}" if last_error[1] else None))
                if last_error
                else None,
            }
        )
    return rows
