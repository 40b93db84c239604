"""Alert latency and delivery throughput, end to end, on a real receiver on 127.0.0.1.

    .venv/bin/python bench/alerts.py                      # SQLite in a temporary directory
    .venv/bin/python bench/alerts.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_alerts

Phase 1 (latency, poller busy): the embedded scheduler runs as in `tollwatch worker` (poll job + send job) and an
extra thread polls local feeds non-stop, each poll bringing fresh articles full of figures (extraction, inserts,
commits). Meanwhile a writer commits one matching fact every `--interval` s through the poller's own store
(service.ingest.store.store_articles, which evaluates the rules in the same transaction). Latency = time the
receiver finished answering 200 − time the commit returned.

Phase 2 (throughput): one commit creates `--burst` alerts; deliveries/s = burst / time until the receiver has
answered them all. Every request's signature is verified with standardwebhooks; none may be missing or doubled.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCES = [
    "At least {a} people were killed and {b} injured when shelling hit a market in Idlib on Monday, "
    "the Syrian Observatory for Human Rights said.",
    "Officials said {c} people remain missing after floods swept through villages near Sylhet.",
    "More than {d} families have been displaced by the fighting, the United Nations said on Tuesday.",
    "Police arrested {e} protesters in Nairobi, where the district is home to {f} people.",
]


class Feeds:
    """Feeds that always have new items (fresh GUIDs and text), so every poll stores and extracts articles."""

    def __init__(self, items: int):
        self.items, self.counter, self.lock = items, 0, threading.Lock()
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                body = feeds.render().encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def render(self) -> str:
        items = []
        for _ in range(self.items):
            with self.lock:
                self.counter += 1
                n = self.counter
            text = " ".join(
                s.format(a=n % 90 + 3, b=n % 40 + 5, c=n % 30 + 2, d=n % 900 + 100, e=n % 50 + 4, f=n * 7 + 1000)
                for s in SENTENCES
            )
            items.append(
                f"<item><guid>bench-{n}</guid><title>Update {n}</title>"
                f"<link>{self.base}/a/{n}</link><description>{text} (report {n})</description></item>"
            )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench wire</title>'
            + "".join(items)
            + "</channel></rss>"
        )


class Receiver:
    def __init__(self):
        self.secret = None
        self.received: dict[str, float] = {}
        self.duplicates = self.bad = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                from standardwebhooks import Webhook

                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    Webhook(receiver.secret).verify(body, {k.lower(): v for k, v in self.headers.items()})
                    status = 200
                except Exception:
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.wfile.flush()
                done = time.time()
                with receiver.lock:
                    if status != 200:
                        receiver.bad += 1
                    elif self.headers["webhook-id"] in receiver.received:
                        receiver.duplicates += 1
                    else:
                        receiver.received[self.headers["webhook-id"]] = done

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 256
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--alerts", type=int, default=100, help="matching facts committed in phase 1")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between them")
    parser.add_argument("--feeds", type=int, default=8)
    parser.add_argument("--items", type=int, default=15, help="new items per feed per poll")
    parser.add_argument("--burst", type=int, default=1000, help="alerts committed at once in phase 2")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tollwatch-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    os.environ.update(
        TOLLWATCH_DATABASE_URL=url,
        TOLLWATCH_ALLOW_PRIVATE_URLS="true",
        TOLLWATCH_DEMO_SOURCE="false",
        TOLLWATCH_LOG_LEVEL="WARNING",
        TOLLWATCH_LOG_JSON="false",
        TOLLWATCH_FETCH_ARTICLE_PAGES="false",
    )
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)

    from sqlalchemy import func
    from sqlmodel import Session, select

    from db.models import AlertRule, Article, Delivery, Source, WebhookEndpoint, utcnow
    from extractors import FactBase
    from service.alerting import dispatch, webhooks
    from service.core.database import get_engine, migrate
    from service.core.settings import get_settings
    from service.ingest import polling
    from service.ingest.store import Prepared, store_articles
    from service.jobs import scheduler

    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        admin_url, name = url.rsplit("/", 1)
        admin = create_engine(admin_url + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    migrate()
    engine = get_engine()
    feeds, receiver = Feeds(args.items), Receiver()
    with Session(engine, expire_on_commit=False) as session:
        endpoint = WebhookEndpoint(url=receiver.url, secret=webhooks.new_secret())
        session.add(endpoint)
        session.commit()
        receiver.secret = endpoint.secret
        rule = AlertRule(
            name="bench",
            filter={"kind": "killed", "location": "Benchville"},
            condition={"type": "new"},
            webhook_ids=[endpoint.id],
            cooldown_minutes=0,
        )
        session.add(rule)
        for i in range(args.feeds):
            session.add(Source(name=f"feed{i}", url=f"{feeds.base}/feed/{i}.xml", poll_interval_seconds=1))
        bench_source = Source(name="bench-writer", url=f"{feeds.base}/writer.xml", enabled=False)
        session.add(bench_source)
        session.commit()
        source_id = bench_source.id

    commit_at: dict[str, float] = {}
    counter = [0]

    def commit_facts(n: int) -> None:
        """One article with n matching facts (distinct values), stored and committed as the poller does."""
        with Session(engine, expire_on_commit=False) as session:
            counter[0] += 1
            found = [
                FactBase(
                    kind="killed",
                    value=counter[0] * 100000 + i,
                    location="Benchville",
                    span_start=0,
                    span_end=1,
                    sentence="bench",
                )
                for i in range(n)
            ]
            item = Prepared(
                key=f"bench-{counter[0]}-{time.time_ns()}",
                guid=None,
                url=None,
                canonical_url=None,
                title="Benchville",
                text="…",
                text_origin="feed",
                published_at=None,
                outlet="bench",
                content_hash=None,
                fetched_at=utcnow(),
                facts=found,
            )
            [stored] = store_articles(session, session.get(Source, source_id), [item])
            session.commit()
            done = time.time()
            ids = session.exec(
                select(Delivery.message_id).where(Delivery.event_id.in_([e.id for e in stored.alerts]))
            ).all()
        for mid in ids:
            commit_at[mid] = done

    # --- phase 1 ---------------------------------------------------------------------------------------
    stop = threading.Event()
    polled = [0]

    def busy_poller():
        while not stop.is_set():
            try:
                polled[0] += len(polling.run_cycle(force=True))
            except Exception as exc:  # keep the load on
                print("poll error:", exc, file=sys.stderr)

    sched = (
        scheduler.start("worker", poll_every_seconds=1.0)
        if "poll_every_seconds" in scheduler.start.__code__.co_varnames
        else scheduler.start("worker")
    )
    poller = threading.Thread(target=busy_poller, daemon=True)
    poller.start()
    time.sleep(2)  # let the poller get going
    with Session(engine) as session:
        articles_before = session.exec(select(func.count()).select_from(Article)).one()
    t0 = time.time()
    for _ in range(args.alerts):
        commit_facts(1)
        time.sleep(args.interval)
    deadline = time.time() + 30
    while time.time() < deadline and not set(commit_at) <= set(receiver.received):
        time.sleep(0.05)
    busy_seconds = time.time() - t0
    with Session(engine) as session:
        articles_after = session.exec(select(func.count()).select_from(Article)).one()
    stop.set()
    poller.join(60)
    latencies = [(receiver.received[m] - commit_at[m]) * 1000 for m in commit_at if m in receiver.received]
    missing = len(commit_at) - len(latencies)
    db_kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"database: {db_kind}; webhook_concurrency={get_settings().webhook_concurrency}")
    print(
        f"phase 1: {len(commit_at)} alerts while the poller stored "
        f"{(articles_after - articles_before) / busy_seconds:.1f} articles/s "
        f"({articles_after - articles_before} articles, {polled[0]} polls)"
    )
    print(
        f"  latency commit → receiver's 200: p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {pct(latencies, 95):.0f} ms, max {max(latencies):.0f} ms; missing {missing}, "
        f"duplicates {receiver.duplicates}, bad signatures {receiver.bad}"
    )

    # --- phase 2 ---------------------------------------------------------------------------------------
    time.sleep(1)
    before = set(receiver.received)
    t0 = time.time()
    commit_facts(args.burst)
    t_commit = time.time()
    burst_ids = set(commit_at) - before
    deadline = time.time() + 300
    while time.time() < deadline and not burst_ids <= set(receiver.received):
        time.sleep(0.01)
    got = [receiver.received[m] for m in burst_ids if m in receiver.received]
    span = max(got) - t_commit if got else float("nan")
    print(
        f"phase 2: {args.burst} alerts in one commit ({(t_commit - t0) * 1000:.0f} ms to evaluate and commit): "
        f"{len(got)} delivered in {span:.2f} s = {len(got) / span:.0f} deliveries/s; "
        f"missing {len(burst_ids) - len(got)}, duplicates {receiver.duplicates}"
    )
    sched.shutdown(wait=True)  # interrupts the cycle in hand; none is left running at interpreter exit
    dispatch.drain(30)
    if url.startswith("postgresql"):
        engine.dispose()
        admin = create_engine(admin_url + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0 if not missing and len(got) == len(burst_ids) and not receiver.duplicates else 1


if __name__ == "__main__":
    sys.exit(main())
