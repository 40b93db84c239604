"""`tollwatch reextract`: replace every article's facts with the current extractor's (articles stay)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, select

import extractors
from db import rollups
from db.models import Article, Fact
from service.core.database import get_engine
from service.ingest.store import facts_for


def reextract_all(batch: int = 200) -> dict:
    """Replace every stored article's facts with the current extractor's, in batches; counts."""
    articles = facts = 0
    last_id = 0
    while True:
        with Session(get_engine(), expire_on_commit=False) as session:
            rows = session.exec(
                select(Article).where(Article.id > last_id, Article.text.is_not(None)).order_by(Article.id).limit(batch)
            ).all()
            if not rows:
                return {"articles": articles, "facts": facts, "extractor_version": extractors.EXTRACTOR_VERSION}
            rollups.note_replaced(session, [article.id for article in rows])  # recomputed at commit
            for article in rows:
                session.exec(delete(Fact).where(Fact.article_id == article.id))
                new = facts_for(article)
                session.add_all(new)
                article.fact_count, article.extractor_version = len(new), extractors.EXTRACTOR_VERSION
                session.add(article)
                articles += 1
                facts += len(new)
            session.commit()
            last_id = rows[-1].id
