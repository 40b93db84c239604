"""Generalisation check on short event descriptions in the style conflict-data coders write
(our own sentences, tests/data/event_notes.jsonl): every labelled count must come out with the
right kind and value, and nothing else may (statistics aside)."""
import json
from pathlib import Path

import extractors

NOTES = Path(__file__).resolve().parent / "data" / "event_notes.jsonl"


def _score():
    tp = fp = fn = 0
    misses = []
    for line in NOTES.read_text().splitlines():
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


def test_event_notes_f1():
    tp, fp, fn, misses = _score()
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"\nevent notes: tp={tp} fp={fp} fn={fn} P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    for miss in misses:
        print("  ", *miss)
    assert f1 >= 0.93, misses
