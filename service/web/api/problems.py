"""Errors as RFC 9457 `application/problem+json`, for every error the API can return."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.domain.errors import Conflict, DomainError, Invalid, NotFound

log = logging.getLogger("tollwatch.api")
PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An HTTP error a route raises; answered as problem+json with this status and detail."""

    def __init__(self, status: int, detail: str, title: str | None = None, **extra):
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.extra = extra


def problem_doc(description: str) -> dict:
    """An OpenAPI `responses` entry for an error answered as problem+json."""
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}


_PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "Problem type URI", "example": "about:blank"},
        "title": {"type": "string", "description": "Short summary of the status", "example": "Unprocessable Entity"},
        "status": {"type": "integer", "description": "HTTP status code", "example": 422},
        "detail": {
            "type": "string",
            "description": "What was wrong, naming the parameter first",
            "example": "until: is before since",
        },
        "errors": {
            "type": "array",
            "description": "Each invalid parameter (validation errors only)",
            "items": {
                "type": "object",
                "properties": {"loc": {"type": "array", "items": {"type": "string"}}, "msg": {"type": "string"}},
            },
        },
    },
    "example": {
        "type": "about:blank",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": "until: is before since",
    },
}


# The errors every read route can answer (documented so clients and schemathesis know their shape).
READ_ERRORS = {
    400: problem_doc("Malformed parameter (for example a cursor that no page handed out)"),
    401: problem_doc("An API key is required (TOLLWATCH_READ_API_KEY is set) or the one given is wrong"),
    422: problem_doc("A parameter is invalid: the detail names it and says what is accepted"),
}
NOT_FOUND = {404: problem_doc("No such object")}
WRITE_ERRORS = {
    401: problem_doc("A valid API key is required (Authorization: Bearer KEY or X-API-Key: KEY)"),
    403: problem_doc("Writes are disabled: the server has no TOLLWATCH_API_KEY"),
    409: problem_doc("Conflicts with an existing object"),
    413: problem_doc("The request body is too large"),
    422: problem_doc("A field is invalid: the detail names it and says what is accepted"),
}


# How the API answers what a domain operation refuses.
DOMAIN_STATUS: dict[type[DomainError], int] = {NotFound: 404, Conflict: 409, Invalid: 422}


def problem_response(status: int, detail: str, title: str | None = None, headers=None, **extra) -> JSONResponse:
    """A problem+json response."""
    body = {"type": "about:blank", "title": title or HTTPStatus(status).phrase, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _describe(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
    return f"{where}: {err.get('msg')}" if where else str(err.get("msg"))


def install(app: FastAPI) -> None:
    """Answer every error of `app` as problem+json: ours, the domain's, HTTP, validation and unexpected ones."""

    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem):
        return problem_response(exc.status, exc.detail, exc.title, **exc.extra)

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError):
        return problem_response(DOMAIN_STATUS.get(type(exc), 422), exc.detail)

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
