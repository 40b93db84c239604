"""Prometheus metrics.

Counters and histograms count what this process did (polls by outcome, articles, facts by kind,
extraction time, delivery attempts and latency). `serve` exposes them at /metrics (service/web/app.py); a `worker`
exposes its own on TOLLWATCH_WORKER_METRICS_PORT. /metrics also reports the shared state that
every process writes to, read from the database at scrape time (sources by status, deliveries by
status, stored articles and facts by kind), so one scrape of the API shows the whole pipeline.
"""

from __future__ import annotations

import logging

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Article, Delivery, Fact, Source
from service.core.database import get_engine

log = logging.getLogger("tollwatch.metrics")

POLLS = Counter("tollwatch_polls_total", "Feed polls by outcome (ok, not_modified, error, interrupted)", ["outcome"])
ARTICLES = Counter("tollwatch_articles_total", "Articles stored by this process")
FACTS = Counter("tollwatch_facts_total", "Facts stored by this process, by kind", ["kind"])
EXTRACTION_SECONDS = Histogram("tollwatch_extraction_seconds", "Extraction time per article")
DELIVERIES = Counter("tollwatch_deliveries_total", "Webhook delivery attempts by result", ["result"])
DELIVERY_SECONDS = Histogram("tollwatch_delivery_seconds", "Webhook delivery latency")


class DatabaseCollector:
    """Pipeline-wide gauges read from the database at scrape time."""

    def describe(self):  # lets the registry check names without a database query at start-up
        """The gauges' names, without a database query (the registry checks them at start-up)."""
        return [
            GaugeMetricFamily(name, "")
            for name in (
                "tollwatch_sources_by_status",
                "tollwatch_deliveries_by_status",
                "tollwatch_facts_stored",
                "tollwatch_articles_stored",
            )
        ]

    def collect(self):
        """The gauges, read from the database now (none when it is down)."""
        sources = GaugeMetricFamily("tollwatch_sources_by_status", "Sources by status", labels=["status"])
        deliveries = GaugeMetricFamily(
            "tollwatch_deliveries_by_status", "Webhook deliveries by status", labels=["status"]
        )
        facts = GaugeMetricFamily("tollwatch_facts_stored", "Facts in the database by kind", labels=["kind"])
        articles = GaugeMetricFamily("tollwatch_articles_stored", "Articles in the database")
        try:
            with Session(get_engine()) as session:
                for status, n in session.exec(select(Source.status, func.count()).group_by(Source.status)):
                    sources.add_metric([status], n)
                for status, n in session.exec(select(Delivery.status, func.count()).group_by(Delivery.status)):
                    deliveries.add_metric([status], n)
                for kind, n in session.exec(select(Fact.kind, func.count()).group_by(Fact.kind)):
                    facts.add_metric([kind], n)
                articles.add_metric([], session.exec(select(func.count()).select_from(Article)).one())
        except Exception:  # a scrape must not fail because the database is down: /readyz says that
            log.warning("metrics: database unavailable", exc_info=True)
            return
        yield from (sources, deliveries, facts, articles)


_DB_COLLECTOR = DatabaseCollector()
_registered: list[bool] = []


def register_database_collector() -> None:
    """Called by the API app only (workers have no /metrics route); once per process."""
    if not _registered:
        REGISTRY.register(_DB_COLLECTOR)
        _registered.append(True)
