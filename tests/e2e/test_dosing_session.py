"""A nurse runs a ketamine session on the tablet screen, from check-in to discharge, and the
register shows the administration and the new balance. On the way the screen refuses what
issue 10 found: a baseline or a dose timed before the check-in (or the clearing), a discharge
before the observation time, a second session the same day and a dose that is no whole number
of sprays."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone

from kapclinic.dosing import ordering
from kapclinic.dosing.models import Administration, DosingSession, SessionTransition, VitalSign
from kapclinic.register.models import Product, ProductForm
from kapclinic.register.services import receive_stock
from kapclinic.scheduling.models import Appointment, Attendance
from kapclinic.screening.models import Task
from tests.dosing.conftest import book_session, ready  # noqa: F401 (the fixture)
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


def refused(page: Any, sentence: str) -> None:
    page.locator(".messages").get_by_text(sentence).wait_for()


def two_hours_pass(session_id: int) -> None:
    """The clock of the session so far moves 2 h 15 min back, as if that time had passed."""
    by = timedelta(hours=2, minutes=15)
    DosingSession.objects.filter(pk=session_id).update(created_at=F("created_at") - by)
    SessionTransition.objects.filter(session_id=session_id).update(at=F("at") - by)
    VitalSign.objects.filter(session_id=session_id).update(taken_at=F("taken_at") - by)
    Administration.objects.filter(session_id=session_id).update(given_at=F("given_at") - by)


def open_tablet(browser: Any, live_server: Any, nurse: Any) -> Any:
    page = browser.new_context(locale="en-CA", viewport=TABLET).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, nurse.email)
    return page


def check_in_and_clear(page: Any, tz: Any) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today's sessions").click()
    page.get_by_role("button", name="Check Canary in").first.click()
    page.get_by_text("Checked in", exact=True).wait_for()
    page.get_by_label("Fasted as instructed").check()
    page.get_by_label("Ride home arranged (no driving today)").check()
    page.get_by_label("Pregnancy status").select_option("not_pregnant")
    fill_vitals(page, 124, 78)
    # A baseline timed before the check-in is refused; the form keeps nothing wrong.
    before = timezone.now() - timedelta(minutes=30)
    page.get_by_label("Baseline taken at").fill(local_minute(before, tz))
    page.get_by_role("button", name="Save the pre-dose checks").click()
    refused(page, "The baseline reading cannot be before the check-in")
    page.get_by_label("Fasted as instructed").check()
    page.get_by_label("Ride home arranged (no driving today)").check()
    page.get_by_label("Pregnancy status").select_option("not_pregnant")
    fill_vitals(page, 124, 78)
    page.get_by_label("Baseline taken at").fill(local_minute(timezone.now(), tz))
    page.get_by_role("button", name="Save the pre-dose checks").click()
    assert page.locator(".checklist li.unmet").count() == 0
    page.get_by_role("button", name="Clear to dose").click()


def test_a_nurse_runs_a_session_from_check_in_to_discharge(
    live_server: Any,
    browser: Any,
    ready: dict[str, Any],  # noqa: F811
) -> None:
    tz = ready["montreal"].tzinfo
    page = open_tablet(browser, live_server, ready["nurse"])
    check_in_and_clear(page, tz)

    # A dose documented as given 2 h 15 min ago, before the check-in, is refused.
    page.get_by_label("Given at").fill(
        local_minute(timezone.now() - timedelta(hours=2, minutes=15), tz)
    )
    assert page.get_by_label("Dose (mg)").input_value() == "100"
    assert "= 1 × tablet of 100 mg (Ketamine RDT)" in page.content()  # noqa: RUF001
    lot_label = f"Ketamine RDT 100 mg/tablet — RDT-1 ({ready['lot'].expiry:%Y-%m-%d})"
    page.get_by_label("Product and lot").select_option(label=lot_label)
    page.get_by_role("button", name="Record the dose").click()
    refused(page, "The time of the dose cannot be before the clearing to dose")

    # Given now.
    page.get_by_label("Given at").fill(local_minute(timezone.now(), tz))
    page.get_by_label("Product and lot").select_option(label=lot_label)
    page.get_by_role("button", name="Record the dose").click()
    page.get_by_text("Given: 100 mg = 1 × tablet of 100 mg").wait_for()  # noqa: RUF001
    screen = page.url
    page.get_by_label("Taken at").fill(local_minute(timezone.now(), tz))
    fill_vitals(page, 126, 80)
    page.get_by_role("button", name="Save the reading").click()

    # A minute after the dose, discharge is refused on the time observed.
    page.get_by_label("Alert and oriented").check()
    page.get_by_label("Walking steadily").check()
    page.get_by_label("Escort present").check()
    page.get_by_role("button", name="Discharge").click()
    page.get_by_text("at least 120 are required").first.wait_for()

    # Two hours pass; a reading above the limit alerts the physician.
    session = DosingSession.objects.get(attendance=ready["attendance"])
    two_hours_pass(session.pk)
    page.goto(screen)
    flagged_minute = local_minute(timezone.now(), tz)  # reused below: the clock may turn a minute
    page.get_by_label("Taken at").fill(flagged_minute)
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

    # Back within the limits the same minute: the flagged reading still holds discharge back.
    page.get_by_label("Taken at").fill(flagged_minute)
    fill_vitals(page, 126, 80)
    page.get_by_role("button", name="Save the reading").click()
    page.get_by_label("Alert and oriented").check()
    page.get_by_label("Walking steadily").check()
    page.get_by_label("Escort present").check()
    page.get_by_role("button", name="Discharge").click()
    page.get_by_text("The latest vital signs are not back within the limits").first.wait_for()

    # Later, a reading within the limits; discharge once every criterion holds.
    two_hours_pass(session.pk)  # the tied readings' minute is now well behind
    page.goto(screen)
    page.get_by_label("Taken at").fill(local_minute(timezone.now(), tz))
    fill_vitals(page, 124, 78)
    page.get_by_role("button", name="Save the reading").click()
    page.get_by_label("Alert and oriented").check()
    page.get_by_label("Walking steadily").check()
    page.get_by_label("Escort present").check()
    page.get_by_role("button", name="Discharge").click()
    # The 40-minute reading was never taken: the last reading alone does not clear it.
    refused(page, "The reading due 40 minutes after the dose was not taken.")
    page.get_by_label("Alert and oriented").check()
    page.get_by_label("Walking steadily").check()
    page.get_by_label("Escort present").check()
    page.get_by_label("Why may the patient leave although a scheduled reading is missing?").fill(
        "Physician reviewed the 2-hour readings: stable."
    )
    page.get_by_role("button", name="Discharge").click()
    page.get_by_role("heading", name="Discharged at").wait_for()
    assert "minutes since the last dose" in page.locator(".checklist").inner_text()
    assert (
        "Discharged without the scheduled reading at 40 min after the dose. "
        "Reason: Physician reviewed the 2-hour readings: stable."
    ) in page.locator("p.missed-readings").inner_text()
    clock = page.locator(".clock").inner_text()
    assert "minutes after the dose" in clock and "since the dose" not in clock

    # The register shows the administration, in mg and tablets, and the new balance.
    page.goto(f"{live_server.url}/register/{ready['montreal'].pk}/")
    lot_row = page.get_by_role("row").filter(has_text="RDT-1")
    assert lot_row.get_by_role("cell").last.inner_text() == "900"
    page.goto(f"{live_server.url}/register/{ready['montreal'].pk}/ledger/")
    administration = page.get_by_role("row").filter(has_text="Administration")
    assert "-100 (1 × tablet of 100 mg)" in administration.inner_text()  # noqa: RUF001
    assert "900" in administration.inner_text()

    # A second session booked the same day, once the first appointment has ended: checked in,
    # it cannot be cleared.
    ended = timezone.now() - timedelta(minutes=1)
    Attendance.objects.filter(pk=ready["attendance"].pk).update(ends_at=ended)
    Appointment.objects.filter(pk=ready["attendance"].appointment_id).update(ends_at=ended)
    book_session(ready, ready["patient_a"], timezone.now())
    check_in_and_clear(page, tz)
    refused(page, "doses are at least 24 hours apart")
    assert DosingSession.objects.filter(state="cleared_to_dose").count() == 0


def test_a_dose_of_no_whole_number_of_sprays_is_refused_on_the_screen(
    live_server: Any,
    browser: Any,
    ready: dict[str, Any],  # noqa: F811
) -> None:
    """A 28 mg order signed before the 10 mg/spray product was registered: 28 mg is refused."""
    tz = ready["montreal"].tzinfo
    ordering.sign_order(
        by=ready["physician"],
        patient=ready["patient_a"],
        route="intranasal_spray",
        dose_mg=28,
        expires_on=date.today() + timedelta(days=30),
        supersedes=ready["order"],
        reason_for_change="Spray",
    )
    spray = Product.objects.create(
        name="Ketamine spray", form=ProductForm.NASAL_SPRAY, strength_mg=10, unit="spray"
    )
    lot = receive_stock(
        by=ready["clinic_admin"],
        clinic=ready["montreal"],
        product=spray,
        lot_number="SPR-1",
        expiry=date.today() + timedelta(days=200),
        supplier="Compounding pharmacy",
        invoice="INV-2",
        quantity_mg=500,
    ).lot
    page = open_tablet(browser, live_server, ready["nurse"])
    check_in_and_clear(page, tz)
    page.get_by_label("Given at").fill(local_minute(timezone.now(), tz))
    assert page.get_by_label("Dose (mg)").input_value() == "28"
    label = f"Ketamine spray 10 mg/spray — SPR-1 ({lot.expiry:%Y-%m-%d})"
    page.get_by_label("Product and lot").select_option(label=label)
    page.get_by_role("button", name="Record the dose").click()
    refused(page, "28 mg is not a whole number of spray of Ketamine spray (10 mg each)")
    assert not Administration.objects.exists()
