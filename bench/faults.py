"""Fault harness: serve + two workers on PostgreSQL against 100 local feeds and a
webhook receiver, while processes are SIGKILLed, PostgreSQL restarts once and the receiver fails
for a while. At the end every article must be stored exactly once, every fact once, and every
alert delivered at least once with a stable webhook-id. Prints the counts; exits 1 on a violation.

    .venv/bin/python bench/faults.py [--rounds 10] [--feeds 100] [--pg-admin-url URL] [--no-pg-restart]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from standardwebhooks import Webhook

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLACES = ["Aleppo", "Mosul", "Kabul", "Sanaa", "Goma", "Maiduguri", "Mogadishu", "Tripoli", "Idlib", "Khartoum"]
KEY = "faults-key"


class World:
    """The feeds (growing each round) and the webhook receiver, served on 127.0.0.1."""

    def __init__(self, feeds: int):
        self.items: dict[int, list[dict]] = {f: [] for f in range(feeds)}
        self.lock = threading.Lock()
        self.receiver_failing = False
        self.received: collections.Counter[str] = collections.Counter()
        self.bad_signatures = 0
        self.bad_reasons: list[str] = []
        self.truncated = 0  # requests cut off by a killed sender (they are retried with the same webhook-id)
        self.secret: str | None = None
        world = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _reply(self, status: int, body: bytes, ctype: str = "text/plain"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = self.path.strip("/").split("/")
                if parts[0] == "feed":
                    self._reply(200, world.feed_xml(int(parts[1])).encode(), "application/rss+xml")
                elif parts[0] == "article":
                    item = world.items[int(parts[1])][int(parts[2])]
                    html = f"<html><body><article><h1>{item['title']}</h1><p>{item['text']}</p></article></body></html>"
                    self._reply(200, html.encode(), "text/html; charset=utf-8")
                else:
                    self._reply(404, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the sender was SIGKILLed mid-request: no answer reaches it, it retries
                    world.truncated += 1
                    return
                if world.receiver_failing:
                    self._reply(503, b"down for maintenance")
                    return
                try:
                    Webhook(world.secret).verify(body, {k.lower(): v for k, v in self.headers.items()})
                except Exception as exc:
                    world.bad_signatures += 1
                    world.bad_reasons.append(f"{type(exc).__name__}: {exc}"[:200])
                    self._reply(400, b"bad signature")
                    return
                with world.lock:
                    world.received[self.headers["webhook-id"]] += 1
                self._reply(200, b"ok")

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # clients we SIGKILL reset their sockets
                pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add_items(self, round_no: int, per_feed: int) -> None:
        now = datetime.now(UTC)
        with self.lock:
            for feed, items in self.items.items():
                for _ in range(per_feed):
                    n = len(items)
                    place = PLACES[(feed + n) % len(PLACES)]
                    toll = 3 + (feed * 7 + n * 13 + round_no) % 90
                    items.append(
                        {
                            "title": f"Attack near {place} (feed {feed}, item {n})",
                            "text": f"Gunmen killed {toll} villagers near {place} on Monday, police said. "
                            f"At least {toll // 2 + 1} people were wounded. Report {feed}-{n}.",
                            "published": format_datetime(now - timedelta(minutes=n)),
                        }
                    )

    def feed_xml(self, feed: int) -> str:
        with self.lock:
            items = list(enumerate(self.items[feed]))
        entries = "".join(
            f"<item><guid>feed{feed}-item{n}</guid><title>{it['title']}</title>"
            f"<link>{self.url(f'/article/{feed}/{n}')}</link><pubDate>{it['published']}</pubDate>"
            f"<description>{it['text']}</description></item>"
            for n, it in items[-30:]
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>{entries}</channel></rss>'

    def total_items(self) -> int:
        return sum(len(v) for v in self.items.values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fleet:
    def __init__(self, env: dict, api_port: int, logdir: Path):
        self.env, self.api_port, self.logdir = env, api_port, logdir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        cmd = (
            [str(BIN / "tollwatch"), "serve", "--port", str(self.api_port)]
            if name == "serve"
            else [str(BIN / "tollwatch"), "worker"]
        )
        log = open(self.logdir / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=log, cwd=REPO)

    def kill(self, name: str) -> None:
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait()

    def stop_all(self) -> None:
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_api(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("serve did not come up")


def restart_postgres() -> None:
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--items-per-round", type=int, default=1)
    ap.add_argument("--round-seconds", type=float, default=8)
    ap.add_argument(
        "--pg-admin-url",
        default=os.environ.get("TOLLWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    ap.add_argument("--no-pg-restart", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    dbname = f"tw_faults_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.pg_admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    url = args.pg_admin_url.rsplit("/", 1)[0] + "/" + dbname

    world = World(args.feeds)
    world.add_items(0, args.items_per_round)
    api_port = free_port()
    logdir = Path(os.environ.get("TMPDIR", "/tmp")) / dbname
    logdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TOLLWATCH_DATABASE_URL": url,
        "TOLLWATCH_API_KEY": KEY,
        "TOLLWATCH_ALLOW_PRIVATE_URLS": "true",
        "TOLLWATCH_DEMO_SOURCE": "false",
        "TOLLWATCH_LEASE_SECONDS": "20",
        # the Standard Webhooks schedule, compressed from hours to seconds so the run ends
        "TOLLWATCH_WEBHOOK_RETRY_SCHEDULE": "[0, 2, 5, 10, 20, 30, 60]",
    }
    fleet = Fleet(env, api_port, logdir)
    fleet.start("serve")
    wait_api(api_port)
    api = httpx.Client(
        base_url=f"http://127.0.0.1:{api_port}/api/v1", headers={"Authorization": f"Bearer {KEY}"}, timeout=30
    )
    hook = api.post("/webhooks", json={"url": world.url("/hook"), "description": "fault harness"})
    hook.raise_for_status()
    world.secret = hook.json()["secret"]
    rule = api.post(
        "/alerts",
        json={
            "name": "every new toll",
            "filter": {"kind": "killed"},
            "condition": {"type": "new"},
            "webhook_ids": [hook.json()["id"]],
            "cooldown_minutes": 0,
        },
    )
    rule.raise_for_status()
    db = create_engine(url, pool_pre_ping=True)  # the harness restarts PostgreSQL under itself
    with db.begin() as conn:
        for feed in range(args.feeds):
            conn.execute(
                text(
                    "INSERT INTO sources (name, url, poll_interval_seconds, enabled, created_at, status, "
                    "consecutive_failures, items_seen, next_poll_at) VALUES (:n, :u, 2, true, now(), 'new', "
                    "0, 0, now())"
                ),
                {"n": f"feed {feed}", "u": world.url(f"/feed/{feed}")},
            )
    fleet.start("worker-1")
    fleet.start("worker-2")

    events = []
    pg_round = rng.randrange(3, max(4, args.rounds - 2))
    fail_round = rng.randrange(1, max(2, args.rounds - 1))
    for round_no in range(1, args.rounds + 1):
        world.add_items(round_no, args.items_per_round)
        time.sleep(args.round_seconds * rng.uniform(0.3, 0.9))
        victim = rng.choice(sorted(fleet.procs))
        fleet.kill(victim)
        events.append(f"round {round_no}: SIGKILL {victim}")
        if round_no == fail_round:
            world.receiver_failing = True
            events.append(f"round {round_no}: receiver answers 503")
        if round_no == fail_round + 2:
            world.receiver_failing = False
            events.append(f"round {round_no}: receiver recovers")
        if round_no == pg_round and not args.no_pg_restart:
            restart_postgres()
            events.append(f"round {round_no}: PostgreSQL restarted")
        time.sleep(1)
        fleet.start(victim)
        time.sleep(args.round_seconds * 0.3)
    world.receiver_failing = False

    expected = world.total_items()
    deadline = time.time() + 240
    while time.time() < deadline:
        with db.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM articles")).scalar()
            pending = conn.execute(text("SELECT count(*) FROM deliveries WHERE status <> 'succeeded'")).scalar()
        if stored >= expected and pending == 0:
            break
        time.sleep(2)
    time.sleep(3)
    fleet.stop_all()

    with db.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).scalar()  # noqa: E731
        counts = {
            "feeds": args.feeds,
            "items_served": expected,
            "articles": q("SELECT count(*) FROM articles"),
            "duplicate_articles": q(
                "SELECT count(*) FROM (SELECT guid FROM articles GROUP BY source_id, guid HAVING count(*) > 1) d"
            ),
            "facts": q("SELECT count(*) FROM facts"),
            "duplicate_facts": q(
                "SELECT count(*) FROM (SELECT 1 FROM facts GROUP BY article_id, kind, span_start, "
                "span_end HAVING count(*) > 1) d"
            ),
            "fact_count_mismatch": q(
                "SELECT count(*) FROM articles a WHERE a.fact_count <> "
                "(SELECT count(*) FROM facts f WHERE f.article_id = a.id)"
            ),
            "alerts": q("SELECT count(*) FROM alert_events"),
            "deliveries": q("SELECT count(*) FROM deliveries"),
            "deliveries_not_succeeded": q("SELECT count(*) FROM deliveries WHERE status <> 'succeeded'"),
        }
        ids = [r[0] for r in conn.execute(text("SELECT message_id FROM deliveries"))]
    counts["webhook_ids_received"] = len(world.received)
    counts["webhook_ids_never_received"] = sum(1 for i in ids if i not in world.received)
    counts["webhook_ids_received_twice_or_more"] = sum(1 for i in ids if world.received[i] > 1)
    counts["unknown_webhook_ids_received"] = len(set(world.received) - set(ids))
    counts["bad_signatures"] = world.bad_signatures
    counts["requests_cut_off_by_a_killed_sender"] = world.truncated
    print("\n".join(events))
    print(json.dumps(counts, indent=2))
    for reason in world.bad_reasons:
        print("bad signature:", reason)
    ok = (
        counts["articles"] == expected
        and counts["duplicate_articles"] == 0
        and counts["duplicate_facts"] == 0
        and counts["fact_count_mismatch"] == 0
        and counts["deliveries_not_succeeded"] == 0
        and counts["webhook_ids_never_received"] == 0
        and counts["unknown_webhook_ids_received"] == 0
        and counts["bad_signatures"] == 0
        and counts["alerts"] > 0
    )
    print("RESULT:", "PASS" if ok else "FAIL", f"(logs in {logdir})")
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
