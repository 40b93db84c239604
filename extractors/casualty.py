"""The casualty and population grammar (issue 3): killed, injured, missing, displaced, affected,
arrested, kidnapped, evacuated, rescued and population figures from English news sentences.

How it works. For each sentence the number parser (`extractors.numbers`) finds every number
mention. The sentence is then rewritten into a lower-cased *skeleton* in which each usable
number is a marker `⟦i⟧` (and each non-fact number `⟦x⟧`), so the grammar below can be
written as a handful of regular expressions over words and markers:

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
from dataclasses import dataclass

from extractors.numbers import CLAIMED_NONFACTS, NumberMention, find_numbers
from extractors.places import DEMONYMS
from extractors.text import Sentence

__all__ = ["CasualtyFact", "extract_casualties", "sentence_casualties"]


@dataclass(frozen=True)
class CasualtyFact:
    kind: str
    value: float
    low: float | None
    high: float | None
    qualifier: str
    subject: str | None
    span_start: int     # offsets into the ORIGINAL text
    span_end: int
    sentence: Sentence


# --- lexicon ------------------------------------------------------------------------------

def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Predicates after the number ("N people were killed", "N dead"), longest first.
_PREDICATES: list[tuple[str, str]] = [
    # killed
    (r"among\s+(?:the|those)\s+(?:dead|killed|fatalities)", "killed"),
    (r"among\s+(?:the|those)\s+(?:injured|wounded|hurt)", "injured"),
    (r"among\s+(?:the|those)\s+(?:missing)", "missing"),
    (r"among\s+(?:the|those)\s+(?:arrested|detained)", "arrested"),
    (r"among\s+(?:the|those)\s+(?:kidnapped|abducted)", "kidnapped"),
    (r"shot\s+dead", "killed"), (r"gunned\s+down", "killed"), (r"found\s+dead", "killed"),
    (r"shot\s+and\s+killed", "killed"),
    (r"(?:burned|burnt)\s+alive", "killed"),
    (r"(?:buried|laid\s+to\s+rest)(?!\s+(?:under|beneath|in\s+the\s+(?:rubble|debris|mud)|by))", "killed"),
    (r"lost\s+(?:their|his|her)\s+lives?", "killed"),
    (r"(?:burned|burnt|crushed|stabbed|beaten|hacked|trampled|bludgeoned|shot|starved|frozen|stoned|clubbed)\s+to\s+death", "killed"),
    (r"killed|dead|died|dies|die|perished|drowned|slain|murdered|massacred|executed|beheaded|lynched|"
     r"neutrali[sz]ed|electrocuted|succumbed|martyred", "killed"),
    # injured
    (r"(?:sustain|suffer)(?:ed|ing|s)?\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns)", "injured"),
    (r"taken\s+to\s+(?:a\s+|the\s+)?(?:local\s+|nearby\s+)?hospitals?", "injured"),
    (r"treated\s+for\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns|inhalation|fractures|gunshot\s+wounds)", "injured"),
    (r"shot\s+and\s+(?:wounded|injured)", "injured"),
    (r"shot\s+in\s+the\s+(?:leg|legs|arm|arms|shoulder|hand|foot|feet|thigh|knee|back|chest|stomach|abdomen)", "injured"),
    (r"injured|wounded|hurt|maimed|hospitali[sz]ed", "injured"),
    (r"(?:in|at)\s+(?:a\s+|the\s+)?(?:local\s+)?hospitals?(?!\s+(?:staff|workers|beds|director))", "injured_aux"),
    # missing
    (r"(?:trapped|cut\s+off|marooned)\s+by\s+(?:the\s+)?(?:rising\s+)?(?:flood\s*waters|waters|floods?|flooding|water)", "affected"),
    (r"unaccounted\s+for|missing|trapped", "missing"),
    # displaced
    (r"forced\s+(?:to\s+flee|from|out\s+of|out|to\s+leave)", "displaced"),
    (r"lost\s+(?:their|his|her)\s+homes?", "displaced"),
    (r"(?:sought|took|taken|seeking)\s+refuge", "displaced"),
    (r"left\s+without\s+(?:shelter|homes?|a\s+home|a\s+roof)", "displaced"),
    (r"crossed\s+(?:the\s+border\s+)?into|crossed\s+the\s+border|fled\s+across", "displaced"),
    (r"displaced|homeless|fled|uprooted", "displaced"),
    # evacuated
    (r"moved\s+to\s+(?:[a-z\-]+\s+){0,2}?(?:safety|ground|shelters?|centres|centers|camps|sites|areas|places|locations)", "evacuated"),
    (r"evacuated|relocated", "evacuated"),
    # rescued
    (r"pulled\s+(?:out\s+)?alive|plucked\s+to\s+safety|brought\s+(?:out|up|to\s+(?:the\s+)?(?:surface|safety))(?:\s+alive)?", "rescued"),
    (r"rescued|saved", "rescued"),
    # arrested
    (r"taken\s+into\s+custody|held\s+in\s+custody|rounded\s+up|placed\s+under\s+arrest", "arrested"),
    (r"arrested|detained|apprehended|jailed", "arrested"),
    # kidnapped
    (r"taken\s+(?:hostage|captive|prisoner)|held\s+(?:hostage|captive)", "kidnapped"),
    (r"taken(?=\s*(?:[,.;:!?)]|$|and\b|from\b|by\b|away\b|during\b|in\b|at\b|on\b|last\b|earlier\b))", "kidnapped"),
    (r"kidnapped|abducted|seized", "kidnapped"),
    # affected
    (r"fell\s+ill|tested\s+positive", "affected"),
    (r"affected|stranded|infected|sickened", "affected"),
    # ambiguous (killed and/or wounded): matched so the number is claimed, never reported
    (r"casualties", "ambiguous"),
    (r"lost", "lives_lost"),       # only after "lives" (checked in the grammar)
]
_PRED_RE = [(re.compile(p), k) for p, k in _PREDICATES]
_PREDICATE = "(?:" + "|".join(p for p, _ in _PREDICATES) + ")"
# The same alternation with one named group per entry, to read the kind off a match.
_PREDICATE_TAGGED = "(?:" + "|".join(f"(?P<p{n}>{p})" for n, (p, _) in enumerate(_PREDICATES)) + ")"

# Nouns that carry the kind themselves when they head the noun phrase ("37 deaths", "12 refugees").
_NOMINAL_HEADS = {
    "deaths": "killed", "death": "killed", "fatalities": "killed", "fatality": "killed",
    "lives": "killed", "martyrs": "killed",
    "injuries": "injured", "injury": "injured",
    "refugees": "displaced", "idps": "displaced", "evacuees": "evacuated",
    "arrests": "arrested", "detainees": "arrested",
    "cases": "affected",
    "casualties": "ambiguous", "casualty": "ambiguous",
}

# Active verbs before the number ("killing N", "the arrest of N"), mapped to kinds.
_ACTIVE: list[tuple[str, str]] = [
    (r"shot\s+dead|shooting\s+dead|shoots\s+dead|gunned\s+down|gunning\s+down", "killed"),
    (r"(?:burn(?:ed|t|ing|s)?|bur(?:ied|ying))\s+alive|(?:hack(?:ed|ing|s)?|stabb(?:ed|ing)|stabs?|beat(?:en|ing|s)?|"
     r"ston(?:ed|ing|es)|clubb(?:ed|ing)|bludgeon(?:ed|ing|s)?|crush(?:ed|ing|es)|trampl(?:ed|ing|es)|tortur(?:ed|ing|es))\s+to\s+death|"
     r"lynch|lynched|lynching|lynches", "killed"),
    (r"(?:claim|claimed|claiming|claims|took|taking|take|takes|cost|costing|costs)\s+the\s+lives\s+of", "killed"),
    (r"kill|kills|killed|killing|massacred|massacring|murdered|murdering|slaughtered|slaughtering|"
     r"executed|executing|beheaded|beheading|neutrali[sz]ed|neutrali[sz]ing", "killed"),
    (r"(?:deaths?|killings?|murders?|massacre|execution|executions)\s+of", "killed"),
    (r"wound|wounds|wounded|wounding|injure|injures|injured|injuring|hurt|hurting|hurts|maimed|maiming", "injured"),
    (r"(?:injuring|wounding)\s+of|injuries\s+to", "injured"),
    (r"displace|displaces|displaced|displacing|uprooted|uprooting", "displaced"),
    (r"(?:forced|forcing|forces|force|drove|driving|drives)(?=\s+⟦\d+⟧[a-z\s\-']{0,40}?\s(?:to\s+flee|to\s+leave|from\s+their|out\s+of\s+their|from\s+(?:the\s+)?area))", "displaced"),
    (r"displacement\s+of", "displaced"),
    (r"evacuate|evacuates|evacuated|evacuating|relocate|relocates|relocated|relocating|evacuation\s+of|relocation\s+of", "evacuated"),
    (r"rescue|rescues|rescued|rescuing|rescue\s+of|saved|saving|pulled|pulling|plucked", "rescued"),
    (r"freed|freeing|frees|release\s+of|released|releasing|secured\s+the\s+release\s+of", "freed"),
    (r"arrest|arrests|arrested|arresting|detain|detains|detained|detaining|apprehended|apprehending|"
     r"rounded\s+up|rounding\s+up|jailed|arrest\s+of|arrests\s+of|detention\s+of", "arrested"),
    (r"(?:took|taken|taking|takes|take|held|holding)\s+(?:as\s+)?(?:hostage|captive)", "kidnapped"),
    (r"kidnap|kidnaps|kidnapped|kidnapping|abduct|abducts|abducted|abducting|seized|seizing|"
     r"kidnapping\s+of|abduction\s+of", "kidnapped"),
    (r"trap|traps|trapped|trapping", "missing"),
    (r"affect|affects|affected|affecting|infect|infects|infected|infecting|stranded|stranding|sickened|sickening", "affected"),
    (r"home\s+to|population\s+of|populated\s+by|inhabited\s+by|populations?\s+(?:is|was|stands\s+at|stood\s+at|of\s+about|numbers|numbered|totals|totalled|totaled|reached|exceeds|exceeded|:)|"
     r"(?:city|town|village|district|county|province|country|region|area|municipality|island|camp|settlement|nation|state)\s+of(?=\s+⟦\d+⟧(?:[a-z\s\-]{0,20}?\s(?:people|inhabitants|residents|persons|souls)|\s*(?:[,.;)]|$|\s+(?:and|in|on|near|which|that|where)\b)))", "population"),
    (r"hosting|hosts|host|housing|houses|sheltering|shelters", "host"),
]
_ACTIVE_ALT = "|".join(f"(?P<v{n}>{p})" for n, (p, _) in enumerate(_ACTIVE))
_VERBS_NEEDING_PERSON = re.compile(r"seiz|sav|pull|pluck|affect|strand|host|hous|shelter|rescu")

_AUX = _alt("""was were is are be been being has have had got get gets getting remain remained
remains remaining reportedly allegedly reported confirmed believed feared thought said known presumed
estimated officially also all both each still now later already since subsequently eventually
initially previously apparently either critically seriously severely badly fatally mortally slightly
lightly gravely grievously moderately so far to left made rendered then tragically instantly
immediately may might could would will shall should can cannot not never expected likely set going
further additionally too themselves mostly reported""".split())
_MODAL_REJECT = re.compile(r"\b(?:could|would|will|shall|should|can|cannot|might|expected|likely|set|going|not|never|n't)\b")

_STOP = _alt("""was were is are be been being has have had got get gets remain remained remains
reportedly allegedly in on at from by for with during after before near across into onto to of as
since when while amid following including among and or but nor that who which whom whose the a an
this these those his her their its our my your they he she it we them him said says say told survived survive
survives escaped escape released freed returned
according than then also all both each still now later more about around over under some there here
what where why how if unless whether because so such just only even very as per via against between
through towards toward upon within without off ahead outside inside along behind beyond aboard
overnight yesterday today tonight last this next earlier ago later early late monday tuesday wednesday
thursday friday saturday sunday january february march april may june july august september october
november december morning afternoon evening night weekend""".split() + [p for p, _ in _PREDICATES if re.fullmatch(r"[a-z|]+", p)]
                 + ["killed", "dead", "died", "injured", "wounded", "hurt", "missing", "displaced",
                    "homeless", "fled", "evacuated", "relocated", "rescued", "arrested", "detained",
                    "kidnapped", "abducted", "seized", "affected", "stranded", "infected", "taken",
                    "trapped", "shot", "lost", "forced", "held", "treated", "sustained", "suffered",
                    "moved", "pulled", "found", "gunned", "unaccounted", "fell", "tested", "perished",
                    "drowned", "slain", "murdered", "executed", "beheaded", "neutralized", "neutralised",
                    "may", "might", "could", "would", "will", "shall", "should", "can", "not", "never"])
_NPWORD = rf"(?:(?!(?:{_STOP})\b)[a-z\u00c0-\u024f][\w'’\-\u2010\u2011]*|⟦x⟧[\-\u2010\u2011][a-z][\w\-\u2010\u2011]*)"
_NP = (rf"(?P<np>(?:\s+of\s+(?:them|those|whom|these|(?:the\s+|his\s+|her\s+|their\s+|its\s+)?(?:⟦x⟧\s+)?(?:other\s+)?{_NPWORD}(?:\s+{_NPWORD}){{0,2}}))"
       rf"|(?:\s+(?:more|other|others|additional|another|further)\b)?(?:\s+{_NPWORD}){{0,4}}"
       # a complement: "members of the same family", "passengers on the bus", "people in the village"
       rf"(?:(?<=[a-z])\s+(?:of|on|in|from|at|inside|aboard|near)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?"
       rf"{_NPWORD}(?:\s+{_NPWORD}){{0,2}}(?=\s+(?:were|was|are|is|have|had|has|remain|remained|died|dead|killed|injured|wounded|missing)\b"
       rf"|\s*,\s*(?:including|among\s+them)\b)"
       # coordinated heads: "53 soldiers and gendarmes were killed"
       rf"|(?<=[a-z])\s+(?:and|or)\s+{_NPWORD}(?:\s+{_NPWORD})?(?=\s+(?:were|was|are|have|had|died|dead|killed|injured|wounded|missing)\b))?)")
_MARK = r"⟦(?P<i>\d+)⟧"

# Passive / nominal: N [NP] [, including ...,] [who ...] [aux...] PREDICATE
_PASSIVE = re.compile(
    _MARK + _NP
    + r"(?:\s+aged\s+(?:between\s+|from\s+)?⟦x⟧(?:\s*(?:and|to|-|–)\s*⟦x⟧)?)?"
    + r"(?P<paren>\s*,\s*(?:including|among\s+them|among\s+whom|mostly|mainly|most\s+of\s+them|many\s+of\s+them|all\s+of\s+them|some\s+of\s+them|of\s+whom|most\s+of\s+whom|many\s+of\s+whom|all\s+of\s+whom|aged|all|both|mainly|believed\s+to\s+be|thought\s+to\s+be)\b[^,;]{0,60},"
    + r"|\s*,\s*(?:according\s+to\s+[^,;⟦]{1,60}|(?:[^,;⟦]{1,40}\s)?(?:said|says|reported|added|confirmed|told\s+[^,;⟦]{1,30}))\s*,)?"
    + r"(?P<rel>\s+(?:who|that)\b(?:\s+(?!(?:who|that)\b)[^\s,;⟦]+){0,8}?)?"
    + rf"(?P<aux>(?:\s+(?:{_AUX}|n't))*?)"
    + rf"\s+(?P<pred>{_PREDICATE_TAGGED})\b"
)
# Active: VERB [a total of | another] N [NP]
_ACTIVE_PAT = re.compile(
    rf"\b(?P<verb>{_ACTIVE_ALT})\s+(?:(?:a\s+total\s+of|another|an\s+additional|a\s+further|an\s+estimated|all|all\s+the|the|its|their|both)\s+)?"
    + _MARK + _NP
)
_LIVES = re.compile(r"\b(?:claim|claimed|claiming|claims|took|taking|take|takes|cost|costing|costs)\s+" + _MARK
                    + r"(?:\s+(?:more|other|additional|civilian|innocent|human|young))*\s+lives\b")
_BODIES = re.compile(
    r"\b(?:recovered|recovering|recover|found|finding|retrieved|retrieving|pulled|pulling|exhumed|discovered|discovering|collected|unearthed)\s+"
    r"(?:the\s+(?:dead\s+|lifeless\s+|charred\s+|mutilated\s+)?(?:bodies|corpses|remains)\s+of\s+" + _MARK + r"(?P<np>(?:\s+[a-z\-]+){0,2})"
    r"|⟦(?P<h>\d+)⟧(?P<np4>(?:\s+[a-z\-]+){0,2}?)\s+(?:bodies|corpses))"
    r"|" + r"⟦(?P<j>\d+)⟧(?P<np2>(?:\s+[a-z\-]+){0,2}?)\s+(?:bodies|corpses)\s*,?\s+(?:[\w'’\-]+,?\s+){0,8}?(?:recovered|found|retrieved|pulled|exhumed|discovered|washed|unearthed)\b"
    r"|" + r"\b(?:bodies|corpses|remains)\s+of\s+⟦(?P<k>\d+)⟧(?P<np3>(?:\s+[a-z\-]+){0,3}?)\s+(?:\w+\s+){0,3}?(?:recovered|found|retrieved|pulled|exhumed|discovered|washed|unearthed)\b"
)
# "held 30 passengers hostage", "took 12 people captive"
_HOSTAGE = re.compile(r"\b(?:held|holding|holds|hold|took|taking|takes|take|seized|kept|keeping)\s+" + _MARK + _NP
                      + r"\s+(?:as\s+)?(?:hostages?|captives?|prisoners?)\b")
_POPULATION_IS = re.compile(
    r"\bpopulation\b(?P<mid>[^⟦.;]{0,40}?)\b(?:is|was|stands\s+at|stood\s+at|of|at|numbers|numbered|reached|exceeds|"
    r"exceeded|totals|totalled|totaled|:)\s*" + _MARK + _NP)
_TOLL = re.compile(
    r"\b(?P<w>death|deaths|casualty|fatality|fatalities|injury|injuries|the|final|official|overall|total|its|latest|new|provisional|updated|current|human)?"
    r"(?:\s+(?:death|casualty|injury))?\s+(?:toll|tally|count|figure)\b(?P<mid>(?:[^⟦.;]|⟦x⟧){0,80}?)"
    r"\b(?P<link>rose|risen|rises|rising|climbed|climbs|climbing|jumped|jumps|increased|increases|reached|reaches|reach|hit|hits|"
    r"stood\s+at|stands\s+at|standing\s+at|is|was|to|at|of|exceeded|exceeds|surpassed|surpasses|topped|tops|passed|"
    r"crossed|now|:)\s*(?:(?:past|beyond|above)\s+)?" + _MARK + _NP
)
# "Deaths from the floods have reached 70", "fatalities rose to 30"
_COUNT_NOUN_RISES = re.compile(
    r"\b(?P<w>deaths|fatalities|injuries|arrests|casualties|evacuations|abductions)\b(?P<mid>(?:[^⟦.;,]|⟦x⟧){0,50}?)"
    r"\b(?:rose|risen|rises|climbed|climbs|jumped|increased|reached|reaches|hit|hits|stood\s+at|stands?\s+at|"
    r"totalled|totaled|total|totals|topped|tops|exceeded|exceed|exceeds|surpassed|surpass|passed|numbered|number)\s+(?:to\s+|at\s+)?" + _MARK + _NP)
_NUMBER_OF = re.compile(
    r"\bnumber\s+of\s+(?:(?:people|those|persons|civilians|victims)\s+)?(?P<w>dead|deaths|killed|fatalities|martyrs|injured|wounded|injuries|"
    r"missing|displaced|evacuated|evacuees|arrested|arrests|detained|kidnapped|abducted|rescued|affected|refugees|cases|homeless)\b"
    r"(?P<mid>(?:[^⟦.;]|⟦x⟧){0,60}?)"
    r"\b(?:rose|risen|rises|climbed|jumped|increased|reached|reaches|hit|hits|stood\s+at|stands\s+at|is|was|to|at|exceeded|surpassed|topped|:)\s*"
    + _MARK + _NP
)
_THE_DEAD = re.compile(
    r"\b(?:(?:the|those)\s+(?P<w>dead|killed|injured|wounded|missing|arrested|detained|kidnapped|abducted|rescued|evacuated|displaced|fatalities|deaths)"
    r"(?:\s+[a-z\-]+){0,2}?\s+(?:included|include|includes|including|were|are|comprised|comprise|numbered|number|totalled|totaled|totaled)"
    r"|among\s+(?:the|those)\s+(?P<w2>dead|killed|injured|wounded|missing|arrested|detained|kidnapped|abducted|rescued|evacuated|displaced)"
    r"(?:\s+(?:were|are|was|is))?)"
    r"\s+(?:(?:a\s+total\s+of|at\s+least)\s+)?" + _MARK + _NP
)
_SUBSET = re.compile(
    r"(?:\bincluding|\bincl\.?|\bamong\s+(?:them|whom|those)(?:\s+(?:were|are|was))?|\bof\s+(?:whom|them|those)|\bmostly|\bmainly|\bincluded)\s+"
    r"(?:(?:at\s+least|as\s+many\s+as)\s+)?" + _MARK + _NP
)
_BEFORE_COORD = re.compile(_MARK + _NP + r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)$")
# ", 11 of them children" after a fact: a subset with its own subject
_SUBSET_AFTER = re.compile(r",\s*" + _MARK + r"\s+of\s+(?:them|whom)\s+(?:were\s+|are\s+|being\s+)?(?P<np>(?:\s*[a-z][\w'’\-]*){1,3})")
# "..., bringing the total to 45": a running total of the same kind as the fact before it
_RUNNING_TOTAL = re.compile(
    r"\b(?:bringing|raising|taking|pushing|brings|raises|takes|pushes|brought|raised|took|pushed)\s+(?:the\s+|its\s+)?"
    r"(?:overall\s+|total\s+|cumulative\s+)?(?:total|tally|number|figure|count)\b(?:\s+[a-z]+){0,3}?\s+to\s+" + _MARK + _NP)
_MARK_NP = re.compile(_MARK + _NP)
# "members of one family": "one" is no count
_ONE_FAMILY = re.compile(r"(?<=\b[oO]ne)\s+(?:single\s+)?(?:family|household|clan)\b")
# "took 40 of them into custody"
_CUSTODY = re.compile(r"\b(?:took|taken|taking|takes|take)\s+" + _MARK + _NP + r"\s+into\s+(?:police\s+)?custody\b")
# "Nine soldiers were among the 31 people killed": a part of the count after it
_AMONG_COUNT = re.compile(_MARK + _NP + r"\s+(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:(?:the|those)\s+)?⟦(?P<j>\d+)⟧")
# "two-thirds of the town's 60,000 inhabitants have fled": the number is the whole, not those who fled
_FRACTION_OF = re.compile(r"\b(?:half|halves|thirds?|quarters?|fifths?|tenths?|percent|per\s+cent|%|majority|most|some|many|"
                          r"part|parts|rest|remainder|bulk|fraction|proportion|share|few)\s+of\s+"
                          r"(?:(?:the|its|their|his|her|these|those|[a-z\-]+['’]s)\s+)*(?:(?:estimated|entire|whole|total)\s+)?$")
_OF_THE_GROUP = re.compile(_MARK + r"\s+of\s+(?:the|those)\s+(?P<w>wounded|injured|dead|killed|missing|abducted|kidnapped|"
                           r"arrested|detained|displaced|evacuated|evacuees|rescued)\b(?!\s+(?:soldiers|people|[a-z]+s)\b)")
_FIELD = re.compile(r"(?:^|[.;]\s*|\(\s*)(?P<w>fatalities|deaths|killed|dead|injured|wounded|injuries|arrested|arrests|abducted|"
                    r"kidnapped|displaced|missing)\s*:\s*" + _MARK + r"(?!\s*[a-z])"
                    r"|\b(?:and|,)\s+(?:the\s+)?(?:number\s+of\s+)?(?P<w2>injured|wounded|dead|missing|displaced|injuries)\s+at\s+⟦(?P<j>\d+)⟧")
# "stabbing 2 people to death", "beat a man to death" (not "sentenced 12 people to death")
_TO_DEATH = re.compile(r"\b(?:stabb(?:ed|ing)|stabs?|beat|beats|beating|beaten|burn(?:ed|ing|t|s)?|hack(?:ed|ing|s)?|"
                       r"ston(?:ed|ing|es)|clubb(?:ed|ing)|crush(?:ed|ing|es)|trampl(?:ed|ing|es)|shoot(?:ing|s)?|shot|"
                       r"bludgeon(?:ed|ing|s)?|starv(?:ed|ing|es)|lynch(?:ed|ing|es)?|torture(?:d|s)?|torturing)\s+"
                       + _MARK + _NP + r"\s+(?:to\s+death|dead)\b")
_CONTINUATION = re.compile(r"\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|\s+plus\s+)"
                           r"(?:(?:his|her|their|its)\s+)?" + _MARK + _NP)
_RESIDENTS = re.compile(
    r"(?:\b(?:home\s+to|has|have|had|with|its|their|'s|’s)\s+(?:(?:a\s+total\s+of|roughly|about)\s+)?)" + _MARK
    + r"(?P<np>(?:\s+[a-z\-]+){0,2}?\s+(?:inhabitants|residents|people\s+live|people\s+living|souls))\b"
    r"|" + r"⟦(?P<j>\d+)⟧(?P<np2>(?:\s+[a-z\-]+){0,1}?\s+(?:people|residents|inhabitants))\s+(?:live|lived|living|reside|resided)\s+in\b"
)
_ZERO = re.compile(
    r"(?P<z>\bno\s+one|\bno-one|\bnobody|\bnone)\s+(?:else\s+)?(?:(?:was|were|is|are|has|have|had|been|being|got|reportedly|seriously|"
    r"critically|badly|believed|thought|reported|known|to|of\s+(?:them|the\s+[a-z]+))\s+){0,4}"
    r"(?P<pred>killed|dead|died|hurt|injured|wounded|harmed|missing|arrested|detained|kidnapped|abducted|displaced)\b"
    r"|(?P<z2>\bno)\s+(?:(?:reported|known|other|serious|civilian|human|major|confirmed)\s+)?"
    r"(?P<pred2>deaths|fatalities|casualties|injuries|arrests|(?:lives|one|people|persons|civilians)\s+(?:were|was|have\s+been|had\s+been|has\s+been)\s+(?:killed|lost|injured|hurt|wounded))\b"
    r"(?:\s+or\s+(?P<pred3>injuries|deaths|casualties))?"
    r"|(?P<z3>\bwithout)\s+(?:any\s+)?(?P<pred4>casualties|injuries|fatalities|loss\s+of\s+life|deaths)\b"
    r"|(?P<z4>\bnone)\s+of\s+(?:the\s+|its\s+|their\s+)?(?:⟦\d+⟧\s+)?(?:[a-z\-]+\s+){0,3}?(?:was|were|had\s+been|has\s+been|have\s+been|got)\s+"
    r"(?:(?:seriously|badly|reportedly)\s+)?(?P<pred5>killed|hurt|injured|wounded|harmed)\b"
    r"|(?<!\bnot\s)\b(?P<pred6>killed|killing|injured|injuring|wounded|wounding|hurt|hurting)\s+(?P<z6>no\s+one|nobody)\b"
)
_NONE_SURVIVED = re.compile(r"\bnone\s+of\s+(?:the\s+|its\s+|their\s+)?" + _MARK + _NP
                            + r"(?:\s+(?:on\s+board|aboard|inside))?\s+(?:survived|made\s+it\s+out\s+alive|escaped\s+alive)\b")
_TREATED_FOR = re.compile(r"\b(?:treated|treating|treats|admitted|admitting)\s+" + _MARK + _NP
                          + r"\s+(?:for|with)\s+(?:[a-z\-]+\s+){0,2}?(?:injuries|wounds|burns|gunshot\s+wounds)\b")
_NONE_OF = re.compile(r"\bnone\s+of\s+(?:the\s+|its\s+|their\s+)?" + _MARK)
_ZERO_KIND = {"killing": "killed", "injuring": "injured", "wounding": "injured", "hurting": "injured","killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed", "fatalities": "killed",
              "casualties": "killed", "lost": "killed", "loss of life": "killed",
              "hurt": "injured", "injured": "injured", "wounded": "injured", "harmed": "injured", "injuries": "injured",
              "missing": "missing", "arrested": "arrested", "detained": "arrested", "arrests": "arrested",
              "kidnapped": "kidnapped", "abducted": "kidnapped", "displaced": "displaced"}

# Things counted that are not people: never a casualty kind (DESIGN: animals, homes, money).
_NON_PERSON = frozenset("""
homes home houses house buildings building structures shelters tents livestock cattle cows cow goats
sheep camels animals animal heads head birds chickens poultry dogs horses donkeys pigs fish hectares
acres km kilometres kilometers miles metres meters tonnes tons kg vehicles cars trucks boats ships
schools hospitals villages towns districts counties provinces dollars euros pounds percent years
days hours weeks months minutes times rounds rockets missiles shells bombs drones aircraft planes
jets tanks weapons guns rifles shops businesses crops trees roads bridges sites facilities
mosques churches incidents attacks strikes airstrikes raids points goals seats votes
tablets doses pills tonnes barrels litres liters gallons kilograms pounds flights elephants lions rhinos
wolves bears deer whales dolphins turtles monkeys cats rats mice mosquitoes locusts bees ducks hens fowl
buffalo buffaloes oxen mules calves lambs pets computers devices accounts hectare acre""".split())
_PERSONISH = frozenset("""people persons person civilians civilian children child men man women woman
soldiers soldier troops police policemen officers residents villagers others students pupils workers
members fighters militants rebels attackers gunmen protesters demonstrators passengers migrants
refugees survivors victims hostages captives abductees detainees prisoners inmates pilgrims worshippers
personnel staff crew family relatives""".split())
_SUBJECT_SKIP = frozenset("of more other additional another further the".split())

# Singular person nouns that make "a"/"an" the number one ("a soldier was killed", "killing a civilian").
_PERSON_SINGULAR = frozenset("""
man woman child boy girl baby infant toddler teenager teen youth person civilian soldier policeman
policewoman officer guard trooper member resident villager farmer herder student pupil teacher
journalist reporter photographer worker driver passenger pilgrim protester demonstrator militant
fighter rebel insurgent gunman attacker bomber suspect leader commander chief official doctor nurse
medic paramedic volunteer trader shopkeeper vendor worshipper priest imam pastor cleric elder mother
father son daughter wife husband brother sister relative tourist migrant refugee prisoner inmate
detainee hostage miner fisherman motorist cyclist pedestrian sergeant captain colonel general
lieutenant politician councillor mayor governor activist employee contractor engineer citizen
national foreigner local shepherd labourer laborer boatman rider security guard staffer
thief robber bandit kidnapper criminal herdsman herdswoman fisherwoman businessman businesswoman
cameraman chairman spokesman congressman lawmaker legislator minister deputy judge lawyer prosecutor
policeman gendarme militiaman militia-man jihadist extremist terrorist separatist rebel combatant
christian muslim hindu monk nun missionary catechist chief headman landlord tenant neighbour neighbor
pilot sailor seaman crewman crew-member firefighter rescuer ranger warden soldier marine airman
infantryman recruit conscript veteran colonel major corporal private commando sniper insurgent
cleric scholar professor lecturer principal headteacher schoolboy schoolgirl student learner
patient doctor surgeon pharmacist midwife health-worker aid-worker humanitarian peacekeeper
observer contractor technician mechanic electrician trucker porter miner villager farmer peasant
hunter poacher smuggler trafficker dealer vendor hawker merchant customer shopper diner guest
bystander passer-by passerby onlooker witness survivor victim youngster adolescent minor newborn
groom bride guest host driver's girlfriend ruler king emir sultan chieftain guide mourner musician singer cashier bodyguard guard escort companion colleague friend
partner stepson stepdaughter grandson granddaughter child-soldier teenager toddler boyfriend grandmother grandfather uncle aunt cousin nephew niece fiancée fiance
""".split())
# "two Indian nationals and a Pakistani": a demonym used as a noun is a person
_PERSON_SINGULAR = _PERSON_SINGULAR | frozenset(d.lower() for d in DEMONYMS if " " not in d) | frozenset(
    "mastermind ringleader accomplice gunman".split())
_ARTICLE_ONE = re.compile(r"\b(?P<a>an?)(?=\s+(?P<words>(?:[\w'’\-\u2010\u2011]+\s+){0,3}[\w'’\-\u2010\u2011]+))", re.IGNORECASE)
_ANOTHER_PRONOUN = re.compile(r"(?<=\s)another(?=\s*(?:[,.;:!?)]|$|\s+(?:and|in|on|at|was|were|is|who|later|by|during|when|while|after|succumbed|died|sustained|suffered)\b))", re.IGNORECASE)
_DEFINITE_AFTER_VERB = re.compile(
    r"\b(?:killing|killed|kills|kill|wounding|wounded|injuring|injured|abducting|abducted|kidnapping|kidnapped|"
    r"beheading|beheaded|executing|executed|murdering|murdered|shot\s+dead|shooting\s+dead|abducting|"
    r"lynched|lynching|(?:stabbed|hacked|beat|beaten|burnt|burned)\s+to\s+death|(?:took|taking)\s+hostage|"
    r"arresting|arrested|detaining|detained|including|among\s+them|among\s+whom)\s+"
    r"(?P<a>the|his|her|their)(?=\s+(?P<words>\w[\w'’\-]*(?:\s+[A-Za-z][\w'’\-]*)?))"
    # "a journalist and his bodyguard", "a woman and her child": a singular coordinated with a count
    r"|(?<=\w)\s+(?:and|as\s+well\s+as)\s+(?P<a2>the|his|her|their)(?=\s+(?P<words2>\w[\w'’\-]*(?:\s+[A-Za-z][\w'’\-]*)?)"
    r"(?:\s+(?:were|was|have|had|are|died)\b|\s*[,.;]|\s*$|\s+(?:in|near|at|on|during|before|after|when|outside|inside|from|"
    r"with|who|while|as)\b))", re.IGNORECASE)
_ARTICLE_BLOCKERS = frozenset("""total number lot few couple handful dozen hundred thousand million further another
and or of the was were is are has had by with in on at who that which""".split())

_HYPOTHETICAL_BEFORE_VERB = re.compile(
    r"(?:\b(?:could|would|might|will|shall|should|can|cannot|to|not|never|threaten\w*|vow\w*|plan\w*|intend\w*|"
    r"aim\w*|attempt\w*|tr(?:y|ied|ies|ying)|want\w*|warn\w*|fear\w*|risk\w*|potentially|enough|if|unless|"
    r"would\s+have|could\s+have|might\s+have)|n't|cannot)\s+(?:(?:have|be|been|also|still|potentially|easily|further)\s+)*$")
# Denials bind to what follows them: "denied that 50 were killed", "rejected claims that ...",
# not "denied responsibility for the attack, which killed 12".
# "claimed to have killed", "is believed to have abducted": reported, not hypothetical
_REPORTED_PERFECT = re.compile(
    r"\b(?:claim\w*|said|says|reported(?:ly)?|believed|thought|known|alleged(?:ly)?|estimated|appears?|appeared|"
    r"seems?|seemed|understood|confirmed|admitted|acknowledged)\s+to\s+have\s+(?:been\s+|also\s+)*$")


def _hypothetical(before: str) -> bool:
    """True when the text just before a verb makes it a threat, a possibility or a negation."""
    return bool(_HYPOTHETICAL_BEFORE_VERB.search(before)) and not _REPORTED_PERFECT.search(before)


_DENIAL = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|refut(?:e|ed|es|ing)|reject(?:ed|s|ing)?|dismiss(?:ed|es|ing)?|disput(?:e|ed|es|ing))"
    r"\s+(?:(?:the|a|any|those|these|earlier|media|press|online)\s+)*(?:that|reports?|claims?|allegations?|accusations?|"
    r"suggestions?|rumou?rs?|figures?|tolls?|having|it\s+had|they\s+had)\b[^;⟦]{0,60}$"
    r"|\b(?:false(?:ly)?|untrue|no\s+evidence|unfounded|baseless|fake|rumou?red)\b[^;,⟦]{0,40}$")
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether|lest|in\s+case)\b[^,;]{0,60}$")
_FORECAST_MID = re.compile(r"\b(?:could|would|might|may|will|shall|expected|likely|feared|fear|fears|projected|forecast|"
                           r"predicted|estimated\s+to|set\s+to|threatens|threatened|risk)\b")
_ACTIVE_OBJECT = re.compile(r"\s+(?:⟦\d+⟧|(?:a|an|the|his|her|their|its|him|them|us|me|dozens|scores|hundreds|thousands|"
                            r"several|many|some|at\s+least|more\s+than)\b)")
_AMBIGUOUS_AFTER = re.compile(r"\s+(?:or|and/or|and)\s+(?:injured|wounded|hurt|killed)\b")


@dataclass
class _Skeleton:
    text: str                       # lower-cased sentence with markers
    seg_skel: list[int]             # skeleton start of each original segment
    seg_orig: list[int]             # matching original (sentence-relative) start

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
        chunk = sentence[pos:m.start]
        parts.append(chunk)
        skel_len += len(chunk)
        marker = f"⟦{i}⟧" if usable[i] else "⟦x⟧"
        parts.append(marker)
        skel_len += len(marker)
        pos = m.end
        seg_skel.append(skel_len)
        seg_orig.append(pos)
    parts.append(sentence[pos:])
    return _Skeleton("".join(parts).lower(), seg_skel, seg_orig)


def _article_mentions(sentence: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """"a"/"an" before a singular person noun, as the number one (a judgement call, applied
    consistently: only when the grammar then finds a casualty predicate for it)."""
    if not _MAY_HAVE_SINGULAR.search(sentence):
        return mentions
    extra = []
    taken = [(m.start, m.end) for m in mentions]
    for m in _ARTICLE_ONE.finditer(sentence):
        words = m.group("words").lower().split()
        for w in words:
            if w in _PERSON_SINGULAR:
                break
            if w in _ARTICLE_BLOCKERS:
                words = []
                break
        else:
            words = []
        if not words:
            continue
        if any(s < m.end("a") and m.start("a") < e for s, e in taken):
            continue
        extra.append(NumberMention(m.start("a"), m.end("a"), m.start("a"), 1.0, 1.0, 1.0, "exact",
                                   words=True, nonfact="article"))
    # "killing the groom": a definite singular right after an active casualty verb is one person
    # (only there: "the police chief was killed" repeats someone already counted, or no one)
    for m in _DEFINITE_AFTER_VERB.finditer(sentence):
        g = "a" if m.group("a") else "a2"
        words = m.group("words" if g == "a" else "words2").lower().split()
        if words[0] not in _PERSON_SINGULAR and not (len(words) > 1 and words[1] in _PERSON_SINGULAR
                                                     and words[0] not in _ARTICLE_BLOCKERS):
            continue
        if not any(s < m.end(g) and m.start(g) < e for s, e in taken):
            extra.append(NumberMention(m.start(g), m.end(g), m.start(g), 1.0, 1.0, 1.0, "exact",
                                       words=True, nonfact="article"))
    # "killing one and injuring another": the pronoun "another" as one person
    for m in _ANOTHER_PRONOUN.finditer(sentence):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            extra.append(NumberMention(m.start(), m.end(), m.start(), 1.0, 1.0, 1.0, "exact",
                                       words=True, nonfact="article_pronoun"))
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
    while words and words[0].lower() in _SUBJECT_SKIP:
        words = words[1:]
    if words and words[0].lower() in ("them", "those", "whom", "these"):
        return None, [w.lower() for w in words]
    # adverbs are not the counted noun: "5 seriously hurt", "2 of them seriously"
    while words and words[-1].lower().endswith("ly") and words[-1].lower() not in ("family", "ally", "elderly"):
        words = words[:-1]
    if not words:
        return None, []
    lowered = [w.lower().strip(",.;:'’\"") for w in words]
    return (" ".join(words).strip(",.;:") or None), lowered


def _is_non_person(words: list[str]) -> bool:
    return bool(words) and (words[-1] in _NON_PERSON or words[0] in _NON_PERSON)


def sentence_casualties(text: str, sent: Sentence) -> tuple[list[CasualtyFact], list[tuple[int, int]]]:
    """Casualty/population facts of one sentence and the spans it claims as non-facts."""
    s_text = sent.text
    claimed: list[tuple[int, int]] = []
    facts: list[CasualtyFact] = []
    mentions = find_numbers(s_text) if _ANY_DIGIT.search(s_text) or _MAY_HAVE_WORD_NUMBER.search(s_text) else []
    mentions = _article_mentions(s_text, mentions)
    base = sent.start
    for m in mentions:
        if m.nonfact in CLAIMED_NONFACTS:
            claimed.append((base + m.start, base + m.end))
    mentions = [m for m in mentions if not _ONE_FAMILY.match(s_text, m.end)]
    usable = [m.nonfact is None or m.nonfact in ("article", "article_pronoun", "partitive") for m in mentions]
    skel = _build_skeleton(s_text, mentions, usable)
    sk = skel.text
    assigned: dict[int, tuple[str, str | None, int]] = {}   # mention index -> (kind, subject, span end override)
    rejected: set[int] = set()
    passive_assigned: set[int] = set()

    def assign(i: int, kind: str, subject: str | None, np_words: list[str], match: re.Match, np_group: str = "np"):
        if i in assigned or i in rejected:
            return
        m = mentions[i]
        if kind == "ambiguous":
            rejected.add(i)
            return
        if kind != "population" and _is_non_person(np_words):
            return                                  # "killed 3.8 million livestock": a statistic
        if m.nonfact == "article":
            # "a man accused of blasphemy": the head noun first, a participle after it
            if not np_words or (np_words[-1] not in _PERSON_SINGULAR and not (
                    len(np_words) > 1 and np_words[-2] in _PERSON_SINGULAR and np_words[-1].endswith("ed"))):
                return
        before = sk[max(0, match.start() - 120):match.start()]
        if _DENIAL.search(before[-80:]) or _CONDITIONAL.search(before.split(",")[-1] + " "):
            rejected.add(i)
            return
        span_end = m.end
        if m.nonfact == "article" and match.group(np_group):
            span_end = skel.to_orig(match.end(np_group))
        assigned[i] = (kind, subject, span_end)

    # 1. zero claims ("no one was killed")
    for z in _ZERO.finditer(sk):
        preds = [p for p in (z.group("pred"), z.group("pred2"), z.group("pred3"), z.group("pred4"),
                             z.group("pred5"), z.group("pred6")) if p]
        zgroup = next(g for g in ("z", "z2", "z3", "z4", "z6") if z.group(g))
        if zgroup == "z6" and _hypothetical(sk[max(0, z.start() - 60):z.start()]):
            continue
        zs, ze = skel.to_orig(z.start(zgroup)), skel.to_orig(z.end(zgroup))
        if _DENIAL.search(sk[max(0, z.start() - 80):z.start()]) or _CONDITIONAL.search(sk[max(0, z.start() - 80):z.start()].split(",")[-1] + " "):
            continue
        kinds = []
        for p in preds:
            p = re.sub(r"\s+", " ", p)
            key = p.split()[-1] if p.split()[-1] in _ZERO_KIND else p
            kinds.append(_ZERO_KIND.get(key, _ZERO_KIND.get(p.split()[-1])))
        for kind in dict.fromkeys(k for k in kinds if k):
            facts.append(CasualtyFact(kind, 0.0, 0.0, 0.0, "exact", None, base + zs, base + ze, sent))

    if not any(usable):
        return facts, claimed
    for t in _NONE_SURVIVED.finditer(sk):       # "none of the 44 passengers survived": 44 dead
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), "killed", subj, words, t)
    for t in _TREATED_FOR.finditer(sk):
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), "injured", subj, words, t)
    for t in _NONE_OF.finditer(sk):
        rejected.add(int(t.group("i")))      # "none of the 30 passengers was hurt": 30 is no toll

    # 2. explicit tolls and lists of the dead
    for t in _TOLL.finditer(sk):
        i = int(t.group("i"))
        if re.search(r"\b(?:take|takes|took|taken|taking|heavy|terrible|huge|high|emotional|psychological)\s+(?:a\s+|its\s+|their\s+|an?\s+\w+\s+)?$",
                     sk[max(0, t.start() - 30):t.start()] + " "):
            continue
        head = sk[t.start():t.start("mid")]
        if not re.search(r"\b(?:death|deaths|casualty|fatality|injury|injuries)\b", head) and \
                not re.search(r"\btoll\b", head):
            continue
        if re.search(r"\b(?:count|figure|tally)\b", head) and not re.search(r"\b(?:death|deaths|casualty|fatality|injury|injuries)\b", head):
            continue
        if "casualty" in head:
            rejected.add(i)
            continue
        kind = "injured" if re.search(r"\binjur", head) else "killed"
        if _FORECAST_MID.search(t.group("mid")) or _FORECAST_MID.search(t.group("link")):
            rejected.add(i)
            continue
        subj, words = _subject(s_text, skel, t)
        assign(i, kind, subj, words, t)
    for t in _COUNT_NOUN_RISES.finditer(sk):
        i = int(t.group("i"))
        if _FORECAST_MID.search(t.group("mid")) or t.group("w") == "casualties":
            rejected.add(i)
            continue
        kind = {"deaths": "killed", "fatalities": "killed", "injuries": "injured", "arrests": "arrested",
                "evacuations": "evacuated", "abductions": "kidnapped"}[t.group("w")]
        subj, words = _subject(s_text, skel, t)
        assign(i, kind, subj, words, t)
    for t in _NUMBER_OF.finditer(sk):
        if _FORECAST_MID.search(t.group("mid")):
            rejected.add(int(t.group("i")))
            continue
        kind = _word_kind(t.group("w"))
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), kind, subj, words, t)
    for t in _THE_DEAD.finditer(sk):
        kind = _word_kind(t.group("w") or t.group("w2"))
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), kind, subj, words, t)
    for t in _LIVES.finditer(sk):
        if _hypothetical(sk[max(0, t.start() - 60):t.start()]):
            rejected.add(int(t.group("i")))
            continue
        assign(int(t.group("i")), "killed", None, [], t)
    for t in _BODIES.finditer(sk):
        i = int(t.group("i") or t.group("h") or t.group("j") or t.group("k"))
        g = "np" if t.group("i") else ("np4" if t.group("h") else ("np2" if t.group("j") else "np3"))
        subj, words = _subject(s_text, skel, t, g)
        assign(i, "killed", subj, [], t, g)

    for t in _TO_DEATH.finditer(sk):
        if _hypothetical(sk[max(0, t.start() - 60):t.start()]):
            rejected.add(int(t.group("i")))
            continue
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), "killed", subj, words, t)
    for t in (_CUSTODY.finditer(sk) if "custody" in sk else ()):
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), "arrested", subj, words, t)
    for t in _HOSTAGE.finditer(sk):
        if _hypothetical(sk[max(0, t.start() - 60):t.start()]):
            rejected.add(int(t.group("i")))
            continue
        subj, words = _subject(s_text, skel, t)
        assign(int(t.group("i")), "kidnapped", subj, words, t)
    for t in _POPULATION_IS.finditer(sk):
        if _FORECAST_MID.search(t.group("mid")) or re.search(r"\b(?:growth|density|decline|increase)\b", t.group("mid")):
            continue
        subj, words = _subject(s_text, skel, t)
        if words and words[-1] not in _PERSONISH and words[-1] not in ("inhabitants", "residents", "souls"):
            continue
        assign(int(t.group("i")), "population", subj, words, t)

    # 3. active verbs before the number
    for t in _ACTIVE_PAT.finditer(sk):
        i = int(t.group("i"))
        verb = re.sub(r"\s+", " ", t.group("verb"))
        kind = next(k for n, (_, k) in enumerate(_ACTIVE) if t.group(f"v{n}") is not None)
        before = sk[max(0, t.start() - 120):t.start()]
        if kind != "population" and _hypothetical(before):
            rejected.add(i)
            continue
        if kind in ("killed", "injured") and re.search(r"\b(?:killed|wounded|injured|hurt)\s+(?:and|or|and/or)\s+$", before):
            rejected.add(i)     # "killed and wounded 12": not a toll of either
            continue
        if verb in ("affect", "affects", "infect", "infects"):
            rejected.add(i)     # "the law affects 2 million renters": a generic present, no report
            continue
        subj, words = _subject(s_text, skel, t)
        if kind == "freed":
            # "freed 22 hostages": a rescue; "released 30 prisoners" is not; "released 2 kidnapped
            # soldiers" reports a release, not an abduction
            if words and words[-1] in ("hostages", "captives", "abductees", "victims", "schoolgirls", "schoolchildren"):
                assign(i, "rescued", subj, words, t)
            elif re.match(r"\s+(?:kidnapped|abducted|detained|arrested|captured|seized)\b", sk[t.end():]):
                rejected.add(i)
            continue
        if kind == "host":
            if words and words[-1] in ("refugees", "idps", "persons", "people") and \
                    re.search(r"\b(?:displaced|refugees|idps)\b", " ".join(words)):
                assign(i, "displaced", subj, words, t)
            continue
        if not words and kind not in ("population", "host"):
            # "rescued 12 kidnapped victims": a participle before the counted noun
            pm = re.match(r"\s+((?:[a-z]+ed)\s+(?:[a-z\-]+\s+){0,1}?(?:[a-z\-]+))\b", sk[t.end():])
            if pm and (pm.group(1).split()[-1] in _PERSONISH or pm.group(1).split()[-1].endswith(("ers", "ians", "ists", "men"))):
                ps = skel.to_orig(t.end() + pm.start(1))
                subj = s_text[ps:ps + len(pm.group(1))]
                words = pm.group(1).split()
        if _VERBS_NEEDING_PERSON.match(verb) and not (words and (words[-1] in _PERSONISH or words[-1] in _PERSON_SINGULAR
                                                                 or words[-1].endswith(("ers", "ians", "ists", "men")))):
            continue
        if kind == "population" and words and words[-1] in ("refugees", "idps", "evacuees") or \
                kind == "population" and "displaced" in words:
            kind = "evacuated" if words[-1] == "evacuees" else "displaced"    # "home to 1 million refugees"
        if kind == "population" and words and words[-1] not in _PERSONISH and words[-1] not in (
                "inhabitants", "residents", "souls", "citizens", "individuals", "households", "families"):
            continue
        if verb.endswith("of") and re.search(r"\b(?:the\s+)?(?:bodies|remains)\s*$", before):
            continue
        assign(i, kind, subj, words, t)

    # 4. passive / nominal predicates after the number
    for t in _PASSIVE.finditer(sk):
        i = int(t.group("i"))
        if i in assigned:
            continue
        pred = re.sub(r"\s+", " ", t.group("pred"))
        kind = next(k for n, (_, k) in enumerate(_PREDICATES) if t.group(f"p{n}") is not None)
        aux = t.group("aux") or ""
        if kind == "injured_aux":       # "115 people were still in hospital" (a bare "N in hospital" is not)
            if not re.search(r"\b(?:were|are|was|is|remain|remained|remains|been)\b", aux):
                continue
            kind = "injured"
        np_text = t.group("np") or ""
        subj, words = _subject(s_text, skel, t)
        after = sk[t.end():t.end() + 30]
        if kind == "lives_lost":        # "12 lives were lost"
            if not words or words[-1] != "lives":
                continue
            kind, subj = "killed", None

        if pred == "found":
            continue
        if kind == "missing" and not aux.strip() and re.match(
                r"[^,;.]{0,50}?\b(?:were|was|have\s+been|had\s+been|are)\s+(?:all\s+|later\s+|eventually\s+|finally\s+|safely\s+)*"
                r"(?:rescued|freed|brought|pulled|found|released|evacuated|reached|saved)\b", after + sk[t.end() + 30:t.end() + 60]):
            rejected.add(i)         # "the 33 miners trapped for 69 days were all brought out": no longer missing
            continue
        if _FRACTION_OF.search(sk[max(0, t.start() - 60):t.start()]):
            if words and words[-1] in ("inhabitants", "residents", "population"):
                assign(i, "population", subj, words, t)
            else:
                rejected.add(i)     # "most of the 300 passengers were killed": 300 is no toll
            continue
        if t.group("rel") and re.search(r"⟦", t.group("rel")):
            continue
        if "⟦x⟧" in np_text and not aux.strip():
            continue      # "five of the 11 staff abducted ... were released": the predicate is the 11's
        if kind == "missing" and re.fullmatch(r"\s+(?:may|might|could)\s+(?:still\s+)?(?:be|remain)(?:\s+still)?", aux):
            aux = " are"    # "30 miners may still be trapped": a reported estimate of the missing
        if _MODAL_REJECT.search(aux) or (re.search(r"\bmay\b", aux) and not re.search(r"\bmay\s+have\b", aux)) \
                or (re.search(r"\bto\b", aux) and not re.search(r"\b(?:said|believed|reported|thought|known|feared|presumed|estimated|confirmed)\s+to\b", aux)):
            rejected.add(i)
            continue
        if not aux.strip() and not t.group("rel") and np_text.strip() and _ACTIVE_OBJECT.match(after) \
                and pred in ("killed", "injured", "wounded", "hurt", "kidnapped", "abducted", "arrested", "detained",
                             "displaced", "evacuated", "rescued", "affected", "seized", "executed", "murdered",
                             "massacred", "beheaded", "maimed"):
            continue      # "5 gunmen killed 12": the number counts the attackers
        if not aux.strip() and not np_text.strip() and re.match(r"\s+(?:a|an|the|his|her|their|him|them)\b", after) \
                and pred not in ("dead", "died", "missing", "homeless", "fled"):
            continue
        if _AMBIGUOUS_AFTER.match(after) and kind in ("killed", "injured") and not re.match(r"\s+and\s+⟦", after):
            if re.match(r"\s+(?:or|and/or)\b", after) or re.match(r"\s+and\s+(?:injured|wounded|hurt)\s*(?:[,.;]|$)", after):
                rejected.add(i)
                continue
        if pred in ("die", "dies") and not aux.strip() and re.search(r"\b(?:will|could|may|might|would|to)\s*$", sk[max(0, t.start() - 20):t.start()]):
            rejected.add(i)
            continue
        if kind in ("affected",) and words and words[-1] in _NON_PERSON:
            continue
        if (pred == "seized" or pred.startswith("taken")) and kind == "kidnapped" and not (
                not words or words[-1] in _PERSONISH or words[-1] in _PERSON_SINGULAR
                or words[-1].endswith(("ers", "ians", "ists", "men", "girls", "boys"))):
            continue
        if mentions[i].nonfact == "article" and not aux.strip() and pred not in ("died", "dies", "killed", "dead", "injured", "wounded", "hurt"):
            continue
        # an adjective predicate before a noun ("35 injured people"): the noun is the subject
        if not aux.strip() and not t.group("rel") and not t.group("paren"):
            tail = re.match(rf"\s+({_NPWORD}(?:\s+{_NPWORD}){{0,2}})", after)
            if tail and kind not in ("ambiguous",) and pred in ("injured", "wounded", "dead", "displaced", "missing",
                                                                 "evacuated", "rescued", "arrested", "detained",
                                                                 "kidnapped", "abducted", "affected", "stranded"):
                tail_words = tail.group(1).split()
                if tail_words[-1] in _NON_PERSON:
                    continue
                ts = skel.to_orig(t.end() + tail.start(1))
                subj = s_text[ts:ts + len(tail.group(1))]
                if np_text.strip():     # "internally displaced persons": the whole phrase
                    subj = s_text[skel.to_orig(t.start("np")):ts + len(tail.group(1))].strip()
                words = words + [pred] + tail_words
        assign(i, kind, subj, words, t)
        if i in assigned:
            passive_assigned.add(i)

    # 4b. "Five of the wounded": a part of a group named by its state
    for t in (_OF_THE_GROUP.finditer(sk) if "⟧ of th" in sk else ()):
        i = int(t.group("i"))
        if i in assigned or i in rejected:
            continue
        assign(i, _word_kind(t.group("w")), None, [], t)
    # coder fields and lists: "Fatalities: 4", "the injured at more than 3,000"
    for t in (_FIELD.finditer(sk) if (":" in sk or " at ⟦" in sk) else ()):
        i = int(t.group("i") or t.group("j"))
        if i in assigned or i in rejected:
            continue
        if t.group("w2") and not re.search(r"\b(?:put|puts|putting|placed|places|estimated|estimates|gave|gives)\b", sk[:t.start()]):
            continue
        assign(i, _word_kind(t.group("w") or t.group("w2")), None, [], t)

    # 5. nominal heads ("37 deaths", "12,000 refugees", "58 injuries") and residents
    for i, m in enumerate(mentions):
        if i in assigned or i in rejected or not usable[i]:
            continue
        marker = f"⟦{i}⟧"
        pos = sk.find(marker)
        t = _MARK_NP.match(sk, pos)
        if not t:
            continue
        subj, words = _subject(s_text, skel, t)
        if not words:
            continue
        kind = _NOMINAL_HEADS.get(words[-1])
        if words[-1] == "cases" and not all(w in ("new", "confirmed", "suspected", "reported", "more", "additional",
                                                  "positive", "active", "cholera", "covid", "covid-19", "measles",
                                                  "dengue", "mpox", "ebola", "cases", "of", "the", "infection",
                                                  "probable", "fresh", "recorded") for w in words):
            continue
        if words[-1] == "lives":
            continue
        if kind:
            before = sk[max(0, t.start() - 120):t.start()]
            if _hypothetical(before) or re.search(r"\b(?:prevent|avoid|avert)\w*\s+$", before):
                rejected.add(i)
                continue
            assign(i, kind, None if kind in ("killed", "injured", "ambiguous", "arrested", "affected") else subj, words, t)
    # "a third of the city's 900,000 residents": the whole is the population
    for i, m in enumerate(mentions if " of " in sk else ()):
        if i in assigned or i in rejected or not usable[i]:
            continue
        pos = sk.find(f"⟦{i}⟧")
        if not _FRACTION_OF.search(sk[max(0, pos - 60):pos]):
            continue
        t = _MARK_NP.match(sk, pos)
        subj, words = _subject(s_text, skel, t) if t else (None, [])
        if words and words[-1] in ("inhabitants", "residents"):
            assign(i, "population", subj, words, t)
    for t in _RESIDENTS.finditer(sk):
        i = int(t.group("i") or t.group("j"))
        g = "np" if t.group("i") else "np2"
        if i in assigned:
            continue
        subj, words = _subject(s_text, skel, t, g)
        subj = re.sub(r"\s+(?:live|lived|living|reside|resided)$", "", subj or "") or None
        assign(i, "population", subj.replace(" people live", "").replace(" people living", "") if subj else None,
               words, t, g)

    # "Nine soldiers were among the 31 people killed": the part has the kind of the whole
    for t in (_AMONG_COUNT.finditer(sk) if "among" in sk else ()):
        i, j = int(t.group("i")), int(t.group("j"))
        if j in assigned and i not in assigned:
            subj, words = _subject(s_text, skel, t)
            if not _is_non_person(words):
                assign(i, assigned[j][0], subj, words, t)

    # 5b. coordinated subjects share the predicate: "left 3 soldiers and 2 civilians dead"
    for j in sorted(passive_assigned, reverse=True):
        kind = assigned[j][0]
        pos = sk.find(f"⟦{j}⟧")
        window = max(0, pos - 120)
        b = _BEFORE_COORD.search(sk, window, pos)
        if b and b.group("np").strip():
            i = int(b.group("i"))
            subj, words = _subject(s_text, skel, b)
            if words and not _is_non_person(words):
                assign(i, kind, subj, words, b)

    # 6. subsets and lists inherit the kind of the fact they belong to
    if assigned:
        for t in list(_SUBSET_AFTER.finditer(sk)) + list(_RUNNING_TOTAL.finditer(sk)):
            i = int(t.group("i"))
            prev = [j for j in assigned if j < i]
            if i in assigned or i in rejected or not prev:
                continue
            subj, words = _subject(s_text, skel, t)
            if words and _is_non_person(words):
                continue
            if any(w in ("freed", "released", "escaped", "returned", "discharged", "reunited") for w in words):
                continue        # ", three of whom were later freed": not a count of the same kind
            if words and all(w.endswith("ly") for w in words):
                subj, words = None, []      # ", 2 of them seriously"
            assign(i, assigned[max(prev)][0], subj, words, t)
        for t in _SUBSET.finditer(sk):
            i = int(t.group("i"))
            if i in assigned or i in rejected:
                continue
            prev = [j for j in assigned if j < i]
            if not prev:
                continue
            kind = assigned[max(prev)][0]
            subj, words = _subject(s_text, skel, t)
            if not words and re.match(r"\s+(?:in|at|near|from|on|inside|outside)\s+[A-Z]", s_text[skel.to_orig(t.end()):]):
                words = ["_"]           # "including 8 in Monywa": a part of the same count
            if not words or words[-1] in _NON_PERSON:
                continue
            if mentions[i].nonfact == "partitive":
                continue
            after = sk[t.end():t.end() + 40]
            if re.match(r"\s+(?:were|was|have\s+been|had\s+been|are)\s+(?:\w+\s+)?(?:freed|released|set\s+free|returned|"
                        r"reunited|found\s+alive|discharged|recovered|escaped)\b|\s+(?:later\s+)?(?:escaped|returned)\b", after):
                continue        # "15 kidnapped, three of whom were later freed": not 3 kidnapped
            assign(i, kind, subj, words if words != ["_"] else [], t)
        changed = True
        while changed:
            changed = False
            for j in sorted(assigned):
                kind = assigned[j][0]
                if kind in ("population",):
                    continue
                marker = f"⟦{j}⟧"
                pos = sk.find(marker)
                head = _MARK_NP.match(sk, pos)
                if not head or not head.group("np").strip():
                    continue
                c = _CONTINUATION.match(sk, head.end())
                if not c:
                    continue
                i = int(c.group("i"))
                if i in assigned or i in rejected or not c.group("np").strip():
                    continue
                if re.match(r"\s*of\s+(?:whom|them|those|these)\b", c.group("np")):
                    continue        # ", three of whom …": the subset rules decide

                # the next item must not carry its own predicate ("..., 30 were injured")
                rest = sk[c.end():c.end() + 25]
                if re.match(rf"\s+(?:(?:{_AUX})\s+)*{_PREDICATE}\b", rest):
                    continue
                subj, words = _subject(s_text, skel, c)
                if not words or words[-1] in _NON_PERSON:
                    continue
                if words[-1] in ("bodies", "corpses", "remains"):
                    assign(i, "killed", subj, words, c)     # "pulled 54 survivors and 19 bodies"
                    continue
                if kind == "killed" and words[-1] in ("survivors",):
                    continue
                assign(i, kind, subj, words, c)
                if i in assigned:
                    changed = True

    # 7. the earlier figure of a revision ("rose to 3,400, up from 3,100") is an earlier report of
    #    the same count: a fact of the same kind (its date is the context pass's business)
    if assigned:
        for r, m in enumerate(mentions):
            if m.nonfact == "revision":
                nearest = min(assigned, key=lambda j: abs(j - r))
                if abs(nearest - r) <= 2 and assigned[nearest][0] != "population":
                    assigned[r] = (assigned[nearest][0], None, m.end)

    for i, (kind, subj, span_end) in assigned.items():
        m = mentions[i]
        facts.append(CasualtyFact(kind, m.value, m.low, m.high, m.qualifier, subj,
                                  base + m.start, base + span_end, sent))
    for i in rejected:
        if i not in assigned and mentions[i].nonfact not in ("article", "article_pronoun"):
            claimed.append((base + mentions[i].start, base + mentions[i].end))
    return facts, claimed


_ANY_DIGIT = re.compile(r"\d")
_MAY_HAVE_SINGULAR = re.compile(r"\b(?:an?|the|his|her|their|another)\b", re.IGNORECASE)
_MAY_HAVE_WORD_NUMBER = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|dozen|dozens|scores|hundreds|thousands|millions|tens|no|nobody|none|without|an?)\b", re.IGNORECASE)


def _word_kind(word: str) -> str:
    w = word.lower()
    for pattern, kind in _PRED_RE:
        if pattern.fullmatch(w):
            return "killed" if kind == "ambiguous" and w != "casualties" else kind
    return {"deaths": "killed", "fatalities": "killed", "injuries": "injured", "evacuees": "evacuated",
            "arrests": "arrested", "refugees": "displaced", "cases": "affected"}.get(w, "killed")


def extract_casualties(text: str, sentences: list[Sentence]) -> tuple[list[CasualtyFact], list[tuple[int, int]]]:
    """All casualty/population facts of a text, and the spans to keep from the statistics pass."""
    facts: list[CasualtyFact] = []
    claimed: list[tuple[int, int]] = []
    for sent in sentences:
        f, c = sentence_casualties(text, sent)
        facts.extend(f)
        claimed.extend(c)
    return facts, claimed
