"""A `tollwatch worker` killed with SIGKILL mid-delivery and restarted still delivers every alert, at least once,
with the same webhook-id — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from sqlmodel import Session, select

from db.models import Delivery
from tests.conftest import REPO
from tests.test_alerting_helpers import Receiver, add_endpoint, add_rule, add_source, aleppo, report

pytestmark = pytest.mark.slow


def _start_worker(database_url: str, log_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TOLLWATCH_DATABASE_URL": database_url,
        "TOLLWATCH_WEBHOOK_LEASE_SECONDS": "6",
        "TOLLWATCH_ALLOW_PRIVATE_URLS": "true",
        "TOLLWATCH_DEMO_SOURCE": "false",
        "TOLLWATCH_LOG_JSON": "false",
        "TOLLWATCH_WEBHOOK_TOTAL_TIMEOUT": "4",
        "TOLLWATCH_WEBHOOK_TIMEOUT": "4",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker"],
        cwd=REPO,
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_sigkill_mid_delivery_then_restart_delivers_everything(database_url, engine, tmp_path):
    receiver = Receiver()
    release = threading.Event()
    hung: list[str] = []

    def respond(n, message_id, payload):
        if n == 1 and len(hung) < 3:  # the first three deliveries hang: the worker is killed meanwhile
            hung.append(message_id)

            def hang(handler):
                release.wait(120)
                try:
                    handler.send_response(200)
                    handler.send_header("Content-Length", "0")
                    handler.end_headers()
                except OSError:
                    pass

            return hang
        return 200

    receiver.respond = respond
    with Session(engine, expire_on_commit=False) as session:
        endpoint = add_endpoint(session, receiver.url)
        receiver.secret = endpoint.secret
        add_rule(session, {"type": "new"}, {}, [endpoint.id])
        source = add_source(session)
        for i in range(12):
            report(session, source, aleppo(10 + i))
        ids = {d.message_id for d in session.exec(select(Delivery))}
    assert len(ids) == 12
    log = tmp_path / "worker.log"
    worker = _start_worker(database_url, log)
    try:
        assert receiver.wait_for(lambda: len(hung) == 3, 60), log.read_text()
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        with Session(engine) as session:
            leased = session.exec(select(Delivery).where(Delivery.lease_owner.is_not(None))).all()
            assert {d.message_id for d in leased} >= set(hung)  # in flight when the process died
        worker = _start_worker(database_url, log)

        def delivered():
            return {e["id"] for e in receiver.accepted()} >= ids

        assert receiver.wait_for(delivered, 90), log.read_text()[-3000:]

        def all_succeeded() -> bool:
            with Session(engine) as session:
                return {d.status for d in session.exec(select(Delivery)).all()} == {"succeeded"}

        assert receiver.wait_for(all_succeeded, 30)
    finally:
        release.set()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        receiver.close()
    assert all(e["verified"] for e in receiver.complete()), [e for e in receiver.complete() if not e["verified"]]
    for message_id in hung:  # re-sent after the crash with the same webhook-id
        assert receiver.counts[message_id] >= 2
        assert any(e["id"] == message_id and e.get("status") == 200 for e in receiver.log)
    assert {e["id"] for e in receiver.accepted()} == ids
