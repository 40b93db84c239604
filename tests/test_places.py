"""Places: the GeoNames gazetteer and the place phrases of a sentence. Invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.context import attach_context
from extractors.places import countries_in, dateline, find_places, gazetteer
from extractors.schema import FactBase
from extractors.text import split_sentences


def first(sentence: str):
    found = [p for p in find_places(sentence) if p.generic is None]
    return found[0] if found else None


def test_gazetteer_knows_countries_regions_and_cities():
    g = gazetteer()
    assert g.resolve("Syria").kind == "country"
    assert g.resolve("Syria").country_code == "SY"
    assert g.resolve("Sindh").kind == "region"
    assert g.resolve("Balochistan", "province").country_code == "PK"
    mosul = g.resolve("Mosul")
    assert (mosul.kind, mosul.country_code) == ("city", "IQ")
    assert 35 < mosul.latitude < 37 and 42 < mosul.longitude < 44
    assert g.resolve("Jalalabad").country_code == "AF"  # GeoNames writes "Jalālābād"


def test_gazetteer_is_built_once():
    assert gazetteer() is gazetteer()


@pytest.mark.parametrize(
    "sentence, written, name, code",
    [
        ("Shelling killed 12 people in eastern Aleppo on Sunday.", "eastern Aleppo", "Aleppo", "SY"),
        ("A car bomb exploded near Mosul, killing four.", "Mosul", "Mosul", "IQ"),
        ("The floods hit the town of Larkana, in Sindh province.", "Larkana", "Larkana", "PK"),
        ("Gunmen attacked a checkpoint in Kandahar province overnight.", "Kandahar province", "Kandahar", "AF"),
        ("Strikes on rebel-held Idlib killed 9.", "Idlib", "Idlib", "SY"),
        ("Heavy rain fell across southern Malawi.", "southern Malawi", "Malawi", "MW"),
        ("Residents fled in northwest Nigeria's Katsina State.", "Katsina State", "Katsina State", "NG"),
        ("A suicide bomber struck in the capital Baghdad.", "Baghdad", "Baghdad", "IQ"),
        ("A blast rocked the Iraqi capital on Friday.", "Iraqi capital", "Baghdad", "IQ"),
        ("Protesters gathered in downtown Chicago.", "Chicago", "Chicago", "US"),
        ("Landslides buried houses in the province of Benguet.", "Benguet", "Province of Benguet", "PH"),
        ("Shelling hit the Kyiv suburb of Irpin overnight.", "Irpin", "Irpin", "UA"),
        ("The police chief of the Swat district said 5 died.", "Swat district", "Swat", "PK"),
    ],
)
def test_place_phrases(sentence, written, name, code):
    p = first(sentence)
    assert p is not None
    assert p.written == written
    assert p.place is not None and p.place.name == name and p.place.country_code == code


@pytest.mark.parametrize(
    "sentence",
    [
        "Of the 30 injured, most were treated at home.",
        "Police said 5 people were arrested.",
        "Mobile clinics treated 300 patients.",
        "Most of the dead were children.",
        "The attack happened in March, when 40 people died.",
        "Nice weather helped rescuers on Monday.",
        "He was born in Reading rooms of the library.",
        "The Syrian Observatory for Human Rights said 12 died.",
        "Car bomb kills 5 on a highway.",  # "CAR" names a country only in capitals
        "In Uae, 3 died.",
    ],
)
def test_words_that_are_also_town_names_are_not_places(sentence):
    assert first(sentence) is None


def test_unknown_town_with_its_region():
    p = first("Gunmen seized 20 pupils in Tungan Kawo, Kebbi State, on Monday.")
    assert p.written == "Tungan Kawo"
    assert p.country_code == "NG"


def test_container_is_not_a_second_place():
    places = [p for p in find_places("Eight died in the town of Mardan, in Khyber Pakhtunkhwa province.")]
    assert [p.written for p in places] == ["Mardan"]


def test_datelines():
    assert dateline("KARACHI (Reuters) - Seven people ...").place.name == "Karachi"
    assert dateline("(BAGHDAD, Iraq) — A bomb ...").place.country_code == "IQ"
    assert dateline("NAIROBI, Kenya (AP) – Floods ...").place.name == "Nairobi"
    assert dateline("The army said on Monday ...") is None


def test_countries_in_article():
    assert {"AF", "PK"} <= countries_in("Afghan and Pakistani officials met in Islamabad.")


def _loc(text, figure, title=None):
    pos = text.index(figure)
    fact = FactBase(kind="killed", value=1, span_start=pos, span_end=pos + len(figure), sentence="")
    attach_context([fact], text, split_sentences(text), dt.date(2024, 3, 1), title)
    return fact


def test_fact_takes_its_clause_place_not_the_nearest_name():
    text = "Floods in Kassala killed six people, while nine people died in Gedaref."
    assert _loc(text, "six").location == "Kassala"
    assert _loc(text, "nine").location == "Gedaref"


def test_fact_without_place_takes_the_latest_place_then_the_main_place():
    text = "MOGADISHU (Reuters) - A blast hit a market in Kismayo on Monday. Police said 11 people were killed."
    f = _loc(text, "11")
    assert (f.location, f.place_name, f.country_code) == ("Kismayo", "Kismayo", "SO")
    assert f.latitude is not None and f.longitude is not None
    text = "MOGADISHU (Reuters) - Police said 11 people were killed."
    assert _loc(text, "11").place_name == "Mogadishu"


def test_in_the_country_refers_back():
    text = "Floods swept Malawi this week. In 2019, storms left 60 dead in the country."
    f = _loc(text, "60")
    assert (f.location, f.country_code) == ("Malawi", "MW")


def test_headline_fact_takes_the_lede_place():
    text = "12 dead as storm hits coast\nThe storm killed 12 people in Chittagong on Sunday."
    assert _loc(text, "12 dead").place_name == "Chittagong"


def test_latest_place_is_the_most_specific_of_its_sentence():
    text = "In Kenya, 30 people died in the county of Garissa, the minister said. Another 12 people were missing there."
    assert _loc(text, "12").location == "Garissa"


def test_sibling_places_before_give_their_country():
    text = "Floods in Kassala killed six people, while nine died in Gedaref. Officials said 4,000 cattle had drowned."
    f = _loc(text, "4,000")
    assert (f.location, f.country_code) == ("Sudan", "SD")


def test_percent_of_a_city():
    assert first("The storm destroyed 90 percent of Beira.").place.name == "Beira"


@pytest.mark.parametrize(
    "sentence, written, code",
    [
        ("Militants raided Kismayo at dawn.", "Kismayo", "SO"),
        ("An earthquake struck eastern Turkey on Monday.", "eastern Turkey", "TR"),
        ("Gunmen attacked Dorogo, Kebbi State, killing 6.", "Dorogo", "NG"),  # unknown town, known state
        ("Bandits seized 11 farmers in Gwagwada LGA.", "Gwagwada LGA", None),
        ("Shelling hit villages in Hama's al-Ghab plain.", "Hama", "SY"),
        ("A boat capsized off Lampedusa on Sunday.", "Lampedusa", "IT"),
        ("Fighting spread to Palma, Cabo Delgado.", "Palma", "MZ"),  # not Palma de Mallorca
    ],
)
def test_event_description_places(sentence, written, code):
    found = [p for p in find_places(sentence) if p.generic is None]
    assert found and found[0].written == written
    if code:
        assert found[0].country_code == code


def test_place_suffix_hints():
    g = gazetteer()
    assert g.resolve("Beni", "territory").country_code == "CD"  # not Bolivia's Beni Department
    assert g.resolve("Beni", "department").country_code == "BO"


@pytest.mark.parametrize(
    "phrase, name, code",
    [
        ("in South Sudan", "South Sudan", "SS"),
        ("in South Africa", "South Africa", "ZA"),
        ("in North Korea", "North Korea", "KP"),
        ("in the West Bank", "Palestinian Territory", "PS"),
        ("in the Central African Republic", "Central African Republic", "CF"),
        ("in the Democratic Republic of the Congo", "Democratic Republic of the Congo", "CD"),
        ("in eastern Democratic Republic of Congo", "Democratic Republic of the Congo", "CD"),
        ("in the U.S. on Monday", "United States", "US"),
        ("in the Netherlands", "The Netherlands", "NL"),
        ("in Western Australia", "Western Australia", "AU"),
        ("in the northern state of Borno", "Borno State", "NG"),
        ("in Cox's Bazar", "Cox’s Bāzār", "BD"),
        ("in the Afghan capital", "Kabul", "AF"),
    ],
)
def test_multiword_and_directional_names(phrase, name, code):
    p = first(f"Five people died {phrase}.")
    assert p is not None and p.place is not None
    assert (p.place.name, p.place.country_code) == (name, code)


def test_from_and_to_places_yield_to_in_and_near():
    text = "Nine people died when a bus from Lahore overturned near Multan."
    assert _loc(text, "Nine").location == "Multan"
    text = "Nine children were abducted from a school in Kebbi State."
    assert _loc(text, "Nine").location == "Kebbi State"


def test_in_the_capital_is_the_capital_of_the_article_country():
    text = "NAIROBI, Kenya (AP) — Police said 7 protesters were shot dead in the capital."
    f = _loc(text, "7")
    assert (f.place_name, f.country_code) == ("Nairobi", "KE")
    text = "Floods hit Peru this week. Officials said 5 people drowned in the capital."
    assert _loc(text, "5").place_name == "Lima"


def test_spelling_variants_of_regions_behind_a_cue():
    from extractors.places import find_places

    def first(text):
        ps = [p for p in find_places(text) if p.generic is None]
        return (ps[0].written, ps[0].country_code) if ps else None

    assert first("killed in an airstrike near Bulo Burte, Hiraan.") == ("Bulo Burte", "SO")
    assert first("abducted 5 shepherds near Rutba, Anbar.")[1] == "IQ"
    assert first("a gold mine near Kamituga, South Kivu.") == ("Kamituga", "CD")
    assert first("attacked a convoy near Gaskinde, Soum province.") == ("Gaskinde", "BF")
    assert first("detained 21 farmers in Patiala, Punjab.")[1] == "IN"
    assert first("a checkpoint near Deir ez-Zor city.")[1] == "SY"
    assert first("Russian shelling of Kharkiv wounded a woman.")[1] == "UA"
    # a loose spelling alone, without a cue, is no place
    assert first("He met Misterei at the market.") is None


def test_resolved_place_carries_its_first_level_region():
    f = _loc("Floods killed 12 people in Sukkur, Sindh province.", "12")
    assert (f.place_name, f.admin1, f.country_code) == ("Sukkur", "Sindh", "PK")
    f = _loc("Floods killed 12 people in Pakistan.", "12")
    assert (f.place_name, f.admin1) == ("Pakistan", None)
    assert "admin1" in f.as_contract()


def test_a_town_of_a_country_the_article_does_not_name_needs_a_cue():
    text = "Gunmen kill 9 in Afghanistan\nGunmen attacked an office of Save the Children, killing 9 people."
    assert _loc(text, "9 people").country_code == "AF"


def test_a_state_named_like_a_country_in_a_us_story():
    text = "Storms hit the US South\nA tornado killed 3 people in Georgia on Tuesday."
    assert _loc(text, "3").country_code == "US"
    text = "Storm in the Caucasus\nA mudslide killed 3 people in Georgia on Tuesday."
    assert _loc(text, "3").country_code == "GE"


def test_a_dateline_is_where_the_reporter_is():
    f = _loc("CAIRO (AP) — Libyan forces killed 17 fighters on Monday, a spokesman said.", "17")
    assert f.country_code == "LY"
    f = _loc("CAIRO (AP) — Police killed 4 gunmen on Monday, a spokesman said.", "4")
    assert f.place_name == "Cairo"


def test_nationals_do_not_set_the_country():
    text = "Bus crash\nA bus carrying Egyptian pilgrims overturned, killing 14 of them, police said."
    assert _loc(text, "14").country_code is None


def test_elsewhere_in_the_country_is_the_country():
    text = "The storm killed 2,000 people in the city of Derna in Libya and 150 people elsewhere in the country."
    f = _loc(text, "150")
    assert (f.location, f.place_name, f.country_code) == ("elsewhere in the country", "Libya", "LY")
    assert _loc(text, "2,000").country_code == "LY"


def test_the_place_inside_the_place_written_after_it():
    text = "A footbridge collapsed in the town of Morbi in India's Gujarat state, killing 130 people."
    assert _loc(text, "130").location == "Morbi"
    text = "The typhoon killed 63 people on Bohol, bringing the toll across the Philippines to 208."
    assert _loc(text, "208").place_name == "Philippines"


def test_there_is_the_place_the_sentence_before_is_about():
    text = (
        "Government air strikes killed seven civilians in Rastan on Thursday. "
        "Rastan is one of the last rebel strongholds in the central province of Homs. "
        "On Wednesday, 13 people were killed there in shelling."
    )
    assert _loc(text, "13").location == "Rastan"


def test_names_written_twice_after_at_are_places_but_not_holidays_or_languages():
    from extractors.places import local_names

    text = (
        "Pilgrims died in a crush at Mina. The crush at Mina began at dawn. Shops close at Christmas. "
        "Prices rise at Christmas. Officials spoke in Arabic. Crowds answered in Arabic."
    )
    assert local_names(text) == frozenset({"mina"})


def test_a_district_of_the_articles_country_beats_a_foreign_town_of_that_name():
    places = find_places("Thousands were displaced on the islands of Samar and Leyte.", frozenset({"PH"}))
    assert [(p.written, p.country_code) for p in places] == [("Samar", "PH"), ("Leyte", "PH")]


def test_a_demonym_is_no_place_of_its_name():
    # "Somali" is also a region of Ethiopia; "Somali region" says it is the region
    assert find_places("Death toll from Somali car bombs rises to 45", frozenset({"SO"})) == []
    assert [p.country_code for p in find_places("Clashes in the Somali region killed five", frozenset())] == ["ET"]


def test_a_country_that_reports_its_own_count_is_its_place():
    from extractors import extract

    text = (
        "The quake killed 19,000 people in northern Pakistan, officials said.\n"
        "India reported 360 killed and 900 injured."
    )
    got = [(f.value, f.country_code) for f in extract(text, "2005-10-10") if f.kind != "statistic"]
    assert got == [(19000, "PK"), (360, "IN"), (900, "IN")]
