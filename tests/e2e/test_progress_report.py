"""The physician releases a progress report; the referrer signs in to the referrer portal, sees
it and downloads the PDF, in real Chromium."""

from typing import Any

import pytest

from kapclinic.accounts.roles import Role
from kapclinic.care.models import Enrolment
from kapclinic.patients.models import CareRole
from kapclinic.sharedcare.models import Letter
from tests.e2e.conftest import sign_in
from tests.factories import (
    CareTeamMemberFactory,
    ClinicFactory,
    PatientFactory,
    ReferralFactory,
    ReferrerFactory,
    UserFactory,
    seeded_programs,
    signed_eligible,
)
from tests.sharedcare.conftest import scores, share_consent

pytestmark = pytest.mark.browser


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()


def test_the_referrer_reads_the_released_progress_report(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.DEMO = True
    # A loaded machine (eight test runs on two cores) needs longer than the default 15 s.
    page.set_default_timeout(60_000)
    clinic = ClinicFactory(name="Clinique KAP Montréal")
    physician = UserFactory(
        role=Role.PHYSICIAN, clinics=[clinic], email="dr.kap@example.test", full_name="Dr Kap"
    )
    referrer = ReferrerFactory(user=UserFactory(role=Role.REFERRER, email="dr.roy@example.test"))
    patient = PatientFactory(clinic=clinic, legal_given_name="Léa", legal_family_name="Fortin")
    ReferralFactory(clinic=clinic, referrer=referrer, patient=patient)
    CareTeamMemberFactory(patient=patient, user=referrer.user, care_role=CareRole.REFERRER)
    signed_eligible(patient)
    Enrolment.objects.create(
        patient=patient,
        program=seeded_programs()["standard"],
        enrolled_by=physician,
        stage="integrate",
    )
    scores(patient, [20, 15, 11])
    share_consent(patient, physician)

    sign_in(page, live_server.url, physician.email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/letters/")
    page.get_by_label("Letter").select_option("progress")
    page.get_by_label("Physician's note").fill("Good response so far; next review in 4 weeks.")
    page.get_by_role("button", name="Draft").click()
    page.get_by_text("Letter drafted").wait_for()
    page.get_by_role("button", name="Release to the referrer").click()
    page.get_by_text("Letter released to the referrer.").wait_for()
    assert "Available in the portal" in page.locator("table.deliveries").inner_text()
    sign_out(page)

    sign_in(page, live_server.url, referrer.user.email)
    page.get_by_role("link", name="Letters").first.click()
    row = page.locator("table.letters tbody tr").first
    assert "Progress report" in row.inner_text()
    assert "Léa Fortin" in row.inner_text()
    with page.expect_download() as downloading:
        row.get_by_role("link", name="Download (version 1)").click()
    download = downloading.value
    path = download.path()
    assert path is not None
    with open(path, "rb") as pdf:
        content = pdf.read()
    letter = Letter.objects.get()
    assert content == bytes(letter.pdf)
    assert letter.deliveries.filter(status="downloaded").exists()
