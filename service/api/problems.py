"""Errors as RFC 9457 `application/problem+json`, for every error the API can return."""
from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("tollwatch.api")
PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    def __init__(self, status: int, detail: str, title: str | None = None, **extra):
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.extra = extra


def problem_response(status: int, detail: str, title: str | None = None, headers=None, **extra) -> JSONResponse:
    body = {"type": "about:blank", "title": title or HTTPStatus(status).phrase, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _describe(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
    return f"{where}: {err.get('msg')}" if where else str(err.get("msg"))


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem):
        return problem_response(exc.status, exc.detail, exc.title, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        return problem_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg")} for e in exc.errors()]
        detail = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
        return problem_response(422, detail, "Invalid request", errors=errors)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception):
        log.exception("unhandled error")
        return problem_response(500, "internal error; it has been logged")
