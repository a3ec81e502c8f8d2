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
