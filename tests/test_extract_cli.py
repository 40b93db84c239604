"""`tollwatch extract` as docs/extract-cli.md defines it, run as a real subprocess."""

import json
import subprocess
import sys

import pytest

from tests.conftest import shared_dir

TOLLWATCH = [sys.executable, "-m", "service.cli"]


def _run(args, stdin):
    return subprocess.run(TOLLWATCH + args, input=stdin, capture_output=True, text=True, timeout=120, check=True)


def test_jsonl_one_line_per_input_in_order_and_errors_do_not_stop_the_stream():
    lines = [
        json.dumps({"id": "a", "text": "The island is home to 4,200 people.", "published": "2020-01-02"}),
        "{not json",
        json.dumps({"id": "b", "text": 17}),
        json.dumps({"id": "c", "text": "Nothing to count here.", "published": None}),
    ]
    out = _run(["extract", "--jsonl"], "\n".join(lines) + "\n").stdout.splitlines()
    docs = [json.loads(line) for line in out]
    assert [d.get("id") for d in docs] == ["a", "line-2", "b", "c"]
    assert "error" in docs[1] and "error" in docs[2]
    assert docs[3]["facts"] == []
    fact = docs[0]["facts"][0]
    assert (fact["kind"], fact["value"]) == ("population", 4200)
    start, end = fact["span"]
    assert "4,200" in "The island is home to 4,200 people."[start:end]


def test_file_mode_on_the_seed_article(tmp_path):
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared is absent (it holds the seed article)")
    seed = shared / "examples" / "aleppo-2016-11-08.txt"
    facts = json.loads(_run(["extract", str(seed), "--published", "2016-11-08"], "").stdout)
    text = seed.read_text()
    population = [f for f in facts if f["kind"] == "population"]
    assert [f["value"] for f in population] == [275000]
    for fact in facts:
        start, end = fact["span"]
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip()


def test_unreadable_file_is_a_clear_error(tmp_path):
    proc = subprocess.run(TOLLWATCH + ["extract", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert proc.returncode == 2 and "cannot read" in proc.stderr
