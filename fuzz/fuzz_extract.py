"""Coverage-guided fuzzing of the extractor with atheris (libFuzzer).

    .venv/bin/python fuzz/fuzz_extract.py -max_total_time=60

Any exception, or a fact whose span does not index the input, is a crash."""

import sys

import atheris

with atheris.instrument_imports():
    import extractors


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    for fact in extractors.extract(text, "2020-01-01"):
        assert 0 <= fact.span_start < fact.span_end <= len(text), (fact, text)
        assert fact.sentence, fact


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
