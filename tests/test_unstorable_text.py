"""Text PostgreSQL cannot store (NUL, lone surrogates) never costs a 500 or a lost article:
feeds carrying it are stored without it, API bodies carrying it are refused with a 422."""

import json

import httpx
from sqlmodel import Session, select

from db.models import Article, Fact, Source
from tests.conftest import API_KEY_HEADERS

FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire&#0;</title>
<item><guid>n-1</guid><title>Blast&#0; kills 12</title><link>http://127.0.0.1:9/a/1</link>
<description>At least 12 people were killed&#0; in the blast, police said.</description></item>
</channel></rss>"""


def test_feed_with_nul_characters_is_stored_without_them(database_url, engine, local_server):
    from service.ingest.polling import run_cycle

    url = local_server.route("/nul.xml", FEED)
    with Session(engine) as session:
        session.add(Source(name="nul", url=url))
        session.commit()
    results = run_cycle(force=True)
    assert [r["new_articles"] for r in results] == [1], results
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
        assert "\x00" not in article.text and "\x00" not in article.title
        facts = session.exec(select(Fact)).all()
        assert [f.value for f in facts if f.kind == "killed"] == [12, 12]  # headline and body
        for fact in facts:
            assert article.text[fact.span_start : fact.span_end].strip()


def test_api_bodies_with_nul_are_422_on_every_write(live_api):
    with httpx.Client(base_url=live_api, headers=API_KEY_HEADERS, timeout=30) as api:
        hook = api.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}).json()
        rule = api.post(
            "/api/v1/alerts",
            json={"name": "r", "filter": {"kind": "killed"}, "condition": {"type": "new"}, "webhook_ids": [hook["id"]]},
        ).json()
        source = api.post("/api/v1/sources", json={"url": "http://127.0.0.1:9/feed"}).json()
        attempts = [
            ("POST", "/api/v1/sources", {"url": "http://127.0.0.1:9/x", "name": "a\x00b"}),
            ("PATCH", f"/api/v1/sources/{source['id']}", {"name": "\x00"}),
            ("POST", "/api/v1/webhooks", {"url": "http://127.0.0.1:9/h", "description": "\ud800"}),
            ("PATCH", f"/api/v1/webhooks/{hook['id']}", {"description": "x\x00"}),
            ("POST", "/api/v1/alerts", {"name": "r\x00", "filter": {}, "condition": {"type": "new"}}),
            ("PATCH", f"/api/v1/alerts/{rule['id']}", {"name": "\x00"}),
            ("PATCH", f"/api/v1/alerts/{rule['id']}", {"filter": {"location": "Aleppo\x00"}}),
        ]
        for method, path, body in attempts:
            resp = api.request(
                method,
                path,
                content=json.dumps(body),  # ASCII escapes carry the surrogate
                headers={"Content-Type": "application/json"},
            )
            assert resp.status_code == 422, (method, path, resp.status_code, resp.text)
            assert resp.headers["content-type"].startswith("application/problem+json")
        assert api.get(f"/api/v1/alerts/{rule['id']}").json()["name"] == "r"
