"""Retention: article text and poll logs older than `retention_days` are pruned; facts are kept.

An article keeps its row (title, URL, outlet, dates) so every fact stays traceable to it; only the
stored text goes (`text` NULL, `content_hash` kept so a repost is still recognised). Runs as a
scheduled job in `serve` and `worker`, in batches so it never holds long locks.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update
from sqlmodel import select

from db.engine import session_scope
from db.models import Article, PollLog, utcnow
from service.core.database import get_engine
from service.core.settings import get_settings


def prune(retention_days: int | None = None, batch: int = 1000, now: dt.datetime | None = None) -> dict:
    """Drop article texts and poll logs older than `retention_days`, in batches; counts."""
    days = get_settings().retention_days if retention_days is None else retention_days
    if days <= 0:
        return {"article_texts": 0, "poll_logs": 0}
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    texts = logs = 0
    while True:
        with session_scope(get_engine()) as session:
            ids = session.exec(
                select(Article.id).where(Article.fetched_at < cutoff, Article.text.is_not(None)).limit(batch)
            ).all()
            if not ids:
                break
            session.exec(update(Article).where(Article.id.in_(ids)).values(text=None))
            texts += len(ids)
    while True:
        with session_scope(get_engine()) as session:
            ids = session.exec(select(PollLog.id).where(PollLog.started_at < cutoff).limit(batch)).all()
            if not ids:
                break
            session.exec(delete(PollLog).where(PollLog.id.in_(ids)))
            logs += len(ids)
    return {"article_texts": texts, "poll_logs": logs}
