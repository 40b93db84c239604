"""Dates written in news text, resolved against the publication date.

A fast regular-expression resolver for the forms news uses ("on October 29", "Oct. 29",
"29 October 2016", "29/10/2016", "2016-10-29", "on Monday", "Monday's quake", "yesterday",
"last week", "overnight", "the night before", "since October 18", "in September", "in 2011"). A weekday
names the most recent such day on or before publication. No dateparser: it is two orders of
magnitude slower and guesses where news conventions are clear.

`find_dates` returns `DateMention`s with a precision: `day`, `month` or `year`;
`iso` gives "2016-10-29", "2016-09" or "2016".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.text import for_lowered_text, has_case_twin

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: dt.date | None  # first day of the period; None when it cannot be resolved
    precision: str  # day, month, year
    relative: str | None = None  # "before" for "the night before" (resolved by the caller)

    @property
    def iso(self) -> str | None:
        if self.date is None:
            return None
        if self.precision == "day":
            return self.date.isoformat()
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return f"{self.date.year:04d}"


_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501 (a pattern reads best on one line)
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    # Saturday, August 22 / October 29, 2016 / Oct. 29
    (
        "mdy",
        re.compile(
            rf"\b(?:{_WD},?\s+)?{_MON}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:%|per|,\d))(?:,?\s+{_YEAR})?"
        ),
    ),
    # 29 October 2016 / 29th of October
    (
        "dmy",
        re.compile(
            rf"\b(?:{_WD},?\s+)?(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?\b"
        ),
    ),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("num", re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)?\d\d)\b")),
    ("wd", re.compile(rf"\b{_WD}(?:['’]s)?\b")),
    (
        "rel",
        re.compile(
            r"\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday|today|tonight|overnight|this\s+morning|"
            r"last\s+night|last\s+week|(?:the\s+)?(?:night|day|evening)\s+before|the\s+previous\s+(?:day|night)|"
            r"last\s+month|last\s+year|this\s+month|this\s+year|earlier\s+this\s+month|"
            r"a\s+week\s+ago|(?P<n>two|three|four|five|six|\d)\s+days\s+ago)\b",
            re.I,
        ),
    ),
    (
        "my",
        re.compile(
            rf"\b(?i:in|since|during|from|until|by|of|early|late|mid-?)\s+(?i:early\s+|late\s+|mid-?)?{_MON}(?:\s+{_YEAR})?\b(?!\s+\d)"
        ),
    ),
    (
        "y",
        re.compile(
            r"\b(?i:in|since|during|from|until|by|of|early|late|mid-?)\s*(?i:early\s+|late\s+|mid-?)?(?P<year>(?:19|20)\d\d)\b(?![-–]\d|\s*(?:people|persons|%))"
        ),
    ),
    # "the 2011 attack", "a 2015 flood": a year used as a modifier
    (
        "y",
        re.compile(
            r"\b(?i:the|a|an|its|their)\s+(?P<year>(?:19|20)\d\d)\s+(?=[a-z])(?!people|persons|soldiers|civilians|children|others|residents|families|homes|houses|troops)"
        ),
    ),
]
_ANY = re.compile(  # (the lookahead: a digit or a word's first letter, a cheap test of each position)
    r"(?=[\dabdefjmnopstwy])(?:\d|day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|tonight|overnight|week|month|year|"
    r"night|morning|evening|before|previous|ago)",
    re.I,
)
_NUMWORD = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# What a text must hold for a kind of pattern above to match at all: cheap tests that spare
# the slower patterns most sentences (a new pattern of one of these kinds must hold them too).
_MONTH_HINT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_DIGIT = re.compile(r"\d")
_NUMERIC_HINT = re.compile(r"\d[-/.]\d")  # "2016-10-29", "29/10/2016"
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")
_WEEKDAY_HINT = re.compile(r"day")  # every weekday, as the case-sensitive pattern writes it
# every relative expression ("the day before", "two days ago"), case-blind
_RELATIVE_HINT = re.compile(r"yesterday|today|tonight|morning|night|week|before|previous|month|year|ago", re.I)
_KIND_NEEDS = {
    "mdy": (_MONTH_HINT, _DIGIT),
    "dmy": (_MONTH_HINT, _DIGIT),
    "my": (_MONTH_HINT,),
    "iso": (_NUMERIC_HINT,),
    "num": (_NUMERIC_HINT,),
    "wd": (_WEEKDAY_HINT,),
    "rel": (_RELATIVE_HINT,),
    "y": (_YEAR_HINT,),
}
_TWIN_HINTS = {rx: for_lowered_text(rx) for rx in (_ANY, _RELATIVE_HINT)}


def _holds(rx: re.Pattern[str], text: str, low: str | None) -> bool:
    """Whether `rx` matches `text`; run on `low` (the lower-cased text, None when it holds one of
    text.CASE_TWINS) when `rx` has a case-sensitive twin."""
    twin = _TWIN_HINTS.get(rx)
    if twin is not None and low is not None:
        return twin.search(low) is not None
    return rx.search(text) is not None


def _month_year(month: int, year: int | None, published: dt.date | None) -> int | None:
    """Year of a month written without one: the latest such month on or before publication."""
    if year is not None:
        return year
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def _safe(y, m, d):
    try:
        return dt.date(y, m, d)
    except (TypeError, ValueError):
        return None


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Date expressions in `text`, resolved against `published` (None: only absolute dates)."""
    found: list[DateMention] = []
    low = None if has_case_twin(text) else text.lower()
    if not _holds(_ANY, text, low):
        return found

    def add(m, date, precision, relative=None):
        s, e = m.span()
        if any(f.start < e and s < f.end for f in found):
            return
        found.append(DateMention(s, e, m.group(), date, precision, relative))

    held: dict[re.Pattern[str], bool] = {}  # each hint tested once, when a pattern first needs it

    def holds(need: re.Pattern[str]) -> bool:
        if need not in held:
            held[need] = _holds(need, text, low)
        return held[need]

    for kind, rx in _PATTERNS:
        if not all(holds(need) for need in _KIND_NEEDS[kind]):
            continue
        for m in rx.finditer(text):
            if kind in ("mdy", "dmy"):
                key = m.group("mon").lower().rstrip(".")
                mon = MONTHS.get(key) or MONTHS[key[:3]]
                day = int(m.group("day"))
                year = int(m.group("year")) if m.group("year") else None
                if year is None and published is not None:
                    year = _month_year(mon, None, published)
                    cand = _safe(year, mon, day)
                    if cand and year is not None and cand > published + dt.timedelta(days=7):
                        year -= 1
                add(m, _safe(year, mon, day) if year else None, "day")
            elif kind == "iso":
                add(m, _safe(int(m.group("year")), int(m.group("m")), int(m.group("d"))), "day")
            elif kind == "num":
                a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("year"))
                y = y + 2000 if y < 100 else y
                if b > 12 and a <= 12:
                    a, b = b, a  # 10/29/2016, US order
                add(m, _safe(y, b, a), "day")
            elif kind == "wd":
                if published is None:
                    add(m, None, "day")
                    continue
                wd = WEEKDAYS[m.group("wd").lower()]
                back = (published.weekday() - wd) % 7
                add(m, published - dt.timedelta(days=back), "day")
            elif kind == "rel":
                rel = re.sub(r"\s+", " ", m.group("rel").lower())
                if rel.endswith("before") or rel.startswith("the previous"):
                    add(m, None, "day", relative="before")
                    continue
                if published is None:
                    add(m, None, "day")
                    continue
                if rel in ("today", "tonight", "overnight", "this morning"):
                    add(m, published, "day")
                elif rel in ("yesterday", "last night"):
                    add(m, published - dt.timedelta(days=1), "day")
                elif rel == "the day before yesterday":
                    add(m, published - dt.timedelta(days=2), "day")
                elif rel in ("last week", "a week ago"):
                    add(m, published - dt.timedelta(days=7), "day")
                elif rel.endswith("days ago"):
                    n = m.group("n").lower()
                    n = int(n) if n.isdigit() else _NUMWORD[n]
                    add(m, published - dt.timedelta(days=n), "day")
                elif rel == "last month":
                    first = published.replace(day=1) - dt.timedelta(days=1)
                    add(m, first.replace(day=1), "month")
                elif rel in ("this month", "earlier this month"):
                    add(m, published.replace(day=1), "month")
                elif rel == "last year":
                    add(m, dt.date(published.year - 1, 1, 1), "year")
                elif rel == "this year":
                    add(m, dt.date(published.year, 1, 1), "year")
            elif kind == "my":
                key = m.group("mon").lower().rstrip(".")
                mon = MONTHS.get(key) or MONTHS[key[:3]]
                yr = _month_year(mon, int(m.group("year")) if m.group("year") else None, published)
                if m.group("mon") == "May" or m.group("mon").lower() == "may":
                    if not re.match(r"(?:in|since|during|until|by|early|late|mid)", m.group(), re.I):
                        continue
                add(m, _safe(yr, mon, 1) if yr else None, "month")
            elif kind == "y":
                add(m, dt.date(int(m.group("year")), 1, 1), "year")
    found.sort(key=lambda d: d.start)
    # relative "the night before": the day before another date of the same text
    out = []
    for d in found:
        if d.relative == "before":
            anchors = [a for a in found if a.precision == "day" and a.date and a is not d]
            anchor = min(anchors, key=lambda a: abs(a.start - d.start)).date if anchors else published
            if anchor is not None:
                d = DateMention(d.start, d.end, d.text, anchor - dt.timedelta(days=1), "day")
        out.append(d)
    return out
