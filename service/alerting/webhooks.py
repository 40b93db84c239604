"""Webhooks on the wire: the Standard Webhooks format and one signed POST (`post`).

The format (docs/webhooks.md): a JSON body `{"type", "timestamp", "data"}` and the headers `webhook-id`
(the delivery's `message_id`, the same on every retry), `webhook-timestamp` and `webhook-signature`
(HMAC-SHA256 with the endpoint's `whsec_` secret). One attempt goes through the same guarded client and
deadline as every other outbound request (`service.core.net`): every connected address is checked,
redirects are not followed, one deadline bounds connect, send, headers and body whatever the receiver
does, and at most `webhook_max_response_bytes` of the answer are read and kept.

Where the deliveries come from and what happens to an outcome: `service.alerting.outbox`; when they are
sent: `service.alerting.dispatch`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import time
import uuid
from dataclasses import dataclass

import httpx
from standardwebhooks import Webhook

from db.models import storable, utcnow
from service.core.net import deadline, retry_after_seconds, shared_client
from service.core.settings import get_settings

PING_TYPE = "webhook.test"


# --- secrets, ids, bodies ------------------------------------------------------------------------


def new_secret() -> str:
    """`whsec_` + base64 of 32 random bytes (Standard Webhooks)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    """A delivery's `webhook-id`: the same on every retry, so receivers can drop duplicates."""
    return f"msg_{uuid.uuid4().hex}"


def serialize(payload: dict) -> str:
    """The exact body that is signed and sent: compact, strict JSON (NaN and Infinity are refused with
    ValueError, never sent), UTF-8."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str, allow_nan=False)


def sign_headers(secret: str, message_id: str, body: str, at: dt.datetime | None = None) -> dict[str, str]:
    """The Standard Webhooks headers for `body`: id, timestamp and the HMAC-SHA256 signature."""
    at = at or utcnow()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


# --- one attempt ----------------------------------------------------------------------------------


def _client() -> httpx.Client:
    """The sender's guarded client for the current settings (its pool outlives one attempt)."""
    settings = get_settings()
    return shared_client(
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent},
        max_connections=max(4, settings.webhook_concurrency * 2),
    )


@dataclass
class Outcome:
    """What one attempt got: the status and the start of the body, or the error; how long it took."""

    status: int | None = None
    body: str | None = None
    latency_ms: float = 0.0
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return self.status is not None and 200 <= self.status < 300


def post(url: str, secret: str, message_id: str, payload: dict) -> Outcome:
    """One signed POST, bounded in time and memory. Never raises for network or receiver problems."""
    settings = get_settings()
    body = serialize(payload)
    headers = {**sign_headers(secret, message_id, body), "Content-Type": "application/json"}
    cap = settings.webhook_max_response_bytes
    out = Outcome()
    timeout = httpx.Timeout(settings.webhook_timeout, connect=settings.webhook_connect_timeout)
    t0 = time.perf_counter()
    try:
        with (
            deadline(settings.webhook_total_timeout),
            _client().stream("POST", url, content=body.encode(), headers=headers, timeout=timeout) as resp,
        ):
            out.status = resp.status_code
            if resp.status_code in (429, 503):
                out.retry_after = retry_after_seconds(resp.headers.get("retry-after"))
            buf = bytearray()
            try:
                for chunk in resp.iter_raw():  # raw: no decompression bomb; stop at the cap, drop the rest
                    buf += chunk[: cap - len(buf)]
                    if len(buf) >= cap:
                        break
            except httpx.HTTPError as exc:  # the status is in; a body cut short is only noted
                out.error = f"response body: {_describe(exc)}"
            # whatever the receiver sent (NUL, invalid UTF-8) as text the databases can store
            out.body = storable(bytes(buf).decode("utf-8", "replace"))
    except httpx.HTTPError as exc:
        out.error = _describe(exc)
    except Exception as exc:  # a bug or an odd URL must not kill the sender thread
        out.error = f"{type(exc).__name__}: {exc}"
    out.latency_ms = (time.perf_counter() - t0) * 1000
    if out.error and out.status is None and out.latency_ms >= settings.webhook_total_timeout * 1000 - 50:
        out.error = f"deadline of {settings.webhook_total_timeout:g} s exceeded ({out.error})"
    return out


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout ({type(exc).__name__}): {text}"
    return f"{type(exc).__name__}: {text}"[:500]
