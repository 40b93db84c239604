"""The casualty and population grammar: killed, injured, missing, displaced, affected,
arrested, kidnapped, evacuated, rescued and population figures from English news sentences.

How it works. For each sentence the number parser (`extractors.numbers`) finds every number
mention. The sentence is then rewritten into a lower-cased *skeleton* in which each usable
number is a marker `⟦i⟧` (and each non-fact number `⟦x⟧`), so the grammar can be written as
regular expressions over words and markers. The patterns live in `extractors.casualty_patterns`;
here each construction family is one small function over a `_Work` (the sentence, its mentions
and the decisions so far), run in the order of `_FAMILIES`:

  * zero claims           "no one was killed", "there were no casualties"      -> 0
  * tolls                 "the death toll rose to N", "the number of injured reached N"
  * lists of victims      "the dead included N ...", "among the dead were N"
  * active verbs          "killing N", "the blast wounded N", "displaced N", "the arrest of N",
                          "claimed N lives"                                    (verb before N)
  * passive / nominal     "N people were killed", "N dead", "N deaths", "N wounded",
                          "N people were made homeless", "N remain missing"    (predicate after N)
  * population            "home to N", "a population of N", "a town of N inhabitants"
  * subsets and lists     "..., including N children", "N attackers, N bombers and N others"

Every candidate passes filters for hypotheticals, threats, forecasts and denials ("could kill",
"threatened to kill", "denied that N were killed") and for counts of things that are not people
("killed 3.8 million livestock", "N homes"). A number matched by the grammar but rejected by a
filter is reported as *claimed* so that the statistics pass does not turn it into a fact.

Ambiguity policy: a wrong death toll is worse than none, so "N casualties" (killed and wounded
together) and "killed or injured" produce no fact.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from extractors import casualty_patterns as P
from extractors.numbers import CLAIMED_NONFACTS, NumberMention, find_numbers, may_hold_number
from extractors.schema import CASUALTY_KINDS
from extractors.text import Sentence, case_blind_scan, exact_matches

__all__ = ["CasualtyFact", "extract_casualties", "sentence_casualties", "sentence_numbers"]


# patterns built from casualty_patterns pieces, compiled once (not formatted and hashed on every call)
_NP_WORDS_AFTER = re.compile(rf"\s+({P.NPWORD}(?:\s+{P.NPWORD}){{0,2}})")
_AUX_PREDICATE_AFTER = re.compile(rf"\s+(?:(?:{P.AUX})\s+)*{P.PREDICATE}\b")


@dataclass(frozen=True)
class CasualtyFact:
    kind: str
    value: float
    low: float | None
    high: float | None
    qualifier: str
    subject: str | None
    span_start: int  # offsets into the ORIGINAL text
    span_end: int
    sentence: Sentence
    scope: str = "total"  # "part": a group inside a larger figure of the same kind (see `_finish_scope`)


@dataclass
class _Skeleton:
    text: str  # lower-cased sentence with markers
    seg_skel: list[int]  # skeleton start of each original segment
    seg_orig: list[int]  # matching original (sentence-relative) start

    def to_orig(self, pos: int) -> int:
        i = bisect.bisect_right(self.seg_skel, pos) - 1
        return self.seg_orig[i] + (pos - self.seg_skel[i])


def _build_skeleton(sentence: str, mentions: list[NumberMention], usable: list[bool]) -> _Skeleton:
    parts: list[str] = []
    seg_skel: list[int] = [0]
    seg_orig: list[int] = [0]
    pos = 0
    skel_len = 0
    for i, m in enumerate(mentions):
        chunk = sentence[pos : m.start]
        parts.append(chunk)
        skel_len += len(chunk)
        marker = f"⟦{i}⟧" if usable[i] else ("" if m.nonfact == "restated" else "⟦x⟧")
        parts.append(marker)
        skel_len += len(marker)
        pos = m.end
        seg_skel.append(skel_len)
        seg_orig.append(pos)
    parts.append(sentence[pos:])
    # Scare quotes do not change the grammar ('"neutralised" 35 insurgents', '14 "terrorists" were killed'):
    # blanked, one character for one so offsets still map.
    text = "".join(parts).lower()
    for quote in _SCARE_QUOTES:
        if quote in text:  # (str.replace per character: the same as str.translate, many times quicker)
            text = text.replace(quote, " ")
    if "." in text:  # "three u.s. soldiers": a dotted initialism is one word of the noun phrase
        text = _INITIALISM.sub(lambda d: d.group().replace(".", "-"), text)
        text = _MONTH_DOT.sub(" ", text)  # "struck on nov. 8 rose to 4,011": no full stop
    if "(" in text:  # "12 (twelve) deaths": the restatement in brackets is left out, brackets and all
        text = _EMPTY_BRACKETS.sub(lambda b: " " * len(b.group()), text)
    if (
        "according" in text or "—" in text or "–" in text or " - " in text
    ):  # an aside inside the clause, blanked the same way
        text = P.ASIDE.sub(lambda m: " " * len(m.group()), text)
    return _Skeleton(text, seg_skel, seg_orig)


_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
# (the full stop first, its month checked behind it: a literal start is searched for quickly)
_MONTH_DOT = re.compile(r"\.(?=\s)(?:(?<=\b(?:jan|feb|mar|apr|aug|oct|nov|dec)\.)|(?<=\bsept\.))")
_INITIALISM = re.compile(r"\b[a-z]\.(?:[a-z]\.)+(?=\s+[a-z])")
_SCARE_QUOTES = ('"', "“", "”", "«", "»")


_WORDS = re.compile(r"[a-z][a-z'’\-]*")
# (inline patterns of the families, compiled once: not looked up in re's cache on every call)
_SPACES = re.compile(r"\s+")
_AFFECTED_WORDS = re.compile(r"\b(?:affected|marooned|drought|cyclone|storm)\b")
_CONSISTING_OF = re.compile(r"\b(?:consisting|made\s+up|comprising|composed)\s+of\b")
_MAY = re.compile(r"\bmay\b")
_MAY_HAVE = re.compile(r"\bmay\s+have\b")
_TO = re.compile(r"\bto\b")
_ORDINAL_ONE = re.compile(r"\ba (?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) ")  # "a fifth was hurt"
_FATE_AFTER_SUBJECT = re.compile(r" (?:was|been|died|drowned|succumbed|perished) ")


def _add_word_count(
    extra: list[NumberMention],
    taken: list[tuple[int, int]],
    start: int,
    end: int,
    value: float = 1.0,
    nonfact: str = "article",
) -> None:
    """Words at start..end read as a count of `value` people ("a soldier", "both attackers"), unless a
    number mention already covers them."""
    if not any(s < end and start < e for s, e in taken):
        extra.append(NumberMention(start, end, start, value, value, value, "exact", words=True, nonfact=nonfact))


def _article_mentions(
    sentence: str, mentions: list[NumberMention], refers_back: bool = False, opening: bool = False
) -> list[NumberMention]:
    """ "a"/"an" before a singular person noun, as the number one (a judgement call, applied
    consistently: only when the grammar then finds a casualty predicate for it). `refers_back`: the sentence
    follows one that reported no fate, so "The 45-year-old man was shot dead" names someone introduced there;
    `opening`: it opens the text, where "The victim, 23, was killed" (an apposed age) repeats no one."""
    if not P.MAY_HAVE_SINGULAR.search(sentence):
        return mentions
    # every reading below needs a singular person noun ("a soldier", "killing the groom") or "another"
    lowered = sentence.lower()
    if (
        P.PERSON_SINGULAR.isdisjoint(_WORDS.findall(lowered))
        and "another" not in lowered
        and " head" not in lowered
        and "both" not in lowered
        and not _ORDINAL_ONE.search(lowered)
    ):
        return mentions
    extra: list[NumberMention] = []
    taken = [(m.start, m.end) for m in mentions]
    for m in P.ARTICLE_ONE.finditer(sentence):
        words = m.group("words").lower().split()
        for k, w in enumerate(words):
            if w in P.PERSON_SINGULAR or w == "head" and P.titled_head(words[: k + 1]):
                break
            if w in P.ARTICLE_BLOCKERS:
                words = []
                break
        else:
            words = []
        if not words:
            continue
        _add_word_count(extra, taken, m.start("a"), m.end("a"))
    # "killing the groom": a definite singular right after an active casualty verb is one person
    # (only there: "the police chief was killed" repeats someone already counted, or no one)
    scan, target = case_blind_scan(P.DEFINITE_AFTER_VERB, P.DEFINITE_AFTER_VERB_LOWER, sentence, lowered)
    for m in scan.finditer(target):  # (its groups may hold lower-cased text: they are read lower-cased below)
        g = "a" if m.group("a") else "a2"
        words = m.group("words" if g == "a" else "words2").lower().split()
        if words[0] not in P.PERSON_SINGULAR and not (
            len(words) > 1 and words[1] in P.PERSON_SINGULAR and words[0] not in P.ARTICLE_BLOCKERS
        ):
            continue
        if g == "a2" and m.group(g).lower() == "the" and m.group(0).startswith(","):
            continue  # ", the victim, ...": an apposition, not a list ("a man, his wife and two children")
        _add_word_count(extra, taken, m.start(g), m.end(g))
    for m in P.DEFINITE_SUBJECT.finditer(sentence) if _FATE_AFTER_SUBJECT.search(lowered) else ():
        if m.group("words").lower().split()[-1] not in P.PERSON_SINGULAR or (
            m.group("a").lower() == "the" and not refers_back and not (opening and m.group("age"))
        ):
            continue
        _add_word_count(extra, taken, m.start("a"), m.end("a"))
    for m in P.DEFINITE_AND_COUNT.finditer(sentence) if " and " in lowered else ():  # "The driver and 8 passengers"
        if m.group("words") in P.PERSON_SINGULAR:
            _add_word_count(extra, taken, m.start("a"), m.end("a"))
    for m in P.BOTH.finditer(sentence) if "both" in lowered else ():  # "both attackers were killed": two
        if P.person_noun(m.group("noun").lower()):
            _add_word_count(extra, taken, m.start("a"), m.end("a"), 2.0, "article_pronoun")
    # "killing one and injuring another": the pronoun "another" as one person
    for m in P.ANOTHER_PRONOUN.finditer(sentence):
        _add_word_count(extra, taken, m.start(), m.end(), nonfact="article_pronoun")
    if not extra:
        return mentions
    return sorted(mentions + extra, key=lambda x: x.start)


def _subject(sentence: str, skel: _Skeleton, match: re.Match, group: str = "np") -> tuple[str | None, list[str]]:
    """The counted noun phrase as written, and its lower-cased words."""
    if match.group(group) is None or not match.group(group).strip():
        return None, []
    s, e = skel.to_orig(match.start(group)), skel.to_orig(match.end(group))
    raw = sentence[s:e].strip()
    words = raw.split()
    while words and words[0].lower() in P.SUBJECT_SKIP:
        words = words[1:]
    if words and words[0].lower() in ("them", "those", "whom", "these"):
        return None, [w.lower() for w in words]
    # adverbs are not the counted noun: "5 seriously hurt", "2 of them seriously"
    # nor are particles of a phrasal verb: "dug 17 survivors out of the block", nor a conjunction left
    # before an adverb ("fatally shot a police officer and critically wounded ...")
    while words and (
        words[-1].lower().endswith("ly")
        and words[-1].lower() not in ("family", "ally", "elderly")
        or words[-1].lower() in _PARTICLES
        or words[-1].lower() in ("and", "or")
    ):
        words = words[:-1]
    if not words:
        return None, []
    lowered = [w.lower().strip(",.;:'’\"") for w in words]
    return (" ".join(words).strip(",.;:") or None), lowered


_COMPLEMENT = frozenset("of on in from at inside aboard near".split())


_PARTICLES = frozenset("out up off away back down".split())


def _is_non_person(words: list[str]) -> bool:
    """The counted noun names things, not people. Judged on the head before a complement: "residents of
    the coastal towns" counts residents, "heads of cattle" counts cattle by its first word."""
    cut = next((k for k, x in enumerate(words[1:], 1) if x in _COMPLEMENT), len(words))
    head = words[:cut]
    if P.titled_head(head):
        return False  # "a village head"
    return bool(head) and (head[-1] in P.NON_PERSON or head[0] in P.NON_PERSON)


@dataclass
class _Work:
    """One sentence under analysis: its number mentions, skeleton, and the decisions so far.

    Every family function takes this as its one input and records its decisions through
    `assign` (a mention is a fact of a kind) or `rejected` (a mention is claimed as no fact)."""

    sent: Sentence
    mentions: list[NumberMention]
    usable: list[bool]
    skel: _Skeleton
    facts: list[CasualtyFact] = field(default_factory=list)
    assigned: dict[int, tuple[str, str | None, int]] = field(default_factory=dict)  # index -> kind, subject, span end
    rejected: set[int] = field(default_factory=set)
    passive_assigned: set[int] = field(default_factory=set)
    parts: set[int] = field(default_factory=set)  # facts that are a group inside a larger count
    prior_kind: str | None = None  # the kind of the last fact of the sentence before

    @property
    def text(self) -> str:
        return self.sent.text

    @property
    def sk(self) -> str:
        return self.skel.text

    @property
    def base(self) -> int:
        return self.sent.start

    def assign(
        self,
        i: int,
        kind: str,
        subject: str | None,
        np_words: list[str],
        match: re.Match,
        np_group: str = "np",
        part: bool = False,
    ) -> None:
        """Record mention `i` as a fact of `kind` (`part` of a larger count or not), unless a
        filter says it is no fact."""
        if i in self.assigned or i in self.rejected:
            return
        m = self.mentions[i]
        if kind == "ambiguous":
            self.rejected.add(i)
            return
        if kind != "population" and _is_non_person(np_words):
            return  # "killed 3.8 million livestock": a statistic
        if m.nonfact == "article":
            # "a man accused of blasphemy": the head noun first, a participle after it
            if not np_words or (
                np_words[-1] not in P.PERSON_SINGULAR
                and not P.titled_head(np_words)
                and not (len(np_words) > 1 and np_words[-2] in P.PERSON_SINGULAR and np_words[-1].endswith("ed"))
            ):
                return
        sk = self.sk
        before = sk[max(0, match.start() - 120) : match.start()]
        if (
            P.DENIAL.search(before[-80:])
            or P.CONDITIONAL.search(before.split(",")[-1] + " ")
            or before.endswith(("all but ", "all except ", "everyone but ", "everyone except "))
        ):  # "all but two were rescued": the two are the ones not rescued
            self.rejected.add(i)
            return
        span_end = m.end
        if m.nonfact == "article" and match.group(np_group):
            span_end = self.skel.to_orig(match.end(np_group))
        self.assigned[i] = (kind, subject, span_end)
        if part:
            self.parts.add(i)


_ZERO_HINT = re.compile(r"\bno\b|\bnone\b|\bnobody\b|\bno-one\b|\bwithout\b")


def _may_claim_zero(sentence: str) -> bool:
    """Whether the sentence's skeleton can hold a zero claim (`_ZERO_HINT`). Every word of the hint holds
    "no" or "without", and the skeleton keeps the sentence's letters as they are (lower-cased; numbers
    become markers, quotes and asides blanks), so a sentence without either string has none."""
    low = sentence.lower()
    return "no" in low or "without" in low


def _zero_claims(w: _Work) -> None:
    """Zero claims: "no one was killed", "there were no casualties" (facts of value 0)."""
    sk, skel, facts, base, sent = w.sk, w.skel, w.facts, w.base, w.sent
    # 1. zero claims ("no one was killed")
    for z in P.ZERO.finditer(sk) if _ZERO_HINT.search(sk) else ():
        preds = [
            p
            for p in (
                z.group("pred"),
                z.group("pred2"),
                z.group("pred3"),
                z.group("pred4"),
                z.group("pred5"),
                z.group("pred6"),
            )
            if p
        ]
        zgroup = next(g for g in ("z", "z2", "z3", "z4", "z6") if z.group(g))
        if zgroup == "z6" and P.hypothetical(sk[max(0, z.start() - 60) : z.start()]):
            continue
        zs, ze = skel.to_orig(z.start(zgroup)), skel.to_orig(z.end(zgroup))
        if P.DENIAL.search(sk[max(0, z.start() - 80) : z.start()]) or P.CONDITIONAL.search(
            sk[max(0, z.start() - 80) : z.start()].split(",")[-1] + " "
        ):
            continue
        kinds = []
        for p in preds:
            p = re.sub(r"\s+", " ", p)
            key = p.split()[-1] if p.split()[-1] in P.ZERO_KIND else p
            kinds.append(P.ZERO_KIND.get(key, P.ZERO_KIND.get(p.split()[-1])))
        for kind in dict.fromkeys(k for k in kinds if k):
            facts.append(CasualtyFact(kind, 0.0, 0.0, 0.0, "exact", None, base + zs, base + ze, sent))


def _none_and_treated(w: _Work) -> None:
    """ "none of the 44 passengers survived", "treated 12 people for injuries" (for cholera: cases), "none of
    the 30 … was hurt"."""
    sk, skel, s_text, rejected = w.sk, w.skel, w.text, w.rejected
    has_none = "none" in sk
    for t in (
        P.NONE_SURVIVED.finditer(sk) if "surviv" in sk or "alive" in sk or has_none else ()
    ):  # "none of the 44 … survived"
        g = next(g for g in ("", "2", "3") if t.group("i" + g) is not None)
        subj, words = _subject(s_text, skel, t, "np" + g)
        w.assign(int(t.group("i" + g)), "killed", subj, words, t, np_group="np" + g)
    for t in P.WHEREABOUTS.finditer(sk) if "whereabouts" in sk or "fate" in sk else ():
        g = "" if t.group("i") is not None else "2"
        subj, words = _subject(s_text, skel, t, "np" + g)
        w.assign(int(t.group("i" + g)), "missing", subj, words, t, np_group="np" + g)
    for t in P.TREATED_FOR.finditer(sk) if "treat" in sk or "admit" in sk else ():
        subj, words = _subject(s_text, skel, t)
        w.assign(int(t.group("i")), "injured", subj, words, t)
    for t in P.TREATED_FOR_ILLNESS.finditer(sk) if "treat" in sk or "admit" in sk else ():
        subj, words = _subject(s_text, skel, t)
        if words and not _is_non_person(words):
            w.assign(int(t.group("i")), "affected", subj, words, t)
    for t in P.NONE_OF.finditer(sk) if has_none else ():
        rejected.add(int(t.group("i")))  # "none of the 30 passengers was hurt": 30 is no toll


def _tolls(w: _Work) -> None:
    """Explicit tolls and lists of the dead: "the death toll rose to N", "the number of injured reached N",
    "the dead included N …"."""
    sk, skel, s_text, rejected = w.sk, w.skel, w.text, w.rejected
    # 2. explicit tolls and lists of the dead
    has_toll = "toll" in sk or "tally" in sk or "count" in sk or "figure" in sk
    for t in P.TOLL.finditer(sk) if has_toll else ():
        i = int(t.group("i"))
        if re.search(
            r"\b(?:take|takes|took|taken|taking|heavy|terrible|huge|high|emotional|psychological)\s+(?:a\s+|its\s+|their\s+|an?\s+\w+\s+)?$",
            sk[max(0, t.start() - 30) : t.start()] + " ",
        ):
            continue
        head = sk[t.start() : t.start("mid")]
        if len(t.group("mid")) > 110 and t.group("link") in ("is", "was", "to", "at", "of", "now", ":"):
            continue  # far from its head, only a verb of moving or standing ("stood at") says the count is this one
        # "the tally of confirmed dead": the count is named after the head
        of_dead = re.match(
            r"\s+of\s+(?:the\s+|those\s+)?(?:confirmed\s+|known\s+|recorded\s+)?"
            r"(?:dead|deaths|fatalities|killed|(?P<missing>missing)|(?P<injured>injured|wounded))\b",
            t.group("mid"),
        )
        if (
            not re.search(r"\b(?:death|deaths|casualty|fatality|injury|injuries)\b", head)
            and not re.search(r"\btoll\b", head)
            and not of_dead
        ):
            continue
        if (
            re.search(r"\b(?:count|figure|tally)\b", head)
            and not of_dead
            and not re.search(r"\b(?:death|deaths|casualty|fatality|injury|injuries)\b", head)
        ):
            continue
        if "casualty" in head:
            rejected.add(i)
            continue
        kind = "injured" if re.search(r"\binjur", head) else "killed"
        if of_dead and (of_dead.group("missing") or of_dead.group("injured")):
            kind = "missing" if of_dead.group("missing") else "injured"  # "the count of the missing stood at 9"
        if P.FORECAST_MID.search(t.group("mid")) or P.FORECAST_MID.search(t.group("link")):
            rejected.add(i)
            continue
        subj, words = _subject(s_text, skel, t)
        w.assign(i, kind, subj, words, t)
        aside = P.SUBSET.search(sk, t.start("mid"), t.end("mid")) if "⟦" in t.group("mid") else None
        if aside:  # "the death toll, including 18 children, stood at 51": the aside is a part
            a_subj, a_words = _subject(s_text, skel, aside)
            w.assign(int(aside.group("i")), kind, a_subj, a_words, aside, part=True)
        if t.group("by"):  # "jumped by nearly 1,200 to 5,209": the rise is a part of the toll
            w.assign(int(t.group("by")), kind, None, [], t, part=True)
    for t in P.COUNT_NOUN_RISES.finditer(sk):
        i = int(t.group("i"))
        if P.FORECAST_MID.search(t.group("mid")) or t.group("w") == "casualties":
            rejected.add(i)
            continue
        if (
            t.group("w") == "cases"
            and not P.DISEASE_SENTENCE.search(sk)
            and not (
                _CASE_ADJECTIVE.search(sk, max(0, t.start() - 15), t.start())
                and not re.match(r"\s*of\b", t.group("mid"))  # "suspected cases of fraud": no disease
            )
        ):
            continue  # "court cases rose to 40": no disease, no fact
        kind = {
            "cases": "affected",
            "deaths": "killed",
            "fatalities": "killed",
            "injuries": "injured",
            "arrests": "arrested",
            "evacuations": "evacuated",
            "infections": "affected",
            "abductions": "kidnapped",
        }[t.group("w")]
        subj, words = _subject(s_text, skel, t)
        w.assign(i, kind, subj, words, t)
    for t in P.NUMBER_OF.finditer(sk) if "number" in sk or "tally" in sk or "count" in sk else ():
        if P.FORECAST_MID.search(t.group("mid")):
            rejected.add(int(t.group("i")))
            continue
        if len(t.group("mid")) > 60 and t.group("link") in ("is", "was", "to", "at", ":"):
            continue  # a long way from its head, only a verb of moving says the count is this one
        kind = _word_kind(t.group("w"))
        if kind == "killed" and P.VITAL_STATS.search(sk):
            continue  # "the number of deaths minus that of births": a vital statistic
        subj, words = _subject(s_text, skel, t)
        if words and words[-1] in ("mark", "threshold", "milestone"):
            subj, words = None, []  # "passed the 2 million mark"
        w.assign(int(t.group("i")), kind, subj, words, t)
        if t.group("by"):  # "the number of infections rose by 210 to 5,480": the rise is a part
            w.assign(int(t.group("by")), kind, None, [], t, part=True)
    for t in P.THE_DEAD.finditer(sk):
        kind = _word_kind(t.group("w") or t.group("w2"))
        subj, words = _subject(s_text, skel, t)
        # "the dead included N", "among the dead were N": a group inside the toll
        part = bool(t.group("w2")) or bool(re.search(r"\binclud", t.group(0)))
        if t.group("w") == "victims":  # "the victims included a councillor and his driver": of the fate reported before
            kind, part = w.prior_kind or "killed", False  # (a part of a toll before it: `_group_parts`)
            if kind == "population" or not re.search(
                r"\b(?:includ\w*|numbered|number|totall?ed|comprised?)\b", t.group(0)
            ):
                continue  # "the victims were 23 and 45 years old": ages
        w.assign(int(t.group("i")), kind, subj, words, t, part=part)


def _bring_to(w: _Work) -> None:
    """ "The latest deaths bring to 42 the number of people killed": a running count of the kind it names."""
    for t in P.BRING_TO.finditer(w.sk) if " to ⟦" in w.sk else ():
        kind = _word_kind(t.group("w"))
        if kind == "affected" and not P.DISEASE_SENTENCE.search(w.sk) and t.group("w") == "cases":
            continue  # "brings to 40 the number of cases" of a court
        w.assign(int(t.group("i")), kind, None, [], t)


_BODY_GROUPS = (("i", "np"), ("h", "np4"), ("j", "np2"), ("k", "np3"), ("c", "np5"))  # BODIES: count, noun phrase


def _lives_bodies_to_death(w: _Work) -> None:
    """ "claimed N lives", "N bodies were recovered", "stabbed N people to death"."""
    sk, skel, s_text, rejected = w.sk, w.skel, w.text, w.rejected
    for t in P.LIVES.finditer(sk) if "lives" in sk else ():
        if P.hypothetical(sk[max(0, t.start() - 60) : t.start()]):
            rejected.add(int(t.group("i")))
            continue
        w.assign(int(t.group("i")), "killed", None, [], t)
    for t in P.BODIES.finditer(sk) if "bod" in sk or "corpse" in sk or "remains" in sk else ():
        g, i = next((np, int(t.group(n))) for n, np in _BODY_GROUPS if t.group(n))
        subj, words = _subject(s_text, skel, t, g)
        if g == "np2" and w.mentions[i].nonfact == "article" and not re.search(r"\b(?:bodies|corpses)\b", t.group()):
            continue  # "1 body recovered" as a coder writes it, not "a body was found" (read by `_captives_bodies`)
        if w.mentions[i].nonfact == "article":  # "the body of a man with gunshot wounds was found": its noun
            head = P.MARK_NP.match(sk, sk.find(f"⟦{i}⟧"))
            if head:
                _, words = _subject(s_text, skel, head)
                words = words[: next((k + 1 for k, x in enumerate(words) if x in P.PERSON_SINGULAR), 0)]
                w.assign(i, "killed", " ".join(words) or None, words, head)
            continue
        w.assign(i, "killed", subj, [], t, g)

    for t in P.BODIES_STILL.finditer(sk) if "still" in sk or "yet" in sk else ():
        i, j = int(t.group("i")), int(t.group("j"))
        whole = w.mentions[i].value + w.mentions[j].value
        total = any(k == "killed" and w.mentions[x].value >= whole for x, (k, _, _) in w.assigned.items() if x != j)
        w.assign(i, "killed", None, [], t, part=total)
    if any(k == "killed" for k, _, _ in w.assigned.values()) and "more" in sk:
        for t in P.MORE_BODIES.finditer(sk):  # "recovered two bodies and located eight more"
            w.assign(int(t.group("i")), "killed", None, [], t)

    for t in P.TO_DEATH.finditer(sk) if "dea" in sk else ():
        if P.hypothetical(sk[max(0, t.start() - 60) : t.start()]):
            rejected.add(int(t.group("i")))
            continue
        subj, words = _subject(s_text, skel, t)
        w.assign(int(t.group("i")), "killed", subj, words, t)


def _survivors_found(w: _Work) -> None:
    """ "only three survivors have been found", "19 survivors were pulled out": people rescued."""
    for t in P.SURVIVORS_FOUND.finditer(w.sk) if "survivor" in w.sk else ():
        subj, words = _subject(w.text, w.skel, t)
        w.assign(int(t.group("i")), "rescued", subj, words, t)


def _custody_hostages_population(w: _Work) -> None:
    """ "took N into custody", "held N passengers hostage", "the population is N"."""
    sk, skel, s_text, rejected = w.sk, w.skel, w.text, w.rejected
    for t in P.CUSTODY.finditer(sk) if "custody" in sk else ():
        subj, words = _subject(s_text, skel, t)
        w.assign(int(t.group("i")), "arrested", subj, words, t)
    for t in P.HOSTAGE.finditer(sk):
        if P.hypothetical(sk[max(0, t.start() - 60) : t.start()]):
            rejected.add(int(t.group("i")))
            continue
        subj, words = _subject(s_text, skel, t)
        w.assign(int(t.group("i")), "kidnapped", subj, words, t)
    for t in P.POPULATION_IS.finditer(sk):
        if P.FORECAST_MID.search(t.group("mid")) or re.search(
            r"\b(?:growth|density|decline|increase)\b", t.group("mid")
        ):
            continue
        subj, words = _population_words(*_subject(s_text, skel, t))
        if words and words[-1] not in P.PERSONISH and words[-1] not in ("inhabitants", "residents", "souls"):
            continue
        w.assign(int(t.group("i")), "population", subj, words, t)


_MOURNERS_BEFORE = re.compile(
    r"\b(?:we|they|villagers|residents|relatives|families|mourners|volunteers|the\s+community)\s+(?:have\s+|had\s+|has\s+)?"
    r"(?:already\s+|so\s+far\s+)?$"
)
_BURIED_ALIVE = re.compile(r"\b(?:alive|rubble|debris|landslides?|mudslides?|mud|snow|avalanche|sand)\b")
_SPEAKER_AFTER = re.compile(r"\s*(?:,\s*)?(?:said|says|told|added|stated|confirmed|reported|explained|noted)\b")
_CASE_ADJECTIVE = re.compile(r"\b(?:suspected|confirmed|probable)\s+$")  # "suspected cases climbed to 5,400"
_HELD_NOUN = re.compile(r"\b(?:hostages|captives|abductees)\b")
_CAPTORS = re.compile(
    r"\b(?:kidnap\w*|abduct\w*|captors?|hostages?|bandits|militants|gunmen|insurgents|hijack\w*|pirates|rebels|"
    r"armed\s+men|ransom|captive|captivity)\b"
)


# the group of each alternative of P.ACTIVE_PAT ("v0", "v1", …) and of P.PASSIVE's predicates ("p0", …), with its kind
_ACTIVE_GROUPS = tuple((f"v{n}", kind) for n, (_, kind) in enumerate(P.ACTIVE))
_PREDICATE_GROUPS = tuple((f"p{n}", kind) for n, (_, kind) in enumerate(P.PREDICATES))


def _matched_kind(t: re.Match, groups: tuple[tuple[str, str], ...]) -> str:
    """The kind of the first alternative group that took part in the match."""
    return next(kind for group, kind in groups if t.group(group) is not None)


_DEATH_STATED = re.compile(
    r"\b(?:dead|killed|killing|kills|died|dies|death|deaths|fatal|fatally|lifeless|killing|succumbed|succumbs)\b"
)


def _held_captives(sk: str, t: re.Match, words: list[str]) -> bool:
    """ "hijackers are holding 140 passengers": people held where captors are in view; a bare count
    ("are still holding 12") only with hostages named in the sentence."""
    if not _CAPTORS.search(sk):
        return False
    if words:
        return P.person_noun(words[-1])
    bare = re.match(r"\s*(?:[,.;]|$|\s+(?:in|at|on|inside|aboard)\b)", sk[t.end() :])
    return bool(bare and _HELD_NOUN.search(sk))


def _active_verbs(w: _Work) -> None:
    """Active verbs before the number: "killing N", "the blast wounded N", "the arrest of N"."""
    sk, skel, s_text, rejected = w.sk, w.skel, w.text, w.rejected
    # 3. active verbs before the number
    for t in exact_matches(P.ACTIVE_SCAN, P.ACTIVE_PAT, sk):
        i = int(t.group("i"))
        verb = _SPACES.sub(" ", t.group("verb"))
        kind = _matched_kind(t, _ACTIVE_GROUPS)
        before = sk[max(0, t.start() - 120) : t.start()]
        if kind != "population" and P.hypothetical(before):
            rejected.add(i)
            continue
        if kind in ("killed", "injured") and re.search(
            r"\b(?:killed|wounded|injured|hurt)\s+(?:and|or|and/or)\s+$", before
        ):
            rejected.add(i)  # "killed and wounded 12": not a toll of either
            continue
        if verb in ("affect", "affects", "infect", "infects", "impact", "impacts"):
            rejected.add(i)  # "the law affects 2 million renters": a generic present, no report
            continue
        subj, words = _subject(s_text, skel, t)
        if (
            kind == "missing"
            and verb.startswith("trap")
            and (P.FLOOD_WORDS.search(sk) or P.SNOWBOUND.search(sk) and "avalanche" not in sk)
            and not P.TRAPPED_BELOW.search(sk)
        ):
            kind = "affected"  # "flooding has trapped 5,000 residents in their homes": stranded, not missing
        if kind == "buried":
            # "villagers buried 28 victims"; "we have buried 27 of our people" (mourners, not a landslide)
            if words and (
                words[-1] in ("victims", "bodies", "dead")
                or P.person_noun(words[-1])
                and _MOURNERS_BEFORE.search(before)
                and not _BURIED_ALIVE.search(sk)
            ):
                w.assign(i, "killed", subj, words, t)
            continue
        if kind == "found":
            if words and words[-1] == "survivors":
                w.assign(i, "rescued", subj, words, t)
            continue
        if kind == "sought":
            if not P.SEARCH_SCENE.search(sk) or not words or words[-1] in P.WANTED:
                continue
            kind = "missing"
        if kind == "lost":
            if not words or words[-1] not in _LOST_IN_FIGHTING or re.match(r"\s+to\b", sk[t.end() :]):
                continue  # "lost 20 members to defections", "lost 12 players": no deaths
            kind = "killed"
        if kind == "holding":
            if not _held_captives(sk, t, words):
                continue
            kind = "kidnapped"
        if kind == "captured":
            if not P.SECURITY_FORCES.search(before):
                continue
            kind = "arrested"
        if kind == "shot":
            if _DEATH_STATED.search(sk):
                continue  # "shot four people, killing two": the shooting count is no toll
            kind = "injured"
        if kind == "freed":
            # "freed 22 hostages": a rescue; "released 30 prisoners" is not; "released 2 kidnapped
            # soldiers" reports a release, not an abduction
            if words and words[-1] in ("hostages", "captives", "abductees", "victims", "schoolgirls", "schoolchildren"):
                w.assign(i, "rescued", subj, words, t)
            elif words and not _is_non_person(words) and _captives(w, words):
                w.assign(i, "rescued", subj, words, t)  # "the release of 14 students who were kidnapped"
            elif re.match(r"\s+(?:kidnapped|abducted|captured|seized)\s+[a-z]", sk[t.end() :]) and not words:
                w.assign(i, "rescued", subj, words, t)  # "the release of 12 abducted farmers": a rescue
            elif re.match(r"\s+(?:kidnapped|abducted|detained|arrested|captured|seized)\b", sk[t.end() :]):
                rejected.add(i)
            continue
        if kind == "host":
            _hosted(w, t, verb, before, subj, words)
            continue
        if not words and kind not in ("population", "host"):
            # "rescued 12 kidnapped victims": a participle before the counted noun
            pm = re.match(r"\s+((?:[a-z]+ed)\s+(?:[a-z\-]+\s+){0,1}?(?:[a-z\-]+))\b", sk[t.end() :])
            if pm and (
                pm.group(1).split()[-1] in P.PERSONISH
                or pm.group(1).split()[-1].endswith(("ers", "ians", "ists", "men"))
            ):
                ps = skel.to_orig(t.end() + pm.start(1))
                subj = s_text[ps : ps + len(pm.group(1))]
                words = pm.group(1).split()
        if words and words[-1] == "alive":  # "pulled 17 people alive from the vessel"
            words = words[:-1]
        if kind != "killed" and P.VERBS_NEEDING_PERSON.match(verb) and not (words and _counted_people(words[-1], kind)):
            continue
        if (
            kind == "population"
            and words
            and words[-1] in ("refugees", "idps", "evacuees")
            or kind == "population"
            and "displaced" in words
        ):
            kind = "evacuated" if words[-1] == "evacuees" else "displaced"  # "home to 1 million refugees"
        if kind == "population" and verb.startswith("population"):
            subj, words = _population_words(subj, words)
        if (
            kind == "population"
            and words
            and words[-1] not in P.PERSONISH
            and words[-1]
            not in ("inhabitants", "residents", "souls", "citizens", "individuals", "households", "families")
            and not P.nationals(words[-1])
        ):
            continue
        if verb.endswith("of") and re.search(r"\b(?:the\s+)?(?:bodies|remains)\s*$", before):
            continue
        if verb.endswith("of") and re.search(
            r"\b(?:in\s+connection\s+with|over|for|accused\s+of|charged\s+with|suspected\s+of|"
            r"convicted\s+of|investigat\w+\s+into|probe\s+into|trial\s+for)\s+(?:the\s+)?$",
            before,
        ):
            continue  # "arrested in connection with the killing of a trader": the arrest is the report
        w.assign(i, kind, subj, words, t)


def _hosted(w: _Work, t: re.Match, verb: str, before: str, subj: str | None, words: list[str]) -> None:
    """ "the camp hosts 4,500 displaced people": displaced; "the camp, which houses 90,000 people": the
    settlement's population."""
    if not words:
        return
    if words[-1] in ("refugees", "idps", "persons", "people") and re.search(
        r"\b(?:displaced|refugees|idps)\b", " ".join(words)
    ):
        w.assign(int(t.group("i")), "displaced", subj, words, t)
    elif (
        verb.startswith("hous")
        and words[-1] in ("people", "residents", "inhabitants")
        and P.SETTLEMENT_HOUSES.search(before)
    ):
        w.assign(int(t.group("i")), "population", subj, words, t)


def _population_words(subj: str | None, words: list[str]) -> tuple[str | None, list[str]]:
    """ "a population of 11.5 million depends on imports": the word after the count is a verb, no noun."""
    if words and (words[0] in P.VERB_AFTER_COUNT or words[0].endswith("ly")):
        return None, []
    return subj, words


_AFFECTED_UNITS = frozenset("families households".split())


def _counted_people(noun: str, kind: str) -> bool:
    """The object counts people: a person noun, or families/households for the fates of a
    disaster ("marooned 2,400 families", "evacuated 640 households")."""
    return P.person_noun(noun) or noun in _AFFECTED_UNITS and kind in ("affected", "displaced", "evacuated", "rescued")


def _disaster_affected(w: _Work) -> None:
    """People (or families) affected by a flood-like disaster: "41.5 lakh people hit by floods", "1.71 crore people in
    19 districts were still affected", "floods have hit nearly 5 lakh people", "1,200 families were marooned"."""
    if not P.FLOOD_WORDS.search(w.sk) and not _AFFECTED_WORDS.search(w.sk):
        return
    for t in list(P.DISASTER_AFFECTED.finditer(w.sk)) + list(P.DISASTER_HIT.finditer(w.sk)):
        i = int(t.group("i"))
        words = t.group("np").split()
        if i in w.assigned or i in w.rejected or not words:
            continue
        if not (P.person_noun(words[-1]) or words[-1] in _AFFECTED_UNITS):
            continue
        if P.hypothetical(w.sk[max(0, t.start() - 120) : t.start()]):
            w.rejected.add(i)
            continue
        subj, np_words = _subject(w.text, w.skel, t)
        w.assign(i, "affected", subj, np_words or words, t)


_FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 2 / 3, "quarter": 0.25, "quarters": 0.75}


def _fraction_parts(w: _Work) -> None:
    """A stated share of a toll is a part of it: "half of the 40 dead were women" (20), "killed 21 people, a third of
    them children" (7). Only where the share comes out a whole number."""
    for t in P.FRACTION_PART.finditer(w.sk) if ("half" in w.sk or "third" in w.sk or "quarter" in w.sk) else ():
        if t.group("i") is not None:
            j = int(t.group("i"))
        else:
            noun = re.match(r"\s+(?:were\s+|are\s+)?([a-z]+)\b", w.sk[t.end() :])
            if not noun or not _group_noun(noun.group(1)):
                continue  # "half of them under five": no group named
            before = [k for k in w.assigned if w.sk.find(f"⟦{k}⟧") < t.start()]
            j = max(before, key=lambda k: w.sk.find(f"⟦{k}⟧")) if before else -1
        if j not in w.assigned or j in w.parts:
            continue
        share = w.mentions[j].value * _FRACTIONS[t.group("f").split()[-1].replace("-", " ").split()[-1]]
        if share != int(share) or share < 1 or w.mentions[j].qualifier not in ("exact", "at_least", "more_than"):
            continue
        start, end = w.skel.to_orig(t.start("f")), w.skel.to_orig(t.end("f"))
        w.facts.append(
            CasualtyFact(
                w.assigned[j][0], share, share, share, "exact", None, w.base + start, w.base + end, w.sent, "part"
            )
        )


def _forecasts(w: _Work) -> None:
    """A count the sentence prepares for or places in the coming weeks is a forecast, not a report: "preparing for as
    many as 10,000 cases of cholera in the coming weeks"."""
    for i in list(w.assigned):
        pos = w.sk.find(f"⟦{i}⟧")
        if P.PREPARING_FOR.search(w.sk, max(0, pos - 40), pos) or P.IN_THE_COMING.match(w.sk, pos + len(f"⟦{i}⟧")):
            del w.assigned[i]
            w.rejected.add(i)


def _suspected_more(w: _Work) -> None:
    """ "18 measles cases were confirmed, with 40 more suspected": the suspected cases are cases too."""
    if "suspected" not in w.sk and "probable" not in w.sk and "investigat" not in w.sk and "awaiting" not in w.sk:
        return
    if not P.DISEASE_SENTENCE.search(w.sk) and "cases" not in w.sk:
        return
    for t in P.SUSPECTED_MORE.finditer(w.sk):
        w.assign(int(t.group("i")), "affected", None, [], t)


_REPORTED_FATES = frozenset(CASUALTY_KINDS) - {"population"}  # the fates a report counts


def _apposed_share(w: _Work) -> None:
    """ "nearly half of Haiti's population – around 5.2 million people – needs humanitarian assistance": the
    count set off after a share of a population takes the predicate after it."""
    if "population" not in w.sk and not P.FRACTION_OF.search(w.sk):
        return
    for t in P.APPOSED_SHARE.finditer(w.sk):
        kind = _matched_kind(t, _PREDICATE_GROUPS)
        if kind in _REPORTED_FATES and not _modal(t.group("aux")):
            words = t.group("np").split()
            w.assign(int(t.group("i")), kind, " ".join(words) or None, words, t)


def _consisting_of(w: _Work) -> None:
    """ "the suspects, consisting of 293 males and 14 females, were arrested": each listed group is a part."""
    if " of " not in w.sk or not _CONSISTING_OF.search(w.sk):
        return
    for t in P.CONSISTING_OF.finditer(w.sk):
        kind = _matched_kind(t, _PREDICATE_GROUPS)
        if kind not in _REPORTED_FATES:
            continue
        for g in P.MARK_NP.finditer(w.sk, t.start("list"), t.end("list")):
            subj, words = _subject(w.text, w.skel, g)
            w.assign(int(g.group("i")), kind, subj, words, t, part=True)


def _shot_passive(w: _Work) -> None:
    """ "Four people were stabbed at a house party": wounded, unless the sentence states a death."""
    if ("shot" not in w.sk and "stabbed" not in w.sk) or _DEATH_STATED.search(w.sk):
        return
    for t in P.SHOT_PASSIVE.finditer(w.sk):
        subj, words = _subject(w.text, w.skel, t)
        if words and P.person_noun(words[-1]) and not P.hypothetical(w.sk[max(0, t.start() - 60) : t.start()]):
            w.assign(int(t.group("i")), "injured", subj, words, t)


def _conjoined_death(w: _Work) -> None:
    """ "Two others developed hypothermia and died": killed, the second verb's fate."""
    for t in P.CONJOINED_DEATH.finditer(w.sk) if " and " in w.sk else ():
        subj, words = _subject(w.text, w.skel, t)
        if not P.hypothetical(w.sk[max(0, t.start() - 60) : t.start()]) and not _is_non_person(words):
            w.assign(int(t.group("i")), "killed", subj, words, t)


def _captives_bodies(w: _Work) -> None:
    """ "Gunmen abducted four aid workers; their bodies were found on Monday": as many killed as were taken."""
    found = P.THEIR_BODIES.search(w.sk) if "their" in w.sk or " body" in w.sk else None
    if found is None:
        return
    taken = [i for i, (kind, _, _) in w.assigned.items() if kind == "kidnapped" and w.sk.find(f"⟦{i}⟧") < found.start()]
    if len(taken) != 1:
        return
    i = taken[0]
    m, subject = w.mentions[i], w.assigned[i][1]
    if (found.group("whose") == "their") != (m.value > 1):
        return  # "abducted a priest; his body was found": one; "their bodies" of several
    start, end = w.skel.to_orig(found.start()), w.skel.to_orig(found.end())
    w.facts.append(
        CasualtyFact("killed", m.value, m.low, m.high, m.qualifier, subject, w.base + start, w.base + end, w.sent)
    )


def _clause_around(sk: str, start: int, end: int) -> str:
    """The text of the clause (between full stops or semicolons) holding sk[start:end]."""
    left = max(sk.rfind(".", 0, start), sk.rfind(";", 0, start)) + 1
    stops = [p for p in (sk.find(".", end), sk.find(";", end)) if p >= 0]
    return sk[left : min(stops) if stops else len(sk)]


def _generic_rates(w: _Work) -> None:
    """A generic present-tense rate is no report: "Tuberculosis kills 1.3 million people every year",
    "the strike is affecting 60,000 passengers a day"."""
    for i in list(w.assigned):
        marker = f"⟦{i}⟧"
        pos = w.sk.find(marker)
        if w.assigned[i][0] not in ("killed", "affected", "injured"):
            continue
        end = pos + len(marker)
        if (
            P.GENERIC_RATE_VERB.search(w.sk, max(0, pos - 40), pos)
            and P.RATE_AFTER.match(w.sk, end)
            or P.PRESENT_FATE_AFTER.match(w.sk, end)
            and P.RATE_IN_CLAUSE.search(_clause_around(w.sk, pos, end))
        ):
            del w.assigned[i]  # (not claimed: "60,000 passengers a day" stays a statistic)


_LOST_IN_FIGHTING = frozenset("soldiers troops men fighters personnel servicemen officers policemen civilians".split())
_OWNER_BEFORE = re.compile(r"⟦(\d+)⟧(?:\s+[a-z\-]+){1,2}\s+(?:from|of)\s+$")


_FUTURE_BEFORE = re.compile(r"\b(?:will|could|may|might|would|to)\s*$")


def _modal(aux: str) -> bool:
    """An auxiliary that makes the count a possibility, not a report ("could be killed", "are to
    be evacuated"); "may have", "are believed to" and "had to" still report."""
    return bool(
        P.MODAL_REJECT.search(aux)
        or (_MAY.search(aux) and not _MAY_HAVE.search(aux))
        or (
            _TO.search(aux)
            and not re.search(
                r"\b(?:said|believed|reported|thought|known|feared|presumed|estimated|confirmed|had|have|has)\s+to\b",
                aux,
            )
        )
    )


def _noun_after_adjective(
    w: _Work, t: re.Match, pred: str, after: str, np_text: str
) -> tuple[str, list[str]] | str | None:
    """An adjective predicate before a noun ("35 injured people"): the noun is the subject. Gives
    (subject, noun words), "non-person" for a thing ("200 damaged homes"), or None."""
    tail = _NP_WORDS_AFTER.match(after)
    if not tail or pred not in P.ADJECTIVE_PREDICATES:
        return None
    tail_words = tail.group(1).split()
    if tail_words[-1] in P.NON_PERSON:
        return "non-person"
    ts = w.skel.to_orig(t.end() + tail.start(1))
    subj = w.text[ts : ts + len(tail.group(1))]
    if np_text.strip():  # "internally displaced persons": the whole phrase
        subj = w.text[w.skel.to_orig(t.start("np")) : ts + len(tail.group(1))].strip()
    return subj, tail_words


def _passive_kind(sk: str, t: re.Match, kind: str, pred: str, aux: str, words: list[str]) -> str | None:
    """The kind a passive predicate gives its count, read with the rest of the sentence (None: no fact)."""
    if kind == "injured" and pred.startswith(("admitted", "under", "receiving")) and P.DISEASE_SENTENCE.search(sk):
        return None  # "120 were admitted to hospital with cholera": cases, not injuries
    if kind == "injured_aux":  # "115 people were still in hospital" (a bare "N in hospital" is not)
        if not re.search(r"\b(?:were|are|was|is|remain|remained|remains|been)\b", aux):
            return None
        kind = "injured"
    if kind == "missing" and pred.startswith("trapped") and P.FLOOD_WORDS.search(sk) and not P.TRAPPED_BELOW.search(sk):
        return "affected"  # "thousands trapped" by the floods
    if kind == "arrival":  # "8,000 refugees arrived": a refugee arrival is a displacement
        if words and words[-1] in P.REFUGEE_NOUNS:
            return "displaced"
        # "70,000 people arrived in Renk from Sudan, the UNHCR said": people in flight
        return "displaced" if words and words[-1] in P.PERSONISH and P.REFUGE_CONTEXT.search(sk) else None
    if kind == "affected" and pred.startswith("stuck") and not (words and P.person_noun(words[-1])):
        return None  # "450 containers were stuck at the border": things, not people
    if kind == "lives_lost":  # "12 lives were lost"
        return "killed" if words and words[-1] == "lives" else None
    if kind in ("rescued", "evacuated") and _INJURIES_AFTER.match(sk, t.end()):
        return "injured"  # "three of the four people who were rescued suffered injuries"
    if kind in ("killed", "injured") and P.MIXED_FATES_AFTER.match(sk, t.end()):
        return "ambiguous"  # "1,630 people were killed, wounded or kidnapped": no toll of any
    if kind == "injured" and _DIED_AFTER.match(sk, t.end()):
        return "killed"  # "one of those wounded died in hospital"
    return kind


def _captives(w: _Work, words: list[str]) -> bool:
    """Whether released persons are freed captives: captors or an abduction in the sentence or
    the fact before, and no prisoners ("released 30 prisoners" is no rescue)."""
    if words and words[-1] in P.NOT_CAPTIVES:
        return False
    return bool(P.CAPTIVE_CONTEXT.search(w.sk)) or w.prior_kind in ("kidnapped", "rescued")


# after a participle that modifies the count before it: "(the 401 people listed as missing) by the state are"
_REDUCED_RELATIVE = re.compile(r"[^,;.⟦]{0,60}?\b(?:are|were|is|was|remain|remained|have|had|included|include)\b")


_ARTICLE_FATES = frozenset("died dies killed dead injured wounded hurt drowned perished succumbed".split())
# "a third man escaped with serious injuries", "a woman suffered burns", "a civilian lost his life"
_ARTICLE_FATE_STARTS = (
    "sustain",
    "suffer",
    "escaped with",
    "escapes with",
    "survived with",
    "lost their",
    "lost his",
    "lost her",
)


def _article_fate(pred: str) -> bool:
    """A predicate that states a fate of one person counted by an article without an auxiliary ("a man died")."""
    return pred in _ARTICLE_FATES or pred.startswith(_ARTICLE_FATE_STARTS)


def _passive(w: _Work) -> None:
    """Passive and nominal predicates after the number: "N people were killed", "N dead",
    "N remain missing"."""
    sk, skel, s_text = w.sk, w.skel, w.text
    mentions, assigned, rejected, passive_assigned = w.mentions, w.assigned, w.rejected, w.passive_assigned
    # 4. passive / nominal predicates after the number
    for t in exact_matches(P.PASSIVE_SCAN, P.PASSIVE, sk):
        i = int(t.group("i"))
        if i in assigned:
            continue
        pred = _SPACES.sub(" ", t.group("pred"))
        kind = _matched_kind(t, _PREDICATE_GROUPS)
        owner = _OWNER_BEFORE.search(sk, max(0, t.start() - 60), t.start())
        if owner:  # "144 people from 43 families were rescued": the predicate is the 144's
            head = P.MARK_NP.match(sk, owner.start())
            if head and kind not in ("injured_aux", "lives_lost", "arrival", "ambiguous"):
                subj, words = _subject(s_text, skel, head)
                w.assign(int(owner.group(1)), kind, subj, words, head)
            continue
        aux = t.group("aux") or ""
        np_text = t.group("np") or ""
        subj, words = _subject(s_text, skel, t)
        after = sk[t.end() : t.end() + 30]
        read = _passive_kind(sk, t, kind, pred, aux, words)
        if read == "killed" and kind == "injured" and mentions[i].nonfact == "ratio":
            read = kind  # "two of the 14 injured later died": the 14 were injured, the two died
        if kind == "freed":  # "Fourteen persons were released in total" (after an abduction)
            whom = re.match(r"\s+of\s+(?:whom|them)\b", np_text)  # ", three of whom were later freed": left alone
            read = "rescued" if not whom and not _is_non_person(words) and _captives(w, words) else None
        if read is None or pred == "found":
            continue
        kind = read
        if kind == "killed" and words and words[-1] == "lives":
            subj = None  # "12 lives were lost"
        if (
            kind == "missing"
            and not aux.strip()
            and re.match(
                r"[^,;.]{0,50}?\b(?:were|was|have\s+been|had\s+been|are)\s+(?:all\s+|later\s+|eventually\s+|finally\s+|safely\s+)*"
                r"(?:rescued|freed|brought|pulled|found|released|evacuated|reached|saved)\b",
                after + sk[t.end() + 30 : t.end() + 60],
            )
        ):
            rejected.add(i)  # "the 33 miners trapped for 69 days were all brought out": no longer missing
            continue
        if P.FRACTION_OF.search(sk[max(0, t.start() - 60) : t.start()]):
            if words and (
                words[-1] in ("inhabitants", "residents", "population")
                or words[-1] == "people"
                and re.search(r"['’]s\s*$", sk[: t.start()])  # "half of Yemen's 33 million people need aid"
            ):
                w.assign(i, "population", subj, words, t)
                continue
            if aux.strip() or kind == "population" or np_text.strip() and not _REDUCED_RELATIVE.match(after):
                rejected.add(i)  # "most of the 300 passengers were killed": 300 is no toll
                continue
            # "most of the 401 people listed as missing are presumed dead": the predicate is the 401's
            # "half of the 40 dead were women": the count is the toll itself (its part: `_fraction_parts`)
        if t.group("rel") and re.search(r"⟦", t.group("rel")):
            continue
        if "⟦x⟧" in np_text and not aux.strip():
            continue  # "five of the 11 staff abducted ... were released": the predicate is the 11's
        if kind == "missing" and re.fullmatch(r"\s+(?:may|might|could)\s+(?:still\s+)?(?:be|remain)(?:\s+still)?", aux):
            aux = " are"  # "30 miners may still be trapped": a reported estimate of the missing
        if _modal(aux):
            rejected.add(i)
            continue
        if (
            not aux.strip()
            and not t.group("rel")
            and np_text.strip()
            and P.ACTIVE_OBJECT.match(after)
            and pred in P.TRANSITIVE_PREDICATES
        ):
            continue  # "5 gunmen killed 12": the number counts the attackers
        if (
            not aux.strip()
            and not np_text.strip()
            and re.match(r"\s+(?:a|an|the|his|her|their|him|them)\b", after)
            and pred.split()[0] not in ("dead", "died", "missing", "homeless", "fled")  # "fled across the border"
        ):
            continue
        if P.AMBIGUOUS_AFTER.match(after) and kind in ("killed", "injured") and not re.match(r"\s+and\s+⟦", after):
            if re.match(r"\s+(?:or|and/or)\b", after) or re.match(
                r"\s+and\s+(?:injured|wounded|hurt)\s*(?:[,.;]|$)", after
            ):
                rejected.add(i)
                continue
        if pred in ("die", "dies") and not aux.strip() and _FUTURE_BEFORE.search(sk, max(0, t.start() - 20), t.start()):
            rejected.add(i)
            continue
        if kind == "affected" and words and (words[-1] in P.NON_PERSON or words[-1] in P.RESPONDERS):
            continue
        if kind == "displaced" and (words and words[-1] in P.WANTED or re.match(r"\s+(?:the\s+)?scene\b", after)):
            continue  # "five gunmen fled the scene": escape, no displacement
        if (
            (pred == "seized" or pred.startswith("taken"))
            and kind == "kidnapped"
            and not (
                not words
                or words[-1] in P.PERSONISH
                or words[-1] in P.PERSON_SINGULAR
                or words[-1].endswith(("ers", "ians", "ists", "men", "girls", "boys"))
            )
        ):
            continue
        if mentions[i].nonfact == "article" and not aux.strip() and not _article_fate(pred):
            continue
        if not aux.strip() and not t.group("rel") and not t.group("paren") and kind != "ambiguous":
            noun_after = _noun_after_adjective(w, t, pred, after, np_text)
            if noun_after == "non-person":
                continue
            if isinstance(noun_after, tuple):
                subj, tail_words = noun_after
                words = words + [pred] + tail_words
        w.assign(i, kind, subj, words, t, part=pred.startswith("among"))
        if i in assigned:
            passive_assigned.add(i)


def _apposed_victim(w: _Work) -> None:
    """ "the victim, a 32-year-old trader, died on the spot": one person killed."""
    for t in P.APPOSED_VICTIM.finditer(w.sk) if "victim" in w.sk or "deceased" in w.sk else ():
        if w.mentions[int(t.group("i"))].nonfact == "article":  # "the victim, 23, was killed": an age, no count
            subj, words = _subject(w.text, w.skel, t)
            w.assign(int(t.group("i")), "killed", subj, words, t)


def _long_subjects(w: _Work) -> None:
    """A passive predicate after a long subject: "20 people attending a wedding in the village were killed";
    inverted: "Killed in the attack were 12 soldiers"."""
    for t in P.LONG_SUBJECT.finditer(w.sk):
        i = int(t.group("i"))
        words = t.group("np").split()
        head = next((k for k, x in enumerate(words[:3]) if P.person_noun(x)), None)
        if i in w.assigned or head is None or any(x in P.NON_PERSON for x in words[:head]):
            continue
        if _modal(w.sk[t.end("np") : t.start("pred")]):
            continue
        subj, np_words = _subject(w.text, w.skel, t)
        w.assign(i, P.LONG_SUBJECT_KIND[t.group("pred")], subj, np_words[: head + 1], t)
        if i in w.assigned:  # "three children and the driver of the bus were killed": a list may lead to it
            w.passive_assigned.add(i)
    for t in P.INVERTED.finditer(w.sk):
        subj, words = _subject(w.text, w.skel, t)
        if words and P.person_noun(words[-1]):
            w.assign(int(t.group("i")), _word_kind(t.group("pred")), subj, words, t)


def _aside_subjects(w: _Work) -> None:
    """A count, a long aside between commas, then its predicate: "Seventeen people, most of whom had
    been waiting for a bus, were killed"; "five more people, undergoing treatment in Gaya, died"."""
    for t in P.ASIDE_SUBJECT.finditer(w.sk) if w.sk.count(",") >= 2 else ():
        i, words, pred = int(t.group("i")), t.group("np").split(), t.group("pred")
        if i in w.assigned or not words or not P.person_noun(words[-1]):
            continue
        if not t.group("aux") and pred not in ("died", "perished", "drowned", "succumbed"):
            continue  # "12 people, the army said, killed ...": a participle needs its auxiliary
        if _modal(t.group("aside")[-30:]) or P.FORECAST_MID.search(t.group("aside")):
            continue
        subj, np_words = _subject(w.text, w.skel, t)
        w.assign(i, P.LONG_SUBJECT_KIND.get(pred, "killed"), subj, np_words, t)


def _including_subjects(w: _Work) -> None:
    """ "About 20 people including students and two staff of the university were kidnapped": the
    predicate is the first count's; the counts listed after "including" are parts of it."""
    for t in P.INCLUDING_SUBJECT.finditer(w.sk) if "includ" in w.sk or "incl." in w.sk else ():
        i, words = int(t.group("i")), t.group("np").split()
        pred = t.group("pred")
        if i in w.assigned or not P.person_noun(words[-1]) or _modal(t.group("list")[-30:]):
            continue
        if not t.group("aux") and pred not in ("died", "perished", "drowned"):
            continue  # "20 people including two staff were kidnapped" takes its auxiliary
        kind = P.LONG_SUBJECT_KIND.get(pred, "killed")
        subj, np_words = _subject(w.text, w.skel, t)
        w.assign(i, kind, subj, np_words, t)
        for listed in P.MARKER.findall(t.group("list")) if i in w.assigned else ():
            j = int(listed)
            item = P.MARK_NP.match(w.sk, w.sk.find(f"⟦{j}⟧"))
            subj, np_words = _subject(w.text, w.skel, item) if item else (None, [])
            if item and np_words and not _is_non_person(np_words):
                w.assign(j, kind, subj, np_words, item, part=True)
                if w.assigned.get(j, ("",))[0] == kind:
                    w.parts.add(j)  # "4 others incl. a child were injured": the passive read the child first


def _coordinated_objects(w: _Work) -> None:
    """ "the gunmen abducted the students and two staff": the count after a definite object shares its verb."""
    for t in P.COORDINATED_OBJECT.finditer(w.sk) if " the " in w.sk else ():
        subj, words = _subject(w.text, w.skel, t)
        if words and P.person_noun(words[-1]) and not _modal(w.sk[max(0, t.start() - 20) : t.start()]):
            w.assign(int(t.group("i")), P.LONG_SUBJECT_KIND[t.group("pred")], subj, words, t)


def _object_relatives(w: _Work) -> None:
    """The count is the object of a relative clause: "freed 10 of the 27 students they abducted" (27 kidnapped)."""
    for t in P.OBJECT_RELATIVE.finditer(w.sk):
        subj, words = _subject(w.text, w.skel, t)
        if words and P.person_noun(words[-1]):
            w.assign(int(t.group("i")), P.RELATIVE_KIND[t.group("v")], subj, words, t)


def _groups_and_fields(w: _Work) -> None:
    """ "five of the wounded" and coder fields "Fatalities: 4", "the injured at more than 3,000"."""
    sk, assigned, rejected = w.sk, w.assigned, w.rejected
    # 4b. "Five of the wounded": a part of a group named by its state
    for t in P.OF_THE_GROUP.finditer(sk) if "⟧ of th" in sk else ():
        i = int(t.group("i"))
        if i in assigned or i in rejected:
            continue
        if re.search(r"\b(?:escap\w*|freed|released|rescued)\b", sk[t.end() : t.end() + 60]):
            continue  # "one of the kidnapped staff … managed to escape"
        kind = _word_kind(t.group("w"))
        if re.match(r"(?:\s+[a-z]+){0,2}\s+(?:died|succumbed|dies|perished)\b", sk[t.end() :]):
            kind = "killed"  # "two of the injured later died of their wounds"
        w.assign(i, kind, None, [], t, part=True)
    # coder fields and lists: "Fatalities: 4", "the injured at more than 3,000"
    for t in P.FIELD.finditer(sk) if (":" in sk or " at ⟦" in sk) else ():
        i = int(t.group("i") or t.group("j"))
        if i in assigned or i in rejected:
            continue
        if t.group("w2") and not re.search(
            r"\b(?:put|puts|putting|placed|places|estimated|estimates|gave|gives)\b", sk[: t.start()]
        ):
            continue
        w.assign(i, _word_kind(t.group("w") or t.group("w2")), None, [], t)


def _head_before_verb(words: list[str]) -> list[str]:
    """ "700 refugees approached the agency", "80,000 IDPs live in camps": the noun phrase ends at
    its head noun when a verb follows it (the phrase pattern runs on over the verb). Only people in
    flight: "40 cases filed" are court cases, which the disease words of "cases" keep out."""
    for k, word in enumerate(words[:-1]):
        if word in P.REFUGEE_NOUNS and (words[k + 1].endswith("ed") or words[k + 1] in P.PLAIN_VERBS):
            return words[: k + 1]
    return words


_INJURIES_AFTER = re.compile(r"\s+(?:suffered|sustained)\s+(?:[a-z\-]+\s+){0,3}?(?:injuries|wounds|burns)\b")
_DIED_AFTER = re.compile(r"(?:\s+[a-z]+){0,2}?\s+(?:died|succumbed|perished)\b")
_REPORTED = frozenset("reported recorded registered confirmed logged counted reached".split())


_COMPARED_TO = re.compile(r"\b(?:compared|in\s+comparison|relative|similar)\s+to\s+$")  # "compared to 6,561 cases"


def _disease_cases_of(head: list[str], phrase: str) -> list[str]:
    """ "48 cases of food poisoning" are cases of a disease, "1,250 cases of fraud" no fact:
    the head words when "cases of …" names a disease, none otherwise."""
    return head if P.DISEASE_SENTENCE.search(phrase) or P.DISEASE_CASE_WORDS & set(phrase.split()[2:]) else []


def _sick_people(words: list[str]) -> bool:
    """ "1,000 sick", "1,000 sick people": the sick of a disease the sentence names."""
    return words == ["sick"] or len(words) == 2 and words[0] in ("sick", "ill") and P.person_noun(words[1])


def _nominal_heads_and_residents(w: _Work) -> None:
    """Nouns that carry the kind ("37 deaths", "12,000 refugees") and residents
    ("a town of N inhabitants", "a third of the city's N residents")."""
    sk, skel, s_text = w.sk, w.skel, w.text
    mentions, assigned, rejected, usable = w.mentions, w.assigned, w.rejected, w.usable
    # 5. nominal heads ("37 deaths", "12,000 refugees", "58 injuries") and residents
    for i, m in enumerate(mentions):
        if i in assigned or i in rejected or not usable[i]:
            continue
        marker = f"⟦{i}⟧"
        pos = sk.find(marker)
        t = P.MARK_NP.match(sk, pos)
        if not t:
            continue
        subj, words = _subject(s_text, skel, t)
        case_list = P.CASE_LIST.match(sk, pos)
        if case_list and all(
            x in P.DISEASE_CASE_WORDS or x in ("and", "or") for x in case_list.group("adj").replace(",", " ").split()
        ):
            words = ["cases"]  # "8,997 confirmed, probable and suspected cases"
        pair = P.CASE_PAIR.match(sk, pos)
        if pair and {pair.group("adj"), pair.group("adj2")} <= P.DISEASE_CASE_WORDS:
            words = ["cases"]  # "842 suspected and 117 confirmed cases"
        words = _head_before_verb(words)
        while len(words) > 1 and words[-1] in _REPORTED:
            words = words[:-1]  # "five more deaths reported on Friday"
        if "due" in words[1:] and words[words.index("due", 1) - 1] in P.NOMINAL_HEADS:
            words = words[: words.index("due", 1)]  # "171 deaths due to dengue"
        if "of" in words[1:-1] and words[words.index("of", 1) - 1] == "cases":
            words = _disease_cases_of(words[: words.index("of", 1)], " ".join(words))
        elif words[-1:] in (["cases"], ["infections"]):
            of = P.CASES_OF.match(sk, t.end())
            words = _disease_cases_of(words, "cases of " + of.group("what")) if of else words
        if not words:
            continue
        kind = P.NOMINAL_HEADS.get(words[-1])
        if words[-2:] == ["asylum", "seekers"]:
            kind = "displaced"
        if words[-1] == "arrivals" and P.REFUGE_CONTEXT.search(sk) and not {"tourist", "visitor"} & set(words):
            kind = "displaced"  # "9,000 new arrivals were registered at the camp"
        if _sick_people(words) and P.DISEASE_SENTENCE.search(sk):
            kind = "affected"  # "over 1,000 sick people were treated as cholera spread"
        if kind == "killed" and P.VITAL_STATS.search(sk):
            continue
        if not words or words[-1] in ("cases", "infections") and not all(x in P.DISEASE_CASE_WORDS for x in words):
            continue
        if words[-1] == "lives":
            continue
        if kind:
            before = sk[max(0, t.start() - 120) : t.start()]
            if (
                (P.hypothetical(before) and not _COMPARED_TO.search(before))
                or re.search(r"\b(?:prevent|avoid|avert)\w*\s+$", before)
                or P.CAPACITY_BEFORE.search(before)
            ):
                rejected.add(i)
                continue
            w.assign(
                i, kind, None if kind in ("killed", "injured", "ambiguous", "arrested", "affected") else subj, words, t
            )
    # "a third of the city's 900,000 residents": the whole is the population
    for i, m in enumerate(mentions if " of " in sk else ()):
        if i in assigned or i in rejected or not usable[i]:
            continue
        pos = sk.find(f"⟦{i}⟧")
        if not P.FRACTION_OF.search(sk[max(0, pos - 60) : pos]):
            continue
        t = P.MARK_NP.match(sk, pos)
        subj, words = _subject(s_text, skel, t) if t else (None, [])
        if (
            t
            and words
            and (
                words[-1] in ("inhabitants", "residents", "population")
                or words[-1] == "people"
                and mentions[i].value >= 10000
            )
        ):
            w.assign(i, "population", subj, words, t)
    for t in P.RESIDENTS.finditer(sk):
        i = int(t.group("i") or t.group("j"))
        g = "np" if t.group("i") else "np2"
        if i in assigned:
            continue
        subj, words = _subject(s_text, skel, t, g)
        subj = re.sub(r"\s+(?:live|lived|living|reside|resided)$", "", subj or "") or None
        w.assign(
            i,
            "population",
            subj.replace(" people live", "").replace(" people living", "") if subj else None,
            words,
            t,
            g,
        )


def _flight_and_population(w: _Work) -> None:
    """ "fleeing by the hundreds"; "the country of 125 million", "the territory's 2.4 million
    people", "its 9 million population"."""
    sk, skel, s_text, mentions = w.sk, w.skel, w.text, w.mentions
    for t in P.FLEEING_BY.finditer(sk) if " by " in sk or " in " in sk else ():
        w.assign(int(t.group("i")), "displaced", None, [], t)
    for t in P.POPULATION_CHANGE.finditer(sk) if "popul" in sk or "resid" in sk or "inhab" in sk else ():
        # "the displaced population has swelled to 750,000": a count of the displaced
        displaced = re.search(r"\b(?:displaced|refugee|idp|uprooted)\s+$", sk[max(0, t.start() - 20) : t.start()])
        w.assign(int(t.group("i")), "displaced" if displaced else "population", None, [], t)
    for t in P.MISSING_OTHER.finditer(sk) if "whereabouts" in sk or "contact" in sk or "touch" in sk else ():
        g = "np" if t.group("i") else "np2"
        subj, words = _subject(s_text, skel, t, g)
        if any(x in P.PERSONISH or x.endswith(("ers", "ians", "ists", "men", "ents")) for x in words):
            w.assign(int(t.group("i") or t.group("j")), "missing", subj, words, t, g)
    for t in P.PLACE_OF.finditer(sk) if " of " in sk else ():
        i = int(t.group("i"))
        nxt = t.group("np").strip()
        if (
            mentions[i].value < 1000
            or nxt in P.NON_PERSON
            or nxt in P.UNIT_WORDS
            or (
                nxt.endswith("s")
                and nxt not in P.PERSONISH
                and nxt not in ("inhabitants", "residents", "souls")
                and nxt not in ("has", "was", "is", "its", "this", "as", "thus")
            )
        ):
            continue
        subj = nxt if nxt in P.PERSONISH or nxt in ("inhabitants", "residents", "souls") else None
        w.assign(i, "population", subj, [nxt] if subj else [], t)
    for t in (
        P.POSSESSED_POPULATION.finditer(sk)
        if "⟧ p" in sk or "⟧ i" in sk or "⟧ r" in sk or "⟧ c" in sk or "⟧ s" in sk
        else ()
    ):
        i = int(t.group("i"))
        owner = t.group("owner")
        if owner and owner not in P.PLACE_NOUNS and not s_text[skel.to_orig(t.start("owner"))].isupper():
            continue  # "the company's 4,000 people": staff, no population
        noun = t.group("np").split()[-1]
        if noun == "people" and mentions[i].value < (100 if owner in P.PLACE_NOUNS else 10000):
            continue  # "the town's 9,000 people"; "Smith's 40 people": staff
        w.assign(i, "population", noun if noun != "population" else None, [noun], t)
    for t in P.PLACE_WITH.finditer(sk) if ", with " in sk else ():
        # "Kenya, with 54 million people, is …": a capitalised name, a country or a city
        i = int(t.group("i"))
        if mentions[i].value >= 10000 and s_text[skel.to_orig(t.start("place"))].isupper():
            noun = t.group("np").split()[-1]
            w.assign(i, "population", noun, [noun], t)


def _places_and_shelter(w: _Work) -> None:
    """ "left tens of thousands without shelter"; place items of one count ("23 people dead in
    Baida and 11 in the town of Rada": both parts of the toll the article gives)."""
    sk, skel, s_text, assigned = w.sk, w.skel, w.text, w.assigned
    for t in P.LEFT_HOMELESS.finditer(sk) if "lea" in sk or "left" in sk else ():
        subj, words = _subject(s_text, skel, t)
        w.assign(int(t.group("i")), "displaced", subj, words, t)
    for t in P.SENT_TO_HOSPITAL.finditer(sk) if "hospital" in sk else ():
        if not P.hypothetical(sk[max(0, t.start() - 60) : t.start()]):
            subj, words = _subject(s_text, skel, t)
            w.assign(int(t.group("i")), "injured", subj, words, t)
    for t in P.ABOARD_MISSING.finditer(sk) if "missing" in sk else ():
        subj, words = _subject(s_text, skel, t)
        w.assign(int(t.group("i")), "missing", subj, words, t)
    for t in P.PLACE_ITEM.finditer(sk) if assigned else ():
        i = int(t.group("i"))
        prev = [j for j in assigned if j < i]
        if i in assigned or i in w.rejected or not prev:
            continue
        after = s_text[skel.to_orig(t.end()) : skel.to_orig(t.end()) + 60]
        if not re.match(
            r"\s+(?:more\s+|others?\s+)?(?:in|at|from)\s+(?:the\s+)?(?:[a-z\-]+\s+){0,3}?(?:of\s+)?[A-Z]", after
        ):
            continue
        j = max(prev)
        if any(k not in assigned and k not in w.rejected and w.usable[k] for k in range(j + 1, i)):
            continue  # "killed 31: 17 in Quang Ninh, nine in Hai Phong": an unplaced item between, a breakdown
        if re.search(r"⟦|\b(?:and|while|but)\b", sk[sk.find(f"⟦{j}⟧") + 3 : t.start()].split(",")[0]) and not re.search(
            r"\b(?:in|at|from)\b", sk[sk.find(f"⟦{j}⟧") : t.start()]
        ):
            continue
        w.assign(i, assigned[j][0], None, [], t, part=True)
        if i in assigned and _PLACED.search(s_text, skel.to_orig(sk.find(f"⟦{j}⟧")), skel.to_orig(t.start())):
            w.parts.add(j)  # the first place item is a part too ("died in the clashes, 12 in Misrata": 15 is the whole)


_PLACED = re.compile(r"\b(?:in|at|from)\s+(?:the\s+)?(?:[a-z\-]+\s+){0,3}?(?:of\s+)?[A-Z]")


def _among_and_coordinated(w: _Work) -> None:
    """ "nine soldiers were among the 31 people killed"; coordinated subjects sharing a predicate
    ("left 3 soldiers and 2 civilians dead")."""
    sk, skel, s_text, assigned, passive_assigned = w.sk, w.skel, w.text, w.assigned, w.passive_assigned
    # "Nine soldiers were among the 31 people killed": the part has the kind of the whole
    among = list(P.AMONG_COUNT.finditer(sk)) + list(P.AMONG_FIRST.finditer(sk)) if "among" in sk else []
    heads = set(passive_assigned)
    for t in among:
        i, j = int(t.group("i")), int(t.group("j"))
        whole = re.match(r"⟦\d+⟧\s+(dead|killed|victims|wounded|injured)\b", sk[t.start("j") - 1 :])
        if j not in assigned and whole and t.re is P.AMONG_FIRST and not _modal(sk[t.start() : t.start("i")]):
            # "Among the 64 victims were nine medical workers": the whole is a toll of its own
            kind = {"dead": "killed", "killed": "killed", "victims": w.prior_kind}.get(whole.group(1), "injured")
            if kind and kind != "population":  # "victims": of the kind the sentence before reported
                w.assign(j, kind, None, [], t)
        if j in assigned and i not in assigned:
            subj, words = _subject(s_text, skel, t)
            if not _is_non_person(words):
                w.assign(i, assigned[j][0], subj, words, t, part=True)
                heads.add(i)

    for t in P.AMONG_GROUP.finditer(sk) if "among" in sk else ():
        word = t.group("w")
        before = [j for j in assigned if j < int(t.group("i"))]
        fallback = assigned[max(before)][0] if before else w.prior_kind  # "among them": the count before
        kind = P.AMONG_WORD_KIND.get(word or "", word) if word not in (None, "victims") else fallback
        if kind in ("released", "freed"):  # "the two staff were among those released by the gunmen"
            kind = "rescued" if _captives(w, []) else None
        if kind and kind != "population":
            subj, words = _subject(s_text, skel, t)
            if words and not _is_non_person(words):
                w.assign(int(t.group("i")), kind, subj, words, t, part=True)
                heads.add(int(t.group("i")))

    # 5b. coordinated subjects share the predicate: "left 3 soldiers and 2 civilians dead", "four women, a child
    # and a man died" (each item back from the one the grammar found)
    for head in sorted((h for h in heads if h in assigned), reverse=True):
        item: int | None = head
        while item is not None:
            item = _coordinated_before(w, item)


def _coordinated_before(w: _Work, j: int) -> int | None:
    """The count coordinated just before fact `j` ("3 soldiers and ⟦j⟧ ..."), given `j`'s kind; None if none."""
    sk, assigned = w.sk, w.assigned
    kind = assigned[j][0]
    pos = sk.find(f"⟦{j}⟧")
    b = P.BEFORE_COORD.search(sk, max(0, pos - 120), pos)
    if b and re.search(r"\bof\s+(?:the|those|its|their)\s+$", sk[: b.start()]):
        return None  # "Of the 40 passengers, 12 are still missing": 40 is the whole group, not missing
    if b and (
        P.SUBSET_LEAD.search(sk, 0, b.start()) or P.SUBSET_LIST_LEAD.search(sk, max(0, b.start() - 80), b.start())
    ):
        return None  # "left 15 dead, including two policemen, and 40 hurt": the subset belongs to the dead
    if b and b.group("np").strip() and not re.match(r"⟦\d+⟧\s+of\s+(?:whom|them|those|these)\b", sk[pos:]):
        i = int(b.group("i"))
        subj, words = _subject(w.text, w.skel, b)
        if words and not _is_non_person(words) and i not in assigned:
            w.assign(i, kind, subj, words, b, part=j in w.parts)
            return i if i in assigned else None
    return None


def _group_noun(noun: str) -> bool:
    """A plural noun naming a group of people ("children", "women", "Canadians", "members")."""
    return (
        noun in P.PERSONISH
        or noun.endswith(("ren", "men", "ians", "ans", "ers", "ists", "ese", "is"))
        and noun not in P.NON_PERSON
    )


def _place_count_lists(w: _Work) -> None:
    """ "Cholera cases by district: Lusaka 1,200, Ndola 300, Kitwe 215": each place's count, of the kind
    its noun names (cases only of a disease)."""
    hint = (":" in w.sk or "(" in w.sk) and ("case" in w.sk or "death" in w.sk or "infections" in w.sk)
    for t in P.PLACE_COUNT_LIST.finditer(w.sk) if hint else ():
        if t.group("w") in ("cases", "infections") and not (
            P.DISEASE_SENTENCE.search(w.sk)
            or set(w.sk[max(0, t.start() - 25) : t.start()].split()[-1:] + t.group("mid").split())
            & P.DISEASE_CASE_WORDS
        ):
            continue
        kind = "affected" if t.group("w") in ("cases", "infections") else "killed"
        for item in P.PLACE_COUNT_ITEM.finditer(w.sk, t.start("items"), t.end("items")):
            if w.text[w.skel.to_orig(item.start("np"))].isupper():
                w.assign(int(item.group("i")), kind, None, [], item, part=True)


def _breakdown(w: _Work) -> None:
    """A list right after a count that splits it: "were killed, 61 soldiers and 14 police
    officers", "left 15 dead, 12 in Misrata and three in Zawiya". The items are parts of the count
    before them when they do not add up to more than it."""
    sk, assigned, mentions = w.sk, w.assigned, w.mentions
    for b in P.BREAKDOWN.finditer(sk) if assigned else ():
        items = [int(x) for x in P.MARKER.findall(b.group("items"))]
        prev = [j for j in assigned if j < items[0] and j not in w.parts]
        if not prev or any(i in w.rejected or (i in assigned and i in w.parts) for i in items):
            continue
        j = max(prev)
        if sum(mentions[i].value for i in items) > mentions[j].value:
            continue
        kind = assigned[j][0]
        if kind == "population" or any(i in assigned and assigned[i][0] != kind for i in items):
            continue
        for i in items:
            t = P.MARK_NP.match(sk, sk.find(f"⟦{i}⟧"))
            subj, words = _subject(w.text, w.skel, t) if t else (None, [])
            if words and _is_non_person(words):
                break
            if i in assigned:
                w.parts.add(i)
            elif t:
                w.assign(
                    i, kind, subj, words if words and words[0] not in ("in", "at", "from", "on") else [], t, part=True
                )


def _semicolon_places(w: _Work) -> None:
    """ "21 deaths were reported in Region 10; six in Region 5; and one in Caraga": each place after a
    semicolon is a part of the count before the first semicolon, of its kind."""
    first = w.sk.find(";")
    lead = [j for j in w.assigned if w.sk.find(f"⟦{j}⟧") < first] if first > 0 else []
    if not lead or " in " not in w.sk[:first]:
        return
    kind = w.assigned[max(lead)][0]
    for t in P.SEMICOLON_PLACE_ITEM.finditer(w.sk, first):
        if w.text[w.skel.to_orig(t.end())].isupper():
            w.assign(int(t.group("i")), kind, None, [], t, part=True)
            w.parts.add(max(lead))  # the first place's count too (a total again when the article states no whole)


def _partitive_of_count(w: _Work) -> None:
    """ "Nine of the 14 people injured remain in critical condition": a part of the count it is taken from;
    "two of the 14 injured later died": the deaths among them."""
    for t in P.PARTITIVE_OF_COUNT.finditer(w.sk) if w.assigned else ():
        whole = w.assigned.get(int(t.group("j")))
        if whole and whole[0] != "population":
            w.assign(int(t.group("i")), whole[0], None, [], t, part=True)
    for t in P.PARTITIVE_DIED.finditer(w.sk) if w.assigned else ():
        whole = w.assigned.get(int(t.group("j")))
        if whole and whole[0] == "injured":
            w.assign(int(t.group("i")), "killed", None, [], t)


def _along_with(w: _Work) -> None:
    """ "She died, along with 6 civilians": the count after "along with" shares the fate before it."""
    for t in P.ALONG_WITH.finditer(w.sk) if "with ⟦" in w.sk else ():
        subj, words = _subject(w.text, w.skel, t)
        if words and P.person_noun(words[-1]) and not _modal(w.sk[max(0, t.start() - 30) : t.start()]):
            w.assign(int(t.group("i")), P.LONG_SUBJECT_KIND.get(t.group("pred"), "killed"), subj, words, t)


def _all_aboard(w: _Work) -> None:
    """ "a bus carrying 52 villagers plunged off a cliff, killing all passengers": the count carried is the toll."""
    for t in P.ALL_ABOARD.finditer(w.sk) if " all" in w.sk or "every" in w.sk else ():
        subj, words = _subject(w.text, w.skel, t)
        if words and P.person_noun(words[-1]) and not _modal(w.sk[t.end("np") : t.end()]):
            w.assign(int(t.group("i")), "killed", subj, words, t)


def _of_the_toll(w: _Work) -> None:
    """ "Of the fatalities, 87 occurred in Kerr County", "of the wounded, 12 were children": a part."""
    for t in P.OF_THE_TOLL.finditer(w.sk) if "of the" in w.sk or "of th" in w.sk else ():
        kind = "killed" if t.group("k") else "injured" if t.group("h") else "missing"
        subj, words = _subject(w.text, w.skel, t)
        w.assign(int(t.group("i")), kind, subj, words, t, part=True)


def _victims_were(w: _Work) -> None:
    """ "the victims were five men, three women and two children": groups of the victims of the fact
    before (parts of it), when every item names people."""
    for t in P.VICTIMS_WERE.finditer(w.sk) if w.prior_kind or w.assigned else ():
        kind = w.prior_kind if w.prior_kind not in (None, "population") else "killed"
        items = [P.MARK_NP.match(w.sk, m.start()) for m in P.MARKER.finditer(w.sk, t.start("items"), t.end("items"))]
        if not all(m and m.group("np").split() and P.person_noun(m.group("np").split()[-1]) for m in items):
            continue
        for m in filter(None, items):
            subj, words = _subject(w.text, w.skel, m)
            w.assign(int(m.group("i")), kind, subj, words, m, part=True)


def _apposed_lists(w: _Work) -> None:
    """ "The victims, two soldiers and a police officer, were killed": each item of a list set off
    after the group it names, of the group's kind (or the predicate's, for "victims")."""
    sk = w.sk
    lead = (
        P.APPOSED_LEAD.search(sk)
        if ("," in sk or ":" in sk or "-" in sk or "—" in sk or "–" in sk)
        and (
            "victims" in sk or "dead" in sk or "wounded" in sk or "injured" in sk or "missing" in sk or "hostages" in sk
        )
        else None
    )
    for t in P.APPOSED_LIST.finditer(w.sk, lead.start()) if lead else ():
        pred_kind = _matched_kind(t, _PREDICATE_GROUPS)
        kind = P.APPOSED_GROUP_KIND.get(t.group("g")) or pred_kind
        if kind not in P.APPOSED_GROUP_KIND.values() or _modal(t.group("aux") or ""):
            continue
        for i in (int(x) for x in P.MARKER.findall(t.group("items"))):
            item = P.MARK_NP.match(w.sk, w.sk.find(f"⟦{i}⟧"))
            subj, words = _subject(w.text, w.skel, item) if item else (None, [])
            if item and words and not _is_non_person(words):
                w.assign(i, kind, subj, words, item, part=True)  # a total where the article states none


_SEXES = frozenset("male female males females men women".split())


def _were_group(w: _Work) -> None:
    """ "58 were children", "of the dead, 31 were women", "18 of the victims were members of one
    family": a group inside the count stated before it (in this sentence or the one before)."""
    sk, assigned = w.sk, w.assigned
    for t in P.WERE_GROUP.finditer(sk) if " were " in sk or " was " in sk or " are " in sk else ():
        i = int(t.group("i"))
        if i in assigned or i in w.rejected:
            continue
        noun = t.group("noun")
        group = t.group("g") or t.group("g0")
        place = re.match(r"(?:in|at|from)\s", t.group("rest")) and group in ("deaths", "dead", "victims", "killed")
        if not (_group_noun(noun) or noun in _SEXES or place):
            continue
        prev = [j for j in assigned if j < i]
        kind = P.GROUP_KIND.get(group or "") or (assigned[max(prev)][0] if prev else w.prior_kind)
        if kind is None or kind == "population":
            continue
        w.assign(i, kind, None if place else t.group("rest"), [] if place else [noun], t, part=True)
        if noun in _SEXES:  # "45 were male, seven female and 19 children"
            c = P.GROUP_ITEM.match(sk, t.start("noun") + len(noun))
            while c and (c.group("np") in _SEXES or _group_noun(c.group("np"))):
                w.assign(int(c.group("i")), kind, None, [c.group("np")], c, part=True)
                c = P.GROUP_ITEM.match(sk, c.end())


def _dashed_counts(w: _Work) -> None:
    """ "Most of the victims — 184 — were found in Antakya" (a part of the toll), "Among those wounded — 41 in all —
    were three journalists" (41 the whole, the journalists a part)."""
    for t in P.DASHED_COUNT.finditer(w.sk) if ("—" in w.sk or "–" in w.sk or "--" in w.sk) else ():
        i = int(t.group("i"))
        prev = [j for j in w.assigned if j < i]
        kind = _word_kind(t.group("w")) if t.group("w") != "victims" else None
        kind = kind or (w.assigned[max(prev)][0] if prev else w.prior_kind)
        if not kind or kind == "population":
            continue
        whole = t.group("q") == "among" or t.group("all") is not None
        w.assign(i, kind, None, [], t, part=not whole)
        group = P.MARK_NP.match(w.sk, t.end())
        if whole and group and i in w.assigned:
            subj, words = _subject(w.text, w.skel, group)
            if words and P.person_noun(words[-1]):
                w.assign(int(group.group("i")), kind, subj, words, group, part=True)


def _condition_parts(w: _Work) -> None:
    """ "Of the 52 people injured, 17 were in serious condition": a part of the injured stated before it."""
    for t in P.CONDITION_PART.finditer(w.sk) if "condition" in w.sk else ():
        i = int(t.group("i"))
        prev = [j for j in w.assigned if j < i]
        if (w.assigned[max(prev)][0] if prev else w.prior_kind) == "injured":
            w.assign(i, "injured", None, [], t, part=True)


def _rescued_hurt(w: _Work) -> None:
    """ "Eight people were rescued alive with injuries, three of whom are in critical condition": the
    rescued are injured too (a second fact of the same count), the critical ones a part of those."""
    for t in P.RESCUED_HURT.finditer(w.sk) if " with " in w.sk else ():
        i = int(t.group("i"))
        if i not in w.assigned or w.assigned[i][0] != "rescued":
            continue
        m, (_, subj, end) = w.mentions[i], w.assigned[i]
        w.facts.append(
            CasualtyFact("injured", m.value, m.low, m.high, m.qualifier, subj, w.base + m.start, w.base + end, w.sent)
        )
        critical = P.CRITICAL_OF_WHOM.match(w.sk, t.end())
        if critical:
            w.assign(int(critical.group("i")), "injured", None, [], critical, part=True)


def _subsets(w: _Work) -> None:
    """Subsets inherit the kind of the fact before them: "including N children", ", N of them
    children", "bringing the total to N"."""
    sk, skel, s_text, mentions, assigned, rejected = w.sk, w.skel, w.text, w.mentions, w.assigned, w.rejected
    # 6. subsets and lists inherit the kind of the fact they belong to
    if assigned:
        running = list(P.RUNNING_TOTAL.finditer(sk)) + list(P.RUNNING_TOTAL_FIRST.finditer(sk))
        for t in running:
            i = int(t.group("i"))
            if i in assigned:  # "47 killed in the past day, bringing the toll to 23,357": the day's count is a part
                for j in assigned:
                    if (
                        j < i
                        and assigned[j][0] == assigned[i][0]
                        and mentions[j].value < mentions[i].value
                        and mentions[j].nonfact != "revision"
                    ):
                        w.parts.add(j)
        for t in list(P.SUBSET_AFTER.finditer(sk)) + running:
            i = int(t.group("i"))
            prev = [j for j in assigned if j < i]
            if i in assigned and t not in running and prev and assigned[i][0] == assigned[max(prev)][0]:
                w.parts.add(i)  # "uprooted 1.3 million, 200,000 of whom have sought refuge abroad"
                continue
            if i in assigned or i in rejected or not prev:
                continue
            subj, words = _subject(s_text, skel, t)
            if words and _is_non_person(words):
                continue
            if any(w in ("freed", "released", "escaped", "returned", "discharged", "reunited") for w in words):
                continue  # ", three of whom were later freed": not a count of the same kind
            if words and all(w.endswith("ly") for w in words):
                subj, words = None, []  # ", 2 of them seriously"
            kind = assigned[max(prev)][0]
            w.assign(i, kind, subj, words, t, part=t not in running)
            if t in running and i in assigned:
                # "47 killed in the past day, bringing the toll to 23,357": the day's count is a part
                for j in prev:
                    if (
                        assigned[j][0] == kind
                        and mentions[j].value < mentions[i].value
                        and mentions[j].nonfact != "revision"
                    ):
                        w.parts.add(j)
        for t in P.SUBSET.finditer(sk):
            i = int(t.group("i"))
            prev = [j for j in assigned if j < i]
            if i in assigned and prev and assigned[i][0] == assigned[max(prev)][0] and not w.parts & {i}:
                if mentions[i].value < mentions[max(prev)].value:
                    w.parts.add(i)  # "fled, including 400,000 who crossed into Chad": found by its own predicate
                continue
            if i in assigned or i in rejected:
                continue
            if not prev:
                continue
            kind = assigned[max(prev)][0]
            subj, words = _subject(s_text, skel, t)
            after_orig = s_text[skel.to_orig(t.end()) :]
            if not words and (
                re.match(r"\s+(?:in|at|near|from|on|inside|outside)\s+(?:[a-z]+\s+){0,2}[A-Z]", after_orig)
                or P.PART_BY_PERIOD.match(after_orig.lower())
            ):
                words = ["_"]  # "including 8 in Monywa", "including 84 in the past 24 hours": parts
            if not words or words[-1] in P.NON_PERSON:
                continue
            if mentions[i].nonfact == "partitive":
                continue
            after = sk[t.end() : t.end() + 40]
            if re.match(
                r"\s+(?:were|was|have\s+been|had\s+been|are)\s+(?:\w+\s+)?(?:freed|released|set\s+free|returned|"
                r"reunited|found\s+alive|discharged|recovered|escaped)\b|\s+(?:later\s+)?(?:escaped|returned)\b",
                after,
            ):
                continue  # "15 kidnapped, three of whom were later freed": not 3 kidnapped
            w.assign(i, kind, subj, words if words != ["_"] else [], t, part=True)


# "killed 23 people (three of them women)", "14 dead (5 validated)", "killed 8 police officers (Al-Shabaab
# claimed 12)", "Fatalities: 3 (2 civilians, 1 soldier)": a bracket right after a count restates it
_BRACKET_AFTER = re.compile(r"⟦(?P<i>\d+)⟧[^⟦()⟧.;:]{0,40}?\((?P<inner>[^()⟦]{0,40}⟦[^()]{0,100})\)")
_AFTER_BRACKET = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)" + P.MARK + P.NP)
_BRACKET_SKIP = re.compile(r"\b(?:aged|age|ages|born|from|since|until|per|out\s+of|in\s+[12]\d{3})\b")


_CLAIMED = re.compile(r"\b(?:claimed|claims|claiming|put\s+(?:it|the\s+toll)\s+at|says|said|reported|reports)\s+$")


def _bracket_count(words: list[str], before: str, after: str) -> bool:
    """A count of people in a bracket: "5 men", "three of them women", "5 validated", or a bare count that
    ends its item ("Al-Shabaab claimed 12")."""
    if not words:  # a bare count only as another party's figure, the item ending there, or "(2 seriously)"
        ends = not after.strip() or bool(re.match(r"\s*(?:,|and\b)", after))
        return bool(_CLAIMED.search(before)) and ends or bool(re.fullmatch(r"\s*[a-z]+ly\s*", after))
    if _is_non_person(words) or words[-1] in P.NON_PERSON:
        return False
    return words[0] in ("them", "whom") or any(P.person_noun(x) for x in words) or words[0].endswith("ed")


def _bracketed_parts(w: _Work) -> None:
    """Counts in a bracket after a fact take its kind: parts where smaller ("(5 validated)", "(MONUSCO confirmed
    5 men and 5 women)"), another party's total where not ("(Al-Shabaab claimed 12)")."""
    if "(" not in w.sk:
        return
    for b in _BRACKET_AFTER.finditer(w.sk):
        i = int(b.group("i"))
        if i not in w.assigned or _BRACKET_SKIP.search(b.group("inner")):
            continue
        kind = w.assigned[i][0]
        for t in P.MARK_NP.finditer(w.sk, b.start("inner"), b.end("inner")):
            j = int(t.group("i"))
            if j in w.assigned or j in w.rejected or w.mentions[j].nonfact:
                continue
            subj, words = _subject(w.text, w.skel, t)
            if not _bracket_count(words, w.sk[b.start("inner") : t.start()], w.sk[t.end("i") + 1 : b.end("inner")]):
                continue
            w.assign(j, kind, subj, words, t, part=w.mentions[j].value < w.mentions[i].value)
        # "including 18 civilians (three of them women) and four officials": the list goes on after the bracket
        more = _AFTER_BRACKET.match(w.sk, b.end())
        if more and i in w.parts and int(more.group("i")) not in w.assigned:
            subj, words = _subject(w.text, w.skel, more)
            if words and not _is_non_person(words) and words[-1] not in P.NON_PERSON:
                w.assign(int(more.group("i")), kind, subj, words, more, part=True)


_RUNNING_COUNT = re.compile(r"\b(?:toll|total|tally|rose|risen|rises|climbed|reached|stands|stood|jumped|increased)\b")


def _increments(w: _Work) -> None:
    """ "rose to 48 with five more deaths", "reached 210, with 31 people losing their lives": the
    increment is a part of the larger count of its kind stated in the sentence."""
    if len(w.assigned) < 2 or not P.INCREMENT_HINT.search(w.sk) or not _RUNNING_COUNT.search(w.sk):
        return  # "recovered five bodies and located two more": no running count, two counts side by side
    for t in P.INCREMENT.finditer(w.sk):
        i = int(t.group("i") or t.group("j") or t.group("k"))
        if i in w.assigned and any(
            j != i and k == w.assigned[i][0] and j not in w.parts and w.mentions[j].value > w.mentions[i].value
            for j, (k, _, _) in w.assigned.items()
        ):
            w.parts.add(i)


def _shares_and_rankings(w: _Work) -> None:
    """ "Most of them, about 600,000, are sheltering in schools" and "Sindh was worst hit with 28 deaths,
    followed by Punjab with 19": parts of the count before (in this sentence or the one before)."""
    # (each pattern only where its words are: "of them/these/those/the …", "followed by")
    rankings = (
        (P.SHARE_APPOSED, " of th"),
        (P.FOLLOWED_BY, "followed"),
        (P.RANKED_PLACE_WITH, " with "),
        (P.ACCOUNTED_FOR, "account"),
        (P.WITH_IN_PLACE, ", with "),
    )
    for pattern, hint in rankings:
        if hint not in w.sk:
            continue
        for t in pattern.finditer(w.sk):
            i = int(t.group("i"))
            prev = [j for j in w.assigned if j < i]
            kind = w.assigned[max(prev)][0] if prev else w.prior_kind
            if not kind or kind == "population" or i in w.rejected:
                continue
            w.assign(i, kind, None, [], t, part=True)
            after = P.PLACE_NEXT if pattern is P.WITH_IN_PLACE else P.RANKING_NEXT
            nxt = after.match(w.sk, t.end()) if pattern is not P.SHARE_APPOSED else None
            while nxt and i in w.assigned:  # "followed by Cuddalore with 9 and Chennai with 4"
                i = int(nxt.group("i"))
                w.assign(i, kind, None, [], nxt, part=True)
                nxt = after.match(w.sk, nxt.end())


def _continuations(w: _Work) -> None:
    """Lists continue a fact: "N attackers, N bombers and N others" share its kind."""
    sk, skel, s_text, assigned, rejected = w.sk, w.skel, w.text, w.assigned, w.rejected
    changed = True
    while changed:
        changed = False
        for j in sorted(assigned):
            kind = assigned[j][0]
            if kind in ("population",):
                continue
            marker = f"⟦{j}⟧"
            pos = sk.find(marker)
            head = P.MARK_NP.match(sk, pos)
            if not head or not head.group("np").strip():
                continue
            c = P.CONTINUATION.match(sk, head.end())
            if not c:
                continue
            i = int(c.group("i"))
            if i in assigned or i in rejected or not c.group("np").strip():
                continue
            if re.match(r"\s*of\s+(?:whom|them|those|these)\b", c.group("np")):
                continue  # ", three of whom …": the subset rules decide

            # the next item must not carry its own predicate ("..., 30 were injured")
            rest = sk[c.end() : c.end() + 25]
            if _AUX_PREDICATE_AFTER.match(rest):
                continue
            if _SPEAKER_AFTER.match(rest):
                continue  # "killing nine guests, a provincial spokesman said": the speaker, not a victim
            if _apposition(w, c, i):
                continue  # "killing the imam, a 60-year-old cleric": the same person again
            subj, words = _subject(s_text, skel, c)
            if not words or words[-1] in P.NON_PERSON:
                continue
            if words[-1] in ("bodies", "corpses", "remains"):
                w.assign(i, "killed", subj, words, c)  # "pulled 54 survivors and 19 bodies"
                continue
            if kind == "killed" and words[-1] in ("survivors",):
                continue
            w.assign(i, kind, subj, words, c, part=j in w.parts)
            if i in assigned:
                changed = True


def _coordinated_sum(w: _Work) -> None:
    """ "shot dead a local chief and his two sons", "a taxi driver and two passengers were killed": a list of counts
    of one fate with a single person in it states their sum (3), a total; the items are its parts."""
    if not any(w.mentions[i].nonfact == "article" for i in w.assigned):
        return
    seen: set[int] = set()
    for j in sorted(w.assigned, reverse=True):
        chain = [j]
        while chain[-1] not in seen:
            seen.add(chain[-1])
            pos = w.sk.find(f"⟦{chain[-1]}⟧")
            b = P.BEFORE_COORD.search(w.sk, max(0, pos - 120), pos)
            i = int(b.group("i")) if b else -1
            if (
                b
                and len(chain) == 1
                and not re.search(r"\b(?:and|as\s+well\s+as)\s+(?:(?:his|her|their)\s+)?$", b.group(0))
            ):
                break  # "killing the imam, a cleric": an apposition, no list (a list closes with "and")
            if i not in w.assigned or w.assigned[i][0] != w.assigned[j][0]:
                break
            chain.append(i)
        items = [w.mentions[k] for k in chain]
        if (
            len(chain) < 2
            or any(k in w.parts for k in chain)
            or not any(m.nonfact == "article" for m in items)
            or any(m.qualifier != "exact" for m in items)
        ):
            continue
        total = sum(m.value for m in items)
        if any(k == w.assigned[j][0] and w.mentions[n].value == total for n, (k, _, _) in w.assigned.items()):
            continue  # "three people were killed, a man and his two sons": the sum is stated
        start, end = w.mentions[chain[-1]].start, w.assigned[j][2]
        w.facts.append(
            CasualtyFact(w.assigned[j][0], total, total, total, "exact", None, w.base + start, w.base + end, w.sent)
        )
        w.parts.update(chain)


def _apposition(w: _Work, c: re.Match, i: int) -> bool:
    """A single person set off by a bare comma, with no "and" to close a list after it ("the imam, a 60-year-old
    cleric"), names the one before it again."""
    if w.mentions[i].nonfact != "article" or not c.group(0).lstrip().startswith(","):
        return False
    return not re.match(r"\s*(?:,\s*)?(?:and|as\s+well\s+as)\s+", w.sk[c.end() :])


def _revisions(w: _Work) -> None:
    """The earlier figure of a revision ("rose to 3,400, up from 3,100") is an earlier report of
    the same count: a fact of the same kind. So is the new figure of "put the toll at 18 and
    updated it to 21", and an increment "at 55 with 2 more added" is a part of it."""
    mentions, assigned = w.mentions, w.assigned
    for pattern in (P.REVISED_IT, P.MORE_ADDED) if assigned else ():
        for t in pattern.finditer(w.sk):
            i = int(t.group("i"))
            before = [j for j in assigned if j < i and assigned[j][0] != "population"]
            if before and i not in w.rejected:
                w.assign(i, assigned[max(before)][0], None, [], t, part=pattern is P.MORE_ADDED)
    assigned_kinds = {k for k, _, _ in assigned.values()}
    for r, m in enumerate(mentions if not assigned else ()):
        # "the death toll rose sharply today, increasing from 4,015": the toll's earlier figure
        if m.nonfact == "revision" and _TOLL_BEFORE.search(w.text[: m.start].lower()):
            assigned[r] = ("killed", None, m.end)
    # 7. the earlier figure of a revision ("rose to 3,400, up from 3,100") is an earlier report of
    #    the same count: a fact of the same kind (its date is the context pass's business)
    if assigned:
        for r, m in enumerate(mentions):
            if m.nonfact == "revision":
                nearest = min(assigned, key=lambda j: abs(j - r))
                if abs(nearest - r) <= 2 and (assigned[nearest][0] != "population" or "population" in w.sk):
                    # "12 deaths last week, down from 5,003 cases": the noun after it names its kind
                    noun = _NOUN_AFTER.match(w.text, m.end)
                    kind = P.NOMINAL_HEADS.get(noun.group(1).lower(), "") if noun else ""
                    assigned[r] = (kind if kind in assigned_kinds else assigned[nearest][0], None, m.end)


def _period_parts(w: _Work) -> None:
    """ "a total of 3,881 measles cases, 153 recorded in the last 24 hours": a count over a short
    period after a larger count of its kind in the sentence is a part of it."""
    for i, (kind, _, _) in list(w.assigned.items()) if len(w.assigned) > 1 else ():
        m = w.mentions[i]
        period = P.SHORT_PERIOD.search(w.text, m.end, m.end + 45)
        if (
            period
            and not any(c.isdigit() for c in w.text[m.end : period.start()])
            and any(j < i and k == kind and w.mentions[j].value > m.value for j, (k, _, _) in w.assigned.items())
        ):
            w.parts.add(i)


_NOUN_AFTER = re.compile(r"\s+([A-Za-z]+)")
_TOLL_BEFORE = re.compile(r"\b(?:death\s+toll|number\s+of\s+(?:deaths|dead)|deaths)\b[^\d;]{0,60}$")


# The construction families, in the order they claim numbers: an earlier family's decision
# (a fact or a rejection) stands. Later families (subsets, lists, revisions) build on the facts
# found by the earlier ones.
_POPULATION_AFTER = re.compile(r"\s+population\b")
_TOLL_NOUN_AFTER = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:(?:confirmed|known|reported)\s+)?(?:(?:listed|reported|declared)\s+as\s+)?"
    r"(?:dead|killed|injured|wounded|hurt|missing)\b",
    re.I,
)
_COUNT_OF_BEFORE = re.compile(
    r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty|forty|fifty))"
    r"\s+of\s+(?:the\s+)?$",
    re.I,
)
_FAMILIES = (
    _none_and_treated,
    _tolls,
    _bring_to,
    _lives_bodies_to_death,
    _survivors_found,
    _custody_hostages_population,
    _flight_and_population,
    _apposed_share,
    _consisting_of,
    _active_verbs,
    _including_subjects,
    _passive,
    _shot_passive,
    _conjoined_death,
    _coordinated_objects,
    _disaster_affected,
    _object_relatives,
    _apposed_victim,
    _long_subjects,
    _aside_subjects,
    _groups_and_fields,
    _dashed_counts,
    _nominal_heads_and_residents,
    _among_and_coordinated,
    _places_and_shelter,
    _place_count_lists,
    _apposed_lists,
    _victims_were,
    _of_the_toll,
    _all_aboard,
    _along_with,
    _partitive_of_count,
    _were_group,
    _condition_parts,
    _rescued_hurt,
    _subsets,
    _fraction_parts,
    _increments,
    _shares_and_rankings,
    _continuations,
    _breakdown,
    _semicolon_places,
    _coordinated_sum,
    _bracketed_parts,
    _revisions,
    _period_parts,
    _suspected_more,
    _forecasts,
    _generic_rates,
    _captives_bodies,
)


def sentence_numbers(sentence: str) -> list[NumberMention]:
    """The number mentions of a sentence (none without a digit or a number word: the cheap test
    first). Computed once per sentence and shared by the casualty and statistics passes."""
    if may_hold_number(sentence):
        return find_numbers(sentence)
    return []


def sentence_casualties(
    text: str, sent: Sentence, prior_kind: str | None = None, numbers: list[NumberMention] | None = None
) -> tuple[list[CasualtyFact], list[tuple[int, int]]]:
    """Casualty/population facts of one sentence and the spans it claims as non-facts
    (`prior_kind`: the kind of the last fact of the sentence before, for "58 were children";
    `numbers`: the sentence's `sentence_numbers`, when the caller has them already)."""
    s_text = sent.text
    claimed: list[tuple[int, int]] = []
    mentions = sentence_numbers(s_text) if numbers is None else numbers
    mentions = _article_mentions(
        s_text, mentions, refers_back=sent.start > 0 and prior_kind is None, opening=sent.start == 0
    )
    base = sent.start
    for m in mentions:
        if m.nonfact in CLAIMED_NONFACTS:
            claimed.append((base + m.start, base + m.end))
    mentions = [m for m in mentions if not P.ONE_FAMILY.match(s_text, m.end)]
    usable = [
        m.nonfact is None
        or m.nonfact in ("article", "article_pronoun", "partitive")
        # "half of its 9 million population": the whole of a share, named a population
        or m.nonfact == "ratio"
        and m.value >= 10000
        and bool(_POPULATION_AFTER.match(s_text, m.end))
        # "half of the 40 dead": the whole of a share, named a toll
        or m.nonfact == "ratio"
        and bool(_TOLL_NOUN_AFTER.match(s_text, m.end))
        # "half of the 40 dead", "only 55 of 75 confirmed dead had been identified": the whole, a toll
        and bool(
            P.FRACTION_OF.search(s_text[max(0, m.start - 60) : m.start].lower())
            or _COUNT_OF_BEFORE.search(s_text, max(0, m.start - 20), m.start)
        )
        for m in mentions
    ]
    for n, m in enumerate(mentions):
        thing = P.COUNTED_THING_AFTER.match(s_text, m.end) if usable[n] else None
        if thing and thing.group("noun").lower() in P.THING_NOUNS:
            usable[n] = False  # "the 12 affected provinces": a count of things (a statistic at most)
    if P.OTHER_NEWS.match(s_text):  # "Other news: 10 killed in bus crash in Peru; ...": another article's figures
        return [], claimed + [(base + m.start, base + m.end) for m in mentions]
    revision = any(m.nonfact == "revision" for m in mentions)  # "increasing from 4,015": see _revisions
    grammar = (any(usable) or revision) and (prior_kind is not None or P.has_cue(s_text))
    if not grammar and not _may_claim_zero(s_text):
        return [], claimed  # (the skeleton is built only when a family or a zero claim may read it)
    w = _Work(sent, mentions, usable, _build_skeleton(s_text, mentions, usable), prior_kind=prior_kind)
    _zero_claims(w)
    if not grammar:
        return w.facts, claimed
    for family in _FAMILIES:
        family(w)
    if w.assigned and "alone" in s_text.lower() and P.ALONE.search(s_text):
        w.parts.update(w.assigned)  # "In Sindh province alone, 41 people died"
    for i, (kind, subj, span_end) in w.assigned.items():
        m = mentions[i]
        w.facts.append(
            CasualtyFact(
                kind,
                m.value,
                m.low,
                m.high,
                m.qualifier,
                subj,
                base + m.start,
                base + span_end,
                sent,
                "part" if i in w.parts else "total",
            )
        )
    for i in w.rejected:
        if i not in w.assigned and mentions[i].nonfact not in ("article", "article_pronoun"):
            claimed.append((base + mentions[i].start, base + mentions[i].end))
    return w.facts, claimed


def _word_kind(word: str) -> str:
    w = " ".join(word.lower().split())
    for pattern, kind in P.PRED_RE:
        if pattern.fullmatch(w):
            return "killed" if kind == "ambiguous" and w != "casualties" else kind
    return {
        "deaths": "killed",
        "fatalities": "killed",
        "injuries": "injured",
        "evacuees": "evacuated",
        "arrests": "arrested",
        "refugees": "displaced",
        "cases": "affected",
        "infections": "affected",
        "in need": "affected",  # "the number of people in need of aid rose to 2.1 million"
        "idps": "displaced",
        "internally displaced": "displaced",
        "internally displaced people": "displaced",
        "internally displaced persons": "displaced",
    }.get(w, "killed")


def _head(subject: str | None) -> str | None:
    """The head noun of a subject ("health workers" -> "workers"), lower-cased."""
    words = (subject or "").lower().split()
    return words[-1] if words else None


# How far (characters) after a count a named group is still read as its breakdown: further on,
# articles move to other events ("in a separate attack last month, four police were killed").
_PART_REACH = 400


def _names_everyone(subject: str | None) -> bool:
    """A count of people at large ("42 people", "3,785 Palestinians", unnamed): one that a named
    group can be part of. Two role groups ("32 insurgents", "2 soldiers") are side by side."""
    head = (subject or "").split()[-1:] or [""]
    return not head[0] or head[0].lower() in P.GENERIC_PEOPLE or head[0][0].isupper()


def _larger_total(whole: CasualtyFact, part: CasualtyFact) -> bool:
    """`whole` is a total of `part`'s kind larger than it: what a part can belong to."""
    return whole.kind == part.kind and whole.scope == "total" and whole.value > part.value


_RUNNING_TOTAL = re.compile(r"\b(?:toll|tally|total|overall|cumulative)\b", re.I)


class _SentenceTests:
    """Pattern tests of whole sentences, each asked once per sentence: the facts of an article
    are compared pairwise, and most sentences hold several facts."""

    def __init__(self) -> None:
        self._seen: dict[tuple[object, Sentence], bool] = {}

    def __call__(self, test, sentence: Sentence) -> bool:
        key = (test, sentence)
        if key not in self._seen:
            self._seen[key] = test(sentence.text) is not None
        return self._seen[key]


def _group_parts(facts: list[CasualtyFact]) -> list[CasualtyFact]:
    """A count of a named group ("44 health workers had been killed", "27 students") after a larger
    count of the same kind shortly before ("3,785 Palestinians", "42 people") is a part of it."""
    out = []
    said = _SentenceTests()
    for n, f in enumerate(facts):
        head = _head(f.subject)
        if f.scope == "total" and said(P.PLACE_LED.match, f.sentence):
            # "Floods killed 98 across the country. In Sindh province, 41 people died."
            if any(
                _larger_total(g, f)
                and g.sentence is not f.sentence
                and said(P.WIDE_AREA.search, g.sentence)
                and 0 < f.span_start - g.span_start <= _PART_REACH
                for g in facts[:n]
            ):
                f = replace(f, scope="part")
        elif (
            f.scope == "total"
            and said(P.SHORT_PERIOD.search, f.sentence)
            and not said(_RUNNING_TOTAL.search, f.sentence)
        ):
            # "84 deaths in the past 24 hours" beside a running toll of the same kind stated in the article
            if any(
                _larger_total(g, f) and g.sentence is not f.sentence and not said(P.SHORT_PERIOD.search, g.sentence)
                for g in facts
            ):
                f = replace(f, scope="part")
        elif f.scope == "total" and said(P.PART_CUE.search, f.sentence):
            # "Sindh was worst hit with 28 deaths", "Of these, 42 deaths were reported from other states"
            if any(
                _larger_total(g, f) and g.sentence is not f.sentence and 0 < f.span_start - g.span_start <= _PART_REACH
                for g in facts[:n]
            ):
                f = replace(f, scope="part")
        elif f.scope == "total" and head and head not in P.GENERIC_PEOPLE and _group_noun(head):
            if any(
                _larger_total(g, f) and _names_everyone(g.subject) and 0 < f.span_start - g.span_start <= _PART_REACH
                for g in facts[:n]
            ):
                f = replace(f, scope="part")
        out.append(f)
    return out


def _finish_scope(facts: list[CasualtyFact]) -> list[CasualtyFact]:
    """A part whose total the article never states is a total: keep `part` only where the article
    reports a whole of the same kind at least as large."""
    # Largest first, so a part promoted to a total can hold the smaller parts of it ("Among the wounded were
    # 11 police officers, two of them seriously": 11 is a total, 2 a part of it).
    # Only a part that refers back to it ("of them", "including") belongs to a promoted one; a sibling ("31 were
    # women and 12 were children") does not.
    totals = [f for f in facts if f.scope == "total"]
    promoted: list[CasualtyFact] = []
    out = list(facts)
    for n in sorted(range(len(facts)), key=lambda k: -facts[k].value):
        f = facts[n]
        if f.scope != "part":
            continue
        if not any(
            g.kind == f.kind and g is not f and max(g.value, g.high or 0) >= f.value for g in totals
        ) and not any(_refers_back(f, g) for g in promoted):
            out[n] = replace(f, scope="total")
            promoted.append(out[n])
    return out


_REFERS_BACK = re.compile(r"\b(?:of\s+them|of\s+whom|including|among\s+them|among\s+whom)\b", re.I)


def _refers_back(part: CasualtyFact, whole: CasualtyFact) -> bool:
    """ "11 police officers, two of them seriously": the part points back at the count just before it."""
    if part.kind != whole.kind or part.sentence is not whole.sentence or not 0 < part.span_start - whole.span_end < 80:
        return False
    return bool(
        _REFERS_BACK.search(
            part.sentence.text, whole.span_end - part.sentence.start, part.span_end - part.sentence.start + 25
        )
    )


def extract_casualties(
    text: str, sentences: list[Sentence], numbers: list[list[NumberMention]] | None = None
) -> tuple[list[CasualtyFact], list[tuple[int, int]]]:
    """All casualty/population facts of a text (each with its scope), and the spans to keep from
    the statistics pass. `numbers`: each sentence's `sentence_numbers`, when already computed."""
    facts: list[CasualtyFact] = []
    claimed: list[tuple[int, int]] = []
    prior_kind = None
    for n, sent in enumerate(sentences):
        f, c = sentence_casualties(text, sent, prior_kind, numbers[n] if numbers is not None else None)
        prior_kind = max(f, key=lambda x: x.span_start).kind if f else None
        facts.extend(f)
        claimed.extend(c)
    return _finish_scope(_group_parts(facts)), claimed
