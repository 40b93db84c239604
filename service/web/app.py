"""The FastAPI application: API under /api/v1, health at the root, dashboard at /."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from db.health import check_database, database_identity
from service.core import metrics
from service.core.database import get_engine, migrate
from service.core.runtime import freeze_startup_heap
from service.core.settings import get_settings
from service.demo import ensure_demo_source
from service.jobs import scheduler as jobs_scheduler
from service.web.api import alerting, facts, problems, series, sources, tolls
from service.web.api.auth import BadKeyThrottle, require_read
from service.web.dashboard import routes as dashboard
from service.web.middleware import RequestContextMiddleware
from service.web.query_params import reject_unknown_query_params

log = logging.getLogger("tollwatch")

API_DESCRIPTION = """Numeric facts (death tolls, injured, displaced, population…) extracted from news feeds,
each traceable to its sentence, article and source. Lists answer `{"items": [...], "next_cursor": ...}`.
Writes need `Authorization: Bearer KEY` or `X-API-Key: KEY`. Errors are `application/problem+json`."""


def create_app(start_scheduler: bool | None = None) -> FastAPI:
    """The application; `start_scheduler` overrides TOLLWATCH_SCHEDULER (tests)."""
    settings = get_settings()
    run_scheduler = settings.scheduler if start_scheduler is None else start_scheduler

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        migrate()
        app.state.database_identity = database_identity(get_engine())  # /readyz: still the same database?
        ensure_demo_source()
        scheduler = jobs_scheduler.start("serve") if run_scheduler else None
        app.state.scheduler = scheduler
        freeze_startup_heap()
        yield
        if scheduler is not None:
            scheduler.shutdown(wait=True)

    # /docs and /redoc load their scripts from this server (the package ships them), not from a CDN:
    # they work without internet and no request about the API leaves the machine.
    app: FastAPI = FastAPIOffline(
        title="tollwatch",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        static_url="/docs/static",
        dependencies=[Depends(reject_unknown_query_params)],
    )
    app.state.bad_keys = BadKeyThrottle()
    problems.install(app)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_request_bytes)
    app.include_router(sources.router, prefix="/api/v1")
    app.include_router(facts.router, prefix="/api/v1")
    app.include_router(series.router, prefix="/api/v1")
    app.include_router(tolls.router, prefix="/api/v1")
    app.include_router(alerting.router, prefix="/api/v1")
    metrics.register_database_collector()
    app.include_router(dashboard.router)

    # Metrics name sources, kinds and delivery outcomes: behind the read key when there is one (Prometheus
    # sends it as `authorization: {credentials: KEY}`, a bearer token).
    @app.get("/metrics", include_in_schema=False, dependencies=[Depends(require_read)])
    def prometheus_metrics() -> Response:
        """Prometheus text exposition: this process's counters and the database gauges."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz", tags=["health"])
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz():
        checks = {}
        try:
            problem = check_database(get_engine(), getattr(app.state, "database_identity", None))
            checks["database"] = "ok" if problem is None else f"error: {problem}"
        except Exception as exc:  # readiness reports, it does not crash
            log.warning("readiness: database check failed", exc_info=True)
            checks["database"] = f"error: {type(exc).__name__}"
        sched = getattr(app.state, "scheduler", None)
        checks["scheduler"] = "running" if sched is not None and sched.running else "off"
        ok = checks["database"] == "ok"
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)

    return app
