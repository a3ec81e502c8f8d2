"""Writes for care: enrol, record or withdraw consent, finish preparation, move the journey."""

import unicodedata
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.errors import CareCode
from kapclinic.care.models import (
    Consent,
    ConsentKind,
    ConsentText,
    Enrolment,
    JourneyTransition,
    Material,
    MaterialAssignment,
    ProgramTemplate,
)
from kapclinic.care.selectors import current_enrolment, valid_consent_kinds
from kapclinic.care.signals import enrolled
from kapclinic.clinical.dosing import booking_refusals
from kapclinic.clinical.journey import JourneyFacts, Stage, check_transition
from kapclinic.clinical.reasons import Refusal
from kapclinic.errors import DomainError, NotPermitted
from kapclinic.patients.models import Patient
from kapclinic.said import said_all
from kapclinic.screening.models import Decision
from kapclinic.screening.selectors import latest_decision


def _name_key(name: str) -> str:
    """A name compared as a person would: accents, case, punctuation and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().split())


def signs_as(signed_name: str, patient: Patient) -> bool:
    """Whether a typed signature is the patient's name (legal or preferred given name, and
    family name, in either order)."""
    given = {patient.legal_given_name, patient.preferred_name} - {""}
    family = patient.legal_family_name
    names = {_name_key(f"{g} {family}") for g in given} | {
        _name_key(f"{family} {g}") for g in given
    }
    return _name_key(signed_name) in names


class CareError(DomainError):
    code = CareCode.INVALID


def _enrol_refusal(decision: str) -> str:
    if decision == Decision.NOT_ELIGIBLE:
        return _("The patient cannot be enrolled: the latest determination is not eligible.")
    if decision == Decision.ELIGIBLE_ONCE_MANAGED:
        return _(
            "The patient cannot be enrolled yet: the latest determination is eligible once a "
            "condition is managed. Re-screen the patient when it is managed."
        )
    return _("The patient cannot be enrolled before a physician signs an eligible determination.")


@transaction.atomic
def enrol(
    *,
    by: User,
    patient: Patient,
    program: ProgramTemplate,
    supporter_name: str = "",
    supporter_contact: str = "",
) -> Enrolment:
    """Start the journey at Connect, once a physician has signed the patient eligible (the latest
    determination counts); the Introductory program needs a named community supporter."""
    decision = latest_decision(patient)
    if decision != Decision.ELIGIBLE:
        code = f"eligibility.{decision or 'unsigned'}"
        raise CareError(_enrol_refusal(decision), refusals=[code])
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
    MaterialAssignment.objects.bulk_create(
        MaterialAssignment(enrolment=enrolment, material=material)
        for material in Material.objects.filter(active=True)
    )
    record_event(actor=by, action=Action.CREATE, patient=patient, target=enrolment)
    enrolled.send(sender=Enrolment, by=by, enrolment=enrolment)  # outcomes: the schedule
    return enrolment


@transaction.atomic
def record_consent(
    *,
    by: User,
    patient: Patient,
    kind: str,
    text_version: str,
    signed_name: str,
    document: Any = None,
) -> Consent:
    if not signed_name.strip():
        raise CareError(_("The consent needs the signer's name."))
    if by.role == Role.PATIENT and not signs_as(signed_name, patient):
        raise CareError(
            _("Sign with your own full name, as the clinic has it: %(name)s.")
            % {"name": f"{patient.legal_given_name} {patient.legal_family_name}"}
        )
    if not ConsentText.objects.filter(kind=kind, version=text_version).exists():
        raise CareError(
            _("There is no %(kind)s consent text of version %(version)s.")
            % {"kind": kind, "version": text_version}
        )
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
def withdraw_consent(*, by: User, consent: Consent, reason: str) -> Consent:
    if not reason.strip():
        raise CareError(_("Give the reason the consent is withdrawn."))
    if consent.withdrawn_at is not None:
        raise CareError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record_event(
        actor=by, action=Action.UPDATE, patient=consent.patient, target=consent, reason=reason
    )
    return consent


@transaction.atomic
def mark_material_read(*, by: User, assignment: MaterialAssignment) -> MaterialAssignment:
    """The person went through a material or training (they say so in the portal, or staff do)."""
    if assignment.read_at is None:
        assignment.read_at, assignment.read_recorded_by = timezone.now(), by
        assignment.save(update_fields=["read_at", "read_recorded_by"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            patient=assignment.enrolment.patient,
            target=assignment,
            detail={"material": assignment.material.code, "read": True},
        )
    return assignment


@transaction.atomic
def mark_preparation_done(*, by: User, enrolment: Enrolment) -> Enrolment:
    """Preparation is done once every assigned material and training is marked read."""
    assignments = enrolment.materials.filter(read_at__isnull=True).select_related("material")
    unread = [str(a.material) for a in assignments]
    if unread:
        raise CareError(
            _("Preparation is not done: not yet read: %(titles)s.") % {"titles": "; ".join(unread)},
            code=CareCode.MATERIALS_UNREAD,
        )
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
    decision = latest_decision(patient)
    consent = ConsentKind.TREATMENT in valid_consent_kinds(patient)
    return JourneyFacts(
        decision == Decision.ELIGIBLE,
        consent,
        enrolment.preparation_done_at is not None,
        latest_decision=decision,
    )


def dosing_booking_refusals(
    patient: Patient, enrolment: Enrolment | None = None
) -> tuple[Refusal, ...]:
    """Why a ketamine session cannot be booked for the patient yet (clinical.dosing decides,
    from the same enrolment check-in reads: the one given, else the current one)."""
    enrolment = enrolment or current_enrolment(patient)
    decision = latest_decision(patient)
    facts = JourneyFacts(decision == Decision.ELIGIBLE, latest_decision=decision)
    return booking_refusals(enrolment.stage if enrolment else "", facts)


@transaction.atomic
def move_journey(*, by: User, enrolment_id: int, to: str) -> JourneyTransition:
    """Move to the next stage, or refuse with every reason (clinical.journey decides)."""
    enrolment = Enrolment.objects.select_for_update().select_related("patient").get(pk=enrolment_id)
    check = check_transition(Stage(enrolment.stage), Stage(to), journey_facts(enrolment))
    if not check.allowed:
        raise CareError(said_all(check.refusals), refusals=[r.code for r in check.refusals])
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


@transaction.atomic
def edit_program(*, by: User, program: ProgramTemplate, changes: dict[str, Any]) -> ProgramTemplate:
    """A medical director changes a program template; enrolments already made keep their plan."""
    if not getattr(by, "is_medical_director", False):
        raise NotPermitted(_("Only the medical director edits the programs."))
    stored = ProgramTemplate.objects.select_for_update().get(pk=program.pk)
    changed = {
        name: str(value) for name, value in changes.items() if getattr(stored, name) != value
    }
    for name, value in changes.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    record_event(actor=by, action=Action.UPDATE, target=program, detail={"changed": changed})
    return program
