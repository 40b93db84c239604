"""`tollwatch worker`: the scheduler without the API. Several may run against one PostgreSQL.

SIGTERM / SIGINT: stop claiming sources, finish or give back the ones in hand, release every lease
this process holds, then exit. (SIGKILL cannot be caught: the leases then expire after
`lease_seconds` and another worker redoes the work; the unique constraints keep it exactly once.)
"""

from __future__ import annotations

import logging
import signal
import threading

from prometheus_client import start_http_server

from service.core.database import migrate
from service.core.logs import configure_logging
from service.core.settings import get_settings
from service.ingest import polling
from service.jobs import scheduler

log = logging.getLogger("tollwatch.worker")


def run_worker() -> int:
    """Run the scheduler without the API until SIGTERM/SIGINT; the exit status."""
    configure_logging()
    migrate()
    stop = threading.Event()

    def _stop(*_):
        polling.STOPPING.set()  # in-flight polls see it at once
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stop)
    port = get_settings().worker_metrics_port
    if port:
        start_http_server(port, addr=get_settings().host)  # this worker's own counters
        log.info("metrics on %s:%s", get_settings().host, port)
    sched = scheduler.start("worker")
    stop.wait()
    log.info("stopping: finishing or releasing the work in hand")
    sched.shutdown(wait=True)
    log.info("stopped")
    return 0
