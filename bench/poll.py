"""Polling throughput, end to end, against local feeds whose article pages are realistic (~100 KB of
HTML: navigation, ads, scripts and comments around the story).

    .venv/bin/python bench/poll.py [--feeds 20] [--items 20] [--skip-serve] [--skip-postgres]

Prints, for the same pages:
  * the ceiling: main text (trafilatura) + fact extraction alone, in-process, one thread = one core
    (measured before and after the end-to-end runs; the share uses the mean);
  * articles/second end to end (fetch feed + fetch page + main text + extract + store) for
    1 and 2 `tollwatch worker` processes on PostgreSQL and for `tollwatch serve` on SQLite;
  * 2 workers as a share of twice the one-core ceiling (the target is >= 70 %).

The feeds are served by a separate process (in-memory bodies, HTTP/1.1 keep-alive) on 127.0.0.1, so
every feed shares one host: the bench raises TOLLWATCH_PER_HOST_CONCURRENCY to 8 (in life, sources
are spread over many hosts) and looks for due sources every 0.1 s (TOLLWATCH_POLL_EVERY_SECONDS).
Workers are timed from the moment every source is made due, after they have started and warmed up
their extractor (first `last_cycle_at` heartbeat), until the end of the last poll (from the poll
log), when every article is stored. TW_BENCH_VERBOSE=1 adds where the CPU went and each worker's
first and last poll (start-up delay, tail imbalance); =2 every poll's span. PostgreSQL:
TOLLWATCH_BENCH_POSTGRES_URL or the tests' default (a fresh database per run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PLACES = ["Herat", "Aleppo", "Mosul", "Lodwar", "Beira", "Port-au-Prince", "Gaza City", "Kharkiv", "Sylhet", "Cebu"]
AUTHORITIES = [
    "police",
    "the health ministry",
    "the United Nations",
    "the Red Cross",
    "local officials",
    "the civil defence agency",
    "hospital sources",
]
SENTENCES = [
    "At least {a} people were killed and {b} injured in {p} on {day}, {src} said.",
    "The death toll rose to {a} after rescuers pulled more bodies from the rubble, according to {src}.",
    "More than {c} people have been displaced from their homes since the fighting began, {src} said.",
    "Some {b} people remain missing, and search teams were working through the night in {p}.",
    "The district, home to about {c} people, has been without electricity for three days.",
    "Officials said {a} of the dead were children, and that the toll was likely to rise.",
    "Aid agencies said they needed ${m} million to shelter the families forced to flee.",
    "Police arrested {d} people in connection with the attack, a spokesman said.",
    "Residents described scenes of chaos as ambulances ferried the wounded to the city's main hospital.",
    "The government declared three days of national mourning and promised compensation to the families.",
]


def _story(rng: random.Random) -> list[str]:
    paras = []
    for _ in range(rng.randint(7, 10)):
        paras.append(
            " ".join(
                rng.choice(SENTENCES).format(
                    a=rng.randint(3, 300),
                    b=rng.randint(5, 900),
                    c=rng.randint(1000, 90000),
                    d=rng.randint(2, 40),
                    m=rng.randint(2, 90),
                    p=rng.choice(PLACES),
                    src=rng.choice(AUTHORITIES),
                    day=rng.choice(["Monday", "Tuesday", "Friday"]),
                )
                for _ in range(rng.randint(2, 4))
            )
        )
    return paras


def article_page(title: str, rng: random.Random) -> bytes:
    """~100 KB: header navigation, mega-menu, inline scripts and JSON-LD, ads, the story, related links,
    comments and a footer."""
    nav = "".join(
        f'<li class="nav-item"><a href="/section/{i}" data-track="nav-{i}">Section {i} news and '
        f'analysis</a><ul class="sub">'
        + "".join(f'<li><a href="/section/{i}/{j}">Topic {i}.{j}</a></li>' for j in range(14))
        + "</ul></li>"
        for i in range(40)
    )
    script = (
        "<script>"
        + "".join(
            f"window.__cfg_{i} = {{id: {i}, slot: 'ad-{i}', refresh: 30000, sizes: "
            f"[[300,250],[728,90]], targeting: {{section: 'world', pos: {i}}}}};\n"
            for i in range(330)
        )
        + "</script>"
    )
    ads = "".join(
        f'<div class="ad-slot" id="ad-{i}"><span>Advertisement</span><a href="/promo/{i}">'
        f"Subscribe now: 3 months for 1 dollar. Offer {i} ends soon!</a></div>"
        for i in range(6)
    )
    story = "".join(f"<p>{p}</p>" + (ads[:300] if i == 3 else "") for i, p in enumerate(_story(rng)))
    related = "".join(
        f'<li><a href="/world/{rng.randint(1, 10**6)}">Related story number {i}: what we know '
        f"so far about the crisis</a></li>"
        for i in range(25)
    )
    comments = "".join(
        f'<div class="comment"><b>reader{i}</b><p>I cannot believe this happened again. '
        f"Thoughts with everyone affected. #{i}</p></div>"
        for i in range(15)
    )
    footer = "".join(f'<a href="/legal/{i}">Legal notice {i}</a> ' for i in range(60))
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | Example Wire</title>"
        f"<meta name='description' content='{title}'>{script}"
        f'<script type=\'application/ld+json\'>{{"@type": "NewsArticle", "headline": "{title}"}}</script>'
        f"<style>{'.c{color:#333;margin:0 auto;padding:4px}' * 420}</style></head><body>"
        f"<header><nav><ul class='menu'>{nav}</ul></nav>{ads}</header>"
        f"<main><article><h1>{title}</h1><p class='byline'>By Staff Reporter, {rng.choice(PLACES)}</p>"
        f"{story}</article><aside><h2>Related</h2><ul>{related}</ul></aside>"
        f"<section class='comments'>{comments}</section></main><footer>{footer}</footer></body></html>"
    )
    return html.encode()


def build_site(feeds: int, items: int, port: int, seed: int = 7) -> dict[str, bytes]:
    rng = random.Random(seed)
    site: dict[str, bytes] = {}
    for f in range(feeds):
        entries = []
        for i in range(items):
            title = f"{rng.choice(PLACES)}: {rng.randint(3, 300)} killed as violence flares ({f}-{i})"
            path = f"/f{f}/story-{i}.html"
            site[path] = article_page(title, rng)
            entries.append(
                f"<item><guid>bench-{f}-{i}</guid><title>{title}</title>"
                f"<link>http://127.0.0.1:{port}{path}</link>"
                f"<pubDate>Fri, 20 Nov 2026 06:15:00 GMT</pubDate>"
                f"<description>Short summary of story {f}-{i}.</description></item>"
            )
        site[f"/f{f}.xml"] = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench feed {f}</title>{''.join(entries)}</channel></rss>"
        ).encode()
    return site


def _serve(site: dict[str, bytes], port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            body = site.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header(
                "Content-Type", "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
            )
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the ceiling --------------------------------------------------------------------------------


def ceiling(pages: list[bytes]) -> float:
    """Articles/second of main text + fact extraction alone, in this process, on one thread."""
    from service.ingest.fetch import decode_html
    from service.ingest.html_text import main_text
    from service.ingest.polling import _compose, warm_up
    from service.ingest.store import extract_facts

    today = dt.date(2026, 11, 20)
    warm_up()  # the same warm-up the workers do before their first cycle
    main_text(pages[0].decode())
    t0, cpu0 = time.perf_counter(), time.process_time()
    for body in pages:
        text = main_text(decode_html(body, "text/html; charset=utf-8"))
        extract_facts(_compose("Headline 12 killed", text or ""), today, "Headline 12 killed")
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return len(pages) / wall, len(pages) / cpu


# --- end to end ---------------------------------------------------------------------------------


def _pg_url() -> tuple[str, str]:
    admin = os.environ.get(
        "TOLLWATCH_BENCH_POSTGRES_URL",
        os.environ.get("TOLLWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    from sqlalchemy import create_engine, text

    name = f"tw_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin, admin.rsplit("/", 1)[0] + "/" + name


def _drop_pg(admin: str, url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    engine.dispose()


def cpu_times(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a process and all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / os.sysconf("SC_CLK_TCK"), int(fields[12]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its threads (Linux /proc)."""
    return sum(cpu_times(pid))


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle (Linux /proc/stat): the workers, PostgreSQL, the feed server."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_end_to_end(
    label: str,
    url: str,
    feeds: int,
    items: int,
    port: int,
    processes: list[list[str]],
    expect_heartbeats: int,
    timeout: float = 600,
    feed_server_pid: int | None = None,
) -> float:
    from sqlalchemy import create_engine, text
    from sqlmodel import Session

    from db.migrate import upgrade
    from db.models import Source

    upgrade(url)
    engine = create_engine(url)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with Session(engine) as session:
        for f in range(feeds):
            session.add(
                Source(
                    name=f"bench {f}",
                    url=f"http://127.0.0.1:{port}/f{f}.xml",
                    poll_interval_seconds=3600,
                    next_poll_at=later,
                )
            )
        session.commit()
    env = {
        **os.environ,
        "TOLLWATCH_DATABASE_URL": url,
        "TOLLWATCH_ALLOW_PRIVATE_URLS": "true",
        "TOLLWATCH_DEMO_SOURCE": "false",
        "TOLLWATCH_STARTUP_JITTER_SECONDS": "0",
        "TOLLWATCH_POLL_EVERY_SECONDS": "0.1",
        "TOLLWATCH_PER_HOST_CONCURRENCY": "8",
        "TOLLWATCH_LOG_LEVEL": "WARNING",
        "TOLLWATCH_LOG_JSON": "false",
        "TOLLWATCH_SCHEDULER": "true",
    }
    logdir = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    procs = [
        subprocess.Popen(
            cmd, env=env, cwd=REPO, stdout=open(logdir / f"{label}-{n}.log", "wb"), stderr=subprocess.STDOUT
        )
        for n, cmd in enumerate(processes)
    ]
    total = feeds * items

    def scalar(sql):
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    try:
        deadline = time.monotonic() + 180
        while scalar("SELECT count(*) FROM scheduler_heartbeats WHERE last_cycle_at IS NOT NULL") < expect_heartbeats:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError(f"{label}: processes did not start; logs in {logdir}")
            time.sleep(0.2)
        with engine.begin() as conn:
            conn.execute(text("UPDATE sources SET next_poll_at = :now"), {"now": dt.datetime.now(dt.UTC)})
        t0, wall0 = time.perf_counter(), dt.datetime.now(dt.UTC)
        cpu0 = sum(cpu_seconds(p.pid) for p in procs)
        times0 = [cpu_times(p.pid) for p in procs]
        busy0 = machine_busy_seconds()
        server0 = cpu_seconds(feed_server_pid) if feed_server_pid else 0.0
        deadline = time.monotonic() + timeout
        # Looked at every 0.2 s (a tighter loop would load the database it measures); the end time is
        # exact all the same: the end of the last poll, from the poll log (same machine, same clock).
        while (done := scalar("SELECT count(*) FROM articles")) < total:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{label}: only {done}/{total} articles after {timeout} s; logs in {logdir}")
            time.sleep(0.2)
        window = time.perf_counter() - t0
        cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
        user = sum(cpu_times(p.pid)[0] - t[0] for p, t in zip(procs, times0))
        busy = machine_busy_seconds() - busy0
        server_cpu = (cpu_seconds(feed_server_pid) - server0) if feed_server_pid else float("nan")
        pages = scalar("SELECT count(*) FROM articles WHERE text_origin = 'page'")
        facts = scalar("SELECT count(*) FROM facts")
        with engine.connect() as conn:
            logs = conn.execute(text("SELECT worker, started_at, duration_ms FROM poll_logs")).all()
        per_worker: dict[str, list] = {}
        for worker, started, ms in logs:
            if isinstance(started, str):  # SQLite
                started = dt.datetime.fromisoformat(started)
            if started.tzinfo is None:
                started = started.replace(tzinfo=dt.UTC)
            begin = (started - wall0).total_seconds()
            per_worker.setdefault(worker, []).append((begin, begin + ms / 1000, ms / 1000))
        elapsed = max(end for polls in per_worker.values() for _, end, _ in polls)
        if os.environ.get("TW_BENCH_VERBOSE"):
            print(
                f"      CPU {cpu:.1f} s ({user:.1f} s user, {cpu - user:.1f} s system); "
                f"machine busy {busy:.1f} of "
                f"{window * os.cpu_count():.1f} CPU-seconds; feed server {server_cpu:.1f} s; "
                f"PostgreSQL and the rest {busy - cpu - server_cpu:.1f} s",
                flush=True,
            )
            for worker, polls in sorted(per_worker.items()):
                # the first poll's start and the last one's end show start-up delay and tail imbalance
                print(
                    f"      {worker}: {len(polls)} polls, {sum(p[2] for p in polls):.1f} s polling in total, "
                    f"first began at +{min(p[0] for p in polls):.2f} s, last ended at "
                    f"+{max(p[1] for p in polls):.2f} s of {elapsed:.2f} s",
                    flush=True,
                )
                if os.environ.get("TW_BENCH_VERBOSE") == "2":
                    print("        " + " ".join(f"{b:.2f}-{e:.2f}" for b, e, _ in sorted(polls)), flush=True)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        engine.dispose()
    rate = total / elapsed
    print(
        f"  {label:<28} {rate:7.1f} articles/s   ({total} articles in {elapsed:.1f} s, "
        f"{pages} with page text, {facts} facts; {total / cpu:.1f}/s per CPU-second of the tollwatch "
        f"process(es))",
        flush=True,
    )
    return rate, total / cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-serve", action="store_true")
    args = parser.parse_args()

    port = free_port()
    site = build_site(args.feeds, args.items, port)
    pages = [body for path, body in site.items() if path.endswith(".html")]
    print(
        f"{args.feeds} feeds x {args.items} items; article pages {sum(map(len, pages)) / len(pages) / 1024:.0f} KB "
        f"on average; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    server = multiprocessing.get_context("fork").Process(target=_serve, args=(site, port), daemon=True)
    server.start()

    # The ceiling is measured before and after the end-to-end runs and averaged: this machine's speed drifts
    # by several per cent over minutes (other tenants), and one reading taken before would tilt the share.
    ceilings = [ceiling(pages)]
    print(
        f"  ceiling, one core (before)     {ceilings[0][0]:7.1f} articles/s   (main text + facts in-process; "
        f"{ceilings[0][1]:.1f}/s per CPU-second)",
        flush=True,
    )

    tw = [sys.executable, "-m", "service.cli"]
    rates = {}
    try:
        if not args.skip_postgres:
            for n in (1, 2):
                admin, url = _pg_url()
                try:
                    rates[n] = run_end_to_end(
                        f"{n} worker{'s' if n > 1 else ''}, PostgreSQL",
                        url,
                        args.feeds,
                        args.items,
                        port,
                        [tw + ["worker"]] * n,
                        n,
                        feed_server_pid=server.pid,
                    )
                finally:
                    _drop_pg(admin, url)
        if not args.skip_serve:
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/bench.db"
                rates["serve"] = run_end_to_end(
                    "serve, SQLite",
                    url,
                    args.feeds,
                    args.items,
                    port,
                    [tw + ["serve", "--port", str(free_port())]],
                    1,
                    feed_server_pid=server.pid,
                )
    finally:
        server.terminate()
    ceilings.append(ceiling(pages))
    print(
        f"  ceiling, one core (after)      {ceilings[1][0]:7.1f} articles/s   ({ceilings[1][1]:.1f}/s per CPU-second)"
    )
    wall_rate, cpu_rate = sum(c[0] for c in ceilings) / 2, sum(c[1] for c in ceilings) / 2
    if 2 in rates:
        share = rates[2][0] / (2 * wall_rate)
        print(
            f"  2 workers / (2 x one-core ceiling) = {share:.0%}   (target >= 70 %; wall clock; ceiling "
            f"{wall_rate:.1f}/s, the mean of before and after)"
        )
    for key, (_, per_cpu) in rates.items():
        print(
            f"  CPU efficiency, {str(key) + ' worker(s)' if key != 'serve' else 'serve':<12} = "
            f"{per_cpu / cpu_rate:.0%} of the ceiling's articles per CPU-second"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
