"""A coordinator enrols an eligible patient in the Standard program, books its plan, sees it on
the week view; the patient then sees the appointments in the portal."""

from datetime import date, time, timedelta
from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from kapclinic.scheduling.models import Attendance, Availability
from kapclinic.screening.models import Decision
from kapclinic.screening.workflow import sign_determination, start_screening
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    ClinicFactory,
    PatientFactory,
    RoomFactory,
    UserFactory,
    appointment_types,
    condition,
    credential_all,
    seeded_programs,
)

pytestmark = pytest.mark.browser


def staffed_clinic() -> tuple[Any, dict[str, Any]]:
    clinic = ClinicFactory(name="Clinique KAP Montréal")
    RoomFactory(clinic=clinic, name="Consult")
    RoomFactory(clinic=clinic, name="Calm room", dosing_capable=True)
    appointment_types()
    seeded_programs()
    staff = {
        role: UserFactory(role=role, clinics=[clinic], full_name=f"{role.label} Test")
        for role in (Role.INTAKE, Role.PHYSICIAN, Role.NURSE, Role.THERAPIST)
    }
    for role in (Role.PHYSICIAN, Role.NURSE, Role.THERAPIST):
        credential_all(staff[role])
        for weekday in range(5):
            Availability.objects.create(
                clinician=staff[role], clinic=clinic, weekday=weekday, starts=time(9), ends=time(17)
            )
    return clinic, staff


def test_coordinator_books_the_standard_plan_and_the_patient_sees_it(
    live_server: Any, browser: Any, page: Any, settings: Any
) -> None:
    settings.DEMO = True
    clinic, staff = staffed_clinic()
    patient_user = UserFactory(role=Role.PATIENT, email="jade@example.test")
    patient = PatientFactory(
        clinic=clinic, legal_given_name="Jade", legal_family_name="Morin", user=patient_user
    )
    screening = start_screening(
        by=staff[Role.PHYSICIAN], patient=patient, indication=condition("depression")
    )
    sign_determination(
        by=staff[Role.PHYSICIAN], screening=screening, decision=Decision.ELIGIBLE, password=PASSWORD
    )
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())

    sign_in(page, live_server.url, staff[Role.INTAKE].email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Journey").first.click()
    page.get_by_label("Program").select_option(label="Standard program")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("heading", name="Journey: Standard program").wait_for()

    page.get_by_role("link", name="Appointments").click()
    page.get_by_label("Start on").fill(monday.isoformat())
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("cell", name="Ketamine session 4").wait_for()
    page.get_by_role("button", name="Book these 10 appointments").click()
    page.get_by_text("10 appointments booked.").wait_for()
    assert Attendance.objects.filter(patient=patient, status="booked").count() == 10

    page.get_by_role("link", name="Week").click()
    page.goto(page.url.split("?")[0] + f"?start={monday.isoformat()}")
    page.get_by_role("heading", name="Rooms").wait_for()
    rooms = page.locator("table.week").first
    assert rooms.get_by_role("link", name=patient.display_name).count() >= 1
    assert "Preparation session" in rooms.inner_text()

    portal = browser.new_context(locale="en-CA").new_page()
    portal.goto(f"{live_server.url}/accounts/login/")
    portal.get_by_label("Email").fill(patient_user.email)
    portal.get_by_label("Password").fill(PASSWORD)
    portal.get_by_role("button", name="Sign In").click()
    portal.get_by_role("navigation", name="Main").get_by_role("link", name="My care").click()
    portal.get_by_role("heading", name="Your appointments").wait_for()
    listed = portal.locator("ul.appointments li")
    assert listed.count() == 10
    assert "Preparation session" in listed.first.inner_text()
    assert portal.get_by_role("link", name="Add to my calendar").count() == 10
    portal.context.close()
