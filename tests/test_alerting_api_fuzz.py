"""Property-based run over the alerting routes of /openapi.json (schemathesis): /alerts, /webhooks, /deliveries
never answer 5xx and every response matches the documented status codes, content types and schemas — on both
databases. (`POST /webhooks/{id}/test` is left out: it would POST to whatever URL the fuzzer invents.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from tests.test_alerting_helpers import add_endpoint, add_rule, add_source, aleppo, report

ROUTES = r"^/api/v1/(alerts|webhooks|deliveries)"
EXAMPLES = 40


def test_alerting_routes_conform(database_url, engine, settings_env):
    settings_env(api_key="test-key")
    with Session(engine, expire_on_commit=False) as session:
        endpoint = add_endpoint(session, "http://127.0.0.1:9/hook")
        add_rule(session, {"type": "new"}, {"kind": "killed"}, [endpoint.id])
        report(session, add_source(session), aleppo(5))
    from service.web.app import create_app

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(start_scheduler=False))
    schema = schema.include(path_regex=ROUTES).exclude(path_regex=r"/test$")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.headers = {**(case.headers or {}), "Authorization": "Bearer test-key"}
            case.call_and_validate(checks=checks)

        run()
