"""Attribution: who a figure is attributed to. Invented sentences, one construction each."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.attribution import doer_source, find_attributions, governing, headline_source
from extractors.context import attach_context
from extractors.schema import FactBase
from extractors.text import split_sentences


def source_of(sentence: str, figure: str) -> str | None:
    attrs = find_attributions(sentence)
    a = governing(attrs, sentence.index(figure))
    return a.source if a else None


@pytest.mark.parametrize(
    "sentence, figure, source",
    [
        # X said / says / told / reported / estimated / announced / confirmed, before the figure
        ("The Red Crescent said 14 people were killed in the blast.", "14", "The Red Crescent"),
        ("Local officials say at least 40 homes were flooded.", "40", "Local officials"),
        ("The interior ministry announced that 19 police officers had been wounded.", "19", "The interior ministry"),
        ("The health agency estimated 2,300 people were displaced by the storm.", "2,300", "The health agency"),
        ("Civil defence confirmed nine deaths on the island.", "nine", "Civil defence"),
        # after the figure
        ("Twelve miners were trapped underground, the company said.", "Twelve", "the company"),
        (
            "At least 80 people died in the fire, a hospital director told reporters on Monday.",
            "80",
            "a hospital director",
        ),
        ("More than 60 people were hurt, said Amara Okafor, a doctor at the main clinic.", "60", "Amara Okafor"),
        ("Seventeen people were detained, said regional police.", "Seventeen", "regional police"),
        # appositions and roles trimmed
        ("Lena Kowalski, a spokeswoman for the fire service, said 23 people were rescued.", "23", "Lena Kowalski"),
        (
            '"We have found 31 bodies," Pedro Alvarez, head of the rescue brigade, told the radio station.',
            "31",
            "Pedro Alvarez",
        ),
        ("Nine were killed, said provincial police spokesman Tariq Baloch.", "Nine", "Tariq Baloch"),
        (
            "Omar Haddad from the press office of the city council said 35 families had lost their homes.",
            "35",
            "Omar Haddad",
        ),
        (
            "The Mountain Relief Network, a charity that runs shelters in the valley, said 400 people needed tents.",
            "400",
            "The Mountain Relief Network",
        ),
        # according to / citing / put the toll at / quoted as saying
        ("Some 300 people have fled the fighting, according to the refugee agency.", "300", "the refugee agency"),
        ("According to unverified accounts, 50 fighters were captured.", "50", "unverified accounts"),
        ("The news agency, citing local officials, said 11 were dead.", "11", "local officials"),
        ("The provincial governor put the death toll at 27.", "27", "The provincial governor"),
        ("The Tass agency quoted an emergency official as saying 8 people were missing.", "8", "an emergency official"),
        # passive agent
        (
            "The quake was measured by the National Seismic Bureau at 5.9 magnitude.",
            "5.9",
            "the National Seismic Bureau",
        ),
        # reported speech spanning clauses, source with its own place phrase
        (
            "Medics and volunteers in northern Idlib said shelling had killed dozens of people.",
            "dozens",
            "Medics and volunteers in northern Idlib",
        ),
        # a relative clause
        ("The army took the camp, which the monitor says housed 7,000 people.", "7,000", "the monitor"),
        # the reporter's own statement
        ("Five people were killed in the crash on the coastal road.", "Five", None),
        ("One person was reported missing after the storm.", "One", None),
        # lower-case bodies, passive quotes, agents, asides between dashes (round 13)
        ("Upstream, rescue volunteers said 6 people drowned.", "6", "rescue volunteers"),
        ("In Pima County, first responders said 4 hikers died.", "4", "first responders"),
        ("The mayor was quoted by local radio as saying 9 houses burned with 2 people inside.", "9", "The mayor"),
        ("Data released by the health ministry showed 52 cholera deaths.", "52", "the health ministry"),
        ("Eight deaths were reported by Tuesday night in the district.", "Eight", None),
        ("Nine Britons confirmed dead after the coach crash.", "Nine", None),  # a participle, not a report
        ("The coroner -- who examined the bodies on Friday -- said 5 had drowned.", "5", "The coroner"),
        ("The Rome-based charity Sant'Egidio said 30 migrants died at sea.", "30", "Sant'Egidio"),
        ("Most of the victims are said to be farmers, 20 of them women.", "20", None),
    ],
)
def test_source_in_sentence(sentence, figure, source):
    assert source_of(sentence, figure) == source


def test_headline_source():
    assert headline_source("Floods leave 12 dead in the north: civil protection") == "civil protection"
    assert headline_source("Quake toll climbs to 300: UN") == "UN"
    assert headline_source("Pakistan: 7 killed in market blast") is None
    assert headline_source("UN: 1 million displaced by fighting") == "UN"
    assert headline_source("Hurricane Ian: 40 dead") is None
    assert headline_source("At least 12 killed in blast, says interior ministry") == "interior ministry"


def _context(text, figure, published=dt.date(2024, 5, 10), title=None, nth=0):
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(figure, pos + 1)
    fact = FactBase(kind="killed", value=1, span_start=pos, span_end=pos + len(figure), sentence="")
    attach_context([fact], text, split_sentences(text), published, title)
    return fact


def test_pronoun_resolves_to_person_named_before():
    text = "Maria Santos, the mayor, visited the flooded district. At least 15 people drowned, she said."
    assert _context(text, "15").source == "Maria Santos"


def test_surname_resolves_to_full_name():
    text = "Police spokesman Karim Benali said the blast hit a bus. Four passengers were killed, Benali said."
    assert _context(text, "Four").source == "Karim Benali"


def test_the_ministry_resolves_to_the_named_body():
    text = (
        "The Ministry of Health of the region said the outbreak was spreading. "
        "The ministry said 230 cases had been confirmed."
    )
    assert _context(text, "230").source == "The Ministry of Health of the region"


def test_the_authority_resolves_to_the_last_named_body():
    text = (
        "The Disaster Management Authority (DMA) confirmed 12 deaths. "
        "The authority said 40,000 people had been affected."
    )
    assert _context(text, "40,000").source == "The Disaster Management Authority (DMA)"


def test_carry_over_continuing_report():
    text = "Rescuers pulled 30 people from the rubble, the fire brigade said. Eight of them later died in hospital."
    assert _context(text, "Eight").source == "the fire brigade"


def test_carry_over_quote_continuation():
    text = '"Nobody expected this," said Ana Ruiz, the town\'s mayor. "We have lost 14 of our neighbours."'
    assert _context(text, "14").source == "Ana Ruiz"


def test_no_carry_over_to_a_new_time_or_place():
    text = (
        "The flood killed 40 people in the valley, the governor said. In 2009, a storm killed 200 people in Nordland."
    )
    assert _context(text, "200").source is None


def test_no_carry_over_from_an_unrelated_statement():
    text = (
        "A rebel spokesman said the group had not been involved. "
        "The bombing of the market last week left 18 people dead."
    )
    assert _context(text, "18").source is None


def test_headline_gets_its_colon_source():
    text = "Floods leave 12 dead in the north: civil protection\nTwelve people have died in floods."
    assert _context(text, "12").source == "civil protection"
    assert _context(text, "Twelve").source is None


def test_a_list_of_places_is_not_a_source():
    s = "The storm killed 40 people across Chad, Niger and Mali, officials said."
    assert source_of(s, "40") == "officials"


def test_plain_plural_subject_is_not_an_apposition():
    s = "Nine people died in the collapse, Lagos, local police said."
    assert source_of(s, "Nine") == "local police"


def test_possessive_figures():
    s = "The World Food Programme's figures show 1.2 million people need aid."
    assert source_of(s, "1.2") == "The World Food Programme"


def test_a_definite_description_without_a_match_stays_as_written():
    text = "The health agency said 30 people were hurt. The army put the toll among its soldiers at 12."
    assert _context(text, "12").source == "The army"


def test_officials_resolve_to_the_body_named_just_before():
    text = "The Interior Ministry said the bomb went off at noon. Officials said 14 people were killed."
    assert _context(text, "14").source == "The Interior Ministry"
    text = "Witnesses said they heard two blasts. Officials said 14 people were killed."
    assert _context(text, "14").source == "Officials"


def test_hedge_alone_is_not_a_source():
    assert source_of("Reportedly, 300 people were detained.", "300") is None


def test_descriptions_name_the_body_given_before():
    text = (
        "The Syrian Observatory for Human Rights said 15 civilians were killed in Idlib. "
        "The UK-based monitoring group said 60 people had been wounded."
    )
    assert _context(text, "60").source == "The Syrian Observatory for Human Rights"
    text = (
        "Amnesty International said security forces had detained 7,000 protesters. "
        "The London-based rights group said 300 people had been killed."
    )
    assert _context(text, "300").source == "Amnesty International"
    text = "Human Rights Watch said 44 protesters were killed. The New York-based group said 300 had been detained."
    assert _context(text, "300").source == "Human Rights Watch"
    text = (
        "The Syrian Observatory for Human Rights said 1,100 civilians had died. "
        "The Observatory said 4,000 others were wounded."
    )
    assert _context(text, "4,000").source == "The Syrian Observatory for Human Rights"


def test_an_opening_according_to_governs_its_paragraph():
    text = (
        "According to the fire service, the ferry was carrying 500 passengers when it caught fire. "
        "At least 37 people died. Another 70 were taken to hospital.\n"
        "Ferries in the delta are often overcrowded. 12 people drowned in a similar accident in 2019."
    )
    assert _context(text, "37").source == "the fire service"
    assert _context(text, "70").source == "the fire service"
    assert _context(text, "12").source is None


def test_a_quotation_takes_the_speaker_named_after_it():
    text = (
        "Gunmen stormed a school in Kagara.\n"
        "“They kidnapped 42 people. One student was killed,” said Sani Idris, a spokesman for the state."
    )
    assert _context(text, "42").source == "Sani Idris"


def test_headline_sources_after_a_dash_or_says():
    from extractors.attribution import headline_source

    assert headline_source("Russia police detain 389 people - monitor") == "monitor"
    assert headline_source("Storm hits Texas - live updates") is None
    assert headline_source("Floods kill 12 — officials") == "officials"


def test_plural_nouns_are_not_reporting_verbs():
    from extractors.attribution import find_attributions

    assert find_attributions("Several northern Indian states have been hit by floods that left 150 dead.") == []


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "source"),
    [
        ("Police detained 23 people after scuffles.", "23", "arrested", "Police"),
        ("The coast guard rescued 78 migrants and recovered four bodies.", "four", "killed", "The coast guard"),
        ("The search ended with authorities recovering 27 bodies.", "27", "killed", "authorities"),
        ("Rescuers recovered 40 more bodies.", "40", "killed", None),  # rescuers do not report
        ("Police arrested 3 men after gunmen killed 12 people.", "12", "killed", None),  # not what they did
    ],
)
def test_the_body_that_did_what_it_counts(sentence, figure, kind, source):
    assert doer_source(sentence, sentence.index(figure), kind) == source
