"""Numbers in English news text: find them, normalise them, and say which are not counts.

`find_numbers(text)` returns every number mention with its value and the interval the phrase
implies, following the fact contract exactly:

  exact N                     -> low = high = N
  "at least N", "N or more"   -> [N, None]            qualifier at_least
  "more than N", "over N"     -> [N+1, None]          qualifier more_than
  "nearly/almost/up to N"     -> [None, N]            qualifier at_most
  "less than/fewer than N"    -> [None, N-1]          qualifier less_than
  "about/around/some N"       -> [round(.9N), round(1.1N)]  qualifier about
  "between A and B", "A to B", "A-B" -> [A, B], value A      qualifier range
  vague amounts ("dozens", "hundreds", ...) -> the table's interval, value = its low end (24, 200, ...)

Each mention also carries `nonfact`: why the number is not a count at all (a year, a date, a
clock time, an age, an ordinal, a name such as "Route 9" or "1070 Apartments", ...) or None.
Pure functions; the module holds only compiled patterns and constant tables.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from types import MappingProxyType

from extractors.text import (
    alternations_by_first_letter,
    case_blind_scan,
    for_lowered_text,
    has_case_twin,
    search_case_blind,
)

__all__ = ["NumberMention", "find_numbers", "may_hold_number", "parse_number", "interval"]


@dataclass(frozen=True)
class NumberMention:
    start: int  # start of the whole phrase, qualifier included ("more than 30")
    end: int  # end of the phrase (exclusive)
    num_start: int  # start of the number itself ("30")
    value: float
    low: float | None
    high: float | None
    qualifier: str
    vague: bool = False  # "dozens", "hundreds of thousands", ...
    words: bool = False  # spelled out ("seven") rather than digits
    nonfact: str | None = None  # year/date/time/age/ordinal/name/identifier/duration/score/ratio/percent/money/modifier


# --- lexicon -------------------------------------------------------------------------------

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "lakh": 100_000,  # "nine lakh", "a lakh"
    "crore": 10_000_000,
}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "hundred", "dozen"], key=len, reverse=True))

# Vague amounts: (pattern, value, low, high). The value is the low end: "hundreds" -> 200 (docs/facts.md).
_VAGUE = [
    (r"hundreds\s+of\s+millions", 200_000_000, 200_000_000, 999_999_999),
    (r"tens\s+of\s+millions", 20_000_000, 20_000_000, 99_999_999),
    (r"hundreds\s+of\s+thousands", 200_000, 200_000, 999_999),
    (r"tens\s+of\s+thousands", 20_000, 20_000, 99_999),
    (r"millions", 2_000_000, 2_000_000, 9_999_999),
    (r"thousands", 2_000, 2_000, 9_999),
    (r"hundreds", 200, 200, 999),
    (r"dozens", 24, 24, 99),
    (r"scores(?=\s+(?:of|were|more|have|had|dead|killed|injured|wounded|are|others|died)\b)", 40, 40, 99),
    (r"tens(?=\s+of\b)", 20, 20, 99),
]
# "several hundred", "a few thousand", "many dozens" -> the plural's vague interval (index into _VAGUE).
_VAGUE_INDEX = {"dozen": 7, "hundred": 6, "thousand": 5, "million": 4}

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)

_SEP = r"(?:,|\u00a0|\u202f|\u2009| )"
# Indian digit grouping ("3,41,226", "1,00,000") first, then thousands groups, then plain digits.
_DIGITS = (
    # "2, 85,996 people", "50, 24, 202 people": Indian grouping with a space after the commas (a
    # Bangladeshi habit), only before a count of people
    r"(?<![\d.,])(?:\d{1,2},\s\d{2}(?:,\s?\d{2})*,\s?\d{3}(?=\s+(?:[a-z]+\s+)?(?:people|persons|families|households|residents|individuals)\b)|"
    # "Over 10, 000 suspects", "1, 250 people": a thousands group typed with a space after its comma (a
    # group that starts with 0 can stand alone nowhere; another only before a count of people)
    r"\d{1,3},\s(?:0\d{2}|\d{3}(?=\s+(?:[a-z]+\s+)?(?:people|persons|suspects|families|households|residents|"
    r"individuals|refugees|migrants|children|civilians)\b))(?![\d,])|"
    rf"\d{{1,2}}(?:,\d{{2}})+,\d{{3}}(?!\d|,\d)|\d{{1,3}}(?:{_SEP}\d{{3}})+(?![\d])(?:\.\d+)?"
    rf"|\d+(?:\.\d+)?)"
)
_SCALE_WORD = (
    r"(?:\s*(?:million|mln|billion|bn|thousand|trillion|hundred|dozen|lakhs?|lacs?|crores?)\b"
    r"|(?:m|bn|k|mn)\b)"
)
# "5 lakh 12 thousand": the thousands after a lakh or crore belong to the same number
_INDIAN_REST = r"(?:(?<=lakh)|(?<=lakhs)|(?<=crore)|(?<=crores))\s+(?:and\s+)?\d{1,2}\s+thousand\b"

# Every alternative below starts with a digit or one of these letters (several, a few, few, many,
# a couple, the vague plurals, half, an, and the number words): a quick test of the first
# character spares the full pattern most positions of a text. The second lookahead spares it the
# positions inside words: every alternative starts with a digit, at a word boundary (\b), or with
# one of the words of the first vague alternative, the only one without a \b in front. (Keep both
# in step with the alternatives: a new one that starts otherwise must add its start to them.)
_NUMBER_FIRST = r"(?=[\dabdefhmnostz])(?=\d|\b|few|many|several|a\s+(?:few|couple))"
_NUMBER = re.compile(
    alternations_by_first_letter(
        rf"{_NUMBER_FIRST}(?:(?P<vague>(?:(?:several|a\s+few|few|many|a\s+couple(?:\s+of)?)\s+(?:dozen|hundred|thousand|million)s?\b)"
        rf"|\b(?:{'|'.join(p for p, *_ in _VAGUE)})\b)"
        rf"|(?P<digits>{_DIGITS})(?P<scale>{_SCALE_WORD})?(?P<rest>{_INDIAN_REST})?"
        # "a score of villagers": twenty (only before "of" and a plural: "a score of 3-1" is a result)
        r"|(?P<score>\ba\s+score(?=\s+of\s+(?!(?:the|a|an|his|her|their|its|this|that)\b)[a-z\-]+s\b))"
        rf"|(?P<words>\b(?:(?:half\s+|(?:a|one|two|three)\s+(?:quarters?|thirds?)\s+of\s+)?an?\s+"
        rf"(?=(?:hundred|thousand|million|billion|dozen|lakh|crore)\b))?"
        rf"(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s\-\u2010\u2011]+)(?:{_NUMBER_WORD}))*\b))"
    ),
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")

# Every match of _NUMBER holds a digit or, as a whole word, one of these: a number word, or the first
# word of a vague amount ("hundreds", "tens", "scores"; "several hundred" and "a few thousand" hold a
# number word). Built from the lexicon above, so it keeps in step with it; the lookahead is the words'
# first letters, a cheap test of each position.
_HINT_WORDS = sorted(
    {*_UNITS, *_TENS, *_SCALES, "hundred", "dozen", "score", *(re.split(r"[^a-z]", p)[0] for p, *_ in _VAGUE)},
    key=lambda w: (-len(w), w),
)
_NUMBER_WORD_HINT = re.compile(
    alternations_by_first_letter(
        rf"(?=[{''.join(sorted({w[0] for w in _HINT_WORDS}))}])\b(?:{'|'.join(_HINT_WORDS)})\b"
    ),
    re.IGNORECASE,
)


_NUMBER_WORD_HINT_LOWER = for_lowered_text(_NUMBER_WORD_HINT)  # (the same answer on the lower-cased text, quicker)


def may_hold_number(text: str) -> bool:
    """False when `find_numbers(text)` is surely empty: no digit and no number word (a cheap test)."""
    return _ANY_DIGIT.search(text) is not None or search_case_blind(_NUMBER_WORD_HINT, _NUMBER_WORD_HINT_LOWER, text)


_NUMBER_LOWER = for_lowered_text(_NUMBER)  # the same matches in the lower-cased text, faster

# Qualifiers in front of the number (matched against the lower-cased text just before it).
_QUALIFIER_BEFORE = [
    (
        "at_least",
        re.compile(
            r"(?:\bat\s+least|\bnot\s+less\s+than|\bno\s+(?:fewer|less)\s+than|\ba\s+minimum\s+of|\bminimum\s+of)\s+$"
        ),
    ),
    (
        "more_than",
        re.compile(
            r"(?:\b(?:more|greater)\s+than|\bover|\bupwards\s+of|\bin\s+excess\s+of|\babove|\bexceeding|\bbeyond)\s+$"
        ),
    ),
    (
        "at_most",
        re.compile(
            r"(?:\bnearly|\balmost|\bup\s+to|\bat\s+most|\bas\s+many\s+as|\bas\s+much\s+as|\bclose\s+to|\bno\s+more\s+than|\bnot\s+more\s+than|\ba\s+maximum\s+of|\bjust\s+(?:under|below|shy\s+of))\s+$"
        ),
    ),
    ("less_than", re.compile(r"(?:\b(?:less|fewer)\s+than|\bunder|\bbelow)\s+$")),
    (
        "about",
        re.compile(
            r"(?:\babout|\baround|\bsome|\bapproximately|\bapprox\.?|\broughly|\ban\s+estimated|\bestimated|\bapp?rox|\bcirca|\bca\.|\bmore\s+or\s+less|\bin\s+the\s+region\s+of)\s+$"
        ),
    ),
]
# any of them: one search, so that the usual number without a qualifier is not tried once per qualifier
_ANY_QUALIFIER_BEFORE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _QUALIFIER_BEFORE))
_QUALIFIER_AFTER = [
    ("at_least", re.compile(r"\s+or\s+more\b|\s*(?:-|\u2010|\u2011)?\s*plus\b|\+")),
    ("about", re.compile(r"\s+or\s+so\b")),
]

# --- non-facts -----------------------------------------------------------------------------

# (the lookahead: every alternative starts at a word boundary with a digit, a capitalised month or
# mid/early/late/pre/post; a cheap test of each position. Keep it in step with the alternatives.)
_DATE_SPANS = re.compile(
    r"(?=[\dJFMASONDmelp])(?:"
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,?\s*\d{{4}})?(?!\d)"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:\s*,?\s*\d{{4}})?"
    # "between 1 and 24 March", "from 3 to 9 May": the first day of a range of days
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?(?=\s*(?:and|to|-|–)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS})"
    rf"|\b{_MONTHS}\s*,?\s+\d{{4}}\b"
    r"|\b\d{1,4}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}\b"
    r"|\b(?:19|20)\d0s\b|\b(?:mid|early|late|pre|post)[-\u2010\u2011](?:19|20)\d\d\b)",
)
_TIME_SPANS = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r"|\b\d{1,4}\s*(?:GMT|UTC|hrs|hours\s+(?:GMT|local|UTC)|local\s+time|o'clock|o’clock)\b",
    re.IGNORECASE,
)
_AGE_SPANS = re.compile(
    r"\b(?:aged|age|ages)\s+(?:between\s+)?\d{1,3}(?:\s*(?:and|to|-)\s*\d{1,3})?\b"
    r"|\b\d{1,3}[-\u2010\u2011\s]+(?:years?|months?)[-\u2010\u2011\s]+old\b"
    r"|\b(?:[a-z]+[-\u2010\u2011])?[a-z]+[-\u2010\u2011]years?[-\u2010\u2011]olds?\b"
    r"|\b(?:children|kids|people|those|persons|adults|boys|girls)\s+(?:under|over|below|above|aged)\s+(?:the\s+age\s+of\s+)?\d{1,3}\b"
    r"|\b(?:under|over)[-\u2010\u2011]\d{1,2}s?\b"
    r"|\b\d{1,2}\s+or\s+(?:younger|older)\b",  # "twelve of the dead were 13 or younger"
    re.IGNORECASE,
)
# "Ahmed Khan, 35, was ...", "The victim, 23, was ...", "her husband, 41, ..." -- an age between commas right
# after a capitalised name or a singular noun phrase with its determiner.
_AGE_AFTER_NAME = re.compile(
    r"(?:\b(?P<name>[A-Z][a-z]+)|\b(?:[Tt]he|[Hh]is|[Hh]er|[Aa]n?)\s+(?:[a-z\-]+\s+)?[a-z\-]+[a-rt-z]),\s+(\d{1,3})(?=,\s)"
)
# (what every match of it holds from its comma on: a literal start, searched for quickly)
_AGE_AFTER_NAME_HINT = re.compile(r",\s+\d{1,3},\s")
# "Moreover, 3, 45, 120 people": no name and no age
_LINKING_ADVERBS = frozenset(
    "Moreover However Besides Meanwhile Overall Additionally Furthermore Also Nationwide".split()
)
_SPACED_GROUPING = re.compile(r"\d{1,2},\s\d{2},\s?\d")
_PHONE = re.compile(r"\+?\(?\d{2,4}\)?[\s\-.]\d{3,4}[\s\-.]\d{3,4}\b|\+\d[\d\s\-]{6,}\d")

# A capitalised word before the number that makes it a name ("Route 9", "Flight 17").
_NAME_BEFORE = frozenset(
    """
route flight resolution highway road street avenue article section chapter room gate block sector
camp no no. number unit brigade battalion division regiment squad platoon apartment building
station terminal pier line bus train apollo boeing airbus windows iphone phase level grade
class model type mark mk vol volume page psalm act bill decree protocol code channel
district zone area km kilometre kilometer mile exit runway hangar ward bed precinct
interstate lane plot house hall tower bay villa palace platform base outpost checkpoint region province
""".split()
)
_TIME_UNITS = frozenset(
    """
second seconds minute minutes hour hours day days week weeks month months year years decade decades
century centuries night nights season seasons
""".split()
)


_SHARE_OF = re.compile(r"(a|one|two|three)\s+(quarters?|thirds?)\s+of\s+(?=an?\s)", re.IGNORECASE)


def _number_word_value(run: str) -> tuple[float, int] | None:
    """Evaluate spelled-out numbers ("two hundred and fifty", "a dozen", "half a million").

    Returns (value, number of characters of `run` used); stops at the first word that does not
    continue a well-formed number (so "one two" yields 1)."""
    share = _SHARE_OF.match(run)  # "a quarter of a million", "two thirds of a million"
    if share:
        rest = _number_word_value(run[share.end() :])
        if rest is None:
            return None
        count = {"a": 1, "one": 1, "two": 2, "three": 3}[share.group(1).lower()]
        part = 4 if share.group(2).lower().startswith("quarter") else 3
        return round(rest[0] * count / part), share.end() + rest[1]
    total = 0.0
    current = 0.0
    last = None  # kind of the previous token
    used_end = 0
    half = False
    seen = False
    for m in _WORD.finditer(run):
        w = m.group().lower()
        if w in ("a", "an"):
            if seen:
                break
            current = 1 if not half else current
            last = "a"
            continue
        if w == "half" and not seen:
            half = True
            continue
        if w == "and":
            if last not in ("hundred", "scale"):
                break
            last = "and"
            continue
        if w in _UNITS:
            v = _UNITS[w]
            if last not in (None, "a", "hundred", "scale", "and") and not (last == "tens" and v < 10):
                break
            if last == "a":
                break
            current += v
            last = "unit"
        elif w in _TENS:
            if last not in (None, "hundred", "scale", "and"):
                break
            current += _TENS[w]
            last = "tens"
        elif w == "hundred":
            if last not in (None, "a", "unit", "tens"):
                break
            current = (current or 1) * 100
            last = "hundred"
        elif w in _SCALES:
            if last not in (None, "a", "unit", "tens", "hundred"):
                break
            total += (current or 1) * _SCALES[w]
            current = 0
            last = "scale"
        elif w == "dozen":
            if last not in (None, "a", "unit", "tens"):
                break
            current = (current or 1) * 12
            last = "dozen"
        else:
            break
        seen = True
        used_end = m.end()
    if not seen or last == "and":
        return None
    value = total + current
    if half:
        value *= 0.5
    return value, used_end


def _scale_factor(scale: str) -> float:
    s = scale.strip().lower()
    if s in ("million", "m", "mln", "mn"):
        return 1e6
    if s in ("billion", "bn"):
        return 1e9
    if s in ("thousand", "k"):
        return 1e3
    if s == "trillion":
        return 1e12
    if s == "hundred":
        return 100
    if s == "dozen":
        return 12
    if s in ("lakh", "lakhs", "lac", "lacs"):
        return 1e5
    if s in ("crore", "crores"):
        return 1e7
    return 1


def _round_half_up(x: float) -> float:
    return float(math.floor(x + 0.5))


def interval(value: float, qualifier: str) -> tuple[float | None, float | None]:
    """The (low, high) of the contract's interval table for a plain number with a qualifier."""
    if qualifier == "at_least":
        return value, None
    if qualifier == "more_than":
        return value + 1, None
    if qualifier == "at_most":
        return None, value
    if qualifier == "less_than":
        return None, value - 1
    if qualifier == "about":
        return _round_half_up(0.9 * value), _round_half_up(1.1 * value)
    return value, value


_METRE_CONTEXT = re.compile(
    r"\s*(?:tall|high|deep|long|wide|above|below|away|from|of|in|per|under|into|metres?|meters?|up|down|inland|offshore|square)\b",
    re.I,
)


# "Floods displace 1m in Somalia": after a verb that counts people, "1m" is a million, not a metre
_COUNT_VERB_BEFORE = re.compile(
    r"\b(?:kills?|killed|displaces?|displaced|affects?|affected|evacuates?|evacuated|"
    r"strands?|"
    r"stranded|uproots?|uprooted|leaves|left|forces?|forced|hits?|flee|fled)\s+"
    r"(?:(?:over|about|nearly|almost|some|around|more\s+than)\s+)?$",
    re.I,
)


# small patterns of the per-number tests, compiled once
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b", re.I)
_MAGNITUDE_BEFORE = re.compile(r"magnitude[-\u2010\u2011\s]$", re.I)
_LETTER_JOINER_BEFORE = re.compile(r"[A-Za-z][-\u2010\u2011/]$")
_LETTER = re.compile(r"[A-Za-z]")
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent\b|per\s+cent\b|pct\b)", re.I)
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|US\$|USD|Rs\.?|EUR)\s*$")
_FOUR_DIGITS = re.compile(r"\d{4}")
_DIGIT_CONTINUES = re.compile(r"(?:\.\d|,\d|/\d)")
_HYPHENATED_WORD = re.compile(r"[-\u2010\u2011]([A-Za-z]+)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\s+$")
_SCORE_AFTER = re.compile(r"[-\u2013](\d+)\b")
_DIGIT_SEPARATORS = re.compile(r"[,\u00a0\u202f\u2009 ]")
_OF_THE_GAP = re.compile(r"\s+of(?:\s+the)?\s+", re.I)
_OUT_OF_GAP = re.compile(r"\s+(?:out\s+of|in(?:\s+every)?)\s+", re.I)
_UP_FROM_BEFORE = re.compile(r"\b(?:up|down)\s+from\s+$", re.I)
# "from 20", "from the initially reported 18", "from an earlier figure of 9"
_FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:(?:the|an?)\s+)?(?:(?:initial(?:ly)?|earlier|previous(?:ly)?|original(?:ly)?|first)\s+)?"
    r"(?:(?:reported|announced|given|stated)\s+)?(?:(?:figure|toll|tally|estimate|count)\s+of\s+)?$",
    re.I,
)
_CURRENCY_AFTER = re.compile(r"\s*(?:dollars|euros|pounds|yuan|rupees|naira|shillings|USD|EUR)\b", re.I)
# the _VAGUE patterns without their lookahead, to match a whole phrase
_VAGUE_WHOLE = tuple(re.compile(re.sub(r"\(\?=.*\)$", "", pat)) for pat, *_ in _VAGUE)


def _digits_value(digits: str) -> float:
    clean = _DIGIT_SEPARATORS.sub("", digits)
    return float(clean)


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mention in `text`, left to right, ranges merged into one mention."""
    raw: list[NumberMention] = []
    # (the twin's groups hold lower-cased text: every use below lower-cases them or reads digits)
    scan, target = case_blind_scan(_NUMBER, _NUMBER_LOWER, text)
    for m in scan.finditer(target):
        mention = _mention_from_match(text, m)
        if mention is not None:
            raw.append(mention)
    if not raw:
        return raw
    raw = _merge_ranges(text, raw)
    return _mark_nonfacts(text, raw)


def _vague_mention(text: str, phrase: str, start: int, end: int) -> NumberMention:
    """ "hundreds", "tens of thousands", "several hundred", "a couple of thousand"."""
    phrase = re.sub(r"\s+", " ", phrase.lower())
    for whole, (_, v, lo, hi) in zip(_VAGUE_WHOLE, _VAGUE):
        if whole.fullmatch(phrase):
            return _with_qualifier(
                text, NumberMention(start, end, start, float(v), float(lo), float(hi), "vague", vague=True)
            )
    unit_match = re.search(r"(dozen|hundred|thousand|million)", phrase)
    unit = unit_match.group(1) if unit_match else "hundred"
    if phrase.startswith("a couple"):
        value = 2.0 * {"dozen": 12, "hundred": 100, "thousand": 1e3, "million": 1e6}[unit]
        low, high = interval(value, "about")
        return _with_qualifier(text, NumberMention(start, end, start, value, low, high, "about"))
    _, v, lo, hi = _VAGUE[_VAGUE_INDEX[unit]]
    return _with_qualifier(text, NumberMention(start, end, start, float(v), float(lo), float(hi), "vague", vague=True))


def _mention_from_match(text: str, m: re.Match) -> NumberMention | None:
    start, end = m.start(), m.end()
    words = False
    value: float
    if m.group("vague"):
        return _vague_mention(text, m.group("vague"), start, end)
    if m.group("score"):
        return _with_qualifier(text, NumberMention(start, end, start, 20.0, 20.0, 20.0, "exact", words=True))
    if m.group("digits"):
        value = _digits_value(m.group("digits"))
        scale = m.group("scale")
        if scale:
            s = scale.strip().lower()
            metre = _METRE_CONTEXT.match(text, end) and not _COUNT_VERB_BEFORE.search(text, 0, start)
            if s in ("m", "k", "mn") and metre:
                end = m.end("digits")
            else:
                # round away float noise: "8.3 million" is 8,300,000, not 8300000.000000001
                value = round(value * _scale_factor(s), 6)
        if m.group("rest"):
            value += 1000 * float(re.sub(r"\D", "", m.group("rest")))
    else:
        words = True
        run = m.group("words")
        lower = run.lower()
        # "no one", "every one", "the one who": pronouns, not the number 1.
        if lower == "one" or lower.startswith("one "):
            before = text[max(0, start - 8) : start].lower()
            after = text[end : end + 8].lower()
            if re.search(r"\b(?:no|every|any|each|the|this|that|which|no-|someone)\s*$", before) or after.startswith(
                (" another", " by one", "-off", " day", " time")
            ):
                return None
        parsed = _number_word_value(run)
        if parsed is None:
            return None
        value, used = parsed
        end = start + used
    mention = NumberMention(start, end, start, float(value), float(value), float(value), "exact", words=words)
    return _with_qualifier(text, mention)


_TOLL_UP_TO = re.compile(
    r"\b(?:toll|tally|total|count|figure|went|gone|goes|go|shot|shoots|shooting|shoot|moved|moves|climbed|climbs)\s+up\s+to\s+$"
)


def _with_qualifier(text: str, mention: NumberMention) -> NumberMention:
    before = text[max(0, mention.start - 30) : mention.start].lower()
    for qualifier, pattern in _QUALIFIER_BEFORE if _ANY_QUALIFIER_BEFORE.search(before) else ():
        q = pattern.search(before)
        if q and qualifier == "at_most" and _TOLL_UP_TO.search(before):
            return mention  # "pushed the toll up to 51", "went up to 53": moved to it, no bound
        if q:
            start = mention.start - (len(before) - q.start())
            while text[start].isspace():
                start += 1
            return _requalify(mention, qualifier, start, mention.end)
    for qualifier, pattern in _QUALIFIER_AFTER:
        q = pattern.match(text, mention.end)
        if q:
            return _requalify(mention, qualifier, mention.start, q.end())
    return mention


def _requalify(mention: NumberMention, qualifier: str, start: int, end: int) -> NumberMention:
    if mention.vague or mention.qualifier == "about":
        # A qualifier on a vague amount bounds one side only ("at least hundreds").
        if qualifier in ("at_least", "more_than"):
            return replace(mention, start=start, end=end, high=None)
        if qualifier in ("at_most", "less_than"):
            return replace(mention, start=start, end=end, low=None)
        return replace(mention, start=start, end=end)
    low, high = interval(mention.value, qualifier)
    return replace(mention, start=start, end=end, low=low, high=high, qualifier=qualifier)


_RANGE_GAP = re.compile(r"\s*(?:-|–|—|‒|\u2010|\u2011|to|and|or)\s*$", re.IGNORECASE)
_CHANGE_BEFORE = re.compile(
    r"\b(?:rose|risen|rises|rising|increased|increasing|jumped|climbed|grew|went|up|down|revised|raised|fell|fallen|falls|falling|dropped|lowered|decreased|declined|shrank|shrunk|swelled|swollen|soared|surged|changed)\b(?:[^.;]|(?<=\d)\.(?=\d)){0,40}$",
    re.IGNORECASE,
)

_CHANGE_BY_BEFORE = re.compile(
    r"\b(?:rose|risen|rises|increased|jumped|climbed|grew|grown|fell|fallen|falls|dropped|decreased|declined|"
    r"shrank|slid|slipped|leapt|leaped|soared|surged|swelled|spiked|(?:shot|went|gone|edged)\s+up)\s+(?:by\s+)?$",
    re.IGNORECASE,
)


def _merge_ranges(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    out: list[NumberMention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        if i + 1 < len(mentions):
            b = mentions[i + 1]
            gap = text[a.end : b.start]
            merged = _range_of(text, a, b, gap)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _range_of(text: str, a: NumberMention, b: NumberMention, gap: str) -> NumberMention | None:
    if len(gap) > 7 or not _RANGE_GAP.fullmatch(gap) or a.vague or b.vague:
        return None
    if b.qualifier not in ("exact",):
        return None
    sep = gap.strip().lower()
    before = text[max(0, a.start - 60) : a.start]
    low_value = a.value
    # "2 to 3 million": the scale of the upper end applies to the lower end.
    if b.value >= 1000 and low_value < b.value / 100 and low_value < 1000:
        for factor in (1e3, 1e6, 1e9):
            if low_value * factor <= b.value < low_value * factor * 100:
                low_value *= factor
                break
    if not low_value < b.value:
        return None
    if sep == "and" and not re.search(r"\bbetween\s+$", before, re.IGNORECASE):
        return None
    if sep in ("-", "–", "—", "‒", "\u2010", "\u2011") and (a.words != b.words):
        return None
    start = a.start
    if sep == "to" and _CHANGE_BY_BEFORE.search(before):
        return None  # "fell by 41,200 to 612,900": the change, then the level
    if sep == "to" and re.search(r"\bfrom\s+$", before, re.IGNORECASE):
        if _CHANGE_BEFORE.search(before[:-5] if len(before) > 5 else before):
            return None  # "rose from 10 to 20": a revision, not a range
        start = a.start - (len(before) - before.lower().rindex("from"))
    between = re.search(r"\bbetween\s+$", before, re.IGNORECASE)
    if between:
        start = a.start - (len(before) - between.start())
    if a.qualifier not in ("exact", "at_least", "about", "more_than"):
        pass
    return NumberMention(start, b.end, a.num_start, low_value, low_value, b.value, "range", words=a.words and b.words)


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


_FOLLOWING_WORD = re.compile(r"[ \u00a0]?([A-Za-z][A-Za-z'’\-]*)")


_SHARE_OF_BEFORE = re.compile(
    r"(?:%|\bper\s*cent|\bpercent|\bhalf|\bthirds?|\bquarters?|\bmajority|\bmost|\bfraction|\bshare|\bproportion)"
    r"\s+of\s+(?:the\s+|its\s+|their\s+|all\s+|an\s+estimated\s+)?$",
    re.IGNORECASE,
)
_RATIO_GAP = re.compile(r"\s+(?:out\s+of|of(?:\s+the)?|in(?:\s+every)?)\s+", re.IGNORECASE)
_YEAR_CONTEXT_BEFORE = re.compile(
    r"\b(?:in|since|by|from|until|till|of|year|during|before|after|early|late|mid|between|and|to|through)\s+$", re.I
)
_COUNT_AFTER = re.compile(
    r"\s+(?:people|persons|civilians|residents|children|men|women|soldiers|troops|dead|killed|deaths|"
    r"injured|wounded|displaced|refugees|migrants|families|households|cases|were|have|had|are|died|fled|"
    r"missing|others|more|of\s+(?:them|whom|those|the))\b",
    re.IGNORECASE,
)

# Non-fact reasons the statistics pass must not turn into facts (see pipeline: `claimed`).
CLAIMED_NONFACTS = frozenset(
    {
        "year",
        "date",
        "time",
        "age",
        "ordinal",
        "name",
        "identifier",
        "duration",
        "modifier",
        "score",
        "ratio",
        "restated",
        "difference",
    }
)
# "its toll was 60 less than the morgue's": a difference between two counts, not a count
_DIFFERENCE_AFTER = re.compile(r"\s+(?:less|fewer|lower|higher)\s+than\b", re.IGNORECASE)
# "1,200 (one thousand two hundred)", "two hundred and fifty (250)": the figure in brackets restates
# the one before it (one fact, not two)
_RESTATED_GAP = re.compile(r"\s*\(\s*")
_RESTATED_CLOSE = re.compile(r"\s*\)")


_ANY_DIGIT = re.compile(r"\d")
# (each hint's first lookahead names the characters any of its alternatives can start with: a quick
# test of one character before the alternatives)
_DATE_HINT = re.compile(
    r"(?=[JFMASOND\d\-\u2010\u2011])"
    r"(?:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|\d[/.]\d|\d-\d|\d0s\b"
    r"|[-\u2010\u2011](?:19|20)\d\d)"
)
_TIME_HINT = re.compile(r"\d:\d|\d\s*(?:a\.?m|p\.?m|gmt|utc|hrs|hours|local|o'|o’)", re.I)
_AGE_HINT = re.compile(r"\b(?:age|aged|ages|under|over|below|above|younger|older)\b|year|month", re.I)
_PHONE_HINT = re.compile(r"(?=[\d+])(?:\d[\s\-.)]\d{3}|\+\d)")
# the case-sensitive twins of the case-blind tests run on every sentence or number (text.for_lowered_text)
_TWINS = MappingProxyType({rx: for_lowered_text(rx) for rx in (_TIME_HINT, _AGE_HINT, _SHARE_OF_BEFORE)})


def _found(rx: re.Pattern[str], text: str, low: str | None, start: int = 0, end: int | None = None) -> bool:
    """Whether `rx` matches in text[start:end]; on the same part of `low` (the lower-cased text,
    None when it holds one of text.CASE_TWINS) when `rx` has a twin."""
    twin = _TWINS.get(rx)
    if twin is not None and low is not None:
        return twin.search(low[start:end]) is not None
    return rx.search(text[start:end]) is not None


def _mark_nonfacts(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    dates: list[tuple[int, int]] = []
    times: list[tuple[int, int]] = []
    ages: list[tuple[int, int]] = []
    phones: list[tuple[int, int]] = []
    low = None if has_case_twin(text) else text.lower()
    if _ANY_DIGIT.search(text):  # dates, times, ages and phone numbers all hold digits; cheap hints first
        if _DATE_HINT.search(text):
            dates = _spans(_DATE_SPANS, text)
        if _found(_TIME_HINT, text, low):
            times = _spans(_TIME_SPANS, text)
        if _found(_AGE_HINT, text, low):
            ages = _spans(_AGE_SPANS, text)
        ages += [
            (a.start(2), a.end(2))
            for a in (_AGE_AFTER_NAME.finditer(text) if _AGE_AFTER_NAME_HINT.search(text) else ())
            if a.group("name") not in _LINKING_ADVERBS and not _SPACED_GROUPING.match(text, a.start(2))
        ]
        if _PHONE_HINT.search(text):
            phones = _spans(_PHONE, text)
    # each mention's own reason, once (the ratio test below also asks for the next mention's)
    reasons = [_nonfact_reason(text, m, dates, times, ages, phones) for m in mentions]
    out: list[NumberMention] = []
    for i, m in enumerate(mentions):
        reason = reasons[i]
        if reason is None and i > 0:
            prev = mentions[i - 1]
            gap = text[prev.end : m.start]
            if _RATIO_GAP.fullmatch(gap) and not prev.vague:
                if prev.value == 1 and prev.words and _OF_THE_GAP.fullmatch(gap):
                    # "one of the 20 people arrested": the 20 is the count, "one" a single person
                    out[-1] = replace(out[-1], nonfact="partitive_one")
                else:
                    reason = "ratio"  # the "14" of "eleven of the 14 foreigners", the "5" of "1 in 5"
        if (
            reason is None
            and i > 0
            and m.value == mentions[i - 1].value
            and _RESTATED_GAP.fullmatch(text, mentions[i - 1].end, m.start)
            and _RESTATED_CLOSE.match(text, m.end)
        ):
            reason = "restated"
        nxt_m = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            reason is None
            and nxt_m is not None
            and nxt_m.value > m.value
            and nxt_m.value <= 1000
            and reasons[i + 1] is None
        ):
            gap = text[m.end : nxt_m.start]
            if _OUT_OF_GAP.fullmatch(gap):
                reason = "ratio"  # "3 out of 4", "1 in 5"
        if reason is None and _DIFFERENCE_AFTER.match(text, m.end):
            reason = "difference"
        if reason is None and _found(_SHARE_OF_BEFORE, text, low, max(0, m.start - 30), m.start):
            reason = "ratio"  # "80 percent of the 2.2 million residents": a denominator
        if reason is None and (
            _UP_FROM_BEFORE.search(text[max(0, m.start - 12) : m.start])
            or (
                (frm := _FROM_BEFORE.search(text, max(0, m.start - 50), m.start))
                and _CHANGE_BEFORE.search(text[max(0, frm.start() - 55) : frm.start()])
            )
        ):
            reason = "revision"  # "rose to 3,400, up from 3,100": the older figure
        out.append(replace(m, nonfact=reason) if reason else m)
    return out


def _nonfact_reason(text, m: NumberMention, dates, times, ages, phones) -> str | None:
    s, e = m.num_start, m.end
    if m.vague:
        return None
    if times and any(ts <= s < te for ts, te in times):  # (most sentences have none of these spans)
        return "time"
    if dates and any(ds <= s < de for ds, de in dates):
        return "date"
    if ages and any(as_ <= s < ae for as_, ae in ages):
        return "age"
    if phones and not m.words and any(ps <= s < pe for ps, pe in phones):
        return "identifier"
    prev = text[max(0, s - 2) : s]
    nxt = text[e : e + 12]
    if not m.words:
        if _ORDINAL_SUFFIX.match(nxt):
            return "ordinal"
        if _MAGNITUDE_BEFORE.search(text[max(0, s - 10) : s]):
            return None  # "magnitude-7.1": a statistic, not a name
        if prev[-1:].isalpha() or _LETTER_JOINER_BEFORE.search(prev) or prev[-1:] in ("#", "№"):
            return "identifier"
        if _LETTER.match(nxt):
            return "attached"  # "10km", "5kg": a unit for the statistics pass
        if _PERCENT_AFTER.match(nxt):
            return "percent"
        if _CURRENCY_BEFORE.search(text[max(0, s - 5) : s]) or _CURRENCY_AFTER.match(nxt):
            return "money"
        fw = _FOLLOWING_WORD.match(text, e)
        if m.qualifier == "exact" and fw and fw.group(1)[0].isupper() and fw.group(1).lower() in _NAME_AFTER:
            return "name"
        if (
            m.qualifier == "exact"
            and 1000 <= m.value <= 2100
            and _FOUR_DIGITS.fullmatch(text[s:e])
            and (_YEAR_CONTEXT_BEFORE.search(text[max(0, s - 10) : s]) or not _COUNT_AFTER.match(text, e))
        ):
            return "year"
        if _DIGIT_CONTINUES.match(nxt):
            return "identifier"
    # Hyphenated modifier: "13-hour siege", "40,000-strong", "6.1-magnitude".
    hyph = _HYPHENATED_WORD.match(nxt)
    if hyph:
        unit = hyph.group(1).lower()
        if unit not in _UNITS and unit not in _TENS and unit not in ("plus", "and"):
            if unit in _TIME_UNITS or unit + "s" in _TIME_UNITS:
                return "duration"
            if unit in ("strong", "member", "man", "storey", "story", "point", "page", "seat", "nation"):
                return "modifier"
            return "modifier_stat"  # "6.1-magnitude", "12-tonne": a statistic's business
    # Names: "Route 9", "Resolution 2254" (capitalised keyword before) or "1070 Apartments".
    before_word = _WORD_BEFORE.search(text[max(0, m.start - 20) : m.start])
    if (
        before_word
        and not m.words
        and before_word.group(1)[0].isupper()
        and before_word.group(1).lower() in _NAME_BEFORE
    ):
        return "name"
    if not m.words and m.qualifier == "exact":
        fw = _FOLLOWING_WORD.match(text, e)
        if fw and fw.group(1)[0].isupper() and fw.group(1).lower() in _NAME_AFTER:
            return "name"
    # Scores: "won 3-1" (a hyphenated pair whose first number is not the smaller).
    second = _SCORE_AFTER.match(nxt)
    if second and not m.words and float(second.group(1)) <= m.value:
        return "score"
    return None


# Capitalised words after a bare number that make it part of a name ("1070 Apartments").
_NAME_AFTER = frozenset(
    """
apartments apartment street avenue road st ave rd boulevard blvd square building tower towers
plaza park lane highway route brigade division battalion regiment squadron corps
club hotel house mall centre center school college
""".split()
)


def parse_number(phrase: str) -> NumberMention | None:
    """The first number mention in `phrase` (a convenience for tests and callers)."""
    found = find_numbers(phrase)
    return found[0] if found else None
