"""The poller's store (`service.ingest.store.store_articles`): a batch of ready articles in one transaction, each
stored once — against an earlier poll, a repost under another URL, and a second worker storing the same
batch at the same moment — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Article, Fact, Source
from tests.test_alerting_helpers import add_source

PUBLISHED = dt.datetime(2026, 11, 20, 6, 15, tzinfo=dt.UTC)


def story(n: int) -> str:
    return (
        f"At least {n + 3} people were killed and {n + 20} injured when a bus overturned near Herat on "
        f"Monday, provincial officials said. Rescue teams were still searching the gorge on Tuesday, and "
        f"the regional hospital asked for blood donations for the wounded (story {n})."
    )


def prepare(n: int, url: str | None = None, text: str | None = None):
    from service.ingest.store import guid_key, prepare_article

    return prepare_article(
        guid=f"g-{n}",
        url=url or f"https://news.example/{n}",
        title=f"Bus crash {n}",
        text=text or story(n),
        text_origin="page",
        published_at=PUBLISHED,
        outlet="Wire",
        key=guid_key(f"g-{n}", None),
    )


def counts(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Article)).one(),
            session.exec(select(func.count()).select_from(Fact)).one(),
        )


def test_a_batch_is_stored_once_with_its_facts(engine):
    from service.ingest.store import store_articles

    batch = [prepare(n) for n in range(3)]
    assert all(len(p.facts) >= 2 for p in batch)
    with Session(engine) as session:
        source = add_source(session)
        stored = store_articles(session, source, batch)
        session.commit()
        assert [s.key for s in stored] == [p.key for p in batch]
        assert [s.facts for s in stored] == [len(p.facts) for p in batch]
        # the same batch again (the next poll), plus one new item: only the new one is written
        again = store_articles(session, source, batch + [prepare(3)])
        session.commit()
        assert [s.key for s in again] == [prepare(3).key]
        for article in session.exec(select(Article)).all():
            facts = session.exec(select(Fact).where(Fact.article_id == article.id)).all()
            assert article.fact_count == len(facts) > 0
            assert all(article.text[f.span_start : f.span_end] in f.sentence for f in facts)
    assert counts(engine) == (4, sum(len(p.facts) for p in batch) + len(prepare(3).facts))


def test_a_repost_under_another_url_is_stored_once(engine):
    """The content hash is unique: the same text under a new URL (another feed, a tracking link) is a
    conflict the insert skips, within one batch and across batches."""
    from service.ingest.store import store_articles

    with Session(engine) as session:
        wire, other = add_source(session), add_source(session, "other")
        in_one_batch = store_articles(session, wire, [prepare(1), prepare(2, text=story(1))])
        session.commit()
        assert [s.key for s in in_one_batch] == [prepare(1).key]
        later = store_articles(session, other, [prepare(7, url="https://elsewhere.example/x?id=7", text=story(1))])
        session.commit()
        assert later == []
    assert counts(engine)[0] == 1


def test_two_workers_storing_the_same_batch_at_once_store_it_once(engine):
    """The second transaction's insert waits for the first one's rows (PostgreSQL: the unique index;
    SQLite: the write lock) and then skips them: each article and fact once."""
    from service.ingest.store import store_articles

    with Session(engine) as session:
        source_id = add_source(session).id
    batch = [prepare(n) for n in range(5)]
    first_wrote, results = threading.Event(), {}

    def first():
        with Session(engine) as session:
            results["first"] = store_articles(session, session.get(Source, source_id), batch)
            first_wrote.set()
            time.sleep(0.5)  # the second worker is blocked on our uncommitted rows meanwhile
            session.commit()

    def second():
        first_wrote.wait(10)
        with Session(engine) as session:
            results["second"] = store_articles(session, session.get(Source, source_id), list(reversed(batch)))
            session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results["first"]) == 5 and results["second"] == []
    assert counts(engine) == (5, sum(len(p.facts) for p in batch))


def test_a_failed_batch_leaves_nothing(engine):
    """A batch is one transaction: rolled back, none of its articles or facts remain (the next poll
    stores them)."""
    from service.ingest.store import store_articles

    with Session(engine) as session:
        source = add_source(session)
        assert len(store_articles(session, source, [prepare(n) for n in range(3)])) == 3
        session.rollback()
    assert counts(engine) == (0, 0)
