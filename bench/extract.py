"""Benchmark: tollwatch's extractor vs plain quantulum3 on the labelled articles.

    .venv/bin/python bench/extract.py [--repeat N]

Runs, in one process and over the same texts (seed + dev articles from ../shared, or
TOLLWATCH_SHARED_DIR; a small built-in sample when absent):
  (a) tollwatch `extract` (casualty grammar + statistics + context),
  (b) casualty-only (the grammar without statistics/context),
  (c) `quantulum3.parser.parse`,
and prints articles/second and p50/p99 milliseconds per article, and the throughput ratios. The three
run in interleaved rounds (quantulum3 on a rotating fifth of the set each round), so a busy shared
machine slows all of them alike and the ratios stay comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402
from extractors.pipeline import extract_casualty_facts  # noqa: E402

SAMPLE = [
    "At least 12 people were killed and more than 30 wounded when a car bomb exploded in the city on Monday.",
    "Floods have displaced 107,000 people, the UN said. The town is home to 40,000 people.",
]


def load_texts() -> list[str]:
    env = os.environ.get("TOLLWATCH_SHARED_DIR")
    root = Path(env) if env else ROOT.parent / "shared"
    texts = []
    for path in sorted((root / "examples").glob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    for path in sorted((root / "dev").glob("*.json")):
        texts.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    return texts or SAMPLE


def run_interleaved(runners: list[tuple[str, object, int]], texts: list[str], repeat: int) -> list[dict]:
    """Time several extractors in interleaved rounds, so that the load of a shared machine falls on
    all of them alike: each round runs every extractor once, over the whole set or (for a slow one,
    `every` > 1) over a rotating 1/`every` slice of it; `repeat` rounds in all."""
    for _, fn, _ in runners:  # warm-up (regex compilation, model loading)
        for t in texts:
            fn(t)
    times: dict[str, list[float]] = {name: [] for name, _, _ in runners}
    totals = dict.fromkeys(times, 0.0)
    for r in range(repeat):
        for name, fn, every in runners:
            chunk = texts[r % every :: every]
            start = time.perf_counter()
            for t in chunk:
                t0 = time.perf_counter()
                fn(t)
                times[name].append((time.perf_counter() - t0) * 1000)
            totals[name] += time.perf_counter() - start
    rows = []
    for name, _, _ in runners:
        ts = sorted(times[name])
        rows.append(
            {
                "name": name,
                "articles": len(ts),
                "per_s": len(ts) / totals[name],
                "p50": statistics.median(ts),
                "p99": ts[min(len(ts) - 1, int(0.99 * len(ts)))],
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--repeat", type=int, default=20, help="interleaved rounds (quantulum3 parses a fifth of the set per round)"
    )
    args = ap.parse_args()
    texts = load_texts()
    from quantulum3 import parser as q_parser

    rows = run_interleaved(
        [
            ("tollwatch extract (full)", lambda t: extract(t, published="2024-01-01"), 1),
            ("tollwatch casualty-only", extract_casualty_facts, 1),
            ("quantulum3.parser.parse", q_parser.parse, 5),
        ],
        texts,
        args.repeat,
    )
    print(f"{len(texts)} articles, mean {sum(map(len, texts)) / len(texts):.0f} chars")
    print(f"{'':28} {'articles':>8} {'art/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for r in rows:
        print(f"{r['name']:28} {r['articles']:>8} {r['per_s']:>9.1f} {r['p50']:>8.2f} {r['p99']:>8.2f}")
    q = rows[2]["per_s"]
    print(f"throughput vs quantulum3: full {rows[0]['per_s'] / q:.1f}x, casualty-only {rows[1]['per_s'] / q:.1f}x")


if __name__ == "__main__":
    main()
