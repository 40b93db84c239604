"""Evaluation on the labelled seed and dev articles in ../shared (skipped when absent).

Prints per-kind precision/recall/F1 over casualty and population facts (a prediction counts when
kind and value match and its span overlaps the labelled quote) and requires F1 >= 0.90 overall,
plus the seed article exactly.
"""
import pytest

from extractors import extract

try:
    from eval_support import format_table, load_labelled_articles, match_facts, score_by_kind, shared_dir
except ImportError:  # tests/ imported as a package
    from tests.eval_support import format_table, load_labelled_articles, match_facts, score_by_kind, shared_dir

pytestmark = pytest.mark.skipif(
    shared_dir() is None,
    reason="labelled articles not found: ../shared (next to the repository) is absent and "
           "TOLLWATCH_SHARED_DIR is not set")


def test_casualty_and_population_f1_on_labelled_articles(capsys):
    articles = load_labelled_articles()
    assert articles, "no labelled articles found"
    results = []
    misses = []
    for article in articles:
        predicted = extract(article["text"], article.get("published"), article.get("title"))
        r = match_facts(predicted, article["facts"], article["text"])
        results.append(r)
        misses += [f"{article['id']} FP {p.kind} {p.value:g} {article['text'][p.span_start:p.span_end]!r}"
                   for p in r.false_positives]
        misses += [f"{article['id']} FN {l['kind']} {l['value']:g} {l['quote']!r}" for l in r.false_negatives]
    table = score_by_kind(results)
    with capsys.disabled():
        print(f"\n{len(articles)} labelled articles, casualty + population kinds\n" + format_table(table))
        if misses:
            print("\n".join(misses))
    assert table["ALL"]["f1"] >= 0.90


def test_seed_article_exact():
    (seed,) = load_labelled_articles(include_dev=False)
    predicted = extract(seed["text"], seed.get("published"), seed.get("title"))
    casualty = [f for f in predicted if f.kind != "statistic"]
    got = sorted((f.kind, f.value, f.low, f.high, f.qualifier) for f in casualty)
    want = sorted((f["kind"], float(f["value"]), f["low"], f["high"], f["qualifier"]) for f in seed["facts"])
    assert got == want
    r = match_facts(predicted, seed["facts"], seed["text"])
    assert not r.false_negatives and not r.false_positives


def test_labelled_non_facts_produce_no_casualty_fact():
    bad = []
    for article in load_labelled_articles():
        text = article["text"]
        predicted = [f for f in extract(text, article.get("published")) if f.kind != "statistic"]
        for nf in article["non_facts"]:
            pos = text.find(nf["quote"])
            if pos < 0:
                continue
            end = pos + len(nf["quote"])
            labelled_there = any(text.find(f["quote"]) < end and pos < text.find(f["quote"]) + len(f["quote"])
                                 for f in article["facts"])
            for p in predicted:
                if p.span_start < end and pos < p.span_end and not labelled_there:
                    bad.append((article["id"], nf["quote"], p.kind, p.value))
    assert bad == []
