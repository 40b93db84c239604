"""Who said it, where, and when: fills source, location/place and date of facts.

Per fact, from its own sentence first, then from the article:
- source: the reporting clause governing the figure (`attribution.governing`), resolved across
  sentences (pronouns, "the ministry", "the UK-based monitoring group", surnames) to the body
  or person named before. A sentence inside a quotation takes the speaker named after the
  quote closes. An unattributed sentence takes the latest attribution of its paragraph when
  that paragraph opens with "According to X, …" or the sentence before goes on reporting the
  same thing (it was attributed and spoke of casualties, or this one continues a quote), and
  it opens no new time and no place of another country; a population figure takes none. A
  headline takes its "…: health ministry", "… - monitor" or "…, UN says" tail.
- location: the place phrase of the figure's clause (the first after the figure, else the
  nearest before), then of its sentence; a container written right after its place ("Morbi in
  India's Gujarat state") and a place inside the attribution ("the ministry in Kinshasa said")
  yield to the more telling one; "in the region"/"in the country" refer back, "elsewhere in the
  country" is that country. Without one: the place of the latest sentence that named one (not a
  place only passed through), then the article's main place: the lede's, the headline's, the
  dateline only when its country is the story's (a dateline is where the reporter is), else the
  country the headline and lede are about (`places.countries_named`: countries, regions,
  demonyms of institutions, never of nationals).
- toponyms are resolved against the article (`_Article.context`): its countries rank the
  gazetteer's candidates before feature class and population; small towns of those countries
  resolve, towns of countries it does not name need a cue.
- date: the date expression nearest the figure in its clause, resolved against the
  publication date, leaving out the start of a period ("since October 7"), a dateline's date,
  a day in an "after …" clause and, in a toll sentence, the day of the event counted
  ("Saturday's attack"); "by/as of <day>" fixes the day; a toll with no other day stood on the
  day it was reported. A month or year that does not contain the publication day (a historical
  figure, "in 2008", "the 2011 attack") gives its first day; a sentence without any date after
  one that opens with a day ("On 2 June 2021, …") takes that day; a sentence of a later paragraph
  without any date goes on with the lede's report (`_lede_day`): the day the lede says its report
  was given ("…, the ministry said on Sunday"), else the day of the lede's figure ("rose to 58 on
  Monday", "killed 14 on Sunday night"), unless it opens another time, widens to other places or
  names another country; otherwise the publication date.
  The convention (settled on the dev labels, `../shared/dev/README.md`: `date` only where the text
  fixes the day): a headline's figure is undated in the labels (we give the publication date, which
  is not scored); a later paragraph's figure that continues the lede's report takes the lede's day,
  never the publication date for its own sake; "overnight", "today" are the publication date.
- "in the capital" is the capital of the country named before; a town the gazetteer lacks gets
  the article's country code.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from extractors import attribution as attr
from extractors.dates import find_dates
from extractors.places import (
    CITY,
    COUNTRY,
    FACILITY_NOUN,
    MACRO_REGION,
    PLACE_NOUNS,
    REGION,
    SEVERAL_PLACES,
    Place,
    PlaceMention,
    countries_named,
    dateline,
    dateline_country,
    find_places,
    fold,
    gazetteer,
    last_country,
    local_names,
)
from extractors.schema import FactBase
from extractors.text import Sentence, case_blind_scan, for_lowered_text, grouped

_SEGMENT = re.compile(  # (the lookahead: what every alternative starts with, a cheap test of each position)
    r"(?=[,;\s])(?:,\s+(?=(?:while|and|but|which|whereas|where|who|whom|adding|saying)\b)|;\s+|\s+[-–—]\s+|"
    r"\s+(?=as\s+(?:the\s+|a\s+)?[a-z]+\s+(?:[a-z]+ed|were|was|are|is)\b))"
)
# a later clause that goes on to something else: the speaker's next point, or what went on meanwhile
_ASIDE = re.compile(r"(?:adding|saying|as)\b")
_CASUALTY_WORDS = re.compile(
    r"\b(?:kill|dead|death|die|wound|injur|hurt|missing|displac|homeless|affected|toll|casualt|"
    r"victim|arrest|detain|abduct|kidnap|evacuat|rescu|fled|flee|strand|destroy|damag|"
    r"bodies|body|survivor|cases|drown|perish)",
    re.I,
)
# (the lookahead: the sentence start, for the "^" alternatives, or the first character of the others; a
# cheap test of each position. Keep it in step with the alternatives.)
_NEW_TIME = re.compile(
    r"(?:^|(?=[iIaotsLl\d]))(?:"
    r"^(?:In|By|Since|During|Back in|Earlier|Last)\s+(?:\w+\s+)?(?:19|20)\d\d\b|\b(?:in|In)\s+(?:19|20)\d\d\b|"
    r"\b(?:a|one|two|three|several|\d+)\s+(?:years?|months?)\s+ago\b|\b[Ll]ast\s+year\b|"
    # "In June this year, …", "Earlier in March": a month that opens the sentence is another time
    r"^(?:In|By|Since|During|Back\s+in|Earlier\s+in|Last|Early|Late)\s+(?:early\s+|late\s+|mid-)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)"
)
_QUOTE_OPEN = re.compile(r"^[\"“]")
# a report of raids or arrests, whose counts the next sentences go on giving
_ROUND_UP = re.compile(r"\b(?:rounded\s+up|round-?ups?|raids|crackdown|custody|swoops?)\b", re.I)
# "Another 45,000 have reached South Sudan": the same count goes on, wherever it is
_ANOTHER = re.compile(r"^(?:Another|A\s+further|An\s+additional|Some\s+other)\s+(?:\d|[a-z]+\s+(?:people|of\s+them)\b)")
# a sentence that refers back to the event just reported ("… killed in the attack") goes on with its report
_SAME_EVENT = re.compile(
    r"\b(?:the|that|this)\s+(?:attack|assault|raid|blast|bombing|explosion|fire|crash|collapse|"
    r"shooting|stampede|landslide|flood|floods|storm|quake|earthquake|incident|violence|clashes|fighting|"
    r"ambush|accident|disaster|jailbreak|prison\s+break)\b"
)
_EVENT_DONE = re.compile(
    r"\b(?:exploded|detonated|collapsed|capsized|sank|crashed|derailed|caught\s+fire|erupted|struck|hit|"
    r"stormed|attacked|opened\s+fire|went\s+off|burst)\b"
)
_JURISDICTION = re.compile(
    r"\b(?:collector|commissioner|governor|mayor|administrator|magistrate|chief|head)\s+of\s+(?:the\s+)?$"
)
# a sentence that widens to other places is another report ("Several other states have also …")
_WIDER = re.compile(
    r"\b(?:[Ss]everal|[Oo]ther|[Mm]any|[Nn]eighbou?ring)\s+(?:[\w-]+\s+){0,2}"
    r"(?:states|provinces|countries|regions|districts|nations|cities)\b|\b[Ee]lsewhere\b|"
    r"\b(?:[Aa]cross|[Tt]hroughout)\s+the\s+(?:state|country|region|province|nation)\b|\b[Nn]ationwide\b"
)
# the case-blind sentence tests' twins on the lower-cased sentence (the same matches, quicker)
_LOWER_TWINS = {rx: for_lowered_text(rx) for rx in (_CASUALTY_WORDS,)}
# a sentence opening with its attribution sets the source of the paragraph that follows
_GOVERNS_ON = re.compile(r"^\s*(?:According\s+to|Citing|Figures\s+from|Data\s+from)\b")
_DATELINE_STRIP = re.compile(
    r"^\s*(?:\(?[A-Z][A-Z .'\-]{2,}(?:,\s*[\w .]+?)?(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s*(?:\([^)]*\))?\)?\s*[-–—]{1,2}\s*|\([A-Z][\w .]*\)\s*[-–—]{1,2}\s*)"  # noqa: E501 (a pattern reads best on one line)
)
_DATELINE_LINE = re.compile(_DATELINE_STRIP.pattern, re.M)
_UNSET = object()
_WITH_MORE = re.compile(r",\s+with\s")
# "170 more elsewhere in the country", "in the north of the country": that country, as written
_REST_OF = re.compile(
    r"\b(?:elsewhere\s+(?:in\s+)?|the\s+rest\s+of\s+|the\s+(?:far\s+)?(?:north|south|east|west|"
    r"north-?east|north-?west|south-?east|south-?west|centre|center|interior)\s+of\s+)$",
    re.I,
)
_BUILDING = re.compile(rf"\s{FACILITY_NOUN}$")


def _segments(sentence: str) -> list[tuple[int, int]]:
    out, last = [], 0
    for m in _SEGMENT.finditer(sentence):
        out.append((last, m.start()))
        last = m.end()
    out.append((last, len(sentence)))
    return out


def _own_clause(sent: str, seg: tuple[int, int], pos: int) -> tuple[int, int]:
    """The clause `seg` of the figure at `pos`, cut at ", with …" ("The toll in Kerala rose to 158,
    with 98 still missing in Mundakkai": each figure its own place)."""
    for w in _WITH_MORE.finditer(sent, seg[0], seg[1]):
        seg = (seg[0], w.start()) if w.start() >= pos else (w.end(), seg[1])
    return seg


def _segment_of(segs, pos):
    for s, e in segs:
        if s <= pos <= e:
            return s, e
    return segs[-1]


class _Article:
    """What the article says once: sentences, places, attributions, main place."""

    def __init__(self, text: str, sentences: list[Sentence], published, title):
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.published = published
        head = (title or "") + "\n" + text[:1500]
        named = countries_named(head)
        # a dateline that writes its state or country ("ATHENS, Ga. —") says which Athens the story means
        said_by_dateline = {c for c in (dateline_country(line) for line in text.split("\n", 2)[:2]) if c is not None}
        self.context = frozenset(named) | said_by_dateline  # = countries_in(head) | the dateline's
        self.local = local_names(text)
        # the countries the story is about, in the order named: the dateline only says where
        # the reporter is ("CAIRO — Libyan forces …")
        undated = _DATELINE_LINE.sub(" ", head, count=1)
        self.story = named if undated == head else countries_named(undated)
        # headline: the first line when it is the title or has no sentence-final punctuation
        self.headline = -1
        if sentences:
            first = sentences[0].text
            line_end = text.find("\n")
            one_line = line_end == -1 or sentences[0].end <= line_end
            if (title and _norm(first).startswith(_norm(title)[:40])) or (
                one_line
                and line_end != -1
                and not first.endswith((".", "!", "?", '"', "”"))
                and not first.startswith("By ")
                and len(first) < 200
            ):
                self.headline = 0
        self._places: dict[int, list[PlaceMention]] = {}
        self._attrs: dict[int, list[attr.Attribution]] = {}
        self._dates: dict[int, list] = {}
        self._segs: dict[int, list[tuple[int, int]]] = {}
        self._in_source: dict[int, list[PlaceMention]] = {}
        self._resolved: dict[tuple[int, int], str] = {}
        self._searched: dict[tuple[re.Pattern[str], int], re.Match[str] | None] = {}
        self.lede_day: object = _UNSET  # the day the lede's figures stood (`_lede_day`), once
        # sources are resolved in reading order, sentence by sentence, only as far as a fact needs
        # (`resolved`): each one reads the sources named before it, never after
        self._history: list[str] = []
        self._recent: list[str] = []
        self._sourced = 0  # sentences [0, _sourced) have their sources resolved
        self.main = self._main_place(title)
        # the country the article is about: its main place's, else the only one its head names
        self.home = self.main.country_code if self.main is not None else None
        if self.home is None and self.story:
            self.home = self.story[0]

    # -- per sentence, cached --------------------------------------------------------------
    def body(self, i: int) -> tuple[str, int]:
        """Sentence text without a dateline, and the offset removed."""
        t = self.sentences[i].text
        if i <= 2:
            m = _DATELINE_STRIP.match(t)
            if m and m.end() < len(t):
                return t[m.end() :], m.end()
        return t, 0

    def places(self, i: int) -> list[PlaceMention]:
        if i not in self._places:
            t, off = self.body(i)
            self._places[i] = [
                PlaceMention(p.start + off, p.end + off, p.written, p.place, p.country_code, p.generic, p.weak)
                for p in find_places(t, self.context, self.local)
            ]
            if i == self.headline and not self._places[i]:
                self._places[i] = _headline_region(t, self.context)
            if self.context and any(
                p.country_code not in (None, *self.context) or (p.place is None and p.generic is None)
                for p in self._places[i]
            ):
                self._places[i] = [self._as_before(i, p) for p in self._places[i]]
        return self._places[i]

    def _as_before(self, i: int, p: PlaceMention) -> PlaceMention:
        """A name the article resolved before in one of its countries means that place again
        ("the mining town of Mahdia in central Guyana" … "the Mahdia District Hospital": not
        Mahdia of Tunisia, and not a building of no town)."""
        if p.country_code in (None, *self.context) and not (p.place is None and p.generic is None):
            return p
        name = fold(p.written)
        for k in range(i):
            for q in self.places(k):
                if q.place is not None and q.country_code in self.context and name.startswith(fold(q.written)):
                    return PlaceMention(p.start, p.end, p.written, q.place, q.country_code, p.generic, p.weak)
        return p

    def in_source(self, i: int) -> list[PlaceMention]:
        """Places written inside an attribution as its source's own modifier ("the ministry in
        Kinshasa said", "the monitor, which has sources across Syria, said"; not "The governor,
        who toured Sulphur on Sunday, said"). Computed once per sentence."""
        if i not in self._in_source:
            t = self.sentences[i].text
            self._in_source[i] = [
                p
                for p in self.places(i)
                if any(
                    a.start <= p.start < a.end
                    and (
                        "," not in t[a.start : p.start]
                        # "The monitor, which relies on sources inside Syria, said": what the body is
                        or re.search(r",\s+which\s", t[a.start : p.start]) is not None
                    )
                    for a in self.attrs(i)
                )
                # ("the district collector of Raigad": the place the official answers for tells where)
                and not _JURISDICTION.search(t, 0, p.start)
            ]
        return self._in_source[i]

    def search(self, pattern: re.Pattern[str], i: int) -> re.Match[str] | None:
        """`pattern.search` of sentence i's text, once per sentence (several facts of a sentence ask)."""
        key = (pattern, i)
        if key not in self._searched:
            scan, target = case_blind_scan(pattern, _LOWER_TWINS.get(pattern), self.sentences[i].text)
            self._searched[key] = scan.search(target)
        return self._searched[key]

    def segments(self, i: int) -> list[tuple[int, int]]:
        """The clauses of sentence i (`_segments`), computed once per sentence."""
        if i not in self._segs:
            self._segs[i] = _segments(self.sentences[i].text)
        return self._segs[i]

    def dates(self, i: int):
        if i not in self._dates:
            self._dates[i] = find_dates(self.sentences[i].text, self.published)
        return self._dates[i]

    def attrs(self, i: int) -> list[attr.Attribution]:
        if i not in self._attrs:
            t, off = self.body(i)
            self._attrs[i] = [
                attr.Attribution(a.source, a.start + off, a.end + off, a.verb_pos + off, a.after)
                for a in attr.find_attributions(t)
            ]
        return self._attrs[i]

    def _resolve_sources(self, upto: int) -> None:
        """Resolve the attributions of the sentences up to `upto` (inclusive) not resolved yet."""
        for i in range(self._sourced, min(upto + 1, len(self.sentences))):
            self._sourced = i + 1
            if i == self.headline:
                continue
            now = []
            for a in self.attrs(i):
                src = attr.resolve(a.source, self._history, self.text[: self.sentences[i].start], self._recent)
                self._resolved[(i, a.start)] = src
                if src.lower() not in attr._PRONOUNS:
                    self._history.append(src)
                    now.append(src)
            self._recent = now

    def resolved(self, i: int, a: attr.Attribution) -> str:
        self._resolve_sources(i)
        return self._resolved.get((i, a.start), a.source)

    def _main_place(self, title) -> PlaceMention | None:
        body0 = 1 if self.headline == 0 else 0
        if body0 < len(self.sentences):
            for p in self.places(body0):
                if p.generic is None and (p.place is not None or p.country_code):
                    return p
        if self.headline == 0:
            for p in self.places(0):
                if p.generic is None:
                    return p
        if title:
            for p in find_places(title, self.context):
                if p.generic is None:
                    return p
        d = None
        for i in range(min(body0 + 1, len(self.sentences))):
            d = d or dateline(self.sentences[i].text if i == body0 else "", self.context)
        d = d or dateline(self.text[:300], self.context)
        if self.headline == 0:
            # "Pakistan floods" over an Islamabad dateline: the country the headline names, when
            # it names one and the dateline (if any) lies in it
            named = last_country(self.sentences[0].text)
            if (
                named is not None
                and len(countries_named(self.sentences[0].text)) == 1
                # (a dateline outside the story's countries is only where the reporter is: "GENEVA")
                and (d is None or d.country_code == named.country_code or d.country_code not in self.story)
            ):
                return named
        if d and (not self.story or d.country_code in self.story):
            return d
        for i in range(len(self.sentences)):
            for p in self.places(i):
                if p.generic is None and p.place is not None and (not self.story or p.country_code in self.story):
                    return p
        if self.story:
            # the country the headline and lede are about ("Floods swept Malawi …", "Libyan
            # forces killed …" under a Cairo dateline)
            named = last_country(head_text(title, self.text))
            if named is not None and named.country_code == self.story[0]:
                return named
            country = gazetteer().countries.get(self.story[0])
            return PlaceMention(0, 0, country.name, country, country.country_code) if country else None
        return d

    def index_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


_HEAD_ADJECTIVE = re.compile(r"(?<![\w'’-])(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?=[a-z])")


def _headline_region(head: str, context: frozenset[str]) -> list[PlaceMention]:
    """ "Zamfara gunmen kill 31", "Kaduna attack": a state, province or large city named as an
    adjective in a headline that names no place otherwise."""
    gaz = gazetteer()
    for m in _HEAD_ADJECTIVE.finditer(head):
        name = m.group("name")
        if fold(name) in _NOT_HEAD_PLACES:
            continue
        p = gaz.resolve(name, None, context)
        if p is not None and (p.kind == REGION or (p.kind == CITY and p.population >= 100_000)):
            if not context or p.country_code in context:
                return [PlaceMention(m.start(), m.start() + len(name), name, p, p.country_code)]
    return []


_NOT_HEAD_PLACES = frozenset(
    "death toll gunmen police army floods flood storm quake earthquake fire bomb blast attack says said "
    "bandits militants troops rebels jihadists".split()
)


def head_text(title, text) -> str:
    return (title or "") + "\n" + text[:1500]


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def _set_place(fact: FactBase, p: PlaceMention | None):
    if p is None:
        return
    fact.location = p.written
    if p.place is not None:
        fact.place_name = p.place.name
        fact.admin1 = p.place.admin1
        fact.country_code = p.place.country_code
        fact.latitude = p.place.latitude
        fact.longitude = p.place.longitude
    else:
        fact.country_code = p.country_code


# a figure this large written again, as still standing, is the same count (a small one may be another event's)
_RESTATED_MIN = 10
_STILL = re.compile(r"\b(?:still|remain|remains|remained)\b")


def _copy_place(fact: FactBase, earlier: FactBase) -> None:
    fact.location, fact.place_name, fact.admin1 = earlier.location, earlier.place_name, earlier.admin1
    fact.country_code, fact.latitude, fact.longitude = earlier.country_code, earlier.latitude, earlier.longitude


def _refer(art: _Article, generic: PlaceMention, i: int, before: list[PlaceMention]) -> PlaceMention | None:
    """ "in the region" / "in the country": the place that phrase refers back to."""
    if generic.generic == "capital":
        # "in the capital": the capital of the country the article is about
        code = art.main.country_code if art.main is not None else None
        for p in reversed(before):
            if p.country_code:
                code = p.country_code
        gaz = gazetteer()
        if code and code in gaz.capitals:
            cap = gaz.resolve(gaz.capitals[code], "capital", frozenset({code}))
            if cap is not None:
                return PlaceMention(generic.start, generic.end, cap.name, cap, code)
        return art.main
    want_country = generic.generic in ("country", "territory")
    # "across the state", "in the province": the latest region named, not a town of it
    want_region = generic.generic in ("state", "province", "region")
    want_city = generic.generic == "city"

    def fits(p: PlaceMention) -> bool:
        if want_country:
            return p.place is not None and p.place.kind == COUNTRY
        if want_city:
            return p.place is not None and p.place.kind == CITY
        return not want_region or (p.place is not None and p.place.kind == REGION)

    for p in reversed(before):
        if p.generic is None and (p.place is not None or p.country_code) and fits(p):
            return p
    for j in range(i - 1, -1, -1):
        for p in reversed(art.places(j)):
            if p.generic is None and p.place is not None and fits(p):
                return p
    if want_region or want_city:
        # no region (town) named before: the nearest place named before, as before
        for p in reversed(before):
            if p.generic is None and (p.place is not None or p.country_code):
                return p
        for j in range(i - 1, -1, -1):
            for p in reversed(art.places(j)):
                if p.generic is None and p.place is not None:
                    return p
    if want_country:
        named = last_country(art.text[: art.sentences[i].start + generic.start])
        if named is not None:
            return named
        # "in the territory" in a story about Gaza: the headline's or lede's place of that country
        for j in range(min(art.headline + 2, i)):
            for p in art.places(j):
                if p.generic is None and p.place is not None and p.country_code == art.home:
                    return p
    return art.main


def _contains(outer: Place | None, inner: Place | None) -> bool:
    """`outer` is the country or first-level region `inner` lies in."""
    if outer is None or inner is None or outer is inner or outer.country_code != inner.country_code:
        return False
    if outer.kind == COUNTRY:
        return inner.kind != COUNTRY
    # a town, or a district (a region below the first level), in its first-level region
    if outer.kind != REGION or inner.admin1 != outer.admin1 or inner.name == outer.name:
        return False
    return inner.kind == CITY or outer.name == outer.admin1


# what may stand between a place and its container: ", ", " in India's ", " in the southern Indian state of "
_CONTAINER_GAP = re.compile(
    r"(?!.*\b(?:and|or|but|while|to|from)\b)\s*,?\s*(?:(?:in|of|near)\s+)?(?:the\s+)?"
    r"(?:(?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*['’]s\s+)?(?:[A-Za-z-]+\s+){0,3}(?:of\s+)?",
    re.S,
)


# ", a city of 350,000 on the outskirts of Porto Alegre," after a place: a description of it
_DESCRIPTION_AFTER = re.compile(
    rf",\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,4}}?(?:{PLACE_NOUNS}|suburb|port|hub|enclave|stronghold)\b"
    r"(?:[^,;.\"“”]|[,.](?=\d)){0,80}?,(?!\d)"
)


def _without_containers(places: list[PlaceMention], text: str, pos: int = -1) -> list[PlaceMention]:
    """Drop a region or country written after a place inside it ("in the town of Morbi in
    India's Gujarat state"): the figure is about the more specific place; and a place inside a
    description of the place before it ("In Canoas, a city on the outskirts of Porto Alegre, …")."""
    out = []
    for p in places:
        if any(
            q.end <= p.start
            and (
                _contains(p.place, q.place)
                # ("the town of Pont-Sondé in Haiti's Artibonite region": a town the gazetteer lacks)
                or (
                    q.place is None
                    and q.generic is None
                    and p.place is not None
                    and p.place.kind != CITY
                    and q.country_code == p.place.country_code
                )
            )
            and _CONTAINER_GAP.fullmatch(text[q.end : p.start])
            for q in places
        ):
            continue
        if any(
            q.end <= p.start
            and q.generic is None
            and (d := _DESCRIPTION_AFTER.match(text, q.end)) is not None
            and p.end <= d.end()
            and not q.end <= pos < d.end()  # (unless the figure is inside the description)
            for q in places
        ):
            continue
        out.append(p)
    return out


_THERE = re.compile(
    r"\b(?:killed|died|dead|wounded|injured|hurt|missing|trapped|displaced|arrested|detained|"
    r"buried|abducted|kidnapped|rescued|evacuated)\s+there\b"
)


def _there(art: _Article, i: int) -> PlaceMention | None:
    """ "… were killed there": the place the sentence before is about when it is its subject
    ("Rastan is one of the last strongholds in Homs province"); else None."""
    for j in range(i - 1, max(-1, i - 3), -1):
        if j == art.headline:
            return None
        t, off = art.body(j)
        sm = re.match(r"\s*([A-Z][\w'’-]+(?:[\s-][A-Z][\w'’-]+)?)\s+(?:is|was|has|had|lies|remains)\b", t)
        if sm:
            name = sm.group(1)
            cands = [p for p in gazetteer().lookup(name) if art.home is None or p.country_code == art.home]
            if cands or fold(name) in art.local:
                place = max(cands, key=lambda p: p.population) if cands else None
                return PlaceMention(
                    off + sm.start(1), off + sm.end(1), name, place, place.country_code if place else art.home
                )
        if art.places(j):
            return None  # the most specific place it names (below)
    return None


# "The explosion happened in Muqdadiyah": the next sentence says where the event just counted was
_EVENT_WHERE = re.compile(
    r"\s*(?:The|That|This)\s+(?:attack|assault|raid|blast|bombing|explosion|shooting|crash|accident|fire|"
    r"collapse|incident|ambush|strike|air\s?strike|stampede)\s+(?:happened|took\s+place|occurred)\b"
)


def _told_next(art: _Article, i: int) -> PlaceMention | None:
    """The place the next sentence gives the event, when this one names only points it is measured
    from ("40 km south of Kirkuk") or none."""
    j = i + 1
    if j >= len(art.sentences) or any(not p.weak for p in art.places(i)):
        return None
    if not _EVENT_WHERE.match(art.body(j)[0]):
        return None
    strong = [p for p in art.places(j) if not p.weak and p.generic is None]
    return strong[0] if strong else None


def _reporting_country(art: _Article, i: int) -> PlaceMention | None:
    """A country that is itself the source ("India reported …")."""
    for a in art.attrs(i):
        country = next((p for p in gazetteer().lookup(a.source) if p.kind == COUNTRY), None)
        if country is not None:
            return PlaceMention(a.start, a.start + len(a.source), a.source, country, country.country_code)
    return None


def _locate(art: _Article, i: int, pos: int, building_ok: bool = True) -> PlaceMention | None:
    """Where the figure at `pos` of sentence i is (`building_ok`: a building named in a sentence
    before may be where it happened; not for arrests)."""
    sent = art.sentences[i].text
    places = _without_containers(art.places(i), art.sentences[i].text, pos)
    # a place inside the attribution ("the health ministry in Kinshasa said") is where the
    # source sits, not what the figure is about, when the sentence names another
    in_source = art.in_source(i)
    if in_source:
        places = [p for p in places if p not in in_source]
    if not places and i != art.headline:
        reporter = _reporting_country(art, i)
        if reporter is not None:
            return reporter  # "India reported 360 killed": a country's own count, with no other place
    if i == art.headline and not places:
        # a headline names its country anywhere ("Russia police detain 389 …"): the place as
        # the headline writes it
        named = last_country(sent)
        if named is not None:
            return named
    segs = art.segments(i)
    seg = _own_clause(sent, _segment_of(segs, pos), pos)
    # ("The toll rose to 98, a spokesman said, adding that 1,000 were in hospitals in the capital")
    asides = [(s, e) for s, e in segs if s > seg[0] and _ASIDE.match(sent, s)]
    for n, scope in enumerate((seg, (0, len(sent)))):
        inside = [p for p in places if scope[0] <= p.start < scope[1] and not any(s <= p.start < e for s, e in asides)]
        after = [p for p in inside if p.start >= pos]
        before = [p for p in inside if p.start < pos]
        # "from"/"to" places only when nothing better is there ("a bus from Lahore … near Multan");
        # outside the figure's own clause, not before the place of the sentences before
        # ("… near Rutshuru. 4 soldiers were killed; 6,000 people fled into Uganda.")
        strong_after = [p for p in after if not p.weak]
        strong_before = [p for p in before if not p.weak]
        pick = (
            strong_after[0]
            if strong_after
            else strong_before[-1]
            if strong_before
            else None
            if (n or len(places) > len(inside) or i > 0)
            else after[0]
            if after
            else before[-1]
            if before
            else None
        )
        if pick is not None:
            if pick.generic is not None and pick.generic != "several":
                prior = [p for p in places if p.start < pick.start]
                ref = _refer(art, pick, i, prior)
                rest = _REST_OF.search(sent[: pick.start])
                if rest and ref is not None and pick.generic in ("country", "territory"):
                    # "170 more elsewhere in the country", "in the north of the country": not the place
                    # named before, its country (as written)
                    country = gazetteer().countries.get(ref.country_code or "")
                    return PlaceMention(
                        rest.start(), pick.end, sent[rest.start() : pick.end], country, ref.country_code
                    )
                return ref
            return pick
    if "there" in sent and _THERE.search(sent):
        there = _there(art, i)
        if there is not None:
            return there
    told = _told_next(art, i)
    if told is not None:
        return told
    for j in range(i - 1, -1, -1):
        if j == art.headline:
            continue
        # a place the story only passed through ("the storm moved toward Mozambique") is not
        # where the next figures are
        # ("A morgue worker in Saint-Marc said …": where the source sits, not where the figures are)
        ps = [
            p
            for p in art.places(j)
            if p.generic is None
            and not p.weak
            and p not in art.in_source(j)
            and (building_ok or not _BUILDING.search(p.written))
        ]
        sent_j = art.sentences[j].text
        ps = [
            p
            for p in ps
            # "at the Hillside Endarasha Academy in Kenya's Nyeri county": the town, as for its own sentence
            if not (
                _BUILDING.search(p.written)
                and any(q.start >= p.end and "near" not in sent_j[p.end : q.start] for q in ps)
            )
        ]
        if (
            ps
            and art.home is not None
            and all(p.country_code and p.country_code != art.home and p.country_code not in art.story for p in ps)
            and not art.search(_CASUALTY_WORDS, j)
        ):
            # "The president returned from a summit in Brussels": a place in a country the headline
            # and lede are not about, in a sentence without casualties, is not where the next figures are
            continue
        if ps:
            names = {p.place.name for p in ps if p.place is not None and p.place.kind != COUNTRY}
            codes = {p.country_code for p in ps}
            kinds = {p.place.kind for p in ps if p.place is not None}
            if len(names) > 1 and len(kinds) == 1 and len(codes) == 1 and None not in codes:
                # "… in Tahoua …, while … in Agadez" before: the next sentence is about both,
                # i.e. their country
                country = gazetteer().countries.get(next(iter(codes)))
                if country is not None:
                    return PlaceMention(ps[0].start, ps[0].start, country.name, country, country.country_code)
            # the most specific place of that sentence ("In Zimbabwe, … in Chimanimani")
            rank = {"city": 0, "region": 1, "country": 2}
            return min(ps, key=lambda p: rank.get(p.place.kind, 1) if p.place else 0)
    # only "from"/"to" places anywhere: the figure's own one
    weak = [p for p in places if p.generic is None]
    if weak:
        return min(weak, key=lambda p: abs(p.start - pos))
    return art.main


_PERIOD_START = re.compile(
    r"\b(?:since|from|starting|beginning|began|begun|started)\s+(?:on\s+)?(?:(?:last|this|early|late)\s+)?$|"
    # "since it made landfall on Monday": the day inside a "since" clause starts the period
    r"\bsince\s+(?:(?!said\b)[\w'’-]+\s+){1,5}(?:on|in)\s+$",
    re.I,
)
_STOOD_AT = re.compile(
    r"\b(?:by|as\s+of|as\s+at|through|until|till|up\s+to)\s+"
    r"(?:(?:midnight|noon|the\s+end\s+of|the\s+morning\s+of|the\s+evening\s+of)\s+)?"
    r"(?:on\s+)?$",
    re.I,
)
_TOLL_NOW = re.compile(  # (the lookahead: the words' first letters, a cheap test of each position)
    r"(?=[chrst])\b(?:toll|tally|rose|risen|rises|climbed|climbs|reached|stood|stands|total|so\s+far|"
    r"cumulative|since|ha(?:ve|s)\s+(?:now\s+)?(?:killed|died|left))\b",
    re.I,
)
_EVENT_DAY = re.compile(
    r"\b(?:attack|attacks|quake|earthquake|blast|bombing|explosion|storm|flood|floods|fire|"
    r"crash|collapse|strike|strikes|raid|shooting|stampede|landslide|cyclone|typhoon|hurricane|"
    r"disaster|outbreak|uprising|war|clashes|violence|began|struck|hit|happened|occurred)"
    r"\s+(?:\w+\s+){0,2}(?:on|of)\s+$",
    re.I,
)
# (their word lists grouped by first letter: the same matches, quicker)
_PERIOD_START, _STOOD_AT, _TOLL_NOW, _EVENT_DAY = map(grouped, (_PERIOD_START, _STOOD_AT, _TOLL_NOW, _EVENT_DAY))
# (patterns of the date choice, compiled once: not looked up in re's cache on every call)
_SINCE_FROM = re.compile(r"(?i:since|from)\b")
_POSSESSIVE_END = re.compile(r"['’]s$")
_AFTER_BEFORE = re.compile(r"\b(?:after|before|following)\b")
_CLAUSE_COMMA = re.compile(r",(?!\d)")
_FEW_WORDS = re.compile(r"\w+(?:\s+[\w']+){0,6}\s+")
_RECENT_SPAN = re.compile(
    r"(?i)(?:in\s+|over\s+|during\s+)?(?:the\s+)?(?:last|past|this|earlier\s+this|late\s+last|early\s+this)\s+(?:week|month)\b"
)
_CAPS_DATELINE = re.compile(r"^\s*\(?[A-Z][A-Z .'\-]{2,}(?:,\s*[\w .]+?)?\s*[,(]?\s*$")


def _figure_dates(sent: str, mentions: list, toll: bool, pos: int) -> list:
    """The date mentions that can be the day a figure stood: not the start of a period ("since
    October 7"), not a dateline's date, and in a toll sentence not the day of the event counted
    ("Saturday's attack", "the quake on Monday")."""
    out = []
    skipped_end = -1
    for d in mentions:
        before = sent[: d.start]
        if (
            d.date is None
            or _PERIOD_START.search(before)
            or _SINCE_FROM.match(d.text)
            or _CAPS_DATELINE.match(before)
            or (skipped_end >= 0 and not sent[skipped_end : d.start].strip())
        ):
            # ("since October last year": both words are the start of the period)
            skipped_end = d.end
            continue
        if toll and (_POSSESSIVE_END.search(d.text) or _EVENT_DAY.search(before)):
            continue
        if (
            d.start > pos
            # ("killed when gunmen attacked … on Saturday": a "when" clause is the time of the killing)
            and _AFTER_BEFORE.search(sent[pos : d.start])
            and any(e.precision == "day" and e.date is not None and e is not d for e in mentions)
        ):
            continue  # "found 26 bodies after a glacier burst on Sunday, officials said on Monday"
        out.append(d)
    return out


def _date(art: _Article, i: int, pos: int, published) -> dt.date | None:
    sent = art.sentences[i].text
    all_mentions = art.dates(i)
    if not all_mentions:
        return _opening_date(art, i, published) or _lede_day(art, i) or published
    seg = _segment_of(art.segments(i), pos)
    toll = bool(_TOLL_NOW.search(sent))
    mentions = _figure_dates(sent, all_mentions, toll, pos)
    vague = [d for d in mentions if _RECENT_SPAN.match(d.text)]
    if vague:
        # "killed 12 in an attack last week, officials said on Thursday": a recent span is when
        # the deaths happened; the count stood on the day it was given, else on publication
        mentions = [d for d in mentions if d not in vague]
        if not mentions:
            return published
    if not mentions:
        # only the day of the event counted or the start of a count: the figure stood when reported
        return published
    opener = mentions[0]
    if (
        opener.start <= 3
        and opener.precision == "day"
        and opener.date is not None
        and re.search(r"\d", opener.text)
        and re.match(r"\s*,", sent[opener.end :])
    ):
        # "On 14 March 2022, …": the day of the whole sentence; "during Friday prayers",
        # "abducted last month" later in it do not move the figure
        others = [
            d
            for d in mentions[1:]
            if d.precision == "day" and d.date is not None and re.search(r"\d", d.text) and seg[0] <= d.start < seg[1]
        ]
        return others[0].date if others else opener.date
    inside = [d for d in mentions if seg[0] <= d.start < seg[1]]
    stood = [d for d in inside if d.precision == "day" and _STOOD_AT.search(sent[: d.start])]
    if stood:
        # "had killed 2,900 people by September 21", "as of Tuesday"
        return stood[0].date
    if not inside:
        inside = [d for d in mentions if d.precision == "day" and d.start < seg[0]]
    if not inside:
        # "killed 14 people, including two children, and wounded 108 on Saturday": the day of
        # the coordinated clause that closes the figures
        segs = art.segments(i)
        k = segs.index(seg) if seg in segs else -1
        if 0 <= k < len(segs) - 1 and re.match(r"and\b", sent[segs[k + 1][0] :]):
            nxt = segs[k + 1]
            inside = [
                d
                for d in mentions
                if d.precision == "day" and nxt[0] <= d.start < nxt[1] and not _reported_on(art.attrs(i), sent, d)
            ]
    if not inside and toll:
        # "… killed in Gaza since October 7, the ministry said on Thursday": the day it was said
        inside = [d for d in mentions if d.precision == "day"]
    if not inside:
        return published

    def nearness(d):
        # a date across a comma belongs to another clause ("which stood at 31 on Wednesday, rose to 38 on Sunday")
        between = sent[min(d.end, pos) : max(d.start, pos)]
        return (bool(_CLAUSE_COMMA.search(between)), min(abs(d.start - pos), abs(d.end - pos)))

    d = min(inside, key=nearness)
    if d.precision == "day" and not toll and _reported_on(art.attrs(i), sent, d):
        # "… on Saturday night, killing four and injuring 100 others, officials said Sunday": the
        # day after the reporting verb is when it was said; the figure is of the event's day
        events = [
            e
            for e in mentions
            if e.precision == "day" and e.date is not None and e.start < pos and not _reported_on(art.attrs(i), sent, e)
        ]
        if events:
            return events[-1].date
    if d.precision == "day":
        return d.date
    if published is not None:
        if d.precision == "month" and (d.date.year, d.date.month) == (published.year, published.month):
            return published
        if d.precision == "year" and d.date.year == published.year:
            return published
    return d.date


def _lede_day(art: _Article, i: int) -> dt.date | None:
    """A sentence of a later paragraph without a day of its own goes on with the lede's report:
    its figure stood on the day the lede's report was given ("…, the ministry said on Sunday."
    … "At least 2,421 people were injured, the ministry said." → Sunday), else on the lede's
    figure's day ("The toll rose to 58 on Monday, the Red Cross said." … "A spokeswoman said 37
    people remained missing." → Monday). Not when it opens another time ("In 2019, …", "Last
    year …"), widens to other places ("Elsewhere …") or names a place in another country."""
    lede = art.headline + 1
    if i <= lede or lede >= len(art.sentences):
        return None
    if "\n" not in art.text[art.sentences[lede].end : art.sentences[i].start]:
        return None  # the lede's own paragraph: `_opening_date`
    if art.search(_NEW_TIME, i) or art.search(_WIDER, i):
        return None
    if art.home is not None and any(p.country_code not in (None, art.home) for p in art.places(i)):
        return None
    if art.lede_day is _UNSET:
        art.lede_day = None
        t = art.sentences[lede].text
        m = art.search(_CASUALTY_WORDS, lede)
        days = [d for d in art.dates(lede) if d.precision == "day" and d.date is not None]
        if m is not None and days:
            said = [d for d in days if _reported_on(art.attrs(lede), t, d)]
            art.lede_day = said[0].date if said else _date(art, lede, m.start(), art.published)
    return art.lede_day  # type: ignore[return-value]


def _reported_on(attrs: list[attr.Attribution], sent: str, d) -> bool:
    """The date is the day of a reporting verb ("said Sunday", "said in a statement on Tuesday")."""
    return any(a.verb_pos < d.start and _FEW_WORDS.fullmatch(sent[a.verb_pos : d.start]) for a in attrs)


def _opening_date(art: _Article, i: int, published) -> dt.date | None:
    """A sentence without a date takes the day of the sentence before it in the same paragraph
    ("On 2 June 2021, militants ambushed a convoy. 5 soldiers were killed.")."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if j == art.headline or "\n" in art.text[art.sentences[j].end : art.sentences[j + 1].start]:
            return None
        t, off = art.body(j)
        ds = art.dates(j)
        if (
            ds
            and ds[0].start - off <= 3
            and ds[0].precision == "day"
            and ds[0].date is not None
            and re.match(r"\s*,", art.sentences[j].text[ds[0].end :])
        ):
            return ds[0].date
        if ds:
            # "A bomb exploded in Mogadishu on Wednesday. Nine people were killed.": the day of the
            # sentence before, when it gives one (the event's day before the day it was reported)
            if art.attrs(i) and art.attrs(j):
                return None  # two sources, two reports: each stood on the day it was given
            sent = art.sentences[j].text
            days = [d for d in _figure_dates(sent, ds, False, len(sent)) if d.precision == "day" and d.date is not None]
            events = [d for d in days if not _reported_on(art.attrs(j), sent, d)]
            return (events or days)[0].date if days else None
    return None


def _quote_speaker(art: _Article, i: int) -> str | None:
    """A sentence inside a quotation takes the speaker named after the quote closes, later in
    the paragraph ("“They took 42 people. One student was killed,” the spokesman said.")."""
    sent = art.sentences[i]
    par_start = art.text.rfind("\n", 0, sent.start) + 1
    before = art.text[par_start : sent.start]
    open_quote = before.count("“") > before.count("”") or before.count('"') % 2 == 1
    if not open_quote and not _QUOTE_OPEN.match(sent.text):
        return None
    for j in range(i, min(i + 5, len(art.sentences))):
        if j > i and "\n" in art.text[art.sentences[j - 1].end : art.sentences[j].start]:
            return _introducer(art, i)
        t = art.sentences[j].text
        # an odd count of straight quotes closes a quote opened before this sentence, not one it opens
        closes = j > i or (t.count('"') % 2 == 1 and open_quote)
        close = max(t.rfind("”"), t.rfind('"') if closes else -1)
        if close < 0:
            continue
        after = [a for a in art.attrs(j) if a.start > close]
        if after:
            return art.resolved(j, min(after, key=lambda a: a.start))
        return None if close < len(t.rstrip()) - 2 else _introducer(art, i)
    return _introducer(art, i)


def _introducer(art: _Article, i: int) -> str | None:
    """A quotation no speaker follows is the words of the person the sentence before it opens with
    ("A camp official, Mohammad Rafiq, described the scene.\n“At least 7,000 people …”")."""
    j = i
    while j > 0 and j > i - 4 and not _QUOTE_OPEN.match(art.sentences[j].text):
        j -= 1
    if j - 1 < 0 or j - 1 == art.headline or not _QUOTE_OPEN.match(art.sentences[j].text):
        return None
    said = [a for a in art.attrs(j - 1) if attr.is_person(a.source)]
    if said:
        # "Masebo said the ministry had … . “Vubwi District has confirmed four cases …”"
        return art.resolved(j - 1, max(said, key=lambda a: a.start))
    return attr.introducer(art.body(j - 1)[0])


def _place_only(source: str) -> bool:
    """A source that is only a place name ("Argentina", "Kenya's Nakuru")."""
    places = find_places("in " + source, frozenset())
    return bool(places) and places[0].end - 3 >= len(source.rstrip("'’s ")) - 1 and places[0].start == 3


# "X confirmed the toll", "Y gave the figures": the reporting verb's object is the figure just stated
_CONFIRMS = re.compile(
    r"\w+\s+(?:also\s+)?(?:the|that|this|these|those)\s+(?:(?:death|casualty|latest|new|final)\s+)?"
    r"(?:toll|tolls|figures?|numbers?|count|casualties|deaths|killings?|abductions?|kidnappings?)\b",
    re.I,
)


_FIGURE_GIVEN = re.compile(
    r"^(?:The|This|That|These|Those)\s+(?:[\w-]+\s+)?(?:figures?|toll|tolls|numbers?|count|tally|estimates?)\s+"
    r"(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:given|confirmed|released|provided|announced|issued)\s+by\b"
)


def _confirmed_next(art: _Article, i: int) -> str | None:
    """ "…, killing at least 18 people. The head of the agency, Barkindu Mohammed, confirmed the
    toll on Sunday.": an unattributed figure takes the source of the next sentence when that
    sentence reports it back."""
    j = i + 1
    if i == art.headline or j >= len(art.sentences):
        return None
    t = art.sentences[j].text
    for a in art.attrs(j):
        if _CONFIRMS.match(t, a.verb_pos):
            return art.resolved(j, a)
    if _FIGURE_GIVEN.match(t):
        # "The figure was given by police spokesman …": the agent of the figure just stated
        given = art.attrs(j)
        if given:
            return art.resolved(j, min(given, key=lambda a: a.start))
    return None


def _headline_named(art: _Article, i: int, src: str) -> str:
    """A headline's "…, monitor says" names the body the lede names ("the Syrian Observatory for
    Human Rights said"): the description resolved against the lede's sources."""
    if src[:1].isupper() or i + 1 >= len(art.sentences):
        return src
    named = [art.resolved(i + 1, a) for a in art.attrs(i + 1)]
    got = attr.resolve("the " + src, named, "", named)
    return got if got in named else src


def _source(art: _Article, i: int, pos: int, kind: str) -> str | None:
    if i == art.headline:
        # "…: health ministry", "… - monitor", "…, UN says"
        said = attr.governing(art.attrs(i), pos)
        src = attr.headline_source(art.sentences[i].text) or (said.source if said else None)
        return _headline_named(art, i, src) if src else src
    attrs = art.attrs(i)
    a = attr.governing(attrs, pos)
    if a is not None and len(attrs) > 1 and _place_only(a.source):
        # "Argentina has recorded 420 deaths …, the health ministry said": the body, not the country
        a = attr.governing([b for b in attrs if b is not a], pos) or a
    if a is not None and (a.source.lower() in ("we", "i") or len(a.source.split()) <= 3):
        # "“We have counted 62 dead …”", "“Vubwi District has confirmed four cases”": the one whose words they are
        quoted = _quote_speaker(art, i)
        if quoted and (a.source.lower() in ("we", "i") or _place_only(a.source)):
            return quoted
    if a is not None:
        return art.resolved(i, a)
    quoted = _quote_speaker(art, i)
    if quoted is not None or kind == "population":
        return quoted
    confirmed = _confirmed_next(art, i)
    if confirmed is not None:
        return confirmed
    # carried forward: the latest attribution of the paragraph ("According to the fire
    # service, the ferry … . 37 people died. 70 were hurt."), or of the sentence just before
    # when this one goes on reporting the same thing
    sent = art.sentences[i].text
    # "Police detained 23 people": the body that did what it counts
    carried = attr.doer_source(sent, pos, kind)
    if carried is None and not (i == 0 or i - 1 == art.headline or art.search(_NEW_TIME, i)):
        carried = _carried(art, i, sent)
    return carried if carried is not None else _passive_report(art, i)


# "9 people have been reported missing", "15 persons were reported injured": reported, by no one named
_PASSIVE_REPORT = re.compile(
    r"\b(?:(?:have|has|had)\s+been|were|was)\s+(?:officially\s+)?(?:reported|recorded|confirmed|registered|documented)\b"
    r"(?!\s+by\b)"
)


def _passive_report(art: _Article, i: int) -> str | None:
    """A figure reported by no one named is the report of the body the article last cited."""
    if not art.search(_PASSIVE_REPORT, i) or art.search(_WIDER, i):
        return None
    for j in range(i - 1, max(-1, i - 8), -1):
        if j == art.headline:
            return None
        attrs = art.attrs(j)
        if attrs:
            return art.resolved(j, max(attrs, key=lambda a: a.start))
    return None


def _carried(art: _Article, i: int, sent: str) -> str | None:
    """The latest attribution of the paragraph, or of the sentence just before when sentence i goes on
    reporting the same thing."""
    wider = art.search(_WIDER, i)
    if wider and not (
        # "The storm also killed about 170 people elsewhere in the country.": the same speaker goes on
        # (not "Elsewhere in the country, two people died in Malaga": a place of another report)
        wider.group().lower() == "elsewhere"
        and "\n" not in art.text[art.sentences[i - 1].end : art.sentences[i].start]
        and all(p.generic is not None for p in art.places(i))
    ):
        return None
    seen: set[str] = set()
    for j in range(i - 1, max(-1, i - 4), -1):
        if j == art.headline:
            return None
        same_paragraph = "\n" not in art.text[art.sentences[j].end : art.sentences[j + 1].start]
        if not same_paragraph and j != i - 1:
            return None
        seen |= {p.written.lower() for p in art.places(j)} | {
            p.place.name.lower() for p in art.places(j) if p.place is not None
        }
        prev_attrs = art.attrs(j)
        if not prev_attrs:
            if not same_paragraph:
                return None
            continue
        after = art.sentences[j + 1].text
        if not (
            art.search(_CASUALTY_WORDS, j)
            or _QUOTE_OPEN.match(after)
            or re.match(r"^(?:He|She|They|It|The group|The ministry|Officials)\b", after)
            or (same_paragraph and _GOVERNS_ON.match(art.body(j)[0]))
            # "Police said they had rounded up 63 people. Another 18 were detained in …": a round-up goes on
            or art.search(_ROUND_UP, j)
            or (j == i - 1 and _ANOTHER.match(sent))
            or (j == i - 1 and _SAME_EVENT.search(sent))
            # "A car bomb exploded in Mogadishu, police said. Nine people were killed.": the event, then its toll
            or (same_paragraph and j == i - 1 and _EVENT_DONE.search(art.sentences[j].text))
        ):
            return None  # the attribution was about something else ("… had not been involved")
        for p in () if _ANOTHER.match(sent) else art.places(i):
            if (
                p.generic is None
                and p.written.lower() not in seen
                and (not p.place or p.place.name.lower() not in seen)
                and p.country_code is not None
                and p.country_code != art.home
            ):
                # a place of another country: another report ("213 in Valencia province" goes on
                # breaking the same toll down)
                return None
        last = max(prev_attrs, key=lambda a: a.start)
        return art.resolved(j, last)
    return None


def attach_context(
    facts: list[FactBase], text: str, sentences: list[Sentence], published: dt.date | None, title: str | None = None
) -> list[FactBase]:
    """Return the facts with `source`, `location`, `place_name`, `country_code`, `latitude`,
    `longitude` and `date` filled in (fields already set are kept)."""
    if not facts or not sentences:
        for fact in facts:
            if fact.date is None:
                fact.date = published
        return facts
    art = _Article(text, sentences, published, title)
    stated: dict[tuple[str, float], FactBase] = {}
    for fact in sorted(facts, key=lambda f: f.span_start):
        i = art.index_of(fact.span_start)
        pos = fact.span_start - art.sentences[i].start
        if fact.source is None:
            # a place's population is background, not part of the report before it
            fact.source = _source(art, i, pos, fact.kind)
        if fact.location is None:
            restated = (
                fact.value >= _RESTATED_MIN and fact.qualifier != "vague" and _STILL.search(art.sentences[i].text)
            )
            earlier = stated.get((fact.kind, fact.value)) if restated else None
            if earlier is not None and not any(p.generic is None and not p.weak for p in art.places(i)):
                # "… left 41 missing … The 41 people still missing": the figure stated before, where it was
                _copy_place(fact, earlier)
            else:
                _set_place(fact, _locate(art, i, pos, fact.kind != "arrested"))
            if (
                fact.location
                and fact.country_code is None
                # ("four East African countries": in none of them alone; "three other provinces": the article's)
                and not (SEVERAL_PLACES.fullmatch(fact.location) and fact.location.endswith(("countries", "nations")))
                and not MACRO_REGION.fullmatch(fact.location)
            ):
                # a town the gazetteer lacks, in an article about one country
                fact.country_code = art.home
        if i != art.headline and fact.unit == "people" and fact.location:
            stated.setdefault((fact.kind, fact.value), fact)
        if fact.date is None:
            fact.date = _date(art, i, pos, published)
    return facts
