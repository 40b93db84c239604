"""The models and the migrations agree, on SQLite and PostgreSQL; migrations that move data do it right."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import db.models  # noqa: F401


def test_autogenerate_finds_no_difference(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrate_twice_is_a_no_op(database_url):
    from db.migrate import upgrade

    upgrade(database_url)  # already at head: must not fail or change anything
    from sqlalchemy import inspect

    from db.engine import get_engine

    assert "facts" in inspect(get_engine(database_url)).get_table_names()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path):
    """An empty database of each kind, not migrated."""
    from tests.conftest import create_pg_database, drop_pg_database

    url = f"sqlite:///{tmp_path / 'blank.db'}" if request.param == "sqlite" else create_pg_database()
    yield url
    from db.engine import get_engine

    get_engine(url).dispose()
    if request.param == "postgres":
        drop_pg_database(url)


def _migrate_to(url: str, revision: str) -> None:
    from alembic import command
    from db.engine import get_engine
    from db.migrate import alembic_config

    cfg = alembic_config(url)
    with get_engine(url).begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def test_0006_keeps_the_first_of_duplicate_content_hashes(empty_database_url):
    """Before 0006 two workers could both store one repost; the upgrade keeps the first copy's hash, clears
    the later ones' (their rows and facts stay) and from then on refuses a second copy."""
    from db.engine import get_engine

    url = empty_database_url
    _migrate_to(url, "0005")
    engine = get_engine(url)
    insert = text(
        "INSERT INTO articles (source_id, guid_key, fetched_at, text_origin, fact_count, content_hash) "
        "VALUES (:source, :key, CURRENT_TIMESTAMP, 'page', 0, :digest)"
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (name, url, poll_interval_seconds, enabled, created_at, status, "
                "consecutive_failures, items_seen, next_poll_at) VALUES ('s', 'http://s/feed', 600, "
                "true, CURRENT_TIMESTAMP, 'ok', 0, 0, CURRENT_TIMESTAMP)"
            )
        )
        source = conn.execute(text("SELECT id FROM sources")).scalar()
        for key, digest in [("a", "h1"), ("b", "h1"), ("c", "h2"), ("d", "h1"), ("e", None)]:
            conn.execute(insert, {"source": source, "key": key, "digest": digest})
    _migrate_to(url, "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT guid_key, content_hash FROM articles ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("a", "h1"), ("b", None), ("c", "h2"), ("d", None), ("e", None)]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"source": source, "key": "f", "digest": "h2"})
