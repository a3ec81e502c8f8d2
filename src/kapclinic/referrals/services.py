"""Writes on referrals: receive, contact, change status. One transaction each, audited.

The 24-hour clock: contact_due_at = received_at + CONTACT_PROMISE_HOURS, in absolute time
(UTC), so a daylight-saving change neither shortens nor lengthens the promise.
"""

from datetime import date, timedelta
from typing import TypedDict

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.ages import age_on
from kapclinic.clinics.models import Clinic
from kapclinic.errors import Conflict, NotFound, NotPermitted
from kapclinic.patients.access import visible_patients
from kapclinic.patients.errors import DuplicatePatient
from kapclinic.patients.models import CareRole, Patient
from kapclinic.patients.services import (
    add_to_care_team,
    match_for_referral,
    new_record_for_referral,
)
from kapclinic.referrals import tasks
from kapclinic.referrals.access import INTAKE_ROLES
from kapclinic.referrals.errors import ReferralCode, ReferralError, WrongStatus
from kapclinic.referrals.files import UNKNOWN, sniff_file
from kapclinic.referrals.inputs import ReferralInput, ReferrerInput
from kapclinic.referrals.models import (
    AWAITING_CONTACT,
    Channel,
    ContactAttempt,
    Contraindication,
    Referral,
    ReferralAttachment,
    ReferralStatusChange,
    Referrer,
    Status,
)

# Where a coordinator may move a referral from each status (the first contact is automatic).
ALLOWED_CHANGES: dict[str, set[str]] = {
    Status.RECEIVED: {
        Status.CONTACTED,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.UNABLE_TO_CONTACT,
    },
    Status.CONTACTED: {Status.SCREENING_BOOKED, Status.DECLINED, Status.WITHDRAWN},
    Status.SCREENING_BOOKED: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    Status.UNABLE_TO_CONTACT: {Status.CONTACTED},
    Status.ON_HOLD: {Status.DECLINED, Status.WITHDRAWN},
}
REASON_REQUIRED = {Status.DECLINED, Status.WITHDRAWN, Status.UNABLE_TO_CONTACT}
# Flag shown in the queue while a proposed existing record waits for intake staff.
POSSIBLE_MATCH = "possible_match"


def _flags(referral: Referral) -> list[str]:
    """What the queue must show about a referral; nothing is dropped for these."""
    flags = []
    today = timezone.localdate(timezone=referral.clinic.tzinfo)
    if age_on(referral.date_of_birth, today) < referral.clinic.jurisdiction.minimum_age:
        flags.append("under_minimum_age")
    if Contraindication.PREGNANCY in referral.contraindications:
        flags.append("pregnant_or_nursing")
    return flags


def _record_change(referral: Referral, to: str, by: User | None, reason: str = "") -> None:
    ReferralStatusChange.objects.create(
        referral=referral, from_status=referral.status, to_status=to, by=by, reason=reason
    )
    referral.status = to
    transaction.on_commit(lambda: tasks.notify_referrer.enqueue(referral.pk))


def _trusted(referral: Referral) -> bool:
    """A source whose identity was checked: a verified referrer (portal or fax). An anonymous
    booking or an unverified referrer's word never links a referral to an existing record."""
    return referral.referrer is not None and referral.referrer.verified


class _Described(TypedDict):
    """The person a referral describes, as the patients app's matching takes them."""

    clinic: Clinic
    given: str
    family: str
    born: date
    province: str
    health_number: str
    phone: str
    email: str
    preferred_language: str


def _described(referral: Referral) -> _Described:
    return _Described(
        clinic=referral.clinic,
        given=referral.given_name,
        family=referral.family_name,
        born=referral.date_of_birth,
        province=referral.province,
        health_number=referral.health_number,
        phone=referral.phone,
        email=referral.email,
        preferred_language=referral.preferred_language,
    )


def _join_care_team(referral: Referral) -> None:
    """A verified referrer follows the patient they referred; an unverified one does not."""
    referrer = referral.referrer
    if referral.patient and referrer is not None and _trusted(referral) and referrer.user:
        add_to_care_team(patient=referral.patient, user=referrer.user, care_role=CareRole.REFERRER)


def _link_patient(referral: Referral, by: User | None) -> None:
    match = match_for_referral(by=by, trusted=_trusted(referral), **_described(referral))
    referral.patient, referral.proposed_patient = match.patient, match.proposed
    if match.proposed is not None:
        referral.flags = [*referral.flags, POSSIBLE_MATCH]
    _join_care_team(referral)


@transaction.atomic
def receive_referral(*, by: User | None, referral: Referral) -> Referral:
    """A complete referral arrives: number it, start the clock, link the patient, acknowledge.

    `by` is None for a self-referral (the person booked on the public page, signed in as no one)."""
    if referral.status != Status.DRAFT:
        raise WrongStatus(_("This referral was already received."))
    if not referral.patient_agreed:
        raise ReferralError(_("Confirm that the patient agreed to be referred."))
    now = timezone.now()
    referral.received_at = now
    referral.flags = _flags(referral)
    offered = referral.condition.offered
    due = now + timedelta(hours=settings.CONTACT_PROMISE_HOURS)
    if offered:
        referral.contact_due_at = due
    referral.save()
    referral.number = f"R{now:%Y}-{referral.pk:06d}"
    _link_patient(referral, by)
    _record_change(referral, Status.RECEIVED if offered else Status.INTEREST_LIST, by)
    referral.save()
    record_event(actor=by, action=Action.CREATE, patient=referral.patient, target=referral)
    if offered:
        transaction.on_commit(lambda: tasks.acknowledge_referral.enqueue(referral.pk))
        warn_at = due - timedelta(hours=settings.CONTACT_WARNING_HOURS)
        transaction.on_commit(
            lambda: tasks.warn_contact_due.using(run_after=warn_at).enqueue(referral.pk)
        )
    return referral


@transaction.atomic
def record_contact_attempt(
    *, by: User, referral_id: int, method: str, outcome: str, note: str = ""
) -> ContactAttempt:
    """Log an attempt; the first successful one stops the clock and marks the referral contacted.

    The referral row is locked first, so two coordinators logging the first contact at the
    same moment make two attempts and one transition.
    """
    referral = Referral.objects.select_for_update().select_related("clinic").get(pk=referral_id)
    if referral.status == Status.DRAFT:
        raise WrongStatus(_("A draft cannot be contacted yet."))
    attempt = ContactAttempt.objects.create(
        referral=referral, by=by, method=method, outcome=outcome, note=note
    )
    if attempt.successful and referral.first_contact_at is None:
        referral.first_contact_at = attempt.at
        if referral.status in (*AWAITING_CONTACT, Status.UNABLE_TO_CONTACT):
            _record_change(referral, Status.CONTACTED, by)
        referral.save()
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=referral.patient,
        target=referral,
        detail={"contact_attempt": outcome},
    )
    return attempt


@transaction.atomic
def change_status(*, by: User, referral_id: int, to: str, reason: str = "") -> Referral:
    """Move a referral along; declining, withdrawing or giving up needs a reason."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if to not in ALLOWED_CHANGES.get(referral.status, set()):
        raise WrongStatus(
            _("A referral that is %(current)s cannot become %(target)s.")
            % {"current": referral.get_status_display(), "target": Status(to).label}
        )
    if to in REASON_REQUIRED and not reason.strip():
        raise ReferralError(
            _("Give the reason for the status %(target)s in the Reason field.")
            % {"target": Status(to).label}
        )
    if to == Status.CONTACTED and referral.first_contact_at is None:
        referral.first_contact_at = timezone.now()
    referral.status_reason = reason
    _record_change(referral, to, by, reason)
    referral.save()
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=referral.patient,
        target=referral,
        reason=reason,
        detail={"status": to},
    )
    return referral


def screening_booked(*, by: User, patient: Patient) -> list[Referral]:
    """The patient's medical screening was booked: each referral of theirs waiting for it
    (Contacted) becomes Screening booked, through change_status (its rules, history, audit)."""
    waiting = Referral.objects.filter(patient=patient, status=Status.CONTACTED).order_by("pk")
    return [
        change_status(by=by, referral_id=pk, to=Status.SCREENING_BOOKED)
        for pk in waiting.values_list("pk", flat=True)
    ]


def _save_attachments(referral: Referral, uploads: list[UploadedFile]) -> None:
    for upload in uploads:
        ReferralAttachment.objects.create(
            referral=referral,
            file=upload,
            original_name=(upload.name or "")[:200],
            content_type=sniff_file(upload) or UNKNOWN,
            size=upload.size or 0,
        )


@transaction.atomic
def save_referral(
    *,
    by: User,
    referrer: Referrer,
    details: ReferralInput,
    attachments: list[UploadedFile],
    referral: Referral | None = None,
    submit: bool = False,
) -> Referral:
    """The referrer's e-referral: saved as a draft, or submitted (received) at once."""
    if referral is not None and referral.status != Status.DRAFT:
        raise WrongStatus(_("A submitted referral can no longer be edited."))
    action = Action.UPDATE if referral is not None else Action.CREATE
    referral = referral or Referral(referrer=referrer, channel=Channel.PORTAL, created_by=by)
    details.write_to(referral)
    referral.clinic = clinic_for_province(referral.province)
    referral.save()
    _save_attachments(referral, attachments)
    if not submit:  # a submission is audited when the clinic receives it
        record_event(actor=by, action=action, target=referral, detail={"draft": True})
    if submit:
        receive_referral(by=by, referral=referral)
        if not referrer.verified:
            referral.flags = [*referral.flags, "unverified_referrer"]
            referral.save(update_fields=["flags"])
    return referral


@transaction.atomic
def receive_faxed_referral(
    *,
    by: User,
    clinic: Clinic,
    referrer: Referrer,
    fax_document: UploadedFile,
    details: ReferralInput,
    attachments: list[UploadedFile],
) -> Referral:
    """A coordinator types in a faxed form; the PDF stays attached as received."""
    referral = Referral(
        referrer=referrer,
        clinic=clinic,
        channel=Channel.FAX,
        created_by=by,
        fax_document=fax_document,
    )
    details.write_to(referral)
    referral.save()
    _save_attachments(referral, attachments)
    return receive_referral(by=by, referral=referral)


def clinic_for_province(province: str) -> Clinic:
    """The clinic that takes referrals from a province (the first, by name)."""
    clinic = Clinic.objects.filter(jurisdiction__province=province).order_by("name").first()
    if clinic is None:
        raise ReferralError(_("No clinic takes referrals from this province yet."))
    return clinic


@transaction.atomic
def add_referrer_from_fax(*, by: User, details: ReferrerInput) -> Referrer:
    """Staff record a referrer known only from a faxed form (no portal account yet)."""
    referrer = Referrer()
    details.write_to(referrer)
    referrer.save()
    record_event(actor=by, action=Action.CREATE, target=referrer, detail={"from": "fax"})
    return referrer


@transaction.atomic
def verify_referrer(*, by: User, referrer_id: int) -> Referrer:
    if by.role != Role.CLINIC_ADMIN:
        raise NotPermitted(_("Only a clinic admin verifies referrers."))
    referrer = Referrer.objects.select_for_update().filter(pk=referrer_id).first()
    if referrer is None:
        raise NotFound(_("No such referrer."))
    referrer.verified_at, referrer.verified_by = timezone.now(), by
    referrer.save(update_fields=["verified_at", "verified_by"])
    for referral in referrer.referrals.filter(patient__isnull=False).select_related("patient"):
        _join_care_team(referral)
    record_event(actor=by, action=Action.UPDATE, target=referrer, detail={"verified": True})
    return referrer


# What a signed screening decision makes of the referral (the status says it in words; a
# re-screening signed later moves an on-hold referral on).
AFTER_DETERMINATION = {
    "eligible": Status.ACCEPTED,
    "not_eligible": Status.DECLINED,
    "eligible_once_managed": Status.ON_HOLD,
}


@transaction.atomic
def follow_determination(*, by: User, referral_id: int, decision: str) -> Referral:
    """The referral takes the status the physician's determination implies.

    The status itself says the decision in the reader's language, so no code or text in the
    signer's language is stored as the reason.
    """
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    to = AFTER_DETERMINATION[decision]
    if referral.status != to:
        _record_change(referral, to, by, "")
        referral.status_reason = ""
        referral.save()
    return referral


@transaction.atomic
def reconcile_patient(*, by: User, referral_id: int, link: bool) -> Referral:
    """Intake staff settle a proposed match: link the referral to the proposed record (one
    they may open, at the referral's clinic), or make a new record. Audited either way."""
    if by.role not in INTAKE_ROLES:
        raise NotPermitted(_("Intake staff reconcile a referral with a patient record."))
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("clinic", "referrer", "proposed_patient")
        .get(pk=referral_id)
    )
    proposed = referral.proposed_patient
    if proposed is None:
        raise Conflict(_("This referral has no proposed record to reconcile."))
    if link:
        if (
            proposed.clinic_id != referral.clinic_id
            or not visible_patients(by).filter(pk=proposed.pk).exists()
        ):
            raise NotPermitted(
                _("This record belongs to another clinic: it cannot be linked from here.")
            )
        referral.patient = proposed
    else:
        try:
            referral.patient = new_record_for_referral(by=by, **_described(referral))
        except DuplicatePatient as error:
            raise ReferralError(error.message, code=ReferralCode.DUPLICATE_NUMBER) from None
    referral.proposed_patient = None
    referral.flags = [flag for flag in referral.flags if flag != POSSIBLE_MATCH]
    referral.save(update_fields=["patient", "proposed_patient", "flags"])
    _join_care_team(referral)
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=referral.patient,
        target=referral,
        detail={"reconciled": "linked" if link else "new_record", "proposed": proposed.pk},
    )
    return referral
