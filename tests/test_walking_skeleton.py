"""From a feed on a real local HTTP server to facts in the API, on both databases."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import API_KEY_HEADERS

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Wire</title><link>http://127.0.0.1/</link>
<item><guid>w-1</guid><title>Quake-hit town counts its losses</title>
<link>http://127.0.0.1/a/1?utm_source=rss</link><pubDate>Tue, 08 Nov 2016 10:00:00 GMT</pubDate>
<description>The valley town, which officials say is home to 48,000 people, lost its only hospital.</description></item>
<item><guid>w-2</guid><title>Market reopens</title><link>http://127.0.0.1/a/2</link>
<pubDate>Wed, 09 Nov 2016 10:00:00 GMT</pubDate>
<description>Traders returned on Wednesday. The district is home to 12,500 people.</description></item>
</channel></rss>"""


def _poll_all():
    from service.ingest.polling import run_cycle

    return run_cycle(force=True)


def test_feed_to_api(live_api, local_server):
    feed_url = local_server.route("/feed.xml", FEED)
    with httpx.Client(base_url=live_api, timeout=10) as api:
        assert api.post("/api/v1/sources", json={"url": feed_url}).status_code == 401
        created = api.post("/api/v1/sources", json={"url": feed_url, "name": "local"}, headers=API_KEY_HEADERS)
        assert created.status_code == 201, created.text
        source_id = created.json()["id"]
        assert api.post("/api/v1/sources", json={"url": feed_url}, headers=API_KEY_HEADERS).status_code == 409

        results = _poll_all()
        assert [r["new_articles"] for r in results] == [2]
        assert _poll_all()[0]["new_articles"] == 0  # a second poll stores nothing again

        facts = api.get("/api/v1/facts", params={"kind": "population"}).json()
        values = sorted(f["value"] for f in facts["items"])
        assert values == [12500, 48000]
        fact = next(f for f in facts["items"] if f["value"] == 48000)
        assert set(fact) >= {
            "kind",
            "value",
            "low",
            "high",
            "qualifier",
            "unit",
            "subject",
            "location",
            "date",
            "source",
            "span",
            "sentence",
        }

        article = api.get(f"/api/v1/articles/{fact['article_id']}").json()
        start, end = fact["span"]
        assert "48,000" in article["text"][start:end]
        assert article["canonical_url"] == "http://127.0.0.1/a/1"
        assert [f["id"] for f in article["facts"]] == [fact["id"]]

        # date filters and cursor pagination
        assert [f["value"] for f in api.get("/api/v1/facts", params={"since": "2016-11-09"}).json()["items"]] == [12500]
        assert [f["value"] for f in api.get("/api/v1/facts", params={"until": "2016-11-08"}).json()["items"]] == [48000]
        page1 = api.get("/api/v1/facts", params={"limit": 1}).json()
        page2 = api.get("/api/v1/facts", params={"limit": 1, "cursor": page1["next_cursor"]}).json()
        assert page1["next_cursor"] and page2["next_cursor"] is None
        assert {page1["items"][0]["id"], page2["items"][0]["id"]} == {f["id"] for f in facts["items"]}

        source = api.get(f"/api/v1/sources/{source_id}").json()
        assert source["status"] == "ok" and source["items_seen"] == 4 and source["articles_24h"] == 2


@pytest.mark.parametrize(
    "path,params",
    [
        ("/api/v1/facts", {"kind": "exploded"}),
        ("/api/v1/facts", {"since": "last tuesday"}),
        ("/api/v1/facts", {"since": "2016-11-09", "until": "2016-11-01"}),
        ("/api/v1/facts", {"limit": "0"}),
        ("/api/v1/facts", {"cursor": "%%%"}),
        ("/api/v1/articles/999999", {}),
    ],
)
def test_bad_requests_are_problems(live_api, path, params):
    resp = httpx.get(live_api + path, params=params, timeout=10)
    assert 400 <= resp.status_code < 500
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["detail"]


def test_healthz(live_api):
    assert httpx.get(live_api + "/healthz").json() == {"status": "ok"}
    assert httpx.get(live_api + "/readyz").json()["checks"]["database"] == "ok"
