"""Reads for the letter screens (the patient's letters with their delivery logs; a referrer's
letters). Listing a patient's letters is a read of their record, audited."""

from dataclasses import dataclass

from kapclinic.accounts.models import User
from kapclinic.audit.services import record_page_read
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referrer
from kapclinic.sharedcare.access import letters_for_referrer
from kapclinic.sharedcare.models import DeliveryLog, Letter
from kapclinic.sharedcare.services import may_share, referrer_of


@dataclass(frozen=True)
class PatientLetters:
    letters: list[Letter]
    referrer: Referrer | None
    sharing_consented: bool


def letters_of(*, by: User, patient: Patient) -> PatientLetters:
    letters = (
        Letter.objects.filter(patient=patient)
        .select_related("drafted_by", "released_by", "referrer")
        .defer("pdf")
    )
    record_page_read(actor=by, patient=patient, page="referrer_letters")
    return PatientLetters(list(letters), referrer_of(patient), may_share(patient, "progress"))


def deliveries_of(letter: Letter) -> list[DeliveryLog]:
    return list(DeliveryLog.objects.filter(letter=letter))


def referrer_inbox(*, by: User) -> list[Letter]:
    return list(letters_for_referrer(by).defer("pdf").order_by("-released_at", "-id"))
