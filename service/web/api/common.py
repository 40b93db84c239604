"""Pieces every list route shares: cursors, the list envelope, checks on free text."""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

from pydantic import BaseModel, model_validator
from sqlmodel import Session

from service.web.api.problems import Problem

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; larger values cannot name a row


def decode_cursor(cursor: str | None) -> int | None:
    """Cursors are opaque; they carry the last id seen, so pages stay stable as rows arrive."""
    if not cursor:
        return None
    try:
        if len(cursor) > 64 or not cursor.isascii():
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, _, value = raw.partition(":")
        if prefix != "id" or not value.isdigit() or len(value) > 12:
            raise ValueError
        last_id = int(value)
        if not 0 < last_id <= MAX_ID + 1:
            raise ValueError
        return last_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(400, "cursor: malformed cursor; pass back the next_cursor of a previous page unchanged")


def id_page(
    session: Session, query, id_column, limit: int, cursor: str | None, newest_first: bool = False
) -> tuple[list, str | None]:
    """One keyset page of `query` ordered by `id_column`: (rows, next_cursor). Pages never shift
    while rows arrive, because the cursor carries the last id seen, not an offset."""
    last = decode_cursor(cursor)
    if last is not None:
        query = query.where(id_column < last if newest_first else id_column > last)
    query = query.order_by(id_column.desc() if newest_first else id_column).limit(limit + 1)
    rows = list(session.exec(query).all())
    more, rows = len(rows) > limit, rows[:limit]
    return rows, (encode_cursor(rows[-1].id) if more and rows else None)


def _unstorable(value: str) -> bool:
    return "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _check_storable(value, where: str = "body"):
    if isinstance(value, str):
        if _unstorable(value):
            raise ValueError(f"{where}: text must not contain NUL bytes or lone surrogates")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_storable(key, where)
            _check_storable(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _check_storable(item, where)
    return value


class RequestBody(BaseModel):
    """Base of every request body: text the databases cannot store (NUL, lone surrogates) is a
    422 here rather than a 500 from PostgreSQL later, in any field, however deeply nested."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data):
        return _check_storable(data)


def clean_text(name: str, value: str | None) -> str | None:
    """A free-text parameter: NUL and other control characters are refused (PostgreSQL cannot store NUL)."""
    if value is None:
        return None
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise Problem(422, f"{name}: must not contain control characters (NUL, newline, tab…)")
    value = value.strip()
    return value or None
