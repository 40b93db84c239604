"""The casualty/population grammar, one construction at a time (sentences written for these tests)."""

import pytest

from extractors import extract
from extractors.pipeline import extract_casualty_facts


def facts(text):
    found, _ = extract_casualty_facts(text)
    return sorted((f.kind, f.value, text[f.span_start : f.span_end]) for f in found)


def full(text):
    found, _ = extract_casualty_facts(text)
    return [
        (f.kind, f.value, f.low, f.high, f.qualifier, f.subject, text[f.span_start : f.span_end])
        for f in sorted(found, key=lambda f: f.span_start)
    ]


def claimed(text):
    _, spans = extract_casualty_facts(text)
    return sorted(text[s:e] for s, e in spans)


# --- passive, active and nominal constructions ------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # passive
        ("Nine people were killed in the crash.", [("killed", 9, "Nine")]),
        ("At least 14 miners have died in the collapse.", [("killed", 14, "At least 14")]),
        ("Some 60 passengers were injured.", [("injured", 60, "Some 60")]),
        ("Eight fishermen remain missing after the storm.", [("missing", 8, "Eight")]),
        ("More than 3,000 families have been displaced by the fighting.", [("displaced", 3000, "More than 3,000")]),
        ("Nearly 900 residents were evacuated overnight.", [("evacuated", 900, "Nearly 900")]),
        ("Divers said 11 sailors were rescued.", [("rescued", 11, "11")]),
        ("Police said 27 demonstrators were arrested.", [("arrested", 27, "27")]),
        ("Nineteen pupils were abducted from their dormitory.", [("kidnapped", 19, "Nineteen")]),
        ("About 40,000 people have been affected by the drought.", [("affected", 40000, "About 40,000")]),
        ("Six climbers are still trapped on the ridge.", [("missing", 6, "Six")]),
        ("Two hundred travellers were stranded at the airport.", [("affected", 200, "Two hundred")]),
        ("The three gunmen who stormed the bank were also killed.", [("killed", 3, "three")]),
        ("4 villagers were shot dead overnight.", [("killed", 4, "4")]),
        ("Five people drowned when the ferry capsized.", [("killed", 5, "Five")]),
        ("Two bystanders sustained serious injuries.", [("injured", 2, "Two")]),
        ("Seven people were taken to hospital.", [("injured", 7, "Seven")]),
        ("Nine protesters were taken into custody.", [("arrested", 9, "Nine")]),
        ("Twelve aid workers were taken hostage.", [("kidnapped", 12, "Twelve")]),
        ("Some 2,000 people fled across the border.", [("displaced", 2000, "Some 2,000")]),
        ("An estimated 15,000 were made homeless.", [("displaced", 15000, "An estimated 15,000")]),
        ("Ten crew members are feared dead.", [("killed", 10, "Ten")]),
        # active
        ("The explosion killed 31 people.", [("killed", 31, "31")]),
        ("Floods kill ten in the north", [("killed", 10, "ten")]),
        ("Gunmen opened fire, killing at least 12 worshippers.", [("killed", 12, "at least 12")]),
        ("The shelling wounded 45 civilians.", [("injured", 45, "45")]),
        ("The conflict has displaced 2.3 million people.", [("displaced", 2_300_000, "2.3 million")]),
        ("Soldiers evacuated 300 patients from the clinic.", [("evacuated", 300, "300")]),
        ("Lifeguards rescued 14 swimmers.", [("rescued", 14, "14")]),
        ("Police detained 56 fans after the match.", [("arrested", 56, "56")]),
        ("Bandits kidnapped 23 travellers on the highway.", [("kidnapped", 23, "23")]),
        ("The outbreak has infected 1,900 people.", [("affected", 1900, "1,900")]),
        ("Troops shot dead 3 smugglers.", [("killed", 3, "3")]),
        ("The police announced the arrest of 18 suspects.", [("arrested", 18, "18")]),
        ("Snipers forced 400 families to flee.", [("displaced", 400, "400")]),
        # nominal
        ("The agency confirmed 61 deaths and 240 injuries.", [("injured", 240, "240"), ("killed", 61, "61")]),
        ("The crash left 12 dead.", [("killed", 12, "12")]),
        ("The bombing left 8 people dead and 25 wounded.", [("injured", 25, "25"), ("killed", 8, "8")]),
        ("The quake caused 17 fatalities.", [("killed", 17, "17")]),
        ("The camp shelters 80,000 refugees.", [("displaced", 80000, "80,000")]),
        ("Health officials reported 430 new cases of measles.", [("affected", 430, "430")]),
        ("The landslide claimed 26 lives.", [("killed", 26, "26")]),
        ("The blast claimed the lives of 9 firefighters.", [("killed", 9, "9")]),
        ("Rescuers recovered 22 bodies from the mine.", [("killed", 22, "22")]),
        ("Thirty bodies were found in a mass grave.", [("killed", 30, "Thirty")]),
        # tolls
        ("The death toll has risen to 145.", [("killed", 145, "145")]),
        ("The death toll from the floods reached 73 on Friday.", [("killed", 73, "73")]),
        ("Cyclone death toll rises to 58", [("killed", 58, "58")]),
        ("The official toll stood at 1,203.", [("killed", 1203, "1,203")]),
        ("The number of injured climbed to 310.", [("injured", 310, "310")]),
        ("The number of people killed has risen to 96.", [("killed", 96, "96")]),
        ("The dead included four police officers.", [("killed", 4, "four")]),
        ("Among the injured were 6 children.", [("injured", 6, "6")]),
        # population
        ("The valley is home to 275,000 people.", [("population", 275000, "275,000")]),
        ("The district has a population of about 90,000.", [("population", 90000, "about 90,000")]),
        ("Roughly 1.1 million people live in the province.", [("population", 1_100_000, "Roughly 1.1 million")]),
        ("The island, with 4,000 inhabitants, was cut off.", [("population", 4000, "4,000")]),
        ("It is a town of 12,000 residents.", [("population", 12000, "12,000")]),
    ],
)
def test_constructions(text, expected):
    assert facts(text) == sorted(expected)


def test_headlines_count():
    assert facts("Bus crash: 16 killed, 40 injured near Lahore") == [("injured", 40, "40"), ("killed", 16, "16")]
    assert facts("At Least 30 Dead As Floods Sweep Region") == [("killed", 30, "At Least 30")]
    assert facts("Over 2,000 Displaced By Wildfires") == [("displaced", 2000, "Over 2,000")]


# --- several figures per sentence, subsets and subjects ---------------------------------------


def test_several_figures_each_with_its_own_span():
    text = "Militants stormed a market in the district, killing 5 traders and wounding 12."
    assert full(text) == [
        ("killed", 5, 5, 5, "exact", "traders", "5"),
        ("injured", 12, 12, 12, "exact", None, "12"),
    ]


def test_subsets_are_facts_with_their_own_subject():
    text = "The strike killed 42 people, including 16 children and 9 women."
    assert full(text) == [
        ("killed", 42, 42, 42, "exact", "people", "42"),
        ("killed", 16, 16, 16, "exact", "children", "16"),
        ("killed", 9, 9, 9, "exact", "women", "9"),
    ]
    assert facts("Eleven people were killed, among them 3 journalists.") == [
        ("killed", 3, "3"),
        ("killed", 11, "Eleven"),
    ]
    assert facts("14 people, including a child, were injured.") == [("injured", 1, "a child"), ("injured", 14, "14")]


def test_lists_after_the_dead_included():
    assert facts("The dead included two guards, three attackers and one bystander.") == [
        ("killed", 1, "one"),
        ("killed", 2, "two"),
        ("killed", 3, "three"),
    ]


def test_coordinated_subjects_share_the_predicate():
    assert facts("The ambush left 6 soldiers and 2 civilians dead.") == [("killed", 2, "2"), ("killed", 6, "6")]


def test_subject_is_the_counted_noun_phrase():
    (f,) = full("Police arrested 20 aid workers in the capital.")
    assert f[5] == "aid workers"
    (f,) = full("Four Kenyan soldiers were killed.")
    assert f[5] == "Kenyan soldiers"
    (f,) = full("Rescuers carried 35 to 40 injured people to safety.")
    assert f[:5] == ("injured", 35, 35, 40, "range") and f[5] == "people"


def test_partitive_of_them():
    assert full("At least 8 of them were seriously wounded.") == [
        ("injured", 8, 8, None, "at_least", None, "At least 8")
    ]


def test_article_singulars():
    assert facts("A soldier was killed in the ambush.") == [("killed", 1, "A soldier")]
    assert facts("Gunmen shot dead a police officer.") == [("killed", 1, "a police officer")]
    assert facts("A bomb was found near a school.") == []
    # the killer is not counted; a possessive singular right after the verb is one victim,
    # as "killing the groom" is (and "killing his wife and 2 children" is 1 + 2)
    assert facts("A man killed his neighbour.") == [("killed", 1, "his neighbour")]


def test_singulars_in_lists():
    assert facts("The gunmen burst in, killing his wife and 2 children.") == [
        ("killed", 1, "his wife"),
        ("killed", 2, "2"),
        ("killed", 3, "his wife and 2"),  # the list states its sum: a total, the items its parts
    ]
    assert facts("A woman and her child were killed when the roof collapsed.") == [
        ("killed", 1, "A woman"),
        ("killed", 1, "her child"),
        ("killed", 2, "A woman and her child"),
    ]
    assert facts("Kidnappers abducted the chief and his 2 sons.") == [
        ("kidnapped", 1, "the chief"),
        ("kidnapped", 2, "2"),
        ("kidnapped", 3, "the chief and his 2"),
    ]
    assert facts("Gunmen shot dead a journalist and his bodyguard in the city.") == [
        ("killed", 1, "a journalist"),
        ("killed", 1, "his bodyguard"),
        ("killed", 2, "a journalist and his bodyguard"),
    ]
    assert facts("The army and the police gave no figures.") == []


# --- zero, negation, hypotheticals, threats ---------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("No one was killed in the blast.", [("killed", 0, "No one")]),
        ("Nobody was hurt, the fire service said.", [("injured", 0, "Nobody")]),
        ("There were no casualties.", [("killed", 0, "no")]),
        ("No deaths or injuries were reported.", [("injured", 0, "No"), ("killed", 0, "No")]),
        ("The building collapsed without casualties.", [("killed", 0, "without")]),
        ("There were no immediate reports of casualties.", []),
    ],
)
def test_zero(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text, number",
    [
        ("The militia threatened to kill 100 hostages.", "100"),
        ("A dam failure could kill thousands.", "thousands"),
        ("The storm could affect 250,000 people.", "250,000"),
        ("Experts fear the toll may reach 2,000.", "2,000"),
        ("The ministry denied that 50 protesters were killed.", "50"),
        ("Up to 10,000 people could be displaced if the river bursts its banks.", "Up to 10,000"),
        ("As many as 300 people will be evacuated next week.", "As many as 300"),
        ("The plan aims to evacuate 5,000 residents.", "5,000"),
        ("If 20 people are killed, the talks end.", "20"),
        ("He warned that the virus could infect 1 million people.", "1 million"),
    ],
)
def test_hypotheticals_threats_and_denials_are_not_facts_but_claimed(text, number):
    assert facts(text) == []
    assert number in claimed(text)


def test_casualties_is_ambiguous_and_claimed():
    assert facts("The raid caused 30 casualties.") == []
    assert "30" in claimed("The raid caused 30 casualties.")
    assert facts("Twelve people were killed or injured.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The floods killed 3.8 million livestock.",
        "The quake destroyed 12,000 homes.",
        "More than 500 cattle died in the drought.",
        "The storm damaged 300 houses and 40 schools.",
        "Police seized 30 kilograms of heroin.",
        "The 40,000-strong army advanced.",
        "He was jailed for 20 years.",
        "A 35-year-old was questioned.",
        "The attack on Route 9 happened in 2015.",
        "Some 40 percent of those killed were women.",
        "Four bombs exploded near the compound.",
        "Around 50 people attended the vigil.",
        "The third attack this year hit the school.",
        "Five gunmen stormed the hotel.",
    ],
)
def test_non_person_counts_and_non_facts_give_no_casualty(text):
    assert facts(text) == []


def test_active_subject_is_not_a_victim():
    assert facts("Five gunmen killed 12 worshippers.") == [("killed", 12, "12")]


def test_non_facts_are_claimed_for_the_statistics_pass():
    text = "On October 29, 2016, a 35-year-old died near the 1070 Apartments at 3 am."
    got = claimed(text)
    for number in ("29", "2016", "35", "1070", "3"):
        assert number in got


def test_historical_toll_is_kept_with_its_own_span():
    text = "In 2005, a quake killed more than 80,000 people."
    assert full(text) == [("killed", 80000, 80001, None, "more_than", "people", "more than 80,000")]


def test_revision_gives_both_reports():
    # two reports of one count (EXTRACTION-HARD-CASES.md): the newer 3,400 and the earlier 3,100
    text = "The death toll rose to 3,400, up from 3,100 a day earlier."
    assert facts(text) == [("killed", 3100, "3,100"), ("killed", 3400, "3,400")]
    assert facts("The toll rose from 10 to 20.") == [("killed", 10, "10"), ("killed", 20, "20")]
    assert facts("Sales rose from 10 to 20.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Shelling hit the village, killing a woman and her two children.",
            [("killed", 1, "a woman"), ("killed", 2, "two"), ("killed", 3, "a woman and her two")],
        ),
        ("At least 53 soldiers and gendarmes were killed.", [("killed", 53, "At least 53")]),
        ("Nearly 2m people were left without shelter.", [("displaced", 2_000_000, "Nearly 2m")]),
        ("None of the 44 passengers on board survived.", [("killed", 44, "44")]),
        ("Hospitals treated 87 people for injuries.", [("injured", 87, "87")]),
    ],
)
def test_coordination_survival_and_treatment(text, expected):
    assert facts(text) == sorted(expected)


def test_spans_index_the_original_text_with_unicode():
    text = "“Ça va” — officials said more\u00a0than\u202f1\u202f200 people were hurt\u2026 and 3 died."
    for f in extract_casualty_facts(text)[0]:
        assert text[f.span_start : f.span_end]
    assert facts(text) == [("injured", 1200, "more\u00a0than\u202f1\u202f200"), ("killed", 3, "3")]


def test_full_extract_returns_factbase_with_sentence_and_no_context_set_by_grammar():
    text = "Heavy rain hit the region.\nAt least 12 people were killed, officials said."
    (fact,) = [f for f in extract(text, published="2024-05-01") if f.kind == "killed"]
    assert fact.value == 12 and fact.low == 12 and fact.high is None and fact.qualifier == "at_least"
    assert fact.unit == "people" and fact.subject == "people"
    assert fact.sentence == "At least 12 people were killed, officials said."
    assert text[fact.span_start : fact.span_end] == "At least 12"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pirates held 18 sailors hostage for a month.", [("kidnapped", 18, "18")]),
        ("Divers recovered the bodies of 6 fishermen.", [("killed", 6, "6")]),
        ("The bodies of 3 men were found near the dam.", [("killed", 3, "3")]),
        ("The population of the enclave is about 2.1 million.", [("population", 2_100_000, "about 2.1 million")]),
        ("It is a city of 2 million.", [("population", 2_000_000, "2 million")]),
        ("Three teenagers, aged 15 to 17, were shot dead.", [("killed", 3, "Three")]),
        ("9 of the 40 passengers were injured.", [("injured", 9, "9")]),
        ("The missile killed all 4 occupants of the car.", [("killed", 4, "4")]),
        ("She was one of the 30 people arrested.", [("arrested", 30, "30")]),
        ("One of the hostages was killed.", [("killed", 1, "One")]),
        ("A suspected thief was lynched by a mob.", [("killed", 1, "A suspected thief")]),
        (
            "The clashes left 20 people dead and at least 35 injured, and displaced some 2,500 households.",
            [("displaced", 2500, "some 2,500"), ("injured", 35, "at least 35"), ("killed", 20, "20")],
        ),
        (
            "On 9 May 2021, an IED wounded 4 soldiers. 1 soldier later died of his injuries.",
            [("injured", 4, "4"), ("killed", 1, "1")],
        ),
        ("12 militants were neutralised and 3 soldiers were injured.", [("injured", 3, "3"), ("killed", 12, "12")]),
        ("Death toll in the city tops 10,000", [("killed", 10000, "10,000")]),
        ("Floods leave 1,000 dead, 100,000 homeless", [("displaced", 100000, "100,000"), ("killed", 1000, "1,000")]),
    ],
)
def test_more_constructions(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Around 900 villagers escaped to higher ground overnight.", [("displaced", 900, "Around 900")]),
        ("Lifeguards helped 35 bathers to safety.", [("rescued", 35, "35")]),
        ("Neighbours helped get 14 children to safety.", [("rescued", 14, "14")]),
        ("Aid has not reached 300,000 marooned Sindhi farmers.", [("affected", 300000, "300,000")]),
        ("About 650 people were marooned in the hamlet.", [("affected", 650, "About 650")]),
        ("Clinics treated 480 people for diarrhoea last week.", [("affected", 480, "480")]),
        ("The number of people in need of food aid climbed to 3.4 million.", [("affected", 3400000, "3.4 million")]),
        ("Malawi, with 20 million people, declared a disaster.", [("population", 20000000, "20 million")]),
        ("The village's 400 residents were cut off.", [("population", 400, "400")]),
        ("The settlement, which houses 12,000 people, lost power.", [("population", 12000, "12,000")]),
        ("The number of IDPs in the province has grown to 1.6 million.", [("displaced", 1600000, "1.6 million")]),
        ("Some 45 people were plucked from rooftops by navy helicopters.", [("rescued", 45, "Some 45")]),
        ("A storm surge trapped 230 people in their homes.", [("affected", 230, "230")]),
        ("About 8,000 people remain without shelter after the fire.", [("displaced", 8000, "About 8,000")]),
        ("The cyclone impacted 90,000 people along the coast.", [("affected", 90000, "90,000")]),
        (
            "The tally of people affected by storms Ana (local name: Basyang) and Bo (local name: Caloy) "
            "rose to 2.2 million.",
            [("affected", 2200000, "2.2 million")],
        ),
        ("The count of displaced people stood at 61,000 on Friday.", [("displaced", 61000, "61,000")]),
        ("The new law will impact 300,000 tenants.", []),
        ("The camp was built in 2016 for 30,000 refugees.", []),
        ("The shelter has a capacity of 400 evacuees.", []),
        ("Twelve prisoners escaped from the jail.", []),
        ("The stadium, which houses 40,000 people, was full.", []),
    ],
)
def test_flight_rescue_affected_and_population_shapes(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "More than 2,500 troops had arrived, as well as 300 police officers and 12 sniffer dogs.",
        "The government deployed 5,000 soldiers to the region.",
        "The parliament voted 230 to 12 in favour of the bill.",
        "Some 500 rescuers are searching for survivors.",
        "The militants have about 2,000 fighters in the area.",
        "Rangers found 12 elephants killed by poachers.",
        "Police found 12 weapons in the house.",
        "The court sentenced 12 men to death.",
        "Around 1,000 people marched to protest against the rising cost of living.",
    ],
)
def test_counts_that_are_not_casualties(text):
    assert facts(text) == []


def test_people_in_need_of_aid_are_affected():
    # the labelled real articles take "N people need humanitarian assistance" as `affected`
    # (it was listed with the non-casualty counts before)
    assert [f[:2] for f in facts("The UN says 24 million people need humanitarian assistance.")] == [
        ("affected", 24000000)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "More than 180,000 people had been moved to evacuation centres.",
            [("evacuated", 180000, "More than 180,000")],
        ),
        ("Officials said 115 people were still in hospital.", [("injured", 115, "115")]),
        ("Search teams pulled 7 survivors from the rubble.", [("rescued", 7, "7")]),
        (
            "Some 1,200 people had been killed and 240 taken hostage.",
            [("kidnapped", 240, "240"), ("killed", 1200, "Some 1,200")],
        ),
        ("Twenty-nine people died, 11 of them children.", [("killed", 11, "11"), ("killed", 29, "Twenty-nine")]),
        ("Officials reported 3 new deaths, bringing the total to 45.", [("killed", 3, "3"), ("killed", 45, "45")]),
        ("The fire spread quickly, trapping dozens of residents.", [("missing", 24, "dozens")]),
        (
            "The earthquake killed more than 2,000 people and injured thousands more, while tens of thousands were "
            "left homeless.",
            [
                ("displaced", 20000, "tens of thousands"),
                ("injured", 2000, "thousands"),
                ("killed", 2000, "more than 2,000"),
            ],
        ),
        (
            "Officials said the final toll was 87 dead, 312 injured and 14 missing.",
            [("injured", 312, "312"), ("killed", 87, "87"), ("missing", 14, "14")],
        ),
    ],
)
def test_news_constructions(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Five of the 11 staff members abducted last month were released.",
        "Around 80 percent of the 2.2 million residents have been displaced.",
        "Police pulled 3 cars from the river.",
        "The storm destroyed about 3,000 houses and damaged 20,000 more.",
    ],
)
def test_no_wrong_count(text):
    assert facts(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The mob stabbed 2 people to death.", [("killed", 2, "2")]),
        ("Police shot 3 protesters dead.", [("killed", 3, "3")]),
        ("At least 40 lives were lost in the fire.", [("killed", 40, "At least 40")]),
        ("The number of martyrs rose to 37.", [("killed", 37, "37")]),
        ("Twelve families lost their homes.", [("displaced", 12, "Twelve")]),
        ("The court sentenced 12 people to death.", []),
        ("Soldiers lost 3 vehicles in the ambush.", []),
    ],
)
def test_violent_deaths_and_lost_lives(text, expected):
    assert facts(text) == sorted(expected)


# --- sentences ---------------------------------------------------------------------------------


def test_sentence_splitting_keeps_abbreviations_decimals_and_quotes():
    from extractors.text import split_sentences

    text = (
        "Floods kill 12 in the north\nMr. Smith said 3.5 million people in the U.S. were affected on Oct. 5. "
        "“At least 12 died.” Gen. Ali agreed! Was it 2 p.m. Tuesday? Yes."
    )
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "Floods kill 12 in the north",
        "Mr. Smith said 3.5 million people in the U.S. were affected on Oct. 5.",
        "“At least 12 died.”",
        "Gen. Ali agreed!",
        "Was it 2 p.m. Tuesday?",
        "Yes.",
    ]
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def test_another_as_one_more_person():
    assert facts("The gunmen killed one villager and injured another.") == [
        ("injured", 1, "another"),
        ("killed", 1, "one"),
    ]
    assert facts("Another 12 were killed.") == [("killed", 12, "12")]
    assert facts("They moved to another village.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The army denied responsibility for the attack, which killed 12 people.", [("killed", 12, "12")]),
        ("The ministry rejected reports that 200 people had died.", []),
        ("Scores were injured in the stampede.", [("injured", 40, "Scores")]),
        ("The camp is home to nearly 1 million refugees.", [("displaced", 1_000_000, "nearly 1 million")]),
    ],
)
def test_denials_scope_and_hosted_refugees(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Twelve people, police said, were killed in the blast.", [("killed", 12, "Twelve")]),
        ("At least 30 people, according to local officials, have died.", [("killed", 30, "At least 30")]),
        ("Deaths from the floods have reached 70.", [("killed", 70, "70")]),
        ("Fatalities rose to 30 on Monday.", [("killed", 30, "30")]),
        ("Casualties have reached 200.", []),
        ("Deaths could exceed 1,000.", []),
    ],
)
def test_attribution_asides_and_count_nouns(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Twelve members of the same family were killed.", [("killed", 12, "Twelve")]),
        ("Five passengers on the bus died.", [("killed", 5, "Five")]),
        ("On 4 May, 4 bodies bearing gunshot wounds were found.", [("killed", 4, "4")]),
        ("Villagers discovered the dead bodies of 3 herders.", [("killed", 3, "3")]),
        ("The attack resulted in the death of 3 soldiers.", [("killed", 3, "3")]),
        (
            "Gunmen opened fire, injuring at least 10 people, 2 of them seriously.",
            [("injured", 2, "2"), ("injured", 10, "at least 10")],
        ),
    ],
)
def test_complements_and_bodies(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("None of the 30 passengers was injured.", [("injured", 0, "None")]),
        ("The bomb killed no one.", [("killed", 0, "no one")]),
        ("The blast could have killed nobody.", []),
        ("No one has been arrested.", [("arrested", 0, "No one")]),
        ("It was one of the worst attacks in years.", []),
    ],
)
def test_more_zero_forms(text, expected):
    assert facts(text) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The army claimed to have killed 15 militants near the river.", [("killed", 15, "15")]),
        ("The group is believed to have abducted 40 girls.", [("kidnapped", 40, "40")]),
        (
            "Protesters clashed with police; 3 protesters were injured and 15 arrested.",
            [("arrested", 15, "15"), ("injured", 3, "3")],
        ),
        (
            "At least 12 people were killed, 30 injured, and 5 are still missing.",
            [("injured", 30, "30"), ("killed", 12, "At least 12"), ("missing", 5, "5")],
        ),
        ("Some 3,000 villagers were forced out by the fighting.", [("displaced", 3000, "Some 3,000")]),
        ("Twelve fishermen were saved by the navy.", [("rescued", 12, "Twelve")]),
    ],
)
def test_reported_claims_and_mixed_lists(text, expected):
    assert facts(text) == sorted(expected)


def test_definite_singular_after_an_active_verb():
    assert facts("Gunmen opened fire at a wedding, killing the groom and three guests.") == [
        ("killed", 1, "the groom"),
        ("killed", 3, "three"),
        ("killed", 4, "the groom and three"),
    ]
    assert facts("The attack killed the driver and wounded 3 passengers.") == [
        ("injured", 3, "3"),
        ("killed", 1, "the driver"),
    ]
    assert facts("The police chief was killed in the gun battle.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("An 8-year-old girl was among the dead.", [("killed", 1, "An 8-year-old girl")]),
        ("Three children were among those killed.", [("killed", 3, "Three")]),
        ("The bombing killed the 22-year-old student.", [("killed", 1, "the 22-year-old student")]),
    ],
)
def test_among_the_dead_as_predicate(text, expected):
    assert facts(text) == sorted(expected)


def test_adverbs_are_not_subjects():
    assert [f[5] for f in full("The crash left 5 seriously hurt.")] == [None]


# --- constructions of conflict-data coders' notes and news (generalisation round) ---------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Soldiers burned alive 11 villagers.", [("killed", 11)]),
        ("Militants hacked to death 4 farmers near the river.", [("killed", 4)]),
        ("A mob lynched two suspected thieves.", [("killed", 2)]),
        ("Fighters took hostage 7 fishermen.", [("kidnapped", 7)]),
        ("Police took 3 suspects into custody.", [("arrested", 3)]),
        ("Army troops rescued 12 kidnapped victims.", [("rescued", 12)]),
        ("Security forces freed 22 hostages, among them 4 foreigners.", [("rescued", 4), ("rescued", 22)]),
        ("The rebels freed 40 prisoners from the jail.", []),
        ("Fatalities: 4.", [("killed", 4)]),
        ("Five of the wounded are in critical condition.", [("injured", 5)]),
        (
            "The ministry put the number of dead at 1,047 and the injured at more than 3,000.",
            [("injured", 3000), ("killed", 1047)],
        ),
        ("Nine soldiers were among the 31 people killed.", [("killed", 9), ("killed", 31)]),
        ("Eight members of one family, including five children, died.", [("killed", 5), ("killed", 8)]),
        ("Seven boys aged between 12 and 15 were among those abducted.", [("kidnapped", 7)]),
        ("As many as 30 miners may still be trapped underground.", [("missing", 30)]),
        ("More than 7,000 people have crossed into Chad.", [("displaced", 7000)]),
        ("Hundreds of residents were trapped by rising waters.", [("affected", 200)]),
        ("A police officer was shot in the leg.", [("injured", 1)]),
        ("The new law affects 2 million renters.", []),
        ("Most of the 300 passengers were killed.", []),
        ("Rescuers pulled 54 survivors and 19 bodies from the building.", [("killed", 19), ("rescued", 54)]),
        ("Ten bodies, some of them burnt beyond recognition, were recovered.", [("killed", 10)]),
        ("Gunmen kidnapped 15 worshippers, three of whom were later freed.", [("kidnapped", 15)]),
        ("Of the 27 passengers on board, 19 survived and 8 died.", [("killed", 8)]),
        ("The death toll climbed past 1,100.", [("killed", 1100)]),
        ("Security forces shot dead 38 protesters, including 8 in Monywa.", [("killed", 8), ("killed", 38)]),
        ("Gunmen killed a traditional ruler and two of his guards.", [("killed", 1), ("killed", 2), ("killed", 3)]),
        ("One policeman died and another succumbed to his injuries.", [("killed", 1), ("killed", 1)]),
    ],
)
def test_generalisation_constructions(text, expected):
    assert sorted((k, v) for k, v, _ in facts(text)) == expected


def test_has_cue_answers_as_the_case_blind_cue_pattern():
    from extractors import casualty_patterns as P

    texts = [
        "Twelve people were KILLED on Monday.",
        "The committee met on Tuesday and adjourned.",
        "BURİED under the rubble",  # dotted capital I: matched case-blind, not after .lower()
        "ſaved by the crew",  # long s
        "\u212aILLED",  # Kelvin sign
        "Nothing to report.",
    ]
    for text in texts:
        assert P.has_cue(text) == (P.CUE.search(text) is not None), text


def test_a_lone_article_counts_in_an_event_note_not_in_a_report():
    """'killed a village head' is a fatality in a coder's one-paragraph note; in a news report of several
    paragraphs the labelled articles count only figures written as numbers, so a lone 'a policeman was
    killed' is no fact there. Sums with an article in them are counted in both."""
    note = "Gunmen killed a village head near Gusau. A policeman was wounded and two traders died."
    assert sorted((f.kind, f.value) for f in extract(note)) == [("injured", 1), ("killed", 1), ("killed", 2)]
    report = "Gunmen attack village\n" + note + "\nThe gunmen also shot dead a local chief and his two sons."
    got = sorted((f.kind, f.value, f.scope) for f in extract(report))
    assert got == [("killed", 2, "part"), ("killed", 2, "total"), ("killed", 3, "total")]
    # one rule for both entry points
    assert sorted((f.kind, f.value, f.scope) for f in extract_casualty_facts(report)[0]) == got
