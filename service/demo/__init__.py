"""The bundled demo feed: a `file://` source the first run adds, so a fresh install shows data offline."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlmodel import Session, select

from db.models import Source, utcnow
from service.core.database import get_engine
from service.core.settings import get_settings

DEMO_FEED = Path(__file__).resolve().parent / "demo-feed.xml"
log = logging.getLogger("tollwatch.demo")


def ensure_demo_source() -> None:
    """Add the demo feed when the database has no source at all (TOLLWATCH_DEMO_SOURCE=false turns it off)."""
    if not get_settings().demo_source:
        return
    with Session(get_engine()) as session:
        if session.exec(select(Source.id).limit(1)).first() is not None:
            return
        # Due in a few seconds rather than now: start-up jitter (for many overdue sources at once)
        # would otherwise delay the first demo poll by up to a minute.
        session.add(
            Source(
                name="tollwatch demo feed",
                url=DEMO_FEED.as_uri(),
                poll_interval_seconds=3600,
                next_poll_at=utcnow() + dt.timedelta(seconds=3),
            )
        )
        session.commit()
        log.info("added the demo source %s", DEMO_FEED.as_uri())
