"""Store one feed item as an article with its facts: once and only once."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import extractors
from db.models import Article, Fact, Source, utcnow
from service import alerts, metrics
from service.runtime import cpu_lane

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|icid|ref|ref_src|smid|guccounter)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme/host, no fragment, no tracking parameters, sorted query."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    netloc = (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def content_hash(text: str | None) -> str | None:
    if not text or len(text) < 200:  # short summaries repeat too often to identify an article
        return None
    normal = re.sub(r"\W+", " ", text).strip().lower()
    return hashlib.sha256(normal.encode()).hexdigest()


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str | None) -> str | None:
    """Scraped text as the databases can store it: PostgreSQL refuses NUL, UTF-8 lone surrogates."""
    if value is None or not _UNSTORABLE.search(value):
        return value
    return _UNSTORABLE.sub("", value)


def guid_key(guid: str | None, url: str | None) -> str:
    return hashlib.sha256(f"{guid or ''}\x00{url or ''}".encode()).hexdigest()


def extract_facts(text: str, published: dt.date, title: str | None) -> list:
    """The extractor (a black box here), timed into tollwatch_extraction_seconds."""
    with cpu_lane():
        t0 = time.perf_counter()
        try:
            return extractors.extract(text or "", published, title)
        finally:
            metrics.EXTRACTION_SECONDS.observe(time.perf_counter() - t0)


def facts_for(article: Article, found: list | None = None) -> list[Fact]:
    if found is None:
        published = article.published_at.date() if article.published_at else article.fetched_at.date()
        found = extract_facts(article.text or "", published, article.title)
    return [Fact(**f.model_dump(), article_id=article.id, extractor_version=extractors.EXTRACTOR_VERSION)
            for f in found]


def known_keys(session: Session, source_id: int, keys: list[str], canon_urls: list[str]) -> tuple[set, set]:
    """Which of these guid keys (this source) and canonical URLs (any source) are stored already."""
    have_keys: set[str] = set()
    have_urls: set[str] = set()
    for i in range(0, len(keys), 500):
        have_keys |= set(session.exec(select(Article.guid_key).where(
            Article.source_id == source_id, Article.guid_key.in_(keys[i:i + 500]))).all())
    for i in range(0, len(canon_urls), 500):
        have_urls |= set(session.exec(select(Article.canonical_url).where(
            Article.canonical_url.in_(canon_urls[i:i + 500]))).all())
    return have_keys, have_urls


def store_article(session: Session, source: Source, *, guid: str | None, url: str | None, title: str | None,
                  text: str, text_origin: str, published_at: dt.datetime | None, outlet: str | None,
                  key: str, prechecked: bool = False) -> tuple[Article | None, list[Fact]]:
    """Insert the article and its facts in a savepoint; (None, []) when it is already stored.

    The unique constraints (source+guid key, canonical URL) make this safe against a second
    worker storing the same item at the same moment; the content hash catches reposts.
    """
    guid, url, title, outlet = storable(guid), storable(url), storable(title), storable(outlet)
    text = storable(text) or ""  # before extraction, so spans index the text as stored
    canon = canonical_url(url)
    digest = content_hash(text)
    if not prechecked:  # the poller checked the GUID key and URL in one query per feed already
        if session.exec(select(Article.id).where(Article.source_id == source.id, Article.guid_key == key)).first():
            return None, []
        if canon and session.exec(select(Article.id).where(Article.canonical_url == canon)).first():
            return None, []
    if digest and session.exec(select(Article.id).where(Article.content_hash == digest)).first():
        return None, []
    # Extract before writing: on SQLite the write lock is then held for the inserts only.
    fetched_at = utcnow()
    found = extract_facts(text, (published_at or fetched_at).date(), title)
    article = Article(source_id=source.id, guid_key=key, guid=guid, url=url, canonical_url=canon, title=title,
                      outlet=outlet or source.name, published_at=published_at, text=text, text_origin=text_origin,
                      content_hash=digest, extractor_version=extractors.EXTRACTOR_VERSION, fetched_at=fetched_at)
    try:
        with session.begin_nested():
            session.add(article)
            session.flush()
            facts = facts_for(article, found)
            article.fact_count = len(facts)
            session.add_all(facts)
            session.flush()
            alerts.evaluate_facts(session, article, facts)  # same transaction: alert + outbox commit with the facts
    except IntegrityError:
        return None, []
    metrics.ARTICLES.inc()
    for fact in facts:
        metrics.FACTS.labels(fact.kind).inc()
    return article, facts
