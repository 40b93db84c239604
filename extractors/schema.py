"""The one fact schema, shared by the extractor, the database and the API.

`FactBase` is a plain SQLModel (no table): the extractor returns instances of it,
`db.models.Fact` adds the storage columns, and the API serialises it.
Spans are stored as two integer columns; `as_contract()` gives the `span: [start, end]`
shape of the command-line and API contract.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

KINDS = (
    "killed",
    "injured",
    "missing",
    "displaced",
    "affected",
    "arrested",
    "kidnapped",
    "evacuated",
    "rescued",
    "population",
    "statistic",
)
CASUALTY_KINDS = KINDS[:-1]  # every kind that counts people
SCOPES = ("total", "part")
QUALIFIERS = ("exact", "at_least", "more_than", "at_most", "less_than", "about", "range", "vague")

Kind = Literal[
    "killed",
    "injured",
    "missing",
    "displaced",
    "affected",
    "arrested",
    "kidnapped",
    "evacuated",
    "rescued",
    "population",
    "statistic",
]
# Larger than any real count (8e9 people) or reported statistic: a number past it is a parse artefact such as
# "999…(400 digits)", which would become Infinity and break strict JSON, not a fact.
MAX_FACT_VALUE = 1e13


def is_sane_number(value: float | None) -> bool:
    """A value a fact may hold: absent, or finite and at most MAX_FACT_VALUE in size."""
    return value is None or (math.isfinite(value) and abs(value) <= MAX_FACT_VALUE)


def has_sane_numbers(fact: FactBase) -> bool:
    """True when the fact's value and bounds are all sane numbers (see MAX_FACT_VALUE)."""
    return all(is_sane_number(v) for v in (fact.value, fact.low, fact.high))


Qualifier = Literal["exact", "at_least", "more_than", "at_most", "less_than", "about", "range", "vague"]


class FactBase(SQLModel):
    kind: str = Field(index=True, max_length=16, description="One of " + ", ".join(KINDS))
    value: float = Field(
        description='The number as stated, normalised ("275,000" -> 275000); '
        'a vague amount\'s low end ("hundreds" -> 200)'
    )
    low: float | None = Field(default=None, description="Lower end of the implied interval; null = open")
    high: float | None = Field(default=None, description="Upper end of the implied interval; null = open")
    qualifier: str = Field(default="exact", max_length=16, description="One of " + ", ".join(QUALIFIERS))
    unit: str = Field(
        default="people", max_length=32, description="`people` for counts of persons, else the statistic's unit"
    )
    scope: str = Field(
        default="total",
        max_length=8,
        description="`total`: the whole count reported for the event; `part`: a group inside "
        'a larger figure of the same kind and event ("including 16 children")',
    )
    subject: str | None = Field(default=None, max_length=200, description="Who or what is counted, as written")
    location: str | None = Field(default=None, max_length=300, description="The place as written")
    place_name: str | None = Field(default=None, max_length=200, description="Resolved place name (gazetteer)")
    admin1: str | None = Field(
        default=None, max_length=200, description='First-level region of the resolved place ("Sindh", "California")'
    )
    country_code: str | None = Field(default=None, max_length=2, description="ISO 3166-1 alpha-2 of the resolved place")
    latitude: float | None = Field(default=None)
    longitude: float | None = Field(default=None)
    date: dt.date | None = Field(default=None, description="The day the figure refers to")
    source: str | None = Field(default=None, max_length=300, description="Who the figure is attributed to, as written")
    span_start: int = Field(description="Start offset of the number phrase in the article text")
    span_end: int = Field(description="End offset (exclusive) of the number phrase")
    sentence: str = Field(description="The sentence the fact came from")

    def __setattr__(self, name: str, value: object) -> None:
        # (the extractor sets a fact's context fields one at a time, ~50 an article: on a plain FactBase, no table
        # and no relationships, SQLModel's __setattr__ only hands the value to pydantic's, called here directly)
        if type(self) is FactBase:
            BaseModel.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    def as_contract(self) -> dict:
        """The contract's JSON shape of a fact (span as a pair, date as ISO text)."""
        out = self.model_dump(exclude={"span_start", "span_end"}, include=set(FactBase.model_fields))
        out["span"] = [self.span_start, self.span_end]
        out["date"] = self.date.isoformat() if self.date else None
        for key in ("value", "low", "high"):
            v = out[key]
            if isinstance(v, float) and v.is_integer():
                out[key] = int(v)
        return out
