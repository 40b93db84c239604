"""Coverage-guided fuzzing of the feed path with atheris (libFuzzer).

    .venv/bin/python fuzz/fuzz_feeds.py -max_total_time=60

Bytes must parse to a feed or raise FeedError; anything else is a crash."""

import sys

import atheris

with atheris.instrument_imports():
    from service.ingest.feeds import FeedError, parse_feed


def test_one_input(data: bytes) -> None:
    try:
        parse_feed(data)
    except FeedError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
