"""The models and the migrations agree, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
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
