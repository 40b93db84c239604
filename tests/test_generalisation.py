"""Generalisation checks on sentences of our own (tests/data/*.jsonl), written to the
constructions of EXTRACTION-HARD-CASES.md and the style of conflict-data coders' event notes:
every labelled count must come out with the right kind and value, and nothing else may
(statistics aside). Prints the misses.

Where a line carries `"location"` (a place name the fact's location or resolved place must
contain), `"country"` (ISO code of the resolved place) or `"date"` (YYYY-MM-DD), every matched
casualty fact of that line is scored on them too."""

import json
from pathlib import Path

import pytest

import extractors

DATA = Path(__file__).resolve().parent / "data"


def _place_ok(fact, want: str) -> bool:
    want = want.lower()
    return any(
        want in (s or "").lower() or ((s or "").lower() and (s or "").lower() in want)
        for s in (fact.location, fact.place_name)
    )


def score(path: Path):
    tp = fp = fn = 0
    misses = []
    ctx = {"location": [0, 0], "country": [0, 0], "date": [0, 0]}
    for line in path.read_text().splitlines():
        note = json.loads(line)
        facts = [f for f in extractors.extract(note["text"], note["published"]) if f.kind != "statistic"]
        remaining = list(facts)
        for kind, value in note["facts"]:
            hit = next((f for f in remaining if f.kind == kind and f.value == float(value)), None)
            if hit is None:
                fn += 1
                misses.append(("missed", kind, value, note["text"]))
                continue
            remaining.remove(hit)
            tp += 1
            checks = {
                "location": lambda f: _place_ok(f, note["location"]),
                "country": lambda f: f.country_code == note["country"],
                "date": lambda f: f.date is not None and f.date.isoformat() == note["date"],
            }
            for key, ok in checks.items():
                if key in note:
                    ctx[key][1] += 1
                    if ok(hit):
                        ctx[key][0] += 1
                    else:
                        got = {
                            "location": f"{hit.location} / {hit.place_name}",
                            "country": hit.country_code,
                            "date": hit.date,
                        }[key]
                        misses.append((f"{key}: got {got!r} want {note[key]!r}", kind, value, note["text"]))
        fp += len(remaining)
        misses += [("spurious", f.kind, f.value, note["text"]) for f in remaining]
    return tp, fp, fn, misses, ctx


# In-sample figures (the extractor was fixed against these lines): event notes F1 1.000, hard
# cases 0.992; extractor 0.2.0 scored 0.965 and 0.882 on the same files. The lines were added in
# four batches, each scored before any fix: notes 0.968/0.978/0.974/0.976, hard cases
# 0.907/0.828/0.780/0.947 -- the honest estimate of unseen text is those, not the in-sample ones.
@pytest.mark.parametrize("name,min_f1", [("event_notes.jsonl", 0.99), ("hard_cases.jsonl", 0.98)])
def test_generalisation_f1(name, min_f1):
    tp, fp, fn, misses, ctx = score(DATA / name)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"\n{name}: tp={tp} fp={fp} fn={fn} P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    for key, (ok, n) in ctx.items():
        if n:
            print(f"  {key:9s} {ok / n:6.1%}  ({ok}/{n})")
    for miss in misses:
        print("  ", *miss)
    assert f1 >= min_f1, misses


# Where the notes say where and when, the facts must carry it.
CONTEXT_MIN = {"location": 0.95, "country": 0.93, "date": 0.99}


def test_generalisation_context():
    *_, ctx = score(DATA / "event_notes.jsonl")
    for key, (ok, n) in ctx.items():
        assert n and ok / n >= CONTEXT_MIN[key], (key, ok, n)
