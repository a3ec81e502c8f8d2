"""Writes for care: enrol, record or withdraw consent, finish preparation, move the journey."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.models import (
    Consent,
    ConsentKind,
    Enrolment,
    JourneyTransition,
    ProgramTemplate,
)
from kapclinic.clinical.journey import JourneyFacts, Stage, check_transition
from kapclinic.errors import DomainError
from kapclinic.patients.models import Patient
from kapclinic.screening.models import Decision, Determination


class CareError(DomainError):
    code = "care.invalid"


@transaction.atomic
def enrol(
    *,
    by: Any,
    patient: Patient,
    program: ProgramTemplate,
    supporter_name: str = "",
    supporter_contact: str = "",
) -> Enrolment:
    """Start the journey at Connect; the Introductory program needs a named community supporter."""
    if program.requires_community_support and not (
        supporter_name.strip() and supporter_contact.strip()
    ):
        raise CareError(
            _(
                "The %(program)s is open only with established community support: "
                "give the supporter's name and contact."
            )
            % {"program": program.name_en}
        )
    enrolment = Enrolment.objects.create(
        patient=patient,
        program=program,
        enrolled_by=by,
        supporter_name=supporter_name,
        supporter_contact=supporter_contact,
    )
    record_event(actor=by, action=Action.CREATE, patient=patient, target=enrolment)
    return enrolment


@transaction.atomic
def record_consent(
    *,
    by: Any,
    patient: Patient,
    kind: str,
    text_version: str,
    signed_name: str,
    document: Any = None,
) -> Consent:
    if not signed_name.strip():
        raise CareError(_("The consent needs the signer's name."))
    consent = Consent.objects.create(
        patient=patient,
        kind=kind,
        text_version=text_version,
        signed_name=signed_name,
        document=document or "",
        recorded_by=by,
    )
    record_event(
        actor=by, action=Action.CREATE, patient=patient, target=consent, detail={"kind": kind}
    )
    return consent


@transaction.atomic
def withdraw_consent(*, by: Any, consent: Consent, reason: str) -> Consent:
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record_event(
        actor=by, action=Action.UPDATE, patient=consent.patient, target=consent, reason=reason
    )
    return consent


@transaction.atomic
def mark_preparation_done(*, by: Any, enrolment: Enrolment) -> Enrolment:
    enrolment.preparation_done_at = timezone.now()
    enrolment.save(update_fields=["preparation_done_at"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=enrolment.patient,
        target=enrolment,
        detail={"preparation_done": True},
    )
    return enrolment


def journey_facts(enrolment: Enrolment) -> JourneyFacts:
    """What the record says now: a signed determination, a valid treatment consent, preparation."""
    patient = enrolment.patient
    signed = Determination.objects.filter(
        screening__patient=patient, decision=Decision.ELIGIBLE
    ).exists()
    consent = Consent.objects.filter(
        patient=patient, kind=ConsentKind.TREATMENT, withdrawn_at__isnull=True
    ).exists()
    return JourneyFacts(signed, consent, enrolment.preparation_done_at is not None)


@transaction.atomic
def move_journey(*, by: Any, enrolment_id: int, to: str) -> JourneyTransition:
    """Move to the next stage, or refuse with every reason (clinical.journey decides)."""
    enrolment = Enrolment.objects.select_for_update().select_related("patient").get(pk=enrolment_id)
    check = check_transition(Stage(enrolment.stage), Stage(to), journey_facts(enrolment))
    if not check.allowed:
        raise CareError(
            " ".join(r.sentence for r in check.refusals), refusals=[r.code for r in check.refusals]
        )
    transition = JourneyTransition.objects.create(
        enrolment=enrolment, from_stage=enrolment.stage, to_stage=to, by=by
    )
    enrolment.stage = to
    enrolment.save(update_fields=["stage"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=enrolment.patient,
        target=enrolment,
        detail={"journey": f"{transition.from_stage}->{to}"},
    )
    return transition
