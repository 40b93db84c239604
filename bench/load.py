"""Read-API load test: the highest rate the machine sustains for 60 s with no errors.

    .venv/bin/python bench/load.py [--facts 200000] [--db sqlite|postgres] [--seconds 60] [--api-workers 2]

Loads synthetic facts with bench/api.py's loader (reused when already loaded), starts
`uvicorn service.web.app:create_app` with N worker processes (scheduler off), then drives it with wrk
(Debian package `wrk`) on loopback through a mix of typical reads: filtered /facts pages,
/series by day, /sources, /articles, one fact's provenance, /healthz. Short probes at rising
connection counts find the highest throughput with zero errors; the full run uses it and prints
requests/second, p50 and p99.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api as api_bench  # noqa: E402  (bench/api.py: the synthetic data loader)

REPO = Path(__file__).resolve().parents[1]

LUA = """
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def request_mix(n: int = 400) -> list[str]:
    rnd = random.Random(7)
    kinds = ["killed", "injured", "displaced", "arrested", "missing"]
    countries = api_bench.COUNTRIES
    hot = [p for p, _cc in api_bench.REAL_PLACES]
    paths = []
    for _ in range(n):
        r = rnd.random()
        kind = rnd.choice(kinds)
        if r < 0.35:
            paths.append(f"/api/v1/facts?kind={kind}&country={rnd.choice(countries)}&since=2024-01-01&limit=100")
        elif r < 0.55:
            paths.append(f"/api/v1/facts?kind={kind}&location={rnd.choice(hot)}&limit=100")
        elif r < 0.75:
            paths.append(
                f"/api/v1/series?kind={kind}&country={rnd.choice(countries)}&interval=day"
                f"&since=2025-01-01&until=2025-12-31"
            )
        elif r < 0.85:
            paths.append(f"/api/v1/facts/{rnd.randint(1, 1000)}")
        elif r < 0.92:
            paths.append("/api/v1/sources?limit=50")
        elif r < 0.97:
            paths.append("/api/v1/articles?limit=50")
        else:
            paths.append("/healthz")
    return paths


def run_wrk(base: str, paths_file: str, lua_file: str, connections: int, seconds: int) -> dict:
    env = {**os.environ, "LOAD_PATHS": paths_file}
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", lua_file, base],
        capture_output=True,
        text=True,
        env=env,
    ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in sock.groups()) if sock else 0
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "connections": connections,
        "rps": rps,
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "requests": total,
        "errors": non2xx + socket_errors,
        "raw": out,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", type=int, default=200_000)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--probe-seconds", type=int, default=8)
    ap.add_argument("--api-workers", type=int, default=2)
    ap.add_argument("--sqlite-path", default=str(REPO / "data" / "bench-load.db"))
    ap.add_argument(
        "--pg-url",
        default=os.environ.get(
            "TOLLWATCH_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tollwatch_bench_load"
        ),
    )
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    url = f"sqlite:///{args.sqlite_path}" if args.db == "sqlite" else args.pg_url
    api_bench.prepare(args.db, url, args.facts, reload=False)

    port = api_bench.free_port()
    env = {
        **os.environ,
        "TOLLWATCH_DATABASE_URL": url,
        "TOLLWATCH_SCHEDULER": "false",
        "TOLLWATCH_DEMO_SOURCE": "false",
        "TOLLWATCH_LOG_LEVEL": "WARNING",
    }
    env.pop("TOLLWATCH_READ_API_KEY", None)
    server = subprocess.Popen(
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
            "--workers",
            str(args.api_workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=REPO,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        with tempfile.TemporaryDirectory() as tmp:
            paths_file, lua_file = Path(tmp, "paths.txt"), Path(tmp, "mix.lua")
            paths_file.write_text("\n".join(request_mix()) + "\n")
            lua_file.write_text(LUA)
            best = None
            for connections in (4, 8, 16, 32, 64):
                probe = run_wrk(base, str(paths_file), str(lua_file), connections, args.probe_seconds)
                print(
                    f"probe c={connections:3d}: {probe['rps']:8.1f} req/s  p50 {probe['p50_ms']:6.1f} ms  "
                    f"p99 {probe['p99_ms']:7.1f} ms  errors {probe['errors']}"
                )
                if probe["errors"]:
                    break
                if best is not None and probe["rps"] < best["rps"] * 1.03:
                    break  # saturated: more connections only add queueing
                best = probe
            if best is None:
                print("errors even at the lowest concurrency", file=sys.stderr)
                return 1
            full = run_wrk(base, str(paths_file), str(lua_file), best["connections"], args.seconds)
        print(
            f"\nread API, {args.db}, {args.facts:,} facts, {args.api_workers} API workers, wrk -c "
            f"{full['connections']} for {args.seconds} s on loopback:"
        )
        print(
            f"  {full['rps']:.1f} requests/s, p50 {full['p50_ms']:.1f} ms, p99 {full['p99_ms']:.1f} ms, "
            f"{full['requests']:,} requests, {full['errors']} errors"
        )
        return 0 if full["errors"] == 0 else 1
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    sys.exit(main())
