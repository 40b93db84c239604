"""HTTP middleware: request ids in logs and responses, and a cap on request bodies."""

from __future__ import annotations

import json
import logging
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.core.logs import request_id_var
from service.web.api.problems import PROBLEM_JSON

log = logging.getLogger("tollwatch.http")


class RequestContextMiddleware:
    """Gives every request an id (X-Request-ID in, or a new one), logs one line per request,
    and refuses bodies over `max_body_bytes` with 413 before reading them whole."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = 1_000_000):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if incoming and len(incoming) <= 100 and incoming.isprintable() else uuid.uuid4().hex
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = {"code": 500}

        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _send_413(send, rid, self.max_body_bytes)
            request_id_var.reset(token)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge()
            return message

        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal started_response
            if message["type"] == "http.response.start":
                started_response = True
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [_relative_location(h, headers.get(b"host")) for h in message["headers"]]
                message["headers"].append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except _BodyTooLarge:
            await _send_413(send, rid, self.max_body_bytes)
            status["code"] = 413
        except Exception:
            # Answered here rather than by Starlette's outer error handler, so the 500 carries the request id
            # that its log line (and the traceback below) carries.
            if started_response:
                raise
            log.exception("unhandled error", extra={"request_id": rid})
            await _send_problem(send, rid, 500, "Internal Server Error", "internal error; it has been logged")
            status["code"] = 500
        finally:
            log.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status["code"],
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)


def _relative_location(header: tuple[bytes, bytes], host: bytes | None) -> tuple[bytes, bytes]:
    """A Location the framework built from the request's Host header (the trailing-slash redirect) made
    relative: a redirect must never send a client to whatever host the request claimed to be for."""
    name, value = header
    if name.lower() != b"location" or host is None:
        return header
    parts = urlsplit(value.decode("latin-1"))
    if parts.scheme and parts.netloc.lower() == host.decode("latin-1").lower():
        path = "/" + parts.path.lstrip("/")  # "//other.host/" would be a protocol-relative redirect elsewhere
        return name, urlunsplit(("", "", path, parts.query, parts.fragment)).encode("latin-1")
    return header


class _BodyTooLarge(Exception):
    pass


async def _send_413(send: Send, rid: str, limit: int) -> None:
    await _send_problem(send, rid, 413, "Content Too Large", f"request body larger than {limit} bytes")


async def _send_problem(send: Send, rid: str, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", rid.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
