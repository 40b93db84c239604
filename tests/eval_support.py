"""Shared helpers for evaluations against the labelled articles in ../shared.

`load_labelled_articles()` gives the seed article and the dev articles, each a dict with
`id`, `title`, `published`, `text`, `facts` (labelled facts, each with a `quote`) and
`non_facts`. `match_facts(predicted, labelled, text)` pairs predicted facts with labelled ones.
`score_by_kind(...)` turns the pairs into a precision/recall/F1 table.

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

CASUALTY_AND_POPULATION = ("killed", "injured", "missing", "displaced", "affected", "arrested",
                           "kidnapped", "evacuated", "rescued", "population")


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


def quote_span(text: str, quote: str, occurrence: int = 0) -> tuple[int, int] | None:
    """Offsets of the `occurrence`-th appearance of `quote` in `text` (None if absent)."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(quote)


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
    pairs: list[tuple[Any, dict]] = field(default_factory=list)   # (predicted, labelled)
    false_positives: list[Any] = field(default_factory=list)        # predicted, unmatched
    false_negatives: list[dict] = field(default_factory=list)       # labelled, unmatched


def match_facts(predicted: list[Any], labelled: list[dict], text: str,
                kinds: tuple[str, ...] | None = CASUALTY_AND_POPULATION) -> MatchResult:
    """Pair predicted facts (FactBase or dicts with span/span_start) with labelled facts.

    A predicted fact matches a labelled one when kind and value are equal and its span overlaps
    the labelled `quote`'s position in `text` (a quote found several times may be used once per
    appearance). Each fact is used at most once. Only `kinds` are considered (None = all)."""
    preds = [p for p in predicted if kinds is None or _get(p, "kind") in kinds]
    labels = [l for l in labelled if kinds is None or l["kind"] in kinds]
    # Locate each quote; repeated identical quotes take successive appearances.
    seen: Counter = Counter()
    label_spans = []
    for l in labels:
        span = quote_span(text, l["quote"], seen[l["quote"]]) or quote_span(text, l["quote"])
        seen[l["quote"]] += 1
        label_spans.append(span)
    used = set()
    result = MatchResult()
    for li, l in enumerate(labels):
        span = label_spans[li]
        hit = None
        for pi, p in enumerate(preds):
            if pi in used or _get(p, "kind") != l["kind"] or float(_get(p, "value")) != float(l["value"]):
                continue
            ps, pe = _span(p)
            if span is not None and ps < span[1] and span[0] < pe:
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
        lines.append(f"{kind:<11} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
                     f"{row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f}")
    return "\n".join(lines)
