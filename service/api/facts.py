from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session, select

from db.models import Article, Fact
from db.queries import FactFilter, fact_page
from extractors.schema import KINDS
from service.api.auth import require_read
from service.api.common import Page, decode_cursor, encode_cursor, get_session
from service.api.problems import Problem
from service.api.schemas import ArticleDetail, ArticleOut, FactOut, article_detail

router = APIRouter(tags=["facts"], dependencies=[Depends(require_read)])


def fact_filter(
    kind: Optional[list[str]] = Query(None, description="One or more of " + ", ".join(KINDS), examples=["killed"]),
    location: Optional[str] = Query(None, max_length=200, description="Place as written or resolved name", examples=["Aleppo"]),
    country: Optional[str] = Query(None, pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2", examples=["SY"]),
    source: Optional[str] = Query(None, max_length=200, description="Attribution contains", examples=["United Nations"]),
    subject: Optional[str] = Query(None, max_length=200, examples=["civilians"]),
    since: Optional[dt.date] = Query(None, description="Fact date on or after (YYYY-MM-DD)", examples=["2016-11-01"]),
    until: Optional[dt.date] = Query(None, description="Fact date on or before (YYYY-MM-DD)", examples=["2016-11-30"]),
    min_value: Optional[float] = Query(None, ge=0, examples=[10]),
    max_value: Optional[float] = Query(None, ge=0, examples=[1000]),
    q: Optional[str] = Query(None, max_length=200, description="Text in the fact's sentence", examples=["air strike"]),
) -> FactFilter:
    kinds = [k for value in (kind or []) for k in value.split(",") if k]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise Problem(422, f"kind: unknown kind {', '.join(unknown)}; use one of {', '.join(KINDS)}")
    if since and until and until < since:
        raise Problem(422, "until: is before since")
    if min_value is not None and max_value is not None and max_value < min_value:
        raise Problem(422, "max_value: is below min_value")
    return FactFilter(kind=kinds or None, location=location, country=country, source=source, subject=subject,
                      since=since, until=until, min_value=min_value, max_value=max_value, q=q)


@router.get("/facts", response_model=Page[FactOut])
def list_facts(flt: FactFilter = Depends(fact_filter), session: Session = Depends(get_session),
               limit: int = Query(100, ge=1, le=1000), cursor: Optional[str] = None):
    rows, more = fact_page(session, flt, limit, decode_cursor(cursor))
    return Page[FactOut](items=[FactOut.of(f) for f in rows],
                         next_cursor=encode_cursor(rows[-1].id) if more and rows else None)


@router.get("/facts/{fact_id}", response_model=FactOut)
def get_fact(fact_id: int, session: Session = Depends(get_session)):
    fact = session.get(Fact, fact_id)
    if fact is None:
        raise Problem(404, f"fact {fact_id} not found")
    return FactOut.of(fact)


@router.get("/articles", response_model=Page[ArticleOut])
def list_articles(session: Session = Depends(get_session), limit: int = Query(100, ge=1, le=1000),
                  cursor: Optional[str] = None, source_id: Optional[int] = None):
    query = select(Article).order_by(Article.id.desc()).limit(limit + 1)
    before = decode_cursor(cursor)
    if before is not None:
        query = query.where(Article.id < before)
    if source_id is not None:
        query = query.where(Article.source_id == source_id)
    rows = session.exec(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page[ArticleOut](items=[ArticleOut.model_validate(a) for a in rows],
                            next_cursor=encode_cursor(rows[-1].id) if more else None)


@router.get("/articles/{article_id}", response_model=ArticleDetail)
def get_article(article_id: int, session: Session = Depends(get_session)):
    article = session.get(Article, article_id)
    if article is None:
        raise Problem(404, f"article {article_id} not found")
    facts = session.exec(select(Fact).where(Fact.article_id == article_id).order_by(Fact.span_start)).all()
    return article_detail(article, list(facts))
