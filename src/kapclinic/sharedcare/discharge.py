"""Discharge at the end of care, with a summary letter to the referrer when the patient consented
to share (otherwise the discharge stands and no letter is drafted: the caller says so)."""

from django.db import transaction
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.care.selectors import current_enrolment
from kapclinic.care.services import CareError, move_journey
from kapclinic.clinical.journey import Stage
from kapclinic.patients.models import Patient
from kapclinic.sharedcare.models import Letter, LetterKind
from kapclinic.sharedcare.services import draft_letter, may_share, referrer_of, require_physician


@transaction.atomic
def discharge_with_summary(*, by: User, patient: Patient, note: str) -> Letter | None:
    """Move the current cycle to Discharged; draft the summary for the physician to release."""
    require_physician(by)
    enrolment = current_enrolment(patient)
    if enrolment is None:
        raise CareError(_("The patient is not enrolled in a program."))
    move_journey(by=by, enrolment_id=enrolment.pk, to=Stage.DISCHARGED)
    if referrer_of(patient) is None or not may_share(patient, LetterKind.DISCHARGE):
        return None
    return draft_letter(by=by, patient=patient, kind=LetterKind.DISCHARGE, note=note)
