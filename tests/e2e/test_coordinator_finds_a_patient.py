"""A coordinator signs in, finds a patient by health number, opens the chart, reads it in French."""

from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from tests.factories import PASSWORD, ClinicFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.browser


def test_coordinator_finds_patient_by_health_number_and_reads_chart_in_french(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.DEMO = True
    clinic = ClinicFactory(name="Clinique KAP Montréal")
    coordinator = UserFactory(
        role=Role.INTAKE, clinics=[clinic], email="coordo@example.test", full_name="Coordo Test"
    )
    PatientFactory(
        clinic=clinic,
        legal_given_name="Éloïse",
        legal_family_name="Bergeron",
        health_number_province="QC",
        health_number="BERE85561512",
    )

    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome, Coordo Test").wait_for()

    page.get_by_role("link", name="Patients").first.click()
    page.get_by_label("Name, date of birth (YYYY-MM-DD) or health number").fill("BERE 8556 1512")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Bergeron, Éloïse").click()

    header = page.get_by_role("region", name="Alerts")
    header.wait_for()
    assert "Date of birth" in page.content()

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.get_by_role("heading", name="Bergeron, Éloïse").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    body = page.locator("main").inner_text()
    assert "Date de naissance" in body
    assert "Numéro d\u2019assurance maladie" in body
    assert "Aucune alerte" in body
