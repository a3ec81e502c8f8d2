"""Reads for the patient's own portal pages; each page about the patient is audited here."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.services import record_page_read
from kapclinic.care.models import ConsentText, Enrolment, MaterialAssignment
from kapclinic.care.selectors import consents_of, current_texts, journey_of
from kapclinic.errors import NotFound
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import Attendance
from kapclinic.scheduling.selectors import upcoming_for
from kapclinic.screening.models import Assignment
from kapclinic.screening.selectors import waiting_for


@dataclass(frozen=True)
class PortalHome:
    waiting: list[Assignment]
    enrolment: Enrolment | None
    to_sign: list[ConsentText]
    unread: list[MaterialAssignment]
    upcoming: list[Attendance]


def home_of(*, by: User, patient: Patient, now: datetime) -> PortalHome:
    """What the patient still has to answer, sign and read, and their appointments."""
    upcoming = list(upcoming_for(patient, now))
    record_page_read(actor=by, patient=patient, page="portal")
    journey = journey_of(patient)
    signed = {c.kind for c in consents_of(patient) if c.withdrawn_at is None}
    return PortalHome(
        waiting=waiting_for(patient),
        enrolment=journey.enrolment,
        to_sign=[text for kind, text in current_texts().items() if kind not in signed],
        unread=journey.unread,
        upcoming=upcoming,
    )


def assignment_of(patient: Patient, assignment_id: int) -> MaterialAssignment:
    """One material assigned in the patient's current journey (NotFound otherwise)."""
    found = next((m for m in journey_of(patient).materials if m.pk == assignment_id), None)
    if found is None:
        raise NotFound(_("No such record was found."))
    return found


def material_to_read(*, by: User, patient: Patient, assignment_id: int) -> MaterialAssignment:
    """The material the patient opens to read (audited as a read of their record)."""
    assignment = assignment_of(patient, assignment_id)
    record_page_read(actor=by, patient=patient, page="material")
    return assignment
