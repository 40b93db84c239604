"""Other quantities with units -> `statistic` facts (issue 4)."""
from __future__ import annotations

import datetime as dt

from extractors.schema import FactBase
from extractors.text import Sentence


def extract_statistics(text: str, sentences: list[Sentence], claimed: list[tuple[int, int]],
                       published: dt.date | None) -> list[FactBase]:
    """`statistic` facts for numbers with units outside the `claimed` spans (casualty facts and
    numbers already judged not to be facts). Skeleton: none."""
    return []
