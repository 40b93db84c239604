"""The embedded scheduler (APScheduler 3): polling, webhook sending and retention, in `serve` and `worker`.

APScheduler 3's job store cannot be shared between processes, so each process keeps its own
in-memory schedule and the database leases decide who does which work: any number of
`tollwatch worker` processes (on any number of machines) may run against one PostgreSQL.

`serve` is different: several uvicorn workers of one `serve` must not each start a scheduler. This is
enforced twice — `tollwatch serve --workers N` refuses N > 1 unless TOLLWATCH_SCHEDULER=false, and
the embedded scheduler takes an exclusive lock file per database (in the temp directory): a second
`serve` process on the same machine and database runs as an API replica, without a scheduler,
and says so in its log and in /readyz ("scheduler": "off"). API replicas should set
TOLLWATCH_SCHEDULER=false and leave polling to `tollwatch worker`.

`misfire_grace_time` is set deliberately (APScheduler's 1 s default silently skips runs while the
loop is busy), runs coalesce, and each job has at most one instance. Shutting the scheduler down
(SIGTERM in `worker`, lifespan end in `serve`) sets `polling.STOPPING`: the cycle stops claiming,
sources in hand are finished or given back, and every lease this process holds is released.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import os
import tempfile
import time

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from db.models import SchedulerHeartbeat, utcnow
from service.alerting import dispatch
from service.core.database import get_engine
from service.core.net import close_shared_clients
from service.core.runtime import WORKER_ID
from service.core.settings import get_settings
from service.ingest import polling
from service.jobs import retention

log = logging.getLogger("tollwatch.scheduler")


class _QuietSkips(logging.Filter):
    """A poll cycle longer than the interval is normal (runs coalesce): don't log a warning every second."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_QuietSkips())
_lock_fds: dict[str, int] = {}


# A scheduler beats every poll cycle (seconds; a long cycle takes minutes). One silent this long has died
# (SIGKILL, a crash, a replaced container): its row goes, so the dashboard counts only the live ones.
HEARTBEAT_FORGET = dt.timedelta(minutes=30)


def _heartbeat(role: str, cycle_ms: float | None = None) -> None:
    for attempt in range(2):  # two threads may create the row at once: the loser updates it
        with Session(get_engine()) as session:
            session.exec(
                delete(SchedulerHeartbeat).where(
                    col(SchedulerHeartbeat.last_seen_at) < utcnow() - HEARTBEAT_FORGET,
                    col(SchedulerHeartbeat.worker) != WORKER_ID,
                )
            )
            row = session.get(SchedulerHeartbeat, WORKER_ID) or SchedulerHeartbeat(worker=WORKER_ID, role=role)
            row.last_seen_at = utcnow()
            if cycle_ms is not None:
                row.last_cycle_at, row.last_cycle_ms = utcnow(), cycle_ms
            session.add(row)
            try:
                session.commit()
                return
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise


def _forget_heartbeat() -> None:
    """A scheduler that stops cleanly leaves the heartbeat table at once."""
    try:
        with Session(get_engine()) as session:
            session.exec(delete(SchedulerHeartbeat).where(col(SchedulerHeartbeat.worker) == WORKER_ID))
            session.commit()
    except Exception:
        log.exception("removing the heartbeat failed")


def poll_job(role: str) -> None:
    """The scheduled poll: one cycle, then this process's heartbeat."""
    t0 = time.perf_counter()
    try:
        polling.run_cycle()
    except Exception:  # a job that raises would only be logged by APScheduler; keep the loop alive
        log.exception("poll cycle failed")
    try:
        _heartbeat(role, (time.perf_counter() - t0) * 1000)
    except Exception:
        log.exception("heartbeat failed")


def send_job() -> None:
    """The scheduled send: start what is due until nothing more is (or the process stops)."""
    try:
        while dispatch.send_due() and not polling.STOPPING.is_set():
            pass
    except Exception:
        log.exception("webhook sending failed")


def retention_job() -> None:
    """The scheduled pruning."""
    try:
        counts = retention.prune()
        if any(counts.values()):
            log.info("retention pruned %s", counts, extra=counts)
    except Exception:
        log.exception("retention failed")


def _lock_path(database_url: str) -> str:
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"tollwatch-scheduler-{digest}.lock")


def acquire_serve_lock(database_url: str) -> bool:
    """One embedded scheduler per machine and database: an exclusive, non-blocking flock."""
    path = _lock_path(database_url)
    if path in _lock_fds:
        return False
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _lock_fds[path] = fd
    return True


def release_serve_lock(database_url: str) -> None:
    """Give up the embedded-scheduler lock of `database_url`."""
    fd = _lock_fds.pop(_lock_path(database_url), None)
    if fd is not None:
        os.close(fd)  # closing the descriptor drops the flock


class TollwatchScheduler(BackgroundScheduler):
    role = "serve"
    database_url = ""

    def shutdown(self, wait: bool = True) -> None:
        """Stop claiming, let the jobs finish, then release every lease this process holds (and the serve lock)."""
        polling.STOPPING.set()  # stop claiming; in-hand sources finish their page or give the lease back
        try:
            super().shutdown(wait=wait)
        finally:
            try:
                released = polling.release_leases()
                if released:
                    log.info("released %d lease(s)", released)
            except Exception:
                log.exception("releasing leases failed")
            if self.role == "serve":
                release_serve_lock(self.database_url)
            _forget_heartbeat()
            close_shared_clients()  # the jobs are done: their pooled connections can go
            polling.STOPPING.clear()


def start(role: str, poll_every_seconds: float | None = None) -> TollwatchScheduler | None:
    """Start the scheduler for `role` ("serve" or "worker"); None when another `serve` already runs one."""
    settings = get_settings()
    if role == "serve" and not acquire_serve_lock(settings.database_url):
        log.warning(
            "another tollwatch serve runs the scheduler for this database; this process serves the API "
            "only (set TOLLWATCH_SCHEDULER=false for API replicas)"
        )
        return None
    every = poll_every_seconds or settings.poll_every_seconds
    scheduler = TollwatchScheduler(
        job_defaults={
            "coalesce": True,  # a late run replaces the missed ones
            "max_instances": 1,
            "misfire_grace_time": 60,  # the 1 s default silently skips runs when the loop is busy
        }
    )
    scheduler.role, scheduler.database_url = role, settings.database_url
    polling.STOPPING.clear()
    try:
        spread = polling.spread_due_sources()
        if spread:
            log.info("start-up jitter: %d due source(s) spread over %g s", spread, settings.startup_jitter_seconds)
    except Exception:
        log.exception("start-up jitter failed")
    scheduler.add_job(poll_job, "interval", seconds=every, args=[role], id="poll", next_run_time=utcnow())
    scheduler.add_job(send_job, "interval", seconds=1, id="send", next_run_time=utcnow())
    scheduler.add_job(
        retention_job,
        "interval",
        seconds=settings.retention_every_seconds,
        id="retention",
        next_run_time=utcnow() + dt.timedelta(seconds=30),
    )
    scheduler.start()
    _heartbeat(role)
    log.info("scheduler started", extra={"role": role, "worker": WORKER_ID})
    return scheduler
