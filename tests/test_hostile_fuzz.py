"""Property-based tests (hypothesis) over the whole path a stranger controls, on SQLite and PostgreSQL: feed bytes
→ items → facts → stored alert payloads and webhook bodies; a receiver's answer → the recorded attempt; an API
client's rule → 201 or 422. Extreme numbers (400 digits, 1e400, inf, nan), NUL bytes, invalid UTF-8, lone
surrogates and huge strings in every field: never an exception, never a non-finite fact, only strict JSON."""

from __future__ import annotations

import itertools
import json
import math

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from db.models import Article, Delivery, DeliveryAttempt, Fact, WebhookEndpoint
from extractors.schema import MAX_FACT_VALUE
from tests.conftest import API_KEY_HEADERS
from tests.test_alerting_helpers import add_endpoint, add_rule, add_source

SETTINGS = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
_serial = itertools.count()


def strict(value) -> str:
    return json.dumps(value, allow_nan=False)


# What a number in a feed may look like: counts no float can hold, float spellings of the extremes, plain counts.
NUMBERS = st.one_of(
    st.integers(1, 500).map(lambda n: "9" * n),
    st.sampled_from(
        [
            "1e400",
            "inf",
            "nan",
            "Infinity",
            "1.7976931348623157e308",
            "10,000,000,000,000,000",
            "9" * 309,
            "0.000000001",
            "-5",
            "3 billion",
            "20 trillion",
            "1,000,000,000,000,000",
        ]
    ),
    st.integers(0, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
JUNK = st.sampled_from(["", "&#0;", "\x00", "\ufffd", "&#xD800;", "\u202e", "<![CDATA[\x00]]>", "&amp;#0;"])


@st.composite
def hostile_item(draw) -> tuple[str, str]:
    number = draw(NUMBERS)
    kind = draw(st.sampled_from(["killed", "injured", "displaced", "missing"]))
    sentence = f"The blast {kind} {number} people in the capital, police said."
    pad = draw(st.sampled_from([0, 0, 1, 2000, 30000]))  # a huge field now and then
    title = draw(JUNK) + f"Blast {number}" + draw(JUNK)
    summary = draw(JUNK) + sentence + draw(JUNK) + " filler" * (pad // 7)
    return title, summary


def feed_bytes(items: list[tuple[str, str]], junk: bytes) -> bytes:
    n = next(_serial)
    out = [
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W{n}</title>'
        f"<link>http://127.0.0.1/</link>"
    ]
    for i, (title, summary) in enumerate(items):
        out.append(
            f"<item><guid>g{n}-{i}</guid><title>{title}</title><link>http://127.0.0.1/{n}/{i}</link>"
            f"<description>Report {n}-{i}. {summary}</description></item>"
        )  # unique: no repost dedupe
    out.append("</channel></rss>")
    raw = "".join(out).encode("utf-8", "surrogatepass")
    cut = raw.index(b"<description>") + len(b"<description>") if b"<description>" in raw else 0
    return raw[:cut] + junk + raw[cut:]  # invalid UTF-8 inside the first description


def test_feed_to_facts_to_webhook_payloads(database_url, session):
    from service.alerting.webhooks import serialize
    from service.ingest.feeds import FeedError, parse_feed
    from service.ingest.polling import _compose
    from service.ingest.store import guid_key, prepare_article, store_articles

    endpoint = add_endpoint(session, "http://127.0.0.1:9/hook")
    add_rule(session, {"type": "new"}, {}, [endpoint.id])
    add_rule(session, {"type": "threshold", "value": 1}, {}, [endpoint.id])
    source = add_source(session)

    @SETTINGS
    @given(st.lists(hostile_item(), min_size=1, max_size=4), st.sampled_from([b"", b"\xff\xfe", b"\xc3(", b"\x00"]))
    def run(items, junk):
        try:
            parsed = parse_feed(feed_bytes(items, junk), {"content-type": "application/rss+xml"})
        except FeedError:
            return
        prepared = [
            prepare_article(
                guid=e.guid,
                url=e.url,
                title=e.title,
                text=_compose(e.title, e.text),
                text_origin="feed",
                published_at=e.published,
                outlet="wire",
                key=guid_key(e.guid, e.url),
            )
            for e in parsed.entries
        ]
        failed: list = []
        stored = store_articles(session, source, prepared, failed)
        session.commit()
        assert not failed, failed
        assert len(stored) == len({p.key for p in prepared})
        ids = [s.article_id for s in stored]
        for fact in session.exec(select(Fact).where(Fact.article_id.in_(ids))).all():
            for v in (fact.value, fact.low, fact.high):
                assert v is None or (math.isfinite(v) and abs(v) <= MAX_FACT_VALUE), fact
        for s in stored:
            for event in s.alerts:
                strict(event.payload)
        for delivery in session.exec(select(Delivery)).all():
            json.loads(serialize(delivery.payload), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        assert all("\x00" not in (a.title or "") for a in session.exec(select(Article).where(Article.id.in_(ids))))

    run()


RECEIVER_TEXT = st.one_of(
    st.binary(max_size=6000).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.text(max_size=3000),
    st.just("\x00" * 10),
    st.just("\ud800 lone"),
)


def test_whatever_a_receiver_answers_is_recorded(database_url, engine, session):
    from service.alerting import outbox
    from service.alerting.webhooks import Outcome

    endpoint = add_endpoint(session, "http://127.0.0.1:9/hook")

    @SETTINGS
    @given(
        st.one_of(st.none(), st.integers(100, 599)),
        st.one_of(st.none(), RECEIVER_TEXT),
        st.one_of(st.none(), RECEIVER_TEXT),
    )
    @example(410, "gone", None)  # disables the endpoint: the next example must not find it so
    @example(200, None, None)
    def run(status, body, error):
        with Session(engine) as s:
            # A 410 from an earlier example disabled the endpoint; each example starts from an enabled one.
            s.get(WebhookEndpoint, endpoint.id).enabled = True
            delivery = Delivery(
                endpoint_id=endpoint.id, message_id=f"msg_fuzz_{next(_serial)}", payload={"type": "webhook.test"}
            )
            s.add(delivery)
            s.commit()
            delivery_id = delivery.id
        token, ids = outbox.claim(engine, 1, delivery_id)
        assert ids == [delivery_id]
        outbox.record(engine, delivery_id, token, Outcome(status=status, body=body, latency_ms=1.0, error=error))
        with Session(engine) as s:
            recorded = s.get(Delivery, delivery_id)
            assert recorded.attempts == 1 and recorded.lease_owner is None
            [attempt] = s.exec(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery_id)).all()
            for value in (attempt.response_body, attempt.error):
                assert value is None or "\x00" not in value
            assert attempt.response_body is None or len(attempt.response_body) <= 2048
            assert s.get(WebhookEndpoint, endpoint.id).enabled is (status != 410)

    run()
    assert session.get(WebhookEndpoint, endpoint.id) is not None


EXTREME = st.one_of(
    st.sampled_from(
        ["1e400", "-1e400", "1e20", "-1", "0", "NaN", "Infinity", "1e13", "12.5", "9" * 400, "true", '"12"', "null"]
    ),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers().map(str),
)
FIELDS = [
    ("condition", "threshold", "value"),
    ("condition", "increase", "by"),
    ("condition", "increase", "by_percent"),
    ("condition", "increase", "window_hours"),
    ("condition", "source_failing", "silent_hours"),
    ("condition", "source_failing", "failures"),
    ("filter", None, "min_value"),
]


def test_rules_with_extreme_values_are_201_or_422_never_5xx(database_url, settings_env):
    from fastapi.testclient import TestClient

    from service.web.app import create_app

    settings_env(api_key="test-key")
    with TestClient(
        create_app(start_scheduler=False), headers={**API_KEY_HEADERS, "Content-Type": "application/json"}
    ) as api:

        @SETTINGS
        @given(st.sampled_from(FIELDS), EXTREME, st.text(max_size=300))
        def run(field, raw, name):
            where, condition_type, key = field
            condition = (
                f'{{"type": "{condition_type or "new"}", "{key}": {raw}}}'
                if where == "condition"
                else '{"type": "new"}'
            )
            flt = f'{{"{key}": {raw}}}' if where == "filter" else "{}"
            body = f'{{"name": {json.dumps(name)}, "filter": {flt}, "condition": {condition}}}'
            response = api.post("/api/v1/alerts", content=body)
            assert response.status_code in (201, 422), (body, response.status_code, response.text)
            if response.status_code == 201:
                made = response.json()
                strict(made)
                number = (made["condition"] if where == "condition" else made["filter"]).get(key)
                assert number is None or (math.isfinite(number) and 0 <= number <= MAX_FACT_VALUE)
            else:
                assert response.json()["detail"]

        run()
