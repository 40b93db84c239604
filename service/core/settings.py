"""The one settings object: environment variables `TOLLWATCH_*`, plus the `.env` file of the tollwatch home.

The server, the workers and every CLI command read the same file, whatever folder they are started from:
`<home>/.env`, where home is TOLLWATCH_HOME, else the source checkout the code runs from (the folder of
pyproject.toml), else ~/.local/share/tollwatch. The default SQLite database lives there too.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def tollwatch_home() -> Path:
    """The folder of the settings file and of the default SQLite database (never the current folder)."""
    configured = os.environ.get("TOLLWATCH_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "service").is_dir():
        return checkout
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "tollwatch"


def settings_file() -> Path:
    return tollwatch_home() / ".env"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOLLWATCH_", extra="ignore")

    database_url: str = Field(
        "sqlite:///data/tollwatch.db",
        description="SQLAlchemy URL; postgresql+psycopg://… to scale out. A relative SQLite "
        "path is relative to the tollwatch home, not the current folder",
    )
    db_pool_size: int = Field(10, ge=1, description="PostgreSQL connections kept per process (plus 20 overflow)")
    api_key: str | None = Field(None, description="Key required for writes (Bearer or X-API-Key)")
    read_api_key: str | None = Field(None, description="If set, reads need this key (or the write key)")
    host: str = "127.0.0.1"
    port: int = 8000
    scheduler: bool = Field(True, description="Run the embedded poller/sender in `serve`; off for API replicas")
    allow_private_urls: bool = Field(
        False, description="Allow sources/webhooks on loopback/private addresses (tests, demo)"
    )
    demo_source: bool = Field(True, description="Add the bundled demo feed on first start of an empty database")

    # polling
    default_poll_interval: int = 600
    poll_concurrency: int = 8
    per_host_concurrency: int = 2
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_feed_bytes: int = 10 * 1024 * 1024
    max_article_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    fetch_article_pages: bool = True
    max_failures_before_disable: int = 10
    backoff_ceiling_seconds: int = 6 * 3600
    lease_seconds: int = 120
    retention_days: int = 90
    private_url_allowlist: str = Field("", description="Comma-separated CIDRs reachable even when private URLs are not")
    startup_jitter_seconds: float = Field(60.0, description="Spread overdue sources over this window at start-up")
    poll_every_seconds: float = Field(5.0, description="How often the scheduler looks for due sources")
    max_poll_interval_seconds: int = Field(86400, description="Cap on <ttl>/max-age/Retry-After delays")
    page_concurrency: int = Field(4, description="Article pages fetched at once per source")
    # About one busy feed's worth: more in hand per worker only makes one worker finish late while another
    # idles (bench/poll.py: 68 % → 75 % at 40 → 20). Raise it when pages are slow to download and the
    # worker is not CPU-bound: items waiting for their page count too.
    max_pending_articles: int = Field(
        20,
        ge=1,
        description="A poller leases no more sources while it has this many new "
        "articles found and not yet stored (the rest is left to other workers)",
    )
    store_batch_size: int = Field(
        20, ge=1, description="A poller stores up to this many ready articles in one transaction"
    )
    store_batch_wait_seconds: float = Field(
        0.1, ge=0, description="…and commits what is ready once the oldest ready article has waited this long"
    )
    extract_concurrency: int = Field(
        1,
        ge=1,
        description="Threads per process doing main-text and fact extraction at "
        "once (CPU-bound: more than one only interleaves them; add processes instead)",
    )
    retention_every_seconds: int = 3600
    user_agent: str = "tollwatch/0.1 (+https://github.com/tollwatch/tollwatch; news statistics monitor)"

    # webhooks
    webhook_timeout: float = 10.0
    webhook_max_response_bytes: int = 2048
    webhook_connect_timeout: float = 5.0
    webhook_total_timeout: float = Field(15.0, description="Hard deadline for one delivery attempt, body included")
    webhook_retry_schedule: list[float] = Field(
        [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400],
        description="Seconds before attempt 1, 2, … (Standard Webhooks); the delivery fails after the last",
    )
    webhook_retry_jitter: float = Field(0.2, description="Each retry delay is scaled by a random 1±jitter")
    webhook_disable_after_hours: float = Field(24.0, description="Disable an endpoint failing this long")
    webhook_concurrency: int = Field(8, description="Deliveries in flight per process")
    webhook_lease_seconds: int = Field(60, description="A claimed delivery is retried elsewhere after this")

    worker_metrics_port: int = Field(0, description="Port for a worker's own Prometheus metrics (0 = off)")
    max_request_bytes: int = Field(1_000_000, description="Largest request body the API accepts")

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("database_url")
    @classmethod
    def _anchor_sqlite_path(cls, url: str) -> str:
        """sqlite:///data/x.db means <home>/data/x.db: the CLI run from another folder opens the server's file."""
        prefix = "sqlite:///"
        path = url[len(prefix) :] if url.startswith(prefix) else None
        if not path or path.startswith(("/", ":memory:", "file:")):
            return url
        return prefix + str(tollwatch_home() / path)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process (tests clear the cache)."""
    return Settings(_env_file=settings_file())


def database_label(url: str | None = None) -> str:
    """The database in words, without a password: the file of a SQLite URL, else the URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url or get_settings().database_url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}"
    return parsed.render_as_string(hide_password=True)
