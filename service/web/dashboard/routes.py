"""The health dashboard at `/`: server-rendered Jinja2, autoescaped, no front-end build.

`/` renders the whole page; `/dashboard/fragment/{section}` renders one section, which
`static/dashboard.js` fetches every 30 s and swaps in (no full reload). Charts are SVG drawn
on the server. Every response carries a strict Content-Security-Policy: scripts and styles
only from this origin, nothing inline, no framing.

When TOLLWATCH_READ_API_KEY is set the dashboard needs it too: as a Bearer/X-API-Key header
like the API, or as the password of HTTP Basic auth (any user name), which a browser asks for.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from pathlib import Path

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlmodel import Session

from service.core.settings import get_settings
from service.web.api.auth import key_accepted, presented_key
from service.web.api.deps import SessionDep
from service.web.api.problems import Problem
from service.web.dashboard import queries as data

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
REFRESH_SECONDS = 30

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
SECTIONS = ("health", "sources", "tolls", "facts", "series", "alerts")

router = APIRouter(include_in_schema=False)


# --- rendering ----------------------------------------------------------------------------------


def _ago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    value = data.aware(value)
    if value is None:
        return "never"
    seconds = ((now or data.utcnow()) - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 45:
        text = f"{int(seconds)} s"
    elif seconds < 90 * 60:
        text = f"{round(seconds / 60)} min"
    elif seconds < 36 * 3600:
        text = f"{round(seconds / 3600)} h"
    else:
        text = f"{round(seconds / 86400)} d"
    return f"in {text}" if future else f"{text} ago"


def _utc(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return data.aware(value).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return value.isoformat()


def _num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} ms" if value < 1000 else f"{value / 1000:,.1f} s"


def _size(value: int | None) -> str:
    if value is None:
        return "unknown"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size} B"


QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "at_most": "at most",
    "less_than": "less than",
    "about": "about",
    "range": "range",
    "vague": "vague",
}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(ago=_ago, utc=_utc, num=_num, ms=_ms, size=_size)
    env.globals.update(qualifier_words=QUALIFIER_WORDS, refresh_seconds=REFRESH_SECONDS, vague_words=data.vague_words)
    return env


ENV = _environment()


def _context(section: str, session: Session, filters: data.Filters) -> dict:
    now = data.utcnow()
    ctx: dict = {"now": now, "filters": filters}
    if section in ("health", "page"):
        ctx["health"] = data.health(session, now)
    if section in ("sources", "page"):
        ctx["sources"] = data.sources_table(session, now)
    if section in ("tolls", "page"):
        ctx["tolls"] = data.tolls_table(session, filters, now=now)
    if section in ("facts", "page"):
        ctx["facts"] = data.latest_facts(session, filters)
    if section in ("series", "page"):
        ctx["series"] = data.series(session, filters)
    if section in ("alerts", "page"):
        ctx["alerts"] = data.alerts_table(session, now)
    if section == "page":
        ctx["options"] = data.filter_options(session)
    return ctx


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


# --- access -------------------------------------------------------------------------------------


def _basic_password(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded.partition(":")[2] or None


def require_dashboard_read(request: Request) -> None:
    """Dependency of every dashboard page: the read key, when one is set (Bearer, X-API-Key or Basic password)."""
    settings = get_settings()
    if not settings.read_api_key:
        return
    if key_accepted(
        request, [presented_key(request), _basic_password(request)], settings.read_api_key, settings.api_key
    ):
        return
    raise HTTPException(
        401,
        "the dashboard needs the read API key (TOLLWATCH_READ_API_KEY): give it as the password",
        headers={"WWW-Authenticate": 'Basic realm="tollwatch", charset="UTF-8"'},
    )


def _filters(
    kind: str | None = Query(None, max_length=40), place: str | None = Query(None, max_length=200)
) -> data.Filters:
    return data.Filters.parse(kind, place)


# --- routes -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(require_dashboard_read)])
def dashboard(session: SessionDep, filters: data.Filters = Depends(_filters)) -> HTMLResponse:
    ctx = _context("page", session, filters)
    ctx["sections"] = SECTIONS
    return _html(ENV.get_template("dashboard.html").render(**ctx))


@router.get(
    "/dashboard/fragment/{section}", response_class=HTMLResponse, dependencies=[Depends(require_dashboard_read)]
)
def fragment(session: SessionDep, section: str, filters: data.Filters = Depends(_filters)) -> HTMLResponse:
    if section not in SECTIONS:
        raise Problem(404, f"no dashboard section {section!r}; sections are {', '.join(SECTIONS)}")
    return _html(ENV.get_template(f"fragments/{section}.html").render(**_context(section, session, filters)))


_STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.(css|js|txt|svg)$")
_STATIC_TYPES = {
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "svg": "image/svg+xml",
}


@router.get("/dashboard/static/{name}")
def static(name: str) -> Response:
    """The dashboard's own CSS and JS (a fixed list of files in service/static)."""
    if not _STATIC_NAME.match(name) or name not in {p.name for p in STATIC.iterdir() if p.is_file()}:
        raise Problem(404, "no such static file")
    return FileResponse(
        STATIC / name,
        media_type=_STATIC_TYPES[name.rsplit(".", 1)[1]],
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
