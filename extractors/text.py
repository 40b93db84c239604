"""Sentence splitting with offsets into the original text (spans must index the original).

A sentence ends at a line break (headlines, datelines and paragraphs are their own sentences)
or at `.`, `!`, `?` (plus closing quotes/brackets) followed by white space -- unless the
period belongs to an abbreviation ("Oct.", "Mr.", "U.S.", "a.m."), an initial ("J. Smith"),
or the next word starts in lower case (the sentence clearly goes on).
Decimals ("3.5") never split because the period is not followed by white space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# A case-blind pattern without capitals finds the same matches, at the same offsets, in a text
# as its case-sensitive twin in the lower-cased text, and ~2-10x faster; except in a text with
# one of these four characters (dotted and dotless i, long s, the Kelvin sign), the only ones
# whose case-blind match differs from that of their .lower() (checked over all of Unicode).
CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")


def has_case_twin(text: str) -> bool:
    """Whether `text` holds one of `CASE_TWINS` (an ASCII text, most sentences, is answered without a search)."""
    return not text.isascii() and CASE_TWINS.search(text) is not None


_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))")


def for_lowered_text(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The case-sensitive twin of a case-blind `pattern`, to run on `text.lower()` when
    `CASE_TWINS` is not in the text (match groups then hold lower-cased text); None when the
    pattern has a capital (a literal, or \\S, \\W, \\D, \\B) or a case-sensitive part."""
    source = _GROUP_NAME.sub("", pattern.pattern)
    if not pattern.flags & re.IGNORECASE or "(?-i" in source or any(c.isupper() for c in source):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _top_level_alternatives(source: str) -> list[str]:
    """`source` split at its `|`s outside groups and character classes."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += source.startswith("^", i + 1)
            i += source.startswith("]", i + 1)  # ("[]…]", "[^]…]": the "]" is a member)
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    return [*parts, source[start:]]


_CAPTURE = re.compile(r"(?<!\\)\((?!\?)|\(\?P<")


def by_first_letter(alternation: str) -> str:
    """The alternation `alternation` ("kill|dead|die|dying"), its alternatives grouped by their first letter
    ("k(?:ill)|d(?:ead|ie|ying)"): the regex engine then tries one group at a position instead of every
    alternative (a long alternation searched on every sentence is several times quicker). The same matches:
    alternatives of one letter keep their order, and two of different letters never match at one position
    (nor do they with re.IGNORECASE). Only an alternative that starts with a lower-case letter or digit, not
    quantified, and holds no capturing group (whose number would change) is grouped; any other stays where it
    is, and the alternatives on either side of it are grouped apart."""
    out: list[str] = []
    run: dict[str, list[str]] = {}  # the groupable alternatives since the last other one, by first letter

    def flush() -> None:
        out.extend(first + (f"(?:{'|'.join(rest)})" if len(rest) > 1 else rest[0]) for first, rest in run.items())
        run.clear()

    grouped_any = False
    for alt in _top_level_alternatives(alternation):
        if (
            not alt
            or not ("a" <= alt[0] <= "z" or "0" <= alt[0] <= "9")
            or alt[1:2] in ("?", "*", "+", "{")
            or _CAPTURE.search(alt)
        ):
            flush()
            out.append(alt)
            continue
        grouped_any = grouped_any or alt[0] in run
        run.setdefault(alt[0], []).append(alt[1:])
    flush()
    return "|".join(out) if grouped_any else alternation


_GROUP_OPEN = re.compile(r"\((?:\?(?::|P<\w+>|=|!|<=|<!|[aiLmsux-]+:)?)?")


def alternations_by_first_letter(source: str) -> str:
    """`source` with `by_first_letter` applied to every alternation in a non-capturing group "(?:…)" and to
    the top level: the same matches (`by_first_letter`), quicker for a pattern with long word lists."""
    stack: list[list[str]] = [[]]
    openers: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            stack[-1].append(source[i : i + 2])
            i += 2
            continue
        if in_class or c == "[":
            j = i + 1
            if c == "[":
                j += source.startswith("^", j)
                j += source.startswith("]", j)
            stack[-1].append(source[i:j])
            in_class = c == "[" or c != "]"
            i = j
            continue
        if c == "(":
            opener = _GROUP_OPEN.match(source, i)
            assert opener is not None
            openers.append(opener.group())
            stack.append([])
            i = opener.end()
            continue
        if c == ")":
            inner, opener_text = "".join(stack.pop()), openers.pop()
            stack[-1].append(opener_text + (by_first_letter(inner) if opener_text == "(?:" else inner) + ")")
        else:
            stack[-1].append(c)
        i += 1
    return by_first_letter("".join(stack[0]))


def grouped(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` compiled again with `alternations_by_first_letter`: the same matches, quicker."""
    return re.compile(alternations_by_first_letter(pattern.pattern), pattern.flags)


def exact_matches(scan: re.Pattern[str], exact: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`exact.finditer(text)`, found with `scan`: the same pattern with fewer groups (quicker to search), `exact`
    then read at the start of each of its matches (the same match: the same language, the same priorities)."""
    for m in scan.finditer(text):
        t = exact.match(text, m.start())
        assert t is not None and t.end() == m.end()
        yield t


def case_blind_scan(
    pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, lowered: str | None = None
) -> tuple[re.Pattern[str], str]:
    """The pattern and the text to scan for the case-blind `pattern`'s matches in `text` (same matches,
    same offsets): its `for_lowered_text` twin on the lower-cased text (`lowered`, when already
    computed) when it has one and may use it; else `pattern` on `text`."""
    if twin is None or has_case_twin(text):
        return pattern, text
    return twin, text.lower() if lowered is None else lowered


def search_case_blind(pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str) -> bool:
    """Whether the case-blind `pattern` matches somewhere in `text` (the same answer as `pattern.search`)."""
    scan, target = case_blind_scan(pattern, twin, text)
    return scan.search(target) is not None


# Candidate sentence ends: terminal punctuation + closing quotes/brackets, then white space or end.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")

# Abbreviations after which a period does not end the sentence (lower-cased, without the last dot).
_ABBREVIATIONS = frozenset(
    """
mr mrs ms dr prof gen lt col sgt capt maj cpl pvt adm cmdr gov sen rep rev fr st jr sr mt ft
inc corp ltd co bros dept est approx vs etc al no nos vol fig op art sec ch rs
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
u.s u.k u.n e.u u.a.e d.c a.m p.m e.g i.e n.y l.a
""".split()
)


_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_NAME_AFTER_INITIALS = re.compile(r"\s+(?!(?:The|A|An|He|She|It|They|We|In|On|At|But|And)\b)[A-Z][a-z]")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation or an initial."""
    m = _LAST_WORD.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    if _INITIALS.fullmatch(m.group(1)) and _NAME_AFTER_INITIALS.match(text[dot + 1 : dot + 20]):
        return True  # initials before a name ("M.K. Stalin", "N.P. Saud")
    # Single capital initial ("J. Smith"), but not a one-letter word at sentence end like "I."
    return len(word) == 1 and m.group(1).isupper() and m.group(1) != "I"


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        if m.group() != "\n":
            punct = m.group()
            if punct[0] == "." and len(punct.rstrip("\"'”’)]")) == 1 and _is_abbreviation(text, m.start()):
                continue
            # The next word in lower case: the sentence goes on ("said the U.S. army.").
            nxt = end
            while nxt < n and text[nxt] in " \t\u00a0":
                nxt += 1
            if nxt < n and text[nxt].islower():
                continue
        _append(out, text, start, end)
        start = end
    _append(out, text, start, n)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    body = raw.strip()
    if body:
        lead = len(raw) - len(raw.lstrip())
        s = start + lead
        out.append(Sentence(s, s + len(body), body))
