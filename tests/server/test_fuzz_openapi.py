"""Schemathesis over the served OpenAPI document (benchmarks/fuzz_openapi.py), in-process: every
operation, valid and schema-breaking cases, as an admin and as an employee. No 5xx, and no
response that breaks its documented schema.

Bounded for scripts/test.sh (about a minute on two cores): HERALD_FUZZ_COVERAGE boundary cases
(default 60) and HERALD_FUZZ_EXAMPLES generated cases (default 4) per operation and role. Dig
deeper with `.venv/bin/python benchmarks/fuzz_openapi.py --examples 200 --coverage 500`.
"""

from __future__ import annotations

import os

import pytest

from benchmarks import fuzz_openapi
from tests.conftest import on_postgres


@pytest.mark.skipif(
    on_postgres(),
    reason="the fuzzer serves its own SQLite database (benchmarks/fuzz_openapi.py): on the "
    "PostgreSQL pass it would repeat the SQLite pass's run exactly",
)
def test_fuzzing_the_openapi_document_finds_no_server_errors_and_no_schema_violations():
    examples = int(os.environ.get("HERALD_FUZZ_EXAMPLES", "4"))
    coverage = int(os.environ.get("HERALD_FUZZ_COVERAGE", "60"))
    result = fuzz_openapi.run(examples, coverage)
    assert result["operations"] >= 40
    assert result["cases"] >= result["operations"] * 2 * 2  # at least a couple per role
    assert result["server_errors"] == 0, result["examples"]
    assert result["schema_violations"] == 0, result["examples"]
