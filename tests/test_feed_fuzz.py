"""Fuzz the feed path (hypothesis): any bytes, and mutations of valid RSS, Atom and JSON feeds,
give either a parsed feed or a FeedError — never another exception, never a hang."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.ingest.feeds import FeedError, ParsedFeed, parse_feed
from service.ingest.html_text import html_to_text

RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><ttl>30</ttl>'
    b"<item><guid>g1</guid><title>Blast kills 12</title><link>http://127.0.0.1/a</link>"
    b"<pubDate>Tue, 08 Nov 2016 10:00:00 GMT</pubDate><description>&lt;p&gt;At least 12 people were "
    b"killed.&lt;/p&gt;</description></item></channel></rss>"
)
ATOM = (
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
    b'<entry><id>urn:1</id><title>Floods</title><link href="http://127.0.0.1/b"/>'
    b'<updated>2016-11-08T10:00:00Z</updated><content type="html">3,000 displaced</content></entry></feed>'
)
JSONFEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {
                "id": "1",
                "url": "http://127.0.0.1/c",
                "title": "Quake",
                "content_text": "Nine dead.",
                "date_published": "2016-11-08T10:00:00Z",
            }
        ],
    }
).encode()
SEEDS = [RSS, ATOM, JSONFEED]


def _check(body: bytes, content_type: str | None = None) -> None:
    try:
        parsed = parse_feed(body, {"content-type": content_type} if content_type else None)
    except FeedError as exc:
        assert str(exc)
        return
    assert isinstance(parsed, ParsedFeed)
    for entry in parsed.entries:
        assert isinstance(entry.text, str)


@st.composite
def mutated(draw):
    seed = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "splice"]))
        pos = draw(st.integers(0, len(seed)))
        if op == "flip" and pos < len(seed):
            seed[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            seed[pos:pos] = draw(st.binary(min_size=1, max_size=40))
        elif op == "delete":
            del seed[pos : pos + draw(st.integers(1, 40))]
        else:
            seed[pos:pos] = draw(
                st.sampled_from(
                    [
                        b"<!ENTITY a 'b'>",
                        b"]]>",
                        b"<![CDATA[",
                        b"&#0;",
                        b"\xff\xfe",
                        b"<item>",
                        b"</channel>",
                        b'"items": null',
                        b"\x00",
                    ]
                )
            )
    return bytes(seed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes(body):
    _check(body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from([None, "application/rss+xml", "application/feed+json", "text/html"]))
def test_mutated_feeds(body, content_type):
    _check(body, content_type)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_html_to_text_never_fails(markup):
    assert isinstance(html_to_text(markup), str)


def test_the_seeds_parse():
    assert [len(parse_feed(seed).entries) for seed in SEEDS] == [1, 1, 1]
