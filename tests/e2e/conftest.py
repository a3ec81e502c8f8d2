"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

A failing test leaves a screenshot in test-results/.
"""

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

from tests.conftest import skip_or_fail

CHROMIUM = Path(os.environ.get("KAPCLINIC_CHROMIUM", "/usr/bin/chromium"))
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# beside one unless told that the test knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def sign_in(page: Any, base: str, email: str) -> None:
    """Sign in through the real login page and wait for the home page."""
    from tests.factories import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome").wait_for()


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, each request served whole (its body and its close(), where the audit
    seal runs) under one lock: on SQLite its threads share the test's one in-memory
    connection, and two requests at once (a live form's background update and the Save the
    same click sends) used it together and failed ("bad parameter or other API misuse")."""

    lock = threading.Lock()

    def get_app(self) -> Any:
        app = super().get_app()

        def one_at_a_time(environ: Any, start_response: Any) -> list[bytes]:
            with self.lock:
                response = app(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    response.close()

        return one_at_a_time


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite() -> Iterator[None]:
    """SQLite only (a single writer anyway); PostgreSQL keeps the threaded live server."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    threaded = LiveServerThread.server_class
    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture(autouse=True)
def _live_database(transactional_db: None) -> None:
    """Browser tests share the database with the live server, committed (and restored)."""
