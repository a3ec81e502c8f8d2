"""Letters to the referrer: consent gating, physician only, versions, deliveries, audit."""

import hashlib
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.errors import Conflict, NotPermitted
from kapclinic.sharedcare import services, tasks
from kapclinic.sharedcare.models import DeliveryLog, Letter, LetterKind, LetterStatus
from tests.factories import ReferrerFactory, UserFactory
from tests.sharedcare.conftest import scores, share_consent

pytestmark = pytest.mark.django_db


def test_a_letter_is_refused_without_consent_to_share(referred: dict[str, Any]) -> None:
    with pytest.raises(services.SharingNotConsented) as refused:
        services.draft_letter(
            by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
        )
    assert "not consented to share" in refused.value.message
    assert "Only the acknowledgement of receipt" in refused.value.message
    assert not Letter.objects.exists()


def test_the_acknowledgement_goes_without_consent(referred: dict[str, Any]) -> None:
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.ACKNOWLEDGEMENT
    )
    released = services.release_letter(by=referred["physician"], letter_id=letter.pk)
    assert released.status == LetterStatus.RELEASED
    assert bytes(released.pdf).startswith(b"%PDF")


def test_a_consent_withdrawn_before_release_stops_the_letter(referred: dict[str, Any]) -> None:
    consent = share_consent(referred["patient_a"], referred["physician"])
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    consent.withdrawn_at = timezone.now()
    consent.save()
    with pytest.raises(services.SharingNotConsented):
        services.release_letter(by=referred["physician"], letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT


@pytest.mark.parametrize("role", ["nurse", "therapist", "intake"])
def test_only_a_physician_drafts(referred: dict[str, Any], role: str) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    with pytest.raises(NotPermitted):
        services.draft_letter(
            by=referred[role], patient=referred["patient_a"], kind=LetterKind.PROGRESS
        )


def test_no_referrer_no_letter(referred: dict[str, Any]) -> None:
    patient = referred["patient_a"]
    patient.referrals.update(referrer=None)
    with pytest.raises(services.LetterError, match="No referring professional"):
        services.draft_letter(
            by=referred["physician"], patient=patient, kind=LetterKind.ACKNOWLEDGEMENT
        )


def _released(people: dict[str, Any], kind: str = LetterKind.PROGRESS, note: str = "") -> Letter:
    share_consent(people["patient_a"], people["physician"])
    letter = services.draft_letter(
        by=people["physician"], patient=people["patient_a"], kind=kind, note=note
    )
    return services.release_letter(by=people["physician"], letter_id=letter.pk)


def test_a_correction_is_a_new_version_and_supersedes_the_old(referred: dict[str, Any]) -> None:
    first = _released(referred, note="Dose held at 50 mg.")
    original = hashlib.sha256(bytes(first.pdf)).hexdigest()
    correction = services.correct_letter(
        by=referred["physician"], letter=first, note="Dose held at 75 mg."
    )
    assert (correction.version, correction.supersedes_id) == (2, first.pk)
    first.refresh_from_db()
    assert first.status == LetterStatus.RELEASED  # until the correction is released
    services.release_letter(by=referred["physician"], letter_id=correction.pk)
    first.refresh_from_db()
    assert first.status == LetterStatus.SUPERSEDED
    assert first.superseded_at is not None
    assert hashlib.sha256(bytes(first.pdf)).hexdigest() == original == first.pdf_sha256


def test_a_released_letter_is_not_released_or_corrected_twice(referred: dict[str, Any]) -> None:
    first = _released(referred)
    with pytest.raises(Conflict, match="already released"):
        services.release_letter(by=referred["physician"], letter_id=first.pk)
    services.correct_letter(by=referred["physician"], letter=first, note="Fix")
    with pytest.raises(Conflict, match="already drafted"):
        services.correct_letter(by=referred["physician"], letter=first, note="Fix again")


def test_a_draft_is_not_corrected(referred: dict[str, Any]) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    draft = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    with pytest.raises(Conflict, match="current released version"):
        services.correct_letter(by=referred["physician"], letter=draft, note="x")


def test_release_logs_the_portal_and_queues_the_email(
    referred: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        letter = _released(referred)
    logged = list(DeliveryLog.objects.filter(letter=letter).values_list("channel", "status"))
    assert logged == [("portal", "available"), ("email", "queued")]
    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert list(queued) == ["kapclinic.sharedcare.tasks.email_letter_notice"]  # no fax gateway


def test_the_email_links_to_the_portal_and_carries_no_health_information(
    referred: dict[str, Any],
) -> None:
    letter = _released(referred, note="PHQ-9 fell from 21 to 8.")
    assert tasks.email_letter_notice.call(letter.pk) == "sent"
    (message,) = mail.outbox
    body = message.subject + message.body
    assert "/refer/letters/" in body
    patient = referred["patient_a"]
    for secret in (patient.legal_given_name, patient.legal_family_name, "PHQ", "21", "1985"):
        assert secret not in body
    assert message.attachments == []
    last = DeliveryLog.objects.filter(letter=letter).last()
    assert (last.channel, last.status, last.address) == ("email", "sent", letter.referrer.email)


def test_the_fax_goes_through_the_email_gateway(referred: dict[str, Any], settings: Any) -> None:
    settings.FAX_GATEWAY_DOMAIN = "fax.example.test"
    referrer = referred["referrer_profile"]
    referrer.fax = "514-555-0177"
    referrer.save()
    letter = _released(referred)
    assert DeliveryLog.objects.filter(letter=letter, channel="fax", status="queued").exists()
    assert tasks.fax_letter.call(letter.pk) == "sent"
    (fax,) = mail.outbox
    assert fax.to == ["5145550177@fax.example.test"]
    assert fax.attachments[0][1] == bytes(letter.pdf)
    last = DeliveryLog.objects.filter(letter=letter).last()
    assert (last.channel, last.status) == ("fax", "sent")


class RefusingGateway:
    def send(self, *, number: str, pdf: bytes, filename: str) -> str:
        raise RuntimeError("line busy")


def test_a_failed_fax_is_logged(referred: dict[str, Any], settings: Any) -> None:
    settings.FAX_GATEWAY = "tests.sharedcare.test_services.RefusingGateway"
    referred["referrer_profile"].fax = "514-555-0177"
    referred["referrer_profile"].save()
    letter = _released(referred)
    assert tasks.fax_letter.call(letter.pk) == "failed"
    last = DeliveryLog.objects.filter(letter=letter).last()
    assert (last.status, last.detail) == ("failed", "line busy")


def test_render_release_and_download_are_audited(referred: dict[str, Any]) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    physician, referrer = referred["physician"], referred["referrer"]
    letter = services.draft_letter(
        by=physician, patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    services.preview_pdf(by=physician, letter=letter)
    services.release_letter(by=physician, letter_id=letter.pk)
    letter.refresh_from_db()
    pdf = services.download_letter(by=referrer, letter=letter)
    assert pdf == bytes(letter.pdf)
    events = AuditEvent.objects.filter(object_id=str(letter.pk), object_type="sharedcare.letter")
    kinds = [(e.action, e.actor_id, sorted(e.detail)) for e in events.order_by("id")]
    assert kinds == [
        (Action.CREATE, physician.pk, []),
        (Action.READ, physician.pk, ["trajectory"]),
        (Action.READ, physician.pk, ["render", "status"]),
        (Action.READ, physician.pk, ["trajectory"]),
        (Action.UPDATE, physician.pk, ["released", "sha256", "version"]),
        (Action.EXPORT, referrer.pk, ["download", "version"]),
    ]
    assert DeliveryLog.objects.filter(letter=letter, status="downloaded").count() == 1


def test_a_draft_is_not_downloaded(referred: dict[str, Any]) -> None:
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.ACKNOWLEDGEMENT
    )
    with pytest.raises(Conflict, match="release it first"):
        services.download_letter(by=referred["physician"], letter=letter)


def test_the_letter_is_in_the_referrers_language(referred: dict[str, Any]) -> None:
    referred["referrer"].language = "fr"
    referred["referrer"].save()
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.ACKNOWLEDGEMENT
    )
    assert letter.language == "fr"
    other = ReferrerFactory(user=UserFactory(role="referrer", language="en"))
    assert other.user.language == "en"


def test_the_database_refuses_to_change_a_released_letter(referred: dict[str, Any]) -> None:
    letter = _released(referred)
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(note="Rewritten after the fact.")
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic():
        Letter.objects.filter(pk=letter.pk)._raw_delete("default")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DeliveryLog.objects.filter(letter=letter).update(status="sent")
    letter.refresh_from_db()
    assert letter.note == ""


def test_drawing_the_charts_is_audited_as_a_read_of_the_instruments(
    referred: dict[str, Any],
) -> None:
    scores(referred["patient_a"], [14, 9], instrument="GAD-7")
    share_consent(referred["patient_a"], referred["physician"])
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    services.release_letter(by=referred["physician"], letter_id=letter.pk)
    event = AuditEvent.objects.get(object_id=str(letter.pk), detail__has_key="trajectory")
    assert (event.action, event.patient_id) == (Action.READ, referred["patient_a"].pk)
    assert event.detail["trajectory"] == ["PHQ-9", "GAD-7"]


def test_a_letter_without_a_chart_audits_no_chart_read(referred: dict[str, Any]) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.ACKNOWLEDGEMENT
    )
    services.release_letter(by=referred["physician"], letter_id=letter.pk)
    assert not AuditEvent.objects.filter(detail__has_key="trajectory").exists()
