"""Patient matching (issue 11, item 2): a referral is linked to an existing record on its own
only when that is safe; otherwise the record is proposed and intake staff reconcile it."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.errors import NotPermitted
from kapclinic.patients.models import CareRole, Patient
from kapclinic.referrals.errors import ReferralError
from kapclinic.referrals.models import Channel, Referral
from kapclinic.referrals.services import (
    POSSIBLE_MATCH,
    receive_referral,
    reconcile_patient,
    save_referral,
    verify_referrer,
)
from tests.factories import PatientFactory, ReferrerFactory, referral_fields, referral_input

BORN = date(1990, 4, 5)
NUMBER = "FORL90540512"


def submit(referrer: Any, **overrides: Any) -> Referral:
    return save_referral(
        by=referrer.user,
        referrer=referrer,
        details=referral_input(**overrides),
        attachments=[],
        submit=True,
    )


def known(network: dict[str, Any], clinic: str = "montreal", **fields: Any) -> Any:
    values = {
        "legal_given_name": "Léa",
        "legal_family_name": "Fortin",
        "date_of_birth": BORN,
        "health_number_province": "QC",
        "health_number": NUMBER,
    }
    return PatientFactory(clinic=network[clinic], **(values | fields))


def on_care_team(patient: Any, user: Any) -> bool:
    return patient.care_team.filter(user=user, care_role=CareRole.REFERRER).exists()


@pytest.mark.parametrize(
    ("case", "existing", "referral", "verified"),
    [
        ("name and birth date only", {"health_number": ""}, {}, True),
        ("both health numbers differ", {"health_number": "FORL90540599"}, {}, True),
        ("same number, other birth date", {"date_of_birth": date(1985, 6, 15)}, {}, True),
        ("same number, other clinic", {"clinic": "vancouver"}, {}, True),
        ("same number, unverified referrer", {}, {}, False),
    ],
)
def test_an_unsafe_match_is_proposed_never_linked(
    network: dict[str, Any],
    case: str,
    existing: dict[str, Any],
    referral: dict[str, Any],
    verified: bool,
) -> None:
    clinic = existing.pop("clinic", "montreal")
    record = known(network, clinic, **existing)
    referrer = network["referrer_profile"]
    if not verified:
        referrer.verified_at = None
        referrer.save()
    sent = submit(referrer, **referral)
    assert sent.patient is None, case
    assert sent.proposed_patient == record
    assert POSSIBLE_MATCH in sent.flags
    assert not on_care_team(record, referrer.user)


def test_a_name_match_at_another_clinic_stays_out_of_sight(network: dict[str, Any]) -> None:
    """No health number in common: a new record at the referral's clinic, nothing proposed."""
    elsewhere = known(network, "vancouver", health_number="")
    sent = submit(network["referrer_profile"], health_number="")
    assert sent.patient is not None and sent.patient != elsewhere
    assert sent.patient.clinic == network["montreal"] and sent.proposed_patient is None


def test_an_anonymous_booking_is_never_linked(network: dict[str, Any]) -> None:
    record = known(network)
    fields = referral_fields()
    referral = Referral.objects.create(clinic=network["montreal"], channel=Channel.SELF, **fields)
    receive_referral(by=None, referral=referral)
    assert referral.patient is None and referral.proposed_patient == record


def test_intake_staff_link_the_proposed_record_and_it_is_audited(
    network: dict[str, Any],
) -> None:
    record = known(network, health_number="")
    sent = submit(network["referrer_profile"])
    reconciled = reconcile_patient(by=network["intake"], referral_id=sent.pk, link=True)
    assert reconciled.patient == record and reconciled.proposed_patient is None
    assert POSSIBLE_MATCH not in reconciled.flags
    assert on_care_team(record, network["referrer"])
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(sent.pk), patient=record)
    assert event.detail == {"reconciled": "linked", "proposed": record.pk}


def test_intake_staff_make_a_new_record_for_a_different_person(
    network: dict[str, Any],
) -> None:
    record = known(network, health_number="FORL90540599")
    sent = submit(network["referrer_profile"])
    reconciled = reconcile_patient(by=network["nurse"], referral_id=sent.pk, link=False)
    assert reconciled.patient not in (None, record)
    assert reconciled.patient.health_number == NUMBER
    assert Patient.objects.filter(legal_family_name="Fortin").count() == 2


def test_a_record_of_another_clinic_cannot_be_linked_nor_duplicated(
    network: dict[str, Any],
) -> None:
    known(network, "vancouver")
    sent = submit(network["referrer_profile"])
    with pytest.raises(NotPermitted, match="another clinic"):
        reconcile_patient(by=network["intake"], referral_id=sent.pk, link=True)
    with pytest.raises(ReferralError, match="health number already exists"):
        reconcile_patient(by=network["intake"], referral_id=sent.pk, link=False)
    with pytest.raises(NotPermitted):
        reconcile_patient(by=network["billing"], referral_id=sent.pk, link=False)


def test_an_unverified_referrer_joins_the_care_team_once_verified(
    network: dict[str, Any],
) -> None:
    referrer = ReferrerFactory(verified_at=None)
    sent = submit(referrer, health_number="")
    assert sent.patient is not None and not on_care_team(sent.patient, referrer.user)
    verify_referrer(by=network["clinic_admin"], referrer_id=referrer.pk)
    assert on_care_team(sent.patient, referrer.user)


def test_the_referral_page_proposes_the_record_and_reconciles_it(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    record = known(network, health_number="")
    sent = submit(network["referrer_profile"])
    client = login(client, network["intake"])
    url = reverse("referrals:detail", kwargs={"referral_id": sent.pk})
    # The page also lists the attachments and one history of status changes and attempts.
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert "Possible existing record" in html and "Same person: link to this record" in html
    assert AuditEvent.objects.filter(
        action=Action.READ, patient=record, detail__proposed_for=sent.number
    ).exists()
    reconcile = reverse("referrals:reconcile", kwargs={"referral_id": sent.pk})
    assert client.post(reconcile, {"decision": "maybe"}).status_code == 302
    sent.refresh_from_db()
    assert sent.patient is None
    assert client.post(reconcile, {"decision": "link"}).status_code == 302
    sent.refresh_from_db()
    assert sent.patient == record
    assert "Possible existing record" not in client.get(url).content.decode()


def test_another_clinics_record_is_named_by_its_clinic_only(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    known(network, "vancouver", legal_given_name="Hidden")
    sent = submit(network["referrer_profile"], given_name="Léa")
    html = login(client, network["intake"]).get(
        reverse("referrals:detail", kwargs={"referral_id": sent.pk})
    )
    text = html.content.decode()
    assert "held by another clinic (Vancouver)" in text and "Hidden" not in text
