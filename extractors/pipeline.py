"""Entry point of the extractor: `extract(text, published)` -> list of facts.

Walking-skeleton version: finds "<number> people" population/casualty phrases only.
The casualty grammar (issue 3) and attribution/place/date/statistics (issue 4) replace it.
"""
from __future__ import annotations

import datetime as dt
import re

from extractors.context import attach_context
from extractors.schema import FactBase
from extractors.statistics import extract_statistics
from extractors.text import split_sentences

EXTRACTOR_VERSION = "0.1.0"

_POPULATION = re.compile(r"home to (\d{1,3}(?:,\d{3})+|\d+) people")


def _as_date(published) -> dt.date | None:
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    return dt.date.fromisoformat(str(published)[:10])


def extract(text: str, published=None, title: str | None = None) -> list[FactBase]:
    day = _as_date(published)
    facts = []
    sentences = split_sentences(text)
    for sent in sentences:
        for m in _POPULATION.finditer(sent.text):
            value = float(m.group(1).replace(",", ""))
            start = sent.start + m.start(1)
            facts.append(FactBase(
                kind="population", value=value, low=value, high=value, qualifier="exact",
                unit="people", subject="people",
                span_start=start, span_end=sent.start + m.end(),
                sentence=sent.text,
            ))
    claimed = [(f.span_start, f.span_end) for f in facts]
    facts += extract_statistics(text, sentences, claimed, day)
    facts = attach_context(facts, text, sentences, day, title)
    return sorted(facts, key=lambda f: (f.span_start, f.span_end))
