"""Property-based run over /openapi.json (schemathesis): the read routes never answer 5xx and every
response matches the documented status codes, content types and schemas — on both databases."""

from __future__ import annotations

import datetime as dt
import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from db.models import Article, Fact, Source

READ_ROUTES = r"^/api/v1/(facts|series|articles|sources)"
EXAMPLES = int(os.environ.get("TOLLWATCH_SCHEMATHESIS_EXAMPLES", "80"))  # per operation


def seed(url: str) -> None:
    from db.engine import get_engine

    with Session(get_engine(url)) as session:
        feed = Source(name="Wire", url="http://127.0.0.1:9/feed")
        session.add(feed)
        session.flush()
        for i in range(6):
            article = Article(
                source_id=feed.id,
                guid_key=f"g{i}",
                url=f"http://127.0.0.1:9/a/{i}",
                title=f"T{i}",
                outlet="Wire",
                text="x" * 200,
            )
            session.add(article)
            session.flush()
            for j, (kind, value, place, cc, source) in enumerate(
                [
                    ("killed", 45, "Aleppo", "SY", "SOHR"),
                    ("killed", 52, "Aleppo", "SY", None),
                    ("injured", 120.5, None, None, '=HYPERLINK("x")'),
                    ("statistic", 1.5e6, "Mosul", "IQ", "UN"),
                ]
            ):
                session.add(
                    Fact(
                        article_id=article.id,
                        extractor_version="test",
                        kind=kind,
                        value=value,
                        low=value,
                        high=None,
                        qualifier="at_least",
                        unit="USD" if kind == "statistic" else "people",
                        subject="civilians",
                        location=f"eastern {place}" if place else "a village",
                        place_name=place,
                        country_code=cc,
                        latitude=36.2 if place else None,
                        longitude=-37.1 if place else None,
                        date=dt.date(2016, 11, 1 + i + j),
                        source=source,
                        span_start=j,
                        span_end=j + 2,
                        sentence=f"Sentence {i}/{j} — ünïcode ✓",
                    )
                )
        session.commit()


def test_read_routes_conform(database_url):
    from service.web.app import create_app

    seed(database_url)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(start_scheduler=False))
    schema = schema.include(method="GET", path_regex=READ_ROUTES)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/api/v1/facts",
        "/api/v1/facts/{fact_id}",
        "/api/v1/series",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
    }
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for operation, mode in [(op, mode) for op in operations for mode in modes]:
        # positive: valid requests; negative: requests that break the schema (wrong types, out of range…),
        # which must be answered 4xx problems, never 5xx
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=checks)

        run()
