"""Who reads which letter: the clinical staff who may open the patient's chart, and the
referring professional it is addressed to (released letters only)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.errors import NotFound, id_or_none
from kapclinic.patients.models import Patient
from kapclinic.sharedcare.models import Letter, LetterStatus

SENT = (LetterStatus.RELEASED, LetterStatus.SUPERSEDED)


def access_letter(*, by: User, patient: Patient, letter_id: object) -> Letter:
    """A letter of a patient already opened through patients.access (staff)."""
    letters = Letter.objects.select_related("patient__clinic", "referrer__user", "drafted_by")
    found: Letter = child_of(patient, letters, letter_id, missing=_("No letter was found."))
    return found


def letters_for_referrer(user: User) -> QuerySet[Letter]:
    """The released letters addressed to the signed-in referring professional."""
    if user.role != Role.REFERRER or not user.is_active:
        return Letter.objects.none()
    return Letter.objects.filter(referrer__user=user, status__in=SENT).select_related(
        "patient", "released_by"
    )


def access_referrer_letter(*, by: User, letter_id: object) -> Letter:
    pk = id_or_none(letter_id)
    found = letters_for_referrer(by).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(_("No letter was found."))
    return found
