"""'Today' and the times on pages are the clinic's (or the province's), never the server's.

settings.TIME_ZONE is Toronto, so each test runs at 2026-03-10 04:30 UTC: 00:30 on 10 March in
Toronto and Montreal, still 21:30 on 9 March in Vancouver. A test passes only when the Vancouver
value is used."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.accounts import credentials
from kapclinic.accounts.models import Credential
from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Clinic, latest_today, province_today
from kapclinic.dosing.forms import VitalsForm
from kapclinic.patients.forms import PatientForm
from kapclinic.referrals.forms import ReferralForm
from kapclinic.screening.models import Determination
from tests.factories import PatientFactory, UserFactory, condition, signed_eligible

MOMENT = datetime(2026, 3, 10, 4, 30, tzinfo=UTC)
VANCOUVER_TODAY = date(2026, 3, 9)
TORONTO_TODAY = date(2026, 3, 10)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen() -> Any:
    with freeze_time(MOMENT):
        assert timezone.localdate() == TORONTO_TODAY  # the server's date is the wrong one
        yield


def test_the_clinic_and_the_province_give_their_own_date_and_time(
    network: dict[str, Any],
) -> None:
    vancouver: Clinic = network["vancouver"]
    assert vancouver.today() == VANCOUVER_TODAY
    assert vancouver.now().strftime("%Y-%m-%d %H:%M") == "2026-03-09 21:30"
    assert province_today("BC") == VANCOUVER_TODAY and province_today("QC") == TORONTO_TODAY
    assert latest_today([vancouver]) == VANCOUVER_TODAY
    assert latest_today([vancouver, network["montreal"]]) == TORONTO_TODAY


def referral_data(**overrides: Any) -> dict[str, Any]:
    return {
        "given_name": "Léa",
        "family_name": "Fortin",
        "date_of_birth": "2026-03-10",
        "province": "BC",
        "phone": "604-555-0142",
        "preferred_language": "en",
        "condition": condition("depression").pk,
        "reason": "Depression.",
        "patient_agreed": "on",
        **overrides,
    }


def test_a_referral_born_tomorrow_in_bc_is_refused_though_it_is_today_in_toronto(
    network: dict[str, Any],
) -> None:
    form = ReferralForm(referral_data())
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert "date_of_birth" not in ReferralForm(referral_data(province="QC")).errors
    assert "date_of_birth" not in ReferralForm(referral_data(date_of_birth="2026-03-09")).errors


def test_a_patient_of_the_vancouver_clinic_cannot_be_born_on_torontos_today(
    network: dict[str, Any],
) -> None:
    data = {
        "clinic": network["vancouver"].pk,
        "legal_given_name": "Ana",
        "legal_family_name": "Ng",
        "date_of_birth": "2026-03-10",
        "preferred_language": "en",
    }
    form = PatientForm(data, clinics=Clinic.objects.all())
    form.is_valid()
    assert form.errors["date_of_birth"] == ["The date of birth cannot be in the future."]


def test_a_credential_expiring_on_vancouvers_today_is_still_valid_there(
    network: dict[str, Any],
) -> None:
    nurse = UserFactory(role=Role.NURSE, clinics=[network["vancouver"]])
    held = Credential.objects.create(
        user=nurse,
        kind="licence",
        issuer="BCCNM",
        number="1",
        issued_on=date(2025, 3, 9),
        expires_on=VANCOUVER_TODAY,
        recorded_by=nurse,
    )
    found = credentials.expiring(clinics=Clinic.objects.filter(pk=network["vancouver"].pk))
    assert held in list(found)


def test_the_dosing_forms_offer_the_clinics_time_now(network: dict[str, Any]) -> None:
    """The session views open the session in its clinic's zone (dosing.views.session_view)."""
    with timezone.override(network["vancouver"].tzinfo):
        initial = VitalsForm()["taken_at"].value()
    assert initial.strftime("%Y-%m-%d %H:%M") == "2026-03-09 21:30"


def test_a_staff_page_shows_times_on_the_clinics_clock(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """The screening page prints the signing time with no zone of its own: the signed-in
    physician's clinic zone is active for every page they open."""
    patient = PatientFactory(clinic=network["vancouver"])
    determination = signed_eligible(patient)
    assert isinstance(determination, Determination)
    physician = determination.signed_by
    html = (
        login(client, physician)
        .get(reverse("screening:screening", kwargs={"patient_id": patient.pk}))
        .content.decode()
    )
    assert "2026-03-09 21:30" in html
    assert "2026-03-10 00:30" not in html


def test_a_referrer_reads_a_vancouver_referrals_history_on_vancouvers_clock(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """A referrer works in no clinic: the history is shown in the referral's clinic's zone."""
    from kapclinic.referrals.models import ReferralStatusChange
    from tests.factories import ReferralFactory

    referral = ReferralFactory(
        clinic=network["vancouver"], referrer=network["referrer_profile"], province="BC"
    )
    ReferralStatusChange.objects.create(referral=referral, to_status="received", at=MOMENT)
    html = login(client, network["referrer"]).get(reverse("referrals:portal")).content.decode()
    assert "2026-03-09 21:30" in html and "2026-03-10 00:30" not in html


def test_a_network_wide_physician_reads_the_screening_on_the_patients_clinic_clock(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = PatientFactory(clinic=network["vancouver"])
    signed_eligible(patient)
    reader = UserFactory(role=Role.PHYSICIAN, clinics=[network["montreal"], network["vancouver"]])
    html = (
        login(client, reader)
        .get(reverse("screening:screening", kwargs={"patient_id": patient.pk}))
        .content.decode()
    )
    assert "2026-03-09 21:30" in html and "2026-03-10 00:30" not in html
