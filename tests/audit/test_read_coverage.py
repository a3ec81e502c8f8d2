"""Reads that used to leave no trace (issue 11, item 8): each page or email that shows a patient's
details writes its audit event, and a failed MFA code is in the trail (without the code)."""

from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.referrals.models import Referral
from kapclinic.referrals.tasks import acknowledge_referral, notify_referrer
from kapclinic.screening.workflow import start_screening
from tests.factories import PASSWORD, ReferralFactory, condition
from tests.screening.test_services import PHQ9_ITEM9_ONE, record


def _last_id() -> int:
    """The newest event's id (not a count: a PostgreSQL sequence outlives rolled-back tests)."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_the_screening_page_is_a_read_of_the_patient(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = network["patient_a"]
    start_screening(
        by=network["nurse"], patient=patient, indication=condition("depression"), referral=None
    )
    url = reverse("screening:screening", kwargs={"patient_id": patient.pk})
    before = _last_id()
    assert login(client, network["physician"]).get(url).status_code == 200
    reads = _events(pk__gt=before, action=Action.READ, actor=network["physician"])
    assert [(e.patient_id, e.detail) for e in reads] == [(patient.pk, {"view": "screening"})]


def test_my_tasks_audits_the_patients_it_lists_in_one_event(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    record(network["nurse"], network["patient_a"], PHQ9_ITEM9_ONE)  # urgent tasks for clinicians
    therapist = network["therapist"]  # on patient A's care team
    assert therapist.tasks.exists()
    before = _last_id()
    page = login(client, therapist).get(reverse("screening:tasks"))
    assert "Zzyzx-Patient" in page.content.decode()
    listed = _events(pk__gt=before, actor=therapist, action=Action.SEARCH)
    assert [(e.patient_id, e.detail) for e in listed] == [
        (None, {"list": "my_tasks", "patients": [network["patient_a"].pk]})
    ]


def test_a_referrers_draft_is_audited_when_saved_and_when_read(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    referrer = network["referrer"]
    client = login(client, referrer)
    fields = {
        "given_name": "Draftina",
        "family_name": "Unsent",
        "date_of_birth": "1990-04-05",
        "province": "QC",
        "phone": "514-555-0142",
        "preferred_language": "fr",
        "condition": condition("depression").pk,
        "reason": "Still writing it.",
    }
    before = _last_id()
    response = client.post(reverse("referrals:new"), fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Referral.objects.get(family_name="Unsent")
    saved = _events(pk__gt=before, actor=referrer, object_id=str(draft.pk))
    assert [(e.action, e.detail) for e in saved] == [(Action.CREATE, {"draft": True})]

    before = _last_id()
    assert "Unsent" in client.get(reverse("referrals:portal")).content.decode()
    listed = _events(pk__gt=before, actor=referrer, object_type="referrals.referral")
    assert [(e.object_id, e.action) for e in listed] == [(str(draft.pk), Action.SEARCH)]

    before = _last_id()
    client.get(reverse("referrals:edit", kwargs={"referral_id": draft.pk}))
    read = _events(pk__gt=before, actor=referrer)
    assert [(e.object_id, e.action) for e in read] == [(str(draft.pk), Action.READ)]


def test_the_acknowledgement_email_is_an_export_of_the_referral(network: dict[str, Any]) -> None:
    referral = network["referral"]
    assert acknowledge_referral.call(referral.pk) == "sent"
    assert len(mail.outbox) == 1
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.patient_id == network["patient_a"].pk
    assert export.object_id == str(referral.pk)
    assert export.detail == {"email": "acknowledgement", "to": "referrer"}


def test_the_status_email_is_an_export_of_the_referral(network: dict[str, Any]) -> None:
    referral = ReferralFactory(clinic=network["montreal"], referrer=network["referrer_profile"])
    assert notify_referrer.call(referral.pk) == "sent"
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert (export.object_id, export.patient_id) == (str(referral.pk), None)
    assert export.detail == {"email": "status", "to": "referrer"}


def test_a_failed_totp_code_is_audited_without_the_code(network: dict[str, Any]) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    nurse = network["nurse"]
    TOTP.activate(nurse, "JBSWY3DPEHPK3PXP")
    client = Client()
    credentials = {"login": nurse.email, "password": PASSWORD}
    signed = client.post(reverse("account_login"), credentials, REMOTE_ADDR="10.1.1.1")
    assert signed.status_code == 302 and "2fa" in signed["Location"]
    wrong = client.post(signed["Location"], {"code": "000000"}, REMOTE_ADDR="10.1.1.1")
    assert wrong.status_code == 200
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.outcome == Outcome.FAILURE
    assert failed.object_id == str(nurse.pk)
    assert failed.client_address == "10.1.1.1"
    assert failed.detail == {"mfa": "totp", "reauthentication": False}
    assert "000000" not in str(failed.detail) + failed.reason


def test_the_paper_answers_form_names_the_patient_and_is_audited(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = network["patient_a"]
    url = reverse("screening:enter", kwargs={"patient_id": patient.pk, "instrument": "GAD-7"})
    before = _last_id()
    page = login(client, network["nurse"]).get(url)
    assert "Zzyzx-Patient" in page.content.decode()
    reads = _events(pk__gt=before, action=Action.READ)
    assert [(e.patient_id, e.detail) for e in reads] == [
        (patient.pk, {"view": "questionnaire_entry"})
    ]
