"""A patient answers PHQ-9 on a phone from a single-use link; item 9 = 1 reaches the physician."""

from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from kapclinic.patients.models import CareRole
from kapclinic.screening.services import assign_questionnaires, issue_access_link
from tests.e2e.conftest import sign_in
from tests.factories import (
    CareTeamMemberFactory,
    ClinicFactory,
    PatientFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_item_9_shows_crisis_resources_and_raises_a_flag_the_physician_reviews(
    live_server: Any, browser: Any, page: Any, settings: Any
) -> None:
    settings.DEMO = True
    clinic = ClinicFactory(name="Clinique KAP Montréal", phone="514-555-0100")
    physician = UserFactory(
        role=Role.PHYSICIAN, clinics=[clinic], email="dr@example.test", full_name="Dre Test"
    )
    patient = PatientFactory(
        clinic=clinic, legal_given_name="Jade", legal_family_name="Morin", preferred_language="en"
    )
    CareTeamMemberFactory(patient=patient, user=physician, care_role=CareRole.PHYSICIAN)
    assign_questionnaires(by=physician, patient=patient, instruments=["PHQ-9"])
    token = issue_access_link(by=physician, patient=patient)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/q/{token}/")
    mobile.get_by_role("link", name="PHQ-9").click()
    for item in range(1, 10):
        answer = "Several days" if item == 9 else "Not at all"
        mobile.get_by_role("group", name=f"{item}.").get_by_label(answer).check()
    mobile.get_by_role("button", name="Send my answers").click()
    crisis = mobile.get_by_role("alert")
    crisis.wait_for()
    assert "988" in crisis.inner_text()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    sign_in(page, live_server.url, physician.email)
    page.get_by_role("link", name="My tasks").first.click()
    urgent = page.locator("li.urgent").first
    assert "Urgent" in urgent.inner_text() and "Morin, Jade" in urgent.inner_text()
    urgent.get_by_role("link").click()
    banner = page.locator(".safety-banner")
    assert "Safety: suicidal ideation reported" in banner.inner_text()
    banner.get_by_label("Review note").fill("Called Jade; safe; safety plan reviewed.")
    banner.get_by_role("button", name="Document the review").click()
    page.get_by_text("Review documented.").wait_for()
    assert page.locator(".safety-banner").count() == 0
    page.get_by_role("link", name="My tasks").first.click()
    assert page.locator("li.urgent").count() == 0
