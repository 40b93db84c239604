"""/metrics: this process's counters plus pipeline-wide state read from the database."""

import datetime as dt

import httpx
from sqlmodel import Session

from db.models import Article, Fact, Source


def test_metrics_cover_sources_facts_and_deliveries(live_api, database_url):
    from db.engine import get_engine

    with Session(get_engine(database_url)) as session:
        session.add_all(
            [
                Source(name="a", url="http://127.0.0.1:1/a", status="ok"),
                Source(name="b", url="http://127.0.0.1:1/b", status="failing"),
            ]
        )
        session.flush()
        article = Article(source_id=1, guid_key="k", text="Five people were killed.")
        session.add(article)
        session.flush()
        session.add(
            Fact(
                article_id=article.id,
                extractor_version="t",
                kind="killed",
                value=5,
                span_start=0,
                span_end=4,
                sentence="Five people were killed.",
                date=dt.date(2020, 1, 1),
            )
        )
        session.commit()
    text = httpx.get(live_api + "/metrics").text
    assert 'tollwatch_sources_by_status{status="failing"} 1.0' in text
    assert 'tollwatch_sources_by_status{status="ok"} 1.0' in text
    assert 'tollwatch_facts_stored{kind="killed"} 1.0' in text
    assert "tollwatch_articles_stored 1.0" in text
    for name in (
        "tollwatch_polls_total",
        "tollwatch_extraction_seconds",
        "tollwatch_deliveries_total",
        "tollwatch_delivery_seconds",
    ):
        assert f"# TYPE {name}" in text
