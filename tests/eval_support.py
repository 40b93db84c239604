"""Shared helpers for evaluations against the labelled articles in ../shared.

`load_labelled_articles()` gives the seed article and the dev articles, each a dict with
`id`, `title`, `published`, `text`, `facts` (labelled facts, each with a `quote`) and
`non_facts`. `match_facts(predicted, labelled, text)` pairs predicted facts with labelled ones.
`score_by_kind(...)` turns the pairs into a precision/recall/F1 table.
`split_parts(articles)` splits them into the part we tune on and the check part we never tune on
(every third dev article, as `../shared/tools/score.py` splits them), and `hold_ratchet` holds a
check figure against its floor in `tests/data/eval_floors.json`, which only goes up.

The labelled data lives in the read-only shared directory next to the repository
(`<repo>/../shared`), or wherever `TOLLWATCH_SHARED_DIR` points. Tests skip when it is absent.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.schema import CASUALTY_KINDS

# every kind that counts people: the casualty kinds and population, not statistics
CASUALTY_AND_POPULATION = CASUALTY_KINDS


def shared_dir() -> Path | None:
    """The shared directory, or None when it is not there (as on a user's machine)."""
    env = os.environ.get("TOLLWATCH_SHARED_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared")
    for c in candidates:
        if (c / "dev").is_dir() or (c / "examples").is_dir():
            return c
    return None


def load_labelled_articles(include_seed: bool = True, include_dev: bool = True) -> list[dict[str, Any]]:
    """The labelled articles: the seed (`examples/*.expected.json`) and `dev/*.json`.

    Each item has at least `id`, `text`, `published`, `title`, `facts`, `non_facts`.
    Returns [] when the shared directory is absent."""
    root = shared_dir()
    if root is None:
        return []
    out = []
    if include_seed:
        for path in sorted((root / "examples").glob("*.expected.json")):
            article = json.loads(path.read_text(encoding="utf-8"))
            txt = path.with_name(path.name.replace(".expected.json", ".txt"))
            if "text" not in article and txt.exists():
                article["text"] = txt.read_text(encoding="utf-8")
            article.setdefault("id", path.stem)
            out.append(article)
    if include_dev:
        for path in sorted((root / "dev").glob("*.json")):
            article = json.loads(path.read_text(encoding="utf-8"))
            article.setdefault("id", path.stem)
            out.append(article)
    for article in out:
        article.setdefault("facts", [])
        article.setdefault("non_facts", [])
        article.setdefault("title", None)
        article.setdefault("published", None)
    return out


def split_parts(articles: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """{"tune": [...], "check": [...]}: every third dev article (in file order) is the check part,
    the same split as `PART=check` in `../shared/tools/score.py`; the seed article is tuned on."""
    parts: dict[str, list[dict[str, Any]]] = {"tune": [], "check": []}
    dev = [a for a in articles if str(a["id"]).startswith("dev-")]
    for a in articles:
        if a not in dev:
            parts["tune"].append(a)
    for i, a in enumerate(sorted(dev, key=lambda a: a["id"])):
        parts["check" if i % 3 == 2 else "tune"].append(a)
    return parts


FLOORS_PATH = Path(__file__).resolve().parent / "data" / "eval_floors.json"
# A check figure more than this above its floor must be recorded: the ratchet only goes up.
RATCHET_SLACK = 0.01


def hold_ratchet(name: str, measured: float) -> None:
    """Fail when `measured` fell below the recorded floor for `name`, and when it rose clearly above
    it without the floor being raised (so a gain, once made, is held). The floor is a little under the
    figure measured (rounded down to 3 places), so it holds the figure without being brittle."""
    floors = json.loads(FLOORS_PATH.read_text(encoding="utf-8"))
    floor = floors[name]
    if os.environ.get("TOLLWATCH_RAISE_FLOORS") == "1" and measured > floor:
        # `TOLLWATCH_RAISE_FLOORS=1 pytest tests/test_*_eval.py` records gains; it never lowers a floor.
        floors[name] = floor = round(measured - 0.0005, 3)
        FLOORS_PATH.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
    assert measured >= floor - 1e-9, (
        f"{name}: {measured:.3f} fell below its floor {floor:.3f} (tests/data/eval_floors.json)"
    )
    assert measured <= floor + RATCHET_SLACK, (
        f"{name}: {measured:.3f} is above its floor {floor:.3f}: raise the floor in "
        f"tests/data/eval_floors.json to {measured:.3f} so the gain is held"
    )


def values_match(predicted: Any, label: dict) -> bool:
    """The judging rule (`../shared/tools/score.py`): equal within half a unit or 0.5 %, or, when
    either side is vague, overlapping intervals."""
    pv, gv = float(_get(predicted, "value")), float(label["value"])
    if abs(pv - gv) <= max(0.5, 0.005 * abs(gv)):
        return True
    if label.get("qualifier") != "vague" and _get(predicted, "qualifier") != "vague":
        return False

    def bounds(lo, hi, v):
        if lo is None and hi is None:
            lo = hi = v
        return (float("-inf") if lo is None else lo, float("inf") if hi is None else hi)

    a, b = bounds(_get(predicted, "low"), _get(predicted, "high"), pv)
    c, d = bounds(label.get("low"), label.get("high"), gv)
    return a <= d and c <= b


def quote_span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int] | None:
    """Offsets of the `occurrence`-th appearance of `quote` in `text` (None if absent)."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(quote)


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Offsets of every appearance of `quote` in `text`."""
    out, pos = [], text.find(quote)
    while pos >= 0:
        out.append((pos, pos + len(quote)))
        pos = text.find(quote, pos + 1)
    return out


def _get(fact: Any, key: str):
    return fact.get(key) if isinstance(fact, dict) else getattr(fact, key)


def _span(fact: Any) -> tuple[int, int]:
    if isinstance(fact, dict):
        if "span" in fact:
            return tuple(fact["span"])
        return fact["span_start"], fact["span_end"]
    return fact.span_start, fact.span_end


@dataclass
class MatchResult:
    pairs: list[tuple[Any, dict]] = field(default_factory=list)  # (predicted, labelled)
    false_positives: list[Any] = field(default_factory=list)  # predicted, unmatched
    false_negatives: list[dict] = field(default_factory=list)  # labelled, unmatched


def match_facts(
    predicted: list[Any], labelled: list[dict], text: str, kinds: tuple[str, ...] | None = CASUALTY_AND_POPULATION
) -> MatchResult:
    """Pair predicted facts (FactBase or dicts with span/span_start) with labelled facts.

    A predicted fact matches a labelled one when kinds are equal, values match (`values_match`) and
    its span overlaps an appearance of the labelled `quote` in `text` (the judging rule). Each fact
    is used at most once. Only `kinds` are considered (None = all)."""
    preds = [p for p in predicted if kinds is None or _get(p, "kind") in kinds]
    labels = [l for l in labelled if kinds is None or l["kind"] in kinds]
    used: set[int] = set()
    result = MatchResult()
    for l in labels:
        spans = quote_spans(text, l["quote"])
        hit = None
        for pi, p in enumerate(preds):
            if pi in used or _get(p, "kind") != l["kind"] or not values_match(p, l):
                continue
            ps, pe = _span(p)
            if any(ps < end and start < pe for start, end in spans):
                hit = pi
                break
        if hit is None:
            result.false_negatives.append(l)
        else:
            used.add(hit)
            result.pairs.append((preds[hit], l))
    result.false_positives = [p for pi, p in enumerate(preds) if pi not in used]
    return result


def score_by_kind(results: list[MatchResult]) -> dict[str, dict[str, float]]:
    """Per-kind and overall ("ALL") true positives, false positives, false negatives, P, R, F1."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for r in results:
        for _, l in r.pairs:
            tp[l["kind"]] += 1
        for p in r.false_positives:
            fp[_get(p, "kind")] += 1
        for l in r.false_negatives:
            fn[l["kind"]] += 1
    table = {}
    for kind in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        t = sum(tp.values()) if kind == "ALL" else tp[kind]
        f_p = sum(fp.values()) if kind == "ALL" else fp[kind]
        f_n = sum(fn.values()) if kind == "ALL" else fn[kind]
        p = t / (t + f_p) if t + f_p else 1.0
        r = t / (t + f_n) if t + f_n else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        table[kind] = {"tp": t, "fp": f_p, "fn": f_n, "precision": p, "recall": r, "f1": f1}
    return table


def format_table(table: dict[str, dict[str, float]]) -> str:
    lines = [f"{'kind':<11} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for kind, row in table.items():
        lines.append(
            f"{kind:<11} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
            f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}"
        )
    return "\n".join(lines)
