"""API keys: writes need TOLLWATCH_API_KEY; reads are open unless TOLLWATCH_READ_API_KEY is set."""

from __future__ import annotations

import hmac

from fastapi import Request

from service.core.settings import get_settings
from service.web.api.problems import Problem


def presented_key(request: Request) -> str | None:
    """The API key the request carries (`Authorization: Bearer KEY` or `X-API-Key: KEY`), if any."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def key_matches(presented: str | None, *keys: str | None) -> bool:
    """Whether `presented` is one of the configured `keys` (compared in constant time)."""
    if presented is None:
        return False
    ok = False
    for key in keys:
        if key:  # compare against every key, in constant time, without short-circuit
            ok |= hmac.compare_digest(presented.encode(), key.encode())
    return ok


def require_write(request: Request) -> None:
    """Dependency of every write route: 403 when writes are off, 401 without the write key."""
    key = get_settings().api_key
    if not key:
        raise Problem(403, "writes are disabled: set TOLLWATCH_API_KEY on the server")
    if not key_matches(presented_key(request), key):
        raise Problem(401, "a valid API key is required (Authorization: Bearer KEY or X-API-Key: KEY)")


def require_read(request: Request) -> None:
    """Dependency of every read route: 401 without a key when TOLLWATCH_READ_API_KEY is set."""
    settings = get_settings()
    if settings.read_api_key and not key_matches(presented_key(request), settings.read_api_key, settings.api_key):
        raise Problem(401, "a valid API key is required to read (TOLLWATCH_READ_API_KEY is set)")
