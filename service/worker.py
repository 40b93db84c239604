"""`tollwatch worker`: the scheduler without the API. Several may run against one PostgreSQL."""
from __future__ import annotations

import logging
import signal
import threading

from db.migrate import upgrade
from service.logs import configure_logging

log = logging.getLogger("tollwatch.worker")


def run_worker() -> int:
    configure_logging()
    upgrade()
    from service import scheduler
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    sched = scheduler.start("worker")
    stop.wait()
    log.info("stopping: finishing the work in hand")
    sched.shutdown(wait=True)
    return 0
