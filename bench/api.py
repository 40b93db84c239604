"""API benchmark: synthetic facts into SQLite and PostgreSQL, a real uvicorn, a load generator on loopback.

    .venv/bin/python bench/api.py                       # 1,000,000 facts, both databases
    .venv/bin/python bench/api.py --facts 50000 --db sqlite --requests 50   # a quick run

Data: `--facts` facts over 5 years (2021-2025), 200 places in 20 countries (half the facts spread
evenly, half Zipf-distributed, so the busiest place has ~9 % of all facts; 10 % of facts have an
unresolved place as written), 50 feeds, 50 attributions, ~4 facts per article. Reports of one place,
kind and 3-day window mostly state the same figure; a quarter state a different one. The schema and the
indexes come from the Alembic migrations (`db.migrate.upgrade`); rows go in with executemany
(SQLite) or COPY (PostgreSQL). The server is `uvicorn service.web.app:create_app --factory` in its own
process (scheduler off); the load generator is one HTTP client, one request at a time.

Measured: p50/p99 of a filtered `/facts` page of 100, `/series` by day over one year, `/tolls` of a
country (a page of 100), and a CSV export of 100,000 rows (throughput, and the server's resident memory
during 10k vs 100k exports). A loaded database is reused when its fact count matches (`--reload` forces a
new one); the migrations run on it first, so a database loaded before a schema change is brought up to
date (and its rollups backfilled) instead of reloaded. The rows go in past the ingest path, so after a load
(or on a reused database whose rollups are empty) the rollups are computed from the facts (`rollups.backfill`).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

KIND_WEIGHTS = {
    "killed": 30,
    "injured": 20,
    "displaced": 8,
    "missing": 6,
    "arrested": 6,
    "affected": 5,
    "kidnapped": 3,
    "evacuated": 4,
    "rescued": 4,
    "population": 6,
    "statistic": 8,
}
COUNTRIES = [
    "SY",
    "IQ",
    "AF",
    "YE",
    "UA",
    "SD",
    "SO",
    "NG",
    "ML",
    "CD",
    "ET",
    "MM",
    "PK",
    "LY",
    "PS",
    "LB",
    "HT",
    "BF",
    "MZ",
    "CF",
]
REAL_PLACES = [
    ("Aleppo", "SY"),
    ("Idlib", "SY"),
    ("Mosul", "IQ"),
    ("Kabul", "AF"),
    ("Sanaa", "YE"),
    ("Kharkiv", "UA"),
    ("Khartoum", "SD"),
    ("Mogadishu", "SO"),
    ("Maiduguri", "NG"),
    ("Gao", "ML"),
    ("Goma", "CD"),
    ("Mekelle", "ET"),
    ("Sittwe", "MM"),
    ("Peshawar", "PK"),
    ("Derna", "LY"),
    ("Gaza", "PS"),
    ("Beirut", "LB"),
    ("Port-au-Prince", "HT"),
    ("Djibo", "BF"),
    ("Pemba", "MZ"),
]
START, DAYS = dt.date(2021, 1, 1), 5 * 365
SERIES_YEAR = 2024


def places() -> list[tuple[str, str, float, float]]:
    rnd = random.Random(7)
    out = [(name, cc, rnd.uniform(-30, 50), rnd.uniform(-20, 70)) for name, cc in REAL_PLACES]
    i = 0
    while len(out) < 200:
        cc = COUNTRIES[i % len(COUNTRIES)]
        out.append(
            (
                f"{rnd.choice(['Al', 'Ban', 'Kar', 'Mar', 'Tal', 'Der', 'Nor', 'Sal'])}"
                f"{rnd.choice(['ara', 'obi', 'ena', 'uli', 'ista', 'ovo', 'am'])}-{i}",
                cc,
                rnd.uniform(-30, 50),
                rnd.uniform(-20, 70),
            )
        )
        i += 1
    return out


ATTRIBUTIONS = [
    "United Nations",
    "OCHA",
    "UNHCR",
    "WHO",
    "ICRC",
    "the health ministry",
    "police",
    "the army",
    "Syrian Observatory for Human Rights",
    "local officials",
    "Reuters",
    "AP",
    "AFP",
    "MSF",
    "the interior ministry",
    "the governor",
    "a hospital director",
    "rescue workers",
    "the Red Crescent",
    "Amnesty International",
] + [f"agency {i}" for i in range(30)]


def generate(n: int, seed: int = 1):
    """Yields (articles, facts) batches; facts are in date order so ids follow time, as in production."""
    rnd = random.Random(seed)
    plc = places()
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    n_articles = max(1, n // 4)
    zipf = list(itertools.accumulate(1 / (i + 1) for i in range(200)))  # half the facts: Zipf over places
    # article ids 1..n_articles, in date order
    article_days = sorted(rnd.randrange(DAYS) for _ in range(n_articles))
    per_article = [0] * n_articles
    for _ in range(n):
        per_article[rnd.randrange(n_articles)] += 1
    now = dt.datetime.now(dt.UTC)
    articles, facts = [], []
    fid = 0
    for aid0, day in enumerate(article_days):
        aid = aid0 + 1
        source_id = rnd.randrange(50) + 1
        pub = dt.datetime.combine(START + dt.timedelta(days=day), dt.time(rnd.randrange(24)), dt.UTC)
        articles.append(
            (
                aid,
                source_id,
                f"{aid:064x}",
                f"https://news{source_id}.example.org/a/{aid}",
                f"https://news{source_id}.example.org/a/{aid}",
                f"Report {aid}",
                f"Outlet {source_id}",
                pub,
                pub + dt.timedelta(minutes=5),
                "page",
                "bench",
                per_article[aid0],
            )
        )
        for _ in range(per_article[aid0]):
            fid += 1
            kind = rnd.choices(kinds, weights)[0]
            pidx = bisect.bisect(zipf, rnd.random() * zipf[-1]) if rnd.random() < 0.5 else rnd.randrange(200)
            name, cc, lat, lon = plc[pidx]
            fday = max(0, day - rnd.choice((0, 0, 0, 1, 2)))
            # reports of one place, kind and few days mostly agree; a quarter state another figure
            base = 1 + ((pidx * 7919 + kinds.index(kind) * 104729 + (fday // 3) * 31) ** 2) % 997
            value = float(base if rnd.random() < 0.75 else base + rnd.randint(1, max(2, base // 5)))
            resolved = rnd.random() >= 0.1
            date = START + dt.timedelta(days=fday)
            qualifier = rnd.choice(("exact", "exact", "at_least", "more_than", "about"))
            source = None if rnd.random() < 0.2 else rnd.choice(ATTRIBUTIONS)
            location = (f"eastern {name}" if rnd.random() < 0.3 else name) if resolved else f"a village near {name}"
            unit = rnd.choice(("USD", "percent", "km")) if kind == "statistic" else "people"
            sentence = (
                f"At least {int(value)} civilians were {kind} in {location} on Tuesday, {source or 'witnesses'} said."
            )
            facts.append(
                (
                    fid,
                    aid,
                    kind,
                    value,
                    value,
                    None if qualifier != "exact" else value,
                    qualifier,
                    unit,
                    "civilians",
                    location,
                    name if resolved else None,
                    cc if resolved else None,
                    lat if resolved else None,
                    lon if resolved else None,
                    date,
                    source,
                    9,
                    9 + len(str(int(value))),
                    sentence,
                    "bench",
                    now,
                )
            )
        if len(facts) >= 50_000:
            yield articles, facts
            articles, facts = [], []
    yield articles, facts


ARTICLE_COLS = (
    "id",
    "source_id",
    "guid_key",
    "url",
    "canonical_url",
    "title",
    "outlet",
    "published_at",
    "fetched_at",
    "text_origin",
    "extractor_version",
    "fact_count",
)
FACT_COLS = (
    "id",
    "article_id",
    "kind",
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "subject",
    "location",
    "place_name",
    "country_code",
    "latitude",
    "longitude",
    "date",
    "source",
    "span_start",
    "span_end",
    "sentence",
    "extractor_version",
    "created_at",
)


def _fact_count(url: str) -> int | None:
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            n = conn.execute(text("SELECT count(*) FROM facts")).scalar()
        engine.dispose()
        return n
    except Exception:
        return None


def prepare(kind: str, url: str, n: int, reload: bool) -> None:
    if not reload and _fact_count(url) == n:
        from db.engine import get_engine
        from db.migrate import upgrade

        t0 = time.perf_counter()
        upgrade(url)  # a no-op when up to date; else the new migrations (and their backfills) run on the loaded data
        get_engine(url).dispose()
        print(f"[{kind}] reusing the loaded database ({n:,} facts; migrations {time.perf_counter() - t0:.1f} s)")
        fill_rollups(kind, url)  # a database loaded by an older bench, whose rollups were left empty
        return
    if kind == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    from db.engine import get_engine
    from db.migrate import upgrade

    upgrade(url)  # the schema and every index, from the migrations
    get_engine(url).dispose()
    t0 = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    sources = [
        (i, f"Feed {i}", f"https://news{i}.example.org/feed.xml", 600, True, now, "ok", 0, 0, now) for i in range(1, 51)
    ]
    source_cols = (
        "id",
        "name",
        "url",
        "poll_interval_seconds",
        "enabled",
        "created_at",
        "status",
        "consecutive_failures",
        "items_seen",
        "next_poll_at",
    )
    loaded = 0
    if kind == "sqlite":
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-200000")

        def ins(table, cols, rows):
            conn.executemany(
                f"INSERT INTO {table} ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                [[_sqlite_value(v) for v in r] for r in rows],
            )

        ins("sources", source_cols, sources)
        for articles, facts in generate(n):
            ins("articles", ARTICLE_COLS, articles)
            ins("facts", FACT_COLS, facts)
            conn.commit()
            loaded += len(facts)
            _progress(kind, loaded, n, t0)
        conn.execute("ANALYZE")
        conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            with conn.cursor() as cur:
                _copy(cur, "sources", source_cols, sources)
                for articles, facts in generate(n):
                    _copy(cur, "articles", ARTICLE_COLS, articles)
                    _copy(cur, "facts", FACT_COLS, facts)
                    loaded += len(facts)
                    _progress(kind, loaded, n, t0)
                for table in ("sources", "articles", "facts"):
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")
    print(f"\n[{kind}] loaded {n:,} facts in {time.perf_counter() - t0:.1f} s")
    fill_rollups(kind, url)


def fill_rollups(kind: str, url: str) -> None:
    """The rows went in with COPY/executemany, past the ingest path that keeps the rollups current (and the
    schema's migrations ran on the empty tables): compute them from the loaded facts, as migration 0010 does."""
    from sqlalchemy.orm import Session

    from db import rollups

    engine = create_engine(url)
    with Session(engine) as session:
        if session.execute(text("SELECT count(*) FROM toll_groups")).scalar():
            engine.dispose()
            return
        t0 = time.perf_counter()
        counts = rollups.backfill(session)
        session.commit()
    if kind == "postgres":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE series_days"))
            conn.execute(text("VACUUM ANALYZE toll_groups"))
    engine.dispose()
    print(f"[{kind}] rollups filled from the facts in {time.perf_counter() - t0:.1f} s: {counts}")


def _sqlite_value(v):
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _copy(cur, table, cols, rows):
    with cur.copy(f"COPY {table} ({','.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _progress(kind, loaded, n, t0):
    rate = loaded / max(time.perf_counter() - t0, 1e-6)
    print(f"\r[{kind}] {loaded:,}/{n:,} facts ({rate:,.0f}/s)", end="", flush=True)


# --- the server and the load generator ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "TOLLWATCH_DATABASE_URL": url,
        "TOLLWATCH_SCHEDULER": "false",
        "TOLLWATCH_DEMO_SOURCE": "false",
        "TOLLWATCH_LOG_LEVEL": "WARNING",
        "TOLLWATCH_LOG_JSON": "false",
    }
    env.pop("TOLLWATCH_READ_API_KEY", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "service.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=REPO,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.2)
    raise SystemExit("the server did not start in 60 s")


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def timed(client: httpx.Client, path: str, params: dict) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    resp = client.get(path, params=params)
    elapsed = (time.perf_counter() - t0) * 1000
    if resp.status_code != 200:
        raise SystemExit(f"{path} {params} -> {resp.status_code}: {resp.text[:300]}")
    return elapsed, resp


def run_queries(base: str, requests: int, export_rows: int, pid: int, toll_requests: int | None = None) -> dict:
    rnd = random.Random(3)
    plc = places()
    hot = [p for p, _cc in REAL_PLACES]
    casualty = ["killed", "injured", "displaced", "missing", "arrested"]
    results: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(20):  # warm-up
            timed(client, "/api/v1/facts", {"kind": "killed", "limit": 100})

        def page_params():
            choice = rnd.random()
            kind = rnd.choice(casualty)
            if choice < 1 / 3:
                return "kind+country+since", {
                    "kind": kind,
                    "country": rnd.choice(COUNTRIES),
                    "since": f"{rnd.choice([2023, 2024, 2025])}-01-01",
                    "limit": 100,
                }
            if choice < 2 / 3:
                return "kind+location", {
                    "kind": kind,
                    "location": rnd.choice(hot + [p[0] for p in plc[20:200]]),
                    "limit": 100,
                }
            return "kind+min_value", {"kind": kind, "min_value": 50, "limit": 100}

        def series_params():
            year = SERIES_YEAR
            base_params = {
                "kind": rnd.choice(["killed", "injured", "displaced"]),
                "interval": "day",
                "since": f"{year}-01-01",
                "until": f"{year}-12-31",
            }
            if rnd.random() < 0.5:
                base_params["location"] = rnd.choice(hot + [p[0].lower() for p in plc[20:200]])
                return "kind+location", base_params
            base_params["country"] = rnd.choice(COUNTRIES)
            return "kind+country", base_params

        def toll_params():
            if rnd.random() < 0.5:
                return "country", {"country": rnd.choice(COUNTRIES), "limit": 100}
            return "kind+country", {"kind": rnd.choice(casualty), "country": rnd.choice(COUNTRIES), "limit": 100}

        for name, path, gen, count in (
            ("facts page of 100 (filtered)", "/api/v1/facts", page_params, requests),
            ("series by day over 1 year", "/api/v1/series", series_params, requests),
            ("tolls of a country (page of 100)", "/api/v1/tolls", toll_params, toll_requests or requests),
        ):
            samples = []
            shapes: dict[str, list[float]] = {}
            items = 0
            for _ in range(count):
                shape, params = gen()
                ms, resp = timed(client, path, params)
                samples.append(ms)
                shapes.setdefault(shape, []).append(ms)
                body = resp.json()
                items += len(body.get("items", body.get("points", [])))
            results[name] = samples
            print(
                f"  {name:34s} p50 {pct(samples, 50):7.1f} ms   p99 {pct(samples, 99):7.1f} ms   "
                f"max {max(samples):7.1f} ms   ({count} requests, {items / count:.0f} items/points avg)"
            )
            for shape, ms_list in shapes.items():
                print(
                    f"    {shape:32s} p50 {pct(ms_list, 50):7.1f} ms   p99 {pct(ms_list, 99):7.1f} ms   "
                    f"({len(ms_list)})"
                )
        # paging deep with the cursor: 20 consecutive pages
        samples = []
        params = {"kind": "killed", "limit": 100}
        for _ in range(20):
            ms, resp = timed(client, "/api/v1/facts", params)
            samples.append(ms)
            params = {**params, "cursor": resp.json()["next_cursor"]}
        results["facts cursor pages"] = samples
        print(f"  {'20 consecutive cursor pages':34s} p50 {pct(samples, 50):7.1f} ms   p99 {pct(samples, 99):7.1f} ms")

        # CSV export: throughput and server memory (10k, then 100k rows)
        for rows in (export_rows // 10, export_rows):
            before = rss_kb(pid)
            peak = before
            stop = threading.Event()

            def watch():
                nonlocal peak
                while not stop.is_set():
                    peak = max(peak, rss_kb(pid))
                    time.sleep(0.02)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            t0 = time.perf_counter()
            first_byte = None
            nbytes = lines = 0
            with client.stream("GET", "/api/v1/facts", params={"format": "csv", "limit": rows}) as resp:
                assert resp.status_code == 200, resp.status_code
                for chunk in resp.iter_bytes():
                    if first_byte is None:
                        first_byte = (time.perf_counter() - t0) * 1000
                    nbytes += len(chunk)
                    lines += chunk.count(b"\n")
            total = time.perf_counter() - t0
            stop.set()
            watcher.join()
            name = f"csv export {rows:,} rows"
            results[name] = [total * 1000]
            print(
                f"  {name:34s} {total:6.2f} s   {(lines - 1) / total:,.0f} rows/s   first byte {first_byte:.0f} ms   "
                f"{nbytes / 1e6:.1f} MB   server RSS {before / 1024:.0f} -> peak {peak / 1024:.0f} MiB "
                f"(+{(peak - before) / 1024:.0f})"
            )
            if lines - 1 != rows:
                print(f"  !! expected {rows} rows, got {lines - 1}")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--requests", type=int, default=300, help="requests per query type")
    ap.add_argument("--toll-requests", type=int, help="requests for /tolls (default: --requests)")
    ap.add_argument("--export-rows", type=int, default=100_000)
    ap.add_argument("--sqlite-path", default=str(REPO / "data" / "bench-api.db"))
    ap.add_argument(
        "--pg-url",
        default=os.environ.get(
            "TOLLWATCH_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tollwatch_bench"
        ),
    )
    ap.add_argument("--reload", action="store_true", help="reload the data even when a loaded database exists")
    ap.add_argument("--load-only", action="store_true")
    args = ap.parse_args()
    Path(args.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    targets = []
    if args.db in ("sqlite", "both"):
        targets.append(("sqlite", f"sqlite:///{args.sqlite_path}"))
    if args.db in ("postgres", "both"):
        targets.append(("postgres", args.pg_url))
    print(f"cpus: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for kind, url in targets:
        prepare(kind, url, args.facts, args.reload)
        if args.load_only:
            continue
        proc, base = start_server(url)
        try:
            print(
                f"[{kind}] {args.facts:,} facts, uvicorn pid {proc.pid} at {base}; "
                f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
            run_queries(base, args.requests, min(args.export_rows, args.facts), proc.pid, args.toll_requests)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
