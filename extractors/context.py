"""Who said it, where, and when: fills source, location/place and date of facts (issue 4)."""
from __future__ import annotations

import datetime as dt

from extractors.schema import FactBase
from extractors.text import Sentence


def attach_context(facts: list[FactBase], text: str, sentences: list[Sentence],
                   published: dt.date | None, title: str | None = None) -> list[FactBase]:
    """Return the facts with `source`, `location`, `place_name`, `country_code`, `latitude`,
    `longitude` and `date` filled in. Skeleton: the publication date only."""
    for fact in facts:
        if fact.date is None:
            fact.date = published
    return facts
