"""The security catalogue's figures (shared/reference/SECURITY.md), gathered while its tests run.

Tests marked `security` record figures through the `security_figures` fixture; tests written
elsewhere are counted from their results (one tamper case or child-id swap per test case, caught
when it passes), so a file that lands later is picked up by its name. Each record is one small
JSON file per test under var/security/figures/, so parallel workers never share a file;
scripts/security_table.py sums them into the table and bench/results/security.json.
"""

import fnmatch
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIGURES_DIR = Path(os.environ.get("KAPCLINIC_VAR_DIR", "var")) / "security" / "figures"

# Tests whose cases are counted by outcome: group -> node id patterns. The tamper cases come from
# tests/audit/test_tamper.py once it exists, until then from the chain tests that tamper.
COUNTED: dict[str, list[str]] = {
    "tamper": ["tests/audit/test_tamper.py::*"],
    "child_id_swaps": ["tests/test_access.py::test_a_child_id_from_elsewhere*", "*child_id*swap*"],
}
TAMPER_FALLBACK = [
    "tests/audit/test_chain.py::test_an_edited_row_is_named_by_verify*",
    "tests/audit/test_chain.py::test_a_removed_event_breaks_the_link_of_the_next*",
    "tests/audit/test_chain.py::test_swapped_events_are_detected*",
    "tests/audit/test_chain.py::test_the_database_refuses_to_change_audit_rows*",
    "tests/audit/test_chain.py::test_truncate_is_refused_on_postgresql*",
]
# Existing tests that belong to the catalogue (they record their own figures or are counted).
ALSO_SECURITY = [
    "tests/accounts/test_policy.py::test_role_view_matrix*",
    "tests/web/test_deploy.py::test_production_settings_pass_the_deploy_checks*",
    "tests/scheduling/test_concurrency.py::test_twenty_concurrent_bookings*",
    "tests/register/test_concurrency.py::test_fifty_concurrent_administrations*",
    "tests/register/test_views.py::test_the_inspection_csv_opens_safely_in_a_spreadsheet*",
    "tests/test_shared_limits.py::*",
    "tests/web/test_headers.py::*",
    "tests/audit/test_roles.py::*",
]


def _patterns(rootdir: Path) -> dict[str, list[str]]:
    patterns = dict(COUNTED)
    if not (rootdir / "tests" / "audit" / "test_tamper.py").exists():
        patterns["tamper"] = TAMPER_FALLBACK
    return patterns


def _matches(nodeid: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(nodeid, pattern) for pattern in patterns)


def write_figures(nodeid: str, group: str, figures: dict[str, Any]) -> None:
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(f"{group}|{nodeid}".encode()).hexdigest()[:24]
    record = {"group": group, "test": nodeid, "figures": figures}
    (FIGURES_DIR / f"{name}.json").write_text(json.dumps(record, sort_keys=True))


@pytest.fixture
def security_figures(request: pytest.FixtureRequest) -> Callable[..., None]:
    """record(group, **figures): numbers summed per group across tests into the table."""

    def record(group: str, **figures: Any) -> None:
        write_figures(request.node.nodeid, group, figures)

    return record


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    patterns = _patterns(Path(config.rootpath))
    counted = [p for group in patterns.values() for p in group]
    for item in items:
        if _matches(item.nodeid, counted + ALSO_SECURITY):
            item.add_marker(pytest.mark.security)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """One tamper case or swap per test case: tried when it ran, caught when it passed."""
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return
    patterns = _patterns(Path.cwd())
    for group, group_patterns in patterns.items():
        if _matches(report.nodeid, group_patterns):
            caught = int(report.passed and not hasattr(report, "wasxfail"))
            write_figures(report.nodeid, group, {"tried": 1, "caught": caught})
