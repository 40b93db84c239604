"""Engine and the one session factory."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlmodel import Session, create_engine


def _prepare_sqlite_path(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)


def is_database_fault(exc: BaseException) -> bool:
    """True when the database itself is at fault (connection, disk, locks, a missing table, a corrupted file),
    not the row being written (DataError, IntegrityError) nor our Python code: the service's fault, never to be
    blamed on an article, a rule or a news source."""
    return isinstance(exc, DBAPIError) and not isinstance(exc, (DataError, IntegrityError))


def strict_json_dumps(value) -> str:
    """JSON columns as strict JSON: NaN and Infinity are refused (ValueError), never written."""
    return json.dumps(value, allow_nan=False)


_engines: dict[tuple[str, int], Engine] = {}
_engines_lock = threading.Lock()


def get_engine(url: str, pool_size: int = 10) -> Engine:
    """The engine for `url`, one per URL and process. SQLite gets WAL and a busy timeout;
    PostgreSQL a pre-pinged pool of `pool_size` connections. Sessions keep the rollups current from here on
    (db/rollups.py: facts written through the ORM recompute what they touch before the commit)."""
    from db import rollups  # imports db.queries and db.models, which need nothing from here at import time

    rollups.install()
    with _engines_lock:
        engine = _engines.get((url, pool_size))
        if engine is None:
            engine = _engines[(url, pool_size)] = _create(url, pool_size)
        return engine


def dispose_engines() -> None:
    """Close every engine's connections and forget them (tests switch databases)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _create(url: str, pool_size: int) -> Engine:
    if url.startswith("sqlite"):
        _prepare_sqlite_path(url)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, json_serializer=strict_json_dumps
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL: readers don't block the poller's writes
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=20, json_serializer=strict_json_dumps
    )


def savepoint(session: Session):
    """`session.begin_nested()`, inside a real transaction on SQLite too. pysqlite opens its transaction
    only before a DML statement, so a SAVEPOINT issued first would start one of its own, which its RELEASE
    commits: the savepoint's work would be committed before the caller decides."""
    connection = session.connection()
    dbapi_connection = connection.connection.dbapi_connection
    if not is_postgres(connection.engine) and dbapi_connection is not None and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    return session.begin_nested()


def is_postgres(engine: Engine) -> bool:
    """True on PostgreSQL (SKIP LOCKED, ON CONFLICT, trigram indexes); else SQLite."""
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
