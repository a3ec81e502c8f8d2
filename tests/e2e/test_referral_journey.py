"""A referrer sends an e-referral; a coordinator contacts the patient; the referrer sees it."""

from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from tests.e2e.conftest import sign_in
from tests.factories import ClinicFactory, ReferrerFactory, UserFactory, condition

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()


def test_referral_from_portal_to_first_contact(live_server: Any, page: Any, settings: Any) -> None:
    settings.DEMO = True
    clinic = ClinicFactory(name="Clinique KAP Montréal")
    condition("depression")
    referrer = ReferrerFactory(user=UserFactory(role=Role.REFERRER, email="dr.roy@example.test"))
    coordinator = UserFactory(role=Role.INTAKE, clinics=[clinic], email="coordo@example.test")

    sign_in(page, live_server.url, referrer.user.email)
    page.get_by_role("link", name="My referrals").first.click()
    page.get_by_role("link", name="New referral").click()
    page.get_by_label("Given name").fill("Léa")
    page.get_by_label("Family name").fill("Fortin")
    page.get_by_label("Date of birth").fill("1990-04-05")
    page.get_by_label("Province").select_option("QC")
    page.get_by_label("Health number").fill("FORL 9054 0512")
    page.get_by_label("Phone").fill("514-555-0142")
    page.get_by_label("Condition").select_option(label="Depression")
    page.get_by_label("Reason for referral").fill("Depression after two antidepressant trials.")
    page.get_by_label("Attachments").set_input_files(
        files=[{"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("The patient agreed to be referred").check()
    page.get_by_role("button", name="Submit referral").click()
    page.get_by_text("Referral sent.").wait_for()
    sign_out(page)

    sign_in(page, live_server.url, coordinator.email)
    page.get_by_role("link", name="Intake queue").first.click()
    first_row = page.locator("table.queue tbody tr").first
    assert "Fortin, Léa" in first_row.inner_text()
    assert "hours" in first_row.locator("td").first.inner_text()  # the countdown
    first_row.get_by_role("link").first.click()
    page.get_by_label("Method").select_option("phone")
    page.get_by_label("Outcome").select_option("reached")
    page.get_by_role("button", name="Log the attempt").click()
    page.get_by_text("Contact attempt logged.").wait_for()
    sign_out(page)

    sign_in(page, live_server.url, referrer.user.email)
    page.get_by_role("link", name="My referrals").first.click()
    assert "Contacted" in page.locator("td strong.status").first.inner_text()
