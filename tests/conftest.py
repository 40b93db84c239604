"""Shared fixtures: real databases (SQLite file and PostgreSQL), a real feed server, a live API.

PostgreSQL tests use TOLLWATCH_TEST_POSTGRES_URL (default: the local server, database `test`)
to create a fresh database per test. When PostgreSQL is unreachable they are skipped with a
reason — unless TOLLWATCH_REQUIRE_POSTGRES=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def shared_dir() -> Path | None:
    candidate = Path(os.environ.get("TOLLWATCH_SHARED_DIR", REPO.parent / "shared"))
    return candidate if candidate.is_dir() else None


def _pg_admin_url() -> str:
    return os.environ.get("TOLLWATCH_TEST_POSTGRES_URL", DEFAULT_PG)


def _pg_available() -> str | None:
    try:
        engine = create_engine(_pg_admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # reported as the skip/fail reason
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


_PG_PROBLEM: list = []


def require_postgres() -> None:
    if not _PG_PROBLEM:
        _PG_PROBLEM.append(_pg_available())
    problem = _PG_PROBLEM[0]
    if problem:
        message = f"PostgreSQL unreachable at {_pg_admin_url()}: {problem}"
        if os.environ.get("TOLLWATCH_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def create_pg_database() -> str:
    """A fresh, empty database; returns its URL."""
    require_postgres()
    name = f"tw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return _pg_admin_url().rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def settings_env(monkeypatch):
    """Set TOLLWATCH_* settings for this test: settings_env(api_key="k", allow_private_urls="1")."""

    def apply(**values):
        for key, value in values.items():
            monkeypatch.setenv(f"TOLLWATCH_{key.upper()}", str(value))
        from service.core.settings import get_settings

        get_settings.cache_clear()

    return apply


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, monkeypatch):
    """A migrated, empty database of each kind; TOLLWATCH_DATABASE_URL points at it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tollwatch.db'}"
    else:
        url = create_pg_database()
    monkeypatch.setenv("TOLLWATCH_DATABASE_URL", url)
    monkeypatch.setenv("TOLLWATCH_DEMO_SOURCE", "false")
    monkeypatch.setenv("TOLLWATCH_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("TOLLWATCH_LOG_JSON", "false")
    from db.engine import dispose_engines
    from service.core.settings import get_settings

    get_settings.cache_clear()
    from db.migrate import upgrade

    upgrade(url)
    yield url
    dispose_engines()
    get_settings.cache_clear()
    if request.param == "postgres":
        drop_pg_database(url)


@pytest.fixture
def engine(database_url):
    from db.engine import get_engine

    return get_engine(database_url)


# --- a real HTTP server for feeds, pages and webhook receivers ---------------------------------


@dataclass
class Route:
    status: int = 200
    body: bytes | Callable[[], bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    handler: Callable | None = None  # handler(request_handler) -> None writes the whole response


class LocalServer:
    """ThreadingHTTPServer on 127.0.0.1 with a mutable route table and a request log."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "at": time.time(),
                    }
                )
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.handler:
                    route.handler(self)
                    return
                payload = route.body() if callable(route.body) else route.body
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: dict | None = None,
        handler: Callable | None = None,
        content_type: str = "application/rss+xml",
    ) -> str:
        if isinstance(body, str):
            body = body.encode()
        hdrs = {"Content-Type": content_type, **(headers or {})}
        self.routes[path] = Route(status, body, hdrs, handler)
        return self.url(path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_api(database_url, settings_env):
    """The real app under uvicorn on 127.0.0.1 (scheduler off); yields its base URL."""
    import uvicorn

    from service.web.app import create_app

    settings_env(api_key="test-key")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(start_scheduler=False), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("the API did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


API_KEY_HEADERS = {"Authorization": "Bearer test-key"}


def pytest_terminal_summary(terminalreporter):
    """Say how many PostgreSQL tests ran, so CI output proves they were not skipped."""
    passed = [r for r in terminalreporter.stats.get("passed", []) if "postgres" in r.keywords]
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "postgres" in r.keywords]
    terminalreporter.write_line(f"PostgreSQL tests: {len(passed)} passed, {len(skipped)} skipped")


@pytest.fixture
def receiver():
    """A real webhook receiver on 127.0.0.1 verifying every signature (tests/test_alerting_helpers.py)."""
    from tests.test_alerting_helpers import Receiver

    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def session(engine):
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as s:
        yield s
