"""pytest plugin for scripts/view_coverage.py: records every request a test sends to kapclinic
(through Django's test client or the live server), its route, method, status, content type, and
whether it ran inside a `django_assert_num_queries` block (exact) or a max-queries block.

Loaded with `-p view_coverage_plugin` (scripts/ on PYTHONPATH); each process writes one JSON
lines file under $KAPCLINIC_VAR_DIR/view_coverage/."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_django.fixtures as pytest_django_fixtures
from django.core.handlers.base import BaseHandler

_state: dict[str, Any] = {"test": "", "pins": []}
_rows: list[dict[str, Any]] = []
_original_assert = pytest_django_fixtures._assert_num_queries
_original_get_response = BaseHandler.get_response


@contextmanager
def _recording_assert(
    config: Any, num: int, exact: bool = True, *a: Any, **kw: Any
) -> Iterator[Any]:
    _state["pins"].append("exact" if exact else "max")
    try:
        with _original_assert(config, num, exact, *a, **kw) as context:
            yield context
    finally:
        _state["pins"].pop()


def _recording_get_response(self: BaseHandler, request: Any) -> Any:
    response = _original_get_response(self, request)
    match = getattr(request, "resolver_match", None)
    pins = _state["pins"]
    _rows.append(
        {
            "test": _state["test"],
            "route": match.view_name if match else None,
            "method": request.method,
            "status": response.status_code,
            "type": response.get("Content-Type", ""),
            "pin": "exact" if "exact" in pins else ("max" if pins else None),
        }
    )
    return response


pytest_django_fixtures._assert_num_queries = _recording_assert  # type: ignore[assignment]
BaseHandler.get_response = _recording_get_response  # type: ignore[method-assign]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _state["test"] = item.nodeid


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _rows:
        return  # the xdist controller: its workers record
    root = Path(os.environ["VIEW_COVERAGE_RECORDS"])
    run = os.environ.get("VIEW_COVERAGE_RUN", "requests-0")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with (root / f"{run}-{worker}.jsonl").open("w") as out:
        for row in _rows:
            out.write(json.dumps(row) + "\n")
