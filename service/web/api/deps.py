"""The database session routes depend on, as an `Annotated` alias (`session: SessionDep`).

The API and the dashboard both use it, so every request gets the same kind of session. The key checks
are `service.web.api.auth.require_read` / `require_write`, declared in each route's `dependencies`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from service.core.database import get_engine


def get_session() -> Iterator[Session]:
    """A session for one request, closed when the response is sent (objects stay readable after commit)."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
