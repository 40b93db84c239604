"""Webhook delivery against real receivers on 127.0.0.1: retries, 410, Retry-After, hostile receivers, leases, API."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import threading
import time

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, select
from standardwebhooks import Webhook

from db.models import Delivery, DeliveryAttempt, WebhookEndpoint, utcnow
from tests.conftest import API_KEY_HEADERS
from tests.test_alerting_helpers import add_endpoint, add_rule, add_source, aleppo, deliver, report

FAST = {"webhook_retry_schedule": "[0, 0.05, 0.05, 0.05, 0.05]", "webhook_retry_jitter": "0"}


@pytest.fixture
def fast(database_url, settings_env):
    settings_env(**FAST)


def _alerts(session, receiver, n: int, endpoint: WebhookEndpoint | None = None) -> WebhookEndpoint:
    endpoint = endpoint or add_endpoint(session, receiver.url)
    receiver.secret = endpoint.secret
    add_rule(session, {"type": "new"}, {}, [endpoint.id])
    source = add_source(session)
    for i in range(n):
        report(session, source, aleppo(100 + i))
    return endpoint


def _deliveries(session) -> list[Delivery]:
    session.expire_all()
    return list(session.exec(select(Delivery).order_by(Delivery.id)))


def test_receiver_down_then_recovering_gets_every_alert_once(session, receiver, fast):
    receiver.respond = lambda n, mid, payload: {1: 503, 2: "drop"}.get(n, 200)
    endpoint = _alerts(session, receiver, 6)
    deliver(horizon=2)
    rows = _deliveries(session)
    assert len(rows) == 6 and {d.status for d in rows} == {"succeeded"} and {d.attempts for d in rows} == {3}
    accepted = receiver.accepted()
    assert sorted(e["id"] for e in accepted) == sorted(d.message_id for d in rows)  # each delivery id once
    assert all(e["verified"] for e in receiver.log)
    assert all(receiver.counts[d.message_id] == 3 for d in rows)  # same webhook-id on every attempt
    for d in rows:
        attempts = session.exec(
            select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == d.id).order_by(DeliveryAttempt.id)
        ).all()
        assert [a.response_code for a in attempts] == [503, None, 200]
        assert attempts[1].error and attempts[0].latency_ms is not None
    session.refresh(endpoint)
    assert endpoint.enabled and endpoint.failing_since is None


def test_receiver_not_listening_then_moved(session, receiver, fast, settings_env):
    from tests.conftest import free_port

    # The first retry a second later (not 0.05 s): on a loaded machine one pass of `deliver` can outlast a
    # short delay, and would then retry until the schedule is exhausted instead of leaving the rows pending.
    settings_env(webhook_retry_schedule="[0, 1, 1, 1, 1]")
    endpoint = add_endpoint(session, f"http://127.0.0.1:{free_port()}/hook")
    _alerts(session, receiver, 2, endpoint)
    deliver()
    rows = _deliveries(session)
    assert {d.status for d in rows} == {"pending"} and all("ConnectError" in d.error for d in rows)
    session.refresh(endpoint)
    assert endpoint.failing_since is not None
    endpoint.url = receiver.url
    session.add(endpoint)
    session.commit()
    deliver(horizon=2)
    assert {d.status for d in _deliveries(session)} == {"succeeded"}
    assert len(receiver.accepted()) == 2


def test_gone_disables_endpoint_and_holds_the_rest(session, receiver, fast):
    receiver.respond = lambda n, mid, payload: 410
    endpoint = add_endpoint(session, receiver.url)
    receiver.secret = endpoint.secret
    add_rule(session, {"type": "new"}, {}, [endpoint.id])
    source = add_source(session)
    report(session, source, aleppo(1))
    deliver()
    first = _deliveries(session)[0]
    assert first.status == "failed" and first.attempts == 1 and "410" in first.error
    session.refresh(endpoint)
    assert not endpoint.enabled and "410" in endpoint.disabled_reason
    report(session, source, aleppo(2))  # held while the endpoint is disabled
    deliver()
    assert _deliveries(session)[1].status == "pending" and len(receiver.log) == 1


def test_retry_after_is_honoured(session, receiver, fast):
    def when(s):
        return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=s)).strftime("%a, %d %b %Y %H:%M:%S GMT")

    receiver.respond = lambda n, mid, payload: (
        (429, {"Retry-After": "30"}, b"slow down")
        if payload["data"]["fact"]["value"] == 100
        else (503, {"Retry-After": when(120)}, b"maintenance")
    )
    _alerts(session, receiver, 2)
    deliver()
    rows = _deliveries(session)
    assert [d.response_code for d in rows] == [429, 503] and {d.status for d in rows} == {"pending"}
    waits = [(d.next_attempt_at - d.last_attempt_at).total_seconds() for d in rows]
    assert 29 <= waits[0] <= 31 and 100 <= waits[1] <= 121  # not the 0.05 s of the schedule
    assert rows[0].response_body == "slow down"


def test_schedule_exhausted_then_manual_retry(live_api, receiver, settings_env, engine):
    settings_env(webhook_retry_schedule="[0, 0.05, 0.05]", webhook_retry_jitter="0")
    receiver.respond = lambda n, mid, payload: 500
    with Session(engine, expire_on_commit=False) as session:
        _alerts(session, receiver, 1)
        deliver(horizon=2)
        (d,) = _deliveries(session)
        assert d.status == "failed" and d.attempts == 3 and d.next_attempt_at is None
    receiver.respond = lambda n, mid, payload: 200
    with httpx.Client(base_url=live_api, timeout=10) as api:
        listed = api.get("/api/v1/deliveries", params={"status": "failed"}).json()["items"]
        assert [x["id"] for x in listed] == [d.id] and listed[0]["response_code"] == 500
        assert api.post(f"/api/v1/deliveries/{d.id}/retry").status_code == 401
        retried = api.post(f"/api/v1/deliveries/{d.id}/retry", headers=API_KEY_HEADERS)
        assert retried.status_code == 202 and retried.json()["status"] == "pending"
        deliver()
        detail = api.get(f"/api/v1/deliveries/{d.id}").json()
        assert detail["status"] == "succeeded" and detail["attempts"] == 4
        assert [a["response_code"] for a in detail["attempt_log"]] == [500, 500, 500, 200]
        assert api.post("/api/v1/deliveries/99999/retry", headers=API_KEY_HEADERS).status_code == 404
    assert {e["id"] for e in receiver.log} == {d.message_id}  # one webhook-id throughout


def test_endpoint_failing_for_a_day_is_disabled(session, receiver, fast):
    receiver.respond = lambda n, mid, payload: 500
    endpoint = _alerts(session, receiver, 1)
    deliver()
    session.refresh(endpoint)
    assert endpoint.enabled and endpoint.failing_since is not None
    session.exec(update(WebhookEndpoint).values(failing_since=utcnow() - dt.timedelta(hours=25)))
    session.commit()
    deliver(horizon=1)
    session.refresh(endpoint)
    assert not endpoint.enabled and "failing since" in endpoint.disabled_reason


def test_hostile_receivers_cost_bounded_time_and_memory(session, settings_env, database_url, local_server):
    settings_env(webhook_total_timeout="1.5", webhook_timeout="1", webhook_retry_schedule="[0, 60]")
    release = threading.Event()
    sent = {"huge": 0}

    def hang(h):
        release.wait(30)

    def huge(h):  # claims 100 MB and streams it
        h.send_response(200)
        h.send_header("Content-Length", str(100 * 1024 * 1024))
        h.end_headers()
        chunk = b"x" * 65536
        try:
            while sent["huge"] < 100 * 1024 * 1024:
                h.wfile.write(chunk)
                sent["huge"] += len(chunk)
        except OSError:
            pass

    def trickle(h):  # a byte of header every 0.1 s, for a minute
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        h.wfile.flush()
        try:
            for _ in range(600):
                if release.is_set():
                    return
                h.wfile.write(b"X")
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    routes = {"hang": hang, "huge": huge, "trickle": trickle}
    for name, handler in routes.items():
        local_server.route(f"/{name}", handler=handler)
    local_server.route("/redirect", status=307, headers={"Location": local_server.url("/elsewhere")})
    local_server.route("/elsewhere", "ok")
    endpoints = {name: add_endpoint(session, local_server.url(f"/{name}")) for name in [*routes, "redirect"]}
    add_rule(session, {"type": "new"}, {}, [e.id for e in endpoints.values()])
    report(session, add_source(session), aleppo(7))
    t0 = time.monotonic()
    try:
        deliver(timeout=60)
    finally:
        release.set()
    print(f"four hostile receivers handled in {time.monotonic() - t0:.1f} s")
    rows = {d.endpoint_id: d for d in _deliveries(session)}
    by = {name: rows[e.id] for name, e in endpoints.items()}
    assert by["hang"].status == "pending" and "timeout" in by["hang"].error.lower()
    assert by["trickle"].status == "pending" and "deadline" in by["trickle"].error.lower()
    assert by["huge"].status == "succeeded" and len(by["huge"].response_body) == 2048
    assert sent["huge"] < 20 * 1024 * 1024  # the sender hung up long before 100 MB
    assert by["redirect"].status == "pending" and by["redirect"].response_code == 307
    assert not [r for r in local_server.requests if r["path"] == "/elsewhere"]  # redirects are not followed


def test_private_addresses_refused_at_send_time(session, receiver, settings_env, database_url):
    endpoint = _alerts(session, receiver, 1)  # accepted while private URLs were allowed …
    settings_env(allow_private_urls="false")  # … then the guard is on: the connection is refused
    deliver()
    (d,) = _deliveries(session)
    assert d.status == "pending" and "non-public" in d.error and receiver.log == []
    assert endpoint.id == d.endpoint_id


def test_concurrent_claims_never_overlap(session, engine):
    from service.alerting.outbox import claim

    endpoint = add_endpoint(session, "http://127.0.0.1:9/hook")
    for i in range(200):
        session.add(Delivery(endpoint_id=endpoint.id, message_id=f"msg_{i}", payload={}))
    session.commit()
    got: list[list[int]] = []
    lock, start = threading.Lock(), threading.Barrier(4)

    def worker():
        start.wait()
        while True:
            _, ids = claim(engine, 7)
            if not ids:
                return
            with lock:
                got.append(ids)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    flat = [i for ids in got for i in ids]
    assert len(flat) == len(set(flat)) == 200


def test_api_webhooks_rules_ping(live_api, receiver, engine, caplog, settings_env):
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=live_api, timeout=10, headers=API_KEY_HEADERS) as api:
        assert httpx.post(live_api + "/api/v1/webhooks", json={"url": receiver.url}).status_code == 401
        created = api.post("/api/v1/webhooks", json={"url": receiver.url, "description": "ops"})
        assert created.status_code == 201, created.text
        hook = created.json()
        secret = hook["secret"]
        assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
        receiver.secret = secret
        hook_id = hook["id"]
        assert "secret" not in api.get(f"/api/v1/webhooks/{hook_id}").json()
        assert all("secret" not in h for h in api.get("/api/v1/webhooks").json()["items"])
        assert api.post("/api/v1/webhooks", json={"url": "ftp://example.org/x"}).status_code == 422

        ping = api.post(f"/api/v1/webhooks/{hook_id}/test")
        assert ping.status_code == 200 and ping.json()["status"] == "succeeded", ping.text
        assert receiver.accepted()[0]["payload"]["type"] == "webhook.test"

        rule = {
            "name": "Syria ≥ 50",
            "filter": {"kind": "killed", "country": "SY"},
            "condition": {"type": "threshold", "value": 50},
            "webhook_ids": [hook_id],
            "cooldown_minutes": 0,
        }
        made = api.post("/api/v1/alerts", json=rule)
        assert made.status_code == 201, made.text
        rule_id = made.json()["id"]
        assert made.json()["condition"] == {"type": "threshold", "value": 50}
        for bad in (
            {**rule, "webhook_ids": [9999]},
            {**rule, "filter": {"kind": "exploded"}},
            {**rule, "condition": {"type": "increase", "window_hours": 5}},
            {**rule, "condition": {"type": "sometimes"}},
            {**rule, "cooldown_minutes": -1},
        ):
            resp = api.post("/api/v1/alerts", json=bad)
            assert resp.status_code == 422 and resp.headers["content-type"].startswith("application/problem+json")
        patched = api.patch(f"/api/v1/alerts/{rule_id}", json={"condition": {"type": "increase", "by": 5}})
        assert patched.json()["condition"] == {"type": "increase", "by": 5, "window_hours": 72}
        api.patch(f"/api/v1/alerts/{rule_id}", json={"condition": rule["condition"]})

        with Session(engine, expire_on_commit=False) as session:
            report(session, add_source(session), aleppo(60))
        deliver()
        fired = receiver.payloads()
        assert len(fired) == 1 and fired[0]["data"]["rule"]["id"] == rule_id
        events = api.get(f"/api/v1/alerts/{rule_id}/events").json()["items"]
        assert len(events) == 1 and events[0]["payload"] == fired[0]
        listed = api.get("/api/v1/deliveries", params={"rule_id": rule_id}).json()["items"]
        assert len(listed) == 1 and listed[0]["status"] == "succeeded" and listed[0]["latency_ms"] is not None
        assert listed[0]["event_type"] == "alert.fired"
        assert api.get("/api/v1/deliveries", params={"endpoint_id": hook_id, "limit": 1}).json()["next_cursor"]

        disabled = api.patch(f"/api/v1/webhooks/{hook_id}", json={"enabled": False}).json()
        assert disabled["status"] == "disabled"
        assert api.post(f"/api/v1/webhooks/{hook_id}/test").status_code == 409
        assert api.delete(f"/api/v1/webhooks/{hook_id}").status_code == 204
        assert api.get(f"/api/v1/alerts/{rule_id}").json()["webhook_ids"] == []
        assert api.delete(f"/api/v1/alerts/{rule_id}").status_code == 204
        assert api.get(f"/api/v1/alerts/{rule_id}").status_code == 404
    assert secret not in caplog.text  # never logged
    assert all(e["verified"] for e in receiver.log)


def test_signature_verifies_only_with_the_right_secret():
    from service.alerting.webhooks import new_secret, serialize, sign_headers

    secret, body = new_secret(), serialize({"type": "alert.fired", "data": {"x": "é"}})
    headers = sign_headers(secret, "msg_1", body)
    assert Webhook(secret).verify(body, headers) == {"type": "alert.fired", "data": {"x": "é"}}
    with pytest.raises(Exception):
        Webhook(new_secret()).verify(body, headers)


def test_fast_path_sends_on_commit_without_a_tick(session, receiver, database_url):
    """With a sender running in the process, deliveries are created leased to it and sent right after the commit."""
    from service.alerting import dispatch

    endpoint = add_endpoint(session, receiver.url)
    receiver.secret = endpoint.secret
    add_rule(session, {"type": "new"}, {}, [endpoint.id])
    source = add_source(session)
    dispatch.send_due()  # what the scheduler does every second
    try:
        report(session, source, aleppo(1), aleppo(2))
        assert receiver.wait_for(lambda: len(receiver.accepted()) == 2, 30)
        assert dispatch.drain(30)
        rows = _deliveries(session)
        assert {d.status for d in rows} == {"succeeded"} and {d.lease_owner for d in rows} == {None}
        assert all(e["verified"] for e in receiver.log) and len(receiver.log) == 2
    finally:
        dispatch._sender_seen = 0.0


def test_fast_path_never_sends_what_was_rolled_back(session, receiver, database_url):
    """A savepoint rolled back, or a transaction rolled back before the session commits something else (a poll
    that fails records its health after the rollback): the deliveries created there are never sent."""
    from service.alerting import dispatch

    endpoint = add_endpoint(session, receiver.url)
    receiver.secret = endpoint.secret
    add_rule(session, {"type": "new"}, {}, [endpoint.id])
    source = add_source(session)
    dispatch.send_due()
    try:
        source.name = "busy"  # a write first, as the poller does
        session.add(source)
        session.flush()
        try:
            with session.begin_nested():
                report(session, source, aleppo(1), commit=False)
                raise RuntimeError("the article's savepoint fails after the rules ran")
        except RuntimeError:
            pass
        report(session, source, aleppo(2), commit=False)
        session.rollback()  # the whole poll rolled back …
        source = session.get(type(source), source.id)
        source.name = "health recorded"  # … then its health committed
        session.add(source)
        session.commit()
        report(session, source, aleppo(3))  # and a real alert, to know when to stop waiting
        assert receiver.wait_for(lambda: len(receiver.accepted()) == 1, 30)
        assert dispatch.drain(30)
        time.sleep(0.3)
        assert [e["payload"]["data"]["fact"]["value"] for e in receiver.log] == [3]
        assert len(_deliveries(session)) == 1
    finally:
        dispatch._sender_seen = 0.0
