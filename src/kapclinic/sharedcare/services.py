"""Writes for letters to the referrer: draft, release, correct, deliver, download, discharge.

Every letter but the acknowledgement of receipt needs the patient's valid consent to share with
the referring professional, checked when drafted and again when released (a consent withdrawn
in between stops it). Each render, release and download is audited."""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.models import ConsentKind
from kapclinic.care.selectors import valid_consent_kinds
from kapclinic.errors import Conflict, DomainError, NotPermitted
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referral, Referrer
from kapclinic.sharedcare import tasks
from kapclinic.sharedcare.errors import SharedCareCode
from kapclinic.sharedcare.fax import configured_gateway
from kapclinic.sharedcare.models import (
    CONSENT_FREE_KINDS,
    DeliveryChannel,
    DeliveryLog,
    DeliveryStatus,
    Letter,
    LetterStatus,
)
from kapclinic.sharedcare.render import render_letter


class LetterError(DomainError):
    code = SharedCareCode.INVALID


class SharingNotConsented(LetterError):
    code = SharedCareCode.NO_CONSENT


def referrer_of(patient: Patient) -> Referrer | None:
    """The professional who referred the patient (the latest referral naming one)."""
    referral = (
        Referral.objects.filter(patient=patient, referrer__isnull=False)
        .select_related("referrer__user")
        .order_by("-created_at", "-id")
        .first()
    )
    return referral.referrer if referral else None


def may_share(patient: Patient, kind: str) -> bool:
    return kind in CONSENT_FREE_KINDS or (
        ConsentKind.SHARE_WITH_REFERRER in valid_consent_kinds(patient)
    )


def _check_sharing(patient: Patient, kind: str) -> None:
    if not may_share(patient, kind):
        raise SharingNotConsented(
            _(
                "The patient has not consented to share information with the referring "
                "professional: record that consent first. Only the acknowledgement of receipt "
                "is sent without it."
            )
        )


def require_physician(by: User) -> None:
    if by.role != Role.PHYSICIAN:
        raise NotPermitted(_("Only a physician drafts and releases letters to the referrer."))


@transaction.atomic
def draft_letter(*, by: User, patient: Patient, kind: str, note: str = "") -> Letter:
    require_physician(by)
    referrer = referrer_of(patient)
    if referrer is None:
        raise LetterError(_("No referring professional is on file for this patient."))
    _check_sharing(patient, kind)
    language = referrer.user.language if referrer.user else patient.preferred_language
    letter = Letter.objects.create(
        patient=patient, referrer=referrer, kind=kind, language=language, note=note, drafted_by=by
    )
    record_event(actor=by, action=Action.CREATE, patient=patient, target=letter)
    return letter


@transaction.atomic
def correct_letter(*, by: User, letter: Letter, note: str) -> Letter:
    """A released letter is never changed: its correction is a new draft, the next version."""
    require_physician(by)
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if locked.status != LetterStatus.RELEASED:
        raise Conflict(_("Only the current released version of a letter is corrected."))
    if Letter.objects.filter(supersedes=locked).exists():
        raise Conflict(_("A correction of this letter is already drafted."))
    _check_sharing(locked.patient, locked.kind)
    correction = Letter.objects.create(
        patient=locked.patient,
        referrer=locked.referrer,
        kind=locked.kind,
        language=locked.language,
        version=locked.version + 1,
        supersedes=locked,
        note=note,
        drafted_by=by,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=locked.patient,
        target=correction,
        detail={"corrects": locked.pk},
    )
    return correction


def _log(letter: Letter, channel: str, status: str, address: str = "", detail: str = "") -> None:
    DeliveryLog.objects.create(
        letter=letter, channel=channel, status=status, address=address, detail=detail[:300]
    )


def _queue_deliveries(letter: Letter) -> None:
    _log(letter, DeliveryChannel.PORTAL, DeliveryStatus.AVAILABLE)
    referrer = letter.referrer
    if referrer.email:
        _log(letter, DeliveryChannel.EMAIL, DeliveryStatus.QUEUED, referrer.email)
        transaction.on_commit(lambda: tasks.email_letter_notice.enqueue(letter.pk))
    if referrer.fax and configured_gateway() is not None:
        _log(letter, DeliveryChannel.FAX, DeliveryStatus.QUEUED, referrer.fax)
        transaction.on_commit(lambda: tasks.fax_letter.enqueue(letter.pk))


def _audit_charts_read(by: User, letter: Letter, instruments: list[str]) -> None:
    """Drawing the trajectory charts reads the patient's scores and sessions: one read event."""
    if instruments:
        record_event(
            actor=by,
            action=Action.READ,
            patient=letter.patient,
            target=letter,
            detail={"trajectory": instruments},
        )


@transaction.atomic
def release_letter(*, by: User, letter_id: int) -> Letter:
    """Render once, keep the bytes, supersede the version it corrects, deliver."""
    require_physician(by)
    letter = (
        Letter.objects.select_for_update()
        .select_related("patient__clinic", "referrer")
        .get(pk=letter_id)
    )
    if letter.status != LetterStatus.DRAFT:
        raise Conflict(_("This letter was already released; correct it with a new version."))
    _check_sharing(letter.patient, letter.kind)
    now = timezone.now()
    letter.released_by, letter.released_at = by, now
    rendered = render_letter(letter)
    _audit_charts_read(by, letter, rendered.charted_instruments)
    letter.pdf = rendered.pdf
    letter.pdf_sha256 = hashlib.sha256(letter.pdf).hexdigest()
    letter.status = LetterStatus.RELEASED
    letter.save(update_fields=["released_by", "released_at", "pdf", "pdf_sha256", "status"])
    if letter.supersedes_id:
        Letter.objects.filter(pk=letter.supersedes_id).update(
            status=LetterStatus.SUPERSEDED, superseded_at=now
        )
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=letter.patient,
        target=letter,
        detail={"released": True, "version": letter.version, "sha256": letter.pdf_sha256},
    )
    _queue_deliveries(letter)
    return letter


@transaction.atomic
def preview_pdf(*, by: User, letter: Letter) -> bytes:
    """A draft rendered as it would be released (audited as a render)."""
    if letter.status != LetterStatus.DRAFT:
        pdf = bytes(letter.pdf)
    else:
        rendered = render_letter(letter)
        _audit_charts_read(by, letter, rendered.charted_instruments)
        pdf = rendered.pdf
    record_event(
        actor=by,
        action=Action.READ,
        patient=letter.patient,
        target=letter,
        detail={"render": letter.kind, "status": letter.status},
    )
    return pdf


@transaction.atomic
def download_letter(*, by: User, letter: Letter) -> bytes:
    """The released PDF, exactly as sent; a referrer's download is logged as delivered."""
    if letter.status == LetterStatus.DRAFT:
        raise Conflict(_("A draft is not sent; release it first."))
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=letter.patient,
        target=letter,
        detail={"download": letter.kind, "version": letter.version},
    )
    if by.role == Role.REFERRER:
        _log(letter, DeliveryChannel.PORTAL, DeliveryStatus.DOWNLOADED, by.email)
    return bytes(letter.pdf)
