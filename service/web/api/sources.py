from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Article, Fact, Source, utcnow
from service.domain import sources
from service.ingest.polling import poll_source_now
from service.web.api.auth import require_read, require_write
from service.web.api.common import MAX_ID, Page, id_page
from service.web.api.deps import SessionDep
from service.web.api.problems import NOT_FOUND, READ_ERRORS, WRITE_ERRORS, Problem
from service.web.api.schemas import SourceIn, SourceOut, SourcePatch, source_out

router = APIRouter(prefix="/sources", tags=["sources"], responses=READ_ERRORS)
SOURCE_ID = Path(ge=1, le=MAX_ID, description="Source id", examples=[3])


def _recent_counts(session: Session, source_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not source_ids:
        return {}
    since = utcnow() - dt.timedelta(hours=24)
    articles = dict(
        session.exec(
            select(Article.source_id, func.count())
            .where(Article.source_id.in_(source_ids), Article.fetched_at >= since)
            .group_by(Article.source_id)
        ).all()
    )
    facts = dict(
        session.exec(
            select(Article.source_id, func.count(Fact.id))
            .join(Fact, Fact.article_id == Article.id)
            .where(Article.source_id.in_(source_ids), Article.fetched_at >= since)
            .group_by(Article.source_id)
        ).all()
    )
    return {sid: (articles.get(sid, 0), facts.get(sid, 0)) for sid in source_ids}


@router.get(
    "",
    response_model=Page[SourceOut],
    dependencies=[Depends(require_read)],
    summary="List sources",
    description="News sources (feeds) with their health, in the order they were added.",
)
def list_sources(
    session: SessionDep,
    limit: int = Query(100, ge=1, le=1000, description="Page size (1–1000)", examples=[100]),
    cursor: str | None = Query(
        None, max_length=64, description="Opaque cursor: the `next_cursor` of the previous page", examples=["aWQ6Mw"]
    ),
    status: str | None = Query(
        None, pattern="^(new|ok|failing|disabled)$", description="Only sources in this state", examples=["failing"]
    ),
):
    query = select(Source)
    if status:
        query = query.where(Source.status == status)
    rows, next_cursor = id_page(session, query, Source.id, limit, cursor)
    counts = _recent_counts(session, [s.id for s in rows])
    return Page[SourceOut](items=[source_out(s, *counts.get(s.id, (0, 0))) for s in rows], next_cursor=next_cursor)


@router.post(
    "",
    status_code=201,
    response_model=SourceOut,
    dependencies=[Depends(require_write)],
    responses=WRITE_ERRORS,
    summary="Add a source",
)
def add_source(session: SessionDep, body: SourceIn, response: Response):
    source = sources.create_source(session, body.url, body.name, body.poll_interval_seconds, body.enabled)
    response.headers["Location"] = f"/api/v1/sources/{source.id}"
    return source_out(source)


@router.get(
    "/{source_id}",
    response_model=SourceOut,
    dependencies=[Depends(require_read)],
    responses=NOT_FOUND,
    summary="One source and its health",
)
def get_source(session: SessionDep, source_id: int = SOURCE_ID):
    source = sources.get_source(session, source_id)
    return source_out(source, *_recent_counts(session, [source_id])[source_id])


@router.patch(
    "/{source_id}",
    response_model=SourceOut,
    dependencies=[Depends(require_write)],
    responses={**WRITE_ERRORS, **NOT_FOUND},
    summary="Change a source",
)
def patch_source(session: SessionDep, body: SourcePatch, source_id: int = SOURCE_ID):
    source = sources.update_source(session, source_id, body.model_dump(exclude_unset=True))
    return source_out(source, *_recent_counts(session, [source_id])[source_id])


@router.delete(
    "/{source_id}",
    status_code=204,
    dependencies=[Depends(require_write)],
    responses={**WRITE_ERRORS, **NOT_FOUND},
    summary="Remove a source (disabled if it has articles)",
    description="A source that stored no article (a wrong URL, a feed that never worked) is deleted "
    "with its poll log. A source with articles is disabled instead and kept with its "
    "articles and facts: every stored fact stays traceable to the feed that brought it.",
)
def delete_source(session: SessionDep, source_id: int = SOURCE_ID):
    sources.remove_source(session, source_id)  # a source with articles is disabled, not erased


@router.post(
    "/{source_id}/poll",
    dependencies=[Depends(require_write)],
    responses={**WRITE_ERRORS, **NOT_FOUND},
    summary="Poll a source now",
)
async def poll_now(source_id: int = SOURCE_ID):
    result = await run_in_threadpool(poll_source_now, source_id)
    if result is None:
        raise Problem(404, f"source {source_id} not found")
    return result
