"""Sources (news feeds): add, change and remove them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete
from sqlmodel import Session, col, select

from db.models import Article, PollLog, Source, utcnow
from service.core.net import UnsafeURL, check_url
from service.core.settings import get_settings
from service.domain.errors import Conflict, Invalid, NotFound


def get_source(session: Session, source_id: int) -> Source:
    """The source, or NotFound."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"source {source_id} not found")
    return source


def create_source(
    session: Session,
    url: str,
    name: str | None = None,
    poll_interval_seconds: int | None = None,
    enabled: bool = True,
    local_operator: bool = False,
) -> Source:
    """Validate and add a source, committed.

    `file://` feeds read the server's disk, so only the local operator (the CLI) may add them: never the
    API, whatever TOLLWATCH_ALLOW_PRIVATE_URLS says (that setting opens private networks, not the disk)."""
    settings = get_settings()
    url = url.strip()
    schemes = ("http", "https", "file") if local_operator else ("http", "https")
    try:
        check_url(url, allow_private=settings.allow_private_urls, schemes=schemes)
    except UnsafeURL as exc:
        raise Invalid(f"url: {exc}") from None
    if session.exec(select(Source).where(Source.url == url)).first():
        raise Conflict(f"a source with url {url} exists already")
    source = Source(
        url=url,
        name=name or urlsplit(url).hostname or url.rsplit("/", 1)[-1],
        poll_interval_seconds=poll_interval_seconds or settings.default_poll_interval,
        enabled=enabled,
        status="new" if enabled else "disabled",
    )
    session.add(source)
    session.commit()
    session.refresh(source)
    return source


def update_source(session: Session, source_id: int, changes: dict[str, Any]) -> Source:
    """Apply the given fields (None leaves a field alone), committed. Enabling or disabling resets the
    source's state and makes it due now."""
    source = get_source(session, source_id)
    for key, value in changes.items():
        if value is not None:
            setattr(source, key, value)
    if "enabled" in changes:
        source.status = "disabled" if not source.enabled else ("new" if source.last_success_at is None else "ok")
        source.consecutive_failures = 0 if source.enabled else source.consecutive_failures
        source.next_poll_at = utcnow()
    session.add(source)
    session.commit()
    session.refresh(source)
    return source


def remove_source(session: Session, source_id: int) -> bool:
    """Delete the source, committed; one with articles is disabled instead, so its facts stay traceable.
    A source that stored nothing (a wrong URL, a feed that never worked) goes with its poll log; alert events
    about it keep their snapshot (their link is SET NULL). True when deleted, False when disabled."""
    source = get_source(session, source_id)
    if session.exec(select(Article.id).where(Article.source_id == source_id).limit(1)).first():
        source.enabled, source.status = False, "disabled"
        session.add(source)
        deleted = False
    else:
        session.exec(delete(PollLog).where(col(PollLog.source_id) == source_id))
        session.delete(source)
        deleted = True
    session.commit()
    return deleted
