"""When webhook deliveries leave the process: the sender loop and the fast path after a commit.

* `send_due()` — called every second by the scheduler in `serve` and `worker` — claims due deliveries
  (`service.alerting.outbox.claim`) up to the free slots of a small thread pool and returns at once, so a
  hanging receiver occupies one slot, not the sender. When nothing is due it waits (< 1 s) for `wake()`.
* The fast path: while this process runs a sender (send_due was called in the last few seconds: `serve` /
  `worker`), a transaction that creates deliveries creates them *already leased* to this process
  (`lease_for_new`), and `send_after_commit` hands them to the pool as soon as that transaction commits: no
  claim round trip, no wait for a tick. An alert leaves the process a few milliseconds after the commit of
  its fact. If the process dies first, the lease expires and any sender claims them (at-least-once, same
  `webhook-id`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.models import Delivery, WebhookEndpoint, utcnow
from service.alerting import outbox
from service.alerting.outbox import ReadyDelivery
from service.alerting.webhooks import Outcome
from service.core.database import get_engine
from service.core.runtime import WORKER_ID
from service.core.settings import get_settings

log = logging.getLogger("tollwatch.webhooks")
WAIT_BUDGET = 0.8  # send_due waits for a wake-up at most this long after its cycle began (the job runs every 1 s)

_wake = threading.Event()
_sender_seen = 0.0
SENDER_ACTIVE_SECONDS = 5.0


def wake() -> None:
    """Tell the sender something may be due now (a retry queued, an endpoint enabled, a commit)."""
    _wake.set()


def sender_active() -> bool:
    """Whether this process runs a sender (send_due was called in the last few seconds)."""
    return time.monotonic() - _sender_seen < SENDER_ACTIVE_SECONDS


def lease_for_new(session: Session) -> tuple[str | None, dt.datetime | None]:
    """(lease owner, expiry) for deliveries created in `session`: this process's sender when it runs."""
    if not sender_active():
        return None, None
    token = session.info.get("tollwatch_lease")
    if token is None:
        token = session.info["tollwatch_lease"] = f"{WORKER_ID}:{uuid.uuid4().hex[:12]}"
    return token, utcnow() + outbox.lease_duration()


# --- the fast path: send what a commit created -----------------------------------------------------


def _after_commit(session) -> None:
    if session.in_nested_transaction():
        return  # SQLAlchemy also announces savepoint releases here; only the outermost commit publishes rows
    new = session.info.pop("tollwatch_new_deliveries", None)
    token = session.info.get("tollwatch_lease")
    if new and token:
        pool = _get_pool()
        engine = session.get_bind()
        for delivery_id in sorted(new):
            pool.submit(engine, delivery_id, token, new[delivery_id][1])
    if new is not None:
        _wake.set()


def _after_soft_rollback(session, previous_transaction) -> None:
    """Forget deliveries created inside a transaction or savepoint that was rolled back: they do not exist, and a
    later commit of the session (a poll records its health after a rollback) must not send them."""
    new = session.info.get("tollwatch_new_deliveries")
    for delivery_id, (created_in, _) in list((new or {}).items()):
        tx = created_in
        while tx is not None:
            if tx is previous_transaction:
                del new[delivery_id]
                break
            tx = tx.parent


def send_after_commit(session: Session, deliveries: list[tuple[Delivery, WebhookEndpoint]]) -> None:
    """Once `session` commits: send these deliveries now if they are leased to this process (fast path), else
    wake the sender to claim them. Nothing is sent if the transaction (or the savepoint) that created them
    rolls back. This registers the session's `after_commit` / `after_soft_rollback` listeners below."""
    new = session.info.setdefault("tollwatch_new_deliveries", {})
    created_in = session.get_nested_transaction() or session.get_transaction()
    for delivery, endpoint in deliveries:
        if delivery.lease_owner:
            new[delivery.id] = (
                created_in,
                ReadyDelivery(
                    endpoint.url, endpoint.secret, delivery.message_id, delivery.payload, delivery.lease_expires_at
                ),
            )
    if not session.info.get("tollwatch_wake_listener"):
        session.info["tollwatch_wake_listener"] = True
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)


# --- the sender ------------------------------------------------------------------------------------


class _Pool:
    """A few threads sending deliveries; counts what is in flight so a claim takes no more than it can start."""

    def __init__(self, size: int):
        self.size = size
        self.executor = ThreadPoolExecutor(size, thread_name_prefix="webhook")
        self.lock = threading.Lock()
        self.in_flight = 0
        self.idle = threading.Condition(self.lock)
        self.saturated = False

    def free(self) -> int:
        with self.lock:
            return self.size - self.in_flight

    def submit(self, engine: Engine, delivery_id: int, token: str, ready: ReadyDelivery | None = None) -> None:
        with self.lock:
            self.in_flight += 1
        self.executor.submit(self._run, engine, delivery_id, token, ready)

    def _run(self, engine: Engine, delivery_id: int, token: str, ready: ReadyDelivery | None) -> None:
        try:
            outbox.attempt(engine, delivery_id, token, ready=ready)
        except Exception:
            log.exception("webhook delivery failed unexpectedly", extra={"delivery_id": delivery_id})
        finally:
            with self.lock:
                self.in_flight -= 1
                more = self.saturated
                self.idle.notify_all()
            if more:  # the last claim was cut short by the pool size: there may be more due
                _wake.set()

    def wait_idle(self, timeout: float) -> bool:
        with self.lock:
            return self.idle.wait_for(lambda: self.in_flight == 0, timeout)


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _get_pool() -> _Pool:
    global _pool
    with _pool_lock:
        size = max(1, get_settings().webhook_concurrency)
        if _pool is None or _pool.size != size:
            _pool = _Pool(size)
        return _pool


def dispatch(limit: int = 50) -> int:
    """Claim what is due (up to the free slots) and start sending it; returns how many were claimed."""
    pool = _get_pool()
    free = min(limit, pool.free())
    if free <= 0:
        pool.saturated = True
        return 0
    engine = get_engine()
    token, ids = outbox.claim(engine, free)
    pool.saturated = len(ids) == free
    for delivery_id in ids:
        pool.submit(engine, delivery_id, token)
    return len(ids)


_cycle_start = 0.0
_cycle_idle = True


def send_due(limit: int = 50) -> int:
    """The scheduler's entry (every second, looped while > 0): start sending what is due.

    When nothing is due it waits for `wake()` until WAIT_BUDGET after this cycle began, so a fresh
    alert is sent within milliseconds instead of at the next tick."""
    global _cycle_start, _cycle_idle, _sender_seen
    _sender_seen = time.monotonic()
    if _cycle_idle:
        _cycle_start = time.monotonic()
    _wake.clear()
    sent = dispatch(limit)
    while not sent:
        budget = _cycle_start + WAIT_BUDGET - time.monotonic()
        if budget <= 0 or not _wake.wait(budget):
            break
        _wake.clear()
        sent = dispatch(limit)
    _cycle_idle = sent == 0
    return sent


def drain(timeout: float = 60.0) -> bool:
    """Wait until every started delivery has been sent and recorded (tests, shutdown)."""
    end = time.monotonic() + timeout
    return _get_pool().wait_idle(timeout) and outbox.wait_recorded(max(0.0, end - time.monotonic()))


def run_until_idle(timeout: float = 60.0, horizon: float = 0.0) -> int:
    """Send until nothing is in flight and nothing pending falls due within `horizon` seconds (tests, bench).
    Returns how many attempts were started."""
    started, end, engine = 0, time.monotonic() + timeout, get_engine()
    while time.monotonic() < end:
        n = dispatch()
        started += n
        if n:
            continue
        drain(max(0.0, end - time.monotonic()))
        if not outbox.pending_due(engine, horizon):
            return started
        time.sleep(0.02)
    return started


def send_one(delivery_id: int) -> Outcome | None:
    """Send one delivery now in this thread (test pings, manual retries); None if it is leased elsewhere."""
    engine = get_engine()
    token, ids = outbox.claim(engine, 1, delivery_id)
    if not ids:
        return None
    return outbox.attempt(engine, delivery_id, token, queued=False)
