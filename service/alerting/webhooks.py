"""Webhook delivery from the outbox (issue 7).

`evaluate_facts` / `evaluate_source_health` (service/alerting/rules.py) write `Delivery` rows in the same
transaction as the facts or health change that caused them; this module sends them:

* `send_due()` — called every second by the scheduler in `serve` and `worker` — *claims* due
  deliveries with a lease (one atomic `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)
  RETURNING id`, so several workers never send the same delivery at once) and hands them to a small
  thread pool; it returns at once, so a hanging receiver occupies one slot, not the sender. When
  nothing is due it waits (< 1 s) for `wake()`, which a commit that created deliveries calls: an
  alert leaves the process a few milliseconds after the commit of its fact.
* One attempt = one POST, signed per Standard Webhooks (`webhook-id` is the delivery's `message_id`,
  the same on every retry; timestamp and signature are fresh). Redirects are not followed, every
  connection goes through the SSRF guard (service/core/net.py), and a hard deadline bounds the whole
  attempt (connect, send, headers, body) whatever the receiver does; at most 2 KB of the response is
  read and kept.
* The outcome: 2xx succeeded; 410 fails the delivery and disables the endpoint; anything else
  (timeout, connection error, 5xx, 4xx) retries on the Standard Webhooks schedule with jitter
  (`Retry-After` wins on 429/503) until the schedule is exhausted; an endpoint failing for a day is
  disabled. Every attempt is a `DeliveryAttempt` row. A worker killed mid-delivery leaves a lease
  that expires; the next claim sends the same `webhook-id` again (at-least-once).
"""
from __future__ import annotations

import atexit
import base64
import datetime as dt
import json
import logging
import os
import queue
import random
import secrets
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpcore
import httpx
from sqlalchemy import event, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session
from standardwebhooks import Webhook

from db.engine import DATABASE_FAULTS, get_engine, is_postgres
from db.models import Delivery, DeliveryAttempt, WebhookEndpoint, storable, utcnow
from service.core.metrics import DELIVERIES, DELIVERY_SECONDS
from service.core.net import GuardedBackend
from service.core.settings import get_settings

log = logging.getLogger("tollwatch.webhooks")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
PING_TYPE = "webhook.test"
WAIT_BUDGET = 0.8  # send_due waits for a wake-up at most this long after its cycle began (the job runs every 1 s)


# --- secrets, ids, bodies ------------------------------------------------------------------------

def new_secret() -> str:
    """`whsec_` + base64 of 32 random bytes (Standard Webhooks)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def serialize(payload: dict) -> str:
    """The body as strict JSON: NaN and Infinity are refused (ValueError), never sent."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str, allow_nan=False)


def sign_headers(secret: str, message_id: str, body: str, at: dt.datetime | None = None) -> dict[str, str]:
    at = at or utcnow()
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at, body)}


# --- waking the sender, and the fast path --------------------------------------------------------
#
# While this process runs a sender (send_due was called in the last few seconds: `serve`/`worker`), a
# transaction that creates deliveries creates them *already leased* to this process, and the commit hands
# them straight to the pool: no claim round trip, no wait for a tick, no write lock to win before the POST.
# If the process dies first, the lease expires and any sender claims them (at-least-once, same webhook-id).

_wake = threading.Event()
_sender_seen = 0.0
SENDER_ACTIVE_SECONDS = 5.0


def wake() -> None:
    _wake.set()


def sender_active() -> bool:
    return time.monotonic() - _sender_seen < SENDER_ACTIVE_SECONDS


def lease_duration() -> dt.timedelta:
    """A lease always outlasts one attempt (whose deadline is webhook_total_timeout), so a delivery being sent is
    never claimed by another sender meanwhile."""
    settings = get_settings()
    return dt.timedelta(seconds=max(settings.webhook_lease_seconds, settings.webhook_total_timeout + 2))


def lease_for_new(session: Session) -> tuple[str | None, dt.datetime | None]:
    """(lease owner, expiry) for deliveries created in `session`: this process's sender when it runs."""
    if not sender_active():
        return None, None
    token = session.info.get("tollwatch_lease")
    if token is None:
        token = session.info["tollwatch_lease"] = f"{WORKER_ID}:{uuid.uuid4().hex[:12]}"
    return token, utcnow() + lease_duration()


@dataclass
class Prepared:
    """What one attempt needs, known at creation: the fast path sends without reading the row back."""
    url: str
    secret: str
    message_id: str
    payload: dict
    lease_expires_at: dt.datetime


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


def after_commit_send(session: Session, deliveries: list[tuple[Delivery, WebhookEndpoint]]) -> None:
    """Once `session` commits: send these deliveries now if they are leased to this process (fast path), else
    wake the sender to claim them."""
    new = session.info.setdefault("tollwatch_new_deliveries", {})
    created_in = session.get_nested_transaction() or session.get_transaction()
    for delivery, endpoint in deliveries:
        if delivery.lease_owner:
            new[delivery.id] = (created_in, Prepared(endpoint.url, endpoint.secret, delivery.message_id,
                                                     delivery.payload, delivery.lease_expires_at))
    if not session.info.get("tollwatch_wake_listener"):
        session.info["tollwatch_wake_listener"] = True
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)


# --- HTTP: a guarded transport with a hard per-attempt deadline -----------------------------------

_local = threading.local()


class DeadlineExceeded(httpcore.TimeoutException):
    pass


def _bounded(timeout: float | None) -> float | None:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("delivery deadline exceeded")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """Every socket operation gets at most the time left before the attempt's deadline, so a receiver
    that trickles headers or body one byte at a time cannot stretch an attempt past it."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        return self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(GuardedBackend):
    """The SSRF guard of service/core/net.py (every connected address checked) plus the deadline."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _DeadlineStream(super().connect_tcp(host, port, _bounded(timeout), local_address, socket_options))


class _Transport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, max_connections: int):
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=max_connections,
            max_keepalive_connections=max_connections, keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(allow_private))


_clients: dict[tuple, httpx.Client] = {}
_clients_lock = threading.Lock()


def _client() -> httpx.Client:
    settings = get_settings()
    key = (settings.allow_private_urls, settings.private_url_allowlist if hasattr(settings, "private_url_allowlist")
           else None, settings.webhook_concurrency)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = httpx.Client(
                transport=_Transport(settings.allow_private_urls, max(4, settings.webhook_concurrency * 2)),
                follow_redirects=False, trust_env=False, headers={"User-Agent": settings.user_agent})
        return client


@dataclass
class Outcome:
    status: int | None = None
    body: str | None = None
    latency_ms: float = 0.0
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - utcnow()).total_seconds())


def post(url: str, secret: str, message_id: str, payload: dict) -> Outcome:
    """One signed POST, bounded in time and memory. Never raises for network or receiver problems."""
    settings = get_settings()
    body = serialize(payload)
    headers = {**sign_headers(secret, message_id, body), "Content-Type": "application/json"}
    cap = settings.webhook_max_response_bytes
    out = Outcome()
    timeout = httpx.Timeout(settings.webhook_timeout, connect=settings.webhook_connect_timeout)
    _local.deadline = time.monotonic() + settings.webhook_total_timeout
    t0 = time.perf_counter()
    try:
        with _client().stream("POST", url, content=body.encode(), headers=headers, timeout=timeout) as resp:
            out.status = resp.status_code
            if resp.status_code in (429, 503):
                out.retry_after = _retry_after(resp.headers.get("retry-after"))
            buf = bytearray()
            try:
                for chunk in resp.iter_raw():  # raw: no decompression bomb; stop at the cap, drop the rest
                    buf += chunk[: cap - len(buf)]
                    if len(buf) >= cap:
                        break
            except httpx.HTTPError as exc:  # the status is in; a body cut short is only noted
                out.error = f"response body: {_describe(exc)}"
            # whatever the receiver sent (NUL, invalid UTF-8) as text the databases can store
            out.body = storable(bytes(buf).decode("utf-8", "replace"))
    except httpx.HTTPError as exc:
        out.error = _describe(exc)
    except Exception as exc:  # a bug or an odd URL must not kill the sender thread
        out.error = f"{type(exc).__name__}: {exc}"
    finally:
        _local.deadline = None
    out.latency_ms = (time.perf_counter() - t0) * 1000
    if out.error and out.status is None and out.latency_ms >= settings.webhook_total_timeout * 1000 - 50:
        out.error = f"deadline of {settings.webhook_total_timeout:g} s exceeded ({out.error})"
    return out


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout ({type(exc).__name__}): {text}"
    return f"{type(exc).__name__}: {text}"[:500]


# --- claiming, sending, recording ----------------------------------------------------------------

def _due_query(now: dt.datetime, limit: int, engine: Engine, delivery_id: int | None = None):
    query = select(Delivery.id).where(
        or_(Delivery.lease_expires_at.is_(None), Delivery.lease_expires_at < now),
        Delivery.endpoint_id.in_(select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))))
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
    stmt = (update(Delivery).where(Delivery.id.in_(_due_query(now, limit, engine, delivery_id)))
            .values(lease_owner=token, lease_expires_at=now + lease_duration()).returning(Delivery.id))
    with engine.begin() as conn:
        ids = list(conn.execute(stmt).scalars())
    return token, sorted(ids)


def attempt(engine: Engine, delivery_id: int, token: str, queued: bool = True,
            prepared: Prepared | None = None) -> Outcome | None:
    """Send one claimed delivery; its outcome is recorded by the recorder thread (`queued`) or here."""
    # Only with enough lease left to finish the attempt before anyone else may claim the delivery.
    enough = utcnow() + dt.timedelta(seconds=get_settings().webhook_total_timeout)
    if prepared is not None:  # created leased to us in a transaction that committed: nobody else can hold it
        if prepared.lease_expires_at <= enough:
            return None  # waited too long in the queue: the next claim after the lease sends it
        url, secret, message_id, payload = prepared.url, prepared.secret, prepared.message_id, prepared.payload
    else:
        with Session(engine, expire_on_commit=False) as session:
            delivery = session.get(Delivery, delivery_id)
            endpoint = session.get(WebhookEndpoint, delivery.endpoint_id) if delivery else None
            if (delivery is None or endpoint is None or delivery.lease_owner != token or not endpoint.enabled
                    or delivery.lease_expires_at is None or delivery.lease_expires_at <= enough):
                return None  # not ours (any more), or too late: the next claim after the lease sends it
            url, secret, message_id, payload = endpoint.url, endpoint.secret, delivery.message_id, delivery.payload
    outcome = post(url, secret, message_id, payload)
    if queued:
        _get_recorder().put(engine, delivery_id, token, outcome)
    else:
        record(engine, delivery_id, token, outcome)
    return outcome


def record(engine: Engine, delivery_id: int, token: str, outcome: Outcome) -> None:
    record_batch(engine, [(delivery_id, token, outcome)])


def record_batch(engine: Engine, items: list[tuple[int, str, Outcome]]) -> None:
    """Record outcomes in one transaction (one write lock on SQLite for a whole batch)."""
    settings = get_settings()
    try:
        with Session(engine, expire_on_commit=False) as session:
            for delivery_id, token, outcome in items:
                _record_one(session, settings, delivery_id, token, outcome)
            session.commit()
    except DATABASE_FAULTS:
        raise  # the database is at fault: the deliveries stay leased and are sent again after the lease
    except Exception:  # noqa: BLE001 — one outcome the database refuses must not cost the others theirs
        if len(items) == 1:
            raise
        log.warning("recording a batch of outcomes failed; recording them one by one", exc_info=True)
        for item in items:
            try:
                record_batch(engine, [item])
            except Exception:  # noqa: BLE001
                log.exception("recording a webhook outcome failed", extra={"delivery_id": item[0]})
        return
    for delivery_id, _token, outcome in items:
        result = "succeeded" if outcome.ok else ("gone" if outcome.status == 410 else "failed")
        DELIVERIES.labels(result).inc()
        DELIVERY_SECONDS.observe(outcome.latency_ms / 1000)
        log.info("webhook delivery", extra={"delivery_id": delivery_id, "status": outcome.status, "result": result,
                                            "latency_ms": round(outcome.latency_ms, 1), "error": outcome.error})


def _record_one(session: Session, settings, delivery_id: int, token: str, outcome: Outcome) -> None:
    # what a receiver sent, cleaned again at the storage boundary: no NUL or lone surrogate, bounded in size
    body = storable(outcome.body, settings.webhook_max_response_bytes)
    error = storable(outcome.error, 2000)
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        return
    now = utcnow()
    session.add(DeliveryAttempt(delivery_id=delivery_id, attempted_at=now, response_code=outcome.status,
                                latency_ms=round(outcome.latency_ms, 1), error=error, response_body=body))
    if delivery.lease_owner != token:
        # Our lease ran out and someone else owns the delivery now: keep the attempt, not the verdict.
        log.warning("delivery lease lost", extra={"delivery_id": delivery_id})
        return
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code, delivery.response_body = outcome.status, body
    delivery.latency_ms, delivery.error = round(outcome.latency_ms, 1), error
    delivery.lease_owner = delivery.lease_expires_at = None
    is_ping = (delivery.payload or {}).get("type") == PING_TYPE
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
            delay = schedule[delivery.attempts] * random.uniform(1 - settings.webhook_retry_jitter,
                                                                 1 + settings.webhook_retry_jitter)
            if outcome.retry_after is not None:
                delay = min(outcome.retry_after, 86400.0)
            delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
        failing = now - endpoint.failing_since
        if endpoint.enabled and failing >= dt.timedelta(hours=settings.webhook_disable_after_hours):
            endpoint.enabled = False
            endpoint.disabled_reason = (f"failing since {endpoint.failing_since.isoformat(timespec='seconds')}"
                                        f" ({settings.webhook_disable_after_hours:g} h): disabled")
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


@atexit.register
def _flush_on_exit() -> None:
    """At exit the pool has finished its POSTs (concurrent.futures joins it first): write their outcomes, so a
    clean shutdown does not leave answered deliveries leased (they would be sent again after the lease)."""
    if _recorder is not None:
        _recorder.wait_idle(10.0)


def _get_recorder() -> _Recorder:
    global _recorder
    with _pool_lock:
        if _recorder is None:
            _recorder = _Recorder()
        return _recorder


# --- the sender ------------------------------------------------------------------------------------

class _Pool:
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

    def submit(self, engine: Engine, delivery_id: int, token: str, prepared: Prepared | None = None) -> None:
        with self.lock:
            self.in_flight += 1
        self.executor.submit(self._run, engine, delivery_id, token, prepared)

    def _run(self, engine: Engine, delivery_id: int, token: str, prepared: Prepared | None) -> None:
        try:
            attempt(engine, delivery_id, token, prepared=prepared)
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
    token, ids = claim(engine, free)
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
    return _get_pool().wait_idle(timeout) and _get_recorder().wait_idle(max(0.0, end - time.monotonic()))


def pending_due(engine: Engine, horizon: float = 0.0) -> int:
    """How many deliveries (on enabled endpoints) are pending and due within `horizon` seconds."""
    from sqlalchemy import func
    now = utcnow() + dt.timedelta(seconds=horizon)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Delivery).where(
            Delivery.status == "pending", Delivery.next_attempt_at <= now,
            Delivery.endpoint_id.in_(select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True)))
        )).scalar_one()


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
        if not pending_due(engine, horizon):
            return started
        time.sleep(0.02)
    return started


def send_one(delivery_id: int) -> Outcome | None:
    """Send one delivery now in this thread (test pings, manual retries); None if it is leased elsewhere."""
    engine = get_engine()
    token, ids = claim(engine, 1, delivery_id)
    if not ids:
        return None
    return attempt(engine, delivery_id, token, queued=False)
