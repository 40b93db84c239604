from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import delete, func
from sqlmodel import Session, select

from db.models import Article, Fact, PollLog, Source, utcnow
from service.web.api.auth import require_read, require_write
from service.web.api.common import MAX_ID, Page, get_session, id_page
from service.web.api.problems import NOT_FOUND, READ_ERRORS, WRITE_ERRORS, Problem
from service.web.api.schemas import SourceIn, SourceOut, SourcePatch, source_out
from service.core.net import UnsafeURL, check_url
from service.core.settings import get_settings

router = APIRouter(prefix="/sources", tags=["sources"], responses=READ_ERRORS)
SOURCE_ID = Path(ge=1, le=MAX_ID, description="Source id", examples=[3])


def _recent_counts(session: Session, source_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not source_ids:
        return {}
    since = utcnow() - dt.timedelta(hours=24)
    articles = dict(session.exec(
        select(Article.source_id, func.count()).where(Article.source_id.in_(source_ids), Article.fetched_at >= since)
        .group_by(Article.source_id)).all())
    facts = dict(session.exec(
        select(Article.source_id, func.count(Fact.id)).join(Fact, Fact.article_id == Article.id)
        .where(Article.source_id.in_(source_ids), Article.fetched_at >= since).group_by(Article.source_id)).all())
    return {sid: (articles.get(sid, 0), facts.get(sid, 0)) for sid in source_ids}


def _get(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise Problem(404, f"source {source_id} not found")
    return source


@router.get("", response_model=Page[SourceOut], dependencies=[Depends(require_read)], summary="List sources",
            description="News sources (feeds) with their health, in the order they were added.")
def list_sources(session: Session = Depends(get_session),
                 limit: int = Query(100, ge=1, le=1000, description="Page size (1–1000)", examples=[100]),
                 cursor: str | None = Query(None, max_length=64, description="Opaque cursor: the `next_cursor` of "
                                            "the previous page", examples=["aWQ6Mw"]),
                 status: str | None = Query(None, pattern="^(new|ok|failing|disabled)$",
                                            description="Only sources in this state", examples=["failing"])):
    query = select(Source)
    if status:
        query = query.where(Source.status == status)
    rows, next_cursor = id_page(session, query, Source.id, limit, cursor)
    counts = _recent_counts(session, [s.id for s in rows])
    return Page[SourceOut](items=[source_out(s, *counts.get(s.id, (0, 0))) for s in rows], next_cursor=next_cursor)


def create_source(session: Session, url: str, name: str | None = None, poll_interval_seconds: int | None = None,
                  enabled: bool = True, local_operator: bool = False) -> Source:
    """Validate and add a source (shared by the API and `tollwatch sources add`).

    `file://` feeds read the server's disk, so only the local operator (the CLI) may add them: never the
    API, whatever TOLLWATCH_ALLOW_PRIVATE_URLS says (that setting opens private networks, not the disk)."""
    settings = get_settings()
    url = url.strip()
    schemes = ("http", "https", "file") if local_operator else ("http", "https")
    try:
        check_url(url, allow_private=settings.allow_private_urls, schemes=schemes)
    except UnsafeURL as exc:
        raise Problem(422, f"url: {exc}")
    if session.exec(select(Source).where(Source.url == url)).first():
        raise Problem(409, f"a source with url {url} exists already")
    source = Source(url=url, name=name or urlsplit(url).hostname or url.rsplit("/", 1)[-1],
                    poll_interval_seconds=poll_interval_seconds or settings.default_poll_interval, enabled=enabled,
                    status="new" if enabled else "disabled")
    session.add(source)
    session.commit()
    session.refresh(source)
    return source


@router.post("", status_code=201, response_model=SourceOut, dependencies=[Depends(require_write)], responses=WRITE_ERRORS,
             summary="Add a source")
def add_source(body: SourceIn, response: Response, session: Session = Depends(get_session)):
    source = create_source(session, body.url, body.name, body.poll_interval_seconds, body.enabled)
    response.headers["Location"] = f"/api/v1/sources/{source.id}"
    return source_out(source)


@router.get("/{source_id}", response_model=SourceOut, dependencies=[Depends(require_read)], responses=NOT_FOUND,
            summary="One source and its health")
def get_source(source_id: int = SOURCE_ID, session: Session = Depends(get_session)):
    source = _get(session, source_id)
    return source_out(source, *_recent_counts(session, [source_id])[source_id])


@router.patch("/{source_id}", response_model=SourceOut, dependencies=[Depends(require_write)],
              responses={**WRITE_ERRORS, **NOT_FOUND}, summary="Change a source")
def patch_source(body: SourcePatch, source_id: int = SOURCE_ID, session: Session = Depends(get_session)):
    source = _get(session, source_id)
    changes = body.model_dump(exclude_unset=True)
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
    return source_out(source, *_recent_counts(session, [source_id])[source_id])


@router.delete("/{source_id}", status_code=204, dependencies=[Depends(require_write)],
               responses={**WRITE_ERRORS, **NOT_FOUND}, summary="Remove a source (disabled if it has articles)",
               description="A source that stored no article (a wrong URL, a feed that never worked) is deleted "
                           "with its poll log. A source with articles is disabled instead and kept with its "
                           "articles and facts: every stored fact stays traceable to the feed that brought it.")
def delete_source(source_id: int = SOURCE_ID, session: Session = Depends(get_session)):
    source = _get(session, source_id)
    if session.exec(select(Article.id).where(Article.source_id == source_id).limit(1)).first():
        # Facts must stay traceable: a source with articles is disabled, not erased.
        source.enabled, source.status = False, "disabled"
        session.add(source)
    else:
        # its poll log goes with it (alert events keep their snapshot: their link is SET NULL)
        session.exec(delete(PollLog).where(PollLog.source_id == source_id))
        session.delete(source)
    session.commit()


@router.post("/{source_id}/poll", dependencies=[Depends(require_write)], responses={**WRITE_ERRORS, **NOT_FOUND},
             summary="Poll a source now")
async def poll_now(source_id: int = SOURCE_ID):
    from service.ingest.polling import poll_source_now
    result = await run_in_threadpool(poll_source_now, source_id)
    if result is None:
        raise Problem(404, f"source {source_id} not found")
    return result
