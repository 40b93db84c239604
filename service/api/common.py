"""Pieces every list route shares: the session dependency, cursors, the list envelope."""
from __future__ import annotations

import base64
import binascii
from typing import Generic, Iterator, Optional, TypeVar

from pydantic import BaseModel
from sqlmodel import Session

from db.engine import get_engine
from service.api.problems import Problem

T = TypeVar("T")


def get_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: Optional[str] = None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """Cursors are opaque; they carry the last id seen, so pages stay stable as rows arrive."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "id":
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(400, "cursor: malformed cursor; pass back the next_cursor of a previous page")
