"""Apply the Alembic migrations programmatically (`tollwatch migrate`, service start, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from alembic import command
from db.engine import get_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration of this project, pointed at `url` when given."""
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at `url` to the latest schema (several processes may call it at once)."""
    engine = get_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Several processes may start at once: one migrates, the others wait.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7146251)")
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
