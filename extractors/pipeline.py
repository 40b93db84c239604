"""Entry point of the extractor: `extract(text, published)` -> list of facts.

1. split the text into sentences (offsets into the original text);
2. each sentence's numbers are parsed once (`sentence_numbers`) and shared by both passes;
   the casualty/population grammar (`extractors.casualty`) finds casualty facts (with their scope) and
   judges which other numbers are non-facts (years, dates, ages, names, hypotheticals, ...);
3. the statistics pass turns the remaining numbers with units into `statistic` facts,
   skipping every `claimed` span;
4. `attach_context` fills source, location and date.
"""

from __future__ import annotations

import datetime as dt
import re

from extractors.casualty import CasualtyFact, extract_casualties, sentence_numbers
from extractors.context import attach_context
from extractors.schema import FactBase, has_sane_numbers
from extractors.statistics import MIXED_FATES, currency_of_their_country, extract_statistics
from extractors.text import split_sentences

EXTRACTOR_VERSION = "0.7.0"


def _as_date(published) -> dt.date | None:
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


def _to_fact(c: CasualtyFact) -> FactBase:
    return FactBase(
        kind=c.kind,
        value=c.value,
        low=c.low,
        high=c.high,
        qualifier=c.qualifier,
        unit="people",
        scope=c.scope,
        subject=(c.subject[:200] if c.subject else None),
        span_start=c.span_start,
        span_end=c.span_end,
        sentence=c.sentence.text,
    )


_ARTICLE = re.compile(r"(?:an?|the|another)\b", re.IGNORECASE)


def _counted_by_article_alone(text: str, fact: FactBase) -> bool:
    """'A policeman was killed', 'killing the driver', 'another soldier': one person counted by an article
    before a noun, no number ('killing one and wounding another' is a count: the pronoun has no noun)."""
    return (
        fact.value == 1
        and fact.high == 1
        and fact.subject is not None
        and _ARTICLE.match(text, fact.span_start) is not None
    )


def _is_report(text: str) -> bool:
    """A report of several paragraphs, as opposed to a one-paragraph event note (ACLED/GTD style)."""
    return "\n" in text.strip()


def _casualty_facts(text: str, sentences, numbers=None) -> tuple[list[FactBase], list[tuple[int, int]]]:
    """The casualty pass's facts, and the spans of numbers it judged non-facts."""
    found, nonfacts = extract_casualties(text, sentences, numbers)
    # "50 people are dead or missing" is no toll: the statistic pass counts them, in people
    facts = [_to_fact(c) for c in found if not (c.kind != "population" and MIXED_FATES.match(text, c.span_end))]
    if _is_report(text):
        # An event note counts every victim ("killed a village head": fatalities 1). In a news report a lone
        # "a soldier was killed" is narrative, not a figure: the labelled articles (dev README) take only
        # counts written as numbers or number words. Sums stay ("a chief and his two sons" -> 3).
        lone = [_counted_by_article_alone(text, f) for f in facts]
        nonfacts = nonfacts + [(f.span_start, f.span_end) for f, drop in zip(facts, lone) if drop]
        facts = [f for f, drop in zip(facts, lone) if not drop]
    return facts, nonfacts


def extract_casualty_facts(text: str) -> tuple[list[FactBase], list[tuple[int, int]]]:
    """Casualty/population facts only (no statistics, no context), and the claimed spans."""
    return _casualty_facts(text, split_sentences(text))


def _wider(whole: FactBase, part: FactBase) -> bool:
    """`whole` is about an area that holds `part`'s place: its country (no region of its own), or the region
    `part`'s place lies in."""
    if whole.country_code != part.country_code or part.admin1 is None or whole.place_name in (None, part.place_name):
        return False
    if not 0 < part.span_start - whole.span_end <= _BREAKDOWN_REACH:
        return False  # a breakdown follows its toll closely; a count further on is another report
    return whole.admin1 is None or (whole.place_name == part.admin1 and part.place_name != part.admin1)


_BREAKDOWN_REACH = 400


def _narrower_place_parts(facts: list[FactBase]) -> None:
    """A smaller count of the same kind and day at a place inside the area of a toll stated earlier in the
    article is a part of it ("Floods killed 64 across Niger ... Flooding in Tahoua killed seven")."""
    totals = sorted((f for f in facts if f.unit == "people" and f.kind != "population"), key=lambda f: f.span_start)
    for n, f in enumerate(totals):
        if f.scope != "total" or not f.country_code:
            continue
        if any(
            g.kind == f.kind
            and g.scope == "total"
            and max(g.value, g.high or 0) > f.value
            and g.date == f.date
            and _wider(g, f)
            for g in totals[:n]
        ):
            f.scope = "part"


def extract(text: str, published=None, title: str | None = None) -> list[FactBase]:
    day = _as_date(published)
    sentences = split_sentences(text)
    numbers = [sentence_numbers(s.text) for s in sentences]  # parsed once, used by both passes
    facts, nonfacts = _casualty_facts(text, sentences, numbers)
    # Spans the statistics pass must leave alone: our facts and the numbers judged non-facts.
    claimed = [(f.span_start, f.span_end) for f in facts] + nonfacts
    facts += extract_statistics(text, sentences, claimed, day, numbers)
    facts = attach_context(facts, text, sentences, day, title)
    _narrower_place_parts(facts)
    currency_of_their_country(facts, text)
    facts = [f for f in facts if has_sane_numbers(f)]  # "killed 999…9" (400 digits) is not a toll
    return sorted(facts, key=lambda f: (f.span_start, f.span_end))
