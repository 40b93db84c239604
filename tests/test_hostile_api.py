"""Hostile input against the live API: oversized bodies on every write route, SQL injection and
LIKE tricks in every filter, and the SSRF matrix for URLs that users may register."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlmodel import Session, func, select

from db.models import Article, Fact, Source
from tests.conftest import API_KEY_HEADERS

INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE facts; --",
    "%",
    "_",
    "\\",
    "killed' --",
    "\u0000",
    "Aleppo\u0000x",
    "☃" * 150,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "1e309",
    "-1",
    "99999999999999999999999",
]

PRIVATE_URLS = [
    "http://127.0.0.1/feed",
    "http://localhost/feed",
    "http://10.0.0.1/feed",
    "http://172.16.5.4/feed",
    "http://192.168.1.1:8080/feed",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/feed",
    "http://[::ffff:127.0.0.1]/feed",
    "http://[fd00::1]/feed",
    "http://[fe80::1]/feed",
    "http://0.0.0.0/feed",
    "http://2130706433/feed",
    "http://0177.0.0.1/feed",
    "http://0x7f000001/feed",
    "http://127.1/feed",
    "http://100.64.0.1/feed",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://10.0.0.1/x",
    "http:///nohost",
    "not a url",
]


def _seed(database_url):
    from db.engine import get_engine

    with Session(get_engine(database_url)) as session:
        src = Source(name="s", url="http://127.0.0.1:1/feed")
        session.add(src)
        session.flush()
        art = Article(source_id=src.id, guid_key="k", title="t", text="Ten people were killed.")
        session.add(art)
        session.flush()
        session.add(
            Fact(
                article_id=art.id,
                extractor_version="test",
                kind="killed",
                value=10,
                low=10,
                high=10,
                span_start=0,
                span_end=3,
                sentence="Ten people were killed.",
                date=dt.date(2020, 1, 1),
                location="Aleppo",
                source="police",
                subject="people",
            )
        )
        session.commit()


def _fact_count(database_url) -> int:
    from db.engine import get_engine

    with Session(get_engine(database_url)) as session:
        return session.exec(select(func.count()).select_from(Fact)).one()


def _routes(api):
    schema = api.get("/openapi.json").json()
    return schema["paths"]


def test_oversized_bodies_are_refused_on_every_write_route(live_api):
    with httpx.Client(base_url=live_api, timeout=30) as api:
        writes = [
            (method.upper(), path)
            for path, ops in _routes(api).items()
            for method in ops
            if method in ("post", "put", "patch")
        ]
        assert writes, "the API has no write routes?"
        big = b'{"x": "' + b"a" * 2_000_000 + b'"}'
        for method, path in writes:
            url = "/".join("1" if part.startswith("{") else part for part in path.split("/"))  # {id} -> 1
            resp = api.request(
                method, url, content=big, headers={**API_KEY_HEADERS, "Content-Type": "application/json"}
            )
            assert resp.status_code == 413, (method, path, resp.status_code)
            assert resp.headers["content-type"].startswith("application/problem+json")


def test_injection_strings_in_every_filter_never_5xx_and_change_nothing(live_api, database_url):
    _seed(database_url)
    with httpx.Client(base_url=live_api, timeout=30) as api:
        paths = _routes(api)
        gets = [
            (path, [p["name"] for p in ops["get"].get("parameters", []) if p["in"] == "query"])
            for path, ops in paths.items()
            if "get" in ops and "{" not in path and path.startswith("/api/")
        ]
        tried = 0
        for path, params in gets:
            for param in params:
                for value in INJECTIONS:
                    resp = api.get(path, params={param: value})
                    tried += 1
                    assert resp.status_code < 500, (path, param, value, resp.text[:300])
                    if resp.status_code >= 400:
                        assert resp.headers["content-type"].startswith("application/problem+json")
        assert tried > 50
        # LIKE wildcards are literal: "%" and "_" match nothing here
        for param in ("q", "source", "subject", "location"):
            for wildcard in ("%", "_"):
                resp = api.get("/api/v1/facts", params={param: wildcard})
                assert resp.status_code == 200 and resp.json()["items"] == [], (param, wildcard)
    assert _fact_count(database_url) == 1


def test_ssrf_matrix_for_sources_and_webhooks(live_api, settings_env):
    settings_env(allow_private_urls="false")
    with httpx.Client(base_url=live_api, headers=API_KEY_HEADERS, timeout=30) as api:
        for route in ("/api/v1/sources", "/api/v1/webhooks"):
            for url in PRIVATE_URLS:
                resp = api.post(route, json={"url": url})
                assert resp.status_code == 422, (route, url, resp.status_code, resp.text)
                assert resp.headers["content-type"].startswith("application/problem+json")
            assert api.get(route).json()["items"] == []


def test_file_sources_are_for_the_local_operator_only(live_api, settings_env):
    settings_env(allow_private_urls="false")
    resp = httpx.post(live_api + "/api/v1/sources", json={"url": "file:///etc/hostname"}, headers=API_KEY_HEADERS)
    assert resp.status_code == 422 and "scheme" in resp.json()["detail"]
