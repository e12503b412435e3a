"""schemathesis against the app's own OpenAPI schema, over a real server: no 5xx, responses as documented."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from assistant import Assistant, Settings
from assistant.api import create_app
from harness.servers import serve

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


KEY = "schema-test-key"


@pytest.fixture(scope="module")
def live_schema(seeded_data_dir):
    # Its own data dir: fuzzed uploads and deletions must not change the corpus other tests answer from.
    settings = Settings(data_dir=seeded_data_dir("opc-schema"), ui=False, rate_limit="", rate_limit_per_user="",
                        api_keys=[f"{KEY}:admin"])  # an admin key, so document writes are fuzzed too
    app = create_app(settings, Assistant.load(settings))
    with serve(app) as base:
        yield schemathesis.openapi.from_url(f"{base}/openapi.json")


@pytest.mark.parametrize(("mode", "examples"), [(GenerationMode.POSITIVE, 30), (GenerationMode.NEGATIVE, 15)])
def test_api_conforms_to_its_schema(live_schema, mode, examples):
    # Hypothesis-driven cases per operation (schemathesis' pytest loader needs the schema at import time,
    # but ours lives behind a server started by a fixture). Negative cases break the schema on purpose
    # (wrong types, bodies that are not JSON objects): each must get a documented 4xx.
    operations = [result.ok() for result in live_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)  # the same cases every run: CI must not flake
        def check(case):
            # Every other built-in check runs. Schema-valid questions may still be refused with a documented 422
            # (control characters, whitespace only): the service owns that rule and its wording.
            case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, timeout=30,
                                   excluded_checks=[schemathesis.checks.positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:  # no input to break: an operation without parameters or body
            assert mode is GenerationMode.NEGATIVE and not operation.body and not operation.path_parameters
