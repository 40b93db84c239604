"""Who said it: the source a figure is attributed to.

Within a sentence: "X said/says/told/reported/estimated/announced/confirmed …" (X before the
figure, reported speech spanning clauses), "…, X said" / "…, said X" after it, "according to
X", "citing X", "X put the toll at", "X quoted Y as saying". X is kept as written, with
appositions and roles trimmed ("Javed Odho, a senior police officer, told AFP" -> "Javed
Odho"; "Afghan Interior Ministry spokesman Najib Danish" -> "Najib Danish"; "Yasser Alyousef
from the political office of …" -> "Yasser Alyousef").

Across sentences (`resolve`): pronouns, "the group"/"the ministry"/"the authority", bare
"officials" and surnames ("Danish said") resolve to the body or person named earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.places import gazetteer
from extractors.text import by_first_letter

VERBS = (
    r"said|says|say|told|tells|tell|reported|reports|estimated|estimates|estimate|"
    r"announced|announces|confirmed|confirms|stated|states|added|adds|noted|notes|"
    r"counted|recorded|documented|quoted|put|puts|showed|shows|show|"
    r"warned|warns|wrote|writes|tweeted|posted|declared|acknowledged|explained|insisted|accused|accuses|saw"
)
# a first-character lookahead spares the long alternation most positions
_VERB_FIRST = "".join(sorted({w[0] for w in VERBS.split("|")}))
_VERBS_GROUPED = by_first_letter(VERBS)  # (the same matches, quicker: text.by_first_letter)
_VERB = re.compile(rf"(?=[{_VERB_FIRST}])\b(?P<v>{_VERBS_GROUPED})\b")
_ANY_CUE = re.compile(rf"(?=[{_VERB_FIRST}ACQbf])\b(?:{_VERBS_GROUPED}|[Aa]ccording|[Cc]iting|[Qq]uoting|by|from)\b")
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording\s+to|[Cc]iting|[Qq]uoting|[Ff]igures\s+from|[Dd]ata\s+from)\s+(?P<src>[^,;:.!?\"“”]+(?:\.[A-Z][^,;:!?\"“”.]*)*)"
)
# what every _ACCORDING match holds; cheap substring tests before that pattern
_ACCORDING_WORDS = ("ccording", "iting", "uoting", "from")
_POSSESSIVE_FIGURES = re.compile(
    r"(?P<src>(?:the\s+|The\s+)?[A-Z][\w .&'’-]{1,80}?)['’]s?\s+(?:figures|data|count|tally|estimates?|statistics|toll)\s+(?:show|showed|shows|put|puts|say|said)\b"  # noqa: E501 (a pattern reads best on one line)
)
# what every _POSSESSIVE_FIGURES match holds; a cheap test before that slow pattern
_FIGURES_VERB = re.compile(
    r"\s(?:figures|data|count|tally|estimates?|statistics|toll)\s+(?:show|showed|shows|put|puts|say|said)\b"
)
_AGENT = re.compile(
    r"\b(?:measured|reported|confirmed|estimated|recorded|counted|documented|compiled|"
    r"published|released|issued|given|provided)\s+by\s+(?P<src>(?:the\s+)?(?:[A-Z][\w.'’&-]*"
    r"(?:\s+(?:of|for|on|and)\s+(?:the\s+)?|\s+)?)+(?:\([A-Z]+\))?|"
    r"the\s+(?:[a-z-]+\s+){0,3}(?:ministry|agency|authority|authorities|office|department|police|army|military|"
    r"government|council|commission|service|officials|administration)\b)"
)
# "reported by Thursday morning": a time, not a body
_NOT_AGENT = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Christmas|Easter|Eid|Ramadan|Noon|Midnight|Dawn|Dusk)\b"
)
_AUX = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|been|being|be|did|does|do|can|may|might|must)\b")
_PASSIVE_BEFORE = re.compile(
    r"(?:\b(?:is|are|was|were|been|be|being)\s+(?:(?:also|widely|reportedly|officially)\s+)?|\bnot\s+|\bpeople\s+|\bperson\s+)$"
)
_ROLE_NOUNS = by_first_letter(  # (grouped by first letter: the same matches, quicker)
    r"spokesman|spokeswoman|spokesperson|spokespeople|coordinator|minister|chief|director|"
    r"official|governor|commander|head|president|secretary|mayor|envoy|representative|"
    r"officer|chairman|chairwoman|chair|leader|member|adviser|advisor|aide|deputy|"
    r"administrator|manager|doctor|surgeon|chancellor|ambassador|superintendent|"
    r"inspector|commissioner|police chief|resident|student|witness|volunteer|worker|sheriff|"
    r"attorney general|prosecutor|coroner|magistrate|collector|constable"
)
_ROLE_START = re.compile(
    rf"^(?:(?:a|an|the|its|his|her|their)\s+)?(?:[\w'’-]+\s+){{0,4}}?(?:{_ROLE_NOUNS})s?\b|^in\s+charge\b|^(?:a|an)\s+[\w-]+(?:\s+[\w-]+){{0,3}}\s+(?:group|agency|organi[sz]ation|body|monitor|charity|outlet|network|service|firm|company|institute)\b",
    re.I,
)
_ORG_WORDS = re.compile(
    r"\b(?:Office|Ministry|Agency|Organi[sz]ation|Observatory|Cent(?:er|re)|Council|Department|"
    r"Committee|Group|Force|Forces|Army|Nations|News|Service|Services|Authority|Institute|"
    r"Commission|Bureau|Federation|Union|Association|Society|Red Cross|Crescent|Program|"
    r"Programme|Fund|Bank|Police|Government|Administration|Corps|Network|Press|Times|"
    r"Post|Television|Radio|TV|Media|Company|Corporation|Party|Front|Movement|Court|Board|"
    r"Unit|Directorate|Secretariat|Mission|Alliance|Coalition|Foundation|Watch|Monitor|Rights|International|"
    r"Reuters|Xinhua|Interfax|AFP|CNN|BBC|UN|UNICEF|WHO|OCHA|NEMA)\b"
)
_NAME_TOKEN = r"(?:[A-Z][\w'’.\-]*|al-\w+|bin|ibn|de|van|von|da|el|al)"
_PERSON_HEAD = re.compile(
    rf"^(?P<name>[A-Z][\w'’\-]+(?:\s+{_NAME_TOKEN}){{1,4}}?)\s+(?:from|of|at|with|for|in|on|head|spokesman|spokeswoman)\b"
)
_ROLE_THEN_NAME = re.compile(
    rf"^(?P<role>.*\b(?i:{_ROLE_NOUNS})s?)(?:\s+(?:in|of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*?)?\s+(?P<name>(?:[A-Z]\.){{1,3}}\s*[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){{0,2}}|[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){{1,3}})$"
)
_PRONOUNS = {
    "he": "person",
    "she": "person",
    "they": "any",
    "it": "org",
    "we": "any",
    "i": "person",
    "him": "person",  # "According to him, …"
    "her": "person",
    "them": "any",
}
_DEFINITE = re.compile(
    r"^(?:the|The)\s+(?:(?:[A-Z][\w.]*\s+)?[\w.]+-based\s+)?"
    r"(?:(?:(?i:rights|human\s+rights|monitoring|aid|relief|"
    r"humanitarian|war|health|medical|charity|advocacy|activist|opposition|non-?profit|"
    r"international|global|local|national|Britain|British|U\.?N\.?)|[a-z]+)\s+){0,2}"
    r"(?P<head>(?i:group|ministry|agency|authority|authorities|organi[sz]ation|observatory|monitor|"
    r"monitoring group|office|department|council|body|committee|centre|center|commission|"
    r"army|military|charity|watchdog|service|bureau|UN agency|agency's spokesman|official|"
    r"institute|network|government|company|mission|coalition|war monitor|source|unit))$"
)
_SUBJECT_FILLER = re.compile(
    r"^(?:(?:and|but|while|as|which|who|whom|where|when|that|so|yet|then|however|also|meanwhile|now)\s+)+", re.I
)


@dataclass(frozen=True)
class Attribution:
    source: str  # as written (trimmed)
    start: int  # offsets of the attribution (source + verb) in the sentence
    end: int
    verb_pos: int  # where the reporting verb / "according to" is
    after: bool  # True when the attribution follows the figure it governs


_SPACES = re.compile(r"\s+")
_LEADING_FILLER = re.compile(
    r"^(?:(?:[Oo]n|[Ll]ate|[Ee]arly|[Bb]y)\s+\w+day|[Oo]n\s+\w+|[Mm]eanwhile|[Hh]owever|[Ii]n a statement)\s*,?\s+"
)
_TRAILING_OCCASION = re.compile(
    r"\s+(?:on|by|in|late|early)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|telephone|phone|a statement|a news conference|a press conference)\b.*$"  # noqa: E501 (a pattern reads best on one line)
)
_TRAILING_TIME = re.compile(
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|overnight|yesterday|today|on\s+\w+|last\s+\w+|in\s+a\s+statement)$"
)
# "The United Nations on March 12 accused …", "Amnesty International on 27 February said …"
_TRAILING_DATE = re.compile(
    r"\s+on\s+(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{1,2})?(?:,?\s+\d{4})?$"
)
_TRAILING_ADVERB = re.compile(
    r"\s+(?:also|alone|later|earlier|separately|previously|initially|then|meanwhile|however|too|now|again|subsequently|"
    r"had|has|have)$"
)
_TRAILING_FIGURES = re.compile(r"['’]s?\s+(?:figures|data|count|tally|estimates?|statistics|toll|numbers)$")


def _clean(src: str) -> str:
    src = src.strip().strip("\"“”'‘’").strip()
    src = _SPACES.sub(" ", src)
    src = _LEADING_FILLER.sub("", src)
    src = _SUBJECT_FILLER.sub("", src)
    src = _TRAILING_OCCASION.sub("", src)
    src = _TRAILING_TIME.sub("", _TRAILING_DATE.sub("", src))
    src = _TRAILING_ADVERB.sub("", src)
    src = _TRAILING_FIGURES.sub("", src.strip())
    return src.strip(" ,;:-–—")


_TITLE = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+(?=[A-Z][a-z])")
_DESCRIPTION_BEFORE_NAME = re.compile(
    r"^(?:[Tt]he|[Aa]n?)\s+(?:[\w.-]+-based\s+)?(?:[a-z-]+\s+){0,2}(?:group|charity|organi[sz]ation|monitor|body|"
    r"watchdog|agency|network|NGO)\s+(?=[A-Z][\w'’-]+(?:\s+[A-Z]|$))"
)


def _trim_role(src: str) -> str:
    """Keep the person's name: "… spokesman Najib Danish" -> "Najib Danish", "Dr. Amos Gyang" -> "Amos Gyang"."""
    src = _TITLE.sub("", src)
    # "the Paris-based group Doctors Without Borders": the name after its description
    src = _DESCRIPTION_BEFORE_NAME.sub("", src)
    m = _ROLE_THEN_NAME.match(src)
    if (
        m
        and not _ORG_WORDS.search(m.group("name"))
        and len(m.group("role").split()) <= 9
        # "the group Doctors Without Borders": a name that goes on with a preposition is whole
        and m.group("name").split()[0] not in ("Without", "For", "Of", "And", "In", "On", "At", "To", "Against")
    ):
        return m.group("name")
    m = _PERSON_HEAD.match(src)
    if m and not src.startswith(("The ", "the ")) and not _ORG_WORDS.search(m.group("name")):
        return m.group("name")
    return src


# lower-case words that may open the subject of a reporting verb ("police said", "local officials said")
_SUBJECT_WORDS = frozenset(
    "a an the local provincial officials authorities police he she they it we i rescuers witnesses residents "
    "medics doctors staff paramedics state health security military government rebels activists sources hospital "
    "regional federal unnamed senior emergency its his her their rescue fire civil border coast disaster "
    "humanitarian municipal county city village tribal".split()
)
# ... that pass as a chunk's subject but not as the whole subject before the verb
_SUBJECT_WORDS_TOO = frozenset("district news two three other aid relief media agency ministry".split())


# a body written in lower case: "first responders said", "firefighters said"
_LOWER_BODY = re.compile(
    r"(?:[a-z-]+\s+){0,2}(?:responders|firefighters|troops|soldiers|nurses|investigators|villagers|survivors|"
    r"lifeguards|coroners|prosecutors|lawmakers|forecasters|meteorologists|scientists|researchers|observers|"
    r"monitors|diplomats|peacekeepers|coastguards|guards|negotiators|organisers|organizers)"
)


# "Harris County Precinct 4 Constable Mark Herman": a numbered unit is part of a name
_NUMBERED_UNIT = re.compile(
    r"\b(?:Precinct|District|Channel|Region|Ward|Unit|Zone|Division|Battalion|Brigade|Sector)\s+\d+\b|"
    # "the 25th Infantry Division", "the 203 Army Corps"
    r"\b\d+(?:st|nd|rd|th)?\s+(?:[A-Z][a-z]+\s+){0,2}(?:Corps|Division|Brigade|Battalion|Regiment|Squadron|Precinct)\b"
)


# what happened or what was counted, never who reports it ("The strike, the army said, killed 16";
# "The total number of cases reported this year stands at 410")
_NOT_A_SOURCE = re.compile(
    r"^(?:(?:the|a|an|this|that|its|their)\s+)?(?:[\w-]+\s+){0,3}?(?:attack|strike|air\s*strike|blast|bombing|"
    r"explosion|quake|earthquake|storm|flood|fire|crash|raid|assault|ambush|shelling|collapse|toll|total|"
    r"number|case|death|killing|incident|casualt(?:y|ie)|victim|injur(?:y|ie))s?$|\b(?:number|total|tally)\s+of\b",
    re.I,
)


_DIGIT = re.compile(r"\d")
_NOT_A_SUBJECT = re.compile(
    r"\b(?:killed|wounded|injured|died|dead|exploded|stormed|struck|hit|left|took|"
    r"attacked|fled|destroyed|collapsed|displaced|arrested|kidnapped|rose|risen|"
    r"if|when|after|before|because|since|until)\b"
)


def _valid_subject(chunk: str) -> bool:
    if not chunk or len(chunk.split()) > 14 or _DIGIT.search(_NUMBERED_UNIT.sub("", chunk)):
        return False
    if _NOT_A_SOURCE.search(chunk):
        return False
    if _AUX.search(chunk) or _VERB.search(chunk):
        return False
    if _NOT_A_SUBJECT.search(chunk):
        return False
    first = chunk.split()[0]
    if _ROLE_START.match(chunk) or _LOWER_BODY.fullmatch(chunk):
        return True
    if first[0].islower() and first.lower() not in _SUBJECT_WORDS | _SUBJECT_WORDS_TOO:
        return False
    return True


def _is_role(chunk: str) -> bool:
    return bool(_ROLE_START.match(chunk)) or chunk[:1].islower() and not _AUX.search(chunk)


_APPOSITION = re.compile(
    rf"^(?:(?:a|an|the|its|his|her|their)\s+|in\s+charge\b|(?:[\w-]+\s+){{0,3}}(?i:{_ROLE_NOUNS})\s+(?:of|for|at|in|to|with)\b|(?i:{_ROLE_NOUNS})$|"
    # "al-Shabab’s military operations spokesperson"
    rf"(?:the\s+)?[\w-]+(?:['’]s|s['’])\s+(?:[\w-]+\s+){{0,3}}(?i:{_ROLE_NOUNS})$)"
)


def _is_apposition(chunk: str) -> bool:
    """ "a senior police officer", "head of the rescue brigade", "in charge of ambulances" —
    but not a plain subject such as "officials" or "local police"."""
    return bool(_APPOSITION.match(chunk)) and not re.fullmatch(
        r"(?:\w+\s+)?(?:officials|authorities|police|sources)", chunk
    )


def _only_places(chunk: str) -> bool:
    from extractors.places import gazetteer

    # each comma-separated part whole ("Nakuru, Kenya"), not word by word: "Foro Penal" is a
    # body although "Foro" and "Penal" are both towns
    parts = [p.strip() for p in chunk.split(",") if p.strip()]
    return (
        bool(parts)
        and all(p[0].isupper() and gazetteer().lookup(re.sub(r"['’]s$", "", p)) for p in parts)
        and not _ORG_WORDS.search(chunk)
    )


def _is_name(chunk: str) -> bool:
    words = chunk.split()
    if (
        not words
        or len(words) > 12
        or words[0]
        in ("On", "In", "At", "By", "During", "After", "Before", "Since", "From", "For", "With", "As", "While", "When")
    ):
        return False
    if len(words) > 1 and words[0].endswith("ing") and words[1][0].islower():
        return False  # "Speaking to reporters, the governor said"
    caps = [w for w in words if w[0].isupper() or w[0] in '("“']
    return (
        words[0][0].isupper()
        and len(caps) >= max(1, len(words) - 3)
        or (words[0].lower() == "the" and len(words) > 1 and words[1][0].isupper())
    )


# the characters that open, close or end a chunk (a dash only after a space: "X - Y", not "al-Y")
_CHUNK_MARK = re.compile(r"[()]|[,;:\"“”]|(?<= )(?:--|[-–—])")


def _chunks_left(sentence: str, pos: int, limit: int = 0) -> list[tuple[int, int]]:
    """Comma/quote-delimited chunks before `pos`, nearest first (parentheses kept inside); only
    the nearest `limit` when it is set (the scan stops there)."""
    spans: list[tuple[int, int]] = []
    end = pos
    depth = 0
    for m in reversed(list(_CHUNK_MARK.finditer(sentence, 0, pos))):
        i, c = m.start(), m.group()
        if c == ")":
            depth += 1
        elif c == "(":
            depth = max(0, depth - 1)
        elif depth == 0:
            if sentence[m.end() : end].strip():
                spans.append((m.end(), end))
            end = i if c in ',;:"“”' else i - 1
            if limit and len(spans) >= limit:
                return spans
    if sentence[:end].strip():
        spans.append((0, end))
    return spans[:limit] if limit else spans


_MONTH_AFTER = re.compile(
    r"\s+(?:in|on|since|from)\s+(?:\d|January|February|March|April|May|June|July|August|September|October|November|December)"
)


_COMPILED_BY = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:[\w-]+\s+)?(?:figures|data|tall(?:y|ies)|counts?|statistics|records|numbers|estimates|"
    r"statements?|reports?|bulletins?|updates?)\s+"
    r"(?:(?:compiled|released|published|gathered|collected|issued|provided|kept)\s+by|from|by)\s+(?=\S)",
    re.I,
)
# "data from the UN refugee agency shows": the body, not its figures' verb
_SHOWS_AFTER = re.compile(r"\s+(?:shows?|showed|suggests?|suggested|indicates?|indicated)\b.*$")


def _according(sentence: str) -> list[Attribution]:
    """ "according to X", "citing X", "figures from X"."""
    out = []
    for m in _ACCORDING.finditer(sentence) if any(w in sentence for w in _ACCORDING_WORDS) else ():
        src = _MONTH_AFTER.split(_clean(m.group("src")))[0]
        # "according to figures compiled by the news agency": the one who compiled them
        src = _SHOWS_AFTER.sub("", _COMPILED_BY.sub("", src))
        if src:
            out.append(Attribution(_trim_role(src), m.start(), m.end(), m.start(), False))
    return out


def _agents(sentence: str) -> list[Attribution]:
    """ "reported by X", "released by X"; "X's figures show"."""
    out = []
    for m in _AGENT.finditer(sentence) if "by" in sentence else ():
        src = re.sub(r"\s+(?:of|for|on|and|the)$", "", m.group("src").strip())
        if len(src) > 2 and not _NOT_AGENT.match(src):
            out.append(Attribution(src, m.start(), m.end(), m.start(), False))
    for m in _POSSESSIVE_FIGURES.finditer(sentence) if _FIGURES_VERB.search(sentence) else ():
        out.append(Attribution(_clean(m.group("src")), m.start(), m.end(), m.start(), False))
    return out


_PLURAL_NOUN_VERBS = frozenset("states reports notes estimates records shows tells adds writes posts".split())
_PLURAL_NOUN_AFTER = re.compile(
    r"\s+(?:have|has|had|are|were|was|is|will|would|can|could|also|of|in|on|that\s+(?:have|had|are|were))\b|"
    r",\s+(?:including|such\s+as|like)\b"  # "Several other states, including Punjab, reported …"
)
_STATE_AFTER = re.compile(
    r"\s+(?:dead|killed|missing|injured|wounded|hurt|among|to\s+(?:have|be)|safe|alive|infected|displaced)\b"
)
_INVERTING_VERBS = frozenset(
    ("said", "says", "say", "reported", "reports", "added", "estimated", "noted", "wrote", "confirmed", "announced")
)
_COMMA_OR_QUOTE_END = re.compile(r"[,\"”]\s*$")


# "health ministry data showed.", "official tallies showed, as …": figures that show without an object
_DATA_BEFORE = re.compile(r"\b(?:data|figures|tall(?:y|ies)|records|statistics|counts?|numbers)\s*$")


# "An AFP correspondent saw at least 12 bodies": who saw them counts them
_EYEWITNESS = re.compile(
    r"\b(?:correspondents?|reporters?|journalists?|photographers?|cameraman|witness(?:es)?)\s*$", re.I
)
_TOLD_TO = re.compile(r"\s+(?:[\w'’-]+\s+){1,3}to\s+(?!(?:reporters|journalists|the\s+press)\b)[a-z]+")
# "X accused Y of killing 34": X reports the killings
_ACCUSED_OF = re.compile(
    r"\s+[^.;]{1,80}?\bof\s+(?:\w+\s+)?(?:killing|wounding|injuring|abducting|kidnapping|detaining|arresting|"
    r"torturing|executing|displacing|massacring|shooting|murdering)\b"
)


def _not_reporting(v: str, after_text: str, before: str = "") -> bool:
    """The word is no reporting verb here: "several Indian states have been affected", "reports of",
    "put" without a toll, "show" without an object (unless figures show)."""
    if v in _PLURAL_NOUN_VERBS and _PLURAL_NOUN_AFTER.match(after_text):
        return True
    if v in ("confirmed", "reported", "estimated", "counted", "recorded") and _STATE_AFTER.match(after_text):
        return True  # "Nine Britons confirmed dead", "12 reported missing": a participle
    if v in ("told", "tells", "tell") and _TOLD_TO.match(after_text):
        return True  # "The attackers told the hostages to lie down": an order, not a report
    if v in ("accused", "accuses") and not _ACCUSED_OF.match(after_text):
        return True
    if v == "saw" and not _EYEWITNESS.search(before):
        return True  # "The city saw its worst floods": no one who counted
    if v in ("put", "puts") and not re.match(r"\s+(?:the\s+)?(?:death\s+)?(?:toll|number|figure|count)", after_text):
        return True
    return v in ("showed", "shows", "show") and not re.match(r"\s", after_text) and not _DATA_BEFORE.search(before)


def _inverted(sentence: str, m: re.Match) -> Attribution | None:
    """ ", said X" / "," said X"."""
    after_text = sentence[m.end() :]
    if not (_COMMA_OR_QUOTE_END.search(sentence[: m.start()]) and m.group("v") in _INVERTING_VERBS):
        return None
    r = re.match(r"\s+(?P<x>[^,;.\"“”]+(?:\.[A-Z][^,;.\"“”]*)*)", after_text)
    if not r:
        return None
    # ("," said an official who asked not to be identified due to …": the official)
    x = re.split(r"\s+(?:who|whose)\s", _clean(r.group("x")), maxsplit=1)[0]
    rest = after_text[r.end() :]
    if (
        x
        and _valid_subject(x)
        and not re.match(r"(?:that|the\s+(?:attack|toll|number)|it\s+was)\b", x)
        and not re.search(r"\d|\b(?:that)\b", rest)
        and not _AUX.search(rest)
    ):
        named = _NAME_AFTER_ROLE.match(rest) if _ROLE_START.match(x) else None
        if named:
            # ", said the governor, Ali Hassan.": the person the role describes
            return Attribution(named.group("n"), m.start(), m.end() + r.end() + named.end("n"), m.start(), True)
        return Attribution(_trim_role(x), m.start(), m.end() + r.end(), m.start(), True)
    return None


_NAME_AFTER_ROLE = re.compile(r",\s+(?P<n>[A-Z][\w'’-]+(?:\s+(?:al-)?[A-Z][\w'’-]+){1,3})\s*[.!?]?\s*$")


_RELATIVE_CLAUSE = re.compile(
    r"\s*(?:who|which)\s+(?!(?:the|a|an|its|their|his|her|officials|authorities|police|"
    r"residents|witnesses|activists|experts)\b)[a-z]"
)


# "Sindh's health minister -- speaking at a hospital -- told …": an aside between dashes
_DASHED_ASIDE = re.compile(r"\s(?:--|[-–—])\s+[a-z][^-–—()]*?\s(?:--|[-–—])\s*$")


_ADVERB_CHUNK = re.compile(
    r"\s*(?:however|though|meanwhile|too|also|in\s+turn|in\s+contrast|for\s+(?:his|her|its|their)\s+part)\s*"
)


class _Chunks:
    """Chunks before a reporting verb, nearest first: `chunks[i]` is (start, end, cleaned text), cleaned
    when first read (most subjects are read from the nearest chunk alone); `span(i)` is (start, end)."""

    def __init__(self, sentence: str, spans: list[tuple[int, int]]):
        self._sentence = sentence
        self._spans = spans
        self._read: dict[int, tuple[int, int, str]] = {}

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, i: int) -> tuple[int, int, str]:
        if i not in self._read:
            s, e = self._spans[i]
            self._read[i] = (s, e, _clean(self._sentence[s:e]))
        return self._read[i]

    def span(self, i: int) -> tuple[int, int]:
        return self._spans[i]


def _subject_chunks(sentence: str, pos: int) -> _Chunks:
    """The comma-delimited chunks before the verb at `pos`, nearest first, cleaned; a relative clause
    right before the verb is skipped ("The governor, who toured Sulphur on Sunday, said …")."""
    aside = _DASHED_ASIDE.search(sentence, 0, pos)
    chunks = _chunks_left(sentence, aside.start() if aside else pos, 5)
    if len(chunks) > 1 and _ADVERB_CHUNK.fullmatch(sentence[chunks[0][0] : chunks[0][1]]):
        chunks = chunks[1:]  # "Catherine Anene, however, said": the adverb is no subject
    if (
        len(chunks) > 1
        and _RELATIVE_CLAUSE.match(sentence[chunks[0][0] : chunks[0][1]])
        and not any(q in sentence[chunks[1][1] : chunks[0][0]] for q in '"“”;')
    ):
        chunks = chunks[1:]
    elif len(chunks) > 1 and re.match(r"\s*where\s", sentence[chunks[0][0] :]) and "," in sentence[chunks[0][1] : pos]:
        # "A spokesman for the brigade, where the mosque was, said" (not "Kharkiv, where the mayor said")
        chunks = chunks[1:]
    return _Chunks(sentence, chunks[:4])


# "the Houthis' military spokesman": a role, though it opens with a name
_POSSESSIVE_ROLE = re.compile(rf"(?:the\s+)?[\w-]+(?:['’]s|s['’])\s+(?:[\w-]+\s+){{0,3}}(?i:{_ROLE_NOUNS})")


def _pick_subject(sentence: str, cl: _Chunks) -> tuple[str, int]:
    """The subject among the chunks: the person or body before an apposition ("Javed Odho, a senior
    police officer, told …"; "X, head of the paramilitary force, Sindh Rangers, told …")."""
    c1 = cl[0][2]

    def quoted_between(i):
        between = sentence[cl.span(i)[1] : cl.span(i - 1)[0]]
        return any(q in between for q in '"“”;')

    def person_or_org(i):
        return (
            i < len(cl)
            and not quoted_between(i)
            and _is_name(cl[i][2])
            and _valid_subject(cl[i][2])
            and not _only_places(cl[i][2])
        )

    if _is_apposition(c1) and (not _is_name(c1) or _POSSESSIVE_ROLE.fullmatch(c1)):
        if person_or_org(1):
            return cl[1][2], cl[1][0]
        role = len(cl) > 2 and _is_role(cl[1][2]) and _valid_subject(cl[1][2])
        if role and not quoted_between(1) and person_or_org(2):
            # (a clause such as "a drone attack … injured two women" is no role: "Overnight,
            # …, the regional administration said" names no person before it)
            return cl[2][2], cl[2][0]
    elif (
        _is_name(c1)
        and len(cl) > 2
        and not quoted_between(1)
        and _is_role(cl[1][2])
        and not _is_name(cl[1][2])
        and person_or_org(2)
        and is_person(cl[2][2])
    ):
        return cl[2][2], cl[2][0]
    return c1, cl[0][0]


def _quoted_as_saying(sentence: str, m: re.Match) -> Attribution | None:
    """ "X quoted Y as saying": Y is the source."""
    q = re.match(r"\s+(?P<y>[^,;.]+?)\s+as\s+saying\b", sentence[m.end() :])
    if q:
        return Attribution(_trim_role(_clean(q.group("y"))), m.start(), m.end() + q.end(), m.start(), False)
    return None


# "The majority of the deaths that the organization has recorded": the subject of the relative clause
_OBJECT_RELATIVE = re.compile(r"\b(?:that|which|whom)\s+(?P<x>(?:the|its|their|his|her)\s+\S.*|[A-Z].*)$")
_AGENT_IN_SUBJECT = re.compile(
    r"\b(?:released|issued|published|compiled|provided|given|gathered|collected)\s+by\s+(?P<x>\S.*)$"
)
# "X was quoted by the broadcaster as saying": X is the source
_QUOTED_BY = re.compile(r"\s+by\s+[^,;.]+?\s+as\s+saying\b")


def _quoted_by(sentence: str, m: re.Match) -> Attribution | None:
    aux = re.search(r"\s(?:was|were)\s+$", sentence[: m.start()])
    q = _QUOTED_BY.match(sentence, m.end())
    if not aux or not q:
        return None
    chunks = _chunks_left(sentence, aux.start(), 1)
    src = _clean(sentence[chunks[0][0] : chunks[0][1]]) if chunks else ""
    if not src or not _valid_subject(src):
        return None
    return Attribution(_trim_role(src), chunks[0][0], q.end(), m.start(), False)


_WHO_BEFORE = re.compile(r",\s*who\s+(?:also\s+|later\s+)?$")


def _relative_speaker(sentence: str, m: re.Match) -> Attribution | None:
    """ "… was given by police spokesman Benjamin Okafor, who said 12 officers were hurt": the one
    the relative clause is about."""
    who = _WHO_BEFORE.search(sentence, 0, m.start())
    chunks = _chunks_left(sentence, who.start(), 1) if who else []
    if not chunks:
        return None
    s, e = chunks[0]
    x = _clean(sentence[s:e])
    agent = _AGENT_IN_SUBJECT.search(x)
    if agent:
        x = agent.group("x")
    if not _valid_subject(x) or not _is_name(x) and not _ROLE_START.match(x) or _only_places(x):
        return None
    return Attribution(_trim_role(x), s, m.end(), m.start(), False)


def _verb_attribution(sentence: str, m: re.Match) -> Attribution | None:
    """The attribution of one reporting verb: its subject before it, or the speaker after it."""
    v = m.group("v")
    if _PASSIVE_BEFORE.search(sentence[: m.start()]):
        return _quoted_by(sentence, m) if v == "quoted" else None
    if v == "quoted":
        return _quoted_as_saying(sentence, m)
    if _not_reporting(v, sentence[m.end() :], sentence[: m.start()]):
        return None
    inverted = _inverted(sentence, m) or _relative_speaker(sentence, m)
    if inverted:
        return inverted
    cl = _subject_chunks(sentence, m.start())
    if not cl or not _valid_subject(cl[0][2]):
        return None
    best, bstart = _pick_subject(sentence, cl)
    agent = _AGENT_IN_SUBJECT.search(best) or _OBJECT_RELATIVE.search(best)
    if agent:
        best, bstart = agent.group("x"), bstart + agent.start("x")
    if best is cl[0][2] and best[:1].islower() and not _ROLE_START.match(best) and not _LOWER_BODY.fullmatch(best):
        # "district police chief Ram Bahadur said": a role, whatever word qualifies it
        if best.split()[0] not in _SUBJECT_WORDS:
            return None
    tail = sentence[m.end() :]
    limit = 20 if v in ("told", "tells", "tell") else 12
    after = (
        not _DIGIT.search(tail) and not _AUX.search(tail) and not _THAT_START.match(tail) and len(tail.split()) <= limit
    )
    return Attribution(_trim_role(best), bstart, m.end(), m.start(), after)


def find_attributions(sentence: str) -> list[Attribution]:
    """Every attribution of the sentence (offsets relative to it)."""
    if not _ANY_CUE.search(sentence):
        return []
    out = _according(sentence) + _agents(sentence)
    for m in _VERB.finditer(sentence):
        a = _verb_attribution(sentence, m)
        if a:
            out.append(a)
    # "Sittwe alone counted 41 deaths": a town or province does not report (a country's government does)
    return [a for a in out if not _town_only(a.source)]


def _town_only(src: str) -> bool:
    if not src[:1].isupper() or not _only_places(src):
        return False
    return not any(p.kind == "country" for p in gazetteer().lookup(re.sub(r"['’]s$", "", src.split(",")[-1].strip())))


def governing(attrs: list[Attribution], fact_pos: int) -> Attribution | None:
    """The attribution governing the figure at `fact_pos`: the nearest reporting clause before
    it ("X said … N killed"), else the nearest one after it ("N killed, X said"), else an
    "according to X" anywhere in the sentence."""
    leading = [a for a in attrs if not a.after and a.verb_pos < fact_pos]
    speaker = [a for a in attrs if a.after and a.start >= fact_pos]
    if leading and speaker and max(leading, key=lambda a: a.verb_pos).source.lower() in ("we", "i"):
        # "“We have confirmed that 32 people died,” said Maria Lopez": the one who speaks
        leading = []
    if leading:
        best = max(leading, key=lambda a: a.verb_pos)
        # "The agency, citing local officials, said …": the source it cites
        inner = [a for a in attrs if a is not best and best.start <= a.start < best.verb_pos]
        return inner[-1] if inner else best
    trailing = [a for a in attrs if a.start >= fact_pos]
    if trailing:
        best = min(trailing, key=lambda a: a.start)
        # "…, Dawn newspaper reported, citing hospital officials": the source it cites
        cited = [a for a in attrs if 0 <= a.start - best.end <= 3 and not a.after]
        return cited[0] if cited else best
    return attrs[0] if attrs else None


# a body that did what it counts: "Police detained 23 people", "The Greek coast guard rescued 78 migrants
# … and recovered four bodies", "The army evacuated 3,400 villagers" (it is who gives that count; not
# "Rescuers recovered 40 bodies": rescuers do not report)
_DOER = re.compile(
    r"(?P<src>(?:(?:[Tt]he|[Ll]ocal|[Ss]tate|[Ff]ederal|[Rr]iot)\s+)?(?:[A-Z][\w'’-]*\s+){0,3}"
    r"(?:[Pp]olice|[Cc]oast\s*[Gg]uards?|[Aa]rmy|[Nn]avy|[Aa]ir\s+[Ff]orce|[Ss]ecurity\s+forces|[Aa]uthorities|"
    r"(?:[Pp]olice|[Tt]roops)\s+and\s+(?:soldiers|troops|police)|[Tt]roops|[Ss]oldiers|"
    r"[Ff]ire\s+(?:service|brigade|department)|"
    r"Red\s+Cross|Red\s+Crescent|[Ii]mmigration\s+officers|[Bb]order\s+guards))"
    r"\s+(?:(?:have|has|had)\s+)?(?:(?:also|so\s+far|already|now|since)\s+)?"
    r"(?P<v>arrest(?:ed|ing)|detain(?:ed|ing)|round(?:ed|ing)\s+up|held|rescu(?:ed|ing)|pull(?:ed|ing)|fre(?:ed|eing)|"
    r"sav(?:ed|ing)|evacuat(?:ed|ing)|airlift(?:ed|ing)|recover(?:ed|ing)|retriev(?:ed|ing))\b"
)
_DOER_KINDS = {
    "arrested": ("arrest", "detain", "round", "held"),
    "rescued": ("rescu", "pull", "fre", "sav"),
    "evacuated": ("evacuat", "airlift", "rescu"),
    "killed": ("recover", "retriev", "pull"),
}
# between the verb (or its "and …" twin) and the figure: a few words, no clause of its own
_TO_OBJECT = re.compile(r"[^,;:.\"“”]{0,40}")


def doer_source(sentence: str, pos: int, kind: str) -> str | None:
    """The body that arrested, rescued, evacuated or recovered the people counted at `pos`."""
    verbs = _DOER_KINDS.get(kind)
    if not verbs or not any(v in sentence for v in verbs):
        return None
    for m in _DOER.finditer(sentence):
        if m.start() > pos:
            break
        if m.group("v").startswith(verbs) and (m.end() >= pos or _TO_OBJECT.fullmatch(sentence, m.end(), pos)):
            return _clean(m.group("src"))
        # "… rescued 78 migrants and recovered four bodies": the same doer
        twin = re.compile(rf"\s+and\s+(?P<v>(?:{'|'.join(verbs)})\w*)\b")
        for t in twin.finditer(sentence, m.end()):
            if t.start("v") > pos:
                break
            if t.end() >= pos or _TO_OBJECT.fullmatch(sentence, t.end(), pos):
                return _clean(m.group("src"))
    return None


_NAMED_THEN_ROLE = re.compile(r"^(?P<a>[^,;:\"“”]{3,80}),\s+(?P<b>[^,;:\"“”]{3,80}),\s+[a-z]")


def introducer(sentence: str) -> str | None:
    """The person a sentence opens with, before a quotation it introduces ("A camp official, Mohammad
    Rafiq, described the scene."; "Regional commissioner Halima Mrisho spoke to reporters.")."""
    m = _NAMED_THEN_ROLE.match(sentence)
    if m:
        a, b = _clean(m.group("a")), _clean(m.group("b"))
        if is_person(b) and _ROLE_START.match(a):
            return b
        if is_person(a) and _ROLE_START.match(b):
            return a
        return None
    m = re.match(r"^(?P<s>(?:[\w'’-]+\s+){1,8}?)(?=[a-z]+(?:ed|s|ke|ve|ote|old|aid|ew)\b)", sentence)
    if m:
        name = _trim_role(_clean(m.group("s")))
        if is_person(name) and name != _clean(m.group("s")) or _ROLE_START.match(_clean(m.group("s"))):
            return name
    return None


def headline_source(title: str) -> str | None:
    """ "200 wounded by blast in Afghan capital: health ministry" -> "health ministry";
    "Cholera kills 40 in Kassala, ministry says" -> "ministry"."""
    says = re.search(r",\s+(?P<src>[^,:|]{2,40}?)\s+(?:says|say|said|reports|reported)$", title.strip()) or re.search(
        r",\s+(?:says|said|reports)\s+(?P<src>[^,:|]{2,40}?)$", title.strip()
    )
    if says and _HEADLINE_DASH_SOURCE.fullmatch(says.group("src")) and not re.search(r"\d", says.group("src")):
        return says.group("src")
    m = re.search(r"(?:[:|]|\s[-–—]\s)\s*(?P<src>[^:|\-–—]{2,50})$", title.strip())
    lead = re.match(r"^(?P<src>[^:|]{2,30}):\s", title.strip())
    if lead and _HEADLINE_LEAD_SOURCE.fullmatch(lead.group("src")) and not _RUBRIC.search(lead.group("src")):
        # "UN: 1 million displaced by fighting" (not "Nigeria: police say …", a place)
        src = lead.group("src")
        return None if gazetteer().lookup(src) or _only_places(src) else src
    if not m:
        return None
    src = m.group("src").strip().rstrip(".")
    if len(src.split()) > 5 or re.search(r"\d", src):
        return None
    if m.group().lstrip()[:1] not in ":|" and (not _HEADLINE_DASH_SOURCE.fullmatch(src) or _RUBRIC.search(src)):
        return None  # "Storm hits Texas - live updates": a rubric, not a source
    return src


# a body that opens a headline ("UN: …", "Police: …"); not a topic ("Hurricane Ian: …", "Syria Crisis: …")
_HEADLINE_LEAD_SOURCE = re.compile(
    r"[A-Z]{2,8}|(?:[A-Za-z-]+\s+){0,2}(?:[Oo]fficials?|[Pp]olice|[Mm]inistry|[Aa]gency|[Aa]uthorities|[Aa]rmy|"
    r"[Mm]ilitary|[Mm]onitor|[Gg]overnor|[Mm]ayor|Red\s+Cross|Red\s+Crescent)"
)
_RUBRIC = re.compile(
    r"(?i)\b(?:live|video|update|updates|analysis|opinion|photos?|explainer|breaking|watch|exclusive)\b"
)
_HEADLINE_DASH_SOURCE = re.compile(
    r"[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}|(?:[\w-]+\s+){0,2}(?:officials?|police|monitor|ministry|agency|"
    r"authorities|sources|media|army|military|rescuers|governor|mayor|witnesses|activists|medics|group|"
    r"observatory|spokesman|spokeswoman|report|reports)"
)


# --- resolution across sentences -----------------------------------------------------------

_NOT_FIRST = frozenset(
    "The A An In On At By For From With After Before When While But And Police "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


# compiled once (not formatted and hashed on every call)
_PERSON_NAME = re.compile(rf"[A-Z][\w'’\-]+(?:\s+{_NAME_TOKEN}){{0,5}}")
_ENDS_WITH_ROLE = re.compile(rf"\b(?i:{_ROLE_NOUNS})$")
# "a spokesman for the provincial government … he said": a role is a person
_STARTS_WITH_ROLE = re.compile(rf"^(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:{_ROLE_NOUNS})\b")


def is_person(src: str) -> bool:
    if src.startswith(("The ", "the ", "a ", "A ", "an ")) or _ORG_WORDS.search(src):
        return False
    return bool(_PERSON_NAME.fullmatch(src))


_NEWS = re.compile(r"\b(?:News|Xinhua|Reuters|Press|TV|Television|Radio|Media|Interfax|AFP|CNN|BBC|Times|Post)\b")


# words that describe any monitor or aid body, so they do not tell one from another
_GENERIC_MODIFIERS = frozenset(
    "rights human monitoring aid relief humanitarian war charity advocacy activist opposition "
    "non-profit nonprofit international global local british britain uk u.k. un u.n. based".split()
)


_THAT_START = re.compile(r"\s*that\b")
_STATEMENT = re.compile(r"(?:the|its|their)\s+(?:\w+\s+)?(?:statement|communiqu[eé])")
_CAPITALISED_NAME = re.compile(r"(?:[Tt]he\s+)?((?:[A-Z][\w'’-]*\s+)+[A-Z][\w'’-]*)")
_ONE_NAME = re.compile(r"[A-Z][a-z][\w'’\-]+")


def resolve(src: str, history: list[str], text_before: str, recent: list[str] | None = None) -> str:
    """Resolve pronouns, definite descriptions, bare "officials" and surnames against the
    sources named before (most recent last) and the text before the sentence."""
    low = src.lower()
    if _STATEMENT.fullmatch(low) and history:
        # "“The toll is provisional,” the statement said": the body whose statement it is
        return history[-1]
    if low in _PRONOUNS:
        want = _PRONOUNS[low]
        for h in reversed(history):
            # "the civil protection chief … he told reporters": a role is a person
            person = is_person(h) or bool(_ENDS_WITH_ROLE.search(h) or _STARTS_WITH_ROLE.match(h))
            if want == "any" or (want == "person") == person:
                return h
        if want == "person":
            # the last person named before ("Maria Santos, the mayor, visited …")
            for m in reversed(
                list(
                    re.finditer(
                        r"(?<![\w.])([A-Z][a-z]+(?:[ ]+(?:al-|bin[ ]+|de[ ]+)?[A-Z][a-z]+){1,2})\b", text_before[-600:]
                    )
                )
            ):
                name = m.group(1)
                if is_person(name) and not gazetteer().lookup(name) and name.split()[0] not in _NOT_FIRST:
                    return name
        return src
    short = _CAPITALISED_NAME.fullmatch(src)
    if short:
        # "The Red Crescent" after "the Palestinian Red Crescent": the name written in full before
        for h in reversed(history):
            if len(h) > len(src) and h.lower().endswith(" " + short.group(1).lower()):
                return h
    dm = _DEFINITE.match(src)
    if dm:
        head = dm.group("head").split()[0].lower()
        for h in reversed(history):
            if head in h.lower() and h.lower() != low:
                return h
        # a body named in the text, e.g. "The National Emergency Management Agency (NEMA) …"
        named = re.findall(
            rf"(?:The|the)\s+(?:[A-Z][\w'’-]*\s+){{0,6}}{head.capitalize()}(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?(?:\s+\([A-Z]+\))?",
            text_before,
        )
        if named:
            return named[-1]
        if head in (
            "authority",
            "group",
            "organisation",
            "organization",
            "body",
            "agency",
            "monitor",
            "watchdog",
            "office",
            "monitoring",
            "charity",
            "organisation's",
            "observatory",
        ):
            # "the UK-based monitoring group", "the London-based rights group": the body named
            # before; a description with words of its own ("the national disaster agency") is
            # another body unless the name shares them
            own = [
                w
                for w in re.findall(r"[\w.]+", re.sub(r"(?:\S+\s+)?\S+-based\b", "", src.lower()))[1:-1]
                if w not in _GENERIC_MODIFIERS
            ]
            if head not in ("agency", "authority", "office"):
                own = []  # "the medical charity": a charity is described, an agency named by its task
            for h in reversed(history[-5:]):
                if (
                    not is_person(h)
                    and _ORG_WORDS.search(h)
                    and not _NEWS.search(h)
                    and all(w in h.lower() for w in own)
                ):
                    return h
        return src
    if low == "officials":
        # "The Health Ministry said … Officials said …": the body named just before
        for h in reversed(recent or []):
            if (
                not is_person(h)
                and re.search(
                    r"\b(?:Ministry|Department|Authority|Office|Council|"
                    r"Police|Army|Government|Commission|Administration|"
                    r"Agency)\b",
                    h,
                )
                and not _NEWS.search(h)
            ):
                return h
        return src
    if _ONE_NAME.fullmatch(src):
        # a surname: the full name written before ("Danish said" -> "Najib Danish")
        for h in reversed(history):
            if h.endswith(" " + src) and is_person(h):
                return h
        cands = re.findall(rf"((?:[A-Z][\w'’\-]+\s+){{1,3}}){re.escape(src)}\b", text_before)
        for c in reversed(cands):
            words = c.split()
            # drop leading words that are roles, places or articles
            while words and (
                words[0].lower() in ("the", "a", "in", "said", "by")
                or _ORG_WORDS.search(words[0])
                or re.fullmatch(r"(?:UN|U\.N\.|US|Afghan|Syrian|Iraqi|Nigerian|Chinese)", words[0])
            ):
                words = words[1:]
            while words and gazetteer().lookup(words[0]):
                words = words[1:]
            if words:
                return " ".join(words + [src])
    return src
