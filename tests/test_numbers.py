"""The number parser: values and intervals exactly as docs/facts.md's table, and non-facts."""

import pytest

from extractors.numbers import find_numbers, interval, parse_number


def one(text):
    found = [m for m in find_numbers(text)]
    assert len(found) == 1, found
    m = found[0]
    return text[m.start : m.end], m.value, m.low, m.high, m.qualifier


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,070", 1070),
        ("275,000", 275000),
        ("3.5", 3.5),
        ("816\u00a0000", 816000),
        ("816\u202f000", 816000),
        ("816 000", 816000),
        ("1.2 million", 1_200_000),
        ("2 billion", 2e9),
        ("2bn", 2e9),
        ("3.4m people", 3_400_000),
        ("10k", 10_000),
        ("two thousand", 2000),
        ("one", 1),
        ("twenty-five", 25),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("two hundred and fifty", 250),
        ("a dozen", 12),
        ("three dozen", 36),
        ("half a million", 500_000),
        ("Seven", 7),
        ("five million", 5_000_000),
        ("1,234,567", 1234567),
    ],
)
def test_values(text, value):
    m = parse_number(text)
    assert m is not None and m.value == value and m.qualifier == "exact" and m.low == m.high == value


@pytest.mark.parametrize(
    "text, value, low, high, qualifier",
    [
        ("at least 12", 12, 12, None, "at_least"),
        ("12 or more", 12, 12, None, "at_least"),
        ("no fewer than 40", 40, 40, None, "at_least"),
        ("more than 300", 300, 301, None, "more_than"),
        ("over 86,700", 86700, 86701, None, "more_than"),
        ("more than 1.4 million", 1_400_000, 1_400_001, None, "more_than"),
        ("nearly 18,450", 18450, None, 18450, "at_most"),
        ("almost 70,000", 70000, None, 70000, "at_most"),
        ("up to 300", 300, None, 300, "at_most"),
        ("as many as 40", 40, None, 40, "at_most"),
        ("fewer than 20", 20, None, 19, "less_than"),
        ("about 400,000", 400000, 360000, 440000, "about"),
        ("around 50", 50, 45, 55, "about"),
        ("some 40", 40, 36, 44, "about"),
        ("approximately 226,700", 226700, 204030, 249370, "about"),
        ("an estimated 12,000", 12000, 10800, 13200, "about"),
        ("between 20 and 30", 20, 20, 30, "range"),
        ("20 to 30", 20, 20, 30, "range"),
        ("20-30", 20, 20, 30, "range"),
        ("20–30", 20, 20, 30, "range"),
        ("between 2 and 3 million", 2e6, 2e6, 3e6, "range"),
        ("two or three", 2, 2, 3, "range"),
        ("at least 10 to 12", 10, 10, 12, "range"),
    ],
)
def test_qualifiers_and_ranges(text, value, low, high, qualifier):
    phrase, v, lo, hi, q = one(text)
    assert (v, lo, hi, q) == (value, low, high, qualifier)
    assert phrase == text


@pytest.mark.parametrize(
    "text, value, low, high",
    [
        ("dozens", 24, 24, 99),
        ("scores of people", 40, 40, 99),
        ("hundreds", 200, 200, 999),
        ("thousands", 2000, 2000, 9999),
        ("tens of thousands", 20_000, 20_000, 99_999),
        ("hundreds of thousands", 200_000, 200_000, 999_999),
        ("millions", 2e6, 2e6, 9_999_999),
        ("several hundred", 200, 200, 999),
        ("a few thousand", 2000, 2000, 9999),
    ],
)
def test_vague_amounts(text, value, low, high):
    m = parse_number(text)
    assert (m.value, m.low, m.high, m.qualifier) == (value, low, high, "vague")


def test_a_couple_hundred_is_about_two_hundred():
    m = parse_number("a couple hundred")
    assert (m.value, m.low, m.high, m.qualifier) == (200, 180, 220, "about")


@pytest.mark.parametrize("words", ["several", "many", "an unknown number of", "a few", "no one"])
def test_words_that_are_not_numbers(words):
    assert find_numbers(f"{words} people were hurt") == []


def test_interval_table():
    assert interval(100, "exact") == (100, 100)
    assert interval(100, "at_least") == (100, None)
    assert interval(100, "more_than") == (101, None)
    assert interval(100, "at_most") == (None, 100)
    assert interval(100, "about") == (90, 110)
    assert interval(45, "about") == (41, 50)  # round half up: 40.5 -> 41, 49.5 -> 50


@pytest.mark.parametrize(
    "text, number, reason",
    [
        ("In 2008, a quake struck", "2008", "year"),
        ("since 2011", "2011", "year"),
        ("the 1990s", "1990", "date"),
        ("mid-2021", "2021", "date"),
        ("On October 29, rebels attacked", "29", "date"),
        ("on 3 May 2020", "3", "date"),
        ("8th Oct, 2023", "8", "date"),
        ("9/11", "9", "date"),
        ("at 2.15pm", "2.15", "time"),
        ("around 3 am", "3", "time"),
        ("at 0830 UTC", "0830", "time"),
        ("at 10:30 local time", "10", "time"),
        ("a 35-year-old man", "35", "age"),
        ("aged 14", "14", "age"),
        ("Ahmed Khan, 35, was", "35", "age"),
        ("children under 5", "5", "age"),
        ("the 3rd attack", "3", "ordinal"),
        ("Route 9", "9", "name"),
        ("Flight 17", "17", "name"),
        ("Resolution 2254", "2254", "name"),
        ("the 1070 Apartments district", "1070", "name"),
        ("Covid-19", "19", "identifier"),
        ("the G20 summit", "20", "identifier"),
        ("MH17", "17", "identifier"),
        ("a 13-hour siege", "13", "duration"),
        ("a five-hour gun battle", "five", "duration"),
        ("a 40,000-strong force", "40,000", "modifier"),
        ("they won 3-1", "3", "score"),
        ("40% of them", "40", "percent"),
        ("40 per cent", "40", "percent"),
        ("$400 million", "400 million", "money"),
        ("call +44 20 7946 0958", "44", "identifier"),
    ],
)
def test_non_facts(text, number, reason):
    found = {text[m.num_start : m.end]: m.nonfact for m in find_numbers(text)}
    assert found.get(number) == reason, found


def test_magnitude_is_a_statistic_not_a_name():
    (m,) = find_numbers("a magnitude-7.1 quake")
    assert m.value == 7.1 and m.nonfact is None


def test_revision_from_is_not_a_range():
    found = find_numbers("the toll rose from 10 to 20")
    assert [(m.value, m.nonfact) for m in found] == [(10, "revision"), (20, None)]
    found = find_numbers("rose to 3,400, up from 3,100")
    assert [(m.value, m.nonfact) for m in found] == [(3400, None), (3100, "revision")]


def test_metres_are_not_millions():
    m = parse_number("a wall 2m high")
    assert m.value == 2


def test_spans_index_the_original_text():
    text = "Officials said “more than\u00a01,200” fled."
    (m,) = find_numbers(text)
    assert text[m.start : m.end] == "more than\u00a01,200"


def test_capitals_and_case_twins_read_as_lower_case():
    # find_numbers matches the lower-cased text unless one of text.CASE_TWINS is in it
    for text, value in [
        ("FIVE HUNDRED people", 500),
        ("TENS OF THOUSANDS fled", 20_000),
        ("5 LAKH 12 THOUSAND cases", 512_000),
        ("8.3 Million", 8_300_000),
        ("BURİED: FIVE HUNDRED people", 500),
        ("ſeveral hundred", 200),
    ]:
        found = find_numbers(text)
        assert found and found[0].value == value, text


def test_for_lowered_text_refuses_patterns_that_need_case():
    import re

    from extractors.text import for_lowered_text

    assert for_lowered_text(re.compile(r"(?P<n>\d+)\s+killed", re.I)) is not None
    assert for_lowered_text(re.compile(r"Jan|Feb", re.I)) is None
    assert for_lowered_text(re.compile(r"\S+ killed", re.I)) is None
    assert for_lowered_text(re.compile(r"killed")) is None  # not case-blind
    assert for_lowered_text(re.compile(r"a(?-i:b)", re.I)) is None
