"""Is the database the service uses really there: the one configured, at the migrations' head, writable.

`/readyz` asks `check_database`; a bare `SELECT 1` answered "ok" while the SQLite file had been deleted
(the pool split between the deleted file and a new empty one), corrupted or on a full disk."""

from __future__ import annotations

import os
from functools import lru_cache

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from db.engine import is_postgres


@lru_cache(maxsize=1)
def migrations_head() -> str:
    """The revision the code's migrations end at."""
    from db.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def _sqlite_path(engine: Engine) -> str | None:
    name = engine.url.database
    return os.path.abspath(name) if name and name != ":memory:" and not name.startswith("file:") else None


def database_identity(engine: Engine) -> dict:
    """What names the database at start-up: the SQLite file's device and inode, or PostgreSQL's database name."""
    if is_postgres(engine):
        return {"database": engine.url.database}
    path = _sqlite_path(engine)
    if path is None:
        return {}
    st = os.stat(path)
    return {"path": path, "device": st.st_dev, "inode": st.st_ino}


def check_database(engine: Engine, identity: dict | None = None) -> str | None:
    """None when the database is usable, else why not. `identity` is `database_identity` taken at start-up.

    Checks: the SQLite file still exists and is the same file (same inode) as at start-up, or PostgreSQL's
    current database is the configured one; the schema is at the migrations' head; and a write commits (an
    UPDATE of the one alembic_version row to its own value: a real write, with no visible effect)."""
    if identity and "inode" in identity:
        try:
            st = os.stat(identity["path"])
        except OSError:
            return f"database file {identity['path']} is missing"
        if (st.st_dev, st.st_ino) != (identity["device"], identity["inode"]):
            return f"database file {identity['path']} was replaced since start-up"
    head = migrations_head()
    with engine.connect() as conn:
        if is_postgres(engine):
            current_db = conn.execute(text("SELECT current_database()")).scalar_one()
            if current_db != engine.url.database:
                return f"connected to database {current_db!r}, not the configured {engine.url.database!r}"
        versions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
        if versions != [head]:
            return f"schema at {', '.join(versions) or 'no revision'}, the code expects {head}"
        try:
            written = conn.execute(
                text("UPDATE alembic_version SET version_num = :v WHERE version_num = :v"), {"v": head}
            ).rowcount
            conn.commit()
        except DBAPIError as exc:  # read-only, disk full, locked for longer than the busy timeout …
            first_line = str(exc.orig or exc).strip().splitlines()[0][:200]
            return f"the database takes no write: {first_line}"
        if written != 1:
            return "the database did not take a write"
    return None
