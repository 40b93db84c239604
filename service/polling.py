"""Polling: claim due sources, fetch each feed, store new items and their facts, record health."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import feedparser
import httpx
from sqlalchemy import or_, update
from sqlmodel import Session, select

from db.engine import get_engine, is_postgres, session_scope
from db.models import PollLog, Source, utcnow
from service import alerts
from service.ingest import guid_key, store_article
from service.settings import get_settings

log = logging.getLogger("tollwatch.poll")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


class FetchError(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def fetch_feed(source: Source) -> tuple[int, bytes | None, dict[str, str]]:
    """(status, body, headers); body None on 304. Reads at most max_feed_bytes."""
    settings = get_settings()
    parts = urlsplit(source.url)
    if parts.scheme == "file":
        path = Path(url2pathname(parts.path))
        try:
            with path.open("rb") as fh:
                body = fh.read(settings.max_feed_bytes + 1)
        except OSError as exc:
            raise FetchError(f"cannot read {path}: {exc.strerror}") from None
        if len(body) > settings.max_feed_bytes:
            raise FetchError(f"feed larger than {settings.max_feed_bytes} bytes")
        return 200, body, {}
    headers = {"User-Agent": settings.user_agent, "Accept": "application/rss+xml, application/atom+xml, "
               "application/feed+json, application/xml;q=0.9, */*;q=0.5"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    deadline = time.monotonic() + settings.total_timeout
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=settings.max_redirects) as client:
            with client.stream("GET", source.url, headers=headers) as resp:
                if resp.status_code == 304:
                    return 304, None, dict(resp.headers)
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code}", resp.status_code)
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > settings.max_feed_bytes:
                        raise FetchError(f"feed larger than {settings.max_feed_bytes} bytes", resp.status_code)
                    if time.monotonic() > deadline:
                        raise FetchError(f"feed download exceeded {settings.total_timeout:.0f} s", resp.status_code)
                    chunks.append(chunk)
                return resp.status_code, b"".join(chunks), dict(resp.headers)
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {settings.max_redirects} redirects") from None
    except httpx.TimeoutException as exc:
        raise FetchError(f"timeout: {type(exc).__name__}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


def _entry_time(entry) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc)
    return None


def _entry_text(entry) -> str:
    from service.text import html_to_text
    for content in entry.get("content") or []:
        if content.get("value"):
            return html_to_text(content["value"])
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def poll_source(session: Session, source: Source) -> dict:
    """One poll of one source, committed. Returns a summary; never raises for feed problems."""
    started, t0 = utcnow(), time.perf_counter()
    logrow = PollLog(source_id=source.id, started_at=started, worker=WORKER_ID)
    new_articles = facts = 0
    try:
        status, body, headers = fetch_feed(source)
        logrow.http_status = status
        if status == 304:
            logrow.outcome = "not_modified"
        else:
            parsed = feedparser.parse(body, response_headers={k.lower(): v for k, v in headers.items()})
            if parsed.bozo and not parsed.entries:
                raise FetchError(f"not a feed: {parsed.get('bozo_exception')!s:.200}", status)
            outlet = parsed.feed.get("title") or source.name
            guids = [e.get("id") for e in parsed.entries]
            guids_repeat = len(set(guids)) < len(guids)
            for entry in parsed.entries:
                url, guid, title = entry.get("link"), entry.get("id"), entry.get("title")
                body = _entry_text(entry)
                # Headlines carry figures too ("7 killed in …"): the stored text starts with the title.
                text = f"{title}\n{body}" if title and not body.startswith(title) else body
                key = guid_key(guid if guid and not guids_repeat else None, url if (guids_repeat or not guid) else None)
                article, stored = store_article(
                    session, source, guid=guid, url=url, title=title, text=text,
                    text_origin="feed", published_at=_entry_time(entry), outlet=outlet, key=key)
                if article is not None:
                    new_articles += 1
                    facts += len(stored)
            logrow.items = len(parsed.entries)
            source.items_seen += len(parsed.entries)
            source.etag = headers.get("etag") or headers.get("ETag")
            source.last_modified = headers.get("last-modified") or headers.get("Last-Modified")
        source.status, source.consecutive_failures, source.last_success_at = "ok", 0, utcnow()
        if new_articles:
            source.last_article_at = utcnow()
        source.next_poll_at = utcnow() + dt.timedelta(seconds=source.poll_interval_seconds)
    except FetchError as exc:
        session.rollback()
        source = session.get(Source, source.id)
        logrow.outcome, logrow.error, logrow.http_status = "error", str(exc), exc.status
        source.consecutive_failures += 1
        source.last_error, source.last_error_at = str(exc), utcnow()
        settings = get_settings()
        if source.consecutive_failures >= settings.max_failures_before_disable:
            source.status, source.enabled = "disabled", False
        else:
            source.status = "failing"
        backoff = min(source.poll_interval_seconds * 2 ** (source.consecutive_failures - 1),
                      settings.backoff_ceiling_seconds)
        source.next_poll_at = utcnow() + dt.timedelta(seconds=backoff)
        new_articles = facts = 0
    elapsed = (time.perf_counter() - t0) * 1000
    source.last_polled_at, source.last_response_ms = started, elapsed
    source.lease_owner = source.lease_expires_at = None
    logrow.duration_ms, logrow.new_articles, logrow.facts = elapsed, new_articles, facts
    session.add(source)
    session.add(logrow)
    alerts.evaluate_source_health(session, source)
    session.commit()
    return {"source_id": source.id, "outcome": logrow.outcome, "items": logrow.items, "new_articles": new_articles,
            "facts": facts, "error": logrow.error, "duration_ms": round(elapsed, 1)}


def claim_due_sources(limit: int, source_id: int | None = None, force: bool = False,
                      exclude: set[int] = frozenset()) -> list[int]:
    """Lease due sources to this worker (SKIP LOCKED on PostgreSQL) so no source is polled twice at once."""
    engine = get_engine()
    now = utcnow()
    with session_scope(engine) as session:
        query = select(Source).where(or_(Source.lease_expires_at.is_(None), Source.lease_expires_at < now))
        if source_id is not None:
            query = query.where(Source.id == source_id)
        else:
            query = query.where(Source.enabled.is_(True))
        if not force:
            query = query.where(Source.next_poll_at <= now)
        if exclude:
            query = query.where(Source.id.not_in(exclude))
        query = query.order_by(Source.next_poll_at).limit(limit)
        if is_postgres(engine):
            query = query.with_for_update(skip_locked=True)
        sources = session.exec(query).all()
        ids = [s.id for s in sources]
        if ids:
            session.exec(update(Source).where(Source.id.in_(ids)).values(
                lease_owner=WORKER_ID, lease_expires_at=now + dt.timedelta(seconds=get_settings().lease_seconds)))
    return ids


def poll_claimed(source_ids: list[int]) -> list[dict]:
    results = []
    for sid in source_ids:
        with Session(get_engine(), expire_on_commit=False) as session:
            source = session.get(Source, sid)
            if source is not None:
                results.append(poll_source(session, source))
    return results


def run_cycle(source_id: int | None = None, force: bool = False) -> list[dict]:
    """Poll every due source (or every source / one source now, with `force`), each at most once.

    Used by `tollwatch poll`, the scheduler and workers."""
    results: list[dict] = []
    done: set[int] = set()
    while True:
        ids = [i for i in claim_due_sources(get_settings().poll_concurrency, source_id, force, exclude=done)]
        if not ids:
            return results
        done.update(ids)
        results += poll_claimed(ids)


def poll_source_now(source_id: int) -> dict | None:
    results = run_cycle(source_id, force=True)
    return results[0] if results else None
