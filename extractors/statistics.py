"""Other quantities with units -> `statistic` facts.

Which numbers: those of `extractors.numbers.find_numbers` that the casualty grammar did not
claim, and that are not years, dates, times, ages, ordinals, names or identifiers. Money,
percentages and magnitudes, which the number parser marks as such, stay statistics even when
the caller listed them as claimed non-facts; so do counts of non-persons ("12,000 homes",
"3.8 million livestock").

Which unit:
- money from its symbol or word ("$400 million" -> USD, "£30m" -> GBP, "5 billion euros" -> EUR);
- percentages ("12%", "12 percent") -> `percent`; earthquake magnitudes ("a 6.1-magnitude
  quake", "magnitude 7.1") -> `magnitude`;
- counts of things a monitor keeps (homes, houses, buildings, schools, hospitals, vehicles,
  livestock, animals, tents …) -> the noun ("homes"), "240,000 others" after "51,800 homes"
  -> the same noun;
- counted nouns: the noun after the number is the unit ("1.4 million customers" -> customers,
  "26.3 million votes" -> votes); large crowds of persons -> `people`; a list whose noun is stated
  once ("Cases by country: Ukraine 30,338, Brazil 10,262") -> that noun; places counted, people
  merely present, years, ages, times, names and identifiers stay out;
- common physical units read directly ("300 mm", "250 km/h"); the rest (distances, areas,
  masses, volumes) with quantulum3's parser, only on
  sentences that still hold such a number followed by a word, keeping only units of those
  kinds (its `dimensionless` and odd readings — "17 at" as ampere-turns — never become facts).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from extractors.casualty_patterns import PERSON_COMMON_SINGULAR as _PERSON_COMMON_SINGULAR
from extractors.casualty_patterns import PERSONISH as _PERSONISH
from extractors.numbers import NumberMention, find_numbers
from extractors.schema import FactBase
from extractors.text import Sentence

_SKIP = {"year", "date", "time", "age", "ordinal", "name", "identifier", "duration", "score", "ratio", "phone", "clock"}
_STAT_NONFACTS = {"money", "percent", "modifier_stat"}

_CURRENCY_SYMBOL = {
    "US$": "USD",
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
    "Rs": "PKR",
    "Rs.": "PKR",
    "₦": "NGN",
    "₱": "PHP",
    "GH₵": "GHS",
    "KSh": "KES",
    "Ksh": "KES",
    "Sh": "KES",
    "Shs": "UGX",
    "Rp": "IDR",
    "Tk": "BDT",
    # written onto the number ("N2.5 billion", "R400,000"); see _BARE_LETTER_AMOUNT
    "N": "NGN",
    "R": "ZAR",
    "P": "PHP",
}
# ISO 4217 codes written before an amount, as situation reports do
_ISO_CURRENCIES = frozenset(
    """USD EUR GBP JPY CNY INR PKR BDT LKR NPR AFN IDR PHP MYR THB VND KRW AUD NZD CAD MXN BRL ARS COP PEN CLP
ZAR NGN KES UGX TZS ETB GHS XOF XAF MAD EGP SDG SOS RWF MWK ZMW MZN TRY IRR IQD SYP LBP JOD SAR AED YER UAH RUB
CHF SEK NOK DKK PLN HUF RON HTG""".split()
)
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
# a one-letter symbol is money only on a large written amount: "N2.5 billion", not "N2" or "P53"
_BARE_LETTER_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d[\d.]*\s*(?:[mb]illion|trillion|bn|crore|lakh)\b")
_CURRENCY_WORD = {
    "dollars": "USD",
    "dollar": "USD",
    "us dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "rupees": "INR",
    "rupee": "INR",
    "naira": "NGN",
    "shillings": "KES",
    "rand": "ZAR",
    "francs": "CHF",
    "roubles": "RUB",
    "rubles": "RUB",
    "lira": "TRY",
    "liras": "TRY",
    "pesos": "MXN",
    "reais": "BRL",
    "riyals": "SAR",
    "dirhams": "AED",
    "won": "KRW",
    "taka": "BDT",
    "afghanis": "AFN",
    "hryvnias": "UAH",
}
# the counted noun as written is the unit ("Eight cars", "5,000 head of cattle"); only synonyms merge
_THINGS = {
    "homes": "homes",
    "home": "homes",
    "houses": "houses",
    "house": "houses",
    "buildings": "buildings",
    "building": "buildings",
    "dwellings": "homes",
    "schools": "schools",
    "school": "schools",
    "hospitals": "hospitals",
    "health facilities": "health facilities",
    "clinics": "clinics",
    "vehicles": "vehicles",
    "cars": "cars",
    "trucks": "trucks",
    "lorries": "lorries",
    "buses": "buses",
    "livestock": "livestock",
    "cattle": "cattle",
    "cows": "cows",
    "goats": "goats",
    "sheep": "sheep",
    "camels": "camels",
    "animals": "animals",
    "head of cattle": "cattle",
    "head of livestock": "livestock",
    "tents": "tents",
    "shelters": "shelters",
    "shops": "shops",
    "bridges": "bridges",
    "roads": "roads",
    "mosques": "mosques",
    "churches": "churches",
    "villages": "villages",
    "hectares": "hectares",
    "acres": "acres",
    "aftershocks": "aftershocks",
    "flights": "flights",
    "boats": "boats",
    "aircraft": "aircraft",
    "planes": "aircraft",
    "wells": "wells",
    "latrines": "latrines",
    "classrooms": "classrooms",
    "warehouses": "warehouses",
    "factories": "factories",
    "markets": "markets",
    "camps": "camps",
    "health centres": "health centres",
    "health centers": "health centers",
    "attacks": "attacks",
    "air strikes": "air strikes",
    "airstrikes": "airstrikes",
    "incidents": "incidents",
    "explosions": "explosions",
    "raids": "raids",
    "basis points": "basis points",
}
_THING_RE = re.compile(
    r"\s*(?:(?:more|other|additional|new|residential|private|public|mud|makeshift|damaged|destroyed|"
    r"collapsed|partially|completely|fully|heavily|severely|[a-z]+-(?:damaged|built))\s+){0,3}"
    r"(?P<noun>" + "|".join(sorted(map(re.escape, _THINGS), key=len, reverse=True)) + r")\b",
    re.I,
)
# "19,530 cows, goats, sheep and camels": animals
_ANIMAL_LIST = re.compile(
    r"(?:\s*,\s*|\s+and\s+)(?:cows|goats|sheep|camels|donkeys|horses|cattle|pigs|chickens)\b", re.I
)
# "30,000 more", "12 others": the unit of the count before ("80 more patients" names its own)
_OTHERS = re.compile(r"\s*(?:more\s+|other\s+)?(?:others|more)\b(?!\s+than\b|\s+[a-z]+s\b)", re.I)
_MAGNITUDE_AFTER = re.compile(r"\s*-?\s*(?:magnitude|on the Richter scale)\b", re.I)
_MAGNITUDE_BEFORE = re.compile(r"(?:magnitude|\bM)\s*-?\s*(?:of\s+)?$", re.I)
_PERCENT_AFTER = re.compile(r"\s*(?:%|per\s*cent\b|percent\b|pct\b|percentage points\b)", re.I)
_SYMBOL_BEFORE = re.compile(
    r"(US\$|A\$|C\$|HK\$|Rs\.?|GH₵|K?Sh|Ksh|Shs|Rp|Tk|[$£€¥₹₦₱]|\b(?:Php|[A-Z]{3}))\s*$|(?<![\w.])([NRP])$"
)
_WORD_AFTER = re.compile(r"\s+(?:(?:US|U\.S\.|Hong Kong|Australian|Canadian)\s+)?(?P<w>[A-Za-z]+(?:\s+sterling)?)")

# quantulum3 entities kept, and how their unit names are written in a fact
_Q_ENTITIES = {"length", "area", "mass", "volume", "speed", "energy", "power", "temperature"}
_Q_UNITS = {
    "kilometre": "km",
    "metre": "m",
    "mile": "miles",
    "centimetre": "cm",
    "millimetre": "mm",
    "foot": "feet",
    "square kilometre": "km2",
    "square metre": "m2",
    "square mile": "sq miles",
    "hectare": "hectares",
    "acre": "acres",
    "tonne": "tonnes",
    "kilogram": "kg",
    "metric ton": "tonnes",
    "short ton": "tonnes",
    "long ton": "tonnes",
    "ton": "tonnes",
    "gram": "g",
    "pound-mass": "lb",
    "litre": "litres",
    "cubic metre": "m3",
    "gallon": "gallons",
    "barrel": "barrels",
    "kilometre per hour": "km/h",
    "mile per hour": "mph",
    "degree Celsius": "celsius",
    "degree fahrenheit": "fahrenheit",
    "megawatt": "MW",
    "kilowatt": "kW",
    "gigawatt": "GW",
    "megawatt hour": "MWh",
}


@lru_cache(maxsize=1)
def _quantulum():
    """quantulum3's parser, imported once (it loads its unit tables and classifier)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    return parser


@lru_cache(maxsize=1)
def _unit_words() -> frozenset[str]:
    """Lower-case surfaces and symbols of the quantulum3 units we keep ("kilometres", "km",
    "tonnes" …): a number followed by none of them is never sent to quantulum3."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import load
    units = load.units("en_US")
    words = set()
    for table in (units.surfaces_lower, units.symbols_lower):
        for surface, found in table.items():
            if any(u.name in _Q_UNITS for u in found) and len(surface) >= 2:
                words.add(surface)
    return frozenset(words)


_NEXT_WORDS = re.compile(r"[\s-]*(?P<w1>[A-Za-z²³]+)(?:[\s-]+(?P<w2>[A-Za-z²³]+))?")


def _unit_follows(st: str, end: int) -> bool:
    m = _NEXT_WORDS.match(st, end)
    if not m:
        return False
    w1 = m.group("w1").lower()
    if w1 in ("square", "sq", "cubic", "metric") and m.group("w2"):
        return True
    return w1 in _unit_words() or (w1 + " " + (m.group("w2") or "").lower()) in _unit_words()


# Common physical units read directly (quantulum3 is slow: it only sees what these miss).
_PHYSICAL_UNITS = [
    ("km2", r"square\s+(?:kilomet(?:re|er)s?|km)|sq\.?\s*km|km2|km²"),
    ("m2", r"square\s+met(?:re|er)s?|m2|m²"),
    ("sq_miles", r"square\s+miles?|sq\.?\s*mi(?:les?)?"),
    ("kmh", r"kilomet(?:re|er)s?\s+(?:per|an|a)\s+hour|km/h|kph|kmph"),
    ("mph", r"miles\s+(?:per|an|a)\s+hour|mph"),
    ("km", r"kilomet(?:re|er)s?|kms?"),
    ("miles", r"miles?"),
    ("cm", r"centimet(?:re|er)s?|cm"),
    ("mm", r"millimet(?:re|er)s?|mm"),
    ("m3", r"cubic\s+met(?:re|er)s?|m3|m³"),
    ("m", r"met(?:re|er)s?"),
    ("feet", r"feet|foot|ft"),
    ("inches", r"inch(?:es)?"),
    ("hectares", r"hectares?|ha"),
    ("acres", r"acres?"),
    ("tonnes", r"(?:metric\s+)?(?:tonnes?|tons?)"),
    ("kg", r"kilo(?:gram)?(?:me)?s?|kg"),
    ("litres", r"lit(?:re|er)s?"),
    ("gallons", r"gallons?"),
    ("barrels", r"barrels?"),
    ("celsius", r"degrees?\s+(?:celsius|centigrade)|°\s*C|ºC|(?<=\d)C"),  # "47.1C": only written onto the number
    ("fahrenheit", r"degrees?\s+fahrenheit|°\s*F|(?<=\d)F"),
    ("MWh", r"megawatt[\s-]hours?|MWh"),
    ("MW", r"megawatts?|MW"),
    ("kW", r"kilowatts?|kW"),
    ("GW", r"gigawatts?|GW"),
]
_PHYSICAL = re.compile(
    r"[\s\-\u2010\u2011]*(?:" + "|".join(f"(?P<{name}>{rx})" for name, rx in _PHYSICAL_UNITS) + r")(?![\w²³])", re.I
)
_PHYSICAL_UNIT = {
    "km2": "km2",
    "m2": "m2",
    "sq_miles": "sq miles",
    "kmh": "km/h",
    "mph": "mph",
    "km": "km",
    "miles": "miles",
    "cm": "cm",
    "mm": "mm",
    "m3": "m3",
    "m": "m",
    "feet": "feet",
    "inches": "inches",
    "hectares": "hectares",
    "acres": "acres",
    "tonnes": "tonnes",
    "kg": "kg",
    "litres": "litres",
    "gallons": "gallons",
    "barrels": "barrels",
    "celsius": "celsius",
    "fahrenheit": "fahrenheit",
    "MWh": "MWh",
    "MW": "MW",
    "kW": "kW",
    "GW": "GW",
}


# "30km southwest of Mogadishu", "about 1,000 yards from the mosque", "10 kilometers below ground": a
# distance that says where something is, not a quantity a monitor keeps
_LENGTHS = frozenset("km miles m feet yards".split())
_LOCATOR_AFTER = re.compile(
    r"\)?\s*(?:\([^()]{0,30}\)\s*)?(?:(?:north|south|east|west)(?:[\s\-]?(?:north|south|east|west))?(?:ern)?\b"
    r"|(?:from|outside|off|away\s+from|short\s+of)\s|(?:below|beneath|under)\s+(?:the\s+)?(?:ground|surface|sea)\b)",
    re.I,
)


def _locator(unit: str, st: str, end: int) -> bool:
    return unit in _LENGTHS and bool(_LOCATOR_AFTER.match(st, end))


def _overlaps(spans, s, e):
    return any(a < e and s < b for a, b in spans)


_INDIAN_SCALE = re.compile(r"\b(?:lakhs?|crores?)\b", re.I)


# "Rs" and "rupees" name the rupee, "Sh" the shilling, of the country the figure is about
_RUPEE_OF_COUNTRY = {"IN": "INR", "PK": "PKR", "LK": "LKR", "NP": "NPR", "MU": "MUR"}
_SHILLING_OF_COUNTRY = {"KE": "KES", "UG": "UGX", "TZ": "TZS", "SO": "SOS"}


# what names a rupee or a shilling without saying whose ("₹", "KSh", "LKR" say whose)
_WHOSE_CURRENCY_UNSAID = re.compile(r"\s*(?:Rs\b\.?|Shs?\b)|.*\b(?:rupees?|shillings?)\b", re.S)


def currency_of_their_country(facts: list[FactBase], text: str) -> None:
    """Once places are resolved: a rupee amount in a fact placed in India is INR, in Sri Lanka
    LKR … where the amount said only "Rs" or "rupees" ("₹" stays INR, "KSh" KES)."""
    for f in facts:
        if f.kind != "statistic" or not f.country_code:
            continue
        if not _WHOSE_CURRENCY_UNSAID.match(text, f.span_start, f.span_end):
            continue
        if f.unit in ("INR", "PKR") and f.country_code in _RUPEE_OF_COUNTRY:
            f.unit = _RUPEE_OF_COUNTRY[f.country_code]
        elif f.unit in ("KES", "UGX") and f.country_code in _SHILLING_OF_COUNTRY:
            f.unit = _SHILLING_OF_COUNTRY[f.country_code]


def _money(text: str, m: NumberMention) -> tuple[str, int, int] | None:
    sym = _SYMBOL_BEFORE.search(text[max(0, m.num_start - 4) : m.num_start])
    code = sym.group(1) if sym else None
    # "PHP2.84 billion", "USD3,500,000": a code written onto a large amount is money, not an identifier's letters
    onto_amount = m.nonfact == "identifier" and sym and _BARE_LETTER_AMOUNT.match(text, m.num_start, m.end + 9)
    if (
        code
        and code not in _CURRENCY_SYMBOL
        and (
            code.upper() not in _ISO_CURRENCIES
            or m.nonfact in _SKIP
            and not onto_amount
            or _YEARLIKE.fullmatch(text, m.num_start, m.end)
        )
    ):
        sym = None  # other capitals before a number: "UAE 2022", "FIR 302", "USD 2023 budget"
    if sym:
        start = m.num_start - (len(text[max(0, m.num_start - 4) : m.num_start]) - sym.start())
        symbol = sym.group(1) or sym.group(2)
        if symbol.upper() in _ISO_CURRENCIES:  # "PHP 1.2 billion", "Php 845.6 million", "USD 40,000"
            return symbol.upper(), min(m.start, start), m.end
        if sym.group(2) and not _BARE_LETTER_AMOUNT.match(text, m.num_start, m.end + 9):
            return None
        currency = _CURRENCY_SYMBOL[symbol]
        if currency == "PKR" and _INDIAN_SCALE.search(text, m.num_start, m.end):
            currency = "INR"  # "Rs 4 lakh", "Rs 25 crore": Indian amounts (Pakistan's press writes millions)
        return currency, min(m.start, start), m.end
    w = _WORD_AFTER.match(text, m.end)
    if w and w.group("w").lower() in _CURRENCY_WORD:
        return _CURRENCY_WORD[w.group("w").lower()], m.start, w.end()
    return None


_QUAL_BEFORE = [
    (re.compile(r"\b(?:about|around|some|approximately|roughly|an estimated|estimated)\s+$", re.I), "about"),
    (re.compile(r"\b(?:nearly|almost|up to|close to)\s+$", re.I), "at_most"),
    (re.compile(r"\b(?:more than|over|upwards of)\s+$", re.I), "more_than"),
    (re.compile(r"\bat least\s+$", re.I), "at_least"),
    (re.compile(r"\b(?:less than|under|fewer than)\s+$", re.I), "less_than"),
]


def _stat(kind_unit: str, m: NumberMention, start: int, end: int, subject, text, sent) -> FactBase:
    if m.qualifier == "exact":
        from extractors.numbers import interval

        for rx, qual in _QUAL_BEFORE:
            q = rx.search(sent.text[max(0, start - 20) : start])
            if q:
                low, high = interval(m.value, qual)
                m = NumberMention(
                    start - (len(sent.text[max(0, start - 20) : start]) - q.start()),
                    m.end,
                    m.num_start,
                    m.value,
                    low,
                    high,
                    qual,
                )
                start = m.start
                break
    return FactBase(
        kind="statistic",
        value=m.value,
        low=m.low,
        high=m.high,
        qualifier=m.qualifier,
        unit=kind_unit,
        subject=subject,
        span_start=sent.start + start,
        span_end=sent.start + end,
        sentence=sent.text,
    )


# a digit, or a number word that can count ten or more ("thousands of homes", "a dozen buildings")
_PER_BEFORE = re.compile(r"\bper\s+$", re.I)
_NUMBER_HINT = re.compile(  # (the lookahead: a digit or a word's first letter, a cheap test of each position)
    r"(?=[\dbcdefhlmnqst])(?:\d|\b(?:millions?|thousands?|hundreds?|dozens?|billions?|lakhs?|crores?|scores|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|half|thirds?|quarters?|fifths?)\b)",
    re.I,
)


def extract_statistics(
    text: str,
    sentences: list[Sentence],
    claimed: list[tuple[int, int]],
    published: dt.date | None,
    numbers: list[list[NumberMention]] | None = None,
) -> list[FactBase]:
    """`statistic` facts for numbers with units outside the `claimed` spans (casualty facts and
    numbers already judged not to be facts). `numbers`: each sentence's number mentions, when the
    caller has them already."""
    out: list[FactBase] = []
    for n, sent in enumerate(sentences):
        st = sent.text
        if numbers is not None and not numbers[n]:
            continue  # no number in the sentence (a quicker answer than the hint below)
        if not _NUMBER_HINT.search(st):
            continue
        local_claimed = [(a - sent.start, b - sent.start) for a, b in claimed if a < sent.end and sent.start < b]
        mentions = find_numbers(st) if numbers is None else numbers[n]
        found = _sentence_statistics(text, sent, mentions, local_claimed)
        out.extend(f for f in found if not _forecast(st, f.span_start - sent.start, f.span_end - sent.start))
    return out


# "losses are expected to exceed 500 million dollars", "the storm could dump up to 300 mm", "will cost an
# estimated 900 million euros": a forecast, a plan or a possibility in the clause before the number
_FORECAST_BEFORE = re.compile(
    r"\b(?:could|would|will|may|might|shall|expected|expects?|expecting|forecast(?:ed|s)?\s+to|projected|"
    r"predicted|predicts?|anticipated|likely|set\s+to|plans?\s+to|planned|aims?\s+to|aiming\s+to|"
    r"seeks?\s+to|hopes?\s+to|threaten\w*|fears?|feared|warn\w*|estimated\s+to)\b[^,;:.!?]{0,60}$",
    re.I,
)


# "as many as 4 million people could eventually leave": a modal right after the counted noun
_MODAL_AFTER = re.compile(r"(?:\s+[a-z]+){0,2}?\s+(?:could|would|might|may|will)\b", re.I)


def _forecast(st: str, start: int, end: int) -> bool:
    """A forecast, plan or possibility governs the number: no reported statistic."""
    return bool(_FORECAST_BEFORE.search(st, max(0, start - 80), start) or _MODAL_AFTER.match(st, end))


def _sentence_statistics(
    text: str, sent: Sentence, mentions: list[NumberMention], local_claimed: list[tuple[int, int]]
) -> list[FactBase]:
    """The statistics of one sentence: each number mention is tried against the unit families in
    turn (shares of a whole, money, percent, magnitude, things, measures, counted nouns, lists)."""
    st = sent.text
    out: list[FactBase] = []
    need_quantulum: list[NumberMention] = []
    last_thing = None
    last_physical = False
    for m in mentions:
        if m.vague and not _OF_NOUN.match(st, m.end) or _PER_BEFORE.search(st, max(0, m.start - 5), m.start):
            continue  # (the base of a rate, "per 100,000", is part of the rate's unit)
        mb = _MAGNITUDE_BEFORE.search(st[max(0, m.start - 14) : m.start])
        whole_of = _share_of_whole(st, m, mentions)
        # (a denominator is "claimed" as a non-fact by the casualty pass; one that counts things is ours)
        if whole_of and (m.nonfact == "ratio" or not _overlaps(local_claimed, m.num_start, m.end)):
            out.append(_stat(whole_of, m, m.start, m.end, None, text, sent))  # "212 of the 350 seats"
            continue
        # "N2.5 billion", "Sh5 billion" read as identifiers: money all the same
        money = _money(st, m)
        if m.nonfact in _SKIP and not (mb and m.nonfact in ("name", "identifier")) and not money:
            continue
        claimed_here = _overlaps(local_claimed, m.num_start, m.end)
        mixed = MIXED_FATES.match(st, m.end)
        if mixed:  # "120 people were killed or injured": people, but neither toll (the caller drops such tolls)
            out.append(_stat("people", m, m.start, mixed.end(), None, text, sent))
            continue
        thing = _THING_RE.match(st, m.end)
        if thing and _where_not_what(st, m, thing.group("noun").lower()):
            thing = None  # "held in 23 villages"
        if claimed_here and m.nonfact not in _STAT_NONFACTS and not thing and not (money and m.nonfact):
            continue
        if money:
            out.append(_stat(money[0], m, money[1], money[2], None, text, sent))
            continue
        pm = _PERCENT_AFTER.match(st, m.end)
        if pm or m.nonfact == "percent":
            end = pm.end() if pm else m.end
            out.append(_stat("percent", m, m.start, end, None, text, sent))
            continue
        ma = _MAGNITUDE_AFTER.match(st, m.end)
        if ma or mb:
            if 0 < m.value < 10.5:
                start = m.start - (len(st[max(0, m.start - 14) : m.start]) - mb.start()) if mb else m.start
                out.append(_stat("magnitude", m, start, ma.end() if ma else m.end, None, text, sent))
            continue
        if thing:
            noun = thing.group("noun")
            unit = "animals" if _ANIMAL_LIST.match(st, thing.end()) else _THINGS[noun.lower()]
            last_thing = (unit, noun)
            out.append(_stat(unit, m, m.start, thing.end(), noun, text, sent))
            continue
        if last_thing and m.nonfact == "revision" and not claimed_here and _same_unit_after(st, m):
            out.append(_stat(last_thing[0], m, m.start, m.end, None, text, sent))  # "74 seats, up from 61"
            continue
        attached = _PHYSICAL.match(st, m.end) if m.nonfact in ("attached", "modifier_stat") else None
        if attached:  # "312mm", "5km", "a 22,000-acre blaze": a unit written onto its number
            if _locator(_PHYSICAL_UNIT[attached.lastgroup or ""], st, attached.end()):
                continue
            out.append(_stat(_PHYSICAL_UNIT[attached.lastgroup or ""], m, m.start, attached.end(), None, text, sent))
            continue
        if claimed_here or m.nonfact is not None:
            continue
        survived = _SURVIVED.match(st, m.end)
        if survived and m.value >= 2:  # "only 130 survived": persons with a fate a monitor keeps, at any size
            out.append(_stat("people", m, m.start, survived.end(), None, text, sent))
            continue
        others = _OTHERS.match(st, m.end) if last_thing else None
        if last_thing and others:
            out.append(_stat(last_thing[0], m, m.start, others.end(), last_thing[1], text, sent))
            continue
        points = _POINTS.match(st, m.end)
        if points and _MOVED.search(st, max(0, m.start - 25), m.start):
            out.append(_stat("points", m, m.start, points.end(), None, text, sent))
            continue
        rate = _RATE.match(st, m.end)
        if rate and (rate.group("unit").startswith("per") or rate.group("unit").split()[0] not in _NOT_UNITS):
            # (a rate per a count of things or per 100,000; not "kilometres per hour")
            out.append(_stat(" ".join(rate.group("unit").split()), m, m.start, rate.end(), None, text, sent))
            continue
        counted = _counted_noun(st, m)
        if counted:
            unit, noun, end = counted
            if _locator(unit, st, end):
                continue  # "about 1,000 yards from the mosque"
            last_thing = (unit, noun)
            out.append(_stat(unit, m, m.start, end, noun, text, sent))
            continue
        listed = _list_item_unit(text, sent, st, m)
        if listed and last_thing:  # "Labour 412 seats, Conservatives 121": the noun of the first item
            listed = last_thing[0]
        listed = (
            listed
            or _labelled_unit(st, m)
            or (last_thing and _same_unit_after(st, m) and last_thing[0])
            or _number_of_unit(st, m)
        )
        if listed:
            last_thing = (listed, None)  # "fell to 4,210 last year from 4,890": the same unit
            out.append(_stat(listed, m, m.start, m.end, None, text, sent))
            continue
        phys = _PHYSICAL.match(st, m.end)
        if phys:
            # a conversion in brackets "10 kilometers (6 miles)" is the same quantity
            if _locator(_PHYSICAL_UNIT[phys.lastgroup or ""], st, phys.end()):
                pass  # "16 km north of the town": where, not how much
            elif not (st[max(0, m.start - 1) : m.start] == "(" and last_physical):
                out.append(_stat(_PHYSICAL_UNIT[phys.lastgroup or ""], m, m.start, phys.end(), None, text, sent))
            last_physical = True
            continue
        if _unit_follows(st, m.end):
            need_quantulum.append(m)
    if need_quantulum:
        out.extend(_physical(st, sent, need_quantulum))
    out.extend(_fractions(text, sent, local_claimed))
    return out


# "two-thirds of the wells", "approximately three-quarters of the total increase": a share, in percent
_FRACTION_VALUE = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0}
_FRACTION = re.compile(  # (the lookahead: the words' first letters, a cheap test of each position)
    r"(?=[oatfhq])\b(?:(?P<n>one|a|two|three|four)[\s\-\u2010\u2011]+)?(?P<d>half|thirds?|quarters?|fifths?)\s+of\b(?!\s+(?:a|an)\b)",
    re.I,
)


# "the first half of the year", "half of the week": a stretch of time, no share
_PERIOD_HALF = re.compile(
    r"\s+(?:the|this|last|next|that|a)\s+(?:[a-z]+\s+)?(?:year|month|week|day|decade|century|season|term|quarter|game|match)\b",
    re.I,
)
_HALF_ORDINAL_BEFORE = re.compile(r"\b(?:first|second|latter|last|final|opening|early|late)\s+$", re.I)


def _fractions(text: str, sent: Sentence, claimed: list[tuple[int, int]]) -> list[FactBase]:
    st = sent.text
    out = []
    for f in _FRACTION.finditer(st) if "of" in st else ():
        if _PERIOD_HALF.match(st, f.end()) or _HALF_ORDINAL_BEFORE.search(st, max(0, f.start() - 10), f.start()):
            continue
        count = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4}.get((f.group("n") or "one").lower(), 1)
        share = count * _FRACTION_VALUE[f.group("d").lower().rstrip("s")]
        if share >= 100 or (f.group("d").lower() == "half" and f.group("n")) or _overlaps(claimed, f.start(), f.end()):
            continue
        value = round(share, 1)
        m = NumberMention(f.start(), f.end(), f.start(), value, value, value, "exact")
        out.append(_stat("percent", m, f.start(), f.end() - 3, None, text, sent))
    return out


# Counted nouns: "1.4 million customers", "26.3 million votes", "295 seats", "800,000 births".
# The noun (plural, lower case, after at most two modifiers) is the unit; persons count as `people`.
_COUNTED = re.compile(
    r"(?P<mods>(?:\s+(?!(?:of|and|or|in|on|at|to|from|for|by|with|the|a|an)\b)"
    r"[A-Za-z][a-z\-]+){0,2}?)"
    r"\s+(?P<noun>[a-z][a-z\-]*[a-z](?<=s)|people|children|men|women)\b(?!['’])"
)
_OF_NOUN = re.compile(r"\s+of\s+(?P<noun>[a-z][a-z\-]*s)\b")
_NOT_UNITS = frozenset(
    """years months weeks days hours minutes seconds decades centuries times percent pct points
others ones is was has does this thus plus tens hundreds thousands millions billions dozens less as us
its yes per cent series miles kilometres kilometers metres meters tons tonnes acres hectares km kms gallons litres
liters pounds dollars euros""".split()
)
# persons counted as statistics (attendance, pilgrims, passengers …) have the unit `people` …
_PERSON_UNITS = frozenset(
    """people persons pilgrims worshippers residents inhabitants citizens individuals
spectators attendees participants protesters demonstrators marchers men women children adults agents officers
officials troops staff employees workers volunteers students pupils teachers doctors nurses journalists migrants
refugees tourists visitors passengers guests fans""".split()
)
# places counted ("in seven countries", "25 districts") say where, not how much
_PLACES = frozenset(
    """countries counties districts regions cities provinces states villages towns municipalities areas
locations sites neighbourhoods neighborhoods streets islands continents nations territories communes prefectures
departments governorates zones parts""".split()
)
_SETTLEMENTS = frozenset("villages towns cities islands neighbourhoods neighborhoods streets".split())
# … after a preposition of place ("in 23 villages"; not "flooding 17 villages", "2,140 villages were hit")
_WHERE_BEFORE = re.compile(
    r"\b(?:in|across|from|throughout|over|to|at|into|among|between|around|near|within)\s+(?:about\s+|some\s+|"
    r"at\s+least\s+|more\s+than\s+|nearly\s+|over\s+|almost\s+|the\s+|all\s+)?$",
    re.I,
)
# … except where the noun itself is what a monitor keeps
_OWN_UNIT = frozenset("customers subscribers users voters households families".split())
# "cases by country: …" / "increases in cases …:": the counted noun of a list's header
_HEADER_NOUN = re.compile(
    r"\b(?:in|of)\s+(?P<n1>[a-z]+s)\b|^\W*(?P<n2>[A-Za-z][a-z]+s)\b"
    r"(?:\s+(?:counted|cast|recorded|reported|confirmed|registered|won)(?:\s+so\s+far)?)?(?:\s+by\s+[a-z]+)?\s*:"
)
_LIST_ITEM = re.compile(r"(?:^|[\n,;:]|\d\.|\band)\s*[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2}\s*:?\s*$")
_SAME_UNIT_BEFORE = re.compile(
    r"\b(?:up\s+from|down\s+from|from|against|compared\s+with|compared\s+to|versus|vs\.?|to|leaving|out\s+of|another|"
    r"a\s+further|an\s+additional|"
    r"and(?:\s+(?!the\b|a\b|an\b)[a-z]+ed)?)\s+$"
)
# "50 people are dead or missing", "120 were killed or injured": a count of two fates is no toll of either
_FATE = (
    r"(?:(?:reported\s+)?(?:dead|killed|died|injured|wounded|hurt|missing|abducted|kidnapped|arrested|detained|"
    r"evacuated|displaced|rescued|disappeared))"
)
MIXED_FATES = re.compile(
    r"(?:\s+(?!(?:or|and|were|are|was|had|have)\b)[a-z]+){0,2}?\s+(?:(?:are|were|have\s+been|had\s+been)\s+)?"
    r"(?:(?:dead|killed|died)\s+(?:or|and\s*/\s*or)\s+(?:(?:are|were|have\s+been|had\s+been|left|went|gone)\s+)?"
    r"(?:missing|injured|wounded|hurt|disappeared|unaccounted\s+for)\b"
    # "1,630 people were killed, wounded or kidnapped": a list of three fates is a count of none of them
    rf"|{_FATE},\s+{_FATE},?\s+(?:or|and\s*/\s*or)\s+{_FATE}\b)",
    re.I,
)
# "1.26 children per woman", "four people per square yard": a rate is its own unit ("per cent" is not one)
# "52 per 100,000 inhabitants": a rate per a round number of people
_RATE = re.compile(
    r"\s+(?P<unit>[a-z]+\s+per\s+(?!cent\b)(?:square\s+|cubic\s+)?[a-z]+|"
    r"per\s+(?:1,?000|10,?000|100,?000|1,?000,?000|thousand|million)"
    r"(?:\s+(?:people|inhabitants|residents|population|live\s+births|births|children|women))?)\b"
)
# "slid 0.06 point", "down 4 points": a move of an index or a poll (what it moved to, "to 1.36",
# is in the unit of the measure, not in points)
_POINTS = re.compile(r"\s+points?\b")
_MOVED = re.compile(
    r"\b(?:fell|rose|slid|dropped|gained|lost|declined|climbed|jumped|added|shed|down|up|by)\s+(?:about\s+|some\s+)?$"
)
# "130 survived", "2,300 of the town's 9,000 people survived", "the 40 survivors": survivors are counted
# (a rescue or a crash toll "none of whom survived" is the casualty pass's, claimed before)
_SURVIVED = re.compile(
    r"(?:\s+(?!(?:were|was|are|is|and|or|who|that|had|have|has)\b)[a-z\-]+){0,2}?\s+(?:(?:have|had|has|all|also|reportedly|"
    r"narrowly|miraculously)\s+)*survived\b(?!\s+(?:by|on)\b)|(?:\s+[a-z\-]+)?\s+survivors\b",
    re.I,
)
# "212 of the 350 seats": the part's counted noun is the whole's
_OF_THE = re.compile(r"\s+(?:out\s+)?of\s+(?:the|its|their|all)\s+$")


def _counted_whole(st: str, m: NumberMention) -> str | None:
    """The unit of a denominator that counts things, not persons ("of the 350 seats"): persons
    there are casualty parts ("eleven of the 14 foreigners") or a population."""
    if m.nonfact != "ratio" or not _OF_THE.search(st[max(0, m.start - 20) : m.start]):
        return None
    counted = _counted_noun(st, m)
    return counted[0] if counted and counted[0] != "people" else None


def _share_of_whole(st: str, m: NumberMention, mentions: list[NumberMention]) -> str | None:
    """The unit of "212" in "212 of the 350 seats", and of "350" itself."""
    whole = _counted_whole(st, m)
    if whole:
        return whole
    nxt = next((n for n in mentions if n.start > m.end), None)
    if m.nonfact is not None or nxt is None or not _OF_THE.fullmatch(st[m.end : nxt.start]):
        return None
    return _counted_whole(st, nxt)


def _where_not_what(st: str, m: NumberMention, noun: str) -> bool:
    """Places counted say where ("in seven countries", "in 23 villages"), not how much; settlements
    a flood or a fire acts on are counted ("flooding 17 villages", "2,140 villages were hit")."""
    if noun not in _PLACES:
        return False
    return noun not in _SETTLEMENTS or bool(_WHERE_BEFORE.search(st, max(0, m.start - 30), m.start))


def _not_a_noun_unit(noun: str) -> bool:
    """Words a count can stand before that are no unit ("years", "was", "bus", "class")."""
    return noun in _NOT_UNITS or len(noun) < 4 or noun.endswith(("ss", "us", "is"))


def _counted_noun(st: str, m: NumberMention) -> tuple[str, str, int] | None:
    """(unit, noun as written, end) when a counted noun follows the number."""
    c = _COUNTED.match(st, m.end) or (_OF_NOUN.match(st, m.end) if m.vague else None)
    if not c or _PHYSICAL.match(st, m.end):  # "312 millimetres", "120 mph tore roofs": a measure
        return None
    noun = c.group("noun")
    if _not_a_noun_unit(noun) or _where_not_what(st, m, noun):
        return None
    # (a counted noun here is lower case, so never a nationality: "2,100 electricity poles")
    person = noun in _PERSON_UNITS or noun in _PERSONISH or noun[:-1] in _PERSON_COMMON_SINGULAR
    if noun in _OWN_UNIT:
        person = False
    # people merely present ("around 50 people", "650 students had been in the school") are no
    # statistic; crowds a monitor keeps are large ("2.5 million pilgrims")
    if person and m.value < 100_000 or m.value < 10:
        return None
    return ("people" if person else noun), noun, c.end()


def _list_item_unit(text: str, sent: Sentence, st: str, m: NumberMention) -> str | None:
    """ "Ukraine: 30,338" in a list under "Countries with the highest increases in cases": the
    header's counted noun."""
    if not _LIST_ITEM.search(st[: m.start]) or re.match(r"\s*(?!(?:and|or)\b)[A-Za-z]", st[m.end :]):
        return None
    # the header is the nearest line before that is not itself an item
    before = text[max(0, sent.start + m.start - 600) : sent.start + m.start].split("\n")
    for line in reversed(before[:-1]):
        if _LIST_ITEM.search(re.sub(r"[\d,.\s]+$", "", line) + " ") and re.search(r"\d\s*$", line):
            continue
        h = _HEADER_NOUN.search(line)
        return (h.group("n1") or h.group("n2")).lower() if h else None
    head = _HEADER_NOUN.search(st[: m.start])
    return (head.group("n1") or head.group("n2")).lower() if head else None


_NUMBER_OF_NOUN = re.compile(
    r"\b(?:number|tally|count)\s+of\s+(?:[a-z]+\s+){0,2}?(?P<noun>[a-z]+s|people|children)\b(?P<mid>[^.;:]{0,45})$"
)


_POPULATION_BY = re.compile(
    r"\bpopulation\b[^.;]{0,30}\b(?:shrank|shrunk|fell|fallen|declined|dropped|decreased|"
    r"grew|grown|rose|risen|increased|climbed|jumped)\s+(?:by\s+)?$"
)


# "Births dropped to 249,000", "exports of cars rose by 12,000": a counted noun moved by the number
_NOUN_MOVED = re.compile(
    r"\b(?P<noun>[A-Za-z][a-z]+s)\s+(?:have\s+|has\s+|had\s+)?(?:rose|risen|fell|fallen|dropped|declined|decreased|"
    r"grew|grown|increased|climbed|jumped|slid|totall?ed|reached|stood\s+at|came\s+to|numbered)\s+"
    r"(?:by\s+|to\s+)?(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+)?$"
)
# measures that move by a number without counting anything
_NOT_COUNTED = frozenset("temperatures prices rates levels numbers figures totals tolls sales costs waters".split())
# "estimated the crowd at 15,000", "a crowd of 20,000", "organisers put it at 40,000" (the crowd named before)
_CROWD = re.compile(
    r"\bcrowds?\b(?:[^.;]{0,60}\b(?:at|of)|[^.;]{0,60}\b(?:put|estimated|numbered)\s+(?:it|them)\s+at)\s+"
    r"(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|up\s+to\s+)?$"
)


def _number_of_unit(st: str, m: NumberMention) -> str | None:
    """ "the number of births fell 53,166 to 865,234", "the total number of votes was 233,877";
    "the population shrank by 837,000", "a crowd of 20,000" (people); "Births dropped to 249,000"."""
    before = st[max(0, m.start - 90) : m.start]
    # (a crowd is kept when large, as counted persons are: "a crowd of about 50 people" is no statistic)
    if _POPULATION_BY.search(before[-70:]) or m.value >= 10_000 and _CROWD.search(before):
        return "people"
    moved = _NOUN_MOVED.search(before[-50:])
    if moved and not _PHYSICAL.match(st, m.end):  # "Snow depths reached 1.8 metres": a measure
        noun = moved.group("noun").lower()
        if not (noun in _NOT_COUNTED or noun in _PLACES or _not_a_noun_unit(noun)):
            return _unit_of_noun(noun)
    n = _NUMBER_OF_NOUN.search(before)
    if not n or re.search(r"\b(?:could|would|will|may|might|expected|forecast)\b", n.group("mid")):
        return None
    return _unit_of_noun(n.group("noun"))


def _unit_of_noun(noun: str) -> str:
    """A counted noun as a unit: persons are `people` ("voters", "households" stay themselves)."""
    return "people" if noun in _PERSON_UNITS and noun not in _OWN_UNIT else noun


# "Of the 2,900 buildings inspected, 1,100 were unsafe"
_OF_THE_LEAD = re.compile(r"\W*Of\s+(?:the|its|their|all)\s+[^;]{3,60}?,\s+$")
# "Houses destroyed: 4,512; schools affected: 96"
_LABELLED_COUNT = re.compile(r"(?:^|[;,\n]|\.\s)\s*(?P<noun>[A-Za-z][a-z]+s)(?:\s+[a-z]+)?\s*:\s*$")


def _labelled_unit(st: str, m: NumberMention) -> str | None:
    """The unit of a number after its label ("Houses destroyed: 4,512")."""
    lab = _LABELLED_COUNT.search(st, max(0, m.start - 40), m.start)
    if not lab:
        return None
    noun = lab.group("noun").lower()
    # a casualty field ("Injuries: 7 people") is the casualty pass's, never a statistic's unit
    if _not_a_noun_unit(noun) or noun in ("says", "follows", "fatalities", "deaths", "injuries", "casualties"):
        return None
    return _unit_of_noun(noun)


_OF_THEM = re.compile(r"\s+of\s+them\b")


def _same_unit_after(st: str, m: NumberMention) -> bool:
    """ "4.2 million containers in 2022, against 3.9 million in 2021", "600 seats, up from 550":
    a bare number compared with the counted one before it."""
    if _PHYSICAL.match(st, m.end) or not (
        _SAME_UNIT_BEFORE.search(st[max(0, m.start - 20) : m.start])
        or _OF_THE_LEAD.match(st, 0, m.start)
        or _OF_THEM.match(st, m.end)  # "8,900 houses were damaged, 1,200 of them completely"
    ):
        return False
    return not re.match(r"\s*[A-Za-z]{3,}", st[m.end :]) or bool(
        re.match(r"\s+(?:in|under|at|by|on|for|still|were|was|had|have|are|(?!need)[a-z]+ed|[a-z]+ly)\b", st[m.end :])
    )


def _physical(st: str, sent: Sentence, mentions: list[NumberMention]) -> list[FactBase]:
    """Distances, areas, masses … read by quantulum3 for the given number mentions."""
    # parse only a window around the candidates: quantulum3's cost grows with the text
    lo = max(0, min(m.start for m in mentions) - 40)
    hi = min(len(st), max(m.end for m in mentions) + 60)
    try:
        quantities = _quantulum().parse(st[lo:hi])
    except Exception:  # quantulum3 raises on odd input; a statistic is not worth a failure
        return []
    out: list[FactBase] = []
    used = set()
    for q in quantities:
        entity = q.unit.entity.name
        if entity not in _Q_ENTITIES or q.unit.name in ("dimensionless",):
            continue
        unit = _Q_UNITS.get(q.unit.name)
        if unit is None:
            continue
        qs, qe = q.span[0] + lo, q.span[1] + lo
        if _locator(unit, st, qe):
            continue
        for m in mentions:
            if m.num_start <= qs < m.end + 1 or qs <= m.num_start < qe:
                if id(m) in used:
                    break
                # a conversion in brackets "10 kilometers (6 miles)" is the same quantity
                if st[max(0, qs - 1) : qs] == "(" and out:
                    break
                used.add(id(m))
                out.append(
                    FactBase(
                        kind="statistic",
                        value=m.value,
                        low=m.low,
                        high=m.high,
                        qualifier=m.qualifier,
                        unit=unit,
                        subject=None,
                        span_start=sent.start + min(m.start, qs),
                        span_end=sent.start + max(qe, m.end),
                        sentence=sent.text,
                    )
                )
                break
    return out
