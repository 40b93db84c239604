"""Fuzzing: the extractor never crashes, and every fact's span lies inside the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract
from extractors.pipeline import extract_casualty_facts
from extractors.text import split_sentences

SEEDS = [
    "At least 12 people were killed and more than 30 wounded, officials said.",
    "The death toll rose to 1,070 on Oct. 5, up from 816\u00a0000.",
    "No one was hurt. Thousands fled; dozens are missing.",
    "“Between 20 and 30 were abducted,” Mr. Smith said — 3.5m people affected.",
    "A 35-year-old man died on Route 9 at 2.15pm in 2019.",
    "Two hundred and fifty residents, including a child, were evacuated.",
]
ALPHABET = st.characters(blacklist_categories=("Cs",))
FRAGMENTS = st.sampled_from(
    [
        " killed ",
        " were ",
        " at least ",
        " more than ",
        " dozens ",
        " hundreds of thousands ",
        "1,000",
        " one ",
        "–",
        "-",
        ",",
        ".",
        "\n",
        "\u00a0",
        "“",
        "”",
        " no one ",
        " a ",
        " the death toll rose to ",
        " including ",
        "⟦0⟧",
        "⟦x⟧",
        " between ",
        " and ",
        " 2m ",
        " 3 ",
        "twenty-five",
        " May ",
        " 9/11 ",
        "$",
        "%",
    ]
)


def check(text):
    for fact in extract(text, published="2024-01-02"):
        assert 0 <= fact.span_start < fact.span_end <= len(text)
        assert text[fact.span_start : fact.span_end].strip()
        assert fact.kind
    facts, claimed = extract_casualty_facts(text)
    for s, e in claimed:
        assert 0 <= s <= e <= len(text)
    for sent in split_sentences(text):
        assert text[sent.start : sent.end] == sent.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_text(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(FRAGMENTS, st.text(alphabet=ALPHABET, max_size=8)), max_size=40))
def test_number_heavy_fragments(parts):
    check("".join(parts))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 5), st.text(alphabet=ALPHABET, max_size=5)), max_size=6),
)
def test_mutated_sentences(seed, edits):
    text = seed
    for pos, cut, insert in edits:
        pos = pos % (len(text) + 1)
        text = text[:pos] + insert + text[pos + cut :]
    check(text)
