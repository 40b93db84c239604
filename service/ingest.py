"""Store one feed item as an article with its facts: once and only once."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import extractors
from db.models import Article, Fact, Source
from service import alerts

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


def guid_key(guid: str | None, url: str | None) -> str:
    return hashlib.sha256(f"{guid or ''}\x00{url or ''}".encode()).hexdigest()


def facts_for(article: Article) -> list[Fact]:
    published = article.published_at.date() if article.published_at else article.fetched_at.date()
    found = extractors.extract(article.text or "", published, article.title)
    return [Fact(**f.model_dump(), article_id=article.id, extractor_version=extractors.EXTRACTOR_VERSION)
            for f in found]


def store_article(session: Session, source: Source, *, guid: str | None, url: str | None, title: str | None,
                  text: str, text_origin: str, published_at: dt.datetime | None, outlet: str | None,
                  key: str) -> tuple[Article | None, list[Fact]]:
    """Insert the article and its facts in a savepoint; (None, []) when it is already stored.

    The unique constraints (source+guid key, canonical URL) make this safe against a second
    worker storing the same item at the same moment; the content hash catches reposts.
    """
    canon = canonical_url(url)
    digest = content_hash(text)
    if canon and session.exec(select(Article.id).where(Article.canonical_url == canon)).first():
        return None, []
    if digest and session.exec(select(Article.id).where(Article.content_hash == digest)).first():
        return None, []
    article = Article(source_id=source.id, guid_key=key, guid=guid, url=url, canonical_url=canon, title=title,
                      outlet=outlet or source.name, published_at=published_at, text=text, text_origin=text_origin,
                      content_hash=digest, extractor_version=extractors.EXTRACTOR_VERSION)
    try:
        with session.begin_nested():
            session.add(article)
            session.flush()
            facts = facts_for(article)
            article.fact_count = len(facts)
            session.add_all(facts)
            session.flush()
            alerts.evaluate_facts(session, article, facts)  # same transaction: alert + outbox commit with the facts
    except IntegrityError:
        return None, []
    return article, facts
