"""API keys: writes need TOLLWATCH_API_KEY; reads are open unless TOLLWATCH_READ_API_KEY is set."""

from __future__ import annotations

import collections
import hmac
import math
import threading
import time

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


class BadKeyThrottle:
    """Slows key guessing: a client (by address) that presented `limit` wrong keys within `window` seconds
    gets 429 with Retry-After on every keyed request until the oldest of them is older than the window.
    Per process and in memory: enough to turn thousands of guesses a second into a few a minute."""

    def __init__(self, limit: int = 20, window: float = 60.0, max_clients: int = 10_000):
        self.limit, self.window, self.max_clients = limit, window, max_clients
        self._failures: collections.OrderedDict[str, collections.deque] = collections.OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds the client must wait before its key is looked at again; 0 when it may try now."""
        now = time.monotonic()
        with self._lock:
            times = self._failures.get(client)
            if not times:
                return 0
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) < self.limit:
                return 0
            return max(1, math.ceil(self.window - (now - times[0])))

    def failed(self, client: str) -> None:
        with self._lock:
            times = self._failures.setdefault(client, collections.deque(maxlen=self.limit))
            times.append(time.monotonic())
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)


def key_accepted(request: Request, presented: list[str | None], *keys: str | None) -> bool:
    """Whether one of the `presented` keys matches one of `keys`. A client that keeps presenting wrong
    keys is answered 429 with Retry-After instead (the app's `BadKeyThrottle`); a request without any key is
    not counted."""
    throttle: BadKeyThrottle | None = getattr(request.app.state, "bad_keys", None)
    client = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(client) if throttle is not None else 0
    if wait:
        raise Problem(
            429, f"too many wrong API keys from this client; try again in {wait} s", headers={"Retry-After": str(wait)}
        )
    if any(key_matches(p, *keys) for p in presented):
        return True
    if throttle is not None and any(p is not None for p in presented):
        throttle.failed(client)
    return False


def require_write(request: Request) -> None:
    """Dependency of every write route: 403 when writes are off, 401 without the write key."""
    key = get_settings().api_key
    if not key:
        raise Problem(403, "writes are disabled: set TOLLWATCH_API_KEY on the server")
    if not key_accepted(request, [presented_key(request)], key):
        raise Problem(401, "a valid API key is required (Authorization: Bearer KEY or X-API-Key: KEY)")


def require_read(request: Request) -> None:
    """Dependency of every read route: 401 without a key when TOLLWATCH_READ_API_KEY is set."""
    settings = get_settings()
    if settings.read_api_key and not key_accepted(
        request, [presented_key(request)], settings.read_api_key, settings.api_key
    ):
        raise Problem(401, "a valid API key is required to read (TOLLWATCH_READ_API_KEY is set)")
