"""`statistic` facts: quantities with units outside the casualty grammar's claims."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract
from extractors.statistics import extract_statistics
from extractors.text import split_sentences


def stats(text, claimed=()):
    facts = extract_statistics(text, split_sentences(text), list(claimed), dt.date(2024, 1, 10))
    return [(f.value, f.unit, f.qualifier, text[f.span_start : f.span_end]) for f in facts]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Donors pledged $5 million in aid.", (5_000_000, "USD", "exact", "$5 million")),
        ("The damage is put at about $2.5bn.", (2_500_000_000, "USD", "about", "about $2.5bn")),
        ("The council set aside £30m for repairs.", (30_000_000, "GBP", "exact", "£30m")),
        ("The fund raised 4 billion euros.", (4_000_000_000, "EUR", "exact", "4 billion euros")),
        ("Prices of flour rose 40% in a week.", (40, "percent", "exact", "40%")),
        ("Turnout fell to 38 percent.", (38, "percent", "exact", "38 percent")),
        ("A 6.8-magnitude earthquake struck the coast.", (6.8, "magnitude", "exact", "6.8-magnitude")),
        ("A quake of magnitude 5.2 shook the city.", (5.2, "magnitude", "exact", "magnitude 5.2")),
        ("The storm destroyed more than 3,000 homes.", (3000, "homes", "more_than", "more than 3,000 homes")),
        ("Floods damaged 120 schools.", (120, "schools", "exact", "120 schools")),
        ("Fighters torched 45 vehicles.", (45, "vehicles", "exact", "45 vehicles")),
        ("The drought killed 2.1 million livestock.", (2_100_000, "livestock", "exact", "2.1 million livestock")),
        ("The agency shipped 1,500 tonnes of food aid.", (1500, "tonnes", "exact", "1,500 tonnes")),
        ("The fire burned 800 square kilometres of forest.", (800, "km2", "exact", "800 square kilometres")),
        ("The convoy travelled 120 kilometres to the border.", (120, "km", "exact", "120 kilometres")),
        ("Crews cut a fire line round the 9,500-acre blaze.", (9500, "acres", "exact", "9,500-acre")),
        ("Marriages fell to 480,000 last year.", (480_000, "marriages", "exact", "480,000")),
        ("Officials estimated the crowd at 25,000.", (25_000, "people", "exact", "25,000")),
        ("Four clinics were looted.", (4, "clinics", "exact", "Four clinics")),
        ("The rains cut off 23 villages.", (23, "villages", "exact", "23 villages")),
        ("Malaria killed 38 per 100,000 people.", (38, "per 100,000 people", "exact", "38 per 100,000 people")),
        ("Herders lost 3,000 goats.", (3000, "goats", "exact", "3,000 goats")),
        ("Losses reached PHP 2.5 billion.", (2_500_000_000, "PHP", "exact", "PHP 2.5 billion")),
        ("Of the 60 people on the boat, only 41 survived.", (41, "people", "exact", "41 survived")),
        ("Eight passengers survived the crash.", (8, "people", "exact", "Eight passengers survived")),
        ("Crop losses were put at PHP845.2 million.", (845_200_000, "PHP", "exact", "PHP845.2 million")),
        ("The ministry released USD12,500,000 for repairs.", (12_500_000, "USD", "exact", "USD12,500,000")),
        ("The city recorded 46.2C on Friday.", (46.2, "celsius", "exact", "46.2C")),
        ("The storm dropped 11 inches of rain.", (11, "inches", "exact", "11 inches")),
        ("Herders lost 3,000 goats, sheep and camels.", (3000, "animals", "exact", "3,000 goats")),
    ],
)
def test_one_statistic(text, expected):
    assert stats(text) == [expected]


def test_others_takes_the_unit_of_the_count_before():
    assert stats("The quake flattened 900 houses and damaged 2,000 others.") == [
        (900, "houses", "exact", "900 houses"),
        (2000, "houses", "exact", "2,000 others"),
    ]


def test_conversion_in_brackets_is_the_same_quantity():
    assert stats("The epicentre was 12 kilometres (7 miles) deep.") == [(12, "km", "exact", "12 kilometres")]


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2011.",
        "Resolution 2254 was adopted on December 18, 2015.",
        "Flight 17 left at 2.15pm from gate 9.",
        "A 35-year-old man was arrested.",
        "It was the third attack this year.",
        "Route 66 was closed for 3 hours.",
        "The G20 met in Osaka.",
        "Call 555-0199 for help.",
        "Protests were held in 23 villages.",  # where, not how much
        "Police dispersed a crowd of about 400 people.",  # people merely present
        "The two sides met twice.",
        "The UAE 2030 plan was announced.",  # capitals before a number are no currency
        "The founder is survived by 4 grandchildren.",
        "The jet carried an ABC123 transponder.",
        # distances that say where, not how much
        "The shell landed 12km east of the market.",
        "The camp lies some 40 kilometres south-west of the capital.",
        "Gunmen opened fire about 800 yards from the checkpoint.",
        "The village is 25 miles (40 km) north of the border.",
        "The quake struck 15 kilometres below the surface.",
        # a stretch of time, no share; a region's number is its name
        "Exports fell in the first half of the year.",
        "Floods hit Region 6 (Western Visayas) hardest.",
    ],
)
def test_no_statistic_from_years_names_ages_times(text):
    assert stats(text) == []


def test_claimed_spans_are_left_alone():
    text = "The blast killed 12 people and destroyed 30 homes."
    start = text.index("12")
    assert stats(text, [(start, start + len("12 people"))]) == [(30, "homes", "exact", "30 homes")]


def test_statistics_through_the_pipeline_carry_source_place_and_date():
    text = "KATHMANDU (Reuters) - The earthquake destroyed 8,000 homes in Gorkha district, officials said on Monday."
    facts = [f for f in extract(text, "2024-01-10") if f.kind == "statistic"]
    assert [(f.value, f.unit) for f in facts] == [(8000, "homes")]
    f = facts[0]
    assert f.source == "officials"
    assert f.country_code == "NP"
    assert f.date == dt.date(2024, 1, 8)


def test_quantulum_is_not_called_without_a_candidate(monkeypatch):
    from extractors import statistics

    def boom():
        raise AssertionError("quantulum3 called")

    monkeypatch.setattr(statistics, "_quantulum", boom)
    stats("Twelve people died in 2011, and 3 of 4 victims were women.")
    stats("Donors pledged $5 million and 30% more.")


@pytest.mark.parametrize(
    "text, unit",
    [
        ("Traders in Kampala, Uganda, were paid 2 billion shillings.", "UGX"),  # "shillings": Uganda's
        ("In Colombo, Sri Lanka, the cabinet released Rs 40 million.", "LKR"),  # "Rs": Sri Lanka's
        ("Traders in Kampala, Uganda, were paid KSh 3 billion by a Kenyan fund.", "KES"),  # "KSh" says whose
        ("A relief fund in Lahore, Pakistan, received ₹500 crore from Indian donors.", "INR"),
    ],
)
def test_rupee_and_shilling_take_the_country_only_when_the_amount_does_not_say_whose(text, unit):
    assert [f.unit for f in extract(text, "2024-01-10") if f.kind == "statistic"] == [unit]
