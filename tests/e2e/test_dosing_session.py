"""A nurse runs a ketamine session on the tablet screen, from check-in to discharge, and the
register shows the administration and the new balance."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.screening.models import Task
from tests.dosing.conftest import ready  # noqa: F401 (the fixture)
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser
TABLET = {"width": 1024, "height": 1366}


def local_minute(moment: Any, tz: Any) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def fill_vitals(page: Any, systolic: int, diastolic: int) -> None:
    page.get_by_label("Systolic (mmHg)").fill(str(systolic))
    page.get_by_label("Diastolic (mmHg)").fill(str(diastolic))
    page.get_by_label("Pulse (per minute)").fill("76")
    page.get_by_label("SpO2 (%)").fill("98")


def test_a_nurse_runs_a_session_from_check_in_to_discharge(
    live_server: Any,
    browser: Any,
    ready: dict[str, Any],  # noqa: F811
) -> None:
    tz = ready["montreal"].tzinfo
    page = browser.new_context(locale="en-CA", viewport=TABLET).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, ready["nurse"].email)

    # Check in from today's sessions.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today's sessions").click()
    page.get_by_role("button", name="Check Canary in").click()
    page.get_by_text("Checked in", exact=True).wait_for()

    # The pre-dose checks, then clearing.
    page.get_by_label("Fasted as instructed").check()
    page.get_by_label("Ride home arranged (no driving today)").check()
    page.get_by_label("Pregnancy status").select_option("not_pregnant")
    fill_vitals(page, 124, 78)
    page.get_by_role("button", name="Save the pre-dose checks").click()
    assert page.locator(".checklist li.unmet").count() == 0
    page.get_by_role("button", name="Clear to dose").click()

    # The dose, documented after the fact: given 2 h 15 min ago.
    given = timezone.now() - timedelta(hours=2, minutes=15)
    page.get_by_label("Given at").fill(local_minute(given, tz))
    assert page.get_by_label("Dose (mg)").input_value() == "100"
    lot_label = f"Ketamine RDT — RDT-1 ({ready['lot'].expiry:%Y-%m-%d})"
    page.get_by_label("Product and lot").select_option(label=lot_label)
    page.get_by_role("button", name="Record the dose").click()
    page.get_by_text("135 minutes since the dose").wait_for()

    # A reading above the limit raises the alert on screen and a task for the physician.
    page.get_by_label("Taken at").fill(local_minute(given + timedelta(minutes=40), tz))
    fill_vitals(page, 186, 100)
    page.get_by_role("button", name="Save the reading").click()
    alert = page.get_by_role("alert")
    assert "Systolic blood pressure 186 mmHg is above the highest acceptable value" in (
        alert.inner_text()
    )
    assert Task.objects.filter(assignee=ready["physician"], urgent=True).exists()
    assert page.locator("figure.chart img").get_attribute("src").startswith("data:image/svg+xml")

    # Nausea.
    page.get_by_text("Record an adverse event").click()
    page.get_by_role("combobox", name="Event").select_option("nausea")
    page.get_by_role("combobox", name="Severity").select_option("mild")
    page.get_by_label("Action taken").fill("Ginger tea")
    page.get_by_role("button", name="Record the event").click()
    assert "Nausea" in page.locator("ul.events").inner_text()

    # Back within the limits, then discharge once every criterion holds.
    fill_vitals(page, 126, 80)
    page.get_by_role("button", name="Save the reading").click()
    page.get_by_label("Alert and oriented").check()
    page.get_by_label("Walking steadily").check()
    page.get_by_label("Escort present").check()
    page.get_by_role("button", name="Discharge").click()
    page.get_by_role("heading", name="Discharged at").wait_for()
    assert "Observed for 13" in page.locator(".checklist").inner_text()

    # The register shows the administration and the new balance.
    page.goto(f"{live_server.url}/register/{ready['montreal'].pk}/")
    lot_row = page.get_by_role("row").filter(has_text="RDT-1")
    assert lot_row.get_by_role("cell").last.inner_text() == "900"
    page.goto(f"{live_server.url}/register/{ready['montreal'].pk}/ledger/")
    administration = page.get_by_role("row").filter(has_text="Administration")
    assert "-100" in administration.inner_text() and "900" in administration.inner_text()
