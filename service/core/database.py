"""The service's database: the engine of `TOLLWATCH_DATABASE_URL` and its migration.

`db/` knows nothing of settings (its engine takes a URL); this is where the service's URL and pool
size meet it, so every part of the service opens sessions on the same cached engine."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from db import engine as db_engine
from db import migrate as db_migrate
from service.core.settings import get_settings


def get_engine() -> Engine:
    """The engine of TOLLWATCH_DATABASE_URL (cached by `db.engine.get_engine`)."""
    settings = get_settings()
    return db_engine.get_engine(settings.database_url, settings.db_pool_size)


def migrate() -> None:
    """Apply the migrations to TOLLWATCH_DATABASE_URL (service start, `tollwatch migrate`)."""
    db_migrate.upgrade(get_settings().database_url)
