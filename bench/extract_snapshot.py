"""Snapshot of the full extractor's output, for refactors and speed work that must not change it.

    .venv/bin/python bench/extract_snapshot.py OUT.json            # write a snapshot
    .venv/bin/python bench/extract_snapshot.py OUT.json --diff BASE.json   # and compare with BASE

Runs `extractors.extract` over the seed and dev articles (../shared, or TOLLWATCH_SHARED_DIR; each dev
article with and without its title) and over every text in tests/data/**/*.jsonl, and dumps every field
of every fact. With --diff, prints the documents whose facts differ and exits 1 if any do.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402


def documents() -> list[tuple[str, str, str | None, str | None]]:
    """(id, text, published, title) for every text the snapshot covers."""
    env = os.environ.get("TOLLWATCH_SHARED_DIR")
    shared = Path(env) if env else ROOT.parent / "shared"
    docs: list[tuple[str, str, str | None, str | None]] = []
    for path in sorted((shared / "examples").glob("*.txt")):
        docs.append((f"examples/{path.name}", path.read_text(encoding="utf-8"), None, None))
    for path in sorted((shared / "dev").glob("*.json")):
        art = json.loads(path.read_text(encoding="utf-8"))
        docs.append((f"dev/{path.name}", art["text"], art.get("published"), None))
        docs.append((f"dev/{path.name}+title", art["text"], art.get("published"), art.get("title")))
    for path in sorted((ROOT / "tests" / "data").rglob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                rel = path.relative_to(ROOT)
                docs.append((f"{rel}:{i + 1}", row["text"], row.get("published"), row.get("title")))
    return docs


def snapshot() -> dict[str, list[dict]]:
    out = {}
    for doc_id, text, published, title in documents():
        out[doc_id] = [f.model_dump(mode="json") for f in extract(text, published, title)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--diff", help="a snapshot to compare with")
    args = ap.parse_args()
    snap = snapshot()
    Path(args.out).write_text(json.dumps(snap, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    n_facts = sum(map(len, snap.values()))
    print(f"{len(snap)} documents, {n_facts} facts -> {args.out}")
    if args.diff:
        base = json.loads(Path(args.diff).read_text(encoding="utf-8"))
        differ = [k for k in sorted(set(base) | set(snap)) if base.get(k) != snap.get(k)]
        for k in differ[:20]:
            print(f"DIFF {k}: {len(base.get(k) or [])} facts before, {len(snap.get(k) or [])} after")
        print(f"{len(differ)} documents differ" if differ else "identical")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
