"""What an outside attacker and an unlucky operator found on main, each as a test that failed there: absurd numbers,
a receiver's NUL byte, a rule that raises, unbounded rule values, 32-bit cursors, IPv6 spellings of private IPv4,
/metrics without the read key, a /readyz that only ran SELECT 1, Host-header redirects and unthrottled key guessing.
On SQLite and PostgreSQL wherever the behaviour differs."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import math
import os

import httpx
import pytest
from sqlalchemy import text, update
from sqlmodel import Session, select

from db.models import AlertEvent, AlertRule, Article, Delivery, DeliveryAttempt, Fact, PollLog, Source, utcnow
from extractors.schema import MAX_FACT_VALUE
from tests.conftest import API_KEY_HEADERS
from tests.test_alerting_helpers import add_endpoint, add_rule, add_source, aleppo, deliver, report

HUGE = "9" * 400  # a toll no float can hold: float("9" * 400) is inf


def strict_loads(raw: str | bytes):
    """json.loads that refuses NaN / Infinity, as strict parsers (and the JSON spec) do."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(raw, parse_constant=refuse)


def rss(items: list[tuple[str, str]]) -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>http://127.0.0.1/</link>"
    ]
    for n, (title, summary) in enumerate(items):
        parts.append(
            f"<item><guid>item-{n}</guid><title>{title}</title><link>http://127.0.0.1/a/{n}</link>"
            f"<pubDate>Fri, 20 Nov 2026 06:15:00 GMT</pubDate><description>{summary}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts)


def poll_now(sid: int) -> dict:
    from service.ingest.polling import run_cycle

    [result] = run_cycle(sid, force=True)
    return result


def add_feed_source(url: str, interval: int = 3600) -> int:
    from db.engine import session_scope
    from service.core.database import get_engine

    with session_scope(get_engine()) as session:
        source = Source(name="wire", url=url, poll_interval_seconds=interval)
        session.add(source)
        session.flush()
        return source.id


# --- 1. only finite, sane numbers are facts -----------------------------------------------------------------


def test_the_extractor_gives_no_fact_for_a_number_no_count_can_be():
    import extractors

    for sentence in (
        f"The blast killed {HUGE} people, police said.",
        "Officials said 20,000,000,000,000 people were displaced by the floods.",
        "The blast killed 12 people, police said.",
    ):
        for fact in extractors.extract(sentence):
            for v in (fact.value, fact.low, fact.high):
                assert v is None or (math.isfinite(v) and abs(v) <= MAX_FACT_VALUE), (sentence, fact)
    assert [f.value for f in extractors.extract("The blast killed 12 people, police said.")] == [12]


def test_three_articles_one_with_a_400_digit_toll_are_all_stored_and_strict_json(
    database_url, local_server, receiver, settings_env, session
):
    """The reviewer's run: on PostgreSQL with a fact rule the whole batch was lost (Infinity in the alert payload);
    on SQLite the API said "value": null and the webhook body carried a bare Infinity."""
    settings_env(read_api_key="")
    endpoint = add_endpoint(session, receiver.url)
    receiver.secret = endpoint.secret
    rule = add_rule(session, {"type": "new"}, {"kind": "killed"}, [endpoint.id])
    feed = rss(
        [
            ("Storm kills 7 in the port city", "The storm killed 7 people in the port city, officials said."),
            ("Blast", f"The blast killed {HUGE} people in the capital, police said."),
            ("Flood kills 31", "The flood killed 31 people in the valley, the ministry said."),
        ]
    )
    sid = add_feed_source(local_server.route("/feed.xml", feed))
    result = poll_now(sid)
    assert result["outcome"] == "ok" and result["new_articles"] == 3, result
    session.expire_all()
    assert len(session.exec(select(Article).where(Article.source_id == sid)).all()) == 3
    values = [f.value for f in session.exec(select(Fact)).all()]
    assert 7 in values and 31 in values
    assert all(math.isfinite(v) and v <= MAX_FACT_VALUE for v in values)

    from fastapi.testclient import TestClient

    from service.web.app import create_app

    with TestClient(create_app(start_scheduler=False)) as api:
        for path in ("/api/v1/facts", "/api/v1/facts?format=ndjson", f"/api/v1/alerts/{rule.id}/events"):
            response = api.get(path)
            assert response.status_code == 200, response.text
            for line in response.text.splitlines():
                strict_loads(line)
        assert api.get("/").status_code == 200
        assert api.get("/dashboard/fragment/series").status_code == 200
    deliver()
    assert len(receiver.accepted()) >= 2
    for entry in receiver.log:  # the receiver parsed each body leniently: dumped again, an Infinity shows
        strict_loads(json.dumps(entry["payload"]))
    for event in session.exec(select(AlertEvent)).all():
        strict_loads(json.dumps(event.payload))


def test_the_store_refuses_absurd_numbers_whatever_produced_them(session):
    source = add_source(session)
    article, facts, _ = report(
        session,
        source,
        aleppo(12),
        aleppo(float("inf")),
        aleppo(1e20),
        aleppo(5, low=float("nan")),
        aleppo(40, high=float("-inf")),
    )
    assert [f.value for f in facts] == [12]
    assert article.fact_count == 1


def test_json_columns_and_webhook_bodies_refuse_nan_and_infinity(session):
    from service.alerting.webhooks import serialize

    with pytest.raises(ValueError):
        serialize({"value": float("inf")})
    rule = add_rule(session, {"type": "new"})
    session.add(AlertEvent(rule_id=rule.id, dedupe_key="k", payload={"value": float("nan")}))
    with pytest.raises(Exception) as raised:
        session.commit()
    assert "not JSON compliant" in str(raised.value) or "NaN" in str(raised.value)
    session.rollback()


def test_the_dashboard_scales_to_every_stored_value(database_url, session):
    """Values stored before they were refused (infinity included) must not make / or the chart answer 500."""
    from fastapi.testclient import TestClient

    from service.web.app import create_app
    from service.web.dashboard.queries import nice_ceiling

    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 20, 1e13)] == [1, 1, 5, 10, 20, 10**13]
    assert nice_ceiling(float("nan")) == 1 and nice_ceiling(float("inf")) >= 10**300
    source = add_source(session)
    article, _, _ = report(session, source, aleppo(12))
    for value in ("'Infinity'" if "postgres" in database_url else "9e999", "1e300"):
        session.exec(
            text(
                f"INSERT INTO facts (kind, value, qualifier, unit, scope, location, place_name, "
                f"country_code, date, span_start, span_end, sentence, article_id, extractor_version, "
                f"created_at) SELECT kind, {value}, qualifier, unit, scope, location, place_name, "
                f"country_code, date, span_start, span_end, sentence, article_id, extractor_version, "
                f"created_at FROM facts WHERE article_id = {article.id}"
            )
        )
    session.commit()
    with TestClient(create_app(start_scheduler=False)) as api:
        for path in ("/", "/dashboard/fragment/series", "/dashboard/fragment/series?kind=killed&place=Aleppo"):
            assert api.get(path).status_code == 200, path


# --- 2. one bad article, rule or endpoint never costs the others ---------------------------------------------


def _refuse_titles_with(engine, word: str) -> None:
    """Make the database itself refuse one article (a constraint of the operator's, say) by a trigger."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text(f"""CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
                IF NEW.title LIKE '%{word}%' THEN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
                END IF; RETURN NEW; END $$ LANGUAGE plpgsql""")
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_poison BEFORE INSERT ON articles "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
                )
            )
        else:
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse_poison BEFORE INSERT ON articles "
                    f"WHEN NEW.title LIKE '%{word}%' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )


def test_an_article_the_database_refuses_costs_only_itself(engine, local_server, session):
    _refuse_titles_with(engine, "POISON")
    feed = rss(
        [
            ("Storm kills 7", "The storm killed 7 people in the port city, officials said."),
            ("POISON pill", "The blast killed 3 people, police said."),
            ("Flood kills 31", "The flood killed 31 people in the valley, the ministry said."),
        ]
    )
    sid = add_feed_source(local_server.route("/feed.xml", feed))
    result = poll_now(sid)
    assert result["outcome"] == "ok" and result["new_articles"] == 2, result
    assert "1 article(s) could not be stored" in result["error"] and "/a/1" in result["error"]
    session.expire_all()
    assert sorted(a.title for a in session.exec(select(Article)).all()) == ["Flood kills 31", "Storm kills 7"]
    source = session.get(Source, sid)
    assert source.status == "ok" and source.consecutive_failures == 0


def test_a_rule_that_raises_is_marked_errored_and_polling_goes_on(database_url, local_server, session):
    """`silent_hours: 1e20` was accepted; every poll then raised OverflowError: no poll log, next_poll_at stuck."""
    broken = add_rule(session, {"type": "source_failing", "failures": 1, "silent_hours": 1e20})
    healthy = add_rule(session, {"type": "source_failing", "failures": 1})
    sid = add_feed_source(local_server.route("/feed.xml", rss([("Calm day", "Nothing happened.")])))
    before = utcnow()
    assert poll_now(sid)["outcome"] == "ok"
    session.expire_all()
    assert len(session.exec(select(PollLog).where(PollLog.source_id == sid)).all()) == 1
    assert session.get(Source, sid).next_poll_at >= before + dt.timedelta(seconds=3000)
    broken, healthy = session.get(AlertRule, broken.id), session.get(AlertRule, healthy.id)
    assert broken.errored_at is not None and "OverflowError" in broken.last_error
    assert healthy.errored_at is None
    # the healthy rule still works: a failing feed fires it
    local_server.route("/feed.xml", "nope", status=500)
    with Session(session.get_bind()) as s:
        s.exec(update(Source).where(Source.id == sid).values(next_poll_at=utcnow()))
        s.commit()
    poll_now(sid)
    session.expire_all()
    assert [e.rule_id for e in session.exec(select(AlertEvent)).all()] == [healthy.id]


def test_a_fact_rule_that_raises_costs_neither_the_article_nor_the_other_rules(session):
    source = add_source(session)
    broken = add_rule(session, {"type": "increase", "by": 1, "window_hours": 1e20})  # as stored before bounds
    healthy = add_rule(session, {"type": "new"}, {"kind": "killed"})
    report(session, source, aleppo(10))
    article, facts, fired = report(session, source, aleppo(12))
    assert facts and [e.rule_id for e in fired] == [healthy.id]
    session.expire_all()
    assert session.get(AlertRule, broken.id).errored_at is not None
    assert len(session.exec(select(Article)).all()) == 2


NASTY_BODY = b"ok\x00\x00 \xff\xfe\xc3( " + b"A" * 5000


def test_a_receiver_answering_nul_and_invalid_utf8_is_recorded_and_costs_no_other_outcome(
    database_url, session, receiver, settings_env
):
    settings_env(webhook_retry_schedule="[0, 60]", webhook_retry_jitter="0")
    from tests.test_alerting_helpers import Receiver

    nasty = Receiver()
    try:
        nasty_endpoint = add_endpoint(session, nasty.url)
        healthy_endpoint = add_endpoint(session, receiver.url)
        nasty.secret, receiver.secret = nasty_endpoint.secret, healthy_endpoint.secret
        nasty.respond = lambda n, mid, payload: (500, {"Content-Type": "text/plain"}, NASTY_BODY)
        add_rule(session, {"type": "new"}, {}, [nasty_endpoint.id, healthy_endpoint.id])
        source = add_source(session)
        for value in (10, 20, 30):
            report(session, source, aleppo(value))
        deliver()
        session.expire_all()
        rows = session.exec(select(Delivery).order_by(Delivery.id)).all()
        assert len(rows) == 6
        for d in rows:
            assert d.attempts == 1 and d.lease_owner is None, (d.endpoint_id, d.status, d.error)
            assert d.status == ("succeeded" if d.endpoint_id == healthy_endpoint.id else "pending")
        attempts = session.exec(select(DeliveryAttempt)).all()
        assert len(attempts) == 6
        for a in attempts:
            if a.response_code == 500:
                assert "\x00" not in a.response_body and a.response_body.startswith("ok")
                assert len(a.response_body) <= 2048
        assert all(receiver.counts[d.message_id] == 1 for d in rows if d.endpoint_id == healthy_endpoint.id)
    finally:
        nasty.close()


def test_a_test_ping_to_a_nul_receiver_answers_and_is_one_attempt(live_api, receiver):
    receiver.respond = lambda n, mid, payload: (200, {}, NASTY_BODY)
    with httpx.Client(base_url=live_api, timeout=30, headers=API_KEY_HEADERS) as api:
        hook = api.post("/api/v1/webhooks", json={"url": receiver.url}).json()
        receiver.secret = hook["secret"]
        ping = api.post(f"/api/v1/webhooks/{hook['id']}/test")
        assert ping.status_code == 200, ping.text
        assert ping.json()["status"] == "succeeded" and ping.json()["attempts"] == 1
        assert "\x00" not in ping.json()["response_body"]
    assert len(receiver.log) == 1


# --- 3. rule and filter values validated; cursors within the id range -------------------------------------

ABSURD_RULES = [
    ('{"type": "threshold", "value": 1e400}', "{}", "condition.threshold.value"),
    ('{"type": "threshold", "value": -5}', "{}", "condition.threshold.value"),
    ('{"type": "threshold", "value": 1e20}', "{}", "condition.threshold.value"),
    ('{"type": "increase", "by": 1e400}', "{}", "condition.increase.by"),
    ('{"type": "increase", "by_percent": 1e400}', "{}", "condition.increase.by_percent"),
    ('{"type": "increase", "by": 5, "window_hours": 1e400}', "{}", "condition.increase.window_hours"),
    ('{"type": "source_failing", "failures": 1, "silent_hours": 1e20}', "{}", "condition.source_failing.silent_hours"),
    ('{"type": "source_failing", "silent_hours": 1e400}', "{}", "condition.source_failing.silent_hours"),
    ('{"type": "source_failing", "failures": 100000000}', "{}", "condition.source_failing.failures"),
    ('{"type": "new"}', '{"min_value": 1e400}', "filter.min_value"),
    ('{"type": "new"}', '{"min_value": -1}', "filter.min_value"),
]


def test_absurd_rules_get_422_naming_the_field(live_api):
    with httpx.Client(
        base_url=live_api, timeout=10, headers={**API_KEY_HEADERS, "Content-Type": "application/json"}
    ) as api:
        made = api.post("/api/v1/alerts", content='{"name": "ok", "condition": {"type": "new"}}')
        assert made.status_code == 201
        for condition, flt, field in ABSURD_RULES:
            body = f'{{"name": "absurd", "filter": {flt}, "condition": {condition}}}'
            for response in (
                api.post("/api/v1/alerts", content=body),
                api.patch(
                    f"/api/v1/alerts/{made.json()['id']}", content=f'{{"filter": {flt}, "condition": {condition}}}'
                ),
            ):
                assert response.status_code == 422, (body, response.text)
                assert field in response.json()["detail"], (field, response.json()["detail"])
        assert [r["name"] for r in api.get("/api/v1/alerts").json()["items"]] == ["ok"]


def _cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def test_a_cursor_outside_the_id_range_is_400_on_every_list_route(live_api):
    with httpx.Client(base_url=live_api, timeout=10, headers=API_KEY_HEADERS) as api:
        paths = [
            p
            for p, ops in api.get("/openapi.json").json()["paths"].items()
            if "get" in ops
            and "{" not in p
            and any(q.get("name") == "cursor" for q in ops["get"].get("parameters", []))
        ]
        assert "/api/v1/facts" in paths and len(paths) >= 5
        for path in paths:
            for last_id in (2**31, 2**31 + 1, 10**12):
                response = api.get(path, params={"cursor": _cursor(last_id)})
                assert response.status_code == 400, (path, last_id, response.text)
            assert api.get(path, params={"cursor": _cursor(2**31 - 1)}).status_code == 200


# --- 4. the SSRF guard and IPv6 spellings of non-public IPv4 ----------------------------------------------

SSRF_TABLE = [
    # (address, public?, what it is)
    ("::127.0.0.1", False, "IPv4-compatible loopback"),
    ("::10.0.0.1", False, "IPv4-compatible private"),
    ("::169.254.169.254", False, "IPv4-compatible cloud metadata"),
    ("::8.8.8.8", True, "IPv4-compatible of a public address"),
    ("::ffff:127.0.0.1", False, "IPv4-mapped loopback"),
    ("::ffff:192.168.1.1", False, "IPv4-mapped private"),
    ("::ffff:8.8.8.8", True, "IPv4-mapped public"),
    ("::ffff:0:127.0.0.1", False, "IPv4-translated loopback"),
    ("::ffff:0:10.1.2.3", False, "IPv4-translated private"),
    ("::ffff:0:8.8.8.8", True, "IPv4-translated public"),
    ("64:ff9b::7f00:1", False, "NAT64 well-known of loopback"),
    ("64:ff9b::a9fe:a9fe", False, "NAT64 well-known of metadata"),
    ("64:ff9b::808:808", True, "NAT64 well-known of a public address"),
    ("64:ff9b:1::7f00:1", False, "NAT64 local-use"),
    ("64:ff9b:1:abcd::808:808", False, "NAT64 local-use (operator prefix)"),
    ("2002:7f00:1::1", False, "6to4 of loopback"),
    ("2002:a00:1::1", False, "6to4 of 10.0.0.1"),
    ("2002:808:808::1", True, "6to4 of a public address"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False, "Teredo, client 192.0.2.45"),
    ("2001:0:7f00:1:0:0:f7f7:f7f7", False, "Teredo, server 127.0.0.1"),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", False, "Teredo of public addresses (2001::/23 is not global)"),
    ("fec0::1", False, "site-local"),
    ("feff::1", False, "site-local, top of fec0::/10"),
    ("::1", False, "loopback"),
    ("::", False, "unspecified"),
    ("fd00::1", False, "unique local"),
    ("fe80::1", False, "link-local"),
    ("2606:4700:4700::1111", True, "a public IPv6 address"),
]


@pytest.mark.parametrize("address,public,what", SSRF_TABLE, ids=[row[2] for row in SSRF_TABLE])
def test_ssrf_guard_table(address, public, what, monkeypatch):
    from service.core.net import UnsafeURL, check_url, is_public
    from service.core.settings import get_settings

    monkeypatch.setenv("TOLLWATCH_PRIVATE_URL_ALLOWLIST", "")
    get_settings.cache_clear()
    assert is_public(ipaddress.ip_address(address)) is public, what
    url = f"http://[{address}]:8080/hook"
    if public:
        assert check_url(url, allow_private=False) == url
    else:
        with pytest.raises(UnsafeURL):
            check_url(url, allow_private=False)
    get_settings.cache_clear()


def test_the_issue_spellings_are_refused_by_the_api(live_api, settings_env):
    settings_env(allow_private_urls="false")
    with httpx.Client(base_url=live_api, timeout=10, headers=API_KEY_HEADERS) as api:
        for host in (
            "[::127.0.0.1]",
            "[::10.0.0.1]",
            "[::169.254.169.254]",
            "[::ffff:0:127.0.0.1]",
            "[64:ff9b:1::7f00:1]",
            "[fec0::1]",
        ):
            for path, body in (
                ("/api/v1/webhooks", {"url": f"http://{host}/hook"}),
                ("/api/v1/sources", {"name": "x", "url": f"http://{host}/feed.xml"}),
            ):
                response = api.post(path, json=body)
                assert response.status_code == 422, (host, path, response.text)


# --- 5. /metrics behind the read key ---------------------------------------------------------------------


def test_metrics_need_the_read_key_when_one_is_set(live_api, settings_env):
    assert httpx.get(live_api + "/metrics").status_code == 200  # no read key: open like every read
    settings_env(read_api_key="reader")
    assert httpx.get(live_api + "/metrics").status_code == 401
    assert httpx.get(live_api + "/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    scraped = httpx.get(live_api + "/metrics", headers={"Authorization": "Bearer reader"})
    assert scraped.status_code == 200 and "tollwatch_sources_by_status" in scraped.text
    # documented as public: the API's description, no data (docs/security.md)
    assert httpx.get(live_api + "/openapi.json").status_code == 200
    assert httpx.get(live_api + "/healthz").status_code == 200


# --- 6. /readyz tells the truth; database faults are the service's --------------------------------------


def _ready(live_api) -> tuple[int, dict]:
    response = httpx.get(live_api + "/readyz", timeout=30)
    return response.status_code, response.json()


def test_readyz_fails_when_the_sqlite_file_is_deleted_or_replaced(live_api, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("a file to delete: SQLite only")
    path = database_url.removeprefix("sqlite:///")
    assert _ready(live_api)[0] == 200
    os.rename(path, path + ".moved")
    status, body = _ready(live_api)
    assert status == 503 and "missing" in body["checks"]["database"], body
    with open(path, "wb"):
        pass  # a new, empty file where the old one was (what a fresh connection would create)
    status, body = _ready(live_api)
    assert status == 503 and "replaced" in body["checks"]["database"], body
    os.replace(path + ".moved", path)
    assert _ready(live_api)[0] == 200


def test_readyz_fails_when_the_schema_is_not_at_the_head(live_api, engine):
    assert _ready(live_api)[0] == 200
    with engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    status, body = _ready(live_api)
    assert status == 503 and "0001" in body["checks"]["database"], body
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert _ready(live_api)[0] == 200


@pytest.mark.postgres
def test_readyz_fails_when_the_database_takes_no_write(live_api, engine, database_url):
    if "postgres" not in database_url:
        pytest.skip("a read-only database: PostgreSQL")
    name = engine.url.database
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    engine.dispose()
    try:
        status, body = _ready(live_api)
        assert status == 503 and "read-only" in body["checks"]["database"], body
    finally:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET default_transaction_read_only = off"))
            conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off'))
        engine.dispose()
    assert _ready(live_api)[0] == 200


def _break_article_storage(engine) -> None:
    """A database fault while a poll stores: PostgreSQL "disk full" (SQLSTATE 53100), SQLite a missing table
    (what a connection to a replaced, empty file sees)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text("""CREATE FUNCTION disk_full() RETURNS trigger AS $$ BEGIN
                RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$ LANGUAGE plpgsql""")
            )
            conn.execute(
                text("CREATE TRIGGER disk_full BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION disk_full()")
            )
        else:
            conn.execute(text("ALTER TABLE articles RENAME TO articles_elsewhere"))


def test_a_database_fault_during_a_poll_is_the_services_not_the_sources(engine, local_server, session):
    feed = rss([("Storm kills 7", "The storm killed 7 people in the port city, officials said.")])
    sid = add_feed_source(local_server.route("/feed.xml", feed), interval=600)
    _break_article_storage(engine)
    before = utcnow()
    result = poll_now(sid)
    assert result["outcome"] == "service_error" and "database error" in result["error"], result
    session.expire_all()
    source = session.get(Source, sid)
    assert source.status != "failing" and source.consecutive_failures == 0, (source.status, source.last_error)
    assert source.lease_owner is None
    logs = session.exec(select(PollLog).where(PollLog.source_id == sid)).all()
    assert [log.outcome for log in logs] in ([], ["service_error"])
    assert source.next_poll_at <= before + dt.timedelta(seconds=120)


# --- 7. redirects and key guessing -------------------------------------------------------------------------


def test_the_trailing_slash_redirect_never_echoes_the_host_header(live_api):
    redirected = 0
    for path in ("/api/v1/facts/", "/api/v1/sources/?limit=5", "//evil.example/api/v1/facts/"):
        response = httpx.get(live_api + path, headers={"Host": "evil.example"}, follow_redirects=False)
        if response.status_code in (301, 302, 307, 308):
            redirected += 1
            location = response.headers["location"]
            assert location.startswith("/") and not location.startswith("//"), location
            assert "evil.example" not in location, location
    assert redirected >= 2


def test_repeated_wrong_keys_from_one_client_are_slowed(live_api, settings_env):
    settings_env(read_api_key="reader")
    statuses = []
    with httpx.Client(base_url=live_api, timeout=10) as api:
        for n in range(40):
            statuses.append(api.get("/api/v1/facts", headers={"Authorization": f"Bearer guess-{n}"}).status_code)
        assert statuses[0] == 401 and statuses[-1] == 429, statuses
        throttled = api.get("/api/v1/facts", headers={"X-API-Key": "guess-again"})
        assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) >= 1
        # while throttled, even the right key is not looked at: a guesser learns nothing
        assert api.get("/api/v1/facts", headers={"Authorization": "Bearer reader"}).status_code == 429
        assert api.post("/api/v1/alerts", json={}, headers={"Authorization": "Bearer wrong"}).status_code == 429
    # a client that never guessed is not affected (another loopback address)
    other = httpx.Client(base_url=live_api, timeout=10, transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    with other:
        assert other.get("/api/v1/facts", headers={"Authorization": "Bearer reader"}).status_code == 200
