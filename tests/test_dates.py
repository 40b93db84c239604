"""Dates resolved against the publication date. Invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.context import attach_context
from extractors.dates import find_dates
from extractors.schema import FactBase
from extractors.text import split_sentences

PUB = dt.date(2023, 3, 15)  # a Wednesday


def iso(text, published=PUB):
    found = find_dates(text, published)
    return [d.iso for d in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on March 9", "2023-03-09"),
        ("on Mar. 9", "2023-03-09"),
        ("on 9 March 2021", "2021-03-09"),
        ("the 9th of March", "2023-03-09"),
        ("on Dec. 30", "2022-12-30"),  # a day after publication in the year: last year's
        ("09/03/2023", "2023-03-09"),
        ("03/29/2023", "2023-03-29"),  # US order when the day cannot be a month
        ("2023-03-09", "2023-03-09"),
        ("on Monday", "2023-03-13"),
        ("on Wednesday", "2023-03-15"),  # the publication day itself
        ("Thursday's attack", "2023-03-09"),
        ("yesterday", "2023-03-14"),
        ("last night", "2023-03-14"),
        ("last week", "2023-03-08"),
        ("three days ago", "2023-03-12"),
        ("since February 28", "2023-02-28"),
        ("in January", "2023-01"),
        ("in November", "2022-11"),
        ("last month", "2023-02"),
        ("in 2011", "2011"),
        ("since mid-2019", "2019"),
    ],
)
def test_single_expressions(text, expected):
    assert iso(text)[-1] == expected


def test_the_night_before_is_relative_to_the_date_written():
    found = find_dates("They met again on March 4 to protest the arrests the night before.", PUB)
    assert [d.iso for d in found] == ["2023-03-04", "2023-03-03"]


@pytest.mark.parametrize(
    "text",
    [
        "may 3 people",
        "5 people",
        "Route 9",
        "the 2.15pm train",
        "G20 summit",
    ],
)
def test_not_dates(text):
    assert iso(text) == []


def test_without_publication_date_only_absolute_dates_resolve():
    assert iso("on Monday", None) == [None]
    assert iso("on 9 March 2021", None) == ["2021-03-09"]


def _date(text, figure, published=PUB):
    pos = text.index(figure)
    fact = FactBase(kind="killed", value=1, span_start=pos, span_end=pos + len(figure), sentence="")
    attach_context([fact], text, split_sentences(text), published)
    return fact.date


def test_fact_dates():
    assert _date("Eleven people died on Monday in the fire.", "Eleven") == dt.date(2023, 3, 13)
    assert _date("Eleven people died in the fire, police said.", "Eleven") == PUB
    assert _date("In 2011, a similar blast killed 77 people.", "77") == dt.date(2011, 1, 1)
    # a month of the publication's own month is no more precise than the publication day
    assert _date("In March, floods displaced 400 people.", "400") == PUB
    # the date of another clause does not govern a figure in a relative clause
    assert _date("The siege began in January, which the agency says left 900 homeless.", "900") == PUB
    assert _date("Two died on Sunday, while three more died on Tuesday.", "three") == dt.date(2023, 3, 14)
    assert _date("Eleven people died on Monday.", "Eleven", None) is None


def test_a_sentence_opening_with_a_day_dates_the_next_ones():
    text = "On 4 February 2023, gunmen attacked a market near Gao. Nine traders were killed."
    assert _date(text, "Nine") == dt.date(2023, 2, 4)
    # a new paragraph, or a date of its own, stops it
    text = "On 4 February 2023, gunmen attacked a market.\nNine traders were killed."
    assert _date(text, "Nine") == PUB
    text = "On 4 February 2023, gunmen attacked a market. Nine died on Monday."
    assert _date(text, "Nine") == dt.date(2023, 3, 13)


def test_a_year_used_as_a_modifier_dates_a_historical_figure():
    assert _date("The 2011 attack that killed 77 people is still remembered.", "77") == dt.date(2011, 1, 1)
    assert iso("the 2015 flood") == ["2015"]
    assert iso("the 2015 people") == []


def _date_of(text, figure, published=dt.date(2023, 11, 2)):
    from extractors.context import attach_context
    from extractors.schema import FactBase
    from extractors.text import split_sentences

    pos = text.index(figure)
    fact = FactBase(kind="killed", value=1, span_start=pos, span_end=pos + len(figure), sentence="")
    attach_context([fact], text, split_sentences(text), published)
    return fact.date


def test_the_day_a_toll_stood_not_the_start_of_its_period():
    # published Thursday 2 November 2023
    text = "At least 8,800 people have been killed in Gaza since October 7, the ministry said on Thursday."
    assert _date_of(text, "8,800") == dt.date(2023, 11, 2)
    text = "Strikes have killed 1,974 people since October last year, the ministry said on Wednesday."
    assert _date_of(text, "1,974") == dt.date(2023, 11, 1)


def test_the_day_a_toll_stood_not_the_day_of_the_event_counted():
    text = "The toll from Saturday's earthquake rose to 2,946 on Tuesday, officials said."
    assert _date_of(text, "2,946") == dt.date(2023, 10, 31)
    text = "The toll from the quake on Saturday has risen to 2,000, officials said."
    assert _date_of(text, "2,000") == dt.date(2023, 11, 2)


def test_by_and_as_of_fix_the_day():
    text = "The outbreak had killed 2,900 people by September 21, figures showed on Friday."
    assert _date_of(text, "2,900") == dt.date(2023, 9, 21)
    text = "The office recorded 227 civilian deaths as of midnight on March 1."
    assert _date_of(text, "227", dt.date(2022, 3, 3)) == dt.date(2022, 3, 1)


def test_a_datelines_date_is_not_the_figures():
    text = "ABIDJAN Oct 15 A total of 4,493 people have died by Oct. 12, figures showed on Wednesday."
    assert _date_of(text, "4,493", dt.date(2014, 10, 15)) == dt.date(2014, 10, 12)


def test_capitals_pass_the_cheap_date_test():
    # find_dates' first test runs on the lower-cased text: "YESTERDAY" still holds "day"
    found = find_dates("FIVE KILLED YESTERDAY", dt.date(2024, 3, 6))
    assert [d.date for d in found] == [dt.date(2024, 3, 5)]
