"""`tollwatch extract` (docs/extract-cli.md). A bad line gets an error line; the stream goes on."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import IO

import extractors


def parse_published(value) -> dt.date | None:
    """A publication date from a date, a datetime or nothing (None)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("published must be a date string or null")
    text = value.strip().replace("Z", "+00:00")
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return dt.date.fromisoformat(text[:10])


def _facts_json(text: str, published) -> list[dict]:
    return [f.as_contract() for f in extractors.extract(text, published)]


def run_jsonl(stdin: IO[str], stdout: IO[str]) -> int:
    """JSON lines in, one JSON line out per line, in order; a bad line gets an error line. Exit status."""
    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        doc_id = None
        try:
            doc = json.loads(line)
            if not isinstance(doc, dict):
                raise ValueError("each line must be a JSON object")
            doc_id = doc.get("id")
            text = doc.get("text")
            if not isinstance(text, str):
                raise ValueError("text must be a string")
            out = {"id": doc_id, "facts": _facts_json(text, parse_published(doc.get("published")))}
        except Exception as exc:  # one bad document must not stop the stream
            out = {"id": doc_id if doc_id is not None else f"line-{lineno}", "error": f"{type(exc).__name__}: {exc}"}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def run_file(path: str, published: str | None, stdout: IO[str]) -> int:
    """The facts of one plain-text article (a path, or - for stdin) as a JSON array. Exit status."""
    try:
        day = parse_published(published)
    except ValueError as exc:
        print(f"tollwatch extract: --published: {exc}", file=sys.stderr)
        return 2
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
    except OSError as exc:
        print(f"tollwatch extract: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    json.dump(_facts_json(text, day), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 0
