"""Findings update as the screening's answers change, in the browser."""

from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from kapclinic.screening.workflow import start_screening
from tests.e2e.conftest import sign_in
from tests.factories import ClinicFactory, PatientFactory, UserFactory, condition

pytestmark = pytest.mark.browser


def test_checking_pregnant_updates_the_findings(live_server: Any, page: Any, settings: Any) -> None:
    settings.DEMO = True
    clinic = ClinicFactory()
    nurse = UserFactory(role=Role.NURSE, clinics=[clinic])
    patient = PatientFactory(clinic=clinic)
    start_screening(by=nurse, patient=patient, indication=condition("depression"))

    sign_in(page, live_server.url, nurse.email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/screening/")
    assert "eligible" in page.locator(".outcome").inner_text()
    page.get_by_label("Pregnant").check()  # no Save click: the change submits the form
    page.locator(".outcome-ineligible").wait_for()
    findings = page.locator(".findings").inner_text()  # in words, not the rule's code
    assert "Absolute — Currently pregnant" in findings and "contraindication." not in findings


def test_typing_quickly_loses_nothing_keeps_focus_and_waits_for_both_pressures(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.DEMO = True
    clinic = ClinicFactory()
    nurse = UserFactory(role=Role.NURSE, clinics=[clinic])
    patient = PatientFactory(clinic=clinic)
    screening = start_screening(by=nurse, patient=patient, indication=condition("depression"))

    sign_in(page, live_server.url, nurse.email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/screening/")
    typed = {  # in the form's order
        "Current medications": "sertraline 100 mg",
        "Substance use": "none",
        "Systolic (mmHg)": "182",
        "Diastolic (mmHg)": "112",
        "Pulse (bpm)": "88",
    }
    page.get_by_label("Current medications").click()
    for value in typed.values():  # as fast as a person tabbing through, no pause between fields
        page.keyboard.type(value, delay=5)
        page.keyboard.press("Tab")
    page.keyboard.type("3", delay=5)  # still typing in the next field (failed trials)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # any reload or late answer would have landed by now
    for label, value in typed.items():
        assert page.get_by_label(label).input_value() == value, label
    assert page.evaluate("document.activeElement.value") == "3"  # focus never moved
    assert "Give both blood pressure numbers" not in page.content()
    page.locator(".finding").first.wait_for()
    screening.refresh_from_db()
    assert (screening.systolic, screening.diastolic, screening.pulse) == (182, 112, 88)
    assert screening.medications == "sertraline 100 mg"
