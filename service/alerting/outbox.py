"""The outbox: webhook deliveries as rows, leased, attempted and recorded.

`service.alerting.rules` writes `Delivery` rows in the same transaction as the facts or health change
that caused them, so an alert exists exactly when its cause does. From there:

* `claim` leases due deliveries to a fresh token with one atomic `UPDATE … WHERE id IN (SELECT … FOR
  UPDATE SKIP LOCKED) RETURNING id`, so several workers never send the same delivery at once; a lease
  always outlasts one attempt.
* `attempt` sends one claimed delivery (`service.alerting.webhooks.post`) if its lease still leaves time
  for the attempt; the outcome goes to one recorder thread that writes outcomes in batches.
* The outcome: 2xx succeeded; 410 fails the delivery and disables the endpoint; anything else (timeout,
  connection error, 5xx, 4xx) retries on the Standard Webhooks schedule with jitter (`Retry-After`
  wins on 429/503) until the schedule is exhausted; an endpoint failing for a day is disabled. Every
  attempt is a `DeliveryAttempt` row. A worker killed mid-delivery leaves a lease that expires; the
  next claim sends the same `webhook-id` again (at-least-once).
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import queue
import random
import threading
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.engine import is_postgres
from db.models import Delivery, DeliveryAttempt, WebhookEndpoint, utcnow
from service.alerting import webhooks
from service.alerting.webhooks import Outcome
from service.core.metrics import DELIVERIES, DELIVERY_SECONDS
from service.core.runtime import WORKER_ID
from service.core.settings import get_settings

log = logging.getLogger("tollwatch.webhooks")


def lease_duration() -> dt.timedelta:
    """A lease always outlasts one attempt (whose deadline is webhook_total_timeout), so a delivery being sent is
    never claimed by another sender meanwhile."""
    settings = get_settings()
    return dt.timedelta(seconds=max(settings.webhook_lease_seconds, settings.webhook_total_timeout + 2))


@dataclass
class ReadyDelivery:
    """What one attempt needs, known when the delivery is created: the fast path sends it without reading
    the row back."""

    url: str
    secret: str
    message_id: str
    payload: dict
    lease_expires_at: dt.datetime


def _due_query(now: dt.datetime, limit: int, engine: Engine, delivery_id: int | None = None):
    query = select(Delivery.id).where(
        or_(Delivery.lease_expires_at.is_(None), Delivery.lease_expires_at < now),
        Delivery.endpoint_id.in_(select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))),
    )
    if delivery_id is not None:
        query = query.where(Delivery.id == delivery_id)
    else:
        query = query.where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
    query = query.order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
    if is_postgres(engine):
        query = query.with_for_update(skip_locked=True)
    return query


def claim(engine: Engine, limit: int, delivery_id: int | None = None) -> tuple[str, list[int]]:
    """Lease up to `limit` due deliveries to a fresh token; (token, ids). Atomic on both databases."""
    now = utcnow()
    token = f"{WORKER_ID}:{uuid.uuid4().hex[:12]}"
    stmt = (
        update(Delivery)
        .where(Delivery.id.in_(_due_query(now, limit, engine, delivery_id)))
        .values(lease_owner=token, lease_expires_at=now + lease_duration())
        .returning(Delivery.id)
    )
    with engine.begin() as conn:
        ids = list(conn.execute(stmt).scalars())
    return token, sorted(ids)


def attempt(
    engine: Engine, delivery_id: int, token: str, queued: bool = True, ready: ReadyDelivery | None = None
) -> Outcome | None:
    """Send one claimed delivery; its outcome is recorded by the recorder thread (`queued`) or here."""
    # Only with enough lease left to finish the attempt before anyone else may claim the delivery.
    enough = utcnow() + dt.timedelta(seconds=get_settings().webhook_total_timeout)
    if ready is not None:  # created leased to us in a transaction that committed: nobody else can hold it
        if ready.lease_expires_at <= enough:
            return None  # waited too long in the queue: the next claim after the lease sends it
        url, secret, message_id, payload = ready.url, ready.secret, ready.message_id, ready.payload
    else:
        with Session(engine, expire_on_commit=False) as session:
            delivery = session.get(Delivery, delivery_id)
            endpoint = session.get(WebhookEndpoint, delivery.endpoint_id) if delivery else None
            if (
                delivery is None
                or endpoint is None
                or delivery.lease_owner != token
                or not endpoint.enabled
                or delivery.lease_expires_at is None
                or delivery.lease_expires_at <= enough
            ):
                return None  # not ours (any more), or too late: the next claim after the lease sends it
            url, secret, message_id, payload = endpoint.url, endpoint.secret, delivery.message_id, delivery.payload
    outcome = webhooks.post(url, secret, message_id, payload)
    if queued:
        _get_recorder().put(engine, delivery_id, token, outcome)
    else:
        record(engine, delivery_id, token, outcome)
    return outcome


def record(engine: Engine, delivery_id: int, token: str, outcome: Outcome) -> None:
    """Record one attempt's outcome now (see `_record_one`)."""
    record_batch(engine, [(delivery_id, token, outcome)])


def record_batch(engine: Engine, items: list[tuple[int, str, Outcome]]) -> None:
    """Record outcomes in one transaction (one write lock on SQLite for a whole batch)."""
    settings = get_settings()
    with Session(engine, expire_on_commit=False) as session:
        for delivery_id, token, outcome in items:
            _record_one(session, settings, delivery_id, token, outcome)
        session.commit()
    for delivery_id, _token, outcome in items:
        result = "succeeded" if outcome.ok else ("gone" if outcome.status == 410 else "failed")
        DELIVERIES.labels(result).inc()
        DELIVERY_SECONDS.observe(outcome.latency_ms / 1000)
        log.info(
            "webhook delivery",
            extra={
                "delivery_id": delivery_id,
                "status": outcome.status,
                "result": result,
                "latency_ms": round(outcome.latency_ms, 1),
                "error": outcome.error,
            },
        )


def _record_one(session: Session, settings, delivery_id: int, token: str, outcome: Outcome) -> None:
    """The attempt row, and the delivery's verdict if we still hold its lease: succeeded, failed (410, schedule
    exhausted, a ping) or retried later; an endpoint failing for `webhook_disable_after_hours` is disabled."""
    body = outcome.body[: settings.webhook_max_response_bytes] if outcome.body is not None else None
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        return
    now = utcnow()
    session.add(
        DeliveryAttempt(
            delivery_id=delivery_id,
            attempted_at=now,
            response_code=outcome.status,
            latency_ms=round(outcome.latency_ms, 1),
            error=outcome.error,
            response_body=body,
        )
    )
    if delivery.lease_owner != token:
        # Our lease ran out and someone else owns the delivery now: keep the attempt, not the verdict.
        log.warning("delivery lease lost", extra={"delivery_id": delivery_id})
        return
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code, delivery.response_body = outcome.status, body
    delivery.latency_ms, delivery.error = round(outcome.latency_ms, 1), outcome.error
    delivery.lease_owner = delivery.lease_expires_at = None
    is_ping = (delivery.payload or {}).get("type") == webhooks.PING_TYPE
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "succeeded", now, None
        endpoint.failing_since = None
    elif outcome.status == 410:
        delivery.status, delivery.next_attempt_at = "failed", None
        delivery.error = "receiver answered 410 Gone: endpoint disabled"
        endpoint.enabled, endpoint.disabled_reason = False, "the receiver answered 410 Gone"
    else:
        endpoint.failing_since = endpoint.failing_since or now
        schedule = settings.webhook_retry_schedule
        if is_ping or delivery.attempts >= len(schedule):
            delivery.status, delivery.next_attempt_at = "failed", None
        else:
            delay = schedule[delivery.attempts] * random.uniform(
                1 - settings.webhook_retry_jitter, 1 + settings.webhook_retry_jitter
            )
            if outcome.retry_after is not None:
                delay = min(outcome.retry_after, 86400.0)
            delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
        failing = now - endpoint.failing_since
        if endpoint.enabled and failing >= dt.timedelta(hours=settings.webhook_disable_after_hours):
            endpoint.enabled = False
            endpoint.disabled_reason = (
                f"failing since {endpoint.failing_since.isoformat(timespec='seconds')}"
                f" ({settings.webhook_disable_after_hours:g} h): disabled"
            )
    session.add(delivery)
    session.add(endpoint)


class _Recorder:
    """One thread writes outcomes in batches: the pool's slots are free as soon as a POST is answered, and
    on SQLite a burst of deliveries costs a few write transactions instead of one each."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="webhook-recorder", daemon=True)
        self.thread.start()

    def put(self, engine: Engine, delivery_id: int, token: str, outcome: Outcome) -> None:
        self.queue.put((engine, delivery_id, token, outcome))

    def _loop(self) -> None:
        while True:
            items = [self.queue.get()]
            while len(items) < 500:
                try:
                    items.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            by_engine: dict[Engine, list] = {}
            for engine, *rest in items:
                by_engine.setdefault(engine, []).append(tuple(rest))
            for engine, batch in by_engine.items():
                try:
                    record_batch(engine, batch)
                except Exception:  # the deliveries stay leased; after the lease they are sent again
                    log.exception("recording webhook outcomes failed", extra={"count": len(batch)})
            for _ in items:
                self.queue.task_done()

    def wait_idle(self, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while self.queue.unfinished_tasks:
            if time.monotonic() > end:
                return False
            time.sleep(0.005)
        return True


_recorder: _Recorder | None = None
_recorder_lock = threading.Lock()


@atexit.register
def _flush_on_exit() -> None:
    """At exit the pool has finished its POSTs (concurrent.futures joins it first): write their outcomes, so a
    clean shutdown does not leave answered deliveries leased (they would be sent again after the lease)."""
    if _recorder is not None:
        _recorder.wait_idle(10.0)


def _get_recorder() -> _Recorder:
    global _recorder
    with _recorder_lock:
        if _recorder is None:
            _recorder = _Recorder()
        return _recorder


def pending_due(engine: Engine, horizon: float = 0.0) -> int:
    """How many deliveries (on enabled endpoints) are pending and due within `horizon` seconds."""
    now = utcnow() + dt.timedelta(seconds=horizon)
    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(Delivery)
            .where(
                Delivery.status == "pending",
                Delivery.next_attempt_at <= now,
                Delivery.endpoint_id.in_(select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))),
            )
        ).scalar_one()


def wait_recorded(timeout: float) -> bool:
    """Wait until every outcome handed to the recorder is written; False on timeout."""
    return _get_recorder().wait_idle(timeout)
