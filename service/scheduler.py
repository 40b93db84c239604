"""The embedded scheduler (APScheduler 3): polling and webhook sending, in `serve` and `worker`.

APScheduler 3's job store cannot be shared between processes, so each process keeps its own
in-memory schedule and the database leases decide who does which work. API replicas run with
TOLLWATCH_SCHEDULER=off.
"""
from __future__ import annotations

import logging
import time

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import Session

from db.engine import get_engine
from db.models import SchedulerHeartbeat, utcnow
from service import polling, webhooks

log = logging.getLogger("tollwatch.scheduler")


def _heartbeat(role: str, cycle_ms: float | None = None) -> None:
    with Session(get_engine()) as session:
        row = session.get(SchedulerHeartbeat, polling.WORKER_ID) or SchedulerHeartbeat(
            worker=polling.WORKER_ID, role=role)
        row.last_seen_at = utcnow()
        if cycle_ms is not None:
            row.last_cycle_at, row.last_cycle_ms = utcnow(), cycle_ms
        session.add(row)
        session.commit()


def poll_job(role: str) -> None:
    t0 = time.perf_counter()
    try:
        polling.run_cycle()
    except Exception:  # a job that raises would only be logged by APScheduler; keep the loop alive
        log.exception("poll cycle failed")
    _heartbeat(role, (time.perf_counter() - t0) * 1000)


def send_job() -> None:
    try:
        while webhooks.send_due():
            pass
    except Exception:
        log.exception("webhook sending failed")


def start(role: str, poll_every_seconds: float = 5.0) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(job_defaults={
        "coalesce": True,          # a late run replaces the missed ones
        "max_instances": 1,
        "misfire_grace_time": 60,  # the 1 s default silently skips runs when the loop is busy
    })
    scheduler.add_job(poll_job, "interval", seconds=poll_every_seconds, args=[role], id="poll",
                      next_run_time=utcnow())
    scheduler.add_job(send_job, "interval", seconds=1, id="send", next_run_time=utcnow())
    scheduler.start()
    _heartbeat(role)
    log.info("scheduler started", extra={"role": role, "worker": polling.WORKER_ID})
    return scheduler
