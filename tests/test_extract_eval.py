"""Evaluation on the labelled seed and dev articles in ../shared (skipped when absent).

Dev is split in two (`eval_support.split_parts`): the part we tune on and a check part (every
third article) we look at only after a batch of changes. Both F1 figures are printed; the check
figure is held as a ratchet in `tests/data/eval_floors.json`: it may not fall, and a gain must be
recorded there. A prediction counts when its kind matches, its value matches (exactly, or by
interval overlap for vague amounts) and its span overlaps the labelled quote, the judging rules
of `../shared/tools/score.py`.
"""

import pytest

from extractors import extract

try:
    from eval_support import (
        format_table,
        hold_ratchet,
        load_labelled_articles,
        match_facts,
        score_by_kind,
        shared_dir,
        split_parts,
    )
except ImportError:  # tests/ imported as a package
    from tests.eval_support import (
        format_table,
        hold_ratchet,
        load_labelled_articles,
        match_facts,
        score_by_kind,
        shared_dir,
        split_parts,
    )

pytestmark = pytest.mark.skipif(
    shared_dir() is None,
    reason="labelled articles not found: ../shared (next to the repository) is absent and "
    "TOLLWATCH_SHARED_DIR is not set",
)


def _score(articles):
    results, misses = [], []
    for article in articles:
        predicted = extract(article["text"], article.get("published"), article.get("title"))
        r = match_facts(predicted, article["facts"], article["text"])
        results.append(r)
        text = article["text"]
        misses += [
            f"{article['id']} FP {p.kind} {p.value:g} {text[p.span_start : p.span_end]!r}" for p in r.false_positives
        ]
        misses += [f"{article['id']} FN {lab['kind']} {lab['value']:g} {lab['quote']!r}" for lab in r.false_negatives]
    return score_by_kind(results), misses


def test_casualty_and_population_f1_tune_and_check(capsys):
    parts = split_parts(load_labelled_articles())
    assert parts["tune"] and parts["check"], "no labelled articles found"
    figures = {}
    for name in ("tune", "check"):
        table, misses = _score(parts[name])
        figures[name] = table["ALL"]
        with capsys.disabled():
            print(f"\n{name}: {len(parts[name])} articles, casualty + population kinds\n" + format_table(table))
            if name == "tune" and misses:  # the check part's misses are not shown: we do not tune on them
                print("\n".join(misses))
    with capsys.disabled():
        print(
            "\nF1 "
            + "  ".join(
                f"{n} {figures[n]['f1']:.3f} (P {figures[n]['precision']:.3f} R {figures[n]['recall']:.3f})"
                for n in ("tune", "check")
            )
        )
    hold_ratchet("extract_check_f1", figures["check"]["f1"])
    hold_ratchet("extract_check_precision", figures["check"]["precision"])


def test_seed_article_exact():
    (seed,) = load_labelled_articles(include_dev=False)
    predicted = extract(seed["text"], seed.get("published"), seed.get("title"))
    casualty = [f for f in predicted if f.kind != "statistic"]
    got = sorted((f.kind, f.value, f.low, f.high, f.qualifier, f.scope) for f in casualty)
    want = sorted(
        (f["kind"], float(f["value"]), f["low"], f["high"], f["qualifier"], f.get("scope", "total"))
        for f in seed["facts"]
    )
    assert got == want
    r = match_facts(predicted, seed["facts"], seed["text"])
    assert not r.false_negatives and not r.false_positives


def test_labelled_non_facts_taken_on_the_check_part_do_not_grow():
    """Numbers the labels call non-facts (names, years, ages, hypotheticals) that the extractor takes
    as casualty facts: printed for both parts; the check part's share is held (it may only fall)."""
    parts = split_parts(load_labelled_articles())
    shares = {}
    for name, articles in parts.items():
        bad, total = [], 0
        for article in articles:
            text = article["text"]
            predicted = [f for f in extract(text, article.get("published")) if f.kind != "statistic"]
            for nf in article["non_facts"]:
                pos = text.find(nf["quote"])
                if pos < 0:
                    continue
                total += 1
                end = pos + len(nf["quote"])
                labelled_there = any(
                    text.find(f["quote"]) < end and pos < text.find(f["quote"]) + len(f["quote"])
                    for f in article["facts"]
                )
                if not labelled_there and any(p.span_start < end and pos < p.span_end for p in predicted):
                    bad.append((article["id"], nf["quote"]))
        shares[name] = 1 - len(bad) / total if total else 1.0
        print(f"{name}: non-facts taken {len(bad)}/{total}" + (f" {bad}" if name == "tune" and bad else ""))
    hold_ratchet("extract_check_non_facts_left_alone", shares["check"])
