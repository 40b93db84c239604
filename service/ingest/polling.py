"""Polling: claim due sources, fetch each feed, store new items with their page text and facts, record health.

One cycle (`run_cycle`, used by the scheduler, `tollwatch poll` and workers) leases due sources
(`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional UPDATE everywhere) and polls them on
a thread pool of `poll_concurrency`. Each source's new items are prepared on a small pool of
`page_concurrency` threads — the page fetched (at most `per_host_concurrency` requests per host at
once), then main text and facts in one go in the process's CPU lane (`service.core.runtime`) — while the
source's poll thread stores what is ready in batches (`service.ingest.store.store_articles`: one
transaction per batch, committed once `store_batch_size` are ready or the oldest has waited
`store_batch_wait_seconds`). A scheduled cycle leases one source at a time and none while
`max_pending_articles` found items wait to be stored (a source leased and not read yet counts as
that many), so a busy worker leaves due sources to others. Network work happens outside database
transactions; a batch commits whole or not at all, so a worker killed mid-source leaves whole
articles or nothing, and the next poll (by any worker, once the lease expires) stores the rest —
the unique constraints make a second store a no-op.

Politeness: conditional GET (ETag / Last-Modified), Retry-After on 429/503, `<ttl>` and
Cache-Control max-age stretch the next poll (up to `max_poll_interval_seconds`), failures back off
exponentially with jitter up to `backoff_ceiling_seconds`, and `max_failures_before_disable`
consecutive failures disable the source. A failed fetch is an error, never "no new items".
`STOPPING` (set on SIGTERM) stops claiming, stores what is ready, gives back the rest and releases
its leases.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import random
import re
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from sqlalchemy import or_, update
from sqlmodel import Session, select

from db.engine import is_postgres, session_scope
from db.models import PollLog, Source, utcnow
from service.alerting.rules import evaluate_source_health
from service.core import metrics
from service.core.database import get_engine
from service.core.runtime import WORKER_ID, cpu_lane, freeze_startup_heap
from service.core.settings import get_settings
from service.ingest.feeds import Entry, FeedError, parse_feed
from service.ingest.fetch import Fetched, FetchError, decode_html, fetch
from service.ingest.html_text import main_text
from service.ingest.store import Prepared, extract_facts, prepare_article, store_articles, unseen_entries

log = logging.getLogger("tollwatch.poll")
STOPPING = threading.Event()
_claims = itertools.count(1)

__all__ = [
    "FetchError",
    "run_cycle",
    "poll_source",
    "poll_source_now",
    "release_leases",
    "spread_due_sources",
    "STOPPING",
]


class _Backlog:
    """What this process has in hand: new articles found in feeds and not yet stored (or given up on),
    and sources leased whose feed has not been read yet (how many new articles they hold is unknown)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self._unread: dict[int, float] = {}

    def add(self, n: int) -> None:
        with self._lock:
            self.count += n

    def leased(self, source_id: int) -> None:
        with self._lock:
            self._unread[source_id] = time.monotonic()

    def read(self, source_id: int) -> None:
        with self._lock:
            self._unread.pop(source_id, None)

    def in_hand(self, unread_weight: int, grace_seconds: float = 2.0) -> int:
        """Articles in hand, a source leased under `grace_seconds` ago and not read yet counting as
        `unread_weight` (without it, a cycle leased a second source in the moment before the first one's
        items were counted, and finished late). A feed slower than that to read is network, not CPU work."""
        now = time.monotonic()
        with self._lock:
            return self.count + unread_weight * sum(1 for t in self._unread.values() if now - t < grace_seconds)


BACKLOG = _Backlog()


class Interrupted(Exception):
    """The process is stopping: give the source back instead of finishing it."""


# --- leases -------------------------------------------------------------------------------------


def claim(
    limit: int, source_id: int | None = None, force: bool = False, exclude: set[int] = frozenset()
) -> tuple[str, list[int]]:
    """Lease up to `limit` due sources to this worker; (lease token, ids).

    The UPDATE only takes rows whose lease is free or expired, so two processes (or threads) can
    never both hold one — on SQLite too, where there is no SKIP LOCKED."""
    engine = get_engine()
    now = utcnow()
    token = f"{WORKER_ID}#{next(_claims)}"
    free = or_(Source.lease_expires_at.is_(None), Source.lease_expires_at < now)
    with session_scope(engine) as session:
        query = select(Source.id).where(free)
        if source_id is not None:
            query = query.where(Source.id == source_id)
        else:
            query = query.where(Source.enabled.is_(True))
        if not force:
            query = query.where(Source.next_poll_at <= now)
        if exclude:
            query = query.where(Source.id.not_in(list(exclude)))
        query = query.order_by(Source.next_poll_at).limit(limit)
        if is_postgres(engine):
            query = query.with_for_update(skip_locked=True)
        ids = list(session.exec(query).all())
        if not ids:
            return token, []
        session.exec(
            update(Source)
            .where(Source.id.in_(ids), free)
            .values(lease_owner=token, lease_expires_at=now + dt.timedelta(seconds=get_settings().lease_seconds))
        )
        session.flush()
        got = list(session.exec(select(Source.id).where(Source.lease_owner == token)).all())
    return token, got


def renew_lease(source_id: int, token: str) -> bool:
    """Extend our lease on a source being polled; False if it is no longer ours."""
    with session_scope(get_engine()) as session:
        result = session.exec(
            update(Source)
            .where(Source.id == source_id, Source.lease_owner == token)
            .values(lease_expires_at=utcnow() + dt.timedelta(seconds=get_settings().lease_seconds))
        )
        return result.rowcount == 1


def release_leases(worker: str = WORKER_ID) -> int:
    """Give back every lease this process holds (graceful stop); the sources are due at once."""
    with session_scope(get_engine()) as session:
        result = session.exec(
            update(Source).where(Source.lease_owner.like(f"{worker}#%")).values(lease_owner=None, lease_expires_at=None)
        )
        return result.rowcount


def spread_due_sources(window_seconds: float | None = None) -> int:
    """Start-up jitter: overdue sources get a random due time within the window, not all at once."""
    window = get_settings().startup_jitter_seconds if window_seconds is None else window_seconds
    if window <= 0:
        return 0
    now = utcnow()
    with session_scope(get_engine()) as session:
        rows = session.exec(
            select(Source.id, Source.poll_interval_seconds).where(
                Source.enabled.is_(True), Source.next_poll_at <= now, Source.lease_owner.is_(None)
            )
        ).all()
        for sid, interval in rows:
            delay = random.uniform(0, min(window, max(interval, 1)))
            session.exec(update(Source).where(Source.id == sid).values(next_poll_at=now + dt.timedelta(seconds=delay)))
    return len(rows)


# --- timing of the next poll --------------------------------------------------------------------

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.I)


def _max_age(headers: dict[str, str]) -> int | None:
    m = _MAX_AGE.search(headers.get("cache-control", ""))
    return int(m.group(1)) if m else None


def next_delay_ok(source: Source, headers: dict[str, str], ttl_seconds: int | None) -> float:
    """After a success: the interval, stretched by <ttl> / max-age when the feed asks for more time."""
    cap = get_settings().max_poll_interval_seconds
    delay = float(source.poll_interval_seconds)
    for hint in (ttl_seconds, _max_age(headers)):
        if hint:
            delay = max(delay, min(float(hint), cap))
    return delay


def backoff_delay(source: Source, failures: int, retry_after: float | None) -> float:
    """Exponential backoff with jitter up to the ceiling; Retry-After wins when it asks for longer."""
    s = get_settings()
    base = min(float(source.poll_interval_seconds) * 2 ** max(failures - 1, 0), s.backoff_ceiling_seconds)
    delay = min(base * random.uniform(1.0, 1.25), s.backoff_ceiling_seconds)
    if retry_after:
        delay = max(delay, min(retry_after, s.max_poll_interval_seconds))
    return delay


# --- one source ---------------------------------------------------------------------------------


@dataclass
class _Item:
    entry: Entry
    key: str
    canon: str | None
    text: str = ""
    origin: str = "feed"
    page_error: str | None = None
    prepared: Prepared | None = None


def _page_allowed(source_url: str, page_url: str | None) -> bool:
    if not page_url or not get_settings().fetch_article_pages:
        return False
    src, page = urlsplit(source_url), urlsplit(page_url)
    if page.scheme in ("http", "https"):
        return src.scheme in ("http", "https")  # a file:// feed (offline, the demo) does not go online
    if page.scheme == "file" and src.scheme == "file":  # only pages next to the feed file
        base = Path(url2pathname(src.path)).resolve().parent
        return Path(url2pathname(page.path)).resolve().is_relative_to(base)
    return False


def _compose(title: str | None, body: str) -> str:
    """Headlines carry figures too ("7 killed in …"): the stored text starts with the title line."""
    body = (body or "").strip()
    if title and not body.startswith(title):
        return f"{title}\n{body}".strip()
    return body


def _take_text(item: _Item, fetched: Fetched | None) -> None:
    """The page's main text when it has one worth more than the feed's; else the feed's text."""
    entry = item.entry
    text = None
    if fetched is not None:
        try:
            text = main_text(decode_html(fetched.body or b"", fetched.headers.get("content-type")), fetched.url)
        except Exception as exc:  # noqa: BLE001 — a hostile page must not stop the feed
            log.exception("page %s failed", entry.url)
            item.page_error = f"{type(exc).__name__}: {exc}"[:300]
        else:
            if not text:
                item.page_error = "no main text found on the page"
            elif len(text) < len(entry.text) and len(text) < 1000:  # a paywall/consent stub: the feed says more
                item.page_error, text = "page text shorter than the feed's", None
    if text:
        item.text, item.origin = _compose(entry.title, text), "page"
    else:
        item.text, item.origin = _compose(entry.title, entry.text), "feed"


def _prepare(item: _Item, source_url: str, outlet: str) -> _Item:
    """All the work of one new item but the database write: its page (network), then — in the CPU lane,
    in one go — its main text and its facts. Runs on a page thread, so the poll thread only stores."""
    fetched = None
    if _page_allowed(source_url, item.entry.url):
        try:
            fetched = fetch(item.entry.url, kind="page")
        except FetchError as exc:
            item.page_error = str(exc)
        except Exception as exc:  # noqa: BLE001 — a hostile page must not stop the feed
            log.exception("page %s failed", item.entry.url)
            item.page_error = f"{type(exc).__name__}: {exc}"[:300]
    e = item.entry
    with cpu_lane():
        _take_text(item, fetched)
        item.prepared = prepare_article(
            guid=e.guid,
            url=e.url,
            title=e.title,
            text=item.text,
            text_origin=item.origin,
            published_at=e.published,
            outlet=outlet,
            key=item.key,
        )
    return item


def _fetch_and_store(
    session: Session, source: Source, items: list[_Item], outlet: str, token: str | None, logrow: PollLog
) -> None:
    """Prepare the items on a small pool and store them as they become ready, counting what was stored in
    `logrow` (also when the poll is interrupted or fails half-way: what was committed stays).

    Ready items are stored together, one transaction per batch — up to `store_batch_size` of them, or
    what is ready once the oldest has waited `store_batch_wait_seconds` — so a busy poller spends
    little on round trips and commits while no article waits long to be visible (and alerted on)."""
    if not items:
        return
    s = get_settings()
    renew_every = max(s.lease_seconds / 3, 1)
    last_renew = time.monotonic()
    ready: list[_Item] = []
    oldest = 0.0
    BACKLOG.read(source.id)
    BACKLOG.add(len(items))
    settled = 0  # items stored or found stored already; the rest leave the backlog when this returns
    pool = ThreadPoolExecutor(
        max_workers=max(1, min(s.page_concurrency, len(items))), thread_name_prefix=f"pages-{source.id}"
    )
    try:
        pending = {pool.submit(_prepare, item, source.url, outlet) for item in items}
        while pending or ready:
            if pending:
                timeout = 1.0 if not ready else max(0.0, oldest + s.store_batch_wait_seconds - time.monotonic())
                done, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
                if done and not ready:
                    oldest = time.monotonic()
                ready.extend(fut.result() for fut in done)
            stopping = STOPPING.is_set()
            if ready and (
                stopping
                or not pending
                or len(ready) >= s.store_batch_size
                or time.monotonic() - oldest >= s.store_batch_wait_seconds
            ):
                # what is ready is stored even when stopping: one short transaction, not work to redo
                stored = store_articles(session, source, [i.prepared for i in ready])
                session.commit()  # these articles (and their facts and alerts) visible at once
                BACKLOG.add(-len(ready))
                settled += len(ready)
                logrow.new_articles += len(stored)
                logrow.facts += sum(x.facts for x in stored)
                ready = []
            if stopping:
                raise Interrupted()
            if token and time.monotonic() - last_renew > renew_every:
                renew_lease(source.id, token)
                last_renew = time.monotonic()
    finally:
        BACKLOG.add(settled - len(items))  # interrupted or failed: no longer this process's work
        pool.shutdown(wait=not STOPPING.is_set(), cancel_futures=True)


def _new_items(session: Session, source: Source, entries: list[Entry]) -> list[_Item]:
    return [_Item(entry, key, canon) for entry, key, canon in unseen_entries(session, source.id, entries)]


def poll_source(session: Session, source: Source, token: str | None = None) -> dict:
    """One poll of one source, committed. Returns a summary; never raises for feed or page problems."""
    settings = get_settings()
    started, t0 = utcnow(), time.perf_counter()
    sid = source.id
    logrow = PollLog(source_id=sid, started_at=started, worker=WORKER_ID)
    retry_after: float | None = None
    failed: str | None = None
    try:
        fetched = fetch(source.url, kind="feed", etag=source.etag, last_modified=source.last_modified)
        logrow.http_status = fetched.status
        if fetched.status == 304:
            logrow.outcome = "not_modified"
            delay = next_delay_ok(source, fetched.headers, None)
        else:
            feed = parse_feed(fetched.body or b"", fetched.headers, fetched.url)
            outlet = feed.title or source.name
            items = _new_items(session, source, feed.entries)
            session.commit()  # no transaction open while the network works
            _fetch_and_store(session, source, items, outlet, token, logrow)
            page_errors = [i.page_error for i in items if i.page_error]
            logrow.items = len(feed.entries)
            logrow.pages_fetched = sum(1 for i in items if i.origin == "page")
            logrow.pages_failed = len(page_errors)
            notes = [feed.warning] if feed.warning else []
            if page_errors:
                notes.append(f"{len(page_errors)} page(s) fell back to the feed text; first: {page_errors[0]}")
            logrow.error = "; ".join(notes)[:1000] or None
            source = session.get(Source, sid)
            source.items_seen += len(feed.entries)
            # Validators only after everything is stored: a crash before this line re-fetches the feed.
            source.etag = (fetched.headers.get("etag") or "")[:500] or None
            source.last_modified = (fetched.headers.get("last-modified") or "")[:200] or None
            delay = next_delay_ok(source, fetched.headers, feed.ttl_seconds)
        source = session.get(Source, sid)
        # a disabled source polled by hand (API "poll now") stays disabled until it is enabled again
        source.status = "ok" if source.enabled else "disabled"
        source.consecutive_failures, source.last_success_at = 0, utcnow()
        source.next_poll_at = utcnow() + dt.timedelta(seconds=delay)
    except Interrupted:
        session.rollback()
        source = session.get(Source, sid)
        logrow.outcome, logrow.error = "interrupted", "worker stopping; source released"
        source.next_poll_at = utcnow()  # another worker takes it at once
    except (FetchError, FeedError) as exc:
        failed = str(exc)
        retry_after = getattr(exc, "retry_after", None)
        logrow.http_status = getattr(exc, "status", None) or logrow.http_status
    except Exception as exc:  # noqa: BLE001 — one broken source must not stop the cycle
        log.exception("poll of source %s failed", sid)
        failed = f"internal error: {type(exc).__name__}: {exc}"[:1000]
    if failed is not None:
        session.rollback()
        source = session.get(Source, sid)
        logrow.outcome, logrow.error = "error", failed
        source.consecutive_failures += 1
        source.last_error, source.last_error_at = failed, utcnow()
        if not source.enabled:
            source.status = "disabled"
        elif source.consecutive_failures >= settings.max_failures_before_disable:
            source.status, source.enabled = "disabled", False
            source.last_error = f"disabled after {source.consecutive_failures} consecutive failures: {failed}"
        else:
            source.status = "failing"
        source.next_poll_at = utcnow() + dt.timedelta(
            seconds=backoff_delay(source, source.consecutive_failures, retry_after)
        )
    if logrow.new_articles:  # also when interrupted or failed after some batches were committed
        source.last_article_at = utcnow()
    elapsed = (time.perf_counter() - t0) * 1000
    source.last_polled_at, source.last_response_ms = started, elapsed
    source.last_http_status = logrow.http_status
    if token is None:
        source.lease_owner = source.lease_expires_at = None
    else:  # only our own lease: if it expired and another worker holds the source now, leave theirs alone
        session.exec(
            update(Source)
            .where(Source.id == sid, Source.lease_owner == token)
            .values(lease_owner=None, lease_expires_at=None)
        )
    logrow.duration_ms = elapsed
    session.add(source)
    session.add(logrow)
    evaluate_source_health(session, source)
    session.commit()
    metrics.POLLS.labels(logrow.outcome).inc()
    log.info(
        "polled source %s: %s",
        sid,
        logrow.outcome,
        extra={
            "source_id": sid,
            "outcome": logrow.outcome,
            "items": logrow.items,
            "new_articles": logrow.new_articles,
            "error": logrow.error,
            "duration_ms": round(elapsed, 1),
        },
    )
    return {
        "source_id": sid,
        "outcome": logrow.outcome,
        "items": logrow.items,
        "new_articles": logrow.new_articles,
        "facts": logrow.facts,
        "pages_fetched": logrow.pages_fetched,
        "pages_failed": logrow.pages_failed,
        "error": logrow.error,
        "duration_ms": round(elapsed, 1),
    }


def _poll_one(source_id: int, token: str) -> dict | None:
    try:
        return _poll_leased(source_id, token)
    finally:
        BACKLOG.read(source_id)  # a 304, a failure, no new items: nothing more in hand from this source


def _poll_leased(source_id: int, token: str) -> dict | None:
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            source = session.get(Source, source_id)
            if source is None or source.lease_owner != token:
                return None
            return poll_source(session, source, token)
    except Exception as exc:  # noqa: BLE001 — e.g. the database went away: give the lease back
        log.exception("poll of source %s crashed", source_id)
        try:
            with session_scope(get_engine()) as session:
                session.exec(
                    update(Source)
                    .where(Source.id == source_id, Source.lease_owner == token)
                    .values(lease_owner=None, lease_expires_at=None)
                )
        except Exception:  # noqa: BLE001
            pass
        return {
            "source_id": source_id,
            "outcome": "error",
            "items": 0,
            "new_articles": 0,
            "facts": 0,
            "error": f"internal error: {type(exc).__name__}: {exc}"[:500],
            "duration_ms": None,
        }


_warm = threading.Lock()
# Touches the casualty, number and unit paths, so every lazily loaded model is loaded here.
WARM_UP_TEXT = (
    "Storm kills 5 people in the capital, police said on Monday. Aid agencies need $20 million; "
    "the 300 km road is closed and 40 percent of the 1,200 houses were damaged by the 5.9 magnitude quake."
)
_warmed = False


def warm_up() -> None:
    """Load the extractor's models once, on one thread, before the pool starts (the first call takes
    seconds; several threads doing it at once take many times longer and hold their leases meanwhile)."""
    global _warmed
    if _warmed:
        return
    with _warm:
        if not _warmed:
            try:
                extract_facts(WARM_UP_TEXT, utcnow().date(), "Quake kills 5")
            except Exception:  # noqa: BLE001 — the real calls will report it
                log.exception("extractor warm-up failed")
            freeze_startup_heap()  # the models just loaded stay for the life of the process
            _warmed = True


def run_cycle(source_id: int | None = None, force: bool = False, concurrency: int | None = None) -> list[dict]:
    """Poll every due source (or every enabled source / one source now, with `force`), each at most once.

    Sources are polled `poll_concurrency` at a time; a slow one holds one slot, not the cycle."""
    warm_up()
    conc = max(1, concurrency or get_settings().poll_concurrency)
    results: list[dict] = []
    done: set[int] = set()
    inflight: dict = {}
    enough = get_settings().max_pending_articles
    scheduled = source_id is None and not force  # forced cycles ("poll now", `tollwatch poll`) take all at once
    with ThreadPoolExecutor(max_workers=conc, thread_name_prefix="poll") as pool:
        while True:
            free = conc - len(inflight)
            # Work in hand that will keep this process busy for a while: lease nothing more for now and
            # leave due sources to other workers (no worker hoards sources it cannot start soon).
            backlogged = scheduled and bool(inflight) and BACKLOG.in_hand(enough) >= enough
            if free > 0 and not STOPPING.is_set() and not backlogged:
                # one lease at a time, so the backlog is looked at between leases
                token, ids = claim(1 if scheduled else free, source_id, force, exclude=done)
                for sid in ids:
                    done.add(sid)
                    BACKLOG.leased(sid)
                    inflight[pool.submit(_poll_one, sid, token)] = sid
            if not inflight:
                return results
            finished, _ = wait(list(inflight), timeout=0.2 if free > 0 else None, return_when=FIRST_COMPLETED)
            for fut in finished:
                inflight.pop(fut)
                result = fut.result()
                if result is not None:
                    results.append(result)


def poll_source_now(source_id: int) -> dict | None:
    """Poll one source now (API / CLI). None if it does not exist; outcome `in_progress` if leased."""
    results = run_cycle(source_id, force=True)
    if results:
        return results[0]
    with Session(get_engine()) as session:
        source = session.get(Source, source_id)
        if source is None:
            return None
        return {
            "source_id": source_id,
            "outcome": "in_progress",
            "items": 0,
            "new_articles": 0,
            "facts": 0,
            "error": f"being polled by {source.lease_owner}",
            "duration_ms": None,
        }
