"""Bounded HTTP fetching for feeds and article pages.

Every request goes through `service.core.net.safe_client` (SSRF guard on each hop and on the address
actually connected to) and is bounded: connect/read timeouts plus a total deadline checked while
streaming, a redirect limit, a per-host concurrency limit (per process), a content-type check, and
a size cap on the *decompressed* body enforced while streaming — we ask only for gzip/deflate and
inflate them ourselves with `max_length`, so a gzip bomb never expands past the cap in memory.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from service.core.net import deadline as net_deadline
from service.core.net import is_unsafe_error, retry_after_seconds, shared_client
from service.core.settings import get_settings

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_NOT_FEED = re.compile(r"^(image|audio|video|font)/|^application/(pdf|zip|gzip|x-gzip|octet-stream|msword|vnd\.)", re.I)
_PAGE_TYPES = re.compile(r"^(text/html|application/xhtml\+xml)\b", re.I)


class FetchError(Exception):
    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None, headers: dict | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.headers = headers or {}


@dataclass
class Fetched:
    status: int
    body: bytes | None  # None on 304
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    url: str = ""  # after redirects
    server_addr: str | None = None


# --- per-host limit and the shared client -------------------------------------------------------

_lock = threading.Lock()
_host_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}


@contextmanager
def host_slot(host: str):
    """Hold one of the `per_host_concurrency` request slots of `host` (per process)."""
    limit = max(1, get_settings().per_host_concurrency)
    with _lock:
        sem = _host_slots.setdefault((host, limit), threading.BoundedSemaphore(limit))
    with sem:
        yield


def _client() -> httpx.Client:
    """The fetcher's guarded client for the current settings (shared by every poll of the process)."""
    s = get_settings()
    return shared_client(
        timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
        follow_redirects=True,
        max_redirects=s.max_redirects,
        headers={"User-Agent": s.user_agent},
        max_connections=100,
    )


# --- streaming with caps ------------------------------------------------------------------------


def _inflate(raw_chunks, encoding: str, cap: int):
    """Yield decoded bytes; raise FetchError as soon as more than `cap` bytes would come out."""
    encoding = (encoding or "identity").strip().lower()
    total = 0
    if encoding in ("", "identity"):
        for chunk in raw_chunks:
            total += len(chunk)
            if total > cap:
                raise FetchError(f"response larger than {cap} bytes")
            yield chunk
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding {encoding!r}")
    decomp = zlib.decompressobj(wbits=31 if "gzip" in encoding else 15)
    first = True
    for chunk in raw_chunks:
        data = chunk
        while data:
            try:
                out = decomp.decompress(data, cap + 1 - total)
            except zlib.error as exc:
                if first and encoding == "deflate":  # raw deflate without the zlib header
                    decomp, first = zlib.decompressobj(wbits=-15), False
                    continue
                raise FetchError(f"bad {encoding} data: {exc}") from None
            first = False
            total += len(out)
            if total > cap:
                raise FetchError(f"response larger than {cap} bytes after decompression")
            if out:
                yield out
            data = decomp.unconsumed_tail
    out = decomp.flush()
    total += len(out)
    if total > cap:
        raise FetchError(f"response larger than {cap} bytes after decompression")
    if out:
        yield out


def _read_file(url: str, cap: int) -> Fetched:
    path = Path(url2pathname(urlsplit(url).path))
    try:
        with path.open("rb") as fh:
            body = fh.read(cap + 1)
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror}") from None
    if len(body) > cap:
        raise FetchError(f"response larger than {cap} bytes")
    # A file has no Content-Type header: name one from the file name, or feedparser reports every read of a
    # well-formed feed as malformed ("no Content-type specified").
    ctype = "application/feed+json" if path.suffix.lower() == ".json" else "application/xml"
    return Fetched(200, body, {"content-type": ctype}, url)


def fetch(url: str, *, kind: str = "feed", etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET `url` (a feed or an article page) within every bound. Raises FetchError; 304 → body None."""
    s = get_settings()
    cap = s.max_feed_bytes if kind == "feed" else s.max_article_bytes
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        return _read_file(url, cap)
    if scheme not in ("http", "https"):
        raise FetchError(f"scheme {scheme!r} not fetched")
    headers = {"Accept": FEED_ACCEPT if kind == "feed" else PAGE_ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = float("inf")
    host = (urlsplit(url).hostname or "").lower()
    try:
        with host_slot(host):
            # The deadline starts once a slot is ours: waiting behind our own per-host limit is not the
            # host being slow (pages queued for one busy site timed out and fell back to the feed text).
            deadline = time.monotonic() + s.total_timeout
            with net_deadline(s.total_timeout), _client().stream("GET", url, headers=headers) as resp:
                hdrs = {k.lower(): v for k, v in resp.headers.items()}
                stream = resp.extensions.get("network_stream")
                server = stream.get_extra_info("server_addr") if stream is not None else None
                server_addr = server[0] if isinstance(server, tuple) else None
                if resp.status_code == 304:
                    return Fetched(304, None, hdrs, str(resp.url), server_addr)
                if resp.status_code >= 400:
                    raise FetchError(
                        f"HTTP {resp.status_code}", resp.status_code, retry_after_seconds(hdrs.get("retry-after")), hdrs
                    )
                if resp.status_code != 200:
                    raise FetchError(f"unexpected HTTP {resp.status_code}", resp.status_code, headers=hdrs)
                ctype = hdrs.get("content-type", "").split(";")[0].strip()
                if kind == "feed" and ctype and _NOT_FEED.search(ctype):
                    raise FetchError(f"content type {ctype} is not a feed", resp.status_code, headers=hdrs)
                if kind == "page" and ctype and not _PAGE_TYPES.search(ctype):
                    raise FetchError(f"content type {ctype} is not an HTML page", resp.status_code, headers=hdrs)
                encoding = hdrs.get("content-encoding", "identity")
                length = hdrs.get("content-length", "")
                if encoding.lower() in ("", "identity") and length.isdigit() and int(length) > cap:
                    raise FetchError(
                        f"response larger than {cap} bytes (Content-Length {length})", resp.status_code, headers=hdrs
                    )
                chunks = []
                for chunk in _inflate(resp.iter_raw(), encoding, cap):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError(f"download exceeded {s.total_timeout:g} s", resp.status_code, headers=hdrs)
                return Fetched(200, b"".join(chunks), hdrs, str(resp.url), server_addr)
    except FetchError as exc:
        if exc.status is None and "larger than" in str(exc):
            exc.status = 200
        raise
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {s.max_redirects} redirects") from None
    except httpx.TimeoutException as exc:
        if time.monotonic() >= deadline - 0.05:
            raise FetchError(f"timeout: download exceeded the {s.total_timeout:g} s total deadline") from None
        raise FetchError(f"timeout ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"[:300]) from None
    except httpx.HTTPError as exc:
        if is_unsafe_error(exc):
            reason = str(exc)  # the guard's message says "refused: …" already
            raise FetchError(reason if reason.startswith("refused") else f"refused: {reason}") from None
        raise FetchError(f"{type(exc).__name__}: {exc}"[:500]) from None


# --- decoding HTML pages ------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def decode_html(body: bytes, content_type: str | None) -> str:
    """Text of an HTML page: charset from the header, then <meta>, then UTF-8, then cp1252."""
    candidates = []
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
        if m:
            candidates.append(m.group(1))
    m = _META_CHARSET.search(body[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    if body.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    for name in candidates + ["utf-8"]:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")
