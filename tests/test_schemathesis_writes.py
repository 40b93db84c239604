"""Schemathesis over the whole API, writes included, with the API key: no 5xx and no response
outside the documented schema, whatever the body. Reads have their own run in
test_schemathesis.py; this one adds every POST/PATCH/DELETE route."""

from __future__ import annotations

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

from tests.conftest import API_KEY_HEADERS
from tests.test_schemathesis import seed

EXAMPLES = int(os.environ.get("TOLLWATCH_SCHEMATHESIS_EXAMPLES", "40"))


def test_write_routes_conform(database_url, settings_env):
    from service.web.app import create_app

    settings_env(api_key="test-key", allow_private_urls="false")
    seed(database_url)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(start_scheduler=False))
    operations = [r.ok() for r in schema.get_all_operations() if r.ok().method.upper() in ("POST", "PATCH", "DELETE")]
    assert {(op.method.upper(), op.path) for op in operations} >= {
        ("POST", "/api/v1/sources"),
        ("PATCH", "/api/v1/sources/{source_id}"),
        ("DELETE", "/api/v1/sources/{source_id}"),
        ("POST", "/api/v1/alerts"),
        ("POST", "/api/v1/webhooks"),
    }
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def run(case):
                case.call_and_validate(headers=API_KEY_HEADERS, checks=checks)

            run()
