"""Defects a new user met, each pinned: deleting a never-working source, file:// through the API, Location
on 201, X-Request-ID on a 500, /docs without a CDN, dead workers' heartbeats, one settings path for the CLI
and the server, the demo feed's Content-Type, and the doubled "refused: refused:"."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from db.models import Article, Fact, PollLog, SchedulerHeartbeat, Source, utcnow
from tests.conftest import API_KEY_HEADERS

TOLLWATCH = [sys.executable, "-m", "service.cli"]
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><guid>x1</guid><title>Quiet day</title><description>Nothing happened.</description></item>
</channel></rss>"""


def test_a_never_working_source_can_be_deleted(live_api, database_url, local_server):
    local_server.route("/missing.xml", b"no", status=404)
    made = httpx.post(
        f"{live_api}/api/v1/sources", json={"url": local_server.url("/missing.xml")}, headers=API_KEY_HEADERS
    )
    assert made.status_code == 201, made.text
    source_id = made.json()["id"]
    polled = httpx.post(f"{live_api}/api/v1/sources/{source_id}/poll", headers=API_KEY_HEADERS, timeout=60)
    assert polled.json()["outcome"] == "error"
    resp = httpx.delete(f"{live_api}/api/v1/sources/{source_id}", headers=API_KEY_HEADERS)
    assert resp.status_code == 204, resp.text  # was a 500: its poll log held a foreign key to it
    assert httpx.get(f"{live_api}/api/v1/sources/{source_id}").status_code == 404
    from db.engine import get_engine

    with Session(get_engine(database_url)) as session:
        assert session.exec(select(PollLog).where(PollLog.source_id == source_id)).all() == []


def test_a_source_with_articles_is_disabled_and_keeps_its_facts(live_api, database_url, local_server):
    from tests.test_api import add_facts

    [fact_id] = add_facts(database_url, [dict(value=7)], feed_name="Kept")
    from db.engine import get_engine

    with Session(get_engine(database_url)) as session:
        source_id = session.exec(select(Source.id).where(Source.name == "Kept")).one()
        session.add(PollLog(source_id=source_id, outcome="ok"))
        session.commit()
    assert httpx.delete(f"{live_api}/api/v1/sources/{source_id}", headers=API_KEY_HEADERS).status_code == 204
    source = httpx.get(f"{live_api}/api/v1/sources/{source_id}").json()
    assert source["enabled"] is False and source["status"] == "disabled"
    assert httpx.get(f"{live_api}/api/v1/facts/{fact_id}").json()["feed"]["id"] == source_id


def test_file_urls_are_refused_through_the_api_even_with_private_urls_allowed(live_api, settings_env, tmp_path):
    settings_env(allow_private_urls="true")
    feed = tmp_path / "feed.xml"
    feed.write_bytes(FEED)
    resp = httpx.post(f"{live_api}/api/v1/sources", json={"url": feed.as_uri()}, headers=API_KEY_HEADERS)
    assert resp.status_code == 422 and "scheme" in resp.json()["detail"], resp.text
    assert httpx.get(f"{live_api}/api/v1/sources").json()["items"] == []


def test_created_objects_have_a_location(live_api, local_server):
    made = httpx.post(f"{live_api}/api/v1/sources", json={"url": local_server.url("/a.xml")}, headers=API_KEY_HEADERS)
    assert made.status_code == 201
    assert made.headers["location"] == f"/api/v1/sources/{made.json()['id']}"
    assert httpx.get(live_api + made.headers["location"]).json()["id"] == made.json()["id"]
    hook = httpx.post(f"{live_api}/api/v1/webhooks", json={"url": local_server.url("/hook")}, headers=API_KEY_HEADERS)
    assert hook.status_code == 201 and hook.headers["location"] == f"/api/v1/webhooks/{hook.json()['id']}"
    rule = httpx.post(
        f"{live_api}/api/v1/alerts",
        headers=API_KEY_HEADERS,
        json={
            "name": "big",
            "filter": {"kind": "killed"},
            "condition": {"type": "threshold", "value": 10},
            "webhook_ids": [hook.json()["id"]],
        },
    )
    assert rule.status_code == 201 and rule.headers["location"] == f"/api/v1/alerts/{rule.json()['id']}"
    assert httpx.get(live_api + rule.headers["location"]).status_code == 200


def test_an_internal_error_carries_the_request_id(database_url, caplog):
    from service.web.app import create_app

    app = create_app(start_scheduler=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("broken on purpose")

    with TestClient(app) as client:
        resp = client.get("/boom", headers={"X-Request-ID": "trace-me-42"})
        fresh = client.get("/boom")
    assert resp.status_code == 500 and resp.headers["content-type"] == "application/problem+json"
    assert resp.headers["x-request-id"] == "trace-me-42"
    assert resp.json()["detail"] == "internal error; it has been logged" and "broken" not in resp.text
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["x-request-id"])
    assert any(getattr(r, "request_id", None) == "trace-me-42" and r.exc_info for r in caplog.records)


def test_docs_need_no_request_off_the_machine(live_api):
    page = httpx.get(f"{live_api}/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page.text)
    urls += re.findall(r"""url:\s*'([^']+)'""", page.text)
    assert urls and all(u.startswith("/") for u in urls), urls  # nothing from a CDN
    for url in urls:
        asset = httpx.get(live_api + url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
    assert "cdn" not in httpx.get(f"{live_api}/redoc").text.lower()


def test_dead_workers_leave_the_heartbeat_table(database_url):
    from db.engine import get_engine
    from service.ingest import polling
    from service.jobs import scheduler

    with Session(get_engine(database_url)) as session:
        session.add(SchedulerHeartbeat(worker="gone-1", role="worker", last_seen_at=utcnow() - dt.timedelta(hours=2)))
        session.add(SchedulerHeartbeat(worker="busy-1", role="worker", last_seen_at=utcnow() - dt.timedelta(minutes=5)))
        session.commit()
    scheduler._heartbeat("worker")
    with Session(get_engine(database_url)) as session:
        workers = set(session.exec(select(SchedulerHeartbeat.worker)).all())
    assert workers == {"busy-1", polling.WORKER_ID}
    sched = scheduler.start("worker", poll_every_seconds=3600)
    sched.shutdown(wait=True)  # a clean stop leaves at once
    with Session(get_engine(database_url)) as session:
        assert set(session.exec(select(SchedulerHeartbeat.worker)).all()) == {"busy-1"}


def _cli(args: list[str], cwd: Path, home: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    env.update(TOLLWATCH_HOME=str(home), TOLLWATCH_LOG_JSON="false", **extra)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return subprocess.run(TOLLWATCH + args, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_cli_opens_the_home_database_from_any_folder_and_says_which(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    proc = _cli(["sources", "list"], elsewhere, home, TOLLWATCH_DEMO_SOURCE="false")
    assert proc.returncode == 0, proc.stderr
    assert not (elsewhere / "data").exists()  # no stray empty database in the current folder
    assert (home / "data" / "tollwatch.db").is_file()
    assert f"SQLite file {home / 'data' / 'tollwatch.db'}" in proc.stderr


def test_cli_and_server_share_the_settings_file(tmp_path, local_server):
    """`tollwatch poll` reads TOLLWATCH_ALLOW_PRIVATE_URLS from the home's .env as the server does: a healthy
    loopback source is polled, not marked failing; without the setting the refusal says "refused:" once."""
    local_server.route("/feed.xml", FEED, headers={"Content-Type": "application/rss+xml"})
    home = tmp_path / "home"
    home.mkdir()
    (home / ".env").write_text("TOLLWATCH_DEMO_SOURCE=false\n")
    add = _cli(["sources", "add", local_server.url("/feed.xml")], tmp_path, home)
    assert add.returncode == 2 and "TOLLWATCH_ALLOW_PRIVATE_URLS" in add.stderr, add.stderr
    (home / ".env").write_text("TOLLWATCH_DEMO_SOURCE=false\nTOLLWATCH_ALLOW_PRIVATE_URLS=true\n")
    assert _cli(["sources", "add", local_server.url("/feed.xml")], tmp_path, home).returncode == 0
    proc = _cli(["poll"], tmp_path, home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"outcome": "ok"' in proc.stdout and str(home / ".env") in proc.stderr
    (home / ".env").write_text("TOLLWATCH_DEMO_SOURCE=false\n")
    refused = _cli(["poll"], tmp_path, home)
    assert refused.returncode == 1 and "refused:" in refused.stdout and "refused: refused" not in refused.stdout


def test_the_demo_feed_reads_as_a_well_formed_feed(database_url):
    from service.demo import DEMO_FEED
    from service.ingest.feeds import parse_feed
    from service.ingest.fetch import fetch

    got = fetch(DEMO_FEED.as_uri())
    feed = parse_feed(got.body, got.headers, got.url)
    assert feed.entries and feed.warning is None  # was "malformed feed …: no Content-type specified"
    from db.engine import get_engine
    from service.ingest.polling import poll_source_now

    with Session(get_engine(database_url)) as session:
        source = Source(name="demo", url=DEMO_FEED.as_uri())
        session.add(source)
        session.commit()
        source_id = source.id
    result = poll_source_now(source_id)
    assert result["outcome"] == "ok" and not result.get("error"), result
    with Session(get_engine(database_url)) as session:
        assert session.get(Source, source_id).last_error is None
        assert session.exec(select(Article)).first() is not None and session.exec(select(Fact)).first() is not None
