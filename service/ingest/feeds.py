"""Feed bytes → entries: RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed 1.0/1.1 by hand.

XML with entity declarations (billion laughs, external entities) is refused before feedparser sees
it — the defusedxml policy (`forbid_entities`), checked on the raw bytes, UTF-16/32 included.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, field

import feedparser

from service.ingest.html_text import html_to_text


class FeedError(Exception):
    pass


@dataclass
class Entry:
    guid: str | None
    url: str | None
    title: str | None
    text: str  # the feed's own content/summary, as plain text
    published: dt.datetime | None


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[Entry] = field(default_factory=list)
    ttl_seconds: int | None = None  # RSS <ttl> (minutes in the feed)
    warning: str | None = None  # malformed XML whose entries feedparser could still recover


_ENTITY = re.compile(rb"<!ENTITY", re.I)


def refuse_xml_entities(body: bytes) -> None:
    """Raise FeedError if the body declares XML entities (UTF-16/32 included)."""
    probe = body
    if (
        body[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
        or body[:2] in (b"\xff\xfe", b"\xfe\xff")
        or b"\x00" in body[:200]
    ):
        probe = body.replace(b"\x00", b"")  # UTF-16/32 markup is ASCII plus NULs
    if _ENTITY.search(probe):
        raise FeedError("XML entity declarations are refused (entity-expansion / XXE protection)")


def _struct_time(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _iso(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    """Whether the body is a JSON document (by content type or first byte)."""
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_json_feed(body: bytes) -> ParsedFeed:
    """A JSON Feed (jsonfeed.org) as a ParsedFeed; FeedError if it is not one."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a JSON feed: {exc}") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("not a JSON feed: no jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a JSON feed: items is not a list")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        html = _clean(item.get("content_html"))
        text = (
            html_to_text(html)
            if html
            else (_clean(item.get("content_text")) or html_to_text(_clean(item.get("summary")) or ""))
        )
        guid = item.get("id")
        entries.append(
            Entry(
                guid=str(guid) if guid not in (None, "") else None,
                url=_clean(item.get("url")) or _clean(item.get("external_url")),
                title=_clean(item.get("title")),
                text=text or "",
                published=_iso(item.get("date_published")) or _iso(item.get("date_modified")),
            )
        )
    return ParsedFeed(title=_clean(doc.get("title")), entries=entries)


def _entry_text(entry) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return html_to_text(content["value"])
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def parse_feed(body: bytes, headers: dict[str, str] | None = None, url: str | None = None) -> ParsedFeed:
    """Parse a feed; FeedError when the bytes are not a usable feed."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if looks_like_json(body, headers.get("content-type")):
        return parse_json_feed(body)
    refuse_xml_entities(body)
    if url and "content-location" not in headers:
        headers["content-location"] = url  # base for relative links
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    except (ValueError, UnicodeError, LookupError, TypeError) as exc:  # feedparser's own bugs on hostile bytes
        raise FeedError(f"not a feed: {type(exc).__name__}: {exc!s:.200}") from None
    if parsed.bozo and not parsed.entries:
        raise FeedError(f"not a feed: {parsed.get('bozo_exception')!s:.200}")
    if not parsed.entries and not parsed.get("version"):
        raise FeedError("not a feed: no RSS/Atom structure found")
    entries = [
        Entry(
            guid=_clean(e.get("id")),
            url=_clean(e.get("link")),
            title=_clean(e.get("title")),
            text=_entry_text(e),
            published=_struct_time(e.get("published_parsed")) or _struct_time(e.get("updated_parsed")),
        )
        for e in parsed.entries
    ]
    ttl = None
    raw_ttl = str(parsed.feed.get("ttl") or "").strip()
    if raw_ttl.isdigit():
        ttl = int(raw_ttl) * 60
    warning = f"malformed feed, entries recovered: {parsed.get('bozo_exception')!s:.200}" if parsed.bozo else None
    return ParsedFeed(title=_clean(parsed.feed.get("title")), entries=entries, ttl_seconds=ttl, warning=warning)
