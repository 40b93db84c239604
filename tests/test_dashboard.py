"""The dashboard over plain HTTP, on SQLite and PostgreSQL: the page, its fragments, escaping,
filters, the empty database, access with a read key; plus the pure helpers (highlighting, errors
in words) and the bundled demo feed. The browser test (test_dashboard_browser.py) reuses `seed`."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import pytest
from sqlmodel import Session, select

from db.models import (
    AlertEvent,
    AlertRule,
    Article,
    Delivery,
    Fact,
    PollLog,
    SchedulerHeartbeat,
    Source,
    WebhookEndpoint,
    utcnow,
)

XSS_TITLE = "<script>window.__xss=1</script>Quake toll <b>rises</b> in Aleppo"
XSS_SENTENCE = 'Rescuers said <img src=x onerror="window.__xss=2"> 12 people were killed in Aleppo.'
TWICE_SENTENCE = "In Homs 9 people died and 9 were hurt, police said."


def _fact(
    article: Article,
    phrase: str,
    kind: str,
    value: float,
    *,
    nth: int = 0,
    sentence: str | None = None,
    place: str | None = None,
    country: str | None = None,
    day: dt.date | None = None,
    source: str | None = None,
    created_at: dt.datetime | None = None,
    qualifier: str = "exact",
) -> Fact:
    """A fact whose span points at the nth occurrence of `phrase` inside `sentence` in the article text."""
    text = article.text
    sentence = sentence or next(s for s in re.split(r"(?<=[.!?])\s+|\n", text) if phrase in s)
    s_start = text.index(sentence)
    at = -1
    for _ in range(nth + 1):
        at = sentence.index(phrase, at + 1)
    start = s_start + at
    return Fact(
        article_id=article.id,
        kind=kind,
        value=value,
        low=value,
        high=value,
        qualifier=qualifier,
        unit="people",
        subject="people",
        location=place,
        place_name=place,
        country_code=country,
        date=day,
        source=source,
        span_start=start,
        span_end=start + len(phrase),
        sentence=sentence,
        extractor_version="test",
        created_at=created_at or utcnow(),
    )


def seed(engine, now: dt.datetime | None = None) -> dict:
    """A database a desk would recognise: healthy, failing, disabled and new sources; a week of
    articles; tolls that rise and disagree; a failing webhook endpoint; alert rules; and hostile
    strings (a `<script>` title, a `javascript:` link) that must render as text."""
    now = now or utcnow()
    ago = lambda **kw: now - dt.timedelta(**kw)  # noqa: E731
    with Session(engine, expire_on_commit=False) as s:
        ok = Source(
            name="Example Wire — World",
            url="https://wire.example.org/world.rss",
            status="ok",
            last_polled_at=ago(minutes=2),
            last_success_at=ago(minutes=2),
            last_response_ms=184.0,
            items_seen=240,
        )
        failing = Source(
            name="Broken Regional Feed",
            url="https://regional.example.net/feed.xml",
            status="failing",
            last_polled_at=ago(minutes=4),
            last_success_at=ago(hours=7),
            last_error="HTTP 503",
            last_error_at=ago(minutes=4),
            consecutive_failures=4,
            last_response_ms=30120.0,
            next_poll_at=now + dt.timedelta(minutes=20),
        )
        disabled = Source(
            name="Retired <i>Feed</i>",
            url="javascript:alert(document.domain)",
            status="disabled",
            enabled=False,
            last_error="HTTP 410",
            last_error_at=ago(days=2),
            consecutive_failures=10,
        )
        new = Source(name="Civil Defence Bulletins", url="https://civil-defence.example.org/rss", status="new")
        s.add_all([ok, failing, disabled, new])
        s.flush()

        texts = [
            (
                "Aleppo shelling",
                "https://wire.example.org/a/aleppo-1",
                dt.date(2026, 11, 20),
                ago(days=5, hours=3),
                "Shelling in Aleppo killed 10 civilians on Friday, the United Nations said.",
            ),
            (
                XSS_TITLE,
                "https://wire.example.org/a/aleppo-2",
                dt.date(2026, 11, 21),
                ago(days=4, hours=1),
                XSS_SENTENCE + " The Syrian Observatory for Human Rights said 15 people had died.",
            ),
            (
                "Aleppo toll",
                "javascript:alert(1)",
                dt.date(2026, 11, 21),
                ago(days=3, hours=6),
                "The United Nations said 12 people were killed in Aleppo on Saturday.",
            ),
            (
                "Aleppo toll rises to 20",
                "https://wire.example.org/a/aleppo-4",
                dt.date(2026, 11, 22),
                ago(hours=20),
                "Aleppo toll rises to 20\nThe toll in Aleppo rose to 20, the United Nations said. "
                "Among the dead were 6 children.",
            ),
            (
                "Homs clashes",
                "https://wire.example.org/a/homs",
                dt.date(2026, 11, 24),
                ago(hours=2),
                TWICE_SENTENCE + " " + TWICE_SENTENCE,
            ),
            (
                "Dozens hurt in Homs blast",
                "https://wire.example.org/a/homs-2",
                dt.date(2026, 11, 25),
                ago(hours=1),
                "Dozens of people were injured in Homs on Wednesday, medics said. The blast destroyed 14 buildings.",
            ),
        ]
        arts = []
        for i, (title, url, day, fetched, body) in enumerate(texts):
            art = Article(
                source_id=ok.id,
                guid_key=f"k{i}",
                guid=f"g{i}",
                url=url,
                canonical_url=None,
                title=title,
                outlet="Example Wire",
                text=body,
                fetched_at=fetched,
                published_at=dt.datetime.combine(day, dt.time(9), dt.UTC),
            )
            s.add(art)
            arts.append(art)
        # a week of ingestion for the hourly charts
        for h in range(0, 7 * 24, 5):
            s.add(
                Article(
                    source_id=ok.id,
                    guid_key=f"bulk{h}",
                    title=f"Bulletin {h}",
                    text="No figures today.",
                    outlet="Example Wire",
                    fetched_at=ago(hours=h, minutes=10),
                )
            )
        s.flush()
        a1, a2, a3, a4, a5, a6 = arts
        facts = [
            _fact(
                a1,
                "10",
                "killed",
                10,
                place="Aleppo",
                country="SY",
                day=dt.date(2026, 11, 20),
                source="the United Nations",
                created_at=a1.fetched_at,
            ),
            _fact(
                a2,
                "12",
                "killed",
                12,
                sentence=XSS_SENTENCE,
                place="Aleppo",
                country="SY",
                day=dt.date(2026, 11, 21),
                source=None,
                created_at=a2.fetched_at,
            ),
            _fact(
                a2,
                "15",
                "killed",
                15,
                place="Aleppo",
                country="SY",
                day=dt.date(2026, 11, 21),
                source="the Syrian Observatory for Human Rights",
                created_at=a2.fetched_at,
            ),
            _fact(
                a3,
                "12",
                "killed",
                12,
                place="Aleppo",
                country="SY",
                day=dt.date(2026, 11, 21),
                source="The United Nations",
                created_at=a3.fetched_at,
            ),
            _fact(
                a4,
                "20",
                "killed",
                20,
                sentence="The toll in Aleppo rose to 20, the United Nations said.",
                place="Aleppo",
                country="SY",
                day=dt.date(2026, 11, 22),
                source="the United Nations",
                created_at=a4.fetched_at,
            ),
            # the second "9" of the second copy of the sentence: injured, not killed
            _fact(
                a5,
                "9",
                "injured",
                9,
                nth=1,
                place="Homs",
                country="SY",
                day=dt.date(2026, 11, 24),
                source="police",
                created_at=a5.fetched_at,
            ),
        ]
        # shift the injured fact into the second copy of the repeated sentence
        second = a5.text.index(TWICE_SENTENCE, 1)
        facts[-1].span_start += second
        facts[-1].span_end += second
        # a part of the 20 (a breakdown, never a toll), a vague amount, and a statistic counted in buildings
        children = _fact(
            a4,
            "6",
            "killed",
            6,
            place="Aleppo",
            country="SY",
            day=dt.date(2026, 11, 22),
            source="the United Nations",
            created_at=a4.fetched_at,
        )
        children.scope, children.subject = "part", "children"
        dozens = _fact(
            a6,
            "Dozens",
            "injured",
            24,
            place="Homs",
            country="SY",
            day=dt.date(2026, 11, 25),
            source="medics",
            created_at=a6.fetched_at,
            qualifier="vague",
        )
        dozens.low, dozens.high = 24, 99
        buildings = _fact(
            a6, "14", "statistic", 14, place="Homs", country="SY", day=dt.date(2026, 11, 25), created_at=a6.fetched_at
        )
        buildings.unit, buildings.subject = "buildings", "buildings"
        facts += [children, dozens, buildings]
        s.add_all(facts)
        for art in arts:
            art.fact_count = sum(1 for f in facts if f.article_id == art.id)

        s.add(PollLog(source_id=ok.id, started_at=ago(minutes=2), duration_ms=184.0, outcome="ok", items=20))
        s.add(
            PollLog(
                source_id=failing.id,
                started_at=ago(minutes=4),
                duration_ms=30120.0,
                outcome="error",
                error="HTTP 503",
                http_status=503,
            )
        )
        s.add(
            SchedulerHeartbeat(
                worker="desk-1:4242",
                role="serve",
                started_at=ago(hours=3),
                last_seen_at=ago(seconds=20),
                last_cycle_at=ago(seconds=20),
                last_cycle_ms=1234.0,
            )
        )

        good = WebhookEndpoint(url="https://hooks.example.org/desk", secret="whsec_x", description="desk chat")
        bad = WebhookEndpoint(url="https://hooks.example.com/<b>down</b>", secret="whsec_y", failing_since=ago(hours=1))
        s.add_all([good, bad])
        s.flush()
        rule = AlertRule(
            name="Aleppo toll over 15",
            filter={"kind": "killed", "location": "Aleppo"},
            condition={"type": "threshold", "value": 15},
            webhook_ids=[good.id, bad.id],
            last_fired_at=ago(hours=20),
        )
        rule2 = AlertRule(
            name="<script>window.__xss=5</script>feeds down",
            filter={},
            condition={"type": "source_failing", "failures": 3},
            webhook_ids=[bad.id],
        )
        s.add_all([rule, rule2])
        s.flush()
        event = AlertEvent(rule_id=rule.id, fact_id=facts[4].id, dedupe_key="f5", created_at=ago(hours=20))
        s.add(event)
        s.flush()
        s.add_all(
            [
                Delivery(
                    event_id=event.id,
                    endpoint_id=good.id,
                    message_id="msg_1",
                    status="succeeded",
                    attempts=1,
                    response_code=200,
                    latency_ms=80,
                    created_at=ago(hours=20),
                    delivered_at=ago(hours=20),
                ),
                Delivery(
                    event_id=event.id,
                    endpoint_id=bad.id,
                    message_id="msg_2",
                    status="failed",
                    attempts=8,
                    response_code=502,
                    error="HTTP 502 from endpoint",
                    created_at=ago(hours=20),
                ),
                Delivery(
                    event_id=event.id,
                    endpoint_id=bad.id,
                    message_id="msg_3",
                    status="pending",
                    attempts=2,
                    created_at=ago(hours=1),
                ),
            ]
        )
        s.commit()
        return {
            "ok": ok.id,
            "failing": failing.id,
            "disabled": disabled.id,
            "new": new.id,
            "facts": len(facts),
            "rule": rule.id,
        }


@pytest.fixture
def client(database_url):
    from fastapi.testclient import TestClient

    from service.web.app import create_app

    with TestClient(create_app(start_scheduler=False)) as c:
        yield c


def _text(html_fragment: str) -> str:
    """The visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_fragment)).split())


def _section(page: str, section_id: str) -> str:
    m = re.search(rf'<section id="{section_id}".*?</section>', page, re.S)
    assert m, section_id
    return m.group(0)


# --- the page ----------------------------------------------------------------------------------


def test_empty_database(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    body = resp.text
    assert "No sources yet" in body and "No facts yet" in body and "No alert rules" in body
    assert "nothing in the last 7 days" in body
    assert 'data-verdict="down"' in body  # no scheduler has ever reported
    assert "Not running" in body
    for section in ("health", "sources", "facts", "series", "alerts"):
        frag = client.get(f"/dashboard/fragment/{section}")
        assert frag.status_code == 200, section
        assert "<html" not in frag.text and "<!doctype" not in frag.text.lower()


def test_security_headers(client):
    for path in ("/", "/dashboard/fragment/sources"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
    page = client.get("/").text
    assert "<style" not in page and " style=" not in page  # nothing the CSP would block
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/dashboard/static/dashboard.js" defer>']
    assert " on" not in re.sub(r'"[^"]*"', '""', "".join(re.findall(r"<[a-z][^>]*>", page)))  # no onclick=…


def test_static_files(client):
    js = client.get("/dashboard/static/dashboard.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "data-fragment" in js.text
    assert client.get("/dashboard/static/dashboard.css").headers["content-type"].startswith("text/css")
    for bad in ("../dashboard.py", "..%2Fdashboard.py", "nope.js", ".hidden.js", "dashboard.py"):
        assert client.get(f"/dashboard/static/{bad}").status_code == 404, bad


def test_seeded_health_and_sources(client, engine):
    ids = seed(engine)
    page = client.get("/").text
    health = _text(_section(page, "health"))
    assert "Degraded" in health
    assert "1 source failing" in health and "1 webhook endpoint failing" in health
    assert "Running" in health and "1 of 1 worker alive" in health
    assert re.search(r"Last poll cycle \d+ s ago took 1\.2 s", health), health
    assert "1 ok · 1 failing" in health and "1 disabled" in health and "1 not polled yet" in health
    assert "1 ok · 1 failed" in health and "1 pending now" in health
    assert re.search(r"Database · (SQLite|PostgreSQL) [\d.,]+ (KB|MB)", health)
    assert "https://hooks.example.com/&lt;b&gt;down&lt;/b&gt;" in page and "HTTP 502 from endpoint" in health
    # the hourly charts drew bars over the week
    articles_chart = re.search(
        r'<figure class="chart chart-hourly" id="chart-articles">.*?</figure>', page, re.S
    ).group(0)
    assert articles_chart.count('<rect class="bar') >= 30
    assert f'data-total="{6 + len(range(0, 7 * 24, 5))}"' in articles_chart  # the 6 articles + bulletins, all in 7 days

    sources = _section(page, "sources")
    rows = re.findall(r'<tr class="source-row row-(\w+)" data-status="\w+" data-source-id="(\d+)"', sources)
    assert rows[0] == ("failing", str(ids["failing"]))  # the failing source leads the table
    assert [r[0] for r in rows] == ["failing", "disabled", "new", "ok"]
    failing_row = re.search(rf'data-source-id="{ids["failing"]}".*?</tr>', sources, re.S).group(0)
    assert "The site&#39;s server is failing (HTTP 503)" in failing_row
    assert 'title="HTTP 503"' in failing_row and '<td class="num bad">4</td>' in failing_row
    assert "30.1 s" in failing_row
    ok_row = re.search(rf'data-source-id="{ids["ok"]}".*?</tr>', sources, re.S).group(0)
    assert "184 ms" in ok_row
    assert re.findall(r'<td class="num">(\d+)</td>', ok_row)[-2:] == ["8", "5"]  # articles, facts in 24 h
    assert "The feed has been removed (HTTP 410)" in sources
    assert "Retired &lt;i&gt;Feed&lt;/i&gt;" in sources
    assert 'href="javascript:' not in page  # a javascript: URL is shown, never linked


def test_hostile_strings_are_text(client, engine):
    seed(engine)
    page = client.get("/").text
    assert "<script>window.__xss" not in page and "<img src=x" not in page and "<b>rises</b>" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;Quake toll &lt;b&gt;rises&lt;/b&gt; in Aleppo" in page
    assert "&lt;img src=x onerror=&#34;window.__xss=2&#34;&gt;" in page
    assert "&lt;script&gt;window.__xss=5&lt;/script&gt;feeds down" in page
    assert 'href="javascript:' not in page
    assert '<span class="article-title">Aleppo toll</span>' in page  # its javascript: link is dropped


def test_number_highlighted_in_its_sentence(client, engine):
    seed(engine)
    facts = client.get("/dashboard/fragment/facts").text
    marks = re.findall(r'<blockquote class="sentence">(.*?)</blockquote>', facts, re.S)
    assert len(marks) == 9 and all(m.count("<mark>") == 1 for m in marks)
    # the second "9" (injured), in the second copy of a repeated sentence
    assert "In Homs 9 people died and <mark>9</mark> were hurt, police said." in marks
    # the number after an escaped tag: the offsets are into the raw sentence, not the escaped one
    assert (
        "Rescuers said &lt;img src=x onerror=&#34;window.__xss=2&#34;&gt; <mark>12</mark> people were killed in Aleppo."
    ) in marks
    assert "The toll in Aleppo rose to <mark>20</mark>, the United Nations said." in marks


def test_filters(client, engine):
    seed(engine)
    injured = client.get("/dashboard/fragment/facts", params={"kind": "injured"}).text
    assert injured.count('class="fact"') == 2 and 'data-kind="injured"' in injured
    aleppo = client.get("/dashboard/fragment/facts", params={"place": "aleppo"}).text
    assert aleppo.count('class="fact"') == 6 and "Homs" not in _text(aleppo)
    nothing = client.get("/dashboard/fragment/facts", params={"kind": "arrested", "place": "Aleppo"}).text
    assert "No fact matches this filter" in nothing
    # an unknown kind is ignored rather than an error page
    assert client.get("/dashboard/fragment/facts", params={"kind": "exploded"}).text.count('class="fact"') == 9
    # place options in the form, kinds present marked
    page = client.get("/", params={"kind": "killed", "place": "Aleppo"}).text
    assert '<option value="killed" selected>killed</option>' in page
    assert '<option value="Aleppo">' in page and 'value="Aleppo" placeholder' in page
    assert client.get("/", params={"place": "x" * 201}).status_code == 422


def test_series_shows_disagreement(client, engine):
    seed(engine)
    series = client.get("/dashboard/fragment/series", params={"kind": "killed", "place": "Aleppo"}).text
    assert "Killed in Aleppo" in series
    # one dot per distinct reported total a day: 10; 12 and 15; 20 (the article that says 12 then 15 reports 15
    # once; the part "6 children" is no report)
    assert 'data-points="4"' in series
    ranges = re.findall(r'<line class="disagree-range"[^>]*><title>([^<]*)</title>', series)
    assert ranges == ["2026-11-21: 2 reports disagree, from 12 to 15"]
    rows = re.findall(r"<tr( class=\"disagree\")?>\s*<td><time datetime=\"([\d-]+)\"", series)
    assert [(bool(cls), day) for cls, day in rows] == [
        (False, "2026-11-22"),
        (True, "2026-11-21"),
        (False, "2026-11-20"),
    ]
    assert "disagree: 15 (the Syrian Observatory for Human Rights); 12 (The United Nations)" in _text(series).replace(
        " ;", ";"
    )
    # the automatic choice: killed, at the most reported place
    auto = client.get("/dashboard/fragment/series").text
    assert "Killed in Aleppo" in auto and "picked automatically" in auto
    none = client.get("/dashboard/fragment/series", params={"kind": "arrested"}).text
    assert "No dated reports of arrested" in none


def test_current_tolls_with_breakdowns(client, engine):
    seed(engine)
    tolls = client.get("/dashboard/fragment/tolls").text
    rows = {
        re.search(r'<th scope="row">(.*?)</th>', r, re.S).group(1).split(" <")[0]
        + " "
        + re.search(r'data-kind="(\w+)"', r).group(1): r
        for r in re.findall(r'<tr class="toll.*?</tr>', tolls, re.S)
    }
    assert set(rows) == {"Aleppo killed", "Homs injured", "Homs statistic"}
    aleppo = _text(rows["Aleppo killed"])
    # the latest total is 20 (the part "6 children" is its breakdown, not a report); four articles reported a total
    assert aleppo.startswith("Aleppo SY killed 20 2026-11-22 · the United Nations of which 6 children = latest 4")
    homs = rows["Homs injured"]
    assert '<span class="vague" title="between 24 and 99">Dozens</span>' in homs  # a vague amount as its phrase
    assert "24" not in _text(homs).split("·")[0] and "9" not in _text(homs).split("·")[0]
    statistic = _text(rows["Homs statistic"])
    assert "14 buildings" in statistic and "buildings buildings" not in statistic
    facts = client.get("/dashboard/fragment/facts").text
    assert "14 buildings" in _text(facts) and "buildings buildings" not in _text(facts)
    assert "Dozens" in _text(facts) and 'title="between 24 and 99"' in facts
    assert re.search(r'data-kind="killed">.{0,300}?>6</span>.{0,200}?badge-part', facts, re.S)
    only = client.get("/dashboard/fragment/tolls", params={"kind": "injured"}).text
    assert only.count('<tr class="toll') == 1 and "Dozens" in only


def test_a_correction_downwards_shows(client, engine):
    seed(engine)
    with Session(engine) as s:
        source_id = s.exec(select(Source.id)).first()
        art = Article(
            source_id=source_id,
            guid_key="fix",
            title="Aleppo toll revised",
            text="Officials revised the Aleppo toll to 18.",
            fetched_at=utcnow(),
        )
        s.add(art)
        s.flush()
        s.add(
            _fact(art, "18", "killed", 18, place="Aleppo", country="SY", day=dt.date(2026, 11, 23), source="officials")
        )
        s.commit()
    row = re.search(r'<tr class="toll revised-down".*?</tr>', client.get("/dashboard/fragment/tolls").text, re.S)
    assert row and "18" in _text(row.group(0)) and "20" in _text(row.group(0)) and "revised down" in row.group(0)


def test_alerts(client, engine):
    ids = seed(engine)
    alerts = client.get("/dashboard/fragment/alerts").text
    row = re.search(rf'data-rule-id="{ids["rule"]}".*?</tr>', alerts, re.S).group(0)
    assert "Aleppo toll over 15" in row and "killed · in Aleppo: value reaches 15" in row
    assert "delivery-some-failed" in row and "1 ok · 1 failed · 1 pending" in row
    assert "last error: HTTP 502 from endpoint" in row and re.search(r"2[01] h ago", row)
    assert "source failing: 3 failed polls in a row" in alerts and ">never<" in alerts


def test_read_key_protects_the_dashboard(database_url, settings_env):
    from fastapi.testclient import TestClient

    from service.web.app import create_app

    settings_env(read_api_key="reader", api_key="writer")
    with TestClient(create_app(start_scheduler=False)) as c:
        denied = c.get("/")
        assert denied.status_code == 401 and denied.headers["www-authenticate"].startswith("Basic")
        assert c.get("/dashboard/fragment/health").status_code == 401
        basic = "Basic " + base64.b64encode(b"desk:reader").decode()
        assert c.get("/", headers={"Authorization": basic}).status_code == 200
        assert c.get("/", headers={"Authorization": "Bearer writer"}).status_code == 200
        wrong = "Basic " + base64.b64encode(b"desk:nope").decode()
        assert c.get("/", headers={"Authorization": wrong}).status_code == 401
        assert c.get("/dashboard/static/dashboard.css").status_code == 200  # no data in it


def test_demo_feed_fills_the_dashboard(client, engine, settings_env):
    """The bundled feed, polled offline, gives tolls that rise and sources that disagree."""
    from service.demo import DEMO_FEED, ensure_demo_source
    from service.ingest.polling import run_cycle

    settings_env(demo_source="true")
    ensure_demo_source()
    [result] = run_cycle(force=True)
    assert result["outcome"] == "ok" and result["new_articles"] == 12 and result["facts"] >= 20
    assert DEMO_FEED.as_uri().startswith("file://")
    page = client.get("/").text
    assert "tollwatch demo feed" in page and "No facts yet" not in page
    turkana = client.get("/dashboard/fragment/series", params={"kind": "killed", "place": "Turkana County"}).text
    assert "disagree" in turkana and 'class="disagree-range"' in turkana
    days = re.findall(r"<td><time datetime=\"([\d-]+)\">", turkana)
    assert {"2026-11-19", "2026-11-22", "2026-11-24"} <= set(days)
    with Session(engine) as s:  # the resolved name, as the place list offers it
        herat_name = s.exec(select(Fact.place_name).where(Fact.location == "Herat")).first()
    herat = client.get("/dashboard/fragment/series", params={"kind": "killed", "place": herat_name}).text
    # "41, the ministry said, while the authority put the toll at 35": one article, one report, the later one
    table = herat.split('class="series-table"')[1]
    assert "data-points" in herat and "41" not in re.sub(r"<title>.*?</title>", "", table)


# --- the pure helpers ----------------------------------------------------------------------------


def test_highlight_uses_the_span_relative_to_the_sentence():
    from service.web.dashboard.queries import highlight

    text = "Headline 5 dead\nIn Homs 9 people died and 9 were hurt. In Homs 9 people died and 9 were hurt."
    sentence = "In Homs 9 people died and 9 were hurt."
    second_copy = text.rindex(sentence)
    start = second_copy + sentence.rindex("9")
    assert highlight(sentence, start, start + 1, text) == ("In Homs 9 people died and ", "9", " were hurt.")
    start = second_copy + sentence.index("9")
    assert highlight(sentence, start, start + 1, text) == ("In Homs ", "9", " people died and 9 were hurt.")
    # multi-character phrase; non-ASCII before it
    t2 = "Über 1,200 Menschen — at least 1,200 people were displaced."
    s2 = t2
    i = t2.index("at least 1,200")
    assert highlight(s2, i, i + len("at least 1,200"), t2)[1] == "at least 1,200"
    # without the article text: the phrase cannot be placed, so nothing is highlighted
    assert highlight(sentence, 30, 31, None) is None
    # the text changed (sentence not found): highlight only an unambiguous phrase
    changed = "XX In Homs 12 people died."
    assert highlight("In Homs 12 people died.", 11, 13, changed) == ("In Homs ", "12", " people died.")
    assert highlight("9 and 9", 0, 1, "zz 9 and 9 zz") is None  # "9" occurs twice: no guess
    # retention dropped the text: only the one stretch of the span's length that states the value
    assert highlight(sentence, 100, 101, None, 9) is None  # two 9s: no guess
    assert highlight("At least 14 people were killed, 3 hurt.", 500, 511, None, 14) == (
        "",
        "At least 14",
        " people were killed, 3 hurt.",
    )
    assert highlight("Some 1,200 people fled and 12 died.", 40, 42, None, 12)[1] == "12"
    assert highlight("Three people were killed by falling trees.", 9, 14, None, 3)[1] == "Three"
    assert highlight("It cost $12 million in subsidies.", 3, 14, None, 12_000_000)[1] == "$12 million"
    assert highlight("Some 1,200 people fled.", 0, 2, None, 12) is None  # "12" inside "1,200" is not it
    # nonsense spans never raise
    assert highlight(sentence, 50, 40, text) is None
    assert highlight(sentence, 10_000, 10_002, text) is None
    assert highlight("", 0, 1, text) is None


def test_rule_hours_in_words():
    from service.web.dashboard.queries import condition_in_words

    assert condition_in_words({"type": "increase", "by": 5, "window_hours": 72.0}) == "rises by 5 within 72 h"
    assert (
        condition_in_words({"type": "source_failing", "silent_hours": 1.5})
        == "source failing: no new article for 1.5 h"
    )


def test_errors_in_words():
    from service.web.dashboard.queries import error_in_words

    assert error_in_words(None) is None
    assert error_in_words("HTTP 404") == "The feed address was not found (HTTP 404)"
    assert error_in_words("HTTP 503") == "The site's server is failing (HTTP 503)"
    assert error_in_words("HTTP 418") == "The site answered with an error (HTTP 418)"
    assert error_in_words("timeout: ReadTimeout") == "The site did not answer in time"
    assert (
        error_in_words("ConnectError: [Errno -2] Name or service not known") == "The site's name does not resolve (DNS)"
    )
    assert error_in_words("ConnectError: [Errno 111] Connection refused") == "Could not connect to the site"
    assert error_in_words("not a feed: <unknown>:1:0: syntax error").startswith("The address does not return a feed")
    assert error_in_words("cannot read /x/feed.xml: No such file or directory") == "The feed file cannot be read"
    assert error_in_words("something odd\nwith a traceback") == "something odd"


def test_safe_href():
    from service.web.dashboard.queries import safe_href

    assert safe_href("https://example.org/a") == "https://example.org/a"
    assert safe_href(" http://example.org ") == "http://example.org"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "",
        None,
        "//evil.example/x",
    ):
        assert safe_href(bad) is None, bad
