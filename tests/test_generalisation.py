"""Generalisation checks on sentences of our own (tests/data/*.jsonl), written to the
constructions of EXTRACTION-HARD-CASES.md and the style of conflict-data coders' event notes:
every labelled count must come out with the right kind and value, and nothing else may
(statistics aside). Prints the misses."""
import json
from pathlib import Path

import pytest

import extractors

DATA = Path(__file__).resolve().parent / "data"


def score(path: Path):
    tp = fp = fn = 0
    misses = []
    for line in path.read_text().splitlines():
        note = json.loads(line)
        got = [(f.kind, f.value) for f in extractors.extract(note["text"], note["published"]) if f.kind != "statistic"]
        remaining = list(got)
        for kind, value in note["facts"]:
            if (kind, float(value)) in remaining:
                remaining.remove((kind, float(value)))
                tp += 1
            else:
                fn += 1
                misses.append(("missed", kind, value, note["text"]))
        fp += len(remaining)
        misses += [("spurious", k, v, note["text"]) for k, v in remaining]
    return tp, fp, fn, misses


@pytest.mark.parametrize("name,min_f1", [("event_notes.jsonl", 0.95), ("hard_cases.jsonl", 0.90)])
def test_generalisation_f1(name, min_f1):
    tp, fp, fn, misses = score(DATA / name)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"\n{name}: tp={tp} fp={fp} fn={fn} P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    for miss in misses:
        print("  ", *miss)
    assert f1 >= min_f1, misses
