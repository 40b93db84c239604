"""Engine and the one session factory."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session, create_engine


def _prepare_sqlite_path(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)


# Errors that say the database itself (connection, disk, file, locks) is at fault, not the row being written:
# the service's fault, never blamed on an article, a rule or a news source.
DATABASE_FAULTS = (OperationalError, InterfaceError)


def strict_json_dumps(value) -> str:
    """JSON columns as strict JSON: NaN and Infinity are refused (ValueError), never written."""
    return json.dumps(value, allow_nan=False)


@lru_cache(maxsize=16)
def get_engine(url: str | None = None) -> Engine:
    if url is None:
        from service.core.settings import get_settings
        url = get_settings().database_url
    if url.startswith("sqlite"):
        _prepare_sqlite_path(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=strict_json_dumps)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL: readers don't block the poller's writes
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=int(os.environ.get("TOLLWATCH_DB_POOL_SIZE", "10")),
                               max_overflow=20, json_serializer=strict_json_dumps)
    return engine


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
