"""Bounded, SSRF-safe fetching against a real HTTP server on 127.0.0.1 (no database needed)."""

from __future__ import annotations

import gzip
import time
import tracemalloc

import httpx
import pytest

from service.core.net import UnsafeURL, check_url, parse_ip, retry_after_seconds, safe_client
from service.ingest.feeds import FeedError, parse_feed, refuse_xml_entities
from service.ingest.fetch import FetchError, decode_html, fetch


@pytest.fixture
def private_ok(settings_env):
    settings_env(allow_private_urls="true", private_url_allowlist="")


@pytest.fixture
def private_refused(settings_env):
    settings_env(allow_private_urls="false", private_url_allowlist="")


# --- the SSRF guard -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.0.0.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://167772161/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://0.0.0.0/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://localhost/",
        "http://100.64.0.1/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_private_addresses_are_refused_in_every_spelling(url):
    with pytest.raises(UnsafeURL):
        check_url(url, allow_private=False)
    assert check_url(url, allow_private=True) == url


def test_ip_spellings_normalise():
    assert str(parse_ip("2130706433")) == "127.0.0.1"
    assert str(parse_ip("0177.0.0.1")) == "127.0.0.1"
    assert str(parse_ip("0x7f.1")) == "127.0.0.1"
    assert str(parse_ip("[::1]")) == "::1"
    assert parse_ip("example.org") is None
    check_url("http://93.184.216.34/feed", allow_private=False)  # a public literal passes
    with pytest.raises(UnsafeURL):
        check_url("ftp://example.org/feed", allow_private=False)


def test_guarded_client_refuses_the_address_it_would_connect_to(local_server, private_refused):
    url = local_server.route("/feed.xml", "<rss/>")
    with safe_client() as client, pytest.raises(httpx.ConnectError, match="non-public"):
        client.get(url)
    with safe_client() as client, pytest.raises(httpx.ConnectError, match="non-public"):
        client.get(url.replace("127.0.0.1", "localhost"))  # a name that resolves to loopback
    assert local_server.requests == []  # nothing ever reached the server
    with pytest.raises(FetchError, match="refused"):
        fetch(url)
    with safe_client(allow_private=True) as client:
        assert client.get(url).status_code == 200


def test_every_redirect_hop_is_checked(local_server, settings_env):
    # 127.0.0.1 is allow-listed; the redirect points at another loopback address, which is not.
    settings_env(allow_private_urls="false", private_url_allowlist="127.0.0.1/32")
    target = f"http://127.0.0.2:{local_server.port}/inner.xml"
    ok = local_server.route("/ok.xml", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    url = local_server.route("/hop", status=302, headers={"Location": target})
    assert fetch(ok).status == 200 and fetch(ok).server_addr == "127.0.0.1"
    with pytest.raises(FetchError, match="non-public address"):
        fetch(url)
    for spelled in ("http://2130706434:%d/x", "http://[::ffff:127.0.0.2]:%d/x", "http://0177.0.0.2:%d/x"):
        local_server.route("/hop2", status=301, headers={"Location": spelled % local_server.port})
        with pytest.raises(FetchError, match="non-public address|Invalid IPv4"):  # httpx refuses octal itself
            fetch(local_server.url("/hop2"))


# --- bounds -------------------------------------------------------------------------------------


def _chunked(
    total: int,
    chunk: bytes = b"x" * 65536,
    delay: float = 0.0,
    ctype="application/rss+xml",
    encoding: str | None = None,
):
    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        if encoding:
            h.send_header("Content-Encoding", encoding)
        h.send_header("Connection", "close")
        h.end_headers()
        sent = 0
        try:
            while sent < total:
                h.wfile.write(chunk)
                h.wfile.flush()
                sent += len(chunk)
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            pass
        h.close_connection = True

    return handler


def test_a_50_mb_response_is_cut_at_the_cap(local_server, private_ok):
    url = local_server.route("/big.xml", handler=_chunked(50 * 1024 * 1024))
    with pytest.raises(FetchError, match="larger than"):
        fetch(url)
    big = b"x" * (11 * 1024 * 1024)
    url = local_server.route("/declared.xml", big)  # Content-Length over the cap: refused before reading
    with pytest.raises(FetchError, match="Content-Length"):
        fetch(url)


def test_gzip_bomb_never_expands_past_the_cap(local_server, private_ok):
    bomb = gzip.compress(b"\0" * (300 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 400_000
    url = local_server.route("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="after decompression"):
            fetch(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    small = gzip.compress(b"<rss version='2.0'><channel><title>ok</title></channel></rss>")
    url = local_server.route("/small.xml", small, headers={"Content-Encoding": "gzip"})
    assert fetch(url).body.startswith(b"<rss")


def test_redirect_loop_and_timeouts(local_server, settings_env):
    settings_env(allow_private_urls="true", read_timeout="0.5", total_timeout="1.5")
    local_server.route("/a", status=302, headers={"Location": "/b"})
    local_server.route("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirects"):
        fetch(local_server.url("/a"))

    def silent(h):
        time.sleep(3)

    with pytest.raises(FetchError, match="timeout"):
        fetch(local_server.route("/silent", handler=silent))

    def slow_headers(h):  # the status line and headers a byte at a time, each within the read timeout
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Padding: " + b"a" * 100:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    t0 = time.monotonic()
    with pytest.raises(FetchError, match="timeout"):
        fetch(local_server.route("/slow-headers", handler=slow_headers))
    assert time.monotonic() - t0 < 5  # the 1.5 s deadline, not the ~15 s the headers would take
    # bytes keep trickling in (each read within the read timeout): the total deadline ends it
    with pytest.raises(FetchError, match="exceeded"):  # total deadline exceeded (a read or a chunk)
        fetch(local_server.route("/trickle", handler=_chunked(10_000, chunk=b"<", delay=0.2)))


def test_content_type_and_status_checks(local_server, private_ok):
    png = local_server.route("/x.png", b"\x89PNG....", content_type="image/png")
    with pytest.raises(FetchError, match="not a feed"):
        fetch(png)
    pdf = local_server.route("/x.pdf", b"%PDF", content_type="application/pdf")
    with pytest.raises(FetchError, match="not an HTML page"):
        fetch(pdf, kind="page")
    gone = local_server.route("/gone", b"", status=404)
    with pytest.raises(FetchError, match="HTTP 404") as info:
        fetch(gone, kind="page")
    assert info.value.status == 404
    busy = local_server.route("/busy", b"", status=429, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as info:
        fetch(busy)
    assert info.value.status == 429 and info.value.retry_after == 120


def test_user_agent_and_conditional_headers(local_server, private_ok):
    url = local_server.route("/feed.xml", "<rss/>")
    fetch(url, etag='"v1"', last_modified="Tue, 08 Nov 2016 10:00:00 GMT")
    headers = local_server.requests[-1]["headers"]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 08 Nov 2016 10:00:00 GMT"
    assert headers["User-Agent"].startswith("tollwatch/")


def test_retry_after_forms():
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert 0 <= retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") <= 1  # a past date: now


def test_html_decoding():
    text = "Québec: 12 morts — selon la police"
    assert decode_html(text.encode("cp1252"), "text/html; charset=windows-1252") == text
    assert decode_html(b'<meta charset="iso-8859-1">' + "Québec".encode("latin-1"), "text/html").endswith("Québec")
    assert decode_html(text.encode("utf-8"), None) == text
    assert decode_html(text.encode("cp1252"), None) == text  # not UTF-8: cp1252 fallback


# --- feed parsing safety ------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title></item></channel></rss>"""


def test_entity_declarations_are_refused():
    with pytest.raises(FeedError, match="entity"):
        parse_feed(BILLION_LAUGHS)
    utf16 = BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16")
    with pytest.raises(FeedError, match="entity"):
        refuse_xml_entities(utf16)
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel>'
        b"<title>&x;</title></channel></rss>"
    )
    with pytest.raises(FeedError):
        parse_feed(xxe)


def test_json_feed_and_malformed_inputs():
    doc = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
        b'{"id": "1", "url": "http://x/1", "title": "Blast kills 4", "content_html": "<p>Four died.</p>",'
        b' "date_published": "2026-11-20T10:00:00Z"}, {"id": 2, "content_text": "plain"}]}'
    )
    feed = parse_feed(doc, {"Content-Type": "application/feed+json"})
    assert feed.title == "J" and [e.guid for e in feed.entries] == ["1", "2"]
    assert feed.entries[0].text == "Four died." and feed.entries[0].published.isoformat().startswith("2026-11-20")
    for bad in (b"{not json", b'{"version": "1"}', b"<html><body>hello</body></html>", b"\x00\x01garbage"):
        with pytest.raises(FeedError):
            parse_feed(bad)
