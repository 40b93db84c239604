"""The cheap tests that run before slow patterns must never reject a text the pattern matches."""

import re

from extractors import casualty_patterns as P


def test_active_verbs_are_lower_case_letters_and_spaces():
    # ACTIVE_PAT's lookahead lets a match start only where lower-case letters, white space and colons
    # run up to the number; a verb written with another character ("set-fire") would never match.
    for verb, _ in P.ACTIVE:
        # (a lookahead past the number, such as "(?=\s+⟦\d+⟧ … to flee)", is outside that run)
        written = re.sub(r"\(\?=\\s\+⟦.*$", "", verb)
        literal = re.sub(r"\\s|\\w|\(\?:|[()|?+*]|\[sz\]", "", written)  # "\w*" after a stem: more letters
        assert re.fullmatch(r"[a-z:]*", literal), (verb, literal)


def test_active_lookahead_keeps_every_match():
    without = re.compile(P.ACTIVE_PAT.pattern.replace(r"(?=[a-z][a-z\s:]*⟦\d)", "", 1))
    for sk in (
        "the blast killed ⟦0⟧ people and wounded ⟦1⟧ others",
        "gunmen shot dead  ⟦0⟧ villagers, police said",
        "floods forced ⟦0⟧ residents to flee their homes",
        "the district (population : ⟦0⟧ people) was cut off",
        "the raid, which killed ⟦x⟧ people, injured another ⟦1⟧",
    ):
        assert [m.span() for m in P.ACTIVE_PAT.finditer(sk)] == [m.span() for m in without.finditer(sk)]


def test_number_lookahead_keeps_every_match():
    from extractors import numbers as N

    first = r"(?=[\dabdefhmnostz])"
    assert N._NUMBER_FIRST.startswith(first)
    without = re.compile(N._NUMBER.pattern.replace(N._NUMBER_FIRST, first, 1), N._NUMBER.flags)
    for text in (
        "Germany hundreds of people, a curfew dozen, several hundred and a few thousand fled",
        "M16 rifles, 3,41,226 cases, 5 lakh 12 thousand, Kenya few hundred, a couple of thousand",
        "twenty-five killed, an estimated two hundred and fifty injured, half a million displaced",
        "tens of thousands, scores were hurt, 1.2 crore people, 10km away, at 5pm",
    ):
        assert [m.span() for m in N._NUMBER.finditer(text)] == [m.span() for m in without.finditer(text)]


def test_part_cue_lookahead_keeps_every_match():
    without = re.compile(P.PART_CUE.pattern.replace("(?=[whmbafo])", "", 1), P.PART_CUE.flags)
    for text in (
        "Sindh was Worst-hit with 28 deaths, followed by Punjab",
        "  Of these, 42 deaths were reported from other states",
        "The province ACCOUNTED FOR 12 of the dead; most badly hit was Sindh",
        "Of the wounded, 11 were police officers",
        "The storm hit the coast on Monday",
    ):
        assert bool(P.PART_CUE.search(text)) == bool(without.search(text)), text


def test_date_time_and_fraction_lookaheads_keep_every_match():
    from extractors import context, numbers, statistics

    cases = (
        (
            numbers._DATE_SPANS,
            r"(?=[\dJFMASONDmelp])",
            "On March 3, 2024 and 4 May; 12/03/2024, 2024-03-12, the 1990s, mid-2020",
        ),
        (
            numbers._DATE_SPANS,
            r"(?=[\dJFMASONDmelp])",
            "between 1 and 24 March, Sept. 2023, from 3 to 9 May, pre-1990 rules",
        ),
        (
            context._NEW_TIME,
            r"(?:^|(?=[iIaotsLl\d]))",
            "In 2019 floods killed 12, two years ago, last year, 3 months ago",
        ),
        (context._NEW_TIME, r"(?:^|(?=[iIaotsLl\d]))", "Earlier in March, Last year and in 2020 the toll rose"),
        (
            statistics._FRACTION,
            "(?=[oatfhq])",
            "Two-thirds of the wells, a quarter of homes, Half of them, one fifth of a",
        ),
    )
    for rx, lookahead, text in cases:
        assert lookahead in rx.pattern
        without = re.compile(rx.pattern.replace(lookahead, "", 1), rx.flags)
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in without.finditer(text)], text


def test_may_hold_number_never_skips_a_number():
    from extractors.numbers import find_numbers, may_hold_number

    for text in (
        "A lakh people fled; zero deaths; fourty hurt; a trillion dollars",
        "Scores were hurt and tens of thousands fled; a dozen homes; several hundred cattle",
        "No one was killed and nobody was hurt, the mayor said.",
        "A man and his son died in an attack on the village.",
        "Twenty-five killed, 3 hurt",
    ):
        assert may_hold_number(text) or not find_numbers(text), text
    assert not may_hold_number("A man and his son died in an attack on the village.")


def test_lower_cased_twins_find_the_same_matches():
    # the twins run on the lower-cased sentence; a capital written into their pattern would silently lose them
    from extractors import places

    assert places._FACILITY_HINT_LOWER is not None and P.DEFINITE_AFTER_VERB_LOWER is not None
    for text in (
        "Militants stormed the Grand Hotel and a nearby MOSQUE, killing The guard and his son",
        "Gunmen shot dead her husband, and the driver was wounded at the city Stadium",
        "Police arrested their leader; a teacher, his wife and the children were freed",
        "No building was hit, officials said",
    ):
        assert bool(places._FACILITY_HINT.search(text)) == bool(places._FACILITY_HINT_LOWER.search(text.lower()))
        full = [(m.span(), m.groupdict()) for m in P.DEFINITE_AFTER_VERB.finditer(text)]
        twin = [(m.span(), m.groupdict()) for m in P.DEFINITE_AFTER_VERB_LOWER.finditer(text.lower())]
        assert [span for span, _ in full] == [span for span, _ in twin], text
        assert [{k: v and v.lower() for k, v in g.items()} for _, g in full] == [g for _, g in twin]


def test_month_dot_matches_as_written_with_its_lookbehind_first():
    from extractors import casualty

    before = re.compile(r"(?<=\b(?:jan|feb|mar|apr|aug|oct|nov|dec))\.(?=\s)|(?<=\bsept)\.(?=\s)")
    for text in ("struck on nov. 8 and sept. 3, not in a dec.x or an ajan. 4", "feb. jan.. oct.\n5 sept."):
        assert [m.span() for m in casualty._MONTH_DOT.finditer(text)] == [m.span() for m in before.finditer(text)]


def test_alternation_grouped_by_first_letter_keeps_every_match():
    from extractors.text import by_first_letter

    alternation = r"kill|dead|die|dying|ill\b|led\s|laid\s+to\s+rest|bod(?:y|ies)|fle[de]|flee|[a-z]x|kidnap|k"
    grouped = re.compile(by_first_letter(alternation.replace("|[a-z]x", "")))
    assert grouped.pattern.startswith("k(?:ill|idnap|)|d(?:ead|ie|ying)|")
    # an alternative led by a class stays in its place; those on either side are grouped apart
    assert "|[a-z]x|" in by_first_letter(alternation)
    assert by_first_letter(alternation).startswith("kill|d(?:ead|ie|ying)|")
    assert by_first_letter(alternation).endswith("|[a-z]x|k(?:idnap|)")
    assert by_first_letter("a?b|c") == "a?b|c"  # a quantified first letter: unchanged
    plain = re.compile(alternation.replace("|[a-z]x", ""))
    with_class, around = re.compile(alternation), re.compile(by_first_letter(alternation))
    for text in ("the kidnapped dying men fled", "bodies laid  to rest; led away", "ill fleeing kin", "K", "kx dx"):
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        assert [m.span() for m in around.finditer(text)] == [m.span() for m in with_class.finditer(text)], text


def test_nested_alternations_grouped_by_first_letter_keep_every_match():
    from extractors.text import alternations_by_first_letter

    source = (
        r"\b(?:was|were|is|are|been)\s+(?P<v>killed|kidnapped|hurt)\b(?:[^)(|]|\((?:a|an|the)\))*"
        r"(?i:(?:on|in|at)\s+(?:monday|tuesday|march))?|(?<=\s)(?:half|heaps)(?=\s+of)"
    )
    grouped = re.compile(alternations_by_first_letter(source))
    assert r"w(?:as|ere)|i(?:s)|a(?:re)|b(?:een)" not in grouped.pattern  # (a one-word group stays as written)
    assert r"(?:w(?:as|ere)|is|are|been)" in grouped.pattern
    assert r"(?P<v>killed|kidnapped|hurt)" in grouped.pattern  # a capturing group is left alone
    plain = re.compile(source)
    for text in ("they were kidnapped (the) On Monday and half of", "was hurt|x in March", "heaps of it"):
        assert [m.groups() for m in grouped.finditer(text)] == [m.groups() for m in plain.finditer(text)], text
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_place_phrase_lookahead_keeps_every_match():
    from extractors import places

    without = re.compile(places._PHRASE.pattern.replace("(?=[IiNnOoAaFfTtWw])", "", 1), places._PHRASE.flags)
    assert without.pattern != places._PHRASE.pattern
    preps = "In Near Off At On From Outside Across Around Throughout Inside Within Through To Into Toward Towards"
    for prep in preps.split():
        assert re.fullmatch(places._PREP, prep) and re.fullmatch(places._PREP, prep.lower()), prep
        text = f"{prep} Aleppo and {prep.lower()} the northern parts of Syria's east"
        assert [m.span() for m in places._PHRASE.finditer(text)] == [m.span() for m in without.finditer(text)], text
        assert places._PHRASE.search(text), text


def test_untagged_scans_find_the_tagged_matches():
    from extractors.text import exact_matches

    seen = set()
    for sk in (
        "the blast killed ⟦0⟧ people and wounded ⟦1⟧ others",
        "⟦0⟧ people were killed and ⟦1⟧ were injured, police said",
        "floods forced ⟦0⟧ residents to flee; ⟦1⟧ remain missing",
        "⟦0⟧ soldiers, including ⟦1⟧ officers, were reportedly abducted",
    ):
        for scan, tagged in ((P.ACTIVE_SCAN, P.ACTIVE_PAT), (P.PASSIVE_SCAN, P.PASSIVE)):
            found = [(m.span(), m.groupdict()) for m in exact_matches(scan, tagged, sk)]
            assert found == [(m.span(), m.groupdict()) for m in tagged.finditer(sk)], sk
            seen.update([tagged.pattern] if found else [])
    assert len(seen) == 2  # (both patterns found something)


def test_age_after_name_hint_holds_for_every_match():
    from extractors import numbers

    for text in ("Ahmed, 34, and Sara,\t7, died", "Kim,  101,\nwas hurt", "Moreover, 3, 45, 120 people"):
        assert numbers._AGE_AFTER_NAME.search(text), text
        assert numbers._AGE_AFTER_NAME_HINT.search(text), text
